//! `kbgen export`: the load, model, extract and assemble stages, then one
//! JSON object per article ([`crate::export`]); nothing is rendered.

use super::{compile, Clock, Keep};
use crate::config::Settings;
use crate::diag::Diagnostics;
use rayon::prelude::*;
use serde_json::Value;

/// Every article as exported, in path order, and every problem found.
pub fn articles(settings: &Settings) -> (Vec<Value>, Diagnostics) {
    let mut clock = Clock::new(&|_| {});
    let compiled = compile(settings, Keep::Nothing, &mut clock);
    let site = &compiled.site;
    let out = (0..site.articles.len())
        .into_par_iter()
        .map(|i| crate::export::article(site, i))
        .collect();
    (out, compiled.diagnostics())
}
