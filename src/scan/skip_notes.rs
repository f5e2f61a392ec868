//! What a reader could not read in one file, kept to a few notes per
//! reason: a CSV export of a million rows without a date, source or
//! message, or an XML file of a million broken events, gives the first
//! few notes of each kind and a count of the rest, not a million lines
//! (each had also been handed from the reading thread to the counting one
//! on its own: two million took 82 s and 340 MB).

use super::report::Skipped;
use indexmap::IndexMap;

/// Notes of one reason kept in a file before the rest are only counted.
pub(super) const LIKE_KEPT: u64 = 3;

/// Reasons told apart in a file: notes of further reasons (a parser's
/// messages that name offsets, say) are counted together.
const REASONS: usize = 64;

/// The notes of one file met so far, by reason.
#[derive(Debug, Default)]
pub(super) struct SkipNotes {
    /// Per reason, in the order first met: the notes met, and where the
    /// last one was.
    by_reason: IndexMap<String, (u64, String)>,
    /// Notes of reasons past [`REASONS`]: how many, and the last place.
    others: (u64, String),
}

impl SkipNotes {
    /// Counts a note of `reason` at `at`; true when it is one of the
    /// first [`LIKE_KEPT`] of its reason, to be reported as it is.
    pub(super) fn keep(&mut self, at: &str, reason: &str) -> bool {
        if let Some((n, last)) = self.by_reason.get_mut(reason) {
            *n += 1;
            if *n <= LIKE_KEPT {
                return true;
            }
            last.clear();
            last.push_str(at);
            return false;
        }
        if self.by_reason.len() >= REASONS {
            self.others.0 += 1;
            self.others.1 = at.to_string();
            return false;
        }
        self.by_reason
            .insert(reason.to_string(), (1, String::new()));
        true
    }

    /// One note per reason of which more were met than kept: how many
    /// more, and where the last was; and one for the reasons not told apart.
    pub(super) fn summaries(self, file: &str) -> Vec<Skipped> {
        let mut out = Vec::new();
        for (reason, (n, last)) in self.by_reason {
            if n > LIKE_KEPT {
                out.push(Skipped {
                    file: file.to_string(),
                    at: more_at(n - LIKE_KEPT, &last),
                    reason,
                });
            }
        }
        let (n, last) = self.others;
        if n > 0 {
            out.push(Skipped {
                file: file.to_string(),
                at: more_at(n, &last),
                reason: "notes of further kinds, not listed".to_string(),
            });
        }
        out
    }
}

/// `at` of a summary: how many more notes, and where the last one was.
fn more_at(n: u64, last: &str) -> String {
    let notes = crate::plural::plural(n, "more place");
    if last.is_empty() {
        format!("and {notes}")
    } else {
        format!("and {notes}, the last at {last}")
    }
}

#[cfg(test)]
mod tests {
    use super::{SkipNotes, LIKE_KEPT, REASONS};

    #[test]
    fn the_first_notes_of_a_reason_are_kept_and_the_rest_counted() {
        let mut notes = SkipNotes::default();
        let kept: Vec<bool> = (1..=10)
            .map(|i| notes.keep(&format!("line {i}"), "a row without a date"))
            .collect();
        assert_eq!(kept.iter().filter(|&&k| k).count() as u64, LIKE_KEPT);
        assert!(kept[..LIKE_KEPT as usize].iter().all(|&k| k));
        assert!(notes.keep("line 11", "another reason"));
        let s = notes.summaries("rows.csv");
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].file, "rows.csv");
        assert_eq!(s[0].reason, "a row without a date");
        assert_eq!(s[0].at, "and 7 more places, the last at line 10");
    }

    #[test]
    fn reasons_past_the_most_told_apart_are_counted_together() {
        let mut notes = SkipNotes::default();
        for i in 0..REASONS + 5 {
            notes.keep("", &format!("reason {i}"));
        }
        let s = notes.summaries("log.evtx");
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].at, "and 5 more places");
        assert!(s[0].reason.contains("further kinds"), "{s:?}");
    }
}
