//! Background work started with the server: mail delivery and periodic housekeeping.
//! Every job is safe to run in several processes at once.
use std::time::Duration;

use tokio::{sync::watch, task::JoinHandle};

use crate::server::{mail, service, AppState};

pub fn spawn_all(state: AppState, stop: watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
    vec![
        tokio::spawn(mail::run_sender(state.clone(), stop.clone())),
        tokio::spawn(service::stages::run_scheduler(state.clone(), stop.clone())),
        tokio::spawn(housekeeping(state, stop)),
    ]
}

async fn housekeeping(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(e) = service::accounts::purge(&state.db).await {
            tracing::warn!(error = ?e, "housekeeping failed");
        }
        // Forum: reminders the day before an event, and registrants' data erased after the
        // event's retention (both idempotent and safe in several processes).
        if let Err(e) = service::forum::send_reminders(&state).await {
            tracing::warn!(error = ?e, "event reminders failed");
        }
        match service::forum::purge_expired(&state).await {
            Ok(n) if n > 0 => tracing::info!(registrations = n, "registrants' personal data erased after retention"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = ?e, "registration purge failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(600)) => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            break;
        }
    }
}
