//! Reading a response body whole, up to a size limit: what every adapter does the same way.
//!
//! The adapter feeds the chunks it reads to a [`BodyCollector`]. A body that arrives in one
//! chunk (the usual case for a small JSON response) is handed back without a copy; one that
//! grows past the limit fails as soon as it does, so the adapter reads no further.

use bytes::{Bytes, BytesMut};

use crate::error::{TransportError, TransportErrorKind};

/// A response body being read, at most `limit` bytes of it.
///
/// ```
/// use bytes::Bytes;
/// use stytch_b2b_passwords_transport::body::BodyCollector;
/// use stytch_b2b_passwords_transport::TransportErrorKind;
///
/// let mut body = BodyCollector::new(16, Some(11))?;
/// body.push(Bytes::from_static(b"hello "))?;
/// body.push(Bytes::from_static(b"world"))?;
/// assert_eq!(body.finish(), "hello world");
///
/// let mut body = BodyCollector::new(8, None)?;
/// let err = body.push(Bytes::from_static(b"far too long")).unwrap_err();
/// assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
/// // A length announced over the limit fails before anything is read.
/// let err = BodyCollector::new(8, Some(1 << 40)).unwrap_err();
/// assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
/// # Ok::<_, stytch_b2b_passwords_transport::TransportError>(())
/// ```
#[derive(Debug)]
pub struct BodyCollector {
    limit: usize,
    /// The announced length, to size the buffer once when a second chunk comes.
    announced: usize,
    first: Option<Bytes>,
    joined: Option<BytesMut>,
    total: usize,
}

impl BodyCollector {
    /// Starts reading a body of at most `limit` bytes whose length the response announced
    /// (`Content-Length`), if it did: a length over the limit is refused at once.
    pub fn new(limit: usize, announced: Option<u64>) -> Result<Self, TransportError> {
        let announced = match announced {
            Some(length) if length > limit as u64 => {
                return Err(too_large(limit, format!("of {length} bytes")));
            }
            // At most `limit` here, so it fits.
            Some(length) => usize::try_from(length).unwrap_or(0),
            None => 0,
        };
        Ok(Self {
            limit,
            announced,
            first: None,
            joined: None,
            total: 0,
        })
    }

    /// Adds the next chunk, or fails if the body is now over the limit.
    pub fn push(&mut self, data: Bytes) -> Result<(), TransportError> {
        self.total = self.total.saturating_add(data.len());
        if self.total > self.limit {
            return Err(too_large(
                self.limit,
                format!("of more than {} bytes", self.total),
            ));
        }
        match (&mut self.joined, self.first.take()) {
            (Some(buf), _) => buf.extend_from_slice(&data),
            (None, None) => self.first = Some(data),
            (None, Some(head)) => {
                // Both lengths are within the limit, so this capacity is bounded.
                let mut buf = BytesMut::with_capacity(self.announced.max(self.total));
                buf.extend_from_slice(&head);
                buf.extend_from_slice(&data);
                self.joined = Some(buf);
            }
        }
        Ok(())
    }

    /// The whole body.
    pub fn finish(self) -> Bytes {
        match self.joined {
            Some(buf) => buf.freeze(),
            None => self.first.unwrap_or_default(),
        }
    }
}

fn too_large(limit: usize, what: String) -> TransportError {
    TransportError::new(
        TransportErrorKind::BodyTooLarge,
        format!("response body {what} is over the {limit}-byte limit"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_chunk_is_not_copied_and_several_are_joined() {
        let chunk = Bytes::from(vec![7u8; 64]);
        let mut body = BodyCollector::new(100, Some(64)).unwrap();
        body.push(chunk.clone()).unwrap();
        let whole = body.finish();
        assert_eq!(whole.as_ptr(), chunk.as_ptr(), "the same bytes, not a copy");

        let mut body = BodyCollector::new(100, None).unwrap();
        for part in [&b"ab"[..], b"", b"cd", b"e"] {
            body.push(Bytes::copy_from_slice(part)).unwrap();
        }
        assert_eq!(body.finish(), "abcde");
        assert_eq!(BodyCollector::new(100, None).unwrap().finish(), "");
    }

    #[test]
    fn the_limit_is_exact_and_named() {
        let mut body = BodyCollector::new(4, Some(4)).unwrap();
        body.push(Bytes::from_static(b"abcd")).unwrap();
        assert_eq!(body.finish(), "abcd");

        let mut body = BodyCollector::new(4, None).unwrap();
        body.push(Bytes::from_static(b"abc")).unwrap();
        let err = body.push(Bytes::from_static(b"de")).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
        assert_eq!(
            err.message(),
            "response body of more than 5 bytes is over the 4-byte limit"
        );
        let err = BodyCollector::new(4, Some(5)).unwrap_err();
        assert_eq!(
            err.message(),
            "response body of 5 bytes is over the 4-byte limit"
        );
    }
}
