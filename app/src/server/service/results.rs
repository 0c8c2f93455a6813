//! From scores to outcomes: the ranking with raw and normalised scores side by side, the
//! shortlist, further rounds, decisions, publishing results (nominators are told kindly), the
//! score exports and the audit log view.
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use crate::domain::category::CategoryKey;
use crate::domain::edition::{EditionMode, StageKind};
use crate::domain::ids::NominationId;
use crate::domain::nomination::{NominationStatus, Outcome};
use crate::domain::permissions::{allowed, Action, EditionRole};
use crate::domain::policy::Op;
use crate::domain::scoring::{aggregate, Aggregate, Settings, Sheet, Weight};
use crate::domain::validation::{FieldError, Problem};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::entities::{edition, nomination};
use crate::server::{
    mail, policy, repo,
    repo::audit::Actor,
    service::{editions, rubrics, stages},
    AppState,
};
use crate::wire::Viewer;
use crate::wire::{AuditEntryView, CategoryTotal, CriterionView, RankingRow, RankingView, ReviewerStatView};

/// Outcomes an edition's mode allows.
pub fn outcomes_for(mode: EditionMode) -> Vec<Outcome> {
    let mut v = vec![Outcome::Undecided];
    if mode.certifies() {
        v.push(Outcome::Certified);
    }
    if mode.awards() {
        v.extend([Outcome::GrandPrize, Outcome::Excellence, Outcome::Special]);
    }
    v.push(Outcome::NotSelected);
    v
}

/// Everything computed for one round: per category group (categories sharing a rubric are
/// aggregated together, so reviewers are normalised over all their sheets on that rubric).
pub struct RoundData {
    pub criteria: Vec<CriterionView>,
    pub aggregate: Aggregate,
    pub nominations: Vec<repo::nominations::Entrant>,
    /// Every assignment of the entrants in this round, with its sheet (if started) and scores.
    pub sheets: Vec<repo::review::RoundSheet>,
}

/// Computed rounds by (edition, round), with the `Db::changes` reading and time they were
/// computed at. Any committed write (here, or announced by another process on PostgreSQL)
/// ends them; `ROUND_TTL` bounds what no announcement reaches.
/// (`Db::changes` reading, when computed, the round)
type CachedRound = (u64, Instant, Arc<RoundData>);

#[derive(Default)]
pub struct RoundCache {
    inner: Mutex<HashMap<(i64, i32), CachedRound>>,
    /// One computation at a time: views arriving meanwhile wait for it instead of repeating it.
    computing: tokio::sync::Mutex<()>,
}

const ROUND_TTL: Duration = Duration::from_millis(500);

/// `round_data`, computed once for concurrent and repeated views while nothing has changed.
pub async fn round_data_cached(state: &AppState, e: &edition::Model, round: i32) -> Result<Arc<RoundData>, AppError> {
    let key = (e.id, round);
    let cached = |changes: u64| {
        state.rounds.inner.lock().ok().and_then(|m| {
            m.get(&key).filter(|(seen, at, _)| *seen == changes && at.elapsed() < ROUND_TTL).map(|x| x.2.clone())
        })
    };
    if let Some(data) = cached(state.db.changes()) {
        return Ok(data);
    }
    let _computing = state.rounds.computing.lock().await;
    let changes = state.db.changes();
    if let Some(data) = cached(changes) {
        return Ok(data);
    }
    let data = Arc::new(round_data(state.db.conn(), e, round).await?);
    if let Ok(mut m) = state.rounds.inner.lock() {
        if m.len() > 64 {
            m.clear();
        }
        m.insert(key, (changes, Instant::now(), data.clone()));
    }
    Ok(data)
}

pub async fn round_data<C: ConnectionTrait>(c: &C, e: &edition::Model, round: i32) -> Result<RoundData, AppError> {
    let nominations = repo::nominations::entrants(c, e.id, round).await?;
    let entrant_ids: HashSet<i64> = nominations.iter().map(|n| n.id).collect();
    let mut sheets = repo::review::round_sheets(c, e.id, round).await?;
    sheets.retain(|s| entrant_ids.contains(&s.nomination_id));
    let mut assigned_count: HashMap<i64, usize> = HashMap::new();
    for s in &sheets {
        *assigned_count.entry(s.nomination_id).or_default() += 1;
    }

    // Group categories by the rubric that applies to them.
    let mut groups: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for cat in repo::editions::categories(c, e.id).await? {
        let r = rubrics::applicable(c, e.id, cat.id, round).await?;
        groups.entry(r.id).or_default().push(cat.id);
    }
    let settings = Settings {
        min_scored: e.min_scored_for_normalisation.max(1) as usize,
        disagreement_threshold: e.disagreement_threshold,
    };
    let mut all = Aggregate::default();
    let mut common_criteria = vec![];
    for (rubric_id, cats) in &groups {
        let r = repo::review::rubric_by_id(c, *rubric_id).await?.ok_or(AppError::NotFound)?;
        let view = rubrics::view(c, &r).await?;
        let weights: Vec<Weight> = view.criteria.iter().map(|k| Weight { criterion: k.id, weight: k.weight }).collect();
        let group_noms: Vec<&repo::nominations::Entrant> =
            nominations.iter().filter(|n| cats.contains(&n.category_id)).collect();
        let group_ids: HashSet<i64> = group_noms.iter().map(|n| n.id).collect();
        let group_sheets: Vec<Sheet> = sheets
            .iter()
            .filter(|s| group_ids.contains(&s.nomination_id))
            .filter_map(|s| {
                let (_, status) = s.review.as_ref()?;
                Some(Sheet {
                    reviewer: s.reviewer_id,
                    nomination: s.nomination_id,
                    scores: weights
                        .iter()
                        .map(|w| s.scores.iter().find(|(k, _)| *k == w.criterion).map(|(_, v)| f64::from(*v)))
                        .collect(),
                    submitted: status == "submitted",
                })
            })
            .collect();
        let entries: Vec<(i64, i64, usize)> =
            group_noms.iter().map(|n| (n.id, n.category_id, assigned_count.get(&n.id).copied().unwrap_or(0))).collect();
        let agg = aggregate(&weights, &group_sheets, &entries, settings);
        if r.category_id == 0 || common_criteria.is_empty() {
            common_criteria = view.criteria.clone();
        }
        all.sheets.extend(agg.sheets);
        all.nominations.extend(agg.nominations);
        all.reviewers.extend(agg.reviewers);
    }
    Ok(RoundData { criteria: common_criteria, aggregate: all, nominations, sheets })
}

/// Rows shown per category on the ranking overview; shortlisted and decided entries beyond it
/// are shown too, and each category can be opened in full.
pub const RANKING_OVERVIEW_ROWS: usize = 20;

/// The ranking of a round. Without `focus`, each category shows its top
/// `RANKING_OVERVIEW_ROWS` plus every shortlisted or decided entry; with it, that category only,
/// in full. (A thousand rows with their decision forms would make a page of megabytes.)
pub async fn ranking(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    round: Option<i32>,
    focus: Option<CategoryKey>,
) -> Result<RankingView, AppError> {
    let c = state.db.conn();
    let e = policy::edition(c, who, Op::ReadEdition, edition_id).await?;
    let (stage, current_round) = stages::current(&e);
    let rounds: Vec<i32> = {
        let mut r: Vec<i32> = repo::editions::stages(c, e.id)
            .await?
            .iter()
            .filter(|s| s.kind == StageKind::Review)
            .map(|s| s.round)
            .collect();
        if r.is_empty() {
            r.push(1);
        }
        r.sort();
        r.dedup();
        r
    };
    let round = round.filter(|r| rounds.contains(r)).unwrap_or(current_round.max(1));
    let data = round_data_cached(state, &e, round).await?;
    let by_id: HashMap<i64, &repo::nominations::Entrant> = data.nominations.iter().map(|n| (n.id, n)).collect();
    let cats = repo::editions::categories(c, e.id).await?;
    let cat_key: HashMap<i64, CategoryKey> = cats.iter().map(|c| (c.id, c.key)).collect();
    let all_rows: Vec<RankingRow> = data
        .aggregate
        .nominations
        .iter()
        .filter_map(|r| {
            let n = by_id.get(&r.nomination)?;
            Some(RankingRow {
                nomination_id: NominationId(n.id),
                title: n.title.clone(),
                category: cat_key.get(&n.category_id).copied().unwrap_or(CategoryKey::People),
                raw_mean: r.raw_mean,
                normalised_mean: r.normalised_mean,
                reviews: r.reviews,
                assigned: r.assigned,
                spread: r.spread,
                disagreement: r.disagreement,
                incomplete: r.incomplete,
                any_raw_used: r.any_raw_used,
                rank: r.rank,
                shortlisted: n.shortlisted,
                outcome: n.outcome,
                criterion_means: r.criterion_means.clone(),
            })
        })
        .collect();
    let focus = focus.filter(|f| cat_key.values().any(|k| k == f));
    let mut totals = vec![];
    let mut rows = vec![];
    for cat in &cats {
        let key = cat_key.get(&cat.id).copied().unwrap_or(CategoryKey::People);
        if focus.is_some_and(|f| f != key) {
            continue;
        }
        // `aggregate` lists each category in rank order, unranked entries last.
        let in_cat: Vec<&RankingRow> = all_rows.iter().filter(|r| r.category == key).collect();
        let total = in_cat.len();
        let before = rows.len();
        rows.extend(
            in_cat
                .into_iter()
                .enumerate()
                .filter(|(i, r)| {
                    focus.is_some() || *i < RANKING_OVERVIEW_ROWS || r.shortlisted || r.outcome != Outcome::Undecided
                })
                .map(|(_, r)| r.clone()),
        );
        totals.push(CategoryTotal { category: key, total, shown: rows.len() - before });
    }
    let reviewer_ids: Vec<i64> = data.aggregate.reviewers.iter().map(|s| s.reviewer).collect();
    let names: HashMap<i64, String> =
        repo::users::find_many(c, &reviewer_ids).await?.into_iter().map(|u| (u.id, u.display_name)).collect();
    let mut categories = vec![];
    for cat in &cats {
        if focus.is_none_or(|f| cat_key.get(&cat.id) == Some(&f)) {
            categories.push(editions::category_view(c, cat).await?);
        }
    }
    let mode = e.mode;
    Ok(RankingView {
        edition: editions::summary(c, &e, Utc::now()).await?,
        round,
        rounds,
        categories,
        criteria: data.criteria.clone(),
        rows,
        totals,
        focus,
        reviewers: data
            .aggregate
            .reviewers
            .iter()
            .map(|s| ReviewerStatView {
                name: names.get(&s.reviewer).cloned().unwrap_or_default(),
                count: s.count,
                mean: s.mean,
                spread: s.spread,
                normalised: s.normalised,
            })
            .collect(),
        outcomes: outcomes_for(mode),
        can_decide: allowed(EditionRole::Organiser, Action::Decide, stage),
        can_publish: allowed(EditionRole::Organiser, Action::PublishResults, stage),
    })
}

/// The calibration of a round (organisers): reviewers against the panel, how often
/// normalisation moved their entries, the widest disagreements.
pub async fn calibration(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    round: Option<i32>,
) -> Result<crate::wire::feedback::CalibrationView, AppError> {
    use crate::wire::feedback::{
        CalibrationView, DisagreementView, ReviewerCalibrationView, CALIBRATION_DISAGREEMENTS,
    };
    let c = state.db.conn();
    let e = policy::edition(c, who, Op::ExportScores, edition_id).await?;
    let (_, current_round) = stages::current(&e);
    let mut rounds: Vec<i32> = repo::editions::stages(c, e.id)
        .await?
        .iter()
        .filter(|s| s.kind == StageKind::Review)
        .map(|s| s.round)
        .collect();
    if rounds.is_empty() {
        rounds.push(1);
    }
    rounds.sort();
    rounds.dedup();
    let round = round.filter(|r| rounds.contains(r)).unwrap_or(current_round.max(1));
    let data = round_data_cached(state, &e, round).await?;
    let cal = crate::domain::calibration::calibrate(&data.aggregate);
    let ids: Vec<i64> = cal.reviewers.iter().map(|r| r.reviewer).collect();
    let names: HashMap<i64, String> =
        repo::users::find_many(c, &ids).await?.into_iter().map(|u| (u.id, u.display_name)).collect();
    let titles: HashMap<i64, &repo::nominations::Entrant> = data.nominations.iter().map(|n| (n.id, n)).collect();
    let cat_key: HashMap<i64, CategoryKey> =
        repo::editions::categories(c, e.id).await?.into_iter().map(|k| (k.id, k.key)).collect();
    Ok(CalibrationView {
        round,
        rounds,
        panel_mean: cal.panel_mean,
        panel_spread: cal.panel_spread,
        reviewers: cal
            .reviewers
            .into_iter()
            .map(|r| ReviewerCalibrationView { name: names.get(&r.reviewer).cloned().unwrap_or_default(), c: r })
            .collect(),
        disagreements: cal
            .disagreements
            .into_iter()
            .take(CALIBRATION_DISAGREEMENTS)
            .map(|d| DisagreementView {
                nomination_id: NominationId(d.nomination),
                title: titles.get(&d.nomination).map(|n| n.title.clone()).unwrap_or_default(),
                category: cat_key.get(&d.category).copied().unwrap_or(CategoryKey::People),
                d,
            })
            .collect(),
    })
}

/// The calibration as a spreadsheet (Excel-safe cells): one row per reviewer, then the
/// disagreements.
pub async fn calibration_csv(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    round: i32,
) -> Result<Vec<u8>, AppError> {
    let v = calibration(state, who, edition_id, Some(round)).await?;
    let mut w = crate::server::export::CsvSheet::new();
    w.write_record([
        "審査員",
        "採点数",
        "平均",
        "標準偏差",
        "審査員全体との差(平均)",
        "審査員全体との比(標準偏差)",
        "正規化",
        "正規化で順位が動いた件数",
        "順位のある担当件数",
    ])?;
    for r in &v.reviewers {
        w.write_record([
            r.name.clone(),
            r.c.sheets.to_string(),
            fmt(r.c.mean),
            fmt(r.c.spread),
            fmt(r.c.offset),
            fmt(r.c.spread_ratio),
            if r.c.normalised { "yes" } else { "no" }.to_string(),
            r.c.entries_moved.to_string(),
            r.c.entries_ranked.to_string(),
        ])?;
    }
    w.write_record(["", "", "", "", "", "", "", "", ""])?;
    w.write_record(["ID", "題名", "部門", "標準偏差", "採点数", "最低", "最高", "", ""])?;
    for d in &v.disagreements {
        w.write_record([
            d.nomination_id.0.to_string(),
            d.title.clone(),
            d.category.key().to_string(),
            fmt(Some(d.d.spread)),
            d.d.reviews.to_string(),
            fmt(Some(d.d.low)),
            fmt(Some(d.d.high)),
            String::new(),
            String::new(),
        ])?;
    }
    w.finish()
}

/// Decisions are made on entries that reached review: submitted, with the featured person's
/// consent at least to review.
async fn decided<'a, C: ConnectionTrait>(
    c: &C,
    who: Option<&'a Viewer>,
    id: NominationId,
) -> Result<(nomination::Model, edition::Model, &'a Viewer), AppError> {
    let access = policy::nomination(c, who, Op::DecideNomination, id.0).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    Ok((access.nomination, access.edition, viewer))
}

pub async fn set_shortlisted(
    state: &AppState,
    who: Option<&Viewer>,
    id: NominationId,
    shortlisted: bool,
) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let (n, e, viewer) = decided(&*tx, who, id).await?;
    let mut am: nomination::ActiveModel = n.clone().into();
    am.shortlisted = Set(shortlisted);
    am.version = Set(n.version + 1);
    am.update(&*tx).await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "decision.shortlist",
        Some(e.id),
        Some(n.id),
        serde_json::json!({"shortlisted": shortlisted}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn decide(state: &AppState, who: Option<&Viewer>, id: NominationId, outcome: &str) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let (n, e, viewer) = decided(&*tx, who, id).await?;
    let mode = e.mode;
    let outcome = Outcome::parse(outcome)
        .filter(|o| outcomes_for(mode).contains(o))
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("outcome", Problem::InvalidChoice)]))?;
    let mut am: nomination::ActiveModel = n.clone().into();
    am.outcome = Set(outcome);
    am.version = Set(n.version + 1);
    am.update(&*tx).await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "decision.made",
        Some(e.id),
        Some(n.id),
        serde_json::json!({"outcome": outcome.key()}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Opens review round n+1 for the shortlisted entries (earlier sheets are kept as they are).
pub async fn open_round(state: &AppState, who: Option<&Viewer>, edition_id: i64) -> Result<i32, AppError> {
    let c = state.db.conn();
    let e = policy::edition(c, who, Op::Decide, edition_id).await?;
    let next = repo::editions::stages(c, e.id)
        .await?
        .iter()
        .filter(|s| s.kind == StageKind::Review)
        .map(|s| s.round)
        .max()
        .unwrap_or(1)
        .max(e.current_round)
        + 1;
    if !repo::nominations::list_by_edition(c, e.id).await?.iter().any(|n| n.shortlisted) {
        return Err(AppError::Validation(vec![FieldError::new("shortlist", Problem::Required)]));
    }
    stages::move_to(state, who, e.id, StageKind::Review, next, &format!("round {next} for the shortlist")).await?;
    Ok(next)
}

/// Publishes the results: the edition moves to the results stage and every nominator is told.
pub async fn publish(state: &AppState, who: Option<&Viewer>, edition_id: i64) -> Result<(), AppError> {
    policy::edition(state.db.conn(), who, Op::PublishResults, edition_id).await?;
    stages::move_to(state, who, edition_id, StageKind::Results, 0, "results published").await
}

/// Kind words for each outcome, queued in the transaction that publishes the results.
pub async fn queue_result_mails<C: ConnectionTrait>(c: &C, e: &edition::Model, base_url: &str) -> Result<(), AppError> {
    for n in repo::nominations::list_by_edition(c, e.id).await? {
        if n.status != NominationStatus::Submitted {
            continue;
        }
        let Some(u) = repo::users::find(c, n.nominator_id).await? else { continue };
        let locale = u.locale.as_deref().and_then(Locale::parse).unwrap_or_default();
        let outcome = n.outcome;
        let t = locale.texts();
        let status = crate::i18n::nominator_status_label(
            crate::domain::nomination::nominator_status(
                NominationStatus::Submitted,
                n.screening,
                outcome,
                StageKind::Results,
                true,
            ),
            locale,
        );
        let (subject, message) = match locale {
            Locale::Ja => (
                format!("結果のお知らせ: {}", n.title),
                format!("{} の結果をお知らせします。\n\n「{}」: {status}\n\nたくさんの実践の中からご推薦いただき、ありがとうございました。{}", e.name_ja, n.title, t.footer_note),
            ),
            Locale::En => (
                format!("Results: {}", n.title),
                format!("The results of {} are out.\n\n\"{}\": {status}\n\nThank you for sharing this practice with us.", e.name_en, n.title),
            ),
        };
        // Absolute: a mail client has no page to resolve a relative link against.
        let link = format!("{base_url}/nominations/{}", n.id);
        mail::queue(
            c,
            &u.email,
            mail::notice("results_published", locale, &u.display_name, subject, &message, Some(&link)),
        )
        .await?;
    }
    Ok(())
}

pub async fn audit(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    action: &str,
    nomination: Option<i64>,
) -> Result<Vec<AuditEntryView>, AppError> {
    let c = state.db.conn();
    policy::edition(c, who, Op::ReadAudit, edition_id).await?;
    Ok(repo::audit::list(c, Some(edition_id), Some(action), nomination, 500)
        .await?
        .into_iter()
        .map(|a| AuditEntryView {
            at: a.at,
            actor: a.actor_label,
            action: a.action,
            nomination_id: a.nomination_id,
            detail: a.detail,
        })
        .collect())
}

fn fmt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.3}")).unwrap_or_default()
}

/// Sheet-level rows for exports: raw, normalised, per criterion, comments (internal ones too —
/// exports are for organisers only).
pub async fn export_rows(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    round: i32,
) -> Result<(Vec<String>, Vec<Vec<String>>, Vec<Vec<String>>), AppError> {
    let c = state.db.conn();
    let e = policy::edition(c, who, Op::ExportScores, edition_id).await?;
    let data = round_data_cached(state, &e, round).await?;
    let titles: HashMap<i64, &repo::nominations::Entrant> = data.nominations.iter().map(|n| (n.id, n)).collect();
    // Comments are only in the export: read them here rather than with every ranking.
    let comments: HashMap<i64, (String, String)> = repo::review::reviews_for_assignments(
        c,
        &data.sheets.iter().filter(|s| s.review.is_some()).map(|s| s.assignment_id).collect::<Vec<_>>(),
    )
    .await?
    .into_iter()
    .map(|r| (r.id, (r.internal_comment, r.comment_to_nominee)))
    .collect();
    let cats: HashMap<i64, String> =
        repo::editions::categories(c, e.id).await?.into_iter().map(|c| (c.id, c.name_ja)).collect();
    let mut reviewer_ids: Vec<i64> = data.sheets.iter().filter(|s| s.review.is_some()).map(|s| s.reviewer_id).collect();
    reviewer_ids.sort_unstable();
    reviewer_ids.dedup();
    let names: HashMap<i64, String> =
        repo::users::find_many(c, &reviewer_ids).await?.into_iter().map(|u| (u.id, u.display_name)).collect();
    let result_of: HashMap<(i64, i64), &crate::domain::scoring::SheetResult> =
        data.aggregate.sheets.iter().map(|s| ((s.nomination, s.reviewer), s)).collect();
    let mut header: Vec<String> = ["ID", "題名", "部門", "審査員", "状態", "素点(加重平均)", "正規化後", "正規化せず"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(data.criteria.iter().map(|k| k.name_ja.clone()));
    header.extend(["審査員コメント(内部)", "推薦者へのコメント"].iter().map(|s| s.to_string()));
    let mut rows = vec![];
    for sheet in &data.sheets {
        let Some((review_id, status)) = &sheet.review else { continue };
        let (nom, reviewer) = (&sheet.nomination_id, &sheet.reviewer_id);
        let n = titles.get(nom);
        let res = result_of.get(&(*nom, *reviewer));
        let mut row = vec![
            nom.to_string(),
            n.map(|n| n.title.clone()).unwrap_or_default(),
            n.and_then(|n| cats.get(&n.category_id).cloned()).unwrap_or_default(),
            names.get(reviewer).cloned().unwrap_or_default(),
            status.clone(),
            fmt(res.map(|r| r.raw)),
            fmt(res.map(|r| r.normalised)),
            res.map(|r| if r.raw_used { "yes" } else { "" }.to_string()).unwrap_or_default(),
        ];
        row.extend(
            data.criteria
                .iter()
                .map(|k| sheet.scores.iter().find(|(c, _)| *c == k.id).map(|(_, v)| v.to_string()).unwrap_or_default()),
        );
        let (internal, to_nominee) = comments.get(review_id).cloned().unwrap_or_default();
        row.push(internal);
        row.push(to_nominee);
        rows.push(row);
    }
    let stats = data
        .aggregate
        .reviewers
        .iter()
        .map(|s| {
            vec![
                names.get(&s.reviewer).cloned().unwrap_or_default(),
                s.count.to_string(),
                fmt(s.mean),
                fmt(s.spread),
                if s.normalised { "yes" } else { "no" }.to_string(),
            ]
        })
        .collect();
    Ok((header, rows, stats))
}

pub async fn export_csv(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    round: i32,
    reviewers: bool,
) -> Result<Vec<u8>, AppError> {
    let (header, rows, stats) = export_rows(state, who, edition_id, round).await?;
    let mut w = crate::server::export::CsvSheet::new();
    if reviewers {
        w.write_record(["審査員", "件数", "平均", "標準偏差", "正規化"])?;
        for r in stats {
            w.write_record(r)?;
        }
    } else {
        w.write_record(&header)?;
        for r in rows {
            w.write_record(r)?;
        }
    }
    w.finish()
}

pub async fn export_xlsx(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    round: i32,
) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let (header, rows, stats) = export_rows(state, who, edition_id, round).await?;
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let err = |e: rust_xlsxwriter::XlsxError| AppError::internal("xlsx", e);
    {
        let sheet = book.add_worksheet().set_name("scores").map_err(err)?;
        for (i, h) in header.iter().enumerate() {
            sheet.write_string_with_format(0, i as u16, h, &bold).map_err(err)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (i, v) in row.iter().enumerate() {
                match v.parse::<f64>() {
                    Ok(n) if i != 1 && i != 3 => sheet.write_number(r as u32 + 1, i as u16, n).map_err(err)?,
                    _ => sheet.write_string(r as u32 + 1, i as u16, v).map_err(err)?,
                };
            }
        }
    }
    {
        let sheet = book.add_worksheet().set_name("reviewers").map_err(err)?;
        for (i, h) in ["審査員", "件数", "平均", "標準偏差", "正規化"].iter().enumerate() {
            sheet.write_string_with_format(0, i as u16, *h, &bold).map_err(err)?;
        }
        for (r, row) in stats.iter().enumerate() {
            for (i, v) in row.iter().enumerate() {
                match v.parse::<f64>() {
                    Ok(n) if i > 0 => sheet.write_number(r as u32 + 1, i as u16, n).map_err(err)?,
                    _ => sheet.write_string(r as u32 + 1, i as u16, v).map_err(err)?,
                };
            }
        }
    }
    book.save_to_buffer().map_err(err)
}

pub fn mode_of(e: &edition::Model) -> EditionMode {
    e.mode
}
