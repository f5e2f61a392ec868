//! Event keys: an event ID is only unique within its source, so the key is
//! (canonical source, ID). Source names compare case-insensitively, ignore a
//! `Microsoft-Windows-` prefix, and go through an alias table so that
//! `NTDS Replication` and `Microsoft-Windows-ActiveDirectory_DomainService`
//! are one source.
//!
//! An ID cited without a source (`Event ID 1388`) is not a key: it resolves
//! to the disambiguation page `events/id/<id>/`, which is why no source may
//! have the slug `id` (a source named `ID` becomes `id-source`).

use crate::urls::{slug, SlugRule};
use serde::Serialize;
use std::collections::BTreeMap;

/// (source, id): the identity of a Windows event.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EventKey {
    /// Canonical source slug (`w3svc`, `service-control-manager`).
    pub source: String,
    /// Event ID.
    pub id: u32,
}

impl EventKey {
    /// The key for a source name as written and an ID.
    pub fn new(source: &str, id: u32, aliases: &Aliases) -> EventKey {
        EventKey {
            source: aliases.canonical(source),
            id,
        }
    }

    /// `w3svc/1011`, the page path under `events/`.
    pub fn path(&self) -> String {
        format!("{}/{}", self.source, self.id)
    }
}

/// The folder under `events/` for bare-ID pages; no source may use it.
pub const RESERVED_ID: &str = "id";

/// Built-in aliases: pairs of names that denote one event source.
const BUILT_IN: &[(&str, &str)] = &[
    ("ActiveDirectory_DomainService", "NTDS Replication"),
    ("NTDS General", "NTDS Replication"),
    ("NTDS KCC", "NTDS Replication"),
    ("Directory-Services-SAM", "SAM"),
    ("Security-Kerberos", "Kerberos"),
    ("Kerberos-Key-Distribution-Center", "KDC"),
    ("Security-Netlogon", "NETLOGON"),
    ("Service Control Manager", "Service Control Manager"),
    ("Eventlog", "EventLog"),
    ("IIS-W3SVC", "W3SVC"),
    ("IIS-W3SVC-WP", "W3SVC-WP"),
    ("WAS", "WAS"),
    ("Time-Service", "W32Time"),
    ("DNS-Server-Service", "DNS"),
    ("DNS Server", "DNS"),
    ("DNS-Server", "DNS"),
    ("FailoverClustering", "FailoverClustering"),
    ("DFSR", "DFSR"),
    ("DFS Replication", "DFSR"),
    ("File Replication Service", "NtFrs"),
    ("FRS", "NtFrs"),
    ("GroupPolicy", "GroupPolicy"),
    ("Group Policy", "GroupPolicy"),
    ("Userenv", "GroupPolicy"),
    ("Application Error", "Application Error"),
    ("Application Hang", "Application Hang"),
    ("Kernel-Power", "Kernel-Power"),
    ("Schannel", "Schannel"),
    ("VSS", "VSS"),
    ("Volsnap", "volsnap"),
    ("MSSQL$*", "MSSQLSERVER"),
];

/// The alias table: built-in pairs plus `[source_aliases]` from kb.toml.
#[derive(Debug, Clone)]
pub struct Aliases {
    map: BTreeMap<String, String>,
}

impl Default for Aliases {
    fn default() -> Self {
        Aliases::new(&BTreeMap::new())
    }
}

impl Aliases {
    /// Built-in aliases plus the user's (alias → canonical name).
    pub fn new(user: &BTreeMap<String, String>) -> Aliases {
        let mut map = BTreeMap::new();
        for (alias, name) in BUILT_IN
            .iter()
            .map(|(a, n)| (a.to_string(), n.to_string()))
            .chain(user.clone())
        {
            map.insert(slug(&alias, SlugRule::Key), slug(&name, SlugRule::Key));
        }
        Aliases { map }
    }

    /// The table as slug → canonical slug, for the browser's analyser.
    pub fn map(&self) -> &BTreeMap<String, String> {
        &self.map
    }

    /// The canonical slug of a source name.
    pub fn canonical(&self, source: &str) -> String {
        let s = self.lookup(source);
        // `events/id/` holds the pages of bare IDs; `events/` needs a folder name.
        match s.as_str() {
            RESERVED_ID => format!("{RESERVED_ID}-source"),
            "" => "unknown-source".to_string(),
            _ => s,
        }
    }

    /// True when `name` is a source the alias table knows (as an alias or
    /// as a canonical name), ignoring case and a `Microsoft-Windows-` prefix.
    pub fn is_known(&self, name: &str) -> bool {
        let s = slug(name, SlugRule::Key);
        let s = s.strip_prefix("microsoft-windows-").unwrap_or(&s);
        !s.is_empty() && (self.map.contains_key(s) || self.map.values().any(|v| v == s))
    }

    fn lookup(&self, source: &str) -> String {
        let s = slug(source, SlugRule::Key);
        let s = s
            .strip_prefix("microsoft-windows-")
            .map(str::to_string)
            .unwrap_or(s);
        if let Some(n) = self.map.get(&s) {
            return n.clone();
        }
        if s.starts_with("mssql-") {
            return "mssqlserver".into();
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_fold_case_prefix_and_aliases() {
        let a = Aliases::default();
        assert_eq!(EventKey::new("W3SVC", 1011, &a).path(), "w3svc/1011");
        assert_eq!(a.canonical("Microsoft-Windows-IIS-W3SVC"), "w3svc");
        assert_eq!(
            a.canonical("NTDS Replication"),
            a.canonical("Microsoft-Windows-ActiveDirectory_DomainService")
        );
        assert_eq!(
            a.canonical("Service Control Manager"),
            "service-control-manager"
        );
        assert_eq!(a.canonical("MSSQL$SQLEXPRESS"), "mssqlserver");
    }

    #[test]
    fn no_source_takes_the_bare_id_folder() {
        let a = Aliases::default();
        assert_eq!(EventKey::new("ID", 5, &a).path(), "id-source/5");
        assert_eq!(a.canonical("\u{2014}"), "unknown-source");
        assert!(a.is_known("Netlogon") && a.is_known("Microsoft-Windows-DNS-Server"));
        assert!(!a.is_known("Replication"));
    }

    #[test]
    fn user_aliases_extend_the_table() {
        let user = BTreeMap::from([("MyApp Service".to_string(), "MyApp".to_string())]);
        assert_eq!(Aliases::new(&user).canonical("myapp service"), "myapp");
    }
}
