//! The embedded website every scenario runs against, and the ground truth it knows.
//!
//! # Layout
//!
//! - [`generate`]: the synthetic site, deterministic from (pages, page size, seed). It writes
//!   every page itself, so it knows the right record for each URL without parsing anything:
//!   that is the ground truth [`Site::expect_pages`] and [`Site::expect_crawl`] hand to the
//!   verifier.
//! - [`server`]: a real HTTP/1.1 server (hyper, keep-alive on) on 127.0.0.1, on its own runtime
//!   thread, that holds every response for the configured latency. It serves the synthetic
//!   site, or a static directory (`--dir`), and a few fault routes for tests; over https with
//!   `tls` ([`tls`]: a CA and a certificate made at start).
//! - [`faults`]: the fault site, a raw TCP server that misbehaves on purpose, a different way
//!   on each page ([`FAULTS`]), for the "nothing lost" tests.
//!
//! # Routes of the synthetic site
//!
//! | path | response |
//! |---|---|
//! | `/` | the index, linking to the first pages |
//! | `/page/{i}` for i < N | an HTML page of about S KiB |
//! | `/data/{i}.txt` | a small `text/plain` file (crawls record it without parsing) |
//! | `/delay/{ms}` | a small page, held `ms` longer than the latency (timeout tests) |
//! | `/status/{code}` | an empty response with that status |
//! | `/bytes/{n}` | an HTML body of exactly n bytes (body-cap tests) |
//! | `/robots.txt` | disallows `/private/`, which nothing links to |
//! | `/quirks/{name}` | with `quirks` on: markup a DOM and a token stream read differently ([`QUIRKS`]) |
//! | anything else | 404 |
//!
//! In `--dir` mode the server behaves as a static file server does: paths are
//! percent-decoded, a directory serves its `index.html`, and a directory asked for without its
//! trailing slash is redirected (301) to `dir/`.

pub mod faults;
pub mod generate;
pub mod server;
pub mod shape;
pub mod tls;

pub use faults::{FAULTS, Fault, FaultSite};
pub use generate::{MAX_SIDEBAR_LINKS, QUIRKS, Quirk, Site, SiteSpec, input_urls, page_urls};
pub use server::{Content, Server, ServerConfig};
