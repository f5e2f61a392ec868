//! Reading a code in any spelling: labels (`HRESULT = x`), product forms
//! (SQL Server, HTTP, SMTP), numbers in every base, symbolic names.

use super::{Code, CodeKind};
use crate::signature::{bugcheck, tables};

/// Parses one code as an author declares it (`codes:` in front matter), in
/// any spelling. `None` when it is no code kbgen knows.
pub fn parse_code(s: &str) -> Option<Code> {
    let s = s.trim().trim_end_matches(['.', ',', ';']);
    if let Some(v) = bugcheck::parse(s) {
        return Some(Code::bugcheck(v));
    }
    let lower = s.to_ascii_lowercase();
    if let Some(decided) = labelled_or_product(s, &lower) {
        return decided;
    }
    number_or_name(s, &lower)
}

/// A code after a label (`HRESULT = x`, `hr=x`, `error code x`) or in a
/// product's form (SQL Server `Msg n`, HTTP status, SMTP status): `Some`
/// when `s` has one of these forms, holding its code or `None` when the
/// form is malformed; `None` when it has none of them.
fn labelled_or_product(s: &str, lower: &str) -> Option<Option<Code>> {
    // `HRESULT = x`, `hr=x`, `error code x`: a label, a separator, then the code.
    for prefix in ["hresult", "hr", "error code", "error", "status", "code"] {
        let Some(rest) = lower.strip_prefix(prefix) else {
            continue;
        };
        if rest.starts_with([' ', '=', ':']) {
            let value = rest.trim_start_matches([' ', '=', ':']);
            if !value.is_empty() {
                return Some(parse_code(&s[s.len() - value.len()..]));
            }
        }
    }
    if let Some(n) = lower
        .strip_prefix("msg")
        .or_else(|| lower.strip_prefix("mssqlserver_"))
    {
        return Some(n.trim().parse::<u32>().ok().map(|n| Code {
            canonical: format!("mssql-{n}"),
            kind: CodeKind::SqlServer,
            value: i64::from(n),
        }));
    }
    if let Some(n) = lower.strip_prefix("mssql-") {
        return Some(parse_code(&format!("msg {n}")));
    }
    if let Some(rest) = lower.strip_prefix("http") {
        return Some(http_status(rest));
    }
    is_smtp(s).then(|| {
        Some(Code {
            canonical: s.to_string(),
            kind: CodeKind::Smtp,
            value: 0,
        })
    })
}

/// The code of an HTTP status after `http` (`500`, ` 500.19`, `-404`).
fn http_status(rest: &str) -> Option<Code> {
    let status = rest.trim_start_matches([' ', '-', '/', ':']);
    // Check the bytes before slicing: `status` may hold any UTF-8.
    let valid = status.len() >= 3
        && status.as_bytes()[..3].iter().all(u8::is_ascii_digit)
        && matches!(status.as_bytes()[0], b'1'..=b'5')
        && status[3..]
            .strip_prefix('.')
            .map_or(status.len() == 3, |sub| {
                !sub.is_empty() && sub.bytes().all(|b| b.is_ascii_digit())
            });
    valid.then(|| Code {
        canonical: format!("http-{status}"),
        kind: CodeKind::Http,
        value: status[..3].parse().unwrap_or(0),
    })
}

/// A code written as a number (negative decimal, `0x` hex, bare 8-digit
/// hex, decimal) or, failing that, as a symbolic name.
fn number_or_name(s: &str, lower: &str) -> Option<Code> {
    if let Some(neg) = s.strip_prefix('-') {
        let n: i64 = neg.parse().ok()?;
        return (n > 0 && n <= 1 << 31).then(|| Code::hex32((-n) as i32 as u32));
    }
    if let Some(hex) = lower.strip_prefix("0x") {
        // 1–4 digits is a Win32 code, 8 a 32-bit code; 5–7 is a typo we must not guess at.
        if !matches!(hex.len(), 1..=4 | 8) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let v = u32::from_str_radix(hex, 16).ok()?;
        return Some(if v <= 0xffff {
            Code::win32(v)
        } else {
            Code::hex32(v)
        });
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_hexdigit()) && !s.starts_with('0') {
        let v = u32::from_str_radix(s, 16).ok()?;
        if v >= 0x8000_0000 || s.bytes().any(|b| b.is_ascii_alphabetic()) {
            return Some(Code::hex32(v));
        }
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() {
        let n: u64 = s.parse().ok()?;
        return match n {
            0..=0xffff => Some(Code::win32(n as u32)),
            _ if n <= u64::from(u32::MAX) => Some(Code::hex32(n as u32)),
            _ => None,
        };
    }
    by_name(s)
}

/// Resolves a symbolic name (`ERROR_PATH_NOT_FOUND`, `E_ACCESSDENIED`,
/// `STATUS_ACCESS_VIOLATION`, `ENOENT`) to its code.
pub fn by_name(name: &str) -> Option<Code> {
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') || name.len() < 3 {
        return None;
    }
    if let Some(r) = tables::win32().by_name(name) {
        return Some(Code::win32(r.value as u32));
    }
    if let Some(r) = tables::hresult()
        .by_name(name)
        .or_else(|| tables::ntstatus().by_name(name))
    {
        return Some(Code::hex32(r.value as u32));
    }
    // `enospc`, the canonical key, as well as `ENOSPC`.
    if name.starts_with(['E', 'e']) {
        if let Some(r) = tables::errno().by_name(name) {
            return Code::errno(r.value);
        }
    }
    // Last, so that a bug check name never takes one another table knows.
    bugcheck::by_name(name).map(Code::bugcheck)
}

/// `5.7.57`, `4.4.7`: class 2, 4 or 5, then two numbers.
pub fn is_smtp(s: &str) -> bool {
    let mut parts = s.split('.');
    let (Some(a), Some(b), Some(c), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    matches!(a, "2" | "4" | "5")
        && (1..=3).contains(&b.len())
        && (1..=3).contains(&c.len())
        && b.bytes().chain(c.bytes()).all(|x| x.is_ascii_digit())
}
