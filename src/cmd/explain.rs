//! `kbgen explain`: what the analyser recognises in a text — each code
//! decoded, each event, the words that will be searched and the noise that
//! will not, and (when the site has a search index) the product versions it
//! names and which message templates of the knowledge base it matches and
//! how well. The quickest way to see why
//! a pasted line finds what it finds.

use crate::cli::{text_or_stdin, ExplainArgs};
use kbgen::analysis::bounds::analyze_query;
use kbgen::analysis::TermKind;
use kbgen::config::Settings;
use kbgen::index::terminal::{self, Engine};
use kbgen::search::rank::RERANK;
use kbgen::search::versions;
use kbgen::signature::codes::{by_name, parse_code};
use kbgen::signature::events::Aliases;
use serde_json::{json, Value};

pub(crate) fn run(args: &ExplainArgs) -> anyhow::Result<i32> {
    let settings = match Settings::resolve(&args.location.overrides()) {
        Ok(s) => s,
        Err(d) => {
            eprintln!("{d}");
            return Ok(1);
        }
    };
    let aliases = Aliases::new(&settings.source_aliases);
    let text = text_or_stdin(&args.text)?;
    // Bounded as a search is, so a pasted megabyte explains in a moment.
    let bounded = analyze_query(&text, &aliases);
    let (text, mut a) = (bounded.text, bounded.analysis);
    // Explaining a line must not build a site as a side effect: only an
    // index that is already there is read.
    let dir = terminal::index_dir(&settings.output);
    let engine = if terminal::is_current(&dir) {
        Some(Engine::open(&dir)?)
    } else {
        None
    };
    // A version named with its product is no event (as search reads it).
    let named = engine
        .as_ref()
        .map(|e| versions::mentions(text, e.known()))
        .unwrap_or_default();
    versions::drop_version_events(&mut a, &named);
    let shown_versions: Vec<Value> = named
        .iter()
        .map(|m| {
            let name = engine
                .as_ref()
                .and_then(|e| e.known().get(&m.product))
                .map_or(m.product.as_str(), |(n, _)| n.as_str());
            json!({"product": name, "version": m.version})
        })
        .collect();
    let (codes, events, words) = recognised(&a.terms);
    let templates = match &engine {
        Some(e) => Some(template_matches(e, text, &aliases)?),
        None => None,
    };
    let out = json!({
        "codes": codes, "events": events, "versions": shown_versions, "words": words,
        "noise": a.noise, "terms": a.terms, "templates": templates, "cut": bounded.cut,
    });
    if args.json {
        outln!("{out}");
        return Ok(0);
    }
    print_codes(&codes)?;
    for e in &events {
        match (e["key"].as_str(), e["id"].as_str()) {
            (Some(k), _) => outln!("event  {k}  (source/ID, if a page cites it)"),
            (_, Some(id)) => outln!("event  ID {id}, any source"),
            _ => {}
        }
    }
    for v in &shown_versions {
        outln!(
            "version  {} {}  (favours the articles that apply to it)",
            v["product"].as_str().unwrap_or_default(),
            v["version"].as_str().unwrap_or_default()
        );
    }
    if !words.is_empty() {
        outln!("words  {}", words.join(" "));
    }
    if !a.noise.is_empty() {
        outln!("noise  {}", a.noise.join(" "));
    }
    if let Some(cut) = &bounded.cut {
        outln!("cut    {cut}");
    }
    print_templates(&settings, templates.as_deref())?;
    Ok(0)
}

/// The codes (with what kbgen knows of each), events and words among the
/// analyser's `terms`, as JSON values and words.
fn recognised(terms: &[String]) -> (Vec<Value>, Vec<Value>, Vec<String>) {
    let mut codes = Vec::new();
    let mut events = Vec::new();
    let mut words = Vec::new();
    for t in terms {
        let Some((kind, value)) = TermKind::parse(t) else {
            continue;
        };
        match kind {
            TermKind::Code | TermKind::Name => {
                let code = if kind == TermKind::Code {
                    parse_code(value)
                } else {
                    by_name(value)
                };
                codes.push(json!({
                    "as_written": if kind == TermKind::Name { value.to_uppercase() } else { value.to_string() },
                    "key": code.as_ref().map(|c| c.canonical.clone()),
                    "name": code.as_ref().and_then(|c| c.name()),
                    "message": code.as_ref().and_then(|c| c.message()),
                    "decoded": code.as_ref().and_then(|c| c.decode()),
                }));
            }
            TermKind::Event => events.push(json!({"key": value})),
            TermKind::BareEvent => events.push(json!({"id": value})),
            TermKind::Word => words.push(value.to_string()),
        }
    }
    (codes, events, words)
}

/// Each recognised code with its name, message and HRESULT decoding.
fn print_codes(codes: &[Value]) -> anyhow::Result<()> {
    for c in codes {
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
    Ok(())
}

/// The message templates the text matches, or why none can be shown.
fn print_templates(settings: &Settings, templates: Option<&[Value]>) -> anyhow::Result<()> {
    match templates {
        None => outln!(
            "(no search index for {}: run `kbgen build` to see which templates match)",
            settings.output.display()
        ),
        Some(list) => {
            for t in list {
                outln!(
                    "template  {}  {} ({})\n           {}",
                    t["share"].as_str().unwrap_or(""),
                    t["title"].as_str().unwrap_or(""),
                    t["source"].as_str().unwrap_or(""),
                    t["template"].as_str().unwrap_or("")
                );
            }
        }
    }
    Ok(())
}

/// The knowledge base's message templates this text matches, best first
/// (as search ranks them).
fn template_matches(
    engine: &Engine,
    text: &str,
    aliases: &Aliases,
) -> anyhow::Result<Vec<serde_json::Value>> {
    let response = engine.search(text, aliases, RERANK)?;
    let mut out = Vec::new();
    for hit in &response.results {
        for m in hit.matched.iter().filter(|m| m.kind == "template") {
            let share = m.detail.rsplit(' ').next().unwrap_or_default();
            out.push(json!({
                "source": hit.source, "url": hit.url, "title": hit.title,
                "template": m.key, "share": share,
            }));
        }
    }
    Ok(out)
}
