//! File names as text, losslessly.
//!
//! Linux file names are bytes. Names from old GBK archives unpacked as they
//! are (`n\xffx.txt`) are not UTF-8, and `to_string_lossy` turns every such
//! byte into U+FFFD, so two names that differ only there become one: one
//! file would overwrite the other in the manifest and in the article ids.
//! [`escape`] keeps them apart: valid UTF-8 stays as it is and every byte
//! that is not part of it becomes `\xHH`. A backslash is written `\\` only
//! where it could be read as the start of an escape (before `x` or before
//! another escape), so ordinary names, even with a backslash in them, are
//! shown unchanged. [`unescape`] gives the bytes back.

use std::path::{Path, PathBuf};

/// `path` as text: UTF-8 as is, other bytes as `\xHH` (see the module doc).
pub fn escape(path: &Path) -> String {
    escape_bytes(&path_bytes(path))
}

/// The escape of raw bytes.
pub fn escape_bytes(bytes: &[u8]) -> String {
    // Pieces first: a backslash is escaped when the piece after it starts
    // with `\` or `x`.
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    let mut pending_backslash = false;
    let flush = |out: &mut String, pending: &mut bool, next: Option<char>| {
        if std::mem::take(pending) {
            out.push_str(if matches!(next, Some('\\' | 'x')) {
                "\\\\"
            } else {
                "\\"
            });
        }
    };
    while !rest.is_empty() {
        let (valid, bad) = match std::str::from_utf8(rest) {
            Ok(s) => (s, None),
            Err(e) => {
                let (v, r) = rest.split_at(e.valid_up_to());
                // `v` is valid UTF-8 up to `valid_up_to`.
                let v = std::str::from_utf8(v).unwrap_or_default();
                let n = e.error_len().unwrap_or(r.len());
                (v, Some(&r[..n]))
            }
        };
        for c in valid.chars() {
            flush(&mut out, &mut pending_backslash, Some(c));
            if c == '\\' {
                pending_backslash = true;
            } else {
                out.push(c);
            }
        }
        rest = &rest[valid.len()..];
        if let Some(bad) = bad {
            for &b in bad {
                flush(&mut out, &mut pending_backslash, Some('\\'));
                out.push_str(&format!("\\x{b:02x}"));
            }
            rest = &rest[bad.len()..];
        }
    }
    flush(&mut out, &mut pending_backslash, None);
    out
}

/// The bytes an [`escape`]d text stands for.
pub fn unescape_bytes(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            if b.get(i + 1) == Some(&b'\\') {
                out.push(b'\\');
                i += 2;
                continue;
            }
            if b.get(i + 1) == Some(&b'x') {
                let hex = s
                    .get(i + 2..i + 4)
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(v) = hex {
                    out.push(v);
                    i += 4;
                    continue;
                }
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// The path an [`escape`]d text stands for.
pub fn unescape(s: &str) -> PathBuf {
    bytes_path(unescape_bytes(s))
}

#[cfg(unix)]
fn path_bytes(p: &Path) -> std::borrow::Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    std::borrow::Cow::Borrowed(p.as_os_str().as_bytes())
}

#[cfg(not(unix))]
fn path_bytes(p: &Path) -> std::borrow::Cow<'_, [u8]> {
    match p.to_string_lossy() {
        std::borrow::Cow::Borrowed(s) => std::borrow::Cow::Borrowed(s.as_bytes()),
        std::borrow::Cow::Owned(s) => std::borrow::Cow::Owned(s.into_bytes()),
    }
}

#[cfg(unix)]
fn bytes_path(b: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(b))
}

#[cfg(not(unix))]
fn bytes_path(b: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&b).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_not_utf8_stay_apart() {
        let a = escape_bytes(b"dir/n\xffx.txt");
        let b = escape_bytes(b"dir/n\xfex.txt");
        assert_eq!(a, "dir/n\\xffx.txt");
        assert_eq!(b, "dir/n\\xfex.txt");
        assert_eq!(unescape_bytes(&a), b"dir/n\xffx.txt");
    }

    #[test]
    fn ordinary_names_are_unchanged() {
        for s in ["新闻/2024-01-01.txt", "a\\b.txt", "end\\", "C:\\dir"] {
            assert_eq!(escape_bytes(s.as_bytes()), s);
            assert_eq!(unescape_bytes(s), s.as_bytes());
        }
    }

    #[test]
    fn a_backslash_that_looks_like_an_escape_is_doubled() {
        // The literal name `n\xffx` is not the byte 0xFF.
        let lit = escape_bytes(b"n\\xffx");
        assert_eq!(lit, "n\\\\xffx");
        assert_ne!(lit, escape_bytes(b"n\xffx"));
        assert_eq!(unescape_bytes(&lit), b"n\\xffx");
        // A backslash before an escaped byte.
        let e = escape_bytes(b"a\\\xff");
        assert_eq!(unescape_bytes(&e), b"a\\\xff");
        let e = escape_bytes(b"a\\\\b");
        assert_eq!(unescape_bytes(&e), b"a\\\\b");
    }
}
