//! The async engine: hyper 1.x's client connection API, written once, generic over the runtime.
//!
//! hyper's `client::conn::http1` gives a bare connection: a `SendRequest` handle and a
//! `Connection` future that must be polled for anything to move. Everything else (where the
//! TCP stream comes from, who polls the connection, what a timer is) is the runtime's, and
//! comes in through the [`Runtime`] trait. So tokio, async-std and smol run *this* code, and
//! the runtime is the only variable between them.
//!
//! The engine adds what a crawler needs on top of a bare connection:
//! - a keep-alive pool: finished connections go back to an idle list and are reused;
//! - a cap of C requests in flight (an async semaphore), so even a contestant that spawns a
//!   task per URL never has more than C requests on the wire;
//! - one deadline per request, covering connect, headers and body;
//! - a body cap, checked as bytes arrive.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use async_lock::Semaphore;
use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Empty};
use hyper::body::Body as _;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{CONTENT_TYPE, HOST, HeaderValue, USER_AGENT};
use hyper::{Request, Response};
use shootout_core::{FetchError, Fetched, Knobs};
use url::Url;

/// What the engine needs from an async runtime: a TCP stream, a way to run the connection
/// future in the background, and a timer. Implemented in [`crate::adapters`].
pub trait Runtime: Send + Sync + 'static {
    /// The runtime's TCP stream, wrapped in hyper's I/O traits.
    type Io: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static;

    /// Opens a TCP connection (resolving `host` if needed), with Nagle off.
    fn connect(&self, host: &str, port: u16) -> impl Future<Output = io::Result<Self::Io>> + Send;

    /// Runs `task` in the background on this runtime (used to drive each connection).
    fn spawn_detached(&self, task: Pin<Box<dyn Future<Output = ()> + Send + 'static>>);

    /// Completes after `duration`, on this runtime's timer.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;
}

type Sender = SendRequest<Empty<Bytes>>;

/// Sent with every request; a static value, so no request copies or checks it.
const USER_AGENT_VALUE: &str = concat!("shootout/", env!("CARGO_PKG_VERSION"));

/// An HTTP/1.1 client for one runtime. Share it between tasks with an `Arc`.
pub struct AsyncClient<R: Runtime> {
    runtime: R,
    // A std Mutex, not an async one: it is held only to push or pop a handle, never across
    // an `.await`, so it cannot block the executor for longer than that.
    idle: Mutex<HashMap<(String, u16), Vec<Sender>>>,
    in_flight: Semaphore,
    max_idle: usize,
    timeout: Duration,
    max_body: usize,
}

impl<R: Runtime> AsyncClient<R> {
    /// A client with the knobs' concurrency C, timeout and body cap.
    pub fn new(runtime: R, knobs: &Knobs) -> Self {
        AsyncClient {
            runtime,
            idle: Mutex::new(HashMap::new()),
            in_flight: Semaphore::new(knobs.concurrency.max(1)),
            // At most C requests run at once, so C idle connections cover every reuse.
            max_idle: knobs.concurrency.max(1),
            timeout: knobs.timeout(),
            max_body: knobs.max_body,
        }
    }

    /// GETs `url` and reads the whole body. Waits for a free slot if C requests are in flight.
    pub async fn get(&self, url: &Url) -> Result<Fetched, FetchError> {
        let _slot = self.in_flight.acquire().await;
        let deadline = async {
            self.runtime.sleep(self.timeout).await;
            Err(FetchError::Timeout(self.timeout.as_millis() as u64))
        };
        // Whichever finishes first wins; the loser is dropped, which closes its connection.
        futures_lite::future::or(self.exchange(url), deadline).await
    }

    async fn exchange(&self, url: &Url) -> Result<Fetched, FetchError> {
        if url.scheme() != "http" {
            return Err(FetchError::Unsupported(format!(
                "{}: this engine speaks plain HTTP only",
                url.scheme()
            )));
        }
        let host = url
            .host_str()
            .ok_or_else(|| FetchError::Url(format!("{url} has no host")))?;
        let port = url.port_or_known_default().unwrap_or(80);
        let key = (host.to_owned(), port);
        let request = || {
            Request::get(&url[url::Position::BeforePath..url::Position::AfterQuery])
                .header(
                    HOST,
                    &url[url::Position::BeforeHost..url::Position::AfterPort],
                )
                .header(USER_AGENT, HeaderValue::from_static(USER_AGENT_VALUE))
                .body(Empty::<Bytes>::new())
                .map_err(|e| FetchError::Url(e.to_string()))
        };

        // A pooled connection may have been closed by the server while idle; that is only
        // discovered on use, so a failed reused connection is retried once on a fresh one.
        let (mut sender, response) = match self.checkout(&key) {
            Some(mut s) => match s.send_request(request()?).await {
                Ok(r) => (s, r),
                Err(_) => self.send_fresh(host, port, request()?).await?,
            },
            None => self.send_fresh(host, port, request()?).await?,
        };

        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = self.read_body(response.into_body()).await?;
        // The body is fully read, so the connection is free for the next request.
        if sender.ready().await.is_ok() {
            self.checkin(key, sender);
        }
        Ok(Fetched {
            status,
            content_type,
            body,
        })
    }

    /// Reads a whole body, refusing it as soon as it is known to be over the cap.
    ///
    /// A body that arrives as one frame (the usual case on a fast link: hyper reads the whole
    /// response at once) is handed over as it is, without a copy. Otherwise the frames are
    /// joined into one buffer sized from Content-Length up front, so a large page is held once
    /// (collecting the frames, then joining them, would hold it twice).
    async fn read_body(&self, mut body: hyper::body::Incoming) -> Result<Bytes, FetchError> {
        let declared = body.size_hint().exact().unwrap_or(0);
        if declared > self.max_body as u64 {
            return Err(FetchError::TooLarge(self.max_body));
        }
        let mut first: Option<Bytes> = None;
        let mut joined = BytesMut::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| FetchError::Protocol(e.to_string()))?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            let so_far = first.as_ref().map_or(0, Bytes::len) + joined.len();
            if so_far + data.len() > self.max_body {
                return Err(FetchError::TooLarge(self.max_body));
            }
            match first.take() {
                None if joined.is_empty() => first = Some(data),
                earlier => {
                    if joined.is_empty() {
                        joined.reserve((declared as usize).max(so_far + data.len()));
                    }
                    if let Some(earlier) = earlier {
                        joined.extend_from_slice(&earlier);
                    }
                    joined.extend_from_slice(&data);
                }
            }
        }
        Ok(first.unwrap_or_else(|| joined.freeze()))
    }

    async fn send_fresh(
        &self,
        host: &str,
        port: u16,
        request: Request<Empty<Bytes>>,
    ) -> Result<(Sender, Response<hyper::body::Incoming>), FetchError> {
        // An IPv6 literal is written `[::1]` in a URL, but no resolver accepts the brackets.
        let address = host.trim_start_matches('[').trim_end_matches(']');
        let io = self
            .runtime
            .connect(address, port)
            .await
            .map_err(|e| FetchError::Connect(format!("{host}:{port}: {e}")))?;
        let (mut sender, connection) = http1::handshake(io)
            .await
            .map_err(|e| FetchError::Protocol(e.to_string()))?;
        // The connection future does the actual reading and writing; it must be polled for
        // as long as the connection lives, so it runs as its own task.
        self.runtime.spawn_detached(Box::pin(async move {
            let _ = connection.await;
        }));
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| FetchError::Protocol(e.to_string()))?;
        Ok((sender, response))
    }

    fn checkout(&self, key: &(String, u16)) -> Option<Sender> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let list = idle.get_mut(key)?;
        while let Some(s) = list.pop() {
            if !s.is_closed() {
                return Some(s);
            }
        }
        None
    }

    fn checkin(&self, key: (String, u16), sender: Sender) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let list = idle.entry(key).or_default();
        if list.len() < self.max_idle {
            list.push(sender);
        }
    }
}
