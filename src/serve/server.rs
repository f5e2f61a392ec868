//! The HTTP side of `kbgen serve`: the endpoints and the files, answered
//! on the connections [`conn`](super::conn) accepts (one thread each,
//! capped, with deadlines), so one slow client cannot hold up the others.
//!
//! Every request is answered from the output folder on disk (written
//! atomically by each successful build) and from [`Status`], which the
//! build loop replaces after each build: the site version, the last
//! build's error text, and the search engine reopened on the new index.

use super::body::Body;
use super::http::{self, Target};
use crate::index::terminal::Engine;
use crate::signature::events::Aliases;
use anyhow::{Context, Result};
use std::io::ErrorKind;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// Most results `/api/search` returns, whatever `limit` asks.
const MAX_LIMIT: usize = 100;
const LIVE_JS: &str = include_str!("live.js");

/// What the build loop tells the request threads; replaced as a whole.
pub(crate) struct Status {
    /// Bumped by each successful build; pages reload when it changes.
    pub(crate) version: u64,
    /// The last build's problems, when it failed.
    pub(crate) error: Option<String>,
    /// A build has succeeded since the server started, so the folder holds a site of this run.
    pub(crate) built: bool,
    /// The search index of the last good build.
    pub(crate) engine: Option<Arc<Engine>>,
    /// Event source aliases of the last good build's settings.
    pub(crate) aliases: Arc<Aliases>,
}

/// State shared between the build loop and the request threads.
pub(crate) struct Shared {
    /// The output folder being served.
    pub(crate) root: PathBuf,
    /// Current status.
    pub(crate) status: RwLock<Arc<Status>>,
}

impl Shared {
    pub(crate) fn status(&self) -> Arc<Status> {
        Arc::clone(&self.status.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Replaces the status seen by requests from now on.
    pub(crate) fn publish(&self, status: Status) {
        *self.status.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(status);
    }
}

/// Binds `addr`, with a plain-spoken error when the port is taken.
pub(crate) fn bind(addr: SocketAddr) -> Result<TcpListener> {
    listen(addr).map_err(|e| match e.kind() {
        ErrorKind::AddrInUse => anyhow::anyhow!(
            "port {} on {} is already in use (another `kbgen serve`?); \
             choose another with --port N, or --port 0 for any free port",
            addr.port(),
            addr.ip()
        ),
        _ => anyhow::Error::new(e).context(format!("cannot listen on {addr}")),
    })
}

/// A listening socket with `TCP_NODELAY`, which accepted connections
/// inherit (and `conn` sets again): with Nagle's algorithm a response
/// written in pieces on a kept-alive connection waited ~40 ms for the
/// client's delayed ACK (measured with wrk: 182 requests/s on 8
/// connections, 44 ms each).
fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    Ok(socket.into())
}

/// Starts answering on `listener`; it runs until the process exits.
pub(crate) fn spawn_workers(listener: TcpListener, shared: Arc<Shared>) -> Result<()> {
    let handler = move |method: &str, target: &str, body: Option<&mut Body<'_>>| {
        answer(method, target, body, &shared)
    };
    super::conn::spawn(listener, Arc::new(handler)).context("cannot start the HTTP threads")
}

/// One response, before it is written out.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
    /// `Cache-Control: no-store` (HTML and kbgen's own endpoints) rather than `no-cache`.
    pub(crate) no_store: bool,
    pub(crate) location: Option<String>,
    /// `Content-Security-Policy: sandbox`: a file from the content folder
    /// (an image, a text) that must not run script with the site's origin.
    pub(crate) sandbox: bool,
}

impl Reply {
    pub(crate) fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            content_type,
            body: body.into(),
            no_store: true,
            location: None,
            sandbox: false,
        }
    }

    fn text(status: u16, text: &str) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", text)
    }

    pub(crate) fn json(status: u16, value: &impl serde::Serialize) -> Reply {
        let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
        Reply::new(status, "application/json", body)
    }

    /// A reply with a status and no body, for requests never routed.
    pub(crate) fn status_only(status: u16) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", Vec::new())
    }

    /// The headers, but for `Content-Length` and `Connection`.
    pub(crate) fn headers(&self) -> Vec<(&'static str, &str)> {
        let cache = if self.no_store {
            "no-store"
        } else {
            "no-cache"
        };
        let mut headers = vec![
            ("Content-Type", self.content_type),
            ("Cache-Control", cache),
            ("X-Content-Type-Options", "nosniff"),
        ];
        // Header values must be ASCII: only ASCII redirects are made (see `file`).
        if let Some(location) = self.location.as_deref().filter(|l| l.is_ascii()) {
            headers.push(("Location", location));
        }
        if self.sandbox {
            headers.push(("Content-Security-Policy", "sandbox"));
        }
        headers
    }
}

fn answer(method: &str, target: &str, body: Option<&mut Body<'_>>, shared: &Shared) -> Reply {
    if http::split_target(target).0 == "/api/scan" && method == "POST" {
        return super::scan::answer(target, body, shared);
    }
    if !matches!(method, "GET" | "HEAD") {
        return Reply::text(
            405,
            "kbgen serve answers GET and HEAD only (and POST /api/scan)
",
        );
    }
    route(target, shared)
}

/// Answers a request target: kbgen's endpoints, the search API, or a file.
pub(crate) fn route(target: &str, shared: &Shared) -> Reply {
    let (path, query) = http::split_target(target);
    let status = shared.status();
    match path {
        "/__kbgen/live.js" => Reply::new(200, "text/javascript; charset=utf-8", LIVE_JS),
        "/__kbgen/version" => Reply::json(
            200,
            &serde_json::json!({ "version": status.version, "error": status.error }),
        ),
        "/api/search" => search(query, &status),
        _ if path.starts_with("/__kbgen/") => Reply::text(404, "not found\n"),
        _ => file(path, shared, &status),
    }
}

fn search(query: &str, status: &Status) -> Reply {
    let q = http::query_param(query, "q").unwrap_or_default();
    let limit = http::query_param(query, "limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(10)
        .min(MAX_LIMIT);
    let Some(engine) = &status.engine else {
        let error = "no search index yet: the site has not been built successfully";
        return Reply::json(503, &serde_json::json!({ "error": error }));
    };
    match engine.search(&q, &status.aliases, limit) {
        Ok(response) => Reply::json(200, &response),
        Err(e) => Reply::json(500, &serde_json::json!({ "error": format!("{e:#}") })),
    }
}

fn file(path: &str, shared: &Shared, status: &Status) -> Reply {
    // A rebuild swapping the site in must not show between its two renames.
    let _reading = crate::output::read_guard();
    if let (false, Some(error)) = (status.built, &status.error) {
        if !is_asset(path) {
            let page = http::error_page(error, status.version);
            return Reply::new(500, "text/html; charset=utf-8", page);
        }
    }
    let found = match http::parse_target(path) {
        Some(url) => http::locate(&shared.root, &url),
        None => Target::NotFound,
    };
    match found {
        Target::File(file) => match std::fs::read(&file) {
            Ok(bytes) => page_or_file(200, &file, bytes, status.version),
            // Swapped away by a rebuild between locate and read: as if missing.
            Err(_) => not_found(shared, status),
        },
        // Header values must be ASCII; no browser sends such a path raw.
        Target::Redirect(to) if !to.is_ascii() => not_found(shared, status),
        Target::Redirect(to) => {
            let mut reply = Reply::text(301, "moved\n");
            reply.location = Some(to);
            reply
        }
        Target::NotFound => not_found(shared, status),
    }
}

/// The site's own 404 page, with status 404.
fn not_found(shared: &Shared, status: &Status) -> Reply {
    let page = shared.root.join("404.html");
    match std::fs::read(&page) {
        Ok(bytes) => page_or_file(404, &page, bytes, status.version),
        Err(_) => Reply::text(404, "not found\n"),
    }
}

fn page_or_file(code: u16, file: &std::path::Path, bytes: Vec<u8>, version: u64) -> Reply {
    let content_type = http::content_type(file);
    if !content_type.starts_with("text/html") {
        let mut reply = Reply::new(code, content_type, bytes);
        reply.no_store = false;
        reply.sandbox = http::sandboxed(content_type);
        return reply;
    }
    let html = String::from_utf8_lossy(&bytes);
    Reply::new(code, content_type, http::inject_live_script(&html, version))
}

/// Requests for static files rather than pages: served even before a good build.
fn is_asset(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    last.contains('.') && !last.ends_with(".html")
}
