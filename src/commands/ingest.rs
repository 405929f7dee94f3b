//! `newsdex ingest`: walk inputs, read and normalize articles, extract entities in parallel
//! workers, and upsert them through one index writer. Prints a summary; exit code 1 when some
//! inputs or records were skipped.
//!
//! Crash safety: the writer commits only between whole articles, every `commit_every` articles,
//! `commit_secs` seconds or [`COMMIT_TEXT_SHARE`] of the writer's memory budget in article text,
//! whichever comes first, and records its progress ([`CommitInfo`]) in each commit. A run killed
//! at any moment leaves the index exactly as of its last commit; since upserts are idempotent,
//! running the same ingest again finishes it.

use crate::article::Article;
use crate::entities;
use crate::index::names::NameRegistry;
use crate::index::writer::{is_lock_busy, Committed, Outcome, Updater};
use crate::index::{CommitInfo, NewsIndex, StoredDoc};
use crate::present::{eprint_problem, json_line, thousands};
use crate::sources::{self, Format, Input, Problem};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::io::IsTerminal;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, RecvTimeoutError, Sender, SyncSender};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// Default commit interval, in articles: an upper bound, since the text written usually calls for
/// a commit first ([`COMMIT_TEXT_SHARE`]). Each commit writes a segment per indexing thread, and
/// each segment costs every search a fixed price: on 320,000 short articles, committing every
/// 10,000 cost a fifth of the ingest time, and the four segments of commits every 100,000 made a
/// one-word query 1.5 times slower than one segment. The time interval bounds the work a killed
/// run loses.
pub const DEFAULT_COMMIT_EVERY: usize = 1_000_000;
/// Default commit interval, in seconds.
pub const DEFAULT_COMMIT_SECS: f64 = 60.0;
/// An ingest commits when the article text written since its last commit reaches this share of
/// the writer's memory budget (numerator, denominator). tantivy writes an in-memory segment to
/// disk when it fills its share of the budget, which took 0.82-0.86 bytes of article text per byte
/// of budget (Reuters: 208,244 articles, 165 MB of text, for 200 MB; Reuters and BBC mixed:
/// 181,678 articles, 172 MB). Committing at two thirds comes first: each commit writes whole
/// segments instead of a full one that tantivy wrote on its own and a small remainder.
pub const COMMIT_TEXT_SHARE: (u64, u64) = (2, 3);
/// Entities are extracted from at most this much of a body (in bytes): extraction time grows
/// faster than linearly on text without sentence breaks, and one giant article must not stall
/// the run.
pub const ENTITY_TEXT_MAX: usize = 256 * 1024;

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
    /// Commit after this many articles (at least 1)...
    pub commit_every: usize,
    /// ...or after this many seconds, whichever comes first.
    pub commit_secs: f64,
    /// The index writer's memory budget, in megabytes.
    pub memory_mb: u64,
}

impl Options {
    /// Options with the default commit intervals and memory budget.
    pub fn new(paths: Vec<PathBuf>, index: PathBuf) -> Options {
        Options {
            paths,
            index,
            format: Format::Auto,
            source: None,
            entities: true,
            json: false,
            progress: true,
            commit_every: DEFAULT_COMMIT_EVERY,
            commit_secs: DEFAULT_COMMIT_SECS,
            memory_mb: crate::index::writer::DEFAULT_MEMORY_BYTES as u64 / 1_000_000,
        }
    }
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
    /// Articles stored as read but indexed without entities (`--no-entities`), now given them.
    pub entities_added: usize,
    /// Inputs or records that could not be read, each with its reason.
    pub skipped: Vec<Problem>,
    /// Inputs read with a caveat (e.g. decoded as Windows-1252).
    pub warnings: Vec<Problem>,
    /// Documents in the index after the run.
    pub documents: u64,
    /// Commits made by the run (the last one included).
    pub commits: u64,
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
    /// CPU seconds of the threads of each stage (where the platform reports them): unlike the
    /// busy times, these leave out waiting for the cores and for other stages. The writer's
    /// covers upserts, building the documents and commits; tantivy's own threads (indexing,
    /// compression, merges) are the rest of the process's CPU time.
    pub read_cpu: Option<f64>,
    pub extract_cpu: Option<f64>,
    pub write_cpu: Option<f64>,
}

/// CPU seconds the calling thread has used, where the platform reports it.
pub fn thread_cpu_seconds() -> Option<f64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9)
}

/// CPU seconds the calling thread used since `start` (a [`thread_cpu_seconds`] reading).
fn thread_cpu_since(start: Option<f64>) -> Option<f64> {
    Some((thread_cpu_seconds()? - start?).max(0.0))
}

/// Adds the CPU time the calling thread used since `start` to `total` (in nanoseconds);
/// `total` becomes `u64::MAX` (unknown) when a clock is missing.
fn add_thread_cpu(total: &AtomicU64, start: Option<f64>) {
    match thread_cpu_since(start) {
        Some(s) => {
            let _ = total.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
                (t != u64::MAX).then(|| t + (s * 1e9) as u64)
            });
        }
        None => total.store(u64::MAX, Ordering::Relaxed),
    }
}

/// Seconds from a total kept by [`add_thread_cpu`].
fn cpu_total(total: &AtomicU64) -> Option<f64> {
    let t = total.load(Ordering::Relaxed);
    (t != u64::MAX).then(|| t as f64 / 1e9)
}

/// What the extraction workers send to the writer; `seq` is the article's position in input order.
enum Msg {
    /// Consecutive articles, numbered from `first`.
    /// `bytes` is what the sender reserved in the [`Backlog`] for them.
    Articles {
        first: usize,
        docs: Vec<Extracted>,
        bytes: usize,
    },
    Problems {
        skipped: Vec<Problem>,
        warnings: Vec<Problem>,
    },
    /// Every article of the input named `name` has a number below `end`.
    InputDone { end: usize, name: String },
}

/// An article on its way to the writer.
struct Extracted {
    doc: StoredDoc,
    /// The index held this article exactly as read when the run started, so its entities were
    /// not extracted: the writer finds it unchanged, or extracts them itself if the run has
    /// changed the index since.
    stored: bool,
}

/// Articles travel from the reader to the workers numbered in input order.
/// Consecutive articles, numbered from the first.
type Numbered = (usize, Vec<Article>);

/// Articles handed between threads at a time: one message per article would cost more in
/// thread wake-ups than short articles cost to index.
const CHUNK: usize = 32;

/// Most bytes of extracted articles (see [`chunk_bytes`]) waiting for the writer: a few
/// hundred news articles, so the writer takes them while they are still in the processor's
/// caches...
pub const BACKLOG_BYTES: usize = 1024 * 1024;
/// ...except while it commits: a commit holds the writer for seconds while tantivy writes its
/// segments, and with this much room the workers go on extracting meanwhile instead of idling
/// (about 20,000 news articles, several seconds of extraction).
pub const COMMIT_BACKLOG_BYTES: usize = 64 * 1024 * 1024;

/// What an extracted article is counted for in the backlog: its text, and a fixed allowance
/// for its entities and the structures that hold it.
fn chunk_bytes(docs: &[Extracted]) -> usize {
    docs.iter()
        .map(|d| {
            let a = &d.doc.article;
            let optional = [&a.caption, &a.dateline, &a.source, &a.url, &a.author];
            a.title.len()
                + a.body.len()
                + optional
                    .iter()
                    .filter_map(|o| o.as_ref())
                    .map(String::len)
                    .sum::<usize>()
                + 1024
        })
        .sum()
}

/// The room left for extracted articles on their way to the writer ([`BACKLOG_BYTES`], or
/// [`COMMIT_BACKLOG_BYTES`] during a commit). Workers reserve a chunk's bytes before sending
/// it; the writer gives them back as it takes the chunk. Once the writer is gone (finished or
/// failed), it is closed and no worker waits.
struct Backlog {
    state: Mutex<BacklogState>,
    changed: Condvar,
}

struct BacklogState {
    reserved: usize,
    limit: usize,
    closed: bool,
}

impl Backlog {
    fn new(limit: usize) -> Backlog {
        Backlog {
            state: Mutex::new(BacklogState {
                reserved: 0,
                limit,
                closed: false,
            }),
            changed: Condvar::new(),
        }
    }

    /// Waits until `bytes` fit (a chunk larger than the whole limit fits an empty backlog);
    /// false when the backlog is closed.
    fn reserve(&self, bytes: usize) -> bool {
        let Ok(mut state) = self.state.lock() else {
            return false;
        };
        while !state.closed && state.reserved > 0 && state.reserved + bytes > state.limit {
            state = match self.changed.wait(state) {
                Ok(state) => state,
                Err(_) => return false,
            };
        }
        state.reserved += bytes;
        !state.closed
    }

    fn update(&self, change: impl FnOnce(&mut BacklogState)) {
        if let Ok(mut state) = self.state.lock() {
            change(&mut state);
        }
        self.changed.notify_all();
    }

    fn release(&self, bytes: usize) {
        self.update(|s| s.reserved = s.reserved.saturating_sub(bytes));
    }

    fn set_limit(&self, limit: usize) {
        self.update(|s| s.limit = limit);
    }

    fn close(&self) {
        self.update(|s| s.closed = true);
    }
}

/// Closes a [`Backlog`] when dropped: the writer holds one, so the workers stop waiting
/// whether the writer ends normally, returns an error or panics.
struct CloseOnDrop<'a>(&'a Backlog);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

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
    // The calling thread is the writer.
    let write_start = thread_cpu_seconds();
    if opts.commit_every == 0 || !(opts.commit_secs > 0.0 && opts.commit_secs.is_finite()) {
        anyhow::bail!("--commit-every and --commit-secs must be above 0");
    }
    if !crate::index::writer::MEMORY_MB_RANGE.contains(&opts.memory_mb) {
        anyhow::bail!(
            "--memory-mb {} is out of range: the index writer needs between {} and {} MB",
            opts.memory_mb,
            crate::index::writer::MEMORY_MB_RANGE.start(),
            crate::index::writer::MEMORY_MB_RANGE.end()
        );
    }
    let index = NewsIndex::open_or_create(&opts.index)?;
    // While entities are extracted, extraction keeps the cores busy and one indexing thread
    // keeps up; its larger segments need fewer merges (80,000 Reuters articles: tantivy CPU
    // 15.2 -> 12.8 s, whole ingest 4% faster, medians of 4 alternating runs).
    let indexing_threads = if opts.entities {
        1
    } else {
        crate::index::writer::MAX_WRITER_THREADS
    };
    let memory_bytes = opts.memory_mb as usize * 1_000_000;
    let mut updater = match Updater::with_memory(&index, memory_bytes, indexing_threads) {
        Ok(updater) => updater,
        Err(err) if is_lock_busy(&err) => anyhow::bail!(
            "index {} is being written by another newsdex process (its lock is held); wait \
             for that ingest to finish, or stop it, then run this command again (the index \
             keeps everything that process committed)",
            opts.index.display()
        ),
        Err(err) => return Err(err),
    };
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
        eprint_problem("skipped", p);
    }
    summary.inputs = inputs.len();

    let progress = if opts.progress {
        progress_bar(inputs.len(), inputs.contains(&Input::Stdin))
    } else {
        ProgressBar::hidden()
    };
    let read_nanos = AtomicU64::new(0);
    let extract_nanos = AtomicU64::new(0);
    let (read_cpu, extract_cpu) = (AtomicU64::new(0), AtomicU64::new(0));
    let mut index_seconds = 0.0;
    let mut commits = Commits {
        info: CommitInfo {
            run_started: now(),
            inputs_total: inputs.len() as u64,
            ..CommitInfo::default()
        },
        every: opts.commit_every,
        interval: Duration::from_secs_f64(opts.commit_secs),
        since: 0,
        last: Instant::now(),
        made: 0,
        memory_bytes,
        text_bytes: memory_bytes as u64 * COMMIT_TEXT_SHARE.0 / COMMIT_TEXT_SHARE.1,
    };
    let workers = extraction_workers();
    // One reader thread (reading is cheap) numbers articles in input order; parallel workers
    // extract entities; the single writer applies articles in input order, so which version of
    // an article wins never depends on thread timing.
    // Raw articles wait in a short queue; extracted ones in a backlog bounded by bytes.
    let (article_tx, article_rx) = sync_channel::<Numbered>(8);
    let article_rx = Mutex::new(Some(article_rx));
    let (tx, rx) = channel::<Msg>();
    let backlog = Backlog::new(BACKLOG_BYTES);
    // A commit with room for the workers to go on meanwhile.
    let commit = |commits: &mut Commits, updater: &mut Updater, last: bool| {
        backlog.set_limit(COMMIT_BACKLOG_BYTES);
        let documents = commits.commit(updater, last);
        backlog.set_limit(BACKLOG_BYTES);
        documents
    };
    let result: Result<()> = std::thread::scope(|scope| {
        // The writer (this closure) owns the receiving end, so when it returns, even with an
        // error, the other threads' sends fail and they stop.
        let rx = rx;
        let _close = CloseOnDrop(&backlog);
        let backlog = &backlog;
        let reader_tx = tx.clone();
        let (inputs, read_nanos, extract_nanos) = (&inputs, &read_nanos, &extract_nanos);
        let (read_cpu, extract_cpu) = (&read_cpu, &extract_cpu);
        // Named threads: profilers and panic messages tell the stages apart.
        let thread = |name: &str| std::thread::Builder::new().name(format!("newsdex-{name}"));
        thread("reader")
            .spawn_scoped(scope, move || {
                let start = thread_cpu_seconds();
                read_all(inputs, opts, &reader_tx, &article_tx, read_nanos);
                add_thread_cpu(read_cpu, start);
            })
            .context("cannot start the reader thread")?;
        let index_ref = &index;
        for _ in 0..workers {
            let tx = tx.clone();
            let article_rx = &article_rx;
            let started = thread("extract").spawn_scoped(scope, move || {
                let start = thread_cpu_seconds();
                extract_all(index_ref, article_rx, &tx, backlog, opts, extract_nanos);
                add_thread_cpu(extract_cpu, start);
            });
            if let Err(err) = started {
                // The reader must not wait for workers that never come.
                if let Ok(mut rx) = article_rx.lock() {
                    *rx = None;
                }
                return Err(err).context("cannot start an extraction thread");
            }
        }
        drop(tx);
        // Chunks waiting for an earlier one, by the number of their first article.
        let mut pending: BTreeMap<usize, Vec<Extracted>> = BTreeMap::new();
        let mut inputs_open: VecDeque<(usize, String)> = VecDeque::new();
        let mut next_seq = 0;
        loop {
            // With uncommitted changes, wake up in time to commit them even when input stalls.
            let msg = if updater.pending() > 0 {
                match rx.recv_timeout(commits.interval.saturating_sub(commits.last.elapsed())) {
                    Ok(msg) => msg,
                    Err(RecvTimeoutError::Timeout) => {
                        commit(&mut commits, &mut updater, false)?;
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => break,
                }
            } else {
                match rx.recv() {
                    Ok(msg) => msg,
                    Err(_) => break,
                }
            };
            match msg {
                Msg::Articles { first, docs, bytes } => {
                    backlog.release(bytes);
                    pending.insert(first, docs);
                    let t = Instant::now();
                    while let Some(docs) = pending.remove(&next_seq) {
                        for Extracted { mut doc, stored } in docs {
                            next_seq += 1;
                            summary.articles += 1;
                            // Stored as read when the run started, and not written since
                            // (or, when that is not sure, found unchanged now).
                            let unchanged = stored
                                && (updater.untouched(&doc.article.id)
                                    || updater.unchanged(&doc.article, opts.entities)?);
                            let outcome = if unchanged {
                                Outcome::Unchanged
                            } else {
                                if stored {
                                    // This run changed the article's document: its entities
                                    // are needed after all (only runs that extract look
                                    // articles up as stored).
                                    let (entities, warnings) = extract_bounded(&doc.article);
                                    for p in &warnings {
                                        progress.suspend(|| eprint_problem("warning", p));
                                    }
                                    summary.warnings.extend(warnings);
                                    doc.entities = entities;
                                }
                                names.canonicalize(&mut doc);
                                updater.upsert(doc)?
                            };
                            match outcome {
                                Outcome::Added => summary.added += 1,
                                Outcome::Replaced => summary.replaced += 1,
                                Outcome::Unchanged => summary.unchanged += 1,
                                Outcome::Duplicate => summary.duplicates += 1,
                                Outcome::EntitiesAdded => summary.entities_added += 1,
                            }
                            commits.applied(outcome);
                            inputs_done(&mut inputs_open, next_seq, &mut commits.info, &progress);
                            // Between two whole articles: the only place a commit happens.
                            if commits.due(&updater) {
                                commit(&mut commits, &mut updater, false)?;
                            }
                        }
                    }
                    index_seconds += t.elapsed().as_secs_f64();
                }
                Msg::Problems { skipped, warnings } => {
                    for p in &warnings {
                        progress.suspend(|| eprint_problem("warning", p));
                    }
                    for p in &skipped {
                        progress.suspend(|| eprint_problem("skipped", p));
                    }
                    summary.warnings.extend(warnings);
                    summary.skipped.extend(skipped);
                }
                Msg::InputDone { end, name } => {
                    inputs_open.push_back((end, name));
                    inputs_done(&mut inputs_open, next_seq, &mut commits.info, &progress);
                }
            }
        }
        Ok(())
    });
    progress.finish_and_clear();
    // On a failure, nothing more is committed: the index keeps its last commit, which holds only
    // whole articles, and running the same ingest again finishes the work.
    if let Err(err) = result {
        return Err(err.context(format!(
            "ingest stopped; the index {} holds the articles committed before the failure, and \
             running the same ingest again finishes it",
            opts.index.display()
        )));
    }
    let t = Instant::now();
    summary.documents = commits.commit(&mut updater, true)?;
    summary.commits = commits.made;
    updater.finish()?;
    // Top people, places and organizations of the finished index, so `facets` over the whole
    // archive need not count them again, and every distinct value, so a filter's name is
    // resolved from one list; without them both are only slower.
    if let Err(err) = write_caches(&index) {
        progress.suspend(|| eprintln!("newsdex: warning: cannot cache the entity values: {err:#}"));
    }
    index_seconds += t.elapsed().as_secs_f64();
    summary.elapsed_seconds = started.elapsed().as_secs_f64();
    summary.articles_per_second = summary.articles as f64 / summary.elapsed_seconds.max(1e-9);
    summary.stages = StageTimes {
        read: read_nanos.load(Ordering::Relaxed) as f64 / 1e9,
        extract: extract_nanos.load(Ordering::Relaxed) as f64 / 1e9,
        index: index_seconds,
        read_cpu: cpu_total(&read_cpu),
        extract_cpu: cpu_total(&extract_cpu),
        write_cpu: thread_cpu_since(write_start),
    };
    Ok(summary)
}

/// Writes the caches `facets` and the entity filters read (see [`super::facets::write_top_cache`]
/// and [`crate::index::values`]) for the index's last commit.
fn write_caches(index: &NewsIndex) -> Result<()> {
    let reader: tantivy::IndexReader = index
        .index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    // The values first: the top values' counts read the aliases worked out from them.
    crate::index::values::write(index, &searcher)?;
    super::facets::write_top_cache(index, &searcher)
}

/// The reader thread: reads every input in order, numbering its articles, and hands them to the
/// workers in chunks; returns early when the receiving side is gone.
fn read_all(
    inputs: &[Input],
    opts: &Options,
    reader_tx: &Sender<Msg>,
    article_tx: &SyncSender<Numbered>,
    read_nanos: &AtomicU64,
) {
    let mut seq = 0;
    for input in inputs {
        // Time spent handing articles on (waiting for the workers) counts too.
        let t = Instant::now();
        // Batches of a large input go on as they are read; the bounded channels keep the reader
        // at most a few hundred articles ahead of the writer.
        let mut stopped = false;
        sources::read_input_batched(input, opts.format, opts.source.as_deref(), &mut |out| {
            if !out.skipped.is_empty() || !out.warnings.is_empty() {
                let problems = Msg::Problems {
                    skipped: out.skipped,
                    warnings: out.warnings,
                };
                stopped = stopped || reader_tx.send(problems).is_err();
            }
            let mut articles = out.articles.into_iter().peekable();
            while articles.peek().is_some() && !stopped {
                let chunk: Vec<Article> = articles.by_ref().take(CHUNK).collect();
                let n = chunk.len();
                stopped = article_tx.send((seq, chunk)).is_err();
                seq += n;
            }
            // The writer has stopped (a failure): the rest of the input is not read.
            if stopped {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        read_nanos.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
        if stopped {
            return;
        }
        let done = Msg::InputDone {
            end: seq,
            name: input.display(),
        };
        if reader_tx.send(done).is_err() {
            return;
        }
    }
}

/// An extraction worker: takes chunks of articles until there are none, extracts their
/// entities and sends the stored documents to the writer.
fn extract_all(
    index: &NewsIndex,
    article_rx: &Mutex<Option<Receiver<Numbered>>>,
    tx: &Sender<Msg>,
    backlog: &Backlog,
    opts: &Options,
    extract_nanos: &AtomicU64,
) {
    // Articles already stored as read need no extraction (a re-ingest of an archive extracts
    // only what is new or changed). Without a view of the index, everything is extracted.
    let mut committed = if opts.entities {
        Committed::open(index).ok().flatten()
    } else {
        None
    };
    while let Some((first, docs)) =
        extract_next(article_rx, tx, committed.as_mut(), opts, extract_nanos)
    {
        let bytes = chunk_bytes(&docs);
        let sent = backlog.reserve(bytes) && tx.send(Msg::Articles { first, docs, bytes }).is_ok();
        if !sent {
            break;
        }
    }
    // The writer is gone, or there is nothing left to read: let go of the reader's queue, so
    // a reader still sending stops instead of waiting for workers that have left.
    if let Ok(mut rx) = article_rx.lock() {
        *rx = None;
    }
}

/// Takes the next chunk of articles and extracts their entities; `None` when there are no more
/// or the writer is gone.
fn extract_next(
    article_rx: &Mutex<Option<Receiver<Numbered>>>,
    tx: &Sender<Msg>,
    mut committed: Option<&mut Committed<'_>>,
    opts: &Options,
    extract_nanos: &AtomicU64,
) -> Option<(usize, Vec<Extracted>)> {
    let next = match article_rx.lock() {
        Ok(rx) => rx.as_ref()?.recv(),
        Err(_) => return None,
    };
    let Ok((first, articles)) = next else {
        return None;
    };
    let t = Instant::now();
    let mut docs = Vec::with_capacity(articles.len());
    let mut warnings = Vec::new();
    for article in articles {
        // A lookup that fails only means the article is extracted.
        let stored = match committed.as_deref_mut() {
            Some(view) => view.holds(&article, opts.entities).unwrap_or(false),
            None => false,
        };
        let entities = if opts.entities && !stored {
            let (entities, w) = extract_bounded(&article);
            warnings.extend(w);
            entities
        } else {
            Default::default()
        };
        let mut doc = StoredDoc::new(article, entities);
        doc.without_entities = !opts.entities;
        docs.push(Extracted { doc, stored });
    }
    extract_nanos.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
    if !warnings.is_empty() {
        let problems = Msg::Problems {
            skipped: Vec::new(),
            warnings,
        };
        if tx.send(problems).is_err() {
            return None;
        }
    }
    Some((first, docs))
}

/// When to commit, and the progress each commit records.
struct Commits {
    info: CommitInfo,
    every: usize,
    interval: Duration,
    /// Articles applied since the last commit.
    since: usize,
    last: Instant,
    made: u64,
    memory_bytes: usize,
    /// Article text written since the last commit that calls for the next one.
    text_bytes: u64,
}

impl Commits {
    fn applied(&mut self, outcome: Outcome) {
        let info = &mut self.info;
        info.articles_applied += 1;
        match outcome {
            Outcome::Added => info.added += 1,
            Outcome::Replaced => info.replaced += 1,
            Outcome::Unchanged => info.unchanged += 1,
            Outcome::Duplicate => info.duplicates += 1,
            Outcome::EntitiesAdded => info.entities_added += 1,
        }
        self.since += 1;
    }

    /// Time to commit: enough articles, enough time, enough text for full segments, or the
    /// uncommitted documents the updater holds reached the memory budget.
    fn due(&self, updater: &Updater) -> bool {
        self.since >= self.every
            || self.last.elapsed() >= self.interval
            || updater.pending_text_bytes() >= self.text_bytes
            || updater.pending_bytes() >= self.memory_bytes
    }

    /// Commits with the progress so far, when there is something to commit or the run is
    /// `complete` (its last commit says so); returns the documents in the index.
    fn commit(&mut self, updater: &mut Updater, complete: bool) -> Result<u64> {
        self.since = 0;
        self.last = Instant::now();
        if updater.pending() == 0 && !complete {
            return Ok(updater.documents());
        }
        self.info.complete = complete;
        self.info.committed_at = now();
        self.info.documents = updater.documents();
        let payload = serde_json::to_string(&self.info)?;
        let documents = updater.commit_with_payload(Some(&payload))?;
        self.made += 1;
        Ok(documents)
    }
}

/// Counts the inputs whose articles (numbered below their `end`) are all applied.
fn inputs_done(
    open: &mut VecDeque<(usize, String)>,
    applied: usize,
    info: &mut CommitInfo,
    progress: &ProgressBar,
) {
    while open.front().is_some_and(|(end, _)| *end <= applied) {
        if let Some((_, name)) = open.pop_front() {
            info.inputs_done += 1;
            info.last_input = Some(name);
            progress.inc(1);
        }
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
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
    if s.entities_added > 0 {
        println!(
            "  entities added to {} article{} indexed before without them",
            n(s.entities_added),
            if s.entities_added == 1 { "" } else { "s" }
        );
    }
    if !s.warnings.is_empty() {
        println!("  {} warning(s) (listed above)", s.warnings.len());
    }
    println!("Index {}: {} documents", s.index, thousands(s.documents));
}

/// Threads that extract entities: one per core, at most 8.
pub(crate) fn extraction_workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
}

/// Entity extraction bounded in time and guarded: a body longer than [`ENTITY_TEXT_MAX`] gives
/// its entities from its first part only (the whole body is still indexed), with a warning.
pub(crate) fn extract_bounded(article: &Article) -> (entities::ArticleEntities, Vec<Problem>) {
    let mut warnings = Vec::new();
    let cut;
    let to_read = if article.body.len() > ENTITY_TEXT_MAX {
        let mut shorter = article.clone();
        shorter.body = crate::normalize::cut_at_char(&article.body, ENTITY_TEXT_MAX).to_string();
        warnings.push(Problem {
            origin: article_origin(article),
            reason: format!(
                "body is {} KB; people, places and organizations are taken from its first {} KB",
                article.body.len() / 1024,
                ENTITY_TEXT_MAX / 1024
            ),
        });
        cut = shorter;
        &cut
    } else {
        article
    };
    let entities = extract_guarded(to_read).unwrap_or_else(|problem| {
        warnings.push(problem);
        Default::default()
    });
    (entities, warnings)
}

fn article_origin(article: &Article) -> String {
    article
        .origins
        .first()
        .map(|o| o.to_string())
        .unwrap_or_else(|| article.id.clone())
}

/// Entity extraction that cannot take the ingest down: a failure inside the extractor (a bug,
/// not bad input) becomes a warning naming the article, which is still indexed, without entities.
fn extract_guarded(article: &Article) -> Result<entities::ArticleEntities, Problem> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| entities::extract(article))).map_err(
        |panic| {
            let what = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown error");
            Problem {
                origin: article_origin(article),
                reason: format!(
                    "entity extraction failed ({what}); article indexed without entities"
                ),
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    /// Runs `reserve(bytes)` on another thread; returns whether it is still waiting after a
    /// moment, and then (after `unblock`) what it returned.
    fn waits_for(backlog: &Backlog, bytes: usize, unblock: impl FnOnce()) -> (bool, bool) {
        let done = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let worker = scope.spawn(|| {
                let ok = backlog.reserve(bytes);
                done.store(true, Ordering::SeqCst);
                ok
            });
            std::thread::sleep(Duration::from_millis(50));
            let waited = !done.load(Ordering::SeqCst);
            unblock();
            (waited, worker.join().unwrap())
        })
    }

    #[test]
    fn the_backlog_holds_workers_back_until_the_writer_takes_chunks_or_leaves() {
        let backlog = Backlog::new(100);
        // A chunk larger than the whole limit still fits an empty backlog.
        assert!(backlog.reserve(250));
        assert_eq!(
            waits_for(&backlog, 10, || backlog.release(250)),
            (true, true)
        );
        assert!(backlog.reserve(80));
        // Within the limit: no wait.
        assert!(backlog.reserve(10));
        // Over it: a wait until the limit is raised (as for a commit)...
        assert_eq!(
            waits_for(&backlog, 50, || backlog.set_limit(1000)),
            (true, true)
        );
        backlog.set_limit(100);
        // ...or until the writer is gone, when the worker is told to stop.
        assert_eq!(waits_for(&backlog, 50, || backlog.close()), (true, false));
        assert!(!backlog.reserve(1));
        backlog.release(140);
        assert!(!backlog.reserve(1), "a closed backlog stays closed");
    }
}
