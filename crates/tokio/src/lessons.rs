//! Mistakes from the asyncio articles that Rust rejects before anything runs.
//!
//! Each block below is a doctest that must *fail* to compile (`cargo test -p shootout-tokio
//! --doc` runs them): if Rust ever accepted one, the test would fail. The examples next to
//! this crate show the mistakes that do compile and go wrong at run time:
//! `examples/sync_async.rs` (a nested `block_on`) and `examples/never_yields.rs` (a task that
//! never reaches an `.await`).
//!
//! # `.await` outside an async function (E0728)
//!
//! Python's `await` in a plain `def` is a `SyntaxError`; Rust's is error E0728, "`await` is
//! only allowed inside `async` functions and blocks".
//!
//! ```compile_fail,E0728
//! async fn download() -> usize {
//!     42
//! }
//!
//! fn main() {
//!     let size = download().await;
//!     println!("{size}");
//! }
//! ```
//!
//! The fix is to make the caller `async` and await it from there, or, at the edge between
//! sync and async code, to run the future to completion with `Runtime::block_on` (asyncio's
//! `asyncio.run`), as `examples/sync_async.rs` does.
//!
//! # A forgotten `.await`
//!
//! In Python, `save()` without `await` creates a coroutine object that never runs, and you
//! learn it from a `RuntimeWarning: coroutine 'save' was never awaited` at run time, if at all.
//! Rust futures are `#[must_use]`: the compiler warns that "futures do nothing unless you
//! `.await` or poll them". This crate denies that warning to show it; in your own code, keep
//! warnings visible, or deny them in CI as this project does (`clippy -D warnings`).
//!
//! ```compile_fail
//! #![deny(unused_must_use)]
//!
//! async fn save() {}
//!
//! async fn handler() {
//!     save(); // builds the future and drops it: nothing is saved
//! }
//!
//! fn main() {}
//! ```
//!
//! # Sharing a non-`Send` value across an `.await` on a multi-thread runtime
//!
//! A task on tokio's multi-thread runtime may resume on another thread after any `.await`, so
//! everything it holds across one must be `Send`. asyncio never moves a task between threads,
//! so Python has no such rule; Rust checks it at compile time. An `Rc` is not `Send`:
//!
//! ```compile_fail
//! use std::rc::Rc;
//!
//! #[tokio::main]
//! async fn main() {
//!     tokio::spawn(async {
//!         let shared = Rc::new(1);
//!         tokio::task::yield_now().await;
//!         println!("{shared}");
//!     });
//! }
//! ```
//!
//! Use an `Arc`, or keep the `Rc` out of the `.await`'s way (drop it before), or run the task
//! with `tokio::task::spawn_local` on a `LocalSet`.
