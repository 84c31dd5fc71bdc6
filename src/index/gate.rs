//! A bound on the article text between the parse workers and the end of
//! its tokenisation.
//!
//! Documents wait in two queues before they are indexed: ours (parse
//! workers → the writer thread) and tantivy's (up to 10,000 documents).
//! Counted in documents, both are harmless for news articles and
//! unbounded for big ones. The [`Gate`] counts bytes instead: a worker takes
//! a [`Ticket`] for a document's text before sending it and the ticket is
//! dropped with the [`GatedDoc`] when tantivy has indexed it, so all the
//! text in flight (and so all the token buffers built from it at once)
//! stays under [`IN_FLIGHT`]. One document larger than that still passes,
//! alone.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tantivy::schema::document::Document;
use tantivy::TantivyDocument;

use crate::analysis::handoff::Handoff;

/// Article text in flight at most (the sum over documents of their text
/// fields; one larger document may pass alone).
pub const IN_FLIGHT: usize = 8 << 20;

/// Counts the bytes in flight.
#[derive(Debug)]
pub struct Gate {
    used: Mutex<usize>,
    freed: Condvar,
    limit: usize,
}

impl Gate {
    /// A gate letting `limit` bytes through at once.
    pub fn new(limit: usize) -> Arc<Gate> {
        Arc::new(Gate {
            used: Mutex::new(0),
            freed: Condvar::new(),
            limit,
        })
    }

    /// Waits until `n` bytes fit (or nothing else is in flight), then takes
    /// them. `None` when `stop` is raised while waiting.
    pub fn acquire(self: &Arc<Self>, n: usize, stop: &AtomicBool) -> Option<Ticket> {
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        while *used > 0 && used.saturating_add(n) > self.limit {
            if stop.load(Ordering::Relaxed) {
                return None;
            }
            used = self
                .freed
                .wait_timeout(used, Duration::from_millis(50))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        *used += n;
        Some(Ticket {
            gate: self.clone(),
            n,
        })
    }

    /// Bytes in flight now.
    pub fn used(&self) -> usize {
        *self.used.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Bytes taken from a [`Gate`], given back when dropped.
#[derive(Debug)]
pub struct Ticket {
    gate: Arc<Gate>,
    n: usize,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut used = self.gate.used.lock().unwrap_or_else(|e| e.into_inner());
        *used = used.saturating_sub(self.n);
        self.gate.freed.notify_all();
    }
}

/// A document with the ticket of its text: tantivy drops it once indexed.
#[derive(Debug)]
pub struct GatedDoc {
    /// The tokens made for its texts (withdrawn first when dropped, while
    /// the texts are still there).
    _handoff: Handoff,
    /// The document.
    pub doc: TantivyDocument,
    _ticket: Option<Ticket>,
}

impl GatedDoc {
    /// Wraps `doc` with its ticket.
    pub fn new(doc: TantivyDocument, ticket: Option<Ticket>) -> GatedDoc {
        GatedDoc::with_handoff(doc, Handoff::default(), ticket)
    }

    /// Wraps `doc` with the tokens made for it and its ticket.
    pub fn with_handoff(
        doc: TantivyDocument,
        handoff: Handoff,
        ticket: Option<Ticket>,
    ) -> GatedDoc {
        GatedDoc {
            _handoff: handoff,
            doc,
            _ticket: ticket,
        }
    }
}

impl Document for GatedDoc {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_given_back_and_a_big_one_passes_alone() {
        let gate = Gate::new(10);
        let stop = AtomicBool::new(false);
        let a = gate.acquire(6, &stop).unwrap();
        assert_eq!(gate.used(), 6);
        let g2 = gate.clone();
        let waiter = std::thread::spawn(move || {
            let stop = AtomicBool::new(false);
            let _t = g2.acquire(8, &stop).unwrap();
            g2.used()
        });
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(gate.used(), 6, "8 more must wait");
        drop(a);
        assert_eq!(waiter.join().unwrap(), 8);
        assert_eq!(gate.used(), 0);
        // Larger than the limit: passes when nothing else is in flight.
        let big = gate.acquire(50, &stop).unwrap();
        drop(big);
        // A raised stop ends a wait.
        let _held = gate.acquire(9, &stop).unwrap();
        stop.store(true, Ordering::Relaxed);
        assert!(gate.acquire(5, &stop).is_none());
    }
}
