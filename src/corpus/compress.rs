//! Compressed files (`.gz`, `.zst`, `.bz2`), decompressed as a stream.
//!
//! The compression is recognised by its magic bytes, not by the name, so a
//! mislabelled file still reads; the name without the compression suffix
//! (`day.jsonl.gz` → `day.jsonl`) then decides the inner format. Nothing is
//! unpacked to disk.

use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// A compression wrapper around a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// gzip (one or more members).
    Gzip,
    /// Zstandard.
    Zstd,
    /// bzip2.
    Bzip2,
}

impl Compression {
    /// Short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Bzip2 => "bzip2",
        }
    }
}

/// The compression of data starting with `head`, from its magic bytes.
pub fn sniff(head: &[u8]) -> Option<Compression> {
    if head.starts_with(&[0x1F, 0x8B]) {
        Some(Compression::Gzip)
    } else if head.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
        Some(Compression::Zstd)
    } else if head.len() >= 4 && head.starts_with(b"BZh") && (b'1'..=b'9').contains(&head[3]) {
        Some(Compression::Bzip2)
    } else {
        None
    }
}

/// The compression a file name announces.
pub fn by_extension(path: &Path) -> Option<Compression> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "gz" | "gzip" => Some(Compression::Gzip),
        "zst" | "zstd" => Some(Compression::Zstd),
        "bz2" => Some(Compression::Bzip2),
        _ => None,
    }
}

/// `path` without its compression suffix (`a.jsonl.gz` → `a.jsonl`).
pub fn inner_name(path: &Path) -> PathBuf {
    if by_extension(path).is_some() {
        path.with_extension("")
    } else {
        path.to_path_buf()
    }
}

/// Wraps `r` in the decompressor for `c`.
pub fn decompress<'a>(c: Compression, r: Box<dyn Read + 'a>) -> io::Result<Box<dyn Read + 'a>> {
    Ok(match c {
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(r)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(r)?),
        Compression::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(r)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn unpack(c: Compression, packed: Vec<u8>) -> String {
        assert_eq!(sniff(&packed), Some(c));
        let mut out = String::new();
        decompress(c, Box::new(io::Cursor::new(packed)))
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn all_three_round_trip() {
        let text = "春雨贵如油。".repeat(100);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(text.as_bytes()).unwrap();
        assert_eq!(unpack(Compression::Gzip, gz.finish().unwrap()), text);
        let zs = zstd::encode_all(text.as_bytes(), 1).unwrap();
        assert_eq!(unpack(Compression::Zstd, zs), text);
        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
        bz.write_all(text.as_bytes()).unwrap();
        assert_eq!(unpack(Compression::Bzip2, bz.finish().unwrap()), text);
    }

    #[test]
    fn inner_names() {
        assert_eq!(
            inner_name(Path::new("d/a.jsonl.gz")),
            Path::new("d/a.jsonl")
        );
        assert_eq!(inner_name(Path::new("a.txt")), Path::new("a.txt"));
        assert_eq!(
            by_extension(Path::new("a.TSV.ZST")),
            Some(Compression::Zstd)
        );
    }
}
