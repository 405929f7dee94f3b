//! Canonical entities of an article: people, places (resolved against GeoNames to a country and,
//! where known, a region or city) and organizations, built from the tagger's mentions.
//!
//! INTERFACE CONTRACT (index, query and commands rely on exactly these items):
//! - [`extract`] turns an article into [`ArticleEntities`].
//! - [`Place::facet_path`] gives the hierarchical facet segments of a place.
//! - [`country_name`] resolves a user's country spelling ("US", "Britain") to the canonical name.
//!
//! Also offered to query code: [`lookup_place`] resolves a place name without article context, and
//! [`extract_with`] runs the same pipeline on mentions from elsewhere (tests, evaluation).
//!
//! Layout: `text` (name keys, casing), `gazetteer` (file format, name index), `build` (from
//! GeoNames), `countries` (our alias and demonym tables), `places`, `people`, `orgs`
//! (canonicalizers). Places are listed most prominent first (dateline, then mention count).

pub mod build;
mod countries;
pub mod gazetteer;
mod orgs;
mod people;
pub mod places;
pub mod text;

use crate::article::Article;
use crate::ner::{EntityType, Mention, Tagger};
use gazetteer::{Gazetteer, NameKind, Target};
use places::{PlaceOptions, Resolver};

use serde::{Deserialize, Serialize};

/// A canonical person or organization with its mentions in one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Canonical form ("Khalifa Haftar", "United Nations").
    pub name: String,
    /// How many mentions in the article resolved to this entity.
    pub mentions: u32,
    /// The distinct surface forms seen ("Gen. Khalifa Haftar", "Haftar").
    pub surface: Vec<String>,
}

/// A canonical place with its mentions in one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// Canonical name of the place itself ("Tripoli", or "Libya" for the country).
    pub name: String,
    /// Canonical English name of its country, when resolved.
    pub country: Option<String>,
    /// ISO 3166-1 alpha-2 code of its country, when resolved.
    pub country_code: Option<String>,
    /// First-order region (state, province) when the place is a city or region.
    pub region: Option<String>,
    pub mentions: u32,
    pub surface: Vec<String>,
}

/// Name of the facet branch that holds places whose country is unknown.
pub const UNKNOWN_COUNTRY: &str = "Unresolved";

impl Place {
    /// Facet segments: `["Libya"]` for a country, `["Libya", "Tripoli"]` for a place in a country,
    /// `[UNKNOWN_COUNTRY, name]` for a place that could not be resolved.
    pub fn facet_path(&self) -> Vec<String> {
        match &self.country {
            Some(c) if *c == self.name => vec![c.clone()],
            Some(c) => vec![c.clone(), self.name.clone()],
            None => vec![UNKNOWN_COUNTRY.to_string(), self.name.clone()],
        }
    }
}

/// The canonical entities of one article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleEntities {
    pub people: Vec<Entity>,
    pub places: Vec<Place>,
    pub orgs: Vec<Entity>,
}

/// The text the tagger sees: title, caption, dateline and body joined by blank lines (empty
/// fields skipped). Offsets of mentions refer to this string.
pub fn document_text(article: &Article) -> String {
    let parts = [
        Some(article.title.as_str()),
        article.caption.as_deref(),
        article.dateline.as_deref(),
        Some(article.body.as_str()),
    ];
    parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Extracts the canonical people, places and organizations of an article.
pub fn extract(article: &Article) -> ArticleEntities {
    let text = document_text(article);
    let mentions = Tagger::embedded().tag_document(&text);
    extract_with(article, &text, &mentions, PlaceOptions::default())
}

/// [`extract`] with the tagger's mentions of `text` (= [`document_text`]) given by the caller.
pub fn extract_with(
    article: &Article,
    text: &str,
    mentions: &[Mention],
    options: PlaceOptions,
) -> ArticleEntities {
    let gaz = Gazetteer::embedded();
    // Mentions whose offsets do not fit the text are ignored rather than trusted.
    let mentions: Vec<Mention> = mentions
        .iter()
        .filter(|m| text.get(m.start..m.end).is_some())
        .cloned()
        .collect();
    let dateline = article
        .dateline
        .as_deref()
        .and_then(places::dateline_place)
        .or_else(|| places::body_dateline(&article.body));
    let resolver = Resolver { gaz, options };
    let places = resolver.resolve(text, &mentions, dateline);

    let is_country = |key: &str| {
        gaz.lookup_key(key)
            .iter()
            .any(|c| matches!(c.target, Target::Country(_)) && c.via != NameKind::Alternate)
    };
    let people = people::canonical_people(
        mentions
            .iter()
            .filter(|m| m.ty == EntityType::Per)
            .map(|m| &text[m.start..m.end]),
        &is_country,
    );
    let org_spans: Vec<(usize, usize, &str)> = mentions
        .iter()
        .filter(|m| m.ty == EntityType::Org)
        .map(|m| (m.start, m.end, &text[m.start..m.end]))
        .collect();
    let orgs = orgs::canonical_orgs(text, &org_spans);
    ArticleEntities {
        people,
        places,
        orgs,
    }
}

/// Canonical country name for a user's spelling of a country, if it is one: an English name, a
/// common alias ("US", "Britain", "Holland"), or an ISO 3166-1 alpha-2 code; any case.
pub fn country_name(name: &str) -> Option<String> {
    let gaz = Gazetteer::embedded();
    let key = text::name_key(name);
    let by_name = gaz.lookup_key(&key).iter().find_map(|c| match c.target {
        Target::Country(i) if c.via != NameKind::Alternate => Some(i),
        _ => None,
    });
    let by_code = || {
        let t = name.trim();
        (t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()))
            .then(|| gaz.country_by_code(&t.to_ascii_uppercase()))
            .flatten()
    };
    by_name
        .or_else(by_code)
        .map(|i| gaz.countries[i as usize].name.clone())
}

/// The most likely place a name refers to, without article context ("Tripoli" → Tripoli, Libya;
/// "Texas" → the US state; "Holland" → the Netherlands). `None` for names the gazetteer lacks.
pub fn lookup_place(name: &str) -> Option<Place> {
    let gaz = Gazetteer::embedded();
    let resolver = Resolver {
        gaz,
        options: PlaceOptions::default(),
    };
    resolver.lookup(name)
}
