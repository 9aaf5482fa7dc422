//! The batch runner: one task per integration that processes each active batch's next charge
//! every `process_interval_ms`, and sleeps while nothing is queued.

use std::sync::Arc;

use tokio::time::Instant;

use crate::commit::commit;
use crate::integration::Integration;
use crate::registry::Registry;

/// Starts the runner of a new integration (the registry calls this on creation).
pub(crate) fn start(registry: &Arc<Registry>, integration: &Arc<Integration>) {
    tokio::spawn(run(Arc::clone(registry), Arc::clone(integration)));
}

async fn run(registry: Arc<Registry>, integration: Arc<Integration>) {
    loop {
        let next = commit(&registry, &integration, |state| state.process_due(Instant::now()));
        match next {
            // Nothing queued (or everything paused): wait for a new batch, a resume or a reset.
            None => integration.wake.notified().await,
            Some(due) if due <= Instant::now() => tokio::task::yield_now().await,
            Some(due) => {
                tokio::select! {
                    () = tokio::time::sleep_until(due) => {}
                    () = integration.wake.notified() => {}
                }
            }
        }
    }
}
