//! Command-line surface (clap derive). The `///` docs here are the `--help` text. This layer holds no
//! logic: `main` turns these types into each command's plain options once.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Search news-article archives by keyword, phrase, date and entity, and count who and where the
/// articles are about.
#[derive(Debug, Parser)]
#[command(name = "newsdex", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Where the index lives.
#[derive(Debug, Args, Clone)]
pub struct IndexArg {
    /// Index directory (created by `ingest` when missing).
    #[arg(
        long,
        env = "NEWSDEX_INDEX",
        default_value = "index",
        value_name = "DIR"
    )]
    pub index: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read articles from files, folders or stdin (`-`, JSON Lines) into the index.
    Ingest(IngestArgs),
    /// Search the index; prints the best hits with snippets, people and places.
    Search(SearchArgs),
    /// Count documents per person, place, organization or date, over the index or a query.
    Facets(FacetsArgs),
    /// Show how the articles in a file are read and which entities they mention (no index needed).
    Entities(EntitiesArgs),
    /// Summarize the index: documents, size, segments, date range, sources, top entities.
    Stats(StatsArgs),
    /// Measure ingest, tagging, query and facet speed against a plain tantivy baseline.
    Bench(BenchArgs),
    /// Write a large archive (JSON Lines) by repeating and re-dating the articles of given inputs.
    GenCorpus(GenCorpusArgs),
    /// Train the named-entity tagger on a CoNLL-2003 style file.
    TrainNer(TrainNerArgs),
    /// Evaluate the embedded tagger on a CoNLL file (IOB1 or IOB2): precision, recall, F1, speed.
    EvalNer(EvalNerArgs),
    /// Benchmark the tagger: model load time, memory, tokenize and tag throughput.
    BenchNer(BenchNerArgs),
    /// Build the compact place gazetteer from GeoNames dumps.
    BuildGazetteer(BuildGazetteerArgs),
    /// Learn the usual case of words from news text (restores ALL-CAPS headlines).
    BuildTruecaser(BuildTruecaserArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum FormatArg {
    /// By extension, then by content.
    #[default]
    Auto,
    Txt,
    Json,
    Html,
    /// Reuters-21578 style SGML (`<REUTERS>` elements).
    Sgml,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files, folders (read recursively; hidden entries skipped) or `-` for JSON Lines on stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub index: IndexArg,
    /// Input format.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    pub format: FormatArg,
    /// Source name to record for every article (overrides the records' own).
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// Index the articles without extracting people, places and organizations (faster; entity
    /// filters and facets then find nothing for these articles).
    #[arg(long)]
    pub no_entities: bool,
    /// Commit after this many articles at most. A run killed at any moment leaves the index as
    /// of its last commit; running the same ingest again finishes it. Ingest also commits when
    /// the article text written since the last commit reaches two thirds of --memory-mb, so that
    /// each commit writes full-sized segments (fewer segments: faster searches).
    #[arg(long, value_name = "N", default_value_t = crate::commands::ingest::DEFAULT_COMMIT_EVERY,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub commit_every: usize,
    /// Commit after this many seconds (fractions allowed), whichever comes first.
    #[arg(long, value_name = "S", default_value_t = crate::commands::ingest::DEFAULT_COMMIT_SECS,
          value_parser = positive_seconds)]
    pub commit_secs: f64,
    /// Memory budget of the index writer, in MB (15 to 4094): it writes a segment to disk when
    /// the budget is used up, and commits when the article text written since the last commit
    /// reaches two thirds of it, or what it keeps of those articles (their hashes and origins,
    /// or whole plain-text articles) reaches all of it.
    #[arg(long, value_name = "MB", default_value_t = 200,
          value_parser = clap::value_parser!(u64).range(15..=4094))]
    pub memory_mb: u64,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

fn positive_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!(
            "'{s}' is not a number of seconds above 0 (e.g. 30 or 0.5)"
        )),
    }
}

/// Filters shared by `search` and `facets`.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Only articles mentioning this person (case- and accent-insensitive; a unique partial name works).
    #[arg(long, value_name = "NAME")]
    pub person: Vec<String>,
    /// Only articles mentioning this place or any place within it (`--place Libya` matches Tripoli).
    #[arg(long, value_name = "NAME")]
    pub place: Vec<String>,
    /// Only articles mentioning this organization.
    #[arg(long, value_name = "NAME")]
    pub org: Vec<String>,
    /// Only articles published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles published on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SortArg {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query in tantivy syntax over title and body: all terms required unless OR is written;
    /// "phrases", fields title: body: person: place: org: source:, date:[2024-01-01 TO 2024-12-31].
    /// Use `*` to match every article. May be left out when a filter is given (`newsdex search
    /// --person Reagan` lists every article mentioning him, best first).
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Option<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub index: IndexArg,
    /// Result order.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// Number of hits to show.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Hits to skip (for paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Also show the top people and places among all matching articles.
    #[arg(long)]
    pub facets: bool,
    /// One JSON object per hit (JSON Lines).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum RankArg {
    /// Most documents first.
    #[default]
    Count,
    /// Most over-represented in the matching documents relative to the whole archive.
    Significance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ByArg {
    #[default]
    Year,
    Month,
    Day,
}

#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// `[people|places|orgs|dates] [QUERY]`: what to count (default: people and places) and an
    /// optional query restricting the documents counted.
    #[arg(value_name = "KIND|QUERY", num_args = 0..=2)]
    pub args: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub index: IndexArg,
    /// How many values to list per kind.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
    /// List the places within this place (a country) instead of countries.
    #[arg(long, value_name = "PLACE")]
    pub under: Option<String>,
    /// Ranking of the values.
    #[arg(long, value_enum, default_value_t = RankArg::Count)]
    pub rank: RankArg,
    /// Bucket size for `dates`.
    #[arg(long, value_enum, default_value_t = ByArg::Year)]
    pub by: ByArg,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// An article file in any supported format (a JSON Lines archive too), or `-` for JSON Lines on stdin.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Input format.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    pub format: FormatArg,
    /// One JSON object per article (JSON Lines).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub index: IndexArg,
    /// How many top entities to list per kind.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Files or folders of articles to ingest into scratch indexes.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Queries file (JSON) driving the latency measurements; default: a built-in set.
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,
    /// Keep the indexes built here (newsdex index in DIR/newsdex, baseline in DIR/baseline)
    /// instead of in a temporary folder removed at the end.
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
    /// With --keep: skip the builds and measure latency on the indexes a previous run kept there.
    #[arg(long, requires = "keep")]
    pub reuse: bool,
    /// Skip the ingest without entity extraction.
    #[arg(long)]
    pub skip_no_entities: bool,
    /// Skip the ingest with entity extraction (latency is then measured on the index built
    /// without it).
    #[arg(long, conflicts_with = "skip_no_entities")]
    pub skip_entities: bool,
    /// Skip the plain tantivy baseline.
    #[arg(long)]
    pub skip_baseline: bool,
    /// Also time tantivy-cli itself (its `index` command, default settings) on the same JSON
    /// Lines inputs, before and after newsdex's ingests: the path of its `tantivy` executable.
    #[arg(long, value_name = "PATH", conflicts_with = "reuse")]
    pub tantivy_cli: Option<PathBuf>,
    /// Build every index N times, a round of each in turn, and report the round of median
    /// time with the median of each ratio measured within a round (an odd N gives a true
    /// median). On a machine whose speed drifts, one build of each is a noisy comparison.
    #[arg(long, value_name = "N", default_value_t = 1, conflicts_with = "reuse",
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub repeat: u32,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct GenCorpusArgs {
    /// Articles to read and repeat: files or folders in any supported format.
    #[arg(required = true, value_name = "PATH")]
    pub from: Vec<PathBuf>,
    /// Where to write: a `.jsonl` file, or a folder that receives numbered `.jsonl` parts.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Number of articles to write.
    #[arg(long, value_name = "N")]
    pub articles: usize,
    /// Articles per part when writing a folder.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub per_file: usize,
    /// Input format.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    pub format: FormatArg,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TrainNerArgs {
    /// Training file (CoNLL-2003 format).
    #[arg(long, value_name = "FILE")]
    pub train: PathBuf,
    /// Development file used for model selection only.
    #[arg(long, value_name = "FILE")]
    pub dev: PathBuf,
    /// Where to write the model.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Name lists folder (reads us_census_1990/dist.{male,female}.first and dist.all.last).
    #[arg(long, value_name = "DIR")]
    pub names: Option<PathBuf>,
    /// GeoNames folder (countryInfo.txt, admin1CodesASCII.txt, cities15000.txt).
    #[arg(long, value_name = "DIR")]
    pub geonames: Option<PathBuf>,
    /// Unlabeled text for word clusters: .txt, .jsonl, .conll files or folders of them.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub unlabeled: Vec<PathBuf>,
    /// Most passes over the training data (the best on dev is kept).
    #[arg(long, default_value_t = 12)]
    pub epochs: usize,
    /// Seed of the training shuffle and the clustering.
    #[arg(long, default_value_t = 20030601)]
    pub seed: u64,
    /// Folds of the jackknifed first pass feeding the stacked second pass (0 or 1: one pass only).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Print the training report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EvalNerArgs {
    /// Gold CoNLL file (IOB1 or IOB2 NER column).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Evaluate this model file instead of the embedded one.
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchNerArgs {
    /// Text or CoNLL files to tag (default: a built-in text sample).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Benchmark this model file instead of the embedded one.
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BuildGazetteerArgs {
    /// Folder holding countryInfo.txt, admin1CodesASCII.txt and cities15000.txt.
    #[arg(long, value_name = "DIR")]
    pub geonames: PathBuf,
    /// Where to write the gazetteer.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BuildTruecaserArgs {
    /// Unlabeled text: .txt, .jsonl (title, dateline, body) or .conll files, or folders of them.
    #[arg(required = true, value_name = "PATH")]
    pub inputs: Vec<PathBuf>,
    /// Where to write the lexicon.
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Leave out words seen fewer times than this.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub min_count: u32,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

// Conversions into the commands' plain options: the only place clap types meet the commands.

fn format(f: FormatArg) -> crate::sources::Format {
    match f {
        FormatArg::Auto => crate::sources::Format::Auto,
        FormatArg::Txt => crate::sources::Format::Txt,
        FormatArg::Json => crate::sources::Format::Json,
        FormatArg::Html => crate::sources::Format::Html,
        FormatArg::Sgml => crate::sources::Format::Sgml,
    }
}

impl From<FilterArgs> for crate::query::Filters {
    fn from(f: FilterArgs) -> Self {
        crate::query::Filters {
            people: f.person,
            places: f.place,
            orgs: f.org,
            since: f.since,
            until: f.until,
        }
    }
}

impl From<IngestArgs> for crate::commands::ingest::Options {
    fn from(a: IngestArgs) -> Self {
        crate::commands::ingest::Options {
            paths: a.paths,
            index: a.index.index,
            format: format(a.format),
            source: a.source,
            entities: !a.no_entities,
            json: a.json,
            progress: true,
            commit_every: a.commit_every,
            commit_secs: a.commit_secs,
            memory_mb: a.memory_mb,
        }
    }
}

impl From<BenchArgs> for crate::commands::bench::Options {
    fn from(a: BenchArgs) -> Self {
        crate::commands::bench::Options {
            paths: a.paths,
            queries: a.queries,
            keep: a.keep,
            reuse: a.reuse,
            no_entities_run: !a.skip_no_entities,
            entities_run: !a.skip_entities,
            baseline: !a.skip_baseline,
            tantivy_cli: a.tantivy_cli,
            repeat: a.repeat as usize,
            json: a.json,
        }
    }
}

impl From<GenCorpusArgs> for crate::commands::gen_corpus::Options {
    fn from(a: GenCorpusArgs) -> Self {
        crate::commands::gen_corpus::Options {
            from: a.from,
            out: a.out,
            articles: a.articles,
            per_file: a.per_file.max(1),
            format: format(a.format),
            json: a.json,
        }
    }
}

impl From<SearchArgs> for crate::commands::search::Options {
    fn from(a: SearchArgs) -> Self {
        use crate::commands::search::Sort;
        let f = &a.filters;
        let filtered = !(f.person.is_empty() && f.place.is_empty() && f.org.is_empty())
            || f.since.is_some()
            || f.until.is_some();
        crate::commands::search::Options {
            index: a.index.index,
            // A filter alone lists every article it keeps; no query and no filter is the empty
            // query the command explains.
            query: a
                .query
                .unwrap_or_else(|| if filtered { "*" } else { "" }.to_string()),
            filters: a.filters.into(),
            sort: match a.sort {
                SortArg::Relevance => Sort::Relevance,
                SortArg::Newest => Sort::Newest,
                SortArg::Oldest => Sort::Oldest,
            },
            limit: a.limit,
            offset: a.offset,
            facets: a.facets,
            json: a.json,
        }
    }
}

impl TryFrom<FacetsArgs> for crate::commands::facets::Options {
    type Error = anyhow::Error;
    fn try_from(a: FacetsArgs) -> anyhow::Result<Self> {
        use crate::commands::facets::{By, Kind, Rank};
        let mut args = a.args.into_iter();
        let (kinds, query) = match args.next() {
            Some(first) => match Kind::parse(&first) {
                Some(kind) => (vec![kind], args.next().unwrap_or_default()),
                None => {
                    if args.next().is_some() {
                        anyhow::bail!(
                            "unknown facet kind '{first}': use people, places, orgs or dates"
                        );
                    }
                    (Vec::new(), first)
                }
            },
            None => (Vec::new(), String::new()),
        };
        Ok(crate::commands::facets::Options {
            index: a.index.index,
            kinds,
            query,
            filters: a.filters.into(),
            top: a.top,
            under: a.under,
            rank: match a.rank {
                RankArg::Count => Rank::Count,
                RankArg::Significance => Rank::Significance,
            },
            by: match a.by {
                ByArg::Year => By::Year,
                ByArg::Month => By::Month,
                ByArg::Day => By::Day,
            },
            json: a.json,
        })
    }
}

impl From<EntitiesArgs> for crate::commands::entities::Options {
    fn from(a: EntitiesArgs) -> Self {
        crate::commands::entities::Options {
            file: a.file,
            format: format(a.format),
            json: a.json,
        }
    }
}

impl From<TrainNerArgs> for crate::commands::train_ner::Options {
    fn from(a: TrainNerArgs) -> Self {
        crate::commands::train_ner::Options {
            train: a.train,
            dev: a.dev,
            out: a.out,
            names: a.names,
            geonames: a.geonames,
            unlabeled: a.unlabeled,
            epochs: a.epochs,
            seed: a.seed,
            folds: a.folds,
            json: a.json,
        }
    }
}
