//! One module per subcommand, each with one entry point `run`, taking plain options (never clap
//! types) and returning the process exit code.

pub mod bench;
pub mod bench_ner;
pub mod build_gazetteer;
pub mod entities;
pub mod eval_ner;
pub mod facets;
pub mod gen_corpus;
pub mod ingest;
pub mod search;
pub mod stats;
pub mod train_ner;
