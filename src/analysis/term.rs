//! The kinds of index term. Every term the analyser makes is one kind and
//! a body; the index files, the tantivy fields and the JSON of `kbgen
//! search` spell a term as its kind's two-character prefix and the body
//! (`w:share`, `c:0x80070005`, `e:w3svc/1011`), the format
//! `docs/search.md` fixes and the browser's analyser follows. Rust code
//! names the kind instead of writing the prefix.

/// What a term stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TermKind {
    /// A word, stemmed, or a number (`w:`).
    Word,
    /// An error code's canonical key (`c:0x80070005`, `c:http-500.19`).
    Code,
    /// An error code's symbolic name, lower case (`n:error_access_denied`).
    Name,
    /// An event ID without its source (`i:1011`).
    BareEvent,
    /// An event ID with its canonical source (`e:w3svc/1011`).
    Event,
}

impl TermKind {
    /// Every kind, in prefix order of the format.
    pub const ALL: [TermKind; 5] = [
        TermKind::Word,
        TermKind::Code,
        TermKind::Name,
        TermKind::BareEvent,
        TermKind::Event,
    ];

    /// The prefix that spells this kind in a term string.
    pub const fn prefix(self) -> &'static str {
        match self {
            TermKind::Word => "w:",
            TermKind::Code => "c:",
            TermKind::Name => "n:",
            TermKind::BareEvent => "i:",
            TermKind::Event => "e:",
        }
    }

    /// The term string of `body` as this kind (a hot path: one allocation,
    /// no `format!` machinery).
    pub fn term(self, body: &str) -> String {
        let prefix = self.prefix();
        let mut t = String::with_capacity(prefix.len() + body.len());
        t.push_str(prefix);
        t.push_str(body);
        t
    }

    /// The body of `term` when it is of this kind.
    pub fn body(self, term: &str) -> Option<&str> {
        term.strip_prefix(self.prefix())
    }

    /// True when `term` is of this kind.
    pub fn is(self, term: &str) -> bool {
        term.starts_with(self.prefix())
    }

    /// The kind and body of a term string; `None` for a string that is no term.
    pub fn parse(term: &str) -> Option<(TermKind, &str)> {
        TermKind::ALL
            .into_iter()
            .find_map(|k| k.body(term).map(|body| (k, body)))
    }
}

#[cfg(test)]
mod tests {
    use super::TermKind;

    #[test]
    fn terms_round_trip_through_their_prefix() {
        for kind in TermKind::ALL {
            let term = kind.term("x/1");
            assert_eq!(TermKind::parse(&term), Some((kind, "x/1")));
            assert!(kind.is(&term));
        }
        assert_eq!(TermKind::Word.term("share"), "w:share");
        assert_eq!(TermKind::Event.term("w3svc/1011"), "e:w3svc/1011");
        assert_eq!(TermKind::parse("x:share"), None);
        assert_eq!(TermKind::Code.body("w:share"), None);
    }
}
