//! `newsdex eval-ner`: evaluate the embedded tagger on a CoNLL file.
use std::path::Path;
use std::process::ExitCode;

pub fn run(_file: &Path, _json: bool) -> anyhow::Result<ExitCode> {
    anyhow::bail!("eval-ner is not available in this build")
}
