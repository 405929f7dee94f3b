//! The tantivy index: its schema (built in one place, [`schema`]), opening and creating it with a
//! recorded format version, and the conversion between an article with its entities and a document.
//!
//! Every document stores one JSON blob ([`StoredDoc`]) from which it can be rebuilt whole, so an
//! upsert (new origin, changed content) never needs the original input again.

pub mod maybe;
pub mod merge;
pub mod names;
pub mod stem;
pub mod values;
pub mod writer;

use crate::article::Article;
use crate::entities::{ArticleEntities, Place};
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::index::SegmentId;
use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, Schema,
    TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{Index, IndexSettings, Searcher, TantivyDocument, Term};

/// Bumped whenever the schema or the stored blob changes incompatibly. Version 2: articles that
/// share a line of their input (or have none) get numbered origins (`path:LINE#ITEM`).
pub const SCHEMA_VERSION: u32 = 2;
const META_FILE: &str = "newsdex.json";
/// The file tantivy writes (atomically) at each commit.
const TANTIVY_META_FILE: &str = "meta.json";
/// Analyzer for article text: words, lower-cased, accents folded, English stems.
pub const TEXT_ANALYZER: &str = "news_text";
/// Analyzer for entity and source names: words, lower-cased, accents folded, no stemming.
pub const NAME_ANALYZER: &str = "news_name";

/// Handles to every field of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub title: Field,
    pub body: Field,
    pub caption: Field,
    pub dateline: Field,
    pub author: Field,
    pub source: Field,
    pub person: Field,
    pub place: Field,
    pub org: Field,
    pub date: Field,
    pub origin: Field,
    pub person_facet: Field,
    pub place_facet: Field,
    pub org_facet: Field,
    pub source_facet: Field,
    pub date_facet: Field,
    pub stored: Field,
}

/// Builds the schema and the field handles.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |analyzer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", text(TEXT_ANALYZER)),
        body: b.add_text_field("body", text(TEXT_ANALYZER)),
        caption: b.add_text_field("caption", text(TEXT_ANALYZER)),
        dateline: b.add_text_field("dateline", text(NAME_ANALYZER)),
        author: b.add_text_field("author", text(NAME_ANALYZER)),
        source: b.add_text_field("source", text(NAME_ANALYZER)),
        person: b.add_text_field("person", text(NAME_ANALYZER)),
        place: b.add_text_field("place", text(NAME_ANALYZER)),
        org: b.add_text_field("org", text(NAME_ANALYZER)),
        date: b.add_date_field(
            "date",
            DateOptions::default()
                .set_indexed()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        ),
        origin: b.add_text_field("origin", STRING),
        person_facet: b.add_facet_field("person_facet", FacetOptions::default()),
        place_facet: b.add_facet_field("place_facet", FacetOptions::default()),
        org_facet: b.add_facet_field("org_facet", FacetOptions::default()),
        source_facet: b.add_facet_field("source_facet", FacetOptions::default()),
        date_facet: b.add_facet_field("date_facet", FacetOptions::default()),
        stored: b.add_text_field("doc", STORED),
    };
    (b.build(), fields)
}

/// Settings of a new index: the stored records (mostly article text and JSON) are compressed
/// with zstd, which keeps the index about a fifth smaller than with the default lz4. Level 1 on
/// 32 KiB blocks makes a slightly smaller store than level 3 on tantivy's 16 KiB blocks, with
/// about half the compression CPU (a tenth of an ingest without extraction, before); fetching
/// the ten records of a page of hits stays well under a millisecond.
fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(1),
        }),
        docstore_blocksize: 32 * 1024,
        ..IndexSettings::default()
    }
}

fn register_analyzers(index: &Index) {
    let manager = index.tokenizers();
    manager.register(
        TEXT_ANALYZER,
        TextAnalyzer::builder(stem::NewsText::default()).build(),
    );
    manager.register(
        NAME_ANALYZER,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(60))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    format: String,
    schema_version: u32,
}

/// The progress an ingest records in each commit (the commit's payload, as JSON): a run killed
/// after a commit leaves exactly the articles counted here, and running it again finishes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CommitInfo {
    /// When the ingest run started and when this commit was made (RFC 3339, UTC).
    pub run_started: String,
    pub committed_at: String,
    /// Articles of the run applied so far, in input order, and how they changed the index.
    pub articles_applied: u64,
    pub added: u64,
    pub replaced: u64,
    pub unchanged: u64,
    pub duplicates: u64,
    /// Articles stored as read but indexed without entities, rewritten with them.
    #[serde(default)]
    pub entities_added: u64,
    /// Inputs whose every article is applied, out of the inputs of the run.
    pub inputs_done: u64,
    pub inputs_total: u64,
    /// The last input fully applied.
    pub last_input: Option<String>,
    /// Whether the run ended normally with this commit.
    pub complete: bool,
    /// Documents in the index after this commit.
    pub documents: u64,
}

/// An open index with its field handles.
pub struct NewsIndex {
    pub index: Index,
    pub fields: Fields,
    /// The folder of an index on disk (`None` in memory).
    dir: Option<PathBuf>,
    /// Whether each segment seen so far has caption text (see [`NewsIndex::has_captions`]).
    captions: Mutex<HashMap<SegmentId, bool>>,
}

impl NewsIndex {
    /// Opens an existing index, with a message that says what to do when there is none.
    pub fn open(dir: &Path) -> Result<NewsIndex> {
        let meta_path = dir.join(META_FILE);
        let meta = std::fs::read_to_string(&meta_path).map_err(|_| {
            anyhow::anyhow!(
                "no newsdex index at {}: run `newsdex ingest PATH --index {}` first",
                dir.display(),
                dir.display()
            )
        })?;
        let meta: Meta = serde_json::from_str(&meta).with_context(|| {
            format!(
                "{} is not a newsdex index description: remove the folder {} and run \
                 `newsdex ingest PATH --index {}` again",
                meta_path.display(),
                dir.display(),
                dir.display()
            )
        })?;
        if meta.schema_version != SCHEMA_VERSION {
            bail!(
                "the index at {dir} was built by a newsdex with index format version {} but this \
                 newsdex reads version {SCHEMA_VERSION}: rebuild it by removing the folder {dir} \
                 and running `newsdex ingest PATH --index {dir}` again (or ingest into a new \
                 --index folder)",
                meta.schema_version,
                dir = dir.display(),
            );
        }
        if !dir.join(TANTIVY_META_FILE).exists() {
            // Killed between writing newsdex.json and creating the tantivy files: nothing was
            // ever committed, so an empty index is exactly its state.
            Index::builder()
                .schema(schema().0)
                .settings(settings())
                .create_in_dir(dir)
                .with_context(|| format!("cannot create an index in {}", dir.display()))?;
        }
        let index = Index::open_in_dir(dir)
            .with_context(|| format!("cannot open the index at {}", dir.display()))?;
        let (_, fields) = schema();
        register_analyzers(&index);
        Ok(NewsIndex {
            index,
            fields,
            dir: Some(dir.to_path_buf()),
            captions: Mutex::default(),
        })
    }

    /// Opens the index, creating it (and its folder) when missing.
    pub fn open_or_create(dir: &Path) -> Result<NewsIndex> {
        if dir.join(META_FILE).exists() {
            return NewsIndex::open(dir);
        }
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the index folder {}", dir.display()))?;
        let has_other_files = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .filter_map(|e| e.ok())
            .any(|e| !e.file_name().to_string_lossy().starts_with('.'));
        if has_other_files {
            bail!(
                "{} is not empty and holds no newsdex index: choose another --index folder",
                dir.display()
            );
        }
        // newsdex.json first (written whole, then renamed into place), then the tantivy files:
        // a run killed in between leaves a folder that `open` completes.
        let meta = Meta {
            format: "newsdex".into(),
            schema_version: SCHEMA_VERSION,
        };
        let partial = dir.join(format!(".{META_FILE}.partial"));
        std::fs::write(&partial, serde_json::to_string_pretty(&meta)?)
            .and_then(|()| std::fs::rename(&partial, dir.join(META_FILE)))
            .with_context(|| format!("cannot write {}", dir.join(META_FILE).display()))?;
        NewsIndex::open(dir)
    }

    /// What the last ingest recorded in the last commit, if it recorded anything.
    pub fn last_commit(&self) -> Result<Option<CommitInfo>> {
        let metas = self
            .index
            .load_metas()
            .context("cannot read the index's commit record")?;
        Ok(metas
            .payload
            .and_then(|p| serde_json::from_str::<CommitInfo>(&p).ok()))
    }

    /// An in-memory index, for tests.
    pub fn in_ram() -> NewsIndex {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        register_analyzers(&index);
        NewsIndex {
            index,
            fields,
            dir: None,
            captions: Mutex::default(),
        }
    }

    /// Whether any segment of `searcher` has caption text. tantivy builds an empty term
    /// dictionary anew each time a query looks up a field that a segment lacks (for every term,
    /// segment and statistic), so text queries search the caption only where some article has
    /// one. A segment never changes, so its answer is kept.
    pub fn has_captions(&self, searcher: &Searcher) -> Result<bool> {
        let mut known = self.captions.lock().unwrap_or_else(|e| e.into_inner());
        for segment in searcher.segment_readers() {
            let has = match known.get(&segment.segment_id()) {
                Some(&has) => has,
                None => {
                    let terms = segment
                        .inverted_index(self.fields.caption)?
                        .terms()
                        .num_terms();
                    known.insert(segment.segment_id(), terms > 0);
                    terms > 0
                }
            };
            if has {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The index again, through memory maps of its own. tantivy shares one map per file within
    /// a handle, so a reader kept open on `index` would keep every page a merge reads through
    /// that map resident until the reader lets go of the merged segments: up to a whole merge's
    /// input, next to the merge that follows. A reader on this handle only holds the pages it
    /// reads itself. (The same `Index` when in memory.)
    pub fn separate_handle(&self) -> Result<Index> {
        let Some(dir) = &self.dir else {
            return Ok(self.index.clone());
        };
        let directory = tantivy::directory::MmapDirectory::open(dir)
            .with_context(|| format!("cannot open the index at {}", dir.display()))?;
        Index::open(directory)
            .with_context(|| format!("cannot open the index at {}", dir.display()))
    }
}

/// What each document stores: the whole article and its entities.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredDoc {
    pub article: Article,
    pub entities: ArticleEntities,
    /// The content hash of what each origin held when it was last read (origin → hash): tells a
    /// re-read of an unchanged file from a changed one even when origins hold near-identical
    /// variants of the article.
    #[serde(default)]
    pub origin_hashes: BTreeMap<String, String>,
    /// Indexed without entity extraction (`ingest --no-entities`): a later ingest that extracts
    /// entities rewrites the document with them even though its text is unchanged.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub without_entities: bool,
}

impl StoredDoc {
    /// A freshly read article: each of its origins holds its content.
    pub fn new(article: Article, entities: ArticleEntities) -> StoredDoc {
        let origin_hashes = article
            .origins
            .iter()
            .map(|o| (o.to_string(), article.content_hash.clone()))
            .collect();
        StoredDoc {
            article,
            entities,
            origin_hashes,
            without_entities: false,
        }
    }
}

impl StoredDoc {
    /// Reads the blob of a retrieved document.
    pub fn from_doc(doc: &TantivyDocument, fields: &Fields) -> Result<StoredDoc> {
        let blob = doc
            .get_first(fields.stored)
            .and_then(|v| v.as_str())
            .context("document without its stored record (index damaged?)")?;
        let mut doc: StoredDoc =
            serde_json::from_str(blob).context("unreadable stored record (index damaged?)")?;
        // An origin recorded without a hash held the article's content (see `to_doc`).
        for hash in doc.origin_hashes.values_mut() {
            if hash.is_empty() {
                hash.clone_from(&doc.article.content_hash);
            }
        }
        Ok(doc)
    }

    /// The article's title alone, as a page of hits lists it. The record is written as
    /// `{"article":{"id":…,"title":…`, so the two leading strings are read and the rest of the
    /// record (body, entities) is not parsed; a record laid out otherwise is parsed whole.
    pub fn title_of(doc: &TantivyDocument, fields: &Fields) -> Result<String> {
        let blob = doc
            .get_first(fields.stored)
            .and_then(|v| v.as_str())
            .context("document without its stored record (index damaged?)")?;
        match leading_title(blob) {
            Some(title) => Ok(title),
            None => Ok(StoredDoc::from_doc(doc, fields)?.article.title),
        }
    }

    /// Builds the tantivy document: searchable text, entity names, facets, date, origins, blob.
    pub fn to_doc(&self, fields: &Fields) -> Result<TantivyDocument> {
        let a = &self.article;
        // The stored record first: its size sizes the document's buffer, which holds the text
        // twice (indexed and stored), so neither grows by copying itself as fields are added.
        let text_bytes = a.title.len() + a.body.len() + a.caption.as_ref().map_or(0, String::len);
        let mut record = Vec::with_capacity(text_bytes + text_bytes / 4 + 1024);
        serde_json::to_writer(&mut record, &self.record())?;
        let record = String::from_utf8(record)?;
        let mut doc = TantivyDocument::with_capacity(text_bytes + record.len() + 1024);
        doc.add_text(fields.id, &a.id);
        doc.add_text(fields.title, &a.title);
        doc.add_text(fields.body, &a.body);
        for (field, value) in [
            (fields.caption, &a.caption),
            (fields.dateline, &a.dateline),
            (fields.author, &a.author),
        ] {
            if let Some(v) = value {
                doc.add_text(field, v);
            }
        }
        if let Some(source) = &a.source {
            doc.add_text(fields.source, source);
            doc.add_facet(fields.source_facet, facet(&[source.as_str()]));
        }
        if let Some(date) = a.published {
            doc.add_date(
                fields.date,
                tantivy::DateTime::from_timestamp_secs(date.timestamp()),
            );
            let ymd = date.format("%Y-%m-%d").to_string();
            let parts: Vec<&str> = ymd.split('-').collect();
            doc.add_facet(fields.date_facet, facet(&parts));
        }
        for origin in &a.origins {
            doc.add_text(fields.origin, origin.to_string());
        }
        for p in &self.entities.people {
            doc.add_text(fields.person, &p.name);
            doc.add_facet(fields.person_facet, facet(&[p.name.as_str()]));
        }
        for o in &self.entities.orgs {
            doc.add_text(fields.org, &o.name);
            doc.add_facet(fields.org_facet, facet(&[o.name.as_str()]));
        }
        for p in &self.entities.places {
            doc.add_text(fields.place, place_search_text(p));
            let path = p.facet_path();
            let segs: Vec<&str> = path.iter().map(String::as_str).collect();
            doc.add_facet(fields.place_facet, facet(&segs));
        }
        doc.add_text(fields.stored, record);
        Ok(doc)
    }

    /// The stored record: the document, with each origin that holds the article's current
    /// content recorded without repeating its hash (hashes hardly compress: 5% of the index).
    fn record(&self) -> Record<'_> {
        let same = self.article.content_hash.as_str();
        Record {
            article: &self.article,
            entities: &self.entities,
            origin_hashes: self
                .origin_hashes
                .iter()
                .map(|(o, h)| (o.as_str(), if h == same { "" } else { h.as_str() }))
                .collect(),
            without_entities: self.without_entities,
        }
    }
}

/// [`StoredDoc`] as stored (see [`StoredDoc::record`]).
#[derive(Serialize)]
struct Record<'a> {
    article: &'a Article,
    entities: &'a ArticleEntities,
    origin_hashes: BTreeMap<&'a str, &'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    without_entities: bool,
}

/// Text indexed for `place:` queries: the place, its region, its country and the country's code,
/// so `place:libya` finds an article that names only Tripoli. Each name once: a country's own
/// name is also its country ("Libya ; LY", not "Libya ; Libya ; LY"), which saves index work on
/// the places news names most.
fn place_search_text(p: &Place) -> String {
    let mut parts: Vec<&str> = Vec::with_capacity(4);
    for part in std::iter::once(p.name.as_str())
        .chain(p.region.as_deref())
        .chain(p.country.as_deref())
        .chain(p.country_code.as_deref())
    {
        if !parts.iter().any(|q| q.eq_ignore_ascii_case(part)) {
            parts.push(part);
        }
    }
    parts.join(" ; ")
}

/// A facet from path segments (never from an escaped string: names may contain `/`). Empty
/// segments are dropped.
pub fn facet(segments: &[&str]) -> tantivy::schema::Facet {
    let clean: Vec<String> = segments
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    tantivy::schema::Facet::from_path(clean)
}

/// The term that identifies a document.
pub fn id_term(fields: &Fields, id: &str) -> Term {
    Term::from_field_text(fields.id, id)
}

/// A stored document for tests: an article read from `path` with the given text, content hash
/// and entities.
/// The title of a record that begins with the article's id and title, else `None`.
fn leading_title(blob: &str) -> Option<String> {
    // One JSON string at the start of `text`, and the text after it.
    fn string(text: &str) -> Option<(String, &str)> {
        let mut values = serde_json::Deserializer::from_str(text).into_iter::<String>();
        let value = values.next()?.ok()?;
        Some((value, &text[values.byte_offset()..]))
    }
    let rest = blob.strip_prefix(r#"{"article":{"id":"#)?;
    let (_, rest) = string(rest)?;
    let (title, _) = string(rest.strip_prefix(r#","title":"#)?)?;
    Some(title)
}

#[cfg(test)]
pub(crate) fn test_doc(
    id: &str,
    title: String,
    body: &str,
    path: &str,
    content_hash: String,
    entities: ArticleEntities,
) -> StoredDoc {
    StoredDoc::new(
        Article {
            id: id.into(),
            title,
            body: body.into(),
            caption: None,
            dateline: None,
            published: None,
            source: None,
            url: None,
            author: None,
            origins: vec![crate::article::Origin {
                path: path.into(),
                line: None,
                item: None,
            }],
            content_hash,
        },
        entities,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_is_searchable_by_each_of_its_names_once() {
        let place = |name: &str, region: Option<&str>| Place {
            name: name.to_string(),
            country: Some("Libya".to_string()),
            country_code: Some("LY".to_string()),
            region: region.map(str::to_string),
            mentions: 1,
            surface: vec![name.to_string()],
            salient: true,
        };
        assert_eq!(
            place_search_text(&place("Tripoli", Some("Tripoli District"))),
            "Tripoli ; Tripoli District ; Libya ; LY"
        );
        assert_eq!(place_search_text(&place("Libya", None)), "Libya ; LY");
        assert_eq!(place_search_text(&place("libya", None)), "libya ; LY");
    }

    #[test]
    fn a_records_title_is_read_without_parsing_the_rest() {
        let (_, fields) = schema();
        for title in [
            "Plain",
            "",
            "Quote \" and \\ and \u{e9}t\u{e9} \u{1F600}",
            "{\"article\":",
        ] {
            let doc = test_doc(
                "id \"1\"",
                title.into(),
                "Body.",
                "a.txt",
                "h".into(),
                ArticleEntities::default(),
            );
            let tdoc = doc.to_doc(&fields).unwrap();
            let blob = tdoc
                .get_first(fields.stored)
                .and_then(|v| v.as_str())
                .unwrap();
            assert_eq!(leading_title(blob).as_deref(), Some(title), "{blob}");
            assert_eq!(StoredDoc::title_of(&tdoc, &fields).unwrap(), title);
        }
        // Another layout of the record falls back to parsing it whole.
        let doc = test_doc(
            "x",
            "Moved".into(),
            "B.",
            "a.txt",
            "h".into(),
            Default::default(),
        );
        let mut record = serde_json::to_value(&doc).unwrap();
        let article = record["article"].take();
        let reordered = serde_json::json!({"entities": record["entities"], "article": article});
        let mut tdoc = TantivyDocument::default();
        tdoc.add_text(fields.stored, reordered.to_string());
        assert_eq!(leading_title(&reordered.to_string()), None);
        assert_eq!(StoredDoc::title_of(&tdoc, &fields).unwrap(), "Moved");
        assert_eq!(leading_title(r#"{"article":{"id":"x","title":"cut"#), None);
        assert_eq!(leading_title(r#"{"article":{"id":7,"title":"t"}}"#), None);
    }

    #[test]
    fn stored_records_keep_each_origins_hash_without_repeating_the_content_hash() {
        let hash = "a".repeat(64);
        let mut doc = test_doc(
            "id1",
            "Title".into(),
            "Body text.",
            "x/a.txt",
            hash.clone(),
            ArticleEntities::default(),
        );
        doc.origin_hashes.insert("x/b.txt".into(), "b".repeat(64));
        let (_, fields) = schema();
        let tdoc = doc.to_doc(&fields).unwrap();
        let blob = tdoc
            .get_first(fields.stored)
            .and_then(|v| v.as_str())
            .unwrap();
        assert_eq!(blob.matches(&hash).count(), 1, "{blob}");
        let back = StoredDoc::from_doc(&tdoc, &fields).unwrap();
        assert_eq!(back.origin_hashes, doc.origin_hashes);
        assert_eq!(back.article.content_hash, hash);
    }
}
