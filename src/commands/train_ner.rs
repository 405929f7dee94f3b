//! `newsdex train-ner`: build the tagger's resources (gazetteer flags from the name lists and
//! GeoNames, word clusters from unlabeled text), train on the train file, pick the epoch on the dev
//! file, and write the model. The exact reproduction command is in [`crate::ner::train`].

use crate::ner::clusters::{self, ClusterOptions, Corpus};
use crate::ner::conll::{read_file, type_name, TYPES};
use crate::ner::resources;
use crate::ner::train::{train, TrainOptions};
use anyhow::{Context, Result};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

/// Plain options of `train-ner`.
#[derive(Debug, Clone)]
pub struct Options {
    pub train: PathBuf,
    pub dev: PathBuf,
    pub out: PathBuf,
    pub names: Option<PathBuf>,
    pub geonames: Option<PathBuf>,
    pub unlabeled: Vec<PathBuf>,
    pub epochs: usize,
    pub seed: u64,
    /// Folds of the jackknifed first pass for the stacked second pass (below 2: one pass).
    pub folds: usize,
    pub json: bool,
}

pub fn run(opts: Options) -> Result<ExitCode> {
    let t0 = std::time::Instant::now();
    let mut log = |s: &str| eprintln!("train-ner: {s}");
    let train_docs = read_file(&opts.train)?;
    let dev_docs = read_file(&opts.dev)?;
    let mut res = resources::build(opts.names.as_deref(), opts.geonames.as_deref())?;
    log(&format!("gazetteer: {} words", res.gazetteer.len()));
    if !opts.unlabeled.is_empty() {
        let mut corpus = Corpus::default();
        for p in &opts.unlabeled {
            corpus.add_path(p)?;
        }
        log(&format!(
            "unlabeled text: {} tokens, {} word types",
            corpus.tokens(),
            corpus.words.len()
        ));
        let copts = ClusterOptions {
            seed: opts.seed,
            ..ClusterOptions::default()
        };
        res.clusters = clusters::learn(&corpus, &copts, &mut log);
        log(&format!(
            "clusters: {} words ({:.1} s)",
            res.clusters.len(),
            t0.elapsed().as_secs_f64()
        ));
    }
    let topts = TrainOptions {
        epochs: opts.epochs,
        seed: opts.seed,
        ..TrainOptions::default()
    };
    let (model, report) = train(&train_docs, &dev_docs, res, &topts, &mut log);
    let bytes = model.to_bytes();
    if let Some(dir) = opts.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&opts.out, &bytes)
        .with_context(|| format!("cannot write {}", opts.out.display()))?;
    let per_type: serde_json::Map<String, serde_json::Value> = TYPES
        .iter()
        .zip(&report.dev_tally.by_type)
        .map(|(t, c)| {
            (
                type_name(*t).to_string(),
                serde_json::to_value(c.prf()).unwrap_or_default(),
            )
        })
        .collect();
    if opts.json {
        let v = json!({
            "out": opts.out.display().to_string(),
            "model_bytes": bytes.len(),
            "rows": model.rows(),
            "gazetteer_words": model.resources.gazetteer.len(),
            "cluster_words": model.resources.clusters.len(),
            "passes": model.passes(),
            "best_epochs": report.best_epochs,
            "pass_dev_f1": report.pass_f1,
            "epochs": report.epochs.iter().map(|(p, e, m, f)| json!({"pass": p, "epoch": e, "mistakes": m, "dev_f1": f})).collect::<Vec<_>>(),
            "dev": {"micro": report.dev_tally.micro().prf(), "per_loc": report.dev_tally.per_loc().prf(), "types": per_type},
            "seconds": t0.elapsed().as_secs_f64(),
        });
        println!("{v}");
    } else {
        println!(
            "wrote {} ({} bytes, {} weight rows, {} passes); best epochs {:?}, dev micro F1 per pass {:?}; \
             final dev micro F1 {:.4}, PER+LOC F1 {:.4} ({:.1} s)",
            opts.out.display(),
            bytes.len(),
            model.rows(),
            model.passes(),
            report.best_epochs,
            report.pass_f1,
            report.best_dev_f1,
            report.dev_tally.per_loc().prf().f1,
            t0.elapsed().as_secs_f64()
        );
        for (t, c) in TYPES.iter().zip(&report.dev_tally.by_type) {
            let p = c.prf();
            println!(
                "  {:<4} P {:.4}  R {:.4}  F1 {:.4}",
                type_name(*t),
                p.precision,
                p.recall,
                p.f1
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
