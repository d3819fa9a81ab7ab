//! `download`: a task per URL, at most C requests in flight.

use std::sync::Arc;

use shootout_core::PageRecord;
use shootout_core::page::{download_record, task_failed};
use url::Url;

use crate::Client;

/// Spawns every request at once; the engine lets C of them on the wire at a time.
pub async fn download(client: Arc<Client>, urls: &[Url]) -> Vec<PageRecord> {
    let tasks: Vec<_> = urls
        .iter()
        .map(|url| {
            let (client, url) = (client.clone(), url.clone());
            tokio::spawn(async move { download_record(url.as_str(), client.get(&url).await) })
        })
        .collect();
    let mut records = Vec::with_capacity(urls.len());
    for (url, task) in urls.iter().zip(tasks) {
        records.push(task.await.unwrap_or_else(|e| task_failed(url.as_str(), e)));
    }
    records
}
