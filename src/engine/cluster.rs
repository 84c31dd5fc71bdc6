//! Where an engine is, from what `--engine` names: an export folder or its
//! `cluster.json` (the URL inside, the planning files in `newsidx/`, the
//! nodes' names and agent ports for messages), or a URL
//! `sphinx://HOST:PORT/INDEX` with the planning files from `--engine-dir`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::export::lexicon::FOLDER;

/// A resolved `--engine`.
#[derive(Debug, Clone)]
pub struct Target {
    /// `host:port` of the head's SphinxQL listener.
    pub addr: String,
    /// The distributed index to query.
    pub index: String,
    /// The folder with the query lexicon, user dictionary and synonyms
    /// (none: jieba's defaults).
    pub planning: Option<PathBuf>,
    /// The nodes' names by agent `host:port`.
    pub nodes: HashMap<String, String>,
}

/// Parses `sphinx://HOST:PORT/INDEX`.
pub fn parse_url(url: &str) -> Result<(String, String)> {
    let bad = || anyhow::anyhow!("{url}: expected an engine URL sphinx://HOST:PORT/INDEX");
    let rest = url.strip_prefix("sphinx://").ok_or_else(bad)?;
    let (addr, index) = rest.split_once('/').ok_or_else(bad)?;
    let port_ok = addr
        .rsplit_once(':')
        .is_some_and(|(h, p)| !h.is_empty() && p.parse::<u16>().is_ok());
    let index_ok =
        !index.is_empty() && index.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !port_ok || !index_ok {
        return Err(bad());
    }
    Ok((addr.to_string(), index.to_string()))
}

/// The agent `host:port` a node's config listens on (the line without a
/// protocol).
fn agent_of(config: &Path) -> Option<String> {
    let text = std::fs::read_to_string(config).ok()?;
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("listen"))
        .filter_map(|l| l.trim().strip_prefix('='))
        .map(str::trim)
        .find(|l| l.matches(':').count() == 1)
        .map(str::to_string)
}

/// Reads an export's `cluster.json` (`path` is it or its folder).
fn from_cluster(path: &Path) -> Result<Target> {
    let file = match path.is_dir() {
        true => path.join("cluster.json"),
        false => path.to_path_buf(),
    };
    let text = std::fs::read_to_string(&file).with_context(|| {
        format!(
            "{}: cannot read (expected an export's cluster.json or an engine URL)",
            file.display()
        )
    })?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a cluster.json", file.display()))?;
    let Some(url) = json.get("engine").and_then(|v| v.as_str()) else {
        bail!("{}: no \"engine\" URL", file.display());
    };
    let (addr, index) = parse_url(url)?;
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut nodes = HashMap::new();
    for n in json
        .get("nodes")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
    {
        let name = n.get("name").and_then(|v| v.as_str());
        let config = n.get("config").and_then(|v| v.as_str());
        if let (Some(name), Some(config)) = (name, config) {
            if let Some(agent) = agent_of(&dir.join(config)) {
                nodes.insert(agent, name.to_string());
            }
        }
    }
    let planning = dir.join(FOLDER);
    Ok(Target {
        addr,
        index,
        planning: planning.is_dir().then_some(planning),
        nodes,
    })
}

/// Resolves `--engine SPEC` (and `--engine-dir`).
pub fn resolve(spec: &str, engine_dir: Option<&Path>) -> Result<Target> {
    let mut t = if spec.contains("://") {
        let (addr, index) = parse_url(spec)?;
        Target {
            addr,
            index,
            planning: None,
            nodes: HashMap::new(),
        }
    } else {
        from_cluster(Path::new(spec))?
    };
    if let Some(d) = engine_dir {
        let found = from_cluster(d).ok();
        let planning = [d.join(FOLDER), d.to_path_buf()]
            .into_iter()
            .find(|p| p.join(crate::analysis::lexicon::LEXICON_FILE).is_file());
        match planning {
            Some(p) => t.planning = Some(p),
            None => bail!(
                "{}: no query lexicon here (expected an export folder)",
                d.display()
            ),
        }
        if let Some(f) = found {
            t.nodes.extend(f.nodes);
        }
    }
    Ok(t)
}
