//! What happens to the arguments around clap's parse: exclusions typed
//! unquoted moved behind `--` before it ([`prepare_args`]), and a clap
//! error made one line after it ([`usage_error`]).

use clap::CommandFactory;

use super::Cli;

/// One line for a command-line error (a bad flag or value), without
/// clap's usage block: `unexpected argument '--x' found; tip: … (see
/// 'newsidx search --help')`. `None` for what clap prints as it is: `--help`,
/// `--version`, and the help shown when no subcommand is given.
pub fn usage_error(e: &clap::Error, args: &[std::ffi::OsString]) -> Option<String> {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        return None;
    }
    let text = e.render().to_string();
    let mut msg = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            continue;
        }
        let line = line.strip_prefix("error:").unwrap_or(line).trim();
        let line = line
            .strip_prefix('[')
            .and_then(|l| l.strip_suffix(']'))
            .unwrap_or(line);
        if !msg.is_empty() {
            msg.push_str(if msg.ends_with(':') { " " } else { "; " });
        }
        msg.push_str(line);
    }
    if msg.is_empty() {
        msg = e.kind().to_string();
    }
    // The subcommand, for the pointer to its help: any name the command
    // line defines.
    let cmd = Cli::command();
    let sub = args
        .iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .find(|a| cmd.find_subcommand(a).is_some());
    let help = match sub {
        Some(s) => format!("newsidx {s} --help"),
        None => "newsidx --help".to_string(),
    };
    Some(format!(
        "{} (see '{help}')",
        crate::messages::one_line(&msg)
    ))
}

/// Lets `newsidx search 航天 -月球` work unquoted: an argument of `search`
/// that starts with `-` followed by a non-ASCII character cannot be an
/// option, so it is moved behind `--`, where it is read as part of the query.
pub fn prepare_args<I: IntoIterator<Item = std::ffi::OsString>>(
    args: I,
) -> Vec<std::ffi::OsString> {
    let args: Vec<std::ffi::OsString> = args.into_iter().collect();
    // The subcommand is the first argument that is neither an option nor
    // the value of -i/--index.
    let mut k = 1;
    while k < args.len() {
        match args[k].to_str() {
            Some("-i" | "--index") => k += 2,
            Some(a) if a.starts_with('-') => k += 1,
            _ => break,
        }
    }
    if !matches!(
        args.get(k).and_then(|a| a.to_str()),
        Some("search" | "count" | "kwic" | "terms")
    ) {
        return args;
    }
    let search_at = k;
    // `-` followed by a non-ASCII character, a quote, a digit or a field
    // name can only be an exclusion: no option looks like that.
    let is_exclusion = |a: &std::ffi::OsString| {
        a.to_str()
            .and_then(|s| s.strip_prefix('-'))
            .is_some_and(|rest| {
                let first = rest.chars().next();
                first.is_some_and(|c| !c.is_ascii() || c == '"' || c.is_ascii_digit())
                    || ["title:", "body:", "source:"]
                        .iter()
                        .any(|f| rest.starts_with(f))
            })
    };
    let sep = args.iter().position(|a| a == "--").unwrap_or(args.len());
    if !args[search_at + 1..sep].iter().any(is_exclusion) {
        return args;
    }
    let mut out: Vec<std::ffi::OsString> = Vec::with_capacity(args.len() + 1);
    let mut moved = Vec::new();
    for (i, a) in args.iter().enumerate() {
        if i > search_at && i < sep && is_exclusion(a) {
            moved.push(a.clone());
        } else {
            out.push(a.clone());
        }
    }
    if sep == args.len() {
        out.push("--".into());
    }
    out.extend(moved);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Command;
    use clap::Parser;

    fn prep(v: &[&str]) -> Vec<String> {
        prepare_args(v.iter().map(std::ffi::OsString::from))
            .into_iter()
            .map(|s| s.into_string().unwrap())
            .collect()
    }

    #[test]
    fn chinese_exclusions_move_behind_the_separator() {
        assert_eq!(
            prep(&["newsidx", "search", "航天", "-月球", "-n", "2"]),
            ["newsidx", "search", "航天", "-n", "2", "--", "-月球"]
        );
        assert_eq!(
            prep(&["newsidx", "search", "-n", "2", "航天"]),
            ["newsidx", "search", "-n", "2", "航天"]
        );
        assert_eq!(
            prep(&["newsidx", "search", "-月球", "--", "航天"]),
            ["newsidx", "search", "--", "航天", "-月球"]
        );
        assert_eq!(
            prep(&["newsidx", "index", "-x"]),
            ["newsidx", "index", "-x"]
        );
    }

    #[test]
    fn parses_after_preparation() {
        let cli = Cli::try_parse_from(prepare_args(
            ["newsidx", "search", "航天", "-月球", "--json"].map(std::ffi::OsString::from),
        ))
        .unwrap();
        let Command::Search(s) = cli.command else {
            panic!()
        };
        assert_eq!(s.query, ["航天", "-月球"]);
        assert!(s.json);
    }
}
