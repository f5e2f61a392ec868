//! Any text as a message template and as an article body: template
//! compilation, template inference and prose extraction never panic.
#![no_main]

use kbgen::extract::prose::{extract, infer_template};
use kbgen::markdown::{render, LinkTarget};
use kbgen::signature::events::Aliases;
use kbgen::signature::Template;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let t = Template::compile(s);
    let _ = (t.has_holes(), t.literal_text());
    let _ = infer_template(s);
    let body = render(s, 1, &|_| LinkTarget::Unchanged);
    let _ = extract(&body.blocks, &Aliases::default());
});
