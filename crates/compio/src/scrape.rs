//! `scrape`: like download, then each page parsed on the core that fetched it.

use std::rc::Rc;

use shootout_core::PageRecord;
use shootout_core::page::scrape_page;
use url::Url;

use crate::bounded::spawn_bounded;
use crate::cores::Core;

/// One core's pages: fetched on its client, parsed inline.
///
/// Inline is the thread-per-core answer to CPU work: the core that holds the bytes parses
/// them, with no hand-off to another thread and no second pool. The price is the pitfall's
/// lesson: while this core parses, its other tasks wait (their responses wait in the ring's
/// completion queue). A page's parse is tens to hundreds of microseconds here, so the wait is
/// small next to L; `shootout run pitfall` measures it (the `inline` row).
pub async fn scrape(core: Rc<Core>, urls: Vec<(usize, Url)>) -> Vec<(usize, Option<PageRecord>)> {
    let share = core.share;
    spawn_bounded(urls, share, move |_, url| {
        let core = core.clone();
        async move {
            let fetched = core.client.get(&url).await;
            scrape_page(url.as_str(), fetched, core.extract)
        }
    })
    .await
}
