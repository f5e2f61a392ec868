use super::*;

/// The runs of highlighted HTML: `(class, text)`, with `""` for plain
/// text, entities decoded.
fn runs(html: &str) -> Vec<(String, String)> {
    let mut runs = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<span class=\"") {
            let (class, after) = after.split_once("\">").expect("class closed");
            let (text, after) = after.split_once("</span>").expect("span closed");
            assert!(!text.contains('<'), "spans do not nest: {html}");
            runs.push((class.to_string(), unescape(text)));
            rest = after;
        } else {
            let end = rest.find("<span").unwrap_or(rest.len());
            assert!(!rest[..end].contains('<'), "only spans: {html}");
            runs.push((String::new(), unescape(&rest[..end])));
            rest = &rest[end..];
        }
    }
    runs
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The highlighted runs of `code` in `lang`, plain runs left out.
fn kinds(lang: &str, code: &str) -> Vec<(String, String)> {
    let html = to_html(code, lexer(lang).unwrap());
    let all = runs(&html);
    let text: String = all.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(text, code, "the text is kept: {html}");
    all.into_iter()
        .filter(|(class, _)| !class.is_empty())
        .map(|(class, t)| (class.trim_start_matches("hl-").to_string(), t))
        .collect()
}

fn has(runs: &[(String, String)], kind: &str, text: &str) -> bool {
    runs.iter().any(|(k, t)| k == kind && t == text)
}

#[test]
fn every_listed_language_has_a_lexer() {
    for tag in [
        "powershell",
        "PowerShell",
        "cmd",
        "bash",
        "sql",
        "xml",
        "json",
        "ini",
        "reg",
        "csharp",
        "azurepowershell {linenos}",
    ] {
        assert!(lexer(tag).is_some(), "{tag}");
    }
    for tag in ["console", "output", "", "vb"] {
        assert!(lexer(tag).is_none(), "{tag}");
    }
}

#[test]
fn powershell() {
    let r = kinds(
        "powershell",
        "# restart <it>\nGet-Service -Name \"W3SVC `\"x`\"\" | Where-Object { $_.Status -eq 'Stopped' }\n\
         if ($env:COMPUTERNAME -and $true) { Restart-Service W3SVC -Force }\n<# block\ncomment #>\n$n = 0x80070005\n@\"\nhere \"string\"\n\"@\n",
    );
    for (kind, text) in [
        ("comment", "# restart <it>"),
        ("function", "Get-Service"),
        ("param", "-Name"),
        ("string", "\"W3SVC `\"x`\"\""),
        ("function", "Where-Object"),
        ("variable", "$_"),
        ("keyword", "-eq"),
        ("string", "'Stopped'"),
        ("keyword", "if"),
        ("variable", "$env:COMPUTERNAME"),
        ("keyword", "-and"),
        ("number", "$true"),
        ("param", "-Force"),
        ("comment", "<# block\ncomment #>"),
        ("variable", "$n"),
        ("number", "0x80070005"),
        ("string", "@\"\nhere \"string\"\n\"@"),
    ] {
        assert!(has(&r, kind, text), "{kind} {text:?} in {r:?}");
    }
    assert!(!has(&r, "param", "-eq"));
}

#[test]
fn batch() {
    let r = kinds(
        "cmd",
        "@echo off\nREM set up\n:: also a comment\n:retry\nset LOG=%TEMP%\\x.log\nfor %%i in (*.txt) do echo %%i %1 %~dp0 !N!\ngoto retry\nremove-this\n",
    );
    for (kind, text) in [
        ("keyword", "echo"),
        ("comment", "REM set up"),
        ("comment", ":: also a comment"),
        ("function", ":retry"),
        ("variable", "%TEMP%"),
        ("variable", "%%i"),
        ("variable", "%1"),
        ("variable", "%~dp0"),
        ("variable", "!N!"),
        ("keyword", "goto"),
    ] {
        assert!(has(&r, kind, text), "{kind} {text:?} in {r:?}");
    }
    assert!(
        !r.iter()
            .any(|(k, t)| k == "comment" && t.starts_with("remove")),
        "{r:?}"
    );
}

#[test]
fn bash() {
    let r = kinds(
        "bash",
        "# check\nif [ -f \"$HOME/x\" ]; then systemctl restart nginx --now; fi\necho a#b ${PATH} $1\n",
    );
    for (kind, text) in [
        ("comment", "# check"),
        ("keyword", "if"),
        ("param", "-f"),
        ("string", "\"$HOME/x\""),
        ("param", "--now"),
        ("keyword", "fi"),
        ("variable", "${PATH}"),
        ("variable", "$1"),
    ] {
        assert!(has(&r, kind, text), "{kind} {text:?} in {r:?}");
    }
    assert!(
        !r.iter().any(|(k, t)| k == "comment" && t.starts_with("#b")),
        "{r:?}"
    );
}

#[test]
fn sql() {
    let r = kinds(
        "sql",
        "SELECT name, COUNT(*) FROM sys.databases -- list\nWHERE state_desc = 'it''s' AND @@ROWCOUNT > 0 /* done */ AND x IS NULL",
    );
    for (kind, text) in [
        ("keyword", "SELECT"),
        ("function", "COUNT"),
        ("keyword", "FROM"),
        ("comment", "-- list"),
        ("string", "'it''s'"),
        ("variable", "@@ROWCOUNT"),
        ("number", "0"),
        ("comment", "/* done */"),
        ("number", "NULL"),
    ] {
        assert!(has(&r, kind, text), "{kind} {text:?} in {r:?}");
    }
}

#[test]
fn csharp() {
    let r = kinds(
        "csharp",
        "// note\nvar path = @\"C:\\temp\"\"x\"\"\";\nConsole.WriteLine($\"{path} \\\"ok\\\"\"); int n = 5; bool b = true;",
    );
    for (kind, text) in [
        ("comment", "// note"),
        ("keyword", "var"),
        ("string", "@\"C:\\temp\"\"x\"\"\""),
        ("function", "WriteLine"),
        ("string", "$\"{path} \\\"ok\\\"\""),
        ("keyword", "int"),
        ("number", "5"),
        ("number", "true"),
    ] {
        assert!(has(&r, kind, text), "{kind} {text:?} in {r:?}");
    }
}

#[test]
fn json() {
    let r = kinds(
        "json",
        "{\"name\": \"a \\\"b\\\"\", \"on\" : true, \"n\": -1.5}",
    );
    for (kind, text) in [
        ("attr", "\"name\""),
        ("string", "\"a \\\"b\\\"\""),
        ("attr", "\"on\""),
        ("number", "true"),
        ("number", "1.5"),
    ] {
        assert!(has(&r, kind, text), "{kind} {text:?} in {r:?}");
    }
}

#[test]
fn xml() {
    let r = kinds(
        "xml",
        "<?xml version=\"1.0\"?>\n<!-- c -->\n<configuration>\n  <add key=\"a>b\" value='x' />\n  <![CDATA[<raw>]]> &amp; 1 < 2\n</configuration>",
    );
    for (kind, text) in [
        ("tag", "<?xml"),
        ("attr", "version"),
        ("string", "\"1.0\""),
        ("comment", "<!-- c -->"),
        ("tag", "<configuration"),
        ("tag", "<add"),
        ("attr", "key"),
        ("string", "\"a>b\""),
        ("string", "'x'"),
        ("tag", "/>"),
        ("string", "<![CDATA[<raw>]]>"),
        ("number", "&amp;"),
        ("tag", "</configuration"),
    ] {
        assert!(has(&r, kind, text), "{kind} {text:?} in {r:?}");
    }
}

#[test]
fn ini_and_registry() {
    let r = kinds(
        "reg",
        "Windows Registry Editor Version 5.00\n\n; note\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n\"Enabled\"=dword:00000001\n\"Path\"=\"C:\\\\a=b\"\nName = value\n",
    );
    for (kind, text) in [
        ("comment", "; note"),
        ("tag", "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]"),
        ("attr", "\"Enabled\""),
        ("number", "dword:00000001"),
        ("attr", "\"Path\""),
        ("string", "\"C:\\\\a=b\""),
        ("attr", "Name "),
    ] {
        assert!(has(&r, kind, text), "{kind} {text:?} in {r:?}");
    }
}

/// Whatever the input, the highlighted text is the input: no byte lost,
/// none doubled, every character boundary kept, spans never nested.
#[test]
fn no_input_changes_the_text() {
    // Named cases, then strings over the bytes the lexers care about.
    let inputs = crate::test_strings::with_random(
        &[
            "",
            "\"",
            "'",
            "`",
            "$",
            "${",
            "%",
            "%%",
            "!",
            "@",
            "@\"",
            "<",
            "<!--",
            "<![CDATA[",
            "&",
            "&amp",
            "/*",
            "<#",
            "-",
            "--",
            "#",
            "::",
            ":",
            "=",
            "[",
            "\"a\"=",
            "é\"ü\n'ñ",
            "\\",
            "$env:",
            "0x",
            "1.",
            "a-",
            "-é",
            "<a b='",
            "<a\n<b>",
            "REM",
            "\r\n\r\n",
            "日本語 -Name $x",
        ],
        "\"'`$%!@#<>&;:=/*-{}[]()\\\n\r\t .0aZ_é?",
        400,
        40,
        0x2545_f491,
    );
    for lang in [
        "powershell",
        "cmd",
        "bash",
        "sql",
        "csharp",
        "json",
        "xml",
        "ini",
    ] {
        for code in &inputs {
            kinds(lang, code);
        }
    }
}
