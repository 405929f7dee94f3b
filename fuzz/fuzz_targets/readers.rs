//! Bytes → every article reader: format detection by name and by content, each forced format,
//! decoding, normalization, and JSON Lines read in batches. Must never panic; every article must
//! be well formed; and for UTF-8 input, reading in batches must give what reading whole gives.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdex::sources::{read_bytes, read_stream, FileOutput, Format};

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
    // The first byte picks a name and a format, the second a batch size; the rest is the file.
    let [pick, batch, bytes @ ..] = data else {
        return;
    };
    let (name, stdin) = NAMES[(*pick as usize) % NAMES.len()];
    let format = FORMATS[(*pick as usize / NAMES.len()) % FORMATS.len()];
    let whole = read_bytes(bytes.to_vec(), name, stdin, format, None);
    for article in &whole.articles {
        assert!(!article.id.is_empty(), "article without an id");
        assert!(!article.title.is_empty(), "article without a title");
        assert!(!article.origins.is_empty(), "article without an origin");
        assert!(
            !article.title.contains('\0') && !article.body.contains('\0'),
            "NUL byte kept in text"
        );
    }
    for p in whole.skipped.iter().chain(&whole.warnings) {
        assert!(!p.reason.is_empty(), "problem without a reason");
    }
    let mut batched = FileOutput::default();
    let batch_bytes = 1 + *batch as usize;
    read_stream(
        std::io::Cursor::new(bytes.to_vec()),
        name,
        stdin,
        format,
        None,
        batch_bytes,
        &mut |out| {
            batched.articles.extend(out.articles);
            batched.skipped.extend(out.skipped);
            batched.warnings.extend(out.warnings);
        },
    );
    if std::str::from_utf8(bytes).is_ok() {
        assert_eq!(batched.articles, whole.articles, "batches differ from whole");
        assert_eq!(batched.skipped, whole.skipped, "batches differ from whole");
    }
});
