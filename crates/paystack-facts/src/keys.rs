//! Secret keys and the environment they belong to (docs/paystack-api.md §2.1).

/// Test-mode secret keys start with this.
pub const TEST_KEY_PREFIX: &str = "sk_test_";
/// Live-mode secret keys start with this.
pub const LIVE_KEY_PREFIX: &str = "sk_live_";

/// The environment of a key; objects carry it as `"domain"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Domain {
    Test,
    Live,
}

impl Domain {
    pub const fn as_str(self) -> &'static str {
        match self {
            Domain::Test => "test",
            Domain::Live => "live",
        }
    }

    /// The domain a key's prefix names, and the rest of the key; `None` for anything that is not a
    /// secret key (a `pk_` public key, `sk_prod_…`).
    pub fn of_key(key: &str) -> Option<(Domain, &str)> {
        if let Some(rest) = key.strip_prefix(TEST_KEY_PREFIX) {
            Some((Domain::Test, rest))
        } else {
            key.strip_prefix(LIVE_KEY_PREFIX).map(|rest| (Domain::Live, rest))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(Domain::of_key("sk_test_abc"), Some((Domain::Test, "abc")));
        assert_eq!(Domain::of_key("sk_live_"), Some((Domain::Live, "")));
        assert_eq!(Domain::of_key("pk_test_abc"), None);
        assert_eq!(Domain::Live.as_str(), "live");
    }
}
