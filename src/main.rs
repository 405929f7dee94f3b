//! The `newsdex` binary: parse arguments, run one command, map the outcome to an exit code.
//!
//! Exit codes: 0 success; 1 partial failure (some inputs skipped, no hits); 2 usage or fatal error.
//! A closed pipe (`newsdex search x | head`) is not an error.

use clap::Parser;
use newsdex::cli::{Cli, Command};
use newsdex::commands;
use newsdex::query::QueryError;
use std::process::ExitCode;

/// mimalloc: ingest allocates and frees many small strings per article, which glibc's allocator
/// handles several times slower.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    newsdex::memory::keep_free_memory();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli.command) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("newsdex: error: {err:#}");
            // A filter naming nothing in the index is like a search without hits: exit 1.
            match err.downcast_ref::<QueryError>() {
                Some(QueryError::NotFound(_)) => ExitCode::from(1),
                _ => ExitCode::from(2),
            }
        }
    }
}

fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Ingest(args) => commands::ingest::run(args.into()),
        Command::Search(args) => commands::search::run(args.into()),
        Command::Facets(args) => commands::facets::run(args.try_into()?),
        Command::Entities(args) => commands::entities::run(args.into()),
        Command::Stats(args) => commands::stats::run(&args.index.index, args.top, args.json),
        Command::Bench(args) => commands::bench::run(args.into()),
        Command::GenCorpus(args) => commands::gen_corpus::run(args.into()),
        Command::TrainNer(args) => commands::train_ner::run(args.into()),
        Command::EvalNer(args) => {
            commands::eval_ner::run(&args.file, args.model.as_deref(), args.json)
        }
        Command::BenchNer(args) => {
            commands::bench_ner::run(&args.files, args.model.as_deref(), args.json)
        }
        Command::BuildGazetteer(args) => {
            commands::build_gazetteer::run(&args.geonames, &args.out, args.json)
        }
        Command::BuildTruecaser(args) => {
            commands::build_truecaser::run(&args.inputs, &args.out, args.min_count, args.json)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|cause| {
        // A write that fails inside a JSON serializer comes wrapped in its error.
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(BrokenPipe))
    })
}
