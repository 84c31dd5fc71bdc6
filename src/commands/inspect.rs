//! `newsidx inspect`: what indexing would read, without touching the index.
//!
//! For each file found under the named paths (walked exactly as `index`
//! walks them), prints the detected format, encoding and compression and
//! the articles it would produce (title, date, body length), so a user can
//! check a new dump before indexing it. Results go to stdout (one block per
//! file, or JSON Lines with `--json`); warnings and unreadable files go to
//! stderr, one line each. Exit status: 0 when every file was read, 2 when
//! some file was skipped (after inspecting all of them).

use std::io::{self, Write};

use anyhow::Result;

use crate::cli::InspectArgs;
use crate::corpus::{self, walk::Entry, Article};
use crate::dates::format_ymd;
use crate::exit::Exit;
use crate::messages;
use crate::output::human::sanitize;
use crate::output::json::write_line;
use crate::output::wire::inspect::{FileReport, Message, Sample, Summary};

/// Runs `newsidx inspect`.
pub fn run(args: InspectArgs) -> Result<Exit> {
    let walked = corpus::walk::walk(&args.paths, None);
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    let mut sum = Summary::default();
    for e in &walked.errors {
        messages::warning(e);
        sum.files_skipped += 1;
    }
    sum.files_passed_over = walked.passed_over.len();
    for p in &walked.passed_over {
        let kind = corpus::walk::type_name(p);
        if args.json {
            let msg = Message::PassedOver { path: p, kind };
            write_line(&mut w, &msg)?;
        } else {
            writeln!(
                w,
                "{}: passed over ({kind} is not a type newsidx reads)",
                sanitize(p)
            )?;
        }
    }
    let limit = if args.all { usize::MAX } else { args.articles };
    for entry in &walked.files {
        inspect_file(&mut w, entry, &args, limit, &mut sum)?;
    }
    if args.json {
        write_line(&mut w, &Message::Summary(&sum))?;
    }
    w.flush()?;
    messages::status(&format!(
        "inspected {} files: {} articles, {} skipped, {} warnings (index not touched)",
        sum.files_read, sum.articles, sum.files_skipped, sum.warnings
    ));
    if let Some(line) = walked.passed_over_summary() {
        messages::status(&line);
    }
    Ok(if sum.files_skipped > 0 {
        Exit::Error
    } else {
        Exit::Success
    })
}

/// Reads one file as `index` would and prints what it holds (or why it
/// cannot be read), counting it in `sum`.
fn inspect_file(
    w: &mut dyn Write,
    entry: &Entry,
    args: &InspectArgs,
    limit: usize,
    sum: &mut Summary,
) -> Result<()> {
    let mut shown: Vec<Sample> = Vec::new();
    let res = corpus::read_file_with(
        &entry.path,
        &entry.display,
        entry.site.as_deref(),
        &mut |a: Article| {
            if shown.len() < limit {
                shown.push(Sample {
                    id: a.id,
                    title: a.title,
                    date: a.date.map(format_ymd),
                    body_chars: a.body.chars().count(),
                    author: a.author,
                    source: a.source,
                    body: args.body.then_some(a.body),
                });
            }
        },
    );
    match res {
        Ok(info) => {
            sum.files_read += 1;
            sum.articles += info.articles;
            sum.warnings += info.warnings.len();
            for warning in &info.warnings {
                messages::warning(warning);
            }
            if args.json {
                let msg = Message::File(FileReport {
                    path: &entry.display,
                    info: &info,
                    shown: &shown,
                });
                write_line(w, &msg)?;
            } else {
                print_file(w, &entry.display, &info, &shown)?;
            }
        }
        Err(e) => {
            sum.files_skipped += 1;
            let reason = messages::one_line(&format!("{e:#}"));
            messages::error(&reason);
            if args.json {
                let msg = Message::Error {
                    path: &entry.display,
                    reason,
                };
                write_line(w, &msg)?;
            }
        }
    }
    Ok(())
}

fn print_file(
    w: &mut dyn Write,
    path: &str,
    info: &corpus::FileInfo,
    shown: &[Sample],
) -> io::Result<()> {
    let compression = info
        .compression
        .map(|c| format!(", {c}"))
        .unwrap_or_default();
    writeln!(
        w,
        "{}: {}, {}{compression}, {} articles, {} warnings",
        sanitize(path),
        info.format,
        info.encoding,
        info.articles,
        info.warnings.len()
    )?;
    if !info.fields.is_empty() {
        let uses: Vec<String> = info
            .fields
            .iter()
            .map(|u| match u.to {
                "-" => format!("{} (not read)", sanitize(&u.from)),
                to => format!("{} → {to}", sanitize(&u.from)),
            })
            .collect();
        writeln!(w, "  fields: {}", uses.join(", "))?;
    }
    for (i, s) in shown.iter().enumerate() {
        let title: String = s.title.chars().take(60).collect();
        writeln!(
            w,
            "  {:>4}  {:<10}  {:>6} chars  {}",
            i + 1,
            s.date.as_deref().unwrap_or("-"),
            s.body_chars,
            sanitize(&title)
        )?;
        if let Some(body) = &s.body {
            for line in body.lines() {
                writeln!(w, "        | {}", sanitize(line))?;
            }
        }
    }
    if info.articles > shown.len() && !shown.is_empty() {
        writeln!(w, "        … {} more", info.articles - shown.len())?;
    }
    Ok(())
}
