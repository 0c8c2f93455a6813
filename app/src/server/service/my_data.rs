//! My data: the person changes their name, language, password and address (confirmed by a
//! link to the new address), downloads everything held about them, and deletes their account
//! under the deletion rules (`domain::account::after_deletion`).
use std::io::Write;

use chrono::{Duration, Utc};
use sea_orm::ConnectionTrait;

use crate::domain::account::{
    after_deletion, deleted_address, deleted_label, normalize_email, validate_new_password, AfterDeletion, Role,
    DISPLAY_NAME_MAX,
};
use crate::domain::ids::NominationId;
use crate::domain::policy::Op;
use crate::domain::validation::{is_plausible_email, Checker, FieldError, Problem};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::entities::{nomination, user};
use crate::server::export::CsvSheet;
use crate::server::{auth, mail, policy, repo, repo::audit::Actor, service, service::panels::locale_of, AppState};
use crate::wire::account::{AccountView, DeletionItem, DeletionPreview};
use crate::wire::Viewer;

const EMAIL_LINK_HOURS: i64 = 24;
const EMAIL_CHANGES_PER_HOUR: u64 = 3;

async fn me<C: ConnectionTrait>(c: &C, who: Option<&Viewer>) -> Result<user::Model, AppError> {
    let v = policy::signed_in(who, Op::OwnAccount)?;
    repo::users::find(c, v.id.0).await?.filter(|u| !u.disabled).ok_or(AppError::SignInRequired)
}

pub async fn account(state: &AppState, who: Option<&Viewer>) -> Result<AccountView, AppError> {
    let c = state.db.conn();
    let u = me(c, who).await?;
    let pending = repo::people::pending_email_change(c, u.id, Utc::now()).await?.map(|p| p.new_email);
    Ok(AccountView {
        display_name: u.display_name.clone(),
        email: u.email.clone(),
        role: u.role,
        locale: locale_of(&u).code().to_string(),
        pending_email: pending,
        created_at: u.created_at,
    })
}

pub async fn update_profile(
    state: &AppState,
    who: Option<&Viewer>,
    display_name: &str,
    locale: &str,
) -> Result<Locale, AppError> {
    let mut check = Checker::new();
    check.required("display_name", display_name.trim()).max_chars(
        "display_name",
        display_name.trim(),
        DISPLAY_NAME_MAX,
    );
    let parsed = Locale::parse(locale);
    check.check("locale", parsed.is_some(), Problem::InvalidChoice);
    check.finish().map_err(AppError::Validation)?;
    let locale = parsed.unwrap_or_default();
    let tx = state.db.begin().await?;
    let u = me(&*tx, who).await?;
    repo::people::update_profile(&*tx, u.id, display_name.trim(), locale.code(), Utc::now()).await?;
    tx.commit().await?;
    Ok(locale)
}

/// Checks the current password, sets the new one, and signs out every other session.
pub async fn change_password(
    state: &AppState,
    who: Option<&Viewer>,
    current: &str,
    new: &str,
    confirm: &str,
    keep_session: Option<&str>,
    ip: &str,
) -> Result<(), AppError> {
    let u = me(state.db.conn(), who).await?;
    validate_new_password(new, confirm).map_err(|errs| {
        AppError::Validation(
            errs.into_iter()
                .map(|e| if e.field == "password" { FieldError::new("new_password", e.problem) } else { e })
                .collect(),
        )
    })?;
    if normalize_email(new) == normalize_email(&u.email) {
        return Err(AppError::Validation(vec![FieldError::new("new_password", Problem::PasswordSameAsEmail)]));
    }
    if !service::accounts::check_own_password(state, &u, current, ip).await? {
        return Err(AppError::Validation(vec![FieldError::new("current_password", Problem::WrongPassword)]));
    }
    let hash = auth::hash_password(new).await?;
    let tx = state.db.begin().await?;
    let now = Utc::now();
    repo::users::update_password(&*tx, u.id, &hash, now).await?;
    // An address change started with the old password stops here.
    repo::people::cancel_email_changes(&*tx, u.id, now).await?;
    for s in repo::sessions::of_user(&*tx, u.id).await? {
        if Some(s.as_str()) != keep_session {
            repo::sessions::delete(&*tx, &s).await?;
        }
    }
    let locale = locale_of(&u);
    let (subject, message) = match locale {
        Locale::Ja => ("パスワードを変更しました".to_string(), "アカウントのパスワードが変更されました。ほかの端末ではログアウトしました。お心当たりがない場合は、すぐにパスワードの再設定をしてください。"),
        Locale::En => ("Your password was changed".to_string(), "The password of your account was changed, and other devices were signed out. If this was not you, reset your password now."),
    };
    mail::queue(&*tx, &u.email, mail::notice("password_changed", locale, &u.display_name, subject, message, None))
        .await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// Sends a link to the new address (the change happens when it is used) and a notice to the
/// current one. The password is asked again: a forgotten open session cannot move the account.
pub async fn request_email_change(
    state: &AppState,
    who: Option<&Viewer>,
    new_email: &str,
    password: &str,
    ip: &str,
) -> Result<(), AppError> {
    let u = me(state.db.conn(), who).await?;
    let email = normalize_email(new_email);
    let mut check = Checker::new();
    check.required("email", &email).check("email", is_plausible_email(&email), Problem::InvalidEmail);
    check.check("email", email.is_empty() || email != u.email, Problem::Unchanged);
    check.finish().map_err(AppError::Validation)?;
    if !service::accounts::check_own_password(state, &u, password, ip).await? {
        return Err(AppError::Validation(vec![FieldError::new("password", Problem::WrongPassword)]));
    }
    let now = Utc::now();
    let tx = state.db.begin().await?;
    if repo::people::email_changes_since(&*tx, u.id, now - Duration::hours(1)).await? >= EMAIL_CHANGES_PER_HOUR {
        return Err(AppError::TooManyAttempts { minutes: 60 });
    }
    // Said the same way whether or not the address is taken: the link will refuse it then.
    repo::people::cancel_email_changes(&*tx, u.id, now).await?;
    let token = auth::new_token();
    repo::people::insert_email_change(
        &*tx,
        u.id,
        &u.email,
        &email,
        &auth::token_hash(&token),
        now + Duration::hours(EMAIL_LINK_HOURS),
        now,
    )
    .await?;
    let locale = locale_of(&u);
    let link = state.config.link(&format!("/account/email/{token}"));
    let (subject, message, old_subject, old_message) = match locale {
        Locale::Ja => (
            "メールアドレスの確認".to_string(),
            format!("このアドレスをアカウントのメールアドレスにするには、{EMAIL_LINK_HOURS}時間以内に次のリンクを開き、「確定する」を押してください。お心当たりがなければ、このメールは破棄してください。"),
            "メールアドレスの変更手続き".to_string(),
            format!("アカウントのメールアドレスを {email} に変更する手続きが始まりました。新しいアドレスで確定されるまで、このアドレスのままです。お心当たりがない場合は、パスワードを変更してください。"),
        ),
        Locale::En => (
            "Confirm your e-mail address".to_string(),
            format!("To make this the address of your account, open the link below within {EMAIL_LINK_HOURS} hours and press \"Confirm\". If this was not you, ignore this mail."),
            "Your e-mail address is being changed".to_string(),
            format!("Someone asked to change your account's address to {email}. Nothing changes until it is confirmed from the new address. If this was not you, change your password."),
        ),
    };
    // Greeted by the address itself: a chosen display name never reaches a stranger's inbox.
    mail::queue(&*tx, &email, mail::notice("email_change", locale, &email, subject, &message, Some(&link))).await?;
    mail::queue(
        &*tx,
        &u.email,
        mail::notice("email_change_notice", locale, &u.display_name, old_subject, &old_message, None),
    )
    .await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// Uses the link from the new address: the account's address changes, once.
pub async fn confirm_email_change(state: &AppState, token: &str) -> Result<(), AppError> {
    if token.is_empty() || token.len() > 128 {
        return Err(AppError::LinkInvalid);
    }
    let now = Utc::now();
    let tx = state.db.begin().await?;
    let Some(change) = repo::people::find_email_change(&*tx, &auth::token_hash(token)).await? else {
        return Err(AppError::LinkInvalid);
    };
    if change.used_at.is_some() || change.expires_at <= now {
        return Err(AppError::LinkInvalid);
    }
    repo::people::lock_user(&*tx, change.user_id).await?;
    let Some(u) = repo::users::find(&*tx, change.user_id).await?.filter(|u| !u.disabled) else {
        return Err(AppError::LinkInvalid);
    };
    if u.email != change.old_email {
        // The address moved another way since this link was sent.
        return Err(AppError::LinkInvalid);
    }
    if repo::users::find_by_email(&*tx, &change.new_email).await?.is_some() {
        return Err(AppError::EmailTaken);
    }
    if !repo::people::consume_email_change(&*tx, change.id, now).await? {
        return Err(AppError::LinkInvalid);
    }
    repo::people::cancel_email_changes(&*tx, u.id, now).await?;
    if let Err(e) = repo::people::update_email(&*tx, u.id, &change.new_email, now).await {
        return Err(match AppError::from(e) {
            AppError::Duplicate => AppError::EmailTaken,
            other => other,
        });
    }
    // Every session and reset link ends: whoever started this must sign in with the new address.
    repo::sessions::delete_for_user(&*tx, u.id).await?;
    repo::resets::delete_for_user(&*tx, u.id).await?;
    // Featured under the old address: still the same person, so still conflicted as a reviewer.
    for n in repo::people::featuring(&*tx, &u.email).await? {
        repo::review::insert_conflict(&*tx, n.id, u.id, "address", "featured under a former address", None, now)
            .await?;
    }
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(u.id), label: &u.display_name },
        "account.email_changed",
        None,
        None,
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn preview_of<C: ConnectionTrait>(c: &C, u: &user::Model) -> Result<DeletionPreview, AppError> {
    let mut items = vec![];
    for n in repo::people::nominations_of(c, u.id).await? {
        let e = repo::editions::find(c, n.edition_id).await?.ok_or(AppError::NotFound)?;
        let (stage, _) = service::stages::current(&e);
        let record = repo::archive::find_by_nomination(c, n.id).await?;
        // Any record made from it (draft, published or taken down) keeps it: the record refers to it.
        let has_record = record.is_some();
        items.push(DeletionItem {
            nomination_id: NominationId(n.id),
            title: n.title.clone(),
            after: after_deletion(n.status, stage, has_record),
            record_scope: record
                .filter(|p| p.status == crate::domain::archive::PracticeStatus::Published)
                .map(|p| p.consent_scope),
        });
    }
    let reviews_written = repo::people::reviews_by(c, u.id).await?.iter().filter(|(_, r)| r.is_some()).count();
    let registrations = repo::people::registrations_of(c, u.id).await?.len();
    let last_admin = u.role == Role::Admin && repo::users::count_with_role(c, Role::Admin).await? <= 1;
    Ok(DeletionPreview { items, reviews_written, registrations, last_admin })
}

pub async fn deletion_preview(state: &AppState, who: Option<&Viewer>) -> Result<DeletionPreview, AppError> {
    let c = state.db.conn();
    let u = me(c, who).await?;
    preview_of(c, &u).await
}

/// Deletes the account: erases what the rules erase, anonymises what stays, tells the person
/// what remains and why (by mail, in their language), and leaves one audit entry that names no
/// one. The attachments' files of erased nominations are removed after the commit.
pub async fn delete_account(
    state: &AppState,
    who: Option<&Viewer>,
    password: &str,
    confirmed: bool,
    ip: &str,
) -> Result<(), AppError> {
    let u = me(state.db.conn(), who).await?;
    if !confirmed {
        return Err(AppError::Validation(vec![FieldError::new("confirm", Problem::MustAcknowledge)]));
    }
    if !service::accounts::check_own_password(state, &u, password, ip).await? {
        return Err(AppError::Validation(vec![FieldError::new("password", Problem::WrongPassword)]));
    }
    let now = Utc::now();
    let tx = state.db.begin().await?;
    // Read again under a lock: a parallel deletion or address change waits for this one.
    repo::people::lock_user(&*tx, u.id).await?;
    let u = repo::users::find(&*tx, u.id).await?.filter(|u| !u.disabled).ok_or(AppError::SignInRequired)?;
    let mut preview = preview_of(&*tx, &u).await?;
    preview.last_admin = u.role == Role::Admin && repo::people::active_admins_locked(&*tx).await? <= 1;
    if preview.last_admin {
        return Err(AppError::Validation(vec![FieldError::new("confirm", Problem::LastAdmin)]));
    }
    let mut files = vec![];
    let (mut erased, mut kept) = (0usize, vec![]);
    for item in &preview.items {
        match item.after {
            AfterDeletion::Erase => {
                files.extend(
                    repo::attachments::list(&*tx, item.nomination_id.0).await?.into_iter().map(|a| a.storage_key),
                );
                repo::people::blank_audit_detail(&*tx, item.nomination_id.0).await?;
                repo::people::delete_nomination(&*tx, item.nomination_id.0).await?;
                erased += 1;
            }
            AfterDeletion::KeepAnonymised => kept.push(item.clone()),
        }
    }
    let label = deleted_label(u.id);
    let addresses = repo::people::addresses_of(&*tx, u.id, &u.email).await?;
    // A self-nominator keeps control of their own record: the farewell carries a withdrawal link.
    let mut withdraw_links = vec![];
    for item in &kept {
        if let Some(link) = service::consent::self_withdraw_link(&*tx, state, item.nomination_id.0).await? {
            withdraw_links.push((item.title.clone(), link));
        }
    }
    repo::people::erase_traces(&*tx, u.id, &addresses).await?;
    repo::people::pseudonymise_audit(&*tx, u.id, &addresses, &label).await?;
    repo::people::anonymise_user(&*tx, u.id, &label, &deleted_address(u.id, &auth::new_token()), now).await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(u.id), label: &label },
        "account.deleted",
        None,
        None,
        serde_json::json!({"nominations_erased": erased, "nominations_kept": kept.len(), "reviews_kept": preview.reviews_written}),
    )
    .await?;
    let locale = locale_of(&u);
    let (subject, message) = farewell(locale, &kept, &withdraw_links, preview.reviews_written, preview.registrations);
    mail::queue(&*tx, &u.email, mail::notice("account_deleted", locale, &u.display_name, subject, &message, None))
        .await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    for key in files {
        if let Err(e) = state.storage.delete(&key).await {
            tracing::warn!(error = %e, "an erased attachment's file could not be removed");
        }
    }
    Ok(())
}

fn farewell(
    locale: Locale,
    kept: &[DeletionItem],
    withdraw_links: &[(String, String)],
    reviews: usize,
    registrations: usize,
) -> (String, String) {
    let mut lines = vec![];
    match locale {
        Locale::Ja => {
            lines.push("アカウントを削除しました。これまでのご参加に感謝いたします。".to_string());
            if kept.is_empty() {
                lines.push("推薦はすべて消去しました。".into());
            } else {
                lines.push("次の推薦は審査や公開が進んでいるため、推薦者のお名前を消したうえで残ります。紹介されている方の同意の範囲を超えて使われることはありません:".into());
                lines.extend(kept.iter().map(|k| format!("・{}", k.title)));
            }
            for (title, link) in withdraw_links {
                lines.push(format!("ご自身の「{title}」への同意は、次のリンクからいつでも取り下げられます(大切に保管してください):\n{link}"));
            }
            if reviews > 0 {
                lines.push(format!("審査で記入された{reviews}件の採点は、決定の公正さのため、お名前なしで残ります。"));
            }
            if registrations > 0 {
                lines.push("イベントの申込みはアカウントから切り離されました。取り消しは申込み確認メールのリンクからできます。".into());
            }
        }
        Locale::En => {
            lines.push("Your account has been deleted. Thank you for taking part.".to_string());
            if kept.is_empty() {
                lines.push("All your nominations were erased.".into());
            } else {
                lines.push("These nominations were already in review or published, so they stay without your name as nominator, and never beyond the consent of the people they feature:".into());
                lines.extend(kept.iter().map(|k| format!("- {}", k.title)));
            }
            for (title, link) in withdraw_links {
                lines.push(format!("You can withdraw your own consent for \"{title}\" at any time with this link (please keep it safe):\n{link}"));
            }
            if reviews > 0 {
                lines.push(format!(
                    "The {reviews} review sheets you wrote stay without your name, so the decisions stay fair."
                ));
            }
            if registrations > 0 {
                lines.push("Your event registrations are no longer linked to an account; cancel them with the link in their confirmation mail.".into());
            }
        }
    }
    let subject = match locale {
        Locale::Ja => "アカウントを削除しました".to_string(),
        Locale::En => "Your account was deleted".to_string(),
    };
    (subject, lines.join("\n"))
}

/// Everything held about the person, as JSON and CSV files in one zip.
pub async fn export(state: &AppState, who: Option<&Viewer>) -> Result<Vec<u8>, AppError> {
    let c = state.db.conn();
    let u = me(c, who).await?;
    let nominations = repo::people::nominations_of(c, u.id).await?;
    let mut files: Vec<(String, Vec<u8>)> = vec![];
    files.push(("README.txt".into(), readme().into_bytes()));
    let account = serde_json::json!({
        "id": u.id, "email": u.email, "display_name": u.display_name, "role": u.role.key(),
        "language": locale_of(&u).code(), "created_at": u.created_at, "updated_at": u.updated_at,
    });
    files.push(("account.json".into(), pretty(&account)?));

    let mut noms_json = vec![];
    let mut noms = CsvSheet::new();
    noms.write_record([
        "id",
        "edition",
        "category",
        "status",
        "title",
        "nominee_type",
        "nominee_name",
        "nominee_kana",
        "region",
        "summary",
        "relationship",
        "featured_email",
        "created_at",
        "submitted_at",
        "withdrawn_at",
        "extended_until",
    ])?;
    let mut atts = CsvSheet::new();
    atts.write_record(["nomination_id", "file_name", "content_type", "size_bytes", "sha256", "created_at"])?;
    let mut consents = CsvSheet::new();
    consents.write_record(["nomination_id", "kind", "status", "scope", "photos", "actor", "at", "asked_address"])?;
    for n in &nominations {
        let e = repo::editions::find(c, n.edition_id).await?;
        let cat = repo::editions::find_category(c, n.category_id).await?;
        let attachments = repo::attachments::list(c, n.id).await?;
        let consent = repo::consents::find(c, n.id).await?;
        let history = repo::consents::history(c, n.id).await?;
        let asked = repo::consents::tokens_of(c, n.id).await?;
        noms.write_record([
            n.id.to_string(),
            e.as_ref().map(|e| e.name_ja.clone()).unwrap_or_default(),
            cat.as_ref().map(|c| c.key.key().to_string()).unwrap_or_default(),
            n.status.key().to_string(),
            n.title.clone(),
            n.nominee_type.clone(),
            n.nominee_name.clone(),
            n.nominee_kana.clone(),
            n.region.clone(),
            n.summary.clone(),
            n.relationship.clone(),
            n.featured_email.clone(),
            n.created_at.to_rfc3339(),
            n.submitted_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            n.withdrawn_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            n.extended_until.map(|t| t.to_rfc3339()).unwrap_or_default(),
        ])?;
        for a in &attachments {
            atts.write_record([
                n.id.to_string(),
                a.file_name.clone(),
                a.content_type.clone(),
                a.size_bytes.to_string(),
                a.sha256.clone(),
                a.created_at.to_rfc3339(),
            ])?;
        }
        if let Some(k) = &consent {
            consents.write_record([
                n.id.to_string(),
                "current".into(),
                k.status.key().to_string(),
                k.scope.map(|s| s.key().to_string()).unwrap_or_default(),
                k.photos.to_string(),
                k.recorded_by_kind.clone().unwrap_or_default(),
                k.recorded_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                String::new(),
            ])?;
        }
        for h in &history {
            consents.write_record([
                n.id.to_string(),
                "history".into(),
                h.to_status.clone(),
                h.scope.clone().unwrap_or_default(),
                h.photos.to_string(),
                h.actor_kind.clone(),
                h.at.to_rfc3339(),
                String::new(),
            ])?;
        }
        for t in &asked {
            consents.write_record([
                n.id.to_string(),
                format!("link:{}", t.purpose),
                if t.used_at.is_some() { "used" } else { "sent" }.to_string(),
                String::new(),
                String::new(),
                String::new(),
                t.created_at.to_rfc3339(),
                t.email.clone(),
            ])?;
        }
        noms_json.push(nomination_json(n, &attachments, consent.as_ref(), &history));
    }
    files.push(("nominations.json".into(), pretty(&serde_json::Value::Array(noms_json))?));
    files.push(("nominations.csv".into(), noms.finish()?));
    files.push(("attachments.csv".into(), atts.finish()?));
    files.push(("consents.csv".into(), consents.finish()?));

    let mut reviews = CsvSheet::new();
    reviews.write_record([
        "assignment_id",
        "nomination_title",
        "round",
        "status",
        "scores",
        "internal_comment",
        "comment_to_nominee",
        "submitted_at",
    ])?;
    let written = repo::people::reviews_by(c, u.id).await?;
    let nom_ids: Vec<i64> = written.iter().map(|(a, _)| a.nomination_id).collect();
    let titles: std::collections::HashMap<i64, String> =
        repo::nominations::find_many(c, &nom_ids).await?.into_iter().map(|n| (n.id, n.title)).collect();
    let review_ids: Vec<i64> = written.iter().filter_map(|(_, r)| r.as_ref().map(|r| r.id)).collect();
    let mut scores_of: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    for s in repo::review::scores_for_reviews(c, &review_ids).await? {
        scores_of.entry(s.review_id).or_default().push(format!("{}:{}", s.criterion_id, s.value));
    }
    for (a, r) in written {
        let title = titles.get(&a.nomination_id).cloned().unwrap_or_default();
        let scores = r.as_ref().and_then(|r| scores_of.get(&r.id)).map(|v| v.join(" ")).unwrap_or_default();
        reviews.write_record([
            a.id.to_string(),
            title,
            a.round.to_string(),
            r.as_ref().map(|r| r.status.clone()).unwrap_or_else(|| "not_started".into()),
            scores,
            r.as_ref().map(|r| r.internal_comment.clone()).unwrap_or_default(),
            r.as_ref().map(|r| r.comment_to_nominee.clone()).unwrap_or_default(),
            r.as_ref().and_then(|r| r.submitted_at).map(|t| t.to_rfc3339()).unwrap_or_default(),
        ])?;
    }
    files.push(("reviews.csv".into(), reviews.finish()?));

    let mut conflicts = CsvSheet::new();
    conflicts.write_record(["nomination_id", "source", "reason", "created_at"])?;
    for k in repo::people::conflicts_of(c, u.id).await? {
        conflicts.write_record([k.nomination_id.to_string(), k.source, k.reason, k.created_at.to_rfc3339()])?;
    }
    files.push(("conflicts.csv".into(), conflicts.finish()?));

    let mut regs = CsvSheet::new();
    regs.write_record([
        "event",
        "status",
        "attendance",
        "name",
        "furigana",
        "phone",
        "email",
        "municipality",
        "affiliation",
        "needs",
        "created_at",
        "purged_at",
    ])?;
    for r in repo::people::registrations_of(c, u.id).await? {
        let event = repo::forum::find_event(c, r.event_id).await?.map(|e| e.title_ja).unwrap_or_default();
        regs.write_record([
            event,
            r.status.key().to_string(),
            r.attendance.key().to_string(),
            r.name,
            r.furigana,
            r.phone,
            r.email,
            r.municipality,
            r.affiliation,
            r.needs,
            r.created_at.to_rfc3339(),
            r.purged_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        ])?;
    }
    files.push(("event_registrations.csv".into(), regs.finish()?));

    let mut ext = CsvSheet::new();
    ext.write_record(["nomination_id", "reason", "wanted_until", "status", "granted_until", "created_at"])?;
    for r in repo::people::extension_requests_by(c, u.id).await? {
        ext.write_record([
            r.nomination_id.to_string(),
            r.reason,
            r.wanted_until.to_rfc3339(),
            r.status,
            r.granted_until.map(|t| t.to_rfc3339()).unwrap_or_default(),
            r.created_at.to_rfc3339(),
        ])?;
    }
    files.push(("extension_requests.csv".into(), ext.finish()?));
    zip(files)
}

fn nomination_json(
    n: &nomination::Model,
    attachments: &[crate::server::entities::attachment::Model],
    consent: Option<&crate::server::entities::consent::Model>,
    history: &[crate::server::entities::consent_event::Model],
) -> serde_json::Value {
    let sections: serde_json::Map<String, serde_json::Value> = service::nominations::sections_of(n)
        .into_iter()
        .map(|(k, s)| (k, serde_json::Value::String(s.source)))
        .collect();
    serde_json::json!({
        "id": n.id, "edition_id": n.edition_id, "status": n.status.key(), "title": n.title,
        "nominee_type": n.nominee_type, "nominee_name": n.nominee_name, "nominee_kana": n.nominee_kana,
        "region": n.region, "industry": n.industry, "org_size": n.org_size, "summary": n.summary,
        "sections": sections, "links": n.links.lines().collect::<Vec<_>>(), "relationship": n.relationship,
        "answers": serde_json::from_str::<serde_json::Value>(&n.answers_json).unwrap_or_default(),
        "featured_email": n.featured_email, "created_at": n.created_at, "updated_at": n.updated_at,
        "submitted_at": n.submitted_at, "withdrawn_at": n.withdrawn_at, "extended_until": n.extended_until,
        "attachments": attachments.iter().map(|a| serde_json::json!({
            "file_name": a.file_name, "content_type": a.content_type, "size_bytes": a.size_bytes, "sha256": a.sha256,
        })).collect::<Vec<_>>(),
        "consent": consent.map(|k| serde_json::json!({
            "status": k.status.key(), "scope": k.scope.map(|s| s.key()), "photos": k.photos,
            "self_nomination": k.self_nomination, "recorded_at": k.recorded_at,
        })),
        "consent_history": history.iter().map(|h| serde_json::json!({
            "from": h.from_status, "to": h.to_status, "scope": h.scope, "photos": h.photos, "actor": h.actor_kind, "at": h.at,
        })).collect::<Vec<_>>(),
    })
}

fn readme() -> String {
    "あなたのデータ / Your data\n\n\
     account.json — アカウント / your account\n\
     nominations.json, nominations.csv — あなたが出した推薦(本文を含む) / your nominations, with their text\n\
     attachments.csv — 添付ファイルの一覧 / the list of attached files\n\
     consents.csv — 同意の状態・履歴・依頼 / consents, their history, and the requests you sent\n\
     reviews.csv, conflicts.csv — 審査で記入した内容 / what you wrote as a reviewer\n\
     event_registrations.csv — イベントの申込み / event registrations made while signed in\n\
     extension_requests.csv — 締切延長のお願い / your requests for more time\n\n\
     ほかの方の推薦で紹介された内容は、その方に届いた同意のリンクのページから確認・ダウンロードできます。\n\
     What someone else's nomination says about you is on the page of the consent link you received.\n"
        .to_string()
}

fn pretty(v: &serde_json::Value) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec_pretty(v).map_err(|e| AppError::internal("export json", e))
}

fn zip(files: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>, AppError> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        w.start_file(name, options).map_err(|e| AppError::internal("export zip", e))?;
        w.write_all(&bytes).map_err(|e| AppError::internal("export zip", e))?;
    }
    Ok(w.finish().map_err(|e| AppError::internal("export zip", e))?.into_inner())
}
