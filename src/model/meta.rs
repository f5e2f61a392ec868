//! Typed front matter. Known keys are converted one by one so that a wrong
//! type is reported at the line of its key; unknown keys are kept in
//! [`Meta::extra`] for templates (real documents carry dozens of them).
//! DocFX keys used by Microsoft's articles (`description`, `ms.date`,
//! `author`, `appliesto`) fill the typed fields when ours are absent.

use super::date::Date;
use super::freshness::Interval;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::front_matter::{kind_of, Entry};
use serde::Serialize;
use serde_yaml::Value;
use std::collections::BTreeMap;

/// A product an article applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductRef {
    /// Product name as shown (`Exchange Server`).
    pub name: String,
    /// Versions, as written.
    pub versions: Vec<String>,
}

/// An event as declared in front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventMeta {
    /// Event ID.
    pub id: u32,
    /// Source or provider name.
    pub source: String,
    /// Log name (`System`, `Application`), when given.
    pub log: Option<String>,
    /// Level (`Error`, `Warning`), when given.
    pub level: Option<String>,
}

/// Longest event source name: sources name a program (`W3SVC`,
/// `Microsoft-Windows-Kernel-Power`), and each one becomes a folder.
const MAX_SOURCE: usize = 100;

/// One entry of `signatures:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureMeta {
    /// The event, when the signature is an event.
    pub event: Option<EventMeta>,
    /// Message template.
    pub message: Option<String>,
    /// Error codes in any spelling.
    pub codes: Vec<String>,
    /// File line of this entry's `signatures:` key.
    pub line: usize,
}

/// A reference to another document, with the line it is written on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The reference as written.
    pub value: String,
    /// File line.
    pub line: usize,
}

/// Everything the front matter says.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// `title`.
    pub title: Option<String>,
    /// `slug`, with its line.
    pub slug: Option<Located>,
    /// `date` (or DocFX `ms.date`).
    pub date: Option<Date>,
    /// `updated`.
    pub updated: Option<Date>,
    /// `authors` (or DocFX `author`).
    pub authors: Vec<String>,
    /// `summary` (or `description`).
    pub summary: Option<String>,
    /// `products` (or DocFX `appliesto`).
    pub products: Vec<ProductRef>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `signatures`.
    pub signatures: Vec<SignatureMeta>,
    /// `causes`.
    pub causes: Vec<String>,
    /// `fixes`: ids of fix documents.
    pub fixes: Vec<Located>,
    /// `related`: other articles by path or slug.
    pub related: Vec<Located>,
    /// `draft`.
    pub draft: bool,
    /// `id` (fix documents).
    pub id: Option<Located>,
    /// `applies_to` (fix documents).
    pub applies_to: Vec<String>,
    /// `reviewed` (or DocFX `ms.date`): last verified by a person.
    pub reviewed: Option<Date>,
    /// True when `reviewed` is DocFX's `ms.date`.
    pub reviewed_by_docfx: bool,
    /// `review_every`.
    pub review_every: Option<Interval>,
    /// `expires`.
    pub expires: Option<Date>,
    /// `owner` (or DocFX `ms.reviewer`): who reviews it.
    pub owners: Vec<String>,
    /// `aliases`: earlier paths or URLs of the page.
    pub aliases: Vec<Located>,
    /// Every other key, for templates.
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// Converts parsed entries into [`Meta`], reporting wrong types at their line.
pub(crate) fn from_entries(entries: Vec<Entry>, file: &str, diags: &mut Diagnostics) -> Meta {
    let mut meta = Meta::default();
    let mut fallback = Meta::default();
    for Entry { key, value, line } in entries {
        let cx = Cx {
            file,
            line,
            key: &key,
        };
        let result: Result<(), Diagnostic> = (|| {
            match key.as_str() {
                "title" => meta.title = cx.opt_string(&value)?,
                "slug" => meta.slug = cx.opt_string(&value)?.map(|value| Located { value, line }),
                "date" => meta.date = cx.date(&value)?,
                "updated" => meta.updated = cx.date(&value)?,
                "authors" => meta.authors = cx.strings(&value)?,
                "summary" => meta.summary = cx.opt_string(&value)?,
                "description" => fallback.summary = cx.opt_string(&value)?,
                "products" => meta.products = cx.products(&value)?,
                "tags" => meta.tags = cx.strings(&value)?,
                "signatures" => meta.signatures = cx.signatures(&value, diags)?,
                "causes" => meta.causes = cx.strings(&value)?,
                "fixes" => meta.fixes = cx.located(&value)?,
                "related" => meta.related = cx.located(&value)?,
                "draft" => meta.draft = cx.boolean(&value)?,
                "id" => meta.id = cx.opt_string(&value)?.map(|value| Located { value, line }),
                "applies_to" => meta.applies_to = cx.strings(&value)?,
                "reviewed" => meta.reviewed = cx.date(&value)?,
                "review_every" => meta.review_every = cx.interval(&value)?,
                "expires" => meta.expires = cx.date(&value)?,
                "owner" => meta.owners = cx.strings(&value)?,
                "aliases" => meta.aliases = cx.located(&value)?,
                _ => {
                    match key.as_str() {
                        "ms.date" => fallback.date = cx.date(&value).ok().flatten(),
                        "author" => fallback.authors = cx.strings(&value).unwrap_or_default(),
                        "ms.reviewer" => fallback.owners = cx.strings(&value).unwrap_or_default(),
                        "appliesto" => fallback.products = cx.products(&value).unwrap_or_default(),
                        _ => {}
                    }
                    meta.extra.insert(key.clone(), to_json(&value));
                }
            }
            Ok(())
        })();
        if let Err(d) = result {
            diags.push(d);
        }
    }
    meta.summary = meta.summary.or(fallback.summary);
    meta.reviewed_by_docfx = meta.reviewed.is_none() && fallback.date.is_some();
    meta.reviewed = meta.reviewed.or(fallback.date);
    meta.date = meta.date.or(fallback.date);
    if meta.owners.is_empty() {
        meta.owners = fallback.owners;
    }
    if meta.authors.is_empty() {
        meta.authors = fallback.authors;
    }
    if meta.products.is_empty() {
        meta.products = fallback.products;
    }
    meta
}

fn to_json(v: &Value) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_else(|_| serde_json::Value::String(format!("{v:?}")))
}

/// Context for converting one key: where it is, for messages.
struct Cx<'a> {
    file: &'a str,
    line: usize,
    key: &'a str,
}

impl Cx<'_> {
    fn wrong(&self, expected: &str, found: &Value, example: &str) -> Diagnostic {
        Diagnostic::error(
            self.file,
            self.line,
            1,
            format!(
                "`{}` must be {expected}, found {}",
                self.key,
                kind_of(found)
            ),
        )
        .hint(format!("write it as `{}: {example}`", self.key))
    }

    fn scalar(&self, v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    fn opt_string(&self, v: &Value) -> Result<Option<String>, Diagnostic> {
        match v {
            Value::Null => Ok(None),
            _ => self
                .scalar(v)
                .map(Some)
                .ok_or_else(|| self.wrong("text", v, "some text")),
        }
    }

    fn strings(&self, v: &Value) -> Result<Vec<String>, Diagnostic> {
        match v {
            Value::Null => Ok(Vec::new()),
            Value::Sequence(items) => items
                .iter()
                .filter(|i| !i.is_null())
                .map(|i| {
                    self.scalar(i)
                        .ok_or_else(|| self.wrong("a list of text items", i, "[first, second]"))
                })
                .collect(),
            _ => self
                .scalar(v)
                .map(|s| vec![s])
                .ok_or_else(|| self.wrong("a list of text items", v, "[first, second]")),
        }
    }

    fn located(&self, v: &Value) -> Result<Vec<Located>, Diagnostic> {
        Ok(self
            .strings(v)?
            .into_iter()
            .map(|value| Located {
                value,
                line: self.line,
            })
            .collect())
    }

    fn boolean(&self, v: &Value) -> Result<bool, Diagnostic> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::Null => Ok(false),
            _ => Err(self.wrong("true or false", v, "true")),
        }
    }

    fn date(&self, v: &Value) -> Result<Option<Date>, Diagnostic> {
        let Some(s) = self.opt_string(v)? else {
            return Ok(None);
        };
        Date::parse(&s).map(Some).ok_or_else(|| {
            Diagnostic::error(
                self.file,
                self.line,
                1,
                format!("`{}` is not a date: `{s}`", self.key),
            )
            .hint(format!(
                "write dates as YYYY-MM-DD, e.g. `{}: 2024-03-18`",
                self.key
            ))
        })
    }

    fn interval(&self, v: &Value) -> Result<Option<Interval>, Diagnostic> {
        let Some(s) = self.opt_string(v)? else {
            return Ok(None);
        };
        Interval::parse(&s).map(Some).ok_or_else(|| {
            Diagnostic::error(
                self.file,
                self.line,
                1,
                format!("`{}` is not a period: `{s}`", self.key),
            )
            .hint(format!(
                "write a number and a unit, e.g. `{}: 12 months` (days, weeks, months or years)",
                self.key
            ))
        })
    }

    fn products(&self, v: &Value) -> Result<Vec<ProductRef>, Diagnostic> {
        let items = match v {
            Value::Sequence(items) => items.clone(),
            Value::Null => Vec::new(),
            other => vec![other.clone()],
        };
        let example = "[{name: IIS, versions: [\"10.0\"]}]";
        items
            .iter()
            .filter(|i| !i.is_null())
            .map(|item| match item {
                Value::Mapping(m) => {
                    let name = m.get("name").and_then(|n| self.scalar(n)).ok_or_else(|| {
                        self.wrong("a list of products with a `name`", item, example)
                    })?;
                    let versions = m
                        .get("versions")
                        .or_else(|| m.get("version"))
                        .map(|v| self.strings(v))
                        .transpose()?
                        .unwrap_or_default();
                    Ok(ProductRef { name, versions })
                }
                _ => self
                    .scalar(item)
                    .map(|name| ProductRef {
                        name,
                        versions: Vec::new(),
                    })
                    .ok_or_else(|| self.wrong("a list of products", item, example)),
            })
            .collect()
    }

    fn signatures(
        &self,
        v: &Value,
        diags: &mut Diagnostics,
    ) -> Result<Vec<SignatureMeta>, Diagnostic> {
        let example = "[{event: {id: 1011, source: W3SVC}, message: \"...\"}]";
        let Value::Sequence(items) = v else {
            return if v.is_null() {
                Ok(Vec::new())
            } else {
                Err(self.wrong("a list of signatures", v, example))
            };
        };
        // Every bad entry is reported in one run, not one per run.
        let mut out = Vec::new();
        let mut first = None;
        for item in items {
            match self.signature(item, example) {
                Ok(s) => out.push(s),
                Err(d) if first.is_none() => first = Some(d),
                Err(d) => diags.push(d),
            }
        }
        first.map_or(Ok(out), Err)
    }

    fn signature(&self, item: &Value, example: &str) -> Result<SignatureMeta, Diagnostic> {
        let Value::Mapping(m) = item else {
            return Err(self.wrong("a list of signature mappings", item, example));
        };
        let event = m.get("event").map(|e| self.event(e)).transpose()?;
        let message = m
            .get("message")
            .map(|x| self.opt_string(x))
            .transpose()?
            .flatten();
        let mut codes = m
            .get("codes")
            .map(|c| self.strings(c))
            .transpose()?
            .unwrap_or_default();
        if let Some(code) = m.get("code") {
            codes.extend(self.strings(code)?);
        }
        if event.is_none() && message.is_none() && codes.is_empty() {
            return Err(Diagnostic::error(
                self.file,
                self.line,
                1,
                "a signature has none of `event`, `message` or `codes`",
            )
            .hint("give each signature an event, a message or codes"));
        }
        Ok(SignatureMeta {
            event,
            message,
            codes,
            line: self.line,
        })
    }

    fn event(&self, v: &Value) -> Result<EventMeta, Diagnostic> {
        let example = "{id: 1011, source: W3SVC, log: System, level: Warning}";
        let Value::Mapping(m) = v else {
            return Err(self.wrong("an event mapping", v, example));
        };
        let field = |name: &str| m.get(name).and_then(|x| self.scalar(x));
        let id_text = field("id").ok_or_else(|| {
            Diagnostic::error(self.file, self.line, 1, "an event has no `id`")
                .hint(format!("write the event as {example}"))
        })?;
        let id = id_text.parse::<u32>().map_err(|_| {
            Diagnostic::error(
                self.file,
                self.line,
                1,
                format!("event id `{id_text}` is not a whole number"),
            )
            .hint("event IDs are numbers such as 1011; put the source in `source:`")
        })?;
        let error = |message: String| Diagnostic::error(self.file, self.line, 1, message);
        if id > 65535 {
            let message =
                format!("event id {id} is outside 0–65535, the range of Windows event IDs");
            return Err(error(message).hint("check the number in Event Viewer's 'Event ID' column"));
        }
        let source = field("source").or_else(|| field("provider")).filter(|s| !s.is_empty()).ok_or_else(|| {
            Diagnostic::error(self.file, self.line, 1, format!("event {id} has no `source`"))
                .hint("an event ID is only unique within its source: add `source: W3SVC` (the Event Viewer 'Source' column)")
        })?;
        let length = source.chars().count();
        if length > MAX_SOURCE {
            let message = format!("the source of event {id} is {length} characters long");
            let hint =
                format!("an event source is a name such as W3SVC, at most {MAX_SOURCE} characters");
            return Err(error(message).hint(hint));
        }
        Ok(EventMeta {
            id,
            source,
            log: field("log"),
            level: field("level"),
        })
    }
}
