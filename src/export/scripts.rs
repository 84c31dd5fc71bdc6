//! `start.sh` and `stop.sh` of a Sphinx export, for a trial on one
//! machine: every shard built with `indexer`, every `searchd` started in
//! the foreground (`--nodetach`) as a process of its own, its pid recorded
//! in the `pid_file` `cluster.json` names; stopped by those pids only.

use std::path::Path;

use anyhow::{Context, Result};

use super::sphinx::Cluster;

const START_HEAD: &str = r#"#!/bin/sh
# newsidx export: builds every shard with `indexer` and starts one
# `searchd --nodetach` per shard and one for the head, each its own
# process, pids recorded in */run.pid (cluster.json). Stop with ./stop.sh.
set -eu
cd "$(dirname "$0")"
command -v indexer >/dev/null && command -v searchd >/dev/null || {
  echo "start.sh: indexer and searchd are needed (apt-get install sphinxsearch)" >&2; exit 2; }
fail() { echo "start.sh: $1" >&2; ./stop.sh >/dev/null 2>&1 || true; exit 1; }
launch() { # config pid_file folder
  if [ -f "$2" ] && kill -0 "$(cat "$2")" 2>/dev/null; then fail "$3 is already running (pid $(cat "$2"))"; fi
  searchd --nodetach --config "$1" >"$3/searchd.out" 2>&1 &
  echo $! >"$2"
}
ready() { # pid_file folder
  i=0
  until grep -q "accepting connections" "$2/searchd.out" 2>/dev/null; do
    kill -0 "$(cat "$1")" 2>/dev/null || fail "$2: searchd exited (see $2/searchd.out)"
    i=$((i + 1)); [ "$i" -le 600 ] || fail "$2: searchd not ready after 60 s"
    sleep 0.1
  done
}
"#;

const STOP_HEAD: &str = r#"#!/bin/sh
# newsidx export: stops the searchd processes start.sh started, by the
# pids it recorded (SIGTERM, then SIGKILL after 10 s); nothing else.
cd "$(dirname "$0")"
alive() { # pid: running and not a zombie
  [ -r "/proc/$1/stat" ] || { kill -0 "$1" 2>/dev/null; return; }
  ! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat" 2>/dev/null && [ -e "/proc/$1" ]
}
stop() { # pid_file
  [ -f "$1" ] || return 0
  pid=$(cat "$1")
  if kill -TERM "$pid" 2>/dev/null; then
    i=0
    while alive "$pid"; do
      i=$((i + 1))
      if [ "$i" -gt 100 ]; then kill -KILL "$pid" 2>/dev/null; break; fi
      sleep 0.1
    done
  fi
  rm -f "$1"
}
"#;

fn write_exec(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("{}: cannot write", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("{}: cannot make executable", path.display()))?;
    }
    Ok(())
}

/// Writes `start.sh` and `stop.sh` for `c` into `out`.
pub fn write_scripts(out: &Path, c: &Cluster) -> Result<()> {
    let mut start = String::from(START_HEAD);
    for n in &c.nodes {
        start.push_str(&format!(
            "indexer --config {} --all --quiet || fail \"indexer failed on {}\"\n",
            n.config, n.config
        ));
    }
    let all: Vec<_> = c.nodes.iter().chain([&c.head]).collect();
    for d in &all {
        let dir = d.config.rsplit_once('/').map_or(".", |(d, _)| d);
        start.push_str(&format!("launch {} {} {dir}\n", d.config, d.pid_file));
    }
    for d in &all {
        let dir = d.config.rsplit_once('/').map_or(".", |(d, _)| d);
        start.push_str(&format!("ready {} {dir}\n", d.pid_file));
    }
    start.push_str(&format!("echo \"started: {}\"\n", c.engine));
    let mut stop = String::from(STOP_HEAD);
    for d in [&c.head].into_iter().chain(c.nodes.iter()) {
        stop.push_str(&format!("stop {}\n", d.pid_file));
    }
    write_exec(&out.join("start.sh"), &start)?;
    write_exec(&out.join("stop.sh"), &stop)
}
