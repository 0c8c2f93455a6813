//! Nominations: start a draft, save (autosave) with a version check, submit within the window,
//! withdraw at any time, and the views nominators and organisers read. One transaction per save.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ActiveValue::Unchanged, ConnectionTrait};
use serde::{Deserialize, Serialize};

use crate::domain::account::normalize_email;
use crate::domain::consent::{transition, ConsentActor, ConsentEvent, ConsentScope, ConsentState, ConsentStatus};
use crate::domain::edition::{nominations_open, StageKind};
use crate::domain::ids::{AttachmentId, EditionId, NominationId};
use crate::domain::nomination::{
    nominator_status, validate_draft, validate_submission, NominationInput, NominationStatus, Screening, SECTIONS,
};
use crate::domain::permissions::{allowed, Action, EditionRole};
use crate::domain::policy::Op;
use crate::domain::validation::{FieldError, Problem};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::server::entities::{edition, nomination, user};
use crate::server::{mail, policy, repo, repo::audit::Actor, sanitize, service::consent, service::editions, AppState};
use crate::wire::Viewer;
use crate::wire::{AttachmentView, ConsentEventView, ConsentView, NominationDetail, NominationSummary, SaveResult};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct StoredSection {
    pub source: String,
    pub html: String,
}

pub fn sections_of(n: &nomination::Model) -> BTreeMap<String, StoredSection> {
    serde_json::from_str(&n.sections_json).unwrap_or_default()
}

/// The nominator's own text, as the edit form shows it again.
pub fn input_of(n: &nomination::Model) -> NominationInput {
    let sections = sections_of(n);
    let src = |k: &str| sections.get(k).map(|s| s.source.clone()).unwrap_or_default();
    NominationInput {
        title: n.title.clone(),
        nominee_type: n.nominee_type.clone(),
        nominee_name: n.nominee_name.clone(),
        nominee_kana: n.nominee_kana.clone(),
        region: n.region.clone(),
        industry: n.industry.clone(),
        org_size: n.org_size.clone(),
        summary: n.summary.clone(),
        background: src("background"),
        practice: src("practice"),
        involved: src("involved"),
        accommodation: src("accommodation"),
        challenges: src("challenges"),
        outcomes: src("outcomes"),
        lessons: src("lessons"),
        links: n.links.clone(),
        relationship: n.relationship.clone(),
        featured_email: n.featured_email.clone(),
        self_consent_scope: String::new(),
        self_consent_photos: None,
        answers: serde_json::from_str(&n.answers_json).unwrap_or_default(),
    }
}

pub fn sections_html(n: &nomination::Model) -> Vec<(String, String)> {
    let sections = sections_of(n);
    SECTIONS
        .iter()
        .filter_map(|(k, _)| sections.get(*k).filter(|s| !s.html.is_empty()).map(|s| (k.to_string(), s.html.clone())))
        .collect()
}

pub fn status_of(n: &nomination::Model) -> NominationStatus {
    n.status
}

struct Window {
    closes: Option<DateTime<Utc>>,
    open: bool,
    stage: StageKind,
    past: bool,
}

async fn window<C: ConnectionTrait>(c: &C, e: &edition::Model, now: DateTime<Utc>) -> Result<Window, AppError> {
    let (opens, closes) = repo::editions::nomination_window(c, e.id).await?;
    let (stage, _) = crate::server::service::stages::current(e);
    let stage_allows = allowed(EditionRole::Nominator, Action::EditNomination, stage);
    Ok(Window {
        closes,
        open: !e.is_past && stage_allows && nominations_open(now, opens, closes),
        stage,
        past: e.is_past,
    })
}

/// May the nominator change it now? Until the deadline, or until the amendment date when
/// organisers asked for more information.
fn editable(n: &nomination::Model, w: &Window, now: DateTime<Utc>) -> bool {
    if status_of(n) == NominationStatus::Withdrawn {
        return false;
    }
    let amending = allowed(EditionRole::Nominator, Action::AmendNomination, w.stage)
        && n.screening == Screening::NeedsInfo
        && n.amend_until.is_some_and(|u| now < u);
    w.open || amending || extended(n, w, now)
}

/// An organiser granted this nomination more time (while nominations or screening last).
fn extended(n: &nomination::Model, w: &Window, now: DateTime<Utc>) -> bool {
    allowed(EditionRole::Nominator, Action::ExtendDeadline, w.stage)
        && !w.past
        && crate::domain::pace::extended(n.extended_until, now)
}

/// May a draft be submitted now: in the window, or within a granted extension.
fn submittable(n: &nomination::Model, w: &Window, now: DateTime<Utc>) -> bool {
    w.open || extended(n, w, now)
}

/// The deadline this nomination works to: the edition's, or its own extension when later.
pub fn deadline_of(n: &nomination::Model, closes: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (closes, n.extended_until) {
        (Some(c), Some(x)) => Some(c.max(x)),
        (c, x) => c.or(x),
    }
}

/// May the nominator change it now (window, amendment date, not withdrawn)?
pub async fn editable_now<C: ConnectionTrait>(
    c: &C,
    n: &nomination::Model,
    e: &edition::Model,
) -> Result<bool, AppError> {
    let now = Utc::now();
    Ok(editable(n, &window(c, e, now).await?, now))
}

async fn load_edition<C: ConnectionTrait>(c: &C, id: i64) -> Result<edition::Model, AppError> {
    repo::editions::find(c, id).await?.ok_or(AppError::NotFound)
}

pub async fn start(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: EditionId,
    category: &str,
) -> Result<NominationId, AppError> {
    let now = Utc::now();
    let tx = state.db.begin().await?;
    let e = policy::edition(&*tx, who, Op::StartNomination, edition_id.0).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    if !window(&*tx, &e, now).await?.open {
        return Err(AppError::StageClosed);
    }
    let cat = repo::editions::category_by_key(&*tx, e.id, category).await?.ok_or_else(|| {
        AppError::Validation(vec![crate::domain::validation::FieldError::new(
            "category",
            crate::domain::validation::Problem::InvalidChoice,
        )])
    })?;
    let n = repo::nominations::insert_draft(&*tx, e.id, cat.id, viewer.id.0, now).await?;
    repo::consents::insert_initial(&*tx, n.id, now).await?;
    tx.commit().await?;
    Ok(NominationId(n.id))
}

/// Saves the nominator's text (drafts need only fit; a submitted entry must stay complete).
pub async fn save(
    state: &AppState,
    who: Option<&Viewer>,
    id: NominationId,
    version: i32,
    input: NominationInput,
) -> Result<SaveResult, AppError> {
    let now = Utc::now();
    let tx = state.db.begin().await?;
    let access = policy::nomination(&*tx, who, Op::EditNomination, id.0).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let (n, e) = (access.nomination, access.edition);
    if status_of(&n) == NominationStatus::Withdrawn {
        return Err(AppError::InvalidTransition);
    }
    if !editable(&n, &window(&*tx, &e, now).await?, now) {
        return Err(AppError::DeadlinePassed);
    }
    if n.version != version {
        return Err(AppError::StaleEdit);
    }
    let cat = repo::editions::find_category(&*tx, n.category_id).await?.ok_or(AppError::NotFound)?;
    let questions = repo::editions::questions(&*tx, cat.id).await?;
    validate_draft(&input, &questions).map_err(AppError::Validation)?;
    check_featured_address(&input, viewer)?;
    if status_of(&n) == NominationStatus::Submitted {
        let key = cat.key;
        validate_submission(&input, key, &questions, true).map_err(AppError::Validation)?;
    }

    let sections: BTreeMap<String, StoredSection> = SECTIONS
        .iter()
        .map(|(k, _)| {
            let source = input.section(k).to_string();
            let html = sanitize::render_markdown(&source);
            (k.to_string(), StoredSection { source, html })
        })
        .collect();
    let known: Vec<String> = questions.iter().map(|q| q.id.to_string()).collect();
    let answers: BTreeMap<String, String> = input
        .answers
        .iter()
        .filter(|(k, v)| known.contains(k) && !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), v.trim().to_string()))
        .collect();
    let am = nomination::ActiveModel {
        id: Unchanged(n.id),
        title: Set(input.title.trim().to_string()),
        nominee_type: Set(input.nominee_type.clone()),
        nominee_name: Set(input.nominee_name.trim().to_string()),
        nominee_kana: Set(input.nominee_kana.trim().to_string()),
        region: Set(input.region.clone()),
        industry: Set(input.industry.clone()),
        org_size: Set(input.org_size.clone()),
        summary: Set(input.summary.trim().to_string()),
        sections_json: Set(serde_json::to_string(&sections).unwrap_or_else(|_| "{}".into())),
        links: Set(input.link_list().join("\n")),
        relationship: Set(input.relationship.clone()),
        answers_json: Set(serde_json::to_string(&answers).unwrap_or_else(|_| "{}".into())),
        featured_email: Set(input.featured_email.trim().to_string()),
        updated_at: Set(now),
        ..Default::default()
    };
    if !repo::nominations::update_if_version(&*tx, am, version).await? {
        return Err(AppError::StaleEdit);
    }
    sync_self_consent(&*tx, &n, &input, viewer).await?;
    tx.commit().await?;
    Ok(SaveResult { version: version + 1, saved_at: now })
}

/// The featured person must be someone else: consent cannot be manufactured by entering one's
/// own address and answering the link oneself.
fn check_featured_address(input: &NominationInput, viewer: &Viewer) -> Result<(), AppError> {
    let featured = normalize_email(&input.featured_email);
    if !input.is_self_nomination() && !featured.is_empty() && featured == normalize_email(&viewer.email) {
        return Err(AppError::Validation(vec![FieldError::new("featured_email", Problem::OwnAddress)]));
    }
    Ok(())
}

/// A self-nomination records the nominator's own consent on the form; turning a
/// self-nomination into a nomination of someone else clears that consent. Either way the change
/// goes through the one consent path, so the archive follows it.
async fn sync_self_consent<C: ConnectionTrait>(
    c: &C,
    n: &nomination::Model,
    input: &NominationInput,
    viewer: &Viewer,
) -> Result<(), AppError> {
    let Some(row) = repo::consents::find(c, n.id).await? else {
        return Ok(());
    };
    let current = repo::consents::to_state(&row);
    let actor = Some((viewer.id.0, viewer.display_name.as_str()));
    if input.is_self_nomination() {
        let Some(scope) = ConsentScope::parse(&input.self_consent_scope) else {
            return Ok(());
        };
        let photos = input.self_consent_photos.is_some();
        let next = transition(current, ConsentActor::Nominator, ConsentEvent::Give { scope, photos }, true)
            .map_err(|_| AppError::InvalidTransition)?;
        if next != current || !row.self_nomination {
            consent::store_change(c, n, current, next, true, ConsentActor::Nominator, actor).await?;
        }
    } else if row.self_nomination {
        consent::store_change(c, n, current, ConsentState::NOT_ASKED, false, ConsentActor::Nominator, actor).await?;
    }
    Ok(())
}

/// Submits what is saved. A second submit of a submitted nomination changes nothing.
pub async fn submit(
    state: &AppState,
    who: Option<&Viewer>,
    id: NominationId,
    acknowledged: bool,
    locale: Locale,
) -> Result<(), AppError> {
    let now = Utc::now();
    let tx = state.db.begin().await?;
    let access = policy::nomination(&*tx, who, Op::EditNomination, id.0).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let n = access.nomination;
    match status_of(&n) {
        NominationStatus::Submitted => return Ok(()),
        NominationStatus::Withdrawn => return Err(AppError::InvalidTransition),
        NominationStatus::Draft => {}
    }
    let e = access.edition;
    if !submittable(&n, &window(&*tx, &e, now).await?, now) {
        return Err(AppError::DeadlinePassed);
    }
    let cat = repo::editions::find_category(&*tx, n.category_id).await?.ok_or(AppError::NotFound)?;
    let questions = repo::editions::questions(&*tx, cat.id).await?;
    let mut input = input_of(&n);
    if input.is_self_nomination() {
        // The form records the self-nominator's consent; carry it into the check.
        if let Some(row) = repo::consents::find(&*tx, n.id).await? {
            if let Some(scope) = repo::consents::to_state(&row).scope.filter(|_| row.status == ConsentStatus::Given) {
                input.self_consent_scope = scope.key().to_string();
            }
        }
    }
    let key = cat.key;
    validate_submission(&input, key, &questions, acknowledged).map_err(AppError::Validation)?;
    check_featured_address(&input, viewer)?;
    let am = nomination::ActiveModel {
        id: Unchanged(n.id),
        status: Set(NominationStatus::Submitted),
        submitted_at: Set(Some(now)),
        dialogue_ack_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    };
    if !repo::nominations::update_if_version(&*tx, am, n.version).await? {
        return Err(AppError::StaleEdit);
    }
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "nomination.submitted",
        Some(n.edition_id),
        Some(n.id),
        serde_json::json!({"title": n.title}),
    )
    .await?;
    let link = state.config.link(&format!("/nominations/{}", n.id));
    let (subject, message) = match locale {
        Locale::Ja => (
            format!("推薦を受け付けました: {}", n.title),
            format!("「{}」の推薦を受け付けました。ありがとうございます。\n締切までは内容を修正できます。進み具合はマイページでご確認いただけます。", n.title),
        ),
        Locale::En => (
            format!("Nomination received: {}", n.title),
            format!("Thank you: we have received your nomination \"{}\".\nYou can still edit it until the deadline, and follow its progress on your page.", n.title),
        ),
    };
    mail::queue(
        &*tx,
        &viewer.email,
        mail::notice("nomination_submitted", locale, &viewer.display_name, subject, &message, Some(&link)),
    )
    .await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// Withdrawing is possible at any time, also after the deadline.
pub async fn withdraw(
    state: &AppState,
    who: Option<&Viewer>,
    id: NominationId,
    locale: Locale,
) -> Result<(), AppError> {
    let now = Utc::now();
    let tx = state.db.begin().await?;
    let access = policy::nomination(&*tx, who, Op::WithdrawNomination, id.0).await?;
    let viewer = who.ok_or(AppError::SignInRequired)?;
    let n = access.nomination;
    if status_of(&n) == NominationStatus::Withdrawn {
        return Ok(());
    }
    let am = nomination::ActiveModel {
        id: Unchanged(n.id),
        status: Set(NominationStatus::Withdrawn),
        withdrawn_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    };
    if !repo::nominations::update_if_version(&*tx, am, n.version).await? {
        return Err(AppError::StaleEdit);
    }
    repo::audit::record(
        &*tx,
        Actor { user_id: Some(viewer.id.0), label: &viewer.display_name },
        "nomination.withdrawn",
        Some(n.edition_id),
        Some(n.id),
        serde_json::json!({}),
    )
    .await?;
    if n.submitted_at.is_some() {
        let (subject, message) = match locale {
            Locale::Ja => (
                format!("推薦を取り下げました: {}", n.title),
                format!("「{}」の推薦の取り下げを受け付けました。", n.title),
            ),
            Locale::En => (
                format!("Nomination withdrawn: {}", n.title),
                format!("We have withdrawn your nomination \"{}\" as you asked.", n.title),
            ),
        };
        mail::queue(
            &*tx,
            &viewer.email,
            mail::notice("nomination_withdrawn", locale, &viewer.display_name, subject, &message, None),
        )
        .await?;
    }
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// The full view. Owners and organisers only; anyone else gets "not found".
pub async fn detail(state: &AppState, who: Option<&Viewer>, id: NominationId) -> Result<NominationDetail, AppError> {
    let c = state.db.conn();
    let access = policy::nomination(c, who, Op::ViewNomination, id.0).await?;
    let organiser = who.is_some_and(|v| v.role.can_organise());
    build_detail(c, &access.nomination, access.facts.owner, organiser, Utc::now()).await
}

pub async fn build_detail<C: ConnectionTrait>(
    c: &C,
    n: &nomination::Model,
    is_owner: bool,
    organiser: bool,
    now: DateTime<Utc>,
) -> Result<NominationDetail, AppError> {
    let e = load_edition(c, n.edition_id).await?;
    let edition = editions::summary(c, &e, now).await?;
    let cat = repo::editions::find_category(c, n.category_id).await?.ok_or(AppError::NotFound)?;
    let category = editions::category_view(c, &cat).await?;
    let w = window(c, &e, now).await?;
    let status = status_of(n);
    let screening = n.screening;
    let outcome = n.outcome;
    let consent_row = repo::consents::find(c, n.id).await?;
    let consent_state = consent_row.as_ref().map(repo::consents::to_state).unwrap_or(ConsentState::NOT_ASKED);
    let history = repo::consents::history(c, n.id)
        .await?
        .into_iter()
        .map(|h| ConsentEventView {
            to: ConsentStatus::parse(&h.to_status).unwrap_or(ConsentStatus::NotAsked),
            scope: h.scope.as_deref().and_then(ConsentScope::parse),
            actor: h.actor_kind,
            at: h.at,
        })
        .collect();
    let nominator: Option<user::Model> = repo::users::find(c, n.nominator_id).await?;
    let mut input = input_of(n);
    if let Some(row) = &consent_row {
        if row.self_nomination {
            input.self_consent_scope = consent_state.scope.map(|s| s.key().to_string()).unwrap_or_default();
            input.self_consent_photos = consent_state.photos.then(|| "on".to_string());
        }
    }
    let can_edit = is_owner && editable(n, &w, now);
    let self_nomination = input.is_self_nomination();
    Ok(NominationDetail {
        id: NominationId(n.id),
        shown_status: nominator_status(status, screening, outcome, edition.stage, edition.results_published),
        edition,
        category,
        status,
        version: n.version,
        sections_html: sections_html(n),
        attachments: repo::attachments::list(c, n.id)
            .await?
            .into_iter()
            .map(|a| AttachmentView {
                id: AttachmentId(a.id),
                file_name: a.file_name,
                content_type: a.content_type,
                size_bytes: a.size_bytes,
            })
            .collect(),
        consent: ConsentView {
            state: consent_state,
            self_nomination: consent_row.as_ref().map(|r| r.self_nomination).unwrap_or(false),
            recorded_at: consent_row.as_ref().and_then(|r| r.recorded_at),
            recorded_by: consent_row.as_ref().and_then(|r| r.recorded_by_kind.clone()),
            history,
        },
        nominator_name: nominator.as_ref().map(|u| u.display_name.clone()).unwrap_or_default(),
        nominator_email: if organiser { nominator.map(|u| u.email) } else { None },
        is_owner,
        can_edit,
        can_submit: is_owner && status == NominationStatus::Draft && submittable(n, &w, now),
        can_withdraw: is_owner && status != NominationStatus::Withdrawn,
        can_request_consent: (is_owner || organiser)
            && !self_nomination
            && status != NominationStatus::Withdrawn
            && matches!(consent_state.status, ConsentStatus::NotAsked | ConsentStatus::Requested)
            || organiser
                && matches!(consent_state.status, ConsentStatus::Declined | ConsentStatus::Withdrawn)
                && !self_nomination,
        deadline: deadline_of(n, w.closes),
        extended_until: n.extended_until,
        extension: crate::server::service::pace::latest_for(c, n, is_owner || organiser).await?,
        can_request_extension: is_owner
            && status != NominationStatus::Withdrawn
            && !e.is_past
            && allowed(EditionRole::Nominator, Action::ExtendDeadline, w.stage),
        can_decide_extension: organiser && allowed(EditionRole::Organiser, Action::ExtendDeadline, w.stage),
        submitted_at: n.submitted_at,
        updated_at: n.updated_at,
        dialogue_ack_at: n.dialogue_ack_at,
        screening,
        waiting_for_consent: status == NominationStatus::Submitted && !consent_state.allows_review(),
        screening_note: if screening == Screening::NeedsInfo || organiser {
            n.screening_note.clone()
        } else {
            String::new()
        },
        amend_until: n.amend_until,
        input,
    })
}

pub async fn summary_of<C: ConnectionTrait>(
    c: &C,
    n: &nomination::Model,
    now: DateTime<Utc>,
    cache: &mut SummaryCache,
) -> Result<NominationSummary, AppError> {
    use std::collections::hash_map::Entry;
    if let Entry::Vacant(slot) = cache.editions.entry(n.edition_id) {
        let e = load_edition(c, n.edition_id).await?;
        let s = editions::summary(c, &e, now).await?;
        let w = window(c, &e, now).await?;
        slot.insert((e, s, w.open, w.closes));
    }
    if let Entry::Vacant(slot) = cache.categories.entry(n.category_id) {
        slot.insert(repo::editions::find_category(c, n.category_id).await?.ok_or(AppError::NotFound)?);
    }
    if let Entry::Vacant(slot) = cache.users.entry(n.nominator_id) {
        slot.insert(repo::users::find(c, n.nominator_id).await?.map(|u| u.display_name).unwrap_or_default());
    }
    let (e, s, open, closes) = &cache.editions[&n.edition_id];
    let cat = &cache.categories[&n.category_id];
    let status = status_of(n);
    let screening = n.screening;
    let consent = repo::consents::find(c, n.id)
        .await?
        .map(|r| repo::consents::to_state(&r).status)
        .unwrap_or(ConsentStatus::NotAsked);
    let w = Window { closes: *closes, open: *open, stage: s.stage, past: e.is_past };
    Ok(NominationSummary {
        id: NominationId(n.id),
        title: n.title.clone(),
        edition_name_ja: e.name_ja.clone(),
        edition_name_en: e.name_en.clone(),
        category: cat.key,
        category_name_ja: cat.name_ja.clone(),
        category_name_en: cat.name_en.clone(),
        status,
        shown_status: nominator_status(status, screening, n.outcome, s.stage, s.results_published),
        screening,
        consent,
        nominee_name: n.nominee_name.clone(),
        nominator_name: cache.users[&n.nominator_id].clone(),
        updated_at: n.updated_at,
        submitted_at: n.submitted_at,
        deadline: deadline_of(n, *closes),
        can_edit: editable(n, &w, now),
    })
}

/// An edition with its summary, whether nominations are open, and when they close.
type EditionEntry = (edition::Model, crate::wire::EditionSummary, bool, Option<DateTime<Utc>>);

#[derive(Default)]
pub struct SummaryCache {
    editions: std::collections::HashMap<i64, EditionEntry>,
    categories: std::collections::HashMap<i64, crate::server::entities::category::Model>,
    users: std::collections::HashMap<i64, String>,
}

pub async fn list_mine(state: &AppState, who: Option<&Viewer>) -> Result<Vec<NominationSummary>, AppError> {
    let viewer = policy::signed_in(who, Op::OwnAccount)?;
    let c = state.db.conn();
    let now = Utc::now();
    let mut cache = SummaryCache::default();
    let mut out = vec![];
    for n in repo::nominations::list_by_nominator(c, viewer.id.0).await? {
        out.push(summary_of(c, &n, now, &mut cache).await?);
    }
    Ok(out)
}

/// Filters for the organisers' list; empty means "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NominationFilter {
    pub category: String,
    pub status: String,
    pub consent: String,
}

pub async fn list_for_edition(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: EditionId,
    filter: &NominationFilter,
) -> Result<Vec<NominationSummary>, AppError> {
    let c = state.db.conn();
    policy::edition(c, who, Op::ReadEdition, edition_id.0).await?;
    let now = Utc::now();
    let mut cache = SummaryCache::default();
    let mut out = vec![];
    for n in repo::nominations::list_by_edition(c, edition_id.0).await? {
        let s = summary_of(c, &n, now, &mut cache).await?;
        if (filter.category.is_empty() || s.category.key() == filter.category)
            && (filter.status.is_empty() || s.status.key() == filter.status)
            && (filter.consent.is_empty() || s.consent.key() == filter.consent)
        {
            out.push(s);
        }
    }
    Ok(out)
}

/// CSV for organisers: UTF-8 with a byte-order mark so Excel opens Japanese correctly.
pub async fn export_csv(
    state: &AppState,
    who: Option<&Viewer>,
    edition_id: EditionId,
    filter: &NominationFilter,
) -> Result<Vec<u8>, AppError> {
    policy::edition(state.db.conn(), who, Op::ExportNominations, edition_id.0).await?;
    use crate::domain::nomination::{choice_label, INDUSTRIES, ORG_SIZES, RELATIONSHIPS};
    use crate::domain::region::region_name;
    use crate::domain::time::format_tokyo;
    let c = state.db.conn();
    let rows = list_for_edition(state, who, edition_id, filter).await?;
    let mut w = crate::server::export::CsvSheet::new();
    w.write_record([
        "ID",
        "部門",
        "状態",
        "スクリーニング",
        "同意",
        "同意の範囲",
        "タイトル",
        "対象の種類",
        "対象の名称",
        "地域",
        "業種",
        "規模",
        "概要",
        "推薦者",
        "推薦者メール",
        "推薦者との関係",
        "提出日時(JST)",
        "更新日時(JST)",
        "添付数",
    ])?;
    for s in rows {
        let Some(n) = repo::nominations::find(c, s.id.0).await? else {
            continue;
        };
        let consent = repo::consents::find(c, n.id)
            .await?
            .map(|r| repo::consents::to_state(&r))
            .unwrap_or(ConsentState::NOT_ASKED);
        let nominator = repo::users::find(c, n.nominator_id).await?;
        let attachments = repo::attachments::count(c, n.id).await?;
        w.write_record([
            n.id.to_string(),
            s.category_name_ja.clone(),
            s.status.key().to_string(),
            s.screening.key().to_string(),
            consent.status.key().to_string(),
            consent.scope.map(|x| x.key().to_string()).unwrap_or_default(),
            n.title.clone(),
            n.nominee_type.clone(),
            n.nominee_name.clone(),
            region_name(&n.region, true).to_string(),
            choice_label(&INDUSTRIES, &n.industry, true).to_string(),
            choice_label(&ORG_SIZES, &n.org_size, true).to_string(),
            n.summary.clone(),
            nominator.as_ref().map(|u| u.display_name.clone()).unwrap_or_default(),
            nominator.as_ref().map(|u| u.email.clone()).unwrap_or_default(),
            choice_label(&RELATIONSHIPS, &n.relationship, true).to_string(),
            n.submitted_at.map(format_tokyo).unwrap_or_default(),
            format_tokyo(n.updated_at),
            attachments.to_string(),
        ])?;
    }
    w.finish()
}
