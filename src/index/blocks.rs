//! The blocks files of the browser index: each document's headings' and
//! body blocks' terms in order ([`SearchDoc::flow`]), which the page reads
//! only to check a quoted phrase in a candidate or to compare a pasted text
//! with the blocks of its best results.
//!
//! Consecutive documents share a file, `f<first>.js` (the number of its
//! first document), until the next one would take it past
//! [`GROUP_BYTES`]; a document larger than that stays alone. One file per
//! document was a fifth of the files of the site, while a query reads the
//! blocks of a few scattered documents, so a group's other documents are
//! bytes it downloads for nothing: the cap keeps them to a few KB (on
//! ms-support-full, a third fewer blocks files for 3.8 KiB more in a
//! median query). A document's record names its group's first document
//! when that is not itself (`b`).
//!
//! [`SearchDoc::flow`]: crate::search::docs::SearchDoc::flow

use super::script::script;
use crate::analysis::TermKind;
use crate::output::OutputFile;

/// The bytes a group of blocks files fills before the next document starts
/// another (measured as [`weight`]).
pub(crate) const GROUP_BYTES: usize = 4 * 1024;

/// Decides, in document order, which group each document joins. The same
/// decisions are made by a build and by `kbgen serve`'s live index, which
/// keeps them until its next full build.
#[derive(Default)]
pub(crate) struct Packer {
    first: u32,
    bytes: usize,
    open: bool,
}

impl Packer {
    /// Places document `n`, whose blocks weigh `bytes`: the first document
    /// of its group, and whether the group before it is now complete.
    pub(crate) fn place(&mut self, n: u32, bytes: usize) -> (u32, bool) {
        let closes = self.open && self.bytes + bytes > GROUP_BYTES;
        if !self.open || closes {
            self.first = n;
            self.bytes = 0;
        }
        self.open = true;
        self.bytes += bytes;
        (self.first, closes)
    }
}

/// The blocks as the page reads them: word terms lose their `w:` (a
/// quarter of the bytes), unless that would make them look like another
/// kind.
pub(crate) fn short_flow(flow: &[String]) -> Vec<String> {
    flow.iter().map(|block| short_block(block)).collect()
}

/// One block of [`short_flow`], in one pass over its bytes: the text
/// between two dropped prefixes is copied whole (a split per term, a search
/// for `:` in each and a copy of each were 2% of a build's CPU).
fn short_block(block: &str) -> String {
    let prefix = TermKind::Word.prefix().as_bytes();
    let bytes = block.as_bytes();
    let mut short = String::with_capacity(block.len());
    // Where the text not yet copied starts, and where the term being read does.
    let mut copied = 0;
    let mut term = 0;
    while term < bytes.len() {
        let end = bytes[term..]
            .iter()
            .position(|&b| b == b' ')
            .map_or(bytes.len(), |k| term + k);
        let body = &bytes[term..end];
        if body.starts_with(prefix) && !body[prefix.len()..].contains(&b':') {
            // `term` and `term + 2` are char boundaries: `w:` is ASCII.
            short.push_str(&block[copied..term]);
            copied = term + prefix.len();
        }
        term = end + 1;
    }
    short.push_str(&block[copied..]);
    short
}

/// About the bytes of `short` blocks in a file (each a JSON string).
pub(crate) fn weight(short: &[String]) -> usize {
    short.iter().map(|b| b.len() + 3).sum::<usize>() + 2
}

/// The blocks file of the group whose first document is `first`: the
/// blocks of each of its documents, in order.
pub(crate) fn file(first: u32, members: &[Vec<String>]) -> OutputFile {
    script(&format!("f{first}"), &members)
}

/// The groups of a build, filled one document at a time.
#[derive(Default)]
pub(crate) struct Groups {
    packer: Packer,
    members: Vec<Vec<String>>,
    /// Files made and their bytes.
    pub(crate) files: usize,
    pub(crate) bytes: usize,
}

impl Groups {
    /// Adds document `n`'s blocks: the first document of its group, and
    /// the file of the group before when it is complete.
    pub(crate) fn add(&mut self, n: u32, flow: &[String]) -> (u32, Option<OutputFile>) {
        let short = short_flow(flow);
        let before = self.packer.first;
        let (first, closes) = self.packer.place(n, weight(&short));
        let done = closes.then(|| self.flush(before));
        self.members.push(short);
        (first, done)
    }

    /// The last group's file, if any document is left.
    pub(crate) fn finish(&mut self) -> Option<OutputFile> {
        (!self.members.is_empty()).then(|| self.flush(self.packer.first))
    }

    fn flush(&mut self, first: u32) -> OutputFile {
        let f = file(first, &std::mem::take(&mut self.members));
        self.files += 1;
        self.bytes += f.bytes.len();
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_documents_share_a_group_and_a_large_one_stays_alone() {
        let mut p = Packer::default();
        assert_eq!(p.place(0, 1000), (0, false));
        assert_eq!(p.place(1, 1000), (0, false));
        assert_eq!(p.place(2, GROUP_BYTES), (2, true));
        assert_eq!(p.place(3, 10), (3, true));
        assert_eq!(p.place(4, 10), (3, false));
    }

    #[test]
    fn short_blocks_lose_the_word_prefix_only() {
        let flow = [
            "w:event c:0x80070005 w:a:b w:w:x e:w3svc/1011 w:",
            "",
            " w:lead  w:double ",
            "w:é w:naïve n:error_x",
        ]
        .map(String::from);
        let want = [
            "event c:0x80070005 w:a:b w:w:x e:w3svc/1011 ",
            "",
            " lead  double ",
            "é naïve n:error_x",
        ];
        assert_eq!(short_flow(&flow), want);
    }

    /// Against the plain reading: split at spaces, strip `w:` from each
    /// term whose body has no `:`, join again.
    #[test]
    fn short_blocks_agree_with_stripping_term_by_term() {
        let pieces = [
            "w:", "c:", "w:a", "w:a:b", ":", " ", "  ", "x", "é", "w:é:", "n:w:",
        ];
        let mut seed = 7u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (seed >> 16) as usize
        };
        for _ in 0..5000 {
            let mut block = String::new();
            for _ in 0..next() % 9 {
                block.push_str(pieces[next() % pieces.len()]);
            }
            let want: Vec<&str> = block
                .split(' ')
                .map(|t| match t.strip_prefix("w:") {
                    Some(body) if !body.contains(':') => body,
                    _ => t,
                })
                .collect();
            assert_eq!(short_block(&block), want.join(" "), "{block:?}");
        }
    }

    #[test]
    fn a_group_file_holds_its_documents_in_order() {
        let mut g = Groups::default();
        let flow = |s: &str| vec![s.to_string()];
        assert!(matches!(g.add(0, &flow("w:event 4006")), (0, None)));
        assert!(matches!(g.add(1, &flow("w:spawn")), (0, None)));
        let last = g.finish().unwrap();
        assert_eq!(last.path, "search/idx/f0.js");
        assert_eq!(
            String::from_utf8(last.bytes).unwrap(),
            "kbgenIndex(\"f0\",[[\"event 4006\"],[\"spawn\"]]);\n"
        );
        assert_eq!((g.files, g.finish().map(|f| f.path)), (1, None));
    }
}
