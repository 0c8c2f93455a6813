//! The sign-in attempt log behind rate limiting; kept in the database so all processes count together.
use chrono::{DateTime, Utc};
use sea_orm::{prelude::*, ActiveValue::Set};

use crate::server::entities::auth_attempt;

pub async fn record<C: ConnectionTrait>(
    c: &C,
    account_key: &str,
    ip: &str,
    succeeded: bool,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    auth_attempt::ActiveModel {
        account_key: Set(account_key.to_owned()),
        ip: Set(ip.to_owned()),
        succeeded: Set(succeeded),
        at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
    .map(|m| m.id)
}

/// An attempt recorded as failed before the check turned out well.
pub async fn mark_succeeded<C: ConnectionTrait>(c: &C, id: i64) -> Result<(), DbErr> {
    auth_attempt::Entity::update_many()
        .col_expr(auth_attempt::Column::Succeeded, Expr::value(true))
        .filter(auth_attempt::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|_| ())
}

/// Serialises attempts on these keys until the transaction ends, so a count and the insert
/// after it cannot race (PostgreSQL advisory locks, taken in a fixed order; SQLite write
/// transactions are already one at a time).
pub async fn lock<C: ConnectionTrait>(c: &C, keys: &mut [String]) -> Result<(), DbErr> {
    if c.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Ok(());
    }
    keys.sort();
    for k in keys.iter() {
        c.execute_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtext($1))",
            [k.clone().into()],
        ))
        .await?;
    }
    Ok(())
}

pub async fn failures_for_account<C: ConnectionTrait>(
    c: &C,
    account_key: &str,
    since: DateTime<Utc>,
) -> Result<u64, DbErr> {
    auth_attempt::Entity::find()
        .filter(auth_attempt::Column::AccountKey.eq(account_key))
        .filter(auth_attempt::Column::Succeeded.eq(false))
        .filter(auth_attempt::Column::At.gt(since))
        .count(c)
        .await
}

pub async fn failures_for_ip<C: ConnectionTrait>(c: &C, ip: &str, since: DateTime<Utc>) -> Result<u64, DbErr> {
    auth_attempt::Entity::find()
        .filter(auth_attempt::Column::Ip.eq(ip))
        .filter(auth_attempt::Column::Succeeded.eq(false))
        .filter(auth_attempt::Column::At.gt(since))
        .count(c)
        .await
}

/// Attempts of any kind from this address since `since` (used for sign-up and reset requests).
pub async fn all_for_key_and_ip<C: ConnectionTrait>(
    c: &C,
    account_key: &str,
    ip: &str,
    since: DateTime<Utc>,
) -> Result<u64, DbErr> {
    auth_attempt::Entity::find()
        .filter(auth_attempt::Column::AccountKey.eq(account_key))
        .filter(auth_attempt::Column::Ip.eq(ip))
        .filter(auth_attempt::Column::At.gt(since))
        .count(c)
        .await
}

pub async fn purge_before<C: ConnectionTrait>(c: &C, before: DateTime<Utc>) -> Result<u64, DbErr> {
    auth_attempt::Entity::delete_many()
        .filter(auth_attempt::Column::At.lt(before))
        .exec(c)
        .await
        .map(|r| r.rows_affected)
}
