//! Place resolution: gathers place evidence from an article (tagger LOC mentions, gazetteer names
//! found in the text, the dateline, country adjectives) and resolves each name to one gazetteer
//! entry, using population, feature kind and the article's other places as context.

use super::countries::demonym_code;
use super::gazetteer::{CityKind, Gazetteer, NameKind, Target};
use super::text::{is_all_caps, name_key};
use super::Place;
use crate::ner::features::{hash_str, HashKeyed};
use crate::ner::features::{QuickMap, QuickSet};
use crate::ner::{EntityType, Mention};

/// Choices about which evidence becomes a listed place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceOptions {
    /// List a country named only through an adjective or demonym ("Libyan") as a place.
    pub demonym_places: bool,
    /// Minimum population of a city recognized in the text without a tagger LOC mention.
    pub scan_min_population: u64,
}

impl Default for PlaceOptions {
    fn default() -> Self {
        PlaceOptions {
            demonym_places: false,
            scan_min_population: 100_000,
        }
    }
}

/// Where a piece of place evidence came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// A LOC mention of the tagger.
    Tagged,
    /// A gazetteer name found in capitalized text outside any tagger mention.
    Scanned,
    /// A country adjective or demonym.
    Demonym,
}

#[derive(Debug, Clone)]
struct Evidence {
    surface: String,
    key: String,
    start: usize,
    source: Source,
}

/// Words that make a town named just before them part of an agreement's name ("the Kyoto
/// protocol", "the Paris accord"): the town is where it was signed, seldom what the article is
/// about.
const AGREEMENT_WORDS: &[&str] = &[
    "accord",
    "accords",
    "convention",
    "pact",
    "protocol",
    "treaty",
];

/// Whether the word after byte `end` (on the same line) is one of [`AGREEMENT_WORDS`].
fn names_an_agreement(text: &str, end: usize) -> bool {
    let Some(rest) = text.get(end..) else {
        return false;
    };
    let rest = rest.trim_start_matches(' ');
    let word = rest
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    AGREEMENT_WORDS.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// Words that are region names in GeoNames but mostly ordinary words in news text.
const GENERIC_REGION_WORDS: &[&str] = &[
    "central",
    "western",
    "eastern",
    "northern",
    "southern",
    "north",
    "south",
    "east",
    "west",
    "centre",
    "center",
    "capital",
    "national",
    "federal",
    "coast",
    "lakes",
    "islands",
    "upper",
    "lower",
    "middle",
    "river",
    "border",
    "interior",
    "north east",
    "north west",
    "south east",
    "south west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "city",
    "valley",
];

/// Leading words that belong to the phrase, not the place ("the", "northern").
const PLACE_PREFIXES: &[&str] = &["the "];

/// Trims punctuation and a possessive from a mention's text.
fn clean_place(s: &str) -> &str {
    let s = s.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    let s = s
        .strip_suffix("'s")
        .or_else(|| s.strip_suffix("’s"))
        .unwrap_or(s);
    let s = s.trim_end_matches(['\'', '’']);
    let mut out = s;
    for p in PLACE_PREFIXES {
        if out.len() > p.len()
            && out
                .get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p))
        {
            out = &out[p.len()..];
        }
    }
    out.trim()
}

/// Splits text into words (letters, digits and inner `.`, `'`, `-`) with byte offsets.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut start = None;
    // The character at a byte offset (a char boundary), decoded only when it is not ASCII.
    let char_at = |at: usize| match text.as_bytes().get(at) {
        Some(&b) if b.is_ascii() => Some(b as char),
        Some(_) => text.get(at..).and_then(|rest| rest.chars().next()),
        None => None,
    };
    let alphanumeric = |c: char| {
        if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        }
    };
    // The two characters before the current one.
    let (mut prev, mut prev2) = ('\0', '\0');
    let mut pos = 0;
    let bytes = text.as_bytes();
    while let Some(c) = char_at(pos) {
        if c.is_ascii_alphanumeric() {
            // A run of ASCII letters and digits, most of any text, in one step.
            let end = bytes[pos..]
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .map_or(bytes.len(), |n| pos + n);
            start.get_or_insert(pos);
            (prev2, prev) = if end - pos >= 2 {
                (bytes[end - 2] as char, bytes[end - 1] as char)
            } else {
                (prev, c)
            };
            pos = end;
            continue;
        }
        let next = pos + c.len_utf8();
        let inner = matches!(c, '.' | '\'' | '-' | '’')
            && start.is_some()
            && char_at(next).is_some_and(alphanumeric);
        let abbrev_dot = c == '.' && start.is_some() && prev2 == '.';
        if alphanumeric(c) || inner || abbrev_dot {
            start.get_or_insert(pos);
        } else if let Some(s) = start.take() {
            out.push((s, pos));
        }
        prev2 = prev;
        prev = c;
        pos = next;
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

fn strip_possessive(w: &str) -> &str {
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("’s"))
        .unwrap_or(w)
}

fn capitalized(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// The words of a text written in lower case: a capitalized word also seen in lower case is more
/// likely an ordinary word at a sentence start than a name. Collected on the first question, as
/// most articles never ask.
struct LowercaseWords<'t> {
    text: &'t str,
    ws: &'t [(usize, usize)],
    /// Their 64-bit hashes (see [`HashKeyed`]).
    set: std::cell::OnceCell<HashKeyed<()>>,
}

impl LowercaseWords<'_> {
    /// Whether the text after the headline is written in ordinary case: names capitalized
    /// within sentences (at least three, and one word in fifty), as opposed to a report typed
    /// all in lower case, where a lower-case word says nothing about how a name is written.
    fn cased(&self, body_start: usize) -> bool {
        let body = self.ws.iter().filter(|&&(s, _)| s >= body_start);
        let (mut words, mut inner_capitals) = (0, 0);
        for &(s, e) in body {
            let w = &self.text[s..e];
            words += 1;
            if capitalized(w)
                && w.chars().any(char::is_lowercase)
                && !sentence_initial(self.text, s)
            {
                inner_capitals += 1;
            }
        }
        inner_capitals >= 3 && inner_capitals * 50 >= words
    }

    fn contains(&self, word: &str) -> bool {
        self.set
            .get_or_init(|| {
                self.ws
                    .iter()
                    .map(|&(s, e)| &self.text[s..e])
                    .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
                    .map(|w| (hash_str(w), ()))
                    .collect()
            })
            .contains_key(&hash_str(word))
    }
}

/// True when the word at `start` opens a sentence or a line.
fn sentence_initial(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', '\t', '"', '\'', '“', '‘', '(']);
    match before.chars().last() {
        None => true,
        Some(c) => matches!(c, '.' | '!' | '?' | '\n' | ':' | ';'),
    }
}

/// Which lines of a text are ALL CAPS (headlines), worked out once per document: looking a
/// position up costs a binary search instead of a scan to both ends of its line, which for a
/// long paragraph was repeated for every capitalized name in it.
struct CapsLines {
    /// Byte offset where each line starts (0, then one past each line break).
    starts: Vec<usize>,
    /// Whether each line is ALL CAPS (see [`is_all_caps`]).
    caps: Vec<bool>,
}

impl CapsLines {
    fn new(text: &str) -> CapsLines {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let caps = starts
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                let e = starts.get(i + 1).map_or(text.len(), |&next| next - 1);
                is_all_caps(&text[s..e])
            })
            .collect();
        CapsLines { starts, caps }
    }

    /// Whether the line holding byte `pos` (a line break ends its line) is ALL CAPS.
    fn at(&self, pos: usize) -> bool {
        let line = self.starts.partition_point(|&s| s <= pos).saturating_sub(1);
        self.caps[line]
    }
}

/// Resolves places in a document.
pub struct Resolver<'g> {
    pub gaz: &'g Gazetteer,
    pub options: PlaceOptions,
}

impl Resolver<'_> {
    fn is_country_name(&self, key: &str) -> bool {
        self.gaz
            .lookup_key(key)
            .iter()
            .any(|c| matches!(c.target, Target::Country(_)) && c.via != NameKind::Alternate)
    }

    /// Whether a capitalized name seen outside any tagger mention counts as place evidence.
    fn scannable(
        &self,
        key: &str,
        text: &str,
        start: usize,
        lowercase_words: &LowercaseWords<'_>,
    ) -> bool {
        if self.is_country_name(key) {
            return true;
        }
        let cands = self.gaz.lookup_key(key);
        if cands.is_empty()
            || (!key.contains(' ')
                && sentence_initial(text, start)
                && lowercase_words.contains(key))
        {
            return false;
        }
        cands.iter().any(|c| match c.target {
            Target::Region(_) => c.via == NameKind::Primary && !GENERIC_REGION_WORDS.contains(&key),
            Target::City(i) => {
                let city = &self.gaz.cities[i as usize];
                c.via == NameKind::Primary && city.population >= self.options.scan_min_population
            }
            Target::Country(_) => false,
        })
    }

    /// Finds gazetteer names and demonyms in capitalized text outside the tagger's mentions.
    fn scan(
        &self,
        text: &str,
        ws: &[(usize, usize)],
        lowercase_words: &LowercaseWords<'_>,
        caps_lines: &CapsLines,
        spans: &[(usize, usize)],
        out: &mut Vec<Evidence>,
    ) {
        let covered = |s: usize, e: usize| spans.iter().any(|&(ms, me)| s < me && ms < e);
        let mut i = 0;
        while i < ws.len() {
            let (s0, e0) = ws[i];
            let w0 = &text[s0..e0];
            if !capitalized(w0) || covered(s0, e0) {
                i += 1;
                continue;
            }
            // The run of capitalized words joined by single spaces.
            let mut j = i + 1;
            while j < ws.len() && j - i < 8 {
                let (s, e) = ws[j];
                let gap = &text[ws[j - 1].1..s];
                if gap != " " || !capitalized(&text[s..e]) || covered(s, e) {
                    break;
                }
                j += 1;
            }
            let caps_line = caps_lines.at(s0);
            // Longest names first, anywhere in the run for countries; whole run for other places.
            let mut k = i;
            while k < j {
                let mut matched = 0;
                for n in (1..=(j - k).min(4)).rev() {
                    let (s, _) = ws[k];
                    let e = ws[k + n - 1].1;
                    let surface = strip_possessive(&text[s..e]);
                    let key = name_key(surface);
                    let whole_run = k == i && n == j - i;
                    let hit = if self.is_country_name(&key) {
                        Some(Source::Scanned)
                    } else if demonym_code(&key).is_some() {
                        Some(Source::Demonym)
                    } else if whole_run
                        && !caps_line
                        && !names_an_agreement(text, e)
                        && self.scannable(&key, text, s, lowercase_words)
                    {
                        Some(Source::Scanned)
                    } else {
                        None
                    };
                    if let Some(source) = hit {
                        out.push(Evidence {
                            surface: surface.to_string(),
                            key,
                            start: s,
                            source,
                        });
                        matched = n;
                        break;
                    }
                }
                k += matched.max(1);
            }
            i = j;
        }
    }

    /// Score of one candidate; `context` holds the countries the article already points at.
    fn score(&self, t: Target, via: NameKind, context: &QuickMap<u16, f64>, dateline: bool) -> f64 {
        let country = self.gaz.country_of(t);
        let ctx = context.get(&country).copied().unwrap_or(0.0);
        let alt_penalty = if via == NameKind::Alternate {
            40.0
        } else {
            0.0
        };
        match t {
            Target::Country(_) => 100.0 - alt_penalty,
            Target::Region(_) => 70.0 + 45.0 * ctx - alt_penalty,
            Target::City(i) => {
                let city = &self.gaz.cities[i as usize];
                let kind = match city.kind {
                    CityKind::Capital => 25.0,
                    CityKind::RegionSeat => 10.0,
                    CityKind::DistrictSeat => 3.0,
                    CityKind::Other => 0.0,
                };
                let dl = if dateline { 40.0 } else { 0.0 };
                10.0 * ((city.population + 1) as f64).log10() + kind + 30.0 * ctx + dl - alt_penalty
            }
        }
    }

    /// A town known by `key` only as one of its other names, spelled unlike its own name, in a
    /// country the article does not point at. Other names include old ones: "Twickenham" is an
    /// old name of Huntsville, Alabama, and the London district (no town of its own in the
    /// gazetteer) would resolve there; "Stalin" one of Donetsk. Spellings of the same name stay
    /// ("Frankfurt", "Duesseldorf", "Lyons", "Basle"), as do the other names of capitals and of
    /// cities of a million ("Peking", "Bombay").
    fn weak_alternate(
        &self,
        key: &str,
        t: Target,
        via: NameKind,
        context: &QuickMap<u16, f64>,
    ) -> bool {
        let Target::City(i) = t else {
            return false;
        };
        let city = &self.gaz.cities[i as usize];
        if via != NameKind::Alternate
            || city.kind == CityKind::Capital
            || city.population >= 1_000_000
            || context.contains_key(&self.gaz.country_of(t))
        {
            return false;
        }
        let own = name_key(&city.name);
        let spelled_alike = own.contains(key)
            || key.contains(own.as_str())
            || key.chars().take(2).eq(own.chars().take(2));
        !spelled_alike
    }

    fn best(
        &self,
        key: &str,
        context: &QuickMap<u16, f64>,
        dateline: bool,
    ) -> Option<(Target, f64, f64)> {
        let mut best: Option<(Target, f64)> = None;
        let mut runner_up = f64::NEG_INFINITY;
        if super::countries::SUPRANATIONAL.contains(&key) {
            return None;
        }
        let generic = GENERIC_REGION_WORDS.contains(&key);
        let cands = self.gaz.lookup_key(key);
        for c in cands {
            if generic && matches!(c.target, Target::Region(_)) {
                continue;
            }
            if !dateline && self.weak_alternate(key, c.target, c.via, context) {
                continue;
            }
            let s = self.score(c.target, c.via, context, dateline);
            match best {
                Some((bt, bs)) if s <= bs => {
                    if self.gaz.country_of(bt) != self.gaz.country_of(c.target) {
                        runner_up = runner_up.max(s);
                    }
                }
                Some((bt, bs)) => {
                    if self.gaz.country_of(bt) != self.gaz.country_of(c.target) {
                        runner_up = runner_up.max(bs);
                    }
                    best = Some((c.target, s));
                }
                None => best = Some((c.target, s)),
            }
        }
        best.map(|(t, s)| (t, s, runner_up))
    }

    fn place_of(&self, t: Target) -> Place {
        let g = self.gaz;
        let country = &g.countries[g.country_of(t) as usize];
        let (name, region) = match t {
            Target::Country(_) => (country.name.clone(), None),
            Target::Region(r) => {
                let n = g.regions[r as usize].name.clone();
                (n.clone(), Some(n))
            }
            Target::City(c) => {
                let city = &g.cities[c as usize];
                (
                    city.name.clone(),
                    city.region.map(|r| g.regions[r as usize].name.clone()),
                )
            }
        };
        Place {
            name,
            country: Some(country.name.clone()),
            country_code: Some(country.code.clone()),
            region,
            mentions: 0,
            surface: Vec::new(),
            salient: false,
        }
    }

    /// The region or country a dateline qualifier names ("Calif.", "Ontario", "Brazil").
    fn qualifier_target(&self, q: &str) -> Option<Target> {
        let cands = self.gaz.lookup(q);
        cands
            .iter()
            .find(|c| matches!(c.target, Target::Country(_)) && c.via != NameKind::Alternate)
            .or_else(|| cands.iter().find(|c| matches!(c.target, Target::Region(_))))
            .map(|c| c.target)
    }

    /// Whether target `t` lies inside the qualifier target `q`.
    fn within(&self, t: Target, q: Target) -> bool {
        match (t, q) {
            (_, Target::Country(c)) => self.gaz.country_of(t) == c,
            (Target::Region(r), Target::Region(qr)) => r == qr,
            (Target::City(c), Target::Region(qr)) => self.gaz.cities[c as usize].region == Some(qr),
            _ => false,
        }
    }

    /// The dateline's place: the best reading of its city inside its qualifier, else the
    /// qualifier itself.
    fn dateline_target(&self, d: &Dateline<'_>, context: &QuickMap<u16, f64>) -> Option<Target> {
        let key = name_key(d.city);
        let q = d.qualifier.and_then(|q| self.qualifier_target(q));
        let Some(q) = q else {
            return self
                .best(&key, &QuickMap::default(), true)
                .map(|(t, _, _)| t);
        };
        self.gaz
            .lookup_key(&key)
            .iter()
            .filter(|c| self.within(c.target, q))
            .map(|c| (c.target, self.score(c.target, c.via, context, true)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(t, _)| t)
            .or(Some(q))
    }

    /// Resolves the places of a document. Places come out most prominent first; `salient` marks
    /// those the article is about (dateline, title, repeated mentions).
    pub fn resolve(&self, doc: &Doc<'_>, mentions: &[Mention]) -> Vec<Place> {
        let text = doc.text;
        let in_dateline =
            |s: usize, e: usize| doc.dateline_span.is_some_and(|(ds, de)| s < de && ds < e);
        let mut ev: Vec<Evidence> = Vec::new();
        // Tickers ("<OI>", "<BAB>") are never places, whatever the tagger made of them.
        let codes = bracketed_codes(text);
        let in_code = |s: usize, e: usize| codes.iter().any(|&(cs, ce)| cs <= s && e <= ce);
        let caps_lines = CapsLines::new(text);
        // Each mention's cleaned name and its key, made once.
        let names: Vec<(&str, String)> = mentions
            .iter()
            .map(|m| {
                let surface = clean_place(&m.text);
                (surface, name_key(surface))
            })
            .collect();
        for (m, (surface, key)) in mentions.iter().zip(&names) {
            if in_dateline(m.start, m.end) || in_code(m.start, m.end) {
                continue;
            }
            if names_an_agreement(text, m.end) && !self.is_country_name(key) {
                continue;
            }
            let source = match m.ty {
                EntityType::Loc => {
                    if key.is_empty() || key.chars().any(|c| c.is_ascii_digit()) {
                        continue;
                    }
                    if self.gaz.lookup_key(key).is_empty() && demonym_code(key).is_some() {
                        Source::Demonym
                    } else {
                        Source::Tagged
                    }
                }
                EntityType::Misc if demonym_code(key).is_some() => Source::Demonym,
                // "U.S." tagged as an organization or miscellany is still the country.
                EntityType::Misc | EntityType::Org if self.is_country_name(key) => Source::Tagged,
                _ => continue,
            };
            ev.push(Evidence {
                surface: surface.to_string(),
                key: key.clone(),
                start: m.start,
                source,
            });
        }
        // In ALL-CAPS lines (headlines) the tagger is unreliable: only its LOC mentions stop the
        // country-name scan there.
        let mut covered: Vec<(usize, usize)> = mentions
            .iter()
            .filter(|m| m.ty == EntityType::Loc || !caps_lines.at(m.start))
            .map(|m| (m.start, m.end))
            .collect();
        covered.extend(doc.dateline_span);
        covered.extend(codes.iter().copied());
        let ws = words(text);
        let lowercase_words = LowercaseWords {
            text,
            ws: &ws,
            set: Default::default(),
        };
        self.scan(text, &ws, &lowercase_words, &caps_lines, &covered, &mut ev);
        // Names the article gives to people or organizations, and the single words of people's
        // names: an unresolved place spelled the same is a tagging slip ("Costa" of "Marina
        // Costa").
        let mut other_names: QuickSet<&str> = QuickSet::default();
        for (m, (_, key)) in mentions.iter().zip(&names) {
            let key = key.as_str();
            match m.ty {
                EntityType::Per => {
                    other_names.extend(key.split(' '));
                    other_names.insert(key);
                }
                EntityType::Org => {
                    other_names.insert(key);
                }
                _ => {}
            }
        }

        // Pass 1: countries the article clearly points at.
        let none = QuickMap::default();
        let mut context: QuickMap<u16, f64> = QuickMap::default();
        if let Some(q) = doc
            .dateline
            .as_ref()
            .and_then(|d| d.qualifier)
            .and_then(|q| self.qualifier_target(q))
        {
            context.insert(self.gaz.country_of(q), 1.0);
        }
        for e in &ev {
            if e.source == Source::Demonym {
                if let Some(c) =
                    demonym_code(&e.key).and_then(|code| self.gaz.country_by_code(code))
                {
                    context.insert(c, 1.0);
                }
                continue;
            }
            if let Some((t, s, runner_up)) = self.best(&e.key, &none, false) {
                if matches!(t, Target::Country(_)) || s - runner_up >= 35.0 {
                    context.insert(self.gaz.country_of(t), 1.0);
                }
            }
        }

        // Pass 2: resolve every name with that context.
        let mut acc = Accumulator::default();
        // The body's "Washington" is the dateline's Washington.
        let mut dateline_resolved: Option<(String, Target)> = None;
        if let Some(d) = &doc.dateline {
            if let Some(t) = self.dateline_target(d, &context) {
                dateline_resolved = Some((name_key(d.city), t));
                acc.add(
                    self,
                    Some(t),
                    d.city,
                    doc.dateline_span.map_or(0, |s| s.0),
                    5.0,
                    true,
                );
            }
        }
        for e in &ev {
            let in_title = e.start < doc.title_end;
            let weight = if in_title { 2.0 } else { 1.0 };
            if e.source == Source::Demonym {
                let country = demonym_code(&e.key).and_then(|code| self.gaz.country_by_code(code));
                match country {
                    Some(c) if self.options.demonym_places => acc.add(
                        self,
                        Some(Target::Country(c)),
                        &e.surface,
                        e.start,
                        weight,
                        in_title,
                    ),
                    Some(c) => acc.support(Target::Country(c), weight),
                    None => {}
                }
                continue;
            }
            let target = match &dateline_resolved {
                Some((k, t)) if *k == e.key => Some(*t),
                _ => self.best(&e.key, &context, false).map(|(t, _, _)| t),
            };
            // A one-word town name opening the headline or a sentence, which the article (in
            // ordinary case) also writes in lower case, is the ordinary word: "Cocoa buffer stock
            // rules" (and the body's "cocoa") is not about Cocoa, Florida.
            if matches!(target, Some(Target::City(_)))
                && !e.key.contains(' ')
                && (in_title || sentence_initial(text, e.start))
                && lowercase_words.contains(&e.key)
                && lowercase_words.cased(doc.title_end)
            {
                continue;
            }
            // A short capitalized code in ordinary text ("the International Coffee Organisation
            // (ICO)") is an abbreviation, not a town that happens to be spelled the same (Icó,
            // Brazil). Country and state abbreviations ("USSR", "UAE") are countries or regions.
            if matches!(target, Some(Target::City(_)))
                && e.source == Source::Tagged
                && is_short_code(&e.surface)
                && !caps_lines.at(e.start)
            {
                continue;
            }
            if target.is_none()
                && (e.source != Source::Tagged
                    || !plausible_unresolved(&e.surface, &e.key)
                    || (!e.key.contains(' ') && lowercase_words.contains(&e.key))
                    || other_names.contains(e.key.as_str()))
            {
                continue;
            }
            acc.add(self, target, &e.surface, e.start, weight, in_title);
        }
        acc.finish()
    }
}

/// What the resolver knows about the document besides the mentions.
#[derive(Debug, Clone, Default)]
pub struct Doc<'a> {
    /// The tagged text (title, caption, dateline, body joined by blank lines).
    pub text: &'a str,
    /// Byte offset where the title ends in `text`.
    pub title_end: usize,
    /// The parsed dateline, if the article has one.
    pub dateline: Option<Dateline<'a>>,
    /// Where the dateline sits in `text`: nothing inside it counts twice.
    pub dateline_span: Option<(usize, usize)>,
}

/// A dateline's place: a city and an optional qualifier ("SANTA CRUZ, Calif." → city
/// "SANTA CRUZ", qualifier "Calif.").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dateline<'a> {
    pub city: &'a str,
    pub qualifier: Option<&'a str>,
}

/// Places gathered so far, keyed by target (or by name when unresolved).
#[derive(Default)]
struct Accumulator {
    places: Vec<Slot>,
    by_target: QuickMap<Target, usize>,
    unresolved: QuickMap<String, usize>,
    /// Weight of evidence (demonyms) for countries not listed on their own.
    support: QuickMap<Target, f64>,
}

struct Slot {
    place: Place,
    target: Option<Target>,
    first: usize,
    weight: f64,
    prominent: bool,
}

impl Accumulator {
    fn add(
        &mut self,
        r: &Resolver<'_>,
        t: Option<Target>,
        surface: &str,
        start: usize,
        weight: f64,
        prominent: bool,
    ) {
        let places = &mut self.places;
        let new_slot = |place: Place| Slot {
            place,
            target: t,
            first: start,
            weight: 0.0,
            prominent: false,
        };
        let i = match t {
            Some(t) => *self.by_target.entry(t).or_insert_with(|| {
                places.push(new_slot(r.place_of(t)));
                places.len() - 1
            }),
            None => *self.unresolved.entry(name_key(surface)).or_insert_with(|| {
                let name = if is_all_caps(surface) {
                    super::text::title_case(surface)
                } else {
                    surface.to_string()
                };
                places.push(new_slot(Place {
                    name,
                    country: None,
                    country_code: None,
                    region: None,
                    mentions: 0,
                    surface: Vec::new(),
                    salient: false,
                }));
                places.len() - 1
            }),
        };
        let slot = &mut places[i];
        slot.place.mentions += 1;
        slot.first = slot.first.min(start);
        slot.weight += weight;
        slot.prominent |= prominent;
        if !slot.place.surface.iter().any(|s| s == surface) {
            slot.place.surface.push(surface.to_string());
        }
    }

    fn support(&mut self, t: Target, weight: f64) {
        *self.support.entry(t).or_default() += weight;
    }

    fn finish(mut self) -> Vec<Place> {
        for slot in &mut self.places {
            if let Some(w) = slot.target.and_then(|t| self.support.get(&t)) {
                slot.weight += w;
            }
            slot.place.salient = slot.prominent || slot.weight >= 2.0;
        }
        self.places
            .sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.first.cmp(&b.first)));
        if !self.places.iter().any(|s| s.place.salient) {
            if let Some(s) = self.places.iter_mut().find(|s| s.target.is_some()) {
                s.place.salient = true;
            }
        }
        self.places.into_iter().map(|s| s.place).collect()
    }
}

/// Spans of short bracketed codes such as stock tickers ("<UK>", "<GM>"): never places.
fn bracketed_codes(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find('<') {
        let s = from + i;
        match text[s..].find('>') {
            Some(j) if j <= 24 && !text[s..s + j].contains('\n') => {
                out.push((s, s + j + 1));
                from = s + j + 1;
            }
            _ => from = s + 1,
        }
    }
    out
}

/// Names the tagger now and then reads as places that name no place: holidays ("over
/// Christmas") and faiths ("Muslim leaders"). Only unresolved names are tested: "Christmas
/// Island" is in the gazetteer.
const NO_PLACE: &[&str] = &[
    "advent",
    "buddhist",
    "catholic",
    "christian",
    "christmas",
    "christmas day",
    "christmas eve",
    "diwali",
    "easter",
    "eid",
    "halloween",
    "hanukkah",
    "hindu",
    "islam",
    "islamic",
    "jewish",
    "lent",
    "muslim",
    "new year",
    "new years day",
    "new years eve",
    "passover",
    "protestant",
    "ramadan",
    "sikh",
    "thanksgiving",
];

/// Two to four capital letters and nothing else ("ICO", "OI").
fn is_short_code(s: &str) -> bool {
    (2..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// An unresolved LOC mention worth listing: a capitalized name of at most six words. `key` is
/// the name's key.
fn plausible_unresolved(s: &str, key: &str) -> bool {
    if NO_PLACE.contains(&key) {
        return false;
    }
    // Short all-caps words ("GM", "NYSE") are tickers and abbreviations, not places.
    let short_code = is_all_caps(s) && !s.contains(' ') && s.chars().count() <= 4;
    // One ordinary word ("Sugar", "Co") is no place either.
    let one_ordinary_word = !s.contains(' ') && ordinary_word(s);
    capitalized(s)
        && !short_code
        && !one_ordinary_word
        && s.split_whitespace().count() <= 6
        && s.chars().any(char::is_alphabetic)
}

/// A word that is no place's name alone: a company designator ("Ryan, Beck and Co", which the
/// tagger now and then reads as a place), or a word news text usually
/// writes in lower case ("Sugar", "Cabinet" opening a headline), as the truecaser learned.
/// Compass words stay: "the Northeast" is a region, though news text writes "northeast" more.
fn ordinary_word(word: &str) -> bool {
    const COMPASS: &[&str] = &[
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northern",
        "southern",
        "eastern",
        "western",
        "midwest",
        "mideast",
    ];
    let key = name_key(word);
    if COMPASS.contains(&key.replace(' ', "").as_str()) {
        return false;
    }
    super::text::is_designator(&key)
        || crate::ner::truecase::TrueCaser::embedded().form(word)
            == Some(crate::ner::truecase::Form::Lower)
}

fn is_date_part(seg: &str) -> bool {
    const MONTHS: &[&str] = &[
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let k = name_key(seg);
    k.chars().any(|c| c.is_ascii_digit()) || MONTHS.iter().any(|m| k.starts_with(m))
}

/// The place named by a dateline ("GENEVA (Reuters) -", "TOKYO, March 3 -", "SANTA CRUZ, Calif.,
/// Feb 26 -").
pub fn dateline_place(dateline: &str) -> Option<Dateline<'_>> {
    let d = dateline.trim();
    let end = d
        .find(['(', '\n'])
        .into_iter()
        .chain(d.find(" -"))
        .chain(d.find(" —"))
        .chain(d.find(" –"))
        .min()
        .unwrap_or(d.len());
    let mut segs = d[..end]
        .split(',')
        .map(|s| s.trim().trim_end_matches(['-', '—', '–', ':']).trim());
    let city = segs.next()?;
    let words = city.split_whitespace().count();
    if city.is_empty()
        || words > 4
        || !capitalized(city)
        || city.chars().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    let qualifier = segs
        .next()
        .filter(|q| !q.is_empty() && !is_date_part(q) && capitalized(q) && q.len() <= 30);
    Some(Dateline { city, qualifier })
}

/// A dateline at the start of a body ("GENEVA (Reuters) - ..."): only an ALL-CAPS place followed
/// by a comma, a bracket or a dash counts.
pub fn body_dateline(body: &str) -> Option<Dateline<'_>> {
    let head: &str = body.trim_start().lines().next().unwrap_or("");
    let cut = head.find([',', '(', '-', '—', '–'])?;
    let name = head[..cut].trim();
    if name.len() < 3
        || name.len() > 40
        || !is_all_caps(name)
        || name.split_whitespace().count() > 4
    {
        return None;
    }
    if !name
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '\''))
    {
        return None;
    }
    Some(Dateline {
        city: name,
        qualifier: None,
    })
}

impl Resolver<'_> {
    /// The best reading of a lone name, without context.
    pub fn lookup(&self, name: &str) -> Option<Place> {
        let key = name_key(name);
        let (t, _, _) = self.best(&key, &QuickMap::default(), false)?;
        let mut p = self.place_of(t);
        p.mentions = 1;
        p.surface.push(name.trim().to_string());
        Some(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_inner_marks_and_abbreviation_dots() {
        let text = "The U.S. and O'Neill's co-op - Zürich’s 3.5 pct, e.g. A.B.C. x.y -z. Ça va...";
        let got: Vec<&str> = words(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(
            got,
            vec![
                "The",
                "U.S.",
                "and",
                "O'Neill's",
                "co-op",
                "Zürich’s",
                "3.5",
                "pct",
                "e.g.",
                "A.B.C.",
                "x.y",
                "z",
                "Ça",
                "va"
            ]
        );
    }

    #[test]
    fn caps_lines_answer_for_the_line_around_a_position() {
        let text = "OIL PRICES RISE\nPrices rose in Oslo.\n\nNORWAY SAYS\n";
        let lines = CapsLines::new(text);
        // The line around each position, found the slow way, decides.
        for pos in 0..=text.len() {
            let start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
            let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            assert_eq!(lines.at(pos), is_all_caps(&text[start..end]), "at {pos}");
        }
        assert!(
            lines.at(0) && lines.at(15),
            "a line break belongs to the line it ends"
        );
        assert!(!lines.at(16) && !lines.at(text.find("\n\n").unwrap_or(0) + 1));
        assert!(lines.at(text.find("NORWAY").unwrap_or(0)));
    }
}
