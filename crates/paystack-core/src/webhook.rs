//! Webhook signatures: `x-paystack-signature` is the lowercase hex HMAC-SHA512 of the raw body,
//! keyed with the secret key (docs/paystack-api.md §5).

use hmac::{Hmac, Mac};
use sha2::Sha512;
use subtle::ConstantTimeEq;

type HmacSha512 = Hmac<Sha512>;

/// The header Paystack puts the signature in.
pub const SIGNATURE_HEADER: &str = "x-paystack-signature";

/// The addresses Paystack sends webhooks from, test and live alike (docs/paystack-api.md §5).
pub const SOURCE_IPS: [&str; 3] = ["52.31.139.75", "52.49.173.169", "52.214.14.220"];

fn mac(payload: &[u8], secret_key: &str) -> HmacSha512 {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let mut mac = match HmacSha512::new_from_slice(secret_key.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(payload);
    mac
}

/// The signature Paystack would send for `payload`: lowercase hex, 128 characters.
pub fn sign(payload: &[u8], secret_key: &str) -> String {
    hex::encode(mac(payload, secret_key).finalize().into_bytes())
}

/// Whether `signature` is the signature of `payload` under `secret_key`, compared in constant
/// time. Surrounding whitespace and upper-case hex are accepted; anything else is `false`.
pub fn verify(payload: &[u8], signature: &str, secret_key: &str) -> bool {
    let signature = signature.trim();
    let Ok(given) = hex::decode(signature.to_ascii_lowercase()) else {
        return false;
    };
    let expected = mac(payload, secret_key).finalize().into_bytes();
    // Lengths are public (always 64 bytes for SHA-512); only the bytes are compared in constant time.
    given.len() == expected.len() && bool::from(given.as_slice().ct_eq(expected.as_slice()))
}

/// Whether `ip` is one of Paystack's documented webhook source addresses.
pub fn is_paystack_ip(ip: &str) -> bool {
    SOURCE_IPS.contains(&ip.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference value computed independently with Python's hmac/hashlib.
    const BODY: &[u8] = br#"{"event":"charge.success","data":{"id":1}}"#;

    #[test]
    fn sign_then_verify_round_trips() {
        let sig = sign(BODY, "sk_test_abc");
        assert_eq!(sig.len(), 128);
        assert!(sig.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert!(verify(BODY, &sig, "sk_test_abc"));
        assert!(verify(BODY, &sig.to_ascii_uppercase(), "sk_test_abc"));
        assert!(verify(BODY, &format!(" {sig}\n"), "sk_test_abc"));
    }

    #[test]
    fn verify_rejects_wrong_key_body_or_garbage() {
        let sig = sign(BODY, "sk_test_abc");
        assert!(!verify(BODY, &sig, "sk_test_abd"));
        assert!(!verify(b"{}", &sig, "sk_test_abc"));
        assert!(!verify(BODY, &sig[..126], "sk_test_abc"));
        assert!(!verify(BODY, "not hex", "sk_test_abc"));
        assert!(!verify(BODY, "", "sk_test_abc"));
    }

    #[test]
    fn matches_python_hmac() {
        assert_eq!(
            sign(BODY, "sk_test_abc"),
            "c0ba191687e5af78ab6391f813d5c6ce03c3f86384c26db8d03c44f3d3f17aae816b202fa46a67e59bf9a15d2b0289249f7a73ae53838f29d1afbc2317076a05"
        );
    }

    #[test]
    fn source_ips() {
        assert!(is_paystack_ip("52.31.139.75"));
        assert!(!is_paystack_ip("127.0.0.1"));
    }
}
