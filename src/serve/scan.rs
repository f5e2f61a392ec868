//! `POST /api/scan`: the request body is a log in any format `kbgen scan`
//! reads, the answer the JSON `kbgen scan --json` prints (status 200 even
//! when nothing matched; 400 with `{"error"}` for an unreadable body).
//! Query parameters `since`, `min_level`, `unmatched` and `format` as the
//! command's options. The site's signatures are read once per build, not per request.

use super::body::Body;
use super::http;
use super::server::{Reply, Shared};
use crate::scan::input::Format;
use crate::scan::report::Tally;
use crate::scan::stamp::{self, Stamp};
use crate::scan::{record::Level, scan_stream, Filter, Signatures};
use serde_json::json;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Largest body scanned, and the most text a gzip body may decompress
/// to; a bigger log belongs on the command line.
const MAX_BODY: usize = 256 << 20;

/// Unmatched keys listed unless `unmatched` says otherwise.
const UNMATCHED: usize = 10;

pub(crate) fn answer(target: &str, body: Option<&mut Body<'_>>, shared: &Shared) -> Reply {
    let status = shared.status();
    let error = |code, message: String| Reply::json(code, &json!({ "error": message }));
    if !status.built {
        return error(
            503,
            "no site yet: the site has not been built successfully".into(),
        );
    }
    let Some(body) = body else {
        return error(
            411,
            "send the log as the request body, with a Content-Length".into(),
        );
    };
    if body.unread() > MAX_BODY {
        return error(
            413,
            format!(
                "the log is over {} MB; scan it with `kbgen scan FILE`",
                MAX_BODY >> 20
            ),
        );
    }
    let query = http::split_target(target).1.to_string();
    let filter = match filter(&query) {
        Ok(f) => f,
        Err(e) => return error(400, e),
    };
    let format = match http::query_param(&query, "format") {
        Some(f) => match Format::named(&f) {
            Some(f) => Some(f),
            None => return error(400, format!("format={f:?} is not a log format kbgen reads")),
        },
        None => None,
    };
    let unmatched = http::query_param(&query, "unmatched")
        .and_then(|n| n.parse().ok())
        .unwrap_or(UNMATCHED);
    let sigs = match signatures(&shared.root, status.version) {
        Ok(s) => s,
        Err(e) => return error(503, format!("{e:#}")),
    };
    let mut tally = Tally::new(&sigs, &status.aliases, filter);
    let read = crate::scan::on_scan_threads(|| {
        scan_stream(
            "request body",
            Box::new(body.take(MAX_BODY as u64)),
            format,
            &mut tally,
            &mut |_| {},
            MAX_BODY as u64,
        )
    });
    match read {
        Ok(_) => Reply::json(200, &tally.finish(unmatched)),
        Err(e) => error(400, format!("{e:#}")),
    }
}

fn filter(query: &str) -> Result<Filter, String> {
    // `since` and `until` as `kbgen scan` reads them (a date alone: its
    // midnight, or the end of that day).
    let time = |name: &str, read: fn(&str) -> Option<Stamp>| match http::query_param(query, name) {
        Some(t) => read(&t)
            .map(Some)
            .ok_or(format!("{name}={t:?} is not a time kbgen reads")),
        None => Ok(None),
    };
    let since = time("since", stamp::parse)?;
    let until = time("until", stamp::parse_until)?;
    let min_level = match http::query_param(query, "min_level") {
        Some(l) => Some(Level::from_word(&l).ok_or(format!("min_level={l:?} is not a level"))?),
        None => None,
    };
    let filter = Filter {
        since,
        until,
        min_level,
    };
    match filter.empty_window() {
        Some(why) => Err(format!("no record can be kept: {why}")),
        None => Ok(filter),
    }
}

/// The signatures of the site in `root` as of build `version`, read once.
fn signatures(root: &Path, version: u64) -> anyhow::Result<Arc<Signatures>> {
    type Cached = Option<(PathBuf, u64, Arc<Signatures>)>;
    static CACHE: Mutex<Cached> = Mutex::new(None);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((r, v, sigs)) = cache.as_ref() {
        if r == root && *v == version {
            return Ok(Arc::clone(sigs));
        }
    }
    let sigs = Arc::new(Signatures::load(root)?);
    *cache = Some((root.to_path_buf(), version, Arc::clone(&sigs)));
    Ok(sigs)
}
