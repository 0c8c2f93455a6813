//! The database handle: one pool, chosen by `DATABASE_URL` (SQLite by default, PostgreSQL to scale).
use std::{
    ops::Deref,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr,
    TransactionTrait,
};
use tokio::sync::{Mutex, OwnedMutexGuard};

#[derive(Clone)]
pub struct Db {
    conn: DatabaseConnection,
    /// SQLite allows one writer at a time, and a transaction that first reads and then writes can
    /// fail at once with SQLITE_BUSY when another writer got in between. Serialising write
    /// transactions inside the process removes that failure; PostgreSQL needs no such lock.
    write_lock: Option<Arc<Mutex<()>>>,
    /// How long a write transaction waits for `write_lock` before the request is answered busy.
    writer_wait: Duration,
    /// Moves whenever data this process caches may have changed: after every committed write
    /// transaction here, and (on PostgreSQL, see `watch_changes`) when another process commits
    /// one. Caches compare it instead of asking the database.
    changes: Arc<AtomicU64>,
}

/// The channel other processes are told on (in the committing transaction) that something
/// changed; the payload is the schema, so deployments sharing a database keep apart.
pub const CHANGES_CHANNEL: &str = "gp_changes";

/// A write transaction; rolled back when dropped without `commit`.
pub struct Tx {
    txn: DatabaseTransaction,
    _guard: Option<OwnedMutexGuard<()>>,
    changes: Arc<AtomicU64>,
}

impl Deref for Tx {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

impl Tx {
    /// On PostgreSQL the other server processes are told in the same transaction (delivered
    /// at commit, never for a transaction rolled back), so their caches go at once.
    pub async fn commit(self) -> Result<(), DbErr> {
        let Tx { txn, _guard, changes } = self;
        if txn.get_database_backend() == DatabaseBackend::Postgres {
            txn.execute_unprepared(&format!("SELECT pg_notify('{CHANGES_CHANNEL}', current_schema()::text)")).await?;
        }
        txn.commit().await?;
        changes.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }
}

/// The longest a write transaction waits for the in-process writer queue (SQLite).
const WRITER_WAIT: Duration = Duration::from_secs(10);

impl Db {
    /// The same database with another writer wait (tests make a busy database quickly).
    pub fn with_writer_wait(mut self, wait: Duration) -> Db {
        self.writer_wait = wait;
        self
    }

    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbErr> {
        let sqlite = url.starts_with("sqlite:");
        if sqlite {
            if let Some(dir) = sqlite_file(url).and_then(|p| p.parent().map(|d| d.to_path_buf())) {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(&dir)
                        .map_err(|e| DbErr::Custom(format!("cannot create database folder {}: {e}", dir.display())))?;
                }
            }
        }
        if sqlite {
            prepare_sqlite_file(url).await?;
        }
        let mut opts = ConnectOptions::new(url.to_string());
        opts.max_connections(max_connections)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false);
        if sqlite {
            // Every connection opened at start and kept: a connection's worker thread takes the
            // scheduling priority of the thread that opens it, so none may be opened later by
            // the server's low-priority search lane (server::public::SlowLane).
            opts.min_connections(max_connections).idle_timeout(None::<Duration>).max_lifetime(None::<Duration>);
            opts.map_sqlx_sqlite_opts(|o| {
                use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    .create_if_missing(true)
                    // Each connection keeps at most 1 MB of pages (the operating system caches
                    // the file anyway), and SQLite gives memory back once all connections
                    // together hold more than 8 MB: 16 connections with SQLite's default 2 MB
                    // each, plus FTS buffers, held over 20 MB after a crowd of searches (a
                    // search's words are read from the index once per archive version, then
                    // from the memo, so a small cache costs little).
                    .pragma("cache_size", "-1024")
                    .pragma("soft_heap_limit", "8388608")
            });
        }
        let conn = Database::connect(opts).await?;
        Ok(Db::from_connection(conn))
    }

    pub fn from_connection(conn: DatabaseConnection) -> Db {
        let write_lock = (conn.get_database_backend() == DatabaseBackend::Sqlite).then(|| Arc::new(Mutex::new(())));
        Db { conn, write_lock, writer_wait: WRITER_WAIT, changes: Arc::new(AtomicU64::new(0)) }
    }

    /// See `changes`: equal readings mean nothing was committed here or announced by another
    /// process in between.
    pub fn changes(&self) -> u64 {
        self.changes.load(Ordering::Acquire)
    }

    /// On PostgreSQL, listens for other processes' change announcements (`CHANGES_CHANNEL`) and
    /// moves `changes` when one arrives, so their caches are dropped at once. The listener
    /// reconnects by itself; anything missed while disconnected is caught by the callers'
    /// short re-check interval. Nothing to do on SQLite (one server process).
    pub fn watch_changes(&self) {
        if self.backend() != DatabaseBackend::Postgres {
            return;
        }
        let pool = self.conn.get_postgres_connection_pool().clone();
        let changes = self.changes.clone();
        tokio::spawn(async move {
            use sea_orm::sqlx::postgres::PgListener;
            loop {
                // Announcements carry the schema they were made in: deployments (or tests)
                // sharing one database in separate schemas do not disturb each other.
                let schema: Option<String> =
                    sea_orm::sqlx::query_scalar("SELECT current_schema()::text").fetch_one(&pool).await.ok();
                match PgListener::connect_with(&pool).await {
                    Ok(mut listener) => match listener.listen(CHANGES_CHANNEL).await {
                        // `try_recv`, not `recv`: `recv` reconnects by itself and drops what
                        // was announced meanwhile without a word; `try_recv` says `None` when the
                        // connection was lost (and reconnects on the next call), so everything
                        // this process remembers is dropped then.
                        Ok(()) => loop {
                            match listener.try_recv().await {
                                Ok(Some(n)) => {
                                    if schema.as_deref().is_none_or(|s| s == n.payload()) {
                                        changes.fetch_add(1, Ordering::AcqRel);
                                    }
                                }
                                Ok(None) => {
                                    tracing::warn!("change listener lost its connection; reconnecting");
                                    changes.fetch_add(1, Ordering::AcqRel);
                                }
                                Err(e) => {
                                    tracing::warn!(error = %e, "change listener lost its connection");
                                    changes.fetch_add(1, Ordering::AcqRel);
                                    break;
                                }
                            }
                        },
                        Err(e) => tracing::warn!(error = %e, "cannot listen for changes"),
                    },
                    Err(e) => tracing::warn!(error = %e, "cannot connect the change listener"),
                }
                if pool.is_closed() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }

    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.conn.get_database_backend()
    }

    /// A transaction that may write. On SQLite it starts as `BEGIN IMMEDIATE`: it holds the
    /// write lock from its first statement, so it can never fail half-way with `SQLITE_BUSY`
    /// or `SQLITE_BUSY_SNAPSHOT` when it moves from reading to writing (a deferred transaction
    /// that read before another connection committed cannot upgrade). Inside the process the
    /// writers queue on a fair lock instead of spinning in SQLite's busy handler.
    pub async fn begin(&self) -> Result<Tx, DbErr> {
        let started = std::time::Instant::now();
        let guard = match &self.write_lock {
            // A writer waits its turn at most `writer_wait` (10 s): past that the request is answered
            // "busy, send again" (503) instead of queueing without end under a write flood.
            Some(lock) => match tokio::time::timeout(self.writer_wait, lock.clone().lock_owned()).await {
                Ok(guard) => Some(guard),
                Err(_) => return Err(DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout)),
            },
            None => None,
        };
        let txn = if guard.is_some() {
            self.conn
                .begin_with_options(sea_orm::TransactionOptions {
                    sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
                    ..Default::default()
                })
                .await?
        } else {
            self.conn.begin().await?
        };
        crate::server::metrics::global().db_begin_wait.observe(started.elapsed());
        Ok(Tx { txn, _guard: guard, changes: self.changes.clone() })
    }

    /// Connections open and idle in the pool (for metrics).
    pub fn pool_size(&self) -> (u32, u32) {
        match self.backend() {
            DatabaseBackend::Postgres => {
                let p = self.conn.get_postgres_connection_pool();
                (p.size(), p.num_idle() as u32)
            }
            _ => {
                let p = self.conn.get_sqlite_connection_pool();
                (p.size(), p.num_idle() as u32)
            }
        }
    }

    pub async fn ping(&self) -> Result<(), DbErr> {
        self.conn.execute_unprepared("SELECT 1").await.map(|_| ())
    }

    pub async fn migrate(&self) -> Result<(), DbErr> {
        use migration::MigratorTrait;
        migration::Migrator::up(&self.conn, None).await
    }
}

/// Runs `work` again when PostgreSQL rolled it back as a serialisation or deadlock victim
/// (`AppError::Contended`): at most `CONTENDED_TRIES` times in all, after a short random pause,
/// so two requests that deadlocked do not meet again in step. Past that the person gets the
/// kind "busy, send again" (503) and nothing is half-saved: every try ran in one transaction
/// that was rolled back whole. `work` must do all its writes inside its own transaction.
pub async fn retry_contended<T, F, Fut>(mut work: F) -> Result<T, crate::error::AppError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, crate::error::AppError>>,
{
    use crate::error::AppError;
    let mut tries = 0;
    loop {
        tries += 1;
        match work().await {
            Err(AppError::Contended) if tries < CONTENDED_TRIES => {
                crate::server::metrics::global().contended_retries.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let pause = 5 + (rand::random::<u64>() % 20) * tries as u64;
                tokio::time::sleep(Duration::from_millis(pause)).await;
            }
            Err(AppError::Contended) => return Err(AppError::Busy),
            other => return other,
        }
    }
}

pub const CONTENDED_TRIES: u32 = 4;

/// The file behind a `sqlite:` URL, if it names one (not `:memory:`).
/// Creates the SQLite file if needed and puts it in WAL mode with one connection, before the
/// pool opens all of its own at once: switching a new file to WAL takes an exclusive lock, so
/// several connections doing it together failed with `database is locked`. Once the file is in
/// WAL mode (which it keeps), the pool's connections only read that.
async fn prepare_sqlite_file(url: &str) -> Result<(), DbErr> {
    use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
    use sea_orm::sqlx::{ConnectOptions as _, Connection as _};
    use std::str::FromStr;
    let failed = |e: sea_orm::sqlx::Error| DbErr::Custom(format!("cannot open the SQLite database: {e}"));
    let conn = SqliteConnectOptions::from_str(url)
        .map_err(failed)?
        .create_if_missing(true)
        .busy_timeout(Duration::from_secs(10))
        .journal_mode(SqliteJournalMode::Wal)
        .connect()
        .await
        .map_err(failed)?;
    conn.close().await.map_err(failed)
}

pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && !path.contains(":memory:")).then(|| std::path::PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(sqlite_file("sqlite://data/gp.sqlite3?mode=rwc"), Some("data/gp.sqlite3".into()));
        assert_eq!(sqlite_file("sqlite:///tmp/x.db"), Some("/tmp/x.db".into()));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://x"), None);
    }
}
