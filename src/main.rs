//! `kbgen`: parse the command line, run the command, print the whole error
//! chain, set the exit status.

mod cli;
mod cmd;

// A build allocates millions of small strings from both cores; mimalloc
// spends less time on them than the system allocator and keeps less memory
// it no longer uses (measured in the commit that added it).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = cli::Cli::from_env().checked().unwrap_or_else(|e| e.exit());
    let code = match cmd::run(cli.command, cli.verbosity) {
        Ok(code) => code,
        // The reader of our output went away (`| head`): nothing left to say.
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            eprintln!("error: {e:#}");
            2
        }
    };
    std::process::exit(code);
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
