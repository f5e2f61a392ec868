//! Sets of ASCII bytes, one table lookup per byte tested: the line
//! reader tests the first bytes of every line against a few of them.

/// A set of ASCII bytes, made at compile time.
pub(crate) struct ByteSet([bool; 256]);

impl ByteSet {
    /// The set of `bytes`, which must all be ASCII.
    pub(crate) const fn new(bytes: &[u8]) -> ByteSet {
        let mut set = [false; 256];
        let mut i = 0;
        while i < bytes.len() {
            assert!(bytes[i].is_ascii());
            set[bytes[i] as usize] = true;
            i += 1;
        }
        ByteSet(set)
    }

    /// Whether `b` is in the set.
    pub(crate) fn has(&self, b: u8) -> bool {
        self.0[usize::from(b)]
    }
}
