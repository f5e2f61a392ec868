//! `kbgen new article|fix "<title>"`: write a scaffold into the content
//! folder and print its path, never overwriting a file.

use crate::cli::{NewArgs, NewKind};
use kbgen::config::{Overrides, Settings};
use kbgen::scaffold;
use std::io::Write as _;

pub(crate) fn run(args: &NewArgs) -> anyhow::Result<i32> {
    let overrides = Overrides {
        config: args.config.clone(),
        source: args.source.clone(),
        ..Overrides::default()
    };
    let settings = match Settings::resolve(&overrides) {
        Ok(s) => s,
        Err(d) => {
            super::build::print_diagnostics(&[d]);
            return Ok(1);
        }
    };
    if !settings.source.is_dir() {
        eprintln!(
            "error: content folder {} does not exist — run `kbgen init` to start a knowledge base, or pass --source",
            settings.source.display()
        );
        return Ok(2);
    }
    let Some(title) = scaffold::clean_title(&args.title) else {
        eprintln!("error: the title is empty — write it in quotes: kbgen new article \"W3SVC 5002: application pool disabled\"");
        return Ok(2);
    };
    let Some(slug) = scaffold::slug(&title) else {
        eprintln!("error: the title `{title}` has no letters or digits to make a file name from");
        return Ok(2);
    };
    let (rel, text) = match args.kind {
        NewKind::Article => match scaffold::article_path(args.dir.as_deref(), &slug) {
            Ok(rel) => (rel, scaffold::article(&title, scaffold::today())),
            Err(why) => {
                eprintln!("error: {why}");
                return Ok(2);
            }
        },
        NewKind::Fix if args.dir.is_some() => {
            eprintln!("error: fixes always go under fixes/; leave out --dir");
            return Ok(2);
        }
        NewKind::Fix => (scaffold::fix_path(&slug), scaffold::fix(&slug, &title)),
    };
    let path = settings.source.join(&rel);
    if let Some(parent) = path.parent() {
        kbgen::fsx::create_dir_all(parent)?;
        // A symlinked `fixes/` (or --dir) must not lead the write out of the content.
        if let Some(outside) = kbgen::fsx::outside(&settings.source, parent) {
            eprintln!(
                "error: {} leads outside the content folder {} (a symbolic link?); kbgen new writes only inside it",
                outside.display(),
                settings.source.display()
            );
            return Ok(2);
        }
    }
    // `create_new` refuses an existing file atomically: no check-then-write race.
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "error: {} already exists; kbgen new never overwrites — edit it, or choose another title",
                path.display()
            );
            return Ok(1);
        }
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!("cannot write {}", path.display())))
        }
    };
    file.write_all(text.as_bytes())
        .map_err(|e| anyhow::Error::new(e).context(format!("cannot write {}", path.display())))?;
    outln!("{}", path.display());
    Ok(0)
}
