//! Every plain HTTP route is added through here, so the list of routes the server serves is
//! known at run time (the policy matrix test enumerates it; a route added another way would
//! be invisible to it, so none is).
use std::sync::Mutex;

use axum::{handler::Handler, routing::MethodRouter, Router};

static ROUTES: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn record(method: &str, path: &str) {
    if let Ok(mut r) = ROUTES.lock() {
        let line = format!("{method} {path}");
        if !r.contains(&line) {
            r.push(line);
        }
    }
}

/// "METHOD /path" of every route added so far (after `server::router` has run).
pub fn routes() -> Vec<String> {
    ROUTES.lock().map(|r| r.clone()).unwrap_or_default()
}

pub fn get<S, H, T>(router: Router<S>, path: &'static str, handler: H) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    H: Handler<T, S>,
    T: 'static,
{
    record("GET", path);
    router.route(path, axum::routing::get(handler))
}

pub fn post<S, H, T>(router: Router<S>, path: &'static str, handler: H) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
    H: Handler<T, S>,
    T: 'static,
{
    record("POST", path);
    router.route(path, axum::routing::post(handler))
}

/// A route with several methods; `methods` names them for the registry.
pub fn with<S>(router: Router<S>, methods: &[&str], path: &'static str, route: MethodRouter<S>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    for m in methods {
        record(m, path);
    }
    router.route(path, route)
}
