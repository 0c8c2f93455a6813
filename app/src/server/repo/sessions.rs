//! Database-backed sessions, shared by every server process.
use chrono::{DateTime, Utc};
use sea_orm::{prelude::*, ActiveValue::Set};

use crate::server::entities::{session, user};

pub async fn insert<C: ConnectionTrait>(
    c: &C,
    id: &str,
    user_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    session::ActiveModel {
        id: Set(id.to_owned()),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
    }
    .insert(c)
    .await
    .map(|_| ())
}

/// The live session with this id and its (enabled) account, in one query.
pub async fn find_live<C: ConnectionTrait>(
    c: &C,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Option<(session::Model, user::Model)>, DbErr> {
    let found = session::Entity::find_by_id(id.to_owned())
        .filter(session::Column::ExpiresAt.gt(now))
        .find_also_related(user::Entity)
        .one(c)
        .await?;
    Ok(match found {
        Some((s, Some(u))) if !u.disabled => Some((s, u)),
        _ => None,
    })
}

pub async fn extend<C: ConnectionTrait>(c: &C, id: &str, expires_at: DateTime<Utc>) -> Result<(), DbErr> {
    session::Entity::update_many()
        .col_expr(session::Column::ExpiresAt, Expr::value(expires_at))
        .filter(session::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|_| ())
}

pub async fn delete<C: ConnectionTrait>(c: &C, id: &str) -> Result<(), DbErr> {
    session::Entity::delete_by_id(id.to_owned()).exec(c).await.map(|_| ())
}

pub async fn delete_for_user<C: ConnectionTrait>(c: &C, user_id: i64) -> Result<u64, DbErr> {
    session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(c).await.map(|r| r.rows_affected)
}

/// The ids of this account's sessions.
pub async fn of_user<C: ConnectionTrait>(c: &C, user_id: i64) -> Result<Vec<String>, DbErr> {
    Ok(session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .all(c)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect())
}

pub async fn purge_expired<C: ConnectionTrait>(c: &C, now: DateTime<Utc>) -> Result<u64, DbErr> {
    session::Entity::delete_many().filter(session::Column::ExpiresAt.lte(now)).exec(c).await.map(|r| r.rows_affected)
}
