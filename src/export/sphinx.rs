//! The Sphinx cluster around the exported shards: each shard's
//! `sphinx.conf` (a plain index built by `indexer` from its `data.xml`),
//! the head's `head.conf` (a distributed index over the shards' agents),
//! `cluster.json`, and `start.sh` / `stop.sh` for a trial on one machine.
//! Only what Manticore shares with Sphinx 2.2 is used (docs/scale-out.md).
//! Paths inside are relative to the export folder, where the scripts run.

use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use super::terms::CHARSET_TABLE;

/// The name of the head's distributed index (the URL's path).
pub const HEAD_INDEX: &str = "news";
/// The name of each shard's local index.
pub const SHARD_INDEX: &str = "news_part";

/// Where the nodes and the head listen: each on its agent port P and its
/// SphinxQL port P + 1.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The shards' hosts and agent ports.
    pub nodes: Vec<(String, u16)>,
    /// The head's host and agent port.
    pub head: (String, u16),
}

fn host_port(s: &str) -> Result<(String, u16)> {
    match s.rsplit_once(':').map(|(h, p)| (h, p.parse::<u16>())) {
        Some((h, Ok(p))) if !h.is_empty() && p < u16::MAX => Ok((h.to_string(), p)),
        _ => bail!("{s}: expected HOST:PORT"),
    }
}

impl Layout {
    /// A trial on 127.0.0.1: shard K on ports base + 2K, + 2K + 1; the head
    /// after them.
    pub fn loopback(base: u16, shards: usize) -> Result<Layout> {
        let port = |i: usize| {
            u16::try_from(base as usize + 2 * i)
                .ok()
                .filter(|p| *p < u16::MAX)
        };
        let Some(head) = port(shards) else {
            bail!(
                "--port-base {base}: {shards} shards need ports up to {}",
                base as usize + 2 * shards + 1
            );
        };
        let nodes = (0..shards)
            .filter_map(|i| port(i).map(|p| ("127.0.0.1".to_string(), p)))
            .collect();
        Ok(Layout {
            nodes,
            head: ("127.0.0.1".to_string(), head),
        })
    }

    /// Real hosts: `HOST:PORT,...` for the shards and `HOST:PORT` for the head.
    pub fn hosts(nodes: &str, head: &str, shards: usize) -> Result<Layout> {
        let nodes: Vec<_> = nodes
            .split(',')
            .map(|s| host_port(s.trim()))
            .collect::<Result<_>>()?;
        if nodes.len() != shards {
            bail!("--nodes names {} hosts for {shards} shards", nodes.len());
        }
        Ok(Layout {
            nodes,
            head: host_port(head)?,
        })
    }

    /// The engine URL of the head (`sphinx://HOST:PORT/news`, SphinxQL port).
    pub fn url(&self) -> String {
        format!("sphinx://{}:{}/{HEAD_INDEX}", self.head.0, self.head.1 + 1)
    }
}

fn searchd_section(dir: &str, (host, port): &(String, u16)) -> String {
    format!(
        "searchd\n{{\n  listen = {host}:{port}\n  listen = {host}:{sql}:mysql41\n  \
log = {dir}/searchd.log\n  query_log = {dir}/query.log\n  pid_file = {dir}/searchd.pid\n  \
binlog_path = {dir}\n  max_packet_size = 128M\n  read_timeout = 30\n  workers = threads\n}}\n",
        sql = port + 1
    )
}

/// The `sphinx.conf` of shard `k`.
pub fn shard_conf(k: usize, node: &(String, u16)) -> String {
    let dir = format!("shard{k}");
    format!(
        "# newsidx export: shard {k} (Sphinx 2.2 / Manticore plain index)\n\
source {SHARD_INDEX}_src\n{{\n  type = xmlpipe2\n  xmlpipe_command = cat {dir}/data.xml\n}}\n\n\
index {SHARD_INDEX}\n{{\n  source = {SHARD_INDEX}_src\n  path = {dir}/index/{SHARD_INDEX}\n  \
docinfo = extern\n  dict = keywords\n  min_infix_len = 2\n  \
charset_table = {CHARSET_TABLE}\n}}\n\n\
indexer\n{{\n  mem_limit = 256M\n  max_xmlpipe2_field = 64M\n}}\n\n{}",
        searchd_section(&dir, node)
    )
}

/// The head's `head.conf`: a distributed index over every shard's agent.
pub fn head_conf(layout: &Layout) -> String {
    let agents: String = layout
        .nodes
        .iter()
        .map(|(h, p)| format!("  agent = {h}:{p}:{SHARD_INDEX}\n"))
        .collect();
    format!(
        "# newsidx export: the head (a distributed index, no data of its own)\n\
index {HEAD_INDEX}\n{{\n  type = distributed\n{agents}  agent_connect_timeout = 1000\n  \
agent_query_timeout = 10000\n}}\n\n{}",
        searchd_section("head", &layout.head)
    )
}

/// One `searchd` in `cluster.json`.
#[derive(Debug, Serialize)]
pub struct Daemon {
    /// Its name (`shard0`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its config, relative to the export folder.
    pub config: String,
    /// The file `start.sh` records its pid in.
    pub pid_file: String,
}

/// `cluster.json`.
#[derive(Debug, Serialize)]
pub struct Cluster {
    /// The head's URL.
    pub engine: String,
    /// The shards.
    pub nodes: Vec<Daemon>,
    /// The head.
    pub head: Daemon,
}

fn cluster(layout: &Layout) -> Cluster {
    Cluster {
        engine: layout.url(),
        nodes: (0..layout.nodes.len())
            .map(|k| Daemon {
                name: Some(format!("shard{k}")),
                config: format!("shard{k}/sphinx.conf"),
                pid_file: format!("shard{k}/run.pid"),
            })
            .collect(),
        head: Daemon {
            name: None,
            config: "head/head.conf".into(),
            pid_file: "head/run.pid".into(),
        },
    }
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("{}: cannot write", path.display()))
}

/// Writes the configs, `cluster.json` and the scripts into `out` (the
/// shard folders already hold their data).
pub fn write_cluster(out: &Path, layout: &Layout) -> Result<()> {
    for (k, node) in layout.nodes.iter().enumerate() {
        let dir = out.join(format!("shard{k}"));
        std::fs::create_dir_all(dir.join("index"))
            .with_context(|| format!("{}: cannot create", dir.display()))?;
        write(&dir.join("sphinx.conf"), &shard_conf(k, node))?;
    }
    let head = out.join("head");
    std::fs::create_dir_all(&head).with_context(|| format!("{}: cannot create", head.display()))?;
    write(&head.join("head.conf"), &head_conf(layout))?;
    let c = cluster(layout);
    write(
        &out.join("cluster.json"),
        &(serde_json::to_string_pretty(&c)? + "\n"),
    )?;
    super::scripts::write_scripts(out, &c)
}
