//! The query language: words, "phrases", OR, -exclusions and field:value.
//!
//! ```text
//! 马斯克 收购            both words (each may be any text; see below)
//! "人工智能公司"          the exact text, as a substring
//! 苹果 OR 华为            either
//! -广告                   must not contain 广告
//! title:马斯克 source:新华社
//! person:王毅 place:北京 org:国务院   articles jieba tagged with that name
//! ```
//! Unquoted text is split into words later (by jieba), so 马斯克收购推特
//! needs all three words, never the whole string as a phrase.

use thiserror::Error;

/// Which field a clause looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Title and body.
    Any,
    /// Title only.
    Title,
    /// Body only.
    Body,
    /// Source (a filter, not scored).
    Source,
    /// A person jieba tagged in the article, exactly (a filter).
    Person,
    /// A place, exactly (a filter).
    Place,
    /// An organisation, exactly (a filter).
    Org,
}

impl Scope {
    /// True for the scopes that filter rather than score: `source:` and
    /// the names (`person:`, `place:`, `org:`).
    pub fn is_filter(self) -> bool {
        matches!(
            self,
            Scope::Source | Scope::Person | Scope::Place | Scope::Org
        )
    }
}

/// One piece of query text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Atom {
    /// Unquoted text: split into words, each required.
    Words(String),
    /// Quoted text: matched exactly.
    Phrase(String),
}

/// A clause: an atom in a scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Where to look.
    pub scope: Scope,
    /// What to look for.
    pub atom: Atom,
}

/// A parsed query: every group must match (a group matches when any of its
/// alternatives does), and no excluded clause may.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Required groups of alternatives.
    pub groups: Vec<Vec<Clause>>,
    /// Excluded clauses.
    pub excluded: Vec<Clause>,
}

/// Why a query could not be parsed.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SyntaxError {
    /// A `"` without its closing pair.
    #[error("unterminated quote")]
    UnterminatedQuote,
    /// `OR` without a clause on one side.
    #[error("OR needs a search term on both sides")]
    DanglingOr,
    /// Nothing to search for: empty, white space, or only punctuation and
    /// symbols (`((`, `*`, an emoji), which no index term can match.
    #[error("nothing to search for: the query has no letter, digit or Chinese character")]
    Empty,
    /// Only exclusions.
    #[error("query has only excluded terms; add something to search for")]
    OnlyExcluded,
    /// `field:` with nothing after it.
    #[error("{0}: needs a value")]
    EmptyValue(String),
}

#[derive(Debug, PartialEq)]
enum Tok {
    Or,
    Clause { negated: bool, clause: Clause },
}

fn is_open_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '「')
}

fn close_of(c: char) -> char {
    match c {
        '“' => '”',
        '「' => '」',
        _ => '"',
    }
}

fn lex(q: &str) -> Result<Vec<Tok>, SyntaxError> {
    let chars: Vec<char> = q.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let mut negated = false;
        let mut j = i;
        if (c == '-' || c == '+') && j + 1 < chars.len() && !chars[j + 1].is_whitespace() {
            negated = c == '-';
            j += 1;
        }
        // field:
        let mut scope = Scope::Any;
        let word_end = (j..chars.len())
            .find(|&k| chars[k].is_whitespace() || is_open_quote(chars[k]))
            .unwrap_or(chars.len());
        if let Some(colon) = (j..word_end).find(|&k| chars[k] == ':' || chars[k] == '：') {
            let name: String = chars[j..colon].iter().collect();
            let known = match name.to_ascii_lowercase().as_str() {
                "title" | "标题" => Some(Scope::Title),
                "body" | "正文" => Some(Scope::Body),
                "source" | "来源" => Some(Scope::Source),
                "person" | "人物" => Some(Scope::Person),
                "place" | "地点" => Some(Scope::Place),
                "org" | "机构" => Some(Scope::Org),
                _ => None,
            };
            // Any other `name:` is text (a URL, 比分3:1, CEO:马斯克).
            if let Some(s) = known {
                scope = s;
                j = colon + 1;
                if j >= chars.len() || chars[j].is_whitespace() {
                    return Err(SyntaxError::EmptyValue(name));
                }
            }
        }
        let atom;
        let close_at = match chars.get(j) {
            Some(&open) if is_open_quote(open) => {
                let close = close_of(open);
                let end = (j + 1..chars.len())
                    .find(|&k| chars[k] == close || (close != '"' && chars[k] == '"'));
                match end {
                    Some(end) => Some(end),
                    // A typed `"` must be closed; a typographic “ or 「 with
                    // no close in pasted text (a headline, a question whose
                    // quotes are reversed) is read as text, without it.
                    None if open == '"' => return Err(SyntaxError::UnterminatedQuote),
                    None => {
                        j += 1;
                        None
                    }
                }
            }
            _ => None,
        };
        if let Some(end) = close_at {
            let text: String = chars[j + 1..end].iter().collect();
            atom = Atom::Phrase(text);
            i = end + 1;
        } else {
            // A word ends at white space or where a quote opens (说"长江").
            let end = (j..chars.len())
                .find(|&k| chars[k].is_whitespace() || (k > j && is_open_quote(chars[k])))
                .unwrap_or(chars.len());
            let text: String = chars[j..end].iter().collect();
            if !negated && scope == Scope::Any && text == "OR" {
                out.push(Tok::Or);
                i = end;
                continue;
            }
            if text == "\"" {
                return Err(SyntaxError::UnterminatedQuote);
            }
            atom = Atom::Words(text);
            i = end;
        }
        let empty = match &atom {
            Atom::Words(t) | Atom::Phrase(t) => !t.chars().any(char::is_alphanumeric),
        };
        if !empty {
            out.push(Tok::Clause {
                negated,
                clause: Clause { scope, atom },
            });
        }
    }
    Ok(out)
}

/// Parses a query string.
pub fn parse(q: &str) -> Result<Parsed, SyntaxError> {
    let toks = lex(q)?;
    let mut parsed = Parsed::default();
    let mut pending_or = false;
    for (k, t) in toks.into_iter().enumerate() {
        match t {
            Tok::Or => {
                if k == 0 || pending_or || parsed.groups.is_empty() {
                    return Err(SyntaxError::DanglingOr);
                }
                pending_or = true;
            }
            Tok::Clause {
                negated: true,
                clause,
            } => {
                if pending_or {
                    return Err(SyntaxError::DanglingOr);
                }
                parsed.excluded.push(clause);
            }
            Tok::Clause {
                negated: false,
                clause,
            } => {
                if pending_or {
                    if let Some(g) = parsed.groups.last_mut() {
                        g.push(clause);
                    }
                    pending_or = false;
                } else {
                    parsed.groups.push(vec![clause]);
                }
            }
        }
    }
    if pending_or {
        return Err(SyntaxError::DanglingOr);
    }
    if parsed.groups.is_empty() {
        return Err(if parsed.excluded.is_empty() {
            SyntaxError::Empty
        } else {
            SyntaxError::OnlyExcluded
        });
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Clause {
        Clause {
            scope: Scope::Any,
            atom: Atom::Words(s.into()),
        }
    }

    #[test]
    fn words_phrases_or_and_exclusions() {
        let p = parse("马斯克 \"人工智能 公司\" 苹果 OR 华为 -广告").unwrap();
        assert_eq!(p.groups.len(), 3);
        assert_eq!(p.groups[0], vec![words("马斯克")]);
        assert_eq!(
            p.groups[1],
            vec![Clause {
                scope: Scope::Any,
                atom: Atom::Phrase("人工智能 公司".into())
            }]
        );
        assert_eq!(p.groups[2], vec![words("苹果"), words("华为")]);
        assert_eq!(p.excluded, vec![words("广告")]);
    }

    #[test]
    fn fields_and_chinese_quotes() {
        let p = parse("title:马斯克 source:“新华社”").unwrap();
        assert_eq!(p.groups[0][0].scope, Scope::Title);
        assert_eq!(
            p.groups[1][0],
            Clause {
                scope: Scope::Source,
                atom: Atom::Phrase("新华社".into())
            }
        );
    }

    #[test]
    fn a_quote_inside_a_word_starts_a_phrase() {
        let p = parse("说\"长江\"").unwrap();
        assert_eq!(p.groups[0], vec![words("说")]);
        assert_eq!(
            p.groups[1],
            vec![Clause {
                scope: Scope::Any,
                atom: Atom::Phrase("长江".into())
            }]
        );
    }

    #[test]
    fn an_unclosed_typographic_quote_is_text() {
        // Reversed quotes pasted from a question: the words as typed.
        let p = parse("刺角瓜为什么又叫”角瓜“？").unwrap();
        assert_eq!(p.groups, vec![vec![words("刺角瓜为什么又叫”角瓜")]]);
        let p = parse("-「长江 经济").unwrap();
        assert_eq!(p.excluded, vec![words("长江")]);
        assert_eq!(p.groups, vec![vec![words("经济")]]);
        // A typed `"` still has to be closed.
        assert_eq!(parse("\"长江"), Err(SyntaxError::UnterminatedQuote));
        assert_eq!(parse("长江 \""), Err(SyntaxError::UnterminatedQuote));
    }

    #[test]
    fn colons_inside_text_are_text() {
        let p = parse("比分3:1").unwrap();
        assert_eq!(p.groups[0], vec![words("比分3:1")]);
    }

    #[test]
    fn errors() {
        assert_eq!(parse("\"马斯克"), Err(SyntaxError::UnterminatedQuote));
        assert_eq!(parse("OR 华为"), Err(SyntaxError::DanglingOr));
        assert_eq!(parse("华为 OR"), Err(SyntaxError::DanglingOr));
        assert_eq!(parse("  "), Err(SyntaxError::Empty));
        assert_eq!(parse("，。"), Err(SyntaxError::Empty));
        assert_eq!(parse("-广告"), Err(SyntaxError::OnlyExcluded));
        assert_eq!(parse("foo:bar").unwrap().groups[0], vec![words("foo:bar")]);
        assert_eq!(
            parse("title: x"),
            Err(SyntaxError::EmptyValue("title".into()))
        );
    }
}
