//! The rules that look at neighbouring tokens: codes implied by the word
//! before a number (`error 5`, `Msg 9002`) and event IDs with the sources
//! written around them.

use super::tokens::{
    http_re, smtp_re, Class, Token, ERROR_CONTEXT, EVENT_KEYWORDS, SOURCE_KEYWORDS, SOURCE_LEAD,
};
use super::TermKind;
use crate::signature::events::Aliases;

/// A code implied by the token before a number: `Msg 9002`, `error 5`, `HTTP Error 500.19`.
pub(super) fn context_code(tokens: &[Token], i: usize) -> Option<String> {
    let tok = &tokens[i];
    // Every rule below needs a code, a number or an HTTP status (which
    // starts with a digit): most tokens are none.
    if !matches!(tok.class(), Class::Code(_) | Class::Number(_))
        && !tok.text.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let prev = i.checked_sub(1).map(|p| tokens[p].lower());
    let prev2 = i.checked_sub(2).map(|p| tokens[p].lower());
    let bug_check = matches!(prev, Some("stop" | "bugcheck"))
        || (prev == Some("check") && prev2 == Some("bug"))
        || (prev == Some("code") && prev2 == Some("stop"));
    if bug_check && matches!(tok.class(), Class::Code(_)) {
        let hex = tok.lower().strip_prefix("0x").unwrap_or(tok.lower());
        if let Ok(v) = u32::from_str_radix(hex, 16) {
            return Some(format!("bugcheck-0x{v:x}"));
        }
    }
    let after_http = prev == Some("http") || (prev == Some("error") && prev2 == Some("http"));
    if after_http && http_re().is_match(&tok.text) {
        return Some(format!("http-{}", tok.text));
    }
    let Class::Number(n) = *tok.class() else {
        return None;
    };
    if prev == Some("msg") {
        return Some(format!("mssql-{}", tok.text));
    }
    // `exit status 1` is a process's exit status, and `error 550 5.7.23` an
    // SMTP reply followed by its enhanced status code: no Win32 errors.
    let exit_status = prev == Some("status") && prev2 == Some("exit");
    let smtp_reply = tokens
        .get(i + 1)
        .is_some_and(|t| smtp_re().is_match(&t.text));
    (prev.is_some_and(|p| ERROR_CONTEXT.contains(&p))
        && (1..=0xffff).contains(&n)
        && !exit_status
        && !smtp_reply)
        .then(|| format!("0x8007{n:04x}"))
}

/// [`TermKind::BareEvent`] and [`TermKind::Event`] terms for the numbers that may be event IDs.
pub(super) fn event_terms(tokens: &[Token], aliases: &Aliases) -> Vec<String> {
    let source_at: Vec<usize> = (0..tokens.len())
        .filter(|&k| SOURCE_KEYWORDS.contains(&tokens[k].lower()))
        .collect();
    let source_runs: Vec<Vec<String>> = source_at
        .iter()
        .map(|&k| run_after(tokens, k + 1))
        .collect();
    let mut out = Vec::new();
    for (i, tok) in tokens.iter().enumerate() {
        let Class::Number(n @ 1..=65535) = *tok.class() else {
            continue;
        };
        let lower_at = |k: Option<usize>| k.map(|k| tokens[k].lower());
        let keyword = match (lower_at(i.checked_sub(1)), lower_at(i.checked_sub(2))) {
            (Some(p), _) if EVENT_KEYWORDS.contains(&p) => Some(i - 1),
            (Some("id"), Some("event")) => Some(i - 2),
            _ => None,
        };
        let mut candidates = Vec::new();
        if let Some(k) = keyword {
            out.push(TermKind::BareEvent.term(&n.to_string()));
            candidates.extend(run_before(tokens, k));
            candidates.extend(run_after(tokens, i + 1));
            // The nearest `Source:` lines only: all of them made a long
            // paste of pairs quadratic (issue 15).
            let near = super::bounds::nearest(&source_at, i, super::bounds::NEAREST_SOURCES);
            candidates.extend(source_runs[near].iter().flatten().cloned());
        } else if i > 0 && tokens[i - 1].source_ish() {
            candidates.extend(run_before(tokens, i));
        }
        for c in candidates {
            let source = aliases.canonical(&c);
            if !source.is_empty() {
                out.push(TermKind::Event.term(&format!("{source}/{n}")));
            }
        }
    }
    out
}

/// Candidate sources ending right before `end`: the last 1…5 source-ish tokens.
pub(super) fn run_before(tokens: &[Token], end: usize) -> Vec<String> {
    let start = (0..end)
        .rev()
        .take(5)
        .take_while(|&k| tokens[k].source_ish())
        .last()
        .unwrap_or(end);
    (1..=end - start)
        .map(|j| join_sources(&tokens[end - j..end]))
        .collect()
}

/// Candidate sources starting at `start` (after the lead words): the first 1…4 source-ish tokens.
pub(super) fn run_after(tokens: &[Token], start: usize) -> Vec<String> {
    let first = (start..tokens.len())
        .find(|&k| !SOURCE_LEAD.contains(&tokens[k].lower()))
        .unwrap_or(tokens.len());
    let len = (first..tokens.len())
        .take(4)
        .take_while(|&k| tokens[k].source_ish())
        .count();
    (1..=len)
        .map(|j| join_sources(&tokens[first..first + j]))
        .collect()
}

pub(super) fn join_sources(run: &[Token]) -> String {
    run.iter()
        .map(Token::source_text)
        .collect::<Vec<_>>()
        .join(" ")
}
