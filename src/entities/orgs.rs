//! Organizations: canonical names for the tagger's ORG mentions. Folds common news abbreviations
//! through our own alias table ("U.N." → "United Nations"), links an acronym defined in the text
//! ("Support Mission in Libya (UNSMIL)") to its long form, and merges mentions of the same body.

use super::text::{is_all_caps, is_designator, name_key, title_case, MONTHS};
use super::Entity;
use crate::ner::features::QuickMap;

/// Common news organizations: canonical name and the other names it goes by.
const ALIASES: &[(&str, &[&str])] = &[
    (
        "United Nations",
        &["UN", "U.N.", "U.N", "United Nations Organization"],
    ),
    ("European Union", &["EU", "E.U."]),
    (
        "European Community",
        &[
            "EC",
            "E.C.",
            "EEC",
            "European Economic Community",
            "Common Market",
        ],
    ),
    ("NATO", &["North Atlantic Treaty Organization", "N.A.T.O."]),
    (
        "OPEC",
        &[
            "Organization of Petroleum Exporting Countries",
            "Organization of the Petroleum Exporting Countries",
        ],
    ),
    ("International Monetary Fund", &["IMF", "I.M.F."]),
    (
        "World Bank",
        &[
            "International Bank for Reconstruction and Development",
            "IBRD",
        ],
    ),
    ("World Health Organization", &["WHO", "W.H.O."]),
    ("World Trade Organization", &["WTO"]),
    (
        "GATT",
        // "the General Agreement on Tariffs and Trade" is often tagged from "Tariffs" on.
        &[
            "General Agreement on Tariffs and Trade",
            "Tariffs and Trade",
        ],
    ),
    (
        "U.S. Trade Representative",
        // What is left of "U.S. Trade Representative Clayton Yeutter" once the role is cut.
        &[
            "USTR",
            "U.S. Trade",
            "Office of the U.S. Trade Representative",
        ],
    ),
    (
        "Moody's Investors Service",
        &["Moody's", "Moody", "Moody's Investors Service Inc"],
    ),
    (
        "Standard and Poor's",
        &[
            "S&P",
            "S/P",
            "Standard and Poor",
            "Standard and Poor's Corp",
            "Standard and Poor's Ratings Services",
        ],
    ),
    (
        "Federal Reserve",
        &[
            "Fed",
            "Federal Reserve Board",
            "U.S. Federal Reserve",
            "Federal Reserve System",
        ],
    ),
    ("European Central Bank", &["ECB"]),
    ("Securities and Exchange Commission", &["SEC", "S.E.C."]),
    ("Federal Bureau of Investigation", &["FBI", "F.B.I."]),
    ("Central Intelligence Agency", &["CIA", "C.I.A."]),
    ("African Union", &["AU"]),
    ("Arab League", &["League of Arab States"]),
    (
        "Organisation for Economic Co-operation and Development",
        &[
            "OECD",
            "Organization for Economic Cooperation and Development",
        ],
    ),
    ("International Energy Agency", &["IEA"]),
    ("International Atomic Energy Agency", &["IAEA"]),
    (
        "Palestine Liberation Organization",
        &["PLO", "Palestine Liberation Organisation"],
    ),
    (
        "U.S. Department of Agriculture",
        &[
            "USDA",
            "Agriculture Department",
            "U.S. Agriculture Department",
        ],
    ),
    ("U.S. Treasury", &["U.S. Treasury Department"]),
    ("Bank of England", &["BoE"]),
    ("Bank of Japan", &["BoJ", "BOJ"]),
    ("Bundesbank", &["Deutsche Bundesbank"]),
    ("Reuters", &["Reuter"]),
    // Political parties, which news names by their members as often as by their name.
    ("Labour Party", &["Labour", "British Labour Party"]),
    (
        "Conservative Party",
        &[
            "Conservatives",
            "Tories",
            "Tory",
            "Tory Party",
            "Conservative and Unionist Party",
        ],
    ),
    (
        "Liberal Democrats",
        &[
            "Lib Dems",
            "Lib Dem",
            "Liberal Democrat",
            "Liberal Democrat Party",
        ],
    ),
    ("Democratic Party", &["Democrats"]),
    ("Republican Party", &["Republicans", "GOP", "G.O.P."]),
    ("New York Stock Exchange", &["NYSE", "Big Board"]),
    ("National Aeronautics and Space Administration", &["NASA"]),
    (
        "Red Cross",
        &["International Committee of the Red Cross", "ICRC"],
    ),
];

/// Prefixes written out in canonical names ("U.N. Support Mission" → "United Nations Support Mission").
const PREFIXES: &[(&str, &str)] = &[("U.N. ", "United Nations "), ("UN ", "United Nations ")];

fn alias_table() -> &'static QuickMap<String, &'static str> {
    use std::sync::OnceLock;
    static T: OnceLock<QuickMap<String, &'static str>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = QuickMap::default();
        for (canon, names) in ALIASES {
            t.insert(name_key(canon), *canon);
            for n in *names {
                t.insert(name_key(n), *canon);
            }
        }
        t
    })
}

/// Words that name no organization when they stand alone: kinds of bodies ("the Commission", "the
/// Ministry"), the parts of names the tagger sometimes splits off ("Finance" of "Finance
/// Ministry"), and the column heads of dividend tables ("Record", "Payable"). Sorted.
const GENERIC_BODY_WORDS: &[&str] = &[
    "administration",
    "agency",
    "agriculture",
    "association",
    "authority",
    "bank",
    "board",
    "bureau",
    "commission",
    "committee",
    "community",
    "company",
    "congressional",
    "corporation",
    "council",
    "department",
    "federal",
    "federation",
    "finance",
    "fund",
    "government",
    "group",
    "holdings",
    "institute",
    "ministry",
    "office",
    "payable",
    "record",
];

/// Acronyms of things, measures and roles, not of bodies, that the tagger reads as
/// organizations ("a PC", "on DVD", "the MP", "GNP", "EST" of a time). Not those that are also
/// bodies' ("AAA", a credit rating in Reuters, is the athletics association in BBC sport). Keys
/// (lower case, "&" spelt "and"), sorted.
const COMMON_ACRONYMS: &[&str] = &[
    "adsl", "cd", "cds", "dj", "drm", "dvd", "dvds", "edt", "est", "gdp", "gmt", "gnp", "gprs",
    "hd", "id", "lcd", "mep", "meps", "mms", "mp", "mps", "pc", "pcs", "pm", "pr", "pvr",
    "r and b", "sms", "tv", "usb", "vhs",
];

/// Words that lead to a month ("in February", "for April").
const DATE_LEAD_WORDS: &[&str] = &["in", "for", "of", "on", "since", "from", "by", "until"];

/// Roles that end an ORG mention but name a person's title ("U.N. Special Envoy", "EU spokesman").
const ROLE_WORDS: &[&str] = &[
    "envoy",
    "special",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "officials",
    "chief",
    "head",
    "secretary",
    "general",
    "ambassador",
    "representative",
    "chairman",
    "chairwoman",
    "president",
    "director",
];

/// Cleans an ORG mention: punctuation, a leading "the", a possessive, a trailing role; expands
/// known prefixes.
fn clean(surface: &str) -> Option<String> {
    let s = surface.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != ')');
    let s = s
        .strip_suffix("'s")
        .or_else(|| s.strip_suffix("’s"))
        .unwrap_or(s)
        .trim_end_matches(['\'', '’']);
    let s = ["the ", "The ", "THE "]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(s)
        .trim();
    // A role after the body's name is a person's title, not part of the body ("U.N. Special
    // Envoy" is the U.N.'s envoy); a month after it, with the words that lead to the month, is
    // the tagger running on into a date ("Bradlees February sales", "the Fed in February").
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut keys: Vec<String> = words.iter().map(|w| name_key(w)).collect();
    let mut keep = words.len();
    while keep > 0 && ROLE_WORDS.contains(&keys[keep - 1].as_str()) {
        keep -= 1;
    }
    if keep > 0 && MONTHS.contains(&keys[keep - 1].as_str()) {
        keep -= 1;
        while keep > 0 && DATE_LEAD_WORDS.contains(&keys[keep - 1].as_str()) {
            keep -= 1;
        }
        if keep == 0 {
            return None;
        }
    }
    let last_body_word = words[..keep].last();
    let s = match last_body_word {
        // Words are slices of `s`, so the offset of the last one is exact.
        Some(w) => &s[..w.as_ptr() as usize - s.as_ptr() as usize + w.len()],
        None => s,
    };
    if s.is_empty() || !s.chars().any(char::is_alphabetic) {
        return None;
    }
    // Nothing but designators ("Inc" of "<MORSE SHOE INC>"), or one word that is never a name
    // alone (a state's abbreviation in "Quincy, Ill."). The words of `s` are those kept, or all
    // when only role words were left.
    if keep > 0 {
        keys.truncate(keep);
    }
    if keys.iter().all(|k| k.is_empty() || is_designator(k))
        || (keys.len() == 1 && super::people::never_alone(&keys[0]))
    {
        return None;
    }
    // "Co.", "Inc." and "Partners." end a name with or without their dot.
    let s = match keys.last() {
        Some(k) if keys.len() > 1 && is_firm_key(k) && !s.ends_with("..") => {
            let last = s.rsplit(' ').next().unwrap_or(s);
            // "Inc." and "Co." but not "L.P.", whose dot is the abbreviation's.
            match last.strip_suffix('.') {
                Some(l) if !l.contains('.') => &s[..s.len() - 1],
                _ => s,
            }
        }
        _ => s,
    };
    let mut out = s.to_string();
    for (p, full) in PREFIXES {
        if let Some(rest) = out.strip_prefix(p) {
            out = format!("{full}{rest}");
            break;
        }
    }
    if is_all_caps(&out) && out.split_whitespace().count() > 1 {
        out = title_case(&out);
    }
    Some(out)
}

/// Acronyms the text defines: an ORG mention followed by " (ACRONYM)". Returns acronym key →
/// cleaned long form.
fn defined_acronyms(text: &str, spans: &[(usize, usize, &str)]) -> QuickMap<String, String> {
    let mut out = QuickMap::default();
    for &(_, end, surface) in spans {
        let rest = &text[end..];
        let Some(inner) = rest
            .strip_prefix(" (")
            .and_then(|r| r.split_once(')'))
            .map(|(a, _)| a)
        else {
            continue;
        };
        let inner = inner.trim();
        let letters = inner.chars().filter(|c| c.is_alphabetic()).count();
        if !(2..=10).contains(&letters) || !is_all_caps(inner) || inner.contains(' ') {
            continue;
        }
        if let Some(long) = clean(surface) {
            if name_key(&long) != name_key(inner) {
                out.insert(name_key(inner), long);
            }
        }
    }
    // A definition the tagger did not mark as one name ("the United States Africa Command
    // (AFRICOM)"): the capitalized words before the brackets that spell the acronym.
    for (open, inner) in bracketed_acronyms(text) {
        let key = name_key(inner);
        if out.contains_key(&key) {
            continue;
        }
        if let Some(long) = spelled_long_form(&text[..open], &key) {
            out.insert(key, long);
        }
    }
    out
}

/// Byte spans of the long forms the text defines by an acronym in brackets that they spell
/// ("United States Africa Command (AFRICOM)").
pub fn acronym_long_forms(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (open, inner) in bracketed_acronyms(text) {
        if let Some(long) = spelled_long_form(&text[..open], &name_key(inner)) {
            out.push((open - long.len(), open));
        }
    }
    out
}

/// Each ` (ACRONYM)` of the text: the offset of the space before the bracket and the acronym.
fn bracketed_acronyms(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for open in memchr::memmem::find_iter(text.as_bytes(), b" (") {
        let from = open + 2;
        // An acronym is short: its closing bracket is near (ASCII bytes, so the cut is exact).
        let near = &text.as_bytes()[from..text.len().min(from + 24)];
        let Some(close) = near.iter().position(|&b| b == b')') else {
            continue;
        };
        let inner = text[from..from + close].trim();
        let letters = inner.chars().filter(|c| c.is_alphabetic()).count();
        if (3..=10).contains(&letters) && is_all_caps(inner) && !inner.contains(' ') {
            out.push((open, inner));
        }
    }
    out
}

/// Words that may sit inside a long form without a capital ("Mission in Libya").
const CONNECTORS: &[&str] = &["of", "in", "for", "and", "on", "the", "de", "du", "des"];

/// The longest run of capitalized words ending `before` whose word prefixes spell `acronym` (a
/// [`name_key`]). A leading country name may spell nothing ("United States Africa Command",
/// AFRICOM).
fn spelled_long_form(before: &str, acronym: &str) -> Option<String> {
    let line = before.rsplit('\n').next().unwrap_or(before);
    let mut words: Vec<&str> = Vec::new();
    for w in line.split(' ').rev() {
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        let plain = w
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if !plain || !(capital || CONNECTORS.contains(&w)) || words.len() >= 10 {
            break;
        }
        words.push(w);
    }
    words.reverse();
    while words.first().is_some_and(|w| CONNECTORS.contains(w)) {
        words.remove(0);
    }
    let letters: Vec<char> = acronym.chars().filter(|c| c.is_alphanumeric()).collect();
    for start in 0..words.len() {
        let cand = &words[start..];
        let keys: Vec<String> = cand.iter().map(|w| name_key(w).replace(' ', "")).collect();
        let spelled = spells(&letters, &keys, true);
        // A leading country ("United States", "U.S.") may be left out of the letters.
        let with_country = (1..cand.len()).any(|n| {
            crate::entities::country_name(&cand[..n].join(" ")).is_some()
                && spells(&letters, &keys[n..], true)
        });
        if spelled || with_country {
            return Some(cand.join(" "));
        }
    }
    None
}

/// Whether `letters` is the concatenation of a non-empty prefix of each word in order (connector
/// words may give none).
fn spells(letters: &[char], words: &[String], first: bool) -> bool {
    let Some((w, rest)) = words.split_first() else {
        return letters.is_empty();
    };
    let optional = !first && CONNECTORS.contains(&w.as_str());
    if optional && spells(letters, rest, false) {
        return true;
    }
    let wc: Vec<char> = w.chars().collect();
    (1..=wc.len().min(letters.len()))
        .any(|n| letters[..n] == wc[..n] && spells(&letters[n..], rest, false))
}

/// Words that end a partnership's name after "and" or "&" ("James Capel and Co", "Alex. Brown and
/// Sons"), as name keys.
const PARTNERSHIP_ENDS: &[&str] = &[
    "co",
    "cos",
    "company",
    "sons",
    "associates",
    "partners",
    "brothers",
];

/// Most words a firm's name runs on for after the name it starts with.
const FIRM_WORDS: usize = 5;
/// Most bytes a firm's name runs on for after the name it starts with.
const FIRM_REACH: usize = 160;

/// Where a firm's name ends, when the name that ends at `from` begins one: the name runs on, in
/// the same paragraph, over capitalized words joined by spaces, commas and "and" or "&", to a company
/// designator ("Salomon Brothers Inc", "E.F. Hutton LBO Inc") or a partnership word after "and"
/// ("Kidder, Peabody and Co", "James Capel and Co"), and takes the designators after it ("Alex.
/// Brown and Sons Inc"). A comma right after the first name is allowed in a partnership's name
/// only ("Kidder, Peabody and Co"). `comma` is false after a person's full name: no comma then
/// ("said Daniel McKinley, Smith Barney, Harris Upham and Co"), and no "and" but the one that
/// ends the name. `initial` allows the dot of an abbreviated first name ("Alex. Brown").
pub fn firm_name_end(text: &str, from: usize, comma: bool, initial: bool) -> Option<usize> {
    // The rest of the paragraph, as far as a firm's name can reach: hard-wrapped text breaks
    // names across lines.
    let mut reach = text.len().min(from + FIRM_REACH);
    while !text.is_char_boundary(reach) {
        reach -= 1;
    }
    let rest = &text[from..reach];
    let rest = &rest[..memchr::memmem::find(rest.as_bytes(), b"\n\n").unwrap_or(rest.len())];
    let mut pos = if initial && rest.starts_with(". ") {
        1
    } else {
        0
    };
    let mut words = 0;
    let mut joined = false;
    let mut after_comma = false;
    loop {
        let r = &rest[pos..];
        let has_comma = r.starts_with(',');
        let mut i = usize::from(has_comma) + space_run(&r[usize::from(has_comma)..])?;
        let conj = !has_comma
            && ["and", "&"].into_iter().any(|c| {
                let n = r[i..]
                    .starts_with(c)
                    .then(|| space_run(&r[i + c.len()..]))
                    .flatten();
                if let Some(n) = n {
                    i += c.len() + n;
                }
                n.is_some()
            });
        if has_comma && words == 0 {
            if !comma {
                return None;
            }
            after_comma = true;
        }
        let len = r[i..]
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '\'' | '-')))
            .unwrap_or(r.len() - i);
        let word = &r[i..i + len];
        let key = name_key(word);
        if key.is_empty() {
            return None;
        }
        pos += i + len;
        // A partnership word is capitalized ("the Bryan brothers" are two men); a designator
        // need not be ("General Dynamics corp").
        let capital = word.starts_with(|c: char| c.is_uppercase());
        let ends = if conj {
            capital && PARTNERSHIP_ENDS.contains(&key.as_str())
        } else {
            is_designator(&key) || (capital && key == "brothers")
        };
        // After a comma, only a partnership's "and" makes a firm of the name before it: "E.
        // Gerald Corrigan, Federal Deposit Insurance Corp chairman" names a person.
        if ends {
            return (joined || conj || !after_comma)
                .then(|| from + pos + trailing_designators(&rest[pos..]));
        }
        // A second "and" joins two names ("Wagner and Brown and AFG Industries Inc"), and so does
        // one after a person's full name unless it ends the firm's name ("James Capel and Co",
        // but "Asher Edelman and Dominion Textiles Inc").
        if !capital || words == FIRM_WORDS || (conj && (joined || !comma)) {
            return None;
        }
        joined |= conj;
        words += 1;
    }
}

/// Whether an organization's name key is a firm's: it ends in a company designator or a
/// partnership word ("kidder peabody and co", "chrysler corp").
pub fn is_firm_key(key: &str) -> bool {
    key.rsplit(' ')
        .next()
        .is_some_and(|w| is_designator(w) || PARTNERSHIP_ENDS.contains(&w))
}

/// Length of the run of whitespace that opens `s`, when there is one and it holds at most one
/// line break.
fn space_run(s: &str) -> Option<usize> {
    let n = s.find(|c: char| !c.is_whitespace()).unwrap_or(s.len());
    (n > 0 && s[..n].matches('\n').count() <= 1).then_some(n)
}

/// Length of the designators that open `rest` (" Inc", ", Inc.", " Ltd", " L.P.").
fn trailing_designators(rest: &str) -> usize {
    let mut len = 0;
    loop {
        let r = &rest[len..];
        let comma = usize::from(r.starts_with(','));
        let Some(space) = space_run(&r[comma..]) else {
            return len;
        };
        let start = comma + space;
        let word_len = r[start..]
            .find(|c: char| !(c.is_alphanumeric() || c == '.'))
            .unwrap_or(r.len() - start);
        if !is_designator(&name_key(&r[start..start + word_len])) {
            return len;
        }
        len += start + word_len;
    }
}

/// Firms whose name joins two names by "and", which taggers split in two ("Standard" and
/// "Poor's Corp"); "&" spellings are found too.
const JOINED_NAMES: &[&str] = &[
    "Standard and Poor's",
    "Johnson and Johnson",
    "Procter and Gamble",
    "Marks and Spencer",
    "Ernst and Young",
    "Arthur Andersen and Co",
    "Barnes and Noble",
    "Black and Decker",
    "Dun and Bradstreet",
];

/// Byte spans of the [`JOINED_NAMES`] in `text`, ASCII case ignored, with the designators after
/// them ("Standard and Poor's Corp").
pub fn joined_name_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let word_at = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_alphanumeric);
    // Each joining word of the text, then the names it may join: one pass over the text.
    let ampersands = memchr::memchr_iter(b'&', bytes)
        .filter(|&i| i > 0 && bytes[i - 1] == b' ' && bytes.get(i + 1) == Some(&b' '))
        .map(|i| (i - 1, " & "));
    let joins = memchr::memmem::find_iter(bytes, b" and ")
        .map(|i| (i, " and "))
        .chain(ampersands);
    for (at, join) in joins {
        for name in JOINED_NAMES {
            let (left, right) = name.split_once(" and ").unwrap_or((name, ""));
            let (Some(s), e) = (at.checked_sub(left.len()), at + join.len() + right.len()) else {
                continue;
            };
            let matches = |range: std::ops::Range<usize>, part: &str| {
                bytes
                    .get(range)
                    .is_some_and(|b| b.eq_ignore_ascii_case(part.as_bytes()))
            };
            if matches(s..at, left)
                && matches(at + join.len()..e, right)
                && (s == 0 || !word_at(s - 1))
                && !word_at(e)
            {
                out.push((s, e + trailing_designators(&text[e..])));
            }
        }
    }
    out.sort_unstable();
    out
}

/// Canonical organizations from ORG mentions given as `(start, end, text)` byte spans of `text`,
/// in text order. `definers` are the mentions that may define an acronym (usually all of them).
pub fn canonical_orgs(
    text: &str,
    spans: &[(usize, usize, &str)],
    definers: &[(usize, usize, &str)],
) -> Vec<Entity> {
    let acronyms = defined_acronyms(text, definers);
    let aliases = alias_table();
    let mut named: Vec<(&str, String)> = Vec::new();
    for &(_, _, surface) in spans {
        let Some(cleaned) = clean(surface) else {
            continue;
        };
        let key = name_key(&cleaned);
        let canon = match acronyms.get(&key) {
            Some(long) => aliases
                .get(&name_key(long))
                .map_or_else(|| long.clone(), |c| c.to_string()),
            None => aliases
                .get(&key)
                .map_or_else(|| cleaned.clone(), |c| c.to_string()),
        };
        named.push((surface, canon));
    }
    // A one-word short form ("Atletico") stands for the one longer name of the article that
    // starts with it ("Atletico Madrid"). Known bodies ("United Nations") and acronyms ("BBC" of
    // "BBC Sport") keep their own name.
    let longer_form = |canon: &str| -> Option<String> {
        let key = name_key(canon);
        if key.contains(' ') || is_all_caps(canon) || aliases.contains_key(&key) {
            return None;
        }
        let prefix = format!("{key} ");
        let longer: Vec<&String> = named
            .iter()
            .map(|(_, c)| c)
            .filter(|c| name_key(c).starts_with(&prefix))
            .collect();
        // Several longer names that all start with the shortest of them ("Bank of England",
        // and "Bank of England Resists" of a headline) stand for the shortest.
        let shortest = longer.iter().min_by_key(|c| c.len())?;
        let short_key = name_key(shortest);
        let within = format!("{short_key} ");
        longer
            .iter()
            .map(|c| name_key(c))
            .all(|k| k == short_key || k.starts_with(&within))
            .then(|| (*shortest).clone())
    };
    let mut out: Vec<Entity> = Vec::new();
    let mut slot: QuickMap<String, usize> = QuickMap::default();
    for (surface, c) in &named {
        let canon = longer_form(c).unwrap_or_else(|| c.clone());
        let key = name_key(&canon);
        // What is still one generic word after that ("the Commission", "the Bank", a table's
        // "Record" and "Payable") names no particular body across an archive, and the acronym
        // of a thing or a role ("PC", "MP") names none at all: both are left out.
        if GENERIC_BODY_WORDS.contains(&key.as_str()) || COMMON_ACRONYMS.contains(&key.as_str()) {
            continue;
        }
        let i = *slot.entry(key).or_insert_with(|| {
            out.push(Entity {
                name: canon,
                mentions: 0,
                surface: Vec::new(),
            });
            out.len() - 1
        });
        out[i].mentions += 1;
        let surface = surface.trim().to_string();
        if !out[i].surface.contains(&surface) {
            out[i].surface.push(surface);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn firm_and_acronym_scans_take_any_text() {
        let texts = [
            "Kidder, Peabody and Co Inc. said Ångström &",
            "É. Brown and\u{a0}Sons Ltd — Zoë & Co, Inc (ÉÉÉ) (ABC",
            "Standard and Poor’s & Johnson & Johnson and",
            "x ( ) (A) (ABCDEFGHIJKLMNOPQRSTUVWXYZ) and & , . \n\n and Co",
            "",
        ];
        for text in texts {
            let _ = joined_name_spans(text);
            let _ = acronym_long_forms(text);
            for (from, _) in text.char_indices().chain([(text.len(), ' ')]) {
                for (comma, initial) in [(true, true), (false, false)] {
                    if let Some(end) = firm_name_end(text, from, comma, initial) {
                        assert!(end > from && text.is_char_boundary(end), "{text:?} {from}");
                    }
                }
            }
        }
        assert_eq!(
            firm_name_end("Kidder, Peabody and Co Inc. said", 6, true, true),
            Some(27)
        );
    }

    fn spans<'a>(text: &'a str, names: &[&str]) -> Vec<(usize, usize, &'a str)> {
        let mut out = Vec::new();
        let mut from = 0;
        for n in names {
            let s = from + text[from..].find(n).expect("mention in text");
            out.push((s, s + n.len(), &text[s..s + n.len()]));
            from = s + n.len();
        }
        out
    }

    #[test]
    fn a_lone_generic_word_is_no_organization() {
        let text = "The Bank of Tarnby said the Bank would act. The Commission met. \
                    Record May 4, Payable June 1. Ministry staff and Oxfam agreed.";
        let m = spans(
            text,
            &[
                "Bank of Tarnby",
                "Bank",
                "Commission",
                "Record",
                "Payable",
                "Ministry",
                "Oxfam",
            ],
        );
        let got = canonical_orgs(text, &m, &m);
        let names: Vec<(&str, u32)> = got.iter().map(|e| (e.name.as_str(), e.mentions)).collect();
        // "Bank" is the article's one longer name that starts with it; the others name nothing.
        assert_eq!(names, vec![("Bank of Tarnby", 2), ("Oxfam", 1)]);
        for list in [GENERIC_BODY_WORDS, COMMON_ACRONYMS] {
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            assert_eq!(sorted, list, "kept sorted");
        }
        // Acronyms of things and roles too, but not those of bodies.
        let text = "The MP bought a PC and a DVD from the BBC for R&B fans.";
        let m = spans(text, &["MP", "PC", "DVD", "BBC", "R&B"]);
        let got: Vec<String> = canonical_orgs(text, &m, &m)
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(got, vec!["BBC"]);
    }

    #[test]
    fn aliases_fold_and_prefixes_expand() {
        let text = "The U.N. said. UN staff met the United Nations team and U.N. Relief Office.";
        let m = spans(
            text,
            &["U.N.", "UN", "United Nations", "U.N. Relief Office"],
        );
        let got = canonical_orgs(text, &m, &m);
        let names: Vec<(&str, u32)> = got.iter().map(|e| (e.name.as_str(), e.mentions)).collect();
        assert_eq!(
            names,
            vec![("United Nations", 3), ("United Nations Relief Office", 1)]
        );
        assert_eq!(got[0].surface, vec!["U.N.", "UN", "United Nations"]);
    }

    #[test]
    fn a_party_named_by_its_members_is_the_party() {
        let text = "The Lib Dems and the Tories attacked Labour; Conservatives and Liberal \
                    Democrats voted, and the Labour Party won.";
        let m = spans(
            text,
            &[
                "Lib Dems",
                "Tories",
                "Labour",
                "Conservatives",
                "Liberal Democrats",
                "Labour Party",
            ],
        );
        let got = canonical_orgs(text, &m, &m);
        let mut names: Vec<(&str, u32)> =
            got.iter().map(|e| (e.name.as_str(), e.mentions)).collect();
        names.sort();
        assert_eq!(
            names,
            vec![
                ("Conservative Party", 2),
                ("Labour Party", 2),
                ("Liberal Democrats", 2)
            ]
        );
    }

    #[test]
    fn a_short_form_joins_the_one_longer_name_it_starts() {
        let text =
            "Rovers won. Rovers Lindholm fans cheered; Bay City and Bay Harbour lost to Bay. KTV, KTV Sport";
        let m = spans(
            text,
            &[
                "Rovers",
                "Rovers Lindholm",
                "Bay City",
                "Bay Harbour",
                "Bay",
                "KTV",
                "KTV Sport",
            ],
        );
        let got = canonical_orgs(text, &m, &m);
        let names: Vec<(&str, u32)> = got.iter().map(|e| (e.name.as_str(), e.mentions)).collect();
        assert_eq!(
            names,
            vec![
                ("Rovers Lindholm", 2),
                ("Bay City", 1),
                ("Bay Harbour", 1),
                ("Bay", 1),
                ("KTV", 1),
                ("KTV Sport", 1)
            ]
        );
    }

    #[test]
    fn a_role_after_a_body_is_not_part_of_it() {
        let text = "said U.N. Special Envoy Jan Kubis, and an EU spokesman and the UN agreed";
        let got: Vec<String> = canonical_orgs(
            text,
            &spans(text, &["U.N. Special Envoy", "EU spokesman", "UN"]),
            &[],
        )
        .into_iter()
        .map(|e| e.name)
        .collect();
        assert_eq!(got, vec!["United Nations", "European Union"]);
        assert_eq!(
            clean("Special Envoy"),
            Some("Special Envoy".into()),
            "a lone role stays"
        );
    }

    #[test]
    fn a_month_the_tagger_ran_on_into_is_not_part_of_the_name() {
        let text = "Kestrel Stores Inc October sales rose 4 pct, and the Bundesbank in March \
                    and the Central Statistics Office for June said prices fell.";
        let got: Vec<String> = canonical_orgs(
            text,
            &spans(
                text,
                &[
                    "Kestrel Stores Inc October",
                    "Bundesbank in March",
                    "Central Statistics Office for June",
                ],
            ),
            &[],
        )
        .into_iter()
        .map(|e| e.name)
        .collect();
        assert_eq!(
            got,
            vec![
                "Kestrel Stores Inc",
                "Bundesbank",
                "Central Statistics Office"
            ]
        );
        assert_eq!(clean("For April"), None, "nothing but a date");
        assert_eq!(
            clean("Special Envoy in May"),
            Some("Special Envoy".into()),
            "a lone role stays, without its date"
        );
        assert_eq!(
            clean("Ministry of Finance"),
            Some("Ministry of Finance".into())
        );
    }

    #[test]
    fn an_acronym_spelled_by_untagged_capitalized_words_links_to_them() {
        let text = "In June, the United States Africa Command (AFRICOM) said so. AFRICOM added \
                    that the Port Safety Office of Kenya (PSOK) agreed.";
        let m = spans(text, &["AFRICOM", "AFRICOM", "PSOK"]);
        let got: Vec<(String, u32)> = canonical_orgs(text, &m, &[])
            .into_iter()
            .map(|e| (e.name, e.mentions))
            .collect();
        assert_eq!(
            got,
            vec![
                ("United States Africa Command".into(), 2),
                ("Port Safety Office of Kenya".into(), 1)
            ]
        );
        // Words that do not spell it are not taken.
        let text = "Shares of Big River Mills (XYZ) fell.";
        let m = spans(text, &["XYZ"]);
        assert_eq!(canonical_orgs(text, &m, &[])[0].name, "XYZ");
    }

    #[test]
    fn acronym_defined_in_text_links_to_long_form() {
        let text = "The Harbour Safety Board (HSB) met. Later the HSB's chief spoke.";
        let m = spans(text, &["Harbour Safety Board", "HSB's"]);
        let got = canonical_orgs(text, &m, &m);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].name, "Harbour Safety Board");
        assert_eq!(got[0].mentions, 2);
    }
}
