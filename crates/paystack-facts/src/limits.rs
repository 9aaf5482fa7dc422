//! Limits on amounts, batches and references.

/// The largest amount Paystack accepts, in subunits: "10,000,000 for all supported currencies"
/// in major units (docs/paystack-api.md §2.2). Above it: "Transaction amount limit exceeded".
pub const MAX_AMOUNT: u64 = 1_000_000_000;

/// Charges per bulk-charge batch, at most (docs/paystack-api.md §3.1).
pub const MAX_BATCH_SIZE: usize = 1000;

/// Times Paystack tries a bulk charge before marking it failed (docs/paystack-api.md §3.1, §3.6).
pub const BULK_RETRY_LIMIT: u32 = 5;

/// Legacy test-mode rule of check_authorization: "insufficient funds" from NGN 500,000 up, in
/// kobo (docs/paystack-api.md T6).
pub const CHECK_AUTHORIZATION_TEST_LIMIT: u64 = 50_000_000;

/// The longest reference the client sends. Paystack documents no maximum (docs/paystack-api.md
/// §2.3 gives only the charsets): this is the SDK's own guard against sending a mistake (a whole
/// document pasted as a reference), not a Paystack fact, and the sandbox does not enforce it.
pub const MAX_REFERENCE_LEN: usize = 100;

/// A byte of a transaction reference: "Only `-`, `.`, `=` and alphanumeric characters allowed"
/// (docs/paystack-api.md §2.3). Above it: "Invalid character in transaction reference".
pub const fn is_transaction_reference_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'=')
}

/// A byte of a bulk-charge item reference: lowercase letters, digits, `-` and `_`
/// (docs/paystack-api.md §2.3). Such a reference becomes the charge's transaction reference.
pub const fn is_bulk_reference_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets() {
        let all: Vec<u8> = (0..=255).collect();
        let tx: String = all.iter().filter(|b| is_transaction_reference_byte(**b)).map(|b| *b as char).collect();
        assert_eq!(tx, "-.0123456789=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
        let bulk: String = all.iter().filter(|b| is_bulk_reference_byte(**b)).map(|b| *b as char).collect();
        assert_eq!(bulk, "-0123456789_abcdefghijklmnopqrstuvwxyz");
    }
}
