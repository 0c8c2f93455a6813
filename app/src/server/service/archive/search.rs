//! Reading the archive: search with facet counts over the snapshot, result cards, and the
//! public record page.
use std::collections::HashMap;
use std::sync::Arc;

use super::curation::shown_scope;
use super::index::{snapshot, Matches, PosSet, Snapshot, BADGE, CATEGORY, DIMS, EDITION, INDUSTRY, REGION, SIZE, TAG};
use super::publish::ordered_sections;
use crate::domain::archive::{id_from_slug, BadgeKind};
use crate::domain::category::CategoryKey;
use crate::domain::consent::ConsentScope;
use crate::domain::nomination::{choice_label, INDUSTRIES, ORG_SIZES};
use crate::domain::policy::Op;
use crate::domain::region::{region_name, REGIONS};
use crate::domain::search::{parse_query, snippet, Query, QUERY_MAX_CHARS};
use crate::domain::validation::{FieldError, Problem};
use crate::error::AppError;
use crate::server::entities::practice;
use crate::server::{policy, repo, sanitize, AppState};
use crate::wire::{ArchiveFilters, ArchiveResults, BadgeView, Facet, FacetValue, PracticeCard, PracticeView, Viewer};

pub const PER_PAGE: usize = 20;

/// The records a query matches: the intersection of its terms' matches (every term must
/// match), each term's read from the snapshot's per-term memo or the search index. Kept per
/// term, not per query: the many combinations of a few common words — what a crowd of
/// different searches is made of — cost one index lookup per word, not one per combination.
async fn matches(state: &AppState, snap: &Snapshot, q: &Query) -> Result<Arc<Matches>, AppError> {
    let mut combined: Option<Arc<Matches>> = None;
    for term in &q.terms {
        let key = format!("{term:?}");
        let m = match snap.matches.get(&key) {
            Some(m) => m,
            None => {
                let one = Query { terms: vec![term.clone()], words: vec![] };
                let (all, title) = repo::archive::search_ids(state.db.conn(), &one).await?;
                let m = Arc::new(Matches::from_ids(snap, &all, &title));
                snap.matches.insert(key, m.clone());
                m
            }
        };
        // A one-word query is that word's memo entry itself, not a copy of it.
        combined = Some(match combined {
            None => m,
            Some(c) => Arc::new(c.both(&m)),
        });
    }
    let n = snap.entries.len();
    Ok(combined.unwrap_or_else(|| Arc::new(Matches { all: PosSet::none(n), title: PosSet::none(n) })))
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

    /// The positions passing each active filter, by facet (`CATEGORY` … `BADGE`).
    fn passes(&self, snap: &Snapshot) -> Vec<(usize, PosSet)> {
        let n = snap.entries.len();
        let one = |facet: usize, code: Option<usize>| {
            let mut s = PosSet::none(n);
            if let Some(m) = code.and_then(|c| snap.members[facet].get(c)) {
                m.add_to(&mut s);
            }
            s
        };
        let mut out = vec![];
        for d in 0..DIMS {
            if let Some(w) = self.dims[d] {
                out.push((d, one(d, w.map(usize::from))));
            }
        }
        if let Some(w) = self.tag {
            out.push((TAG, one(TAG, w.map(|t| t as usize))));
        }
        if let Some(bits) = self.badge {
            let mut s = PosSet::none(n);
            for (i, kind) in BadgeKind::ALL.iter().enumerate() {
                if bits & kind.bit() != 0 {
                    if let Some(m) = snap.members[BADGE].get(i) {
                        m.add_to(&mut s);
                    }
                }
            }
            out.push((BADGE, s));
        }
        out
    }
}

/// What a query with its filters selects: the hits in display order (positions in the
/// snapshot) and the facet counts. Memoised per snapshot, so paging through results, or the
/// same search by many people, costs only the page.
#[derive(Debug)]
pub struct Tally {
    /// Hits as bitmaps over snapshot positions: 12 KB per 100,000 records however many match
    /// (a list of positions took 400 KB for a broad search, so few searches fitted the memo).
    /// Title matches come first, then the rest, each in snapshot order.
    pub(super) in_title: Vec<u64>,
    pub(super) elsewhere: Vec<u64>,
    pub(super) total: usize,
    pub(super) counts: Vec<Vec<u32>>,
}

impl Tally {
    #[allow(clippy::ptr_arg)] // moka's weigher is called with `&K` = `&String`
    pub(super) fn weight(key: &String, t: &Arc<Tally>) -> u32 {
        let counts: usize = t.counts.iter().map(Vec::len).sum();
        u32::try_from(key.len() + (t.in_title.len() + t.elsewhere.len()) * 8 + counts * 4 + 128).unwrap_or(u32::MAX)
    }

    /// Snapshot positions of hits `skip..skip + take`, in display order.
    pub(super) fn page(&self, skip: usize, take: usize) -> Vec<u32> {
        let mut out = Vec::with_capacity(take);
        let mut skip = skip;
        for bits in [&self.in_title, &self.elsewhere] {
            for (w, word) in bits.iter().enumerate() {
                if out.len() == take {
                    return out;
                }
                let n = word.count_ones() as usize;
                if skip >= n {
                    skip -= n;
                    continue;
                }
                let mut word = *word;
                while word != 0 && out.len() < take {
                    let b = word.trailing_zeros();
                    word &= word - 1;
                    if skip > 0 {
                        skip -= 1;
                    } else {
                        out.push((w * 64) as u32 + b);
                    }
                }
            }
        }
        out
    }
}

/// Searches and filters; facet counts are taken over the matching records with every other
/// facet's filter applied (so a chosen value does not hide its siblings).
pub async fn search(state: &AppState, f: &ArchiveFilters) -> Result<ArchiveResults, AppError> {
    if f.q.chars().count() > QUERY_MAX_CHARS {
        return Err(AppError::Validation(vec![FieldError::new("q", Problem::TooLong { max: QUERY_MAX_CHARS })]));
    }
    let snap = snapshot(state).await?;
    let q = parse_query(&f.q, &snap.synonyms);
    // The terms sorted: every term must match, so their order does not change the result.
    let mut terms: Vec<String> = q.terms.iter().map(|t| format!("{t:?}")).collect();
    terms.sort();
    let key =
        format!("{terms:?}|{}|{}|{}|{}|{}|{}|{}", f.category, f.edition, f.region, f.industry, f.size, f.tag, f.badge);
    let metrics = crate::server::metrics::global();
    let t = match snap.tallies.get(&key) {
        Some(t) => {
            metrics.search_memo_hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            t
        }
        None => {
            metrics.search_memo_misses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let matching = if q.is_empty() { None } else { Some(matches(state, &snap, &q).await?) };
            let t = Arc::new(tally(&snap, matching.as_deref(), &Wanted::new(&snap, f)));
            snap.tallies.insert(key, t.clone());
            t
        }
    };
    let total = t.total;
    let per_page = if f.per_page == 0 { PER_PAGE } else { f.per_page.min(100) };
    let pages = total.div_ceil(per_page).max(1);
    let page = f.page.clamp(1, pages);
    let ids: Vec<i64> =
        t.page((page - 1) * per_page, per_page).into_iter().map(|p| snap.entries[p as usize].id).collect();
    let items = cards(state, &snap, &ids, &q.words).await?;
    let facets = facets(&snap, &t.counts, f);
    Ok(ArchiveResults { total, page, per_page, pages, items, facets })
}

/// Hits and facet counts as bitmap intersections: a record passing every filter is a hit and
/// counts in every facet; one failing only one filter counts in that filter's facet (so a
/// chosen value does not hide its siblings). Title matches come first, then the rest, each
/// newest first (the snapshot order).
fn tally(snap: &Snapshot, matching: Option<&Matches>, want: &Wanted) -> Tally {
    let n = snap.entries.len();
    let base = matching.map_or_else(|| PosSet::all(n), |m| m.all.clone());
    let passes = want.passes(snap);
    let mut hits = base.clone();
    passes.iter().for_each(|(_, p)| hits.and(p));
    let counts: Vec<Vec<u32>> = snap
        .members
        .iter()
        .enumerate()
        .map(|(facet, values)| {
            // Counted over the records passing every other facet's filter.
            let own = passes.iter().any(|(f, _)| *f == facet).then(|| {
                let mut s = base.clone();
                passes.iter().filter(|(f, _)| *f != facet).for_each(|(_, p)| s.and(p));
                s
            });
            let set = own.as_ref().unwrap_or(&hits);
            values.iter().map(|m| m.count_in(set)).collect()
        })
        .collect();
    let total = hits.len();
    let (in_title, elsewhere) = match matching.filter(|m| !m.title.is_empty()) {
        Some(m) => {
            let mut t = hits.clone();
            t.and(&m.title);
            hits.and_not(&m.title);
            (t, hits)
        }
        None => (PosSet::none(n), hits),
    };
    Tally { in_title: in_title.bits.into_vec(), elsewhere: elsewhere.bits.into_vec(), total, counts }
}

fn facets(snap: &Snapshot, counts: &[Vec<u32>], f: &ArchiveFilters) -> Vec<Facet> {
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
        snap.values[d].values.iter().cloned().zip(counts[d].iter().map(|n| *n as usize)).collect()
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
            snap.tags.iter().cloned().zip(counts[TAG].iter().map(|n| *n as usize)).collect(),
            &f.tag,
            &|k| (k.to_string(), k.to_string()),
            &|_| 0,
        ),
        mk(
            "badge",
            BadgeKind::ALL.iter().map(|b| b.key().to_string()).zip(counts[BADGE].iter().map(|n| *n as usize)).collect(),
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

/// What a result card shows of a record, read once per archive version (the snapshot's card
/// memo): a page of results costs no database read for records shown before.
#[derive(Debug)]
pub struct CardSource {
    /// The card without its snippet (that depends on the query).
    card: PracticeCard,
    summary: String,
    summary_norm: String,
    /// The record's sections (sanitised HTML, in page order), and — made on the first query
    /// that needs them — as plain text with its normalised form.
    sections_html: Vec<String>,
    sections: std::sync::OnceLock<Vec<(String, String)>>,
}

impl CardSource {
    fn new(snap: &Snapshot, p: &practice::Model, badges: Vec<BadgeView>) -> CardSource {
        let (label, year) =
            p.edition_id.and_then(|e| snap.editions.get(&e)).map(|(j, _, y)| (j.clone(), *y)).unwrap_or_default();
        CardSource {
            card: PracticeCard {
                id: p.id,
                slug: p.slug.clone(),
                title: p.title.clone(),
                snippet_html: String::new(),
                category: p.category,
                region: p.region.clone(),
                edition_label: label,
                year,
                badges,
                published_at: p.published_at,
            },
            summary: p.summary.clone(),
            summary_norm: crate::domain::search::normalize(&p.summary),
            sections_html: ordered_sections(p).into_iter().map(|(_, h)| h).collect(),
            sections: std::sync::OnceLock::new(),
        }
    }

    pub(super) fn weight(_: &i64, c: &Arc<CardSource>) -> u32 {
        let card = &c.card;
        let n = card.slug.len()
            + card.title.len()
            + card.region.len()
            + card.edition_label.len()
            + c.summary.len() * 2
            + c.sections_html.iter().map(|h| h.len() * 3).sum::<usize>();
        u32::try_from(n + 256).unwrap_or(u32::MAX)
    }

    /// The card for a query: the summary, or else the first section holding one of its words,
    /// with the words marked.
    fn card(&self, words: &[String]) -> PracticeCard {
        let mut text = self.summary.as_str();
        if !words.is_empty() && !words.iter().any(|w| self.summary_norm.contains(w.as_str())) {
            let sections = self.sections.get_or_init(|| {
                self.sections_html
                    .iter()
                    .map(|h| {
                        let plain = sanitize::to_plain_text(h);
                        let norm = crate::domain::search::normalize(&plain);
                        (plain, norm)
                    })
                    .collect()
            });
            if let Some((plain, _)) = sections.iter().find(|(_, n)| words.iter().any(|w| n.contains(w.as_str()))) {
                text = plain;
            }
        }
        PracticeCard { snippet_html: snippet(text, words, 110), ..self.card.clone() }
    }
}

async fn cards(
    state: &AppState,
    snap: &Snapshot,
    ids: &[i64],
    words: &[String],
) -> Result<Vec<PracticeCard>, AppError> {
    let mut found: HashMap<i64, Arc<CardSource>> =
        ids.iter().filter_map(|id| Some((*id, snap.cards.get(id)?))).collect();
    let missing: Vec<i64> = ids.iter().copied().filter(|id| !found.contains_key(id)).collect();
    if !missing.is_empty() {
        let c = state.db.conn();
        let rows = repo::archive::by_ids(c, &missing).await?;
        let badges = repo::archive::badges_of(c, &missing).await?;
        for p in &rows {
            let mine = badges.iter().filter(|b| b.practice_id == p.id).filter_map(badge_view).collect();
            let source = Arc::new(CardSource::new(snap, p, mine));
            snap.cards.insert(p.id, source.clone());
            found.insert(p.id, source);
        }
    }
    Ok(ids.iter().filter_map(|id| found.get(id)).map(|s| s.card(words)).collect())
}

fn badge_view(b: &crate::server::entities::practice_badge::Model) -> Option<BadgeView> {
    Some(BadgeView { kind: b.kind, edition_label: b.edition_label.clone(), year: b.year })
}

/// The public record. Drafts are "not found"; withdrawn or unpublished records are "gone".
/// The record as the public sees it now: the policy reads its status and the consent live, and
/// the name is shown only while both the published scope and the consent allow names.
///
/// Kept per archive version and forum version (every change a record page shows moves one of
/// them, in the same transaction: publishing, consent, badges, tags, events), so a signed-in
/// visitor — whom the page cache cannot serve — costs no database reads once the record has been
/// read for this version. The policy is asked again on every use.
pub async fn record(state: &AppState, who: Option<&Viewer>, slug_or_id: &str) -> Result<PracticeView, AppError> {
    let id = id_from_slug(slug_or_id).ok_or(AppError::NotFound)?;
    let snap = snapshot(state).await?;
    let forum = super::index::current_forum_version(state).await?;
    if let Some(seen) = snap.records.get(&(id, forum)) {
        policy::record_seen(who, seen.facts)?;
        return Ok(seen.view.clone());
    }
    let c = state.db.conn();
    let access = policy::practice(c, who, Op::ViewRecord, id).await?;
    let (p, consent, facts) = (access.practice, access.consent, access.facts);
    let tags = repo::archive::tags_of(c, p.id).await?;
    let badges = repo::archive::badges_of(c, &[p.id]).await?.iter().filter_map(badge_view).collect();
    // Related: same category, most shared tags, newest first.
    let me = snap.position(p.id).map(|i| &snap.entries[i]);
    let category = snap.values[CATEGORY].find(p.category.key());
    let mut related: Vec<(usize, usize, i64)> = snap
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.id != p.id && Some(e.dims[CATEGORY]) == category)
        .map(|(i, e)| {
            let shared = me.map(|m| snap.tags_of(e).iter().filter(|t| snap.tags_of(m).contains(t)).count());
            (shared.unwrap_or(0), i, e.id)
        })
        .take(200)
        .collect();
    related.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let related_ids: Vec<i64> = related.iter().take(4).map(|r| r.2).collect();
    let related = cards(state, &snap, &related_ids, &[]).await?;
    let named = shown_scope(&p, consent.scope) == ConsentScope::ArchiveNamed && consent.allows_names();
    let mut presented_at = vec![];
    for s in repo::forum::sessions_presenting(c, p.id, p.nomination_id).await? {
        if let Some(ev) = repo::forum::find_event(c, s.event_id).await?.filter(|e| e.published) {
            if !presented_at.iter().any(|(slug, _, _): &(String, String, _)| *slug == ev.slug) {
                presented_at.push((ev.slug.clone(), ev.title_ja.clone(), ev.starts_at));
            }
        }
    }
    let view = PracticeView {
        presented_at,
        id: p.id,
        slug: p.slug.clone(),
        title: p.title.clone(),
        summary: p.summary.clone(),
        nominee_name: (named && !p.nominee_name.is_empty()).then(|| p.nominee_name.clone()),
        category: p.category,
        region: p.region.clone(),
        industry: p.industry.clone(),
        org_size: p.org_size.clone(),
        sections: ordered_sections(&p),
        tags,
        badges,
        related,
        published_at: p.published_at,
        updated_at: p.updated_at,
    };
    snap.records.insert((id, forum), Arc::new(super::index::SeenRecord { facts, view: view.clone() }));
    Ok(view)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::super::index::{Entry, Interner, Matches, Snapshot, BADGE, DIMS, TAG};
    use super::{tally, Tally, Wanted};
    use crate::domain::archive::BadgeKind;

    /// A small deterministic generator (no dependency for one test).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    /// The definition, one record at a time: a record failing no filter is a hit and counts in
    /// every facet; one failing exactly one filter counts in that facet only.
    fn by_definition(snap: &Snapshot, matching: Option<&Matches>, want: &Wanted) -> (Vec<u32>, usize, Vec<Vec<u32>>) {
        let mut counts: Vec<Vec<u32>> = snap.members.iter().map(|v| vec![0; v.len()]).collect();
        let (mut title_hits, mut other_hits, mut total) = (vec![], vec![], 0);
        let has = |s: &super::PosSet, p: usize| s.bits[p / 64] & (1 << (p % 64)) != 0;
        for (pos, e) in snap.entries.iter().enumerate() {
            if matching.is_some_and(|m| !has(&m.all, pos)) {
                continue;
            }
            let mut fails = 0u8;
            for d in 0..DIMS {
                if want.dims[d].is_some_and(|w| w != Some(e.dims[d])) {
                    fails |= 1 << d;
                }
            }
            if want.tag.is_some_and(|w| !w.is_some_and(|t| snap.tags_of(e).contains(&t))) {
                fails |= 1 << TAG;
            }
            if want.badge.is_some_and(|bits| e.badges & bits == 0) {
                fails |= 1 << BADGE;
            }
            if fails & fails.wrapping_sub(1) != 0 {
                continue;
            }
            let counts_in = |facet: usize| fails == 0 || fails == 1 << facet;
            for d in 0..DIMS {
                if counts_in(d) {
                    counts[d][e.dims[d] as usize] += 1;
                }
            }
            if counts_in(TAG) {
                snap.tags_of(e).iter().for_each(|t| counts[TAG][*t as usize] += 1);
            }
            if counts_in(BADGE) {
                for (i, b) in BadgeKind::ALL.iter().enumerate() {
                    if e.badges & b.bit() != 0 {
                        counts[BADGE][i] += 1;
                    }
                }
            }
            if fails == 0 {
                total += 1;
                if matching.is_some_and(|m| has(&m.title, pos)) {
                    title_hits.push(pos as u32);
                } else {
                    other_hits.push(pos as u32);
                }
            }
        }
        title_hits.extend(other_hits);
        (title_hits, total, counts)
    }

    #[test]
    fn bitmap_tallies_agree_with_the_definition_record_by_record() {
        let mut rng = Lcg(7);
        for n in [0usize, 1, 63, 64, 65, 700, 3001] {
            let mut values: [Interner; DIMS] = Default::default();
            let sizes = [5u64, 3, 47, 12, 6];
            for d in 0..DIMS {
                for v in 0..sizes[d] {
                    values[d].code(&format!("{d}-{v}"));
                }
            }
            let tags: Vec<String> = (0..40).map(|t| format!("tag{t}")).collect();
            let tag_ix: HashMap<String, u32> = tags.iter().enumerate().map(|(i, t)| (t.clone(), i as u32)).collect();
            let mut tag_list = vec![];
            let entries: Vec<Entry> = (0..n)
                .map(|i| {
                    let start = tag_list.len() as u32;
                    // Tag 0 on most records (a dense bitmap), the others rare (lists). A record's
                    // tags are distinct, as the table's primary key (practice_id, tag) makes them.
                    for k in 0..rng.next(4) {
                        let t = if k == 0 { 0 } else { 1 + rng.next(39) as u32 };
                        if !tag_list[start as usize..].contains(&t) {
                            tag_list.push(t);
                        }
                    }
                    Entry {
                        // Ids with holes, as after deletions.
                        id: (i * 3 + 1) as i64,
                        published: 0,
                        dims: std::array::from_fn(|d| rng.next(sizes[d]) as u16),
                        badges: rng.next(16) as u8 & rng.next(16) as u8,
                        tags: start..tag_list.len() as u32,
                    }
                })
                .collect();
            let snap = Snapshot::new(1, entries, values, (tags, tag_ix, tag_list), HashMap::new(), vec![]);
            for round in 0..60 {
                let ids = |rng: &mut Lcg, keep: u64| -> Vec<i64> {
                    (0..(n * 3 + 5) as i64).filter(|_| rng.next(100) < keep).collect()
                };
                let matching = (round % 3 != 0).then(|| {
                    let all = ids(&mut rng, 70);
                    let title: Vec<i64> = all.iter().copied().filter(|_| rng.next(3) == 0).collect();
                    Matches::from_ids(&snap, &all, &title)
                });
                let pick = |rng: &mut Lcg, size: u64| match rng.next(4) {
                    0 | 1 => None,
                    2 => Some(Some(rng.next(size) as u16)),
                    _ => Some(if rng.next(5) == 0 { None } else { Some(rng.next(size) as u16) }),
                };
                let want = Wanted {
                    dims: std::array::from_fn(|d| pick(&mut rng, [5, 3, 47, 12, 6][d])),
                    tag: pick(&mut rng, 40).map(|t| t.map(u32::from)),
                    badge: match rng.next(4) {
                        0 => Some(!BadgeKind::Certified.bit()),
                        1 => Some(BadgeKind::ALL[rng.next(4) as usize].bit()),
                        _ => None,
                    },
                };
                let got = tally(&snap, matching.as_ref(), &want);
                let (order, total, counts) = by_definition(&snap, matching.as_ref(), &want);
                assert_eq!(got.total, total, "n {n} round {round}");
                assert_eq!(got.counts, counts, "n {n} round {round}");
                assert_eq!(got.page(0, n + 1), order, "n {n} round {round}");
            }
        }
    }

    fn bits(positions: &[u32], len: usize) -> Vec<u64> {
        let mut b = vec![0u64; len.div_ceil(64)];
        for p in positions {
            b[*p as usize / 64] |= 1 << (p % 64);
        }
        b
    }

    #[test]
    fn pages_list_title_hits_first_then_the_rest_in_snapshot_order() {
        let title = [3, 70, 200];
        let rest = [0, 1, 64, 65, 130, 199, 201];
        let t = Tally { in_title: bits(&title, 256), elsewhere: bits(&rest, 256), total: 10, counts: vec![] };
        let all: Vec<u32> = title.iter().chain(rest.iter()).copied().collect();
        for skip in 0..12 {
            for take in 0..12 {
                let want: Vec<u32> = all.iter().skip(skip).take(take).copied().collect();
                assert_eq!(t.page(skip, take), want, "skip {skip} take {take}");
            }
        }
    }
}
