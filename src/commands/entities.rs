//! `newsdex entities`: read the article(s) of one input without touching an index and show how
//! each is normalized and which canonical entities it mentions, with mention counts and surface
//! forms: lets a user see why an article is tagged.
//!
//! JSON Lines, one object per article: `id`, `title`, `date`, `source`, `url`, `author`,
//! `dateline`, `caption`, `origins`, `people` and `orgs` (`[{name, mentions, surface}]`), `places`
//! (`[{name, country, country_code, region, mentions, surface}]`; `country` is the English name).

use crate::article::Article;
use crate::entities::{ArticleEntities, Entity};
use crate::present::{eprint_problem, json_line, sanitize, Style};
use crate::sources::{self, Format, Input, Problem};
use anyhow::Result;
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Condvar, Mutex};

#[derive(Debug, Clone)]
pub struct Options {
    pub file: PathBuf,
    pub format: Format,
    pub json: bool,
}

#[derive(Serialize)]
struct Out<'a> {
    id: &'a str,
    title: &'a str,
    date: Option<String>,
    source: &'a Option<String>,
    url: &'a Option<String>,
    author: &'a Option<String>,
    dateline: &'a Option<String>,
    caption: &'a Option<String>,
    origins: Vec<String>,
    #[serde(flatten)]
    entities: &'a ArticleEntities,
}

pub fn run(opts: Options) -> Result<ExitCode> {
    let input = if opts.file.as_os_str() == "-" {
        Input::Stdin
    } else if opts.file.is_dir() {
        anyhow::bail!(
            "{} is a folder: give one file (or `-` for JSON Lines on stdin)",
            opts.file.display()
        );
    } else {
        Input::File(opts.file.clone())
    };
    let style = Style::detect();
    let stdout = std::io::stdout();
    // Piped output in large writes (the standard output writes at every line break: on 18,000
    // articles, 2% of the command's instructions went to finding them); a terminal sees each
    // article as it comes.
    let mut out: Box<dyn Write> = if stdout.is_terminal() {
        Box::new(stdout.lock())
    } else {
        Box::new(std::io::BufWriter::with_capacity(1 << 16, stdout.lock()))
    };
    let mut skipped = false;
    let mut failed: Result<()> = Ok(());
    // Batch by batch (a large JSON Lines file is not held whole), the articles of a batch
    // shared among one worker per core, and printed in input order. The workers live as long
    // as the command: the tagger's word caches are per thread, and a fresh thread per batch
    // would start each batch with cold ones.
    let pool = Pool::start(crate::commands::ingest::extraction_workers() - 1);
    sources::read_input_batched(&input, opts.format, None, &mut |read| {
        if failed.is_err() {
            return ControlFlow::Break(());
        }
        for p in &read.warnings {
            eprint_problem("warning", p);
        }
        for p in &read.skipped {
            eprint_problem("skipped", p);
        }
        skipped |= !read.skipped.is_empty();
        let (articles, extracted) = pool.extract(read.articles);
        for (article, (ents, warnings)) in articles.iter().zip(extracted) {
            for p in &warnings {
                eprint_problem("warning", p);
            }
            let written = if opts.json {
                json_line(&mut out, &to_out(article, &ents))
            } else {
                print_article(&mut out, &style, article, &ents)
            };
            if let Err(e) = written {
                // Output that cannot be written (its reader has gone): the rest of the input
                // is not read.
                failed = Err(e);
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    });
    failed?;
    out.flush()?;
    Ok(if skipped {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// An article's entities and the warnings of their extraction.
type Extracted = (ArticleEntities, Vec<Problem>);

/// One batch of articles, extracted by whichever threads take its next article.
struct Batch {
    articles: Vec<Article>,
    next: AtomicUsize,
    results: Mutex<Vec<Option<Extracted>>>,
}

impl Batch {
    /// Extracts articles until none is left.
    fn work(&self) {
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(article) = self.articles.get(i) else {
                break;
            };
            let extracted = crate::commands::ingest::extract_bounded(article);
            if let Ok(mut results) = self.results.lock() {
                results[i] = Some(extracted);
            }
        }
    }
}

/// Counts a helper done with the current batch when dropped.
struct Done<'a>(&'a (Mutex<usize>, Condvar));

impl Drop for Done<'_> {
    fn drop(&mut self) {
        let (count, signal) = self.0;
        if let Ok(mut count) = count.lock() {
            *count += 1;
        }
        signal.notify_all();
    }
}

/// Helper threads that extract the articles of each batch alongside the calling thread.
struct Pool {
    jobs: Vec<Sender<Arc<Batch>>>,
    /// Helpers done with the current batch (each lets go of it first), and its signal.
    done: Arc<(Mutex<usize>, Condvar)>,
}

impl Pool {
    /// Starts `helpers` threads (none: the calling thread extracts alone). A helper that cannot
    /// be started is done without.
    fn start(helpers: usize) -> Pool {
        let mut jobs = Vec::new();
        let done = Arc::new((Mutex::new(0usize), Condvar::new()));
        for _ in 0..helpers {
            let (tx, rx) = channel::<Arc<Batch>>();
            let done = done.clone();
            let started = std::thread::Builder::new()
                .name("newsdex-extract".into())
                .spawn(move || {
                    for batch in rx {
                        // Counted as done however the work ends, a panic included, so the
                        // caller never waits for it in vain.
                        let counted = Done(&done);
                        batch.work();
                        drop(batch);
                        drop(counted);
                    }
                });
            if started.is_ok() {
                jobs.push(tx);
            }
        }
        Pool { jobs, done }
    }

    /// The entities of each article, in order; gives the articles back.
    fn extract(&self, articles: Vec<Article>) -> (Vec<Article>, Vec<Extracted>) {
        let batch = Arc::new(Batch {
            results: Mutex::new(articles.iter().map(|_| None).collect()),
            articles,
            next: AtomicUsize::new(0),
        });
        let (count, signal) = &*self.done;
        if let Ok(mut count) = count.lock() {
            *count = 0;
        }
        // Helpers only where there is more than one article to share.
        let helpers = if batch.articles.len() > 1 {
            self.jobs
                .iter()
                .filter(|tx| tx.send(batch.clone()).is_ok())
                .count()
        } else {
            0
        };
        batch.work();
        if let Ok(mut count) = count.lock() {
            while *count < helpers {
                count = match signal.wait(count) {
                    Ok(count) => count,
                    Err(_) => break,
                };
            }
        }
        let results = batch
            .results
            .lock()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default();
        let extracted = results.into_iter().map(Option::unwrap_or_default).collect();
        let articles = match Arc::try_unwrap(batch) {
            Ok(batch) => batch.articles,
            // Only if a helper failed while holding it.
            Err(batch) => batch.articles.clone(),
        };
        (articles, extracted)
    }
}

fn to_out<'a>(a: &'a Article, e: &'a ArticleEntities) -> Out<'a> {
    Out {
        id: &a.id,
        title: &a.title,
        date: a
            .published
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        source: &a.source,
        url: &a.url,
        author: &a.author,
        dateline: &a.dateline,
        caption: &a.caption,
        origins: a.origins.iter().map(|o| o.to_string()).collect(),
        entities: e,
    }
}

fn print_article<W: Write>(
    out: &mut W,
    style: &Style,
    a: &Article,
    e: &ArticleEntities,
) -> Result<()> {
    writeln!(out, "{}", style.bold(&sanitize(&a.title)))?;
    let mut field = |name: &str, value: Option<String>| -> Result<()> {
        if let Some(v) = value {
            writeln!(out, "  {:<9} {}", style.dim(name), sanitize(&v))?;
        }
        Ok(())
    };
    field("id", Some(a.id.clone()))?;
    field(
        "date",
        a.published
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
    )?;
    field("source", a.source.clone())?;
    field("url", a.url.clone())?;
    field("author", a.author.clone())?;
    field("dateline", a.dateline.clone())?;
    field("caption", a.caption.clone())?;
    field(
        "origin",
        Some(
            a.origins
                .iter()
                .map(|o| o.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    )?;
    field(
        "body",
        Some(format!(
            "{} characters, {} paragraphs",
            a.body.chars().count(),
            a.body
                .split("\n\n")
                .filter(|p| !p.trim().is_empty())
                .count()
        )),
    )?;
    print_entities(out, style, "People", &e.people)?;
    writeln!(out, "  {}", style.bold("Places"))?;
    if e.places.is_empty() {
        writeln!(out, "    (none)")?;
    }
    for p in &e.places {
        let mut where_ = Vec::new();
        if let Some(r) = &p.region {
            where_.push(r.clone());
        }
        match (&p.country, &p.country_code) {
            (Some(c), Some(cc)) if *c != p.name => where_.push(format!("{c}, {cc}")),
            (Some(_), Some(cc)) => where_.push(format!("country, {cc}")),
            (None, _) => where_.push("country unknown".into()),
            _ => {}
        }
        writeln!(
            out,
            "    {:>3}×  {}  {}  {}",
            p.mentions,
            sanitize(&p.name),
            style.dim(&format!("({})", where_.join("; "))),
            style.dim(&format!("as {}", sanitize(&p.surface.join(" | "))))
        )?;
    }
    print_entities(out, style, "Organizations", &e.orgs)?;
    writeln!(out)?;
    Ok(())
}

fn print_entities<W: Write>(
    out: &mut W,
    style: &Style,
    title: &str,
    list: &[Entity],
) -> Result<()> {
    writeln!(out, "  {}", style.bold(title))?;
    if list.is_empty() {
        writeln!(out, "    (none)")?;
    }
    for e in list {
        writeln!(
            out,
            "    {:>3}×  {}  {}",
            e.mentions,
            sanitize(&e.name),
            style.dim(&format!("as {}", sanitize(&e.surface.join(" | "))))
        )?;
    }
    Ok(())
}
