//! The archive's read model: a per-process snapshot of the facet columns of every published
//! record, rebuilt whenever the version counter in the database has moved (so several
//! processes stay consistent), and the search index rows each published record gets.
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use sea_orm::ConnectionTrait;

use super::search::Tally;
use crate::domain::archive::BadgeKind;
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
    /// Where the entry's tag codes are in `Snapshot::tag_list` (one list for all entries: 100,000
    /// small allocations, interleaved with the build's passing ones, kept memory from going back).
    pub tags: std::ops::Range<u32>,
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

/// A set of snapshot positions as a bitmap, one bit per entry (12.5 KB per 100,000 records).
#[derive(Debug, Default, Clone)]
pub struct PosSet {
    pub(super) bits: Box<[u64]>,
}

impl PosSet {
    /// No position of a snapshot of `n` entries.
    pub(super) fn none(n: usize) -> PosSet {
        PosSet { bits: vec![0u64; n.div_ceil(64)].into_boxed_slice() }
    }
    /// Every position of a snapshot of `n` entries.
    pub(super) fn all(n: usize) -> PosSet {
        let mut s = PosSet { bits: vec![u64::MAX; n.div_ceil(64)].into_boxed_slice() };
        if !n.is_multiple_of(64) {
            if let Some(last) = s.bits.last_mut() {
                *last = (1u64 << (n % 64)) - 1;
            }
        }
        s
    }
    pub(super) fn insert(&mut self, pos: usize) {
        if let Some(w) = self.bits.get_mut(pos / 64) {
            *w |= 1u64 << (pos % 64);
        }
    }
    /// Keeps only the positions also in `other`.
    pub(super) fn and(&mut self, other: &PosSet) {
        self.bits.iter_mut().zip(other.bits.iter()).for_each(|(a, b)| *a &= b);
    }
    /// Keeps only the positions not in `other`.
    pub(super) fn and_not(&mut self, other: &PosSet) {
        self.bits.iter_mut().zip(other.bits.iter()).for_each(|(a, b)| *a &= !b);
    }
    pub(super) fn len(&self) -> usize {
        self.bits.iter().map(|w| w.count_ones() as usize).sum()
    }
    pub(super) fn is_empty(&self) -> bool {
        self.bits.iter().all(|w| *w == 0)
    }
}

/// The entries carrying one facet value: a bitmap when many do, their positions when few (a
/// rare tag costs four bytes per record, not a bitmap of the whole archive).
#[derive(Debug)]
pub enum Members {
    Dense(PosSet),
    Sparse(Box<[u32]>),
}

impl Members {
    fn new(positions: Vec<u32>, n: usize) -> Members {
        // A bitmap is counted a word (64 records) at a time, a list a position at a time: a value
        // held by one record in 256 or more gets a bitmap (at most 256 per facet of one value
        // per record; a list costs up to an eighth of a bitmap).
        if positions.len() * 256 >= n {
            let mut s = PosSet::none(n);
            positions.iter().for_each(|p| s.insert(*p as usize));
            Members::Dense(s)
        } else {
            Members::Sparse(positions.into_boxed_slice())
        }
    }
    /// How many of `set`'s positions carry this value.
    pub(super) fn count_in(&self, set: &PosSet) -> u32 {
        match self {
            Members::Dense(m) => m.bits.iter().zip(set.bits.iter()).map(|(a, b)| (a & b).count_ones()).sum(),
            Members::Sparse(ps) => ps
                .iter()
                .filter(|p| set.bits.get(**p as usize / 64).is_some_and(|w| w & (1u64 << (**p % 64)) != 0))
                .count() as u32,
        }
    }
    /// Adds this value's positions to `set`.
    pub(super) fn add_to(&self, set: &mut PosSet) {
        match self {
            Members::Dense(m) => set.bits.iter_mut().zip(m.bits.iter()).for_each(|(a, b)| *a |= b),
            Members::Sparse(ps) => ps.iter().for_each(|p| set.insert(*p as usize)),
        }
    }
}

/// The records a query matches, anywhere and within the title, as snapshot positions.
#[derive(Debug)]
pub struct Matches {
    pub(super) all: PosSet,
    pub(super) title: PosSet,
}

impl Matches {
    /// From record ids (ids not in the snapshot, if any, are left out).
    pub(super) fn from_ids(snap: &Snapshot, all: &[i64], title: &[i64]) -> Matches {
        let set = |ids: &[i64]| {
            let mut s = PosSet::none(snap.entries.len());
            ids.iter().filter_map(|id| snap.position(*id)).for_each(|p| s.insert(p));
            s
        };
        Matches { all: set(all), title: set(title) }
    }
    /// The records both match.
    pub(super) fn both(&self, other: &Matches) -> Matches {
        let (mut all, mut title) = (self.all.clone(), self.title.clone());
        all.and(&other.all);
        title.and(&other.title);
        Matches { all, title }
    }
}

#[derive(Debug)]
pub struct Snapshot {
    pub version: i64,
    /// Newest first.
    pub entries: Vec<Entry>,
    /// Record id → position in `entries` (`u32::MAX`: not published); ids are dense row ids.
    pos: Vec<u32>,
    /// Per facet (`CATEGORY` … `SIZE`, then `TAG`, then `BADGE` in `BadgeKind::ALL` order), per
    /// value code: the positions carrying it. Facet counts are bitmap intersections with these,
    /// not a pass over every record.
    pub(super) members: Vec<Vec<Members>>,
    pub values: [Interner; DIMS],
    pub tags: Vec<String>,
    pub(super) tag_ix: HashMap<String, u32>,
    /// Every entry's tag codes, one after another (see `Entry::tags`).
    pub(super) tag_list: Vec<u32>,
    /// edition id → (ja, en, year)
    pub editions: HashMap<i64, (String, String, i32)>,
    pub synonyms: Vec<Vec<String>>,
    /// Query results for this version, by query; dropped with the snapshot.
    pub(super) matches: moka::sync::Cache<String, Arc<Matches>>,
    /// Hits and facet counts for this version, by query and filters.
    pub(super) tallies: moka::sync::Cache<String, Arc<Tally>>,
    /// Public record pages for this version, by (record id, forum version), with the facts the
    /// policy decided on (`search::record`).
    pub(super) records: moka::sync::Cache<(i64, i64), Arc<SeenRecord>>,
    /// What result cards show, by record id, for this version.
    pub(super) cards: moka::sync::Cache<i64, Arc<super::search::CardSource>>,
}

/// A public record as read for one archive version: what the page shows, and the facts the
/// policy allowed it on (asked again on every use).
#[derive(Debug)]
pub struct SeenRecord {
    pub facts: crate::domain::policy::PracticeFacts,
    pub view: crate::wire::PracticeView,
}

impl SeenRecord {
    fn weight(_: &(i64, i64), r: &Arc<SeenRecord>) -> u32 {
        let v = &r.view;
        let text = v.title.len()
            + v.summary.len()
            + v.slug.len()
            + v.sections.iter().map(|(k, h)| k.len() + h.len()).sum::<usize>()
            + v.tags.iter().map(String::len).sum::<usize>()
            + v.related.iter().map(|c| c.title.len() + c.snippet_html.len() + c.slug.len() + 64).sum::<usize>()
            + v.presented_at.iter().map(|(a, b, _)| a.len() + b.len() + 16).sum::<usize>();
        u32::try_from(text + 256).unwrap_or(u32::MAX)
    }
}

impl Snapshot {
    /// The snapshot of `entries` (newest first), with the facet members they carry.
    pub(super) fn new(
        version: i64,
        entries: Vec<Entry>,
        values: [Interner; DIMS],
        (tags, tag_ix, tag_list): (Vec<String>, HashMap<String, u32>, Vec<u32>),
        editions: HashMap<i64, (String, String, i32)>,
        synonyms: Vec<Vec<String>>,
    ) -> Snapshot {
        let max_id = entries.iter().map(|e| e.id).max().unwrap_or(0).max(0) as usize;
        let mut pos = vec![u32::MAX; if entries.is_empty() { 0 } else { max_id + 1 }];
        let mut lists: Vec<Vec<Vec<u32>>> = (0..DIMS).map(|d| vec![vec![]; values[d].values.len()]).collect();
        lists.push(vec![vec![]; tags.len()]);
        lists.push(vec![vec![]; BadgeKind::ALL.len()]);
        for (i, e) in entries.iter().enumerate() {
            if let Ok(id) = usize::try_from(e.id) {
                pos[id] = i as u32;
            }
            for (d, code) in e.dims.iter().enumerate() {
                if let Some(l) = lists[d].get_mut(*code as usize) {
                    l.push(i as u32);
                }
            }
            for t in tag_list.get(e.tags.start as usize..e.tags.end as usize).unwrap_or_default() {
                if let Some(l) = lists[TAG].get_mut(*t as usize) {
                    l.push(i as u32);
                }
            }
            for (b, kind) in BadgeKind::ALL.iter().enumerate() {
                if e.badges & kind.bit() != 0 {
                    lists[BADGE][b].push(i as u32);
                }
            }
        }
        let n = entries.len();
        let members = lists.into_iter().map(|l| l.into_iter().map(|ps| Members::new(ps, n)).collect()).collect();
        Snapshot {
            version,
            entries,
            pos,
            members,
            values,
            tags,
            tag_ix,
            tag_list,
            editions,
            synonyms,
            matches: memo(Matches::weight),
            tallies: memo(Tally::weight),
            records: memo(SeenRecord::weight),
            cards: memo(super::search::CardSource::weight),
        }
    }

    /// The entry's tag codes.
    pub fn tags_of(&self, e: &Entry) -> &[u32] {
        self.tag_list.get(e.tags.start as usize..e.tags.end as usize).unwrap_or_default()
    }

    /// Where a published record is in `entries`.
    pub fn position(&self, id: i64) -> Option<usize> {
        let p = *self.pos.get(usize::try_from(id).ok()?)?;
        (p != u32::MAX).then_some(p as usize)
    }
}

/// How long a reading of the archive version is trusted without asking the database again.
/// Changes made in this process, or announced by another one (PostgreSQL), end it at once;
/// this bounds only what no announcement reached (another process on SQLite, a lost listener).
const VERSION_TTL: Duration = Duration::from_millis(500);
/// Bytes each per-version memo (matches, tallies) may hold: a flood of distinct searches costs
/// at most this much, and TinyLFU admission keeps the searches people repeat.
pub(super) const MEMO_BYTES: u64 = 4 * 1024 * 1024;

pub(super) fn memo<K, V>(weigh: fn(&K, &Arc<V>) -> u32) -> moka::sync::Cache<K, Arc<V>>
where
    K: std::hash::Hash + Eq + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
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
    /// Small per-version facts for the feeds (the number of sitemap files), by name, with the
    /// version they were read for.
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
    // (record id, tag code), sorted: an entry's tags are one run of it.
    let mut pairs: Vec<(i64, u32)> = vec![];
    for (tag, ids) in repo::archive::published_tags(c).await? {
        let ix = tags.len() as u32;
        pairs.extend(ids.into_iter().map(|id| (id, ix)));
        tag_ix.insert(tag.clone(), ix);
        tags.push(tag);
    }
    pairs.sort_unstable();
    let run = |id: i64| pairs.partition_point(|p| p.0 < id) as u32..pairs.partition_point(|p| p.0 <= id) as u32;
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
            tags: run(r.id),
        });
    }
    drop(text);
    entries.sort_by(|a, b| b.published.cmp(&a.published).then(b.id.cmp(&a.id)));
    let editions =
        repo::editions::list(c).await?.into_iter().map(|e| (e.id, (e.name_ja, e.name_en, e.start_year))).collect();
    let synonyms = repo::archive::synonyms(c)
        .await?
        .into_iter()
        .map(|s| s.words.split(',').map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect())
        .collect();
    let tag_list = pairs.into_iter().map(|(_, t)| t).collect();
    Ok(Snapshot::new(version, entries, values, (tags, tag_ix, tag_list), editions, synonyms))
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
