//! Secret keys: `Authorization: Bearer sk_test_…` (test domain) or `sk_live_…` (live domain),
//! and the integration a request acts on.

use std::sync::Arc;

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use paystack_facts::keys::Domain;
use paystack_facts::messages::{AUTHORIZATION_FORMAT, INVALID_KEY, NO_AUTHORIZATION_HEADER};

use super::envelope::ApiError;
use crate::config::domain_of;
use crate::integration::Integration;
use crate::registry::Registry;

/// The integration of a request's key, or the 401 Paystack answers. With `keys` configured, every
/// other well-formed key is `Invalid key`, as Paystack answers a revoked or unknown key.
pub(crate) fn authenticate(registry: &Arc<Registry>, headers: &HeaderMap) -> Result<Arc<Integration>, ApiError> {
    let (key, _) = bearer_key(headers)?;
    integration_of_key(registry, key)
}

/// The integration of a secret key (a Bearer key, or one typed into the dashboard), or Paystack's
/// 401 `Invalid key`.
pub(crate) fn integration_of_key(registry: &Arc<Registry>, key: &str) -> Result<Arc<Integration>, ApiError> {
    match domain_of(key) {
        Some(domain) if registry.config.accepts_key(key) => Ok(registry.integration(key, domain)),
        _ => Err(ApiError::unauthorized(INVALID_KEY)),
    }
}

/// The key of a request, or the 401 Paystack answers: no header, a header that is not
/// `Bearer <key>`, or a key that is not a secret key. Whitespace around the value and between the
/// scheme and the key is not significant, and the scheme is case-insensitive, as HTTP defines
/// them (RFC 9110 §5.5, §11.1): `Bearer  sk_test_x`, `bearer sk_test_x`, `Bearer\tsk_test_x`.
pub(crate) fn bearer_key(headers: &HeaderMap) -> Result<(&str, Domain), ApiError> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Err(ApiError::unauthorized(NO_AUTHORIZATION_HEADER));
    };
    let value = value.to_str().map_err(|_| ApiError::unauthorized(AUTHORIZATION_FORMAT))?;
    let Some((scheme, key)) = value.trim().split_once([' ', '\t']) else {
        return Err(ApiError::unauthorized(AUTHORIZATION_FORMAT));
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::unauthorized(AUTHORIZATION_FORMAT));
    }
    let key = key.trim();
    match domain_of(key) {
        Some(domain) => Ok((key, domain)),
        None => Err(ApiError::unauthorized(INVALID_KEY)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn header_forms() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer_key(&headers).err().map(|e| e.message), Some("No Authorization Header was found".into()));
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Token sk_test_abc"));
        assert_eq!(
            bearer_key(&headers).err().map(|e| e.message),
            Some("Format is Authorization Bearer [secret key]".into())
        );
        headers.insert(AUTHORIZATION, HeaderValue::from_static("sk_test_abc"));
        assert!(bearer_key(&headers).is_err());
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer pk_test_abc"));
        assert_eq!(bearer_key(&headers).err().map(|e| e.message), Some("Invalid key".into()));
        for spaced in ["Bearer   sk_live_abc", "  bearer sk_live_abc ", "Bearer\tsk_live_abc", "BEARER \t sk_live_abc"]
        {
            headers.insert(AUTHORIZATION, HeaderValue::from_static(spaced));
            assert_eq!(bearer_key(&headers).ok(), Some(("sk_live_abc", Domain::Live)), "{spaced:?}");
        }
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer sk_live_a bc"));
        assert_eq!(bearer_key(&headers).err().map(|e| e.message), Some("Invalid key".into()));
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer sk_live_abc"));
        assert_eq!(bearer_key(&headers).ok(), Some(("sk_live_abc", Domain::Live)));
    }
}
