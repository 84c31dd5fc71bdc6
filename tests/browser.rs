//! The search page in a real headless Chromium: it loads, searches from
//! the URL, and renders hits, highlights, the timeline, the filters and an
//! article whose markup shows as text. Screenshots go to
//! `target/tmp/browser/` for a person to look at. Skipped, with a message,
//! where Chromium is not installed (`.ci/run` installs it).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::http::{enc, Server};
use crate::serve::serve_corpus;
use crate::util::Env;

/// Debian's `chromium`, or the one named by `NEWSIDX_CHROMIUM`.
pub fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("NEWSIDX_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Where the screenshots go.
fn out_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&d).expect("mkdir");
    d
}

/// Runs headless Chromium on `url` with `extra` arguments (a fresh
/// profile each time) and returns its stdout.
fn run_chromium(exe: &Path, profile: &Path, url: &str, extra: &[String]) -> String {
    let out = Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--lang=zh-CN",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The DOM of `url` once the page says it is done (it sets
/// `data-state="done"` on `<body>` after rendering what the URL asks for,
/// `"error"` after showing an error);
/// the virtual-time budget grows if a busy machine needs more.
pub fn dom(exe: &Path, env: &Env, url: &str) -> String {
    let mut last = String::new();
    for budget in [5_000, 20_000, 60_000] {
        let profile = tempfile::tempdir_in(env.path()).expect("profile");
        last = run_chromium(
            exe,
            profile.path(),
            url,
            &[
                format!("--virtual-time-budget={budget}"),
                "--dump-dom".to_string(),
            ],
        );
        if last.contains("data-state=\"done\"") || last.contains("data-state=\"error\"") {
            return last;
        }
    }
    panic!("the page never finished rendering {url}:\n{last}");
}

pub fn screenshot(exe: &Path, env: &Env, url: &str, name: &str, size: &str) -> PathBuf {
    let path = out_dir().join(name);
    let _ = std::fs::remove_file(&path);
    let profile = tempfile::tempdir_in(env.path()).expect("profile");
    run_chromium(
        exe,
        profile.path(),
        url,
        &[
            "--virtual-time-budget=20000".to_string(),
            format!("--window-size={size}"),
            format!("--screenshot={}", path.display()),
        ],
    );
    assert!(
        std::fs::metadata(&path).is_ok_and(|m| m.len() > 1000),
        "no screenshot at {}",
        path.display()
    );
    eprintln!("screenshot: {}", path.display());
    path
}

#[test]
fn the_search_page_renders_results_in_a_real_browser() {
    let Some(exe) = chromium() else {
        eprintln!("SKIPPED: chromium not found (Debian: apt-get install chromium fonts-noto-cjk)");
        return;
    };
    let env = Env::new();
    serve_corpus(&env);
    let r = env.run(&["index", "news", "more", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let server = Server::start(env.path(), &[], &[]);
    let base = format!("http://{}", server.addr);

    // The page is served from the binary, with a policy that lets no
    // script run but its own.
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-security-policy")
        .is_some_and(|c| c.contains("script-src 'self'")));

    check_results(&exe, &env, &base);
    check_filters(&exe, &env, &base);
    check_article_view(&exe, &env, &base);

    // An error is shown as such, not as an empty page.
    let d = dom(&exe, &env, &format!("{base}/?q=%22abc"));
    assert!(d.contains("data-state=\"error\""), "{d}");
    assert!(d.contains("class=\"err\">出错了：query"), "{d}");

    // Pictures for a person: the results on a desktop and on a phone.
    let url = format!("{base}/?q={}", enc("机器人"));
    screenshot(&exe, &env, &url, "results.png", "1280,1400");
    screenshot(&exe, &env, &url, "results-phone.png", "390,1600");
    screenshot(
        &exe,
        &env,
        &format!("{base}/?q={}&id=r-1", enc("机器人")),
        "article.png",
        "1280,900",
    );
}

/// Results, from the URL alone: hits, highlights, the total, the
/// timeline, the source filter, and markup shown as text.
fn check_results(exe: &Path, env: &Env, base: &str) {
    let url = format!("{base}/?q={}", enc("机器人"));
    let d = dom(exe, env, &url);
    let hits = d.matches("class=\"hit\"").count();
    assert!(hits >= 5, "{hits} hits in {d}");
    assert!(d.contains("<mark>机器人</mark>"), "{d}");
    assert!(d.contains("id=\"total\">共 7 篇</span>"), "{d}");
    assert!(d.contains("data-month=\"2023-07\""), "timeline: {d}");
    assert!(d.contains("data-source=\"经济日报\""), "source filter: {d}");
    assert!(
        d.contains("<span class=\"n\">2</span>"),
        "source counts: {d}"
    );
    assert!(
        d.contains("value=\"机器人\""),
        "the box shows the query: {d}"
    );
    // The article whose title and body carry markup shows it as text.
    assert!(
        d.contains("&lt;script&gt;alert('标题')&lt;/script&gt;<mark>机器人</mark>"),
        "{d}"
    );
    assert!(d.contains("&lt;b&gt;来源&lt;/b&gt;"), "{d}");
    // Only the page's own scripts (app.js, kwic.js, timeline.js, terms.js).
    assert_eq!(
        d.matches("<script").count(),
        d.matches("<script src=\"/assets/").count(),
        "only the page's own scripts: {d}"
    );
    assert!(!d.contains("<img"), "{d}");
    assert!(!d.contains("<b>"), "{d}");
}

/// Filters in the URL: a month of the timeline and a source.
fn check_filters(exe: &Path, env: &Env, base: &str) {
    let url = format!(
        "{base}/?q={}&since=2023-07-01&until=2023-07-31&sort=date",
        enc("机器人")
    );
    let d = dom(exe, env, &url);
    assert!(d.contains("id=\"total\">共 2 篇</span>"), "{d}");
    assert!(
        d.contains("class=\" on\"") || d.contains("class=\"on\""),
        "active bar: {d}"
    );
    assert!(d.contains("value=\"2023-07-01\""), "{d}");
    let url = format!("{base}/?q={}&source={}", enc("机器人"), enc("经济日报"));
    let d = dom(exe, env, &url);
    assert!(d.contains("id=\"total\">共 2 篇</span>"), "{d}");
    assert!(d.contains("✕ 经济日报"), "{d}");
}

/// The article view: whole text, every match highlighted, markup as text.
fn check_article_view(exe: &Path, env: &Env, base: &str) {
    let url = format!("{base}/?q={}&id=x-1", enc("机器人"));
    let d = dom(exe, env, &url);
    assert!(
        d.contains("正文里有&lt;img src=x onerror=alert(1)&gt;和&lt;script&gt;alert(2)&lt;/script&gt;，<mark>机器人</mark>也在这里。"),
        "{d}"
    );
    assert_eq!(
        d.matches("<script").count(),
        d.matches("<script src=\"/assets/").count(),
        "{d}"
    );
    assert!(!d.contains("<img"), "{d}");
    let url = format!("{base}/?q={}&id=r-1", enc("机器人"));
    let d = dom(exe, env, &url);
    assert_eq!(
        d.matches("<mark>机器人</mark>").count(),
        3,
        "title and both in the body: {d}"
    );
}

#[test]
fn the_kwic_tab_shows_aligned_lines_in_a_real_browser() {
    let Some(exe) = chromium() else {
        eprintln!("SKIPPED: chromium not found (Debian: apt-get install chromium fonts-noto-cjk)");
        return;
    };
    let env = Env::new();
    serve_corpus(&env);
    let r = env.run(&["index", "news", "more", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let cli = env.run(&["kwic", "机器人", "--json", "--all"]);
    let n = cli.json().len() - 1;
    assert!(n > 8, "{}", cli.stdout);
    let server = Server::start(env.path(), &[], &[]);
    let base = format!("http://{}", server.addr);
    let url = format!("{base}/?q={}&view=kwic", enc("机器人"));
    let d = dom(&exe, &env, &url);
    assert!(d.contains("data-state=\"done\""), "{d}");
    assert_eq!(d.matches("class=\"kwic-line\"").count(), n, "{d}");
    assert_eq!(
        d.matches("<mark class=\"m\">机器人</mark>").count(),
        n,
        "{d}"
    );
    assert!(
        d.contains(&format!("id=\"kwic-total\">共 {n} 处，7 篇")),
        "{d}"
    );
    assert!(
        d.contains("href=\"/api/kwic.csv?q=%E6%9C%BA%E5%99%A8%E4%BA%BA\""),
        "{d}"
    );
    // The results tab is the other one; markup in an article stays text.
    assert!(
        d.contains("&lt;script&gt;alert('标题')&lt;/script&gt;"),
        "{d}"
    );
    assert_eq!(
        d.matches("<script").count(),
        d.matches("<script src=\"/assets/").count(),
        "{d}"
    );
    let d = dom(&exe, &env, &format!("{base}/?q={}", enc("机器人")));
    assert!(!d.contains("class=\"kwic-line\""), "{d}");
    assert!(d.contains("data-view=\"kwic\""), "{d}");
    screenshot(&exe, &env, &url, "kwic.png", "1280,900");
}
