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
    without_huge_pages();
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
    exit(code);
}

/// Exits with `code` once stdout and stderr are flushed, without the
/// exit handlers: mimalloc's returns every freed page to the system (6 ms
/// of `madvise` at the end of a real-corpus build), which the exit does
/// anyway, and a site freed on a thread of its own
/// (`pipeline::free_in_background`) need not be waited for.
fn exit(code: i32) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    #[cfg(target_os = "linux")]
    // SAFETY: `_exit` ends the process at once and nothing of ours runs
    // after it: every command has written and closed its files before it
    // returns, and the thread that frees a build's site writes none.
    unsafe {
        libc::_exit(code)
    }
    #[cfg(not(target_os = "linux"))]
    std::process::exit(code)
}

/// Turns transparent huge pages off for this process. mimalloc asks for
/// them on its arenas, and each first touch of a 2 MB region then took a
/// whole huge page, compacting memory first where the system grants them
/// on request only (the usual `madvise` setting) and none was free. With
/// 4 KB pages a real-corpus build peaks a fifth lower and a scan at half
/// the memory; right after another program had the memory (a Hugo build)
/// a build is about a tenth faster, and back to back as fast: the kernel's
/// time saved is spent on TLB misses (docs/profile.md). A failure only
/// leaves them on.
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and touches
    // no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
