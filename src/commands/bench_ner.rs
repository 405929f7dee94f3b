//! `newsdex bench-ner`: tagger load time, memory and throughput.
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(_files: &[PathBuf], _json: bool) -> anyhow::Result<ExitCode> {
    anyhow::bail!("bench-ner is not available in this build")
}
