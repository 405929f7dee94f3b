//! The trained model: quantized weight rows of one or two tagging passes in one open-addressing
//! table (a row holds both passes' weights, so the second pass reuses the first's lookups),
//! tag-transition weights, and the lexical resources (gazetteer flags, word clusters) the features
//! need. Also the binary file format (`model/ner.bin`, versioned, little-endian) and first-order
//! Viterbi decoding over the nine BIO tags with only valid transitions (no `I-X` after `O` or
//! after another type).

use super::conll::NUM_TAGS;
use super::features::Resources;
use anyhow::{bail, ensure, Context, Result};

const MAGIC: &[u8; 8] = b"NDXNER\0\x01";
/// Format version of the model file; bump when features or layout change.
pub const FORMAT_VERSION: u32 = 4;

/// Most tagging passes a model holds.
pub const MAX_PASSES: usize = 2;

/// Transition weights: `trans[prev][cur]`, with `prev == NUM_TAGS` for the sentence start.
pub type Transitions = [[f32; NUM_TAGS]; NUM_TAGS + 1];

/// A scoring row: one weight per tag.
pub type Row = [f32; NUM_TAGS];

const EMPTY: u32 = u32::MAX;

/// One table slot: a feature row and its quantized weights for each pass.
#[derive(Clone, Copy)]
struct Entry {
    key: u32,
    w: [[i16; NUM_TAGS]; MAX_PASSES],
}

const EMPTY_ENTRY: Entry = Entry {
    key: EMPTY,
    w: [[0; NUM_TAGS]; MAX_PASSES],
};

/// The loaded model.
pub struct Model {
    /// Number of bits of the feature-row space (rows are `feature_hash & (2^bits - 1)`).
    pub row_bits: u32,
    pub resources: Resources,
    /// Transitions of each pass; its length is the number of passes.
    pub trans: Vec<Transitions>,
    scales: Vec<f32>,
    /// The open-addressing table: slot keys (`EMPTY` when free) apart from their weights, so a
    /// probe reads 4 bytes a slot (the key table is a tenth of the whole, and a feature the
    /// model lacks, most of those looked up, never touches the weights).
    keys: Vec<u32>,
    weights: Vec<[[i16; NUM_TAGS]; MAX_PASSES]>,
    mask: usize,
    row_mask: u64,
}

/// True when tag `cur` may follow tag `prev` (`prev == NUM_TAGS` is the sentence start).
#[inline]
pub fn allowed(prev: usize, cur: usize) -> bool {
    if cur == 0 || cur % 2 == 1 {
        return true;
    }
    // cur is I-X: prev must be B-X (cur - 1) or I-X (cur).
    prev == cur - 1 || prev == cur
}

/// Best valid tag sequence for the emission scores.
pub fn viterbi(emit: &[Row], trans: &Transitions, out: &mut Vec<u8>) {
    out.clear();
    let n = emit.len();
    if n == 0 {
        return;
    }
    const NEG: f32 = f32::NEG_INFINITY;
    let mut score = [NEG; NUM_TAGS];
    let mut back: Vec<[u8; NUM_TAGS]> = vec![[0; NUM_TAGS]; n];
    for t in 0..NUM_TAGS {
        if allowed(NUM_TAGS, t) {
            score[t] = trans[NUM_TAGS][t] + emit[0][t];
        }
    }
    // Whether only O was possible at the previous token, so only `score[0]` is finite.
    let mut only_o = emit[0][1..].iter().all(|&e| e == NEG);
    for i in 1..n {
        let mut next = [NEG; NUM_TAGS];
        if emit[i][1..].iter().all(|&e| e == NEG) {
            // Only O is possible here (a token decided outside every entity): one column.
            if only_o && score[0] > NEG {
                // After another such token, O follows O (the loop below would find the same).
                next[0] = score[0] + trans[0][0] + emit[i][0];
                back[i][0] = 0;
                score = next;
                continue;
            }
            only_o = true;
            let mut best = NEG;
            let mut arg = 0u8;
            for (prev, &s) in score.iter().enumerate() {
                let s = s + trans[prev][0];
                if s > best {
                    best = s;
                    arg = prev as u8;
                }
            }
            next[0] = best + emit[i][0];
            back[i][0] = arg;
            score = next;
            continue;
        }
        only_o = false;
        for cur in 0..NUM_TAGS {
            // O and B-X may follow any tag; I-X only B-X or I-X (see `allowed`).
            let prevs = if cur == 0 || cur % 2 == 1 {
                0..NUM_TAGS
            } else {
                cur - 1..cur + 1
            };
            let mut best = NEG;
            let mut arg = 0u8;
            for prev in prevs {
                let s = score[prev] + trans[prev][cur];
                if s > best {
                    best = s;
                    arg = prev as u8;
                }
            }
            next[cur] = best + emit[i][cur];
            back[i][cur] = arg;
        }
        score = next;
    }
    let mut best = 0;
    for t in 1..NUM_TAGS {
        if score[t] > score[best] {
            best = t;
        }
    }
    out.resize(n, 0);
    out[n - 1] = best as u8;
    for i in (1..n).rev() {
        out[i - 1] = back[i][out[i] as usize];
    }
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        ensure!(
            self.pos + n <= self.b.len(),
            "model file truncated at byte {}",
            self.pos
        );
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32> {
        let mut a = [0u8; 4];
        a.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(a))
    }
    fn u64(&mut self) -> Result<u64> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(a))
    }
    fn f32(&mut self) -> Result<f32> {
        Ok(f32::from_bits(self.u32()?))
    }
}

impl Model {
    /// Builds a model from trained (averaged) dense weights of each pass with their transitions.
    /// Rows whose largest absolute weight (over all passes) is at most `prune` are dropped, the
    /// rest quantized to 16 bits with one scale per pass.
    pub fn from_dense(
        row_bits: u32,
        passes: Vec<(Vec<f32>, Transitions)>,
        resources: Resources,
        prune: f32,
    ) -> Model {
        let scales: Vec<f32> = passes
            .iter()
            .map(|(w, _)| {
                let max = w.iter().fold(0f32, |m, x| m.max(x.abs()));
                if max > 0.0 {
                    max / 32767.0
                } else {
                    1.0
                }
            })
            .collect();
        let nrows = 1usize << row_bits;
        let mut rows = Vec::new();
        for r in 0..nrows {
            let mut e = Entry {
                key: r as u32,
                w: [[0; NUM_TAGS]; MAX_PASSES],
            };
            let mut keep = false;
            for (p, (w, _)) in passes.iter().enumerate().take(MAX_PASSES) {
                let chunk = &w[r * NUM_TAGS..(r + 1) * NUM_TAGS];
                let m = chunk.iter().fold(0f32, |m, x| m.max(x.abs()));
                if m > prune && m > scales[p] * 0.5 {
                    keep = true;
                    for (d, &x) in e.w[p].iter_mut().zip(chunk) {
                        *d = (x / scales[p]).round().clamp(-32767.0, 32767.0) as i16;
                    }
                }
            }
            if keep {
                rows.push(e);
            }
        }
        let trans = passes.iter().map(|(_, t)| *t).collect();
        Self::from_rows(row_bits, resources, trans, scales, rows)
    }

    fn from_rows(
        row_bits: u32,
        resources: Resources,
        trans: Vec<Transitions>,
        scales: Vec<f32>,
        rows: Vec<Entry>,
    ) -> Model {
        let cap = (rows.len() * 2).next_power_of_two().max(16);
        let mut keys = vec![EMPTY; cap];
        let mut weights = vec![EMPTY_ENTRY.w; cap];
        let mask = cap - 1;
        for e in rows {
            let mut i = slot(e.key) & mask;
            while keys[i] != EMPTY {
                i = (i + 1) & mask;
            }
            keys[i] = e.key;
            weights[i] = e.w;
        }
        Model {
            row_bits,
            resources,
            trans,
            scales,
            keys,
            weights,
            mask,
            row_mask: (1u64 << row_bits) - 1,
        }
    }

    /// Number of tagging passes.
    pub fn passes(&self) -> usize {
        self.trans.len()
    }

    /// Number of stored weight rows.
    pub fn rows(&self) -> usize {
        self.keys.iter().filter(|&&k| k != EMPTY).count()
    }

    /// Approximate bytes held by the loaded structures.
    pub fn memory_bytes(&self) -> usize {
        // hashbrown: key + value + 1 control byte per bucket, buckets ≈ 8/7 of capacity.
        let gaz = self.resources.gazetteer.capacity() * (8 + 1 + 1) * 8 / 7;
        let cl = self.resources.clusters.capacity() * (8 + 8 + 1) * 8 / 7;
        self.keys.len() * std::mem::size_of::<Entry>()
            + self.trans.len() * std::mem::size_of::<Transitions>()
            + gaz
            + cl
    }

    /// Reads the first table slot feature hash `f` probes, without branching on it. Touching the
    /// slots of a batch of features first lets their cache misses overlap (a prefetch).
    #[inline]
    pub fn touch(&self, f: u64) -> u32 {
        let k = (f & self.row_mask) as u32;
        self.keys[slot(k) & self.mask]
    }

    /// The table slot of feature hash `f`, if the model has weights for it.
    #[inline]
    pub fn find(&self, f: u64) -> Option<u32> {
        let k = (f & self.row_mask) as u32;
        let mut i = slot(k) & self.mask;
        loop {
            let key = self.keys[i];
            if key == k {
                return Some(i as u32);
            }
            if key == EMPTY {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Adds pass `pass`'s weights of table slot `slot` to `acc`.
    #[inline]
    pub fn add_slot(&self, slot: u32, pass: usize, acc: &mut Row) {
        let v = &self.weights[slot as usize][pass];
        let s = self.scales[pass];
        for t in 0..NUM_TAGS {
            acc[t] += v[t] as f32 * s;
        }
    }

    /// Adds pass `pass`'s weights of feature hash `f` to `acc`.
    #[inline]
    pub fn add_feature(&self, f: u64, pass: usize, acc: &mut Row) {
        if let Some(i) = self.find(f) {
            self.add_slot(i, pass, acc);
        }
    }

    /// Serializes the model.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&self.row_bits.to_le_bytes());
        let mut gaz: Vec<(u64, u8)> = self
            .resources
            .gazetteer
            .iter()
            .map(|(&k, &v)| (k, v))
            .collect();
        gaz.sort_unstable();
        out.extend_from_slice(&(gaz.len() as u32).to_le_bytes());
        for (k, v) in gaz {
            out.extend_from_slice(&k.to_le_bytes());
            out.push(v);
        }
        let mut cl: Vec<(u64, (u32, u8))> = self
            .resources
            .clusters
            .iter()
            .map(|(&k, &v)| (k, v))
            .collect();
        cl.sort_unstable();
        out.extend_from_slice(&(cl.len() as u32).to_le_bytes());
        for (k, (bits, len)) in cl {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&bits.to_le_bytes());
            out.push(len);
        }
        let np = self.passes();
        out.extend_from_slice(&(np as u32).to_le_bytes());
        for (t, s) in self.trans.iter().zip(&self.scales) {
            out.extend_from_slice(&s.to_le_bytes());
            for row in t {
                for w in row {
                    out.extend_from_slice(&w.to_le_bytes());
                }
            }
        }
        let mut rows: Vec<(u32, &[[i16; NUM_TAGS]; MAX_PASSES])> = self
            .keys
            .iter()
            .zip(&self.weights)
            .filter(|(&k, _)| k != EMPTY)
            .map(|(&k, w)| (k, w))
            .collect();
        rows.sort_unstable_by_key(|e| e.0);
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for e in &rows {
            out.extend_from_slice(&e.0.to_le_bytes());
        }
        for p in 0..np {
            for e in &rows {
                for w in &e.1[p] {
                    out.extend_from_slice(&w.to_le_bytes());
                }
            }
        }
        out
    }

    /// Loads a model serialized by [`Model::to_bytes`].
    pub fn from_bytes(b: &[u8]) -> Result<Model> {
        let mut r = Reader { b, pos: 0 };
        if r.take(8)? != MAGIC {
            bail!("not a newsdex NER model (bad magic)");
        }
        let version = r.u32()?;
        ensure!(
            version == FORMAT_VERSION,
            "model format {version}, expected {FORMAT_VERSION}"
        );
        let row_bits = r.u32()?;
        ensure!((8..=30).contains(&row_bits), "bad row bits {row_bits}");
        let mut resources = Resources::default();
        let n = r.u32()? as usize;
        resources.gazetteer.reserve(n);
        for _ in 0..n {
            let k = r.u64()?;
            let v = r.u8()?;
            resources.gazetteer.insert(k, v);
        }
        let n = r.u32()? as usize;
        resources.clusters.reserve(n);
        for _ in 0..n {
            let k = r.u64()?;
            let bits = r.u32()?;
            let len = r.u8()?;
            resources.clusters.insert(k, (bits, len));
        }
        let np = r.u32()? as usize;
        ensure!((1..=MAX_PASSES).contains(&np), "bad number of passes {np}");
        let mut trans = Vec::with_capacity(np);
        let mut scales = Vec::with_capacity(np);
        for _ in 0..np {
            scales.push(r.f32()?);
            let mut t = [[0f32; NUM_TAGS]; NUM_TAGS + 1];
            for row in t.iter_mut() {
                for w in row.iter_mut() {
                    *w = r.f32()?;
                }
            }
            trans.push(t);
        }
        let n = r.u32()? as usize;
        let keys = r.take(n * 4).context("weight keys")?;
        let mut rows: Vec<Entry> = keys
            .chunks_exact(4)
            .map(|k| Entry {
                key: u32::from_le_bytes([k[0], k[1], k[2], k[3]]),
                w: [[0; NUM_TAGS]; MAX_PASSES],
            })
            .collect();
        for p in 0..np {
            let vals = r.take(n * 2 * NUM_TAGS).context("weight values")?;
            for (e, v) in rows.iter_mut().zip(vals.chunks_exact(2 * NUM_TAGS)) {
                for (t, c) in e.w[p].iter_mut().zip(v.chunks_exact(2)) {
                    *t = i16::from_le_bytes([c[0], c[1]]);
                }
            }
        }
        ensure!(r.pos == b.len(), "trailing bytes in model file");
        Ok(Self::from_rows(row_bits, resources, trans, scales, rows))
    }
}

#[inline]
fn slot(k: u32) -> usize {
    (k.wrapping_mul(0x9e37_79b9) ^ (k >> 15)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viterbi_never_emits_invalid_inside_tags() {
        // Emissions that, greedily, would give O I-PER I-LOC.
        let mut emit = vec![[0f32; NUM_TAGS]; 3];
        emit[0][0] = 5.0;
        emit[1][2] = 5.0;
        emit[2][4] = 5.0;
        let trans = [[0f32; NUM_TAGS]; NUM_TAGS + 1];
        let mut out = Vec::new();
        viterbi(&emit, &trans, &mut out);
        let mut prev = NUM_TAGS;
        for &t in &out {
            assert!(allowed(prev, t as usize), "{out:?}");
            prev = t as usize;
        }
    }

    #[test]
    fn viterbi_tokens_that_can_only_be_outside() {
        // Rows whose only finite score is O's take a short path (a shorter one after another
        // such row); it must decode as the full one does when the other scores are merely very
        // low.
        let mut state = 12345u32;
        let mut next = || {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as f32 / 65536.0 * 4.0 - 2.0
        };
        let mut trans = [[0f32; NUM_TAGS]; NUM_TAGS + 1];
        for row in trans.iter_mut() {
            for t in row.iter_mut() {
                *t = next();
            }
        }
        for n in 1..12 {
            let mut fast = Vec::new();
            let mut slow = Vec::new();
            for i in 0..n {
                let mut row = [0f32; NUM_TAGS];
                for t in row.iter_mut() {
                    *t = next();
                }
                let outside_only = matches!(i % 5, 0 | 2 | 3);
                if !outside_only {
                    fast.push(row);
                    slow.push(row);
                } else {
                    let mut low = [-1e30f32; NUM_TAGS];
                    low[0] = row[0];
                    let mut outside = [f32::NEG_INFINITY; NUM_TAGS];
                    outside[0] = row[0];
                    fast.push(outside);
                    slow.push(low);
                }
            }
            let (mut a, mut b) = (Vec::new(), Vec::new());
            viterbi(&fast, &trans, &mut a);
            viterbi(&slow, &trans, &mut b);
            assert_eq!(a, b, "{n} tokens");
            assert!(
                a.iter()
                    .enumerate()
                    .all(|(i, &t)| t == 0 || !matches!(i % 5, 0 | 2 | 3)),
                "{a:?}"
            );
        }
    }

    #[test]
    fn model_round_trips_through_bytes() {
        let bits = 10;
        let mut w = vec![0f32; (1 << bits) * NUM_TAGS];
        w[7 * NUM_TAGS + 2] = 1.5;
        w[300 * NUM_TAGS] = -0.25;
        let mut res = Resources::default();
        res.gazetteer.insert(42, 3);
        res.clusters.insert(9, (0b1011, 4));
        let mut trans = [[0f32; NUM_TAGS]; NUM_TAGS + 1];
        trans[NUM_TAGS][1] = 0.5;
        let m = Model::from_dense(bits, vec![(w, trans)], res, 0.0);
        let m2 = Model::from_bytes(&m.to_bytes()).expect("load");
        assert_eq!(m2.rows(), 2);
        let mut acc = [0f32; NUM_TAGS];
        m2.add_feature(7 | (5 << 40), 0, &mut acc);
        assert!((acc[2] - 1.5).abs() < 1e-3);
        assert_eq!(m2.resources.gazetteer.get(&42), Some(&3));
        assert_eq!(m2.trans[0][NUM_TAGS][1], 0.5);
        assert!(Model::from_bytes(b"garbage").is_err());
    }
}
