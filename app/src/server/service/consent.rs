//! Consent of the featured party: requests by signed single-use links, answers without an
//! account, withdrawal at any time by the featured person, the nominator or an organiser.
//! Every change goes through the domain state machine and is recorded with who and when.
use chrono::{Duration, Utc};
use sea_orm::ConnectionTrait;

use crate::domain::account::normalize_email;
use crate::domain::consent::{transition, ConsentActor, ConsentEvent, ConsentScope, ConsentState, ConsentStatus};
use crate::domain::ids::NominationId;
use crate::domain::policy::Op;
use crate::domain::validation::{is_plausible_email, FieldError, Problem};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::entities::nomination;
use crate::server::{auth, mail, policy, repo, repo::audit::Actor, service::nominations::sections_html, AppState};
use crate::wire::ConsentRequestView;
use crate::wire::Viewer;

pub const REQUEST_DAYS: i64 = 30;
/// The withdrawal link sent with a confirmation stays valid for ten years: consent can be
/// withdrawn at any time.
pub const WITHDRAW_DAYS: i64 = 3650;

/// `random.signature`: the signature lets us refuse a forged or altered link before any lookup.
fn new_link_token(key: &[u8], purpose: &str) -> (String, String) {
    let random = auth::new_token();
    let sig = auth::sign(key, &format!("consent:{purpose}:{random}"));
    let token = format!("{random}.{sig}");
    let hash = auth::token_hash(&token);
    (token, hash)
}

fn check_signature(key: &[u8], token: &str, purpose: &str) -> bool {
    match token.split_once('.') {
        Some((random, sig)) => auth::verify_signature(key, &format!("consent:{purpose}:{random}"), sig),
        None => false,
    }
}

fn self_nomination(n: &nomination::Model) -> bool {
    n.relationship == "self"
}

/// Applies a consent event through the domain state machine and stores the result.
async fn apply<C: ConnectionTrait>(
    c: &C,
    n: &nomination::Model,
    actor: ConsentActor,
    actor_user: Option<(i64, &str)>,
    event: ConsentEvent,
) -> Result<(ConsentState, ConsentState), AppError> {
    let row = repo::consents::find(c, n.id).await?.ok_or(AppError::NotFound)?;
    let from = repo::consents::to_state(&row);
    let is_self = self_nomination(n);
    let to = transition(from, actor, event, is_self).map_err(|_| AppError::InvalidTransition)?;
    store_change(c, n, from, to, is_self, actor, actor_user).await?;
    Ok((from, to))
}

/// The one place a consent change is stored: the new state with its history, the audit entry,
/// and — in the same transaction — every public surface made to follow it (a narrowed consent
/// re-renders the public record without the name; a lost one takes it down).
pub async fn store_change<C: ConnectionTrait>(
    c: &C,
    n: &nomination::Model,
    from: ConsentState,
    to: ConsentState,
    is_self: bool,
    actor: ConsentActor,
    actor_user: Option<(i64, &str)>,
) -> Result<(), AppError> {
    repo::consents::record(c, n.id, from, to, is_self, actor, actor_user.map(|a| a.0), Utc::now()).await?;
    repo::audit::record(
        c,
        Actor { user_id: actor_user.map(|a| a.0), label: actor_user.map(|a| a.1).unwrap_or(actor.key()) },
        "consent.changed",
        Some(n.edition_id),
        Some(n.id),
        serde_json::json!({"from": from.status.key(), "to": to.status.key(), "scope": to.scope.map(|s| s.key()), "photos": to.photos, "actor": actor.key()}),
    )
    .await?;
    crate::server::service::archive::follow_consent(c, n.id, from, to).await?;
    Ok(())
}

/// Consent requests one nomination may send per day: enough to correct an address, too few to
/// use the platform as a mail relay.
pub const REQUESTS_PER_DAY: usize = 3;

/// Sends (or re-sends) the consent request e-mail with a fresh link; earlier links stop working.
/// The mail is worded by the system alone (no text the nominator chose), the address may not be
/// the nominator's own, and a nomination sends at most `REQUESTS_PER_DAY` a day.
pub async fn request(
    state: &AppState,
    who: Option<&Viewer>,
    id: NominationId,
    email: Option<&str>,
) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let access = policy::nomination(&*tx, who, Op::RequestConsent, id.0).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let (n, e) = (access.nomination, access.edition);
    let actor = if n.nominator_id == viewer.id.0 { ConsentActor::Nominator } else { ConsentActor::Organiser };
    let email = normalize_email(email.map(str::trim).filter(|e| !e.is_empty()).unwrap_or(n.featured_email.as_str()));
    if !is_plausible_email(&email) {
        return Err(AppError::Validation(vec![FieldError::new("featured_email", Problem::InvalidEmail)]));
    }
    let nominator = repo::users::find(&*tx, n.nominator_id).await?;
    if nominator.as_ref().is_some_and(|u| normalize_email(&u.email) == email) {
        return Err(AppError::Validation(vec![FieldError::new("featured_email", Problem::OwnAddress)]));
    }
    if n.status == crate::domain::nomination::NominationStatus::Withdrawn {
        return Err(AppError::InvalidTransition);
    }
    // Counted under a lock on this nomination's consent row, so parallel requests cannot pass.
    repo::consents::lock(&*tx, n.id).await?;
    let now = Utc::now();
    if repo::consents::tokens_since(&*tx, n.id, "respond", now - Duration::days(1)).await? >= REQUESTS_PER_DAY as u64 {
        return Err(AppError::Validation(vec![FieldError::new(
            "featured_email",
            Problem::DailyLimit { max: REQUESTS_PER_DAY },
        )]));
    }
    apply(&*tx, &n, actor, Some((viewer.id.0, &viewer.display_name)), ConsentEvent::Request).await?;
    if email != n.featured_email {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let mut am: nomination::ActiveModel = n.clone().into();
        am.featured_email = Set(email.clone());
        am.update(&*tx).await?;
    }
    repo::consents::expire_tokens(&*tx, n.id, "respond", now).await?;
    let (token, hash) = new_link_token(&state.signing_key, "respond");
    let expires = now + Duration::days(REQUEST_DAYS);
    repo::consents::insert_token(&*tx, n.id, "respond", &hash, &email, expires, now).await?;
    let cat = repo::editions::find_category(&*tx, n.category_id).await?.ok_or(AppError::NotFound)?;
    let link = state.config.link(&format!("/consent/{token}"));
    let subject = "実践の紹介へのご同意のお願い / Your consent to a practice nomination".to_string();
    let body = format!(
        "「ゆらぎと対話 グッドプラクティス」({edition_ja}・{category_ja})に、あなた(またはあなたの所属先)の取り組みが推薦されました。\n\n\
         下のリンクから、だれが推薦し、何が書かれているかをお読みいただき、紹介してよいかどうか、どの範囲まで(審査のみ/匿名で公開/お名前を含めて公開)かをお選びください。\n\
         同意しないことも、あとから取り下げることも、いつでもできます。ご同意がない限り、審査も公開もされません。\n\
         リンクの有効期限: {REQUEST_DAYS}日間(1回限り)\n\n{link}\n\n\
         お心当たりがない場合は、このメールを無視してください。\n\n\
         ----\n\
         Your (or your organisation's) practice has been nominated for the Yuragi & Dialogue Good Practice programme ({edition_en}, {category_en}).\n\n\
         Please open the link to read who nominated it and what was written, and choose whether, and how far, it may be shared (review only / published anonymously / published with names). \
         You may decline, and you may withdraw at any time. Nothing is reviewed or published without your consent.\n\
         This link works once and for {REQUEST_DAYS} days:\n\n{link}\n\n\
         If this means nothing to you, please ignore this e-mail.",
        edition_ja = e.name_ja,
        edition_en = e.name_en,
        category_ja = cat.name_ja,
        category_en = cat.name_en,
    );
    mail::queue(&*tx, &email, mail::Rendered { kind: "consent_request", subject, body }).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

async fn token_row<C: ConnectionTrait>(
    c: &C,
    key: &[u8],
    token: &str,
    purpose: &str,
) -> Result<crate::server::entities::consent_token::Model, AppError> {
    if !check_signature(key, token, purpose) {
        return Err(AppError::LinkInvalid);
    }
    let row = repo::consents::find_token(c, &auth::token_hash(token)).await?.ok_or(AppError::LinkInvalid)?;
    if row.purpose != purpose || row.used_at.is_some() || row.expires_at <= Utc::now() {
        return Err(AppError::LinkInvalid);
    }
    Ok(row)
}

/// What the featured person reads before deciding (or before withdrawing).
pub async fn view(state: &AppState, token: &str) -> Result<ConsentRequestView, AppError> {
    let c = state.db.conn();
    let purpose = if check_signature(&state.signing_key, token, "withdraw") { "withdraw" } else { "respond" };
    let row = token_row(c, &state.signing_key, token, purpose).await?;
    let n = repo::nominations::find(c, row.nomination_id).await?.ok_or(AppError::LinkInvalid)?;
    let e = repo::editions::find(c, n.edition_id).await?.ok_or(AppError::LinkInvalid)?;
    let cat = repo::editions::find_category(c, n.category_id).await?.ok_or(AppError::LinkInvalid)?;
    let consent =
        repo::consents::find(c, n.id).await?.map(|r| repo::consents::to_state(&r)).unwrap_or(ConsentState::NOT_ASKED);
    let nominator = repo::users::find(c, n.nominator_id).await?.map(|u| u.display_name).unwrap_or_default();
    Ok(ConsentRequestView {
        purpose: purpose.to_string(),
        title: n.title.clone(),
        nominee_name: n.nominee_name.clone(),
        summary: n.summary.clone(),
        sections_html: sections_html(&n),
        category_name_ja: cat.name_ja,
        category_name_en: cat.name_en,
        edition_name_ja: e.name_ja,
        edition_name_en: e.name_en,
        nominator_name: nominator,
        state: consent,
        expires_at: row.expires_at,
    })
}

/// The featured person's answer through the link: give (with a scope, which may limit it) or decline.
pub async fn respond(
    state: &AppState,
    token: &str,
    give: bool,
    scope: Option<ConsentScope>,
    photos: bool,
    locale: Locale,
) -> Result<ConsentState, AppError> {
    let event = if give {
        let scope = scope.ok_or_else(|| AppError::Validation(vec![FieldError::new("scope", Problem::Required)]))?;
        ConsentEvent::Give { scope, photos }
    } else {
        ConsentEvent::Decline
    };
    let tx = state.db.begin().await?;
    let row = token_row(&*tx, &state.signing_key, token, "respond").await?;
    let now = Utc::now();
    if !repo::consents::consume_token(&*tx, row.id, now).await? {
        return Err(AppError::LinkInvalid);
    }
    let n = repo::nominations::find(&*tx, row.nomination_id).await?.ok_or(AppError::LinkInvalid)?;
    let (_, to) = apply(&*tx, &n, ConsentActor::FeaturedPerson, None, event).await?;
    let mut withdraw_link = None;
    if to.status == ConsentStatus::Given {
        let (wtoken, whash) = new_link_token(&state.signing_key, "withdraw");
        repo::consents::insert_token(
            &*tx,
            n.id,
            "withdraw",
            &whash,
            &row.email,
            now + Duration::days(WITHDRAW_DAYS),
            now,
        )
        .await?;
        withdraw_link = Some(state.config.link(&format!("/consent/{wtoken}")));
    }
    let (subject, body) = match (&withdraw_link, locale) {
        (Some(link), Locale::Ja) => (
            "ご同意を記録しました".to_string(),
            format!("「{}」の紹介について、ご同意を記録しました。ありがとうございます。\n同意はいつでも取り下げることができます。取り下げる場合は次のリンクを開いてください(このリンクは大切に保管してください)。\n\n{link}", n.title),
        ),
        (Some(link), Locale::En) => (
            "Your consent has been recorded".to_string(),
            format!("Thank you: we have recorded your consent for \"{}\".\nYou can withdraw it at any time with the link below (please keep it safe).\n\n{link}", n.title),
        ),
        (None, Locale::Ja) => ("ご回答を記録しました".to_string(), format!("「{}」の紹介について、同意しないとのご回答を記録しました。公開されることはありません。", n.title)),
        (None, Locale::En) => ("Your answer has been recorded".to_string(), format!("We have recorded that you do not consent for \"{}\". It will not be published.", n.title)),
    };
    mail::queue(&*tx, &row.email, mail::Rendered { kind: "consent_confirmation", subject, body }).await?;
    notify_nominator(&*tx, state, &n, to).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(to)
}

/// Withdrawal through the link kept from the confirmation e-mail.
pub async fn withdraw_with_link(state: &AppState, token: &str) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let row = token_row(&*tx, &state.signing_key, token, "withdraw").await?;
    if !repo::consents::consume_token(&*tx, row.id, Utc::now()).await? {
        return Err(AppError::LinkInvalid);
    }
    let n = repo::nominations::find(&*tx, row.nomination_id).await?.ok_or(AppError::LinkInvalid)?;
    let (_, to) = apply(&*tx, &n, ConsentActor::FeaturedPerson, None, ConsentEvent::Withdraw).await?;
    notify_nominator(&*tx, state, &n, to).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// Withdrawal by the nominator or an organiser.
pub async fn withdraw(state: &AppState, who: Option<&Viewer>, id: NominationId) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let access = policy::nomination(&*tx, who, Op::WithdrawConsent, id.0).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let n = access.nomination;
    let actor = if n.nominator_id == viewer.id.0 { ConsentActor::Nominator } else { ConsentActor::Organiser };
    apply(&*tx, &n, actor, Some((viewer.id.0, &viewer.display_name)), ConsentEvent::Withdraw).await?;
    tx.commit().await?;
    Ok(())
}

/// An organiser records a consent or refusal obtained another way (e.g. a signed form).
pub async fn record_by_organiser(
    state: &AppState,
    who: Option<&Viewer>,
    id: NominationId,
    give: bool,
    scope: Option<ConsentScope>,
    photos: bool,
) -> Result<(), AppError> {
    let event = if give {
        ConsentEvent::Give {
            scope: scope.ok_or_else(|| AppError::Validation(vec![FieldError::new("scope", Problem::Required)]))?,
            photos,
        }
    } else {
        ConsentEvent::Decline
    };
    let tx = state.db.begin().await?;
    let access = policy::nomination(&*tx, who, Op::RecordConsent, id.0).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    apply(&*tx, &access.nomination, ConsentActor::Organiser, Some((viewer.id.0, &viewer.display_name)), event).await?;
    tx.commit().await?;
    Ok(())
}

async fn notify_nominator<C: ConnectionTrait>(
    c: &C,
    state: &AppState,
    n: &nomination::Model,
    to: ConsentState,
) -> Result<(), AppError> {
    let Some(u) = repo::users::find(c, n.nominator_id).await?.filter(|u| !u.disabled) else {
        return Ok(());
    };
    let locale = u.locale.as_deref().and_then(Locale::parse).unwrap_or_default();
    let status_ja = match to.status {
        ConsentStatus::Given => "ご同意をいただきました",
        ConsentStatus::Declined => "今回はご同意いただけませんでした",
        ConsentStatus::Withdrawn => "ご同意が取り下げられました",
        _ => "状況が変わりました",
    };
    let status_en = match to.status {
        ConsentStatus::Given => "has given consent",
        ConsentStatus::Declined => "has decided not to consent this time",
        ConsentStatus::Withdrawn => "has withdrawn consent",
        _ => "has changed their answer",
    };
    let (subject, message) = match locale {
        Locale::Ja => (format!("同意の状況: {}", n.title), format!("「{}」で紹介される方から、{status_ja}。", n.title)),
        Locale::En => {
            (format!("Consent update: {}", n.title), format!("The person featured in \"{}\" {status_en}.", n.title))
        }
    };
    let link = state.config.link(&format!("/nominations/{}", n.id));
    mail::queue(c, &u.email, mail::notice("consent_update", locale, &u.display_name, subject, &message, Some(&link)))
        .await?;
    Ok(())
}

/// The link's token row, whichever purpose it was made for (respond or withdraw).
async fn any_token_row<C: ConnectionTrait>(
    c: &C,
    key: &[u8],
    token: &str,
) -> Result<crate::server::entities::consent_token::Model, AppError> {
    let purpose = if check_signature(key, token, "withdraw") { "withdraw" } else { "respond" };
    token_row(c, key, token, purpose).await
}

/// What the platform holds about the featured person of the link's nomination: the name, kana
/// and address the nominator entered, the consent and its history. Nothing about anyone else.
pub async fn featured_data(state: &AppState, token: &str) -> Result<crate::wire::account::FeaturedData, AppError> {
    let c = state.db.conn();
    let row = any_token_row(c, &state.signing_key, token).await?;
    let n = repo::nominations::find(c, row.nomination_id).await?.ok_or(AppError::LinkInvalid)?;
    let consent =
        repo::consents::find(c, n.id).await?.map(|r| repo::consents::to_state(&r)).unwrap_or(ConsentState::NOT_ASKED);
    let history = repo::consents::history(c, n.id).await?.into_iter().map(|h| (h.to_status, h.at)).collect();
    let record = repo::archive::find_by_nomination(c, n.id).await?;
    Ok(crate::wire::account::FeaturedData {
        title: n.title.clone(),
        nominee_name: n.nominee_name.clone(),
        nominee_kana: n.nominee_kana.clone(),
        email: row.email.clone(),
        consent,
        history,
        record_published: record.is_some_and(|p| p.status == crate::domain::archive::PracticeStatus::Published),
        erased: n.nominee_name.is_empty() && n.featured_email.is_empty(),
    })
}

/// The featured person's data as a JSON download (same content as the page).
pub async fn featured_export(state: &AppState, token: &str) -> Result<Vec<u8>, AppError> {
    let d = featured_data(state, token).await?;
    serde_json::to_vec_pretty(&serde_json::json!({
        "nomination_title": d.title,
        "your_name_as_entered": d.nominee_name,
        "your_kana_as_entered": d.nominee_kana,
        "your_address": d.email,
        "consent": {"status": d.consent.status.key(), "scope": d.consent.scope.map(|s| s.key()), "photos": d.consent.photos},
        "consent_history": d.history.iter().map(|(s, at)| serde_json::json!({"status": s, "at": at})).collect::<Vec<_>>(),
        "public_record": d.record_published,
    }))
    .map_err(|e| AppError::internal("featured export", e))
}

/// The featured person erases what concerns them: their consent is withdrawn (or the request
/// declined) through the one consent path, so a public record leaves the archive; their name,
/// kana and address leave the nomination; every link of theirs stops working. The audit entry
/// names no one.
pub async fn erase_featured(state: &AppState, token: &str, locale: Locale) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let row = any_token_row(&*tx, &state.signing_key, token).await?;
    let now = Utc::now();
    let n = repo::nominations::find(&*tx, row.nomination_id).await?.ok_or(AppError::LinkInvalid)?;
    repo::consents::lock(&*tx, n.id).await?;
    let current = repo::consents::find(&*tx, n.id)
        .await?
        .map(|r| repo::consents::to_state(&r))
        .unwrap_or(ConsentState::NOT_ASKED);
    let event = match current.status {
        ConsentStatus::Given => Some(ConsentEvent::Withdraw),
        ConsentStatus::Requested | ConsentStatus::NotAsked => Some(ConsentEvent::Decline),
        ConsentStatus::Declined | ConsentStatus::Withdrawn => None,
    };
    if let Some(event) = event {
        if transition(current, ConsentActor::FeaturedPerson, event, self_nomination(&n)).is_ok() {
            let (_, to) = apply(&*tx, &n, ConsentActor::FeaturedPerson, None, event).await?;
            notify_nominator(&*tx, state, &n, to).await?;
        }
    }
    repo::nominations::erase_featured(&*tx, n.id, now).await?;
    repo::archive::forget_nominee_name(&*tx, n.id).await?;
    repo::consents::expire_all_tokens(&*tx, n.id, now).await?;
    repo::outbox::delete_consent_mail_to(&*tx, &row.email).await?;
    repo::audit::record(
        &*tx,
        Actor { user_id: None, label: "featured person" },
        "consent.featured_erased",
        Some(n.edition_id),
        Some(n.id),
        serde_json::json!({}),
    )
    .await?;
    let (subject, body) = match locale {
        Locale::Ja => (
            "ご本人の情報を消去しました".to_string(),
            format!("「{}」の推薦から、あなたのお名前・ふりがな・メールアドレスを消去し、同意を取り下げました。公開されることはありません。推薦者が本文に書いた内容について消去を希望される場合は、事務局にご連絡ください。", n.title),
        ),
        Locale::En => (
            "Your details were erased".to_string(),
            format!("We erased your name, its reading and your address from the nomination \"{}\" and withdrew your consent. It will not be published. If you want text the nominator wrote about you removed too, please contact the organisers.", n.title),
        ),
    };
    mail::queue(&*tx, &row.email, mail::Rendered { kind: mail::FORGET_AFTER_SENDING, subject, body }).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// For a self-nomination with consent given: a fresh withdrawal link (its address not kept),
/// so the person can still withdraw after deleting their account.
pub async fn self_withdraw_link<C: ConnectionTrait>(
    c: &C,
    state: &AppState,
    nomination_id: i64,
) -> Result<Option<String>, AppError> {
    let Some(n) = repo::nominations::find(c, nomination_id).await? else { return Ok(None) };
    let Some(row) = repo::consents::find(c, n.id).await? else { return Ok(None) };
    if !(self_nomination(&n) && row.status == ConsentStatus::Given) {
        return Ok(None);
    }
    let now = Utc::now();
    let (token, hash) = new_link_token(&state.signing_key, "withdraw");
    repo::consents::insert_token(c, n.id, "withdraw", &hash, "", now + Duration::days(WITHDRAW_DAYS), now).await?;
    Ok(Some(state.config.link(&format!("/consent/{token}"))))
}
