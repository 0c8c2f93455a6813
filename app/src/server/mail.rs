//! Mail: templates in both languages, queued through the outbox in the caller's transaction,
//! and the sender task that delivers them with retries (SMTP, or a folder in development).
use std::{path::Path, time::Duration};

use chrono::Utc;
use lettre::{
    message::{header::ContentType, Mailbox},
    transport::smtp::authentication::Credentials,
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use sea_orm::{ConnectionTrait, DbErr};

use crate::i18n::Locale;
use crate::server::{
    config::{MailTransport, SmtpSecurity},
    entities::outbox,
    repo, AppState,
};

/// A rendered mail, ready to queue.
pub struct Rendered {
    pub kind: &'static str,
    pub subject: String,
    pub body: String,
}

/// Queues a mail in the same transaction as the change that causes it: if the change rolls
/// back, no mail goes out; if it commits, the mail will be delivered.
pub async fn queue<C: ConnectionTrait>(c: &C, to: &str, mail: Rendered) -> Result<(), DbErr> {
    repo::outbox::insert(c, mail.kind, to, &mail.subject, &mail.body, Utc::now()).await.map(|_| ())
}

/// Queues a mail with one text attachment (a confirmation's calendar entry).
pub async fn queue_with<C: ConnectionTrait>(
    c: &C,
    to: &str,
    mail: Rendered,
    attachment: repo::outbox::Attachment,
) -> Result<(), DbErr> {
    repo::outbox::insert_with(c, mail.kind, to, &mail.subject, &mail.body, Some(attachment), Utc::now())
        .await
        .map(|_| ())
}

fn footer(locale: Locale) -> &'static str {
    match locale {
        Locale::Ja => "\n\n--\nゆらぎと対話 グッドプラクティス\nこのメールは送信専用です。お心当たりのない場合は、このメールを破棄してください。",
        Locale::En => "\n\n--\nYuragi & Dialogue Good Practice\nThis address does not receive replies. If you did not expect this message, you can ignore it.",
    }
}

pub fn password_reset(locale: Locale, name: &str, link: &str) -> Rendered {
    let (subject, body) = match locale {
        Locale::Ja => (
            "パスワード再設定のご案内".to_string(),
            format!("{name} 様\n\nパスワード再設定のお申し込みを受け付けました。\n下のリンクから新しいパスワードを設定してください(有効期限1時間・1回限り)。\n\n{link}\n\nお申し込みに心当たりがない場合は、何もしなくて大丈夫です。パスワードは変わりません。"),
        ),
        Locale::En => (
            "Resetting your password".to_string(),
            format!("Dear {name},\n\nWe received a request to reset your password.\nUse the link below to choose a new one (valid for one hour, once).\n\n{link}\n\nIf you did not ask for this, you need not do anything; your password stays the same."),
        ),
    };
    Rendered { kind: "password_reset", subject, body: body + footer(locale) }
}

pub fn welcome(locale: Locale, name: &str, link: &str) -> Rendered {
    let (subject, body) = match locale {
        Locale::Ja => (
            "ご登録ありがとうございます".to_string(),
            format!("{name} 様\n\nアカウントを作成しました。実践の推薦・応募はこちらから始められます。\n{link}\n\n対話ルールを大切に、ご一緒に実践を共有していきましょう。"),
        ),
        Locale::En => (
            "Welcome".to_string(),
            format!("Dear {name},\n\nYour account is ready. You can start a nomination here:\n{link}\n\nThank you for sharing practices with us, in the spirit of our dialogue rules."),
        ),
    };
    Rendered { kind: "welcome", subject, body: body + footer(locale) }
}

/// Generic builder for the other areas' mails (nominations, consent, review): a greeting, the
/// message and a link, with the standard footer.
pub fn notice(
    kind: &'static str,
    locale: Locale,
    name: &str,
    subject: String,
    message: &str,
    link: Option<&str>,
) -> Rendered {
    let greeting = match locale {
        Locale::Ja => format!("{name} 様\n\n"),
        Locale::En => format!("Dear {name},\n\n"),
    };
    let mut body = greeting + message;
    if let Some(link) = link {
        body.push_str("\n\n");
        body.push_str(link);
    }
    body.push_str(footer(locale));
    Rendered { kind, subject, body }
}

const MAX_ATTEMPTS: i32 = 8;
const BATCH: u64 = 20;

/// Delay before the next try: 30 s, 1 min, 2 min … capped at one hour.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 12) as u32 - 1;
    Duration::from_secs((30u64 << exp).min(3600))
}

/// Delivers due mail until `shutdown` turns true. Safe with several processes: each row is
/// claimed by a conditional update before it is sent.
pub async fn run_sender(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let transport = match Transport::build(&state.config.mail) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "mail transport could not be configured; mail stays queued");
            return;
        }
    };
    let from: Mailbox = match state.config.mail_from.parse() {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "MAIL_FROM is not a mailbox");
            return;
        }
    };
    loop {
        if let Err(e) = drain(&state, &transport, &from).await {
            tracing::warn!(error = %e, "mail sender pass failed; will retry");
        }
        tokio::select! {
            _ = state.mail_wake.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            break;
        }
    }
}

/// The kind of mail whose row is deleted once delivered (or given up): the farewell to a
/// deleted account.
pub const FORGET_AFTER_SENDING: &str = "account_deleted";

/// One pass over due mail; returns how many were delivered.
pub async fn drain(state: &AppState, transport: &Transport, from: &Mailbox) -> Result<usize, DbErr> {
    let c = state.db.conn();
    let now = Utc::now();
    let mut sent = 0;
    for row in repo::outbox::due(c, now, BATCH).await? {
        let until = now + chrono::Duration::seconds(120);
        if !repo::outbox::claim(c, row.id, now, until).await? {
            continue;
        }
        match transport.send(from, &row).await {
            Ok(()) => {
                repo::outbox::mark_sent(c, row.id, Utc::now(), &redact_one_time_links(&row.body_text)).await?;
                if row.kind == FORGET_AFTER_SENDING {
                    // The last mail to a deleted account: once delivered, its address is kept nowhere.
                    repo::outbox::delete(c, row.id).await?;
                }
                sent += 1;
                tracing::info!(id = row.id, kind = %row.kind, "mail delivered");
            }
            Err(e) => {
                let attempts = row.attempts + 1;
                let give_up = attempts >= MAX_ATTEMPTS;
                let next = Utc::now() + chrono::Duration::from_std(backoff(attempts)).unwrap_or_default();
                tracing::warn!(id = row.id, attempts, give_up, error = %e, "mail delivery failed");
                repo::outbox::mark_attempt_failed(c, row.id, attempts, next, give_up, &e).await?;
                if give_up && row.kind == FORGET_AFTER_SENDING {
                    repo::outbox::delete(c, row.id).await?;
                } else if give_up {
                    // A link that was never delivered must not stay usable in the table either.
                    repo::outbox::set_body(c, row.id, &redact_one_time_links(&row.body_text)).await?;
                }
            }
        }
    }
    Ok(sent)
}

/// Where a mailed link is a key (consent answers and withdrawals, invitations, password
/// resets): such a link is removed from the stored copy once the mail has gone, so the outbox
/// table never holds working keys.
const ONE_TIME_MARKERS: [&str; 5] = ["/consent/", "/invite/", "token=", "/events/cancel/", "/account/email/"];
const REDACTED: &str = "[一回限りのリンク(送信後に削除) / one-time link, removed after sending]";

pub fn redact_one_time_links(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find("http") {
        let (before, from) = rest.split_at(i);
        out.push_str(before);
        let end = from.find(|c: char| c.is_whitespace()).unwrap_or(from.len());
        let url = &from[..end];
        if (url.starts_with("http://") || url.starts_with("https://"))
            && ONE_TIME_MARKERS.iter().any(|m| url.contains(m))
        {
            out.push_str(REDACTED);
        } else {
            out.push_str(url);
        }
        rest = &from[end..];
    }
    out.push_str(rest);
    out
}

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Dir(std::path::PathBuf),
    Log,
}

impl Transport {
    pub fn build(config: &MailTransport) -> Result<Transport, String> {
        Ok(match config {
            MailTransport::Smtp { host, port, username, password, security } => {
                let builder = match security {
                    SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                    SmtpSecurity::StartTls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(|e| e.to_string())?
                    }
                    SmtpSecurity::Tls => {
                        AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(|e| e.to_string())?
                    }
                };
                let mut builder = builder.port(*port).timeout(Some(Duration::from_secs(20)));
                if let (Some(u), Some(p)) = (username, password) {
                    builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
                }
                Transport::Smtp(builder.build())
            }
            MailTransport::Dir(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| format!("MAIL_DIR {}: {e}", dir.display()))?;
                Transport::Dir(dir.clone())
            }
            MailTransport::Log => Transport::Log,
        })
    }

    async fn send(&self, from: &Mailbox, row: &outbox::Model) -> Result<(), String> {
        let to: Mailbox = row.to_addr.parse().map_err(|e| format!("recipient: {e}"))?;
        let builder = Message::builder().from(from.clone()).to(to).subject(row.subject.clone());
        let message = match (&row.attachment_name, &row.attachment_type, &row.attachment_body) {
            (Some(name), Some(ctype), Some(body)) => {
                use lettre::message::{Attachment, MultiPart, SinglePart};
                let ctype = ContentType::parse(ctype).map_err(|e| format!("attachment type: {e}"))?;
                builder.multipart(
                    MultiPart::mixed()
                        .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(row.body_text.clone()))
                        .singlepart(Attachment::new(name.clone()).body(body.clone(), ctype)),
                )
            }
            _ => builder.header(ContentType::TEXT_PLAIN).body(row.body_text.clone()),
        }
        .map_err(|e| e.to_string())?;
        match self {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Transport::Dir(dir) => write_to_dir(dir, row, &message).await,
            Transport::Log => {
                tracing::info!(to = %row.to_addr, subject = %row.subject, "mail (MAIL_TRANSPORT=log)");
                Ok(())
            }
        }
    }
}

async fn write_to_dir(dir: &Path, row: &outbox::Model, message: &Message) -> Result<(), String> {
    let stem = format!("{:08}-{}", row.id, row.kind);
    let json = serde_json::json!({
        "id": row.id,
        "kind": row.kind,
        "to": row.to_addr,
        "subject": row.subject,
        "body": row.body_text,
        "created_at": row.created_at.to_rfc3339(),
        "attachment": row.attachment_name,
    });
    tokio::fs::write(dir.join(format!("{stem}.eml")), message.formatted()).await.map_err(|e| e.to_string())?;
    // The JSON file is written last, so a reader that sees it can also read the .eml.
    tokio::fs::write(dir.join(format!("{stem}.json")), json.to_string()).await.map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_secs(30));
        assert_eq!(backoff(2), Duration::from_secs(60));
        assert_eq!(backoff(4), Duration::from_secs(240));
        assert_eq!(backoff(10), Duration::from_secs(3600));
    }

    #[test]
    fn one_time_links_are_removed_and_other_links_kept() {
        let body = "開いてください\nhttps://x.jp/consent/abc.def\nhttps://x.jp/reset-password?token=zz\n\nhttps://x.jp/invite/q\nhttps://x.jp/nominations/4\nend";
        let r = redact_one_time_links(body);
        assert!(!r.contains("abc.def") && !r.contains("token=") && !r.contains("/invite/q"), "{r}");
        assert!(r.contains("https://x.jp/nominations/4") && r.starts_with("開いてください\n") && r.ends_with("end"));
        assert_eq!(r.matches("one-time link").count(), 3);
    }

    #[test]
    fn templates_exist_in_both_languages() {
        let ja = password_reset(Locale::Ja, "花子", "https://x/r?t=1");
        let en = password_reset(Locale::En, "Hanako", "https://x/r?t=1");
        assert!(ja.body.contains("https://x/r?t=1") && ja.subject.contains("パスワード"));
        assert!(en.body.contains("https://x/r?t=1") && en.subject.contains("password"));
    }
}
