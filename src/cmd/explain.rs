//! `kbgen explain`: what the analyser recognises in a text — each code
//! decoded, each event, the words that will be searched and the noise that
//! will not. The quickest way to see why a pasted line finds what it finds.

use crate::cli::{text_or_stdin, ExplainArgs};
use kbgen::config::{Overrides, Settings};
use kbgen::search::analyze;
use kbgen::signature::codes::{by_name, parse_code};
use kbgen::signature::events::Aliases;
use serde_json::json;

pub(crate) fn run(args: &ExplainArgs) -> anyhow::Result<i32> {
    let overrides = Overrides {
        config: args.config.clone(),
        ..Overrides::default()
    };
    let aliases = match Settings::resolve(&overrides) {
        Ok(s) => Aliases::new(&s.source_aliases),
        Err(d) => {
            eprintln!("{d}");
            return Ok(1);
        }
    };
    let text = text_or_stdin(&args.text)?;
    let a = analyze(&text, &aliases);
    let mut codes = Vec::new();
    let mut events = Vec::new();
    let mut words = Vec::new();
    for t in &a.terms {
        let (kind, value) = t.split_at(2);
        match kind {
            "c:" | "n:" => {
                let code = if kind == "c:" {
                    parse_code(value)
                } else {
                    by_name(value)
                };
                codes.push(json!({
                    "as_written": if kind == "n:" { value.to_uppercase() } else { value.to_string() },
                    "key": code.as_ref().map(|c| c.canonical.clone()),
                    "name": code.as_ref().and_then(|c| c.name()),
                    "message": code.as_ref().and_then(|c| c.message()),
                    "decoded": code.as_ref().and_then(|c| c.decode()),
                }));
            }
            "e:" => events.push(json!({"key": value})),
            "i:" => events.push(json!({"id": value})),
            _ => words.push(value.to_string()),
        }
    }
    let out = json!({"codes": codes, "events": events, "words": words, "noise": a.noise, "terms": a.terms});
    if args.json {
        outln!("{out}");
        return Ok(0);
    }
    for c in &codes {
        let key = c["key"].as_str().unwrap_or("(no code kbgen knows)");
        out!("code   {key}");
        for field in ["name", "message"] {
            if let Some(v) = c[field].as_str() {
                out!("  {v}");
            }
        }
        if let Some(d) = c["decoded"].as_object() {
            out!(
                "  [{} facility {} ({}) code {}]",
                d["severity"].as_str().unwrap_or(""),
                d["facility"],
                d["facility_name"].as_str().unwrap_or("?"),
                d["code"]
            );
        }
        outln!();
    }
    for e in &events {
        match (e["key"].as_str(), e["id"].as_str()) {
            (Some(k), _) => outln!("event  {k}  (source/ID, if a page cites it)"),
            (_, Some(id)) => outln!("event  ID {id}, any source"),
            _ => {}
        }
    }
    if !words.is_empty() {
        outln!("words  {}", words.join(" "));
    }
    if !a.noise.is_empty() {
        outln!("noise  {}", a.noise.join(" "));
    }
    Ok(0)
}
