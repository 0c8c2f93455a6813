//! The `server` binary: serves the site (default) and runs operator commands.
use std::{io::Read, net::SocketAddr, process::ExitCode};

use app::domain::account::Role;
use app::server::{service, AppState, Config, Db};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "server", version, about = "Good-practice awards and archive platform")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site (the default). Migrates the database first.
    Serve {
        /// Load the demo data when the database has no accounts yet.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create (or promote) an admin account. The password is read from ADMIN_PASSWORD or stdin.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
    /// Load demo data: a sample edition, the four categories, practices and one account per role.
    SeedDemo {
        /// Also generate this many synthetic published practices (for demos and benchmarks).
        #[arg(long, default_value_t = 0)]
        practices: usize,
        /// Do nothing when accounts already exist.
        #[arg(long)]
        if_empty: bool,
        /// Instead, submit the sample practices into this existing edition (by its identifier).
        #[arg(long)]
        into_edition: Option<String>,
    },
}

fn init_tracing(json: bool) {
    use tracing_subscriber::{fmt, EnvFilter};
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    if json {
        fmt().json().with_env_filter(filter).with_current_span(false).init();
    } else {
        fmt().with_env_filter(filter).init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(config.log_json);
    match run(cli.command.unwrap_or(Command::Serve { demo: false }), config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn open(config: &Config) -> Result<Db, String> {
    let db = Db::connect(&config.database_url, config.max_db_connections)
        .await
        .map_err(|e| format!("DATABASE_URL: cannot connect: {e}"))?;
    db.migrate().await.map_err(|e| format!("migration failed: {e}"))?;
    Ok(db)
}

async fn run(command: Command, config: Config) -> Result<(), String> {
    match command {
        Command::Migrate => {
            open(&config).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::CreateAdmin { email, name } => {
            let password = match std::env::var("ADMIN_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    let mut p = String::new();
                    std::io::stdin().read_to_string(&mut p).map_err(|e| format!("reading password from stdin: {e}"))?;
                    p.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let db = open(&config).await?;
            let user = service::accounts::create_account(&db, &email, &name, &password, Role::Admin)
                .await
                .map_err(|e| format!("{}", e.message(app::i18n::Locale::En)))?;
            println!("admin account ready: {} (id {})", user.email, user.id);
            Ok(())
        }
        Command::SeedDemo { practices, if_empty, into_edition } => {
            let db = open(&config).await?;
            let state = AppState::new(db, config).await.map_err(|e| e.to_string())?;
            let report = match into_edition {
                Some(slug) => {
                    service::demo::seed_nominations_into(&state, &slug).await.map_err(|e| format!("{e:?}"))?
                }
                None => service::demo::seed(&state, practices, if_empty).await.map_err(|e| format!("{e:?}"))?,
            };
            println!("{report}");
            Ok(())
        }
        Command::Serve { demo } => serve(config, demo).await,
    }
}

async fn serve(config: Config, demo: bool) -> Result<(), String> {
    let db = open(&config).await?;
    let state = AppState::new(db, config).await.map_err(|e| e.to_string())?;
    service::accounts::ensure_bootstrap_admin(&state).await.map_err(|e| format!("ADMIN_EMAIL: {e:?}"))?;
    if demo {
        let report = service::demo::seed(&state, 0, true).await.map_err(|e| format!("demo data: {e:?}"))?;
        tracing::info!("{report}");
    }

    let addr: SocketAddr = std::env::var("LEPTOS_SITE_ADDR")
        .unwrap_or_else(|_| "127.0.0.1:3000".into())
        .parse()
        .map_err(|e| format!("LEPTOS_SITE_ADDR: {e}"))?;
    let options = server::leptos_options(addr);
    let app = server::router(state.clone(), options);

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let workers = service::jobs::spawn_all(state.clone(), stop_rx);

    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("LEPTOS_SITE_ADDR {addr}: {e}"))?;
    tracing::info!("listening on http://{addr} (public URL {})", state.config.public_url);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| e.to_string())?;

    tracing::info!("shutting down: finishing background work");
    let _ = stop_tx.send(true);
    for w in workers {
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), w).await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on SIGTERM (what process managers send) or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
