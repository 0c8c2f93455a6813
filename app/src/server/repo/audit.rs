//! The append-only audit log: this module only inserts and reads, never updates or deletes.
use chrono::Utc;
use sea_orm::{prelude::*, ActiveValue::Set, QueryOrder, QuerySelect};

use crate::server::entities::audit;

pub struct Actor<'a> {
    pub user_id: Option<i64>,
    pub label: &'a str,
}

pub async fn record<C: ConnectionTrait>(
    c: &C,
    actor: Actor<'_>,
    action: &str,
    edition_id: Option<i64>,
    nomination_id: Option<i64>,
    detail: serde_json::Value,
) -> Result<(), DbErr> {
    audit::ActiveModel {
        at: Set(Utc::now()),
        actor_user_id: Set(actor.user_id),
        actor_label: Set(actor.label.chars().take(200).collect()),
        action: Set(action.into()),
        edition_id: Set(edition_id),
        nomination_id: Set(nomination_id),
        detail: Set(detail.to_string()),
        ..Default::default()
    }
    .insert(c)
    .await
    .map(|_| ())
}

pub async fn list<C: ConnectionTrait>(
    c: &C,
    edition_id: Option<i64>,
    action_prefix: Option<&str>,
    nomination_id: Option<i64>,
    limit: u64,
) -> Result<Vec<audit::Model>, DbErr> {
    let mut q = audit::Entity::find();
    if let Some(e) = edition_id {
        q = q.filter(audit::Column::EditionId.eq(e));
    }
    if let Some(p) = action_prefix.filter(|p| !p.is_empty()) {
        q = q.filter(audit::Column::Action.starts_with(p));
    }
    if let Some(n) = nomination_id {
        q = q.filter(audit::Column::NominationId.eq(n));
    }
    q.order_by_desc(audit::Column::Id).limit(limit).all(c).await
}
