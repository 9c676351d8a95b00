//! The client's call policy through a scripted fake transport and the fake timer: every retry
//! rule, the backoff, `Retry-After`, the time bounds, the shared budget and the per-call
//! deadline, with no real waiting.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use stytch_b2b_passwords::transport::{
    Attempts, FakeTimer, HttpRequest, HttpResponse, HttpTransport, TransportError,
    TransportErrorKind,
};
use stytch_b2b_passwords::*;

/// One scripted answer.
#[derive(Clone, Debug)]
enum Step {
    Status(u16, Option<&'static str>),
    Fail(TransportErrorKind),
    /// Never answers.
    Hang,
}

const OK: Step = Step::Status(200, None);

#[derive(Debug, Default)]
struct Script {
    steps: Mutex<VecDeque<Step>>,
    /// Answered when the script is used up.
    then: Mutex<Option<Step>>,
    seen: Mutex<Vec<HttpRequest>>,
}

#[derive(Clone, Debug)]
struct Scripted(Arc<Script>);

impl Scripted {
    fn new(steps: impl IntoIterator<Item = Step>) -> Self {
        let script = Script::default();
        *script.steps.lock().unwrap() = steps.into_iter().collect();
        Self(Arc::new(script))
    }

    fn always(step: Step) -> Self {
        let this = Self::new([]);
        *this.0.then.lock().unwrap() = Some(step);
        this
    }

    fn requests(&self) -> usize {
        self.0.seen.lock().unwrap().len()
    }

    fn attempt_numbers(&self) -> Vec<u32> {
        let seen = self.0.seen.lock().unwrap();
        seen.iter()
            .map(|r| r.extensions().get::<Attempts>().map_or(0, |a| a.0))
            .collect()
    }
}

#[async_trait::async_trait]
impl HttpTransport for Scripted {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.0.seen.lock().unwrap().push(request);
        let step = self.0.steps.lock().unwrap().pop_front();
        let step = step
            .or_else(|| self.0.then.lock().unwrap().clone())
            .expect("the script ran out");
        match step {
            Step::Status(status, retry_after) => {
                let mut response = http::Response::builder().status(status);
                if let Some(seconds) = retry_after {
                    response = response.header("retry-after", seconds);
                }
                // One success body for both operations the tests call: what a strength check
                // answers, and what identifies an authentication that still needs MFA.
                let body: &[u8] = if status == 200 {
                    br#"{"request_id":"r-1","score":4,"valid_password":true,
                        "member_id":"member-1","organization_id":"organization-1",
                        "member_authenticated":false,"intermediate_session_token":"ist-1"}"#
                } else {
                    b""
                };
                Ok(response.body(Bytes::from_static(body)).unwrap())
            }
            Step::Fail(kind) => Err(TransportError::new(kind, "scripted")),
            Step::Hang => std::future::pending().await,
        }
    }
}

fn client(transport: &Scripted, timer: &FakeTimer, policy: RetryPolicy) -> PasswordsClient {
    PasswordsClient::builder("project-test-1", "secret-1")
        .transport(transport.clone())
        .timer(timer.clone())
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn authenticate() -> AuthenticateRequest {
    AuthenticateRequest::new("org", "ada@example.com", "pw")
}

fn strength_check() -> StrengthCheckRequest {
    StrengthCheckRequest::new("pw")
}

fn transport_error(err: &Error) -> &TransportError {
    match err {
        Error::Transport(e) => e,
        other => panic!("not a transport error: {other:?}"),
    }
}

#[tokio::test]
async fn a_connect_failure_is_retried_for_any_operation() {
    let timer = FakeTimer::new();
    let transport = Scripted::new([
        Step::Fail(TransportErrorKind::Connect),
        Step::Fail(TransportErrorKind::Connect),
        OK,
    ]);
    let client = self::client(&transport, &timer, RetryPolicy::default());
    let response = client.authenticate(authenticate()).await.unwrap();
    assert_eq!(transport.attempt_numbers(), [1, 2, 3]);
    assert_eq!(
        response.attempts, 3,
        "the success says which attempt it was"
    );
    assert_eq!(response.request_id(), "r-1");
    let sleeps = timer.sleeps();
    assert_eq!(sleeps.len(), 2);
    assert!(sleeps[0] <= Duration::from_millis(200), "{sleeps:?}");
    assert!(sleeps[1] <= Duration::from_millis(400), "{sleeps:?}");
}

#[tokio::test]
async fn connect_failures_until_attempts_run_out_report_the_attempts() {
    let timer = FakeTimer::new();
    let transport = Scripted::always(Step::Fail(TransportErrorKind::Connect));
    let client = self::client(&transport, &timer, RetryPolicy::default());
    let err = client.authenticate(authenticate()).await.unwrap_err();
    assert_eq!(transport_error(&err).kind(), TransportErrorKind::Connect);
    assert_eq!(transport_error(&err).attempts(), 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
    assert!(err.is_retryable());
    assert_eq!(transport.requests(), 3);
}

#[tokio::test]
async fn a_tls_failure_is_never_retried() {
    let timer = FakeTimer::new();
    let transport = Scripted::always(Step::Fail(TransportErrorKind::Tls));
    let client = self::client(&transport, &timer, RetryPolicy::default());
    for err in [
        client.authenticate(authenticate()).await.unwrap_err(),
        client.strength_check(strength_check()).await.unwrap_err(),
    ] {
        assert_eq!(transport_error(&err).attempts(), 1);
        assert!(!err.is_retryable());
    }
    assert_eq!(transport.requests(), 2);
    assert!(timer.sleeps().is_empty());
}

#[tokio::test]
async fn busy_statuses_are_retried_then_returned_when_attempts_run_out() {
    for status in [429, 503] {
        let timer = FakeTimer::new();
        let transport = Scripted::always(Step::Status(status, None));
        let client = self::client(&transport, &timer, RetryPolicy::default());
        let err = client.authenticate(authenticate()).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(err.is_retryable());
        assert_eq!(err.attempts(), 3);
        assert_eq!(transport.requests(), 3);
        assert_eq!(timer.sleeps().len(), 2);
    }
}

#[tokio::test]
async fn retry_after_is_honoured_up_to_its_cap() {
    let timer = FakeTimer::new();
    let transport = Scripted::new([Step::Status(429, Some("2")), OK]);
    let client = self::client(&transport, &timer, RetryPolicy::default());
    let response = client.authenticate(authenticate()).await.unwrap();
    assert_eq!(timer.sleeps(), [Duration::from_secs(2)]);
    assert_eq!(response.attempts, 2);

    // Asked for more than the cap: the answer is returned at once.
    let timer = FakeTimer::new();
    let transport = Scripted::new([Step::Status(503, Some("60")), OK]);
    let policy = RetryPolicy::default().with_max_retry_after(Duration::from_secs(10));
    let client = self::client(&transport, &timer, policy);
    let err = client.authenticate(authenticate()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(transport.requests(), 1);
    assert!(timer.sleeps().is_empty());
}

#[tokio::test]
async fn failures_after_sending_are_retried_only_for_read_only_operations() {
    for step in [
        Step::Fail(TransportErrorKind::Timeout),
        Step::Fail(TransportErrorKind::Io),
        Step::Status(500, None),
        Step::Status(502, None),
        Step::Status(504, None),
    ] {
        let timer = FakeTimer::new();
        let transport = Scripted::new([step.clone(), OK]);
        let client = self::client(&transport, &timer, RetryPolicy::default());
        let err = client.authenticate(authenticate()).await.unwrap_err();
        assert!(!err.is_retryable(), "{step:?}");
        assert_eq!(transport.requests(), 1, "{step:?}: may have been acted on");

        let transport = Scripted::new([step.clone(), OK]);
        let client = self::client(&transport, &timer, RetryPolicy::default());
        let response = client.strength_check(strength_check()).await.unwrap();
        assert_eq!(response.score, 4);
        assert_eq!(
            transport.requests(),
            2,
            "{step:?}: strength_check changes nothing"
        );
    }
}

#[tokio::test]
async fn a_first_answer_is_one_attempt_on_the_typed_response() {
    let timer = FakeTimer::new();
    let transport = Scripted::new([OK, OK]);
    let client = self::client(&transport, &timer, RetryPolicy::default());
    let checked = client.strength_check(strength_check()).await.unwrap();
    let authenticated = client.authenticate(authenticate()).await.unwrap();
    assert_eq!((checked.attempts, authenticated.attempts), (1, 1));
    // Through the trait too, for code generic over the endpoint.
    fn attempts<R: EndpointResponse>(response: &R) -> u32 {
        response.attempts()
    }
    assert_eq!(attempts(&checked), 1);
    assert_eq!(StrengthCheckResponse::default().attempts, 0, "made by hand");
}

#[tokio::test]
async fn other_answers_are_not_retried() {
    for step in [
        Step::Status(400, None),
        Step::Status(401, None),
        Step::Status(404, None),
        Step::Fail(TransportErrorKind::Refused),
        Step::Fail(TransportErrorKind::BodyTooLarge),
        Step::Fail(TransportErrorKind::Other),
    ] {
        let timer = FakeTimer::new();
        let transport = Scripted::new([step.clone(), OK]);
        let client = self::client(&transport, &timer, RetryPolicy::default());
        assert!(client.strength_check(strength_check()).await.is_err());
        assert_eq!(transport.requests(), 1, "{step:?}");
    }
}

#[tokio::test]
async fn backoff_is_exponential_with_full_jitter_and_capped() {
    let timer = FakeTimer::new();
    let transport = Scripted::always(Step::Status(503, None));
    let policy = RetryPolicy::default()
        .with_max_attempts(8)
        .with_initial_backoff(Duration::from_millis(100))
        .with_max_backoff(Duration::from_millis(500))
        .with_max_elapsed(Duration::from_secs(60));
    let client = self::client(&transport, &timer, policy);
    let _ = client.authenticate(authenticate()).await.unwrap_err();
    let sleeps = timer.sleeps();
    assert_eq!(sleeps.len(), 7);
    for (retry, wait) in sleeps.iter().enumerate() {
        let step = Duration::from_millis(100 * (1 << retry)).min(Duration::from_millis(500));
        assert!(*wait <= step, "retry {retry}: {wait:?} over {step:?}");
    }
}

#[tokio::test]
async fn no_retry_starts_past_the_time_bound() {
    let timer = FakeTimer::new();
    let transport = Scripted::always(Step::Fail(TransportErrorKind::Connect));
    let policy = RetryPolicy::default()
        .with_max_attempts(1000)
        .with_initial_backoff(Duration::from_secs(1))
        .with_max_backoff(Duration::from_secs(1))
        .with_max_elapsed(Duration::from_secs(5));
    let client = self::client(&transport, &timer, policy);
    let err = client.authenticate(authenticate()).await.unwrap_err();
    assert!(
        timer.elapsed() <= Duration::from_secs(5),
        "{:?}",
        timer.elapsed()
    );
    let attempts = transport_error(&err).attempts();
    assert!(attempts >= 6, "at most 1 s per wait: {attempts}");
    assert!(attempts < 1000);
}

#[tokio::test]
async fn retries_can_be_turned_off_and_need_a_timer() {
    let timer = FakeTimer::new();
    let transport = Scripted::always(Step::Status(503, None));
    let client = self::client(&transport, &timer, RetryPolicy::none());
    assert!(client.authenticate(authenticate()).await.is_err());
    assert_eq!(transport.requests(), 1);

    let transport = Scripted::always(Step::Status(503, None));
    let client = PasswordsClient::builder("project-test-1", "secret-1")
        .transport(transport.clone())
        .no_timer()
        .build()
        .unwrap();
    assert!(client.authenticate(authenticate()).await.is_err());
    assert_eq!(transport.requests(), 1, "no timer: no wait, so no retry");
}

#[tokio::test]
async fn a_sustained_429_outage_cannot_multiply_the_load() {
    let timer = FakeTimer::new();
    let transport = Scripted::always(Step::Status(429, None));
    let client = self::client(&transport, &timer, RetryPolicy::default());
    let clone = client.clone();
    for i in 0..1000 {
        // Clones and option handles share the one budget.
        let handle = if i % 2 == 0 { &client } else { &clone };
        assert!(handle.authenticate(authenticate()).await.is_err());
    }
    // 500 tokens at 5 a retry: 100 retries in all, then one request per call.
    assert_eq!(transport.requests(), 1100);
    assert_eq!(client.retry_budget().available(), 0);

    // Successes fill the budget again, one token each.
    *transport.0.then.lock().unwrap() = Some(OK);
    for _ in 0..5 {
        client.authenticate(authenticate()).await.unwrap();
    }
    assert_eq!(client.retry_budget().available(), 5);
    *transport.0.then.lock().unwrap() = Some(Step::Status(429, None));
    let before = transport.requests();
    let _ = client
        .with_options(CallOptions::default())
        .authenticate(authenticate())
        .await;
    assert_eq!(
        transport.requests() - before,
        2,
        "one retry's worth of tokens"
    );
    assert_eq!(client.retry_budget().available(), 0);
}

#[tokio::test]
async fn the_call_deadline_covers_every_attempt_and_wait() {
    let timer = FakeTimer::new();
    let transport = Scripted::new([
        Step::Status(503, Some("1")),
        Step::Status(503, Some("1")),
        Step::Hang,
    ]);
    let client = self::client(&transport, &timer, RetryPolicy::default());
    let mut options = CallOptions::default();
    options.timeout = Some(Duration::from_millis(2500));
    let err = client
        .with_options(options)
        .authenticate(authenticate())
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(transport_error(&err).attempts(), 3);
    // Two waits of 1 s, then the hanging attempt cut at the deadline.
    assert_eq!(timer.elapsed(), Duration::from_millis(2500));

    // A wait that would end past the deadline is not started: the last answer is returned.
    let timer = FakeTimer::new();
    let transport = Scripted::new([Step::Status(503, Some("3")), OK]);
    let client = self::client(&transport, &timer, RetryPolicy::default());
    let mut options = CallOptions::default();
    options.timeout = Some(Duration::from_secs(2));
    let err = client
        .with_options(options)
        .authenticate(authenticate())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(transport.requests(), 1);
}

#[tokio::test]
async fn call_options_set_headers_and_policy_for_one_handle() {
    let timer = FakeTimer::new();
    let transport = Scripted::always(Step::Status(503, None));
    let client = self::client(&transport, &timer, RetryPolicy::default());
    let mut options = CallOptions::default();
    options.retry = Some(RetryPolicy::none());
    options
        .headers
        .insert("x-trace-id", http::HeaderValue::from_static("abc123"));
    let quick = client.with_options(options);
    assert!(quick.authenticate(authenticate()).await.is_err());
    assert_eq!(transport.requests(), 1);
    {
        let seen = transport.0.seen.lock().unwrap();
        assert_eq!(seen[0].headers()["x-trace-id"], "abc123");
        assert!(seen[0].headers().contains_key("authorization"));
    }
    // The client itself is unchanged.
    assert!(client.options().is_none());
    assert!(client.authenticate(authenticate()).await.is_err());
    assert_eq!(transport.requests(), 4);
    let seen = transport.0.seen.lock().unwrap();
    assert!(!seen[1].headers().contains_key("x-trace-id"));
}
