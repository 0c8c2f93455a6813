//! Feedback reports for nominees, and the organisers' reading of reviewers' comments before
//! they are released. Bands are computed from round 1 (every reviewed entry of a category takes
//! part in it), by rank only (`domain::feedback::bands`); comments come from every round, and
//! only as an organiser let them through.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::domain::category::CategoryKey;
use crate::domain::edition::StageKind;
use crate::domain::feedback::{bands, CommentState, UNKIND_WORDS};
use crate::domain::ids::NominationId;
use crate::domain::policy::Op;
use crate::domain::validation::{Checker, FieldError, Problem};
use crate::error::AppError;
use crate::server::entities::{assignment, review};
use crate::server::{policy, repo, repo::audit::Actor, service::rubrics, AppState};
use crate::wire::feedback::{FeedbackCriterion, FeedbackReport, ModerationItem};
use crate::wire::Viewer;

/// The round whose scores give the bands: the first, which every reviewed entry took part in.
const BAND_ROUND: i32 = 1;

/// The report of one nomination: its nominator once results are published, organisers at any
/// time as a preview (what the nominee will read, with the decision being prepared).
pub async fn report(state: &AppState, who: Option<&Viewer>, id: NominationId) -> Result<FeedbackReport, AppError> {
    let c = state.db.conn();
    let access = policy::nomination(c, who, Op::ReadFeedback, id.0).await?;
    let (n, e) = (access.nomination, access.edition);
    let preview = !access.facts.owner;
    let released = access.facts.edition.stage == StageKind::Results;
    let category = repo::editions::categories(c, e.id)
        .await?
        .into_iter()
        .find(|k| k.id == n.category_id)
        .map(|k| k.key)
        .unwrap_or(CategoryKey::People);

    // Bands on each criterion, among the reviewed entries of the same category.
    let rubric = rubrics::applicable(c, e.id, n.category_id, BAND_ROUND).await?;
    let criteria_view = rubrics::view(c, &rubric).await?.criteria;
    let data = super::results::round_data(c, &e, BAND_ROUND).await?;
    let peers: Vec<_> = data.aggregate.nominations.iter().filter(|r| r.category == n.category_id).collect();
    let mut bands_shown = false;
    let criteria = criteria_view
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let means: Vec<(i64, Option<f64>)> =
                peers.iter().map(|r| (r.nomination, r.criterion_means.get(i).copied().flatten())).collect();
            let b = bands(&means);
            bands_shown |= !b.is_empty();
            FeedbackCriterion {
                name_ja: k.name_ja.clone(),
                name_en: k.name_en.clone(),
                band: b.into_iter().find(|(nid, _)| *nid == n.id).map(|(_, band)| band),
            }
        })
        .collect();

    let comments = reviews_of(c, n.id)
        .await?
        .into_iter()
        .filter_map(|r| {
            let s = CommentState::parse(&r.nominee_comment_state)?;
            s.shown(&r.comment_to_nominee, &r.nominee_comment_final).map(str::to_owned)
        })
        .collect();
    Ok(FeedbackReport {
        nomination_id: NominationId(n.id),
        title: n.title,
        category,
        edition_name_ja: e.name_ja,
        edition_name_en: e.name_en,
        outcome: n.outcome,
        bands_shown,
        criteria,
        comments,
        preview,
        released,
    })
}

/// Every sheet of a nomination, in every round, oldest first.
async fn reviews_of<C: ConnectionTrait>(c: &C, nomination_id: i64) -> Result<Vec<review::Model>, AppError> {
    let ids: Vec<i64> = assignment::Entity::find()
        .filter(assignment::Column::NominationId.eq(nomination_id))
        .order_by_asc(assignment::Column::Id)
        .all(c)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let mut reviews = repo::review::reviews_for_assignments(c, &ids).await?;
    reviews.sort_by_key(|r| r.id);
    Ok(reviews)
}

/// The comments to nominees of an edition that organisers read before release, those not read
/// yet first. Only non-empty comments: there is nothing to read in an empty one.
pub async fn comments_to_read(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
) -> Result<Vec<ModerationItem>, AppError> {
    let c = state.db.conn();
    let e = policy::edition(c, who, Op::ReadEdition, edition_id).await?;
    let nominations = repo::nominations::list_by_edition(c, e.id).await?;
    let cat_key: HashMap<i64, CategoryKey> =
        repo::editions::categories(c, e.id).await?.into_iter().map(|k| (k.id, k.key)).collect();
    let by_id: HashMap<i64, _> = nominations.iter().map(|n| (n.id, n)).collect();
    let ids: Vec<i64> = nominations.iter().map(|n| n.id).collect();
    let mut assignments = vec![];
    for chunk in ids.chunks(500) {
        assignments.extend(
            assignment::Entity::find().filter(assignment::Column::NominationId.is_in(chunk.to_vec())).all(c).await?,
        );
    }
    let nomination_of: HashMap<i64, i64> = assignments.iter().map(|a| (a.id, a.nomination_id)).collect();
    let aids: Vec<i64> = assignments.iter().map(|a| a.id).collect();
    let mut items: Vec<ModerationItem> = repo::review::reviews_for_assignments(c, &aids)
        .await?
        .into_iter()
        .filter(|r| !r.comment_to_nominee.trim().is_empty())
        .filter_map(|r| {
            let n = by_id.get(nomination_of.get(&r.assignment_id)?)?;
            let lower = r.comment_to_nominee.to_lowercase();
            Some(ModerationItem {
                assignment_id: r.assignment_id,
                nomination_id: NominationId(n.id),
                title: n.title.clone(),
                category: cat_key.get(&n.category_id).copied().unwrap_or(CategoryKey::People),
                flagged: UNKIND_WORDS.iter().filter(|w| lower.contains(*w)).map(|w| w.to_string()).collect(),
                original: r.comment_to_nominee,
                state: CommentState::parse(&r.nominee_comment_state).unwrap_or(CommentState::Pending),
                edited: r.nominee_comment_final,
                reason: r.nominee_comment_reason,
            })
        })
        .collect();
    items.sort_by_key(|i| (i.state != CommentState::Pending, i.nomination_id.0, i.assignment_id));
    Ok(items)
}

/// An organiser's reading of one comment: `accept` passes it on as written, `edit` passes on
/// `text` instead and needs a reason, `hold` keeps it from the nominee and needs a reason,
/// `pending` takes the decision back. Recorded in the audit log without the comment's text.
/// Returns the new state and the edition (the page to go back to).
pub async fn moderate(
    state: &AppState,
    who: Option<&Viewer>,
    assignment_id: i64,
    decision: &str,
    text: &str,
    reason: &str,
) -> Result<(CommentState, i64), AppError> {
    let tx = state.db.begin().await?;
    let access = policy::assignment(&*tx, who, Op::ModerateFeedback, assignment_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let state_to = match decision {
        "accept" => CommentState::Accepted,
        "edit" => CommentState::Edited,
        "hold" => CommentState::Held,
        "pending" => CommentState::Pending,
        _ => return Err(AppError::Validation(vec![FieldError::new("decision", Problem::InvalidChoice)])),
    };
    let mut check = Checker::new();
    check.max_chars("text", text, 2000).max_chars("reason", reason, 500);
    if state_to == CommentState::Edited {
        check.required("text", text.trim());
    }
    if matches!(state_to, CommentState::Edited | CommentState::Held) {
        check.required("reason", reason.trim());
    }
    check.finish().map_err(AppError::Validation)?;
    let Some(r) = repo::review::review_for_assignment(&*tx, access.assignment.id)
        .await?
        .filter(|r| !r.comment_to_nominee.trim().is_empty())
    else {
        // Nothing written to the nominee on this sheet: nothing to pass on or hold back.
        return Err(AppError::Validation(vec![FieldError::new("decision", Problem::Required)]));
    };
    let now = Utc::now();
    let mut am: review::ActiveModel = r.into();
    am.nominee_comment_state = Set(state_to.key().into());
    am.nominee_comment_final = Set(if state_to == CommentState::Edited { text.trim().into() } else { String::new() });
    am.nominee_comment_reason = Set(match state_to {
        CommentState::Edited | CommentState::Held => reason.trim().into(),
        _ => String::new(),
    });
    am.nominee_comment_by = Set(Some(viewer.id.0));
    am.nominee_comment_at = Set(Some(now));
    am.update(&*tx).await?;
    // No personal data and no comment text in the log: the decision, and whether a reason was given.
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "feedback.comment",
        Some(access.edition.id),
        Some(access.nomination.id),
        serde_json::json!({"assignment": assignment_id, "decision": state_to.key(), "reason_given": !reason.trim().is_empty()}),
    )
    .await?;
    tx.commit().await?;
    Ok((state_to, access.edition.id))
}
