//! What a process keeps between searches: a map shared by threads that
//! holds entries up to a budget and, when the next one would pass it,
//! starts again empty (the caches of `search::plan::prefix`,
//! `search::plan::memo` and `search::local`'s stored documents).
//!
//! Emptying all at once instead of evicting one by one keeps it a plain
//! map: what it holds is cheap to find again, and a search asks for the
//! same keys in a burst.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

/// Entries up to a budget of `used` units (bytes, or entries).
pub struct Kept<K, V> {
    inner: Mutex<Inner<K, V>>,
    budget: usize,
}

struct Inner<K, V> {
    map: HashMap<K, V>,
    used: usize,
}

impl<K: Hash + Eq, V: Clone> Kept<K, V> {
    /// An empty map that holds up to `budget` units.
    pub fn new(budget: usize) -> Kept<K, V> {
        Kept {
            inner: Mutex::new(Inner {
                map: HashMap::new(),
                used: 0,
            }),
            budget,
        }
    }

    /// A copy of the entry of `key`, if kept (none if a thread panicked
    /// holding the map: it is only a cache).
    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.inner.lock().ok()?.map.get(key).cloned()
    }

    /// Keeps `value` as `key`'s, counting `size` units; empties the map
    /// first when it would pass its budget.
    pub fn keep(&self, key: K, value: V, size: usize) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.used + size > self.budget {
            inner.map.clear();
            inner.used = 0;
        }
        if inner.map.insert(key, value).is_none() {
            inner.used += size;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_up_to_its_budget_then_starts_again() {
        let k = Kept::new(10);
        k.keep("a", 1, 4);
        k.keep("a", 2, 4); // replaced, not counted twice
        k.keep("b", 3, 4);
        assert_eq!((k.get("a"), k.get("b")), (Some(2), Some(3)));
        k.keep("c", 4, 4); // 12 > 10: emptied first
        assert_eq!((k.get("a"), k.get("b"), k.get("c")), (None, None, Some(4)));
    }
}
