//! What a build holds of every document from the model stage until the
//! stage that reads it: the rendered HTML (about 500 MB as text at 100,000
//! articles, read by the render stage) and the text blocks (about 540 MB as
//! blocks, read by the extract and index stages). A large knowledge base
//! keeps them LZ4-compressed meanwhile ([`Packing`]): LZ4 is fast both
//! ways, HTML compresses well, and the blocks of the generated benchmark
//! corpus shrink by about a third (its random words compress poorly; a
//! string header per block is saved too). Each is unpacked one document at
//! a time.

use crate::markdown::{Block, BlockKind};
use std::borrow::Cow;

/// Whether a build keeps bodies compressed between its stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packing {
    /// As they are: compressing and unpacking every body was 4% of a
    /// build's CPU, for memory a smaller knowledge base does not need.
    Plain,
    /// LZ4-compressed.
    Lz4,
}

impl Packing {
    /// Markdown above which bodies are compressed: at 256 MB of it, about
    /// 170 MB of HTML and as much of text blocks, held until their stage.
    const LZ4_ABOVE: usize = 256 << 20;

    /// The packing for a build of `markdown` bytes of content.
    pub(crate) fn for_content(markdown: usize) -> Packing {
        if markdown > Self::LZ4_ABOVE {
            Packing::Lz4
        } else {
            Packing::Plain
        }
    }
}

/// Bytes as they are or LZ4-compressed, each in an allocation of its own
/// size.
#[derive(Clone)]
enum Bytes {
    Plain(Box<[u8]>),
    Lz4(Box<[u8]>),
}

impl Default for Bytes {
    fn default() -> Bytes {
        Bytes::Plain(Box::default())
    }
}

impl Bytes {
    fn pack(raw: Vec<u8>, packing: Packing) -> Bytes {
        match packing {
            Packing::Plain if raw.len() == raw.capacity() => Bytes::Plain(raw.into_boxed_slice()),
            Packing::Plain => Bytes::Plain(exact(raw)),
            Packing::Lz4 => Bytes::Lz4(exact(lz4_flex::compress_prepend_size(&raw))),
        }
    }

    /// The bytes again. Packed by this process: decoding cannot fail short
    /// of memory corruption, so there is no error to carry; empty bytes
    /// would show it.
    fn unpack(&self) -> Cow<'_, [u8]> {
        match self {
            Bytes::Plain(b) => Cow::Borrowed(b),
            Bytes::Lz4(b) => Cow::Owned(lz4_flex::decompress_size_prepended(b).unwrap_or_default()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Bytes::Plain(b) | Bytes::Lz4(b) => b.len(),
        }
    }
}

/// A document's HTML, packed as its build chose.
#[derive(Clone, Default)]
pub struct PackedHtml(Bytes);

impl PackedHtml {
    /// Packs `html`.
    pub fn pack(html: String, packing: Packing) -> PackedHtml {
        PackedHtml(Bytes::pack(html.into_bytes(), packing))
    }

    /// The HTML again.
    pub fn unpack(&self) -> String {
        String::from_utf8(self.0.unpack().into_owned()).unwrap_or_default()
    }
}

impl std::fmt::Debug for PackedHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PackedHtml({} bytes)", self.0.len())
    }
}

/// A document's text blocks, packed as its build chose. Each block is laid
/// out as a flags byte (kind, quoted), its line and its text length (u64
/// LE), then its text.
#[derive(Clone, Default)]
pub struct PackedBlocks(Bytes);

const KINDS: [BlockKind; 4] = [
    BlockKind::Paragraph,
    BlockKind::Heading,
    BlockKind::Code,
    BlockKind::TableRow,
];
const QUOTED: u8 = 0x80;

impl PackedBlocks {
    /// Packs `blocks`.
    pub fn pack(blocks: &[Block], packing: Packing) -> PackedBlocks {
        let size = blocks.iter().map(|b| HEAD + b.text.len()).sum();
        let mut raw = Vec::with_capacity(size);
        for b in blocks {
            let kind = KINDS.iter().position(|k| *k == b.kind).unwrap_or(0) as u8;
            raw.push(kind | if b.quoted { QUOTED } else { 0 });
            raw.extend_from_slice(&(b.line as u64).to_le_bytes());
            raw.extend_from_slice(&(b.text.len() as u64).to_le_bytes());
            raw.extend_from_slice(b.text.as_bytes());
        }
        PackedBlocks(Bytes::pack(raw, packing))
    }

    /// The blocks again.
    pub fn unpack(&self) -> Vec<Block> {
        // Packed by this process from valid blocks (see Bytes::unpack): a
        // short or bad record can only mean corruption, and ends the list.
        let raw = self.0.unpack();
        let mut blocks = Vec::new();
        let mut rest: &[u8] = &raw;
        while let Some((&flags, tail)) = rest.split_first() {
            let (Some(line), Some(len)) = (read_u64(tail, 0), read_u64(tail, 8)) else {
                break;
            };
            let Some(text) = tail.get(HEAD - 1..).and_then(|t| t.get(..len)) else {
                break;
            };
            let Ok(text) = std::str::from_utf8(text) else {
                break;
            };
            blocks.push(Block {
                kind: KINDS[usize::from(flags & 3)],
                text: text.to_string(),
                line,
                quoted: flags & QUOTED != 0,
            });
            rest = &tail[HEAD - 1 + len..];
        }
        blocks
    }
}

/// `bytes` in an allocation of their own size. Shrinking the compressor's
/// worst-case buffer (or a string's spare capacity) in place would not do:
/// mimalloc keeps a block that is shrunk by less than half where it is, so
/// the memory saved would stay taken.
fn exact(bytes: Vec<u8>) -> Box<[u8]> {
    Box::from(bytes.as_slice())
}

/// Bytes before each block's text: flags, line, length.
const HEAD: usize = 17;

fn read_u64(bytes: &[u8], at: usize) -> Option<usize> {
    let b: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    usize::try_from(u64::from_le_bytes(b)).ok()
}

impl std::fmt::Debug for PackedBlocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PackedBlocks({} bytes)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::{PackedBlocks, PackedHtml, Packing};
    use crate::markdown::{Block, BlockKind};

    #[test]
    fn blocks_round_trip_with_kind_line_and_quote() {
        let blocks: Vec<Block> = [
            (BlockKind::Heading, "Symptoms", 3, false),
            (BlockKind::Paragraph, "", 5, true),
            (BlockKind::Code, "Event ID 7023 — ✓\n\tline two", 9, false),
            (
                BlockKind::TableRow,
                "0x80070005\tAccess denied",
                1_000_000,
                true,
            ),
        ]
        .into_iter()
        .map(|(kind, text, line, quoted)| Block {
            kind,
            text: text.to_string(),
            line,
            quoted,
        })
        .collect();
        for packing in [Packing::Plain, Packing::Lz4] {
            let back = PackedBlocks::pack(&blocks, packing).unpack();
            assert_eq!(format!("{back:?}"), format!("{blocks:?}"));
            assert!(PackedBlocks::pack(&[], packing).unpack().is_empty());
        }
        assert!(PackedBlocks::default().unpack().is_empty());
    }

    #[test]
    fn round_trips_text_of_any_kind() {
        for packing in [Packing::Plain, Packing::Lz4] {
            for html in ["", "<p>x</p>", &"<li>Événement 7023 — ✓</li>\n".repeat(500)] {
                assert_eq!(PackedHtml::pack(html.to_string(), packing).unpack(), html);
            }
        }
    }

    #[test]
    fn only_a_large_knowledge_base_is_compressed() {
        assert_eq!(Packing::for_content(60 << 20), Packing::Plain);
        assert_eq!(Packing::for_content(800 << 20), Packing::Lz4);
    }
}
