//! The public archive. Records enter only through `sign_off` (a second person's approval of a
//! prepared public text) or an organiser's import, and only while consent allows it; withdrawal
//! or unpublishing takes a record off every public surface in the same transaction.
//!
//! Reads go through a per-process snapshot of the facet columns of every published record,
//! rebuilt whenever the version counter in the database has moved — so several processes stay
//! consistent, and facet counts cost no query.
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use crate::api::auth::Viewer;
use crate::api::types::{
    ArchiveCandidate, ArchiveFilters, ArchiveResults, BadgeView, Facet, FacetValue, PracticeCard, PracticeEditView,
    PracticeSectionEdit, PracticeView,
};
use crate::domain::archive::{
    id_from_slug, name_leaks, slug, validate_import, BadgeKind, ImportRecord, PracticeStatus,
};
use crate::domain::category::CategoryKey;
use crate::domain::consent::{ConsentScope, ConsentState, ConsentStatus};
use crate::domain::ids::NominationId;
use crate::domain::nomination::{choice_label, Outcome, INDUSTRIES, ORG_SIZES, SECTIONS};
use crate::domain::region::{region_key, region_name, REGIONS};
use crate::domain::search::{parse_query, snippet, tokenize, Query};
use crate::domain::validation::{FieldError, Problem};
use crate::error::AppError;
use crate::server::entities::practice;
use crate::server::{repo, repo::audit::Actor, sanitize, AppState};

pub const PER_PAGE: usize = 20;

/// The facets kept as interned codes on every entry, in this order.
const CATEGORY: usize = 0;
const EDITION: usize = 1;
const REGION: usize = 2;
const INDUSTRY: usize = 3;
const SIZE: usize = 4;
const DIMS: usize = 5;
/// Facet positions beyond the interned ones, for the "which filters does it fail" mask.
const TAG: usize = 5;
const BADGE: usize = 6;

#[derive(Clone, Debug)]
pub struct Entry {
    pub id: i64,
    pub published: i64,
    /// Codes into `Snapshot::values`, per facet (`CATEGORY`, `EDITION`, …); edition as its id text.
    pub dims: [u16; DIMS],
    pub badges: u8,
    pub tags: Vec<u32>,
}

/// Distinct values of one facet, numbered in order of first appearance.
#[derive(Debug, Default)]
pub struct Interner {
    pub values: Vec<String>,
    ix: HashMap<String, u16>,
}

impl Interner {
    fn code(&mut self, v: &str) -> u16 {
        if let Some(c) = self.ix.get(v) {
            return *c;
        }
        let c = u16::try_from(self.values.len()).unwrap_or(u16::MAX);
        self.values.push(v.to_string());
        self.ix.insert(v.to_string(), c);
        c
    }
    fn find(&self, v: &str) -> Option<u16> {
        self.ix.get(v).copied()
    }
}

/// A set of record ids as a bitmap (ids are dense row ids).
#[derive(Debug, Default)]
pub struct IdSet {
    bits: Vec<u64>,
    len: usize,
}

impl IdSet {
    fn from_ids(ids: &[i64]) -> IdSet {
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
    fn contains(&self, id: i64) -> bool {
        id >= 0 && self.bits.get(id as usize / 64).is_some_and(|w| w & (1u64 << (id as usize % 64)) != 0)
    }
    fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The records a query matches, anywhere and within the title.
#[derive(Debug)]
pub struct Matches {
    all: IdSet,
    title: IdSet,
}

#[derive(Debug, Default)]
pub struct Snapshot {
    pub version: i64,
    /// Newest first.
    pub entries: Vec<Entry>,
    pub pos: HashMap<i64, usize>,
    pub values: [Interner; DIMS],
    pub tags: Vec<String>,
    tag_ix: HashMap<String, u32>,
    /// edition id → (ja, en, year)
    pub editions: HashMap<i64, (String, String, i32)>,
    pub synonyms: Vec<Vec<String>>,
    /// Query results for this version, by query; dropped with the snapshot.
    matches: Mutex<HashMap<String, Arc<Matches>>>,
    /// Hits and facet counts for this version, by query and filters.
    tallies: Mutex<HashMap<String, Arc<Tally>>>,
}

/// How long a reading of the archive version is trusted without asking the database again.
/// Changes made in this process, or announced by another one (PostgreSQL), end it at once;
/// this bounds only what no announcement reached (another process on SQLite, a lost listener).
const VERSION_TTL: Duration = Duration::from_millis(500);
const MAX_CACHED_QUERIES: usize = 512;

#[derive(Default)]
pub struct Cache {
    snapshot: RwLock<Option<Arc<Snapshot>>>,
    /// (version, when read, `Db::changes` before reading)
    version: Mutex<Option<(i64, Instant, u64)>>,
}

impl Cache {
    pub fn new() -> Cache {
        Cache::default()
    }
}

/// The archive's version: every change on a public surface moves it. Read from the database at
/// most every `VERSION_TTL`, and at once after any change this process knows of.
pub async fn current_version(state: &AppState) -> Result<i64, AppError> {
    let changes = state.db.changes();
    if let Ok(guard) = state.archive.version.lock() {
        if let Some((v, at, seen)) = *guard {
            if seen == changes && at.elapsed() < VERSION_TTL {
                return Ok(v);
            }
        }
    }
    let v = repo::archive::version(state.db.conn()).await?;
    if let Ok(mut guard) = state.archive.version.lock() {
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
    let rows = repo::archive::published_facets(c).await?;
    let mut badges: HashMap<i64, u8> = HashMap::new();
    for b in repo::archive::all_badges(c).await? {
        if let Some(k) = BadgeKind::parse(&b.kind) {
            *badges.entry(b.practice_id).or_default() |= k.bit();
        }
    }
    let mut tag_ix: HashMap<String, u32> = HashMap::new();
    let mut tags: Vec<String> = vec![];
    let mut by_practice: HashMap<i64, Vec<u32>> = HashMap::new();
    for t in repo::archive::all_tags(c).await? {
        let ix = *tag_ix.entry(t.tag.clone()).or_insert_with(|| {
            tags.push(t.tag.clone());
            (tags.len() - 1) as u32
        });
        by_practice.entry(t.practice_id).or_default().push(ix);
    }
    let mut values: [Interner; DIMS] = Default::default();
    let mut entries: Vec<Entry> = rows
        .into_iter()
        .map(|(id, published, category, region, edition, industry, size)| {
            let edition = edition.map(|x| x.to_string()).unwrap_or_default();
            let mut dims = [0u16; DIMS];
            for (d, v) in
                [(CATEGORY, &category), (EDITION, &edition), (REGION, &region), (INDUSTRY, &industry), (SIZE, &size)]
            {
                dims[d] = values[d].code(v);
            }
            Entry {
                id,
                published: published.map(|p| p.timestamp()).unwrap_or(0),
                dims,
                badges: badges.get(&id).copied().unwrap_or(0),
                tags: by_practice.remove(&id).unwrap_or_default(),
            }
        })
        .collect();
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
        matches: Mutex::default(),
        tallies: Mutex::default(),
    })
}

/// The query's matches, from the snapshot's per-version memo or the search index.
async fn matches(state: &AppState, snap: &Snapshot, q: &Query) -> Result<Arc<Matches>, AppError> {
    let key = format!("{:?}", q.terms);
    if let Some(m) = snap.matches.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(m);
    }
    let (all, title) = repo::archive::search_ids(state.db.conn(), q).await?;
    let m = Arc::new(Matches { all: IdSet::from_ids(&all), title: IdSet::from_ids(&title) });
    if let Ok(mut memo) = snap.matches.lock() {
        if memo.len() >= MAX_CACHED_QUERIES {
            memo.clear();
        }
        memo.insert(key, m.clone());
    }
    Ok(m)
}

/// The filters as codes. `Some(None)`: a value this archive does not have, so nothing passes.
struct Wanted {
    dims: [Option<Option<u16>>; DIMS],
    tag: Option<Option<u32>>,
    /// Bits any of which a record must carry.
    badge: Option<u8>,
}

impl Wanted {
    fn new(snap: &Snapshot, f: &ArchiveFilters) -> Wanted {
        let mut dims = [None; DIMS];
        for (d, v) in [
            (CATEGORY, &f.category),
            (EDITION, &f.edition),
            (REGION, &f.region),
            (INDUSTRY, &f.industry),
            (SIZE, &f.size),
        ] {
            if !v.is_empty() {
                dims[d] = Some(snap.values[d].find(v));
            }
        }
        let tag = (!f.tag.is_empty()).then(|| snap.tag_ix.get(&f.tag).copied());
        let badge = (!f.badge.is_empty()).then(|| match f.badge.as_str() {
            "award" => !BadgeKind::Certified.bit(),
            k => BadgeKind::parse(k).map(|b| b.bit()).unwrap_or(0),
        });
        Wanted { dims, tag, badge }
    }

    /// One bit per facet (`CATEGORY` … `BADGE`) whose filter the entry does not pass.
    fn fails(&self, e: &Entry) -> u8 {
        let mut m = 0u8;
        for d in 0..DIMS {
            if let Some(w) = self.dims[d] {
                if w != Some(e.dims[d]) {
                    m |= 1 << d;
                }
            }
        }
        if let Some(w) = self.tag {
            if !w.is_some_and(|t| e.tags.contains(&t)) {
                m |= 1 << TAG;
            }
        }
        if let Some(bits) = self.badge {
            if e.badges & bits == 0 {
                m |= 1 << BADGE;
            }
        }
        m
    }
}

/// What a query with its filters selects: the hits in display order (positions in the
/// snapshot) and the facet counts. Memoised per snapshot, so paging through results, or the
/// same search by many people, costs only the page.
#[derive(Debug)]
pub struct Tally {
    hits: Vec<u32>,
    counts: Vec<Vec<usize>>,
}

const MAX_CACHED_TALLIES: usize = 64;

/// Searches and filters; facet counts are taken over the matching records with every other
/// facet's filter applied (so a chosen value does not hide its siblings).
pub async fn search(state: &AppState, f: &ArchiveFilters) -> Result<ArchiveResults, AppError> {
    let snap = snapshot(state).await?;
    let q = parse_query(&f.q, &snap.synonyms);
    let key = format!(
        "{:?}|{}|{}|{}|{}|{}|{}|{}",
        q.terms, f.category, f.edition, f.region, f.industry, f.size, f.tag, f.badge
    );
    let memo = snap.tallies.lock().ok().and_then(|m| m.get(&key).cloned());
    let t = match memo {
        Some(t) => t,
        None => {
            let matching = if q.is_empty() { None } else { Some(matches(state, &snap, &q).await?) };
            let t = Arc::new(tally(&snap, matching.as_deref(), &Wanted::new(&snap, f)));
            if let Ok(mut m) = snap.tallies.lock() {
                if m.len() >= MAX_CACHED_TALLIES {
                    m.clear();
                }
                m.insert(key, t.clone());
            }
            t
        }
    };
    let total = t.hits.len();
    let per_page = if f.per_page == 0 { PER_PAGE } else { f.per_page.min(100) };
    let pages = total.div_ceil(per_page).max(1);
    let page = f.page.clamp(1, pages);
    let ids: Vec<i64> =
        t.hits.iter().skip((page - 1) * per_page).take(per_page).map(|p| snap.entries[*p as usize].id).collect();
    let items = cards(state, &snap, &ids, &q.words).await?;
    let facets = facets(&snap, &t.counts, f);
    Ok(ArchiveResults { total, page, per_page, pages, items, facets })
}

/// One pass over the snapshot: a record failing no filter is a hit and counts in every facet;
/// one failing exactly one filter counts only in that filter's facet. Title matches come
/// first, then the rest, each newest first (the snapshot order).
fn tally(snap: &Snapshot, matching: Option<&Matches>, want: &Wanted) -> Tally {
    let mut counts: Vec<Vec<usize>> = (0..DIMS).map(|d| vec![0; snap.values[d].values.len()]).collect();
    counts.push(vec![0; snap.tags.len()]);
    counts.push(vec![0; BadgeKind::ALL.len()]);
    let (mut in_title, mut elsewhere): (Vec<u32>, Vec<u32>) = (vec![], vec![]);
    for (pos, e) in snap.entries.iter().enumerate() {
        if matching.is_some_and(|m| !m.all.contains(e.id)) {
            continue;
        }
        let fails = want.fails(e);
        if fails & fails.wrapping_sub(1) != 0 {
            continue; // fails two or more filters: counts nowhere
        }
        let counts_in = |facet: usize| fails == 0 || fails == 1 << facet;
        for d in 0..DIMS {
            if counts_in(d) {
                counts[d][e.dims[d] as usize] += 1;
            }
        }
        if counts_in(TAG) {
            for t in &e.tags {
                counts[TAG][*t as usize] += 1;
            }
        }
        if counts_in(BADGE) {
            for (i, b) in BadgeKind::ALL.iter().enumerate() {
                if e.badges & b.bit() != 0 {
                    counts[BADGE][i] += 1;
                }
            }
        }
        if fails == 0 {
            if matching.is_some_and(|m| !m.title.is_empty() && m.title.contains(e.id)) {
                in_title.push(pos as u32);
            } else {
                elsewhere.push(pos as u32);
            }
        }
    }
    in_title.extend(elsewhere);
    Tally { hits: in_title, counts }
}

fn facets(snap: &Snapshot, counts: &[Vec<usize>], f: &ArchiveFilters) -> Vec<Facet> {
    let mk = |name: &str,
              counts: Vec<(String, usize)>,
              selected: &str,
              label: &dyn Fn(&str) -> (String, String),
              order: &dyn Fn(&str) -> i64| {
        let mut values: Vec<FacetValue> = counts
            .into_iter()
            .filter(|(k, n)| *n > 0 && !k.is_empty())
            .map(|(k, n)| {
                let (ja, en) = label(&k);
                FacetValue { selected: k == selected, key: k, label_ja: ja, label_en: en, count: n }
            })
            .collect();
        values.sort_by_key(|v| (order(&v.key), v.key.clone()));
        Facet { name: name.to_string(), values }
    };
    let dim = |d: usize| -> Vec<(String, usize)> {
        snap.values[d].values.iter().cloned().zip(counts[d].iter().copied()).collect()
    };
    let cat_order = |k: &str| CategoryKey::ALL.iter().position(|c| c.key() == k).unwrap_or(9) as i64;
    let region_order = |k: &str| REGIONS.iter().position(|r| r.0 == k).unwrap_or(99) as i64;
    let list_order = |list: &'static [(&'static str, &'static str, &'static str)]| {
        move |k: &str| list.iter().position(|r| r.0 == k).unwrap_or(99) as i64
    };
    vec![
        mk(
            "category",
            dim(CATEGORY),
            &f.category,
            &|k| {
                CategoryKey::parse(k)
                    .map(|c| c.default_names())
                    .map(|(j, e)| (j.to_string(), e.to_string()))
                    .unwrap_or_default()
            },
            &cat_order,
        ),
        mk(
            "edition",
            dim(EDITION),
            &f.edition,
            &|k| {
                k.parse::<i64>()
                    .ok()
                    .and_then(|id| snap.editions.get(&id))
                    .map(|(j, e, _)| (j.clone(), e.clone()))
                    .unwrap_or_default()
            },
            &|k| -(k.parse::<i64>().ok().and_then(|id| snap.editions.get(&id)).map(|x| x.2).unwrap_or(0) as i64),
        ),
        mk(
            "region",
            dim(REGION),
            &f.region,
            &|k| (region_name(k, true).to_string(), region_name(k, false).to_string()),
            &region_order,
        ),
        mk(
            "industry",
            dim(INDUSTRY),
            &f.industry,
            &|k| (choice_label(&INDUSTRIES, k, true).to_string(), choice_label(&INDUSTRIES, k, false).to_string()),
            &list_order(&INDUSTRIES),
        ),
        mk(
            "size",
            dim(SIZE),
            &f.size,
            &|k| (choice_label(&ORG_SIZES, k, true).to_string(), choice_label(&ORG_SIZES, k, false).to_string()),
            &list_order(&ORG_SIZES),
        ),
        mk(
            "tag",
            snap.tags.iter().cloned().zip(counts[TAG].iter().copied()).collect(),
            &f.tag,
            &|k| (k.to_string(), k.to_string()),
            &|_| 0,
        ),
        mk(
            "badge",
            BadgeKind::ALL.iter().map(|b| b.key().to_string()).zip(counts[BADGE].iter().copied()).collect(),
            &f.badge,
            &|k| badge_names(k),
            &|k| BadgeKind::parse(k).map(|b| b as i64).unwrap_or(9),
        ),
    ]
}

pub fn badge_names(k: &str) -> (String, String) {
    let (ja, en) = match k {
        "certified" => ("実践共有認定", "Practice-sharing certification"),
        "grand_prize" => ("大賞", "Grand prize"),
        "excellence" => ("優秀賞", "Excellence award"),
        "special" => ("特別賞", "Special award"),
        _ => ("", ""),
    };
    (ja.into(), en.into())
}

#[derive(serde::Deserialize, serde::Serialize, Default, Clone)]
struct PublicSection {
    #[serde(default)]
    source: String,
    #[serde(default)]
    html: String,
}

fn sections_of(p: &practice::Model) -> BTreeMap<String, PublicSection> {
    serde_json::from_str(&p.sections_json).unwrap_or_default()
}

fn ordered_sections(p: &practice::Model) -> Vec<(String, String)> {
    let s = sections_of(p);
    SECTIONS
        .iter()
        .filter_map(|(k, _)| s.get(*k).filter(|x| !x.html.is_empty()).map(|x| (k.to_string(), x.html.clone())))
        .collect()
}

async fn cards(
    state: &AppState,
    snap: &Snapshot,
    ids: &[i64],
    words: &[String],
) -> Result<Vec<PracticeCard>, AppError> {
    let c = state.db.conn();
    let rows = repo::archive::by_ids(c, ids).await?;
    let badges = repo::archive::badges_of(c, ids).await?;
    let by_id: HashMap<i64, &practice::Model> = rows.iter().map(|p| (p.id, p)).collect();
    Ok(ids
        .iter()
        .filter_map(|id| by_id.get(id))
        .map(|p| {
            let mut text = p.summary.clone();
            if !words.is_empty() {
                let norm = crate::domain::search::normalize(&text);
                if !words.iter().any(|w| norm.contains(w.as_str())) {
                    if let Some(section) =
                        ordered_sections(p).into_iter().map(|(_, h)| sanitize::to_plain_text(&h)).find(|t| {
                            let n = crate::domain::search::normalize(t);
                            words.iter().any(|w| n.contains(w.as_str()))
                        })
                    {
                        text = section;
                    }
                }
            }
            let (label, year) =
                p.edition_id.and_then(|e| snap.editions.get(&e)).map(|(j, _, y)| (j.clone(), *y)).unwrap_or_default();
            PracticeCard {
                id: p.id,
                slug: p.slug.clone(),
                title: p.title.clone(),
                snippet_html: snippet(&text, words, 110),
                category: CategoryKey::parse(&p.category).unwrap_or(CategoryKey::People),
                region: p.region.clone(),
                edition_label: label,
                year,
                badges: badges.iter().filter(|b| b.practice_id == p.id).filter_map(badge_view).collect(),
                published_at: p.published_at,
            }
        })
        .collect())
}

fn badge_view(b: &crate::server::entities::practice_badge::Model) -> Option<BadgeView> {
    Some(BadgeView { kind: BadgeKind::parse(&b.kind)?, edition_label: b.edition_label.clone(), year: b.year })
}

/// The public record. Drafts are "not found"; withdrawn or unpublished records are "gone".
pub async fn record(state: &AppState, slug_or_id: &str) -> Result<PracticeView, AppError> {
    let c = state.db.conn();
    let id = id_from_slug(slug_or_id).ok_or(AppError::NotFound)?;
    let p = repo::archive::find(c, id).await?.ok_or(AppError::NotFound)?;
    match PracticeStatus::parse(&p.status) {
        Some(PracticeStatus::Published) => {}
        Some(s) if s.is_gone() => return Err(AppError::Gone),
        _ => return Err(AppError::NotFound),
    }
    let snap = snapshot(state).await?;
    let tags = repo::archive::tags_of(c, p.id).await?;
    let badges = repo::archive::badges_of(c, &[p.id]).await?.iter().filter_map(badge_view).collect();
    // Related: same category, most shared tags, newest first.
    let me = snap.pos.get(&p.id).map(|i| &snap.entries[*i]);
    let category = snap.values[CATEGORY].find(&p.category);
    let mut related: Vec<(usize, usize, i64)> = snap
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.id != p.id && Some(e.dims[CATEGORY]) == category)
        .map(|(i, e)| (me.map(|m| e.tags.iter().filter(|t| m.tags.contains(t)).count()).unwrap_or(0), i, e.id))
        .take(200)
        .collect();
    related.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let related_ids: Vec<i64> = related.iter().take(4).map(|r| r.2).collect();
    let related = cards(state, &snap, &related_ids, &[]).await?;
    let named = ConsentScope::parse(&p.consent_scope) == Some(ConsentScope::ArchiveNamed);
    Ok(PracticeView {
        id: p.id,
        slug: p.slug.clone(),
        title: p.title.clone(),
        summary: p.summary.clone(),
        nominee_name: (named && !p.nominee_name.is_empty()).then(|| p.nominee_name.clone()),
        category: CategoryKey::parse(&p.category).unwrap_or(CategoryKey::People),
        region: p.region.clone(),
        industry: p.industry.clone(),
        org_size: p.org_size.clone(),
        sections: ordered_sections(&p),
        tags,
        badges,
        related,
        published_at: p.published_at,
        updated_at: p.updated_at,
    })
}

// Organisers ------------------------------------------------------------------------------------

fn require_organiser(viewer: &Viewer) -> Result<(), AppError> {
    if viewer.role.can_organise() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Recognised nominations of editions whose results are out, with their consent and record.
pub async fn candidates(state: &AppState, viewer: &Viewer) -> Result<Vec<ArchiveCandidate>, AppError> {
    require_organiser(viewer)?;
    let c = state.db.conn();
    let mut out = vec![];
    for e in repo::editions::list(c).await? {
        if e.results_published_at.is_none() {
            continue;
        }
        for n in repo::nominations::list_by_edition(c, e.id).await? {
            let outcome = Outcome::parse(&n.outcome).unwrap_or(Outcome::Undecided);
            if n.status != "submitted" || !outcome.is_recognised() {
                continue;
            }
            let consent = repo::consents::find(c, n.id)
                .await?
                .map(|r| repo::consents::to_state(&r))
                .unwrap_or(ConsentState::NOT_ASKED);
            let practice = repo::archive::find_by_nomination(c, n.id)
                .await?
                .and_then(|p| PracticeStatus::parse(&p.status).map(|s| (p.id, s)));
            out.push(ArchiveCandidate {
                nomination_id: NominationId(n.id),
                title: n.title.clone(),
                edition_name_ja: e.name_ja.clone(),
                edition_name_en: e.name_en.clone(),
                outcome,
                consent,
                practice,
            });
        }
    }
    Ok(out)
}

#[derive(serde::Serialize, serde::Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct PracticeDraft {
    pub title: String,
    pub summary: String,
    pub tags: String,
    pub sections: BTreeMap<String, String>,
}

/// Starts the public version of a recognised nomination: a copy of its text to edit.
pub async fn prepare(state: &AppState, viewer: &Viewer, nomination_id: NominationId) -> Result<i64, AppError> {
    require_organiser(viewer)?;
    let tx = state.db.begin().await?;
    if let Some(p) = repo::archive::find_by_nomination(&*tx, nomination_id.0).await? {
        return Ok(p.id);
    }
    let n = repo::nominations::find(&*tx, nomination_id.0).await?.ok_or(AppError::NotFound)?;
    let e = repo::editions::find(&*tx, n.edition_id).await?.ok_or(AppError::NotFound)?;
    let outcome = Outcome::parse(&n.outcome).unwrap_or(Outcome::Undecided);
    let badge = BadgeKind::from_outcome(outcome)
        .filter(|_| e.results_published_at.is_some())
        .ok_or(AppError::InvalidTransition)?;
    let cat = repo::editions::find_category(&*tx, n.category_id).await?.ok_or(AppError::NotFound)?;
    let consent = repo::consents::find(&*tx, n.id)
        .await?
        .map(|r| repo::consents::to_state(&r))
        .unwrap_or(ConsentState::NOT_ASKED);
    let input = crate::server::service::nominations::input_of(&n);
    let draft = PracticeDraft {
        title: n.title.clone(),
        summary: n.summary.clone(),
        tags: String::new(),
        sections: SECTIONS
            .iter()
            .map(|(k, _)| (k.to_string(), input.section(k).to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect(),
    };
    let now = Utc::now();
    let p = practice::ActiveModel {
        slug: Set(format!("pending-{}", n.id)),
        nomination_id: Set(Some(n.id)),
        edition_id: Set(Some(e.id)),
        status: Set(PracticeStatus::Draft.key().into()),
        category: Set(cat.key.clone()),
        region: Set(n.region.clone()),
        industry: Set(n.industry.clone()),
        org_size: Set(n.org_size.clone()),
        consent_scope: Set(consent.scope.map(|s| s.key().to_string()).unwrap_or_default()),
        photos: Set(consent.photos),
        nominee_name: Set(n.nominee_name.clone()),
        title: Set(n.title.clone()),
        summary: Set(String::new()),
        sections_json: Set("{}".into()),
        draft_json: Set(Some(serde_json::to_string(&draft).unwrap_or_default())),
        prepared_by: Set(Some(viewer.id.0)),
        prepared_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*tx)
    .await?;
    let mut am: practice::ActiveModel = p.clone().into();
    am.slug = Set(slug(p.id, &p.category, &p.region));
    am.update(&*tx).await?;
    repo::archive::add_badge(&*tx, p.id, badge.key(), Some(e.id), &e.name_ja, e.start_year).await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "archive.prepared",
        Some(e.id),
        Some(n.id),
        serde_json::json!({"practice": p.id}),
    )
    .await?;
    tx.commit().await?;
    Ok(p.id)
}

fn word_diff(old: &str, new: &str) -> String {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_chars(old, new);
    let mut out = String::new();
    for change in diff.iter_all_changes() {
        let text = change.value().replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        match change.tag() {
            ChangeTag::Equal => out.push_str(&text),
            ChangeTag::Delete => out.push_str(&format!("<del>{text}</del>")),
            ChangeTag::Insert => out.push_str(&format!("<ins>{text}</ins>")),
        }
    }
    out.replace("</del><del>", "").replace("</ins><ins>", "")
}

pub async fn edit_view(state: &AppState, viewer: &Viewer, id: i64) -> Result<PracticeEditView, AppError> {
    require_organiser(viewer)?;
    let c = state.db.conn();
    let p = repo::archive::find(c, id).await?.ok_or(AppError::NotFound)?;
    let draft: Option<PracticeDraft> = p.draft_json.as_deref().and_then(|d| serde_json::from_str(d).ok());
    let live = sections_of(&p);
    let nomination = match p.nomination_id {
        Some(n) => repo::nominations::find(c, n).await?,
        None => None,
    };
    let reviewed = nomination.as_ref().map(crate::server::service::nominations::sections_of).unwrap_or_default();
    let reviewed_sources: BTreeMap<String, String> = nomination
        .as_ref()
        .map(|n| {
            let i = crate::server::service::nominations::input_of(n);
            SECTIONS.iter().map(|(k, _)| (k.to_string(), i.section(k).to_string())).collect()
        })
        .unwrap_or_default();
    let tags = match &draft {
        Some(d) => d.tags.clone(),
        None => repo::archive::tags_of(c, p.id).await?.join(", "),
    };
    let sections = SECTIONS
        .iter()
        .map(|(k, _)| {
            let public = draft
                .as_ref()
                .map(|d| d.sections.get(*k).cloned().unwrap_or_default())
                .unwrap_or_else(|| live.get(*k).map(|s| s.source.clone()).unwrap_or_default());
            let reviewed_src = reviewed_sources.get(*k).cloned().unwrap_or_default();
            PracticeSectionEdit {
                key: k.to_string(),
                reviewed_html: reviewed.get(*k).map(|s| s.html.clone()).unwrap_or_default(),
                diff_html: word_diff(&reviewed_src, &public),
                public_source: public,
            }
        })
        .collect();
    let consent = match p.nomination_id {
        Some(n) => {
            repo::consents::find(c, n).await?.map(|r| repo::consents::to_state(&r)).unwrap_or(ConsentState::NOT_ASKED)
        }
        None => ConsentState {
            status: ConsentStatus::Given,
            scope: ConsentScope::parse(&p.consent_scope),
            photos: p.photos,
        },
    };
    let name = |id: Option<i64>| async move {
        match id {
            Some(i) => repo::users::find(state.db.conn(), i).await.ok().flatten().map(|u| u.display_name),
            None => None,
        }
    };
    Ok(PracticeEditView {
        id: p.id,
        slug: p.slug.clone(),
        status: PracticeStatus::parse(&p.status).unwrap_or(PracticeStatus::Draft),
        has_pending_changes: draft.is_some(),
        nomination_id: p.nomination_id,
        consent_scope: consent.scope.map(|s| s.key().to_string()).unwrap_or_default(),
        consent_allows: consent.allows_archive(),
        nominee_name: p.nominee_name.clone(),
        title: draft.as_ref().map(|d| d.title.clone()).unwrap_or_else(|| p.title.clone()),
        summary: draft.as_ref().map(|d| d.summary.clone()).unwrap_or_else(|| p.summary.clone()),
        tags,
        sections,
        prepared_by: name(p.prepared_by).await,
        signed_off_by: name(p.signed_off_by).await,
        can_sign_off: draft.is_some() && p.prepared_by != Some(viewer.id.0),
    })
}

/// Saves the public text as pending changes; the live record (if any) stays as it is until
/// somebody else signs the changes off.
pub async fn save_draft(state: &AppState, viewer: &Viewer, id: i64, draft: PracticeDraft) -> Result<(), AppError> {
    require_organiser(viewer)?;
    let mut c = crate::domain::validation::Checker::new();
    c.required("title", &draft.title)
        .max_chars("title", &draft.title, crate::domain::nomination::TITLE_MAX)
        .required("summary", &draft.summary)
        .max_chars("summary", &draft.summary, crate::domain::nomination::SUMMARY_MAX)
        .max_chars("tags", &draft.tags, 400);
    for (k, v) in &draft.sections {
        if SECTIONS.iter().any(|(s, _)| s == k) {
            c.max_chars(k, v, crate::domain::nomination::SECTION_MAX);
        }
    }
    c.finish().map_err(AppError::Validation)?;
    let tx = state.db.begin().await?;
    let p = repo::archive::find(&*tx, id).await?.ok_or(AppError::NotFound)?;
    if p.status == PracticeStatus::Withdrawn.key() {
        return Err(AppError::ConsentMissing);
    }
    let mut am: practice::ActiveModel = p.clone().into();
    am.draft_json = Set(Some(serde_json::to_string(&draft).unwrap_or_default()));
    am.prepared_by = Set(Some(viewer.id.0));
    am.prepared_at = Set(Some(Utc::now()));
    am.updated_at = Set(Utc::now());
    am.update(&*tx).await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "archive.edited",
        p.edition_id,
        p.nomination_id,
        serde_json::json!({"practice": p.id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The consent that governs a record now: the nomination's, or the organiser's record of it for imports.
async fn current_consent<C: ConnectionTrait>(c: &C, p: &practice::Model) -> Result<ConsentState, AppError> {
    Ok(match p.nomination_id {
        Some(n) => {
            repo::consents::find(c, n).await?.map(|r| repo::consents::to_state(&r)).unwrap_or(ConsentState::NOT_ASKED)
        }
        None => ConsentState {
            status: ConsentStatus::Given,
            scope: ConsentScope::parse(&p.consent_scope),
            photos: p.photos,
        },
    })
}

/// A second person signs off the pending text, which goes live. Refused without consent that
/// reaches the archive — whoever calls this.
pub async fn sign_off(state: &AppState, viewer: &Viewer, id: i64) -> Result<(), AppError> {
    if !viewer.role.can_review() {
        return Err(AppError::Forbidden);
    }
    let tx = state.db.begin().await?;
    let p = repo::archive::find(&*tx, id).await?.ok_or(AppError::NotFound)?;
    let draft: PracticeDraft =
        p.draft_json.as_deref().and_then(|d| serde_json::from_str(d).ok()).ok_or(AppError::InvalidTransition)?;
    if p.prepared_by == Some(viewer.id.0) {
        return Err(AppError::Forbidden);
    }
    publish_locked(&*tx, &p, &draft, Some(viewer)).await?;
    tx.commit().await?;
    Ok(())
}

/// Makes `draft` the live text of `p` and publishes it — the one place a record goes public.
async fn publish_locked<C: ConnectionTrait>(
    c: &C,
    p: &practice::Model,
    draft: &PracticeDraft,
    viewer: Option<&Viewer>,
) -> Result<(), AppError> {
    let consent = current_consent(c, p).await?;
    if !consent.allows_archive() {
        return Err(AppError::ConsentMissing);
    }
    let scope = consent.scope.unwrap_or(ConsentScope::ArchiveAnonymised);
    let sections: BTreeMap<String, PublicSection> = draft
        .sections
        .iter()
        .filter(|(k, _)| SECTIONS.iter().any(|(s, _)| s == k))
        .map(|(k, v)| (k.clone(), PublicSection { source: v.clone(), html: sanitize::render_markdown(v) }))
        .collect();
    if scope == ConsentScope::ArchiveAnonymised {
        let mut texts: Vec<&str> = vec![&draft.title, &draft.summary];
        texts.extend(draft.sections.values().map(String::as_str));
        if name_leaks(&p.nominee_name, &texts) {
            return Err(AppError::Validation(vec![FieldError::new("summary", Problem::InvalidChoice)]));
        }
    }
    let tags: Vec<String> =
        draft.tags.split([',', '、']).map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).take(20).collect();
    let now = Utc::now();
    let mut am: practice::ActiveModel = p.clone().into();
    am.title = Set(draft.title.trim().to_string());
    am.summary = Set(draft.summary.trim().to_string());
    am.sections_json = Set(serde_json::to_string(&sections).unwrap_or_default());
    am.draft_json = Set(None);
    am.consent_scope = Set(scope.key().to_string());
    am.photos = Set(consent.photos);
    am.status = Set(PracticeStatus::Published.key().into());
    am.signed_off_by = Set(viewer.map(|v| v.id.0));
    am.signed_off_at = Set(Some(now));
    if p.published_at.is_none() {
        am.published_at = Set(Some(now));
    }
    am.gone_at = Set(None);
    am.gone_reason = Set(None);
    am.updated_at = Set(now);
    let updated = am.update(c).await?;
    repo::archive::set_tags(c, p.id, &tags).await?;
    index_record(c, &updated, &tags, &sections).await?;
    repo::archive::bump_version(c).await?;
    repo::audit::record(
        c,
        Actor { user_id: viewer.map(|v| v.id.0), label: viewer.map(|v| v.display_name.as_str()).unwrap_or("import") },
        "archive.published",
        p.edition_id,
        p.nomination_id,
        serde_json::json!({"practice": p.id, "scope": scope.key()}),
    )
    .await?;
    Ok(())
}

/// Search tokens of what the public sees — never a hidden name.
async fn index_record<C: ConnectionTrait>(
    c: &C,
    p: &practice::Model,
    tags: &[String],
    sections: &BTreeMap<String, PublicSection>,
) -> Result<(), AppError> {
    let title = tokenize(&p.title);
    let mut body_text = p.summary.clone();
    for s in sections.values() {
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

async fn take_down<C: ConnectionTrait>(
    c: &C,
    p: &practice::Model,
    status: PracticeStatus,
    reason: &str,
) -> Result<(), AppError> {
    let mut am: practice::ActiveModel = p.clone().into();
    am.status = Set(status.key().into());
    am.gone_at = Set(Some(Utc::now()));
    am.gone_reason = Set(Some(reason.into()));
    am.updated_at = Set(Utc::now());
    am.update(c).await?;
    repo::archive::unindex(c, p.id).await?;
    repo::archive::bump_version(c).await?;
    Ok(())
}

pub async fn unpublish(state: &AppState, viewer: &Viewer, id: i64) -> Result<(), AppError> {
    require_organiser(viewer)?;
    let tx = state.db.begin().await?;
    let p = repo::archive::find(&*tx, id).await?.ok_or(AppError::NotFound)?;
    if p.status != PracticeStatus::Published.key() {
        return Err(AppError::InvalidTransition);
    }
    take_down(&*tx, &p, PracticeStatus::Unpublished, "organiser").await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "archive.unpublished",
        p.edition_id,
        p.nomination_id,
        serde_json::json!({"practice": p.id}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Called in the consent change's own transaction when consent stops reaching the archive.
pub async fn consent_lost<C: ConnectionTrait>(c: &C, nomination_id: i64) -> Result<(), AppError> {
    if let Some(p) = repo::archive::find_by_nomination(c, nomination_id).await? {
        if !PracticeStatus::parse(&p.status).is_some_and(PracticeStatus::is_gone) {
            take_down(c, &p, PracticeStatus::Withdrawn, "consent").await?;
            repo::audit::record(
                c,
                Actor { user_id: None, label: "consent" },
                "archive.withdrawn",
                p.edition_id,
                Some(nomination_id),
                serde_json::json!({"practice": p.id}),
            )
            .await?;
        }
    }
    Ok(())
}

pub async fn list_practices(
    state: &AppState,
    viewer: &Viewer,
) -> Result<Vec<(i64, String, String, PracticeStatus, bool)>, AppError> {
    require_organiser(viewer)?;
    Ok(repo::archive::list_all(state.db.conn())
        .await?
        .into_iter()
        .take(500)
        .map(|p| {
            (
                p.id,
                p.slug.clone(),
                p.title.clone(),
                PracticeStatus::parse(&p.status).unwrap_or(PracticeStatus::Draft),
                p.draft_json.is_some(),
            )
        })
        .collect())
}

pub async fn synonyms(state: &AppState, viewer: &Viewer) -> Result<Vec<(i64, String)>, AppError> {
    require_organiser(viewer)?;
    Ok(repo::archive::synonyms(state.db.conn()).await?.into_iter().map(|s| (s.id, s.words)).collect())
}

pub async fn add_synonyms(state: &AppState, viewer: &Viewer, words: &str) -> Result<(), AppError> {
    require_organiser(viewer)?;
    let list: Vec<String> =
        words.split([',', '、', '/', '／', '\n']).map(|w| w.trim().to_string()).filter(|w| !w.is_empty()).collect();
    if list.len() < 2 || list.iter().any(|w| w.chars().count() > 40) {
        return Err(AppError::Validation(vec![FieldError::new("words", Problem::TooShort { min: 2 })]));
    }
    let tx = state.db.begin().await?;
    repo::archive::add_synonyms(&*tx, &list.join(", "), Utc::now()).await?;
    repo::archive::bump_version(&*tx).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_synonyms(state: &AppState, viewer: &Viewer, id: i64) -> Result<(), AppError> {
    require_organiser(viewer)?;
    let tx = state.db.begin().await?;
    repo::archive::delete_synonyms(&*tx, id).await?;
    repo::archive::bump_version(&*tx).await?;
    tx.commit().await?;
    Ok(())
}

// Import ---------------------------------------------------------------------------------------

pub struct ImportReport {
    pub imported: usize,
    pub editions_created: usize,
    pub errors: Vec<(usize, Vec<FieldError>)>,
}

/// Parses and checks every line first; imports nothing if any line is bad. Lines are imported
/// in transactions of `batch` records; `progress` is told after each.
pub async fn import(
    state: &AppState,
    text: &str,
    draft: bool,
    batch: usize,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport, AppError> {
    let mut records = vec![];
    let mut errors = vec![];
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<ImportRecord>(line) {
            Ok(r) => {
                let problems = validate_import(&r);
                if problems.is_empty() {
                    records.push(r);
                } else {
                    errors.push((i + 1, problems));
                }
            }
            Err(e) => {
                tracing::debug!(line = i + 1, error = %e, "unreadable import line");
                errors.push((i + 1, vec![FieldError::new(json_field(&e.to_string()), Problem::InvalidChoice)]));
            }
        }
    }
    if !errors.is_empty() {
        return Ok(ImportReport { imported: 0, editions_created: 0, errors });
    }
    import_records(state, records, draft, batch, progress).await
}

fn json_field(message: &str) -> String {
    // serde_json names the field in its message: "unknown field `colour`", "missing field `title`".
    message.split('`').nth(1).map(str::to_string).unwrap_or_else(|| "line".into())
}

pub async fn import_records(
    state: &AppState,
    records: Vec<ImportRecord>,
    draft: bool,
    batch: usize,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport, AppError> {
    let total = records.len();
    let mut editions: HashMap<String, (i64, String, i32)> = repo::editions::list(state.db.conn())
        .await?
        .into_iter()
        .map(|e| (e.name_ja.clone(), (e.id, e.name_ja, e.start_year)))
        .collect();
    let mut created = 0;
    let mut done = 0;
    for chunk in records.chunks(batch.max(1)) {
        let tx = state.db.begin().await?;
        for r in chunk {
            let edition = match editions.get(r.edition.trim()) {
                Some(e) => e.clone(),
                None => {
                    let name = r.edition.trim().to_string();
                    let mode = if r.badges.iter().all(|b| b == "certified") {
                        "conference"
                    } else if r.badges.iter().any(|b| b == "certified") {
                        "conference_award"
                    } else {
                        "award"
                    };
                    let slug = format!("past-{}-{}", r.year, editions.len() + 1);
                    let e = repo::editions::insert(
                        &*tx,
                        &slug,
                        &name,
                        &name,
                        mode,
                        &r.year.to_string(),
                        r.year,
                        true,
                        Utc::now(),
                    )
                    .await?;
                    created += 1;
                    let v = (e.id, name.clone(), r.year);
                    editions.insert(name, v.clone());
                    v
                }
            };
            import_one(&*tx, r, edition, draft).await?;
        }
        if !draft {
            repo::archive::bump_version(&*tx).await?;
        }
        tx.commit().await?;
        done += chunk.len();
        progress(done, total);
    }
    Ok(ImportReport { imported: total, editions_created: created, errors: vec![] })
}

async fn import_one<C: ConnectionTrait>(
    c: &C,
    r: &ImportRecord,
    edition: (i64, String, i32),
    draft: bool,
) -> Result<i64, AppError> {
    let now = Utc::now();
    let region = region_key(&r.region).unwrap_or("nationwide").to_string();
    let category = r.category.trim().to_string();
    let sections: BTreeMap<String, String> = [
        ("background", &r.background),
        ("practice", &r.practice),
        ("challenges", &r.challenges),
        ("outcomes", &r.outcomes),
        ("lessons", &r.lessons),
    ]
    .into_iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| (k.to_string(), v.clone()))
    .collect();
    let draft_text =
        PracticeDraft { title: r.title.clone(), summary: r.summary.clone(), tags: r.tags.join(", "), sections };
    let p = practice::ActiveModel {
        slug: Set(format!("import-{}", crate::server::auth::new_token())),
        nomination_id: Set(None),
        edition_id: Set(Some(edition.0)),
        status: Set(PracticeStatus::Draft.key().into()),
        category: Set(category.clone()),
        region: Set(region.clone()),
        industry: Set(String::new()),
        org_size: Set(String::new()),
        consent_scope: Set(r.consent_scope.clone()),
        photos: Set(false),
        nominee_name: Set(r.nominee_name.trim().to_string()),
        title: Set(r.title.trim().to_string()),
        summary: Set(String::new()),
        sections_json: Set("{}".into()),
        draft_json: Set(Some(serde_json::to_string(&draft_text).unwrap_or_default())),
        prepared_by: Set(None),
        prepared_at: Set(Some(now)),
        published_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?;
    let mut am: practice::ActiveModel = p.clone().into();
    am.slug = Set(slug(p.id, &category, &region));
    let p = am.update(c).await?;
    for b in &r.badges {
        repo::archive::add_badge(c, p.id, b, Some(edition.0), &edition.1, edition.2).await?;
    }
    if !draft {
        publish_imported(c, &p, &draft_text).await?;
    }
    Ok(p.id)
}

/// An imported record is published at once: the file's consent scope is the organiser's record
/// of consent (checked by the same gate as every other publication).
async fn publish_imported<C: ConnectionTrait>(
    c: &C,
    p: &practice::Model,
    draft: &PracticeDraft,
) -> Result<(), AppError> {
    let consent = current_consent(c, p).await?;
    if !consent.allows_archive() {
        return Err(AppError::ConsentMissing);
    }
    let sections: BTreeMap<String, PublicSection> = draft
        .sections
        .iter()
        .map(|(k, v)| (k.clone(), PublicSection { source: v.clone(), html: sanitize::render_markdown(v) }))
        .collect();
    let tags: Vec<String> = draft.tags.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
    let now = Utc::now();
    let mut am: practice::ActiveModel = p.clone().into();
    am.summary = Set(draft.summary.trim().to_string());
    am.sections_json = Set(serde_json::to_string(&sections).unwrap_or_default());
    am.draft_json = Set(None);
    am.status = Set(PracticeStatus::Published.key().into());
    am.published_at = Set(Some(now));
    am.signed_off_at = Set(Some(now));
    let updated = am.update(c).await?;
    repo::archive::set_tags(c, p.id, &tags).await?;
    index_record(c, &updated, &tags, &sections).await?;
    Ok(())
}

/// Publishes a draft record directly (tests and imports share this gate with sign-off).
pub async fn publish_for_test(state: &AppState, id: i64) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let p = repo::archive::find(&*tx, id).await?.ok_or(AppError::NotFound)?;
    let draft: PracticeDraft = p.draft_json.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
    publish_locked(&*tx, &p, &draft, None).await?;
    tx.commit().await?;
    Ok(())
}

// Feeds and sitemap ----------------------------------------------------------------------------

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

pub async fn sitemap(state: &AppState) -> Result<String, AppError> {
    let base = &state.config.public_url;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in ["/", "/archive", "/dialogue-rules", "/privacy"] {
        out.push_str(&format!("<url><loc>{}</loc></url>\n", xml_escape(&format!("{base}{path}"))));
    }
    for p in repo::archive::published(state.db.conn()).await? {
        out.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{}</lastmod></url>\n",
            xml_escape(&format!("{base}/practices/{}", p.slug)),
            p.updated_at.format("%Y-%m-%d")
        ));
    }
    out.push_str("</urlset>\n");
    Ok(out)
}

pub async fn feed(state: &AppState) -> Result<String, AppError> {
    let base = &state.config.public_url;
    let items: Vec<practice::Model> = repo::archive::published(state.db.conn()).await?.into_iter().take(50).collect();
    let updated = items.first().and_then(|p| p.published_at).unwrap_or_else(Utc::now);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ja\">\n<title>ゆらぎと対話 グッドプラクティス — 新着の実践</title>\n<id>{base}/feed.atom</id>\n<link rel=\"self\" href=\"{base}/feed.atom\"/>\n<link href=\"{base}/archive\"/>\n<updated>{}</updated>\n",
        updated.to_rfc3339()
    );
    for p in items {
        let url = format!("{base}/practices/{}", p.slug);
        out.push_str(&format!(
            "<entry><title>{}</title><id>{}</id><link href=\"{}\"/><updated>{}</updated><summary>{}</summary></entry>\n",
            xml_escape(&p.title),
            xml_escape(&url),
            xml_escape(&url),
            p.published_at.unwrap_or(p.updated_at).to_rfc3339(),
            xml_escape(&p.summary)
        ));
    }
    out.push_str("</feed>\n");
    Ok(out)
}

pub fn published_at_of(p: &practice::Model) -> Option<DateTime<Utc>> {
    p.published_at
}
