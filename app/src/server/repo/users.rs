//! Accounts.
use chrono::{DateTime, Utc};
use sea_orm::{prelude::*, ActiveValue::Set, QueryOrder};

use crate::domain::account::Role;
use crate::server::entities::user;

pub async fn find_by_email<C: ConnectionTrait>(c: &C, email: &str) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find().filter(user::Column::Email.eq(email)).one(c).await
}

pub async fn find<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(id).one(c).await
}

/// The accounts with these ids, in one query (any order).
pub async fn find_many<C: ConnectionTrait>(c: &C, ids: &[i64]) -> Result<Vec<user::Model>, DbErr> {
    user::Entity::find().filter(user::Column::Id.is_in(ids.to_vec())).all(c).await
}

pub async fn get<C: ConnectionTrait>(c: &C, id: i64) -> Result<user::Model, DbErr> {
    find(c, id).await?.ok_or_else(|| DbErr::RecordNotFound(format!("user {id}")))
}

pub async fn insert<C: ConnectionTrait>(
    c: &C,
    email: &str,
    display_name: &str,
    password_hash: &str,
    role: Role,
    locale: Option<&str>,
    now: DateTime<Utc>,
) -> Result<user::Model, DbErr> {
    user::ActiveModel {
        email: Set(email.to_owned()),
        display_name: Set(display_name.to_owned()),
        password_hash: Set(password_hash.to_owned()),
        role: Set(role),
        locale: Set(locale.map(str::to_owned)),
        disabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
}

pub async fn list<C: ConnectionTrait>(c: &C) -> Result<Vec<user::Model>, DbErr> {
    user::Entity::find().order_by_asc(user::Column::Id).all(c).await
}

pub async fn update_role<C: ConnectionTrait>(c: &C, id: i64, role: Role, now: DateTime<Utc>) -> Result<(), DbErr> {
    let res = user::Entity::update_many()
        .col_expr(user::Column::Role, Expr::value(role.key()))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(id))
        .exec(c)
        .await?;
    if res.rows_affected == 0 {
        return Err(DbErr::RecordNotFound(format!("user {id}")));
    }
    Ok(())
}

pub async fn update_password<C: ConnectionTrait>(c: &C, id: i64, hash: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

pub async fn count_with_role<C: ConnectionTrait>(c: &C, role: Role) -> Result<u64, DbErr> {
    user::Entity::find().filter(user::Column::Role.eq(role.key())).count(c).await
}

/// The language every mail to this person is written in (the switch and sign-up set it).
pub async fn set_locale<C: ConnectionTrait>(c: &C, id: i64, locale: &str) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::Locale, Expr::value(locale))
        .filter(user::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|_| ())
}
