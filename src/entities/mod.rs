//! Canonical entities of an article: people, places (resolved against GeoNames to a country and,
//! where known, a region or city) and organizations, built from the tagger's mentions.
//!
//! INTERFACE CONTRACT (index, query and commands rely on exactly these items):
//! - [`extract`] turns an article into [`ArticleEntities`].
//! - [`Place::facet_path`] gives the hierarchical facet segments of a place.
//! - [`country_name`] resolves a user's country spelling ("US", "Britain") to the canonical name.

use crate::article::Article;
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

/// Extracts the canonical people, places and organizations of an article.
pub fn extract(_article: &Article) -> ArticleEntities {
    ArticleEntities::default() // placeholder until canonicalization lands
}

/// Canonical country name for a user's spelling of a country, if it is one.
pub fn country_name(_name: &str) -> Option<String> {
    None
}
