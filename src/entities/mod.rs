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
pub mod people;
pub mod places;
pub mod text;

use crate::article::Article;
use crate::ner::truecase::TrueCaser;
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
    /// Whether the article is about this place rather than mentioning it in passing: the
    /// dateline, a place in the title, or one named repeatedly. Every article with places has at
    /// least one salient place.
    #[serde(default)]
    pub salient: bool,
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
    let text = mask_credits(&document_text(article), article.caption.as_deref());
    // ALL-CAPS headlines are tagged in their usual case (same byte length, same offsets).
    let caser = TrueCaser::embedded();
    let r = caser.restore_tokenized(&text);
    let (text, restored) = (r.text, r.spans);
    let mut mentions = Tagger::embedded().tag_tokenized(&text, &r.tokens, &r.sentences);
    // A headline's first word, and the words of a restored headline, have no capital to go on.
    let title = article.title.trim();
    let headline = (!title.is_empty() && text.len() >= title.len()).then_some(0..title.len());
    add_known_people(
        caser,
        &text,
        headline.iter().chain(&restored),
        &mut mentions,
    );
    extract_with(article, &text, &mentions, PlaceOptions::default())
}

/// Adds a person mention for each word in `spans` of `text` that the tagger passed over but that
/// is nearly always a person's name in running text ("VOLCKER SAYS FED ...").
fn add_known_people<'a>(
    caser: &TrueCaser,
    text: &str,
    spans: impl Iterator<Item = &'a std::ops::Range<usize>>,
    mentions: &mut Vec<Mention>,
) {
    let before = mentions.len();
    for span in spans {
        let Some(part) = text.get(span.clone()) else {
            continue;
        };
        for t in crate::ner::tokenize::tokenize(part) {
            let (start, end) = (span.start + t.start, span.start + t.end);
            let word = &text[start..end];
            let capitalized = word.chars().next().is_some_and(char::is_uppercase);
            let covered = mentions.iter().any(|m| m.start < end && start < m.end);
            if capitalized && !covered && caser.is_person(word) {
                mentions.push(Mention {
                    ty: EntityType::Per,
                    start,
                    end,
                    text: word.to_string(),
                });
            }
        }
    }
    if mentions.len() > before {
        mentions.sort_by_key(|m| (m.start, m.end));
    }
}

/// [`extract`] with the tagger's mentions of `text` (= [`document_text`]) given by the caller.
pub fn extract_with(
    article: &Article,
    text: &str,
    mentions: &[Mention],
    options: PlaceOptions,
) -> ArticleEntities {
    let gaz = Gazetteer::embedded();
    // Photo credits are blanked out (same byte length, so offsets still hold) and mentions
    // inside them dropped.
    let masked = mask_credits(text, article.caption.as_deref());
    // Mentions whose offsets do not fit the text are ignored rather than trusted.
    let mut mentions: Vec<Mention> = mentions
        .iter()
        .filter(|m| text.get(m.start..m.end).is_some())
        .filter(|m| masked.get(m.start..m.end) == text.get(m.start..m.end))
        .filter(|m| !text::is_common_word(&text::name_key(&m.text)))
        .cloned()
        .collect();
    relabel_locative_orgs(text, &mut mentions, gaz);
    // The head of a name the text defines by an acronym ("United States" of "United States
    // Africa Command (AFRICOM)") is part of that name, not a mention of its own.
    for (s, e) in orgs::acronym_long_forms(text) {
        let before = mentions.len();
        mentions.retain(|m| !(m.start == s && m.end < e));
        if mentions.len() < before && !mentions.iter().any(|m| m.start <= s && e <= m.end) {
            mentions.push(Mention {
                ty: EntityType::Org,
                start: s,
                end: e,
                text: text[s..e].to_string(),
            });
            mentions.sort_by_key(|m| (m.start, m.end));
        }
    }
    let text = masked.as_str();
    merge_firm_names(text, &mut mentions);
    trim_role_heads(text, &mut mentions);
    relabel_place_people(&mut mentions, gaz);
    // The text may be the true-cased document text: fields are found ignoring case.
    let span_of = |part: &str| {
        let part = part.trim();
        find_ignore_ascii_case(text, part).map(|s| (s, s + part.len()))
    };
    let (dateline, dateline_span) = match article.dateline.as_deref() {
        Some(d) if places::dateline_place(d).is_some() => (places::dateline_place(d), span_of(d)),
        _ => match places::body_dateline(&article.body) {
            Some(d) => {
                // The body is the last part of the text and starts with the dateline.
                let body_start = text.len() - article.body.trim().len();
                (Some(d), Some((body_start, body_start + d.city.len())))
            }
            None => (None, None),
        },
    };
    let title = article.title.trim();
    let doc = places::Doc {
        text,
        title_end: if text
            .as_bytes()
            .get(..title.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(title.as_bytes()))
        {
            title.len()
        } else {
            0
        },
        dateline,
        dateline_span,
    };
    let resolver = Resolver { gaz, options };
    let places = resolver.resolve(&doc, &mentions);

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
    // A country tagged as an organization is counted as a place above, not as an org.
    // Nor is a demonym ("the Lebanese army") an organization.
    let org_spans: Vec<(usize, usize, &str)> = mentions
        .iter()
        .filter(|m| m.ty == EntityType::Org)
        .filter(|m| {
            let key = text::name_key(&m.text);
            !is_country(&key) && countries::demonym_code(&key).is_none()
        })
        .map(|m| (m.start, m.end, &text[m.start..m.end]))
        .collect();
    // Long forms that define an acronym may carry any tag ("... Command (AFRICOM)").
    let all_spans: Vec<(usize, usize, &str)> = mentions
        .iter()
        .filter(|m| m.ty != EntityType::Per)
        .map(|m| (m.start, m.end, &text[m.start..m.end]))
        .collect();
    let orgs = orgs::canonical_orgs(text, &org_spans, &all_spans);
    let mut people = without_firm_heads(people, &orgs);
    people.retain(|p| !is_no_name(p));
    ArticleEntities {
        people,
        places,
        orgs,
    }
}

/// Whether a "person" is no one's name: a date in words ("payable April One"), or words that
/// are all usually written in lower case and in no list of given names or surnames ("Zinc",
/// "However", "Crop Bulletin", "Jungle Fever"), capitalized by a headline, a table or a title.
fn is_no_name(p: &Entity) -> bool {
    let key = text::name_key(&p.name);
    if text::is_spelled_date(&key) {
        return true;
    }
    let caser = TrueCaser::embedded();
    let common = |w: &str| {
        caser.form(w) == Some(crate::ner::truecase::Form::Lower)
            && !caser.is_person(w)
            && !people::is_name_word(&text::name_key(w))
    };
    std::iter::once(&p.name)
        .chain(&p.surface)
        .all(|s| s.split_whitespace().all(common))
}

/// The people of an article less those named only by the opening words of a firm the article
/// names ("Dean Witter" with "Dean Witter Reynolds Inc", "Sun" with "Sun Co", "Eli Lilly" with
/// "Eli Lilly and Co"): the tagger read the firm as a person, mostly in a headline, which drops
/// the designators. Only firms, whose names end in a designator or a partnership word: "Reagan"
/// stays next to "Reagan Administration". A person also named otherwise stays: "Ivan Boesky",
/// also called "Boesky", next to "Ivan Boesky and Co L.P.".
fn without_firm_heads(people: Vec<Entity>, orgs: &[Entity]) -> Vec<Entity> {
    let firms: Vec<String> = orgs
        .iter()
        .map(|o| text::name_key(&o.name))
        .filter(|k| orgs::is_firm_key(k))
        .collect();
    if firms.is_empty() {
        return people;
    }
    let opens = |firm: &str, key: &str| {
        firm.strip_prefix(key)
            .is_some_and(|rest| rest.starts_with(' '))
    };
    people
        .into_iter()
        .filter(|p| {
            // The keys of the name and of every surface form, each made once.
            let keys: Vec<String> = std::iter::once(&p.name)
                .chain(&p.surface)
                .map(|s| text::name_key(s))
                .collect();
            !firms.iter().any(|f| keys.iter().all(|k| opens(f, k)))
        })
        .collect()
}

/// Byte offset of the first occurrence of `needle` in `hay`, ASCII case ignored.
fn find_ignore_ascii_case(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1))
        .find(|&i| hay.is_char_boundary(i) && h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Canonical country name for a user's spelling of a country, if it is one: an English name, a
/// common alias ("US", "Britain", "Holland"), or an ISO 3166-1 alpha-2 code; any case.
///
/// Reads only the gazetteer's country table (not its cities and name index): a query with a place
/// filter calls this, and must not pay for decoding the whole gazetteer.
pub fn country_name(name: &str) -> Option<String> {
    let countries = gazetteer::CountryNames::embedded();
    let key = text::name_key(name);
    let by_code = || {
        let t = name.trim();
        (t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()))
            .then(|| countries.by_code(&t.to_ascii_uppercase()))
            .flatten()
    };
    countries
        .by_key(&key)
        .or_else(by_code)
        .map(|i| countries.name(i).to_string())
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

/// Words in a photo credit: "(AP Photo/Jo Bloggs)", "(Getty Images)", "(Picture: Daily Star)".
const CREDIT_WORDS: [&str; 6] = ["photo", "image", "picture", "getty", "credit", "courtesy"];

/// Blanks out photo credits: the bracketed group that ends a caption, and a bracketed group ending
/// any line when it holds a credit word. Every byte of a credit becomes a space, so byte offsets
/// into the returned text are those of `text`.
pub fn mask_credits(text: &str, caption: Option<&str>) -> String {
    let caption = caption.map(str::trim).filter(|c| !c.is_empty());
    let caption_span = caption.and_then(|c| text.find(c).map(|s| (s, s + c.len())));
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let trimmed = line.trim_end();
        let line_end = line_start + trimmed.len();
        if let Some(open) = trimmed.strip_suffix(')').and_then(|t| t.rfind('(')) {
            let inner = &trimmed[open + 1..trimmed.len() - 1];
            let lower = inner.to_lowercase();
            let ends_caption = caption_span.is_some_and(|(s, e)| line_end == e && line_start >= s);
            let credit = CREDIT_WORDS.iter().any(|w| lower.contains(w));
            if inner.len() <= 80 && !inner.contains('(') && (ends_caption || credit) {
                spans.push((line_start + open, line_end));
            }
        }
        line_start += line.len() + 1;
    }
    // Each span becomes as many spaces as it has bytes: offsets stay those of `text`. Spans
    // start after a '(' and end at a line's end, so both ends are character boundaries.
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (s, e) in spans {
        out.push_str(&text[at..s]);
        out.extend(std::iter::repeat_n(' ', e - s));
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

/// Firm names the tagger reads as people or splits: a founder's name that begins one ("Kidder,
/// Peabody and Co", "James Capel and Co", "Alex. Brown and Sons Inc"; see
/// [`orgs::firm_name_end`]) and names joined by "and" ("Standard and Poor's"). Each firm name
/// becomes one organization mention, and the mentions inside it go.
fn merge_firm_names(text: &str, mentions: &mut Vec<Mention>) {
    let mut firms = orgs::joined_name_spans(text);
    for m in mentions.iter().filter(|m| m.ty == EntityType::Per) {
        if firms.iter().any(|&(s, e)| m.start < e && s < m.end) {
            continue;
        }
        let words: Vec<&str> = text[m.start..m.end].split_whitespace().collect();
        let one_word = words.len() == 1;
        let full_name = !one_word && people::is_first_name(&text::name_key(words[0]));
        if let Some(end) = orgs::firm_name_end(text, m.end, !full_name, one_word) {
            firms.push((m.start, end));
        }
    }
    if firms.is_empty() {
        return;
    }
    mentions.retain(|m| !firms.iter().any(|&(s, e)| m.start < e && s < m.end));
    for (start, end) in firms {
        mentions.push(Mention {
            ty: EntityType::Org,
            start,
            end,
            text: text[start..end].to_string(),
        });
    }
    mentions.sort_by_key(|m| (m.start, m.end));
}

/// Continents and world regions: places, never people.
const CONTINENTS: [&str; 9] = [
    "africa",
    "europe",
    "asia",
    "antarctica",
    "oceania",
    "north america",
    "south america",
    "latin america",
    "central america",
];

/// Population from which a city's own name, alone, is read as the city rather than a person.
const BIG_CITY: u64 = 1_000_000;

/// Whether a name key is a country, a continent or the primary name of a big city.
fn strong_place(key: &str, gaz: &Gazetteer) -> bool {
    CONTINENTS.contains(&key)
        || gaz.lookup_key(key).iter().any(|c| match c.target {
            Target::Country(_) => c.via != NameKind::Alternate,
            Target::City(i) => {
                c.via == NameKind::Primary && gaz.cities[i as usize].population >= BIG_CITY
            }
            Target::Region(_) => false,
        })
}

/// Words looked at before a person mention for the role it ends (see [`trim_role_heads`]).
const ROLE_REACH: usize = 8;

/// A role "of" something can run into the name that follows it: in "Minister of Mines and Energy
/// Subroto" the tagger reads "Energy Subroto" as the person. When the words before a person
/// mention of two words or more are capitalized words, "of", "and", "&" or "the", back to a
/// title or role word followed by "of", with no comma or full stop between, and the mention goes
/// on from "of" or "and", its first word is the role's and is cut ("Secretary of State George
/// Shultz" read as "State George Shultz" also loses "State"). Not when that word is a given
/// name or an initial, not without the "of" ("President Reagan and Nancy Reagan"), and not for
/// a name the article gives a firm too.
fn trim_role_heads(text: &str, mentions: &mut [Mention]) {
    // A "person" the article also names as a firm is the firm ("president of Scientific Games",
    // with "Scientific Games Inc" elsewhere): left whole for the organization rules.
    let firm_named: Vec<bool> = mentions
        .iter()
        .map(|m| {
            m.ty == EntityType::Per
                && mentions
                    .iter()
                    .any(|o| o.ty == EntityType::Org && o.text.starts_with(m.text.as_str()))
        })
        .collect();
    for (m, firm_named) in mentions.iter_mut().zip(firm_named) {
        if m.ty != EntityType::Per || firm_named {
            continue;
        }
        let Some((head, rest)) = m.text.split_once(' ') else {
            continue;
        };
        if rest.trim().is_empty() {
            continue;
        }
        // A given name or an initial opens the person's own name ("J. Thomas Clark").
        let head_key = text::name_key(head);
        if people::is_first_name(&head_key) || head.trim_end_matches('.').chars().count() <= 2 {
            continue;
        }
        let mut words = text[..m.start].split_whitespace().rev().take(ROLE_REACH);
        // The word after the one looked at, in text order.
        let mut after = "";
        let ends_role = loop {
            let Some(w) = words.next() else {
                break false;
            };
            // A comma or a full stop ends the role ("the Bank of Tokyo, and Paul Krugman").
            if w.ends_with([',', '.', ';', ':']) {
                break false;
            }
            let key = text::name_key(w);
            match key.as_str() {
                "of" | "and" | "the" | "" => {}
                // The role is the title and its "of" ("Minister of", "Secretary of").
                _ if people::is_title(&key) => break after == "of",
                _ if w.starts_with(|c: char| c.is_uppercase()) => {}
                _ => break false,
            }
            after = if key == "of" { "of" } else { w };
        };
        // The words just before the mention must be the role's own ("of", "and"): a comma or a
        // full stop ends it.
        let joined = text[..m.start].trim_end();
        let joins = joined.ends_with(" of") || joined.ends_with(" and") || joined.ends_with(" &");
        if ends_role && joins {
            let cut = head.len() + 1 + (rest.len() - rest.trim_start().len());
            m.start += cut;
            m.text = m.text[cut..].to_string();
        }
    }
}

/// News agencies whose one-word names the tagger can read as a person's ("told Reuters", "a
/// Reuter survey", "Kyodo said"): always organizations.
const WIRE_SERVICES: &[&str] = &[
    "reuters", "reuter", "kyodo", "xinhua", "tass", "interfax", "yonhap", "jiji", "bernama",
];

/// The tagger sometimes calls a place or a club a person ("Africa", "Sao Paulo", "Chelsea"). A
/// person mention not part of a longer person name in the same article is read as a place when
/// its whole text is a strong place name, and as an organization when it is one word the article
/// tags more often, and at least twice, as an organization, when it is part of the name of a
/// firm of the article ("Chrysler" of "Chrysler Corp", "Capel" of "James Capel and Co"), or when
/// it is a news agency's ([`WIRE_SERVICES`]).
fn relabel_place_people(mentions: &mut [Mention], gaz: &Gazetteer) {
    let person_key = |m: &Mention| {
        let t = m.text.trim();
        let t = t
            .strip_suffix("'s")
            .or_else(|| t.strip_suffix("\u{2019}s"))
            .unwrap_or(t);
        text::name_key(t)
    };
    let people: Vec<String> = mentions
        .iter()
        .filter(|m| m.ty == EntityType::Per)
        .map(person_key)
        .collect();
    let orgs: Vec<String> = mentions
        .iter()
        .filter(|m| m.ty == EntityType::Org)
        .map(person_key)
        .collect();
    let as_person = |key: &str| people.iter().filter(|p| *p == key).count();
    let within = |short: &str, long: &str| {
        let (s, l): (Vec<&str>, Vec<&str>) =
            (short.split(' ').collect(), long.split(' ').collect());
        l.len() > s.len() && l.windows(s.len()).any(|w| w == s.as_slice())
    };
    // A firm named after a person by full name ("Ivan F. Boesky and Co") leaves the surname
    // alone to the person; a firm's name opens with the name it goes by ("Chrysler" of "Chrysler
    // Corp"), or holds it ("Peabody" of "Kidder, Peabody and Co").
    let names_firm = |key: &str, firm: &str| {
        firm == key
            || firm.starts_with(&format!("{key} "))
            || (within(key, firm) && !firm.split(' ').next().is_some_and(people::is_first_name))
    };
    // What each person mention would be read as instead, from its own name.
    let relabel: Vec<Option<EntityType>> = people
        .iter()
        .map(|key| {
            // A one-word "person" the article names more often as an organization, at least
            // twice ("Chelsea"); or part of the name of a firm of the article ("Chrysler" of
            // "Chrysler Corp", "Capel" of "James Capel and Co"), unless it opens with a given
            // name ("Ivan Boesky" of "Ivan Boesky and Co" is the man).
            let org = WIRE_SERVICES.contains(&key.as_str())
                || (!key.contains(' ')
                    && orgs.iter().filter(|o| *o == key).count() > as_person(key).max(1))
                || (!key.split(' ').next().is_some_and(people::is_first_name)
                    && orgs
                        .iter()
                        .any(|o| orgs::is_firm_key(o) && names_firm(key, o)));
            if key.is_empty() {
                None
            } else if org {
                Some(EntityType::Org)
            } else if strong_place(key, gaz) {
                Some(EntityType::Loc)
            } else {
                None
            }
        })
        .collect();
    // A name that is part of a longer person's name stays a person ("Paulo" of "Paulo Freire");
    // only names that stay people's count ("Mart" of a "K Mart" that is the firm does not).
    let staying: Vec<&String> = people
        .iter()
        .zip(&relabel)
        .filter(|(_, r)| r.is_none())
        .map(|(p, _)| p)
        .collect();
    let pers = mentions.iter_mut().filter(|m| m.ty == EntityType::Per);
    for ((m, key), ty) in pers.zip(&people).zip(relabel) {
        if let Some(ty) = ty {
            if !staying.iter().any(|p| within(key, p)) {
                m.ty = ty;
            }
        }
    }
}

/// Words after which a name is a location ("fighting around Sirte", "a base near Kandahar").
const LOCATIVE_WORDS: [&str; 7] = [
    "in", "near", "around", "outside", "across", "towards", "toward",
];

/// The tagger sometimes calls a town an organization. An organization mention right after a
/// locative word, not possessive, whose text is a place's own name (not an alternate spelling)
/// is read as a place.
fn relabel_locative_orgs(text: &str, mentions: &mut [Mention], gaz: &Gazetteer) {
    for m in mentions.iter_mut().filter(|m| m.ty == EntityType::Org) {
        let after = &text[m.end..];
        if after.starts_with("'s") || after.starts_with("\u{2019}s") {
            continue;
        }
        let before = text[..m.start].trim_end();
        let prev_word = before
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        if !LOCATIVE_WORDS
            .iter()
            .any(|w| prev_word.eq_ignore_ascii_case(w))
        {
            continue;
        }
        let known_place = gaz
            .lookup_key(&text::name_key(&m.text))
            .iter()
            .any(|c| c.via != NameKind::Alternate);
        if known_place {
            m.ty = EntityType::Loc;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str, dateline: Option<&str>, body: &str) -> Article {
        Article {
            id: "t".into(),
            title: title.into(),
            body: body.into(),
            caption: None,
            dateline: dateline.map(str::to_string),
            published: None,
            source: None,
            url: None,
            author: None,
            origins: Vec::new(),
            content_hash: String::new(),
        }
    }

    /// Mentions of the given type for each listed surface, found in order in `text`.
    fn tag(text: &str, spec: &[(EntityType, &str)]) -> Vec<Mention> {
        let mut from = 0;
        spec.iter()
            .map(|&(ty, s)| {
                let start = from + text[from..].find(s).expect("mention in text");
                from = start + s.len();
                Mention {
                    ty,
                    start,
                    end: start + s.len(),
                    text: s.to_string(),
                }
            })
            .collect()
    }

    #[test]
    fn a_role_of_something_is_cut_from_the_name_it_runs_into() {
        use EntityType::{Org, Per};
        let trimmed = |text: &str, spec: &[(EntityType, &str)]| {
            let mut mentions = tag(text, spec);
            trim_role_heads(text, &mut mentions);
            mentions
                .iter()
                .filter(|m| m.ty == Per)
                .map(|m| {
                    assert_eq!(&text[m.start..m.end], m.text, "offsets follow the text");
                    m.text.clone()
                })
                .collect::<Vec<_>>()
        };
        let text = "Oil will hold, Minister of Mines and Energy Tarsono told reporters.";
        assert_eq!(trimmed(text, &[(Per, "Energy Tarsono")]), ["Tarsono"]);
        let text = "It was announced by Chief of Staff Orrin Dalby on Monday.";
        assert_eq!(
            trimmed(text, &[(Per, "Staff Orrin Dalby")]),
            ["Orrin Dalby"]
        );
        // No "of" after the title, a comma, a given name or an initial, a firm's name: whole.
        for (text, person) in [
            ("Speaker Dalby and Nora Dalby left.", "Nora Dalby"),
            (
                "President Quorrin and Energy Tarsono left.",
                "Energy Tarsono",
            ),
            (
                "the president of the Bank of Ostend, and Energy Tarsono",
                "Energy Tarsono",
            ),
            ("a director of Corvane and Erik Vanloo", "Erik Vanloo"),
            (
                "the chairman of Corvane and J. Erik Vanloo",
                "J. Erik Vanloo",
            ),
        ] {
            assert_eq!(trimmed(text, &[(Per, person)]), [person], "{text}");
        }
        let text = "Tarsono, president of Vanloo Games, said Vanloo Games Inc would list.";
        assert_eq!(
            trimmed(
                text,
                &[
                    (Per, "Tarsono"),
                    (Per, "Vanloo Games"),
                    (Org, "Vanloo Games Inc")
                ]
            ),
            ["Tarsono", "Vanloo Games"]
        );
    }

    #[test]
    fn a_person_named_only_by_the_start_of_a_firm_is_the_firm() {
        use EntityType::{Org, Per};
        let a = article(
            "Tobias Wrenfield To Buy Quintex",
            None,
            "Tobias Wrenfield Securities Inc will buy Quintex, said Marlo Quint, who founded \
             Marlo Quint and Co. Quint said Dovecote agreed. The Dovecote Administration did not.",
        );
        let e = run(
            &a,
            &[
                (Per, "Tobias Wrenfield"),
                (Org, "Tobias Wrenfield Securities Inc"),
                (Per, "Marlo Quint"),
                (Org, "Marlo Quint and Co"),
                (Per, "Quint"),
                (Per, "Dovecote"),
                (Org, "Dovecote Administration"),
            ],
        );
        let mut people = names(&e.people);
        people.sort_unstable();
        // The firm's head goes; a person also named by surname stays, and so does a name that
        // opens an organization that is no firm.
        assert_eq!(people, ["Dovecote", "Marlo Quint"]);
        assert!(names(&e.orgs).contains(&"Tobias Wrenfield Securities Inc"));
    }

    #[test]
    fn a_news_agency_is_never_a_person() {
        use EntityType::Per;
        let a = article(
            "Output Steady",
            None,
            "A Reuter survey found output steady, Hollis Varga told Reuters.",
        );
        let e = run(
            &a,
            &[(Per, "Reuter"), (Per, "Hollis Varga"), (Per, "Reuters")],
        );
        assert_eq!(names(&e.people), ["Hollis Varga"]);
        assert_eq!(
            names(&e.orgs),
            ["Reuters"],
            "both spellings are the one agency"
        );
    }

    #[test]
    fn dates_in_words_and_common_words_are_no_one() {
        use EntityType::Per;
        let a = article(
            "Dividend",
            None,
            "The dividend is payable April One, the company said. Zinc rose, the Crop Bulletin \
             said. Butt scored twice.",
        );
        let e = run(
            &a,
            &[
                (Per, "April One"),
                (Per, "Zinc"),
                (Per, "Crop Bulletin"),
                (Per, "Butt"),
            ],
        );
        // "butt" is usually lower case too, but it is a surname.
        assert_eq!(names(&e.people), ["Butt"]);
    }

    fn run(a: &Article, spec: &[(EntityType, &str)]) -> ArticleEntities {
        let text = document_text(a);
        let mentions = tag(&text, spec);
        extract_with(a, &text, &mentions, PlaceOptions::default())
    }

    fn place<'a>(e: &'a ArticleEntities, name: &str) -> &'a Place {
        e.places
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no place {name} in {:?}", e.places))
    }

    use EntityType::{Loc, Org, Per};

    /// The whole pipeline, tagger included, on a hand-written article.
    fn full(title: &str, body: &str) -> ArticleEntities {
        extract(&article(title, None, body))
    }

    fn names(es: &[Entity]) -> Vec<&str> {
        es.iter().map(|e| e.name.as_str()).collect()
    }

    fn place_names(e: &ArticleEntities) -> Vec<&str> {
        e.places.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn new_york_is_not_york_and_a_person_called_george_is_not_a_place() {
        let e = full(
            "Traders in New York",
            "Stocks rose in New York on Tuesday, said George Papadakis, a trader at a New York \
             brokerage. George said volumes were thin.",
        );
        assert_eq!(place_names(&e), vec!["New York"]);
        assert_eq!(place(&e, "New York").country_code.as_deref(), Some("US"));
        assert_eq!(names(&e.people), vec!["George Papadakis"]);
        assert_eq!(e.people[0].mentions, 2, "George links to George Papadakis");
    }

    #[test]
    fn a_town_naming_an_agreement_is_not_a_place() {
        let e = full(
            "Emissions talks",
            "Ministers meeting in Nairobi said the Kyoto protocol had cut emissions less than \
             hoped. Exporters in Japan and Kenya said the Paris accord on currencies mattered more.",
        );
        let names = place_names(&e);
        assert!(names.contains(&"Nairobi"), "{names:?}");
        assert!(names.contains(&"Japan"), "{names:?}");
        assert!(!names.contains(&"Kyoto"), "{names:?}");
        assert!(!names.contains(&"Paris"), "{names:?}");
    }

    #[test]
    fn demonyms_are_neither_places_nor_organizations() {
        let e = full(
            "Storm in Tripoli",
            "Heavy rain flooded Tripoli, Lebanon's second city. The Lebanese army and Syrian \
             volunteers helped, Lebanese officials said.",
        );
        assert_eq!(place_names(&e), vec!["Tripoli", "Lebanon"]);
        assert!(
            !place_names(&e).contains(&"Syria"),
            "Syrian is not a mention of Syria"
        );
        assert!(e.orgs.iter().all(|o| !o.name.contains("Lebanese")));
        assert_eq!(place(&e, "Tripoli").country_code.as_deref(), Some("LB"));
    }

    #[test]
    fn un_spellings_are_one_organization() {
        let e = full(
            "Aid talks",
            "The U.N. said aid would resume. A UN spokesman said the United Nations would send \
             trucks, and the UN's envoy agreed.",
        );
        assert_eq!(names(&e.orgs), vec!["United Nations"]);
        assert_eq!(e.orgs[0].mentions, 4);
    }

    #[test]
    fn people_in_an_all_caps_headline_are_found() {
        let e = full("TREASURY'S BAKER SAYS DOLLAR POLICY UNCHANGED", "");
        assert_eq!(names(&e.people), vec!["Baker"]);
        let e = full("VOLCKER SEES NO SIGN OF INFLATION IN LONDON", "");
        assert_eq!(names(&e.people), vec!["Volcker"]);
        assert_eq!(place_names(&e), vec!["London"]);
    }

    #[test]
    fn tripoli_follows_the_article_context() {
        let a = article(
            "Port talks",
            None,
            "Ships left Tripoli for Beirut. Lebanon said Tripoli port reopens.",
        );
        let e = run(
            &a,
            &[
                (Loc, "Tripoli"),
                (Loc, "Beirut"),
                (Loc, "Lebanon"),
                (Loc, "Tripoli"),
            ],
        );
        let t = place(&e, "Tripoli");
        assert_eq!(t.country_code.as_deref(), Some("LB"));
        assert_eq!(t.mentions, 2);

        let a = article("Oil talks", None, "Libya's oil minister spoke in Tripoli.");
        let e = run(&a, &[(Loc, "Libya"), (Loc, "Tripoli")]);
        assert_eq!(place(&e, "Tripoli").country_code.as_deref(), Some("LY"));
        assert_eq!(place(&e, "Libya").facet_path(), vec!["Libya".to_string()]);
        assert_eq!(
            place(&e, "Tripoli").facet_path(),
            vec!["Libya".to_string(), "Tripoli".to_string()]
        );
    }

    #[test]
    fn dateline_aliases_and_unresolved_places() {
        let a = article(
            "Grain deal",
            Some("GENEVA, March 3 -"),
            "Officials from the U.S. and the United States Senate met near Zorbland Heights.",
        );
        let e = run(
            &a,
            &[
                (Loc, "U.S."),
                (Org, "United States Senate"),
                (Loc, "Zorbland Heights"),
            ],
        );
        assert_eq!(
            e.places[0].name, "Geneva",
            "the dateline comes first: {:?}",
            e.places
        );
        assert_eq!(e.places[0].country_code.as_deref(), Some("CH"));
        let us = place(&e, "United States");
        assert_eq!(
            us.mentions, 1,
            "a country inside an ORG mention is not a place mention"
        );
        let z = place(&e, "Zorbland Heights");
        assert_eq!(z.country, None);
        assert_eq!(
            z.facet_path(),
            vec![UNKNOWN_COUNTRY.to_string(), "Zorbland Heights".into()]
        );
    }

    #[test]
    fn untagged_country_names_and_body_datelines_count() {
        let a = article(
            "KENYA TEA CROP UP",
            None,
            "NAIROBI (Newswire) - Growers in Kenya and Uganda expect more tea, traders in Holland said.",
        );
        let e = run(&a, &[]);
        let codes: Vec<&str> = e
            .places
            .iter()
            .filter_map(|p| p.country_code.as_deref())
            .collect();
        assert_eq!(e.places[0].name, "Nairobi");
        for c in ["KE", "UG", "NL"] {
            assert!(codes.contains(&c), "{c} in {codes:?}");
        }
        assert_eq!(place(&e, "Kenya").mentions, 2, "title and body");
        assert_eq!(
            place(&e, "Netherlands").surface,
            vec!["Holland".to_string()]
        );
    }

    #[test]
    fn a_town_named_like_a_common_word_opening_a_sentence_is_the_word() {
        // Cocoa is a town in Florida; Split one in Croatia.
        let body = "Growers in Ghana and the Ivory Coast expect a larger cocoa crop, \
                    traders in London said on Monday. Split votes on the council of the \
                    International Cocoa Organization delayed the buffer stock talks, and \
                    the split may widen, Reuters heard from delegates in Geneva.";
        let a = article("Cocoa buffer stock talks stall", None, body);
        let text = document_text(&a);
        let e = run(&a, &[(Loc, "Cocoa"), (Loc, "Ghana"), (Loc, "Split")]);
        let got = place_names(&e);
        assert!(got.contains(&"Ghana"), "{got:?}");
        assert!(!got.contains(&"Cocoa"), "{got:?} in {text}");
        assert!(!got.contains(&"Split"), "{got:?}");

        // A report typed all in lower case says nothing about how the town is written.
        let a = article(
            "Omaha hogs up one dollar",
            None,
            "hog prices at omaha rose one dollar in active trade, the usda said. \
             omaha receipts were near last week's.",
        );
        let e = run(&a, &[(Loc, "Omaha")]);
        assert_eq!(place(&e, "Omaha").country_code.as_deref(), Some("US"));

        // Mid-sentence, a tagged town keeps its place.
        let a = article(
            "Port traffic grows",
            None,
            "Ships bound for Split carried more cargo this year, and a split of the \
             harbour fees between Zagreb and the port was agreed by the Croatian government.",
        );
        let e = run(&a, &[(Loc, "Split")]);
        assert_eq!(place(&e, "Split").country_code.as_deref(), Some("HR"));
    }

    #[test]
    fn unknown_places_that_are_ordinary_words_or_company_designators_are_not_listed() {
        let a = article(
            "Sugar exports rise",
            None,
            "Underwriters Ryan, Beck and Co said growers near Kestrelvale and in the \
             Northeast shipped more this year.",
        );
        let e = run(
            &a,
            &[
                (Loc, "Sugar"),
                (Loc, "Co"),
                (Loc, "Kestrelvale"),
                (Loc, "Northeast"),
            ],
        );
        let got = place_names(&e);
        assert!(!got.contains(&"Sugar"), "{got:?}");
        assert!(!got.contains(&"Co"), "{got:?}");
        assert!(
            got.contains(&"Kestrelvale"),
            "an unknown name stays: {got:?}"
        );
        assert!(got.contains(&"Northeast"), "{got:?}");
    }

    #[test]
    fn dateline_qualifiers_pick_the_right_town() {
        let a = article(
            "Bank sets payout",
            Some("READING, Penn., March 3"),
            "The bank said it pays in April.",
        );
        let e = run(&a, &[]);
        assert_eq!(e.places[0].name, "Reading");
        assert_eq!(e.places[0].country_code.as_deref(), Some("US"));
        assert_eq!(e.places[0].region.as_deref(), Some("Pennsylvania"));
        assert!(e.places[0].salient);

        let a = article(
            "Mill opens",
            Some("SMALLVILLE, N.J., March 3"),
            "A mill opened.",
        );
        let e = run(&a, &[]);
        assert_eq!(
            e.places[0].name, "New Jersey",
            "unknown town: its state stands in"
        );

        let a = article(
            "Talks",
            Some("WASHINGTON, March 3"),
            "Officials in Washington said talks go on. Washington is busy.",
        );
        let e = run(&a, &[(Loc, "Washington"), (Loc, "Washington")]);
        assert_eq!(
            e.places.len(),
            1,
            "the body's Washington is the dateline's: {:?}",
            e.places
        );
        assert_eq!(e.places[0].mentions, 3);
    }

    #[test]
    fn passing_mentions_are_not_salient() {
        let a = article(
            "Kenya tea output rises",
            None,
            "Kenya's growers sold more tea. The bonds will be listed in Luxembourg.",
        );
        let e = run(&a, &[(Loc, "Kenya"), (Loc, "Kenya"), (Loc, "Luxembourg")]);
        assert!(place(&e, "Kenya").salient);
        assert!(!place(&e, "Luxembourg").salient);
        assert_eq!(e.places[0].name, "Kenya");
    }

    #[test]
    fn georgia_is_the_state_in_an_american_story() {
        let a = article(
            "Peach harvest",
            None,
            "Farmers in Atlanta, Georgia, and Texas expect a big crop.",
        );
        let e = run(&a, &[(Loc, "Atlanta"), (Loc, "Georgia"), (Loc, "Texas")]);
        let g = place(&e, "Georgia");
        assert_eq!(g.country_code.as_deref(), Some("US"));
        assert_eq!(g.region.as_deref(), Some("Georgia"));
        let a = article("Talks", None, "Georgia and Armenia signed a pact.");
        let e = run(&a, &[(Loc, "Georgia"), (Loc, "Armenia")]);
        assert_eq!(place(&e, "Georgia").country_code.as_deref(), Some("GE"));
    }

    #[test]
    fn people_and_orgs_come_out_canonical() {
        let a = article(
            "Envoy visit",
            None,
            "Special Envoy Ana Marlow met the Harbour Safety Board (HSB). Marlow praised the HSB.",
        );
        let e = run(
            &a,
            &[
                (Per, "Special Envoy Ana Marlow"),
                (Org, "Harbour Safety Board"),
                (Per, "Marlow"),
                (Org, "HSB"),
            ],
        );
        assert_eq!(e.people.len(), 1);
        assert_eq!(e.people[0].name, "Ana Marlow");
        assert_eq!(e.people[0].mentions, 2);
        assert_eq!(e.orgs.len(), 1);
        assert_eq!(e.orgs[0].name, "Harbour Safety Board");
    }

    #[test]
    fn bad_offsets_are_ignored() {
        let a = article("Short", None, "Text.");
        let text = document_text(&a);
        let bogus = Mention {
            ty: Per,
            start: 3,
            end: 400,
            text: "x".into(),
        };
        let e = extract_with(&a, &text, &[bogus], PlaceOptions::default());
        assert!(e.people.is_empty());
    }

    #[test]
    fn country_spellings_resolve() {
        assert_eq!(country_name("us").as_deref(), Some("United States"));
        assert_eq!(country_name("U.S.A.").as_deref(), Some("United States"));
        assert_eq!(country_name("Britain").as_deref(), Some("United Kingdom"));
        assert_eq!(country_name("libya").as_deref(), Some("Libya"));
        assert_eq!(country_name("DE").as_deref(), Some("Germany"));
        assert_eq!(country_name("Ivory Coast").as_deref(), Some("Ivory Coast"));
        assert_eq!(country_name("Burma").as_deref(), Some("Myanmar"));
        assert_eq!(
            country_name("Republic of Ireland").as_deref(),
            Some("Ireland")
        );
        assert_eq!(country_name("Paris"), None);
        assert_eq!(country_name(""), None);
        let t = lookup_place("Tripoli").expect("Tripoli");
        assert_eq!(t.country_code.as_deref(), Some("LY"));
    }

    #[test]
    fn a_town_tagged_as_an_organization_after_a_locative_word_is_a_place() {
        let a = article(
            "Troops regroup",
            None,
            "Troops regrouped around Sirte on Monday. Sirte's mayor and the Wagner Group spoke.",
        );
        let e = run(
            &a,
            &[
                (EntityType::Org, "Sirte"),
                (EntityType::Org, "Sirte"),
                (EntityType::Org, "Wagner Group"),
            ],
        );
        let sirte = e
            .places
            .iter()
            .find(|p| p.name == "Sirte")
            .expect("Sirte is a place");
        assert_eq!(sirte.country.as_deref(), Some("Libya"));
        assert!(e.orgs.iter().any(|o| o.name == "Wagner Group"));
    }

    #[test]
    fn a_caption_credit_yields_no_entities() {
        let mut a = article(
            "Summit opens",
            None,
            "Delegates met in Nairobi. (Photo archive: Veld Pictures)\nTalks went on.",
        );
        a.caption = Some("Delegates queue in Nairobi. (AP Photo/Jo Bendt)".into());
        let text = document_text(&a);
        let masked = mask_credits(&text, a.caption.as_deref());
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains("Bendt") && !masked.contains("Veld"));
        assert!(masked.contains("Talks went on."));
        let e = run(
            &a,
            &[
                (Loc, "Nairobi"),
                (Org, "AP Photo/Jo Bendt"),
                (Loc, "Nairobi"),
                (Org, "Veld Pictures"),
            ],
        );
        assert!(e.orgs.is_empty(), "{:?}", e.orgs);
        assert_eq!(place(&e, "Nairobi").mentions, 2);
        assert!(
            e.places.iter().all(|p| p.country.is_some()),
            "{:?}",
            e.places
        );

        let mut a = article("Flood", None, "Water rose (Ortmann Group) fast.");
        a.caption = Some("Rain in the hills (left) and the river.".into());
        let text = document_text(&a);
        assert_eq!(mask_credits(&text, a.caption.as_deref()), text);
    }

    #[test]
    fn pronouns_and_quantifiers_are_not_entities() {
        let a = article(
            "Vote",
            None,
            "Everyone agreed. Both sides met the Harbour Board. Nobody left.",
        );
        let e = run(
            &a,
            &[
                (Org, "Everyone"),
                (Per, "Both"),
                (Org, "Harbour Board"),
                (Loc, "Nobody"),
            ],
        );
        let orgs: Vec<&str> = e.orgs.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(orgs, vec!["Harbour Board"]);
        assert!(e.people.is_empty() && e.places.is_empty());
    }

    #[test]
    fn a_country_continent_or_big_city_tagged_as_a_person_is_a_place() {
        let a = article(
            "Trade",
            None,
            "Africa and Sao Paulo traders met Mara Jordan. Jordan said prices rose.",
        );
        let e = run(
            &a,
            &[
                (Per, "Africa"),
                (Per, "Sao Paulo"),
                (Per, "Mara Jordan"),
                (Per, "Jordan"),
            ],
        );
        let people: Vec<(&str, u32)> = e
            .people
            .iter()
            .map(|p| (p.name.as_str(), p.mentions))
            .collect();
        assert_eq!(people, vec![("Mara Jordan", 2)]);
        assert_eq!(place(&e, "São Paulo").country_code.as_deref(), Some("BR"));
        assert!(e.places.iter().any(|p| p.name == "Africa"));
    }

    #[test]
    fn holidays_and_faiths_are_no_places() {
        let a = article(
            "Shops busy",
            None,
            "Trade was brisk over Christmas and New Year, and Muslim shoppers returned after \
             Ramadan to the markets of Kestrelvale.",
        );
        let e = run(
            &a,
            &[
                (Loc, "Christmas"),
                (Loc, "New Year"),
                (Loc, "Muslim"),
                (Loc, "Ramadan"),
                (Loc, "Kestrelvale"),
            ],
        );
        let places = place_names(&e);
        assert_eq!(places, vec!["Kestrelvale"]);
    }

    #[test]
    fn tickers_and_abbreviations_are_not_towns() {
        let a = article(
            "CHIP MAKER <ZE> SEES TALKS IN ROME",
            None,
            "It said the International Coffee Organisation (ICO) would meet <BOR> traders.",
        );
        let e = run(
            &a,
            &[(Loc, "ZE"), (Loc, "ROME"), (Loc, "ICO"), (Loc, "BOR")],
        );
        // Zé (Benin), Icó (Brazil) and Bor (South Sudan) are towns of the gazetteer; a
        // capitalized word of an all-caps headline still names one.
        assert_eq!(place_names(&e), vec!["Rome"]);
    }

    #[test]
    fn a_towns_other_name_spelled_unlike_its_own_needs_the_articles_country() {
        let place = |body: &str, mentions: &[(EntityType, &str)]| {
            let e = run(&article("Match report", None, body), mentions);
            e.places
                .into_iter()
                .find(|p| p.surface.iter().any(|s| s == mentions[0].1))
                .map(|p| (p.name, p.country))
        };
        // "Twickenham" is an old name of Huntsville, Alabama: not in a story that never
        // points at the United States (the London ground is no town of the gazetteer).
        assert_eq!(
            place(
                "The side trained at Twickenham on Sunday.",
                &[(Loc, "Twickenham")]
            ),
            Some(("Twickenham".to_string(), None))
        );
        assert_eq!(
            place(
                "Twickenham, Alabama, held a parade.",
                &[(Loc, "Twickenham"), (Loc, "Alabama")]
            ),
            Some(("Huntsville".to_string(), Some("United States".to_string())))
        );
        // Another spelling of a town's own name needs no help.
        assert_eq!(
            place(
                "Bankers in Frankfurt said rates would hold.",
                &[(Loc, "Frankfurt")]
            ),
            Some(("Frankfurt am Main".to_string(), Some("Germany".to_string())))
        );
    }

    #[test]
    fn unresolved_places_that_are_people_or_org_names_are_dropped() {
        let a = article(
            "Vote",
            None,
            "Talia Brunhoff of Grelland Union spoke. Brunhoff and Grelland Union and Osk Varn won.",
        );
        let e = run(
            &a,
            &[
                (Per, "Talia Brunhoff"),
                (Org, "Grelland Union"),
                (Loc, "Brunhoff"),
                (Loc, "Grelland Union"),
                (Loc, "Osk Varn"),
            ],
        );
        let places = place_names(&e);
        assert_eq!(places, vec!["Osk Varn"]);
    }

    #[test]
    fn a_lone_word_tagged_mostly_as_an_organization_is_not_a_person() {
        let a = article(
            "Derby",
            None,
            "Corvale beat Ostby. Corvale manager Ivo Ostby said Corvale played well; Ostby smiled.",
        );
        let e = run(
            &a,
            &[
                (Per, "Corvale"),
                (Org, "Ostby"),
                (Org, "Corvale"),
                (Per, "Ivo Ostby"),
                (Org, "Corvale"),
                (Per, "Ostby"),
            ],
        );
        let people: Vec<(&str, u32)> = e
            .people
            .iter()
            .map(|p| (p.name.as_str(), p.mentions))
            .collect();
        assert_eq!(
            people,
            vec![("Ivo Ostby", 2)],
            "Ostby is part of a full name"
        );
        let corvale = e.orgs.iter().find(|o| o.name == "Corvale").expect("org");
        assert_eq!(corvale.mentions, 3);
    }

    #[test]
    fn firms_named_after_people_are_organizations() {
        let body = "Thornbury, Wexley and Co Inc led the issue with Marcus Hale and Co and Geo. \
                    Fenwick and Sons Inc. \"Demand was firm,\" said Daniel Marsh, Pell Corder, \
                    Ashby Lyle and Co. Ruth Kessler and Norland Mills Inc declined to comment, \
                    as did the Keane brothers.";
        let a = article("Bond issue", None, body);
        let e = run(
            &a,
            &[
                (Per, "Thornbury"),
                (Org, "Wexley and Co Inc"),
                (Per, "Marcus Hale"),
                (Per, "Geo"),
                (Org, "Sons Inc"),
                (Per, "Daniel Marsh"),
                (Per, "Pell Corder"),
                (Org, "Ashby Lyle and Co"),
                (Per, "Ruth Kessler"),
                (Org, "Norland Mills Inc"),
                (Per, "Keane"),
            ],
        );
        assert_eq!(
            names(&e.orgs),
            vec![
                "Thornbury, Wexley and Co Inc",
                "Marcus Hale and Co",
                "Geo. Fenwick and Sons Inc",
                "Pell Corder, Ashby Lyle and Co",
                "Norland Mills Inc",
            ]
        );
        assert_eq!(
            names(&e.people),
            vec!["Daniel Marsh", "Ruth Kessler", "Keane"],
            "a full name before a comma or a second firm, and lower-case brothers, are people"
        );
    }

    #[test]
    fn the_name_a_firm_goes_by_is_the_firm_but_a_founder_keeps_his_name() {
        let a = article(
            "Corvane results",
            None,
            "Corvane Corp said sales rose. Corvane expects more. Nora K. Pell and Co, the fund \
             Nora K. Pell runs, bought shares; Pell said she was pleased.",
        );
        let e = run(
            &a,
            &[
                (Org, "Corvane Corp"),
                (Per, "Corvane"),
                (Per, "Nora K. Pell"),
                (Per, "Nora K. Pell"),
                (Per, "Pell"),
            ],
        );
        assert_eq!(names(&e.people), vec!["Nora K. Pell"]);
        assert_eq!(e.people[0].mentions, 2);
        assert_eq!(names(&e.orgs), vec!["Corvane Corp", "Nora K. Pell and Co"]);
        assert_eq!(e.orgs[0].mentions, 2, "Corvane is Corvane Corp");
    }

    #[test]
    fn split_and_partial_organization_names_are_mended() {
        let a = article(
            "Bank of Ruritania Warns on ratings",
            None,
            "Standard and Poor's Corp cut the rating and Moody's kept it, the Bank of Ruritania \
             said. The Bank added that Kelso Inc, of Quincy, Ill., would sell the notes.",
        );
        let e = run(
            &a,
            &[
                (Org, "Bank of Ruritania Warns"),
                (Org, "Standard"),
                (Org, "Poor's Corp"),
                (Org, "Moody's"),
                (Org, "Bank of Ruritania"),
                (Org, "Bank"),
                (Org, "Kelso"),
                (Org, "Inc"),
                (Org, "Ill"),
            ],
        );
        let orgs: Vec<(&str, u32)> = e
            .orgs
            .iter()
            .map(|o| (o.name.as_str(), o.mentions))
            .collect();
        assert_eq!(
            orgs,
            vec![
                ("Bank of Ruritania Warns", 1),
                ("Standard and Poor's", 1),
                ("Moody's Investors Service", 1),
                ("Bank of Ruritania", 2),
                ("Kelso", 1),
            ],
            "a headline's longer name does not keep \"the Bank\" from its name"
        );
    }
}
