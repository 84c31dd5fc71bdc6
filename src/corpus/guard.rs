//! A reader wrapper that bounds how far a record reader can run past the
//! end of its last complete record, for parsers that buffer a record (a CSV
//! row, a feed item) before handing it over: past [`MAX_RECORD`] plus some
//! slack the stream fails with [`TOO_LARGE`], so a row with an unclosed
//! quote or an item that never ends costs a warning, not the machine's
//! memory.

use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use super::stream::MAX_RECORD;

/// The message of the error a [`Guard`] fails with.
pub const TOO_LARGE: &str = "record too large";

/// Slack for the parser's own buffer.
const SLACK: u64 = 1 << 20;

/// Where the reader stands: bytes handed out, and the end of the last
/// complete record (set by the record reader).
#[derive(Debug, Clone, Default)]
pub struct Mark {
    read: Rc<Cell<u64>>,
    boundary: Rc<Cell<u64>>,
}

impl Mark {
    /// Records that a record ended here.
    pub fn record_ended(&self) {
        self.boundary.set(self.read.get());
    }

    /// Records that a record ended at byte `at` of the stream.
    pub fn record_ended_at(&self, at: u64) {
        self.boundary.set(at.min(self.read.get()));
    }

    /// Bytes handed out so far.
    pub fn position(&self) -> u64 {
        self.read.get()
    }
}

/// See the module documentation.
pub struct Guard<'r> {
    inner: &'r mut dyn BufRead,
    mark: Mark,
}

impl<'r> Guard<'r> {
    /// Wraps `inner`; `mark` is shared with the record reader.
    pub fn new(inner: &'r mut dyn BufRead, mark: Mark) -> Self {
        Guard { inner, mark }
    }

    /// Bytes that may still be handed out before the limit.
    fn check(&self) -> io::Result<usize> {
        let used = self.mark.read.get() - self.mark.boundary.get();
        let limit = MAX_RECORD as u64 + SLACK;
        if used >= limit {
            return Err(io::Error::other(TOO_LARGE));
        }
        Ok(usize::try_from(limit - used).unwrap_or(usize::MAX))
    }
}

/// Whether `e` is a [`Guard`]'s refusal.
pub fn is_too_large(e: &io::Error) -> bool {
    e.to_string() == TOO_LARGE
}

impl Read for Guard<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let room = self.check()?;
        let n = buf.len().min(room);
        let n = self.inner.read(&mut buf[..n])?;
        self.mark.read.set(self.mark.read.get() + n as u64);
        Ok(n)
    }
}

impl BufRead for Guard<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let room = self.check()?;
        let buf = self.inner.fill_buf()?;
        Ok(&buf[..buf.len().min(room)])
    }

    fn consume(&mut self, amt: usize) {
        self.mark.read.set(self.mark.read.get() + amt as u64);
        self.inner.consume(amt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_run_far_past_the_last_record() {
        let data = vec![b'x'; MAX_RECORD + 4 * SLACK as usize];
        let mut src: &[u8] = &data;
        let mark = Mark::default();
        let mut g = Guard::new(&mut src, mark.clone());
        let mut sink = Vec::new();
        let err = io::copy(&mut g, &mut sink).unwrap_err();
        assert!(is_too_large(&err));
        assert!(sink.len() <= MAX_RECORD + 2 * SLACK as usize);
        mark.record_ended();
        assert!(g.fill_buf().is_ok());
    }
}
