//! `newsdex facets`: exact document counts per person, place, organization or date bucket, over the
//! whole index or the documents matching a query and filters.
//!
//! Places count at country level unless `--under PLACE` lists the places within one. With
//! `--rank significance`, values are ranked by how over-represented they are among the matching
//! documents compared with the whole archive (Dunning's log-likelihood ratio G², over-represented
//! values only), and the counts in both are shown.
//!
//! JSON: one object per kind (JSON Lines): `{"kind", "query", "under", "rank", "matching",
//! "total_documents", "values": [{"name", "path", "count", "archive_count", "score"}]}`;
//! `archive_count` and `score` are present with `--rank significance`; `path` is the facet's
//! segments (`["Libya", "Tripoli"]`). For dates, `name` is `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.

use crate::entities::UNKNOWN_COUNTRY;
use crate::index::values::view_of;
use crate::index::{facet, NewsIndex};
use crate::present::{json_line, sanitize, thousands, Style};
use crate::query::{self, EntityKind, Filters};
use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use tantivy::collector::{Collector, Count, FacetCollector};
use tantivy::directory::Directory;
use tantivy::postings::TermInfo;
use tantivy::query::{AllQuery, Query};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::termdict::TermMerger;
use tantivy::{DocSet, Searcher, TERMINATED};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    People,
    Places,
    Orgs,
    Dates,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s.to_ascii_lowercase().as_str() {
            "people" | "person" | "persons" => Some(Kind::People),
            "places" | "place" => Some(Kind::Places),
            "orgs" | "org" | "organizations" | "organisations" => Some(Kind::Orgs),
            "dates" | "date" => Some(Kind::Dates),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::People => "people",
            Kind::Places => "places",
            Kind::Orgs => "orgs",
            Kind::Dates => "dates",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rank {
    Count,
    Significance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Year,
    Month,
    Day,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub index: PathBuf,
    pub kinds: Vec<Kind>,
    pub query: String,
    pub filters: Filters,
    pub top: usize,
    pub under: Option<String>,
    pub rank: Rank,
    pub by: By,
    pub json: bool,
}

/// One counted value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FacetValue {
    pub name: String,
    pub path: Vec<String>,
    pub count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Other values counted as this one: a bare surname under the full name it stands for, a
    /// firm's name written with other designators (see [`query::aliases`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
}

impl FacetValue {
    /// A facet's count, without archive count or score.
    fn counted(f: &Facet, count: u64) -> FacetValue {
        let path: Vec<String> = f.to_path().iter().map(|s| s.to_string()).collect();
        FacetValue {
            name: path.last().cloned().unwrap_or_default(),
            path,
            count,
            archive_count: None,
            score: None,
            also: Vec::new(),
        }
    }

    /// The name as a terminal shows it: with the values counted as this one, dimmed.
    pub fn shown(&self, style: &Style) -> String {
        let name = sanitize(&self.name);
        if self.also.is_empty() {
            return name;
        }
        // A few of them, so that a firm with many designator forms still fits a line.
        const SHOWN: usize = 3;
        let also: Vec<String> = self.also.iter().take(SHOWN).map(|a| sanitize(a)).collect();
        let mut list = also.join(", ");
        if self.also.len() > SHOWN {
            list = format!("{list} and {} more", self.also.len() - SHOWN);
        }
        format!("{name} {}", style.dim(&format!("(also {list})")))
    }
}

/// The display names of the values merged into each shown value, by its encoded facet.
fn merged_names(aliases: &query::Aliases) -> HashMap<&[u8], Vec<String>> {
    let mut names: HashMap<&[u8], Vec<String>> = HashMap::new();
    for (from, to) in aliases {
        let name = from.rsplit(|&b| b == FACET_SEP_BYTE).next().unwrap_or(from);
        names
            .entry(to.as_slice())
            .or_default()
            .push(String::from_utf8_lossy(name).into_owned());
    }
    for list in names.values_mut() {
        list.sort();
    }
    names
}

#[derive(Debug, Serialize)]
struct Report {
    kind: &'static str,
    query: String,
    under: Option<String>,
    rank: &'static str,
    matching: usize,
    total_documents: u64,
    values: Vec<FacetValue>,
}

pub fn run(opts: Options) -> Result<ExitCode> {
    let index = NewsIndex::open(&opts.index)?;
    let reader = index.index.reader()?;
    let searcher = reader.searcher();
    let resolved = query::build(&index, &searcher, &opts.query, &opts.filters)?;
    let q = resolved.query.as_ref();
    let matching = searcher.search(q, &Count)?;
    let total = searcher.num_docs();
    let under = match &opts.under {
        Some(name) => Some(query::resolve_entity(
            &index,
            &searcher,
            EntityKind::Place,
            name,
        )?),
        None => None,
    };
    let kinds = if opts.kinds.is_empty() {
        vec![Kind::People, Kind::Places]
    } else {
        opts.kinds.clone()
    };
    if under.is_some() && !kinds.contains(&Kind::Places) {
        bail!("--under applies to places: run `newsdex facets places --under PLACE`");
    }
    let style = Style::detect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for kind in kinds {
        let values = match kind {
            Kind::Dates => date_counts(&index, &searcher, q, opts.by)?,
            _ => {
                let ek = entity_kind(kind);
                let parent = if kind == Kind::Places {
                    under.clone()
                } else {
                    None
                };
                match opts.rank {
                    Rank::Count => count_facets(&index, &searcher, q, ek, parent, opts.top)?,
                    Rank::Significance => significant(
                        &index,
                        &searcher,
                        q,
                        ek,
                        parent,
                        opts.top,
                        matching as u64,
                        total,
                    )?,
                }
            }
        };
        let report = Report {
            kind: kind.name(),
            query: opts.query.clone(),
            under: if kind == Kind::Places {
                under.as_ref().map(query::display_facet)
            } else {
                None
            },
            rank: match opts.rank {
                Rank::Count => "count",
                Rank::Significance => "significance",
            },
            matching,
            total_documents: total,
            values,
        };
        if opts.json {
            json_line(&mut out, &report)?;
        } else {
            print_report(&mut out, &style, &report, kind)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn entity_kind(kind: Kind) -> EntityKind {
    match kind {
        Kind::People => EntityKind::Person,
        Kind::Orgs => EntityKind::Org,
        _ => EntityKind::Place,
    }
}

/// The values counted as one under `parent`: people's and organizations' aliases at the root.
fn aliases_under(
    index: &NewsIndex,
    searcher: &Searcher,
    kind: EntityKind,
    parent: &Facet,
) -> Result<query::Aliases> {
    if parent.is_root() {
        query::aliases(index, searcher, kind)
    } else {
        Ok(query::Aliases::new())
    }
}

/// Counts under `parent` (root when `None`), every value (sorted by count, then name), with the
/// values `aliases` merge counted as one (see [`aliases_under`]).
fn all_counts(
    index: &NewsIndex,
    searcher: &Searcher,
    q: &dyn Query,
    kind: EntityKind,
    parent: &Facet,
    aliases: &query::Aliases,
) -> Result<Vec<FacetValue>> {
    let field = kind.facet_field(&index.fields);
    // Values shown as one are counted once per document: from the documents, not the terms.
    let counted: Vec<(Facet, u64)> = if q.is::<AllQuery>() && aliases.is_empty() {
        children_doc_counts(searcher, field, parent)?
    } else {
        let schema = index.index.schema();
        let collector = ChildCounts {
            field: schema.get_field_name(field).to_string(),
            parent: parent.clone(),
            shown_of: ShownOf::new(aliases),
        };
        searcher.search(q, &collector)?
    };
    let merged = merged_names(aliases);
    let mut values: Vec<FacetValue> = counted
        .into_iter()
        .map(|(f, count)| {
            let mut v = FacetValue::counted(&f, count);
            if let Some(names) = merged.get(f.encoded_str().as_bytes()) {
                v.also = names.clone();
            }
            v
        })
        .collect();
    if kind == EntityKind::Place && parent.is_root() {
        // Places of unknown country are not a country: listed with `--under Unresolved`.
        values.retain(|v| v.name != UNKNOWN_COUNTRY);
    }
    values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    Ok(values)
}

/// The byte between levels of a facet's encoded form (tantivy's `FACET_SEP_BYTE`).
const FACET_SEP_BYTE: u8 = 0;

/// Documents per direct child of `parent`, over every document of the index, read from the
/// facet terms' document frequencies instead of visiting documents. Facet terms are indexed once
/// per document and level, so a term's document frequency is the exact count; in a segment with
/// deleted documents the live documents of each term are counted instead.
fn children_doc_counts(
    searcher: &Searcher,
    field: tantivy::schema::Field,
    parent: &Facet,
) -> Result<Vec<(Facet, u64)>> {
    let mut counts = Vec::new();
    visit_children_doc_counts(searcher, field, parent, |key, n| {
        if let Ok(f) = Facet::from_encoded(key.to_vec()) {
            counts.push((f, n));
        }
    })?;
    Ok(counts)
}

/// Calls `visit` with the encoded facet and document count of each direct child of `parent` with
/// live documents, once per child, in term order. The segments' term dictionaries are read as one
/// merged stream, so counts add up without collecting the terms first.
fn visit_children_doc_counts(
    searcher: &Searcher,
    field: tantivy::schema::Field,
    parent: &Facet,
    mut visit: impl FnMut(&[u8], u64),
) -> Result<()> {
    // Children of the root are the terms without a separator; children of `p` are `p\0name`.
    let mut prefix: Vec<u8> = parent.encoded_str().as_bytes().to_vec();
    if !parent.is_root() {
        prefix.push(FACET_SEP_BYTE);
    }
    let segments = searcher.segment_readers();
    let inverted = segments
        .iter()
        .map(|s| s.inverted_index(field))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut streams = Vec::with_capacity(inverted.len());
    for inv in &inverted {
        streams.push(if prefix.is_empty() {
            inv.terms().stream()?
        } else {
            let mut end = prefix.clone();
            // The separator byte is 0, so every child sorts below the prefix ending in 1.
            if let Some(last) = end.last_mut() {
                *last = FACET_SEP_BYTE + 1;
            }
            inv.terms().range().ge(&prefix).lt(&end).into_stream()?
        });
    }
    let is_child = |key: &[u8]| {
        key.strip_prefix(prefix.as_slice())
            .is_some_and(|name| !name.is_empty() && !name.contains(&FACET_SEP_BYTE))
    };
    let live = |seg: usize, info: &TermInfo| -> Result<u64> {
        let Some(alive) = segments[seg].alive_bitset() else {
            return Ok(info.doc_freq as u64);
        };
        let mut postings =
            inverted[seg].read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
        let mut n = 0u64;
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if alive.is_alive(doc) {
                n += 1;
            }
            doc = postings.advance();
        }
        Ok(n)
    };
    if streams.len() == 1 {
        // One segment (a merged index): its own stream, without the merge's heap.
        if let Some(mut stream) = streams.pop() {
            while stream.advance() {
                if is_child(stream.key()) {
                    let n = live(0, stream.value())?;
                    if n > 0 {
                        visit(stream.key(), n);
                    }
                }
            }
        }
        return Ok(());
    }
    let mut merged = TermMerger::new(streams);
    while merged.advance() {
        let key = merged.key();
        if !is_child(key) {
            continue;
        }
        let mut total = 0u64;
        for (seg, info) in merged.current_segment_ords_and_term_infos() {
            total += live(seg, &info)?;
        }
        if total > 0 {
            visit(key, total);
        }
    }
    Ok(())
}

/// The `top` children of `parent` by document count over the whole index, in the order of
/// [`all_counts`] (count, then name): a bounded heap over the merged term stream, so only the
/// values shown become `Facet`s and strings.
fn top_children_doc_counts(
    searcher: &Searcher,
    field: tantivy::schema::Field,
    parent: &Facet,
    top: usize,
    skip_name: Option<&str>,
) -> Result<Vec<FacetValue>> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    // Greater is better: more documents, then the smaller name. The heap's top is the worst kept.
    type Rank = (u64, Reverse<Vec<u8>>, Vec<u8>);
    let mut heap: BinaryHeap<Reverse<Rank>> = BinaryHeap::new();
    if top > 0 {
        visit_children_doc_counts(searcher, field, parent, |key, n| {
            // The name is the last level of the key, as `to_path` gives it.
            let name = key
                .rsplit(|&b| b == FACET_SEP_BYTE)
                .next()
                .unwrap_or_default();
            if heap.len() == top {
                let Some(Reverse((worst_n, Reverse(worst_name), _))) = heap.peek() else {
                    return;
                };
                if (n, Reverse(name)) <= (*worst_n, Reverse(worst_name.as_slice())) {
                    return;
                }
            }
            if std::str::from_utf8(key).is_err() || skip_name.is_some_and(|s| s.as_bytes() == name)
            {
                return;
            }
            heap.push(Reverse((n, Reverse(name.to_vec()), key.to_vec())));
            if heap.len() > top {
                heap.pop();
            }
        })?;
    }
    let mut ranked: Vec<Rank> = heap.into_iter().map(|Reverse(r)| r).collect();
    ranked.sort_by(|a, b| b.cmp(a));
    Ok(ranked
        .into_iter()
        .filter_map(|(count, _, key)| Facet::from_encoded(key).ok().map(|f| (f, count)))
        .map(|(f, count)| FacetValue::counted(&f, count))
        .collect())
}

/// Documents matching a query per direct child of `parent`: what tantivy's `FacetCollector`
/// counts for one facet, but each segment's facet dictionary is read once, in order, to map every
/// facet ordinal to its child; `FacetCollector` looks each counted ordinal's term up on its own,
/// which decompresses a dictionary block per value and dominates when thousands of people match.
struct ChildCounts<'a> {
    field: String,
    parent: Facet,
    /// Each child that is counted as another, and each child others are counted as → the child
    /// counted (empty below the root; see [`ShownOf`]).
    shown_of: ShownOf<'a>,
}

/// The children of some aliases: those counted as another child and those others are counted
/// as, sorted, each with the position (in this list) of the child it is counted as. Sorted as a
/// segment's terms are, so a segment's children are matched against it in one merge pass.
#[derive(Default)]
struct ShownOf<'a>(Vec<(&'a [u8], usize)>);

impl<'a> ShownOf<'a> {
    fn new(aliases: &'a query::Aliases) -> ShownOf<'a> {
        let mut keys: Vec<&[u8]> = aliases
            .iter()
            .flat_map(|(from, to)| [from.as_slice(), to.as_slice()])
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let mut children: Vec<(&[u8], usize)> =
            keys.iter().enumerate().map(|(i, &k)| (k, i)).collect();
        for (from, to) in aliases {
            // Both are in `keys`. A value shown for others is never merged into a third.
            if let (Ok(f), Ok(t)) = (
                keys.binary_search(&from.as_slice()),
                keys.binary_search(&to.as_slice()),
            ) {
                children[f].1 = t;
            }
        }
        ShownOf(children)
    }
}

struct SegmentChildCounts {
    reader: tantivy::fastfield::FacetReader,
    /// Facet ordinal → index in `children` (`u32::MAX`: not under the parent).
    child_of_ord: Vec<u32>,
    /// Encoded facets of the children present in the segment.
    children: Vec<Vec<u8>>,
    counts: Vec<u64>,
    /// Whether some child is counted as another, so that one document's facets under a child
    /// need not be consecutive.
    merged: bool,
    /// The last document each child was counted for (when `merged`).
    last_doc: Vec<tantivy::DocId>,
}

impl Collector for ChildCounts<'_> {
    type Fruit = Vec<(Facet, u64)>;
    type Child = SegmentChildCounts;

    fn for_segment(
        &self,
        _: tantivy::SegmentOrdinal,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentChildCounts> {
        let reader = segment.facet_reader(&self.field)?;
        let mut prefix: Vec<u8> = self.parent.encoded_str().as_bytes().to_vec();
        if !self.parent.is_root() {
            prefix.push(FACET_SEP_BYTE);
        }
        let mut child_of_ord = vec![u32::MAX; reader.num_facets()];
        let mut children: Vec<Vec<u8>> = Vec::new();
        // Children counted as one are not consecutive in term order: each one's slot is kept by
        // its position in `shown_of`, which `next` walks along the (sorted) terms.
        let shown_of = &self.shown_of.0;
        let mut slot_of = vec![u32::MAX; shown_of.len()];
        let mut next = 0;
        let mut merged = false;
        let mut stream = reader.facet_dict().stream()?;
        while stream.advance() {
            let key = stream.key();
            let Some(rest) = key.strip_prefix(prefix.as_slice()) else {
                continue;
            };
            if rest.is_empty() {
                continue;
            }
            let end = prefix.len()
                + rest
                    .iter()
                    .position(|&b| b == FACET_SEP_BYTE)
                    .unwrap_or(rest.len());
            let child = &key[..end];
            while next < shown_of.len() && shown_of[next].0 < child {
                next += 1;
            }
            let shown = shown_of
                .get(next)
                .filter(|(c, _)| *c == child)
                .map(|&(_, shown)| shown);
            let slot = match shown {
                // Terms are sorted, so the descendants of one child are consecutive.
                None => {
                    if children.last().map(Vec::as_slice) != Some(child) {
                        children.push(child.to_vec());
                    }
                    children.len() - 1
                }
                Some(shown) => {
                    merged |= shown != next;
                    if slot_of[shown] == u32::MAX {
                        children.push(shown_of[shown].0.to_vec());
                        slot_of[shown] = (children.len() - 1) as u32;
                    }
                    slot_of[shown] as usize
                }
            };
            if let Some(ord_slot) = child_of_ord.get_mut(stream.term_ord() as usize) {
                *ord_slot = slot as u32;
            }
        }
        let counts = vec![0; children.len()];
        let last_doc = if merged {
            vec![tantivy::TERMINATED; children.len()]
        } else {
            Vec::new()
        };
        Ok(SegmentChildCounts {
            reader,
            child_of_ord,
            children,
            counts,
            merged,
            last_doc,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(Facet, u64)>>) -> tantivy::Result<Vec<(Facet, u64)>> {
        let mut total: HashMap<Facet, u64> = HashMap::new();
        for (facet, n) in fruits.into_iter().flatten() {
            *total.entry(facet).or_default() += n;
        }
        Ok(total.into_iter().collect())
    }
}

impl tantivy::collector::SegmentCollector for SegmentChildCounts {
    type Fruit = Vec<(Facet, u64)>;

    fn collect(&mut self, doc: tantivy::DocId, _: tantivy::Score) {
        if self.merged {
            for ord in self.reader.facet_ords(doc) {
                let child = self
                    .child_of_ord
                    .get(ord as usize)
                    .copied()
                    .unwrap_or(u32::MAX) as usize;
                if let Some(last) = self.last_doc.get_mut(child).filter(|d| **d != doc) {
                    *last = doc;
                    self.counts[child] += 1;
                }
            }
            return;
        }
        // A document's ordinals come sorted, so its facets under one child are consecutive:
        // each child counts once per document.
        let mut previous = u32::MAX;
        for ord in self.reader.facet_ords(doc) {
            let child = self
                .child_of_ord
                .get(ord as usize)
                .copied()
                .unwrap_or(u32::MAX);
            if child != u32::MAX && child != previous {
                self.counts[child as usize] += 1;
            }
            previous = child;
        }
    }

    fn harvest(self) -> Vec<(Facet, u64)> {
        self.children
            .into_iter()
            .zip(self.counts)
            .filter(|&(_, n)| n > 0)
            .filter_map(|(key, n)| Facet::from_encoded(key).ok().map(|f| (f, n)))
            .collect()
    }
}

/// The `top` values by document count among the documents matching `q`.
pub fn count_facets(
    index: &NewsIndex,
    searcher: &Searcher,
    q: &dyn Query,
    kind: EntityKind,
    parent: Option<Facet>,
    top: usize,
) -> Result<Vec<FacetValue>> {
    let parent = parent.unwrap_or_else(Facet::root);
    if q.is::<AllQuery>() {
        if parent.is_root() && top <= CACHE_TOP {
            if let Some(mut values) = read_top_cache(index, searcher, kind) {
                values.truncate(top);
                return Ok(values);
            }
        }
        return top_over_index(index, searcher, kind, &parent, top);
    }
    let aliases = aliases_under(index, searcher, kind, &parent)?;
    let mut values = all_counts(index, searcher, q, kind, &parent, &aliases)?;
    values.truncate(top);
    Ok(values)
}

/// The `top` values under `parent` over the whole index, without the cache: from the terms'
/// document counts, unless some values are shown as one (counted from the documents then).
fn top_over_index(
    index: &NewsIndex,
    searcher: &Searcher,
    kind: EntityKind,
    parent: &Facet,
    top: usize,
) -> Result<Vec<FacetValue>> {
    let aliases = aliases_under(index, searcher, kind, parent)?;
    if !aliases.is_empty() {
        let mut values = all_counts(index, searcher, &AllQuery, kind, parent, &aliases)?;
        values.truncate(top);
        return Ok(values);
    }
    let field = kind.facet_field(&index.fields);
    // As in `all_counts`: places of unknown country are not a country.
    let skip = (kind == EntityKind::Place && parent.is_root()).then_some(UNKNOWN_COUNTRY);
    top_children_doc_counts(searcher, field, parent, top, skip)
}

/// Values kept per kind in the top-values cache.
const CACHE_TOP: usize = 1_000;
/// The cache file of a kind in the index folder (a dot file: tantivy leaves it alone); one file
/// per kind, so a request reads only the kind it lists.
fn cache_file(kind: EntityKind) -> PathBuf {
    PathBuf::from(format!(".newsdex-top-{}.json", kind.plural()))
}

/// The most frequent values of one kind (people, places by country, organizations) over the
/// whole index, as they were when the cache was written: reading them back costs a file read
/// instead of a pass over every facet dictionary, which grows with the archive's segments and
/// distinct names.
#[derive(Debug, Serialize, Deserialize)]
struct TopCache {
    /// The index view the counts are of: (segment id, live documents) of every segment.
    view: Vec<(String, u32)>,
    /// Top values, best first.
    values: Vec<FacetValue>,
    /// Whether values shown as one were counted as one (caches of earlier versions were not).
    #[serde(default)]
    merged: bool,
}

/// Writes the top-values cache for the index's last commit. Called by ingest after its final
/// commit; a missing or stale cache only means the counts are computed again.
pub fn write_top_cache(index: &NewsIndex, searcher: &Searcher) -> Result<()> {
    let view = view_of(searcher);
    for kind in [EntityKind::Person, EntityKind::Place, EntityKind::Org] {
        let values = top_over_index(index, searcher, kind, &Facet::root(), CACHE_TOP)?;
        let cache = TopCache {
            view: view.clone(),
            values,
            merged: true,
        };
        index
            .index
            .directory()
            .atomic_write(&cache_file(kind), &serde_json::to_vec(&cache)?)?;
    }
    Ok(())
}

/// The cached top values of `kind`, when the cache describes exactly the searcher's view.
fn read_top_cache(
    index: &NewsIndex,
    searcher: &Searcher,
    kind: EntityKind,
) -> Option<Vec<FacetValue>> {
    let bytes = crate::index::values::read_file(index, &cache_file(kind))?;
    let cache: TopCache = serde_json::from_slice(&bytes).ok()?;
    (cache.merged && cache.view == view_of(searcher)).then_some(cache.values)
}

/// The `top` values most over-represented in the matching documents.
#[allow(clippy::too_many_arguments)]
fn significant(
    index: &NewsIndex,
    searcher: &Searcher,
    q: &dyn Query,
    kind: EntityKind,
    parent: Option<Facet>,
    top: usize,
    matching: u64,
    total: u64,
) -> Result<Vec<FacetValue>> {
    let parent = parent.unwrap_or_else(Facet::root);
    let aliases = aliases_under(index, searcher, kind, &parent)?;
    let local = all_counts(index, searcher, q, kind, &parent, &aliases)?;
    let global: HashMap<Vec<String>, u64> =
        all_counts(index, searcher, &AllQuery, kind, &parent, &aliases)?
            .into_iter()
            .map(|v| (v.path, v.count))
            .collect();
    let mut scored: Vec<FacetValue> = local
        .into_iter()
        .filter_map(|mut v| {
            let archive = *global.get(&v.path)?;
            let g2 = log_likelihood(v.count, matching, archive, total);
            v.archive_count = Some(archive);
            v.score = Some((g2 * 100.0).round() / 100.0);
            (g2 > 0.0).then_some(v)
        })
        .collect();
    scored.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| b.count.cmp(&a.count))
            .then_with(|| a.name.cmp(&b.name))
    });
    scored.truncate(top);
    Ok(scored)
}

/// Dunning's G² for "value in the matching set" vs "value in the rest of the archive"; signed so
/// that only over-represented values are positive.
pub fn log_likelihood(k: u64, n: u64, archive_k: u64, archive_n: u64) -> f64 {
    let (k1, n1) = (k as f64, n as f64);
    let (k2, n2) = (
        (archive_k.saturating_sub(k)) as f64,
        (archive_n.saturating_sub(n)) as f64,
    );
    if n1 == 0.0 || k1 == 0.0 {
        return 0.0;
    }
    let p = (k1 + k2) / (n1 + n2).max(1.0);
    let p1 = k1 / n1;
    let p2 = if n2 > 0.0 { k2 / n2 } else { 0.0 };
    if p1 <= p2 {
        return 0.0;
    }
    let ll = |k: f64, n: f64, p: f64| {
        let p = p.clamp(1e-12, 1.0 - 1e-12);
        k * p.ln() + (n - k) * (1.0 - p).ln()
    };
    2.0 * (ll(k1, n1, p1) + ll(k2, n2, p2) - ll(k1, n1, p) - ll(k2, n2, p))
}

/// Counts per year, month or day, in date order.
fn date_counts(
    index: &NewsIndex,
    searcher: &Searcher,
    q: &dyn Query,
    by: By,
) -> Result<Vec<FacetValue>> {
    let depth = match by {
        By::Year => 1,
        By::Month => 2,
        By::Day => 3,
    };
    // Register every facet one level above the wanted depth that exists in the index.
    let field = index.fields.date_facet;
    let mut parents: Vec<Facet> = vec![Facet::root()];
    if depth > 1 {
        let mut found = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                if let Ok(f) = Facet::from_encoded(stream.key().to_vec()) {
                    if f.is_root() {
                        continue;
                    }
                    let path: Vec<String> = f.to_path().iter().map(|s| s.to_string()).collect();
                    if path.len() >= depth - 1 && path.iter().all(|s| !s.is_empty()) {
                        let segs: Vec<&str> =
                            path[..depth - 1].iter().map(String::as_str).collect();
                        found.insert(facet(&segs));
                    }
                }
            }
        }
        parents = found.into_iter().collect();
    }
    let mut collector = FacetCollector::for_field("date_facet");
    for p in &parents {
        collector.add_facet(p.clone());
    }
    let counts = searcher.search(q, &collector)?;
    let mut values = Vec::new();
    for p in &parents {
        for (f, count) in counts.get(p.clone()) {
            let path: Vec<String> = f.to_path().iter().map(|s| s.to_string()).collect();
            values.push(FacetValue {
                name: path.join("-"),
                path,
                count,
                archive_count: None,
                score: None,
                also: Vec::new(),
            });
        }
    }
    values.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(values)
}

fn print_report<W: Write>(out: &mut W, style: &Style, r: &Report, kind: Kind) -> Result<()> {
    // Filters restrict the documents too: the whole archive only when nothing does.
    let everything = r.query.trim().is_empty() || r.query.trim() == "*";
    let scope = if everything && r.matching as u64 == r.total_documents {
        format!("{} articles", thousands(r.total_documents))
    } else {
        format!(
            "{} of {} articles match",
            thousands(r.matching as u64),
            thousands(r.total_documents)
        )
    };
    let mut title = match (kind, &r.under) {
        (Kind::Places, Some(u)) => format!("Places in {u}"),
        (Kind::Places, None) => "Places (by country)".to_string(),
        (Kind::People, _) => "People".to_string(),
        (Kind::Orgs, _) => "Organizations".to_string(),
        (Kind::Dates, _) => "Dates".to_string(),
    };
    if r.rank == "significance" {
        title.push_str(", most over-represented");
    }
    writeln!(
        out,
        "{} {}",
        style.bold(&title),
        style.dim(&format!("({scope})"))
    )?;
    if r.values.is_empty() {
        writeln!(out, "  (none)")?;
    }
    let max = r.values.iter().map(|v| v.count).max().unwrap_or(1).max(1);
    for v in &r.values {
        match (v.archive_count, v.score) {
            (Some(archive), Some(score)) => writeln!(
                out,
                "  {:>6} of {:>6}  G²={:<8.1} {}",
                thousands(v.count),
                thousands(archive),
                score,
                v.shown(style)
            )?,
            _ if kind == Kind::Dates => {
                let bar = "█".repeat(((v.count * 40).div_ceil(max)) as usize);
                writeln!(
                    out,
                    "  {:<10} {:>6}  {}",
                    v.name,
                    thousands(v.count),
                    style.dim(&bar)
                )?
            }
            _ => writeln!(out, "  {:>6}  {}", thousands(v.count), v.shown(style))?,
        }
    }
    writeln!(out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::TermQuery;
    use tantivy::schema::{FacetOptions, Schema, STRING};
    use tantivy::{doc, Index, IndexWriter, Term};

    /// A bare surname and the full name it stands for are one value, counted once per document
    /// even in a document naming both, over the whole index (cached or not) and within a query.
    #[test]
    fn values_shown_as_one_count_each_document_once() {
        let index = NewsIndex::in_ram();
        let f = index.fields;
        let mut writer: IndexWriter = index.index.writer_with_num_threads(1, 15_000_000).unwrap();
        let docs: &[&[&str]] = &[
            &["Ann Lee"],
            &["Ann Lee", "Lee"],
            &["Lee"],
            &["Lee", "Bo Holt"],
            &["Bo Holt"],
        ];
        for (i, people) in docs.iter().enumerate() {
            let mut d = doc!(f.id => i.to_string(), f.body => if i < 3 { "rain" } else { "sun" });
            for p in *people {
                d.add_facet(f.person_facet, Facet::from_path([*p]));
            }
            writer.add_document(d).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        let listed = |q: &dyn Query| {
            count_facets(&index, &searcher, q, EntityKind::Person, None, 10)
                .unwrap()
                .into_iter()
                .map(|v| (v.name, v.count, v.also))
                .collect::<Vec<_>>()
        };
        let lee = |n| ("Ann Lee".to_string(), n, vec!["Lee".to_string()]);
        let holt = ("Bo Holt".to_string(), 2, Vec::new());
        assert_eq!(listed(&AllQuery), vec![lee(4), holt.clone()]);
        crate::index::values::write(&index, &searcher).unwrap();
        write_top_cache(&index, &searcher).unwrap();
        assert!(read_top_cache(&index, &searcher, EntityKind::Person).is_some());
        assert_eq!(listed(&AllQuery), vec![lee(4), holt]);
        let rain = TermQuery::new(
            Term::from_field_text(f.body, "rain"),
            IndexRecordOption::Basic,
        );
        assert_eq!(listed(&rain), vec![lee(3)]);
    }

    /// The cached top values equal the computed ones for every length, and a cache of another
    /// view of the index (a later commit) is not used.
    #[test]
    fn cached_top_values_equal_computed_ones_and_go_stale_with_a_new_commit() {
        let index = NewsIndex::in_ram();
        let f = index.fields;
        let mut writer: IndexWriter = index.index.writer_with_num_threads(1, 15_000_000).unwrap();
        let people = [
            "Ann Lee", "Bo Holt", "Ann Lee", "Cy Tran", "Bo Holt", "Ann Lee", "Dee Mo",
        ];
        for (i, p) in people.iter().enumerate() {
            let mut d = doc!(f.id => i.to_string());
            d.add_facet(f.person_facet, Facet::from_path([*p]));
            d.add_facet(f.place_facet, Facet::from_path(["Kenya", "Nairobi"]));
            writer.add_document(d).unwrap();
        }
        writer.commit().unwrap();
        let computed = |index: &NewsIndex, top: usize| {
            let searcher = index.index.reader().unwrap().searcher();
            let field = EntityKind::Person.facet_field(&index.fields);
            top_children_doc_counts(&searcher, field, &Facet::root(), top, None).unwrap()
        };
        let counted = |index: &NewsIndex, top: usize| {
            let searcher = index.index.reader().unwrap().searcher();
            count_facets(index, &searcher, &AllQuery, EntityKind::Person, None, top).unwrap()
        };
        let searcher = index.index.reader().unwrap().searcher();
        write_top_cache(&index, &searcher).unwrap();
        assert!(read_top_cache(&index, &searcher, EntityKind::Person).is_some());
        for top in 0..6 {
            assert_eq!(counted(&index, top), computed(&index, top), "top {top}");
        }
        assert_eq!(counted(&index, 1)[0].name, "Ann Lee");
        // A new commit: the cache no longer describes the index and is not read.
        let mut d = doc!(f.id => "new");
        d.add_facet(f.person_facet, Facet::from_path(["Dee Mo"]));
        writer.add_document(d).unwrap();
        writer.commit().unwrap();
        let searcher = index.index.reader().unwrap().searcher();
        assert!(read_top_cache(&index, &searcher, EntityKind::Person).is_none());
        assert_eq!(counted(&index, 3), computed(&index, 3));
    }

    /// Term-frequency counts equal the collector's, before and after deletes, at every level.
    #[test]
    fn counts_from_terms_match_the_collector() {
        let mut b = Schema::builder();
        let id = b.add_text_field("id", STRING);
        let place = b.add_facet_field("place", FacetOptions::default());
        let index = Index::create_in_ram(b.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let docs: &[(&str, &[&[&str]])] = &[
            ("1", &[&["Libya", "Tripoli"], &["Libya", "Benghazi"]]),
            ("2", &[&["Libya"]]),
            ("3", &[&["Kenya", "Nairobi"], &["Libya", "Tripoli"]]),
            ("4", &[&["Kenya"]]),
            ("5", &[]),
        ];
        let add = |writer: &mut IndexWriter, docs: &[(&str, &[&[&str]])]| {
            for (i, places) in docs {
                let mut d = doc!(id => *i);
                for p in *places {
                    d.add_facet(place, facet(p));
                }
                writer.add_document(d).unwrap();
            }
        };
        add(&mut writer, &docs[..3]);
        writer.commit().unwrap();
        add(&mut writer, &docs[3..]);
        writer.commit().unwrap();
        let check = |index: &Index| {
            let searcher = index.reader().unwrap().searcher();
            // What tantivy's collector counts, and what ours counts, sorted.
            let expected = |q: &dyn Query, parent: &Facet| {
                let mut collector = FacetCollector::for_field("place");
                collector.add_facet(parent.clone());
                let counts = searcher.search(q, &collector).unwrap();
                let mut v: Vec<(Facet, u64)> = counts
                    .get(parent.clone())
                    .map(|(f, n)| (f.clone(), n))
                    .collect();
                v.sort();
                v
            };
            let collected = |q: &dyn Query, parent: &Facet| {
                let collector = ChildCounts {
                    field: "place".into(),
                    parent: parent.clone(),
                    shown_of: ShownOf::default(),
                };
                let mut v = searcher.search(q, &collector).unwrap();
                v.sort();
                v
            };
            for parent in [Facet::root(), facet(&["Libya"]), facet(&["Kenya"])] {
                let mut got = children_doc_counts(&searcher, place, &parent).unwrap();
                got.sort();
                assert_eq!(got, expected(&AllQuery, &parent), "under {parent}");
                assert_eq!(
                    collected(&AllQuery, &parent),
                    expected(&AllQuery, &parent),
                    "under {parent}"
                );
                // The top values, as the full counts sorted by count then name give them.
                let mut ranked: Vec<(String, u64)> = expected(&AllQuery, &parent)
                    .into_iter()
                    .map(|(f, n)| (f.to_path().last().unwrap_or(&"").to_string(), n))
                    .collect();
                ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                for top in 0..=ranked.len() + 1 {
                    for skip in [None, Some("Kenya"), Some("Tripoli")] {
                        let want: Vec<(String, u64)> = ranked
                            .iter()
                            .filter(|(name, _)| Some(name.as_str()) != skip)
                            .take(top)
                            .cloned()
                            .collect();
                        let got: Vec<(String, u64)> =
                            top_children_doc_counts(&searcher, place, &parent, top, skip)
                                .unwrap()
                                .into_iter()
                                .map(|v| (v.name, v.count))
                                .collect();
                        assert_eq!(got, want, "top {top} under {parent} without {skip:?}");
                    }
                }
                // Over a query: the documents mentioning a place in Libya.
                let libya = tantivy::query::TermQuery::new(
                    Term::from_facet(place, &facet(&["Libya"])),
                    IndexRecordOption::Basic,
                );
                assert_eq!(
                    collected(&libya, &parent),
                    expected(&libya, &parent),
                    "under {parent}, over a query"
                );
            }
        };
        check(&index);
        writer.delete_term(Term::from_field_text(id, "3"));
        writer.commit().unwrap();
        check(&index);
        // One segment (read without merging streams), then one with a deleted document.
        let segments = index.searchable_segment_ids().unwrap();
        writer.merge(&segments).wait().unwrap();
        assert_eq!(index.searchable_segment_ids().unwrap().len(), 1);
        check(&index);
        writer.delete_term(Term::from_field_text(id, "1"));
        writer.commit().unwrap();
        check(&index);
    }

    #[test]
    fn significance_is_positive_only_for_over_represented_values() {
        // 30 of 40 matching documents vs 40 of 2,000 in the archive: strongly over-represented.
        assert!(log_likelihood(30, 40, 40, 2000) > 50.0);
        // Same rate inside and outside the matching set: not significant.
        assert_eq!(log_likelihood(10, 100, 200, 2000), 0.0);
        // Under-represented.
        assert_eq!(log_likelihood(1, 100, 500, 2000), 0.0);
    }
}
