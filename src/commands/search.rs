//! `newsdex search`: the best hits for a query and filters, with highlighted snippets and each
//! hit's people and places; `--facets` adds the top people and places among all matches.
//!
//! JSON Lines wire format (one object per hit, stable field names):
//! `rank` (1-based, after `--offset`), `id`, `score` (BM25; null when sorted by date), `title`,
//! `date` (RFC 3339 or null), `source`, `url`, `author`, `origins` (array of `path` or `path:line`),
//! `snippet` (plain text), `highlights` (byte ranges `[start, end)` into `snippet`), `people`,
//! `orgs` (arrays of names), `places` (array of `{name, country, country_code, region}`).
//! With `--facets`, a last line `{"facets": {"matching": N, "people": [...], "places": [...]}}`.

use crate::commands::facets::{count_facets, FacetValue};
use crate::index::{NewsIndex, StoredDoc};
use crate::present::{highlighted, json_line, sanitize, thousands, Style};
use crate::query::{self, EntityKind, Filters};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use tantivy::collector::{Count, TopDocs};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, TantivyDocument};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Relevance,
    Newest,
    Oldest,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub index: PathBuf,
    pub query: String,
    pub filters: Filters,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
    pub facets: bool,
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct PlaceOut {
    name: String,
    country: Option<String>,
    country_code: Option<String>,
    region: Option<String>,
}

#[derive(Debug, Serialize)]
struct Hit {
    rank: usize,
    id: String,
    score: Option<f32>,
    title: String,
    date: Option<String>,
    source: Option<String>,
    url: Option<String>,
    author: Option<String>,
    origins: Vec<String>,
    snippet: String,
    highlights: Vec<[usize; 2]>,
    people: Vec<String>,
    orgs: Vec<String>,
    places: Vec<PlaceOut>,
    /// Whether text was cut before and after the snippet (for display only).
    #[serde(skip)]
    snippet_cut: (bool, bool),
}

const SNIPPET_CHARS: usize = 220;

pub fn run(opts: Options) -> Result<ExitCode> {
    if opts.query.trim().is_empty() {
        return Err(query::QueryError::Malformed(
            "empty query: give words to search for, `*` to list every article, or a filter \
             (--person, --place, --org, --since, --until)"
                .to_string(),
        )
        .into());
    }
    let index = NewsIndex::open(&opts.index)?;
    let reader = index.index.reader()?;
    let searcher = reader.searcher();
    if searcher.num_docs() == 0 {
        // Like a search without hits (exit 1), with the way out.
        return Err(query::QueryError::NotFound(format!(
            "the index at {dir} holds no articles yet; run `newsdex ingest PATH --index {dir}` \
             to add some",
            dir = opts.index.display()
        ))
        .into());
    }
    let resolved = query::build(&index, &searcher, &opts.query, &opts.filters)?;
    let limit = opts.limit.max(1);
    let top = TopDocs::with_limit(limit).and_offset(opts.offset);
    let (hits, total): (Vec<(Option<f32>, DocAddress)>, usize) = match opts.sort {
        Sort::Relevance => {
            let (h, total) = searcher.search(&resolved.query, &(top.order_by_score(), Count))?;
            (h.into_iter().map(|(s, a)| (Some(s), a)).collect(), total)
        }
        Sort::Newest | Sort::Oldest => {
            let order = if opts.sort == Sort::Newest {
                Order::Desc
            } else {
                Order::Asc
            };
            let (h, total) = searcher.search(
                &resolved.query,
                &(
                    top.order_by_fast_field::<tantivy::DateTime>("date", order),
                    Count,
                ),
            )?;
            (h.into_iter().map(|(_, a)| (None, a)).collect(), total)
        }
    };

    let snippets = |field| -> Result<Option<SnippetGenerator>> {
        Ok(match &resolved.text_query {
            Some(q) => {
                let mut g = SnippetGenerator::create(&searcher, q.as_ref(), field)?;
                g.set_max_num_chars(SNIPPET_CHARS);
                Some(g)
            }
            None => None,
        })
    };
    let body_snippets = snippets(index.fields.body)?;
    let mut out_hits = Vec::with_capacity(hits.len());
    for (i, (score, address)) in hits.into_iter().enumerate() {
        let doc: TantivyDocument = searcher.doc(address)?;
        let stored = StoredDoc::from_doc(&doc, &index.fields)?;
        out_hits.push(make_hit(
            opts.offset + i + 1,
            score,
            stored,
            body_snippets.as_ref(),
        ));
    }

    let style = Style::detect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if opts.json {
        for hit in &out_hits {
            json_line(&mut out, hit)?;
        }
    } else {
        print_hits(
            &mut out,
            &style,
            &out_hits,
            total,
            &opts,
            &resolved.resolved,
        )?;
    }
    if opts.facets {
        let people = count_facets(
            &index,
            &searcher,
            resolved.query.as_ref(),
            EntityKind::Person,
            None,
            10,
        )?;
        let places = count_facets(
            &index,
            &searcher,
            resolved.query.as_ref(),
            EntityKind::Place,
            None,
            10,
        )?;
        if opts.json {
            json_line(
                &mut out,
                &serde_json::json!({"facets": {"matching": total, "people": people, "places": places}}),
            )?;
        } else {
            print_facet_block(&mut out, &style, "People", &people)?;
            print_facet_block(&mut out, &style, "Places", &places)?;
        }
    }
    out.flush()?;
    Ok(if total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn make_hit(
    rank: usize,
    score: Option<f32>,
    stored: StoredDoc,
    gen: Option<&SnippetGenerator>,
) -> Hit {
    let a = stored.article;
    let (snippet, highlights) = match gen.map(|g| g.snippet(&a.body)) {
        Some(s) if !s.fragment().is_empty() => (
            s.fragment().to_string(),
            s.highlighted().iter().map(|r| [r.start, r.end]).collect(),
        ),
        _ => (lead(&a.body, SNIPPET_CHARS), Vec::new()),
    };
    let snippet_cut = match a.body.find(&snippet) {
        Some(at) => (at > 0, at + snippet.len() < a.body.len()),
        None => (false, false),
    };
    Hit {
        rank,
        id: a.id,
        score,
        title: a.title,
        date: a
            .published
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        source: a.source,
        url: a.url,
        author: a.author,
        origins: a.origins.iter().map(|o| o.to_string()).collect(),
        snippet,
        highlights,
        people: stored.entities.people.into_iter().map(|p| p.name).collect(),
        orgs: stored.entities.orgs.into_iter().map(|o| o.name).collect(),
        snippet_cut,
        places: stored
            .entities
            .places
            .into_iter()
            .map(|p| PlaceOut {
                name: p.name,
                country: p.country,
                country_code: p.country_code,
                region: p.region,
            })
            .collect(),
    }
}

/// A path shown relative to the current folder when it lies within it.
fn relative(path: &str) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            std::path::Path::new(path)
                .strip_prefix(&cwd)
                .ok()
                .map(|p| p.display().to_string())
        })
        .unwrap_or_else(|| path.to_string())
}

/// The first `max` characters of a text, cut at a word boundary (the caller marks the cut).
fn lead(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(i) => cut[..i].to_string(),
        None => cut,
    }
}

fn print_hits<W: Write>(
    out: &mut W,
    style: &Style,
    hits: &[Hit],
    total: usize,
    opts: &Options,
    filters: &[query::ResolvedFilter],
) -> Result<()> {
    // What the entity filters matched: a partial name, or a name with its other spellings.
    let matched: Vec<String> = filters.iter().map(|f| sanitize(&f.to_string())).collect();
    let matched = if matched.is_empty() {
        String::new()
    } else {
        format!(" Filters: {}.", matched.join("; "))
    };
    if hits.is_empty() {
        if total > 0 {
            writeln!(
                out,
                "No hits past offset {} ({} matching articles).{matched}",
                opts.offset,
                thousands(total as u64)
            )?;
        } else {
            writeln!(out, "No matching articles.{matched}")?;
        }
        return Ok(());
    }
    for hit in hits {
        writeln!(out, "{}. {}", hit.rank, style.bold(&sanitize(&hit.title)))?;
        let mut meta = Vec::new();
        if let Some(d) = &hit.date {
            meta.push(d.get(..10).unwrap_or(d).to_string());
        }
        match (&hit.source, hit.origins.first()) {
            (Some(s), _) => meta.push(sanitize(s)),
            (None, Some(o)) => meta.push(sanitize(&relative(o))),
            _ => {}
        }
        if let Some(s) = hit.score {
            meta.push(format!("score {s:.2}"));
        }
        writeln!(out, "   {}", style.dim(&meta.join(" · ")))?;
        let ranges: Vec<std::ops::Range<usize>> =
            hit.highlights.iter().map(|r| r[0]..r[1]).collect();
        writeln!(
            out,
            "   {}{}{}",
            if hit.snippet_cut.0 { "…" } else { "" },
            highlighted(style, &hit.snippet, &ranges),
            if hit.snippet_cut.1 { "…" } else { "" }
        )?;
        let mut ents = Vec::new();
        if !hit.people.is_empty() {
            ents.push(format!("people: {}", sanitize(&hit.people.join(", "))));
        }
        if !hit.places.is_empty() {
            let names: Vec<String> = hit
                .places
                .iter()
                .map(|p| match &p.country {
                    Some(c) if *c != p.name => format!("{} ({c})", p.name),
                    _ => p.name.clone(),
                })
                .collect();
            ents.push(format!("places: {}", sanitize(&names.join(", "))));
        }
        if !ents.is_empty() {
            writeln!(out, "   {}", style.dim(&ents.join(" · ")))?;
        }
        writeln!(out)?;
    }
    let last = hits.last().map(|h| h.rank).unwrap_or(0);
    writeln!(
        out,
        "{}",
        style.dim(&format!(
            "Showing {}-{} of {} matching articles.{matched}",
            opts.offset + 1,
            last,
            thousands(total as u64)
        ))
    )?;
    Ok(())
}

fn print_facet_block<W: Write>(
    out: &mut W,
    style: &Style,
    title: &str,
    values: &[FacetValue],
) -> Result<()> {
    writeln!(out, "\n{}", style.bold(title))?;
    if values.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for v in values {
        writeln!(out, "  {:>6}  {}", thousands(v.count), sanitize(&v.name))?;
    }
    Ok(())
}
