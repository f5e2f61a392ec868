//! Error codes in every spelling reduced to one canonical key.
//!
//! `-2147024893`, `2147942403`, `0x80070003`, `80070003`, `ERROR_PATH_NOT_FOUND`
//! and Win32 error `3` are all the HRESULT `0x80070003`: Win32 errors are keyed
//! by their `HRESULT_FROM_WIN32` form so that a Win32 number and the HRESULT
//! that wraps it land on one page. Other families keep their own keys:
//! errno by name (`enospc`), SMTP status codes as written (`5.7.57`), SQL
//! Server errors as `mssql-9002`, bug checks as `bugcheck-0x7e` (see
//! [`super::bugcheck`]).

use super::bugcheck;
use super::tables::{self, Row};
use serde::Serialize;

/// The family a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CodeKind {
    /// A 32-bit COM/Windows HRESULT (including wrapped Win32 errors).
    Hresult,
    /// A 32-bit NT status code.
    NtStatus,
    /// A POSIX/Linux errno.
    Errno,
    /// An SMTP enhanced status code.
    Smtp,
    /// A SQL Server error number.
    SqlServer,
    /// An HTTP status (`HTTP 500.19`).
    Http,
    /// A Windows bug check (stop code), `bugcheck-0x7e`.
    BugCheck,
    /// Any other code an author declares (`SIGKILL`, `X509_V_ERR_CERT_HAS_EXPIRED`), keyed by its text.
    Other,
}

/// A recognised error code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Code {
    /// The canonical key, also the page name under `codes/`.
    pub canonical: String,
    /// Family.
    pub kind: CodeKind,
    /// Numeric value (32-bit pattern for HRESULT/NTSTATUS; 0 for SMTP).
    pub value: i64,
}

impl Code {
    /// A 32-bit value: an NTSTATUS when only the NTSTATUS table knows it,
    /// otherwise an HRESULT.
    pub fn hex32(v: u32) -> Code {
        let value = i64::from(v);
        let kind = if tables::hresult().by_value(value).is_empty()
            && !tables::ntstatus().by_value(value).is_empty()
            && v >> 16 != 0x8007
        {
            CodeKind::NtStatus
        } else {
            CodeKind::Hresult
        };
        Code {
            canonical: format!("0x{v:08x}"),
            kind,
            value,
        }
    }

    /// A Win32 error number, keyed by its `HRESULT_FROM_WIN32` form.
    pub fn win32(n: u32) -> Code {
        if n == 0 || n > 0xffff {
            Code::hex32(n)
        } else {
            Code::hex32(0x8007_0000 | n)
        }
    }

    /// A Linux errno by number.
    pub fn errno(n: i64) -> Option<Code> {
        let row = tables::errno().by_value(n).first()?;
        Some(Code {
            canonical: row.name.to_ascii_lowercase(),
            kind: CodeKind::Errno,
            value: n,
        })
    }

    /// A bug check (stop code), keyed `bugcheck-0x7e`.
    pub fn bugcheck(v: u32) -> Code {
        Code {
            canonical: bugcheck::key(v),
            kind: CodeKind::BugCheck,
            value: i64::from(v),
        }
    }

    /// The Win32 error number inside a `0x8007xxxx` HRESULT.
    pub fn win32_number(&self) -> Option<u32> {
        (self.kind == CodeKind::Hresult && self.value >> 16 == 0x8007)
            .then_some((self.value & 0xffff) as u32)
    }

    /// Other keys for the same failure, each with what it is: an NTSTATUS
    /// and its `HRESULT_FROM_NT` form (the `0x1000_0000` bit), and a bug
    /// check whose number is an NTSTATUS (`0xC000021A`). A Win32 error needs
    /// none: it shares its HRESULT's key.
    pub fn related(&self) -> Vec<(&'static str, Code)> {
        const NT_BIT: u32 = 0x1000_0000;
        let v = self.value as u32;
        let mut out = Vec::new();
        let ntstatus_shaped = v >> 30 != 0 && v & NT_BIT == 0;
        match self.kind {
            CodeKind::Hresult if v & NT_BIT != 0 && v & 0x8000_0000 != 0 => {
                out.push(("NTSTATUS", Code::hex32(v & !NT_BIT)));
            }
            CodeKind::NtStatus | CodeKind::Hresult if ntstatus_shaped && v >> 28 >= 0xc => {
                if self.kind == CodeKind::NtStatus {
                    out.push(("HRESULT_FROM_NT", Code::hex32(v | NT_BIT)));
                }
                out.push(("Bug check", Code::bugcheck(v)));
            }
            CodeKind::BugCheck if v > 0xffff => out.push(("Status", Code::hex32(v))),
            _ => {}
        }
        out
    }

    /// Table rows describing this code, preferred first.
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        match self.kind {
            CodeKind::Hresult | CodeKind::NtStatus => {
                if let Some(n) = self.win32_number() {
                    rows.extend_from_slice(tables::win32().by_value(i64::from(n)));
                }
                rows.extend_from_slice(tables::hresult().by_value(self.value));
                rows.extend_from_slice(tables::ntstatus().by_value(self.value));
            }
            CodeKind::Errno => rows.extend_from_slice(tables::errno().by_value(self.value)),
            CodeKind::BugCheck => rows.extend(bugcheck::name(self.value as u32).map(|name| Row {
                value: self.value,
                name,
                message: "",
            })),
            CodeKind::Smtp | CodeKind::SqlServer | CodeKind::Http | CodeKind::Other => {}
        }
        rows
    }

    /// The preferred symbolic name.
    pub fn name(&self) -> Option<&'static str> {
        self.rows().first().map(|r| r.name)
    }

    /// The system message, when a table has one.
    pub fn message(&self) -> Option<&'static str> {
        self.rows()
            .iter()
            .map(|r| r.message)
            .find(|m| !m.is_empty())
    }

    /// Every spelling a person or a log may use for this code.
    pub fn spellings(&self) -> Vec<String> {
        let mut out = vec![self.canonical.clone()];
        match self.kind {
            CodeKind::Hresult | CodeKind::NtStatus => {
                let v = self.value as u32;
                out.push(format!("0x{v:08X}"));
                out.push(format!("{v:08X}"));
                out.push(v.to_string());
                if v & 0x8000_0000 != 0 {
                    out.push((v as i32).to_string());
                }
                if let Some(n) = self.win32_number() {
                    out.push(n.to_string());
                    out.push(format!("0x{n:X}"));
                }
            }
            CodeKind::Errno => out.push(self.value.to_string()),
            CodeKind::SqlServer => {
                out.push(format!("Msg {}", self.value));
                out.push(format!("MSSQLSERVER_{}", self.value));
            }
            CodeKind::BugCheck => {
                let v = self.value as u32;
                out.push(format!("Bug Check 0x{v:X}"));
                out.push(format!("STOP 0x{v:08X}"));
                out.push(format!("0x{v:X}"));
            }
            CodeKind::Smtp | CodeKind::Http | CodeKind::Other => {}
        }
        out.extend(self.rows().iter().map(|r| r.name.to_string()));
        out.dedup();
        out
    }

    /// Severity, facility and code fields of an HRESULT or NTSTATUS.
    pub fn decode(&self) -> Option<Decoded> {
        let v = self.value as u32;
        match self.kind {
            CodeKind::Hresult => {
                let facility = (v >> 16) & 0x1fff;
                Some(Decoded {
                    severity: if v & 0x8000_0000 != 0 {
                        "failure"
                    } else {
                        "success"
                    },
                    facility,
                    facility_name: hresult_facility(facility),
                    code: v & 0xffff,
                })
            }
            CodeKind::NtStatus => Some(Decoded {
                severity: ["success", "informational", "warning", "error"][(v >> 30) as usize],
                facility: (v >> 16) & 0xfff,
                facility_name: None,
                code: v & 0xffff,
            }),
            _ => None,
        }
    }
}

/// The fields of a 32-bit code.
#[derive(Debug, Clone, Serialize)]
pub struct Decoded {
    /// `failure`, `success`, `warning`, …
    pub severity: &'static str,
    /// Facility number.
    pub facility: u32,
    /// Facility name (`WIN32`), when known.
    pub facility_name: Option<&'static str>,
    /// The low 16 bits.
    pub code: u32,
}

fn hresult_facility(n: u32) -> Option<&'static str> {
    Some(match n {
        0 => "NULL",
        1 => "RPC",
        2 => "DISPATCH",
        3 => "STORAGE",
        4 => "ITF",
        7 => "WIN32",
        8 => "WINDOWS",
        9 => "SECURITY",
        10 => "CONTROL",
        11 => "CERT",
        12 => "INTERNET",
        13 => "MEDIASERVER",
        14 => "MSMQ",
        15 => "SETUPAPI",
        16 => "SCARD",
        17 => "COMPLUS",
        18 => "AAF",
        19 => "URT",
        20 => "ACS",
        21 => "DPLAY",
        22 => "UMI",
        23 => "SXS",
        24 => "WINDOWS_CE",
        25 => "HTTP",
        26 => "USERMODE_COMMONLOG",
        31 => "USERMODE_FILTER_MANAGER",
        32 => "BACKGROUNDCOPY",
        33 => "CONFIGURATION",
        34 => "STATE_MANAGEMENT",
        35 => "METADIRECTORY",
        36 => "WINDOWSUPDATE",
        37 => "DIRECTORYSERVICE",
        38 => "GRAPHICS",
        39 => "SHELL",
        40 => "TPM_SERVICES",
        41 => "TPM_SOFTWARE",
        48 => "PLA",
        49 => "FVE",
        50 => "FWP",
        51 => "WINRM",
        52 => "NDIS",
        53 => "USERMODE_HYPERVISOR",
        54 => "CMI",
        55 => "USERMODE_VIRTUALIZATION",
        56 => "USERMODE_VOLMGR",
        57 => "BCD",
        58 => "USERMODE_VHD",
        60 => "SDIAG",
        61 => "WEBSERVICES",
        80 => "WINDOWS_DEFENDER",
        81 => "OPC",
        _ => return None,
    })
}

/// Parses one code as an author declares it (`codes:` in front matter), in
/// any spelling. `None` when it is no code kbgen knows.
pub fn parse_code(s: &str) -> Option<Code> {
    let s = s.trim().trim_end_matches(['.', ',', ';']);
    if let Some(v) = bugcheck::parse(s) {
        return Some(Code::bugcheck(v));
    }
    let lower = s.to_ascii_lowercase();
    // `HRESULT = x`, `hr=x`, `error code x`: a label, a separator, then the code.
    for prefix in ["hresult", "hr", "error code", "error", "status", "code"] {
        let Some(rest) = lower.strip_prefix(prefix) else {
            continue;
        };
        if rest.starts_with([' ', '=', ':']) {
            let value = rest.trim_start_matches([' ', '=', ':']);
            if !value.is_empty() {
                return parse_code(&s[s.len() - value.len()..]);
            }
        }
    }
    if let Some(n) = lower
        .strip_prefix("msg")
        .or_else(|| lower.strip_prefix("mssqlserver_"))
    {
        return n.trim().parse::<u32>().ok().map(|n| Code {
            canonical: format!("mssql-{n}"),
            kind: CodeKind::SqlServer,
            value: i64::from(n),
        });
    }
    if let Some(n) = lower.strip_prefix("mssql-") {
        return parse_code(&format!("msg {n}"));
    }
    if let Some(rest) = lower.strip_prefix("http") {
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
        return valid.then(|| Code {
            canonical: format!("http-{status}"),
            kind: CodeKind::Http,
            value: status[..3].parse().unwrap_or(0),
        });
    }
    if is_smtp(s) {
        return Some(Code {
            canonical: s.to_string(),
            kind: CodeKind::Smtp,
            value: 0,
        });
    }
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

#[cfg(test)]
mod tests;
