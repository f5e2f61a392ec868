//! Ctrl-C during `kbgen scan`: the scan stops reading and reports what it
//! read. A scan of a live stream (`journalctl -f | kbgen scan -`) ends
//! only this way, and killed by the signal it would print nothing.
//!
//! The first SIGINT sets a flag; every log is read through [`Stoppable`],
//! whose next read then finds the end of the log, so each format's reader
//! ends as at the end of a log cut short: the records before are counted
//! (as they would not be after an error in the first 8 KB, which are read
//! whole to tell the format). What a reader then says of the cut (a gzip
//! stream broken off, a bad `.evtx` chunk) is left out of the report
//! ([`crate::scan::report::Tally::skip`]), and the loops over the files of a
//! folder or a bundle end ([`check`]). The handler is then the default
//! again, so a second Ctrl-C ends kbgen at once (a read waiting on a quiet
//! pipe whose writer lives on, say).

use std::io::{self, Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the first SIGINT.
static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Why the scan of a folder or a bundle ended early.
#[derive(Debug)]
pub struct Stopped;

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stopped by Ctrl-C")
    }
}

impl std::error::Error for Stopped {}

/// True once Ctrl-C asked the scan to stop.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// Makes the first SIGINT stop the scan rather than end the process
/// (Linux; elsewhere Ctrl-C ends kbgen as before). Left alone when SIGINT
/// is ignored, as in a job started in the background by a script.
pub fn on_ctrl_c() {
    #[cfg(target_os = "linux")]
    // SAFETY: the handler only stores to an atomic, which is
    // async-signal-safe; the structures passed are zeroed, then filled.
    unsafe {
        let mut before: libc::sigaction = std::mem::zeroed();
        libc::sigaction(libc::SIGINT, std::ptr::null(), &mut before);
        if before.sa_sigaction == libc::SIG_IGN {
            return;
        }
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigint as *const () as libc::sighandler_t;
        // Reset to the default once delivered; reads go on (SA_RESTART)
        // until the reader checks the flag, between its reads.
        action.sa_flags = libc::SA_RESETHAND | libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
    }
}

#[cfg(target_os = "linux")]
extern "C" fn on_sigint(_: libc::c_int) {
    REQUESTED.store(true, Ordering::Relaxed);
}

/// An error once Ctrl-C asked the scan to stop: for the loops over the
/// files of a folder or a bundle, so that they end at once.
pub fn check() -> anyhow::Result<()> {
    if requested() {
        return Err(Stopped.into());
    }
    Ok(())
}

/// A log's reader that ends once [`requested`] (or `flag`, in tests).
#[derive(Debug)]
pub struct Stoppable<R> {
    inner: R,
    flag: &'static AtomicBool,
}

impl<R> Stoppable<R> {
    /// `inner`, stopped by Ctrl-C.
    pub fn new(inner: R) -> Stoppable<R> {
        Stoppable {
            inner,
            flag: &REQUESTED,
        }
    }
}

impl<R: Read> Read for Stoppable<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.flag.load(Ordering::Relaxed) {
            return Ok(0);
        }
        self.inner.read(buf)
    }
}

impl<R: Seek> Seek for Stoppable<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads go through until the flag is set, then find the end.
    #[test]
    fn reads_end_once_the_flag_is_set() {
        static FLAG: AtomicBool = AtomicBool::new(false);
        let mut r = Stoppable {
            inner: io::Cursor::new(b"one\ntwo\n".to_vec()),
            flag: &FLAG,
        };
        let mut buf = [0u8; 4];
        assert_eq!(r.read(&mut buf).unwrap(), 4);
        FLAG.store(true, Ordering::Relaxed);
        assert_eq!(r.read(&mut buf).unwrap(), 0);
        assert_eq!(r.seek(SeekFrom::Start(0)).unwrap(), 0);
    }
}
