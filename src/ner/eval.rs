//! conlleval-compatible scoring of predicted against gold mentions: exact-span matches counted per
//! type, with precision, recall and F1 per type, micro-averaged over the four types and over
//! PER+LOC. The JSON form of [`Scores`] is the wire format of `eval-ner --json`.

use super::conll::{type_index, Span, TYPES};
use serde::Serialize;

/// Mention counts for one type (or a group of types).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub gold: u64,
    pub predicted: u64,
    pub correct: u64,
}

/// Precision, recall and F1 with the counts they come from.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub gold: u64,
    pub predicted: u64,
    pub correct: u64,
}

impl Counts {
    pub fn add(&mut self, o: &Counts) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.correct += o.correct;
    }

    /// Scores as conlleval computes them (0 when a denominator is 0).
    pub fn prf(&self) -> Prf {
        let p = if self.predicted == 0 {
            0.0
        } else {
            self.correct as f64 / self.predicted as f64
        };
        let r = if self.gold == 0 {
            0.0
        } else {
            self.correct as f64 / self.gold as f64
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        Prf {
            precision: p,
            recall: r,
            f1: f,
            gold: self.gold,
            predicted: self.predicted,
            correct: self.correct,
        }
    }
}

/// Counts per type, in [`TYPES`] order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub by_type: [Counts; 4],
}

impl Tally {
    /// Adds one sentence: a predicted mention is correct when a gold one has the same span and type.
    pub fn add_sentence(&mut self, gold: &[Span], predicted: &[Span]) {
        for g in gold {
            self.by_type[type_index(g.ty)].gold += 1;
        }
        for p in predicted {
            let c = &mut self.by_type[type_index(p.ty)];
            c.predicted += 1;
            if gold.contains(p) {
                c.correct += 1;
            }
        }
    }

    /// Micro-average over all four types.
    pub fn micro(&self) -> Counts {
        let mut c = Counts::default();
        for t in &self.by_type {
            c.add(t);
        }
        c
    }

    /// Micro-average over PER and LOC.
    pub fn per_loc(&self) -> Counts {
        let mut c = self.by_type[0];
        c.add(&self.by_type[1]);
        c
    }
}

/// Per-type scores keyed by CoNLL type name.
#[derive(Debug, Clone, Serialize)]
pub struct TypeScores {
    #[serde(rename = "PER")]
    pub per: Prf,
    #[serde(rename = "LOC")]
    pub loc: Prf,
    #[serde(rename = "ORG")]
    pub org: Prf,
    #[serde(rename = "MISC")]
    pub misc: Prf,
}

/// The full report of an evaluation run (the `eval-ner --json` wire format).
#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    pub file: String,
    pub documents: usize,
    pub sentences: usize,
    pub tokens: usize,
    pub seconds: f64,
    pub tokens_per_second: f64,
    pub types: TypeScores,
    pub micro: Prf,
    pub per_loc: Prf,
}

impl Scores {
    pub fn new(
        file: String,
        documents: usize,
        sentences: usize,
        tokens: usize,
        seconds: f64,
        tally: &Tally,
    ) -> Scores {
        let t = &tally.by_type;
        Scores {
            file,
            documents,
            sentences,
            tokens,
            seconds,
            tokens_per_second: if seconds > 0.0 {
                tokens as f64 / seconds
            } else {
                0.0
            },
            types: TypeScores {
                per: t[0].prf(),
                loc: t[1].prf(),
                org: t[2].prf(),
                misc: t[3].prf(),
            },
            micro: tally.micro().prf(),
            per_loc: tally.per_loc().prf(),
        }
    }

    /// A conlleval-like text table.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "{}: {} documents, {} sentences, {} tokens, {:.2} s ({:.0} tokens/s)\n",
            self.file,
            self.documents,
            self.sentences,
            self.tokens,
            self.seconds,
            self.tokens_per_second
        );
        let row = |name: &str, p: &Prf| {
            format!(
                "{:>8}: precision {:6.2}%  recall {:6.2}%  F1 {:6.2}   (gold {}, predicted {}, correct {})\n",
                name,
                100.0 * p.precision,
                100.0 * p.recall,
                100.0 * p.f1,
                p.gold,
                p.predicted,
                p.correct
            )
        };
        s.push_str(&row("all", &self.micro));
        s.push_str(&row("PER+LOC", &self.per_loc));
        for (ty, p) in TYPES.iter().zip([
            &self.types.per,
            &self.types.loc,
            &self.types.org,
            &self.types.misc,
        ]) {
            s.push_str(&row(super::conll::type_name(*ty), p));
        }
        s
    }
}

/// Tags the gold tokens of a CoNLL file document by document and scores the result. The
/// seconds and throughput cover tagging only (not reading the file).
pub fn evaluate_file(tagger: &super::Tagger, path: &std::path::Path) -> anyhow::Result<Scores> {
    let docs = super::conll::read_file(path)?;
    if docs.is_empty() {
        anyhow::bail!(
            "{}: no tokens found (expected CoNLL lines `token ... TAG`)",
            path.display()
        );
    }
    let mut tally = Tally::default();
    let (mut sentences, mut tokens) = (0, 0);
    let mut seconds = 0.0;
    for d in &docs {
        let sents = d.token_sentences();
        let t0 = std::time::Instant::now();
        let tags = tagger.tag_tokens(&sents);
        seconds += t0.elapsed().as_secs_f64();
        for (s, t) in d.sentences.iter().zip(&tags) {
            tally.add_sentence(&s.spans, &super::conll::spans_from_ids(t));
            sentences += 1;
            tokens += s.tokens.len();
        }
    }
    Ok(Scores::new(
        path.display().to_string(),
        docs.len(),
        sentences,
        tokens,
        seconds,
        &tally,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::conll::{parse_tag, spans_from_tags};
    use super::*;

    fn spans(s: &str) -> Vec<Span> {
        let t: Vec<_> = s
            .split_whitespace()
            .map(|t| parse_tag(t).expect("tag"))
            .collect();
        spans_from_tags(&t)
    }

    #[test]
    fn counts_exact_matches_iob1_gold_iob2_prediction() {
        let mut tally = Tally::default();
        // Gold in IOB1 (B- only between same-type neighbours), prediction in IOB2.
        let gold = spans("I-PER I-PER O I-LOC B-LOC O I-ORG I-ORG");
        let pred = spans("B-PER I-PER O B-LOC I-LOC O B-ORG B-ORG");
        tally.add_sentence(&gold, &pred);
        assert_eq!(
            tally.by_type[0],
            Counts {
                gold: 1,
                predicted: 1,
                correct: 1
            }
        );
        assert_eq!(
            tally.by_type[1],
            Counts {
                gold: 2,
                predicted: 1,
                correct: 0
            }
        );
        assert_eq!(
            tally.by_type[2],
            Counts {
                gold: 1,
                predicted: 2,
                correct: 0
            }
        );
        let micro = tally.micro().prf();
        assert_eq!((micro.gold, micro.predicted, micro.correct), (4, 4, 1));
        assert!((micro.f1 - 0.25).abs() < 1e-12);
        let pl = tally.per_loc().prf();
        assert!((pl.precision - 0.5).abs() < 1e-12 && (pl.recall - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn evaluates_a_file_and_reports_the_json_fields() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("tiny.conll");
        let text = "-DOCSTART- -X- -X- O\n\nMaria NNP I-NP B-PER\nLopez NNP I-NP I-PER\n\
                    visited VBD I-VP O\nGeneva NNP I-NP B-LOC\n. . O O\n";
        std::fs::write(&path, text).expect("write");
        let s = evaluate_file(crate::ner::Tagger::embedded(), &path).expect("evaluate");
        assert_eq!((s.documents, s.sentences, s.tokens), (1, 1, 5));
        assert_eq!(s.micro.gold, 2);
        let v: serde_json::Value = serde_json::to_value(&s).expect("json");
        for k in [
            "file",
            "documents",
            "sentences",
            "tokens",
            "seconds",
            "tokens_per_second",
        ] {
            assert!(v.get(k).is_some(), "missing {k}");
        }
        for group in [
            &v["types"]["PER"],
            &v["types"]["LOC"],
            &v["types"]["ORG"],
            &v["types"]["MISC"],
            &v["micro"],
            &v["per_loc"],
        ] {
            for k in ["precision", "recall", "f1", "gold", "predicted", "correct"] {
                assert!(group.get(k).is_some(), "missing {k}");
            }
        }
        std::fs::write(&path, "").expect("write");
        assert!(evaluate_file(crate::ner::Tagger::embedded(), &path).is_err());
    }

    #[test]
    fn type_change_and_stray_inside_tags() {
        let mut tally = Tally::default();
        // I-MISC right after I-PER is a new mention; I-LOC after O starts one.
        tally.add_sentence(
            &spans("I-PER I-MISC O I-LOC"),
            &spans("I-PER I-PER O I-LOC"),
        );
        assert_eq!(
            tally.by_type[0],
            Counts {
                gold: 1,
                predicted: 1,
                correct: 0
            }
        );
        assert_eq!(
            tally.by_type[3],
            Counts {
                gold: 1,
                predicted: 0,
                correct: 0
            }
        );
        assert_eq!(
            tally.by_type[1],
            Counts {
                gold: 1,
                predicted: 1,
                correct: 1
            }
        );
        assert_eq!(tally.by_type[3].prf().f1, 0.0);
    }
}
