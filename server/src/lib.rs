//! The HTTP side of the platform: the router with its layers, shared by `main` and the HTTP tests.
pub mod cli;
pub mod middleware;
pub mod observe;
pub mod public;
pub mod registry;
pub mod routes;

use app::server::AppState;
use app::{shell, App};
use axum::{
    extract::{FromRef, State},
    http::StatusCode,
    middleware::{from_fn, from_fn_with_state},
    response::IntoResponse,
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_http::{compression::CompressionLayer, limit::RequestBodyLimitLayer};

/// Request bodies above this are refused with 413 before they are read (forms are small;
/// attachment uploads have their own, larger limit).
pub const BODY_LIMIT: usize = 1024 * 1024;

#[derive(Clone, FromRef)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub app: AppState,
    pub docs: public::Docs,
}

/// Options for serving the built site; `LEPTOS_SITE_ROOT` and `LEPTOS_OUTPUT_NAME` override.
pub fn leptos_options(site_addr: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "gp".into()))
        .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
        .site_pkg_dir("pkg")
        .site_addr(site_addr)
        .build()
}

pub fn router(app_state: AppState, leptos_options: LeptosOptions) -> Router {
    let pages = public::PageCache::with_capacity(app_state.config.page_cache_bytes);
    router_with(app_state, leptos_options, pages)
}

/// The application's routes, walked once per process. Leptos walks the app with a
/// *process-wide* flag set that parks every resource first polled meanwhile, for good
/// (leptos-rs/leptos#4773): walking it again while another router renders (a second router in
/// the same process, as the tests build one each) would hang that page forever.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The router with a given page cache (shared with the metrics endpoint).
pub fn router_with(app_state: AppState, leptos_options: LeptosOptions, page_cache: public::PageCache) -> Router {
    let routes = route_list();
    let context = {
        let app_state = app_state.clone();
        move || {
            provide_context(app_state.clone());
            middleware::provide_page_csp();
        }
    };
    let state =
        ServerState { leptos_options: leptos_options.clone(), app: app_state.clone(), docs: public::Docs::default() };
    let pages: Router = registry::get(Router::new(), "/healthz", health)
        .merge(routes::router())
        .merge(public::router())
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<ServerState, _>(context, shell))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .with_state(state);
    let metrics = registry::get(Router::new(), "/metrics", observe::metrics_with_token)
        .with_state((app_state.clone(), page_cache.clone()));
    Router::new()
        .merge(routes::upload_router().with_state(app_state.clone()))
        .merge(metrics)
        .merge(pages)
        .layer(from_fn(routes::friendly_413))
        .layer(from_fn(routes::busy_page))
        .layer(from_fn(middleware::fresh_form_errors))
        .layer(from_fn_with_state(app_state.clone(), middleware::session))
        .layer(from_fn_with_state(app_state.clone(), middleware::same_origin))
        .layer(from_fn_with_state(app_state.clone(), middleware::security_headers))
        .layer(CompressionLayer::new())
        .layer(from_fn_with_state((app_state, page_cache), public::page_cache))
        .layer(from_fn(observe::access))
}

/// 200 when the database answers; 503 otherwise (for load balancers and monitors).
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
