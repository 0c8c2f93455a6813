//! The one error type that crosses server functions: what happened, from the user's side,
//! worded in Japanese and English. Internals are logged on the server and never sent.
use serde::{Deserialize, Serialize};

use crate::domain::validation::FieldError;
use crate::i18n::{problem_message, Locale};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("some fields need attention")]
    Validation(Vec<FieldError>),
    #[error("sign-in required")]
    SignInRequired,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("e-mail already registered")]
    EmailTaken,
    #[error("wrong e-mail or password")]
    InvalidCredentials,
    #[error("too many attempts")]
    TooManyAttempts { minutes: u32 },
    #[error("link invalid or expired")]
    LinkInvalid,
    #[error("changed by someone else")]
    StaleEdit,
    #[error("deadline passed")]
    DeadlinePassed,
    #[error("stage closed")]
    StageClosed,
    #[error("not allowed in this state")]
    InvalidTransition,
    #[error("consent missing")]
    ConsentMissing,
    #[error("rubric locked")]
    RubricLocked,
    #[error("already exists")]
    Duplicate,
    #[error("malformed request")]
    BadRequest,
    #[error("gone")]
    Gone,
    /// The server is too busy to take this right now; nothing was saved. Try again shortly.
    #[error("busy")]
    Busy,
    /// PostgreSQL chose this transaction as a serialisation or deadlock victim: nothing was
    /// committed, and running the same work again at once is expected to succeed
    /// (`server::db::retry_contended`). Shown to the person exactly as `Busy`.
    #[error("contended")]
    Contended,
    #[error("internal error")]
    Internal,
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    pub fn validation(errors: Vec<FieldError>) -> Self {
        AppError::Validation(errors)
    }

    /// The sentence the user reads.
    pub fn message(&self, locale: Locale) -> String {
        let ja = locale == Locale::Ja;
        let s = |j: &str, e: &str| if ja { j.to_string() } else { e.to_string() };
        match self {
            AppError::Validation(errors) => {
                if ja {
                    format!("入力内容を確認してください({}件)。", errors.len())
                } else {
                    format!("Please check the form ({} to fix).", errors.len())
                }
            }
            AppError::SignInRequired => s("この操作にはログインが必要です。", "Please sign in to continue."),
            AppError::Forbidden => s("この操作を行う権限がありません。", "You do not have permission to do this."),
            AppError::NotFound => {
                s("お探しのページや記録は見つかりませんでした。", "We could not find what you were looking for.")
            }
            AppError::EmailTaken => s(
                "このメールアドレスはすでに登録されています。ログインするか、パスワードの再設定をお試しください。",
                "This e-mail address is already registered. Sign in, or reset your password.",
            ),
            AppError::InvalidCredentials => s(
                "メールアドレスまたはパスワードが正しくありません。",
                "The e-mail address or password is not correct.",
            ),
            AppError::TooManyAttempts { minutes } => {
                if ja {
                    format!("試行回数が多すぎるため、一時的に受け付けを止めています。{minutes}分ほど待ってからもう一度お試しください。")
                } else {
                    format!("Too many attempts. For your safety we have paused sign-in; please try again in about {minutes} minutes.")
                }
            }
            AppError::LinkInvalid => s(
                "このリンクは期限切れか、すでに使用されています。お手数ですが、もう一度手続きをお願いします。",
                "This link has expired or has already been used. Please start again.",
            ),
            AppError::StaleEdit => s(
                "この内容は別の画面で更新されています。再読み込みして最新の内容を確認してください。",
                "This was changed elsewhere in the meantime. Please reload to see the latest version.",
            ),
            AppError::DeadlinePassed => s(
                "締切を過ぎているため、変更できません。",
                "The deadline has passed, so this can no longer be changed.",
            ),
            AppError::StageClosed => s(
                "現在はこの操作を受け付ける期間ではありません。",
                "This is not possible at the current stage of the programme.",
            ),
            AppError::InvalidTransition => {
                s("現在の状態ではこの操作はできません。", "This is not possible in the current state.")
            }
            AppError::ConsentMissing => s(
                "ご本人の同意が記録されていないため、公開できません。",
                "This cannot be published: the featured person's consent has not been recorded.",
            ),
            AppError::RubricLocked => s(
                "すでに採点が始まっているため、評価基準は変更できません。",
                "Scoring has started, so the rubric can no longer be changed.",
            ),
            AppError::Duplicate => s("同じものがすでに登録されています。", "This already exists."),
            AppError::Gone => s(
                "この実践の紹介は終了しました。ご本人の意向などにより、現在は公開していません。これまでご覧いただき、ありがとうございました。",
                "This practice is no longer shown, for example at the wish of the people it features. Thank you for your interest.",
            ),
            AppError::BadRequest => s(
                "送信された内容を読み取れませんでした。ページを再読み込みして、もう一度お試しください。",
                "We could not read what was sent. Please reload the page and try again.",
            ),
            AppError::Busy | AppError::Contended => s(
                "ただいま混み合っているため、保存できませんでした。入力した内容はそのままです。少し待ってから、もう一度送信してください。",
                "We are very busy right now and could not save this. What you typed is still here: please send it again in a moment.",
            ),
            AppError::Internal => s(
                "申し訳ありません。サーバーで問題が起きました。時間をおいてもう一度お試しください。",
                "Sorry, something went wrong on our side. Please try again in a moment.",
            ),
            AppError::Transport(_) => s(
                "通信できませんでした。接続を確認して、もう一度お試しください。",
                "We could not reach the server. Check your connection and try again.",
            ),
        }
    }

    /// Validation messages per field, already worded, for showing beside each field.
    pub fn field_message(&self, field: &str, locale: Locale) -> Option<String> {
        match self {
            AppError::Validation(errors) => {
                errors.iter().find(|e| e.field == field).map(|e| problem_message(&e.problem, locale))
            }
            _ => None,
        }
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Validation(errors) => errors,
            _ => &[],
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Request(detail) | E::Response(detail) => AppError::Transport(detail),
            E::Args(detail) | E::Deserialization(detail) | E::Serialization(detail) | E::MissingArg(detail) => {
                #[cfg(feature = "ssr")]
                tracing::warn!(error = %detail, "server function received malformed input");
                let _ = detail;
                AppError::BadRequest
            }
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function framework error");
                let _ = other;
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(detail)) => {
                tracing::info!(%detail, "unique constraint refused a write");
                AppError::Duplicate
            }
            _ if is_contention(&err) => {
                tracing::info!(error = %err, "transaction lost a serialisation or deadlock race");
                AppError::Contended
            }
            _ if is_transient(&err) => {
                tracing::warn!(error = %err, "database busy: answered 503");
                AppError::Busy
            }
            _ => match err {
                sea_orm::DbErr::RecordNotFound(_) => AppError::NotFound,
                other => {
                    tracing::error!(error = %other, "database error");
                    AppError::Internal
                }
            },
        }
    }
}

impl AppError {
    /// The HTTP status this error answers with (pages and server functions alike).
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Validation(_) => 422,
            AppError::BadRequest => 400,
            AppError::Gone => 410,
            AppError::SignInRequired => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::TooManyAttempts { .. } => 429,
            AppError::InvalidCredentials => 401,
            AppError::LinkInvalid => 410,
            AppError::Busy | AppError::Contended => 503,
            AppError::Internal | AppError::Transport(_) => 500,
            _ => 409,
        }
    }
}

/// A failure that says "not now" rather than "wrong": the pool had no connection in time,
/// SQLite stayed locked past its busy timeout, PostgreSQL chose this transaction as a
/// serialisation or deadlock victim. Nothing was committed; the same request may succeed later.
#[cfg(feature = "ssr")]
pub fn is_transient(err: &sea_orm::DbErr) -> bool {
    let text = err.to_string();
    matches!(err, sea_orm::DbErr::ConnectionAcquire(_))
        || text.contains("database is locked")
        || text.contains("(code: 5)")
        || text.contains("(code: 517)")
        || is_contention(err)
        || text.contains("pool timed out")
}

/// PostgreSQL's serialisation failure (40001) or deadlock victim (40P01): the transaction was
/// rolled back whole and may simply run again.
#[cfg(feature = "ssr")]
pub fn is_contention(err: &sea_orm::DbErr) -> bool {
    let text = err.to_string();
    text.contains("40001")
        || text.contains("40P01")
        || text.contains("could not serialize access")
        || text.contains("deadlock detected")
}

impl AppError {
    /// "Not now, nothing saved, send again": the answer is a 503 with `Retry-After`.
    pub fn is_busy(&self) -> bool {
        matches!(self, AppError::Busy | AppError::Contended)
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    pub fn status(&self) -> http::StatusCode {
        http::StatusCode::from_u16(self.status_code()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// Wraps an unexpected failure: logs it with detail, returns the generic message.
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, context, "internal error");
        AppError::Internal
    }
}
