//! Paystack's fee table: what Paystack keeps of a successful payment, by currency and channel
//! (docs/paystack-api.md §8.4). The one formula the client's estimates (`paystack-rs bulk-charge`,
//! `_core.estimated_card_fees`) and the sandbox's `fees` use.
//!
//! | currency | channel | rate |
//! |---|---|---|
//! | NGN | local card (and other local channels) | 1.5% + NGN 100, the NGN 100 waived under NGN 2,500, capped at NGN 2,000 |
//! | NGN | international card | 3.9% + NGN 100 (the NGN 100 waived under NGN 2,500, as for local), no cap |
//! | GHS | any | 1.95% |
//! | KES | local card | 2.9% |
//! | KES | mobile money (M-PESA) | 1.5% |
//! | KES | international card | 3.8% |
//! | ZAR | local | 2.9% + R1 (VAT excluded) |
//! | ZAR | international card | 3.1% + R1 |
//! | USD | any | 3.9% |
//!
//! Decisions where Paystack's pages are silent (docs/paystack-api.md §8.4):
//! - "waived under NGN 2,500" is read strictly: an amount of exactly 250,000 kobo pays the NGN 100.
//! - The percentage is taken of the amount in subunits and rounded down to a whole subunit; the
//!   flat part is added after; the cap applies to the sum.
//! - The NGN 100 on international cards is waived under NGN 2,500 too: Paystack's own settlement
//!   sample shows fees of 390 (3.9%, no flat part) on a 10,000-kobo payment by a Kenyan card.
//! - Mobile money outside KES, and channels other than cards, pay the currency's local rate.
//! - XOF, EGP and RWF have no published row: [`fee`] answers `None` and the estimate
//!   ([`estimated_card_fee`]) falls back to [`FALLBACK_RATE`] (3.9%, the highest card rate).
//!
//! The real fee also depends on the merchant's plan and any negotiated pricing, and Paystack
//! reports it on each transaction (`fees`): this is an estimate, never a promise.

/// How a customer paid, as far as the price is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// A card issued in the currency's country (and every local channel without its own row:
    /// bank, bank transfer, USSD, QR).
    LocalCard,
    /// A card issued elsewhere.
    InternationalCard,
    /// Mobile money (M-PESA in Kenya).
    MobileMoney,
}

/// One row of the table. Percentages are in hundredths of a percent (basis points).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub basis_points: u64,
    /// The flat part, in subunits.
    pub flat: u64,
    /// The flat part is waived for amounts strictly below this (subunits).
    pub flat_waived_below: u64,
    /// The most the fee can be, in subunits.
    pub cap: Option<u64>,
}

const fn percent(basis_points: u64) -> Rate {
    Rate { basis_points, flat: 0, flat_waived_below: 0, cap: None }
}

/// NGN 2,500 in kobo: below it, the NGN 100 is waived.
pub const NGN_FLAT_WAIVED_BELOW: u64 = 250_000;
/// NGN 2,000 in kobo: the most a local NGN payment costs.
pub const NGN_LOCAL_CAP: u64 = 200_000;

pub const NGN_LOCAL: Rate =
    Rate { basis_points: 150, flat: 10_000, flat_waived_below: NGN_FLAT_WAIVED_BELOW, cap: Some(NGN_LOCAL_CAP) };
pub const NGN_INTERNATIONAL: Rate =
    Rate { basis_points: 390, flat: 10_000, flat_waived_below: NGN_FLAT_WAIVED_BELOW, cap: None };
pub const GHS: Rate = percent(195);
pub const KES_LOCAL_CARD: Rate = percent(290);
pub const KES_MOBILE_MONEY: Rate = percent(150);
pub const KES_INTERNATIONAL: Rate = percent(380);
pub const ZAR_LOCAL: Rate = Rate { basis_points: 290, flat: 100, flat_waived_below: 0, cap: None };
pub const ZAR_INTERNATIONAL: Rate = Rate { basis_points: 310, flat: 100, flat_waived_below: 0, cap: None };
pub const USD: Rate = percent(390);
/// The estimate's rate for a currency without a published row.
pub const FALLBACK_RATE: Rate = percent(390);

/// The row for `currency` and `channel`; `None` for a currency Paystack publishes no price for.
pub const fn rate(currency: &str, channel: Channel) -> Option<Rate> {
    use Channel::*;
    Some(match (currency.as_bytes(), channel) {
        (b"NGN", InternationalCard) => NGN_INTERNATIONAL,
        (b"NGN", _) => NGN_LOCAL,
        (b"GHS", _) => GHS,
        (b"KES", LocalCard) => KES_LOCAL_CARD,
        (b"KES", MobileMoney) => KES_MOBILE_MONEY,
        (b"KES", InternationalCard) => KES_INTERNATIONAL,
        (b"ZAR", InternationalCard) => ZAR_INTERNATIONAL,
        (b"ZAR", _) => ZAR_LOCAL,
        (b"USD", _) => USD,
        _ => return None,
    })
}

impl Rate {
    /// The fee of a payment of `amount` subunits at this rate, in subunits.
    pub const fn fee(&self, amount: u64) -> u64 {
        let percentage = ((amount as u128 * self.basis_points as u128) / 10_000) as u64;
        let flat = if amount < self.flat_waived_below { 0 } else { self.flat };
        let fee = percentage.saturating_add(flat);
        match self.cap {
            Some(cap) if fee > cap => cap,
            _ => fee,
        }
    }
}

/// Paystack's fee on a payment of `amount` subunits in `currency` by `channel`, in subunits;
/// `None` where the table has no row.
pub const fn fee(amount: u64, currency: &str, channel: Channel) -> Option<u64> {
    match rate(currency, channel) {
        Some(rate) => Some(rate.fee(amount)),
        None => None,
    }
}

/// The country whose cards are local for `currency` (ISO 3166 alpha-2); `None` for USD, whose
/// rate is the same for every card, and for currencies without a row.
pub const fn home_country(currency: &str) -> Option<&'static str> {
    match currency.as_bytes() {
        b"NGN" => Some("NG"),
        b"GHS" => Some("GH"),
        b"KES" => Some("KE"),
        b"ZAR" => Some("ZA"),
        _ => None,
    }
}

/// The channel a card issued in `card_country` pays in `currency`: local at home, international
/// elsewhere (and local where the currency has no home, as USD).
pub fn card_channel(currency: &str, card_country: &str) -> Channel {
    match home_country(currency) {
        Some(home) if !home.eq_ignore_ascii_case(card_country.trim()) => Channel::InternationalCard,
        _ => Channel::LocalCard,
    }
}

/// The estimated fee of a local card payment of `amount` subunits in `currency`: the table's
/// row, or [`FALLBACK_RATE`] for a currency without one.
pub const fn estimated_card_fee(amount: u64, currency: &str) -> u64 {
    match fee(amount, currency, Channel::LocalCard) {
        Some(fee) => fee,
        None => FALLBACK_RATE.fee(amount),
    }
}

#[cfg(test)]
mod tests {
    use super::Channel::*;
    use super::*;

    #[test]
    fn ngn_local_waiver_boundary() {
        // Under NGN 2,500 the flat NGN 100 is waived; at exactly NGN 2,500 it is charged.
        assert_eq!(fee(249_999, "NGN", LocalCard), Some(3_749));
        assert_eq!(fee(250_000, "NGN", LocalCard), Some(3_750 + 10_000));
        assert_eq!(fee(100_000, "NGN", LocalCard), Some(1_500));
        assert_eq!(fee(0, "NGN", LocalCard), Some(0));
    }

    #[test]
    fn ngn_local_cap_boundary() {
        // 1.5% + 100 reaches NGN 2,000 at NGN 126,666.67: (200,000 - 10,000) / 0.015 kobo.
        assert_eq!(fee(12_666_666, "NGN", LocalCard), Some(199_999));
        assert_eq!(fee(12_666_667, "NGN", LocalCard), Some(200_000));
        assert_eq!(fee(12_666_700, "NGN", LocalCard), Some(200_000));
        assert_eq!(fee(100_000_000, "NGN", LocalCard), Some(200_000));
        assert_eq!(fee(u64::MAX, "NGN", LocalCard), Some(200_000));
    }

    #[test]
    fn ngn_international_is_uncapped_and_waives_under_2500() {
        // Paystack's settlement sample: 10,000 kobo by a Kenyan card, fees 390.
        assert_eq!(fee(10_000, "NGN", InternationalCard), Some(390));
        assert_eq!(fee(249_999, "NGN", InternationalCard), Some(9_749));
        assert_eq!(fee(250_000, "NGN", InternationalCard), Some(9_750 + 10_000));
        assert_eq!(fee(100_000_000, "NGN", InternationalCard), Some(3_900_000 + 10_000));
    }

    #[test]
    fn other_currencies() {
        assert_eq!(fee(10_000, "GHS", LocalCard), Some(195));
        assert_eq!(fee(10_000, "GHS", InternationalCard), Some(195));
        assert_eq!(fee(10_000, "KES", LocalCard), Some(290));
        assert_eq!(fee(10_000, "KES", MobileMoney), Some(150));
        assert_eq!(fee(10_000, "KES", InternationalCard), Some(380));
        assert_eq!(fee(10_000, "ZAR", LocalCard), Some(290 + 100));
        assert_eq!(fee(10_000, "ZAR", InternationalCard), Some(310 + 100));
        assert_eq!(fee(1, "ZAR", LocalCard), Some(100), "the rand is never waived");
        assert_eq!(fee(10_000, "USD", LocalCard), Some(390));
        assert_eq!(fee(10_000, "XOF", LocalCard), None);
        assert_eq!(fee(10_000, "ngn", LocalCard), None, "currency codes are upper case");
    }

    #[test]
    fn a_card_is_international_away_from_the_currencys_home() {
        assert_eq!(card_channel("NGN", "NG"), LocalCard);
        assert_eq!(card_channel("NGN", "KE"), InternationalCard);
        assert_eq!(card_channel("KES", "ke"), LocalCard);
        assert_eq!(card_channel("ZAR", "NG"), InternationalCard);
        assert_eq!(card_channel("USD", "NG"), LocalCard);
        assert_eq!(fee(10_000, "NGN", card_channel("NGN", "KE")), Some(390), "the settlement sample's KE card");
    }

    #[test]
    fn rounds_the_percentage_down() {
        assert_eq!(fee(199, "GHS", LocalCard), Some(3), "3.8805");
        assert_eq!(fee(66, "NGN", LocalCard), Some(0), "0.99");
    }

    #[test]
    fn the_estimate_falls_back_for_unpublished_currencies() {
        assert_eq!(estimated_card_fee(100_000, "NGN"), 1_500);
        assert_eq!(estimated_card_fee(249_999, "NGN"), 3_749);
        assert_eq!(estimated_card_fee(250_000, "NGN"), 13_750);
        assert_eq!(estimated_card_fee(100_000_000, "NGN"), 200_000);
        assert_eq!(estimated_card_fee(10_000, "USD"), 390);
        assert_eq!(estimated_card_fee(10_000, "GHS"), 195);
        assert_eq!(estimated_card_fee(10_000, "XOF"), 390);
        assert_eq!(estimated_card_fee(u64::MAX, "USD"), (u64::MAX as u128 * 390 / 10_000) as u64);
    }
}
