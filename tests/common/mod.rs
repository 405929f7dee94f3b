//! Shared by the end-to-end tests: a temporary folder to run the real `newsdex` binary in, and
//! helpers to read its output.
#![allow(dead_code)] // each test crate uses its own share of these

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_newsdex"))
            .args(args)
            .current_dir(self.dir.path())
            .env("NEWSDEX_INDEX", self.path("idx"))
            .env("NO_COLOR", "1")
            .output()
            .expect("run newsdex")
    }

    pub fn ingest(&self, paths: &[&str]) -> (Value, Output) {
        let mut args = vec!["ingest", "--json"];
        args.extend_from_slice(paths);
        let out = self.run(&args);
        let summary = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("ingest summary is not JSON ({e}): {}", text(&out)));
        (summary, out)
    }

    pub fn json_lines(&self, args: &[&str]) -> Vec<Value> {
        let out = self.run(args);
        assert!(
            out.status.code().unwrap_or(99) <= 1,
            "{args:?} failed: {}",
            text(&out)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

pub fn text(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

impl Env {
    /// The command for `newsdex ARGS` in this folder, not yet started.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsdex"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("NEWSDEX_INDEX", self.path("idx"))
            .env("NO_COLOR", "1");
        cmd
    }

    /// Every stored document of the index `dir` (relative to this folder), read through the
    /// library, sorted by id.
    pub fn stored(&self, dir: &str) -> Vec<newsdex::index::StoredDoc> {
        use tantivy::collector::DocSetCollector;
        let index = newsdex::index::NewsIndex::open(&self.path(dir)).expect("open index");
        let reader = index.index.reader().expect("reader");
        let searcher = reader.searcher();
        let addresses = searcher
            .search(&tantivy::query::AllQuery, &DocSetCollector)
            .expect("search");
        let mut docs: Vec<newsdex::index::StoredDoc> = addresses
            .into_iter()
            .map(|a| {
                let doc: tantivy::TantivyDocument = searcher.doc(a).expect("doc");
                newsdex::index::StoredDoc::from_doc(&doc, &index.fields).expect("stored")
            })
            .collect();
        docs.sort_by(|a, b| a.article.id.cmp(&b.article.id));
        docs
    }
}

/// The `reason` of the problem in `list` (the summary's `skipped` or `warnings`) whose origin
/// ends with `origin_end`.
pub fn reason(list: &Value, origin_end: &str) -> Option<String> {
    list.as_array()?
        .iter()
        .find(|p| {
            p["origin"]
                .as_str()
                .is_some_and(|o| o.ends_with(origin_end))
        })
        .and_then(|p| p["reason"].as_str().map(str::to_string))
}
