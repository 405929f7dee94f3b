//! The terms of article text: each token lower-cased, folded to ASCII and reduced to its English
//! stem, through a table from the token as written to its term.
//!
//! Lower-casing, folding and the Snowball stemmer together were the largest single cost of
//! indexing article text, and news vocabulary repeats: a few tens of thousands of word forms
//! make up nearly every token. Each analyzer keeps a direct-mapped table of recent forms, one
//! cache line per entry, reused from one segment to the next. A text's tokens are read first and
//! their entries loaded together, so their cache misses overlap; then each token costs a compare
//! and a copy. The terms are exactly those of tantivy's [`LowerCaser`], [`AsciiFoldingFilter`]
//! and English [`Stemmer`] applied in that order, which compute every term the table lacks.

use crate::ner::features::hash_bytes;
use std::sync::Mutex;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, Stemmer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// Entries of a table (a power of two): 2 MiB.
const SLOTS: usize = 1 << 15;
/// Longest token and term the table holds (longer ones are computed each time; they are rare).
const MAX_LEN: usize = 31;
/// Token buffers above this many tokens (one giant text) are not kept for the next text.
const KEEP_TOKENS: usize = 1 << 16;

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

const EMPTY: Slot = Slot {
    key_len: 0,
    term_len: 0,
    key: [0; MAX_LEN],
    term: [0; MAX_LEN],
};

/// A token of the text being analyzed: its position and offsets (text empty), where its text
/// is in `Cache::words`, and its table entry.
struct Pending {
    token: Token,
    start: usize,
    end: usize,
    slot: usize,
}

struct Cache {
    slots: Box<[Slot]>,
    /// Computes the terms the table does not hold.
    analyzer: TextAnalyzer,
    /// The tokens of the text being analyzed, and their texts one after the other.
    tokens: Vec<Pending>,
    words: String,
}

impl Cache {
    fn new() -> Cache {
        Cache {
            slots: vec![EMPTY; SLOTS].into_boxed_slice(),
            analyzer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .filter(Stemmer::new(Language::English))
                .build(),
            tokens: Vec::new(),
            words: String::new(),
        }
    }

    /// Takes every token of `tail` and loads their table entries.
    fn load<T: TokenStream>(&mut self, mut tail: T) {
        if self.tokens.capacity() > KEEP_TOKENS {
            self.tokens = Vec::new();
            self.words = String::new();
        }
        self.tokens.clear();
        self.words.clear();
        while tail.advance() {
            let t = tail.token();
            let start = self.words.len();
            self.words.push_str(&t.text);
            let slot = (hash_bytes(t.text.as_bytes()) as usize) & (SLOTS - 1);
            self.tokens.push(Pending {
                token: Token {
                    offset_from: t.offset_from,
                    offset_to: t.offset_to,
                    position: t.position,
                    text: String::new(),
                    position_length: t.position_length,
                },
                start,
                end: self.words.len(),
                slot,
            });
        }
        // Independent loads: the processor waits for their misses together.
        let mut seen = 0u8;
        for p in &self.tokens {
            seen ^= self.slots[p.slot].key_len;
        }
        std::hint::black_box(seen);
    }

    /// Writes the term of token `i` (see [`Cache::load`]) into `out`.
    fn term(&mut self, i: usize, out: &mut String) {
        let Cache {
            slots,
            analyzer,
            tokens,
            words,
        } = self;
        let p = &tokens[i];
        let key = &words[p.start..p.end];
        let cacheable = !key.is_empty() && key.len() <= MAX_LEN;
        let slot = &mut slots[p.slot];
        out.clear();
        if cacheable
            && slot.key_len as usize == key.len()
            && &slot.key[..key.len()] == key.as_bytes()
        {
            // The table holds only terms copied from strings.
            out.push_str(std::str::from_utf8(&slot.term[..slot.term_len as usize]).unwrap_or(""));
            return;
        }
        let mut stream = analyzer.token_stream(key);
        if !stream.advance() {
            out.push_str(key);
            return;
        }
        let term = &stream.token().text;
        if cacheable && term.len() <= MAX_LEN {
            slot.key_len = key.len() as u8;
            slot.key[..key.len()].copy_from_slice(key.as_bytes());
            slot.term_len = term.len() as u8;
            slot.term[..term.len()].copy_from_slice(term.as_bytes());
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

/// Token filter: lower case, ASCII folding and English stems, with a table of recent words.
#[derive(Clone, Copy, Debug, Default)]
pub struct NewsTerms;

impl TokenFilter for NewsTerms {
    type Tokenizer<T: Tokenizer> = NewsTermsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> NewsTermsFilter<T> {
        NewsTermsFilter {
            inner,
            cache: Pooled::default(),
        }
    }
}

#[derive(Clone)]
pub struct NewsTermsFilter<T> {
    inner: T,
    cache: Pooled,
}

impl<T: Tokenizer> Tokenizer for NewsTermsFilter<T> {
    type TokenStream<'a> = NewsTermsStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NewsTermsStream<'a> {
        let cache = self.cache.get();
        cache.load(self.inner.token_stream(text));
        NewsTermsStream {
            cache,
            next: 0,
            token: Token::default(),
        }
    }
}

pub struct NewsTermsStream<'a> {
    cache: &'a mut Cache,
    /// The next token to yield.
    next: usize,
    token: Token,
}

impl TokenStream for NewsTermsStream<'_> {
    fn advance(&mut self) -> bool {
        let i = self.next;
        let Some(p) = self.cache.tokens.get(i) else {
            return false;
        };
        self.next += 1;
        // The term goes into the token's own buffer, reused from token to token.
        let mut text = std::mem::take(&mut self.token.text);
        self.token = p.token.clone();
        self.cache.term(i, &mut text);
        self.token.text = text;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
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
             Ödön's İstanbul ΑΘΗΝΑ Zürich zürich ",
        );
        // Enough distinct forms that table entries are replaced while the text is read.
        for i in 0..2 * SLOTS {
            text.push_str(&format!("Form{i}ing "));
        }
        text.push_str("Ministers MEETINGS naïve Zürich");
        let cached = || {
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(60))
                .filter(NewsTerms)
                .build()
        };
        let plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(60))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::English))
            .build();
        let want = tokens(plain, &text);
        assert!(want.iter().any(|t| t.0 == "minist"));
        assert!(want.iter().any(|t| t.0 == "societ"));
        assert!(want.iter().any(|t| t.0 == "zurich"));
        // Twice: the second pass is served from the table where it still holds the form.
        assert_eq!(tokens(cached(), &text), want);
        assert_eq!(tokens(cached(), &text), want);
    }
}
