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
