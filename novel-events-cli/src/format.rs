//! `--format`: for people, or for programs.

/// How a command writes its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Lines for people (`file:line:column: message`).
    #[default]
    Human,
    /// JSON for programs: one JSON document (`check`, `schema`) or one JSON object per line
    /// (`validate`, which streams).
    Json,
}
