//! `crawl`: the frontier split by URL hash, one shard per core, and no coordinator.
//!
//! Every other crawler in the lab has one coordinator that owns the whole frontier and that
//! every page reports back to. Here each core owns the URLs that hash to it
//! ([`Frontier::sharded`]): it alone decides whether one of them is new, fetches it on its own
//! connections, parses it inline, and sends each other core the links that core owns, in one
//! batch per page. A core's inbox carries its own finished pages and the other cores' batches.
//!
//! **When is it over?** No core can see the others' queues, so they count together: `pending`
//! is the number of admitted pages not yet finished plus batches not yet read. Work is counted
//! before the work that made it is uncounted (a page's new links, then the page), so it only
//! reaches zero when nothing is queued, in flight or in transit anywhere, and whoever takes it
//! to zero tells every core to stop.
//!
//! **Scaling out this way** (docs/concepts.md): put the shards on machines instead of cores,
//! the inboxes on a broker (Kafka or Redis streams, one partition per shard), and partition by
//! *host* rather than URL, so that each host's politeness delay and robots.txt live on one
//! shard. The lab's site is one host, which would put the whole crawl on one core, so it
//! splits by URL and shares the pacer.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_channel::{Receiver, Sender};
use futures_lite::FutureExt;
use shootout_core::frontier::Links;
use shootout_core::page::{Scraped, crawl_page};
use shootout_core::{Frontier, PageRecord};
use url::Url;

use crate::cores::Core;

/// What a core's inbox carries.
pub enum Msg {
    /// A page this core fetched and parsed, from its task.
    Page(Scraped),
    /// Links another core found that this core's shard owns.
    Links(Links),
    /// Nothing is pending anywhere: the crawl is over.
    Done,
}

/// One core's part of a crawl.
pub struct Part {
    /// The shard of the frontier this core owns.
    pub shard: Frontier,
    /// The root, on the core that owns it.
    pub root: Option<Url>,
    /// This core's inbox.
    pub inbox: Receiver<Msg>,
    /// Every core's inbox, this one's included, by shard.
    pub peers: Vec<Sender<Msg>>,
    /// Pages admitted and not finished, plus batches sent and not read, on every core.
    pub pending: Arc<AtomicUsize>,
}

/// The parts of a crawl from `root` over `cores` cores, each with its shard; the root is
/// pending.
pub fn parts(root: &Url, spec: &shootout_core::CrawlSpec, cores: usize) -> Vec<Part> {
    let (shards, root) = Frontier::sharded(root, spec, cores);
    let owner = Frontier::shard_of(root.as_str(), shards.len());
    let (peers, inboxes): (Vec<_>, Vec<_>) = (0..shards.len())
        .map(|_| async_channel::unbounded())
        .unzip();
    let pending = Arc::new(AtomicUsize::new(1));
    shards
        .into_iter()
        .zip(inboxes)
        .map(|(shard, inbox)| Part {
            root: (shard.shard() == owner).then(|| root.clone()),
            shard,
            inbox,
            peers: peers.clone(),
            pending: pending.clone(),
        })
        .collect()
}

/// One core's crawl: up to its share of C pages in flight, each fetched and parsed on this
/// core. Returns the records of the pages its shard owns.
pub async fn crawl(core: Rc<Core>, part: Part) -> Vec<PageRecord> {
    let Part {
        mut shard,
        root,
        inbox,
        peers,
        pending,
    } = part;
    let me = shard.shard();
    let scope = shard.scope();
    // If this loop ever unwinds, the other cores must not wait for it forever.
    let _stop_all = StopAll(&peers);
    let mut queue: VecDeque<Url> = root.into_iter().collect();
    let mut in_flight = 0;
    let mut records = Vec::new();
    loop {
        // Start pages until this core's share is in flight or its queue is empty.
        while in_flight < core.share.max(1) {
            let Some(url) = queue.pop_front() else { break };
            let (core, scope, back) = (core.clone(), scope.clone(), peers[me].clone());
            compio::runtime::spawn(async move {
                let visit = async {
                    let fetched = core.client.get_within(&url, &scope).await;
                    // Parsed inline, on the core that fetched it (see scrape.rs).
                    crawl_page(&url, fetched, core.extract, &scope)
                };
                // Even a panic must report back, or the crawl would never end.
                let page = AssertUnwindSafe(visit)
                    .catch_unwind()
                    .await
                    .unwrap_or_else(|_| Scraped::failed(url.as_str(), "panicked"));
                let _ = back.send(Msg::Page(page)).await;
            })
            // Dropping a compio JoinHandle cancels its task; detach it to let it run to the end.
            .detach();
            in_flight += 1;
        }
        let msg = inbox
            .recv()
            .await
            .expect("this core holds a sender to its own inbox, so it stays open");
        match msg {
            Msg::Page(page) => {
                in_flight -= 1;
                for links in shard.hand_off(page, &mut records) {
                    if links.shard == me {
                        let new = shard.take(links, &mut records);
                        pending.fetch_add(new.len(), Ordering::AcqRel);
                        queue.extend(new);
                    } else {
                        pending.fetch_add(1, Ordering::AcqRel);
                        let _ = peers[links.shard].try_send(Msg::Links(links));
                    }
                }
                finished(&pending, &peers);
            }
            Msg::Links(links) => {
                let new = shard.take(links, &mut records);
                pending.fetch_add(new.len(), Ordering::AcqRel);
                queue.extend(new);
                finished(&pending, &peers);
            }
            Msg::Done => break,
        }
    }
    records
}

/// Uncounts one finished page or read batch; the one that brings `pending` to zero stops
/// every core.
fn finished(pending: &AtomicUsize, peers: &[Sender<Msg>]) {
    if pending.fetch_sub(1, Ordering::AcqRel) == 1 {
        for p in peers {
            let _ = p.try_send(Msg::Done);
        }
    }
}

/// Stops every core if this one's loop unwinds (a bug, not a page: page tasks catch their
/// own panics), so the crawl ends with what it has instead of hanging.
struct StopAll<'a>(&'a [Sender<Msg>]);

impl Drop for StopAll<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            for p in self.0 {
                let _ = p.try_send(Msg::Done);
            }
        }
    }
}
