//! Requests for more time, and assignments a reviewer paused or handed back.
use chrono::{DateTime, Utc};
use sea_orm::{prelude::*, ActiveValue::Set, QueryOrder};

use crate::domain::pace::ExtensionStatus;
use crate::server::entities::{assignment, assignment_return, extension_request, nomination};

pub async fn insert_request<C: ConnectionTrait>(
    c: &C,
    nomination_id: i64,
    requested_by: i64,
    reason: &str,
    wanted_until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<extension_request::Model, DbErr> {
    extension_request::ActiveModel {
        nomination_id: Set(nomination_id),
        requested_by: Set(Some(requested_by)),
        reason: Set(reason.to_owned()),
        wanted_until: Set(wanted_until),
        status: Set(ExtensionStatus::Pending.key().into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
}

/// The requests of one nomination, newest first.
pub async fn requests_of<C: ConnectionTrait>(
    c: &C,
    nomination_id: i64,
) -> Result<Vec<extension_request::Model>, DbErr> {
    extension_request::Entity::find()
        .filter(extension_request::Column::NominationId.eq(nomination_id))
        .order_by_desc(extension_request::Column::Id)
        .all(c)
        .await
}

/// The requests still waiting for an organiser in one edition, oldest first.
pub async fn pending_in_edition<C: ConnectionTrait>(
    c: &C,
    edition_id: i64,
) -> Result<Vec<(extension_request::Model, nomination::Model)>, DbErr> {
    let mut by_id: std::collections::HashMap<i64, nomination::Model> = nomination::Entity::find()
        .filter(nomination::Column::EditionId.eq(edition_id))
        .all(c)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let ids: Vec<i64> = by_id.keys().copied().collect();
    let mut reqs = vec![];
    for chunk in ids.chunks(500) {
        reqs.extend(
            extension_request::Entity::find()
                .filter(extension_request::Column::NominationId.is_in(chunk.to_vec()))
                .filter(extension_request::Column::Status.eq(ExtensionStatus::Pending.key()))
                .all(c)
                .await?,
        );
    }
    reqs.sort_by_key(|r| r.id);
    // At most one request waits per nomination (a new one replaces it).
    Ok(reqs.into_iter().filter_map(|r| by_id.remove(&r.nomination_id).map(|n| (r, n))).collect())
}

/// A new request replaces the one still waiting.
pub async fn delete_pending<C: ConnectionTrait>(c: &C, nomination_id: i64) -> Result<(), DbErr> {
    extension_request::Entity::delete_many()
        .filter(extension_request::Column::NominationId.eq(nomination_id))
        .filter(extension_request::Column::Status.eq(ExtensionStatus::Pending.key()))
        .exec(c)
        .await
        .map(|_| ())
}

/// Closes the pending requests of a nomination with the organiser's decision; returns how many.
pub async fn decide_pending<C: ConnectionTrait>(
    c: &C,
    nomination_id: i64,
    status: ExtensionStatus,
    granted_until: Option<DateTime<Utc>>,
    by: i64,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    extension_request::Entity::update_many()
        .col_expr(extension_request::Column::Status, Expr::value(status.key()))
        .col_expr(extension_request::Column::GrantedUntil, Expr::value(granted_until))
        .col_expr(extension_request::Column::DecidedBy, Expr::value(by))
        .col_expr(extension_request::Column::DecidedAt, Expr::value(now))
        .filter(extension_request::Column::NominationId.eq(nomination_id))
        .filter(extension_request::Column::Status.eq(ExtensionStatus::Pending.key()))
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}

pub async fn set_extended_until<C: ConnectionTrait>(
    c: &C,
    nomination_id: i64,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    nomination::Entity::update_many()
        .col_expr(nomination::Column::ExtendedUntil, Expr::value(until))
        .col_expr(nomination::Column::UpdatedAt, Expr::value(now))
        .filter(nomination::Column::Id.eq(nomination_id))
        .exec(c)
        .await
        .map(|_| ())
}

pub async fn set_paused<C: ConnectionTrait>(c: &C, assignment_id: i64, at: Option<DateTime<Utc>>) -> Result<(), DbErr> {
    assignment::Entity::update_many()
        .col_expr(assignment::Column::PausedAt, Expr::value(at))
        .filter(assignment::Column::Id.eq(assignment_id))
        .exec(c)
        .await
        .map(|_| ())
}

pub async fn insert_return<C: ConnectionTrait>(
    c: &C,
    a: &assignment::Model,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    assignment_return::ActiveModel {
        nomination_id: Set(a.nomination_id),
        reviewer_id: Set(a.reviewer_id),
        round: Set(a.round),
        note: Set(note.chars().take(500).collect()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
    .map(|_| ())
}

/// The (nomination, reviewer) pairs handed back in a round of these nominations.
pub async fn returns_for<C: ConnectionTrait>(
    c: &C,
    nomination_ids: &[i64],
    round: i32,
) -> Result<Vec<assignment_return::Model>, DbErr> {
    let mut out = vec![];
    for chunk in nomination_ids.chunks(500) {
        out.extend(
            assignment_return::Entity::find()
                .filter(assignment_return::Column::NominationId.is_in(chunk.to_vec()))
                .filter(assignment_return::Column::Round.eq(round))
                .all(c)
                .await?,
        );
    }
    Ok(out)
}

/// Deletes the assignment (and, by cascade, its sheet) unless its sheet is submitted, in one
/// statement: a submit landing at the same moment is never thrown away. True when deleted.
pub async fn delete_unless_submitted<C: ConnectionTrait>(c: &C, assignment_id: i64) -> Result<bool, DbErr> {
    let backend = c.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "DELETE FROM assignments WHERE id = $1 AND NOT EXISTS \
             (SELECT 1 FROM reviews WHERE assignment_id = $2 AND status = 'submitted')"
        }
        _ => {
            "DELETE FROM assignments WHERE id = ? AND NOT EXISTS \
             (SELECT 1 FROM reviews WHERE assignment_id = ? AND status = 'submitted')"
        }
    };
    let res = c
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            sql,
            [assignment_id.into(), assignment_id.into()],
        ))
        .await?;
    Ok(res.rows_affected() == 1)
}
