//! Sources: walk the paths a user gives, detect each file's format and encoding, and read the raw
//! records in it into normalized [`Article`]s. Binary detection and encoding policy live here only.
//!
//! INTERFACE CONTRACT (the ingest and entities commands rely on exactly these items):
//! - [`walk`] expands paths into [`Input`]s (sorted, hidden entries skipped) or [`Problem`]s.
//! - [`read_input`] reads one input into articles, with per-file or per-line problems.
//!
//! Readers by format live in `text`, `json` and `html`; `decode` holds the encoding and binary
//! policy; `walk` expands paths. Each reader fills [`crate::normalize::RawRecord`]s, which
//! [`crate::normalize::to_article`] turns into articles.

mod decode;
mod html;
mod json;
mod sgml;
mod text;
mod walk;

pub use decode::{decode, Decoded};
pub use text::{is_caption, take_dateline};

use crate::article::{Article, Origin};
use crate::normalize;
use std::io::Read;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// Input format: by extension, then content, unless forced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Auto,
    Txt,
    Json,
    Html,
    /// Reuters-21578 style SGML newswire files.
    Sgml,
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
            "sgml" | "sgm" => Ok(Format::Sgml),
            other => Err(format!(
                "unknown format {other:?} (expected auto, txt, json, html or sgml)"
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
/// `<!doctype html` or `<html` is HTML, anything else text). Standard input is JSON Lines (or one
/// JSON document: an array, or an object spread over several lines).
pub fn read_input(input: &Input, format: Format, source: Option<&str>) -> FileOutput {
    let mut all = FileOutput::default();
    read_input_batched(input, format, source, &mut |out| {
        all.articles.extend(out.articles);
        all.warnings.extend(out.warnings);
        all.skipped.extend(out.skipped);
        ControlFlow::Continue(())
    });
    all
}

/// JSON Lines inputs are read and handed over in batches of about this many bytes (whole lines),
/// so memory does not grow with the size of one input.
pub const BATCH_BYTES: usize = 1024 * 1024;

/// Reads one input like [`read_input`], handing what it read to `emit` in batches: a JSON Lines
/// input (by name, or standard input whose first line is an object) a batch of lines at a time,
/// any other input whole. Reading stops early when `emit` breaks (its reader has gone).
pub fn read_input_batched(
    input: &Input,
    format: Format,
    source: Option<&str>,
    emit: &mut dyn FnMut(FileOutput) -> ControlFlow<()>,
) {
    let name = input.display();
    let reader: Box<dyn Read> = match input {
        Input::File(path) => match std::fs::File::open(path) {
            Ok(file) => Box::new(file),
            Err(e) => {
                let _ = emit(cannot_read(&name, &e));
                return;
            }
        },
        Input::Stdin => Box::new(std::io::stdin()),
    };
    let reader = std::io::BufReader::with_capacity(64 * 1024, reader);
    let stdin = input == &Input::Stdin;
    read_stream(reader, &name, stdin, format, source, BATCH_BYTES, emit);
}

fn cannot_read(name: &str, e: &std::io::Error) -> FileOutput {
    FileOutput {
        skipped: vec![Problem {
            origin: name.to_string(),
            reason: format!("cannot read: {e}"),
        }],
        ..FileOutput::default()
    }
}

/// Reads an input from `reader` (named and treated as in [`read_bytes`]); JSON Lines is handed to
/// `emit` in batches of whole lines of about `batch_bytes`, anything else whole. When `emit`
/// breaks, the rest of the input is not read.
pub fn read_stream<R: std::io::BufRead>(
    reader: R,
    name: &str,
    stdin: bool,
    format: Format,
    source: Option<&str>,
    batch_bytes: usize,
    emit: &mut dyn FnMut(FileOutput) -> ControlFlow<()>,
) {
    // Whether `emit` broke or the input ended, there is nothing more to do.
    let _ = stream_batches(reader, name, stdin, format, source, batch_bytes, emit);
}

/// [`read_stream`], ending with the first batch `emit` breaks at.
fn stream_batches<R: std::io::BufRead>(
    mut reader: R,
    name: &str,
    stdin: bool,
    format: Format,
    source: Option<&str>,
    batch_bytes: usize,
    emit: &mut dyn FnMut(FileOutput) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut batch = Vec::new();
    // The first batch holds at least what the binary check looks at, as when reading whole.
    let first_bytes = batch_bytes.max(decode::SNIFF_LEN);
    let mut eof = match fill_batch(&mut reader, &mut batch, first_bytes) {
        Ok(eof) => eof,
        Err(e) => return emit(cannot_read(name, &e)),
    };
    // Only plain 8-bit text is read in batches: UTF-16 and binary input go through `decode`.
    let head = &batch[..batch.len().min(decode::SNIFF_LEN)];
    let plain = !head.starts_with(&[0xFF, 0xFE]) && !head.starts_with(&[0xFE, 0xFF]);
    let whole = eof
        || !plain
        || head.contains(&0)
        || detect_with((!stdin).then(|| Path::new(name)), format, || {
            String::from_utf8_lossy(&batch)
        }) != Parser::JsonLines;
    if whole {
        if !eof {
            if let Err(e) = reader.read_to_end(&mut batch) {
                return emit(cannot_read(name, &e));
            }
        }
        return emit(read_bytes(batch, name, stdin, format, source));
    }
    if batch.starts_with(&[0xEF, 0xBB, 0xBF]) {
        batch.drain(..3);
    }
    // The whole-file rules hold for batches too: binary input is refused from its first bytes,
    // and input of nothing but whitespace is reported once it has ended.
    if let Some(reason) = decode::binary_reason(&batch) {
        return emit(FileOutput {
            skipped: vec![Problem {
                origin: name.to_string(),
                reason,
            }],
            ..FileOutput::default()
        });
    }
    let mut blank = true;
    let mut first_line = 1u64;
    loop {
        let newlines = batch.iter().filter(|&&b| b == b'\n').count() as u64;
        let mut out = FileOutput::default();
        let text = match String::from_utf8(batch) {
            Ok(text) => text,
            Err(err) => {
                let at = err.utf8_error().valid_up_to();
                let bytes = err.into_bytes();
                let line = first_line + bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64;
                out.warnings.push(Problem {
                    origin: format!("{name}:{line}"),
                    reason: format!(
                        "not valid UTF-8 (byte 0x{:02X}); lines {first_line} to {} decoded as \
                         Windows-1252",
                        bytes[at],
                        first_line + newlines
                    ),
                });
                decode::windows_1252(&bytes)
            }
        };
        blank = blank && text.trim().is_empty();
        normalize_records(
            json::parse_lines_from(&text, name, first_line),
            source,
            &mut out,
        );
        if eof && blank {
            out.skipped.push(Problem {
                origin: name.to_string(),
                reason: decode::BLANK.to_string(),
            });
        }
        emit(out)?;
        first_line += newlines;
        if eof {
            return ControlFlow::Continue(());
        }
        // The next batch reuses this one's memory: a fresh one of a megabyte or two would come
        // from the system, zeroed page by page, and grow through copies.
        batch = text.into_bytes();
        batch.clear();
        eof = match fill_batch(&mut reader, &mut batch, batch_bytes) {
            Ok(eof) => eof,
            Err(e) => return emit(cannot_read(name, &e)),
        };
    }
}

/// Appends whole lines from `reader` to `batch` until it holds at least `batch_bytes`; returns
/// whether the input ended.
fn fill_batch<R: std::io::BufRead>(
    reader: &mut R,
    batch: &mut Vec<u8>,
    batch_bytes: usize,
) -> std::io::Result<bool> {
    while batch.len() < batch_bytes {
        if reader.read_until(b'\n', batch)? == 0 {
            return Ok(true);
        }
    }
    Ok(reader.fill_buf()?.is_empty())
}

/// Reads the bytes of one input named `name` (a path, whose extension may decide the format, or
/// `-` for standard input when `stdin`). Never fails: what cannot be read is a problem in the output.
pub fn read_bytes(
    bytes: Vec<u8>,
    name: &str,
    stdin: bool,
    format: Format,
    source: Option<&str>,
) -> FileOutput {
    let mut out = FileOutput::default();
    let decoded = match decode(bytes) {
        Ok(decoded) => decoded,
        Err(reason) => {
            out.skipped.push(Problem {
                origin: name.to_string(),
                reason,
            });
            return out;
        }
    };
    if let Some(reason) = decoded.warning {
        out.warnings.push(Problem {
            origin: name.to_string(),
            reason,
        });
    }
    let path = (!stdin).then(|| Path::new(name));
    let mut records = parse_text(&decoded.text, name, detect(path, format, &decoded.text));
    number_shared_origins(&mut records);
    normalize_records(records, source, &mut out);
    out
}

/// Normalizes records into articles, adding them and their problems to `out`.
fn normalize_records(records: Vec<json::Record>, source: Option<&str>, out: &mut FileOutput) {
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
}

/// Gives the records that share an origin (several on one line, or without lines) an item number,
/// their 1-based position among the input's records, so each article has an origin of its own.
fn number_shared_origins(records: &mut [json::Record]) {
    let mut seen = std::collections::HashMap::new();
    for origin in records.iter().flatten().map(|r| &r.origin) {
        *seen
            .entry((origin.path.clone(), origin.line))
            .or_insert(0usize) += 1;
    }
    for (i, record) in records.iter_mut().enumerate() {
        if let Ok(raw) = record {
            if seen.get(&(raw.origin.path.clone(), raw.origin.line)) > Some(&1) {
                raw.origin.item = Some(i as u64 + 1);
            }
        }
    }
}

/// How a decoded input is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parser {
    Text,
    JsonDocument,
    JsonLines,
    Html,
    Sgml,
}

fn detect(path: Option<&Path>, format: Format, text: &str) -> Parser {
    detect_with(path, format, || std::borrow::Cow::Borrowed(text))
}

/// [`detect`], with the text made only when the name and format leave the parser open (a
/// `.jsonl` file never needs its first batch decoded for this).
fn detect_with<'t>(
    path: Option<&Path>,
    format: Format,
    text: impl FnOnce() -> std::borrow::Cow<'t, str>,
) -> Parser {
    let lines_by_name =
        path.is_some_and(|p| matches!(extension(p).as_deref(), Some("jsonl" | "ndjson")));
    match format {
        Format::Txt => Parser::Text,
        Format::Html => Parser::Html,
        Format::Sgml => Parser::Sgml,
        Format::Json if lines_by_name => Parser::JsonLines,
        Format::Json | Format::Auto if path.is_none() => stdin_json(&text()),
        Format::Json => Parser::JsonDocument,
        Format::Auto => match path {
            Some(p) => by_extension(p).unwrap_or_else(|| sniff(&text())),
            None => stdin_json(&text()),
        },
    }
}

/// Standard input is JSON Lines, unless it is plainly one JSON document: an array, or an object
/// spread over several lines.
fn stdin_json(text: &str) -> Parser {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let first_line = start.lines().next().unwrap_or("");
    let one_object_per_line = matches!(
        serde_json::from_str::<serde_json::Value>(first_line),
        Ok(serde_json::Value::Object(_))
    );
    if start.starts_with('[') || !one_object_per_line {
        Parser::JsonDocument
    } else {
        Parser::JsonLines
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
        "sgm" | "sgml" => Some(Parser::Sgml),
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
    } else if head.starts_with("<!doctype lewis") || head.starts_with("<reuters") {
        Parser::Sgml
    } else {
        Parser::Text
    }
}

fn parse_text(text: &str, name: &str, parser: Parser) -> Vec<json::Record> {
    let whole = || Origin {
        path: name.to_string(),
        line: None,
        item: None,
    };
    match parser {
        Parser::Text => vec![Ok(text::parse(text, whole()))],
        Parser::Html => vec![Ok(html::parse(text, whole()))],
        Parser::JsonDocument => json::parse_document(text, name),
        Parser::JsonLines => json::parse_lines(text, name),
        Parser::Sgml => sgml::parse(text, name),
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
    fn stdin_is_json_lines_unless_plainly_one_document() {
        assert_eq!(
            stdin_json("{\"title\": \"A\"}\n{\"title\": \"B\"}\n"),
            Parser::JsonLines
        );
        assert_eq!(
            stdin_json("{\"title\": \"A\"}\nnot json\n"),
            Parser::JsonLines
        );
        assert_eq!(
            stdin_json("\n [\n{\"title\": \"A\"}]"),
            Parser::JsonDocument
        );
        assert_eq!(
            stdin_json("{\n  \"title\": \"A\"\n}\n"),
            Parser::JsonDocument
        );
        let stdin = detect(None, Format::Json, "[{}]");
        assert_eq!(stdin, Parser::JsonDocument);
        assert_eq!(detect(None, Format::Txt, "[{}]"), Parser::Text);
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
                line: Some(3),
                item: None,
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

    /// The facts `tests/fixtures/README.md` promises about the fixture archive.
    #[test]
    fn fixture_archive_matches_its_readme() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let inputs: Vec<Input> = walk(&[root.join("archive")])
            .into_iter()
            .map(|r| r.expect("walkable"))
            .collect();
        assert_eq!(inputs.len(), 12);
        let (mut articles, mut warnings, mut skipped) = (Vec::new(), Vec::new(), Vec::new());
        for input in &inputs {
            let out = read_input(input, Format::Auto, None);
            articles.extend(out.articles);
            warnings.extend(out.warnings);
            skipped.extend(out.skipped);
        }
        let base = |path: &str| {
            Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let file = |a: &Article| base(&a.origins[0].path);
        let by_file = |name: &str| {
            articles
                .iter()
                .find(|a| file(a) == name)
                .unwrap_or_else(|| panic!("no article from {name}"))
        };
        assert_eq!(articles.len(), 13);
        let ids: std::collections::BTreeSet<&str> =
            articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids.len(), 11);
        assert_eq!(warnings.len(), 2);
        assert_eq!(skipped.len(), 4);
        assert!(articles.iter().all(|a| !a.title.contains("Hidden draft")));

        let harbour = by_file("harbour-reopens.txt");
        assert_eq!(harbour.title, "Storm-damaged harbour reopens in Valparaiso");
        assert_eq!(harbour.dateline.as_deref(), Some("VALPARAISO, Chile (AP)"));
        assert_eq!(
            harbour.caption.as_deref(),
            Some("Cranes unload containers at the port of Valparaiso on Tuesday. (AP Photo/Luis Pardo)")
        );
        assert_eq!(harbour.body.split("\n\n").count(), 3);
        assert_eq!(harbour.id, "sha256:fb7a99f9acf5d0530bd1957312d81b38");
        assert_eq!(by_file("harbour-reopens-copy.txt").id, harbour.id);
        let market = by_file("market-report.txt");
        assert_eq!(market.id, "sha256:9a86b0809ab196e045b16de9fc99da90");
        assert_eq!(by_file("market-report-crlf.txt").id, market.id);

        let feed: Vec<&Article> = articles
            .iter()
            .filter(|a| file(a) == "feed.jsonl")
            .collect();
        let feed_ids: Vec<&str> = feed.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(feed_ids, ["fx-feed-1", "fx-feed-2", "fx-feed-5"]);
        assert_eq!(
            feed[1].dateline.as_deref(),
            Some("SANTIAGO, April 12 (Southern Wire)")
        );
        assert_eq!(feed[1].author.as_deref(), Some("Pablo Vidal, Ines Soto"));
        assert_eq!(
            feed[1].published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-04-12T16:00:00+00:00")
        );
        let skipped_at: Vec<String> = skipped.iter().map(|p| base(&p.origin)).collect();
        assert_eq!(
            skipped_at,
            ["binary.bin", "empty.txt", "feed.jsonl:3", "feed.jsonl:4"]
        );
        let warned_at: Vec<String> = warnings.iter().map(|p| base(&p.origin)).collect();
        assert_eq!(warned_at, ["cp1252.txt", "feed.jsonl:5"]);

        let list_lines: Vec<Option<u64>> = articles
            .iter()
            .filter(|a| file(a) == "list.json")
            .map(|a| a.origins[0].line)
            .collect();
        assert_eq!(list_lines, [Some(2), Some(3)]);
        let single = by_file("single.json");
        assert_eq!(single.id, "fx-single-1");
        assert_eq!(
            single.published.map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-07-06T09:00:00+00:00")
        );
        let page = by_file("page.html");
        assert_eq!(page.id, "https://alpineherald.example.org/night-trains");
        assert_eq!(page.body.split("\n\n").count(), 2);
        for furniture in [
            "Advertisement",
            "Share",
            "Ski season",
            "Home",
            "rights reserved",
        ] {
            assert!(!page.body.contains(furniture), "{furniture}");
        }
        assert!(by_file("cp1252.txt")
            .body
            .contains("\u{a3}1.16 against the euro, a \u{201c}worrying\u{201d}"));
        assert_eq!(
            by_file("utf16le.txt").title,
            "Z\u{fc}rich hosts chess final"
        );

        let changed = read_input(
            &Input::File(root.join("changed/single.json")),
            Format::Auto,
            None,
        );
        assert_eq!(changed.articles[0].id, single.id);
        assert_ne!(changed.articles[0].content_hash, single.content_hash);
        assert!(changed.articles[0].body.contains("12 million euros"));
    }

    /// Batches of JSON Lines read exactly what the whole input reads, with the same line numbers.
    #[test]
    fn json_lines_in_batches_read_like_the_whole_input() {
        let mut text = String::from("\u{feff}");
        for i in 1..=400 {
            match i % 7 {
                0 => text.push_str("{\"title\": broken\n"),
                3 => text.push('\n'),
                _ => text.push_str(&format!(
                    "{{\"id\": \"n{i}\", \"title\": \"Story {i}\", \"body\": \"Body {i}.\"}}\n"
                )),
            }
        }
        let whole = read_bytes(
            text.clone().into_bytes(),
            "f.jsonl",
            false,
            Format::Auto,
            None,
        );
        assert!(text.len() > 2 * decode::SNIFF_LEN);
        for batch_bytes in [1, 10, 100, 1000, 10_000, 1 << 20] {
            let mut batches = 0;
            let mut all = FileOutput::default();
            let reader = std::io::Cursor::new(text.clone().into_bytes());
            read_stream(
                reader,
                "f.jsonl",
                false,
                Format::Auto,
                None,
                batch_bytes,
                &mut |out| {
                    batches += 1;
                    all.articles.extend(out.articles);
                    all.warnings.extend(out.warnings);
                    all.skipped.extend(out.skipped);
                    ControlFlow::Continue(())
                },
            );
            assert_eq!(all.articles, whole.articles, "batch of {batch_bytes}");
            assert_eq!(all.skipped, whole.skipped, "batch of {batch_bytes}");
            assert_eq!(all.warnings, whole.warnings, "batch of {batch_bytes}");
            assert!(batches > 1 || batch_bytes > text.len(), "{batch_bytes}");
        }
        assert_eq!(whole.articles.len(), 286);
        assert_eq!(whole.skipped[0].origin, "f.jsonl:7");
        // Standard input too, and a batch with bytes that are not UTF-8 names its lines.
        let mut bytes = text.into_bytes();
        bytes.extend_from_slice(b"{\"id\": \"late\", \"title\": \"Caf\xE9 opens\"}\n");
        let mut all = FileOutput::default();
        let reader = std::io::Cursor::new(bytes);
        read_stream(reader, "-", true, Format::Auto, None, 100, &mut |out| {
            all.articles.extend(out.articles);
            all.warnings.extend(out.warnings);
            ControlFlow::Continue(())
        });
        let late = all.articles.last().expect("late article");
        assert_eq!(late.title, "Caf\u{e9} opens");
        assert_eq!(late.origins[0].line, Some(401));
        assert_eq!(all.warnings.len(), 1);
        assert_eq!(all.warnings[0].origin, "-:401");
        assert!(all.warnings[0].reason.contains("Windows-1252"));
    }

    /// Found by fuzzing: with batches smaller than the binary check's window, a NUL byte past
    /// the first batch let binary input through as lines.
    #[test]
    fn small_batches_refuse_binary_input_like_the_whole_input() {
        let mut bytes = b"{\"title\": \"A\"}\n".repeat(12);
        bytes.extend_from_slice(b"\0\x01\x02 binary tail\n");
        let whole = read_bytes(bytes.clone(), "a.jsonl", false, Format::Auto, None);
        assert!(whole.skipped[0].reason.starts_with("binary file"));
        let mut skipped = Vec::new();
        let reader = std::io::Cursor::new(bytes);
        read_stream(
            reader,
            "a.jsonl",
            false,
            Format::Auto,
            None,
            16,
            &mut |out| {
                assert!(out.articles.is_empty());
                skipped.extend(out.skipped);
                ControlFlow::Continue(())
            },
        );
        assert_eq!(skipped, whole.skipped);
    }

    #[test]
    fn reading_stops_when_the_batches_reader_has_gone() {
        let text = "{\"title\": \"A headline\", \"body\": \"Some words.\"}\n".repeat(1000);
        let (mut batches, mut articles) = (0, 0);
        let mut reader = std::io::Cursor::new(text.into_bytes());
        read_stream(
            &mut reader,
            "f.jsonl",
            false,
            Format::Auto,
            None,
            600,
            &mut |out| {
                batches += 1;
                articles += out.articles.len();
                if batches == 2 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        );
        assert_eq!(batches, 2, "no batch is handed on after a break");
        assert!(
            articles > 0 && articles < 300,
            "{articles} of 1,000 articles read"
        );
        let total = reader.get_ref().len() as u64;
        let unread = total - reader.position();
        assert!(
            unread > total / 2,
            "the rest of the input is left unread ({unread} of {total} bytes)"
        );
    }
}
