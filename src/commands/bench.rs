//! `newsdex bench`: where ingest time goes. Runs each stage alone on one thread over the given
//! inputs (read + normalize, model load, entity extraction, indexing into a scratch index) and
//! prints the time, throughput and share of each, plus peak memory. Figures, never assertions.

use crate::entities;
use crate::index::writer::Updater;
use crate::index::{NewsIndex, StoredDoc};
use crate::present::{json_line, thousands};
use crate::sources::{self, Format};
use anyhow::{Context, Result};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Serialize)]
struct Stage {
    stage: &'static str,
    seconds: f64,
    articles_per_second: f64,
    share: f64,
}

#[derive(Debug, Serialize)]
struct Report {
    inputs: usize,
    articles: usize,
    bytes: usize,
    stages: Vec<Stage>,
    total_seconds: f64,
    peak_rss_bytes: Option<u64>,
}

pub fn run(paths: &[PathBuf], json: bool) -> Result<ExitCode> {
    let inputs: Vec<_> = sources::walk(paths)
        .into_iter()
        .filter_map(Result::ok)
        .collect();

    let t = Instant::now();
    let mut articles = Vec::new();
    for input in &inputs {
        articles.extend(sources::read_input(input, Format::Auto, None).articles);
    }
    let read = t.elapsed().as_secs_f64();
    let bytes: usize = articles.iter().map(|a| a.title.len() + a.body.len()).sum();

    let t = Instant::now();
    let _ = crate::ner::Tagger::embedded();
    let load = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let docs: Vec<StoredDoc> = articles
        .into_iter()
        .map(|article| {
            let entities = entities::extract(&article);
            StoredDoc::new(article, entities)
        })
        .collect();
    let extract = t.elapsed().as_secs_f64();
    let n = docs.len();

    let scratch = tempfile::tempdir().context("cannot create a scratch folder")?;
    let t = Instant::now();
    let index = NewsIndex::open_or_create(&scratch.path().join("index"))?;
    let mut updater = Updater::new(&index)?;
    for doc in docs {
        updater.upsert(doc)?;
    }
    updater.commit()?;
    updater.finish()?;
    let write = t.elapsed().as_secs_f64();

    let total = read + load + extract + write;
    let stage = |stage, seconds: f64| Stage {
        stage,
        seconds,
        articles_per_second: n as f64 / seconds.max(1e-9),
        share: seconds / total.max(1e-9),
    };
    let report = Report {
        inputs: inputs.len(),
        articles: n,
        bytes,
        stages: vec![
            stage("read+normalize", read),
            stage("model load", load),
            stage("entities", extract),
            stage("index", write),
        ],
        total_seconds: total,
        peak_rss_bytes: peak_rss(),
    };
    if json {
        json_line(&mut std::io::stdout().lock(), &report)?;
    } else {
        println!(
            "{} inputs, {} articles, {:.1} MB of text, one thread per stage",
            thousands(report.inputs as u64),
            thousands(n as u64),
            bytes as f64 / 1e6
        );
        for s in &report.stages {
            println!(
                "  {:<15} {:>8.3}s  {:>5.1}%  {:>10.0} articles/s",
                s.stage,
                s.seconds,
                s.share * 100.0,
                s.articles_per_second
            );
        }
        println!("  {:<15} {:>8.3}s", "total", total);
        if let Some(rss) = report.peak_rss_bytes {
            println!("  peak memory     {:.0} MB", rss as f64 / 1e6);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Peak resident set size of this process, where the platform reports it.
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
