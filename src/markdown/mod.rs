//! Markdown → HTML plus what later stages need from the text.
//!
//! Receives an article body and a link resolver; returns [`Rendered`]: the
//! HTML, the table of contents, the plain text, and the text blocks with
//! their file lines (paragraphs, code blocks, quotes, table rows), which the
//! signature extractor reads. The work is done by small passes over
//! pulldown-cmark events (see [`passes`]), each with its own tests.

pub(crate) mod docfx;
mod highlight;
pub(crate) mod passes;
pub(crate) mod raw_html;
pub(crate) mod sanitize;
pub(crate) mod wide_tables;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::borrow::Cow;

/// What a relative link in an article points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Not a relative link (absolute URL, `mailto:`, in-page `#anchor`): leave it.
    Unchanged,
    /// A relative link rewritten to this URL (relative to the page).
    Rewritten(String),
    /// A relative link to nothing; the reason is reported.
    Broken(String),
    /// A link kbgen will not emit (active content, another host's files);
    /// reported with the reason and what to do instead.
    Refused {
        /// Why it is left out.
        reason: String,
        /// What to do instead.
        help: String,
    },
}

/// Resolves a URL as written; the flag is true for an image.
pub type Resolve<'a> = dyn Fn(&str, bool) -> LinkTarget + 'a;

/// Kind of a text block, for the extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// A paragraph or list item text.
    Paragraph,
    /// A heading.
    Heading,
    /// A fenced or indented code block.
    Code,
    /// A table row (cells separated by tabs).
    TableRow,
}

/// A leaf block of text with its position.
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    /// Kind.
    pub kind: BlockKind,
    /// Text, with line breaks kept.
    pub text: String,
    /// 1-based file line where it starts.
    pub line: usize,
    /// True inside a block quote.
    pub quoted: bool,
}

/// A heading for the table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// 1–6.
    pub level: u8,
    /// Anchor id.
    pub id: String,
    /// Heading text.
    pub title: String,
}

/// A link that could not be resolved.
#[derive(Debug, Clone)]
pub struct BrokenLink {
    /// File line.
    pub line: usize,
    /// File column.
    pub col: usize,
    /// The URL as written.
    pub url: String,
    /// Why it is broken.
    pub reason: String,
    /// Image rather than link.
    pub image: bool,
    /// What to do, for a link refused rather than broken.
    pub help: Option<String>,
}

/// The result of rendering one body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// HTML of the body (a leading `# heading` removed: the page shows it).
    pub html: String,
    /// Text of that leading `# heading`, if there was one.
    pub h1: Option<String>,
    /// Headings below the first.
    pub toc: Vec<TocEntry>,
    /// Leaf blocks in order.
    pub blocks: Vec<Block>,
    /// Links that point at nothing.
    pub broken_links: Vec<BrokenLink>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Renders `body`, whose first line is line `body_line` of its file, with
/// raw HTML sanitised.
pub fn render(body: &str, body_line: usize, resolve: &Resolve<'_>) -> Rendered {
    render_with(body, body_line, resolve, false)
}

/// [`render`], keeping raw HTML as written when `trusted_html`.
pub fn render_with(
    body: &str,
    body_line: usize,
    resolve: &Resolve<'_>,
    trusted_html: bool,
) -> Rendered {
    let lines = LineIndex::new(body, body_line);
    let events: Vec<(Event<'_>, usize)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .map(|(e, range)| (e, range.start))
        .collect();

    // Placeholders such as `<process id>` are text before blocks are taken.
    let mut events = passes::unknown_tags_to_text(events);
    let mut blocks = collect_blocks(&events, &lines);
    let has_raw_html = events
        .iter()
        .any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    // Raw HTML of line breaks and comments only is written plainly here;
    // any other goes through the sanitiser once the page's HTML is made.
    let plain = has_raw_html && !trusted_html && raw_html::all_plain(&events);
    if plain {
        raw_html::write_plain(&mut events);
    }
    let sanitize = has_raw_html && !trusted_html && !plain;
    let h1 = passes::take_leading_h1(&mut events);
    let toc = passes::heading_ids(&mut events);
    let mut broken_links = raw_html::images(&mut events, resolve, &lines);
    broken_links.extend(passes::rewrite_links(&mut events, resolve, &lines));
    let events = passes::alerts(events);
    let events = highlight::highlight(events);

    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    if sanitize {
        html = sanitize::clean(&html);
    } else if has_raw_html && html.contains("<!--") {
        // Trusted HTML is kept as written, but a comment is not for readers.
        html = raw_html::strip_comments(&html);
    }
    // Kept through the build for every article: no spare capacity.
    for b in &mut blocks {
        b.text.shrink_to_fit();
    }
    blocks.shrink_to_fit();
    Rendered {
        html,
        h1,
        toc,
        blocks,
        broken_links,
    }
}

/// Gathers leaf blocks of text with their file lines.
fn collect_blocks(events: &[(Event<'_>, usize)], lines: &LineIndex) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    let mut quote_depth = 0usize;
    let mut in_row = false;
    let mut visible = raw_html::Visible::default();
    for (event, offset) in events {
        match event {
            Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::Start(tag) => {
                let kind = match tag {
                    Tag::Paragraph if !in_row => Some(BlockKind::Paragraph),
                    Tag::Heading { .. } => Some(BlockKind::Heading),
                    Tag::CodeBlock(_) => Some(BlockKind::Code),
                    Tag::TableHead | Tag::TableRow => {
                        in_row = true;
                        Some(BlockKind::TableRow)
                    }
                    Tag::TableCell => {
                        if let Some(b) = current.as_mut().filter(|b| !b.text.is_empty()) {
                            b.text.push('\t');
                        }
                        None
                    }
                    Tag::Item if current.is_none() => Some(BlockKind::Paragraph),
                    _ => None,
                };
                if let Some(kind) = kind {
                    if let Some(b) = current.take().filter(|b| !b.text.trim().is_empty()) {
                        blocks.push(b);
                    }
                    let line = lines.line(*offset);
                    current = Some(Block {
                        kind,
                        text: String::new(),
                        line,
                        quoted: quote_depth > 0,
                    });
                }
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::Item,
            ) => {
                if matches!(event, Event::End(TagEnd::TableHead | TagEnd::TableRow)) {
                    in_row = false;
                }
                if matches!(event, Event::End(TagEnd::Paragraph)) && in_row {
                    continue;
                }
                if let Some(b) = current.take().filter(|b| !b.text.trim().is_empty()) {
                    blocks.push(b);
                }
            }
            Event::Text(_) | Event::Code(_) | Event::InlineHtml(_) | Event::Html(_) => {
                let shown = shown_text(&mut visible, event);
                if !shown.is_empty() {
                    let new = || Block::paragraph(lines.line(*offset), quote_depth > 0);
                    current.get_or_insert_with(new).text.push_str(&shown);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = current.as_mut() {
                    b.text.push('\n');
                }
            }
            _ => {}
        }
    }
    if let Some(b) = current.filter(|b| !b.text.trim().is_empty()) {
        blocks.push(b);
    }
    blocks
}

impl Block {
    /// An empty paragraph block starting at `line`.
    fn paragraph(line: usize, quoted: bool) -> Block {
        Block {
            kind: BlockKind::Paragraph,
            text: String::new(),
            line,
            quoted,
        }
    }
}

/// The text of a text or HTML event that a reader sees: not comments,
/// scripts or tags.
fn shown_text<'e>(visible: &mut raw_html::Visible, event: &'e Event<'_>) -> Cow<'e, str> {
    match event {
        Event::InlineHtml(h) | Event::Html(h) => Cow::Owned(visible.html(h)),
        Event::Text(t) | Event::Code(t) => Cow::Borrowed(visible.text(t)),
        _ => Cow::Borrowed(""),
    }
}

/// Maps byte offsets in a body to file lines and columns.
pub struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    /// Index of `body`, whose first line is `first_line` of the file.
    pub fn new(body: &str, first_line: usize) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', body.as_bytes()).map(|i| i + 1));
        LineIndex { starts, first_line }
    }

    /// File line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1 + self.first_line
    }

    /// File column (1-based, in bytes) of a byte offset.
    pub fn col(&self, offset: usize) -> usize {
        let i = self.starts.partition_point(|&s| s <= offset) - 1;
        offset - self.starts[i] + 1
    }
}

#[cfg(test)]
mod tests;
