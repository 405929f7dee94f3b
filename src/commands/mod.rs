//! One module per subcommand, each with one entry point `run`, taking plain options (never clap
//! types) and returning the process exit code.

pub mod bench;
pub mod bench_ner;
pub mod build_gazetteer;
pub mod build_truecaser;
pub mod entities;
pub mod eval_ner;
pub mod facets;
pub mod gen_corpus;
pub mod ingest;
pub mod search;
pub mod stats;
pub mod train_ner;

/// Writes a built model or table to `out`, creating its folder.
pub(crate) fn write_file(out: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(out, bytes).with_context(|| format!("cannot write {}", out.display()))
}
