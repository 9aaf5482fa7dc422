//! Secret keys: `Authorization: Bearer sk_test_…` (test domain) or `sk_live_…` (live domain).

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use paystack_facts::keys::Domain;
use paystack_facts::messages::{AUTHORIZATION_FORMAT, INVALID_KEY, NO_AUTHORIZATION_HEADER};

use super::envelope::ApiError;
use crate::config::domain_of;

/// The key of a request, or the 401 Paystack answers: no header, a header that is not
/// `Bearer <key>`, or a key that is not a secret key.
pub(crate) fn bearer_key(headers: &HeaderMap) -> Result<(&str, Domain), ApiError> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Err(ApiError::unauthorized(NO_AUTHORIZATION_HEADER));
    };
    let value = value.to_str().map_err(|_| ApiError::unauthorized(AUTHORIZATION_FORMAT))?;
    let Some((scheme, key)) = value.trim().split_once(' ') else {
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
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer sk_live_abc"));
        assert_eq!(bearer_key(&headers).ok(), Some(("sk_live_abc", Domain::Live)));
    }
}
