//! Hostile input and a hostile machine: one-line errors, names that are not
//! UTF-8, huge records, compression bombs, a full or read-only disk.

use crate::util::Env;

#[test]
fn argument_errors_are_one_line_with_exit_2() {
    let env = Env::new();
    for (args, needle) in [
        (&["search", "--bogus", "x"][..], "--bogus"),
        (&["search", "-n", "abc", "x"], "abc"),
        (
            &["search", "--sort", "foo", "x"],
            "possible values: relevance, date",
        ),
        (&["search"], "<QUERY>"),
        (&["index", "--heap"], "--heap"),
        (&["frob"], "frob"),
        (&["stats", "--json", "extra"], "extra"),
    ] {
        let r = env.run(args);
        r.assert_error(needle);
        assert!(r.stderr.starts_with("newsidx: "), "{}", r.stderr);
        assert!(!r.stderr.contains("Usage:"), "{}", r.stderr);
    }
    let r = env.run(&["search", "-n", "abc", "x"]);
    assert!(r.stderr.contains("newsidx search --help"), "{}", r.stderr);
    // Help and version stay as clap prints them.
    let help = env.run(&["search", "--help"]);
    assert_eq!(help.code, 0);
    assert!(
        help.stdout.contains("Usage: newsidx search"),
        "{}",
        help.stdout
    );
    assert!(help.stdout.lines().count() > 5);
    let v = env.run(&["--version"]);
    assert_eq!((v.code, v.stdout.trim()), (0, "newsidx 0.1.0"));
}

#[test]
fn a_query_with_nothing_searchable_says_so() {
    let env = Env::new();
    env.write(
        "c/a.jsonl",
        "{\"title\":\"测试\",\"body\":\"人工智能新闻\"}\n",
    );
    assert_eq!(env.run(&["index", "-q", "c"]).code, 0);
    for q in ["((", "*", "🙂", "   ", "-((", "“”"] {
        let r = env.run(&["search", "--", q]);
        r.assert_error("nothing to search for");
        assert!(!r.stderr.contains("excluded"), "{q}: {}", r.stderr);
    }
    env.run(&["search", "--", "-人工"])
        .assert_error("only excluded terms");
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_stay_apart() {
    use std::os::unix::ffi::OsStrExt;
    let env = Env::new();
    let dir = env.path().join("c");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &[u8], text: &str| {
        let p = dir.join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(p, text).unwrap();
    };
    write(b"n\xffx.txt", "江豚回来了\n\n长江江豚的数量今年明显回升。");
    write(b"n\xfex.txt", "春耕开始了\n\n北方的农民开始春耕备播。");
    let r = env.run(&["index", "c"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("from 2 files"), "{}", r.stderr);
    for (word, name) in [("江豚", "c/n\\xffx.txt"), ("春耕", "c/n\\xfex.txt")] {
        let s = env.run(&["search", word, "--json"]);
        assert_eq!(s.code, 0, "{word}: {}", s.stderr);
        assert_eq!(s.hit_strings("path"), [name], "{word}");
        let id = &s.hit_strings("id")[0];
        assert!(id.starts_with(name), "{id}");
    }
    // A re-run finds both unchanged.
    let r = env.run(&["index", "c"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("from 0 files") && r.stderr.contains("2 unchanged"),
        "{}",
        r.stderr
    );
    // Deleting one removes only its articles.
    std::fs::remove_file(dir.join(std::ffi::OsStr::from_bytes(b"n\xfex.txt"))).unwrap();
    let r = env.run(&["index", "c"]);
    assert!(r.stderr.contains("1 removed"), "{}", r.stderr);
    assert_eq!(env.run(&["search", "春耕"]).code, 1);
    assert_eq!(env.run(&["search", "江豚"]).code, 0);
}

#[test]
fn characters_beyond_the_basic_plane_are_searchable() {
    // Found by bench/fuzz.sh: a query of one CJK extension B character
    // failed with "Invalid regex: Empty match operators are not allowed".
    let env = Env::new();
    env.write("c/a.txt", "古字\n\n这个古字𠀀见于字书。");
    env.write("c/b.txt", "单字\n\n𠀀");
    assert_eq!(env.run(&["index", "-q", "c"]).code, 0);
    for q in ["𠀀", "\"字𠀀见\"", "𠀀<p>"] {
        let r = env.run(&["search", q, "--json"]);
        assert_ne!(r.code, 2, "{q}: {}", r.stderr);
    }
    let r = env.run(&["search", "𠀀", "--json"]);
    let mut paths = r.hit_strings("path");
    paths.sort();
    assert_eq!(paths, ["c/a.txt", "c/b.txt"], "{}", r.stderr);
    let r = env.run(&["search", "\"字𠀀见\"", "--json"]);
    assert_eq!(r.hit_strings("path"), ["c/a.txt"]);
}

/// Runs the binary with `args` in `env`, polling the child's peak resident
/// memory (`VmHWM` of `/proc/PID/status`); `None` for the peak where
/// `/proc` is not there.
fn run_measured(env: &Env, args: &[&str]) -> (crate::util::Run, Option<u64>) {
    let mut running = env.spawn(args);
    let status_file = format!("/proc/{}/status", running.child.id());
    let mut peak: Option<u64> = None;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            let kb = text
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok());
            if let Some(kb) = kb {
                peak = Some(peak.unwrap_or(0).max(kb * 1024));
            }
        }
        if let Some(s) = running.child.try_wait().expect("wait") {
            break s;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    (running.finish(status), peak)
}

/// The documented allowance over `--heap` (README, "Memory").
const ALLOWANCE: u64 = 300 << 20;

#[test]
fn a_50_mb_single_line_file_stays_within_the_memory_allowance() {
    let env = Env::new();
    // 50 MB of Chinese text on one line, written without holding it twice.
    let sentence = "新华社北京电记者从有关部门获悉今年以来各地经济运行总体平稳";
    let line = sentence.repeat(50_000_000 / sentence.len() + 1);
    env.write("c/huge.txt", &line[..50_000_000 - 50_000_000 % 3]);
    drop(line);
    env.write("c/small.txt", "江豚回来了\n\n长江江豚的数量今年明显回升。");
    let (r, peak) = run_measured(&env, &["index", "c", "--heap", "64"]);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("c/huge.txt: article c/huge.txt holds 50.0 MB of text"),
        "{}",
        r.stderr
    );
    assert_eq!(env.run(&["search", "江豚"]).code, 0, "the run went on");
    match peak {
        Some(p) => assert!(
            p <= (64 << 20) + ALLOWANCE,
            "peak {} MB over --heap 64 + 300 MB",
            p >> 20
        ),
        None => eprintln!("SKIPPED: peak memory not measured (no /proc)"),
    }
}

#[test]
fn a_gzip_bomb_costs_one_warning_and_bounded_memory() {
    use std::io::Write;
    let env = Env::new();
    // 256 MB of text, one line, in well under 1 MB of gzip (the same for
    // JSON Lines: one line far past the record limit).
    let chunk = "新华社北京电".repeat(100_000);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for _ in 0..(256_000_000 / chunk.len()) {
        gz.write_all(chunk.as_bytes()).unwrap();
    }
    let packed = gz.finish().unwrap();
    assert!(packed.len() < 2_000_000, "{}", packed.len());
    env.write("c/bomb.txt.gz", &packed);
    env.write("c/bomb.jsonl.gz", &packed);
    env.write("c/small.txt", "江豚回来了\n\n长江江豚的数量今年明显回升。");
    let (r, peak) = run_measured(&env, &["index", "c", "--heap", "64"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().filter(|l| l.contains("bomb")).collect();
    assert_eq!(lines.len(), 2, "{}", r.stderr);
    assert!(lines
        .iter()
        .any(|l| l.contains("c/bomb.txt.gz: larger than 64 MB")));
    assert!(lines
        .iter()
        .any(|l| l.contains("c/bomb.jsonl.gz: no valid JSON line (line 1: line of")));
    assert_eq!(env.run(&["search", "江豚"]).code, 0, "the run went on");
    if let Some(p) = peak {
        assert!(p <= (64 << 20) + ALLOWANCE, "peak {} MB", p >> 20);
    }
}
