//! Tokenizer and sentence splitter for raw article text, in the CoNLL-2003 (Penn Treebank-like)
//! style the tagger was trained on: clitics split off ("Haftar's" → `Haftar` `'s`, "don't" →
//! `do` `n't`), quotes, brackets and trailing punctuation split off, while abbreviations ("U.N.",
//! "Inc."), numbers ("1,000.5"), hyphenated words and URLs stay whole. Every token carries byte
//! offsets into the source text, so `&text[tok.start..tok.end]` is its text.

use std::ops::Range;

/// A token: byte offsets into the tokenized text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// The token's text in `src` (the text it was produced from).
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.start..self.end]
    }
}

/// Abbreviations that keep their final period (lower-cased, without the period).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "maj", "capt", "sgt",
    "adm", "cmdr", "rev", "hon", "pres", "st", "jr", "sr", "inc", "corp", "co", "ltd", "plc",
    "bros", "vs", "etc", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec",
    "mt", "ft", "ave", "blvd", "dept", "univ", "assn", "calif", "fla", "mich", "minn", "penn",
    "tex", "wis", "conn", "ariz", "colo", "ga", "ky", "md", "nev", "okla", "pa", "tenn", "va",
    "vt", "gen'l", "approx", "govt",
];

/// Clitics split off the end of a word (lower-cased; `'` stands for both ' and ’).
const CLITICS: &[&str] = &["'s", "'re", "'ve", "'ll", "'d", "'m"];

fn is_lead_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '`' | '“' | '‘' | '(' | '[' | '{' | '<' | '«' | '„' | '¿' | '¡'
    )
}

fn is_trail_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | ')' | ']' | '}' | '>' | ',' | ';' | ':' | '!' | '?' | '»' | '`'
    )
}

fn is_currency(c: char) -> bool {
    matches!(c, '$' | '£' | '€' | '¥')
}

/// True when `piece` (without its final '.') should keep the period: abbreviations, initials,
/// dotted acronyms ("U.S", "a.m") and short list numbers ("3").
fn keeps_period(piece: &str) -> bool {
    if piece.is_empty() {
        return false;
    }
    if piece.contains("://") || piece.starts_with("www.") {
        return false;
    }
    let mut chars = piece.chars();
    let first = chars.next().unwrap_or(' ');
    // A single letter: an initial ("J.").
    if chars.next().is_none() && first.is_alphabetic() {
        return true;
    }
    // Letters and internal periods only: "U.S", "a.m", "F.C".
    if piece.contains('.') && piece.chars().all(|c| c.is_alphabetic() || c == '.') {
        return piece.split('.').all(|p| p.chars().count() <= 3);
    }
    // One or two digits: list numbering as in "1. Name".
    if piece.len() <= 2 && piece.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let lower = piece.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Splits `text` into tokens with byte offsets.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    tokenize_into(text, &mut out);
    out
}

/// Like [`tokenize`], appending to `out`.
pub fn tokenize_into(text: &str, out: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Skip whitespace (ASCII fast path, Unicode otherwise).
        let b = bytes[i];
        if b < 0x80 {
            if b.is_ascii_whitespace() {
                i += 1;
                continue;
            }
        } else if let Some(c) = text[i..].chars().next() {
            if c.is_whitespace() {
                i += c.len_utf8();
                continue;
            }
        }
        let start = i;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if b.is_ascii_whitespace() {
                    break;
                }
                i += 1;
            } else {
                match text[i..].chars().next() {
                    Some(c) if c.is_whitespace() => break,
                    Some(c) => i += c.len_utf8(),
                    None => break,
                }
            }
        }
        split_chunk(text, start, i, out);
    }
}

/// Splits one whitespace-free chunk `text[lo..hi]` into tokens.
fn split_chunk(text: &str, mut lo: usize, mut hi: usize, out: &mut Vec<Token>) {
    // Fast path: plain alphanumeric words.
    if text.as_bytes()[lo..hi]
        .iter()
        .all(|b| b.is_ascii_alphanumeric())
    {
        out.push(Token { start: lo, end: hi });
        return;
    }
    // Leading quotes and brackets, one character each; a chunk that is itself a clitic
    // ("'s" after a space) stays whole.
    while lo < hi {
        let rest = &text[lo..hi];
        if is_clitic(rest) || is_year_abbrev(rest) {
            break;
        }
        let c = match rest.chars().next() {
            Some(c) => c,
            None => break,
        };
        if is_lead_punct(c) || (is_currency(c) && rest.len() > c.len_utf8()) {
            // A doubled quote "``" or "''" is one token.
            let mut len = c.len_utf8();
            if (c == '`' || c == '\'') && rest[len..].starts_with(c) {
                len += c.len_utf8();
            }
            out.push(Token {
                start: lo,
                end: lo + len,
            });
            lo += len;
        } else {
            break;
        }
    }
    // Trailing punctuation, collected in reverse.
    let mut trail: Vec<Token> = Vec::new();
    while lo < hi {
        let piece = &text[lo..hi];
        let c = match piece.chars().next_back() {
            Some(c) => c,
            None => break,
        };
        let clen = c.len_utf8();
        if c == '.' {
            // An ellipsis is one token.
            let dots = piece.bytes().rev().take_while(|&b| b == b'.').count();
            if dots >= 2 {
                if dots == piece.len() {
                    break;
                }
                trail.push(Token {
                    start: hi - dots,
                    end: hi,
                });
                hi -= dots;
                continue;
            }
            if piece.len() == 1 || keeps_period(&piece[..piece.len() - 1]) {
                break;
            }
            trail.push(Token {
                start: hi - 1,
                end: hi,
            });
            hi -= 1;
        } else if is_trail_punct(c) {
            if piece.len() == clen || is_clitic(piece) {
                break;
            }
            // A doubled closing quote "''" is one token.
            let mut len = clen;
            if (c == '\'' || c == '`') && piece[..piece.len() - clen].ends_with(c) {
                len += clen;
            }
            if len == piece.len() {
                break;
            }
            trail.push(Token {
                start: hi - len,
                end: hi,
            });
            hi -= len;
        } else {
            break;
        }
    }
    if lo < hi {
        split_word(text, lo, hi, out);
    }
    out.extend(trail.into_iter().rev());
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// True when `s` is a clitic on its own ("'s", "n't", "’ll").
fn is_clitic(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if is_apostrophe(c) => {
            let rest = chars.as_str();
            CLITICS
                .iter()
                .any(|cl| cl[1..].eq_ignore_ascii_case(rest) && !rest.is_empty())
        }
        _ => s.eq_ignore_ascii_case("n't") || s.eq_ignore_ascii_case("n’t"),
    }
}

/// True for abbreviated years such as "'96" or "’90s".
fn is_year_abbrev(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if is_apostrophe(c) => {
            let rest = chars.as_str();
            let digits = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
            digits == 2 && (rest.len() == 2 || &rest[2..] == "s")
        }
        _ => false,
    }
}

/// Splits the core of a chunk: clitics and currency symbols; everything else stays one token.
fn split_word(text: &str, lo: usize, hi: usize, out: &mut Vec<Token>) {
    let piece = &text[lo..hi];
    // URLs and e-mail addresses stay whole.
    if piece.contains("://") || piece.starts_with("www.") || piece.contains('@') {
        out.push(Token { start: lo, end: hi });
        return;
    }
    // "n't" (do n't, ca n't).
    for suffix in ["n't", "n’t"] {
        if piece.len() > suffix.len() {
            let cut = piece.len() - suffix.len();
            if piece.is_char_boundary(cut) && piece[cut..].eq_ignore_ascii_case(suffix) {
                out.push(Token {
                    start: lo,
                    end: lo + cut,
                });
                out.push(Token {
                    start: lo + cut,
                    end: hi,
                });
                return;
            }
        }
    }
    // 's 're 've 'll 'd 'm, and a bare trailing apostrophe of a plural possessive.
    if let Some((pos, c)) = piece.char_indices().rev().find(|&(_, c)| is_apostrophe(c)) {
        let after = &piece[pos + c.len_utf8()..];
        let before = &piece[..pos];
        let word_before = !before.is_empty()
            && before
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
        if word_before {
            let is_cl = CLITICS.iter().any(|cl| cl[1..].eq_ignore_ascii_case(after));
            if is_cl {
                out.push(Token {
                    start: lo,
                    end: lo + pos,
                });
                out.push(Token {
                    start: lo + pos,
                    end: hi,
                });
                return;
            }
        }
    }
    out.push(Token { start: lo, end: hi });
}

/// Splits a tokenized text into sentences (ranges of token indices). A sentence ends after `.`,
/// `?` or `!` (with any closing quotes or brackets) when the next token starts with an upper-case
/// letter, a digit or an opening quote, and always at a blank line (paragraph break).
pub fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let mut end_here = false;
        if i + 1 < tokens.len() {
            // A blank line needs two bytes at least; most gaps are one space or none.
            let gap = &text.as_bytes()[tokens[i].end..tokens[i + 1].start];
            if gap.len() >= 2 && gap.iter().filter(|&&b| b == b'\n').count() >= 2 {
                end_here = true;
            } else {
                let t = tokens[i].text(text);
                if matches!(t, "." | "?" | "!" | "..." | "?!" | "!!") {
                    // Take closing quotes and brackets with the sentence.
                    let mut j = i + 1;
                    while j < tokens.len()
                        && matches!(
                            tokens[j].text(text),
                            "\"" | "'" | "''" | "”" | "’" | ")" | "]"
                        )
                        && text[tokens[j - 1].end..tokens[j].start].is_empty()
                    {
                        j += 1;
                    }
                    if j < tokens.len() && tokens[j - 1].end < tokens[j].start {
                        let next = tokens[j].text(text);
                        let starts = next.chars().next().is_some_and(|c| {
                            c.is_uppercase() || c.is_ascii_digit() || is_lead_punct(c)
                        });
                        if starts {
                            i = j - 1;
                            end_here = true;
                        }
                    }
                }
            }
        }
        if end_here || i + 1 == tokens.len() {
            out.push(start..i + 1);
            start = i + 1;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        let t = tokenize(s);
        for tok in &t {
            assert!(s.is_char_boundary(tok.start) && s.is_char_boundary(tok.end));
            assert!(tok.start < tok.end);
        }
        t.iter().map(|t| t.text(s)).collect()
    }

    #[test]
    fn possessives_clitics_and_abbreviations() {
        assert_eq!(
            toks("Marlow's forces don't trust the U.N. envoy."),
            ["Marlow", "'s", "forces", "do", "n't", "trust", "the", "U.N.", "envoy", "."]
        );
        assert_eq!(toks("the farmers' union"), ["the", "farmers", "'", "union"]);
        assert_eq!(toks("Acme Inc. said"), ["Acme", "Inc.", "said"]);
        assert_eq!(toks("J. Doe wasn't"), ["J.", "Doe", "was", "n't"]);
        assert_eq!(toks("O'Dell we're"), ["O'Dell", "we", "'re"]);
    }

    #[test]
    fn quotes_brackets_numbers_urls() {
        assert_eq!(
            toks("\"Yes,\" she said (quietly)."),
            ["\"", "Yes", ",", "\"", "she", "said", "(", "quietly", ")", "."]
        );
        assert_eq!(
            toks("It rose 1,000.5 points to $12.5 at http://example.org/a?b=1."),
            [
                "It",
                "rose",
                "1,000.5",
                "points",
                "to",
                "$",
                "12.5",
                "at",
                "http://example.org/a?b=1",
                "."
            ]
        );
        assert_eq!(
            toks("a well-known all-rounder..."),
            ["a", "well-known", "all-rounder", "..."]
        );
        assert_eq!(toks("in 1996."), ["in", "1996", "."]);
    }

    #[test]
    fn unicode_offsets_round_trip() {
        let s = "«Zoë’s café» — “Ünal” said: ‘ok’… São Paulo's 5°C, 1,000.5.";
        let t = tokenize(s);
        let mut rebuilt = String::new();
        for tok in &t {
            assert_eq!(tok.text(s), &s[tok.start..tok.end]);
            rebuilt.push_str(tok.text(s));
        }
        let no_space: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(rebuilt, no_space);
        assert!(toks(s).contains(&"Zoë"));
        assert!(toks(s).contains(&"’s"));
        assert!(toks(s).contains(&"Ünal"));
        assert!(toks(s).contains(&"1,000.5"));
    }

    #[test]
    fn sentences_split_on_stops_and_blank_lines() {
        let s = "Headline Here\n\nThe U.S. envoy left. He said \"no.\" Then 3 more came!\nok";
        let t = tokenize(s);
        let sents: Vec<Vec<&str>> = split_sentences(s, &t)
            .into_iter()
            .map(|r| t[r].iter().map(|k| k.text(s)).collect())
            .collect();
        assert_eq!(sents.len(), 4);
        assert_eq!(sents[0], ["Headline", "Here"]);
        assert_eq!(sents[1], ["The", "U.S.", "envoy", "left", "."]);
        assert_eq!(sents[2], ["He", "said", "\"", "no", ".", "\""]);
        assert_eq!(sents[3], ["Then", "3", "more", "came", "!", "ok"]);
    }
}
