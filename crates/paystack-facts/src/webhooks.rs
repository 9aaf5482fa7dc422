//! Webhooks (docs/paystack-api.md §5): the event the Bulk Charge and Transaction APIs send, the
//! signature header, the addresses deliveries come from, and (feature `signing`) the signature:
//! lowercase hex HMAC-SHA512 of the raw body, keyed with the integration's secret key.

/// The header the signature travels in.
pub const SIGNATURE_HEADER: &str = "x-paystack-signature";

/// The one event of these APIs: a successful charge (bulk, charge_authorization, checkout).
pub const CHARGE_SUCCESS: &str = "charge.success";

/// A refund's events, one per status it reaches (docs/paystack-api.md §8.3; `amount` is a
/// string in Paystack's samples of these).
pub const REFUND_PENDING: &str = "refund.pending";
pub const REFUND_PROCESSING: &str = "refund.processing";
pub const REFUND_PROCESSED: &str = "refund.processed";
pub const REFUND_FAILED: &str = "refund.failed";
pub const REFUND_NEEDS_ATTENTION: &str = "refund.needs-attention";

/// The addresses Paystack sends webhooks from, test and live alike.
pub const SOURCE_IPS: [&str; 3] = ["52.31.139.75", "52.49.173.169", "52.214.14.220"];

/// Whether `ip` is one of [`SOURCE_IPS`] (surrounding whitespace ignored).
pub fn is_source_ip(ip: &str) -> bool {
    SOURCE_IPS.contains(&ip.trim())
}

#[cfg(feature = "signing")]
mod signing {
    use hmac::{Hmac, Mac};
    use sha2::Sha512;

    type HmacSha512 = Hmac<Sha512>;

    fn mac(body: &[u8], secret_key: &str) -> HmacSha512 {
        // HMAC takes keys of any length, so `new_from_slice` cannot fail.
        let mut mac = match HmacSha512::new_from_slice(secret_key.as_bytes()) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC takes keys of any length"),
        };
        mac.update(body);
        mac
    }

    /// The signature Paystack sends with `body`: 128 lowercase hex digits.
    pub fn sign(body: &[u8], secret_key: &str) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let digest = mac(body, secret_key).finalize().into_bytes();
        let mut out = String::with_capacity(digest.len() * 2);
        for byte in digest {
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        out
    }

    /// Whether `signature` is the signature of `body` under `secret_key`, compared in constant
    /// time. Surrounding whitespace and upper-case hex are accepted; anything else is `false`.
    pub fn verify(body: &[u8], signature: &str, secret_key: &str) -> bool {
        match decode_hex(signature.trim()) {
            Some(given) => mac(body, secret_key).verify_slice(&given).is_ok(),
            None => false,
        }
    }

    fn decode_hex(text: &str) -> Option<Vec<u8>> {
        let digit = |c: u8| char::from(c).to_digit(16).and_then(|d| u8::try_from(d).ok());
        let bytes = text.as_bytes();
        if bytes.len() % 2 != 0 {
            return None;
        }
        bytes.chunks_exact(2).map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?)).collect()
    }
}

#[cfg(feature = "signing")]
pub use signing::{sign, verify};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_ips() {
        assert!(is_source_ip(" 52.31.139.75"));
        assert!(!is_source_ip("127.0.0.1"));
    }

    #[cfg(feature = "signing")]
    mod signing {
        use super::super::*;

        const BODY: &[u8] = br#"{"event":"charge.success","data":{"id":1}}"#;

        #[test]
        fn known_answers() {
            // Computed independently with Python's hmac and hashlib.
            assert_eq!(
                sign(BODY, "sk_test_abc"),
                "c0ba191687e5af78ab6391f813d5c6ce03c3f86384c26db8d03c44f3d3f17aae816b202fa46a67e59bf9a15d2b0289249f7a73ae53838f29d1afbc2317076a05"
            );
            // HMAC-SHA512("key", "The quick brown fox jumps over the lazy dog").
            assert_eq!(
                sign(b"The quick brown fox jumps over the lazy dog", "key"),
                "b42af09057bac1e2d41708e48a902e09b5ff7f12ab428a4fe86653c73dd248fb82f948a549f7b791a5b41915ee4d1ec3935357e4e2317250d0372afa2ebeeb3a"
            );
        }

        #[test]
        fn verify_accepts_only_the_signature() {
            let sig = sign(BODY, "sk_test_abc");
            assert!(verify(BODY, &sig, "sk_test_abc"));
            assert!(verify(BODY, &sig.to_ascii_uppercase(), "sk_test_abc"));
            assert!(verify(BODY, &format!(" {sig}\n"), "sk_test_abc"));
            assert!(!verify(BODY, &sig, "sk_test_abd"));
            assert!(!verify(b"{}", &sig, "sk_test_abc"));
            assert!(!verify(BODY, &sig[..126], "sk_test_abc"));
            assert!(!verify(BODY, &sig[..127], "sk_test_abc"));
            assert!(!verify(BODY, "not hex", "sk_test_abc"));
            assert!(!verify(BODY, "", "sk_test_abc"));
            assert!(!verify(BODY, &format!("{}é", &sig[..126]), "sk_test_abc"));
        }
    }
}
