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
) -> Result<(), DbErr> {
    auth_attempt::ActiveModel {
        account_key: Set(account_key.to_owned()),
        ip: Set(ip.to_owned()),
        succeeded: Set(succeeded),
        at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
    .map(|_| ())
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
