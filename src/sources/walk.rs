//! Expanding command-line paths into inputs: files as given, folders recursively in sorted order with
//! hidden entries (names starting with `.`) skipped, `-` as standard input. Symlinked folders are
//! followed once; a loop back into a folder already being walked is reported, not followed.

use super::{Input, Problem};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub(super) fn walk(paths: &[PathBuf]) -> Vec<Result<Input, Problem>> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Ok(Input::Stdin));
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let mut active = HashSet::new();
                walk_dir(path, &mut active, &mut out);
            }
            Ok(_) => out.push(Ok(Input::File(path.clone()))),
            Err(e) => out.push(Err(problem(path, e))),
        }
    }
    out
}

fn problem(path: &Path, e: std::io::Error) -> Problem {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
        _ => format!("cannot read: {e}"),
    };
    Problem {
        origin: path.display().to_string(),
        reason,
    }
}

/// Walks `dir` depth-first; `active` holds the canonical folders on the current branch.
fn walk_dir(dir: &Path, active: &mut HashSet<PathBuf>, out: &mut Vec<Result<Input, Problem>>) {
    let canonical = match std::fs::canonicalize(dir) {
        Ok(c) => c,
        Err(e) => return out.push(Err(problem(dir, e))),
    };
    if !active.insert(canonical.clone()) {
        out.push(Err(Problem {
            origin: dir.display().to_string(),
            reason: "symbolic link loop; folder not walked again".to_string(),
        }));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            active.remove(&canonical);
            return out.push(Err(problem(dir, e)));
        }
    };
    let mut names = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => {
                let name = entry.file_name();
                if !name.as_encoded_bytes().starts_with(b".") {
                    names.push(name);
                }
            }
            Err(e) => out.push(Err(problem(dir, e))),
        }
    }
    names.sort();
    for name in names {
        let path = dir.join(&name);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk_dir(&path, active, out),
            Ok(meta) if meta.is_file() => out.push(Ok(Input::File(path))),
            Ok(_) => {} // sockets, fifos, devices: not articles
            Err(e) => out.push(Err(problem(&path, e))),
        }
    }
    active.remove(&canonical);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn files(results: &[Result<Input, Problem>], root: &Path) -> Vec<String> {
        results
            .iter()
            .filter_map(|r| match r {
                Ok(Input::File(p)) => Some(p.strip_prefix(root).unwrap_or(p).display().to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn sorted_recursive_and_hidden_skipped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for sub in ["b", "a/z", ".git", "a/.cache"] {
            fs::create_dir_all(root.join(sub)).expect("mkdir");
        }
        for file in [
            "b/2.txt",
            "b/10.txt",
            "a/z/x.json",
            "a/y.html",
            ".git/HEAD",
            "a/.cache/c.txt",
            ".hidden.txt",
            "top.txt",
        ] {
            fs::write(root.join(file), "x").expect("write");
        }
        let results = walk(&[root.to_path_buf()]);
        assert!(results.iter().all(Result::is_ok));
        assert_eq!(
            files(&results, root),
            ["a/y.html", "a/z/x.json", "b/10.txt", "b/2.txt", "top.txt"]
        );
        // Named explicitly, a hidden file is read.
        let hidden = root.join(".hidden.txt");
        assert_eq!(
            walk(std::slice::from_ref(&hidden)),
            vec![Ok(Input::File(hidden))]
        );
    }

    #[test]
    fn missing_paths_and_stdin() {
        let missing = PathBuf::from("no/such/place.txt");
        let results = walk(&[PathBuf::from("-"), missing]);
        assert_eq!(results[0], Ok(Input::Stdin));
        assert_eq!(
            results[1],
            Err(Problem {
                origin: "no/such/place.txt".to_string(),
                reason: "no such file or folder".to_string()
            })
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_reported_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::create_dir_all(root.join("a")).expect("mkdir");
        fs::write(root.join("a/x.txt"), "x").expect("write");
        std::os::unix::fs::symlink(root, root.join("a/back")).expect("symlink");
        let results = walk(&[root.to_path_buf()]);
        assert_eq!(files(&results, root), ["a/x.txt"]);
        assert_eq!(results.iter().filter(|r| r.is_err()).count(), 1);
    }
}
