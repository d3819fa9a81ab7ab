//! `files` and `write`: per contestant, its file API, and its wall and cost per file over the
//! bare loop: reading cold and warm at each of the suite's two shapes, and writing.

use shootout_core::files::Cache;
use shootout_lab::label::human_secs;

use super::table::Table;
use super::{Part, in_section, opt};
use crate::suite::{Section, StepResult};

/// The `files` section: one table per shape.
pub(super) fn files(results: &[StepResult], parts: &mut Vec<Part>) -> anyhow::Result<()> {
    let steps = in_section(results, Section::Files);
    if steps.is_empty() {
        return Ok(());
    }
    parts.push(Part::Heading(
        2,
        "files".into(),
        "Waiting on the disk: files, cold and warm".into(),
    ));
    parts.push(Part::Text(
        "Every file read whole and checksummed through each contestant's own file API. Cold: \
         every file evicted from this machine's page cache before each run (fsync, then \
         POSIX_FADV_DONTNEED, checked with mincore; on a VM the host may still cache the \
         disk). Warm: every file read once before each run. The ideal is a bare std::fs read \
         loop over the same files in the same state, with as many reads in flight; µs/file \
         over is (wall − ideal) / N, what the API's hop to a thread pool, or its submission \
         to io_uring, costs a file. Writing: each file built and written through the same API \
         into an empty directory, without fsync, then read back and checked by the parent; its \
         ideal is a bare create, write, close loop. Cells: median wall (× ideal)."
            .into(),
    ));
    for r in steps {
        let p = &r.step.point;
        parts.push(Part::Heading(
            3,
            r.step.id.clone(),
            format!(
                "{} files of {} KiB, C = {}, T = {}",
                p.pages, p.page_kb, p.concurrency, p.threads
            ),
        ));
        parts.push(Part::Command(
            r.step.command(r.runs.first().map_or(1, Vec::len)),
        ));
        if r.step.scenario == shootout_core::Scenario::Write {
            parts.push(Part::Table(write_table(r)));
            continue;
        }
        let mut table = Table::new(&[
            "contestant",
            "cold",
            "cold µs/file over",
            "warm",
            "warm µs/file over",
            "reads through",
        ]);
        table.wrap = vec![5];
        for m in r.medians() {
            let Some(cache) = m.cache else { continue };
            let column = match cache {
                Cache::Cold => 0,
                Cache::Warm => 2,
            };
            put_row(&mut table, &m, column, 4);
        }
        parts.push(Part::Table(table));
    }
    Ok(())
}

/// A `write` step: per contestant, its wall (× ideal) and cost per file over the bare write
/// loop, without fsync.
fn write_table(r: &StepResult) -> Table {
    let mut table = Table::new(&["contestant", "write", "µs/file over", "writes through"]);
    table.wrap = vec![3];
    for m in r.medians() {
        put_row(&mut table, &m, 0, 2);
    }
    table
}

/// `m`'s cells: its wall (× ideal) at column `at`, its µs a file over the floor at `at + 1`
/// (✗ and — for a wrong run), and its file API at `api`.
fn put_row(table: &mut Table, m: &shootout_lab::harness::Row, at: usize, api: usize) {
    let wall = if m.verified {
        format!(
            "{} ({})",
            opt(m.wall_s, human_secs),
            opt(m.wall_over_ideal, |x| format!("{x:.2}×"))
        )
    } else {
        "✗".to_owned()
    };
    table.put(&m.contestant, at, wall);
    let over = opt(m.overhead_us_per_file.filter(|_| m.verified), |x| {
        format!("{x:.1}")
    });
    table.put(&m.contestant, at + 1, over);
    let through = shootout_lab::registry::find(&m.contestant)
        .and_then(|c| c.file_api())
        .unwrap_or("—");
    table.put(&m.contestant, api, through.to_owned());
}
