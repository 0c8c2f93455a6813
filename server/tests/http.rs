//! HTTP behaviour through the real router: status codes, security headers, the same-origin
//! rule, body limits, the 404 page, sessions and forms without JavaScript.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::api::auth::SignIn;
use app::domain::account::Role;
use app::server::{config::MailTransport, service::accounts, AppState, Config, Db};
use axum::{
    body::{to_bytes, Body},
    http::{header, Request, StatusCode},
    Router,
};
use leptos::server_fn::ServerFn;
use tower::ServiceExt;

const ORIGIN: &str = "http://127.0.0.1:3000";

async fn setup() -> (Router, AppState) {
    setup_with(|db, _| db).await
}

/// `setup` with the database and configuration adjusted first.
async fn setup_with(adjust: impl FnOnce(Db, &mut Config) -> Db) -> (Router, AppState) {
    let dir = std::env::temp_dir().join("gp-http-tests").join(format!(
        "{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite3").display());
    let db = Db::connect(&url, 4).await.unwrap();
    db.migrate().await.unwrap();
    let mut config = Config::from_lookup(|k| (k == "DATABASE_URL").then(|| url.clone())).unwrap();
    config.mail = MailTransport::Dir(dir.join("mail"));
    config.upload_dir = dir.join("uploads");
    let db = adjust(db, &mut config);
    let state = AppState::new(db, config).await.unwrap();
    let router = server::router(state.clone(), server::leptos_options("127.0.0.1:3000".parse().unwrap()));
    (router, state)
}

async fn body_text(res: axum::response::Response) -> String {
    String::from_utf8(to_bytes(res.into_body(), 4 * 1024 * 1024).await.unwrap().to_vec()).unwrap()
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).header(header::HOST, "127.0.0.1:3000").body(Body::empty()).unwrap()
}

fn form_post(path: &str, body: &str) -> http::request::Builder {
    let _ = body;
    Request::post(path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
}

#[tokio::test]
async fn health_answers_ok_when_the_database_does() {
    let (app, _) = setup().await;
    let res = app.oneshot(get("/healthz")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(body_text(res).await, "ok");
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let (app, _) = setup().await;
    let res = app.clone().oneshot(get("/sign-in")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    let csp = h.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert_eq!(h.get(header::REFERRER_POLICY).unwrap(), "strict-origin-when-cross-origin");
    assert_eq!(h.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    let html = body_text(res).await;
    // Every inline script carries the nonce of this response.
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    for script in html.split("<script").skip(1) {
        let tag = script.split('>').next().unwrap();
        if !tag.contains("src=") {
            assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "inline script without nonce: <script{tag}>");
        }
    }
    // Cached public pages use hashes instead: the policy names exactly the application's own
    // inline scripts (those the render marked with its nonce) — never one from stored text
    // (server/tests/hostile.rs injects such text and proves it is refused).
    let _ = app.clone().oneshot(get("/")).await.unwrap();
    let res = app.oneshot(get("/")).await.unwrap();
    let csp = res.headers().get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().to_string();
    assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{csp}");
    let html = body_text(res).await;
    use base64::Engine;
    use sha2::Digest;
    for script in html.split("<script").skip(1) {
        let (tag, rest) = script.split_once('>').unwrap();
        if !tag.contains("src=") {
            let content = rest.split("</script>").next().unwrap();
            let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(content.as_bytes()));
            assert!(tag.contains("nonce="), "an inline script the application did not mark: <script{tag}>");
            assert!(csp.contains(&hash) && !csp.contains("'nonce-"), "inline script not allowed by the cached policy");
        }
    }
}

#[tokio::test]
async fn public_pages_hold_no_island_and_load_no_wasm() {
    let (app, _) = setup().await;
    for path in ["/", "/archive", "/archive?q=%E5%B0%B1%E5%8A%B4", "/events", "/sign-in", "/dialogue-rules"] {
        let res = app.clone().oneshot(get(path)).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let html = body_text(res).await;
        assert!(!html.contains("<leptos-island"), "{path} holds an island");
        assert!(!html.contains("modulepreload") && !html.contains("rel=\"preload\""), "{path} preloads the bundle");
        // The one inline script imports the bundle only where an island is.
        assert!(html.contains("if (!document.querySelector(\"leptos-island\")) return;"), "{path}: no island loader");
        // No hydration data: resources outside islands are not serialised (Leptos still writes
        // its empty bootstrap arrays), and the loader is the one module script.
        assert!(!html.contains("__RESOLVED_RESOURCES["), "{path} serialises resources");
        assert_eq!(html.matches("<script type=\"module\"").count(), 1, "{path}");
    }
}

#[tokio::test]
async fn a_refused_plain_form_comes_back_with_its_newest_error_only() {
    let (app, _) = setup().await;
    let body = "email=nobody%40example.jp&password=wrong-password";
    let res = app
        .oneshot(
            form_post(SignIn::PATH, body)
                .header(header::ORIGIN, ORIGIN)
                .header(header::ACCEPT, "text/html")
                .header(
                    header::REFERER,
                    format!("{ORIGIN}/sign-in?next=%2Freview&__path=%2Fapi%2Fsign_in&__err=OLDERROR"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let to = res.headers().get(header::LOCATION).unwrap().to_str().unwrap().to_string();
    assert!(to.starts_with(&format!("{ORIGIN}/sign-in?next=%2Freview")), "{to}");
    assert_eq!(to.matches("__err=").count(), 1, "{to}");
    assert!(!to.contains("OLDERROR"), "{to}");
}

#[tokio::test]
async fn a_missing_bundle_file_is_not_cached() {
    let (app, _) = setup().await;
    let res = app.oneshot(get("/pkg/gp.AAAAAAAAAAAAAAAAAAAAAA.wasm")).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let cache = res.headers().get(header::CACHE_CONTROL).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    assert!(!cache.contains("immutable"), "{cache}");
}

#[tokio::test]
async fn json_and_error_responses_get_a_strict_default_policy() {
    let (app, _) = setup().await;
    let res = app.oneshot(get("/healthz")).await.unwrap();
    assert!(res
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
}

#[tokio::test]
async fn the_page_language_follows_the_cookie_then_the_browser() {
    let (app, _) = setup().await;
    let html = |req| {
        let app = app.clone();
        async move { body_text(app.oneshot(req).await.unwrap()).await }
    };
    let ja = html(get("/")).await;
    assert!(ja.contains("<html lang=\"ja\""));
    assert!(ja.contains("実践アーカイブ"));
    let en =
        html(Request::get("/").header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9").body(Body::empty()).unwrap()).await;
    assert!(en.contains("<html lang=\"en\""));
    assert!(en.contains("Archive"));
    let chosen = html(
        Request::get("/")
            .header(header::ACCEPT_LANGUAGE, "en")
            .header(header::COOKIE, "gp_lang=ja")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(chosen.contains("<html lang=\"ja\""));
}

#[tokio::test]
async fn unknown_paths_answer_404_with_a_real_page() {
    let (app, _) = setup().await;
    let res = app.oneshot(get("/no/such/page")).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = body_text(res).await;
    assert!(html.contains("ページが見つかりません"), "{html}");
    assert!(html.contains("href=\"/\""));
}

#[tokio::test]
async fn cross_site_state_changes_are_refused_before_routing() {
    let (app, _) = setup().await;
    let path = SignIn::PATH;
    let body = "email=a%40example.jp&password=x";
    let cases: Vec<(Option<&str>, Option<&str>)> = vec![
        (Some("https://evil.example"), None),
        (Some("null"), None),
        (Some(ORIGIN), Some("cross-site")),
        (None, None),
        (None, Some("cross-site")),
    ];
    for (origin, fetch_site) in cases {
        let mut req = form_post(path, body);
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        if let Some(f) = fetch_site {
            req = req.header("sec-fetch-site", f);
        }
        let res = app.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "origin {origin:?}, sec-fetch-site {fetch_site:?}");
    }
    // Also for paths that do not exist: the refusal comes before routing.
    let res = app
        .clone()
        .oneshot(
            Request::delete("/anything").header(header::ORIGIN, "https://evil.example").body(Body::empty()).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // The same request from the site itself reaches the server function.
    let res = app
        .oneshot(form_post(path, body).header(header::ORIGIN, ORIGIN).body(Body::from(body)).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let (app, _) = setup().await;
    let big = "x".repeat(server::BODY_LIMIT + 1);
    // As a browser sends it: with its length, refused before the body is read.
    let res = app
        .clone()
        .oneshot(
            form_post(SignIn::PATH, &big)
                .header(header::ORIGIN, ORIGIN)
                .header(header::CONTENT_LENGTH, big.len())
                .body(Body::from(big.clone()))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Streamed without a length, it is cut off when the limit is crossed and never succeeds.
    let res = app
        .oneshot(form_post(SignIn::PATH, &big).header(header::ORIGIN, ORIGIN).body(Body::from(big)).unwrap())
        .await
        .unwrap();
    assert!(!res.status().is_success(), "{}", res.status());
}

async fn sign_in_cookie(app: &Router, email: &str, password: &str) -> String {
    let body = format!("email={}&password={}", email.replace('@', "%40"), password);
    let res = app
        .clone()
        .oneshot(form_post(SignIn::PATH, &body).header(header::ORIGIN, ORIGIN).body(Body::from(body)).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let cookie = res.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
    cookie.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn signing_in_sets_an_http_only_lax_cookie_that_opens_the_account_page() {
    let (app, state) = setup().await;
    accounts::create_account(&state.db, "hanako@example.jp", "山田 花子", "yuragi-to-taiwa", Role::Nominator)
        .await
        .unwrap();
    let body = "email=hanako%40example.jp&password=yuragi-to-taiwa";
    let res = app
        .clone()
        .oneshot(form_post(SignIn::PATH, body).header(header::ORIGIN, ORIGIN).body(Body::from(body)).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let set_cookie = res.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
    assert!(set_cookie.starts_with("gp_session="));
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    assert!(!set_cookie.contains("Secure"), "plain http in tests");

    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let res = app
        .clone()
        .oneshot(Request::get("/account").header(header::COOKIE, &cookie).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = body_text(res).await;
    assert!(html.contains("山田 花子") && html.contains("hanako@example.jp"));

    let res = app.oneshot(get("/account")).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(body_text(res).await.contains("ログインしてください"));
}

/// Sessions slide: a person active a week after signing in gets the database expiry moved
/// forward and a renewed cookie with it, once a day; a fresh session sends no extra cookie.
#[tokio::test]
async fn an_active_session_renews_its_cookie_with_its_expiry() {
    let (app, state) = setup().await;
    accounts::create_account(&state.db, "slide@example.jp", "山田 花子", "yuragi-to-taiwa", Role::Nominator)
        .await
        .unwrap();
    let cookie = sign_in_cookie(&app, "slide@example.jp", "yuragi-to-taiwa").await;
    let open = |cookie: &str| Request::get("/account").header(header::COOKIE, cookie).body(Body::empty()).unwrap();
    let res = app.clone().oneshot(open(&cookie)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get(header::SET_COOKIE).is_none(), "signed in today: nothing to renew");
    // A week later (the session row says it ends in 7 days).
    let id = app::server::auth::token_hash(cookie.trim_start_matches("gp_session="));
    let week_left = chrono::Utc::now() + chrono::Duration::days(7);
    app::server::repo::sessions::extend(state.db.conn(), &id, week_left).await.unwrap();
    // A week later the process no longer remembers the session (it does for half a second).
    state.sessions.clear();
    let res = app.clone().oneshot(open(&cookie)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let renewed = res.headers().get(header::SET_COOKIE).expect("a renewed cookie").to_str().unwrap().to_string();
    assert!(renewed.starts_with(&format!("{cookie};")), "{renewed}");
    assert!(renewed.contains("HttpOnly") && renewed.contains(&format!("Max-Age={}", 14 * 24 * 3600)));
    let (session, _) =
        app::server::repo::sessions::find_live(state.db.conn(), &id, chrono::Utc::now()).await.unwrap().unwrap();
    assert!(session.expires_at > chrono::Utc::now() + chrono::Duration::days(13));
    // Renewed: the next request sends no cookie again.
    let res = app.clone().oneshot(open(&cookie)).await.unwrap();
    assert!(res.headers().get(header::SET_COOKIE).is_none());
    // Signing out clears the cookie; the renewal never puts it back.
    app::server::repo::sessions::extend(state.db.conn(), &id, week_left).await.unwrap();
    state.sessions.clear();
    let res = app
        .clone()
        .oneshot(
            form_post(app::api::auth::SignOut::PATH, "")
                .header(header::COOKIE, &cookie)
                .header(header::ORIGIN, ORIGIN)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let cookies: Vec<_> =
        res.headers().get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert!(cookies.iter().all(|c| !c.starts_with(&format!("{cookie};"))), "{cookies:?}");
}

#[tokio::test]
async fn pages_for_a_role_refuse_others() {
    let (app, state) = setup().await;
    accounts::create_account(&state.db, "n@example.jp", "N", "nominator-pass-1", Role::Nominator).await.unwrap();
    accounts::create_account(&state.db, "admin@example.jp", "A", "admin-password-1", Role::Admin).await.unwrap();
    let nominator = sign_in_cookie(&app, "n@example.jp", "nominator-pass-1").await;
    let admin = sign_in_cookie(&app, "admin@example.jp", "admin-password-1").await;
    let page = |cookie: String| {
        let app = app.clone();
        async move {
            app.oneshot(Request::get("/admin").header(header::COOKIE, cookie).body(Body::empty()).unwrap())
                .await
                .unwrap()
        }
    };
    assert_eq!(page(nominator).await.status(), StatusCode::FORBIDDEN);
    let res = page(admin).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body_text(res).await.contains("n@example.jp"));
}

#[tokio::test]
async fn forms_work_without_javascript() {
    let (app, state) = setup().await;
    accounts::create_account(&state.db, "taro@example.jp", "太郎", "yuragi-to-taiwa", Role::Nominator).await.unwrap();
    let post = |body: &'static str| {
        form_post(SignIn::PATH, body)
            .header(header::ORIGIN, ORIGIN)
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::REFERER, "http://127.0.0.1:3000/sign-in?next=%2Fadmin")
            .body(Body::from(body))
            .unwrap()
    };
    let ok = app.clone().oneshot(post("email=taro%40example.jp&password=yuragi-to-taiwa&next=%2Fadmin")).await.unwrap();
    assert!(ok.status().is_redirection());
    assert_eq!(ok.headers().get(header::LOCATION).unwrap(), "/admin");
    assert!(ok.headers().get(header::SET_COOKIE).is_some());

    let bad = app.clone().oneshot(post("email=taro%40example.jp&password=wrong&next=%2Fadmin")).await.unwrap();
    assert!(bad.status().is_redirection());
    let location = bad.headers().get(header::LOCATION).unwrap().to_str().unwrap().to_string();
    assert!(location.starts_with("http://127.0.0.1:3000/sign-in?") && location.contains("__err="), "{location}");
    // The page it lands on shows the error in words.
    let path = location.trim_start_matches("http://127.0.0.1:3000");
    let html = body_text(app.oneshot(get(path)).await.unwrap()).await;
    assert!(html.contains("メールアドレスまたはパスワードが正しくありません"), "{html}");
}

#[tokio::test]
async fn no_state_changing_server_function_answers_get() {
    let (app, _) = setup().await;
    for path in
        [SignIn::PATH, <app::api::auth::SignOut as ServerFn>::PATH, <app::api::admin::ChangeRole as ServerFn>::PATH]
    {
        let res = app.clone().oneshot(get(path)).await.unwrap();
        assert_ne!(res.status(), StatusCode::OK, "{path} answered GET");
    }
}

async fn nomination_with_cookie(app: &Router, state: &AppState) -> (i64, String) {
    use app::domain::edition::StageKind;
    let now = chrono::Utc::now();
    let tx = state.db.begin().await.unwrap();
    let e = app::server::repo::editions::insert(&*tx, "h", "回", "Ed", "conference", "2026", 2026, false, now)
        .await
        .unwrap();
    app::server::service::editions::add_default_categories(&*tx, e.id).await.unwrap();
    app::server::repo::editions::upsert_stage(
        &*tx,
        e.id,
        "nominations",
        0,
        1,
        Some(now - chrono::Duration::days(1)),
        Some(now + chrono::Duration::days(9)),
    )
    .await
    .unwrap();
    app::server::service::stages::set_current(&*tx, e.id, StageKind::Nominations, 0).await.unwrap();
    tx.commit().await.unwrap();
    let u =
        accounts::create_account(&state.db, "up@example.jp", "Up", "upload-password-1", Role::Nominator).await.unwrap();
    let id = app::server::service::nominations::start(
        state,
        Some(&accounts::to_viewer(&u)),
        app::domain::ids::EditionId(e.id),
        "support",
    )
    .await
    .unwrap();
    (id.0, sign_in_cookie(app, "up@example.jp", "upload-password-1").await)
}

fn multipart(file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----gpboundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n").into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn upload_request(id: i64, cookie: &str, content_type: &str, body: Vec<u8>) -> Request<Body> {
    Request::post(format!("/nominations/{id}/attachments"))
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn uploads_are_accepted_refused_by_type_and_kindly_refused_when_huge() {
    let (app, state) = setup().await;
    let (id, cookie) = nomination_with_cookie(&app, &state).await;

    let (ct, body) = multipart("報告書.pdf", b"%PDF-1.4\n%%EOF");
    let res = app.clone().oneshot(upload_request(id, &cookie, &ct, body)).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers().get(header::LOCATION).unwrap(), &format!("/nominations/{id}?uploaded=1#attachments"));

    let (ct, body) = multipart("report.pdf", b"MZ\x90\x00 renamed exe");
    let res = app.clone().oneshot(upload_request(id, &cookie, &ct, body)).await.unwrap();
    assert_eq!(
        res.headers().get(header::LOCATION).unwrap(),
        &format!("/nominations/{id}?upload_error=type#attachments")
    );

    let (ct, body) = multipart("huge.pdf", &vec![b'%'; 50 * 1024 * 1024]);
    let res = app.clone().oneshot(upload_request(id, &cookie, &ct, body)).await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body_text(res).await.contains("10MBまで"));

    // Without a session nothing is stored: a browser is sent to sign in, other clients get 401.
    let (ct, body) = multipart("a.pdf", b"%PDF-1.4");
    let mut req = upload_request(id, "gp_session=forged", &ct, body);
    req.headers_mut().insert(header::ACCEPT, "text/html,application/xhtml+xml".parse().unwrap());
    let res = app.clone().oneshot(req).await.unwrap();
    assert!(res.headers().get(header::LOCATION).unwrap().to_str().unwrap().starts_with("/sign-in"));
    let (ct, body) = multipart("a.pdf", b"%PDF-1.4");
    let res = app.clone().oneshot(upload_request(id, "gp_session=forged", &ct, body)).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    let rows = app::server::repo::attachments::list(state.db.conn(), id).await.unwrap();
    assert_eq!(rows.len(), 1);
    let download = |cookie: String| {
        let app = app.clone();
        let path = format!("/attachments/{}", rows[0].id);
        async move {
            app.oneshot(Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap()).await.unwrap()
        }
    };
    let res = download(cookie.clone()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get(header::CONTENT_TYPE).unwrap(), "application/pdf");
    assert!(res
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .unwrap()
        .to_str()
        .unwrap()
        .contains("filename*=UTF-8''%E5%A0%B1"));
    assert_eq!(download(String::new()).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_csv_export_is_for_organisers_only() {
    let (app, state) = setup().await;
    let (_, nominator) = nomination_with_cookie(&app, &state).await;
    accounts::create_account(&state.db, "org@example.jp", "Org", "organiser-pass-1", Role::Organiser).await.unwrap();
    let organiser = sign_in_cookie(&app, "org@example.jp", "organiser-pass-1").await;
    let edition = app::server::repo::editions::find_by_slug(state.db.conn(), "h").await.unwrap().unwrap().id;
    let get_csv = |cookie: String| {
        let app = app.clone();
        async move {
            app.oneshot(
                Request::get(format!("/organise/editions/{edition}/nominations.csv"))
                    .header(header::COOKIE, cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap()
        }
    };
    assert_eq!(get_csv(nominator).await.status(), StatusCode::FORBIDDEN);
    let res = get_csv(organiser).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get(header::CONTENT_TYPE).unwrap(), "text/csv; charset=utf-8");
    let bytes = to_bytes(res.into_body(), 1 << 20).await.unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
}

async fn with_records(state: &AppState, n: usize) {
    let records = app::server::service::demo::synthetic_records(n, 7);
    app::server::service::archive::import_records(state, records, false, 100, &mut |_, _| {}).await.unwrap();
}

#[tokio::test]
async fn the_public_api_answers_json_with_cors_and_etags() {
    let (app, state) = setup().await;
    with_records(&state, 30).await;
    let res = app.clone().oneshot(get("/api/v1/practices?category=corporate&per_page=5&page=1")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).unwrap(), "*");
    // Withdrawable data: caches revalidate every time (cheap with the ETag), never keep it.
    let cache_control = res.headers().get(header::CACHE_CONTROL).unwrap().to_str().unwrap().to_string();
    assert!(cache_control.contains("no-cache") && !cache_control.contains("max-age"), "{cache_control}");
    let etag = res.headers().get(header::ETAG).unwrap().clone();
    let v: serde_json::Value = serde_json::from_str(&body_text(res).await).unwrap();
    assert_eq!(v["per_page"], 5);
    assert!(v["total"].as_u64().unwrap() >= 1);
    let item = &v["items"][0];
    for key in ["id", "slug", "title", "summary", "category", "edition", "region", "badges", "url"] {
        assert!(item.get(key).is_some(), "{key} missing from {item}");
    }
    assert_eq!(item["category"], "corporate");
    // The same request with the ETag: 304.
    let res = app
        .clone()
        .oneshot(
            Request::get("/api/v1/practices?category=corporate&per_page=5&page=1")
                .header(header::IF_NONE_MATCH, etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    // One record with its sections.
    let id = item["id"].as_i64().unwrap();
    let res = app.clone().oneshot(get(&format!("/api/v1/practices/{id}"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let one: serde_json::Value = serde_json::from_str(&body_text(res).await).unwrap();
    assert!(one["sections"].as_array().unwrap().iter().any(|s| s["key"] == "practice"));
    // CORS preflight for GET.
    let res = app.clone().oneshot(Request::options("/api/v1/practices").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert!(res.headers().get(header::ACCESS_CONTROL_ALLOW_METHODS).unwrap().to_str().unwrap().contains("GET"));
}

#[tokio::test]
async fn the_public_api_names_the_bad_parameter() {
    let (app, state) = setup().await;
    with_records(&state, 3).await;
    for (query, parameter) in [
        ("colour=red", "colour"),
        ("category=sports", "category"),
        ("region=saitama-ken", "region"),
        ("badge=gold", "badge"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("per_page=1000", "per_page"),
        ("edition=no-such-edition", "edition"),
    ] {
        let res = app.clone().oneshot(get(&format!("/api/v1/practices?{query}"))).await.unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{query}");
        let v: serde_json::Value = serde_json::from_str(&body_text(res).await).unwrap();
        assert_eq!(v["error"]["parameter"], parameter, "{query}");
    }
    let res = app.clone().oneshot(get("/api/v1/practices/999999")).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app.oneshot(get("/api/v1/practices/abc")).await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn anonymous_archive_pages_are_cached_until_the_archive_changes() {
    let (app, state) = setup().await;
    with_records(&state, 5).await;
    let first = app.clone().oneshot(get("/archive")).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let body1 = body_text(first).await;
    assert!(body1.contains("data-testid=\"total\">5<"));
    let second = app.clone().oneshot(get("/archive")).await.unwrap();
    let csp = second.headers().get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().to_string();
    assert!(csp.contains("'sha256-") && !csp.contains("nonce"), "{csp}");
    assert_eq!(body_text(second).await, body1);
    // A change to the archive shows at once.
    with_records(&state, 2).await;
    let third = app.clone().oneshot(get("/archive")).await.unwrap();
    assert!(body_text(third).await.contains("data-testid=\"total\">7<"));
    // Sitemap and feed.
    let res = app.clone().oneshot(get("/sitemap.xml")).await.unwrap();
    assert!(res.headers().get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("application/xml"));
    assert!(res.headers().get(header::CACHE_CONTROL).unwrap().to_str().unwrap().contains("no-cache"));
    let index = body_text(res).await;
    assert!(index.contains("<sitemapindex") && index.contains("/sitemaps/1.xml"), "{index}");
    let res = app.clone().oneshot(get("/sitemaps/1.xml")).await.unwrap();
    let etag = res.headers().get(header::ETAG).unwrap().clone();
    // Kept compressed only: a client without gzip gets it decompressed as it is sent.
    let text = body_text(res).await;
    assert_eq!(text.matches("/practices/").count(), 7);
    assert!(text.starts_with("<?xml") && text.ends_with("</urlset>\n"), "{text}");
    let zipped = Request::get("/sitemaps/1.xml").header(header::ACCEPT_ENCODING, "gzip").body(Body::empty()).unwrap();
    let res = app.clone().oneshot(zipped).await.unwrap();
    assert_eq!(res.headers().get(header::CONTENT_ENCODING).unwrap(), "gzip");
    assert_eq!(res.headers().get(header::ETAG).unwrap(), &etag);
    let z = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    let mut unzipped = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&z[..]), &mut unzipped).unwrap();
    assert_eq!(unzipped, text);
    let again = Request::get("/sitemaps/1.xml").header(header::IF_NONE_MATCH, etag).body(Body::empty()).unwrap();
    assert_eq!(app.clone().oneshot(again).await.unwrap().status(), StatusCode::NOT_MODIFIED);
    assert_eq!(app.clone().oneshot(get("/sitemaps/2.xml")).await.unwrap().status(), StatusCode::NOT_FOUND);
    let res = app.oneshot(get("/feed.atom")).await.unwrap();
    assert!(res.headers().get(header::ETAG).is_some());
    assert_eq!(body_text(res).await.matches("<entry>").count(), 7);
}

#[tokio::test]
async fn sign_in_never_sends_the_browser_to_another_site() {
    let (app, state) = setup().await;
    accounts::create_account(&state.db, "taro@example.jp", "太郎", "yuragi-to-taiwa", Role::Nominator).await.unwrap();
    for (next, expected) in [
        ("%2F%09%2Fevil.example", "/account"),
        ("%2F%0A%2Fevil.example", "/account"),
        ("%2F%5Cevil.example", "/account"),
        ("%2F%2Fevil.example", "/account"),
        ("https%3A%2F%2Fevil.example", "/account"),
        ("%2Fnominate%3Fx%3D1", "/nominate?x=1"),
    ] {
        let body = format!("email=taro%40example.jp&password=yuragi-to-taiwa&next={next}");
        let req = form_post(SignIn::PATH, &body)
            .header(header::ORIGIN, ORIGIN)
            .header(header::ACCEPT, "text/html")
            .body(Body::from(body.clone()))
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        assert!(res.status().is_redirection(), "{next}: {}", res.status());
        assert_eq!(res.headers().get(header::LOCATION).unwrap(), expected, "{next}");
    }
}

/// Walks a published practice through named → anonymised → photos withdrawn → withdrawn and
/// checks every public surface after each step: page (with its OGP tags, anonymous and from the
/// page cache), the JSON API, search, facets, feed and sitemap.
#[tokio::test]
async fn every_public_surface_follows_each_narrowing_of_consent() {
    use app::domain::consent::ConsentScope;
    use app::server::{repo, service};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let (app, state) = setup().await;
    let org = accounts::to_viewer(
        &accounts::create_account(&state.db, "o@example.jp", "O", "organiser-pass-1", Role::Organiser).await.unwrap(),
    );
    let org2 = accounts::to_viewer(
        &accounts::create_account(&state.db, "o2@example.jp", "O2", "organiser-pass-2", Role::Organiser).await.unwrap(),
    );
    let (id, _) = nomination_with_cookie(&app, &state).await;
    let n = repo::nominations::find(state.db.conn(), id).await.unwrap().unwrap();
    let mut am: app::server::entities::nomination::ActiveModel = n.clone().into();
    am.title = Set("通院と両立する働き方".into());
    am.summary = Set("時差出勤と在宅勤務".into());
    am.nominee_name = Set("株式会社ゆらぎ".into());
    am.status = Set(app::domain::nomination::NominationStatus::parse("submitted").unwrap());
    am.outcome = Set(app::domain::nomination::Outcome::parse("certified").unwrap());
    am.sections_json = Set(r#"{"practice":{"source":"時差出勤","html":"<p>時差出勤</p>"}}"#.into());
    am.update(state.db.conn()).await.unwrap();
    let mut e: app::server::entities::edition::ActiveModel =
        repo::editions::find(state.db.conn(), n.edition_id).await.unwrap().unwrap().into();
    e.results_published_at = Set(Some(chrono::Utc::now()));
    e.update(state.db.conn()).await.unwrap();
    let nid = app::domain::ids::NominationId(id);
    service::consent::record_by_organiser(&state, Some(&org), nid, true, Some(ConsentScope::ArchiveNamed), true)
        .await
        .unwrap();
    let p = service::archive::prepare(&state, Some(&org), nid).await.unwrap();
    let fp = service::archive::edit_view(&state, Some(&org2), p).await.unwrap().fingerprint;
    service::archive::sign_off(&state, Some(&org2), p, &fp).await.unwrap();
    let slug = repo::archive::find(state.db.conn(), p).await.unwrap().unwrap().slug;
    let name = "株式会社ゆらぎ";

    let text = |path: String| {
        let app = app.clone();
        async move {
            let res = app.oneshot(get(&path)).await.unwrap();
            (res.status(), body_text(res).await)
        }
    };
    let json = |path: String| {
        let app = app.clone();
        async move {
            let res = app.oneshot(get(&path)).await.unwrap();
            let status = res.status();
            (status, serde_json::from_str::<serde_json::Value>(&body_text(res).await).unwrap_or_default())
        }
    };
    let q = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    // Named.
    let (status, page) = text(format!("/practices/{slug}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(name) && page.contains("og:title"));
    let (_, cached) = text(format!("/practices/{slug}")).await;
    assert!(cached.contains(name));
    assert_eq!(json(format!("/api/v1/practices/{p}")).await.1["nominee_name"], name);
    assert_eq!(json(format!("/api/v1/practices?q={}", q(name))).await.1["total"], 1);

    for step in ["anonymised", "photos withdrawn", "withdrawn"] {
        match step {
            "anonymised" => service::consent::record_by_organiser(
                &state,
                Some(&org),
                nid,
                true,
                Some(ConsentScope::ArchiveAnonymised),
                true,
            )
            .await
            .unwrap(),
            "photos withdrawn" => service::consent::record_by_organiser(
                &state,
                Some(&org),
                nid,
                true,
                Some(ConsentScope::ArchiveAnonymised),
                false,
            )
            .await
            .unwrap(),
            _ => service::consent::withdraw(&state, Some(&org), nid).await.unwrap(),
        }
        let gone = step == "withdrawn";
        // The page, twice (the second from the page cache), never names the person again.
        for _ in 0..2 {
            let (status, page) = text(format!("/practices/{slug}")).await;
            assert_eq!(status, if gone { StatusCode::GONE } else { StatusCode::OK }, "{step}");
            assert!(!page.contains(name), "{step}: the name is on the page");
            assert!(!page.contains("og:image"), "{step}");
            if !gone {
                assert!(page.contains("og:title") && page.contains("通院と両立する働き方"), "{step}");
            }
        }
        let (status, one) = json(format!("/api/v1/practices/{p}")).await;
        assert_eq!(status, if gone { StatusCode::GONE } else { StatusCode::OK }, "{step}");
        assert!(one.get("nominee_name").is_none_or(|v| v.is_null()), "{step}: {one}");
        assert!(!one.to_string().contains(name), "{step}");
        // Search by the name finds nothing; by the text, only while it is public.
        assert_eq!(json(format!("/api/v1/practices?q={}", q(name))).await.1["total"], 0, "{step}");
        let (_, by_text) = json(format!("/api/v1/practices?q={}", q("時差出勤"))).await;
        assert_eq!(by_text["total"], if gone { 0 } else { 1 }, "{step}");
        let (_, archive) = text(format!("/archive?q={}", q(name))).await;
        assert!(!archive.contains("通院と両立する働き方"), "{step}: the archive search shows it for the name");
        let (_, facets) = text("/archive".into()).await;
        assert_eq!(facets.contains("通院と両立する働き方"), !gone, "{step}: listing and facets");
        let (_, feed) = text("/feed.atom".into()).await;
        assert_eq!(feed.contains(&slug), !gone, "{step}: feed");
        assert!(!feed.contains(name), "{step}: feed");
        let (_, sitemap) = text("/sitemaps/1.xml".into()).await;
        assert_eq!(sitemap.contains(&slug), !gone, "{step}: sitemap");
        let row = repo::archive::find(state.db.conn(), p).await.unwrap().unwrap();
        if step == "photos withdrawn" {
            assert!(!row.photos, "photos withdrawn on the record");
        }
    }
}

#[tokio::test]
async fn a_busy_database_answers_503_with_a_kind_page_and_saves_nothing() {
    // Writers wait 200 ms for their turn here (10 s in service), then the request is "busy".
    let (app, state) = setup_with(|db, _| db.with_writer_wait(std::time::Duration::from_millis(200))).await;
    accounts::create_account(&state.db, "taro@example.jp", "太郎", "yuragi-to-taiwa", Role::Nominator).await.unwrap();
    let held = state.db.begin().await.unwrap();
    let post = |accept: &str| {
        form_post(SignIn::PATH, "")
            .header(header::ORIGIN, ORIGIN)
            .header(header::ACCEPT, accept)
            .body(Body::from("email=taro%40example.jp&password=wrong&next=%2F"))
            .unwrap()
    };
    // A browser without JavaScript: a page that says nothing was saved and to go back.
    let res = app.clone().oneshot(post("text/html,application/xhtml+xml")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers().get(header::RETRY_AFTER).unwrap(), "2");
    let csp = res.headers().get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap().to_string();
    assert!(csp.contains("style-src 'self'") && !csp.contains("script-src"), "{csp}");
    let html = body_text(res).await;
    assert!(html.contains("送信は保存されていません") && html.contains("Nothing was saved"), "{html}");
    // A script caller: the status and the header, never a 500.
    let res = app.clone().oneshot(post("application/json")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(res.headers().get(header::RETRY_AFTER).is_some());
    drop(held);
    // Nothing was recorded while busy: the account still takes its five wrong tries.
    let attempts = app::server::repo::attempts::failures_for_account(
        state.db.conn(),
        "taro@example.jp",
        chrono::Utc::now() - chrono::Duration::hours(1),
    )
    .await
    .unwrap();
    assert_eq!(attempts, 0);
    // And once the database is free the same post is answered as usual.
    let res = app.oneshot(post("text/html")).await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
}

#[tokio::test]
async fn metrics_are_for_the_operator_only_and_the_log_keeps_no_link_tokens() {
    let token = "operator-token-0123456789abcdef";
    let (app, _) = setup_with(|db, c| {
        c.metrics_token = Some(token.into());
        db
    })
    .await;
    let _ = app.clone().oneshot(get("/archive")).await.unwrap();
    let res = app.clone().oneshot(get("/metrics")).await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let wrong = Request::get("/metrics").header(header::AUTHORIZATION, "Bearer nope").body(Body::empty()).unwrap();
    assert_eq!(app.clone().oneshot(wrong).await.unwrap().status(), StatusCode::NOT_FOUND);
    let ok =
        Request::get("/metrics").header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap();
    let res = app.clone().oneshot(ok).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = body_text(res).await;
    assert!(
        text.contains("gp_http_request_duration_seconds_bucket{route=\"/archive\",method=\"GET\",status=\"2xx\""),
        "{text}"
    );
    for name in ["gp_page_cache_bytes", "gp_db_pool_in_use", "gp_outbox_pending", "gp_db_begin_wait_seconds_count"] {
        assert!(text.contains(name), "{name} missing");
    }
    // Without a token configured, the path is not there at all.
    let (plain, _) = setup().await;
    let ok =
        Request::get("/metrics").header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap();
    assert_eq!(plain.oneshot(ok).await.unwrap().status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn sitemap_files_exist_only_as_the_index_lists_them() {
    let (app, state) = setup().await;
    with_records(&state, 3).await;
    assert_eq!(app.clone().oneshot(get("/sitemaps/1.xml")).await.unwrap().status(), StatusCode::OK);
    for n in ["0", "2", "999999999", "18446744073709551615", "x"] {
        let res = app.clone().oneshot(get(&format!("/sitemaps/{n}.xml"))).await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{n}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_past_the_cache_render_on_the_slow_lane_and_a_full_lane_answers_busy() {
    use server::public::{PageCache, SlowLane};
    let (_, state) = setup().await;
    with_records(&state, 5).await;
    // Stopped without blocking however the test ends (see LaneRuntime).
    let lane = SlowLane::runtime(1).unwrap();
    let handle = lane.handle().unwrap();
    let options = server::leptos_options("127.0.0.1:3000".parse().unwrap());
    let with_room = |room: usize| {
        let pages = PageCache::with_capacity(1 << 20).with_lane(SlowLane::new(handle.clone(), 1, room));
        server::router_with(state.clone(), options.clone(), pages)
    };
    // A search is rendered on the lane, then answered from the cache (one that finds
    // something: a search that finds nothing is answered but not kept).
    let open = with_room(8);
    let api = body_text(open.clone().oneshot(get("/api/v1/practices?per_page=1")).await.unwrap()).await;
    let category = serde_json::from_str::<serde_json::Value>(&api).unwrap()["items"][0]["category"].clone();
    let path = &format!("/archive?category={}", category.as_str().unwrap());
    let first = open.clone().oneshot(get(path)).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let body = body_text(first).await;
    assert!(body.contains("data-testid=\"total\"") && !body.contains("data-testid=\"total\">0<"), "{body}");
    let again = open.clone().oneshot(get(path)).await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(body_text(again).await, body);

    // Many at once asking for a search nobody asked before all get the same page (one render,
    // which the others wait for).
    let crowd: Vec<_> = (0..24)
        .map(|_| {
            let app = open.clone();
            tokio::spawn(async move {
                let res = app.oneshot(get("/archive?q=%E5%B0%B1%E5%8A%B4&region=tokyo")).await.unwrap();
                (res.status(), body_text(res).await)
            })
        })
        .collect();
    let mut bodies = vec![];
    for ask in crowd {
        let (status, body) = ask.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        bodies.push(body);
    }
    assert!(bodies.iter().all(|b| *b == bodies[0] && b.contains("data-testid=\"total\"")));

    // No room on the lane: a search gets the kind busy page, never an error; pages that are
    // not searches do not go through the lane at all.
    let full = with_room(0);
    let res = full.clone().oneshot(get("/archive?q=%E5%9C%A8%E5%AE%85")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers().get(header::RETRY_AFTER).unwrap(), "2");
    let page = body_text(res).await;
    assert!(page.contains("ただいま混み合っています") && page.contains("Please reload it in a moment"), "{page}");
    let archive = full.clone().oneshot(get("/archive")).await.unwrap();
    assert_eq!(archive.status(), StatusCode::OK);
    let slug =
        body_text(archive).await.split("href=\"/practices/").nth(1).unwrap().split('"').next().unwrap().to_string();
    assert_eq!(full.clone().oneshot(get(&format!("/practices/{slug}"))).await.unwrap().status(), StatusCode::OK);
}
