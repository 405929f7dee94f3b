//! The query front end: any query string and filter values against a small index of real
//! articles (with people, places and organizations). Must never panic; a bad query is an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdex::index::writer::Updater;
use newsdex::index::{NewsIndex, StoredDoc};
use newsdex::query::{build, parse_date_bound, Filters};
use newsdex::sources::{read_bytes, Format};
use std::sync::OnceLock;
use tantivy::collector::{Count, TopDocs};
use tantivy::IndexReader;

const ARCHIVE: &str = r#"{"id": "a1", "title": "Talks resume in Tripoli", "body": "Negotiators met Khalifa Haftar in Tripoli, Libya, on Sunday, the United Nations said.", "date": "2024-03-07"}
{"id": "a2", "title": "Floods in Kenya", "body": "President William Ruto visited Nairobi after floods, the Kenya Red Cross said.", "date": "2023-05-02T10:00:00Z", "source": "Wire"}
{"id": "a3", "title": "Rates held", "body": "The European Central Bank kept rates unchanged in Frankfurt, said Christine Lagarde."}
"#;

/// The index and one reader of it, opened once for the whole run.
fn index() -> &'static (NewsIndex, IndexReader) {
    static INDEX: OnceLock<(NewsIndex, IndexReader)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = NewsIndex::in_ram();
        let out = read_bytes(ARCHIVE.as_bytes().to_vec(), "a.jsonl", false, Format::Auto, None);
        let mut updater = Updater::new(&index).expect("writer");
        for article in out.articles {
            let entities = newsdex::entities::extract(&article);
            updater
                .upsert(StoredDoc::new(article, entities))
                .expect("upsert");
        }
        updater.commit().expect("commit");
        updater.finish().expect("finish");
        let reader = index.index.reader().expect("reader");
        (index, reader)
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Fields separated by 0x1F: query, person, place, org, since, until.
    let mut parts = text.split('\u{1f}');
    let query = parts.next().unwrap_or("").to_string();
    let mut next = || parts.next().map(str::to_string);
    let filters = Filters {
        people: next().into_iter().collect(),
        places: next().into_iter().collect(),
        orgs: next().into_iter().collect(),
        since: next(),
        until: next(),
    };
    let (index, reader) = index();
    let searcher = reader.searcher();
    if let Ok(resolved) = build(index, &searcher, &query, &filters) {
        let _ = searcher.search(&resolved.query, &(Count, TopDocs::with_limit(3).order_by_score()));
    }
    let _ = parse_date_bound(&query, false);
    let _ = parse_date_bound(&query, true);
});
