//! Events written as text: Event Viewer copies (`Log Name:` / `Source:` /
//! `Event ID:`), key=value pairs, prose (`W3SVC event 1011`, `event 1011
//! from W3SVC`), `Get-WinEvent` output in list and table form, and IDs with
//! no source at all, which become bare events.

use super::{captures, captures_iter, infer_template, says};
use crate::markdown::Block;
use crate::signature::events::Aliases;
use crate::signature::{BareEvent, EventKey, EventRef, Origin, Signature};
use regex::Regex;
use sources::{source_after, source_before};

mod sources;

re!(
    event_id_re,
    r"(?i)(?:\bevent\s*id\b\s*:?\s*|\beventid\s*[:=]\s*|<eventid[^>]*>\s*|\bevent\s+)(\d{1,5})\b"
);
re!(
    source_re,
    r#"(?i)^\s*(?:event\s+)?source\s*:\s*(.+?)\s*$|\bsource\s*=\s*"?([A-Za-z][\w .$-]*?)"?(?:\s|$)|provider\s+name\s*=\s*['"]([^'"]+)['"]|^\s*providername\s*:\s*(.+?)\s*$"#
);
re!(
    level_re,
    r"(?i)^\s*(?:event\s+type|level|type|leveldisplayname)\s*:\s*([a-z]\w*)"
);
re!(list_id_re, r"(?i)^\s*id\s*:\s*(\d{1,5})\s*$");
re!(
    record_header_re,
    r"(?i)^\s*(?:log\s*name|(?:event\s+)?source|providername|timecreated)\b"
);
re!(log_re, r"(?i)^\s*log\s*name\s*:\s*(.+?)\s*$");
re!(
    log_in_prose_re,
    r"(?i)\b(?:in|to) the (system|application|security|setup|directory service|dns server|dfs replication|file replication service) (?:event )?log\b"
);
re!(prose_id_re, r"(?i)\bevent(?:\s*id)?\s*[:#]?\s*(\d{1,5})\b");
// After the ID: `from W3SVC`, `from source W3SVC`, `with source TermDD`.
re!(
    source_after_re,
    r#"^\s*,?\s*(?i:(?:is |was )?(?:logged )?(?:from|with|by) (?:the )?)(?P<kw>(?i:(?:event )?source(?: name)?)\s*:?\s)?\s*["']?(?P<src>[A-Za-z][\w$.-]*(?: [A-Z][\w$.-]*){0,3})"#
);
re!(
    table_header_re,
    r"(?i)^\s*timecreated\s+id\s+leveldisplayname\s+message\s*$"
);
re!(
    table_row_re,
    r"(?i)^\s*(\S.*?)\s+(\d{1,5})\s+(critical|error|warning|information|verbose)\s+(.*?)\s*$"
);
re!(table_provider_re, r"(?i)^\s*providername\s*:\s*(.+?)\s*$");
// A `Name : value` line of `Format-List` output ends a multi-line message.
re!(list_field_re, r"^\s*[A-Z][A-Za-z]*\s+:\s");
re!(
    description_re,
    r"(?i)^\s*(?:description|message)\s*:\s*(.*)$"
);
/// Whether `line`, past its leading white space, starts with `word`
/// (lower-case ASCII) in ASCII letters of either case: the patterns that
/// start `^\s*word` under `(?i)` cannot match another line (no other
/// character folds to a letter of these words), and this test costs less
/// than a pattern's search, run on every line of every block.
fn leads_with(line: &str, word: &str) -> bool {
    line.trim_start()
        .as_bytes()
        .get(..word.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(word.as_bytes()))
}

/// An event ID where it is written: line, ID, and whether it may stand
/// alone as a bare ID (a lone `Id : 5` line is an event only beside a
/// `ProviderName`, as in `Get-WinEvent | Format-List` output).
#[derive(Debug, Clone, Copy)]
struct Mention {
    line: usize,
    id: u32,
    strong: bool,
}

fn mentions(lines: &[String]) -> Vec<Mention> {
    let mut out = Vec::new();
    for (line, text) in lines.iter().enumerate() {
        let ids = says(text, "event").then(|| captures_iter(event_id_re(), text));
        for c in ids.into_iter().flatten() {
            if let Ok(id) = c[1].parse::<u32>() {
                out.push(Mention {
                    line,
                    id,
                    strong: true,
                });
            }
        }
        let listed = leads_with(text, "id").then(|| captures(list_id_re(), text));
        if let Some(id) = listed.flatten().and_then(|c| c[1].parse::<u32>().ok()) {
            out.push(Mention {
                line,
                id,
                strong: false,
            });
        }
    }
    out
}

/// Event blocks: an ID with a source in the same record, plus level, log
/// and description; an ID with no source in its record is a bare event.
pub(super) fn events(lines: &[String], block: &Block, aliases: &Aliases) -> Vec<Signature> {
    let mut found = inline_events(lines, block, aliases);
    found.extend(winevent_table(lines, block, aliases));
    let sourced: std::collections::HashSet<u32> = found
        .iter()
        .filter_map(|s| s.event.as_ref().map(|e| e.key.id))
        .collect();
    // Consecutive mentions of one ID are one record (the seed repeats its ID).
    let mut groups: Vec<Vec<Mention>> = Vec::new();
    for m in mentions(lines) {
        match groups.last_mut() {
            Some(g) if g[0].id == m.id => g.push(m),
            _ => groups.push(vec![m]),
        }
    }
    let starts: Vec<usize> = groups
        .iter()
        .enumerate()
        .map(|(k, g)| match k {
            0 => 0,
            _ => record_start(
                lines,
                groups[k - 1].last().map_or(0, |m| m.line + 1),
                g[0].line,
            ),
        })
        .collect();
    for (k, g) in groups.iter().enumerate() {
        let last = g.last().map_or(0, |m| m.line);
        let end = starts
            .get(k + 1)
            .map_or(lines.len(), |&next| next.max(last + 1));
        let strong = g.iter().any(|m| m.strong);
        let sig = event_segment(&lines[starts[k]..end], g[0].id, strong, block, aliases);
        // A bare ID the same line already gave with its source says nothing new.
        found.extend(sig.filter(|s| s.event.is_some() || !sourced.contains(&g[0].id)));
    }
    found
}

fn extracted_event(
    source: String,
    id: u32,
    log: Option<String>,
    level: Option<String>,
    message: Option<crate::signature::Template>,
    block: &Block,
    aliases: &Aliases,
) -> Signature {
    Signature {
        event: Some(EventRef {
            key: EventKey::new(&source, id, aliases),
            source_name: source,
            log,
            level,
        }),
        bare_event: None,
        message,
        codes: Vec::new(),
        origin: Origin::Extracted,
        line: block.line,
    }
}

/// Events written in one sentence with their source: `W3SVC event 1011`,
/// `Service Control Manager event ID 7000`, `event 1011 from W3SVC`,
/// `event ID 56 with source TermDD`.
fn inline_events(lines: &[String], block: &Block, aliases: &Aliases) -> Vec<Signature> {
    let mut out = Vec::new();
    for line in lines.iter().filter(|l| says(l, "event")) {
        for c in captures_iter(prose_id_re(), line) {
            let (Some(whole), Ok(id)) = (c.get(0), c[1].parse::<u32>()) else {
                continue;
            };
            let source = source_after(&line[whole.end()..], aliases)
                .or_else(|| source_before(&line[..whole.start()], aliases));
            if let Some(source) = source {
                let log = log_in_prose_re().captures(line).map(|c| c[1].to_string());
                out.push(extracted_event(source, id, log, None, None, block, aliases));
            }
        }
    }
    out
}

/// `Get-WinEvent` in its default table form: a `ProviderName: X` line, a
/// `TimeCreated Id LevelDisplayName Message` header, then one row per event.
fn winevent_table(lines: &[String], block: &Block, aliases: &Aliases) -> Vec<Signature> {
    let mut out = Vec::new();
    let mut provider: Option<String> = None;
    let mut in_table = false;
    for line in lines {
        let named = leads_with(line, "providername").then(|| captures(table_provider_re(), line));
        if let Some(c) = named.flatten() {
            provider = Some(c[1].to_string());
            in_table = false;
        } else if leads_with(line, "timecreated") && table_header_re().is_match(line) {
            in_table = provider.is_some();
        } else if let (true, Some(p)) = (in_table, &provider) {
            // Only lines inside a table are rows.
            let Some(c) = captures(table_row_re(), line) else {
                continue;
            };
            let Ok(id) = c[2].parse::<u32>() else {
                continue;
            };
            // Rows are cut to the console width: drop the ellipsis.
            let text = c[4].trim_end_matches("...").trim_end_matches('\u{2026}');
            let message = (text.len() >= 10).then(|| infer_template(text));
            out.push(extracted_event(
                p.clone(),
                id,
                None,
                Some(c[3].to_string()),
                message,
                block,
                aliases,
            ));
        }
    }
    out
}

/// The first line of the record holding line `at`, searching from `from`:
/// after the last blank line, else at the first header line (`Log Name:`,
/// `Source:`, `TimeCreated`), else `at` itself.
fn record_start(lines: &[String], from: usize, at: usize) -> usize {
    let from = from.min(at);
    if let Some(blank) = (from..at).rev().find(|&j| lines[j].trim().is_empty()) {
        return blank + 1;
    }
    (from..at)
        .find(|&j| record_header_re().is_match(&lines[j]))
        .unwrap_or(at)
}

fn event_segment(
    lines: &[String],
    id: u32,
    may_stand_alone: bool,
    block: &Block,
    aliases: &Aliases,
) -> Option<Signature> {
    let first = |re: &Regex| {
        lines.iter().find_map(|l| {
            captures(re, l).and_then(|c| {
                c.iter()
                    .skip(1)
                    .flatten()
                    .next()
                    .map(|m| m.as_str().trim().to_string())
            })
        })
    };
    let source = first(source_re()).filter(|s| !s.is_empty() && s.len() <= 80);
    if source.is_none() && !may_stand_alone {
        return None;
    }
    let level = first(level_re());
    let log = first(log_re()).or_else(|| first(log_in_prose_re()));
    let message = lines
        .iter()
        .position(|l| description_re().is_match(l))
        .map(|i| {
            let inline = description_re()
                .captures(&lines[i])
                .map(|c| c[1].trim().to_string())
                .unwrap_or_default();
            let rest: Vec<&str> = lines[i + 1..]
                .iter()
                .take_while(|l| !list_field_re().is_match(l))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect();
            let mut text = inline;
            for r in rest {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(r);
            }
            text
        });
    let message = message
        .filter(|m| m.len() >= 10)
        .map(|m| infer_template(&m));
    let (event, bare_event) = match source {
        Some(source) => (
            Some(EventRef {
                key: EventKey::new(&source, id, aliases),
                source_name: source,
                log,
                level,
            }),
            None,
        ),
        None => (None, Some(BareEvent { id, log, level })),
    };
    Some(Signature {
        event,
        bare_event,
        message,
        codes: Vec::new(),
        origin: Origin::Extracted,
        line: block.line,
    })
}

/// The one event ID a block names, when it names exactly one: the
/// sentence before a record copied without its ID line ("event 7031 is
/// logged:").
pub(super) fn lone_id(lines: &[String]) -> Option<u32> {
    let mut ids = lines
        .iter()
        .flat_map(|l| captures_iter(event_id_re(), l).filter_map(|c| c[1].parse::<u32>().ok()));
    let first = ids.next()?;
    ids.all(|id| id == first).then_some(first)
}

/// Whether a block is an Event Viewer record with a `Source:` line but no
/// ID of its own.
pub(super) fn record_without_id(lines: &[String]) -> bool {
    lines
        .iter()
        .any(|l| record_header_re().is_match(l) && source_re().is_match(l))
        && !lines.iter().any(|l| {
            (says(l, "event") && event_id_re().is_match(l))
                || (leads_with(l, "id") && list_id_re().is_match(l))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The patterns skipped on lines that do not say their word match none of
    /// those lines.
    #[test]
    fn lines_without_the_word_match_none_of_its_patterns() {
        let lines = crate::test_strings::with_random(
            &[
                "Event ID: 7031",
                "EVENT 1014",
                "eventid=4625",
                "<EventID>41</EventID>",
                "Ｅvent 7",
                "event",
                "Error: the service did not start in time",
                "ERROR message is: access is denied again",
                "Evеnt 1014 (Cyrillic e)",
                "ᴇvent 12",
                "the event log",
                "an error",
            ],
            "eEvVnNtTiIdDrRoO: =<>0123456789 \tĖéƐ",
            4000,
            30,
            0x51_7cc1_b727_220a,
        );
        let (mut events, mut errors) = (0, 0);
        for l in &lines {
            if says(l, "event") {
                events += 1;
            } else {
                assert!(!event_id_re().is_match(l), "{l:?}");
                assert!(!prose_id_re().is_match(l), "{l:?}");
            }
            if says(l, "error") {
                errors += 1;
            } else {
                assert!(!super::super::error_line_re().is_match(l), "{l:?}");
            }
        }
        assert!(events > 3 && errors > 1, "the test reaches the matches");
    }

    /// The line patterns skipped on lines that do not lead with their word
    /// match none of those lines.
    #[test]
    fn lines_not_led_by_the_word_match_none_of_its_line_patterns() {
        let lines = crate::test_strings::with_random(
            &[
                "Id : 7031",
                "  ID:5",
                "\u{2003}id : 12",
                "ProviderName: Service Control Manager",
                " providername : x",
                "TimeCreated Id LevelDisplayName Message",
                "\ttimecreated   id leveldisplayname message ",
                "İd : 5",
                "ıd : 5",
                "the Id : 5",
            ],
            "iIıİdD :5 \tprovidenameTIMCRAD\u{2003}",
            4000,
            24,
            0x2f6b_3c11,
        );
        let mut led = 0;
        for l in &lines {
            for (word, pattern) in [
                ("id", list_id_re()),
                ("providername", table_provider_re()),
                ("timecreated", table_header_re()),
            ] {
                if leads_with(l, word) {
                    led += usize::from(pattern.is_match(l));
                } else {
                    assert!(!pattern.is_match(l), "{l:?} {word}");
                }
            }
        }
        assert!(led >= 7, "the test reaches the matches: {led}");
    }
}
