//! Hostile and broken input, end to end: every case gives a correct document or a skip with a
//! named reason, never a panic or an aborted run, and the rest of the archive is ingested.

mod common;

use common::{code, reason, text, Env};
use serde_json::Value;

/// A good article in every archive, to show the run carried on.
const GOOD: &str = "Harbour reopens after storm\n\nThe port reopened on Tuesday, officials said.\n";

fn ingest_ok(env: &Env, paths: &[&str]) -> Value {
    let (s, out) = env.ingest(paths);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        text(&out)
    );
    s
}

fn titles(env: &Env) -> Vec<String> {
    env.stored("idx")
        .into_iter()
        .map(|d| d.article.title)
        .collect()
}

#[test]
fn empty_blank_binary_and_headline_only_files() {
    let env = Env::new();
    env.write("a/good.txt", GOOD);
    env.write("a/empty.txt", "");
    env.write("a/blank.txt", " \n\t\r\n  \n");
    env.write(
        "a/photo.jpg",
        b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01",
    );
    env.write("a/headline.txt", "Just a headline, no body\n\n\n");
    let (s, out) = env.ingest(&["a"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert_eq!(reason(&s["skipped"], "empty.txt").unwrap(), "empty file");
    assert!(reason(&s["skipped"], "blank.txt")
        .unwrap()
        .contains("nothing but whitespace"));
    assert!(reason(&s["skipped"], "photo.jpg")
        .unwrap()
        .starts_with("binary file"));
    assert_eq!(s["skipped"].as_array().unwrap().len(), 3, "{s}");
    let docs = env.stored("idx");
    assert_eq!(docs.len(), 2);
    let headline = docs
        .iter()
        .find(|d| d.article.title == "Just a headline, no body")
        .expect("headline-only article indexed");
    assert_eq!(headline.article.body, "");
    // Named on stderr too, file by file.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("skipped ") && stderr.contains("empty.txt: empty file"));
}

#[test]
fn encodings_utf16_with_bom_and_invalid_utf8() {
    let env = Env::new();
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Zürich vote counted\r\n\r\nVoters in Zürich backed the plan.".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    env.write("a/utf16.txt", &utf16);
    let mut be = vec![0xFE, 0xFF];
    for unit in "Köln fair opens\n\nThe fair opened.".encode_utf16() {
        be.extend_from_slice(&unit.to_be_bytes());
    }
    env.write("a/utf16be.txt", &be);
    env.write(
        "a/latin1.txt",
        b"Caf\xE9 prices rise\n\nA caf\xE9 au lait costs \xA33.",
    );
    let s = ingest_ok(&env, &["a"]);
    assert_eq!(s["documents"], 3, "{s}");
    let warning = reason(&s["warnings"], "latin1.txt").expect("latin1 warning");
    assert!(warning.contains("not valid UTF-8"), "{warning}");
    let mut t = titles(&env);
    t.sort();
    assert_eq!(
        t,
        ["Café prices rise", "Köln fair opens", "Zürich vote counted"]
    );
}

#[test]
fn nul_bytes_control_characters_and_escapes_never_reach_the_terminal() {
    let env = Env::new();
    // NUL inside text past the sniffed prefix, and NUL in a JSON string.
    let mut late_nul = b"Grain prices climb\n\n".to_vec();
    late_nul.extend(std::iter::repeat_n(b'x', 9000));
    late_nul.extend_from_slice(b" wheat\0rose sharply.");
    env.write("a/late-nul.txt", &late_nul);
    env.write(
        "a/nul.json",
        r#"{"id": "n1", "title": "Null\u0000byte title", "body": "Body with \u0000 a NUL."}"#,
    );
    // Escape sequences: colour, clear screen, window title (OSC), bell, backspace.
    env.write(
        "a/escapes.json",
        r#"{"id": "e1", "title": "\u001b[31mRed\u001b[0m alert \u001b]0;owned\u0007", "body": "Sirens \u001b[2J sounded \b\b in town.", "date": "\u001b[2J"}"#,
    );
    // A file name holding an escape sequence, with a problem to report.
    env.write("a/evil\x1b[2J.txt", "");
    let (s, out) = env.ingest(&["a"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert_eq!(s["documents"], 3, "{s}");
    for d in env.stored("idx") {
        for field in [&d.article.title, &d.article.body] {
            assert!(
                !field.chars().any(|c| c.is_control() && c != '\n'),
                "{field:?}"
            );
        }
    }
    assert!(!out.stderr.contains(&0x1b), "{}", text(&out));
    let listing = env.run(&["search", "sirens OR red OR null OR wheat"]);
    assert_eq!(code(&listing), 0, "{}", text(&listing));
    assert!(!listing.stdout.contains(&0x1b), "{}", text(&listing));
    assert!(!listing.stdout.contains(&0x07), "{}", text(&listing));
    let stats = env.run(&["stats"]);
    assert!(!stats.stdout.contains(&0x1b));
}

#[test]
fn giant_one_line_file_is_cut_with_a_reason_and_long_headlines_are_bounded() {
    let env = Env::new();
    env.write("a/good.txt", GOOD);
    // 50 MB on one line, no line break anywhere.
    let sentence = "the committee said prices rose in the region again ";
    let giant: String = sentence.repeat(50 * 1024 * 1024 / sentence.len() + 1);
    env.write("a/giant.txt", giant.as_bytes());
    drop(giant);
    let long_title = "Headline ".repeat(2000);
    env.write(
        "a/long-title.json",
        serde_json::json!({"id": "long", "title": long_title, "body": "Short body."}).to_string(),
    );
    let started = std::time::Instant::now();
    let (s, out) = env.ingest(&["a"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert!(
        started.elapsed().as_secs() < 120,
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(s["documents"], 3, "{s}");
    let cut = reason(&s["warnings"], "giant.txt").expect("a warning names the giant file");
    assert!(
        cut.contains("body is 50.0 MB") && cut.contains("first 10.0 MB"),
        "{cut}"
    );
    let long = reason(&s["warnings"], "long-title.json").expect("title warning");
    assert!(long.starts_with("title is"), "{long}");
    let docs = env.stored("idx");
    let giant_doc = docs
        .iter()
        .find(|d| d.article.body.len() > 1_000_000)
        .expect("giant article kept");
    assert!(giant_doc.article.body.len() <= newsdex::normalize::MAX_BODY_BYTES);
    assert!(giant_doc.article.title.chars().count() <= 91);
    let titled = docs.iter().find(|d| d.article.id == "long").unwrap();
    assert!(titled.article.title.len() <= newsdex::normalize::MAX_FIELD_BYTES);
    assert!(titled.article.title.starts_with("Headline Headline"));
}

#[test]
fn deep_folders_symlink_loops_and_unreadable_files() {
    let env = Env::new();
    env.write("a/good.txt", GOOD);
    let deep: String = (0..60).map(|i| format!("d{i}/")).collect();
    env.write(
        &format!("a/{deep}deep.txt"),
        "Deep story found\n\nIt was far down.",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::os::unix::fs::symlink(env.path("a"), env.path("a/d0/loop")).unwrap();
        // Unreadable: no permission (for users other than root), and a file that fails on read
        // for everyone (the kernel refuses to read a process's memory at address 0).
        let locked = env.write("a/locked.txt", "Locked story\n\nSecret.");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let root = std::fs::read(&locked).is_ok();
        if root {
            std::fs::remove_file(&locked).unwrap();
        }
        std::os::unix::fs::symlink("/proc/self/mem", env.path("a/mem.txt")).unwrap();
        let (s, out) = env.ingest(&["a"]);
        assert_eq!(code(&out), 1, "{}", text(&out));
        let looped = reason(&s["skipped"], "loop").expect("loop reported");
        assert!(looped.contains("symbolic link loop"), "{looped}");
        assert!(reason(&s["skipped"], "mem.txt")
            .unwrap()
            .starts_with("cannot read"));
        if !root {
            assert!(reason(&s["skipped"], "locked.txt")
                .unwrap()
                .starts_with("cannot read"));
        }
        let mut t = titles(&env);
        t.sort();
        assert_eq!(t, ["Deep story found", "Harbour reopens after storm"]);
    }
}

#[test]
fn json_lines_bad_lines_and_wrong_types() {
    let env = Env::new();
    env.write(
        "a/feed.jsonl",
        [
            r#"{"id": "j1", "title": "First good line", "body": "Fine."}"#,
            r#"{"id": "j2", "title": "truncated"#,
            r#"[1, 2, 3]"#,
            r#""just a string""#,
            "",
            r#"{"id": "j6", "title": {"nested": true}, "body": null}"#,
            r#"{"id": 7, "title": 42, "body": ["Para one.", {"text": "Para two."}, 3], "date": true, "author": [1, null, {"name": "Ana Lima"}], "source": ["x"]}"#,
            r#"{"id": "j8", "title": "Last good line", "body": "Fine too."}"#,
        ]
        .join("\n"),
    );
    env.write("a/wrong.json", r#"{"title": ["a", "list"], "body": false}"#);
    env.write("a/scalar.json", "12345");
    let (s, out) = env.ingest(&["a"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(reason(&s["skipped"], "feed.jsonl:2")
        .unwrap()
        .starts_with("invalid JSON"));
    assert!(reason(&s["skipped"], "feed.jsonl:3")
        .unwrap()
        .contains("expected a JSON object"));
    assert!(reason(&s["skipped"], "feed.jsonl:4").is_some());
    assert!(reason(&s["skipped"], "feed.jsonl:6")
        .unwrap()
        .contains("neither a title nor a body"));
    assert!(reason(&s["skipped"], "wrong.json").is_some(), "{s}");
    assert!(reason(&s["skipped"], "scalar.json").is_some(), "{s}");
    let docs = env.stored("idx");
    let ids: Vec<&str> = docs.iter().map(|d| d.article.id.as_str()).collect();
    assert_eq!(ids, ["7", "j1", "j8"]);
    let typed = &docs[0].article;
    assert_eq!(typed.title, "42");
    assert_eq!(typed.body, "Para one.\n\nPara two.\n\n3");
    assert_eq!(typed.author.as_deref(), Some("1, Ana Lima"));
    assert_eq!(typed.published, None);
    // Each bad line is reported on stderr with its line number.
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in [2, 3, 4, 6] {
        assert!(stderr.contains(&format!("feed.jsonl:{line}: ")), "{stderr}");
    }
}

#[test]
fn html_without_an_article_and_unknown_or_impossible_dates() {
    let env = Env::new();
    env.write(
        "a/menu.html",
        "<!doctype html><html><body><nav><a href='/'>Home</a></nav><footer>(c)</footer></body></html>",
    );
    env.write(
        "a/dates.jsonl",
        [
            r#"{"id": "d1", "title": "Spring story", "body": "B.", "date": "sometime in spring"}"#,
            r#"{"id": "d2", "title": "Leap story", "body": "B.", "date": "2023-02-29"}"#,
            r#"{"id": "d3", "title": "Month story", "body": "B.", "date": "2024-13-01"}"#,
            r#"{"id": "d4", "title": "Clock story", "body": "B.", "date": "2024-05-02T25:61:00Z"}"#,
            r#"{"id": "d5", "title": "Good date", "body": "B.", "date": "2024-05-02"}"#,
        ]
        .join("\n"),
    );
    let (s, out) = env.ingest(&["a"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(reason(&s["skipped"], "menu.html")
        .unwrap()
        .contains("neither a title nor a body"));
    for line in 1..=4 {
        let w = reason(&s["warnings"], &format!("dates.jsonl:{line}")).expect("date warning");
        assert!(w.starts_with("unparseable date"), "{w}");
    }
    assert!(reason(&s["warnings"], "dates.jsonl:5").is_none());
    let docs = env.stored("idx");
    assert_eq!(docs.len(), 5);
    for d in &docs {
        assert_eq!(
            d.article.published.is_some(),
            d.article.id == "d5",
            "{}",
            d.article.id
        );
    }
    // Undated articles are still found, and counted as undated.
    let stats: Value = serde_json::from_slice(&env.run(&["stats", "--json"]).stdout).unwrap();
    assert_eq!(stats["undated"], 4);
}

#[test]
fn memory_budget_flag_is_checked_and_used() {
    let env = Env::new();
    env.write("a/good.txt", GOOD);
    let out = env.run(&["ingest", "a", "--memory-mb", "5"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--memory-mb"));
    assert!(!env.path("idx").exists(), "a refused run creates nothing");
    let out = env.run(&["ingest", "a", "--commit-every", "0"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let out = env.run(&["ingest", "a", "--commit-secs", "-1"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let out = env.run(&["ingest", "a", "--memory-mb", "15", "--json"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
}

#[test]
fn large_json_lines_are_read_in_batches_with_their_line_numbers() {
    let env = Env::new();
    // Over one batch (8 MB) of JSON Lines: a 9 MB line, then a bad line and a good one.
    let body = "Prices rose again in the region, the committee said. ".repeat(9 * 1024 * 1024 / 52);
    let lines = [
        serde_json::json!({"id": "big", "title": "Big report", "body": body}).to_string(),
        "{\"id\": \"bad\", \"title\": ".to_string(),
        r#"{"id": "after", "title": "After the big one", "body": "Short."}"#.to_string(),
    ];
    env.write("a/feed.jsonl", lines.join("\n") + "\n");
    let (s, out) = env.ingest(&["a"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(reason(&s["skipped"], "feed.jsonl:2")
        .unwrap()
        .starts_with("invalid JSON"));
    let docs = env.stored("idx");
    let ids: Vec<&str> = docs.iter().map(|d| d.article.id.as_str()).collect();
    assert_eq!(ids, ["after", "big"]);
    assert_eq!(docs[0].article.origins[0].line, Some(3));
    assert!(docs[1].article.body.len() > 8 * 1024 * 1024);
}
