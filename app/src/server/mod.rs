//! Server-only code (`ssr`): configuration, the database, entities, repositories, services,
//! authentication and mail. Nothing here is compiled into the browser bundle.
pub mod auth;
pub mod config;
pub mod ctx;
pub mod db;
pub mod entities;
pub mod export;
pub mod mail;
pub mod metrics;
pub mod policy;
pub mod repo;
pub mod sanitize;
pub mod service;
pub mod storage;

use std::sync::Arc;

pub use config::Config;
pub use db::Db;

/// What every request handler and server function can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// Wakes the mail sender as soon as a transaction has queued a mail.
    pub mail_wake: Arc<tokio::sync::Notify>,
    /// Key for signed links (consent requests, invitations); shared by all processes.
    pub signing_key: Arc<Vec<u8>>,
    pub storage: storage::Storage,
    /// The archive's per-process snapshot, validated against the database on every read.
    pub archive: Arc<service::archive::Cache>,
    /// Computed review rounds (the ranking's input), valid while `Db::changes` stands still.
    pub rounds: Arc<service::results::RoundCache>,
    /// Sessions looked up a moment ago, valid while `Db::changes` stands still.
    pub sessions: Arc<service::accounts::SessionMemo>,
}

impl AppState {
    pub async fn new(db: Db, config: Config) -> Result<Self, sea_orm::DbErr> {
        let signing_key = repo::secrets::signing_key(db.conn(), config.secret_key.as_deref()).await?;
        let storage = match &config.s3 {
            Some(s3) => storage::Storage::s3(s3.clone()).map_err(sea_orm::DbErr::Custom)?,
            None => storage::Storage::local(config.upload_dir.clone()),
        };
        Ok(Self {
            archive: Arc::new(service::archive::Cache::new()),
            rounds: Arc::default(),
            sessions: Arc::default(),
            storage,
            db,
            config: Arc::new(config),
            mail_wake: Arc::new(tokio::sync::Notify::new()),
            signing_key: Arc::new(signing_key),
        })
    }
}
