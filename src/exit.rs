//! Exit codes: 0 hits (or success), 1 no hits, 2 error.

use std::process::ExitCode;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Something matched, or the command succeeded.
    Success,
    /// The search matched nothing.
    NoHits,
    /// An error (message already printed).
    Error,
}

impl Exit {
    /// How a batch of queries ended: an error when any query failed,
    /// else success when any matched, else no hits.
    pub fn of_batch(failed: bool, any_hit: bool) -> Exit {
        if failed {
            Exit::Error
        } else if any_hit {
            Exit::Success
        } else {
            Exit::NoHits
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        match e {
            Exit::Success => ExitCode::from(0),
            Exit::NoHits => ExitCode::from(1),
            Exit::Error => ExitCode::from(2),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(ExitCode::from(Exit::Success), ExitCode::from(0));
        assert_eq!(ExitCode::from(Exit::NoHits), ExitCode::from(1));
        assert_eq!(ExitCode::from(Exit::Error), ExitCode::from(2));
        assert_eq!(Exit::of_batch(true, true), Exit::Error);
        assert_eq!(Exit::of_batch(false, true), Exit::Success);
        assert_eq!(Exit::of_batch(false, false), Exit::NoHits);
    }
}
