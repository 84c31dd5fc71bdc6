//! Load generator for `newsidx serve`: N clients on keep-alive
//! connections send sampled one- and two-word searches for a fixed time,
//! on loopback only.
//!
//! ```text
//! cargo run --release --example serve_load -- --addr 127.0.0.1:7700 \
//!     --words bench/out/serve_words.txt --clients 32 --secs 60 --pid PID
//! ```
//!
//! Each request is `GET /api/search?q=…` with the API's defaults (10 hits,
//! 3 passages each, facets). Queries are drawn with a fixed seed: half one
//! word, half two words. With `--questions FILE --headlines FILE` (one
//! query a line) the mix is half keywords (one or two words), a quarter
//! questions and a quarter headlines, and the latency of each kind is
//! reported too. Prints one JSON object on stdout: searches per
//! second, latency percentiles (ms), errors (any status but 200, or a
//! broken connection), and the server's resident memory (VmRSS of
//! `--pid`) sampled every second, averaged over the first and the last 10
//! seconds.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod common;
use common::Rng;

const USAGE: &str = "usage: serve_load --addr HOST:PORT --words FILE [--questions FILE --headlines FILE] [--clients N] [--secs S] [--pid PID] [--seed S] [--token T]";

/// The kinds of query of the mix, in the order of the report.
const KINDS: [&str; 3] = ["keywords", "questions", "headlines"];

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

struct Opts {
    addr: SocketAddr,
    words: Vec<String>,
    /// Questions and headlines, when the mix is asked for.
    mix: Option<(Vec<String>, Vec<String>)>,
    clients: usize,
    secs: u64,
    pid: Option<u32>,
    seed: u64,
    token: Option<String>,
}

fn parse() -> Result<Opts, String> {
    let mut args = std::env::args().skip(1);
    let (mut addr, mut words, mut clients, mut secs, mut pid, mut seed, mut token) =
        (None, None, 32, 60, None, 42, None);
    let (mut questions, mut headlines) = (None, None);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a}: needs a value"));
        match a.as_str() {
            "--addr" => addr = Some(val()?),
            "--words" => words = Some(val()?),
            "--questions" => questions = Some(val()?),
            "--headlines" => headlines = Some(val()?),
            "--clients" => clients = val()?.parse().map_err(|e| format!("--clients: {e}"))?,
            "--secs" => secs = val()?.parse().map_err(|e| format!("--secs: {e}"))?,
            "--pid" => pid = Some(val()?.parse().map_err(|e| format!("--pid: {e}"))?),
            "--seed" => seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--token" => token = Some(val()?),
            _ => return Err(USAGE.to_string()),
        }
    }
    let addr = addr.ok_or(USAGE)?;
    let addr: SocketAddr = addr
        .to_socket_addrs()
        .map_err(|e| format!("{addr}: {e}"))?
        .next()
        .ok_or_else(|| format!("{addr}: no address"))?;
    // A load test only ever targets this machine.
    if !addr.ip().is_loopback() {
        return Err(format!("{addr}: not a loopback address; refusing"));
    }
    let words = lines(&words.ok_or(USAGE)?)?;
    let mix = match (questions, headlines) {
        (Some(q), Some(h)) => Some((lines(&q)?, lines(&h)?)),
        (None, None) => None,
        _ => return Err("--questions and --headlines go together".to_string()),
    };
    if !(1..=1024).contains(&clients) || !(1..=3600).contains(&secs) {
        return Err("--clients 1..1024, --secs 1..3600".to_string());
    }
    Ok(Opts {
        addr,
        words,
        mix,
        clients,
        secs,
        pid,
        seed,
        token,
    })
}

/// The non-empty lines of the file at `path`.
fn lines(path: &str) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if lines.is_empty() {
        return Err(format!("{path}: no queries"));
    }
    Ok(lines)
}

/// The `i`-th query of the run and its kind (an index into [`KINDS`]):
/// keywords, one word or two; with the mix, every fourth a question and
/// every fourth a headline.
fn query(o: &Opts, rng: &mut Rng, i: usize) -> (usize, String) {
    let w = &o.words;
    match (&o.mix, i % 4) {
        (Some((q, _)), 2) => (1, q[rng.below(q.len())].clone()),
        (Some((_, h)), 3) => (2, h[rng.below(h.len())].clone()),
        (_, k) if k % 2 == 0 => (0, w[rng.below(w.len())].clone()),
        _ => (
            0,
            format!("{} {}", w[rng.below(w.len())], w[rng.below(w.len())]),
        ),
    }
}

/// One request on a keep-alive connection: the status and the latency.
fn one(
    conn: &mut Option<BufReader<TcpStream>>,
    addr: SocketAddr,
    req: &[u8],
) -> std::io::Result<u16> {
    if conn.is_none() {
        let s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        *conn = Some(BufReader::new(s));
    }
    let Some(r) = conn.as_mut() else {
        return Err(std::io::Error::other("no connection"));
    };
    r.get_mut().write_all(req)?;
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut len = None;
    let mut close = false;
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Err(std::io::Error::other("connection closed"));
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse::<usize>().ok();
            } else if k.eq_ignore_ascii_case("connection") && v.trim() == "close" {
                close = true;
            }
        }
    }
    let len = len.ok_or_else(|| std::io::Error::other("no Content-Length"))?;
    let mut body = vec![0; len];
    r.read_exact(&mut body)?;
    if close {
        *conn = None;
    }
    Ok(status)
}

fn rss_kb(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

fn pct(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)] as f64 / 1000.0
}

fn main() -> ExitCode {
    let o = match parse() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("serve_load: {e}");
            return ExitCode::from(2);
        }
    };
    let mut rng = Rng(o.seed.max(1));
    let auth = o
        .token
        .as_ref()
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let queries: Arc<Vec<(usize, String, Vec<u8>)>> = Arc::new(
        (0..20_000)
            .map(|i| {
                let (kind, q) = query(&o, &mut rng, i);
                let req = format!(
                    "GET /api/search?q={} HTTP/1.1\r\nHost: {}\r\n{auth}\r\n",
                    enc(&q),
                    o.addr
                );
                (kind, q, req.into_bytes())
            })
            .collect(),
    );
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(o.secs);
    let rss = {
        let stop = stop.clone();
        let pid = o.pid;
        std::thread::spawn(move || {
            let mut samples = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                if let Some(kb) = pid.and_then(rss_kb) {
                    samples.push((start.elapsed().as_secs_f64(), kb));
                }
                std::thread::sleep(Duration::from_secs(1));
            }
            samples
        })
    };
    let workers: Vec<_> = (0..o.clients)
        .map(|c| {
            let queries = queries.clone();
            let addr = o.addr;
            std::thread::spawn(move || {
                let mut lat = Vec::new();
                let mut errors = Vec::new();
                let mut conn = None;
                let mut i = c * 997;
                while Instant::now() < deadline {
                    let (kind, q, req) = &queries[i % queries.len()];
                    i += 1;
                    let t = Instant::now();
                    match one(&mut conn, addr, req) {
                        Ok(200) => {
                            lat.push((*kind, t.elapsed().as_micros().min(u32::MAX as u128) as u32))
                        }
                        Ok(s) => errors.push(format!("{q}: HTTP {s}")),
                        Err(e) => {
                            conn = None;
                            errors.push(format!("{q}: {e}"));
                        }
                    }
                }
                (lat, errors)
            })
        })
        .collect();
    let mut lat: Vec<(usize, u32)> = Vec::new();
    let mut errors = Vec::new();
    for w in workers {
        if let Ok((l, e)) = w.join() {
            lat.extend(l);
            errors.extend(e);
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    let samples = rss.join().unwrap_or_default();
    let by_kind = o.mix.as_ref().map(|_| {
        let kinds = KINDS.iter().enumerate().map(|(k, name)| {
            let mut l: Vec<u32> = lat.iter().filter(|x| x.0 == k).map(|x| x.1).collect();
            l.sort_unstable();
            let stats = serde_json::json!({
                "searches": l.len(),
                "p50_ms": pct(&l, 0.50),
                "p99_ms": pct(&l, 0.99),
            });
            (name.to_string(), stats)
        });
        serde_json::Value::Object(kinds.collect())
    });
    let mut lat: Vec<u32> = lat.into_iter().map(|x| x.1).collect();
    lat.sort_unstable();
    let avg = |v: Vec<u64>| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<u64>() as f64 / v.len() as f64 / 1024.0
        }
    };
    let secs = o.secs as f64;
    let first = avg(samples.iter().filter(|s| s.0 < 10.0).map(|s| s.1).collect());
    let last = avg(samples
        .iter()
        .filter(|s| s.0 >= secs - 10.0)
        .map(|s| s.1)
        .collect());
    let mut out = serde_json::json!({
        "clients": o.clients,
        "secs": elapsed,
        "searches": lat.len(),
        "searches_per_s": lat.len() as f64 / elapsed,
        "p50_ms": pct(&lat, 0.50),
        "p90_ms": pct(&lat, 0.90),
        "p99_ms": pct(&lat, 0.99),
        "max_ms": pct(&lat, 1.0),
        "errors": errors.len(),
        "first_errors": errors.iter().take(5).collect::<Vec<_>>(),
        "rss_first_10s_mb": first,
        "rss_last_10s_mb": last,
        "rss_max_mb": samples.iter().map(|s| s.1).max().unwrap_or(0) as f64 / 1024.0,
    });
    if let Some(k) = by_kind {
        out["by_kind"] = k;
    }
    println!("{out}");
    ExitCode::SUCCESS
}
