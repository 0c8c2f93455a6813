//! A person's own data: profile changes, e-mail changes by link, and what deleting an account
//! erases or anonymises. Each function is one statement (or one per 500 ids).
use chrono::{DateTime, Utc};
use sea_orm::{prelude::*, ActiveValue::Set, QueryOrder};

use crate::server::entities::{
    assignment, audit, auth_attempt, conflict, email_change, event_registration, extension_request, nomination, outbox,
    panel_member, password_reset, review, reviewer_invitation, user,
};

pub async fn update_profile<C: ConnectionTrait>(
    c: &C,
    id: i64,
    display_name: &str,
    locale: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::DisplayName, Expr::value(display_name))
        .col_expr(user::Column::Locale, Expr::value(locale))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|_| ())
}

pub async fn update_email<C: ConnectionTrait>(c: &C, id: i64, email: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::Email, Expr::value(email))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|_| ())
}

pub async fn insert_email_change<C: ConnectionTrait>(
    c: &C,
    user_id: i64,
    old_email: &str,
    new_email: &str,
    token_hash: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    email_change::ActiveModel {
        user_id: Set(user_id),
        old_email: Set(old_email.to_owned()),
        new_email: Set(new_email.to_owned()),
        token_hash: Set(token_hash.to_owned()),
        expires_at: Set(expires_at),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await
    .map(|_| ())
}

/// Requests made by this account since `since` (used or not): the per-hour limit.
pub async fn email_changes_since<C: ConnectionTrait>(c: &C, user_id: i64, since: DateTime<Utc>) -> Result<u64, DbErr> {
    email_change::Entity::find()
        .filter(email_change::Column::UserId.eq(user_id))
        .filter(email_change::Column::CreatedAt.gte(since))
        .count(c)
        .await
}

/// The newest change still waiting for its link.
pub async fn pending_email_change<C: ConnectionTrait>(
    c: &C,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<email_change::Model>, DbErr> {
    email_change::Entity::find()
        .filter(email_change::Column::UserId.eq(user_id))
        .filter(email_change::Column::UsedAt.is_null())
        .filter(email_change::Column::ExpiresAt.gt(now))
        .order_by_desc(email_change::Column::Id)
        .one(c)
        .await
}

pub async fn find_email_change<C: ConnectionTrait>(
    c: &C,
    token_hash: &str,
) -> Result<Option<email_change::Model>, DbErr> {
    email_change::Entity::find().filter(email_change::Column::TokenHash.eq(token_hash)).one(c).await
}

/// Uses the link once: true for the one caller that changed it from unused.
pub async fn consume_email_change<C: ConnectionTrait>(c: &C, id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let res = email_change::Entity::update_many()
        .col_expr(email_change::Column::UsedAt, Expr::value(now))
        .filter(email_change::Column::Id.eq(id))
        .filter(email_change::Column::UsedAt.is_null())
        .exec(c)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Earlier links of this account stop working when a new one is sent or one is used.
pub async fn cancel_email_changes<C: ConnectionTrait>(c: &C, user_id: i64, now: DateTime<Utc>) -> Result<(), DbErr> {
    email_change::Entity::update_many()
        .col_expr(email_change::Column::UsedAt, Expr::value(now))
        .filter(email_change::Column::UserId.eq(user_id))
        .filter(email_change::Column::UsedAt.is_null())
        .exec(c)
        .await
        .map(|_| ())
}

/// Every address this account has had (the current one first): those it replaced, and those
/// it moved to through a used link.
pub async fn addresses_of<C: ConnectionTrait>(c: &C, user_id: i64, current: &str) -> Result<Vec<String>, DbErr> {
    let mut out = vec![current.to_owned()];
    for ch in email_change::Entity::find().filter(email_change::Column::UserId.eq(user_id)).all(c).await? {
        let moved = ch.used_at.is_some();
        for a in [Some(ch.old_email), moved.then_some(ch.new_email)].into_iter().flatten() {
            if !a.is_empty() && !out.contains(&a) {
                out.push(a);
            }
        }
    }
    Ok(out)
}

/// Holds this account's row (PostgreSQL; SQLite write transactions are one at a time) so two
/// deletions, or a deletion and an address change, cannot interleave.
pub async fn lock_user<C: ConnectionTrait>(c: &C, user_id: i64) -> Result<(), DbErr> {
    if c.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        c.query_all_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT id FROM users WHERE id = $1 FOR UPDATE",
            [user_id.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Enabled administrators, counted under a lock on their rows (PostgreSQL): two admins
/// deleting themselves at once cannot both see the other one.
pub async fn active_admins_locked<C: ConnectionTrait>(c: &C) -> Result<u64, DbErr> {
    if c.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        c.query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT id FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE",
        ))
        .await?;
    }
    user::Entity::find()
        .filter(user::Column::Role.eq(crate::domain::account::Role::Admin.key()))
        .filter(user::Column::Disabled.eq(false))
        .count(c)
        .await
}

/// Nominations that feature this address (a reviewer who moves address stays conflicted).
pub async fn featuring<C: ConnectionTrait>(c: &C, address: &str) -> Result<Vec<nomination::Model>, DbErr> {
    nomination::Entity::find().filter(nomination::Column::FeaturedEmail.eq(address)).all(c).await
}

pub async fn nominations_of<C: ConnectionTrait>(c: &C, user_id: i64) -> Result<Vec<nomination::Model>, DbErr> {
    nomination::Entity::find()
        .filter(nomination::Column::NominatorId.eq(user_id))
        .order_by_asc(nomination::Column::Id)
        .all(c)
        .await
}

/// The reviews this account wrote, with their assignments.
pub async fn reviews_by<C: ConnectionTrait>(
    c: &C,
    user_id: i64,
) -> Result<Vec<(assignment::Model, Option<review::Model>)>, DbErr> {
    let asg = assignment::Entity::find()
        .filter(assignment::Column::ReviewerId.eq(user_id))
        .order_by_asc(assignment::Column::Id)
        .all(c)
        .await?;
    let mut out = Vec::with_capacity(asg.len());
    for chunk in asg.chunks(500) {
        let ids: Vec<i64> = chunk.iter().map(|a| a.id).collect();
        let reviews = review::Entity::find().filter(review::Column::AssignmentId.is_in(ids)).all(c).await?;
        for a in chunk {
            out.push((a.clone(), reviews.iter().find(|r| r.assignment_id == a.id).cloned()));
        }
    }
    Ok(out)
}

pub async fn conflicts_of<C: ConnectionTrait>(c: &C, user_id: i64) -> Result<Vec<conflict::Model>, DbErr> {
    conflict::Entity::find().filter(conflict::Column::UserId.eq(user_id)).all(c).await
}

pub async fn registrations_of<C: ConnectionTrait>(
    c: &C,
    user_id: i64,
) -> Result<Vec<event_registration::Model>, DbErr> {
    event_registration::Entity::find()
        .filter(event_registration::Column::UserId.eq(user_id))
        .order_by_asc(event_registration::Column::Id)
        .all(c)
        .await
}

pub async fn extension_requests_by<C: ConnectionTrait>(
    c: &C,
    user_id: i64,
) -> Result<Vec<extension_request::Model>, DbErr> {
    extension_request::Entity::find()
        .filter(extension_request::Column::RequestedBy.eq(user_id))
        .order_by_asc(extension_request::Column::Id)
        .all(c)
        .await
}

/// Erases a nomination and, through the schema's cascades, its consent, consent history and
/// links, attachments' rows, assignments, reviews, conflicts and requests for more time.
pub async fn delete_nomination<C: ConnectionTrait>(c: &C, id: i64) -> Result<(), DbErr> {
    nomination::Entity::delete_by_id(id).exec(c).await.map(|_| ())
}

/// What an erased nomination's audit entries said (a title may name someone) is replaced; the
/// entries themselves — who did what, when — stay.
pub async fn blank_audit_detail<C: ConnectionTrait>(c: &C, nomination_id: i64) -> Result<(), DbErr> {
    audit::Entity::update_many()
        .col_expr(audit::Column::Detail, Expr::value(r#"{"erased":true}"#))
        .filter(audit::Column::NominationId.eq(nomination_id))
        .exec(c)
        .await
        .map(|_| ())
}

/// The one change the append-only log allows: a deleted account's name leaves the entries it
/// made, and its address leaves any entry that quoted it. The entries stay.
pub async fn pseudonymise_audit<C: ConnectionTrait>(
    c: &C,
    user_id: i64,
    addresses: &[String],
    label: &str,
) -> Result<(), DbErr> {
    audit::Entity::update_many()
        .col_expr(audit::Column::ActorLabel, Expr::value(label))
        .filter(audit::Column::ActorUserId.eq(user_id))
        .exec(c)
        .await?;
    for email in addresses.iter().filter(|a| !a.is_empty()) {
        let quoting = audit::Entity::find().filter(audit::Column::Detail.contains(email.as_str())).all(c).await?;
        for row in quoting {
            audit::Entity::update_many()
                .col_expr(audit::Column::Detail, Expr::value(row.detail.replace(email.as_str(), "[erased]")))
                .filter(audit::Column::Id.eq(row.id))
                .exec(c)
                .await?;
        }
    }
    Ok(())
}

/// The account row stays (reviews and decisions refer to it) without anything personal: no
/// name, no address that can receive mail, no password, no language, disabled.
pub async fn anonymise_user<C: ConnectionTrait>(
    c: &C,
    id: i64,
    label: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::Email, Expr::value(address))
        .col_expr(user::Column::DisplayName, Expr::value(label.chars().take(80).collect::<String>()))
        .col_expr(user::Column::PasswordHash, Expr::value("!deleted"))
        .col_expr(user::Column::Role, Expr::value(crate::domain::account::Role::Nominator.key()))
        .col_expr(user::Column::Locale, Expr::value(Option::<String>::None))
        .col_expr(user::Column::Disabled, Expr::value(true))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|_| ())
}

/// Everything else an account leaves behind that names it or one of its addresses.
pub async fn erase_traces<C: ConnectionTrait>(c: &C, id: i64, addresses: &[String]) -> Result<(), DbErr> {
    crate::server::entities::session::Entity::delete_many()
        .filter(crate::server::entities::session::Column::UserId.eq(id))
        .exec(c)
        .await?;
    password_reset::Entity::delete_many().filter(password_reset::Column::UserId.eq(id)).exec(c).await?;
    email_change::Entity::delete_many().filter(email_change::Column::UserId.eq(id)).exec(c).await?;
    panel_member::Entity::delete_many().filter(panel_member::Column::UserId.eq(id)).exec(c).await?;
    conflict::Entity::delete_many().filter(conflict::Column::UserId.eq(id)).exec(c).await?;
    let keys: Vec<String> =
        addresses.iter().flat_map(|a| [a.clone(), format!("reset:{a}")]).chain([format!("reauth:{id}")]).collect();
    auth_attempt::Entity::delete_many().filter(auth_attempt::Column::AccountKey.is_in(keys)).exec(c).await?;
    reviewer_invitation::Entity::delete_many()
        .filter(reviewer_invitation::Column::Email.is_in(addresses.to_vec()))
        .exec(c)
        .await?;
    outbox::Entity::delete_many().filter(outbox::Column::ToAddr.is_in(addresses.to_vec())).exec(c).await?;
    // Reasons for more time may be health information.
    extension_request::Entity::update_many()
        .col_expr(extension_request::Column::Reason, Expr::value(""))
        .col_expr(extension_request::Column::RequestedBy, Expr::value(Option::<i64>::None))
        .filter(extension_request::Column::RequestedBy.eq(id))
        .exec(c)
        .await?;
    crate::server::entities::assignment_return::Entity::update_many()
        .col_expr(crate::server::entities::assignment_return::Column::Note, Expr::value(""))
        .filter(crate::server::entities::assignment_return::Column::ReviewerId.eq(id))
        .exec(c)
        .await?;
    // A registration stays the person's (its confirmation mail holds the cancel link), but no
    // longer points at the account.
    event_registration::Entity::update_many()
        .col_expr(event_registration::Column::UserId, Expr::value(Option::<i64>::None))
        .filter(event_registration::Column::UserId.eq(id))
        .exec(c)
        .await?;
    Ok(())
}
