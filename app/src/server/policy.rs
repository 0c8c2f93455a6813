//! The policy gate on the server: reads the facts of an object *now* (the asker's role from
//! this request's session, panel membership, conflicts, consent, stage) and asks the pure
//! `domain::policy::decide`. Every server function, HTTP route and CLI command goes through one
//! of these functions before it reads or changes anything; services receive what they return.
use std::collections::{HashMap, HashSet};

use sea_orm::ConnectionTrait;

use crate::domain::account::normalize_email;
use crate::domain::archive::PracticeStatus;
use crate::domain::consent::{ConsentScope, ConsentState};
use crate::domain::policy::{
    decide, AssignmentFacts, EditionFacts, EventFacts, NominationFacts, Op, Person, PracticeFacts, Refusal, Target,
};
use crate::error::AppError;
use crate::server::entities::{assignment, edition, event, nomination, practice};
use crate::server::repo;
use crate::server::service::stages;
use crate::wire::Viewer;

pub fn person(who: Option<&Viewer>) -> Option<Person> {
    who.map(|v| Person { id: v.id.0, role: v.role })
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::SignIn => AppError::SignInRequired,
            Refusal::NotFound => AppError::NotFound,
            Refusal::Forbidden => AppError::Forbidden,
            Refusal::StageClosed => AppError::StageClosed,
            Refusal::ConsentMissing => AppError::ConsentMissing,
            Refusal::Gone => AppError::Gone,
        }
    }
}

fn ask(who: Option<&Viewer>, op: Op, target: &Target) -> Result<(), AppError> {
    decide(person(who).as_ref(), op, target).map_err(AppError::from)
}

/// An operation on the platform as a whole (no object). Returns the signed-in viewer when the
/// operation needs one.
pub fn platform(who: Option<&Viewer>, op: Op) -> Result<(), AppError> {
    ask(who, op, &Target::Platform)
}

/// Like `platform`, for operations that need someone signed in: returns them.
pub fn signed_in(who: Option<&Viewer>, op: Op) -> Result<&Viewer, AppError> {
    platform(who, op)?;
    who.ok_or(AppError::SignInRequired)
}

/// Operations through a signed single-use link: the link's own check follows.
pub fn link(who: Option<&Viewer>, op: Op) -> Result<(), AppError> {
    ask(who, op, &Target::Link)
}

pub fn edition_facts(e: &edition::Model) -> EditionFacts {
    let (stage, round) = stages::current(e);
    EditionFacts { stage, round }
}

/// An operation on an edition.
pub async fn edition<C: ConnectionTrait>(
    c: &C,
    who: Option<&Viewer>,
    op: Op,
    edition_id: i64,
) -> Result<edition::Model, AppError> {
    // Who may ask is settled before anything is read, so refusals reveal nothing.
    if let Err(r) = decide(
        person(who).as_ref(),
        op,
        &Target::Edition(EditionFacts { stage: crate::domain::edition::StageKind::Review, round: 1 }),
    ) {
        if matches!(r, Refusal::SignIn | Refusal::Forbidden) {
            return Err(r.into());
        }
    }
    let e = repo::editions::find(c, edition_id).await?.ok_or(AppError::NotFound)?;
    ask(who, op, &Target::Edition(edition_facts(&e)))?;
    Ok(e)
}

/// A nomination as the policy saw it: the rows it read and the facts it decided on.
pub struct NominationAccess {
    pub nomination: nomination::Model,
    pub edition: edition::Model,
    pub consent: ConsentState,
    pub facts: NominationFacts,
}

/// Is `email` the featured person's address on this nomination?
pub fn is_featured(n: &nomination::Model, email: &str) -> bool {
    let featured = normalize_email(&n.featured_email);
    !featured.is_empty() && featured == normalize_email(email)
}

/// The facts of a nomination as they concern one person (who may be a reviewer being assigned
/// rather than the asker). Reads panel membership and conflicts now.
pub async fn facts_for<C: ConnectionTrait>(
    c: &C,
    person: Option<(i64, &str)>,
    n: &nomination::Model,
    e: &edition::Model,
    consent: ConsentState,
) -> Result<NominationFacts, AppError> {
    let self_nomination = n.relationship == "self";
    let (owner, featured, on_panel, conflict_recorded) = match person {
        Some((id, email)) => {
            let owner = n.nominator_id == id;
            (
                owner,
                (self_nomination && owner) || is_featured(n, email),
                repo::review::is_on_panel(c, n.category_id, id).await?,
                repo::review::is_conflicted(c, n.id, id).await?,
            )
        }
        None => (false, false, false, false),
    };
    Ok(NominationFacts {
        edition: edition_facts(e),
        status: crate::server::service::nominations::status_of(n),
        owner,
        featured,
        self_nomination,
        consent,
        on_panel,
        conflict_recorded,
    })
}

pub async fn consent_of<C: ConnectionTrait>(c: &C, nomination_id: i64) -> Result<ConsentState, AppError> {
    Ok(repo::consents::find(c, nomination_id)
        .await?
        .map(|r| repo::consents::to_state(&r))
        .unwrap_or(ConsentState::NOT_ASKED))
}

/// An operation on a nomination. Anyone who may not know of it gets "not found".
pub async fn nomination<C: ConnectionTrait>(
    c: &C,
    who: Option<&Viewer>,
    op: Op,
    nomination_id: i64,
) -> Result<NominationAccess, AppError> {
    let Some(n) = repo::nominations::find(c, nomination_id).await? else {
        return Err(if who.is_none() { AppError::SignInRequired } else { AppError::NotFound });
    };
    let e = repo::editions::find(c, n.edition_id).await?.ok_or(AppError::NotFound)?;
    let consent = consent_of(c, n.id).await?;
    let facts = facts_for(c, who.map(|v| (v.id.0, v.email.as_str())), &n, &e, consent).await?;
    ask(who, op, &Target::Nomination(facts))?;
    Ok(NominationAccess { nomination: n, edition: e, consent, facts })
}

/// An assignment as the policy saw it.
pub struct AssignmentAccess {
    pub assignment: assignment::Model,
    pub nomination: nomination::Model,
    pub edition: edition::Model,
    pub facts: AssignmentFacts,
}

impl AssignmentAccess {
    /// Would the policy also allow `op` on this assignment, with the facts already read?
    pub fn allows(&self, who: Option<&Viewer>, op: Op) -> bool {
        ask(who, op, &Target::Assignment(self.facts)).is_ok()
    }
}

pub async fn assignment<C: ConnectionTrait>(
    c: &C,
    who: Option<&Viewer>,
    op: Op,
    assignment_id: i64,
) -> Result<AssignmentAccess, AppError> {
    let Some(a) = repo::review::find_assignment(c, assignment_id).await? else {
        return Err(if who.is_none() { AppError::SignInRequired } else { AppError::NotFound });
    };
    let n = repo::nominations::find(c, a.nomination_id).await?.ok_or(AppError::NotFound)?;
    let e = repo::editions::find(c, n.edition_id).await?.ok_or(AppError::NotFound)?;
    let consent = consent_of(c, n.id).await?;
    let nf = facts_for(c, who.map(|v| (v.id.0, v.email.as_str())), &n, &e, consent).await?;
    let facts = AssignmentFacts { nomination: nf, mine: who.is_some_and(|v| v.id.0 == a.reviewer_id), round: a.round };
    ask(who, op, &Target::Assignment(facts))?;
    Ok(AssignmentAccess { assignment: a, nomination: n, edition: e, facts })
}

/// The consent that governs a public record now: the nomination's, or the organiser's record
/// of it for imported records.
pub async fn record_consent<C: ConnectionTrait>(c: &C, p: &practice::Model) -> Result<ConsentState, AppError> {
    Ok(match p.nomination_id {
        Some(n) => consent_of(c, n).await?,
        None => ConsentState {
            status: crate::domain::consent::ConsentStatus::Given,
            scope: ConsentScope::parse(&p.consent_scope),
            photos: p.photos,
        },
    })
}

/// A public record read before, for the same archive version (the record page's memo): the
/// policy decides again, for this asker, on the facts it was read with — only for viewing, and
/// without the facts that belonged to whoever read it first (their relation to its draft).
pub fn record_seen(who: Option<&Viewer>, facts: PracticeFacts) -> Result<(), AppError> {
    let facts = PracticeFacts { prepared_by_asker: false, nomination: None, ..facts };
    ask(who, Op::ViewRecord, &Target::Practice(facts))
}

/// A public record as the policy saw it.
pub struct PracticeAccess {
    pub practice: practice::Model,
    pub consent: ConsentState,
    pub facts: PracticeFacts,
}

pub async fn practice<C: ConnectionTrait>(
    c: &C,
    who: Option<&Viewer>,
    op: Op,
    practice_id: i64,
) -> Result<PracticeAccess, AppError> {
    let p = repo::archive::find(c, practice_id).await?.ok_or(AppError::NotFound)?;
    practice_of(c, who, op, p).await
}

/// As `practice`, for a row already read (the public record page reads it by slug).
pub async fn practice_of<C: ConnectionTrait>(
    c: &C,
    who: Option<&Viewer>,
    op: Op,
    p: practice::Model,
) -> Result<PracticeAccess, AppError> {
    let status = p.status;
    let consent = record_consent(c, &p).await?;
    // The asker's relation to the nomination matters only to sign-off (reviewers of its panel).
    let nomination = match (op, p.nomination_id, who) {
        (Op::SignOffRecord, Some(nid), Some(v)) => match repo::nominations::find(c, nid).await? {
            Some(n) => {
                let e = repo::editions::find(c, n.edition_id).await?.ok_or(AppError::NotFound)?;
                Some(facts_for(c, Some((v.id.0, v.email.as_str())), &n, &e, consent).await?)
            }
            None => None,
        },
        _ => None,
    };
    let facts = PracticeFacts {
        status,
        consent_allows: consent.allows_archive() || status != PracticeStatus::Published,
        has_pending_draft: p.draft_json.is_some(),
        prepared_by_asker: who.is_some_and(|v| p.prepared_by == Some(v.id.0)),
        nomination,
    };
    ask(who, op, &Target::Practice(facts))?;
    Ok(PracticeAccess { practice: p, consent, facts })
}

/// The review facts of many entries for one reviewer at once (the queue): consent, conflicts and
/// panel membership in a handful of queries.
pub struct ReviewerView {
    pub person: Option<Person>,
    pub email: String,
    conflicts: HashSet<i64>,
    panels: HashSet<i64>,
    consents: HashMap<i64, ConsentState>,
}

impl ReviewerView {
    pub async fn load<C: ConnectionTrait>(
        c: &C,
        who: &Viewer,
        nominations: &[nomination::Model],
    ) -> Result<ReviewerView, AppError> {
        let ids: Vec<i64> = nominations.iter().map(|n| n.id).collect();
        Ok(ReviewerView {
            person: person(Some(who)),
            email: who.email.clone(),
            conflicts: repo::review::conflicted_nominations(c, who.id.0).await?,
            panels: repo::review::panel_categories_of(c, who.id.0).await?,
            consents: repo::consents::find_many(c, &ids)
                .await?
                .iter()
                .map(|r| (r.nomination_id, repo::consents::to_state(r)))
                .collect(),
        })
    }

    pub fn facts(&self, n: &nomination::Model, e: &edition::Model) -> NominationFacts {
        let id = self.person.map(|p| p.id).unwrap_or(-1);
        let owner = n.nominator_id == id;
        let self_nomination = n.relationship == "self";
        NominationFacts {
            edition: edition_facts(e),
            status: crate::server::service::nominations::status_of(n),
            owner,
            featured: (self_nomination && owner) || is_featured(n, &self.email),
            self_nomination,
            consent: self.consents.get(&n.id).copied().unwrap_or(ConsentState::NOT_ASKED),
            on_panel: self.panels.contains(&n.category_id),
            conflict_recorded: self.conflicts.contains(&n.id),
        }
    }

    pub fn may(&self, op: Op, a: &assignment::Model, n: &nomination::Model, e: &edition::Model) -> bool {
        let facts = AssignmentFacts {
            nomination: self.facts(n, e),
            mine: self.person.is_some_and(|p| p.id == a.reviewer_id),
            round: a.round,
        };
        decide(self.person.as_ref(), op, &Target::Assignment(facts)).is_ok()
    }
}

/// An operation on an edition that needs someone signed in: the edition and who asked.
pub async fn edition_by<'a, C: ConnectionTrait>(
    c: &C,
    who: Option<&'a Viewer>,
    op: Op,
    edition_id: i64,
) -> Result<(edition::Model, &'a Viewer), AppError> {
    let e = edition(c, who, op, edition_id).await?;
    Ok((e, who.ok_or(AppError::SignInRequired)?))
}

pub fn event_facts(e: &event::Model, now: chrono::DateTime<chrono::Utc>) -> EventFacts {
    EventFacts {
        published: e.published,
        window: crate::server::service::forum::seat_rules(e).window(now),
        questions_public: e.questions_public,
    }
}

/// An operation on a forum event, read now. Organisers' operations are refused by who asks
/// before anything is read.
pub async fn event<C: ConnectionTrait>(
    c: &C,
    who: Option<&Viewer>,
    op: Op,
    event_id: i64,
) -> Result<event::Model, AppError> {
    if matches!(op, Op::ManageEvent | Op::ReadRegistrations) {
        let probe = EventFacts { published: true, window: crate::domain::forum::Window::Open, questions_public: false };
        ask(who, op, &Target::Event(probe))?;
    }
    let e = repo::forum::find_event(c, event_id).await?.ok_or(AppError::NotFound)?;
    event_of(who, op, e)
}

/// As `event`, for the public pages that find an event by its address.
pub async fn event_by_slug<C: ConnectionTrait>(
    c: &C,
    who: Option<&Viewer>,
    op: Op,
    slug: &str,
) -> Result<event::Model, AppError> {
    let e = repo::forum::find_event_by_slug(c, slug).await?.ok_or(AppError::NotFound)?;
    event_of(who, op, e)
}

pub fn event_of(who: Option<&Viewer>, op: Op, e: event::Model) -> Result<event::Model, AppError> {
    ask(who, op, &Target::Event(event_facts(&e, chrono::Utc::now())))?;
    Ok(e)
}
