use super::*;
use crate::markdown::{render, LinkTarget};

fn sigs(md: &str) -> Vec<Signature> {
    let r = render(md, 1, &|_| LinkTarget::Unchanged);
    extract(&r.blocks, &Aliases::default())
}

#[test]
fn seed_style_event_block() {
    let s = sigs("Event ID 1009\nEvent Type: Warning\nEvent Source: W3SVC\nEvent Category: None\nEvent ID: 1009\nDescription:\nA process serving application pool \u{2018}MSExchangeSyncAppPool\u{2019} terminated unexpectedly. The process id was \u{2019}1948\u{2032}. The process exit code was \u{2019}0\u{d7}1\u{2032}.\n");
    let ev = s.iter().find_map(|s| s.event.clone()).expect("event found");
    assert_eq!(ev.key.path(), "w3svc/1009");
    assert_eq!(ev.level.as_deref(), Some("Warning"));
    let m = s.iter().find_map(|s| s.message.clone()).expect("message");
    assert!(
        m.text
            .starts_with("A process serving application pool 'MSExchangeSyncAppPool' terminated"),
        "{}",
        m.text
    );
    assert!(
        m.has_holes(),
        "process id should become a placeholder: {:?}",
        m.parts
    );
}

#[test]
fn event_viewer_copy_format() {
    let s = sigs("```text\nLog Name:      System\nSource:        Service Control Manager\nEvent ID:      7023\nLevel:         Error\nDescription:\nThe Foo service terminated with the following error: Access is denied.\n```\n");
    let ev = s.iter().find_map(|s| s.event.clone()).unwrap();
    assert_eq!(
        (
            ev.key.path().as_str(),
            ev.log.as_deref(),
            ev.level.as_deref()
        ),
        (
            "service-control-manager/7023",
            Some("System"),
            Some("Error")
        )
    );
}

#[test]
fn codes_in_text() {
    let s = sigs("Setup failed. HResult = -2147024893. Also 0x800706BA, c0130021 on the volume, and ERROR_ACCESS_DENIED.\n\nGUID 8a0f3c21-0000-0000-0000-000000000000 is not a code.\n");
    let all: Vec<String> = s
        .iter()
        .flat_map(|s| s.codes.iter().map(|c| c.canonical.clone()))
        .collect();
    for want in ["0x80070003", "0x800706ba", "0xc0130021", "0x80070005"] {
        assert!(
            all.contains(&want.to_string()),
            "{want} missing from {all:?}"
        );
    }
    assert!(!all.iter().any(|c| c == "0x8a0f3c21"), "{all:?}");
}

#[test]
fn error_lines_become_messages() {
    let s = sigs("```\nError message is: The system cannot find the path specified.\n```\n");
    assert!(s.iter().any(|s| s
        .message
        .as_ref()
        .is_some_and(|m| m.text == "The system cannot find the path specified.")));
}

fn bare_ids(s: &[Signature]) -> Vec<u32> {
    s.iter()
        .filter_map(|s| s.bare_event.as_ref().map(|b| b.id))
        .collect()
}

#[test]
fn an_id_without_a_source_is_a_bare_event() {
    let s = sigs("## Event ID 1388\n\nEvent ID 1014 is logged in the System log.\n");
    assert_eq!(bare_ids(&s), [1388, 1014]);
    assert!(s.iter().all(|s| s.event.is_none()));
    let b = s.iter().find_map(|s| s.bare_event.clone()).unwrap();
    assert_eq!(b.id, 1388);
    let logged = s
        .iter()
        .filter_map(|s| s.bare_event.clone())
        .nth(1)
        .unwrap();
    assert_eq!(logged.log.as_deref(), Some("System"));
}

#[test]
fn every_id_on_a_line_counts() {
    let s = sigs("Event ID 4 and Event ID 1097 are logged.\n");
    assert_eq!(bare_ids(&s), [4, 1097]);
}

#[test]
fn two_event_viewer_records_in_one_block_keep_their_own_sources() {
    let s = sigs("```\nLog Name: System\nSource: Service Control Manager\nEvent ID: 7023\nDescription:\nThe Foo service terminated.\n\nLog Name: Application\nSource: Application Error\nEvent ID: 1000\nDescription:\nFaulting application name: foo.exe\n```\n");
    let keys: Vec<String> = s
        .iter()
        .filter_map(|s| s.event.as_ref().map(|e| e.key.path()))
        .collect();
    assert_eq!(
        keys,
        ["service-control-manager/7023", "application-error/1000"]
    );
    let first = s.iter().find(|s| s.event.is_some()).unwrap();
    assert_eq!(
        first.message.as_ref().map(|m| m.text.as_str()),
        Some("The Foo service terminated.")
    );
}

fn event_keys(md: &str) -> Vec<String> {
    sigs(md)
        .iter()
        .filter_map(|s| s.event.as_ref().map(|e| e.key.path()))
        .collect()
}

#[test]
fn key_value_forms() {
    assert_eq!(event_keys("EventID=1011 Source=W3SVC\n"), ["w3svc/1011"]);
    assert_eq!(event_keys("Source=W3SVC EventID=1011\n"), ["w3svc/1011"]);
}
