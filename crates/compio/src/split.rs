//! How work is split between the cores, once, before it starts: nothing moves afterwards.
//!
//! - **C**: core k may have `C / T` requests in flight, and the first `C % T` cores one more,
//!   so the shares add up to C. With C < T only C cores get a share (and any work).
//! - **A list of inputs** (URLs, waits, pages): round-robin, input i to core `i % active`.
//!   Round-robin, not by hash, because a list has no duplicates to route to one owner, and
//!   dealing in turn gives every core the same count, whatever the inputs are.
//! - **A crawl**: by hash of the URL, see crawl.rs.
//!
//! A static split is what thread-per-core trades for sharing nothing: if one core draws the
//! slow pages, it finishes last while the others sit idle, because no core can take over
//! another's work. tokio's workers would steal it. The C sweep and the fault site show what
//! that costs (docs/concepts.md).

use shootout_core::PageRecord;
use shootout_core::page::task_failed;

/// Each core's share of `concurrency`, for `threads` cores: they add up to C, and differ by at
/// most one.
pub fn shares(concurrency: usize, threads: usize) -> Vec<usize> {
    let threads = threads.max(1);
    (0..threads)
        .map(|k| concurrency / threads + usize::from(k < concurrency % threads))
        .collect()
}

/// How many cores get work: those with a share of C.
pub fn active(concurrency: usize, threads: usize) -> usize {
    threads.max(1).min(concurrency.max(1))
}

/// Deals `items` to `cores` cores in turn, each with its index in the input.
pub fn round_robin<T>(items: impl IntoIterator<Item = T>, cores: usize) -> Vec<Vec<(usize, T)>> {
    let cores = cores.max(1);
    let mut out: Vec<Vec<(usize, T)>> = (0..cores).map(|_| Vec::new()).collect();
    for (i, item) in items.into_iter().enumerate() {
        out[i % cores].push((i, item));
    }
    out
}

/// One core's answer: each of its inputs by index, with its record, or `None` if that input's
/// task panicked.
pub type Answer = Vec<(usize, Option<PageRecord>)>;

/// Puts the cores' records back in input order, `n` in all. An input whose task panicked, or
/// whose core did not answer at all, gets an `internal` record named by `name(i)` (its URL),
/// so none is lost.
pub fn gather(
    n: usize,
    answers: Vec<Option<Answer>>,
    name: impl Fn(usize) -> String,
) -> Vec<PageRecord> {
    let mut records: Vec<Result<PageRecord, &str>> =
        (0..n).map(|_| Err("its core never reported")).collect();
    for (i, record) in answers.into_iter().flatten().flatten() {
        records[i] = record.ok_or("panicked");
    }
    records
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|why| task_failed(&name(i), why)))
        .collect()
}

#[cfg(test)]
mod tests {
    use shootout_core::page::sleep_record;

    use super::*;

    #[test]
    fn shares_add_up_to_c() {
        assert_eq!(shares(10, 4), [3, 3, 2, 2]);
        assert_eq!(shares(1, 2), [1, 0]);
        assert_eq!(active(1, 2), 1);
        assert_eq!(active(100, 2), 2);
        for (c, t) in [(1, 1), (7, 3), (10_000, 16), (3, 8)] {
            assert_eq!(shares(c, t).iter().sum::<usize>(), c);
        }
    }

    #[test]
    fn round_robin_then_gather_keeps_input_order() {
        let parts = round_robin(0..7, 3);
        assert_eq!(parts[0].iter().map(|p| p.0).collect::<Vec<_>>(), [0, 3, 6]);
        let answers = parts
            .into_iter()
            .enumerate()
            .map(|(k, part)| {
                // Core 2 "panicked": its inputs must still get records.
                (k != 2).then(|| {
                    part.into_iter()
                        .map(|(i, _)| (i, (i != 4).then(|| sleep_record(i))))
                        .collect()
                })
            })
            .collect();
        let records = gather(7, answers, |i| format!("sleep:{i}"));
        assert_eq!(records.len(), 7);
        assert!(records[0].is_ok() && records[3].is_ok());
        assert_eq!(records[2].url, "sleep:2");
        assert!(!records[2].is_ok() && !records[5].is_ok());
        // Input 4 (core 1) panicked in its own task.
        assert!(!records[4].is_ok());
        assert_eq!(records[4].url, "sleep:4");
        assert!(records[1].is_ok());
    }
}
