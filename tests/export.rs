//! `kbgen export`: jsonl carries every signature of the knowledge base;
//! the OpenSearch output passes a validator written from the documented
//! `_bulk` format (NDJSON: an action line, then a source line, each ending
//! with a newline) and index-template format, with `_id`s stable across
//! exports.

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn export(source: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["export", "--source", source.to_str().unwrap()];
    all.extend_from_slice(args);
    kbgen(&repo(), &all)
}

fn jsonl(source: &Path) -> Vec<Value> {
    let out = export(source, &["--format", "jsonl"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

/// Every signature the build counts is in the export, with its keys.
fn round_trips_every_signature(source: &Path) {
    let lines = jsonl(source);
    let check = kbgen(
        &repo(),
        &[
            "check",
            "--source",
            source.to_str().unwrap(),
            "--broken-links",
            "warn",
            "--format",
            "json",
        ],
    );
    let summary: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(lines.len() as u64, summary["articles"].as_u64().unwrap());
    let sigs: Vec<&Value> = lines
        .iter()
        .flat_map(|a| a["signatures"].as_array().unwrap())
        .collect();
    assert_eq!(sigs.len() as u64, summary["signatures"].as_u64().unwrap());
    for s in &sigs {
        let has = s["event"]["key"].is_string()
            || s["bare_event_id"].is_u64()
            || !s["codes"].as_array().unwrap().is_empty()
            || s["template"].is_string();
        assert!(has, "a signature with nothing in it: {s}");
        if let Some(key) = s["event"]["key"].as_str() {
            assert_eq!(
                key,
                format!(
                    "{}/{}",
                    s["event"]["source"].as_str().unwrap(),
                    s["event"]["id"]
                )
            );
        }
    }
    for a in &lines {
        for key in ["path", "url", "title", "text", "freshness"] {
            assert!(a[key].is_string(), "{key} missing in {a}");
        }
    }
}

#[test]
fn jsonl_round_trips_every_signature_of_the_bundled_kb() {
    round_trips_every_signature(&repo().join("kb"));
    let lines = jsonl(&repo().join("kb"));
    let codes: BTreeSet<&str> = lines
        .iter()
        .flat_map(|a| a["signatures"].as_array().unwrap())
        .flat_map(|s| s["codes"].as_array().unwrap())
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert!(codes.contains("0x80070005") || !codes.is_empty());
}

#[test]
fn jsonl_round_trips_every_signature_of_the_shared_corpus() {
    let Some(corpus) = corpus() else { return };
    round_trips_every_signature(&corpus);
}

/// A validator for the `_bulk` body as the OpenSearch and Elasticsearch
/// documentation define it; returns the `_id`s in order.
fn validate_bulk(body: &str, template: &Value) -> Vec<String> {
    assert!(
        body.ends_with('\n'),
        "the bulk body must end with a newline"
    );
    let lines: Vec<&str> = body.strip_suffix('\n').unwrap().split('\n').collect();
    assert_eq!(
        lines.len() % 2,
        0,
        "index actions come in pairs: action line, source line"
    );
    let props = template["template"]["mappings"]["properties"]
        .as_object()
        .unwrap();
    let mut ids = Vec::new();
    for pair in lines.chunks(2) {
        let action: Value = serde_json::from_str(pair[0]).expect("action line is JSON");
        let action = action.as_object().unwrap();
        assert_eq!(action.len(), 1, "one action per line: {action:?}");
        let (verb, meta) = action.iter().next().unwrap();
        assert!(["index", "create"].contains(&verb.as_str()), "{verb}");
        let meta = meta.as_object().unwrap();
        assert!(
            meta.keys().all(|k| ["_index", "_id"].contains(&k.as_str())),
            "{meta:?}"
        );
        let id = meta["_id"].as_str().expect("_id is a string");
        assert!(
            !id.is_empty() && id.len() <= 512,
            "_id is 1..512 bytes: {id}"
        );
        assert!(meta["_index"]
            .as_str()
            .is_some_and(|i| i == i.to_lowercase() && !i.starts_with(['_', '-', '+'])));
        let source: Value = serde_json::from_str(pair[1]).expect("source line is JSON");
        // The mapping is strict: a field it does not know would be refused.
        for (field, value) in source.as_object().unwrap() {
            let mapping = props
                .get(field)
                .unwrap_or_else(|| panic!("field {field} is not mapped"));
            if mapping["type"] == "date" && !value.is_null() {
                let d = value.as_str().unwrap();
                assert!(
                    d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-',
                    "strict_date: {d}"
                );
            }
        }
        ids.push(id.to_string());
    }
    ids
}

fn validate_template(t: &Value) {
    let patterns = t["index_patterns"]
        .as_array()
        .expect("index_patterns is a list");
    assert!(patterns.iter().all(Value::is_string));
    let props = t["template"]["mappings"]["properties"].as_object().unwrap();
    let types = ["keyword", "text", "date", "integer", "object"];
    for (field, m) in props {
        assert!(types.contains(&m["type"].as_str().unwrap()), "{field}: {m}");
    }
    for field in ["codes", "event_keys", "path", "url", "products", "versions"] {
        assert_eq!(props[field]["type"], "keyword", "{field}");
    }
    for field in ["text", "title", "summary", "templates"] {
        assert_eq!(props[field]["type"], "text", "{field}");
        assert_eq!(props[field]["analyzer"], "english", "{field}");
    }
}

#[test]
fn opensearch_output_passes_the_bulk_validator_with_stable_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |dir: &str| {
        let to = tmp.path().join(dir);
        let out = export(
            &repo().join("kb"),
            &["--format", "opensearch", "--to", to.to_str().unwrap()],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let template: Value =
            serde_json::from_str(&std::fs::read_to_string(to.join("index-template.json")).unwrap())
                .unwrap();
        validate_template(&template);
        let bulk = std::fs::read_to_string(to.join("bulk.ndjson")).unwrap();
        (validate_bulk(&bulk, &template), bulk)
    };
    let (ids, bulk) = run("one");
    assert_eq!(
        ids.len(),
        ids.iter().collect::<BTreeSet<_>>().len(),
        "unique _ids"
    );
    let (again, bulk_again) = run("two");
    assert_eq!(ids, again, "_id stable across exports");
    assert_eq!(bulk, bulk_again);
    assert!(bulk.contains("\"codes\":[") && bulk.contains("\"event_keys\":["));
}
