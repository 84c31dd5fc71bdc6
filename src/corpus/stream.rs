//! Reading helpers that keep memory bounded: peeking at a stream's head,
//! capped line and whole-text reads, turning a mid-stream failure into a
//! clean end, and an incremental content hash.

use std::cell::{Cell, RefCell};
use std::io::{self, BufRead, Cursor, Read};
use std::rc::Rc;

/// How much of a stream is looked at to detect compression, encoding and format.
pub const HEAD: usize = 64 * 1024;

/// Largest record (a JSON line, a TSV line, one `<doc>`) read; longer ones are
/// skipped with a warning.
pub const MAX_RECORD: usize = 8 << 20;

/// Most text (title and body) one article may hold. Indexing an article
/// takes about 55 times its size in transient token buffers (jieba words
/// and bigrams with their offsets), outside the writer's budget, so a
/// larger one is skipped with a warning: 4 MB (some 1.3 million Chinese
/// characters, far past any news article) costs about 220 MB.
pub const MAX_ARTICLE: usize = 4 << 20;

/// Largest file of a one-document format (text, HTML, a JSON array) read whole.
pub const MAX_DOCUMENT: usize = 64 << 20;

/// Reads up to `n` bytes from `r` and returns them together with a reader
/// that replays them before the rest of `r`.
pub fn peek<'a, R: Read + 'a>(
    mut r: R,
    n: usize,
) -> io::Result<(Vec<u8>, bool, Box<dyn Read + 'a>)> {
    let mut head = Vec::with_capacity(n.min(HEAD));
    (&mut r).take(n as u64).read_to_end(&mut head)?;
    let complete = head.len() < n;
    let replay = Cursor::new(head.clone());
    Ok((head, complete, Box::new(replay.chain(r))))
}

/// A reader that ends cleanly at the first I/O error and keeps the error,
/// so that what came before it (a truncated gzip, a file cut short) is still
/// parsed; the caller reports the error afterwards.
pub struct StopOnError<R> {
    inner: R,
    /// The error that ended the stream, if any.
    pub error: Rc<RefCell<Option<io::Error>>>,
}

impl<R> StopOnError<R> {
    /// Wraps `inner`; `error` receives the first failure.
    pub fn new(inner: R, error: Rc<RefCell<Option<io::Error>>>) -> Self {
        StopOnError { inner, error }
    }
}

impl<R: Read> Read for StopOnError<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.error.borrow().is_some() {
            return Ok(0);
        }
        loop {
            match self.inner.read(buf) {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    *self.error.borrow_mut() = Some(e);
                    return Ok(0);
                }
            }
        }
    }
}

/// One line from [`read_line`].
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// End of input.
    Eof,
    /// A line (in the buffer, without its line break).
    Ok,
    /// A line longer than the limit, skipped; its length in bytes.
    TooLong(usize),
}

/// Reads one line into `buf` (cleared first), never holding more than `max`
/// bytes: a longer line is consumed and reported as [`Line::TooLong`].
pub fn read_line(r: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    buf.clear();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if total + take <= max.saturating_add(2) {
            buf.extend_from_slice(&chunk[..take]);
        }
        total += take;
        r.consume(take);
        if done {
            break;
        }
    }
    if !any {
        return Ok(Line::Eof);
    }
    if buf.ends_with(b"\n") {
        buf.pop();
    }
    if buf.ends_with(b"\r") {
        buf.pop();
    }
    if total > max.saturating_add(2) {
        buf.clear();
        return Ok(Line::TooLong(total));
    }
    Ok(Line::Ok)
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// Reads all of `r` as (already UTF-8) text, refusing more than `max` bytes.
pub fn read_text(r: &mut dyn Read, max: usize) -> io::Result<Result<String, usize>> {
    let mut buf = Vec::new();
    r.take(max as u64 + 1).read_to_end(&mut buf)?;
    if buf.len() > max {
        return Ok(Err(max));
    }
    Ok(Ok(match String::from_utf8(buf) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }))
}

/// Hashes a whole file in fixed-size chunks.
pub fn hash_file(path: &std::path::Path) -> io::Result<String> {
    let hash = ContentHash::default();
    hash.read_rest(std::fs::File::open(path)?)?;
    Ok(hash.hex())
}

/// The content hash of a file (64-bit FNV-1a, [`crate::fnv`]) taken as its
/// bytes are read: [`ContentHash::reader`] hashes what the pipeline reads,
/// [`ContentHash::read_rest`] what it left. A read that failed is kept:
/// the hash is then not the file's.
#[derive(Default)]
pub struct ContentHash {
    fnv: Cell<crate::fnv::Fnv>,
    failure: RefCell<Option<io::Error>>,
}

impl ContentHash {
    /// A reader over `inner` that feeds every byte it passes on to the hash.
    pub fn reader<R: Read>(&self, inner: R) -> Hashing<'_, R> {
        Hashing { inner, hash: self }
    }

    /// Feeds the rest of `r` (to its end) to the hash; the first failure
    /// of any read, this one's or the reader's.
    pub fn read_rest(&self, r: impl Read) -> io::Result<()> {
        let mut r = self.reader(r);
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            match r.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        self.failure().map_or(Ok(()), Err)
    }

    /// A copy of the first read failure, if any.
    pub fn failure(&self) -> Option<io::Error> {
        let f = self.failure.borrow();
        f.as_ref().map(|e| io::Error::new(e.kind(), e.to_string()))
    }

    /// The hash of the bytes so far, as 16 hex digits.
    pub fn hex(&self) -> String {
        self.fnv.get().hex()
    }
}

/// A reader that hashes what it reads ([`ContentHash::reader`]).
pub struct Hashing<'h, R> {
    inner: R,
    hash: &'h ContentHash,
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                let mut fnv = self.hash.fnv.get();
                fnv.update(&buf[..n]);
                self.hash.fnv.set(fnv);
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                let mut failure = self.hash.failure.borrow_mut();
                if failure.is_none() {
                    *failure = Some(io::Error::new(e.kind(), e.to_string()));
                }
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peek_replays_the_head() {
        let (head, complete, mut r) = peek(Cursor::new(b"abcdef".to_vec()), 3).unwrap();
        assert_eq!((head.as_slice(), complete), (&b"abc"[..], false));
        let mut all = String::new();
        r.read_to_string(&mut all).unwrap();
        assert_eq!(all, "abcdef");
    }

    #[test]
    fn long_lines_are_skipped_not_held() {
        let data = format!("short\r\n{}\nlast", "x".repeat(100));
        let mut r = io::BufReader::with_capacity(16, data.as_bytes());
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut r, &mut buf, 10).unwrap(), Line::Ok);
        assert_eq!(buf, b"short");
        assert_eq!(read_line(&mut r, &mut buf, 10).unwrap(), Line::TooLong(101));
        assert_eq!(read_line(&mut r, &mut buf, 10).unwrap(), Line::Ok);
        assert_eq!(buf, b"last");
        assert_eq!(read_line(&mut r, &mut buf, 10).unwrap(), Line::Eof);
    }

    #[test]
    fn errors_end_the_stream() {
        struct Failing(bool);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0 {
                    return Err(io::Error::other("boom"));
                }
                self.0 = true;
                buf[..2].copy_from_slice(b"ok");
                Ok(2)
            }
        }
        let err = Rc::new(RefCell::new(None));
        let mut s = String::new();
        StopOnError::new(Failing(false), err.clone())
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "ok");
        assert!(err.borrow().is_some());
    }

    #[test]
    fn a_hash_taken_while_reading_is_the_whole_files() {
        let data = "第一行\nsecond line\n".repeat(1000);
        let hash = ContentHash::default();
        let mut head = [0u8; 100];
        hash.reader(Cursor::new(data.as_bytes()))
            .read_exact(&mut head)
            .unwrap();
        let mut rest = Cursor::new(data.as_bytes());
        rest.set_position(100);
        hash.read_rest(rest).unwrap();
        assert_eq!(hash.hex(), crate::fnv::hex(data.as_bytes()));
    }
}
