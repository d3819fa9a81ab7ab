//! The HTTP engines, one per family, so that within a family only the concurrency model varies.
//!
//! # Layout
//!
//! - [`blocking`] (feature `blocking`): one [`ureq`] agent shared by the blocking contestants
//!   (sequential, threads, rayon, crossbeam). Each call blocks its thread until the body is in.
//!
//! Both engines return the same [`Fetched`](shootout_core::Fetched) for any HTTP response and
//! the same typed [`FetchError`](shootout_core::FetchError) otherwise, and neither follows
//! redirects or decompresses bodies, so `status` and `size` mean the same thing in every record.

#[cfg(feature = "blocking")]
pub mod blocking;
