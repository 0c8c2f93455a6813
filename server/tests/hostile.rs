//! Text never becomes markup: every text field of a world is filled with hostile input (38
//! vectors, head and attributes included), then every public and signed-in page is rendered —
//! uncached and from the page cache — and read as a browser would: no script but the
//! application's own (by this render's nonce, or by a hash the cached policy names), no
//! event-handler attribute, no `javascript:` URL, no injected `<base>`, `<iframe>`, `<object>`,
//! `<embed>` or `<style>`, and no vector's markup anywhere in the document.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::domain::account::Role;
use app::domain::consent::ConsentScope;
use app::domain::edition::StageKind;
use app::domain::ids::NominationId;
use app::i18n::Locale;
use app::server::{config::MailTransport, repo, service, AppState, Config, Db};
use axum::{
    body::{to_bytes, Body},
    http::{header, Request},
    Router,
};
use base64::Engine;
use sha2::Digest;
use tower::ServiceExt;

const VECTORS: [&str; 38] = [
    "<script>alert(1)</script>",
    "</title><script>alert(2)</script>",
    "\"><script>alert(3)</script>",
    "'><img src=x onerror=alert(4)>",
    "<img src=x onerror=alert(5)>",
    "<svg onload=alert(6)>",
    "<svg><script>alert(7)</script></svg>",
    "<iframe src=\"javascript:alert(8)\"></iframe>",
    "<a href=\"javascript:alert(9)\">x</a>",
    "[click](javascript:alert(10))",
    "<body onload=alert(11)>",
    "<details open ontoggle=alert(12)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(13)>",
    "</script><script>alert(14)</script>",
    "<!--<script>alert(15)</script>-->",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(16)\">",
    "<base href=\"https://evil.example/\">",
    "<form action=\"javascript:alert(18)\"><button>x</button></form>",
    "<input autofocus onfocus=alert(19)>",
    "<object data=\"javascript:alert(20)\"></object>",
    "<embed src=\"javascript:alert(21)\">",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<style>@import 'https://evil.example/x.css';</style>",
    "javascript:alert(24)",
    "JaVaScRiPt:alert(25)",
    "&#x3C;script&#x3E;alert(26)&#x3C;/script&#x3E;",
    "<scr<script>ipt>alert(27)</script>",
    "\" onmouseover=\"alert(28)",
    "' onmouseover='alert(29)",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgzMCk8L3NjcmlwdD4=\">x</a>",
    "<video><source onerror=alert(31)></video>",
    "\u{2028}\u{2029}</script><script>alert(32)</script>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(33)>\">",
    "{{7*7}}<x onclick=alert(34)>",
    "<template><script>alert(35)</script></template>",
    "<a href=\"&#106;avascript:alert(36)\">x</a>",
    "</textarea><script>alert(37)</script>",
    "</noscript></style></title></textarea><img src=x onerror=alert(38)>",
];

/// A tag as a browser tokenises it: name and attributes (values unquoted).
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    /// The text from `>` to the matching `</script>` for scripts.
    content: String,
}

fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' && i + 1 < b.len() && b[i + 1].is_ascii_alphabetic() {
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
                j += 1;
            }
            let name = html[i + 1..j].to_ascii_lowercase();
            let mut attrs = vec![];
            loop {
                while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                    j += 1;
                }
                if j >= b.len() || b[j] == b'>' {
                    break;
                }
                let start = j;
                while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'=' && b[j] != b'>' && b[j] != b'/' {
                    j += 1;
                }
                let an = html[start..j].to_ascii_lowercase();
                let mut value = String::new();
                if j < b.len() && b[j] == b'=' {
                    j += 1;
                    if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                        let q = b[j];
                        let vs = j + 1;
                        j = vs;
                        while j < b.len() && b[j] != q {
                            j += 1;
                        }
                        value = html[vs..j.min(b.len())].to_string();
                        j += 1;
                    } else {
                        let vs = j;
                        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                            j += 1;
                        }
                        value = html[vs..j].to_string();
                    }
                }
                if an.is_empty() {
                    j += 1;
                    continue;
                }
                attrs.push((an, value));
            }
            let mut content = String::new();
            if name == "script" && j < b.len() {
                let body_start = j + 1;
                let end = html[body_start..].find("</script>").map(|e| body_start + e).unwrap_or(b.len());
                content = html[body_start..end].to_string();
                j = end;
            }
            out.push(Tag { name, attrs, content });
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn decode_entities(v: &str) -> String {
    v.replace("&#106;", "j").replace("&#x6A;", "j").replace("&colon;", ":").replace("&#58;", ":").to_ascii_lowercase()
}

/// Everything wrong with a rendered page, as a browser would run it.
fn problems(what: &str, html: &str, csp: &str) -> Vec<String> {
    let mut out = vec![];
    for v in VECTORS.iter().filter(|v| v.contains('<')) {
        if html.contains(v) {
            out.push(format!("{what}: the vector {v:?} appears as markup"));
        }
    }
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).map(str::to_string);
    for t in tags(html) {
        for (name, value) in &t.attrs {
            if name.starts_with("on") {
                out.push(format!("{what}: <{} {name}=…> event handler", t.name));
            }
            let v = decode_entities(value.trim());
            let refresh =
                t.name == "meta" && t.attrs.iter().any(|(n, v)| n == "http-equiv" && v.eq_ignore_ascii_case("refresh"));
            let url_attr = matches!(name.as_str(), "href" | "src" | "action" | "formaction" | "data" | "xlink:href")
                || (name == "content" && refresh);
            // What a browser would follow: the scheme after stripping whitespace and controls.
            let scheme: String = v.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
            let scheme = if refresh { scheme.split("url=").nth(1).unwrap_or("").to_string() } else { scheme };
            if url_attr
                && (scheme.starts_with("javascript:")
                    || scheme.starts_with("data:text/html")
                    || scheme.starts_with("vbscript:"))
            {
                out.push(format!("{what}: <{} {name}={value:?}>", t.name));
            }
        }
        if matches!(t.name.as_str(), "base" | "iframe" | "object" | "embed" | "style" | "frame" | "frameset") {
            out.push(format!("{what}: injected <{}>", t.name));
        }
        if t.name == "link" && t.attrs.iter().any(|(n, v)| n == "href" && v.contains("evil")) {
            out.push(format!("{what}: injected <link>"));
        }
        if t.name == "script" {
            let src = t.attrs.iter().find(|(n, _)| n == "src").map(|(_, v)| v.clone());
            let own_nonce = nonce.as_deref().is_some_and(|n| t.attrs.iter().any(|(a, v)| a == "nonce" && v == n));
            let hash = format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(t.content.as_bytes()))
            );
            let allowed = match &src {
                Some(s) => s.starts_with("/pkg/"),
                None => own_nonce || csp.contains(&hash),
            };
            if !allowed {
                out.push(format!(
                    "{what}: a script the policy does not allow: {:?}",
                    &t.content[..t.content.len().min(80)]
                ));
            }
        }
    }
    out
}

async fn setup() -> (Router, AppState) {
    let dir = std::env::temp_dir().join("gp-hostile").join(format!(
        "{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite3").display());
    let db = Db::connect(&url, 4).await.unwrap();
    db.migrate().await.unwrap();
    let mut config = Config::from_lookup(|k| (k == "DATABASE_URL").then(|| url.clone())).unwrap();
    config.mail = MailTransport::Dir(dir.join("mail"));
    config.upload_dir = dir.join("uploads");
    let state = AppState::new(db, config).await.unwrap();
    let router = server::router(state.clone(), server::leptos_options("127.0.0.1:3000".parse().unwrap()));
    (router, state)
}

async fn viewer(state: &AppState, email: &str, name: &str, role: Role) -> (app::wire::Viewer, String) {
    let u = service::accounts::create_account(&state.db, email, name, "hostile-password-1", role).await.unwrap();
    let token = format!("hostile-session-{}", u.id);
    let now = chrono::Utc::now();
    repo::sessions::insert(
        state.db.conn(),
        &app::server::auth::token_hash(&token),
        u.id,
        now,
        now + chrono::Duration::days(1),
    )
    .await
    .unwrap();
    (service::accounts::to_viewer(&u), format!("gp_session={token}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_text_anywhere_becomes_markup() {
    let (app, state) = setup().await;
    let c = state.db.conn();
    // People whose names are vectors.
    let (org, org_cookie) = viewer(&state, "org@example.jp", VECTORS[1], Role::Organiser).await;
    let (org2, _) = viewer(&state, "org2@example.jp", VECTORS[3], Role::Organiser).await;
    let (nominator, nom_cookie) =
        viewer(&state, "nom@example.jp", &VECTORS[5][..VECTORS[5].len().min(40)], Role::Nominator).await;
    let (reviewer, rev_cookie) = viewer(&state, "rev@example.jp", VECTORS[2], Role::Reviewer).await;
    let (_, admin_cookie) = viewer(&state, "admin@example.jp", VECTORS[0], Role::Admin).await;

    // An edition named by vectors, taking nominations.
    let now = chrono::Utc::now();
    let e =
        repo::editions::insert(c, "hostile", VECTORS[2], VECTORS[14], "conference_award", VECTORS[3], 2026, false, now)
            .await
            .unwrap();
    service::editions::add_default_categories(c, e.id).await.unwrap();
    repo::editions::upsert_stage(
        c,
        e.id,
        "nominations",
        0,
        1,
        Some(now - chrono::Duration::days(1)),
        Some(now + chrono::Duration::days(9)),
    )
    .await
    .unwrap();
    service::stages::set_current(c, e.id, StageKind::Nominations, 0).await.unwrap();
    let edition = app::domain::ids::EditionId(e.id);

    // Nominations whose every field is a vector (one vector per nomination, all 36).
    let mut ids: Vec<NominationId> = vec![];
    for (i, v) in VECTORS.iter().enumerate() {
        let id = service::nominations::start(&state, Some(&nominator), edition, "corporate").await.unwrap();
        let mut input = app::domain::nomination::NominationInput {
            title: v.chars().take(120).collect(),
            nominee_type: "company".into(),
            nominee_name: v.chars().take(100).collect(),
            region: "saitama".into(),
            industry: "it".into(),
            org_size: "10-49".into(),
            summary: format!("{v} 要約"),
            background: format!("{v}\n\n背景 {v}"),
            practice: format!("- {v}\n- [リンク]({v})\n\n**{v}**"),
            accommodation: v.to_string(),
            challenges: v.to_string(),
            outcomes: v.to_string(),
            lessons: v.to_string(),
            links: format!("https://example.jp/x?{}", v.replace(char::is_whitespace, "")),
            relationship: "employer".into(),
            featured_email: "featured@example.jp".into(),
            ..Default::default()
        };
        input.title = if input.title.trim().is_empty() { format!("題{i}") } else { input.title };
        if !app::domain::validation::is_web_url(&input.links) {
            // A link the field refuses (not a URL): keep the rest of the vector.
            input.links = String::new();
        }
        service::nominations::save(&state, Some(&nominator), id, 1, input).await.unwrap();
        service::nominations::submit(&state, Some(&nominator), id, true, Locale::Ja).await.unwrap();
        service::consent::record_by_organiser(&state, Some(&org), id, true, Some(ConsentScope::ArchiveNamed), false)
            .await
            .unwrap();
        ids.push(id);
    }
    // Review: screening notes, reviewer comments, a conflict reason, synonyms, all vectors.
    for cat in repo::editions::categories(c, e.id).await.unwrap() {
        repo::review::add_panel_member(c, e.id, cat.id, reviewer.id.0, now).await.unwrap();
    }
    service::stages::move_to(&state, Some(&org), e.id, StageKind::Screening, 0, VECTORS[6]).await.unwrap();
    for (i, id) in ids.iter().enumerate() {
        let decision = if i % 5 == 0 { "needs_info" } else { "eligible" };
        let until = if decision == "needs_info" { "2030-01-01T00:00" } else { "" };
        service::screening::screen(&state, Some(&org), *id, decision, VECTORS[i], until).await.unwrap();
        if decision == "needs_info" {
            service::screening::screen(&state, Some(&org), *id, "eligible", VECTORS[i], "").await.unwrap();
        }
    }
    service::stages::move_to(&state, Some(&org), e.id, StageKind::Review, 1, VECTORS[7]).await.unwrap();
    service::assigning::auto(&state, Some(&org), e.id).await.unwrap();
    let queue = service::reviewing::queue(&state, Some(&reviewer)).await.unwrap();
    let rubric = service::rubrics::ensure_round(c, e.id, 1).await.unwrap();
    let scores: std::collections::BTreeMap<String, String> =
        repo::review::criteria(c, rubric.id).await.unwrap().iter().map(|k| (k.id.to_string(), "3".into())).collect();
    for (i, item) in queue.items.iter().enumerate() {
        let v = VECTORS[i % VECTORS.len()];
        service::reviewing::save(&state, Some(&reviewer), item.assignment_id, &scores, v, v, true).await.unwrap();
    }
    service::archive::add_synonyms(&state, Some(&org), &format!("{}、在宅", VECTORS[4])).await.ok();

    // Results out; public records of every vector (named: the name is a vector too), imported and signed off.
    service::stages::move_to(&state, Some(&org), e.id, StageKind::Decisions, 0, "d").await.unwrap();
    for id in ids.iter().take(6) {
        service::results::decide(&state, Some(&org), *id, "certified").await.unwrap();
    }
    service::results::publish(&state, Some(&org), e.id).await.unwrap();
    let mut practices = vec![];
    for id in ids.iter().take(6) {
        let p = service::archive::prepare(&state, Some(&org), *id).await.unwrap();
        let fp = service::archive::edit_view(&state, Some(&org2), p).await.unwrap().fingerprint;
        service::archive::sign_off(&state, Some(&org2), p, &fp).await.unwrap();
        practices.push(p);
    }
    let mut lines = String::new();
    for (i, v) in VECTORS.iter().enumerate() {
        let title: String = v.chars().take(100).collect();
        lines.push_str(
            &serde_json::json!({
                "title": if title.trim().is_empty() { format!("題{i}") } else { title },
                "category": "support", "region": "saitama", "edition": VECTORS[i % 5], "year": 2024,
                "summary": format!("{v} 要約"), "practice": format!("{v}\n\n- {v}"), "lessons": v,
                "tags": [v.chars().take(40).collect::<String>()], "consent_scope": "archive_named",
                "nominee_name": v.chars().take(100).collect::<String>(),
            })
            .to_string(),
        );
        lines.push('\n');
    }
    let report = service::archive::import(&state, &lines, false, 50, &mut |_, _| {}).await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    // A pending text for the sign-off screen, and a consent link page.
    let pending = service::archive::prepare(&state, Some(&org), ids[6]).await.ok();
    let draft = service::archive::PracticeDraft {
        title: VECTORS[1].into(),
        summary: VECTORS[4].into(),
        tags: VECTORS[8].into(),
        sections: [("practice".to_string(), VECTORS[13].to_string())].into(),
    };
    if let Some(p) = pending {
        let _ = service::archive::save_draft(&state, Some(&org), p, draft).await;
    }
    service::consent::request(&state, Some(&org), ids[7], Some("someone@example.jp")).await.ok();
    let token = repo::outbox::list_for(c, "someone@example.jp")
        .await
        .unwrap()
        .last()
        .map(|m| m.body_text.split("/consent/").nth(1).unwrap().split_whitespace().next().unwrap().to_string());

    // A forum event written with vectors everywhere: settings, programme, speakers, a
    // registrant's name and needs, questions (accepted, so the moderator view shows them).
    let v60 = |i: usize| VECTORS[i].chars().take(60).collect::<String>();
    let start = now + chrono::Duration::days(20);
    let ev_input = app::wire::forum::EventInput {
        title_ja: v60(1),
        title_en: v60(2),
        subtitle_ja: v60(3),
        subtitle_en: v60(4),
        starts_at: app::domain::time::to_tokyo_input(start),
        ends_at: app::domain::time::to_tokyo_input(start + chrono::Duration::hours(3)),
        venue_name: v60(5),
        room: v60(6),
        address: v60(7),
        audience_ja: v60(8),
        fee_ja: v60(9),
        contact_name: v60(10),
        contact_phone: v60(11).chars().take(40).collect(),
        organisers: v60(12),
        co_organisers: v60(13),
        description_md: VECTORS.join("\n\n"),
        capacity: "5".into(),
        waiting_list: true,
        online: true,
        questions_public: true,
        retention_days: "90".into(),
        published: true,
        ..Default::default()
    };
    let ev = service::forum::create(&state, Some(&org), e.id, "h-forum", &ev_input).await.unwrap();
    for (k, v) in VECTORS.iter().enumerate().take(6) {
        let speakers = format!("{} / {} / {}", v60(k), v60(k + 1), v60(k + 2)).replace('\n', " ");
        service::forum::add_session(
            &state,
            Some(&org),
            ev,
            &app::wire::forum::SessionInput {
                kind: "talk".into(),
                title_ja: v.chars().take(200).collect(),
                subtitle_ja: v60(k + 3),
                theme_ja: v60(k + 4),
                speakers,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    let hostile_person = app::domain::forum::NewRegistration {
        name: v60(1),
        furigana: "さいたま".into(),
        phone: "048-123-4567".into(),
        email: "attendee@example.jp".into(),
        municipality: "川越市".into(),
        affiliation: "patient".into(),
        attendance: "venue".into(),
        needs: VECTORS[2].into(),
        rules_ack: true,
        privacy_ack: true,
        ..Default::default()
    };
    service::forum::register(&state, None, "h-forum", hostile_person, app::i18n::Locale::Ja, "192.0.2.1")
        .await
        .unwrap();
    let reg_token = repo::outbox::list_for(c, "attendee@example.jp")
        .await
        .unwrap()
        .last()
        .map(|m| m.body_text.split("/events/cancel/").nth(1).unwrap().split_whitespace().next().unwrap().to_string())
        .unwrap();
    for (k, v) in VECTORS.iter().enumerate().take(10) {
        let q = service::forum::NewQuestion {
            session_id: None,
            body: format!("{} ?", v.chars().take(390).collect::<String>()),
            asker_name: String::new(),
            show_name: true,
            rules_ack: true,
        };
        service::forum::ask_by_link(&state, &reg_token, q).await.unwrap();
        let _ = k;
    }
    for q in service::forum::question_board(&state, Some(&org), ev).await.unwrap().questions {
        service::forum::moderate(&state, Some(&org), ev, q.id, "accepted", None).await.unwrap();
    }

    // Every page, as each person sees it.
    let slugs: Vec<String> = repo::archive::list_all(c).await.unwrap().into_iter().map(|p| p.slug).collect();
    let sheets: Vec<i64> = queue.items.iter().map(|i| i.assignment_id).take(8).collect();
    let mut pages: Vec<(String, Option<String>)> = vec![];
    let anon = None;
    for p in ["/", "/archive", "/dialogue-rules", "/privacy", "/sign-in", "/sign-up", "/nominate"] {
        pages.push((p.into(), anon.clone()));
    }
    for v in VECTORS.iter().take(12) {
        let q: String = url::form_urlencoded::byte_serialize(v.as_bytes()).collect();
        pages.push((format!("/archive?q={q}"), anon.clone()));
        pages.push((format!("/archive?tag={q}"), anon.clone()));
        pages.push((format!("/sign-in?next={q}"), anon.clone()));
    }
    for s in &slugs {
        pages.push((format!("/practices/{s}"), anon.clone()));
    }
    if let Some(t) = &token {
        pages.push((format!("/consent/{t}"), anon.clone()));
    }
    for p in ["/events", "/events/h-forum", "/events/h-forum/register", "/events/registered?event=h-forum&status=venue"]
    {
        pages.push((p.into(), anon.clone()));
    }
    pages.push((format!("/events/cancel/{reg_token}"), anon.clone()));
    let nom = Some(nom_cookie.clone());
    pages.push(("/nominations".into(), nom.clone()));
    pages.push(("/account".into(), nom.clone()));
    pages.push(("/nominate".into(), nom.clone()));
    for id in &ids {
        pages.push((format!("/nominations/{}", id.0), nom.clone()));
        pages.push((format!("/nominations/{}/edit", id.0), nom.clone()));
    }
    let orgc = Some(org_cookie.clone());
    for p in ["/organise", "/organise/archive", "/admin", "/organise/events"] {
        pages.push((p.into(), orgc.clone()));
    }
    for tab in ["", "/registrations", "/registrations?view=checkin", "/questions", "/moderator"] {
        pages.push((format!("/organise/events/{ev}{tab}"), orgc.clone()));
    }
    for tab in ["", "/nominations", "/reviewers", "/assignments", "/rubric", "/ranking", "/audit"] {
        pages.push((format!("/organise/editions/{}{tab}", e.id), orgc.clone()));
    }
    for id in ids.iter().take(8) {
        pages.push((format!("/nominations/{}", id.0), orgc.clone()));
    }
    for p in practices.iter().chain(pending.iter()) {
        pages.push((format!("/organise/archive/{p}"), orgc.clone()));
    }
    let revc = Some(rev_cookie.clone());
    pages.push(("/review".into(), revc.clone()));
    for a in &sheets {
        pages.push((format!("/review/{a}"), revc.clone()));
    }
    if let Some(p) = pending {
        pages.push((format!("/review/sign-off/{p}"), revc.clone()));
    }
    pages.push(("/admin".into(), Some(admin_cookie.clone())));

    let mut all = vec![];
    let mut rendered = 0;
    for (path, cookie) in &pages {
        // Twice for the anonymous: the second answer comes from the page cache, with its own policy.
        let times = if cookie.is_none() { 2 } else { 1 };
        for n in 0..times {
            let mut req = Request::get(path.as_str()).header(header::HOST, "127.0.0.1:3000");
            if let Some(c) = cookie {
                req = req.header(header::COOKIE, c);
            }
            let res = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
            let status = res.status();
            let csp = res
                .headers()
                .get(header::CONTENT_SECURITY_POLICY)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            let html = String::from_utf8_lossy(&to_bytes(res.into_body(), 1 << 24).await.unwrap()).into_owned();
            assert!(status.as_u16() < 500, "{path}: {status}");
            let cacheable = path == "/"
                || path.starts_with("/archive")
                || path.starts_with("/practices/")
                || path == "/events"
                || path == "/events/h-forum";
            if n == 1 && cacheable && status.is_success() {
                assert!(!csp.contains("'nonce-"), "{path}: a cached page with a nonce policy");
            }
            all.extend(problems(
                &format!(
                    "{path} (as {}, {})",
                    if cookie.is_some() { "signed in" } else { "anonymous" },
                    if n == 1 { "cached" } else { "rendered" }
                ),
                &html,
                &csp,
            ));
            rendered += 1;
        }
    }
    // Machine-readable surfaces: feed and sitemap are XML, the API is JSON: no raw markup.
    // The calendar file: a stored text cannot add a line (a property) of its own.
    let res =
        app.clone().oneshot(Request::get("/events/h-forum/event.ics").body(Body::empty()).unwrap()).await.unwrap();
    let ics = String::from_utf8(to_bytes(res.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap();
    for line in ics.split("\r\n").filter(|l| !l.is_empty()) {
        let name = line.split(':').next().unwrap_or("");
        let known = [
            "BEGIN",
            "END",
            "VERSION",
            "PRODID",
            "CALSCALE",
            "METHOD",
            "UID",
            "DTSTAMP",
            "DTSTART",
            "DTEND",
            "SUMMARY",
            "DESCRIPTION",
            "LOCATION",
            "URL",
        ];
        assert!(line.starts_with(' ') || known.contains(&name), "the .ics gained a line: {line:?}");
    }
    for path in ["/feed.atom", "/sitemaps/1.xml", "/api/v1/practices?per_page=100"] {
        let res = app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
        let body = String::from_utf8_lossy(&to_bytes(res.into_body(), 1 << 24).await.unwrap()).into_owned();
        for v in VECTORS.iter().filter(|v| v.contains('<')) {
            assert!(!body.contains(v), "{path}: {v:?} unescaped");
        }
        rendered += 1;
    }
    let _ = org2;
    eprintln!("hostile text: {} vectors, {} pages rendered and read", VECTORS.len(), rendered);
    assert!(rendered > 150, "only {rendered} pages");
    assert!(all.is_empty(), "{} problems:\n{}", all.len(), all.join("\n"));
}

#[test]
fn the_reader_finds_what_it_must_refuse() {
    // The checks above fail on each kind of injection (a test that cannot fail is no test).
    let csp = "script-src 'self' 'nonce-abc'";
    assert!(!problems("t", "<p>ok</p><script nonce=\"abc\">x()</script>", csp).iter().any(|p| p.contains("script")));
    assert!(problems("t", "<script>alert(1)</script>", csp).len() >= 2);
    assert!(!problems("t", "<img src=x onerror=alert(5)>", csp).is_empty());
    assert!(!problems("t", "<a href=\"JaVaScRiPt:x\">", csp).is_empty());
    assert!(!problems("t", "<a href=\"&#106;avascript:x\">", csp).is_empty());
    assert!(!problems("t", "<base href=\"https://evil.example/\">", csp).is_empty());
    assert!(!problems("t", "<svg onload=alert(6)>", csp).is_empty());
    // A script allowed only by a hash of different content is refused.
    let hashed = "script-src 'self' 'sha256-AAAA'";
    assert!(!problems("t", "<script>x()</script>", hashed).is_empty());
}
