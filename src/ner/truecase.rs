//! Restoring the case of ALL-CAPS headlines before tagging.
//!
//! Wire services often send a headline, and sometimes a whole short item, in capitals
//! ("TREASURY'S BAKER SAYS U.S. POLICY UNCHANGED"). Capital letters are the tagger's strongest
//! clue to a name, so in such a sentence it has little to go on. The true-caser rewrites each word
//! of a capitalized sentence in the form it usually takes in running text ("Treasury's Baker says
//! U.S. policy unchanged"), learnt by counting forms in unlabeled news text:
//!
//! - only words inside sentences written in mixed case are counted, and never a sentence's first
//!   word (its capital says nothing about the word);
//! - each word keeps its most frequent form: lower case, capitalized or all capitals;
//! - a word never seen (most often a rare name) is capitalized, and a sentence's first word is
//!   capitalized whatever its usual form.
//!
//! Only letters change case and only where that keeps the byte length, so offsets into the
//! rewritten text are offsets into the original.
//!
//! The lexicon also marks words that are nearly always a person's name where the tagger reads them
//! in running text ("Volcker", "Reagan"): learnt by tagging the same unlabeled text. A headline
//! such as "VOLCKER SAYS FED REMAINS CONCERNED" gives the tagger no context to go on, so such a
//! word in a restored headline counts as a person even when the tagger passes it over.
//!
//! File format (`model/case.bin`, little-endian): magic `NDXCASE1`, entry count `u32`, then the
//! entries sorted by key: `u32` hash of the lower-cased word and one `u8`: the form in the low
//! bits (0 lower, 1 capitalized, 2 capitals) and [`PERSON_BIT`] for a person's name.

use super::clusters::Corpus;
use super::conll::spans_from_ids;
use super::features::{hash_bytes, hash_str};
use super::tokenize::{split_sentences, tokenize, Token};
use super::{EntityType, Tagger};
use crate::ner::features::QuickMap;
use anyhow::{bail, Result};
use std::ops::Range;

/// Marks a word that is nearly always a person's name.
pub const PERSON_BIT: u8 = 0x80;
/// Share of a word's capitalized mid-sentence occurrences the tagger must read as a person
/// ("the Reagan administration" keeps Reagan's share well below one).
const PERSON_SHARE: f64 = 0.6;
/// Least number of such occurrences for the person mark.
const PERSON_MIN: u32 = 3;

const MAGIC: &[u8; 8] = b"NDXCASE1";

/// The committed lexicon, embedded in the binary.
static EMBEDDED: &[u8] = include_bytes!("../../model/case.bin");

/// How a word is usually written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Lower = 0,
    Capitalized = 1,
    Capitals = 2,
}

impl Form {
    fn from_u8(b: u8) -> Option<Form> {
        match b {
            0 => Some(Form::Lower),
            1 => Some(Form::Capitalized),
            2 => Some(Form::Capitals),
            _ => None,
        }
    }
}

/// Word (hash of its lower-cased form) → usual form and person mark.
pub struct TrueCaser {
    entries: Vec<(u32, Form, bool)>,
}

/// Counts of one word in running text.
#[derive(Default)]
struct Tally {
    /// By form: lower, capitalized, capitals.
    forms: [u32; 3],
    /// Capitalized occurrences the tagger read as (part of) a person's name.
    person: u32,
}

fn key(word: &str) -> u32 {
    // Most words are short and ASCII: lower-cased on the stack (the same bytes as
    // `to_lowercase` gives them).
    let mut buf = [0u8; 32];
    if word.is_ascii() && word.len() <= buf.len() {
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        return hash_bytes(lower) as u32;
    }
    hash_str(&word.to_lowercase()) as u32
}

/// The form of a word as written, when it has letters.
fn written_form(word: &str) -> Option<Form> {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let first = letters.next()?;
    let rest: Vec<char> = letters.collect();
    if first.is_lowercase() {
        return Some(Form::Lower);
    }
    if !first.is_uppercase() {
        return None;
    }
    if rest.iter().all(|c| c.is_uppercase()) && !rest.is_empty() {
        Some(Form::Capitals)
    } else {
        // "McDonald" and "Hong-Kong" count as capitalized too.
        Some(Form::Capitalized)
    }
}

/// True for a sentence written in capitals: no lower-case letter and at least two words of two or
/// more capital letters.
pub fn is_caps_sentence<'a>(words: impl IntoIterator<Item = &'a str>) -> bool {
    let mut caps = 0;
    for w in words {
        if w.chars().any(char::is_lowercase) {
            return false;
        }
        if w.chars().filter(|c| c.is_uppercase()).count() >= 2 {
            caps += 1;
        }
    }
    caps >= 2
}

impl TrueCaser {
    /// The lexicon embedded in the binary, loaded on first use.
    pub fn embedded() -> &'static TrueCaser {
        static CASER: std::sync::OnceLock<TrueCaser> = std::sync::OnceLock::new();
        // The embedded file is part of the build and checked by a unit test.
        CASER
            .get_or_init(|| TrueCaser::from_bytes(EMBEDDED).expect("the embedded lexicon is valid"))
    }

    /// Counts word forms in a corpus; words seen fewer than `min_count` times are left out. With
    /// a tagger, words it nearly always reads as a person's name get the person mark.
    pub fn learn(corpus: &Corpus, min_count: u32, tagger: Option<&Tagger>) -> TrueCaser {
        let mut counts: QuickMap<u32, Tally> = QuickMap::default();
        for s in &corpus.sentences {
            let words: Vec<&str> = s
                .iter()
                .map(|&id| corpus.words[id as usize].as_str())
                .collect();
            if is_caps_sentence(words.iter().copied()) {
                continue;
            }
            let mut person = vec![false; words.len()];
            if let Some(t) = tagger {
                let tags = t.tag_tokens(std::slice::from_ref(&words));
                for span in spans_from_ids(&tags[0]) {
                    if span.ty == EntityType::Per {
                        person[span.start..span.end].fill(true);
                    }
                }
            }
            for (i, w) in words.iter().enumerate().skip(1) {
                if let Some(f) = written_form(w) {
                    let tally = counts.entry(key(w)).or_default();
                    tally.forms[f as usize] += 1;
                    tally.person += (person[i] && f == Form::Capitalized) as u32;
                }
            }
        }
        let mut entries: Vec<(u32, Form, bool)> = counts
            .into_iter()
            .filter(|(_, c)| c.forms.iter().sum::<u32>() >= min_count)
            .map(|(k, c)| {
                // Ties go to the earlier form: lower case before capitals.
                let f = &c.forms;
                let best = (0..3).fold(0, |b, i| if f[i] > f[b] { i } else { b });
                let capitalized = f[Form::Capitalized as usize];
                let person = best == Form::Capitalized as usize
                    && c.person >= PERSON_MIN
                    && c.person as f64 >= PERSON_SHARE * capitalized as f64;
                (k, Form::from_u8(best as u8).unwrap_or(Form::Lower), person)
            })
            .collect();
        entries.sort_unstable_by_key(|e| e.0);
        entries.dedup_by_key(|e| e.0);
        TrueCaser { entries }
    }

    /// Number of words known.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Number of words marked as a person's name.
    pub fn persons(&self) -> usize {
        self.entries.iter().filter(|e| e.2).count()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Serializes the lexicon (see the module documentation for the format).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(12 + self.entries.len() * 5);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.entries.len() as u32).to_le_bytes());
        for &(k, f, person) in &self.entries {
            out.extend_from_slice(&k.to_le_bytes());
            out.push(f as u8 | if person { PERSON_BIT } else { 0 });
        }
        out
    }

    /// Reads a serialized lexicon.
    pub fn from_bytes(bytes: &[u8]) -> Result<TrueCaser> {
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            bail!("not a newsdex true-case lexicon (bad magic)");
        }
        let n = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
        let body = &bytes[12..];
        if body.len() != n * 5 {
            bail!("true-case lexicon is truncated: {} entries announced", n);
        }
        let mut entries = Vec::with_capacity(n);
        for e in body.chunks_exact(5) {
            let k = u32::from_le_bytes([e[0], e[1], e[2], e[3]]);
            let Some(f) = Form::from_u8(e[4] & !PERSON_BIT) else {
                bail!("true-case lexicon has an unknown form {}", e[4]);
            };
            entries.push((k, f, e[4] & PERSON_BIT != 0));
        }
        if entries.windows(2).any(|w| w[0].0 >= w[1].0) {
            bail!("true-case lexicon entries are not sorted");
        }
        Ok(TrueCaser { entries })
    }

    fn entry(&self, word: &str) -> Option<(Form, bool)> {
        let k = key(word);
        self.entries
            .binary_search_by_key(&k, |e| e.0)
            .ok()
            .map(|i| (self.entries[i].1, self.entries[i].2))
    }

    /// The usual form of a word, if it is known.
    pub fn form(&self, word: &str) -> Option<Form> {
        self.entry(word).map(|e| e.0)
    }

    /// Whether a word is nearly always a person's name in running text.
    pub fn is_person(&self, word: &str) -> bool {
        self.entry(word).is_some_and(|e| e.1)
    }

    /// Rewrites every ALL-CAPS sentence of `text` in its usual case; other sentences are left as
    /// they are. The result has the same length, byte for byte, as `text`.
    pub fn restore(&self, text: &str) -> String {
        self.restore_with_spans(text).0
    }

    /// [`TrueCaser::restore`], also returning the byte ranges of the sentences it rewrote.
    pub fn restore_with_spans(&self, text: &str) -> (String, Vec<Range<usize>>) {
        let r = self.restore_tokenized(text);
        (r.text, r.spans)
    }

    /// [`TrueCaser::restore_with_spans`], also handing on the tokens and sentences of the
    /// restored text, so the tagger does not split it again. Restoring changes only the case of
    /// letters and never a word's byte length, and the tokenizer does not look at case, so the
    /// tokens stay; only the sentence breaks, which do look at case, are found again.
    pub fn restore_tokenized(&self, text: &str) -> Restored {
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        let mut out: Option<String> = None;
        let mut spans = Vec::new();
        // The first and last sentences rewritten.
        let mut rewritten: Option<(usize, usize)> = None;
        for (k, r) in sentences.iter().enumerate() {
            let toks = &tokens[r.clone()];
            if !is_caps_sentence(toks.iter().map(|t| t.text(text))) {
                continue;
            }
            rewritten = Some((rewritten.map_or(k, |(first, _)| first), k));
            if let (Some(first), Some(last)) = (toks.first(), toks.last()) {
                spans.push(first.start..last.end);
            }
            let buf = out.get_or_insert_with(|| text.to_string());
            for (i, t) in toks.iter().enumerate() {
                let word = t.text(text);
                if in_angle_brackets(text, t.start, t.end) {
                    // Ticker symbols ("<GM>", "<MOAI.O>") stay as they are.
                    continue;
                }
                let form = match self.form(word) {
                    // Clitics split off by the tokenizer ("'S", "N'T").
                    _ if word.starts_with('\'') => Form::Lower,
                    Some(Form::Lower) if i == 0 => Form::Capitalized,
                    Some(f) => f,
                    // An unknown short word is most likely an abbreviation, a longer one a name.
                    None if word.chars().filter(|c| c.is_alphabetic()).count() <= 4 => {
                        Form::Capitals
                    }
                    None => Form::Capitalized,
                };
                let new = recase(word, form);
                if new.len() == word.len() && new != word {
                    buf.replace_range(t.start..t.end, &new);
                }
            }
        }
        match (out, rewritten) {
            (Some(text), Some((first, last))) => Restored {
                sentences: resplit(&text, &tokens, &sentences, first, last),
                text,
                spans,
                tokens,
            },
            _ => Restored {
                text: text.to_string(),
                spans,
                tokens,
                sentences,
            },
        }
    }
}

/// The sentences of `text` once sentences `first..=last` of `sentences` (its sentences before
/// they were restored) have had the case of their letters changed. A break after a token
/// depends on that token, the closing marks after it and the case of the word that follows;
/// only the breaks before a restored word can move, all of them between the start of the
/// sentence before `first` and the end of `last`, which stays a break (what follows it is
/// unchanged). Only that stretch is split again. (With today's rules no break moves at all:
/// restoring keeps the first letter of a sentence's first word as it was, and an ALL-CAPS
/// sentence has no lower-case word to raise. The stretch is split again anyway, so the
/// sentences handed on stay those of the restored text whatever the rules become.)
fn resplit(
    text: &str,
    tokens: &[Token],
    sentences: &[Range<usize>],
    first: usize,
    last: usize,
) -> Vec<Range<usize>> {
    let from = first.saturating_sub(1);
    let (start, end) = (sentences[from].start, sentences[last].end);
    let mut out = Vec::with_capacity(sentences.len());
    out.extend_from_slice(&sentences[..from]);
    out.extend(
        split_sentences(text, &tokens[start..end])
            .into_iter()
            .map(|r| r.start + start..r.end + start),
    );
    out.extend_from_slice(&sentences[last + 1..]);
    out
}

/// A text with its ALL-CAPS sentences restored to their usual case.
pub struct Restored {
    pub text: String,
    /// Byte ranges of the sentences rewritten.
    pub spans: Vec<Range<usize>>,
    /// Tokens of `text`.
    pub tokens: Vec<Token>,
    /// Sentences of `text` (ranges of token indices).
    pub sentences: Vec<Range<usize>>,
}

/// Whether `start..end` of `text` lies inside a short `<...>` on one line.
fn in_angle_brackets(text: &str, start: usize, end: usize) -> bool {
    let mut from = start.saturating_sub(16);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end + 16).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let (before, after) = (&text[from..start], &text[end..to]);
    let (Some(b), Some(a)) = (before.rfind(['<', '>', '\n']), after.find(['<', '>', '\n'])) else {
        return false;
    };
    before[b..].starts_with('<') && after[a..].starts_with('>')
}

/// `word` written in `form`. A capitalized word keeps the letter after an apostrophe or hyphen in
/// capitals only when it starts a part ("O'Neill", "Abu-Dhabi"); "Baker's" stays "Baker's".
fn recase(word: &str, form: Form) -> String {
    match form {
        Form::Capitals => word.to_string(),
        Form::Lower => word.to_lowercase(),
        Form::Capitalized => {
            let mut out = String::with_capacity(word.len());
            let mut start = true;
            let mut prev = '\0';
            for c in word.chars() {
                if c.is_alphabetic() {
                    // "'S" after a word is the possessive, not the start of a part.
                    let possessive = prev == '\'' && matches!(c, 's' | 'S');
                    if start && !possessive {
                        out.extend(c.to_uppercase());
                    } else {
                        out.extend(c.to_lowercase());
                    }
                    start = false;
                } else {
                    out.push(c);
                    start = matches!(c, '-' | '\'');
                }
                prev = c;
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> TrueCaser {
        let mut corpus = Corpus::default();
        corpus.add_text(
            "The minister says Baker would meet Volcker in Paris. \
             Officials said the Treasury and the U.S. Fed were ready. \
             The bank said Baker and Volcker agreed with the Treasury on policy. \
             Markets said U.S. policy on the dollar had not changed in Paris.",
        );
        TrueCaser::learn(&corpus, 1, None)
    }

    #[test]
    fn caps_headlines_take_their_usual_case() {
        let tc = lexicon();
        let text = "TREASURY'S BAKER SAYS U.S. POLICY ON DOLLAR UNCHANGED\n\nVolcker said so.";
        let out = tc.restore(text);
        assert_eq!(out.len(), text.len());
        assert_eq!(
            out,
            "Treasury's Baker says U.S. policy on dollar Unchanged\n\nVolcker said so."
        );
    }

    #[test]
    fn handed_on_tokens_and_sentences_are_those_of_the_restored_text() {
        let tc = lexicon();
        let mut texts: Vec<String> = [
            "TREASURY'S BAKER SAYS U.S. POLICY ON DOLLAR UNCHANGED\n\nVolcker said so.",
            "BAKER SAYS IT'S DONE. VOLCKER AGREES\nMarkets said so. Paris said so.",
            "No capitals here. None at all.",
            "Markets said so. \"BAKER SAYS U.S. POLICY. THE FED AGREES.\" the bank said.",
            "Paris said. IN PARIS, U.S. OFFICIALS SAID (THE FED AGREED). said so. BAKER SAID",
        ]
        .map(String::from)
        .to_vec();
        // Random texts of words whose case restoring changes (and some it does not), and the
        // marks that end sentences, so the sentences split again only around restored ones are
        // checked against splitting the whole restored text.
        let words = [
            "BAKER", "SAYS", "THE", "said", "Paris", "PARIS", "U.S.", "FED", "1.5", "POLICY", ".",
            ".", "?", "\"", ")", "(", "'", ",", "\n\n", "\n", "volcker", "IN", "GDP",
        ];
        let mut state = 7u32;
        for _ in 0..400 {
            let mut t = String::new();
            for _ in 0..(state % 23 + 1) {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                t.push_str(words[(state >> 16) as usize % words.len()]);
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                if !(state >> 16).is_multiple_of(4) {
                    t.push(' ');
                }
            }
            texts.push(t);
        }
        let mut restored = 0;
        for text in &texts {
            let r = tc.restore_tokenized(text);
            let tokens = tokenize(&r.text);
            assert_eq!(r.tokens, tokens, "{text}");
            assert_eq!(r.sentences, split_sentences(&r.text, &tokens), "{text:?}");
            restored += usize::from(r.text != *text);
        }
        assert!(
            restored > 100,
            "{restored} of {} texts restored",
            texts.len()
        );
    }

    #[test]
    fn mixed_case_sentences_and_single_capital_words_are_kept() {
        let tc = lexicon();
        for text in [
            "The IMF said NATO would meet.",
            "BRIEF",
            "UK GDP up 0.5 pct",
        ] {
            assert_eq!(tc.restore(text), text);
        }
        // Tickers in angle brackets and unknown short words stay in capitals.
        assert_eq!(
            tc.restore("BAKER <BKR.N> SAID GDP IN PARIS"),
            "Baker <BKR.N> said GDP in Paris"
        );
        let accented = "L'ÉTÉ <ÀB> DES CAFÉS ÉTRANGERS";
        assert_eq!(tc.restore(accented).len(), accented.len());
        assert!(is_caps_sentence(["OPEC", "SAYS", "OUTPUT", "UP"]));
        assert!(!is_caps_sentence(["OPEC", "said"]));
    }

    #[test]
    fn first_words_take_a_capital_and_unknown_words_are_capitalized() {
        let tc = lexicon();
        assert_eq!(tc.restore("THE BANK SAID"), "The bank said");
        assert_eq!(tc.restore("O'NEILL SAID"), "O'Neill said");
        assert_eq!(tc.restore("CALLAGHAN SAID"), "Callaghan said");
        assert_eq!(tc.restore("SAID O'NEILL"), "Said O'Neill");
    }

    #[test]
    fn round_trips_and_rejects_bad_files() {
        let tc = lexicon();
        let bytes = tc.to_bytes();
        let back = TrueCaser::from_bytes(&bytes).unwrap();
        assert_eq!(back.len(), tc.len());
        assert_eq!(back.form("baker"), Some(Form::Capitalized));
        assert_eq!(back.form("POLICY"), Some(Form::Lower));
        assert!(TrueCaser::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(TrueCaser::from_bytes(b"NOTCASE1\0\0\0\0").is_err());
    }

    #[test]
    fn embedded_lexicon_knows_news_words() {
        let tc = TrueCaser::embedded();
        assert!(tc.len() > 10_000);
        assert_eq!(tc.form("said"), Some(Form::Lower));
        assert_eq!(tc.form("london"), Some(Form::Capitalized));
    }
}
