//! Money as the command line and the reports show it: subunits as units with two decimals.

/// `150050` in `NGN` is `"NGN 1,500.50"`; without a currency, `"1,500.50"`.
pub fn format_money(subunits: i64, currency: &str) -> String {
    let sign = if subunits < 0 { "-" } else { "" };
    let text = format!("{sign}{}", paystack_facts::amounts::in_units(subunits.unsigned_abs()));
    if currency.is_empty() { text } else { format!("{currency} {text}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_with_two_decimals() {
        assert_eq!(format_money(150050, "NGN"), "NGN 1,500.50");
        assert_eq!(format_money(0, ""), "0.00");
        assert_eq!(format_money(5, "GHS"), "GHS 0.05");
        assert_eq!(format_money(-123456789, ""), "-1,234,567.89");
        assert_eq!(format_money(100_000, ""), "1,000.00");
        assert_eq!(format_money(i64::MIN, ""), "-92,233,720,368,547,758.08");
    }
}
