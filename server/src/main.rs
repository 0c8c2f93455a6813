//! The `server` binary: serves the site (default) and runs operator commands.
use std::{io::Read, net::SocketAddr, process::ExitCode};

use app::domain::account::Role;
use app::server::{service, AppState, Config, Db};
use clap::Parser;
use server::cli::{Cli, Command};
use server::public::SlowLane;

/// mimalloc instead of glibc's malloc: under a burst of concurrent renders glibc kept freed
/// memory in one arena per thread (the SQLite driver runs a thread per connection), so the
/// process held hundreds of MB long after the burst; mimalloc gives it back.
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn init_tracing(json: bool) {
    use tracing_subscriber::{fmt, EnvFilter};
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    if json {
        fmt().json().with_env_filter(filter).with_current_span(false).init();
    } else {
        fmt().with_env_filter(filter).init();
    }
}

/// How the process's two allocators give memory back, unless the operator set these already.
/// SQLite's C code allocates with glibc's malloc, which gives every thread that touches it an
/// arena of its own (up to 8 per core) and keeps what was freed in each: under a flood of
/// searches that was ~25 MB more resident memory. mimalloc (everything Rust allocates) returns
/// freed pages at once instead of after a delay, which keeps a burst (the archive snapshot
/// build) from lingering. Both allocators read these only at process start, so the process
/// starts itself again with them, once; `GP_ALLOC_SETTLED` marks the second start.
const ALLOCATOR_SETTINGS: [(&str, &str); 2] = [("MALLOC_ARENA_MAX", "2"), ("MIMALLOC_PURGE_DELAY", "0")];

fn settle_allocators() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("GP_ALLOC_SETTLED").is_some()
        || ALLOCATOR_SETTINGS.iter().all(|(k, _)| std::env::var_os(k).is_some())
    {
        return;
    }
    let Ok(exe) = std::env::current_exe() else { return };
    let mut cmd = std::process::Command::new(exe);
    cmd.args(std::env::args_os().skip(1)).env("GP_ALLOC_SETTLED", "1");
    for (k, v) in ALLOCATOR_SETTINGS {
        if std::env::var_os(k).is_none() {
            cmd.env(k, v);
        }
    }
    // Only returns if the exec failed (the binary was replaced on disk, say): run as we are.
    let err = cmd.exec();
    eprintln!("note: could not restart with allocator settings ({err}); running with the defaults");
}

fn main() -> ExitCode {
    settle_allocators();
    match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt.block_on(async_main()),
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn async_main() -> ExitCode {
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

/// Generates a deterministic set of sheets and times `aggregate` (weighted means, per-reviewer
/// normalisation, flags, ranking per category).
fn bench_aggregate(nominations: usize, per: usize, criteria: usize, runs: usize) {
    use app::domain::scoring::{aggregate, Settings, Sheet, Weight};
    let weights: Vec<Weight> =
        (0..criteria).map(|i| Weight { criterion: i as i64, weight: 1.0 + (i % 2) as f64 * 0.5 }).collect();
    let reviewer_count = (nominations * per / 30).max(per) as i64;
    let mut seed: u64 = 7;
    let mut next = move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((seed >> 33) % 5 + 1) as f64
    };
    let mut sheets = Vec::with_capacity(nominations * per);
    let mut entries = Vec::with_capacity(nominations);
    for n in 0..nominations as i64 {
        entries.push((n, n % 4, per));
        for r in 0..per as i64 {
            sheets.push(Sheet {
                reviewer: (n * per as i64 + r) % reviewer_count,
                nomination: n,
                scores: (0..criteria).map(|_| Some(next())).collect(),
                submitted: true,
            });
        }
    }
    let settings = Settings { min_scored: 5, disagreement_threshold: 1.0 };
    let mut times = Vec::with_capacity(runs);
    let mut ranked = 0;
    for _ in 0..runs.max(1) {
        let start = std::time::Instant::now();
        let a = aggregate(&weights, &sheets, &entries, settings);
        times.push(start.elapsed());
        ranked = a.nominations.iter().filter(|n| n.rank.is_some()).count();
    }
    times.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    println!(
        "aggregate {nominations} nominations x {per} reviewers x {criteria} criteria ({} sheets, {reviewer_count} reviewers, {ranked} ranked): runs {runs}, min {:.1} ms, median {:.1} ms, max {:.1} ms",
        sheets.len(),
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
    );
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
                .map_err(|e| e.message(app::i18n::Locale::En))?;
            println!("admin account ready: {} (id {})", user.email, user.id);
            Ok(())
        }
        Command::SeedDemo { practices, if_empty, into_edition, review_load, recognised_edition } => {
            let db = open(&config).await?;
            let state = AppState::new(db, config).await.map_err(|e| e.to_string())?;
            if let Some(slug) = recognised_edition {
                println!("{}", service::demo::seed_recognised(&state, &slug).await.map_err(|e| format!("{e:?}"))?);
                return Ok(());
            }
            let report = match (into_edition, review_load) {
                (Some(slug), _) => {
                    service::demo::seed_nominations_into(&state, &slug).await.map_err(|e| format!("{e:?}"))?
                }
                (None, Some(n)) => service::demo::seed_review_load(&state, n).await.map_err(|e| format!("{e:?}"))?,
                (None, None) => service::demo::seed(&state, practices, if_empty).await.map_err(|e| format!("{e:?}"))?,
            };
            println!("{report}");
            Ok(())
        }
        Command::Serve { demo } => serve(config, demo).await,
        Command::ImportPractices { file, draft } => {
            let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let db = open(&config).await?;
            let state = AppState::new(db, config).await.map_err(|e| e.to_string())?;
            let mut last = 0;
            let report = service::archive::import(&state, &text, draft, 2000, &mut |done, total| {
                if done - last >= 2000 || done == total {
                    eprintln!("  {done}/{total} imported");
                    last = done;
                }
            })
            .await
            .map_err(|e| e.message(app::i18n::Locale::En))?;
            if !report.errors.is_empty() {
                for (line, problems) in &report.errors {
                    let list: Vec<String> = problems
                        .iter()
                        .map(|p| {
                            format!("{}: {}", p.field, app::i18n::problem_message(&p.problem, app::i18n::Locale::En))
                        })
                        .collect();
                    eprintln!("line {line}: {}", list.join("; "));
                }
                return Err(format!("{} bad line(s); nothing was imported", report.errors.len()));
            }
            println!(
                "imported {} practices ({}), {} past edition(s) created",
                report.imported,
                if draft { "as drafts" } else { "published" },
                report.editions_created
            );
            Ok(())
        }
        Command::BenchRender { runs, only } => bench_render(config, runs, only).await,
        Command::BenchAggregate { nominations, reviewers_per_nomination, criteria, runs } => {
            bench_aggregate(nominations, reviewers_per_nomination, criteria, runs);
            Ok(())
        }
    }
}

/// CPU seconds (user + system) of this process so far, from /proc (Linux; 100 ticks a second).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

async fn bench_render(config: Config, runs: usize, only: Option<String>) -> Result<(), String> {
    use axum::body::Body;
    use tower::ServiceExt;
    let db = open(&config).await?;
    let state = AppState::new(db, config).await.map_err(|e| e.to_string())?;
    let options = server::leptos_options("127.0.0.1:3000".parse().map_err(|e| format!("{e}"))?);
    // A cache that keeps nothing: every request below is rendered.
    let app = server::router_with(state.clone(), options, server::public::PageCache::with_capacity(0));
    let signed = service::accounts::sign_in(&state, "nominator@example.jp", "demo-nominator-2026", "127.0.0.1", None)
        .await
        .map_err(|e| format!("the demo nominator could not sign in (run `server seed-demo` first): {e:?}"))?;
    let session = format!("gp_session={}", signed.token);
    // Each request runs as a task on the runtime's workers, as hyper runs a connection's requests
    // in the server (a request driven from outside the workers would hand every task it spawns
    // across threads, and time those hand-offs instead of the page).
    let get = |path: String, cookie: Option<String>| {
        let app = app.clone();
        let task = tokio::spawn(async move {
            let mut req = http::Request::get(&path).header("accept-language", "ja");
            if let Some(c) = cookie {
                req = req.header("cookie", c);
            }
            let mut req = req.body(Body::empty()).map_err(|e| e.to_string())?;
            req.extensions_mut().insert(axum::extract::ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
            let res = app.oneshot(req).await.map_err(|e| e.to_string())?;
            let status = res.status();
            let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.map_err(|e| e.to_string())?;
            if !status.is_success() {
                return Err(format!("{path}: {status}"));
            }
            Ok::<_, String>(bytes)
        });
        async move { task.await.map_err(|e| e.to_string())? }
    };
    // Every record the first 50 archive pages list, in two halves: the "first read" cases read
    // each record of their half once (the per-version record memo has never seen it), the
    // others read one record again and again (after the first time, from the memo).
    let mut slugs: Vec<String> = vec![];
    for page in 1..=50 {
        let html = get(format!("/archive?page={page}"), None).await?;
        let before = slugs.len();
        for part in String::from_utf8_lossy(&html).split("href=\"/practices/").skip(1) {
            if let Some(slug) = part.split('"').next().filter(|s| !s.is_empty()) {
                if !slugs.iter().any(|s| s == slug) {
                    slugs.push(slug.to_string());
                }
            }
        }
        if slugs.len() == before {
            break;
        }
    }
    let slug = slugs.first().ok_or("no published practice in this database (seed-demo --practices N)")?.clone();
    let half = slugs.len() / 2;
    let (first, second) = (std::sync::Arc::new(slugs[1..half].to_vec()), std::sync::Arc::new(slugs[half..].to_vec()));
    const WORDS: [&str; 12] =
        ["就労", "支援", "通院", "在宅", "配慮", "体調", "職場", "相談", "難病", "短時間", "休暇", "テレワーク"];
    // (name, at most this many runs, the page and cookie of run i)
    type Case = (&'static str, usize, Box<dyn Fn(usize) -> (String, Option<String>)>);
    let record = format!("/practices/{slug}");
    let (r1, r2, s1) = (record.clone(), record.clone(), session.clone());
    let (s2, s3) = (session.clone(), session.clone());
    let warm = runs.min(50);
    let (n1, n2) = (first.len().saturating_sub(warm), second.len().saturating_sub(warm));
    let cases: Vec<Case> = vec![
        ("record page, anonymous (cache bypassed)", runs, Box::new(move |_| (r1.clone(), None))),
        ("record page, signed in", runs, Box::new(move |_| (r2.clone(), Some(s1.clone())))),
        ("record page, first read", n1, Box::new(move |i| (format!("/practices/{}", first[i]), None))),
        (
            "record page, signed in, first read",
            n2,
            Box::new(move |i| (format!("/practices/{}", second[i]), Some(s3.clone()))),
        ),
        (
            "search page, distinct queries",
            runs,
            Box::new(|i| {
                // Two different words (a repeated one is redirected to its reduced form).
                let (a, b) = (i % 12, (i % 12 + 1 + (i / 12) % 11) % 12);
                (format!("/archive?q={}+{}&page={}", WORDS[a], WORDS[b], 1 + i / 132 % 3), None)
            }),
        ),
        (
            "search page, signed in",
            runs,
            Box::new(move |i| (format!("/archive?q={}", WORDS[i % 12]), Some(s2.clone()))),
        ),
        ("home page, anonymous", runs, Box::new(|_| ("/".to_string(), None))),
    ];
    println!("{:<42} {:>6} {:>10} {:>10} {:>10}", "page", "runs", "CPU ms", "wall ms", "KB");
    for (name, limit, make) in cases {
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let runs = runs.min(limit);
        if runs == 0 {
            println!("{name:<42} (not enough records: seed-demo --practices 1000)");
            continue;
        }
        for i in 0..warm {
            let (p, c) = make(i);
            get(p, c).await?;
        }
        let (cpu0, t0) = (cpu_seconds(), std::time::Instant::now());
        let mut bytes = 0usize;
        for i in warm..warm + runs {
            let (p, c) = make(i);
            bytes += get(p, c).await?.len();
        }
        let (cpu, wall) = (cpu_seconds() - cpu0, t0.elapsed().as_secs_f64());
        let n = runs as f64;
        println!(
            "{name:<42} {runs:>6} {:>10.3} {:>10.3} {:>10.1}",
            cpu * 1000.0 / n,
            wall * 1000.0 / n,
            bytes as f64 / n / 1024.0
        );
    }
    Ok(())
}

async fn serve(config: Config, demo: bool) -> Result<(), String> {
    let db = open(&config).await?;
    let state = AppState::new(db, config).await.map_err(|e| e.to_string())?;
    state.db.watch_changes();
    service::accounts::ensure_bootstrap_admin(&state).await.map_err(|e| format!("ADMIN_EMAIL: {e:?}"))?;
    let storage_var = if state.config.s3.is_some() { "S3_BUCKET" } else { "UPLOAD_DIR" };
    state.storage.check().await.map_err(|e| format!("{storage_var}: attachment storage is not usable: {e}"))?;
    if demo {
        let report = service::demo::seed(&state, 0, true).await.map_err(|e| format!("demo data: {e:?}"))?;
        tracing::info!("{report}");
    }

    let addr: SocketAddr = std::env::var("LEPTOS_SITE_ADDR")
        .unwrap_or_else(|_| "127.0.0.1:3000".into())
        .parse()
        .map_err(|e| format!("LEPTOS_SITE_ADDR: {e}"))?;
    let options = server::leptos_options(addr);
    // Anonymous searches the page cache cannot answer render on a lane of their own (see
    // SlowLane). On SQLite only: there every connection is opened at start by this runtime (a
    // connection's thread takes the priority of the thread that opened it). A PostgreSQL
    // connection opened on the lane would be woken by the lane's low-priority threads.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut pages = server::public::PageCache::with_capacity(state.config.page_cache_bytes);
    let _lane = if state.db.backend() == sea_orm::DatabaseBackend::Sqlite {
        let rt = SlowLane::runtime(threads).map_err(|e| format!("slow lane: {e}"))?;
        let handle = rt.handle().ok_or("slow lane: no runtime")?;
        pages = pages.with_lane(SlowLane::new(handle, 2 * threads, SlowLane::ROOM));
        Some(rt)
    } else {
        None
    };
    let app = server::router_with(state.clone(), options, pages.clone());
    if let Some(metrics_addr) = state.config.metrics_addr {
        let listener = tokio::net::TcpListener::bind(metrics_addr)
            .await
            .map_err(|e| format!("METRICS_ADDR {metrics_addr}: {e}"))?;
        let metrics = server::observe::metrics_router(state.clone(), pages);
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, metrics).await {
                tracing::error!(error = %e, "metrics listener stopped");
            }
        });
        tracing::info!("metrics on http://{metrics_addr}/metrics");
    }

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
