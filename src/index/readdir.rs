//! The directory the index writer reads segments through.
//!
//! Tantivy's `MmapDirectory` maps every segment file it reads. Searching
//! wants that, but a merge reads every byte of the segments it merges once,
//! in order, and each mapped page it touches stays counted in the process's
//! resident memory until the merge is over: on a 1 GB corpus one merge of
//! ~100,000 articles held ~300 MB of mapped postings on top of the writer's
//! arena, which is what put `newsidx index` over its memory budget.
//! [`ReadDirectory`] is the same directory, except that the postings,
//! positions and stored documents of a segment (the files a merge streams
//! through, the bulk of its bytes) are read with positioned reads into small
//! buffers: the bytes pass through the kernel's page cache, and the process
//! holds only those in use. The other files (term dictionaries, fast fields,
//! norms) stay mapped. The writer opens the index with it; searching keeps
//! `MmapDirectory`.

use std::fmt;
use std::fs::File;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};
use tantivy::HasLen;

/// Bytes read ahead for a small read (one term's postings, say): the next
/// small reads of a merge, which go forward through the file, are served
/// from it without a system call each.
const WINDOW: usize = 256 << 10;

/// `MmapDirectory`, reading postings, positions and the document store
/// instead of mapping them (see the module documentation).
#[derive(Clone, Debug)]
pub struct ReadDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl ReadDirectory {
    /// The directory at `root`, which must exist.
    pub fn open(root: &Path) -> Result<ReadDirectory, OpenDirectoryError> {
        Ok(ReadDirectory {
            inner: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
        })
    }
}

/// True for the segment files a merge streams through.
fn is_streamed(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("idx" | "pos" | "store")
    )
}

impl Directory for ReadDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if !is_streamed(path) {
            return self.inner.get_file_handle(path);
        }
        let full = self.root.join(path);
        let file = File::open(&full).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                OpenReadError::FileDoesNotExist(path.to_path_buf())
            } else {
                OpenReadError::wrap_io_error(e, path.to_path_buf())
            }
        })?;
        let len = file
            .metadata()
            .map_err(|e| OpenReadError::wrap_io_error(e, path.to_path_buf()))?
            .len() as usize;
        Ok(Arc::new(ReadFile {
            file,
            len,
            window: Mutex::new(Window::default()),
        }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// The bytes last read ahead and where they start in the file.
#[derive(Default)]
struct Window {
    start: usize,
    bytes: Vec<u8>,
}

/// An open segment file read with positioned reads. The descriptor stays
/// open while tantivy holds the handle, so a file deleted meanwhile (a
/// merged segment) still reads as it was, as a mapping would.
struct ReadFile {
    file: File,
    len: usize,
    window: Mutex<Window>,
}

impl fmt::Debug for ReadFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadFile").field("len", &self.len).finish()
    }
}

impl HasLen for ReadFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl ReadFile {
    fn read_at(&self, buf: &mut [u8], offset: usize) -> io::Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileExt;
            self.file.read_exact_at(buf, offset as u64)
        }
        #[cfg(windows)]
        {
            use std::os::windows::fs::FileExt;
            let mut done = 0;
            while done < buf.len() {
                let n = self
                    .file
                    .seek_read(&mut buf[done..], (offset + done) as u64)?;
                if n == 0 {
                    return Err(io::ErrorKind::UnexpectedEof.into());
                }
                done += n;
            }
            Ok(())
        }
    }
}

impl FileHandle for ReadFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.start >= range.end {
            return Ok(OwnedBytes::empty());
        }
        if range.end > self.len {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("read of {range:?} past the end ({} bytes)", self.len),
            ));
        }
        let n = range.end - range.start;
        if n > WINDOW / 4 {
            let mut buf = vec![0u8; n];
            self.read_at(&mut buf, range.start)?;
            return Ok(OwnedBytes::new(buf));
        }
        let mut w = self.window.lock().unwrap_or_else(|e| e.into_inner());
        let held = w.start..w.start + w.bytes.len();
        if range.start < held.start || range.end > held.end {
            let take = WINDOW.min(self.len - range.start);
            w.bytes.resize(take, 0);
            w.start = range.start;
            let Window { start, bytes } = &mut *w;
            if let Err(e) = self.read_at(bytes, *start) {
                w.bytes.clear();
                return Err(e);
            }
        }
        let from = range.start - w.start;
        Ok(OwnedBytes::new(w.bytes[from..from + n].to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handle(dir: &Path, name: &str, data: &[u8]) -> Arc<dyn FileHandle> {
        std::fs::write(dir.join(name), data).unwrap();
        let d = ReadDirectory::open(dir).unwrap();
        d.get_file_handle(Path::new(name)).unwrap()
    }

    #[test]
    fn reads_what_the_mapping_reads() {
        let dir = tempfile::tempdir().unwrap();
        let data: Vec<u8> = (0..3 * WINDOW + 17).map(|i| (i * 31 % 251) as u8).collect();
        let read = handle(dir.path(), "a.idx", &data);
        let mapped = MmapDirectory::open(dir.path())
            .unwrap()
            .get_file_handle(Path::new("a.idx"))
            .unwrap();
        assert_eq!(read.len(), data.len());
        // Forward, backward, across window ends, large, at the end, empty.
        let ranges = [
            0..10,
            5..WINDOW,
            WINDOW - 3..WINDOW + 3,
            100..90_000,
            2..3,
            0..data.len(),
            data.len() - 1..data.len(),
            7..7,
        ];
        for r in ranges {
            assert_eq!(
                read.read_bytes(r.clone()).unwrap().as_slice(),
                mapped.read_bytes(r.clone()).unwrap().as_slice(),
                "{r:?}"
            );
        }
        assert!(read.read_bytes(0..data.len() + 1).is_err());
    }

    #[test]
    fn other_files_stay_mapped_and_missing_ones_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let h = handle(dir.path(), "a.term", b"abc");
        assert_eq!(h.read_bytes(1..3).unwrap().as_slice(), b"bc");
        let d = ReadDirectory::open(dir.path()).unwrap();
        assert!(matches!(
            d.get_file_handle(Path::new("gone.pos")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
    }

    #[test]
    fn a_deleted_file_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        let h = handle(dir.path(), "b.store", b"stored text");
        std::fs::remove_file(dir.path().join("b.store")).unwrap();
        assert_eq!(h.read_bytes(0..6).unwrap().as_slice(), b"stored");
    }
}
