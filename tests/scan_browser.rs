//! The search page's log scan (issue 17) in headless Chromium over
//! `file://` (and once over `http://` under a sub-path): a text log
//! chosen in the file input and an Event Viewer XML export dropped on the
//! page show the grouped report, and for every
//! fixture log of tests/data/scan the page's report equals `kbgen scan
//! --json`'s (articles in order, with counts, times, what matched and the
//! example; unmatched keys); so does the page's report of each real
//! `.evtx` file of ../shared/logs, which it parses in plain JavaScript,
//! and of gzip-compressed logs, which the browser decompresses, and of
//! zip and tar support bundles, which it opens; of several files chosen
//! at once, one report, as `kbgen scan A B` gives; and with a time window
//! and a level typed in, as `--since`, `--until` and `--min-level` give;
//! and of a log pasted into the search box and scanned from its offer.
//! Skipped, saying why, without Chromium or the npm packages (a failure
//! under CI).

mod common;

use common::*;
use std::path::Path;
use std::process::Command;

#[test]
fn log_scan_on_the_search_page() {
    if !browser_ready() {
        return;
    }
    // Built from a folder without kb.toml, as the command line tests build it.
    let tmp = tempfile::tempdir().unwrap();
    let kb = repo().join("tests/data/scan/kb");
    let built = build(tmp.path(), &kb, &["-q"]);
    assert!(built.output.status.success(), "{}", built.stderr());
    let site = built.out.clone();

    // What the command says of each fixture, scanned from its own folder so
    // that the examples name the file as the page does (by its name).
    let data = repo().join("tests/data/scan");
    let expected = reports(&data, |_| true, &site, &kb);
    let expected_path = tmp.path().join("expected.json");
    std::fs::write(&expected_path, serde_json::to_string(&expected).unwrap()).unwrap();

    // The page's time window and level, each case with what `kbgen scan
    // --json --since --until --min-level` says of its log: a window inside
    // a CBS.log, a year-less syslog against a time with a year and one
    // without, a date alone as a whole day, a level alone; and a bundle
    // below.
    let windows = [
        ("cbs.log", "2024-03-11 09:14:27", "2024-03-11 09:14:31", ""),
        ("cbs.log", "2024-03-11 09:14:31", "", ""),
        ("syslog.log", "2024-03-03T04:12:11", "Mar  3 04:13:40", ""),
        ("app.log", "2024-05-06", "2024-05-06", "warning"),
        ("events.xml", "", "", "error"),
        ("journal-short.txt", "", "Mar 03 04:12:15", "error"),
    ];
    let mut windowed: Vec<serde_json::Value> = windows
        .iter()
        .map(|&(file, since, until, level)| {
            windowed_report(&data.join(file), [since, until, level], &site, &kb)
        })
        .collect();

    // The real .evtx files, when ../shared is beside this checkout: the
    // page parses them itself (kbgen-scan-evtx.js).
    let evtx_dir = repo().join("../shared/logs/evtx");
    let evtx = if evtx_dir.is_dir() {
        reports(&evtx_dir, |name| name.ends_with(".evtx"), &site, &kb)
    } else {
        eprintln!(
            "evtx in the page: skipped, ../shared/logs/evtx is not present beside this checkout"
        );
        serde_json::Map::new()
    };
    let evtx_path = tmp.path().join("expected-evtx.json");
    std::fs::write(&evtx_path, serde_json::to_string(&evtx).unwrap()).unwrap();

    // Gzip-compressed logs: two fixtures, one in two members (as `cat
    // a.gz b.gz` makes), and a copy cut short.
    let gz = tmp.path().join("gz");
    std::fs::create_dir(&gz).unwrap();
    for name in ["cbs.log", "events.xml"] {
        let text = std::fs::read(data.join(name)).unwrap();
        std::fs::write(gz.join(format!("{name}.gz")), gzipped(&text)).unwrap();
    }
    let syslog = std::fs::read(data.join("syslog.log")).unwrap();
    let half = syslog.len() / 2 + 1;
    let half = half + syslog[half..].iter().position(|&b| b == b'\n').unwrap_or(0);
    let two = [gzipped(&syslog[..half]), gzipped(&syslog[half..])].concat();
    std::fs::write(gz.join("syslog.2.gz"), two).unwrap();
    let cbs = std::fs::read_to_string(data.join("cbs.log")).unwrap();
    let many = gzipped(cbs.repeat(400).as_bytes());
    std::fs::write(gz.join("CBS.cut.gz"), &many[..many.len() / 2]).unwrap();
    let gz_expected = reports(&gz, |_| true, &site, &kb);
    // A gzip bomb: 600 MiB of zeros in well under 1 MB, past the page's
    // 512 MB cap on decompressed text (not given to the command: it would
    // read it all).
    let bomb = tmp.path().join("bomb.log.gz");
    {
        use std::io::Write;
        let out = std::fs::File::create(&bomb).unwrap();
        let mut e = flate2::write::GzEncoder::new(out, flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..600 {
            e.write_all(&zeros).unwrap();
        }
        e.finish().unwrap();
    }
    let gz_path = tmp.path().join("expected-gz.json");
    std::fs::write(&gz_path, serde_json::to_string(&gz_expected).unwrap()).unwrap();

    // Support bundles: a zip (deflated), a zip of stored files and a
    // gzipped tar of logs, a gzipped log, a binary file and a zip inside.
    let bundles = tmp.path().join("bundles");
    std::fs::create_dir(&bundles).unwrap();
    let read = |name: &str| std::fs::read(data.join(name)).unwrap();
    let files = vec![
        ("logs/cbs.log".to_string(), read("cbs.log")),
        ("logs/events.xml".to_string(), read("events.xml")),
        (
            "logs/old/syslog.log.1.gz".to_string(),
            gzipped(&read("syslog.log")),
        ),
        (
            "logs/tool.bin".to_string(),
            b"MZ\x90\0\x03\0\0\0".repeat(64),
        ),
        (
            "logs/older.zip".to_string(),
            zipped(&[("app.log".to_string(), read("app.log"))]),
        ),
        ("logs/app.log".to_string(), read("app.log")),
    ];
    std::fs::write(bundles.join("support.zip"), zipped(&files)).unwrap();
    std::fs::write(bundles.join("support.tar.gz"), gzipped(&tarred(&files))).unwrap();
    std::fs::write(bundles.join("stored.zip"), stored_zip(&files)).unwrap();
    // A tar file cut in the middle of its last log, and a zip bomb (a
    // file of 600 MiB of zeros, past the page's cap on a bundle's text).
    let mut long = files.clone();
    long.push((
        "logs/CBS.persist.log".to_string(),
        read("cbs.log").repeat(300),
    ));
    let tar = tarred(&long);
    std::fs::write(bundles.join("cut.tar"), &tar[..tar.len() - 20_000]).unwrap();
    let bundles_expected = reports(&bundles, |_| true, &site, &kb);
    let zip_bomb = tmp.path().join("bomb.zip");
    {
        use std::io::Write;
        let out = std::fs::File::create(&zip_bomb).unwrap();
        let mut z = zip::ZipWriter::new(out);
        let best = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(9))
            .large_file(true);
        z.start_file("zeros.log", best).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..600 {
            z.write_all(&zeros).unwrap();
        }
        z.finish().unwrap();
    }
    windowed.push(windowed_report(
        &bundles.join("support.zip"),
        ["", "", "error"],
        &site,
        &kb,
    ));
    // Several files at once, one report: logs, a gzipped log in two
    // members and a bundle, in an order that is not the names'.
    let together = tmp.path().join("together");
    std::fs::create_dir(&together).unwrap();
    let several = [
        "events.xml",
        "cbs.log",
        "support.zip",
        "syslog.2.gz",
        "app.log",
    ];
    for name in several {
        let from = [&data, &gz, &bundles]
            .iter()
            .map(|d| d.join(name))
            .find(|p| p.exists())
            .unwrap();
        std::fs::copy(from, together.join(name)).unwrap();
    }
    let mut args = vec!["scan", "--json", "-o", site.to_str().unwrap()];
    args.extend(["-s", kb.to_str().unwrap()]);
    args.extend(several);
    let o = kbgen(&together, &args);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let together_path = tmp.path().join("expected-together.json");
    let files: Vec<_> = several.iter().map(|n| together.join(n)).collect();
    std::fs::write(
        &together_path,
        serde_json::json!({ "files": files, "report": report }).to_string(),
    )
    .unwrap();
    let windowed_path = tmp.path().join("expected-windowed.json");
    std::fs::write(&windowed_path, serde_json::to_string(&windowed).unwrap()).unwrap();
    let bundles_path = tmp.path().join("expected-bundles.json");
    std::fs::write(
        &bundles_path,
        serde_json::to_string(&bundles_expected).unwrap(),
    )
    .unwrap();

    let out = Command::new("node")
        .args(["--test", "--test-reporter=spec", "scan-page.mjs"])
        .current_dir(repo().join("tests/browser"))
        .env("CHROMIUM", chromium())
        .env("KBGEN_SITE", &site)
        .env("SCAN_FIXTURES", &data)
        .env("SCAN_EXPECTED", &expected_path)
        .env("SCAN_EXPECTED_WINDOWED", &windowed_path)
        .env("SCAN_EXPECTED_TOGETHER", &together_path)
        .env("SCAN_EVTX", &evtx_dir)
        .env("SCAN_EXPECTED_EVTX", &evtx_path)
        .env("SCAN_GZ", &gz)
        .env("SCAN_EXPECTED_GZ", &gz_path)
        .env("SCAN_BOMB", &bomb)
        .env("SCAN_BUNDLES", &bundles)
        .env("SCAN_EXPECTED_BUNDLES", &bundles_path)
        .env("SCAN_ZIP_BOMB", &zip_bomb)
        .output()
        .expect("run node");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{report}");
    assert!(out.status.success(), "browser tests failed:\n{report}");
    assert!(Path::new(&expected_path).exists());
}

/// A zip file of `files` stored, not deflated (as some tools write them).
fn stored_zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (path, bytes) in files {
        z.start_file(path.as_str(), stored).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// What `kbgen scan --json` says of `log` with `--since`, `--until` and
/// `--min-level` (each left out when empty), run in the log's folder so
/// that the examples name it as the page does; with those words and the
/// log's path, for the page to type in.
fn windowed_report(
    log: &Path,
    [since, until, level]: [&str; 3],
    site: &Path,
    kb: &Path,
) -> serde_json::Value {
    let name = log.file_name().unwrap().to_str().unwrap();
    let mut args = vec!["scan", "--json", "-o", site.to_str().unwrap()];
    args.extend(["-s", kb.to_str().unwrap()]);
    for (flag, value) in [
        ("--since", since),
        ("--until", until),
        ("--min-level", level),
    ] {
        if !value.is_empty() {
            args.extend([flag, value]);
        }
    }
    args.push(name);
    let o = kbgen(log.parent().unwrap(), &args);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{name} {since}..{until} {level}: not JSON ({e})"));
    serde_json::json!({
        "path": log, "since": since, "until": until, "level": level, "report": report,
    })
}

/// `kbgen scan --json` of each file of `dir` whose name `keep` takes, run
/// in `dir` so that the examples name a file as the page does; by name.
fn reports(
    dir: &Path,
    keep: impl Fn(&str) -> bool,
    site: &Path,
    kb: &Path,
) -> serde_json::Map<String, serde_json::Value> {
    let mut out = serde_json::Map::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() || !keep(&name) {
            continue;
        }
        let args = [
            "scan",
            "--json",
            "-o",
            site.to_str().unwrap(),
            "-s",
            kb.to_str().unwrap(),
            name.as_str(),
        ];
        let o = kbgen(dir, &args);
        let report: serde_json::Value =
            serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{name}: not JSON ({e})"));
        out.insert(name, report);
    }
    out
}
