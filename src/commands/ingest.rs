//! `newsdex ingest`: walk inputs, read and normalize articles, extract entities in parallel
//! workers, and upsert them through one index writer. Prints a summary; exit code 1 when some
//! inputs or records were skipped.

use crate::article::Article;
use crate::entities;
use crate::index::names::NameRegistry;
use crate::index::writer::{Outcome, Updater};
use crate::index::{NewsIndex, StoredDoc};
use crate::present::{json_line, thousands};
use crate::sources::{self, Format, Input, Problem};
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::Mutex;
use std::time::Instant;

/// Plain settings for one ingest run.
#[derive(Debug, Clone)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub index: PathBuf,
    pub format: Format,
    pub source: Option<String>,
    /// Extract people, places and organizations (off: articles are indexed without entities).
    pub entities: bool,
    pub json: bool,
    /// Show a progress bar on a terminal.
    pub progress: bool,
}

/// The run's summary (also the `--json` output).
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub index: String,
    /// Files (and stdin) read.
    pub inputs: usize,
    /// Articles found in the inputs.
    pub articles: usize,
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub duplicates: usize,
    /// Inputs or records that could not be read, each with its reason.
    pub skipped: Vec<Problem>,
    /// Inputs read with a caveat (e.g. decoded as Windows-1252).
    pub warnings: Vec<Problem>,
    /// Documents in the index after the run.
    pub documents: u64,
    pub elapsed_seconds: f64,
    pub articles_per_second: f64,
    /// Busy time of each stage, summed over its threads (for `newsdex bench`).
    #[serde(skip)]
    pub stages: StageTimes,
}

/// Seconds each ingest stage was busy, summed over the threads running it.
#[derive(Debug, Default, Clone, Copy)]
pub struct StageTimes {
    /// Reading, decoding and normalizing inputs (the reader thread).
    pub read: f64,
    /// Entity extraction and building the stored records (the workers).
    pub extract: f64,
    /// Upserts and commits (the writer).
    pub index: f64,
}

/// What the extraction workers send to the writer; `seq` is the article's position in input order.
enum Msg {
    Article {
        seq: usize,
        doc: Box<StoredDoc>,
    },
    Problems {
        skipped: Vec<Problem>,
        warnings: Vec<Problem>,
    },
    InputDone,
}

/// Articles travel from the reader to the workers numbered in input order.
type Numbered = (usize, Article);

pub fn run(opts: Options) -> Result<ExitCode> {
    let summary = ingest(&opts)?;
    if opts.json {
        json_line(&mut std::io::stdout().lock(), &summary)?;
    } else {
        print_summary(&summary);
    }
    Ok(if summary.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Runs one ingest and returns its summary (skipped inputs are listed on stderr as they come).
pub fn ingest(opts: &Options) -> Result<Summary> {
    let started = Instant::now();
    let index = NewsIndex::open_or_create(&opts.index)?;
    let mut updater = Updater::new(&index)?;
    // Spellings of one person or organization fold onto the value the index already uses.
    let mut names = NameRegistry::load(&index)?;
    let mut summary = Summary {
        index: opts.index.display().to_string(),
        ..Summary::default()
    };

    let mut inputs = Vec::new();
    // Absolute paths make origins independent of the folder newsdex runs from, so re-ingesting
    // from elsewhere still recognizes every file.
    let paths: Vec<PathBuf> = opts
        .paths
        .iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                p.clone()
            } else {
                std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())
            }
        })
        .collect();
    for item in sources::walk(&paths) {
        match item {
            Ok(input) => inputs.push(input),
            Err(problem) => summary.skipped.push(problem),
        }
    }
    for p in &summary.skipped {
        eprintln!("newsdex: skipped {}: {}", p.origin, p.reason);
    }
    summary.inputs = inputs.len();

    let progress = if opts.progress {
        progress_bar(inputs.len(), inputs.contains(&Input::Stdin))
    } else {
        ProgressBar::hidden()
    };
    let read_nanos = AtomicU64::new(0);
    let extract_nanos = AtomicU64::new(0);
    let mut index_seconds = 0.0;
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    // One reader thread (reading is cheap) numbers articles in input order; parallel workers
    // extract entities; the single writer applies articles in input order, so which version of
    // an article wins never depends on thread timing.
    let (article_tx, article_rx) = sync_channel::<Numbered>(256);
    let article_rx = Mutex::new(article_rx);
    let (tx, rx) = sync_channel::<Msg>(256);
    let result: Result<()> = std::thread::scope(|scope| {
        let reader_tx = tx.clone();
        let (inputs, read_nanos, extract_nanos) = (&inputs, &read_nanos, &extract_nanos);
        scope.spawn(move || {
            let mut seq = 0;
            for input in inputs {
                let t = Instant::now();
                let out = sources::read_input(input, opts.format, opts.source.as_deref());
                read_nanos.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
                let problems = Msg::Problems {
                    skipped: out.skipped,
                    warnings: out.warnings,
                };
                if reader_tx.send(problems).is_err() {
                    return;
                }
                for article in out.articles {
                    if article_tx.send((seq, article)).is_err() {
                        return;
                    }
                    seq += 1;
                }
                if reader_tx.send(Msg::InputDone).is_err() {
                    return;
                }
            }
        });
        for _ in 0..workers {
            let tx = tx.clone();
            let article_rx = &article_rx;
            scope.spawn(move || loop {
                let next = match article_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((seq, article)) = next else { return };
                let t = Instant::now();
                let extracted = if opts.entities {
                    extract_guarded(&article)
                } else {
                    Ok(Default::default())
                };
                let entities = match extracted {
                    Ok(entities) => entities,
                    Err(problem) => {
                        let problems = Msg::Problems {
                            skipped: Vec::new(),
                            warnings: vec![problem],
                        };
                        if tx.send(problems).is_err() {
                            return;
                        }
                        Default::default()
                    }
                };
                let doc = Box::new(StoredDoc::new(article, entities));
                extract_nanos.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
                if tx.send(Msg::Article { seq, doc }).is_err() {
                    return;
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, Box<StoredDoc>> = BTreeMap::new();
        let mut next_seq = 0;
        for msg in rx {
            match msg {
                Msg::Article { seq, doc } => {
                    pending.insert(seq, doc);
                    let t = Instant::now();
                    while let Some(mut doc) = pending.remove(&next_seq) {
                        next_seq += 1;
                        summary.articles += 1;
                        names.canonicalize(&mut doc);
                        match updater.upsert(*doc)? {
                            Outcome::Added => summary.added += 1,
                            Outcome::Replaced => summary.replaced += 1,
                            Outcome::Unchanged => summary.unchanged += 1,
                            Outcome::Duplicate => summary.duplicates += 1,
                        }
                    }
                    index_seconds += t.elapsed().as_secs_f64();
                }
                Msg::Problems { skipped, warnings } => {
                    for p in &warnings {
                        progress
                            .suspend(|| eprintln!("newsdex: warning: {}: {}", p.origin, p.reason));
                    }
                    for p in &skipped {
                        progress
                            .suspend(|| eprintln!("newsdex: skipped {}: {}", p.origin, p.reason));
                    }
                    summary.warnings.extend(warnings);
                    summary.skipped.extend(skipped);
                }
                Msg::InputDone => progress.inc(1),
            }
        }
        Ok(())
    });
    progress.finish_and_clear();
    let t = Instant::now();
    // Commit what was ingested even if the writer failed part-way: nothing read is lost.
    let committed = updater.commit();
    result?;
    summary.documents = committed?;
    updater.finish()?;
    index_seconds += t.elapsed().as_secs_f64();
    summary.elapsed_seconds = started.elapsed().as_secs_f64();
    summary.articles_per_second = summary.articles as f64 / summary.elapsed_seconds.max(1e-9);
    summary.stages = StageTimes {
        read: read_nanos.load(Ordering::Relaxed) as f64 / 1e9,
        extract: extract_nanos.load(Ordering::Relaxed) as f64 / 1e9,
        index: index_seconds,
    };
    Ok(summary)
}

fn progress_bar(len: usize, stdin: bool) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    let template = if stdin {
        "{spinner} reading {pos}/{len} inputs, {elapsed}"
    } else {
        "{bar:40} {pos}/{len} files  {per_sec}  eta {eta}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

fn print_summary(s: &Summary) {
    let n = |v: usize| thousands(v as u64);
    println!(
        "Read {} input{} in {:.1}s: {} article{} ({:.0}/s)",
        n(s.inputs),
        if s.inputs == 1 { "" } else { "s" },
        s.elapsed_seconds,
        n(s.articles),
        if s.articles == 1 { "" } else { "s" },
        s.articles_per_second
    );
    println!(
        "  added {}, replaced {}, unchanged {}, duplicates {}, skipped {}",
        n(s.added),
        n(s.replaced),
        n(s.unchanged),
        n(s.duplicates),
        n(s.skipped.len())
    );
    if !s.warnings.is_empty() {
        println!("  {} warning(s) (listed above)", s.warnings.len());
    }
    println!("Index {}: {} documents", s.index, thousands(s.documents));
}

/// Entity extraction that cannot take the ingest down: a failure inside the extractor (a bug,
/// not bad input) becomes a warning naming the article, which is still indexed, without entities.
pub(crate) fn extract_guarded(article: &Article) -> Result<entities::ArticleEntities, Problem> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| entities::extract(article))).map_err(
        |panic| {
            let what = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown error");
            Problem {
                origin: article
                    .origins
                    .first()
                    .map(|o| o.to_string())
                    .unwrap_or_else(|| article.id.clone()),
                reason: format!(
                    "entity extraction failed ({what}); article indexed without entities"
                ),
            }
        },
    )
}
