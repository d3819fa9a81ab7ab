//! The shared heart of shootout: everything a contestant needs that is *not* its concurrency model.
//!
//! A contestant crate (sequential, tokio, rayon, …) keeps only its orchestration: how it spawns,
//! bounds, times out and joins work. Everything else lives here, once, so that two contestant
//! crates can be read side by side and differ only in the runtime.
//!
//! # Layout
//!
//! - [`knobs`]: the [`Scenario`]s and the [`Knobs`] every contestant takes (pages N, latency L,
//!   page size S, concurrency C, threads T, timeout, body cap, and the network settings).
//! - [`record`]: the [`PageRecord`] every requested URL turns into, the typed [`FetchError`],
//!   and the raw [`Fetched`] response an HTTP engine hands back.
//! - [`extract`]: HTML extraction (body bytes → title, link count, hrefs) behind one interface,
//!   by one of three [`Strategy`]s: a DOM, a token stream, or a (wrong) byte scan.
//! - [`page`]: turning a fetch result into a record, the same way in every contestant.
//! - [`pitfall`]: the heartbeat scenario's variants and lag statistics.
//! - [`scope`]: URL normalisation and the crawl's [`Scope`] (one origin, optionally a path
//!   prefix, robots.txt).
//! - [`frontier`]: the [`Frontier`] that admits each URL exactly once, within the page cap and
//!   depth; whole, or split into shards for a thread-per-core crawler.
//! - [`net`]: what both HTTP engines do alike: redirects, per-host delay, user agent, proxy.
//! - [`robots`]: a site's robots.txt rules.
//! - [`job`]: the one child protocol: the [`Job`] a contestant's process reads, and the lines
//!   it answers with (docs/protocol.md).
//! - [`journal`]: a crawl's records as they are finished, so a stopped crawl keeps them.
//! - [`verify`]: checking a contestant's records against ground truth.
//! - [`ideal`]: the ideal-time model, the fastest any contestant could possibly finish.
//! - [`usage`]: CPU time and peak memory of the current process, and of a server beside it.
//! - [`model`]: the [`Model`] and [`Runner`] traits every concurrency model implements.
//! - [`setup`]: [`SetupError`], what `prepare` gives when a runtime or pool cannot start.
//! - [`driver`]: the kernel interface a run's I/O went through (io_uring, epoll, blocking).
//!
//! # What you learn here
//!
//! Nothing about concurrency: that is the point. Read a contestant crate next.

pub mod charset;
pub mod driver;
pub mod extract;
pub mod files;
pub mod frontier;
pub mod ideal;
pub mod job;
pub mod journal;
pub mod knobs;
pub mod latency;
pub mod load;
pub mod model;
pub mod net;
pub mod page;
pub mod pitfall;
pub mod record;
pub mod robots;
pub mod scope;
pub mod setup;
pub mod usage;
pub mod verify;

pub use driver::Driver;
pub use extract::{Extracted, Strategy};
pub use frontier::Frontier;
pub use job::Job;
pub use journal::{Journal, Lines, Tally};
pub use knobs::{Knobs, Scenario};
pub use model::{Family, Model, Runner, SetupError};
pub use net::Net;
pub use page::Page;
pub use record::{FetchError, Fetched, PageRecord};
pub use robots::Robots;
pub use scope::{CrawlSpec, Scope};
