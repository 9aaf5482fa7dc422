//! Every change to an integration's state goes through [`commit`]: under the state lock, the
//! scheduler first runs whatever fell due up to the clock's now (so a change never lands before
//! what should have happened earlier), then the change runs at that now, and the events raised
//! are handed to the webhook dispatcher before the lock is released, so a delivery is on record
//! the moment its cause is visible.

use std::sync::Arc;

use crate::integration::Integration;
use crate::registry::Registry;
use crate::state::IntegrationState;
use crate::webhooks;

/// Runs `change` on the integration's state at the clock's now, then dispatches the events it
/// (and anything that fell due) raised, and wakes the runner in case the change scheduled work.
pub(crate) fn commit<R>(
    registry: &Registry,
    integration: &Arc<Integration>,
    change: impl FnOnce(&mut IntegrationState) -> R,
) -> R {
    let now = registry.clock.now();
    let (result, sends) = {
        let mut state = integration.state.lock();
        state.run_until(now);
        let result = change(&mut state);
        let events = state.outbox.take();
        let sends = if events.is_empty() { Vec::new() } else { webhooks::record(integration, &state, events) };
        (result, sends)
    };
    webhooks::send(registry, integration, sends);
    integration.wake.notify_one();
    result
}

/// Runs everything due up to `until` (however many steps that takes) and dispatches its events;
/// returns when the next job is due.
pub(crate) fn run_until(registry: &Registry, integration: &Arc<Integration>, until: i64) -> i64 {
    loop {
        let (next, sends) = {
            let mut state = integration.state.lock();
            let next = state.run_until(until);
            let events = state.outbox.take();
            let sends = if events.is_empty() { Vec::new() } else { webhooks::record(integration, &state, events) };
            (next, sends)
        };
        webhooks::send(registry, integration, sends);
        if next > until {
            return next;
        }
    }
}
