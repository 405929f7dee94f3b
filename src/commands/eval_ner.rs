//! `newsdex eval-ner`: tag the gold tokens of a CoNLL file (IOB1 or IOB2) document by document
//! with the embedded tagger (or a model file) and print conlleval-style scores; `--json` prints
//! [`crate::ner::eval::Scores`] as one JSON object.

use crate::ner::eval::evaluate_file;
use crate::ner::Tagger;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(file: &Path, model: Option<&Path>, json: bool) -> Result<ExitCode> {
    let loaded;
    let tagger = match model {
        Some(p) => {
            loaded = Tagger::load(p)?;
            &loaded
        }
        None => Tagger::embedded(),
    };
    let scores = evaluate_file(tagger, file)?;
    if json {
        println!("{}", serde_json::to_string(&scores)?);
    } else {
        print!("{}", scores.to_text());
    }
    Ok(ExitCode::SUCCESS)
}
