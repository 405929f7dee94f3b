//! The one type that crosses stage boundaries: a normalized news article.
//!
//! `sources` decode bytes and `normalize` builds an [`Article`]; `entities` reads it; `index` stores it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where an article was read from: a file path (as given on the command line, joined with the
/// walked sub-path), `-` for standard input, and the 1-based line for JSON Lines records.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub struct Origin {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<u64>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.path, line),
            None => f.write_str(&self.path),
        }
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
