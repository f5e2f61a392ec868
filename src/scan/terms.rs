//! The one place a scan calls the analyser (`docs/search.md`): a record's
//! text → its codes, symbolic names, event keys and word sequence. Kept
//! apart so that a change to how the analyser names its term kinds touches
//! this file only.

use crate::analysis::{analyze_for_index, TermKind};
use crate::signature::events::Aliases;

/// What the analyser finds in one record's text.
#[derive(Debug, Default)]
pub struct RecordTerms {
    /// Canonical codes written so that they surely are codes (the
    /// analyser's strong codes: `0x80070005`, `error 5`, not a bare `0x5`).
    pub codes: Vec<String>,
    /// Symbolic code names, lower case (`error_file_not_found`).
    pub names: Vec<String>,
    /// Event keys named in the text (`dns-client/1014`).
    pub events: Vec<String>,
    /// The primary term of each kept token, for template coverage.
    pub seq: Vec<String>,
}

/// Analyses a record's text.
pub fn of_text(text: &str, aliases: &Aliases) -> RecordTerms {
    // Without the spelling of each word, which only queries show.
    let a = analyze_for_index(text, aliases);
    let mut out = RecordTerms {
        seq: a.seq,
        ..RecordTerms::default()
    };
    let lower = text.to_ascii_lowercase();
    for code in a.strong_codes {
        if !out.codes.contains(&code) && !padded_flag(&code, &lower) {
            out.codes.push(code);
        }
    }
    for t in a.terms {
        match TermKind::parse(&t) {
            Some((TermKind::Name, name)) => out.names.push(name.to_string()),
            Some((TermKind::Event, key)) => out.events.push(key.to_string()),
            _ => {}
        }
    }
    out
}

/// True for a Win32 code that the text only spells as a zero-padded
/// `0x0000xxxx`: in event data and logs that is nearly always a flag or a
/// count (`"flags" : "0x00000010"`), not an error.
fn padded_flag(code: &str, lower_text: &str) -> bool {
    let Some(low) = code.strip_prefix("0x8007") else {
        return false;
    };
    lower_text.contains(&format!("0x0000{low}")) && !lower_text.contains(&format!("8007{low}"))
}

/// The event key of a source as written and an ID (`dns-client/1014`),
/// as articles' keys are made.
pub fn event_key(source: &str, id: u32, aliases: &Aliases) -> String {
    crate::signature::EventKey::new(source, id, aliases).path()
}

/// The key of an ID cited without its source (`id/1014`).
pub fn bare_id_key(id: u32) -> String {
    format!("{}/{id}", crate::signature::events::RESERVED_ID)
}
