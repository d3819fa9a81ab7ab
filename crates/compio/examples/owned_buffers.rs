//! Why a completion reactor takes your buffer, and hands it back with the result.
//!
//! Python's `await reader.read(n)` (asyncio streams) returns a new `bytes`: the loop waited
//! until the socket was readable, then copied what was there. A readiness runtime in Rust
//! does the same with a *lent* buffer: `read(&mut buf)` copies into `buf` during the call, and
//! the loan ends when the call returns.
//!
//! io_uring works the other way round. The read is submitted with the address of a buffer,
//! and the kernel writes into it whenever the bytes arrive, maybe long after the call that
//! submitted it returned. If that buffer were only lent (`&mut [u8]`), the future holding the
//! loan could be dropped (a timeout, a cancelled task) and the memory reused, while the kernel
//! still had the address: a write into freed memory. So compio's `read` takes the buffer *by
//! value* and gives it back in a `BufResult(result, buffer)`. A dropped read keeps its buffer
//! alive until the kernel confirms the cancel.
//!
//! This example makes one raw HTTP exchange on compio, then shows a read abandoned by a
//! timeout, then what hyper (which lends `&mut [u8]`) costs on top: one copy per read, in
//! `shootout_http::completion`.
//!
//! Run with: `cargo run --release -p shootout-compio --example owned_buffers`
//!
//! You should see: the request's buffer come back after the write; the response read into a
//! 16 KiB buffer that comes back holding it (same address, length = bytes read); a read of a
//! slow page given up after 0.2 s; and a page fetched through hyper with its one copy.

use std::time::{Duration, Instant};

use compio::BufResult;
use compio::io::{AsyncRead, AsyncWriteExt};
use compio::net::TcpStream;
use shootout_core::Knobs;
use shootout_http::adapters::CompioRuntime;
use shootout_http::engine::AsyncClient;
use shootout_site::{Server, ServerConfig};

fn main() -> anyhow::Result<()> {
    let server = Server::start(ServerConfig::default())?;
    let addr = format!("127.0.0.1:{}", server.base_url().port().unwrap_or(80));
    let runtime = compio::runtime::Runtime::new()?;
    println!("driver: {:?}", runtime.driver_type());
    runtime.block_on(async {
        let mut stream = TcpStream::connect(addr.as_str()).await?;

        // The request goes in by value; the write hands the Vec back when the kernel is done.
        let request = b"GET /page/0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec();
        let BufResult(sent, request) = stream.write_all(request).await;
        sent?;
        println!(
            "wrote {} bytes, and got the buffer back to reuse",
            request.len()
        );

        // The response lands in a buffer the kernel owned while the read was in flight.
        let buffer = Vec::with_capacity(16 * 1024);
        let before = buffer.as_ptr();
        let BufResult(read, buffer) = stream.read(buffer).await;
        let n = read?;
        println!(
            "read {n} bytes into the same 16 KiB buffer (same address: {}), len now {}: {:?}…",
            std::ptr::eq(before, buffer.as_ptr()),
            buffer.len(),
            String::from_utf8_lossy(&buffer[..buffer.len().min(15)])
        );

        // A read that never finishes in time: the future is dropped, and with it our claim on
        // the buffer. compio cancels the operation and frees the buffer only after the
        // kernel has let go of it, which a lent &mut [u8] could not guarantee.
        let mut slow = TcpStream::connect(addr.as_str()).await?;
        let BufResult(sent, _) = slow
            .write_all(b"GET /delay/2000 HTTP/1.1\r\nHost: x\r\n\r\n".to_vec())
            .await;
        sent?;
        let start = Instant::now();
        let gave_up = compio::time::timeout(
            Duration::from_millis(200),
            slow.read(Vec::with_capacity(4096)),
        )
        .await
        .is_err();
        println!(
            "slow read: gave up = {gave_up} after {:.2} s; its buffer went with the cancelled \
             operation",
            start.elapsed().as_secs_f64()
        );

        // hyper reads by lending its own buffer, so the adapter reads into an owned one and
        // copies: one copy of every byte received, and nothing zero-filled first.
        let client = AsyncClient::new(CompioRuntime, &Knobs::default());
        let page = client.get(&server.base_url().join("/page/1")?).await?;
        println!(
            "through hyper: {} body bytes, each copied once from the kernel's buffer into hyper's",
            page.body.len()
        );
        anyhow::Ok(())
    })
}
