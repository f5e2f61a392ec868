//! How long each stage took (`kbgen build -v`) and which stage is running
//! (the progress bar). The pipeline marks where each stage starts with a
//! [`Clock`]; callers see a [`Stage`] as it starts and a [`Timings`] at the end.

use std::time::{Duration, Instant};

/// One stage of the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Walk the content folder and read the files.
    Load,
    /// Parse front matter and Markdown into documents.
    Model,
    /// Find the signatures of every document.
    Extract,
    /// Assemble the site and its lookup tables; resolve links.
    Assemble,
    /// Render every page into the staging folder (side by side with `Index`).
    Render,
    /// Build both search indexes (side by side with `Render`).
    Index,
    /// Swap the new site and search index in.
    Write,
}

impl Stage {
    /// Every stage, in the order `-v` lists them.
    pub const ALL: [Stage; 7] = [
        Stage::Load,
        Stage::Model,
        Stage::Extract,
        Stage::Assemble,
        Stage::Render,
        Stage::Index,
        Stage::Write,
    ];

    /// Short lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Model => "model",
            Stage::Extract => "extract",
            Stage::Assemble => "assemble",
            Stage::Render => "render",
            Stage::Index => "index",
            Stage::Write => "write",
        }
    }
}

/// Time spent in each stage; zero for a stage that did not run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timings {
    spent: [Duration; 7],
    wall: Duration,
}

impl Timings {
    /// Time spent in `stage`.
    pub fn get(&self, stage: Stage) -> Duration {
        self.spent[stage as usize]
    }

    /// Time from the first stage's start to the last one's end: less than
    /// the sum of the stages, as `Render` and `Index` run side by side.
    pub fn wall(&self) -> Duration {
        self.wall
    }

    /// Every stage with its time, in [`Stage::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Stage, Duration)> + '_ {
        Stage::ALL.iter().map(|&s| (s, self.get(s)))
    }
}

/// Marks where stages start; each start ends the stage before.
pub(crate) struct Clock<'a> {
    on_stage: &'a dyn Fn(Stage),
    current: Option<(Stage, Instant)>,
    timings: Timings,
    since: Instant,
}

impl<'a> Clock<'a> {
    /// A clock that tells `on_stage` when each stage starts.
    pub(crate) fn new(on_stage: &'a dyn Fn(Stage)) -> Self {
        Clock {
            on_stage,
            current: None,
            timings: Timings::default(),
            since: Instant::now(),
        }
    }

    /// `stage` starts now.
    pub(crate) fn start(&mut self, stage: Stage) {
        self.end_current();
        (self.on_stage)(stage);
        self.current = Some((stage, Instant::now()));
    }

    /// The stage running now was stages run side by side, each timed on
    /// its own: they get their own times, and none starts a new stage.
    pub(crate) fn side_by_side(&mut self, stages: &[(Stage, Duration)]) {
        self.current = None;
        for &(stage, t) in stages {
            self.timings.spent[stage as usize] += t;
        }
    }

    /// The last stage ends now; the time of each.
    pub(crate) fn stop(mut self) -> Timings {
        self.end_current();
        self.timings.wall = self.since.elapsed();
        self.timings
    }

    fn end_current(&mut self) {
        if let Some((stage, since)) = self.current.take() {
            self.timings.spent[stage as usize] += since.elapsed();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn each_start_ends_the_stage_before_and_is_reported() {
        let seen = RefCell::new(Vec::new());
        let on_stage = |s: Stage| seen.borrow_mut().push(s);
        let mut clock = Clock::new(&on_stage);
        clock.start(Stage::Load);
        std::thread::sleep(Duration::from_millis(5));
        clock.start(Stage::Index);
        let t = clock.stop();
        assert_eq!(*seen.borrow(), [Stage::Load, Stage::Index]);
        assert!(t.get(Stage::Load) >= Duration::from_millis(5));
        assert_eq!(t.get(Stage::Write), Duration::ZERO);
        assert_eq!(t.iter().count(), 7);
    }
}
