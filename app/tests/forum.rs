//! The forum on both databases: registration with a venue limit that holds under a crowd
//! (two connection pools, as two server processes), the waiting list served in order, the
//! mailed cancel link, the online link sent once, questions, and retention.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::domain::account::Role;
use app::domain::forum::{NewRegistration, QuestionStatus, RegStatus};
use app::domain::validation::Problem;
use app::error::AppError;
use app::i18n::Locale;
use app::server::entities::event;
use app::server::{repo, service::forum, AppState};
use app::wire::forum::EventInput;
use chrono::{Duration, Utc};
use common::fixtures::{account, open_edition};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};

fn input(capacity: u32, waiting_list: bool) -> EventInput {
    let start = Utc::now() + Duration::days(30);
    let fmt = |d: chrono::DateTime<Utc>| app::domain::time::to_tokyo_input(d);
    EventInput {
        title_ja: "テストフォーラム".into(),
        title_en: "Test forum".into(),
        starts_at: fmt(start),
        ends_at: fmt(start + Duration::hours(4)),
        venue_name: "大宮ソニックシティ".into(),
        room: "905".into(),
        capacity: capacity.to_string(),
        waiting_list,
        online: true,
        online_link: "https://example.jp/live".into(),
        retention_days: "90".into(),
        published: true,
        ..Default::default()
    }
}

async fn event_with(state: &AppState, slug: &str, capacity: u32, waiting_list: bool) -> event::Model {
    let organiser = account(state, &format!("org-{slug}@example.jp"), Role::Organiser).await;
    let edition = open_edition(state, &format!("ed-{slug}")).await;
    let id = forum::create(state, Some(&organiser), edition.0, slug, &input(capacity, waiting_list)).await.unwrap();
    repo::forum::find_event(state.db.conn(), id).await.unwrap().unwrap()
}

fn person(i: usize, attendance: &str) -> NewRegistration {
    NewRegistration {
        name: format!("参加 {i}"),
        furigana: "さんか たろう".into(),
        phone: "048-123-4567".into(),
        email: format!("p{i}@example.jp"),
        municipality: "川越市".into(),
        municipality_other: String::new(),
        affiliation: if i.is_multiple_of(3) { "patient".into() } else { "support".into() },
        attendance: attendance.into(),
        needs: String::new(),
        rules_ack: true,
        privacy_ack: true,
    }
}

/// Registers like a browser would: a busy answer is sent again; a full venue is answered by
/// choosing online, as the form then offers.
async fn register_as_a_person(state: &AppState, slug: &str, i: usize) -> RegStatus {
    let mut want = "venue";
    for _ in 0..200 {
        match forum::register(state, None, slug, person(i, want), Locale::Ja, &format!("10.1.{}.{}", i / 200, i % 200))
            .await
        {
            Ok(done) => return done.status,
            Err(AppError::Busy) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
            Err(AppError::Validation(e)) if e[0].problem == Problem::VenueFull => want = "online",
            Err(e) => panic!("registrant {i}: {e:?}"),
        }
    }
    panic!("registrant {i} never got an answer")
}

async fn crowd(backend: common::Backend) {
    let url = common::fresh_url(backend).await;
    let a = app::server::Db::connect(&url, 8).await.unwrap();
    a.migrate().await.unwrap();
    let b = app::server::Db::connect(&url, 8).await.unwrap();
    let sa = AppState::new(a, common::test_config(&url)).await.unwrap();
    let sb = AppState::new(b, common::test_config(&url)).await.unwrap();
    for (slug, waiting) in [("crowd-online", false), ("crowd-waiting", true)] {
        let e = event_with(&sa, slug, 50, waiting).await;
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..500 {
            let s = if i % 2 == 0 { sa.clone() } else { sb.clone() };
            tasks.spawn(async move { register_as_a_person(&s, slug, i).await });
        }
        let mut got = std::collections::HashMap::<RegStatus, usize>::new();
        while let Some(r) = tasks.join_next().await {
            *got.entry(r.unwrap()).or_default() += 1;
        }
        let rows = repo::forum::list_registrations(sa.db.conn(), e.id).await.unwrap();
        let venue = rows.iter().filter(|r| r.status == RegStatus::Venue).count();
        assert_eq!(venue, 50, "{slug}: {got:?}");
        assert_eq!(got.get(&RegStatus::Venue), Some(&50), "{slug}");
        let rest = if waiting { RegStatus::Waiting } else { RegStatus::Online };
        assert_eq!(got.get(&rest), Some(&450), "{slug}: {got:?}");
        assert_eq!(rows.len(), 500, "{slug}: none lost, none twice");
        let mut emails: Vec<_> = rows.iter().map(|r| r.email.clone()).collect();
        emails.sort();
        emails.dedup();
        assert_eq!(emails.len(), 500);
        let e = repo::forum::find_event(sa.db.conn(), e.id).await.unwrap().unwrap();
        assert_eq!(e.venue_taken, 50);
        assert!(e.venue_full_at.is_some(), "the day the venue became full is recorded");
        // Every acknowledged registration has its confirmation queued.
        let mails = repo::outbox::count_pending(sa.db.conn()).await.unwrap();
        assert!(mails >= 500, "{mails}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_people_for_fifty_seats_sqlite() {
    crowd(common::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_people_for_fifty_seats_postgres() {
    crowd(common::Backend::Postgres).await;
}

fn token_in(body: &str) -> String {
    let at = body.find("/events/cancel/").expect("a cancel link");
    body[at + "/events/cancel/".len()..].split_whitespace().next().unwrap().to_string()
}

async fn mails_to(state: &AppState, to: &str) -> Vec<app::server::entities::outbox::Model> {
    repo::outbox::list_for(state.db.conn(), to).await.unwrap()
}

async fn a_freed_seat_goes_to_the_first_in_line(state: AppState) {
    let e = event_with(&state, "small", 2, true).await;
    let mut statuses = vec![];
    for i in 0..4 {
        statuses.push(
            forum::register(&state, None, "small", person(i, "venue"), Locale::Ja, "192.0.2.1").await.unwrap().status,
        );
    }
    assert_eq!(statuses, vec![RegStatus::Venue, RegStatus::Venue, RegStatus::Waiting, RegStatus::Waiting]);
    // The confirmation carries the calendar file and the cancel link.
    let first = mails_to(&state, "p0@example.jp").await;
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].attachment_name.as_deref(), Some("small.ics"));
    assert!(first[0].attachment_body.as_deref().unwrap().contains("BEGIN:VEVENT"));
    let token = token_in(&first[0].body_text);
    // The same address cannot register twice.
    let again = forum::register(&state, None, "small", person(0, "online"), Locale::Ja, "192.0.2.1").await.unwrap_err();
    assert!(matches!(&again, AppError::Validation(e) if e[0].problem == Problem::AlreadyRegistered), "{again:?}");
    // The very same form sent again (a double click) shows the registration, with no new mail.
    let resent = forum::register(&state, None, "small", person(0, "venue"), Locale::Ja, "192.0.2.1").await.unwrap();
    assert_eq!(resent.status, RegStatus::Venue);
    assert_eq!(mails_to(&state, "p0@example.jp").await.len(), 1);

    // p0 cancels through the link: p2 (first in line) gets the seat and is told; p3 waits on.
    assert_eq!(forum::cancel(&state, &token).await.unwrap(), RegStatus::Venue);
    assert_eq!(forum::cancel(&state, &token).await.unwrap(), RegStatus::Cancelled, "a second click is harmless");
    let rows = repo::forum::list_registrations(state.db.conn(), e.id).await.unwrap();
    let by = |email: &str| rows.iter().find(|r| r.email == email).unwrap().status;
    assert_eq!(by("p0@example.jp"), RegStatus::Cancelled);
    assert_eq!(by("p2@example.jp"), RegStatus::Venue);
    assert_eq!(by("p3@example.jp"), RegStatus::Waiting);
    assert!(mails_to(&state, "p2@example.jp").await.iter().any(|m| m.kind == "event_seat_offered"));
    assert!(!mails_to(&state, "p3@example.jp").await.iter().any(|m| m.kind == "event_seat_offered"));
    let e2 = repo::forum::find_event(state.db.conn(), e.id).await.unwrap().unwrap();
    assert_eq!(e2.venue_taken, 2);
    // A forged or altered link is refused before any lookup.
    assert_eq!(forum::cancel(&state, "forged.token").await.unwrap_err(), AppError::LinkInvalid);
}

async fn the_online_link_reaches_each_online_registrant_once(state: AppState) {
    let organiser = account(&state, "org-links@example.jp", Role::Organiser).await;
    let e = event_with(&state, "links", 1, false).await;
    forum::register(&state, None, "links", person(1, "venue"), Locale::Ja, "192.0.2.1").await.unwrap();
    forum::register(&state, None, "links", person(2, "online"), Locale::En, "192.0.2.1").await.unwrap();
    forum::register(&state, None, "links", person(3, "online"), Locale::Ja, "192.0.2.1").await.unwrap();
    assert_eq!(forum::send_online_link(&state, Some(&organiser), e.id).await.unwrap(), 2);
    assert_eq!(forum::send_online_link(&state, Some(&organiser), e.id).await.unwrap(), 0, "pressed twice, sent once");
    let en = mails_to(&state, "p2@example.jp").await;
    let link_mail = en.iter().find(|m| m.kind == "event_online_link").unwrap();
    assert!(link_mail.subject.starts_with("Online viewing link"), "the registrant's language: {}", link_mail.subject);
    assert!(link_mail.body_text.contains("https://example.jp/live"));
    assert!(!mails_to(&state, "p1@example.jp").await.iter().any(|m| m.kind == "event_online_link"), "venue only");
    // Someone registering afterwards gets it with their confirmation.
    forum::register(&state, None, "links", person(4, "online"), Locale::Ja, "192.0.2.1").await.unwrap();
    let late = mails_to(&state, "p4@example.jp").await;
    assert!(late[0].body_text.contains("https://example.jp/live"));
    assert_eq!(forum::send_online_link(&state, Some(&organiser), e.id).await.unwrap(), 0);
    // Only organisers may send.
    let nominator = account(&state, "nom-links@example.jp", Role::Nominator).await;
    assert_eq!(forum::send_online_link(&state, Some(&nominator), e.id).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(forum::send_online_link(&state, None, e.id).await.unwrap_err(), AppError::SignInRequired);
}

async fn questions_are_shown_only_once_accepted(state: AppState) {
    let organiser = account(&state, "org-q@example.jp", Role::Organiser).await;
    let e = event_with(&state, "asks", 10, false).await;
    forum::register(&state, None, "asks", person(1, "venue"), Locale::Ja, "192.0.2.1").await.unwrap();
    let token = token_in(&mails_to(&state, "p1@example.jp").await[0].body_text);
    let q = |body: &str, show: bool, ack: bool| forum::NewQuestion {
        session_id: None,
        body: body.into(),
        asker_name: String::new(),
        show_name: show,
        rules_ack: ack,
    };
    let refused = forum::ask_by_link(&state, &token, q("質問です", false, false)).await.unwrap_err();
    assert!(matches!(refused, AppError::Validation(ref e) if e[0].field == "rules_ack"));
    forum::ask_by_link(&state, &token, q("企業側の準備は?", false, true)).await.unwrap();
    forum::ask_by_link(&state, &token, q("通院との両立は?", true, true)).await.unwrap();
    // The event page's own box is closed unless organisers open it.
    assert_eq!(
        forum::ask(&state, None, "asks", q("x", false, true), "192.0.2.9").await.unwrap_err(),
        AppError::NotFound
    );
    let board = forum::question_board(&state, Some(&organiser), e.id).await.unwrap();
    assert_eq!(board.questions.len(), 2);
    assert!(board.questions.iter().all(|q| q.status == QuestionStatus::Pending));
    assert_eq!(board.questions[0].shown_name, None, "the asker chose not to be named");
    assert_eq!(board.questions[1].shown_name.as_deref(), Some("参加 1"));
    let (a, b) = (board.questions[0].id, board.questions[1].id);
    forum::moderate(&state, Some(&organiser), e.id, a, "accepted", None).await.unwrap();
    forum::moderate(&state, Some(&organiser), e.id, b, "merged", Some(a)).await.unwrap();
    let bad = forum::moderate(&state, Some(&organiser), e.id, a, "merged", Some(a)).await.unwrap_err();
    assert!(matches!(bad, AppError::Validation(_)), "not into itself");
    let board = forum::question_board(&state, Some(&organiser), e.id).await.unwrap();
    let accepted: Vec<_> = board.questions.iter().filter(|q| q.status == QuestionStatus::Accepted).collect();
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0].body, "企業側の準備は?");
    let reviewer = account(&state, "rev-q@example.jp", Role::Reviewer).await;
    assert_eq!(forum::question_board(&state, Some(&reviewer), e.id).await.unwrap_err(), AppError::Forbidden);
}

async fn registration_follows_the_events_rules(state: AppState) {
    let organiser = account(&state, "org-rules@example.jp", Role::Organiser).await;
    let e = event_with(&state, "rules", 10, false).await;
    // Bad input: every field named, nothing stored.
    let bad = NewRegistration { furigana: "埼玉".into(), phone: "abc".into(), ..person(1, "venue") };
    let err = forum::register(&state, None, "rules", bad, Locale::Ja, "192.0.2.1").await.unwrap_err();
    let AppError::Validation(fields) = err else { panic!("{err:?}") };
    let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, vec!["furigana", "phone"]);
    assert!(repo::forum::list_registrations(state.db.conn(), e.id).await.unwrap().is_empty());
    // The organisers' online-only date: the venue is no longer offered.
    let mut i = input(10, false);
    i.online_only_from = app::domain::time::to_tokyo_input(Utc::now() - Duration::minutes(1));
    forum::update(&state, Some(&organiser), e.id, &i).await.unwrap();
    let err = forum::register(&state, None, "rules", person(2, "venue"), Locale::Ja, "192.0.2.1").await.unwrap_err();
    assert!(matches!(&err, AppError::Validation(f) if f[0].problem == Problem::VenueClosed), "{err:?}");
    assert_eq!(
        forum::register(&state, None, "rules", person(2, "online"), Locale::Ja, "192.0.2.1").await.unwrap().status,
        RegStatus::Online
    );
    // Closed registration; a draft is not found at all.
    i.registration_closes_at = app::domain::time::to_tokyo_input(Utc::now() - Duration::minutes(1));
    forum::update(&state, Some(&organiser), e.id, &i).await.unwrap();
    assert_eq!(
        forum::register(&state, None, "rules", person(3, "online"), Locale::Ja, "192.0.2.1").await.unwrap_err(),
        AppError::StageClosed
    );
    i.published = false;
    forum::update(&state, Some(&organiser), e.id, &i).await.unwrap();
    assert_eq!(
        forum::register(&state, None, "rules", person(4, "online"), Locale::Ja, "192.0.2.1").await.unwrap_err(),
        AppError::NotFound
    );
    assert_eq!(forum::view(&state, None, "rules").await.unwrap_err(), AppError::NotFound);
    assert!(forum::view(&state, Some(&organiser), "rules").await.is_ok());
}

async fn personal_data_is_erased_after_retention_and_the_counts_stay(state: AppState) {
    let e = event_with(&state, "purge", 10, false).await;
    forum::register(&state, None, "purge", person(1, "venue"), Locale::Ja, "192.0.2.1").await.unwrap();
    forum::register(&state, None, "purge", person(3, "online"), Locale::Ja, "192.0.2.1").await.unwrap();
    // The event ended 91 days ago.
    let mut m: event::ActiveModel = e.clone().into();
    m.starts_at = Set(Utc::now() - Duration::days(91) - Duration::hours(4));
    m.ends_at = Set(Utc::now() - Duration::days(91));
    m.update(state.db.conn()).await.unwrap();
    assert_eq!(forum::purge_expired(&state).await.unwrap(), 2);
    assert_eq!(forum::purge_expired(&state).await.unwrap(), 0, "once");
    let rows = repo::forum::list_registrations(state.db.conn(), e.id).await.unwrap();
    assert_eq!(rows.len(), 2);
    for r in &rows {
        assert!(r.name.is_empty() && r.furigana.is_empty() && r.phone.is_empty() && r.needs.is_empty());
        assert!(r.affiliation.is_empty(), "health information goes with the rest");
        assert!(!r.email.contains('@'));
    }
    assert_eq!(rows.iter().filter(|r| r.status == RegStatus::Venue).count(), 1);
    let audit = repo::audit::list(state.db.conn(), None, Some("event.registrations_purged"), None, 5).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert!(!audit[0].detail.contains("example.jp") && !audit[0].detail.contains("参加"), "{}", audit[0].detail);
}

async fn reminders_go_out_once_the_day_before(state: AppState) {
    let e = event_with(&state, "remind", 10, false).await;
    forum::register(&state, None, "remind", person(1, "venue"), Locale::Ja, "192.0.2.1").await.unwrap();
    forum::register(&state, None, "remind", person(2, "online"), Locale::En, "192.0.2.1").await.unwrap();
    assert_eq!(forum::send_reminders(&state).await.unwrap(), 0, "a month ahead: not yet");
    let mut m: event::ActiveModel = e.clone().into();
    m.starts_at = Set(Utc::now() + Duration::hours(20));
    m.ends_at = Set(Utc::now() + Duration::hours(24));
    m.update(state.db.conn()).await.unwrap();
    assert_eq!(forum::send_reminders(&state).await.unwrap(), 2);
    assert_eq!(forum::send_reminders(&state).await.unwrap(), 0);
    let en = mails_to(&state, "p2@example.jp").await;
    assert!(en.iter().any(|m| m.kind == "event_reminder" && m.subject.starts_with("Tomorrow")));
}

async fn registrations_are_limited_per_address_and_never_lock_sign_in(state: AppState) {
    account(&state, "office@example.jp", Role::Nominator).await;
    event_with(&state, "office", 100, false).await;
    let limit = state.config.registrations_per_hour as usize;
    for i in 0..limit {
        forum::register(&state, None, "office", person(i, "venue"), Locale::Ja, "198.51.100.7").await.unwrap();
    }
    let over = forum::register(&state, None, "office", person(limit, "venue"), Locale::Ja, "198.51.100.7").await;
    assert_eq!(over.unwrap_err(), AppError::TooManyAttempts { minutes: 60 });
    // Another address is not affected; nor is signing in from the busy one.
    forum::register(&state, None, "office", person(limit, "venue"), Locale::Ja, "198.51.100.8").await.unwrap();
    app::server::service::accounts::sign_in(&state, "office@example.jp", "a-long-password-1", "198.51.100.7", None)
        .await
        .unwrap();
}

async fn a_presented_practice_is_named_only_while_its_record_may_be_seen(state: AppState) {
    let organiser = account(&state, "org-p@example.jp", Role::Organiser).await;
    let nominator = account(&state, "nom-p@example.jp", Role::Nominator).await;
    let e = event_with(&state, "present", 10, false).await;
    let c = state.db.conn();
    let nid = app::server::service::nominations::start(
        &state,
        Some(&nominator),
        app::domain::ids::EditionId(e.edition_id),
        "corporate",
    )
    .await
    .unwrap();
    let line = r#"{"title":"紹介する実践","category":"support","region":"saitama","edition":"過去回","year":2024,"summary":"概要","practice":"実践","consent_scope":"archive_named","nominee_name":"支援センター"}"#;
    app::server::service::archive::import(&state, line, false, 10, &mut |_, _| {}).await.unwrap();
    let p = repo::archive::list_all(c).await.unwrap().into_iter().find(|p| p.title == "紹介する実践").unwrap();
    let session = |practice: String| app::wire::forum::SessionInput {
        kind: "practice".into(),
        title_ja: "実践発表".into(),
        practice,
        ..Default::default()
    };
    forum::add_session(&state, Some(&organiser), e.id, &session(format!("https://x.jp/practices/{}", p.slug)))
        .await
        .unwrap();
    forum::add_session(&state, Some(&organiser), e.id, &session(format!("/nominations/{}", nid.0))).await.unwrap();
    let bad = forum::add_session(&state, Some(&organiser), e.id, &session("/nominations/999999".into())).await;
    assert!(matches!(bad, Err(AppError::Validation(ref f)) if f[0].field == "practice"), "{bad:?}");
    let v = forum::view(&state, None, "present").await.unwrap();
    assert_eq!(v.sessions[0].practice.as_ref().map(|x| x.slug.as_str()), Some(p.slug.as_str()));
    assert_eq!(v.sessions[1].practice, None, "a nomination without a public record names nothing");
    let record = app::server::service::archive::record(&state, None, &p.slug).await.unwrap();
    assert_eq!(record.presented_at.len(), 1, "the record says where it was presented");
    // The record taken down: the session no longer names it.
    let mut am: app::server::entities::practice::ActiveModel = p.clone().into();
    am.status = Set(app::domain::archive::PracticeStatus::Withdrawn);
    am.update(c).await.unwrap();
    let v = forum::view(&state, None, "present").await.unwrap();
    assert_eq!(v.sessions[0].practice, None);
}

async fn the_public_question_box_is_limited_per_address(state: AppState) {
    let organiser = account(&state, "org-box@example.jp", Role::Organiser).await;
    let e = event_with(&state, "qbox", 10, false).await;
    let mut i = input(10, false);
    i.questions_public = true;
    forum::update(&state, Some(&organiser), e.id, &i).await.unwrap();
    let q = || forum::NewQuestion {
        session_id: None,
        body: "当日の配慮について".into(),
        asker_name: String::new(),
        show_name: false,
        rules_ack: true,
    };
    for _ in 0..forum::QUESTIONS_PER_ADDRESS_HOUR {
        forum::ask(&state, None, "qbox", q(), "203.0.113.5").await.unwrap();
    }
    assert_eq!(
        forum::ask(&state, None, "qbox", q(), "203.0.113.5").await.unwrap_err(),
        AppError::TooManyAttempts { minutes: 60 }
    );
    forum::ask(&state, None, "qbox", q(), "203.0.113.6").await.unwrap();
    let board = forum::question_board(&state, Some(&organiser), e.id).await.unwrap();
    assert_eq!(board.questions.len() as u64, forum::QUESTIONS_PER_ADDRESS_HOUR + 1);
}

on_both_backends!(
    the_public_question_box_is_limited_per_address,
    a_presented_practice_is_named_only_while_its_record_may_be_seen,
    registrations_are_limited_per_address_and_never_lock_sign_in,
    a_freed_seat_goes_to_the_first_in_line,
    the_online_link_reaches_each_online_registrant_once,
    questions_are_shown_only_once_accepted,
    registration_follows_the_events_rules,
    personal_data_is_erased_after_retention_and_the_counts_stay,
    reminders_go_out_once_the_day_before,
);
