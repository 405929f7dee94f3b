//! The terms of article text: words split as tantivy's [`SimpleTokenizer`] splits them, those of
//! 60 bytes or more dropped as by [`RemoveLongFilter`], each lower-cased, folded to ASCII and
//! reduced to its English stem, through a table from the word as written to its term.
//!
//! Lower-casing, folding and the Snowball stemmer together were the largest single cost of
//! indexing article text, and news vocabulary repeats: a few tens of thousands of word forms
//! make up nearly every token. Each tokenizer keeps a table of recent forms, reused from one
//! segment to the next: two entries of one cache line each per set, the one used last first. A
//! text's words are found first (bytes at a time over ASCII) and their entries loaded together,
//! so their cache misses overlap; then each token costs a compare and a copy. The terms,
//! positions and offsets are exactly those of tantivy's [`SimpleTokenizer`], [`RemoveLongFilter`]
//! (60 bytes), [`LowerCaser`], [`AsciiFoldingFilter`] and English [`Stemmer`] in that order,
//! which compute every term the table lacks.
//!
//! [`SimpleTokenizer`]: tantivy::tokenizer::SimpleTokenizer
//! [`RemoveLongFilter`]: tantivy::tokenizer::RemoveLongFilter

use crate::ner::features::hash_bytes;
use std::sync::Mutex;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, Stemmer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

/// Sets of a table (a power of two), of two entries each: 8 MiB. Reuters articles use about
/// 60,000 word forms; with 32,768 entries in one way, 6% of their tokens missed the table, with
/// 131,072 in two ways 0.6%.
const SETS: usize = 1 << 16;
/// Longest token and term the table holds (longer ones are computed each time; they are rare).
const MAX_LEN: usize = 31;
/// Words of this many bytes or more are not indexed (as tantivy's `RemoveLongFilter::limit`).
pub const LONG_WORD_BYTES: usize = 60;
/// Word lists above this many words (one giant text) are not kept for the next text.
const KEEP_WORDS: usize = 1 << 16;

/// One table entry: a token as written and its term, in one cache line.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Slot {
    /// 0: empty (tokens are never empty).
    key_len: u8,
    term_len: u8,
    key: [u8; MAX_LEN],
    term: [u8; MAX_LEN],
}

/// The two entries a word may be kept in, the one used last first; one aligned pair of cache
/// lines, which processors fetch together.
#[derive(Clone, Copy)]
#[repr(C, align(128))]
struct Set([Slot; 2]);

impl Slot {
    fn holds(&self, key: &str) -> bool {
        self.key_len as usize == key.len() && &self.key[..key.len()] == key.as_bytes()
    }
}

/// A word of the text being analyzed: its byte range, its position among all words (long ones
/// included) and its table set.
#[derive(Clone, Copy)]
struct Word {
    start: u32,
    end: u32,
    position: u32,
    set: u32,
}

struct Cache {
    sets: Box<[Set]>,
    /// Computes the terms the table does not hold.
    analyzer: TextAnalyzer,
    /// The words of the text being analyzed.
    words: Vec<Word>,
}

/// Whether the character at byte `at` of `text` is part of a word (tantivy's simple tokenizer:
/// alphanumeric characters), with its length in bytes; `None` at the end of the text.
fn in_word(text: &str, at: usize) -> Option<(bool, usize)> {
    let b = *text.as_bytes().get(at)?;
    if b.is_ascii() {
        return Some((b.is_ascii_alphanumeric(), 1));
    }
    let c = text.get(at..)?.chars().next()?;
    Some((c.is_alphanumeric(), c.len_utf8()))
}

/// An empty table, as zeroed memory: the system maps it page by page as entries are first
/// used, so a search that analyzes a few words of a query touches a few pages, not 8 MiB.
fn empty_table() -> Box<[Set]> {
    let layout = std::alloc::Layout::array::<Set>(SETS).expect("the table's size fits");
    // SAFETY: the layout has a non-zero size; all-zero bytes are a valid `Set` (integers and
    // byte arrays), the empty one; the Box owns the allocation and frees it with this layout.
    unsafe {
        let ptr = std::alloc::alloc_zeroed(layout).cast::<Set>();
        if ptr.is_null() {
            std::alloc::handle_alloc_error(layout);
        }
        Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, SETS))
    }
}

impl Cache {
    fn new() -> Cache {
        Cache {
            sets: empty_table(),
            analyzer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .filter(Stemmer::new(Language::English))
                .build(),
            words: Vec::new(),
        }
    }

    /// Finds the words of `text` and loads their table entries. Texts of 4 GiB or more are cut
    /// there (offsets are kept in 32 bits).
    fn split(&mut self, text: &str) {
        if self.words.capacity() > KEEP_WORDS {
            self.words = Vec::new();
        }
        self.words.clear();
        let limit = text.len().min(u32::MAX as usize);
        let (mut at, mut position) = (0usize, 0u32);
        while at < limit {
            let Some((word, len)) = in_word(text, at) else {
                break;
            };
            if !word {
                at += len;
                continue;
            }
            let start = at;
            at += len;
            while let Some((true, len)) = in_word(text, at) {
                at += len;
            }
            let end = at.min(limit);
            if end - start < LONG_WORD_BYTES {
                let set = (hash_bytes(&text.as_bytes()[start..end]) as usize) & (SETS - 1);
                self.words.push(Word {
                    start: start as u32,
                    end: end as u32,
                    position,
                    set: set as u32,
                });
            }
            position = position.wrapping_add(1);
        }
        // Independent loads: the processor waits for their misses together.
        let mut seen = 0u8;
        for w in &self.words {
            seen ^= self.sets[w.set as usize].0[0].key_len;
        }
        std::hint::black_box(seen);
    }

    /// Writes the term of `key` (a word whose table set is `set`) into `out`.
    fn term(&mut self, key: &str, set: usize, out: &mut String) {
        let Cache { sets, analyzer, .. } = self;
        let cacheable = !key.is_empty() && key.len() <= MAX_LEN;
        let Set([first, second]) = &mut sets[set];
        out.clear();
        if cacheable {
            if !first.holds(key) && second.holds(key) {
                std::mem::swap(first, second);
            }
            if first.holds(key) {
                // The table holds only terms copied from strings.
                let term = &first.term[..first.term_len as usize];
                out.push_str(std::str::from_utf8(term).unwrap_or(""));
                return;
            }
        }
        let mut stream = analyzer.token_stream(key);
        if !stream.advance() {
            out.push_str(key);
            return;
        }
        let term = &stream.token().text;
        if cacheable && term.len() <= MAX_LEN {
            *second = *first;
            first.key_len = key.len() as u8;
            first.key[..key.len()].copy_from_slice(key.as_bytes());
            first.term_len = term.len() as u8;
            first.term[..term.len()].copy_from_slice(term.as_bytes());
        }
        out.push_str(term);
    }
}

/// Tables not in use, kept for the next analyzer: tantivy builds new analyzers (and threads)
/// for every segment it writes, and a table is worth most once it is warm.
static POOL: Mutex<Vec<Cache>> = Mutex::new(Vec::new());
/// Most tables the pool keeps.
const POOL_MAX: usize = 8;

/// An analyzer's table, taken from the pool at its first text and returned when the analyzer
/// is dropped.
#[derive(Default)]
struct Pooled(Option<Cache>);

impl Pooled {
    fn get(&mut self) -> &mut Cache {
        self.0.get_or_insert_with(|| {
            let pooled = POOL.lock().ok().and_then(|mut pool| pool.pop());
            pooled.unwrap_or_else(Cache::new)
        })
    }
}

impl Clone for Pooled {
    /// A clone starts without a table (it takes its own at its first text).
    fn clone(&self) -> Pooled {
        Pooled(None)
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        if let (Some(cache), Ok(mut pool)) = (self.0.take(), POOL.lock()) {
            if pool.len() < POOL_MAX {
                pool.push(cache);
            }
        }
    }
}

/// Tokenizer of article text: words, lower case, ASCII folding and English stems, with a table
/// of recent words (see the module's description).
#[derive(Clone, Default)]
pub struct NewsText {
    cache: Pooled,
    token: Token,
}

impl Tokenizer for NewsText {
    type TokenStream<'a> = NewsTextStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NewsTextStream<'a> {
        let cache = self.cache.get();
        cache.split(text);
        self.token.reset();
        NewsTextStream {
            text,
            cache,
            next: 0,
            token: &mut self.token,
        }
    }
}

pub struct NewsTextStream<'a> {
    text: &'a str,
    cache: &'a mut Cache,
    /// The next word to yield.
    next: usize,
    token: &'a mut Token,
}

impl TokenStream for NewsTextStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(&w) = self.cache.words.get(self.next) else {
            return false;
        };
        self.next += 1;
        let (start, end) = (w.start as usize, w.end as usize);
        let token = &mut *self.token;
        token.offset_from = start;
        token.offset_to = end;
        token.position = w.position as usize;
        token.position_length = 1;
        let key = self.text.get(start..end).unwrap_or("");
        self.cache.term(key, w.set as usize, &mut token.text);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{RemoveLongFilter, SimpleTokenizer};

    fn tokens(mut a: TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut s = a.token_stream(text);
        while s.advance() {
            let t = s.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn terms_equal_tantivys_filters_on_repeated_long_and_accented_words() {
        let mut text = String::from(
            "Ministers said the ministers were meeting; meetings continued. \
             Internationalizations internationalization running runs RUNNING ran \
             countries country's Countries Société GÉNÉRALE Straße Æsir naïve NAÏVE \
             Ödön's İstanbul ΑΘΗΝΑ Zürich zürich 東京 ١٢٣ 1987-88 $4.5 mln e\u{301}t\u{e9} \
             🙂smile🙂 -- ... ",
        );
        // Words just under, at and over the length limit, in ASCII and in two-byte letters.
        for n in [LONG_WORD_BYTES - 1, LONG_WORD_BYTES, LONG_WORD_BYTES + 7] {
            text.push_str(&"x".repeat(n));
            text.push(' ');
            text.push_str(&"é".repeat(n / 2));
            text.push_str(", ");
        }
        // Enough distinct forms that table entries are replaced while the text is read.
        for i in 0..4 * SETS {
            text.push_str(&format!("Form{i}ing "));
        }
        // Two forms of one set, used in turn: each is found in either entry of the set.
        let set_of = |w: &str| hash_bytes(w.as_bytes()) as usize & (SETS - 1);
        let first = "Alternating0";
        let second = (1..)
            .map(|i| format!("Alternating{i}"))
            .find(|w| set_of(w) == set_of(first))
            .unwrap_or_default();
        for _ in 0..3 {
            text.push_str(&format!("{first} {second} {second} {first} Ministers "));
        }
        text.push_str("Ministers MEETINGS naïve Zürich");
        let cached = || TextAnalyzer::builder(NewsText::default()).build();
        let plain = || {
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(LONG_WORD_BYTES))
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .filter(Stemmer::new(Language::English))
                .build()
        };
        let want = tokens(plain(), &text);
        assert!(want.iter().any(|t| t.0 == "minist"));
        assert!(want.iter().any(|t| t.0 == "societ"));
        assert!(want.iter().any(|t| t.0 == "zurich"));
        // Twice: the second pass is served from the table where it still holds the form.
        for _ in 0..2 {
            let got = tokens(cached(), &text);
            let diff = got.iter().zip(&want).position(|(g, w)| g != w);
            assert_eq!(diff.map(|d| (&got[d], &want[d])), None);
            assert_eq!(got.len(), want.len());
        }
        // Texts that start or end inside a word, and texts with no word at all.
        for t in ["", " ", "--", "word", "é", "🙂", "a🙂b", "word, end"] {
            assert_eq!(tokens(cached(), t), tokens(plain(), t), "{t:?}");
        }
    }
}
