//! What a source file of the crate imports: every `use` of a `crate::`,
//! `super::` or `self::` path (groups and globs expanded) and every such
//! path written inline (`crate::messages::error(…)`), outside comments and
//! literals, each resolved to the crate path it names. `super` inside an
//! inline module (`mod tests { use super::*; }`) is that module's parent.
//! An import inside an inline module named `tests` is marked so.

/// One import: the line it stands on, the path as written, the crate path
/// it names (segments after `crate`), whether it is test code.
#[derive(Debug, Clone)]
pub struct Import {
    pub line: usize,
    pub written: String,
    pub path: Vec<String>,
    pub in_tests: bool,
}

/// A token of Rust source: an identifier (or number), `::`, or one
/// punctuation character; with its line.
type Token = (String, usize);

/// Skips a string literal opening at `chars[i]` (`"`, after `r#…` for raw
/// strings with `hashes` hashes); returns the index after it.
fn skip_string(chars: &[char], mut i: usize, raw: bool, hashes: usize, line: &mut usize) -> usize {
    i += 1;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            *line += 1;
        }
        if c == '\\' && !raw {
            if chars.get(i + 1) == Some(&'\n') {
                *line += 1;
            }
            i += 2;
            continue;
        }
        if c == '"' && (0..hashes).all(|k| chars.get(i + 1 + k) == Some(&'#')) {
            return i + 1 + hashes;
        }
        i += 1;
    }
    i
}

/// Skips a comment opening at `chars[i]` (`//` or `/*`, nested); returns
/// the index after it.
fn skip_comment(chars: &[char], mut i: usize, line: &mut usize) -> usize {
    if chars[i + 1] == '/' {
        while i < chars.len() && chars[i] != '\n' {
            i += 1;
        }
        return i;
    }
    let mut depth = 0;
    while i < chars.len() {
        match (chars[i], chars.get(i + 1)) {
            ('/', Some('*')) => (depth, i) = (depth + 1, i + 2),
            ('*', Some('/')) => {
                (depth, i) = (depth - 1, i + 2);
                if depth == 0 {
                    return i;
                }
            }
            ('\n', _) => (*line, i) = (*line + 1, i + 1),
            _ => i += 1,
        }
    }
    i
}

/// The tokens of `src`, without comments, strings and characters.
fn tokens(src: &str) -> Vec<Token> {
    let chars: Vec<char> = src.chars().collect();
    let (mut out, mut i, mut line) = (Vec::new(), 0, 1);
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && matches!(next, Some('/' | '*')) {
            i = skip_comment(&chars, i, &mut line);
        } else if c == '"' {
            i = skip_string(&chars, i, false, 0, &mut line);
        } else if c == '\'' {
            // A character ('x', '\n', '\u{1F600}') or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // Raw and byte strings: r"…", r#"…"#, b"…", br#"…"#.
            let mut hashes = 0;
            while matches!(word.as_str(), "r" | "br") && chars.get(i + hashes) == Some(&'#') {
                hashes += 1;
            }
            if matches!(word.as_str(), "r" | "br" | "b") && chars.get(i + hashes) == Some(&'"') {
                let raw = word != "b";
                i = skip_string(&chars, i + hashes, raw, hashes, &mut line);
            } else {
                out.push((word, line));
            }
        } else if c == ':' && next == Some(':') {
            out.push(("::".to_string(), line));
            i += 2;
        } else {
            out.push((c.to_string(), line));
            i += 1;
        }
    }
    out
}

/// The paths of the `use` tree starting at `toks[*i]`, each after `prefix`.
fn use_tree(toks: &[Token], i: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = prefix;
    while *i < toks.len() {
        let t = toks[*i].0.as_str();
        *i += 1;
        match t {
            "{" => {
                while *i < toks.len() && toks[*i].0 != "}" {
                    use_tree(toks, i, path.clone(), out);
                    if toks.get(*i).is_some_and(|t| t.0 == ",") {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            "*" => break,
            "::" => {}
            _ => {
                if t != "self" || path.is_empty() {
                    path.push(t.to_string());
                }
                if toks.get(*i).is_some_and(|t| t.0 == "::") {
                    continue;
                }
                if toks.get(*i).is_some_and(|t| t.0 == "as") {
                    *i += 2;
                }
                break;
            }
        }
    }
    out.push(path);
}

/// The segments of the inline path starting at `toks[*i]` (`crate`,
/// `super` or `self`): identifiers joined by `::`, up to a generic or a
/// group.
fn inline_path(toks: &[Token], i: &mut usize) -> Vec<String> {
    let mut path = vec![toks[*i].0.clone()];
    *i += 1;
    while toks.get(*i).is_some_and(|t| t.0 == "::") {
        match toks.get(*i + 1) {
            Some((w, _)) if w.chars().all(|c| c.is_alphanumeric() || c == '_') => {
                path.push(w.clone());
                *i += 2;
            }
            _ => break,
        }
    }
    path
}

/// `path` as a crate path, from the module `here` (segments after
/// `crate`); `None` for a path outside the crate, or not starting at a
/// child module of `here` (`children`).
fn resolve(
    path: &[String],
    here: &[String],
    is_child: &dyn Fn(&str) -> bool,
) -> Option<Vec<String>> {
    let first = path.first()?;
    let mut base: Vec<String> = match first.as_str() {
        "crate" => Vec::new(),
        "self" | "super" => here.to_vec(),
        name if is_child(name) => return Some([here, path].concat()),
        _ => return None,
    };
    let mut rest = &path[1..];
    if first == "super" {
        base.pop();
        while rest.first().is_some_and(|s| s == "super") {
            base.pop();
            rest = &rest[1..];
        }
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// Every import of the crate in `src`, the file of the module `module`;
/// `is_module` tells a crate path (`search::plan`) that names a module.
pub fn imports(src: &str, module: &[String], is_module: &dyn Fn(&[String]) -> bool) -> Vec<Import> {
    let toks = tokens(src);
    let (mut out, mut depth, mut inline) = (Vec::new(), 0usize, Vec::<(String, usize)>::new());
    let mut i = 0;
    while i < toks.len() {
        let here: Vec<String> = module
            .iter()
            .cloned()
            .chain(inline.iter().map(|m| m.0.clone()))
            .collect();
        let is_child = |name: &str| {
            let mut p = here.clone();
            p.push(name.to_string());
            is_module(&p)
        };
        let (t, line) = (toks[i].0.as_str(), toks[i].1);
        let mut found: Vec<Vec<String>> = Vec::new();
        match t {
            "{" => (depth, i) = (depth + 1, i + 1),
            "}" => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|m| m.1 > depth) {
                    inline.pop();
                }
                i += 1;
            }
            "mod" if toks.get(i + 2).is_some_and(|t| t.0 == "{") => {
                inline.push((toks[i + 1].0.clone(), depth + 1));
                i += 2;
            }
            "use" => {
                i += 1;
                use_tree(&toks, &mut i, Vec::new(), &mut found);
            }
            "crate" | "super" | "self" if toks.get(i + 1).is_some_and(|t| t.0 == "::") => {
                found.push(inline_path(&toks, &mut i));
            }
            _ => i += 1,
        }
        for p in found {
            if let Some(path) = resolve(&p, &here, &is_child) {
                out.push(Import {
                    line,
                    written: p.join("::"),
                    path,
                    in_tests: inline.iter().any(|m| m.0 == "tests"),
                });
            }
        }
    }
    out
}
