//! Codes as authors declare them in front matter: refused with a reason
//! and a suggestion, or accepted with a doubt worth a warning.

use super::{hresult_facility, parse_code, Code, CodeKind};
use crate::signature::tables;

/// Why a declared code is refused or doubtful, and what to do about it;
/// `kbgen check` shows both as a warning at the signature's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl Problem {
    fn new(message: String, hint: impl Into<String>) -> Problem {
        Problem {
            message,
            hint: hint.into(),
        }
    }
}

/// Prefixes of the Windows error names the tables hold.
const WINDOWS_PREFIXES: &[&str] = &[
    "ERROR_", "E_", "STATUS_", "HRESULT_", "RPC_S_", "CO_E_", "WBEM_E_", "VSS_E_", "NTE_", "SEC_E_",
];

/// A code an author declares that no table knows: kept, keyed by its text
/// (`SIGKILL` → `sigkill`, `203/EXEC` → `203-exec`), unless it looks like a
/// mistyped Windows code, which is refused so that `check` can say so.
pub fn parse_declared(s: &str) -> Result<Code, Problem> {
    if let Some(c) = parse_code(s) {
        return Ok(c);
    }
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        return Err(if hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            Problem::new(
                format!(
                    "`{t}` has {} hex digits; HRESULT and NTSTATUS codes have 8 (Win32 codes up to 4)",
                    hex.len()
                ),
                "a digit was probably dropped or doubled: copy the code again from the log (0x80070002, not 0x8007002)",
            )
        } else {
            Problem::new(
                format!("`{t}` is not a hexadecimal number"),
                "hex digits are 0-9 and A-F; an O or an l is usually a 0 or a 1",
            )
        });
    }
    if WINDOWS_PREFIXES.iter().any(|p| t.starts_with(p)) {
        let hint = match closest_name(t) {
            Some(near) => format!("did you mean `{near}`? Or declare the code by number"),
            None => "check the spelling against winerror.h/ntstatus.h, or declare the code by number (0x80070005)".to_string(),
        };
        return Err(Problem::new(
            format!("`{t}` looks like a Windows error name, but no table knows it"),
            hint,
        ));
    }
    let key = crate::urls::slug(t, crate::urls::SlugRule::Key);
    if key.is_empty() || t.len() > 60 {
        return Err(Problem::new(
            format!("`{t}` is not an error code"),
            "write HRESULTs as 0x and 8 hex digits (0x80070005), Win32 errors by number or name (5, ERROR_ACCESS_DENIED), errno by name (ENOSPC)",
        ));
    }
    Ok(Code {
        canonical: key,
        kind: CodeKind::Other,
        value: 0,
    })
}

/// A declared code that parses but is probably mistyped: an HRESULT failure
/// (`0x8…`) that no table knows, in a facility that does not exist.
pub fn doubt(code: &Code) -> Option<Problem> {
    let v = code.value as u32;
    let facility = (v >> 16) & 0x1fff;
    let suspicious = code.kind == CodeKind::Hresult
        && v >> 28 == 0x8
        && code.rows().is_empty()
        && hresult_facility(facility).is_none();
    suspicious.then(|| {
        Problem::new(
            format!(
                "`{}` has facility {facility} (0x{facility:x}), which no HRESULT uses",
                code.canonical
            ),
            "check the digits after 0x8: 0x8007… is a Win32 error, 0x8004… an interface error; if the code is right, this warning is harmless",
        )
    })
}

/// The table name nearest to a mistyped one (at most 3 edits), for a hint.
fn closest_name(name: &str) -> Option<&'static str> {
    let upper = name.to_ascii_uppercase();
    let prefix = &upper[..upper.find('_').map_or(upper.len(), |i| i + 1)];
    [tables::win32(), tables::hresult(), tables::ntstatus()]
        .into_iter()
        .flat_map(|t| t.rows())
        .map(|r| r.name)
        .filter(|n| n.starts_with(prefix) && n.len().abs_diff(upper.len()) <= 3)
        .map(|n| (edit_distance(&upper, n), n))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, n)| n)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}
