//! The HTTP engines, one per family, so that within a family only the concurrency model varies.
//!
//! # Layout
//!
//! - [`blocking`] (feature `blocking`): one `ureq` agent shared by the blocking contestants
//!   (sequential, threads, rayon, crossbeam). Each call blocks its thread until the body is in.
//! - [`engine`] (feature `async`): one hyper 1.x client ([`engine::AsyncClient`]) shared by the
//!   async contestants, generic over a [`engine::Runtime`].
//! - [`adapters`] (features `tokio`, `smol`, `async-std`, `compio`): each runtime's TCP
//!   stream, spawner and timer, plugged into the engine.
//! - [`completion`] (feature `compio`): hyper over a completion reactor, whose reads own their
//!   buffers: the owned-buffer adapter, and why it costs a copy.
//!
//! - [`tls`]: the certificates both engines trust (Mozilla's roots and `--ca-cert`).
//!
//! Both engines return the same [`Fetched`](shootout_core::Fetched) for any HTTP response and
//! the same typed [`FetchError`](shootout_core::FetchError) otherwise. Both follow redirects,
//! space requests to a host and pick a proxy by the same rules
//! ([`shootout_core::net`]), and neither decompresses bodies, so `status` and `size` mean the
//! same thing in every record. Neither reads proxies from the environment: only `--proxy`.

#[cfg(feature = "blocking")]
pub mod blocking;

pub mod tls;

#[cfg(feature = "async")]
pub mod adapters;
#[cfg(feature = "compio")]
pub mod completion;
#[cfg(feature = "async")]
pub mod engine;
