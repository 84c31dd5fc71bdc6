//! Bytes to text.

use std::borrow::Cow;

use anyhow::{bail, Result};

/// Decodes `bytes` as UTF-8 (a BOM is dropped). Invalid sequences become
/// U+FFFD with one warning; data with NUL bytes is refused as binary.
pub fn decode<'a>(
    bytes: &'a [u8],
    display: &str,
    warnings: &mut Vec<String>,
) -> Result<(Cow<'a, str>, &'static str)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().take(8192).any(|&b| b == 0) {
        bail!("{display}: binary file (NUL bytes)");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), "UTF-8")),
        Err(_) => {
            warnings.push(format!(
                "{display}: invalid UTF-8 bytes replaced with U+FFFD"
            ));
            Ok((String::from_utf8_lossy(bytes), "UTF-8"))
        }
    }
}
