//! The runtimes plugged into the async engine. Each is a TCP connect, a detached spawn and a
//! sleep, and each runtime's own way of handing a plain connection to hyper: that is all that
//! differs between them as far as HTTP is concerned. TLS is the engine's, the same for all.
//!
//! tokio, smol and async-std sit on a readiness reactor (epoll), and their streams go to hyper
//! as they are. compio sits on a completion reactor (io_uring), whose reads own their buffers:
//! its stream goes through the owned-buffer adapter in [`crate::completion`].

#[cfg(any(feature = "smol", feature = "async-std"))]
use std::future::Future;
#[cfg(any(
    feature = "smol",
    feature = "async-std",
    feature = "tokio",
    feature = "compio"
))]
use std::{io, pin::Pin, time::Duration};

#[cfg(any(
    feature = "smol",
    feature = "async-std",
    feature = "tokio",
    feature = "compio"
))]
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

/// compio, one runtime per thread: its `TcpStream` through the owned-buffer adapter
/// ([`crate::completion::OwnedBufStream`]), and connection tasks spawned on the runtime of
/// the thread that opened the connection, where they stay. A client over it belongs to one
/// thread (one core) and is used only there.
#[cfg(feature = "compio")]
#[derive(Clone, Copy, Debug, Default)]
pub struct CompioRuntime;

/// compio through its generic `futures-io` layer instead
/// ([`crate::completion::CompatStream`]): the path cyper-core takes, with a zero-fill and a
/// boxed future per read. Only for measuring what [`CompioRuntime`]'s adapter saves.
#[cfg(feature = "compio")]
#[derive(Clone, Copy, Debug, Default)]
pub struct CompioCompatRuntime;

/// Opens a compio TCP connection with Nagle off, on this thread's runtime.
#[cfg(feature = "compio")]
async fn compio_connect(host: String, port: u16) -> io::Result<compio::net::TcpStream> {
    let stream = compio::net::TcpStream::connect((host.as_str(), port)).await?;
    stream.set_nodelay(true)?;
    Ok(stream)
}

#[cfg(feature = "compio")]
impl Runtime for CompioRuntime {
    type Stream = crate::completion::OwnedBufStream;
    // The same adapter serves hyper directly: it copies into hyper's buffer without zeroing.
    type Io = crate::completion::OwnedBufStream;

    fn plain(stream: Self::Stream) -> Self::Io {
        stream
    }

    fn connect(
        &self,
        host: &str,
        port: u16,
    ) -> impl std::future::Future<Output = io::Result<Self::Stream>> + Send {
        // The connect op lives in this thread's ring, so its future is not Send; it is
        // created, polled and dropped on this thread (see crate::completion).
        compio_send_wrapper::SendWrapper::new(async move {
            compio_connect(host.to_owned(), port)
                .await
                .map(crate::completion::OwnedBufStream::new)
        })
    }

    fn spawn_detached(
        &self,
        task: Pin<Box<dyn std::future::Future<Output = ()> + Send + 'static>>,
    ) {
        // On the current thread's runtime: the connection's ops are in this thread's ring.
        compio::runtime::spawn(task).detach();
    }

    fn sleep(&self, duration: Duration) -> impl std::future::Future<Output = ()> + Send {
        compio_send_wrapper::SendWrapper::new(compio::time::sleep(duration))
    }
}

#[cfg(feature = "compio")]
impl Runtime for CompioCompatRuntime {
    type Stream = crate::completion::CompatStream;
    type Io = smol_hyper::rt::FuturesIo<crate::completion::CompatStream>;

    fn plain(stream: Self::Stream) -> Self::Io {
        smol_hyper::rt::FuturesIo::new(stream)
    }

    fn connect(
        &self,
        host: &str,
        port: u16,
    ) -> impl std::future::Future<Output = io::Result<Self::Stream>> + Send {
        compio_send_wrapper::SendWrapper::new(async move {
            compio_connect(host.to_owned(), port)
                .await
                .map(crate::completion::CompatStream::new)
        })
    }

    fn spawn_detached(
        &self,
        task: Pin<Box<dyn std::future::Future<Output = ()> + Send + 'static>>,
    ) {
        compio::runtime::spawn(task).detach();
    }

    fn sleep(&self, duration: Duration) -> impl std::future::Future<Output = ()> + Send {
        compio_send_wrapper::SendWrapper::new(compio::time::sleep(duration))
    }
}
