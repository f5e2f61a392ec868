use super::*;

fn key(s: &str) -> String {
    parse_code(s)
        .unwrap_or_else(|| panic!("`{s}` not recognised"))
        .canonical
}

#[test]
fn hresult_spellings_are_one_key() {
    for s in [
        "-2147024893",
        "2147942403",
        "0x80070003",
        "0X80070003",
        "80070003",
        "HRESULT = -2147024893",
        "hr=0x80070003",
        "ERROR_PATH_NOT_FOUND",
        "3",
        "0x3",
    ] {
        assert_eq!(key(s), "0x80070003", "{s}");
    }
}

#[test]
fn win32_hex_forms_wrap_to_hresult() {
    assert_eq!(key("0x6BA"), "0x800706ba");
    assert_eq!(key("1722"), "0x800706ba");
    assert_eq!(key("0x000006D9"), "0x800706d9");
}

#[test]
fn other_families() {
    assert_eq!(key("ENOSPC"), "enospc");
    assert_eq!(key("5.7.57"), "5.7.57");
    assert_eq!(key("Msg 9002"), "mssql-9002");
    assert_eq!(key("MSSQLSERVER_9002"), "mssql-9002");
    assert_eq!(key("0xC0000005"), "0xc0000005");
    assert_eq!(parse_code("0xC0000005").unwrap().kind, CodeKind::NtStatus);
    assert_eq!(key("STATUS_ACCESS_VIOLATION"), "0xc0000005");
    assert_eq!(key("E_ACCESSDENIED"), "0x80070005");
}

#[test]
fn names_and_messages_decode() {
    let c = parse_code("-2147024893").unwrap();
    assert_eq!(c.name(), Some("ERROR_PATH_NOT_FOUND"));
    assert_eq!(
        c.message(),
        Some("The system cannot find the path specified.")
    );
    let d = c.decode().unwrap();
    assert_eq!(
        (d.severity, d.facility, d.facility_name, d.code),
        ("failure", 7, Some("WIN32"), 3)
    );
}

#[test]
fn rejects_non_codes() {
    for s in ["hello", "0x", "0x123456789", "-", "5.7", "99999999999"] {
        assert!(parse_code(s).is_none(), "{s}");
    }
}

#[test]
fn every_hresult_round_trips_decimal_hex_canonical() {
    // A spread of 32-bit patterns, including the sign boundary.
    let mut v: u32 = 0x8000_0000;
    for _ in 0..2000 {
        let canonical = format!("0x{v:08x}");
        assert_eq!(key(&canonical), canonical);
        assert_eq!(
            key(&(v as i32).to_string()),
            canonical,
            "signed {}",
            v as i32
        );
        assert_eq!(key(&v.to_string()), canonical, "unsigned {v}");
        assert_eq!(key(&format!("{v:08X}")), canonical, "bare {v:08X}");
        v = v.wrapping_mul(2_654_435_761).wrapping_add(0x9e37) | 0x8000_0000;
    }
}

#[test]
fn declared_codes_of_other_families_are_kept() {
    assert_eq!(
        parse_declared("HTTP 500.19").unwrap().canonical,
        "http-500.19"
    );
    assert_eq!(parse_declared("HTTP 503").unwrap().kind, CodeKind::Http);
    assert_eq!(parse_declared("SIGKILL").unwrap().canonical, "sigkill");
    assert_eq!(parse_declared("203/EXEC").unwrap().canonical, "203-exec");
    assert!(parse_declared("0x8007002")
        .unwrap_err()
        .message
        .contains("7 hex digits"));
    assert!(parse_declared("ERROR_NO_SUCH_THING_AT_ALL").is_err());
}

#[test]
fn doubtful_declared_codes_get_a_hint() {
    let typo = parse_declared("ERROR_ACCES_DENIED").unwrap_err();
    assert!(typo.hint.contains("`ERROR_ACCESS_DENIED`"), "{typo:?}");
    let status = parse_declared("STATUS_ACCESS_VIOLATON").unwrap_err();
    assert!(
        status.hint.contains("`STATUS_ACCESS_VIOLATION`"),
        "{status:?}"
    );
    assert!(parse_declared("E_NOSUCHTHINGWHATSOEVER")
        .unwrap_err()
        .hint
        .contains("by number"));
    let odd = parse_declared("0x8ab00001").unwrap();
    assert!(doubt(&odd).unwrap().message.contains("facility 2736"));
    for fine in [
        "0x80070005",
        "0x80040154",
        "0xc0000005",
        "0x8024402c",
        "SIGKILL",
    ] {
        let c = parse_declared(fine).unwrap();
        assert!(doubt(&c).is_none(), "{fine}");
    }
}

#[test]
fn bug_checks_need_their_context_words() {
    for s in [
        "STOP: 0x0000007E",
        "Bug Check 0x7E",
        "bugcheck 0x0000007e",
        "BugCheck code 0x7e",
        "bugcheck-0x7e",
        "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED",
    ] {
        assert_eq!(key(s), "bugcheck-0x7e", "{s}");
    }
    let c = parse_code("STOP 0x000000D1 (0x0000000C, 0x00000002, 0x00000000, 0xF86B5A89)").unwrap();
    assert_eq!(
        (c.canonical.as_str(), c.kind, c.name()),
        (
            "bugcheck-0xd1",
            CodeKind::BugCheck,
            Some("DRIVER_IRQL_NOT_LESS_OR_EQUAL")
        )
    );
    assert!(c.spellings().contains(&"STOP 0x000000D1".to_string()));
    assert_eq!(key("DRIVER_IRQL_NOT_LESS_OR_EQUAL"), "bugcheck-0xd1");
    // Without the words, the same digits are what they always were.
    assert_eq!(key("0x0000007E"), "0x8007007e");
    assert_eq!(key("0x7E"), "0x8007007e");
    assert_eq!(key("STOP 0xC000021A"), "bugcheck-0xc000021a");
    assert_eq!(key("0xC000021A"), "0xc000021a");
}

#[test]
fn bug_check_names_never_take_another_tables_name() {
    for (v, name) in crate::signature::bugcheck::NAMES {
        let c = by_name(name).unwrap();
        let elsewhere = tables::win32().by_name(name).is_some()
            || tables::hresult().by_name(name).is_some()
            || tables::ntstatus().by_name(name).is_some();
        if elsewhere {
            assert_ne!(c.kind, CodeKind::BugCheck, "{name} was taken");
        } else {
            assert_eq!(c.canonical, format!("bugcheck-0x{v:x}"), "{name}");
        }
    }
    assert_eq!(
        parse_code("STATUS_SYSTEM_PROCESS_TERMINATED").unwrap().kind,
        CodeKind::NtStatus
    );
    assert_eq!(
        key("Stop code: STATUS_SYSTEM_PROCESS_TERMINATED"),
        "bugcheck-0xc000021a"
    );
}

#[test]
fn related_forms() {
    let keys = |c: &str| -> Vec<(&str, String)> {
        parse_code(c)
            .unwrap()
            .related()
            .into_iter()
            .map(|(label, c)| (label, c.canonical))
            .collect()
    };
    assert_eq!(
        keys("0xC0000022"),
        [
            ("HRESULT_FROM_NT", "0xd0000022".to_string()),
            ("Bug check", "bugcheck-0xc0000022".to_string())
        ]
    );
    assert_eq!(keys("0xD0000022"), [("NTSTATUS", "0xc0000022".to_string())]);
    assert_eq!(
        keys("STOP 0xC000021A"),
        [("Status", "0xc000021a".to_string())]
    );
    assert!(keys("0x80070005").is_empty());
    assert!(keys("Bug Check 0x7E").is_empty());
    assert!(keys("Msg 9002").is_empty());
}

/// Every canonical key is itself a spelling of its code, so a key copied from
/// a page URL (or indexed by search) parses back to the same code.
#[test]
fn canonical_keys_parse_back() {
    for s in [
        "0x80070003",
        "0xC0000005",
        "ENOSPC",
        "5.7.57",
        "Msg 9002",
        "HTTP 500.19",
        "Bug Check 0x7E",
        "STOP 0xC000021A",
        "SIGKILL",
        "203/EXEC",
    ] {
        let c = parse_declared(s).unwrap();
        let again = parse_declared(&c.canonical).unwrap();
        assert_eq!(
            (&again.canonical, again.kind),
            (&c.canonical, c.kind),
            "{s}"
        );
    }
}

/// Found by `cargo fuzz run codes`: a multi-byte character right after
/// `http` made the status check slice inside it and panic.
#[test]
fn http_prefix_with_non_ascii_does_not_panic() {
    assert!(parse_code("http_M\u{1ea1}").is_none());
    assert!(parse_declared("HTTP \u{e9}\u{e9}").is_ok());
}
