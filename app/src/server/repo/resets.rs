//! Password-reset tokens (stored hashed, single use).
use chrono::{DateTime, Utc};
use sea_orm::{prelude::*, ActiveValue::Set};

use crate::server::entities::password_reset;

pub async fn insert<C: ConnectionTrait>(
    c: &C,
    token_hash: &str,
    user_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    password_reset::ActiveModel {
        token_hash: Set(token_hash.to_owned()),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(c)
    .await
    .map(|_| ())
}

/// Marks the token used if it is unused and unexpired; true only for the one caller that won.
pub async fn consume<C: ConnectionTrait>(c: &C, token_hash: &str, now: DateTime<Utc>) -> Result<Option<i64>, DbErr> {
    let Some(row) =
        password_reset::Entity::find().filter(password_reset::Column::TokenHash.eq(token_hash)).one(c).await?
    else {
        return Ok(None);
    };
    let res = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(Some(now)))
        .filter(password_reset::Column::Id.eq(row.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .exec(c)
        .await?;
    Ok((res.rows_affected == 1).then_some(row.user_id))
}

/// Is there an unused, unexpired link with this hash? (A cheap check before any hashing.)
pub async fn is_live<C: ConnectionTrait>(c: &C, token_hash: &str, now: DateTime<Utc>) -> Result<bool, DbErr> {
    Ok(password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(token_hash))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .one(c)
        .await?
        .is_some())
}

pub async fn delete_for_user<C: ConnectionTrait>(c: &C, user_id: i64) -> Result<(), DbErr> {
    password_reset::Entity::delete_many().filter(password_reset::Column::UserId.eq(user_id)).exec(c).await.map(|_| ())
}
