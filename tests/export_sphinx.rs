//! `newsidx export --to sphinx`, live: the bundled corpus and a corpus
//! this test writes, exported straight from the files to 3 shards on free
//! loopback ports, started with `start.sh`; over SphinxQL (the `mysql`
//! client) the head's `total_found` over the bigram fields equals local
//! `newsidx count` of the same text as a phrase; a killed shard gives a
//! partial answer its warnings name; `stop.sh` leaves no process running.
//! Skipped, with a message, where `searchd`, `indexer` or `mysql` is not
//! installed (`.ci/run` installs them).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use newsidx::export::terms::sphinx_substring;

use crate::util::Env;

pub(crate) fn installed(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A port P with P..P+8 free on 127.0.0.1.
pub(crate) fn free_base() -> u16 {
    for _ in 0..200 {
        let Ok(l) = TcpListener::bind("127.0.0.1:0") else {
            continue;
        };
        let Ok(addr) = l.local_addr() else { continue };
        drop(l);
        let base = addr.port();
        if base > 65000 {
            continue;
        }
        if (base..base + 8).all(|p| TcpListener::bind(("127.0.0.1", p)).is_ok()) {
            return base;
        }
    }
    panic!("no 8 free ports in a row on 127.0.0.1");
}

/// The generated corpus: Traditional, full-width, Latin, numbers,
/// punctuation and a zero-width space inside a word.
pub(crate) fn generated() -> String {
    let mut lines = Vec::new();
    let texts = [
        ("長江流域的江豚", "長江經濟帶，黃河流域。江豚數量回升。"),
        ("ＡＩ大模型", "ＡＩ公司发布GPT-4与iPhone15，售价22.20元。"),
        ("北京与上海", "北京，与上海的合作；京与沪不是一个词。"),
        ("零宽\u{200B}空格", "长\u{200B}江不是长江，江豚在长江。"),
        (
            "hello world",
            "Hello  World, hello-world and HELLO world 2024年。",
        ),
    ];
    for i in 0..40 {
        let (t, b) = texts[i % texts.len()];
        let day = 1 + i % 28;
        lines.push(format!(
            "{{\"id\":\"gen-{i}\",\"title\":\"{t} {i}\",\"body\":\"{b} 第{i}条。\",\"date\":\"2024-03-{day:02}\",\"source\":\"测试源{}\"}}",
            i % 3
        ));
    }
    lines.join("\n") + "\n"
}
/// A test folder with the bundled corpus and the generated articles
/// (`gen/`) indexed into `idx`; the bundled corpus's path.
pub(crate) fn indexed_env() -> (Env, String) {
    let env = Env::new();
    env.write("gen/news.jsonl", generated());
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let corpus = corpus.to_string_lossy().into_owned();
    let r = env.run(&["index", &corpus, "gen", "-i", "idx", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (env, corpus)
}

/// Exports the index `idx` of `env` to three shards in `cl` on free
/// loopback ports; the port base.
pub(crate) fn export_index(env: &Env) -> u16 {
    export(env, &["-i", "idx"])
}

/// Exports `from` (`-i INDEX`, or files and folders) of `env` to three
/// shards in `cl` on free loopback ports; the port base.
fn export(env: &Env, from: &[&str]) -> u16 {
    let base = free_base();
    let port = base.to_string();
    let mut args = vec![
        "export",
        "--to",
        "sphinx",
        "--out",
        "cl",
        "--shards",
        "3",
        "--port-base",
        &port,
    ];
    args.extend_from_slice(from);
    let r = env.run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    base
}

/// Starts the exported cluster in `dir` (three shards and the head): the
/// guard that stops it, and its pids.
pub(crate) fn start(dir: &Path) -> (Cluster, Vec<u32>) {
    let guard = Cluster(dir.to_path_buf());
    let started = Command::new(dir.join("start.sh"))
        .output()
        .expect("start.sh");
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let running = pids(dir);
    assert_eq!(running.len(), 4);
    (guard, running)
}

/// Runs `stop.sh` when dropped, so a failing test leaves nothing running.
pub(crate) struct Cluster(pub(crate) PathBuf);

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(self.0.join("stop.sh")).output();
    }
}

fn sql(port: u16, q: &str) -> String {
    let out = Command::new("mysql")
        .args(["-h127.0.0.1", &format!("-P{port}"), "-N", "-B", "-e", q])
        .output()
        .expect("run mysql");
    assert!(
        out.status.success(),
        "{q}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn total_found(port: u16, text: &str) -> (u64, String) {
    let m = sphinx_substring(text).expect("query terms");
    let out = sql(
        port,
        &format!(
            "SELECT id FROM news WHERE MATCH('@(title_bg,body_bg) {m}') LIMIT 1; SHOW META LIKE 'total_found'; SHOW WARNINGS"
        ),
    );
    let n = out
        .lines()
        .find_map(|l| l.strip_prefix("total_found\t"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{text}: no total_found in {out}"));
    (n, out)
}

pub(crate) fn pids(dir: &Path) -> Vec<u32> {
    ["shard0", "shard1", "shard2", "head"]
        .iter()
        .filter_map(|d| std::fs::read_to_string(dir.join(d).join("run.pid")).ok())
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// Running and not a zombie.
pub(crate) fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().to_string())
        })
        .is_some_and(|rest| !rest.starts_with('Z'))
}

const QUERIES: [&str; 14] = [
    "长江",
    "長江",
    "江",
    "江豚",
    "的",
    "中国",
    "ai",
    "ＡＩ",
    "gpt-4",
    "22.20",
    "江，黄",
    "京与",
    "hello world",
    "2024年",
];

#[test]
fn sphinx_cluster_counts_as_newsidx_and_stops_clean() {
    if !["searchd", "indexer", "mysql"].iter().all(|c| installed(c)) {
        eprintln!("SKIPPED: searchd, indexer or mysql not installed (apt-get install sphinxsearch mariadb-client)");
        return;
    }
    let (env, corpus) = indexed_env();
    let base = export(&env, &[&corpus, "gen"]);
    let dir = env.path().join("cl");
    let cluster: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cluster.json")).unwrap()).unwrap();
    let head_sql = base + 7;
    assert_eq!(
        cluster["engine"],
        format!("sphinx://127.0.0.1:{head_sql}/news")
    );
    assert!(dir.join("newsidx/query_lexicon.fst").is_file());
    let (guard, running) = start(&dir);
    assert!(running.iter().all(|p| alive(*p)), "{running:?}");

    let mut nonzero = 0;
    for q in QUERIES {
        let local = env.run(&["count", &format!("\"{q}\""), "-i", "idx"]);
        let want: u64 = local
            .stdout
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{q}: {}", local.stderr));
        let (got, _) = total_found(head_sql, q);
        assert_eq!(got, want, "{q}: engine {got}, local {want}");
        nonzero += usize::from(want > 0);
    }
    assert!(nonzero >= 10, "too few queries match anything: {nonzero}");

    killed_shard_is_partial(head_sql, base, running[1]);
    stop_leaves_nothing(&dir, &running, guard);
}

/// Kills shard1's searchd: the head answers with fewer articles and a
/// warning that names the agent.
fn killed_shard_is_partial(head_sql: u16, base: u16, pid: u32) {
    let (whole, _) = total_found(head_sql, "的");
    assert!(Command::new("kill")
        .arg(pid.to_string())
        .status()
        .unwrap()
        .success());
    std::thread::sleep(std::time::Duration::from_millis(500));
    let (partial, out) = total_found(head_sql, "的");
    assert!(partial < whole, "{partial} of {whole}: {out}");
    assert!(
        out.contains(&format!("127.0.0.1:{}", base + 2)),
        "no warning names shard1: {out}"
    );
}

/// `stop.sh` ends every process `start.sh` started (zombies count as
/// ended) and removes the pid files.
fn stop_leaves_nothing(dir: &Path, running: &[u32], guard: Cluster) {
    let stopped = Command::new(dir.join("stop.sh")).output().expect("stop.sh");
    assert!(
        stopped.status.success(),
        "{}",
        String::from_utf8_lossy(&stopped.stderr)
    );
    drop(guard);
    let left: Vec<_> = running.iter().filter(|p| alive(**p)).collect();
    assert!(left.is_empty(), "still running: {left:?}");
    assert!(pids(dir).is_empty(), "pid files left");
}
