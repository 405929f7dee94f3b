//! Queries and the index, end to end: every bad query, a missing or empty index and an index of
//! another format version get a clear error saying what to do, never a panic.

mod common;

use common::{code, text, Env};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// Runs `search QUERY` and returns (exit code, stderr), checking nothing panicked.
fn search(env: &Env, query: &str) -> (i32, String) {
    let out = env.run(&["search", query]);
    let err = stderr(&out);
    assert!(
        !err.contains("panicked") && !err.contains("overflow"),
        "{}",
        text(&out)
    );
    (code(&out), err)
}

#[test]
fn bad_queries_get_clear_errors() {
    let env = Env::new();
    env.write(
        "a/story.txt",
        "Talks resume in Tripoli\n\nNegotiators returned on Sunday.\n",
    );
    let (_, out) = env.ingest(&["a"]);
    assert_eq!(code(&out), 0, "{}", text(&out));

    let cases: Vec<(String, &str)> = vec![
        ("\"unclosed phrase".into(), "closing quote"),
        ("(talks AND tripoli".into(), "parentheses are not balanced"),
        ("nosuchfield:talks".into(), "unknown field 'nosuchfield:'"),
        ("".into(), "empty query"),
        ("   ".into(), "empty query"),
        ("-talks".into(), "only excludes terms"),
        ("date:[yesterday TO today]".into(), "invalid date"),
        ("talks ".repeat(3000), "at most 10000 are allowed"),
        (
            format!("{}talks{}", "(".repeat(5000), ")".repeat(5000)),
            "at most 10000 are allowed",
        ),
        (
            format!("{}talks{}", "(".repeat(200), ")".repeat(200)),
            "at most 32 levels",
        ),
        (
            format!("{}talks{}", "[".repeat(100), "]".repeat(100)),
            "at most 32 levels",
        ),
    ];
    for (query, expected) in &cases {
        let (exit, err) = search(&env, query);
        assert_eq!(exit, 2, "{query:.60}: {err}");
        assert!(err.contains(expected), "{query:.60}: {err}");
        assert!(err.starts_with("newsdex: error: "), "{err}");
    }
    // Odd but valid queries work.
    for query in [
        "*",
        "title:talks",
        "\"talks resume\"",
        "talks OR nothing",
        "(((talks)))",
    ] {
        let (exit, err) = search(&env, query);
        assert_eq!(exit, 0, "{query}: {err}");
    }
    // Bad filter values too.
    let out = env.run(&["search", "talks", "--since", "last week"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(stderr(&out).contains("invalid date 'last week'"));
    let out = env.run(&["search", "talks", "--person", "Nobody Known"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(stderr(&out).contains("no person matching"));
    let out = env.run(&["facets", "people", "\"unclosed"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(stderr(&out).contains("closing quote"));
}

#[test]
fn missing_and_empty_indexes_say_what_to_do() {
    let env = Env::new();
    for args in [
        vec!["search", "talks"],
        vec!["facets"],
        vec!["stats"],
        vec!["search", "talks", "--json"],
    ] {
        let out = env.run(&args);
        assert_eq!(code(&out), 2, "{}", text(&out));
        let err = stderr(&out);
        assert!(err.contains("no newsdex index at"), "{err}");
        assert!(err.contains("run `newsdex ingest"), "{err}");
        assert!(
            !env.path("idx").exists(),
            "a reader never creates the index"
        );
    }
    // An index with no articles: every input was skipped.
    env.write("a/empty.txt", "");
    let (s, out) = env.ingest(&["a"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert_eq!(s["documents"], 0);
    let out = env.run(&["search", "talks"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let err = stderr(&out);
    assert!(err.contains("holds no articles yet"), "{err}");
    assert!(err.contains("run `newsdex ingest PATH --index"), "{err}");
    let out = env.run(&["stats", "--json"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
}

#[test]
fn an_index_of_another_format_version_names_the_remedy() {
    let env = Env::new();
    env.write("a/story.txt", "Talks resume\n\nThey met.\n");
    let (_, out) = env.ingest(&["a"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let meta = env.path("idx/newsdex.json");
    let current = std::fs::read_to_string(&meta).unwrap();
    let version = newsdex::index::SCHEMA_VERSION;
    assert!(
        current.contains(&format!("\"schema_version\": {version}")),
        "{current}"
    );
    std::fs::write(
        &meta,
        current.replace(
            &format!("\"schema_version\": {version}"),
            "\"schema_version\": 999",
        ),
    )
    .unwrap();
    for args in [vec!["search", "talks"], vec!["stats"], vec!["ingest", "a"]] {
        let out = env.run(&args);
        assert_eq!(code(&out), 2, "{}", text(&out));
        let err = stderr(&out);
        assert!(err.contains("index format version 999"), "{err}");
        assert!(err.contains(&format!("reads version {version}")), "{err}");
        assert!(err.contains("newsdex ingest PATH --index"), "{err}");
    }
    std::fs::write(&meta, "not json").unwrap();
    let out = env.run(&["search", "talks"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(stderr(&out).contains("is not a newsdex index description"));
}
