//! Sources: walk the paths a user gives, detect each file's format and encoding, and read the raw
//! records in it into normalized [`Article`]s. Binary detection and encoding policy live here only.
//!
//! INTERFACE CONTRACT (the ingest and entities commands rely on exactly these items):
//! - [`walk`] expands paths into [`Input`]s (sorted, hidden entries skipped) or [`Problem`]s.
//! - [`read_input`] reads one input into articles, with per-file or per-line problems.

use crate::article::Article;
use std::path::PathBuf;

/// Input format: by extension, then content, unless forced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Auto,
    Txt,
    Json,
    Html,
}

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    /// Standard input, read as JSON Lines.
    Stdin,
}

impl Input {
    /// How this input is named in messages and origins.
    pub fn display(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }
}

/// Something that went wrong with one input or one record; `origin` is `path` or `path:line`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub origin: String,
    pub reason: String,
}

/// What reading one input produced.
#[derive(Debug, Default)]
pub struct FileOutput {
    pub articles: Vec<Article>,
    /// Non-fatal notes (e.g. decoded as Windows-1252).
    pub warnings: Vec<Problem>,
    /// Whole inputs or single records that could not be read.
    pub skipped: Vec<Problem>,
}

/// Expands files, folders (recursively) and `-` into inputs.
pub fn walk(paths: &[PathBuf]) -> Vec<Result<Input, Problem>> {
    paths.iter().map(|p| Ok(Input::File(p.clone()))).collect()
}

/// Reads one input. `source` (from `--source`) overrides any source named in the records.
pub fn read_input(_input: &Input, _format: Format, _source: Option<&str>) -> FileOutput {
    FileOutput::default()
}
