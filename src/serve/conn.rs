//! The sockets of `kbgen serve`: accept, read a request head, answer, in
//! a way no client can use to stop the server answering others.
//!
//! Receives the listening socket and a function from (method, target) to
//! [`Reply`]; gives each connection its own thread, within a cap per client
//! address and a cap in all, so a slow or idle client holds only its own
//! thread and only until a deadline: the request head must arrive within
//! [`HEAD_DEADLINE`], a kept-alive connection may idle [`IDLE`]. Only a
//! `POST` with a `Content-Length` gets its body (as a [`Body`], read within
//! its own deadline, and only if the handler reads it); any other request
//! that announces one is answered and closed without reading it. (With
//! `tiny_http`, eight clients announcing a body they never sent held all
//! eight request threads.)

use super::body::Body;
use super::server::Reply;
use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Time a client has to send a whole request head.
pub(crate) const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// Time a kept-alive connection may wait for its next request.
pub(crate) const IDLE: Duration = Duration::from_secs(5);
/// Time a write may block on a client that does not read.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest request head read.
const MAX_HEAD: usize = 16 * 1024;
/// Connections one client address may hold at once (a load test opens 200).
pub(crate) const PER_CLIENT: usize = 256;
/// Connections held at once in all.
pub(crate) const TOTAL: usize = 1024;

/// Answers one request: its method, target and body, if it has one.
pub(crate) type Handler = dyn Fn(&str, &str, Option<&mut Body<'_>>) -> Reply + Send + Sync;

/// Accepts connections on a thread of its own until the process ends.
pub(crate) fn spawn(listener: TcpListener, handler: Arc<Handler>) -> std::io::Result<()> {
    let slots = Arc::new(Slots::new(PER_CLIENT, TOTAL));
    std::thread::Builder::new()
        .name("kbgen-http-accept".into())
        .spawn(move || loop {
            match listener.accept() {
                Ok((stream, peer)) => admit(stream, peer.ip(), &slots, &handler),
                // Out of file descriptors, or a connection reset before
                // accept: wait a moment rather than spin.
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        })?;
    Ok(())
}

fn admit(mut stream: TcpStream, ip: IpAddr, slots: &Arc<Slots>, handler: &Arc<Handler>) {
    let Some(slot) = Slots::take(slots, ip) else {
        // Over a cap: say so at once, without reading, and close.
        let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
        let _ = stream.write_all(
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        return;
    };
    let handler = Arc::clone(handler);
    let spawned = std::thread::Builder::new()
        .name("kbgen-http".into())
        .spawn(move || {
            let _slot = slot;
            // A bug in one answer must not take the server with it.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                serve_connection(stream, &*handler)
            }));
        });
    // No thread to be had: the connection closes as `stream` drops.
    drop(spawned);
}

/// Connections held, per client address and in all.
pub(crate) struct Slots {
    per_client: usize,
    total: usize,
    held: Mutex<(HashMap<IpAddr, usize>, usize)>,
}

/// One held connection; released on drop.
pub(crate) struct Slot {
    slots: Arc<Slots>,
    ip: IpAddr,
}

impl Slots {
    pub(crate) fn new(per_client: usize, total: usize) -> Slots {
        Slots {
            per_client,
            total,
            held: Mutex::new((HashMap::new(), 0)),
        }
    }

    /// A slot for a connection from `ip`, unless a cap is reached.
    pub(crate) fn take(slots: &Arc<Slots>, ip: IpAddr) -> Option<Slot> {
        let mut held = slots.held.lock().unwrap_or_else(|e| e.into_inner());
        let (by_ip, all) = &mut *held;
        let mine = by_ip.entry(ip).or_insert(0);
        if *mine >= slots.per_client || *all >= slots.total {
            return None;
        }
        *mine += 1;
        *all += 1;
        Some(Slot {
            slots: Arc::clone(slots),
            ip,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut held = self.slots.held.lock().unwrap_or_else(|e| e.into_inner());
        let (by_ip, all) = &mut *held;
        *all -= 1;
        if let Some(n) = by_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                by_ip.remove(&self.ip);
            }
        }
    }
}

/// A request head as far as `kbgen serve` needs it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Head {
    pub(crate) method: String,
    pub(crate) target: String,
    /// The client wants the connection kept open.
    pub(crate) keep_alive: bool,
    /// A body follows (`Content-Length` above 0, or `Transfer-Encoding`).
    pub(crate) has_body: bool,
    /// Its length, when given as `Content-Length` (not chunked).
    pub(crate) content_length: Option<usize>,
}

fn serve_connection(mut stream: TcpStream, handler: &Handler) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut buf = Vec::new();
    let mut first = true;
    loop {
        let wait = if first { HEAD_DEADLINE } else { IDLE };
        first = false;
        let raw = match read_head(&mut stream, &mut buf, wait) {
            Ok(Some(raw)) => raw,
            Ok(None) => return,
            Err(status) => {
                let _ = write_reply(&mut stream, &Reply::status_only(status), false, false);
                return;
            }
        };
        let Some(head) = parse_head(&raw) else {
            let _ = write_reply(&mut stream, &Reply::status_only(400), false, false);
            return;
        };
        let (reply, keep_alive) = match (head.has_body, head.content_length) {
            (false, _) => (handler(&head.method, &head.target, None), head.keep_alive),
            (true, Some(length)) if head.method == "POST" => {
                let mut body = Body::new(&mut stream, &mut buf, length);
                let reply = handler(&head.method, &head.target, Some(&mut body));
                // Unread bytes would be taken for the next request.
                let done = body.unread() == 0;
                (reply, head.keep_alive && done)
            }
            // Never read: answered and closed.
            (true, _) => (Reply::status_only(413), false),
        };
        let head_only = head.method == "HEAD";
        if write_reply(&mut stream, &reply, head_only, keep_alive).is_err() || !keep_alive {
            return;
        }
    }
}

/// Reads until a blank line ends a request head, within `wait` of the
/// start; `Ok(None)` when the client closes or the time is up, `Err` with
/// a status for a head that is too long. Bytes after the head (a pipelined
/// request) stay in `buf`.
fn read_head(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    wait: Duration,
) -> Result<Option<Vec<u8>>, u16> {
    let deadline = Instant::now() + wait;
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = head_end(buf) {
            let rest = buf.split_off(end);
            return Ok(Some(std::mem::replace(buf, rest)));
        }
        if buf.len() > MAX_HEAD {
            return Err(431);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Ok(None);
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Ok(None),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return Ok(None),
        }
    }
}

/// Where the head in `buf` ends (after `\r\n\r\n` or `\n\n`).
fn head_end(buf: &[u8]) -> Option<usize> {
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4);
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The method, target and framing of a request head; `None` when it is
/// not HTTP/1.x or not ASCII.
pub(crate) fn parse_head(raw: &[u8]) -> Option<Head> {
    let text = std::str::from_utf8(raw).ok().filter(|t| t.is_ascii())?;
    let mut lines = text.lines();
    let mut parts = lines.next()?.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !version.starts_with("HTTP/1.") || method.is_empty() {
        return None;
    }
    let mut keep_alive = version == "HTTP/1.1";
    let mut has_body = false;
    let mut content_length = None;
    let mut chunked = false;
    for line in lines.take_while(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':')?;
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => {
                has_body |= value != "0";
                content_length = value.parse().ok();
            }
            "transfer-encoding" => {
                has_body = true;
                chunked = true;
            }
            "connection" => keep_alive = !value.eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    Some(Head {
        method: method.to_string(),
        target: target.to_string(),
        keep_alive,
        has_body,
        content_length: content_length.filter(|_| has_body && !chunked),
    })
}

fn write_reply(
    stream: &mut TcpStream,
    reply: &Reply,
    head_only: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in reply.headers() {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    let connection = if keep_alive { "keep-alive" } else { "close" };
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: {connection}\r\n\r\n",
        reply.body.len()
    ));
    let mut bytes = out.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&reply.body);
    }
    stream.write_all(&bytes)?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests;
