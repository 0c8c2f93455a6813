//! The people's side against a real database: more time for a nominator, an account's own
//! data (profile, address, password, export, deletion), and a featured person's data through
//! their link.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::io::Read;

use app::domain::account::Role;
use app::domain::consent::{ConsentScope, ConsentStatus};
use app::domain::edition::StageKind;
use app::domain::ids::NominationId;
use app::domain::pace::ExtensionStatus;
use app::error::AppError;
use app::i18n::Locale;
use app::server::{auth, repo, service, AppState};
use app::wire::Viewer;
use common::fixtures::{account, close_nominations, complete_input, open_edition};

const PASSWORD: &str = "a-long-password-1";
const IP: &str = "10.9.9.9";

async fn draft(state: &AppState, who: &Viewer, edition: app::domain::ids::EditionId, title: &str) -> NominationId {
    let id = service::nominations::start(state, Some(who), edition, "corporate").await.unwrap();
    let mut input = complete_input();
    input.title = title.into();
    service::nominations::save(state, Some(who), id, 1, input).await.unwrap();
    id
}

async fn version(state: &AppState, id: NominationId) -> i32 {
    repo::nominations::find(state.db.conn(), id.0).await.unwrap().unwrap().version
}

async fn audit_text(state: &AppState) -> String {
    repo::audit::list(state.db.conn(), None, None, None, 10_000)
        .await
        .unwrap()
        .into_iter()
        .map(|a| format!("{} {} {}\n", a.actor_label, a.action, a.detail))
        .collect()
}

async fn a_nominator_asks_for_more_time_and_an_organiser_grants_it(state: AppState) {
    let edition = open_edition(&state, "pace").await;
    let nominator = account(&state, "nom@example.jp", Role::Nominator).await;
    let other = account(&state, "other@example.jp", Role::Nominator).await;
    let reviewer = account(&state, "rev@example.jp", Role::Reviewer).await;
    let organiser = account(&state, "org@example.jp", Role::Organiser).await;
    service::accounts::set_locale(&state, &nominator, Locale::En).await.unwrap();
    let id = draft(&state, &nominator, edition, "通院と両立").await;
    let declined = draft(&state, &nominator, edition, "二つ目").await;
    close_nominations(&state, edition).await;

    // Past the deadline: nothing can be saved or submitted.
    let v = version(&state, id).await;
    assert_eq!(
        service::nominations::save(&state, Some(&nominator), id, v, complete_input()).await.err(),
        Some(AppError::DeadlinePassed)
    );
    // A request names every problem, and only the nominator may make it.
    let bad = service::pace::request(&state, Some(&nominator), id, "30", " ").await.unwrap_err();
    assert_eq!(bad.field_errors().iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["days", "reason"]);
    assert_eq!(service::pace::request(&state, Some(&other), id, "3", "x").await.err(), Some(AppError::NotFound));
    let asked =
        service::pace::request(&state, Some(&nominator), id, "3", "入院のため、体調の波があります").await.unwrap();
    assert_eq!(asked.status, ExtensionStatus::Pending);
    service::pace::request(&state, Some(&nominator), declined, "2", "家族の看病").await.unwrap();

    // Organisers read the reason; nobody else, and the audit log does not hold it.
    let pending = service::pace::pending(&state, Some(&organiser), edition.0).await.unwrap();
    assert_eq!(pending.len(), 2);
    assert!(pending.iter().any(|p| p.reason.contains("入院")));
    assert_eq!(service::pace::pending(&state, Some(&nominator), edition.0).await.err(), Some(AppError::Forbidden));
    assert!(service::pace::decide(&state, Some(&reviewer), id, "grant", "").await.is_err());
    assert_eq!(service::pace::decide(&state, Some(&nominator), id, "grant", "").await.err(), Some(AppError::Forbidden));
    let log = audit_text(&state).await;
    assert!(log.contains("nomination.extension_requested"));
    assert!(!log.contains("入院") && !log.contains("看病"), "{log}");

    // Granted until the date asked for: the nomination can be saved and submitted again.
    service::pace::decide(&state, Some(&organiser), id, "grant", "").await.unwrap();
    let n = repo::nominations::find(state.db.conn(), id.0).await.unwrap().unwrap();
    let granted = n.extended_until.unwrap();
    assert!(granted > chrono::Utc::now() + chrono::Duration::days(2));
    let v = version(&state, id).await;
    service::nominations::save(&state, Some(&nominator), id, v, complete_input()).await.unwrap();
    service::nominations::submit(&state, Some(&nominator), id, true, Locale::En).await.unwrap();
    let detail = service::nominations::detail(&state, Some(&nominator), id).await.unwrap();
    assert_eq!(detail.deadline, Some(granted));
    assert_eq!(detail.extension.unwrap().status, ExtensionStatus::Granted);
    assert!(audit_text(&state).await.contains("nomination.extension_granted"));
    // The other one is declined: it stays closed, and the nominator is told, in English.
    service::pace::decide(&state, Some(&organiser), declined, "decline", "").await.unwrap();
    let v = version(&state, declined).await;
    assert_eq!(
        service::nominations::save(&state, Some(&nominator), declined, v, complete_input()).await.err(),
        Some(AppError::DeadlinePassed)
    );
    assert_eq!(
        service::pace::decide(&state, Some(&organiser), declined, "decline", "").await.err(),
        Some(AppError::InvalidTransition),
        "nothing left to decline"
    );
    let mails: Vec<_> = repo::outbox::list_for(state.db.conn(), "nom@example.jp")
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == "extension_decided")
        .collect();
    assert_eq!(mails.len(), 2);
    assert!(mails.iter().any(|m| m.subject.starts_with("Deadline extended")));
    assert!(mails.iter().any(|m| m.subject.starts_with("About your deadline")));
    // A grant must lie ahead and within the limit.
    let err = service::pace::decide(&state, Some(&organiser), declined, "grant", "2020-01-01T00:00").await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "until");
}

async fn an_address_changes_only_from_the_link_sent_to_it(state: AppState) {
    let me = account(&state, "me@example.jp", Role::Nominator).await;
    account(&state, "taken@example.jp", Role::Nominator).await;
    let wrong = service::my_data::request_email_change(&state, Some(&me), "new@example.jp", "wrong-password", IP).await;
    let wrong = wrong.unwrap_err();
    assert_eq!(wrong.field_errors()[0].field, "password");
    // Said as what it is, not as "the two entries do not match".
    assert_eq!(wrong.field_errors()[0].problem, app::domain::validation::Problem::WrongPassword);
    assert!(wrong.field_message("password", Locale::En).unwrap().contains("password is not correct"));
    service::my_data::request_email_change(&state, Some(&me), "New@Example.jp", PASSWORD, IP).await.unwrap();
    let view = service::my_data::account(&state, Some(&me)).await.unwrap();
    assert_eq!(view.email, "me@example.jp", "nothing changes before the link");
    assert_eq!(view.pending_email.as_deref(), Some("new@example.jp"));
    let link = repo::outbox::list_for(state.db.conn(), "new@example.jp").await.unwrap().pop().unwrap();
    let notice = repo::outbox::list_for(state.db.conn(), "me@example.jp").await.unwrap().pop().unwrap();
    assert_eq!(notice.kind, "email_change_notice");
    assert_eq!(link.kind, "email_change");
    assert!(!link.body_text.contains("テスト 利用者"), "a chosen name never reaches the new address");
    let token = link.body_text.split("/account/email/").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    // Someone featured the old address in a nomination: the person stays conflicted after moving.
    let edition = open_edition(&state, "addr").await;
    let friend = account(&state, "friend@example.jp", Role::Nominator).await;
    let mut input = complete_input();
    input.featured_email = "me@example.jp".into();
    let about_me = service::nominations::start(&state, Some(&friend), edition, "people").await.unwrap();
    service::nominations::save(&state, Some(&friend), about_me, 1, input).await.unwrap();
    let open = service::accounts::sign_in(&state, "me@example.jp", PASSWORD, "10.0.0.7", None).await.unwrap();
    service::my_data::confirm_email_change(&state, &token).await.unwrap();
    assert_eq!(repo::users::get(state.db.conn(), me.id.0).await.unwrap().email, "new@example.jp");
    assert!(service::accounts::resolve_session(&state, &open.token).await.unwrap().is_none(), "signed out everywhere");
    assert!(repo::review::is_conflicted(state.db.conn(), about_me.0, me.id.0).await.unwrap());
    assert_eq!(service::my_data::confirm_email_change(&state, &token).await.err(), Some(AppError::LinkInvalid));
    assert_eq!(service::my_data::confirm_email_change(&state, "forged").await.err(), Some(AppError::LinkInvalid));
    // An address someone else has is refused when the link is used.
    let me = service::accounts::to_viewer(&repo::users::get(state.db.conn(), me.id.0).await.unwrap());
    service::my_data::request_email_change(&state, Some(&me), "taken@example.jp", PASSWORD, IP).await.unwrap();
    let link = repo::outbox::list_for(state.db.conn(), "taken@example.jp").await.unwrap().pop().unwrap();
    let token = link.body_text.split("/account/email/").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    assert_eq!(service::my_data::confirm_email_change(&state, &token).await.err(), Some(AppError::EmailTaken));
    // Three requests an hour, then a pause (no mail bombing through the form).
    service::my_data::request_email_change(&state, Some(&me), "a3@example.jp", PASSWORD, IP).await.unwrap();
    assert!(matches!(
        service::my_data::request_email_change(&state, Some(&me), "a4@example.jp", PASSWORD, IP).await,
        Err(AppError::TooManyAttempts { .. })
    ));
    // The profile: name and language, each checked.
    let err = service::my_data::update_profile(&state, Some(&me), " ", "fr").await.unwrap_err();
    assert_eq!(err.field_errors().iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["display_name", "locale"]);
    service::my_data::update_profile(&state, Some(&me), "新しい 名前", "en").await.unwrap();
    let u = repo::users::get(state.db.conn(), me.id.0).await.unwrap();
    assert_eq!((u.display_name.as_str(), u.locale.as_deref()), ("新しい 名前", Some("en")));
}

async fn a_password_change_needs_the_current_one_and_signs_out_other_devices(state: AppState) {
    let me = account(&state, "pw@example.jp", Role::Nominator).await;
    let here = service::accounts::sign_in(&state, "pw@example.jp", PASSWORD, "10.0.0.1", None).await.unwrap();
    let there = service::accounts::sign_in(&state, "pw@example.jp", PASSWORD, "10.0.0.2", None).await.unwrap();
    let keep = auth::token_hash(&here.token);
    let err = service::my_data::change_password(
        &state,
        Some(&me),
        "wrong",
        "new-password-22",
        "new-password-22",
        Some(&keep),
        IP,
    )
    .await
    .unwrap_err();
    assert_eq!(err.field_errors()[0].field, "current_password");
    let err = service::my_data::change_password(&state, Some(&me), PASSWORD, "short", "other", Some(&keep), IP)
        .await
        .unwrap_err();
    assert_eq!(
        err.field_errors().iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
        ["new_password", "password_confirm"]
    );
    // An address change started before the password change dies with the old password.
    service::my_data::request_email_change(&state, Some(&me), "elsewhere@example.jp", PASSWORD, IP).await.unwrap();
    let link = repo::outbox::list_for(state.db.conn(), "elsewhere@example.jp").await.unwrap().pop().unwrap();
    let token = link.body_text.split("/account/email/").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    service::my_data::change_password(
        &state,
        Some(&me),
        PASSWORD,
        "new-password-22",
        "new-password-22",
        Some(&keep),
        IP,
    )
    .await
    .unwrap();
    assert_eq!(service::my_data::confirm_email_change(&state, &token).await.err(), Some(AppError::LinkInvalid));
    assert!(service::accounts::resolve_session(&state, &here.token).await.unwrap().is_some());
    assert!(service::accounts::resolve_session(&state, &there.token).await.unwrap().is_none());
    assert!(service::accounts::sign_in(&state, "pw@example.jp", "new-password-22", "10.0.0.3", None).await.is_ok());
    // A stolen session cannot guess the password: five wrong tries (one was above) lock the
    // re-check, whichever change it guards.
    for _ in 1..service::accounts::ACCOUNT_LIMIT {
        let wrong = service::my_data::delete_account(&state, Some(&me), "guess-guess-1", true, IP).await.unwrap_err();
        assert_eq!(wrong.field_errors().first().map(|f| f.field.as_str()), Some("password"), "{wrong:?}");
    }
    assert!(matches!(
        service::my_data::delete_account(&state, Some(&me), "new-password-22", true, IP).await,
        Err(AppError::TooManyAttempts { .. })
    ));
    assert!(!repo::users::get(state.db.conn(), me.id.0).await.unwrap().disabled);
}

fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            (f.name().unwrap().to_string(), s)
        })
        .collect()
}

async fn the_export_holds_exactly_the_persons_data(state: AppState) {
    let edition = open_edition(&state, "exp").await;
    let me = account(&state, "me@example.jp", Role::Nominator).await;
    let someone = account(&state, "someone@example.jp", Role::Nominator).await;
    let mine = draft(&state, &me, edition, "わたしの推薦").await;
    let mut theirs_input = complete_input();
    theirs_input.title = "ほかの人の推薦".into();
    theirs_input.featured_email = "their-friend@example.jp".into();
    let theirs = service::nominations::start(&state, Some(&someone), edition, "support").await.unwrap();
    service::nominations::save(&state, Some(&someone), theirs, 1, theirs_input).await.unwrap();
    repo::attachments::insert(
        state.db.conn(),
        mine.0,
        "計画.pdf",
        "application/pdf",
        8,
        "k/1",
        "abc",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    service::consent::request(&state, Some(&me), mine, Some("hr@example.jp")).await.unwrap();
    service::pace::request(&state, Some(&me), mine, "2", "通院の日が重なる").await.unwrap();

    let files = unzip(&service::my_data::export(&state, Some(&me)).await.unwrap());
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    for expected in [
        "README.txt",
        "account.json",
        "attachments.csv",
        "conflicts.csv",
        "consents.csv",
        "event_registrations.csv",
        "extension_requests.csv",
        "nominations.csv",
        "nominations.json",
        "reviews.csv",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let all: String = files.values().cloned().collect();
    assert!(all.contains("わたしの推薦") && all.contains("計画.pdf") && all.contains("hr@example.jp"));
    assert!(all.contains("通院の日が重なる"), "my own reason is mine");
    assert!(files["account.json"].contains("me@example.jp"));
    assert!(!all.contains("ほかの人の推薦") && !all.contains("someone@example.jp") && !all.contains("their-friend"));
    assert!(files["nominations.csv"].starts_with('\u{feff}'), "CSV opens in Excel as UTF-8");
    // Nobody else downloads it.
    assert_eq!(service::my_data::export(&state, None).await.err(), Some(AppError::SignInRequired));
}

async fn deletion_erases_what_nobody_relied_on_and_keeps_the_rest_only_as_consented(state: AppState) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let edition = open_edition(&state, "del").await;
    let me = service::accounts::create_account(&state.db, "leaving@example.jp", "退会 花子", PASSWORD, Role::Nominator)
        .await
        .unwrap();
    let me = service::accounts::to_viewer(&me);
    let organiser = account(&state, "org@example.jp", Role::Organiser).await;
    let second = account(&state, "org2@example.jp", Role::Organiser).await;
    let unsent = draft(&state, &me, edition, "下書きの推薦").await;
    // Submitted, then withdrawn: erased, and what its log entries said with it.
    let gone = draft(&state, &me, edition, "取り下げた推薦").await;
    service::nominations::submit(&state, Some(&me), gone, true, Locale::Ja).await.unwrap();
    service::nominations::withdraw(&state, Some(&me), gone, Locale::Ja).await.unwrap();
    assert!(audit_text(&state).await.contains("取り下げた推薦"));
    let kept = draft(&state, &me, edition, "審査中の推薦").await;
    service::nominations::submit(&state, Some(&me), kept, true, Locale::Ja).await.unwrap();
    service::consent::request(&state, Some(&me), kept, Some("f@example.jp")).await.unwrap();
    let mail = repo::outbox::list_for(state.db.conn(), "f@example.jp").await.unwrap().pop().unwrap();
    let token = mail.body_text.split("/consent/").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    service::consent::respond(&state, &token, true, Some(ConsentScope::ArchiveAnonymised), false, Locale::Ja)
        .await
        .unwrap();
    // The entry was certified and its record published, anonymised as consented.
    let n = repo::nominations::find(state.db.conn(), kept.0).await.unwrap().unwrap();
    let mut am: app::server::entities::nomination::ActiveModel = n.into();
    am.outcome = Set(app::domain::nomination::Outcome::parse("certified").unwrap());
    am.update(state.db.conn()).await.unwrap();
    let e = repo::editions::find(state.db.conn(), edition.0).await.unwrap().unwrap();
    let mut am: app::server::entities::edition::ActiveModel = e.into();
    am.results_published_at = Set(Some(chrono::Utc::now()));
    am.current_stage = Set(StageKind::Results);
    am.update(state.db.conn()).await.unwrap();
    let practice = service::archive::prepare(&state, Some(&organiser), kept).await.unwrap();
    let draft_text = service::archive::PracticeDraft {
        title: "両立支援".into(),
        summary: "ある企業の取り組み".into(),
        ..Default::default()
    };
    service::archive::save_draft(&state, Some(&organiser), practice, draft_text).await.unwrap();
    let fp = service::archive::edit_view(&state, Some(&second), practice).await.unwrap().fingerprint;
    service::archive::sign_off(&state, Some(&second), practice, &fp).await.unwrap();
    let before = service::archive::record(&state, None, &practice.to_string()).await.unwrap();

    // What the page says before: the draft is erased, the reviewed entry stays with its scope.
    let preview = service::my_data::deletion_preview(&state, Some(&me)).await.unwrap();
    let after_of = |id: NominationId| preview.items.iter().find(|i| i.nomination_id == id).unwrap().after;
    assert_eq!(after_of(gone), app::domain::account::AfterDeletion::Erase);
    assert_eq!(after_of(kept), app::domain::account::AfterDeletion::KeepAnonymised);
    assert_eq!(
        preview.items.iter().find(|i| i.nomination_id == kept).unwrap().record_scope.as_deref(),
        Some(ConsentScope::ArchiveAnonymised.key())
    );
    // It needs the password and the checkbox.
    assert_eq!(
        service::my_data::delete_account(&state, Some(&me), PASSWORD, false, IP).await.unwrap_err().field_errors()[0]
            .field,
        "confirm"
    );
    assert_eq!(
        service::my_data::delete_account(&state, Some(&me), "wrong", true, IP).await.unwrap_err().field_errors()[0]
            .field,
        "password"
    );
    let signed = service::accounts::sign_in(&state, "leaving@example.jp", PASSWORD, "10.0.0.9", None).await.unwrap();
    service::my_data::delete_account(&state, Some(&me), PASSWORD, true, IP).await.unwrap();

    let c = state.db.conn();
    assert!(repo::nominations::find(c, gone.0).await.unwrap().is_none(), "the withdrawn entry is erased");
    assert!(repo::nominations::find(c, unsent.0).await.unwrap().is_none(), "the draft is erased");
    let n = repo::nominations::find(c, kept.0).await.unwrap().unwrap();
    assert_eq!(n.nominator_id, me.id.0, "the entry stays, pointing at the anonymised account");
    let u = repo::users::get(c, me.id.0).await.unwrap();
    assert!(u.disabled && !u.email.contains("leaving") && !u.display_name.contains("花子"));
    assert!(service::accounts::resolve_session(&state, &signed.token).await.unwrap().is_none());
    assert!(service::accounts::sign_in(&state, "leaving@example.jp", PASSWORD, "10.0.0.9", None).await.is_err());
    // The record is exactly as consented before: anonymised, still public.
    let after = service::archive::record(&state, None, &practice.to_string()).await.unwrap();
    assert_eq!(after.nominee_name, None);
    assert_eq!(after.title, before.title);
    assert_eq!(repo::consents::find(c, kept.0).await.unwrap().unwrap().status, ConsentStatus::Given);
    // No personal data of the account in the audit log, and one entry saying what happened.
    let log = audit_text(&state).await;
    assert!(log.contains("account.deleted"));
    for personal in ["leaving@example.jp", "退会 花子", "取り下げた推薦"] {
        assert!(!log.contains(personal), "{personal} in the audit log:\n{log}");
    }
    // The farewell says what stays and why; nothing else is left addressed to them.
    let mails = repo::outbox::list_for(c, "leaving@example.jp").await.unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].kind, "account_deleted");
    assert!(mails[0].body_text.contains("審査中の推薦") && !mails[0].body_text.contains("下書きの推薦"));
    assert!(mails[0].body_text.contains("退会 花子"), "greeted by name in the last mail");

    // The last administrator cannot leave the platform without one.
    let admin = account(&state, "admin@example.jp", Role::Admin).await;
    let err = service::my_data::delete_account(&state, Some(&admin), PASSWORD, true, IP).await.unwrap_err();
    assert_eq!(err.field_errors()[0].problem, app::domain::validation::Problem::LastAdmin);
}

async fn a_featured_person_sees_downloads_and_erases_their_details(state: AppState) {
    let edition = open_edition(&state, "feat").await;
    let nominator = account(&state, "nom@example.jp", Role::Nominator).await;
    let id = draft(&state, &nominator, edition, "紹介の推薦").await;
    service::consent::request(&state, Some(&nominator), id, Some("feat@example.jp")).await.unwrap();
    let mail = repo::outbox::list_for(state.db.conn(), "feat@example.jp").await.unwrap().pop().unwrap();
    let respond = mail.body_text.split("/consent/").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
    service::consent::respond(&state, &respond, true, Some(ConsentScope::ArchiveNamed), false, Locale::Ja)
        .await
        .unwrap();
    let mail = repo::outbox::list_for(state.db.conn(), "feat@example.jp").await.unwrap().pop().unwrap();
    let link = mail.body_text.split("/consent/").nth(1).unwrap().split_whitespace().next().unwrap().to_string();

    let d = service::consent::featured_data(&state, &link).await.unwrap();
    assert_eq!((d.nominee_name.as_str(), d.email.as_str()), ("株式会社テスト", "feat@example.jp"));
    assert_eq!(d.consent.status, ConsentStatus::Given);
    let json = String::from_utf8(service::consent::featured_export(&state, &link).await.unwrap()).unwrap();
    assert!(json.contains("株式会社テスト") && !json.contains("nom@example.jp"), "{json}");
    assert_eq!(service::consent::featured_data(&state, "forged.token").await.err(), Some(AppError::LinkInvalid));

    // The mails sent to them so far (the sender ran): erased with their details.
    for m in repo::outbox::list_for(state.db.conn(), "feat@example.jp").await.unwrap() {
        repo::outbox::mark_sent(state.db.conn(), m.id, chrono::Utc::now(), &m.body_text).await.unwrap();
    }
    service::consent::erase_featured(&state, &link, Locale::Ja).await.unwrap();
    let n = repo::nominations::find(state.db.conn(), id.0).await.unwrap().unwrap();
    assert!(n.nominee_name.is_empty() && n.nominee_kana.is_empty() && n.featured_email.is_empty());
    assert_eq!(repo::consents::find(state.db.conn(), id.0).await.unwrap().unwrap().status, ConsentStatus::Withdrawn);
    assert_eq!(service::consent::featured_data(&state, &link).await.err(), Some(AppError::LinkInvalid));
    let log = audit_text(&state).await;
    assert!(log.contains("consent.featured_erased") && !log.contains("feat@example.jp"), "{log}");
    // Only the farewell is left addressed to them, and it is forgotten once sent.
    let left = repo::outbox::list_for(state.db.conn(), "feat@example.jp").await.unwrap();
    assert_eq!(left.iter().map(|m| m.kind.as_str()).collect::<Vec<_>>(), [app::server::mail::FORGET_AFTER_SENDING]);
}

on_both_backends!(
    a_nominator_asks_for_more_time_and_an_organiser_grants_it,
    an_address_changes_only_from_the_link_sent_to_it,
    a_password_change_needs_the_current_one_and_signs_out_other_devices,
    the_export_holds_exactly_the_persons_data,
    deletion_erases_what_nobody_relied_on_and_keeps_the_rest_only_as_consented,
    a_featured_person_sees_downloads_and_erases_their_details,
);
