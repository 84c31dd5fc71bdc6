//! What the shell and `man` read, generated from the command-line
//! definition itself ([`super::definition`]), so they never drift from the
//! real options: `newsidx completions SHELL` (clap_complete) and
//! `newsidx man` (clap_mangen, one page with a section per subcommand).

use std::io::{self, Write};

use super::definition;
use crate::cli::CompletionsArgs;
use crate::exit::Exit;
use anyhow::Result;

/// `newsidx completions SHELL`: the completion script on stdout.
pub fn completions(args: CompletionsArgs) -> Result<Exit> {
    let mut cmd = definition();
    let mut out = io::stdout().lock();
    clap_complete::generate(args.shell, &mut cmd, "newsidx", &mut out);
    out.flush()?;
    Ok(Exit::Success)
}

/// `newsidx man`: the manual page (roff) on stdout.
pub fn man() -> Result<Exit> {
    let mut out = io::stdout().lock();
    write_man(&mut out)?;
    out.flush()?;
    Ok(Exit::Success)
}

/// Sections after the subcommands: what every run shares.
const TRAILER: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
search: something matched; other commands: success.
.TP
\fB1\fR
search, count: nothing matched.
.TP
\fB2\fR
an error, with a one\-line message on standard error.
.SH ENVIRONMENT
.TP
\fBNEWSIDX_INDEX\fR
The index directory when \fB\-i\fR/\fB\-\-index\fR is not given (default \fIindex\fR).
.TP
\fBNEWSIDX_TOKEN\fR
The bearer token \fBnewsidx serve\fR requires on its API.
.TP
\fBNO_COLOR\fR
When set, \fBsearch\fR prints no colour unless \fB\-\-color always\fR.
"#;

/// Writes the whole manual: the top-level page, then one section per
/// subcommand (its synopsis, description and options as subsections),
/// then exit status and environment.
pub fn write_man<W: Write>(w: &mut W) -> io::Result<()> {
    let cmd = definition().disable_help_subcommand(true);
    let version = env!("CARGO_PKG_VERSION");
    // The top of the page as clap_mangen writes it, but for its list of
    // subcommands, which points to pages of their own: here each has a
    // section of this page instead.
    let top = clap_mangen::Man::new(cmd.clone())
        .source(format!("newsidx {version}"))
        .manual("newsidx manual");
    top.render_title(w)?;
    top.render_name_section(w)?;
    top.render_synopsis_section(w)?;
    top.render_description_section(w)?;
    top.render_options_section(w)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name();
        let sub = sub.clone().bin_name(format!("newsidx {name}"));
        writeln!(w, ".SH \"NEWSIDX {}\"", name.to_uppercase())?;
        let man = clap_mangen::Man::new(sub.clone());
        let mut buf = Vec::new();
        man.render_synopsis_section(&mut buf)?;
        man.render_description_section(&mut buf)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(&mut buf)?;
        }
        if sub.get_after_help().is_some() || sub.get_after_long_help().is_some() {
            man.render_extra_section(&mut buf)?;
        }
        // The subcommand's sections become subsections of its own.
        let text = String::from_utf8_lossy(&buf);
        for line in text.lines() {
            match line.strip_prefix(".SH ") {
                Some(rest) => writeln!(w, ".SS {rest}")?,
                None => writeln!(w, "{line}")?,
            }
        }
    }
    w.write_all(TRAILER.as_bytes())
}
