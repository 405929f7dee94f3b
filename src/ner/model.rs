//! The trained model: quantized weight rows in an open-addressing table, tag-transition weights,
//! and the lexical resources (gazetteer flags, word clusters) the features need. Also the binary
//! file format (`model/ner.bin`, versioned, little-endian) and first-order Viterbi decoding over
//! the nine BIO tags with only valid transitions (no `I-X` after `O` or after another type).

use super::conll::NUM_TAGS;
use super::features::Resources;
use anyhow::{bail, ensure, Context, Result};

const MAGIC: &[u8; 8] = b"NDXNER\0\x01";
/// Format version of the model file; bump when features or layout change.
pub const FORMAT_VERSION: u32 = 2;

/// Transition weights: `trans[prev][cur]`, with `prev == NUM_TAGS` for the sentence start.
pub type Transitions = [[f32; NUM_TAGS]; NUM_TAGS + 1];

/// A scoring row: one weight per tag.
pub type Row = [f32; NUM_TAGS];

const EMPTY: u32 = u32::MAX;

/// The loaded model.
pub struct Model {
    /// Number of bits of the feature-row space (rows are `feature_hash & (2^bits - 1)`).
    pub row_bits: u32,
    pub resources: Resources,
    pub trans: Transitions,
    scale: f32,
    keys: Vec<u32>,
    vals: Vec<[i16; NUM_TAGS]>,
    mask: usize,
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
    for i in 1..n {
        let mut next = [NEG; NUM_TAGS];
        for cur in 0..NUM_TAGS {
            let mut best = NEG;
            let mut arg = 0u8;
            for prev in 0..NUM_TAGS {
                if !allowed(prev, cur) {
                    continue;
                }
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
    /// Builds a model from trained (averaged) dense weights: rows whose largest absolute weight is
    /// below `prune` are dropped, the rest quantized to 16 bits.
    pub fn from_dense(
        row_bits: u32,
        weights: &[f32],
        trans: Transitions,
        resources: Resources,
        prune: f32,
    ) -> Model {
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut rows = Vec::new();
        for (r, chunk) in weights.chunks_exact(NUM_TAGS).enumerate() {
            let m = chunk.iter().fold(0f32, |m, w| m.max(w.abs()));
            if m > prune && m > scale * 0.5 {
                let mut q = [0i16; NUM_TAGS];
                for (d, &w) in q.iter_mut().zip(chunk) {
                    *d = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
                }
                rows.push((r as u32, q));
            }
        }
        Self::from_rows(row_bits, scale, trans, resources, rows)
    }

    fn from_rows(
        row_bits: u32,
        scale: f32,
        trans: Transitions,
        resources: Resources,
        rows: Vec<(u32, [i16; NUM_TAGS])>,
    ) -> Model {
        let cap = (rows.len() * 2).next_power_of_two().max(16);
        let mut keys = vec![EMPTY; cap];
        let mut vals = vec![[0i16; NUM_TAGS]; cap];
        let mask = cap - 1;
        for (k, v) in rows {
            let mut i = slot(k) & mask;
            while keys[i] != EMPTY {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            vals[i] = v;
        }
        Model {
            row_bits,
            resources,
            trans,
            scale,
            keys,
            vals,
            mask,
        }
    }

    /// Number of stored weight rows.
    pub fn rows(&self) -> usize {
        self.keys.iter().filter(|&&k| k != EMPTY).count()
    }

    /// Approximate bytes held by the loaded structures.
    pub fn memory_bytes(&self) -> usize {
        let table = self.keys.len() * (4 + 2 * NUM_TAGS);
        // hashbrown: key + value + 1 control byte per bucket, buckets ≈ 8/7 of capacity.
        let gaz = self.resources.gazetteer.capacity() * (8 + 1 + 1) * 8 / 7;
        let cl = self.resources.clusters.capacity() * (8 + 8 + 1) * 8 / 7;
        table + gaz + cl + std::mem::size_of::<Transitions>()
    }

    /// Adds the weights of feature hash `f` to `acc`.
    #[inline]
    pub fn add_feature(&self, f: u64, acc: &mut Row) {
        let k = (f & ((1u64 << self.row_bits) - 1)) as u32;
        let mut i = slot(k) & self.mask;
        loop {
            let key = self.keys[i];
            if key == k {
                let v = &self.vals[i];
                for t in 0..NUM_TAGS {
                    acc[t] += v[t] as f32 * self.scale;
                }
                return;
            }
            if key == EMPTY {
                return;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Serializes the model.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&self.row_bits.to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        for row in &self.trans {
            for w in row {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
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
        let mut rows: Vec<(u32, [i16; NUM_TAGS])> = self
            .keys
            .iter()
            .zip(&self.vals)
            .filter(|(&k, _)| k != EMPTY)
            .map(|(&k, &v)| (k, v))
            .collect();
        rows.sort_unstable_by_key(|r| r.0);
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for (k, _) in &rows {
            out.extend_from_slice(&k.to_le_bytes());
        }
        for (_, v) in &rows {
            for w in v {
                out.extend_from_slice(&w.to_le_bytes());
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
        let scale = r.f32()?;
        let mut trans = [[0f32; NUM_TAGS]; NUM_TAGS + 1];
        for row in trans.iter_mut() {
            for w in row.iter_mut() {
                *w = r.f32()?;
            }
        }
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
        let n = r.u32()? as usize;
        let keys = r.take(n * 4).context("weight keys")?;
        let vals = r.take(n * 2 * NUM_TAGS).context("weight values")?;
        let rows = keys
            .chunks_exact(4)
            .zip(vals.chunks_exact(2 * NUM_TAGS))
            .map(|(k, v)| {
                let key = u32::from_le_bytes([k[0], k[1], k[2], k[3]]);
                let mut q = [0i16; NUM_TAGS];
                for (t, c) in q.iter_mut().zip(v.chunks_exact(2)) {
                    *t = i16::from_le_bytes([c[0], c[1]]);
                }
                (key, q)
            })
            .collect();
        ensure!(r.pos == b.len(), "trailing bytes in model file");
        Ok(Self::from_rows(row_bits, scale, trans, resources, rows))
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
        let m = Model::from_dense(bits, &w, trans, res, 0.0);
        let m2 = Model::from_bytes(&m.to_bytes()).expect("load");
        assert_eq!(m2.rows(), 2);
        let mut acc = [0f32; NUM_TAGS];
        m2.add_feature(7 | (5 << 40), &mut acc);
        assert!((acc[2] - 1.5).abs() < 1e-3);
        assert_eq!(m2.resources.gazetteer.get(&42), Some(&3));
        assert_eq!(m2.trans[NUM_TAGS][1], 0.5);
        assert!(Model::from_bytes(b"garbage").is_err());
    }
}
