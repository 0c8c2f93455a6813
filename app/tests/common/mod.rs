//! Test support: a fresh, migrated database per test on SQLite or PostgreSQL, and an AppState
//! whose mail goes to a temporary folder.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use app::server::{config::MailTransport, AppState, Config, Db};

static COUNTER: AtomicU32 = AtomicU32::new(0);

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros() % 1_000_000
    )
}

pub fn temp_dir(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join("gp-tests").join(unique(prefix));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The PostgreSQL database for this run. `scripts/test.sh` creates a fresh one (UTF-8 locale,
/// from template0) and drops it afterwards. A PostgreSQL test fails, not skips, without it.
pub fn pg_url() -> String {
    std::env::var("GP_TEST_PG_URL").expect(
        "GP_TEST_PG_URL is not set: run scripts/test.sh, or point it at an empty PostgreSQL database \
         created with LOCALE 'C.UTF-8' TEMPLATE template0 (skip these tests with `-- --skip postgres`)",
    )
}

/// A database URL for one test: its own SQLite file, or its own schema in the run's database.
pub async fn fresh_url(backend: Backend) -> String {
    match backend {
        Backend::Sqlite => {
            let dir = temp_dir("db");
            format!("sqlite://{}?mode=rwc", dir.join("test.sqlite3").display())
        }
        Backend::Postgres => {
            use sea_orm::ConnectionTrait;
            let base = pg_url();
            let schema = unique("t");
            let admin = sea_orm::Database::connect(base.clone()).await.expect("connect to GP_TEST_PG_URL");
            admin.execute_unprepared(&format!("CREATE SCHEMA \"{schema}\"")).await.unwrap();
            admin.close().await.ok();
            let sep = if base.contains('?') { '&' } else { '?' };
            format!("{base}{sep}options=-c%20search_path%3D{schema}")
        }
    }
}

pub async fn fresh_db(backend: Backend) -> Db {
    let url = fresh_url(backend).await;
    let db = Db::connect(&url, 8).await.expect("connect");
    db.migrate().await.expect("migrate");
    db
}

pub fn test_config(database_url: &str) -> Config {
    let mail_dir = temp_dir("mail");
    let mut config = Config::from_lookup(|k| match k {
        "DATABASE_URL" => Some(database_url.to_string()),
        _ => None,
    })
    .unwrap();
    config.mail = MailTransport::Dir(mail_dir);
    config.upload_dir = temp_dir("uploads");
    config
}

pub async fn fresh_state(backend: Backend) -> AppState {
    let url = fresh_url(backend).await;
    let db = Db::connect(&url, 8).await.expect("connect");
    db.migrate().await.expect("migrate");
    AppState::new(db, test_config(&url)).await.unwrap()
}

/// Declares each listed `async fn name(state: AppState)` as two tests, `name::sqlite` and
/// `name::postgres`, each with its own fresh database.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::common::fresh_state($crate::common::Backend::Sqlite).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::common::fresh_state($crate::common::Backend::Postgres).await).await
            }
        }
    )*};
}

pub mod fixtures {
    use app::domain::account::Role;
    use app::domain::edition::StageKind;
    use app::domain::ids::EditionId;
    use app::domain::nomination::NominationInput;
    use app::server::{repo, service, AppState};
    use app::wire::Viewer;
    use chrono::{Duration, Utc};

    pub async fn account(state: &AppState, email: &str, role: Role) -> Viewer {
        let u = service::accounts::create_account(&state.db, email, "テスト 利用者", "a-long-password-1", role)
            .await
            .unwrap();
        service::accounts::to_viewer(&u)
    }

    /// An edition whose nomination window is open now, with the four categories.
    pub async fn open_edition(state: &AppState, slug: &str) -> EditionId {
        let now = Utc::now();
        let tx = state.db.begin().await.unwrap();
        let e = repo::editions::insert(
            &*tx,
            slug,
            "テスト回",
            "Test edition",
            "conference_award",
            "2026–2027",
            2026,
            false,
            now,
        )
        .await
        .unwrap();
        service::editions::add_default_categories(&*tx, e.id).await.unwrap();
        repo::editions::upsert_stage(
            &*tx,
            e.id,
            "nominations",
            0,
            1,
            Some(now - Duration::days(1)),
            Some(now + Duration::days(30)),
        )
        .await
        .unwrap();
        service::stages::set_current(&*tx, e.id, StageKind::Nominations, 0).await.unwrap();
        tx.commit().await.unwrap();
        EditionId(e.id)
    }

    pub async fn close_nominations(state: &AppState, edition: EditionId) {
        let now = Utc::now();
        repo::editions::upsert_stage(
            state.db.conn(),
            edition.0,
            "nominations",
            0,
            1,
            Some(now - Duration::days(10)),
            Some(now - Duration::seconds(1)),
        )
        .await
        .unwrap();
    }

    pub fn complete_input() -> NominationInput {
        NominationInput {
            title: "通院と両立できる働き方".into(),
            nominee_type: "company".into(),
            nominee_name: "株式会社テスト".into(),
            region: "saitama".into(),
            industry: "it".into(),
            org_size: "10-49".into(),
            summary: "在宅勤務と時差出勤".into(),
            background: "背景".into(),
            practice: "実践".into(),
            accommodation: "配慮".into(),
            challenges: "課題".into(),
            outcomes: "成果".into(),
            lessons: "学び".into(),
            relationship: "employer".into(),
            featured_email: "hr@example.jp".into(),
            ..Default::default()
        }
    }
}
