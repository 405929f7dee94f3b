//! The compact gazetteer: countries, first-order regions and cities (GeoNames), its binary file
//! format, and the name index used to resolve place mentions.
//!
//! The file `model/geo.bin` is built by our own command from the GeoNames dumps and embedded in the
//! binary; it is decoded once, on first use:
//!
//! ```text
//! newsdex build-gazetteer --geonames ../shared/data/geonames --out model/geo.bin
//! ```
//!
//! Format (all integers LEB128 varints, strings a varint byte length then UTF-8):
//! `MAGIC`, then countries `n, (code, name, capital, population)*`, regions
//! `n, (country, code, name)*`, cities `n, (name, country, region+1 or 0, population, kind,
//! n_alt, alt*)*`, then the name index sorted by key `n, (key, n_cand, (target, via)*)*` where
//! `target` is `3 * table index + (0 country, 1 region, 2 city)` and `via` one byte. Country and
//! region fields are indexes into the earlier tables. The index holds our alias tables
//! (`countries.rs`) as they were at build time: rebuild the file after changing them.
//!
//! GeoNames data is CC BY 4.0: GeoNames (https://www.geonames.org/).

use super::countries;
use super::text::name_key;
use crate::ner::features::{hash_str, HashKeyed};
use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::sync::OnceLock;

/// First bytes of a gazetteer file; the last byte is the format version.
pub const MAGIC: &[u8; 8] = b"NDXGEO\x00\x02";

static EMBEDDED: &[u8] = include_bytes!("../../model/geo.bin");

/// A country (or territory with its own ISO code).
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub code: String,
    /// Canonical English name.
    pub name: String,
    pub capital: String,
    pub population: u64,
}

/// A first-order administrative region (state, province).
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub country: u16,
    /// GeoNames admin1 code within the country.
    pub code: String,
    pub name: String,
}

/// What kind of populated place a city is; capitals and region seats win ties of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CityKind {
    Capital = 0,
    RegionSeat = 1,
    DistrictSeat = 2,
    Other = 3,
}

impl CityKind {
    /// Kind from a GeoNames feature code.
    pub fn from_feature_code(code: &str) -> CityKind {
        match code {
            "PPLC" | "PPLG" => CityKind::Capital,
            "PPLA" => CityKind::RegionSeat,
            "PPLA2" | "PPLA3" | "PPLA4" | "PPLA5" => CityKind::DistrictSeat,
            _ => CityKind::Other,
        }
    }

    fn from_byte(b: u8) -> Result<CityKind> {
        Ok(match b {
            0 => CityKind::Capital,
            1 => CityKind::RegionSeat,
            2 => CityKind::DistrictSeat,
            3 => CityKind::Other,
            _ => bail!("unknown city kind {b}"),
        })
    }
}

/// A populated place.
#[derive(Debug, Clone, PartialEq)]
pub struct City {
    pub name: String,
    pub country: u16,
    pub region: Option<u32>,
    pub population: u64,
    pub kind: CityKind,
    /// Other Latin-script names ("Lutetia", "Bombay").
    pub alternates: Vec<String>,
}

/// One thing a name can refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Country(u16),
    Region(u32),
    City(u32),
}

/// How a name reached a target: its own name, a written alias, or a GeoNames alternate name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Primary,
    Alias,
    Alternate,
}

/// A candidate reading of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub target: Target,
    pub via: NameKind,
}

/// News spellings of a GeoNames name transliterated from Arabic: without the article ("Al
/// Basrah" → "Basrah") and without a final h ("Basrah" → "Basra", "Al Jufrah" → "Jufra").
fn arabic_spellings(name: &str) -> Vec<String> {
    const ARTICLES: &[&str] = &[
        "Al", "Ad", "An", "Ar", "As", "Ash", "At", "Az", "Adh", "Ath", "El",
    ];
    let mut bases = vec![name.to_string()];
    if let Some((first, rest)) = name.split_once([' ', '-']) {
        if ARTICLES.contains(&first) && !rest.is_empty() {
            bases.push(rest.to_string());
        }
    }
    let mut out = Vec::new();
    for b in &bases {
        if b != name {
            out.push(b.clone());
        }
        if let Some(stem) = b.strip_suffix("ah").filter(|s| s.len() >= 3) {
            out.push(format!("{stem}a"));
        }
    }
    out
}

/// The decoded gazetteer with its name index.
#[derive(Debug, Default)]
pub struct Gazetteer {
    pub countries: Vec<Country>,
    pub regions: Vec<Region>,
    pub cities: Vec<City>,
    /// Name key → candidates, sorted by key.
    index: Vec<(Box<str>, Box<[Candidate]>)>,
    /// Hash of each key → its position in `index`: lookups without string comparisons on the
    /// way (extraction looks up several keys per capitalized word).
    by_hash: HashKeyed<u32>,
    by_code: HashMap<String, u16>,
}

/// Positions of the index's keys by their hash.
fn hash_positions(index: &[(Box<str>, Box<[Candidate]>)]) -> HashKeyed<u32> {
    let mut map = HashKeyed::default();
    map.reserve(index.len());
    for (i, (k, _)) in index.iter().enumerate() {
        // On the (unlikely) collision of two keys' hashes, the first keeps the slot and the
        // other is found by binary search.
        map.entry(hash_str(k)).or_insert(i as u32);
    }
    map
}

impl Gazetteer {
    /// The gazetteer embedded in the binary, decoded on first use.
    pub fn embedded() -> &'static Gazetteer {
        static GAZ: OnceLock<Gazetteer> = OnceLock::new();
        GAZ.get_or_init(|| {
            // The embedded file is written by our own builder and checked by the unit tests;
            // a corrupt build degrades to an empty gazetteer (every place unresolved) rather than
            // aborting an ingest.
            Gazetteer::decode(EMBEDDED).unwrap_or_default()
        })
    }

    /// Builds the tables and the name index.
    pub fn new(countries: Vec<Country>, regions: Vec<Region>, cities: Vec<City>) -> Gazetteer {
        let mut g = Gazetteer {
            countries,
            regions,
            cities,
            index: Vec::new(),
            by_hash: HashKeyed::default(),
            by_code: HashMap::new(),
        };
        let mut index = HashMap::new();
        g.build_index(&mut index);
        let mut sorted: Vec<(Box<str>, Box<[Candidate]>)> = index
            .into_iter()
            .map(|(k, v)| (k.into_boxed_str(), v.into_boxed_slice()))
            .collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        g.by_hash = hash_positions(&sorted);
        g.index = sorted;
        g
    }

    fn add(index: &mut HashMap<String, Vec<Candidate>>, name: &str, target: Target, via: NameKind) {
        let key = name_key(name);
        if key.is_empty() {
            return;
        }
        let list = index.entry(key).or_default();
        match list.iter_mut().find(|c| c.target == target) {
            Some(c) => {
                if (via as u8) < (c.via as u8) {
                    c.via = via;
                }
            }
            None => list.push(Candidate { target, via }),
        }
    }

    fn build_index(&mut self, index: &mut HashMap<String, Vec<Candidate>>) {
        for i in 0..self.countries.len() {
            let idx = i as u16;
            let code = self.countries[i].code.clone();
            let name = self.countries[i].name.clone();
            self.by_code.insert(code.clone(), idx);
            Self::add(index, &name, Target::Country(idx), NameKind::Primary);
        }
        for (code, aliases) in countries::ALIASES {
            if let Some(&idx) = self.by_code.get(*code) {
                for a in *aliases {
                    Self::add(index, a, Target::Country(idx), NameKind::Alias);
                }
            }
        }
        let mut region_by_code: HashMap<(u16, &str), u32> = HashMap::new();
        for (i, r) in self.regions.iter().enumerate() {
            region_by_code.insert((r.country, r.code.as_str()), i as u32);
        }
        let mut region_aliases: Vec<(String, u32)> = Vec::new();
        for (cc, admin1, names) in countries::REGION_ALIASES {
            let Some(&country) = self.by_code.get(*cc) else {
                continue;
            };
            if let Some(&r) = region_by_code.get(&(country, *admin1)) {
                region_aliases.extend(names.iter().map(|n| (n.to_string(), r)));
            }
        }
        for i in 0..self.regions.len() {
            let name = self.regions[i].name.clone();
            Self::add(index, &name, Target::Region(i as u32), NameKind::Primary);
            for v in arabic_spellings(&name) {
                Self::add(index, &v, Target::Region(i as u32), NameKind::Alternate);
            }
        }
        for (name, r) in region_aliases {
            Self::add(index, &name, Target::Region(r), NameKind::Alias);
        }
        for i in 0..self.cities.len() {
            let name = self.cities[i].name.clone();
            Self::add(index, &name, Target::City(i as u32), NameKind::Primary);
            let alts = std::mem::take(&mut self.cities[i].alternates);
            for a in &alts {
                Self::add(index, a, Target::City(i as u32), NameKind::Alternate);
            }
            self.cities[i].alternates = alts;
        }
    }

    /// Everything a name may refer to (by its [`name_key`]).
    pub fn lookup(&self, name: &str) -> &[Candidate] {
        self.lookup_key(&name_key(name))
    }

    /// Like [`Gazetteer::lookup`] for a key already normalized with [`name_key`].
    pub fn lookup_key(&self, key: &str) -> &[Candidate] {
        if let Some(&i) = self.by_hash.get(&hash_str(key)) {
            let (k, cands) = &self.index[i as usize];
            if **k == *key {
                return cands;
            }
        } else {
            return &[];
        }
        match self.index.binary_search_by(|(k, _)| (**k).cmp(key)) {
            Ok(i) => &self.index[i].1,
            Err(_) => &[],
        }
    }

    /// The country with this ISO-2 code.
    pub fn country_by_code(&self, code: &str) -> Option<u16> {
        self.by_code.get(code).copied()
    }

    /// Country index of any target.
    pub fn country_of(&self, t: Target) -> u16 {
        match t {
            Target::Country(c) => c,
            Target::Region(r) => self.regions[r as usize].country,
            Target::City(c) => self.cities[c as usize].country,
        }
    }

    /// Serializes the tables and the name index.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        put_uint(&mut out, self.countries.len() as u64);
        for c in &self.countries {
            put_str(&mut out, &c.code);
            put_str(&mut out, &c.name);
            put_str(&mut out, &c.capital);
            put_uint(&mut out, c.population);
        }
        put_uint(&mut out, self.regions.len() as u64);
        for r in &self.regions {
            put_uint(&mut out, u64::from(r.country));
            put_str(&mut out, &r.code);
            put_str(&mut out, &r.name);
        }
        put_uint(&mut out, self.cities.len() as u64);
        for c in &self.cities {
            put_str(&mut out, &c.name);
            put_uint(&mut out, u64::from(c.country));
            put_uint(&mut out, c.region.map_or(0, |r| u64::from(r) + 1));
            put_uint(&mut out, c.population);
            out.push(c.kind as u8);
            put_uint(&mut out, c.alternates.len() as u64);
            for a in &c.alternates {
                put_str(&mut out, a);
            }
        }
        put_uint(&mut out, self.index.len() as u64);
        for (key, cands) in &self.index {
            put_str(&mut out, key);
            put_uint(&mut out, cands.len() as u64);
            for c in cands.iter() {
                let code = match c.target {
                    Target::Country(i) => 3 * u64::from(i),
                    Target::Region(i) => 3 * u64::from(i) + 1,
                    Target::City(i) => 3 * u64::from(i) + 2,
                };
                put_uint(&mut out, code);
                out.push(c.via as u8);
            }
        }
        out
    }

    /// Decodes a gazetteer file.
    pub fn decode(bytes: &[u8]) -> Result<Gazetteer> {
        let mut r = Reader::after_magic(bytes)?;
        let n = r.len("countries")?;
        let mut countries = Vec::with_capacity(n);
        for _ in 0..n {
            countries.push(r.country()?);
        }
        let n = r.len("regions")?;
        let mut regions = Vec::with_capacity(n);
        for _ in 0..n {
            let country = r.index(countries.len(), "region country")? as u16;
            regions.push(Region {
                country,
                code: r.string()?,
                name: r.string()?,
            });
        }
        let n = r.len("cities")?;
        let mut cities = Vec::with_capacity(n);
        for _ in 0..n {
            let name = r.string()?;
            let country = r.index(countries.len(), "city country")? as u16;
            let region = match r.index(regions.len() + 1, "city region")? {
                0 => None,
                k => Some((k - 1) as u32),
            };
            let population = r.uint()?;
            let kind = CityKind::from_byte(r.byte()?)?;
            let n_alt = r.len("alternate names")?;
            let mut alternates = Vec::with_capacity(n_alt);
            for _ in 0..n_alt {
                alternates.push(r.string()?);
            }
            cities.push(City {
                name,
                country,
                region,
                population,
                kind,
                alternates,
            });
        }
        let n = r.len("index keys")?;
        let mut index: Vec<(Box<str>, Box<[Candidate]>)> = Vec::with_capacity(n);
        for _ in 0..n {
            let key = r.string()?.into_boxed_str();
            let m = r.len("candidates")?;
            let mut cands = Vec::with_capacity(m);
            for _ in 0..m {
                let code = r.uint()?;
                let i = code / 3;
                let target = match code % 3 {
                    0 if (i as usize) < countries.len() => Target::Country(i as u16),
                    1 if (i as usize) < regions.len() => Target::Region(i as u32),
                    2 if (i as usize) < cities.len() => Target::City(i as u32),
                    _ => bail!("index target {code} out of range at byte {}", r.pos),
                };
                let via = match r.byte()? {
                    0 => NameKind::Primary,
                    1 => NameKind::Alias,
                    2 => NameKind::Alternate,
                    b => bail!("unknown name kind {b} at byte {}", r.pos),
                };
                cands.push(Candidate { target, via });
            }
            if index.last().is_some_and(|(k, _)| *k >= key) {
                bail!("index keys not sorted at byte {}", r.pos);
            }
            index.push((key, cands.into_boxed_slice()));
        }
        if r.pos != bytes.len() {
            bail!("{} trailing bytes after the gazetteer", bytes.len() - r.pos);
        }
        let by_code = countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i as u16))
            .collect();
        Ok(Gazetteer {
            countries,
            regions,
            cities,
            by_hash: hash_positions(&index),
            index,
            by_code,
        })
    }
}

/// The countries' names and codes alone, read from the start of the embedded file: all that a
/// country-name lookup needs ([`crate::entities::country_name`]), without decoding the regions,
/// the cities and the name index, which takes several times longer than a query.
#[derive(Debug, Default)]
pub struct CountryNames {
    names: Vec<String>,
    /// [`name_key`] of a country's name or alias → country index, as the full name index has
    /// them: a country's own name first, then our aliases, the first country wins.
    by_key: HashMap<String, u16>,
    by_code: HashMap<String, u16>,
}

impl CountryNames {
    /// The country names of the embedded gazetteer, decoded on first use.
    pub fn embedded() -> &'static CountryNames {
        static NAMES: OnceLock<CountryNames> = OnceLock::new();
        NAMES.get_or_init(|| CountryNames::decode(EMBEDDED).unwrap_or_default())
    }

    /// Reads the country table at the start of a gazetteer file.
    pub fn decode(bytes: &[u8]) -> Result<CountryNames> {
        let mut r = Reader::after_magic(bytes)?;
        let n = r.len("countries")?;
        let mut t = CountryNames::default();
        for i in 0..n {
            let Country { code, name, .. } = r.country()?;
            let key = name_key(&name);
            if !key.is_empty() {
                t.by_key.entry(key).or_insert(i as u16);
            }
            t.by_code.insert(code, i as u16);
            t.names.push(name);
        }
        for (code, aliases) in countries::ALIASES {
            let Some(&i) = t.by_code.get(*code) else {
                continue;
            };
            for a in *aliases {
                let key = name_key(a);
                if !key.is_empty() {
                    t.by_key.entry(key).or_insert(i);
                }
            }
        }
        Ok(t)
    }

    /// The country whose name or alias has this [`name_key`].
    pub fn by_key(&self, key: &str) -> Option<u16> {
        self.by_key.get(key).copied()
    }

    /// The country with this ISO-2 code.
    pub fn by_code(&self, code: &str) -> Option<u16> {
        self.by_code.get(code).copied()
    }

    /// A country's canonical English name.
    pub fn name(&self, i: u16) -> &str {
        self.names.get(i as usize).map_or("", String::as_str)
    }
}

fn put_uint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_uint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    /// A reader past the magic bytes of a gazetteer file.
    fn after_magic(bytes: &[u8]) -> Result<Reader<'_>> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            bail!("not a newsdex gazetteer file (bad magic or version)");
        }
        Ok(Reader {
            bytes,
            pos: MAGIC.len(),
        })
    }

    fn country(&mut self) -> Result<Country> {
        Ok(Country {
            code: self.string()?,
            name: self.string()?,
            capital: self.string()?,
            population: self.uint()?,
        })
    }

    fn byte(&mut self) -> Result<u8> {
        let b = *self
            .bytes
            .get(self.pos)
            .with_context(|| format!("gazetteer truncated at byte {}", self.pos))?;
        self.pos += 1;
        Ok(b)
    }

    fn uint(&mut self) -> Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        bail!("varint too long at byte {}", self.pos)
    }

    fn len(&mut self, what: &str) -> Result<usize> {
        let n = self.uint()?;
        if n > self.bytes.len() as u64 {
            bail!("implausible count of {what}: {n} at byte {}", self.pos);
        }
        Ok(n as usize)
    }

    fn index(&mut self, bound: usize, what: &str) -> Result<usize> {
        let v = self.uint()?;
        if v >= bound as u64 {
            bail!("{what} index {v} out of range at byte {}", self.pos);
        }
        Ok(v as usize)
    }

    fn string(&mut self) -> Result<String> {
        let n = self.len("string bytes")?;
        let end = self.pos + n;
        let raw = self
            .bytes
            .get(self.pos..end)
            .with_context(|| format!("gazetteer string truncated at byte {}", self.pos))?;
        self.pos = end;
        String::from_utf8(raw.to_vec())
            .with_context(|| format!("invalid UTF-8 in gazetteer at byte {}", end - n))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn tiny() -> Gazetteer {
        let country = |code: &str, name: &str, capital: &str, population| Country {
            code: code.into(),
            name: name.into(),
            capital: capital.into(),
            population,
        };
        let city = |name: &str, country, region, population, kind, alts: &[&str]| City {
            name: name.into(),
            country,
            region,
            population,
            kind,
            alternates: alts.iter().map(|s| s.to_string()).collect(),
        };
        Gazetteer::new(
            vec![
                country("FR", "France", "Paris", 67_000_000),
                country("US", "United States", "Washington", 327_000_000),
            ],
            vec![Region {
                country: 1,
                code: "TX".into(),
                name: "Texas".into(),
            }],
            vec![
                city("Paris", 0, None, 2_100_000, CityKind::Capital, &["Lutetia"]),
                city("Paris", 1, Some(0), 25_000, CityKind::Other, &[]),
            ],
        )
    }

    #[test]
    fn round_trips_through_the_file_format() {
        let g = tiny();
        let bytes = g.encode();
        let back = Gazetteer::decode(&bytes).expect("decodes");
        assert_eq!(back.countries, g.countries);
        assert_eq!(back.regions, g.regions);
        assert_eq!(back.cities, g.cities);
        assert_eq!(back.lookup("PARIS").len(), 2);
        assert_eq!(back.lookup("lutetia")[0].via, NameKind::Alternate);
        assert_eq!(back.lookup("U.S.")[0].target, Target::Country(1));
        assert_eq!(back.index, g.index);
    }

    #[test]
    fn embedded_index_holds_every_written_alias() {
        let g = Gazetteer::embedded();
        for (code, names) in countries::ALIASES {
            let Some(c) = g.country_by_code(code) else {
                continue;
            };
            for n in *names {
                assert!(
                    g.lookup(n).iter().any(|x| x.target == Target::Country(c)),
                    "{n} → {code} missing: rebuild model/geo.bin"
                );
            }
        }
    }

    #[test]
    fn country_names_alone_resolve_like_the_name_index() {
        let g = Gazetteer::embedded();
        let c = CountryNames::embedded();
        assert_eq!(c.names.len(), g.countries.len());
        let full = |key: &str| {
            g.lookup_key(key).iter().find_map(|x| match x.target {
                Target::Country(i) if x.via != NameKind::Alternate => Some(i),
                _ => None,
            })
        };
        for (key, _) in &g.index {
            assert_eq!(c.by_key(key), full(key), "{key}: rebuild model/geo.bin");
        }
        for key in c.by_key.keys() {
            assert_eq!(c.by_key(key), full(key), "{key}: rebuild model/geo.bin");
        }
        for (i, country) in g.countries.iter().enumerate() {
            assert_eq!(c.by_code(&country.code), g.country_by_code(&country.code));
            assert_eq!(c.name(i as u16), country.name);
        }
    }

    #[test]
    fn rejects_truncated_and_foreign_files() {
        let bytes = tiny().encode();
        assert!(Gazetteer::decode(&bytes[..bytes.len() - 3]).is_err());
        assert!(Gazetteer::decode(b"not a gazetteer").is_err());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Gazetteer::decode(&longer).is_err());
    }

    #[test]
    fn arabic_region_names_have_their_news_spellings() {
        assert_eq!(
            arabic_spellings("Al Jufrah"),
            vec!["Al Jufra", "Jufrah", "Jufra"]
        );
        assert_eq!(arabic_spellings("Ninawa"), Vec::<String>::new());
        let g = Gazetteer::embedded();
        for (name, cc) in [("Jufra", "LY"), ("Basra", "IQ"), ("Anbar", "IQ")] {
            let region = g.lookup(name).iter().find_map(|c| match c.target {
                Target::Region(r) => Some(r),
                _ => None,
            });
            let r = region.unwrap_or_else(|| panic!("{name} is a region"));
            let country = &g.countries[g.regions[r as usize].country as usize];
            assert_eq!(country.code, cc, "{name}");
        }
    }

    #[test]
    fn embedded_gazetteer_knows_the_world() {
        let g = Gazetteer::embedded();
        assert!(g.countries.len() > 240);
        assert!(g.cities.len() > 30_000);
        let ly = g.country_by_code("LY").expect("Libya");
        let tripoli = g.lookup("Tripoli");
        assert!(tripoli
            .iter()
            .any(|c| matches!(c.target, Target::City(_)) && g.country_of(c.target) == ly));
    }
}
