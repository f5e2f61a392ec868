//! Events written as text: Event Viewer copies (`Log Name:` / `Source:` /
//! `Event ID:`), key=value pairs, prose (`W3SVC event 1011`, `event 1011
//! from W3SVC`), `Get-WinEvent` output in list and table form, and IDs with
//! no source at all, which become bare events.

use super::infer_template;
use crate::extract::{BareEvent, EventRef, Origin, Signature};
use crate::markdown::Block;
use crate::signature::events::Aliases;
use crate::signature::EventKey;
use regex::Regex;

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
    r"(?i)^\s*(?:event\s+type|level|type|leveldisplayname)\s*:\s*(\w+)"
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
re!(
    description_re,
    r"(?i)^\s*(?:description|message)\s*:\s*(.*)$"
);
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
        for c in event_id_re().captures_iter(text) {
            if let Ok(id) = c[1].parse::<u32>() {
                out.push(Mention {
                    line,
                    id,
                    strong: true,
                });
            }
        }
        if let Some(id) = list_id_re()
            .captures(text)
            .and_then(|c| c[1].parse::<u32>().ok())
        {
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
    let mut found = Vec::new();
    for (k, g) in groups.iter().enumerate() {
        let last = g.last().map_or(0, |m| m.line);
        let end = starts
            .get(k + 1)
            .map_or(lines.len(), |&next| next.max(last + 1));
        let strong = g.iter().any(|m| m.strong);
        found.extend(event_segment(
            &lines[starts[k]..end],
            g[0].id,
            strong,
            block,
            aliases,
        ));
    }
    found
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
            re.captures(l).and_then(|c| {
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
