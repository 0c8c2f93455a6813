//! Repositories: the only code that touches sea-orm. Each takes any connection or transaction.
pub mod archive;
pub mod attachments;
pub mod attempts;
pub mod audit;
pub mod consents;
pub mod editions;
pub mod nominations;
pub mod outbox;
pub mod resets;
pub mod review;
pub mod secrets;
pub mod sessions;
pub mod users;

pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}
