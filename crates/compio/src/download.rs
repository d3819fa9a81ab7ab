//! `download`: the URLs dealt round-robin to the cores; on each, a task per URL, at most the
//! core's share of C alive.

use std::rc::Rc;

use shootout_core::PageRecord;
use shootout_core::page::download_record;
use url::Url;

use crate::bounded::spawn_bounded;
use crate::cores::Core;

/// One core's downloads, on its own client: its own connections, in its own ring.
pub async fn download(core: Rc<Core>, urls: Vec<(usize, Url)>) -> Vec<(usize, Option<PageRecord>)> {
    let share = core.share;
    spawn_bounded(urls, share, move |_, url| {
        let core = core.clone();
        async move { download_record(url.as_str(), core.client.get(&url).await) }
    })
    .await
}
