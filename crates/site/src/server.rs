//! The HTTP/1.1 server: hyper with keep-alive, on 127.0.0.1, on a runtime thread of its own.
//!
//! The server lives in the harness's process, while each contestant runs in a child process,
//! so the server's CPU time and memory are never charged to a contestant.

use std::collections::HashMap;
use std::convert::Infallible;
use std::io;
use std::net::{SocketAddr, TcpListener as StdListener};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{JoinHandle, ThreadId};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue, LOCATION};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;
use url::Url;

use tokio_rustls::TlsAcceptor;

use shootout_core::knobs::Shape;

use crate::generate::{HTML, NOT_FOUND, Site, SiteSpec};
use crate::shape::{heavy_body, is_heavy, is_slow, path_hash};
use crate::tls::LocalCa;

/// What the server serves.
#[derive(Clone, Debug)]
pub enum Content {
    /// The synthetic site, generated for the bound address.
    Synthetic(SiteSpec),
    /// Files under a directory, for crawling a saved site offline.
    Dir(PathBuf),
}

/// How to run the server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// What to serve.
    pub content: Content,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// How long every response is held before it is sent.
    pub latency: Duration,
    /// Up to this much extra hold per path, fixed by the seed (the same path always gets the
    /// same extra), so runs stay comparable.
    pub jitter: Duration,
    /// Runtime worker threads for the server.
    pub threads: usize,
    /// Serve https, with a certificate from a CA made at start ([`Server::ca_pem`]).
    pub tls: bool,
    /// Slow pages and a stall ([`Shape`]).
    pub shape: Shape,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            content: Content::Synthetic(SiteSpec::default()),
            port: 0,
            latency: Duration::ZERO,
            jitter: Duration::ZERO,
            threads: 1,
            tls: false,
            shape: Shape::default(),
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The port could not be bound (in use, or not permitted).
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The requested port.
        port: u16,
        /// The OS error.
        source: io::Error,
    },
    /// `--dir` is not a readable directory.
    #[error("cannot serve {}: not a readable directory", .0.display())]
    NotADirectory(PathBuf),
    /// The runtime thread could not start.
    #[error("cannot start the server runtime: {0}")]
    Runtime(io::Error),
    /// The certificates for `--tls` could not be made.
    #[error("--tls: {0}")]
    Tls(String),
}

/// A running server. Dropping it shuts it down and joins its thread.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    site: Option<Arc<Site>>,
    ca_pem: Option<String>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    clocks: Arc<ThreadClocks>,
    accepted: Arc<AtomicU64>,
    run_began: Arc<AtomicU64>,
}

/// The CPU clocks of the server's threads (its accept thread, its workers and any blocking
/// threads), so the harness can show what serving cost beside what the client cost: both
/// share the machine's cores. A thread registers itself when it starts; when it ends, its
/// final CPU time is kept, so a blocking thread that idles out is still counted.
#[derive(Debug, Default)]
struct ThreadClocks {
    live: Mutex<HashMap<ThreadId, ThreadClock>>,
    ended_ns: AtomicU64,
}

/// One thread's CPU-time clock (`pthread_getcpuclockid`), readable from any thread while that
/// thread lives.
#[derive(Clone, Copy, Debug)]
struct ThreadClock(#[cfg(target_os = "linux")] libc::clockid_t);

impl ThreadClock {
    /// The calling thread's clock, where the platform has one.
    fn of_this_thread() -> Option<ThreadClock> {
        #[cfg(target_os = "linux")]
        {
            let mut id: libc::clockid_t = 0;
            // SAFETY: pthread_self is always valid for the calling thread, and the call only
            // writes the clock id into `id`.
            let rc = unsafe { libc::pthread_getcpuclockid(libc::pthread_self(), &mut id) };
            (rc == 0).then_some(ThreadClock(id))
        }
        #[cfg(not(target_os = "linux"))]
        None
    }

    /// The CPU time this clock's thread has used so far.
    fn read(self) -> Option<Duration> {
        #[cfg(target_os = "linux")]
        {
            let mut ts = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            // SAFETY: clock_gettime only writes into `ts`; the clock belongs to a thread that
            // is still registered, so still alive (see `ThreadClocks::leave`).
            let rc = unsafe { libc::clock_gettime(self.0, &mut ts) };
            (rc == 0).then(|| {
                Duration::new(
                    u64::try_from(ts.tv_sec).unwrap_or(0),
                    u32::try_from(ts.tv_nsec).unwrap_or(0),
                )
            })
        }
        #[cfg(not(target_os = "linux"))]
        None
    }
}

impl ThreadClocks {
    /// Called on a server thread as it starts.
    fn enter(&self) {
        if let Some(clock) = ThreadClock::of_this_thread() {
            self.live
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(std::thread::current().id(), clock);
        }
    }

    /// Called on a server thread as it ends: its clock is dropped from the live set and its
    /// final reading kept, under the same lock [`ThreadClocks::total`] reads under, so no
    /// reading ever touches the clock of a thread that has gone.
    fn leave(&self) {
        let mut live = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(clock) = live.remove(&std::thread::current().id()) {
            let ns = clock.read().map_or(0, |d| d.as_nanos() as u64);
            self.ended_ns.fetch_add(ns, Ordering::Relaxed);
        }
    }

    /// The CPU time of every server thread so far, or `None` where threads have no clocks.
    /// Just after the server starts, its threads may not have registered yet: that reads as
    /// zero, which is what they have spent.
    fn total(&self) -> Option<Duration> {
        if !cfg!(target_os = "linux") {
            return None;
        }
        let live = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        let running: Duration = live.values().filter_map(|c| c.read()).sum();
        Some(running + Duration::from_nanos(self.ended_ns.load(Ordering::Relaxed)))
    }
}

struct State {
    site: Option<Arc<Site>>,
    dir: Option<PathBuf>,
    latency: Duration,
    jitter: Duration,
    seed: u64,
    shape: Shape,
    /// When the server started: what `run_began` counts from.
    epoch: Instant,
    /// Nanoseconds from `epoch` to the first request of the current run, plus one (0: none
    /// yet). The stall's window is measured from it; [`Server::new_run`] clears it.
    run_began: Arc<AtomicU64>,
}

impl Server {
    /// Binds 127.0.0.1, generates the site for that address, and starts serving.
    pub fn start(config: ServerConfig) -> Result<Server, ServeError> {
        // Check the content before taking the port, so a bad `--dir` is reported as such even
        // when the port is busy too.
        if let Content::Dir(d) = &config.content
            && !d.is_dir()
        {
            return Err(ServeError::NotADirectory(d.clone()));
        }
        let port = config.port;
        let (listener, addr, ca) = listen(port, config.tls)?;
        listener
            .set_nonblocking(true)
            .map_err(|source| ServeError::Bind { port, source })?;
        let origin = origin_of(addr, ca.is_some());
        let (site, dir, seed) = match &config.content {
            Content::Synthetic(spec) => (
                Some(Arc::new(Site::generate(*spec, &origin))),
                None,
                spec.seed,
            ),
            Content::Dir(d) => (None, Some(d.clone()), 0),
        };
        let run_began = Arc::new(AtomicU64::new(0));
        let state = Arc::new(State {
            site: site.clone(),
            dir,
            latency: config.latency,
            jitter: config.jitter,
            seed,
            shape: config.shape,
            epoch: Instant::now(),
            run_began: run_began.clone(),
        });
        let clocks = Arc::new(ThreadClocks::default());
        let (on_start, on_stop) = (clocks.clone(), clocks.clone());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(config.threads.max(1))
            .thread_name("site-server")
            .on_thread_start(move || on_start.enter())
            .on_thread_stop(move || on_stop.leave())
            .enable_all()
            .build()
            .map_err(ServeError::Runtime)?;
        let acceptor = ca.as_ref().map(|ca| TlsAcceptor::from(ca.server.clone()));
        let (tx, rx) = oneshot::channel();
        let accept_clock = clocks.clone();
        let accepted = Arc::new(AtomicU64::new(0));
        let counter = accepted.clone();
        let thread = std::thread::Builder::new()
            .name("site-accept".into())
            .spawn(move || {
                accept_clock.enter();
                runtime.block_on(serve(listener, state, acceptor, counter, rx));
                // Open keep-alive connections end here, with the runtime.
                runtime.shutdown_timeout(Duration::from_millis(100));
                accept_clock.leave();
            })
            .map_err(ServeError::Runtime)?;
        Ok(Server {
            addr,
            site,
            ca_pem: ca.map(|ca| ca.ca_pem),
            shutdown: Some(tx),
            thread: Some(thread),
            clocks,
            accepted,
            run_began,
        })
    }

    /// A new run starts: the stall ([`Shape::stall_ms`]) comes `stall_after_ms` after this
    /// run's first request, not the first the server ever saw. The harness calls it before
    /// each run of a contestant.
    pub fn new_run(&self) {
        self.run_began.store(0, Ordering::Relaxed);
    }

    /// The CPU time the server's threads have used since it started (user and system), or
    /// `None` on a platform without per-thread CPU clocks. Read it before and after a run to
    /// see what serving that run cost.
    pub fn cpu(&self) -> Option<Duration> {
        self.clocks.total()
    }

    /// How many connections the server has accepted since it started: what tells a client
    /// that reuses its connections from one that opens new ones.
    pub fn connections(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/` (`https://` with TLS).
    pub fn base_url(&self) -> Url {
        origin_of(self.addr, self.ca_pem.is_some())
    }

    /// With TLS, the PEM certificate of the CA that signed the server's certificate: what a
    /// client must trust (`--ca-cert`).
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The synthetic site and its ground truth (`None` in `--dir` mode).
    pub fn site(&self) -> Option<&Site> {
        self.site.as_deref()
    }

    /// Blocks until the server stops (for `shootout serve`, which runs until interrupted).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Binds 127.0.0.1:`port` (0 for any free one) and, with `tls`, makes the certificates: the
/// set-up both the synthetic site and the fault site start with.
pub(crate) fn listen(
    port: u16,
    tls: bool,
) -> Result<(StdListener, SocketAddr, Option<LocalCa>), ServeError> {
    let listener = StdListener::bind(("127.0.0.1", port))
        .map_err(|source| ServeError::Bind { port, source })?;
    // std listens with a backlog of 128. A C sweep opens up to 10,000 connections at once;
    // with the accept queue full the kernel drops SYNs, and the client retries each a whole
    // second later, which measured as download at C = 1,000 taking about 1 s instead of
    // 0.1 s, for some runtimes and not others. Listening again raises the backlog to the
    // kernel's cap (net.core.somaxconn).
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd as _;
        // SAFETY: the descriptor is the bound socket `listener` owns, open for this call.
        let status = unsafe { libc::listen(listener.as_raw_fd(), 65_535) };
        if status != 0 {
            return Err(ServeError::Bind {
                port,
                source: std::io::Error::last_os_error(),
            });
        }
    }
    let addr = listener
        .local_addr()
        .map_err(|source| ServeError::Bind { port, source })?;
    let ca = tls
        .then(LocalCa::generate)
        .transpose()
        .map_err(ServeError::Tls)?;
    Ok((listener, addr, ca))
}

/// `http://ADDR/`, or `https://ADDR/` with TLS.
pub(crate) fn origin_of(addr: SocketAddr, tls: bool) -> Url {
    let scheme = if tls { "https" } else { "http" };
    Url::parse(&format!("{scheme}://{addr}/")).expect("a socket address makes a valid URL")
}

async fn serve(
    listener: StdListener,
    state: Arc<State>,
    tls: Option<TlsAcceptor>,
    accepted: Arc<AtomicU64>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("site server: {e}");
            return;
        }
    };
    loop {
        let stream = tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Running out of file descriptors under load is transient: back off briefly.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
            },
        };
        accepted.fetch_add(1, Ordering::Relaxed);
        let _ = stream.set_nodelay(true);
        let (state, tls) = (state.clone(), tls.clone());
        tokio::spawn(async move {
            let service = service_fn(move |req| respond(state.clone(), req));
            // Keep-alive is hyper's default; clients reuse connections across requests.
            // A client that hangs up mid-response is not the server's problem, and neither
            // is one that fails its TLS handshake (it does not trust our CA).
            let http = http1::Builder::new().keep_alive(true).clone();
            let _ = match tls {
                None => http.serve_connection(TokioIo::new(stream), service).await,
                Some(tls) => match tls.accept(stream).await {
                    Ok(stream) => http.serve_connection(TokioIo::new(stream), service).await,
                    Err(_) => return,
                },
            };
        });
    }
}

async fn respond(
    state: Arc<State>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = req.uri().path().to_owned();
    let arrived = Instant::now();
    // The first request of a run starts its stall clock; the others see it set.
    let since_epoch = |t: Instant| t.duration_since(state.epoch).as_nanos() as u64 + 1;
    let _ = state.run_began.compare_exchange(
        0,
        since_epoch(arrived),
        Ordering::Relaxed,
        Ordering::Relaxed,
    );
    let hold = hold_for(&state, &path) + jitter(state.seed, &path, state.jitter);
    if !hold.is_zero() {
        tokio::time::sleep(hold).await;
    }
    // A stall: a response that would go out inside the window waits for its end.
    if state.shape.stall_ms > 0 {
        let began = state.epoch
            + Duration::from_nanos(state.run_began.load(Ordering::Relaxed).saturating_sub(1));
        let from = began + Duration::from_millis(state.shape.stall_after_ms);
        let until = from + Duration::from_millis(state.shape.stall_ms);
        let now = Instant::now();
        if now >= from && now < until {
            tokio::time::sleep_until(until.into()).await;
        }
    }
    let response = match (&state.site, &state.dir) {
        (_, Some(dir)) => from_dir(dir, &path, req.uri().query()).await,
        (Some(site), None) => synthetic(site, &path, &state.shape, state.seed).await,
        (None, None) => not_found(),
    };
    Ok(response)
}

async fn synthetic(site: &Site, path: &str, shape: &Shape, seed: u64) -> Response<Full<Bytes>> {
    if let Some(r) = site.get(path) {
        // A heavy page is padded for each response rather than kept: k × S for every page
        // the shape picks could be most of the memory at large N.
        if site.heavy_candidate(path) && is_heavy(shape, seed, path) {
            return reply(
                r.status,
                r.content_type,
                heavy_body(&r.body, shape.heavy_factor),
            );
        }
        return reply(r.status, r.content_type, r.body.clone());
    }
    let number = |prefix: &str| {
        path.strip_prefix(prefix)
            .and_then(|n| n.parse::<u64>().ok())
    };
    if let Some(ms) = number("/delay/") {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        return reply(200, HTML, Bytes::from_static(b"<title>late</title>"));
    }
    if let Some(code) = number("/status/").and_then(|c| u16::try_from(c).ok())
        && StatusCode::from_u16(code).is_ok()
    {
        return reply(code, HTML, Bytes::new());
    }
    if let Some(n) = number("/bytes/").and_then(|n| usize::try_from(n).ok()) {
        return reply(200, HTML, Bytes::from(vec![b'x'; n.min(256 << 20)]));
    }
    if path == "/robots.txt" {
        return reply(200, TEXT, Bytes::from_static(ROBOTS_TXT.as_bytes()));
    }
    not_found()
}

/// Serves `path` from `dir` as a static file server does: the path is percent-decoded
/// (`/a%20b.html` is the file `a b.html`), a directory serves its `index.html`, and a
/// directory asked for without its trailing slash is redirected (301) to `dir/`, so that
/// relative links on its index resolve from inside it, not one level up.
async fn from_dir(dir: &Path, path: &str, query: Option<&str>) -> Response<Full<Bytes>> {
    // Decode first, then check: `%2e%2e` must not climb out any more than `..` may.
    let Ok(decoded) = percent_encoding::percent_decode_str(path).decode_utf8() else {
        return not_found();
    };
    // Refuse anything that could climb out of the directory.
    let rel = Path::new(decoded.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return not_found();
    }
    let mut file = dir.join(rel);
    if file.is_dir() {
        if !path.ends_with('/') {
            let location = match query {
                Some(q) => format!("{path}/?{q}"),
                None => format!("{path}/"),
            };
            return redirect(&location);
        }
        file.push("index.html");
    }
    // Read on this worker, not through `tokio::fs` (which hands every read to the blocking
    // pool and back): a crawled tree sits in the page cache after its first read, and a
    // read of a typical 20 KB page takes microseconds, less than the two thread hops. On the
    // Rust docs, this halved the server's CPU per request (docs/results.md, "Near the
    // limit"); the `is_dir` just above was already a blocking call of the same kind.
    match std::fs::read(&file) {
        Ok(body) => reply(200, content_type(&file), Bytes::from(body)),
        Err(_) => not_found(),
    }
}

/// The Content-Type of a file on disk. An HTML file's charset is not known without reading
/// it, so none is claimed (as nginx does by default): the page's own `<meta charset>` decides.
fn content_type(file: &Path) -> &'static str {
    match file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// The synthetic site's robots.txt. Nothing on the site links under /private/, so a crawl
/// that obeys it fetches exactly what one that ignores it does.
pub const ROBOTS_TXT: &str = "User-agent: *\nDisallow: /private/\n";

const TEXT: &str = "text/plain; charset=utf-8";

fn redirect(location: &str) -> Response<Full<Bytes>> {
    let mut r = reply(
        301,
        HTML,
        Bytes::from_static(b"<title>301 Moved Permanently</title>"),
    );
    match HeaderValue::from_str(location) {
        Ok(v) => {
            r.headers_mut().insert(LOCATION, v);
            r
        }
        // A path that came in as a valid request target is a valid header value; anything
        // else is not a file we serve.
        Err(_) => not_found(),
    }
}

fn not_found() -> Response<Full<Bytes>> {
    reply(404, HTML, Bytes::from_static(NOT_FOUND.as_bytes()))
}

fn reply(status: u16, content_type: &'static str, body: Bytes) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// How long `path` is held: L, or k × L for the seeded share of paths [`Shape::slow_pct`]
/// names (the same paths every run).
fn hold_for(state: &State, path: &str) -> Duration {
    if is_slow(&state.shape, state.seed, path) {
        state.latency * state.shape.slow_factor.max(1)
    } else {
        state.latency
    }
}

/// A fixed extra hold in `0..=max` for each path, derived from the seed.
fn jitter(seed: u64, path: &str, max: Duration) -> Duration {
    if max.is_zero() {
        return Duration::ZERO;
    }
    let h = path_hash(seed, path);
    let max_us = u64::try_from(max.as_micros()).unwrap_or(u64::MAX);
    // saturating: a max of u64::MAX µs must not wrap to a modulo by zero.
    Duration::from_micros(h % max_us.saturating_add(1))
}
