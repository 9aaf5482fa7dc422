//! What a call that moves money leaves at stake if it is dropped unsettled: a cancelled task or an
//! interrupted wait drops the call's future, and if an attempt was on the wire, or its answer was
//! lost and not yet verified, the charge may have happened: the observer hears of it.

use std::sync::Arc;

use bytes::Bytes;
use serde_json::Value;

use super::parts::first_reference;
use crate::endpoint::{Endpoint, Safety};
use crate::observe::{Abandoned, Area, Event, Level, Observer};
use crate::request::PreparedRequest;

/// Watches the call's own request (not its lookups) until the call settles.
pub(super) struct Exposure {
    observer: Option<Arc<dyn Observer>>,
    endpoint: &'static Endpoint,
    reference: Option<String>,
    body: Option<Bytes>,
    state: Option<Abandoned>,
}

impl Exposure {
    pub(super) fn new(observer: Option<&Arc<dyn Observer>>, request: &PreparedRequest) -> Self {
        let watched = request.endpoint.safety != Safety::Idempotent;
        Exposure {
            observer: observer.cloned().filter(|_| watched),
            endpoint: request.endpoint,
            reference: first_reference(request).map(str::to_owned),
            body: request.body.clone(),
            state: None,
        }
    }

    /// What is at stake now (`None`: nothing).
    pub(super) fn set(&mut self, state: Option<Abandoned>) {
        self.state = state;
    }

    /// The call sends `request` from now on (a new reference after recovery).
    pub(super) fn follow(&mut self, request: &PreparedRequest) {
        self.reference = first_reference(request).map(str::to_owned);
        self.body = request.body.clone();
    }
}

impl Drop for Exposure {
    fn drop(&mut self) {
        let (Some(how), Some(observer)) = (self.state, &self.observer) else { return };
        if observer.enabled(Area::Recovery, Level::Warning) {
            let authorization = authorization_of(self.body.as_ref());
            observer.record(&Event::Abandoned {
                endpoint: self.endpoint,
                reference: self.reference.as_deref().unwrap_or("(none)"),
                authorization: authorization.as_deref(),
                how,
            });
        }
    }
}

/// The authorization code a charge's body carries (read only to report it, masked).
pub(super) fn authorization_of(body: Option<&Bytes>) -> Option<String> {
    let body: Value = serde_json::from_slice(body?).ok()?;
    body.get("authorization_code").and_then(Value::as_str).map(str::to_owned)
}
