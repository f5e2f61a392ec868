//! One function per command. Each returns the process exit status:
//! 0 success, 1 content errors, 2 could not run.

mod build;
mod explain;
mod search;

use crate::cli::Command;

pub(crate) fn run(command: Command) -> anyhow::Result<i32> {
    match command {
        Command::Build(args) => build::run(&args, true),
        Command::Check(args) => build::run(&args, false),
        Command::Search(args) => search::run(&args),
        Command::Explain(args) => explain::run(&args),
    }
}
