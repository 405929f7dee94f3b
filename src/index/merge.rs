//! Segment merging with a size cap, so the memory an ingest needs stays bounded as the archive
//! grows.
//!
//! tantivy's [`LogMergePolicy`] merges segments of similar size into ever larger ones, up to the
//! whole index. A merge reads every source segment through memory-mapped files, so the process's
//! resident size grows with the largest merge. This policy keeps the log policy's choice of
//! segments but splits each of its merges into groups of at most [`MAX_MERGE_BYTES`] of article
//! text (estimated from the average article size the ingest reports), and leaves segments that
//! are already half that size alone. A large archive ends in several segments of a few hundred
//! megabytes rather than one; searches visit each, at a cost of well under a millisecond.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// Most article text (title and body bytes) one merge may bring together.
pub const MAX_MERGE_BYTES: u64 = 256 * 1024 * 1024;
/// The final merges take segments under this fraction of the cap. They are the tail an
/// ingest leaves (its last flushes, or the whole of a small ingest), cheap to merge. Larger
/// segments wait for the log policy: merging two of 40,000 articles took a fifth of an
/// 80,000-article ingest, for no measurable gain in search time.
const FINAL_MERGE_SHARE: u64 = 64;
/// Average article size assumed until the ingest has measured one.
const DEFAULT_ARTICLE_BYTES: u64 = 2_000;

/// The log merge policy with each merge capped at [`MAX_MERGE_BYTES`] of article text.
#[derive(Debug, Clone)]
pub struct CappedMergePolicy {
    /// Average bytes of article text per document, kept up to date by the ingest.
    article_bytes: Arc<AtomicU64>,
    max_bytes: u64,
}

impl CappedMergePolicy {
    /// A policy capping merges at `max_bytes`. Clones share the average article size, so the
    /// ingest reports it ([`CappedMergePolicy::set_article_bytes`]) to the writer's copy.
    pub fn new(max_bytes: u64) -> CappedMergePolicy {
        CappedMergePolicy {
            article_bytes: Arc::new(AtomicU64::new(DEFAULT_ARTICLE_BYTES)),
            max_bytes,
        }
    }

    /// Records the average bytes of article text per document.
    pub fn set_article_bytes(&self, bytes: u64) {
        self.article_bytes.store(bytes, Ordering::Relaxed);
    }

    /// Most documents one merge may bring together.
    fn max_docs(&self) -> u64 {
        let per_doc = self.article_bytes.load(Ordering::Relaxed).max(64);
        (self.max_bytes / per_doc).max(2)
    }

    /// The merges that end an ingest: the segments under [`FINAL_MERGE_SHARE`] of the cap
    /// (about 4,000 news articles), smallest first, in groups under the cap. The log policy waits for several segments of one size before
    /// it merges them, so a run ends with a few small segments (its last flushes) that it would
    /// never merge; each holds its own term dictionaries and makes every search visit one more
    /// segment. Larger segments are left as they are: rewriting them would cost more than it
    /// saves.
    pub fn final_merges(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let max_docs = self.max_docs();
        let mut small: Vec<&SegmentMeta> = segments
            .iter()
            .filter(|s| (s.num_docs() as u64) < max_docs / FINAL_MERGE_SHARE)
            .collect();
        small.sort_by_key(|s| s.num_docs());
        group_under_cap(
            small.iter().map(|s| (s.id(), s.num_docs() as u64)),
            max_docs,
        )
    }
}

/// Splits `segments` (id, documents), in the order given, into consecutive groups of at most
/// `max_docs` documents; groups of one are no merge and are dropped.
fn group_under_cap(
    segments: impl Iterator<Item = (SegmentId, u64)>,
    max_docs: u64,
) -> Vec<MergeCandidate> {
    let mut out = Vec::new();
    let mut group = Vec::new();
    let mut total = 0;
    for (id, n) in segments {
        if total + n > max_docs && !group.is_empty() {
            if group.len() > 1 {
                out.push(MergeCandidate(std::mem::take(&mut group)));
            }
            group.clear();
            total = 0;
        }
        group.push(id);
        total += n;
    }
    if group.len() > 1 {
        out.push(MergeCandidate(group));
    }
    out
}

impl MergePolicy for CappedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let max_docs = self.max_docs();
        let mut inner = LogMergePolicy::default();
        // A segment of half the cap or more could only merge alone.
        inner.set_max_docs_before_merge((max_docs / 2) as usize);
        let docs = |id| {
            segments
                .iter()
                .find(|s| s.id() == id)
                .map_or(0, |s| s.num_docs() as u64)
        };
        let mut out = Vec::new();
        for candidate in inner.compute_merge_candidates(segments) {
            let mut ids = candidate.0;
            ids.sort_by_key(|&id| docs(id));
            // Smallest first, into groups under the cap.
            out.extend(group_under_cap(
                ids.into_iter().map(|id| (id, docs(id))),
                max_docs,
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::Schema;
    use tantivy::Index;

    fn metas(sizes: &[u32]) -> Vec<SegmentMeta> {
        let index = Index::create_in_ram(Schema::builder().build());
        sizes
            .iter()
            .map(|&n| index.new_segment_meta(SegmentId::generate_random(), n))
            .collect()
    }

    fn merged(policy: &CappedMergePolicy, segments: &[SegmentMeta]) -> Vec<Vec<u64>> {
        sizes(policy.compute_merge_candidates(segments), segments)
    }

    /// The document counts of the segments of each merge.
    fn sizes(merges: Vec<MergeCandidate>, segments: &[SegmentMeta]) -> Vec<Vec<u64>> {
        merges
            .into_iter()
            .map(|c| {
                c.0.iter()
                    .map(|id| {
                        let s = segments.iter().find(|s| s.id() == *id).expect("known id");
                        s.num_docs() as u64
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn merges_stay_under_the_cap_and_large_segments_are_left_alone() {
        // 1,000 bytes per article and a 100,000-byte cap: at most 100 documents per merge.
        let policy = CappedMergePolicy::new(100_000);
        policy.set_article_bytes(1_000);
        let segments = metas(&[30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 60, 70]);
        let groups = merged(&policy, &segments);
        assert!(!groups.is_empty(), "small segments are still merged");
        for g in &groups {
            assert!(g.len() >= 2, "{groups:?}");
            assert!(g.iter().sum::<u64>() <= 100, "{groups:?}");
            // 60 and 70 are more than half the cap: never merged.
            assert!(g.iter().all(|&n| n < 50), "{groups:?}");
        }
        // Without a cap (the log policy alone) the ten small ones would make one merge.
        let roomy = CappedMergePolicy::new(1 << 40);
        roomy.set_article_bytes(1_000);
        let groups = merged(&roomy, &segments);
        assert!(
            groups.iter().any(|g| g.iter().sum::<u64>() > 100),
            "{groups:?}"
        );
    }

    #[test]
    fn the_cap_follows_the_reported_article_size() {
        let policy = CappedMergePolicy::new(1_000_000);
        policy.set_article_bytes(10_000);
        assert_eq!(policy.max_docs(), 100);
        policy.set_article_bytes(1_000);
        assert_eq!(policy.max_docs(), 1_000);
    }

    #[test]
    fn final_merges_gather_the_small_segments_under_the_cap() {
        let policy = CappedMergePolicy::new(800_000);
        policy.set_article_bytes(1_000);
        // A 64th of the cap is 12 documents: the larger ones stay, the small ones merge
        // smallest first, at most 800 documents per merge.
        let segments = metas(&[60, 70, 5, 4, 11, 12, 8]);
        let groups = sizes(policy.final_merges(&segments), &segments);
        assert_eq!(groups, vec![vec![4, 5, 8, 11]]);
        assert!(policy.final_merges(&metas(&[60, 70, 5, 30])).is_empty());
        // Groups stay under the cap.
        let tight = CappedMergePolicy::new(128_000);
        tight.set_article_bytes(1_000);
        assert_eq!(tight.final_merges(&metas(&[1, 1, 1, 1, 1])).len(), 1);
        assert!(tight
            .final_merges(&metas(&[1, 1, 1]))
            .iter()
            .all(|c| c.0.len() > 1));
    }
}
