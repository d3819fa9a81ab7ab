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
//! - a body cap, checked as bytes arrive;
//! - https: the same rustls layer (futures-rustls) over every runtime's stream;
//! - redirects, per-host delay and proxy, by the rules in [`shootout_core::net`] that the
//!   blocking engine follows too.
//!
//! The pool is ours, not hyper-util's legacy `Client`: that client spawns on tokio's executor
//! and sleeps on tokio's timer, and here the runtime must be the only variable. Ours is the
//! same code over every runtime, an idle list under one lock and at most C connections, which
//! is all a crawl of one host needs; the adapter bench (benches/adapter.rs) and the download
//! next to wrk (docs/results.md) measure the engine as a whole.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use async_lock::Semaphore;
use bytes::{Bytes, BytesMut};
use futures_io::{AsyncRead, AsyncWrite};
use futures_lite::{AsyncReadExt, AsyncWriteExt};
use futures_rustls::TlsConnector;
use futures_rustls::client::TlsStream;
use http_body_util::{BodyExt, Empty};
use hyper::body::Body as _;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{CONTENT_TYPE, HOST, HeaderValue, LOCATION, USER_AGENT};
use hyper::{Request, Response};
use rustls_pki_types::ServerName;
use shootout_core::latency::Span;
use shootout_core::net::{Pacer, Redirects};
use shootout_core::{FetchError, Fetched, Knobs, Net, Scope};
use smol_hyper::rt::FuturesIo;
use url::Url;

/// What the engine needs from an async runtime: a TCP stream, a way to run the connection
/// future in the background, and a timer. Implemented in [`crate::adapters`].
pub trait Runtime: Send + Sync + 'static {
    /// The runtime's TCP stream as a `futures-io` stream: what the TLS layer (futures-rustls,
    /// the same for every runtime) wraps for https.
    type Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static;

    /// The runtime's own way into hyper for plain http.
    type Io: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static;

    /// A plain connection's stream, into hyper by the runtime's own path: tokio's reads
    /// straight into hyper's buffer; a `futures-io` stream (smol, async-std) needs the
    /// buffer zeroed first. That cost is the runtime's I/O model, so it is not hidden.
    fn plain(stream: Self::Stream) -> Self::Io;

    /// Opens a TCP connection (resolving `host` if needed), with Nagle off.
    fn connect(
        &self,
        host: &str,
        port: u16,
    ) -> impl Future<Output = io::Result<Self::Stream>> + Send;

    /// Runs `task` in the background on this runtime (used to drive each connection).
    fn spawn_detached(&self, task: Pin<Box<dyn Future<Output = ()> + Send + 'static>>);

    /// Completes after `duration`, on this runtime's timer.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;
}

type Sender = SendRequest<Empty<Bytes>>;

/// Where pooled connections go: https or not, host and port of the server they lead to.
type PoolKey = (bool, String, u16);

/// An HTTP/1.1 client for one runtime. Share it between tasks with an `Arc`.
pub struct AsyncClient<R: Runtime> {
    runtime: R,
    // A std Mutex, not an async one: it is held only to push or pop a handle, never across
    // an `.await`, so it cannot block the executor for longer than that.
    idle: Mutex<HashMap<PoolKey, Vec<Sender>>>,
    in_flight: Semaphore,
    max_idle: usize,
    timeout: Duration,
    max_body: usize,
    user_agent: HeaderValue,
    max_redirects: usize,
    /// Shared by every client of a run that has several (one per core), so `--delay-ms`
    /// spaces the requests to a host whichever core makes them.
    pacer: Arc<Pacer>,
    proxy: Option<(String, u16)>,
    ca_pem: Option<String>,
    /// Made on the first https connection (see [`crate::tls::client_config`]).
    tls: OnceLock<TlsConnector>,
}

/// One response as the engine reads it: what the record needs, and where a redirect points.
struct Exchange {
    fetched: Fetched,
    location: Option<String>,
}

impl<R: Runtime> AsyncClient<R> {
    /// A client with the knobs' concurrency C, timeout, body cap and network settings.
    pub fn new(runtime: R, knobs: &Knobs) -> Self {
        let pacer = Arc::new(Pacer::new(knobs.net.delay_ms));
        AsyncClient::sharing(runtime, knobs, knobs.concurrency, pacer)
    }

    /// One of several clients that share a run: a thread-per-core runtime has one per core,
    /// each with its own connections. This one has `concurrency` of the run's C (the cores'
    /// shares add up to C), and the `pacer` all of them share.
    pub fn sharing(runtime: R, knobs: &Knobs, concurrency: usize, pacer: Arc<Pacer>) -> Self {
        let net: &Net = &knobs.net;
        AsyncClient {
            runtime,
            idle: Mutex::new(HashMap::new()),
            in_flight: Semaphore::new(concurrency.max(1)),
            // At most C requests run at once, so C idle connections cover every reuse.
            max_idle: concurrency.max(1),
            timeout: knobs.timeout(),
            max_body: knobs.max_body,
            // Checked by `Knobs::validate`; the default is the fallback for one that was not.
            user_agent: HeaderValue::from_str(&net.user_agent)
                .unwrap_or(HeaderValue::from_static(Net::DEFAULT_USER_AGENT)),
            max_redirects: net.max_redirects,
            pacer,
            proxy: net.proxy_address(),
            ca_pem: net.ca_pem.clone(),
            tls: OnceLock::new(),
        }
    }

    /// GETs `url` and reads the whole body, following redirects to any http(s) URL. Waits
    /// for a free slot if C requests are in flight.
    pub async fn get(&self, url: &Url) -> Result<Fetched, FetchError> {
        self.fetch(url, None).await
    }

    /// [`AsyncClient::get`] for a request that fell due at `due` (the open-loop `load`
    /// scenario): its latency is stamped from `due`, and its timeout runs from `due` too, the
    /// wait for a connection slot included, so a request queued past its timeout ends as a
    /// `timeout` then, not a timeout after it was finally sent.
    pub async fn get_due(&self, url: &Url, due: Instant) -> Result<Fetched, FetchError> {
        let left = (due + self.timeout).saturating_duration_since(Instant::now());
        let deadline = async {
            self.runtime.sleep(left).await;
            Err(FetchError::Timeout(self.timeout.as_millis() as u64))
        };
        let mut fetched = futures_lite::future::or(self.fetch(url, None), deadline).await?;
        fetched.span = fetched.span.map(|s| Span { due, body: s.body });
        Ok(fetched)
    }

    /// [`AsyncClient::get`] for a crawl: a redirect out of `scope` is a `redirect` error,
    /// not followed.
    pub async fn get_within(&self, url: &Url, scope: &Scope) -> Result<Fetched, FetchError> {
        self.fetch(url, Some(scope)).await
    }

    async fn fetch(&self, url: &Url, scope: Option<&Scope>) -> Result<Fetched, FetchError> {
        // Taken up now: a wait for a connection slot counts in the request's latency.
        let due = Instant::now();
        let _slot = self.in_flight.acquire().await;
        let mut trail = Redirects::new(url, self.max_redirects, scope);
        loop {
            let wait = self.pacer.reserve(trail.current());
            if !wait.is_zero() {
                self.runtime.sleep(wait).await;
            }
            let deadline = async {
                self.runtime.sleep(self.timeout).await;
                Err(FetchError::Timeout(self.timeout.as_millis() as u64))
            };
            // Whichever finishes first wins; the loser is dropped, which closes its connection.
            let got = futures_lite::future::or(self.exchange(trail.current()), deadline).await?;
            if !trail.next(got.fetched.status, got.location.as_deref())? {
                let mut fetched = got.fetched;
                fetched.final_url = trail.final_url();
                fetched.span = Some(Span::since(due));
                return Ok(fetched);
            }
        }
    }

    async fn exchange(&self, url: &Url) -> Result<Exchange, FetchError> {
        let https = match url.scheme() {
            "http" => false,
            "https" => true,
            other => {
                return Err(FetchError::Unsupported(format!(
                    "{other}: this engine speaks http and https only"
                )));
            }
        };
        let host = url
            .host_str()
            .ok_or_else(|| FetchError::Url(format!("{url} has no host")))?;
        let port = url.port_or_known_default().unwrap_or(80);
        let key = (https, host.to_owned(), port);
        // Through a proxy, plain http asks for the whole URL; https tunnels (CONNECT) and then
        // asks for the path, as without one.
        let target = if self.proxy.is_some() && !https {
            &url[..url::Position::AfterQuery]
        } else {
            &url[url::Position::BeforePath..url::Position::AfterQuery]
        };
        let request = || {
            Request::get(target)
                .header(
                    HOST,
                    &url[url::Position::BeforeHost..url::Position::AfterPort],
                )
                .header(USER_AGENT, self.user_agent.clone())
                .body(Empty::<Bytes>::new())
                .map_err(|e| FetchError::Url(e.to_string()))
        };

        // A pooled connection may have been closed by the server while idle; that is only
        // discovered on use, so a failed reused connection is retried once on a fresh one.
        let (mut sender, response) = match self.checkout(&key) {
            Some(mut s) => match s.send_request(request()?).await {
                Ok(r) => (s, r),
                Err(_) => self.send_fresh(host, port, https, request()?).await?,
            },
            None => self.send_fresh(host, port, https, request()?).await?,
        };

        let status = response.status().as_u16();
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(CONTENT_TYPE);
        let location = header(LOCATION);
        let body = self.read_body(response.into_body()).await?;
        // The body is fully read, so the connection is free for the next request.
        if sender.ready().await.is_ok() {
            self.checkin(key, sender);
        }
        Ok(Exchange {
            fetched: Fetched {
                status,
                content_type,
                body,
                final_url: None,
                span: None,
            },
            location,
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
            let frame = frame.map_err(|e| FetchError::Protocol(reason(&e)))?;
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
        https: bool,
        request: Request<Empty<Bytes>>,
    ) -> Result<(Sender, Response<hyper::body::Incoming>), FetchError> {
        // An IPv6 literal is written `[::1]` in a URL, but no resolver accepts the brackets.
        let address = host.trim_start_matches('[').trim_end_matches(']');
        let (to_host, to_port) = match &self.proxy {
            Some((h, p)) => (h.as_str(), *p),
            None => (address, port),
        };
        let mut stream = self.runtime.connect(to_host, to_port).await.map_err(|e| {
            let via = if self.proxy.is_some() { "proxy " } else { "" };
            FetchError::Connect(format!("{via}{to_host}:{to_port}: {e}"))
        })?;
        if https && self.proxy.is_some() {
            tunnel(&mut stream, address, port).await?;
        }
        let conn = if https {
            let name = ServerName::try_from(address.to_owned())
                .map_err(|e| FetchError::Url(format!("{host} is not a TLS server name: {e}")))?;
            let tls = self
                .tls
                .get_or_init(|| {
                    TlsConnector::from(crate::tls::client_config(self.ca_pem.as_deref()))
                })
                .connect(name, stream)
                .await
                .map_err(|e| FetchError::Tls(format!("{host}:{port}: {}", tls_reason(&e))))?;
            Conn::Tls(Box::new(FuturesIo::new(tls)))
        } else {
            Conn::Plain(R::plain(stream))
        };
        let (mut sender, connection) = http1::handshake(conn)
            .await
            .map_err(|e| FetchError::Protocol(reason(&e)))?;
        // The connection future does the actual reading and writing; it must be polled for
        // as long as the connection lives, so it runs as its own task.
        self.runtime.spawn_detached(Box::pin(async move {
            let _ = connection.await;
        }));
        let response = sender
            .send_request(request)
            .await
            .map_err(|e| FetchError::Protocol(reason(&e)))?;
        Ok((sender, response))
    }

    fn checkout(&self, key: &PoolKey) -> Option<Sender> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let list = idle.get_mut(key)?;
        while let Some(s) = list.pop() {
            if !s.is_closed() {
                return Some(s);
            }
        }
        None
    }

    fn checkin(&self, key: PoolKey, sender: Sender) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let list = idle.entry(key).or_default();
        if list.len() < self.max_idle {
            list.push(sender);
        }
    }
}

/// Asks an http proxy for a tunnel to `host:port` (`CONNECT`), for https through it.
async fn tunnel<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    host: &str,
    port: u16,
) -> Result<(), FetchError> {
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let refused = |why: String| FetchError::Connect(format!("proxy CONNECT {authority}: {why}"));
    stream
        .write_all(format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n").as_bytes())
        .await
        .map_err(|e| refused(e.to_string()))?;
    // A byte at a time, so that nothing after the proxy's answer (the TLS handshake) is eaten.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 16 * 1024 {
            return Err(refused("answer too long".into()));
        }
        match stream.read(&mut byte).await {
            Ok(0) => return Err(refused("the proxy closed the connection".into())),
            Ok(_) => head.push(byte[0]),
            Err(e) => return Err(refused(e.to_string())),
        }
    }
    let status_line = String::from_utf8_lossy(&head);
    let status_line = status_line.lines().next().unwrap_or_default();
    match status_line.split_whitespace().nth(1) {
        Some(code) if code.starts_with('2') => Ok(()),
        _ => Err(refused(format!("answered '{status_line}'"))),
    }
}

/// A hyper error with its causes: "connection error: Connection reset by peer (os error
/// 104)" says what "connection error" alone does not.
fn reason(e: &hyper::Error) -> String {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// What went wrong in a TLS handshake, in rustls's words where it has them.
fn tls_reason(e: &io::Error) -> String {
    match crate::tls::rustls_cause(e) {
        Some(tls) => tls.to_string(),
        None => format!("handshake failed: {e}"),
    }
}

/// A connection as hyper sees it: the runtime's own plain path, or TLS over its stream.
enum Conn<P, S> {
    Plain(P),
    Tls(Box<FuturesIo<TlsStream<S>>>),
}

impl<P, S> hyper::rt::Read for Conn<P, S>
where
    P: hyper::rt::Read + Unpin,
    S: AsyncRead + AsyncWrite + Unpin,
{
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(p) => Pin::new(p).poll_read(cx, buf),
            Conn::Tls(t) => Pin::new(t.as_mut()).poll_read(cx, buf),
        }
    }
}

impl<P, S> hyper::rt::Write for Conn<P, S>
where
    P: hyper::rt::Write + Unpin,
    S: AsyncRead + AsyncWrite + Unpin,
{
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Conn::Plain(p) => Pin::new(p).poll_write(cx, buf),
            Conn::Tls(t) => Pin::new(t.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(p) => Pin::new(p).poll_flush(cx),
            Conn::Tls(t) => Pin::new(t.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(p) => Pin::new(p).poll_shutdown(cx),
            Conn::Tls(t) => Pin::new(t.as_mut()).poll_shutdown(cx),
        }
    }
}
