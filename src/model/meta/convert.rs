//! Converting one front matter value to its typed field, with an error at
//! the key's line that says what was expected and shows an example.

use super::{Date, EventMeta, Interval, Located, ProductRef, SignatureMeta, MAX_SOURCE};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::front_matter::kind_of;
use serde_yaml::Value;

/// Context for converting one key: where it is, for messages.
pub(super) struct Cx<'a> {
    pub(super) file: &'a str,
    pub(super) line: usize,
    pub(super) key: &'a str,
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

    pub(super) fn opt_string(&self, v: &Value) -> Result<Option<String>, Diagnostic> {
        match v {
            Value::Null => Ok(None),
            _ => self
                .scalar(v)
                .map(Some)
                .ok_or_else(|| self.wrong("text", v, "some text")),
        }
    }

    pub(super) fn strings(&self, v: &Value) -> Result<Vec<String>, Diagnostic> {
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

    pub(super) fn located(&self, v: &Value) -> Result<Vec<Located>, Diagnostic> {
        Ok(self
            .strings(v)?
            .into_iter()
            .map(|value| Located {
                value,
                line: self.line,
            })
            .collect())
    }

    pub(super) fn boolean(&self, v: &Value) -> Result<bool, Diagnostic> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::Null => Ok(false),
            _ => Err(self.wrong("true or false", v, "true")),
        }
    }

    pub(super) fn date(&self, v: &Value) -> Result<Option<Date>, Diagnostic> {
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

    pub(super) fn interval(&self, v: &Value) -> Result<Option<Interval>, Diagnostic> {
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

    pub(super) fn products(&self, v: &Value) -> Result<Vec<ProductRef>, Diagnostic> {
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

    pub(super) fn signatures(
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
