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
