//! The progress bar of `kbgen build`/`check`: one step per pipeline stage,
//! drawn on stderr only when it is a terminal, and only once the run has
//! lasted a moment (a quick build never flashes a bar). Cleared before the
//! diagnostics and the summary line are printed.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use kbgen::pipeline::Stage;
use std::cell::Cell;
use std::io::IsTerminal as _;
use std::sync::mpsc;
use std::time::Duration;

/// How long a run goes before the bar appears.
const DELAY: Duration = Duration::from_millis(300);

pub(crate) struct Progress {
    bar: ProgressBar,
    started: Cell<u64>,
    done: Option<mpsc::Sender<()>>,
    shower: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    /// A bar of `stages` steps; hidden for good unless `wanted` and stderr
    /// is a terminal.
    pub(crate) fn start(wanted: bool, stages: u64) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(stages), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner:.cyan} [{pos}/{len}] {bar:24.cyan/blue} {msg} {elapsed}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        if !(wanted && std::io::stderr().is_terminal()) {
            return Progress {
                bar,
                started: Cell::new(0),
                done: None,
                shower: None,
            };
        }
        let (done, finished) = mpsc::channel::<()>();
        let shown = bar.clone();
        let shower = std::thread::spawn(move || {
            // Still running after the delay (no message, sender not dropped): show the bar.
            if finished.recv_timeout(DELAY) == Err(mpsc::RecvTimeoutError::Timeout) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(100));
            }
        });
        Progress {
            bar,
            started: Cell::new(0),
            done: Some(done),
            shower: Some(shower),
        }
    }

    /// `stage` has started.
    pub(crate) fn stage(&self, stage: Stage) {
        // The position counts the stages done before this one.
        self.bar.set_position(self.started.get());
        self.started.set(self.started.get() + 1);
        self.bar.set_message(stage.name());
    }

    /// Removes the bar.
    pub(crate) fn finish(mut self) {
        drop(self.done.take());
        if let Some(shower) = self.shower.take() {
            let _ = shower.join();
        }
        self.bar.finish_and_clear();
    }
}
