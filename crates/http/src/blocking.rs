//! The blocking engine: one `ureq` agent with keep-alive, shared by every thread of a contestant.

use std::io::{self, Read};

use shootout_core::{FetchError, Fetched, Knobs};
use url::Url;

/// A blocking HTTP client: cheap to clone (clones share one connection pool) and safe to use
/// from many threads at once.
#[derive(Clone, Debug)]
pub struct BlockingClient {
    agent: ureq::Agent,
    timeout_ms: u64,
    max_body: usize,
}

impl BlockingClient {
    /// A client with the knobs' timeout and body cap, keeping up to `connections` idle
    /// keep-alive connections. Pass the number of threads that will share it: ureq keeps only
    /// 3 idle connections per host by default, so 10 threads would keep reconnecting.
    pub fn new(knobs: &Knobs, connections: usize) -> BlockingClient {
        let config = ureq::Agent::config_builder()
            // One deadline for the whole exchange (connect, headers and body), the same
            // rule the async engine applies.
            .timeout_global(Some(knobs.timeout()))
            // A 404 is a record with a status, not a transport failure.
            .http_status_as_error(false)
            // Redirects are recorded, not followed, in both engines.
            .max_redirects(0)
            // Connect directly, ignoring HTTP_PROXY / ALL_PROXY. ureq would follow them by
            // default and the async engine cannot, so a proxy in the environment would have
            // the two families measure different networks.
            .proxy(None)
            .max_idle_connections(connections.max(1))
            .max_idle_connections_per_host(connections.max(1))
            .user_agent(concat!("shootout/", env!("CARGO_PKG_VERSION")))
            .build();
        BlockingClient {
            agent: config.into(),
            timeout_ms: knobs.timeout_ms,
            max_body: knobs.max_body,
        }
    }

    /// GETs `url` and reads the whole body, blocking the calling thread until done. A panic
    /// inside the HTTP stack becomes an `internal` error for this URL, so no caller (a thread,
    /// a rayon `par_iter`, a pipeline stage) can lose other pages' records to it.
    pub fn get(&self, url: &Url) -> Result<Fetched, FetchError> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.get_uncontained(url)))
            .unwrap_or_else(|_| Err(FetchError::Internal("task failed: fetch panicked".into())))
    }

    fn get_uncontained(&self, url: &Url) -> Result<Fetched, FetchError> {
        let mut response = self
            .agent
            .get(url.as_str())
            .call()
            .map_err(|e| self.classify(e))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(ureq::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        // Sized from Content-Length up front: growing by doubling would hold up to twice the
        // body, and copy it each time (16 MiB for an 8 MiB page).
        let declared = response.body().content_length().unwrap_or(0);
        let mut body = Vec::with_capacity(declared.min(self.max_body as u64) as usize);
        response
            .body_mut()
            .with_config()
            .limit(self.max_body as u64)
            .reader()
            .read_to_end(&mut body)
            .map_err(|e| self.classify(ureq::Error::from(e)))?;
        Ok(Fetched {
            status,
            content_type,
            body: body.into(),
        })
    }

    fn classify(&self, e: ureq::Error) -> FetchError {
        use ureq::Error as E;
        match e {
            E::Timeout(_) => FetchError::Timeout(self.timeout_ms),
            E::BodyExceedsLimit(_) => FetchError::TooLarge(self.max_body),
            E::HostNotFound => FetchError::Connect("host not found".into()),
            E::ConnectionFailed => FetchError::Connect("connection failed".into()),
            E::BadUri(u) => FetchError::Url(u),
            E::Io(io) => match io.kind() {
                io::ErrorKind::TimedOut => FetchError::Timeout(self.timeout_ms),
                io::ErrorKind::ConnectionRefused
                | io::ErrorKind::AddrNotAvailable
                | io::ErrorKind::HostUnreachable
                | io::ErrorKind::NetworkUnreachable => FetchError::Connect(io.to_string()),
                _ => FetchError::Protocol(io.to_string()),
            },
            other => FetchError::Protocol(other.to_string()),
        }
    }
}
