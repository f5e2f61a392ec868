//! What a code page says a code means, for the families whose meaning is
//! standardised rather than in a header table: SMTP enhanced status codes
//! (RFC 3463 and the IANA "SMTP Enhanced Status Codes" registry) and HTTP
//! status codes (RFC 9110, plus 429 from RFC 6585 and 451 from RFC 7725).
//! Each meaning names where it comes from. SQL Server's message texts have
//! no table we may ship, so SQL codes get the kind's name only.
//!
//! Receives a [`Code`]; returns the kind's proper name and, where known, a
//! [`Meaning`]. Only the code page uses it.

use crate::signature::{Code, CodeKind};
use serde::Serialize;

/// The meaning of a code and where it comes from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct Meaning {
    /// One line: the registered name of the code.
    pub text: String,
    /// What the parts of the code say, when it has parts (SMTP class and subject).
    pub detail: Option<String>,
    /// The document that defines it.
    pub source: &'static str,
}

/// The family of a code as people name it ("HRESULT", not `hresult`).
pub(crate) fn kind_name(kind: CodeKind) -> &'static str {
    match kind {
        CodeKind::Hresult => "HRESULT",
        CodeKind::NtStatus => "NTSTATUS",
        CodeKind::Errno => "errno (POSIX/Linux error number)",
        CodeKind::Smtp => "SMTP enhanced status code",
        CodeKind::SqlServer => "SQL Server error",
        CodeKind::Http => "HTTP status code",
        CodeKind::BugCheck => "Windows bug check (stop code)",
        CodeKind::Other => "Code named by the articles",
    }
}

/// The meaning of `code`, for SMTP and HTTP codes.
pub(crate) fn meaning(code: &Code) -> Option<Meaning> {
    match code.kind {
        CodeKind::Smtp => smtp(&code.canonical),
        CodeKind::Http => http(&code.canonical),
        _ => None,
    }
}

const SMTP_CLASS: [(&str, &str); 3] = [
    ("2", "Success"),
    (
        "4",
        "Persistent transient failure: the same message may succeed later",
    ),
    (
        "5",
        "Permanent failure: resending the same message will fail again",
    ),
];

const SMTP_SUBJECT: [&str; 8] = [
    "Other or undefined status",
    "Addressing status",
    "Mailbox status",
    "Mail system status",
    "Network and routing status",
    "Mail delivery protocol status",
    "Message content or media status",
    "Security or policy status",
];

/// Subject.detail → name, from RFC 3463 §3 and later RFCs in the IANA
/// registry (each with its RFC).
const SMTP_DETAIL: &[(&str, &str, &str)] = &[
    ("0.0", "Other undefined status", "RFC 3463"),
    ("1.0", "Other address status", "RFC 3463"),
    ("1.1", "Bad destination mailbox address", "RFC 3463"),
    ("1.2", "Bad destination system address", "RFC 3463"),
    ("1.3", "Bad destination mailbox address syntax", "RFC 3463"),
    ("1.4", "Destination mailbox address ambiguous", "RFC 3463"),
    ("1.5", "Destination address valid", "RFC 3463"),
    (
        "1.6",
        "Destination mailbox has moved, no forwarding address",
        "RFC 3463",
    ),
    ("1.7", "Bad sender's mailbox address syntax", "RFC 3463"),
    ("1.8", "Bad sender's system address", "RFC 3463"),
    ("1.10", "Recipient address has null MX", "RFC 7505"),
    ("2.0", "Other or undefined mailbox status", "RFC 3463"),
    (
        "2.1",
        "Mailbox disabled, not accepting messages",
        "RFC 3463",
    ),
    ("2.2", "Mailbox full", "RFC 3463"),
    (
        "2.3",
        "Message length exceeds administrative limit",
        "RFC 3463",
    ),
    ("2.4", "Mailing list expansion problem", "RFC 3463"),
    ("3.0", "Other or undefined mail system status", "RFC 3463"),
    ("3.1", "Mail system full", "RFC 3463"),
    ("3.2", "System not accepting network messages", "RFC 3463"),
    ("3.3", "System not capable of selected features", "RFC 3463"),
    ("3.4", "Message too big for system", "RFC 3463"),
    ("3.5", "System incorrectly configured", "RFC 3463"),
    (
        "4.0",
        "Other or undefined network or routing status",
        "RFC 3463",
    ),
    ("4.1", "No answer from host", "RFC 3463"),
    ("4.2", "Bad connection", "RFC 3463"),
    ("4.3", "Directory server failure", "RFC 3463"),
    ("4.4", "Unable to route", "RFC 3463"),
    ("4.5", "Mail system congestion", "RFC 3463"),
    ("4.6", "Routing loop detected", "RFC 3463"),
    ("4.7", "Delivery time expired", "RFC 3463"),
    ("5.0", "Other or undefined protocol status", "RFC 3463"),
    ("5.1", "Invalid command", "RFC 3463"),
    ("5.2", "Syntax error", "RFC 3463"),
    ("5.3", "Too many recipients", "RFC 3463"),
    ("5.4", "Invalid command arguments", "RFC 3463"),
    ("5.5", "Wrong protocol version", "RFC 3463"),
    (
        "5.6",
        "Authentication exchange line is too long",
        "RFC 4954",
    ),
    ("6.0", "Other or undefined media error", "RFC 3463"),
    ("6.1", "Media not supported", "RFC 3463"),
    ("6.2", "Conversion required and prohibited", "RFC 3463"),
    ("6.3", "Conversion required but not supported", "RFC 3463"),
    ("6.4", "Conversion with loss performed", "RFC 3463"),
    ("6.5", "Conversion failed", "RFC 3463"),
    (
        "6.7",
        "Non-ASCII addresses not permitted for that sender/recipient",
        "RFC 6531",
    ),
    ("7.0", "Other or undefined security status", "RFC 3463"),
    (
        "7.1",
        "Delivery not authorized, message refused",
        "RFC 3463",
    ),
    ("7.2", "Mailing list expansion prohibited", "RFC 3463"),
    (
        "7.3",
        "Security conversion required but not possible",
        "RFC 3463",
    ),
    ("7.4", "Security features not supported", "RFC 3463"),
    ("7.5", "Cryptographic failure", "RFC 3463"),
    ("7.6", "Cryptographic algorithm not supported", "RFC 3463"),
    ("7.7", "Message integrity failure", "RFC 3463"),
    ("7.8", "Authentication credentials invalid", "RFC 4954"),
    ("7.9", "Authentication mechanism is too weak", "RFC 4954"),
    ("7.10", "Encryption needed", "RFC 5248"),
    (
        "7.11",
        "Encryption required for requested authentication mechanism",
        "RFC 4954",
    ),
    ("7.12", "A password transition is needed", "RFC 4954"),
    ("7.13", "User account disabled", "RFC 5248"),
    ("7.14", "Trust relationship required", "RFC 5248"),
    ("7.20", "No passing DKIM signature found", "RFC 7372"),
    ("7.21", "No acceptable DKIM signature found", "RFC 7372"),
    (
        "7.22",
        "No valid author-matched DKIM signature found",
        "RFC 7372",
    ),
    ("7.23", "SPF validation failed", "RFC 7372"),
    ("7.24", "SPF validation error", "RFC 7372"),
    ("7.25", "Reverse DNS validation failed", "RFC 7372"),
    ("7.26", "Multiple authentication checks failed", "RFC 7372"),
    ("7.27", "Sender address has null MX", "RFC 7505"),
];

/// `class.subject.detail` (`5.7.57`): the registered name where there is
/// one, else what the class and subject say (a vendor's own detail number).
fn smtp(canonical: &str) -> Option<Meaning> {
    let (class, rest) = canonical.split_once('.')?;
    let (subject, _) = rest.split_once('.')?;
    let class_text = SMTP_CLASS.iter().find(|(c, _)| *c == class)?.1;
    let subject_text = SMTP_SUBJECT.get(subject.parse::<usize>().ok()?)?;
    let detail = Some(format!("{class_text}. {subject_text}."));
    Some(match SMTP_DETAIL.iter().find(|(k, _, _)| *k == rest) {
        Some((_, name, rfc)) => Meaning {
            text: (*name).to_string(),
            detail,
            source: if *rfc == "RFC 3463" {
                "RFC 3463 (Enhanced Mail System Status Codes)"
            } else {
                rfc_source(rfc)
            },
        },
        None => Meaning {
            text: format!(
                "Not in the IANA registry: {canonical} is a mail system's own detail code"
            ),
            detail,
            source: "RFC 3463 (class and subject); IANA SMTP Enhanced Status Codes registry",
        },
    })
}

fn rfc_source(rfc: &str) -> &'static str {
    match rfc {
        "RFC 4954" => "RFC 4954 (SMTP AUTH), in the IANA SMTP Enhanced Status Codes registry",
        "RFC 5248" => "RFC 5248, in the IANA SMTP Enhanced Status Codes registry",
        "RFC 6531" => "RFC 6531 (SMTPUTF8), in the IANA SMTP Enhanced Status Codes registry",
        "RFC 7372" => "RFC 7372 (email authentication status codes), in the IANA registry",
        _ => "RFC 7505 (null MX), in the IANA SMTP Enhanced Status Codes registry",
    }
}

/// Status → (reason phrase, meaning), from RFC 9110 §15 unless noted.
const HTTP: &[(u16, &str, &str)] = &[
    (400, "Bad Request", "The server cannot or will not process the request because of a client error, such as malformed syntax."),
    (401, "Unauthorized", "The request lacks valid authentication credentials for the resource."),
    (403, "Forbidden", "The server understood the request but refuses to fulfil it; authenticating again will not help."),
    (404, "Not Found", "The server has no current representation of the target resource, or will not say that one exists."),
    (405, "Method Not Allowed", "The method is known to the server but not supported by the target resource."),
    (406, "Not Acceptable", "The resource has no representation the request's content negotiation headers accept."),
    (407, "Proxy Authentication Required", "The client must authenticate itself to the proxy."),
    (408, "Request Timeout", "The server did not receive a complete request in the time it was prepared to wait."),
    (409, "Conflict", "The request conflicts with the current state of the target resource."),
    (410, "Gone", "The target resource is no longer available and this is likely to be permanent."),
    (411, "Length Required", "The server refuses the request without a defined Content-Length."),
    (412, "Precondition Failed", "A condition in the request's header fields evaluated to false."),
    (413, "Content Too Large", "The request content is larger than the server is willing or able to process."),
    (414, "URI Too Long", "The target URI is longer than the server is willing to interpret."),
    (415, "Unsupported Media Type", "The content is in a format the target resource does not support."),
    (416, "Range Not Satisfiable", "None of the requested ranges overlap the representation."),
    (417, "Expectation Failed", "The Expect header's expectation could not be met."),
    (421, "Misdirected Request", "The request was sent to a server unable to produce a response for it."),
    (422, "Unprocessable Content", "The content is well formed but its instructions could not be processed."),
    (426, "Upgrade Required", "The server refuses the request over the current protocol."),
    (500, "Internal Server Error", "The server met an unexpected condition that prevented it from fulfilling the request."),
    (501, "Not Implemented", "The server does not support the functionality required to fulfil the request."),
    (502, "Bad Gateway", "The server, acting as a gateway or proxy, received an invalid response from the server behind it."),
    (503, "Service Unavailable", "The server cannot handle the request now, because of overload or maintenance."),
    (504, "Gateway Timeout", "The server, acting as a gateway or proxy, did not get a timely response from the server behind it."),
    (505, "HTTP Version Not Supported", "The server does not support the major version of HTTP used in the request."),
];

/// `http-<status>[.<substatus>]`.
fn http(canonical: &str) -> Option<Meaning> {
    let rest = canonical.strip_prefix("http-")?;
    let (status, sub) = match rest.split_once('.') {
        Some((s, sub)) => (s, Some(sub)),
        None => (rest, None),
    };
    let status: u16 = status.parse().ok()?;
    let (reason, text, source) = match status {
        429 => (
            "Too Many Requests",
            "The client has sent too many requests in a given amount of time.",
            "RFC 6585 §4",
        ),
        451 => (
            "Unavailable For Legal Reasons",
            "The server is denying access to the resource because of a legal demand.",
            "RFC 7725",
        ),
        _ => HTTP
            .iter()
            .find(|(s, _, _)| *s == status)
            .map(|(_, r, t)| (*r, *t, "RFC 9110 §15 (HTTP Semantics)"))?,
    };
    Some(Meaning {
        text: format!("{status} {reason}"),
        detail: Some(match sub {
            Some(sub) => format!(
                "{text} The .{sub} after the status is a substatus code of IIS, not part of HTTP."
            ),
            None => text.to_string(),
        }),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(kind: CodeKind, canonical: &str) -> Code {
        Code {
            canonical: canonical.into(),
            kind,
            value: 0,
        }
    }

    #[test]
    fn smtp_codes_get_their_registered_name_or_their_class_and_subject() {
        let m = meaning(&code(CodeKind::Smtp, "5.7.1")).unwrap();
        assert_eq!(m.text, "Delivery not authorized, message refused");
        assert!(m.detail.unwrap().starts_with("Permanent failure"));
        assert!(m.source.starts_with("RFC 3463"));
        let m = meaning(&code(CodeKind::Smtp, "4.7.26")).unwrap();
        assert_eq!(m.text, "Multiple authentication checks failed");
        assert!(m.source.starts_with("RFC 7372"));
        let m = meaning(&code(CodeKind::Smtp, "5.7.57")).unwrap();
        assert!(m.text.contains("Not in the IANA registry"));
        assert!(m.detail.unwrap().contains("Security or policy status"));
    }

    #[test]
    fn http_statuses_get_the_rfc_9110_reason_and_iis_substatus_is_named() {
        let m = meaning(&code(CodeKind::Http, "http-503")).unwrap();
        assert_eq!(m.text, "503 Service Unavailable");
        assert!(m.source.starts_with("RFC 9110"));
        let m = meaning(&code(CodeKind::Http, "http-500.19")).unwrap();
        assert_eq!(m.text, "500 Internal Server Error");
        assert!(m
            .detail
            .unwrap()
            .contains(".19 after the status is a substatus code of IIS"));
        assert_eq!(meaning(&code(CodeKind::Http, "http-299")), None);
        assert_eq!(kind_name(CodeKind::Hresult), "HRESULT");
    }
}
