//! Sets of numbers as written (`007` is not `7`), for the prefilter's
//! lookups of the digit runs of every record: most are short, and a bit
//! in a table is looked up faster than any hash.

use rustc_hash::FxHashSet;

/// Numbers of at most this many digits are kept in the bit table.
const SHORT: usize = 5;

/// Where the numbers of each length start in the bit table: 10 of one
/// digit, then 100 of two, up to 100,000 of five.
const OFFSET: [usize; SHORT + 2] = [0, 0, 10, 110, 1_110, 11_110, 111_110];

/// A table of `n` bits.
#[derive(Debug)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }

    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn get(&self, i: usize) -> bool {
        self.0[i / 64] & 1 << (i % 64) != 0
    }
}

/// A set of digit strings of at most 19 digits.
#[derive(Debug)]
pub(super) struct DigitSet {
    bits: Bits,
    long: FxHashSet<u128>,
}

impl Default for DigitSet {
    fn default() -> Self {
        DigitSet {
            bits: Bits::new(OFFSET[SHORT + 1]),
            long: FxHashSet::default(),
        }
    }
}

/// The digits' place: in the table, or their key in the long set;
/// `None` for anything but one to 19 ASCII digits.
enum Place {
    Bit(usize),
    Long(u128),
}

fn place(digits: &[u8]) -> Option<Place> {
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    // Checked and read in one pass: this runs for every digit run and
    // piece of every record.
    let mut value = 0u64;
    for &c in digits {
        let digit = c.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value * 10 + u64::from(digit);
    }
    Some(if digits.len() <= SHORT {
        Place::Bit(OFFSET[digits.len()] + value as usize)
    } else {
        // The length above the value, so leading zeros count.
        Place::Long((digits.len() as u128) << 64 | u128::from(value))
    })
}

impl DigitSet {
    /// Adds `digits` when it is one to 19 ASCII digits.
    pub(super) fn insert(&mut self, digits: &[u8]) {
        match place(digits) {
            Some(Place::Bit(i)) => self.bits.set(i),
            Some(Place::Long(k)) => {
                self.long.insert(k);
            }
            None => {}
        }
    }

    /// Whether the set holds `digits`; `None` when it is not one to 19
    /// ASCII digits, which the set cannot hold.
    pub(super) fn holds(&self, digits: &[u8]) -> Option<bool> {
        Some(match place(digits)? {
            Place::Bit(i) => self.bits.get(i),
            Place::Long(k) => self.long.contains(&k),
        })
    }
}

/// A bit per string of one to five digits, as written (`007` is not
/// `7`): a verdict on every short number, made once, so a number in a
/// log costs one bit's lookup rather than one per table it is tested
/// against.
#[derive(Debug)]
pub(super) struct ShortVerdicts(Bits);

impl Default for ShortVerdicts {
    fn default() -> Self {
        ShortVerdicts(Bits::new(OFFSET[SHORT + 1]))
    }
}

impl ShortVerdicts {
    /// The verdicts of `f` on every string of one to five digits.
    pub(super) fn new(f: impl Fn(&[u8]) -> bool) -> ShortVerdicts {
        let mut v = ShortVerdicts::default();
        let mut digits = [b'0'; SHORT];
        for len in 1..=SHORT {
            for value in 0..(OFFSET[len + 1] - OFFSET[len]) {
                let mut rest = value;
                for d in digits[..len].iter_mut().rev() {
                    *d = b'0' + (rest % 10) as u8;
                    rest /= 10;
                }
                if f(&digits[..len]) {
                    v.0.set(OFFSET[len] + value);
                }
            }
        }
        v
    }

    /// The verdict on `digits`, one to five ASCII digits (false for any
    /// other bytes).
    pub(super) fn of(&self, digits: &[u8]) -> bool {
        match place(digits) {
            Some(Place::Bit(i)) => self.0.get(i),
            _ => false,
        }
    }
}

/// The numbers a [`SmallNumbers`] holds are below this.
const SMALL: u32 = 100_000;

/// A set of numbers below 100,000 (events and codes beside their words).
#[derive(Debug)]
pub(super) struct SmallNumbers(Bits);

impl Default for SmallNumbers {
    fn default() -> Self {
        SmallNumbers(Bits::new(SMALL as usize))
    }
}

impl SmallNumbers {
    /// Adds `n` when it is below 100,000.
    pub(super) fn insert(&mut self, n: u32) {
        if n < SMALL {
            self.0.set(n as usize);
        }
    }

    /// True when `n` is below 100,000 and in the set.
    pub(super) fn holds(&self, n: u32) -> bool {
        n < SMALL && self.0.get(n as usize)
    }

    /// True when `n` is surely not in the set the table was filled from:
    /// it is below 100,000 and not in the table (larger ones are not kept).
    pub(super) fn rules_out(&self, n: u32) -> bool {
        n < SMALL && !self.0.get(n as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_held_as_written() {
        const HELD: [&str; 6] = [
            "7",
            "007",
            "99999",
            "123456",
            "0123456",
            "9999999999999999999",
        ];
        let mut set = DigitSet::default();
        for d in HELD {
            set.insert(d.as_bytes());
        }
        set.insert(b"12a");
        let held = |d: &str| set.holds(d.as_bytes());
        for d in HELD {
            assert_eq!(held(d), Some(true), "{d}");
        }
        for d in ["07", "0007", "8", "99998", "00123456", "1234567"] {
            assert_eq!(held(d), Some(false), "{d}");
        }
        assert_eq!(held("12a"), None);
        assert_eq!(held("a12"), None);
        assert_eq!(held("1/2"), None);
        assert_eq!(held("1:2"), None);
        assert_eq!(held(""), None);
        assert_eq!(held("12345678901234567890"), None);
        let mut small = SmallNumbers::default();
        small.insert(1014);
        small.insert(100_000);
        assert!(!small.rules_out(1014) && small.rules_out(1015));
        // Not kept, so not ruled out.
        assert!(!small.rules_out(100_000));
    }
}
