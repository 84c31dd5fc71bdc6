//! Disk faults: a full disk, a read-only file system, a folder without
//! write permission.
//!
//! Writing an index can fail anywhere in tantivy (a segment flushed by an
//! indexing thread, `meta.json` at a commit, the writer's lock file) or in
//! newsidx's own files; the error that reaches the user is then one line
//! naming the index folder and the fault ([`explain`]), not tantivy's
//! "index writer was killed". Nothing of the last commit is lost: tantivy
//! writes `meta.json` atomically and the writer rolls back to it.
//!
//! Reading needs no write access: tantivy's readers take a lock file in the
//! index folder, which cannot be created or opened for writing on a
//! read-only file system; [`ReadTolerantDirectory`] reads without that
//! lock there.

use std::collections::HashSet;
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle,
    WritePtr, META_LOCK,
};
use tantivy::{Document, IndexWriter, TantivyError};

/// What kept an index from being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// No space left on the device (or the disk quota is used up).
    Full,
    /// The file system is mounted read-only.
    ReadOnly,
    /// The folder or a file in it may not be written by this user.
    Denied,
}

impl Fault {
    /// Of one I/O error.
    pub fn of_io(e: &io::Error) -> Option<Fault> {
        match e.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => Some(Fault::Full),
            io::ErrorKind::ReadOnlyFilesystem => Some(Fault::ReadOnly),
            io::ErrorKind::PermissionDenied => Some(Fault::Denied),
            // An OS error rewrapped as `io::Error::other(…)`, or only its text.
            _ => match e.get_ref() {
                Some(inner) => match inner.downcast_ref::<io::Error>() {
                    Some(io) => Fault::of_io(io),
                    None => os_error_in(&inner.to_string()).and_then(|io| Fault::of_io(&io)),
                },
                None => None,
            },
        }
    }

    /// The first fault in the chain of causes of `e`, looking inside
    /// tantivy's errors (which hold their I/O error without exposing it as
    /// a source).
    pub fn find(e: &anyhow::Error) -> Option<Fault> {
        e.chain().find_map(|cause| {
            if let Some(io) = cause.downcast_ref::<io::Error>() {
                return Fault::of_io(io);
            }
            if let Some(t) = cause.downcast_ref::<TantivyError>() {
                return match t {
                    // Some of tantivy's writers keep only the text of
                    // their I/O error.
                    TantivyError::InternalError(text) => {
                        os_error_in(text).and_then(|io| Fault::of_io(&io))
                    }
                    t => tantivy_io(t).and_then(Fault::of_io),
                };
            }
            if let Some(t) = cause.downcast_ref::<OpenWriteError>() {
                return open_write_io(t).and_then(Fault::of_io);
            }
            None
        })
    }

    /// What it is, in words.
    fn describe(self) -> &'static str {
        match self {
            Fault::Full => "disk full (no space left on device)",
            Fault::ReadOnly => "the index folder is on a read-only file system",
            Fault::Denied => "no permission to write in the index folder",
        }
    }
}

/// The I/O error inside a tantivy error, where there is one.
fn tantivy_io(e: &TantivyError) -> Option<&io::Error> {
    match e {
        TantivyError::IoError(io) => Some(io),
        TantivyError::OpenWriteError(w) => open_write_io(w),
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, .. }) => Some(io_error),
        TantivyError::OpenDirectoryError(OpenDirectoryError::IoError { io_error, .. }) => {
            Some(io_error)
        }
        TantivyError::LockFailure(LockError::IoError(io), _) => Some(io),
        _ => None,
    }
}

/// The OS error whose text ends `text` (`… (os error 28)`, as `io::Error`
/// shows one).
fn os_error_in(text: &str) -> Option<io::Error> {
    let (_, tail) = text.rsplit_once("(os error ")?;
    let n = tail.split_once(')')?.0.parse::<i32>().ok()?;
    Some(io::Error::from_raw_os_error(n))
}

fn open_write_io(e: &OpenWriteError) -> Option<&io::Error> {
    match e {
        OpenWriteError::IoError { io_error, .. } => Some(io_error),
        _ => None,
    }
}

/// `e` told as one line naming `dir` when a disk fault caused it; `e`
/// itself otherwise. `kept` says the index had a commit before the run
/// (which it still has).
pub fn explain(dir: &Path, kept: bool, e: anyhow::Error) -> anyhow::Error {
    match Fault::find(&e) {
        Some(fault) => anyhow::anyhow!(
            "{}: {}; indexing stopped{}",
            dir.display(),
            fault.describe(),
            if kept {
                ", the index keeps its last commit"
            } else {
                ""
            }
        ),
        None => e,
    }
}

/// tantivy's memory-mapped directory, except that a reader's lock which
/// cannot be taken because the folder cannot be written (read-only file
/// system, no permission) is done without: the lock only keeps a running
/// writer from deleting segment files while a reader opens them, and no
/// writer can run where the folder cannot be written. The writer's own lock
/// is never skipped.
#[derive(Debug, Clone)]
pub struct ReadTolerantDirectory(MmapDirectory);

impl ReadTolerantDirectory {
    /// Opens `dir`.
    pub fn open(dir: &Path) -> Result<Self, OpenDirectoryError> {
        MmapDirectory::open(dir).map(ReadTolerantDirectory)
    }
}

impl Directory for ReadTolerantDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.0.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.0.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(LockError::IoError(io))
                if lock.filepath == META_LOCK.filepath
                    && matches!(Fault::of_io(&io), Some(Fault::ReadOnly | Fault::Denied)) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(watch_callback)
    }
}

/// Rolls `writer` back to the last commit after `e` and removes the files
/// of the segments written since: on a full disk some are cut short, and
/// all of them hold space the next run needs. When tantivy's indexing
/// threads died, it only said "index writer was killed"; preparing a
/// commit joins them and returns the error that killed them (a full disk,
/// say), which then replaces `e`. Nothing is committed.
pub(crate) fn abandon<D: Document>(
    writer: &mut IndexWriter<D>,
    dir: &Path,
    e: anyhow::Error,
) -> anyhow::Error {
    let killed = e.chain().any(|c| {
        matches!(
            c.downcast_ref::<tantivy::TantivyError>(),
            Some(tantivy::TantivyError::ErrorInThread(_))
        )
    });
    let e = match killed.then(|| writer.prepare_commit().err()).flatten() {
        Some(cause) => anyhow::Error::new(cause).context("indexing failed"),
        None => e,
    };
    if writer.rollback().is_ok() {
        remove_uncommitted(writer, dir);
    }
    e
}

/// Removes the files of segments that the last commit does not hold, by
/// tantivy's garbage collection. A segment of the failed run can stay
/// alive a moment after the rollback (its segment updater's threads end on
/// their own time) and is then kept by the collection; so it is tried
/// again while such files are there, for a second at most.
fn remove_uncommitted<D: Document>(writer: &IndexWriter<D>, dir: &Path) {
    let Ok(meta) = writer.index().load_metas() else {
        return;
    };
    let committed: HashSet<String> = meta.segments.iter().map(|s| s.id().uuid_string()).collect();
    let stray = || {
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                let stem = name.split('.').next().unwrap_or("");
                stem.len() == 32
                    && stem.bytes().all(|b| b.is_ascii_hexdigit())
                    && !committed.contains(stem)
            })
        })
    };
    for _ in 0..20 {
        let _ = writer.garbage_collect_files().wait();
        if !stray() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_found_inside_tantivy_errors_and_context() {
        let full = io::Error::from(io::ErrorKind::StorageFull);
        let e = anyhow::Error::new(TantivyError::from(full)).context("commit failed");
        assert_eq!(Fault::find(&e), Some(Fault::Full));
        let ro = io::Error::from(io::ErrorKind::ReadOnlyFilesystem);
        let e = anyhow::Error::new(TantivyError::LockFailure(
            LockError::wrap_io_error(ro),
            None,
        ));
        assert_eq!(Fault::find(&e), Some(Fault::ReadOnly));
        let text = TantivyError::InternalError("No space left on device (os error 28)".into());
        #[cfg(target_os = "linux")]
        assert_eq!(Fault::find(&anyhow::Error::new(text)), Some(Fault::Full));
        #[cfg(target_os = "linux")]
        {
            let wrapped = io::Error::other(io::Error::from_raw_os_error(28));
            assert_eq!(Fault::of_io(&wrapped), Some(Fault::Full));
            let told = io::Error::other("No space left on device (os error 28)");
            assert_eq!(Fault::of_io(&told), Some(Fault::Full));
        }
        let other = anyhow::anyhow!("something else (os error x)");
        assert_eq!(Fault::find(&other), None);
        let said = explain(Path::new("idx"), true, e).to_string();
        assert_eq!(
            said,
            "idx: the index folder is on a read-only file system; indexing stopped, the index keeps its last commit"
        );
        assert_eq!(
            explain(Path::new("idx"), true, other).to_string(),
            "something else (os error x)"
        );
    }

    #[test]
    fn os_error_numbers_map_to_faults() {
        // ENOSPC, EROFS, EACCES on Linux.
        #[cfg(target_os = "linux")]
        for (n, f) in [
            (28, Fault::Full),
            (30, Fault::ReadOnly),
            (13, Fault::Denied),
        ] {
            assert_eq!(Fault::of_io(&io::Error::from_raw_os_error(n)), Some(f));
        }
    }
}
