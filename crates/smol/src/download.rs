//! `download`: a task per URL, at most C alive at once.

use std::sync::Arc;

use shootout_core::PageRecord;
use shootout_core::page::download_record;
use smol::Executor;
use url::Url;

use crate::Client;
use crate::bounded::spawn_bounded;

/// Each task owns its URL and a handle to the shared client, as `'static` tasks must.
pub async fn download(
    ex: &Executor<'static>,
    client: Arc<Client>,
    urls: &[Url],
    concurrency: usize,
) -> Vec<PageRecord> {
    spawn_bounded(
        ex,
        urls.len(),
        concurrency,
        |i| urls[i].to_string(),
        |i| {
            let (client, url) = (client.clone(), urls[i].clone());
            async move { download_record(url.as_str(), client.get(&url).await) }
        },
    )
    .await
}
