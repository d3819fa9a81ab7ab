//! The server serves the generated pages, holds each response for the latency, and answers
//! fault routes as documented.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use shootout_site::{Content, Server, ServerConfig, SiteSpec};

/// A minimal HTTP/1.1 GET over a raw socket, so the test does not trust any client library.
fn get(server: &Server, path: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(server.addr()).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head[9..12].parse().expect("status code");
    (status, head, raw[split + 4..].to_vec())
}

fn start(latency_ms: u64) -> Server {
    Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: 12,
            page_kb: 8,
            seed: 1,
            quirks: false,
            links: 0,
        }),
        latency: Duration::from_millis(latency_ms),
        ..ServerConfig::default()
    })
    .expect("server starts")
}

#[test]
fn serves_exactly_the_generated_pages() {
    let srv = start(0);
    let site = srv.site().expect("synthetic");
    for path in ["/", "/page/0", "/page/11", "/data/2.txt"] {
        let (status, head, body) = get(&srv, path);
        let want = site.get(path).expect("generated");
        assert_eq!(status, 200, "{path}");
        assert_eq!(body, want.body.as_ref(), "{path}");
        assert!(
            head.to_ascii_lowercase()
                .contains(&want.content_type.to_ascii_lowercase())
        );
    }
    assert_eq!(get(&srv, "/page/12").0, 404);
    assert_eq!(get(&srv, "/status/503").0, 503);
    assert_eq!(get(&srv, "/bytes/1234").2.len(), 1234);
    assert!(srv.base_url().as_str().starts_with("http://127.0.0.1:"));
}

/// The server's threads' CPU time is counted, and grows with the requests it serves.
#[test]
#[cfg(target_os = "linux")]
fn counts_the_cpu_its_threads_spend() {
    let srv = start(0);
    let before = srv.cpu().expect("Linux threads have CPU clocks");
    for _ in 0..200 {
        assert_eq!(get(&srv, "/page/3").0, 200);
    }
    let after = srv.cpu().expect("still counted");
    assert!(after > before, "{before:?} -> {after:?}");
    // Generous: 200 small responses are far from a second of CPU.
    assert!(
        after - before < Duration::from_secs(10),
        "{before:?} -> {after:?}"
    );
}

#[test]
fn holds_each_response_for_the_latency() {
    let srv = start(200);
    let start = Instant::now();
    let (status, _, _) = get(&srv, "/page/1");
    let took = start.elapsed();
    assert_eq!(status, 200);
    // Generous: at least the latency, and not absurdly more.
    assert!(took >= Duration::from_millis(200), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn serves_a_directory_without_escaping_it() {
    let dir = std::env::temp_dir().join(format!("shootout-site-test-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub")).expect("mkdir");
    std::fs::write(dir.join("index.html"), "<title>home</title>").expect("write");
    std::fs::write(dir.join("sub/a.txt"), "text").expect("write");
    let srv = Server::start(ServerConfig {
        content: Content::Dir(dir.clone()),
        ..ServerConfig::default()
    })
    .expect("server starts");
    let (status, _, body) = get(&srv, "/");
    assert_eq!(
        (status, body.as_slice()),
        (200, b"<title>home</title>".as_slice())
    );
    let (status, head, _) = get(&srv, "/sub/a.txt");
    assert_eq!(status, 200);
    assert!(head.contains("text/plain"));
    assert_eq!(get(&srv, "/../etc/passwd").0, 404);
    assert_eq!(get(&srv, "/nope.html").0, 404);
    drop(srv);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn serves_a_real_doc_tree_as_a_static_server_does() {
    let dir = std::env::temp_dir().join(format!("shootout-site-tree-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("book/ch 1")).expect("mkdir");
    std::fs::write(dir.join("book/index.html"), "<a href=\"intro.html\">i</a>").expect("write");
    std::fs::write(dir.join("book/ch 1/ünïcode.html"), "<title>u</title>").expect("write");
    std::fs::write(dir.join("secret"), "outside").expect("write");
    let srv = Server::start(ServerConfig {
        content: Content::Dir(dir.join("book")),
        ..ServerConfig::default()
    })
    .expect("server starts");
    // A directory without its slash moves to the slash, so its relative links resolve inside.
    let (status, head, _) = get(&srv, "/");
    assert_eq!(status, 200, "{head}");
    let (status, head, _) = get(&srv, "/ch%201");
    assert_eq!(status, 301, "{head}");
    assert!(head.contains("location: /ch%201/"), "{head}");
    let (status, head, _) = get(&srv, "/ch%201?x=1");
    assert_eq!(status, 301, "{head}");
    assert!(head.contains("location: /ch%201/?x=1"), "{head}");
    // Percent-encoded names are decoded to the file's real name.
    let (status, _, body) = get(&srv, "/ch%201/%C3%BCn%C3%AFcode.html");
    assert_eq!(
        (status, body.as_slice()),
        (200, b"<title>u</title>".as_slice())
    );
    // Encoded dot segments climb no further than plain ones.
    assert_eq!(get(&srv, "/%2e%2e/secret").0, 404);
    assert_eq!(get(&srv, "/ch%201/%2E%2E/%2e%2e/secret").0, 404);
    assert_eq!(get(&srv, "/%ff.html").0, 404);
    drop(srv);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_missing_directory_is_a_clear_error() {
    let err = Server::start(ServerConfig {
        content: Content::Dir("/definitely/not/here".into()),
        ..ServerConfig::default()
    })
    .expect_err("must fail");
    assert!(err.to_string().contains("not a readable directory"));
}
