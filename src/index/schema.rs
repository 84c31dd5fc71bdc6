//! The index schema: one place that names every field.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};

use crate::analysis::{BIGRAMS, WORDS};

/// Bumped whenever the schema or the analysers change what is indexed.
pub const SCHEMA_VERSION: u32 = 5;

/// Field names.
pub mod names {
    /// Article id.
    pub const ID: &str = "id";
    /// Title, jieba words.
    pub const TITLE: &str = "title";
    /// Body, jieba words.
    pub const BODY: &str = "body";
    /// Title, CJK bigrams.
    pub const TITLE_BG: &str = "title_bg";
    /// Body, CJK bigrams.
    pub const BODY_BG: &str = "body_bg";
    /// Publication date.
    pub const DATE: &str = "date";
    /// Source (bigrams, for `source:` filters).
    pub const SOURCE: &str = "source";
    /// Source as one term (for counting distinct sources).
    pub const SOURCE_KEY: &str = "source_key";
    /// Author.
    pub const AUTHOR: &str = "author";
    /// Original address.
    pub const URL: &str = "url";
    /// The path the article was read from, as walked.
    pub const PATH: &str = "path";
    /// The canonical path of the file, one term (for updates and deletes).
    pub const FILE: &str = "file";
    /// SimHash of the body, for near-duplicate collapsing.
    pub const SIMHASH: &str = "simhash";
    /// People jieba tags in title and body (`nr`), one term each.
    pub const PERSON: &str = "person";
    /// Places (`ns`), one term each.
    pub const PLACE: &str = "place";
    /// Organisations (`nt`), one term each.
    pub const ORG: &str = "org";
    /// The distinct words of title and body `terms` counts (a fast field
    /// only: per article, the numbers of its words in the index's
    /// vocabulary, `vocab.rs`).
    pub const TERMS: &str = "terms";
}

/// Resolved field handles.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// See [`names::ID`].
    pub id: Field,
    /// See [`names::TITLE`].
    pub title: Field,
    /// See [`names::BODY`].
    pub body: Field,
    /// See [`names::TITLE_BG`].
    pub title_bg: Field,
    /// See [`names::BODY_BG`].
    pub body_bg: Field,
    /// See [`names::DATE`].
    pub date: Field,
    /// See [`names::SOURCE`].
    pub source: Field,
    /// See [`names::SOURCE_KEY`].
    pub source_key: Field,
    /// See [`names::AUTHOR`].
    pub author: Field,
    /// See [`names::URL`].
    pub url: Field,
    /// See [`names::PATH`].
    pub path: Field,
    /// See [`names::FILE`].
    pub file: Field,
    /// See [`names::SIMHASH`].
    pub simhash: Field,
    /// See [`names::PERSON`].
    pub person: Field,
    /// See [`names::PLACE`].
    pub place: Field,
    /// See [`names::ORG`].
    pub org: Field,
    /// See [`names::TERMS`].
    pub terms: Field,
}

/// Builds the schema.
pub fn build() -> Schema {
    let text = |tokenizer: &str, record: IndexRecordOption, stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(record),
        );
        if stored {
            o.set_stored()
        } else {
            o
        }
    };
    let words = |stored| text(WORDS, IndexRecordOption::WithFreqs, stored);
    let bigrams = |stored| text(BIGRAMS, IndexRecordOption::WithFreqsAndPositions, stored);
    let mut b = Schema::builder();
    b.add_text_field(names::ID, STRING | STORED);
    b.add_text_field(names::TITLE, words(true));
    b.add_text_field(names::BODY, words(true));
    b.add_text_field(names::TITLE_BG, bigrams(false));
    b.add_text_field(names::BODY_BG, bigrams(false));
    b.add_date_field(
        names::DATE,
        DateOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    b.add_text_field(names::SOURCE, bigrams(true));
    b.add_text_field(names::SOURCE_KEY, STRING);
    b.add_text_field(names::AUTHOR, STORED);
    b.add_text_field(names::URL, STORED);
    b.add_text_field(names::PATH, STORED);
    b.add_text_field(names::FILE, STRING);
    b.add_u64_field(names::SIMHASH, NumericOptions::default() | FAST | STORED);
    for name in [names::PERSON, names::PLACE, names::ORG] {
        // Neither stored nor a fast column: the filters and `terms --kind`
        // read the postings (search/local/terms.rs).
        b.add_text_field(name, STRING);
    }
    b.add_u64_field(names::TERMS, FAST);
    b.build()
}

impl Fields {
    /// Resolves the field handles of `schema`.
    pub fn new(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |n: &str| schema.get_field(n);
        Ok(Fields {
            id: f(names::ID)?,
            title: f(names::TITLE)?,
            body: f(names::BODY)?,
            title_bg: f(names::TITLE_BG)?,
            body_bg: f(names::BODY_BG)?,
            date: f(names::DATE)?,
            source: f(names::SOURCE)?,
            source_key: f(names::SOURCE_KEY)?,
            author: f(names::AUTHOR)?,
            url: f(names::URL)?,
            path: f(names::PATH)?,
            file: f(names::FILE)?,
            simhash: f(names::SIMHASH)?,
            person: f(names::PERSON)?,
            place: f(names::PLACE)?,
            org: f(names::ORG)?,
            terms: f(names::TERMS)?,
        })
    }
}
