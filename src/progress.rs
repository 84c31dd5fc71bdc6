//! The progress bar of long index runs, on stderr and only when wanted.

use std::cell::Cell;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar over bytes, or nothing when progress is off.
pub struct Progress {
    bar: Option<ProgressBar>,
    files: u64,
    done: Cell<u64>,
}

impl Progress {
    /// A bar over `files` files of `bytes` bytes, drawn only when `enabled`.
    pub fn new(enabled: bool, files: u64, bytes: u64) -> Progress {
        if !enabled || files == 0 {
            return Progress {
                bar: None,
                files,
                done: Cell::new(0),
            };
        }
        let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message(format!("0/{files} files"));
        Progress {
            bar: Some(bar),
            files,
            done: Cell::new(0),
        }
    }

    /// One more file of `bytes` bytes is done.
    pub fn file_done(&self, bytes: u64) {
        if let Some(b) = &self.bar {
            self.done.set(self.done.get() + 1);
            b.inc(bytes);
            b.set_message(format!("{}/{} files", self.done.get(), self.files));
        }
    }

    /// Runs `f` with the bar hidden (for printing a line to stderr).
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(b) => b.suspend(f),
            None => f(),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
