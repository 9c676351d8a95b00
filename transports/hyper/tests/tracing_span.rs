//! The tracing spans of a call through the client and this transport: the client's
//! `stytch.call`, one `stytch.http` per attempt inside it, their fields, and no secret in any
//! of them.

mod support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use stytch_b2b_passwords::{
    AuthenticateRequest, HashType, MigrateRequest, PasswordsClient, RetryPolicy,
};
use stytch_b2b_passwords_hyper::HyperTransport;
use support::*;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Everything recorded: (span or event name, field, value).
#[derive(Clone, Default)]
struct Capture {
    records: Arc<Mutex<Vec<(String, String, String)>>>,
    names: Arc<Mutex<Vec<String>>>,
    next: Arc<AtomicU64>,
    /// The spans entered, innermost last (the test's runtime has one thread).
    entered: Arc<Mutex<Vec<u64>>>,
}

struct Visitor<'a>(&'a Capture, String);

impl Visit for Visitor<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.records.lock().unwrap().push((
            self.1.clone(),
            field.name().to_owned(),
            format!("{value:?}"),
        ));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.records.lock().unwrap().push((
            self.1.clone(),
            field.name().to_owned(),
            value.to_owned(),
        ));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // The client's spans and this transport's.
        metadata.target().starts_with("stytch_b2b_passwords")
    }
    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let name = format!("span:{}#{id}", attrs.metadata().name());
        self.names.lock().unwrap().push(name.clone());
        let parent = match attrs.parent() {
            Some(parent) => Some(parent.into_u64()),
            None if attrs.is_contextual() => self.entered.lock().unwrap().last().copied(),
            None => None,
        };
        if let Some(parent) = parent {
            let parent = self.name_of(parent);
            self.records
                .lock()
                .unwrap()
                .push((name.clone(), "parent".to_owned(), parent));
        }
        attrs.record(&mut Visitor(self, name));
        Id::from_u64(id)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        values.record(&mut Visitor(self, self.name_of(span.into_u64())));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        event.record(&mut Visitor(
            self,
            format!("event:{}", event.metadata().name()),
        ));
    }
    fn enter(&self, span: &Id) {
        self.entered.lock().unwrap().push(span.into_u64());
    }
    fn exit(&self, span: &Id) {
        let mut entered = self.entered.lock().unwrap();
        let innermost = entered.pop();
        assert_eq!(innermost, Some(span.into_u64()), "spans exit in order");
    }
}

impl Capture {
    fn name_of(&self, id: u64) -> String {
        self.names
            .lock()
            .unwrap()
            .iter()
            .find(|n| n.ends_with(&format!("#{id}")))
            .cloned()
            .unwrap_or_default()
    }

    fn field(&self, span_prefix: &str, field: &str) -> Vec<String> {
        self.records
            .lock()
            .unwrap()
            .iter()
            .filter(|(s, f, _)| s.starts_with(span_prefix) && f == field)
            .map(|(_, _, v)| v.clone())
            .collect()
    }
    fn everything(&self) -> String {
        format!("{:?}", self.records.lock().unwrap())
    }
}

#[tokio::test]
async fn one_call_span_around_one_span_per_attempt_with_their_fields_and_no_secrets() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    bounded(async {
        let (addr, _) = serve(|_, n| async move {
            if n == 1 {
                respond(503, "", &[])
            } else {
                respond(
                    200,
                    r#"{"request_id":"req-abc","member_id":"member-1","organization_id":"organization-1",
                        "member_authenticated":false,"intermediate_session_token":"tok-secret"}"#,
                    &[("request-id", "req-abc")],
                )
            }
        })
        .await;
        // Through the client, which retries the 503: one span per attempt.
        let client = |base: String| {
            PasswordsClient::builder("secret-user", "secret-password")
                .base_url(base)
                .transport(HyperTransport::new().unwrap())
                .retry_policy(
                    RetryPolicy::default().with_initial_backoff(Duration::from_millis(10)),
                )
                .build()
                .unwrap()
        };
        let response = client(format!("http://{addr}"))
            .authenticate(AuthenticateRequest::new(
                "org",
                "ada@example.com",
                "hunter2-secret",
            ))
            .await
            .unwrap();
        assert_eq!(response.attempts, 2);
        let err = client("http://example.com".to_owned())
            .migrate(MigrateRequest::new(
                "ada@example.com",
                "hunter2-secret",
                HashType::Bcrypt,
                "org",
            ))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("refused"), "{err}");
        assert_eq!(err.attempts(), 1);
    })
    .await;

    let spans = capture.names.lock().unwrap().clone();
    assert_eq!(
        spans,
        [
            "span:stytch.call#1",
            "span:stytch.http#2",
            "span:stytch.http#3",
            "span:stytch.call#4",
            "span:stytch.http#5",
        ],
        "one span per call, and one per exchange inside it"
    );
    let (call, first, second, failed_call, third) = (
        "span:stytch.call#1",
        "span:stytch.http#2",
        "span:stytch.http#3",
        "span:stytch.call#4",
        "span:stytch.http#5",
    );
    assert_eq!(capture.field(call, "operation"), ["passwords.authenticate"]);
    assert_eq!(capture.field(call, "attempts"), ["2"]);
    assert_eq!(capture.field(call, "status"), ["200"]);
    assert_eq!(capture.field(call, "request_id"), ["req-abc"]);
    assert!(capture.field(call, "error").is_empty());
    assert!(capture.field(call, "parent").is_empty());
    assert_eq!(
        capture.field(failed_call, "operation"),
        ["passwords.migrate"]
    );
    assert_eq!(capture.field(failed_call, "attempts"), ["1"]);
    assert_eq!(capture.field(failed_call, "error"), ["refused"]);
    assert!(capture.field(failed_call, "status").is_empty());
    assert!(capture.field(failed_call, "request_id").is_empty());
    for span in [first, second] {
        assert_eq!(capture.field(span, "parent"), [call]);
        assert_eq!(capture.field(span, "operation"), ["passwords.authenticate"]);
        let latency: f64 = capture.field(span, "latency_ms")[0].parse().unwrap();
        assert!(latency > 0.0 && latency < 10_000.0, "{latency}");
        assert!(capture.field(span, "error").is_empty());
    }
    assert_eq!(capture.field(first, "attempt"), ["1"]);
    assert_eq!(capture.field(first, "status"), ["503"]);
    assert_eq!(capture.field(second, "attempt"), ["2"]);
    assert_eq!(capture.field(second, "status"), ["200"]);
    assert_eq!(capture.field(second, "request_id"), ["req-abc"]);

    assert_eq!(capture.field(third, "parent"), [failed_call]);
    assert_eq!(capture.field(third, "operation"), ["passwords.migrate"]);
    assert_eq!(capture.field(third, "error"), ["refused"]);
    assert_eq!(capture.field(third, "attempt"), ["1"]);
    assert!(capture.field(third, "status").is_empty());

    let everything = capture.everything();
    for secret in [
        "hunter2-secret",
        "c2VjcmV0",
        "Basic",
        "tok-secret",
        "authorization",
    ] {
        assert!(
            !everything.contains(secret),
            "{secret} recorded: {everything}"
        );
    }
}
