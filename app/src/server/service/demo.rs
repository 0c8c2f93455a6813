//! Demo data for a new installation: one account per role with documented passwords.
use crate::domain::account::Role;
use crate::error::AppError;
use crate::server::{repo, service::accounts, AppState};

/// The demo accounts (documented in the README). Never use them on a public server.
pub const DEMO_ACCOUNTS: [(&str, &str, &str, Role); 5] = [
    (
        "admin@example.jp",
        "管理者 デモ",
        "demo-admin-2026",
        Role::Admin,
    ),
    (
        "organiser@example.jp",
        "事務局 デモ",
        "demo-organiser-2026",
        Role::Organiser,
    ),
    (
        "reviewer@example.jp",
        "審査員 一郎",
        "demo-reviewer-2026",
        Role::Reviewer,
    ),
    (
        "reviewer2@example.jp",
        "審査員 二葉",
        "demo-reviewer-2026",
        Role::Reviewer,
    ),
    (
        "nominator@example.jp",
        "推薦者 花子",
        "demo-nominator-2026",
        Role::Nominator,
    ),
];

pub async fn seed(state: &AppState, _practices: usize, if_empty: bool) -> Result<String, AppError> {
    if if_empty && !repo::users::list(state.db.conn()).await?.is_empty() {
        return Ok("demo data: database already has accounts; nothing loaded".into());
    }
    for (email, name, password, role) in DEMO_ACCOUNTS {
        accounts::create_account(&state.db, email, name, password, role).await?;
    }
    Ok(format!("demo data: {} accounts", DEMO_ACCOUNTS.len()))
}
