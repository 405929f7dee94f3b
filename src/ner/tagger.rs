//! Tagging with a loaded [`Model`]: per-word-type score vectors cached per thread (so a word's
//! word features are hashed and looked up once), context and document features added per token,
//! then Viterbi decoding per sentence.

use super::conll::NUM_TAGS;
use super::features::{
    self, caps_sentence, class, context_features, stack_features, DocStats, StackStats, WordKey,
};
use super::model::{viterbi, Model, Row};
use std::cell::RefCell;

/// A word type's key and its summed word-feature scores for offsets -2..=2, per pass. The
/// scores are computed the first time a token of the type is within two tokens of one the
/// model scores (see [`active_tokens`]); until then `scored` is false and they are zero.
pub struct CachedWord {
    pub key: WordKey,
    pub scores: [[Row; 5]; 2],
    pub scored: bool,
}

/// A thread's cache of word types: the word's 64-bit hash (the same hash its features are built
/// from) → its entry in `words`. Keyed by the hash alone, so a lookup never touches the word's
/// text again; two word types of one model sharing a 64-bit hash is as unlikely as two features
/// sharing one.
struct WordCache {
    /// Which engine the entries were computed with (see [`Engine::id`]).
    engine: u64,
    index: WordIndex,
    words: Vec<CachedWord>,
}

/// Slots of a [`WordIndex`] (a power of two): more than twice [`CACHE_LIMIT`], 4 MiB.
const INDEX_SLOTS: usize = 1 << 18;
/// Marks an empty slot.
const NO_WORD: u32 = u32::MAX;

/// Word hash → entry id, by open addressing with linear probing: a lookup costs one cache line
/// (four slots) nearly always, and the lines of a document's words can be loaded together
/// before they are read (see [`Engine::intern`]). Never more than half full, so a probe always
/// ends at an empty slot.
struct WordIndex {
    slots: Box<[(u64, u32)]>,
    len: usize,
}

impl WordIndex {
    fn new() -> WordIndex {
        WordIndex {
            slots: vec![(0, NO_WORD); INDEX_SLOTS].into_boxed_slice(),
            len: 0,
        }
    }

    fn clear(&mut self) {
        self.slots.fill((0, NO_WORD));
        self.len = 0;
    }

    /// Loads the slot where the lookup of `hash` starts.
    fn touch(&self, hash: u64) -> u32 {
        self.slots[hash as usize & (INDEX_SLOTS - 1)].1
    }

    /// The id of `hash`, or the one `new` gives it. When the index is half full, the new id is
    /// not recorded: the word gets a fresh entry each time it is looked up, until the cache
    /// starts over at the next document.
    fn get_or_insert(&mut self, hash: u64, new: impl FnOnce() -> u32) -> u32 {
        let mut i = hash as usize & (INDEX_SLOTS - 1);
        loop {
            let (key, id) = self.slots[i];
            if id == NO_WORD {
                let id = new();
                if self.len < INDEX_SLOTS / 2 {
                    self.slots[i] = (hash, id);
                    self.len += 1;
                }
                return id;
            }
            if key == hash {
                return id;
            }
            i = (i + 1) & (INDEX_SLOTS - 1);
        }
    }
}

impl WordCache {
    /// The entries of interned words, by sentence.
    fn entries(&self, ids: &[Vec<u32>]) -> Vec<Vec<&CachedWord>> {
        ids.iter()
            .map(|s| s.iter().map(|&i| &self.words[i as usize]).collect())
            .collect()
    }
}

/// Most word types a thread keeps cached before starting over (about 400 bytes each).
const CACHE_LIMIT: usize = 100_000;

thread_local! {
    static CACHE: RefCell<WordCache> = RefCell::new(WordCache {
        engine: u64::MAX,
        index: WordIndex::new(),
        words: Vec::new(),
    });
}

/// The emission of a token decided outside every entity without scoring it: only tag O
/// (id 0) is possible.
const OUTSIDE: Row = {
    let mut row = [f32::NEG_INFINITY; NUM_TAGS];
    row[0] = 0.0;
    row
};

/// Lower-case words that begin surnames ("van der Walt", "de la Rosa", "bin Laden").
const NAME_PARTICLES: [&str; 19] = [
    "al", "bin", "da", "das", "de", "del", "della", "der", "di", "dos", "du", "el", "ibn", "la",
    "le", "ten", "ter", "van", "von",
];

/// Function words that open sentences, capitalized there only for that reason.
const OPENING_WORDS: [&str; 44] = [
    "a", "after", "although", "an", "and", "as", "at", "before", "but", "by", "for", "from", "he",
    "her", "his", "i", "if", "in", "it", "its", "of", "on", "or", "our", "she", "since", "so",
    "that", "the", "their", "then", "there", "these", "they", "this", "those", "though", "to",
    "we", "when", "while", "with", "yet", "you",
];

/// Which tokens of a sentence the model scores. In a sentence with capital letters, a token
/// with none whose neighbours have none either is outside every entity: on CoNLL-2003 such
/// tokens are 55% of all tokens and 0.07% of entity tokens (28 of 34,043 in training, mostly
/// lower-case words inside names such as "interior ministry"). Name particles before a capital
/// ("van der Walt") are scored too. A sentence without capitals is scored whole. A function word
/// that opens a sentence followed by a lower-case word ("The company said") counts as no capital:
/// on CoNLL-2003 that leaves out 4% of the tokens scored and no entity token.
fn active_tokens(words: &[&str], keys: &[&CachedWord]) -> Vec<bool> {
    let mut marked: Vec<bool> = keys
        .iter()
        .map(|w| matches!(w.key.class, class::TITLE | class::CAPS | class::MIXED))
        .collect();
    if !marked.contains(&true) {
        return vec![true; keys.len()];
    }
    // A sentence's capitalized first word is no sign of a name when it is a function word and
    // the word after it is in lower case ("The company said", "He added").
    if marked.get(1) != Some(&true)
        && keys.first().is_some_and(|w| w.key.class == class::TITLE)
        && words
            .first()
            .is_some_and(|w| OPENING_WORDS.iter().any(|f| w.eq_ignore_ascii_case(f)))
    {
        marked[0] = false;
    }
    let mut active: Vec<bool> = (0..keys.len())
        .map(|i| marked[i] || (i > 0 && marked[i - 1]) || marked.get(i + 1) == Some(&true))
        .collect();
    // Right to left, so a run of particles ending before a capital is scored whole.
    for i in (0..words.len().saturating_sub(1)).rev() {
        if !active[i] && active[i + 1] && NAME_PARTICLES.contains(&words[i]) {
            active[i] = true;
        }
    }
    active
}

/// Whether a document is cased as edited prose: every sentence's first word is capitalized.
/// Text typed in lower case (a source that dropped its capitals, a pasted transcript) has proper
/// names in lower case too, so all its tokens are scored.
fn regular_case(sentences: &[Vec<&CachedWord>]) -> bool {
    sentences.iter().all(|s| {
        s.iter()
            .map(|w| w.key.class)
            .find(|&c| matches!(c, class::LOWER | class::TITLE | class::CAPS | class::MIXED))
            != Some(class::LOWER)
    })
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

    /// A cache entry with the key only.
    fn unscored(&self, w: &str) -> CachedWord {
        CachedWord {
            key: self.model.resources.word_key(w),
            scores: [[[0f32; NUM_TAGS]; 5]; 2],
            scored: false,
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
        CachedWord {
            key,
            scores,
            scored: true,
        }
    }

    /// Makes sure every word of a document is in the thread's cache; returns their entries' ids.
    fn intern(&self, cache: &mut WordCache, sentences: &[Vec<&str>]) -> Vec<Vec<u32>> {
        if cache.engine != self.id || cache.words.len() > CACHE_LIMIT {
            cache.index.clear();
            cache.words.clear();
            cache.engine = self.id;
        }
        let WordCache { index, words, .. } = cache;
        let hashes: Vec<Vec<u64>> = sentences
            .iter()
            .map(|s| s.iter().map(|w| features::hash_str(w)).collect())
            .collect();
        // Independent loads: the processor waits for their misses together.
        let touched = hashes.iter().flatten().fold(0, |a, &h| a ^ index.touch(h));
        std::hint::black_box(touched);
        sentences
            .iter()
            .zip(&hashes)
            .map(|(s, hs)| {
                s.iter()
                    .zip(hs)
                    .map(|(&w, &h)| {
                        index.get_or_insert(h, || {
                            words.push(self.unscored(w));
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
            let words = cache.entries(&ids);
            let active: Vec<Vec<bool>> = if regular_case(&words) {
                sentences
                    .iter()
                    .zip(&words)
                    .map(|(s, w)| active_tokens(s, w))
                    .collect()
            } else {
                words.iter().map(|w| vec![true; w.len()]).collect()
            };
            // Scores of the word types in the windows of scored tokens.
            for ((s, ids), active) in sentences.iter().zip(&ids).zip(&active) {
                for (i, (&w, &id)) in s.iter().zip(ids).enumerate() {
                    let near = active[i.saturating_sub(2)..(i + 3).min(s.len())].contains(&true);
                    if near && !cache.words[id as usize].scored {
                        cache.words[id as usize] = self.compute(w);
                    }
                }
            }
            self.tag_words(&cache.entries(&ids), &active)
        })
    }

    /// [`Engine::tag_sentences`] on the sentences' cached word types.
    /// Only the `active` tokens are scored (see [`active_tokens`]); the others are tagged O.
    fn tag_words(&self, words: &[Vec<&CachedWord>], active: &[Vec<bool>]) -> Vec<Vec<u8>> {
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
        for ((ws, ks), active) in words.iter().zip(&keys).zip(active) {
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
            for (i, &a) in active.iter().enumerate() {
                if a {
                    context_features(ks, i, caps, &stats, &mut ctx);
                }
                ctx_starts.push(ctx.len());
            }
            let touched = ctx.iter().fold(0u32, |a, &f| a ^ m.touch(f));
            std::hint::black_box(touched);
            for i in 0..n {
                if !active[i] {
                    starts.push(flat.len() as u32);
                    emit.push(OUTSIDE);
                    continue;
                }
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
        for ((((ws, ks), t1), (flat, starts)), active) in words
            .iter()
            .zip(&keys)
            .zip(&tags1)
            .zip(&ctx_all)
            .zip(active)
        {
            emit.clear();
            ctx.clear();
            let mut ctx_starts = Vec::with_capacity(ws.len() + 1);
            ctx_starts.push(0usize);
            for (i, &a) in active.iter().enumerate() {
                if a {
                    stack_features(ks, t1, i, &st, &mut ctx);
                }
                ctx_starts.push(ctx.len());
            }
            let touched = ctx.iter().fold(0u32, |a, &f| a ^ m.touch(f));
            std::hint::black_box(touched);
            for i in 0..ws.len() {
                if !active[i] {
                    emit.push(OUTSIDE);
                    continue;
                }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::features::casing;

    #[test]
    fn word_index_finds_what_it_holds_and_stops_recording_when_half_full() {
        let mut index = WordIndex::new();
        let mut next = 0u32;
        // The first thousand hashes start at slot 5 (long probe runs), the rest spread out.
        let hash = |i: u64| {
            if i < 1000 {
                5 + (i << 20)
            } else {
                i.wrapping_mul(0x9e37_79b9_7f4a_7c15)
            }
        };
        let mut ids = Vec::new();
        for i in 0..(INDEX_SLOTS / 2) as u64 {
            ids.push(index.get_or_insert(hash(i), || {
                next += 1;
                next - 1
            }));
        }
        assert_eq!(index.len, INDEX_SLOTS / 2);
        for (i, &id) in ids.iter().enumerate().step_by(97) {
            assert_eq!(index.get_or_insert(hash(i as u64), || panic!("known")), id);
        }
        // Half full: a new word gets a new id each time, and the lookup still ends.
        let a = index.get_or_insert(hash(999_999_999), || 7);
        let b = index.get_or_insert(hash(999_999_999), || 8);
        assert_eq!((a, b), (7, 8));
        index.clear();
        assert_eq!(index.get_or_insert(hash(3), || 9), 9);
        assert_eq!(index.get_or_insert(hash(3), || 10), 9);
    }

    fn words(text: &str) -> (Vec<&str>, Vec<CachedWord>) {
        let ws: Vec<&str> = text.split(' ').collect();
        let cached = ws
            .iter()
            .map(|w| CachedWord {
                key: WordKey {
                    word: features::hash_str(w),
                    lower: 0,
                    shape: 0,
                    class: casing(w),
                    gaz: 0,
                },
                scores: [[[0f32; NUM_TAGS]; 5]; 2],
                scored: true,
            })
            .collect();
        (ws, cached)
    }

    fn active(text: &str) -> String {
        let (ws, cached) = words(text);
        let refs: Vec<&CachedWord> = cached.iter().collect();
        let flags = active_tokens(&ws, &refs);
        ws.iter()
            .zip(flags)
            .map(|(w, a)| if a { w.to_string() } else { "_".into() })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn scores_capitals_their_neighbours_and_name_particles() {
        assert_eq!(
            active("the talks in the city of Geneva ended on a high note , said Anna van der Walt"),
            "_ _ _ _ _ of Geneva ended _ _ _ _ _ said Anna van der Walt"
        );
        // No capital anywhere: everything is scored.
        assert_eq!(active("the mayor of paris"), "the mayor of paris");
        assert_eq!(active("Rates rose 2 pct"), "Rates rose _ _");
        // A function word opening the sentence is no capital, unless a capital follows it.
        assert_eq!(active("The talks in Geneva ended"), "_ _ in Geneva ended");
        assert_eq!(active("The Hague said so"), "The Hague said _");
        assert_eq!(active("He said it was fine"), "_ _ _ _ _");
        assert_eq!(active("Rain said it was fine"), "Rain said _ _ _");
    }

    #[test]
    fn skipping_tokens_far_from_capitals_keeps_the_tags() {
        let engine =
            Engine::new(Model::from_bytes(super::super::EMBEDDED_MODEL).expect("embedded model"));
        let text = [
            "Harbour officials in Valparaiso said on Tuesday that the new container terminal \
             would open next spring , two years later than planned .",
            "The delay , blamed on a dispute over dredging rights , has cost the port authority \
             about 40 million dollars , according to Marta van der Berg of Pacifica Shipping .",
            "Exports of copper through the city rose 6 pct in the first half , the statistics \
             office in Santiago said .",
            "Nobody at the ministry of transport was available to comment .",
        ];
        let sentences: Vec<Vec<&str>> = text.iter().map(|s| s.split(' ').collect()).collect();
        let skipping = engine.tag_sentences(&sentences);
        let cached: Vec<Vec<CachedWord>> = sentences
            .iter()
            .map(|s| s.iter().map(|w| engine.compute(w)).collect())
            .collect();
        let refs: Vec<Vec<&CachedWord>> = cached.iter().map(|s| s.iter().collect()).collect();
        let everything: Vec<Vec<bool>> = refs.iter().map(|s| vec![true; s.len()]).collect();
        assert_eq!(skipping, engine.tag_words(&refs, &everything));
        assert!(skipping.iter().flatten().any(|&t| t != 0), "{skipping:?}");
    }

    #[test]
    fn lower_case_documents_are_scored_whole() {
        let (_, a) = words("Prices rose in Tokyo .");
        let (_, b) = words("tokyo prices rose .");
        let regular = vec![a.iter().collect::<Vec<_>>()];
        let mixed = vec![a.iter().collect::<Vec<_>>(), b.iter().collect::<Vec<_>>()];
        assert!(regular_case(&regular));
        assert!(!regular_case(&mixed));
    }
}
