//! Building the tagger's lexical resources from the data sets: gazetteer flags from the US Census
//! 1990 name lists and GeoNames (countries, first-order regions, cities), and word clusters learnt
//! from unlabeled news text (see [`super::clusters`]).

use super::features::{
    hash_str, HashKeyed, Resources, GAZ_BIG_PLACE, GAZ_COUNTRY, GAZ_COUNTRY_PART, GAZ_FIRST,
    GAZ_LAST, GAZ_LAST_RARE, GAZ_PLACE, GAZ_PLACE_PART,
};
use super::tokenize::tokenize;
use anyhow::{Context, Result};
use std::path::Path;

/// Surnames ranked above this count as common ([`GAZ_LAST`]), the rest as rare.
const COMMON_SURNAME_RANK: usize = 10_000;
/// Cities at least this populous count as big places.
const BIG_CITY: u64 = 500_000;

fn read(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn add(gaz: &mut HashKeyed<u8>, word: &str, flag: u8) {
    *gaz.entry(hash_str(&word.to_lowercase())).or_insert(0) |= flag;
}

/// Adds a (possibly multi-word) name: one-word names get `single`, words of longer names `part`.
/// Lower-case particles ("de", "of") and punctuation are skipped.
fn add_name(gaz: &mut HashKeyed<u8>, name: &str, single: u8, part: u8) {
    let toks = tokenize(name);
    let words: Vec<&str> = toks
        .iter()
        .map(|t| t.text(name))
        .filter(|w| w.chars().next().is_some_and(|c| c.is_uppercase()) && w.chars().count() >= 2)
        .collect();
    if toks.len() == 1 && words.len() == 1 {
        add(gaz, words[0], single);
    } else {
        for w in words {
            add(gaz, w, part);
        }
    }
}

/// Reads the US Census 1990 lists in `names_dir/us_census_1990/`: given names and surnames.
pub fn add_census_names(gaz: &mut HashKeyed<u8>, names_dir: &Path) -> Result<usize> {
    let dir = names_dir.join("us_census_1990");
    let mut n = 0;
    for (file, is_first) in [
        ("dist.male.first", true),
        ("dist.female.first", true),
        ("dist.all.last", false),
    ] {
        let path = dir.join(file);
        let text = read(&path)?;
        for (rank, line) in text.lines().enumerate() {
            let Some(name) = line.split_whitespace().next() else {
                continue;
            };
            let flag = if is_first {
                GAZ_FIRST
            } else if rank < COMMON_SURNAME_RANK {
                GAZ_LAST
            } else {
                GAZ_LAST_RARE
            };
            add(gaz, name, flag);
            n += 1;
        }
    }
    Ok(n)
}

/// Reads GeoNames `countryInfo.txt`, `admin1CodesASCII.txt` and `cities15000.txt` in `dir`.
pub fn add_geonames(gaz: &mut HashKeyed<u8>, dir: &Path) -> Result<usize> {
    let mut n = 0;
    let path = dir.join("countryInfo.txt");
    for (i, line) in read(&path)?.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let country = cols
            .get(4)
            .with_context(|| format!("{}:{}: too few columns", path.display(), i + 1))?;
        add_name(gaz, country, GAZ_COUNTRY, GAZ_COUNTRY_PART);
        if let Some(capital) = cols.get(5) {
            add_name(gaz, capital, GAZ_PLACE | GAZ_BIG_PLACE, GAZ_PLACE_PART);
        }
        n += 1;
    }
    let path = dir.join("admin1CodesASCII.txt");
    for line in read(&path)?.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if let Some(name) = cols.get(1) {
            add_name(gaz, name, GAZ_PLACE | GAZ_BIG_PLACE, GAZ_PLACE_PART);
            n += 1;
        }
    }
    let path = dir.join("cities15000.txt");
    for (i, line) in read(&path)?.lines().enumerate() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 15 {
            anyhow::bail!(
                "{}:{}: expected 19 tab-separated columns",
                path.display(),
                i + 1
            );
        }
        let pop: u64 = cols[14].parse().unwrap_or(0);
        let single = if pop >= BIG_CITY || cols[7] == "PPLC" {
            GAZ_PLACE | GAZ_BIG_PLACE
        } else {
            GAZ_PLACE
        };
        add_name(gaz, cols[1], single, GAZ_PLACE_PART);
        if cols[2] != cols[1] {
            add_name(gaz, cols[2], single, GAZ_PLACE_PART);
        }
        n += 1;
    }
    Ok(n)
}

/// Builds the gazetteer part of the resources; either directory may be absent (None).
pub fn build_gazetteer(
    names_dir: Option<&Path>,
    geonames_dir: Option<&Path>,
) -> Result<HashKeyed<u8>> {
    let mut gaz = HashKeyed::default();
    if let Some(d) = names_dir {
        add_census_names(&mut gaz, d)?;
    }
    if let Some(d) = geonames_dir {
        add_geonames(&mut gaz, d)?;
    }
    Ok(gaz)
}

/// Resources from the given data directories (gazetteer only; clusters are added separately).
pub fn build(names_dir: Option<&Path>, geonames_dir: Option<&Path>) -> Result<Resources> {
    Ok(Resources {
        gazetteer: build_gazetteer(names_dir, geonames_dir)?,
        clusters: HashKeyed::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_places_get_flags() {
        let dir = tempfile::tempdir().expect("tempdir");
        let census = dir.path().join("us_census_1990");
        std::fs::create_dir_all(&census).expect("mkdir");
        std::fs::write(census.join("dist.male.first"), "ARLO 1.0 1.0 1\n").expect("write");
        std::fs::write(census.join("dist.female.first"), "WILMA 1.0 1.0 1\n").expect("write");
        std::fs::write(census.join("dist.all.last"), "QUINTERO 1.0 1.0 1\n").expect("write");
        let mut gaz = HashKeyed::default();
        assert_eq!(add_census_names(&mut gaz, dir.path()).expect("names"), 3);
        assert_eq!(gaz[&hash_str("arlo")], GAZ_FIRST);
        assert_eq!(gaz[&hash_str("quintero")], GAZ_LAST);
        add_name(&mut gaz, "Rio de Janeiro", GAZ_PLACE, GAZ_PLACE_PART);
        add_name(&mut gaz, "Lyon", GAZ_PLACE, GAZ_PLACE_PART);
        assert_eq!(gaz[&hash_str("rio")], GAZ_PLACE_PART);
        assert!(!gaz.contains_key(&hash_str("de")));
        assert_eq!(gaz[&hash_str("lyon")], GAZ_PLACE);
    }
}
