//! 64-bit FNV-1a: the stable content hash of indexed files (to tell a
//! changed file from an unchanged one) and of user dictionaries.

/// FNV-1a offset basis.
const OFFSET: u64 = 0xcbf29ce484222325;
/// FNV-1a prime.
const PRIME: u64 = 0x100000001b3;

/// Incremental 64-bit FNV-1a; [`Fnv::hex`] of all the bytes fed equals
/// [`hex`] of them at once.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(OFFSET)
    }
}

impl Fnv {
    /// Feeds `bytes`.
    pub fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(PRIME);
        }
    }

    /// The hash so far.
    pub fn value(&self) -> u64 {
        self.0
    }

    /// The hash as 16 hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// 64-bit FNV-1a of `bytes`.
pub fn hash(bytes: &[u8]) -> u64 {
    let mut h = Fnv::default();
    h.update(bytes);
    h.value()
}

/// 64-bit FNV-1a of `bytes`, as 16 hex digits.
pub fn hex(bytes: &[u8]) -> String {
    let mut h = Fnv::default();
    h.update(bytes);
    h.hex()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incremental_equals_whole() {
        let data = "新闻 news".as_bytes();
        let mut h = Fnv::default();
        h.update(&data[..3]);
        h.update(&data[3..]);
        assert_eq!(h.hex(), hex(data));
        assert_eq!(h.value(), hash(data));
        // The published test vector of FNV-1a 64 for "a".
        assert_eq!(hash(b"a"), 0xaf63dc4c8601ec8c);
    }
}
