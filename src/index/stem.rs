//! English stemming with a per-thread cache of word → stem.
//!
//! Stemming is one of the larger costs of indexing article text, and news vocabulary repeats:
//! a few tens of thousands of word forms make up nearly every token. Each indexing thread keeps
//! the stems it has computed, so the Snowball stemmer runs about once per word form rather than
//! once per token. The stems are exactly tantivy's English [`Stemmer`]'s.

use crate::ner::tagger::WordHasher;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Most word forms a thread keeps before starting over.
const CACHE_LIMIT: usize = 200_000;
/// Longer tokens are stemmed each time (they are rare, and would crowd the cache).
const MAX_CACHED_LEN: usize = 24;

struct Cache {
    stems: HashMap<Box<str>, Box<str>, BuildHasherDefault<WordHasher>>,
    stemmer: TextAnalyzer,
}

impl Cache {
    fn new() -> Cache {
        Cache {
            stems: HashMap::default(),
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }

    /// Replaces `word` by its stem.
    fn stem_in_place(&mut self, word: &mut String) {
        if let Some(stem) = self.stems.get(word.as_str()) {
            if **stem != **word {
                word.clear();
                word.push_str(stem);
            }
            return;
        }
        let stem = {
            let mut stream = self.stemmer.token_stream(word);
            if !stream.advance() {
                return;
            }
            std::mem::take(&mut stream.token_mut().text)
        };
        if word.len() <= MAX_CACHED_LEN {
            if self.stems.len() >= CACHE_LIMIT {
                self.stems.clear();
            }
            self.stems
                .insert(word.as_str().into(), stem.as_str().into());
        }
        *word = stem;
    }
}

thread_local! {
    static CACHE: RefCell<Cache> = RefCell::new(Cache::new());
}

/// Token filter: English stems, cached per thread. Tokens are expected in lower case.
#[derive(Clone, Copy, Debug, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner }
    }
}

#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
        }
    }
}

pub struct CachedStemmerStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        CACHE.with(|c| c.borrow_mut().stem_in_place(&mut token.text));
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer};

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
    fn stems_equal_tantivys_english_stemmer_on_repeated_and_long_words() {
        let text = "Ministers said the ministers were meeting; meetings continued. \
                    Internationalizations internationalization running runs RUNNING ran \
                    countries country's Countries";
        let cached = || {
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(CachedStemmer)
                .build()
        };
        let plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let want = tokens(plain, text);
        assert!(want.iter().any(|t| t.0 == "minist"));
        // Twice: the second pass is served from the cache.
        assert_eq!(tokens(cached(), text), want);
        assert_eq!(tokens(cached(), text), want);
    }
}
