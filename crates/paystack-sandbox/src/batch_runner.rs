//! The bulk-charge engine: one task per integration that processes each active batch's next
//! charge every `process_interval_ms`, and sleeps while nothing is queued.

use std::sync::Arc;

use tokio::time::Instant;

use crate::app::{App, Integration, with_state};

pub(crate) async fn run(app: Arc<App>, integration: Arc<Integration>) {
    loop {
        let next = with_state(&app, &integration, |state| state.process_due(Instant::now()));
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
