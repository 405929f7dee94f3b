//! The one type that crosses stage boundaries: a normalized news article.
//!
//! `sources` decode bytes and `normalize` builds an [`Article`]; `entities` reads it; `index` stores it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where an article was read from: a file path (as given on the command line, joined with the
/// walked sub-path), `-` for standard input, and the 1-based line for JSON Lines records.
///
/// Every article of one input has its own origin: when several share a line (a minified JSON
/// array) or have none (a list wrapped in an object), `item` numbers them (1-based, in the order
/// of the input), so an input's articles never stand for one another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub struct Origin {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub item: Option<u64>,
}

impl std::fmt::Display for Origin {
    /// `path`, `path:LINE`, `path#ITEM` or `path:LINE#ITEM`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(item) = self.item {
            write!(f, "#{item}")?;
        }
        Ok(())
    }
}

/// A normalized article. Text fields are trimmed; `body` keeps paragraphs separated by a blank line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identity: the record's own id, else its url, else `sha256:` + hash of the normalized
    /// title and body (see `normalize::article_id`).
    pub id: String,
    pub title: String,
    pub body: String,
    pub caption: Option<String>,
    pub dateline: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// Every place this exact article was read from.
    pub origins: Vec<Origin>,
    /// Hash of all stored content fields: tells an unchanged re-ingest from a changed article.
    pub content_hash: String,
}
