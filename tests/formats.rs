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

/// Writes `d/export.csv` (quoted fields, a quote and a line break inside),
/// `d/gbk.csv` (GBK) and `d/ragged.csv` (a row with an unquoted comma).
fn write_csv_edge_cases(env: &Env) {
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
}

#[test]
fn csv_edge_cases_gbk_and_ragged_rows() {
    let env = Env::new();
    write_csv_edge_cases(&env);
    let r = index(&env, "d");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("indexed 5 articles from 3 files"),
        "{}",
        r.stderr
    );
    check_csv_edge_cases(&env);
    let w = warnings_about(&r, "ragged.csv:2");
    assert_eq!(w.len(), 1, "{}", r.stderr);
    assert!(w[0].contains("row has 5 fields"), "{}", r.stderr);
}

/// Checks the five articles of [`write_csv_edge_cases`].
fn check_csv_edge_cases(env: &Env) {
    check(
        env,
        "龙门吊",
        "港口扩建, 二期开工",
        Some("2024-05-01"),
        Some("江城日报"),
        Some("https://news.example.com/a1"),
    );
    let h = only_hit(env, "干劲十足");
    assert!(
        h["passages"][0]["text"]
            .as_str()
            .unwrap_or("")
            .contains("\"干劲十足\""),
        "{h}"
    );
    check(
        env,
        "荔枝",
        "果园丰收",
        Some("2024-06-02"),
        Some("南方农报"),
        Some("https://news.example.com/a2"),
    );
    check(
        env,
        "花灯",
        "古镇灯会",
        Some("2024-02-24"),
        Some("古镇晚报"),
        None,
    );
    check(
        env,
        "满载而归",
        "渔船归港",
        Some("2024-03-03"),
        Some("海滨日报"),
        None,
    );
    check(
        env,
        "老街",
        "书店开业",
        Some("2024-03-04"),
        Some("老街周刊"),
        None,
    );
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
    assert_eq!(file["fields"][0]["from"], "标题", "{file}");
    assert_eq!(file["fields"][0]["to"], "title", "{file}");
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

// # WARC

/// One WARC record: headers, `block`, and the two line breaks after it.
fn warc_record(kind: &str, uri: &str, date: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{:08x}-0000-0000-0000-000000000000>\r\nWARC-Date: {date}\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len() * 7919 + uri.len(),
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

/// An HTTP response record around `body`.
fn http_response(uri: &str, date: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut block = format!(
        "HTTP/1.1 200 OK\r\n{headers}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    block.extend_from_slice(body);
    warc_record(
        kind_response(),
        uri,
        date,
        "application/http; msgtype=response",
        &block,
    )
}

fn kind_response() -> &'static str {
    "response"
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap_or_default();
    e.finish().unwrap_or_default()
}

fn gbk(s: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(s).0.into_owned()
}

/// A CC-NEWS-like `.warc.gz`: one gzip member per record.
fn news_warc_gz() -> Vec<u8> {
    let page_header_gbk = gbk(
        "<html><head><title>山区通上高速公路_示例新闻网</title><meta property=\"og:site_name\" content=\"示例新闻网\"><meta property=\"article:published_time\" content=\"2024-05-01T09:00:00+08:00\"></head><body><div class=\"nav\">首页 | 国内</div><article><h1>山区通上高速公路</h1><p>今天上午，连接山区三县的高速公路正式通车，沿线群众出行时间缩短一半。</p><p>通车仪式上，一位老人说，过去去县城要走一整天。</p></article></body></html>",
    );
    let page_meta_gbk = gbk(
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><title>古城墙修缮完工</title></head><body><h1>古城墙修缮完工</h1><p>历时两年的古城墙修缮工程完工，城墙步道重新向游客开放，夜间还将点亮灯光。</p></body></html>",
    );
    let page_utf8 = "<html><head><meta charset=\"utf-8\"><title>海岛建成海水淡化站</title></head><body><h1>海岛建成海水淡化站</h1><p>海岛居民用上了淡化海水，每天供水五百吨，告别了靠船运淡水的日子。</p></body></html>";
    let page_big5 = encoding_rs::BIG5
        .encode("<html><head><title>夜市攤商改用電子支付</title></head><body><h1>夜市攤商改用電子支付</h1><p>老街夜市的攤商紛紛改用電子支付，遊客掃碼就能買到蚵仔煎。</p></body></html>")
        .0
        .into_owned();
    let truncated = gz(&http_response(
        "https://news.example.com/cut.html",
        "2024-05-03T00:00:00Z",
        "Content-Type: text/html; charset=utf-8",
        "<html><body><p>这条记录被截断了，不应出现在索引里的独特词语雪豹。</p></body></html>"
            .as_bytes(),
    ));
    let mut out = Vec::new();
    out.extend(gz(&warc_record(
        "warcinfo",
        "",
        "2024-05-01T00:00:00Z",
        "application/warc-fields",
        b"software: test\r\n",
    )));
    out.extend(gz(&warc_record(
        "request",
        "https://news.example.com/road.html",
        "2024-05-01T01:00:00Z",
        "application/http; msgtype=request",
        b"GET /road.html HTTP/1.1\r\nHost: news.example.com\r\n\r\n",
    )));
    out.extend(gz(&http_response(
        "https://news.example.com/road.html",
        "2024-05-01T01:00:00Z",
        "Content-Type: text/html; charset=GBK",
        &page_header_gbk,
    )));
    out.extend(gz(&http_response(
        "https://news.example.com/wall.html",
        "2024-05-02T03:00:00Z",
        "Content-Type: text/html",
        &page_meta_gbk,
    )));
    out.extend(gz(&http_response(
        "https://news.example.com/logo.png",
        "2024-05-02T03:00:01Z",
        "Content-Type: image/png",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    )));
    out.extend(&truncated[..truncated.len() / 2]);
    out.extend(gz(&http_response(
        "https://news.example.com/water.html",
        "2024-05-04T05:00:00Z",
        "Content-Type: text/html; charset=utf-8",
        page_utf8.as_bytes(),
    )));
    out.extend(gz(&http_response(
        "https://tw.example.com/market.html",
        "2024-05-05T05:00:00Z",
        "Content-Type: text/html; charset=big5",
        &page_big5,
    )));
    out
}

#[test]
fn warc_gz_with_gbk_pages_a_non_html_record_and_a_truncated_record() {
    let env = Env::new();
    env.write("d/CC-NEWS-20240501.warc.gz", news_warc_gz());
    let r = index(&env, "d");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("indexed 4 articles from 1 files"),
        "{}",
        r.stderr
    );
    let w = warnings_about(&r, "CC-NEWS-20240501.warc.gz");
    assert_eq!(w.len(), 1, "{}", r.stderr);
    assert!(w[0].contains("damaged"), "{}", r.stderr);
    check(
        &env,
        "高速公路",
        "山区通上高速公路",
        Some("2024-05-01"),
        Some("示例新闻网"),
        Some("https://news.example.com/road.html"),
    );
    check(
        &env,
        "城墙步道",
        "古城墙修缮完工",
        Some("2024-05-02"),
        Some("news.example.com"),
        Some("https://news.example.com/wall.html"),
    );
    check(
        &env,
        "淡化海水",
        "海岛建成海水淡化站",
        Some("2024-05-04"),
        Some("news.example.com"),
        Some("https://news.example.com/water.html"),
    );
    check(
        &env,
        "蚵仔煎",
        "夜市攤商改用電子支付",
        Some("2024-05-05"),
        Some("tw.example.com"),
        Some("https://tw.example.com/market.html"),
    );
    assert_eq!(env.run(&["search", "雪豹"]).code, 1);
    assert_eq!(env.run(&["search", "IHDR"]).code, 1);
    let r = env.run(&["inspect", "d"]);
    assert!(
        r.stdout
            .contains("warc, per record, gzip, 4 articles, 1 warnings"),
        "{}",
        r.stdout
    );
}

#[test]
fn plain_warc_with_a_record_cut_short_and_wet_text() {
    let env = Env::new();
    let mut warc = http_response(
        "https://a.example.com/1",
        "2024-06-01T00:00:00Z",
        "Content-Type: text/html; charset=utf-8",
        "<html><body><h1>第一篇</h1><p>湖边新开了一家书店，名叫听雨。</p></body></html>".as_bytes(),
    );
    // A record whose Content-Length claims more than it holds: the next
    // record starts inside it.
    let cut = http_response(
        "https://a.example.com/2",
        "2024-06-02T00:00:00Z",
        "Content-Type: text/html; charset=utf-8",
        "<html><body><p>截断的记录里有独特词语藏羚羊。</p></body></html>".as_bytes(),
    );
    let cut = String::from_utf8_lossy(&cut).replace("Content-Length: 1", "Content-Length: 9");
    warc.extend(&cut.as_bytes()[..cut.len() - 40]);
    warc.extend(http_response(
        "https://a.example.com/3",
        "2024-06-03T00:00:00Z",
        "Content-Type: text/html; charset=utf-8",
        "<html><body><h1>第三篇</h1><p>山顶的气象站迎来第一场雪。</p></body></html>".as_bytes(),
    ));
    env.write("d/crawl.warc", &warc);
    env.write(
        "d/crawl.warc.wet",
        warc_record(
            "conversion",
            "https://b.example.com/wet",
            "2024-06-04T00:00:00Z",
            "text/plain",
            "渔港开渔节\n今年的开渔节上，上百艘渔船同时出海。".as_bytes(),
        ),
    );
    let r = index(&env, "d");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("indexed 3 articles from 2 files"),
        "{}",
        r.stderr
    );
    assert_eq!(warnings_about(&r, "crawl.warc:").len(), 1, "{}", r.stderr);
    check(
        &env,
        "听雨",
        "第一篇",
        Some("2024-06-01"),
        Some("a.example.com"),
        Some("https://a.example.com/1"),
    );
    check(
        &env,
        "气象站",
        "第三篇",
        Some("2024-06-03"),
        Some("a.example.com"),
        Some("https://a.example.com/3"),
    );
    check(
        &env,
        "渔船",
        "渔港开渔节",
        Some("2024-06-04"),
        Some("b.example.com"),
        Some("https://b.example.com/wet"),
    );
    assert_eq!(env.run(&["search", "藏羚羊"]).code, 1);
}

#[test]
fn a_bad_warc_costs_one_line() {
    let env = Env::new();
    env.write(
        "d/good.json",
        r#"{"title":"好文件","body":"好文件里的独有词语蓝鲸"}"#,
    );
    env.write(
        "d/garbage.warc.gz",
        gz(b"this is not a WARC file at all\r\n"),
    );
    env.write(
        "d/empty.warc",
        "WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: nonsense\r\n\r\n",
    );
    let r = index(&env, "d");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        warnings_about(&r, "garbage.warc.gz").len(),
        1,
        "{}",
        r.stderr
    );
    assert_eq!(warnings_about(&r, "empty.warc").len(), 1, "{}", r.stderr);
    assert_eq!(only_hit(&env, "蓝鲸")["title"], "好文件");
}

// # Parquet

#[cfg(feature = "parquet")]
/// One Parquet row: title, content, date, source, link.
type Row<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

/// Writes a Parquet file of news rows in two row groups (snappy), with an
/// extra column that is not read, a list of authors and a null date.
#[cfg(feature = "parquet")]
fn write_parquet(path: &std::path::Path) -> parquet::errors::Result<()> {
    use std::sync::Arc;

    use parquet::basic::Compression;
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;

    let schema = Arc::new(parse_message_type(
        "message news {
            required binary title (UTF8);
            required binary content (UTF8);
            optional binary publish_time (UTF8);
            optional binary source (UTF8);
            optional binary url (UTF8);
            required int32 views;
        }",
    )?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build(),
    );
    let file = std::fs::File::create(path)
        .map_err(|e| parquet::errors::ParquetError::General(e.to_string()))?;
    let mut w = SerializedFileWriter::new(file, schema, props)?;
    for group in parquet_groups() {
        let mut rg = w.next_row_group()?;
        let mut col_no = 0;
        while let Some(mut col) = rg.next_column()? {
            write_parquet_column(&mut col, col_no, &group)?;
            col.close()?;
            col_no += 1;
        }
        rg.close()?;
    }
    w.close()?;
    Ok(())
}

/// The rows of [`write_parquet`], in two row groups.
#[cfg(feature = "parquet")]
fn parquet_groups() -> [[Row<'static>; 2]; 2] {
    [
        [
            (
                "草原牧民直播卖奶酪",
                "牧民在直播间里介绍手工奶酪，一晚卖出三百单。",
                Some("2024-07-01 10:00:00"),
                Some("北疆日报"),
                Some("https://n.example.com/p/1"),
            ),
            (
                "古籍修复师的一天",
                "修复师用毛笔和浆糊修补虫蛀的古籍书页。",
                None,
                Some("文化周刊"),
                None,
            ),
        ],
        [
            (
                "深海科考船返航",
                "科考船带回了深海热液区的岩石样本。",
                Some("2024年7月3日"),
                None,
                Some("https://n.example.com/p/3"),
            ),
            (
                "",
                "只有正文没有标题的一行，写到了独特词语穿山甲，也要被找到。",
                Some("2024-07-04"),
                Some("北疆日报"),
                None,
            ),
        ],
    ]
}

/// Writes column `col_no` of one row group: the five text columns of the
/// rows (the last three optional), then `views`.
#[cfg(feature = "parquet")]
fn write_parquet_column(
    col: &mut parquet::file::writer::SerializedColumnWriter<'_>,
    col_no: usize,
    group: &[Row],
) -> parquet::errors::Result<()> {
    use parquet::data_type::{ByteArray, ByteArrayType, Int32Type};

    if col_no == 5 {
        return col
            .typed::<Int32Type>()
            .write_batch(&[7, 9], None, None)
            .map(drop);
    }
    let cells: Vec<Option<&str>> = group
        .iter()
        .map(|r| match col_no {
            0 => Some(r.0),
            1 => Some(r.1),
            2 => r.2,
            3 => r.3,
            _ => r.4,
        })
        .collect();
    let values: Vec<ByteArray> = cells
        .iter()
        .flatten()
        .map(|s| ByteArray::from(*s))
        .collect();
    let defs: Vec<i16> = cells.iter().map(|c| i16::from(c.is_some())).collect();
    let defs = (col_no >= 2).then_some(defs.as_slice());
    col.typed::<ByteArrayType>()
        .write_batch(&values, defs, None)
        .map(drop)
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_rows_by_column_name() {
    let env = Env::new();
    std::fs::create_dir_all(env.path().join("d")).unwrap_or_default();
    write_parquet(&env.path().join("d/news.parquet"))
        .unwrap_or_else(|e| panic!("writing parquet: {e}"));
    env.write("d/not-really.parquet", "PAR1 but nothing else");
    let r = index(&env, "d");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        warnings_about(&r, "not-really.parquet").len(),
        1,
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("indexed 4 articles from 1 files"),
        "{}",
        r.stderr
    );
    check(
        &env,
        "奶酪",
        "草原牧民直播卖奶酪",
        Some("2024-07-01"),
        Some("北疆日报"),
        Some("https://n.example.com/p/1"),
    );
    check(
        &env,
        "浆糊",
        "古籍修复师的一天",
        None,
        Some("文化周刊"),
        None,
    );
    check(
        &env,
        "热液",
        "深海科考船返航",
        Some("2024-07-03"),
        None,
        Some("https://n.example.com/p/3"),
    );
    let h = only_hit(&env, "穿山甲");
    assert_eq!(h["date"], "2024-07-04", "{h}");
    let r = env.run(&["inspect", "d/news.parquet"]);
    assert!(
        r.stdout.contains("fields: title → title, content → body, publish_time → date, source → source, url → url, views (not read)"),
        "{}",
        r.stdout
    );
}
