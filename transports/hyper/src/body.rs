//! The two bodies the transport needs: a request body sent in one frame, and a response body read
//! whole up to a limit. (Written here rather than taken from `http-body-util`, one crate fewer.)

use std::convert::Infallible;
use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use hyper::body::{Body, Frame, Incoming, SizeHint};

use stytch_b2b_passwords_transport::{TransportError, TransportErrorKind};

use stytch_b2b_passwords_transport::cause::root_cause;

/// A request body that is all there from the start: one data frame, its length known, so hyper
/// sends a `Content-Length`.
#[derive(Debug, Default)]
pub(crate) struct Full(Option<Bytes>);

impl Full {
    pub(crate) fn new(data: Bytes) -> Self {
        Self((!data.is_empty()).then_some(data))
    }
}

impl Body for Full {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.get_mut().0.take().map(|data| Ok(Frame::data(data))))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.0.as_ref().map_or(0, |data| data.len() as u64))
    }
}

/// Reads a whole response body of at most `limit` bytes. A `Content-Length` over the limit fails
/// before anything is read; a body that grows past it fails as soon as it does, read no further.
/// A body that arrives in one frame (the usual case for a small JSON response) is not copied.
pub(crate) async fn read_body(body: &mut Incoming, limit: usize) -> Result<Bytes, TransportError> {
    let too_large = |what: String| {
        TransportError::new(
            TransportErrorKind::BodyTooLarge,
            format!("response body {what} is over the {limit}-byte limit"),
        )
    };
    let announced = body.size_hint().lower();
    if announced > limit as u64 {
        return Err(too_large(format!("of {announced} bytes")));
    }
    let mut first: Option<Bytes> = None;
    let mut joined: Option<BytesMut> = None;
    let mut total = 0usize;
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx)).await {
        let frame = frame.map_err(|e| {
            TransportError::new(TransportErrorKind::Io, root_cause(&e)).with_source(e)
        })?;
        // Trailers carry nothing the client reads.
        let Ok(data) = frame.into_data() else {
            continue;
        };
        total = total.saturating_add(data.len());
        if total > limit {
            return Err(too_large(format!("of more than {total} bytes")));
        }
        match (&mut joined, first.take()) {
            (Some(buf), _) => buf.extend_from_slice(&data),
            (None, None) => first = Some(data),
            (None, Some(head)) => {
                // `announced` is at most `limit`, so this capacity is bounded.
                let capacity = usize::try_from(announced)
                    .unwrap_or(0)
                    .max(head.len() + data.len());
                let mut buf = BytesMut::with_capacity(capacity);
                buf.extend_from_slice(&head);
                buf.extend_from_slice(&data);
                joined = Some(buf);
            }
        }
    }
    Ok(match joined {
        Some(buf) => buf.freeze(),
        None => first.unwrap_or_default(),
    })
}
