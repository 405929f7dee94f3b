//! Reader for Reuters-21578 style SGML newswire files (`.sgm`): one `<REUTERS ... NEWID="n">`
//! element per article with `<DATE>`, and `<TEXT>` holding `<TITLE>`, `<DATELINE>` and `<BODY>`
//! (or, for unprocessed stories, bare text). Ids are `reuters-NEWID`; the closing "Reuter"
//! sign-off is dropped; hard-wrapped lines are joined and indented lines start paragraphs.

use crate::article::Origin;
use crate::normalize::RawRecord;

type Record = Result<RawRecord, (String, String)>;

/// Parses every `<REUTERS>` element of `text`; `name` is the input's display name.
pub(super) fn parse(text: &str, name: &str) -> Vec<Record> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut offset_line = 1u64;
    while let Some(start) = rest.find("<REUTERS") {
        offset_line += rest[..start].matches('\n').count() as u64;
        let element = &rest[start..];
        let (inner, advance) = match element.find("</REUTERS>") {
            Some(end) => (&element[..end], start + end + "</REUTERS>".len()),
            None => {
                out.push(Err((
                    format!("{name}:{offset_line}"),
                    "unterminated <REUTERS> element".to_string(),
                )));
                break;
            }
        };
        out.push(record(inner, name, offset_line));
        offset_line += inner.matches('\n').count() as u64;
        rest = &rest[advance..];
        // `advance` may have skipped the newline count of the closing tag only.
    }
    if out.is_empty() {
        out.push(Err((
            name.to_string(),
            "no <REUTERS> elements found in SGML input".to_string(),
        )));
    }
    out
}

fn record(element: &str, name: &str, line: u64) -> Record {
    let origin = Origin {
        path: name.to_string(),
        line: Some(line),
        item: None,
    };
    let open_end = element.find('>').unwrap_or(element.len());
    let newid = attribute(&element[..open_end], "NEWID");
    let mut raw = RawRecord::new(origin);
    raw.id = newid.map(|n| format!("reuters-{n}"));
    raw.source = Some("Reuters".to_string());
    raw.date = tag(element, "DATE").and_then(|d| reuters_date(d.trim()));
    let text = tag(element, "TEXT").unwrap_or("");
    match (tag(text, "TITLE"), tag(text, "BODY")) {
        (title, body) if title.is_some() || body.is_some() => {
            raw.title = title.map(|t| unescape(t).trim().to_string());
            raw.dateline = tag(text, "DATELINE").map(|d| {
                unescape(d)
                    .trim()
                    .trim_end_matches(['-', ' '])
                    .trim()
                    .to_string()
            });
            raw.body = body.map(|b| paragraphs(&unescape(b)));
        }
        _ => {
            // Unprocessed story: the first line is its headline.
            let plain = unescape(text);
            let plain = plain.trim_start_matches(|c: char| c.is_whitespace() || c.is_control());
            let (first, rest) = plain.split_once('\n').unwrap_or((plain, ""));
            raw.title = Some(first.trim().to_string());
            raw.body = Some(paragraphs(rest));
        }
    }
    Ok(raw)
}

/// The value of `key="..."` in an opening tag.
fn attribute<'a>(open_tag: &'a str, key: &str) -> Option<&'a str> {
    let pat = format!("{key}=\"");
    let start = open_tag.find(&pat)? + pat.len();
    let len = open_tag[start..].find('"')?;
    Some(&open_tag[start..start + len])
}

/// The content of the first `<NAME ...>...</NAME>` in `s`.
fn tag<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}");
    let mut from = 0;
    loop {
        let at = from + s[from..].find(&open)?;
        let after = &s[at + open.len()..];
        // `<TEXT` must not match `<TEXTS`: the next byte ends the tag name.
        if after.starts_with('>') || after.starts_with(' ') {
            let content_start = at + open.len() + after.find('>')? + 1;
            let close = format!("</{name}>");
            let end = s[content_start..]
                .find(&close)
                .map_or(s.len(), |e| content_start + e);
            return Some(&s[content_start..end]);
        }
        from = at + open.len();
    }
}

/// SGML character references and entities → text; control characters dropped.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let semi = tail.find(';').filter(|&i| i <= 8);
        let replaced = semi.and_then(|i| {
            let entity = &tail[1..i];
            let ch = match entity {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => entity
                    .strip_prefix('#')
                    .and_then(|n| n.parse::<u32>().ok())
                    .and_then(char::from_u32),
            }?;
            Some((ch, i + 1))
        });
        match replaced {
            Some((ch, used)) => {
                if !ch.is_control() || ch == '\n' {
                    out.push(ch);
                }
                rest = &tail[used..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out.retain(|c| !c.is_control() || c == '\n');
    out
}

/// Wire text → paragraphs: an indented line starts a paragraph, other lines continue it; the
/// closing "Reuter" sign-off is dropped.
fn paragraphs(s: &str) -> String {
    let mut paras: Vec<String> = Vec::new();
    for line in s.lines() {
        let starts_new = line.starts_with(' ') || line.starts_with('\t');
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match paras.last_mut() {
            Some(p) if !starts_new => {
                p.push(' ');
                p.push_str(line);
            }
            _ => paras.push(line.to_string()),
        }
    }
    if paras.last().is_some_and(|p| p == "Reuter" || p == "REUTER") {
        paras.pop();
    }
    paras.join("\n\n")
}

/// `26-FEB-1987 15:01:01.79` → `1987-02-26T15:01:01Z`.
fn reuters_date(s: &str) -> Option<String> {
    let (day_part, time) = s.split_once(' ').unwrap_or((s, "00:00:00"));
    let mut parts = day_part.split('-');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    let month = match m.to_ascii_uppercase().as_str() {
        "JAN" => 1,
        "FEB" => 2,
        "MAR" => 3,
        "APR" => 4,
        "MAY" => 5,
        "JUN" => 6,
        "JUL" => 7,
        "AUG" => 8,
        "SEP" => 9,
        "OCT" => 10,
        "NOV" => 11,
        "DEC" => 12,
        _ => return None,
    };
    let day: u32 = d.trim().parse().ok()?;
    let year: u32 = y.trim().parse().ok()?;
    let hms = time.split('.').next().unwrap_or("00:00:00").trim();
    Some(format!("{year:04}-{month:02}-{day:02}T{hms}Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n\
<REUTERS TOPICS=\"YES\" NEWID=\"7\">\n<DATE> 3-MAR-1987 09:15:02.11</DATE>\n\
<PLACES><D>chile</D></PLACES>\n<TEXT>&#2;\n<TITLE>COPPER OUTPUT &lt;UP> IN CHILE</TITLE>\n\
<DATELINE>    SANTIAGO, March 3 - </DATELINE><BODY>Copper output rose in\nJanuary, the mining \
ministry said.\n    Exports were steady &amp; prices firm.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n\
<REUTERS NEWID=\"8\">\n<DATE>3-MAR-1987 10:00:00.00</DATE>\n<TEXT TYPE=\"UNPROC\">&#2;\n\
TRADE FIGURES - MARCH 3\n    Imports 5.2 vs 4.9\n Reuter\n&#3;</TEXT>\n</REUTERS>\n";

    #[test]
    fn reads_titles_datelines_bodies_and_ids() {
        let recs: Vec<RawRecord> = parse(SAMPLE, "r.sgm")
            .into_iter()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(recs.len(), 2);
        let a = &recs[0];
        assert_eq!(a.id.as_deref(), Some("reuters-7"));
        assert_eq!(a.title.as_deref(), Some("COPPER OUTPUT <UP> IN CHILE"));
        assert_eq!(a.dateline.as_deref(), Some("SANTIAGO, March 3"));
        assert_eq!(
            a.body.as_deref(),
            Some("Copper output rose in January, the mining ministry said.\n\nExports were steady & prices firm.")
        );
        assert_eq!(a.date.as_deref(), Some("1987-03-03T09:15:02Z"));
        assert_eq!(a.origin.line, Some(2));
        let b = &recs[1];
        assert_eq!(b.id.as_deref(), Some("reuters-8"));
        assert_eq!(b.title.as_deref(), Some("TRADE FIGURES - MARCH 3"));
        assert_eq!(b.body.as_deref(), Some("Imports 5.2 vs 4.9"));
        assert_eq!(b.origin.line, Some(13));
    }

    #[test]
    fn broken_input_is_reported_not_panicked_on() {
        let recs = parse("<REUTERS NEWID=\"1\"><TEXT><TITLE>cut off", "x.sgm");
        assert!(recs[0].is_err());
        let recs = parse("plain text without markup", "y.sgm");
        assert_eq!(
            recs[0].as_ref().unwrap_err().1,
            "no <REUTERS> elements found in SGML input"
        );
        assert_eq!(
            unescape("a &#99999999; b & c &lt;"),
            "a &#99999999; b & c <"
        );
    }
}
