//! A record's skeleton: its text with every digit as one mark. Lines of
//! one kind differ mostly in their digits (times, PIDs, ports, counts,
//! addresses), and records of one skeleton have their tokens in the same
//! places and every byte but the digits in common. For most tokens with
//! digits that also settles the shape's verdict (masked, noise, kept as
//! written) whatever the digits are; the others are tested on the record
//! itself. A skeleton's [`Plan`] holds both, so a record's shape is made
//! without the tokeniser, without looking at its tokens without digits,
//! and with tests only where the digits can change the verdict.
//!
//! When the digits cannot change a token's verdict, following the tests
//! of [`Prefilter::shape_token`] in their order:
//! - `8007` is looked for in every record (it is four bytes);
//! - the tests of a number (an event, a code after its context word) and
//!   of a code form read the digits only in a token that, trimmed, is a
//!   number or a decimal, has a digit before an `x` (`0x`), starts with a
//!   digit and `.` (an SMTP status), has an eight-character run of hex
//!   digits starting with a digit (a code from `8…`), or has the skeleton
//!   of a name the knowledge base cites: such a token is tested on each
//!   record; the other code tests (nine digits or more, `mssqlserver_`)
//!   and the analyser's noise tests (GUIDs, times, addresses) read only
//!   which characters are digits;
//! - a token that is then neither, but has the skeleton of a template
//!   term, is looked up whole on each record, and then its pieces; else
//!   only its pieces are: a piece with the skeleton of a template term is
//!   looked up on each record, the others are masked.
//!
//! A GUID's letters vary too, so a skeleton masks them with its digits: a
//! GUID is the analyser's noise unless it holds `8007` or a run of nine
//! digits or more (a code), or has no digit at all (kept as written), and
//! those are looked for in every record.
//!
//! A GUID is always a whole token (no token character joins it), so it is
//! always a slot of its own: between slots, and in the slots of masked
//! tokens, the skeleton is the text with its digits masked, and a shape is
//! copied from it there. A record's key ([`Prefilter::key_by_plan`]) holds
//! only what the skeleton does not give, and most of it is written from a
//! table lookup or two per token, which the plan prepares ([`Quick`]):
//! what the word before each number tells of it, and which pieces of a
//! token could be template words.

use super::super::kb::Signatures;
use super::super::record::LogRecord;
use super::shape::{DIGIT, MAX_SHAPED, NOISE};
use super::token::{code_form, for_token_spans, piece_spans, trim_to_alphanumeric};
use super::{digits_value, is_event_word, Before, Prefilter};
use crate::analysis::{camel_split, is_noise_token};
use rustc_hash::{FxHashMap, FxHashSet};

/// How a skeleton's records get their shape, token by token.
#[derive(Debug, Default)]
pub struct Plan {
    slots: Vec<Slot>,
    /// The pieces of [`Quick::Pieces`] slots that may be template words.
    pieces: Vec<(u32, u32)>,
    /// The template terms a [`Verdict::Whole`] slot's token could be, each
    /// with where it would start in the token (past the joiners that
    /// trimming drops): see [`Slot::spelled`].
    spellings: Vec<(u32, Box<[u8]>)>,
}

/// One token with digits.
#[derive(Debug, Clone, Copy)]
struct Slot {
    start: u32,
    end: u32,
    /// The token before it, read by the number tests.
    prev: Option<(u32, u32)>,
    verdict: Verdict,
    quick: Quick,
    /// For a [`Verdict::Whole`] slot: `Plan::spellings[from..to]`, every
    /// template term with the skeleton of the token or of its trimmed
    /// part, so that the token is compared with those few rather than
    /// looked up in the vocabulary's tables; `None` when the skeleton has
    /// more than a few ([`FEW_SPELLINGS`]: KB numbers, say).
    spelled: Option<(u32, u32)>,
}

/// The most spellings a [`Verdict::Whole`] slot compares its token with.
pub(super) const FEW_SPELLINGS: usize = 8;

/// A shortcut of [`Prefilter::key_by_plan`] for the commonest slots: a
/// table lookup or two per number or piece settles their part of the key
/// (most of a log's numbers and pieces are no template term, event or
/// code), without making their shape and comparing it with the skeleton.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quick {
    /// None: the slot's shape is made and compared.
    No,
    /// A number after a token that is no event word (`event`, `id`),
    /// and what that token tells of it.
    Number(Before),
    /// A token whose shape is made piece by piece, with the pieces that
    /// could be template words at `Plan::pieces[from..to]`: the others
    /// are masked whatever their digits.
    Pieces { from: u32, to: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Its digits masked, whatever they are (unless it holds `8007`).
    Mask,
    /// Its pieces looked up (unless it holds `8007`):
    /// [`Prefilter::shape_pieces`] on the record.
    Pieces,
    /// Kept when the whole token is a template term, else its pieces
    /// looked up (unless it holds `8007`).
    Whole,
    /// The analyser's noise, whatever the digits (unless `8007`).
    Noise,
    /// Kept as written, whatever the digits.
    Keep,
    /// A plain number: [`Prefilter::shape_number`] on the record.
    Number,
    /// Turns on the digits: [`Prefilter::shape_token`] on the record.
    Test,
    /// A GUID, its letters masked in the skeleton too.
    Guid,
}

/// A record's skeleton, and what it tells of the record as a whole.
#[derive(Debug, Default)]
pub struct Skeleton {
    /// The text with its digits, and the letters of its GUIDs, as [`DIGIT`].
    /// A GUID is always a slot of its own, so between the slots and in
    /// the slots of masked tokens it is the text with its digits masked.
    pub bytes: Vec<u8>,
    /// The text holds `8007` somewhere: only then is a token looked at for it.
    code_8007: bool,
}

/// Finds `8007` in a whole record at once.
static FINDER_8007: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"8007"));

impl Plan {
    /// What the plan costs to keep, in bytes.
    pub fn bytes(&self) -> usize {
        self.slots.len() * std::mem::size_of::<Slot>()
            + self.pieces.len() * std::mem::size_of::<(u32, u32)>()
            + self
                .spellings
                .iter()
                .map(|(_, s)| s.len() + std::mem::size_of::<(u32, Box<[u8]>)>())
                .sum::<usize>()
    }
}

/// True when `raw` holds `8007`, which the shape keeps whatever else
/// the token is.
fn has_8007(raw: &[u8]) -> bool {
    raw.windows(4).any(|w| w == b"8007")
}

/// Where a GUID's dashes are.
const GUID_DASH: [bool; 36] = {
    let mut d = [false; 36];
    d[8] = true;
    d[13] = true;
    d[18] = true;
    d[23] = true;
    d
};

/// True when a GUID (8-4-4-4-12 hex digits) starts at `start` of `b` and
/// is a whole token: no token character, nor an apostrophe that could join
/// two words, on either side.
pub(super) fn guid_at(b: &[u8], start: usize) -> bool {
    let Some(g) = b.get(start..start + 36) else {
        return false;
    };
    let joins = |c: Option<&u8>| {
        c.is_some_and(|&c| c.is_ascii_alphanumeric() || b"_.-\\/:$@'`".contains(&c))
    };
    let g: &[u8; 36] = g.try_into().expect("36 bytes");
    // Every byte tested, without a branch: a fixed-size loop the compiler
    // turns into vector code (asked of every GUID of a log).
    let mut bad = 0u8;
    for (i, &c) in g.iter().enumerate() {
        let hex = c.is_ascii_digit() | ((c | 0x20).wrapping_sub(b'a') < 6);
        let dash = c == b'-';
        bad |= u8::from(if GUID_DASH[i] { !dash } else { !hex });
    }
    bad == 0 && !joins(start.checked_sub(1).and_then(|i| b.get(i))) && !joins(b.get(start + 36))
}

/// Bytes [`mask_digits`] reads per step.
const BLOCK: usize = 32;

/// What [`mask_digits`] saw of the bytes it masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Masked {
    /// How many `-` they hold.
    dashes: usize,
    /// True when every byte is ASCII.
    ascii: bool,
}

/// Writes `b` to `out` with each digit as [`DIGIT`], telling how many
/// `-` it holds and whether it is ASCII (in the same pass: asked of every
/// record). A block at a time, the last one padded: a fixed-size loop the
/// compiler turns into vector code whole, where a loop over any length
/// would leave up to a block's bytes to a byte-by-byte tail (most records
/// are a few blocks long).
fn mask_digits(b: &[u8], out: &mut Vec<u8>) -> Masked {
    out.clear();
    out.reserve(b.len());
    let mut dashes = 0;
    let mut high = 0;
    let mut blocks = b.chunks_exact(BLOCK);
    for block in &mut blocks {
        let block: &[u8; BLOCK] = block.try_into().expect("a whole block");
        let (masked, n, h) = mask_block(block);
        out.extend_from_slice(&masked);
        dashes += n;
        high |= h;
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        let mut padded = [0u8; BLOCK];
        padded[..rest.len()].copy_from_slice(rest);
        let (masked, n, h) = mask_block(&padded);
        out.extend_from_slice(&masked[..rest.len()]);
        dashes += n;
        high |= h;
    }
    Masked {
        dashes,
        ascii: high < 0x80,
    }
}

/// One block of [`mask_digits`]: the masked bytes, the dashes, and all
/// the bytes or-ed together (at least `0x80` when one is not ASCII).
#[inline(always)]
fn mask_block(block: &[u8; BLOCK]) -> ([u8; BLOCK], usize, u8) {
    let mut masked = [0u8; BLOCK];
    let mut dashes = 0u8;
    let mut high = 0u8;
    for (m, &c) in masked.iter_mut().zip(block) {
        *m = if c.is_ascii_digit() { DIGIT } else { c };
        dashes += u8::from(c == b'-');
        high |= c;
    }
    (masked, usize::from(dashes), high)
}

/// True when `raw` has a run of nine digits or more (a code to the shape).
fn long_digit_run(raw: &[u8]) -> bool {
    // A counting loop: asked of every GUID, where a split's iterator cost
    // more than the rest of the GUID's part of the key.
    let mut run = 0;
    for &c in raw {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 9 {
            return true;
        }
    }
    false
}

/// True when the tests of a number or a code form read a token's digits
/// (`lower`, and `bare`: without the joiners at its ends): trimmed it is
/// a number or a decimal, or it has a digit before an `x`, a digit and
/// `.` at its start, or eight hex digits starting with a digit.
fn read_as_number_or_code(lower: &str, bare: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    let (whole, decimals) = bare.split_once('.').unwrap_or((bare, "0"));
    let b = bare.as_bytes();
    (digits(whole) && digits(decimals))
        || lower
            .as_bytes()
            .windows(2)
            .any(|w| w[0].is_ascii_digit() && w[1] == b'x')
        || b.first().is_some_and(u8::is_ascii_digit) && b.get(1) == Some(&b'.')
        || lower.split(|c: char| !c.is_ascii_alphanumeric()).any(|p| {
            p.len() == 8
                && p.bytes().all(|c| c.is_ascii_hexdigit())
                && p.as_bytes()[0].is_ascii_digit()
        })
}

/// `bytes` in lower case with each digit as [`DIGIT`].
pub(super) fn skeleton_of(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_digit() {
                DIGIT
            } else {
                b.to_ascii_lowercase()
            }
        })
        .collect()
}

/// The words of `words` that hold a digit, by skeleton: those a token
/// lower-cased could equal (ASCII, in lower case), [`FEW_SPELLINGS`] and
/// one more at most, so that a longer list says there are more than a few.
pub(super) fn spellings_by_skeleton<'w>(
    words: impl Iterator<Item = &'w str>,
) -> FxHashMap<Vec<u8>, Vec<Box<[u8]>>> {
    let mut by: FxHashMap<Vec<u8>, Vec<Box<[u8]>>> = FxHashMap::default();
    for w in words.filter(|w| w.bytes().any(|b| b.is_ascii_digit())) {
        let spellings = by.entry(skeleton_of(w.as_bytes())).or_default();
        let comparable = !w.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii());
        if comparable && spellings.len() <= FEW_SPELLINGS {
            spellings.push(w.as_bytes().into());
        }
    }
    by
}

/// The skeletons of the words in `words` that hold a digit.
pub(super) fn digit_skeletons<'w>(words: impl Iterator<Item = &'w str>) -> FxHashSet<Vec<u8>> {
    words
        .filter(|w| w.bytes().any(|b| b.is_ascii_digit()))
        .map(|w| skeleton_of(w.as_bytes()))
        .collect()
}

impl Prefilter {
    /// Writes `rec`'s skeleton to `out`; false when it has no shape.
    pub fn skeleton(&self, rec: &LogRecord, out: &mut Skeleton) -> bool {
        let text = &rec.text;
        // The ASCII test of `shapes_record` is made while masking.
        if !self.may_shape(rec) {
            return false;
        }
        let b = text.as_bytes();
        let bytes = &mut out.bytes;
        let masked = mask_digits(b, bytes);
        if !masked.ascii {
            return false;
        }
        // A GUID has four dashes, the first eight bytes in, then one every five.
        if masked.dashes >= 4 {
            let dash_at = |i: usize| b.get(i) == Some(&b'-');
            for dash in memchr::memchr_iter(b'-', b) {
                let spaced = dash_at(dash + 5) && dash_at(dash + 10) && dash_at(dash + 15);
                let Some(start) = dash.checked_sub(8).filter(|&s| spaced && guid_at(b, s)) else {
                    continue;
                };
                for k in start..start + 36 {
                    if b[k] != b'-' {
                        bytes[k] = DIGIT;
                    }
                }
            }
        }
        out.code_8007 = FINDER_8007.find(b).is_some();
        true
    }

    /// True when `rec` has a shape ([`Prefilter::shape`]).
    pub(super) fn shapes_record(&self, rec: &LogRecord) -> bool {
        self.may_shape(rec) && rec.text.is_ascii()
    }

    /// [`Self::shapes_record`] but for the ASCII test.
    fn may_shape(&self, rec: &LogRecord) -> bool {
        self.ready && rec.event_id.is_none() && rec.text.len() <= MAX_SHAPED
    }

    /// The plan of `rec`'s skeleton, made from `rec`; `None` when its
    /// shape must always be made in full (a token with an apostrophe).
    pub fn plan(&self, sigs: &Signatures, rec: &LogRecord) -> Option<Plan> {
        let text = &rec.text;
        let mut slots = Vec::new();
        let mut pieces = Vec::new();
        let mut spellings = Vec::new();
        let mut prev: Option<(u32, u32)> = None;
        let mut joined = false;
        for_token_spans(text, |span, tok| {
            let raw = &text.as_bytes()[span.clone()];
            let here = Some((span.start as u32, span.end as u32));
            let guid = guid_at(text.as_bytes(), span.start) && span.len() == 36;
            if raw.len() != tok.len() {
                joined = true;
            } else if guid || raw.iter().any(u8::is_ascii_digit) {
                let verdict = if guid {
                    Verdict::Guid
                } else if raw.iter().all(u8::is_ascii_digit) {
                    Verdict::Number
                } else {
                    self.verdict(sigs, tok)
                };
                let before = prev.map_or("", |(a, z)| &text[a as usize..z as usize]);
                let quick = match verdict {
                    // (A token before it with digits is never an event word.)
                    Verdict::Number if !is_event_word(trim_to_alphanumeric(before)) => {
                        // A GUID's letters vary within the skeleton: its
                        // pieces could be anything.
                        let guid = prev.is_some_and(|(a, _)| guid_at(text.as_bytes(), a as usize));
                        Quick::Number(if guid {
                            Before::Other
                        } else {
                            self.before(before)
                        })
                    }
                    Verdict::Pieces | Verdict::Whole => {
                        let from = pieces.len() as u32;
                        pieces.extend(self.open_pieces(raw, span.start));
                        Quick::Pieces {
                            from,
                            to: pieces.len() as u32,
                        }
                    }
                    _ => Quick::No,
                };
                let spelled = (verdict == Verdict::Whole)
                    .then(|| self.whole_spellings(tok, &mut spellings))
                    .flatten();
                slots.push(Slot {
                    start: span.start as u32,
                    end: span.end as u32,
                    prev,
                    verdict,
                    quick,
                    spelled,
                });
            }
            prev = here;
        });
        (!joined).then_some(Plan {
            slots,
            pieces,
            spellings,
        })
    }

    /// Adds to `spellings` the template terms a token of `tok`'s skeleton
    /// could be ([`Vocab::knows_whole`](super::token::Vocab): the token
    /// lower-cased, or its part trimmed to letters and digits), and gives
    /// their range; `None` when there are more than [`FEW_SPELLINGS`].
    /// Which bytes are digits, and the letters, are the same in every
    /// record of a skeleton, and so are the joiners trimmed.
    fn whole_spellings(
        &self,
        tok: &str,
        spellings: &mut Vec<(u32, Box<[u8]>)>,
    ) -> Option<(u32, u32)> {
        let lower = tok.to_ascii_lowercase();
        let bare = trim_to_alphanumeric(&lower);
        let lead = bare.as_ptr() as usize - lower.as_ptr() as usize;
        let mut forms = vec![(0, lower.as_str())];
        if bare.len() != lower.len() {
            forms.push((lead, bare));
        }
        let from = spellings.len();
        for (at, form) in forms {
            let Some(known) = self.vocab_by_skeleton.get(&skeleton_of(form.as_bytes())) else {
                continue;
            };
            if known.len() > FEW_SPELLINGS {
                spellings.truncate(from);
                return None;
            }
            spellings.extend(known.iter().map(|k| (at as u32, k.clone())));
        }
        Some((from as u32, spellings.len() as u32))
    }

    /// [`Self::knows_token`] of a [`Verdict::Whole`] slot's token, by its
    /// plan's spellings when it has them.
    fn knows_slot_token(&self, plan: &Plan, s: &Slot, raw: &[u8]) -> bool {
        let Some((from, to)) = s.spelled else {
            return self.knows_token(raw);
        };
        plan.spellings[from as usize..to as usize]
            .iter()
            .any(|(at, term)| {
                raw.get(*at as usize..*at as usize + term.len())
                    .is_some_and(|part| part.eq_ignore_ascii_case(term))
            })
    }

    /// The pieces of a token (runs of letters and digits, at `at` in the
    /// text) holding a digit that could be template words in some record
    /// of its skeleton: the piece, or a camelCase part of it holding a
    /// digit, has the skeleton of a template term. Which bytes are digits,
    /// and the letters, are the same in every record of a skeleton, so
    /// the other pieces are masked in all of them.
    fn open_pieces<'r>(
        &'r self,
        raw: &'r [u8],
        at: usize,
    ) -> impl Iterator<Item = (u32, u32)> + 'r {
        let known = |s: &[u8]| self.vocab_by_skeleton.contains_key(&skeleton_of(s));
        piece_spans(raw).filter_map(move |span| {
            let piece = &raw[span.clone()];
            let open = piece.iter().any(u8::is_ascii_digit)
                && (known(piece)
                    || camel_split(std::str::from_utf8(piece).unwrap_or_default())
                        .iter()
                        .any(|part| known(part.as_bytes())));
            open.then_some(((at + span.start) as u32, (at + span.end) as u32))
        })
    }

    /// The verdict of a token with digits that is not a number, as far
    /// as its skeleton settles it (the module's list).
    fn verdict(&self, sigs: &Signatures, tok: &str) -> Verdict {
        let lower = tok.to_ascii_lowercase();
        let bare = trim_to_alphanumeric(&lower);
        let skeleton = |s: &str| skeleton_of(s.as_bytes());
        if has_8007(tok.as_bytes())
            || read_as_number_or_code(&lower, bare)
            || self.name_skeletons.contains(&skeleton(bare))
        {
            return Verdict::Test;
        }
        if code_form(sigs, tok, &lower) {
            return Verdict::Keep;
        }
        if is_noise_token(tok) {
            return Verdict::Noise;
        }
        let known = |s: &str| self.vocab_by_skeleton.contains_key(&skeleton(s));
        if known(&lower) || known(bare) {
            return Verdict::Whole;
        }
        let looked_up = tok
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|p| p.bytes().any(|c| c.is_ascii_digit()))
            .any(|p| known(p) || camel_split(p).iter().any(|part| known(part)));
        if looked_up {
            Verdict::Pieces
        } else {
            Verdict::Mask
        }
    }

    /// [`Vocab::knows_whole`](super::token::Vocab) of a token as written.
    fn knows_token(&self, raw: &[u8]) -> bool {
        let mut buf = [0u8; 64];
        // Lower-cased on the stack: most tokens are short.
        let lower = match buf.get_mut(..raw.len()) {
            Some(b) => {
                b.copy_from_slice(raw);
                b.make_ascii_lowercase();
                std::str::from_utf8(b).unwrap_or_default()
            }
            None => return self.knows_token_long(raw),
        };
        self.vocab.knows_whole(lower)
    }

    /// [`Self::knows_token`] of a token longer than its stack buffer.
    fn knows_token_long(&self, raw: &[u8]) -> bool {
        let lower = raw.to_ascii_lowercase();
        self.vocab
            .knows_whole(std::str::from_utf8(&lower).unwrap_or_default())
    }

    /// `rec`'s shape by its skeleton's plan: the same bytes as
    /// [`Prefilter::shape`] gives.
    pub fn shape_by_plan(
        &self,
        sigs: &Signatures,
        rec: &LogRecord,
        plan: &Plan,
        skeleton: &Skeleton,
    ) -> Vec<u8> {
        let b = rec.text.as_bytes();
        // Masked tokens and the text between (which has no digits) are
        // copied from the skeleton in runs.
        let from = &skeleton.bytes[..];
        let mut out = Vec::with_capacity(b.len() + 1);
        let mut done = 0;
        for s in &plan.slots {
            let (start, end) = (s.start as usize, s.end as usize);
            if s.verdict == Verdict::Mask && !self.may_hold_8007(b, s, skeleton) {
                continue;
            }
            out.extend_from_slice(&from[done..start]);
            done = end;
            self.slot_shape(sigs, rec, s, skeleton, &mut out);
        }
        out.extend_from_slice(&from[done..]);
        out
    }

    /// Writes `rec`'s key under its skeleton's plan to `out`: per slot, a
    /// mark when its shape is the skeleton's bytes or noise, else its shape
    /// and an end mark. The shape is made of the skeleton and the key, so
    /// records of one skeleton and key have one shape, and one answer.
    /// Most slots are marks, so a key is short.
    pub fn key_by_plan(
        &self,
        sigs: &Signatures,
        rec: &LogRecord,
        plan: &Plan,
        skeleton: &Skeleton,
        out: &mut Vec<u8>,
    ) {
        self.write_key(sigs, rec, plan, skeleton, true, out);
    }

    /// [`Self::key_by_plan`] with every slot's shape made and compared,
    /// no [`Quick`] shortcut: what the shortcuts are tested against.
    #[doc(hidden)]
    pub fn key_by_plan_in_full(
        &self,
        sigs: &Signatures,
        rec: &LogRecord,
        plan: &Plan,
        skeleton: &Skeleton,
        out: &mut Vec<u8>,
    ) {
        self.write_key(sigs, rec, plan, skeleton, false, out);
    }

    fn write_key(
        &self,
        sigs: &Signatures,
        rec: &LogRecord,
        plan: &Plan,
        skeleton: &Skeleton,
        quick: bool,
        out: &mut Vec<u8>,
    ) {
        out.clear();
        let b = rec.text.as_bytes();
        for s in &plan.slots {
            let same = &skeleton.bytes[s.start as usize..s.end as usize];
            if s.verdict == Verdict::Mask && !self.may_hold_8007(b, s, skeleton) {
                out.push(AS_SKELETON);
                continue;
            }
            if quick && self.quick_key(&rec.text, plan, s, skeleton, out) {
                continue;
            }
            let at = out.len();
            self.slot_shape(sigs, rec, s, skeleton, out);
            let written = &out[at..];
            let mark = if written == same {
                AS_SKELETON
            } else if written == [NOISE] {
                AS_NOISE
            } else {
                out.push(SLOT_END);
                continue;
            };
            out.truncate(at);
            out.push(mark);
        }
    }

    /// Writes the slot's part of a key when its verdict, or its [`Quick`]
    /// shortcut, settles it with a test or two: the part
    /// [`Self::slot_shape`] would lead to, made without the shape. False
    /// to make the shape.
    fn quick_key(
        &self,
        text: &str,
        plan: &Plan,
        s: &Slot,
        skeleton: &Skeleton,
        out: &mut Vec<u8>,
    ) -> bool {
        let b = text.as_bytes();
        if self.may_hold_8007(b, s, skeleton) {
            return false;
        }
        let (start, end) = (s.start as usize, s.end as usize);
        let raw = &b[start..end];
        let as_written = match (s.quick, s.verdict) {
            (Quick::Number(before), _) => {
                let prev = s.prev.map_or("", |(a, z)| &text[a as usize..z as usize]);
                match self.number_part(&text[start..end], prev, before) {
                    Some(mark) => {
                        out.push(mark);
                        return true;
                    }
                    None => true,
                }
            }
            (Quick::Pieces { from, to }, _) => {
                if s.verdict == Verdict::Whole && self.knows_slot_token(plan, s, raw) {
                    true
                } else {
                    self.pieces_part(
                        b,
                        &plan.pieces[from as usize..to as usize],
                        s,
                        skeleton,
                        out,
                    );
                    return true;
                }
            }
            // A code form whatever the digits.
            (_, Verdict::Keep) => true,
            (_, Verdict::Noise) => {
                out.push(AS_NOISE);
                return true;
            }
            // A GUID's letters are masked in the skeleton: one without
            // digits is kept; one with them is noise unless it holds a
            // code or a cited name could be a GUID.
            (_, Verdict::Guid) if !raw.iter().any(u8::is_ascii_digit) => true,
            (_, Verdict::Guid) if !long_digit_run(raw) && !self.names_have_guid => {
                out.push(AS_NOISE);
                return true;
            }
            // `0x` anywhere makes a code form (`code_form`).
            (_, Verdict::Test) if raw.windows(2).any(|w| w[0] == b'0' && w[1] | 0x20 == b'x') => {
                true
            }
            _ => return false,
        };
        if as_written {
            // It holds a digit, or a GUID's letters: unlike the skeleton.
            out.extend_from_slice(raw);
            out.push(SLOT_END);
        }
        true
    }

    /// A number slot's mark in a key (`shape_number` with `8007` ruled
    /// out), or `None` when it is kept as written: from nine digits, or
    /// eight from `8`, a code; from six, noise; below six, kept when a
    /// template holds it or it could be an event or a code after `prev`
    /// (the small-number table rules that out for most, and what the word
    /// before tells, `before`, most of the rest).
    fn number_part(&self, tok: &str, prev: &str, before: Before) -> Option<u8> {
        let raw = tok.as_bytes();
        match raw.len() {
            0..=5 => {
                let kept = if before != Before::Other {
                    self.kept_after(raw, before)
                } else if self.small_numbers.rules_out(digits_value(raw)) {
                    self.number_terms.holds(raw) == Some(true)
                } else {
                    self.number_kept(tok, prev)
                };
                (!kept).then_some(AS_SKELETON)
            }
            6 | 7 => Some(AS_NOISE),
            8 if raw[0] < b'8' => Some(AS_NOISE),
            _ => None,
        }
    }

    /// A piece slot's part of a key (`shape_pieces`): a mark when none of
    /// its `open` pieces is a template word, else the skeleton with those
    /// that are as written.
    fn pieces_part(
        &self,
        b: &[u8],
        open: &[(u32, u32)],
        s: &Slot,
        skeleton: &Skeleton,
        out: &mut Vec<u8>,
    ) {
        let (start, end) = (s.start as usize, s.end as usize);
        let at = out.len();
        for &(a, z) in open {
            let piece = &b[a as usize..z as usize];
            if self.vocab.knows_piece_bytes(piece) {
                if out.len() == at {
                    out.extend_from_slice(&skeleton.bytes[start..end]);
                }
                let k = at + a as usize - start;
                out[k..k + piece.len()].copy_from_slice(piece);
            }
        }
        out.push(if out.len() == at {
            AS_SKELETON
        } else {
            SLOT_END
        });
    }

    /// True when a slot's token may hold `8007`.
    fn may_hold_8007(&self, b: &[u8], s: &Slot, skeleton: &Skeleton) -> bool {
        skeleton.code_8007 && has_8007(&b[s.start as usize..s.end as usize])
    }

    /// Writes one slot's shape as [`Prefilter::shape_token`] makes it,
    /// with the tests its verdict leaves.
    fn slot_shape(
        &self,
        sigs: &Signatures,
        rec: &LogRecord,
        s: &Slot,
        skeleton: &Skeleton,
        out: &mut Vec<u8>,
    ) {
        let text = rec.text.as_str();
        let (start, end) = (s.start as usize, s.end as usize);
        let raw = &text.as_bytes()[start..end];
        let tok = &text[start..end];
        let prev = s.prev.map_or("", |(a, z)| &text[a as usize..z as usize]);
        let fixed = !self.may_hold_8007(text.as_bytes(), s, skeleton);
        match s.verdict {
            Verdict::Keep => out.extend_from_slice(raw),
            Verdict::Noise if fixed => out.push(NOISE),
            // (Both callers copy these from the skeleton in runs first.)
            Verdict::Mask if fixed => out.extend_from_slice(&skeleton.bytes[start..end]),
            Verdict::Pieces if fixed => self.shape_pieces(raw, out),
            Verdict::Whole if fixed && self.knows_token(raw) => out.extend_from_slice(raw),
            Verdict::Whole if fixed => self.shape_pieces(raw, out),
            Verdict::Number => self.shape_number(tok, prev, out),
            Verdict::Guid if !raw.iter().any(u8::is_ascii_digit) => out.extend_from_slice(raw),
            Verdict::Guid if fixed && !long_digit_run(raw) && !self.names_have_guid => {
                out.push(NOISE)
            }
            _ => self.shape_token(sigs, raw, tok, prev, out),
        }
    }
}

// A key's marks are bytes no shape holds (shapes hold ASCII, `DIGIT` and
// `NOISE`), so a key reads back one way: a mark, or a shape up to its end.
/// A slot of a key whose shape is the skeleton's bytes there.
const AS_SKELETON: u8 = 0xfc;
/// A slot of a key whose shape is `NOISE`.
const AS_NOISE: u8 = 0xfb;
/// Ends a slot's shape written into a key.
const SLOT_END: u8 = 0xfd;

#[cfg(test)]
mod tests {
    use super::{guid_at, mask_digits, Skeleton, Verdict, DIGIT, FEW_SPELLINGS};
    use crate::scan::kb::Signatures;
    use crate::scan::prefilter::Prefilter;
    use crate::scan::record::LogRecord;

    /// A token of a `Whole` slot compared with its plan's spellings is
    /// known as the vocabulary's tables know it, for every digit in every
    /// place: whole or trimmed, in any case, and with more spellings of
    /// its skeleton than a plan keeps (looked up then).
    #[test]
    fn whole_tokens_are_known_by_their_spellings_as_by_the_tables() {
        let mut p = Prefilter {
            ready: true,
            ..Prefilter::default()
        };
        let mut terms = vec!["w:w3svc1", "w:ssh2", "w:x64", "n:c4d2", "w:Ab1", "w:é1"];
        let many: Vec<String> = (0..=FEW_SPELLINGS)
            .map(|i| format!("w:kb50344{i}1"))
            .collect();
        terms.extend(many.iter().map(String::as_str));
        for (i, term) in terms.iter().enumerate() {
            p.vocab.add(term, i as u32);
        }
        p.vocab_by_skeleton = super::spellings_by_skeleton(p.vocab.bodies());
        let sigs = Signatures::default();
        let texts = [
            "svc W3SVC1 up",
            "via (ssh2) done",
            "via ssh2: done",
            "built x64, ok",
            "key 'c4d2' set",
            "key ab1 set",
            "KB5034491 installed",
            "via --ssh2 done",
            "at _x64_ now",
            "in $W3svc1 ok",
        ];
        let (mut spelled, mut looked_up, mut known, mut trimmed) = (0, 0, 0, 0);
        for text in texts {
            let rec = |text: String| LogRecord {
                text,
                ..LogRecord::default()
            };
            let plan = p.plan(&sigs, &rec(text.to_string())).expect("a plan");
            let wholes: Vec<_> = plan
                .slots
                .iter()
                .filter(|s| s.verdict == Verdict::Whole)
                .collect();
            assert!(!wholes.is_empty(), "{text}");
            trimmed += plan.spellings.iter().filter(|(at, _)| *at > 0).count();
            for at in 0..text.len() {
                for digit in b'0'..=b'9' {
                    let mut b = text.as_bytes().to_vec();
                    if !b[at].is_ascii_digit() {
                        continue;
                    }
                    b[at] = digit;
                    let variant = rec(String::from_utf8(b).unwrap());
                    let mut skeleton = Skeleton::default();
                    assert!(p.skeleton(&variant, &mut skeleton));
                    for s in &wholes {
                        let raw = &variant.text.as_bytes()[s.start as usize..s.end as usize];
                        let by_tables = p.knows_token(raw);
                        assert_eq!(
                            p.knows_slot_token(&plan, s, raw),
                            by_tables,
                            "{}",
                            variant.text
                        );
                        known += usize::from(by_tables);
                        if s.spelled.is_some() {
                            spelled += 1;
                        } else {
                            looked_up += 1;
                        }
                    }
                }
            }
        }
        assert!(
            spelled > 50 && looked_up > 50 && known >= 6 && trimmed >= 2,
            "{spelled} {looked_up} {known} {trimmed}"
        );
    }

    /// `guid_at` as first written: byte by byte, 8-4-4-4-12.
    fn guid_at_bytewise(b: &[u8], start: usize) -> bool {
        let Some(g) = b.get(start..start + 36) else {
            return false;
        };
        let joins = |c: Option<&u8>| {
            c.is_some_and(|&c| c.is_ascii_alphanumeric() || b"_.-\\/:$@'`".contains(&c))
        };
        g.iter().enumerate().all(|(i, &c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        }) && !joins(start.checked_sub(1).and_then(|i| b.get(i)))
            && !joins(b.get(start + 36))
    }

    /// GUIDs and near misses (a dash moved, a letter past `f`, a joiner
    /// beside it, cut short) at every place: the same answer as the
    /// byte-by-byte test.
    #[test]
    fn guids_are_found_as_the_bytewise_test_finds_them() {
        let guid = b"bf13c171-6b68-409c-dc15-cd6880690847";
        let mut found = 0;
        for change in 0..=guid.len() {
            for with in [b'g', b'-', b'0', b'F', b' '] {
                let mut g = guid.to_vec();
                if change < g.len() {
                    g[change] = with;
                }
                for (before, after) in [("", ""), ("id ", " ok"), ("x", ""), ("", "/"), ("{", "}")]
                {
                    let text = [before.as_bytes(), &g, after.as_bytes()].concat();
                    for start in 0..text.len() {
                        let fast = guid_at(&text, start);
                        assert_eq!(
                            fast,
                            guid_at_bytewise(&text, start),
                            "{:?} at {start}",
                            String::from_utf8_lossy(&text)
                        );
                        found += usize::from(fast);
                    }
                    let cut = &text[..text.len() - 1 - after.len()];
                    assert!(!guid_at(cut, before.len()));
                }
            }
        }
        assert!(found > 100, "{found}");
    }

    /// Every length around the block size, digits and dashes anywhere:
    /// the same bytes and count as a plain loop.
    #[test]
    fn digits_are_masked_and_dashes_counted_as_a_plain_loop_does() {
        let alphabet = b"a-0-9Z -";
        let mut out = Vec::new();
        for len in 0..100 {
            for seed in 0..8usize {
                let mut text: Vec<u8> = (0..len)
                    .map(|i| alphabet[(i * 7 + seed * 3 + i / 5) % alphabet.len()])
                    .collect();
                // One byte of a non-ASCII character, anywhere in the blocks.
                if seed % 2 == 1 && len > 0 {
                    text[seed * 13 % len] = 0xe9;
                }
                let masked = mask_digits(&text, &mut out);
                let plain: Vec<u8> = text
                    .iter()
                    .map(|&c| if c.is_ascii_digit() { DIGIT } else { c })
                    .collect();
                assert_eq!(out, plain, "{len} {seed}");
                let dashes = text.iter().filter(|&&c| c == b'-').count();
                assert_eq!(masked.dashes, dashes);
                assert_eq!(masked.ascii, text.is_ascii(), "{len} {seed}");
            }
        }
    }
}
