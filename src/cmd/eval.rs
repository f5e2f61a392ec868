//! `kbgen eval`: search quality on a query file, as a table and the list of
//! misses; `--require` turns floors into an exit status for CI.

use crate::cli::EvalArgs;
use kbgen::search::eval::{evaluate, read_queries, Report};
use kbgen::signature::events::Aliases;

pub(crate) fn run(args: &EvalArgs) -> anyhow::Result<i32> {
    let queries = read_queries(&args.queries)?;
    let Some((settings, engine)) = super::search::open(&args.location)? else {
        return Ok(1);
    };
    let report = evaluate(&engine, &queries, &Aliases::new(&settings.source_aliases))?;
    if args.json {
        outln!("{}", serde_json::to_string(&report)?);
    } else {
        print_text(&report, &args.queries.display().to_string())?;
    }
    let mut failed = false;
    for (kind, min) in &args.require {
        let Some(f) = report.figures.get(kind) else {
            eprintln!("--require {kind}={min}: the query file has no queries of kind {kind:?}");
            failed = true;
            continue;
        };
        if f.recall_at_1 + 1e-9 < *min {
            eprintln!(
                "recall@1 of {kind} is {:.3}, below the required {min}",
                f.recall_at_1
            );
            failed = true;
        }
    }
    Ok(i32::from(failed))
}

fn print_text(report: &Report, file: &str) -> anyhow::Result<()> {
    outln!("{} queries from {file}", report.outcomes.len());
    outln!(
        "{:<10} {:>4} {:>9} {:>9} {:>7}",
        "kind",
        "n",
        "recall@1",
        "recall@5",
        "MRR"
    );
    let mut rows: Vec<_> = report.figures.iter().filter(|(k, _)| *k != "all").collect();
    rows.extend(report.figures.get_key_value("all"));
    for (kind, f) in rows {
        outln!(
            "{kind:<10} {:>4} {:>9.3} {:>9.3} {:>7.3}",
            f.n,
            f.recall_at_1,
            f.recall_at_5,
            f.mrr
        );
    }
    let misses: Vec<_> = report
        .outcomes
        .iter()
        .filter(|o| o.rank != Some(1))
        .collect();
    if !misses.is_empty() {
        outln!("\nnot first:");
    }
    for o in misses {
        let rank = o
            .rank
            .map_or("not in top 10".to_string(), |r| format!("rank {r}"));
        outln!(
            "  {} {} ({rank}): {}",
            o.query.id,
            o.query.kind,
            o.query.query
        );
        outln!("    expected {}", o.query.expected.join(" | "));
        outln!("    first    {}", o.top.as_deref().unwrap_or("(nothing)"));
    }
    Ok(())
}
