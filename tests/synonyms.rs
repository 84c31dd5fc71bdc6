//! Synonym groups (`index --synonyms`, `synonyms`, `--no-synonyms`), shell
//! completions, the manual page and `NEWSIDX_INDEX`. The real binary on
//! text the tests write.

use std::process::Command;

use crate::http::{enc, Server};
use crate::util::{bin, Env};

/// A JSON Lines record.
fn rec(id: &str, title: &str, text: &str) -> String {
    serde_json::json!({"id": id, "date": "2024-03-01", "title": title, "text": text}).to_string()
}

/// Three members of one group, each in articles of its own (one inside a
/// longer word), and articles with none of them.
fn corpus() -> Env {
    let lines = [
        rec("a1", "疫情通报", "本市昨日新增新冠病例三例，均为境外输入。"),
        rec("a2", "防控", "新冠肺炎防控进入新阶段，疫苗接种率继续提高。"),
        rec("b1", "科研", "研究人员发现新型冠状病毒的一种新变异株。"),
        rec(
            "c1",
            "World",
            "COVID-19 vaccines were shipped to remote counties.",
        ),
        rec(
            "c2",
            "疫苗",
            "covid-19疫苗运抵边远县城，疫苗接种将在下周开始。",
        ),
        rec("n1", "天气", "明天多云转晴，气温回升，适合出行。"),
        rec("n2", "疫苗", "流感疫苗接种工作全面展开。"),
    ];
    let env = Env::new();
    env.write("news.jsonl", lines.join("\n"));
    env.write(
        "synonyms.txt",
        "# 同一种病\n新冠 新型冠状病毒 COVID-19\n\n美联储, 美国联邦储备委员会\n",
    );
    let r = env.run(&["index", "-q", "news.jsonl", "--synonyms", "synonyms.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    env
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn every_member_finds_all_three_sets() {
    let env = corpus();
    let all = ["a1", "a2", "b1", "c1", "c2"];
    for q in ["新冠", "新型冠状病毒", "COVID-19", "covid-19", "\"新冠\""] {
        let r = env.run(&["search", "--json", "--no-collapse", "-n", "20", q]);
        assert_eq!(r.code, 0, "{q}: {}", r.stderr);
        assert_eq!(sorted(r.hit_strings("id")), all, "{q}");
        assert_eq!(r.summary()["total_hits"], 5, "{q}");
        assert_eq!(r.summary()["relaxed_hits"], 0, "{q}");
        let r = env.run(&["count", "--json", q]);
        assert!(
            r.stdout.contains(r#""type":"total","count":5"#),
            "{q}: {}",
            r.stdout
        );
    }
    // Each hit highlights the member it holds.
    let r = env.run(&["search", "--json", "--no-collapse", "-n", "20", "新冠"]);
    for h in r.hits() {
        let body = h["passages"][0]["text"].as_str().expect("passage");
        let spans = h["passages"][0]["highlights"].as_array().expect("spans");
        let marked: Vec<&str> = spans
            .iter()
            .filter_map(|s| Some(&body[s[0].as_u64()? as usize..s[1].as_u64()? as usize]))
            .collect();
        let want = match h["id"].as_str() {
            Some("a1" | "a2") => "新冠",
            Some("b1") => "新型冠状病毒",
            _ => "covid-19",
        };
        assert!(
            marked.iter().any(|m| m.to_lowercase() == want),
            "{h}: {marked:?}"
        );
    }
}

#[test]
fn without_synonyms_each_member_finds_only_itself() {
    let env = corpus();
    for (q, ids) in [
        ("新冠", vec!["a1", "a2"]),
        ("新型冠状病毒", vec!["b1"]),
        ("COVID-19", vec!["c1", "c2"]),
    ] {
        let r = env.run(&["search", "--json", "--no-collapse", "--no-synonyms", q]);
        assert_eq!(sorted(r.hit_strings("id")), ids, "{q}");
        let r = env.run(&["count", "--json", "--no-synonyms", q]);
        let total = format!(r#""type":"total","count":{}"#, ids.len());
        assert!(r.stdout.contains(&total), "{q}: {}", r.stdout);
    }
}

#[test]
fn exclusions_phrases_and_parts() {
    let env = corpus();
    // An excluded member excludes every member.
    let r = env.run(&["search", "--json", "--no-collapse", "疫苗 -新冠"]);
    assert_eq!(r.hit_strings("id"), ["n2"]);
    // With another word: both required, the member by any of its forms.
    let r = env.run(&["search", "--json", "--no-collapse", "新型冠状病毒 疫苗"]);
    assert_eq!(sorted(r.hit_strings("id")), ["a2", "c2"]);
    // A member inside longer typed text is not expanded: 新冠肺炎 is
    // matched as typed only.
    let r = env.run(&["search", "--json", "--no-collapse", "新冠肺炎"]);
    assert_eq!(r.hit_strings("id"), ["a2"]);
    // OR groups keep their other alternatives.
    let r = env.run(&["search", "--json", "--no-collapse", "新型冠状病毒 OR 天气"]);
    assert_eq!(
        sorted(r.hit_strings("id")),
        ["a1", "a2", "b1", "c1", "c2", "n1"]
    );
}

#[test]
fn analyze_shows_the_expansion_and_synonyms_lists_the_groups() {
    let env = corpus();
    let r = env.run(&["analyze", "--mode", "query", "新冠 -美联储"]);
    assert!(
        r.stdout
            .contains("新冠: or 新型冠状病毒 | COVID-19; -美联储: nor 美国联邦储备委员会"),
        "{}",
        r.stdout
    );
    let r = env.run(&["analyze", "--mode", "query", "--json", "新冠"]);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("json");
    assert_eq!(
        v["synonyms"],
        serde_json::json!([{"typed": "新冠", "added": ["新型冠状病毒", "COVID-19"], "excluded": false}])
    );
    let r = env.run(&["analyze", "--mode", "query", "--no-synonyms", "新冠"]);
    assert!(!r.stdout.contains("or 新型"), "{}", r.stdout);
    let r = env.run(&["synonyms"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "新冠 新型冠状病毒 COVID-19\n美联储 美国联邦储备委员会\n"
    );
    let r = env.run(&["synonyms", "--json"]);
    assert_eq!(r.json().len(), 2);
    assert_eq!(r.json()[1]["members"][1], "美国联邦储备委员会");
}

#[test]
fn a_bad_synonyms_file_costs_nothing_and_an_empty_one_removes_them() {
    let env = corpus();
    env.write("bad.txt", "新冠 疫情\n甲 乙\n丙\n");
    let r = env.run(&["index", "news.jsonl", "--synonyms", "bad.txt"]);
    r.assert_error("bad.txt: line 3: a group needs at least two members");
    env.write("twice.txt", "甲 乙\n乙 丙\n");
    let r = env.run(&["index", "news.jsonl", "--synonyms", "twice.txt"]);
    r.assert_error("twice.txt: line 2: \"乙\" is already a member of the group on line 1");
    let r = env.run(&["index", "news.jsonl", "--synonyms", "missing.txt"]);
    r.assert_error("missing.txt");
    // The groups and the articles are as they were.
    let r = env.run(&["search", "--json", "新型冠状病毒"]);
    assert_eq!(r.summary()["total_hits"], 5);
    // A new file takes effect without a rebuild; an empty one removes them.
    env.write("new.txt", "天气 气温\n");
    let r = env.run(&["index", "-q", "news.jsonl", "--synonyms", "new.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = env.run(&["search", "--json", "新型冠状病毒"]);
    assert_eq!(r.summary()["total_hits"], 1);
    env.write("empty.txt", "# none\n");
    let r = env.run(&["index", "-q", "news.jsonl", "--synonyms", "empty.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = env.run(&["synonyms"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
    assert!(r.stderr.contains("no synonym groups"), "{}", r.stderr);
}

#[test]
fn the_server_expands_synonyms_unless_asked_not_to() {
    let env = corpus();
    let mut server = Server::start(env.path(), &[], &[]);
    let q = enc("新冠");
    let on = server
        .get(&format!("/api/search?q={q}&collapse=false"))
        .json();
    assert_eq!(on["total_hits"], 5, "{on}");
    let off = server
        .get(&format!("/api/search?q={q}&collapse=false&synonyms=false"))
        .json();
    assert_eq!(off["total_hits"], 2, "{off}");
    server.terminate();
}

#[test]
fn the_index_folder_comes_from_the_environment() {
    let env = corpus();
    std::fs::rename(env.path().join("index"), env.path().join("elsewhere")).expect("move");
    // Not through Env::run_cmd, which clears the variable.
    let run = |var: Option<&str>, args: &[&str]| {
        let mut cmd = Command::new(bin());
        cmd.args(args)
            .current_dir(env.path())
            .env_remove("NEWSIDX_INDEX");
        if let Some(v) = var {
            cmd.env("NEWSIDX_INDEX", v);
        }
        let out = cmd.output().expect("run newsidx");
        crate::util::Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    };
    let r = run(Some("elsewhere"), &["search", "--json", "天气"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.hit_strings("id"), ["n1"]);
    // -i wins over the environment.
    let r = run(Some("nowhere"), &["-i", "elsewhere", "count", "天气"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(None, &["search", "天气"]);
    r.assert_error("index: no index here");
    let r = run(None, &["search", "--help"]);
    assert!(r.stdout.contains("NEWSIDX_INDEX"), "{}", r.stdout);
}

#[test]
fn bash_completion_sources_and_completes_a_subcommand() {
    let env = Env::new();
    let r = env.run(&["completions", "bash"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let script = env.write("newsidx.bash", &r.stdout);
    let probe = format!(
        "source {} || exit 9\nCOMP_WORDS=(newsidx sea)\nCOMP_CWORD=1\n_newsidx newsidx sea newsidx\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\nCOMP_WORDS=(newsidx search --no-s)\nCOMP_CWORD=2\n_newsidx newsidx --no-s search\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display()
    );
    let out = Command::new("bash")
        .args(["--norc", "-c", &probe])
        .output()
        .expect("bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{:?}", out);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.contains(&"search"), "{stdout}");
    assert!(lines.contains(&"--no-synonyms"), "{stdout}");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let r = env.run(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains("newsidx"), "{shell}");
    }
    env.run(&["completions", "tcsh"]).assert_error("tcsh");
}

#[test]
fn the_manual_page_renders() {
    let env = Env::new();
    let r = env.run(&["man"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with(".ie"), "{}", &r.stdout[..40]);
    let page = env.write("newsidx.1", &r.stdout);
    let out = Command::new("man")
        .args(["-l", "-P", "cat"])
        .arg(&page)
        .env("MANWIDTH", "100")
        .output();
    let Ok(out) = out else {
        eprintln!("SKIPPED: man is not installed; the page was not rendered");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for section in [
        "NEWSIDX SEARCH",
        "NEWSIDX SYNONYMS",
        "EXIT STATUS",
        "NEWSIDX_INDEX",
    ] {
        assert!(text.contains(section), "{section} missing from:\n{text}");
    }
    assert!(text.contains("--no-synonyms"), "{text}");
}
