//! The outbox and its sender: exclusive claims, delivery to a folder, retries with back-off.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use app::server::{config::MailTransport, mail, repo, AppState};
use chrono::Utc;

async fn only_one_process_can_claim_a_mail(state: AppState) {
    let id = repo::outbox::insert(state.db.conn(), "test", "x@example.jp", "s", "b", Utc::now()).await.unwrap();
    let now = Utc::now();
    let until = now + chrono::Duration::seconds(60);
    assert!(repo::outbox::claim(state.db.conn(), id, now, until).await.unwrap());
    assert!(!repo::outbox::claim(state.db.conn(), id, now, until).await.unwrap());
    // Once the claim has expired (a crashed sender), another process may take it.
    let later = until + chrono::Duration::seconds(1);
    assert!(repo::outbox::claim(state.db.conn(), id, later, later + chrono::Duration::seconds(60)).await.unwrap());
}

async fn queued_mail_is_written_to_the_folder_and_marked_sent(state: AppState) {
    let tx = state.db.begin().await.unwrap();
    mail::queue(&*tx, "hanako@example.jp", mail::password_reset(app::i18n::Locale::Ja, "花子", "http://x/reset"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let MailTransport::Dir(dir) = state.config.mail.clone() else { panic!() };
    let transport = mail::Transport::build(&state.config.mail).unwrap();
    let from = state.config.mail_from.parse().unwrap();
    assert_eq!(mail::drain(&state, &transport, &from).await.unwrap(), 1);
    let json = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .find(|e| e.path().extension().is_some_and(|x| x == "json"))
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json.path()).unwrap()).unwrap();
    assert_eq!(v["to"], "hanako@example.jp");
    assert!(v["body"].as_str().unwrap().contains("http://x/reset"));
    let rows = repo::outbox::list_for(state.db.conn(), "hanako@example.jp").await.unwrap();
    assert_eq!(rows[0].status, "sent");
    assert_eq!(mail::drain(&state, &transport, &from).await.unwrap(), 0);
}

async fn a_rolled_back_change_sends_no_mail(state: AppState) {
    let tx = state.db.begin().await.unwrap();
    mail::queue(&*tx, "nobody@example.jp", mail::welcome(app::i18n::Locale::En, "N", "http://x")).await.unwrap();
    drop(tx);
    assert!(repo::outbox::list_for(state.db.conn(), "nobody@example.jp").await.unwrap().is_empty());
}

async fn an_unreachable_smtp_server_is_retried_later(state: AppState) {
    repo::outbox::insert(state.db.conn(), "test", "x@example.jp", "s", "b", Utc::now()).await.unwrap();
    // Nothing listens on port 9 here: the connection is refused at once.
    let transport = mail::Transport::build(&MailTransport::Smtp {
        host: "127.0.0.1".into(),
        port: 9,
        username: None,
        password: None,
        security: app::server::config::SmtpSecurity::None,
    })
    .unwrap();
    let from = state.config.mail_from.parse().unwrap();
    assert_eq!(mail::drain(&state, &transport, &from).await.unwrap(), 0);
    let row = repo::outbox::list_for(state.db.conn(), "x@example.jp").await.unwrap().pop().unwrap();
    assert_eq!(row.status, "pending");
    assert_eq!(row.attempts, 1);
    assert!(row.last_error.is_some());
    assert!(row.next_attempt_at > Utc::now() + chrono::Duration::seconds(20));
}

on_both_backends!(
    only_one_process_can_claim_a_mail,
    queued_mail_is_written_to_the_folder_and_marked_sent,
    a_rolled_back_change_sends_no_mail,
    an_unreachable_smtp_server_is_retried_later,
);
