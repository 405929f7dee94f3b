//! Crash safety and concurrency, end to end: an ingest killed with SIGKILL leaves exactly the
//! articles of its last commit and a re-run finishes it with the state of an uninterrupted run; a
//! second writer is refused at once; readers work during an ingest and see the last commit.

mod common;

use common::{code, text, Env};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const PEOPLE: [&str; 5] = [
    "William Ruto",
    "Olaf Scholz",
    "Christine Lagarde",
    "Khalifa Haftar",
    "Ana Lima",
];
const PLACES: [&str; 5] = ["Nairobi", "Frankfurt", "Tripoli", "Geneva", "Lagos"];

/// An archive of `files` JSON Lines files of `per_file` articles, plus text files with exact
/// duplicates and two versions of one article under one id, so resumed runs meet every outcome.
fn write_archive(env: &Env, files: usize, per_file: usize) {
    for f in 0..files {
        let mut lines = String::new();
        for i in 0..per_file {
            let (p, q) = (PEOPLE[(f + i) % 5], PLACES[(f * 3 + i) % 5]);
            let article = serde_json::json!({
                "id": format!("a{f}-{i}"),
                "title": format!("Report {f}-{i} from {q}"),
                "body": format!("{p} spoke in {q} on Monday about item {i} of file {f}. Officials said talks would go on."),
                "date": format!("2024-{:02}-{:02}", 1 + i % 12, 1 + f % 28),
            });
            lines.push_str(&article.to_string());
            lines.push('\n');
        }
        env.write(&format!("archive/feed{f:02}.jsonl"), lines);
    }
    let story = "Storm closes harbour\n\nGENEVA - Olaf Scholz said the harbour in Geneva would stay shut.\n";
    env.write("archive/m-story.txt", story);
    env.write("archive/n-story-copy.txt", story);
    env.write(
        "archive/o-revised.json",
        r#"{"id": "rev", "title": "Budget talks", "body": "First version of the talks in Lagos."}"#,
    );
    env.write(
        "archive/p-revised.json",
        r#"{"id": "rev", "title": "Budget talks", "body": "Second version: Ana Lima led the talks in Lagos."}"#,
    );
}

/// The commit record tantivy keeps in the index's meta file, read without the library (the
/// writer may be running).
fn payload(env: &Env, dir: &str) -> Option<Value> {
    let meta = std::fs::read_to_string(env.path(dir).join("meta.json")).ok()?;
    let meta: Value = serde_json::from_str(&meta).ok()?;
    serde_json::from_str(meta["payload"].as_str()?).ok()
}

/// Ids, per-id origins and content, and the people and places facets of an index.
#[derive(Debug, PartialEq)]
struct State {
    docs: BTreeMap<String, (Vec<String>, String)>,
    people: Value,
    places: Value,
}

fn state(env: &Env, dir: &str) -> State {
    let docs = env
        .stored(dir)
        .into_iter()
        .map(|d| {
            let origins = d.article.origins.iter().map(|o| o.to_string()).collect();
            (d.article.id, (origins, d.article.content_hash))
        })
        .collect();
    let facets = |kind: &str| -> Value {
        let out = env.run(&["facets", kind, "--json", "--top", "100", "--index", dir]);
        assert_eq!(code(&out), 0, "{}", text(&out));
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["values"].clone()
    };
    State {
        docs,
        people: facets("people"),
        places: facets("places"),
    }
}

fn spawn_ingest(env: &Env, dir: &str) -> Child {
    env.command(&[
        "ingest",
        "archive",
        "--index",
        dir,
        "--commit-every",
        "20",
        "--json",
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .expect("start ingest")
}

/// Waits until the run's commit record shows at least `applied` articles, then kills the run
/// with SIGKILL. Returns whether the run was still going when killed.
fn kill_after(env: &Env, child: &mut Child, dir: &str, applied: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        let reached = payload(env, dir).is_some_and(|p| {
            p["articles_applied"].as_u64() >= Some(applied) && p["complete"] == false
        });
        if reached || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    true
}

/// After a kill: the index opens, holds exactly the documents its last commit recorded, each id
/// once, each document as in the reference run or an earlier version of it.
fn check_after_kill(env: &Env, dir: &str, reference: &State) {
    let docs = if env.path(dir).join("newsdex.json").exists() {
        env.stored(dir)
    } else {
        Vec::new()
    };
    let recorded = payload(env, dir).map_or(0, |p| p["documents"].as_u64().unwrap());
    assert_eq!(docs.len() as u64, recorded, "documents vs commit record");
    let mut ids: Vec<&str> = docs.iter().map(|d| d.article.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), docs.len(), "an id stored twice");
    for d in &docs {
        assert!(
            reference.docs.contains_key(&d.article.id),
            "unexpected document {}",
            d.article.id
        );
    }
    if !docs.is_empty() {
        // Readers open the killed index normally.
        let out = env.run(&["stats", "--json", "--index", dir]);
        assert_eq!(code(&out), 0, "{}", text(&out));
    }
}

#[test]
fn sigkill_at_several_points_then_rerun_matches_an_uninterrupted_run() {
    let env = Env::new();
    write_archive(&env, 10, 100);
    let total_docs = 10 * 100 + 2;

    let (s, out) = env.ingest(&["archive", "--index", "reference"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(s["documents"], total_docs, "{s}");
    let reference = state(&env, "reference");
    assert_eq!(reference.docs.len(), total_docs);

    // 1. Killed at once: before or just after the index is created.
    let mut child = spawn_ingest(&env, "idx");
    std::thread::sleep(Duration::from_millis(30));
    child.kill().unwrap();
    child.wait().unwrap();
    check_after_kill(&env, "idx", &reference);

    // 2. Killed part-way, while readers query the index between commits.
    let mut child = spawn_ingest(&env, "idx");
    let deadline = Instant::now() + Duration::from_secs(60);
    while payload(&env, "idx").is_none_or(|p| p["articles_applied"].as_u64() < Some(100))
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    let before = payload(&env, "idx").unwrap()["documents"].as_u64().unwrap();
    let hits = env
        .json_lines(&["search", "*", "--json", "--limit", "100000"])
        .len() as u64;
    let after = payload(&env, "idx").unwrap()["documents"].as_u64().unwrap();
    assert!(
        (before..=after).contains(&hits),
        "search saw {hits} documents; commits recorded {before} then {after}"
    );
    assert!(
        kill_after(&env, &mut child, "idx", 400),
        "run ended too early"
    );
    check_after_kill(&env, "idx", &reference);
    let first = payload(&env, "idx").unwrap();
    assert_eq!(first["complete"], false);

    // 3. The re-run is killed too, further on (what is already there is unchanged).
    let mut child = spawn_ingest(&env, "idx");
    assert!(
        kill_after(&env, &mut child, "idx", 800),
        "re-run ended too early"
    );
    check_after_kill(&env, "idx", &reference);
    let second = payload(&env, "idx").unwrap();
    assert!(second["unchanged"].as_u64().unwrap() > 0, "{second}");
    assert!(second["documents"].as_u64() >= first["documents"].as_u64());

    // 4. Run to the end: the same state as the uninterrupted run.
    let (s, out) = env.ingest(&["archive", "--index", "idx"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(s["documents"], total_docs, "{s}");
    assert!(s["unchanged"].as_u64().unwrap() >= 800, "{s}");
    assert_eq!(state(&env, "idx"), reference);
    let last = payload(&env, "idx").unwrap();
    assert_eq!(last["complete"], true);
    assert_eq!(last["inputs_done"], last["inputs_total"]);

    // 5. And once more: nothing changes.
    let (s, out) = env.ingest(&["archive", "--index", "idx"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(s["added"], 0, "{s}");
    assert_eq!(s["replaced"], 0, "{s}");
    assert_eq!(s["unchanged"], s["articles"], "{s}");
    assert_eq!(state(&env, "idx"), reference);
}

#[test]
fn a_second_ingest_is_refused_at_once_while_one_runs() {
    let env = Env::new();
    write_archive(&env, 6, 100);
    let mut first = spawn_ingest(&env, "idx");
    // Once the first run has committed and not finished, it holds the index.
    let deadline = Instant::now() + Duration::from_secs(60);
    while payload(&env, "idx").is_none() {
        assert!(
            Instant::now() < deadline,
            "the first ingest never committed"
        );
        assert!(
            first.try_wait().unwrap().is_none(),
            "first ingest ended early"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let started = Instant::now();
    let second = env.run(&["ingest", "archive"]);
    let waited = started.elapsed();
    let still_running = payload(&env, "idx").unwrap()["complete"] == false;
    assert_eq!(code(&second), 2, "{}", text(&second));
    assert!(waited < Duration::from_secs(20), "second ingest hung");
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains("is being written by another newsdex process"),
        "{err}"
    );
    assert!(err.contains("idx"), "{err}");
    // Readers work meanwhile.
    let stats = env.run(&["stats", "--json"]);
    assert_eq!(code(&stats), 0, "{}", text(&stats));
    let status = first.wait().unwrap();
    assert!(status.success());
    assert!(
        still_running,
        "the first run ended before the second was refused"
    );
    assert_eq!(env.stored("idx").len(), 6 * 100 + 2);
}

#[test]
fn readers_see_the_last_commit_while_a_writer_holds_the_index() {
    use newsdex::index::writer::Updater;
    use newsdex::index::{NewsIndex, StoredDoc};
    let env = Env::new();
    write_archive(&env, 2, 20);
    let (s, out) = env.ingest(&["archive"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    let committed = s["documents"].as_u64().unwrap();
    let count = |env: &Env| {
        env.json_lines(&["search", "*", "--json", "--limit", "1000"])
            .len() as u64
    };

    let index = NewsIndex::open(&env.path("idx")).unwrap();
    let mut updater = Updater::new(&index).unwrap();
    let refused = env.run(&["ingest", "archive"]);
    assert_eq!(code(&refused), 2, "{}", text(&refused));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("(its lock is held)"));

    let late = newsdex::sources::read_bytes(
        br#"{"id": "late", "title": "Late story", "body": "Filed late in Nairobi."}"#.to_vec(),
        "late.json",
        false,
        newsdex::sources::Format::Auto,
        None,
    );
    let article = late.articles.into_iter().next().unwrap();
    updater
        .upsert(StoredDoc::new(article, Default::default()))
        .unwrap();
    // Not committed: readers see the previous commit.
    assert_eq!(count(&env), committed);
    let stats: Value = serde_json::from_slice(&env.run(&["stats", "--json"]).stdout).unwrap();
    assert_eq!(stats["documents"], committed);
    let facets = env.run(&["facets", "people", "--json"]);
    assert_eq!(code(&facets), 0, "{}", text(&facets));
    // Committed: readers see it.
    updater.commit().unwrap();
    assert_eq!(count(&env), committed + 1);
    updater.finish().unwrap();
    let (s, out) = env.ingest(&["archive"]);
    assert_eq!(code(&out), 0, "{}", text(&out));
    assert_eq!(s["documents"], committed + 1);
}

#[test]
fn where_commits_fall_never_changes_the_result() {
    let env = Env::new();
    // Several articles per line (minified) and without lines (a wrapped list): each keeps its
    // own origin, so a commit between them never makes one stand for another.
    env.write(
        "archive/minified.json",
        r#"[{"title": "One", "body": "First."}, {"title": "Two", "body": "Second."}, {"title": "Three", "body": "Third."}]"#,
    );
    env.write(
        "archive/wrapped.json",
        r#"{"status": "ok", "articles": [{"title": "Four", "body": "Fourth."}, {"title": "Five", "body": "Fifth."}]}"#,
    );
    write_archive(&env, 1, 5);
    let mut states = Vec::new();
    for (dir, every) in [("one-commit", "10000"), ("every-article", "1")] {
        let out = env.run(&["ingest", "archive", "--index", dir, "--commit-every", every]);
        assert_eq!(code(&out), 0, "{}", text(&out));
        states.push(state(&env, dir));
    }
    assert_eq!(states[0], states[1]);
    assert_eq!(states[0].docs.len(), 5 + 5 + 2);
    let origins: Vec<&String> = states[0].docs.values().flat_map(|(o, _)| o).collect();
    assert!(
        origins.iter().any(|o| o.ends_with("minified.json:1#2")),
        "{origins:?}"
    );
    assert!(
        origins.iter().any(|o| o.ends_with("wrapped.json#1")),
        "{origins:?}"
    );
    let out = env.run(&[
        "ingest",
        "archive",
        "--index",
        "every-article",
        "--commit-every",
        "1",
        "--json",
    ]);
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["unchanged"], s["articles"], "{s}");
    assert_eq!(state(&env, "every-article"), states[1]);
}

#[test]
fn an_index_that_cannot_be_written_ends_the_run_with_an_error_instead_of_hanging() {
    use std::os::unix::process::CommandExt;
    let env = Env::new();
    write_archive(&env, 20, 400);
    let mut cmd = env.command(&["ingest", "archive", "--commit-every", "1000"]);
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    // No file of the index may grow past 8 KB: its segment files cannot be written (EFBIG), as
    // on a full disk, with thousands of articles still to read.
    // SAFETY: between fork and exec the closure calls only async-signal-safe functions.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 8 * 1024,
                rlim_max: 8 * 1024,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("start newsdex");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the ingest hung after writing the index failed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("ingest stopped"), "{err}");
    // The system's reason, not only that a writer thread stopped.
    assert!(err.contains("File too large"), "{err}");
    assert!(
        err.contains("running the same ingest again finishes it"),
        "{err}"
    );
}
