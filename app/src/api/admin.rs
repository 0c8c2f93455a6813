//! Platform administration: accounts and their roles.
use leptos::prelude::*;

use super::auth::AccountSummary;
use crate::error::AppError;

#[server]
pub async fn list_accounts() -> Result<Vec<AccountSummary>, AppError> {
    crate::server::ctx::finish(
        async move {
            use crate::domain::account::Role;
            use crate::server::{ctx, service::accounts};
            ctx::require_role(Role::can_administer)?;
            accounts::list_accounts(&ctx::state()?.db).await
        }
        .await,
    )
}

#[server]
pub async fn change_role(user_id: i64, role: String) -> Result<(), AppError> {
    crate::server::ctx::finish(
        async move {
            use crate::domain::{
                account::Role,
                ids::UserId,
                validation::{FieldError, Problem},
            };
            use crate::server::{ctx, service::accounts};
            let actor = ctx::require_role(Role::can_administer)?;
            let role = Role::parse(&role)
                .ok_or_else(|| AppError::Validation(vec![FieldError::new("role", Problem::InvalidChoice)]))?;
            accounts::change_role(&ctx::state()?.db, &actor, UserId(user_id), role).await
        }
        .await,
    )
}
