//! Plain-text articles: headline on the first non-empty line, an optional photo-caption line right
//! under it, then the body, which may open with a dateline. Also home of the caption and dateline
//! recognizers that the JSON and HTML readers share.

use crate::article::Origin;
use crate::normalize::{normalize_line_endings, RawRecord};

/// Agencies and picture desks whose name alone, in parentheses, credits a photo.
const PHOTO_CREDITS: &[&str] = &[
    "ap",
    "afp",
    "reuters",
    "epa",
    "epa-efe",
    "efe",
    "getty",
    "getty images",
    "xinhua",
    "bloomberg",
    "pa",
    "pa wire",
    "pa media",
    "dpa",
    "ansa",
    "anadolu",
    "kyodo",
    "yonhap",
    "shutterstock",
    "pool",
    "upi",
    "aap",
    "sipa",
    "alamy",
    "nasa",
    "handout",
];
/// A first line longer than this (in characters) is a paragraph, not a headline: the whole file is
/// body and the title is derived from it.
const HEADLINE_MAX: usize = 300;
/// Longest text before a dateline's dash, in characters.
const DATELINE_MAX: usize = 100;
/// Most words a dateline's place may have ("RIO DE JANEIRO", "SAO JOSE DOS CAMPOS").
const PLACE_MAX_WORDS: usize = 4;
/// Prose follows a dateline: one of its first words has a lower-case letter (tables and all-caps
/// headers do not).
const PROSE_WORDS: usize = 4;

/// Reads one plain-text article (already decoded).
pub fn parse(text: &str, origin: Origin) -> RawRecord {
    let text = normalize_line_endings(text);
    let mut record = RawRecord::new(origin);
    let mut rest: &str = &text;
    let mut title = None;
    while !rest.is_empty() {
        let (line, tail) = split_line(rest);
        rest = tail;
        if !line.trim().is_empty() {
            title = Some(line.to_string());
            break;
        }
    }
    if title
        .as_ref()
        .is_some_and(|t| t.chars().count() > HEADLINE_MAX)
    {
        let (dateline, body) = take_dateline(&text);
        record.dateline = dateline;
        record.body = Some(body.to_string());
        return record;
    }
    record.title = title;

    // A caption is the first non-blank line under the headline, if it ends in a photo credit.
    let mut probe = rest;
    while !probe.is_empty() {
        let (line, tail) = split_line(probe);
        if line.trim().is_empty() {
            probe = tail;
            continue;
        }
        if is_caption(line) {
            record.caption = Some(line.to_string());
            rest = tail;
        }
        break;
    }

    let (dateline, body) = take_dateline(rest);
    record.dateline = dateline;
    record.body = Some(body.to_string());
    record
}

fn split_line(s: &str) -> (&str, &str) {
    match s.find('\n') {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    }
}

/// True when `line` ends in a parenthesized photo credit: "(AP Photo)", "(AP Photo/Jane Doe)",
/// "(Reuters)", "(Getty Images)", "(Photo: City Council)".
pub fn is_caption(line: &str) -> bool {
    let line = line.trim();
    let Some(without_close) = line.strip_suffix(')') else {
        return false;
    };
    let Some(open) = without_close.rfind('(') else {
        return false;
    };
    if without_close[..open]
        .trim()
        .chars()
        .filter(|c| c.is_alphabetic())
        .count()
        < 3
    {
        return false;
    }
    let credit = without_close[open + 1..].trim().to_lowercase();
    if credit.is_empty() || credit.len() > 80 {
        return false;
    }
    if credit.contains("photo") || credit.contains("image") || credit.contains("picture") {
        return true;
    }
    let agency = credit.split('/').next().unwrap_or("").trim();
    PHOTO_CREDITS.contains(&agency)
}

/// Splits a leading dateline off `body`: "GENEVA (Reuters) - Talks…", "NEW YORK, March 3 - Stocks…",
/// "LONDON (AP) — Rain…", "NAIROBI, Kenya, Nov. 12, 2024 — …". Returns the dateline without its
/// dash and the body from the first word after it; without a dateline, the body unchanged.
pub fn take_dateline(body: &str) -> (Option<String>, &str) {
    let start = body.trim_start();
    let window_end = start
        .char_indices()
        .nth(DATELINE_MAX)
        .map_or(start.len(), |(i, _)| i);
    let window = &start[..window_end];
    let Some((head_end, sep_len, strong)) = find_dash(window) else {
        return (None, body);
    };
    let head = window[..head_end].trim();
    let after = start[head_end + sep_len..].trim_start_matches([' ', '\t']);
    let prose = after
        .split_whitespace()
        .take(PROSE_WORDS)
        .any(|w| w.chars().any(char::is_lowercase));
    if !prose || window[..head_end].contains('\n') || !is_dateline_head(head, strong) {
        return (None, body);
    }
    (Some(head.to_string()), after)
}

/// The first dash that can end a dateline: an em or en dash, `--`, or a hyphen with a space after it
/// and a space or `)` before it. Returns (byte offset, separator length, is it an em/en dash or `--`).
fn find_dash(window: &str) -> Option<(usize, usize, bool)> {
    let bytes = window.as_bytes();
    for (i, c) in window.char_indices() {
        match c {
            '\u{2014}' | '\u{2013}' => return Some((i, c.len_utf8(), true)),
            '-' if bytes.get(i + 1) == Some(&b'-') => return Some((i, 2, true)),
            '-' => {
                let before_ok = i > 0 && matches!(bytes[i - 1], b' ' | b')');
                let after_ok = matches!(bytes.get(i + 1), Some(b' ') | Some(b'\t'));
                if before_ok && after_ok {
                    return Some((i, 1, false));
                }
            }
            _ => {}
        }
    }
    None
}

/// A dateline head is an all-capitals place, then optional ", Qualifier" / ", Month Day[, Year]" parts
/// and an optional "(Agency)". A bare place needs a strong dash (em/en dash or `--`).
fn is_dateline_head(head: &str, strong_dash: bool) -> bool {
    let place_end = head.find([',', '(']).unwrap_or(head.len());
    let place = head[..place_end].trim();
    if !is_caps_place(place) {
        return false;
    }
    let mut rest = head[place_end..].trim();
    let mut qualified = false;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('(') {
            let Some(close) = inner.find(')') else {
                return false;
            };
            if !is_agency(inner[..close].trim()) {
                return false;
            }
            rest = inner[close + 1..].trim();
        } else if let Some(inner) = rest.strip_prefix(", ") {
            let end = inner.find([',', '(']).unwrap_or(inner.len());
            let part = inner[..end].trim();
            let words: Vec<&str> = part.split_whitespace().collect();
            if words.is_empty()
                || words.len() > 4
                || !words
                    .iter()
                    .all(|w| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()))
            {
                return false;
            }
            rest = inner[end..].trim();
        } else {
            return false;
        }
        qualified = true;
    }
    qualified || strong_dash
}

/// "(Reuters)", "(AP)", "(Continental Wire)": a capitalized name of at most three words, in capitals
/// only when short or a known agency (so "(YEN PER KILO)" or "(REVISED)" are not agencies).
fn is_agency(agency: &str) -> bool {
    let words = agency.split_whitespace().count();
    if !(1..=3).contains(&words) || !agency.starts_with(char::is_uppercase) {
        return false;
    }
    agency.chars().any(char::is_lowercase)
        || (words == 1 && agency.chars().count() <= 5)
        || PHOTO_CREDITS.contains(&agency.to_lowercase().as_str())
}

fn is_caps_place(place: &str) -> bool {
    let words = place.split_whitespace().count();
    let letters = place.chars().filter(|c| c.is_alphabetic()).count();
    (1..=PLACE_MAX_WORDS).contains(&words)
        && letters >= 2
        && place.chars().all(|c| {
            (c.is_alphabetic() && !c.is_lowercase())
                || matches!(c, ' ' | '.' | '\'' | '\u{2019}' | '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin {
            path: "t.txt".to_string(),
            line: None,
            item: None,
        }
    }

    #[test]
    fn seed_layout_with_caption_and_dateline() {
        let text = "Ceasefire talks resume in Geneva\n\
                    Delegates arrive at the Palais des Nations in Geneva, March 2, 2021. (AP Photo/Jane Doe)\n\
                    \n\
                    \n\
                    GENEVA (Reuters) - Military delegates met on Wednesday\n\
                    to draft a withdrawal plan.\n\
                    \n\
                    The meeting was facilitated by the U.N.\n";
        let r = parse(text, origin());
        assert_eq!(r.title.as_deref(), Some("Ceasefire talks resume in Geneva"));
        assert_eq!(
            r.caption.as_deref(),
            Some("Delegates arrive at the Palais des Nations in Geneva, March 2, 2021. (AP Photo/Jane Doe)")
        );
        assert_eq!(r.dateline.as_deref(), Some("GENEVA (Reuters)"));
        let body = r.body.expect("body");
        assert!(
            body.starts_with("Military delegates met on Wednesday\nto draft"),
            "{body}"
        );
        assert!(body.ends_with("facilitated by the U.N.\n"));
    }

    #[test]
    fn bbc_layout_has_no_caption_or_dateline() {
        let text = "\n\nMarket rally lifts shares\n\nShares rose 2% (to £3.10) on Monday.\n\nTraders were pleased.";
        let r = parse(text, origin());
        assert_eq!(r.title.as_deref(), Some("Market rally lifts shares"));
        assert_eq!(r.caption, None);
        assert_eq!(r.dateline, None);
        assert_eq!(
            r.body.as_deref(),
            Some("\nShares rose 2% (to £3.10) on Monday.\n\nTraders were pleased.")
        );
    }

    #[test]
    fn crlf_files_parse_like_lf_files() {
        let lf = parse(
            "Title\nA caption here (Reuters)\n\nLONDON (AP) \u{2014} Rain fell.\n",
            origin(),
        );
        let crlf = parse(
            "Title\r\nA caption here (Reuters)\r\n\r\nLONDON (AP) \u{2014} Rain fell.\r\n",
            origin(),
        );
        assert_eq!(lf, crlf);
        assert_eq!(lf.caption.as_deref(), Some("A caption here (Reuters)"));
        assert_eq!(lf.dateline.as_deref(), Some("LONDON (AP)"));
        assert_eq!(lf.body.as_deref(), Some("Rain fell.\n"));
    }

    #[test]
    fn headline_only_file() {
        let r = parse("Just a headline", origin());
        assert_eq!(r.title.as_deref(), Some("Just a headline"));
        assert_eq!(r.body.as_deref(), Some(""));
    }

    #[test]
    fn a_long_first_line_is_body_not_headline() {
        let paragraph = "word ".repeat(70);
        let r = parse(&format!("{paragraph}\n\nSecond paragraph."), origin());
        assert_eq!(r.title, None);
        assert_eq!(
            r.body.as_deref(),
            Some(format!("{paragraph}\n\nSecond paragraph.").as_str())
        );
    }

    #[test]
    fn caption_credits() {
        for line in [
            "Fans cheer in Madrid. (AP Photo)",
            "A file image of the port. (AP File Photo)",
            "Voters queue in Sao Paulo (Reuters)",
            "Rescue teams at work (AFP)",
            "The minister speaks (AP Photo/Ana Lima)",
            "Players celebrate the title (Getty Images)",
            "Flooded streets in Lagos (Photo: City of Lagos)",
            "Delegates leave the hall (EPA/Peter Klein)",
        ] {
            assert!(is_caption(line), "{line}");
        }
        for line in [
            "Profits rose to $1.13bn (£600m)",
            "The Securities Exchange Commission (SEC)",
            "(AP Photo)",
            "No credit at all.",
        ] {
            assert!(!is_caption(line), "{line}");
        }
    }

    #[test]
    fn dateline_forms() {
        let cases = [
            (
                "GENEVA (Reuters) - Talks began.",
                "GENEVA (Reuters)",
                "Talks began.",
            ),
            (
                "NEW YORK, March 3 - Stocks fell.",
                "NEW YORK, March 3",
                "Stocks fell.",
            ),
            (
                "LONDON (AP) \u{2014} Rain fell.",
                "LONDON (AP)",
                "Rain fell.",
            ),
            (
                "WASHINGTON \u{2014} Congress met.",
                "WASHINGTON",
                "Congress met.",
            ),
            (
                "NAIROBI, Kenya, Nov. 12, 2024 -- Delegates met.",
                "NAIROBI, Kenya, Nov. 12, 2024",
                "Delegates met.",
            ),
            (
                "SÃO PAULO, Oct 6 (Reuters) - Polls closed.",
                "SÃO PAULO, Oct 6 (Reuters)",
                "Polls closed.",
            ),
            (
                "WINSTON-SALEM, N.C., May 2 - Rates held.",
                "WINSTON-SALEM, N.C., May 2",
                "Rates held.",
            ),
        ];
        for (body, dateline, rest) in cases {
            assert_eq!(
                take_dateline(body),
                (Some(dateline.to_string()), rest),
                "{body}"
            );
        }
    }

    #[test]
    fn not_datelines() {
        for body in [
            "UK house prices - the latest figures - rose.",
            "US media giant TimeWarner - which owns AOL - gained.",
            "The vote - held on Sunday - was close.",
            "NATO - the alliance - met.",
            "GENEVA\nTalks began - late.",
            "Shares rose. NEW YORK, March 3 - later.",
            "ROME -",
            "ROME - 12 45 80",
            "TOKYO RUBBER (YEN PER KILO) - APRIL 07  PREV  OPG  1045",
            "LONDON COCOA OPEN POSITION (REVISED) - Apr 6 May 27,836",
            "U.S SPOT PRODUCTS--OUTLOOK--APRIL 07 0930 EST  Spot oil product markets",
            "BUS,PRS JOHANNESBURG CLSG -  7 April DE BEERS 3950",
        ] {
            assert_eq!(take_dateline(body), (None, body), "{body}");
        }
    }
}
