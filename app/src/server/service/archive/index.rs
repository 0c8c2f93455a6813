//! The archive's read model: a per-process snapshot of the facet columns of every published
//! record, rebuilt whenever the version counter in the database has moved (so several
//! processes stay consistent), and the search index rows each published record gets.
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use sea_orm::ConnectionTrait;

use super::search::Tally;
use crate::domain::consent::ConsentScope;
use crate::domain::search::tokenize;
use crate::error::AppError;
use crate::server::entities::practice;
use crate::server::{repo, sanitize, AppState};

/// The facets kept as interned codes on every entry, in this order.
pub(super) const CATEGORY: usize = 0;
pub(super) const EDITION: usize = 1;
pub(super) const REGION: usize = 2;
pub(super) const INDUSTRY: usize = 3;
pub(super) const SIZE: usize = 4;
pub(super) const DIMS: usize = 5;
/// Facet positions beyond the interned ones, for the "which filters does it fail" mask.
pub(super) const TAG: usize = 5;
pub(super) const BADGE: usize = 6;

#[derive(Clone, Debug)]
pub struct Entry {
    pub id: i64,
    pub published: i64,
    /// Codes into `Snapshot::values`, per facet (`CATEGORY`, `EDITION`, …); edition as its id text.
    pub dims: [u16; DIMS],
    pub badges: u8,
    /// Boxed: exactly as long as it needs to be, for every one of 100,000 entries.
    pub tags: Box<[u32]>,
}

/// Distinct values of one facet, numbered in order of first appearance.
#[derive(Debug, Default)]
pub struct Interner {
    pub values: Vec<String>,
    ix: HashMap<String, u16>,
}

impl Interner {
    pub(super) fn code(&mut self, v: &str) -> u16 {
        if let Some(c) = self.ix.get(v) {
            return *c;
        }
        let c = u16::try_from(self.values.len()).unwrap_or(u16::MAX);
        self.values.push(v.to_string());
        self.ix.insert(v.to_string(), c);
        c
    }
    pub(super) fn find(&self, v: &str) -> Option<u16> {
        self.ix.get(v).copied()
    }
}

/// A set of record ids as a bitmap (ids are dense row ids).
#[derive(Debug, Default)]
pub struct IdSet {
    pub(super) bits: Vec<u64>,
    len: usize,
}

impl IdSet {
    pub(super) fn from_ids(ids: &[i64]) -> IdSet {
        let max = ids.iter().copied().filter(|i| *i >= 0).max().unwrap_or(0) as usize;
        let mut bits = vec![0u64; max / 64 + 1];
        let mut len = 0;
        for id in ids.iter().filter(|i| **i >= 0).map(|i| *i as usize) {
            let (w, b) = (id / 64, 1u64 << (id % 64));
            if bits[w] & b == 0 {
                bits[w] |= b;
                len += 1;
            }
        }
        IdSet { bits, len }
    }
    /// The ids in both sets.
    pub(super) fn intersection(&self, other: &IdSet) -> IdSet {
        let bits: Vec<u64> = self.bits.iter().zip(&other.bits).map(|(a, b)| a & b).collect();
        let len = bits.iter().map(|w| w.count_ones() as usize).sum();
        IdSet { bits, len }
    }
    pub(super) fn contains(&self, id: i64) -> bool {
        id >= 0 && self.bits.get(id as usize / 64).is_some_and(|w| w & (1u64 << (id as usize % 64)) != 0)
    }
    pub(super) fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The records a query matches, anywhere and within the title.
#[derive(Debug)]
pub struct Matches {
    pub(super) all: IdSet,
    pub(super) title: IdSet,
}

#[derive(Debug)]
pub struct Snapshot {
    pub version: i64,
    /// Newest first.
    pub entries: Vec<Entry>,
    pub pos: HashMap<i64, usize>,
    pub values: [Interner; DIMS],
    pub tags: Vec<String>,
    pub(super) tag_ix: HashMap<String, u32>,
    /// edition id → (ja, en, year)
    pub editions: HashMap<i64, (String, String, i32)>,
    pub synonyms: Vec<Vec<String>>,
    /// Query results for this version, by query; dropped with the snapshot.
    pub(super) matches: moka::sync::Cache<String, Arc<Matches>>,
    /// Hits and facet counts for this version, by query and filters.
    pub(super) tallies: moka::sync::Cache<String, Arc<Tally>>,
}

/// How long a reading of the archive version is trusted without asking the database again.
/// Changes made in this process, or announced by another one (PostgreSQL), end it at once;
/// this bounds only what no announcement reached (another process on SQLite, a lost listener).
const VERSION_TTL: Duration = Duration::from_millis(500);
/// Bytes each per-version memo (matches, tallies) may hold: a flood of distinct searches costs
/// at most this much, and TinyLFU admission keeps the searches people repeat.
pub(super) const MEMO_BYTES: u64 = 8 * 1024 * 1024;

pub(super) fn memo<V: Send + Sync + 'static>(weigh: fn(&String, &Arc<V>) -> u32) -> moka::sync::Cache<String, Arc<V>> {
    moka::sync::Cache::builder().max_capacity(MEMO_BYTES).weigher(weigh).build()
}

impl Matches {
    #[allow(clippy::ptr_arg)] // moka's weigher is called with `&K` = `&String`
    pub(super) fn weight(key: &String, m: &Arc<Matches>) -> u32 {
        u32::try_from(key.len() + (m.all.bits.len() + m.title.bits.len()) * 8 + 64).unwrap_or(u32::MAX)
    }
}

#[derive(Default)]
pub struct Cache {
    snapshot: RwLock<Option<Arc<Snapshot>>>,
    /// (version, when read, `Db::changes` before reading)
    version: Mutex<Option<(i64, Instant, u64)>>,
    /// The forum's counter, read the same way.
    forum: Mutex<Option<(i64, Instant, u64)>>,
    /// Sitemap files and the feed, by name, with the version they were built for.
    feeds: Mutex<HashMap<String, (i64, Arc<String>)>>,
}

impl Cache {
    pub fn new() -> Cache {
        Cache::default()
    }

    pub(super) fn feed(&self, key: &str, version: i64) -> Option<Arc<String>> {
        self.feeds.lock().ok()?.get(key).filter(|(v, _)| *v == version).map(|(_, d)| d.clone())
    }

    pub(super) fn keep_feed(&self, key: String, version: i64, doc: Arc<String>) {
        if let Ok(mut m) = self.feeds.lock() {
            // Documents of older versions go: only the current one is ever served.
            m.retain(|_, (v, _)| *v == version);
            m.insert(key, (version, doc));
        }
    }
}

/// The archive's version: every change on a public surface moves it. Read from the database at
/// most every `VERSION_TTL`, and at once after any change this process knows of.
pub async fn current_version(state: &AppState) -> Result<i64, AppError> {
    counter(state, &state.archive.version, "version").await
}

/// The forum's counter (event pages), read like the archive's version.
pub async fn current_forum_version(state: &AppState) -> Result<i64, AppError> {
    counter(state, &state.archive.forum, "forum").await
}

/// A counter re-read only after a commit in this process (`Db::changes`), an announcement from
/// another one, or `VERSION_TTL`.
async fn counter(state: &AppState, slot: &Mutex<Option<(i64, Instant, u64)>>, name: &str) -> Result<i64, AppError> {
    let changes = state.db.changes();
    if let Ok(guard) = slot.lock() {
        if let Some((v, at, seen)) = *guard {
            if seen == changes && at.elapsed() < VERSION_TTL {
                return Ok(v);
            }
        }
    }
    let v = repo::archive::meta_value(state.db.conn(), name).await?;
    if let Ok(mut guard) = slot.lock() {
        if guard.is_none_or(|(_, _, seen)| seen <= changes) {
            *guard = Some((v, Instant::now(), changes));
        }
    }
    Ok(v)
}

/// The snapshot for the archive's current version, rebuilt when it has moved.
pub async fn snapshot(state: &AppState) -> Result<Arc<Snapshot>, AppError> {
    let version = current_version(state).await?;
    if let Ok(guard) = state.archive.snapshot.read() {
        if let Some(s) = guard.as_ref().filter(|s| s.version == version) {
            return Ok(s.clone());
        }
    }
    let built = Arc::new(build_snapshot(state.db.conn(), version).await?);
    if let Ok(mut guard) = state.archive.snapshot.write() {
        if guard.as_ref().is_none_or(|s| s.version <= version) {
            *guard = Some(built.clone());
        }
    }
    Ok(built)
}

async fn build_snapshot<C: ConnectionTrait>(c: &C, version: i64) -> Result<Snapshot, AppError> {
    let text = repo::archive::published_facets(c).await?;
    let mut badges: HashMap<i64, u8> = HashMap::new();
    for (kind, ids) in repo::archive::badge_holders(c).await? {
        let Some(kind) = crate::domain::archive::BadgeKind::parse(&kind) else { continue };
        for id in ids {
            *badges.entry(id).or_default() |= kind.bit();
        }
    }
    let mut tag_ix: HashMap<String, u32> = HashMap::new();
    let mut tags: Vec<String> = vec![];
    let mut by_practice: HashMap<i64, Vec<u32>> = HashMap::new();
    for (tag, ids) in repo::archive::published_tags(c).await? {
        let ix = tags.len() as u32;
        for id in ids {
            by_practice.entry(id).or_default().push(ix);
        }
        tag_ix.insert(tag.clone(), ix);
        tags.push(tag);
    }
    let mut values: [Interner; DIMS] = Default::default();
    let mut entries: Vec<Entry> = Vec::with_capacity(text.bytes().filter(|b| *b == 0x1e).count() + 1);
    for row in repo::archive::facet_rows(&text) {
        let r = row?;
        let mut dims = [0u16; DIMS];
        for (d, v) in [
            (CATEGORY, r.category),
            (EDITION, r.edition),
            (REGION, r.region),
            (INDUSTRY, r.industry),
            (SIZE, r.org_size),
        ] {
            dims[d] = values[d].code(v);
        }
        entries.push(Entry {
            id: r.id,
            published: r.published,
            dims,
            badges: badges.get(&r.id).copied().unwrap_or(0),
            tags: by_practice.remove(&r.id).map(Vec::into_boxed_slice).unwrap_or_default(),
        });
    }
    drop(text);
    entries.sort_by(|a, b| b.published.cmp(&a.published).then(b.id.cmp(&a.id)));
    let pos = entries.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let editions =
        repo::editions::list(c).await?.into_iter().map(|e| (e.id, (e.name_ja, e.name_en, e.start_year))).collect();
    let synonyms = repo::archive::synonyms(c)
        .await?
        .into_iter()
        .map(|s| s.words.split(',').map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect())
        .collect();
    Ok(Snapshot {
        version,
        entries,
        pos,
        values,
        tags,
        tag_ix,
        editions,
        synonyms,
        matches: memo(Matches::weight),
        tallies: memo(Tally::weight),
    })
}

/// The query's matches, from the snapshot's per-version memo or the search index.
/// Search tokens of what the public sees — never a hidden name: the name is indexed only while
/// the record is published with names.
pub(super) async fn index_record<C: ConnectionTrait>(
    c: &C,
    p: &practice::Model,
    tags: &[String],
) -> Result<(), AppError> {
    let title = tokenize(&p.title);
    let mut body_text = p.summary.clone();
    for s in super::publish::sections_of(p).values() {
        body_text.push('\n');
        body_text.push_str(&sanitize::to_plain_text(&s.html));
    }
    for t in tags {
        body_text.push('\n');
        body_text.push_str(t);
    }
    if p.consent_scope == ConsentScope::ArchiveNamed.key() {
        body_text.push('\n');
        body_text.push_str(&p.nominee_name);
    }
    let body = tokenize(&body_text);
    repo::archive::index(c, p.id, &title.seq_text(), &title.uni_text(), &body.seq_text(), &body.uni_text()).await?;
    Ok(())
}
