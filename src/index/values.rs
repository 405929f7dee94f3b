//! Every distinct value of each entity facet, cached for the index's last commit.
//!
//! Resolving a filter's name ("--org chrysler") tests the values of one facet field. Read from
//! the index, they come from each segment's facet dictionary in turn: a value in every segment is
//! read (and its dictionary block decompressed) once per segment, and the cost grows with the
//! segments as well as with the names. Ingest writes them once, deduplicated and sorted, into one
//! file per kind after its final commit; a reader uses the file only when it describes exactly
//! the index view being searched, and otherwise reads the dictionaries as before.
//!
//! File layout: a first line `newsdex-values 1 <view as JSON>`, then each value's encoded facet
//! bytes (tantivy's form, levels separated by a zero byte) preceded by its length as a
//! little-endian `u16`.
//!
//! Next to them, for people and organizations, the values that lists and filters show as one
//! ([`crate::query::Aliases`]), worked out from all values once per ingest: a JSON file per kind
//! with the same view.

use super::NewsIndex;
use crate::query::{Aliases, EntityKind};
use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use tantivy::directory::Directory;
use tantivy::Searcher;

const MAGIC: &str = "newsdex-values 1 ";

/// The cache file of a kind in the index folder (a dot file: tantivy leaves it alone).
fn cache_file(kind: EntityKind) -> PathBuf {
    PathBuf::from(format!(".newsdex-values-{}", kind.plural()))
}

/// The index view a cache describes: (segment id, live documents) of every segment, sorted.
pub fn view_of(searcher: &Searcher) -> Vec<(String, u32)> {
    let mut view: Vec<(String, u32)> = searcher
        .segment_readers()
        .iter()
        .map(|r| (r.segment_id().uuid_string(), r.num_docs()))
        .collect();
    view.sort();
    view
}

/// The distinct encoded values of a kind's facet field over every segment, sorted.
fn distinct_values(
    index: &NewsIndex,
    searcher: &Searcher,
    kind: EntityKind,
) -> Result<Vec<Vec<u8>>> {
    let schema = index.index.schema();
    let field = schema.get_field_name(kind.facet_field(&index.fields));
    let mut all: Vec<Vec<u8>> = Vec::new();
    for segment in searcher.segment_readers() {
        let reader = segment.facet_reader(field)?;
        let mut stream = reader.facet_dict().stream()?;
        while stream.advance() {
            all.push(stream.key().to_vec());
        }
    }
    all.sort_unstable();
    all.dedup();
    Ok(all)
}

/// Writes the cache of every kind for the view of `searcher`. A value too long for its length
/// prefix leaves that kind uncached: readers then use the dictionaries.
pub fn write(index: &NewsIndex, searcher: &Searcher) -> Result<()> {
    let view = view_of(searcher);
    let view_json = serde_json::to_string(&view)?;
    for kind in [EntityKind::Person, EntityKind::Place, EntityKind::Org] {
        let file = cache_file(kind);
        let values = distinct_values(index, searcher, kind)?;
        match encode(&view_json, &values) {
            Some(bytes) => index.index.directory().atomic_write(&file, &bytes)?,
            // Remove a cache of an older view, so it is not mistaken for this one's.
            None => {
                let _ = index.index.directory().delete(&file);
            }
        }
        if kind == EntityKind::Place {
            continue;
        }
        // The aliases, from the values just read (as `compute_aliases` would read them).
        let mut levels = crate::query::FacetLevels::default();
        values.iter().for_each(|v| levels.add(v, &mut |_| true));
        let facets = levels.into_facets();
        let cache = AliasCache {
            view: view.clone(),
            aliases: crate::query::aliases_among(index, searcher, kind, &facets)?
                .into_iter()
                .filter_map(|(from, to)| {
                    Some((String::from_utf8(from).ok()?, String::from_utf8(to).ok()?))
                })
                .collect(),
        };
        let bytes = serde_json::to_vec(&cache)?;
        index
            .index
            .directory()
            .atomic_write(&alias_file(kind), &bytes)?;
    }
    Ok(())
}

/// The bytes of a cache file of the index folder, if it can be read.
pub(crate) fn read_file(index: &NewsIndex, file: &std::path::Path) -> Option<Vec<u8>> {
    index.index.directory().atomic_read(file).ok()
}

/// The file of a kind's [`Aliases`].
fn alias_file(kind: EntityKind) -> PathBuf {
    PathBuf::from(format!(".newsdex-aliases-{}.json", kind.plural()))
}

/// A kind's aliases, as (value, value shown) pairs of encoded facets (UTF-8, as tantivy keeps
/// them), for one index view.
#[derive(Serialize, Deserialize)]
struct AliasCache {
    view: Vec<(String, u32)>,
    aliases: Vec<(String, String)>,
}

/// The cached [`Aliases`] of `kind`, when the cache describes exactly the view of `searcher`.
pub fn read_aliases(index: &NewsIndex, searcher: &Searcher, kind: EntityKind) -> Option<Aliases> {
    let bytes = read_file(index, &alias_file(kind))?;
    let cache: AliasCache = serde_json::from_slice(&bytes).ok()?;
    (cache.view == view_of(searcher)).then(|| {
        cache
            .aliases
            .into_iter()
            .map(|(from, to)| (from.into_bytes(), to.into_bytes()))
            .collect()
    })
}

fn encode(view: &str, values: &[Vec<u8>]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(MAGIC.len() + view.len() + 1 + values.len() * 24);
    out.extend_from_slice(MAGIC.as_bytes());
    out.extend_from_slice(view.as_bytes());
    out.push(b'\n');
    for v in values {
        let len = u16::try_from(v.len()).ok()?;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(v);
    }
    Some(out)
}

/// The cached values of one kind, as read from its file.
pub struct CachedValues {
    bytes: Vec<u8>,
    start: usize,
}

impl CachedValues {
    /// The encoded values, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        let mut rest = &self.bytes[self.start..];
        std::iter::from_fn(move || {
            let (len, tail) = rest.split_first_chunk::<2>()?;
            let len = u16::from_le_bytes(*len) as usize;
            let value = tail.get(..len)?;
            rest = &tail[len..];
            Some(value)
        })
    }
}

/// The cached values of `kind`, when the cache describes exactly the view of `searcher`.
pub fn read(index: &NewsIndex, searcher: &Searcher, kind: EntityKind) -> Option<CachedValues> {
    let bytes = read_file(index, &cache_file(kind))?;
    let line_end = bytes.iter().position(|&b| b == b'\n')?;
    let header = bytes[..line_end].strip_prefix(MAGIC.as_bytes())?;
    let view: Vec<(String, u32)> = serde_json::from_slice(header).ok()?;
    if view != view_of(searcher) {
        return None;
    }
    let cached = CachedValues {
        bytes,
        start: line_end + 1,
    };
    // A file that does not end where its last value does was damaged (it is written whole, by
    // rename): the dictionaries are read instead of a list that may lack values.
    let read: usize = cached.iter().map(|v| v.len() + 2).sum();
    (cached.start + read == cached.bytes.len()).then_some(cached)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::facet_values;
    use tantivy::schema::Facet;
    use tantivy::{doc, IndexWriter};

    /// Filters read the same values from the cache as from the dictionaries, and a commit after
    /// the cache was written makes it stale.
    #[test]
    fn the_cache_holds_every_value_of_its_view_only() {
        let index = NewsIndex::in_ram();
        let f = index.fields;
        let mut writer: IndexWriter = index.index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Two segments that share a value, so the cache must deduplicate.
        for batch in [&["Ann Lee", "Bo Chan"][..], &["Bo Chan", "Cy Dorn"]] {
            for name in batch {
                let mut d = doc!(f.id => *name);
                d.add_facet(f.person_facet, Facet::from_path([*name]));
                d.add_facet(f.place_facet, Facet::from_path(["Kenya", "Nairobi"]));
                writer.add_document(d).unwrap();
            }
            writer.commit().unwrap();
        }
        let reader = index.index.reader().unwrap();
        let searcher = reader.searcher();
        let kinds = [EntityKind::Person, EntityKind::Place, EntityKind::Org];
        let from_dicts: Vec<Vec<Facet>> = kinds
            .iter()
            .map(|&k| facet_values(&index, &searcher, k).unwrap())
            .collect();
        assert!(read(&index, &searcher, EntityKind::Person).is_none());
        write(&index, &searcher).unwrap();
        for (&kind, expected) in kinds.iter().zip(&from_dicts) {
            let cached = read(&index, &searcher, kind).expect("cache of this view");
            let mut distinct: Vec<&[u8]> = cached.iter().collect();
            let n = distinct.len();
            distinct.dedup();
            assert_eq!(distinct.len(), n, "{kind:?} values once each");
            assert_eq!(&facet_values(&index, &searcher, kind).unwrap(), expected);
        }
        let people = read(&index, &searcher, EntityKind::Person).unwrap();
        assert_eq!(people.iter().count(), 3);
        // A damaged file is not used: the values come from the dictionaries again.
        let file = cache_file(EntityKind::Person);
        let whole = index.index.directory().atomic_read(&file).unwrap();
        let cut = &whole[..whole.len() - 3];
        index.index.directory().atomic_write(&file, cut).unwrap();
        assert!(read(&index, &searcher, EntityKind::Person).is_none());
        assert_eq!(
            facet_values(&index, &searcher, EntityKind::Person).unwrap(),
            from_dicts[0]
        );

        let mut d = doc!(f.id => "new");
        d.add_facet(f.person_facet, Facet::from_path(["Dee Mo"]));
        writer.add_document(d).unwrap();
        writer.commit().unwrap();
        reader.reload().unwrap();
        let searcher = reader.searcher();
        assert!(read(&index, &searcher, EntityKind::Person).is_none());
        assert_eq!(
            facet_values(&index, &searcher, EntityKind::Person)
                .unwrap()
                .len(),
            4
        );
    }

    #[test]
    fn values_come_back_as_written() {
        let values = vec![b"Japan".to_vec(), b"Japan\0Tokyo".to_vec(), Vec::new()];
        let bytes = encode("[]", &values).unwrap();
        let cached = CachedValues {
            start: bytes.iter().position(|&b| b == b'\n').unwrap() + 1,
            bytes,
        };
        let back: Vec<Vec<u8>> = cached.iter().map(<[u8]>::to_vec).collect();
        assert_eq!(back, values);
        assert!(encode("[]", &[vec![b'x'; 70_000]]).is_none());
    }
}
