//! End-to-end tests: the real `newsdex` binary on small archives written for these tests, each in
//! its own temporary folder.

mod common;

use common::{code, text, Env};
use serde_json::Value;

fn names(values: &Value) -> Vec<(String, u64)> {
    values["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap().to_string(),
                v["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

const FLOOD: &str = "Floods force thousands from homes in Kenya\n\n\
NAIROBI, May 2 - Heavy rains flooded large parts of Nairobi on Thursday, and the Kenya Red Cross \
said more than 4,000 families had left their homes.\n\n\
President William Ruto visited a shelter in Mathare and promised emergency funds. \
\"We will rebuild,\" Ruto told reporters.\n";

const SUMMIT: &str = "Climate finance dominates Nairobi summit\n\n\
Delegates from Kenya, Brazil and Germany met in Nairobi on Monday to discuss climate finance.\n\n\
Kenyan President William Ruto opened the meeting, and German Chancellor Olaf Scholz called for \
new lending rules at the World Bank.\n";

const TRIPOLI: &str = "Talks resume in Tripoli\n\n\
Negotiators returned to Tripoli on Sunday for a new round of talks on the budget, officials said.\n\n\
The talks had stalled in March after a dispute over oil revenue.\n";

fn jsonl_archive() -> String {
    [
        r#"{"id": "wire-1", "headline": "Central bank holds rates", "text": "The European Central Bank kept rates unchanged in Frankfurt on Thursday, said Christine Lagarde.", "published": "2024-03-07T12:00:00Z", "source": "Wire"}"#,
        r#"{"id": "wire-2", "title": "Markets rally after rate decision", "body": "Shares rose in Frankfurt and Paris after the decision.", "date": "2024-03-08", "source": {"name": "Wire"}}"#,
        r#"{"id": "wire-3", "title": "broken record"#,
        r#"{"id": "wire-4", "title": "Drought cuts harvest in Brazil", "content": "Farmers in Brazil expect a smaller soy crop after months without rain.", "pubDate": "Tue, 14 May 2024 08:30:00 GMT", "source": "Wire"}"#,
    ]
    .join("\n")
        + "\n"
}

#[test]
fn ingest_accounts_for_every_input_and_reports_skips() {
    let env = Env::new();
    env.write("archive/flood.txt", FLOOD);
    env.write("archive/summit.txt", SUMMIT);
    env.write("archive/copy-of-flood.txt", FLOOD);
    env.write("archive/wire.jsonl", jsonl_archive());
    env.write(
        "archive/.hidden.txt",
        "Hidden headline\n\nNot to be read.\n",
    );
    env.write(
        "archive/photo.bin",
        [0u8, 159, 146, 150, 0, 0, 1, 2, 3, 255, 0, 0],
    );
    let (s, out) = env.ingest(&["archive"]);
    assert_eq!(
        code(&out),
        1,
        "a skipped input gives exit code 1: {}",
        text(&out)
    );
    assert_eq!(s["inputs"], 5, "{s}");
    assert_eq!(s["articles"], 6, "{s}");
    assert_eq!(s["added"], 5, "{s}");
    assert_eq!(s["duplicates"], 1, "{s}");
    assert_eq!(s["documents"], 5, "{s}");
    let skipped: Vec<String> = s["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["origin"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(skipped.len(), 2, "{s}");
    assert!(
        skipped.iter().any(|o| o.ends_with("wire.jsonl:3")),
        "{skipped:?}"
    );
    assert!(
        skipped.iter().any(|o| o.ends_with("photo.bin")),
        "{skipped:?}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("wire.jsonl:3"), "{stderr}");
    assert!(stderr.contains("photo.bin"), "{stderr}");

    // A second ingest adds nothing, and keeps every article as it was, entities included
    // (it does not extract them again for articles stored as read).
    let as_json = |docs: Vec<newsdex::index::StoredDoc>| serde_json::to_value(docs).unwrap();
    let before = as_json(env.stored("idx"));
    let (s2, _) = env.ingest(&["archive"]);
    assert_eq!(as_json(env.stored("idx")), before);
    assert_eq!(s2["added"], 0, "{s2}");
    assert_eq!(s2["duplicates"], 0, "{s2}");
    assert_eq!(s2["replaced"], 0, "{s2}");
    assert_eq!(s2["unchanged"], 6, "{s2}");
    assert_eq!(s2["documents"], 5, "{s2}");

    // The duplicate is one document recording both files.
    let hits = env.json_lines(&["search", "floods", "--json"]);
    assert_eq!(hits.len(), 1);
    let origins: Vec<&str> = hits[0]["origins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    assert_eq!(origins.len(), 2, "{origins:?}");
    assert!(origins.iter().any(|o| o.ends_with("copy-of-flood.txt")));
}

#[test]
fn ids_are_stable_and_changed_articles_replace_old_versions() {
    let env = Env::new();
    env.write("a/wire.jsonl", jsonl_archive());
    env.write("a/flood.txt", FLOOD);
    env.ingest(&["a"]);
    let ids = |env: &Env| {
        let mut ids: Vec<String> = env
            .json_lines(&["search", "*", "--json", "--limit", "50"])
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let before = ids(&env);
    assert_eq!(before.len(), 4);
    assert!(before.contains(&"wire-1".to_string()));
    let hashed: Vec<&String> = before.iter().filter(|i| i.starts_with("sha256:")).collect();
    assert_eq!(hashed.len(), 1, "{before:?}");

    // Another folder holding the same text gets the same id.
    let env2 = Env::new();
    env2.write("elsewhere/renamed.txt", FLOOD);
    env2.ingest(&["elsewhere"]);
    assert_eq!(ids(&env2), vec![hashed[0].clone()]);

    // Edit one JSON record (same id) and the text file (new hash): both replace.
    env.write(
        "a/wire.jsonl",
        jsonl_archive().replace("kept rates unchanged", "raised rates"),
    );
    env.write("a/flood.txt", FLOOD.replace("4,000", "5,000"));
    let (s, _) = env.ingest(&["a"]);
    assert_eq!(s["replaced"], 2, "{s}");
    assert_eq!(s["added"], 0, "{s}");
    assert_eq!(s["documents"], 4, "{s}");
    let hits = env.json_lines(&["search", "raised", "--json"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["id"], "wire-1");
    // The new version's entities were extracted, unlike those of the articles left as they were.
    assert_eq!(hits[0]["people"], serde_json::json!(["Christine Lagarde"]));
    assert_eq!(
        env.json_lines(&["search", "\"4,000 families\"", "--json"])
            .len(),
        0
    );
    assert_eq!(
        env.json_lines(&["search", "\"5,000 families\"", "--json"])
            .len(),
        1
    );
}

#[test]
fn encodings_are_decoded_and_reported() {
    let env = Env::new();
    // Windows-1252: 0xA3 is a pound sign, 0x93/0x94 curly quotes.
    let mut cp1252 =
        b"Club fined \xa35m\n\nThe club was fined \xa35m on Monday, its \x93worst\x94 week.\n"
            .to_vec();
    cp1252.extend_from_slice(b"\n");
    env.write("enc/cp1252.txt", &cp1252);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "Harbour reopens\n\nThe harbour in Valletta reopened after repairs.\n"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        )
        .collect();
    env.write("enc/utf16.txt", utf16);
    env.write(
        "enc/bom.txt",
        "\u{feff}Café owners protest\n\nOwners of cafés marched on Friday.\n",
    );
    let (s, out) = env.ingest(&["enc"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(s["added"], 3, "{s}");
    let warnings = s["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{s}");
    assert!(warnings[0]["origin"]
        .as_str()
        .unwrap()
        .ends_with("cp1252.txt"));
    assert!(warnings[0]["reason"].as_str().unwrap().contains("1252"));
    let hits = env.json_lines(&["search", "fined", "--json"]);
    assert_eq!(hits[0]["title"], "Club fined £5m");
    assert!(hits[0]["snippet"].as_str().unwrap().contains("“worst”"));
    let hits = env.json_lines(&["search", "harbour valletta", "--json"]);
    assert_eq!(hits[0]["title"], "Harbour reopens");
    // Accent-insensitive search; the BOM is not part of the title.
    let hits = env.json_lines(&["search", "cafe", "--json"]);
    assert_eq!(hits[0]["title"], "Café owners protest");
}

#[test]
fn search_output_json_and_errors() {
    let env = Env::new();
    env.write("a/flood.txt", FLOOD);
    env.write("a/summit.txt", SUMMIT);
    env.write("a/wire.jsonl", jsonl_archive());
    env.ingest(&["a"]);

    let hits = env.json_lines(&["search", "nairobi", "--json"]);
    assert_eq!(hits.len(), 2);
    for h in &hits {
        for field in [
            "rank",
            "id",
            "score",
            "title",
            "date",
            "source",
            "url",
            "author",
            "origins",
            "snippet",
            "highlights",
            "people",
            "orgs",
            "places",
        ] {
            assert!(h.get(field).is_some(), "hit lacks {field}: {h}");
        }
        let snippet = h["snippet"].as_str().unwrap();
        let ranges = h["highlights"].as_array().unwrap();
        assert!(!ranges.is_empty());
        for r in ranges {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            assert_eq!(snippet[a..b].to_lowercase(), "nairobi");
        }
    }
    // All terms are required unless OR is written; phrases work.
    assert_eq!(
        env.json_lines(&["search", "nairobi frankfurt", "--json"])
            .len(),
        0
    );
    assert_eq!(
        env.json_lines(&["search", "nairobi OR frankfurt", "--json"])
            .len(),
        4
    );
    assert_eq!(
        env.json_lines(&["search", "\"climate finance\"", "--json"])
            .len(),
        1
    );
    assert_eq!(
        env.json_lines(&["search", "title:rally", "--json"]).len(),
        1
    );
    assert_eq!(
        env.json_lines(&["search", "source:wire", "--json"]).len(),
        3
    );
    // Dates: flags and query ranges; newest first.
    let hits = env.json_lines(&[
        "search",
        "*",
        "--since",
        "2024-03-08",
        "--sort",
        "newest",
        "--json",
    ]);
    let titles: Vec<&str> = hits.iter().map(|h| h["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        vec![
            "Drought cuts harvest in Brazil",
            "Markets rally after rate decision"
        ]
    );
    assert_eq!(hits[0]["date"], "2024-05-14T08:30:00Z");
    let hits = env.json_lines(&["search", "date:[2024-03-01 TO 2024-03-31]", "--json"]);
    assert_eq!(hits.len(), 2);
    // Paging.
    let page = env.json_lines(&[
        "search", "*", "--sort", "oldest", "--limit", "1", "--offset", "1", "--json",
    ]);
    assert_eq!(page.len(), 1);
    assert_eq!(page[0]["rank"], 2);
    assert_eq!(page[0]["title"], "Markets rally after rate decision");

    // Text output highlights terms in brackets without colour.
    let out = env.run(&["search", "rebuild"]);
    assert_eq!(code(&out), 0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("[rebuild]"), "{stdout}");
    assert!(!stdout.contains('\x1b'), "NO_COLOR is respected");

    // No hits: exit 1. Malformed query: one line, exit 2.
    assert_eq!(code(&env.run(&["search", "zanzibar"])), 1);
    for bad in ["\"unclosed phrase", "nosuchfield:x", "(kenya"] {
        let out = env.run(&["search", bad]);
        assert_eq!(code(&out), 2, "{bad}: {}", text(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(stderr.contains("invalid query"), "{stderr}");
    }
    let out = env.run(&["search", "x", "--since", "last week"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn facets_count_documents_and_resolve_names() {
    let env = Env::new();
    env.write("a/flood.txt", FLOOD);
    env.write("a/summit.txt", SUMMIT);
    env.write("a/tripoli.txt", TRIPOLI);
    env.write("a/wire.jsonl", jsonl_archive());
    env.ingest(&["a"]);

    let people = &env.json_lines(&["facets", "people", "--json"])[0];
    let people = names(people);
    assert!(
        people.contains(&("William Ruto".to_string(), 2)),
        "{people:?}"
    );
    assert!(
        people.contains(&("Olaf Scholz".to_string(), 1)),
        "{people:?}"
    );
    assert!(
        people.contains(&("Christine Lagarde".to_string(), 1)),
        "{people:?}"
    );

    let places = names(&env.json_lines(&["facets", "places", "--json"])[0]);
    assert!(places.contains(&("Kenya".to_string(), 2)), "{places:?}");
    assert!(places.contains(&("Libya".to_string(), 1)), "{places:?}");
    assert!(places.contains(&("Brazil".to_string(), 2)), "{places:?}");
    let in_kenya = names(&env.json_lines(&["facets", "places", "--under", "kenya", "--json"])[0]);
    assert!(
        in_kenya.contains(&("Nairobi".to_string(), 2)),
        "{in_kenya:?}"
    );

    // Within a query.
    let q = names(&env.json_lines(&["facets", "people", "rebuild", "--json"])[0]);
    assert_eq!(q, vec![("William Ruto".to_string(), 1)]);

    // Places roll up to their country; partial names resolve; ambiguity is an error.
    let hits = env.json_lines(&["search", "*", "--place", "Libya", "--json"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["title"], "Talks resume in Tripoli");
    let hits = env.json_lines(&["search", "*", "--person", "ruto", "--json"]);
    assert_eq!(hits.len(), 2);
    // A filter alone needs no query; neither alone is an error that says what to give.
    let hits = env.json_lines(&["search", "--person", "ruto", "--json"]);
    assert_eq!(hits.len(), 2);
    let out = env.run(&["search"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(text(&out).contains("--person"), "{}", text(&out));
    // A filter without a query counts only the articles it keeps, and says so.
    let out = env.run(&["facets", "places", "--place", "Libya"]);
    assert!(
        text(&out).contains("(1 of 6 articles match)"),
        "{}",
        text(&out)
    );
    let hits = env.json_lines(&["search", "place:libya", "--json"]);
    assert_eq!(hits.len(), 1);
    let out = env.run(&["search", "*", "--person", "nobody-at-all"]);
    assert_eq!(code(&out), 1, "{}", text(&out));

    // Dates by month.
    let dates = names(&env.json_lines(&["facets", "dates", "--by", "month", "--json"])[0]);
    assert_eq!(
        dates,
        vec![("2024-03".to_string(), 2), ("2024-05".to_string(), 1)]
    );

    // Significance: Ruto is over-represented among the Nairobi articles.
    let sig = &env.json_lines(&[
        "facets",
        "people",
        "nairobi",
        "--rank",
        "significance",
        "--json",
    ])[0];
    let first = &sig["values"][0];
    assert_eq!(first["name"], "William Ruto", "{sig}");
    assert_eq!(first["count"], 2);
    assert_eq!(first["archive_count"], 2);
}

/// One JSON Lines record of an archive.
fn wire_line(id: u32, title: &str, body: &str) -> String {
    serde_json::json!({"id": id.to_string(), "title": title, "body": body}).to_string() + "\n"
}

#[test]
fn a_bare_surname_and_the_one_full_name_it_stands_for_are_one_filter() {
    let env = Env::new();
    let mut archive = String::new();
    archive += &wire_line(
        1,
        "Budget passes",
        "President Mabel Quorrin signed the budget in Ostend on Monday, her office said.",
    );
    archive += &wire_line(
        2,
        "Quorrin vetoes tariff bill",
        "President Quorrin vetoed the tariff bill on Tuesday, aides said.",
    );
    archive += &wire_line(
        3,
        "Talks stall",
        "Negotiators said President Quorrin would not attend the talks in Ghent.",
    );
    archive += &wire_line(
        4,
        "Mayor named",
        "The council named Piet Varko mayor of Bruges on Wednesday.",
    );
    archive += &wire_line(
        5,
        "Judge retires",
        "Judge Lena Varko retired on Thursday after thirty years, the court said.",
    );
    archive += &wire_line(
        6,
        "Varko speaks",
        "Speaking in Bruges, Varko said the harbour would be dredged.",
    );
    archive += &wire_line(
        7,
        "Budget speech",
        "Mabel Quorrin told parliament in Ostend that taxes would not rise.",
    );
    archive += &wire_line(
        8,
        "Port reopens",
        "The port reopened on Friday, harbour master Osk Drubek said in Ghent.",
    );
    archive += &wire_line(
        9,
        "Port may close",
        "Harbour master Drubek said on Monday the port of Ostend would close again if the storm returned.",
    );
    archive += &wire_line(
        10,
        "Storm passes",
        "The storm has passed, harbour master Drubek told reporters in Ostend on Tuesday.",
    );
    env.write("a/wire.jsonl", archive);
    env.ingest(&["a"]);
    // The list counts her once, under her full name: four articles, two of each name.
    let report = &env.json_lines(&["facets", "people", "--json"])[0];
    let people = names(report);
    assert!(
        people.contains(&("Mabel Quorrin".to_string(), 4)),
        "{people:?}"
    );
    assert!(!people.iter().any(|(n, _)| n == "Quorrin"), "{people:?}");
    let her = report["values"]
        .as_array()
        .and_then(|v| v.iter().find(|v| v["name"] == "Mabel Quorrin"))
        .unwrap();
    assert_eq!(her["also"], serde_json::json!(["Quorrin"]), "{her}");
    let listed = text(&env.run(&["facets", "people"]));
    assert!(listed.contains("Mabel Quorrin (also Quorrin)"), "{listed}");
    // Either name finds all four articles about her.
    for name in ["Quorrin", "Mabel Quorrin"] {
        let hits = env.json_lines(&["search", "--person", name, "--json"]);
        assert_eq!(hits.len(), 4, "{name}: {hits:?}");
    }
    // The footer says what the filter matched.
    let out = env.run(&["search", "--person", "quorrin"]);
    assert!(
        text(&out).contains("Filters: person Quorrin (with Mabel Quorrin)."),
        "{}",
        text(&out)
    );
    // Two Varkos as often as each other: the bare surname stays itself.
    assert!(people.contains(&("Varko".to_string(), 1)), "{people:?}");
    let hits = env.json_lines(&["search", "--person", "Varko", "--json"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let hits = env.json_lines(&["search", "--person", "Piet Varko", "--json"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    // A full name in one article is too little to stand for the surname of two others.
    assert!(people.contains(&("Drubek".to_string(), 2)), "{people:?}");
    assert!(
        people.contains(&("Osk Drubek".to_string(), 1)),
        "{people:?}"
    );
    let hits = env.json_lines(&["search", "--person", "Drubek", "--json"]);
    assert_eq!(hits.len(), 2, "{hits:?}");
}

#[test]
fn a_firm_with_and_without_its_designator_is_one_filter() {
    let env = Env::new();
    let mut archive = String::new();
    archive += &wire_line(
        1,
        "Results",
        "Corvane Corp said on Monday its quarterly sales rose 5 pct.",
    );
    archive += &wire_line(
        2,
        "Shares fall",
        "Shares of Corvane fell 3 pct after the company cut its forecast, traders said.",
    );
    archive += &wire_line(
        3,
        "Merger off",
        "Talks between Corvane Holdings Ltd and a rival ended, the board said.",
    );
    env.write("a/wire.jsonl", archive);
    env.ingest(&["a"]);
    // One line in the list, under the name with its designator (the two are as frequent).
    let orgs = names(&env.json_lines(&["facets", "orgs", "--json"])[0]);
    assert!(orgs.contains(&("Corvane Corp".to_string(), 2)), "{orgs:?}");
    assert!(!orgs.iter().any(|(n, _)| n == "Corvane"), "{orgs:?}");
    assert!(
        orgs.contains(&("Corvane Holdings Ltd".to_string(), 1)),
        "{orgs:?}"
    );
    for name in ["Corvane", "Corvane Corp", "corvane corp."] {
        let hits = env.json_lines(&["search", "--org", name, "--json"]);
        let ids: Vec<&str> = hits.iter().filter_map(|h| h["id"].as_str()).collect();
        assert_eq!(ids.len(), 2, "{name}: {ids:?}");
    }
    // Another firm whose name starts the same way is another firm.
    let hits = env.json_lines(&["search", "--org", "Corvane Holdings", "--json"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
}

#[test]
fn ambiguous_person_lists_candidates() {
    let env = Env::new();
    env.write(
        "a/one.jsonl",
        concat!(
            r#"{"id": "1", "title": "Smith wins award", "body": "The novelist Zadie Smith won the prize in London on Monday."}"#,
            "\n",
            r#"{"id": "2", "title": "Coach resigns", "body": "The coach Graham Smith resigned in Leeds on Friday."}"#,
            "\n"
        ),
    );
    env.ingest(&["a"]);
    let out = env.run(&["search", "*", "--person", "smith"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Zadie Smith") && stderr.contains("Graham Smith"),
        "{stderr}"
    );
}

#[test]
fn entities_and_stats() {
    let env = Env::new();
    let f = env.write("flood.txt", FLOOD);
    let out = env.json_lines(&["entities", f.to_str().unwrap(), "--json"]);
    assert_eq!(out.len(), 1);
    let a = &out[0];
    assert_eq!(a["title"], "Floods force thousands from homes in Kenya");
    assert_eq!(a["dateline"], "NAIROBI, May 2");
    let ruto = a["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "William Ruto")
        .unwrap_or_else(|| panic!("{a}"));
    assert_eq!(ruto["mentions"], 2, "{a}");
    let nairobi = a["places"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Nairobi")
        .unwrap_or_else(|| panic!("{a}"));
    assert_eq!(nairobi["country"], "Kenya");
    assert_eq!(nairobi["country_code"], "KE");

    // No index yet: stats says what to do, exit 2.
    let out = env.run(&["stats"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("newsdex ingest"));
    env.write("a/wire.jsonl", jsonl_archive());
    env.ingest(&["a"]);
    let stats = &env.json_lines(&["stats", "--json"])[0];
    assert_eq!(stats["documents"], 3);
    assert_eq!(stats["first_date"], "2024-03-07");
    assert_eq!(stats["last_date"], "2024-05-14");
    assert_eq!(stats["sources"][0]["name"], "Wire");
    assert_eq!(stats["sources"][0]["count"], 3);
    assert!(stats["size_bytes"].as_u64().unwrap() > 0);
}

#[test]
fn stdin_and_source_override() {
    let env = Env::new();
    let mut child = env
        .command(&["ingest", "-", "--source", "Feed", "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(jsonl_archive().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["added"], 3, "{s}");
    assert_eq!(s["skipped"][0]["origin"], "-:3");
    let hits = env.json_lines(&["search", "*", "--json"]);
    assert!(hits.iter().all(|h| h["source"] == "Feed"));
}

/// The sample corpus's parts as one JSON Lines file `all.jsonl`; returns its records.
fn sample_corpus_in_one_file(env: &Env, articles: usize) -> Vec<Value> {
    let out = sample_corpus(env, articles);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let mut parts: Vec<_> = std::fs::read_dir(env.path("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    parts.sort();
    let all: Vec<u8> = parts
        .iter()
        .flat_map(|p| std::fs::read(p).unwrap())
        .collect();
    env.write("all.jsonl", &all);
    all.split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect()
}

#[test]
fn entities_lists_articles_in_input_order() {
    // Extracted on every core, printed as read.
    let env = Env::new();
    let records = sample_corpus_in_one_file(&env, 60);
    let printed = env.json_lines(&["entities", "all.jsonl", "--json"]);
    let ids = |v: &[Value]| -> Vec<String> {
        v.iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&printed), ids(&records));
    assert!(printed
        .iter()
        .any(|a| !a["places"].as_array().unwrap().is_empty()));
}

#[test]
fn output_cut_short_by_the_reader_is_no_error() {
    // `newsdex entities FILE --json | head -1`: the reader goes away after one line. Output to a
    // pipe is written in large blocks, so the failed write comes from inside the JSON writer.
    let env = Env::new();
    sample_corpus_in_one_file(&env, 400);
    let mut child = env
        .command(&["entities", "all.jsonl", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    {
        use std::io::BufRead;
        let stdout = child.stdout.take().unwrap();
        std::io::BufReader::new(stdout)
            .read_line(&mut first)
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let line: Value = serde_json::from_str(&first).unwrap();
    assert!(line["id"].is_string(), "{first}");
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("error"));
}

#[test]
fn missing_paths_and_bad_usage() {
    let env = Env::new();
    let out = env.run(&["ingest", "no/such/folder"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/folder"));
    assert_eq!(code(&env.run(&["search"])), 2);
    assert_eq!(code(&env.run(&["frobnicate"])), 2);
}

const PAGE: &str = r#"<!doctype html>
<html><head>
<title>Port strike ends after three weeks - The Harbour Gazette</title>
<meta property="og:title" content="Port strike ends after three weeks">
<meta property="og:site_name" content="The Harbour Gazette">
<meta property="article:published_time" content="2024-09-12T07:45:00+02:00">
<link rel="canonical" href="https://gazette.example/2024/09/port-strike-ends">
<script>var tracker = "analytics-blob";</script>
<style>.ad { color: red }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<div class="ad">Buy two ferry tickets, get one free</div>
<article>
<h1>Port strike ends after three weeks</h1>
<p>Dock workers in Rotterdam voted on Wednesday to end a strike that had halted container traffic for three weeks.</p>
<p>The union said the new contract raises wages by six percent over two years.</p>
</article>
<aside><h2>Most read</h2><ul><li>Lottery winner found</li></ul></aside>
<footer>Copyright The Harbour Gazette</footer>
</body></html>"#;

#[test]
fn html_pages_keep_the_article_and_drop_the_page_furniture() {
    let env = Env::new();
    env.write("web/strike.html", PAGE);
    // The same page saved without an extension is recognized by its content.
    env.write(
        "web/saved-page",
        PAGE.replace("six percent", "seven percent"),
    );
    let (s, out) = env.ingest(&["web"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    // Both pages carry the same canonical url, which is their id: read in name order, the
    // extensionless page comes first and the .html page, a newer version, replaces it.
    assert_eq!(s["added"], 1, "{s}");
    assert_eq!(s["replaced"], 1, "{s}");
    assert_eq!(s["documents"], 1, "{s}");
    let hits = env.json_lines(&["search", "\"six percent\"", "--json"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0]["id"],
        "https://gazette.example/2024/09/port-strike-ends"
    );
    assert_eq!(hits[0]["origins"].as_array().unwrap().len(), 2);
    let hits = env.json_lines(&["search", "rotterdam", "--json"]);
    assert_eq!(hits[0]["title"], "Port strike ends after three weeks");
    assert_eq!(hits[0]["source"], "The Harbour Gazette");
    assert_eq!(hits[0]["date"], "2024-09-12T05:45:00Z");
    for furniture in ["tracker", "ferry", "lottery", "copyright", "weather"] {
        assert!(
            env.json_lines(&["search", furniture, "--json"]).is_empty(),
            "page furniture '{furniture}' was indexed"
        );
    }
}

fn fixture(rel: &str) -> String {
    format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn fixture_archive_every_reader_and_skip_rule() {
    let env = Env::new();
    let (s, out) = env.ingest(&[&fixture("archive")]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert_eq!(s["inputs"], 12, "{s}");
    assert_eq!(s["articles"], 13, "{s}");
    assert_eq!(s["documents"], 11, "{s}");
    assert_eq!(s["added"], 11, "{s}");
    assert_eq!(s["duplicates"], 2, "{s}");
    let origins = |key: &str| -> Vec<String> {
        let mut v: Vec<String> = s[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let o = p["origin"].as_str().unwrap();
                o.rsplit('/').next().unwrap().to_string()
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        origins("skipped"),
        vec!["binary.bin", "empty.txt", "feed.jsonl:3", "feed.jsonl:4"]
    );
    assert_eq!(origins("warnings"), vec!["cp1252.txt", "feed.jsonl:5"]);

    let all = env.json_lines(&["search", "*", "--json", "--limit", "50"]);
    let by_title = |t: &str| {
        all.iter()
            .find(|h| h["title"] == t)
            .unwrap_or_else(|| panic!("no article titled {t}"))
    };
    let harbour = by_title("Storm-damaged harbour reopens in Valparaiso");
    assert_eq!(harbour["id"], "sha256:fb7a99f9acf5d0530bd1957312d81b38");
    assert_eq!(harbour["origins"].as_array().unwrap().len(), 2);
    let market = by_title("Copper price climbs on supply fears");
    assert_eq!(market["id"], "sha256:9a86b0809ab196e045b16de9fc99da90");
    assert_eq!(
        market["origins"].as_array().unwrap().len(),
        2,
        "CRLF copy is the same article"
    );
    let ferry = by_title("Ferry service resumes to Chiloe");
    assert_eq!(ferry["id"], "fx-feed-1");
    assert_eq!(ferry["date"], "2024-06-03T08:15:00Z");
    assert_eq!(ferry["source"], "Southern Wire");
    assert_eq!(ferry["url"], "https://wire.example.org/ferry");
    let wine = by_title("Wine exports rise in first quarter");
    assert_eq!(wine["date"], "2024-04-12T16:00:00Z");
    assert_eq!(wine["author"], "Pablo Vidal, Ines Soto");
    assert_eq!(by_title("Glacier survey published")["date"], Value::Null);
    assert_eq!(
        by_title("Tram line extended to Belem")["id"],
        "https://atlanticpost.example.org/tram-belem"
    );
    let page = by_title("Night trains return to the Alps");
    assert_eq!(page["source"], "Alpine Herald");
    assert_eq!(page["date"], "2025-01-15T06:30:00Z");
    by_title("Zürich hosts chess final");
    assert!(env
        .json_lines(&["search", "\"Hidden draft\"", "--json"])
        .is_empty());
    for furniture in ["advertisement", "\"rights reserved\"", "\"ski season\""] {
        assert!(
            env.json_lines(&["search", furniture, "--json"]).is_empty(),
            "{furniture}"
        );
    }

    // The edited article replaces its old version; a re-ingest of the archive changes nothing.
    let (s, _) = env.ingest(&[&fixture("changed")]);
    assert_eq!(s["replaced"], 1, "{s}");
    assert_eq!(s["documents"], 11, "{s}");
    let hits = env.json_lines(&["search", "\"12 million euros\"", "--json"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["id"], "fx-single-1");
    let (s, _) = env.ingest(&[&fixture("archive")]);
    assert_eq!(s["added"], 0, "{s}");
    assert_eq!(s["documents"], 11, "{s}");
}

#[test]
fn quick_start_sample_archive_ingests_cleanly() {
    let env = Env::new();
    let archive = format!("{}/examples/archive", env!("CARGO_MANIFEST_DIR"));
    let out = env.run(&["ingest", &archive]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("added 14"), "{stdout}");
    let people = names(&env.json_lines(&["facets", "people", "--json"])[0]);
    assert!(!people.is_empty());
    let out = env.run(&["facets", "places"]);
    assert_eq!(code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Kenya"));
}

#[test]
fn spellings_of_one_person_are_one_facet_value_across_files_and_runs() {
    let env = Env::new();
    env.write(
        "a.txt",
        "Talks in Sirte\n\nSupporters of Moammar Gadhafi gathered in Sirte on Friday.\n",
    );
    env.write(
        "b.jsonl",
        r#"{"id":"b1","title":"Anniversary","body":"Historians said Muammar Qaddafi ruled Libya for four decades."}"#,
    );
    let (summary, out) = env.ingest(&["a.txt"]);
    assert_eq!(summary["added"], 1, "{}", text(&out));
    // A later run with another spelling joins the value already indexed.
    let (summary, out) = env.ingest(&["b.jsonl"]);
    assert_eq!(summary["added"], 1, "{}", text(&out));
    let facets = &env.json_lines(&["facets", "people", "--json"])[0];
    assert_eq!(names(facets), vec![("Moammar Gadhafi".to_string(), 2)]);
    let hits = env.json_lines(&["search", "*", "--person", "gaddafi", "--json"]);
    assert_eq!(hits.len(), 2, "{hits:?}");
}

/// `gen-corpus` of `articles` copies of the sample archive into `corpus/`, in parts of ten.
fn sample_corpus(env: &Env, articles: usize) -> std::process::Output {
    let archive = env!("CARGO_MANIFEST_DIR").to_string() + "/examples/archive";
    env.run(&[
        "gen-corpus",
        &archive,
        "--out",
        "corpus",
        "--articles",
        &articles.to_string(),
        "--per-file",
        "10",
        "--json",
    ])
}

#[test]
fn gen_corpus_and_bench_report_figures() {
    let env = Env::new();
    let out = sample_corpus(&env, 30);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["articles"], 30);
    assert_eq!(summary["files"], 3);
    let (ingested, _) = env.ingest(&["corpus"]);
    assert_eq!(ingested["added"], 30, "every copy is a new article");

    env.write(
        "queries.json",
        r#"{"warmup": 1, "repetitions": 3,
            "queries": [{"name": "term", "query": "election"},
                        {"name": "place", "query": "*", "place": ["Brazil"]}],
            "facets": [{"name": "people", "kind": "people"}]}"#,
    );
    let out = env.run(&["bench", "corpus", "--queries", "queries.json", "--json"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["corpus"]["articles"], 30);
    let engines: Vec<&str> = report["builds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["engine"].as_str().unwrap())
        .collect();
    assert_eq!(
        engines,
        vec!["tantivy (baseline)", "newsdex, no entities", "newsdex"]
    );
    let latencies = report["latencies"].as_array().unwrap();
    // The term query runs on both engines; the filter and the facets on newsdex only; both
    // queries also as whole `newsdex search` processes.
    assert_eq!(latencies.len(), 6);
    assert!(latencies
        .iter()
        .all(|l| l["samples_us"].as_array().unwrap().len() == 3));
}

#[test]
fn bench_repeats_builds_in_rounds_and_reports_medians() {
    let env = Env::new();
    let out = sample_corpus(&env, 12);
    assert_eq!(code(&out), 0, "{}", text(&out));
    env.write(
        "queries.json",
        r#"{"warmup": 0, "repetitions": 1, "queries": [{"name": "term", "query": "election"}]}"#,
    );
    let args = [
        "bench",
        "corpus",
        "--queries",
        "queries.json",
        "--skip-entities",
        "--repeat",
        "3",
        "--json",
    ];
    let out = env.run(&args);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rounds = report["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 3);
    let engines = |builds: &Value| -> Vec<String> {
        builds
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["engine"].as_str().unwrap().to_string())
            .collect()
    };
    for round in rounds {
        assert_eq!(
            engines(round),
            vec!["tantivy (baseline)", "newsdex, no entities"]
        );
    }
    // The summary is the round of median time, with the median of the within-round ratios.
    let summary = &report["builds"][1];
    let mut seconds: Vec<f64> = rounds
        .iter()
        .map(|r| r[1]["seconds"].as_f64().unwrap())
        .collect();
    let mut ratios: Vec<f64> = rounds
        .iter()
        .map(|r| r[1]["time_vs_baseline"].as_f64().unwrap())
        .collect();
    seconds.sort_by(f64::total_cmp);
    ratios.sort_by(f64::total_cmp);
    assert_eq!(summary["seconds"].as_f64().unwrap(), seconds[1]);
    assert_eq!(summary["time_vs_baseline"].as_f64().unwrap(), ratios[1]);
    assert_eq!(summary["articles"], 12);

    // One round by default: no rounds listed.
    let out = env.run(&[
        "bench",
        "corpus",
        "--queries",
        "queries.json",
        "--skip-entities",
        "--json",
    ]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report.get("rounds").is_none());
    // A count of rounds that makes no sense is refused before any build.
    let out = env.run(&["bench", "corpus", "--repeat", "0"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
}

#[cfg(unix)]
#[test]
fn bench_times_tantivy_cli_on_the_same_records() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let out = sample_corpus(&env, 20);
    assert_eq!(code(&out), 0, "{}", text(&out));
    // A last part without a final line break, and a blank line that is no record.
    env.write(
        "corpus/zz-last.jsonl",
        "\n{\"id\":\"z1\",\"title\":\"Late edition\",\"body\":\"Rain fell on Nairobi.\"}",
    );
    // A stand-in for tantivy-cli: `tantivy index -i DIR` keeps what it is fed.
    let exe = env.write(
        "fake-tantivy",
        "#!/bin/sh\n[ \"$1 $2\" = \"index -i\" ] || exit 2\ncat > \"$3/fed.jsonl\"\n",
    );
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    let exe = exe.to_str().unwrap();
    let out = env.run(&[
        "bench",
        "corpus",
        "--tantivy-cli",
        exe,
        "--skip-entities",
        "--keep",
        "work",
        "--json",
    ]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let builds = report["builds"].as_array().unwrap();
    let cli = builds
        .iter()
        .find(|b| b["engine"] == "tantivy-cli (external)")
        .expect("a tantivy-cli build");
    assert_eq!(cli["articles"], 21);
    // It runs again after newsdex's builds; the ratio is against the mean of its two runs.
    let again = builds
        .iter()
        .find(|b| b["engine"] == "tantivy-cli, after newsdex")
        .expect("a second tantivy-cli build");
    assert_eq!(again["articles"], 21);
    let ours = builds
        .iter()
        .find(|b| b["engine"] == "newsdex, no entities")
        .unwrap();
    let seconds = |b: &Value| b["seconds"].as_f64().unwrap();
    let expected = seconds(ours) / ((seconds(cli) + seconds(again)) / 2.0);
    let ratio = ours["time_vs_tantivy_cli"].as_f64().unwrap();
    assert!(
        ratio > 0.0 && (ratio - expected).abs() < 1e-9 * expected.max(1.0),
        "{ours}"
    );
    // It was fed the inputs as they are, each ending a line, and given its schema.
    let fed = std::fs::read(env.path("work/tantivy-cli/fed.jsonl")).unwrap();
    let mut parts: Vec<_> = std::fs::read_dir(env.path("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    parts.sort();
    let mut inputs: Vec<u8> = parts
        .iter()
        .flat_map(|p| std::fs::read(p).unwrap())
        .collect();
    inputs.push(b'\n');
    assert_eq!(fed, inputs);
    let meta = std::fs::read_to_string(env.path("work/tantivy-cli/meta.json")).unwrap();
    assert!(meta.contains(r#""name":"body""#), "{meta}");

    // Other formats are not JSON Lines: a clear error.
    env.write("story.txt", "Title\n\nBody.\n");
    let out = env.run(&["bench", "story.txt", "--tantivy-cli", exe, "--json"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(
        text(&out).contains("story.txt is not a .jsonl file"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_file_overwritten_with_a_copy_of_another_no_longer_holds_its_old_article() {
    let env = Env::new();
    env.write(
        "a/storm.txt",
        "Storm hits coast\n\nA storm hit the coast near Mombasa on Monday.\n",
    );
    env.write(
        "a/budget.txt",
        "Budget passes\n\nThe parliament in Nairobi passed the budget on Tuesday.\n",
    );
    env.ingest(&["a"]);
    std::fs::copy(env.path("a/storm.txt"), env.path("a/budget.txt")).unwrap();
    let (s, _) = env.ingest(&["a"]);
    assert_eq!(s["duplicates"], 1, "{s}");
    assert_eq!(s["documents"], 1, "{s}");
    let docs = env.stored("idx");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].article.title, "Storm hits coast");
    let origins: Vec<&str> = docs[0]
        .article
        .origins
        .iter()
        .map(|o| o.path.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(origins, vec!["budget.txt", "storm.txt"]);
    assert!(env.json_lines(&["search", "budget", "--json"]).is_empty());
}

#[test]
fn an_archive_indexed_without_entities_gains_them_when_ingested_with_extraction() {
    let env = Env::new();
    env.write("a/flood.txt", FLOOD);
    env.write("a/summit.txt", SUMMIT);
    let (s, out) = env.ingest(&["--no-entities", "a"]);
    assert_eq!(s["added"], 2, "{}", text(&out));
    assert!(env
        .stored("idx")
        .iter()
        .all(|d| d.entities.people.is_empty()));
    // Again without extraction: nothing to do.
    let (s, _) = env.ingest(&["--no-entities", "a"]);
    assert_eq!(s["unchanged"], 2, "{s}");

    // With extraction, the same unchanged files are rewritten with their entities.
    let (s, _) = env.ingest(&["a"]);
    assert_eq!(s["entities_added"], 2, "{s}");
    assert_eq!(s["replaced"], 0, "{s}");
    assert_eq!(s["documents"], 2, "{s}");
    for d in env.stored("idx") {
        let people: Vec<&str> = d.entities.people.iter().map(|p| p.name.as_str()).collect();
        assert!(people.contains(&"William Ruto"), "{people:?}");
        assert!(!d.without_entities);
    }
    assert_eq!(
        env.json_lines(&["search", "rains", "--person", "Ruto", "--json"])
            .len(),
        1
    );
    // Now they are as read, and an ingest without extraction keeps their entities.
    let (s, _) = env.ingest(&["a"]);
    assert_eq!(s["unchanged"], 2, "{s}");
    let (s, _) = env.ingest(&["--no-entities", "a"]);
    assert_eq!(s["unchanged"], 2, "{s}");
    assert!(env
        .stored("idx")
        .iter()
        .all(|d| !d.entities.people.is_empty()));

    // A copy in a new file (read first) is one more origin of the article indexed without
    // extraction: the article takes the copy's entities.
    let env = Env::new();
    env.write("b/flood.txt", FLOOD);
    env.ingest(&["--no-entities", "b"]);
    env.write("b/copy.txt", FLOOD);
    let (s, _) = env.ingest(&["b"]);
    assert_eq!(s["duplicates"], 1, "{s}");
    // The original file then finds the article as read, entities and all.
    assert_eq!(s["unchanged"], 1, "{s}");
    assert_eq!(s["documents"], 1, "{s}");
    let docs = env.stored("idx");
    assert_eq!(docs[0].article.origins.len(), 2);
    assert!(
        !docs[0].entities.people.is_empty(),
        "{:?}",
        docs[0].entities
    );

    // The terminal summary says what happened.
    let env = Env::new();
    env.write("c/summit.txt", SUMMIT);
    env.ingest(&["--no-entities", "c"]);
    let out = env.run(&["ingest", "c"]);
    assert!(
        text(&out).contains("entities added to 1 article indexed before without them"),
        "{}",
        text(&out)
    );
}

/// An ingest commits when the article text written since its last commit reaches two thirds of
/// the writer's memory budget, so that each commit writes segments of full size.
#[test]
fn ingest_commits_as_the_text_written_nears_the_memory_budget() {
    let env = Env::new();
    // 5,200 articles of about 2,000 bytes each: 10.4 MB of text, above two thirds of 15 MB.
    let words = [
        "harbour", "council", "budget", "vote", "river", "bridge", "market", "grain", "minister",
        "strike", "court", "rates", "export", "rain", "festival", "school",
    ];
    let mut lines = String::new();
    let mut state = 7u64;
    for i in 0..5_200 {
        let mut body = String::new();
        while body.len() < 2_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            body.push_str(words[(state >> 60) as usize]);
            body.push(' ');
        }
        lines.push_str(&format!(
            "{{\"id\": \"gen-{i}\", \"title\": \"Report {i}\", \"body\": \"{}\"}}\n",
            body.trim_end()
        ));
    }
    env.write("archive/articles.jsonl", &lines);
    let run = |index: &str, budget: &str| -> Value {
        let (summary, out) = env.ingest(&[
            "archive",
            "--index",
            index,
            "--no-entities",
            "--memory-mb",
            budget,
            "--commit-secs",
            "3600",
        ]);
        assert_eq!(code(&out), 0, "{}", text(&out));
        summary
    };
    let small = run("small", "15");
    assert_eq!(small["articles"], 5_200);
    assert_eq!(
        small["commits"], 2,
        "one when the text reached 10 MB, one at the end"
    );
    let default = run("default", "200");
    assert_eq!(default["commits"], 1, "10.4 MB of text is far below 133 MB");
}
