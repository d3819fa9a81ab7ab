//! robots.txt, fetched once before a crawl: a root it disallows is refused, a longer
//! `Crawl-delay` than `--delay-ms` wins, and the file goes to the contestant in its job, for
//! it to read with its own parser (docs/protocol.md).

use anyhow::bail;
use shootout_core::job::RobotsTxt;
use shootout_core::{FetchError, Knobs, Net, Robots};
use shootout_http::blocking::BlockingClient;
use url::Url;

/// Fetches the site's robots.txt, refuses a root it disallows, and lets a longer
/// `Crawl-delay` than `--delay-ms` win. A site that cannot be reached is reported here, as
/// the root would be.
pub fn obey(root: &Url, knobs: &mut Knobs) -> anyhow::Result<RobotsTxt> {
    let at = Robots::location(root);
    let client = BlockingClient::new(knobs, 1);
    let file = match client.get(&at) {
        Ok(f) => RobotsTxt {
            url: at.to_string(),
            status: f.status,
            body: String::from_utf8_lossy(&f.body).into_owned(),
        },
        Err(e @ (FetchError::Connect(_) | FetchError::Timeout(_) | FetchError::Tls(_))) => {
            bail!("cannot crawl {root}: {e} (while fetching {at})")
        }
        // Anything else (a broken or oversized file) states no rules.
        Err(e) => {
            eprintln!("note: {at} could not be read ({e}); crawling as if it had no rules");
            RobotsTxt {
                url: at.to_string(),
                status: 404,
                body: String::new(),
            }
        }
    };
    let robots = Robots::from_response(
        at,
        knobs.net.robots_agent(),
        file.status,
        file.body.as_bytes(),
    );
    if !robots.allows(root) {
        bail!(
            "{} (user agent '{}'); pass --ignore-robots to crawl it anyway",
            robots.refusal(root),
            knobs.net.robots_agent()
        );
    }
    if let Some(asked) = robots.crawl_delay() {
        let asked_ms = u64::try_from(asked.as_millis())
            .unwrap_or(u64::MAX)
            .min(Net::MAX_DELAY_MS);
        if asked_ms > knobs.net.delay_ms {
            eprintln!(
                "robots.txt asks for Crawl-delay: {:.1} s, so requests to the host are spaced that far apart",
                asked_ms as f64 / 1000.0
            );
            knobs.net.delay_ms = asked_ms;
        }
    }
    Ok(file)
}
