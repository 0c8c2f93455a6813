//! The reviewer's side: the queue of assigned entries, the score sheet (blind where the edition
//! says so), saving drafts and submitting, and — once submitted, and only if the edition allows
//! it — the other reviewers' scores. A conflicted reviewer sees none of it.
use std::collections::{BTreeMap, HashMap};

use chrono::Utc;

use crate::api::auth::Viewer;
use crate::api::types::{AttachmentView, PeerSheet, QueueItem, ReviewSheet, ReviewerQueue, SheetStatus};
use crate::domain::edition::StageKind;
use crate::domain::ids::{AttachmentId, NominationId};
use crate::domain::nomination::NominationStatus;
use crate::domain::permissions::{allowed, Action, EditionRole};
use crate::domain::scoring::{weighted_mean, Weight};
use crate::domain::validation::{Checker, FieldError, Problem};
use crate::error::AppError;
use crate::server::entities::{assignment, edition};
use crate::server::{
    repo,
    repo::audit::Actor,
    service::{editions, nominations, rubrics, stages},
    AppState,
};

fn sheet_status(r: Option<&crate::server::entities::review::Model>) -> SheetStatus {
    match r.map(|r| r.status.as_str()) {
        Some("submitted") => SheetStatus::Submitted,
        Some(_) => SheetStatus::Draft,
        None => SheetStatus::NotStarted,
    }
}

fn round_open(e: &edition::Model, a: &assignment::Model) -> bool {
    let (stage, round) = stages::current(e);
    allowed(EditionRole::Reviewer, Action::Score, stage) && stage == StageKind::Review && round == a.round
}

pub async fn queue(state: &AppState, viewer: &Viewer) -> Result<ReviewerQueue, AppError> {
    let c = state.db.conn();
    let conflicted = repo::review::conflicted_nominations(c, viewer.id.0).await?;
    let assignments: Vec<_> = repo::review::assignments_of_reviewer(c, viewer.id.0)
        .await?
        .into_iter()
        .filter(|a| !conflicted.contains(&a.nomination_id))
        .collect();
    let reviews: HashMap<i64, _> =
        repo::review::reviews_for_assignments(c, &assignments.iter().map(|a| a.id).collect::<Vec<_>>())
            .await?
            .into_iter()
            .map(|r| (r.assignment_id, r))
            .collect();
    let mut editions_cache: HashMap<i64, edition::Model> = HashMap::new();
    let mut cats: HashMap<i64, crate::server::entities::category::Model> = HashMap::new();
    let mut items = vec![];
    // One query for all the nominations, not one per assignment.
    let mut ids: Vec<i64> = assignments.iter().map(|a| a.nomination_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let nominations: HashMap<i64, _> =
        repo::nominations::find_many(c, &ids).await?.into_iter().map(|n| (n.id, n)).collect();
    for a in &assignments {
        let Some(n) = nominations.get(&a.nomination_id) else { continue };
        if n.status != NominationStatus::Submitted.key() {
            continue;
        }
        if !editions_cache.contains_key(&n.edition_id) {
            if let Some(e) = repo::editions::find(c, n.edition_id).await? {
                editions_cache.insert(e.id, e);
            }
        }
        if !cats.contains_key(&n.category_id) {
            if let Some(cat) = repo::editions::find_category(c, n.category_id).await? {
                cats.insert(cat.id, cat);
            }
        }
        let (Some(e), Some(cat)) = (editions_cache.get(&n.edition_id), cats.get(&n.category_id)) else { continue };
        items.push(QueueItem {
            assignment_id: a.id,
            nomination_id: NominationId(n.id),
            title: n.title.clone(),
            category_name_ja: cat.name_ja.clone(),
            category_name_en: cat.name_en.clone(),
            edition_name_ja: e.name_ja.clone(),
            edition_name_en: e.name_en.clone(),
            round: a.round,
            status: sheet_status(reviews.get(&a.id)),
            can_edit: round_open(e, a),
        });
    }
    let submitted = items.iter().filter(|i| i.status == SheetStatus::Submitted).count();
    Ok(ReviewerQueue { total: items.len(), submitted, items })
}

/// The assignment if it is this reviewer's and they are not conflicted; otherwise "not found".
async fn mine<C: sea_orm::ConnectionTrait>(
    c: &C,
    viewer: &Viewer,
    assignment_id: i64,
) -> Result<assignment::Model, AppError> {
    let a = repo::review::find_assignment(c, assignment_id)
        .await?
        .filter(|a| a.reviewer_id == viewer.id.0)
        .ok_or(AppError::NotFound)?;
    if repo::review::is_conflicted(c, a.nomination_id, viewer.id.0).await? {
        return Err(AppError::NotFound);
    }
    Ok(a)
}

pub async fn sheet(state: &AppState, viewer: &Viewer, assignment_id: i64) -> Result<ReviewSheet, AppError> {
    let c = state.db.conn();
    let a = mine(c, viewer, assignment_id).await?;
    let n = repo::nominations::find(c, a.nomination_id)
        .await?
        .filter(|n| n.status == NominationStatus::Submitted.key())
        .ok_or(AppError::NotFound)?;
    let e = repo::editions::find(c, n.edition_id).await?.ok_or(AppError::NotFound)?;
    let cat = repo::editions::find_category(c, n.category_id).await?.ok_or(AppError::NotFound)?;
    let category = editions::category_view(c, &cat).await?;
    let rubric = rubrics::applicable(c, e.id, cat.id, a.round).await?;
    let rubric = rubrics::view(c, &rubric).await?;
    let own = repo::review::review_for_assignment(c, a.id).await?;
    let own_scores: HashMap<i64, i32> = match &own {
        Some(r) => {
            repo::review::scores_for_reviews(c, &[r.id]).await?.into_iter().map(|s| (s.criterion_id, s.value)).collect()
        }
        None => HashMap::new(),
    };
    let blind = e.blind_review;
    let input = nominations::input_of(&n);
    let answers = category
        .questions
        .iter()
        .filter(|q| !(blind && q.personal))
        .filter_map(|q| input.answers.get(&q.id.to_string()).map(|a| (q.clone(), a.clone())))
        .collect();
    let status = sheet_status(own.as_ref());
    let peers = if e.show_peer_scores && status == SheetStatus::Submitted {
        Some(
            peer_sheets(
                c,
                &a,
                &rubric.criteria.iter().map(|k| Weight { criterion: k.id, weight: k.weight }).collect::<Vec<_>>(),
            )
            .await?,
        )
    } else {
        None
    };
    let nominator_name = if blind { None } else { repo::users::find(c, n.nominator_id).await?.map(|u| u.display_name) };
    Ok(ReviewSheet {
        assignment_id: a.id,
        round: a.round,
        edition_name_ja: e.name_ja.clone(),
        edition_name_en: e.name_en.clone(),
        blind,
        title: n.title.clone(),
        nominee_name: n.nominee_name.clone(),
        nominee_type: n.nominee_type.clone(),
        region: n.region.clone(),
        summary: n.summary.clone(),
        sections_html: nominations::sections_html(&n),
        links: input.link_list(),
        answers,
        attachments: repo::attachments::list(c, n.id)
            .await?
            .into_iter()
            .map(|x| AttachmentView {
                id: AttachmentId(x.id),
                file_name: x.file_name,
                content_type: x.content_type,
                size_bytes: x.size_bytes,
            })
            .collect(),
        nominator_name,
        scores: rubric.criteria.iter().map(|k| (k.id, own_scores.get(&k.id).copied())).collect(),
        rubric,
        internal_comment: own.as_ref().map(|r| r.internal_comment.clone()).unwrap_or_default(),
        comment_to_nominee: own.as_ref().map(|r| r.comment_to_nominee.clone()).unwrap_or_default(),
        status,
        can_edit: round_open(&e, &a),
        peers,
        category,
    })
}

/// The other submitted sheets for the same nomination and round, without reviewers' names.
async fn peer_sheets<C: sea_orm::ConnectionTrait>(
    c: &C,
    a: &assignment::Model,
    weights: &[Weight],
) -> Result<Vec<PeerSheet>, AppError> {
    let others: Vec<_> = repo::review::assignments_for_nominations(c, &[a.nomination_id], a.round)
        .await?
        .into_iter()
        .filter(|x| x.id != a.id)
        .collect();
    let reviews: Vec<_> = repo::review::reviews_for_assignments(c, &others.iter().map(|x| x.id).collect::<Vec<_>>())
        .await?
        .into_iter()
        .filter(|r| r.status == "submitted")
        .collect();
    let scores = repo::review::scores_for_reviews(c, &reviews.iter().map(|r| r.id).collect::<Vec<_>>()).await?;
    let mut by_review: HashMap<i64, HashMap<i64, i32>> = HashMap::new();
    for s in scores {
        by_review.entry(s.review_id).or_default().insert(s.criterion_id, s.value);
    }
    Ok(reviews
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mine = by_review.get(&r.id).cloned().unwrap_or_default();
            let values: Vec<Option<i32>> = weights.iter().map(|w| mine.get(&w.criterion).copied()).collect();
            let floats: Vec<Option<f64>> = values.iter().map(|v| v.map(f64::from)).collect();
            PeerSheet {
                label: format!("{}", (b'A' + (i as u8 % 26)) as char),
                total: weighted_mean(weights, &floats),
                scores: values,
                comment_to_nominee: r.comment_to_nominee.clone(),
            }
        })
        .collect())
}

/// Saves the sheet; with `submit`, every criterion must be scored (and commented where the
/// rubric asks). A submitted sheet may be revised until the round closes.
pub async fn save(
    state: &AppState,
    viewer: &Viewer,
    assignment_id: i64,
    scores: &BTreeMap<String, String>,
    internal_comment: &str,
    comment_to_nominee: &str,
    submit: bool,
) -> Result<SheetStatus, AppError> {
    let tx = state.db.begin().await?;
    let a = mine(&*tx, viewer, assignment_id).await?;
    let n = repo::nominations::find(&*tx, a.nomination_id).await?.ok_or(AppError::NotFound)?;
    let e = repo::editions::find(&*tx, n.edition_id).await?.ok_or(AppError::NotFound)?;
    if !round_open(&e, &a) {
        return Err(AppError::StageClosed);
    }
    let rubric = rubrics::applicable(&*tx, e.id, n.category_id, a.round).await?;
    let criteria = repo::review::criteria(&*tx, rubric.id).await?;
    let mut c = Checker::new();
    let mut values = vec![];
    for k in &criteria {
        let field = format!("score_{}", k.id);
        let raw = scores.get(&k.id.to_string()).map(|s| s.trim()).unwrap_or("");
        if raw.is_empty() {
            if submit {
                c.push(&field, Problem::Required);
            }
            continue;
        }
        match raw.parse::<i32>() {
            Ok(v) if (rubric.scale_min..=rubric.scale_max).contains(&v) => values.push((k.id, v)),
            _ => c.push(&field, Problem::OutOfRange { min: rubric.scale_min as i64, max: rubric.scale_max as i64 }),
        }
    }
    if submit && criteria.iter().any(|k| k.comment_required) {
        c.required("internal_comment", internal_comment);
    }
    c.max_chars("internal_comment", internal_comment, 4000).max_chars("comment_to_nominee", comment_to_nominee, 2000);
    c.finish().map_err(AppError::Validation)?;
    let existing = repo::review::review_for_assignment(&*tx, a.id).await?;
    let was_submitted = existing.as_ref().is_some_and(|r| r.status == "submitted");
    let status = if submit || was_submitted { "submitted" } else { "draft" };
    if was_submitted && values.len() < criteria.len() {
        return Err(AppError::Validation(vec![FieldError::new("scores", Problem::Required)]));
    }
    repo::review::upsert_review(
        &*tx,
        a.id,
        rubric.id,
        status,
        internal_comment.trim(),
        comment_to_nominee.trim(),
        &values,
        Utc::now(),
    )
    .await?;
    if submit {
        repo::audit::record(
            &*tx,
            Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
            if was_submitted { "review.revised" } else { "review.submitted" },
            Some(e.id),
            Some(n.id),
            serde_json::json!({"round": a.round, "assignment": a.id}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(if status == "submitted" { SheetStatus::Submitted } else { SheetStatus::Draft })
}

/// Used by attachments: a reviewer may open files of entries assigned to them, unless conflicted.
pub async fn may_see<C: sea_orm::ConnectionTrait>(
    c: &C,
    viewer: &Viewer,
    nomination_id: i64,
) -> Result<bool, AppError> {
    if repo::review::is_conflicted(c, nomination_id, viewer.id.0).await? {
        return Ok(false);
    }
    Ok(repo::review::assignments_of_reviewer(c, viewer.id.0).await?.iter().any(|a| a.nomination_id == nomination_id))
}
