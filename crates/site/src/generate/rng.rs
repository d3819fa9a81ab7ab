//! The generator's randomness: deterministic, so the same seed gives the same site.

/// A splitmix64 generator: tiny, deterministic and good enough for test data.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64, stream: u64) -> Rng {
        Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        // n is small (page counts, word lists); modulo bias is irrelevant here.
        (self.next() % n.max(1) as u64) as usize
    }

    pub(super) fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }
}

const WORDS: &[&str] = &[
    "async",
    "await",
    "future",
    "waker",
    "thread",
    "pool",
    "channel",
    "mutex",
    "socket",
    "reactor",
    "executor",
    "task",
    "join",
    "select",
    "stream",
    "buffer",
    "latency",
    "parse",
    "crawl",
    "scrape",
    "rayon",
    "tokio",
    "smol",
    "crossbeam",
    "hyper",
    "tree",
    "queue",
    "steal",
];
