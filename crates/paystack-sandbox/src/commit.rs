//! Every change to an integration's state goes through [`commit`]: the change runs under the
//! state lock, and the events it raised are handed to the webhook dispatcher before the lock is
//! released, so a delivery is on record the moment its charge is visible.

use std::sync::Arc;

use crate::integration::Integration;
use crate::registry::Registry;
use crate::state::IntegrationState;
use crate::webhooks;

/// Runs `change` on the integration's state, then dispatches the events it raised.
pub(crate) fn commit<R>(
    registry: &Registry,
    integration: &Arc<Integration>,
    change: impl FnOnce(&mut IntegrationState) -> R,
) -> R {
    let (result, sends) = {
        let mut state = integration.state.lock();
        let result = change(&mut state);
        let events = state.outbox.take();
        let sends = if events.is_empty() { Vec::new() } else { webhooks::record(integration, &state, events) };
        (result, sends)
    };
    webhooks::send(registry, integration, sends);
    result
}
