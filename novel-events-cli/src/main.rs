//! `novel-events`: see the crate documentation of `novel_events_cli`, or `novel-events --help`.

use std::io::{self, BufWriter};
use std::process::ExitCode;

use clap::Parser;
use novel_events_cli::commands::Cli;
use novel_events_cli::outcome::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = BufWriter::new(io::stdout().lock());
    match cli.command.run(&mut out) {
        Ok(outcome) => outcome.exit_code(),
        Err(failure) => {
            drop(out);
            eprintln!("novel-events: error: {failure}");
            ExitCode::from(Failure::EXIT_CODE)
        }
    }
}
