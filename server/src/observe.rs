//! What an operator watches: one access-log line per request at `info` (method, path without
//! its query — queries carry what people typed — status, latency), and the Prometheus
//! `/metrics` text, served on its own address (`METRICS_ADDR`) or to a bearer token
//! (`METRICS_TOKEN`), never to the public.
use std::time::Instant;

use app::server::{metrics, AppState};
use axum::{
    extract::{MatchedPath, Request, State},
    http::{header, HeaderMap, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::public::PageCache;

/// Outermost layer: times every request (cache hits included) and logs it.
pub async fn access(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned());
    let path = loggable_path(req.uri().path(), route.as_deref());
    let res = next.run(req).await;
    let elapsed = started.elapsed();
    let status = res.status().as_u16();
    // Unmatched paths (probes, typos) share one label so they cannot grow the metrics.
    let label = route.as_deref().unwrap_or(if status == 404 { "unmatched" } else { "other" });
    metrics::global().observe_request(label, method_label(&method), status, elapsed);
    if status == 503 {
        metrics::global().busy_responses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    tracing::info!(
        target: "access",
        method = %method,
        path = %path,
        status,
        ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    res
}

/// The path as the access log may keep it: a segment the route names a token (consent and
/// invitation links are capabilities) is replaced by `{token}`, so the log never holds a
/// working link. The query is never logged at all.
fn loggable_path(path: &str, route: Option<&str>) -> String {
    let Some(route) = route.filter(|r| r.contains("token")) else {
        return path.to_owned();
    };
    let mut out = String::with_capacity(path.len());
    let mut pattern = route.split('/');
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        match pattern.next() {
            Some(p) if p.contains("token") && (p.starts_with('{') || p.starts_with(':')) => out.push_str("{token}"),
            _ => out.push_str(segment),
        }
    }
    out
}

/// A method as a metrics label: the standard ones by name, anything else as one value, so
/// made-up methods cannot grow the series.
fn method_label(m: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// The metrics text with gauges sampled now.
pub async fn render(state: &AppState, pages: &PageCache) -> String {
    let (bytes, entries) = pages.usage();
    let (size, idle) = state.db.pool_size();
    let pending = app::server::repo::outbox::count_pending(state.db.conn()).await.map(|n| n as f64).unwrap_or(f64::NAN);
    metrics::global().render(&[
        ("gp_page_cache_bytes", "Bytes held by the page cache.", bytes as f64),
        ("gp_page_cache_entries", "Pages held by the page cache.", entries as f64),
        ("gp_page_cache_capacity_bytes", "What the page cache may hold.", state.config.page_cache_bytes as f64),
        ("gp_db_pool_connections", "Database connections open.", size as f64),
        ("gp_db_pool_in_use", "Database connections in use.", size.saturating_sub(idle) as f64),
        ("gp_db_pool_max", "Database connections allowed.", state.config.max_db_connections as f64),
        ("gp_outbox_pending", "Mail waiting to be sent.", pending),
    ])
}

fn text(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body).into_response()
}

/// `/metrics` on the main address: only with the configured bearer token; 404 otherwise, so
/// the public cannot even tell it is there.
pub async fn metrics_with_token(State((state, pages)): State<(AppState, PageCache)>, headers: HeaderMap) -> Response {
    let Some(token) = state.config.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let ok = given.is_some_and(|g| {
        use sha2::{Digest, Sha256};
        // Compared as hashes, so the comparison takes the same time whatever matches.
        Sha256::digest(g.as_bytes()) == Sha256::digest(token.as_bytes())
    });
    if !ok {
        return StatusCode::NOT_FOUND.into_response();
    }
    text(render(&state, &pages).await)
}

/// The router for `METRICS_ADDR`: `/metrics` and nothing else.
pub fn metrics_router(state: AppState, pages: PageCache) -> axum::Router {
    axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || {
            let (state, pages) = (state.clone(), pages.clone());
            async move { text(render(&state, &pages).await) }
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_access_log_never_keeps_a_link_token() {
        assert_eq!(loggable_path("/consent/abcDEF123secret", Some("/consent/{token}")), "/consent/{token}");
        assert_eq!(loggable_path("/invite/xyz", Some("/invite/:token")), "/invite/{token}");
        assert_eq!(loggable_path("/consent/done", Some("/consent/done")), "/consent/done");
        assert_eq!(
            loggable_path("/practices/3-corporate-saitama", Some("/practices/{slug}")),
            "/practices/3-corporate-saitama"
        );
        assert_eq!(loggable_path("/nowhere", None), "/nowhere");
        assert_eq!(method_label(&axum::http::Method::from_bytes(b"BREW").unwrap()), "OTHER");
    }
}
