//! One module per subcommand, each with a single entry point; the CLI layer calls these.

pub mod build_gazetteer;
