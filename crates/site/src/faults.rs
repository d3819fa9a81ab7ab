//! The fault site: a server that misbehaves on purpose, one way per page, to check that every
//! contestant turns each fault into exactly one record of the right kind, without a hang or a
//! panic ("nothing lost").
//!
//! It is not hyper: a well-behaved HTTP server cannot send garbage, reset a connection, or
//! promise 1,000 bytes and send 100. So it is a plain TCP server, a thread per connection,
//! that reads one request and writes whatever its page calls for, then closes. With `tls`, the
//! same bytes go through rustls, after a handshake with a certificate from a CA made at start.
//!
//! [`FAULTS`] lists every page, what it does, and the record it must give. The index `/`
//! links to every page of the list, so a crawl of the site visits them all.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use url::Url;

use crate::server::{ServeError, listen, origin_of};

/// One page of the fault site.
#[derive(Clone, Copy, Debug)]
pub struct Fault {
    /// Its path.
    pub path: &'static str,
    /// What the server does, for the table in docs/scenarios.md.
    pub does: &'static str,
    /// The record's error kind (`status`, `timeout`, …), or `ok` for a success.
    pub record: &'static str,
    /// The title a success must have (`None`: no title, or not parsed).
    pub title: Option<&'static str>,
    /// Where a success must say redirects led (`final_url`), as a path.
    pub final_path: Option<&'static str>,
}

const fn fault(path: &'static str, does: &'static str, record: &'static str) -> Fault {
    Fault {
        path,
        does,
        record,
        title: None,
        final_path: None,
    }
}

/// Every page the index links to, with the record a correct crawler makes of it (the index
/// itself is `ok`, titled "fault site"). Run with the default `--max-redirects` (10), a
/// `--timeout-ms` shorter than the test's patience, and a `--max-body` under 200 MiB.
pub const FAULTS: &[Fault] = &[
    Fault {
        title: Some("ok"),
        ..fault("/ok", "a plain page", "ok")
    },
    fault("/not-found", "404 Not Found", "status"),
    fault("/server-error", "500 Internal Server Error", "status"),
    fault("/hang", "reads the request and never answers", "timeout"),
    fault(
        "/reset",
        "reads the request, then resets the connection (RST)",
        "protocol",
    ),
    fault(
        "/garbage",
        "answers with a line that is not HTTP, then closes",
        "protocol",
    ),
    fault(
        "/truncated",
        "promises 1,000 bytes (Content-Length), sends 100, closes",
        "protocol",
    ),
    fault(
        "/huge",
        "declares a 200 MiB body (Content-Length) and starts sending it",
        "too_large",
    ),
    fault(
        "/endless",
        "sends up to 200 MiB of HTML with no length, until the client hangs up",
        "too_large",
    ),
    fault(
        "/binary",
        "200 application/octet-stream: 64 KiB of bytes that are not text",
        "ok",
    ),
    Fault {
        title: Some("no length"),
        ..fault(
            "/no-length",
            "200 HTML with no Content-Length, ended by closing the connection",
            "ok",
        )
    },
    Fault {
        title: Some("tag soup"),
        ..fault("/soup", "200 HTML: 20,000 unclosed nested <div> tags", "ok")
    },
    Fault {
        title: Some("Café naïve"),
        ..fault(
            "/latin1",
            "200 HTML in ISO-8859-1, said in the Content-Type",
            "ok",
        )
    },
    Fault {
        title: Some("“Smart” quotes – €5"),
        ..fault(
            "/cp1252",
            "200 HTML in windows-1252, said only by <meta charset>",
            "ok",
        )
    },
    Fault {
        title: Some("ok"),
        final_path: Some("/ok"),
        ..fault(
            "/redirect/chain",
            "301, 302, 307 to /ok: three hops, followed",
            "ok",
        )
    },
    fault(
        "/redirect/loop",
        "301 to /redirect/loop-b, which redirects back",
        "redirect",
    ),
    fault(
        "/redirect/many",
        "12 redirects in a row, more than the 10 followed",
        "redirect",
    ),
    fault(
        "/redirect/away",
        "301 to another origin (localhost for 127.0.0.1): out of the crawl's scope",
        "redirect",
    ),
    fault(
        "/redirect/private",
        "301 to /private/secret, which robots.txt disallows",
        "redirect",
    ),
    fault(
        "/private/secret",
        "disallowed by the site's robots.txt, so never fetched",
        "robots",
    ),
];

/// The fault site's robots.txt: one agent may fetch nothing at all, one must wait a second
/// between requests, and every agent may fetch anything but /private/.
pub const ROBOTS_TXT: &str = "User-agent: pickybot\nDisallow: /\n\n\
     User-agent: slowbot\nCrawl-delay: 1\nDisallow: /private/\n\n\
     User-agent: *\nDisallow: /private/\n";

/// A running fault site. Dropping it stops it.
#[derive(Debug)]
pub struct FaultSite {
    addr: SocketAddr,
    ca_pem: Option<String>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FaultSite {
    /// Binds 127.0.0.1:`port` (0 for any free one) and serves, with https if `tls`.
    pub fn start(port: u16, tls: bool) -> Result<FaultSite, ServeError> {
        let (listener, addr, ca) = listen(port, tls)?;
        let stop = Arc::new(AtomicBool::new(false));
        let site = Arc::new(Pages {
            origin: origin_of(addr, tls),
            stop: stop.clone(),
        });
        let server = ca.as_ref().map(|ca| ca.server.clone());
        let thread = std::thread::Builder::new()
            .name("fault-site".into())
            .spawn({
                let stop = stop.clone();
                move || accept(listener, site, server, stop)
            })
            .map_err(ServeError::Runtime)?;
        Ok(FaultSite {
            addr,
            ca_pem: ca.map(|ca| ca.ca_pem),
            stop,
            thread: Some(thread),
        })
    }

    /// The site's root URL.
    pub fn base_url(&self) -> Url {
        origin_of(self.addr, self.ca_pem.is_some())
    }

    /// With TLS, the CA certificate to trust (PEM).
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// Blocks until the site stops (for `shootout serve --faults`).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for FaultSite {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept so it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn accept(
    listener: TcpListener,
    site: Arc<Pages>,
    tls: Option<Arc<rustls::ServerConfig>>,
    stop: Arc<AtomicBool>,
) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let (site, tls) = (site.clone(), tls.clone());
        // A thread per connection: simple, and a hanging page holds only its own thread.
        let _ = std::thread::Builder::new()
            .name("fault-conn".into())
            .spawn(move || {
                let _ = serve_one(stream, &site, tls);
            });
    }
}

/// A connection, plain or TLS, and the socket under it (for the reset).
trait Conn: Read + Write {
    fn socket(&self) -> &TcpStream;
    /// Ends the response as a well-behaved server does (TLS: with close_notify, so that a
    /// body ended by closing the connection is not taken for a truncated one).
    fn close(&mut self) -> io::Result<()>;
}

impl Conn for TcpStream {
    fn socket(&self) -> &TcpStream {
        self
    }
    fn close(&mut self) -> io::Result<()> {
        self.flush()
    }
}

impl Conn for rustls::StreamOwned<rustls::ServerConnection, TcpStream> {
    fn socket(&self) -> &TcpStream {
        &self.sock
    }
    fn close(&mut self) -> io::Result<()> {
        self.conn.send_close_notify();
        self.flush()
    }
}

fn serve_one(
    stream: TcpStream,
    site: &Pages,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> io::Result<()> {
    // No client of ours waits this long for anything but /hang, which does not read.
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    match tls {
        None => site.answer(stream),
        Some(config) => {
            let conn = rustls::ServerConnection::new(config).map_err(io::Error::other)?;
            site.answer(rustls::StreamOwned::new(conn, stream))
        }
    }
}

struct Pages {
    origin: Url,
    stop: Arc<AtomicBool>,
}

impl Pages {
    fn answer(&self, mut conn: impl Conn) -> io::Result<()> {
        let Some(request) = read_request(&mut conn)? else {
            return Ok(());
        };
        if request.path == "/reset" {
            reset(conn.socket());
            return Ok(());
        }
        self.page(&request, &mut conn)?;
        conn.close()
    }

    fn page(&self, request: &Request, conn: &mut impl Conn) -> io::Result<()> {
        let path = request.path.as_str();
        let html = "text/html; charset=utf-8";
        match path {
            "/" => {
                let links: String = FAULTS
                    .iter()
                    .map(|f| {
                        let does = f.does.replace('&', "&amp;").replace('<', "&lt;");
                        format!("<li><a href=\"{0}\">{0}</a>: {does}</li>\n", f.path)
                    })
                    .collect();
                let body = format!("<!doctype html><title>fault site</title><ul>\n{links}</ul>");
                respond(conn, "200 OK", html, body.as_bytes())
            }
            "/robots.txt" => respond(conn, "200 OK", "text/plain", ROBOTS_TXT.as_bytes()),
            "/ok" => respond(conn, "200 OK", html, b"<title>ok</title><p>fine"),
            // Not linked: the User-Agent the request came with, as the title, for tests.
            "/whoami" => {
                let agent = request
                    .user_agent
                    .replace('&', "&amp;")
                    .replace('<', "&lt;");
                let body = format!("<title>{agent}</title>");
                respond(conn, "200 OK", html, body.as_bytes())
            }
            "/not-found" => respond(conn, "404 Not Found", html, b"<title>404</title>"),
            "/server-error" => respond(conn, "500 Internal Server Error", html, b""),
            "/hang" => {
                // Hold the connection open, answering nothing, until the site stops.
                while !self.stop.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Ok(())
            }
            "/garbage" => {
                conn.write_all(b"SSH-2.0-OpenSSH_9.6 this is not HTTP\r\n\r\n")?;
                conn.flush()
            }
            "/truncated" => {
                write!(
                    conn,
                    "HTTP/1.1 200 OK\r\nContent-Type: {html}\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"
                )?;
                conn.write_all(&[b'x'; 100])?;
                conn.flush()
            }
            "/huge" => {
                write!(
                    conn,
                    "HTTP/1.1 200 OK\r\nContent-Type: {html}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    200u64 << 20
                )?;
                send_up_to(conn, 200 << 20)
            }
            "/endless" => {
                write!(
                    conn,
                    "HTTP/1.1 200 OK\r\nContent-Type: {html}\r\nConnection: close\r\n\r\n<title>endless</title>"
                )?;
                send_up_to(conn, 200 << 20)
            }
            "/binary" => {
                // Every byte value, over and over: no text, no title, and not parsed.
                let body: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8).collect();
                respond(conn, "200 OK", "application/octet-stream", &body)
            }
            "/no-length" => {
                write!(
                    conn,
                    "HTTP/1.1 200 OK\r\nContent-Type: {html}\r\nConnection: close\r\n\r\n<title>no length</title><p>ends when the connection does"
                )?;
                conn.flush()
            }
            "/soup" => {
                let mut body = b"<title>tag soup</title>".to_vec();
                body.extend_from_slice(&b"<div>".repeat(20_000));
                respond(conn, "200 OK", html, &body)
            }
            "/latin1" => respond(
                conn,
                "200 OK",
                "text/html; charset=iso-8859-1",
                b"<title>Caf\xe9 na\xefve</title>",
            ),
            "/cp1252" => respond(
                conn,
                "200 OK",
                "text/html",
                b"<meta charset=windows-1252><title>\x93Smart\x94 quotes \x96 \x805</title>",
            ),
            "/redirect/chain" => redirect(conn, "301 Moved Permanently", "/redirect/chain/2"),
            "/redirect/chain/2" => redirect(conn, "302 Found", "3"),
            "/redirect/chain/3" => redirect(conn, "307 Temporary Redirect", "/ok"),
            "/redirect/private" => redirect(conn, "301 Moved Permanently", "/private/secret"),
            "/redirect/loop" => redirect(conn, "301 Moved Permanently", "/redirect/loop-b"),
            "/redirect/loop-b" => redirect(conn, "301 Moved Permanently", "/redirect/loop"),
            "/redirect/away" => {
                let mut away = self.origin.clone();
                let _ = away.set_host(Some("localhost"));
                away.set_path("/ok");
                redirect(conn, "301 Moved Permanently", away.as_str())
            }
            many if many.starts_with("/redirect/many") => {
                let hop: u32 = many
                    .strip_prefix("/redirect/many/")
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                let next = if hop >= 12 {
                    "/ok".to_owned()
                } else {
                    format!("/redirect/many/{}", hop + 1)
                };
                redirect(conn, "302 Found", &next)
            }
            "/private/secret" => respond(
                conn,
                "200 OK",
                html,
                b"<title>you should not be here</title>",
            ),
            _ => respond(conn, "404 Not Found", html, b"<title>404</title>"),
        }
    }
}

/// What the fault site reads of a request.
struct Request {
    path: String,
    user_agent: String,
}

/// Reads one request head (`None` if the client sent nothing).
fn read_request(conn: &mut impl Read) -> io::Result<Option<Request>> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = conn.read(&mut chunk)?;
        if n == 0 {
            return Ok(None);
        }
        head.extend_from_slice(&chunk[..n]);
        if head.len() > 64 * 1024 {
            return Ok(None);
        }
    }
    let text = String::from_utf8_lossy(&head);
    let user_agent = text
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("user-agent"))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let target = text
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("/");
    // A request through a proxy names the whole URL.
    let path = match Url::parse(target) {
        Ok(u) => u.path().to_owned(),
        Err(_) => target.split('?').next().unwrap_or("/").to_owned(),
    };
    Ok(Some(Request { path, user_agent }))
}

fn respond(conn: &mut impl Write, status: &str, content_type: &str, body: &[u8]) -> io::Result<()> {
    write!(
        conn,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    conn.write_all(body)?;
    conn.flush()
}

fn redirect(conn: &mut impl Write, status: &str, location: &str) -> io::Result<()> {
    write!(
        conn,
        "HTTP/1.1 {status}\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    conn.flush()
}

/// Sends up to `total` bytes of filler, stopping as soon as the client hangs up.
fn send_up_to(conn: &mut impl Write, total: usize) -> io::Result<()> {
    let block = [b'x'; 64 * 1024];
    let mut sent = 0;
    while sent < total {
        conn.write_all(&block)?;
        sent += block.len();
    }
    conn.flush()
}

/// Closes the connection with a TCP reset: SO_LINGER with a zero timeout makes `close` send
/// RST instead of FIN, which is what a crashed or overloaded server looks like.
fn reset(socket: &TcpStream) {
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: setsockopt on a socket we own, with a pointer to a live `linger` of the size
    // we pass.
    unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            std::ptr::from_ref(&linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}
