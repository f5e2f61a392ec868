use super::*;

#[test]
fn slugs_are_lower_case_ascii_words() {
    let cases = [
        (
            "W3SVC 5002: application pool disabled",
            "w3svc-5002-application-pool-disabled",
        ),
        (
            "  IIS 8.5 -- HTTP 503 (Service Unavailable)!  ",
            "iis-8-5-http-503-service-unavailable",
        ),
        (
            "Überprüfung der Zertifikatskette schlägt fehl",
            "uberprufung-der-zertifikatskette-schlagt-fehl",
        ),
        ("Ошибка 0x80070005", "oshibka-0x80070005"),
        (
            "ERROR_ACCESS_DENIED when starting",
            "error-access-denied-when-starting",
        ),
        ("café ☕ crash", "cafe-crash"),
        ("con", "con-page"),
    ];
    for (title, want) in cases {
        assert_eq!(slug(title).as_deref(), Some(want), "{title}");
    }
    assert_eq!(slug("!!! ???"), None);
}

#[test]
fn long_titles_are_cut_at_a_word() {
    let title = "The World Wide Web Publishing Service could not start because a dependency failed to start in time";
    let s = slug(title).unwrap();
    assert!(s.len() <= MAX_SLUG, "{s}");
    assert!(
        !s.ends_with('-') && title.to_lowercase().replace(' ', "-").starts_with(&s),
        "{s}"
    );
}

#[test]
fn article_folders_stay_inside_and_off_reserved_names() {
    assert_eq!(article_path(None, "a").unwrap(), "a.md");
    assert_eq!(article_path(Some("iis/"), "a").unwrap(), "iis/a.md");
    assert_eq!(
        article_path(Some("windows/setup"), "a").unwrap(),
        "windows/setup/a.md"
    );
    for bad in [
        "../x",
        "/etc",
        "fixes",
        "Fixes/sub",
        "events",
        "a/../../b",
        "C:/x",
        ".git",
    ] {
        assert!(article_path(Some(bad), "a").is_err(), "{bad}");
    }
}

#[test]
fn titles_are_quoted_for_yaml_and_escaped_for_markdown() {
    let text = article(
        r#"The "<pool>" \ *crash*"#,
        Date {
            year: 2025,
            month: 1,
            day: 2,
        },
    );
    assert!(
        text.contains(r#"title: "The \"<pool>\" \\ *crash*""#),
        "{text}"
    );
    assert!(text.contains(r#"# The "\<pool\>" \\ \*crash\*"#), "{text}");
    assert!(text.contains("date: 2025-01-02\n"));
    let fix = fix("restart-it", "Restart it");
    assert!(
        fix.starts_with("---\nid: restart-it\ntitle: \"Restart it\"\n"),
        "{fix}"
    );
}

#[test]
fn days_since_epoch_become_dates() {
    let d = |z| Date::from_unix_days(z).to_string();
    assert_eq!(d(0), "1970-01-01");
    assert_eq!(d(11_016), "2000-02-29");
    assert_eq!(d(19_782), "2024-02-29");
    assert_eq!(d(20_454), "2026-01-01");
}

#[test]
fn clean_titles_are_one_line() {
    assert_eq!(clean_title(" a\n b\tc ").as_deref(), Some("a b c"));
    assert_eq!(clean_title(" \n "), None);
}

/// The starter kb.toml documents every key with its default: uncommented,
/// its `# key = value` lines parse and equal `KbConfig::default()` (except
/// the examples that differ from the default on purpose).
#[test]
fn starter_kb_toml_documents_every_key_with_its_default() {
    let text = STARTER.iter().find(|(p, _)| *p == "kb.toml").unwrap().1;
    let uncommented: String = text
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest.contains(" = ") || rest.starts_with('[') => rest,
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let cfg = crate::config::KbConfig::parse(&uncommented, "kb.toml").unwrap();
    let default = crate::config::KbConfig::default();
    let mut documented = format!("{cfg:?}");
    let expected = format!("{default:?}");
    // The examples of the keys whose default is empty or none.
    for (example, dflt) in [
        (
            r#"description: "Troubleshooting articles keyed on event IDs, error codes and error text.""#,
            r#"description: """#,
        ),
        (
            r#"base_url: Some("https://kb.example.com/")"#,
            "base_url: None",
        ),
        (
            r#"source_aliases: {"My Service": "MyApp"}"#,
            "source_aliases: {}",
        ),
        (r#"review_every: Some("12 months")"#, "review_every: None"),
        (
            r#"edit_url: Some("https://git.example.com/kb/edit/main/kb/{path}")"#,
            "edit_url: None",
        ),
        (
            r#"endpoint: Some("https://search.example.com/kbgen/_search")"#,
            "endpoint: None",
        ),
    ] {
        assert!(documented.contains(example), "{documented}");
        documented = documented.replace(example, dflt);
    }
    assert_eq!(documented, expected);
    // Every field of KbConfig (as its Debug output names them) is in the file.
    let fields = expected
        .trim_start_matches("KbConfig { ")
        .trim_end_matches(" }");
    for field in fields
        .split(", ")
        .filter_map(|f| f.split_once(": "))
        .map(|(k, _)| k)
    {
        let documented = text.contains(&format!("\n# {field} = "))
            || text.contains(&format!("\n{field} = "))
            || text.contains(&format!("\n# [{field}]"));
        assert!(
            documented,
            "kb.toml of kbgen init does not document `{field}`"
        );
    }
}
