//! Articles written without signatures in front matter still get them from
//! their text: the seed article with its declared signatures removed must
//! yield its three events, their messages and the HRESULT.

mod common;

use common::*;

#[test]
fn seed_without_declared_signatures_yields_the_same_events_and_code() {
    let text =
        std::fs::read_to_string(repo().join("kb/exchange/cas-role-msexchangesyncapppool-crash.md"))
            .unwrap();
    let body = text
        .splitn(3, "---\n")
        .nth(2)
        .expect("seed has front matter");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("kb"), &dir.path().join("kb"));
    std::fs::write(
        dir.path()
            .join("kb/exchange/cas-role-msexchangesyncapppool-crash.md"),
        body,
    )
    .unwrap();
    let b = build(dir.path(), &dir.path().join("kb"), &[]);
    assert!(b.output.status.success(), "{}", b.stderr());
    for id in ["1011", "1009", "1002"] {
        let page = b.page(&format!("events/w3svc/{id}/index.html"));
        assert!(
            page.contains("exchange/cas-role-msexchangesyncapppool-crash/index.html"),
            "event {id} page does not cite the article"
        );
        assert!(
            page.contains("MSExchangeSyncAppPool"),
            "event {id} message not extracted"
        );
    }
    assert!(b
        .page("events/w3svc/1002/index.html")
        .contains("is being automatically disabled due to a series of failures"));
    assert!(b
        .page("codes/0x80070003/index.html")
        .contains("exchange/cas-role-msexchangesyncapppool-crash/index.html"));
    let article = b.page("exchange/cas-role-msexchangesyncapppool-crash/index.html");
    assert!(
        article.contains("signature extracted"),
        "extracted signatures are marked as such"
    );
}

/// An ID cited without a source resolves to `events/id/<id>/`, which lists
/// every source using the ID and every article citing it bare.
#[test]
fn bare_event_ids_get_a_disambiguation_page() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap();
    let write = |name: &str, text: &str| std::fs::write(kb.join(name), text).unwrap();
    write(
        "bare.md",
        "# Replication stops\n\n## Event ID 1388\n\nThe event is logged.\n",
    );
    write(
        "ntds.md",
        "# NTDS\n\n```\nSource: NTDS Replication\nEvent ID: 1388\n```\n",
    );
    write("w3svc.md", "# IIS\n\nEvent ID: 1388\nSource: W3SVC\n");
    write("odd.md", "# A source named ID\n\nEvent ID: 7\nSource: ID\n");
    let b = build(dir.path(), &kb, &[]);
    assert!(b.output.status.success(), "{}", b.stderr());

    let page = b.page("events/id/1388/index.html");
    for link in [
        "../../../events/ntds-replication/1388/index.html",
        "../../../events/w3svc/1388/index.html",
        "../../../bare/index.html",
    ] {
        assert!(page.contains(link), "{link} missing from the ID page");
    }
    assert!(
        !page.contains("../../../ntds/index.html"),
        "articles that name the source are cited on the source page, not as bare"
    );
    assert!(b
        .page("events/w3svc/1388/index.html")
        .contains("../../../events/id/1388/index.html"));
    assert!(b
        .page("events/index.html")
        .contains("../events/id/1388/index.html"));
    let article = b.page("bare/index.html");
    assert!(
        article.contains("href=\"../events/id/1388/index.html\">Event 1388</a>"),
        "bare badge missing"
    );
    // A source literally named `ID` must not take the bare-ID folder.
    assert!(b
        .page("events/id-source/7/index.html")
        .contains("odd/index.html"));
    assert!(b
        .page("events/id/7/index.html")
        .contains("events/id-source/7/index.html"));
}

/// A code page links the other keys of the same failure that have pages:
/// an NTSTATUS and its HRESULT_FROM_NT form, a bug check and its status.
#[test]
fn code_pages_link_related_forms() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    std::fs::create_dir_all(&kb).unwrap();
    let write = |name: &str, text: &str| std::fs::write(kb.join(name), text).unwrap();
    write("nt.md", "# NT\n\nThe call fails with 0xC0000022.\n");
    write("hr.md", "# HR\n\nThe call fails with HRESULT 0xD0000022.\n");
    write(
        "stop.md",
        "# Stop\n\n```\nSTOP: 0xC000021A {Fatal System Error}\n```\n",
    );
    write(
        "status.md",
        "# Status\n\nWinlogon ends with status 0xC000021A.\n",
    );
    let b = build(dir.path(), &kb, &[]);
    assert!(b.output.status.success(), "{}", b.stderr());
    let link = |from: &str, to: &str| {
        let page = b.page(&format!("codes/{from}/index.html"));
        assert!(
            page.contains(&format!("href=\"../../codes/{to}/index.html\"")),
            "{from} does not link {to}"
        );
    };
    link("0xc0000022", "0xd0000022");
    link("0xd0000022", "0xc0000022");
    link("bugcheck-0xc000021a", "0xc000021a");
    link("0xc000021a", "bugcheck-0xc000021a");
    assert!(b
        .page("codes/bugcheck-0xc000021a/index.html")
        .contains("STATUS_SYSTEM_PROCESS_TERMINATED"));
}
