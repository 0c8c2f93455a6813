//! The forum: public event pages and their programme, registration without an account (a
//! venue seat taken atomically, online fallback, waiting list served in order), the
//! registrant's own link (cancel, questions), mails, and the organisers' tools. Every use case
//! asks the policy first, inside its transaction.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait};

use crate::domain::account::normalize_email;
use crate::domain::forum::{
    self, check_question, check_registration, default_affiliations, normalize_phone, Attendance, CalendarEvent, Choice,
    NewRegistration, PlaceRefusal, QuestionStatus, RegStatus, SeatRules, SessionKind,
};
use crate::domain::policy::Op;
use crate::domain::time::{format_tokyo, parse_tokyo, to_tokyo_input};
use crate::domain::validation::{is_plausible_email, is_web_url, Checker, FieldError, Problem};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::entities::{event, event_question, event_registration};
use crate::server::repo::audit::Actor;
use crate::server::{auth, mail, policy, repo, sanitize, AppState};
use crate::wire::forum::*;
use crate::wire::Viewer;

pub fn seat_rules(e: &event::Model) -> SeatRules {
    SeatRules {
        capacity: e.capacity,
        taken: e.venue_taken,
        waiting_list: e.waiting_list,
        online: e.online,
        online_only_from: e.online_only_from,
        opens_at: e.registration_opens_at,
        closes_at: e.registration_closes_at,
        starts_at: e.starts_at,
    }
}

fn choices(json: &str, fallback: impl Fn() -> Vec<Choice>) -> Vec<Choice> {
    serde_json::from_str::<Vec<Choice>>(json).ok().filter(|v| !v.is_empty()).unwrap_or_else(fallback)
}

pub fn municipalities_of(e: &event::Model) -> Vec<Choice> {
    choices(&e.municipalities_json, || forum::municipalities("saitama"))
}

pub fn affiliations_of(e: &event::Model) -> Vec<Choice> {
    choices(&e.affiliations_json, default_affiliations)
}

fn summary(e: &event::Model, now: DateTime<Utc>) -> EventSummary {
    let rules = seat_rules(e);
    EventSummary {
        slug: e.slug.clone(),
        title: Both::new(&e.title_ja, &e.title_en),
        subtitle: Both::new(&e.subtitle_ja, &e.subtitle_en),
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        venue_name: e.venue_name.clone(),
        upcoming: e.ends_at > now,
        window: rules.window(now),
        venue: rules.venue(now),
        venue_full_at: e.venue_full_at,
        online: e.online,
    }
}

// Public pages ----------------------------------------------------------------------------------

/// Published events: upcoming soonest first, past ones newest first.
pub async fn list_public(state: &AppState) -> Result<EventList, AppError> {
    let now = Utc::now();
    let events = repo::forum::list_published(state.db.conn()).await?;
    let (mut upcoming, mut past): (Vec<_>, Vec<_>) = events.iter().map(|e| summary(e, now)).partition(|s| s.upcoming);
    upcoming.sort_by_key(|s| s.starts_at);
    past.sort_by_key(|s| std::cmp::Reverse(s.starts_at));
    Ok(EventList { upcoming, past })
}

async fn programme<C: ConnectionTrait>(c: &C, event_id: i64) -> Result<Vec<SessionView>, AppError> {
    let sessions = repo::forum::list_sessions(c, event_id).await?;
    let ids: Vec<i64> = sessions.iter().map(|s| s.id).collect();
    let speakers = repo::forum::list_speakers(c, &ids).await?;
    let mut out = Vec::with_capacity(sessions.len());
    for s in sessions {
        // A presented practice is named only while its public record may be seen: the same
        // policy decision as the record page (published, consent reaching the archive now).
        // A nomination is presented under its public record, once there is one the public may
        // see; until then the session names no entry at all.
        let record = match (s.practice_id, s.nomination_id) {
            (Some(pid), _) => repo::archive::find(c, pid).await?,
            (None, Some(nid)) => repo::archive::find_by_nomination(c, nid).await?,
            (None, None) => None,
        };
        let practice = match record {
            Some(p) => match policy::practice_of(c, None, Op::ViewRecord, p).await {
                Ok(access) => {
                    Some(PresentedPractice { slug: access.practice.slug.clone(), title: access.practice.title.clone() })
                }
                Err(_) => None,
            },
            None => None,
        };
        out.push(SessionView {
            id: s.id,
            kind: s.kind,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            title: Both::new(&s.title_ja, &s.title_en),
            subtitle: Both::new(&s.subtitle_ja, &s.subtitle_en),
            theme: Both::new(&s.theme_ja, &s.theme_en),
            speakers: speakers
                .iter()
                .filter(|p| p.session_id == s.id)
                .map(|p| SpeakerView {
                    name: p.name.clone(),
                    affiliation: p.affiliation.clone(),
                    role_title: p.role_title.clone(),
                })
                .collect(),
            practice,
        });
    }
    Ok(out)
}

pub async fn view(state: &AppState, who: Option<&Viewer>, slug: &str) -> Result<EventView, AppError> {
    let c = state.db.conn();
    let e = policy::event_by_slug(c, who, Op::ViewEvent, slug).await?;
    let now = Utc::now();
    let edition = repo::editions::find(c, e.edition_id).await?;
    Ok(EventView {
        summary: summary(&e, now),
        edition_name: edition.map(|x| x.name_ja).unwrap_or_default(),
        reception_at: e.reception_at,
        room: e.room.clone(),
        address: e.address.clone(),
        map_url: if is_web_url(&e.map_url) { e.map_url.clone() } else { String::new() },
        audience: Both::new(&e.audience_ja, &e.audience_en),
        fee: Both::new(&e.fee_ja, &e.fee_en),
        contact_name: e.contact_name.clone(),
        contact_phone: e.contact_phone.clone(),
        contact_email: e.contact_email.clone(),
        organisers: e.organisers.clone(),
        co_organisers: e.co_organisers.clone(),
        description_html: sanitize::render_markdown(&e.description_md),
        capacity: e.capacity,
        seats_left: (e.capacity - e.venue_taken).max(0),
        waiting_list: e.waiting_list,
        online_only_from: e.online_only_from,
        closes_at: e.registration_closes_at,
        questions_public: e.questions_public,
        sessions: programme(c, e.id).await?,
    })
}

/// The `.ics` of an event, for the page's download and the confirmation mail.
pub fn calendar_of(state: &AppState, e: &event::Model) -> String {
    let url = state.config.link(&format!("/events/{}", e.slug));
    let location = [e.venue_name.as_str(), e.room.as_str(), e.address.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let uid = format!(
        "event-{}@{}",
        e.id,
        state.config.link("").trim_start_matches("https://").trim_start_matches("http://")
    );
    forum::calendar(&CalendarEvent {
        uid: &uid,
        title: &e.title_ja,
        description: &format!("{}\n{url}", e.subtitle_ja),
        location: &location,
        url: &url,
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        stamp: e.updated_at,
    })
}

pub async fn calendar_file(state: &AppState, who: Option<&Viewer>, slug: &str) -> Result<String, AppError> {
    let e = policy::event_by_slug(state.db.conn(), who, Op::ViewEvent, slug).await?;
    Ok(calendar_of(state, &e))
}

/// The registration form. `echo` is what a form post without JavaScript sent back with
/// problems (it is the person's own, read from their own short-lived cookie).
pub async fn form(
    state: &AppState,
    who: Option<&Viewer>,
    slug: &str,
    echo: Option<(NewRegistration, Vec<FieldError>)>,
) -> Result<RegistrationForm, AppError> {
    let e = policy::event_by_slug(state.db.conn(), who, Op::ViewEvent, slug).await?;
    let (mut prefill, errors) = echo.unwrap_or_default();
    if prefill == NewRegistration::default() {
        if let Some(v) = who {
            prefill.name = v.display_name.clone();
            prefill.email = v.email.clone();
        }
    }
    Ok(RegistrationForm {
        event: summary(&e, Utc::now()),
        capacity: e.capacity,
        seats_left: (e.capacity - e.venue_taken).max(0),
        waiting_list: e.waiting_list,
        municipalities: municipalities_of(&e),
        affiliations: affiliations_of(&e),
        prefill,
        errors,
    })
}

// Registration ---------------------------------------------------------------------------------

fn new_link_token(key: &[u8]) -> (String, String) {
    let random = auth::new_token();
    let sig = auth::sign(key, &format!("registration:{random}"));
    let token = format!("{random}.{sig}");
    let hash = auth::token_hash(&token);
    (token, hash)
}

fn check_signature(key: &[u8], token: &str) -> bool {
    match token.split_once('.') {
        Some((random, sig)) => auth::verify_signature(key, &format!("registration:{random}"), sig),
        None => false,
    }
}

fn field(field: &str, problem: Problem) -> AppError {
    AppError::Validation(vec![FieldError::new(field, problem)])
}

/// Registers a person. The seat is taken by one conditional update inside the transaction,
/// so the venue never holds more than its capacity, however many register at once and in
/// however many processes; when it is full the person is put on the waiting list (if there is
/// one) or asked to choose online, with everything they typed kept.
pub async fn register(
    state: &AppState,
    who: Option<&Viewer>,
    slug: &str,
    input: NewRegistration,
    locale: Locale,
    ip: &str,
) -> Result<Registered, AppError> {
    let first = repo::forum::find_event_by_slug(state.db.conn(), slug).await?.ok_or(AppError::NotFound)?;
    let first = policy::event_of(who, Op::Register, first)?;
    check_registration(&input, &municipalities_of(&first), &affiliations_of(&first)).map_err(AppError::Validation)?;
    crate::server::service::accounts::admit_from_ip(
        &state.db,
        "event-registration",
        ip,
        state.config.registrations_per_hour,
    )
    .await?;
    let want = Attendance::parse(&input.attendance).ok_or(AppError::BadRequest)?;
    let email = normalize_email(&input.email);
    let phone = normalize_phone(&input.phone).unwrap_or_default();

    let tx = state.db.begin().await?;
    let e = policy::event(&*tx, who, Op::Register, first.id).await?;
    let now = Utc::now();
    if let Some(existing) = repo::forum::find_live_by_email(&*tx, e.id, &email).await? {
        // The same form sent again within minutes (a double click, a resend after a slow
        // answer) shows the person their registration, with no second mail; anything else
        // from that address is refused as already registered.
        if is_resubmission(&existing, &input, want, &phone, now) {
            return Ok(registered(&e, existing.status));
        }
        return Err(field("email", Problem::AlreadyRegistered));
    }
    let rules = seat_rules(&e);
    let seat = rules.wants_seat(want, now) && repo::forum::take_seat(&*tx, e.id, now).await?;
    let status = rules.place(want, now, seat).map_err(|r| match r {
        PlaceRefusal::Closed => AppError::StageClosed,
        PlaceRefusal::VenueFull => field("attendance", Problem::VenueFull),
        PlaceRefusal::VenueClosed => field("attendance", Problem::VenueClosed),
        PlaceRefusal::NoOnline => field("attendance", Problem::NoOnline),
    })?;
    let (token, hash) = new_link_token(&state.signing_key);
    // Someone registering online after the organisers sent the viewing link gets it at once.
    let link_now = status != RegStatus::Venue && e.online_link_sent_at.is_some() && !e.online_link.is_empty();
    let reg = repo::forum::insert_registration(
        &*tx,
        event_registration::ActiveModel {
            event_id: Set(e.id),
            user_id: Set(who.map(|v| v.id.0)),
            status: Set(status),
            attendance: Set(want),
            name: Set(input.name.trim().to_string()),
            furigana: Set(input.furigana.trim().to_string()),
            phone: Set(phone),
            email: Set(email.clone()),
            municipality: Set(input.municipality.clone()),
            municipality_other: Set(input.municipality_other.trim().to_string()),
            affiliation: Set(input.affiliation.clone()),
            needs: Set(input.needs.trim().to_string()),
            locale: Set(locale.code().to_string()),
            cancel_token_hash: Set(hash),
            rules_ack_at: Set(now),
            privacy_ack_at: Set(now),
            waiting_since: Set((status == RegStatus::Waiting).then_some(now)),
            online_link_sent_at: Set(link_now.then_some(now)),
            created_at: Set(now),
            ..Default::default()
        },
    )
    .await
    .map_err(|err| match AppError::from(err) {
        // The same address registering twice at the same moment: the unique index decides.
        AppError::Duplicate => field("email", Problem::AlreadyRegistered),
        other => other,
    })?;
    let link = state.config.link(&format!("/events/cancel/{token}"));
    mail::queue_with(&*tx, &email, confirmation_mail(&e, &reg, locale, &link, link_now), ics_attachment(state, &e))
        .await?;
    repo::archive::bump_forum_version(&*tx).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(registered(&e, status))
}

/// The answer to a registration: its status and the page that confirms it.
fn registered(e: &event::Model, status: RegStatus) -> Registered {
    Registered { status, next: format!("/events/registered?event={}&status={}", e.slug, status.key()) }
}

/// Is `input` the registration `existing` again, sent within ten minutes of it?
fn is_resubmission(
    existing: &event_registration::Model,
    input: &NewRegistration,
    want: Attendance,
    phone: &str,
    now: DateTime<Utc>,
) -> bool {
    now.signed_duration_since(existing.created_at) < Duration::minutes(10)
        && existing.attendance == want
        && existing.name == input.name.trim()
        && existing.furigana == input.furigana.trim()
        && existing.phone == phone
        && existing.municipality == input.municipality
        && existing.municipality_other == input.municipality_other.trim()
        && existing.affiliation == input.affiliation
        && existing.needs == input.needs.trim()
}

fn ics_attachment(state: &AppState, e: &event::Model) -> repo::outbox::Attachment {
    repo::outbox::Attachment {
        name: format!("{}.ics", e.slug),
        content_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
        body: calendar_of(state, e),
    }
}

fn when(e: &event::Model, ja: bool) -> String {
    let start = format_tokyo(e.starts_at);
    let end = format_tokyo(e.ends_at);
    let end_time = end.split(' ').nth(1).unwrap_or("");
    let reception = e
        .reception_at
        .map(|r| {
            let t = format_tokyo(r);
            let t = t.split(' ').nth(1).unwrap_or("").to_string();
            if ja {
                format!("(受付 {t}〜)")
            } else {
                format!(" (reception from {t})")
            }
        })
        .unwrap_or_default();
    format!("{start}–{end_time}{reception}")
}

fn place_line(e: &event::Model) -> String {
    [e.venue_name.as_str(), e.room.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ")
}

fn confirmation_mail(
    e: &event::Model,
    r: &event_registration::Model,
    locale: Locale,
    cancel_link: &str,
    with_online_link: bool,
) -> mail::Rendered {
    let ja = locale == Locale::Ja;
    let title = if ja || e.title_en.is_empty() { &e.title_ja } else { &e.title_en };
    let status = match (r.status, ja) {
        (RegStatus::Venue, true) => format!("会場参加({})でお申し込みを受け付けました。", place_line(e)),
        (RegStatus::Venue, false) => format!("You are registered to attend at the venue ({}).", place_line(e)),
        (RegStatus::Online, true) => "オンライン参加でお申し込みを受け付けました。視聴用のリンクは後日メールでお送りします。".into(),
        (RegStatus::Online, false) => "You are registered to take part online. The viewing link will be e-mailed later.".into(),
        (RegStatus::Waiting, true) => "会場は満席のため、キャンセル待ちとして受け付けました。席が空きしだい、お申し込み順にメールでお知らせします。それまではオンラインでご参加いただけます。".into(),
        (RegStatus::Waiting, false) => "The venue is full, so you are on the waiting list. If a seat frees up we will e-mail you, in order of registration; until then you can take part online.".into(),
        (RegStatus::Cancelled, _) => String::new(),
    };
    let online = if with_online_link {
        if ja {
            format!("\n\nオンライン視聴のリンク: {}", e.online_link)
        } else {
            format!("\n\nOnline viewing link: {}", e.online_link)
        }
    } else {
        String::new()
    };
    let (subject, body) = if ja {
        (
            format!("【お申し込み受付】{title}"),
            format!(
                "{status}\n\n催し: {title}\n日時: {}\n\n予定表に追加できるファイル(.ics)を添付しています。\n\nご都合が悪くなったときは、下のリンクからキャンセルできます(アカウントは不要です)。質問の事前送付もこちらからできます。{online}",
                when(e, true)
            ),
        )
    } else {
        (
            format!("Registration received: {title}"),
            format!(
                "{status}\n\nEvent: {title}\nWhen (Japan time): {}\n\nA calendar file (.ics) is attached.\n\nIf you cannot come, you can cancel with the link below (no account needed); you can also send questions in advance there.{online}",
                when(e, false)
            ),
        )
    };
    mail::notice("event_registration", locale, &r.name, subject, &body, Some(cancel_link))
}

fn locale_of(r: &event_registration::Model) -> Locale {
    Locale::parse(&r.locale).unwrap_or_default()
}

fn event_title(e: &event::Model, locale: Locale) -> &str {
    if locale == Locale::Ja || e.title_en.is_empty() {
        &e.title_ja
    } else {
        &e.title_en
    }
}

/// Gives freed seats to the waiting list, in order of registration, and tells each person.
/// Each move is a conditional update, so two cancellations at once never promote one person
/// twice or two people into one seat.
async fn fill_freed_seats<C: ConnectionTrait>(c: &C, e: &event::Model) -> Result<u32, AppError> {
    let now = Utc::now();
    let mut promoted = 0;
    loop {
        let line = repo::forum::waiting(c, e.id, 20).await?;
        if line.is_empty() {
            return Ok(promoted);
        }
        let mut moved_any = false;
        for w in line {
            if !repo::forum::take_seat(c, e.id, now).await? {
                return Ok(promoted);
            }
            if !repo::forum::promote(c, w.id, now).await? {
                repo::forum::release_seat(c, e.id).await?;
                continue;
            }
            moved_any = true;
            promoted += 1;
            let locale = locale_of(&w);
            let title = event_title(e, locale);
            let (subject, body) = if locale == Locale::Ja {
                (
                    format!("【会場のお席をご用意しました】{title}"),
                    format!("キャンセル待ちでお申し込みの「{title}」に、会場のお席をご用意できました。\n日時: {}\n会場: {}\n\nご都合が悪くなった場合は、お申し込み時のメールにあるリンクからキャンセルしてください。次の方にお席をお回しします。", when(e, true), place_line(e)),
                )
            } else {
                (
                    format!("A seat at the venue is yours: {title}"),
                    format!("A seat has freed up at the venue for \"{title}\", and it is now yours.\nWhen (Japan time): {}\nWhere: {}\n\nIf you cannot come, please cancel with the link in your registration mail so that the next person can have it.", when(e, false), place_line(e)),
                )
            };
            mail::queue(c, &w.email, mail::notice("event_seat_offered", locale, &w.name, subject, &body, None)).await?;
        }
        if !moved_any {
            return Ok(promoted);
        }
    }
}

async fn by_token<C: ConnectionTrait>(
    c: &C,
    state: &AppState,
    token: &str,
) -> Result<(event_registration::Model, event::Model), AppError> {
    if !check_signature(&state.signing_key, token) {
        return Err(AppError::LinkInvalid);
    }
    let r = repo::forum::find_registration_by_hash(c, &auth::token_hash(token)).await?.ok_or(AppError::LinkInvalid)?;
    if r.purged_at.is_some() {
        return Err(AppError::LinkInvalid);
    }
    let e = repo::forum::find_event(c, r.event_id).await?.ok_or(AppError::LinkInvalid)?;
    Ok((r, e))
}

pub async fn link_view(state: &AppState, token: &str) -> Result<RegistrationLinkView, AppError> {
    let c = state.db.conn();
    let (r, e) = by_token(c, state, token).await?;
    let now = Utc::now();
    let sessions = repo::forum::list_sessions(c, e.id)
        .await?
        .into_iter()
        .filter(|s| s.kind != SessionKind::Break)
        .map(|s| (s.id, Both::new(&s.title_ja, &s.title_en)))
        .collect();
    Ok(RegistrationLinkView {
        event: summary(&e, now),
        name: r.name.clone(),
        status: r.status,
        attendance: r.attendance,
        sessions,
        questions_open: r.status.active() && e.ends_at > now,
    })
}

/// Cancels through the mailed link (no account). A freed venue seat goes to the waiting list.
/// Cancelling twice is harmless.
pub async fn cancel(state: &AppState, token: &str) -> Result<RegStatus, AppError> {
    let tx = state.db.begin().await?;
    let (r, e) = by_token(&*tx, state, token).await?;
    if r.status == RegStatus::Cancelled {
        return Ok(RegStatus::Cancelled);
    }
    if e.starts_at <= Utc::now() {
        return Err(AppError::StageClosed);
    }
    let now = Utc::now();
    if repo::forum::cancel(&*tx, r.id, now).await? {
        if r.status == RegStatus::Venue {
            repo::forum::release_seat(&*tx, e.id).await?;
            fill_freed_seats(&*tx, &e).await?;
        }
        let locale = locale_of(&r);
        let title = event_title(&e, locale);
        let (subject, body) = if locale == Locale::Ja {
            (
                format!("【キャンセルを受け付けました】{title}"),
                format!(
                    "「{title}」へのお申し込みをキャンセルしました。またの機会にお会いできることを楽しみにしています。"
                ),
            )
        } else {
            (
                format!("Cancelled: {title}"),
                format!("Your registration for \"{title}\" is cancelled. We hope to see you another time."),
            )
        };
        mail::queue(&*tx, &r.email, mail::notice("event_cancelled", locale, &r.name, subject, &body, None)).await?;
    }
    repo::archive::bump_forum_version(&*tx).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(r.status)
}

// Questions -------------------------------------------------------------------------------------

/// Questions one registrant may send a day, and the page's anonymous box an hour: enough for
/// a real audience, too few to flood the moderators.
pub const QUESTIONS_PER_REGISTRANT: u64 = 10;
pub const PUBLIC_QUESTIONS_PER_HOUR: u64 = 300;
/// Questions from the event page per client address and hour.
pub const QUESTIONS_PER_ADDRESS_HOUR: u64 = 10;

async fn session_of<C: ConnectionTrait>(
    c: &C,
    e: &event::Model,
    session_id: Option<i64>,
) -> Result<Option<i64>, AppError> {
    match session_id {
        Some(id) => match repo::forum::find_session(c, id).await? {
            Some(s) if s.event_id == e.id => Ok(Some(s.id)),
            _ => Err(field("session_id", Problem::InvalidChoice)),
        },
        None => Ok(None),
    }
}

pub struct NewQuestion {
    pub session_id: Option<i64>,
    pub body: String,
    pub asker_name: String,
    pub show_name: bool,
    pub rules_ack: bool,
}

/// A registrant's question, from their link.
pub async fn ask_by_link(state: &AppState, token: &str, q: NewQuestion) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let (r, e) = by_token(&*tx, state, token).await?;
    if !r.status.active() || e.ends_at <= Utc::now() {
        return Err(AppError::StageClosed);
    }
    check_question(&q.body, "", q.rules_ack).map_err(AppError::Validation)?;
    let session = session_of(&*tx, &e, q.session_id).await?;
    let now = Utc::now();
    if repo::forum::count_questions_by(&*tx, e.id, Some(r.id), now - Duration::days(1)).await?
        >= QUESTIONS_PER_REGISTRANT
    {
        return Err(field("body", Problem::DailyLimit { max: QUESTIONS_PER_REGISTRANT as usize }));
    }
    insert_question(&*tx, &e, session, Some(r.id), r.user_id, &r.name, q.show_name, &q.body, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A question from the event page, when organisers opened it to everyone.
pub async fn ask(state: &AppState, who: Option<&Viewer>, slug: &str, q: NewQuestion, ip: &str) -> Result<(), AppError> {
    let first = repo::forum::find_event_by_slug(state.db.conn(), slug).await?.ok_or(AppError::NotFound)?;
    policy::event_of(who, Op::AskQuestion, first)?;
    // One address cannot use up the page's hourly allowance and silence everyone else.
    crate::server::service::accounts::admit_from_ip(&state.db, "event-question", ip, QUESTIONS_PER_ADDRESS_HOUR)
        .await?;
    let tx = state.db.begin().await?;
    let e = repo::forum::find_event_by_slug(&*tx, slug).await?.ok_or(AppError::NotFound)?;
    let e = policy::event_of(who, Op::AskQuestion, e)?;
    if e.ends_at <= Utc::now() {
        return Err(AppError::StageClosed);
    }
    let name = match who {
        Some(v) => v.display_name.clone(),
        None => q.asker_name.trim().to_string(),
    };
    check_question(&q.body, &name, q.rules_ack).map_err(AppError::Validation)?;
    let session = session_of(&*tx, &e, q.session_id).await?;
    let now = Utc::now();
    if repo::forum::count_questions_by(&*tx, e.id, None, now - Duration::hours(1)).await? >= PUBLIC_QUESTIONS_PER_HOUR {
        return Err(AppError::TooManyAttempts { minutes: 60 });
    }
    insert_question(&*tx, &e, session, None, who.map(|v| v.id.0), &name, q.show_name && !name.is_empty(), &q.body, now)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[expect(clippy::too_many_arguments, reason = "one argument per column keeps the insert explicit")]
async fn insert_question<C: ConnectionTrait>(
    c: &C,
    e: &event::Model,
    session_id: Option<i64>,
    registration_id: Option<i64>,
    user_id: Option<i64>,
    name: &str,
    show_name: bool,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    repo::forum::insert_question(
        c,
        event_question::ActiveModel {
            event_id: Set(e.id),
            session_id: Set(session_id),
            registration_id: Set(registration_id),
            user_id: Set(user_id),
            asker_name: Set(name.chars().take(forum::NAME_MAX).collect()),
            show_name: Set(show_name),
            body: Set(body.trim().to_string()),
            status: Set(QuestionStatus::Pending),
            created_at: Set(now),
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

// Organisers ------------------------------------------------------------------------------------

fn counts(rows: &[event_registration::Model]) -> RegistrationCounts {
    let mut c = RegistrationCounts::default();
    for r in rows {
        match r.status {
            RegStatus::Venue => c.venue += 1,
            RegStatus::Online => c.online += 1,
            RegStatus::Waiting => c.waiting += 1,
            RegStatus::Cancelled => c.cancelled += 1,
        }
        if r.checked_in_at.is_some() && r.status.active() {
            c.checked_in += 1;
        }
    }
    c
}

pub async fn list_for_organisers(state: &AppState, who: Option<&Viewer>) -> Result<Vec<OrganiserEventRow>, AppError> {
    policy::platform(who, Op::Organise)?;
    let c = state.db.conn();
    let mut out = vec![];
    for e in repo::forum::list_all(c).await? {
        let regs = repo::forum::list_registrations(c, e.id).await?;
        out.push(OrganiserEventRow {
            id: e.id,
            slug: e.slug.clone(),
            title: Both::new(&e.title_ja, &e.title_en),
            starts_at: e.starts_at,
            published: e.published,
            counts: counts(&regs),
        });
    }
    Ok(out)
}

fn opt_time(c: &mut Checker, field: &str, value: &str) -> Option<DateTime<Utc>> {
    if value.trim().is_empty() {
        return None;
    }
    let t = parse_tokyo(value);
    c.check(field, t.is_some(), Problem::InvalidDate);
    t
}

struct Checked {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    reception_at: Option<DateTime<Utc>>,
    online_only_from: Option<DateTime<Utc>>,
    opens_at: Option<DateTime<Utc>>,
    closes_at: Option<DateTime<Utc>>,
    capacity: i32,
    retention_days: i32,
}

fn check_event(i: &EventInput) -> Result<Checked, AppError> {
    let mut c = Checker::new();
    c.required("title_ja", &i.title_ja).max_chars("title_ja", &i.title_ja, 200).max_chars("title_en", &i.title_en, 200);
    c.max_chars("subtitle_ja", &i.subtitle_ja, 300).max_chars("subtitle_en", &i.subtitle_en, 300);
    c.required("starts_at", &i.starts_at).required("ends_at", &i.ends_at);
    let starts = opt_time(&mut c, "starts_at", &i.starts_at);
    let ends = opt_time(&mut c, "ends_at", &i.ends_at);
    if let (Some(s), Some(e)) = (starts, ends) {
        c.check("ends_at", e > s, Problem::EndBeforeStart);
    }
    let reception_at = opt_time(&mut c, "reception_at", &i.reception_at);
    let online_only_from = opt_time(&mut c, "online_only_from", &i.online_only_from);
    let opens_at = opt_time(&mut c, "registration_opens_at", &i.registration_opens_at);
    let closes_at = opt_time(&mut c, "registration_closes_at", &i.registration_closes_at);
    for (f, v, max) in [
        ("venue_name", &i.venue_name, 200),
        ("room", &i.room, 100),
        ("address", &i.address, 300),
        ("audience_ja", &i.audience_ja, 300),
        ("audience_en", &i.audience_en, 300),
        ("fee_ja", &i.fee_ja, 100),
        ("fee_en", &i.fee_en, 100),
        ("contact_name", &i.contact_name, 200),
        ("contact_phone", &i.contact_phone, 40),
        ("organisers", &i.organisers, 1000),
        ("co_organisers", &i.co_organisers, 1000),
        ("description_md", &i.description_md, 20_000),
    ] {
        c.max_chars(f, v, max);
    }
    if !i.map_url.trim().is_empty() {
        c.check("map_url", is_web_url(&i.map_url), Problem::InvalidUrl);
    }
    if !i.online_link.trim().is_empty() {
        c.check("online_link", is_web_url(&i.online_link), Problem::InvalidUrl);
    }
    if !i.contact_email.trim().is_empty() {
        c.check("contact_email", is_plausible_email(&i.contact_email), Problem::InvalidEmail);
    }
    let capacity = if i.capacity.trim().is_empty() { Some(0) } else { i.capacity.trim().parse::<i32>().ok() };
    c.check(
        "capacity",
        capacity.is_some_and(|n| (0..=100_000).contains(&n)),
        Problem::OutOfRange { min: 0, max: 100_000 },
    );
    let retention =
        if i.retention_days.trim().is_empty() { Some(90) } else { i.retention_days.trim().parse::<i32>().ok() };
    c.check(
        "retention_days",
        retention.is_some_and(|n| (0..=3650).contains(&n)),
        Problem::OutOfRange { min: 0, max: 3650 },
    );
    let errors = c.errors().to_vec();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Checked {
        starts_at: starts.ok_or(AppError::BadRequest)?,
        ends_at: ends.ok_or(AppError::BadRequest)?,
        reception_at,
        online_only_from,
        opens_at,
        closes_at,
        capacity: capacity.unwrap_or(0),
        retention_days: retention.unwrap_or(90),
    })
}

fn apply_input(m: &mut event::ActiveModel, i: &EventInput, k: &Checked, now: DateTime<Utc>) {
    m.title_ja = Set(i.title_ja.trim().into());
    m.title_en = Set(i.title_en.trim().into());
    m.subtitle_ja = Set(i.subtitle_ja.trim().into());
    m.subtitle_en = Set(i.subtitle_en.trim().into());
    m.starts_at = Set(k.starts_at);
    m.ends_at = Set(k.ends_at);
    m.reception_at = Set(k.reception_at);
    m.venue_name = Set(i.venue_name.trim().into());
    m.room = Set(i.room.trim().into());
    m.address = Set(i.address.trim().into());
    m.map_url = Set(i.map_url.trim().into());
    m.audience_ja = Set(i.audience_ja.trim().into());
    m.audience_en = Set(i.audience_en.trim().into());
    m.fee_ja = Set(i.fee_ja.trim().into());
    m.fee_en = Set(i.fee_en.trim().into());
    m.contact_name = Set(i.contact_name.trim().into());
    m.contact_phone = Set(i.contact_phone.trim().into());
    m.contact_email = Set(i.contact_email.trim().into());
    m.organisers = Set(i.organisers.trim().into());
    m.co_organisers = Set(i.co_organisers.trim().into());
    m.description_md = Set(i.description_md.clone());
    m.capacity = Set(k.capacity);
    m.waiting_list = Set(i.waiting_list);
    m.online = Set(i.online);
    m.online_only_from = Set(k.online_only_from);
    m.registration_opens_at = Set(k.opens_at);
    m.registration_closes_at = Set(k.closes_at);
    m.questions_public = Set(i.questions_public);
    m.online_link = Set(i.online_link.trim().into());
    m.retention_days = Set(k.retention_days);
    m.published = Set(i.published);
    m.updated_at = Set(now);
}

fn slug_ok(s: &str) -> bool {
    (3..=80).contains(&s.len())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !matches!(s, "registered" | "cancel")
}

/// Creates an event in an edition (a draft until published), with the region's municipality
/// list and the forum's affiliation list as its own editable data.
pub async fn create(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: i64,
    slug: &str,
    input: &EventInput,
) -> Result<i64, AppError> {
    let tx = state.db.begin().await?;
    let (edition, viewer) = policy::edition_by(&*tx, who, Op::ManageEdition, edition_id).await?;
    let checked = check_event(input)?;
    if !slug_ok(slug) {
        return Err(field("slug", Problem::InvalidChoice));
    }
    if repo::forum::find_event_by_slug(&*tx, slug).await?.is_some() {
        return Err(field("slug", Problem::AlreadyRegistered));
    }
    let now = Utc::now();
    let mut m = event::ActiveModel {
        edition_id: Set(edition.id),
        slug: Set(slug.into()),
        venue_taken: Set(0),
        venue_full_at: Set(None),
        municipalities_json: Set(serde_json::to_string(&forum::municipalities("saitama")).unwrap_or_default()),
        affiliations_json: Set(serde_json::to_string(&default_affiliations()).unwrap_or_default()),
        online_link_sent_at: Set(None),
        reminders_sent_at: Set(None),
        purged_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    apply_input(&mut m, input, &checked, now);
    let e = repo::forum::insert_event(&*tx, m).await?;
    audit(&*tx, viewer, "event.created", &e, serde_json::json!({"slug": e.slug})).await?;
    repo::archive::bump_forum_version(&*tx).await?;
    tx.commit().await?;
    Ok(e.id)
}

async fn audit<C: ConnectionTrait>(
    c: &C,
    v: &Viewer,
    action: &str,
    e: &event::Model,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let mut detail = detail;
    detail["event_id"] = e.id.into();
    repo::audit::record(
        c,
        Actor { user_id: Some(v.id.0), label: &v.display_name },
        action,
        Some(e.edition_id),
        None,
        detail,
    )
    .await?;
    Ok(())
}

fn input_of(e: &event::Model) -> EventInput {
    let t = |d: Option<DateTime<Utc>>| d.map(to_tokyo_input).unwrap_or_default();
    EventInput {
        title_ja: e.title_ja.clone(),
        title_en: e.title_en.clone(),
        subtitle_ja: e.subtitle_ja.clone(),
        subtitle_en: e.subtitle_en.clone(),
        starts_at: to_tokyo_input(e.starts_at),
        ends_at: to_tokyo_input(e.ends_at),
        reception_at: t(e.reception_at),
        venue_name: e.venue_name.clone(),
        room: e.room.clone(),
        address: e.address.clone(),
        map_url: e.map_url.clone(),
        audience_ja: e.audience_ja.clone(),
        audience_en: e.audience_en.clone(),
        fee_ja: e.fee_ja.clone(),
        fee_en: e.fee_en.clone(),
        contact_name: e.contact_name.clone(),
        contact_phone: e.contact_phone.clone(),
        contact_email: e.contact_email.clone(),
        organisers: e.organisers.clone(),
        co_organisers: e.co_organisers.clone(),
        description_md: e.description_md.clone(),
        capacity: e.capacity.to_string(),
        waiting_list: e.waiting_list,
        online: e.online,
        online_only_from: t(e.online_only_from),
        registration_opens_at: t(e.registration_opens_at),
        registration_closes_at: t(e.registration_closes_at),
        questions_public: e.questions_public,
        online_link: e.online_link.clone(),
        retention_days: e.retention_days.to_string(),
        published: e.published,
    }
}

pub async fn admin_view(state: &AppState, who: Option<&Viewer>, id: i64) -> Result<EventAdminView, AppError> {
    let c = state.db.conn();
    let e = policy::event(c, who, Op::ManageEvent, id).await?;
    let regs = repo::forum::list_registrations(c, e.id).await?;
    let pending = repo::forum::due_online_link(c, e.id).await?.len() as u32;
    Ok(EventAdminView {
        id: e.id,
        edition_id: e.edition_id,
        slug: e.slug.clone(),
        published: e.published,
        input: input_of(&e),
        counts: counts(&regs),
        online_link_sent_at: e.online_link_sent_at,
        online_link_pending: pending,
        sessions: programme(c, e.id).await?,
        purged_at: e.purged_at,
    })
}

/// Saves an event's settings. A raised venue limit gives its new seats to the waiting list.
pub async fn update(state: &AppState, who: Option<&Viewer>, id: i64, input: &EventInput) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let e = policy::event(&*tx, who, Op::ManageEvent, id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let checked = check_event(input)?;
    if checked.capacity < e.venue_taken {
        return Err(field("capacity", Problem::OutOfRange { min: e.venue_taken as i64, max: 100_000 }));
    }
    let now = Utc::now();
    let mut m: event::ActiveModel = e.clone().into();
    apply_input(&mut m, input, &checked, now);
    if checked.capacity > e.venue_taken {
        m.venue_full_at = Set(None);
    }
    let updated = repo::forum::update_event(&*tx, m).await?;
    // Record pages list the published events they were presented at (by record or by the
    // nomination it came from), and anonymous record pages are kept per archive version.
    let shown_on_records = updated.published != e.published
        || updated.published
            && (updated.slug != e.slug || updated.title_ja != e.title_ja || updated.starts_at != e.starts_at);
    if shown_on_records
        && repo::forum::list_sessions(&*tx, e.id)
            .await?
            .iter()
            .any(|s| s.practice_id.is_some() || s.nomination_id.is_some())
    {
        repo::archive::bump_version(&*tx).await?;
    }
    if updated.capacity > e.capacity {
        fill_freed_seats(&*tx, &updated).await?;
    }
    audit(
        &*tx,
        viewer,
        "event.updated",
        &updated,
        serde_json::json!({"capacity": updated.capacity, "published": updated.published}),
    )
    .await?;
    repo::archive::bump_forum_version(&*tx).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// What a session presents, from the organiser's field: a public record (its address or slug),
/// or a nomination of the same edition (`/nominations/<id>` or `#<id>`), which is then shown
/// publicly only once it has a public record the public may see.
async fn presented_ref<C: ConnectionTrait>(
    c: &C,
    e: &event::Model,
    value: &str,
) -> Result<(Option<i64>, Option<i64>), AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok((None, None));
    }
    let bad = || field("practice", Problem::InvalidChoice);
    let nomination =
        v.rsplit("/nominations/").next().filter(|_| v.contains("/nominations/")).or_else(|| v.strip_prefix('#'));
    if let Some(n) = nomination {
        let id: i64 = n.trim_end_matches('/').parse().map_err(|_| bad())?;
        return match repo::nominations::find(c, id).await? {
            Some(n) if n.edition_id == e.edition_id => Ok((None, Some(n.id))),
            _ => Err(bad()),
        };
    }
    let slug = v.rsplit("/practices/").next().unwrap_or(v).trim_end_matches('/');
    let id = crate::domain::archive::id_from_slug(slug).ok_or_else(bad)?;
    match repo::archive::find(c, id).await? {
        Some(p) => Ok((Some(p.id), None)),
        None => Err(bad()),
    }
}

pub async fn add_session(
    state: &AppState,
    who: Option<&Viewer>,
    event_id: i64,
    i: &SessionInput,
) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let e = policy::event(&*tx, who, Op::ManageEvent, event_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let mut c = Checker::new();
    let kind = SessionKind::parse(&i.kind);
    c.check("kind", kind.is_some(), Problem::InvalidChoice);
    c.required("title_ja", &i.title_ja).max_chars("title_ja", &i.title_ja, 300);
    c.max_chars("title_en", &i.title_en, 300).max_chars("subtitle_ja", &i.subtitle_ja, 300);
    c.max_chars("theme_ja", &i.theme_ja, 200).max_chars("speakers", &i.speakers, 4000);
    let starts = opt_time(&mut c, "starts_at", &i.starts_at);
    let ends = opt_time(&mut c, "ends_at", &i.ends_at);
    if let (Some(s), Some(x)) = (starts, ends) {
        c.check("ends_at", x > s, Problem::EndBeforeStart);
    }
    c.finish().map_err(AppError::Validation)?;
    let (practice_id, nomination_id) = presented_ref(&*tx, &e, &i.practice).await?;
    let position = repo::forum::list_sessions(&*tx, e.id).await?.iter().map(|s| s.position).max().unwrap_or(0) + 1;
    let s = repo::forum::insert_session(
        &*tx,
        crate::server::entities::event_session::ActiveModel {
            event_id: Set(e.id),
            position: Set(position),
            kind: Set(kind.unwrap_or(SessionKind::Talk)),
            starts_at: Set(starts),
            ends_at: Set(ends),
            title_ja: Set(i.title_ja.trim().into()),
            title_en: Set(i.title_en.trim().into()),
            subtitle_ja: Set(i.subtitle_ja.trim().into()),
            subtitle_en: Set(String::new()),
            theme_ja: Set(i.theme_ja.trim().into()),
            theme_en: Set(String::new()),
            practice_id: Set(practice_id),
            nomination_id: Set(nomination_id),
            ..Default::default()
        },
    )
    .await?;
    for (n, line) in i.speakers.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let parts: Vec<&str> = line.split(['/', '／']).map(str::trim).collect();
        let name: String = parts[0].chars().take(100).collect();
        let aff: String = parts.get(1).copied().unwrap_or("").chars().take(200).collect();
        let title: String = parts.get(2).copied().unwrap_or("").chars().take(200).collect();
        repo::forum::insert_speaker(&*tx, s.id, n as i32 + 1, &name, &aff, &title, None).await?;
    }
    if practice_id.is_some() || nomination_id.is_some() {
        // The record's page says where it was presented: its cached copies must go.
        repo::archive::bump_version(&*tx).await?;
    }
    audit(&*tx, viewer, "event.session_added", &e, serde_json::json!({"session_id": s.id})).await?;
    repo::archive::bump_forum_version(&*tx).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_session(
    state: &AppState,
    who: Option<&Viewer>,
    event_id: i64,
    session_id: i64,
) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let e = policy::event(&*tx, who, Op::ManageEvent, event_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    if !repo::forum::delete_session(&*tx, e.id, session_id).await? {
        return Err(AppError::NotFound);
    }
    repo::archive::bump_version(&*tx).await?;
    audit(&*tx, viewer, "event.session_removed", &e, serde_json::json!({"session_id": session_id})).await?;
    repo::archive::bump_forum_version(&*tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Sends the online viewing link to every online (and waiting) registrant who has not had it:
/// pressing twice sends nobody anything twice; people registering later get it with their
/// confirmation. Returns how many were sent now.
pub async fn send_online_link(state: &AppState, who: Option<&Viewer>, event_id: i64) -> Result<u32, AppError> {
    let tx = state.db.begin().await?;
    let e = policy::event(&*tx, who, Op::ManageEvent, event_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    if e.online_link.trim().is_empty() || !e.online {
        return Err(field("online_link", Problem::Required));
    }
    let now = Utc::now();
    let mut sent = 0;
    for r in repo::forum::due_online_link(&*tx, e.id).await? {
        if !repo::forum::mark_online_link_sent(&*tx, r.id, now).await? {
            continue;
        }
        let locale = locale_of(&r);
        let title = event_title(&e, locale);
        let (subject, body) = if locale == Locale::Ja {
            (format!("【オンライン視聴のご案内】{title}"), format!("「{title}」のオンライン視聴のリンクをお送りします。\n日時: {}\n\n視聴リンク: {}\n\nリンクはお申し込みの方のみにお送りしています。ほかの方への転送はお控えください。", when(&e, true), e.online_link))
        } else {
            (format!("Online viewing link: {title}"), format!("Here is the online viewing link for \"{title}\".\nWhen (Japan time): {}\n\nViewing link: {}\n\nThis link is for registered participants; please do not pass it on.", when(&e, false), e.online_link))
        };
        mail::queue(&*tx, &r.email, mail::notice("event_online_link", locale, &r.name, subject, &body, None)).await?;
        sent += 1;
    }
    let mut m: event::ActiveModel = e.clone().into();
    if e.online_link_sent_at.is_none() {
        m.online_link_sent_at = Set(Some(now));
        repo::forum::update_event(&*tx, m).await?;
    }
    audit(&*tx, viewer, "event.online_link_sent", &e, serde_json::json!({"sent": sent})).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(sent)
}

/// A notice from the organisers to every registrant who has not cancelled.
pub async fn send_notice(
    state: &AppState,
    who: Option<&Viewer>,
    event_id: i64,
    subject: &str,
    body: &str,
) -> Result<u32, AppError> {
    let mut c = Checker::new();
    c.required("subject", subject).max_chars("subject", subject, 120);
    c.required("body", body).max_chars("body", body, 4000);
    c.finish().map_err(AppError::Validation)?;
    let tx = state.db.begin().await?;
    let e = policy::event(&*tx, who, Op::ManageEvent, event_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let mut sent = 0;
    for r in repo::forum::list_registrations(&*tx, e.id).await? {
        if !r.status.active() || r.purged_at.is_some() {
            continue;
        }
        let locale = locale_of(&r);
        let subject = format!("【{}】{}", event_title(&e, locale), subject.trim());
        mail::queue(&*tx, &r.email, mail::notice("event_notice", locale, &r.name, subject, body.trim(), None)).await?;
        sent += 1;
    }
    audit(&*tx, viewer, "event.notice_sent", &e, serde_json::json!({"sent": sent})).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(sent)
}

fn affiliation_label(e: &event::Model, key: &str) -> String {
    affiliations_of(e).into_iter().find(|a| a.key == key).map(|a| a.ja).unwrap_or_else(|| key.to_string())
}

fn place_label(r: &event_registration::Model) -> String {
    if r.municipality == forum::OTHER_PLACE {
        format!("県外: {}", r.municipality_other)
    } else {
        r.municipality.clone()
    }
}

pub async fn registrations(
    state: &AppState,
    who: Option<&Viewer>,
    event_id: i64,
) -> Result<RegistrationList, AppError> {
    let c = state.db.conn();
    let e = policy::event(c, who, Op::ReadRegistrations, event_id).await?;
    let regs = repo::forum::list_registrations(c, e.id).await?;
    Ok(RegistrationList {
        event_id: e.id,
        title: Both::new(&e.title_ja, &e.title_en),
        starts_at: e.starts_at,
        counts: counts(&regs),
        rows: regs
            .iter()
            .map(|r| RegistrationRow {
                id: r.id,
                status: r.status,
                name: r.name.clone(),
                furigana: r.furigana.clone(),
                phone: r.phone.clone(),
                email: if r.purged_at.is_some() { String::new() } else { r.email.clone() },
                municipality: if r.purged_at.is_some() { String::new() } else { place_label(r) },
                affiliation: if r.affiliation.is_empty() {
                    String::new()
                } else {
                    affiliation_label(&e, &r.affiliation)
                },
                needs: r.needs.clone(),
                checked_in: r.checked_in_at.is_some(),
                created_at: r.created_at,
            })
            .collect(),
        purged: e.purged_at.is_some(),
    })
}

pub async fn check_in(
    state: &AppState,
    who: Option<&Viewer>,
    event_id: i64,
    registration_id: i64,
    present: bool,
) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let e = policy::event(&*tx, who, Op::ReadRegistrations, event_id).await?;
    let at = present.then(Utc::now);
    if !repo::forum::set_checked_in(&*tx, e.id, registration_id, at).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

pub async fn registrations_csv(state: &AppState, who: Option<&Viewer>, event_id: i64) -> Result<Vec<u8>, AppError> {
    let list = registrations(state, who, event_id).await?;
    let mut sheet = crate::server::export::CsvSheet::new();
    sheet.write_record([
        "ID",
        "状態",
        "氏名",
        "ふりがな",
        "電話",
        "メール",
        "居住地",
        "所属",
        "配慮の希望",
        "受付済",
        "申込日時",
    ])?;
    for r in &list.rows {
        let status = crate::i18n::reg_status_label(r.status, Locale::Ja);
        sheet.write_record([
            r.id.to_string().as_str(),
            status,
            &r.name,
            &r.furigana,
            &r.phone,
            &r.email,
            &r.municipality,
            &r.affiliation,
            &r.needs,
            if r.checked_in { "✓" } else { "" },
            &format_tokyo(r.created_at),
        ])?;
    }
    sheet.finish()
}

pub async fn question_board(state: &AppState, who: Option<&Viewer>, event_id: i64) -> Result<QuestionBoard, AppError> {
    let c = state.db.conn();
    let e = policy::event(c, who, Op::ManageEvent, event_id).await?;
    let sessions: Vec<(i64, Both)> = repo::forum::list_sessions(c, e.id)
        .await?
        .into_iter()
        .filter(|s| s.kind != SessionKind::Break)
        .map(|s| (s.id, Both::new(&s.title_ja, &s.title_en)))
        .collect();
    let questions = repo::forum::list_questions(c, e.id, None)
        .await?
        .into_iter()
        .map(|q| QuestionRow {
            id: q.id,
            session_id: q.session_id,
            session_title: q
                .session_id
                .and_then(|sid| sessions.iter().find(|(id, _)| *id == sid).map(|(_, t)| t.clone())),
            body: q.body.clone(),
            shown_name: (q.show_name && !q.asker_name.is_empty()).then(|| q.asker_name.clone()),
            status: q.status,
            merged_into: q.merged_into,
            created_at: q.created_at,
        })
        .collect();
    Ok(QuestionBoard { event_id: e.id, title: Both::new(&e.title_ja, &e.title_en), sessions, questions })
}

/// Accept, hide, merge into another question of the same event, or put back to pending.
pub async fn moderate(
    state: &AppState,
    who: Option<&Viewer>,
    event_id: i64,
    question_id: i64,
    decision: &str,
    merged_into: Option<i64>,
) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let e = policy::event(&*tx, who, Op::ManageEvent, event_id).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let q = repo::forum::find_question(&*tx, question_id)
        .await?
        .filter(|q| q.event_id == e.id)
        .ok_or(AppError::NotFound)?;
    let status = QuestionStatus::parse(decision).ok_or_else(|| field("decision", Problem::InvalidChoice))?;
    let into = if status == QuestionStatus::Merged {
        let target = merged_into.ok_or_else(|| field("merged_into", Problem::Required))?;
        let t = repo::forum::find_question(&*tx, target)
            .await?
            .filter(|t| t.event_id == e.id && t.id != q.id && t.status != QuestionStatus::Merged)
            .ok_or_else(|| field("merged_into", Problem::InvalidChoice))?;
        Some(t.id)
    } else {
        None
    };
    repo::forum::decide_question(&*tx, q.id, status, into, viewer.id.0, Utc::now()).await?;
    tx.commit().await?;
    Ok(())
}

// Scheduled work --------------------------------------------------------------------------------

/// The day before an event, every registrant who has not cancelled gets a reminder, once.
pub async fn send_reminders(state: &AppState) -> Result<u32, AppError> {
    let now = Utc::now();
    let mut sent = 0;
    for e in repo::forum::events_due_reminder(state.db.conn(), now, now + Duration::hours(24)).await? {
        let tx = state.db.begin().await?;
        for r in repo::forum::list_registrations(&*tx, e.id).await? {
            if !r.status.active() || r.purged_at.is_some() || !repo::forum::mark_reminded(&*tx, r.id, now).await? {
                continue;
            }
            let locale = locale_of(&r);
            let title = event_title(&e, locale);
            let how = match (r.status, locale) {
                (RegStatus::Venue, Locale::Ja) => format!("会場: {}", place_line(&e)),
                (RegStatus::Venue, Locale::En) => format!("Where: {}", place_line(&e)),
                (_, Locale::Ja) => "オンラインでのご参加です。視聴リンクは別のメールでお送りします(お送り済みの場合はそちらをご覧ください)。".into(),
                (_, Locale::En) => "You take part online; the viewing link comes (or came) in a separate mail.".into(),
            };
            let (subject, body) = if locale == Locale::Ja {
                (format!("【明日開催】{title}"), format!("「{title}」は明日の開催です。\n日時: {}\n{how}\n\n体調を第一に、無理のない範囲でご参加ください。", when(&e, true)))
            } else {
                (format!("Tomorrow: {title}"), format!("\"{title}\" is tomorrow.\nWhen (Japan time): {}\n{how}\n\nPlease look after your health first and join as you can.", when(&e, false)))
            };
            mail::queue(&*tx, &r.email, mail::notice("event_reminder", locale, &r.name, subject, &body, None)).await?;
            sent += 1;
        }
        repo::forum::mark_event_reminded(&*tx, e.id, now).await?;
        tx.commit().await?;
    }
    if sent > 0 {
        state.mail_wake.notify_one();
    }
    Ok(sent)
}

/// Registrants' personal data is erased once an event's retention has passed (default 90
/// days after it); the counts stay. Recorded in the audit log without any personal data.
pub async fn purge_expired(state: &AppState) -> Result<u64, AppError> {
    let now = Utc::now();
    let mut total = 0;
    for e in repo::forum::events_due_purge(state.db.conn(), now).await? {
        let tx = state.db.begin().await?;
        let n = repo::forum::purge_registrations(&*tx, e.id, now).await?;
        repo::audit::record(
            &*tx,
            Actor { user_id: None, label: "scheduler" },
            "event.registrations_purged",
            Some(e.edition_id),
            None,
            serde_json::json!({"event_id": e.id, "registrations": n, "retention_days": e.retention_days}),
        )
        .await?;
        tx.commit().await?;
        total += n;
    }
    Ok(total)
}
