//! The progress bar of long index runs, on stderr and only when wanted,
//! and a hook that hears the same progress (the Python package's callback).

use std::cell::{Cell, RefCell};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How far a run is: files and bytes read of those it has to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Done {
    /// Files read (well or not) or found unchanged.
    pub files: u64,
    /// Files the run has to look at.
    pub files_total: u64,
    /// Bytes of the files read.
    pub bytes: u64,
    /// Bytes of all the files to look at.
    pub bytes_total: u64,
}

/// Called with the progress once before the first file and after each.
pub type Hook = Box<dyn FnMut(Done)>;

/// A progress bar over bytes, or nothing when progress is off.
pub struct Progress {
    bar: Option<ProgressBar>,
    hook: RefCell<Option<Hook>>,
    files: u64,
    bytes: u64,
    done: Cell<u64>,
    bytes_done: Cell<u64>,
}

impl Progress {
    /// A bar over `files` files of `bytes` bytes, drawn only when `enabled`.
    pub fn new(enabled: bool, files: u64, bytes: u64) -> Progress {
        let bar = (enabled && files > 0).then(|| {
            let bar = ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_message(format!("0/{files} files"));
            bar
        });
        Progress {
            bar,
            hook: RefCell::new(None),
            files,
            bytes,
            done: Cell::new(0),
            bytes_done: Cell::new(0),
        }
    }

    /// The same, also telling `hook` (at once, then after every file).
    pub fn with_hook(self, hook: Option<Hook>) -> Progress {
        *self.hook.borrow_mut() = hook;
        self.tell();
        self
    }

    fn tell(&self) {
        if let Some(h) = self.hook.borrow_mut().as_mut() {
            h(Done {
                files: self.done.get(),
                files_total: self.files,
                bytes: self.bytes_done.get(),
                bytes_total: self.bytes,
            });
        }
    }

    /// One more file of `bytes` bytes is done.
    pub fn file_done(&self, bytes: u64) {
        self.done.set(self.done.get() + 1);
        self.bytes_done.set(self.bytes_done.get() + bytes);
        if let Some(b) = &self.bar {
            b.inc(bytes);
            b.set_message(format!("{}/{} files", self.done.get(), self.files));
        }
        self.tell();
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
