//! `cargo bench`: the whole pipeline on a generated knowledge base, and the
//! analyser on a long pasted log line. The KB comes from
//! `examples/gen_kb.rs` (seeded, so every run measures the same text).
//!
//! `KBGEN_BENCH_N` sets the number of articles (default 1000). Whole-process
//! figures against other tools are `scripts/bench`'s job.

// criterion_group! makes a public function without documentation.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use kbgen::config::{KbConfig, Overrides, Settings};
use kbgen::signature::events::Aliases;
use std::hint::black_box;
use std::time::Duration;

#[allow(dead_code, unreachable_pub)]
#[path = "../examples/gen_kb.rs"]
mod gen_kb;

fn pipeline(c: &mut Criterion) {
    let n: usize = std::env::var("KBGEN_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().expect("temp dir");
    gen_kb::generate(n, 1, dir.path()).expect("generated KB");
    let o = Overrides {
        output: Some(dir.path().join("public")),
        ..Overrides::default()
    };
    let settings = Settings::from_config(KbConfig::default(), dir.path().to_path_buf(), &o);

    let mut g = c.benchmark_group("pipeline");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function(format!("check_{n}_articles_in_memory"), |b| {
        b.iter(|| {
            let report = kbgen::pipeline::check(&settings).expect("check runs");
            assert_eq!(report.counts.errors, 0);
            black_box(report.counts.index_bytes)
        })
    });
    g.bench_function(format!("build_{n}_articles_to_disk"), |b| {
        b.iter(|| {
            let report = kbgen::pipeline::build(&settings).expect("build runs");
            assert!(report.written);
            black_box(report.counts.pages)
        })
    });
    g.finish();
}

fn analyser(c: &mut Criterion) {
    let aliases = Aliases::new(&Default::default());
    let line = "2024-06-01T08:00:01.123Z ERROR [pid 4711] W3SVC event 1011: A process serving \
        application pool 'MSExchangeSyncAppPool' suffered a fatal communication error with the \
        World Wide Web Publishing Service. The process id was '1948'. HResult = -2147024893 \
        (0x80070003, ERROR_PATH_NOT_FOUND) at C:\\Windows\\System32\\inetsrv\\w3wp.exe \
        {6F9619FF-8B86-D011-B42D-00C04FC964FF} host web01.contoso.com 10.0.0.12:443 ";
    let long = line.repeat(20);
    let mut g = c.benchmark_group("analyse");
    g.throughput(criterion::Throughput::Bytes(long.len() as u64));
    g.bench_function("log_line_x20", |b| {
        b.iter(|| {
            black_box(
                kbgen::analysis::analyze(black_box(&long), &aliases)
                    .terms
                    .len(),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, analyser, pipeline);
criterion_main!(benches);
