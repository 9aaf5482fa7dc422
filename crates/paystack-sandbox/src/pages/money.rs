//! Amounts as a customer reads them: `₦250,000.00` from 25000000 kobo. Every currency the
//! sandbox accepts is counted in hundredths on the API (docs/paystack-api.md §2.2: "integers in
//! the currency subunit"), so each is shown with two decimals.

/// The symbol shown before an amount in `currency` (the code itself when there is none).
pub(crate) fn symbol(currency: &str) -> &str {
    match currency {
        "NGN" => "₦",
        "GHS" => "GH₵",
        "ZAR" => "R",
        "KES" => "KSh",
        "USD" => "$",
        "XOF" => "CFA ",
        "EGP" => "E£",
        "RWF" => "FRw ",
        other => other,
    }
}

/// `subunits` in `currency` with its symbol, thousands separators and two decimals.
pub(crate) fn format_amount(subunits: u64, currency: &str) -> String {
    let symbol = symbol(currency);
    let space = if symbol == currency { " " } else { "" };
    format!("{symbol}{space}{}", paystack_facts::amounts::in_units(subunits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_their_currency() {
        assert_eq!(format_amount(25_000_000, "NGN"), "₦250,000.00");
        assert_eq!(format_amount(5, "NGN"), "₦0.05");
        assert_eq!(format_amount(100_000_000_000, "USD"), "$1,000,000,000.00");
        assert_eq!(format_amount(123_456, "GHS"), "GH₵1,234.56");
        assert_eq!(format_amount(99_999, "XOF"), "CFA 999.99");
        assert_eq!(format_amount(100, "EUR"), "EUR 1.00");
        assert_eq!(format_amount(0, "KES"), "KSh0.00");
    }
}
