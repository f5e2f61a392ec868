//! A request body, for the one endpoint that takes one (`POST /api/scan`):
//! read from what followed the head in the buffer, then from the socket,
//! never past its `Content-Length` and never past a deadline, so a client
//! that announces a body and sends it slowly holds its own thread only
//! until then.

use super::conn::IDLE;
use std::io::{Error, ErrorKind, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Longest a request body may take to arrive.
pub(crate) const BODY_DEADLINE: Duration = Duration::from_secs(120);

/// The body of one request, `left` bytes still to come.
pub(crate) struct Body<'a> {
    stream: &'a mut TcpStream,
    buf: &'a mut Vec<u8>,
    left: usize,
    deadline: Instant,
}

impl<'a> Body<'a> {
    pub(crate) fn new(stream: &'a mut TcpStream, buf: &'a mut Vec<u8>, length: usize) -> Self {
        Body {
            stream,
            buf,
            left: length,
            deadline: Instant::now() + BODY_DEADLINE,
        }
    }

    /// Bytes announced and not read: the connection cannot carry another
    /// request after them unless this is 0.
    pub(crate) fn unread(&self) -> usize {
        self.left
    }
}

impl Read for Body<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let max = out.len().min(self.left);
        if max == 0 {
            return Ok(0);
        }
        let n = if self.buf.is_empty() {
            let wait = self.deadline.saturating_duration_since(Instant::now());
            if wait.is_zero() {
                return Err(Error::new(
                    ErrorKind::TimedOut,
                    "the request body took too long",
                ));
            }
            self.stream.set_read_timeout(Some(wait.min(IDLE)))?;
            match self.stream.read(&mut out[..max])? {
                0 => {
                    return Err(Error::new(
                        ErrorKind::UnexpectedEof,
                        "the request body ended early",
                    ))
                }
                n => n,
            }
        } else {
            let n = max.min(self.buf.len());
            out[..n].copy_from_slice(&self.buf[..n]);
            self.buf.drain(..n);
            n
        };
        self.left -= n;
        Ok(n)
    }
}
