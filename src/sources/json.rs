//! JSON articles: one object, an array of objects (or an object wrapping one under `articles`,
//! `items`...), and JSON Lines. Maps the usual field names of news feeds and dumps onto a
//! [`RawRecord`]; unknown fields are ignored.

use super::html::{fragment_text, looks_like_html};
use super::text::take_dateline;
use crate::article::Origin;
use crate::normalize::RawRecord;
use serde_json::{Map, Value};

const ID: &[&str] = &[
    "id",
    "_id",
    "guid",
    "uuid",
    "article_id",
    "articleId",
    "doc_id",
];
const TITLE: &[&str] = &["title", "headline", "heading"];
const BODY: &[&str] = &[
    "body",
    "text",
    "content",
    "article",
    "articleBody",
    "article_body",
    "story",
    "full_text",
    "description",
    "summary",
];
const DATE: &[&str] = &[
    "date",
    "published",
    "publishedAt",
    "published_at",
    "pubDate",
    "datePublished",
    "date_published",
    "publish_date",
    "published_date",
    "publication_date",
    "timestamp",
    "created_at",
];
const URL: &[&str] = &["url", "link", "canonical_url", "permalink", "href"];
const SOURCE: &[&str] = &[
    "source",
    "publication",
    "publisher",
    "outlet",
    "source_name",
    "site",
];
const AUTHOR: &[&str] = &["author", "authors", "byline", "by", "creator"];
const DATELINE: &[&str] = &["dateline"];
const CAPTION: &[&str] = &["caption", "image_caption", "photo_caption"];
/// Keys under which a wrapper object holds its list of articles.
const WRAPPERS: &[&str] = &[
    "articles", "items", "entries", "results", "data", "docs", "records",
];

/// One record read from a JSON input, or why it could not be: `(origin, reason)`.
pub type Record = Result<RawRecord, (String, String)>;

/// Reads JSON Lines: one object per non-blank line; a bad line is reported as `path:LINE`.
pub fn parse_lines(text: &str, path: &str) -> Vec<Record> {
    parse_lines_from(text, path, 1)
}

/// [`parse_lines`] on a part of an input whose first line is line `first_line` of the input.
pub fn parse_lines_from(text: &str, path: &str, first_line: u64) -> Vec<Record> {
    let mut out = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let line_no = index as u64 + first_line;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let origin = Origin {
            path: path.to_string(),
            line: Some(line_no),
            item: None,
        };
        let record = match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(obj)) => Ok(record_from_object(&obj, origin)),
            Ok(other) => Err((
                origin.to_string(),
                format!("expected a JSON object, found {}", kind(&other)),
            )),
            Err(e) => Err((
                origin.to_string(),
                format!("invalid JSON: {}", strip_line(&e.to_string())),
            )),
        };
        out.push(record);
    }
    out
}

/// Reads a `.json` document: an object, an array of objects, or an object wrapping such an array.
/// A document that is not one JSON value but whose lines are objects is read as JSON Lines.
pub fn parse_document(text: &str, path: &str) -> Vec<Record> {
    let whole = Origin {
        path: path.to_string(),
        line: None,
        item: None,
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(obj)) => match wrapped_list(&obj) {
            Some(items) => from_array(items, path, &[]),
            None => vec![Ok(record_from_object(&obj, whole))],
        },
        Ok(Value::Array(items)) => from_array(&items, path, &array_item_lines(text)),
        Ok(other) => vec![Err((
            path.to_string(),
            format!("expected a JSON object or array, found {}", kind(&other)),
        ))],
        Err(e) => {
            let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            let first_is_object = lines
                .next()
                .is_some_and(|l| matches!(serde_json::from_str::<Value>(l), Ok(Value::Object(_))));
            if first_is_object && lines.next().is_some() {
                parse_lines(text, path)
            } else {
                vec![Err((path.to_string(), format!("invalid JSON: {e}")))]
            }
        }
    }
}

/// Records from an array's items. `lines` holds the 1-based line where each item starts, when known.
fn from_array(items: &[Value], path: &str, lines: &[u64]) -> Vec<Record> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let origin = Origin {
                path: path.to_string(),
                line: lines.get(i).copied(),
                item: None,
            };
            match item {
                Value::Object(obj) => Ok(record_from_object(obj, origin)),
                other => Err((
                    origin.to_string(),
                    format!(
                        "record {}: expected a JSON object, found {}",
                        i + 1,
                        kind(other)
                    ),
                )),
            }
        })
        .collect()
}

/// The 1-based line on which each item of the top-level array in `text` starts. `text` must be
/// valid JSON whose top-level value is an array (checked by the caller's parse).
fn array_item_lines(text: &str) -> Vec<u64> {
    let mut lines = Vec::new();
    let mut line = 1u64;
    let (mut depth, mut in_string, mut escaped, mut expecting) = (0usize, false, false, true);
    let mut bytes = text.bytes();
    for b in bytes.by_ref() {
        if b == b'\n' {
            line += 1;
        }
        if b == b'[' {
            break;
        }
    }
    for b in bytes {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => {}
            b',' if depth == 0 => expecting = true,
            b']' if depth == 0 => break,
            _ => {
                if expecting && depth == 0 {
                    lines.push(line);
                    expecting = false;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
    }
    lines
}

/// The article list of a wrapper such as `{"status": "ok", "articles": [...]}`, when the object has
/// no article fields of its own.
fn wrapped_list(obj: &Map<String, Value>) -> Option<&Vec<Value>> {
    if field(obj, TITLE).is_some() || field(obj, BODY).is_some() {
        return None;
    }
    WRAPPERS.iter().find_map(|name| match field(obj, &[name]) {
        Some(Value::Array(items)) if items.iter().any(Value::is_object) => Some(items),
        _ => None,
    })
}

/// Maps one JSON object onto a raw record. Title, body and caption holding HTML (as feeds often do)
/// are reduced to their text. A body that opens with a dateline gives it up when the
/// record has no dateline field.
pub fn record_from_object(obj: &Map<String, Value>, origin: Origin) -> RawRecord {
    let mut r = RawRecord::new(origin);
    r.id = field(obj, ID).and_then(scalar_text);
    r.title = field(obj, TITLE).and_then(scalar_text);
    r.body = field(obj, BODY).and_then(|v| joined_text(v, "\n\n"));
    r.date = field(obj, DATE).and_then(scalar_text);
    r.url = field(obj, URL).and_then(|v| scalar_text(v).or_else(|| named(v, &["href", "url"])));
    r.source =
        field(obj, SOURCE).and_then(|v| scalar_text(v).or_else(|| named(v, &["name", "title"])));
    r.author = field(obj, AUTHOR).and_then(|v| joined_text(v, ", "));
    r.dateline = field(obj, DATELINE).and_then(scalar_text);
    r.caption = field(obj, CAPTION).and_then(scalar_text);
    for text in [&mut r.title, &mut r.body, &mut r.caption]
        .into_iter()
        .flatten()
    {
        if looks_like_html(text) {
            *text = fragment_text(text);
        }
    }
    if r.dateline.as_deref().is_none_or(|d| d.trim().is_empty()) {
        if let Some(body) = r.body.take() {
            let (dateline, rest) = take_dateline(&body);
            r.dateline = dateline;
            r.body = Some(rest.to_string());
        }
    }
    r
}

/// The first of `names` present (case-insensitively) and not null.
fn field<'a>(obj: &'a Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    names.iter().find_map(|name| {
        obj.iter()
            .find(|(key, value)| key.eq_ignore_ascii_case(name) && !value.is_null())
            .map(|(_, value)| value)
    })
}

/// A string or number as text.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The first of `keys` in an object value, as text.
fn named(v: &Value, keys: &[&str]) -> Option<String> {
    match v {
        Value::Object(obj) => field(obj, keys).and_then(scalar_text),
        _ => None,
    }
}

/// A string, a named object, or a list of either joined with `sep`.
fn joined_text(v: &Value, sep: &str) -> Option<String> {
    match v {
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|item| joined_text(item, sep))
                .collect();
            (!parts.is_empty()).then(|| parts.join(sep))
        }
        Value::Object(_) => named(v, &["name", "text", "value"]),
        other => scalar_text(other),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde_json says "at line 1 column N" for a single line; keep only the column.
fn strip_line(message: &str) -> String {
    message.replace(" at line 1 column ", " at column ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(records: Vec<Record>) -> Vec<RawRecord> {
        records.into_iter().map(|r| r.expect("record")).collect()
    }

    #[test]
    fn usual_field_names() {
        let text = r#"{"guid": 42, "headline": "Rates held", "content": ["Para one.", "Para two."],
            "publishedAt": "2024-05-02T10:00:00Z", "link": "https://news.test/rates",
            "publication": {"name": "Daily Ledger"}, "byline": ["Ana Lima", {"name": "Ben Ode"}],
            "Caption": "Bank tower (Reuters)", "extra": {"ignored": true}}"#;
        let r = ok(parse_document(text, "a.json")).remove(0);
        assert_eq!(r.id.as_deref(), Some("42"));
        assert_eq!(r.title.as_deref(), Some("Rates held"));
        assert_eq!(r.body.as_deref(), Some("Para one.\n\nPara two."));
        assert_eq!(r.date.as_deref(), Some("2024-05-02T10:00:00Z"));
        assert_eq!(r.url.as_deref(), Some("https://news.test/rates"));
        assert_eq!(r.source.as_deref(), Some("Daily Ledger"));
        assert_eq!(r.author.as_deref(), Some("Ana Lima, Ben Ode"));
        assert_eq!(r.caption.as_deref(), Some("Bank tower (Reuters)"));
        assert_eq!(
            r.origin,
            Origin {
                path: "a.json".to_string(),
                line: None,
                item: None,
            }
        );
    }

    #[test]
    fn priority_and_nulls() {
        let text = r#"{"title": null, "headline": "From headline", "body": "B", "text": "T", "date": 1714644000}"#;
        let r = ok(parse_document(text, "a.json")).remove(0);
        assert_eq!(r.title.as_deref(), Some("From headline"));
        assert_eq!(r.body.as_deref(), Some("B"));
        assert_eq!(r.date.as_deref(), Some("1714644000"));
    }

    #[test]
    fn arrays_and_wrappers() {
        let array = r#"[{"title": "One"}, {"title": "Two"}, 3]"#;
        let records = parse_document(array, "list.json");
        assert_eq!(records.len(), 3);
        assert_eq!(
            records[1].as_ref().expect("two").title.as_deref(),
            Some("Two")
        );
        assert_eq!(
            records[2],
            Err((
                "list.json:1".to_string(),
                "record 3: expected a JSON object, found a number".to_string()
            ))
        );
        let wrapped = r#"{"status": "ok", "articles": [{"title": "A"}, {"title": "B"}]}"#;
        assert_eq!(ok(parse_document(wrapped, "w.json")).len(), 2);
    }

    #[test]
    fn array_items_know_their_lines() {
        let text = "[\n  {\"title\": \"One\", \"body\": \"a ] tricky \\\" [ string,\\n\"},\n\n  {\"title\": \"Two\",\n   \"tags\": [1, [2]]},\n  {\"title\": \"Three\"}, null\n]";
        assert_eq!(array_item_lines(text), [2, 4, 6, 6]);
        let records = parse_document(text, "l.json");
        let lines: Vec<Option<u64>> = records
            .iter()
            .map(|r| r.as_ref().ok().and_then(|r| r.origin.line))
            .collect();
        assert_eq!(lines, [Some(2), Some(4), Some(6), None]);
        assert_eq!(records[3].as_ref().expect_err("null").0, "l.json:6");
    }

    #[test]
    fn json_lines_with_a_bad_line() {
        let text = "{\"title\": \"First\"}\r\n\n{\"title\": broken}\n[1]\n{\"title\": \"Last\"}";
        let records = parse_lines(text, "feed.jsonl");
        assert_eq!(records.len(), 4);
        let first = records[0].as_ref().expect("first");
        assert_eq!(
            first.origin,
            Origin {
                path: "feed.jsonl".to_string(),
                line: Some(1),
                item: None,
            }
        );
        let (origin, reason) = records[1].as_ref().expect_err("bad line");
        assert_eq!(origin, "feed.jsonl:3");
        assert!(
            reason.starts_with("invalid JSON") && reason.contains("column"),
            "{reason}"
        );
        assert_eq!(records[2].as_ref().expect_err("array").0, "feed.jsonl:4");
        assert_eq!(records[3].as_ref().expect("last").origin.line, Some(5));
    }

    #[test]
    fn json_document_that_is_really_json_lines() {
        let text = "{\"title\": \"A\"}\n{\"title\": \"B\"}\n";
        let records = ok(parse_document(text, "x.json"));
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].origin.line, Some(2));
        let broken = parse_document("{\"title\": ", "y.json");
        assert_eq!(broken.len(), 1);
        assert_eq!(broken[0].as_ref().expect_err("broken").0, "y.json");
    }

    #[test]
    fn html_in_feed_fields() {
        let text = r#"{"title": "Fish &amp; chips prices rise", "content": "<p>Prices rose.</p><p>Shops <b>blamed</b> oil.</p>"}"#;
        let r = ok(parse_document(text, "a.json")).remove(0);
        assert_eq!(r.title.as_deref(), Some("Fish & chips prices rise"));
        let body = crate::normalize::clean_text(r.body.as_deref().expect("body"));
        assert_eq!(body, "Prices rose.\n\nShops blamed oil.");
    }

    #[test]
    fn dateline_from_field_or_body() {
        let with_field =
            r#"{"title": "T", "dateline": "SALVADOR, Feb 26 -", "body": "Showers continued."}"#;
        let r = ok(parse_document(with_field, "a.json")).remove(0);
        assert_eq!(r.dateline.as_deref(), Some("SALVADOR, Feb 26 -"));
        let in_body =
            r#"{"title": "T", "dateline": "", "body": "MADRID (Reuters) - Fans gathered."}"#;
        let r = ok(parse_document(in_body, "a.json")).remove(0);
        assert_eq!(r.dateline.as_deref(), Some("MADRID (Reuters)"));
        assert_eq!(r.body.as_deref(), Some("Fans gathered."));
    }
}
