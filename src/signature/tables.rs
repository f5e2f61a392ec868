//! The code tables shipped in `data/codes/` (see `data/codes/SOURCES.md` for
//! where they come from and how to regenerate them), compiled into the
//! binary and indexed on first use.

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// One row of a table: value, symbolic name, message.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// Numeric value (for HRESULT/NTSTATUS the 32-bit pattern).
    pub value: i64,
    /// Symbolic name (`ERROR_PATH_NOT_FOUND`).
    pub name: &'static str,
    /// System message, possibly empty.
    pub message: &'static str,
}

/// A table with lookups by value and by upper-case name.
#[derive(Debug, Default)]
pub(crate) struct Table {
    // Fx, not std's SipHash: the tables are our own, and indexing them
    // was 1.5% of a build of 709 articles.
    by_value: FxHashMap<i64, Vec<Row>>,
    by_name: FxHashMap<String, Row>,
}

impl Table {
    fn parse(tsv: &'static str, hex: bool) -> Table {
        let mut t = Table::default();
        for line in tsv.lines().skip(1) {
            let mut cols = line.splitn(3, '\t');
            let (Some(v), Some(name)) = (cols.next(), cols.next()) else {
                continue;
            };
            let message = cols.next().unwrap_or("");
            let value = if hex {
                i64::from_str_radix(v.trim_start_matches("0x"), 16).ok()
            } else {
                v.parse::<i64>().ok()
            };
            let Some(value) = value else { continue };
            let row = Row {
                value,
                name,
                message,
            };
            t.by_value.entry(value).or_default().push(row);
            t.by_name.entry(name.to_ascii_uppercase()).or_insert(row);
        }
        t
    }

    /// The rows for a value, preferred name first.
    pub(crate) fn by_value(&self, value: i64) -> &[Row] {
        self.by_value.get(&value).map_or(&[], Vec::as_slice)
    }

    /// The row for a name, ignoring case.
    pub(crate) fn by_name(&self, name: &str) -> Option<Row> {
        self.by_name.get(&name.to_ascii_uppercase()).copied()
    }

    /// Every row with a message, for message-text lookups.
    pub(crate) fn rows(&self) -> impl Iterator<Item = &Row> {
        self.by_value.values().flatten()
    }
}

macro_rules! table {
    ($fn:ident, $file:literal, $hex:expr) => {
        #[doc = concat!("The table in `data/codes/", $file, "`.")]
        pub(crate) fn $fn() -> &'static Table {
            static T: OnceLock<Table> = OnceLock::new();
            T.get_or_init(|| Table::parse(include_str!(concat!("../../data/codes/", $file)), $hex))
        }
    };
}

table!(win32, "win32.tsv", false);
table!(hresult, "hresult.tsv", true);
table!(ntstatus, "ntstatus.tsv", true);
table!(errno, "errno.tsv", false);
