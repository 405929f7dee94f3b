//! `newsdex bench-ner`: measured figures of the tagger on one thread: model load time, memory
//! (bytes of the loaded structures and process RSS), tokenize-only and tokenize+tag throughput in
//! tokens per second, first pass (cold word cache) and later passes (warm). CoNLL files are turned
//! back into raw text (tokens joined by spaces, one sentence a line, documents apart).

use crate::commands::ingest::thread_cpu_seconds;
use crate::ner::{tokenize, Tagger};
use anyhow::{Context, Result};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Used when no file is given: a short passage written for this benchmark.
const SAMPLE: &str = "Harbour talks resume in Valmora\n\n\
The mayor of Valmora, Ines Okafor, said on Tuesday that talks with the Northern Freight Union \
would resume next week in Lisbon. \"We expect a deal by March,\" she told reporters. Okafor met \
union leader Tomas Brandt and officials of the European Commission. Shares of Harbour Lines Inc. \
fell 2.5 percent to $14.20 on the New York Stock Exchange after the company said profit dropped \
to 1,250 million euros.";

fn rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User + system CPU seconds from a /proc `stat` file (of this process or of one thread).
pub(crate) fn cpu_seconds(stat: &str) -> Option<f64> {
    let s = std::fs::read_to_string(stat).ok()?;
    // Fields after the parenthesized command name; utime and stime are fields 14 and 15.
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Raw text documents of a file: a CoNLL file's documents, or the file's text.
fn documents(path: &Path) -> Result<Vec<String>> {
    if path.extension().is_some_and(|e| e == "conll") {
        let docs = crate::ner::conll::read_file(path)?;
        return Ok(docs
            .iter()
            .map(|d| {
                d.sentences
                    .iter()
                    .map(|s| s.tokens.join(" "))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect());
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(vec![String::from_utf8_lossy(&bytes).into_owned()])
}

pub fn run(files: &[PathBuf], model: Option<&Path>, json: bool) -> Result<ExitCode> {
    let rss_before = rss_kb();
    let bytes = match model {
        Some(p) => {
            std::fs::read(p).with_context(|| format!("cannot read model {}", p.display()))?
        }
        None => Tagger::embedded_bytes().to_vec(),
    };
    let t0 = Instant::now();
    let tagger = Tagger::from_bytes(&bytes)?;
    let load_ms = t0.elapsed().as_secs_f64() * 1e3;
    let rss_after = rss_kb();
    let mut docs = Vec::new();
    for f in files {
        docs.extend(documents(f)?);
    }
    let source = match files {
        [] => {
            docs.push(SAMPLE.to_string());
            "built-in sample".to_string()
        }
        [one] => one.display().to_string(),
        [first, ..] => format!("{} files ({} ...)", files.len(), first.display()),
    };
    let total_bytes: usize = docs.iter().map(String::len).sum();
    // Repeat the input until each measurement covers at least about a second.
    let mut tokens = 0usize;
    for d in &docs {
        tokens += tokenize::tokenize(d).len();
    }
    let reps = (2_000_000 / tokens.max(1)).clamp(1, 1000);
    let t = Instant::now();
    let mut sentences = 0usize;
    for _ in 0..reps {
        for d in &docs {
            let toks = tokenize::tokenize(d);
            sentences += tokenize::split_sentences(d, &toks).len();
        }
    }
    let tok_secs = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut mentions = 0usize;
    for d in &docs {
        mentions += tagger.tag_document(d).len();
    }
    let cold_secs = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let cpu0 = thread_cpu_seconds();
    for _ in 0..reps {
        for d in &docs {
            mentions += tagger.tag_document(d).len();
        }
    }
    let warm_secs = t.elapsed().as_secs_f64();
    let warm_cpu = match (cpu0, thread_cpu_seconds()) {
        (Some(a), Some(b)) if b > a => Some(b - a),
        _ => None,
    };
    let rss_end = rss_kb();
    let tps = |n: usize, s: f64| if s > 0.0 { n as f64 / s } else { 0.0 };
    let v = json!({
        "source": source,
        "documents": docs.len(),
        "bytes": total_bytes,
        "tokens": tokens,
        "sentences_per_pass": sentences / reps,
        "passes": reps,
        "model_file_bytes": bytes.len(),
        "model_load_ms": load_ms,
        "model_memory_bytes": tagger.model().memory_bytes(),
        "weight_rows": tagger.model().rows(),
        "rss_kb_before_load": rss_before,
        "rss_kb_after_load": rss_after,
        "rss_kb_end": rss_end,
        "tokenize_tokens_per_second": tps(tokens * reps, tok_secs),
        "tag_tokens_per_second_cold": tps(tokens, cold_secs),
        "tag_tokens_per_second": tps(tokens * reps, warm_secs),
        "tag_cpu_seconds": warm_cpu,
        "tag_tokens_per_cpu_second": warm_cpu.map(|c| tps(tokens * reps, c)),
        "mentions_per_pass": mentions / (reps + 1),
    });
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{v}")?;
    } else {
        let num = |k: &str| v[k].as_f64().unwrap_or(0.0);
        writeln!(
            out,
            "input: {source}: {} documents, {} tokens, {} passes",
            docs.len(),
            tokens,
            reps
        )?;
        writeln!(
            out,
            "model: {} bytes on disk, loaded in {:.1} ms, {} bytes in memory ({} rows)",
            bytes.len(),
            load_ms,
            tagger.model().memory_bytes(),
            tagger.model().rows()
        )?;
        if let (Some(a), Some(b), Some(c)) = (rss_before, rss_after, rss_end) {
            writeln!(
                out,
                "process RSS: {a} kB before load, {b} kB after, {c} kB at the end"
            )?;
        }
        writeln!(
            out,
            "tokenize + split sentences: {:.0} tokens/s",
            num("tokenize_tokens_per_second")
        )?;
        writeln!(
            out,
            "tokenize + tag, first pass (cold word cache): {:.0} tokens/s",
            num("tag_tokens_per_second_cold")
        )?;
        writeln!(
            out,
            "tokenize + tag, later passes: {:.0} tokens/s",
            num("tag_tokens_per_second")
        )?;
        if let Some(c) = warm_cpu {
            writeln!(out,
                "tokenize + tag, later passes: {:.0} tokens per CPU second ({c:.2} CPU s of {warm_secs:.2} s)",
                (tokens * reps) as f64 / c
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
