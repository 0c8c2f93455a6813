//! Review data: panels, invitations, conflicts, rubrics and criteria, assignments, sheets and
//! scores. Loaders take whole sets at once so pages need a handful of queries, not one per row.
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::{prelude::*, ActiveValue::Set, QueryOrder};

use crate::server::entities::{
    assignment, conflict, criterion, panel_member, review, reviewer_invitation, rubric, score,
};

// Panels ---------------------------------------------------------------------------------------

pub async fn panel_members<C: ConnectionTrait>(c: &C, edition_id: i64) -> Result<Vec<panel_member::Model>, DbErr> {
    panel_member::Entity::find()
        .filter(panel_member::Column::EditionId.eq(edition_id))
        .order_by_asc(panel_member::Column::Id)
        .all(c)
        .await
}

pub async fn add_panel_member<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
    category_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let exists = panel_member::Entity::find()
        .filter(panel_member::Column::CategoryId.eq(category_id))
        .filter(panel_member::Column::UserId.eq(user_id))
        .one(c)
        .await?
        .is_some();
    if !exists {
        panel_member::ActiveModel {
            edition_id: Set(edition_id),
            category_id: Set(category_id),
            user_id: Set(user_id),
            load_cap: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(c)
        .await?;
    }
    Ok(())
}

pub async fn remove_panel_member<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
    category_id: i64,
    user_id: i64,
) -> Result<u64, DbErr> {
    panel_member::Entity::delete_many()
        .filter(panel_member::Column::EditionId.eq(edition_id))
        .filter(panel_member::Column::CategoryId.eq(category_id))
        .filter(panel_member::Column::UserId.eq(user_id))
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}

/// A reviewer's load cap applies to all their panels in the edition.
pub async fn set_cap<C: ConnectionTrait>(c: &C, edition_id: i64, user_id: i64, cap: Option<i32>) -> Result<(), DbErr> {
    panel_member::Entity::update_many()
        .col_expr(panel_member::Column::LoadCap, Expr::value(cap))
        .filter(panel_member::Column::EditionId.eq(edition_id))
        .filter(panel_member::Column::UserId.eq(user_id))
        .exec(c)
        .await
        .map(|_| ())
}

pub async fn is_panel_member<C: ConnectionTrait>(c: &C, edition_id: i64, user_id: i64) -> Result<bool, DbErr> {
    Ok(panel_member::Entity::find()
        .filter(panel_member::Column::EditionId.eq(edition_id))
        .filter(panel_member::Column::UserId.eq(user_id))
        .one(c)
        .await?
        .is_some())
}

/// Is this person on the panel of this category now?
pub async fn is_on_panel<C: ConnectionTrait>(c: &C, category_id: i64, user_id: i64) -> Result<bool, DbErr> {
    Ok(panel_member::Entity::find()
        .filter(panel_member::Column::CategoryId.eq(category_id))
        .filter(panel_member::Column::UserId.eq(user_id))
        .one(c)
        .await?
        .is_some())
}

/// The categories whose panels this person sits on now.
pub async fn panel_categories_of<C: ConnectionTrait>(c: &C, user_id: i64) -> Result<HashSet<i64>, DbErr> {
    Ok(panel_member::Entity::find()
        .filter(panel_member::Column::UserId.eq(user_id))
        .all(c)
        .await?
        .into_iter()
        .map(|m| m.category_id)
        .collect())
}

#[expect(clippy::too_many_arguments, reason = "one argument per column keeps each insert explicit")]
pub async fn insert_invitation<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
    email: &str,
    category_ids: &[i64],
    token_hash: &str,
    expires_at: DateTime<Utc>,
    invited_by: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    reviewer_invitation::ActiveModel {
        edition_id: Set(edition_id),
        email: Set(email.into()),
        category_ids: Set(category_ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",")),
        token_hash: Set(token_hash.into()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        invited_by: Set(Some(invited_by)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
    .map(|_| ())
}

pub async fn find_invitation<C: ConnectionTrait>(
    c: &C,
    token_hash: &str,
) -> Result<Option<reviewer_invitation::Model>, DbErr> {
    reviewer_invitation::Entity::find().filter(reviewer_invitation::Column::TokenHash.eq(token_hash)).one(c).await
}

pub async fn consume_invitation<C: ConnectionTrait>(c: &C, id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let r = reviewer_invitation::Entity::update_many()
        .col_expr(reviewer_invitation::Column::UsedAt, Expr::value(Some(now)))
        .filter(reviewer_invitation::Column::Id.eq(id))
        .filter(reviewer_invitation::Column::UsedAt.is_null())
        .filter(reviewer_invitation::Column::ExpiresAt.gt(now))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn pending_invitations<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<reviewer_invitation::Model>, DbErr> {
    reviewer_invitation::Entity::find()
        .filter(reviewer_invitation::Column::EditionId.eq(edition_id))
        .filter(reviewer_invitation::Column::UsedAt.is_null())
        .filter(reviewer_invitation::Column::ExpiresAt.gt(now))
        .order_by_asc(reviewer_invitation::Column::Id)
        .all(c)
        .await
}

// Conflicts ------------------------------------------------------------------------------------

pub async fn insert_conflict<C: ConnectionTrait>(
    c: &C,
    nomination_id: i64,
    user_id: i64,
    source: &str,
    reason: &str,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let exists = conflict::Entity::find()
        .filter(conflict::Column::NominationId.eq(nomination_id))
        .filter(conflict::Column::UserId.eq(user_id))
        .one(c)
        .await?
        .is_some();
    if exists {
        return Ok(false);
    }
    conflict::ActiveModel {
        nomination_id: Set(nomination_id),
        user_id: Set(user_id),
        source: Set(source.into()),
        reason: Set(reason.into()),
        created_by: Set(created_by),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(true)
}

/// Every (nomination, reviewer) conflict among these nominations.
pub async fn conflicts_for<C: ConnectionTrait>(c: &C, nomination_ids: &[i64]) -> Result<Vec<conflict::Model>, DbErr> {
    if nomination_ids.is_empty() {
        return Ok(vec![]);
    }
    let mut out = vec![];
    for chunk in nomination_ids.chunks(500) {
        out.extend(conflict::Entity::find().filter(conflict::Column::NominationId.is_in(chunk.to_vec())).all(c).await?);
    }
    Ok(out)
}

/// The nominations this person must never see.
pub async fn conflicted_nominations<C: ConnectionTrait>(c: &C, user_id: i64) -> Result<HashSet<i64>, DbErr> {
    Ok(conflict::Entity::find()
        .filter(conflict::Column::UserId.eq(user_id))
        .all(c)
        .await?
        .into_iter()
        .map(|x| x.nomination_id)
        .collect())
}

pub async fn is_conflicted<C: ConnectionTrait>(c: &C, nomination_id: i64, user_id: i64) -> Result<bool, DbErr> {
    Ok(conflict::Entity::find()
        .filter(conflict::Column::NominationId.eq(nomination_id))
        .filter(conflict::Column::UserId.eq(user_id))
        .one(c)
        .await?
        .is_some())
}

// Rubrics --------------------------------------------------------------------------------------

pub async fn find_rubric<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
    category_id: i64,
    round: i32,
) -> Result<Option<rubric::Model>, DbErr> {
    rubric::Entity::find()
        .filter(rubric::Column::EditionId.eq(edition_id))
        .filter(rubric::Column::CategoryId.eq(category_id))
        .filter(rubric::Column::Round.eq(round))
        .one(c)
        .await
}

pub async fn rubric_by_id<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<rubric::Model>, DbErr> {
    rubric::Entity::find_by_id(id).one(c).await
}

pub async fn rubrics_of<C: ConnectionTrait>(c: &C, edition_id: i64) -> Result<Vec<rubric::Model>, DbErr> {
    rubric::Entity::find()
        .filter(rubric::Column::EditionId.eq(edition_id))
        .order_by_asc(rubric::Column::Round)
        .order_by_asc(rubric::Column::CategoryId)
        .all(c)
        .await
}

pub async fn insert_rubric<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
    category_id: i64,
    round: i32,
    min: i32,
    max: i32,
    now: DateTime<Utc>,
) -> Result<rubric::Model, DbErr> {
    rubric::ActiveModel {
        edition_id: Set(edition_id),
        category_id: Set(category_id),
        round: Set(round),
        scale_min: Set(min),
        scale_max: Set(max),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
}

pub async fn criteria<C: ConnectionTrait>(c: &C, rubric_id: i64) -> Result<Vec<criterion::Model>, DbErr> {
    criterion::Entity::find()
        .filter(criterion::Column::RubricId.eq(rubric_id))
        .order_by_asc(criterion::Column::Position)
        .order_by_asc(criterion::Column::Id)
        .all(c)
        .await
}

#[expect(clippy::too_many_arguments, reason = "one argument per column keeps each insert explicit")]
pub async fn insert_criterion<C: ConnectionTrait>(
    c: &C,
    rubric_id: i64,
    position: i32,
    name_ja: &str,
    name_en: &str,
    description_ja: &str,
    description_en: &str,
    weight: f64,
    anchors_json: &str,
    comment_required: bool,
) -> Result<criterion::Model, DbErr> {
    criterion::ActiveModel {
        rubric_id: Set(rubric_id),
        position: Set(position),
        name_ja: Set(name_ja.into()),
        name_en: Set(name_en.into()),
        description_ja: Set(description_ja.into()),
        description_en: Set(description_en.into()),
        weight: Set(weight),
        anchors_json: Set(anchors_json.into()),
        comment_required: Set(comment_required),
        ..Default::default()
    }
    .insert(c)
    .await
}

pub async fn delete_criterion<C: ConnectionTrait>(c: &C, rubric_id: i64, id: i64) -> Result<u64, DbErr> {
    criterion::Entity::delete_many()
        .filter(criterion::Column::Id.eq(id))
        .filter(criterion::Column::RubricId.eq(rubric_id))
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}

/// Have any scores been given against this rubric? Then it can no longer change.
pub async fn rubric_has_scores<C: ConnectionTrait>(c: &C, rubric_id: i64) -> Result<bool, DbErr> {
    let ids: Vec<i64> = criterion::Entity::find()
        .filter(criterion::Column::RubricId.eq(rubric_id))
        .all(c)
        .await?
        .into_iter()
        .map(|x| x.id)
        .collect();
    if ids.is_empty() {
        return Ok(false);
    }
    Ok(score::Entity::find().filter(score::Column::CriterionId.is_in(ids)).one(c).await?.is_some())
}

// Assignments and sheets -----------------------------------------------------------------------

pub async fn assignments_for_nominations<C: ConnectionTrait>(
    c: &C,
    nomination_ids: &[i64],
    round: i32,
) -> Result<Vec<assignment::Model>, DbErr> {
    let mut out = vec![];
    for chunk in nomination_ids.chunks(500) {
        out.extend(
            assignment::Entity::find()
                .filter(assignment::Column::NominationId.is_in(chunk.to_vec()))
                .filter(assignment::Column::Round.eq(round))
                .order_by_asc(assignment::Column::Id)
                .all(c)
                .await?,
        );
    }
    Ok(out)
}

pub async fn assignments_of_reviewer<C: ConnectionTrait>(
    c: &C,
    reviewer_id: i64,
) -> Result<Vec<assignment::Model>, DbErr> {
    assignment::Entity::find()
        .filter(assignment::Column::ReviewerId.eq(reviewer_id))
        .order_by_asc(assignment::Column::Id)
        .all(c)
        .await
}

pub async fn find_assignment<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<assignment::Model>, DbErr> {
    assignment::Entity::find_by_id(id).one(c).await
}

pub async fn insert_assignment<C: ConnectionTrait>(
    c: &C,
    nomination_id: i64,
    reviewer_id: i64,
    round: i32,
    source: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>, DbErr> {
    let exists = assignment::Entity::find()
        .filter(assignment::Column::NominationId.eq(nomination_id))
        .filter(assignment::Column::ReviewerId.eq(reviewer_id))
        .filter(assignment::Column::Round.eq(round))
        .one(c)
        .await?;
    if exists.is_some() {
        return Ok(None);
    }
    assignment::ActiveModel {
        nomination_id: Set(nomination_id),
        reviewer_id: Set(reviewer_id),
        round: Set(round),
        source: Set(source.into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
    .map(|m| Some(m.id))
}

/// Removes a reviewer from a nomination in every round that has no submitted sheet (used when a
/// conflict is declared); submitted sheets of earlier rounds are never overwritten.
pub async fn remove_unsubmitted_assignments<C: ConnectionTrait>(
    c: &C,
    nomination_id: i64,
    reviewer_id: i64,
) -> Result<u64, DbErr> {
    let rows = assignment::Entity::find()
        .filter(assignment::Column::NominationId.eq(nomination_id))
        .filter(assignment::Column::ReviewerId.eq(reviewer_id))
        .all(c)
        .await?;
    let mut removed = 0;
    for a in rows {
        let submitted = review::Entity::find()
            .filter(review::Column::AssignmentId.eq(a.id))
            .filter(review::Column::Status.eq("submitted"))
            .one(c)
            .await?
            .is_some();
        if !submitted {
            assignment::Entity::delete_by_id(a.id).exec(c).await?;
            removed += 1;
        }
    }
    Ok(removed)
}

pub async fn delete_assignment<C: ConnectionTrait>(c: &C, id: i64) -> Result<(), DbErr> {
    assignment::Entity::delete_by_id(id).exec(c).await.map(|_| ())
}

pub async fn reviews_for_assignments<C: ConnectionTrait>(
    c: &C,
    assignment_ids: &[i64],
) -> Result<Vec<review::Model>, DbErr> {
    let mut out = vec![];
    for chunk in assignment_ids.chunks(500) {
        out.extend(review::Entity::find().filter(review::Column::AssignmentId.is_in(chunk.to_vec())).all(c).await?);
    }
    Ok(out)
}

pub async fn review_for_assignment<C: ConnectionTrait>(
    c: &C,
    assignment_id: i64,
) -> Result<Option<review::Model>, DbErr> {
    review::Entity::find().filter(review::Column::AssignmentId.eq(assignment_id)).one(c).await
}

pub async fn scores_for_reviews<C: ConnectionTrait>(c: &C, review_ids: &[i64]) -> Result<Vec<score::Model>, DbErr> {
    let mut out = vec![];
    for chunk in review_ids.chunks(500) {
        out.extend(score::Entity::find().filter(score::Column::ReviewId.is_in(chunk.to_vec())).all(c).await?);
    }
    Ok(out)
}

/// Creates or updates a sheet and replaces its scores, in the caller's transaction.
#[expect(clippy::too_many_arguments, reason = "one argument per column keeps each insert explicit")]
pub async fn upsert_review<C: ConnectionTrait>(
    c: &C,
    assignment_id: i64,
    rubric_id: i64,
    status: &str,
    internal_comment: &str,
    comment_to_nominee: &str,
    scores: &[(i64, i32)],
    now: DateTime<Utc>,
) -> Result<review::Model, DbErr> {
    let existing = review_for_assignment(c, assignment_id).await?;
    let model = match existing {
        Some(r) => {
            let mut am: review::ActiveModel = r.clone().into();
            am.status = Set(status.into());
            am.internal_comment = Set(internal_comment.into());
            if r.comment_to_nominee != comment_to_nominee {
                // A changed comment is read again before it reaches the nominee.
                am.nominee_comment_state = Set("pending".into());
                am.nominee_comment_final = Set(String::new());
                am.nominee_comment_reason = Set(String::new());
                am.nominee_comment_by = Set(None);
                am.nominee_comment_at = Set(None);
            }
            am.comment_to_nominee = Set(comment_to_nominee.into());
            am.updated_at = Set(now);
            if status == "submitted" && r.submitted_at.is_none() {
                am.submitted_at = Set(Some(now));
            }
            am.update(c).await?
        }
        None => {
            review::ActiveModel {
                assignment_id: Set(assignment_id),
                rubric_id: Set(rubric_id),
                status: Set(status.into()),
                internal_comment: Set(internal_comment.into()),
                comment_to_nominee: Set(comment_to_nominee.into()),
                submitted_at: Set((status == "submitted").then_some(now)),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(c)
            .await?
        }
    };
    score::Entity::delete_many().filter(score::Column::ReviewId.eq(model.id)).exec(c).await?;
    if !scores.is_empty() {
        score::Entity::insert_many(scores.iter().map(|(criterion, value)| score::ActiveModel {
            review_id: Set(model.id),
            criterion_id: Set(*criterion),
            value: Set(*value),
        }))
        .exec(c)
        .await?;
    }
    Ok(model)
}

// A round at once -------------------------------------------------------------------------------

/// One assignment of a round with its sheet (if started) and the sheet's scores.
#[derive(Clone, Debug, PartialEq)]
pub struct RoundSheet {
    pub assignment_id: i64,
    pub nomination_id: i64,
    pub reviewer_id: i64,
    /// (review id, status)
    pub review: Option<(i64, String)>,
    /// criterion id → value
    pub scores: Vec<(i64, i32)>,
}

/// Every assignment of an edition's round with its sheet and scores, in assignment order.
/// The database assembles it into one JSON value: a round of 1,000 nominations is 3,000 sheets
/// and 18,000 scores, and fetching them as rows cost more than everything else on the page.
pub async fn round_sheets<C: ConnectionTrait>(c: &C, edition_id: i64, round: i32) -> Result<Vec<RoundSheet>, DbErr> {
    let backend = c.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "SELECT coalesce(json_agg(json_build_array(a.id, a.nomination_id, a.reviewer_id, r.id, r.status, \
               (SELECT string_agg(s.criterion_id::text || ':' || s.value::text, ',') FROM scores s WHERE s.review_id = r.id)))::text, '[]') \
             FROM assignments a JOIN nominations n ON n.id = a.nomination_id \
             LEFT JOIN reviews r ON r.assignment_id = a.id \
             WHERE n.edition_id = $1 AND a.round = $2"
        }
        _ => {
            "SELECT coalesce(json_group_array(json_array(a.id, a.nomination_id, a.reviewer_id, r.id, r.status, \
               (SELECT group_concat(s.criterion_id || ':' || s.value) FROM scores s WHERE s.review_id = r.id))), '[]') \
             FROM assignments a JOIN nominations n ON n.id = a.nomination_id \
             LEFT JOIN reviews r ON r.assignment_id = a.id \
             WHERE n.edition_id = ? AND a.round = ?"
        }
    };
    let text = super::aggregated_text(
        c,
        sea_orm::Statement::from_sql_and_values(backend, sql, [edition_id.into(), round.into()]),
    )
    .await?;
    let mut out = parse_round_sheets(if text.is_empty() { "[]" } else { &text })?;
    out.sort_by_key(|s| s.assignment_id);
    Ok(out)
}

type SheetTuple = (i64, i64, i64, Option<i64>, Option<String>, Option<String>);

fn parse_round_sheets(json: &str) -> Result<Vec<RoundSheet>, DbErr> {
    let bad = |e: String| DbErr::Custom(format!("round sheets: {e}"));
    let tuples: Vec<SheetTuple> = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
    tuples
        .into_iter()
        .map(|(assignment_id, nomination_id, reviewer_id, review_id, status, scores)| {
            let scores = scores
                .unwrap_or_default()
                .split(',')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once(':').ok_or_else(|| bad(format!("score {p:?}")))?;
                    Ok((
                        k.parse().map_err(|_| bad(format!("criterion {k:?}")))?,
                        v.parse().map_err(|_| bad(format!("value {v:?}")))?,
                    ))
                })
                .collect::<Result<Vec<(i64, i32)>, DbErr>>()?;
            Ok(RoundSheet {
                assignment_id,
                nomination_id,
                reviewer_id,
                review: review_id.map(|id| (id, status.unwrap_or_default())),
                scores,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_sheets_parse_with_and_without_a_sheet() {
        let json = r#"[[3,10,7,21,"submitted","5:4,6:2"],[1,10,8,null,null,null],[2,11,7,22,"draft",null]]"#;
        let s = parse_round_sheets(json).unwrap();
        assert_eq!(s[0].review, Some((21, "submitted".into())));
        assert_eq!(s[0].scores, vec![(5, 4), (6, 2)]);
        assert_eq!((s[1].review.clone(), s[1].scores.len()), (None, 0));
        assert_eq!((s[2].review.clone(), s[2].scores.len()), (Some((22, "draft".into())), 0));
        assert!(parse_round_sheets(r#"[[1,2,3,4,"x","5-4"]]"#).is_err());
    }
}
