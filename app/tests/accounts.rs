//! Accounts, sessions, rate limiting, password reset and roles against a real database.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use app::domain::{account::Role, ids::UserId};
use app::error::AppError;
use app::i18n::Locale;
use app::server::{auth, repo, service::accounts, AppState};

async fn sign_up(state: &AppState, email: &str) -> accounts::SignedIn {
    accounts::sign_up(state, email, "山田 花子", "yuragi-to-taiwa", Locale::Ja, "10.0.0.1", None).await.unwrap()
}

async fn sign_up_creates_a_nominator_signs_in_and_queues_a_welcome_mail(state: AppState) {
    let signed = sign_up(&state, "Hanako@Example.jp").await;
    assert_eq!(signed.viewer.role, Role::Nominator);
    assert_eq!(signed.viewer.email, "hanako@example.jp");
    let session = accounts::resolve_session(&state, &signed.token).await.unwrap().unwrap();
    assert_eq!(session.viewer.id, signed.viewer.id);
    let mails = repo::outbox::list_for(state.db.conn(), "hanako@example.jp").await.unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].kind, "welcome");
    assert!(mails[0].subject.contains("登録"));
}

async fn the_same_address_cannot_register_twice_whatever_its_case(state: AppState) {
    sign_up(&state, "taro@example.jp").await;
    let again =
        accounts::sign_up(&state, " TARO@example.jp ", "太郎", "another-password", Locale::Ja, "10.0.0.2", None).await;
    assert_eq!(again.err(), Some(AppError::EmailTaken));
}

async fn sign_up_with_bad_fields_names_each_field_and_saves_nothing(state: AppState) {
    let err = accounts::sign_up(&state, "nope", "", "short", Locale::En, "10.0.0.3", None).await.unwrap_err();
    let AppError::Validation(fields) = err else { panic!("expected validation") };
    let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["email", "display_name", "password"]);
    assert!(repo::users::list(state.db.conn()).await.unwrap().is_empty());
}

async fn wrong_password_is_refused_without_saying_which_part_was_wrong(state: AppState) {
    sign_up(&state, "a@example.jp").await;
    let wrong = accounts::sign_in(&state, "a@example.jp", "not-the-password", "10.0.0.4", None).await;
    assert_eq!(wrong.err(), Some(AppError::InvalidCredentials));
    let unknown = accounts::sign_in(&state, "nobody@example.jp", "whatever-password", "10.0.0.4", None).await;
    assert_eq!(unknown.err(), Some(AppError::InvalidCredentials));
}

async fn five_failures_lock_the_account_even_for_the_right_password(state: AppState) {
    sign_up(&state, "b@example.jp").await;
    for i in 0..accounts::ACCOUNT_LIMIT {
        let ip = format!("10.1.0.{i}");
        assert_eq!(
            accounts::sign_in(&state, "b@example.jp", "wrong-password", &ip, None).await.err(),
            Some(AppError::InvalidCredentials)
        );
    }
    let blocked = accounts::sign_in(&state, "B@example.jp", "yuragi-to-taiwa", "10.1.1.1", None).await;
    assert_eq!(blocked.err(), Some(AppError::TooManyAttempts { minutes: 15 }));
    assert!(AppError::TooManyAttempts { minutes: 15 }.message(Locale::Ja).contains("15分"));
}

async fn many_failures_from_one_address_lock_that_address(state: AppState) {
    sign_up(&state, "c@example.jp").await;
    for i in 0..accounts::IP_LIMIT {
        let email = format!("guess{i}@example.jp");
        let _ = accounts::sign_in(&state, &email, "wrong-password", "203.0.113.9", None).await;
    }
    let blocked = accounts::sign_in(&state, "c@example.jp", "yuragi-to-taiwa", "203.0.113.9", None).await;
    assert!(matches!(blocked, Err(AppError::TooManyAttempts { .. })));
    let elsewhere = accounts::sign_in(&state, "c@example.jp", "yuragi-to-taiwa", "198.51.100.1", None).await;
    assert!(elsewhere.is_ok());
}

async fn signing_in_rotates_the_session_id(state: AppState) {
    let first = sign_up(&state, "d@example.jp").await;
    let old_id = auth::token_hash(&first.token);
    let second = accounts::sign_in(&state, "d@example.jp", "yuragi-to-taiwa", "10.0.0.5", Some(&old_id)).await.unwrap();
    assert_ne!(first.token, second.token);
    assert!(accounts::resolve_session(&state, &first.token).await.unwrap().is_none());
    assert!(accounts::resolve_session(&state, &second.token).await.unwrap().is_some());
}

async fn signing_out_ends_the_session(state: AppState) {
    let s = sign_up(&state, "e@example.jp").await;
    // Looked up once: from here on the process remembers it (`SessionMemo`).
    assert!(accounts::resolve_session(&state, &s.token).await.unwrap().is_some());
    accounts::sign_out(&state, &auth::token_hash(&s.token)).await.unwrap();
    assert!(accounts::resolve_session(&state, &s.token).await.unwrap().is_none());
    assert!(accounts::resolve_session(&state, "made-up-token").await.unwrap().is_none());
}

async fn a_reset_link_works_once_and_signs_out_everywhere(state: AppState) {
    let s = sign_up(&state, "f@example.jp").await;
    accounts::request_password_reset(&state, "F@example.jp", Locale::En, "10.0.0.6").await.unwrap();
    let mail = repo::outbox::list_for(state.db.conn(), "f@example.jp").await.unwrap().pop().unwrap();
    assert_eq!(mail.kind, "password_reset");
    let token = mail.body_text.split("token=").nth(1).unwrap().split_whitespace().next().unwrap().to_string();

    let mismatch = accounts::reset_password(&state, &token, "new-password-123", "new-password-124", "127.0.0.1").await;
    assert!(matches!(mismatch, Err(AppError::Validation(_))));
    accounts::reset_password(&state, &token, "new-password-123", "new-password-123", "127.0.0.1").await.unwrap();
    assert_eq!(
        accounts::reset_password(&state, &token, "another-password", "another-password", "127.0.0.1").await.err(),
        Some(AppError::LinkInvalid)
    );
    assert!(accounts::resolve_session(&state, &s.token).await.unwrap().is_none());
    assert!(accounts::sign_in(&state, "f@example.jp", "yuragi-to-taiwa", "10.0.0.6", None).await.is_err());
    assert!(accounts::sign_in(&state, "f@example.jp", "new-password-123", "10.0.0.6", None).await.is_ok());
}

/// The remembered session follows every change at once, not after its half second: a new role,
/// a new name, another session's password change, the account's deletion.
async fn a_remembered_session_follows_each_change_at_once(state: AppState) {
    let admin = accounts::create_account(&state.db, "admin2@example.jp", "Admin", "admin-password-1", Role::Admin)
        .await
        .unwrap();
    let me = sign_up(&state, "h@example.jp").await;
    let elsewhere = accounts::sign_in(&state, "h@example.jp", "yuragi-to-taiwa", "10.0.0.8", None).await.unwrap();
    let resolve = |token: String| {
        let state = state.clone();
        async move { accounts::resolve_session(&state, &token).await.unwrap() }
    };
    for _ in 0..2 {
        assert_eq!(resolve(me.token.clone()).await.unwrap().viewer.role, Role::Nominator);
        assert!(resolve(elsewhere.token.clone()).await.is_some());
    }
    accounts::change_role(&state.db, Some(&accounts::to_viewer(&admin)), me.viewer.id, Role::Reviewer).await.unwrap();
    assert_eq!(resolve(me.token.clone()).await.unwrap().viewer.role, Role::Reviewer);
    let viewer = resolve(me.token.clone()).await.unwrap().viewer;
    app::server::service::my_data::update_profile(&state, Some(&viewer), "山田 次郎", "ja").await.unwrap();
    assert_eq!(resolve(me.token.clone()).await.unwrap().viewer.display_name, "山田 次郎");
    // A new password signs out every other session.
    let viewer = resolve(me.token.clone()).await.unwrap().viewer;
    app::server::service::my_data::change_password(
        &state,
        Some(&viewer),
        "yuragi-to-taiwa",
        "another-password-9",
        "another-password-9",
        Some(&auth::token_hash(&me.token)),
        "10.0.0.8",
    )
    .await
    .unwrap();
    assert!(resolve(elsewhere.token.clone()).await.is_none(), "the other session ended at once");
    assert!(resolve(me.token.clone()).await.is_some(), "this one kept");
    // Signing out of the kept one.
    accounts::sign_out(&state, &auth::token_hash(&me.token)).await.unwrap();
    assert!(resolve(me.token.clone()).await.is_none());
}

async fn a_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(state: AppState) {
    accounts::request_password_reset(&state, "ghost@example.jp", Locale::Ja, "10.0.0.7").await.unwrap();
    assert!(repo::outbox::list_for(state.db.conn(), "ghost@example.jp").await.unwrap().is_empty());
}

async fn only_admins_change_roles_and_the_last_admin_stays(state: AppState) {
    let admin = accounts::create_account(&state.db, "admin@example.jp", "Admin", "admin-password-1", Role::Admin)
        .await
        .unwrap();
    let member = sign_up(&state, "g@example.jp").await;
    let admin_viewer = accounts::to_viewer(&admin);

    assert_eq!(
        accounts::change_role(&state.db, Some(&member.viewer), member.viewer.id, Role::Admin).await.err(),
        Some(AppError::Forbidden)
    );
    accounts::change_role(&state.db, Some(&admin_viewer), member.viewer.id, Role::Reviewer).await.unwrap();
    let after = accounts::resolve_session(&state, &member.token).await.unwrap().unwrap();
    assert_eq!(after.viewer.role, Role::Reviewer);

    assert_eq!(
        accounts::change_role(&state.db, Some(&admin_viewer), UserId(admin.id), Role::Nominator).await.err(),
        Some(AppError::InvalidTransition)
    );
    assert_eq!(
        accounts::change_role(&state.db, Some(&admin_viewer), UserId(999_999), Role::Reviewer).await.err(),
        Some(AppError::NotFound)
    );
}

async fn the_signing_key_is_created_once_and_shared(state: AppState) {
    let again = repo::secrets::signing_key(state.db.conn(), None).await.unwrap();
    assert_eq!(*state.signing_key, again);
    assert!(again.len() >= 64);
}

on_both_backends!(
    sign_up_creates_a_nominator_signs_in_and_queues_a_welcome_mail,
    the_same_address_cannot_register_twice_whatever_its_case,
    sign_up_with_bad_fields_names_each_field_and_saves_nothing,
    wrong_password_is_refused_without_saying_which_part_was_wrong,
    five_failures_lock_the_account_even_for_the_right_password,
    many_failures_from_one_address_lock_that_address,
    signing_in_rotates_the_session_id,
    signing_out_ends_the_session,
    a_reset_link_works_once_and_signs_out_everywhere,
    a_remembered_session_follows_each_change_at_once,
    a_reset_for_an_unknown_address_answers_the_same_and_sends_nothing,
    only_admins_change_roles_and_the_last_admin_stays,
    the_signing_key_is_created_once_and_shared,
);
