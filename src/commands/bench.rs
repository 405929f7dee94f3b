//! `newsdex bench`: measured figures for one corpus and one query set, each against a baseline
//! measured in the same run. Figures, never assertions.
//!
//! 1. **Baseline**: a plain tantivy index of the same articles (title and body, default tokenizer,
//!    stored), built as tantivy-cli's `index` command builds one: a reading thread, a thread
//!    parsing each JSON record into a document, one indexing thread with a 1 GB heap (its
//!    defaults).
//! 2. **Ingest without entity extraction** and **ingest with it**: the real `newsdex ingest` code
//!    into scratch indexes: elapsed time, articles/s, MB/s, busy time of each stage (read +
//!    normalize, extraction, indexing) summed over its threads and the CPU time of each
//!    (newsdex's stages from per-thread clocks, tantivy's threads as the rest of the process's
//!    CPU time), index size, peak memory.
//! 3. **Tagger**: tokenize + tag throughput on one thread over a sample of the articles.
//! 4. **Queries and facets**: with each index opened once, latency samples (exact hit count, top
//!    10 and their stored titles) and p50/p95/p99 for every query of the queries file; the
//!    baseline index answers the same queries where it can (no entity or date filters).
//!
//! The queries file is JSON: `{"warmup": N, "repetitions": N, "queries": [{"name", "query",
//! "person"?, "place"?, "org"?, "since"?, "until"?, "baseline"?}], "facets": [{"name", "kind"
//! (people|places|orgs), "query"?, "top"?}]}`. `--json` prints one object with the figures and
//! every latency sample (microseconds), so other harnesses can compare engines on the same work.

use crate::commands::facets::count_facets;
use crate::commands::ingest::{self, StageTimes, Summary};
use crate::index::{NewsIndex, StoredDoc};
use crate::ner::{tokenize, Tagger};
use crate::present::{json_line, thousands};
use crate::query::{self, EntityKind, Filters};
use crate::sources::{self, Format, Input};
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{Schema, Value, STORED, TEXT};
use tantivy::{Index, TantivyDocument};

/// The baseline's indexing threads and total writer heap: tantivy-cli 0.24's `index` defaults
/// (`--num_threads 1`, `--memory_size 1000000000`). Its help promises one thread fewer than the
/// cores; the default is one on any machine, which is also that on two cores.
const BASELINE_THREADS: usize = 1;
const BASELINE_HEAP_BYTES: usize = 1_000_000_000;
/// Most runs of the whole `newsdex search` process per query.
const PROCESS_REPETITIONS: usize = 20;
/// Runs of one engine before the other takes its turn (see [`measure_alternately`]).
const TURN_RUNS: usize = 10;
/// Articles tagged for the one-thread tagger figure.
const TAGGER_SAMPLE: usize = 2_000;

/// The query set used when no queries file is given (terms of news-wire English).
const DEFAULT_QUERIES: &str = include_str!("../../bench/queries.json");

#[derive(Debug, Clone)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub queries: Option<PathBuf>,
    pub keep: Option<PathBuf>,
    /// Measure latency on the indexes of an earlier `keep` run instead of building them.
    pub reuse: bool,
    pub no_entities_run: bool,
    /// Build the index with entity extraction (when false, latency is measured on the index
    /// built without it, where entity filters and facets find nothing).
    pub entities_run: bool,
    pub baseline: bool,
    /// tantivy-cli's executable, to time its `index` command too.
    pub tantivy_cli: Option<PathBuf>,
    /// Rounds of builds (each reference and each ingest once a round, in turn).
    pub repeat: usize,
    pub json: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryFile {
    #[serde(default = "default_warmup")]
    warmup: usize,
    #[serde(default = "default_repetitions")]
    repetitions: usize,
    #[serde(default)]
    queries: Vec<QuerySpec>,
    #[serde(default)]
    facets: Vec<FacetSpec>,
}

fn default_warmup() -> usize {
    3
}

fn default_repetitions() -> usize {
    30
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuerySpec {
    name: String,
    query: String,
    #[serde(default)]
    person: Vec<String>,
    #[serde(default)]
    place: Vec<String>,
    #[serde(default)]
    org: Vec<String>,
    since: Option<String>,
    until: Option<String>,
    /// Whether the plain baseline index answers it too (default: when there are no filters).
    baseline: Option<bool>,
}

impl QuerySpec {
    fn filters(&self) -> Filters {
        Filters {
            people: self.person.clone(),
            places: self.place.clone(),
            orgs: self.org.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
        }
    }

    fn has_filters(&self) -> bool {
        !(self.person.is_empty()
            && self.place.is_empty()
            && self.org.is_empty()
            && self.since.is_none()
            && self.until.is_none())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FacetSpec {
    name: String,
    kind: String,
    #[serde(default)]
    query: String,
    #[serde(default = "default_top")]
    top: usize,
}

fn default_top() -> usize {
    20
}

#[derive(Debug, Serialize)]
struct Corpus {
    inputs: usize,
    articles: usize,
    bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
struct Build {
    engine: &'static str,
    articles: usize,
    seconds: f64,
    /// CPU seconds of the whole process during the build (all threads): unlike `seconds`, not
    /// inflated when other programs compete for the cores.
    cpu_seconds: Option<f64>,
    articles_per_second: f64,
    mb_per_second: f64,
    index_bytes: u64,
    index_to_input: f64,
    peak_rss_bytes: Option<u64>,
    /// Busy seconds of each stage summed over its threads (newsdex only).
    #[serde(skip_serializing_if = "Option::is_none")]
    stages: Option<Stages>,
    /// Seconds against the baseline's build time.
    #[serde(skip_serializing_if = "Option::is_none")]
    time_vs_baseline: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cpu_vs_baseline: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_vs_baseline: Option<f64>,
    /// Seconds against tantivy-cli's own build time (with `--tantivy-cli`).
    #[serde(skip_serializing_if = "Option::is_none")]
    time_vs_tantivy_cli: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
struct Stages {
    read_normalize_seconds: f64,
    extract_seconds: f64,
    index_seconds: f64,
    read_normalize_articles_per_second: f64,
    extract_articles_per_second: f64,
    index_articles_per_second: f64,
    /// CPU seconds by stage: the threads of each of newsdex's stages, and tantivy's threads
    /// (indexing, store compression, merges: the rest of the process's CPU time).
    #[serde(skip_serializing_if = "Option::is_none")]
    cpu: Option<StageCpu>,
}

#[derive(Debug, Clone, Serialize)]
struct StageCpu {
    read_normalize_seconds: f64,
    extract_seconds: f64,
    writer_seconds: f64,
    tantivy_seconds: f64,
}

#[derive(Debug, Serialize)]
struct TaggerFigures {
    articles: usize,
    tokens: usize,
    seconds: f64,
    tokens_per_second: f64,
}

#[derive(Debug, Serialize)]
struct Latency {
    name: String,
    kind: &'static str,
    query: String,
    engine: &'static str,
    hits: usize,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    mean_ms: f64,
    /// CPU time per run (the measuring thread; for whole processes, the child).
    cpu_p50_ms: Option<f64>,
    cpu_p95_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    p50_vs_baseline: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cpu_p50_vs_baseline: Option<f64>,
    samples_us: Vec<u64>,
    cpu_samples_us: Vec<u64>,
}

#[derive(Debug, Serialize)]
struct Report {
    corpus: Corpus,
    threads: usize,
    /// One figure per build; after several rounds, the round of median time, with each ratio
    /// the median of the ratios measured within one round.
    builds: Vec<Build>,
    /// Every round's builds, when there were several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rounds: Vec<Vec<Build>>,
    tagger: Option<TaggerFigures>,
    warmup: usize,
    repetitions: usize,
    latencies: Vec<Latency>,
}

pub fn run(opts: Options) -> Result<ExitCode> {
    let spec: QueryFile = match &opts.queries {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read the queries file {}", p.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("{} is not a valid queries file", p.display()))?
        }
        None => serde_json::from_str(DEFAULT_QUERIES).context("built-in queries")?,
    };
    let mut inputs = Vec::new();
    for item in sources::walk(&opts.paths) {
        match item {
            Ok(Input::File(p)) => inputs.push(p),
            Ok(Input::Stdin) => bail!("bench reads files and folders, not standard input"),
            Err(p) => eprintln!("newsdex: skipped {}: {}", p.origin, p.reason),
        }
    }
    if inputs.is_empty() {
        bail!("no inputs to benchmark");
    }
    let input_bytes: u64 = inputs
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let scratch = tempfile::tempdir().context("cannot create a scratch folder")?;
    let work = match &opts.keep {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            dir.clone()
        }
        None => scratch.path().to_path_buf(),
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let (builds, baseline, dir, articles) = if opts.reuse {
        open_kept(&work, opts.baseline, opts.entities_run)?
    } else {
        build_rounds(&opts, &inputs, input_bytes, &work)?
    };
    let (builds, rounds) = builds;

    note(opts.json, "tagger on one thread");
    let tagger = tagger_figures(&inputs);

    note(opts.json, "queries and facets");
    let index = NewsIndex::open(&dir)?;
    let latencies = latencies(&spec, &index, &dir, baseline.as_ref().map(|b| &b.0))?;

    let report = Report {
        corpus: Corpus {
            inputs: inputs.len(),
            articles,
            bytes: input_bytes,
        },
        threads,
        builds,
        rounds,
        tagger,
        warmup: spec.warmup,
        repetitions: spec.repetitions,
        latencies,
    };
    print(&report, opts.json)
}

/// A kept baseline index with its build time and size.
type Baseline = (Index, Times, u64);

/// Build figures: the summary of each build and, after several rounds, every round's.
type Builds = (Vec<Build>, Vec<Vec<Build>>);

/// Builds every index `opts.repeat` times, a round of each in turn, so a machine that slows
/// down or speeds up during the run weighs on all of them alike. Returns the figures (see
/// [`summarize_rounds`]), and the last round's baseline, newsdex index folder and articles.
fn build_rounds(
    opts: &Options,
    inputs: &[PathBuf],
    input_bytes: u64,
    work: &Path,
) -> Result<(Builds, Option<Baseline>, PathBuf, usize)> {
    let repeat = opts.repeat.max(1);
    let mut rounds = Vec::with_capacity(repeat);
    let mut last = None;
    for round in 1..=repeat {
        if repeat > 1 {
            note(opts.json, &format!("round {round} of {repeat}"));
        }
        let (builds, baseline, dir, articles) = build_all(opts, inputs, input_bytes, work)?;
        rounds.push(builds);
        last = Some((baseline, dir, articles));
    }
    let (baseline, dir, articles) = last.context("no build round ran")?;
    if rounds.len() == 1 {
        return Ok((
            (rounds.pop().unwrap_or_default(), Vec::new()),
            baseline,
            dir,
            articles,
        ));
    }
    Ok(((summarize_rounds(&rounds), rounds), baseline, dir, articles))
}

/// One figure per build from several rounds: the round of median time (the lower of the two
/// middle ones for an even count), its ratios replaced by the medians of each round's ratio.
/// A ratio is taken within a round, where both builds met the same machine.
fn summarize_rounds(rounds: &[Vec<Build>]) -> Vec<Build> {
    let median = |mut v: Vec<f64>| -> Option<f64> {
        v.sort_by(f64::total_cmp);
        v.get(v.len().saturating_sub(1) / 2).copied()
    };
    let Some(first) = rounds.first() else {
        return Vec::new();
    };
    (0..first.len())
        .map(|i| {
            let runs: Vec<&Build> = rounds.iter().filter_map(|r| r.get(i)).collect();
            let mut by_time = runs.clone();
            by_time.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
            let mut build = by_time[(by_time.len() - 1) / 2].clone();
            let ratio = |f: fn(&Build) -> Option<f64>| {
                let v: Vec<f64> = runs.iter().filter_map(|b| f(b)).collect();
                if v.len() == runs.len() {
                    median(v)
                } else {
                    None
                }
            };
            build.time_vs_baseline = ratio(|b| b.time_vs_baseline);
            build.cpu_vs_baseline = ratio(|b| b.cpu_vs_baseline);
            build.size_vs_baseline = ratio(|b| b.size_vs_baseline);
            build.time_vs_tantivy_cli = ratio(|b| b.time_vs_tantivy_cli);
            build
        })
        .collect()
}

/// Builds the baseline and the newsdex indexes in `work`; returns the build figures, the
/// baseline, the folder of the newsdex index and the number of articles ingested.
fn build_all(
    opts: &Options,
    inputs: &[PathBuf],
    input_bytes: u64,
    work: &Path,
) -> Result<(Vec<Build>, Option<Baseline>, PathBuf, usize)> {
    if opts.tantivy_cli.is_some() {
        if let Some(other) = inputs
            .iter()
            .find(|p| p.extension().is_none_or(|e| e != "jsonl"))
        {
            bail!(
                "--tantivy-cli reads JSON Lines only, and {} is not a .jsonl file",
                other.display()
            );
        }
    }
    let mut builds = Vec::new();
    let mut baseline: Option<Baseline> = None;
    if opts.baseline {
        note(opts.json, "baseline: plain tantivy index");
        let dir = fresh_dir(&work.join("baseline"))?;
        reset_peak_rss();
        let cpu = process_cpu_seconds();
        let t = Instant::now();
        let (index, n) = build_baseline(inputs, &dir)?;
        let secs = t.elapsed().as_secs_f64();
        let cpu = cpu_since(cpu);
        let size = dir_size(&dir);
        builds.push(build_figures(
            "tantivy (baseline)",
            n,
            (secs, cpu),
            input_bytes,
            size,
            None,
            None,
        ));
        baseline = Some((index, (secs, cpu), size));
    }
    let cli_build = |engine| -> Result<Option<Build>> {
        let Some(exe) = &opts.tantivy_cli else {
            return Ok(None);
        };
        note(opts.json, engine);
        let dir = fresh_dir(&work.join("tantivy-cli"))?;
        let (n, times, peak) = run_tantivy_cli(exe, inputs, &dir)?;
        let mut build = build_figures(
            engine,
            n,
            times,
            input_bytes,
            dir_size(&dir),
            None,
            baseline.as_ref().map(|b| (b.1, b.2)),
        );
        build.peak_rss_bytes = peak;
        Ok(Some(build))
    };
    let newsdex_build = |entities: bool| -> Result<Build> {
        let (engine, what) = if entities {
            ("newsdex", "with")
        } else {
            ("newsdex, no entities", "without")
        };
        note(
            opts.json,
            &format!("newsdex ingest {what} entity extraction"),
        );
        let dir = fresh_dir(&work.join(newsdex_dir_name(entities)))?;
        reset_peak_rss();
        let cpu = process_cpu_seconds();
        let summary = ingest::ingest(&ingest::Options {
            entities,
            json: true,
            progress: !opts.json,
            ..ingest::Options::new(inputs.to_vec(), dir.clone())
        })?;
        Ok(build_figures(
            engine,
            summary.articles,
            (summary.elapsed_seconds, cpu_since(cpu)),
            input_bytes,
            dir_size(&dir),
            Some(&summary),
            baseline.as_ref().map(|b| (b.1, b.2)),
        ))
    };
    builds.extend(cli_build(CLI_BEFORE)?);
    if opts.no_entities_run {
        builds.push(newsdex_build(false)?);
    }
    if opts.entities_run {
        builds.push(newsdex_build(true)?);
    }
    let articles = builds.last().map_or(0, |b| b.articles);
    builds.extend(cli_build(CLI_AFTER)?);
    against_tantivy_cli(&mut builds);
    Ok((
        builds,
        baseline,
        work.join(newsdex_dir_name(opts.entities_run)),
        articles,
    ))
}

/// tantivy-cli's build, run before the newsdex builds.
const CLI_BEFORE: &str = "tantivy-cli (external)";
/// tantivy-cli's build run again after them.
const CLI_AFTER: &str = "tantivy-cli, after newsdex";

/// Sets each newsdex build's time against tantivy-cli's: the mean of its runs before and after
/// the newsdex builds, so a machine that speeds up or slows down during a round (as a shared one
/// does) weighs on both sides of the ratio alike.
fn against_tantivy_cli(builds: &mut [Build]) {
    let cli: Vec<f64> = builds
        .iter()
        .filter(|b| b.engine == CLI_BEFORE || b.engine == CLI_AFTER)
        .map(|b| b.seconds)
        .collect();
    if cli.is_empty() {
        return;
    }
    let cli = cli.iter().sum::<f64>() / cli.len() as f64;
    for b in builds
        .iter_mut()
        .filter(|b| b.engine.starts_with("newsdex"))
    {
        b.time_vs_tantivy_cli = Some(b.seconds / cli.max(1e-9));
    }
}

/// The schema of tantivy-cli's index, as its `meta.json` (tantivy 0.24's layout, which later
/// versions read too): the baseline's title and body, default tokenizer, positions, stored.
const TANTIVY_CLI_META: &str = r#"{"index_settings":{"docstore_compression":"lz4","docstore_blocksize":16384},"segments":[],"schema":[{"name":"title","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"default"},"stored":true,"fast":false}},{"name":"body","type":"text","options":{"indexing":{"record":"position","fieldnorms":true,"tokenizer":"default"},"stored":true,"fast":false}}],"opstamp":0}"#;

/// Runs `EXE index -i DIR` with its default settings, the JSON Lines inputs on its standard
/// input (as `cat *.jsonl | tantivy index -i DIR`); returns the records fed, the elapsed and CPU
/// seconds of the child and its peak memory.
fn run_tantivy_cli(
    exe: &Path,
    inputs: &[PathBuf],
    dir: &Path,
) -> Result<(usize, Times, Option<u64>)> {
    use std::io::{BufRead, Write};
    use std::process::{Command, Stdio};
    std::fs::write(dir.join("meta.json"), TANTIVY_CLI_META)
        .with_context(|| format!("cannot write {}", dir.join("meta.json").display()))?;
    // Records are counted before the clock starts; the files are then fed whole, as `cat` does.
    let mut records = 0;
    for path in inputs {
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        for line in std::io::BufReader::new(file).split(b'\n') {
            let line = line.with_context(|| format!("cannot read {}", path.display()))?;
            records += usize::from(line.iter().any(|b| !b.is_ascii_whitespace()));
        }
    }
    let cpu = children_cpu_seconds();
    let t = Instant::now();
    let mut child = Command::new(exe)
        .arg("index")
        .arg("-i")
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot run {}", exe.display()))?;
    let peak = PeakSampler::start(child.id());
    let mut stdin = child.stdin.take().context("no pipe to tantivy-cli")?;
    let mut fed: Result<()> = Ok(());
    for path in inputs {
        let result = std::fs::File::open(path)
            .and_then(|mut f| {
                std::io::copy(&mut f, &mut stdin)?;
                // A file without a final line break must not run into the next one's first line.
                let len = f.metadata()?.len();
                let mut last = [0u8];
                if len > 0 {
                    use std::io::{Read, Seek, SeekFrom};
                    f.seek(SeekFrom::Start(len - 1))?;
                    f.read_exact(&mut last)?;
                }
                if len > 0 && last[0] != b'\n' {
                    stdin.write_all(b"\n")?;
                }
                Ok(())
            })
            .with_context(|| format!("cannot feed {} to tantivy-cli", path.display()));
        if let Err(e) = result {
            fed = Err(e);
            break;
        }
    }
    drop(stdin);
    let status = child.wait().context("tantivy-cli did not finish")?;
    let secs = t.elapsed().as_secs_f64();
    let peak = peak.stop();
    // A tool that failed stops reading: its failure, not the broken pipe, is the news.
    if !status.success() {
        bail!("{} index failed ({status})", exe.display());
    }
    fed?;
    Ok((records, (secs, cpu_since_children(cpu)), peak))
}

/// Samples a child process's peak resident size (`VmHWM` of `/proc/PID/status`) every 20 ms
/// until stopped. The child's own accounting (`getrusage`) would count the parent's memory
/// too, which the child shares until it loads its program.
struct PeakSampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<Option<u64>>,
}

impl PeakSampler {
    fn start(pid: u32) -> PeakSampler {
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let path = format!("/proc/{pid}/status");
            let mut peak: Option<u64> = None;
            while !flag.load(Ordering::Relaxed) {
                if let Some(kb) = std::fs::read_to_string(&path)
                    .ok()
                    .as_deref()
                    .and_then(|s| status_kb(s, "VmHWM:"))
                {
                    peak = peak.max(Some(kb * 1024));
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            peak
        });
        PeakSampler { stop, thread }
    }

    /// The highest peak seen (none where `/proc` is missing).
    fn stop(self) -> Option<u64> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.join().ok().flatten()
    }
}

/// The value in kB of a `/proc/PID/status` line such as `VmHWM:  1234 kB`.
fn status_kb(status: &str, key: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// CPU seconds (user and system) of the finished child processes.
fn children_cpu_seconds() -> Option<f64> {
    let usage = children_rusage()?;
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Some(secs(usage.ru_utime) + secs(usage.ru_stime))
}

fn cpu_since_children(start: Option<f64>) -> Option<f64> {
    Some(children_cpu_seconds()? - start?)
}

/// Resource use of the finished child processes, summed.
fn children_rusage() -> Option<libc::rusage> {
    // SAFETY: getrusage fills the zeroed struct it is given and reads nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } == 0;
    ok.then_some(usage)
}

/// The folder (under the work folder) of the newsdex index built with or without entities.
fn newsdex_dir_name(entities: bool) -> &'static str {
    if entities {
        "newsdex"
    } else {
        "newsdex-no-entities"
    }
}

/// The indexes an earlier `--keep` run left in `work`.
fn open_kept(
    work: &Path,
    with_baseline: bool,
    with_entities: bool,
) -> Result<(Builds, Option<Baseline>, PathBuf, usize)> {
    let dir = work.join(newsdex_dir_name(with_entities));
    let articles = NewsIndex::open(&dir)?.index.reader()?.searcher().num_docs() as usize;
    let base_dir = work.join("baseline");
    let baseline = if with_baseline && base_dir.join("meta.json").exists() {
        let size = dir_size(&base_dir);
        Some((Index::open_in_dir(&base_dir)?, (0.0, None), size))
    } else {
        None
    };
    Ok(((Vec::new(), Vec::new()), baseline, dir, articles))
}

/// Says what runs next, on a terminal.
fn note(json: bool, what: &str) {
    if !json && std::io::stderr().is_terminal() {
        eprintln!("bench: {what} ...");
    }
}

fn print(report: &Report, json: bool) -> Result<ExitCode> {
    if json {
        json_line(&mut std::io::stdout().lock(), report)?;
    } else {
        print_report(report);
    }
    Ok(ExitCode::SUCCESS)
}

/// Elapsed and CPU seconds of one build.
type Times = (f64, Option<f64>);

fn build_figures(
    engine: &'static str,
    articles: usize,
    (seconds, cpu_seconds): Times,
    input_bytes: u64,
    index_bytes: u64,
    summary: Option<&Summary>,
    baseline: Option<(Times, u64)>,
) -> Build {
    let per = |n: f64, s: f64| n / s.max(1e-9);
    Build {
        engine,
        articles,
        seconds,
        cpu_seconds,
        articles_per_second: per(articles as f64, seconds),
        mb_per_second: per(input_bytes as f64 / 1e6, seconds),
        index_bytes,
        index_to_input: index_bytes as f64 / input_bytes.max(1) as f64,
        peak_rss_bytes: peak_rss(),
        stages: summary.map(|s| Stages {
            read_normalize_seconds: s.stages.read,
            extract_seconds: s.stages.extract,
            index_seconds: s.stages.index,
            read_normalize_articles_per_second: per(articles as f64, s.stages.read),
            extract_articles_per_second: per(articles as f64, s.stages.extract),
            index_articles_per_second: per(articles as f64, s.stages.index),
            cpu: stage_cpu(&s.stages, cpu_seconds),
        }),
        time_vs_baseline: baseline.map(|((s, _), _)| seconds / s.max(1e-9)),
        cpu_vs_baseline: match (baseline, cpu_seconds) {
            (Some(((_, Some(base)), _)), Some(cpu)) => Some(cpu / base.max(1e-9)),
            _ => None,
        },
        size_vs_baseline: baseline.map(|(_, b)| index_bytes as f64 / b.max(1) as f64),
        time_vs_tantivy_cli: None,
    }
}

/// CPU seconds by stage, where every clock is known; tantivy's share is what the process used
/// beyond newsdex's own threads.
fn stage_cpu(stages: &StageTimes, process: Option<f64>) -> Option<StageCpu> {
    let (read, extract, writer) = (stages.read_cpu?, stages.extract_cpu?, stages.write_cpu?);
    Some(StageCpu {
        read_normalize_seconds: read,
        extract_seconds: extract,
        writer_seconds: writer,
        tantivy_seconds: (process? - read - extract - writer).max(0.0),
    })
}

/// An empty folder at `dir` (whatever was there from an earlier `--keep` run is removed).
fn fresh_dir(dir: &Path) -> Result<PathBuf> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("cannot clear {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir.to_path_buf())
}

/// Builds the baseline index: title and body, tantivy's default tokenizer, stored. It follows
/// tantivy-cli's `index` command: one thread reads JSON Lines records, one parses each whole
/// record into a document (`TantivyDocument::parse_json`, which reads every field and keeps those
/// of the schema), and the writer's threads index them. Inputs in other formats go through the
/// ordinary readers and are handed on as title and body.
fn build_baseline(inputs: &[PathBuf], dir: &Path) -> Result<(Index, usize)> {
    let mut builder = Schema::builder();
    let title = builder.add_text_field("title", TEXT | STORED);
    let body = builder.add_text_field("body", TEXT | STORED);
    let schema = builder.build();
    let index = Index::create_in_dir(dir, schema.clone())?;
    let mut writer: tantivy::IndexWriter =
        index.writer_with_num_threads(BASELINE_THREADS, BASELINE_HEAP_BYTES)?;
    let (line_tx, line_rx) = std::sync::mpsc::sync_channel::<BaselineInput>(100);
    let (doc_tx, doc_rx) = std::sync::mpsc::sync_channel::<TantivyDocument>(100);
    let n = std::thread::scope(|scope| -> Result<usize> {
        scope.spawn(move || {
            for path in inputs {
                if !send_baseline_input(path, &line_tx) {
                    return;
                }
            }
        });
        scope.spawn(move || {
            for input in line_rx {
                let doc = match input {
                    BaselineInput::Line(line) => {
                        match TantivyDocument::parse_json(&schema, &line) {
                            Ok(doc) => doc,
                            Err(_) => continue,
                        }
                    }
                    BaselineInput::Article(t, b) => {
                        let mut doc = TantivyDocument::default();
                        doc.add_text(title, &t);
                        doc.add_text(body, &b);
                        doc
                    }
                };
                if doc_tx.send(doc).is_err() {
                    return;
                }
            }
        });
        let mut n = 0;
        for doc in doc_rx {
            writer.add_document(doc)?;
            n += 1;
        }
        Ok(n)
    })?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok((index, n))
}

/// What the baseline's reader hands its parser: a JSON Lines record as read, or the title and
/// body of an article of another format.
enum BaselineInput {
    Line(String),
    Article(String, String),
}

/// Sends the records of one input to the baseline's parser; false when it has stopped.
fn send_baseline_input(path: &Path, tx: &std::sync::mpsc::SyncSender<BaselineInput>) -> bool {
    use std::io::BufRead;
    if path.extension().is_some_and(|e| e == "jsonl") {
        let Ok(file) = std::fs::File::open(path) else {
            return true;
        };
        for line in std::io::BufReader::new(file).lines() {
            let Ok(line) = line else {
                return true;
            };
            if tx.send(BaselineInput::Line(line)).is_err() {
                return false;
            }
        }
        return true;
    }
    sources::read_input(&Input::File(path.to_path_buf()), Format::Auto, None)
        .articles
        .into_iter()
        .all(|a| tx.send(BaselineInput::Article(a.title, a.body)).is_ok())
}

/// Tokenize + tag on this one thread over the first articles of the inputs (after one warm-up
/// pass over the same articles, so the word cache is as it is in a long ingest).
fn tagger_figures(inputs: &[PathBuf]) -> Option<TaggerFigures> {
    let mut texts = Vec::new();
    for path in inputs {
        let out = sources::read_input(&Input::File(path.clone()), Format::Auto, None);
        texts.extend(
            out.articles
                .iter()
                .map(crate::entities::document_text)
                .take(TAGGER_SAMPLE - texts.len()),
        );
        if texts.len() >= TAGGER_SAMPLE {
            break;
        }
    }
    if texts.is_empty() {
        return None;
    }
    let tagger = Tagger::embedded();
    let tokens: usize = texts.iter().map(|t| tokenize::tokenize(t).len()).sum();
    for t in &texts {
        std::hint::black_box(tagger.tag_document(t));
    }
    let start = Instant::now();
    for t in &texts {
        std::hint::black_box(tagger.tag_document(t));
    }
    let seconds = start.elapsed().as_secs_f64();
    Some(TaggerFigures {
        articles: texts.len(),
        tokens,
        seconds,
        tokens_per_second: tokens as f64 / seconds.max(1e-9),
    })
}

fn latencies(
    spec: &QueryFile,
    index: &NewsIndex,
    index_dir: &Path,
    baseline: Option<&Index>,
) -> Result<Vec<Latency>> {
    let reader = index.index.reader()?;
    let searcher = reader.searcher();
    let base_reader = match baseline {
        Some(b) => Some(b.reader()?),
        None => None,
    };
    let reps = spec.repetitions.max(1);
    let mut out = Vec::new();
    for q in &spec.queries {
        let filters = q.filters();
        let run_newsdex = || -> Result<usize> {
            let resolved = query::build(index, &searcher, &q.query, &filters)?;
            let (top, count) = searcher.search(
                &resolved.query,
                &(TopDocs::with_limit(10).order_by_score(), Count),
            )?;
            for (_, address) in top {
                let doc: TantivyDocument = searcher.doc(address)?;
                std::hint::black_box(StoredDoc::title_of(&doc, &index.fields)?);
            }
            Ok(count)
        };
        let wants_baseline = q.baseline.unwrap_or(!q.has_filters());
        let base = match (baseline, &base_reader, wants_baseline) {
            (Some(base), Some(base_reader), true) => Some((base, base_reader.searcher())),
            _ => None,
        };
        let Some((base, bs)) = base else {
            match measure(spec.warmup, reps, CpuClock::Thread, run_newsdex) {
                Ok((hits, samples)) => {
                    out.push(latency(
                        &q.name, "query", &q.query, "newsdex", hits, samples,
                    ));
                }
                Err(e) => eprintln!("newsdex: bench: query '{}' skipped: {e:#}", q.name),
            }
            continue;
        };
        if let Err(e) = run_newsdex() {
            eprintln!("newsdex: bench: query '{}' skipped: {e:#}", q.name);
            continue;
        }
        let schema = base.schema();
        let (title, body) = (schema.get_field("title")?, schema.get_field("body")?);
        let mut parser = QueryParser::for_index(base, vec![title, body]);
        parser.set_conjunction_by_default();
        let run_base = || -> Result<usize> {
            let parsed = parser.parse_query(&q.query)?;
            let (top, count) =
                bs.search(&parsed, &(TopDocs::with_limit(10).order_by_score(), Count))?;
            for (_, address) in top {
                let doc: TantivyDocument = bs.doc(address)?;
                let t = doc
                    .get_first(title)
                    .and_then(|v| v.as_str())
                    .map(str::to_string);
                std::hint::black_box(t);
            }
            Ok(count)
        };
        let [(hits, samples), (bhits, bsamples)] = measure_alternately(
            spec.warmup,
            reps,
            CpuClock::Thread,
            [&mut { run_newsdex }, &mut { run_base }],
        )
        .with_context(|| format!("query '{}'", q.name))?;
        let mut lat = latency(&q.name, "query", &q.query, "newsdex", hits, samples);
        let base_lat = latency(
            &q.name,
            "query",
            &q.query,
            "tantivy (baseline)",
            bhits,
            bsamples,
        );
        lat.p50_vs_baseline = Some(lat.p50_ms / base_lat.p50_ms.max(1e-6));
        lat.cpu_p50_vs_baseline = match (lat.cpu_p50_ms, base_lat.cpu_p50_ms) {
            (Some(a), Some(b)) => Some(a / b.max(1e-6)),
            _ => None,
        };
        out.push(lat);
        out.push(base_lat);
    }
    // The whole `newsdex search` process (start, open the index, query, print 10 hits with
    // snippets), as a user runs it: warm cache, output discarded.
    let exe = std::env::current_exe().ok();
    for q in spec.queries.iter().filter(|_| exe.is_some()) {
        let Some(exe) = &exe else { break };
        let mut cmd = std::process::Command::new(exe);
        cmd.arg("search")
            .arg(&q.query)
            .arg("--index")
            .arg(index_dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        for (flag, values) in [
            ("--person", &q.person),
            ("--place", &q.place),
            ("--org", &q.org),
        ] {
            for v in values {
                cmd.arg(flag).arg(v);
            }
        }
        for (flag, value) in [("--since", &q.since), ("--until", &q.until)] {
            if let Some(v) = value {
                cmd.arg(flag).arg(v);
            }
        }
        let run = || -> Result<usize> {
            // Exit code 1 is a search without hits: still a complete run.
            let status = cmd.status()?;
            Ok(usize::from(matches!(status.code(), Some(0 | 1))))
        };
        let (ok, samples) = measure(1, reps.min(PROCESS_REPETITIONS), CpuClock::Children, run)?;
        if ok == 0 {
            eprintln!(
                "newsdex: bench: `newsdex search` failed for query '{}'",
                q.name
            );
            continue;
        }
        let hits = out
            .iter()
            .find(|l| l.name == q.name && l.engine == "newsdex")
            .map_or(0, |l| l.hits);
        out.push(latency(
            &q.name,
            "search process",
            &q.query,
            "newsdex, whole process",
            hits,
            samples,
        ));
    }
    for f in &spec.facets {
        let kind = match crate::commands::facets::Kind::parse(&f.kind) {
            Some(crate::commands::facets::Kind::People) => EntityKind::Person,
            Some(crate::commands::facets::Kind::Places) => EntityKind::Place,
            Some(crate::commands::facets::Kind::Orgs) => EntityKind::Org,
            _ => bail!("facet '{}': kind must be people, places or orgs", f.name),
        };
        let run_facets = || -> Result<usize> {
            let resolved = query::build(index, &searcher, &f.query, &Filters::default())?;
            let values =
                count_facets(index, &searcher, resolved.query.as_ref(), kind, None, f.top)?;
            Ok(values.len())
        };
        let (n, samples) = match measure(spec.warmup, reps, CpuClock::Thread, run_facets) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("newsdex: bench: facets '{}' skipped: {e:#}", f.name);
                continue;
            }
        };
        let query = if f.query.trim().is_empty() {
            "*".to_string()
        } else {
            f.query.clone()
        };
        out.push(latency(&f.name, "facets", &query, "newsdex", n, samples));
    }
    Ok(out)
}

/// Which CPU clock a measurement reads.
#[derive(Clone, Copy)]
enum CpuClock {
    /// The calling thread (in-process queries run on it).
    Thread,
    /// Finished child processes (whole `newsdex search` runs).
    Children,
}

/// CPU time in microseconds on `clock`, where the platform reports it.
fn cpu_micros(clock: CpuClock) -> Option<u64> {
    match clock {
        CpuClock::Thread => ingest::thread_cpu_seconds().map(|s| (s * 1e6) as u64),
        CpuClock::Children => {
            // SAFETY: an all-zero rusage is valid, and getrusage only writes into it.
            let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
            let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
            let us = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
            (rc == 0).then(|| us(ru.ru_utime) + us(ru.ru_stime))
        }
    }
}

/// Samples of one measured operation, in microseconds.
struct Samples {
    wall: Vec<u64>,
    /// CPU time of each run: unlike wall time, not inflated when other programs compete for the
    /// cores (empty where the platform does not report it).
    cpu: Vec<u64>,
}

/// Runs `f` `warmup` times unmeasured, then `reps` times; returns its last result and the samples.
fn measure(
    warmup: usize,
    reps: usize,
    clock: CpuClock,
    mut f: impl FnMut() -> Result<usize>,
) -> Result<(usize, Samples)> {
    let [m] = measure_alternately(warmup, reps, clock, [&mut f])?;
    Ok(m)
}

/// [`measure`] for several operations (two engines on one query), taking turns in blocks of
/// [`TURN_RUNS`] runs, warm-up and measured runs alike: whatever the machine does meanwhile (a
/// slower clock, another program) falls on each alike, while within a block each runs with its
/// own data in the processor's caches, as when it runs alone. The first run of a block after
/// another operation's is not measured.
fn measure_alternately<const N: usize>(
    warmup: usize,
    reps: usize,
    clock: CpuClock,
    fs: [&mut dyn FnMut() -> Result<usize>; N],
) -> Result<[(usize, Samples); N]> {
    let mut fs = fs;
    let mut out: [(usize, Samples); N] = std::array::from_fn(|_| {
        let samples = Samples {
            wall: Vec::with_capacity(reps),
            cpu: Vec::with_capacity(reps),
        };
        (0, samples)
    });
    for _ in 0..warmup.div_ceil(TURN_RUNS) {
        for (f, (result, _)) in fs.iter_mut().zip(out.iter_mut()) {
            for _ in 0..warmup.min(TURN_RUNS) {
                *result = f()?;
            }
        }
    }
    let mut left = reps;
    while left > 0 {
        let block = left.min(TURN_RUNS);
        for (f, (result, samples)) in fs.iter_mut().zip(out.iter_mut()) {
            if N > 1 {
                *result = f()?;
            }
            for _ in 0..block {
                let c = cpu_micros(clock);
                let t = Instant::now();
                *result = f()?;
                samples.wall.push(t.elapsed().as_micros() as u64);
                if let (Some(a), Some(b)) = (c, cpu_micros(clock)) {
                    samples.cpu.push(b.saturating_sub(a));
                }
            }
        }
        left -= block;
    }
    for (_, samples) in out.iter_mut() {
        if samples.cpu.len() != samples.wall.len() {
            samples.cpu.clear();
        }
    }
    Ok(out)
}

fn percentile(samples: &[u64], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i] as f64 / 1e3
}

fn latency(
    name: &str,
    kind: &'static str,
    query: &str,
    engine: &'static str,
    hits: usize,
    samples: Samples,
) -> Latency {
    let w = &samples.wall;
    let mean = w.iter().sum::<u64>() as f64 / w.len().max(1) as f64 / 1e3;
    let has_cpu = !samples.cpu.is_empty();
    Latency {
        name: name.to_string(),
        kind,
        query: query.to_string(),
        engine,
        hits,
        p50_ms: percentile(w, 0.50),
        p95_ms: percentile(w, 0.95),
        p99_ms: percentile(w, 0.99),
        mean_ms: mean,
        cpu_p50_ms: has_cpu.then(|| percentile(&samples.cpu, 0.50)),
        cpu_p95_ms: has_cpu.then(|| percentile(&samples.cpu, 0.95)),
        p50_vs_baseline: None,
        cpu_p50_vs_baseline: None,
        samples_us: samples.wall,
        cpu_samples_us: samples.cpu,
    }
}

fn print_report(r: &Report) {
    println!(
        "Corpus: {} inputs, {} articles, {:.1} MB; {} cores",
        thousands(r.corpus.inputs as u64),
        thousands(r.corpus.articles as u64),
        r.corpus.bytes as f64 / 1e6,
        r.threads
    );
    println!();
    if !r.builds.is_empty() {
        println!(
            "{:<22} {:>9} {:>8} {:>11} {:>8} {:>10} {:>8} {:>9} {:>10} {:>9} {:>9}",
            "Build",
            "seconds",
            "CPU s",
            "articles/s",
            "MB/s",
            "index MB",
            "size/in",
            "peak MB",
            "time/base",
            "CPU/base",
            "size/base"
        );
        for b in &r.builds {
            let ratio =
                |v: Option<f64>| v.map(|v| format!("{v:.2}x")).unwrap_or_else(|| "-".into());
            println!(
                "{:<22} {:>9.2} {:>8} {:>11.0} {:>8.1} {:>10.1} {:>8.2} {:>9} {:>10} {:>9} {:>9}",
                b.engine,
                b.seconds,
                b.cpu_seconds
                    .map(|c| format!("{c:.1}"))
                    .unwrap_or_else(|| "-".into()),
                b.articles_per_second,
                b.mb_per_second,
                b.index_bytes as f64 / 1e6,
                b.index_to_input,
                b.peak_rss_bytes
                    .map(|p| format!("{:.0}", p as f64 / 1e6))
                    .unwrap_or_else(|| "-".into()),
                ratio(b.time_vs_baseline),
                ratio(b.cpu_vs_baseline),
                ratio(b.size_vs_baseline),
            );
        }
        let against_cli: Vec<String> = r
            .builds
            .iter()
            .filter_map(|b| Some(format!("{} {:.2}x", b.engine, b.time_vs_tantivy_cli?)))
            .collect();
        if !against_cli.is_empty() {
            println!("  time against tantivy-cli's: {}", against_cli.join(", "));
        }
        if !r.rounds.is_empty() {
            println!(
                "  {} rounds: each build above is its round of median time; each ratio the \
                 median of the ratios within a round",
                r.rounds.len()
            );
            for (i, round) in r.rounds.iter().enumerate() {
                let figures: Vec<String> = round
                    .iter()
                    .map(|b| {
                        let mut f = format!("{} {:.2}s", b.engine, b.seconds);
                        if let Some(x) = b.time_vs_tantivy_cli {
                            f.push_str(&format!(" ({x:.2}x tantivy-cli)"));
                        } else if let Some(x) = b.time_vs_baseline {
                            f.push_str(&format!(" ({x:.2}x baseline)"));
                        }
                        f
                    })
                    .collect();
                println!("  round {}: {}", i + 1, figures.join(", "));
            }
        }
        for b in &r.builds {
            if let Some(s) = &b.stages {
                println!(
                    "  {}: stage busy time (summed over threads): read+normalize {:.2}s ({:.0}/s), \
                     entities {:.2}s ({:.0}/s), index {:.2}s ({:.0}/s)",
                    b.engine,
                    s.read_normalize_seconds,
                    s.read_normalize_articles_per_second,
                    s.extract_seconds,
                    s.extract_articles_per_second,
                    s.index_seconds,
                    s.index_articles_per_second
                );
                if let Some(c) = &s.cpu {
                    println!(
                        "  {}: CPU by stage: read+normalize {:.2}s, entities {:.2}s, writer \
                         (upserts, documents, commits) {:.2}s, tantivy (indexing, store \
                         compression, merges) {:.2}s",
                        b.engine,
                        c.read_normalize_seconds,
                        c.extract_seconds,
                        c.writer_seconds,
                        c.tantivy_seconds
                    );
                }
            }
        }
    }
    if let Some(t) = &r.tagger {
        println!();
        println!(
            "Tagger, one thread: {} tokens of {} articles in {:.2}s: {:.0} tokens/s",
            thousands(t.tokens as u64),
            thousands(t.articles as u64),
            t.seconds,
            t.tokens_per_second
        );
    }
    println!();
    println!(
        "Latency ({} warm-up runs, {} measured): in process, hit count + top 10 with titles; \
         whole process, `newsdex search` printing 10 hits with snippets",
        r.warmup, r.repetitions
    );
    println!(
        "{:<28} {:<24} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "Query", "engine", "hits", "p50 ms", "p95 ms", "p99 ms", "p50/base", "CPU p50", "CPU/base"
    );
    let ratio = |v: Option<f64>| v.map(|v| format!("{v:.2}x")).unwrap_or_else(|| "-".into());
    for l in &r.latencies {
        println!(
            "{:<28} {:<24} {:>9} {:>9.3} {:>9.3} {:>9.3} {:>9} {:>9} {:>9}",
            truncate(&l.name, 28),
            l.engine,
            thousands(l.hits as u64),
            l.p50_ms,
            l.p95_ms,
            l.p99_ms,
            ratio(l.p50_vs_baseline),
            l.cpu_p50_ms
                .map(|v| format!("{v:.3}"))
                .unwrap_or_else(|| "-".into()),
            ratio(l.cpu_p50_vs_baseline),
        );
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// Bytes of all files under `dir`.
fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok())
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// CPU seconds (user + system, all threads) used by this process so far, from /proc.
fn process_cpu_seconds() -> Option<f64> {
    crate::commands::bench_ner::cpu_seconds("/proc/self/stat")
}

fn cpu_since(start: Option<f64>) -> Option<f64> {
    Some(process_cpu_seconds()? - start?)
}

/// Starts a new peak-memory measurement (Linux: resets the process's peak RSS), after giving
/// back to the system the memory the allocator keeps for reuse, so that a build's peak does not
/// count what earlier builds left free.
fn reset_peak_rss() {
    crate::memory::give_back_free_memory();
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident set size of this process, where the platform reports it.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    Some(status_kb(&status, "VmHWM:")? * 1024)
}
