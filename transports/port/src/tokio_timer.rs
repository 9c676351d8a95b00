//! Tokio's clock and sleep, as the client's `Timer` port.

use std::time::{Duration, Instant};

use crate::timer::{SleepFuture, Timer};

/// The [`Timer`] the client waits on between retries when it runs on Tokio (feature `tokio`;
/// the client's default with its `hyper` feature). It follows Tokio's clock, so `tokio::time::pause` moves it too. Outside a
/// Tokio runtime it cannot wait, and the client then makes one attempt per call.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioTimer;

impl Timer for TokioTimer {
    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }

    fn sleep(&self, duration: Duration) -> Option<SleepFuture> {
        // `tokio::time::sleep` panics outside a runtime.
        tokio::runtime::Handle::try_current().ok()?;
        Some(Box::pin(tokio::time::sleep(duration)))
    }
}
