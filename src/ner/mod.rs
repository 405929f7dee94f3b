//! Named-entity recognition: tokenizer, trained sequence tagger (PER, LOC, ORG, MISC), training and
//! CoNLL evaluation. Pure Rust; the model is embedded in the binary.
//!
//! Layout: [`tokenize`] (tokens with byte offsets, sentences) → [`features`] (hashed features) →
//! [`model`] (weights, file format, Viterbi) → [`tagger`] (cached scoring); [`train`] fits a model
//! from resources built by [`resources`] (gazetteer flags) and [`clusters`] (word clusters),
//! [`conll`] reads CoNLL-2003 files and [`eval`] scores predictions conlleval-style.
//!
//! The tagger is an averaged structured perceptron over BIO tags run in two passes: the second
//! pass adds document-level features from the first pass's tags (how the same word was tagged
//! elsewhere in the article, a lone surname after a full name).
//!
//! INTERFACE CONTRACT (other modules rely on exactly these items):
//! - [`EntityType`], [`Mention`]
//! - [`Tagger::embedded`] returns the tagger built from the committed model (loaded once).
//! - [`Tagger::tag_document`] tags a whole article's text (all fields joined with blank lines), so
//!   document-level features see the whole article; offsets are byte offsets into that text.

pub mod clusters;
pub mod conll;
pub mod eval;
pub mod features;
pub mod model;
pub mod resources;
pub mod tagger;
pub mod tokenize;
pub mod train;
pub mod truecase;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The four CoNLL-2003 entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum EntityType {
    Per,
    Loc,
    Org,
    Misc,
}

/// One entity mention found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub ty: EntityType,
    /// Byte offsets into the tagged text: `&text[start..end] == self.text`.
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// The trained tagger.
pub struct Tagger {
    engine: tagger::Engine,
}

/// The committed model, embedded in the binary.
static EMBEDDED_MODEL: &[u8] = include_bytes!("../../model/ner.bin");

impl Tagger {
    /// The tagger built from the model embedded in the binary, loaded on first use.
    pub fn embedded() -> &'static Tagger {
        static TAGGER: std::sync::OnceLock<Tagger> = std::sync::OnceLock::new();
        TAGGER.get_or_init(|| {
            // The embedded model is part of the build and checked by a unit test, so a failure
            // here is a build defect, not bad input.
            Tagger::from_bytes(EMBEDDED_MODEL).expect("the embedded NER model is valid")
        })
    }

    /// The serialized embedded model.
    pub fn embedded_bytes() -> &'static [u8] {
        EMBEDDED_MODEL
    }

    /// A tagger from serialized model bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger> {
        Ok(Tagger::from_model(model::Model::from_bytes(bytes)?))
    }

    /// A tagger from a model file.
    pub fn load(path: &Path) -> Result<Tagger> {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read model {}", path.display()))?;
        Tagger::from_bytes(&bytes).with_context(|| format!("cannot load model {}", path.display()))
    }

    /// A tagger around a model in memory.
    pub fn from_model(model: model::Model) -> Tagger {
        Tagger {
            engine: tagger::Engine::new(model),
        }
    }

    /// The loaded model.
    pub fn model(&self) -> &model::Model {
        &self.engine.model
    }

    /// Tags one document given as tokenized sentences; BIO tag ids (see [`conll::tag_parts`]).
    pub fn tag_tokens(&self, sentences: &[Vec<&str>]) -> Vec<Vec<u8>> {
        self.engine.tag_sentences(sentences)
    }

    /// Tags a whole document and returns its mentions in text order.
    pub fn tag_document(&self, text: &str) -> Vec<Mention> {
        let tokens = tokenize::tokenize(text);
        let ranges = tokenize::split_sentences(text, &tokens);
        self.tag_tokenized(text, &tokens, &ranges)
    }

    /// [`Tagger::tag_document`] on a text already split into tokens and sentences
    /// ([`tokenize::tokenize`], [`tokenize::split_sentences`]).
    pub fn tag_tokenized(
        &self,
        text: &str,
        tokens: &[tokenize::Token],
        ranges: &[std::ops::Range<usize>],
    ) -> Vec<Mention> {
        let sentences: Vec<Vec<&str>> = ranges
            .iter()
            .map(|r| tokens[r.clone()].iter().map(|t| t.text(text)).collect())
            .collect();
        let tags = self.engine.tag_sentences(&sentences);
        let mut out = Vec::new();
        for (r, tags) in ranges.iter().zip(&tags) {
            let toks = &tokens[r.clone()];
            for span in conll::spans_from_ids(tags) {
                let words: Vec<&str> = toks[span.start..span.end]
                    .iter()
                    .map(|t| t.text(text))
                    .collect();
                let keep = trim_trailing_months(&words);
                if keep == 0 {
                    continue;
                }
                let start = toks[span.start].start;
                let end = toks[span.start + keep - 1].end;
                out.push(Mention {
                    ty: span.ty,
                    start,
                    end,
                    text: text[start..end].to_string(),
                });
            }
        }
        out
    }
}

/// How many words of a mention to keep: a trailing month abbreviation ("New York Dec" in a
/// newswire dateline such as "New York Dec 1") is not part of a name.
fn trim_trailing_months(words: &[&str]) -> usize {
    const MONTHS: &[&str] = &[
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    ];
    let mut n = words.len();
    while n > 1 && MONTHS.contains(&words[n - 1].trim_end_matches('.')) {
        n -= 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagging_is_the_same_from_several_threads() {
        let text =
            "Lena Berg of Acme Corp. flew from Oslo to Madrid.\n\nBerg said Acme would grow.";
        let want = Tagger::embedded().tag_document(text);
        let handles: Vec<_> = (0..3)
            .map(|_| std::thread::spawn(move || Tagger::embedded().tag_document(text)))
            .collect();
        for h in handles {
            assert_eq!(h.join().expect("thread"), want);
        }
    }

    #[test]
    fn trailing_month_abbreviations_are_trimmed() {
        assert_eq!(trim_trailing_months(&["New", "York", "Dec"]), 2);
        assert_eq!(trim_trailing_months(&["Lake", "Oslo", "Sept."]), 2);
        assert_eq!(trim_trailing_months(&["Theresa", "May"]), 2);
        assert_eq!(trim_trailing_months(&["Dec"]), 1);
    }

    #[test]
    fn embedded_model_loads_and_tags_with_offsets() {
        let tagger = Tagger::embedded();
        assert!(tagger.model().rows() > 0);
        let text =
            "Talks in Geneva\n\nPrime Minister Jan Novak met Maria Lopez in Geneva on Monday, \
                    the Foreign Ministry said.";
        let mentions = tagger.tag_document(text);
        assert!(!mentions.is_empty());
        for m in &mentions {
            assert_eq!(&text[m.start..m.end], m.text);
        }
        assert!(mentions
            .iter()
            .any(|m| m.ty == EntityType::Loc && m.text == "Geneva"));
    }
}
