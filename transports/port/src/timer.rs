//! The `Timer` port: what the client waits on between retries and measures deadlines with.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// The future [`Timer::sleep`] returns.
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// A clock and a way to wait, for the client's retries and deadlines.
///
/// `TokioTimer` (feature `tokio`) is Tokio's; [`FakeTimer`] is a clock that moves only
/// when something waits on it, for tests. Where the client has no timer, or its timer cannot
/// wait, it makes one attempt per call and leaves time limits to the transport.
pub trait Timer: fmt::Debug + Send + Sync + 'static {
    /// The current time on this clock.
    fn now(&self) -> Instant;
    /// A future that completes `duration` from now, or `None` where this timer cannot wait
    /// (Tokio's, outside a Tokio runtime).
    fn sleep(&self, duration: Duration) -> Option<SleepFuture>;
}

impl<T: Timer + ?Sized> Timer for Arc<T> {
    fn now(&self) -> Instant {
        (**self).now()
    }
    fn sleep(&self, duration: Duration) -> Option<SleepFuture> {
        (**self).sleep(duration)
    }
}

/// A clock for tests: it moves only when a sleep on it is first polled (by the whole sleep,
/// at once) or when [`advance`](Self::advance) is called, and it records every sleep. Retries and
/// deadlines run with no real waiting. Clones share the clock.
///
/// ```
/// use std::time::Duration;
/// use stytch_b2b_passwords_transport::{FakeTimer, Timer};
///
/// # futures_lite_block_on(async {
/// let timer = FakeTimer::new();
/// let start = timer.now();
/// timer.sleep(Duration::from_secs(3)).expect("a fake timer always waits").await;
/// assert_eq!(timer.now() - start, Duration::from_secs(3));
/// assert_eq!(timer.sleeps(), [Duration::from_secs(3)]);
/// # });
/// # fn futures_lite_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct FakeTimer {
    start: Instant,
    state: Arc<Mutex<FakeState>>,
}

#[derive(Debug, Default)]
struct FakeState {
    elapsed: Duration,
    sleeps: Vec<Duration>,
}

impl Default for FakeTimer {
    fn default() -> Self {
        Self::new()
    }
}

impl FakeTimer {
    /// A clock standing at the current instant.
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
            state: Arc::default(),
        }
    }

    /// Moves the clock forward (a fake transport can spend time this way).
    pub fn advance(&self, duration: Duration) {
        self.lock().elapsed += duration;
    }

    /// How far the clock has moved since it was made.
    pub fn elapsed(&self) -> Duration {
        self.lock().elapsed
    }

    /// Every sleep that has run, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.lock().sleeps.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FakeState> {
        // The state is two plain values, valid even if a holder panicked.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Timer for FakeTimer {
    fn now(&self) -> Instant {
        self.start + self.lock().elapsed
    }

    fn sleep(&self, duration: Duration) -> Option<SleepFuture> {
        Some(Box::pin(FakeSleep {
            timer: self.clone(),
            duration: Some(duration),
        }))
    }
}

/// Moves the clock when first polled, so a sleep that loses a race never moves it.
struct FakeSleep {
    timer: FakeTimer,
    duration: Option<Duration>,
}

impl Future for FakeSleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        if let Some(duration) = self.duration.take() {
            let mut state = self.timer.lock();
            state.elapsed += duration;
            state.sleeps.push(duration);
        }
        Poll::Ready(())
    }
}
