//! Training the tagger: a structured averaged perceptron over hashed features with Viterbi
//! decoding, trained on the train set only; the dev set only picks the epoch. Sentences are
//! shuffled with a fixed seed, so a run is reproducible.
//!
//! The committed `model/ner.bin` is reproduced with (from the repository root, the data sets in
//! `../shared/data`):
//!
//! ```text
//! D=../shared/data
//! cargo run --release -- train-ner \
//!     --train $D/conll2003/train.conll --dev $D/conll2003/dev.conll --out model/ner.bin \
//!     --names $D/names --geonames $D/geonames \
//!     --unlabeled $D/reuters21578/articles.jsonl $D/bbc $D/conll2003/train.conll
//! ```
//!
//! Only the public-domain US Census name lists (`names/us_census_1990`) and GeoNames (CC BY 4.0,
//! <https://www.geonames.org/>) go into the gazetteer flags stored in the model.

use super::conll::{spans_from_ids, tags_from_spans, Document, NUM_TAGS};
use super::eval::Tally;
use super::features::{
    caps_sentence, context_features, pad_features, stack_features, DocStats, Resources, StackStats,
    WordKey,
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
    /// Folds of the jackknifed first pass feeding the second (stacked) pass; below 2, one pass.
    pub folds: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 12,
            seed: 20030601,
            row_bits: 22,
            prune: 0.0,
            folds: 5,
        }
    }
}

/// One sentence with its features precomputed as weight rows.
#[derive(Clone)]
struct Prepared {
    /// Rows of all tokens, token `i` at `rows[starts[i]..starts[i + 1]]`.
    rows: Vec<u32>,
    starts: Vec<u32>,
    gold: Vec<u8>,
}

/// Prepared sentences of a corpus, with what the stacking features need.
struct PreparedCorpus {
    sents: Vec<Prepared>,
    /// Sentence index ranges of the documents.
    docs: Vec<std::ops::Range<usize>>,
    /// Word keys per sentence.
    keys: Vec<Vec<WordKey>>,
}

/// Turns documents into prepared sentences, caching each word type's feature rows.
fn prepare(docs: &[Document], res: &Resources, row_bits: u32) -> PreparedCorpus {
    let mask = (1u64 << row_bits) - 1;
    let mut cache: HashMap<String, (WordKey, [Vec<u32>; 5])> = HashMap::new();
    let pads: Vec<u32> = [-2i8, -1, 0, 1, 2]
        .iter()
        .map(|&o| (pad_features(o) & mask) as u32)
        .collect();
    let mut out = PreparedCorpus {
        sents: Vec::new(),
        docs: Vec::new(),
        keys: Vec::new(),
    };
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
        let first = out.sents.len();
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
            out.sents.push(p);
        }
        out.docs.push(first..out.sents.len());
        out.keys.extend(keys);
    }
    out
}

/// Second-pass sentences: the first-pass rows plus stacking features from `tags` (first-pass
/// predictions, one tag vector per sentence), for the documents in `docs` only.
fn add_stacking(c: &PreparedCorpus, tags: &[Vec<u8>], row_bits: u32) -> Vec<Prepared> {
    let mask = (1u64 << row_bits) - 1;
    let mut out = Vec::with_capacity(c.sents.len());
    let mut feats = Vec::new();
    for d in &c.docs {
        let st = StackStats::build(
            d.clone()
                .map(|si| (c.keys[si].as_slice(), tags[si].as_slice())),
        );
        for si in d.clone() {
            let p = &c.sents[si];
            let mut q = Prepared {
                rows: Vec::with_capacity(p.rows.len() + 8 * p.gold.len()),
                starts: vec![0],
                gold: p.gold.clone(),
            };
            for (i, win) in p.starts.windows(2).enumerate() {
                q.rows
                    .extend_from_slice(&p.rows[win[0] as usize..win[1] as usize]);
                feats.clear();
                stack_features(&c.keys[si], &tags[si], i, &st, &mut feats);
                q.rows.extend(feats.iter().map(|&x| (x & mask) as u32));
                q.starts.push(q.rows.len() as u32);
            }
            out.push(q);
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

/// Viterbi tags of prepared sentences under dense weights.
fn predict<'a>(
    data: impl Iterator<Item = &'a Prepared>,
    w: &[f32],
    trans: &Transitions,
) -> Vec<Vec<u8>> {
    let mut emit = Vec::new();
    data.map(|p| {
        let mut pred = Vec::new();
        emissions(p, w, &mut emit);
        viterbi(&emit, trans, &mut pred);
        pred
    })
    .collect()
}

/// Micro F1 and counts of predictions against the gold tags.
fn score(data: &[Prepared], pred: &[Vec<u8>]) -> (f64, Tally) {
    let mut tally = Tally::default();
    for (p, t) in data.iter().zip(pred) {
        tally.add_sentence(&spans_from_ids(&p.gold), &spans_from_ids(t));
    }
    (tally.micro().prf().f1, tally)
}

/// What training did, epoch by epoch.
#[derive(Debug, Clone)]
pub struct TrainReport {
    /// (pass, epoch, training mistakes in sentences, dev micro F1) per epoch of the final models.
    pub epochs: Vec<(usize, usize, usize, f64)>,
    /// Best epoch of each pass.
    pub best_epochs: Vec<usize>,
    /// Dev micro F1 of each pass at its best epoch.
    pub pass_f1: Vec<f64>,
    pub best_dev_f1: f64,
    pub dev_tally: Tally,
}

/// The result of one perceptron run.
struct Fit {
    avg: Vec<f32>,
    trans: Transitions,
    best_epoch: usize,
    best_f1: f64,
    tally: Tally,
}

/// Averaged structured perceptron. With `dev`, runs up to `epochs` epochs and keeps the epoch
/// with the best dev F1; without, keeps the last epoch.
fn perceptron(
    train: &[Prepared],
    dev: Option<&[Prepared]>,
    epochs: usize,
    opts: &TrainOptions,
    pass: usize,
    report: &mut Vec<(usize, usize, usize, f64)>,
    log: &mut dyn FnMut(&str),
) -> Fit {
    let t0 = std::time::Instant::now();
    let size = (1usize << opts.row_bits) * NUM_TAGS;
    let mut w = vec![0f32; size];
    let mut u = vec![0f32; size];
    let mut tw = [[0f32; NUM_TAGS]; NUM_TAGS + 1];
    let mut tu = [[0f32; NUM_TAGS]; NUM_TAGS + 1];
    let mut c: f32 = 1.0;
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = opts.seed | 1;
    let mut best: Option<Fit> = None;
    let mut emit = Vec::new();
    let mut pred = Vec::new();
    for epoch in 1..=epochs {
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
        let last = epoch == epochs || mistakes == 0;
        if dev.is_none() && !last {
            continue;
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
        let (f1, tally) = match dev {
            Some(dev) => score(dev, &predict(dev.iter(), &avg, &tavg)),
            None => (0.0, Tally::default()),
        };
        if dev.is_some() {
            log(&format!(
                "pass {pass} epoch {epoch}: {mistakes} of {} sentences wrong, dev F1 {f1:.4} ({:.1} s)",
                train.len(),
                t0.elapsed().as_secs_f64()
            ));
            report.push((pass, epoch, mistakes, f1));
        }
        if dev.is_none() || best.as_ref().is_none_or(|b| f1 > b.best_f1) {
            best = Some(Fit {
                avg,
                trans: tavg,
                best_epoch: epoch,
                best_f1: f1,
                tally,
            });
        }
        if last {
            break;
        }
    }
    best.unwrap_or(Fit {
        avg: vec![0f32; size],
        trans: [[0f32; NUM_TAGS]; NUM_TAGS + 1],
        best_epoch: 0,
        best_f1: 0.0,
        tally: Tally::default(),
    })
}

/// Trains a model. `log` receives progress lines.
///
/// Pass 1 is trained on the train set (epoch chosen on dev). With `opts.stack`, pass 2 adds
/// features from pass-1 tags of the same document; its training tags come from pass-1 models
/// trained on the other folds of the train set (jackknifing), so they are as noisy as at run time.
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
        train.sents.len(),
        dev.sents.len(),
        t0.elapsed().as_secs_f64()
    ));
    let mut epochs = Vec::new();
    let fit1 = perceptron(
        &train.sents,
        Some(&dev.sents),
        opts.epochs,
        opts,
        1,
        &mut epochs,
        log,
    );
    let mut report = TrainReport {
        epochs: Vec::new(),
        best_epochs: vec![fit1.best_epoch],
        pass_f1: vec![fit1.best_f1],
        best_dev_f1: fit1.best_f1,
        dev_tally: fit1.tally.clone(),
    };
    let mut passes = Vec::new();
    if opts.folds >= 2 && train.docs.len() >= opts.folds {
        // Jackknifed pass-1 tags of the train set.
        let mut tags: Vec<Vec<u8>> = vec![Vec::new(); train.sents.len()];
        for k in 0..opts.folds {
            let in_fold = |d: usize| d % opts.folds == k;
            let rest: Vec<Prepared> = train
                .docs
                .iter()
                .enumerate()
                .filter(|(d, _)| !in_fold(*d))
                .flat_map(|(_, r)| train.sents[r.clone()].iter().cloned())
                .collect();
            let fit = perceptron(&rest, None, fit1.best_epoch, opts, 1, &mut Vec::new(), log);
            for (_, r) in train.docs.iter().enumerate().filter(|(d, _)| in_fold(*d)) {
                let pred = predict(train.sents[r.clone()].iter(), &fit.avg, &fit.trans);
                for (si, p) in r.clone().zip(pred) {
                    tags[si] = p;
                }
            }
            log(&format!(
                "fold {} of {} tagged ({:.1} s)",
                k + 1,
                opts.folds,
                t0.elapsed().as_secs_f64()
            ));
        }
        let dev_tags = predict(dev.sents.iter(), &fit1.avg, &fit1.trans);
        let train2 = add_stacking(&train, &tags, opts.row_bits);
        let dev2 = add_stacking(&dev, &dev_tags, opts.row_bits);
        passes.push((fit1.avg, fit1.trans));
        let fit2 = perceptron(&train2, Some(&dev2), opts.epochs, opts, 2, &mut epochs, log);
        report.best_epochs.push(fit2.best_epoch);
        report.pass_f1.push(fit2.best_f1);
        report.best_dev_f1 = fit2.best_f1;
        report.dev_tally = fit2.tally.clone();
        passes.push((fit2.avg, fit2.trans));
    } else {
        passes.push((fit1.avg, fit1.trans));
    }
    report.epochs = epochs;
    let model = Model::from_dense(opts.row_bits, passes, resources, opts.prune);
    (model, report)
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
            let sents = d.token_sentences();
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
