//! The three runtimes plugged into the async engine. Each is a TCP connect, a detached spawn
//! and a sleep, and each runtime's own way of handing a plain connection to hyper: that is all
//! that differs between them as far as HTTP is concerned. TLS is the engine's, the same for
//! all three.

#[cfg(any(feature = "smol", feature = "async-std"))]
use std::future::Future;
#[cfg(any(feature = "smol", feature = "async-std", feature = "tokio"))]
use std::{io, pin::Pin, time::Duration};

#[cfg(any(feature = "smol", feature = "async-std", feature = "tokio"))]
use crate::engine::Runtime;

/// tokio: its own `TcpStream`, into hyper through hyper-util's `TokioIo` for plain http, and
/// through tokio-util's `futures-io` compatibility layer for TLS (the engine's TLS layer is
/// the same for every runtime). Spawned on a runtime handle.
#[cfg(feature = "tokio")]
#[derive(Clone, Debug)]
pub struct TokioRuntime {
    handle: tokio::runtime::Handle,
}

#[cfg(feature = "tokio")]
impl TokioRuntime {
    /// Spawns connection tasks onto the runtime behind `handle`.
    pub fn new(handle: tokio::runtime::Handle) -> Self {
        TokioRuntime { handle }
    }
}

#[cfg(feature = "tokio")]
impl Runtime for TokioRuntime {
    type Stream = tokio_util::compat::Compat<tokio::net::TcpStream>;
    type Io = hyper_util::rt::TokioIo<tokio::net::TcpStream>;

    fn plain(stream: Self::Stream) -> Self::Io {
        hyper_util::rt::TokioIo::new(stream.into_inner())
    }

    async fn connect(&self, host: &str, port: u16) -> io::Result<Self::Stream> {
        use tokio_util::compat::TokioAsyncReadCompatExt;
        let stream = tokio::net::TcpStream::connect((host, port)).await?;
        stream.set_nodelay(true)?;
        Ok(stream.compat())
    }

    fn spawn_detached(
        &self,
        task: Pin<Box<dyn std::future::Future<Output = ()> + Send + 'static>>,
    ) {
        // Dropping a tokio JoinHandle detaches the task.
        drop(self.handle.spawn(task));
    }

    async fn sleep(&self, duration: Duration) {
        tokio::time::sleep(duration).await;
    }
}

/// smol: `smol::net::TcpStream` (already a `futures-io` stream), spawned on our own executor
/// (not smol's global one, which would run on a single thread).
#[cfg(feature = "smol")]
#[derive(Clone, Debug)]
pub struct SmolRuntime {
    executor: std::sync::Arc<smol::Executor<'static>>,
}

#[cfg(feature = "smol")]
impl SmolRuntime {
    /// Spawns connection tasks onto `executor`.
    pub fn new(executor: std::sync::Arc<smol::Executor<'static>>) -> Self {
        SmolRuntime { executor }
    }
}

#[cfg(feature = "smol")]
impl Runtime for SmolRuntime {
    type Stream = smol::net::TcpStream;
    type Io = smol_hyper::rt::FuturesIo<smol::net::TcpStream>;

    fn plain(stream: Self::Stream) -> Self::Io {
        smol_hyper::rt::FuturesIo::new(stream)
    }

    async fn connect(&self, host: &str, port: u16) -> io::Result<Self::Stream> {
        let stream = smol::net::TcpStream::connect((host, port)).await?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    fn spawn_detached(&self, task: Pin<Box<dyn Future<Output = ()> + Send + 'static>>) {
        // A smol Task cancels its future when dropped, so detach it explicitly.
        self.executor.spawn(task).detach();
    }

    async fn sleep(&self, duration: Duration) {
        smol::Timer::after(duration).await;
    }
}

/// async-std: `async_std::net::TcpStream` (a `futures-io` stream, as smol's), spawned on
/// async-std's global executor.
#[cfg(feature = "async-std")]
#[derive(Clone, Copy, Debug, Default)]
pub struct AsyncStdRuntime;

#[cfg(feature = "async-std")]
impl Runtime for AsyncStdRuntime {
    type Stream = async_std::net::TcpStream;
    type Io = smol_hyper::rt::FuturesIo<async_std::net::TcpStream>;

    fn plain(stream: Self::Stream) -> Self::Io {
        smol_hyper::rt::FuturesIo::new(stream)
    }

    async fn connect(&self, host: &str, port: u16) -> io::Result<Self::Stream> {
        let stream = async_std::net::TcpStream::connect((host, port)).await?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    fn spawn_detached(&self, task: Pin<Box<dyn Future<Output = ()> + Send + 'static>>) {
        // Dropping an async-std JoinHandle detaches the task.
        drop(async_std::task::spawn(task));
    }

    async fn sleep(&self, duration: Duration) {
        async_std::task::sleep(duration).await;
    }
}
