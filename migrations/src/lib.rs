//! Schema migrations, runnable from the server at start-up or on their own (`cargo run -p migration`).
pub use sea_orm_migration::prelude::*;

mod m20261126_000001_create_accounts;
mod m20261126_000002_create_nominations;
mod m20261126_000003_create_review;
mod m20261126_000004_create_archive;
mod m20261203_000005_create_forum;
mod m20261203_000006_feedback;
mod m20261204_000007_people;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_create_accounts::Migration),
            Box::new(m20261126_000002_create_nominations::Migration),
            Box::new(m20261126_000003_create_review::Migration),
            Box::new(m20261126_000004_create_archive::Migration),
            Box::new(m20261203_000005_create_forum::Migration),
            Box::new(m20261203_000006_feedback::Migration),
            Box::new(m20261204_000007_people::Migration),
        ]
    }
}
