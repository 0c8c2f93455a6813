//! The one policy: may this person do this operation on this object in its current state?
//!
//! Pure. The server reads the facts *now* — the account's role, panel membership, conflicts
//! (including "nominated it" and "is the person it features"), consent, stage — and asks here;
//! every server function, HTTP route, page and CLI command goes through it (`ENTRY_POINTS`
//! lists them all, and a test fails for one it does not know). The stage rules themselves are
//! the permission table in `permissions`; this module adds who is asking and about what.
use serde::{Deserialize, Serialize};

use super::account::Role;
use super::archive::PracticeStatus;
use super::consent::ConsentState;
use super::edition::StageKind;
use super::forum::Window;
use super::nomination::NominationStatus;
use super::permissions::{allowed, Action as Staged, EditionRole};

/// The signed-in person asking, with the role their account has now (read on this request).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub role: Role,
}

/// Why an operation is refused; each becomes the matching `AppError` (and HTTP status).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// Nobody is signed in and the operation needs someone (401).
    SignIn,
    /// The object is not one this person may know of (404).
    NotFound,
    /// The person is known, the operation is not theirs (403).
    Forbidden,
    /// The right person at a stage that does not allow it (409).
    StageClosed,
    /// The featured person's consent does not reach this use (409).
    ConsentMissing,
    /// The object was public and is no longer (410).
    Gone,
}

/// An edition as it stands now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EditionFacts {
    pub stage: StageKind,
    pub round: i32,
}

/// A nomination and the asker's relation to it, read now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NominationFacts {
    pub edition: EditionFacts,
    pub status: NominationStatus,
    /// The asker nominated it.
    pub owner: bool,
    /// The asker's account is the featured person's address (or it is their self-nomination).
    pub featured: bool,
    pub self_nomination: bool,
    pub consent: ConsentState,
    /// The asker sits on the panel of its edition and category now.
    pub on_panel: bool,
    /// A conflict of interest declared by the asker or recorded by an organiser.
    pub conflict_recorded: bool,
}

impl NominationFacts {
    /// A conflict of interest: recorded or declared, or the reviewer nominated the entry, or
    /// it features them. Such a person never reviews it, whatever the records say.
    pub fn conflicted(&self) -> bool {
        self.conflict_recorded || self.owner || self.featured
    }

    /// The entry has reached review: submitted, and its featured party has consented at least
    /// to review (a self-nomination's own consent counts).
    pub fn reviewable(&self) -> bool {
        self.status == NominationStatus::Submitted && self.consent.allows_review()
    }
}

/// An assignment of the asker (or someone else) to a nomination in a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AssignmentFacts {
    pub nomination: NominationFacts,
    /// It is the asker's assignment.
    pub mine: bool,
    pub round: i32,
}

/// A public record (practice) and, when it came from a nomination, the asker's relation to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PracticeFacts {
    pub status: PracticeStatus,
    /// The consent governing it now reaches the archive.
    pub consent_allows: bool,
    pub has_pending_draft: bool,
    /// The asker prepared the pending draft.
    pub prepared_by_asker: bool,
    /// The nomination it came from (none for imported records).
    pub nomination: Option<NominationFacts>,
}

/// A forum event as it stands now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventFacts {
    pub published: bool,
    /// Registration is taken now (its window, whatever the seats).
    pub window: Window,
    /// The organisers let anyone on the event page send a question (not only registrants).
    pub questions_public: bool,
}

/// What an operation is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The platform itself (no particular object).
    Platform,
    Edition(EditionFacts),
    Nomination(NominationFacts),
    Assignment(AssignmentFacts),
    Practice(PracticeFacts),
    Event(EventFacts),
    /// A signed single-use link: whoever holds it may use it; the link service checks it.
    Link,
}

/// Every operation someone can ask for. One per distinct rule, not per screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    // Anyone, signed in or not.
    /// Public pages, the archive, its API, feed and sitemap, health.
    ReadPublic,
    /// Sign in, sign up, ask for or use a password reset, switch language, sign out.
    Authenticate,
    /// The operator's metrics: no person may read them through the site (a bearer token, or
    /// a separate address, is the only way in).
    Metrics,
    /// Answer or withdraw a consent request, accept an invitation: the link decides.
    UseLink,
    // Signed in.
    /// Read or change one's own account and list one's own nominations.
    OwnAccount,
    /// Start a nomination (the edition must be taking nominations).
    StartNomination,
    /// Render Markdown for the live preview.
    PreviewText,
    /// The review queue (its items are filtered by `ReadSheet`).
    ReviewQueue,
    // Platform administration and organisation.
    ManageAccounts,
    /// Editions list, creation, archive curation lists and synonyms.
    Organise,
    // Editions (organisers).
    ReadEdition,
    ManageEdition,
    MoveStage,
    ManagePanels,
    Assign,
    EditRubric,
    Decide,
    PublishResults,
    ExportScores,
    ExportNominations,
    ReadAudit,
    // Nominations.
    ViewNomination,
    EditNomination,
    WithdrawNomination,
    ManageAttachments,
    DownloadAttachment,
    RequestConsent,
    WithdrawConsent,
    RecordConsent,
    Screen,
    RecordConflict,
    AddAssignment,
    DecideNomination,
    PrepareRecord,
    /// Ask for a short extension of the deadline (its nominator, with a reason only organisers
    /// read).
    RequestExtension,
    /// Organisers: grant or decline an extension (the audit records it).
    DecideExtension,
    /// The feedback report of a nomination: its nominator once results are published;
    /// organisers at any time (the preview before release).
    ReadFeedback,
    // Assignments.
    ReadSheet,
    Score,
    DeclareConflict,
    RemoveAssignment,
    /// The reviewer's own pace: pause, resume or hand back their assignment.
    PaceAssignment,
    /// Organisers: read a reviewer's comment to the nominee and accept, edit or hold it back.
    ModerateFeedback,
    // Public records.
    ViewRecord,
    EditRecord,
    SignOffRecord,
    Unpublish,
    // Forum events.
    /// An event page and its calendar file: published events, to anyone.
    ViewEvent,
    /// Register for an event (no account needed) while registration is open.
    Register,
    /// Send a question from the event page (when organisers opened it to everyone).
    AskQuestion,
    /// Organisers: the event, its programme, registrations, mails, questions, check-in.
    ManageEvent,
    /// Organisers: registrants' personal data (lists, CSV, check-in sheet).
    ReadRegistrations,
}

fn signed_in(who: Option<&Person>) -> Result<&Person, Refusal> {
    who.ok_or(Refusal::SignIn)
}

fn organiser(who: Option<&Person>) -> Result<&Person, Refusal> {
    let p = signed_in(who)?;
    if p.role.can_organise() {
        Ok(p)
    } else {
        Err(Refusal::Forbidden)
    }
}

/// An organiser action on an edition: the stage table decides when.
fn staged(who: Option<&Person>, action: Staged, stage: StageKind) -> Result<(), Refusal> {
    organiser(who)?;
    if allowed(EditionRole::Organiser, action, stage) {
        Ok(())
    } else {
        Err(Refusal::StageClosed)
    }
}

/// An organiser acting on a nomination: its nominator is told it is not theirs to do, anyone
/// else learns nothing of it.
fn organiser_on<'a>(who: Option<&'a Person>, n: Option<&NominationFacts>) -> Result<&'a Person, Refusal> {
    let p = signed_in(who)?;
    if p.role.can_organise() {
        Ok(p)
    } else if n.is_some_and(|n| n.owner) {
        Err(Refusal::Forbidden)
    } else {
        Err(Refusal::NotFound)
    }
}

/// May this person review this entry now: an invited reviewer (the account's role now), on the
/// category's panel now, not conflicted, and the entry has reached review.
pub fn may_review(who: Option<&Person>, n: &NominationFacts) -> bool {
    who.is_some_and(|p| p.role == Role::Reviewer) && n.on_panel && !n.conflicted() && n.reviewable()
}

/// May this person be given an assignment to this entry (asked about the reviewer being
/// assigned, not the organiser assigning)?
pub fn may_be_assigned(reviewer_role: Role, n: &NominationFacts) -> bool {
    reviewer_role == Role::Reviewer && n.on_panel && !n.conflicted()
}

/// The decision. A target of the wrong kind for the operation is refused (fail closed).
pub fn decide(who: Option<&Person>, op: Op, target: &Target) -> Result<(), Refusal> {
    use Op as O;
    use Target as T;
    match (op, target) {
        (O::ReadPublic | O::Authenticate, _) => Ok(()),
        (O::Metrics, _) => Err(Refusal::NotFound),
        (O::UseLink, T::Link) => Ok(()),
        (O::OwnAccount | O::PreviewText, T::Platform) => signed_in(who).map(|_| ()),
        (O::StartNomination, T::Edition(e)) => {
            signed_in(who)?;
            if allowed(EditionRole::Nominator, Staged::EditNomination, e.stage) {
                Ok(())
            } else {
                Err(Refusal::StageClosed)
            }
        }
        (O::ReviewQueue, T::Platform) => {
            let p = signed_in(who)?;
            if p.role.can_review() {
                Ok(())
            } else {
                Err(Refusal::Forbidden)
            }
        }
        (O::ManageAccounts, T::Platform) => {
            let p = signed_in(who)?;
            if p.role.can_administer() {
                Ok(())
            } else {
                Err(Refusal::Forbidden)
            }
        }
        (O::Organise, T::Platform) => organiser(who).map(|_| ()),

        // Editions: organisers, at the stages the table allows.
        (O::ReadEdition | O::ReadAudit | O::ExportNominations, T::Edition(e)) => {
            staged(who, Staged::ReadAudit, e.stage)
        }
        (O::ManageEdition | O::MoveStage, T::Edition(_)) => organiser(who).map(|_| ()),
        (O::ManagePanels, T::Edition(e)) => staged(who, Staged::ManagePanels, e.stage),
        (O::Assign, T::Edition(e)) => staged(who, Staged::Assign, e.stage),
        (O::EditRubric, T::Edition(e)) => staged(who, Staged::EditRubric, e.stage),
        (O::Decide, T::Edition(e)) => staged(who, Staged::Decide, e.stage),
        (O::PublishResults, T::Edition(e)) => staged(who, Staged::PublishResults, e.stage),
        (O::ExportScores, T::Edition(e)) => staged(who, Staged::ExportScores, e.stage),

        // Nominations.
        (O::ViewNomination, T::Nomination(n)) => {
            let p = signed_in(who)?;
            if n.owner || p.role.can_organise() {
                Ok(())
            } else {
                Err(Refusal::NotFound)
            }
        }
        (O::EditNomination | O::WithdrawNomination | O::ManageAttachments, T::Nomination(n)) => {
            signed_in(who)?;
            if n.owner {
                Ok(())
            } else {
                Err(Refusal::NotFound)
            }
        }
        (O::DownloadAttachment, T::Nomination(n)) => {
            let p = signed_in(who).map_err(|_| Refusal::NotFound)?;
            if n.owner || p.role.can_organise() || may_review(who, n) {
                Ok(())
            } else {
                Err(Refusal::NotFound)
            }
        }
        (O::RequestConsent, T::Nomination(n)) => {
            let p = signed_in(who)?;
            let role = if p.role.can_organise() {
                EditionRole::Organiser
            } else if n.owner && !n.self_nomination {
                EditionRole::Nominator
            } else {
                return Err(Refusal::NotFound);
            };
            if allowed(role, Staged::RequestConsent, n.edition.stage) {
                Ok(())
            } else {
                Err(Refusal::StageClosed)
            }
        }
        (O::WithdrawConsent, T::Nomination(n)) => {
            let p = signed_in(who)?;
            if n.owner || p.role.can_organise() {
                Ok(())
            } else {
                Err(Refusal::NotFound)
            }
        }
        (O::RecordConsent, T::Nomination(n)) => organiser_on(who, Some(n)).map(|_| ()),
        (O::Screen, T::Nomination(n)) => {
            organiser_on(who, Some(n))?;
            staged(who, Staged::Screen, n.edition.stage)
        }
        (O::RecordConflict, T::Nomination(n)) => {
            organiser_on(who, Some(n))?;
            staged(who, Staged::ManagePanels, n.edition.stage)
        }
        (O::AddAssignment, T::Nomination(n)) => {
            organiser_on(who, Some(n))?;
            staged(who, Staged::Assign, n.edition.stage)?;
            reached_review(n)
        }
        (O::DecideNomination, T::Nomination(n)) => {
            organiser_on(who, Some(n))?;
            staged(who, Staged::Decide, n.edition.stage)?;
            reached_review(n)
        }
        (O::RequestExtension, T::Nomination(n)) => {
            signed_in(who)?;
            if !n.owner {
                Err(Refusal::NotFound)
            } else if n.status == NominationStatus::Withdrawn
                || !allowed(EditionRole::Nominator, Staged::ExtendDeadline, n.edition.stage)
            {
                Err(Refusal::StageClosed)
            } else {
                Ok(())
            }
        }
        (O::DecideExtension, T::Nomination(n)) => {
            organiser_on(who, Some(n))?;
            staged(who, Staged::ExtendDeadline, n.edition.stage)
        }
        (O::PrepareRecord, T::Nomination(n)) => organiser_on(who, Some(n)).map(|_| ()),
        (O::ReadFeedback, T::Nomination(n)) => {
            let p = signed_in(who)?;
            if p.role.can_organise() {
                Ok(())
            } else if !n.owner {
                Err(Refusal::NotFound)
            } else if n.edition.stage == StageKind::Results {
                Ok(())
            } else {
                // Released with the results, not before.
                Err(Refusal::StageClosed)
            }
        }

        // Assignments: the reviewer's own, while they may review the entry.
        (O::ReadSheet, T::Assignment(a)) => {
            signed_in(who)?;
            if a.mine && may_review(who, &a.nomination) {
                Ok(())
            } else {
                Err(Refusal::NotFound)
            }
        }
        (O::Score, T::Assignment(a)) => {
            decide(who, O::ReadSheet, target)?;
            let n = &a.nomination;
            if allowed(EditionRole::Reviewer, Staged::Score, n.edition.stage) && a.round == n.edition.round {
                Ok(())
            } else {
                Err(Refusal::StageClosed)
            }
        }
        (O::DeclareConflict, T::Assignment(a)) => {
            let p = signed_in(who)?;
            let n = &a.nomination;
            if !(a.mine && p.role == Role::Reviewer && n.on_panel && !n.conflicted()) {
                return Err(Refusal::NotFound);
            }
            if allowed(EditionRole::Reviewer, Staged::DeclareConflict, n.edition.stage) {
                Ok(())
            } else {
                Err(Refusal::StageClosed)
            }
        }
        (O::PaceAssignment, T::Assignment(a)) => {
            let p = signed_in(who)?;
            if !(a.mine && p.role == Role::Reviewer && a.nomination.on_panel) {
                return Err(Refusal::NotFound);
            }
            // While the entry is being reviewed; the same stages a conflict can be declared in.
            if allowed(EditionRole::Reviewer, Staged::DeclareConflict, a.nomination.edition.stage) {
                Ok(())
            } else {
                Err(Refusal::StageClosed)
            }
        }
        (O::RemoveAssignment, T::Assignment(a)) => {
            organiser_on(who, Some(&a.nomination))?;
            staged(who, Staged::Assign, a.nomination.edition.stage)
        }
        (O::ModerateFeedback, T::Assignment(a)) => organiser_on(who, Some(&a.nomination)).map(|_| ()),

        // Public records.
        (O::ViewRecord, T::Practice(p)) => match p.status {
            PracticeStatus::Published if p.consent_allows => Ok(()),
            PracticeStatus::Published => Err(Refusal::Gone),
            s if s.is_gone() => Err(Refusal::Gone),
            _ => Err(Refusal::NotFound),
        },
        // Organisers' tools: like the pages that hold them, refused by who one is.
        (O::EditRecord | O::Unpublish, T::Practice(_)) => organiser(who).map(|_| ()),
        (O::SignOffRecord, T::Practice(p)) => {
            let person = signed_in(who)?;
            if person.role.can_organise() {
                return if !p.has_pending_draft {
                    Err(Refusal::NotFound)
                } else if p.prepared_by_asker {
                    // Four eyes: whoever prepared the text does not approve it.
                    Err(Refusal::Forbidden)
                } else {
                    Ok(())
                };
            }
            // A reviewer of that category's panel, not conflicted on the nomination.
            match &p.nomination {
                Some(n)
                    if p.has_pending_draft
                        && person.role == Role::Reviewer
                        && n.on_panel
                        && !n.conflicted()
                        && !p.prepared_by_asker =>
                {
                    Ok(())
                }
                _ => Err(Refusal::NotFound),
            }
        }

        // Forum events.
        (O::ViewEvent, T::Event(ev)) => {
            if ev.published || who.is_some_and(|p| p.role.can_organise()) {
                Ok(())
            } else {
                Err(Refusal::NotFound)
            }
        }
        (O::Register, T::Event(ev)) => {
            if !ev.published {
                Err(Refusal::NotFound)
            } else if ev.window == Window::Open {
                Ok(())
            } else {
                Err(Refusal::StageClosed)
            }
        }
        (O::AskQuestion, T::Event(ev)) => {
            if !ev.published || !ev.questions_public {
                Err(Refusal::NotFound)
            } else {
                Ok(())
            }
        }
        (O::ManageEvent | O::ReadRegistrations, T::Event(_)) => organiser(who).map(|_| ()),
        _ => Err(Refusal::NotFound),
    }
}

fn reached_review(n: &NominationFacts) -> Result<(), Refusal> {
    if n.status != NominationStatus::Submitted {
        Err(Refusal::NotFound)
    } else if !n.consent.allows_review() {
        Err(Refusal::ConsentMissing)
    } else {
        Ok(())
    }
}

/// Where an entry point is reached from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    /// A `#[server]` function (its endpoint name).
    ServerFn,
    /// A plain HTTP route beside the pages (method and path).
    Route,
    /// A page route of the app (path).
    Page,
    /// An operator command of the `server` binary (run by whoever runs the binary).
    Cli,
}

/// An entry point and the operation it asks the policy about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryPoint {
    pub surface: Surface,
    pub name: &'static str,
    pub op: Op,
}

const fn e(surface: Surface, name: &'static str, op: Op) -> EntryPoint {
    EntryPoint { surface, name, op }
}

/// Every entry point of the platform. A new server function, route, page or command without a
/// line here fails the matrix test (which enumerates what is registered, not this list).
pub const ENTRY_POINTS: &[EntryPoint] = {
    use Op::*;
    use Surface::*;
    &[
        // Server functions (endpoint names).
        e(ServerFn, "get_viewer", ReadPublic),
        e(ServerFn, "sign_in", Authenticate),
        e(ServerFn, "sign_up", Authenticate),
        e(ServerFn, "sign_out", Authenticate),
        e(ServerFn, "request_password_reset", Authenticate),
        e(ServerFn, "reset_password", Authenticate),
        e(ServerFn, "switch_locale", Authenticate),
        e(ServerFn, "get_feedback", ReadFeedback),
        e(ServerFn, "list_feedback_comments", ReadEdition),
        e(ServerFn, "moderate_comment", ModerateFeedback),
        e(ServerFn, "get_calibration", ExportScores),
        e(ServerFn, "list_accounts", ManageAccounts),
        e(ServerFn, "change_role", ManageAccounts),
        e(ServerFn, "search_archive", ReadPublic),
        e(ServerFn, "get_practice", ViewRecord),
        e(ServerFn, "list_archive_candidates", Organise),
        e(ServerFn, "prepare_practice", PrepareRecord),
        e(ServerFn, "get_practice_edit", EditRecord),
        e(ServerFn, "save_practice_draft", EditRecord),
        e(ServerFn, "get_sign_off", SignOffRecord),
        e(ServerFn, "sign_off_practice", SignOffRecord),
        e(ServerFn, "unpublish_practice", Unpublish),
        e(ServerFn, "list_synonyms", Organise),
        e(ServerFn, "add_synonyms", Organise),
        e(ServerFn, "delete_synonyms", Organise),
        e(ServerFn, "list_pending_sign_offs", ReviewQueue),
        e(ServerFn, "list_editions", Organise),
        e(ServerFn, "create_edition", Organise),
        e(ServerFn, "get_edition_categories", ReadEdition),
        e(ServerFn, "list_edition_nominations", ReadEdition),
        e(ServerFn, "set_nomination_window", ManageEdition),
        e(ServerFn, "add_question", ManageEdition),
        e(ServerFn, "delete_question", ManageEdition),
        e(ServerFn, "get_edition_settings", ReadEdition),
        e(ServerFn, "update_edition_settings", ManageEdition),
        e(ServerFn, "set_stage_times", ManageEdition),
        e(ServerFn, "move_stage", MoveStage),
        e(ServerFn, "screen_nomination", Screen),
        e(ServerFn, "get_panels", ReadEdition),
        e(ServerFn, "invite_reviewer", ManagePanels),
        e(ServerFn, "set_reviewer_cap", ManagePanels),
        e(ServerFn, "remove_panel_member", ManagePanels),
        e(ServerFn, "record_conflict", RecordConflict),
        e(ServerFn, "get_assignment_board", ReadEdition),
        e(ServerFn, "auto_assign", Assign),
        e(ServerFn, "add_assignment", AddAssignment),
        e(ServerFn, "remove_assignment", RemoveAssignment),
        e(ServerFn, "list_rubrics", ReadEdition),
        e(ServerFn, "add_criterion", EditRubric),
        e(ServerFn, "remove_criterion", EditRubric),
        e(ServerFn, "create_category_rubric", EditRubric),
        e(ServerFn, "get_ranking", ReadEdition),
        e(ServerFn, "set_shortlist", DecideNomination),
        e(ServerFn, "decide_outcome", DecideNomination),
        e(ServerFn, "open_next_round", Decide),
        e(ServerFn, "publish_results", PublishResults),
        e(ServerFn, "get_audit", ReadAudit),
        e(ServerFn, "get_consent_request", UseLink),
        e(ServerFn, "answer_consent", UseLink),
        e(ServerFn, "withdraw_consent_by_link", UseLink),
        e(ServerFn, "list_open_editions", ReadPublic),
        e(ServerFn, "start_nomination", StartNomination),
        e(ServerFn, "get_nomination", ViewNomination),
        e(ServerFn, "save_nomination", EditNomination),
        e(ServerFn, "submit_nomination", EditNomination),
        e(ServerFn, "withdraw_nomination", WithdrawNomination),
        e(ServerFn, "list_my_nominations", OwnAccount),
        e(ServerFn, "delete_attachment", ManageAttachments),
        e(ServerFn, "request_consent", RequestConsent),
        e(ServerFn, "withdraw_consent", WithdrawConsent),
        e(ServerFn, "record_consent", RecordConsent),
        e(ServerFn, "preview_markdown", PreviewText),
        e(ServerFn, "get_review_queue", ReviewQueue),
        e(ServerFn, "get_review_sheet", ReadSheet),
        e(ServerFn, "save_review", Score),
        e(ServerFn, "declare_conflict", DeclareConflict),
        e(ServerFn, "pause_assignment", PaceAssignment),
        e(ServerFn, "hand_back_assignment", PaceAssignment),
        e(ServerFn, "request_extension", RequestExtension),
        e(ServerFn, "decide_extension", DecideExtension),
        e(ServerFn, "list_extension_requests", ReadEdition),
        e(ServerFn, "get_my_account", OwnAccount),
        e(ServerFn, "update_profile", OwnAccount),
        e(ServerFn, "change_password", OwnAccount),
        e(ServerFn, "request_email_change", OwnAccount),
        e(ServerFn, "confirm_email_change", UseLink),
        e(ServerFn, "get_deletion_preview", OwnAccount),
        e(ServerFn, "delete_account", OwnAccount),
        e(ServerFn, "get_featured_data", UseLink),
        e(ServerFn, "erase_featured_data", UseLink),
        e(ServerFn, "get_invitation", UseLink),
        e(ServerFn, "accept_invitation", UseLink),
        e(ServerFn, "list_events", ReadPublic),
        e(ServerFn, "get_event", ViewEvent),
        e(ServerFn, "get_registration_form", ViewEvent),
        e(ServerFn, "register_for_event", Register),
        e(ServerFn, "get_registration_by_link", UseLink),
        e(ServerFn, "cancel_registration", UseLink),
        e(ServerFn, "ask_question_by_link", UseLink),
        e(ServerFn, "ask_question", AskQuestion),
        e(ServerFn, "list_organiser_events", Organise),
        e(ServerFn, "create_event", Organise),
        e(ServerFn, "get_event_admin", ManageEvent),
        e(ServerFn, "update_event", ManageEvent),
        e(ServerFn, "add_event_session", ManageEvent),
        e(ServerFn, "remove_event_session", ManageEvent),
        e(ServerFn, "send_online_link", ManageEvent),
        e(ServerFn, "send_event_notice", ManageEvent),
        e(ServerFn, "list_registrations", ReadRegistrations),
        e(ServerFn, "check_in", ReadRegistrations),
        e(ServerFn, "list_event_questions", ManageEvent),
        e(ServerFn, "moderate_question", ManageEvent),
        // HTTP routes beside the pages.
        e(Route, "GET /healthz", ReadPublic),
        // Operators only: answered solely to the configured token (404 to everyone else),
        // or on its own address (METRICS_ADDR), never to a signed-in role.
        e(Route, "GET /metrics", Metrics),
        e(Route, "GET /robots.txt", ReadPublic),
        e(Route, "GET /sitemap.xml", ReadPublic),
        e(Route, "GET /sitemaps/{file}", ReadPublic),
        e(Route, "GET /feed.atom", ReadPublic),
        e(Route, "GET /api/v1/practices", ReadPublic),
        e(Route, "GET /api/v1/practices/{id}", ViewRecord),
        e(Route, "OPTIONS /api/v1/practices", ReadPublic),
        e(Route, "OPTIONS /api/v1/practices/{id}", ReadPublic),
        e(Route, "POST /nominations/{id}/attachments", ManageAttachments),
        e(Route, "GET /attachments/{id}", DownloadAttachment),
        e(Route, "GET /organise/editions/{id}/nominations.csv", ExportNominations),
        e(Route, "GET /organise/editions/{id}/scores.csv", ExportScores),
        e(Route, "GET /organise/editions/{id}/scores.xlsx", ExportScores),
        e(Route, "GET /events/{slug}/event.ics", ViewEvent),
        e(Route, "GET /account/export.zip", OwnAccount),
        e(Route, "GET /consent/{token}/export.json", UseLink),
        e(Route, "GET /organise/events/{id}/registrations.csv", ReadRegistrations),
        // Pages (they show what their server functions allow; listed so none is forgotten).
        e(Page, "/", ReadPublic),
        e(Page, "/sign-in", Authenticate),
        e(Page, "/sign-up", Authenticate),
        e(Page, "/forgot-password", Authenticate),
        e(Page, "/reset-password", Authenticate),
        e(Page, "/account", OwnAccount),
        e(Page, "/account/delete", OwnAccount),
        e(Page, "/account/deleted", ReadPublic),
        e(Page, "/account/email/:token", UseLink),
        e(Page, "/admin", ManageAccounts),
        e(Page, "/dialogue-rules", ReadPublic),
        e(Page, "/privacy", ReadPublic),
        e(Page, "/nominate", ReadPublic),
        e(Page, "/nominations", OwnAccount),
        e(Page, "/nominations/:id", ViewNomination),
        e(Page, "/nominations/:id/edit", ViewNomination),
        e(Page, "/nominations/:id/feedback", ReadFeedback),
        e(Page, "/organise/editions/:id/feedback", ReadEdition),
        e(Page, "/organise/editions/:id/calibration", ExportScores),
        e(Page, "/consent/done", ReadPublic),
        e(Page, "/consent/:token", UseLink),
        e(Page, "/organise", Organise),
        e(Page, "/organise/editions/:id", ReadEdition),
        e(Page, "/organise/editions/:id/nominations", ReadEdition),
        e(Page, "/organise/editions/:id/reviewers", ReadEdition),
        e(Page, "/organise/editions/:id/assignments", ReadEdition),
        e(Page, "/organise/editions/:id/rubric", ReadEdition),
        e(Page, "/organise/editions/:id/ranking", ReadEdition),
        e(Page, "/organise/editions/:id/audit", ReadAudit),
        e(Page, "/archive", ReadPublic),
        e(Page, "/practices/:slug", ViewRecord),
        e(Page, "/organise/archive", Organise),
        e(Page, "/organise/archive/:id", EditRecord),
        e(Page, "/review", ReviewQueue),
        e(Page, "/review/:id", ReadSheet),
        e(Page, "/review/sign-off/:id", SignOffRecord),
        e(Page, "/invite/:token", UseLink),
        e(Page, "/events", ReadPublic),
        e(Page, "/events/:slug", ViewEvent),
        e(Page, "/events/:slug/register", ViewEvent),
        e(Page, "/events/registered", ReadPublic),
        e(Page, "/events/cancel/:token", UseLink),
        e(Page, "/organise/events", Organise),
        e(Page, "/organise/events/:id", ManageEvent),
        e(Page, "/organise/events/:id/registrations", ReadRegistrations),
        e(Page, "/organise/events/:id/questions", ManageEvent),
        e(Page, "/organise/events/:id/moderator", ManageEvent),
        // Operator commands: whoever runs the binary has the database; the import still goes
        // through the one publish path and its consent and name checks.
        e(Cli, "serve", ReadPublic),
        e(Cli, "migrate", ManageAccounts),
        e(Cli, "create-admin", ManageAccounts),
        e(Cli, "seed-demo", ManageAccounts),
        e(Cli, "import-practices", Organise),
        e(Cli, "bench-aggregate", ReadPublic),
        // Renders pages through the router as an anonymous visitor and as the demo nominator
        // (signed in through the normal sign-in service): every page still asks the policy.
        e(Cli, "bench-render", ReadPublic),
    ]
};

/// The entry point of this surface and name, if the policy knows it.
pub fn entry_point(surface: Surface, name: &str) -> Option<&'static EntryPoint> {
    ENTRY_POINTS.iter().find(|e| e.surface == surface && e.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::consent::{ConsentScope, ConsentStatus};
    use Op as O;

    const REVIEWER: Person = Person { id: 10, role: Role::Reviewer };
    const ORGANISER: Person = Person { id: 20, role: Role::Organiser };
    const ADMIN: Person = Person { id: 30, role: Role::Admin };
    const NOMINATOR: Person = Person { id: 40, role: Role::Nominator };

    fn consent(status: ConsentStatus, scope: Option<ConsentScope>) -> ConsentState {
        ConsentState { status, scope, photos: false }
    }

    fn entry(stage: StageKind) -> NominationFacts {
        NominationFacts {
            edition: EditionFacts { stage, round: 1 },
            status: NominationStatus::Submitted,
            owner: false,
            featured: false,
            self_nomination: false,
            consent: consent(ConsentStatus::Given, Some(ConsentScope::ReviewOnly)),
            on_panel: true,
            conflict_recorded: false,
        }
    }

    fn sheet(n: NominationFacts) -> Target {
        Target::Assignment(AssignmentFacts { nomination: n, mine: true, round: 1 })
    }

    #[test]
    fn an_assigned_reviewer_scores_only_what_they_may_review_now() {
        let ok = entry(StageKind::Review);
        assert_eq!(decide(Some(&REVIEWER), O::Score, &sheet(ok)), Ok(()));
        // Each fact that takes the entry away from them, alone.
        let cases: [(&str, NominationFacts); 7] = [
            ("nominated it", NominationFacts { owner: true, ..ok }),
            ("featured in it", NominationFacts { featured: true, ..ok }),
            ("conflict recorded", NominationFacts { conflict_recorded: true, ..ok }),
            ("removed from the panel", NominationFacts { on_panel: false, ..ok }),
            ("consent never asked", NominationFacts { consent: ConsentState::NOT_ASKED, ..ok }),
            ("consent declined", NominationFacts { consent: consent(ConsentStatus::Declined, None), ..ok }),
            ("withdrawn entry", NominationFacts { status: NominationStatus::Withdrawn, ..ok }),
        ];
        for (why, n) in cases {
            assert_eq!(decide(Some(&REVIEWER), O::Score, &sheet(n)), Err(Refusal::NotFound), "{why}");
            assert_eq!(decide(Some(&REVIEWER), O::ReadSheet, &sheet(n)), Err(Refusal::NotFound), "{why}");
            assert!(!may_review(Some(&REVIEWER), &n), "{why}");
        }
        // Demoted (the account's role now), an organiser on a panel, someone else's sheet.
        for p in [NOMINATOR, ORGANISER, ADMIN] {
            assert_eq!(decide(Some(&p), O::Score, &sheet(ok)), Err(Refusal::NotFound), "{p:?}");
        }
        let other = Target::Assignment(AssignmentFacts { nomination: ok, mine: false, round: 1 });
        assert_eq!(decide(Some(&REVIEWER), O::Score, &other), Err(Refusal::NotFound));
        assert_eq!(decide(None, O::Score, &sheet(ok)), Err(Refusal::SignIn));
    }

    #[test]
    fn scoring_waits_for_the_review_stage_and_the_current_round() {
        for stage in StageKind::ALL {
            let want = if stage == StageKind::Review { Ok(()) } else { Err(Refusal::StageClosed) };
            assert_eq!(decide(Some(&REVIEWER), O::Score, &sheet(entry(stage))), want, "{stage:?}");
            // Reading the sheet is not tied to the stage.
            assert_eq!(decide(Some(&REVIEWER), O::ReadSheet, &sheet(entry(stage))), Ok(()));
        }
        let old_round =
            Target::Assignment(AssignmentFacts { nomination: entry(StageKind::Review), mine: true, round: 0 });
        assert_eq!(decide(Some(&REVIEWER), O::Score, &old_round), Err(Refusal::StageClosed));
    }

    #[test]
    fn every_consent_state_decides_whether_an_entry_reaches_review() {
        for status in ConsentStatus::ALL {
            for scope in [None, Some(ConsentScope::ReviewOnly), Some(ConsentScope::ArchiveNamed)] {
                let n = NominationFacts { consent: consent(status, scope), ..entry(StageKind::Review) };
                let reaches = status == ConsentStatus::Given && scope.is_some();
                assert_eq!(n.reviewable(), reaches, "{status:?} {scope:?}");
                let decisions =
                    NominationFacts { edition: EditionFacts { stage: StageKind::Decisions, round: 1 }, ..n };
                let want = if reaches { Ok(()) } else { Err(Refusal::ConsentMissing) };
                assert_eq!(decide(Some(&ORGANISER), O::DecideNomination, &Target::Nomination(decisions)), want);
                let screening =
                    NominationFacts { edition: EditionFacts { stage: StageKind::Screening, round: 1 }, ..n };
                assert_eq!(decide(Some(&ORGANISER), O::AddAssignment, &Target::Nomination(screening)), want);
            }
        }
    }

    #[test]
    fn nominations_are_seen_by_their_nominator_and_organisers_only() {
        let n = Target::Nomination(entry(StageKind::Nominations));
        let own = Target::Nomination(NominationFacts { owner: true, ..entry(StageKind::Nominations) });
        assert_eq!(decide(None, O::ViewNomination, &n), Err(Refusal::SignIn));
        assert_eq!(decide(Some(&NOMINATOR), O::ViewNomination, &n), Err(Refusal::NotFound));
        assert_eq!(decide(Some(&REVIEWER), O::ViewNomination, &n), Err(Refusal::NotFound));
        assert_eq!(decide(Some(&NOMINATOR), O::ViewNomination, &own), Ok(()));
        assert_eq!(decide(Some(&ORGANISER), O::ViewNomination, &n), Ok(()));
        for op in [O::EditNomination, O::WithdrawNomination, O::ManageAttachments] {
            assert_eq!(decide(Some(&ORGANISER), op, &n), Err(Refusal::NotFound), "{op:?}");
            assert_eq!(decide(Some(&NOMINATOR), op, &own), Ok(()), "{op:?}");
        }
    }

    #[test]
    fn consent_is_requested_by_the_nominator_of_someone_else_or_an_organiser() {
        let own = NominationFacts { owner: true, ..entry(StageKind::Nominations) };
        assert_eq!(decide(Some(&NOMINATOR), O::RequestConsent, &Target::Nomination(own)), Ok(()));
        let own_self = NominationFacts { self_nomination: true, featured: true, ..own };
        assert_eq!(decide(Some(&NOMINATOR), O::RequestConsent, &Target::Nomination(own_self)), Err(Refusal::NotFound));
        let other = Target::Nomination(entry(StageKind::Nominations));
        assert_eq!(decide(Some(&NOMINATOR), O::RequestConsent, &other), Err(Refusal::NotFound));
        assert_eq!(decide(Some(&ORGANISER), O::RequestConsent, &other), Ok(()));
        let setup = NominationFacts { edition: EditionFacts { stage: StageKind::Setup, round: 0 }, ..own };
        assert_eq!(decide(Some(&NOMINATOR), O::RequestConsent, &Target::Nomination(setup)), Err(Refusal::StageClosed));
    }

    fn record(nomination: Option<NominationFacts>, prepared_by_asker: bool) -> Target {
        Target::Practice(PracticeFacts {
            status: PracticeStatus::Published,
            consent_allows: true,
            has_pending_draft: true,
            prepared_by_asker,
            nomination,
        })
    }

    #[test]
    fn sign_off_takes_a_second_organiser_or_an_unconflicted_reviewer_of_that_panel() {
        let n = entry(StageKind::Results);
        assert_eq!(decide(Some(&ORGANISER), O::SignOffRecord, &record(Some(n), false)), Ok(()));
        assert_eq!(decide(Some(&ORGANISER), O::SignOffRecord, &record(Some(n), true)), Err(Refusal::Forbidden));
        assert_eq!(decide(Some(&REVIEWER), O::SignOffRecord, &record(Some(n), false)), Ok(()));
        for (why, f) in [
            ("not on the panel", NominationFacts { on_panel: false, ..n }),
            ("conflicted", NominationFacts { conflict_recorded: true, ..n }),
            ("nominated it", NominationFacts { owner: true, ..n }),
            ("featured", NominationFacts { featured: true, ..n }),
        ] {
            assert_eq!(
                decide(Some(&REVIEWER), O::SignOffRecord, &record(Some(f), false)),
                Err(Refusal::NotFound),
                "{why}"
            );
        }
        // Imported records have no panel: organisers only. Nominators never.
        assert_eq!(decide(Some(&REVIEWER), O::SignOffRecord, &record(None, false)), Err(Refusal::NotFound));
        assert_eq!(decide(Some(&NOMINATOR), O::SignOffRecord, &record(Some(n), false)), Err(Refusal::NotFound));
        assert_eq!(decide(None, O::SignOffRecord, &record(Some(n), false)), Err(Refusal::SignIn));
        let nothing_pending = Target::Practice(PracticeFacts {
            status: PracticeStatus::Published,
            consent_allows: true,
            has_pending_draft: false,
            prepared_by_asker: false,
            nomination: Some(n),
        });
        assert_eq!(decide(Some(&ORGANISER), O::SignOffRecord, &nothing_pending), Err(Refusal::NotFound));
    }

    #[test]
    fn a_public_record_follows_its_status_and_the_consent_now() {
        let mk = |status, consent_allows| {
            Target::Practice(PracticeFacts {
                status,
                consent_allows,
                has_pending_draft: false,
                prepared_by_asker: false,
                nomination: None,
            })
        };
        assert_eq!(decide(None, O::ViewRecord, &mk(PracticeStatus::Published, true)), Ok(()));
        assert_eq!(decide(None, O::ViewRecord, &mk(PracticeStatus::Published, false)), Err(Refusal::Gone));
        assert_eq!(decide(None, O::ViewRecord, &mk(PracticeStatus::Withdrawn, true)), Err(Refusal::Gone));
        assert_eq!(decide(None, O::ViewRecord, &mk(PracticeStatus::Unpublished, true)), Err(Refusal::Gone));
        assert_eq!(decide(Some(&ORGANISER), O::ViewRecord, &mk(PracticeStatus::Draft, true)), Err(Refusal::NotFound));
    }

    #[test]
    fn organiser_operations_refuse_everyone_else_by_who_they_are() {
        let e = Target::Edition(EditionFacts { stage: StageKind::Review, round: 1 });
        for op in [O::ReadEdition, O::ManageEdition, O::ManagePanels, O::Assign, O::EditRubric, O::ReadAudit] {
            assert_eq!(decide(None, op, &e), Err(Refusal::SignIn), "{op:?}");
            assert_eq!(decide(Some(&NOMINATOR), op, &e), Err(Refusal::Forbidden), "{op:?}");
            assert_eq!(decide(Some(&REVIEWER), op, &e), Err(Refusal::Forbidden), "{op:?}");
            assert_eq!(decide(Some(&ORGANISER), op, &e), Ok(()), "{op:?}");
            assert_eq!(decide(Some(&ADMIN), op, &e), Ok(()), "{op:?}");
        }
        assert_eq!(decide(Some(&ORGANISER), O::Decide, &e), Err(Refusal::StageClosed));
        assert_eq!(decide(Some(&ORGANISER), O::ManageAccounts, &Target::Platform), Err(Refusal::Forbidden));
        assert_eq!(decide(Some(&ADMIN), O::ManageAccounts, &Target::Platform), Ok(()));
    }

    #[test]
    fn a_target_of_the_wrong_kind_is_refused() {
        assert_eq!(decide(Some(&ADMIN), O::Score, &Target::Platform), Err(Refusal::NotFound));
        assert_eq!(decide(Some(&ADMIN), O::ViewNomination, &Target::Link), Err(Refusal::NotFound));
        assert_eq!(decide(Some(&ADMIN), O::UseLink, &Target::Platform), Err(Refusal::NotFound));
    }

    #[test]
    fn events_are_public_once_published_and_take_registrations_inside_their_window() {
        let ev =
            |published, window, questions_public| Target::Event(EventFacts { published, window, questions_public });
        let open = ev(true, Window::Open, false);
        assert_eq!(decide(None, O::ViewEvent, &open), Ok(()));
        assert_eq!(decide(None, O::Register, &open), Ok(()));
        assert_eq!(decide(None, O::Register, &ev(true, Window::Closed, false)), Err(Refusal::StageClosed));
        assert_eq!(decide(None, O::Register, &ev(true, Window::NotYet, false)), Err(Refusal::StageClosed));
        let draft = ev(false, Window::Open, true);
        for op in [O::ViewEvent, O::Register, O::AskQuestion] {
            assert_eq!(decide(None, op, &draft), Err(Refusal::NotFound), "{op:?}");
            assert_eq!(decide(Some(&NOMINATOR), op, &draft), Err(Refusal::NotFound), "{op:?}");
        }
        assert_eq!(decide(Some(&ORGANISER), O::ViewEvent, &draft), Ok(()));
        assert_eq!(decide(None, O::AskQuestion, &open), Err(Refusal::NotFound));
        assert_eq!(decide(None, O::AskQuestion, &ev(true, Window::Closed, true)), Ok(()));
        for op in [O::ManageEvent, O::ReadRegistrations] {
            assert_eq!(decide(None, op, &open), Err(Refusal::SignIn));
            assert_eq!(decide(Some(&REVIEWER), op, &open), Err(Refusal::Forbidden));
            assert_eq!(decide(Some(&NOMINATOR), op, &open), Err(Refusal::Forbidden));
            assert_eq!(decide(Some(&ORGANISER), op, &open), Ok(()));
        }
    }

    #[test]
    fn entry_point_names_are_unique_per_surface() {
        for (i, a) in ENTRY_POINTS.iter().enumerate() {
            for b in &ENTRY_POINTS[i + 1..] {
                assert!(!(a.surface == b.surface && a.name == b.name), "{} listed twice", a.name);
            }
        }
    }
}
