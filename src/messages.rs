//! Diagnostics on stderr: every line newsidx writes there starts with
//! `newsidx: `, and this module is the one place that writes that prefix.
//!
//! Results go to stdout, through the printers; errors, warnings and the
//! one-line summaries of long commands come here (ripgrep's
//! `crates/core/messages.rs` is the model).

/// Prints an error line: `newsidx: MESSAGE`.
pub fn error(msg: &str) {
    eprintln!("newsidx: {msg}");
}

/// Prints a warning line (a problem that cost part of the work):
/// `newsidx: warning: MESSAGE`, folded onto one line.
pub fn warning(msg: &str) {
    eprintln!("newsidx: warning: {}", one_line(msg));
}

/// Prints a status line, such as the summary of a finished run:
/// `newsidx: MESSAGE`.
pub fn status(msg: &str) {
    eprintln!("newsidx: {msg}");
}

/// Folds a message onto one line.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Prints an error that ended the run, with its causes, on one line.
pub fn fatal(e: &anyhow::Error) {
    error(&one_line(&format!("{e:#}")));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_fold_onto_one_line() {
        assert_eq!(one_line("a:\n  b\tc  "), "a: b c");
    }
}
