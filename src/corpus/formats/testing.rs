//! What the readers' unit tests share: a reader run over a text (and
//! `read_as!`, which names that run `read` in a test module), and an
//! article's date as `YYYY-MM-DD`.

use anyhow::Result;

use crate::corpus::article::Article;
use crate::corpus::sink::Sink;
use crate::dates::format_ymd;

/// Runs a format reader over `text` as the file `name` and
/// returns its articles and warnings.
pub fn read_with(
    name: &str,
    text: &str,
    parse: impl FnOnce(&mut dyn std::io::BufRead, &mut Sink) -> Result<()>,
) -> (Vec<Article>, Vec<String>) {
    let mut arts = Vec::new();
    let mut sink = |a: Article| arts.push(a);
    let mut out = Sink::new(name, &mut sink, None);
    let r = parse(&mut text.as_bytes(), &mut out);
    assert!(r.is_ok(), "{r:?}");
    let w = out.warnings.clone();
    drop(out);
    (arts, w)
}

/// The article's date as `YYYY-MM-DD`, if it has one.
pub fn ymd(a: &Article) -> Option<String> {
    a.date.map(format_ymd)
}

/// Defines `fn read(text) -> (articles, warnings)` in a reader's test
/// module: [`read_with`] over `text` as the file `$name`, with `$parse`.
macro_rules! read_as {
    ($name:literal, $parse:expr) => {
        fn read(text: &str) -> (Vec<crate::corpus::Article>, Vec<String>) {
            crate::corpus::formats::testing::read_with($name, text, $parse)
        }
    };
}
pub(crate) use read_as;
