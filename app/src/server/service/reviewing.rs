//! The reviewer's side: the queue of assigned entries, the score sheet (blind where the edition
//! says so), saving drafts and submitting, and — once submitted, and only if the edition allows
//! it — the other reviewers' scores. A conflicted reviewer sees none of it.
use std::collections::{BTreeMap, HashMap};

use chrono::Utc;

use crate::domain::ids::{AttachmentId, NominationId};
use crate::domain::policy::Op;
use crate::domain::scoring::{weighted_mean, Weight};
use crate::domain::validation::{Checker, FieldError, Problem};
use crate::error::AppError;
use crate::server::entities::{assignment, edition};
use crate::server::{
    policy, repo,
    repo::audit::Actor,
    service::{editions, nominations, rubrics},
    AppState,
};
use crate::wire::Viewer;
use crate::wire::{AttachmentView, PeerSheet, QueueItem, ReviewSheet, ReviewerQueue, SheetStatus};

fn sheet_status(r: Option<&crate::server::entities::review::Model>) -> SheetStatus {
    match r.map(|r| r.status.as_str()) {
        Some("submitted") => SheetStatus::Submitted,
        Some(_) => SheetStatus::Draft,
        None => SheetStatus::NotStarted,
    }
}

/// The entries this reviewer may review now (assigned, on the category's panel, not conflicted,
/// consented to review): the policy decides each row with facts read in a few queries.
pub async fn queue(state: &AppState, who: Option<&Viewer>) -> Result<ReviewerQueue, AppError> {
    let viewer = policy::signed_in(who, Op::ReviewQueue)?;
    let c = state.db.conn();
    let assignments = repo::review::assignments_of_reviewer(c, viewer.id.0).await?;
    let mut ids: Vec<i64> = assignments.iter().map(|a| a.nomination_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let nominations: HashMap<i64, _> =
        repo::nominations::find_many(c, &ids).await?.into_iter().map(|n| (n.id, n)).collect();
    let list: Vec<_> = nominations.values().cloned().collect();
    let facts = policy::ReviewerView::load(c, viewer, &list).await?;
    let mut editions_cache: HashMap<i64, edition::Model> = HashMap::new();
    for n in nominations.values() {
        if !editions_cache.contains_key(&n.edition_id) {
            if let Some(e) = repo::editions::find(c, n.edition_id).await? {
                editions_cache.insert(e.id, e);
            }
        }
    }
    let mut visible = vec![];
    for a in &assignments {
        let Some(n) = nominations.get(&a.nomination_id) else { continue };
        let Some(e) = editions_cache.get(&n.edition_id) else { continue };
        if facts.may(Op::ReadSheet, a, n, e) {
            visible.push((a, n, e));
        }
    }
    let reviews: HashMap<i64, _> =
        repo::review::reviews_for_assignments(c, &visible.iter().map(|(a, _, _)| a.id).collect::<Vec<_>>())
            .await?
            .into_iter()
            .map(|r| (r.assignment_id, r))
            .collect();
    let mut cats: HashMap<i64, crate::server::entities::category::Model> = HashMap::new();
    let mut items = vec![];
    for (a, n, e) in visible {
        if !cats.contains_key(&n.category_id) {
            if let Some(cat) = repo::editions::find_category(c, n.category_id).await? {
                cats.insert(cat.id, cat);
            }
        }
        let Some(cat) = cats.get(&n.category_id) else { continue };
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
            can_edit: facts.may(Op::Score, a, n, e),
            paused: a.paused_at.is_some(),
        });
    }
    let submitted = items.iter().filter(|i| i.status == SheetStatus::Submitted).count();
    Ok(ReviewerQueue { total: items.len(), submitted, items })
}

pub async fn sheet(state: &AppState, who: Option<&Viewer>, assignment_id: i64) -> Result<ReviewSheet, AppError> {
    let c = state.db.conn();
    let access = policy::assignment(c, who, Op::ReadSheet, assignment_id).await?;
    let can_edit = access.allows(who, Op::Score);
    let can_pace = access.allows(who, Op::PaceAssignment);
    let (a, n, e) = (access.assignment, access.nomination, access.edition);
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
        can_edit,
        paused: a.paused_at.is_some(),
        can_pace: can_pace && status != SheetStatus::Submitted,
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
    who: Option<&Viewer>,
    assignment_id: i64,
    scores: &BTreeMap<String, String>,
    internal_comment: &str,
    comment_to_nominee: &str,
    submit: bool,
) -> Result<SheetStatus, AppError> {
    let tx = state.db.begin().await?;
    let access = policy::assignment(&*tx, who, Op::Score, assignment_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let (a, n, e) = (access.assignment, access.nomination, access.edition);
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
