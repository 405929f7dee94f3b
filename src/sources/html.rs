//! HTML article pages: the main text without page furniture (navigation, header and footer, asides,
//! scripts, styles, forms, ads, share buttons, related-links lists), and the title, date, author,
//! source and url from the page's metadata (Open Graph, `article:*`, microdata, JSON-LD, `<time>`).

use super::text::take_dateline;
use crate::article::Origin;
use crate::normalize::RawRecord;
use scraper::node::Node;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

/// Elements whose whole subtree is never article text.
const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
    "button", "input", "select", "textarea", "iframe", "object", "embed", "svg", "canvas", "video",
    "audio", "figure", "menu", "dialog", "h1", "head", "title", "link", "meta",
];
/// Class or id words that mark page furniture (matched against the words of `class`/`id`, split on
/// spaces, `-` and `_`).
const SKIP_WORDS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "adverts",
    "advertisement",
    "adslot",
    "sponsor",
    "sponsored",
    "promo",
    "share",
    "sharing",
    "social",
    "related",
    "recommended",
    "newsletter",
    "subscribe",
    "signup",
    "comments",
    "comment",
    "breadcrumb",
    "breadcrumbs",
    "cookie",
    "cookies",
    "nav",
    "navbar",
    "menu",
    "sidebar",
    "footer",
    "header",
    "masthead",
    "byline",
    "tags",
    "popup",
    "modal",
    "banner",
    "paywall",
    "hidden",
    "outbrain",
    "taboola",
    "toolbar",
];
/// Elements that end a paragraph.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "table",
    "tr",
    "dl",
    "dt",
    "dd",
    "address",
    "hr",
];
/// Meta keys (property, name or itemprop, lower-cased) that give the publication date, best first.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "datepublished",
    "og:published_time",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
];

/// Reads one HTML page into a record.
pub fn parse(text: &str, origin: Origin) -> RawRecord {
    let doc = Html::parse_document(text);
    let meta = Meta::collect(&doc);
    let ld = json_ld(&doc);
    let container = main_container(&doc);

    let mut record = RawRecord::new(origin);
    let h1 = container
        .and_then(|c| first_text(c, "h1"))
        .or_else(|| first_text(doc.root_element(), "h1"));
    let site = meta
        .get(&["og:site_name"])
        .or_else(|| ld.as_ref().and_then(|l| ld_name(l, "publisher")));
    record.title = meta
        .get(&["og:title", "twitter:title"])
        .or(h1)
        .or_else(|| ld.as_ref().and_then(|l| ld_text(l, "headline")))
        .or_else(|| {
            first_text(doc.root_element(), "title").map(|t| strip_site_suffix(&t, site.as_deref()))
        });
    record.source = site;
    record.date = meta
        .get(DATE_KEYS)
        .or_else(|| itemprop_date(&doc))
        .or_else(|| ld.as_ref().and_then(|l| ld_text(l, "datePublished")))
        .or_else(|| time_datetime(container.unwrap_or(doc.root_element())))
        .or_else(|| time_datetime(doc.root_element()));
    record.author = meta
        .get(&["author", "article:author", "byl", "dc.creator"])
        .filter(|a| !a.starts_with("http"))
        .or_else(|| ld.as_ref().and_then(|l| ld_name(l, "author")))
        .or_else(|| byline_text(&doc));
    record.url = canonical_link(&doc)
        .or_else(|| meta.get(&["og:url"]))
        .or_else(|| ld.as_ref().and_then(|l| ld_text(l, "url")));

    let root = container.unwrap_or(doc.root_element());
    record.caption = first_text(root, "figcaption");
    let mut body = String::new();
    collect_text(root, &mut body);
    if body.trim().is_empty() {
        if let Some(ld_body) = ld.as_ref().and_then(|l| ld_text(l, "articleBody")) {
            body = ld_body;
        }
    }
    let (dateline, rest) = take_dateline(&body);
    record.dateline = dateline;
    record.body = Some(rest.to_string());
    record
}

/// The readable text of an HTML fragment (a feed's `content` or `description`, a title with
/// entities): paragraphs kept, furniture skipped, entities decoded.
pub fn fragment_text(fragment: &str) -> String {
    let doc = Html::parse_fragment(fragment);
    let mut out = String::new();
    collect_text(doc.root_element(), &mut out);
    out
}

/// True when `s` contains markup or character references worth an HTML parse.
pub fn looks_like_html(s: &str) -> bool {
    const MARKERS: [&str; 8] = [
        "</p>", "<p>", "<br", "</div>", "</a>", "&amp;", "&quot;", "&#",
    ];
    // Every marker starts with `<` or `&`: look only where those are, in one pass.
    let b = s.as_bytes();
    memchr::memchr2_iter(b'<', b'&', b)
        .any(|at| MARKERS.iter().any(|m| b[at..].starts_with(m.as_bytes())))
}

/// `<meta>` values by lower-cased `property`, `name` or `itemprop`; the first of a key wins.
struct Meta(Vec<(String, String)>);

impl Meta {
    fn collect(doc: &Html) -> Meta {
        let mut pairs = Vec::new();
        for el in doc.select(&selector("meta[content]")) {
            let key = ["property", "name", "itemprop"]
                .iter()
                .find_map(|a| el.attr(a));
            if let (Some(key), Some(content)) = (key, el.attr("content")) {
                if !content.trim().is_empty() {
                    pairs.push((key.trim().to_ascii_lowercase(), content.trim().to_string()));
                }
            }
        }
        Meta(pairs)
    }

    fn get(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| {
            self.0
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        })
    }
}

fn selector(css: &str) -> Selector {
    // Only called with the constant selectors of this module, which the tests parse.
    Selector::parse(css).unwrap_or_else(|e| panic!("invalid built-in selector {css:?}: {e}"))
}

/// The element holding the article: `[itemprop=articleBody]`, else the `<article>` with the most
/// text, else `<main>` or `[role=main]`, else `None` (the whole page).
fn main_container(doc: &Html) -> Option<ElementRef<'_>> {
    if let Some(el) = doc.select(&selector("[itemprop=articleBody]")).next() {
        return Some(el);
    }
    let best_article = doc
        .select(&selector("article"))
        .max_by_key(|a| a.text().map(|t| t.trim().len()).sum::<usize>());
    best_article
        .or_else(|| doc.select(&selector("main")).next())
        .or_else(|| doc.select(&selector("[role=main]")).next())
}

/// The collapsed text of the first `css` element under `root`, if not empty.
fn first_text(root: ElementRef<'_>, css: &str) -> Option<String> {
    root.select(&selector(css)).next().and_then(|el| {
        let text = collapse(&el.text().collect::<String>());
        (!text.is_empty()).then_some(text)
    })
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `"Vote count begins - Daily Ledger"` → `"Vote count begins"`: drops the site name after the last
/// ` - `, ` | `, ` – ` or ` — ` when it is the known site name or at most three words.
fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    for sep in [" | ", " - ", " \u{2013} ", " \u{2014} "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let is_site = site.is_some_and(|s| s.eq_ignore_ascii_case(tail.trim()))
                || tail.split_whitespace().count() <= 3;
            if is_site && !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

fn canonical_link(doc: &Html) -> Option<String> {
    doc.select(&selector("link[rel=canonical][href]"))
        .next()
        .and_then(|l| l.attr("href"))
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
}

/// A non-meta element marked `itemprop="datePublished"`: its `datetime` or `content`, else its text.
fn itemprop_date(doc: &Html) -> Option<String> {
    let el = doc.select(&selector("[itemprop=datePublished]")).next()?;
    el.attr("datetime")
        .or_else(|| el.attr("content"))
        .map(str::to_string)
        .or_else(|| Some(collapse(&el.text().collect::<String>())))
        .filter(|d| !d.is_empty())
}

fn time_datetime(root: ElementRef<'_>) -> Option<String> {
    root.select(&selector("time[datetime]")).find_map(|t| {
        t.attr("datetime")
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string)
    })
}

/// The text of a byline element (`[rel=author]`, `[itemprop=author]`, `.byline`) without "By ".
fn byline_text(doc: &Html) -> Option<String> {
    let el = doc
        .select(&selector(
            "[itemprop=author], [rel=author], .byline, .author",
        ))
        .next()?;
    let text = collapse(&el.text().collect::<String>());
    let text = text
        .strip_prefix("By ")
        .or_else(|| text.strip_prefix("by "))
        .unwrap_or(&text);
    (!text.is_empty()).then(|| text.to_string())
}

/// The first JSON-LD object that describes an article (its `@type` ends in "Article" or it has a
/// `headline`), looked for in arrays and `@graph` lists too.
fn json_ld(doc: &Html) -> Option<Value> {
    fn find(v: Value) -> Option<Value> {
        match v {
            Value::Array(items) => items.into_iter().find_map(find),
            Value::Object(mut obj) => {
                let is_article = match obj.get("@type") {
                    Some(Value::String(t)) => t.ends_with("Article"),
                    Some(Value::Array(ts)) => ts
                        .iter()
                        .any(|t| t.as_str().is_some_and(|t| t.ends_with("Article"))),
                    _ => false,
                } || obj.contains_key("headline");
                if is_article {
                    return Some(Value::Object(obj));
                }
                obj.remove("@graph").and_then(find)
            }
            _ => None,
        }
    }
    doc.select(&selector("script[type=\"application/ld+json\"]"))
        .filter_map(|s| serde_json::from_str::<Value>(&s.text().collect::<String>()).ok())
        .find_map(find)
}

fn ld_text(ld: &Value, key: &str) -> Option<String> {
    match ld.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// A JSON-LD person or organization (or a list of them) by name.
fn ld_name(ld: &Value, key: &str) -> Option<String> {
    fn name(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
            _ => None,
        }
    }
    match ld.get(key)? {
        Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(name).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        other => name(other),
    }
}

fn is_furniture(el: ElementRef<'_>) -> bool {
    let e = el.value();
    if SKIP_TAGS.contains(&e.name())
        || e.attr("hidden").is_some()
        || e.attr("aria-hidden") == Some("true")
    {
        return true;
    }
    if matches!(
        e.attr("role"),
        Some("navigation" | "banner" | "contentinfo" | "complementary" | "search")
    ) {
        return true;
    }
    let marked = |value: Option<&str>| {
        value.is_some_and(|v| {
            v.split(|c: char| c.is_whitespace() || c == '-' || c == '_')
                .any(|word| SKIP_WORDS.iter().any(|s| s.eq_ignore_ascii_case(word)))
        })
    };
    if marked(e.attr("class")) || marked(e.attr("id")) {
        return true;
    }
    matches!(e.name(), "ul" | "ol") && is_link_list(el)
}

/// A list whose text is mostly link text (related stories, tag clouds).
fn is_link_list(list: ElementRef<'_>) -> bool {
    let total: usize = list.text().map(|t| t.trim().len()).sum();
    let linked: usize = list
        .select(&selector("a"))
        .map(|a| a.text().map(|t| t.trim().len()).sum::<usize>())
        .sum();
    total > 0 && linked * 10 >= total * 8
}

/// Appends the readable text under `el`: whitespace inside text collapsed, blocks separated by a blank
/// line, `<br>` as a line break, furniture skipped.
fn collect_text(el: ElementRef<'_>, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(text) => {
                let mut pending_space = text.starts_with(char::is_whitespace);
                for word in text.split_whitespace() {
                    if pending_space && !out.is_empty() && !out.ends_with(char::is_whitespace) {
                        out.push(' ');
                    }
                    out.push_str(word);
                    pending_space = true;
                }
                if text.ends_with(char::is_whitespace)
                    && !out.is_empty()
                    && !out.ends_with(char::is_whitespace)
                {
                    out.push(' ');
                }
            }
            Node::Element(e) => {
                let Some(child_el) = ElementRef::wrap(child) else {
                    continue;
                };
                if e.name() == "br" {
                    out.push('\n');
                    continue;
                }
                if is_furniture(child_el) {
                    continue;
                }
                let block = BLOCK_TAGS.contains(&e.name());
                if block {
                    out.push_str("\n\n");
                }
                collect_text(child_el, out);
                if block {
                    out.push_str("\n\n");
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!DOCTYPE html>
<html lang="en"><head>
<title>Flood waters recede in Porto Alegre | Southern Courier</title>
<meta property="og:title" content="Flood waters recede in Porto Alegre">
<meta property="og:site_name" content="Southern Courier">
<meta property="article:published_time" content="2024-05-20T08:00:00-03:00">
<meta name="author" content="Carla Mendes">
<link rel="canonical" href="https://courier.test/2024/05/floods">
<style>body { color: red }</style>
<script>var tracking = "Breaking: ignore me";</script>
</head><body>
<header class="site-header"><a href="/">Home</a> <a href="/world">World</a></header>
<nav><ul><li><a href="/sport">Sport</a></li></ul></nav>
<div class="ad-slot">Buy cheap boots now</div>
<article>
  <header><h1>Flood waters recede</h1><p class="byline">By Carla Mendes</p></header>
  <figure><img src="x.jpg"><figcaption>Residents return home (AP Photo)</figcaption></figure>
  <p>PORTO ALEGRE, Brazil (AP) — Water levels fell on Monday
     across the city, officials said.</p>
  <p>Volunteers cleared mud from <a href="/schools">schools</a> and clinics.<br>Power returned to most homes.</p>
  <div class="share-buttons"><button>Share</button><a href="#">Tweet this</a></div>
  <h2>What comes next</h2>
  <p>Engineers will inspect the levees.</p>
  <ul class="links"><li><a href="/a">Storm warnings issued</a></li><li><a href="/b">River rises again</a></li></ul>
  <ul><li>Schools reopen on Thursday.</li><li>Buses run again from Friday.</li></ul>
</article>
<aside><h3>Most read</h3><p>Celebrity news</p></aside>
<footer>Copyright Southern Courier</footer>
<form><input name="q"></form>
</body></html>"##;

    fn origin() -> Origin {
        Origin {
            path: "page.html".to_string(),
            line: None,
            item: None,
        }
    }

    #[test]
    fn built_in_selectors_parse() {
        for css in [
            "meta[content]",
            "[itemprop=articleBody]",
            "article",
            "main",
            "[role=main]",
            "h1",
            "title",
            "figcaption",
            "link[rel=canonical][href]",
            "[itemprop=datePublished]",
            "time[datetime]",
            "[itemprop=author], [rel=author], .byline, .author",
            "script[type=\"application/ld+json\"]",
            "a",
        ] {
            assert!(Selector::parse(css).is_ok(), "{css}");
        }
    }

    #[test]
    fn article_page_metadata() {
        let r = parse(PAGE, origin());
        assert_eq!(
            r.title.as_deref(),
            Some("Flood waters recede in Porto Alegre")
        );
        assert_eq!(r.source.as_deref(), Some("Southern Courier"));
        assert_eq!(r.date.as_deref(), Some("2024-05-20T08:00:00-03:00"));
        assert_eq!(r.author.as_deref(), Some("Carla Mendes"));
        assert_eq!(
            r.url.as_deref(),
            Some("https://courier.test/2024/05/floods")
        );
        assert_eq!(
            r.caption.as_deref(),
            Some("Residents return home (AP Photo)")
        );
        assert_eq!(r.dateline.as_deref(), Some("PORTO ALEGRE, Brazil (AP)"));
    }

    #[test]
    fn article_page_body_without_furniture() {
        let r = parse(PAGE, origin());
        let body = crate::normalize::clean_text(r.body.as_deref().expect("body"));
        assert_eq!(
            body,
            "Water levels fell on Monday across the city, officials said.\n\n\
             Volunteers cleared mud from schools and clinics. Power returned to most homes.\n\n\
             What comes next\n\n\
             Engineers will inspect the levees.\n\n\
             Schools reopen on Thursday.\n\nBuses run again from Friday."
        );
    }

    #[test]
    fn fallbacks_h1_title_tag_json_ld_and_time() {
        let page = r#"<html><head><title>Cup final tonight - Metro Sport</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Metro Sport"},
  {"@type": "NewsArticle", "headline": "LD headline", "datePublished": "2025-05-31",
   "author": [{"@type": "Person", "name": "Luis Romero"}], "publisher": {"name": "Metro Sport"}}]}</script>
</head><body><main><time datetime="2025-06-01T20:00:00Z">June 1</time>
<p>The final kicks off at nine.</p></main></body></html>"#;
        let r = parse(page, origin());
        assert_eq!(r.title.as_deref(), Some("LD headline"));
        assert_eq!(r.date.as_deref(), Some("2025-05-31"));
        assert_eq!(r.author.as_deref(), Some("Luis Romero"));
        assert_eq!(r.source.as_deref(), Some("Metro Sport"));
        assert_eq!(
            r.body
                .as_deref()
                .map(crate::normalize::clean_text)
                .as_deref(),
            Some("June 1\n\nThe final kicks off at nine.")
        );

        let bare = "<html><head><title>Cup final tonight - Metro Sport</title></head>\
                    <body><time datetime=\"2025-06-01\">Sunday</time><p>Text.</p></body></html>";
        let r = parse(bare, origin());
        assert_eq!(r.title.as_deref(), Some("Cup final tonight"));
        assert_eq!(r.date.as_deref(), Some("2025-06-01"));
        let with_h1 =
            "<html><body><article><h1>Heading one</h1><p>Text.</p></article></body></html>";
        assert_eq!(
            parse(with_h1, origin()).title.as_deref(),
            Some("Heading one")
        );
    }

    #[test]
    fn fragments_from_feeds() {
        assert!(looks_like_html("<p>One</p><p>Two</p>"));
        assert!(looks_like_html("Fish &amp; chips"));
        assert!(!looks_like_html("Profits rose 5% & costs < 3%"));
        assert_eq!(
            fragment_text("<p>One &amp; two.</p><p>Three<br>four.</p><script>x()</script>"),
            "\n\nOne & two.\n\n\n\nThree\nfour.\n\n"
        );
        assert_eq!(fragment_text("Fish &amp; chips"), "Fish & chips");
    }

    #[test]
    fn site_suffixes() {
        assert_eq!(
            strip_site_suffix("Rates held | Daily Ledger", None),
            "Rates held"
        );
        assert_eq!(
            strip_site_suffix(
                "Rates held - The Long Named Daily Ledger",
                Some("The Long Named Daily Ledger")
            ),
            "Rates held"
        );
        assert_eq!(
            strip_site_suffix("Brazil votes - and the result is anyone's guess", None),
            "Brazil votes - and the result is anyone's guess"
        );
    }
}
