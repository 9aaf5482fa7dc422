//! References the SDK generates when the caller gives none, so every charge can be verified.
//!
//! They come from the OS random source on every call rather than a seeded generator: after
//! `fork()` a parent and child would otherwise produce the same references.

const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const PREFIX: &str = "psrs-";
const RANDOM_CHARS: usize = 20;

/// A new reference: `psrs-` and 20 random lowercase letters or digits (about 103 bits). It fits
/// both the transaction charset (`[A-Za-z0-9.=-]`) and the bulk-charge charset (`[a-z0-9_-]`).
pub fn generate() -> String {
    let mut bytes = [0u8; RANDOM_CHARS];
    if getrandom::fill(&mut bytes).is_err() {
        // No OS randomness (practically impossible): fall back to the thread generator.
        rand::fill(&mut bytes);
    }
    let mut out = String::with_capacity(PREFIX.len() + RANDOM_CHARS);
    out.push_str(PREFIX);
    // 256 % 36 = 4, so the first four letters are marginally likelier; harmless for uniqueness.
    out.extend(bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char));
    out
}

/// The item references of a bulk initiation, in order, in one buffer: a 1000-item batch keeps
/// one string instead of 1000.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemReferences {
    text: String,
    ends: Vec<usize>,
}

impl ItemReferences {
    pub fn with_capacity(count: usize) -> Self {
        ItemReferences { text: String::with_capacity(count * 24), ends: Vec::with_capacity(count) }
    }

    pub fn push(&mut self, reference: &str) {
        self.text.push_str(reference);
        self.ends.push(self.text.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        self.text.get(start..end)
    }

    pub fn first(&self) -> Option<&str> {
        self.get(0)
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }
}

impl<'a> FromIterator<&'a str> for ItemReferences {
    fn from_iter<I: IntoIterator<Item = &'a str>>(references: I) -> Self {
        let mut all = ItemReferences::default();
        references.into_iter().for_each(|r| all.push(r));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn item_references_keep_order_and_text() {
        let all: ItemReferences = ["a-1", "", "b_22", "ü-3"].into_iter().collect();
        assert_eq!(all.len(), 4);
        assert_eq!(all.iter().collect::<Vec<_>>(), ["a-1", "", "b_22", "ü-3"]);
        assert_eq!(all.first(), Some("a-1"));
        assert_eq!(all.get(3), Some("ü-3"));
        assert_eq!(all.get(4), None);
        assert!(ItemReferences::default().is_empty());
    }

    #[test]
    fn references_fit_both_charsets_and_do_not_repeat() {
        let refs: HashSet<String> = (0..10_000).map(|_| generate()).collect();
        assert_eq!(refs.len(), 10_000);
        for r in refs.iter().take(100) {
            assert!(crate::value::is_transaction_reference(r), "{r}");
            assert!(crate::bulk_items::is_bulk_reference(r), "{r}");
            assert_eq!(r.len(), PREFIX.len() + RANDOM_CHARS);
        }
    }
}
