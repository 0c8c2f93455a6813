//! Public, cacheable surfaces of the archive: the JSON API (documented in docs/openapi.yaml),
//! sitemap.xml, the Atom feed, robots.txt, and a page cache for anonymous visitors that is
//! checked against the archive's version (`archive::current_version`: re-read after any change
//! this process commits or hears of, and at least twice a second).
use std::collections::HashMap;
use std::sync::Arc;

use app::domain::category::CategoryKey;
use app::domain::region::is_region;
use app::error::AppError;
use app::i18n::{cookie_value, Locale};
use app::server::{auth::SESSION_COOKIE, repo, service::archive, AppState};
use app::wire::ArchiveFilters;
use axum::{
    body::{to_bytes, Body},
    extract::{Path, RawQuery, Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use base64::{engine::general_purpose::STANDARD, Engine};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::registry;

pub fn router() -> Router<crate::ServerState> {
    let r = Router::new();
    let r = registry::with(r, &["GET", "OPTIONS"], "/api/v1/practices", get(list).options(preflight));
    let r = registry::with(r, &["GET", "OPTIONS"], "/api/v1/practices/{id}", get(one).options(preflight));
    let r = registry::get(r, "/sitemap.xml", sitemap);
    let r = registry::get(r, "/sitemaps/{file}", sitemap_file);
    let r = registry::get(r, "/feed.atom", feed);
    registry::get(r, "/robots.txt", robots)
}

fn api_error(status: StatusCode, parameter: Option<&str>, message: &str) -> Response {
    let body = match parameter {
        Some(p) => json!({"error": {"parameter": p, "message": message}}),
        None => json!({"error": {"message": message}}),
    };
    let mut res = (status, Json(body)).into_response();
    cors(res.headers_mut());
    if status == StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    }
    res
}

/// A failure of the service behind the API: its status (503 with `Retry-After` when the
/// database was busy) and its English message. Never an empty 200 that a cache would keep.
fn api_failure(e: impl Into<AppError>) -> Response {
    let e = e.into();
    api_error(e.status(), None, &e.message(Locale::En))
}

/// A failure behind a machine document (sitemap, feed): the bare status, `Retry-After` on 503.
fn doc_failure(e: &AppError) -> Response {
    let mut res = e.status().into_response();
    if e.status() == StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    }
    res
}

fn cors(h: &mut HeaderMap) {
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, OPTIONS"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("If-None-Match"));
    h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("ETag"));
}

async fn preflight() -> Response {
    let mut res = StatusCode::NO_CONTENT.into_response();
    cors(res.headers_mut());
    res.headers_mut().insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    res
}

/// A JSON body with an ETag; answers 304 when the client already has it.
fn cacheable_json(req_headers: &HeaderMap, body: Value) -> Response {
    // `<`, `>` and `&` as escapes: the same JSON values, and no markup even for a client that
    // sniffs (or a page that pastes the response into HTML).
    let bytes = body.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026").into_bytes();
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(&bytes)[..12]));
    let mut res = if req_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, "application/json; charset=utf-8")], bytes).into_response()
    };
    let h = res.headers_mut();
    cors(h);
    // Withdrawable: a withdrawn record must disappear at once, so caches revalidate every time
    // (the ETag makes that cheap).
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    res
}

const LIST_PARAMS: [&str; 7] = ["q", "category", "edition", "region", "badge", "page", "per_page"];

async fn list(State(state): State<AppState>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    let mut f = ArchiveFilters { page: 1, per_page: 20, ..Default::default() };
    let mut edition_slug = String::new();
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let v = v.trim().to_string();
        match k.as_ref() {
            "q" => {
                if v.chars().count() > 200 {
                    return api_error(StatusCode::BAD_REQUEST, Some("q"), "at most 200 characters");
                }
                f.q = v
            }
            "category" if v.is_empty() || CategoryKey::parse(&v).is_some() => f.category = v,
            "category" => {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    Some("category"),
                    "one of corporate, support, municipal, people",
                )
            }
            "region" if v.is_empty() || is_region(&v) => f.region = v,
            "region" => {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    Some("region"),
                    "a romanised prefecture key (e.g. saitama) or nationwide",
                )
            }
            "badge"
                if v.is_empty()
                    || matches!(v.as_str(), "certified" | "grand_prize" | "excellence" | "special" | "award") =>
            {
                f.badge = v
            }
            "badge" => {
                return api_error(
                    StatusCode::BAD_REQUEST,
                    Some("badge"),
                    "one of certified, award, grand_prize, excellence, special",
                )
            }
            "edition" => edition_slug = v,
            "page" => match v.parse::<usize>() {
                Ok(p) if (1..=100_000).contains(&p) => f.page = p,
                _ => return api_error(StatusCode::BAD_REQUEST, Some("page"), "a whole number from 1"),
            },
            "per_page" => match v.parse::<usize>() {
                Ok(p) if (1..=100).contains(&p) => f.per_page = p,
                _ => return api_error(StatusCode::BAD_REQUEST, Some("per_page"), "a whole number from 1 to 100"),
            },
            other => {
                let _ = LIST_PARAMS;
                return api_error(StatusCode::BAD_REQUEST, Some(other), "unknown parameter");
            }
        }
    }
    if !edition_slug.is_empty() {
        match repo::editions::find_by_slug(state.db.conn(), &edition_slug).await {
            Ok(Some(e)) => f.edition = e.id.to_string(),
            Ok(None) => return api_error(StatusCode::BAD_REQUEST, Some("edition"), "no edition with this identifier"),
            Err(e) => return api_failure(e),
        }
    }
    let results = match archive::search(&state, &f).await {
        Ok(r) => r,
        Err(e) => return api_failure(e),
    };
    let slugs = match edition_slugs(&state).await {
        Ok(s) => s,
        Err(e) => return api_failure(e),
    };
    let ids: Vec<i64> = results.items.iter().map(|c| c.id).collect();
    let rows: HashMap<i64, _> = match repo::archive::by_ids(state.db.conn(), &ids).await {
        Ok(rows) => rows.into_iter().map(|p| (p.id, p)).collect(),
        Err(e) => return api_failure(e),
    };
    let items: Vec<Value> = results
        .items
        .iter()
        .filter_map(|c| rows.get(&c.id).map(|p| (c, p)))
        .map(|(c, p)| {
            json!({
                "id": c.id,
                "slug": c.slug,
                "title": c.title,
                "summary": p.summary,
                "category": c.category.key(),
                "edition": p.edition_id.and_then(|e| slugs.get(&e).cloned()),
                "region": c.region,
                "badges": c.badges.iter().map(|b| json!({"kind": b.kind.key(), "edition": b.edition_label, "year": b.year})).collect::<Vec<_>>(),
                "url": state.config.link(&format!("/practices/{}", c.slug)),
            })
        })
        .collect();
    cacheable_json(
        &headers,
        json!({"total": results.total, "page": results.page, "per_page": results.per_page, "items": items}),
    )
}

async fn edition_slugs(state: &AppState) -> Result<HashMap<i64, String>, sea_orm::DbErr> {
    Ok(repo::editions::list(state.db.conn()).await?.into_iter().map(|e| (e.id, e.slug)).collect())
}

async fn one(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return api_error(StatusCode::BAD_REQUEST, Some("id"), "a whole number");
    };
    match archive::record(&state, None, &id.to_string()).await {
        Ok(p) => {
            let slugs = match edition_slugs(&state).await {
                Ok(s) => s,
                Err(e) => return api_failure(e),
            };
            let row = match repo::archive::find(state.db.conn(), p.id).await {
                Ok(row) => row,
                Err(e) => return api_failure(e),
            };
            cacheable_json(
                &headers,
                json!({
                    "id": p.id,
                    "slug": p.slug,
                    "title": p.title,
                    "summary": p.summary,
                    "category": p.category.key(),
                    "edition": row.and_then(|r| r.edition_id).and_then(|e| slugs.get(&e).cloned()),
                    "region": p.region,
                    "industry": (!p.industry.is_empty()).then_some(p.industry.clone()),
                    "organisation_size": (!p.org_size.is_empty()).then_some(p.org_size.clone()),
                    "nominee_name": p.nominee_name,
                    "badges": p.badges.iter().map(|b| json!({"kind": b.kind.key(), "edition": b.edition_label, "year": b.year})).collect::<Vec<_>>(),
                    "tags": p.tags,
                    "sections": p.sections.iter().map(|(k, html)| json!({"key": k, "html": html})).collect::<Vec<_>>(),
                    "published_at": p.published_at.map(|d| d.to_rfc3339()),
                    "url": state.config.link(&format!("/practices/{}", p.slug)),
                }),
            )
        }
        Err(AppError::Gone) => api_error(StatusCode::GONE, None, "this practice is no longer published"),
        Err(AppError::NotFound) => api_error(StatusCode::NOT_FOUND, None, "no published practice with this id"),
        Err(e) => api_failure(e),
    }
}

/// How caches may keep public data that can be withdrawn: revalidate every time.
const REVALIDATE: &str = "public, no-cache";

/// A machine document (sitemap index or file, feed) made ready to send once per archive
/// version: its ETag and its gzip body. A 50,000-URL sitemap file is about 5 MB of text;
/// hashing and compressing it on every request cost more than rendering a page, so a crowd
/// asking for it stalled the site. Such a file is kept compressed only (its text held two
/// copies of 5 MB for as long as the version lasted); the rare client that takes no gzip gets
/// it decompressed as it is sent, 64 KB at a time.
struct PreparedDoc {
    version: i64,
    etag: HeaderValue,
    /// The text, for small documents (the index, the feed) or when compression failed.
    plain: Option<bytes::Bytes>,
    gzip: Option<bytes::Bytes>,
}

struct DocBytes(Arc<String>);

impl AsRef<[u8]> for DocBytes {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// How a document is kept: with its text beside the gzip, or the gzip alone.
#[derive(Clone, Copy, PartialEq)]
enum Keep {
    TextAndGzip,
    GzipOnly,
}

impl PreparedDoc {
    fn new(version: i64, doc: Arc<String>, keep: Keep) -> PreparedDoc {
        let etag = format!("\"{}\"", hex::encode(&Sha256::digest(doc.as_bytes())[..12]));
        let gzip = gzip(doc.as_bytes(), flate2::Compression::default());
        // The text is the service's own document, not a copy of it.
        let plain = (keep == Keep::TextAndGzip || gzip.is_none()).then(|| bytes::Bytes::from_owner(DocBytes(doc)));
        PreparedDoc {
            version,
            etag: HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\"")),
            plain,
            gzip,
        }
    }
}

/// The prepared documents by name (`sitemap-index`, `sitemap-3`, `feed`), each for the archive
/// version it was built for; only the newest version's are kept.
#[derive(Clone, Default)]
pub struct Docs(Arc<DocStore>);

#[derive(Default)]
struct DocStore {
    ready: std::sync::Mutex<HashMap<String, Arc<PreparedDoc>>>,
    /// One build at a time: a crowd arriving just after a change builds each document once.
    building: tokio::sync::Mutex<()>,
}

impl Docs {
    fn ready(&self, name: &str, version: i64) -> Option<Arc<PreparedDoc>> {
        self.0.ready.lock().ok()?.get(name).filter(|d| d.version == version).cloned()
    }

    /// The document `name` of the current archive version: kept, or built by `build` (`None`:
    /// there is no such document).
    async fn get<F, Fut>(
        &self,
        state: &AppState,
        name: &str,
        keep: Keep,
        build: F,
    ) -> Result<Option<Arc<PreparedDoc>>, AppError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Option<Arc<String>>, AppError>>,
    {
        let version = archive::current_version(state).await?;
        if let Some(d) = self.ready(name, version) {
            return Ok(Some(d));
        }
        let _one = self.0.building.lock().await;
        if let Some(d) = self.ready(name, version) {
            return Ok(Some(d));
        }
        let Some(doc) = build().await? else { return Ok(None) };
        // Hashing and compressing 5 MB takes tens of milliseconds: off the request threads.
        let prepared =
            tokio::task::spawn_blocking(move || Arc::new(PreparedDoc::new(version, doc, keep))).await.map_err(|e| {
                tracing::error!("preparing {name}: {e}");
                AppError::Internal
            })?;
        if let Ok(mut m) = self.0.ready.lock() {
            m.retain(|_, d| d.version >= version);
            m.insert(name.to_string(), prepared.clone());
        }
        Ok(Some(prepared))
    }
}

/// A gzip body sent decompressed, 64 KB at a time, for a client that does not take gzip.
fn gunzip_stream(z: bytes::Bytes) -> Body {
    use std::io::Read;
    let decoder = flate2::read::GzDecoder::new(std::io::Cursor::new(z));
    Body::from_stream(futures_util::stream::unfold(Some(decoder), |decoder| async move {
        let mut decoder = decoder?;
        let mut buf = vec![0u8; 64 * 1024];
        let mut filled = 0;
        while filled < buf.len() {
            match decoder.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(k) => filled += k,
                Err(e) => return Some((Err(e), None)),
            }
        }
        if filled == 0 {
            return None;
        }
        buf.truncate(filled);
        Some((Ok(bytes::Bytes::from(buf)), Some(decoder)))
    }))
}

/// An XML document with an ETag (304 when unchanged) that caches must revalidate, gzip when
/// the client takes it.
fn xml(req_headers: &HeaderMap, content_type: &'static str, doc: &PreparedDoc) -> Response {
    let not_modified = req_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .zip(doc.etag.to_str().ok())
        .is_some_and(|(v, etag)| v.split(',').any(|t| t.trim() == etag));
    let mut res = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        match (&doc.gzip, &doc.plain, accepts_gzip(req_headers)) {
            (Some(z), _, true) => {
                ([(header::CONTENT_TYPE, content_type), (header::CONTENT_ENCODING, "gzip")], z.clone()).into_response()
            }
            (_, Some(text), _) => ([(header::CONTENT_TYPE, content_type)], text.clone()).into_response(),
            (Some(z), None, false) => {
                ([(header::CONTENT_TYPE, content_type)], gunzip_stream(z.clone())).into_response()
            }
            (None, None, _) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    };
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    h.insert(header::ETAG, doc.etag.clone());
    res
}

const XML: &str = "application/xml; charset=utf-8";

/// A machine document's answer: the document, 404 when there is none, or the failure.
fn doc_response(
    headers: &HeaderMap,
    content_type: &'static str,
    doc: Result<Option<Arc<PreparedDoc>>, AppError>,
) -> Response {
    match doc {
        Ok(Some(doc)) => xml(headers, content_type, &doc),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => doc_failure(&e),
    }
}

async fn sitemap(State(state): State<AppState>, State(docs): State<Docs>, headers: HeaderMap) -> Response {
    let doc = docs
        .get(&state, "sitemap-index", Keep::TextAndGzip, || async { archive::sitemap_index(&state).await.map(Some) });
    doc_response(&headers, XML, doc.await)
}

/// `/sitemaps/{n}.xml`
async fn sitemap_file(
    State(state): State<AppState>,
    State(docs): State<Docs>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let Some(n) = file.strip_suffix(".xml").and_then(|n| n.parse::<u64>().ok()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let name = format!("sitemap-{n}");
    let doc = docs.get(&state, &name, Keep::GzipOnly, || archive::sitemap_file(&state, n)).await;
    doc_response(&headers, XML, doc)
}

async fn feed(State(state): State<AppState>, State(docs): State<Docs>, headers: HeaderMap) -> Response {
    let doc = docs.get(&state, "feed", Keep::TextAndGzip, || async { archive::feed(&state).await.map(Some) });
    doc_response(&headers, "application/atom+xml; charset=utf-8", doc.await)
}

async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /organise\nDisallow: /admin\nDisallow: /review\nDisallow: /nominations\nDisallow: /consent\nDisallow: /invite\nSitemap: {}/sitemap.xml\n",
        state.config.public_url
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

// Page cache -----------------------------------------------------------------------------------

struct Cached {
    version: i64,
    /// For pages that show events: the forum's counter, and when it was rendered (an event's
    /// registration opens, closes and ends with time, not only with changes).
    forum: Option<(i64, std::time::Instant)>,
    status: StatusCode,
    /// Every header of the rendered response (security headers included), with the CSP, ETag,
    /// Cache-Control and Vary of a cached page.
    headers: HeaderMap,
    body: bytes::Bytes,
    /// The body gzip-compressed quickly when it was rendered (most renders of a one-off search
    /// are never asked for again, so they are not worth a slow compression).
    gzip_fast: Option<bytes::Bytes>,
    /// The body compressed well, made once the page is asked for a second time.
    gzip_best: std::sync::OnceLock<Option<bytes::Bytes>>,
}

impl Cached {
    /// The gzip body for a hit: compressed well once the page proved popular.
    fn gzip_for_hit(&self) -> Option<&bytes::Bytes> {
        self.gzip_best
            .get_or_init(|| gzip(&self.body, flate2::Compression::default()))
            .as_ref()
            .or(self.gzip_fast.as_ref())
    }
}

/// Rendered archive pages for visitors without a session, per language, by path and query
/// (looked up by `&str`, so a hit allocates nothing). Bounded by bytes, not entries, with
/// TinyLFU admission: a flood of one-off searches does not push out the pages people read.
#[derive(Clone)]
pub struct PageCache {
    by_locale: Arc<[moka::sync::Cache<String, Arc<Cached>>; 2]>,
    lane: Option<SlowLane>,
    /// Pages being rendered now, by language and address: a crowd asking for one page the
    /// cache does not hold waits for one render of it instead of rendering it once each (500
    /// connections opening on an uncached page held 40 MB of renders at once).
    rendering: Flights,
}

type InFlight = tokio::sync::watch::Receiver<Option<Arc<Cached>>>;

/// Renders under way, by language and address.
type Flights = Arc<std::sync::Mutex<HashMap<(usize, String), InFlight>>>;

/// The one render of a page others wait for; leaves the table however it ends. Waiters whose
/// leader ended without a page (not kept, or its asker gone) render the page themselves.
struct Leader {
    table: Flights,
    key: (usize, String),
    page: tokio::sync::watch::Sender<Option<Arc<Cached>>>,
}

impl Drop for Leader {
    fn drop(&mut self) {
        if let Ok(mut t) = self.table.lock() {
            t.remove(&self.key);
        }
    }
}

enum Flight {
    Lead(Leader),
    Follow(InFlight),
}

/// Where renders of anonymous searches run when no cached page answers them — the requests a
/// crowd can vary without end, and the costliest to render: a runtime of their own whose
/// threads the OS schedules behind the ones serving everything else (nice 10), so a flood of
/// one-off searches slows those searches, not the pages people are reading. At most `running`
/// render at once (each may hold a database connection while it works); past `room` in all, a
/// search is answered with the busy page (503 with `Retry-After`) rather than queued without end.
#[derive(Clone)]
pub struct SlowLane {
    handle: tokio::runtime::Handle,
    running: Arc<tokio::sync::Semaphore>,
    on_lane: Arc<std::sync::atomic::AtomicUsize>,
    room: usize,
}

impl SlowLane {
    /// Searches that may be on the lane (rendering or waiting) in a server.
    pub const ROOM: usize = 256;

    /// A lane on `handle` (a runtime made with [`SlowLane::runtime`]) rendering `running` at
    /// once, with `room` searches on it at most.
    pub fn new(handle: tokio::runtime::Handle, running: usize, room: usize) -> SlowLane {
        SlowLane {
            handle,
            running: Arc::new(tokio::sync::Semaphore::new(running.max(1))),
            on_lane: Arc::new(std::sync::atomic::AtomicUsize::new(0)),
            room,
        }
    }

    /// The lane's runtime: `threads` workers that lower their own priority as they start.
    pub fn runtime(threads: usize) -> std::io::Result<LaneRuntime> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .max_blocking_threads(threads.max(1))
            .thread_name("slow-lane")
            .on_thread_start(lower_priority)
            .enable_all()
            .build()
            .map(|rt| LaneRuntime(Some(rt)))
    }

    /// Runs `work` on the lane, or says the lane is full.
    async fn run<F>(&self, work: F) -> Option<Response>
    where
        F: std::future::Future<Output = Response> + Send + 'static,
    {
        use std::sync::atomic::Ordering::Relaxed;
        if self.on_lane.fetch_add(1, Relaxed) >= self.room {
            self.on_lane.fetch_sub(1, Relaxed);
            return None;
        }
        // Leaves the count however the render ends (finished, panicked, or the runtime stopped).
        struct OnLane(Arc<std::sync::atomic::AtomicUsize>);
        impl Drop for OnLane {
            fn drop(&mut self) {
                self.0.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        let on_lane = OnLane(self.on_lane.clone());
        let running = self.running.clone();
        // A search whose asker has gone (the request dropped) stops and leaves the lane: a crowd
        // sending searches and hanging up at once cannot keep the lane full.
        struct AbortOnDrop(tokio::task::JoinHandle<Response>);
        impl Drop for AbortOnDrop {
            fn drop(&mut self) {
                self.0.abort();
            }
        }
        let mut task = AbortOnDrop(self.handle.spawn(async move {
            let _on_lane = on_lane;
            let _permit = running.acquire_owned().await;
            work.await
        }));
        Some((&mut task.0).await.unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()))
    }
}

/// The slow lane's runtime, stopped without waiting when dropped (a runtime may not be dropped
/// the ordinary way inside another one, as at the end of serving or of a test).
pub struct LaneRuntime(Option<tokio::runtime::Runtime>);

impl LaneRuntime {
    pub fn handle(&self) -> Option<tokio::runtime::Handle> {
        self.0.as_ref().map(|rt| rt.handle().clone())
    }
}

impl Drop for LaneRuntime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

/// The calling thread yields to the others when the machine is busy (Linux: nice is per thread).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    if let Err(e) = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 10) {
        tracing::warn!(error = %e, "slow lane: could not lower the thread's priority");
    }
}

/// What a cached page costs: its bodies, its key and (roughly) its headers.
#[allow(clippy::ptr_arg)] // moka's weigher is called with `&K` = `&String`
fn weight(key: &String, c: &Arc<Cached>) -> u32 {
    // Both gzip bodies are kept once a page is hit; the well-compressed one is no larger than
    // the fast one, so counting the fast one twice bounds what the entry will hold.
    let bytes = key.len() + c.body.len() + 2 * c.gzip_fast.as_ref().map_or(0, |z| z.len()) + 1024;
    u32::try_from(bytes).unwrap_or(u32::MAX)
}

impl PageCache {
    /// A cache of at most `bytes` (shared by the two languages).
    pub fn with_capacity(bytes: u64) -> PageCache {
        let build = || moka::sync::Cache::builder().max_capacity(bytes / 2).weigher(weight).build();
        PageCache { by_locale: Arc::new([build(), build()]), lane: None, rendering: Arc::default() }
    }

    /// Renders `key` (as leader) or waits for the render already under way.
    fn flight(&self, locale: Locale, key: &str) -> Option<Flight> {
        let mut table = self.rendering.lock().ok()?;
        let k = (locale as usize, key.to_string());
        if let Some(rx) = table.get(&k) {
            return Some(Flight::Follow(rx.clone()));
        }
        let (page, rx) = tokio::sync::watch::channel(None);
        table.insert(k.clone(), rx);
        Some(Flight::Lead(Leader { table: self.rendering.clone(), key: k, page }))
    }

    /// Renders anonymous searches the cache cannot answer on `lane`.
    pub fn with_lane(mut self, lane: SlowLane) -> PageCache {
        self.lane = Some(lane);
        self
    }

    fn slot(&self, locale: Locale) -> &moka::sync::Cache<String, Arc<Cached>> {
        &self.by_locale[match locale {
            Locale::Ja => 0,
            Locale::En => 1,
        }]
    }

    /// Bytes and entries held now (for metrics).
    pub fn usage(&self) -> (u64, u64) {
        self.by_locale.iter().fold((0, 0), |(b, n), c| (b + c.weighted_size(), n + c.entry_count()))
    }
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache::with_capacity(16 * 1024 * 1024)
    }
}

/// `/archive?q=…` whose query is not in canonical form (a word repeated, stray spaces): the
/// canonical address, so every spelling of one search shares one cached page.
fn canonical_archive_url(path: &str, query: Option<&str>) -> Option<String> {
    if path != "/archive" {
        return None;
    }
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query?.as_bytes()).into_owned().collect();
    let q = pairs.iter().find(|(k, _)| k == "q")?.1.clone();
    let canonical = app::domain::search::canonical_query(&q);
    if canonical == q {
        return None;
    }
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        if k == "q" {
            if !canonical.is_empty() {
                out.append_pair("q", &canonical);
            }
        } else {
            out.append_pair(k, v);
        }
    }
    let query = out.finish();
    Some(if query.is_empty() { "/archive".to_string() } else { format!("/archive?{query}") })
}

/// The query parameters the archive page reads.
const ARCHIVE_PARAMS: [&str; 9] = ["q", "category", "edition", "region", "industry", "size", "tag", "badge", "page"];

/// May a rendered page for this address be kept? Only addresses a page or link of the site
/// makes: for `/archive`, known parameters each at most once; for other pages, no query at
/// all. Anything else (`?zz=<random>` on a popular page) is answered, but not stored, so made-up
/// parameters cannot multiply one page in the cache. (The JSON API refuses unknown parameters.)
fn storable_address(path: &str, query: Option<&str>) -> bool {
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return true;
    };
    if path.starts_with("/api/v1/") {
        return true;
    }
    if path != "/archive" {
        return false;
    }
    let mut seen: Vec<String> = vec![];
    for (k, _) in url::form_urlencoded::parse(query.as_bytes()) {
        if !ARCHIVE_PARAMS.contains(&k.as_ref()) || seen.iter().any(|s| *s == k) {
            return false;
        }
        seen.push(k.into_owned());
    }
    true
}

fn cacheable_path(path: &str) -> bool {
    path == "/"
        || path == "/archive"
        || path.starts_with("/practices/")
        || path.starts_with("/api/v1/practices")
        || is_event_page(path)
}

/// `/events` and `/events/<slug>`: not the form (it reads the person's own cookie), nor the
/// registrant's link page, nor the confirmation.
fn is_event_page(path: &str) -> bool {
    match path.strip_prefix("/events") {
        Some("") => true,
        Some(rest) => {
            let slug = rest.strip_prefix('/').unwrap_or("");
            !slug.is_empty() && !slug.contains('/') && slug != "registered"
        }
        None => false,
    }
}

/// How long a page showing events is kept at most, whatever changes.
const EVENT_PAGE_SECONDS: u64 = 30;

fn shows_events(path: &str) -> bool {
    path == "/" || is_event_page(path)
}

/// The nonce the rendered page's own policy names (the application marks each script it
/// emits with it; text from the database cannot know it, it is new on every render).
fn rendered_nonce(csp: Option<&HeaderValue>) -> Option<String> {
    let csp = csp?.to_str().ok()?;
    let rest = csp.split("'nonce-").nth(1)?;
    Some(rest.split('\'').next()?.to_string())
}

/// The policy a cached page is served with (a cached page cannot reuse a nonce): the hashes of
/// the inline scripts the application itself emitted — those bearing this render's nonce —
/// and of nothing else, so a script that reached the page from stored text is not allowed.
fn hashed_csp(html: &str, nonce: Option<&str>) -> HeaderValue {
    let mut hashes = vec![];
    let mut rest = html;
    let marker = nonce.map(|n| format!("nonce=\"{n}\""));
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else { break };
        let tag = &after[..tag_end];
        let Some(close) = after.find("</script>") else { break };
        let own = marker.as_deref().is_some_and(|m| tag.contains(m));
        if own && !tag.contains("src=") {
            let content = &after[tag_end + 1..close];
            let hash = format!("'sha256-{}'", STANDARD.encode(Sha256::digest(content.as_bytes())));
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        rest = &after[close + 9..];
    }
    let csp = format!(
        "default-src 'self'; script-src 'self' {} 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        hashes.join(" ")
    );
    HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"))
}

/// Outermost but for tracing: a hit is answered before compression, sessions and the other
/// layers run (they ran when the page was rendered, and their headers are kept with it).
pub async fn page_cache(State((state, cache)): State<(AppState, PageCache)>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let cookies = req.headers().get(header::COOKIE).and_then(|v| v.to_str().ok());
    let signed_in = cookies.and_then(|c| cookie_value(c, SESSION_COOKIE)).is_some_and(|v| !v.is_empty());
    if !matches!(*req.method(), Method::GET | Method::HEAD)
        || signed_in
        || !cacheable_path(path)
        || req.uri().query().is_some_and(|q| q.contains("__err"))
    {
        return next.run(req).await;
    }
    if let Some(to) = canonical_archive_url(path, req.uri().query()) {
        return (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, to)]).into_response();
    }
    let metrics = app::server::metrics::global();
    let accept = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let locale = Locale::negotiate(cookies, accept);
    let key = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or(path);
    let gzip_ok = accepts_gzip(req.headers());
    let version = match archive::current_version(&state).await {
        Ok(v) => v,
        Err(_) => return next.run(req).await,
    };
    let forum = if shows_events(path) {
        match archive::current_forum_version(&state).await {
            Ok(v) => Some(v),
            Err(_) => return next.run(req).await,
        }
    } else {
        None
    };
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let hit = cache.slot(locale).get(key).filter(|c| {
        c.version == version
            && match (forum, c.forum) {
                (None, _) => true,
                (Some(v), Some((cv, at))) => v == cv && at.elapsed().as_secs() < EVENT_PAGE_SECONDS,
                (Some(_), None) => false,
            }
    });
    if let Some(c) = hit {
        metrics.page_cache_hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let gzip = if gzip_ok { c.gzip_for_hit() } else { None };
        return respond(&c, if_none_match.as_ref(), gzip);
    }
    let storable = storable_address(path, req.uri().query());
    let mut leader = None;
    if storable {
        match cache.flight(locale, key) {
            Some(Flight::Follow(mut rx)) => {
                if let Ok(page) = rx.wait_for(Option::is_some).await {
                    if let Some(c) = page.clone() {
                        metrics.page_cache_hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        return respond(&c, if_none_match.as_ref(), if gzip_ok { c.gzip_fast.as_ref() } else { None });
                    }
                }
            }
            Some(Flight::Lead(l)) => leader = Some(l),
            None => {}
        }
    }
    metrics.page_cache_misses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let miss = Miss { leader, storable, key: key.to_string(), locale, version, forum, gzip_ok, if_none_match };
    // A search (the archive with a query or a filter) is rendered on the slow lane.
    let lane = cache.lane.clone().filter(|_| path == "/archive" && req.uri().query().is_some_and(|q| !q.is_empty()));
    match lane {
        Some(lane) => lane.run(miss.render(cache, req, next)).await.unwrap_or_else(|| {
            metrics.slow_lane_refused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            crate::routes::busy_response(true, true)
        }),
        None => miss.render(cache, req, next).await,
    }
}

/// A page the cache could not answer: what is needed to render, keep and answer it.
struct Miss {
    leader: Option<Leader>,
    storable: bool,
    key: String,
    locale: Locale,
    version: i64,
    forum: Option<i64>,
    gzip_ok: bool,
    if_none_match: Option<HeaderValue>,
}

impl Miss {
    /// Renders the page, keeps it if it may be kept, and answers with it.
    async fn render(self, cache: PageCache, mut req: Request, next: Next) -> Response {
        let Miss { leader, storable, key, locale, version, forum, gzip_ok, if_none_match } = self;
        let metrics = app::server::metrics::global();
        // Rendered uncompressed: the cache keeps one plain body and compresses it itself.
        req.headers_mut().remove(header::ACCEPT_ENCODING);
        let res = next.run(req).await;
        let status = res.status();
        let content_type = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let html = content_type.starts_with("text/html");
        // The JSON API keeps its own ETag, Cache-Control and CORS headers.
        let json = content_type.starts_with("application/json") && status == StatusCode::OK;
        if !(json
            || html && (status == StatusCode::OK || status == StatusCode::GONE || status == StatusCode::NOT_FOUND))
            || res.headers().contains_key(header::SET_COOKIE)
            || res.headers().contains_key(header::CONTENT_ENCODING)
        {
            return res;
        }
        let (parts, body) = res.into_parts();
        let Ok(bytes) = to_bytes(body, 4 * 1024 * 1024).await else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let mut headers = parts.headers;
        headers.remove(header::CONTENT_LENGTH);
        // A search that found nothing is answered but not kept: it is the cheapest page to render
        // and the most varied to ask for.
        let empty_search = headers.remove("x-archive-total").is_some_and(|v| v == "0") && key.contains("q=");
        if html {
            let nonce = rendered_nonce(headers.get(header::CONTENT_SECURITY_POLICY));
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                hashed_csp(&String::from_utf8_lossy(&bytes), nonce.as_deref()),
            );
            headers.insert(
                header::ETAG,
                HeaderValue::from_str(&format!("W/\"{}\"", hex::encode(&Sha256::digest(&bytes)[..12])))
                    .unwrap_or(HeaderValue::from_static("W/\"0\"")),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache"));
            headers.insert(header::VARY, HeaderValue::from_static("Cookie, Accept-Language, Accept-Encoding"));
        } else {
            headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        }
        let gzip_fast = gzip(&bytes, flate2::Compression::fast());
        let forum = forum.map(|v| (v, std::time::Instant::now()));
        let gzip_best = std::sync::OnceLock::new();
        let entry = Arc::new(Cached { version, forum, status, headers, body: bytes, gzip_fast, gzip_best });
        if empty_search || !storable {
            metrics.page_cache_skipped.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        } else {
            cache.slot(locale).insert(key, entry.clone());
        }
        if let Some(l) = leader {
            l.page.send_replace(Some(entry.clone()));
        }
        respond(&entry, if_none_match.as_ref(), if gzip_ok { entry.gzip_fast.as_ref() } else { None })
    }
}

fn gzip(body: &[u8], level: flate2::Compression) -> Option<bytes::Bytes> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 3), level);
    enc.write_all(body).ok()?;
    // Exactly as long as the compressed body: the cache weighs what it holds by length.
    enc.finish().ok().map(|mut z| {
        z.shrink_to_fit();
        bytes::Bytes::from(z)
    })
}

/// Does the client take gzip (`Accept-Encoding: gzip` or `*`, not with q=0)?
fn accepts_gzip(h: &HeaderMap) -> bool {
    h.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|part| {
        let mut it = part.split(';');
        let name = it.next().unwrap_or("").trim();
        let refused = it.any(|p| {
            let p = p.trim();
            p.strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
        });
        (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
    })
}

/// The cached page, as `gzip` (for a client that takes it) or plain.
fn respond(c: &Cached, if_none_match: Option<&HeaderValue>, gzip: Option<&bytes::Bytes>) -> Response {
    let etag = c.headers.get(header::ETAG);
    let not_modified = if_none_match.is_some_and(|v| Some(v) == etag);
    let mut res = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        match gzip {
            Some(z) => (c.status, Body::from(z.clone())).into_response(),
            None => (c.status, Body::from(c.body.clone())).into_response(),
        }
    };
    *res.headers_mut() = c.headers.clone();
    if !not_modified && gzip.is_some() {
        res.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_addresses_the_site_makes_are_stored() {
        assert!(storable_address("/", None));
        assert!(storable_address("/archive", Some("q=%E9%9B%A3%E7%97%85&category=corporate&page=2")));
        assert!(storable_address("/archive", Some("q=a+b")));
        assert!(storable_address("/api/v1/practices", Some("q=a&per_page=5")));
        assert!(!storable_address("/archive", Some("q=a&zz=1")));
        assert!(!storable_address("/archive", Some("q=a&q=b")));
        assert!(!storable_address("/", Some("zz=1")));
        assert!(!storable_address("/practices/12-corporate-saitama", Some("x")));
    }

    #[test]
    fn gzip_is_offered_only_where_accepted() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
            accepts_gzip(&h)
        };
        assert!(with("gzip, deflate, br, zstd"));
        assert!(with("br;q=1.0, gzip;q=0.8"));
        assert!(with("*"));
        assert!(!with("br"));
        assert!(!with("gzip;q=0, br"));
        assert!(!accepts_gzip(&HeaderMap::new()));
        let z = gzip("難病とともに働く".repeat(100).as_bytes(), flate2::Compression::fast()).unwrap();
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&z[..]), &mut out).unwrap();
        assert_eq!(out, "難病とともに働く".repeat(100));
    }
}
