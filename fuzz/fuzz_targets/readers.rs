//! Bytes → every article reader: format detection by name and by content, each forced format,
//! decoding, normalization. Must never panic, and every article must be well formed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdex::sources::{read_bytes, Format};

const NAMES: [(&str, bool); 7] = [
    ("a.txt", false),
    ("a.json", false),
    ("a.jsonl", false),
    ("a.html", false),
    ("a.sgm", false),
    ("noext", false),
    ("-", true),
];
const FORMATS: [Format; 5] = [
    Format::Auto,
    Format::Txt,
    Format::Json,
    Format::Html,
    Format::Sgml,
];

fuzz_target!(|data: &[u8]| {
    // The first byte picks a name and a format; the rest is the file.
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let (name, stdin) = NAMES[(pick as usize) % NAMES.len()];
    let format = FORMATS[(pick as usize / NAMES.len()) % FORMATS.len()];
    let out = read_bytes(bytes.to_vec(), name, stdin, format, None);
    for article in &out.articles {
        assert!(!article.id.is_empty(), "article without an id");
        assert!(!article.title.is_empty(), "article without a title");
        assert!(!article.origins.is_empty(), "article without an origin");
        assert!(
            !article.title.contains('\0') && !article.body.contains('\0'),
            "NUL byte kept in text"
        );
    }
    for p in out.skipped.iter().chain(&out.warnings) {
        assert!(!p.reason.is_empty(), "problem without a reason");
    }
});
