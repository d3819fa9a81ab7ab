//! Async cleanup: `Drop` cannot `.await`, so a resource that must say goodbye over the network
//! gets an explicit `async fn close`, and `Drop` only covers the case where nobody called it.
//!
//! Mirrors `async with session:` and `await writer.aclose()`. Python's `__aexit__` is itself a
//! coroutine, so cleanup can await. Rust's `Drop::drop` is a plain function that runs wherever
//! the value goes out of scope, possibly in the middle of an executor's work, so it must not
//! block or await. The common shape: an `async fn close(self)` that does the awaiting and
//! consumes the value (so it cannot be used after), and a `Drop` that, if `close` was never
//! called, does what it can without waiting (here it hands the flush to a spawned task, and
//! says so).
//!
//! Run with: `cargo run --release -p shootout-tokio --example cleanup`
//!
//! You should see: the `orders` log, closed, flushes its 3 lines before `close` returns; the
//! `clicks` log, dropped, warns and flushes its 2 lines from a background task, after the
//! scope it lived in ended.

use std::time::Duration;

use tokio::sync::mpsc;

/// A buffered log that must be flushed, slowly, over "the network" (a channel and a sleep).
struct RemoteLog {
    name: &'static str,
    pending: Vec<String>,
    wire: mpsc::UnboundedSender<String>,
}

impl RemoteLog {
    fn write(&mut self, line: &str) {
        self.pending.push(format!("{}: {line}", self.name));
    }

    /// The real cleanup: awaits until every line is sent. Takes `self`, so the log cannot be
    /// written to after closing, and `Drop` then finds nothing left to do.
    async fn close(mut self) {
        flush(std::mem::take(&mut self.pending), self.wire.clone()).await;
    }
}

impl Drop for RemoteLog {
    fn drop(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        // No `.await` here: hand the flush to a task and return at once.
        println!(
            "  warning: {} dropped with {} unflushed lines; flushing in the background",
            self.name,
            self.pending.len()
        );
        let lines = std::mem::take(&mut self.pending);
        tokio::spawn(flush(lines, self.wire.clone()));
    }
}

async fn flush(lines: Vec<String>, wire: mpsc::UnboundedSender<String>) {
    for line in lines {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let _ = wire.send(line);
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (wire, mut received) = mpsc::unbounded_channel();

    let mut orders = RemoteLog {
        name: "orders",
        pending: Vec::new(),
        wire: wire.clone(),
    };
    for line in ["one", "two", "three"] {
        orders.write(line);
    }
    orders.close().await;
    println!("orders: close() returned; lines received so far:");
    while let Ok(line) = received.try_recv() {
        println!("  {line}");
    }

    {
        let mut clicks = RemoteLog {
            name: "clicks",
            pending: Vec::new(),
            wire: wire.clone(),
        };
        clicks.write("four");
        clicks.write("five");
        println!("clicks: leaving its scope without close()");
    }
    drop(wire);
    println!("lines received after the scope ended:");
    while let Some(line) = received.recv().await {
        println!("  {line}");
    }
    Ok(())
}
