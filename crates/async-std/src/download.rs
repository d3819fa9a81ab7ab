//! `download`: a task per URL, at most C requests in flight.

use std::sync::Arc;

use shootout_core::PageRecord;
use shootout_core::page::download_record;
use url::Url;

use crate::{Client, contained};

/// Spawns every request at once; the engine lets C of them on the wire at a time.
pub async fn download(client: Arc<Client>, urls: &[Url]) -> Vec<PageRecord> {
    let tasks: Vec<_> = urls
        .iter()
        .map(|url| {
            let (client, url) = (client.clone(), url.clone());
            async_std::task::spawn(contained(url.to_string(), async move {
                download_record(url.as_str(), client.get(&url).await)
            }))
        })
        .collect();
    let mut records = Vec::with_capacity(urls.len());
    for task in tasks {
        records.push(task.await);
    }
    records
}
