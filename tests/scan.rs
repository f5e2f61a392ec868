//! `kbgen scan` (issue 17): one fixture log per format against a small
//! knowledge base (tests/data/scan/kb), exit statuses and filters; then
//! the real `.evtx` files of ../shared/logs against the built
//! ms-support-full corpus, skipped with the reason printed where absent.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn data(name: &str) -> PathBuf {
    repo().join("tests/data/scan").join(name)
}

/// The fixture knowledge base's site, built once per test run.
fn fixture_site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scan-fixture");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let site = dir.join("site");
        let kb = data("kb");
        let o = kbgen(
            &dir,
            &[
                "build",
                "-q",
                "--source",
                kb.to_str().unwrap(),
                "--output",
                site.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        site
    })
}

struct Scanned {
    json: Value,
    code: i32,
    stderr: String,
}

/// `kbgen scan -o SITE -s KB ARGS`, run beside the site.
fn run_scan(site: &Path, kb: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec![
        "scan",
        "-o",
        site.to_str().unwrap(),
        "-s",
        kb.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    kbgen(site.parent().unwrap(), &all)
}

fn scan_with(site: &Path, kb: &Path, args: &[&str]) -> Scanned {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    scanned(run_scan(site, kb, &all))
}

/// What a `kbgen scan --json` run printed and returned.
fn scanned(o: std::process::Output) -> Scanned {
    Scanned {
        json: serde_json::from_slice(&o.stdout).unwrap_or(Value::Null),
        code: o.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn scan(args: &[&str]) -> Scanned {
    scan_with(fixture_site(), &data("kb"), args)
}

/// The text output of `kbgen scan ARGS` against the fixture site.
fn scan_text(args: &[&str]) -> String {
    let o = run_scan(fixture_site(), &data("kb"), args);
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn scan_file(name: &str) -> Scanned {
    let s = scan(&[data(name).to_str().unwrap()]);
    assert_eq!(s.code, 0, "{name}: {}", s.stderr);
    s
}

/// The report's article for `source`, which must be there.
fn article<'a>(s: &'a Scanned, source: &str) -> &'a Value {
    s.json["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["source"] == source)
        .unwrap_or_else(|| panic!("no {source} in {:#}", s.json))
}

fn kinds(a: &Value) -> Vec<String> {
    a["matched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{} {}",
                m["kind"].as_str().unwrap(),
                m["key"].as_str().unwrap()
            )
        })
        .collect()
}

fn unmatched_keys(s: &Scanned) -> Vec<String> {
    s.json["unmatched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["key"].as_str().unwrap().to_string())
        .collect()
}

/// A text log whose lines start `[{`, which looks like JSON: read as JSON
/// it gives nothing and says to name the format; `--format text` reads it.
#[test]
fn format_option_overrides_what_the_content_looks_like() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("worker.log");
    let lines = "[{worker 1}] Mar  3 04:12:09 bastion01 sshd[4121]: Failed password for root from 203.0.113.45 port 52144 ssh2\n\
        [{worker 2}] Mar  3 04:12:11 bastion01 sshd[4121]: Failed password for root from 203.0.113.45 port 52146 ssh2\n";
    std::fs::write(&log, lines).unwrap();
    let log = log.to_str().unwrap();
    let guessed = scan(&[log]);
    assert_eq!(guessed.code, 1, "{}", guessed.stderr);
    let reason = guessed.json["skipped"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("--format text"), "{reason}");
    let named = scan(&["--format", "text", log]);
    assert_eq!(named.code, 0, "{}", named.stderr);
    assert_eq!(article(&named, "sshd-failed-password.md")["count"], 2);
    let wrong = scan(&["--format", "syslog", log]);
    assert_eq!(wrong.code, 2);
    assert!(wrong
        .stderr
        .contains("evtx, xml, json, csv, tsv, list, text"));
    let not_evtx = scan(&["--format", "evtx", log]);
    assert_eq!(not_evtx.code, 2);
    assert!(not_evtx.stderr.contains("not an event log file"));
}

#[test]
fn cbs_log_lines_match_by_code_and_template() {
    let s = scan_file("cbs.log");
    assert_eq!(
        s.json["records"], 5,
        "the [gle=…] line continues its record"
    );
    let a = article(&s, "cbs-missing-package-mapping.md");
    assert_eq!(a["count"], 2);
    assert_eq!(a["first"], "2024-03-11T09:14:27");
    let k = kinds(a);
    assert!(k.contains(&"code 0x800f090d".to_string()), "{k:?}");
    assert!(
        k.iter()
            .any(|k| k.starts_with("template Failed to find package")),
        "{k:?}"
    );
    assert_eq!(
        s.json["articles"][0]["source"],
        "cbs-missing-package-mapping.md"
    );
    let keys = unmatched_keys(&s);
    assert!(
        keys.iter()
            .any(|k| k.contains("STATUS_SXS_ASSEMBLY_MISSING")),
        "{keys:?}"
    );
}

#[test]
fn cmtrace_records_span_lines_and_carry_their_type() {
    let s = scan_file("cmtrace.log");
    assert_eq!(s.json["records"], 3);
    let a = article(&s, "ccm-content-download-failed.md");
    assert_eq!(a["count"], 1);
    assert_eq!(a["first"], "2024-06-21T14:02:15.904");
    assert!(a["example"]
        .as_str()
        .unwrap()
        .contains("cmtrace.log:2: 2024-06-21T14:02:15.904 Error ContentTransferManager"));
}

#[test]
fn iis_w3c_status_and_win32_status_are_codes() {
    let s = scan_file("iis.log");
    assert_eq!(s.json["records"], 4);
    let a = article(&s, "iis-500-19-config-invalid.md");
    assert_eq!(a["count"], 2);
    let k = kinds(a);
    assert!(k.contains(&"code http-500.19".to_string()), "{k:?}");
    assert!(k.contains(&"code 0x8007000d".to_string()), "{k:?}");
    assert_eq!(a["last"], "2024-04-02T08:00:05");
}

#[test]
fn uls_columns_give_level_and_message() {
    let s = scan_file("uls.log");
    assert_eq!(s.json["records"], 3);
    let a = article(&s, "sharepoint-security-token.md");
    assert_eq!(a["count"], 1);
    assert_eq!(a["first"], "2024-04-17T10:22:31.470");
    let keys = unmatched_keys(&s);
    assert!(
        keys.iter()
            .any(|k| k.starts_with("System.NullReferenceException")),
        "{keys:?}"
    );
}

#[test]
fn syslog_and_journalctl_short_match_templates() {
    let s = scan_file("syslog.log");
    assert_eq!(s.json["records"], 5);
    let a = article(&s, "sshd-failed-password.md");
    assert_eq!(a["count"], 2);
    assert_eq!(a["first"], "Mar  3 04:12:09");
    // The device's number masked, as a host's would be.
    let keys = unmatched_keys(&s);
    assert!(
        keys.iter()
            .any(|k| k.contains("EXT#-fs error (device sda#)")),
        "{keys:?}"
    );
    let s = scan_file("journal-short.txt");
    assert_eq!(article(&s, "sshd-failed-password.md")["count"], 1);
    let keys = unmatched_keys(&s);
    assert!(
        keys.iter().any(|k| k.starts_with("error: cannot stat")),
        "{keys:?}"
    );
}

#[test]
fn journalctl_json_fields() {
    let s = scan_file("journal.json");
    assert_eq!(s.json["records"], 2);
    let a = article(&s, "sshd-failed-password.md");
    assert_eq!(a["first"], "2024-03-03T04:12:09");
    assert!(
        a["example"].as_str().unwrap().contains("Information sshd"),
        "{a}"
    );
    assert!(unmatched_keys(&s).iter().any(|k| k.contains("cannot stat")));
    // A line cut short between two whole ones, and an object spread over
    // lines (`-o json-pretty`): the cut line is noted and passed over, and
    // the lines after it are read (they had all been skipped).
    let s = scan_file("journal-cut.json");
    assert_eq!(s.json["records"], 3, "{:#}", s.json);
    assert_eq!(article(&s, "sshd-failed-password.md")["count"], 2);
    let skipped = s.json["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0]["at"], "line 2");
}

#[test]
fn plain_text_joins_stack_traces_to_their_record() {
    let s = scan_file("app.log");
    assert_eq!(s.json["records"], 3, "{:#}", s.json);
    let a = article(&s, "dns-client-1014.md");
    assert_eq!(a["count"], 1);
    assert!(a["example"].as_str().unwrap().starts_with(&format!(
        "{}:2: 2024-05-06T07:31:09.870 Error",
        data("app.log").display()
    )));
    assert!(kinds(a)[0].starts_with("template Name resolution"));
}

/// The same three System events, as each Event Viewer or PowerShell export writes them.
#[test]
fn event_viewer_and_powershell_exports() {
    for (file, records) in [
        ("events.xml", 3),
        ("events.csv", 4),
        ("events-tab.txt", 3),
        ("format-list.txt", 3),
        ("eventviewer-copy.txt", 1),
        ("winevent.json", 2),
    ] {
        let s = scan_file(file);
        assert_eq!(s.json["records"], records, "{file}: {:#}", s.json);
        let dns = article(&s, "dns-client-1014.md");
        assert_eq!(dns["count"], 1, "{file}");
        assert!(
            kinds(dns).contains(&"event dns-client/1014".to_string()),
            "{file}"
        );
        if file != "eventviewer-copy.txt" {
            let scm = article(&s, "scm-7031-service-terminated.md");
            assert!(
                kinds(scm).contains(&"event service-control-manager/7031".to_string()),
                "{file}"
            );
        }
    }
    let s = scan_file("events.xml");
    let scm = article(&s, "scm-7031-service-terminated.md");
    assert_eq!(scm["first"], "2024-02-19T11:03:52.418");
    assert!(
        kinds(scm)
            .iter()
            .any(|k| k.starts_with("template The <service> service")),
        "{scm}"
    );
    assert_eq!(unmatched_keys(&s), ["kernel-general/16"]);
    let s = scan_file("events.csv");
    assert_eq!(
        unmatched_keys(&s),
        ["contoso-agent/9001", "kernel-general/16"]
    );
    let agent = &s.json["unmatched"][0]["example"];
    assert!(
        agent
            .as_str()
            .unwrap()
            .contains("Upload of \"inventory\" failed: the server closed"),
        "{agent}"
    );
    let s = scan_file("winevent.json");
    assert_eq!(
        article(&s, "dns-client-1014.md")["first"],
        "2024-02-19T11:04:10.001"
    );
    // An XML export cut short in its last event: the event is read as
    // far as it goes, and the cut is noted (it had been dropped unsaid).
    let s = scan_file("cut-short.xml");
    assert_eq!(s.json["records"], 3, "{:#}", s.json);
    assert_eq!(unmatched_keys(&s), ["kernel-general/16"]);
    assert_eq!(s.json["skipped"][0]["at"], "event 3");
    let why = s.json["skipped"][0]["reason"].as_str().unwrap();
    assert!(why.contains("ends before this event's </Event>"), "{why}");
}

/// Error lines that differ in a code in hex are counted under keys of
/// their own, the code as written: each is an article to write, and its
/// `kbgen new article` command names it.
#[test]
fn unmatched_codes_are_keys_of_their_own() {
    let log = data("agent-codes.log");
    let s = scan(&[log.to_str().unwrap()]);
    assert_eq!(s.code, 1, "nothing matched: {}", s.stderr);
    let counts: Vec<(String, u64)> = s.json["unmatched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["key"].as_str().unwrap().to_string(),
                u["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            (
                "Contoso Agent upload failed: 0x8007045D (attempt #)".to_string(),
                2
            ),
            (
                "Contoso Agent upload failed: 0x80072EE2 (attempt #)".to_string(),
                1
            ),
        ]
    );
    let text = scan_text(&[log.to_str().unwrap()]);
    assert!(
        text.contains("kbgen new article 'Contoso Agent upload failed: 0x8007045D (attempt #)'"),
        "{text}"
    );
}

/// A CSV export whose rows break: a quoted message never closed, rows
/// longer than a line may be, and a flood of rows without a date, source
/// or message. Each row that can be read is read, what could not be is
/// noted with its line, and a flood of one kind of note gives the first
/// few and a count of the rest. (A message never closed had been dropped
/// without a word, each of its lines recounting the row's quotes; each
/// note of a flood had been handed between threads on its own.)
#[test]
fn broken_csv_rows_are_read_or_noted_and_a_flood_of_notes_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let header = "Level,Date and Time,Source,Event ID,Task Category\n";
    let dns = "Warning,2/19/2024 11:04:10 AM,Microsoft-Windows-DNS-Client,1014,(1014),";
    let write = |name: &str, body: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("{header}{body}")).unwrap();
        path
    };
    let notes = |s: &Scanned| -> Vec<(String, String)> {
        let list = s.json["skipped"].as_array().cloned().unwrap_or_default();
        list.iter()
            .map(|n| {
                let at = n["at"].as_str().unwrap_or_default().to_string();
                (at, n["reason"].as_str().unwrap_or_default().to_string())
            })
            .collect()
    };

    let open = write(
        "open.csv",
        format!(
            "{dns}\"Name resolution for the name wpad timed out\n{}",
            "and more\n".repeat(50_000)
        ),
    );
    let s = scan(&[open.to_str().unwrap()]);
    assert_eq!(s.json["records"], 1, "{:#}", s.json);
    assert_eq!(article(&s, "dns-client-1014.md")["count"], 1);
    let n = notes(&s);
    assert_eq!(n.len(), 1, "{n:?}");
    assert_eq!(n[0].0, "line 2");
    assert!(n[0].1.contains("never closed"), "{n:?}");

    // Three rows, each one line of 300 KB: the cut takes its closing quote.
    let wide = format!("{dns}\"{}\"\n", "timed out ".repeat(30_000)).repeat(3);
    let s = scan(&[write("wide.csv", wide).to_str().unwrap()]);
    assert_eq!(s.json["records"], 3, "{:#}", s.json["skipped"]);
    let n = notes(&s);
    assert_eq!(n.len(), 3, "{n:?}");
    assert!(
        n.iter().all(|(_, why)| why.contains("longer than 256 KiB")),
        "{n:?}"
    );

    let flood = format!("{dns}\"timed out\"\n{}", ",,,,\n".repeat(20_000));
    let s = scan(&[write("flood.csv", flood).to_str().unwrap()]);
    assert_eq!(s.json["records"], 1);
    let n = notes(&s);
    let at: Vec<&str> = n.iter().map(|(at, _)| at.as_str()).collect();
    assert_eq!(
        at,
        [
            "line 3",
            "line 4",
            "line 5",
            "and 19997 more places, the last at line 20002"
        ],
        "{n:?}"
    );
    assert!(
        n.iter().all(|(_, why)| why.contains("without a date")),
        "{n:?}"
    );
}

/// `kbgen scan -o SITE -s KB` against the fixture site, run beside it,
/// for the tests that set up its input, output or signals themselves.
fn scan_command() -> std::process::Command {
    let site = fixture_site();
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_kbgen"));
    c.current_dir(site.parent().unwrap())
        .args(["scan", "-o", site.to_str().unwrap(), "-s"])
        .arg(data("kb"));
    c
}

/// `kbgen scan --json -` against the fixture site, `file` its standard input.
fn scan_stdin(file: &Path) -> Scanned {
    let o = scan_command()
        .args(["--json", "-"])
        .stdin(std::fs::File::open(file).unwrap())
        .output()
        .unwrap();
    scanned(o)
}

/// `-` reads standard input, gzip-compressed too (`ssh host cat
/// syslog.2.gz | kbgen scan -`).
#[test]
fn stdin_is_read_for_a_dash() {
    let tmp = tempfile::tempdir().unwrap();
    let gz = tmp.path().join("cbs.log.gz");
    std::fs::write(&gz, gzipped(&std::fs::read(data("cbs.log")).unwrap())).unwrap();
    for file in [data("cbs.log"), gz] {
        let s = scan_stdin(&file);
        assert_eq!(s.code, 0, "{}", s.stderr);
        let first = &s.json["articles"][0];
        assert_eq!(first["source"], "cbs-missing-package-mapping.md");
        assert!(first["example"].as_str().unwrap().starts_with("-:2: "));
    }
}

/// Every fixture log, gzip-compressed, gives the report of its text,
/// told by its bytes whatever its name; a copy cut short gives the
/// records before the cut and says where the stream broke off; a file
/// with a gzip header and nothing readable after it is unreadable.
#[test]
fn gzip_logs_are_scanned_as_their_text() {
    let tmp = tempfile::tempdir().unwrap();
    let mut formats = 0;
    for entry in std::fs::read_dir(data("")).unwrap().flatten() {
        if entry.path().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let text = std::fs::read(entry.path()).unwrap();
        let plain = scan(&[data(&name).to_str().unwrap()]);
        for packed in [format!("{name}.gz"), format!("{name}.rotated")] {
            let gz = tmp.path().join(&packed);
            std::fs::write(&gz, gzipped(&text)).unwrap();
            let s = scan(&[gz.to_str().unwrap()]);
            assert_eq!(s.code, plain.code, "{packed}: {}", s.stderr);
            let as_plain = s
                .json
                .to_string()
                .replace(gz.to_str().unwrap(), data(&name).to_str().unwrap());
            assert_eq!(as_plain, plain.json.to_string(), "{packed}");
        }
        formats += 1;
    }
    assert!(formats >= 15, "{formats} fixture logs");
    // A CBS.log of many records, cut at half its compressed length.
    let line = std::fs::read_to_string(data("cbs.log")).unwrap();
    let long: String = (0..2000).map(|_| line.as_str()).collect();
    let whole = gzipped(long.as_bytes());
    let cut = tmp.path().join("CBS.log.gz");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let s = scan(&[cut.to_str().unwrap()]);
    assert_eq!(s.code, 0, "the records before the cut match: {}", s.stderr);
    let records = s.json["records"].as_u64().unwrap();
    let all = scan_file("cbs.log").json["records"].as_u64().unwrap() * 2000;
    assert!(records > all / 10 && records < all, "{records} of {all}");
    let skipped = &s.json["skipped"][0];
    assert_eq!(skipped["file"], cut.to_str().unwrap());
    assert!(
        skipped["reason"]
            .as_str()
            .unwrap()
            .contains("gzip stream breaks off"),
        "{skipped}"
    );
    let header_only = tmp.path().join("empty.gz");
    std::fs::write(&header_only, &whole[..12]).unwrap();
    let s = scan(&[header_only.to_str().unwrap()]);
    assert_eq!(s.code, 2);
    assert!(
        s.stderr.contains("empty.gz") && s.stderr.contains("cannot be decompressed"),
        "{}",
        s.stderr
    );
}

/// Every fixture log, by name, as a support bundle holds it under `logs/`.
fn fixture_logs() -> Vec<(String, Vec<u8>)> {
    let mut logs: Vec<(String, Vec<u8>)> = std::fs::read_dir(data(""))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (format!("logs/{name}"), std::fs::read(e.path()).unwrap())
        })
        .collect();
    logs.sort();
    logs
}

/// A support bundle (zip, tar, gzipped tar; by its content, whatever its
/// name) gives the report of its logs scanned one by one, each named by
/// the bundle and its path in it; its files that are no log are listed
/// in `skipped` and the rest are still scanned.
#[test]
fn bundles_are_scanned_file_by_file() {
    let tmp = tempfile::tempdir().unwrap();
    let logs = fixture_logs();
    assert!(logs.len() >= 15, "{} fixture logs", logs.len());
    let one_by_one: Vec<String> = logs
        .iter()
        .map(|(path, _)| data(&path["logs/".len()..]).to_str().unwrap().to_string())
        .collect();
    let plain = scan(&one_by_one.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let mut files = logs.clone();
    let mut binary = b"\x7fELF\x02\x01\x01\0\0\0".to_vec();
    binary.extend(std::iter::repeat_n(0u8, 600));
    files.push(("logs/tool.bin".into(), binary));
    files.push(("logs/older.zip".into(), zipped(&logs[..2])));
    let tar = tarred(&files);
    let bundles = [
        ("support.zip", zipped(&files)),
        ("support.tar", tar.clone()),
        ("support.tar.gz", gzipped(&tar)),
        ("bundle.data", zipped(&files)),
    ];
    let same_as_plain = |s: &Scanned, name: &str| {
        assert_eq!(s.code, plain.code, "{name}: {}", s.stderr);
        let skipped: Vec<(String, String)> = s.json["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| {
                (
                    k["file"].as_str().unwrap().to_string(),
                    k["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        // The bundle's own two notes; the logs' notes are those of a plain scan.
        let own =
            |file: &str| file.ends_with(":logs/tool.bin") || file.ends_with(":logs/older.zip");
        let skipped: Vec<&(String, String)> = skipped.iter().filter(|(f, _)| own(f)).collect();
        assert_eq!(skipped.len(), 2, "{name}: {skipped:?}");
        assert!(
            skipped[0].0.ends_with(":logs/tool.bin") && skipped[0].1.contains("binary"),
            "{skipped:?}"
        );
        assert!(
            skipped[1].0.ends_with(":logs/older.zip") && skipped[1].1.contains("archive inside"),
            "{skipped:?}"
        );
        let mut json = s.json.clone();
        let of_logs = s.json["skipped"].as_array().unwrap().iter();
        json["skipped"] = of_logs
            .filter(|k| !own(k["file"].as_str().unwrap()))
            .cloned()
            .collect();
        let prefix = format!("{}:logs/", skipped[0].0.trim_end_matches(":logs/tool.bin"));
        let dir = format!("{}/", data("").to_str().unwrap().trim_end_matches('/'));
        assert_eq!(
            json.to_string().replace(&prefix, &dir),
            plain.json.to_string(),
            "{name}"
        );
    };
    for (name, bytes) in &bundles {
        let path = tmp.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        same_as_plain(&scan(&[path.to_str().unwrap()]), name);
        same_as_plain(&scan_stdin(&path), &format!("{name} on stdin"));
    }
}

/// A named pipe (`kbgen scan <(ssh host journalctl)`) gives the report
/// of the same bytes in a file, every format, gzip and a bundle too: it
/// is read once, its first bytes told apart without a second opening
/// (which had lost them, and the records in them).
#[cfg(unix)]
#[test]
fn a_named_pipe_is_read_once_like_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (files, pipes) = (tmp.path().join("file"), tmp.path().join("pipe"));
    std::fs::create_dir_all(&files).unwrap();
    std::fs::create_dir_all(&pipes).unwrap();
    let mut logs = fixture_logs();
    let cbs = std::fs::read(data("cbs.log")).unwrap();
    logs.push(("logs/cbs.log.gz".into(), gzipped(&cbs)));
    logs.push(("logs/support.zip".into(), zipped(&logs[..3])));
    for (path, bytes) in &logs {
        let name = &path["logs/".len()..];
        let file = files.join(name);
        std::fs::write(&file, bytes).unwrap();
        let pipe = pipes.join(name);
        let made = std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .unwrap();
        assert!(made.success(), "mkfifo {}", pipe.display());
        // Opening a pipe to write waits for its reader, kbgen.
        let writer = {
            let (pipe, bytes) = (pipe.clone(), bytes.clone());
            std::thread::spawn(move || {
                use std::io::Write as _;
                let mut w = std::fs::OpenOptions::new().write(true).open(pipe).unwrap();
                // kbgen may stop reading early (a format it refuses).
                let _ = w.write_all(&bytes);
            })
        };
        let by_pipe = scan_before_a_deadline(&pipe, &tmp.path().join("out.json"));
        writer.join().unwrap();
        let by_file = scan(&[file.to_str().unwrap()]);
        assert_eq!(by_pipe.code, by_file.code, "{name}: {}", by_pipe.stderr);
        assert!(by_file.json["records"].as_u64().unwrap() > 0, "{name}");
        assert_eq!(
            by_pipe.json.to_string().replace("/pipe/", "/file/"),
            by_file.json.to_string(),
            "{name}"
        );
    }
}

/// `kbgen scan --json LOG` against the fixture site, its output in
/// `out`; a scan that has not ended after a minute is stopped and fails
/// the test (a named pipe opened again waits for a writer for ever).
#[cfg(unix)]
fn scan_before_a_deadline(log: &Path, out: &Path) -> Scanned {
    let mut child = scan_command()
        .arg("--json")
        .arg(log)
        .stdout(std::fs::File::create(out).unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status = wait_a_minute(&mut child, &format!("kbgen scan {}", log.display()));
    Scanned {
        json: serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap_or(Value::Null),
        code: status.code().unwrap_or(-1),
        stderr: String::new(),
    }
}

/// `child`'s exit status; one that has not ended after a minute is
/// killed and fails the test, which would otherwise wait for ever.
#[cfg(unix)]
fn wait_a_minute(child: &mut std::process::Child, what: &str) -> std::process::ExitStatus {
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{what} has not ended after a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A folder (a bundle unpacked) gives the report of its files scanned
/// one by one in the order of their paths, binary files noted in
/// `skipped`.
#[test]
fn folders_are_scanned_file_by_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("collected");
    let read = |name: &str| std::fs::read(data(name)).unwrap();
    let files: [(&str, Vec<u8>); 5] = [
        ("a/cbs.log", read("cbs.log")),
        ("a/events.xml", read("events.xml")),
        ("b/older/syslog.log.1.gz", gzipped(&read("syslog.log"))),
        ("b/tool.bin", b"MZ\x90\0\x03\0".repeat(50)),
        (
            "c/support.zip",
            zipped(&[("app.log".to_string(), read("app.log"))]),
        ),
    ];
    for (path, bytes) in &files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let logs: Vec<String> = files
        .iter()
        .filter(|(path, _)| !path.ends_with(".bin"))
        .map(|(path, _)| dir.join(path).to_str().unwrap().to_string())
        .collect();
    let plain = scan(&logs.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let s = scan(&[dir.to_str().unwrap()]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let binary = dir.join("b/tool.bin");
    assert_eq!(s.json["skipped"][0]["file"], binary.to_str().unwrap());
    assert_eq!(s.json["skipped"][0]["reason"], "a binary file, not a log");
    let mut json = s.json.clone();
    json["skipped"] = plain.json["skipped"].clone();
    assert_eq!(json, plain.json);
}

/// In a folder, a link leading out of it, a link to nothing and a named
/// pipe are named in `skipped` with what to do, and the pipe is not
/// waited on; a link to a file inside is passed over without a note, as
/// that file is scanned once, where it is.
#[cfg(unix)]
#[test]
fn links_and_pipes_in_a_folder_are_named_not_dropped() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("collected");
    std::fs::create_dir(&dir).unwrap();
    let outside = tmp.path().join("elsewhere.log");
    std::fs::copy(data("syslog.log"), &outside).unwrap();
    std::fs::copy(data("cbs.log"), dir.join("cbs.log")).unwrap();
    symlink("cbs.log", dir.join("cbs-latest.log")).unwrap();
    symlink(&outside, dir.join("syslog.log")).unwrap();
    symlink("gone.log", dir.join("rotated.log")).unwrap();
    let fifo = dir.join("live.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());

    let s = scan_before_a_deadline(&dir, &tmp.path().join("out.json"));
    assert_eq!(s.code, 0, "{}", s.json);
    let alone = scan(&[dir.join("cbs.log").to_str().unwrap()]);
    assert_eq!(
        s.json["records"], alone.json["records"],
        "the inner link is not read twice"
    );
    assert_eq!(s.json["articles"], alone.json["articles"]);
    let skipped: Vec<(String, String)> = s.json["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let file = k["file"].as_str().unwrap();
            let name = Path::new(file).file_name().unwrap().to_str().unwrap();
            (name.to_string(), k["reason"].as_str().unwrap().to_string())
        })
        .collect();
    let names: Vec<&str> = skipped.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["live.pipe", "rotated.log", "syslog.log"],
        "{skipped:?}"
    );
    assert!(skipped[0].1.starts_with("a named pipe"), "{}", skipped[0].1);
    assert!(skipped[0].1.contains("scan it by name"), "{}", skipped[0].1);
    assert_eq!(skipped[1].1, "a link to gone.log, which does not exist");
    let target = std::fs::canonicalize(&outside).unwrap();
    assert!(
        skipped[2]
            .1
            .contains(&format!("scan {} by name", target.display())),
        "{}",
        skipped[2].1
    );
}

/// A gzipped log in a bundle is read as its text; a file that cannot
/// be unzipped, and a tar file cut short, are noted in `skipped`, the
/// rest still scanned; an archive that is not unpacked is an unreadable
/// input that says how to unpack it.
#[test]
fn damaged_bundles_keep_what_can_be_read() {
    let tmp = tempfile::tempdir().unwrap();
    let cbs = std::fs::read(data("cbs.log")).unwrap();
    let records = scan_file("cbs.log").json["records"].as_u64().unwrap();
    let rotated = tmp.path().join("rotated.zip");
    let files = [
        ("CBS.log".to_string(), cbs.clone()),
        ("CBS.log.1.gz".to_string(), gzipped(&cbs)),
    ];
    std::fs::write(&rotated, zipped(&files)).unwrap();
    let s = scan(&[rotated.to_str().unwrap()]);
    assert_eq!(s.json["records"].as_u64(), Some(2 * records), "{}", s.json);
    assert_eq!(s.json["skipped"], serde_json::json!([]));

    // The first file's compression method made bzip2 (12), which is not built in,
    // in its local header (at 8) and in the index (at 10 of its entry).
    let mut odd = zipped(&files);
    odd[8] = 12;
    let index = odd.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    odd[index + 10] = 12;
    let odd_zip = tmp.path().join("odd.zip");
    std::fs::write(&odd_zip, &odd).unwrap();
    let s = scan(&[odd_zip.to_str().unwrap()]);
    assert_eq!(s.code, 0, "the other file matches: {}", s.stderr);
    assert_eq!(s.json["records"].as_u64(), Some(records));
    let skipped = &s.json["skipped"][0];
    assert_eq!(
        skipped["file"],
        format!("{}:CBS.log", odd_zip.to_str().unwrap())
    );
    assert!(
        skipped["reason"]
            .as_str()
            .unwrap()
            .contains("cannot be unzipped"),
        "{skipped}"
    );

    // A tar file cut in its second file: the first is scanned.
    let tar = tarred(&[
        ("a/CBS.log".to_string(), cbs.clone()),
        ("b/CBS.log".to_string(), cbs.repeat(50)),
    ]);
    let cut = tmp.path().join("cut.tar");
    std::fs::write(&cut, &tar[..tar.len() / 2]).unwrap();
    let s = scan(&[cut.to_str().unwrap()]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let got = s.json["records"].as_u64().unwrap();
    assert!(
        got > records && got < 51 * records,
        "{got} of {}",
        51 * records
    );
    assert!(
        s.json["skipped"].to_string().contains("b/CBS.log"),
        "the cut file is named: {}",
        s.json
    );

    // A zip64 end record that says 200,000 files, after a local header's
    // magic: refused before its index is read.
    let mut many = b"PK\x03\x04".to_vec();
    many.extend([0u8; 26]);
    let record = many.len() as u64;
    many.extend(b"PK\x06\x06");
    many.extend([0u8; 28]);
    many.extend(200_000u64.to_le_bytes());
    many.extend([0u8; 16]);
    many.extend(b"PK\x06\x07\0\0\0\0");
    many.extend(record.to_le_bytes());
    many.extend([1, 0, 0, 0]);
    many.extend(b"PK\x05\x06\0\0\0\0\xff\xff\xff\xff");
    many.extend([0xff; 8]);
    many.extend([0, 0]);
    let many_zip = tmp.path().join("many.zip");
    std::fs::write(&many_zip, &many).unwrap();
    let s = scan(&[many_zip.to_str().unwrap()]);
    assert_eq!(s.code, 2, "{}", s.stderr);
    assert!(s.stderr.contains("more than 100000 files"), "{}", s.stderr);

    for (name, magic, tool) in [
        ("logs.tar.xz", &b"\xfd7zXZ\x00\x00"[..], "xz -d"),
        (
            "CbsPersist_20240219.cab",
            &b"MSCF\0\0\0\0\x12\x34"[..],
            "expand",
        ),
    ] {
        let path = tmp.path().join(name);
        std::fs::write(&path, magic).unwrap();
        let s = scan(&[path.to_str().unwrap()]);
        assert_eq!(s.code, 2, "{name}");
        assert!(
            s.stderr.contains(name) && s.stderr.contains(tool),
            "{}",
            s.stderr
        );
    }
}

/// `kbgen scan -` of a pipe this test writes to, with SIGINT's default
/// action (a test runner started in the background may ignore it, and
/// kbgen leaves an ignored SIGINT ignored); its output in `out`.
#[cfg(target_os = "linux")]
fn scan_a_pipe(args: &[&str], out: &Path) -> (std::process::Child, std::io::PipeWriter) {
    use std::os::unix::process::CommandExt as _;
    let (reader, writer) = std::io::pipe().unwrap();
    let mut c = scan_command();
    c.args(args)
        .arg("-")
        .stdin(reader)
        .stdout(std::fs::File::create(out).unwrap())
        .stderr(std::process::Stdio::null());
    // SAFETY: signal(2) is async-signal-safe, as pre_exec asks.
    unsafe {
        c.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    (c.spawn().unwrap(), writer)
}

/// True when the process `pid` has a handler for SIGINT.
#[cfg(target_os = "linux")]
fn catches_sigint(pid: u32) -> bool {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("SigCgt:"))
        .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
        .is_some_and(|m| m & (1 << (libc::SIGINT - 1)) != 0)
}

/// The thread of the process `pid` that waits in a read of a pipe (the
/// kernel's name of where it sleeps), if one does.
#[cfg(target_os = "linux")]
fn waiting_on_a_pipe(pid: u32) -> Option<i32> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    tasks.flatten().find_map(|t| {
        let wchan = std::fs::read_to_string(t.path().join("wchan")).ok()?;
        wchan.contains("pipe_read").then_some(())?;
        t.file_name().to_str()?.parse().ok()
    })
}

/// Waits until `pid` has a handler for SIGINT (kbgen sets it up before
/// reading), `pipe` holds no byte left to read, and kbgen waits for more;
/// the thread that waits.
#[cfg(target_os = "linux")]
fn wait_until_read(pid: u32, pipe: &std::io::PipeWriter) -> i32 {
    use std::os::fd::AsRawFd as _;
    let start = std::time::Instant::now();
    loop {
        let caught = catches_sigint(pid);
        let mut unread: libc::c_int = 0;
        // SAFETY: FIONREAD writes one int, on either end of a Linux pipe.
        let asked = unsafe { libc::ioctl(pipe.as_raw_fd(), libc::FIONREAD, &mut unread) };
        assert_eq!(asked, 0, "FIONREAD on the pipe");
        if let Some(reader) = waiting_on_a_pipe(pid).filter(|_| caught && unread == 0) {
            return reader;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "kbgen has not read its input after a minute"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Ctrl-C stops a scan of a live stream (`journalctl -f | kbgen scan
/// -`), which has no end of its own, and kbgen reports the records read
/// before it, says so, and exits with 130; the pipe is still open, so
/// the scan ended at the signal, not at the end of its input. A second
/// Ctrl-C ends kbgen at once, even while it waits on a quiet pipe.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_stops_a_stream_and_reports_what_was_read() {
    use std::io::Write as _;
    use std::os::unix::process::ExitStatusExt as _;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let cbs = std::fs::read(data("cbs.log")).unwrap();
    let whole = scan_file("cbs.log");
    let records = whole.json["records"].as_u64().unwrap();
    let line = b"2024-02-19 11:09:01, Error CSI 00000001 one line more\n";
    // Sends SIGINT to the thread waiting on the pipe, as a terminal's
    // Ctrl-C may reach it, and waits until it has been handled (the
    // handler goes with it). Sent to the process, the signal may be
    // handled on another thread a moment after the reader, woken by the
    // line below, has gone back to wait on the pipe: then only a second
    // Ctrl-C or more text would end the scan, as README says.
    let interrupt = |child: &std::process::Child, reader: i32| {
        let pid = child.id() as i32;
        // SAFETY: tgkill(2) with a child's pid and one of its threads.
        let sent = unsafe { libc::syscall(libc::SYS_tgkill, pid, reader, libc::SIGINT) };
        assert_eq!(sent, 0, "tgkill");
        let start = std::time::Instant::now();
        while catches_sigint(child.id()) {
            assert!(start.elapsed() < std::time::Duration::from_secs(60));
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    };
    for json in [true, false] {
        let (mut child, mut pipe) = scan_a_pipe(if json { &["--json"] } else { &[] }, &out);
        pipe.write_all(&cbs).unwrap();
        let reader = wait_until_read(child.id(), &pipe);
        interrupt(&child, reader);
        // The read waiting on the pipe goes on: the line ends it, and the
        // next read finds the end.
        pipe.write_all(line).unwrap();
        let status = wait_a_minute(&mut child, "kbgen scan - after Ctrl-C");
        assert_eq!(status.code(), Some(130), "{status:?}");
        let printed = std::fs::read_to_string(&out).unwrap();
        if json {
            let report: Value = serde_json::from_str(&printed).unwrap();
            assert_eq!(report["interrupted"], true, "{report:#}");
            assert_eq!(report["records"], records + 1, "{report:#}");
            let mut first = report["articles"][0].clone();
            first["example"] = whole.json["articles"][0]["example"].clone();
            assert_eq!(first, whole.json["articles"][0]);
            assert_eq!(whole.json.get("interrupted"), None);
        } else {
            assert!(
                printed.starts_with(
                    "Stopped by Ctrl-C: this report covers the records read before it.\n"
                ),
                "{printed}"
            );
            assert!(
                printed.contains("cbs-missing-package-mapping.md"),
                "{printed}"
            );
        }
        drop(pipe);
    }
    let (mut child, mut pipe) = scan_a_pipe(&["--json"], &out);
    pipe.write_all(&cbs).unwrap();
    let reader = wait_until_read(child.id(), &pipe);
    interrupt(&child, reader);
    // SAFETY: kill(2) with a child's pid.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let status = wait_a_minute(&mut child, "kbgen scan - after two Ctrl-C");
    assert_eq!(status.signal(), Some(libc::SIGINT), "{status:?}");
    drop(pipe);
}

#[test]
fn exit_status_says_matched_nothing_or_unreadable() {
    let tmp = tempfile::tempdir().unwrap();
    let quiet = tmp.path().join("quiet.log");
    std::fs::write(&quiet, "2024-01-01 10:00:00 INFO all is well\n").unwrap();
    let s = scan(&[quiet.to_str().unwrap()]);
    assert_eq!(s.code, 1);
    assert_eq!(s.json["records"], 1);
    let missing = tmp.path().join("nope.log");
    let s = scan(&[data("cbs.log").to_str().unwrap(), missing.to_str().unwrap()]);
    assert_eq!(s.code, 2, "an unreadable input wins over a match");
    assert!(
        s.stderr.contains("cannot open") && s.stderr.contains("nope.log"),
        "{}",
        s.stderr
    );
    assert_eq!(s.json["skipped"][0]["file"], missing.to_str().unwrap());
    let fake = tmp.path().join("fake.evtx");
    std::fs::write(&fake, "not an event log").unwrap();
    let s = scan(&[fake.to_str().unwrap()]);
    assert_eq!(s.code, 2);
    assert!(
        s.stderr.contains("fake.evtx") && s.stderr.contains("ElfFile"),
        "{}",
        s.stderr
    );
}

#[test]
fn since_and_min_level_leave_records_out() {
    let csv = data("events.csv");
    let s = scan(&["--since", "2024-02-19T11:04:00", csv.to_str().unwrap()]);
    assert_eq!(s.json["records"], 3);
    assert!(!s.json.to_string().contains("scm-7031"));
    let s = scan(&["--min-level", "error", csv.to_str().unwrap()]);
    assert_eq!(s.json["records"], 2);
    assert!(!s.json.to_string().contains("dns-client-1014.md"));
    let s = scan(&["--min-level", "loud", csv.to_str().unwrap()]);
    assert_eq!(s.code, 2);
    assert!(s.stderr.contains("not a level"), "{}", s.stderr);
}

/// `--until` ends the window at the time given, itself included, or
/// for a date alone at the end of that day; a window that ends before
/// it starts is refused rather than scanned for nothing.
#[test]
fn until_ends_the_window_of_records_looked_at() {
    let csv = data("events.csv");
    let csv = csv.to_str().unwrap();
    let records = |args: &[&str]| {
        let s = scan(&[args, &[csv]].concat());
        (s.json["records"].as_u64(), s.code)
    };
    // 11:03:52 and 11:04:10, the second at the very time given.
    assert_eq!(records(&["--until", "2024-02-19T11:04:10"]), (Some(2), 0));
    let window = [
        "--since",
        "2024-02-19T11:04:00",
        "--until",
        "2024-02-19T11:05:00",
    ];
    assert_eq!(records(&window), (Some(2), 0));
    let s = scan(&[&window[..], &[csv]].concat());
    assert!(!s.json.to_string().contains("scm-7031"), "{}", s.json);
    assert_eq!(
        records(&["--since", "2024-02-19", "--until", "2024-02-19"]),
        (Some(4), 0)
    );
    assert_eq!(records(&["--until", "2024-02-18"]), (Some(0), 1));
    let s = scan(&["--since", "2024-02-20", "--until", "2024-02-19", csv]);
    assert_eq!(s.code, 2);
    assert!(
        s.stderr.contains("swap --since and --until"),
        "{}",
        s.stderr
    );
    let s = scan(&["--until", "later", csv]);
    assert_eq!(s.code, 2);
    assert!(s.stderr.contains("not a time"), "{}", s.stderr);
}

#[test]
fn text_report_lists_articles_and_new_article_commands() {
    let out = scan_text(&[data("events.csv").to_str().unwrap()]);
    assert!(
        out.starts_with("4 records, 2 with a known problem, 2 articles"),
        "{out}"
    );
    assert!(
        out.contains("kbgen new article 'Contoso Agent event 9001'"),
        "{out}"
    );
}

/// A code that four articles cite says less of each than one that a
/// single article cites: the article for the rarer code comes first,
/// though its code is in fewer records. Of the articles tied on the common
/// code, the one whose message template the log's lines also cover comes
/// first, though it comes last in the site's order.
#[test]
fn a_rare_code_and_a_covered_template_rank_above_a_common_code() {
    let s = scan_file("app-access-denied.log");
    let order: Vec<&str> = s.json["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            "cbs-missing-package-mapping.md",
            "relay-access-denied.md",
            "access-denied-list-sync.md",
            "backup-access-denied.md",
            "delivery-report-codes.md"
        ],
        "{:#}",
        s.json
    );
    assert_eq!(s.json["articles"][0]["count"], 1);
    let relay = &s.json["articles"][1];
    assert_eq!(relay["count"], 3);
    assert_eq!(
        kinds(relay),
        [
            "code 0x80070005",
            "template The Fabrikam Relay service terminated with the following error: Access is denied."
        ]
    );
}

/// The text output names the articles that only repeat the one above
/// (the same matches in the same records) on one line under it, and
/// `--limit` counts the entries shown: three entries show all five articles.
#[test]
fn text_report_folds_articles_with_the_same_matches() {
    let out = scan_text(&["-n", "3", data("app-access-denied.log").to_str().unwrap()]);
    assert!(
        out.starts_with("4 records, 4 with a known problem, 5 articles"),
        "{out}"
    );
    assert!(
        out.contains("\n3. A list does not sync: access denied\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "   and 2 more articles with the same matches: \
             Backup job fails: access denied; Delivery report codes and what they mean\n"
        ),
        "{out}"
    );
    assert!(!out.contains("\n4. "), "{out}");
    assert!(!out.contains("more articles (--limit"), "{out}");
}

/// The shared logs folder, or `None` after printing why the test is skipped.
fn shared_logs() -> Option<PathBuf> {
    let p = repo().join("../shared/logs/evtx");
    if !p.is_dir() {
        eprintln!("skipped: ../shared/logs/evtx is not present beside this checkout");
    }
    p.is_dir().then_some(p)
}

#[test]
fn damaged_evtx_reports_its_bad_chunk_and_reads_the_rest() {
    let Some(logs) = shared_logs() else { return };
    let file = logs.join("sample_with_a_bad_chunk_magic.evtx");
    let s = scan(&[file.to_str().unwrap()]);
    assert_eq!(
        s.code, 1,
        "readable records, none known to the fixture: {}",
        s.stderr
    );
    assert!(
        s.json["records"].as_u64().unwrap() > 250,
        "{}",
        s.json["records"]
    );
    let skipped = s.json["skipped"].to_string();
    assert!(skipped.contains("chunk 6 at offset 0x61000"), "{skipped}");
    assert!(skipped.contains("ElfChnk"), "{skipped}");
    assert_eq!(unmatched_keys(&s)[0], "appxdeployment/325");
    // Compressed with gzip (read into memory, as from stdin): the same report.
    let tmp = tempfile::tempdir().unwrap();
    let gz = tmp.path().join("damaged.evtx.gz");
    std::fs::write(&gz, gzipped(&std::fs::read(&file).unwrap())).unwrap();
    let g = scan(&[gz.to_str().unwrap()]);
    let as_plain = g
        .json
        .to_string()
        .replace(gz.to_str().unwrap(), file.to_str().unwrap());
    assert_eq!((g.code, as_plain), (s.code, s.json.to_string()));
}

/// ms-support-full, built once per test run (with the release binary when
/// there is one: the build does not depend on the scan code under test).
fn full_site() -> Option<&'static (PathBuf, PathBuf)> {
    static SITE: OnceLock<Option<(PathBuf, PathBuf)>> = OnceLock::new();
    SITE.get_or_init(|| {
        let corpus = repo().join("../shared/corpus/ms-support-full");
        if !corpus.is_dir() {
            eprintln!(
                "skipped: ../shared/corpus/ms-support-full is not present beside this checkout"
            );
            return None;
        }
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scan-ms-support-full");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let site = dir.join("site");
        let release = repo().join("target/release/kbgen");
        let bin = if release.exists() {
            release
        } else {
            PathBuf::from(env!("CARGO_BIN_EXE_kbgen"))
        };
        let o = std::process::Command::new(&bin)
            .current_dir(&dir)
            .args(["build", "-q", "--broken-links", "warn", "--source"])
            .arg(&corpus)
            .arg("--output")
            .arg(&site)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        Some((site, corpus))
    })
    .as_ref()
}

/// Every shared `.evtx` file (the damaged one among them) in one zip
/// file, as a machine's logs are collected: the report of the files
/// scanned one by one, damaged places included.
#[test]
fn a_zip_of_the_shared_evtx_files_reports_them_as_one_by_one() {
    let Some(logs) = shared_logs() else { return };
    let Some((site, corpus)) = full_site() else {
        return;
    };
    let mut names: Vec<String> = std::fs::read_dir(&logs)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".evtx"))
        .collect();
    names.sort();
    let paths: Vec<String> = names
        .iter()
        .map(|n| logs.join(n).to_str().unwrap().to_string())
        .collect();
    let plain = scan_with(
        site,
        corpus,
        &paths.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let files: Vec<(String, Vec<u8>)> = names
        .iter()
        .map(|n| (format!("Logs/{n}"), std::fs::read(logs.join(n)).unwrap()))
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("collected.zip");
    std::fs::write(&zip, zipped(&files)).unwrap();
    let z = scan_with(site, corpus, &[zip.to_str().unwrap()]);
    let dir = format!("{}/", logs.to_str().unwrap().trim_end_matches('/'));
    let as_plain = z
        .json
        .to_string()
        .replace(&format!("{}:Logs/", zip.to_str().unwrap()), &dir);
    assert_eq!((z.code, as_plain), (plain.code, plain.json.to_string()));
    assert!(
        !plain.json["skipped"].as_array().unwrap().is_empty(),
        "the damaged file's places are compared too"
    );
}

#[test]
fn system_evtx_puts_the_dns_client_1014_articles_first() {
    let Some(logs) = shared_logs() else { return };
    let Some((site, corpus)) = full_site() else {
        return;
    };
    let s = scan_with(site, corpus, &[logs.join("system.evtx").to_str().unwrap()]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    // Counts and times as the Python `evtx` package reads the file.
    assert_eq!(s.json["records"], 1881);
    let top = &s.json["articles"][0];
    assert_eq!(kinds(top), ["event dns-client/1014"], "{top:#}");
    assert_eq!(top["count"], 160);
    assert_eq!(top["first"], "2017-07-12T07:18:27.597");
    assert_eq!(top["last"], "2018-03-06T08:13:22.269");
    assert_eq!(s.json["unmatched"][0]["key"], "kernel-general/16");
    assert_eq!(s.json["unmatched"][0]["count"], 394);
}

#[test]
fn vss_system_evtx_lists_distributedcom_10016_as_missing() {
    let Some(logs) = shared_logs() else { return };
    let Some((site, corpus)) = full_site() else {
        return;
    };
    let s = scan_with(
        site,
        corpus,
        &[logs.join("2-vss_7-System.evtx").to_str().unwrap()],
    );
    assert_eq!(s.json["records"], 1160);
    let unmatched = s.json["unmatched"].as_array().unwrap();
    let dcom = unmatched[..5]
        .iter()
        .find(|u| u["key"] == "distributedcom/10016")
        .unwrap_or_else(|| panic!("{unmatched:#?}"));
    assert_eq!(dcom["count"], 61);
}

/// What the Python `evtx` package (an independent reading) counts in each
/// shared file: records, and records per `source/id` key (the source
/// slugged as kbgen slugs it, without aliases). `None`, with the reason
/// printed, where python3 or the package is missing.
fn python_evtx_counts(logs: &Path) -> Option<Value> {
    const SCRIPT: &str = r##"
import glob, json, os, re, sys
from evtx import PyEvtxParser
out = {}
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.evtx"))):
    keys, n = {}, 0
    try:
        for r in PyEvtxParser(path).records_json():
            n += 1
            s = json.loads(r["data"])["Event"]["System"]
            name = ((s.get("Provider") or {}).get("#attributes") or {}).get("Name") or ""
            i = s["EventID"]
            i = i["#text"] if isinstance(i, dict) else i
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            slug = slug[len("microsoft-windows-"):] if slug.startswith("microsoft-windows-") else slug
            k = "%s/%s" % (slug, i)
            keys[k] = keys.get(k, 0) + 1
    except Exception as e:
        keys["error"] = str(e)
    out[os.path.basename(path)] = {"records": n, "keys": keys}
print(json.dumps(out))
"##;
    let o = std::process::Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(logs)
        .output();
    match o {
        Ok(o) if o.status.success() => serde_json::from_slice(&o.stdout).ok(),
        _ => {
            eprintln!("skipped: python3 with the evtx package (pip install evtx) is not available");
            None
        }
    }
}

/// Every shared `.evtx` file: the records scan reads, and the records of
/// each event key an article matched on, agree with the Python `evtx`
/// package's reading; an unmatched key has at most as many.
/// (That package stops at a damaged chunk; scan reads on, so the damaged
/// file is only checked for what the package did read.)
#[test]
fn shared_evtx_counts_agree_with_an_independent_parser() {
    let Some(logs) = shared_logs() else { return };
    let Some((site, corpus)) = full_site() else {
        return;
    };
    let Some(python) = python_evtx_counts(&logs) else {
        return;
    };
    for (file, theirs) in python.as_object().unwrap() {
        let s = scan_with(site, corpus, &[logs.join(file).to_str().unwrap()]);
        let keys = theirs["keys"].as_object().unwrap();
        let damaged = keys.contains_key("error");
        if damaged {
            assert!(
                s.json["records"].as_u64() >= theirs["records"].as_u64(),
                "{file}"
            );
        } else {
            assert_eq!(s.json["records"], theirs["records"], "{file}");
        }
        let mut compared = 0;
        for u in s.json["unmatched"].as_array().unwrap() {
            // Records of a key that matched an article through a code or a
            // template are not unmatched: at most as many as the key has.
            if let (Some(n), false) = (keys.get(u["key"].as_str().unwrap()), damaged) {
                assert!(u["count"].as_u64() <= n.as_u64(), "{file} {}", u["key"]);
                compared += 1;
            }
        }
        for a in s.json["articles"].as_array().unwrap() {
            for m in a["matched"].as_array().unwrap() {
                let Some(n) = keys.get(m["key"].as_str().unwrap()) else {
                    continue;
                };
                let ours = m["detail"].as_str().unwrap().rsplit("; ").next().unwrap();
                if !damaged {
                    let records = if n.as_u64() == Some(1) {
                        "record"
                    } else {
                        "records"
                    };
                    assert_eq!(ours, format!("{n} {records}"), "{file} {}", m["key"]);
                    compared += 1;
                }
            }
        }
        eprintln!(
            "{file}: {} records, {compared} counts compared",
            s.json["records"]
        );
    }
}

/// Lines as a busy server writes them (the kinds scripts/bench-scan.py
/// generates), with their variable parts changed.
fn server_lines() -> Vec<String> {
    let mut out = Vec::new();
    for i in 1..200u32 {
        let (a, b) = (i % 97, i * 37 % 9999);
        out.extend([
            format!("Info                  CBS    Failed to find package: Package_for_KB50{b:05}~31bf3856ad364e35~amd64~~10.0.{a}.{b} from the index mapping [HRESULT = 0x800f090d - CBS_E_MISSING_PACKAGE_MAPPING_INDEX]"),
            format!("Session: {a}_{b} initialized by client WindowsUpdateAgent, external staging directory: (null)"),
            format!("Failed password for invalid user u{b} from 203.0.{a}.{i} port {} ssh2", 1024 + b),
            format!("[pool-{a}-thread-{b}] com.contoso.billing.Sync - processed {i} invoices in {b} ms"),
            format!("W3SVC1 10.1.{a}.{i} GET /shop/item/{b} - 443 - 10.9.{a}.{b} Mozilla/5.0 - 200 0 0 {i}"),
            format!("eviction of {b} entries took {a} ms"),
            format!("The Contoso Sync Agent service terminated with the following error: Access is denied. (0x80070005) pid {b}"),
            format!("DNS Client name resolution for the name host{a}.contoso.com timed out after none of the configured DNS servers responded, event {b}"),
            format!("Content download of {a} failed, error {b}, can't reach the distribution point"),
            // Numbers that are events or codes only beside the right word.
            format!("DNS Client {} name resolution for host{a} timed out", [1014, b][i as usize % 2]),
            format!("Microsoft-Windows-DNS-Client/Operational 1014 for host{a}"),
            format!("Service Control Manager {} service {a} terminated", [7031, a][i as usize % 2]),
            format!("GET /app/{a} HTTP {} took {b} ms", [500, 200][i as usize % 2]),
            format!("request {a}: HTTP Error 500.19 - Internal Server Error, code {}", [13, b][i as usize % 2]),
            format!("client {a} sent 1014 bytes, status {b}, id {a}"),
            // A Win32 code in eight decimal digits, alone on its line.
            format!("sync {a} stopped: {}", ["80190194", "70190194"][i as usize % 2]),
            // A code's name and an SMTP status ending a sentence.
            format!("request {a} returned {}.", ["ERROR_INVALID_DATA", "ERROR_SUCCESS_FLAG"][i as usize % 2]),
            // A context word and its number apart: `"code": 13`.
            format!("{{\"code\": {}, \"request\": {a}}}", [13, b][i as usize % 2]),
            // A word with a digit that a template holds (`ssh2`), or not.
            format!("Failed password for root from 203.0.{a}.{i} port {b} ssh{}", [2, 1][i as usize % 2]),
            // ... or in a piece of a token.
            format!("client {a} speaks proto-ssh{}", [2, 1][i as usize % 2]),
            // ... or as a whole token of pieces (`x64-based`), or not.
            format!("The driver d{a}.sys for {}-based systems failed to load", ["x64", "x65"][i as usize % 2]),
            // An error whose later lines hold noise its first line repeats.
            format!("request 6f9619ff-8b86-d011-b42d-00c04fc964{a:02} to 10.0.0.{a} failed\njava.net.SocketTimeoutException: Read timed out after {b} ms from 10.0.0.{a}\n\tat com.contoso.billing.Client.call(Client.java:{i})"),
            // Digits that change a token's verdict within one skeleton:
            // `8007`, a code from `8…`, an SMTP status, a decimal status.
            format!("worker pool-{}-thread-{a} stalled at {}-11-14T22:13:50", [8007, 1234][i as usize % 2], [8007, 2023][i as usize / 2 % 2]),
            format!("batch a-{}-b queued for {a}", [81234567, 11234567][i as usize % 2]),
            format!("relay answered {}.7.1 for message {a}", [5, 3][i as usize % 2]),
            format!("IIS returned {}.19 to client {a}", [500, 200][i as usize % 2]),
            format!("flags 0x{}0005 on handle {a}", [8007, 1007][i as usize % 2]),
            // GUIDs of one skeleton: letters, no digit, a code, `8007`, joined.
            format!("job {{{}}} stopped after {a} s", ["6f9619ff-8b86-d011-b42d-00c04fc964ab", "abcdefab-abcd-abcd-abcd-abcdefabcdef", "12345678-1234-1234-1234-123456789012", "6f9619ff-8007-d011-b42d-00c04fc964ab", "0f8fad5b-d9cb-469f-a165-70867728950e"][i as usize % 5]),
            format!("owner {}'s job", ["6f9619ff-8b86-d011-b42d-00c04fc964ab", "6f9619ff-8b86-d011-b42d-00c04fc96412"][i as usize % 2]),
            // Numbers of every length, after a word, an event word and a
            // number; pieces that a template holds, or not.
            format!("sent {} bytes in {} ms, 0 {}", [7, 500, 1014, 123456, 1234567, 71234567, 81234567, 123456789][i as usize % 8], [b, 0][i as usize % 2], [1014, 7031, b][i as usize % 3]),
            format!("Event ID {} logged, id {a}", [1014, 7031, b][i as usize % 3]),
            // A code form whatever its digits: a run of nine or more.
            format!("job_{} of batch {a} ended", 100_000_000 + b),
            format!("build 10.0.{}.{a} of x{} on host{}", [0, 500, b][i as usize % 3], [64, 86, 65][i as usize % 3], [1, 2, 1014][i as usize % 3]),
        ]);
    }
    out
}

/// The generated server lines and every line of the fixture logs.
fn log_texts() -> Vec<String> {
    let mut texts = server_lines();
    for entry in std::fs::read_dir(data("")).unwrap().flatten() {
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            texts.extend(text.lines().map(str::to_string));
        }
    }
    texts
}

/// Records of one shape, each run of inert digits folded to one as the
/// scan remembers answers, give the same evidence and unmatched key.
#[test]
fn records_of_one_shape_give_the_same_evidence() {
    use kbgen::scan::matcher::match_record_full;
    use kbgen::scan::record::{Level, LogRecord};
    let sigs = kbgen::scan::Signatures::load(fixture_site()).unwrap();
    let aliases = kbgen::signature::events::Aliases::new(&Default::default());
    let texts = log_texts();
    let mut first_of_shape = std::collections::HashMap::new();
    let (mut shared, mut with_evidence, mut with_key, mut only_folded) = (0, 0, 0, 0);
    for (i, text) in texts.iter().enumerate() {
        // Half as errors, so unmatched keys are compared too.
        let level = [None, Some(Level::Error)][i % 2];
        let rec = LogRecord {
            text: text.clone(),
            level,
            ..LogRecord::default()
        };
        let Some(as_made) = sigs.prefilter.shape(&sigs, &rec) else {
            continue;
        };
        // As the scan remembers answers: each run of inert digits as one.
        let mut shape = as_made.clone();
        kbgen::scan::prefilter::fold_inert_digits(&mut shape);
        let outcome = match_record_full(&sigs, &rec, &aliases);
        let got = (outcome.evidence, outcome.unmatched);
        match first_of_shape.entry((shape, level)) {
            std::collections::hash_map::Entry::Occupied(first) => {
                let (first_text, first_got, first_made) = first.get();
                assert_eq!(first_got, &got, "{first_text}\n{text}");
                shared += 1;
                only_folded += usize::from(*first_made != as_made);
                with_evidence += usize::from(!got.0.is_empty());
                with_key += usize::from(got.1.is_some());
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert((text.clone(), got, as_made));
            }
        }
    }
    // Most generated lines share a shape with an earlier one, and some of
    // those have evidence or an unmatched key: the comparison was not empty.
    assert!(
        shared > texts.len() / 3,
        "{shared} of {} shared a shape",
        texts.len()
    );
    assert!(
        with_evidence > 100 && with_key > 100,
        "{with_evidence} shared lines with evidence, {with_key} with a key"
    );
    // Many share it only once their inert digits are folded.
    assert!(
        only_folded > 300,
        "{only_folded} shared a folded shape alone"
    );
}

/// A shape made by a skeleton's plan (made from the first record of that
/// skeleton) is the shape made in full, record by record; and records of
/// one skeleton with the same key under its plan have the same shape, so
/// they may share an answer.
#[test]
fn shapes_made_by_a_skeleton_plan_are_the_full_shapes() {
    use kbgen::scan::record::LogRecord;
    let sigs = kbgen::scan::Signatures::load(fixture_site()).unwrap();
    let pre = &sigs.prefilter;
    let mut plans: std::collections::HashMap<Vec<u8>, _> = std::collections::HashMap::new();
    let (mut compared, mut shared_keys, mut planned) = (0, 0, 0);
    let (mut key, mut in_full) = (Vec::new(), Vec::new());
    for text in log_texts() {
        let rec = LogRecord {
            text,
            ..LogRecord::default()
        };
        let mut skeleton = kbgen::scan::prefilter::Skeleton::default();
        if !pre.skeleton(&rec, &mut skeleton) {
            continue;
        }
        let first = !plans.contains_key(&skeleton.bytes);
        let (plan, shape_of_key) = plans.entry(skeleton.bytes.clone()).or_insert_with(|| {
            let shapes: std::collections::HashMap<Vec<u8>, Vec<u8>> = Default::default();
            (pre.plan(&sigs, &rec), shapes)
        });
        planned += usize::from(first);
        if let Some(plan) = plan {
            let full = pre.shape(&sigs, &rec).unwrap();
            let by_plan = pre.shape_by_plan(&sigs, &rec, plan, &skeleton);
            assert_eq!(
                String::from_utf8_lossy(&by_plan),
                String::from_utf8_lossy(&full),
                "{}",
                rec.text
            );
            compared += usize::from(!first);
            pre.key_by_plan(&sigs, &rec, plan, &skeleton, &mut key);
            pre.key_by_plan_in_full(&sigs, &rec, plan, &skeleton, &mut in_full);
            assert_eq!(key, in_full, "{}", rec.text);
            match shape_of_key.entry(key.clone()) {
                std::collections::hash_map::Entry::Occupied(want) => {
                    assert_eq!(
                        String::from_utf8_lossy(want.get()),
                        String::from_utf8_lossy(&full),
                        "{}",
                        rec.text
                    );
                    shared_keys += 1;
                }
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(full);
                }
            }
        }
    }
    // Most lines share a skeleton, and a key, with an earlier one.
    assert!(
        compared > 2000 && shared_keys > 1000,
        "{compared} compared, {shared_keys} shared keys, {planned} plans"
    );
}

#[test]
fn the_prefilter_skips_only_records_that_match_nothing() {
    use kbgen::scan::matcher::{match_record, match_record_full};
    use kbgen::scan::record::{Level, LogRecord};
    let sigs = kbgen::scan::Signatures::load(fixture_site()).unwrap();
    let aliases = kbgen::signature::events::Aliases::new(&Default::default());
    let texts = log_texts();
    let (mut skipped, mut matched, mut error_keys) = (0, 0, 0);
    for text in &texts {
        for level in [
            None,
            Some(Level::Info),
            Some(Level::Warning),
            Some(Level::Error),
        ] {
            let rec = LogRecord {
                text: text.clone(),
                level,
                ..LogRecord::default()
            };
            let fast = match_record(&sigs, &rec, &aliases);
            let full = match_record_full(&sigs, &rec, &aliases);
            assert_eq!(fast.evidence, full.evidence, "{level:?} {text}");
            assert_eq!(fast.unmatched, full.unmatched, "{level:?} {text}");
            skipped += usize::from(!sigs.prefilter.needs_analysis(&sigs, &rec));
            let need = sigs.prefilter.need(&sigs, &rec);
            error_keys += usize::from(need == kbgen::scan::prefilter::Need::ErrorKey);
            matched += usize::from(!full.evidence.is_empty());
        }
    }
    // Both paths were taken: the test compared something.
    assert!(
        skipped > texts.len() / 2,
        "{skipped} of {} skipped",
        texts.len() * 4
    );
    assert!(matched > 100, "{matched} matched");
    // Errors that can match nothing were masked from their noise alone.
    assert!(error_keys > 100, "{error_keys} error keys");
}

/// Every line of the 380 shared articles as a log record, against the
/// knowledge base they make: the answer a scan counts (prefilter, shapes
/// and skeleton plans, answers remembered across batches) is the full analysis's, record by
/// record. Real prose holds the forms generated lines miss (codes ending a
/// sentence, labels, names with joiners).
#[test]
fn scanning_real_prose_gives_what_the_full_analysis_gives() {
    use kbgen::scan::matcher::match_record_full;
    use kbgen::scan::record::{Level, LogRecord};
    let Some(corpus) = corpus() else { return };
    let built = build(&repo(), &corpus, &["-q", "--broken-links", "warn"]);
    assert!(built.output.status.success(), "{}", built.stderr());
    let sigs = kbgen::scan::Signatures::load(&built.out).unwrap();
    let aliases = kbgen::signature::events::Aliases::new(&Default::default());
    let mut records = Vec::new();
    for entry in walkdir::WalkDir::new(&corpus).into_iter().flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let level = [None, Some(Level::Error)][records.len() % 2];
            records.push(LogRecord {
                text: line.to_string(),
                level,
                ..LogRecord::default()
            });
        }
    }
    // And the generated server lines, whose skeletons repeat, against
    // the corpus's many template words with digits.
    for text in server_lines() {
        let level = [None, Some(Level::Error)][records.len() % 2];
        records.push(LogRecord {
            text,
            level,
            ..LogRecord::default()
        });
    }
    let mut memo = kbgen::scan::shapes::Memo::default();
    let (mut with_evidence, mut keys) = (0, 0);
    for batch in records.chunks(4096) {
        let refs: Vec<&LogRecord> = batch.iter().collect();
        let resolved = memo.resolve(&sigs, &aliases, &refs);
        for (rec, got) in batch.iter().zip(resolved.per_record()) {
            let full = match_record_full(&sigs, rec, &aliases);
            assert_eq!(got.evidence, full.evidence, "{}", rec.text);
            assert_eq!(got.unmatched, full.unmatched, "{}", rec.text);
            with_evidence += usize::from(!full.evidence.is_empty());
            keys += usize::from(full.unmatched.is_some());
        }
    }
    eprintln!(
        "{} lines: {with_evidence} with evidence, {keys} unmatched keys",
        records.len()
    );
    assert!(
        with_evidence > 1000 && keys > 1000,
        "{with_evidence} {keys}"
    );
}

/// `kbgen scan --json` of `log`, with `KBGEN_SCAN_REGIONS` set to
/// `regions`: from the file, or from stdin (always read as one stream)
/// with its examples' `-` named as the file.
fn scan_regions(log: &Path, regions: &str, stdin: bool) -> (Value, i32) {
    let site = fixture_site();
    let kb = data("kb");
    let path = log.to_str().unwrap();
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_kbgen"));
    c.current_dir(site.parent().unwrap())
        .env("KBGEN_SCAN_REGIONS", regions)
        .args(["scan", "--json", "--unmatched", "1000", "-o"])
        .args([site.to_str().unwrap(), "-s", kb.to_str().unwrap()]);
    if stdin {
        c.arg("-").stdin(std::fs::File::open(log).unwrap());
    } else {
        c.arg(path);
    }
    let o = c.output().unwrap();
    let mut text = String::from_utf8(o.stdout).unwrap();
    if stdin {
        text = text.replace("\"-:", &format!("\"{path}:"));
    }
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (v, o.status.code().unwrap_or(-1))
}

/// Fails at the first line where the reports differ.
fn assert_same(split: &Value, one: &Value, regions: &str) {
    let a = serde_json::to_string_pretty(split).unwrap();
    let b = serde_json::to_string_pretty(one).unwrap();
    if let Some((n, (x, y))) = a
        .lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
    {
        panic!("{regions} regions, line {n} of the report: {x} (one stream: {y})");
    }
    assert_eq!(a.lines().count(), b.lines().count(), "{regions} regions");
}

/// A log of the fixture knowledge base's kinds of lines, numbers changed on
/// every line: CBS.log codes, relay errors, Java errors with their stack
/// traces, routine lines, and error lines of a few hundred kinds that no
/// article has. Its second half has sshd lines and error lines of its
/// own, whose examples come from there.
fn long_log(lines: usize, crlf_every: usize) -> String {
    let first = ["gear", "valve", "spool", "rotor", "cable", "panel", "latch"];
    let second = [
        "crank", "pivot", "shaft", "brake", "clamp", "screw", "wedge",
    ];
    let mut out = String::from("\u{feff}preamble without a timestamp\n");
    let mut x: u64 = 17;
    for i in 0..lines {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let n = (x >> 33) % 100_000;
        let ts = format!(
            "2024-05-{:02} {:02}:{:02}:{:02}",
            2 + i / 86_400 % 20,
            i / 3600 % 24,
            i / 60 % 60,
            i % 60
        );
        let words = if i < lines / 2 { first } else { second };
        let line = match (x >> 20) % 6 {
            0 => format!("{ts}, Info                  CBS    Failed to find package: Package_for_KB{n}~31bf3856ad364e35~amd64~~10.0.{}.1 from the index mapping [HRESULT = 0x800f090d - CBS_E_MISSING_PACKAGE_MAPPING_INDEX]", n % 97),
            1 => format!("{ts} ERROR The Fabrikam Relay service terminated with the following error: Access is denied. (0x80070005) pid {n}"),
            2 => format!("{ts} ERROR [pool-{}-thread-1] com.contoso.billing.Sync - sync failed\njava.lang.IllegalStateException: Name resolution for the name billing-db.contoso.local timed out after none of the configured DNS servers responded.\n\tat com.contoso.billing.Sync.connect(Sync.java:{})", n % 9, n % 300),
            3 => format!("{ts} INFO  [main] com.contoso.billing.App - started in {}.{} s", n % 9, n % 7),
            4 => format!(
                "{ts} ERROR {} {} of line {} is out of {}",
                words[(n % 7) as usize],
                words[(n / 7 % 7) as usize],
                (b'a' + (n / 49 % 6) as u8) as char,
                words[(n / 300 % 7) as usize]
            ),
            // Syslog's stamps have no year: first and last must not
            // depend on how the records were grouped.
            5 if i > lines / 2 => format!(
                "{} bastion01 sshd[{n}]: Failed password for invalid user u{n} from 203.0.113.{} port {} ssh2",
                match n % 3 {
                    0 => ts,
                    1 => format!("May {:2} {}", 1 + n % 28, &ts[11..]),
                    _ => format!("{}{}", 2020 + n % 7, &ts[4..]),
                },
                n % 250,
                n % 60_000
            ),
            _ => format!("{ts} WARN  cache eviction of {n} entries took {} ms", n % 1000),
        };
        out.push_str(&line);
        out.push_str(if crlf_every > 0 && i % crlf_every == 0 {
            "\r\n"
        } else {
            "\n"
        });
    }
    out
}

/// A text log read in regions side by side gives the report of reading it
/// as one stream: the same counts, times, strongest matches, examples
/// (their line numbers counted from the file's start) and unmatched list.
#[test]
fn a_log_read_in_regions_gives_the_one_stream_report() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("long.log");
    std::fs::write(&log, long_log(60_000, 7)).unwrap();
    let (one, code) = scan_regions(&log, "1", true);
    assert_eq!(code, 0);
    assert_eq!(one["records"], 60_001);
    assert!(one["articles"].as_array().unwrap().len() >= 3, "{one:#}");
    assert!(one["unmatched"].as_array().unwrap().len() > 100, "{one:#}");
    for regions in ["1", "2", "3", "7"] {
        let (split, code) = scan_regions(&log, regions, false);
        assert_eq!(code, 0);
        assert_same(&split, &one, regions);
    }
}

/// A header met past the first region (an IIS log restarted inside a
/// plain one) sets a layout for the lines after it: the log is read again
/// as one stream, and the report is that stream's.
#[test]
fn a_layout_header_past_the_first_region_reads_the_log_as_one_stream() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("mixed.log");
    let mut text = long_log(20_000, 0);
    text.push_str(&std::fs::read_to_string(data("iis.log")).unwrap());
    text.push_str(&long_log(20_000, 0).replace('\u{feff}', ""));
    std::fs::write(&log, text).unwrap();
    let (one, _) = scan_regions(&log, "1", true);
    let iis = one["articles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["source"] == "iis-500-19-config-invalid.md");
    assert!(iis, "{one:#}");
    for regions in ["2", "4"] {
        assert_same(&scan_regions(&log, regions, false).0, &one, regions);
    }
}

/// Syslog's stamps have no year. An article's first and last times are
/// the same whether its records were counted in one region or several:
/// here the last is the 2025 line, whichever way the records are grouped.
#[test]
fn first_and_last_times_do_not_depend_on_the_regions() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("mixed-times.log");
    let sshd = |stamp: &str, n: u32| {
        format!("{stamp} bastion01 sshd[{n}]: Failed password for invalid user u{n} from 203.0.113.{n} port 5{n} ssh2\n")
    };
    let mut text = sshd("2020-05-20 10:00:00", 1);
    for i in 0..20_000 {
        text.push_str(&format!("2024-05-02 10:00:00 INFO routine line {i}\n"));
    }
    text.push_str(&sshd("May 10 10:00:00", 2));
    text.push_str(&sshd("2025-05-01 10:00:00", 3));
    std::fs::write(&log, text).unwrap();
    let (one, code) = scan_regions(&log, "1", true);
    assert_eq!(code, 0);
    let sshd = one["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["source"] == "sshd-failed-password.md")
        .unwrap_or_else(|| panic!("no sshd article in {one:#}"));
    assert_eq!(sshd["count"], 3);
    assert_eq!(sshd["first"], "May 10 10:00:00");
    assert_eq!(sshd["last"], "2025-05-01T10:00:00");
    assert_same(&scan_regions(&log, "2", false).0, &one, "2");
}
