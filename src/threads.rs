//! How many threads newsidx uses: the one place that asks how many cores
//! there are.

/// The cores this process may use (2 when the system does not say).
pub fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

/// Tokenising threads of the index writer: as many as asked, else one per
/// core; 1 to 16.
pub fn writer_threads(asked: Option<usize>) -> usize {
    asked.unwrap_or_else(cores).clamp(1, 16)
}

/// Threads that read and parse files for the writer: one per core but the
/// writer's own, 1 to 3 (parsing is rarely the bottleneck; tokenising is).
pub fn parse_workers() -> usize {
    cores().clamp(1, 4).saturating_sub(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert_eq!(writer_threads(Some(0)), 1);
        assert_eq!(writer_threads(Some(64)), 16);
        assert!((1..=16).contains(&writer_threads(None)));
        assert!((1..=3).contains(&parse_workers()));
    }
}
