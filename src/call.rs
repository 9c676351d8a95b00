//! One call under the client's policy: attempts, waits between them, the retry budget, and the
//! whole-call deadline.

use std::future::{poll_fn, Future};
use std::sync::Arc;
use std::task::Poll;
use std::time::Instant;

use crate::error::Result;
use crate::options::CallOptions;
use crate::retry::{retry_safe, Failure, RetryBudget, RetryPolicy};
use crate::transport::{
    Attempts, HttpRequest, HttpResponse, HttpTransport, Timer, TransportError, TransportErrorKind,
};

/// What every clone of a client shares: the retry policy, the budget and the timer.
#[derive(Debug)]
pub(crate) struct CallPolicy {
    pub(crate) retry: RetryPolicy,
    pub(crate) budget: RetryBudget,
    pub(crate) timer: Option<Arc<dyn Timer>>,
}

impl CallPolicy {
    pub(crate) fn new(retry: RetryPolicy, timer: Option<Arc<dyn Timer>>) -> Self {
        Self {
            budget: RetryBudget::new(retry.retry_budget()),
            retry,
            timer,
        }
    }
}

/// The timer a client uses when none is given: Tokio's with the hyper transport's feature.
pub(crate) fn default_timer() -> Option<Arc<dyn Timer>> {
    #[cfg(feature = "hyper")]
    return Some(Arc::new(stytch_b2b_passwords_hyper::TokioTimer));
    #[cfg(not(feature = "hyper"))]
    None
}

/// Sends the request `build` makes (again, for each attempt) through `transport` under
/// `policy` and `options`, and returns the response that ends the call with the number of
/// attempts made (an error carries it too).
///
/// `read_only` says the operation changes nothing, so a failure after the request may have
/// reached the server is safe to retry too.
///
/// A plain `fn` returning an `async move` block: an `async fn` would keep each argument twice
/// in its future (as argument and as local), room every call in flight pays for.
#[allow(clippy::manual_async_fn)] // on purpose: see above
pub(crate) fn send<'a>(
    transport: &'a dyn HttpTransport,
    policy: &'a CallPolicy,
    options: Option<&'a CallOptions>,
    read_only: bool,
    build: &'a mut (dyn FnMut() -> Result<HttpRequest> + Send),
) -> impl Future<Output = Result<(HttpResponse, u32)>> + Send + 'a {
    async move {
        let retry = options
            .and_then(|o| o.retry.as_ref())
            .unwrap_or(&policy.retry);
        let timer = policy.timer.as_deref();
        let start = timer.map(|t| t.now());
        // `None`: no end, also when a huge setting would overflow.
        let deadline = match (start, options.and_then(|o| o.timeout)) {
            (Some(start), Some(timeout)) => start.checked_add(timeout),
            _ => None,
        };
        let retries_end = start.and_then(|s| s.checked_add(retry.max_elapsed()));
        let mut attempt = 0;
        let mut spent = 0;
        loop {
            attempt += 1;
            // The request lives in this block only: once handed to the transport, the future keeps
            // no room for it while the exchange runs.
            let sending = {
                let mut request = build()?;
                request.extensions_mut().insert(Attempts(attempt));
                if let Some(options) = options {
                    for (name, value) in &options.headers {
                        request.headers_mut().insert(name, value.clone());
                    }
                }
                transport.send(request)
            };
            // `outcome` lives in this block only, so the future keeps no room for it while waiting.
            let sleep = {
                let outcome = match (timer, deadline) {
                    // Boxed: only calls with a deadline pay for its room.
                    (Some(timer), Some(deadline)) => {
                        Box::pin(within_deadline(sending, timer, deadline, options)).await
                    }
                    _ => sending.await,
                };
                let failure = match &outcome {
                    Ok(response) => Failure::Status(response.status()),
                    Err(error) => Failure::Transport(error.kind()),
                };
                let succeeded =
                    matches!(&outcome, Ok(r) if !retry_safe(Failure::Status(r.status()), true));
                let next = if succeeded
                    || attempt >= retry.max_attempts()
                    || !retry_safe(failure, read_only)
                {
                    None
                } else {
                    timer.and_then(|timer| {
                        let headers = outcome.as_ref().ok().map(|r| r.headers());
                        let wait = retry.wait_after(attempt, headers)?;
                        let end = timer.now().checked_add(wait)?;
                        let too_late = |limit: Option<Instant>| limit.is_some_and(|l| end > l);
                        if too_late(retries_end) || too_late(deadline) {
                            return None;
                        }
                        let sleep = timer.sleep(wait)?;
                        spent += policy.budget.withdraw(failure)?;
                        Some(sleep)
                    })
                };
                match next {
                    Some(sleep) => sleep,
                    None => {
                        return match outcome {
                            Ok(response) => {
                                if succeeded {
                                    policy.budget.deposit(spent);
                                }
                                Ok((response, attempt))
                            }
                            Err(error) => Err(error.with_attempts(attempt).into()),
                        };
                    }
                }
            };
            sleep.await;
        }
    }
}

/// `sent`, unless `deadline` passes first.
async fn within_deadline(
    mut sent: impl Future<Output = std::result::Result<HttpResponse, TransportError>> + Unpin,
    timer: &dyn Timer,
    deadline: Instant,
    options: Option<&CallOptions>,
) -> std::result::Result<HttpResponse, TransportError> {
    let left = deadline.saturating_duration_since(timer.now());
    let Some(mut expiry) = timer.sleep(left) else {
        return sent.await;
    };
    let finished = poll_fn(|cx| {
        // The exchange first: an answer that is there wins over a deadline that is too.
        if let Poll::Ready(outcome) = std::pin::Pin::new(&mut sent).poll(cx) {
            return Poll::Ready(Some(outcome));
        }
        expiry.as_mut().poll(cx).map(|()| None)
    })
    .await;
    finished.unwrap_or_else(|| {
        let limit = options.and_then(|o| o.timeout).unwrap_or_default();
        Err(TransportError::new(
            TransportErrorKind::Timeout,
            format!("no complete response within the call's {limit:?} limit"),
        ))
    })
}
