//! Tagging with a loaded [`Model`]: per-word-type score vectors cached per thread (so a word's
//! word features are hashed and looked up once), context and document features added per token,
//! then Viterbi decoding per sentence.

use super::conll::NUM_TAGS;
use super::features::{
    self, caps_sentence, context_features, stack_features, DocStats, HashKeyed, StackStats, WordKey,
};
use super::model::{viterbi, Model, Row};
use std::cell::RefCell;

/// A word type's key and its summed word-feature scores for offsets -2..=2, per pass.
pub struct CachedWord {
    pub key: WordKey,
    pub scores: [[Row; 5]; 2],
}

/// A thread's cache of word types: the word's 64-bit hash (the same hash its features are built
/// from) → its entry in `words`. Keyed by the hash alone, so a lookup never touches the word's
/// text again; two word types of one model sharing a 64-bit hash is as unlikely as two features
/// sharing one.
struct WordCache {
    /// Which engine the entries were computed with (see [`Engine::id`]).
    engine: u64,
    index: HashKeyed<u32>,
    words: Vec<CachedWord>,
}

/// Most word types a thread keeps cached before starting over (about 400 bytes each).
const CACHE_LIMIT: usize = 100_000;

thread_local! {
    static CACHE: RefCell<WordCache> = RefCell::new(WordCache {
        engine: u64::MAX,
        index: HashKeyed::default(),
        words: Vec::new(),
    });
}

/// Tags documents with one model; `id` tells the per-thread caches of different models apart.
pub struct Engine {
    pub model: Model,
    pub id: u64,
    pad_scores: [[Row; 5]; 2],
}

impl Engine {
    pub fn new(model: Model) -> Engine {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let mut pad_scores = [[[0f32; NUM_TAGS]; 5]; 2];
        for (pass, pads) in pad_scores.iter_mut().enumerate().take(model.passes()) {
            for off in [-2i8, -1, 1, 2] {
                let o = (off + 2) as usize;
                model.add_feature(features::pad_features(off), pass, &mut pads[o]);
            }
        }
        Engine {
            model,
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            pad_scores,
        }
    }

    fn compute(&self, w: &str) -> CachedWord {
        let (key, feats) = self.model.resources.word_features(w);
        let mut scores = [[[0f32; NUM_TAGS]; 5]; 2];
        let np = self.model.passes();
        for (o, fs) in feats.iter().enumerate() {
            for &f in fs {
                if let Some(slot) = self.model.find(f) {
                    for (pass, sc) in scores.iter_mut().enumerate().take(np) {
                        self.model.add_slot(slot, pass, &mut sc[o]);
                    }
                }
            }
        }
        CachedWord { key, scores }
    }

    /// Makes sure every word of a document is in the thread's cache; returns their entries' ids.
    fn intern(&self, cache: &mut WordCache, sentences: &[Vec<&str>]) -> Vec<Vec<u32>> {
        if cache.engine != self.id || cache.words.len() > CACHE_LIMIT {
            cache.index.clear();
            cache.words.clear();
            cache.engine = self.id;
        }
        let WordCache { index, words, .. } = cache;
        sentences
            .iter()
            .map(|s| {
                s.iter()
                    .map(|&w| {
                        *index.entry(features::hash_str(w)).or_insert_with(|| {
                            words.push(self.compute(w));
                            (words.len() - 1) as u32
                        })
                    })
                    .collect()
            })
            .collect()
    }

    /// Tags one document given as tokenized sentences; returns BIO tag ids per sentence.
    pub fn tag_sentences(&self, sentences: &[Vec<&str>]) -> Vec<Vec<u8>> {
        CACHE.with(|c| {
            let mut cache = c.borrow_mut();
            let ids = self.intern(&mut cache, sentences);
            let words: Vec<Vec<&CachedWord>> = ids
                .iter()
                .map(|s| s.iter().map(|&i| &cache.words[i as usize]).collect())
                .collect();
            self.tag_words(&words)
        })
    }

    /// [`Engine::tag_sentences`] on the sentences' cached word types.
    fn tag_words(&self, words: &[Vec<&CachedWord>]) -> Vec<Vec<u8>> {
        let keys: Vec<Vec<WordKey>> = words
            .iter()
            .map(|s| s.iter().map(|w| w.key).collect())
            .collect();
        let stats = DocStats::build(keys.iter().map(|k| k.as_slice()));
        let mut emit: Vec<Row> = Vec::new();
        let mut ctx: Vec<u64> = Vec::with_capacity(32);
        // Per sentence: table slots of the context features of all tokens (flattened) and where
        // each token's start, so the second pass reuses the first pass's lookups.
        let mut ctx_all: Vec<(Vec<u32>, Vec<u32>)> = Vec::with_capacity(words.len());
        let mut tags1: Vec<Vec<u8>> = Vec::with_capacity(words.len());
        let m = &self.model;
        for (ws, ks) in words.iter().zip(&keys) {
            let caps = caps_sentence(ks);
            emit.clear();
            let n = ws.len();
            let mut flat = Vec::with_capacity(n * 16);
            let mut starts = Vec::with_capacity(n + 1);
            starts.push(0u32);
            // The context features of the whole sentence first, their table slots touched
            // together: many cache misses in flight at once instead of a few per token.
            ctx.clear();
            let mut ctx_starts = Vec::with_capacity(n + 1);
            ctx_starts.push(0usize);
            for i in 0..n {
                context_features(ks, i, caps, &stats, &mut ctx);
                ctx_starts.push(ctx.len());
            }
            let touched = ctx.iter().fold(0u32, |a, &f| a ^ m.touch(f));
            std::hint::black_box(touched);
            for i in 0..n {
                let mut row = self.word_scores(ws, i, 0);
                for &f in &ctx[ctx_starts[i]..ctx_starts[i + 1]] {
                    if let Some(slot) = m.find(f) {
                        m.add_slot(slot, 0, &mut row);
                        flat.push(slot);
                    }
                }
                starts.push(flat.len() as u32);
                emit.push(row);
            }
            let mut tags = Vec::with_capacity(n);
            viterbi(&emit, &m.trans[0], &mut tags);
            tags1.push(tags);
            ctx_all.push((flat, starts));
        }
        let Some(trans2) = m.trans.get(1) else {
            return tags1;
        };
        let st = StackStats::build(
            keys.iter()
                .zip(&tags1)
                .map(|(k, t)| (k.as_slice(), t.as_slice())),
        );
        let mut out = Vec::with_capacity(words.len());
        for (((ws, ks), t1), (flat, starts)) in words.iter().zip(&keys).zip(&tags1).zip(&ctx_all) {
            emit.clear();
            ctx.clear();
            let mut ctx_starts = Vec::with_capacity(ws.len() + 1);
            ctx_starts.push(0usize);
            for i in 0..ws.len() {
                stack_features(ks, t1, i, &st, &mut ctx);
                ctx_starts.push(ctx.len());
            }
            let touched = ctx.iter().fold(0u32, |a, &f| a ^ m.touch(f));
            std::hint::black_box(touched);
            for i in 0..ws.len() {
                let mut row = self.word_scores(ws, i, 1);
                for &slot in &flat[starts[i] as usize..starts[i + 1] as usize] {
                    m.add_slot(slot, 1, &mut row);
                }
                for &f in &ctx[ctx_starts[i]..ctx_starts[i + 1]] {
                    m.add_feature(f, 1, &mut row);
                }
                emit.push(row);
            }
            let mut tags = Vec::with_capacity(ws.len());
            viterbi(&emit, trans2, &mut tags);
            out.push(tags);
        }
        out
    }

    /// Sum of the cached word-feature scores of the window around token `i` for a pass.
    #[inline]
    fn word_scores(&self, ws: &[&CachedWord], i: usize, pass: usize) -> Row {
        let n = ws.len();
        let mut row = [0f32; NUM_TAGS];
        for o in 0..5usize {
            let j = i as isize + o as isize - 2;
            let s = if j < 0 || j as usize >= n {
                &self.pad_scores[pass][o]
            } else {
                &ws[j as usize].scores[pass][o]
            };
            for t in 0..NUM_TAGS {
                row[t] += s[t];
            }
        }
        row
    }
}
