//! The two bodies the transport needs: a request body sent in one frame, and a response body read
//! whole up to a limit. (Written here rather than taken from `http-body-util`, one crate fewer.)

use std::convert::Infallible;
use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use hyper::body::{Body, Frame, Incoming, SizeHint};

use stytch_b2b_passwords_transport::{TransportError, TransportErrorKind};

use stytch_b2b_passwords_transport::body::BodyCollector;
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
    let mut collected = BodyCollector::new(limit, Some(body.size_hint().lower()))?;
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx)).await {
        let frame = frame.map_err(|e| {
            TransportError::new(TransportErrorKind::Io, root_cause(&e)).with_source(e)
        })?;
        // Trailers carry nothing the client reads.
        if let Ok(data) = frame.into_data() {
            collected.push(data)?;
        }
    }
    Ok(collected.finish())
}
