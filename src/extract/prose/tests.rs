use super::*;
use crate::markdown::{render, LinkTarget};

fn sigs(md: &str) -> Vec<Signature> {
    let r = render(md, 1, &|_, _| LinkTarget::Unchanged);
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
        m.parts()
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

#[test]
fn source_after_the_id() {
    assert_eq!(
        event_keys("Look for event 1011 from W3SVC.\n"),
        ["w3svc/1011"]
    );
    assert_eq!(
        event_keys("Event ID 1011 from source W3SVC is logged.\n"),
        ["w3svc/1011"]
    );
    assert_eq!(
        event_keys("You may also see Event ID 56 with source TermDD in the system event log.\n"),
        ["termdd/56"]
    );
    assert_eq!(
        event_keys("Event 4013 from the DNS server is logged.\n"),
        ["dns/4013"]
    );
    // `from the server` names no source: the ID stays bare.
    let s = sigs("Event 4013 from the server is logged.\n");
    assert_eq!(bare_ids(&s), [4013]);
    assert!(s.iter().all(|s| s.event.is_none()));
}

#[test]
fn source_before_the_word_event() {
    assert_eq!(
        event_keys("A W3SVC event 1011 is logged.\n"),
        ["w3svc/1011"]
    );
    assert_eq!(event_keys("W3SVC event ID 1011\n"), ["w3svc/1011"]);
    assert_eq!(
        event_keys("# KDC event ID 16 or 27 is logged if DES is disabled\n"),
        ["kdc/16"]
    );
    assert_eq!(
        event_keys("Check the Service Control Manager event ID 7000 first.\n"),
        ["service-control-manager/7000"]
    );
    assert_eq!(
        event_keys("The Microsoft-Windows-Time-Service Event 142 says so.\n"),
        ["w32time/142"]
    );
    assert_eq!(
        event_keys("Look for the Netlogon event 5719 and MSExchangeIS event 9646.\n"),
        ["netlogon/5719", "msexchangeis/9646"]
    );
    // Words that only precede `event`: a level, an article, a lower-case verb.
    for text in [
        "An Error event 1000 is logged.\n",
        "It was event 1000.\n",
        "The replication event 1988 is logged.\n",
    ] {
        let s = sigs(text);
        assert!(s.iter().all(|s| s.event.is_none()), "{text}: {s:?}");
        assert_eq!(bare_ids(&s).len(), 1, "{text}");
    }
}

#[test]
fn get_winevent_list_form() {
    let s = sigs("```powershell\nPS> Get-WinEvent -LogName System -MaxEvents 2 | Format-List\n\nTimeCreated : 3/1/2024 10:00:00 AM\nProviderName : W3SVC\nId : 1011\nLevelDisplayName : Warning\nMessage : A process serving application pool 'DefaultAppPool' suffered a fatal communication error with the Windows Process Activation Service.\n\nTimeCreated : 3/1/2024 9:00:00 AM\nProviderName : Service Control Manager\nId : 7036\nLevel : 4\nLevelDisplayName : Information\nMessage : The Windows Update service entered the stopped state.\nRecordId : 12\n```\n");
    let evs: Vec<_> = s.iter().filter_map(|s| s.event.clone()).collect();
    let keys: Vec<String> = evs.iter().map(|e| e.key.path()).collect();
    assert_eq!(keys, ["w3svc/1011", "service-control-manager/7036"]);
    assert_eq!(evs[0].level.as_deref(), Some("Warning"));
    assert_eq!(evs[1].level.as_deref(), Some("Information"));
    let last = s.iter().filter(|s| s.event.is_some()).nth(1).unwrap();
    assert_eq!(
        last.message.as_ref().map(|m| m.text.as_str()),
        Some("The Windows Update service entered the stopped state.")
    );
    assert!(bare_ids(&s).is_empty());
}

#[test]
fn get_winevent_table_form() {
    let s = sigs("```\n   ProviderName: Microsoft-Windows-Kernel-Power\n\nTimeCreated                      Id LevelDisplayName Message\n-----------                      -- ---------------- -------\n3/1/2024 10:02:11 AM             41 Critical         The system has rebooted without cleanly shutting down first. This error could be caused if...\n3/1/2024 10:02:12 AM            109 Information      The kernel power manager has initiated a shutdown transition.\n\n   ProviderName: EventLog\n\nTimeCreated                      Id LevelDisplayName Message\n-----------                      -- ---------------- -------\n3/1/2024 10:02:20 AM           6008 Error            The previous system shutdown at 10:01:55 AM on 3/1/2024 was unexpected.\n```\n");
    let evs: Vec<_> = s.iter().filter_map(|s| s.event.clone()).collect();
    let keys: Vec<String> = evs.iter().map(|e| e.key.path()).collect();
    assert_eq!(
        keys,
        ["kernel-power/41", "kernel-power/109", "eventlog/6008"]
    );
    assert_eq!(evs[0].level.as_deref(), Some("Critical"));
    let first = s.iter().find(|s| s.event.is_some()).unwrap();
    let m = first.message.as_ref().unwrap();
    assert!(
        m.text.starts_with("The system has rebooted") && !m.text.ends_with("..."),
        "{}",
        m.text
    );
}

fn code_keys(md: &str) -> Vec<String> {
    sigs(md)
        .iter()
        .flat_map(|s| s.codes.iter().map(|c| c.canonical.clone()))
        .collect()
}

#[test]
fn bug_checks_in_text() {
    assert_eq!(
        code_keys(
            "```\n*** STOP: 0x0000007E (0xC0000005, 0x8056D2E3, 0xF7A1E9C0, 0xF7A1E6BC)\n```\n"
        ),
        ["bugcheck-0x7e"]
    );
    assert_eq!(
        code_keys("You receive a Stop error: STOP 0x000000D1 (0x0000000c, 0x00000002, 0x00000000, 0xf86b5a89).\n"),
        ["bugcheck-0xd1"]
    );
    assert_eq!(
        code_keys("The computer restarts with Bug Check 0x133 (DPC_WATCHDOG_VIOLATION).\n"),
        ["bugcheck-0x133"]
    );
    assert_eq!(
        code_keys("A bugcheck 0x0000007e occurs. Stop code: CRITICAL_PROCESS_DIED.\n"),
        ["bugcheck-0x7e", "bugcheck-0xef"]
    );
    assert_eq!(
        code_keys("The IRQL_NOT_LESS_OR_EQUAL screen appears, see HKEY_LOCAL_MACHINE.\n"),
        ["bugcheck-0xa"]
    );
    assert_eq!(
        code_keys(
            "> STOP: c000021a {Fatal System Error}
"
        ),
        ["bugcheck-0xc000021a"]
    );
    // Without the words, 0x0000007E stays Win32 error 126.
    assert_eq!(code_keys("Error 0x0000007E occurred.\n"), ["0x8007007e"]);
}

#[test]
fn sql_server_errorlog_lines_are_sql_errors() {
    let found = sigs(
        "```text\n2024-06-01 08:00:01.12 Server      Error: 17182, Severity: 16, State: 1.\n```\n",
    );
    let codes: Vec<&str> = found
        .iter()
        .flat_map(|s| s.codes.iter().map(|c| c.canonical.as_str()))
        .collect();
    assert_eq!(codes, ["mssql-17182"]);
}

/// The errno pattern once matched the word "Error" case-insensitively and
/// hid every `error 1722` / `Error: N` form that followed it.
#[test]
fn the_word_error_is_no_errno_name() {
    let found = sigs("Replication fails with error 1722.\n");
    let codes: Vec<&str> = found
        .iter()
        .flat_map(|s| s.codes.iter().map(|c| c.canonical.as_str()))
        .collect();
    assert_eq!(codes, ["0x800706ba"]);
}

/// `550 5.7.23` is an SMTP reply and its enhanced status code, not Win32
/// error 550 (0x80070226).
#[test]
fn smtp_reply_code_is_no_win32_error() {
    let keys = code_keys("The NDR says: Remote server returned error 550 5.7.23 The message was rejected because of SPF.\n");
    assert_eq!(keys, ["5.7.23"]);
}

/// A NetBIOS node type of `0x00000008` is a value, not Win32 error 8;
/// the same digits on an error line still are.
#[test]
fn netbios_node_type_is_no_code() {
    assert!(code_keys("The NetBIOS node type is 0x00000008 (hybrid).\n").is_empty());
    assert_eq!(
        code_keys("The call failed with error 0x00000008.\n"),
        ["0x80070008"]
    );
}

/// `HRESULT: 0x00000000` is S_OK, success: no code page for it.
#[test]
fn hresult_zero_is_success_not_a_code() {
    assert!(code_keys("The call returned HRESULT: 0x00000000 and went on.\n").is_empty());
    assert!(code_keys("The status was 0x00000000.\n").is_empty());
}

/// "event 7031 is logged:" followed by a record with `Source:` but no
/// `Event ID:` line: the record is event 7031 of that source.
#[test]
fn record_without_id_after_the_sentence_that_names_it() {
    let s = sigs("When the problem occurs, event 7031 is logged:\n\n```console\nLog Name: System\nSource: Service Control Manager\nDescription:\nThe Microsoft Exchange Frontend Transport service terminated unexpectedly.\n```\n");
    let ev = s.iter().find_map(|s| s.event.clone()).expect("event found");
    assert_eq!(ev.key.path(), "service-control-manager/7031");
    // A sentence naming two IDs says nothing about which one the record is.
    let s = sigs("Event 7031 and event 7034 are logged:\n\n```console\nLog Name: System\nSource: Service Control Manager\n```\n");
    assert!(s.iter().all(|s| s.event.is_none()));
}

/// A CBS/setup log line in a code block: the message after the time,
/// level and component is a message template, as a failure sentence alone
/// would be.
#[test]
fn failure_message_after_a_log_lines_time_level_and_component() {
    let s = sigs("```\n2014-08-12 10:44:03, Warning SYSPRP Could not re-arm region selection, some files and registry keys are no longer recoverable.\n```\n");
    let m = s.iter().find_map(|s| s.message.clone()).expect("message");
    assert!(
        m.text.starts_with("Could not re-arm region selection"),
        "{}",
        m.text
    );
    // The same line as articles quote it, with placeholders for the time.
    let s = sigs("> \\<Date> \\<Time>, Warning SYSPRP Could not re-arm region selection, some files are lost.\n");
    let m = s.iter().find_map(|s| s.message.clone()).expect("message");
    assert!(
        m.text.starts_with("Could not re-arm region selection"),
        "{}",
        m.text
    );
}

/// `may_hold_code` only skips text in which `code_re` finds nothing.
#[test]
fn text_without_a_code_character_has_no_code_match() {
    let texts = crate::test_strings::with_random(
        &[
            "The service failed to start.",
            "EACCES",
            "Eaccess denied",
            "deadbeef",
            "DeadBeefCafe",
            "ERROR_FILE_NOT_FOUND",
            "STATUS_ACCESS_DENIED",
            "stop 0x1",
            "5.7.1 unable to relay",
            "error 5",
            "Msg 18456",
            "hr=0x80070005",
            "ｅｒｒｏｒ １２３",
            "error ٣٤",
            "IRQL_NOT_LESS_OR_EQUAL",
            "EPERM here",
            "facade effaced",
            "a decade",
            "bug check CRITICAL_PROCESS_DIED",
            "Error code -2147024891",
        ],
        "aAbBcdEeFfgxXzZ_ 0123456789.-:=()\n٣",
        2000,
        24,
        0x9e37_79b9,
    );
    let mut skipped = 0;
    for t in &texts {
        if !may_hold_code(t) {
            skipped += 1;
            assert!(code_re().find(t).is_none(), "{t:?} holds a code match");
        }
    }
    assert!(skipped > 100, "the test reaches the skip: {skipped}");
}

/// The chunked `may_hold_code` answers as a byte-at-a-time reading of its
/// rule does, at every chunk boundary and run length.
#[test]
fn the_code_prefilter_reads_its_rule_exactly() {
    fn by_bytes(text: &str) -> bool {
        let b = text.as_bytes();
        let mut run = 0;
        for (i, &c) in b.iter().enumerate() {
            if !c.is_ascii() || c.is_ascii_digit() || c == b'_' {
                return true;
            }
            if c == b'E' && b.get(i + 1).is_some_and(u8::is_ascii_uppercase) {
                return true;
            }
            run = if c.is_ascii_hexdigit() { run + 1 } else { 0 };
            if run == 8 {
                return true;
            }
        }
        false
    }
    let long = |piece: &str, at: usize| format!("{}{piece}{}", "x".repeat(at), " y".repeat(40));
    let mut texts = crate::test_strings::with_random(
        &[
            "",
            "E",
            "EE",
            "Ea",
            "abcdefa",
            "abcdefab",
            "ABCDEFab",
            "cafe face",
        ],
        "abcdefabcdefxyzxyz  .E A\n",
        4000,
        150,
        0x51_7cc1,
    );
    for at in [0, 1, 55, 56, 57, 62, 63, 64, 65, 120, 127, 128] {
        for piece in ["EX", "deadbeef", "deadbee", "_", "7", "é", "E"] {
            texts.push(long(piece, at));
        }
    }
    let mut held = 0;
    for t in &texts {
        assert_eq!(may_hold_code(t), by_bytes(t), "{t:?}");
        held += usize::from(by_bytes(t));
    }
    assert!(
        held > 500 && held < texts.len() - 500,
        "both answers reached: {held}"
    );
}
