//! The runner: one task per integration that runs the scheduler (`state::schedule`: batch
//! charges every `process_interval_ms`, settlements, refunds) when its next job falls due by the
//! clock, and sleeps in between, woken early by any change.

use std::sync::Arc;

use crate::commit;
use crate::integration::Integration;
use crate::registry::Registry;

/// Starts the runner of a new integration (the registry calls this on creation).
pub(crate) fn start(registry: &Arc<Registry>, integration: &Arc<Integration>) {
    tokio::spawn(run(Arc::clone(registry), Arc::clone(integration)));
}

async fn run(registry: Arc<Registry>, integration: Arc<Integration>) {
    loop {
        let next = commit::run_until(&registry, &integration, registry.clock.now());
        if next <= registry.clock.now() {
            tokio::task::yield_now().await;
            continue;
        }
        tokio::select! {
            () = tokio::time::sleep(registry.clock.until(next)) => {}
            () = integration.wake.notified() => {}
        }
    }
}
