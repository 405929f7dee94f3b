//! Builds the compact gazetteer from the GeoNames dumps (`countryInfo.txt`,
//! `admin1CodesASCII.txt`, `cities15000.txt`): keeps every country, every first-order region and
//! every city, with the Latin-script alternate names worth matching in English news text.

use super::gazetteer::{City, CityKind, Country, Gazetteer, Region};
use super::text::name_key;
use anyhow::{bail, Context, Result};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// English names we prefer over GeoNames' own in facets.
const NAME_OVERRIDES: &[(&str, &str)] = &[("NL", "Netherlands"), ("PS", "Palestinian Territories")];

/// English names for cities GeoNames lists under a local name (country, GeoNames name, English).
const CITY_NAME_OVERRIDES: &[(&str, &str, &str)] = &[
    ("CH", "Genève", "Geneva"),
    ("DE", "Köln", "Cologne"),
    ("DE", "Nürnberg", "Nuremberg"),
    ("SE", "Göteborg", "Gothenburg"),
    ("BE", "Antwerpen", "Antwerp"),
    ("ES", "Sevilla", "Seville"),
    ("CA", "Montréal", "Montreal"),
];

/// Cities smaller than this keep only their ASCII name as an alternate.
const ALTERNATES_MIN_POPULATION: u64 = 100_000;

/// Counts of what went into a built gazetteer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BuildStats {
    pub countries: usize,
    pub regions: usize,
    pub cities: usize,
    pub alternates: usize,
}

/// Reads the three GeoNames files from `dir` and builds the gazetteer.
pub fn build_from_dir(dir: &Path) -> Result<(Gazetteer, BuildStats)> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))
    };
    build(
        &read("countryInfo.txt")?,
        &read("admin1CodesASCII.txt")?,
        &read("cities15000.txt")?,
    )
}

/// Builds the gazetteer from the text of the three GeoNames files.
pub fn build(country_info: &str, admin1: &str, cities: &str) -> Result<(Gazetteer, BuildStats)> {
    let countries = parse_countries(country_info)?;
    let by_code: HashMap<String, u16> = countries
        .iter()
        .enumerate()
        .map(|(i, c)| (c.code.clone(), i as u16))
        .collect();
    let regions = parse_regions(admin1, &by_code)?;
    let region_ix: HashMap<(u16, String), u32> = regions
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.country, r.code.clone()), i as u32))
        .collect();
    let cities = parse_cities(cities, &by_code, &region_ix)?;
    let stats = BuildStats {
        countries: countries.len(),
        regions: regions.len(),
        cities: cities.len(),
        alternates: cities.iter().map(|c| c.alternates.len()).sum(),
    };
    Ok((Gazetteer::new(countries, regions, cities), stats))
}

fn fields<'a>(line: &'a str, min: usize, file: &str, n: usize) -> Result<Vec<&'a str>> {
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() < min {
        bail!(
            "{file}:{n}: expected at least {min} tab-separated columns, found {}",
            cols.len()
        );
    }
    Ok(cols)
}

fn parse_countries(text: &str) -> Result<Vec<Country>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let c = fields(line, 8, "countryInfo.txt", i + 1)?;
        let code = c[0].trim().to_string();
        if code.len() != 2 {
            bail!("countryInfo.txt:{}: bad ISO code {:?}", i + 1, code);
        }
        let name = NAME_OVERRIDES
            .iter()
            .find(|(k, _)| *k == code)
            .map_or_else(|| c[4].trim().to_string(), |(_, v)| v.to_string());
        let population = c[7].trim().parse().unwrap_or(0);
        out.push(Country {
            code,
            name,
            capital: c[5].trim().to_string(),
            population,
        });
    }
    if out.is_empty() {
        bail!("countryInfo.txt: no countries");
    }
    Ok(out)
}

fn parse_regions(text: &str, by_code: &HashMap<String, u16>) -> Result<Vec<Region>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let c = fields(line, 3, "admin1CodesASCII.txt", i + 1)?;
        let Some((cc, code)) = c[0].split_once('.') else {
            bail!("admin1CodesASCII.txt:{}: bad code {:?}", i + 1, c[0]);
        };
        let Some(&country) = by_code.get(cc) else {
            continue;
        };
        out.push(Region {
            country,
            code: code.to_string(),
            name: c[1].trim().to_string(),
        });
    }
    Ok(out)
}

/// True for an alternate name worth keeping: Latin script, capitalized, not an all-caps code.
fn useful_alternate(name: &str) -> bool {
    let latin = name.chars().all(|c| {
        c.is_ascii_alphabetic()
            || matches!(c, ' ' | '-' | '\'' | '.')
            || (c.is_alphabetic() && matches!(c as u32, 0xC0..=0x24F | 0x1E00..=0x1EFF))
    });
    let first_upper = name.chars().next().is_some_and(char::is_uppercase);
    let has_lower = name.chars().any(char::is_lowercase);
    // Multi-word alternates are mostly descriptions or other languages' phrases ("White House"
    // for Casablanca) that would capture ordinary English names.
    latin && first_upper && has_lower && !name.contains(' ') && name_key(name).len() >= 3
}

fn parse_cities(
    text: &str,
    by_code: &HashMap<String, u16>,
    regions: &HashMap<(u16, String), u32>,
) -> Result<Vec<City>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let c = fields(line, 15, "cities15000.txt", i + 1)?;
        let Some(&country) = by_code.get(c[8]) else {
            continue;
        };
        let local = c[1].trim();
        let name = CITY_NAME_OVERRIDES
            .iter()
            .find(|(cc, n, _)| *cc == c[8] && *n == local)
            .map_or(local, |(_, _, english)| english)
            .to_string();
        let mut seen: HashSet<String> = HashSet::new();
        seen.insert(name_key(&name));
        let mut alternates = Vec::new();
        if name != local {
            seen.insert(name_key(local));
            alternates.push(local.to_string());
        }
        // Other names only for big cities and capitals ("Peking", "Bombay"): a small town's
        // alternates include its region's or a neighbour's name ("Africa", "Twickenham").
        let population: u64 = c[14].trim().parse().unwrap_or(0);
        let kind = CityKind::from_feature_code(c[7]);
        let other_names = if population >= ALTERNATES_MIN_POPULATION || kind == CityKind::Capital {
            c[3]
        } else {
            ""
        };
        for alt in std::iter::once(c[2]).chain(other_names.split(',')) {
            let alt = alt.trim();
            if useful_alternate(alt) && seen.insert(name_key(alt)) {
                alternates.push(alt.to_string());
            }
        }
        out.push(City {
            name,
            country,
            region: regions.get(&(country, c[10].to_string())).copied(),
            population,
            kind,
            alternates,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::gazetteer::Target;

    const COUNTRIES: &str = "#ISO\tISO3\tISO-Numeric\tfips\tCountry\tCapital\tArea\tPopulation\n\
        XA\tXAA\t001\tXA\tAlphaland\tAlpha City\t100\t5000000\n\
        NL\tNLD\t528\tNL\tThe Netherlands\tAmsterdam\t41526\t17000000\n";
    const ADMIN1: &str = "XA.01\tNorth Province\tNorth Province\t11\n\
        ZZ.01\tNowhere\tNowhere\t12\n";
    const CITIES: &str = "21\tAlpha City\tAlpha City\tAlfa Stad,ALC,alpha,Alfastad,Альфа\t1.0\t2.0\tP\tPPLC\tXA\t\t01\t\t\t\t900000\n\
        22\tBeta\tBeta\t\t1.0\t2.0\tP\tPPL\tXA\t\t07\t\t\t\t20000\n";

    #[test]
    fn builds_tables_and_keeps_latin_alternates() {
        let (g, stats) = build(COUNTRIES, ADMIN1, CITIES).expect("builds");
        assert_eq!(stats.countries, 2);
        assert_eq!(stats.regions, 1, "region of an unknown country skipped");
        assert_eq!(stats.cities, 2);
        assert_eq!(g.cities[0].alternates, vec!["Alfastad"]);
        assert_eq!(g.cities[0].kind, CityKind::Capital);
        assert_eq!(g.cities[0].region, Some(0));
        assert_eq!(g.cities[1].region, None, "unknown admin1 code");
        assert_eq!(g.countries[1].name, "Netherlands");
        assert_eq!(g.lookup("Alfastad")[0].target, Target::City(0));
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let err = build(COUNTRIES, ADMIN1, "21\tAlpha City\n").expect_err("short line");
        assert!(format!("{err:#}").contains("cities15000.txt:1"));
    }
}
