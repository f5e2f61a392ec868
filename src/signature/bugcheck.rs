//! Bug check (stop) codes, the codes of a blue screen: `STOP: 0x0000007E`,
//! `Bug Check 0x7E`, `bugcheck 0x0000007e`, `Stop code: CRITICAL_PROCESS_DIED`.
//!
//! Their numbers overlap Win32 errors (`0x7E` is also `ERROR_MOD_NOT_FOUND`)
//! and NTSTATUS values (`0xC000021A`), so a number is a bug check only when
//! its context words say so. The key is `bugcheck-0x` and the lower-case
//! hex value without leading zeros: `bugcheck-0x7e`, `bugcheck-0xc000021a`.
//! The names of the common ones are built in (Microsoft's public "Bug check
//! code reference"); a name resolves to its bug check only when no other
//! table claims it.

use regex::Regex;
use std::sync::OnceLock;

/// Common bug checks: value and symbolic name.
pub(crate) const NAMES: &[(u32, &str)] = &[
    (0x0A, "IRQL_NOT_LESS_OR_EQUAL"),
    (0x19, "BAD_POOL_HEADER"),
    (0x1A, "MEMORY_MANAGEMENT"),
    (0x1E, "KMODE_EXCEPTION_NOT_HANDLED"),
    (0x24, "NTFS_FILE_SYSTEM"),
    (0x27, "RDR_FILE_SYSTEM"),
    (0x2E, "DATA_BUS_ERROR"),
    (0x35, "NO_MORE_IRP_STACK_LOCATIONS"),
    (0x3B, "SYSTEM_SERVICE_EXCEPTION"),
    (0x3F, "NO_MORE_SYSTEM_PTES"),
    (0x44, "MULTIPLE_IRP_COMPLETE_REQUESTS"),
    (0x4E, "PFN_LIST_CORRUPT"),
    (0x50, "PAGE_FAULT_IN_NONPAGED_AREA"),
    (0x6B, "PROCESS1_INITIALIZATION_FAILED"),
    (0x74, "BAD_SYSTEM_CONFIG_INFO"),
    (0x77, "KERNEL_STACK_INPAGE_ERROR"),
    (0x7A, "KERNEL_DATA_INPAGE_ERROR"),
    (0x7B, "INACCESSIBLE_BOOT_DEVICE"),
    (0x7C, "BUGCODE_NDIS_DRIVER"),
    (0x7E, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED"),
    (0x7F, "UNEXPECTED_KERNEL_MODE_TRAP"),
    (0x8E, "KERNEL_MODE_EXCEPTION_NOT_HANDLED"),
    (0x9C, "MACHINE_CHECK_EXCEPTION"),
    (0x9E, "USER_MODE_HEALTH_MONITOR"),
    (0x9F, "DRIVER_POWER_STATE_FAILURE"),
    (0xA0, "INTERNAL_POWER_ERROR"),
    (0xBE, "ATTEMPTED_WRITE_TO_READONLY_MEMORY"),
    (0xC2, "BAD_POOL_CALLER"),
    (0xC4, "DRIVER_VERIFIER_DETECTED_VIOLATION"),
    (0xC5, "DRIVER_CORRUPTED_EXPOOL"),
    (0xCA, "PNP_DETECTED_FATAL_ERROR"),
    (0xD1, "DRIVER_IRQL_NOT_LESS_OR_EQUAL"),
    (0xD5, "DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL"),
    (0xE2, "MANUALLY_INITIATED_CRASH"),
    (0xEA, "THREAD_STUCK_IN_DEVICE_DRIVER"),
    (0xEF, "CRITICAL_PROCESS_DIED"),
    (0xF4, "CRITICAL_OBJECT_TERMINATION"),
    (0xF7, "DRIVER_OVERRAN_STACK_BUFFER"),
    (0xFC, "ATTEMPTED_EXECUTE_OF_NOEXECUTE_MEMORY"),
    (0x101, "CLOCK_WATCHDOG_TIMEOUT"),
    (0x109, "CRITICAL_STRUCTURE_CORRUPTION"),
    (0x116, "VIDEO_TDR_FAILURE"),
    (0x117, "VIDEO_TDR_TIMEOUT_DETECTED"),
    (0x124, "WHEA_UNCORRECTABLE_ERROR"),
    (0x133, "DPC_WATCHDOG_VIOLATION"),
    (0x139, "KERNEL_SECURITY_CHECK_FAILURE"),
    (0x13A, "KERNEL_MODE_HEAP_CORRUPTION"),
    (0x154, "UNEXPECTED_STORE_EXCEPTION"),
    (0x1C8, "MANUALLY_INITIATED_POWER_BUTTON_HOLD"),
    (0x1000_007E, "SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M"),
    (0x1000_007F, "UNEXPECTED_KERNEL_MODE_TRAP_M"),
    (0x1000_008E, "KERNEL_MODE_EXCEPTION_NOT_HANDLED_M"),
    (0x1000_00EA, "THREAD_STUCK_IN_DEVICE_DRIVER_M"),
    (0xC000_021A, "STATUS_SYSTEM_PROCESS_TERMINATED"),
    (0xC000_0221, "STATUS_IMAGE_CHECKSUM_MISMATCH"),
    (0xDEAD_DEAD, "MANUALLY_INITIATED_CRASH1"),
];

/// The canonical key of bug check `v`: `bugcheck-0x7e`.
pub(crate) fn key(v: u32) -> String {
    format!("bugcheck-0x{v:x}")
}

/// The name of bug check `v`, when it is a common one.
pub(crate) fn name(v: u32) -> Option<&'static str> {
    NAMES.iter().find(|(n, _)| *n == v).map(|(_, name)| *name)
}

/// The bug check with this name (any case).
pub(crate) fn by_name(name: &str) -> Option<u32> {
    NAMES
        .iter()
        .find(|(_, n)| n.eq_ignore_ascii_case(name))
        .map(|(v, _)| *v)
}

fn context_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:\*+\s*)?(?:stop(?:\s+error)?(?:\s+code)?|bug\s*check(?:\s+code)?)\s*[:=]?\s*(?:0x(?P<hex>[0-9a-f]{1,8})|(?P<hex8>[0-9a-f]{8})|(?P<name>[a-z][a-z0-9_]{3,}))\s*(?:\(.*\))?$",
        )
        .expect("valid regex")
    })
}

/// The value of a bug check as written with its context: `STOP: 0x0000007E`,
/// `Bug Check 0x7E`, `BugCheck code 0xD1`, `STOP 0x000000D1 (0x0000000C, …)`,
/// `Stop code: CRITICAL_PROCESS_DIED`, or the key itself (`bugcheck-0x7e`).
/// `None` for a bare number: `0x7E` alone is Win32 error 126.
pub(crate) fn parse(s: &str) -> Option<u32> {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix("bugcheck-0x") {
        return (hex.len() <= 8 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| u32::from_str_radix(hex, 16).ok())
            .flatten()
            .filter(|&v| v != 0);
    }
    let c = context_re().captures(s)?;
    if let Some(hex) = c.name("hex").or(c.name("hex8")) {
        return u32::from_str_radix(hex.as_str(), 16)
            .ok()
            .filter(|&v| v != 0);
    }
    by_name(c.name("name")?.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_words_make_a_bug_check() {
        for s in [
            "STOP: 0x0000007E",
            "Stop 0x0000007e",
            "Bug Check 0x7E",
            "bugcheck 0x0000007e",
            "BugCheck code 0x7E",
            "*** STOP: 0x0000007E (0xC0000005, 0x8056D2E3, 0xF7A1E9C0, 0xF7A1E6BC)",
            "Stop code: SYSTEM_THREAD_EXCEPTION_NOT_HANDLED",
            "STOP: 0000007e",
            "bugcheck-0x7e",
        ] {
            assert_eq!(parse(s), Some(0x7e), "{s}");
        }
        assert_eq!(parse("STOP 0xC000021A"), Some(0xc000_021a));
        assert_eq!(key(0xc000_021a), "bugcheck-0xc000021a");
        for s in [
            "0x7E",
            "0x0000007E",
            "stop",
            "STOP 0x0",
            "Stop code: NOT_A_BUG_CHECK",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }

    #[test]
    fn names_are_unique() {
        for (i, (v, n)) in NAMES.iter().enumerate() {
            assert!(NAMES[i + 1..].iter().all(|(w, m)| w != v && m != n), "{n}");
        }
    }
}
