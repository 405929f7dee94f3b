//! Normalize: raw record fields → [`crate::article::Article`]. Pure functions: text cleanup, date
//! parsing, and the stable identity of an article.
//!
//! Readers in `sources` fill a [`RawRecord`] with the strings they found, untouched; [`to_article`]
//! turns it into an `Article`:
//!
//! - every text field is NFC-normalized, control characters are dropped, line endings become `\n`,
//!   runs of whitespace collapse to one space and the ends are trimmed;
//! - `body` (and `caption`) keep paragraphs, separated by one blank line: a paragraph ends at a blank
//!   line or where a line is indented deeper than the line before it (wire copy indents paragraphs);
//!   hard-wrapped lines inside a paragraph are joined with a space;
//! - `dateline` loses its trailing dash (`"GENEVA (Reuters) -"` → `"GENEVA (Reuters)"`);
//! - `published` is parsed by [`parse_date`]; when a record has no date but its dateline carries a full
//!   one (`"NAIROBI, Nov. 12, 2024 -"`), that date is used;
//! - `id` is decided by [`article_id`]: the record's own id, else its url, else `sha256:` + the first 16
//!   bytes (hex) of SHA-256 over the *identity text*: the title and body with every run of whitespace
//!   (line breaks and paragraph breaks included) collapsed to one space, joined by `"\n"`. Case is kept.
//!   Byte-identical files get the same id, and so does a re-save with other line endings or re-wrapped
//!   lines.
//! - `content_hash` ([`content_hash`]) covers every stored content field, so a re-ingest can tell an
//!   unchanged article from an edited one that kept its id.

use crate::article::{Article, Origin};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sha2::{Digest, Sha256};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// The fields of one record as a reader found them (any may be missing), and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRecord {
    pub id: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub caption: Option<String>,
    pub dateline: Option<String>,
    /// The date as written in the record; parsed by [`parse_date`].
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub origin: Origin,
}

impl RawRecord {
    /// An empty record read from `origin`.
    pub fn new(origin: Origin) -> Self {
        RawRecord {
            id: None,
            title: None,
            body: None,
            caption: None,
            dateline: None,
            date: None,
            source: None,
            url: None,
            author: None,
            origin,
        }
    }
}

/// A normalized article and the non-fatal notes made while building it (e.g. an unparseable date).
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    pub article: Article,
    pub warnings: Vec<String>,
}

/// Longest title derived from the body when a record has none.
const DERIVED_TITLE_MAX: usize = 90;
/// Longest body kept, in bytes of the text as read: a longer one is cut (with a warning), so one
/// giant article cannot exhaust memory or stall the indexer.
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;
/// Longest one-line field (title, id, url, source, author, dateline, date, caption) kept, in bytes
/// as read: a longer one is cut with a warning; a longer id is refused.
pub const MAX_FIELD_BYTES: usize = 4096;
/// How much of an unparseable date a warning quotes, in characters.
const QUOTED_DATE_MAX: usize = 60;

/// Builds an article from a raw record. `source_override` (from `--source`) replaces the record's
/// source. Fails, with the reason, when the record has neither a title nor a body, or when its id
/// is longer than [`MAX_FIELD_BYTES`]. A body longer than [`MAX_BODY_BYTES`] and other fields
/// longer than [`MAX_FIELD_BYTES`] are cut, with a warning.
pub fn to_article(raw: RawRecord, source_override: Option<&str>) -> Result<Normalized, String> {
    let mut warnings = Vec::new();
    if let Some(id) = raw.id.as_deref().filter(|id| id.len() > MAX_FIELD_BYTES) {
        return Err(format!(
            "id is {} bytes long (at most {MAX_FIELD_BYTES} are allowed)",
            id.len()
        ));
    }
    let mut limit = |what: &str, value: Option<&str>, max: usize| -> Option<String> {
        let value = value?;
        if value.len() <= max {
            return Some(value.to_string());
        }
        warnings.push(format!(
            "{what} is {} long; only its first {} are kept",
            size(value.len()),
            size(max)
        ));
        Some(cut_at_char(value, max).to_string())
    };
    let raw_body = limit("body", raw.body.as_deref(), MAX_BODY_BYTES);
    let raw_title = limit("title", raw.title.as_deref(), MAX_FIELD_BYTES);
    let raw_caption = limit("caption", raw.caption.as_deref(), MAX_FIELD_BYTES);
    let raw_dateline = limit("dateline", raw.dateline.as_deref(), MAX_FIELD_BYTES);
    let raw_source = limit("source", raw.source.as_deref(), MAX_FIELD_BYTES);
    let raw_url = limit("url", raw.url.as_deref(), MAX_FIELD_BYTES);
    let raw_author = limit("author", raw.author.as_deref(), MAX_FIELD_BYTES);
    let raw_date = limit("date", raw.date.as_deref(), MAX_FIELD_BYTES);
    let body = raw_body.as_deref().map(clean_text).unwrap_or_default();
    let mut title = raw_title.as_deref().map(clean_line).unwrap_or_default();
    if title.is_empty() && body.is_empty() {
        return Err("record has neither a title nor a body".to_string());
    }
    if title.is_empty() {
        title = derive_title(&body);
    }
    if title.is_empty() {
        // A body opening with a bare full stop (". (AP Photo) ...") derives no sentence.
        title = body.chars().take(DERIVED_TITLE_MAX).collect::<String>();
    }
    let caption = non_empty(raw_caption.as_deref().map(clean_text));
    let dateline = non_empty(raw_dateline.as_deref().map(clean_dateline));
    let source = match source_override {
        Some(s) => non_empty(Some(clean_line(s))),
        None => non_empty(raw_source.as_deref().map(clean_line)),
    };
    let url = non_empty(raw_url.as_deref().map(clean_line));
    let author = non_empty(raw_author.as_deref().map(clean_line));
    let explicit_id = non_empty(raw.id.as_deref().map(clean_line));

    let mut published = None;
    if let Some(date) = raw_date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        published = parse_date(date);
        if published.is_none() {
            let quoted: String = date.chars().take(QUOTED_DATE_MAX).collect();
            let more = if quoted.len() < date.len() { "..." } else { "" };
            warnings.push(format!(
                "unparseable date {quoted:?}{more}; stored without a date"
            ));
        }
    }
    if published.is_none() && raw_date.as_deref().is_none_or(|d| d.trim().is_empty()) {
        published = dateline.as_deref().and_then(date_from_dateline);
    }
    if let Some(date) = published.filter(|d| !storable(d)) {
        warnings.push(format!(
            "date {} is outside the years the index can store (1678 to 2261); stored without \
             a date",
            date.format("%Y-%m-%d")
        ));
        published = None;
    }

    let id = article_id(explicit_id.as_deref(), url.as_deref(), &title, &body);
    let mut article = Article {
        id,
        title,
        body,
        caption,
        dateline,
        published,
        source,
        url,
        author,
        origins: vec![raw.origin],
        content_hash: String::new(),
    };
    article.content_hash = content_hash(&article);
    Ok(Normalized { article, warnings })
}

/// Whether the index can store `date`: it keeps dates as nanoseconds since 1970 in 64 bits.
pub fn storable(date: &DateTime<Utc>) -> bool {
    date.timestamp().checked_mul(1_000_000_000).is_some()
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
pub fn cut_at_char(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `2048` → "2,048 bytes"; `5242880` → "5.0 MB".
fn size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} bytes", crate::present::thousands(bytes as u64))
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

/// The stable id: `explicit` if given, else `url`, else `sha256:` + 32 hex digits over the identity
/// text (title and body, whitespace-collapsed, joined by a newline).
pub fn article_id(explicit: Option<&str>, url: Option<&str>, title: &str, body: &str) -> String {
    if let Some(id) = explicit.map(str::trim).filter(|s| !s.is_empty()) {
        return id.to_string();
    }
    if let Some(url) = url.map(str::trim).filter(|s| !s.is_empty()) {
        return url.to_string();
    }
    let mut hasher = Sha256::new();
    hasher.update(collapse_whitespace(title).as_bytes());
    hasher.update(b"\n");
    hasher.update(collapse_whitespace(body).as_bytes());
    format!("sha256:{}", hex16(&hasher.finalize()))
}

/// Hash (32 hex digits) of every stored content field of `article` (not `id`, `origins` or the hash
/// itself). Fields are length-prefixed so no two different articles share the hashed bytes.
pub fn content_hash(article: &Article) -> String {
    let published = article.published.map(|d| d.to_rfc3339());
    let fields: [Option<&str>; 8] = [
        Some(&article.title),
        Some(&article.body),
        article.caption.as_deref(),
        article.dateline.as_deref(),
        published.as_deref(),
        article.source.as_deref(),
        article.url.as_deref(),
        article.author.as_deref(),
    ];
    let mut hasher = Sha256::new();
    for field in fields {
        match field {
            Some(text) => {
                hasher.update([1u8]);
                hasher.update((text.len() as u64).to_le_bytes());
                hasher.update(text.as_bytes());
            }
            None => hasher.update([0u8]),
        }
    }
    hex16(&hasher.finalize())
}

fn hex16(digest: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(32);
    for byte in digest.iter().take(16) {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// NFC, controls dropped, every run of whitespace (line breaks too) collapsed to one space, trimmed.
pub fn clean_line(s: &str) -> String {
    let nfc = to_nfc(s);
    let mut out = String::with_capacity(nfc.len());
    push_collapsed(&mut out, &nfc);
    out
}

/// Appends `text` to `out` with whitespace runs collapsed to single spaces and controls dropped;
/// no leading or trailing space is written. Runs of ordinary characters are copied whole: only
/// bytes that can start a whitespace or control character (ASCII below `!`, DEL, and the UTF-8 lead
/// bytes 0xC2, 0xE1, 0xE2, 0xE3, 0xEF) are decoded and looked at, and a single space between two
/// ordinary characters, already collapsed, stays in the run.
fn push_collapsed(out: &mut String, text: &str) {
    fn flush(out: &mut String, run: &str, pending_space: &mut bool) {
        if run.is_empty() {
            return;
        }
        if *pending_space && !out.is_empty() && !out.ends_with([' ', '\n']) {
            out.push(' ');
        }
        *pending_space = false;
        out.push_str(run);
    }
    fn special(b: u8) -> bool {
        b < 0x21 || b == 0x7F || matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF)
    }
    let bytes = text.as_bytes();
    let mut pending_space = false;
    let (mut run_start, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if !special(b)
            || (b == b' ' && i > run_start && bytes.get(i + 1).is_some_and(|&n| !special(n)))
        {
            i += 1;
            continue;
        }
        // `b` is ASCII or a UTF-8 lead byte, so `i` is a char boundary.
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        if c.is_whitespace() || c.is_control() || c == '\u{feff}' {
            flush(out, &text[run_start..i], &mut pending_space);
            pending_space |= c.is_whitespace();
            run_start = i + len;
        }
        i += len;
    }
    flush(out, &text[run_start..], &mut pending_space);
}

fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_collapsed(&mut out, s);
    out
}

fn to_nfc(s: &str) -> std::borrow::Cow<'_, str> {
    // ASCII text is in NFC, and checking that it is ASCII is far quicker than the NFC check.
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.nfc().collect())
    }
}

/// Cleans multi-paragraph text: paragraphs end at blank lines or where a line is indented deeper than
/// the previous one; lines inside a paragraph are joined with a space; paragraphs are separated by
/// `"\n\n"`. Handles `\r\n` and lone `\r` line endings.
pub fn clean_text(s: &str) -> String {
    let nfc = to_nfc(s);
    let unix = normalize_line_endings(&nfc);
    let mut out = String::with_capacity(unix.len());
    let mut in_paragraph = false;
    let mut prev_indent = 0usize;
    for line in unix.split('\n') {
        let indent = line.len() - line.trim_start().len();
        let content = line.trim();
        if content.is_empty() || content.chars().all(|c| c.is_whitespace() || c.is_control()) {
            in_paragraph = false;
            continue;
        }
        if in_paragraph && indent > prev_indent {
            in_paragraph = false;
        }
        if !in_paragraph && !out.is_empty() {
            out.push_str("\n\n");
        } else if in_paragraph {
            out.push(' ');
        }
        push_collapsed(&mut out, content);
        in_paragraph = true;
        prev_indent = indent;
    }
    out.truncate(out.trim_end().len());
    out
}

/// `\r\n` and lone `\r` become `\n` (borrowed when there is no `\r`).
pub fn normalize_line_endings(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('\r') {
        std::borrow::Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// A dateline cleaned like a line, without its trailing dash.
fn clean_dateline(s: &str) -> String {
    let line = clean_line(s);
    line.trim_end_matches(['-', '\u{2013}', '\u{2014}', ' '])
        .to_string()
}

/// A title made from the start of the body: its first sentence, cut at a word boundary if long.
fn derive_title(body: &str) -> String {
    let first = body.split("\n\n").next().unwrap_or(body);
    let sentence = match first.find(". ") {
        Some(end) => &first[..=end],
        None => first,
    };
    if sentence.chars().count() <= DERIVED_TITLE_MAX {
        return sentence.trim_end_matches('.').to_string();
    }
    let mut cut = String::new();
    for word in sentence.split(' ') {
        if cut.chars().count() + word.chars().count() + 1 > DERIVED_TITLE_MAX {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    if cut.is_empty() {
        cut = sentence.chars().take(DERIVED_TITLE_MAX).collect();
    }
    cut.push('…');
    cut
}

/// The full date in a dateline such as `"NAIROBI, Nov. 12, 2024 (Reuters)"`, if it has a year.
pub fn date_from_dateline(dateline: &str) -> Option<DateTime<Utc>> {
    let without_agency = match (dateline.find('('), dateline.rfind(')')) {
        (Some(open), Some(close)) if open < close => {
            format!("{} {}", &dateline[..open], &dateline[close + 1..])
        }
        _ => dateline.to_string(),
    };
    let mut parts = without_agency.splitn(2, ',');
    parts.next()?;
    let rest = parts
        .next()?
        .trim()
        .trim_end_matches(['-', '\u{2013}', '\u{2014}', ' ']);
    // "Kenya, Nov. 12, 2024": drop leading place parts until a date parses.
    let mut candidate = rest;
    loop {
        if let Some(date) = parse_date(candidate) {
            return Some(date);
        }
        let (_, tail) = candidate.split_once(',')?;
        candidate = tail.trim();
    }
}

/// Parses the date formats found in news data: RFC 3339 / ISO 8601 (with or without time and zone;
/// no zone means UTC), RFC 2822 (RSS `pubDate`), `"March 3, 2021"`, `"Mar. 3, 2021"`, `"3 March
/// 2021"`, `"2021/03/03"`, an optional leading weekday, and unix seconds (or milliseconds when 13
/// digits). Dates without a time are midnight UTC.
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(d) = parse_unix(s) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    parse_iso_like(s).or_else(|| parse_written(s))
}

fn parse_unix(s: &str) -> Option<DateTime<Utc>> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i64 = s.parse().ok()?;
    match digits.len() {
        1..=11 => DateTime::from_timestamp(n, 0),
        13 => DateTime::from_timestamp_millis(n),
        _ => None,
    }
}

/// ISO-8601-like forms that RFC 3339 refuses: no zone, a space instead of `T`, `+0000` zones,
/// minutes-only times, and plain dates with `-` or `/`.
fn parse_iso_like(s: &str) -> Option<DateTime<Utc>> {
    let s = match s.strip_suffix(['Z', 'z']) {
        Some(rest) => format!("{rest}+00:00"),
        None => s.to_string(),
    };
    const NAIVE: [&str; 5] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
    ];
    for format in NAIVE {
        if let Ok(d) = NaiveDateTime::parse_from_str(&s, format) {
            return Some(d.and_utc());
        }
    }
    const ZONED: [&str; 6] = [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M%z",
    ];
    for format in ZONED {
        if let Ok(d) = DateTime::parse_from_str(&s, format) {
            return Some(d.with_timezone(&Utc));
        }
    }
    for format in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(&s, format) {
            return midnight(d);
        }
    }
    None
}

/// Written dates: `"March 3, 2021"`, `"Mar. 3 2021"`, `"3 March 2021"`, `"Wednesday, 3 March 2021"`.
fn parse_written(s: &str) -> Option<DateTime<Utc>> {
    let mut words: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.trim_end_matches('.');
            let w = w.trim_end_matches(|c: char| {
                c.is_ascii_alphabetic() && w.starts_with(char::is_numeric)
            });
            if w.eq_ignore_ascii_case("sept") {
                "Sep".to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    if words.len() == 4 {
        let first = words[0].to_ascii_lowercase();
        if WEEKDAYS.iter().any(|d| first.starts_with(d)) {
            words.remove(0);
        }
    }
    if words.len() != 3 {
        return None;
    }
    let joined = words.join(" ");
    for format in ["%B %d %Y", "%d %B %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(&joined, format) {
            return midnight(d);
        }
    }
    None
}

fn midnight(d: NaiveDate) -> Option<DateTime<Utc>> {
    Some(d.and_hms_opt(0, 0, 0)?.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("valid test date")
    }

    fn raw(title: &str, body: &str) -> RawRecord {
        RawRecord {
            title: Some(title.to_string()),
            body: Some(body.to_string()),
            ..RawRecord::new(Origin {
                path: "a.txt".to_string(),
                line: None,
                item: None,
            })
        }
    }

    #[test]
    fn dates_iso_and_rfc3339() {
        assert_eq!(
            parse_date("2024-11-12T09:30:00Z"),
            Some(utc(2024, 11, 12, 9, 30, 0))
        );
        assert_eq!(
            parse_date("2024-11-12T09:30:00+03:00"),
            Some(utc(2024, 11, 12, 6, 30, 0))
        );
        assert_eq!(
            parse_date("2024-11-12T09:30:00.250Z").map(|d| d.timestamp()),
            Some(1731403800)
        );
        assert_eq!(
            parse_date("1987-02-26T15:01:01"),
            Some(utc(1987, 2, 26, 15, 1, 1))
        );
        assert_eq!(
            parse_date("2024-11-12 09:30:00"),
            Some(utc(2024, 11, 12, 9, 30, 0))
        );
        assert_eq!(
            parse_date("2024-11-12T09:30:00+0100"),
            Some(utc(2024, 11, 12, 8, 30, 0))
        );
        assert_eq!(
            parse_date("2024-11-12T09:30Z"),
            Some(utc(2024, 11, 12, 9, 30, 0))
        );
        assert_eq!(parse_date("2024-11-12"), Some(utc(2024, 11, 12, 0, 0, 0)));
        assert_eq!(parse_date("2021/03/03"), Some(utc(2021, 3, 3, 0, 0, 0)));
    }

    #[test]
    fn dates_rfc2822_and_written() {
        assert_eq!(
            parse_date("Wed, 03 Mar 2021 10:15:00 GMT"),
            Some(utc(2021, 3, 3, 10, 15, 0))
        );
        assert_eq!(
            parse_date("Wed, 3 Mar 2021 10:15:00 +0200"),
            Some(utc(2021, 3, 3, 8, 15, 0))
        );
        assert_eq!(parse_date("March 3, 2021"), Some(utc(2021, 3, 3, 0, 0, 0)));
        assert_eq!(parse_date("Mar. 3, 2021"), Some(utc(2021, 3, 3, 0, 0, 0)));
        assert_eq!(
            parse_date("Sept. 14, 2025"),
            Some(utc(2025, 9, 14, 0, 0, 0))
        );
        assert_eq!(parse_date("3 March 2021"), Some(utc(2021, 3, 3, 0, 0, 0)));
        assert_eq!(parse_date("3rd March 2021"), Some(utc(2021, 3, 3, 0, 0, 0)));
        assert_eq!(
            parse_date("Wednesday, March 3, 2021"),
            Some(utc(2021, 3, 3, 0, 0, 0))
        );
    }

    #[test]
    fn dates_unix_and_garbage() {
        assert_eq!(parse_date("1614766500"), Some(utc(2021, 3, 3, 10, 15, 0)));
        assert_eq!(
            parse_date("1614766500000"),
            Some(utc(2021, 3, 3, 10, 15, 0))
        );
        assert_eq!(parse_date("last Tuesday"), None);
        assert_eq!(parse_date("2021-13-45"), None);
        assert_eq!(parse_date("March 3"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn dateline_dates_need_a_year() {
        assert_eq!(
            date_from_dateline("NAIROBI, Nov. 12, 2024 (Reuters)"),
            Some(utc(2024, 11, 12, 0, 0, 0))
        );
        assert_eq!(
            date_from_dateline("NAIROBI, Kenya, March 3, 2025 -"),
            Some(utc(2025, 3, 3, 0, 0, 0))
        );
        assert_eq!(date_from_dateline("NEW YORK, March 3"), None);
        assert_eq!(date_from_dateline("GENEVA (Reuters)"), None);
    }

    #[test]
    fn clean_line_collapses_and_normalizes() {
        assert_eq!(
            clean_line("  Rain \t in\u{a0}  Spain\r\n "),
            "Rain in Spain"
        );
        // "e" + combining acute → precomposed é (NFC).
        assert_eq!(clean_line("Cafe\u{301} owner"), "Caf\u{e9} owner");
        assert_eq!(clean_line("bell\u{7}ring"), "bellring");
        assert_eq!(
            clean_line("\u{feff}a\u{2003}b\u{3000}c\u{85}d \u{9f}e \u{a3}5"),
            "a b c d e \u{a3}5"
        );
    }

    #[test]
    fn clean_text_keeps_paragraphs_and_joins_wrapped_lines() {
        let text = "First line\nwrapped here.\n\n\n  \nSecond  paragraph.\n";
        assert_eq!(
            clean_text(text),
            "First line wrapped here.\n\nSecond paragraph."
        );
        let crlf = "First line\r\nwrapped here.\r\n\r\nSecond paragraph.\r\n";
        assert_eq!(
            clean_text(crlf),
            "First line wrapped here.\n\nSecond paragraph."
        );
        let old_mac = "One\rtwo\r\rThree";
        assert_eq!(clean_text(old_mac), "One two\n\nThree");
    }

    #[test]
    fn clean_text_splits_wire_style_indented_paragraphs() {
        let wire = "Cocoa rains continued\nin the week.\n    Farmers said\ncrops were late.\n    Prices rose.";
        assert_eq!(
            clean_text(wire),
            "Cocoa rains continued in the week.\n\nFarmers said crops were late.\n\nPrices rose."
        );
        // Uniform indentation does not split.
        assert_eq!(clean_text("  one\n  two"), "one two");
    }

    #[test]
    fn ids_prefer_explicit_then_url_then_hash() {
        assert_eq!(
            article_id(Some(" x-1 "), Some("https://e.test/a"), "T", "B"),
            "x-1"
        );
        assert_eq!(
            article_id(Some(""), Some("https://e.test/a"), "T", "B"),
            "https://e.test/a"
        );
        let h = article_id(None, None, "Title", "Body text.");
        assert!(h.starts_with("sha256:"));
        assert_eq!(h.len(), "sha256:".len() + 32);
        assert_eq!(h, article_id(None, None, "Title", "Body text."));
        assert_ne!(h, article_id(None, None, "Title", "Body text!"));
        assert_ne!(h, article_id(None, None, "title", "Body text."));
    }

    #[test]
    fn hash_id_ignores_line_endings_and_wrapping() {
        let lf = to_article(
            raw("Storm hits coast", "Wind rose.\nRoofs flew.\n\nAll safe."),
            None,
        );
        let crlf = to_article(
            raw(
                "Storm hits coast\r\n",
                "Wind rose.\r\nRoofs flew.\r\n\r\nAll safe.\r\n",
            ),
            None,
        );
        let rewrapped = to_article(
            raw("Storm hits coast", "Wind rose. Roofs flew.\n\nAll safe."),
            None,
        );
        let (lf, crlf, rewrapped) = (
            lf.expect("lf"),
            crlf.expect("crlf"),
            rewrapped.expect("rewrapped"),
        );
        assert_eq!(lf.article.id, crlf.article.id);
        assert_eq!(lf.article.id, rewrapped.article.id);
        assert_eq!(lf.article.content_hash, crlf.article.content_hash);
    }

    #[test]
    fn content_hash_covers_every_stored_field() {
        let base = to_article(raw("T", "B"), None).expect("base").article;
        let mut other = base.clone();
        other.author = Some("A. Writer".to_string());
        assert_ne!(content_hash(&base), content_hash(&other));
        let mut other = base.clone();
        other.published = parse_date("2024-01-01");
        assert_ne!(content_hash(&base), content_hash(&other));
        let mut other = base.clone();
        other.origins.push(Origin {
            path: "b.txt".to_string(),
            line: Some(2),
            item: None,
        });
        assert_eq!(content_hash(&base), content_hash(&other));
        // Moving text between fields changes the hash.
        let mut a = base.clone();
        a.caption = Some("x".to_string());
        let mut b = base.clone();
        b.dateline = Some("x".to_string());
        assert_ne!(content_hash(&a), content_hash(&b));
    }

    #[test]
    fn to_article_fields_and_override() {
        let mut r = raw(" Vote count  begins ", "Body.");
        r.id = Some("br-7".to_string());
        r.date = Some("2024-10-06".to_string());
        r.source = Some("Wire".to_string());
        r.dateline = Some("BRASILIA (Reuters) -".to_string());
        r.author = Some("Ana Souza".to_string());
        let n = to_article(r.clone(), None).expect("article");
        assert_eq!(n.article.id, "br-7");
        assert_eq!(n.article.title, "Vote count begins");
        assert_eq!(n.article.dateline.as_deref(), Some("BRASILIA (Reuters)"));
        assert_eq!(n.article.published, Some(utc(2024, 10, 6, 0, 0, 0)));
        assert_eq!(n.article.source.as_deref(), Some("Wire"));
        assert_eq!(
            n.article.origins,
            vec![Origin {
                path: "a.txt".to_string(),
                line: None,
                item: None,
            }]
        );
        assert!(n.warnings.is_empty());
        let n = to_article(r, Some("Archive")).expect("article");
        assert_eq!(n.article.source.as_deref(), Some("Archive"));
    }

    #[test]
    fn bad_date_is_a_warning_not_a_skip() {
        let mut r = raw("T", "B");
        r.date = Some("sometime soon".to_string());
        let n = to_article(r, None).expect("kept");
        assert_eq!(n.article.published, None);
        assert_eq!(n.warnings.len(), 1);
        assert!(n.warnings[0].contains("sometime soon"));
    }

    #[test]
    fn dateline_date_used_only_without_a_record_date() {
        let mut r = raw("T", "B");
        r.dateline = Some("MADRID, June 1, 2025 -".to_string());
        assert_eq!(
            to_article(r.clone(), None).expect("a").article.published,
            Some(utc(2025, 6, 1, 0, 0, 0))
        );
        r.date = Some("2025-06-02".to_string());
        assert_eq!(
            to_article(r, None).expect("a").article.published,
            Some(utc(2025, 6, 2, 0, 0, 0))
        );
    }

    #[test]
    fn empty_records_are_refused_and_titles_derived() {
        let err = to_article(raw("  ", "\n\n"), None).expect_err("empty");
        assert!(err.contains("neither a title nor a body"));
        let n =
            to_article(raw("", "Markets fell sharply. Traders blamed rates."), None).expect("a");
        assert_eq!(n.article.title, "Markets fell sharply");
        let long = "word ".repeat(40);
        let n = to_article(raw("", &long), None).expect("a");
        assert!(n.article.title.ends_with('…'));
        assert!(n.article.title.chars().count() <= DERIVED_TITLE_MAX + 1);
    }

    /// Found by fuzzing: a body opening with a bare full stop gave an empty derived title.
    #[test]
    fn a_body_opening_with_a_full_stop_still_gives_a_title() {
        let mut raw = RawRecord::new(Origin {
            path: "a.html".to_string(),
            line: None,
            item: None,
        });
        raw.body = Some(". (AP Photo/Luis Pardo)\n\nThe port reopened.".to_string());
        let n = to_article(raw, None).expect("article");
        assert!(!n.article.title.is_empty());
        assert!(
            n.article.title.starts_with(". (AP Photo"),
            "{}",
            n.article.title
        );
    }

    /// Found by fuzzing: dates beyond what the index stores overflowed its date conversion.
    #[test]
    fn dates_the_index_cannot_store_are_kept_undated_with_a_warning() {
        for date in ["9999-01-01", "1200-05-02", "99999999999"] {
            let mut raw = RawRecord::new(Origin {
                path: "a.json".to_string(),
                line: None,
                item: None,
            });
            raw.title = Some("Far future".to_string());
            raw.date = Some(date.to_string());
            let n = to_article(raw, None).expect("article");
            assert_eq!(n.article.published, None, "{date}");
            assert!(
                n.warnings[0].contains("outside the years"),
                "{:?}",
                n.warnings
            );
        }
    }
    /// Whitespace collapsing as a plain character loop (the reference for the run-copying one).
    fn collapsed_slowly(out: &mut String, text: &str) {
        let mut pending = false;
        for c in text.chars() {
            if c.is_whitespace() || c.is_control() || c == '\u{feff}' {
                pending |= c.is_whitespace();
                continue;
            }
            if pending && !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
            pending = false;
            out.push(c);
        }
    }

    #[test]
    fn collapsing_copies_runs_as_a_character_loop_would() {
        let pieces = [
            "a", "word", "é", "€", "©", " ", "  ", "\t", "\n", "\r\n", "\u{a0}", "\u{2028}",
            "\u{3000}", "\u{feff}", "\u{1}", "\u{7f}", "\u{85}", "x y", ".", "東京",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for case in 0..5_000 {
            let mut text = String::new();
            for _ in 0..(case % 12) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            for prefix in ["", "x", "x\n"] {
                let (mut fast, mut slow) = (prefix.to_string(), prefix.to_string());
                push_collapsed(&mut fast, &text);
                collapsed_slowly(&mut slow, &text);
                assert_eq!(fast, slow, "{text:?} after {prefix:?}");
            }
        }
    }
}
