//! Attachment records (the bytes live in the configured storage).
use chrono::{DateTime, Utc};
use sea_orm::{prelude::*, ActiveValue::Set, QueryOrder};

use crate::server::entities::attachment;

pub async fn list<C: ConnectionTrait>(c: &C, nomination_id: i64) -> Result<Vec<attachment::Model>, DbErr> {
    attachment::Entity::find()
        .filter(attachment::Column::NominationId.eq(nomination_id))
        .order_by_asc(attachment::Column::Id)
        .all(c)
        .await
}

pub async fn count<C: ConnectionTrait>(c: &C, nomination_id: i64) -> Result<u64, DbErr> {
    attachment::Entity::find().filter(attachment::Column::NominationId.eq(nomination_id)).count(c).await
}

pub async fn find<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<attachment::Model>, DbErr> {
    attachment::Entity::find_by_id(id).one(c).await
}

#[expect(clippy::too_many_arguments, reason = "one argument per column keeps each insert explicit")]
pub async fn insert<C: ConnectionTrait>(
    c: &C,
    nomination_id: i64,
    file_name: &str,
    content_type: &str,
    size: i64,
    storage_key: &str,
    sha256: &str,
    now: DateTime<Utc>,
) -> Result<attachment::Model, DbErr> {
    attachment::ActiveModel {
        nomination_id: Set(nomination_id),
        file_name: Set(file_name.into()),
        content_type: Set(content_type.into()),
        size_bytes: Set(size),
        storage_key: Set(storage_key.into()),
        sha256: Set(sha256.into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
}

pub async fn delete<C: ConnectionTrait>(c: &C, id: i64) -> Result<(), DbErr> {
    attachment::Entity::delete_by_id(id).exec(c).await.map(|_| ())
}
