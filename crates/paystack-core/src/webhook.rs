//! Webhook signatures: `x-paystack-signature` is the lowercase hex HMAC-SHA512 of the raw body,
//! keyed with the secret key (docs/paystack-api.md §5). Defined once in `paystack_facts::webhooks`,
//! whose `sign` the sandbox uses for what it sends; this is the client's view of it.

pub use paystack_facts::webhooks::{SIGNATURE_HEADER, SOURCE_IPS, is_source_ip as is_paystack_ip, sign, verify};
