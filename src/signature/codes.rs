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

mod declared;
mod parse;
pub use declared::{doubt, parse_declared, Problem};
pub use parse::{by_name, is_smtp, parse_code};

#[cfg(test)]
mod tests;
