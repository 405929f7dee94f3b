//! `newsdex gen-corpus`: a large, realistic archive for benchmarks, streamed to disk as JSON Lines.
//!
//! The articles of the given inputs (any supported format, read by the ordinary readers) are
//! written again and again until the wanted number is reached. Copy `k` of an article gets the
//! fresh id `gen-k-ID` and its date moved `k` years later, so every copy is a distinct article
//! with its own content hash while text, length and vocabulary stay those of real news.
//!
//! The output is one `.jsonl` file, or a folder of numbered parts (`part-00000.jsonl`, ...) of
//! `per_file` articles each, which keeps any single input file small for the reader.

use crate::article::Article;
use crate::present::{json_line, thousands};
use crate::sources::{self, Format};
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Datelike, Utc};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Clone)]
pub struct Options {
    pub from: Vec<PathBuf>,
    pub out: PathBuf,
    pub articles: usize,
    pub per_file: usize,
    pub format: Format,
    pub json: bool,
}

/// The run's summary (also the `--json` output).
#[derive(Debug, Serialize)]
struct Summary {
    out: String,
    files: usize,
    articles: usize,
    source_articles: usize,
    copies: usize,
    bytes: u64,
    elapsed_seconds: f64,
}

/// One written record: the JSON field names every reader of newsdex understands.
#[derive(Serialize)]
struct Record<'a> {
    id: String,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dateline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<&'a str>,
    body: &'a str,
}

pub fn run(opts: Options) -> Result<ExitCode> {
    let started = Instant::now();
    let mut originals: Vec<Article> = Vec::new();
    for item in sources::walk(&opts.from) {
        let input = match item {
            Ok(input) => input,
            Err(p) => {
                eprintln!("newsdex: skipped {}: {}", p.origin, p.reason);
                continue;
            }
        };
        let out = sources::read_input(&input, opts.format, None);
        for p in &out.skipped {
            eprintln!("newsdex: skipped {}: {}", p.origin, p.reason);
        }
        originals.extend(out.articles);
    }
    if originals.is_empty() {
        bail!("no articles in the given inputs");
    }
    let single = opts
        .out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
    if !single {
        std::fs::create_dir_all(&opts.out)
            .with_context(|| format!("cannot create {}", opts.out.display()))?;
    }

    let progress = progress_bar(opts.articles as u64);
    let mut sink = Sink::new(&opts.out, single, opts.per_file)?;
    for n in 0..opts.articles {
        let copy = n / originals.len();
        let a = &originals[n % originals.len()];
        sink.write(&record(a, copy))?;
        if n % 1024 == 0 {
            progress.set_position(n as u64);
        }
    }
    let (files, bytes) = sink.finish()?;
    progress.finish_and_clear();

    let summary = Summary {
        out: opts.out.display().to_string(),
        files,
        articles: opts.articles,
        source_articles: originals.len(),
        copies: opts.articles.div_ceil(originals.len()),
        bytes,
        elapsed_seconds: started.elapsed().as_secs_f64(),
    };
    if opts.json {
        json_line(&mut std::io::stdout().lock(), &summary)?;
    } else {
        println!(
            "Wrote {} articles ({:.1} MB) in {} file{} to {} in {:.1}s",
            thousands(summary.articles as u64),
            summary.bytes as f64 / 1e6,
            summary.files,
            if summary.files == 1 { "" } else { "s" },
            summary.out,
            summary.elapsed_seconds
        );
        println!(
            "  from {} source articles, up to {} copies each",
            thousands(summary.source_articles as u64),
            summary.copies
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Copy `copy` of an article: a fresh id, the date moved `copy` years on.
fn record(a: &Article, copy: usize) -> Record<'_> {
    Record {
        id: format!("gen-{copy}-{}", a.id),
        title: &a.title,
        date: a
            .published
            .map(|d| shift_years(d, copy as i32))
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        dateline: a.dateline.as_deref(),
        source: a.source.as_deref(),
        author: a.author.as_deref(),
        caption: a.caption.as_deref(),
        body: &a.body,
    }
}

/// The same day and time `years` later (29 February becomes 28 February in other years).
fn shift_years(d: DateTime<Utc>, years: i32) -> DateTime<Utc> {
    let year = d.year() + years;
    d.with_year(year)
        .or_else(|| d.with_day(28).and_then(|d| d.with_year(year)))
        .unwrap_or(d)
}

/// Writes records to one file, or to numbered parts of `per_file` records.
struct Sink {
    dir: Option<PathBuf>,
    per_file: usize,
    file: Option<BufWriter<File>>,
    in_file: usize,
    files: usize,
    bytes: u64,
}

impl Sink {
    fn new(out: &Path, single: bool, per_file: usize) -> Result<Sink> {
        let mut sink = Sink {
            dir: (!single).then(|| out.to_path_buf()),
            per_file,
            file: None,
            in_file: 0,
            files: 0,
            bytes: 0,
        };
        if single {
            sink.file = Some(create(out)?);
            sink.files = 1;
        }
        Ok(sink)
    }

    fn write(&mut self, r: &Record) -> Result<()> {
        if let Some(dir) = self.dir.clone() {
            if self.file.is_none() || self.in_file == self.per_file {
                self.close()?;
                let path = dir.join(format!("part-{:05}.jsonl", self.files));
                self.file = Some(create(&path)?);
                self.files += 1;
                self.in_file = 0;
            }
        }
        let Some(file) = self.file.as_mut() else {
            bail!("no output file open");
        };
        let line = serde_json::to_string(r)?;
        file.write_all(line.as_bytes())?;
        file.write_all(b"\n")?;
        self.bytes += line.len() as u64 + 1;
        self.in_file += 1;
        Ok(())
    }

    fn close(&mut self) -> Result<()> {
        if let Some(mut f) = self.file.take() {
            f.flush().context("cannot write the corpus")?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<(usize, u64)> {
        self.close()?;
        Ok((self.files, self.bytes))
    }
}

fn create(path: &Path) -> Result<BufWriter<File>> {
    let f = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 20, f))
}

fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} articles  {per_sec}  eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_move_by_whole_years() {
        let d = Utc.with_ymd_and_hms(1987, 3, 2, 10, 30, 0).unwrap();
        assert_eq!(
            shift_years(d, 3),
            Utc.with_ymd_and_hms(1990, 3, 2, 10, 30, 0).unwrap()
        );
        let leap = Utc.with_ymd_and_hms(1988, 2, 29, 0, 0, 0).unwrap();
        assert_eq!(
            shift_years(leap, 1),
            Utc.with_ymd_and_hms(1989, 2, 28, 0, 0, 0).unwrap()
        );
        assert_eq!(shift_years(leap, 4), leap.with_year(1992).unwrap());
    }
}
