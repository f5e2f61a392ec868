//! The corpus the fuzzers found, kept as regression tests: every file under
//! `fuzz/regressions/<target>/` goes through `kbgen::fuzzing::<target>`, the
//! same function the fuzz target runs (see README, "Fuzzing"). Crashes and
//! timeouts found by a fuzzer are kept there too, named `crash-…` or
//! `timeout-…`, so each stays fixed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn regressions(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every input of every target; a panic names the file. An input that
/// takes over 60 s in this unoptimised build is a hang (the fuzzers, in an
/// optimised build, give up after 10 s).
#[test]
fn every_kept_fuzz_input_still_passes() {
    for (target, run) in kbgen::fuzzing::TARGETS {
        let files = regressions(target);
        assert!(!files.is_empty(), "no inputs kept for {target}");
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let start = Instant::now();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{target}: {} fails again", file.display());
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "{target}: {} took {:?}",
                file.display(),
                start.elapsed()
            );
        }
    }
}

/// The markdown target's check is only worth something if it fires: the
/// hostile fixture rendered without the sanitiser must fail it.
#[test]
fn markdown_invariants_catch_unsanitised_html() {
    let xss = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile/kb/xss.md"),
    )
    .unwrap();
    let trusted = kbgen::markdown::render_with(
        &xss,
        1,
        &|_, _| kbgen::markdown::LinkTarget::Unchanged,
        true,
    );
    assert!(kbgen::fuzzing::unsafe_markup(&trusted.html).is_some());
    kbgen::fuzzing::markdown(xss.as_bytes());
}
