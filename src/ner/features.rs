//! Feature extraction for the tagger, shared by training and tagging so both see exactly the same
//! features. Features are 64-bit hashes of (template, value), never strings; the model maps them
//! to weight rows. Two kinds:
//! - *word features* depend on one word type and its offset (-2..=2) from the tagged token
//!   (word, lower case, shapes, affixes, cluster bit-string prefixes, gazetteer flags); they are
//!   computed once per word type and cached, so tagging sums cached score vectors;
//! - *context features* join neighbours (bigrams, shape trigrams, sentence position, all-caps
//!   headlines) and document-level evidence (how the same word is written elsewhere in the article).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Hasher for keys that are already 64-bit hashes: passes them through.
#[derive(Default)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = hash_bytes(bytes);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }
}

/// A map keyed by 64-bit hashes.
pub type HashKeyed<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;

/// A quick hasher for the small maps built for every article (names, places, counts): those
/// maps face no adversary, and std's default (SipHash) cost more than their lookups.
#[derive(Default)]
pub struct Quick(u64);

impl Quick {
    #[inline]
    fn add(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
    }
}

impl Hasher for Quick {
    #[inline]
    fn finish(&self) -> u64 {
        fmix(self.0)
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.add(hash_bytes(bytes));
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
}

/// A map with the [`Quick`] hasher.
pub type QuickMap<K, V> = HashMap<K, V, BuildHasherDefault<Quick>>;
/// A set with the [`Quick`] hasher.
pub type QuickSet<K> = std::collections::HashSet<K, BuildHasherDefault<Quick>>;

/// Gazetteer flag: a common given name.
pub const GAZ_FIRST: u8 = 1;
/// Gazetteer flag: a common surname.
pub const GAZ_LAST: u8 = 2;
/// Gazetteer flag: a rarer surname.
pub const GAZ_LAST_RARE: u8 = 4;
/// Gazetteer flag: a one-word place name (city, region).
pub const GAZ_PLACE: u8 = 8;
/// Gazetteer flag: a word of a multi-word place name.
pub const GAZ_PLACE_PART: u8 = 16;
/// Gazetteer flag: a one-word country name.
pub const GAZ_COUNTRY: u8 = 32;
/// Gazetteer flag: a word of a multi-word country name.
pub const GAZ_COUNTRY_PART: u8 = 64;
/// Gazetteer flag: a large city or first-order region (one word).
pub const GAZ_BIG_PLACE: u8 = 128;

/// Lexical resources the features read: gazetteer flags and word clusters.
#[derive(Debug, Default, Clone)]
pub struct Resources {
    /// Lower-cased word hash → gazetteer flags.
    pub gazetteer: HashKeyed<u8>,
    /// Word hash (case kept) → (cluster bit string, its length in bits).
    pub clusters: HashKeyed<(u32, u8)>,
}

const K: u64 = 0x517c_c1b7_2722_0a95;

/// Murmur3 finalizer: a good 64-bit mixer.
#[inline]
pub fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Hash of a byte string (stable across platforms and versions; the model depends on it).
#[inline]
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(a)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut a = [0u8; 8];
        a[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(a)).wrapping_mul(K);
    }
    fmix(h ^ b.len() as u64)
}

/// Hash of a string.
#[inline]
pub fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// Feature hash of a template id and a value hash.
#[inline]
pub fn feat(template: u64, value: u64) -> u64 {
    fmix(value ^ template.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17))
}

#[inline]
fn mix2(a: u64, b: u64) -> u64 {
    fmix(a.wrapping_mul(K) ^ b.rotate_left(23))
}

/// Casing class of a word.
pub mod class {
    pub const LOWER: u8 = 0;
    pub const TITLE: u8 = 1;
    pub const CAPS: u8 = 2;
    pub const MIXED: u8 = 3;
    pub const NUMBER: u8 = 4;
    pub const OTHER: u8 = 5;
    /// Sentence boundary padding.
    pub const PAD: u8 = 6;
}

/// What the context and document features need to know about one word type.
#[derive(Debug, Clone, Copy)]
pub struct WordKey {
    pub word: u64,
    pub lower: u64,
    pub shape: u64,
    pub class: u8,
    pub gaz: u8,
}

/// Padding before the first and after the last token of a sentence.
pub const BOS: WordKey = WordKey {
    word: 0x1111,
    lower: 0x1111,
    shape: 0x1111,
    class: class::PAD,
    gaz: 0,
};
pub const EOS: WordKey = WordKey {
    word: 0x2222,
    lower: 0x2222,
    shape: 0x2222,
    class: class::PAD,
    gaz: 0,
};

/// Casing class of a word.
pub fn casing(w: &str) -> u8 {
    let mut letters = 0;
    let mut upper = 0;
    let mut digits = 0;
    let mut first_upper = false;
    let mut upper_after_first = false;
    for (i, c) in w.chars().enumerate() {
        if c.is_alphabetic() {
            letters += 1;
            if c.is_uppercase() {
                upper += 1;
                if i == 0 {
                    first_upper = true;
                } else {
                    upper_after_first = true;
                }
            }
        } else if c.is_ascii_digit() {
            digits += 1;
        }
    }
    if letters == 0 {
        return if digits > 0 {
            class::NUMBER
        } else {
            class::OTHER
        };
    }
    if upper == 0 {
        class::LOWER
    } else if upper == letters && letters >= 2 {
        class::CAPS
    } else if first_upper && !upper_after_first {
        class::TITLE
    } else {
        class::MIXED
    }
}

/// Word shape: upper → X, lower → x, digit → d, others kept; runs longer than `max_run` cut.
pub fn shape(w: &str, max_run: usize) -> String {
    let mut s = String::with_capacity(w.len().min(16));
    let mut last = '\0';
    let mut run = 0;
    for c in w.chars() {
        let m = if c.is_uppercase() {
            'X'
        } else if c.is_alphabetic() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if m == last {
            run += 1;
        } else {
            run = 1;
            last = m;
        }
        if run <= max_run {
            s.push(m);
        }
    }
    s
}

// Word-feature templates (combined with the offset).
const T_BIAS: u64 = 1;
const T_WORD: u64 = 2;
const T_LOWER: u64 = 3;
const T_SHAPE: u64 = 4;
const T_SSHAPE: u64 = 5;
const T_PRE: u64 = 6; // + length
const T_SUF: u64 = 12; // + length
const T_CLASS: u64 = 18;
const T_CLUSTER: u64 = 19; // + prefix length index
const T_GAZ: u64 = 26; // + bit
const T_GAZ_CLASS: u64 = 35; // + bit
const T_LEN: u64 = 44;
const T_PAD: u64 = 45;
// Context templates.
const C_BIGRAM_L: u64 = 100;
const C_BIGRAM_R: u64 = 101;
const C_SHAPE3: u64 = 102;
const C_CLASS5: u64 = 103;
const C_FIRST_SHAPE: u64 = 104;
const C_FIRST_LOWER: u64 = 105;
const C_CAPS_SENT_LOWER: u64 = 106;
const C_CAPS_SENT_CLASS3: u64 = 107;
const C_DOC: u64 = 108;
const C_DOC_CLASS: u64 = 109;
const C_GAZ_L: u64 = 110;
const C_GAZ_R: u64 = 111;
const C_DOC_L: u64 = 112;
const C_DOC_R: u64 = 113;
const C_CLASS_PAIR_WORD: u64 = 114;

#[inline]
fn tpl(t: u64, offset: i8) -> u64 {
    t * 8 + (offset + 2) as u64
}

const CLUSTER_PREFIXES: [u8; 4] = [4, 8, 12, 32];

impl Resources {
    /// Gazetteer flags of a word (looked up lower-cased).
    pub fn gaz(&self, lower: u64) -> u8 {
        self.gazetteer.get(&lower).copied().unwrap_or(0)
    }

    /// Cluster bit string of a word: its own form, else title case, else lower case.
    pub fn cluster(&self, word: &str, lower: &str) -> Option<(u32, u8)> {
        if self.clusters.is_empty() {
            return None;
        }
        if let Some(c) = self.clusters.get(&hash_str(word)) {
            return Some(*c);
        }
        let mut title = String::with_capacity(lower.len());
        let mut chars = lower.chars();
        if let Some(f) = chars.next() {
            title.extend(f.to_uppercase());
            title.push_str(chars.as_str());
        }
        if let Some(c) = self.clusters.get(&hash_str(&title)) {
            return Some(*c);
        }
        self.clusters.get(&hash_str(lower)).copied()
    }

    /// The key of a word type: what context and document features read of it.
    pub fn word_key(&self, w: &str) -> WordKey {
        self.key_with_lower(w, &w.to_lowercase())
    }

    /// [`Resources::word_key`] of `w` whose lower case is `lower`.
    fn key_with_lower(&self, w: &str, lower: &str) -> WordKey {
        let lower_h = hash_str(lower);
        WordKey {
            word: hash_str(w),
            lower: lower_h,
            shape: hash_str(&shape(w, 2)),
            class: casing(w),
            gaz: self.gaz(lower_h),
        }
    }

    /// The key of a word type and its word features for offsets -2..=2 (index offset + 2).
    pub fn word_features(&self, w: &str) -> (WordKey, [Vec<u64>; 5]) {
        let lower = w.to_lowercase();
        let key = self.key_with_lower(w, &lower);
        let WordKey {
            word: word_h,
            lower: lower_h,
            shape: shape_h,
            class: cls,
            gaz,
        } = key;
        let sshape_h = hash_str(&shape(w, 1));
        let cluster = self.cluster(w, &lower);
        let mut out: [Vec<u64>; 5] = Default::default();
        let cl_feat = |off: i8, k: usize, v: &mut Vec<u64>| {
            let plen = CLUSTER_PREFIXES[k];
            let value = match cluster {
                Some((bits, len)) => {
                    let l = plen.min(len);
                    let b = if l >= 32 {
                        bits
                    } else {
                        bits >> (32 - l as u32)
                    };
                    ((l as u64) << 32) | b as u64
                }
                None => 0xffff_ffff_ffff,
            };
            v.push(feat(tpl(T_CLUSTER + k as u64, off), value));
        };
        let gaz_feats = |off: i8, v: &mut Vec<u64>, with_class: bool| {
            for bit in 0..8u64 {
                if gaz & (1 << bit) != 0 {
                    v.push(feat(tpl(T_GAZ + bit, off), 1));
                    if with_class {
                        v.push(feat(tpl(T_GAZ_CLASS + bit, off), cls as u64));
                    }
                }
            }
        };
        // Offset 0: the token itself.
        {
            let v = &mut out[2];
            v.push(feat(tpl(T_BIAS, 0), 0));
            v.push(feat(tpl(T_WORD, 0), word_h));
            v.push(feat(tpl(T_LOWER, 0), lower_h));
            v.push(feat(tpl(T_SHAPE, 0), shape_h));
            v.push(feat(tpl(T_SSHAPE, 0), sshape_h));
            v.push(feat(tpl(T_CLASS, 0), cls as u64));
            let chars: Vec<char> = w.chars().collect();
            let lchars: Vec<char> = lower.chars().collect();
            v.push(feat(tpl(T_LEN, 0), chars.len().min(12) as u64));
            for n in 1..=4usize {
                if chars.len() > n {
                    let p: String = chars[..n].iter().collect();
                    v.push(feat(tpl(T_PRE + n as u64, 0), hash_str(&p)));
                }
                if lchars.len() > n {
                    let s: String = lchars[lchars.len() - n..].iter().collect();
                    v.push(feat(tpl(T_SUF + n as u64, 0), hash_str(&s)));
                }
            }
            for k in 0..CLUSTER_PREFIXES.len() {
                cl_feat(0, k, v);
            }
            gaz_feats(0, v, true);
        }
        // Offsets ±1.
        for off in [-1i8, 1] {
            let v = &mut out[(off + 2) as usize];
            v.push(feat(tpl(T_LOWER, off), lower_h));
            v.push(feat(tpl(T_SHAPE, off), shape_h));
            v.push(feat(tpl(T_CLASS, off), cls as u64));
            let lchars: Vec<char> = lower.chars().collect();
            if lchars.len() > 3 {
                let s: String = lchars[lchars.len() - 3..].iter().collect();
                v.push(feat(tpl(T_SUF + 3, off), hash_str(&s)));
            }
            for k in [0usize, 1, 3] {
                cl_feat(off, k, v);
            }
            gaz_feats(off, v, false);
        }
        // Offsets ±2.
        for off in [-2i8, 2] {
            let v = &mut out[(off + 2) as usize];
            v.push(feat(tpl(T_LOWER, off), lower_h));
            v.push(feat(tpl(T_SSHAPE, off), sshape_h));
            cl_feat(off, 1, v);
        }
        (key, out)
    }
}

/// Word features of the padding beyond a sentence's ends, for offset `offset` (-2..=2, not 0).
pub fn pad_features(offset: i8) -> u64 {
    feat(tpl(T_PAD, offset), 0)
}

/// Document flags of a lower-cased word: how it is written elsewhere in the same document.
pub mod doc {
    /// Title case, not first in its sentence, in a sentence that is not all capitals.
    pub const TITLE_INSIDE: u8 = 1;
    /// All lower case.
    pub const LOWER: u8 = 2;
    /// Right after a capitalized given name.
    pub const AFTER_FIRST_NAME: u8 = 4;
    /// Capitalized and next to another capitalized word (part of a longer name).
    pub const IN_NAME_RUN: u8 = 8;
    /// Written all in capitals outside an all-capitals sentence.
    pub const CAPS_INSIDE: u8 = 16;
}

/// Per-document statistics feeding the document features.
#[derive(Debug, Default)]
pub struct DocStats {
    flags: HashKeyed<u8>,
}

/// True when a sentence is written in capitals (a headline): no lower-case word and at least
/// two all-capitals words.
pub fn caps_sentence(keys: &[WordKey]) -> bool {
    let mut caps = 0;
    for k in keys {
        match k.class {
            class::LOWER | class::TITLE | class::MIXED => return false,
            class::CAPS => caps += 1,
            _ => {}
        }
    }
    caps >= 2
}

impl DocStats {
    /// Collects the flags of every word in a document given as sentences of word keys.
    pub fn build<'a>(sentences: impl Iterator<Item = &'a [WordKey]>) -> DocStats {
        let mut flags: HashKeyed<u8> = HashKeyed::default();
        for keys in sentences {
            let caps = caps_sentence(keys);
            for (i, k) in keys.iter().enumerate() {
                let mut f = 0u8;
                let capitalized = matches!(k.class, class::TITLE | class::MIXED);
                if !caps {
                    if k.class == class::LOWER {
                        f |= doc::LOWER;
                    }
                    if i > 0 && capitalized {
                        f |= doc::TITLE_INSIDE;
                    }
                    if i > 0 && k.class == class::CAPS {
                        f |= doc::CAPS_INSIDE;
                    }
                    if capitalized {
                        let prev_cap =
                            i > 0 && matches!(keys[i - 1].class, class::TITLE | class::MIXED);
                        let next_cap = i + 1 < keys.len()
                            && matches!(keys[i + 1].class, class::TITLE | class::MIXED);
                        if prev_cap && keys[i - 1].gaz & GAZ_FIRST != 0 {
                            f |= doc::AFTER_FIRST_NAME;
                        }
                        if prev_cap || next_cap {
                            f |= doc::IN_NAME_RUN;
                        }
                    }
                }
                if f != 0 {
                    *flags.entry(k.lower).or_insert(0) |= f;
                }
            }
        }
        DocStats { flags }
    }

    pub fn get(&self, lower: u64) -> u8 {
        self.flags.get(&lower).copied().unwrap_or(0)
    }
}

/// Appends the context features of token `i` of a sentence.
pub fn context_features(
    keys: &[WordKey],
    i: usize,
    caps: bool,
    docs: &DocStats,
    out: &mut Vec<u64>,
) {
    let at = |j: isize| -> &WordKey {
        if j < 0 {
            &BOS
        } else if j as usize >= keys.len() {
            &EOS
        } else {
            &keys[j as usize]
        }
    };
    let ii = i as isize;
    let (p2, p, c, n, n2) = (at(ii - 2), at(ii - 1), at(ii), at(ii + 1), at(ii + 2));
    out.push(feat(C_BIGRAM_L, mix2(p.lower, c.lower)));
    out.push(feat(C_BIGRAM_R, mix2(c.lower, n.lower)));
    out.push(feat(C_SHAPE3, mix2(mix2(p.shape, c.shape), n.shape)));
    let cls5 = [p2.class, p.class, c.class, n.class, n2.class]
        .iter()
        .fold(0u64, |a, &b| a * 8 + b as u64);
    out.push(feat(C_CLASS5, cls5));
    out.push(feat(
        C_CLASS_PAIR_WORD,
        mix2(c.lower, (p.class as u64) * 8 + n.class as u64),
    ));
    if i == 0 {
        out.push(feat(C_FIRST_SHAPE, c.shape));
        out.push(feat(C_FIRST_LOWER, c.lower));
    }
    if caps {
        out.push(feat(C_CAPS_SENT_LOWER, c.lower));
        out.push(feat(C_CAPS_SENT_CLASS3, cls5));
    }
    let df = docs.get(c.lower);
    let doc_value = (df as u64) << 1 | caps as u64 | ((i == 0) as u64) << 9;
    out.push(feat(C_DOC, doc_value));
    out.push(feat(C_DOC_CLASS, doc_value << 8 | c.class as u64));
    out.push(feat(
        C_DOC_L,
        (docs.get(p.lower) as u64) << 8 | p.class as u64,
    ));
    out.push(feat(
        C_DOC_R,
        (docs.get(n.lower) as u64) << 8 | n.class as u64,
    ));
    if c.gaz != 0 || p.gaz != 0 {
        out.push(feat(C_GAZ_L, (p.gaz as u64) << 8 | c.gaz as u64));
    }
    if c.gaz != 0 || n.gaz != 0 {
        out.push(feat(C_GAZ_R, (c.gaz as u64) << 8 | n.gaz as u64));
    }
}

// Stacking templates: evidence from the first pass's tags.
const S_OWN3: u64 = 200;
const S_VOTE: u64 = 201;
const S_VOTE_CLASS: u64 = 202;
const S_VOTE_OWN: u64 = 203;
const S_VOTE_L: u64 = 204;
const S_VOTE_R: u64 = 205;
const S_PER_LAST: u64 = 206;

/// First-pass evidence about the words of one document: how often each lower-cased word was
/// tagged as part of a mention of each type, and as the last word of a multi-word person name.
#[derive(Debug, Default)]
pub struct StackStats {
    votes: HashKeyed<[u16; 4]>,
    per_last: HashKeyed<u16>,
}

/// Type index (0..4) of a BIO tag id, None for O.
#[inline]
fn tag_type(tag: u8) -> Option<usize> {
    if tag == 0 {
        None
    } else {
        Some(((tag - 1) / 2) as usize)
    }
}

/// True when token `i` is the last of a person mention of two or more words.
#[inline]
fn is_per_last(tags: &[u8], i: usize) -> bool {
    // PER is type 0: B-PER = 1, I-PER = 2.
    tags[i] == 2 && tags.get(i + 1) != Some(&2)
}

impl StackStats {
    /// Collects the evidence of a document: sentences of word keys with their first-pass tags.
    pub fn build<'a>(sentences: impl Iterator<Item = (&'a [WordKey], &'a [u8])>) -> StackStats {
        let mut st = StackStats::default();
        for (keys, tags) in sentences {
            for (i, (k, &t)) in keys.iter().zip(tags).enumerate() {
                if let Some(ty) = tag_type(t) {
                    st.votes.entry(k.lower).or_insert([0; 4])[ty] += 1;
                }
                if is_per_last(tags, i) {
                    *st.per_last.entry(k.lower).or_insert(0) += 1;
                }
            }
        }
        st
    }

    /// Votes of the other occurrences of a word (its own tag `own` removed), summarized as
    /// (majority type + 1 or 0, unanimous, count bucket).
    fn vote(&self, lower: u64, own: u8) -> u64 {
        let mut v = self.votes.get(&lower).copied().unwrap_or([0; 4]);
        if let Some(t) = tag_type(own) {
            v[t] = v[t].saturating_sub(1);
        }
        let total: u16 = v.iter().sum();
        if total == 0 {
            return 0;
        }
        let (best, &max) = v
            .iter()
            .enumerate()
            .max_by_key(|&(i, &c)| (c, 4 - i))
            .unwrap_or((0, &0));
        ((best as u64 + 1) << 4) | ((max == total) as u64) << 3 | total.min(3) as u64
    }
}

/// Appends the stacking features of token `i`, given the first-pass tags of its sentence.
pub fn stack_features(
    keys: &[WordKey],
    tags: &[u8],
    i: usize,
    st: &StackStats,
    out: &mut Vec<u64>,
) {
    let tag_at = |j: isize| -> u64 {
        if j < 0 || j as usize >= tags.len() {
            9
        } else {
            tags[j as usize] as u64
        }
    };
    let ii = i as isize;
    let own = tags[i];
    out.push(feat(
        S_OWN3,
        tag_at(ii - 1) << 8 | tag_at(ii) << 4 | tag_at(ii + 1),
    ));
    let k = &keys[i];
    let vote = st.vote(k.lower, own);
    out.push(feat(S_VOTE, vote));
    out.push(feat(S_VOTE_CLASS, vote << 4 | k.class as u64));
    out.push(feat(S_VOTE_OWN, (vote >> 4) << 4 | own as u64));
    if i > 0 {
        out.push(feat(
            S_VOTE_L,
            (st.vote(keys[i - 1].lower, tags[i - 1]) >> 3) << 4 | k.class as u64,
        ));
    }
    if i + 1 < keys.len() {
        out.push(feat(
            S_VOTE_R,
            (st.vote(keys[i + 1].lower, tags[i + 1]) >> 3) << 4 | k.class as u64,
        ));
    }
    let mut pl = st.per_last.get(&k.lower).copied().unwrap_or(0);
    if is_per_last(tags, i) {
        pl = pl.saturating_sub(1);
    }
    if pl > 0 {
        out.push(feat(S_PER_LAST, (k.class as u64) << 4 | own as u64));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_casing() {
        assert_eq!(shape("Leicestershire", 2), "Xxx");
        assert_eq!(shape("U.N.", 1), "X.X.");
        assert_eq!(shape("1,000.5", 1), "d,d.d");
        assert_eq!(casing("NATO"), class::CAPS);
        assert_eq!(casing("McDonald"), class::MIXED);
        assert_eq!(casing("Paris"), class::TITLE);
        assert_eq!(casing("A"), class::TITLE);
        assert_eq!(casing("1996"), class::NUMBER);
        assert_eq!(casing("--"), class::OTHER);
    }

    #[test]
    fn features_are_deterministic_and_offset_specific() {
        let r = Resources::default();
        let (k1, f1) = r.word_features("Oslo");
        let (k2, f2) = r.word_features("Oslo");
        assert_eq!(f1, f2);
        assert_eq!(k1.lower, k2.lower);
        assert!(f1[1].iter().all(|f| !f1[3].contains(f)));
        assert!(f1[2].len() > f1[1].len());
    }

    #[test]
    fn document_flags_see_other_mentions() {
        let r = Resources::default();
        let keys = |ws: &[&str]| ws.iter().map(|w| r.word_features(w).0).collect::<Vec<_>>();
        let s1 = keys(&["OSLO", "WINS"]);
        let s2 = keys(&["The", "team", "from", "Oslo", "won"]);
        let stats = DocStats::build([s1.as_slice(), s2.as_slice()].into_iter());
        assert!(caps_sentence(&s1) && !caps_sentence(&s2));
        assert_eq!(
            stats.get(s1[0].lower) & doc::TITLE_INSIDE,
            doc::TITLE_INSIDE
        );
        assert_eq!(stats.get(s2[1].lower), doc::LOWER);
    }
}
