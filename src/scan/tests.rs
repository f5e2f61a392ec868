//! Unit tests of the scan's parts: timestamps, levels, the line reader's
//! record splitting, event XML, the unmatched counter.

use super::formats::event_xml;
use super::input::{detect, Format, Utf16};
use super::record::Level;
use super::record::LogRecord;
use super::stamp::{self, at_line_start};
use super::unmatched::{missing, Counter, CAPACITY};
use std::io::Read;

fn shown(s: &str) -> String {
    at_line_start(s)
        .map(|(t, _)| t.to_string())
        .unwrap_or_default()
}

#[test]
fn timestamps_in_the_usual_forms() {
    assert_eq!(
        shown("2024-02-19T11:03:52.123Z x"),
        "2024-02-19T11:03:52.123"
    );
    assert_eq!(
        shown("2024-02-19 11:03:52, Error CSI"),
        "2024-02-19T11:03:52"
    );
    assert_eq!(
        shown("[2024-02-19 11:03:52.5] x"),
        "2024-02-19T11:03:52.500"
    );
    assert_eq!(shown("2/19/2024 1:03:52 PM"), "2024-02-19T13:03:52");
    assert_eq!(
        shown("02/19/2024 11:03:52.12 \tw3wp.exe"),
        "2024-02-19T11:03:52.120"
    );
    assert_eq!(shown("Feb 19 11:03:52 host sshd[1]: x"), "Feb 19 11:03:52");
    assert_eq!(shown("Feb  9 01:03:52 host x"), "Feb  9 01:03:52");
    assert_eq!(shown("2024-13-19 11:03:52"), "");
    assert_eq!(shown("1234 is not a time"), "");
    // The zone is read past but not applied.
    let (_, len) = at_line_start("2024-02-19T11:03:52+01:00 rest").unwrap();
    assert_eq!(len, "2024-02-19T11:03:52+01:00".len());
    assert_eq!(
        stamp::parse("2024-02-19").map(|s| s.to_string()).as_deref(),
        Some("2024-02-19T00:00:00")
    );
    assert_eq!(
        stamp::Stamp::from_epoch_micros(1_708_340_632_123_456).to_string(),
        "2024-02-19T11:03:52.123"
    );
}

#[test]
fn level_words() {
    assert_eq!(Level::from_word("ERROR"), Some(Level::Error));
    assert_eq!(Level::from_word("Warning"), Some(Level::Warning));
    assert_eq!(Level::from_word("Unexpected"), Some(Level::Error));
    assert_eq!(Level::from_word("Info"), Some(Level::Info));
    assert_eq!(Level::from_word("CSI"), None);
    assert!(Level::Critical < Level::Error);
    // Every level word gets past the first-letter test, in any case.
    for word in [
        "critical",
        "crit",
        "fatal",
        "emerg",
        "emergency",
        "alert",
        "panic",
        "error",
        "err",
        "unexpected",
        "severe",
        "audit failure",
        "warning",
        "warn",
        "monitorable",
        "information",
        "info",
        "informational",
        "notice",
        "audit success",
        "high",
        "medium",
        "verbose",
        "debug",
        "trace",
        "dbg",
        "vrb",
    ] {
        let upper = word.to_ascii_uppercase();
        assert!(Level::from_word(word).is_some(), "{word}");
        assert_eq!(Level::from_word(&upper), Level::from_word(word), "{upper}");
    }
}

#[test]
fn formats_are_told_from_content() {
    assert_eq!(detect(b"ElfFile\0....", "x.log"), Format::Evtx);
    assert_eq!(detect(b"<Events><Event xmlns=", "x"), Format::EventXml);
    assert_eq!(detect(b"[\r\n  {\r\n \"Id\": 1", "x.txt"), Format::Json);
    assert_eq!(detect(b"{\"MESSAGE\":\"x\"}\n", "x"), Format::Json);
    assert_eq!(
        detect(
            b"Level,Date and Time,Source,Event ID,Task Category\r\n",
            "x"
        ),
        Format::Table(b',')
    );
    assert_eq!(
        detect(
            b"Level\tDate and Time\tSource\tEvent ID\tTask Category\r\n",
            "x"
        ),
        Format::Table(b'\t')
    );
    assert_eq!(
        detect(b"\r\n\r\nTimeCreated  : 2/19/2024", "x"),
        Format::Blocks
    );
    assert_eq!(detect(b"[ERROR] something", "x"), Format::Text);
    assert_eq!(
        detect(b"2024-02-19 11:03:52, Info", "CBS.log"),
        Format::Text
    );
}

#[test]
fn utf16_exports_read_as_utf8() {
    let text = "Level,Date and Time\r\n\u{e9}\u{1f600} ok\r\n";
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    // One byte at a time, so units and surrogate pairs are split across reads.
    struct Dribble(Vec<u8>, usize);
    impl Read for Dribble {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.1 >= self.0.len() || buf.is_empty() {
                return Ok(0);
            }
            buf[0] = self.0[self.1];
            self.1 += 1;
            Ok(1)
        }
    }
    let mut out = String::new();
    Utf16::new(Dribble(bytes, 0))
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out, text);
}

#[test]
fn event_xml_gives_provider_id_level_time_and_strings() {
    let xml = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
        <Provider Name='Microsoft-Windows-DistributedCOM' Guid='{1B562E86-B7AA-4131-BADC-B6F3A001407E}' \
        EventSourceName='DCOM'/><EventID Qualifiers='0'>10016</EventID><Level>2</Level>\
        <TimeCreated SystemTime='2019-03-04T10:11:12.345678Z'/></System><EventData>\
        <Data Name='param1'>application-specific</Data><Data Name='param2'>Local</Data>\
        <Data Name='param3'>Activation &amp; more</Data><Binary>00FF</Binary></EventData></Event>";
    let rec = event_xml::event(xml, 7).unwrap();
    assert_eq!(rec.sources, ["Microsoft-Windows-DistributedCOM", "DCOM"]);
    assert_eq!(rec.event_id, Some(10016));
    assert_eq!(rec.level, Some(Level::Error));
    assert_eq!(rec.time.unwrap().to_string(), "2019-03-04T10:11:12.345");
    assert_eq!(rec.text, "application-specific | Local | Activation & more");
    assert!(event_xml::event("<System></System>", 1).is_none());
}

#[test]
fn unmatched_keys_mask_variable_parts() {
    let key = |text: &str| {
        let rec = LogRecord {
            text: text.into(),
            ..LogRecord::default()
        };
        missing(&rec, None).unwrap().key
    };
    assert_eq!(
        key("Failed to open C:\\data\\file42.txt for process 1234 at 11:03:52"),
        "Failed to open C:\\data\\file#.txt for process # at *"
    );
    // Numbered hosts and users are one key; a GUID and a level word are
    // noise (`fatal`; `error` is a word the analyser keeps).
    assert_eq!(
        key("ERROR web07 sshd[311]: Failed password for u4412 request {0f8fad5b-d9cb-469f-a165-70867728950e}"),
        key("ERROR web12 sshd[90210]: Failed password for u7 request {7c9e6679-7425-40de-944b-e07fc1f90ae7}"),
    );
    assert_eq!(
        key("FATAL web07  sshd[311]: Failed\tpassword for u4412"),
        "* web# sshd[#]: Failed password for u#"
    );
    // A code in hex is kept: each is an article of its own to write.
    assert_eq!(
        key("ERROR Sync failed with 0x8007003F (pid 4412)"),
        "ERROR Sync failed with 0x8007003F (pid #)"
    );
    assert_ne!(
        key("ERROR Sync failed with 0x8007003f"),
        key("ERROR Sync failed with 0x8007004f")
    );
    let info = LogRecord {
        text: "Service started".into(),
        level: Some(Level::Info),
        ..LogRecord::default()
    };
    assert!(missing(&info, None).is_none());
}

#[test]
fn unmatched_counter_stays_bounded_and_keeps_the_frequent() {
    let mut c = Counter::default();
    for i in 0..(CAPACITY as u64 * 3) {
        let key = if i % 3 == 0 {
            "often".to_string()
        } else {
            format!("rare {i}")
        };
        let m = super::unmatched::Missing {
            key,
            title: String::new(),
        };
        c.add(Some(&m), 1, String::new);
    }
    let top = c.top(1);
    assert_eq!(top[0].key, "often");
    assert!(c.pruned);
    assert_eq!(c.total, CAPACITY as u64 * 3);
}

#[test]
fn every_format_name_is_one_format() {
    let named: Vec<Format> = Format::NAMES
        .iter()
        .filter_map(|n| Format::named(n))
        .collect();
    assert_eq!(named.len(), Format::NAMES.len());
    for (i, f) in named.iter().enumerate() {
        assert!(!named[i + 1..].contains(f), "{f:?} named twice");
    }
    assert_eq!(Format::named("TEXT"), Some(Format::Text));
    assert_eq!(Format::named("syslog"), None);
}

/// A record filled again after the tally is done with it starts empty:
/// nothing of the last record it held shows in the next.
#[test]
fn a_cleared_record_is_an_empty_one() {
    let mut r = LogRecord {
        at: 7,
        time: stamp::parse("2024-02-19 11:03:52"),
        level: Some(Level::Error),
        sources: vec!["Service Control Manager".into()],
        event_id: Some(7031),
        text: "The service terminated unexpectedly.".into(),
    };
    r.clear();
    assert_eq!(r, LogRecord::default());
    assert!(r.text.capacity() > 0, "the text keeps its allocation");
}

/// Regions given up for one stream told the progress line of their
/// records; the stream then tells it only of those past them, so the
/// line ends at the log's count of records, not near twice that.
#[test]
fn a_log_read_again_is_counted_once_on_the_progress_line() {
    let mut told = super::Retold::default();
    let mut heard: Vec<u64> = [100, 50, 30].map(|n| told.first(n)).to_vec();
    heard.extend(
        [64, 64, 64, 64]
            .map(|n| told.again(n))
            .iter()
            .filter(|&&n| n > 0),
    );
    assert_eq!(heard, [100, 50, 30, 12, 64]);
    assert_eq!(heard.iter().sum::<u64>(), 256);
}

/// A log read as one stream is matched on a pool of its own, of at most
/// `MOST_THREADS` threads, even while every thread of the scans' pool is
/// held by a reader waiting for its matching (as when `kbgen serve` scans
/// several posted logs at once).
#[test]
fn one_streams_matching_runs_on_a_pool_of_its_own() {
    use rayon::prelude::*;
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let names = super::on_scan_threads(|| {
            rayon::broadcast(|_| {
                // This reader waits for its matching, on another thread.
                std::thread::scope(|s| {
                    s.spawn(|| {
                        super::on_match_threads(|| {
                            (0..2_000)
                                .into_par_iter()
                                .map(|_| std::thread::current().name().map(str::to_string))
                                .collect::<std::collections::BTreeSet<_>>()
                        })
                    })
                    .join()
                    .expect("the matching ran")
                })
            })
        });
        let _ = done.send(
            names
                .into_iter()
                .flatten()
                .collect::<std::collections::BTreeSet<_>>(),
        );
    });
    let names = finished
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the matching waited for a thread its readers held");
    assert!(!names.is_empty());
    for name in &names {
        assert!(
            name.as_deref()
                .is_some_and(|n| n.starts_with("kbgen-match-")),
            "{names:?}"
        );
    }
    assert!(names.len() <= super::MOST_THREADS, "{names:?}");
}
