//! `newsdex stats`: what the index holds: documents, size on disk, segments, date range, sources
//! and top entities.

use crate::commands::facets::{count_facets, FacetValue};
use crate::index::{CommitInfo, NewsIndex};
use crate::present::{json_line, sanitize, thousands, Style};
use crate::query::EntityKind;
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use tantivy::collector::{FacetCollector, TopDocs};
use tantivy::query::AllQuery;
use tantivy::schema::Facet;
use tantivy::Order;

#[derive(Serialize)]
struct Stats {
    index: String,
    documents: u64,
    size_bytes: u64,
    segments: usize,
    first_date: Option<String>,
    last_date: Option<String>,
    undated: u64,
    sources: Vec<FacetValue>,
    people: Vec<FacetValue>,
    places: Vec<FacetValue>,
    orgs: Vec<FacetValue>,
    /// The progress the last ingest recorded in the last commit (absent for an index that no
    /// ingest has committed to).
    last_commit: Option<CommitInfo>,
}

pub fn run(dir: &Path, top: usize, json: bool) -> Result<ExitCode> {
    let index = NewsIndex::open(dir)?;
    let reader = index.index.reader()?;
    let searcher = reader.searcher();
    let date_at = |order: Order| -> Result<Option<String>> {
        let hits = searcher.search(
            &AllQuery,
            &TopDocs::with_limit(1).order_by_fast_field::<tantivy::DateTime>("date", order),
        )?;
        Ok(hits.into_iter().find_map(|(d, _)| d).map(|d| {
            chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        }))
    };
    let mut dated = FacetCollector::for_field("date_facet");
    dated.add_facet(Facet::root());
    let dated_docs: u64 = searcher
        .search(&AllQuery, &dated)?
        .get(Facet::root())
        .map(|(_, c)| c)
        .sum();
    let mut sources = FacetCollector::for_field("source_facet");
    sources.add_facet(Facet::root());
    let source_counts = searcher.search(&AllQuery, &sources)?;
    let mut source_values: Vec<FacetValue> = source_counts
        .get(Facet::root())
        .map(|(f, count)| FacetValue {
            name: f.to_path().join("/"),
            path: f.to_path().iter().map(|s| s.to_string()).collect(),
            count,
            archive_count: None,
            score: None,
            also: Vec::new(),
        })
        .collect();
    source_values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    source_values.truncate(top);
    let stats = Stats {
        index: dir.display().to_string(),
        documents: searcher.num_docs(),
        size_bytes: dir_size(dir),
        segments: searcher.segment_readers().len(),
        first_date: date_at(Order::Asc)?,
        last_date: date_at(Order::Desc)?,
        undated: searcher.num_docs().saturating_sub(dated_docs),
        sources: source_values,
        people: count_facets(&index, &searcher, &AllQuery, EntityKind::Person, None, top)?,
        places: count_facets(&index, &searcher, &AllQuery, EntityKind::Place, None, top)?,
        orgs: count_facets(&index, &searcher, &AllQuery, EntityKind::Org, None, top)?,
        last_commit: index.last_commit()?,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        json_line(&mut out, &stats)?;
        return Ok(ExitCode::SUCCESS);
    }
    let style = Style::detect();
    writeln!(out, "{} {}", style.bold("Index"), stats.index)?;
    writeln!(out, "  documents  {}", thousands(stats.documents))?;
    writeln!(out, "  size       {:.1} MB", stats.size_bytes as f64 / 1e6)?;
    writeln!(out, "  segments   {}", stats.segments)?;
    match (&stats.first_date, &stats.last_date) {
        (Some(a), Some(b)) => writeln!(
            out,
            "  dates      {a} to {b} ({} undated)",
            thousands(stats.undated)
        )?,
        _ => writeln!(out, "  dates      none")?,
    }
    if let Some(c) = &stats.last_commit {
        let state = if c.complete {
            "the ingest run completed".to_string()
        } else {
            format!(
                "the ingest run had not finished ({} of {} inputs done); run the same ingest \
                 again to complete it",
                thousands(c.inputs_done),
                thousands(c.inputs_total)
            )
        };
        writeln!(
            out,
            "  committed  {} ({} articles of the run applied); {state}",
            sanitize(&c.committed_at),
            thousands(c.articles_applied)
        )?;
    }
    for (title, list) in [
        ("Sources", &stats.sources),
        ("People", &stats.people),
        ("Places (by country)", &stats.places),
        ("Organizations", &stats.orgs),
    ] {
        writeln!(out, "{}", style.bold(title))?;
        if list.is_empty() {
            writeln!(out, "  (none)")?;
        }
        for v in list.iter() {
            writeln!(out, "  {:>6}  {}", thousands(v.count), v.shown(&style))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
