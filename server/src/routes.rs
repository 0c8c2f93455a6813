//! Plain HTTP routes beside the Leptos pages: attachment upload (multipart, with its own body
//! limit) and download, and the organisers' CSV export.
use app::domain::files::{MAX_FILE_BYTES, MAX_FILE_MB};
use app::domain::ids::{AttachmentId, EditionId, NominationId};
use app::domain::validation::Problem;
use app::error::AppError;
use app::server::{ctx::CurrentSession, service, AppState};
use axum::{
    body::Body,
    extract::{DefaultBodyLimit, Multipart, Path, Query, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Extension, Router,
};
use tower_http::limit::RequestBodyLimitLayer;

use crate::registry;

/// One attachment per request, plus room for the multipart framing.
pub const UPLOAD_LIMIT: usize = MAX_FILE_BYTES + 256 * 1024;

pub fn upload_router() -> Router<AppState> {
    registry::post(Router::new(), "/nominations/{id}/attachments", upload)
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(UPLOAD_LIMIT))
}

pub fn router() -> Router<crate::ServerState> {
    let r = Router::new();
    let r = registry::get(r, "/attachments/{id}", download);
    let r = registry::get(r, "/organise/editions/{id}/nominations.csv", export_csv);
    let r = registry::get(r, "/organise/editions/{id}/scores.csv", export_scores_csv);
    let r = registry::get(r, "/organise/events/{id}/registrations.csv", export_registrations_csv);
    let r = registry::get(r, "/events/{slug}/event.ics", event_calendar);
    let r = registry::get(r, "/account/export.zip", export_my_data);
    let r = registry::get(r, "/consent/{token}/export.json", export_featured_data);
    registry::get(r, "/organise/editions/{id}/scores.xlsx", export_scores_xlsx)
}

/// An event's calendar file (public events only; a draft is not found).
async fn event_calendar(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    session: Option<Extension<CurrentSession>>,
) -> Response {
    let who = session.as_ref().map(|s| &s.0.viewer);
    match service::forum::calendar_file(&state, who, &slug).await {
        Ok(ics) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8")),
                (header::CONTENT_DISPOSITION, disposition(&format!("{slug}.ics"))),
                (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300")),
            ],
            ics,
        )
            .into_response(),
        Err(e) => (e.status(), e.message(app::i18n::Locale::Ja)).into_response(),
    }
}

/// Everything held about the signed-in person, as JSON and CSV in one zip.
async fn export_my_data(State(state): State<AppState>, session: Option<Extension<CurrentSession>>) -> Response {
    let who = session.as_ref().map(|s| &s.0.viewer);
    match service::my_data::export(&state, who).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("application/zip")),
                (
                    header::CONTENT_DISPOSITION,
                    disposition(&format!("my-data-{}.zip", chrono::Utc::now().format("%Y%m%d"))),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => (e.status(), e.message(app::i18n::Locale::Ja)).into_response(),
    }
}

/// What is held about a featured person, through their own consent link.
async fn export_featured_data(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match service::consent::featured_export(&state, &token).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8")),
                (header::CONTENT_DISPOSITION, disposition("my-data.json")),
                (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
                (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => (e.status(), e.message(app::i18n::Locale::Ja)).into_response(),
    }
}

/// Registrants of an event for organisers: UTF-8 with a BOM, formula-safe cells.
async fn export_registrations_csv(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    session: Option<Extension<CurrentSession>>,
) -> Response {
    let who = session.as_ref().map(|s| &s.0.viewer);
    match service::forum::registrations_csv(&state, who, id).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                (header::CONTENT_DISPOSITION, disposition(&format!("registrations-{id}.csv"))),
                (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => (e.status(), e.message(app::i18n::Locale::Ja)).into_response(),
    }
}

fn back(id: i64, outcome: &str) -> Response {
    Redirect::to(&format!("/nominations/{id}?{outcome}#attachments")).into_response()
}

pub(crate) fn accepts_html(headers: &axum::http::HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
}

async fn upload(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: axum::http::HeaderMap,
    session: Option<Extension<CurrentSession>>,
    mut multipart: Multipart,
) -> Response {
    let Some(Extension(session)) = session else {
        // A browser's form is sent to sign in first; any other client is told so (401).
        if accepts_html(&headers) {
            return Redirect::to(&format!("/sign-in?next=%2Fnominations%2F{id}")).into_response();
        }
        return (StatusCode::UNAUTHORIZED, AppError::SignInRequired.message(app::i18n::Locale::Ja)).into_response();
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(mut field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("").to_string();
                let mut bytes = Vec::new();
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                                return back(id, "upload_error=too_large");
                            }
                            bytes.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(_) => return back(id, "upload_error=too_large"),
                    }
                }
                file = Some((name, bytes));
            }
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(e) => {
                tracing::info!(error = %e, "unreadable upload");
                return back(id, "upload_error=other");
            }
        }
    }
    let Some((name, bytes)) = file else {
        return back(id, "upload_error=other");
    };
    match service::attachments::add(&state, Some(&session.viewer), NominationId(id), &name, &bytes).await {
        Ok(_) => back(id, "uploaded=1"),
        Err(AppError::Validation(errors)) => {
            let code = match errors.first().map(|e| &e.problem) {
                Some(Problem::FileTooLarge { .. }) => "too_large",
                Some(Problem::FileTypeNotAllowed) => "type",
                Some(Problem::TooMany { .. }) => "too_many",
                _ => "other",
            };
            back(id, &format!("upload_error={code}"))
        }
        Err(e @ (AppError::NotFound | AppError::Forbidden | AppError::SignInRequired)) => {
            (e.status(), e.message(app::i18n::Locale::Ja)).into_response()
        }
        Err(AppError::DeadlinePassed) => back(id, "upload_error=deadline"),
        Err(_) => back(id, "upload_error=other"),
    }
}

/// `filename*` in RFC 5987 form, so Japanese file names survive.
fn disposition(file_name: &str) -> HeaderValue {
    let encoded: String = file_name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    HeaderValue::from_str(&format!("attachment; filename=\"download\"; filename*=UTF-8''{encoded}"))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

async fn download(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    session: Option<Extension<CurrentSession>>,
) -> Response {
    let who = session.as_ref().map(|s| &s.0.viewer);
    match service::attachments::download(&state, who, AttachmentId(id)).await {
        Ok(d) => {
            let mut res = Response::new(Body::from(d.bytes));
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(&d.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
            );
            h.insert(header::CONTENT_DISPOSITION, disposition(&d.file_name));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
            h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
            res
        }
        Err(e) => (e.status(), e.message(app::i18n::Locale::Ja)).into_response(),
    }
}

#[derive(serde::Deserialize, Default)]
struct CsvQuery {
    #[serde(default)]
    category: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    consent: String,
}

async fn export_csv(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<CsvQuery>,
    session: Option<Extension<CurrentSession>>,
) -> Response {
    let who = session.as_ref().map(|s| &s.0.viewer);
    let filter = service::nominations::NominationFilter { category: q.category, status: q.status, consent: q.consent };
    match service::nominations::export_csv(&state, who, EditionId(id), &filter).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                (header::CONTENT_DISPOSITION, disposition(&format!("nominations-{id}.csv"))),
                (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => (e.status(), e.message(app::i18n::Locale::Ja)).into_response(),
    }
}

/// A server function that found the database too busy answers 503 with `Retry-After`. A
/// browser's plain form post gets a page, not a redirect back to a reloaded form: going back
/// keeps everything that was typed, and sending again is safe (nothing was saved).
pub async fn busy_page(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let html = accepts_html(req.headers());
    let reading = is_reading(req.method());
    let mut res = next.run(req).await;
    if res.headers_mut().remove(app::server::ctx::BUSY_MARK).is_none() {
        return res;
    }
    if !html {
        *res.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        return res;
    }
    busy_page_for(reading)
}

/// A request that only reads (its busy page says "reload", not "nothing was saved").
pub(crate) fn is_reading(m: &axum::http::Method) -> bool {
    m == axum::http::Method::GET || m == axum::http::Method::HEAD
}

/// 503 for a request the database was too busy to serve: a kind page for browsers (worded for
/// a page being read or a form being sent), the status alone otherwise; `Retry-After` always.
pub fn busy_response(html: bool, reading: bool) -> Response {
    if html {
        return busy_page_for(reading);
    }
    (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "2")]).into_response()
}

const BUSY_SENT: &str = "<h1>ただいま混み合っています</h1><p>送信は保存されていません。ブラウザの「戻る」で前の画面に戻ると、入力した内容はそのまま残っています。少し待ってから、もう一度送信してください。</p>\
    <h2 lang=\"en\">We are very busy right now</h2><p lang=\"en\">Nothing was saved. Go back in your browser: what you typed is still there. Please send it again in a moment.</p>";
const BUSY_READ: &str = "<h1>ただいま混み合っています</h1><p>このページを表示できませんでした。少し待ってから、もう一度読み込んでください。</p>\
    <h2 lang=\"en\">We are very busy right now</h2><p lang=\"en\">This page could not be shown. Please reload it in a moment.</p>";

fn busy_page_for(reading: bool) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
        <title>混み合っています / Busy</title><link rel=\"stylesheet\" href=\"{}\"></head><body><main id=\"main\">\
        <section class=\"narrow notice warn\">{}</section></main></body></html>",
        app::assets::css_href(),
        if reading { BUSY_READ } else { BUSY_SENT }
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::RETRY_AFTER, "2"),
            // No script at all; the site's own stylesheet only.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// A kind page for uploads over the limit (the browser gets 413 before the body is read).
pub async fn friendly_413(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return res;
    }
    let html = format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>送信できませんでした / Too large</title><link rel=\"stylesheet\" href=\"{css}\"></head><body><main id=\"main\">\
         <section class=\"narrow notice warn\"><h1>送信できませんでした</h1><p>送られた内容が大きすぎます。添付ファイルは1件{MAX_FILE_MB}MBまでです。ブラウザの「戻る」で前の画面に戻ってください。</p>\
         <h2 lang=\"en\">This was too large to send</h2><p lang=\"en\">Attachments may be up to {MAX_FILE_MB} MB each. Please go back and choose a smaller file.</p></section></main></body></html>",
        css = app::assets::css_href()
    );
    (StatusCode::PAYLOAD_TOO_LARGE, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

#[derive(serde::Deserialize, Default)]
struct ScoresQuery {
    #[serde(default)]
    round: Option<i32>,
    #[serde(default)]
    kind: String,
}

fn download_response(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition(name)),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
        ],
        bytes,
    )
        .into_response()
}

async fn export_scores_csv(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ScoresQuery>,
    session: Option<Extension<CurrentSession>>,
) -> Response {
    let who = session.as_ref().map(|s| &s.0.viewer);
    let round = q.round.unwrap_or(1);
    let reviewers = q.kind == "reviewers";
    let result = if q.kind == "calibration" {
        service::results::calibration_csv(&state, who, id, round).await
    } else {
        service::results::export_csv(&state, who, id, round, reviewers).await
    };
    let suffix = match q.kind.as_str() {
        "reviewers" => "-reviewers",
        "calibration" => "-calibration",
        _ => "",
    };
    match result {
        Ok(bytes) => download_response(bytes, "text/csv; charset=utf-8", &format!("scores-{id}-r{round}{suffix}.csv")),
        Err(e) => (e.status(), e.message(app::i18n::Locale::Ja)).into_response(),
    }
}

async fn export_scores_xlsx(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<ScoresQuery>,
    session: Option<Extension<CurrentSession>>,
) -> Response {
    let who = session.as_ref().map(|s| &s.0.viewer);
    let round = q.round.unwrap_or(1);
    match service::results::export_xlsx(&state, who, id, round).await {
        Ok(bytes) => download_response(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("scores-{id}-r{round}.xlsx"),
        ),
        Err(e) => (e.status(), e.message(app::i18n::Locale::Ja)).into_response(),
    }
}
