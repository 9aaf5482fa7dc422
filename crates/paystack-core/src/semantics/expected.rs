//! Matching what was expected against what Paystack charged: each charge (a report's row) is the
//! expected charge of its reference, or, for a retry (`ref-r1`, `ref-r2`, ...), of the reference
//! it retries, followed back to one that was expected.

use std::collections::{HashMap, HashSet};

use super::references::retry_base;

/// The rows matched to expected references, and those that match none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matching {
    /// Each expected reference that has rows, with their positions, in the order first met.
    pub matched: Vec<(String, Vec<usize>)>,
    /// Positions of rows that are no expected charge (and no retry of one).
    pub unexpected: Vec<usize>,
}

/// Matches rows (their references, in order) to the expected references.
pub fn match_expected(expected: &[&str], rows: &[Option<&str>]) -> Matching {
    let wanted: HashSet<&str> = expected.iter().copied().collect();
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut matching = Matching::default();
    for (i, reference) in rows.iter().enumerate() {
        let key = reference.and_then(|r| {
            let mut candidate = Some(r);
            while let Some(c) = candidate {
                if wanted.contains(c) {
                    return Some(c);
                }
                candidate = retry_base(c);
            }
            None
        });
        match key {
            Some(key) => {
                let slot = *at.entry(key).or_insert_with(|| {
                    matching.matched.push((key.to_owned(), Vec::new()));
                    matching.matched.len() - 1
                });
                matching.matched[slot].1.push(i);
            }
            None => matching.unexpected.push(i),
        }
    }
    matching
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_and_their_retries_are_their_expected_charge() {
        let rows = [Some("a"), Some("a-r1"), Some("x"), None, Some("b-r2"), Some("a-r1-r1"), Some("b")];
        let found = match_expected(&["a", "b", "c"], &rows);
        assert_eq!(found.matched, vec![("a".to_owned(), vec![0, 1, 5]), ("b".to_owned(), vec![4, 6])]);
        assert_eq!(found.unexpected, vec![2, 3]);
    }

    #[test]
    fn an_expected_reference_that_looks_like_a_retry_is_itself() {
        let found = match_expected(&["inv-r1"], &[Some("inv-r1"), Some("inv-r1-r1"), Some("inv")]);
        assert_eq!(found.matched, vec![("inv-r1".to_owned(), vec![0, 1])]);
        assert_eq!(found.unexpected, vec![2]);
    }
}
