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

impl std::str::FromStr for Format {
    type Err = String;

    /// `auto`, `txt` (or `text`), `json` (or `jsonl`, `ndjson`), `html` (or `htm`); any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(Format::Auto),
            "txt" | "text" => Ok(Format::Txt),
            "json" | "jsonl" | "ndjson" => Ok(Format::Json),
            "html" | "htm" => Ok(Format::Html),
            other => Err(format!(
                "unknown format {other:?} (expected auto, txt, json or html)"
            )),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn read(dir: &Path, name: &str, bytes: &[u8], format: Format) -> FileOutput {
        let path = dir.join(name);
        fs::write(&path, bytes).expect("write fixture");
        read_input(&Input::File(path), format, None)
    }

    #[test]
    fn format_names() {
        assert_eq!("TXT".parse::<Format>(), Ok(Format::Txt));
        assert_eq!("ndjson".parse::<Format>(), Ok(Format::Json));
        assert_eq!("htm".parse::<Format>(), Ok(Format::Html));
        assert_eq!("auto".parse::<Format>(), Ok(Format::Auto));
        assert!("pdf".parse::<Format>().is_err());
    }

    #[test]
    fn extension_then_content_then_forced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let json = br#"{"title": "From JSON", "body": "B"}"#;
        let html = b"<!DOCTYPE html><html><head><title>From HTML</title></head><body><p>B</p></body></html>";
        // By content when the extension says nothing.
        assert_eq!(
            read(dir.path(), "a.dat", json, Format::Auto).articles[0].title,
            "From JSON"
        );
        assert_eq!(
            read(dir.path(), "b", html, Format::Auto).articles[0].title,
            "From HTML"
        );
        assert_eq!(
            read(dir.path(), "c.md", b"Plain headline\n\nBody.", Format::Auto).articles[0].title,
            "Plain headline"
        );
        // The extension wins over content.
        let as_text = read(dir.path(), "d.txt", json, Format::Auto);
        assert_eq!(
            as_text.articles[0].title,
            r#"{"title": "From JSON", "body": "B"}"#
        );
        // A forced format wins over the extension.
        assert_eq!(
            read(dir.path(), "e.txt", json, Format::Json).articles[0].title,
            "From JSON"
        );
        assert_eq!(
            read(dir.path(), "f.json", html, Format::Html).articles[0].title,
            "From HTML"
        );
    }

    #[test]
    fn jsonl_by_extension_reports_lines() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = b"{\"title\": \"One\", \"date\": \"soon\"}\nnot json\n{\"title\": \"Three\"}\n{\"id\": \"x\"}\n";
        let out = read(dir.path(), "feed.ndjson", text, Format::Auto);
        let titles: Vec<&str> = out.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["One", "Three"]);
        let name = dir.path().join("feed.ndjson").display().to_string();
        assert_eq!(
            out.articles[1].origins,
            vec![Origin {
                path: name.clone(),
                line: Some(3)
            }]
        );
        assert_eq!(out.warnings.len(), 1);
        assert_eq!(out.warnings[0].origin, format!("{name}:1"));
        let skipped: Vec<&str> = out.skipped.iter().map(|p| p.origin.as_str()).collect();
        assert_eq!(skipped, [format!("{name}:2"), format!("{name}:4")]);
        assert!(out.skipped[1].reason.contains("neither a title nor a body"));
    }

    #[test]
    fn whole_file_problems_and_warnings_name_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let name = |f: &str| dir.path().join(f).display().to_string();
        let out = read(dir.path(), "empty.txt", b"", Format::Auto);
        assert_eq!(
            out.skipped,
            vec![Problem {
                origin: name("empty.txt"),
                reason: "empty file".to_string()
            }]
        );
        let out = read(dir.path(), "pic.txt", b"GIF89a\0\0\x01\0", Format::Auto);
        assert!(out.articles.is_empty() && out.skipped[0].reason.starts_with("binary file"));
        let out = read(
            dir.path(),
            "pound.txt",
            b"Prices\n\nUp \xA35.",
            Format::Auto,
        );
        assert_eq!(out.articles[0].body, "Up \u{a3}5.");
        assert_eq!(out.warnings[0].origin, name("pound.txt"));
        let missing = read_input(
            &Input::File(dir.path().join("gone.txt")),
            Format::Auto,
            None,
        );
        assert!(missing.skipped[0].reason.starts_with("cannot read"));
    }

    #[test]
    fn source_override_and_duplicates() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = b"Same story\r\n\r\nSame body.\r\n";
        let a = read(dir.path(), "a.txt", text, Format::Auto);
        let b = read(dir.path(), "b.txt", text, Format::Auto);
        let c = read(
            dir.path(),
            "c.txt",
            b"Same story\n\nSame body.\n",
            Format::Auto,
        );
        assert_eq!(a.articles[0].id, b.articles[0].id);
        assert_eq!(a.articles[0].id, c.articles[0].id);
        assert_ne!(a.articles[0].origins, b.articles[0].origins);
        let json = br#"{"title": "T", "body": "B", "source": "Own"}"#;
        let path = dir.path().join("s.json");
        fs::write(&path, json).expect("write");
        let out = read_input(&Input::File(path.clone()), Format::Auto, Some("Archive"));
        assert_eq!(out.articles[0].source.as_deref(), Some("Archive"));
        let out = read_input(&Input::File(path), Format::Auto, None);
        assert_eq!(out.articles[0].source.as_deref(), Some("Own"));
    }
}
