//! Query building: the user's query string plus entity and date filters → one tantivy query.
//!
//! Entity names resolve against the facet values actually in the index: case- and
//! accent-insensitively, a unique partial name resolves ("haftar" → "Khalifa Haftar"), an
//! ambiguous one is an error listing the candidates. A person's bare surname and the one full
//! name it stands for filter together, and so do a firm's name with and without its designators
//! (see [`aliases`]: the lists of `facets` count them as one too). A country filter matches every
//! place within it, since places are facets under their country.

use crate::index::{Fields, NewsIndex};
use anyhow::Result;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::HashSet;
use std::fmt;
use std::ops::Bound;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::{Searcher, Term};

/// The byte between levels of a facet's encoded form (tantivy's `FACET_SEP_BYTE`).
const FACET_SEP_BYTE: u8 = 0;

/// Errors a caller branches on: they are the user's to fix, not the program's.
#[derive(Debug)]
pub enum QueryError {
    /// The query string does not parse.
    Malformed(String),
    /// A filter value matches several entities.
    Ambiguous(String),
    /// A filter value matches nothing in the index.
    NotFound(String),
    /// A flag value is not valid (e.g. a date).
    BadValue(String),
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Malformed(m)
            | QueryError::Ambiguous(m)
            | QueryError::NotFound(m)
            | QueryError::BadValue(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for QueryError {}

/// The three entity kinds that are facets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityKind {
    Person,
    Place,
    Org,
}

impl EntityKind {
    pub fn facet_field(self, fields: &Fields) -> Field {
        match self {
            EntityKind::Person => fields.person_facet,
            EntityKind::Place => fields.place_facet,
            EntityKind::Org => fields.org_facet,
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Org => "organization",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            EntityKind::Person => "people",
            EntityKind::Place => "places",
            EntityKind::Org => "orgs",
        }
    }
}

/// Filters as given by the user.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub people: Vec<String>,
    pub places: Vec<String>,
    pub orgs: Vec<String>,
    pub since: Option<String>,
    pub until: Option<String>,
}

/// A parsed, resolved search request.
pub struct Resolved {
    pub query: Box<dyn Query>,
    /// The text part alone (for snippets); `None` when the query is match-all.
    pub text_query: Option<Box<dyn Query>>,
    /// What each entity filter resolved to, for display.
    pub resolved: Vec<ResolvedFilter>,
}

/// An entity filter as resolved: the value the user's name picked, and the values of the same
/// entity it also matches ("Reagan" with "Ronald Reagan", "Chrysler" with "Chrysler Corp").
pub struct ResolvedFilter {
    pub kind: EntityKind,
    pub facet: Facet,
    pub also: Vec<Facet>,
}

impl fmt::Display for ResolvedFilter {
    /// "person Reagan (with Ronald Reagan)", "place Tripoli (Libya)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.noun(), display_facet(&self.facet))?;
        if !self.also.is_empty() {
            let also: Vec<String> = self.also.iter().map(display_facet).collect();
            write!(f, " (with {})", also.join(", "))?;
        }
        Ok(())
    }
}

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 10_000;
/// Deepest nesting of parentheses, brackets and braces accepted in a query (the parser recurses).
pub const MAX_QUERY_DEPTH: usize = 32;

/// Refuses queries the parser should not be given: too long, or nested too deeply.
fn check_size(query: &str) -> Result<(), QueryError> {
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(QueryError::Malformed(format!(
            "the query is {chars} characters long; at most {MAX_QUERY_CHARS} are allowed: \
             shorten it, or use --person, --place, --org, --since and --until for filters"
        )));
    }
    // Counted inside phrases too: cheap, and never lets a deep nesting through.
    let (mut depth, mut deepest) = (0usize, 0usize);
    for c in query.chars() {
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest > MAX_QUERY_DEPTH {
        return Err(QueryError::Malformed(format!(
            "the query nests parentheses {deepest} deep; at most {MAX_QUERY_DEPTH} levels are \
             allowed"
        )));
    }
    Ok(())
}

/// Builds the query for `query` (tantivy syntax; empty or `*` = every article) and `filters`.
pub fn build(
    index: &NewsIndex,
    searcher: &Searcher,
    query: &str,
    filters: &Filters,
) -> Result<Resolved> {
    let f = &index.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let trimmed = query.trim();
    check_size(trimmed)?;
    let text_query = if trimmed.is_empty() || trimmed == "*" {
        None
    } else {
        let text = normalize_dates(trimmed);
        let mut fields = vec![f.title, f.body];
        if index.has_captions(searcher)? {
            fields.push(f.caption);
        }
        let mut parser = QueryParser::for_index(&index.index, fields);
        parser.set_conjunction_by_default();
        if !names_only_title(&text) {
            parser.set_field_boost(f.title, 2.0);
        }
        let parsed = parser
            .parse_query(&text)
            .map_err(|e| QueryError::Malformed(describe_parse_error(trimmed, &e)))?;
        Some(parsed)
    };
    if let Some(q) = &text_query {
        clauses.push((Occur::Must, q.box_clone()));
    }
    let mut resolved = Vec::new();
    for (kind, names) in [
        (EntityKind::Person, &filters.people),
        (EntityKind::Place, &filters.places),
        (EntityKind::Org, &filters.orgs),
    ] {
        let cached = if names.is_empty() || kind == EntityKind::Place {
            Some(Aliases::new())
        } else {
            crate::index::values::read_aliases(index, searcher, kind)
        };
        for name in names {
            let facet = resolve_entity(index, searcher, kind, name)?;
            let partners = match &cached {
                Some(aliases) => merged_with(&facet, aliases),
                None => merged_with(&facet, &aliases_near(index, searcher, kind, &facet)?),
            };
            let term = |facet: &Facet| -> Box<dyn Query> {
                let term = Term::from_facet(kind.facet_field(f), facet);
                Box::new(TermQuery::new(term, IndexRecordOption::Basic))
            };
            let clause = if partners.is_empty() {
                term(&facet)
            } else {
                let either = std::iter::once(&facet).chain(&partners);
                Box::new(BooleanQuery::new(
                    either.map(|f| (Occur::Should, term(f))).collect(),
                ))
            };
            clauses.push((Occur::Must, clause));
            resolved.push(ResolvedFilter {
                kind,
                facet,
                also: partners,
            });
        }
    }
    if filters.since.is_some() || filters.until.is_some() {
        let lower = match &filters.since {
            Some(s) => Bound::Included(date_term(f.date, parse_date_bound(s, false)?)),
            None => Bound::Unbounded,
        };
        let upper = match &filters.until {
            Some(s) => Bound::Included(date_term(f.date, parse_date_bound(s, true)?)),
            None => Bound::Unbounded,
        };
        clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
    }
    let query: Box<dyn Query> = match clauses.len() {
        0 => Box::new(AllQuery),
        1 => clauses
            .pop()
            .map(|(_, q)| q)
            .unwrap_or_else(|| Box::new(AllQuery)),
        _ => Box::new(BooleanQuery::new(clauses)),
    };
    Ok(Resolved {
        query,
        text_query,
        resolved,
    })
}

/// Whether every part of a query names the title field (`title:trade`, `title:"oil price"`):
/// then the title's boost, which ranks title matches above body matches, would only scale every
/// score alike, and it costs a wrapper around each scorer that tantivy cannot see through (a
/// title-only query on 320,000 articles took twice as long with it).
fn names_only_title(query: &str) -> bool {
    use tantivy::query_grammar::{UserInputAst, UserInputLeaf};
    fn only_title(ast: &UserInputAst) -> bool {
        let title = |f: Option<&str>| f == Some("title");
        match ast {
            UserInputAst::Clause(clauses) => clauses.iter().all(|(_, a)| only_title(a)),
            UserInputAst::Boost(a, _) => only_title(a),
            UserInputAst::Leaf(leaf) => match leaf.as_ref() {
                UserInputLeaf::Literal(l) => title(l.field_name.as_deref()),
                UserInputLeaf::All => true,
                UserInputLeaf::Range { field, .. }
                | UserInputLeaf::Set { field, .. }
                | UserInputLeaf::Regex { field, .. } => title(field.as_deref()),
                UserInputLeaf::Exists { field } => title(Some(field)),
            },
        }
    }
    // Most queries do not name the field at all: they are not parsed twice.
    query.contains("title:")
        && tantivy::query_grammar::parse_query(query).is_ok_and(|ast| only_title(&ast))
}

fn date_term(field: Field, dt: NaiveDateTime) -> Term {
    Term::from_field_date_for_search(
        field,
        tantivy::DateTime::from_timestamp_secs(dt.and_utc().timestamp()),
    )
}

/// `2024`, `2024-03` or `2024-03-15` (or a full RFC 3339 time) → the first or last second it covers.
pub fn parse_date_bound(s: &str, end: bool) -> Result<NaiveDateTime, QueryError> {
    let bad = || {
        QueryError::BadValue(format!(
            "invalid date '{s}': use YYYY, YYYY-MM or YYYY-MM-DD"
        ))
    };
    let s = s.trim();
    let dt = parse_date_bound_unchecked(s, end).ok_or_else(bad)?;
    if !crate::normalize::storable(&dt.and_utc()) {
        return Err(QueryError::BadValue(format!(
            "date '{s}' is out of range: use a year from 1678 to 2261"
        )));
    }
    Ok(dt)
}

fn parse_date_bound_unchecked(s: &str, end: bool) -> Option<NaiveDateTime> {
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(dt.naive_utc());
    }
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str| p.parse::<u32>().ok();
    let (y, m, d) = match parts.as_slice() {
        [y] if y.len() == 4 => (num(y)? as i32, None, None),
        [y, m] if y.len() == 4 => (num(y)? as i32, Some(num(m)?), None),
        [y, m, d] if y.len() == 4 => (num(y)? as i32, Some(num(m)?), Some(num(d)?)),
        _ => return None,
    };
    let start_m = m.unwrap_or(if end { 12 } else { 1 });
    let date = match d {
        Some(d) => NaiveDate::from_ymd_opt(y, start_m, d),
        None if end => NaiveDate::from_ymd_opt(y, start_m, 1)
            .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
            .and_then(|next| next.pred_opt()),
        None => NaiveDate::from_ymd_opt(y, start_m, 1),
    };
    let date = date?;
    debug_assert!(date.year() == y);
    let time = if end {
        NaiveTime::from_hms_opt(23, 59, 59)
    } else {
        NaiveTime::from_hms_opt(0, 0, 0)
    }?;
    Some(date.and_time(time))
}

/// Lets users write `date:[2024-01-01 TO 2024-06-30]`: bare dates get a time and zone, as
/// tantivy's parser wants RFC 3339.
fn normalize_dates(q: &str) -> String {
    let bytes = q.as_bytes();
    let mut out = String::with_capacity(q.len() + 16);
    let mut i = 0;
    while i < q.len() {
        let is_date = i + 10 <= q.len()
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
            && bytes[i..i + 4].iter().all(u8::is_ascii_digit)
            && bytes[i + 4] == b'-'
            && bytes[i + 5..i + 7].iter().all(u8::is_ascii_digit)
            && bytes[i + 7] == b'-'
            && bytes[i + 8..i + 10].iter().all(u8::is_ascii_digit)
            && (i + 10 == q.len() || !matches!(bytes[i + 10], b'T' | b't' | b'0'..=b'9'));
        if is_date {
            out.push_str(&q[i..i + 10]);
            out.push_str("T00:00:00Z");
            i += 10;
        } else {
            let ch = q[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn describe_parse_error(query: &str, err: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    let hint = match err {
        E::FieldDoesNotExist(field) => format!(
            "unknown field '{field}:' (fields: title, body, caption, dateline, author, source, \
             person, place, org, date)"
        ),
        E::SyntaxError(_) => {
            let opens = query.matches('"').count();
            let parens = query.matches('(').count() as i64 - query.matches(')').count() as i64;
            if opens % 2 == 1 {
                "a phrase's closing quote (\") is missing".to_string()
            } else if parens != 0 {
                "parentheses are not balanced".to_string()
            } else {
                "syntax error; quote the text (\"...\") if it holds special characters".to_string()
            }
        }
        E::AllButQueryForbidden => {
            "the query only excludes terms; add a term to search for".to_string()
        }
        E::DateFormatError(_) => {
            "invalid date; write dates as YYYY-MM-DD, e.g. date:[2024-01-01 TO 2024-06-30]"
                .to_string()
        }
        other => other.to_string(),
    };
    format!("invalid query '{query}': {hint}")
}

/// Folds a name for matching: lower case, accents removed, punctuation as spaces, single spaces.
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    if s.is_ascii() {
        // The same rules without decomposition (ASCII has no accents): most names are ASCII.
        for &b in s.as_bytes() {
            if b.is_ascii_alphanumeric() {
                out.push(b.to_ascii_lowercase() as char);
                space = false;
            } else if b == b'.' || b == b'\'' {
            } else if !space {
                out.push(' ');
                space = true;
            }
        }
        if out.ends_with(' ') {
            out.pop();
        }
        return out;
    }
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if c == '.' || c == '\'' || c == '\u{2019}' {
            // "U.N." ~ "UN", "O'Brien" ~ "OBrien"
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Every facet value of a kind in the index (all levels), sorted.
///
/// Read from each segment's facet dictionary, which lists the values as given to documents (a
/// place with its country as `Libya/Tripoli`); every level above a value is a value too. One
/// ordered pass over the dictionary is several times faster than walking the facet terms.
pub fn facet_values(
    index: &NewsIndex,
    searcher: &Searcher,
    kind: EntityKind,
) -> Result<Vec<Facet>> {
    facet_values_where(index, searcher, kind, |_| true)
}

/// The facet values of a kind (all levels, sorted) whose encoded bytes pass `keep`. `keep` must
/// pass a value's upper levels only if it passes the value: a value it rejects is skipped whole.
///
/// The values come from the cache ingest writes ([`crate::index::values`]) when it describes
/// the searcher's view, else from every segment's facet dictionary.
fn facet_values_where(
    index: &NewsIndex,
    searcher: &Searcher,
    kind: EntityKind,
    mut keep: impl FnMut(&[u8]) -> bool,
) -> Result<Vec<Facet>> {
    let mut levels = FacetLevels::default();
    if let Some(cached) = crate::index::values::read(index, searcher, kind) {
        cached.iter().for_each(|key| levels.add(key, &mut keep));
        return Ok(levels.into_facets());
    }
    let schema = index.index.schema();
    let field = schema.get_field_name(kind.facet_field(&index.fields));
    for segment in searcher.segment_readers() {
        let reader = segment.facet_reader(field)?;
        let mut stream = reader.facet_dict().stream()?;
        while stream.advance() {
            levels.add(stream.key(), &mut keep);
        }
    }
    Ok(levels.into_facets())
}

/// Encoded facet keys gathered with their upper levels, each once (see [`facet_values_where`]).
#[derive(Default)]
pub(crate) struct FacetLevels {
    seen: HashSet<Vec<u8>>,
}

impl FacetLevels {
    /// Adds `key` and its upper levels that pass `keep`, when `key` passes it.
    pub(crate) fn add(&mut self, key: &[u8], keep: &mut impl FnMut(&[u8]) -> bool) {
        if !keep(key) {
            return;
        }
        let levels = key
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == FACET_SEP_BYTE)
            .map(|(i, _)| i)
            .chain([key.len()]);
        for end in levels {
            let level = &key[..end];
            if end > 0 && !self.seen.contains(level) && keep(level) {
                self.seen.insert(level.to_vec());
            }
        }
    }

    /// The facets gathered, sorted.
    pub(crate) fn into_facets(self) -> Vec<Facet> {
        let mut all: Vec<Facet> = self
            .seen
            .into_iter()
            .filter_map(|k| Facet::from_encoded(k).ok())
            .filter(|f| !f.is_root())
            .collect();
        all.sort();
        all
    }
}

/// Human form of a facet: `Libya`, `Libya/Tripoli` → "Tripoli (Libya)".
pub fn display_facet(f: &Facet) -> String {
    let path = f.to_path();
    match path.as_slice() {
        [one] => one.to_string(),
        [parent @ .., last] => format!("{last} ({})", parent.join(", ")),
        [] => String::new(),
    }
}

/// Resolves a user's entity name to one facet value of the index.
///
/// The rules are [`match_name`]'s, applied to the values a [`Prefilter`] lets through: most values
/// of a field are ruled out from their raw bytes, without folding them or building a `Facet`.
pub fn resolve_entity(
    index: &NewsIndex,
    searcher: &Searcher,
    kind: EntityKind,
    name: &str,
) -> Result<Facet> {
    let mut filter = Prefilter::new(kind, name);
    // A level above a value has fewer words, so it passes only if the whole value does.
    let values = facet_values_where(index, searcher, kind, |key| filter.may_match(key))?;
    Ok(match_name(&values, kind, name)?)
}

/// The other values filtered together with `facet`: those its [`Aliases`] count as the same
/// entity ("Reagan" and "Ronald Reagan"; "Chrysler" and "Chrysler Corp"), either way round.
pub fn merged_with(facet: &Facet, aliases: &Aliases) -> Vec<Facet> {
    let own = facet.encoded_str().as_bytes();
    let shown = aliases
        .iter()
        .find(|(from, _)| from.as_slice() == own)
        .map_or(own, |(_, to)| to.as_slice());
    let mut others: Vec<Facet> = aliases
        .iter()
        .filter(|(from, to)| to.as_slice() == shown && from.as_slice() != own)
        .map(|(from, _)| from)
        .chain((shown != own).then(|| shown.to_vec()).as_ref())
        .filter_map(|bytes| Facet::from_encoded(bytes.clone()).ok())
        .collect();
    others.sort();
    others
}

/// The folded key of a person value (its last level).
fn person_value_key(f: &Facet) -> String {
    f.to_path()
        .last()
        .map(|s| crate::entities::people::person_key(s))
        .unwrap_or_default()
}

/// The full name a bare surname stands for, given the full names ending in it with their
/// article counts: the only one, or one in at least ten times as many articles as any other
/// ("Nancy Reagan" and a headline's "Overrides Reagan" are in one article each, "Ronald Reagan"
/// in 22; "Baker" stays apart from "James Baker", 176, since "Howard Baker" is in 22). It must
/// be in two articles at least: one article is too little evidence that a name is the person's
/// full name rather than a slip of the extraction ("Energy Subroto" from one "Energy Minister
/// Subroto", against 18 articles of "Subroto"; "Rodney Chase" against the bank "Chase").
fn dominant_full_name<T>(mut full: Vec<(u64, T)>) -> Option<T> {
    full.sort_by_key(|&(n, _)| std::cmp::Reverse(n));
    let second = full.get(1).map(|&(n, _)| n);
    let (n, top) = full.into_iter().next()?;
    match second {
        _ if n < 2 => None,
        Some(m) if m * 10 > n => None,
        _ => Some(top),
    }
}

/// Values that lists of people and organizations show as one, as the filters do: (the encoded
/// facet of a value merged into another, the encoded facet of the value shown), sorted.
pub type Aliases = Vec<(Vec<u8>, Vec<u8>)>;

/// The [`Aliases`] of a kind: read from the cache ingest writes when it describes the
/// searcher's view ([`crate::index::values`]), else worked out from the index.
pub fn aliases(index: &NewsIndex, searcher: &Searcher, kind: EntityKind) -> Result<Aliases> {
    if kind == EntityKind::Place {
        return Ok(Aliases::new());
    }
    match crate::index::values::read_aliases(index, searcher, kind) {
        Some(cached) => Ok(cached),
        None => compute_aliases(index, searcher, kind),
    }
}

/// Works out the [`Aliases`] of a kind:
/// - a person's bare surname → the one full name it stands for ([`dominant_full_name`]: "Reagan"
///   → "Ronald Reagan"); the full name is shown, as the more telling. Not a bare name that opens
///   full names in more articles than it ends them: that is a given name;
/// - an organization written with and without designators → the variant in most articles
///   ("Chrysler" and "Chrysler Corp." → "Chrysler Corp"); on a tie, a name with designators
///   before the bare one, then the shorter name, then the first in order. Not a one-word bare
///   name whose forms with designators are in less than a tenth as many articles as it: that is
///   a word the extraction also read into a firm's name.
pub fn compute_aliases(
    index: &NewsIndex,
    searcher: &Searcher,
    kind: EntityKind,
) -> Result<Aliases> {
    aliases_among(index, searcher, kind, &facet_values(index, searcher, kind)?)
}

/// The [`Aliases`] that concern `facet`, worked out from the values that share its surname (a
/// person) or its name without designators (an organization) rather than from all of them: a
/// filter's way when the cache is stale. Those values hold every value the rules look at for
/// `facet`'s group, so it gets the group [`compute_aliases`] gives it.
fn aliases_near(
    index: &NewsIndex,
    searcher: &Searcher,
    kind: EntityKind,
    facet: &Facet,
) -> Result<Aliases> {
    let word = match kind {
        EntityKind::Person => person_value_key(facet)
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_string(),
        EntityKind::Org => org_base(facet),
        EntityKind::Place => return Ok(Aliases::new()),
    };
    let mut filter = Prefilter::new(kind, &word);
    let values = facet_values_where(index, searcher, kind, |key| filter.may_match(key))?;
    aliases_among(index, searcher, kind, &values)
}

/// The rules of [`compute_aliases`] applied to some values of a kind.
pub(crate) fn aliases_among(
    index: &NewsIndex,
    searcher: &Searcher,
    kind: EntityKind,
    values: &[Facet],
) -> Result<Aliases> {
    let field = kind.facet_field(&index.fields);
    let docs = |f: &Facet| searcher.doc_freq(&Term::from_facet(field, f));
    let bytes = |f: &Facet| f.encoded_str().as_bytes().to_vec();
    let mut aliases = Aliases::new();
    match kind {
        EntityKind::Person => {
            let mut bare: Vec<(String, &Facet)> = Vec::new();
            // Full names by their last word, and by their first.
            let mut full: std::collections::HashMap<String, Vec<&Facet>> = Default::default();
            let mut opening: std::collections::HashMap<String, Vec<&Facet>> = Default::default();
            for v in values {
                let key = person_value_key(v);
                match (key.split_once(' '), key.rsplit_once(' ')) {
                    (Some((first, _)), Some((_, last))) => {
                        full.entry(last.to_string()).or_default().push(v);
                        opening.entry(first.to_string()).or_default().push(v);
                    }
                    _ if !key.is_empty() => bare.push((key, v)),
                    _ => {}
                }
            }
            let total =
                |names: &[&Facet]| -> Result<u64> { names.iter().map(|&f| Ok(docs(f)?)).sum() };
            for (surname, b) in bare {
                let Some(names) = full.get(&surname) else {
                    continue;
                };
                // A name the archive's full names open with more than end with is a given name
                // standing alone ("Charles" of Prince Charles, with Charles Kennedy and Charles
                // Clarke common, and Ray Charles less so), not one of them.
                if let Some(given) = opening.get(&surname) {
                    if total(given)? > total(names)? {
                        continue;
                    }
                }
                let counted = names
                    .iter()
                    .map(|&f| Ok((docs(f)?, f)))
                    .collect::<Result<Vec<_>>>()?;
                if let Some(top) = dominant_full_name(counted) {
                    aliases.push((bytes(b), bytes(top)));
                }
            }
        }
        EntityKind::Org => {
            let mut groups: std::collections::HashMap<String, Vec<&Facet>> = Default::default();
            for v in values {
                let base = org_base(v);
                if !base.is_empty() {
                    groups.entry(base).or_default().push(v);
                }
            }
            for (base, group) in groups.into_iter().filter(|(_, g)| g.len() > 1) {
                // (articles, bare name, facet): the bare name loses ties.
                let mut counted = group
                    .into_iter()
                    .map(|f| Ok((docs(f)?, fold(&display_facet(f)) == base, f)))
                    .collect::<Result<Vec<_>>>()?;
                // A one-word name far more frequent than its forms with designators is something
                // else: "House" (of Congress, 105 Reuters articles) and one article's "House Inc".
                let designated = counted.iter().filter(|c| !c.1).map(|c| c.0).max();
                let generic = |n: u64| match designated {
                    Some(d) => !base.contains(' ') && n > 10 * d,
                    None => false,
                };
                counted.retain(|&(n, bare, _)| !(bare && generic(n)));
                if counted.len() < 2 {
                    continue;
                }
                counted.sort_by(|(n, a_bare, a), (m, b_bare, b)| {
                    m.cmp(n)
                        .then_with(|| a_bare.cmp(b_bare))
                        .then_with(|| a.encoded_str().len().cmp(&b.encoded_str().len()))
                        .then_with(|| a.cmp(b))
                });
                let shown = bytes(counted[0].2);
                for (_, _, f) in &counted[1..] {
                    aliases.push((bytes(f), shown.clone()));
                }
            }
        }
        EntityKind::Place => {}
    }
    aliases.sort();
    Ok(aliases)
}

/// A firm's name without its designators: "chrysler" of "Chrysler Corp" (folded).
fn without_designators(name: &str) -> String {
    let folded = fold(name);
    let mut words: Vec<&str> = folded.split(' ').collect();
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| crate::entities::text::is_designator(w))
    {
        words.pop();
        // The "and" of a partnership's "and Co" ("Merrill Lynch and Co Inc").
        if words.len() > 1 && words.last() == Some(&"and") {
            words.pop();
        }
    }
    words.join(" ")
}

/// An organization value's name without its designators (folded): what its variants share.
fn org_base(f: &Facet) -> String {
    f.to_path()
        .last()
        .map(|s| without_designators(s))
        .unwrap_or_default()
}

/// A cheap test on a facet value's encoded bytes that rules out values [`match_name`] cannot
/// pick for a name: every value it rejects is in none of the three rounds' candidate lists, so
/// the rules give the same answer (and the same ambiguity errors) on the values it keeps.
///
/// A value can only match when every word of the folded name (or of the country it is an alias
/// of) begins a word of the folded value. For an ASCII value, folding lower-cases it, drops dots
/// and apostrophes and splits at everything else, then may drop words (a leading "the", "al-"):
/// the words of that plain fold include the folded words. The exceptions are kept without the
/// test: non-ASCII values (accents, other scripts), values with `&` (folded to "and" in people's
/// names), and people's names with a word of the spelling-variant table, whose key may hold words
/// of its canonical names instead ("Muammar Qaddafi" → "moammar gadhafi") — looked at only when
/// the words the name lacks could be such words.
pub struct Prefilter {
    /// Folded words each value must begin words with; any one list suffices.
    needles: Vec<Vec<String>>,
    /// For each needle word, whether a person's name may get it from the spelling-variant table
    /// without having it (always `false` for places and organizations).
    from_alias: Vec<Vec<bool>>,
    /// The plain fold of the value being tested, and its words as ranges of it.
    buf: Vec<u8>,
    words: Vec<(usize, usize)>,
}

impl Prefilter {
    pub fn new(kind: EntityKind, name: &str) -> Prefilter {
        let fold = match kind {
            EntityKind::Person => crate::entities::people::person_key,
            _ => fold,
        };
        let words = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        let mut needles = vec![words(&fold(name))];
        if kind == EntityKind::Place {
            if let Some(country) = crate::entities::country_name(name) {
                needles.push(words(&fold(&country)));
            }
        }
        // Which words a person's key may get from the variant table rather than from the name.
        let from_alias = needles
            .iter()
            .map(|needle| {
                needle
                    .iter()
                    .map(|w| {
                        kind == EntityKind::Person
                            && crate::entities::people::begins_alias_canonical_word(w)
                    })
                    .collect()
            })
            .collect();
        Prefilter {
            needles,
            from_alias,
            buf: Vec::new(),
            words: Vec::new(),
        }
    }

    /// Whether the value with these encoded bytes may match; `false` only when it cannot.
    pub fn may_match(&mut self, encoded: &[u8]) -> bool {
        self.buf.clear();
        self.words.clear();
        let mut start = 0;
        for &b in encoded {
            if b.is_ascii_alphanumeric() {
                self.buf.push(b.to_ascii_lowercase());
            } else if b == b'.' || b == b'\'' {
            } else if !b.is_ascii() || b == b'&' {
                return true;
            } else {
                if self.buf.len() > start {
                    self.words.push((start, self.buf.len()));
                }
                start = self.buf.len();
            }
        }
        if self.buf.len() > start {
            self.words.push((start, self.buf.len()));
        }
        let (buf, words) = (&self.buf, &self.words);
        let mut alias_may_help = false;
        for (needle, from_alias) in self.needles.iter().zip(&self.from_alias) {
            let mut missing = needle.iter().zip(from_alias).filter(|(w, _)| {
                !words
                    .iter()
                    .any(|&(s, e)| buf[s..e].starts_with(w.as_bytes()))
            });
            match missing.next() {
                None => return true,
                Some(first) => {
                    alias_may_help |= *first.1 && missing.all(|(_, &alias)| alias);
                }
            }
        }
        // Only a name with a word of the variant table gets words other than its own.
        alias_may_help
            && words.iter().any(|&(s, e)| {
                std::str::from_utf8(&buf[s..e]).is_ok_and(crate::entities::people::is_alias_word)
            })
    }
}

/// The matching rules of [`resolve_entity`], on a list of facet values.
pub fn match_name(values: &[Facet], kind: EntityKind, name: &str) -> Result<Facet, QueryError> {
    // People's names also fold their spelling variants ("Qaddafi" finds "Moammar Gadhafi").
    let fold = match kind {
        EntityKind::Person => crate::entities::people::person_key,
        _ => fold,
    };
    let wanted = fold(name);
    if wanted.is_empty() {
        return Err(QueryError::BadValue(format!("empty {} name", kind.noun())));
    }
    let alias = match kind {
        EntityKind::Place => crate::entities::country_name(name).map(|c| fold(&c)),
        _ => None,
    };
    // Each value with its folded last segment, computed once for the three rounds below.
    let labeled: Vec<(&Facet, String)> = values
        .iter()
        .map(|f| (f, f.to_path().last().map(|s| fold(s)).unwrap_or_default()))
        .collect();
    let path = |f: &Facet, label: &str| {
        let parts = f.to_path();
        if parts.len() == 1 {
            label.to_string()
        } else {
            fold(&parts.join(" "))
        }
    };
    // 1. Exact: the whole path ("libya tripoli") or the last segment, or a country alias.
    let exact: Vec<&Facet> = labeled
        .iter()
        .filter(|(f, l)| {
            *l == wanted
                || path(f, l) == wanted
                || alias
                    .as_deref()
                    .is_some_and(|a| f.to_path().len() == 1 && l == a)
        })
        .map(|(f, _)| *f)
        .collect();
    if let Some(one) = pick(&exact, kind, name)? {
        return Ok(one);
    }
    // 2. Whole words: every word of the name is a word of the entity ("haftar").
    let words: Vec<&str> = wanted.split(' ').collect();
    let by_words: Vec<&Facet> = labeled
        .iter()
        .filter(|(_, l)| {
            let have: Vec<&str> = l.split(' ').collect();
            words.iter().all(|w| have.contains(w))
        })
        .map(|(f, _)| *f)
        .collect();
    if let Some(one) = pick(&by_words, kind, name)? {
        return Ok(one);
    }
    // 3. Word prefixes ("khal haf").
    let by_prefix: Vec<&Facet> = labeled
        .iter()
        .filter(|(_, l)| {
            let have: Vec<&str> = l.split(' ').collect();
            words.iter().all(|w| have.iter().any(|h| h.starts_with(w)))
        })
        .map(|(f, _)| *f)
        .collect();
    if let Some(one) = pick(&by_prefix, kind, name)? {
        return Ok(one);
    }
    Err(QueryError::NotFound(format!(
        "no {} matching '{name}' in the index; `newsdex facets {}` lists them",
        kind.noun(),
        kind.plural()
    )))
}

fn pick(candidates: &[&Facet], kind: EntityKind, name: &str) -> Result<Option<Facet>, QueryError> {
    match candidates {
        [] => Ok(None),
        [one] => Ok(Some((*one).clone())),
        many => {
            // A place and its own sub-places: prefer the highest level ("Georgia" the country
            // over nothing else); otherwise it is ambiguous.
            let top: Vec<&&Facet> = many
                .iter()
                .filter(|f| !many.iter().any(|g| g != *f && g.is_prefix_of(f)))
                .collect();
            if top.len() == 1 {
                return Ok(Some((**top[0]).clone()));
            }
            let mut names: Vec<String> = many.iter().map(|f| display_facet(f)).collect();
            names.truncate(12);
            Err(QueryError::Ambiguous(format!(
                "'{name}' matches several {}: {}{}; give more of the name",
                kind.plural(),
                names.join(", "),
                if many.len() > 12 { ", ..." } else { "" }
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::facet;

    fn facets(paths: &[&[&str]]) -> Vec<Facet> {
        paths.iter().map(|p| facet(p)).collect()
    }

    /// The aliases of people given as (name, articles) in an index of their own.
    fn person_aliases(people: &[(&str, usize)]) -> Vec<(String, String)> {
        aliases_of(EntityKind::Person, people)
    }

    /// The aliases of values of a kind given as (name, articles) in an index of their own.
    fn aliases_of(kind: EntityKind, values: &[(&str, usize)]) -> Vec<(String, String)> {
        let index = index_of(kind, values);
        let searcher = index.index.reader().unwrap().searcher();
        compute_aliases(&index, &searcher, kind)
            .unwrap()
            .into_iter()
            .map(|(a, b)| (String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap()))
            .collect()
    }

    /// An index holding values of a kind given as (name, articles).
    fn index_of(kind: EntityKind, values: &[(&str, usize)]) -> NewsIndex {
        let index = NewsIndex::in_ram();
        let f = index.fields;
        let mut writer: tantivy::IndexWriter =
            index.index.writer_with_num_threads(1, 15_000_000).unwrap();
        for &(name, n) in values {
            for i in 0..n {
                let mut d = tantivy::doc!(f.id => format!("{name} {i}"));
                d.add_facet(kind.facet_field(&f), Facet::from_path([name]));
                writer.add_document(d).unwrap();
            }
        }
        writer.commit().unwrap();
        index
    }

    /// A filter without the cache works out, from the values near each one, the partners the
    /// aliases of all values give it.
    #[test]
    fn the_aliases_near_a_value_agree_with_those_of_all_values() {
        let people: &[(&str, usize)] = &[
            ("Reagan", 9),
            ("Ronald Reagan", 10),
            ("Nancy Reagan", 1),
            ("Baker", 5),
            ("James Baker", 8),
            ("Howard Baker", 2),
            ("Charles", 4),
            ("Ray Charles", 3),
            ("Charles Kent", 2),
            ("Kent", 3),
            ("Muammar Qaddafi", 3),
            ("Gadhafi", 2),
        ];
        let orgs: &[(&str, usize)] = &[
            ("Chrysler", 2),
            ("Chrysler Corp", 8),
            ("Chrysler Corp.", 1),
            ("Chrysler Financial", 3),
            ("Chrysler Financial Corp", 3),
            ("House", 30),
            ("House Inc", 1),
            ("Merrill Lynch and Co Inc", 5),
            ("Merrill Lynch", 3),
        ];
        for (kind, values) in [(EntityKind::Person, people), (EntityKind::Org, orgs)] {
            let index = index_of(kind, values);
            let searcher = index.index.reader().unwrap().searcher();
            let all = compute_aliases(&index, &searcher, kind).unwrap();
            assert!(!all.is_empty());
            for (name, _) in values {
                let facet = Facet::from_path([*name]);
                let near = aliases_near(&index, &searcher, kind, &facet).unwrap();
                assert_eq!(
                    merged_with(&facet, &near),
                    merged_with(&facet, &all),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn a_bare_surname_stands_for_its_one_frequent_full_name() {
        let merged = |a: &str, b: &str| vec![(a.to_string(), b.to_string())];
        assert_eq!(
            person_aliases(&[("Reagan", 9), ("Ronald Reagan", 10), ("Nancy Reagan", 1)]),
            merged("Reagan", "Ronald Reagan")
        );
        // Two full names as common as each other, a full name in one article only.
        assert!(
            person_aliases(&[("Baker", 5), ("James Baker", 8), ("Howard Baker", 2)]).is_empty()
        );
        assert!(person_aliases(&[("Subroto", 9), ("Energy Subroto", 1)]).is_empty());
        // A given name standing alone: full names open with it more than they end with it.
        assert!(person_aliases(&[
            ("Charles", 4),
            ("Ray Charles", 3),
            ("Charles Kent", 2),
            ("Charles Moor", 2),
        ])
        .is_empty());
        assert_eq!(
            person_aliases(&[("Charles", 4), ("Ray Charles", 5), ("Charles Kent", 2)]),
            merged("Charles", "Ray Charles")
        );
    }

    #[test]
    fn a_firm_with_and_without_designators_is_shown_by_its_most_frequent_name() {
        let orgs = |values: &[(&str, usize)]| aliases_of(EntityKind::Org, values);
        let merged = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            orgs(&[
                ("Chrysler", 2),
                ("Chrysler Corp", 8),
                ("Chrysler Financial", 3)
            ]),
            merged(&[("Chrysler", "Chrysler Corp")])
        );
        // A partnership's "and Co"; a tie goes to the name with designators.
        assert_eq!(
            orgs(&[("Merrill Lynch and Co Inc", 5), ("Merrill Lynch", 3)]),
            merged(&[("Merrill Lynch", "Merrill Lynch and Co Inc")])
        );
        assert_eq!(
            orgs(&[("Corvane", 1), ("Corvane Corp", 1)]),
            merged(&[("Corvane", "Corvane Corp")])
        );
        // A word far more frequent than its one firm-like form is something else.
        assert!(orgs(&[("House", 30), ("House Inc", 1)]).is_empty());
        assert_eq!(
            orgs(&[("House", 30), ("House Inc", 2), ("House Corp", 1)]),
            merged(&[("House Corp", "House Inc")])
        );
    }

    #[test]
    fn fold_ignores_case_accents_and_dots() {
        assert_eq!(fold("  Ángela  MERKEL "), "angela merkel");
        assert_eq!(fold("U.N."), "un");
        assert_eq!(fold("São Paulo"), "sao paulo");
        assert_eq!(fold("O'Brien-Smith, Jr. "), "obrien smith jr");
        assert_eq!(fold("-- Al-Wafa\u{2019}a --"), "al wafaa");
    }

    #[test]
    fn partial_names_resolve_when_unique() {
        let v = facets(&[&["Khalifa Haftar"], &["Jan Kubis"], &["Najla Mangoush"]]);
        let f = match_name(&v, EntityKind::Person, "haftar").unwrap();
        assert_eq!(f.to_path(), vec!["Khalifa Haftar"]);
        let f = match_name(&v, EntityKind::Person, "KUBIŠ").unwrap();
        assert_eq!(f.to_path(), vec!["Jan Kubis"]);
        let f = match_name(&v, EntityKind::Person, "naj mang").unwrap();
        assert_eq!(f.to_path(), vec!["Najla Mangoush"]);
    }

    #[test]
    fn ambiguous_names_list_candidates() {
        let v = facets(&[&["John Smith"], &["Adam Smith"]]);
        let err = match_name(&v, EntityKind::Person, "smith").unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, QueryError::Ambiguous(_)));
        assert!(
            msg.contains("John Smith") && msg.contains("Adam Smith"),
            "{msg}"
        );
        let err = match_name(&v, EntityKind::Person, "nobody").unwrap_err();
        assert!(matches!(err, QueryError::NotFound(_)));
    }

    #[test]
    fn places_prefer_the_country_and_name_their_parent() {
        let v = facets(&[
            &["Libya"],
            &["Libya", "Tripoli"],
            &["Lebanon"],
            &["Lebanon", "Tripoli"],
        ]);
        let f = match_name(&v, EntityKind::Place, "libya").unwrap();
        assert_eq!(f.to_path(), vec!["Libya"]);
        let err = match_name(&v, EntityKind::Place, "tripoli").unwrap_err();
        assert!(err.to_string().contains("Tripoli (Libya)"), "{err}");
        let f = match_name(&v, EntityKind::Place, "Libya/Tripoli").unwrap();
        assert_eq!(f.to_path(), vec!["Libya", "Tripoli"]);
    }

    /// `match_name` on the values the prefilter keeps, as `match_name` on all of them must be.
    fn filtered(values: &[Facet], kind: EntityKind, name: &str) -> Result<Facet, String> {
        let mut filter = Prefilter::new(kind, name);
        let kept: Vec<Facet> = values
            .iter()
            .filter(|f| filter.may_match(f.encoded_str().as_bytes()))
            .cloned()
            .collect();
        match_name(&kept, kind, name).map_err(|e| e.to_string())
    }

    #[test]
    fn prefilter_keeps_every_value_a_name_may_resolve_to() {
        let people = facets(&[
            &["Moammar Gadhafi"],
            &["Muammar al-Qaddafi"],
            &["Seif al-Islam Gadhafi"],
            &["Jan Kubiš"],
            &["Sean O'Brien"],
            &["Ronald Reagan"],
            &["Nancy Reagan"],
            &["JOHN SMITH"],
            &["John Smith"],
            &["Smith & Wesson"],
            &["Volodymyr Zelenskyy"],
            &["Dmitri Medvedev"],
            &["Bashar al-Assad"],
        ]);
        for name in [
            "gaddafi",
            "qaddafi",
            "Moammar Gadhafi",
            "muammar",
            "moammar",
            "kubis",
            "obrien",
            "o'brien",
            "Reagan",
            "ronald reagan",
            "john smith",
            "smith",
            "wesson",
            "and",
            "Vladimir Zelensky",
            "zelensk",
            "dmitry",
            "assad",
            "al-Assad",
            "el",
            "nobody",
            "",
        ] {
            let all = match_name(&people, EntityKind::Person, name).map_err(|e| e.to_string());
            assert_eq!(filtered(&people, EntityKind::Person, name), all, "{name}");
        }
        // The spelling variants still resolve, and an exact-looking name can be ambiguous.
        assert!(filtered(&people, EntityKind::Person, "Vladimir Zelensky").is_ok());
        assert!(filtered(&people, EntityKind::Person, "john smith")
            .unwrap_err()
            .contains("several"));
        let places = facets(&[
            &["Libya"],
            &["Libya", "Tripoli"],
            &["Lebanon"],
            &["Lebanon", "Tripoli"],
            &["United States"],
            &["United States", "New York"],
            &["United Kingdom"],
            &["Côte d'Ivoire"],
            &["Japan"],
            &["Japan", "Tokyo"],
        ]);
        for name in [
            "libya",
            "Tripoli",
            "Libya/Tripoli",
            "libya tripoli",
            "US",
            "Britain",
            "new york",
            "united",
            "cote",
            "Japan",
            "tok",
            "Paris",
        ] {
            let all = match_name(&places, EntityKind::Place, name).map_err(|e| e.to_string());
            assert_eq!(filtered(&places, EntityKind::Place, name), all, "{name}");
        }
        assert_eq!(
            filtered(&places, EntityKind::Place, "US").map(|f| f.to_path().join("/")),
            Ok("United States".to_string())
        );
        assert!(filtered(&places, EntityKind::Place, "tripoli")
            .unwrap_err()
            .contains("several"));
    }

    #[test]
    fn the_title_boost_is_left_out_when_only_the_title_is_searched() {
        let index = NewsIndex::in_ram();
        let searcher = index.index.reader().unwrap().searcher();
        let boosted = |q: &str| {
            let built = build(&index, &searcher, q, &Filters::default()).unwrap();
            format!("{:?}", built.query).contains("Boost")
        };
        for q in [
            "trade",
            "title:trade body:oil",
            "title:trade oil",
            "-title:x trade",
        ] {
            assert!(
                boosted(q),
                "{q}: searches more than the title, so its title is boosted"
            );
        }
        for q in [
            "title:trade",
            "title:\"trade talks\"",
            "title:trade AND title:oil",
        ] {
            assert!(
                !boosted(q),
                "{q}: searches the title alone, so nothing is boosted"
            );
        }
        assert!(
            !names_only_title("title:"),
            "not a query: parsed as given, boost kept"
        );
    }

    #[test]
    fn captions_are_searched_once_an_article_has_one() {
        let index = NewsIndex::in_ram();
        let f = index.fields;
        let mut writer: tantivy::IndexWriter =
            index.index.writer_with_num_threads(1, 15_000_000).unwrap();
        let article = |id: &str, body: &str| tantivy::doc!(f.id => id, f.body => body);
        writer.add_document(article("a", "harbour lights")).unwrap();
        writer.commit().unwrap();
        let reader = index.index.reader().unwrap();
        let hits = |q: &str| {
            let searcher = reader.searcher();
            let built = build(&index, &searcher, q, &Filters::default()).unwrap();
            searcher
                .search(&built.query, &tantivy::collector::Count)
                .unwrap()
        };
        assert_eq!((hits("harbour"), hits("gulls")), (1, 0));
        // A later segment with a caption: what was learnt of the first one does not hide it.
        let mut captioned = article("b", "a quiet night");
        captioned.add_text(f.caption, "gulls over the harbour");
        writer.add_document(captioned).unwrap();
        writer.commit().unwrap();
        reader.reload().unwrap();
        assert_eq!((hits("harbour"), hits("gulls")), (2, 1));
        assert_eq!(hits("caption:gulls"), 1);
    }

    #[test]
    fn date_bounds_cover_whole_periods() {
        let s = parse_date_bound("2024", false).unwrap();
        assert_eq!(s.to_string(), "2024-01-01 00:00:00");
        let e = parse_date_bound("2024-02", true).unwrap();
        assert_eq!(e.to_string(), "2024-02-29 23:59:59");
        let e = parse_date_bound("2023-12-31", true).unwrap();
        assert_eq!(e.to_string(), "2023-12-31 23:59:59");
        assert!(parse_date_bound("March", false).is_err());
        assert!(parse_date_bound("2024-13", false).is_err());
        // Found by fuzzing: years the index cannot store overflowed its date conversion.
        let far = parse_date_bound("4829", false).unwrap_err().to_string();
        assert!(far.contains("out of range"), "{far}");
        assert!(parse_date_bound("1200-01-01", true).is_err());
    }

    #[test]
    fn bare_dates_in_ranges_become_rfc3339() {
        assert_eq!(
            normalize_dates("date:[2024-01-01 TO 2024-06-30] libya"),
            "date:[2024-01-01T00:00:00Z TO 2024-06-30T00:00:00Z] libya"
        );
        assert_eq!(
            normalize_dates("date:>2024-01-01T05:00:00Z"),
            "date:>2024-01-01T05:00:00Z"
        );
    }
}
