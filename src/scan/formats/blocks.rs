//! `Key : Value` blocks, one per event: `Get-WinEvent | Format-List`
//! (`TimeCreated : …`, `ProviderName : …`, `Id : …`, `Message : …`) and
//! the text Event Viewer copies from an event (`Log Name:`, `Source:`,
//! `Event ID:`, `Description:` and the message on the lines after it).
//! Only known keys start a field, so a message line such as `Error: 5`
//! stays in the message; a block ends where the file's first key comes again.

use super::lines::Lines;
use crate::scan::input::Batcher;
use crate::scan::record::{Level, LogRecord};
use crate::scan::stamp;
use std::io::{self, BufRead};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Time,
    Source,
    Id,
    Level,
    Message,
    /// Event Viewer's `Event Xml:`: what follows is not the message.
    Xml,
    Other,
}

fn key(name: &str) -> Option<Key> {
    Some(match name {
        "TimeCreated" | "Date" | "TimeGenerated" => Key::Time,
        "ProviderName" | "Source" => Key::Source,
        "Id" | "Event ID" | "EventID" | "InstanceId" => Key::Id,
        "LevelDisplayName" | "Level" | "EntryType" => Key::Level,
        "Message" | "Description" => Key::Message,
        "Event Xml" => Key::Xml,
        "Log Name"
        | "LogName"
        | "Task Category"
        | "Task"
        | "TaskDisplayName"
        | "Keywords"
        | "KeywordsDisplayNames"
        | "User"
        | "UserId"
        | "UserName"
        | "Computer"
        | "MachineName"
        | "OpCode"
        | "Opcode"
        | "OpcodeDisplayName"
        | "RecordId"
        | "ProcessId"
        | "ThreadId"
        | "ContainerLog"
        | "Properties"
        | "ActivityId"
        | "RelatedActivityId"
        | "Qualifiers"
        | "Version"
        | "ProviderId"
        | "Bookmark"
        | "MatchedQueryIds"
        | "Index"
        | "Category"
        | "CategoryNumber"
        | "ReplacementStrings"
        | "Site"
        | "Container" => Key::Other,
        _ => return None,
    })
}

/// A known key at the start of `line`, and its value.
fn field(line: &str) -> Option<(&str, Key, &str)> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim();
    Some((name, key(name)?, value.trim()))
}

/// Reads `Key : Value` blocks.
pub fn read(r: &mut dyn BufRead, out: &mut Batcher) -> io::Result<()> {
    let mut lines = Lines::new(r);
    let mut first_key: Option<String> = None;
    let mut rec: Option<LogRecord> = None;
    let mut current = Key::Other;
    while let Some((no, line)) = lines.next_line()? {
        let Some((name, k, value)) = field(&line) else {
            if current == Key::Message && !line.trim().is_empty() {
                if let Some(r) = &mut rec {
                    r.push_line(line.trim());
                }
            }
            continue;
        };
        let first = first_key.get_or_insert_with(|| name.to_string());
        if name == first {
            if let Some(done) = rec.take() {
                out.push(done);
            }
        }
        let r = rec.get_or_insert_with(|| LogRecord {
            at: no,
            ..LogRecord::default()
        });
        current = k;
        match k {
            Key::Time => r.time = stamp::parse(value),
            Key::Source if !value.is_empty() => r.sources.push(value.to_string()),
            Key::Id => r.event_id = value.parse().ok(),
            Key::Level => {
                r.level = Level::from_word(value)
                    .or_else(|| value.parse().ok().and_then(Level::from_windows));
            }
            Key::Message if !value.is_empty() => r.push_line(value),
            _ => {}
        }
    }
    if let Some(done) = rec {
        out.push(done);
    }
    Ok(())
}
