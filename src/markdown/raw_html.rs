//! Raw HTML in an article, read the way a browser will read it.
//!
//! Receives the pulldown-cmark events of a body; gives (1) the images of
//! raw `<img src>` tags resolved like Markdown images — rewritten when they
//! name a content file, their `src` removed and reported when kbgen refuses
//! them (another host's files, remote images) — and (2) a [`Visible`]
//! filter that keeps only the text a reader sees, for the text blocks that
//! search indexes: no tags, no `<!-- comments -->`, nothing inside
//! `<script>`, `<style>`, `<template>` or `<noscript>`. What the page does
//! not show must not be found by search either. (3) Whether a body's raw
//! HTML is plain (line breaks and comments only), which is then written
//! here rather than sanitised.

use super::{BrokenLink, LineIndex, LinkTarget, Resolve};
use pulldown_cmark::{CowStr, Event};
use regex::Regex;
use std::sync::OnceLock;

type Events<'a> = Vec<(Event<'a>, usize)>;

fn img_tag() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"(?i)<img\b[^>]*>").expect("valid regex"))
}

fn src_attr() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r#"(?i)\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#).expect("valid regex")
    })
}

/// Resolves the `src` of every raw `<img>`; returns the refused or broken ones.
pub(crate) fn images(
    events: &mut Events<'_>,
    resolve: &Resolve<'_>,
    lines: &LineIndex,
) -> Vec<BrokenLink> {
    let mut broken = Vec::new();
    for (event, offset) in events.iter_mut() {
        let (Event::Html(html) | Event::InlineHtml(html)) = event else {
            continue;
        };
        if !html.contains(['<']) || !img_tag().is_match(html) {
            continue;
        }
        let mut out = String::with_capacity(html.len());
        let mut last = 0;
        for tag in img_tag().find_iter(html) {
            let Some(caps) = src_attr().captures(tag.as_str()) else {
                continue;
            };
            let whole = caps.get(0).expect("match");
            let raw = caps
                .get(1)
                .or(caps.get(2))
                .or(caps.get(3))
                .map_or("", |m| m.as_str());
            let url = decode_entities(raw);
            let replacement = match resolve(&url, true) {
                LinkTarget::Unchanged => continue,
                LinkTarget::Rewritten(new) => format!(" src=\"{}\"", new.replace('"', "&quot;")),
                LinkTarget::Broken(reason) => {
                    broken.push(report(lines, *offset, html, tag.start(), url, reason, None));
                    String::new()
                }
                LinkTarget::Refused { reason, help } => {
                    broken.push(report(
                        lines,
                        *offset,
                        html,
                        tag.start(),
                        url,
                        reason,
                        Some(help),
                    ));
                    String::new()
                }
            };
            let at = tag.start() + whole.start();
            out.push_str(&html[last..at]);
            out.push_str(&replacement);
            last = tag.start() + whole.end();
        }
        if last > 0 {
            out.push_str(&html[last..]);
            *html = CowStr::from(out);
        }
    }
    broken
}

fn report(
    lines: &LineIndex,
    offset: usize,
    html: &str,
    at: usize,
    url: String,
    reason: String,
    help: Option<String>,
) -> BrokenLink {
    // An HTML block's event holds one line, so the tag is on the event's line.
    let line = lines.line(offset) + html[..at].matches('\n').count();
    BrokenLink {
        line,
        col: lines.col(offset),
        url,
        reason,
        image: true,
        help,
    }
}

/// Decodes the character references a browser decodes in an attribute
/// value, so `&#92;&#92;host` is seen as `\\host`.
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(rest.len(), |e| e + 1);
        let name = &rest[1..end];
        let decoded = match name.strip_prefix('#') {
            Some(num) => num
                .strip_prefix(['x', 'X'])
                .map_or_else(|| num.parse().ok(), |hex| u32::from_str_radix(hex, 16).ok())
                .and_then(char::from_u32),
            None => named(name),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn named(name: &str) -> Option<char> {
    Some(match name {
        "amp" | "AMP" => '&',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "sol" => '/',
        "bsol" => '\\',
        "colon" => ':',
        "Tab" => '\t',
        "NewLine" => '\n',
        _ => return None,
    })
}

/// Whether all of the author's raw HTML in `events` is plain: line breaks
/// and whole comments, the raw HTML of half the real corpus's raw-HTML
/// articles. Those need no sanitiser (which parses and writes again the
/// whole body): [`write_plain`] writes them safely itself.
pub(crate) fn all_plain(events: &Events<'_>) -> bool {
    events.iter().all(|(e, _)| match e {
        Event::Html(h) | Event::InlineHtml(h) => plain(h).is_some(),
        _ => true,
    })
}

/// The plain raw HTML of [`all_plain`] events written as kbgen writes it:
/// each line break as `<br>`, each comment as nothing, the white space
/// around them kept. The events stay where they were, so later passes see
/// the same body.
pub(crate) fn write_plain(events: &mut Events<'_>) {
    for (event, _) in events.iter_mut() {
        let (Event::Html(h) | Event::InlineHtml(h)) = event else {
            continue;
        };
        let written = match plain(h) {
            Some(Plain::Break) => "<br>",
            Some(Plain::Comment) => "",
            None => continue,
        };
        let lead = &h[..h.len() - h.trim_start().len()];
        let trail = &h[h.trim_end().len()..];
        *h = CowStr::from(format!("{lead}{written}{trail}"));
    }
}

/// Raw HTML that is safe as it stands.
#[derive(Debug, PartialEq)]
enum Plain {
    /// `<br>`, `<br/>`, `<br />` or `</br>` (a browser reads each as a
    /// break), in any case, with nothing else.
    Break,
    /// One comment, ended only at its end (not by `-->` or `--!>` inside,
    /// nor at once by `<!-->` or `<!--->`).
    Comment,
}

fn plain(html: &str) -> Option<Plain> {
    let t = html.trim();
    if ["<br>", "<br/>", "<br />", "</br>"]
        .iter()
        .any(|b| t.eq_ignore_ascii_case(b))
    {
        return Some(Plain::Break);
    }
    let inner = t.strip_prefix("<!--")?.strip_suffix("-->")?;
    let whole = !inner.starts_with('>')
        && !inner.starts_with("->")
        && !inner.contains("-->")
        && !inner.contains("--!>")
        && !inner.ends_with('-');
    whole.then_some(Plain::Comment)
}

/// `html` without its `<!-- comments -->` (an unclosed one runs to the end,
/// as in a browser). Text is escaped in kbgen's output, so every `<!--` left
/// in it opens a real comment.
pub(crate) fn strip_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        rest = rest[i + 4..]
            .find("-->")
            .map_or("", |e| &rest[i + 4 + e + 3..]);
    }
    out.push_str(rest);
    out
}

/// Elements whose content a reader never sees as text.
const HIDDEN: &[&str] = &[
    "script", "style", "template", "noscript", "textarea", "title",
];

/// Follows raw HTML through a body and keeps only the text a reader sees.
/// Fed every text and HTML event in order, because a comment or a
/// `<script>` opened in one event closes in a later one.
#[derive(Debug, Default)]
pub(crate) struct Visible {
    /// Inside `<!-- … -->`.
    comment: bool,
    /// Inside one of [`HIDDEN`]: its closing tag.
    hidden: Option<&'static str>,
}

impl Visible {
    /// The visible part of a Markdown text event (empty inside a comment or script).
    pub(crate) fn text<'t>(&self, text: &'t str) -> &'t str {
        if self.comment || self.hidden.is_some() {
            ""
        } else {
            text
        }
    }

    /// The visible text of a raw HTML event: tags dropped, entities kept as written.
    pub(crate) fn html(&mut self, html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while !rest.is_empty() {
            if self.comment {
                match rest.find("-->") {
                    Some(i) => {
                        self.comment = false;
                        rest = &rest[i + 3..];
                    }
                    None => return out,
                }
            } else if let Some(close) = self.hidden {
                match find_ascii_ci(rest, close) {
                    Some(i) => {
                        self.hidden = None;
                        rest = &rest[i..];
                    }
                    None => return out,
                }
            } else {
                let Some(i) = rest.find('<') else {
                    out.push_str(rest);
                    return out;
                };
                out.push_str(&rest[..i]);
                rest = self.tag(&rest[i..], &mut out);
            }
        }
        out
    }

    /// Skips the tag at the start of `s` (which starts with `<`); returns the rest.
    fn tag<'s>(&mut self, s: &'s str, out: &mut String) -> &'s str {
        if let Some(after) = s.strip_prefix("<!--") {
            self.comment = true;
            return after;
        }
        let name: String = s[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let starts_tag = !name.is_empty() || s[1..].starts_with(['/', '!', '?']);
        if !starts_tag {
            out.push('<');
            return &s[1..];
        }
        let end = s.find('>').map_or(s.len(), |e| e + 1);
        if let Some(h) = HIDDEN.iter().find(|h| **h == name) {
            self.hidden = Some(closing(h));
        }
        out.push(' ');
        &s[end..]
    }
}

fn closing(name: &str) -> &'static str {
    match name {
        "script" => "</script",
        "style" => "</style",
        "template" => "</template",
        "noscript" => "</noscript",
        "textarea" => "</textarea",
        _ => "</title",
    }
}

/// Byte offset of `needle` (ASCII, lower case) in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    hay.as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests;
