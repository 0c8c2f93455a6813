//! Accounts: sign-up, sign-in with rate limiting, sessions, password reset, roles.
use chrono::{Duration, Utc};
use sea_orm::ConnectionTrait;

use crate::domain::account::{normalize_email, validate_new_password, validate_sign_up, Role};
use crate::domain::ids::UserId;
use crate::domain::policy::Op;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::{auth, ctx::CurrentSession, db::Db, entities::user, mail, policy, repo, AppState};
use crate::wire::{AccountSummary, Viewer};

/// Failed sign-ins allowed per account, and per address, inside the window.
pub const ACCOUNT_LIMIT: u64 = 5;
pub const IP_LIMIT: u64 = 20;
pub const WINDOW_MINUTES: i64 = 15;
const RESETS_PER_HOUR: u64 = 3;
const RESET_LINK_MINUTES: i64 = 60;
/// Password-reset link uses (right or wrong) per address in the window.
const RESET_USES_PER_WINDOW: u64 = 10;

#[derive(Debug)]
pub struct SignedIn {
    /// The cookie token (only its hash is stored).
    pub token: String,
    pub viewer: Viewer,
}

pub fn to_viewer(u: &user::Model) -> Viewer {
    Viewer { id: UserId(u.id), email: u.email.clone(), display_name: u.display_name.clone(), role: u.role }
}

/// Creates a new session row; the previous one (if any) is deleted so the id rotates.
async fn open_session<C: ConnectionTrait>(
    c: &C,
    user: &user::Model,
    previous: Option<&str>,
) -> Result<SignedIn, AppError> {
    if let Some(prev) = previous {
        repo::sessions::delete(c, prev).await?;
    }
    let token = auth::new_token();
    let now = Utc::now();
    repo::sessions::insert(c, &auth::token_hash(&token), user.id, now, now + Duration::days(auth::SESSION_DAYS))
        .await?;
    Ok(SignedIn { token, viewer: to_viewer(user) })
}

pub async fn sign_up(
    state: &AppState,
    email: &str,
    display_name: &str,
    password: &str,
    locale: Locale,
    ip: &str,
    previous_session: Option<&str>,
) -> Result<SignedIn, AppError> {
    validate_sign_up(email, display_name, password).map_err(AppError::Validation)?;
    let email = normalize_email(email);
    let now = Utc::now();
    // Counted and recorded before any hashing, under a lock: a parallel burst cannot pass.
    let attempt =
        admit(&state.db, &["signup"], ip, now - Duration::hours(1), Count::AllFromIp, state.config.signups_per_hour)
            .await?
            .ok_or(AppError::TooManyAttempts { minutes: 60 })?;
    if repo::users::find_by_email(state.db.conn(), &email).await?.is_some() {
        return Err(AppError::EmailTaken);
    }
    let hash = auth::hash_password(password).await?;
    let tx = state.db.begin().await?;
    let user =
        match repo::users::insert(&*tx, &email, display_name.trim(), &hash, Role::Nominator, Some(locale.code()), now)
            .await
        {
            Ok(u) => u,
            // Two sign-ups with one address at the same moment: the second meets the unique index.
            Err(e) => {
                return Err(match AppError::from(e) {
                    AppError::Duplicate => AppError::EmailTaken,
                    other => other,
                })
            }
        };
    repo::attempts::mark_succeeded(&*tx, attempt).await?;
    let signed_in = open_session(&*tx, &user, previous_session).await?;
    mail::queue(&*tx, &email, mail::welcome(locale, &user.display_name, &state.config.link("/nominate"))).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(signed_in)
}

pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    ip: &str,
    previous_session: Option<&str>,
) -> Result<SignedIn, AppError> {
    let key = normalize_email(email);
    if key.is_empty() || password.is_empty() {
        return Err(AppError::InvalidCredentials);
    }
    let now = Utc::now();
    let since = now - Duration::minutes(WINDOW_MINUTES);
    // The attempt is recorded as a failure before the password is checked, under a lock on the
    // account and the address: of a parallel burst, at most the limit get to the hashing.
    let Some(attempt) = admit(&state.db, &[&key], ip, since, Count::Failures, ACCOUNT_LIMIT).await? else {
        tracing::warn!(ip, "sign-in rate limit reached");
        return Err(AppError::TooManyAttempts { minutes: WINDOW_MINUTES as u32 });
    };
    let c = state.db.conn();
    let user = repo::users::find_by_email(c, &key).await?.filter(|u| !u.disabled);
    let ok = auth::verify_password(user.as_ref().map(|u| u.password_hash.clone()), password).await;
    match (ok, user) {
        (true, Some(user)) => {
            let tx = state.db.begin().await?;
            repo::attempts::mark_succeeded(&*tx, attempt).await?;
            let signed = open_session(&*tx, &user, previous_session).await?;
            tx.commit().await?;
            Ok(signed)
        }
        _ => Err(AppError::InvalidCredentials),
    }
}

/// Ends the session everywhere: in a transaction, so every process's memo of it goes at once
/// (`SessionMemo`).
pub async fn sign_out(state: &AppState, session_id: &str) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    repo::sessions::delete(&*tx, session_id).await?;
    tx.commit().await?;
    state.sessions.0.invalidate(session_id);
    Ok(())
}

/// Sessions looked up a moment ago, by id (the hash of the cookie token), so that a signed-in
/// person's page views — which the page cache cannot answer — do not each read the database.
/// One is trusted only while `Db::changes` has not moved since it was read: sign-out, a new
/// password, role, name or address, and account deletion all commit through a transaction,
/// which moves it here and, on PostgreSQL, in every other process. Also never for longer than
/// `SESSION_MEMO_TTL` (what no announcement reaches: another process on the same SQLite file,
/// a lost listener), and never past the session's own expiry or its renewal point.
pub struct SessionMemo(moka::sync::Cache<String, std::sync::Arc<SeenSession>>);

pub struct SeenSession {
    changes: u64,
    at: std::time::Instant,
    expires_at: chrono::DateTime<Utc>,
    viewer: Viewer,
}

const SESSION_MEMO_TTL: std::time::Duration = std::time::Duration::from_millis(500);
/// Live sessions kept (a few hundred bytes each); unknown tokens are never kept.
const SESSION_MEMO_ENTRIES: u64 = 10_000;

impl Default for SessionMemo {
    fn default() -> Self {
        SessionMemo(moka::sync::Cache::builder().max_capacity(SESSION_MEMO_ENTRIES).build())
    }
}

impl SessionMemo {
    /// Forgets every session, as half a second without a change announcement does.
    pub fn clear(&self) {
        self.0.invalidate_all();
    }
}

/// Past this point a request moves the session's expiry forward (at most once a day).
fn due_for_renewal(expires_at: chrono::DateTime<Utc>, now: chrono::DateTime<Utc>) -> bool {
    expires_at - now < Duration::days(auth::SESSION_DAYS - 1)
}

/// Looks up the session behind a cookie token, from the memo when it may answer; extends it when
/// more than a day has passed.
pub async fn resolve_session(state: &AppState, token: &str) -> Result<Option<CurrentSession>, AppError> {
    resolve(state, token, true).await
}

/// As `resolve_session`; with `memo` false always from the database (for requests that change
/// something, which must never act for a session ended a moment ago in another process).
pub async fn resolve(state: &AppState, token: &str, memo: bool) -> Result<Option<CurrentSession>, AppError> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let id = auth::token_hash(token);
    let now = Utc::now();
    // Read before the database: a commit landing in between leaves the memo stale at once.
    let changes = state.db.changes();
    // (Not due for renewal also means far from expiry.)
    if let Some(seen) = state.sessions.0.get(&id).filter(|_| memo) {
        if seen.changes == changes && seen.at.elapsed() < SESSION_MEMO_TTL && !due_for_renewal(seen.expires_at, now) {
            return Ok(Some(CurrentSession { id, viewer: seen.viewer.clone(), renewed: false }));
        }
    }
    let db = &state.db;
    let Some((session, user)) = repo::sessions::find_live(db.conn(), &id, now).await? else {
        state.sessions.0.invalidate(&id);
        return Ok(None);
    };
    let mut renewed = false;
    let mut expires_at = session.expires_at;
    if due_for_renewal(session.expires_at, now) {
        // Slides at most once a day per session (one write, not one per request). Best effort:
        // a busy database must not sign the person out of the request they are making (the
        // next request extends it instead).
        let later = now + Duration::days(auth::SESSION_DAYS);
        match repo::sessions::extend(db.conn(), &id, later).await {
            Ok(()) => {
                renewed = true;
                expires_at = later;
            }
            Err(e) => tracing::warn!(error = %e, "session not extended this time"),
        }
    }
    let viewer = to_viewer(&user);
    let seen = SeenSession { changes, at: std::time::Instant::now(), expires_at, viewer: viewer.clone() };
    state.sessions.0.insert(id.clone(), std::sync::Arc::new(seen));
    Ok(Some(CurrentSession { id, viewer, renewed }))
}

/// The signed-in person chose a language with the switch: every later mail to them uses it.
pub async fn set_locale(state: &AppState, who: &Viewer, locale: Locale) -> Result<(), AppError> {
    let who = policy::signed_in(Some(who), Op::OwnAccount)?;
    let tx = state.db.begin().await?;
    repo::users::set_locale(&*tx, who.id.0, locale.code()).await?;
    tx.commit().await?;
    Ok(())
}

/// Always answers the same way, whether or not the address is registered.
pub async fn request_password_reset(state: &AppState, email: &str, locale: Locale, ip: &str) -> Result<(), AppError> {
    let key = normalize_email(email);
    if !crate::domain::validation::is_plausible_email(&key) {
        return Err(AppError::Validation(vec![crate::domain::validation::FieldError::new(
            "email",
            crate::domain::validation::Problem::InvalidEmail,
        )]));
    }
    let now = Utc::now();
    let attempt_key = format!("reset:{key}");
    admit(&state.db, &[&attempt_key], ip, now - Duration::hours(1), Count::AllForKeyFromIp, RESETS_PER_HOUR)
        .await?
        .ok_or(AppError::TooManyAttempts { minutes: 60 })?;
    let tx = state.db.begin().await?;
    if let Some(user) = repo::users::find_by_email(&*tx, &key).await?.filter(|u| !u.disabled) {
        let token = auth::new_token();
        repo::resets::insert(
            &*tx,
            &auth::token_hash(&token),
            user.id,
            now,
            now + Duration::minutes(RESET_LINK_MINUTES),
        )
        .await?;
        let link = state.config.link(&format!("/reset-password?token={token}"));
        mail::queue(&*tx, &user.email, mail::password_reset(locale, &user.display_name, &link)).await?;
    }
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// Sets the new password, uses up the link, and signs the account out everywhere. The link is
/// checked, and the attempt counted, before any hashing: guessing links costs the server nothing.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: &str,
    confirm: &str,
    ip: &str,
) -> Result<(), AppError> {
    let now = Utc::now();
    let since = now - Duration::minutes(WINDOW_MINUTES);
    admit(&state.db, &["reset:use"], ip, since, Count::AllForKeyFromIp, RESET_USES_PER_WINDOW)
        .await?
        .ok_or(AppError::TooManyAttempts { minutes: WINDOW_MINUTES as u32 })?;
    if token.is_empty()
        || token.len() > 128
        || !repo::resets::is_live(state.db.conn(), &auth::token_hash(token), now).await?
    {
        return Err(AppError::LinkInvalid);
    }
    validate_new_password(password, confirm).map_err(AppError::Validation)?;
    let hash = auth::hash_password(password).await?;
    let tx = state.db.begin().await?;
    let now = Utc::now();
    let Some(user_id) = repo::resets::consume(&*tx, &auth::token_hash(token), now).await? else {
        return Err(AppError::LinkInvalid);
    };
    repo::users::update_password(&*tx, user_id, &hash, now).await?;
    repo::sessions::delete_for_user(&*tx, user_id).await?;
    // An address change someone started with the old password must not outlive it.
    repo::people::cancel_email_changes(&*tx, user_id, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Creates an account with a role directly (CLI `create-admin`, bootstrap, demo data).
pub async fn create_account(
    db: &Db,
    email: &str,
    display_name: &str,
    password: &str,
    role: Role,
) -> Result<user::Model, AppError> {
    validate_sign_up(email, display_name, password).map_err(AppError::Validation)?;
    let hash = auth::hash_password(password).await?;
    let tx = db.begin().await?;
    let key = normalize_email(email);
    let user = match repo::users::find_by_email(&*tx, &key).await? {
        Some(existing) => {
            repo::users::update_role(&*tx, existing.id, role, Utc::now()).await?;
            repo::users::update_password(&*tx, existing.id, &hash, Utc::now()).await?;
            repo::users::get(&*tx, existing.id).await?
        }
        None => repo::users::insert(&*tx, &key, display_name.trim(), &hash, role, None, Utc::now()).await?,
    };
    tx.commit().await?;
    Ok(user)
}

/// With `ADMIN_EMAIL` and `ADMIN_PASSWORD` set, makes sure that admin exists (first start-up).
pub async fn ensure_bootstrap_admin(state: &AppState) -> Result<(), AppError> {
    let (Some(email), Some(password)) = (&state.config.admin_email, &state.config.admin_password) else {
        return Ok(());
    };
    if repo::users::find_by_email(state.db.conn(), &normalize_email(email)).await?.is_some() {
        return Ok(());
    }
    create_account(&state.db, email, "Administrator", password, Role::Admin).await?;
    tracing::info!(%email, "created the first admin from ADMIN_EMAIL");
    Ok(())
}

pub async fn list_accounts(db: &Db, who: Option<&Viewer>) -> Result<Vec<AccountSummary>, AppError> {
    policy::platform(who, Op::ManageAccounts)?;
    Ok(repo::users::list(db.conn())
        .await?
        .iter()
        .map(|u| AccountSummary {
            id: UserId(u.id),
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            role: u.role,
            created_at: u.created_at,
        })
        .collect())
}

/// Admins change roles; the last admin cannot remove their own admin role (the platform would
/// be left without one).
pub async fn change_role(db: &Db, who: Option<&Viewer>, user_id: UserId, role: Role) -> Result<(), AppError> {
    let actor = policy::signed_in(who, Op::ManageAccounts)?;
    let tx = db.begin().await?;
    let target = repo::users::find(&*tx, user_id.0).await?.ok_or(AppError::NotFound)?;
    if target.role == Role::Admin && role != Role::Admin && repo::users::count_with_role(&*tx, Role::Admin).await? <= 1
    {
        return Err(AppError::InvalidTransition);
    }
    repo::users::update_role(&*tx, user_id.0, role, Utc::now()).await?;
    tx.commit().await?;
    tracing::info!(actor = actor.id.0, user = user_id.0, role = role.key(), "role changed");
    Ok(())
}

/// What an attempt limit counts.
#[derive(Clone, Copy)]
enum Count {
    /// Failed sign-ins for the account (`keys[0]`), and from the address (at most `IP_LIMIT`).
    Failures,
    /// Failed password re-checks of a signed-in account (`keys[0]`), whatever the address.
    AccountFailures,
    /// Every attempt of the first key from the address.
    AllFromIp,
    /// Every attempt of the first key from the address (a per-account, per-address limit).
    AllForKeyFromIp,
}

/// Checks a limit and records the attempt in one locked transaction, before the expensive
/// work it guards. Returns the attempt's id, or `None` when the limit is reached.
async fn admit(
    db: &Db,
    keys: &[&str],
    ip: &str,
    since: chrono::DateTime<Utc>,
    count: Count,
    limit: u64,
) -> Result<Option<i64>, AppError> {
    let tx = db.begin().await?;
    let mut lock_keys: Vec<String> = keys.iter().map(|k| format!("key:{k}")).collect();
    lock_keys.push(format!("ip:{ip}"));
    repo::attempts::lock(&*tx, &mut lock_keys).await?;
    let key = keys.first().copied().unwrap_or("");
    let over = match count {
        Count::Failures => {
            repo::attempts::failures_for_account(&*tx, key, since).await? >= limit
                || repo::attempts::failures_for_ip(&*tx, ip, since).await? >= IP_LIMIT
        }
        Count::AccountFailures => repo::attempts::failures_for_account(&*tx, key, since).await? >= limit,
        Count::AllFromIp | Count::AllForKeyFromIp => {
            repo::attempts::all_for_key_and_ip(&*tx, key, ip, since).await? >= limit
        }
    };
    if over {
        return Ok(None);
    }
    // Only a sign-in is a possible failure (marked succeeded once the password checks out);
    // a counted action (sign-up, reset, event registration) is never one, so it cannot lock
    // people at the same address out of signing in.
    let counted_only = !matches!(count, Count::Failures | Count::AccountFailures);
    let id = repo::attempts::record(&*tx, key, ip, counted_only, Utc::now()).await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// Admits one more action of `key` from this address within the hour, or refuses it (counted
/// under a lock, so a parallel burst cannot pass). Used by the forum's registration.
pub async fn admit_from_ip(db: &Db, key: &str, ip: &str, per_hour: u64) -> Result<(), AppError> {
    let now = Utc::now();
    admit(db, &[key], ip, now - Duration::hours(1), Count::AllFromIp, per_hour)
        .await?
        .map(|_| ())
        .ok_or(AppError::TooManyAttempts { minutes: 60 })
}

/// Re-checks a signed-in person's password before a sensitive change (password, address,
/// deletion). Failures count like sign-in failures, per account and per client address, before
/// any hashing: a stolen session cannot be used to guess the password, nor to load the CPU.
pub async fn check_own_password(
    state: &AppState,
    user: &user::Model,
    password: &str,
    ip: &str,
) -> Result<bool, AppError> {
    let key = format!("reauth:{}", user.id);
    let since = Utc::now() - Duration::minutes(WINDOW_MINUTES);
    // Per account only: the person is already signed in, and counting a whole office's
    // address would refuse colleagues whose checks are merely in flight at the same moment.
    let Some(attempt) = admit(&state.db, &[&key], ip, since, Count::AccountFailures, ACCOUNT_LIMIT).await? else {
        tracing::warn!(ip, "password re-check rate limit reached");
        return Err(AppError::TooManyAttempts { minutes: WINDOW_MINUTES as u32 });
    };
    if password.is_empty() || password.len() > 4 * crate::domain::account::PASSWORD_MAX {
        return Ok(false);
    }
    let ok = auth::verify_password(Some(user.password_hash.clone()), password).await;
    if ok {
        repo::attempts::mark_succeeded(state.db.conn(), attempt).await?;
    }
    Ok(ok)
}

/// Removes expired sessions and old attempt records.
pub async fn purge(db: &Db) -> Result<(), AppError> {
    let now = Utc::now();
    repo::sessions::purge_expired(db.conn(), now).await?;
    repo::attempts::purge_before(db.conn(), now - Duration::days(2)).await?;
    Ok(())
}
