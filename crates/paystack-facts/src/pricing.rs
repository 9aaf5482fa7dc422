//! What Paystack charges the merchant for a card payment, as an estimate: the sandbox's `fees`
//! field and the fees `paystack-rs bulk-charge` shows before it charges (docs/sandbox.md, "fees").
//!
//! Paystack's published local card pricing in Nigeria is 1.5% + NGN 100, the NGN 100 waived under
//! NGN 2,500, capped at NGN 2,000 a transaction; other currencies are taken as 3.9% flat. The real
//! fee depends on the card (local or international), the country and the merchant's plan, and
//! Paystack reports it on each transaction: this is an approximation, never a promise.

/// The estimated fee of a card charge of `amount` subunits in `currency`, in subunits.
pub const fn estimated_card_fee(amount: u64, currency: &str) -> u64 {
    if is_ngn(currency) {
        let flat = if amount >= 250_000 { 10_000 } else { 0 };
        let fee = amount.saturating_mul(15) / 1000 + flat;
        if fee > 200_000 { 200_000 } else { fee }
    } else {
        amount.saturating_mul(39) / 1000
    }
}

const fn is_ngn(currency: &str) -> bool {
    let bytes = currency.as_bytes();
    bytes.len() == 3 && bytes[0] == b'N' && bytes[1] == b'G' && bytes[2] == b'N'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fees() {
        assert_eq!(estimated_card_fee(100_000, "NGN"), 1_500);
        assert_eq!(estimated_card_fee(249_999, "NGN"), 3_749);
        assert_eq!(estimated_card_fee(250_000, "NGN"), 13_750);
        assert_eq!(estimated_card_fee(100_000_000, "NGN"), 200_000);
        assert_eq!(estimated_card_fee(10_000, "USD"), 390);
        assert_eq!(estimated_card_fee(u64::MAX, "GHS"), u64::MAX / 1000);
    }
}
