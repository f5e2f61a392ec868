//! `kbgen init [DIR]`: a new knowledge base that builds as it is — kb.toml
//! with every key documented, an example article and fix under kb/, and a
//! .gitignore for the output — refusing to touch an existing one.

use crate::cli::{InitArgs, Verbosity};
use kbgen::scaffold::STARTER;

pub(crate) fn run(args: &InitArgs, v: Verbosity) -> anyhow::Result<i32> {
    let dir = &args.dir;
    let config = dir.join("kb.toml");
    let content = dir.join("kb");
    if config.exists() {
        eprintln!(
            "error: {} already exists; kbgen init only starts new knowledge bases",
            config.display()
        );
        return Ok(1);
    }
    let content_used = std::fs::read_dir(&content).is_ok_and(|mut d| d.next().is_some());
    if content_used || (content.exists() && !content.is_dir()) {
        eprintln!(
            "error: {} is not empty; kbgen init only starts new knowledge bases — write a kb.toml beside it by hand (see README) or choose another folder",
            content.display()
        );
        return Ok(1);
    }
    let gitignore = dir.join(".gitignore");
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        if path == gitignore && path.exists() {
            // A project may already have one: add our lines to it.
            let mut old = String::from_utf8_lossy(&kbgen::fsx::read(&path)?).into_owned();
            if !old.is_empty() && !old.ends_with('\n') {
                old.push('\n');
            }
            if !old.contains(".public.kbgen-search") {
                kbgen::fsx::write(&path, format!("{old}{text}").as_bytes())?;
            }
            continue;
        }
        kbgen::fsx::write(&path, text.as_bytes())?;
    }
    if v.quiet {
        return Ok(0);
    }
    let shown = dir.display();
    eprintln!("created a knowledge base in {shown}: kb.toml, kb/ with an example article and fix, .gitignore");
    if dir.as_os_str() == "." {
        eprintln!("next: kbgen build, then open public/index.html");
    } else {
        eprintln!("next: cd {shown} && kbgen build, then open public/index.html");
    }
    Ok(0)
}
