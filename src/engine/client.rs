//! A minimal client of the MySQL protocol, the part SphinxQL speaks: the
//! handshake (protocol 10; Sphinx and Manticore ask no password), text
//! queries (`COM_QUERY`), their result sets (column names, rows of text
//! values or NULL), OK and ERR packets. No TLS, no prepared statements, no
//! compression. Every read and write has a timeout, so a dead engine is an
//! error, never a hang.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use anyhow::{bail, Context, Result};

/// The rows a query returned.
#[derive(Debug, Default)]
pub struct Rows {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, each value as text (`None` for NULL).
    pub rows: Vec<Vec<Option<String>>>,
}

impl Rows {
    /// The index of column `name`.
    pub fn column(&self, name: &str) -> Result<usize> {
        match self.columns.iter().position(|c| c == name) {
            Some(i) => Ok(i),
            None => bail!("the engine's answer has no column {name:?}"),
        }
    }
}

/// One connection.
pub struct Client {
    stream: TcpStream,
    seq: u8,
    /// `host:port`, for messages.
    addr: String,
    /// True once the connection was lost (not a timeout, not an error
    /// the engine answered): it cannot be used again.
    lost: bool,
}

/// Longest payload of one packet; a longer one continues in the next.
const MAX_PAYLOAD: usize = 0xFF_FFFF;

/// `CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION`.
const CAPABILITIES: u32 = 0x1 | 0x200 | 0x8000;

/// utf8_general_ci.
const CHARSET: u8 = 33;

impl Client {
    /// Connects to `addr` (`host:port`) and shakes hands.
    pub fn connect(addr: &str, timeout: Duration) -> Result<Client> {
        let sock = addr
            .to_socket_addrs()
            .with_context(|| format!("{addr}: cannot resolve"))?
            .next()
            .with_context(|| format!("{addr}: cannot resolve"))?;
        let stream = TcpStream::connect_timeout(&sock, timeout)
            .with_context(|| format!("{addr}: cannot connect to the engine"))?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        stream.set_nodelay(true)?;
        let mut c = Client {
            stream,
            seq: 0,
            addr: addr.to_string(),
            lost: false,
        };
        let greeting = c.read_packet()?;
        match greeting.first() {
            Some(10) => {}
            Some(0xFF) => bail!("{addr}: {}", error_text(&greeting)),
            _ => bail!("{addr}: not a MySQL-protocol server (SphinxQL listener expected)"),
        }
        let mut hello = Vec::with_capacity(64);
        hello.extend_from_slice(&CAPABILITIES.to_le_bytes());
        hello.extend_from_slice(&(MAX_PAYLOAD as u32).to_le_bytes());
        hello.push(CHARSET);
        hello.extend_from_slice(&[0u8; 23]);
        hello.extend_from_slice(b"newsidx\0");
        hello.push(0);
        c.write_packet(&hello)?;
        let ok = c.read_packet()?;
        if ok.first() == Some(&0xFF) {
            bail!("{addr}: {}", error_text(&ok));
        }
        Ok(c)
    }

    fn io_error(&mut self, e: std::io::Error) -> anyhow::Error {
        match e.kind() {
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
                anyhow::anyhow!("{}: the engine did not answer in time", self.addr)
            }
            _ => {
                self.lost = true;
                anyhow::anyhow!("{}: connection to the engine lost: {e}", self.addr)
            }
        }
    }

    /// True when the connection was lost (closed or reset by the engine,
    /// e.g. a restarted head): a new one may succeed where it failed.
    pub fn lost(&self) -> bool {
        self.lost
    }

    /// Reads one logical packet (joining continued ones).
    fn read_packet(&mut self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            let mut head = [0u8; 4];
            if let Err(e) = self.stream.read_exact(&mut head) {
                return Err(self.io_error(e));
            }
            let len = usize::from(head[0]) | usize::from(head[1]) << 8 | usize::from(head[2]) << 16;
            self.seq = head[3].wrapping_add(1);
            let start = out.len();
            out.resize(start + len, 0);
            if let Err(e) = self.stream.read_exact(&mut out[start..]) {
                return Err(self.io_error(e));
            }
            if len < MAX_PAYLOAD {
                return Ok(out);
            }
        }
    }

    /// Writes one logical packet (split where longer than one).
    fn write_packet(&mut self, payload: &[u8]) -> Result<()> {
        let mut buf = Vec::with_capacity(payload.len() + 8);
        let mut rest = payload;
        loop {
            let n = rest.len().min(MAX_PAYLOAD);
            buf.extend_from_slice(&(n as u32).to_le_bytes()[..3]);
            buf.push(self.seq);
            self.seq = self.seq.wrapping_add(1);
            buf.extend_from_slice(&rest[..n]);
            rest = &rest[n..];
            if n < MAX_PAYLOAD {
                break;
            }
        }
        match self.stream.write_all(&buf) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.io_error(e)),
        }
    }

    /// Runs `sql`; its rows (none for a statement that returns none). An
    /// error of the engine is an error naming the engine.
    pub fn query(&mut self, sql: &str) -> Result<Rows> {
        self.seq = 0;
        let mut p = Vec::with_capacity(sql.len() + 1);
        p.push(3);
        p.extend_from_slice(sql.as_bytes());
        self.write_packet(&p)?;
        let first = self.read_packet()?;
        match first.first() {
            Some(0x00) => return Ok(Rows::default()),
            Some(0xFF) => bail!("{}: {}", self.addr, error_text(&first)),
            None => bail!("{}: empty answer from the engine", self.addr),
            _ => {}
        }
        let mut at = 0;
        let n = lenenc_int(&first, &mut at).context("a malformed answer from the engine")?;
        let mut rows = Rows::default();
        for _ in 0..n {
            let def = self.read_packet()?;
            rows.columns.push(column_name(&def)?);
        }
        let eof = self.read_packet()?;
        if !is_eof(&eof) {
            bail!("{}: a malformed answer from the engine", self.addr);
        }
        loop {
            let p = self.read_packet()?;
            if is_eof(&p) {
                return Ok(rows);
            }
            if p.first() == Some(&0xFF) {
                bail!("{}: {}", self.addr, error_text(&p));
            }
            rows.rows.push(row_values(&p, rows.columns.len())?);
        }
    }
}

fn is_eof(p: &[u8]) -> bool {
    p.first() == Some(&0xFE) && p.len() < 9
}

/// The message of an ERR packet.
fn error_text(p: &[u8]) -> String {
    let rest = p.get(3..).unwrap_or_default();
    let rest = match rest.first() {
        Some(b'#') => rest.get(6..).unwrap_or_default(),
        _ => rest,
    };
    String::from_utf8_lossy(rest).trim().to_string()
}

/// A length-encoded integer at `*at`.
fn lenenc_int(p: &[u8], at: &mut usize) -> Option<u64> {
    let first = *p.get(*at)?;
    *at += 1;
    let width = match first {
        0..=0xFA => return Some(u64::from(first)),
        0xFC => 2,
        0xFD => 3,
        0xFE => 8,
        _ => return None,
    };
    let bytes = p.get(*at..*at + width)?;
    *at += width;
    Some(
        bytes
            .iter()
            .rev()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
    )
}

/// A length-encoded string at `*at` (`None` inside for NULL).
fn lenenc_str(p: &[u8], at: &mut usize) -> Result<Option<String>> {
    if p.get(*at) == Some(&0xFB) {
        *at += 1;
        return Ok(None);
    }
    let bad = || anyhow::anyhow!("a malformed row from the engine");
    let len = usize::try_from(lenenc_int(p, at).ok_or_else(bad)?)?;
    let bytes = p.get(*at..*at + len).ok_or_else(bad)?;
    *at += len;
    Ok(Some(String::from_utf8_lossy(bytes).into_owned()))
}

/// The name of a column definition (catalog, schema, table, org_table,
/// then name).
fn column_name(def: &[u8]) -> Result<String> {
    let mut at = 0;
    for _ in 0..4 {
        lenenc_str(def, &mut at)?;
    }
    Ok(lenenc_str(def, &mut at)?.unwrap_or_default())
}

fn row_values(p: &[u8], n: usize) -> Result<Vec<Option<String>>> {
    let mut at = 0;
    (0..n).map(|_| lenenc_str(p, &mut at)).collect()
}

/// `s` quoted as a SphinxQL string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\0' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_encoded_values() {
        let p = [3, b'a', b'b', b'c', 0xFB, 0xFC, 2, 0, b'x', b'y'];
        let mut at = 0;
        let got: Vec<Option<String>> = (0..3)
            .map(|_| lenenc_str(&p, &mut at).ok().flatten())
            .collect();
        assert_eq!(got, [Some("abc".into()), None, Some("xy".into())]);
        assert!(lenenc_str(&[5, b'a'], &mut 0).is_err(), "cut short");
        let err = [
            0xFF, 0x28, 0x04, b'#', b'4', b'2', b'0', b'0', b'0', b'b', b'a', b'd',
        ];
        assert_eq!(error_text(&err), "bad");
        assert_eq!(quote("a'b\\c"), "'a\\'b\\\\c'");
    }
}
