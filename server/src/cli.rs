//! The operator commands of the `server` binary (parsed here so tests can enumerate them).
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "server", version, about = "Good-practice awards and archive platform")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the site (the default). Migrates the database first.
    Serve {
        /// Load the demo data when the database has no accounts yet.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create (or promote) an admin account. The password is read from ADMIN_PASSWORD or stdin.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
    /// Load demo data: a sample edition, the four categories, practices and one account per role.
    SeedDemo {
        /// Also generate this many synthetic published practices (for demos and benchmarks).
        #[arg(long, default_value_t = 0)]
        practices: usize,
        /// Do nothing when accounts already exist.
        #[arg(long)]
        if_empty: bool,
        /// Instead, submit the sample practices into this existing edition (by its identifier).
        #[arg(long)]
        into_edition: Option<String>,
        /// Instead, create an edition with published results whose sample practices are
        /// certified (one awarded), and print them as JSON.
        #[arg(long)]
        recognised_edition: Option<String>,
        /// Instead, create an edition in the decisions stage with this many scored nominations
        /// (three reviewers each, six criteria), for load benchmarks.
        #[arg(long)]
        review_load: Option<usize>,
    },
    /// Import practices from a JSON Lines file (one record per line); nothing is imported if any
    /// line is bad. Records are published at once unless --draft.
    ImportPractices {
        file: std::path::PathBuf,
        #[arg(long)]
        draft: bool,
    },
    /// Render pages in process, one at a time and past the page cache (as for a signed-in
    /// visitor or a query nobody asked before), against DATABASE_URL with the demo data: CPU
    /// time and wall time per page.
    BenchRender {
        #[arg(long, default_value_t = 2000)]
        runs: usize,
        /// Only the pages whose name contains this (e.g. "record", "search"), for profiling.
        #[arg(long)]
        only: Option<String>,
    },
    /// Time the aggregation and ranking of scores, in process (no database).
    BenchAggregate {
        #[arg(long, default_value_t = 10_000)]
        nominations: usize,
        #[arg(long, default_value_t = 3)]
        reviewers_per_nomination: usize,
        #[arg(long, default_value_t = 6)]
        criteria: usize,
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
}
