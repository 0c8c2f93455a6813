//! The mail outbox: written in the transaction that causes a mail, drained by the sender task.
use chrono::{DateTime, Utc};
use sea_orm::{prelude::*, sea_query::ExprTrait, ActiveValue::Set, Condition, QueryOrder, QuerySelect};

use crate::server::entities::outbox;

pub const PENDING: &str = "pending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

pub async fn insert<C: ConnectionTrait>(
    c: &C,
    kind: &str,
    to: &str,
    subject: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    insert_with(c, kind, to, subject, body, None, now).await
}

/// A file sent with a mail: name, media type, text content (a calendar entry, say).
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub body: String,
}

pub async fn insert_with<C: ConnectionTrait>(
    c: &C,
    kind: &str,
    to: &str,
    subject: &str,
    body: &str,
    attachment: Option<Attachment>,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let (name, ctype, abody) = match attachment {
        Some(a) => (Some(a.name), Some(a.content_type), Some(a.body)),
        None => (None, None, None),
    };
    outbox::ActiveModel {
        attachment_name: Set(name),
        attachment_type: Set(ctype),
        attachment_body: Set(abody),
        kind: Set(kind.to_owned()),
        to_addr: Set(to.to_owned()),
        subject: Set(subject.to_owned()),
        body_text: Set(body.to_owned()),
        status: Set(PENDING.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(c)
    .await
    .map(|m| m.id)
}

pub async fn due<C: ConnectionTrait>(c: &C, now: DateTime<Utc>, limit: u64) -> Result<Vec<outbox::Model>, DbErr> {
    outbox::Entity::find()
        .filter(outbox::Column::Status.eq(PENDING))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(Condition::any().add(outbox::Column::LockedUntil.is_null()).add(outbox::Column::LockedUntil.lt(now)))
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(c)
        .await
}

/// Takes the row for this process until `until`; false when another process took it first.
pub async fn claim<C: ConnectionTrait>(
    c: &C,
    id: i64,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let res = outbox::Entity::update_many()
        .col_expr(outbox::Column::LockedUntil, Expr::value(Some(until)))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(PENDING))
        .filter(Condition::any().add(outbox::Column::LockedUntil.is_null()).add(outbox::Column::LockedUntil.lt(now)))
        .exec(c)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Marks the mail sent and keeps `body` (the text with its one-time links removed).
pub async fn mark_sent<C: ConnectionTrait>(c: &C, id: i64, now: DateTime<Utc>, body: &str) -> Result<(), DbErr> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(SENT))
        .col_expr(outbox::Column::BodyText, Expr::value(body))
        .col_expr(outbox::Column::SentAt, Expr::value(Some(now)))
        .col_expr(outbox::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(outbox::Column::Attempts, Expr::col(outbox::Column::Attempts).add(1))
        .filter(outbox::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|_| ())
}

pub async fn mark_attempt_failed<C: ConnectionTrait>(
    c: &C,
    id: i64,
    attempts: i32,
    next_attempt_at: DateTime<Utc>,
    give_up: bool,
    error: &str,
) -> Result<(), DbErr> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(if give_up { FAILED } else { PENDING }))
        .col_expr(outbox::Column::Attempts, Expr::value(attempts))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(next_attempt_at))
        .col_expr(outbox::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(outbox::Column::LastError, Expr::value(Some(error.to_owned())))
        .filter(outbox::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|_| ())
}

pub async fn set_body<C: ConnectionTrait>(c: &C, id: i64, body: &str) -> Result<(), DbErr> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::BodyText, Expr::value(body))
        .filter(outbox::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|_| ())
}

pub async fn list_for<C: ConnectionTrait>(c: &C, to: &str) -> Result<Vec<outbox::Model>, DbErr> {
    outbox::Entity::find().filter(outbox::Column::ToAddr.eq(to)).order_by_asc(outbox::Column::Id).all(c).await
}

/// Mail waiting to be sent (the backlog an operator watches).
pub async fn count_pending<C: ConnectionTrait>(c: &C) -> Result<u64, DbErr> {
    outbox::Entity::find().filter(outbox::Column::Status.eq(PENDING)).count(c).await
}

pub async fn delete<C: ConnectionTrait>(c: &C, id: i64) -> Result<(), DbErr> {
    outbox::Entity::delete_by_id(id).exec(c).await.map(|_| ())
}

/// The consent mails already sent (or given up) to an address, once the featured person erased
/// their details; mail still waiting (another nominator's request, say) is left to go.
pub async fn delete_consent_mail_to<C: ConnectionTrait>(c: &C, to: &str) -> Result<(), DbErr> {
    outbox::Entity::delete_many()
        .filter(outbox::Column::ToAddr.eq(to))
        .filter(outbox::Column::Kind.starts_with("consent_"))
        .filter(outbox::Column::Status.ne(PENDING))
        .exec(c)
        .await
        .map(|_| ())
}
