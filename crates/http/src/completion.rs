//! hyper over a completion reactor: the owned-buffer adapter compio's TCP stream needs.
//!
//! # Why an adapter at all
//!
//! hyper reads by *lending* a buffer: `poll_read(cx, buf)` says "put bytes here, now, or tell
//! me you will be ready later". A readiness reactor (epoll) fits that exactly: it waits until
//! the socket is readable, then `read(2)` copies the bytes into the lent buffer during the
//! call, and the loan ends when the call returns.
//!
//! A completion reactor (io_uring) cannot take a loan. The read is *submitted* with its
//! buffer, and the kernel writes into that buffer whenever the bytes arrive, long after
//! `poll_read` has returned and hyper may have moved or freed its buffer. So the buffer must
//! belong to the operation for as long as it is in flight: compio's `read` takes a `Vec<u8>`
//! by value and gives it back with the result (`BufResult`). That is the whole difference,
//! and it costs one copy: the kernel fills our owned buffer, and we copy from it into
//! hyper's.
//!
//! # What this adapter does, and does not do
//!
//! - One owned read buffer per connection, reused for every read, and sized to what hyper
//!   asks for (its buffer starts at 8 KiB and grows when a read fills it), so each read op is
//!   the size of the `read(2)` tokio would make in its place.
//! - Bytes are copied into hyper's buffer with `put_slice`, which writes into its
//!   uninitialised memory directly. The generic path (compio's `futures-io` compatibility
//!   layer under smol-hyper's `FuturesIo`, the way cyper-core goes) first zero-fills the
//!   whole of hyper's free buffer on every read, because `futures-io` lends `&mut [u8]`, which
//!   must be initialised. [`CompatStream`] is that path, kept so the two can be measured side
//!   by side (benches/adapter.rs, docs/results.md).
//! - Writes are copied into an owned write buffer and submitted at once; `poll_write` then
//!   reports them written, and `poll_flush` waits for the kernel to finish them (like a
//!   `BufWriter`: an error shows at the flush).
//!
//! # Send, on a runtime that never moves a task
//!
//! A compio stream is tied to the runtime of the thread that opened it (its ops live in that
//! thread's ring), so it is not `Send`. The engine and hyper ask for `Send` because a
//! work-stealing runtime may move a task. On a thread-per-core runtime no task ever moves, so
//! the stream is wrapped in a `SendWrapper`, which checks on every use that it is still on
//! the thread it was made on, and panics rather than race if it is not.

use std::future::Future;
use std::io;
use std::mem;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use compio::BufResult;
use compio::io::{AsyncRead as _, AsyncWrite as _, AsyncWriteExt as _};
use compio::net::TcpStream;
use compio_send_wrapper::SendWrapper;

/// A kernel operation in flight, with the buffer it owns until it completes.
type Op<T> = Pin<Box<dyn Future<Output = T>>>;

/// A compio TCP stream as hyper (`hyper::rt::Read`/`Write`) and futures-rustls
/// (`futures_io::AsyncRead`/`AsyncWrite`) want it: over owned buffers, one copy on the way
/// in, no zero-fill. See the module docs.
pub struct OwnedBufStream(SendWrapper<Owned>);

struct Owned {
    stream: TcpStream,
    read: Reading,
    write: Writing,
}

enum Reading {
    /// The buffer is ours: `buf[at..]` arrived and is not yet handed on.
    Idle { buf: Vec<u8>, at: usize },
    /// The kernel owns the buffer until the read completes.
    InFlight(Op<BufResult<usize, Vec<u8>>>),
    /// The peer closed its side: every later read returns 0 bytes.
    Eof,
}

enum Writing {
    Idle(Vec<u8>),
    InFlight(Op<BufResult<(), Vec<u8>>>),
    ShuttingDown(Op<io::Result<()>>),
    /// Shut down: writes fail, and a flush has nothing to wait for.
    Closed,
}

impl OwnedBufStream {
    /// Wraps a connected stream. Must be called on the thread whose runtime opened it.
    pub fn new(stream: TcpStream) -> Self {
        OwnedBufStream(SendWrapper::new(Owned {
            stream,
            read: Reading::Idle {
                buf: Vec::new(),
                at: 0,
            },
            write: Writing::Idle(Vec::new()),
        }))
    }

    fn owned(&mut self) -> &mut Owned {
        // The thread check; see the module docs.
        self.0
            .get_mut()
            .expect("a compio stream is used only on the thread that opened it")
    }
}

impl Owned {
    /// Makes unread bytes available, starting a read of up to `want` bytes if there are none.
    /// Ready with the unread bytes (none at the end of the stream).
    fn poll_fill(&mut self, cx: &mut Context<'_>, want: usize) -> Poll<io::Result<&[u8]>> {
        loop {
            match &mut self.read {
                Reading::Idle { buf, at } if *at < buf.len() => break,
                Reading::Eof => return Poll::Ready(Ok(&[])),
                Reading::Idle { buf, .. } => {
                    let mut buf = mem::take(buf);
                    // The read fills the buffer from its start, up to its capacity, and only
                    // ever raises its length: empty it first, or old bytes past the new ones
                    // would count as read. Ask for as much as the reader lent us room for, as
                    // a direct read(2) would.
                    buf.clear();
                    if buf.capacity() < want {
                        buf = Vec::with_capacity(want);
                    }
                    // The op owns a handle to the socket (a cheap shared fd) and the buffer,
                    // so it can outlive this call, as the kernel requires.
                    let mut stream = self.stream.clone();
                    self.read = Reading::InFlight(Box::pin(async move { stream.read(buf).await }));
                }
                Reading::InFlight(op) => {
                    let BufResult(done, buf) = ready!(op.as_mut().poll(cx));
                    match done {
                        Ok(0) => self.read = Reading::Eof,
                        Ok(_) => self.read = Reading::Idle { buf, at: 0 },
                        Err(e) => {
                            self.read = Reading::Idle { buf, at: 0 };
                            return Poll::Ready(Err(e));
                        }
                    }
                }
            }
        }
        match &self.read {
            Reading::Idle { buf, at } => Poll::Ready(Ok(&buf[*at..])),
            _ => unreachable!("the loop breaks only with unread bytes in hand"),
        }
    }

    /// Marks `n` of the unread bytes as handed on.
    fn consume(&mut self, n: usize) {
        if let Reading::Idle { at, .. } = &mut self.read {
            *at += n;
        }
    }

    /// Waits for the write in flight, if any, to finish.
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.write {
            Writing::Idle(_) => Poll::Ready(Ok(())),
            Writing::InFlight(op) => {
                let BufResult(done, buf) = ready!(op.as_mut().poll(cx));
                self.write = Writing::Idle(buf);
                Poll::Ready(done)
            }
            Writing::ShuttingDown(op) => {
                let done = ready!(op.as_mut().poll(cx));
                // A completed future must not be polled again: hyper may ask twice.
                self.write = Writing::Closed;
                Poll::Ready(done)
            }
            Writing::Closed => Poll::Ready(Ok(())),
        }
    }

    /// Copies `data` into the owned write buffer and submits it; see the module docs.
    fn poll_write(&mut self, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        ready!(self.poll_flush(cx))?;
        let Writing::Idle(buf) = &mut self.write else {
            return Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()));
        };
        let mut buf = mem::take(buf);
        buf.clear();
        buf.extend_from_slice(data);
        let mut stream = self.stream.clone();
        self.write = Writing::InFlight(Box::pin(async move { stream.write_all(buf).await }));
        // Poll once so the op is submitted now, not at the flush.
        match self.poll_flush(cx) {
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Ready(Ok(())) | Poll::Pending => Poll::Ready(Ok(data.len())),
        }
    }

    fn poll_shutdown(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if matches!(self.write, Writing::Closed) {
            return Poll::Ready(Ok(()));
        }
        if !matches!(self.write, Writing::ShuttingDown(_)) {
            ready!(self.poll_flush(cx))?;
            let mut stream = self.stream.clone();
            self.write = Writing::ShuttingDown(Box::pin(async move { stream.shutdown().await }));
        }
        self.poll_flush(cx)
    }
}

impl hyper::rt::Read for OwnedBufStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        let owned = self.owned();
        let unread = ready!(owned.poll_fill(cx, buf.remaining()))?;
        let n = unread.len().min(buf.remaining());
        // The one copy: from the buffer the kernel filled into hyper's, uninitialised memory
        // included, without zeroing it first.
        buf.put_slice(&unread[..n]);
        owned.consume(n);
        Poll::Ready(Ok(()))
    }
}

impl hyper::rt::Write for OwnedBufStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.owned().poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.owned().poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.owned().poll_shutdown(cx)
    }
}

impl futures_io::AsyncRead for OwnedBufStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let owned = self.owned();
        let unread = ready!(owned.poll_fill(cx, buf.len()))?;
        let n = unread.len().min(buf.len());
        buf[..n].copy_from_slice(&unread[..n]);
        owned.consume(n);
        Poll::Ready(Ok(n))
    }
}

impl futures_io::AsyncWrite for OwnedBufStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.owned().poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.owned().poll_flush(cx)
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.owned().poll_shutdown(cx)
    }
}

/// The generic path, for comparison: compio's own `futures-io` compatibility layer
/// (`compio::io::compat::AsyncStream`, which boxes a future per read and copies from its
/// buffer), under smol-hyper's `FuturesIo`, which zero-fills hyper's free buffer before every
/// read. This is the path cyper-core takes. Only the adapter bench uses it.
pub struct CompatStream(SendWrapper<Pin<Box<compio::io::compat::AsyncStream<TcpStream>>>>);

impl CompatStream {
    /// Wraps a connected stream. Must be called on the thread whose runtime opened it.
    pub fn new(stream: TcpStream) -> Self {
        CompatStream(SendWrapper::new(Box::pin(
            compio::io::compat::AsyncStream::new(stream),
        )))
    }

    fn inner(&mut self) -> Pin<&mut compio::io::compat::AsyncStream<TcpStream>> {
        self.0
            .get_mut()
            .expect("a compio stream is used only on the thread that opened it")
            .as_mut()
    }
}

impl futures_io::AsyncRead for CompatStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        futures_io::AsyncRead::poll_read(self.inner(), cx, buf)
    }
}

impl futures_io::AsyncWrite for CompatStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        futures_io::AsyncWrite::poll_write(self.inner(), cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        futures_io::AsyncWrite::poll_flush(self.inner(), cx)
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        futures_io::AsyncWrite::poll_close(self.inner(), cx)
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::time::Duration;

    use futures_lite::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    /// A peer that sends `chunks` with a pause between them (so each arrives as its own
    /// read), then reads until the client shuts its side down, and answers "bye".
    fn peer(chunks: Vec<Vec<u8>>) -> (std::net::SocketAddr, std::thread::JoinHandle<Vec<u8>>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("address");
        let served = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().expect("accept");
            for c in chunks {
                s.write_all(&c).expect("write");
                std::thread::sleep(Duration::from_millis(30));
            }
            let mut got = Vec::new();
            s.read_to_end(&mut got).expect("read");
            s.write_all(b"bye").expect("write");
            got
        });
        (addr, served)
    }

    #[test]
    fn a_short_read_after_a_long_one_yields_only_its_own_bytes() {
        // Long, short, long: a reused buffer must not hand on the tail of the first read.
        let chunks = vec![vec![b'a'; 6000], vec![b'b'; 100], vec![b'c'; 3000]];
        let want: Vec<u8> = chunks.concat();
        let (addr, served) = peer(chunks);
        let rt = compio::runtime::Runtime::new().expect("runtime");
        let expected = want.len();
        let (got, bye) = rt.block_on(async move {
            let tcp = compio::net::TcpStream::connect(addr)
                .await
                .expect("connect");
            let mut s = OwnedBufStream::new(tcp);
            let mut got = Vec::new();
            // Reads of 1,000 bytes at most, as a TLS layer makes: each completed read is
            // handed on in parts.
            let mut buf = [0u8; 1000];
            while got.len() < expected {
                let n = s.read(&mut buf).await.expect("read");
                assert!(n > 0, "early end after {} bytes", got.len());
                got.extend_from_slice(&buf[..n]);
            }
            s.write_all(b"hello").await.expect("write");
            s.close().await.expect("close");
            // A second close is a no-op, not a resumed future.
            s.close().await.expect("close again");
            let mut bye = Vec::new();
            s.read_to_end(&mut bye).await.expect("read to the end");
            (got, bye)
        });
        assert_eq!(got, want);
        assert_eq!(bye, b"bye");
        assert_eq!(served.join().expect("peer"), b"hello");
    }
}
