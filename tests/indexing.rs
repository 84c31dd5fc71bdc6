//! Incremental updates, crash safety and the writer lock.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::util::{bin, Env};

fn stats(env: &Env) -> serde_json::Value {
    let r = env.run(&["stats", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(r.stdout.trim()).expect("stats json")
}

fn total(env: &Env, q: &str) -> u64 {
    let r = env.run(&["search", "--json", "--no-collapse", q]);
    assert!(r.code <= 1, "{}", r.stderr);
    r.summary()["total_hits"].as_u64().unwrap()
}

#[test]
fn second_run_reads_only_changes_and_prunes_deleted_files() {
    let env = Env::new();
    crate::core::corpus(&env);
    let r = env.run(&["index", "news"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("indexed 7 articles from 4 files"),
        "{}",
        r.stderr
    );
    assert_eq!(stats(&env)["articles"], 7);

    // Nothing changed: nothing read.
    let r = env.run(&["index", "news"]);
    assert!(
        r.stderr.contains("indexed 0 articles from 0 files"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("4 unchanged"), "{}", r.stderr);
    assert_eq!(stats(&env)["articles"], 7);

    // Touched but identical content: recognised by hash, not re-indexed.
    let p = env.path().join("news/space.txt");
    let text = std::fs::read_to_string(&p).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&p, &text).unwrap();
    let r = env.run(&["index", "news"]);
    assert!(r.stderr.contains("indexed 0 articles"), "{}", r.stderr);
    assert_eq!(stats(&env)["articles"], 7);

    // Changed content: the article is replaced, not duplicated.
    std::fs::write(&p, text.replace("星海一号", "云帆二号")).unwrap();
    let r = env.run(&["index", "news"]);
    assert!(
        r.stderr.contains("indexed 1 articles from 1 files"),
        "{}",
        r.stderr
    );
    assert_eq!(stats(&env)["articles"], 7);
    assert_eq!(total(&env, "云帆二号"), 1);
    assert_eq!(total(&env, "星海一号"), 0);

    // A deleted file's articles go (by default) …
    std::fs::remove_file(env.path().join("news/batch.json")).unwrap();
    let r = env.run(&["index", "news", "--no-prune"]);
    assert_eq!(r.code, 0);
    assert_eq!(stats(&env)["articles"], 7, "--no-prune keeps them");
    let r = env.run(&["index", "news"]);
    assert!(r.stderr.contains("1 removed"), "{}", r.stderr);
    assert_eq!(stats(&env)["articles"], 5);
    assert_eq!(total(&env, "马拉松"), 0);

    // … but indexing another folder never prunes this one.
    env.write(
        "more/extra.txt",
        "新增稿件\n这是一篇新增的稿件，内容关于城市绿道建设。",
    );
    let r = env.run(&["index", "more"]);
    assert_eq!(r.code, 0);
    assert_eq!(stats(&env)["articles"], 6);
    assert_eq!(stats(&env)["files"], 4);
}

#[test]
fn a_second_writer_is_refused_while_searches_go_on() {
    let env = Env::new();
    crate::core::corpus(&env);
    assert_eq!(env.run(&["index", "news", "-q"]).code, 0);
    let store = newsidx::index::Store::open(&env.path().join("index")).expect("open");
    let writer = newsidx::index::writer::open_writer(&store, 1, 20_000_000).expect("writer");
    env.run(&["index", "news", "-q"])
        .assert_error("index is locked by another process");
    assert_eq!(
        total(&env, "江豚"),
        1,
        "searches work while the index is locked"
    );
    drop(writer);
    assert_eq!(env.run(&["index", "news", "-q"]).code, 0);
}

const SENTENCES: &[&str] = &[
    "今年以来，各地加快推进城市更新，老旧小区改造进度明显加快",
    "气象部门提醒，未来三天将有一次较强降雨过程",
    "新能源汽车销量继续保持增长，充电设施建设提速",
    "博物馆推出夜间开放活动，吸引大批年轻观众",
    "科研团队在新型电池材料领域取得重要进展",
    "农业农村部门组织技术人员深入田间指导秋收",
    "港口集装箱吞吐量稳步回升，外贸企业订单增加",
    "社区卫生服务中心开设家庭医生签约服务",
];

/// Writes `files` JSONL files of `per_file` generated articles each.
fn big_corpus(env: &Env, files: usize, per_file: usize) {
    for f in 0..files {
        let mut s = String::new();
        for a in 0..per_file {
            let body: Vec<&str> = (0..12)
                .map(|k| SENTENCES[(f * 7 + a * 3 + k * 5) % SENTENCES.len()])
                .collect();
            let line = serde_json::json!({
                "id": format!("g-{f}-{a}"),
                "title": format!("第{f}组第{a}篇 {}", SENTENCES[(f + a) % SENTENCES.len()]),
                "body": format!("编号{f}号{a}。{}。", body.join("。")),
                "date": "2024-05-01",
            });
            s.push_str(&line.to_string());
            s.push('\n');
        }
        env.write(&format!("big/part-{f:04}.jsonl"), s);
    }
}

#[test]
fn killed_runs_lose_nothing_committed_and_never_duplicate() {
    let env = Env::new();
    let (files, per_file) = (300, 60);
    big_corpus(&env, files, per_file);
    let expected = (files * per_file) as u64;
    // Kill the indexer at different moments, each time letting it resume.
    for wait_ms in [400u64, 1200, 2500] {
        let mut child = Command::new(bin())
            .args(["index", "big", "--commit-every", "1", "-q"])
            .current_dir(env.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(wait_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if env.path().join("index/meta.json").exists() {
            // Whatever was committed opens and answers.
            let st = stats(&env);
            assert!(st["articles"].as_u64().unwrap() <= expected, "{st}");
            let r = env.run(&["search", "--json", "编号1号1"]);
            assert!(r.code <= 1, "{}", r.stderr);
        }
    }
    let r = env.run(&["index", "big", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(stats(&env)["articles"].as_u64().unwrap(), expected);
    assert_eq!(stats(&env)["files"].as_u64().unwrap(), files as u64);
    // Every article exactly once: each title is unique.
    for (f, a) in [(0, 0), (150, 7), (299, 59)] {
        assert_eq!(
            total(&env, &format!("title:\"第{f}组第{a}篇\"")),
            1,
            "{f}/{a}"
        );
    }
}

#[test]
fn random_and_mangled_files_never_panic() {
    let env = Env::new();
    crate::core::corpus(&env);
    let seeds: Vec<Vec<u8>> = std::fs::read_dir(env.path().join("news"))
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    let exts = [
        "txt", "md", "json", "jsonl", "html", "tsv", "dat", "gz", "zst", "bz2", "xml", "",
    ];
    let mut seed: u64 = 7;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seed >> 11
    };
    for i in 0..120 {
        let base = &seeds[next() as usize % seeds.len()];
        let mut bytes: Vec<u8> = match next() % 4 {
            // random bytes
            0 => (0..(next() % 4096)).map(|_| next() as u8).collect(),
            // a valid file cut short
            1 => base[..(next() as usize % base.len().max(1))].to_vec(),
            // a valid file with flipped bytes
            2 => {
                let mut b = base.clone();
                for _ in 0..8 {
                    let at = next() as usize % b.len().max(1);
                    if let Some(x) = b.get_mut(at) {
                        *x ^= next() as u8;
                    }
                }
                b
            }
            // magic numbers of compressed formats followed by garbage
            _ => {
                let magic: &[u8] = [&[0x1f, 0x8b, 8, 0][..], &[0x28, 0xb5, 0x2f, 0xfd], b"BZh9"]
                    [next() as usize % 3];
                let mut b = magic.to_vec();
                b.extend((0..200).map(|_| next() as u8));
                b
            }
        };
        if next() % 5 == 0 {
            bytes.clear();
        }
        let ext = exts[next() as usize % exts.len()];
        let name = if ext.is_empty() {
            format!("mangled/f{i}")
        } else {
            format!("mangled/f{i}.{ext}")
        };
        env.write(&name, bytes);
    }
    let r = env.run(&["index", "news", "mangled", "-q"]);
    assert!(r.code == 0 || r.code == 2, "exit {}: {}", r.code, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    for line in r.stderr.lines() {
        assert!(line.starts_with("newsidx: "), "{line}");
    }
    // The good corpus is all there (mangled copies may add more).
    assert!(stats(&env)["articles"].as_u64().unwrap() >= 7);
    assert!(total(&env, "江豚") >= 1);
    assert!(total(&env, "马拉松") >= 1);
}

#[test]
fn rebuild_respects_the_lock_and_keeps_foreign_files() {
    let env = Env::new();
    crate::core::corpus(&env);
    env.write("index/notes.txt", "mine");
    assert_eq!(env.run(&["index", "news", "-q"]).code, 0);
    let store = newsidx::index::Store::open(&env.path().join("index")).expect("open");
    let writer = newsidx::index::writer::open_writer(&store, 1, 20_000_000).expect("writer");
    env.run(&["index", "news", "--rebuild", "-q"])
        .assert_error("locked by another process");
    assert_eq!(
        stats(&env)["articles"],
        7,
        "nothing was removed while locked"
    );
    drop(writer);
    drop(store);
    assert_eq!(env.run(&["index", "news", "--rebuild", "-q"]).code, 0);
    assert_eq!(stats(&env)["articles"], 7);
    assert!(env.path().join("index/notes.txt").exists());
}

#[test]
fn a_page_nested_too_deep_costs_one_warning_and_nothing_else() {
    // The HTML extractor recurses over the element tree: 30,000 nested
    // spans used to overflow an indexing thread's stack and abort the run.
    let env = Env::new();
    let deep = format!(
        "<html><body>{}深层页面</body></html>",
        "<span>".repeat(30_000)
    );
    env.write("pages/deep.html", deep);
    env.write(
        "pages/good.txt",
        "标题：江边新闻\n\n江边步道今天开放，唯一词赤霄蓝鲸。\n",
    );
    let r = env.run(&["index", "pages", "-q"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(
        lines[0].contains("deep.html") && lines[0].contains("nested"),
        "{}",
        lines[0]
    );
    assert_eq!(total(&env, "赤霄蓝鲸"), 1);
}

#[test]
fn a_truncated_query_lexicon_is_ignored_and_written_again() {
    let env = Env::new();
    crate::core::corpus(&env);
    let r = env.run(&["index", "news", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lexicon = env.path().join("index").join("query_lexicon.fst");
    let whole = std::fs::read(&lexicon).expect("lexicon");
    std::fs::write(&lexicon, &whole[..whole.len() / 2]).expect("truncate");
    // Searches used to panic in the FST; now they cut the query with
    // jieba's own dictionary.
    assert!(total(&env, "江豚") >= 1);
    for args in [&["stats"][..], &["analyze", "--mode", "query", "江豚保护"]] {
        let r = env.run(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    }
    let r = env.run(&["index", "news", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(&lexicon).expect("lexicon"), whole);
}

#[test]
fn dates_the_index_cannot_store_are_left_out_and_far_bounds_clamp() {
    // tantivy stores dates as i64 nanoseconds (1677–2262): 3023-07-13 used
    // to be stored as 1854-06-03, and --until 9999-12-31 matched nothing.
    let env = Env::new();
    env.write(
        "c/a.jsonl",
        "{\"id\":\"typo\",\"title\":\"年份笔误\",\"text\":\"唯一词赤霄\",\"date\":\"3023-07-13\"}\n\
         {\"id\":\"ok\",\"title\":\"正常\",\"text\":\"唯一词赤霄，另一段\",\"date\":\"2023-07-13\"}\n",
    );
    let r = env.run(&["index", "c", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("a.jsonl: typo: date 3023-07-13 is outside 1678–2261"),
        "{}",
        r.stderr
    );
    let r = env.run(&["search", "--json", "--no-collapse", "赤霄"]);
    let dates: Vec<String> = r.hits().iter().map(|h| h["date"].to_string()).collect();
    assert_eq!(dates.len(), 2);
    assert!(dates.contains(&"null".to_string()), "{dates:?}");
    for bound in [&["--until", "9999-12-31"][..], &["--since", "1000-01-01"]] {
        let mut args = vec!["search", "--json", "赤霄"];
        args.extend_from_slice(bound);
        let r = env.run(&args);
        assert_eq!(r.code, 0, "{bound:?}: {}", r.stderr);
        assert_eq!(r.hit_strings("id"), ["ok"], "{bound:?}");
    }
}

#[cfg(unix)]
#[test]
fn a_pipe_in_the_corpus_is_one_warning_not_a_silent_skip() {
    let env = Env::new();
    env.write("c/good.txt", "标题：江边新闻\n\n唯一词赤霄蓝鲸。\n");
    let fifo = env.path().join("c").join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    // Opening a pipe with no writer would block the run; it is named and
    // skipped instead, and the rest is indexed.
    let r = env.run(&["index", "c", "-q"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("pipe.txt: not a regular file or folder"),
        "{}",
        r.stderr
    );
    assert_eq!(total(&env, "赤霄蓝鲸"), 1);
    let r = env.run(&["index", fifo.to_str().unwrap_or_default(), "-q"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
}

#[test]
fn a_damaged_segment_is_reported_in_one_line_with_the_way_out() {
    let env = Env::new();
    crate::core::corpus(&env);
    let r = env.run(&["index", "news", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for e in std::fs::read_dir(env.path().join("index")).expect("index dir") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "store") {
            let bytes = std::fs::read(&p).expect("store");
            std::fs::write(&p, &bytes[..100.min(bytes.len())]).expect("cut");
        }
    }
    // Re-indexing used to say "28 unchanged … index holds 0 articles" with
    // exit 0, and search printed a page of tantivy's debug output.
    for args in [&["index", "news", "-q"][..], &["search", "江豚"]] {
        let r = env.run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(
            r.stderr.contains("damaged") && r.stderr.contains("--rebuild"),
            "{}",
            r.stderr
        );
    }
    let r = env.run(&["index", "news", "-q", "--rebuild"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(total(&env, "江豚") >= 1);
}

/// Segment files of the index (`.store`, one per segment).
fn segments(env: &Env) -> usize {
    std::fs::read_dir(env.path().join("index"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "store"))
        })
        .count()
}

#[test]
fn segments_merged_across_runs_keep_every_article_and_every_replacement() {
    // One run per file gives one segment per run; past eight, tantivy's
    // merge policy merges them, reading them back through the writer's
    // directory (index/readdir.rs: read, not mapped).
    let env = Env::new();
    big_corpus(&env, 12, 30);
    let mut most = 0;
    for f in 0..12 {
        let r = env.run(&["index", "-q", &format!("big/part-{f:04}.jsonl")]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        most = most.max(segments(&env));
    }
    assert!(
        segments(&env) < most,
        "no merge happened: {} segments",
        segments(&env)
    );
    assert_eq!(stats(&env)["articles"], 360);
    for f in [0, 5, 11] {
        assert_eq!(total(&env, &format!("\"编号{f}号29\"")), 1, "file {f}");
    }
    // Replacing a file deletes its old articles in merged segments.
    let p = env.path().join("big/part-0003.jsonl");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("编号3号", "序号3号")).unwrap();
    let r = env.run(&["index", "-q", "big/part-0003.jsonl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(stats(&env)["articles"], 360);
    assert_eq!(total(&env, "\"编号3号7\""), 0);
    assert_eq!(total(&env, "\"序号3号7\""), 1);
}

#[test]
fn a_file_read_once_is_hashed_whole_even_when_its_reader_stops_early() {
    // A new file is read once, hashed as it is parsed. This feed breaks
    // after two items and megabytes follow that the reader never asks
    // for: the hash must still be the whole file's, or touching the file
    // (same bytes, a new time) would make the next run read it again.
    let env = Env::new();
    let item = |n: u32| {
        format!("<item><title>第{n}条消息</title><description>城市绿道建设的第{n}篇报道。</description></item>\n")
    };
    let padding = "<!-- 填充 填充 填充 -->\n".repeat(100_000);
    let feed = format!(
        "<?xml version=\"1.0\"?>\n<rss><channel><title>晚报</title>\n{}{}<!X>\n{padding}</channel></rss>\n",
        item(1),
        item(2)
    );
    let p = env.write("feeds/evening.rss", &feed);
    let r = env.run(&["index", "feeds"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("reading stopped, kept the 2 articles"),
        "{}",
        r.stderr
    );
    assert_eq!(stats(&env)["articles"], 2);

    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&p, &feed).unwrap();
    let r = env.run(&["index", "feeds"]);
    assert!(r.stderr.contains("indexed 0 articles"), "{}", r.stderr);
    assert!(r.stderr.contains("1 unchanged"), "{}", r.stderr);

    // Grown: read once more, the new hash again the whole file's.
    let grown = feed.replace("<!X>", &format!("{}<!X>", item(3)));
    std::fs::write(&p, &grown).unwrap();
    let r = env.run(&["index", "feeds"]);
    assert!(r.stderr.contains("from 1 files"), "{}", r.stderr);
    assert_eq!(stats(&env)["articles"], 3);
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&p, &grown).unwrap();
    let r = env.run(&["index", "feeds"]);
    assert!(r.stderr.contains("1 unchanged"), "{}", r.stderr);
}
