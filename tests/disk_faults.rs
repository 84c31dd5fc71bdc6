//! A full disk and a read-only index folder: `index` stops with one line
//! naming the index folder and the fault, and the index still answers with
//! everything of its last commit.
//!
//! The tests mount a tmpfs of a few MB (Linux, as root); where that cannot
//! be done they say so on stderr and pass.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Env, Run};

/// A tmpfs mounted on a folder of the test's own, unmounted when dropped
/// (also when the test fails).
struct SmallDisk {
    dir: PathBuf,
}

impl SmallDisk {
    /// A tmpfs of `kb` KB at `env/disk`; `None`, with a visible message,
    /// where it cannot be mounted (not root, no CAP_SYS_ADMIN, no tmpfs).
    fn mount(env: &Env, kb: u64, test: &str) -> Option<SmallDisk> {
        let dir = env.path().join("disk");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let ok = cfg!(target_os = "linux")
            && Command::new("mount")
                .args(["-t", "tmpfs", "-o", &format!("size={kb}k"), "tmpfs"])
                .arg(&dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("SKIPPED: {test}: cannot mount a small tmpfs here (needs root on Linux)");
            return None;
        }
        Some(SmallDisk { dir })
    }

    /// Makes the file system read-only.
    fn remount_read_only(&self) -> bool {
        Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let unmounted = Command::new("umount")
            .arg(&self.dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            // Still busy (a child the test killed): detach it now, it goes
            // when the last user does.
            let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        }
    }
}

/// Runs the binary in `env`, killing it (and failing the test) when it
/// has not ended within `limit`: a run that hangs on a full disk is a bug.
fn run_bounded(env: &Env, args: &[&str], limit: Duration) -> Run {
    let mut running = env.spawn(args);
    let start = Instant::now();
    let status = loop {
        if let Some(s) = running.child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > limit {
            let _ = running.child.kill();
            let _ = running.child.wait();
            panic!(
                "newsidx {args:?} still running after {limit:?}; stderr so far: {}",
                running.stderr()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    running.finish(status)
}

/// Two small articles, committed first.
fn write_small(env: &Env) {
    env.write("small/a.txt", "江豚回来了\n\n长江江豚的数量今年明显回升。");
    env.write("small/b.txt", "春耕开始了\n\n北方的农民开始春耕备播。");
}

/// JSON Lines of articles of pseudo-random CJK text (distinct characters
/// everywhere, so the index is large: far more than 4 MB for these 1.2 MB
/// of text), the word 白鹤 in the first.
fn write_big(env: &Env) {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut cjk = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        char::from_u32(0x4e00 + (state % 0x51a0) as u32).unwrap_or('中')
    };
    for f in 0..2 {
        let mut text = String::new();
        for a in 0..350 {
            let title: String = (0..8).map(|_| cjk()).collect();
            let mut body: String = (0..600).map(|_| cjk()).collect();
            if f == 0 && a == 0 {
                body.push_str("白鹤");
            }
            text.push_str(&serde_json::json!({"title": title, "body": body}).to_string());
            text.push('\n');
        }
        env.write(&format!("big/f{f}.jsonl"), text);
    }
}

/// The names in the index folder, lock files aside.
fn index_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list index")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock"))
        .collect();
    names.sort();
    names
}

/// The index at `disk/idx` answers with the two small articles and
/// nothing else.
fn assert_first_commit_answers(env: &Env) {
    for (word, path) in [("江豚", "small/a.txt"), ("春耕", "small/b.txt")] {
        let r = env.run(&["search", "-i", "disk/idx", "--json", word]);
        assert_eq!(r.code, 0, "{word}: {}", r.stderr);
        assert_eq!(r.hit_strings("path"), [path], "{word}");
    }
    let r = env.run(&["search", "-i", "disk/idx", "白鹤"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let r = env.run(&["stats", "-i", "disk/idx", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let st: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("stats json");
    assert_eq!(st["articles"], 2, "{st}");
}

/// Asserts the one line of a run stopped by `fault`.
fn assert_one_line(r: &Run, fault: &str) {
    assert_eq!(r.code, 2, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    let line = r.stderr.trim();
    assert!(
        line.starts_with("newsidx: disk/idx: ") && line.contains(fault),
        "{fault:?} not said: {line}"
    );
    assert!(line.ends_with("the index keeps its last commit"), "{line}");
    for noise in ["panicked", "killed", "thread", "Internal error"] {
        assert!(!line.contains(noise), "{line}");
    }
}

const LIMIT: Duration = Duration::from_secs(180);

#[test]
fn a_full_disk_stops_index_with_one_line_and_keeps_the_last_commit() {
    let env = Env::new();
    let Some(disk) = SmallDisk::mount(&env, 4096, "disk full") else {
        return;
    };
    write_small(&env);
    let r = run_bounded(&env, &["index", "-i", "disk/idx", "small"], LIMIT);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let idx = disk.dir.join("idx");
    let files = index_files(&idx);
    let meta = std::fs::read(idx.join("meta.json")).expect("meta.json");

    write_big(&env);
    // Both ways the disk fills: while a segment is flushed part way
    // (a small writer budget) and at the commit (a large one).
    for heap in ["20", "300"] {
        let r = run_bounded(
            &env,
            &["index", "-i", "disk/idx", "--heap", heap, "big"],
            LIMIT,
        );
        assert_one_line(&r, "disk full (no space left on device)");
        assert_first_commit_answers(&env);
        // The commit is untouched and no file of the failed run is left
        // behind to keep the disk full.
        assert_eq!(
            std::fs::read(idx.join("meta.json")).ok(),
            Some(meta.clone())
        );
        assert_eq!(index_files(&idx), files, "--heap {heap}");
    }
    // The next run knows what the index holds.
    let r = run_bounded(&env, &["index", "-i", "disk/idx", "small"], LIMIT);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("from 0 files") && r.stderr.contains("2 unchanged"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_read_only_index_folder_stops_index_with_one_line_and_still_answers() {
    let env = Env::new();
    let Some(disk) = SmallDisk::mount(&env, 4096, "read-only index") else {
        return;
    };
    write_small(&env);
    let r = run_bounded(&env, &["index", "-i", "disk/idx", "small"], LIMIT);
    assert_eq!(r.code, 0, "{}", r.stderr);
    if !disk.remount_read_only() {
        eprintln!("SKIPPED: read-only index: cannot remount the tmpfs read-only");
        return;
    }
    write_big(&env);
    let r = run_bounded(&env, &["index", "-i", "disk/idx", "big"], LIMIT);
    assert_one_line(&r, "read-only file system");
    assert!(!r.stderr.contains("locked"), "{}", r.stderr);
    // Searching needs no write access (tantivy's reader lock file is
    // skipped where it cannot be opened).
    assert_first_commit_answers(&env);
    let r = env.run(&["count", "-i", "disk/idx", "江豚"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A new index there cannot be made either: one line, nothing kept.
    let r = run_bounded(&env, &["index", "-i", "disk/new", "small"], LIMIT);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("disk/new") && r.stderr.contains("read-only file system"),
        "{}",
        r.stderr
    );
}
