//! `newsdex build-truecaser`: learns the usual case of words from unlabeled news text, for
//! restoring ALL-CAPS headlines before tagging (`model/case.bin`). Reproduce the committed file
//! with the command in the README.

use crate::ner::clusters::Corpus;
use crate::ner::truecase::TrueCaser;
use crate::ner::Tagger;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Reads `inputs` (files or folders of .txt, .jsonl and .conll), learns the lexicon and writes
/// it to `out`.
pub fn run(inputs: &[PathBuf], out: &Path, min_count: u32, json: bool) -> Result<ExitCode> {
    let mut corpus = Corpus::default();
    for p in inputs {
        corpus.add_path(p)?;
    }
    let caser = TrueCaser::learn(&corpus, min_count, Some(Tagger::embedded()));
    let bytes = caser.to_bytes();
    super::write_file(out, &bytes)?;
    if json {
        println!(
            "{}",
            serde_json::json!({
                "out": out.display().to_string(),
                "bytes": bytes.len(),
                "tokens": corpus.tokens(),
                "words": caser.len(),
                "person_words": caser.persons(),
            })
        );
    } else {
        println!(
            "wrote {}: {} bytes, {} words ({} person names) learnt from {} tokens",
            out.display(),
            bytes.len(),
            caser.len(),
            caser.persons(),
            corpus.tokens()
        );
    }
    Ok(ExitCode::SUCCESS)
}
