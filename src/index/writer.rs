//! Upserts into the index with exact identity semantics.
//!
//! One [`Updater`] owns the single `IndexWriter`. For each incoming article it decides, from the
//! article's stable id, its content hash and its origin:
//! - **added**: a new id;
//! - **unchanged**: same id, same content, origin already recorded (a re-ingest);
//! - **duplicate**: same id and content from a new origin (exact duplicate file): the one document
//!   records all its origins;
//! - **replaced**: same id with new content, or a new id read from an origin that another
//!   document came from (the file was edited): the old version is removed.
//!
//! An upsert is delete-by-id + add in the same commit. Documents touched since the last commit are
//! tracked in memory so decisions never read stale committed state. Of most of them the updater
//! keeps only what those decisions read (content hash and origins, a few hundred bytes): the
//! whole document only when a later upsert could have to rewrite it from its own text (see
//! [`keeps_whole`]).
//!
//! The updater never commits on its own: the caller commits between whole upserts, so a commit
//! (and so the state after a crash) never holds half an upsert, such as a new version of an article
//! next to the old one it replaces.

use super::maybe::MaybeSet;
use super::merge::{CappedMergePolicy, MAX_MERGE_BYTES};
use super::{id_term, NewsIndex, StoredDoc};
use crate::article::{Article, Origin};
use anyhow::{Context, Result};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use tantivy::collector::TopDocs;
use tantivy::directory::error::LockError;
use tantivy::indexer::{IndexWriterOptions, NoMergePolicy};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

/// What happened to one incoming article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Added,
    Replaced,
    Unchanged,
    Duplicate,
    /// Stored as read, but indexed without entities: rewritten with those this upsert brings.
    EntitiesAdded,
}

/// Default writer memory budget, shared by the indexing threads: tantivy flushes a segment when
/// a thread's share is full.
pub const DEFAULT_MEMORY_BYTES: usize = 200_000_000;
/// The smallest and largest writer memory budgets, in megabytes of 10^6 bytes (tantivy: at least
/// 15 MB per indexing thread, below 4 GiB less a 1 MB margin).
pub const MEMORY_MB_RANGE: std::ops::RangeInclusive<u64> = 15..=4094;
/// Most indexing threads (each holds a share of the memory budget and builds its own segments).
pub const MAX_WRITER_THREADS: usize = 2;
/// Stored documents the updater reads through one index handle before opening a fresh one. Each
/// read maps a store block (32 KiB for new indexes) that stays resident while the handle is
/// open, so this bounds that memory to about 128 MiB.
const READS_PER_HANDLE: usize = 4096;
/// The least memory tantivy accepts for one indexing thread.
const MIN_THREAD_BYTES: usize = 15_000_000;

pub struct Updater<'a> {
    index: &'a NewsIndex,
    writer: IndexWriter,
    /// The merge policy (the writer holds a clone, which sees the average article size reported
    /// to this one); and the totals behind that average.
    policy: CappedMergePolicy,
    text_bytes: u64,
    written: u64,
    /// Stored records of the committed index, for lookups.
    records: Records<'a>,
    /// Documents written since the last commit, by id.
    touched: HashMap<String, Current>,
    /// Ids deleted since the last commit.
    deleted: HashSet<String>,
    /// Origins claimed since the last commit: origin → id.
    origin_owner: HashMap<String, String>,
    /// Writes and deletes since the last commit.
    pending: usize,
    /// Approximate bytes held in `touched`.
    pending_bytes: usize,
    /// Bytes of article text (title and body) written since the last commit.
    pending_text: u64,
    /// Documents the index holds with what is pending applied.
    documents: u64,
    committed_empty: bool,
    /// Hashes of every id that may be in the committed index (those there when the run started
    /// and those written since): an id the set surely lacks is new, with no index lookup. A
    /// fixed-size filter, so it does not grow with the archive.
    maybe_ids: MaybeSet,
    /// The same for origins.
    maybe_origins: MaybeSet,
    /// Hashes of the ids this updater wrote or deleted (kept when the index had documents when
    /// it started): an id the set surely lacks is as the run found it.
    changed: Option<MaybeSet>,
}

impl<'a> Updater<'a> {
    /// An updater with the default memory budget.
    pub fn new(index: &'a NewsIndex) -> Result<Updater<'a>> {
        Updater::with_memory(index, DEFAULT_MEMORY_BYTES, MAX_WRITER_THREADS)
    }

    /// An updater whose writer uses at most `memory_bytes` (see [`MEMORY_MB_RANGE`]) before
    /// flushing a segment, on at most `max_threads` indexing threads (and no more than the
    /// cores). Fails at once when another writer holds the index ([`is_lock_busy`]).
    pub fn with_memory(
        index: &'a NewsIndex,
        memory_bytes: usize,
        max_threads: usize,
    ) -> Result<Updater<'a>> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, max_threads.max(1))
            .min((memory_bytes / MIN_THREAD_BYTES).max(1));
        // One merge at a time: a merge reads its segments through memory maps, so concurrent
        // merges would add up in the process's resident size (1M articles: 1.5 GB with tantivy's
        // default of four merge threads).
        let options = IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(memory_bytes / threads)
            .num_merge_threads(1)
            .build();
        let writer = index
            .index
            .writer_with_options(options)
            .context("cannot open the index for writing")?;
        let policy = CappedMergePolicy::new(MAX_MERGE_BYTES);
        writer.set_merge_policy(Box::new(policy.clone()));
        let records = Records::open(index)?;
        // Every id and origin term is read once here, through yet another handle, so the pages
        // read go with it.
        let scan = manual_reader(&index.separate_handle()?)?;
        let searcher = scan.searcher();
        let documents = searcher.num_docs();
        let committed_empty = documents == 0;
        let mut maybe_ids = MaybeSet::new();
        let mut maybe_origins = MaybeSet::new();
        for segment in searcher.segment_readers() {
            for (field, set) in [
                (index.fields.id, &mut maybe_ids),
                (index.fields.origin, &mut maybe_origins),
            ] {
                let inverted = segment.inverted_index(field)?;
                let mut terms = inverted.terms().stream()?;
                while terms.advance() {
                    set.insert(key_hash(terms.key()));
                }
            }
        }
        drop((searcher, scan));
        Ok(Updater {
            index,
            writer,
            policy,
            text_bytes: 0,
            written: 0,
            records,
            touched: HashMap::new(),
            deleted: HashSet::new(),
            origin_owner: HashMap::new(),
            pending: 0,
            pending_bytes: 0,
            pending_text: 0,
            documents,
            committed_empty,
            maybe_ids,
            maybe_origins,
            changed: (!committed_empty).then(MaybeSet::new),
        })
    }

    /// Whether this updater surely has not written or deleted any document with this id: the
    /// index then holds it as it did when the updater started.
    pub fn untouched(&self, id: &str) -> bool {
        self.changed
            .as_ref()
            .is_some_and(|c| !c.maybe_contains(key_hash(id.as_bytes())))
    }

    /// Whether [`Updater::upsert`] would find `article` unchanged (and so write nothing): its
    /// entities are then not needed. `with_entities`: whether the upsert would bring entities
    /// (which a document indexed without them takes even when its text is unchanged).
    pub fn unchanged(&mut self, article: &Article, with_entities: bool) -> Result<bool> {
        self.records.refresh()?;
        Ok(self.lookup(&article.id)?.is_some_and(|old| {
            holds_as_read(
                article,
                &old.origin_hashes(),
                old.without_entities(),
                with_entities,
            )
        }))
    }

    /// Inserts or updates one article (read from exactly one origin).
    pub fn upsert(&mut self, doc: StoredDoc) -> Result<Outcome> {
        self.records.refresh()?;
        let id = doc.article.id.clone();
        let hash = doc.article.content_hash.clone();
        let origins = doc.article.origins.clone();
        let keys: Vec<String> = origins.iter().map(|o| o.to_string()).collect();
        // Origins are detached from other documents before this one claims them, so a document
        // that claimed them earlier in the same batch goes exactly as a committed one would.
        let Some(old) = self.lookup(&id)? else {
            let detached = self.detach_origins(&origins, &id)?;
            // No version of this id is committed or pending: nothing to delete.
            self.write(doc, false)?;
            self.documents += 1;
            return Ok(if detached {
                Outcome::Replaced
            } else {
                Outcome::Added
            });
        };
        // A document indexed without entities takes those this upsert brings (the test
        // `holds_as_read` makes for the lookups that predict this one).
        let gains_entities = old.without_entities() && !doc.without_entities;
        let as_read = re_read(&doc.article, &old.origin_hashes());
        if as_read && !gains_entities {
            return Ok(Outcome::Unchanged);
        }
        let old_hashes = old.origin_hashes();
        let seen_here = keys.iter().any(|k| old_hashes.contains_key(k));
        let same_text = old.content_hash() == hash || is_content_id(&id);
        if same_text && !seen_here {
            // The same article from a new origin (byte-identical, or identical once whitespace is
            // normalized for content-derived ids): one document, one more origin. The stored
            // version is kept; of a summary, the hashes are equal (content-derived ids are kept
            // whole), so this article's content is exactly the stored one.
            let mut kept = match old {
                Current::Whole(whole) if gains_entities => StoredDoc {
                    entities: doc.entities,
                    without_entities: false,
                    ..*whole
                },
                Current::Whole(whole) => *whole,
                Current::Summary(summary) => {
                    let mut kept = doc;
                    (kept.article.origins, kept.origin_hashes) = summary.into_origins();
                    kept
                }
            };
            merge_origins(&mut kept.article.origins, &origins);
            for k in keys {
                kept.origin_hashes.insert(k, hash.clone());
            }
            // A new origin may have held another article before (a file overwritten with a
            // copy of this one): that article is not there any more.
            self.detach_origins(&origins, &id)?;
            self.write(kept, true)?;
            return Ok(Outcome::Duplicate);
        }
        // New content for this article: it replaces the stored version, keeping other origins.
        let mut doc = doc;
        let (old_origins, old_hashes) = old.into_origins();
        merge_origins(&mut doc.article.origins, &old_origins);
        for (k, h) in old_hashes {
            doc.origin_hashes.entry(k).or_insert(h);
        }
        for k in keys {
            doc.origin_hashes.insert(k, hash.clone());
        }
        self.detach_origins(&origins, &id)?;
        self.write(doc, true)?;
        // Read as stored: only its entities are new.
        Ok(if as_read {
            Outcome::EntitiesAdded
        } else {
            Outcome::Replaced
        })
    }

    /// Commits what is pending; returns the number of documents in the index.
    pub fn commit(&mut self) -> Result<u64> {
        self.commit_with_payload(None)
    }

    /// Writes and deletes since the last commit.
    pub fn pending(&self) -> usize {
        self.pending
    }

    /// Approximate memory held for the documents written since the last commit (the updater
    /// keeps them to decide later upserts of the same batch): a caller bounds it by committing.
    pub fn pending_bytes(&self) -> usize {
        self.pending_bytes
    }

    /// Bytes of article text (titles and bodies) written since the last commit: what tantivy's
    /// in-memory segments hold grows with it (see `ingest::COMMIT_TEXT_SHARE`).
    pub fn pending_text_bytes(&self) -> u64 {
        self.pending_text
    }

    /// The documents the index will hold once what is pending is committed.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Commits what is pending with `payload` stored in the commit (tantivy keeps it in the
    /// index's meta file, written atomically with the commit); returns the number of documents.
    pub fn commit_with_payload(&mut self, payload: Option<&str>) -> Result<u64> {
        let mut prepared = self
            .writer
            .prepare_commit()
            .context("cannot commit to the index")?;
        if let Some(payload) = payload {
            prepared.set_payload(payload);
        }
        prepared.commit().context("cannot commit to the index")?;
        self.pending = 0;
        self.pending_bytes = 0;
        self.pending_text = 0;
        self.records
            .reader
            .reload()
            .context("cannot reload the index")?;
        self.touched.clear();
        self.deleted.clear();
        self.origin_owner.clear();
        let searcher = self.records.reader.searcher();
        self.committed_empty = searcher.num_docs() == 0;
        self.documents = searcher.num_docs();
        // The segments just written freed their buffers: give back what the allocator keeps,
        // so memory kept for reuse between commits does not pile up over a long ingest.
        crate::memory::give_back_free_memory();
        Ok(searcher.num_docs())
    }

    /// Waits for background merges to end, then merges the small segments they left (see
    /// [`CappedMergePolicy::final_merges`]).
    pub fn finish(self) -> Result<()> {
        let Updater {
            index,
            writer,
            policy,
            records,
            ..
        } = self;
        writer
            .wait_merging_threads()
            .context("index merge failed")?;
        // The reader would keep the files of the segments merged below mapped, so their disk
        // space would not be freed until it let go.
        drop(records);
        let segments = index
            .index
            .searchable_segment_metas()
            .context("cannot read the index's segments")?;
        let merges = policy.final_merges(&segments);
        // tantivy keeps the files of every segment whose description is still held.
        drop(segments);
        if merges.is_empty() {
            return Ok(());
        }
        // A writer of its own for these merges (the ingest's writer is gone with its threads);
        // if another process took the index meanwhile, the segments stay as they are.
        let Ok(mut writer) = index
            .index
            .writer_with_num_threads::<TantivyDocument>(1, MIN_THREAD_BYTES)
        else {
            return Ok(());
        };
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for merge in merges {
            writer
                .merge(&merge.0)
                .wait()
                .context("index merge failed")?;
        }
        // The merged segments' files are no longer used.
        writer
            .garbage_collect_files()
            .wait()
            .context("cannot remove the merged segments' files")?;
        writer.wait_merging_threads().context("index merge failed")
    }

    /// Adds `doc`; with `replaces`, first deletes the version of its id committed or pending (a
    /// delete costs a term lookup in every segment, so new ids skip it).
    fn write(&mut self, doc: StoredDoc, replaces: bool) -> Result<()> {
        let fields = &self.index.fields;
        let id = doc.article.id.clone();
        if let Some(changed) = &mut self.changed {
            changed.insert(key_hash(id.as_bytes()));
        }
        if replaces {
            self.writer.delete_term(id_term(fields, &id));
        }
        let tdoc = doc
            .to_doc(fields)
            .with_context(|| format!("cannot build the document for article {id}"))?;
        let record = tdoc
            .get_first(fields.stored)
            .and_then(|v| v.as_str())
            .map_or(0, str::len);
        if let Err(err) = self.writer.add_document(tdoc) {
            // The indexing thread stopped (writing a segment failed); joining it, as a commit
            // does, gives the reason (a full disk, say) instead of "writer killed".
            let reason = match self.writer.prepare_commit() {
                Err(cause) => anyhow::Error::from(cause),
                Ok(_) => anyhow::Error::from(err),
            };
            return Err(reason.context(format!("cannot add article {id}")));
        }
        for o in &doc.article.origins {
            let key = o.to_string();
            self.maybe_origins.insert(key_hash(key.as_bytes()));
            self.origin_owner.insert(key, id.clone());
        }
        self.maybe_ids.insert(key_hash(id.as_bytes()));
        self.deleted.remove(&id);
        let text = (doc.article.body.len() + doc.article.title.len()) as u64;
        self.text_bytes += text;
        self.pending_text += text;
        self.written += 1;
        if self.written.is_multiple_of(1024) {
            let average = self.text_bytes / self.written;
            self.policy.set_article_bytes(average);
        }
        // Until the commit the document's text and record are also in tantivy's in-memory
        // segment, which tantivy bounds with its own budget.
        let current = if keeps_whole(&doc) {
            // Its record's size again, in small allocations, and its text.
            self.pending_bytes += 2 * (text as usize + record) + 1024;
            Current::Whole(Box::new(doc))
        } else {
            let summary = Summary::of(doc);
            self.pending_bytes += summary.bytes(&id);
            Current::Summary(summary)
        };
        self.touched.insert(id, current);
        self.pending += 1;
        Ok(())
    }

    fn delete(&mut self, id: &str) {
        if let Some(changed) = &mut self.changed {
            changed.insert(key_hash(id.as_bytes()));
        }
        self.writer.delete_term(id_term(&self.index.fields, id));
        self.touched.remove(id);
        self.deleted.insert(id.to_string());
        self.pending += 1;
        self.documents = self.documents.saturating_sub(1);
    }

    /// The current version of a document: touched in this batch, or committed.
    fn lookup(&self, id: &str) -> Result<Option<Current>> {
        if let Some(current) = self.touched.get(id) {
            return Ok(Some(current.clone()));
        }
        if self.deleted.contains(id)
            || self.committed_empty
            || !self.maybe_ids.maybe_contains(key_hash(id.as_bytes()))
        {
            return Ok(None);
        }
        Ok(self
            .committed_by_term(id_term(&self.index.fields, id), 1)?
            .into_iter()
            .next()
            .map(|doc| Current::Whole(Box::new(doc))))
    }

    fn committed_by_term(&self, term: Term, limit: usize) -> Result<Vec<StoredDoc>> {
        self.records.by_term(term, limit)
    }

    /// Removes `origins` from every other document that records them (the input changed and now
    /// reads as another article); a document left without origins is deleted. Returns whether any
    /// document lost an origin.
    fn detach_origins(&mut self, origins: &[Origin], keep_id: &str) -> Result<bool> {
        let mut detached = false;
        // Standard input is not a place that keeps its content: `-:3` of one run and `-:3` of
        // the next are unrelated, so stdin never displaces anything.
        for origin in origins.iter().filter(|o| o.path != "-") {
            let key = origin.to_string();
            let mut owners: Vec<String> = Vec::new();
            if let Some(id) = self.origin_owner.get(&key) {
                owners.push(id.clone());
            }
            if !self.committed_empty && self.maybe_origins.maybe_contains(key_hash(key.as_bytes()))
            {
                let term = Term::from_field_text(self.index.fields.origin, &key);
                for doc in self.committed_by_term(term, 16)? {
                    owners.push(doc.article.id);
                }
            }
            owners.sort();
            owners.dedup();
            for owner in owners.into_iter().filter(|o| o != keep_id) {
                let Some(current) = self.lookup(&owner)? else {
                    continue;
                };
                let held = current.origins();
                if !held.contains(origin) {
                    continue;
                }
                detached = true;
                if held.len() == 1 {
                    self.delete(&owner);
                    continue;
                }
                // Documents with several origins are kept whole (see `keeps_whole`).
                let Current::Whole(doc) = current else {
                    anyhow::bail!(
                        "internal error: article {owner} has several origins but its text was \
                         not kept; nothing was written for origin {key}"
                    );
                };
                let mut doc = *doc;
                doc.article.origins.retain(|o| o != origin);
                doc.origin_hashes.remove(&key);
                self.write(doc, true)?;
            }
            self.origin_owner.insert(key, keep_id.to_string());
        }
        Ok(detached)
    }
}

/// The version of a document that decides an upsert: the whole document (committed ones, and
/// those written since the last commit that a later upsert may rewrite), or a summary.
#[derive(Clone)]
enum Current {
    Whole(Box<StoredDoc>),
    Summary(Summary),
}

/// What upserts read of a document written since the last commit, when it is not kept whole.
/// An ingest keeps one for every article it writes until the next commit, so it is kept small.
#[derive(Clone)]
struct Summary {
    content_hash: String,
    origins: Vec<Origin>,
    /// The content hash each origin was last read with; `None` when each of `origins` was read
    /// with `content_hash` (an article as read from its inputs, nearly every one), which saves
    /// a map per article (about 700 bytes: a `BTreeMap` node and two strings).
    origin_hashes: Option<BTreeMap<String, String>>,
    without_entities: bool,
}

impl Summary {
    fn of(doc: StoredDoc) -> Summary {
        // An article read from one origin (nearly every one) is compared without building a
        // map: this runs for every article an ingest writes.
        let hash = &doc.article.content_hash;
        let as_read = match doc.article.origins.as_slice() {
            [one] => {
                doc.origin_hashes.len() == 1
                    && doc.origin_hashes.get(&one.to_string()) == Some(hash)
            }
            origins => doc.origin_hashes == own_hashes(origins, hash),
        };
        Summary {
            content_hash: doc.article.content_hash,
            origins: doc.article.origins,
            origin_hashes: (!as_read).then_some(doc.origin_hashes),
            without_entities: doc.without_entities,
        }
    }

    fn origin_hashes(&self) -> Cow<'_, BTreeMap<String, String>> {
        match &self.origin_hashes {
            Some(hashes) => Cow::Borrowed(hashes),
            None => Cow::Owned(own_hashes(&self.origins, &self.content_hash)),
        }
    }

    fn into_origins(self) -> (Vec<Origin>, BTreeMap<String, String>) {
        let hashes = self
            .origin_hashes
            .unwrap_or_else(|| own_hashes(&self.origins, &self.content_hash));
        (self.origins, hashes)
    }

    /// Approximate memory an ingest holds for the summary of article `id` until the commit: its
    /// allocations, its entry in the updater's map of touched ids, the entries of its origins in
    /// the map of origin owners, and the spare room of those hash tables. (800,000 articles of
    /// 190 bytes of text held about 690 bytes each, which counting the summary alone put at 340.)
    fn bytes(&self, id: &str) -> usize {
        let origins: usize = self.origins.iter().map(|o| 2 * o.path.len() + 192).sum();
        let hashes: usize = self
            .origin_hashes
            .iter()
            .flatten()
            .map(|(o, h)| o.len() + h.len() + 96)
            .sum();
        self.content_hash.len() + id.len() + origins + hashes + 352
    }
}

/// Each origin's key mapped to `hash`: the origin hashes of an article as read.
fn own_hashes(origins: &[Origin], hash: &str) -> BTreeMap<String, String> {
    origins
        .iter()
        .map(|o| (o.to_string(), hash.to_string()))
        .collect()
}

impl Current {
    fn content_hash(&self) -> &str {
        match self {
            Current::Whole(doc) => &doc.article.content_hash,
            Current::Summary(s) => &s.content_hash,
        }
    }

    fn origins(&self) -> &[Origin] {
        match self {
            Current::Whole(doc) => &doc.article.origins,
            Current::Summary(s) => &s.origins,
        }
    }

    fn origin_hashes(&self) -> Cow<'_, BTreeMap<String, String>> {
        match self {
            Current::Whole(doc) => Cow::Borrowed(&doc.origin_hashes),
            Current::Summary(s) => s.origin_hashes(),
        }
    }

    fn without_entities(&self) -> bool {
        match self {
            Current::Whole(doc) => doc.without_entities,
            Current::Summary(s) => s.without_entities,
        }
    }

    fn into_origins(self) -> (Vec<Origin>, BTreeMap<String, String>) {
        match self {
            Current::Whole(doc) => (doc.article.origins, doc.origin_hashes),
            Current::Summary(s) => s.into_origins(),
        }
    }
}

/// Whether a document written since the last commit is kept whole until the commit, because a
/// later upsert in the same batch may have to rewrite it from its own text:
/// - an article with a content-derived id may come again with whitespace that differs, which
///   hashes differently yet is the same article: the version first stored is kept;
/// - an article with several origins may lose one of them to another article and be rewritten
///   with the rest (one that loses its only origin is deleted, which needs no text).
///
/// Any other later upsert of the id either brings identical content (its content hash covers
/// every stored field) or replaces it.
fn keeps_whole(doc: &StoredDoc) -> bool {
    is_content_id(&doc.article.id) || doc.article.origins.len() > 1
}

/// Whether every origin of `article` is already recorded as holding exactly its content: a
/// re-read of what the index stores.
fn re_read(article: &Article, recorded: &BTreeMap<String, String>) -> bool {
    article
        .origins
        .iter()
        .all(|o| recorded.get(&o.to_string()) == Some(&article.content_hash))
}

/// Whether a stored document needs nothing from an ingest that read `article`: a re-read of it
/// ([`re_read`]) that brings no entities the document lacks (`with_entities`: the ingest
/// extracts them; `stored_without_entities`: the document was indexed without). The first
/// test of [`Updater::upsert`], for the lookups that predict it.
fn holds_as_read(
    article: &Article,
    recorded: &BTreeMap<String, String>,
    stored_without_entities: bool,
    with_entities: bool,
) -> bool {
    re_read(article, recorded) && !(with_entities && stored_without_entities)
}

/// Stored records of the committed index, read through a handle of their own (see
/// `NewsIndex::separate_handle`), so merges' reads do not stay resident on their account.
struct Records<'a> {
    index: &'a NewsIndex,
    reader: IndexReader,
    /// Records read through `reader` since it was opened, and how many it may read before a
    /// fresh one replaces it (see [`READS_PER_HANDLE`]).
    reads: std::cell::Cell<usize>,
    reads_per_handle: usize,
}

impl<'a> Records<'a> {
    fn open(index: &'a NewsIndex) -> Result<Records<'a>> {
        Ok(Records {
            index,
            reader: manual_reader(&index.separate_handle()?)?,
            reads: std::cell::Cell::new(0),
            reads_per_handle: READS_PER_HANDLE,
        })
    }

    /// The pages of the records read so far stay resident while their map is open (a
    /// re-ingest reads every article's record): a fresh handle now and then lets them go.
    fn refresh(&mut self) -> Result<()> {
        if self.reads.get() >= self.reads_per_handle {
            self.reader = manual_reader(&self.index.separate_handle()?)?;
            self.reads.set(0);
        }
        Ok(())
    }

    /// The records of up to `limit` documents holding `term`.
    fn by_term(&self, term: Term, limit: usize) -> Result<Vec<StoredDoc>> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let hits = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        hits.into_iter()
            .map(|(_, address)| {
                self.reads.set(self.reads.get() + 1);
                let doc: TantivyDocument = searcher.doc(address)?;
                StoredDoc::from_doc(&doc, &self.index.fields)
            })
            .collect()
    }
}

/// The index as committed when an ingest starts, read on an extraction worker's own handle:
/// tells the articles the ingest will find unchanged, which need no entity extraction. The
/// writer checks again ([`Updater::unchanged`]), as the run itself may have changed the index.
pub struct Committed<'a>(Records<'a>);

impl<'a> Committed<'a> {
    /// `None` for an index without documents.
    pub fn open(index: &'a NewsIndex) -> Result<Option<Committed<'a>>> {
        let records = Records::open(index)?;
        if records.reader.searcher().num_docs() == 0 {
            return Ok(None);
        }
        Ok(Some(Committed(records)))
    }

    /// Whether the index stores `article` under its id with every one of its origins recorded
    /// as holding exactly this content (and, when `with_entities`, with its entities).
    pub fn holds(&mut self, article: &Article, with_entities: bool) -> Result<bool> {
        self.0.refresh()?;
        let term = id_term(&self.0.index.fields, &article.id);
        Ok(self.0.by_term(term, 1)?.first().is_some_and(|stored| {
            holds_as_read(
                article,
                &stored.origin_hashes,
                stored.without_entities,
                with_entities,
            )
        }))
    }
}

/// A reader of `index` that sees new commits only when told to reload.
fn manual_reader(index: &tantivy::Index) -> Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .context("cannot read the index")
}

/// Hash of an id or origin as indexed (its term bytes).
fn key_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Whether `err` says another writer (another newsdex process) holds the index's lock.
pub fn is_lock_busy(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<TantivyError>(),
            Some(TantivyError::LockFailure(LockError::LockBusy, _))
        )
    })
}

/// Whether an id was derived from the article's text (so equal ids mean equal normalized text).
fn is_content_id(id: &str) -> bool {
    id.starts_with("sha256:")
}

fn merge_origins(into: &mut Vec<Origin>, more: &[Origin]) {
    for o in more {
        if !into.contains(o) {
            into.push(o.clone());
        }
    }
    into.sort();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::ArticleEntities;
    use tantivy::collector::Count;
    use tantivy::query::AllQuery;

    fn doc(id: &str, body: &str, path: &str) -> StoredDoc {
        let (title, hash) = (format!("Title of {id}"), format!("hash-{body}"));
        crate::index::test_doc(id, title, body, path, hash, ArticleEntities::default())
    }

    fn stored(index: &NewsIndex) -> Vec<StoredDoc> {
        let reader = index.index.reader().unwrap();
        let searcher = reader.searcher();
        let hits = searcher
            .search(&AllQuery, &TopDocs::with_limit(100).order_by_score())
            .unwrap();
        let mut docs: Vec<StoredDoc> = hits
            .into_iter()
            .map(|(_, a)| StoredDoc::from_doc(&searcher.doc(a).unwrap(), &index.fields).unwrap())
            .collect();
        docs.sort_by(|a, b| a.article.id.cmp(&b.article.id));
        docs
    }

    #[test]
    fn a_document_stored_without_entities_is_unchanged_only_to_runs_without_them() {
        let bare = |id: &str, path: &str| {
            let mut d = doc(id, id, path);
            d.without_entities = true;
            d
        };
        let dir = tempfile::tempdir().unwrap();
        let index = NewsIndex::open_or_create(dir.path()).unwrap();
        let mut up = Updater::new(&index).unwrap();
        up.upsert(bare("a", "x/a.txt")).unwrap();
        up.upsert(bare("b", "x/b.txt")).unwrap();
        up.commit().unwrap();
        up.finish().unwrap();

        let mut view = Committed::open(&index).unwrap().unwrap();
        let mut up = Updater::new(&index).unwrap();
        let a = doc("a", "a", "x/a.txt");
        assert!(view.holds(&a.article, false).unwrap());
        assert!(!view.holds(&a.article, true).unwrap());
        assert!(up.unchanged(&a.article, false).unwrap());
        assert!(!up.unchanged(&a.article, true).unwrap());
        assert_eq!(up.upsert(bare("a", "x/a.txt")).unwrap(), Outcome::Unchanged);
        assert_eq!(up.upsert(a).unwrap(), Outcome::EntitiesAdded);
        // Written with entities in this run (a pending summary): unchanged to both kinds.
        let a = doc("a", "a", "x/a.txt");
        assert!(up.unchanged(&a.article, true).unwrap());
        assert_eq!(up.upsert(bare("a", "x/a.txt")).unwrap(), Outcome::Unchanged);
        assert_eq!(up.upsert(a).unwrap(), Outcome::Unchanged);
        up.commit().unwrap();
        up.finish().unwrap();
        let docs = stored(&index);
        assert!(!docs[0].without_entities, "a has its entities");
        assert!(docs[1].without_entities, "b was not ingested again");
    }

    #[test]
    fn a_pending_summary_keeps_a_map_of_origin_hashes_only_when_it_says_more() {
        let as_read = doc("a", "one", "x/a.txt");
        let summary = Summary::of(as_read.clone());
        assert!(summary.origin_hashes.is_none());
        assert_eq!(*summary.origin_hashes(), as_read.origin_hashes);
        assert_eq!(summary.into_origins().1, as_read.origin_hashes);

        // An origin that last held other content: the map is kept as it is.
        let mut mixed = doc("b", "two", "x/b.txt");
        mixed
            .origin_hashes
            .insert("y/b.txt".to_string(), "hash-old".to_string());
        let summary = Summary::of(mixed.clone());
        assert!(summary.origin_hashes.is_some());
        assert_eq!(*summary.origin_hashes(), mixed.origin_hashes);
        assert_eq!(
            summary.into_origins(),
            (mixed.article.origins, mixed.origin_hashes)
        );
    }

    #[test]
    fn text_written_since_the_last_commit_is_counted_until_it() {
        let dir = tempfile::tempdir().unwrap();
        let index = NewsIndex::open_or_create(dir.path()).unwrap();
        let mut up = Updater::new(&index).unwrap();
        let (a, b) = (doc("a", "one two", "x/a.txt"), doc("b", "three", "x/b.txt"));
        let text = |d: &StoredDoc| (d.article.title.len() + d.article.body.len()) as u64;
        let expected = text(&a) + text(&b);
        up.upsert(a).unwrap();
        up.upsert(b).unwrap();
        assert_eq!(up.pending_text_bytes(), expected);
        up.commit().unwrap();
        assert_eq!(up.pending_text_bytes(), 0);
        // Unchanged articles write nothing.
        up.upsert(doc("a", "one two", "x/a.txt")).unwrap();
        assert_eq!(up.pending_text_bytes(), 0);
        up.finish().unwrap();
    }

    #[test]
    fn lookups_hold_on_a_fresh_handle() {
        let dir = tempfile::tempdir().unwrap();
        let index = NewsIndex::open_or_create(dir.path()).unwrap();
        let mut up = Updater::new(&index).unwrap();
        for (id, body) in [("a", "one"), ("b", "two"), ("c", "three")] {
            let path = format!("x/{id}.txt");
            assert_eq!(up.upsert(doc(id, body, &path)).unwrap(), Outcome::Added);
        }
        up.commit().unwrap();
        up.finish().unwrap();

        // Every lookup past the first opens the index afresh: answers must not change.
        let mut up = Updater::new(&index).unwrap();
        up.records.reads_per_handle = 1;
        for (id, body) in [("a", "one"), ("b", "two")] {
            let path = format!("x/{id}.txt");
            assert_eq!(up.upsert(doc(id, body, &path)).unwrap(), Outcome::Unchanged);
        }
        assert_eq!(
            up.upsert(doc("c", "three, revised", "x/c.txt")).unwrap(),
            Outcome::Replaced
        );
        // The same article from a new place.
        assert_eq!(
            up.upsert(doc("a", "one", "x/copy.txt")).unwrap(),
            Outcome::Duplicate
        );
        assert_eq!(up.commit().unwrap(), 3);
        up.finish().unwrap();
        let docs = stored(&index);
        assert_eq!(docs[2].article.body, "three, revised");
    }

    #[test]
    fn identity_semantics_across_runs() {
        let index = NewsIndex::in_ram();
        let mut up = Updater::new(&index).unwrap();
        assert_eq!(
            up.upsert(doc("a", "one", "x/a.txt")).unwrap(),
            Outcome::Added
        );
        assert_eq!(
            up.upsert(doc("b", "two", "x/b.txt")).unwrap(),
            Outcome::Added
        );
        // Exact duplicate under another name, in the same run.
        assert_eq!(
            up.upsert(doc("a", "one", "x/copy.txt")).unwrap(),
            Outcome::Duplicate
        );
        assert_eq!(up.commit().unwrap(), 2);
        up.finish().unwrap();

        // Second run: everything unchanged.
        let mut up = Updater::new(&index).unwrap();
        assert_eq!(
            up.upsert(doc("a", "one", "x/a.txt")).unwrap(),
            Outcome::Unchanged
        );
        assert_eq!(
            up.upsert(doc("a", "one", "x/copy.txt")).unwrap(),
            Outcome::Unchanged
        );
        // Same explicit id, new content: replaces.
        assert_eq!(
            up.upsert(doc("b", "two, revised", "x/b.txt")).unwrap(),
            Outcome::Replaced
        );
        assert_eq!(up.commit().unwrap(), 2);

        let docs = stored(&index);
        assert_eq!(docs.len(), 2);
        let paths: Vec<&str> = docs[0]
            .article
            .origins
            .iter()
            .map(|o| o.path.as_str())
            .collect();
        assert_eq!(paths, vec!["x/a.txt", "x/copy.txt"]);
        assert_eq!(docs[1].article.body, "two, revised");
    }

    #[test]
    fn an_edited_file_replaces_its_old_version() {
        let index = NewsIndex::in_ram();
        let mut up = Updater::new(&index).unwrap();
        up.upsert(doc("h1", "first draft", "x/a.txt")).unwrap();
        up.upsert(doc("h2", "other", "x/b.txt")).unwrap();
        up.commit().unwrap();
        up.finish().unwrap();
        // The file now hashes to a new id: the old document loses its only origin and goes.
        let mut up = Updater::new(&index).unwrap();
        assert_eq!(
            up.upsert(doc("h3", "second draft", "x/a.txt")).unwrap(),
            Outcome::Replaced
        );
        up.commit().unwrap();
        let ids: Vec<String> = stored(&index).into_iter().map(|d| d.article.id).collect();
        assert_eq!(ids, vec!["h2", "h3"]);
        let reader = index.index.reader().unwrap();
        assert_eq!(reader.searcher().search(&AllQuery, &Count).unwrap(), 2);
    }

    #[test]
    fn whitespace_variants_of_one_text_are_duplicates_and_stay_unchanged() {
        let index = NewsIndex::in_ram();
        let mut up = Updater::new(&index).unwrap();
        // Same content-derived id, slightly different stored text (e.g. a double space).
        assert_eq!(
            up.upsert(doc("sha256:v", "text", "a.txt")).unwrap(),
            Outcome::Added
        );
        assert_eq!(
            up.upsert(doc("sha256:v", "text ", "b.txt")).unwrap(),
            Outcome::Duplicate
        );
        up.commit().unwrap();
        up.finish().unwrap();
        let mut up = Updater::new(&index).unwrap();
        assert_eq!(
            up.upsert(doc("sha256:v", "text", "a.txt")).unwrap(),
            Outcome::Unchanged
        );
        assert_eq!(
            up.upsert(doc("sha256:v", "text ", "b.txt")).unwrap(),
            Outcome::Unchanged
        );
        assert_eq!(up.commit().unwrap(), 1);
    }

    #[test]
    fn stdin_records_never_displace_each_other() {
        let index = NewsIndex::in_ram();
        let mut up = Updater::new(&index).unwrap();
        let mut a = doc("feed-a", "first feed", "-");
        a.article.origins[0].line = Some(1);
        assert_eq!(up.upsert(a).unwrap(), Outcome::Added);
        let mut b = doc("feed-b", "second feed", "-");
        b.article.origins[0].line = Some(1);
        assert_eq!(up.upsert(b).unwrap(), Outcome::Added);
        assert_eq!(up.commit().unwrap(), 2);
    }

    /// A commit may come between any two upserts: each committed state holds every id once, the
    /// predicted document count is exact, and the final state does not depend on where commits
    /// fell (so upserts decided from a summary of an uncommitted document decide as they would
    /// from the committed document).
    /// Upserts that meet every path of [`Updater::upsert`].
    fn script() -> Vec<StoredDoc> {
        vec![
            doc("a", "one", "x/a.txt"),
            doc("b", "two", "x/b.txt"),
            doc("a", "one", "x/a-copy.txt"),
            doc("b", "two, revised", "x/b2.txt"),
            doc("h1", "draft", "x/c.txt"),
            doc("h2", "final", "x/c.txt"),
            doc("c", "three", "x/d.txt"),
            // A new article where a copy of "a" was: "a" keeps its other origin.
            doc("e", "five", "x/a-copy.txt"),
            // "c" again from a second file, then with new content from a third.
            doc("c", "three", "x/d2.txt"),
            doc("c", "three, revised", "x/d3.txt"),
            // Whitespace variants of one text: the version first read is kept.
            doc("sha256:w", "text", "y/1.txt"),
            doc("sha256:w", "text ", "y/2.txt"),
            doc("sha256:w", "text  ", "y/3.txt"),
            // An article read from two files; another takes one of them, which the first then
            // claims back (the taker, left without origins, goes).
            doc("m", "many", "z/1.txt"),
            doc("m", "many", "z/2.txt"),
            doc("n", "new", "z/2.txt"),
            doc("m", "many", "z/2.txt"),
        ]
    }

    #[test]
    fn unchanged_tells_what_upsert_will_find_and_the_committed_view_agrees() {
        for commit_every in [1, 2, 5, 100] {
            let index = NewsIndex::in_ram();
            let (mut unchanged, mut trusted) = (0, 0);
            // Two runs over the same articles: the second reads them again, as a re-ingest does.
            for run in 0..2 {
                let mut up = Updater::new(&index).unwrap();
                let mut view = Committed::open(&index).unwrap();
                assert_eq!(view.is_some(), run == 1);
                for (i, d) in script().into_iter().enumerate() {
                    let stored = view
                        .as_mut()
                        .is_some_and(|v| v.holds(&d.article, true).unwrap());
                    let predicted = up.unchanged(&d.article, true).unwrap();
                    // What the ingest trusts without a lookup must be what the lookup says.
                    if stored && up.untouched(&d.article.id) {
                        assert!(predicted, "run {run}, upsert {i}: {}", d.article.id);
                        trusted += 1;
                    }
                    let outcome = up.upsert(d).unwrap();
                    assert_eq!(
                        predicted,
                        outcome == Outcome::Unchanged,
                        "run {run}, upsert {i}, commit every {commit_every}"
                    );
                    unchanged += usize::from(predicted);
                    if (i + 1) % commit_every == 0 {
                        up.commit().unwrap();
                    }
                }
                up.commit().unwrap();
                up.finish().unwrap();
            }
            assert!(
                (5..17).contains(&unchanged),
                "{unchanged} unchanged of 34 upserts"
            );
            assert!(trusted >= 3, "{trusted} trusted");
        }
    }

    #[test]
    fn commits_between_upserts_are_whole_and_predicted() {
        let run = |commit_after: &dyn Fn(usize) -> bool| {
            let index = NewsIndex::in_ram();
            let mut up = Updater::new(&index).unwrap();
            for (i, d) in script().into_iter().enumerate() {
                up.upsert(d).unwrap();
                if commit_after(i) {
                    let predicted = up.documents();
                    assert_eq!(up.commit().unwrap(), predicted, "after upsert {i}");
                    let docs = stored(&index);
                    let mut ids: Vec<&str> = docs.iter().map(|d| d.article.id.as_str()).collect();
                    ids.dedup();
                    assert_eq!(ids.len(), docs.len(), "an id twice after upsert {i}");
                }
            }
            let predicted = up.documents();
            assert_eq!(up.commit().unwrap(), predicted);
            up.finish().unwrap();
            stored(&index)
                .into_iter()
                .map(|d| {
                    (
                        d.article.id,
                        d.article.body,
                        d.article.origins,
                        d.origin_hashes,
                    )
                })
                .collect::<Vec<_>>()
        };
        let once = run(&|_| false);
        let summary: Vec<(&str, &str, Vec<&str>)> = once
            .iter()
            .map(|(id, body, origins, _)| {
                let paths = origins.iter().map(|o| o.path.as_str()).collect();
                (id.as_str(), body.as_str(), paths)
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("a", "one", vec!["x/a.txt"]),
                ("b", "two, revised", vec!["x/b.txt", "x/b2.txt"]),
                (
                    "c",
                    "three, revised",
                    vec!["x/d.txt", "x/d2.txt", "x/d3.txt"]
                ),
                ("e", "five", vec!["x/a-copy.txt"]),
                ("h2", "final", vec!["x/c.txt"]),
                ("m", "many", vec!["z/1.txt", "z/2.txt"]),
                ("sha256:w", "text", vec!["y/1.txt", "y/2.txt", "y/3.txt"]),
            ]
        );
        assert_eq!(run(&|_| true), once);
        assert_eq!(run(&|i| i % 2 == 1), once);
        assert_eq!(run(&|i| i == 4), once);
    }
}
