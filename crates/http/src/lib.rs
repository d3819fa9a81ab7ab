//! The HTTP engines, one per family, so that within a family only the concurrency model varies.
//!
//! # Layout
//!
//! - [`blocking`] (feature `blocking`): one `ureq` agent shared by the blocking contestants
//!   (sequential, threads, rayon, crossbeam). Each call blocks its thread until the body is in.
//! - [`engine`] (feature `async`): one hyper 1.x client ([`engine::AsyncClient`]) shared by the
//!   async contestants, generic over a [`engine::Runtime`].
//! - [`adapters`] (features `tokio`, `smol`, `async-std`): each runtime's TCP stream, spawner
//!   and timer, plugged into the engine.
//!
//! Both engines return the same [`Fetched`](shootout_core::Fetched) for any HTTP response and
//! the same typed [`FetchError`](shootout_core::FetchError) otherwise, and neither follows
//! redirects or decompresses bodies, so `status` and `size` mean the same thing in every record.

#[cfg(feature = "blocking")]
pub mod blocking;

#[cfg(feature = "async")]
pub mod adapters;
#[cfg(feature = "async")]
pub mod engine;
