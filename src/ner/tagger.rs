//! Tagging with a loaded [`Model`]: per-word-type score vectors cached per thread (so a word's
//! word features are hashed and looked up once), context and document features added per token,
//! then Viterbi decoding per sentence.

use super::conll::NUM_TAGS;
use super::features::{self, caps_sentence, context_features, DocStats, WordKey};
use super::model::{viterbi, Model, Row};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

/// A word type's key and its summed word-feature scores for offsets -2..=2.
pub struct CachedWord {
    pub key: WordKey,
    pub scores: [Row; 5],
}

/// Fast string hasher for the per-thread cache.
#[derive(Default)]
pub struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = features::fmix(self.0 ^ features::hash_bytes(bytes));
    }
    fn write_u8(&mut self, i: u8) {
        self.0 ^= i as u64;
    }
}

type Cache = HashMap<Box<str>, Rc<CachedWord>, BuildHasherDefault<WordHasher>>;

/// Most word types a thread keeps cached before starting over.
const CACHE_LIMIT: usize = 300_000;

thread_local! {
    static CACHE: RefCell<(u64, Cache)> = RefCell::new((u64::MAX, Cache::default()));
}

/// Tags documents with one model; `id` tells the per-thread caches of different models apart.
pub struct Engine {
    pub model: Model,
    pub id: u64,
    pad_scores: [Row; 5],
}

impl Engine {
    pub fn new(model: Model) -> Engine {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let mut pad_scores = [[0f32; NUM_TAGS]; 5];
        for off in [-2i8, -1, 1, 2] {
            model.add_feature(
                features::pad_features(off),
                &mut pad_scores[(off + 2) as usize],
            );
        }
        Engine {
            model,
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            pad_scores,
        }
    }

    fn compute(&self, w: &str) -> CachedWord {
        let (key, feats) = self.model.resources.word_features(w);
        let mut scores = [[0f32; NUM_TAGS]; 5];
        for (s, fs) in scores.iter_mut().zip(feats.iter()) {
            for &f in fs {
                self.model.add_feature(f, s);
            }
        }
        CachedWord { key, scores }
    }

    /// Looks up (or computes and caches) the words of a document.
    fn words(&self, sentences: &[Vec<&str>]) -> Vec<Vec<Rc<CachedWord>>> {
        CACHE.with(|c| {
            let mut c = c.borrow_mut();
            let (id, cache) = &mut *c;
            if *id != self.id || cache.len() > CACHE_LIMIT {
                cache.clear();
                *id = self.id;
            }
            sentences
                .iter()
                .map(|s| {
                    s.iter()
                        .map(|&w| {
                            if let Some(cw) = cache.get(w) {
                                return cw.clone();
                            }
                            let cw = Rc::new(self.compute(w));
                            cache.insert(w.into(), cw.clone());
                            cw
                        })
                        .collect()
                })
                .collect()
        })
    }

    /// Tags one document given as tokenized sentences; returns BIO tag ids per sentence.
    pub fn tag_sentences(&self, sentences: &[Vec<&str>]) -> Vec<Vec<u8>> {
        let words = self.words(sentences);
        let keys: Vec<Vec<WordKey>> = words
            .iter()
            .map(|s| s.iter().map(|w| w.key).collect())
            .collect();
        let stats = DocStats::build(keys.iter().map(|k| k.as_slice()));
        let mut out = Vec::with_capacity(sentences.len());
        let mut emit: Vec<Row> = Vec::new();
        let mut ctx: Vec<u64> = Vec::with_capacity(32);
        for (ws, ks) in words.iter().zip(&keys) {
            let caps = caps_sentence(ks);
            emit.clear();
            let n = ws.len();
            for i in 0..n {
                let mut row = [0f32; NUM_TAGS];
                for o in 0..5usize {
                    let j = i as isize + o as isize - 2;
                    let s = if j < 0 || j as usize >= n {
                        &self.pad_scores[o]
                    } else {
                        &ws[j as usize].scores[o]
                    };
                    for t in 0..NUM_TAGS {
                        row[t] += s[t];
                    }
                }
                ctx.clear();
                context_features(ks, i, caps, &stats, &mut ctx);
                for &f in &ctx {
                    self.model.add_feature(f, &mut row);
                }
                emit.push(row);
            }
            let mut tags = Vec::with_capacity(n);
            viterbi(&emit, &self.model.trans, &mut tags);
            out.push(tags);
        }
        out
    }
}
