//! The dumps people actually have: CSV, RSS/Atom, WARC, Parquet and crawler
//! JSON. Every file is written by the test; every article must be found by
//! a word of its body, with the right title, date, source and URL, and a
//! bad file of each kind costs one line and nothing else.

use serde_json::Value;

use crate::util::{Env, Run};

/// Indexes `dir` (expecting exit 0) and returns the run.
fn index(env: &Env, dir: &str) -> Run {
    let r = env.run(&["index", dir]);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r
}

/// The one hit for `q`, which must be the only one.
fn only_hit(env: &Env, q: &str) -> Value {
    let r = env.run(&["search", q, "--json", "--no-collapse"]);
    let hits = r.hits();
    assert_eq!(hits.len(), 1, "{q}: {}\n{}", r.stdout, r.stderr);
    hits.into_iter().next().unwrap_or_default()
}

/// Checks title, date, source and URL of the one hit for `q`.
fn check(
    env: &Env,
    q: &str,
    title: &str,
    date: Option<&str>,
    source: Option<&str>,
    url: Option<&str>,
) {
    let h = only_hit(env, q);
    assert_eq!(h["title"], title, "{q}: {h}");
    assert_eq!(h["date"].as_str(), date, "{q}: {h}");
    assert_eq!(h["source"].as_str(), source, "{q}: {h}");
    assert_eq!(h["url"].as_str(), url, "{q}: {h}");
}

/// The `newsidx: warning` lines of a run that name `file`.
fn warnings_about<'a>(r: &'a Run, file: &str) -> Vec<&'a str> {
    r.stderr.lines().filter(|l| l.contains(file)).collect()
}

// # CSV

#[test]
fn csv_edge_cases_gbk_and_ragged_rows() {
    let env = Env::new();
    env.write(
        "d/export.csv",
        concat!(
            "标题,正文,发布时间,来源,链接\r\n",
            "\"港口扩建, 二期开工\",\"港务局宣布，二期码头今日开工，工人说：\"\"干劲十足\"\"。\r\n",
            "第二段写到夜班龙门吊。\",2024-05-01 08:30:00,江城日报,https://news.example.com/a1\r\n",
            "果园丰收,今年的荔枝产量创了新高,2024/6/2,南方农报,https://news.example.com/a2\r\n",
        ),
    );
    let gbk = encoding_rs::GBK
        .encode(
            "title,content,date,source\n古镇灯会,元宵灯会吸引游客观赏花灯,2024年2月24日,古镇晚报\n",
        )
        .0;
    env.write("d/gbk.csv", &gbk);
    // A ragged row: the body holds an unquoted comma.
    env.write(
        "d/ragged.csv",
        "title,content,date,source\n渔船归港,渔船满载而归,码头一片繁忙,2024-03-03,海滨日报\n书店开业,新书店在老街开门营业,2024-03-04,老街周刊\n",
    );
    let r = index(&env, "d");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("indexed 5 articles from 3 files"),
        "{}",
        r.stderr
    );
    check(
        &env,
        "龙门吊",
        "港口扩建, 二期开工",
        Some("2024-05-01"),
        Some("江城日报"),
        Some("https://news.example.com/a1"),
    );
    let h = only_hit(&env, "干劲十足");
    assert!(
        h["passages"][0]["text"]
            .as_str()
            .unwrap_or("")
            .contains("\"干劲十足\""),
        "{h}"
    );
    check(
        &env,
        "荔枝",
        "果园丰收",
        Some("2024-06-02"),
        Some("南方农报"),
        Some("https://news.example.com/a2"),
    );
    check(
        &env,
        "花灯",
        "古镇灯会",
        Some("2024-02-24"),
        Some("古镇晚报"),
        None,
    );
    check(
        &env,
        "满载而归",
        "渔船归港",
        Some("2024-03-03"),
        Some("海滨日报"),
        None,
    );
    check(
        &env,
        "老街",
        "书店开业",
        Some("2024-03-04"),
        Some("老街周刊"),
        None,
    );
    let w = warnings_about(&r, "ragged.csv:2");
    assert_eq!(w.len(), 1, "{}", r.stderr);
    assert!(w[0].contains("row has 5 fields"), "{}", r.stderr);
}

#[test]
fn tsv_with_a_header_shares_the_mapping() {
    let env = Env::new();
    env.write(
        "d/a.tsv",
        "编号\t标题\t内容\t日期\t媒体\n1\t茶园春采\t春茶开采，茶农忙碌\t2024-04-01\t山城日报\n",
    );
    let r = index(&env, "d");
    assert_eq!(r.code, 0, "{}", r.stderr);
    check(
        &env,
        "春茶",
        "茶园春采",
        Some("2024-04-01"),
        Some("山城日报"),
        None,
    );
}

// # Crawler JSON

#[test]
fn news_please_and_trafilatura_records() {
    let env = Env::new();
    env.write(
        "d/np.json",
        r#"{"authors": ["张三", "李四"], "date_download": "2024-05-03 10:00:00", "date_modify": null, "date_publish": "2024-05-01 08:30:00", "description": "导语不重复", "filename": "x.json", "image_url": null, "language": "zh", "localpath": null, "maintext": "新华社北京5月1日电 劳动节假期首日，铁路发送旅客创新高。", "source_domain": "www.news.example.cn", "title": "假期首日铁路客流创新高", "title_page": null, "title_rss": null, "url": "https://www.news.example.cn/2024/0501/a.html"}"#,
    );
    env.write(
        "d/tf.jsonl",
        "{\"title\": \"湿地候鸟\", \"author\": \"王五\", \"hostname\": \"eco.example.org\", \"date\": \"2024-01-15\", \"sitename\": \"生态周刊\", \"source\": \"https://eco.example.org/birds\", \"raw_text\": \"湿地迎来越冬候鸟 黑脸琵鹭\", \"text\": \"湿地迎来越冬候鸟。\\n黑脸琵鹭现身。\"}\n",
    );
    let r = index(&env, "d");
    assert_eq!(r.code, 0, "{}", r.stderr);
    check(
        &env,
        "铁路",
        "假期首日铁路客流创新高",
        Some("2024-05-01"),
        Some("www.news.example.cn"),
        Some("https://www.news.example.cn/2024/0501/a.html"),
    );
    assert_eq!(only_hit(&env, "铁路")["author"], "张三, 李四");
    check(
        &env,
        "琵鹭",
        "湿地候鸟",
        Some("2024-01-15"),
        Some("生态周刊"),
        Some("https://eco.example.org/birds"),
    );
}

// # Feeds

#[test]
fn rss_and_atom_with_html_inside() {
    let env = Env::new();
    env.write(
        "d/feed.xml",
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n<title>江城日报</title>\n<link>https://news.example.com/</link>\n",
            "<item><title>长江大桥夜景亮灯</title><link>https://news.example.com/n/1</link>",
            "<description>&lt;p&gt;大桥 &lt;b&gt;景观灯&lt;/b&gt; 今晚点亮&lt;/p&gt;</description>",
            "<pubDate>Wed, 01 May 2024 20:00:00 +0800</pubDate></item>\n",
            "<item><title>早市菜价平稳</title><link>https://news.example.com/n/2</link>",
            "<content:encoded><![CDATA[<div><p>记者走访早市，<em>青菜</em>每斤两元。</p><script>var x=1;</script></div>]]></content:encoded>",
            "<pubDate>Thu, 02 May 2024 07:00:00 GMT</pubDate></item>\n",
            "</channel>\n</rss>\n",
        ),
    );
    env.write(
        "d/atom.atom",
        concat!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>高原科技</title>\n",
            "<entry><title>牧区通了光纤</title><link rel=\"alternate\" href=\"https://tech.example.com/e/9\"/>",
            "<id>tag:tech.example.com,2024:9</id><updated>2024-03-10T09:00:00Z</updated><published>2024-03-09T18:00:00+08:00</published>",
            "<content type=\"html\">&lt;p&gt;牧民在帐篷里&lt;strong&gt;视频通话&lt;/strong&gt;。&lt;/p&gt;</content></entry>\n",
            "</feed>\n",
        ),
    );
    let r = index(&env, "d");
    assert_eq!(r.code, 0, "{}", r.stderr);
    check(
        &env,
        "景观灯",
        "长江大桥夜景亮灯",
        Some("2024-05-01"),
        Some("江城日报"),
        Some("https://news.example.com/n/1"),
    );
    check(
        &env,
        "青菜",
        "早市菜价平稳",
        Some("2024-05-02"),
        Some("江城日报"),
        Some("https://news.example.com/n/2"),
    );
    check(
        &env,
        "视频通话",
        "牧区通了光纤",
        Some("2024-03-09"),
        Some("高原科技"),
        Some("https://tech.example.com/e/9"),
    );
    // Markup never reaches the index.
    assert_eq!(env.run(&["search", "strong", "--json"]).code, 1);
    assert_eq!(env.run(&["search", "var", "--json"]).code, 1);
}

// # Nothing skipped in silence

#[test]
fn passed_over_files_are_named_by_type() {
    let env = Env::new();
    env.write("d/a.json", r#"{"title":"标题","body":"正文内容"}"#);
    env.write("d/b.xlsx", b"PK\x03\x04binary");
    env.write("d/c.xlsx", b"PK\x03\x04binary");
    env.write("d/logo.png", b"\x89PNG\r\n\x1a\n");
    let r = index(&env, "d");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("passed over 3 files of types it does not read: .xlsx ×2, .png ×1"),
        "{}",
        r.stderr
    );
    let r = env.run(&["inspect", "d"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("b.xlsx: passed over (.xlsx is not a type newsidx reads)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("logo.png: passed over"), "{}", r.stdout);
}

#[test]
fn inspect_shows_which_column_became_which_field() {
    let env = Env::new();
    env.write("d/x.csv", "标题,正文,阅读量,发布时间\n甲,乙,5,2024-01-01\n");
    let r = env.run(&["inspect", "d/x.csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("fields: 标题 → title, 正文 → body, 阅读量 (not read), 发布时间 → date"),
        "{}",
        r.stdout
    );
    let r = env.run(&["inspect", "--json", "d/x.csv"]);
    let file = r
        .json()
        .into_iter()
        .find(|v| v["type"] == "file")
        .unwrap_or_default();
    assert_eq!(file["data"]["fields"][0]["from"], "标题", "{file}");
    assert_eq!(file["data"]["fields"][0]["to"], "title", "{file}");
}

// # Bad files of each kind

#[test]
fn a_bad_file_of_each_kind_costs_one_line_and_nothing_else() {
    let env = Env::new();
    env.write(
        "d/good.json",
        r#"{"title":"好文件","body":"好文件里的独有词语蓝鲸"}"#,
    );
    // A CSV that is only a header; a feed that is not XML; an Atom feed
    // without entries.
    env.write("d/empty.csv", "title,content\n");
    env.write(
        "d/broken.rss",
        "<rss><channel><title>频道</title>\n<!-- a comment never closed <item>",
    );
    env.write(
        "d/none.atom",
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>空</title></feed>",
    );
    let r = index(&env, "d");
    assert_eq!(r.code, 2, "{}", r.stderr);
    for f in ["empty.csv", "broken.rss", "none.atom"] {
        assert_eq!(warnings_about(&r, f).len(), 1, "{f}: {}", r.stderr);
    }
    assert!(
        r.stderr.contains("indexed 1 articles from 1 files"),
        "{}",
        r.stderr
    );
    assert_eq!(only_hit(&env, "蓝鲸")["title"], "好文件");
}
