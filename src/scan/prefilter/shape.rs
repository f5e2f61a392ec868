//! A record's shape: its text with the variable values that cannot change
//! what it matches masked out. Logs repeat a few hundred kinds of line
//! millions of times, differing in times, PIDs, addresses, GUIDs and
//! counts; records of one shape give the same evidence, so a scan
//! analyses one record of each shape and counts the others with it.
//!
//! Why the evidence is the same: two records of one shape differ only in
//! tokens with digits that the prefilter finds inert — no code form, no
//! number that could be a cited event or a code beside its context word,
//! and no term holding a digit that any template holds. Such a token gives
//! no code, name or event, and whatever term it gives is in no template,
//! so it never counts towards a template's coverage (the longest common
//! subsequence of the template and the line is the same with or without
//! terms the template lacks). Every other token is kept as written. The
//! unmatched list's key masks the same tokens, as noise or as digits, so
//! it is the same too.

use super::super::kb::Signatures;
use super::super::record::LogRecord;
use super::token::{code_form, for_token_spans, piece_spans};
use super::Prefilter;
use crate::analysis::is_noise_token;

/// Longest text given a shape. It keeps a record's terms well under the
/// analyser's cap on a sequence (one term per token, and a token takes
/// two bytes with its separator), so masked tokens cannot push a template
/// term past it.
pub(super) const MAX_SHAPED: usize = 2048;

/// Stands for a token the analyser takes for noise: its length and
/// letters do not matter (GUIDs differ in their letters too).
pub(super) const NOISE: u8 = 0xff;

/// Stands for an inert digit. Not `0`: a token kept as written, `u0000`
/// that a template holds, must not have the shape of an inert `u1234`.
pub(super) const DIGIT: u8 = 0xfe;

/// A shape with each run of inert digits as one [`DIGIT`]: the key its
/// answer is remembered by. An inert digit is in no term, event or code
/// that the shape keeps, so records that differ only in how many inert
/// digits a token has (`processed 12 invoices`, `processed 12345
/// invoices`) give the same evidence and unmatched key (which writes any
/// run of digits as one `#`), and are matched once rather than once per
/// number of digits.
pub fn fold_inert_digits(shape: &mut Vec<u8>) {
    shape.dedup_by(|a, b| *a == DIGIT && *b == DIGIT);
}

impl Prefilter {
    /// The shape of `rec`, or `None` when it has none and must be analysed
    /// alone: without signatures, with an event ID (its source and ID are
    /// its evidence), with non-ASCII text or text over [`MAX_SHAPED`].
    pub fn shape(&self, sigs: &Signatures, rec: &LogRecord) -> Option<Vec<u8>> {
        let text = &rec.text;
        if !self.shapes_record(rec) {
            return None;
        }
        let mut out = Vec::with_capacity(text.len());
        let mut done = 0;
        let mut prev = String::new();
        for_token_spans(text, |span, tok| {
            out.extend_from_slice(&text.as_bytes()[done..span.start]);
            done = span.end;
            let raw = &text.as_bytes()[span];
            self.shape_token(sigs, raw, tok, &prev, &mut out);
            prev.clear();
            prev.push_str(tok);
        });
        out.extend_from_slice(&text.as_bytes()[done..]);
        Some(out)
    }

    /// Writes one token's shape: `raw` as the text spells it, `tok` as
    /// the prefilter reads it, after `prev`.
    pub(super) fn shape_token(
        &self,
        sigs: &Signatures,
        raw: &[u8],
        tok: &str,
        prev: &str,
        out: &mut Vec<u8>,
    ) {
        if !raw.iter().any(u8::is_ascii_digit) || raw.len() != tok.len() {
            return out.extend_from_slice(raw);
        }
        if tok.bytes().all(|b| b.is_ascii_digit()) {
            return self.shape_number(tok, prev, out);
        }
        let lower = tok.to_ascii_lowercase();
        // `8007…` anywhere: the analyser reads a padded `0x0000…` Win32
        // code as a flag unless the text also spells it in full.
        if lower.as_bytes().windows(4).any(|w| w == b"8007")
            || self.as_number_matters(tok, prev)
            || code_form(sigs, tok, &lower)
        {
            return out.extend_from_slice(raw);
        }
        // The analyser gives a noise token no term at all.
        if is_noise_token(tok) {
            return out.push(NOISE);
        }
        if self.vocab.knows_whole(&lower) {
            return out.extend_from_slice(raw);
        }
        self.shape_pieces(raw, out);
    }

    /// Writes a token's shape piece by piece: a piece (a run of letters
    /// and digits) whose digits make a template term stays, the digits of
    /// the others are masked, lengths kept (the analyser's classes count
    /// digits); what joins the pieces stays.
    pub(super) fn shape_pieces(&self, raw: &[u8], out: &mut Vec<u8>) {
        let at = out.len();
        out.extend_from_slice(raw);
        for span in piece_spans(raw) {
            let piece = &raw[span.clone()];
            if piece.iter().any(u8::is_ascii_digit) && !self.vocab.knows_piece_bytes(piece) {
                for b in &mut out[at + span.start..at + span.end] {
                    if b.is_ascii_digit() {
                        *b = DIGIT;
                    }
                }
            }
        }
    }

    /// [`Self::shape_token`] for a plain number (PIDs, ports, counts: most
    /// tokens with digits), its tests worked out for digits alone.
    pub(super) fn shape_number(&self, tok: &str, prev: &str, out: &mut Vec<u8>) {
        let b = tok.as_bytes();
        if self.number_kept(tok, prev) {
            out.extend_from_slice(b);
        } else if b.len() >= 6 {
            // The analyser's noise: a long number that is no code.
            out.push(NOISE);
        } else {
            out.resize(out.len() + b.len(), DIGIT);
        }
    }

    /// True when [`Self::shape_number`] keeps a number as written.
    pub(super) fn number_kept(&self, tok: &str, prev: &str) -> bool {
        let b = tok.as_bytes();
        // Code forms: nine digits or more, eight from 8 up; a padded code.
        // (A short token is searched faster by its windows than by `str::contains`.)
        let code =
            b.len() >= 9 || b.len() == 8 && b[0] >= b'8' || b.windows(4).any(|w| w == b"8007");
        // `Vocab::knows_whole` for a number, below noise's six digits:
        // its lower case and trimmed forms are itself.
        code || self.as_number_matters(tok, prev)
            || b.len() < 6 && self.number_terms.holds(b) == Some(true)
    }
}
