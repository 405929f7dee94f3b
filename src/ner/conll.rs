//! CoNLL-2003 files: reading documents (split at `-DOCSTART-`), sentences and NER tags in IOB1 or
//! IOB2, and turning tag sequences into typed spans and back into the tagger's BIO tag ids.

use super::EntityType;
use anyhow::{bail, Context, Result};
use std::path::Path;

/// A sentence of a CoNLL file: tokens and their gold spans.
#[derive(Debug, Clone, Default)]
pub struct Sentence {
    pub tokens: Vec<String>,
    /// Gold mentions as token ranges `(start, end, type)`, end exclusive.
    pub spans: Vec<Span>,
    /// 1-based line of the first token.
    pub line: usize,
}

/// A document: the sentences between two `-DOCSTART-` lines.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub sentences: Vec<Sentence>,
}

impl Document {
    /// The document's sentences as token slices, the shape the tagger takes.
    pub fn token_sentences(&self) -> Vec<Vec<&str>> {
        self.sentences
            .iter()
            .map(|s| s.tokens.iter().map(String::as_str).collect())
            .collect()
    }
}

/// A typed token span, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub ty: EntityType,
}

/// Number of BIO tags: O, then B-/I- for PER, LOC, ORG, MISC.
pub const NUM_TAGS: usize = 9;

/// All entity types in tag order.
pub const TYPES: [EntityType; 4] = [
    EntityType::Per,
    EntityType::Loc,
    EntityType::Org,
    EntityType::Misc,
];

/// Index of a type in [`TYPES`].
pub fn type_index(ty: EntityType) -> usize {
    match ty {
        EntityType::Per => 0,
        EntityType::Loc => 1,
        EntityType::Org => 2,
        EntityType::Misc => 3,
    }
}

/// CoNLL name of a type.
pub fn type_name(ty: EntityType) -> &'static str {
    match ty {
        EntityType::Per => "PER",
        EntityType::Loc => "LOC",
        EntityType::Org => "ORG",
        EntityType::Misc => "MISC",
    }
}

fn parse_type(s: &str) -> Option<EntityType> {
    Some(match s {
        "PER" => EntityType::Per,
        "LOC" => EntityType::Loc,
        "ORG" => EntityType::Org,
        "MISC" => EntityType::Misc,
        _ => return None,
    })
}

/// BIO tag id of the beginning of a type.
pub fn begin_tag(ty: EntityType) -> u8 {
    1 + 2 * type_index(ty) as u8
}

/// The type of a tag id (None for O), and whether it is an inside tag.
pub fn tag_parts(tag: u8) -> Option<(EntityType, bool)> {
    if tag == 0 || tag as usize >= NUM_TAGS {
        return None;
    }
    let t = (tag - 1) / 2;
    Some((TYPES[t as usize], (tag - 1) % 2 == 1))
}

/// A raw NER tag as read: O, or B-/I- with a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawTag {
    O,
    B(EntityType),
    I(EntityType),
}

/// Parses `O`, `B-XXX`, `I-XXX`.
pub fn parse_tag(s: &str) -> Option<RawTag> {
    if s == "O" {
        return Some(RawTag::O);
    }
    let (prefix, ty) = s.split_once('-')?;
    let ty = parse_type(ty)?;
    match prefix {
        "B" => Some(RawTag::B(ty)),
        "I" => Some(RawTag::I(ty)),
        _ => None,
    }
}

/// Mentions of a tag sequence, read the conlleval way so IOB1 and IOB2 both work: a mention starts
/// at every `B-` and at every `I-` that follows `O` or a tag of another type.
pub fn spans_from_tags(tags: &[RawTag]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, EntityType)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let (starts, ty) = match t {
            RawTag::O => (false, None),
            RawTag::B(ty) => (true, Some(ty)),
            RawTag::I(ty) => (cur.map(|(_, c)| c) != Some(ty), Some(ty)),
        };
        if starts || ty.is_none() {
            if let Some((s, cty)) = cur.take() {
                out.push(Span {
                    start: s,
                    end: i,
                    ty: cty,
                });
            }
        }
        if starts {
            cur = ty.map(|ty| (i, ty));
        }
    }
    if let Some((s, ty)) = cur {
        out.push(Span {
            start: s,
            end: tags.len(),
            ty,
        });
    }
    out
}

/// BIO tag ids (IOB2) for `len` tokens with the given spans.
pub fn tags_from_spans(len: usize, spans: &[Span]) -> Vec<u8> {
    let mut tags = vec![0u8; len];
    for s in spans {
        let b = begin_tag(s.ty);
        for (k, t) in tags[s.start..s.end].iter_mut().enumerate() {
            *t = if k == 0 { b } else { b + 1 };
        }
    }
    tags
}

/// Spans of a BIO tag-id sequence (an `I-` without a matching start begins a mention).
pub fn spans_from_ids(tags: &[u8]) -> Vec<Span> {
    let raw: Vec<RawTag> = tags
        .iter()
        .map(|&t| match tag_parts(t) {
            None => RawTag::O,
            Some((ty, false)) => RawTag::B(ty),
            Some((ty, true)) => RawTag::I(ty),
        })
        .collect();
    spans_from_tags(&raw)
}

/// Reads a CoNLL file (token first column, NER tag last column).
pub fn read_file(path: &Path) -> Result<Vec<Document>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read CoNLL file {}", path.display()))?;
    parse(&text, &path.display().to_string())
}

/// Parses CoNLL text; `name` is used in error messages.
pub fn parse(text: &str, name: &str) -> Result<Vec<Document>> {
    let mut docs: Vec<Document> = Vec::new();
    let mut doc = Document::default();
    let mut tokens: Vec<String> = Vec::new();
    let mut tags: Vec<RawTag> = Vec::new();
    let mut first_line = 0;
    let flush =
        |doc: &mut Document, tokens: &mut Vec<String>, tags: &mut Vec<RawTag>, line: usize| {
            if !tokens.is_empty() {
                doc.sentences.push(Sentence {
                    spans: spans_from_tags(tags),
                    tokens: std::mem::take(tokens),
                    line,
                });
                tags.clear();
            }
        };
    for (n, line) in text.lines().enumerate() {
        let lineno = n + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            flush(&mut doc, &mut tokens, &mut tags, first_line);
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols[0] == "-DOCSTART-" {
            flush(&mut doc, &mut tokens, &mut tags, first_line);
            if !doc.sentences.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        if cols.len() < 2 {
            bail!("{name}:{lineno}: expected `token ... TAG`, found {line:?}");
        }
        let tag_str = cols[cols.len() - 1];
        let tag = parse_tag(tag_str)
            .with_context(|| format!("{name}:{lineno}: unknown NER tag {tag_str:?}"))?;
        if tokens.is_empty() {
            first_line = lineno;
        }
        tokens.push(cols[0].to_string());
        tags.push(tag);
    }
    flush(&mut doc, &mut tokens, &mut tags, first_line);
    if !doc.sentences.is_empty() {
        docs.push(doc);
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityType::*;

    fn sp(start: usize, end: usize, ty: EntityType) -> Span {
        Span { start, end, ty }
    }

    fn tags(s: &str) -> Vec<RawTag> {
        s.split_whitespace()
            .map(|t| parse_tag(t).expect("tag"))
            .collect()
    }

    #[test]
    fn iob1_and_iob2_read_alike() {
        let iob1 = tags("I-PER I-PER O I-LOC B-LOC I-LOC");
        let iob2 = tags("B-PER I-PER O B-LOC B-LOC I-LOC");
        let want = vec![sp(0, 2, Per), sp(3, 4, Loc), sp(4, 6, Loc)];
        assert_eq!(spans_from_tags(&iob1), want);
        assert_eq!(spans_from_tags(&iob2), want);
    }

    #[test]
    fn edge_cases() {
        // I- after O starts a mention; a type change starts a mention; B- after I- of same type.
        assert_eq!(
            spans_from_tags(&tags("O I-ORG I-MISC I-MISC B-MISC")),
            vec![sp(1, 2, Org), sp(2, 4, Misc), sp(4, 5, Misc)]
        );
        // A mention running to the end of the sentence.
        assert_eq!(spans_from_tags(&tags("O O B-PER")), vec![sp(2, 3, Per)]);
        // Round trip through tag ids.
        let spans = vec![sp(0, 1, Loc), sp(1, 3, Loc), sp(4, 5, Misc)];
        let ids = tags_from_spans(5, &spans);
        assert_eq!(ids, vec![3, 3, 4, 0, 7]);
        assert_eq!(spans_from_ids(&ids), spans);
    }

    #[test]
    fn parses_documents_and_reports_bad_lines() {
        let text = "-DOCSTART- -X- -X- O\n\nAnna NNP I-NP I-PER\nsang VBD I-VP O\n\n\
                    Oslo NNP I-NP I-LOC\n\n-DOCSTART- -X- -X- O\n\nYes UH O O\n";
        let docs = parse(text, "t.conll").expect("parse");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].sentences[0].spans, vec![sp(0, 1, Per)]);
        assert_eq!(docs[0].sentences[1].line, 6);
        let err = parse("Anna NNP I-NP I-XYZ\n", "bad.conll").expect_err("bad tag");
        assert!(format!("{err:#}").contains("bad.conll:1"));
    }
}
