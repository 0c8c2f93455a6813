//! Platform administration: accounts and their roles.
use leptos::prelude::*;

use crate::error::AppError;
use crate::wire::AccountSummary;

#[server(endpoint = "list_accounts")]
pub async fn list_accounts() -> Result<Vec<AccountSummary>, AppError> {
    crate::server::ctx::finish(
        async move {
            use crate::server::{ctx, service::accounts};
            accounts::list_accounts(&ctx::state()?.db, ctx::viewer().as_ref()).await
        }
        .await,
    )
}

#[server(endpoint = "change_role")]
pub async fn change_role(user_id: i64, role: String) -> Result<(), AppError> {
    crate::server::ctx::finish(
        async move {
            use crate::domain::{
                account::Role,
                ids::UserId,
                validation::{FieldError, Problem},
            };
            use crate::server::{ctx, service::accounts};
            let state = ctx::state()?;
            let who = ctx::viewer();
            crate::server::policy::platform(who.as_ref(), crate::domain::policy::Op::ManageAccounts)?;
            let role = Role::parse(&role)
                .ok_or_else(|| AppError::Validation(vec![FieldError::new("role", Problem::InvalidChoice)]))?;
            accounts::change_role(&state.db, who.as_ref(), UserId(user_id), role).await
        }
        .await,
    )
}
