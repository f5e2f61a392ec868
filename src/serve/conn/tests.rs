use super::{head_end, parse_head, Head, Slots};
use std::net::IpAddr;
use std::sync::Arc;

#[test]
fn heads_give_method_target_and_framing() {
    let head = parse_head(b"GET /a/?q=1 HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert_eq!(
        head,
        Head {
            method: "GET".into(),
            target: "/a/?q=1".into(),
            keep_alive: true,
            has_body: false,
            content_length: None,
        }
    );
    let old = parse_head(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    assert!(!old.keep_alive);
    let close = parse_head(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n").unwrap();
    assert!(!close.keep_alive);
}

#[test]
fn a_body_is_seen_from_its_length_or_its_encoding() {
    for raw in [
        &b"GET / HTTP/1.1\r\nContent-Length: 100000\r\n\r\n"[..],
        b"POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n",
    ] {
        assert!(parse_head(raw).unwrap().has_body);
    }
    assert!(
        !parse_head(b"GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
            .unwrap()
            .has_body
    );
}

#[test]
fn non_http_or_non_ascii_heads_are_refused() {
    assert!(parse_head("GET /caf\u{e9} HTTP/1.0\r\n\r\n".as_bytes()).is_none());
    assert!(parse_head(b"GET /\r\n\r\n").is_none());
    assert!(parse_head(b"SSH-2.0-x\r\n\r\n").is_none());
}

#[test]
fn a_head_ends_at_the_first_blank_line() {
    assert_eq!(head_end(b"GET / HTTP/1.1\r\n\r\nGET"), Some(18));
    assert_eq!(head_end(b"GET / HTTP/1.1\n\n"), Some(16));
    assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost"), None);
}

/// Issue 15, item 6: one client address holds at most its cap of
/// connections, all clients together at most theirs, and a slot comes back
/// when its connection ends.
#[test]
fn connections_are_capped_per_client_and_in_all() {
    let slots = Arc::new(Slots::new(2, 3));
    let a: IpAddr = "10.0.0.1".parse().unwrap();
    let b: IpAddr = "10.0.0.2".parse().unwrap();
    let a1 = Slots::take(&slots, a).unwrap();
    let _a2 = Slots::take(&slots, a).unwrap();
    assert!(Slots::take(&slots, a).is_none(), "per client");
    let _b1 = Slots::take(&slots, b).unwrap();
    assert!(Slots::take(&slots, b).is_none(), "in all");
    drop(a1);
    assert!(Slots::take(&slots, b).is_some(), "released");
}
