//! One function per command. Each returns the process exit status:
//! 0 success, 1 content errors, 2 could not run.

/// `println!` that returns an error instead of panicking when stdout is
/// closed (`kbgen search … | head`); `main` treats a broken pipe as done.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($t)*)?;
    }};
}

/// `print!` in the same way as [`outln!`].
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($t)*)?;
    }};
}

mod build;
mod eval;
mod explain;
mod export;
mod init;
mod new;
mod progress;
mod scan;
mod search;
mod serve;
mod stale;

use crate::cli::{Command, Verbosity};

pub(crate) fn run(command: Command, v: Verbosity) -> anyhow::Result<i32> {
    match command {
        Command::Build(args) => build::run(&args, v, true),
        Command::Check(args) => build::run(&args, v, false),
        Command::Search(args) => search::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::New(args) => new::run(&args),
        Command::Init(args) => init::run(&args, v),
        Command::Serve(args) => serve::run(&args, v),
        Command::Scan(args) => scan::run(&args, v.quiet),
        Command::Stale(args) => stale::run(&args),
        Command::Export(args) => export::run(&args),
    }
}
