//! Training the tagger: a structured averaged perceptron over hashed features with Viterbi
//! decoding, trained on the train set only; the dev set only picks the epoch. Sentences are
//! shuffled with a fixed seed, so a run is reproducible.
//!
//! The committed `model/ner.bin` is reproduced with (from the repository root, data beside it in
//! `../shared/data`):
//!
//! ```text
//! cargo run --release -- train-ner \
//!     --train ../shared/data/conll2003/train.conll --dev ../shared/data/conll2003/dev.conll \
//!     --out model/ner.bin
//! ```

use super::conll::{tags_from_spans, Document, NUM_TAGS};
use super::eval::Tally;
use super::features::{
    caps_sentence, context_features, pad_features, DocStats, Resources, WordKey,
};
use super::model::{allowed, viterbi, Model, Row, Transitions};
use std::collections::HashMap;

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Most passes over the training data.
    pub epochs: usize,
    /// Seed of the sentence shuffle.
    pub seed: u64,
    /// Bits of the feature-row space.
    pub row_bits: u32,
    /// Rows whose largest absolute averaged weight is at most this are dropped from the model.
    pub prune: f32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 12,
            seed: 20030601,
            row_bits: 22,
            prune: 0.0,
        }
    }
}

/// One sentence with its features precomputed as weight rows.
struct Prepared {
    /// Rows of all tokens, token `i` at `rows[starts[i]..starts[i + 1]]`.
    rows: Vec<u32>,
    starts: Vec<u32>,
    gold: Vec<u8>,
}

/// Turns documents into prepared sentences, caching each word type's feature rows.
fn prepare(docs: &[Document], res: &Resources, row_bits: u32) -> Vec<Prepared> {
    let mask = (1u64 << row_bits) - 1;
    let mut cache: HashMap<String, (WordKey, [Vec<u32>; 5])> = HashMap::new();
    let pads: Vec<u32> = [-2i8, -1, 0, 1, 2]
        .iter()
        .map(|&o| (pad_features(o) & mask) as u32)
        .collect();
    let mut out = Vec::new();
    let mut ctx = Vec::new();
    for d in docs {
        for s in &d.sentences {
            for w in &s.tokens {
                if !cache.contains_key(w) {
                    let (k, f) = res.word_features(w);
                    let rows = f.map(|v| v.iter().map(|&x| (x & mask) as u32).collect());
                    cache.insert(w.clone(), (k, rows));
                }
            }
        }
        let keys: Vec<Vec<WordKey>> = d
            .sentences
            .iter()
            .map(|s| s.tokens.iter().map(|w| cache[w].0).collect())
            .collect();
        let stats = DocStats::build(keys.iter().map(|k| k.as_slice()));
        for (s, ks) in d.sentences.iter().zip(&keys) {
            let caps = caps_sentence(ks);
            let n = s.tokens.len();
            let mut p = Prepared {
                rows: Vec::new(),
                starts: vec![0],
                gold: tags_from_spans(n, &s.spans),
            };
            for i in 0..n {
                for (o, &pad) in pads.iter().enumerate() {
                    let j = i as isize + o as isize - 2;
                    if j < 0 || j as usize >= n {
                        p.rows.push(pad);
                    } else {
                        p.rows.extend_from_slice(&cache[&s.tokens[j as usize]].1[o]);
                    }
                }
                ctx.clear();
                context_features(ks, i, caps, &stats, &mut ctx);
                p.rows.extend(ctx.iter().map(|&x| (x & mask) as u32));
                p.starts.push(p.rows.len() as u32);
            }
            out.push(p);
        }
    }
    out
}

fn emissions(p: &Prepared, w: &[f32], emit: &mut Vec<Row>) {
    emit.clear();
    for win in p.starts.windows(2) {
        let mut row = [0f32; NUM_TAGS];
        for &r in &p.rows[win[0] as usize..win[1] as usize] {
            let base = r as usize * NUM_TAGS;
            for t in 0..NUM_TAGS {
                row[t] += w[base + t];
            }
        }
        emit.push(row);
    }
}

/// Dev-set F1 of dense weights over prepared sentences.
fn score(data: &[Prepared], w: &[f32], trans: &Transitions) -> (f64, Tally) {
    let mut tally = Tally::default();
    let mut emit = Vec::new();
    let mut pred = Vec::new();
    for p in data {
        emissions(p, w, &mut emit);
        viterbi(&emit, trans, &mut pred);
        tally.add_sentence(
            &super::conll::spans_from_ids(&p.gold),
            &super::conll::spans_from_ids(&pred),
        );
    }
    (tally.micro().prf().f1, tally)
}

/// What training did, epoch by epoch.
#[derive(Debug, Clone)]
pub struct TrainReport {
    /// (epoch, training mistakes in sentences, dev micro F1) per epoch.
    pub epochs: Vec<(usize, usize, f64)>,
    pub best_epoch: usize,
    pub best_dev_f1: f64,
    pub dev_tally: Tally,
}

/// Trains a model. `log` receives progress lines.
pub fn train(
    train_docs: &[Document],
    dev_docs: &[Document],
    resources: Resources,
    opts: &TrainOptions,
    log: &mut dyn FnMut(&str),
) -> (Model, TrainReport) {
    let t0 = std::time::Instant::now();
    let train = prepare(train_docs, &resources, opts.row_bits);
    let dev = prepare(dev_docs, &resources, opts.row_bits);
    log(&format!(
        "prepared {} train and {} dev sentences in {:.1} s",
        train.len(),
        dev.len(),
        t0.elapsed().as_secs_f64()
    ));
    let size = (1usize << opts.row_bits) * NUM_TAGS;
    let mut w = vec![0f32; size];
    let mut u = vec![0f32; size];
    let mut tw = [[0f32; NUM_TAGS]; NUM_TAGS + 1];
    let mut tu = [[0f32; NUM_TAGS]; NUM_TAGS + 1];
    let mut c: f32 = 1.0;
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = opts.seed | 1;
    let mut best: Option<(usize, f64, Vec<f32>, Transitions, Tally)> = None;
    let mut report = Vec::new();
    let mut emit = Vec::new();
    let mut pred = Vec::new();
    for epoch in 1..=opts.epochs {
        // Fisher-Yates with xorshift64*.
        for i in (1..order.len()).rev() {
            rng ^= rng >> 12;
            rng ^= rng << 25;
            rng ^= rng >> 27;
            let r = rng.wrapping_mul(0x2545_f491_4f6c_dd1d);
            order.swap(i, (r % (i as u64 + 1)) as usize);
        }
        let mut mistakes = 0;
        for &si in &order {
            let p = &train[si];
            emissions(p, &w, &mut emit);
            viterbi(&emit, &tw, &mut pred);
            if pred != p.gold {
                mistakes += 1;
                let mut prev_g = NUM_TAGS;
                let mut prev_p = NUM_TAGS;
                for (i, win) in p.starts.windows(2).enumerate() {
                    let g = p.gold[i] as usize;
                    let q = pred[i] as usize;
                    if g != q {
                        for &r in &p.rows[win[0] as usize..win[1] as usize] {
                            let base = r as usize * NUM_TAGS;
                            w[base + g] += 1.0;
                            u[base + g] += c;
                            w[base + q] -= 1.0;
                            u[base + q] -= c;
                        }
                    }
                    if g != q || prev_g != prev_p {
                        tw[prev_g][g] += 1.0;
                        tu[prev_g][g] += c;
                        tw[prev_p][q] -= 1.0;
                        tu[prev_p][q] -= c;
                    }
                    prev_g = g;
                    prev_p = q;
                }
            }
            c += 1.0;
        }
        // Averaged weights: w - u / c.
        let avg: Vec<f32> = w.iter().zip(&u).map(|(a, b)| a - b / c).collect();
        let mut tavg = [[0f32; NUM_TAGS]; NUM_TAGS + 1];
        for (p, row) in tavg.iter_mut().enumerate() {
            for (q, v) in row.iter_mut().enumerate() {
                *v = if allowed(p, q) {
                    tw[p][q] - tu[p][q] / c
                } else {
                    0.0
                };
            }
        }
        let (f1, tally) = score(&dev, &avg, &tavg);
        log(&format!(
            "epoch {epoch}: {mistakes} of {} sentences wrong, dev F1 {:.4} ({:.1} s)",
            train.len(),
            f1,
            t0.elapsed().as_secs_f64()
        ));
        report.push((epoch, mistakes, f1));
        if best.as_ref().is_none_or(|b| f1 > b.1) {
            best = Some((epoch, f1, avg, tavg, tally));
        }
        if mistakes == 0 {
            break;
        }
    }
    let (best_epoch, best_dev_f1, avg, tavg, dev_tally) = match best {
        Some(b) => b,
        None => (
            0,
            0.0,
            vec![0f32; size],
            [[0f32; NUM_TAGS]; NUM_TAGS + 1],
            Tally::default(),
        ),
    };
    let model = Model::from_dense(opts.row_bits, &avg, tavg, resources, opts.prune);
    (
        model,
        TrainReport {
            epochs: report,
            best_epoch,
            best_dev_f1,
            dev_tally,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::conll::{parse, spans_from_ids};
    use crate::ner::model::allowed;
    use crate::ner::{EntityType, Tagger};

    const TINY: &str = "-DOCSTART- -X- -X- O

Marta X X I-PER
Kowal X X I-PER
visited X X O
Bergen X X I-LOC
. X X O

The X X O
Quilt X X I-ORG
Bank X X I-ORG
hired X X O
Marta X X I-PER
. X X O

-DOCSTART- -X- -X- O

Ivo X X I-PER
Lund X X I-PER
left X X O
Tromso X X I-LOC
for X X O
Bergen X X I-LOC
. X X O

The X X O
Quilt X X I-ORG
Bank X X I-ORG
fell X X O
. X X O
";

    #[test]
    fn learns_a_tiny_training_set_with_valid_sequences() {
        let docs = parse(TINY, "tiny").expect("parse");
        let opts = TrainOptions {
            epochs: 20,
            row_bits: 16,
            ..TrainOptions::default()
        };
        let (model, report) = train(&docs, &docs, Resources::default(), &opts, &mut |_| {});
        assert!(report.best_dev_f1 > 0.99, "{report:?}");
        let tagger = Tagger::from_model(model);
        for d in &docs {
            let sents: Vec<Vec<&str>> = d
                .sentences
                .iter()
                .map(|s| s.tokens.iter().map(String::as_str).collect())
                .collect();
            for (s, tags) in d.sentences.iter().zip(tagger.tag_tokens(&sents)) {
                assert_eq!(spans_from_ids(&tags), s.spans);
                let mut prev = NUM_TAGS;
                for &t in &tags {
                    assert!(allowed(prev, t as usize));
                    prev = t as usize;
                }
            }
        }
        // Raw text: mentions carry byte offsets into the text.
        let text = "Marta Kowal visited Bergen.\n\nThe Quilt Bank hired Marta.";
        let m = tagger.tag_document(text);
        assert!(m.iter().all(|m| text[m.start..m.end] == m.text));
        assert!(m
            .iter()
            .any(|m| m.ty == EntityType::Loc && m.text == "Bergen"));
        assert!(m
            .iter()
            .any(|m| m.ty == EntityType::Org && m.text == "Quilt Bank"));
    }
}

#[cfg(test)]
mod driver {
    use super::*;
    use std::path::Path;

    /// Temporary training driver until the CLI lands: `NDX_DATA=../shared/data cargo test --release
    /// -- --ignored train_driver --nocapture`.
    #[test]
    #[ignore]
    fn train_driver() {
        let Ok(data) = std::env::var("NDX_DATA") else {
            return;
        };
        let data = Path::new(&data);
        let train_docs =
            crate::ner::conll::read_file(&data.join("conll2003/train.conll")).expect("train");
        let dev_docs =
            crate::ner::conll::read_file(&data.join("conll2003/dev.conll")).expect("dev");
        let gaz = std::env::var("NDX_GAZ").is_ok();
        let res = if gaz {
            crate::ner::resources::build(Some(&data.join("names")), Some(&data.join("geonames")))
                .expect("res")
        } else {
            Resources::default()
        };
        let mut res = res;
        if std::env::var("NDX_CLUSTERS").is_ok() {
            let mut corpus = crate::ner::clusters::Corpus::default();
            for p in [
                "reuters21578/articles.jsonl",
                "bbc",
                "conll2003/train.conll",
            ] {
                corpus.add_path(&data.join(p)).expect("corpus");
            }
            eprintln!("corpus {} tokens", corpus.tokens());
            let copts = crate::ner::clusters::ClusterOptions::default();
            res.clusters = crate::ner::clusters::learn(&corpus, &copts, &mut |s| eprintln!("{s}"));
        }
        let opts = TrainOptions::default();
        let (model, rep) = train(&train_docs, &dev_docs, res, &opts, &mut |s| {
            eprintln!("{s}")
        });
        eprintln!(
            "best epoch {} dev F1 {:.4}",
            rep.best_epoch, rep.best_dev_f1
        );
        for (i, c) in rep.dev_tally.by_type.iter().enumerate() {
            eprintln!("type {i}: {:?}", c.prf());
        }
        let bytes = model.to_bytes();
        eprintln!("model {} bytes, {} rows", bytes.len(), model.rows());
        let out = std::env::var("NDX_OUT").unwrap_or_else(|_| "/tmp/ner.bin".into());
        std::fs::write(&out, bytes).expect("write");
    }
}
