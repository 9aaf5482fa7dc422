//! Amounts: Paystack counts every currency in its subunit, a hundredth of the unit ("integers in
//! the currency subunit", docs/paystack-api.md §2.2), so every amount reads with two decimals.

/// `subunits` as units with thousands separators and two decimals: 150050 is `"1,500.50"`. The
/// client's reports and the sandbox's pages add the sign and the currency as each shows them.
pub fn in_units(subunits: u64) -> String {
    let units = (subunits / 100).to_string();
    let mut grouped = String::with_capacity(units.len() + units.len() / 3 + 3);
    for (i, digit) in units.chars().enumerate() {
        if i > 0 && (units.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{grouped}.{:02}", subunits % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_by_thousands_with_two_decimals() {
        assert_eq!(in_units(0), "0.00");
        assert_eq!(in_units(5), "0.05");
        assert_eq!(in_units(100_000), "1,000.00");
        assert_eq!(in_units(150_050), "1,500.50");
        assert_eq!(in_units(123_456_789), "1,234,567.89");
        assert_eq!(in_units(u64::MAX), "184,467,440,737,095,516.15");
    }
}
