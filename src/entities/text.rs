//! Small text helpers shared by the entity canonicalizers: the accent-folded lookup key used for
//! every name table (gazetteer, aliases, demonyms) and casing repairs for ALL-CAPS text.

use unicode_normalization::UnicodeNormalization;

/// Folds a letter that Unicode decomposition leaves alone ("ø", "ß", "ł") to ASCII.
fn fold_special(c: char) -> Option<&'static str> {
    Some(match c {
        'ø' => "o",
        'Ø' => "O",
        'æ' => "ae",
        'Æ' => "AE",
        'œ' => "oe",
        'Œ' => "OE",
        'ß' => "ss",
        'ł' => "l",
        'Ł' => "L",
        'đ' | 'ð' => "d",
        'Đ' | 'Ð' => "D",
        'þ' => "th",
        'Þ' => "TH",
        'ı' => "i",
        '’' | '‘' | 'ʼ' | 'ʻ' | '`' | '´' => "'",
        '‐' | '‑' | '–' | '—' => "-",
        _ => return None,
    })
}

/// Removes accents: "Curaçao" → "Curacao", "Łódź" → "Lodz". Case is kept.
pub fn fold_accents(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let mut pre = String::with_capacity(s.len());
    for c in s.chars() {
        match fold_special(c) {
            Some(r) => pre.push_str(r),
            None => pre.push(c),
        }
    }
    pre.nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect()
}

/// Month names, as name keys.
pub(crate) const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Numbers written as words, as name keys, as a date gives a day ("April One", "May Fifth").
const DAY_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
];

/// Whether a name key is a date written in words: a month and a day ("april one", "may twenty
/// first").
pub fn is_spelled_date(key: &str) -> bool {
    let mut words = key.split(' ');
    words.next().is_some_and(|m| MONTHS.contains(&m))
        && key.contains(' ')
        && words.all(|w| DAY_WORDS.contains(&w))
}

/// The lookup key of a name: accents folded, lower case, dots and apostrophes dropped, every other
/// run of non-alphanumerics turned into one space, a leading "the" removed.
/// "U.S." → "us", "Côte d'Ivoire" → "cote divoire", "The Hague" → "hague".
pub fn name_key(s: &str) -> String {
    if s.is_ascii() {
        ascii_name_key(s.as_bytes())
    } else {
        unicode_name_key(s)
    }
}

/// [`name_key`] of any text.
fn unicode_name_key(s: &str) -> String {
    let folded = fold_accents(s);
    let mut out = String::with_capacity(folded.len());
    let mut space = false;
    for c in folded.chars() {
        match c {
            '.' | '\'' => {}
            '&' => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str("and");
                space = true;
            }
            _ if c.is_alphanumeric() => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                if c.is_ascii() {
                    out.push(c.to_ascii_lowercase());
                } else {
                    out.extend(c.to_lowercase());
                }
            }
            _ => space = true,
        }
    }
    if out.starts_with("the ") {
        out.drain(..4);
    }
    out
}

/// [`name_key`] of ASCII text, a byte at a time (most names are ASCII, and keys are made for
/// every capitalized run of words an article has).
fn ascii_name_key(s: &[u8]) -> String {
    // Built as a String of ASCII characters, so it needs no UTF-8 check at the end.
    let mut out = String::with_capacity(s.len() + 2);
    let mut space = false;
    for &c in s {
        match c {
            b'.' | b'\'' => {}
            b'&' => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str("and");
                space = true;
            }
            _ if c.is_ascii_alphanumeric() => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(char::from(c.to_ascii_lowercase()));
            }
            _ => space = true,
        }
    }
    if out.starts_with("the ") {
        out.drain(..4);
    }
    out
}

/// Pronouns, determiners and quantifiers: capitalized at a sentence start they look like names
/// ("Everyone agreed"), but alone they never name a person, place or organization.
const COMMON_WORDS: &[&str] = &[
    "everyone",
    "everybody",
    "everything",
    "nobody",
    "no one",
    "nothing",
    "anyone",
    "anybody",
    "anything",
    "someone",
    "somebody",
    "something",
    "all",
    "both",
    "each",
    "every",
    "either",
    "neither",
    "none",
    "some",
    "many",
    "most",
    "few",
    "several",
    "another",
    "other",
    "others",
    "this",
    "that",
    "these",
    "those",
    "he",
    "she",
    "they",
    "we",
    "you",
    "his",
    "hers",
    "their",
    "theirs",
    "our",
    "my",
    "your",
    "him",
    "them",
    "who",
    "whoever",
    "which",
    "whatever",
];

/// Abbreviations of earnings reports and market news ("Oper shr loss", "Revs 12.1 mln dlrs"):
/// capitalized at a line's start, but alone never a name.
const REPORT_ABBREVIATIONS: &[&str] = &["oper", "shr", "qtr", "avg", "revs", "mln", "dlrs"];

/// Whether a name key is an ordinary pronoun, determiner or quantifier ("everyone", "both"), or
/// an abbreviation of earnings reports ("oper", "shr").
pub fn is_common_word(key: &str) -> bool {
    COMMON_WORDS.contains(&key) || REPORT_ABBREVIATIONS.contains(&key)
}

/// Company designators that end a firm's name, as name keys ("Ford Motor Co", "Wardley Ltd").
const DESIGNATORS: &[&str] = &[
    "co",
    "cos",
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "plc",
    "llc",
    "lp",
    "llp",
    "pty",
    "ag",
    "nv",
    "bv",
    "sa",
    "spa",
    "gmbh",
];

/// Whether a one-word name key is a company designator ("co", "inc", "plc").
pub fn is_designator(key: &str) -> bool {
    DESIGNATORS.contains(&key)
}

/// True when the string has letters and none of them is lower case ("GENEVA", "U.N.").
pub fn is_all_caps(s: &str) -> bool {
    let mut letters = s.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(|c| !c.is_lowercase())
}

/// Title-cases one word, keeping common name particles sensible: "MCDONALD" → "McDonald",
/// "O'NEILL" → "O'Neill", "AL-ASSAD" → "Al-Assad". Words that are not all caps are returned as is.
pub fn title_word(w: &str) -> String {
    if !is_all_caps(w) {
        return w.to_string();
    }
    let mut out = String::with_capacity(w.len());
    let mut start = true;
    for c in w.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            start = false;
        } else {
            out.extend(c.to_lowercase());
        }
        if c == '-' || c == '\'' || c == '’' {
            start = true;
        }
    }
    if out.len() > 3 && out.starts_with("Mc") {
        let (head, tail) = out.split_at(2);
        let mut chars = tail.chars();
        if let Some(first) = chars.next() {
            return format!("{head}{}{}", first.to_uppercase(), chars.as_str());
        }
    }
    out
}

/// Title-cases every all-caps word of a multi-word name ("JAN KUBIS" → "Jan Kubis").
pub fn title_case(s: &str) -> String {
    s.split(' ').map(title_word).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_keys_are_the_keys_of_the_general_path() {
        for s in [
            "U.S.",
            "The Hague",
            "Trinidad & Tobago",
            "ST. JOHN'S",
            " & Co",
            "Kidder, Peabody and Co Inc.",
            "  --x--  ",
            "the",
            "THE  Bank-of  England's",
            "",
        ] {
            assert_eq!(ascii_name_key(s.as_bytes()), unicode_name_key(s), "{s:?}");
        }
    }

    #[test]
    fn keys_fold_punctuation_accents_and_articles() {
        assert_eq!(name_key("U.S."), "us");
        assert_eq!(name_key("Côte d'Ivoire"), "cote divoire");
        assert_eq!(name_key("The Hague"), "hague");
        assert_eq!(name_key("Trinidad & Tobago"), "trinidad and tobago");
        assert_eq!(name_key("  Łódź--Centrum "), "lodz centrum");
        assert_eq!(name_key("ST. JOHN'S"), "st johns");
    }

    #[test]
    fn pronouns_and_quantifiers_are_common_words() {
        assert!(is_common_word(&name_key("Everyone")));
        assert!(is_common_word(&name_key("BOTH")));
        assert!(is_common_word(&name_key("Oper")));
        assert!(!is_common_word(&name_key("U.S.")));
        assert!(!is_common_word(&name_key("Everest")));
    }

    #[test]
    fn all_caps_words_are_title_cased() {
        assert!(is_all_caps("U.N."));
        assert!(!is_all_caps("Kubis"));
        assert!(!is_all_caps("1987"));
        assert_eq!(title_case("JAN KUBIS"), "Jan Kubis");
        assert_eq!(title_word("MCDONALD"), "McDonald");
        assert_eq!(title_word("O'NEILL"), "O'Neill");
        assert_eq!(title_word("AL-ASSAD"), "Al-Assad");
        assert_eq!(title_word("deVries"), "deVries");
    }
}
