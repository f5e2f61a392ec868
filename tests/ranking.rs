//! How search ranks, checked on small knowledge bases written for each
//! case: which article comes first and what it says matched.

mod common;

use common::*;

#[test]
fn a_pasted_line_finds_the_paragraph_that_holds_it_over_shared_common_words() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap();
    for (name, text) in [
        (
            "nightly-backup.md",
            "# Nightly backup stops\n\nThe job stops after an hour. The application log then says that \
             the shadow copy provider had an unexpected error while trying to process the specified \
             command, and the backup is marked failed.\n\nRestart the provider service.\n",
        ),
        (
            "volume-shadow-copy-errors.md",
            "# Volume shadow copy provider error while trying to process a backup command\n\n\
             A provider error, an unexpected command or a volume that cannot be processed while \
             trying a backup: each is an error of the shadow copy service. Specified limits \
             apply to every provider and every command.\n",
        ),
    ] {
        std::fs::write(kb.join(name), text).unwrap();
    }
    let site = build(tmp.path(), &kb, &[]);
    assert!(site.output.status.success(), "{}", site.stderr());
    let line = "2024-03-01 02:10:44 Error VSS: The shadow copy provider had an unexpected error \
                while trying to process the specified command. hr = 0x8004230f";
    let v = search_json(&site, &kb, &[line]);
    let first = &v["results"][0];
    assert_eq!(first["source"], "nightly-backup.md", "{v:#}");
    let kinds: Vec<&str> = first["matched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"passage"), "{kinds:?}");
    // A few typed words are no pasted text: no passage is looked for.
    let v = search_json(&site, &kb, &["shadow copy provider error"]);
    assert!(v["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| !r["matched"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["kind"] == "passage")));
}

#[test]
fn an_event_id_cited_under_two_sources_counts_once_against_the_article_titled_with_it() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap();
    let viewer = |source: &str, id: u32| {
        format!("> Log Name: Operations Manager  \n> Source: {source}  \n> Event ID: {id}  \n> Level: Error  \n")
    };
    let guide = format!(
        "# Troubleshoot agent connectivity\n\n## Agent events\n\n{}\n{}\n\n## Server events\n\n{}\n{}\n{}\n",
        viewer("Ops Connector", 4201),
        viewer("Ops Connector", 4202),
        viewer("Ops Management Configuration", 4242),
        viewer("Ops Connector", 4242),
        viewer("Ops Connector", 4203),
    );
    std::fs::write(kb.join("agent-connectivity.md"), guide).unwrap();
    // Other articles, as in a real knowledge base, make an event ID rare.
    for i in 0..60 {
        let text = format!(
            "# Service {i} stops after an update\n\nThe service stops and event {} is logged.\n",
            5000 + i
        );
        std::fs::write(kb.join(format!("service-{i}.md")), text).unwrap();
    }
    std::fs::write(
        kb.join("config-not-updated-event-4242.md"),
        "# Configuration isn't updated and event 4242 is logged\n\nThe configuration service \
         fails a bulk insert, and event 4242 is logged again and again.\n",
    )
    .unwrap();
    let site = build(tmp.path(), &kb, &[]);
    assert!(site.output.status.success(), "{}", site.stderr());
    let v = search_json(&site, &kb, &["event 4242"]);
    assert_eq!(
        v["results"][0]["source"], "config-not-updated-event-4242.md",
        "{v:#}"
    );
}

#[test]
fn a_typed_retelling_finds_the_paragraph_that_holds_its_words_in_another_order() {
    let tmp = tempfile::tempdir().unwrap();
    let kb = tmp.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap();
    std::fs::write(
        kb.join("config-not-updated.md"),
        "# Settings are stale on the server\n\nIn a large environment, configuration changes \
         are not updated on a management server and event 4242 is logged.\n",
    )
    .unwrap();
    let site = build(tmp.path(), &kb, &[]);
    assert!(site.output.status.success(), "{}", site.stderr());
    // In order, the paragraph holds 3 of the 7 terms ("configuration …
    // not updated"); in any order, all of them.
    let query = "event 4242 management server configuration not updated";
    let v = search_json(&site, &kb, &[query]);
    let passage = v["results"][0]["matched"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "passage")
        .cloned();
    let passage = passage.unwrap_or_else(|| panic!("no passage matched: {v:#}"));
    assert_eq!(passage["detail"], "matches a passage 75%");
}
