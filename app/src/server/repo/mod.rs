//! Repositories: the only code that touches sea-orm. Each takes any connection or transaction.
pub mod archive;
pub mod attachments;
pub mod attempts;
pub mod audit;
pub mod consents;
pub mod editions;
pub mod forum;
pub mod nominations;
pub mod outbox;
pub mod pace;
pub mod people;
pub mod resets;
pub mod review;
pub mod secrets;
pub mod sessions;
pub mod users;

pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// The single text column of a query that aggregates many rows into one value (a JSON array,
/// a comma-separated id list); empty when the aggregate is NULL. One row instead of thousands
/// keeps the driver's per-row cost out of large reads.
pub async fn aggregated_text<C: sea_orm::ConnectionTrait>(
    c: &C,
    stmt: sea_orm::Statement,
) -> Result<String, sea_orm::DbErr> {
    Ok(match c.query_one_raw(stmt).await? {
        Some(r) => r.try_get_by_index::<Option<String>>(0)?.unwrap_or_default(),
        None => String::new(),
    })
}
