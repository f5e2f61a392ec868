//! Small passes over pulldown-cmark events, each doing one thing. They run
//! in the order [`super::render`] gives; each keeps the byte offset of every
//! event so later passes can still report positions.

use super::{BrokenLink, LineIndex, LinkTarget, TocEntry};
use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::collections::HashSet;

type Events<'a> = Vec<(Event<'a>, usize)>;

/// HTML elements that may appear in articles. Anything else that looks like
/// a tag — `<process id>`, `<DateTime>`, `<server name>` — is a placeholder
/// in an error message and must show as written, not vanish as markup.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "mark",
    "math",
    "meta",
    "nav",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "p",
    "picture",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// True when `html` starts with a comment, declaration or a known element.
fn is_real_html(html: &str) -> bool {
    let s = html.trim_start();
    if s.starts_with("<!") || s.starts_with("<?") {
        return true;
    }
    let name: String = s
        .trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    HTML_ELEMENTS.contains(&name.as_str())
}

/// Turns placeholder-like "tags" into text. The lines of an HTML comment
/// that spans several (`<!-- note` … `-->`) stay HTML: made text, the
/// closing `-->` left the comment open and the rest of the page inside it.
pub(crate) fn unknown_tags_to_text(events: Events<'_>) -> Events<'_> {
    let mut in_comment = false;
    events
        .into_iter()
        .map(|(e, o)| match e {
            Event::InlineHtml(h) | Event::Html(h) if !in_comment && !is_real_html(&h) => {
                (Event::Text(h), o)
            }
            Event::Html(h) => {
                in_comment = comment_open_after(&h, in_comment);
                (Event::Html(h), o)
            }
            Event::InlineHtml(h) => {
                in_comment = comment_open_after(&h, in_comment);
                (Event::InlineHtml(h), o)
            }
            other => (other, o),
        })
        .collect()
}

/// Whether an HTML comment is still open after `html`, given whether one
/// was open before it.
fn comment_open_after(html: &str, mut open: bool) -> bool {
    let mut rest = html;
    loop {
        let (mark, len) = if open { ("-->", 3) } else { ("<!--", 4) };
        match rest.find(mark) {
            Some(i) => {
                open = !open;
                rest = &rest[i + len..];
            }
            None => return open,
        }
    }
}

/// Removes a `# heading` that opens the body and returns its text: the page
/// template shows the title itself.
pub(crate) fn take_leading_h1(events: &mut Events<'_>) -> Option<String> {
    if !matches!(
        events.first(),
        Some((
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }),
            _
        ))
    ) {
        return None;
    }
    let end = events
        .iter()
        .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))?;
    let text = text_of(&events[1..end]);
    events.drain(..=end);
    Some(text)
}

fn text_of(events: &[(Event<'_>, usize)]) -> String {
    let mut s = String::new();
    for (e, _) in events {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(t);
        }
    }
    s.trim().to_string()
}

/// Gives every heading an `id` (kept when the author wrote `{#id}`), unique
/// within the page, and returns the table of contents.
pub(crate) fn heading_ids(events: &mut Events<'_>) -> Vec<TocEntry> {
    let mut seen = HashSet::new();
    let mut toc = Vec::new();
    for i in 0..events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 else {
            continue;
        };
        let level = *level as u8;
        let end = events[i..]
            .iter()
            .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
            .map_or(events.len(), |p| i + p);
        let title = text_of(&events[i + 1..end]);
        let base = id
            .as_ref()
            .map_or_else(|| anchor(&title), |id| id.to_string());
        let mut unique = base.clone();
        let mut n = 1;
        while !seen.insert(unique.clone()) {
            unique = format!("{base}-{n}");
            n += 1;
        }
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
            *id = Some(CowStr::from(unique.clone()));
        }
        toc.push(TocEntry {
            level,
            id: unique,
            title,
        });
    }
    toc
}

/// Heading text → anchor: lower-case letters and digits joined by `-`.
pub(crate) fn anchor(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// Rewrites relative links and images through `resolve`; broken ones lose
/// their target (the text stays, marked) and are returned for reporting.
pub(crate) fn rewrite_links<'a>(
    events: &mut Events<'a>,
    resolve: &super::Resolve<'_>,
    lines: &LineIndex,
) -> Vec<BrokenLink> {
    let mut broken = Vec::new();
    let mut broken_stack: Vec<bool> = Vec::new();
    for (event, offset) in events.iter_mut() {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                let (url, image) = match &*event {
                    Event::Start(Tag::Link { dest_url, .. }) => (dest_url.to_string(), false),
                    Event::Start(Tag::Image { dest_url, .. }) => (dest_url.to_string(), true),
                    _ => continue,
                };
                let (reason, help) = match resolve(&url, image) {
                    LinkTarget::Unchanged => {
                        broken_stack.push(false);
                        continue;
                    }
                    LinkTarget::Rewritten(new) => {
                        if let Event::Start(
                            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. },
                        ) = event
                        {
                            *dest_url = CowStr::from(new);
                        }
                        broken_stack.push(false);
                        continue;
                    }
                    LinkTarget::Broken(reason) => (reason, None),
                    LinkTarget::Refused { reason, help } => (reason, Some(help)),
                };
                // A refused URL is not repeated even as text.
                let title = match help {
                    Some(_) => "left out by kbgen".to_string(),
                    None => format!("{} is not available", escape_attr(&url)),
                };
                broken.push(BrokenLink {
                    line: lines.line(*offset),
                    col: lines.col(*offset),
                    url: url.clone(),
                    reason,
                    image,
                    help,
                });
                let class = if image {
                    "missing-image"
                } else {
                    "broken-link"
                };
                let prefix = if image { "[image: " } else { "" };
                *event = Event::Html(CowStr::from(format!(
                    "<span class=\"{class}\" title=\"{title}\">{prefix}"
                )));
                broken_stack.push(true);
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                let image = matches!(event, Event::End(TagEnd::Image));
                if broken_stack.pop() == Some(true) {
                    *event = Event::Html(CowStr::from(if image { "]</span>" } else { "</span>" }));
                }
            }
            _ => {}
        }
    }
    broken
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// GitHub alerts (`> [!NOTE]`) become titled boxes.
pub(crate) fn alerts(events: Events<'_>) -> Events<'_> {
    events
        .into_iter()
        .map(|(e, o)| match e {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = alert_name(kind);
                let html = format!("<div class=\"alert alert-{class}\" role=\"note\"><p class=\"alert-title\">{title}</p>\n");
                (Event::Html(CowStr::from(html)), o)
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => (Event::Html(CowStr::from("</div>\n")), o),
            other => (other, o),
        })
        .collect()
}

fn alert_name(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}
