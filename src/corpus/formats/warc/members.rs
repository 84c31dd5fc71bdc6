//! The byte streams under the WARC record reader: the gzip members of a
//! `.warc.gz`, kept so that reading resumes after a damaged one, and a
//! stream with bytes pushed back in front of it.

use std::io::{self, BufRead, BufReader, Read};

use crate::corpus::stream::MAX_RECORD;

/// The raw bytes of a `.warc.gz`, with the bytes of the current gzip member
/// kept (up to [`MAX_RECORD`]) so that after a damaged member reading can
/// resume at the next member's start even when the decoder ran past it.
pub(super) struct Members<R> {
    inner: BufReader<R>,
    /// Bytes to hand out before `inner` (a replay after damage).
    pending: Vec<u8>,
    pending_at: usize,
    /// The current member's bytes, while under the cap.
    recorded: Vec<u8>,
    recording: bool,
    /// Bytes handed out: the offset of the next byte in the file, roughly
    /// (replayed bytes are counted again).
    pub(super) offset: u64,
}

const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

impl<R: Read> Members<R> {
    pub(super) fn new(inner: R) -> Self {
        Members {
            inner: BufReader::with_capacity(256 * 1024, inner),
            pending: Vec::new(),
            pending_at: 0,
            recorded: Vec::new(),
            recording: false,
            offset: 0,
        }
    }

    /// Starts recording a new member.
    pub(super) fn start_member(&mut self) {
        self.recorded.clear();
        self.recording = true;
    }

    /// After a damaged member: the bytes from just after its start are
    /// searched again for the next member. Returns false at the end of the
    /// file.
    pub(super) fn resync(&mut self) -> io::Result<bool> {
        let recorded = std::mem::take(&mut self.recorded);
        self.recording = false;
        let mut rest: Vec<u8> = recorded.get(1..).unwrap_or(&[]).to_vec();
        rest.extend_from_slice(&self.pending[self.pending_at.min(self.pending.len())..]);
        if let Some(i) = find(&rest, &GZIP_MAGIC) {
            self.pending = rest.split_off(i);
            self.pending_at = 0;
            return Ok(true);
        }
        self.pending.clear();
        self.pending_at = 0;
        // Scan the stream, keeping the last two bytes in case the magic
        // straddles two buffers.
        let mut carry: Vec<u8> = rest.iter().rev().take(2).rev().copied().collect();
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let mut window = carry.clone();
            window.extend_from_slice(buf);
            if let Some(i) = find(&window, &GZIP_MAGIC) {
                if i < carry.len() {
                    // The magic starts in bytes already consumed.
                    self.pending = carry[i..].to_vec();
                } else {
                    let skip = i - carry.len();
                    self.offset += skip as u64;
                    self.inner.consume(skip);
                }
                self.pending_at = 0;
                return Ok(true);
            }
            let n = buf.len();
            carry = window[window.len().saturating_sub(2)..].to_vec();
            self.offset += n as u64;
            self.inner.consume(n);
        }
    }

    /// Whether more bytes follow.
    pub(super) fn at_end(&mut self) -> io::Result<bool> {
        Ok(self.pending_at >= self.pending.len() && self.inner.fill_buf()?.is_empty())
    }
}

/// Where `needle` first occurs in `hay`.
pub(super) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

impl<R: Read> Read for Members<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        read_buffered(self, buf)
    }
}

impl<R: Read> BufRead for Members<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pending_at < self.pending.len() {
            return Ok(&self.pending[self.pending_at..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if self.recording {
            let bytes = if self.pending_at < self.pending.len() {
                &self.pending[self.pending_at..self.pending_at + amt]
            } else {
                self.inner.buffer().get(..amt).unwrap_or(&[])
            };
            if self.recorded.len() + bytes.len() <= MAX_RECORD {
                self.recorded.extend_from_slice(bytes);
            } else {
                self.recording = false;
                self.recorded.clear();
            }
        }
        self.offset += amt as u64;
        if self.pending_at < self.pending.len() {
            self.pending_at += amt;
        } else {
            self.inner.consume(amt);
        }
    }
}

/// A byte stream with bytes pushed back in front of it (the rest of a block
/// that turned out to hold the next record).
pub(super) struct Pushback<'a> {
    pub(super) front: Vec<u8>,
    pub(super) at: usize,
    pub(super) inner: &'a mut dyn BufRead,
}

impl Read for Pushback<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        read_buffered(self, buf)
    }
}

impl BufRead for Pushback<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at < self.front.len() {
            return Ok(&self.front[self.at..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if self.at < self.front.len() {
            self.at += amt;
        } else {
            self.inner.consume(amt);
        }
    }
}

/// `Read::read` through a reader's own buffer.
fn read_buffered<B: BufRead>(b: &mut B, buf: &mut [u8]) -> io::Result<usize> {
    let avail = b.fill_buf()?;
    let n = avail.len().min(buf.len());
    buf[..n].copy_from_slice(&avail[..n]);
    b.consume(n);
    Ok(n)
}

/// Reads into `buf` until it is full or `r` ends or fails; the bytes read.
pub(super) fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> usize {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    n
}
