//! Which words around an event ID in a sentence name its source: what
//! follows `source`, or a name that looks like one (`W3SVC`,
//! `Microsoft-Windows-…`, a known alias), never an ordinary word.

use super::source_after_re;
use crate::signature::events::Aliases;

/// The source named right after an ID: anything after `source`, else a
/// name that looks like a source (`from W3SVC`, not `from the server`).
pub(super) fn source_after(text: &str, aliases: &Aliases) -> Option<String> {
    let c = source_after_re().captures(text)?;
    let words: Vec<&str> = c["src"].split(' ').collect();
    if c.name("kw").is_some() {
        return Some(words.join(" "));
    }
    (1..=words.len())
        .rev()
        .map(|n| words[..n].join(" "))
        .find(|name| plausible_source(name, aliases))
}

/// The source named right before `event`: the longest run of up to four
/// words ending there that is a known source, or one word that looks like one.
pub(super) fn source_before(text: &str, aliases: &Aliases) -> Option<String> {
    let mut words: Vec<&str> = text
        .trim_end()
        .rsplit(' ')
        .take_while(|w| {
            !w.is_empty()
                && !w.ends_with('.')
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '$' | '.' | '-' | '_'))
        })
        .take(4)
        .collect();
    words.reverse();
    (0..words.len())
        .map(|skip| words[skip..].join(" "))
        .find(|name| plausible_source(name, aliases))
}

/// Single words that name common event sources but are neither in the alias
/// table nor shaped like an acronym or a CamelCase name.
const COMMON_SOURCES: &[&str] = &[
    "Disk", "Ftdisk", "Ntfs", "Outlook", "Perflib", "Srv", "Tcpip", "Dhcp", "Wininit", "Winlogon",
];

/// Capitalised words that are acronyms but no event source.
const NOT_SOURCES: &[&str] = &[
    "AM",
    "AND",
    "CRITICAL",
    "ERROR",
    "ID",
    "IDS",
    "IF",
    "IMPORTANT",
    "INFORMATION",
    "IT",
    "NOT",
    "NOTE",
    "OR",
    "OS",
    "PC",
    "PM",
    "THE",
    "UI",
    "WARNING",
];

/// Whether `name`, written in running text, is an event source: a source
/// the alias table knows, a `Microsoft-Windows-` provider, a common source,
/// an acronym (`WAS`, `W3SVC`) or a CamelCase name (`MSExchangeIS`).
/// Always capitalised: `was` in "it was event 1000" is no source.
fn plausible_source(name: &str, aliases: &Aliases) -> bool {
    if !name.starts_with(|c: char| c.is_ascii_uppercase()) {
        return false;
    }
    if name.contains(' ') {
        return aliases.is_known(name);
    }
    if NOT_SOURCES.contains(&name.to_ascii_uppercase().as_str()) {
        return false;
    }
    let upper = name.chars().filter(char::is_ascii_uppercase).count();
    let lower = name.chars().filter(char::is_ascii_lowercase).count();
    let camel = lower > 0 && name.chars().skip(1).any(|c| c.is_ascii_uppercase());
    aliases.is_known(name)
        || name.to_ascii_lowercase().starts_with("microsoft-windows-")
        || COMMON_SOURCES.iter().any(|s| s.eq_ignore_ascii_case(name))
        || (upper >= 2 && lower == 0)
        || camel
}
