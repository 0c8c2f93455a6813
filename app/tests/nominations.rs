//! Nominations through the services the server functions call: ownership, the deadline,
//! stale edits, double submits, attachments, sanitising, consent links and the CSV export.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use app::domain::account::Role;
use app::domain::consent::{ConsentScope, ConsentStatus};
use app::domain::ids::{AttachmentId, NominationId};
use app::domain::nomination::NominationStatus;
use app::domain::validation::Problem;
use app::error::AppError;
use app::i18n::Locale;
use app::server::{repo, service, AppState};
use common::fixtures::*;

const PDF: &[u8] = b"%PDF-1.4\n%%EOF\n";

async fn drafted(state: &AppState, email: &str) -> (app::wire::Viewer, NominationId) {
    let edition = match repo::editions::find_by_slug(state.db.conn(), "t").await.unwrap() {
        Some(e) => app::domain::ids::EditionId(e.id),
        None => open_edition(state, "t").await,
    };
    let v = account(state, email, Role::Nominator).await;
    let id = service::nominations::start(state, Some(&v), edition, "corporate").await.unwrap();
    service::nominations::save(state, Some(&v), id, 1, complete_input()).await.unwrap();
    (v, id)
}

async fn a_nominator_cannot_read_edit_submit_or_withdraw_anothers_nomination(state: AppState) {
    let (_owner, id) = drafted(&state, "owner@example.jp").await;
    let other = account(&state, "other@example.jp", Role::Nominator).await;
    assert_eq!(service::nominations::detail(&state, Some(&other), id).await.err(), Some(AppError::NotFound));
    assert_eq!(
        service::nominations::save(&state, Some(&other), id, 2, complete_input()).await.err(),
        Some(AppError::NotFound)
    );
    assert_eq!(
        service::nominations::submit(&state, Some(&other), id, true, Locale::Ja).await.err(),
        Some(AppError::NotFound)
    );
    assert_eq!(
        service::nominations::withdraw(&state, Some(&other), id, Locale::Ja).await.err(),
        Some(AppError::NotFound)
    );
    assert_eq!(service::attachments::add(&state, Some(&other), id, "a.pdf", PDF).await.err(), Some(AppError::NotFound));
    assert_eq!(
        service::consent::request(&state, Some(&other), id, Some("x@example.jp")).await.err(),
        Some(AppError::NotFound)
    );
    assert_eq!(service::consent::withdraw(&state, Some(&other), id).await.err(), Some(AppError::NotFound));
    // Someone else's id and an id that does not exist answer the same way.
    assert_eq!(
        service::nominations::detail(&state, Some(&other), NominationId(987_654)).await.err(),
        Some(AppError::NotFound)
    );
    // Organisers see every nomination.
    let organiser = account(&state, "org@example.jp", Role::Organiser).await;
    let d = service::nominations::detail(&state, Some(&organiser), id).await.unwrap();
    assert!(!d.is_owner && !d.can_edit && d.nominator_email.as_deref() == Some("owner@example.jp"));
}

async fn submitting_after_the_deadline_is_refused_and_the_entry_becomes_read_only(state: AppState) {
    let (v, id) = drafted(&state, "late@example.jp").await;
    let d = service::nominations::detail(&state, Some(&v), id).await.unwrap();
    close_nominations(&state, d.edition.id).await;
    assert_eq!(
        service::nominations::submit(&state, Some(&v), id, true, Locale::Ja).await.err(),
        Some(AppError::DeadlinePassed)
    );
    assert_eq!(
        service::nominations::save(&state, Some(&v), id, d.version, complete_input()).await.err(),
        Some(AppError::DeadlinePassed)
    );
    let after = service::nominations::detail(&state, Some(&v), id).await.unwrap();
    assert!(!after.can_edit && !after.can_submit && after.can_withdraw);
    assert_eq!(after.status, NominationStatus::Draft);
    // Withdrawal stays possible at any time.
    service::nominations::withdraw(&state, Some(&v), id, Locale::Ja).await.unwrap();
}

async fn a_stale_edit_is_refused_and_saves_nothing(state: AppState) {
    let (v, id) = drafted(&state, "stale@example.jp").await;
    let mut first = complete_input();
    first.title = "最初のタブ".into();
    service::nominations::save(&state, Some(&v), id, 2, first).await.unwrap();
    let mut second = complete_input();
    second.title = "古いタブ".into();
    assert_eq!(service::nominations::save(&state, Some(&v), id, 2, second).await.err(), Some(AppError::StaleEdit));
    assert_eq!(service::nominations::detail(&state, Some(&v), id).await.unwrap().input.title, "最初のタブ");
}

async fn a_double_submit_is_harmless(state: AppState) {
    let (v, id) = drafted(&state, "double@example.jp").await;
    service::nominations::submit(&state, Some(&v), id, true, Locale::Ja).await.unwrap();
    service::nominations::submit(&state, Some(&v), id, true, Locale::Ja).await.unwrap();
    let mails = repo::outbox::list_for(state.db.conn(), "double@example.jp").await.unwrap();
    assert_eq!(mails.iter().filter(|m| m.kind == "nomination_submitted").count(), 1);
    assert_eq!(service::nominations::detail(&state, Some(&v), id).await.unwrap().status, NominationStatus::Submitted);
}

async fn submitting_needs_every_required_field_and_the_acknowledgement(state: AppState) {
    let edition = open_edition(&state, "t2").await;
    let v = account(&state, "incomplete@example.jp", Role::Nominator).await;
    let id = service::nominations::start(&state, Some(&v), edition, "people").await.unwrap();
    let err = service::nominations::submit(&state, Some(&v), id, false, Locale::Ja).await.unwrap_err();
    let AppError::Validation(fields) = err else { panic!("expected validation") };
    let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    for expected in ["title", "summary", "challenges", "relationship", "dialogue_ack"] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    assert_eq!(service::nominations::detail(&state, Some(&v), id).await.unwrap().status, NominationStatus::Draft);
}

async fn a_submitted_entry_must_stay_complete_when_edited(state: AppState) {
    let (v, id) = drafted(&state, "keep@example.jp").await;
    service::nominations::submit(&state, Some(&v), id, true, Locale::Ja).await.unwrap();
    let version = service::nominations::detail(&state, Some(&v), id).await.unwrap().version;
    let mut emptied = complete_input();
    emptied.summary.clear();
    let err = service::nominations::save(&state, Some(&v), id, version, emptied).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "summary");
    assert_eq!(service::nominations::detail(&state, Some(&v), id).await.unwrap().input.summary, "在宅勤務と時差出勤");
}

async fn hostile_html_is_cleaned_on_write_and_the_source_kept_for_editing(state: AppState) {
    let (v, id) = drafted(&state, "xss@example.jp").await;
    let mut input = complete_input();
    input.practice =
        "<script>alert(1)</script><img src=x onerror=alert(2)>\n\n**太字**\n\n[link](javascript:alert(3))".into();
    service::nominations::save(&state, Some(&v), id, 2, input.clone()).await.unwrap();
    let d = service::nominations::detail(&state, Some(&v), id).await.unwrap();
    let html = &d.sections_html.iter().find(|(k, _)| k == "practice").unwrap().1;
    assert!(!html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"), "{html}");
    assert!(html.contains("<strong>太字</strong>"));
    assert_eq!(d.input.practice, input.practice);
}

async fn attachments_are_checked_by_content_size_and_count(state: AppState) {
    let (v, id) = drafted(&state, "files@example.jp").await;
    let exe = b"MZ\x90\x00 renamed.exe";
    let err = service::attachments::add(&state, Some(&v), id, "report.pdf", exe).await.unwrap_err();
    assert_eq!(err.field_errors()[0].problem, Problem::FileTypeNotAllowed);
    let big = [b"%PDF-".as_slice(), &vec![b'x'; 10 * 1024 * 1024]].concat();
    let err = service::attachments::add(&state, Some(&v), id, "big.pdf", &big).await.unwrap_err();
    assert_eq!(err.field_errors()[0].problem, Problem::FileTooLarge { max_mb: 10 });
    let mut ids = vec![];
    for i in 0..5 {
        ids.push(service::attachments::add(&state, Some(&v), id, &format!("../資料{i}.pdf"), PDF).await.unwrap());
    }
    let err = service::attachments::add(&state, Some(&v), id, "six.pdf", PDF).await.unwrap_err();
    assert_eq!(err.field_errors()[0].problem, Problem::TooMany { max: 5 });
    let d = service::nominations::detail(&state, Some(&v), id).await.unwrap();
    assert_eq!(d.attachments.len(), 5);
    assert_eq!(d.attachments[0].file_name, "資料0.pdf");
    assert_eq!(d.attachments[0].content_type, "application/pdf");

    let got = service::attachments::download(&state, Some(&v), ids[0]).await.unwrap();
    assert_eq!(got.bytes, PDF);
    let stranger = account(&state, "stranger@example.jp", Role::Nominator).await;
    assert_eq!(
        service::attachments::download(&state, Some(&stranger), ids[0]).await.err().map(|e| e.status()),
        Some(http::StatusCode::NOT_FOUND)
    );
    let organiser = account(&state, "org2@example.jp", Role::Organiser).await;
    assert!(service::attachments::download(&state, Some(&organiser), ids[0]).await.is_ok());
    service::attachments::remove(&state, Some(&v), id, ids[0]).await.unwrap();
    assert_eq!(service::attachments::download(&state, Some(&v), ids[0]).await.err(), Some(AppError::NotFound));
    assert_eq!(
        service::attachments::download(&state, Some(&v), AttachmentId(999_999)).await.err(),
        Some(AppError::NotFound)
    );
}

fn link_token(body: &str) -> String {
    body.split("/consent/").nth(1).unwrap().split_whitespace().next().unwrap().to_string()
}

async fn consent_links_are_signed_single_use_and_withdrawal_is_recorded(state: AppState) {
    let (v, id) = drafted(&state, "consent@example.jp").await;
    service::consent::request(&state, Some(&v), id, Some("featured@example.jp")).await.unwrap();
    let mail = repo::outbox::list_for(state.db.conn(), "featured@example.jp").await.unwrap().pop().unwrap();
    let token = link_token(&mail.body_text);

    // A forged or altered link is refused before anything is looked up.
    let mut forged = token.clone();
    forged.replace_range(0..1, if forged.starts_with('A') { "B" } else { "A" });
    assert_eq!(service::consent::view(&state, &forged).await.err(), Some(AppError::LinkInvalid));
    assert_eq!(service::consent::view(&state, "nonsense").await.err(), Some(AppError::LinkInvalid));

    let view = service::consent::view(&state, &token).await.unwrap();
    assert_eq!(view.state.status, ConsentStatus::Requested);
    assert_eq!(view.title, "通院と両立できる働き方");
    let given =
        service::consent::respond(&state, &token, true, Some(ConsentScope::ArchiveAnonymised), true, Locale::Ja)
            .await
            .unwrap();
    assert!(given.allows_archive() && !given.allows_names());
    assert_eq!(
        service::consent::respond(&state, &token, false, None, false, Locale::Ja).await.err(),
        Some(AppError::LinkInvalid)
    );

    let confirmation = repo::outbox::list_for(state.db.conn(), "featured@example.jp").await.unwrap().pop().unwrap();
    assert_eq!(confirmation.kind, "consent_confirmation");
    service::consent::withdraw_with_link(&state, &link_token(&confirmation.body_text)).await.unwrap();

    let d = service::nominations::detail(&state, Some(&v), id).await.unwrap();
    assert_eq!(d.consent.state.status, ConsentStatus::Withdrawn);
    let trail: Vec<_> = d.consent.history.iter().map(|h| (h.to, h.actor.as_str())).collect();
    assert_eq!(
        trail,
        vec![
            (ConsentStatus::Requested, "nominator"),
            (ConsentStatus::Given, "featured"),
            (ConsentStatus::Withdrawn, "featured")
        ]
    );
    let audit = repo::audit::list(state.db.conn(), None, Some("consent."), Some(id.0), 10).await.unwrap();
    assert_eq!(audit.len(), 3);
    // After a withdrawal only organisers may ask again.
    assert_eq!(service::consent::request(&state, Some(&v), id, None).await.err(), Some(AppError::InvalidTransition));
}

async fn an_expired_consent_link_is_refused(state: AppState) {
    let (v, id) = drafted(&state, "expiry@example.jp").await;
    service::consent::request(&state, Some(&v), id, Some("late-reader@example.jp")).await.unwrap();
    let mail = repo::outbox::list_for(state.db.conn(), "late-reader@example.jp").await.unwrap().pop().unwrap();
    let token = link_token(&mail.body_text);
    use sea_orm::{ConnectionTrait, Statement};
    let past = chrono::Utc::now() - chrono::Duration::days(1);
    let backend = state.db.backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => "UPDATE consent_tokens SET expires_at = $1",
        _ => "UPDATE consent_tokens SET expires_at = ?",
    };
    state.db.conn().execute_raw(Statement::from_sql_and_values(backend, sql, [past.into()])).await.unwrap();
    assert_eq!(service::consent::view(&state, &token).await.err(), Some(AppError::LinkInvalid));
    assert_eq!(
        service::consent::respond(&state, &token, true, Some(ConsentScope::ReviewOnly), false, Locale::Ja).await.err(),
        Some(AppError::LinkInvalid)
    );
}

async fn a_self_nomination_records_the_nominators_own_consent(state: AppState) {
    let (v, id) = drafted(&state, "self@example.jp").await;
    let mut input = complete_input();
    input.relationship = "self".into();
    input.nominee_type = "person".into();
    input.nominee_kana = "てすと".into();
    input.self_consent_scope = "archive_named".into();
    service::nominations::save(&state, Some(&v), id, 2, input).await.unwrap();
    let d = service::nominations::detail(&state, Some(&v), id).await.unwrap();
    assert!(d.consent.self_nomination && d.consent.state.allows_names());
    assert!(!d.can_request_consent);
    service::nominations::submit(&state, Some(&v), id, true, Locale::Ja).await.unwrap();
}

async fn the_organiser_csv_opens_in_excel(state: AppState) {
    let (v, id) = drafted(&state, "csv@example.jp").await;
    service::nominations::submit(&state, Some(&v), id, true, Locale::Ja).await.unwrap();
    let d = service::nominations::detail(&state, Some(&v), id).await.unwrap();
    let org = account(&state, "csv-org@example.jp", app::domain::account::Role::Organiser).await;
    // Only organisers export.
    assert_eq!(
        service::nominations::export_csv(&state, Some(&v), d.edition.id, &Default::default()).await.err(),
        Some(app::error::AppError::Forbidden)
    );
    let bytes = service::nominations::export_csv(&state, Some(&org), d.edition.id, &Default::default()).await.unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("ID,部門,状態"));
    assert!(text.contains("通院と両立できる働き方") && text.contains("埼玉県") && text.contains("企業実践部門"));
    let filtered = service::nominations::export_csv(
        &state,
        Some(&org),
        d.edition.id,
        &service::nominations::NominationFilter { status: "draft".into(), ..Default::default() },
    )
    .await
    .unwrap();
    assert!(!String::from_utf8_lossy(&filtered).contains("通院と両立できる働き方"));
}

on_both_backends!(
    a_nominator_cannot_read_edit_submit_or_withdraw_anothers_nomination,
    submitting_after_the_deadline_is_refused_and_the_entry_becomes_read_only,
    a_stale_edit_is_refused_and_saves_nothing,
    a_double_submit_is_harmless,
    submitting_needs_every_required_field_and_the_acknowledgement,
    a_submitted_entry_must_stay_complete_when_edited,
    hostile_html_is_cleaned_on_write_and_the_source_kept_for_editing,
    attachments_are_checked_by_content_size_and_count,
    consent_links_are_signed_single_use_and_withdrawal_is_recorded,
    an_expired_consent_link_is_refused,
    a_self_nomination_records_the_nominators_own_consent,
    the_organiser_csv_opens_in_excel,
);

/// The same attachment journey with the S3-compatible storage: `scripts/test.sh` starts a local
/// S3 emulator (moto, from PyPI) and sets `GP_TEST_S3_ENDPOINT`. Fails, not skips, without it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_round_trip_through_s3_compatible_storage() {
    use app::server::storage::{S3Config, Storage};
    let endpoint = std::env::var("GP_TEST_S3_ENDPOINT").expect(
        "GP_TEST_S3_ENDPOINT is not set: run scripts/test.sh, or point it at an S3-compatible endpoint \
         (e.g. `moto_server -p 9100`); skip with `-- --skip s3`",
    );
    let mut state = common::fresh_state(common::Backend::Sqlite).await;
    let bucket = format!("gp-test-{}", common::unique("b").to_lowercase().replace('_', "-"));
    let storage = Storage::s3(S3Config {
        endpoint,
        region: "ap-northeast-1".into(),
        bucket: bucket.clone(),
        access_key_id: "testing".into(),
        secret_access_key: "testing".into(),
        prefix: "uploads/".into(),
    })
    .unwrap();
    assert!(storage.check().await.is_err(), "the bucket does not exist yet");
    storage.create_bucket().await.unwrap();
    storage.check().await.unwrap();
    state.storage = storage.clone();

    let (v, id) = drafted(&state, "s3@example.jp").await;
    let att = service::attachments::add(&state, Some(&v), id, "資料.pdf", PDF).await.unwrap();
    let got = service::attachments::download(&state, Some(&v), att).await.unwrap();
    assert_eq!(got.bytes, PDF);
    assert_eq!(got.file_name, "資料.pdf");
    let key = repo::attachments::find(state.db.conn(), att.0).await.unwrap().unwrap().storage_key;
    assert_eq!(storage.get(&key).await.unwrap(), PDF, "the bytes are in the bucket");

    service::attachments::remove(&state, Some(&v), id, att).await.unwrap();
    assert!(storage.get(&key).await.is_err(), "removed from the bucket too");
    storage.delete(&key).await.unwrap();
    assert!(storage.put("../escape", b"x").await.is_err());
}
