//! The one protocol every contestant speaks, Rust or Python or any other language: the job a
//! contestant's process reads on stdin, and the lines it answers with on stdout. The page a
//! new contestant's author follows is docs/protocol.md; this module is its Rust side.
//!
//! - A [`Job`] is one JSON object: the contestant's name, the scenario, the [`Knobs`], and the
//!   scenario's inputs. URLs travel inline. In-memory pages (`parse`) travel as a file the
//!   parent wrote before the clock started ([`PagesFile`]): the child reads each page straight
//!   into a buffer of its own, so it holds the pages once, as `Knobs::check_memory` counts them
//!   (inline, they would be held three times over: the JSON text, its parsed strings and the
//!   pages), and the parent never builds a copy of every body to send.
//! - The answer is JSON lines ([`Line`]): `{"admitted": URL}` as a streamed crawl admits each
//!   URL, `{"record": …}` once per input (per admitted URL, in a crawl), and last one
//!   `{"done": …}` ([`Done`]) with what the child measured of itself around the scenario alone.
//!
//! [`Job::inputs`] checks a job the way every contestant relies on (its knobs within their
//! limits, the inputs its scenario needs present and well formed) and loads those inputs: in
//! the child, before its clock starts.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::driver::Driver;
use crate::files::Cache;
use crate::knobs::{InvalidKnobs, Knobs, Scenario};
use crate::load::{Load, Plan};
use crate::model::Runner;
use crate::page::Page;
use crate::pitfall::Offload;
use crate::record::PageRecord;
use crate::robots::Robots;
use crate::scope::CrawlSpec;

/// The protocol's version, sent in every job (`"protocol": 1`). A child that reads a job of
/// another version refuses it as malformed.
pub const PROTOCOL: u32 = 1;

/// One run of one contestant: everything its process needs, built by the parent.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Job {
    /// [`PROTOCOL`].
    pub protocol: u32,
    /// The contestant's registry name (a program may hold several contestants).
    pub contestant: String,
    /// The scenario.
    pub scenario: Scenario,
    /// The knobs, the same for every contestant.
    pub knobs: Knobs,
    /// `download`, `scrape` and `pitfall`: the URLs to fetch, in order. `load`: the pages
    /// its requests cycle through (request i asks for `urls[i % len]?r=i`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<String>>,
    /// `load`: when each request falls due, in microseconds from the start of the run, in
    /// order ([`crate::load::Load::schedule`]): computed once by the harness, so every
    /// contestant, in any language, is due at the same instants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_us: Option<Vec<u64>>,
    /// `parse`: the in-memory pages, in a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<PagesFile>,
    /// `crawl`: where to start and what bounds the crawl.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crawl: Option<CrawlJob>,
    /// `pitfall`: where the parsing goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offload: Option<Offload>,
    /// `files`: the files to read, and whether the parent left them cold or warm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<FilesJob>,
    /// Write each crawl record (and each admitted URL) as it happens, for `shootout crawl`,
    /// rather than every record after the clock stops.
    #[serde(default)]
    pub stream: bool,
    /// Repeat the measured scenario until it has been measured this long, in seconds (at least
    /// once, at most [`MAX_REPETITIONS`] times), and report the median repetition: a run of a
    /// few milliseconds is noise, a median of many is a measurement. 0 measures it once. A
    /// program may run once whatever this says; its row then says how long it ran.
    #[serde(default)]
    pub budget_s: f64,
}

/// The most times a child repeats a scenario to fill its [`Job::budget_s`].
pub const MAX_REPETITIONS: usize = 1000;

/// `parse`'s pages: their bodies one after another in `file`, in the order of `index`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PagesFile {
    /// The file the parent wrote.
    pub file: PathBuf,
    /// Each page's URL and the length of its body in bytes.
    pub index: Vec<PageEntry>,
}

/// One page of a [`PagesFile`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PageEntry {
    /// Where the page would live; copied into its record.
    pub url: String,
    /// The length of its body, in bytes.
    pub len: usize,
}

/// `crawl`'s inputs.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CrawlJob {
    /// The first URL.
    pub root: String,
    /// Stop admitting URLs after this many (the root included).
    pub max_pages: usize,
    /// Follow links at most this many hops from the root.
    #[serde(default)]
    pub max_depth: Option<usize>,
    /// Admit only paths that start with this prefix.
    #[serde(default)]
    pub prefix: Option<String>,
    /// The site's robots.txt, fetched once by the parent; `null` obeys none.
    #[serde(default)]
    pub robots: Option<RobotsTxt>,
}

/// `files`' inputs: the parent wrote the files, and evicted them from the page cache (cold) or
/// read them once (warm), before the child started.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FilesJob {
    /// Every file to read, by its path, in order; each record's `url` is its path as given.
    pub paths: Vec<String>,
    /// `files`: the cache state the parent left them in, for the record: the child does
    /// nothing with it (a cold run is measured once, so no repetition reads what the last one
    /// cached). `write` has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<Cache>,
    /// `write`: the file whose bytes every written file starts from
    /// ([`crate::files::write_content`]), read by the child before its clock starts; `paths`
    /// are then the files to write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A robots.txt as the parent fetched it, for each child to read with its own parser.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RobotsTxt {
    /// Where it was fetched from.
    pub url: String,
    /// The response's status: 2xx holds rules, 4xx means none, 5xx disallows everything.
    pub status: u16,
    /// The response's body.
    pub body: String,
}

/// Why a job cannot be run. Every variant is the child's one-line error, with exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Not a job: not JSON, a field missing or of the wrong type, or another protocol version.
    #[error("malformed job: {0}")]
    Malformed(String),
    /// A knob no contestant can run with.
    #[error("bad knobs: {0}")]
    Knobs(#[from] InvalidKnobs),
    /// The scenario's inputs are not in the job.
    #[error("a {scenario} job needs `{field}`")]
    Missing {
        /// The scenario.
        scenario: Scenario,
        /// The field it needs.
        field: &'static str,
    },
    /// A URL that does not parse, or is not http(s).
    #[error("bad URL '{url}': {why}")]
    Url {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        why: String,
    },
    /// The pages file cannot be read, or holds fewer bytes than its index says.
    #[error("pages file {path}: {why}")]
    Pages {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        why: String,
    },
    /// The job names a contestant this program does not hold.
    #[error("unknown contestant '{0}'")]
    UnknownContestant(String),
    /// The contestant does not run this scenario (or this `pitfall` variant).
    #[error("{contestant} does not run {what}")]
    Unsupported {
        /// The contestant.
        contestant: String,
        /// The scenario or variant.
        what: String,
    },
}

impl Job {
    /// A job of `scenario` for `contestant`, with no inputs yet (a `sleep` job needs none).
    pub fn new(contestant: &str, scenario: Scenario, knobs: Knobs) -> Job {
        Job {
            protocol: PROTOCOL,
            contestant: contestant.to_owned(),
            scenario,
            knobs,
            urls: None,
            due_us: None,
            pages: None,
            crawl: None,
            offload: None,
            files: None,
            stream: false,
            budget_s: 0.0,
        }
    }

    /// Reads a job from its JSON.
    pub fn from_json(text: &[u8]) -> Result<Job, JobError> {
        let job: Job =
            serde_json::from_slice(text).map_err(|e| JobError::Malformed(e.to_string()))?;
        if job.protocol != PROTOCOL {
            return Err(JobError::Malformed(format!(
                "protocol {} (this program speaks {PROTOCOL})",
                job.protocol
            )));
        }
        Ok(job)
    }

    /// The URLs a correct run owes a record each before it starts: every input URL, the
    /// crawl's root, or `sleep:i` for each wait. (A crawl owes one more for each URL it
    /// admits, which its `admitted` lines announce.)
    pub fn owed(&self) -> Vec<String> {
        match self.scenario {
            Scenario::Sleep => (0..self.knobs.pages)
                .map(|i| format!("sleep:{i}"))
                .collect(),
            Scenario::Crawl => self.crawl.iter().map(|c| c.root.clone()).collect(),
            Scenario::Parse => self
                .pages
                .iter()
                .flat_map(|p| p.index.iter().map(|e| e.url.clone()))
                .collect(),
            Scenario::Download | Scenario::Scrape | Scenario::Pitfall => {
                self.urls.clone().unwrap_or_default()
            }
            Scenario::Load => match self.plan() {
                Ok(plan) => (0..plan.len()).map(|i| plan.url(i).to_string()).collect(),
                Err(_) => Vec::new(),
            },
            Scenario::Files | Scenario::Write => self
                .files
                .iter()
                .flat_map(|f| f.paths.iter().cloned())
                .collect(),
        }
    }

    /// A `load` job's plan: its pages, its schedule, C and Q.
    pub fn plan(&self) -> Result<Plan, JobError> {
        let missing = |field| JobError::Missing {
            scenario: self.scenario,
            field,
        };
        let pages: Vec<Url> = self
            .urls
            .as_ref()
            .ok_or(missing("urls"))?
            .iter()
            .map(|u| http_url(u))
            .collect::<Result<_, _>>()?;
        if pages.is_empty() {
            return Err(missing("urls"));
        }
        let due = self.due_us.as_ref().ok_or(missing("due_us"))?;
        if due.len() > Load::MAX_REQUESTS {
            return Err(JobError::Malformed(format!(
                "due_us holds {} requests, more than {}",
                due.len(),
                Load::MAX_REQUESTS
            )));
        }
        Ok(Plan {
            pages,
            due: due.iter().map(|&us| Duration::from_micros(us)).collect(),
            concurrency: self.knobs.concurrency,
            queue: self.knobs.load.queue,
        })
    }

    /// Checks the job and loads its inputs: the knobs within their limits, and the inputs its
    /// scenario needs present and well formed. For `parse` this reads the pages file, which is
    /// why it happens before the clock starts.
    pub fn inputs(&self) -> Result<Inputs, JobError> {
        self.knobs.validate()?;
        let urls = |field: &'static str| -> Result<Vec<Url>, JobError> {
            self.urls
                .as_ref()
                .ok_or(JobError::Missing {
                    scenario: self.scenario,
                    field,
                })?
                .iter()
                .map(|u| http_url(u))
                .collect()
        };
        Ok(match self.scenario {
            Scenario::Sleep => Inputs::Sleep(self.knobs.pages, self.knobs.latency()),
            Scenario::Download => Inputs::Download(urls("urls")?),
            Scenario::Scrape => Inputs::Scrape(urls("urls")?),
            Scenario::Pitfall => {
                let offload = self.offload.ok_or(JobError::Missing {
                    scenario: self.scenario,
                    field: "offload",
                })?;
                Inputs::Pitfall(urls("urls")?, offload)
            }
            Scenario::Parse => Inputs::Parse(
                self.pages
                    .as_ref()
                    .ok_or(JobError::Missing {
                        scenario: self.scenario,
                        field: "pages",
                    })?
                    .read()?,
            ),
            Scenario::Load => Inputs::Load(Arc::new(self.plan()?)),
            Scenario::Files => Inputs::Files(
                self.files
                    .as_ref()
                    .ok_or(JobError::Missing {
                        scenario: self.scenario,
                        field: "files",
                    })?
                    .paths
                    .iter()
                    .map(PathBuf::from)
                    .collect(),
            ),
            Scenario::Write => {
                let missing = |field| JobError::Missing {
                    scenario: self.scenario,
                    field,
                };
                let files = self.files.as_ref().ok_or(missing("files"))?;
                let source = files.source.as_ref().ok_or(missing("files.source"))?;
                let bytes = std::fs::read(source).map_err(|e| JobError::Pages {
                    path: PathBuf::from(source),
                    why: e.to_string(),
                })?;
                Inputs::Write(
                    files.paths.iter().map(PathBuf::from).collect(),
                    bytes,
                    self.knobs.fsync,
                )
            }
            Scenario::Crawl => {
                let crawl = self.crawl.as_ref().ok_or(JobError::Missing {
                    scenario: self.scenario,
                    field: "crawl",
                })?;
                let root = http_url(&crawl.root)?;
                let robots = match &crawl.robots {
                    None => None,
                    Some(r) => Some(Arc::new(Robots::from_response(
                        http_url(&r.url)?,
                        self.knobs.net.robots_agent(),
                        r.status,
                        r.body.as_bytes(),
                    ))),
                };
                let spec = CrawlSpec {
                    max_pages: crawl.max_pages.max(1),
                    max_depth: crawl.max_depth,
                    prefix: crawl.prefix.clone(),
                    robots,
                    journal: None,
                };
                Inputs::Crawl(root, spec)
            }
        })
    }
}

/// `text` as an http(s) URL.
fn http_url(text: &str) -> Result<Url, JobError> {
    let bad = |why: String| JobError::Url {
        url: text.to_owned(),
        why,
    };
    let url = Url::parse(text).map_err(|e| bad(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("not http(s)".into()));
    }
    Ok(url)
}

impl PagesFile {
    /// Writes `pages` (URL and body) one after another into a new file at `path`.
    pub fn write<'a>(
        path: &Path,
        pages: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> std::io::Result<PagesFile> {
        let mut out = BufWriter::new(File::create(path)?);
        let mut index = Vec::new();
        for (url, body) in pages {
            out.write_all(body)?;
            index.push(PageEntry {
                url: url.to_owned(),
                len: body.len(),
            });
        }
        out.into_inner().map_err(|e| e.into_error())?.sync_data()?;
        Ok(PagesFile {
            file: path.to_owned(),
            index,
        })
    }

    /// Reads every page, each body into a buffer of its own (as a page fetched over the
    /// network arrives), so the pages are held once.
    pub fn read(&self) -> Result<Vec<Page>, JobError> {
        let bad = |why: String| JobError::Pages {
            path: self.file.clone(),
            why,
        };
        let mut file = BufReader::new(File::open(&self.file).map_err(|e| bad(e.to_string()))?);
        self.index
            .iter()
            .map(|entry| {
                let mut body = vec![0; entry.len];
                file.read_exact(&mut body).map_err(|e| {
                    bad(format!(
                        "{e} (reading the {} bytes of {})",
                        entry.len, entry.url
                    ))
                })?;
                Ok(Page {
                    url: entry.url.as_str().into(),
                    body: body.into(),
                })
            })
            .collect()
    }
}

/// A scenario's inputs, loaded and checked ([`Job::inputs`]), ready to run.
pub enum Inputs {
    /// `sleep`: how many waits, and how long each.
    Sleep(usize, Duration),
    /// `download`: the page URLs.
    Download(Vec<Url>),
    /// `scrape`: the page URLs.
    Scrape(Vec<Url>),
    /// `crawl`: the root and the crawl's bounds (a streamed crawl sets its journal).
    Crawl(Url, CrawlSpec),
    /// `parse`: the pages, in memory.
    Parse(Vec<Page>),
    /// `pitfall`: the page URLs and where the parsing goes.
    Pitfall(Vec<Url>, Offload),
    /// `load`: the pages, the schedule, C and Q.
    Load(Arc<Plan>),
    /// `files`: the files to read.
    Files(Vec<PathBuf>),
    /// `write`: the files to write, the source bytes they start from, and whether to `fsync`
    /// each.
    Write(Vec<PathBuf>, Vec<u8>, bool),
}

/// What running a scenario produced.
pub struct Ran {
    /// One record per input.
    pub records: Vec<PageRecord>,
    /// For `pitfall`: the lateness of every heartbeat tick.
    pub lags: Option<Vec<Duration>>,
    /// For `load`: the requests refused as `overload`, by index (their records are made as
    /// they are written out: [`crate::load::LoadRun`]).
    pub refused: Vec<u32>,
}

impl Inputs {
    /// Runs the scenario on `runner`: the timed part. `None` if the runner does not run this
    /// scenario (only `pitfall` is optional: it needs an event loop).
    pub fn run(&self, runner: &dyn Runner) -> Option<Ran> {
        let records = |records| {
            Some(Ran {
                records,
                lags: None,
                refused: Vec::new(),
            })
        };
        match self {
            Inputs::Sleep(n, wait) => records(runner.sleep(*n, *wait)),
            Inputs::Download(urls) => records(runner.download(urls)),
            Inputs::Scrape(urls) => records(runner.scrape(urls)),
            Inputs::Crawl(root, spec) => records(runner.crawl(root, spec)),
            Inputs::Parse(pages) => records(runner.parse(pages)),
            Inputs::Files(paths) => records(runner.files(paths)),
            Inputs::Write(paths, source, fsync) => {
                records(runner.write_files(paths, source, *fsync))
            }
            Inputs::Pitfall(urls, offload) => runner.pitfall(urls, *offload).map(|p| Ran {
                records: p.records,
                lags: Some(p.lags),
                refused: Vec::new(),
            }),
            Inputs::Load(plan) => {
                let run = runner.load(plan);
                Some(Ran {
                    records: run.answered,
                    lags: None,
                    refused: run.refused,
                })
            }
        }
    }
}

/// One line of a contestant's answer.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Line {
    /// A streamed crawl admitted this URL: it is owed a record.
    Admitted(String),
    /// One input's record.
    Record(PageRecord),
    /// The records that follow are the repetition this numbers (2, 3, …; the first needs no
    /// line): every repetition's records are verified, not only the first's.
    Repetition(usize),
    /// The last line: what the child measured of itself.
    Done(Done),
}

/// What a child measured of itself around the scenario alone (set-up, interpreter start and
/// imports excluded), sent as its last line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Done {
    /// Wall-clock seconds of the scenario: of its median repetition, when it was repeated.
    pub wall_s: f64,
    /// CPU seconds (user + system, every thread, and every worker process it ran) meanwhile
    /// (of the same repetition).
    pub cpu_s: f64,
    /// How many times the scenario was measured (see [`Job::budget_s`]).
    #[serde(default = "one")]
    pub reps: usize,
    /// Peak resident memory of the process (and its workers), in bytes.
    pub peak_rss: u64,
    /// The driver its I/O went through, as its runtime reported it; without one, the row
    /// names the driver the contestant's registry entry declares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver: Option<Driver>,
    /// For `pitfall`: how late each heartbeat tick was, in seconds, for the parent to bin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lags_s: Option<Vec<f64>>,
    /// What else the runtime says about itself, such as an interpreter's version and whether
    /// its GIL was on: carried into the row as it came.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub runtime: BTreeMap<String, serde_json::Value>,
}

fn one() -> usize {
    1
}

/// Seconds as a [`Duration`] (a clock read twice can differ by a hair below zero, and a
/// foreign child may send anything).
pub fn secs(s: f64) -> Duration {
    if s.is_finite() && s > 0.0 {
        Duration::try_from_secs_f64(s).unwrap_or(Duration::MAX)
    } else {
        Duration::ZERO
    }
}

impl Default for Done {
    fn default() -> Done {
        Done {
            wall_s: 0.0,
            cpu_s: 0.0,
            reps: 1,
            peak_rss: 0,
            driver: None,
            lags_s: None,
            runtime: BTreeMap::new(),
        }
    }
}

impl Done {
    /// The wall time.
    pub fn wall(&self) -> Duration {
        secs(self.wall_s)
    }

    /// The CPU time.
    pub fn cpu(&self) -> Duration {
        secs(self.cpu_s)
    }

    /// The heartbeat's lags, if any.
    pub fn lags(&self) -> Option<Vec<Duration>> {
        self.lags_s
            .as_ref()
            .map(|l| l.iter().copied().map(secs).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pages_file_round_trips_each_page_into_its_own_buffer() {
        let dir = std::env::temp_dir().join(format!("shootout-pages-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("pages.bin");
        let pages = [
            ("http://h/a", &b"<title>a</title>"[..]),
            ("http://h/b", b""),
            ("http://h/c", b"c"),
        ];
        let file = PagesFile::write(&path, pages).expect("written");
        let read = file.read().expect("read back");
        let got: Vec<(&str, &[u8])> = read.iter().map(|p| (&*p.url, &p.body[..])).collect();
        assert_eq!(got, pages);
        // An index that promises more than the file holds is refused, not read short.
        let mut long = file.clone();
        long.index[2].len = 2;
        assert!(matches!(long.read(), Err(JobError::Pages { .. })));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_job_is_checked_before_it_runs() {
        let knobs = Knobs {
            threads: 2,
            ..Knobs::default()
        };
        assert!(matches!(
            Job::from_json(b"{\"contestant\": 1}"),
            Err(JobError::Malformed(_))
        ));
        let mut job = Job::new("x", Scenario::Download, knobs.clone());
        let text = serde_json::to_vec(&job).expect("serialises");
        assert_eq!(Job::from_json(&text).expect("reads back").contestant, "x");
        job.protocol = 99;
        let text = serde_json::to_vec(&job).expect("serialises");
        assert!(matches!(Job::from_json(&text), Err(JobError::Malformed(m)) if m.contains("99")));

        let job = Job::new("x", Scenario::Download, knobs.clone());
        assert!(matches!(
            job.inputs(),
            Err(JobError::Missing { field: "urls", .. })
        ));
        let job = Job {
            urls: Some(vec!["ftp://h/".into()]),
            ..job
        };
        assert!(matches!(job.inputs(), Err(JobError::Url { .. })));
        let job = Job::new(
            "x",
            Scenario::Sleep,
            Knobs {
                threads: 0,
                ..knobs
            },
        );
        assert_eq!(
            job.inputs().err().map(|e| e.to_string()),
            Some("bad knobs: threads must be at least 1".into())
        );
    }

    #[test]
    fn seconds_from_a_child_are_never_negative_or_nan() {
        assert_eq!(secs(-0.0001), Duration::ZERO);
        assert_eq!(secs(f64::NAN), Duration::ZERO);
        assert_eq!(secs(1.5), Duration::from_millis(1500));
        assert_eq!(secs(f64::INFINITY), Duration::ZERO);
    }
}
