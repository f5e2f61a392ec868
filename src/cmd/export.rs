//! `kbgen export --format jsonl|opensearch`: every article as JSON for
//! other systems. Content errors are printed and stop the export (exit 1),
//! as they stop a build.

use crate::cli::{ExportArgs, ExportFormat};
use kbgen::config::Settings;
use kbgen::diag::Severity;
use kbgen::export::opensearch;
use kbgen::pipeline::export;
use std::io::Write;

pub(crate) fn run(args: &ExportArgs) -> anyhow::Result<i32> {
    let mut settings = match Settings::resolve(&args.location.overrides()) {
        Ok(s) => s,
        Err(d) => {
            super::build::print_diagnostics(&[d]);
            return Ok(2);
        }
    };
    // No page is written: a broken link loses nothing of the data.
    settings.broken_links = kbgen::config::LinkPolicy::Warn;
    let (articles, diags) = export::articles(&settings);
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    if !errors.is_empty() {
        super::build::print_diagnostics(&errors);
        eprintln!("export failed: {} errors; nothing written", errors.len());
        return Ok(1);
    }
    match args.format {
        ExportFormat::Jsonl => {
            let mut text = String::new();
            for a in &articles {
                text.push_str(&a.to_string());
                text.push('\n');
            }
            match &args.to {
                Some(path) => kbgen::fsx::write(path, text.as_bytes())?,
                None => std::io::stdout().lock().write_all(text.as_bytes())?,
            }
        }
        ExportFormat::Opensearch => {
            let Some(dir) = &args.to else {
                eprintln!("error: --format opensearch needs --to FOLDER (it writes bulk.ndjson and index-template.json)");
                return Ok(2);
            };
            kbgen::fsx::create_dir_all(dir)?;
            let template = serde_json::to_string_pretty(&opensearch::index_template(&args.index))?;
            kbgen::fsx::write(&dir.join("index-template.json"), template.as_bytes())?;
            let bulk = opensearch::bulk(&articles, &args.index);
            kbgen::fsx::write(&dir.join("bulk.ndjson"), bulk.as_bytes())?;
        }
    }
    eprintln!("exported {} articles", articles.len());
    Ok(0)
}
