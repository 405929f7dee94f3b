//! Word clusters learnt from unlabeled news text, for the tagger's cluster features. Each frequent
//! word gets a context vector (positive PMI of its left and right neighbours among the most
//! frequent words), randomly projected to a few dozen dimensions; bisecting spherical k-means
//! then splits the vocabulary recursively, and a word's path of left/right choices is its bit
//! string (prefixes of several lengths are the features, as with Brown clusters).
//!
//! Input: `.txt` files (one article each), `.jsonl` (objects with `title`, `dateline`, `body`),
//! `.conll` (first column; blank line ends a sentence), or directories of them.

use super::features::{hash_str, HashKeyed};
use super::tokenize::{split_sentences, tokenize};
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Clustering settings.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// Most words clustered (by frequency).
    pub vocab: usize,
    /// Least count of a clustered word.
    pub min_count: u32,
    /// Number of neighbour words used as contexts.
    pub contexts: usize,
    /// Dimensions of the projected vectors.
    pub dims: usize,
    /// Depth of the cluster tree (bit-string length).
    pub depth: u8,
    pub seed: u64,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            vocab: 60_000,
            min_count: 3,
            contexts: 2_000,
            dims: 96,
            depth: 16,
            seed: 7,
        }
    }
}

/// A corpus as sentences of interned word ids.
#[derive(Default)]
pub struct Corpus {
    pub words: Vec<String>,
    ids: HashMap<String, u32>,
    pub counts: Vec<u32>,
    pub sentences: Vec<Vec<u32>>,
}

impl Corpus {
    fn add_sentence<'a>(&mut self, words: impl Iterator<Item = &'a str>) {
        let mut s = Vec::new();
        for w in words {
            let id = match self.ids.get(w) {
                Some(&id) => id,
                None => {
                    let id = self.words.len() as u32;
                    self.words.push(w.to_string());
                    self.ids.insert(w.to_string(), id);
                    self.counts.push(0);
                    id
                }
            };
            self.counts[id as usize] += 1;
            s.push(id);
        }
        if !s.is_empty() {
            self.sentences.push(s);
        }
    }

    pub(crate) fn add_text(&mut self, text: &str) {
        let toks = tokenize(text);
        for r in split_sentences(text, &toks) {
            self.add_sentence(toks[r].iter().map(|t| t.text(text)));
        }
    }

    /// Number of tokens read.
    pub fn tokens(&self) -> usize {
        self.sentences.iter().map(Vec::len).sum()
    }

    /// Reads a file or, recursively, a directory.
    pub fn add_path(&mut self, path: &Path) -> Result<()> {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("cannot list {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            for e in entries {
                self.add_path(&e)?;
            }
            return Ok(());
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "txt" | "jsonl" | "conll")
            || path.file_name().is_some_and(|n| n == "README.TXT")
        {
            return Ok(());
        }
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let text = String::from_utf8_lossy(&bytes);
        match ext {
            "jsonl" => {
                for (i, line) in text.lines().enumerate() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    let v: serde_json::Value = serde_json::from_str(line)
                        .with_context(|| format!("{}:{}: bad JSON", path.display(), i + 1))?;
                    for field in ["title", "dateline", "body"] {
                        if let Some(s) = v.get(field).and_then(|x| x.as_str()) {
                            self.add_text(s);
                        }
                    }
                }
            }
            "conll" => {
                let mut sent: Vec<&str> = Vec::new();
                for line in text.lines() {
                    let w = line.split_whitespace().next();
                    match w {
                        None | Some("-DOCSTART-") => {
                            self.add_sentence(sent.drain(..));
                        }
                        Some(w) => sent.push(w),
                    }
                }
                self.add_sentence(sent.drain(..));
            }
            _ => self.add_text(&text),
        }
        Ok(())
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Learns clusters: word hash (case kept) → (bit string left-aligned in 32 bits, length).
pub fn learn(
    corpus: &Corpus,
    opts: &ClusterOptions,
    log: &mut dyn FnMut(&str),
) -> HashKeyed<(u32, u8)> {
    let mut by_freq: Vec<u32> = (0..corpus.words.len() as u32).collect();
    by_freq.sort_by(|&a, &b| {
        corpus.counts[b as usize]
            .cmp(&corpus.counts[a as usize])
            .then(a.cmp(&b))
    });
    let vocab: Vec<u32> = by_freq
        .iter()
        .copied()
        .filter(|&w| corpus.counts[w as usize] >= opts.min_count)
        .take(opts.vocab)
        .collect();
    let mut vidx = vec![u32::MAX; corpus.words.len()];
    for (i, &w) in vocab.iter().enumerate() {
        vidx[w as usize] = i as u32;
    }
    // Context ids: 0..C frequent words, C = other word, C + 1 = sentence boundary.
    let c = opts.contexts.min(by_freq.len());
    let mut cidx = vec![c as u32; corpus.words.len()];
    for (i, &w) in by_freq.iter().take(c).enumerate() {
        cidx[w as usize] = i as u32;
    }
    let nctx = 2 * (c + 2);
    let mut co: Vec<HashMap<u32, u32>> = vec![HashMap::new(); vocab.len()];
    let mut ctx_total = vec![0u64; nctx];
    let mut total = 0u64;
    for s in &corpus.sentences {
        for (i, &w) in s.iter().enumerate() {
            let vi = vidx[w as usize];
            if vi == u32::MAX {
                continue;
            }
            let left = if i == 0 {
                c as u32 + 1
            } else {
                cidx[s[i - 1] as usize]
            };
            let right = if i + 1 == s.len() {
                c as u32 + 1
            } else {
                cidx[s[i + 1] as usize]
            };
            for k in [left, right + (c as u32 + 2)] {
                *co[vi as usize].entry(k).or_insert(0) += 1;
                ctx_total[k as usize] += 1;
                total += 1;
            }
        }
    }
    log(&format!(
        "clusters: {} words, {} contexts, {} pairs",
        vocab.len(),
        nctx,
        total
    ));
    // Random ±1 projection of PPMI vectors.
    let d = opts.dims;
    let mut rng = Rng(opts.seed | 1);
    let proj: Vec<f32> = (0..nctx * d)
        .map(|_| if rng.next() & 1 == 0 { 1.0 } else { -1.0 })
        .collect();
    let mut vecs = vec![0f32; vocab.len() * d];
    for (vi, m) in co.iter().enumerate() {
        // Sorted, so float sums (and the clusters) do not depend on hash-map order.
        let mut m: Vec<(u32, u32)> = m.iter().map(|(&k, &n)| (k, n)).collect();
        m.sort_unstable();
        let wc: u64 = m.iter().map(|&(_, x)| x as u64).sum();
        let v = &mut vecs[vi * d..(vi + 1) * d];
        for &(k, n) in &m {
            let pmi = ((n as f64 * total as f64) / (wc as f64 * ctx_total[k as usize] as f64)).ln();
            if pmi > 0.0 {
                let p = &proj[k as usize * d..(k as usize + 1) * d];
                for (a, b) in v.iter_mut().zip(p) {
                    *a += pmi as f32 * b;
                }
            }
        }
        normalize(v);
    }
    drop(co);
    // Bisecting spherical k-means.
    let mut codes = vec![(0u32, 0u8); vocab.len()];
    let mut stack: Vec<(Vec<u32>, u32, u8)> = vec![((0..vocab.len() as u32).collect(), 0, 0)];
    while let Some((items, bits, len)) = stack.pop() {
        for &i in &items {
            codes[i as usize] = (bits, len);
        }
        if len >= opts.depth || items.len() < 2 {
            continue;
        }
        let (l, r) = bisect(&items, &vecs, d, &mut rng);
        if l.is_empty() || r.is_empty() {
            continue;
        }
        stack.push((l, bits, len + 1));
        stack.push((r, bits | (1u32 << (31 - len as u32)), len + 1));
    }
    vocab
        .iter()
        .zip(codes)
        .map(|(&w, code)| (hash_str(&corpus.words[w as usize]), code))
        .collect()
}

fn normalize(v: &mut [f32]) {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
}

/// Splits items in two with spherical 2-means.
fn bisect(items: &[u32], vecs: &[f32], d: usize, rng: &mut Rng) -> (Vec<u32>, Vec<u32>) {
    let row = |i: u32| &vecs[i as usize * d..(i as usize + 1) * d];
    let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    // Seeds: a random item and the item least similar to it.
    let a = items[(rng.next() % items.len() as u64) as usize];
    let b = *items
        .iter()
        .min_by(|&&x, &&y| dot(row(a), row(x)).total_cmp(&dot(row(a), row(y))))
        .unwrap_or(&a);
    let mut c0 = row(a).to_vec();
    let mut c1 = row(b).to_vec();
    let mut side = vec![false; items.len()];
    for _ in 0..8 {
        let mut s0 = vec![0f32; d];
        let mut s1 = vec![0f32; d];
        for (k, &i) in items.iter().enumerate() {
            let v = row(i);
            side[k] = dot(v, &c1) > dot(v, &c0);
            let s = if side[k] { &mut s1 } else { &mut s0 };
            s.iter_mut().zip(v).for_each(|(x, y)| *x += y);
        }
        normalize(&mut s0);
        normalize(&mut s1);
        c0 = s0;
        c1 = s1;
    }
    let mut l = Vec::new();
    let mut r = Vec::new();
    for (k, &i) in items.iter().enumerate() {
        if side[k] {
            r.push(i)
        } else {
            l.push(i)
        }
    }
    (l, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_like_contexts_share_prefixes() {
        let mut c = Corpus::default();
        for _ in 0..30 {
            for city in ["Oslo", "Lima", "Quito"] {
                c.add_text(&format!("She flew to {city} on Monday ."));
            }
            for v in ["ran", "swam", "walked"] {
                c.add_text(&format!("The dog {v} quickly home ."));
            }
        }
        let opts = ClusterOptions {
            vocab: 100,
            min_count: 1,
            contexts: 50,
            dims: 32,
            depth: 8,
            seed: 3,
        };
        let cl = learn(&c, &opts, &mut |_| {});
        let code = |w: &str| cl[&hash_str(w)];
        let common = |a: (u32, u8), b: (u32, u8)| (a.0 ^ b.0).leading_zeros().min(a.1 as u32);
        assert!(common(code("Oslo"), code("Lima")) > common(code("Oslo"), code("swam")));
        assert!(common(code("ran"), code("walked")) > common(code("ran"), code("Quito")));
    }
}
