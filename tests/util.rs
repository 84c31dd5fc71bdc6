//! Test helpers: a temporary folder, the real binary, JSON Lines parsing.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::thread::JoinHandle;

use serde_json::Value;

/// The binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_newsidx"))
}

/// A temporary working folder that is removed at the end of the test.
pub struct Env {
    pub dir: tempfile::TempDir,
}

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// JSON Lines of stdout.
    pub fn json(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
            .collect()
    }

    /// The hit lines of a `--json` search.
    pub fn hits(&self) -> Vec<Value> {
        self.json()
            .into_iter()
            .filter(|v| v["type"] == "hit")
            .collect()
    }

    /// The string field `key` of every hit, in rank order.
    pub fn hit_strings(&self, key: &str) -> Vec<String> {
        self.hits()
            .iter()
            .map(|h| {
                h[key]
                    .as_str()
                    .unwrap_or_else(|| panic!("hit without {key}: {h}"))
                    .to_string()
            })
            .collect()
    }

    /// The summary line of a `--json` search.
    pub fn summary(&self) -> Value {
        self.json()
            .into_iter()
            .find(|v| v["type"] == "summary")
            .unwrap_or_else(|| panic!("no summary in {}", self.stdout))
    }

    /// Asserts a clean error: exit 2, one line on stderr, no panic.
    pub fn assert_error(&self, needle: &str) {
        assert_eq!(
            self.code, 2,
            "stdout: {}\nstderr: {}",
            self.stdout, self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        assert_eq!(self.stderr.trim().lines().count(), 1, "{}", self.stderr);
        assert!(
            self.stderr.contains(needle),
            "{needle:?} not in {}",
            self.stderr
        );
    }
}

impl Env {
    /// A new empty folder.
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `content` to `rel`, creating folders.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, content).expect("write");
        p
    }

    /// Runs the binary in this folder with `args`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_cmd(Command::new(bin()).args(args))
    }

    /// Runs a prepared command in this folder.
    pub fn run_cmd(&self, cmd: &mut Command) -> Run {
        let out: Output = cmd
            .current_dir(self.path())
            .env_remove("NO_COLOR")
            .env_remove("NEWSIDX_INDEX")
            .output()
            .expect("run newsidx");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// The binary running in the background, its stdout and stderr read on
/// threads so that it never blocks on a full pipe.
pub struct Running {
    pub child: Child,
    out: JoinHandle<String>,
    err: JoinHandle<String>,
}

impl Env {
    /// Starts the binary in this folder with `args`, without waiting.
    pub fn spawn(&self, args: &[&str]) -> Running {
        let mut child = Command::new(bin())
            .args(args)
            .current_dir(self.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let out = drain(child.stdout.take().expect("stdout"));
        let err = drain(child.stderr.take().expect("stderr"));
        Running { child, out, err }
    }
}

impl Running {
    /// What it printed, now that it has ended with `status`.
    pub fn finish(self, status: ExitStatus) -> Run {
        Run {
            code: status.code().unwrap_or(-1),
            stdout: self.out.join().unwrap_or_default(),
            stderr: self.err.join().unwrap_or_default(),
        }
    }

    /// What it printed on stderr (once it has ended or been killed).
    pub fn stderr(self) -> String {
        self.err.join().unwrap_or_default()
    }
}

/// Reads `pipe` to the end on a thread.
fn drain(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        let _ = pipe.read_to_string(&mut s);
        s
    })
}

/// A path under `../shared/data`, or `None` (with a visible message) when
/// the shared data is not there.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "SKIPPED: {} is absent (shared test data not available)",
            p.display()
        );
        None
    }
}

/// Checks that every highlight of a hit slices its text to something that
/// contains one of `terms` (after simple normalisation).
pub fn assert_highlights(hit: &Value, terms: &[&str]) {
    let check = |text: &str, ranges: &Value| {
        for r in ranges.as_array().expect("ranges") {
            let (s, e) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            assert!(
                text.is_char_boundary(s) && text.is_char_boundary(e),
                "{text} {s}..{e}"
            );
            let m = text[s..e].to_lowercase();
            assert!(
                terms.iter().any(|t| m.contains(&t.to_lowercase())),
                "highlight {m:?} in {text}"
            );
        }
    };
    check(hit["title"].as_str().unwrap(), &hit["title_highlights"]);
    for p in hit["passages"].as_array().unwrap() {
        check(p["text"].as_str().unwrap(), &p["highlights"]);
    }
}
