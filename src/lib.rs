//! newsdex: a search engine for news-article archives.
//!
//! Pipeline: `sources` (paths → decoded records) → `normalize` (→ [`article::Article`]) →
//! `entities` (tagger mentions → canonical people, places, organizations) → `index` (tantivy) →
//! `query` / `search` / `facets` → `present` (text or JSON).

pub mod article;
pub mod cli;
pub mod commands;
pub mod entities;
pub mod index;
pub mod memory;
pub mod ner;
pub mod normalize;
pub mod present;
pub mod query;
pub mod sources;
