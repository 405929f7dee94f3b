//! Named-entity recognition: tokenizer, trained sequence tagger (PER, LOC, ORG, MISC), training and
//! CoNLL evaluation. Pure Rust; the model is embedded in the binary.
//!
//! INTERFACE CONTRACT (other modules rely on exactly these items):
//! - [`EntityType`], [`Mention`]
//! - [`Tagger::embedded`] returns the tagger built from the committed model (loaded once).
//! - [`Tagger::tag_document`] tags a whole article's text (all fields joined with blank lines), so
//!   document-level features see the whole article; offsets are byte offsets into that text.

use serde::{Deserialize, Serialize};

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
pub struct Tagger {}

impl Tagger {
    /// The tagger built from the model embedded in the binary, loaded on first use.
    pub fn embedded() -> &'static Tagger {
        static TAGGER: std::sync::OnceLock<Tagger> = std::sync::OnceLock::new();
        TAGGER.get_or_init(|| Tagger {})
    }

    /// Tags a whole document and returns its mentions in text order.
    pub fn tag_document(&self, _text: &str) -> Vec<Mention> {
        Vec::new() // placeholder until the trained tagger lands
    }
}
