//! Sources: walk the paths a user gives, detect each file's format and encoding, and read the raw
//! records in it into normalized [`Article`]s. Binary detection and encoding policy live here only.
//!
//! INTERFACE CONTRACT (the ingest and entities commands rely on exactly these items):
//! - [`walk`] expands paths into [`Input`]s (sorted, hidden entries skipped) or [`Problem`]s.
//! - [`read_input`] reads one input into articles, with per-file or per-line problems.
//!
//! Readers by format live in `text`, `json` and `html`; `decode` holds the encoding and binary
//! policy; `walk` expands paths. Each reader fills [`RawRecord`]s and [`crate::normalize`] turns them
//! into articles.

mod decode;
mod html;
mod json;
mod text;
mod walk;

pub use decode::{decode, Decoded};
pub use text::{is_caption, take_dateline};

use crate::article::{Article, Origin};
use crate::normalize;
use std::io::Read;
use std::path::{Path, PathBuf};

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

/// Expands files, folders (recursively, in sorted order, hidden entries skipped) and `-` into
/// inputs. A path that cannot be read is a [`Problem`] naming it. Paths named explicitly are used even
/// if their names start with a dot.
pub fn walk(paths: &[PathBuf]) -> Vec<Result<Input, Problem>> {
    walk::walk(paths)
}

/// Reads one input. `source` (from `--source`) overrides any source named in the records.
///
/// The format is `format` unless it is [`Format::Auto`]: then the extension decides (`.txt`, `.json`,
/// `.jsonl`/`.ndjson`, `.html`/`.htm`), else the content (a leading `{` or `[` is JSON, a leading
/// `<!doctype html` or `<html` is HTML, anything else text). Standard input is JSON Lines.
pub fn read_input(input: &Input, format: Format, source: Option<&str>) -> FileOutput {
    let name = input.display();
    let mut out = FileOutput::default();
    let bytes = match input {
        Input::File(path) => std::fs::read(path),
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().lock().read_to_end(&mut buf).map(|_| buf)
        }
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(e) => {
            out.skipped.push(Problem {
                origin: name,
                reason: format!("cannot read: {e}"),
            });
            return out;
        }
    };
    let decoded = match decode(bytes) {
        Ok(decoded) => decoded,
        Err(reason) => {
            out.skipped.push(Problem {
                origin: name,
                reason,
            });
            return out;
        }
    };
    if let Some(reason) = decoded.warning {
        out.warnings.push(Problem {
            origin: name.clone(),
            reason,
        });
    }
    let records = parse_text(&decoded.text, &name, detect(input, format, &decoded.text));
    for record in records {
        match record {
            Ok(raw) => {
                let origin = raw.origin.to_string();
                match normalize::to_article(raw, source) {
                    Ok(n) => {
                        out.warnings
                            .extend(n.warnings.into_iter().map(|reason| Problem {
                                origin: origin.clone(),
                                reason,
                            }));
                        out.articles.push(n.article);
                    }
                    Err(reason) => out.skipped.push(Problem { origin, reason }),
                }
            }
            Err((origin, reason)) => out.skipped.push(Problem { origin, reason }),
        }
    }
    out
}

/// How a decoded input is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parser {
    Text,
    JsonDocument,
    JsonLines,
    Html,
}

fn detect(input: &Input, format: Format, text: &str) -> Parser {
    let path = match input {
        Input::File(path) => Some(path.as_path()),
        Input::Stdin => None,
    };
    let lines_by_name =
        path.is_some_and(|p| matches!(extension(p).as_deref(), Some("jsonl" | "ndjson")));
    match format {
        Format::Txt => Parser::Text,
        Format::Html => Parser::Html,
        Format::Json if path.is_none() || lines_by_name => Parser::JsonLines,
        Format::Json => Parser::JsonDocument,
        Format::Auto => match path {
            None => Parser::JsonLines,
            Some(p) => by_extension(p).unwrap_or_else(|| sniff(text)),
        },
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

fn by_extension(path: &Path) -> Option<Parser> {
    match extension(path)?.as_str() {
        "txt" | "text" => Some(Parser::Text),
        "json" => Some(Parser::JsonDocument),
        "jsonl" | "ndjson" => Some(Parser::JsonLines),
        "html" | "htm" | "xhtml" => Some(Parser::Html),
        _ => None,
    }
}

/// Format from content: `{`/`[` → JSON, `<!doctype html`/`<html` → HTML, else text.
fn sniff(text: &str) -> Parser {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let head: String = start
        .chars()
        .take(20)
        .collect::<String>()
        .to_ascii_lowercase();
    if start.starts_with(['{', '[']) {
        Parser::JsonDocument
    } else if head.starts_with("<!doctype html") || head.starts_with("<html") {
        Parser::Html
    } else {
        Parser::Text
    }
}

fn parse_text(text: &str, name: &str, parser: Parser) -> Vec<json::Record> {
    let whole = || Origin {
        path: name.to_string(),
        line: None,
    };
    match parser {
        Parser::Text => vec![Ok(text::parse(text, whole()))],
        Parser::Html => vec![Ok(html::parse(text, whole()))],
        Parser::JsonDocument => json::parse_document(text, name),
        Parser::JsonLines => json::parse_lines(text, name),
    }
}
