//! `newsidx serve`.

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Result};

use crate::cli::ServeArgs;
use crate::exit::Exit;
use crate::serve::{self, Config, EngineSpec};

/// Seconds from a flag: finite, positive.
fn seconds(flag: &str, v: f64) -> Result<Duration> {
    if !(v.is_finite() && v > 0.0 && v <= 86_400.0) {
        bail!("{flag} {v}: give a number of seconds between 0 and 86400");
    }
    Ok(Duration::from_secs_f64(v))
}

/// Resolves the options and serves until interrupted.
pub fn run(dir: &Path, args: ServeArgs) -> Result<Exit> {
    let token = match args.token {
        Some(t) if t.trim().is_empty() => bail!("--token: the token is empty"),
        Some(t) => Some(t.trim().to_string()),
        None => None,
    };
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let max_searches = match args.max_searches {
        Some(0) => bail!("--max-searches must be at least 1"),
        Some(n) => n,
        None => cores * 2,
    };
    serve::run(Config {
        index: dir.to_path_buf(),
        engine: args.engine.engine.map(|spec| EngineSpec {
            spec,
            dir: args.engine.engine_dir,
        }),
        addr: args.addr,
        token,
        max_searches,
        time_limit: seconds("--time-limit", args.time_limit)?,
        reload_every: seconds("--reload-every", args.reload_every)?,
    })?;
    Ok(Exit::Success)
}
