//! The blocking engine: one `ureq` agent with keep-alive, shared by every thread of a contestant.

use std::io::{self, Read};
use std::sync::Arc;
use std::time::Instant;

use shootout_core::latency::Span;
use shootout_core::net::{Pacer, Redirects};
use shootout_core::{FetchError, Fetched, Knobs, Scope};
use ureq::tls::TlsConfig;
use url::Url;

/// A blocking HTTP client: cheap to clone (clones share one connection pool) and safe to use
/// from many threads at once.
#[derive(Clone, Debug)]
pub struct BlockingClient {
    agent: ureq::Agent,
    timeout_ms: u64,
    max_body: usize,
    max_redirects: usize,
    pacer: Arc<Pacer>,
    proxy: Option<(String, u16)>,
}

impl BlockingClient {
    /// A client with the knobs' timeout, body cap and network settings, keeping up to
    /// `connections` idle keep-alive connections. Pass the number of threads that will share
    /// it: ureq keeps only 3 idle connections per host by default, so 10 threads would keep
    /// reconnecting.
    pub fn new(knobs: &Knobs, connections: usize) -> BlockingClient {
        let net = &knobs.net;
        let config = ureq::Agent::config_builder()
            // One deadline for the whole exchange (connect, headers and body), the same
            // rule the async engine applies.
            .timeout_global(Some(knobs.timeout()))
            // A 404 is a record with a status, not a transport failure.
            .http_status_as_error(false)
            // Redirects are followed below, hop by hop, by the rules the async engine follows
            // too (`shootout_core::net::Redirects`), so a crawl can keep them within scope.
            .max_redirects(0)
            // Only `--proxy`: ureq would read HTTP_PROXY / ALL_PROXY from the environment by
            // default, and the two families would then measure different networks.
            .proxy(net.proxy.as_deref().and_then(|p| ureq::Proxy::new(p).ok()))
            // The same roots as the async engine: Mozilla's, and `--ca-cert`.
            .tls_config(
                TlsConfig::builder()
                    .root_certs(crate::tls::ureq_roots(net.ca_pem.as_deref()))
                    .build(),
            )
            .max_idle_connections(connections.max(1))
            .max_idle_connections_per_host(connections.max(1))
            .user_agent(&net.user_agent)
            .build();
        BlockingClient {
            agent: config.into(),
            timeout_ms: knobs.timeout_ms,
            max_body: knobs.max_body,
            max_redirects: net.max_redirects,
            pacer: Arc::new(Pacer::new(net.delay_ms)),
            proxy: net.proxy_address(),
        }
    }

    /// GETs `url` and reads the whole body, following redirects to any http(s) URL, and
    /// blocking the calling thread until done. A panic inside the HTTP stack becomes an
    /// `internal` error for this URL, so no caller (a thread, a rayon `par_iter`, a pipeline
    /// stage) can lose other pages' records to it.
    pub fn get(&self, url: &Url) -> Result<Fetched, FetchError> {
        self.contained(url, None)
    }

    /// [`BlockingClient::get`] for a request that fell due at `due` (the open-loop `load`
    /// scenario): its latency is stamped from `due`. One that is already a timeout past due
    /// when a thread takes it up is a `timeout` at once, unsent; one sent in time has the
    /// agent's whole timeout from then (ureq's deadline is set per agent), so it may end up to
    /// one timeout later than the async engine's would.
    pub fn get_due(&self, url: &Url, due: Instant) -> Result<Fetched, FetchError> {
        if due.elapsed().as_millis() >= u128::from(self.timeout_ms) {
            return Err(FetchError::Timeout(self.timeout_ms));
        }
        let mut fetched = self.get(url)?;
        fetched.span = fetched.span.map(|s| Span { due, body: s.body });
        Ok(fetched)
    }

    /// [`BlockingClient::get`] for a crawl: a redirect out of `scope` is a `redirect` error,
    /// not followed.
    pub fn get_within(&self, url: &Url, scope: &Scope) -> Result<Fetched, FetchError> {
        self.contained(url, Some(scope))
    }

    fn contained(&self, url: &Url, scope: Option<&Scope>) -> Result<Fetched, FetchError> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.follow(url, scope)))
            .unwrap_or_else(|_| Err(FetchError::Internal("task failed: fetch panicked".into())))
    }

    fn follow(&self, url: &Url, scope: Option<&Scope>) -> Result<Fetched, FetchError> {
        let due = Instant::now();
        let mut trail = Redirects::new(url, self.max_redirects, scope);
        loop {
            std::thread::sleep(self.pacer.reserve(trail.current()));
            let (mut fetched, location) = self.exchange(trail.current())?;
            if !trail.next(fetched.status, location.as_deref())? {
                fetched.final_url = trail.final_url();
                fetched.span = Some(Span::since(due));
                return Ok(fetched);
            }
        }
    }

    fn exchange(&self, url: &Url) -> Result<(Fetched, Option<String>), FetchError> {
        let mut response = self
            .agent
            .get(url.as_str())
            .call()
            .map_err(|e| self.classify(e, url))?;
        let status = response.status().as_u16();
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &ureq::http::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(ureq::http::header::CONTENT_TYPE);
        let location = header(ureq::http::header::LOCATION);
        // Sized from Content-Length up front: growing by doubling would hold up to twice the
        // body, and copy it each time (16 MiB for an 8 MiB page).
        let declared = response.body().content_length().unwrap_or(0);
        if declared > self.max_body as u64 {
            return Err(FetchError::TooLarge(self.max_body));
        }
        let mut body = Vec::with_capacity(declared as usize);
        response
            .body_mut()
            .with_config()
            .limit(self.max_body as u64)
            .reader()
            .read_to_end(&mut body)
            .map_err(|e| self.classify(ureq::Error::from(e), url))?;
        let fetched = Fetched {
            status,
            content_type,
            body: body.into(),
            final_url: None,
            span: None,
        };
        Ok((fetched, location))
    }

    /// The typed error for a ureq error while fetching `url`.
    fn classify(&self, e: ureq::Error, url: &Url) -> FetchError {
        use ureq::Error as E;
        // A `connect` error says where it tried to connect, as the async engine's does:
        // ureq's own words ("connection failed") do not.
        let connect = |why: &dyn std::fmt::Display| {
            let peer = match &self.proxy {
                Some((host, port)) => format!("proxy {host}:{port}"),
                None => format!(
                    "{}:{}",
                    url.host_str().unwrap_or_default(),
                    url.port_or_known_default().unwrap_or(80)
                ),
            };
            FetchError::Connect(format!("{peer}: {why}"))
        };
        match e {
            E::Timeout(_) => FetchError::Timeout(self.timeout_ms),
            E::BodyExceedsLimit(_) => FetchError::TooLarge(self.max_body),
            E::HostNotFound => connect(&"host not found"),
            E::ConnectionFailed => connect(&"connection failed"),
            E::BadUri(u) => FetchError::Url(u),
            E::Rustls(tls) => FetchError::Tls(tls.to_string()),
            // ureq's own text starts "protocol: " too; the kind word is said once.
            E::Protocol(p) => FetchError::Protocol(p.to_string()),
            E::Tls(why) => FetchError::Tls(why.to_owned()),
            E::Io(io) => match io.kind() {
                io::ErrorKind::TimedOut => FetchError::Timeout(self.timeout_ms),
                io::ErrorKind::ConnectionRefused
                | io::ErrorKind::AddrNotAvailable
                | io::ErrorKind::HostUnreachable
                | io::ErrorKind::NetworkUnreachable => connect(&io),
                _ => match crate::tls::rustls_cause(&io) {
                    Some(tls) => FetchError::Tls(tls.to_string()),
                    None => FetchError::Protocol(io.to_string()),
                },
            },
            other => FetchError::Protocol(other.to_string()),
        }
    }
}
