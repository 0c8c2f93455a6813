//! Consent of the featured party: current state, its history, and single-use link tokens.
use chrono::{DateTime, Utc};
use sea_orm::{prelude::*, ActiveValue::Set, QueryOrder};

use crate::domain::consent::{ConsentActor, ConsentState, ConsentStatus};
use crate::server::entities::{consent, consent_event, consent_token};

pub fn to_state(m: &consent::Model) -> ConsentState {
    ConsentState { status: m.status, scope: m.scope, photos: m.photos }
}

pub async fn find<C: ConnectionTrait>(c: &C, nomination_id: i64) -> Result<Option<consent::Model>, DbErr> {
    consent::Entity::find_by_id(nomination_id).one(c).await
}

/// The consent rows of these nominations (a missing row means "not asked").
pub async fn find_many<C: ConnectionTrait>(c: &C, nomination_ids: &[i64]) -> Result<Vec<consent::Model>, DbErr> {
    let mut out = vec![];
    for chunk in nomination_ids.chunks(500) {
        out.extend(consent::Entity::find().filter(consent::Column::NominationId.is_in(chunk.to_vec())).all(c).await?);
    }
    Ok(out)
}

pub async fn insert_initial<C: ConnectionTrait>(c: &C, nomination_id: i64, now: DateTime<Utc>) -> Result<(), DbErr> {
    consent::ActiveModel {
        nomination_id: Set(nomination_id),
        status: Set(ConsentStatus::NotAsked),
        scope: Set(None),
        photos: Set(false),
        self_nomination: Set(false),
        recorded_at: Set(None),
        recorded_by_kind: Set(None),
        recorded_by_user: Set(None),
        updated_at: Set(now),
    }
    .insert(c)
    .await
    .map(|_| ())
}

/// Stores a new state and appends the change to the history, in the caller's transaction.
#[expect(clippy::too_many_arguments, reason = "one argument per column keeps each insert explicit")]
pub async fn record<C: ConnectionTrait>(
    c: &C,
    nomination_id: i64,
    from: ConsentState,
    to: ConsentState,
    self_nomination: bool,
    actor: ConsentActor,
    actor_user: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    consent::Entity::update_many()
        .col_expr(consent::Column::Status, Expr::value(to.status.key()))
        .col_expr(consent::Column::Scope, Expr::value(to.scope.map(|s| s.key().to_string())))
        .col_expr(consent::Column::Photos, Expr::value(to.photos))
        .col_expr(consent::Column::SelfNomination, Expr::value(self_nomination))
        .col_expr(consent::Column::RecordedAt, Expr::value(Some(now)))
        .col_expr(consent::Column::RecordedByKind, Expr::value(Some(actor.key().to_string())))
        .col_expr(consent::Column::RecordedByUser, Expr::value(actor_user))
        .col_expr(consent::Column::UpdatedAt, Expr::value(now))
        .filter(consent::Column::NominationId.eq(nomination_id))
        .exec(c)
        .await?;
    consent_event::ActiveModel {
        nomination_id: Set(nomination_id),
        from_status: Set(from.status.key().into()),
        to_status: Set(to.status.key().into()),
        scope: Set(to.scope.map(|s| s.key().to_string())),
        photos: Set(to.photos),
        actor_kind: Set(actor.key().into()),
        actor_user_id: Set(actor_user),
        at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
    .map(|_| ())
}

pub async fn history<C: ConnectionTrait>(c: &C, nomination_id: i64) -> Result<Vec<consent_event::Model>, DbErr> {
    consent_event::Entity::find()
        .filter(consent_event::Column::NominationId.eq(nomination_id))
        .order_by_asc(consent_event::Column::Id)
        .all(c)
        .await
}

pub async fn insert_token<C: ConnectionTrait>(
    c: &C,
    nomination_id: i64,
    purpose: &str,
    token_hash: &str,
    email: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    consent_token::ActiveModel {
        nomination_id: Set(nomination_id),
        purpose: Set(purpose.into()),
        token_hash: Set(token_hash.into()),
        email: Set(email.into()),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
    .map(|_| ())
}

pub async fn find_token<C: ConnectionTrait>(c: &C, token_hash: &str) -> Result<Option<consent_token::Model>, DbErr> {
    consent_token::Entity::find().filter(consent_token::Column::TokenHash.eq(token_hash)).one(c).await
}

/// Uses up a token; true only for the one caller that got it while unused and unexpired.
pub async fn consume_token<C: ConnectionTrait>(c: &C, id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let res = consent_token::Entity::update_many()
        .col_expr(consent_token::Column::UsedAt, Expr::value(Some(now)))
        .filter(consent_token::Column::Id.eq(id))
        .filter(consent_token::Column::UsedAt.is_null())
        .filter(consent_token::Column::ExpiresAt.gt(now))
        .exec(c)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Earlier request links stop working when a new one is sent.
pub async fn expire_tokens<C: ConnectionTrait>(
    c: &C,
    nomination_id: i64,
    purpose: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    consent_token::Entity::update_many()
        .col_expr(consent_token::Column::UsedAt, Expr::value(Some(now)))
        .filter(consent_token::Column::NominationId.eq(nomination_id))
        .filter(consent_token::Column::Purpose.eq(purpose))
        .filter(consent_token::Column::UsedAt.is_null())
        .exec(c)
        .await
        .map(|_| ())
}

/// Locks this nomination's consent row until the transaction ends (PostgreSQL; SQLite write
/// transactions are already one at a time), so checks made under it cannot race.
pub async fn lock<C: ConnectionTrait>(c: &C, nomination_id: i64) -> Result<(), DbErr> {
    if c.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        c.query_one_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT nomination_id FROM consents WHERE nomination_id = $1 FOR UPDATE",
            [nomination_id.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Links of this purpose created for the nomination since `since`.
pub async fn tokens_since<C: ConnectionTrait>(
    c: &C,
    nomination_id: i64,
    purpose: &str,
    since: DateTime<Utc>,
) -> Result<u64, DbErr> {
    consent_token::Entity::find()
        .filter(consent_token::Column::NominationId.eq(nomination_id))
        .filter(consent_token::Column::Purpose.eq(purpose))
        .filter(consent_token::Column::CreatedAt.gt(since))
        .count(c)
        .await
}

/// Every link sent for this nomination (asked address, purpose, when, used or not).
pub async fn tokens_of<C: ConnectionTrait>(c: &C, nomination_id: i64) -> Result<Vec<consent_token::Model>, DbErr> {
    consent_token::Entity::find()
        .filter(consent_token::Column::NominationId.eq(nomination_id))
        .order_by_asc(consent_token::Column::Id)
        .all(c)
        .await
}

/// Every link of this nomination stops working, and forgets the address it was sent to.
pub async fn expire_all_tokens<C: ConnectionTrait>(c: &C, nomination_id: i64, now: DateTime<Utc>) -> Result<(), DbErr> {
    consent_token::Entity::update_many()
        .col_expr(consent_token::Column::UsedAt, Expr::value(Some(now)))
        .col_expr(consent_token::Column::Email, Expr::value(""))
        .filter(consent_token::Column::NominationId.eq(nomination_id))
        .exec(c)
        .await
        .map(|_| ())
}
