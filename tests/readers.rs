//! Readers: every supported format, encoding and compression, a generated
//! corpus of broken files, and (when present) the real dumps in
//! `../shared/data`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use newsidx::corpus::{self, Article, FileInfo};
use newsidx::dates::format_ymd;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsidx"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run newsidx")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn read(path: &Path) -> (FileInfo, Vec<Article>) {
    let mut arts = Vec::new();
    let info = corpus::read_file(path, &path.display().to_string(), &mut |a| arts.push(a))
        .unwrap_or_else(|e| panic!("{}: {e:#}", path.display()));
    (info, arts)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

/// `../shared/data`, or `None` (with a message) when it is absent.
fn shared_data() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if p.join("news/raw").is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/data is absent");
        None
    }
}

// # Formats and encodings (fixtures made here)

const SOGOU: &str = "<docs>\n<doc>\n<url>http://news.example.com/20120706/n1.shtml</url>\n<docno>a1</docno>\n<contenttitle>江城地铁增开夜班车　方便晚归乘客</contenttitle>\n<content>记者从江城地铁获悉，自下周起三条线路增开夜班车。（完）</content>\n</doc>\n<doc>\n<url>http://news.example.com/20120707/n2.shtml</url>\n<docno>a2</docno>\n<contenttitle>山区小学用上新课桌</contenttitle>\n<content>一批新课桌椅运抵山区小学，孩子们十分高兴。</content>\n</doc>\n</docs>\n";

#[test]
fn doc_dumps_decode_identically_in_every_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let crlf = SOGOU.replace('\n', "\r\n");
    let mut utf16 = vec![0xFF, 0xFE];
    for u in SOGOU.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(SOGOU.as_bytes());
    let files = [
        write(dir.path(), "utf8.dat", SOGOU.as_bytes()),
        write(dir.path(), "bom.dat", &bom),
        write(dir.path(), "gbk.dat", &encoding_rs::GBK.encode(SOGOU).0),
        write(
            dir.path(),
            "gb18030.dat",
            &encoding_rs::GB18030.encode(&crlf).0,
        ),
        write(dir.path(), "utf16.dat", &utf16),
        write(dir.path(), "utf8.dat.gz", &gzip(SOGOU.as_bytes())),
        write(
            dir.path(),
            "utf8.dat.zst",
            &zstd::encode_all(SOGOU.as_bytes(), 1).unwrap(),
        ),
    ];
    let key = |a: &Article| (a.title.clone(), a.body.clone(), a.date, a.url.clone());
    let (_, base) = read(&files[0]);
    assert_eq!(base.len(), 2);
    assert_eq!(base[0].title, "江城地铁增开夜班车　方便晚归乘客");
    assert_eq!(base[0].date.map(format_ymd).as_deref(), Some("2012-07-06"));
    for f in &files[1..] {
        let (info, arts) = read(f);
        assert_eq!(info.format.to_string(), "doc-xml", "{}", f.display());
        assert!(info.warnings.is_empty(), "{:?}", info.warnings);
        let a: Vec<_> = arts.iter().map(key).collect();
        let b: Vec<_> = base.iter().map(key).collect();
        assert_eq!(a, b, "{}", f.display());
    }
    assert_eq!(read(&files[2]).0.encoding, "GBK");
    assert_eq!(read(&files[5]).0.compression, Some("gzip"));
}

#[test]
fn big5_text_page() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "颱風過境　街道積水\n\n中央氣象局表示，颱風今晨登陸，各地出現豪雨，部分街道積水嚴重。\n";
    let p = write(dir.path(), "big5.txt", &encoding_rs::BIG5.encode(text).0);
    let (info, arts) = read(&p);
    assert_eq!(info.encoding, "Big5");
    assert_eq!(arts[0].title, "颱風過境　街道積水");
}

#[test]
fn every_multi_record_format_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = "体育\t小城球队夺冠本报讯 昨晚小城球队赢得冠军。\n财经\t菜价回落新华网北京3月2日电 本周菜价回落。\n";
    let md = "# 《晚间新闻》 (20240315)\n\n## 详细新闻\n\n### 春耕生产有序展开\n\n<p>各地抓住晴好天气开展春耕。</p>\n\n[查看原文](https://example.com/a)\n\n### 南方迎来降雨\n\n<p>未来三天南方有中到大雨。</p>\n";
    let lcsts = "<doc id=0>\n  <summary>\n    湖面结冰\n  </summary>\n  <short_text>\n    寒潮过后湖面结冰。\n  </short_text>\n</doc>\n";
    let jsonl = "{\"title\":\"一\",\"body\":\"甲\",\"date\":1689206400}\n{\"title\":\"二\",\"body\":\"乙\"}\n";
    let cases: [(&str, &[u8], &str, usize); 6] = [
        ("news.tsv", tsv.as_bytes(), "tsv", 2),
        ("20240315.md", md.as_bytes(), "markdown-dump", 2),
        ("PART.txt", lcsts.as_bytes(), "doc-xml", 1),
        ("dump", jsonl.as_bytes(), "jsonl", 2),
        ("dump2.gz", &gzip(jsonl.as_bytes()), "jsonl", 2),
        ("t.tsv.bz2", &bzip(tsv.as_bytes()), "tsv", 2),
    ];
    for (name, bytes, format, n) in cases {
        let p = write(dir.path(), name, bytes);
        let (info, arts) = read(&p);
        assert_eq!(
            (info.format.to_string().as_str(), arts.len()),
            (format, n),
            "{name}"
        );
        for (i, a) in arts.iter().enumerate() {
            assert_eq!(a.id, format!("{}#{}", p.display(), i + 1));
        }
    }
    let (_, md_arts) = read(&dir.path().join("20240315.md"));
    assert_eq!(
        md_arts[1].date.map(format_ymd).as_deref(),
        Some("2024-03-15")
    );
    assert_eq!(md_arts[0].url.as_deref(), Some("https://example.com/a"));
    let (_, t) = read(&dir.path().join("news.tsv"));
    assert_eq!(t[0].title, "小城球队夺冠");
}

fn bzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    e.write_all(bytes).expect("bzip2");
    e.finish().expect("bzip2")
}

// # Broken files

/// A folder of good and broken files; returns the names of the broken ones.
fn broken_corpus(dir: &Path) -> Vec<&'static str> {
    write(
        dir,
        "good.txt",
        "湿地公园开放\n\n周六上午，江边湿地公园正式开放，首日迎来上万名游客。\n".as_bytes(),
    );
    write(
        dir,
        "lines.jsonl",
        "{\"title\":\"春茶上市\",\"body\":\"明前龙井开始采摘。\"}\n{broken json\n{\"title\":\"夏粮丰收\",\"body\":\"小麦亩产创新高。\",\"date\":\"前天\"}\n".as_bytes(),
    );
    let mut damaged = "古镇灯会\n\n元宵节古镇举办灯会，游人如织。"
        .as_bytes()
        .to_vec();
    damaged.insert(20, 0xFF);
    write(dir, "damaged.txt", &damaged);
    write(dir, "empty.txt", b"");
    write(
        dir,
        "picture.txt",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10",
    );
    write(dir, "photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(dir, "notes.bin", &[0u8, 1, 2, 3, 255, 254]);
    // A gzip cut in half: what came before the cut is kept.
    let many: String = (0..400)
        .map(|i| {
            format!(
                "{{\"title\":\"第{i}条快讯\",\"body\":\"快讯正文{i}，内容各不相同。{}\"}}\n",
                i * 7919
            )
        })
        .collect();
    let gz = gzip(many.as_bytes());
    write(dir, "cut.jsonl.gz", &gz[..gz.len() / 2]);
    write(dir, "tiny-cut.jsonl.gz", &gz[..12]);
    write(dir, "bad.json", b"{\"title\": \"unterminated");
    // One line over the 16 MB record limit, then a good line.
    let mut long = b"{\"title\":\"\xe9\x95\xbf\",\"body\":\"".to_vec();
    long.resize(17 << 20, b'x');
    long.extend_from_slice(b"\"}\n{\"title\":\"\xe7\x9f\xad\",\"body\":\"ok\"}\n");
    write(dir, "long.jsonl", &long);
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir, dir.join("loop")).expect("symlink");
    vec![
        "empty.txt",
        "picture.txt",
        "tiny-cut.jsonl.gz",
        "bad.json",
        "loop",
    ]
}

#[test]
fn broken_files_cost_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let bad = broken_corpus(&corpus);
    let index = dir.path().join("idx");
    let o = run(&[
        "index",
        corpus.to_str().unwrap(),
        "-i",
        index.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for name in &bad {
        let lines: Vec<&str> = err
            .lines()
            .filter(|l| l.contains(&format!("/{name}")))
            .collect();
        assert_eq!(lines.len(), 1, "{name}: {err}");
    }
    for name in ["photo.png", "notes.bin"] {
        assert!(
            !err.contains(name),
            "{name} should be ignored silently: {err}"
        );
    }
    assert!(err.contains("lines.jsonl:2: invalid JSON"), "{err}");
    assert!(err.contains("damaged.txt: 1 undecodable"), "{err}");
    assert!(err.contains("cut.jsonl.gz: reading stopped early"), "{err}");
    assert!(err.contains("long.jsonl:1: line of"), "{err}");
    assert!(err.contains("5 skipped"), "{err}");
    for q in ["湿地公园", "夏粮丰收", "古镇灯会", "第3条快讯", "短"] {
        let o = run(&["search", q, "-i", index.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{q}: {}", stderr(&o));
    }
}

#[test]
fn a_named_file_is_always_attempted() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let o = run(&["inspect", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("photo.png: binary file"),
        "{}",
        stderr(&o)
    );
    let gone = dir.path().join("vanished.txt");
    let o = run(&["inspect", gone.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("vanished.txt: no such file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn inspect_reports_without_an_index() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.dat", &encoding_rs::GB18030.encode(SOGOU).0);
    let o = bin()
        .current_dir(dir.path())
        .args(["inspect", "a.dat", "--json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["type"], "file");
    assert_eq!(first["format"], "doc-xml");
    assert_eq!(first["articles"], 2);
    assert_eq!(first["shown"][1]["title"], "山区小学用上新课桌");
    assert!(!dir.path().join("index").exists());
}

// # The real dumps in ../shared/data

#[test]
fn shared_raw_dumps_give_the_expected_counts() {
    let Some(data) = shared_data() else { return };
    let raw = data.join("news/raw");
    for (file, n) in [
        ("sogou/SogouCA_news_tensite_xml.smarty.GBK.dat", 200),
        ("sogou/SogouCS_news_sohusite_xml.smarty.GB18030.dat", 200),
        ("sogou/SogouCS_news_sohusite_xml.smarty.UTF8.dat", 200),
        ("thucnews/thucnews_union_dedup.tsv", 1391),
        ("lcsts/PART_III.txt", 1106),
    ] {
        let (_, arts) = read(&raw.join(file));
        assert_eq!(arts.len(), n, "{file}");
        assert!(
            arts.iter().all(|a| !a.title.is_empty()),
            "{file}: empty title"
        );
    }
    let (mut sections, mut articles) = (0, 0);
    for e in std::fs::read_dir(raw.join("xwlb")).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        sections += text.lines().filter(|l| l.starts_with("### ")).count();
        let (info, arts) = read(&p);
        assert_eq!(info.format.to_string(), "markdown-dump");
        let day = p.file_stem().unwrap().to_str().unwrap().to_string();
        let day = format!("{}-{}-{}", &day[..4], &day[4..6], &day[6..8]);
        for a in &arts {
            assert_eq!(
                a.date.map(format_ymd).as_deref(),
                Some(day.as_str()),
                "{}",
                a.id
            );
            assert!(!a.body.contains("<p>") && !a.body.is_empty(), "{}", a.id);
        }
        articles += arts.len();
    }
    assert_eq!(articles, sections);
}

#[test]
fn shared_sogou_pair_gives_identical_articles() {
    let Some(data) = shared_data() else { return };
    let dir = data.join("news/raw/sogou");
    let (ia, a) = read(&dir.join("SogouCS_news_sohusite_xml.smarty.GB18030.dat"));
    let (ib, b) = read(&dir.join("SogouCS_news_sohusite_xml.smarty.UTF8.dat"));
    assert_eq!(ib.encoding, "UTF-8");
    assert!(ia.encoding.starts_with("GB"), "{}", ia.encoding);
    let key = |a: &Article| (a.title.clone(), a.body.clone(), a.date, a.url.clone());
    assert_eq!(
        a.iter().map(key).collect::<Vec<_>>(),
        b.iter().map(key).collect::<Vec<_>>()
    );
}

#[test]
fn shared_seed_page_is_the_article_only() {
    let Some(data) = shared_data() else { return };
    let (_, arts) = read(&data.join("seed/000_25c2df8f00ac572a.txt"));
    assert_eq!(arts.len(), 1);
    let a = &arts[0];
    assert_eq!(a.title, "马斯克与两大AI巨头交恶内幕");
    assert_eq!(a.author.as_deref(), Some("袁榭"));
    assert!(a.body.starts_with("7月13日,伊隆·马斯克"), "{}", a.body);
    assert!(
        a.body.ends_with("群雄逐鹿的态势短期内不会改变。"),
        "{}",
        a.body
    );
    for chrome in [
        "次阅读",
        "没有评论",
        "图片来源",
        "钛媒体微信号",
        "Read More",
        "正文完",
        "扫码",
        "文心AIGC",
        "热门文章",
        "热评文章",
        "DeepSeek",
        "Stack Overflow",
        "ufabet",
        "ดูบอลสด",
        "tornado",
        "最新评论",
        "文章搜索",
    ] {
        assert!(!a.body.contains(chrome), "{chrome:?} in body");
    }
}

// # A folder of pages from one site

/// Six pages of one made-up site: different articles, the same sidebar and
/// footer, with no marker line that the per-page rules would catch.
fn site_folder(dir: &Path) {
    let stories = [
        (
            "江边湿地公园开放",
            "周六上午，江边湿地公园正式开放，首日迎来上万名游客。",
        ),
        (
            "老街完成改造",
            "经过一年施工，老街改造完成，沿街商铺陆续开门迎客。",
        ),
        (
            "新图书馆试运营",
            "市新图书馆开始试运营，藏书八十万册，周末需预约入馆。",
        ),
        (
            "春季马拉松开跑",
            "春季马拉松今晨鸣枪，两万名跑者沿江奔跑，气氛热烈。",
        ),
        (
            "夜市延长营业",
            "为迎接假期客流，夜市营业时间延长至凌晨一点。",
        ),
        (
            "公交新线开通",
            "三条公交新线今日开通，连接城东新区与地铁站。",
        ),
    ];
    for (i, (title, body)) in stories.iter().enumerate() {
        let page = format!(
            "{title}\n\n{body}\n\n本站推荐\n城南菜市场搬迁，摊主喜迁新址。\n山顶观景台周末免费开放。\n关于我们 | 联系方式 | 投稿邮箱\n"
        );
        write(dir, &format!("page{i}.txt"), page.as_bytes());
    }
    write(dir, "dump.dat", &encoding_rs::GB18030.encode(SOGOU).0);
    write(dir, "page.shtml", r#"<html><head><title>Old page - Site</title></head><body><nav>Home</nav><h1>河堤加固完工</h1><p>汛期到来前，城区河堤加固工程全部完工，防洪标准提高到百年一遇。</p><footer>Copyright</footer></body></html>"#.as_bytes());
}

#[test]
fn repeated_site_lines_are_not_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("site");
    std::fs::create_dir(&corpus).unwrap();
    site_folder(&corpus);
    let index = dir.path().join("idx");
    let idx = index.to_str().unwrap();
    let o = run(&["index", corpus.to_str().unwrap(), "-i", idx]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("indexed 9 articles from 8 files"),
        "{}",
        stderr(&o)
    );
    for q in ["湿地公园", "夜市", "河堤加固", "山区小学"] {
        let o = run(&["search", q, "-i", idx]);
        assert_eq!(o.status.code(), Some(0), "{q}: {}", stderr(&o));
    }
    // Words only in the shared sidebar and footer find nothing.
    for q in ["菜市场", "观景台", "投稿邮箱", "Copyright"] {
        let o = run(&["search", q, "-i", idx]);
        assert_eq!(o.status.code(), Some(1), "{q}: {}", stdout(&o));
    }
}

// # HTML

#[test]
fn html_page_main_text_only() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/readers/news.html");
    let html = std::fs::read(&fixture).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for name in ["news.html", "news.shtml", "news.htm.gz", "news-noext"] {
        let bytes = if name.ends_with(".gz") {
            gzip(&html)
        } else {
            html.clone()
        };
        let p = write(dir.path(), name, &bytes);
        let (info, arts) = read(&p);
        assert_eq!(info.format.to_string(), "html", "{name}");
        let a = &arts[0];
        assert_eq!(a.title, "古城墙修缮工程启动", "{name}");
        assert_eq!(
            a.date.map(format_ymd).as_deref(),
            Some("2024-09-18"),
            "{name}"
        );
        assert!(a.body.contains("预计明年五月完工"), "{}", a.body);
        assert!(a.body.contains("另有八处正在施工"), "{}", a.body);
        for junk in [
            "统计脚本",
            "font-family",
            "城市频道",
            "要闻",
            "分享到",
            "老树",
            "sneakers",
            "热门文章",
            "五号线",
            "菊花展",
            "版权所有",
            "网站地图",
        ] {
            assert!(!a.body.contains(junk), "{name}: {junk:?} in {}", a.body);
        }
    }
}

#[test]
fn damaged_gbk_costs_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "秋收时节\n\n金秋十月，田野里一片丰收景象，农民们忙着收割稻谷，脸上洋溢着喜悦。".repeat(3);
    let mut bytes = encoding_rs::GBK.encode(&text).0.into_owned();
    bytes.extend_from_slice(b"\x81");
    let p = write(dir.path(), "gbk.txt", &bytes);
    let (info, arts) = read(&p);
    assert_eq!(info.encoding, "GBK");
    assert_eq!(arts.len(), 1);
    assert_eq!(info.warnings.len(), 1, "{:?}", info.warnings);
    assert!(
        info.warnings[0].contains("undecodable"),
        "{:?}",
        info.warnings
    );
    // A byte lost in the middle of a line (the old Sogou dumps have these).
    let lines = "金秋十月，田野里一片丰收景象。\n".repeat(6);
    let mut bytes = encoding_rs::GBK
        .encode(&format!("秋收时节\n{lines}"))
        .0
        .into_owned();
    bytes.remove(30);
    let p = write(dir.path(), "lost.txt", &bytes);
    let (info, arts) = read(&p);
    assert_eq!(info.encoding, "GBK");
    assert!(
        arts[0].body.ends_with("田野里一片丰收景象。"),
        "{}",
        arts[0].body
    );
}
