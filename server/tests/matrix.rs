//! The policy matrix: every registered entry point (server functions from the server-function
//! registry, HTTP routes from the route registry, pages from the app's route list, commands
//! from the CLI) × every kind of person × the objects of a world in every relevant stage and
//! consent state, asserted through the real router on SQLite and on PostgreSQL.
//!
//! The expected answer of each cell comes from the pure `domain::policy::decide`, fed with
//! facts this test knows about its own world (not read back through the server's policy
//! loader); its own cells are proven in the domain's unit tests. So this test proves that every
//! surface enforces the one policy, with the facts as they are *now*. A refusal must be the
//! matching status (401, 403, 404, 409, 410); an allowed call must get past the gate (any
//! answer but those, 400 and 500). An entry point the policy does not list fails the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use app::domain::account::Role;
use app::domain::archive::PracticeStatus;
use app::domain::consent::{ConsentScope, ConsentState, ConsentStatus};
use app::domain::edition::StageKind;
use app::domain::forum::{Attendance, QuestionStatus, RegStatus, Window};
use app::domain::nomination::NominationStatus;
use app::domain::policy::{
    decide, entry_point, AssignmentFacts, EditionFacts, EventFacts, NominationFacts, Op, Person, PracticeFacts,
    Refusal, Surface, Target, ENTRY_POINTS,
};
use app::server::{config::MailTransport, entities, repo, service, AppState, Config, Db};
use axum::{
    body::{to_bytes, Body},
    http::{header, Method, Request},
    Router,
};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use tower::ServiceExt;

const ORIGIN: &str = "http://127.0.0.1:3000";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Actor {
    Anonymous,
    Owner,
    OtherNominator,
    Reviewer,
    ConflictedReviewer,
    RemovedReviewer,
    DemotedReviewer,
    Organiser,
    Admin,
}

const ACTORS: [Actor; 9] = [
    Actor::Anonymous,
    Actor::Owner,
    Actor::OtherNominator,
    Actor::Reviewer,
    Actor::ConflictedReviewer,
    Actor::RemovedReviewer,
    Actor::DemotedReviewer,
    Actor::Organiser,
    Actor::Admin,
];

impl Actor {
    fn key(self) -> &'static str {
        match self {
            Actor::Anonymous => "anon",
            Actor::Owner => "owner",
            Actor::OtherNominator => "other",
            Actor::Reviewer => "rev",
            Actor::ConflictedReviewer => "revc",
            Actor::RemovedReviewer => "revx",
            Actor::DemotedReviewer => "revd",
            Actor::Organiser => "org",
            Actor::Admin => "admin",
        }
    }

    /// The role the account has now (the demoted reviewer was made a nominator again).
    fn role(self) -> Option<Role> {
        match self {
            Actor::Anonymous => None,
            Actor::Owner | Actor::OtherNominator | Actor::DemotedReviewer => Some(Role::Nominator),
            Actor::Reviewer | Actor::ConflictedReviewer | Actor::RemovedReviewer => Some(Role::Reviewer),
            Actor::Organiser => Some(Role::Organiser),
            Actor::Admin => Some(Role::Admin),
        }
    }

    fn email(self) -> String {
        format!("{}@example.jp", self.key())
    }

    /// On the panels of every category now.
    fn on_panel(self) -> bool {
        matches!(self, Actor::Reviewer | Actor::ConflictedReviewer | Actor::DemotedReviewer)
    }
}

const PASSWORD: &str = "matrix-password-1";

// The world -----------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Ed {
    id: i64,
    stage: StageKind,
    round: i32,
    category: i64,
    question: i64,
    rubric: i64,
    criterion: i64,
}

#[derive(Clone, Debug)]
struct Nom {
    id: i64,
    edition: usize,
    owner: Actor,
    status: NominationStatus,
    consent: ConsentState,
}

#[derive(Clone, Debug)]
struct Asg {
    id: i64,
    nomination: usize,
    reviewer: Actor,
}

#[derive(Clone, Debug)]
struct Rec {
    id: i64,
    slug: String,
    status: PracticeStatus,
    nomination: Option<usize>,
    pending: bool,
    /// Prepared by the organiser (who therefore may not sign it off).
    prepared_by_organiser: bool,
    fingerprint: String,
}

/// A forum event: open for registration (questions open to all), past, or a draft.
#[derive(Clone, Debug)]
struct Ev {
    id: i64,
    slug: String,
    facts: EventFacts,
    session: i64,
    registration: i64,
    question: i64,
}

#[derive(Clone, Debug)]
struct World {
    events: Vec<Ev>,
    registration_token: String,
    users: BTreeMap<&'static str, i64>,
    editions: Vec<Ed>,
    nominations: Vec<Nom>,
    assignments: Vec<Asg>,
    records: Vec<Rec>,
    attachment: i64,
    consent_token: String,
    withdraw_token: String,
    invite_token: String,
    reset_token: String,
    email_token: String,
}

fn token_after(body: &str, marker: &str) -> String {
    body.split(marker).nth(1).unwrap().split(|c: char| c.is_whitespace()).next().unwrap().to_string()
}

fn given(scope: ConsentScope) -> ConsentState {
    ConsentState { status: ConsentStatus::Given, scope: Some(scope), photos: false }
}

/// One argon2 hash for every account of every world (hashing is what makes seeding slow).
fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let salt = SaltString::encode_b64(b"matrix-fixed-salt").unwrap();
        argon2::Argon2::default().hash_password(PASSWORD.as_bytes(), &salt).unwrap().to_string()
    })
}

async fn seed(state: &AppState) -> World {
    let c = state.db.conn();
    let now = Utc::now();
    let mut users = BTreeMap::new();
    for a in ACTORS.iter().skip(1) {
        let role = if *a == Actor::DemotedReviewer { Role::Reviewer } else { a.role().unwrap() };
        let u = repo::users::insert(c, &a.email(), a.key(), password_hash(), role, None, now).await.unwrap();
        repo::sessions::insert(
            c,
            &app::server::auth::token_hash(&format!("session-{}", a.key())),
            u.id,
            now,
            now + Duration::days(7),
        )
        .await
        .unwrap();
        users.insert(a.key(), u.id);
    }
    let uid = |a: Actor| users[a.key()];

    // Editions in the stages that matter: taking nominations, in review, deciding, results out.
    let mut editions = vec![];
    for (i, stage) in
        [StageKind::Nominations, StageKind::Review, StageKind::Decisions, StageKind::Results].into_iter().enumerate()
    {
        let e = repo::editions::insert(
            c,
            &format!("m{i}"),
            &format!("回{i}"),
            &format!("Ed {i}"),
            "conference_award",
            "2026",
            2026,
            false,
            now,
        )
        .await
        .unwrap();
        service::editions::add_default_categories(c, e.id).await.unwrap();
        repo::editions::upsert_stage(
            c,
            e.id,
            "nominations",
            0,
            1,
            Some(now - Duration::days(1)),
            Some(now + Duration::days(30)),
        )
        .await
        .unwrap();
        let round = if stage == StageKind::Review { 1 } else { 0 };
        service::stages::set_current(c, e.id, stage, round).await.unwrap();
        let rubric = service::rubrics::ensure_round(c, e.id, 1).await.unwrap();
        let criterion = repo::review::criteria(c, rubric.id).await.unwrap()[0].id;
        let cats = repo::editions::categories(c, e.id).await.unwrap();
        let category = cats.iter().find(|k| k.key == app::domain::category::CategoryKey::Corporate).unwrap().id;
        let question = repo::editions::insert_question(
            c,
            category,
            app::domain::category::QuestionKind::ShortText,
            "質問",
            "Question",
            "",
            "",
            "",
            false,
            false,
        )
        .await
        .unwrap();
        for a in ACTORS {
            if a.on_panel() {
                for k in &cats {
                    repo::review::add_panel_member(c, e.id, k.id, uid(a), now).await.unwrap();
                }
            }
        }
        if stage == StageKind::Results {
            let mut am: entities::edition::ActiveModel = repo::editions::find(c, e.id).await.unwrap().unwrap().into();
            am.results_published_at = Set(Some(now));
            am.update(c).await.unwrap();
        }
        editions.push(Ed { id: e.id, stage, round, category, question, rubric: rubric.id, criterion });
    }

    // Nominations: (edition, owner, submitted, consent, outcome).
    let specs: [(usize, Actor, bool, ConsentState, &str); 8] = [
        (0, Actor::Owner, false, ConsentState::NOT_ASKED, "undecided"),
        (1, Actor::Owner, true, given(ConsentScope::ReviewOnly), "undecided"),
        (1, Actor::Owner, true, ConsentState::NOT_ASKED, "undecided"),
        // A reviewer's own nomination, assigned to them by the old rules.
        (1, Actor::Reviewer, true, given(ConsentScope::ReviewOnly), "undecided"),
        (2, Actor::Owner, true, given(ConsentScope::ArchiveNamed), "undecided"),
        (
            2,
            Actor::Owner,
            true,
            ConsentState { status: ConsentStatus::Declined, scope: None, photos: false },
            "undecided",
        ),
        (3, Actor::Owner, true, given(ConsentScope::ArchiveNamed), "certified"),
        (3, Actor::Owner, true, given(ConsentScope::ArchiveAnonymised), "certified"),
    ];
    let mut nominations = vec![];
    for (edition, owner, submitted, consent, outcome) in specs {
        let ed = &editions[edition];
        let n = repo::nominations::insert_draft(c, ed.id, ed.category, uid(owner), now).await.unwrap();
        repo::consents::insert_initial(c, n.id, now).await.unwrap();
        let mut am: entities::nomination::ActiveModel = n.clone().into();
        am.title = Set(format!("推薦 {}", n.id));
        am.nominee_name = Set("株式会社マトリクス".into());
        am.nominee_type = Set("company".into());
        am.region = Set("saitama".into());
        am.summary = Set("通院と両立する働き方".into());
        am.relationship = Set("employer".into());
        am.featured_email = Set("featured@example.jp".into());
        am.sections_json = Set(r#"{"practice":{"source":"実践","html":"<p>実践</p>"}}"#.into());
        if submitted {
            am.status = Set(app::domain::nomination::NominationStatus::parse("submitted").unwrap());
            am.submitted_at = Set(Some(now));
            am.screening = Set(app::domain::nomination::Screening::parse("eligible").unwrap());
        }
        am.outcome = Set(app::domain::nomination::Outcome::parse(outcome).unwrap());
        am.update(c).await.unwrap();
        if consent != ConsentState::NOT_ASKED {
            repo::consents::record(
                c,
                n.id,
                ConsentState::NOT_ASKED,
                consent,
                false,
                app::domain::consent::ConsentActor::Organiser,
                Some(uid(Actor::Organiser)),
                now,
            )
            .await
            .unwrap();
        }
        let status = if submitted { NominationStatus::Submitted } else { NominationStatus::Draft };
        nominations.push(Nom { id: n.id, edition, owner, status, consent });
    }

    // Assignments: every reviewer kind on the consented entry in review; the assigned reviewer
    // also on the entry waiting for consent, on their own entry, and on the one being decided.
    let mut assignments = vec![];
    for (nomination, reviewer) in [
        (1, Actor::Reviewer),
        (1, Actor::ConflictedReviewer),
        (1, Actor::RemovedReviewer),
        (1, Actor::DemotedReviewer),
        (2, Actor::Reviewer),
        (3, Actor::Reviewer),
        (4, Actor::Reviewer),
    ] {
        let a = repo::review::insert_assignment(c, nominations[nomination].id, uid(reviewer), 1, "manual", now)
            .await
            .unwrap()
            .unwrap();
        assignments.push(Asg { id: a, nomination, reviewer });
    }
    // The conflicted reviewer declared a conflict on every entry after assignment.
    for n in &nominations {
        repo::review::insert_conflict(c, n.id, uid(Actor::ConflictedReviewer), "declared", "知人", None, now)
            .await
            .unwrap();
    }
    // The removed reviewer left every panel; the demoted one is a nominator again.
    for e in &editions {
        for k in repo::editions::categories(c, e.id).await.unwrap() {
            repo::review::remove_panel_member(c, e.id, k.id, uid(Actor::RemovedReviewer)).await.unwrap();
        }
    }
    repo::users::update_role(c, uid(Actor::DemotedReviewer), Role::Nominator, now).await.unwrap();

    // An attachment on the open draft.
    let attachment =
        repo::attachments::insert(c, nominations[0].id, "plan.pdf", "application/pdf", 5, "m/plan", "00", now)
            .await
            .unwrap()
            .id;
    state.storage.put("m/plan", b"%PDF-").await.unwrap();

    // Public records: published (named), prepared and pending sign-off, withdrawn.
    let org = service::accounts::to_viewer(&repo::users::get(c, uid(Actor::Organiser)).await.unwrap());
    let admin = service::accounts::to_viewer(&repo::users::get(c, uid(Actor::Admin)).await.unwrap());
    let mut records = vec![];
    let p1 = service::archive::prepare(state, Some(&admin), app::domain::ids::NominationId(nominations[6].id))
        .await
        .unwrap();
    service::archive::publish_for_test(state, p1).await.unwrap();
    let p2 =
        service::archive::prepare(state, Some(&org), app::domain::ids::NominationId(nominations[7].id)).await.unwrap();
    for (id, nomination, status, pending, by_org) in
        [(p1, 6, PracticeStatus::Published, false, false), (p2, 7, PracticeStatus::Draft, true, true)]
    {
        let p = repo::archive::find(c, id).await.unwrap().unwrap();
        let fingerprint = p
            .draft_json
            .as_deref()
            .and_then(|d| serde_json::from_str::<service::archive::PracticeDraft>(d).ok())
            .map(|d| d.fingerprint())
            .unwrap_or_default();
        records.push(Rec {
            id,
            slug: p.slug,
            status,
            nomination: Some(nomination),
            pending,
            prepared_by_organiser: by_org,
            fingerprint,
        });
    }
    // An imported record, withdrawn.
    let line = r#"{"title":"取り下げられた実践","category":"support","region":"saitama","edition":"過去回","year":2024,"summary":"概要","practice":"実践","consent_scope":"archive_named","nominee_name":"支援センター"}"#;
    service::archive::import(state, line, false, 10, &mut |_, _| {}).await.unwrap();
    let p3 = repo::archive::list_all(c).await.unwrap().into_iter().find(|p| p.title == "取り下げられた実践").unwrap();
    let mut am: entities::practice::ActiveModel = p3.clone().into();
    am.status = Set(PracticeStatus::Withdrawn);
    am.update(c).await.unwrap();
    records.push(Rec {
        id: p3.id,
        slug: p3.slug,
        status: PracticeStatus::Withdrawn,
        nomination: None,
        pending: false,
        prepared_by_organiser: false,
        fingerprint: String::new(),
    });

    // Links: a consent request (and, once answered on another nomination, a withdrawal link),
    // an invitation, a password reset. Read from the outbox before anything sends them.
    service::consent::request(
        state,
        Some(&org),
        app::domain::ids::NominationId(nominations[2].id),
        Some("wait@example.jp"),
    )
    .await
    .unwrap();
    let body = |to: &'static str| async move { repo::outbox::list_for(c, to).await.unwrap().pop().unwrap().body_text };
    let consent_token = token_after(&body("wait@example.jp").await, "/consent/");
    service::consent::request(
        state,
        Some(&org),
        app::domain::ids::NominationId(nominations[0].id),
        Some("draft@example.jp"),
    )
    .await
    .unwrap();
    let t = token_after(&body("draft@example.jp").await, "/consent/");
    service::consent::respond(state, &t, true, Some(ConsentScope::ReviewOnly), false, app::i18n::Locale::Ja)
        .await
        .unwrap();
    let withdraw_token = token_after(&body("draft@example.jp").await, "/consent/");
    nominations[0].consent = given(ConsentScope::ReviewOnly);
    service::panels::invite(state, Some(&org), editions[0].id, "newrev@example.jp", &[editions[0].category])
        .await
        .unwrap();
    let invite_token = token_after(&body("newrev@example.jp").await, "/invite/");
    service::accounts::request_password_reset(state, &Actor::Owner.email(), app::i18n::Locale::Ja, "10.0.0.1")
        .await
        .unwrap();
    let reset_token = token_after(&body("owner@example.jp").await, "token=");

    // Forum events: open (questions from anyone), past, draft; each with a session, a
    // registration and a question, and a registrant's link on the open one.
    let mut events = vec![];
    for (k, (slug, published, past, questions_public)) in
        [("m-open", true, false, true), ("m-past", true, true, false), ("m-draft", false, false, true)]
            .into_iter()
            .enumerate()
    {
        let start = now + Duration::days(30);
        let input = app::wire::forum::EventInput {
            title_ja: format!("催し {k}"),
            starts_at: app::domain::time::to_tokyo_input(start),
            ends_at: app::domain::time::to_tokyo_input(start + Duration::hours(3)),
            capacity: "50".into(),
            online: true,
            published,
            questions_public,
            retention_days: "90".into(),
            ..Default::default()
        };
        let id = service::forum::create(state, Some(&org), editions[0].id, slug, &input).await.unwrap();
        service::forum::add_session(
            state,
            Some(&org),
            id,
            &app::wire::forum::SessionInput { kind: "talk".into(), title_ja: "講演".into(), ..Default::default() },
        )
        .await
        .unwrap();
        let mut am: entities::event::ActiveModel = repo::forum::find_event(c, id).await.unwrap().unwrap().into();
        if past {
            am.starts_at = Set(now - Duration::days(3));
            am.ends_at = Set(now - Duration::days(3) + Duration::hours(3));
        }
        am.update(c).await.unwrap();
        let session = repo::forum::list_sessions(c, id).await.unwrap()[0].id;
        let reg = repo::forum::insert_registration(
            c,
            entities::event_registration::ActiveModel {
                event_id: Set(id),
                status: Set(RegStatus::Online),
                attendance: Set(Attendance::Online),
                name: Set("登録 花子".into()),
                furigana: Set("とうろく はなこ".into()),
                phone: Set("0481234567".into()),
                email: Set(format!("reg{k}@example.jp")),
                municipality: Set("川越市".into()),
                municipality_other: Set(String::new()),
                affiliation: Set("support".into()),
                needs: Set(String::new()),
                locale: Set("ja".into()),
                cancel_token_hash: Set(format!("matrix-{k}")),
                rules_ack_at: Set(now),
                privacy_ack_at: Set(now),
                created_at: Set(now),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let question = repo::forum::insert_question(
            c,
            entities::event_question::ActiveModel {
                event_id: Set(id),
                body: Set("質問".into()),
                status: Set(QuestionStatus::Pending),
                created_at: Set(now),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
        let window = if past { Window::Closed } else { Window::Open };
        events.push(Ev {
            id,
            slug: slug.into(),
            facts: EventFacts { published, window, questions_public },
            session,
            registration: reg.id,
            question,
        });
    }
    let linked = app::domain::forum::NewRegistration {
        name: "参加 一郎".into(),
        furigana: "さんか いちろう".into(),
        phone: "048-123-4567".into(),
        email: "linked@example.jp".into(),
        municipality: "川越市".into(),
        affiliation: "support".into(),
        attendance: "online".into(),
        rules_ack: true,
        privacy_ack: true,
        ..Default::default()
    };
    let res =
        service::forum::register(state, None, "m-open", linked, app::i18n::Locale::Ja, "192.0.2.1").await.unwrap();
    assert_eq!(res.status, RegStatus::Online);
    let registration_token = token_after(&body("linked@example.jp").await, "/events/cancel/");
    let other = service::accounts::to_viewer(&repo::users::get(c, uid(Actor::OtherNominator)).await.unwrap());
    service::my_data::request_email_change(state, Some(&other), "other-moved@example.jp", PASSWORD, "192.0.2.9")
        .await
        .unwrap();
    let email_token = token_after(&body("other-moved@example.jp").await, "/account/email/");
    World {
        events,
        registration_token,
        users,
        editions,
        nominations,
        assignments,
        records,
        attachment,
        consent_token,
        withdraw_token,
        invite_token,
        reset_token,
        email_token,
    }
}

// Expected decisions, from the test's own knowledge of its world --------------------------------

fn person(a: Actor, w: &World) -> Option<Person> {
    a.role().map(|role| Person { id: w.users[a.key()], role })
}

fn edition_facts(e: &Ed) -> EditionFacts {
    EditionFacts { stage: e.stage, round: e.round }
}

fn nomination_facts(a: Actor, w: &World, n: &Nom) -> NominationFacts {
    NominationFacts {
        edition: edition_facts(&w.editions[n.edition]),
        status: n.status,
        owner: a == n.owner,
        featured: false,
        self_nomination: false,
        consent: n.consent,
        on_panel: a.on_panel(),
        conflict_recorded: a == Actor::ConflictedReviewer,
    }
}

/// What an entry point is about, one value per object of the world.
#[derive(Clone, Copy, Debug)]
enum Obj {
    None,
    Edition(usize),
    Nomination(usize),
    Assignment(usize),
    Record(usize),
    Event(usize),
    Link,
}

fn objects(op: Op, w: &World) -> Vec<Obj> {
    use Op::*;
    match op {
        ReadPublic | Authenticate | Metrics | OwnAccount | PreviewText | ReviewQueue | ManageAccounts | Organise => {
            vec![Obj::None]
        }
        UseLink => vec![Obj::Link],
        StartNomination | ReadEdition | ManageEdition | MoveStage | ManagePanels | Assign | EditRubric | Decide
        | PublishResults | ExportScores | ExportNominations | ReadAudit => {
            (0..w.editions.len()).map(Obj::Edition).collect()
        }
        ViewNomination | EditNomination | WithdrawNomination | ManageAttachments | DownloadAttachment
        | RequestConsent | WithdrawConsent | RecordConsent | Screen | RecordConflict | AddAssignment
        | DecideNomination | PrepareRecord | ReadFeedback | RequestExtension | DecideExtension => {
            (0..w.nominations.len()).map(Obj::Nomination).collect()
        }
        ReadSheet | Score | DeclareConflict | RemoveAssignment | ModerateFeedback | PaceAssignment => {
            (0..w.assignments.len()).map(Obj::Assignment).collect()
        }
        ViewRecord | EditRecord | SignOffRecord | Unpublish => (0..w.records.len()).map(Obj::Record).collect(),
        ViewEvent | Register | AskQuestion | ManageEvent | ReadRegistrations => {
            (0..w.events.len()).map(Obj::Event).collect()
        }
    }
}

fn target(a: Actor, w: &World, o: Obj) -> Target {
    match o {
        Obj::None => Target::Platform,
        Obj::Link => Target::Link,
        Obj::Event(i) => Target::Event(w.events[i].facts),
        Obj::Edition(i) => Target::Edition(edition_facts(&w.editions[i])),
        Obj::Nomination(i) => Target::Nomination(nomination_facts(a, w, &w.nominations[i])),
        Obj::Assignment(i) => {
            let x = &w.assignments[i];
            Target::Assignment(AssignmentFacts {
                nomination: nomination_facts(a, w, &w.nominations[x.nomination]),
                mine: a == x.reviewer,
                round: 1,
            })
        }
        Obj::Record(i) => {
            let r = &w.records[i];
            let consent_allows = r.nomination.is_none_or(|n| w.nominations[n].consent.allows_archive());
            Target::Practice(PracticeFacts {
                status: r.status,
                consent_allows: consent_allows || r.status != PracticeStatus::Published,
                has_pending_draft: r.pending,
                prepared_by_asker: r.prepared_by_organiser && a == Actor::Organiser,
                nomination: r.nomination.map(|n| nomination_facts(a, w, &w.nominations[n])),
            })
        }
    }
}

fn refusal_status(r: Refusal) -> u16 {
    match r {
        Refusal::SignIn => 401,
        Refusal::NotFound => 404,
        Refusal::Forbidden => 403,
        Refusal::StageClosed | Refusal::ConsentMissing => 409,
        Refusal::Gone => 410,
    }
}

// Requests ------------------------------------------------------------------------------------

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The form body of a call to server function `name` about `o`. Every registered function must
/// have one (a new function without it fails the test).
fn server_fn_args(name: &str, w: &World, o: Obj, a: Actor) -> Option<String> {
    let ed = |i: usize| &w.editions[i];
    let ev = match o {
        Obj::Event(i) => Some(&w.events[i]),
        _ => None,
    };
    let (e, n, asg, rec) = match o {
        Obj::Edition(i) => (Some(ed(i)), None, None, None),
        Obj::Nomination(i) => (Some(ed(w.nominations[i].edition)), Some(&w.nominations[i]), None, None),
        Obj::Assignment(i) => {
            let x = &w.assignments[i];
            (Some(ed(w.nominations[x.nomination].edition)), Some(&w.nominations[x.nomination]), Some(x), None)
        }
        Obj::Record(i) => (None, None, None, Some(&w.records[i])),
        _ => (None, None, None, None),
    };
    let eid = e.map(|e| e.id).unwrap_or(0);
    let nid = n.map(|n| n.id).unwrap_or(0);
    let aid = asg.map(|x| x.id).unwrap_or(0);
    let rid = rec.map(|r| r.id).unwrap_or(0);
    let rev = w.users[Actor::Reviewer.key()];
    let unique = format!("{}-{}", a.key(), nid + eid + aid + rid);
    Some(match name {
        "get_viewer" | "sign_out" | "list_accounts" | "list_archive_candidates" | "list_synonyms" | "list_editions"
        | "list_open_editions" | "list_my_nominations" | "get_review_queue" | "list_pending_sign_offs" => String::new(),
        "sign_in" => format!("email={}&password={PASSWORD}", enc(&Actor::Owner.email())),
        "sign_up" => format!("email=new-{unique}%40example.jp&display_name=New&password=new-password-123"),
        "request_password_reset" => "email=someone%40example.jp".into(),
        "reset_password" => format!("token={}&password=reset-pass-123&password_confirm=reset-pass-123", w.reset_token),
        "switch_locale" => "to=en&next=%2F".into(),
        "change_role" => format!("user_id={}&role=reviewer", w.users[Actor::OtherNominator.key()]),
        "search_archive" => "filters[q]=%E5%AE%9F%E8%B7%B5&filters[page]=1".into(),
        "get_practice" => format!("slug={}", rec?.slug),
        "prepare_practice" => format!("nomination_id={nid}"),
        "get_practice_edit" | "get_sign_off" | "unpublish_practice" => format!("id={rid}"),
        "save_practice_draft" => format!("id={rid}&title=T&summary=S&tags=a&sections[practice]=P"),
        "sign_off_practice" => format!("id={rid}&fingerprint={}", rec?.fingerprint),
        "add_synonyms" => "words=%E3%81%8C%E3%82%93%2C%E7%99%8C".into(),
        "delete_synonyms" => "id=1".into(),
        "create_edition" => format!("input[slug]=new-{unique}&input[name_ja]=N&input[mode]=award&input[start_year]=2027"),
        "get_edition_categories" | "get_edition_settings" | "get_panels" | "get_assignment_board" | "auto_assign"
        | "list_rubrics" | "open_next_round" | "publish_results" => format!("edition_id={eid}"),
        "list_edition_nominations" => format!("edition_id={eid}&category=&status=&consent="),
        "set_nomination_window" => {
            format!("edition_id={eid}&opens_at=2026-01-01T00%3A00&closes_at=2030-01-01T00%3A00")
        }
        "add_question" => format!("edition_id={eid}&category_id={}&input[kind]=short_text&input[label_ja]=Q", e?.category),
        "delete_question" => format!("edition_id={eid}&category_id={}&question_id={}", e?.category, e?.question),
        "update_edition_settings" => format!(
            "edition_id={eid}&input[reviewers_per_nomination]=3&input[min_scored_for_normalisation]=5&input[disagreement_threshold]=1.0"
        ),
        "set_stage_times" => format!("edition_id={eid}&kind=review&round=1&starts_at=&ends_at="),
        "move_stage" => format!("edition_id={eid}&target=screening&reason=matrix"),
        "screen_nomination" => format!("id={nid}&decision=eligible&note=&amend_until="),
        "invite_reviewer" => format!("edition_id={eid}&email=x-{unique}%40example.jp&categories[{}]=on", e?.category),
        "set_reviewer_cap" => format!("edition_id={eid}&user_id={rev}&cap=5"),
        "remove_panel_member" => format!("edition_id={eid}&category_id={}&user_id={rev}", e?.category),
        "record_conflict" => format!("edition_id={eid}&nomination_id={nid}&reviewer_id={rev}&reason=r"),
        "add_assignment" => format!("edition_id={eid}&nomination_id={nid}&reviewer_id={rev}"),
        "remove_assignment" => format!("edition_id={eid}&assignment_id={aid}"),
        "add_criterion" => format!(
            "edition_id={eid}&rubric_id={}&input[name_ja]=C&input[weight]=1&input[anchors]=",
            e?.rubric
        ),
        "remove_criterion" => format!("edition_id={eid}&rubric_id={}&criterion_id={}", e?.rubric, e?.criterion),
        "create_category_rubric" => format!("edition_id={eid}&category_id={}&round=1", e?.category),
        "get_ranking" => format!("edition_id={eid}"),
        "set_shortlist" => format!("edition_id={eid}&nomination_id={nid}&shortlisted=on"),
        "decide_outcome" => format!("edition_id={eid}&nomination_id={nid}&outcome=certified"),
        "get_audit" => format!("edition_id={eid}&action="),
        "get_consent_request" | "withdraw_consent_by_link" => format!("token={}", w.withdraw_token),
        "answer_consent" => format!("token={}&decision=give&scope=review_only", w.consent_token),
        "start_nomination" => format!("edition_id={eid}&category=corporate"),
        "get_nomination" | "withdraw_nomination" | "withdraw_consent" => format!("id={nid}"),
        "save_nomination" => format!("id={nid}&version=1&input[title]=T&input[summary]=S"),
        "submit_nomination" => format!("id={nid}&dialogue_ack=on"),
        "delete_attachment" => format!("id={nid}&attachment_id={}", w.attachment),
        "request_consent" => format!("id={nid}&email=featured%40example.jp"),
        "record_consent" => format!("id={nid}&decision=give&scope=review_only"),
        "preview_markdown" => "text=**x**".into(),
        "get_review_sheet" => format!("assignment_id={aid}"),
        "save_review" => format!("assignment_id={aid}&internal_comment=&comment_to_nominee="),
        "declare_conflict" => format!("assignment_id={aid}&reason=r"),
        "get_feedback" => format!("id={nid}"),
        "list_feedback_comments" | "get_calibration" => format!("edition_id={eid}"),
        "moderate_comment" => format!("assignment_id={aid}&decision=accept&text=&reason="),
        "pause_assignment" => format!("assignment_id={aid}&paused=on"),
        "hand_back_assignment" => format!("assignment_id={aid}&note=n"),
        "request_extension" => format!("id={nid}&days=3&reason=r"),
        "decide_extension" => format!(
            "id={nid}&decision=grant&until={}",
            enc(&app::domain::time::to_tokyo_input(Utc::now() + Duration::days(3)))
        ),
        "list_extension_requests" => format!("edition_id={eid}"),
        "get_my_account" | "get_deletion_preview" => String::new(),
        "update_profile" => "display_name=Renamed&locale=en".into(),
        "change_password" => format!("current_password={PASSWORD}&new_password=changed-pass-123&password_confirm=changed-pass-123"),
        "request_email_change" => format!("email=moved-{unique}%40example.jp&password={PASSWORD}"),
        "confirm_email_change" => format!("token={}", w.email_token),
        "delete_account" => format!("password={PASSWORD}&confirm=on"),
        "get_featured_data" | "erase_featured_data" => format!("token={}", w.withdraw_token),
        "list_events" | "list_organiser_events" => String::new(),
        "get_event" | "get_registration_form" => format!("slug={}", ev?.slug),
        "register_for_event" => format!(
            "slug={}&input[name]=N&input[furigana]=%E3%81%AA&input[phone]=0481234567&input[email]=r-{unique}%40example.jp&input[municipality]=%E5%B7%9D%E8%B6%8A%E5%B8%82&input[affiliation]=support&input[attendance]=online&input[rules_ack]=on&input[privacy_ack]=on",
            ev?.slug
        ),
        "get_registration_by_link" | "cancel_registration" => format!("token={}", w.registration_token),
        "ask_question_by_link" => format!("token={}&body=Q&rules_ack=on", w.registration_token),
        "ask_question" => format!("slug={}&body=Q&rules_ack=on", ev?.slug),
        "create_event" => format!(
            "edition_id={}&slug=ev-{unique}&input[title_ja]=T&input[starts_at]=2030-01-01T10%3A00&input[ends_at]=2030-01-01T12%3A00",
            w.editions[0].id
        ),
        "get_event_admin" | "list_registrations" | "list_event_questions" | "send_online_link" => {
            format!("id={}", ev?.id)
        }
        "update_event" => format!(
            "id={}&input[title_ja]=T&input[starts_at]=2030-01-01T10%3A00&input[ends_at]=2030-01-01T12%3A00&input[capacity]=60&input[published]=on",
            ev?.id
        ),
        "add_event_session" => format!("id={}&input[kind]=talk&input[title_ja]=S", ev?.id),
        "remove_event_session" => format!("id={}&session_id={}", ev?.id, ev?.session),
        "send_event_notice" => format!("id={}&subject=S&body=B", ev?.id),
        "check_in" => format!("id={}&registration_id={}&present=1", ev?.id, ev?.registration),
        "moderate_question" => format!("id={}&question_id={}&decision=accepted", ev?.id, ev?.question),
        "get_invitation" => format!("token={}", w.invite_token),
        "accept_invitation" => format!("token={}&display_name=N&password=new-password-123", w.invite_token),
        _ => return None,
    })
}

/// A plain route's request about `o` (path with the object's id).
fn route_request(line: &str, w: &World, o: Obj) -> Option<(Method, String)> {
    let (method, path) = line.split_once(' ')?;
    let method = Method::from_bytes(method.as_bytes()).ok()?;
    let id = match o {
        Obj::Edition(i) => w.editions[i].id.to_string(),
        Obj::Nomination(i) => w.nominations[i].id.to_string(),
        Obj::Record(i) => w.records[i].id.to_string(),
        Obj::Event(i) => w.events[i].id.to_string(),
        _ => String::new(),
    };
    let path = match path {
        "/attachments/{id}" => format!("/attachments/{}", w.attachment),
        "/events/{slug}/event.ics" => match o {
            Obj::Event(i) => format!("/events/{}/event.ics", w.events[i].slug),
            _ => "/events/none/event.ics".into(),
        },
        "/sitemaps/{file}" => "/sitemaps/1.xml".into(),
        "/consent/{token}/export.json" => format!("/consent/{}/export.json", w.withdraw_token),
        p if o_is_none(o) => p.replace("{id}", "1"),
        p => p.replace("{id}", &id),
    };
    Some((method, path))
}

fn o_is_none(o: Obj) -> bool {
    matches!(o, Obj::None)
}

/// A page's path about `o`.
fn page_path(pattern: &str, w: &World, o: Obj) -> String {
    let id = match o {
        Obj::Edition(i) => w.editions[i].id.to_string(),
        Obj::Nomination(i) => w.nominations[i].id.to_string(),
        Obj::Assignment(i) => w.assignments[i].id.to_string(),
        Obj::Record(i) => w.records[i].id.to_string(),
        Obj::Event(i) => w.events[i].id.to_string(),
        _ => String::new(),
    };
    let slug = match o {
        Obj::Event(i) => w.events[i].slug.clone(),
        _ => "none".into(),
    };
    match pattern {
        "/events/:slug" => format!("/events/{slug}"),
        "/events/:slug/register" => format!("/events/{slug}/register"),
        "/events/cancel/:token" => format!("/events/cancel/{}", w.registration_token),
        "/practices/:slug" => match o {
            Obj::Record(i) => format!("/practices/{}", w.records[i].slug),
            _ => "/practices/0".into(),
        },
        "/consent/:token" => format!("/consent/{}", w.withdraw_token),
        "/invite/:token" => format!("/invite/{}", w.invite_token),
        "/account/email/:token" => format!("/account/email/{}", w.email_token),
        p => p.replace(":id", &id),
    }
}

fn request(method: Method, path: &str, body: Option<String>, a: Actor) -> Request<Body> {
    let mut r = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, ORIGIN)
        .header(header::ACCEPT, "application/json");
    if a != Actor::Anonymous {
        r = r.header(header::COOKIE, format!("gp_session=session-{}", a.key()));
    }
    match body {
        Some(b) => r.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from(b)).unwrap(),
        None => r.body(Body::empty()).unwrap(),
    }
}

fn page_request(path: &str, a: Actor) -> Request<Body> {
    let mut r = Request::get(path).header(header::HOST, "127.0.0.1:3000").header(header::ACCEPT, "text/html");
    if a != Actor::Anonymous {
        r = r.header(header::COOKIE, format!("gp_session=session-{}", a.key()));
    }
    r.body(Body::empty()).unwrap()
}

// Worlds: one seeded template, copied for every call that may change it -------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Backend {
    Sqlite,
    Postgres,
}

struct Worlds {
    backend: Backend,
    dir: std::path::PathBuf,
    /// SQLite: the template file. PostgreSQL: the admin URL and the template database name.
    template: String,
    pg_admin: String,
    copies: std::sync::atomic::AtomicU32,
    made: std::sync::Mutex<Vec<String>>,
}

fn config(url: &str, dir: &std::path::Path) -> Config {
    let mut config = Config::from_lookup(|k| (k == "DATABASE_URL").then(|| url.to_string())).unwrap();
    config.mail = MailTransport::Dir(dir.join("mail"));
    config.upload_dir = dir.join("uploads");
    config
}

async fn open(url: &str, dir: &std::path::Path) -> (Router, AppState) {
    let db = Db::connect(url, 4).await.unwrap();
    db.migrate().await.unwrap();
    let state = AppState::new(db, config(url, dir)).await.unwrap();
    let router = server::router(state.clone(), server::leptos_options("127.0.0.1:3000".parse().unwrap()));
    (router, state)
}

fn pg_url_for(base: &str, db: &str) -> String {
    let (prefix, rest) = base.rsplit_once('/').unwrap();
    let query = rest.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    format!("{prefix}/{db}{query}")
}

impl Worlds {
    async fn new(backend: Backend) -> (Worlds, World) {
        let dir = std::env::temp_dir().join("gp-matrix").join(format!(
            "{}-{:?}-{}",
            std::process::id(),
            backend,
            Utc::now().timestamp_micros()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}?mode=rwc", dir.join("seed.sqlite3").display());
                let (_, state) = open(&url, &dir).await;
                let world = seed(&state).await;
                let template = dir.join("template.sqlite3");
                state.db.conn().execute_unprepared(&format!("VACUUM INTO '{}'", template.display())).await.unwrap();
                let w = Worlds {
                    backend,
                    dir,
                    template: template.display().to_string(),
                    pg_admin: String::new(),
                    copies: Default::default(),
                    made: Default::default(),
                };
                (w, world)
            }
            Backend::Postgres => {
                let base = std::env::var("GP_TEST_PG_URL").expect("GP_TEST_PG_URL (run scripts/test.sh)");
                let admin = pg_url_for(&base, "postgres");
                let name = format!("gp_matrix_{}_{}", std::process::id(), Utc::now().timestamp_micros() % 1_000_000);
                let conn = sea_orm::Database::connect(admin.clone()).await.unwrap();
                conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\" LOCALE 'C.UTF-8' TEMPLATE template0"))
                    .await
                    .unwrap();
                conn.close().await.ok();
                let (_, state) = open(&pg_url_for(&base, &name), &dir).await;
                let world = seed(&state).await;
                state.db.conn().clone().close().await.ok();
                let w = Worlds {
                    backend,
                    dir,
                    template: name.clone(),
                    pg_admin: admin,
                    copies: Default::default(),
                    made: std::sync::Mutex::new(vec![name]),
                };
                (w, world)
            }
        }
    }

    /// A fresh copy of the seeded world, with its own router.
    async fn copy(&self) -> (Router, AppState) {
        let n = self.copies.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        match self.backend {
            Backend::Sqlite => {
                let file = self.dir.join(format!("w{n}.sqlite3"));
                std::fs::copy(&self.template, &file).unwrap();
                open(&format!("sqlite://{}?mode=rwc", file.display()), &self.world_dir(n)).await
            }
            Backend::Postgres => {
                let name = format!("{}_w{n}", self.template);
                let conn = sea_orm::Database::connect(self.pg_admin.clone()).await.unwrap();
                conn.execute_unprepared(&format!("CREATE DATABASE \"{name}\" TEMPLATE \"{}\"", self.template))
                    .await
                    .unwrap();
                conn.close().await.ok();
                self.made.lock().unwrap().push(name.clone());
                open(&pg_url_for(&std::env::var("GP_TEST_PG_URL").unwrap(), &name), &self.world_dir(n)).await
            }
        }
    }

    /// Each copy has its own files (attachments, mail), with the seeded attachment in place.
    fn world_dir(&self, n: u32) -> std::path::PathBuf {
        let dir = self.dir.join(format!("files-{n}"));
        std::fs::create_dir_all(dir.join("uploads/m")).unwrap();
        std::fs::write(dir.join("uploads/m/plan"), b"%PDF-").unwrap();
        dir
    }

    async fn drop_all(&self) {
        if self.backend == Backend::Postgres {
            let conn = sea_orm::Database::connect(self.pg_admin.clone()).await.unwrap();
            let names: Vec<String> = self.made.lock().unwrap().drain(..).collect();
            for name in names {
                conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.ok();
            }
            conn.close().await.ok();
        }
    }
}

// The matrix -----------------------------------------------------------------------------------

/// Calls that only read: answered on one shared world.
fn reads_only(surface: Surface, name: &str) -> bool {
    match surface {
        Surface::ServerFn => ["get_", "list_", "search_", "preview_"].iter().any(|p| name.starts_with(p)),
        Surface::Route => name.starts_with("GET ") || name.starts_with("OPTIONS "),
        Surface::Page => true,
        Surface::Cli => true,
    }
}

#[derive(Default)]
struct Tally {
    cells: usize,
    allowed: usize,
    refused: usize,
    failures: Vec<String>,
}

async fn status_of(router: &Router, req: Request<Body>) -> (u16, String) {
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let body = to_bytes(res.into_body(), 1 << 22).await.unwrap();
    (status, String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned())
}

fn judge(t: &mut Tally, what: &str, expected: Result<(), Refusal>, got: u16, body: &str) {
    t.cells += 1;
    match expected {
        Ok(()) => {
            t.allowed += 1;
            if matches!(got, 400 | 401 | 403 | 404 | 410) || got >= 500 {
                t.failures.push(format!("{what}: allowed by the policy, answered {got}: {body}"));
            }
        }
        Err(r) => {
            t.refused += 1;
            if got != refusal_status(r) {
                t.failures.push(format!("{what}: refused ({r:?}) by the policy, answered {got}: {body}"));
            }
        }
    }
}

async fn matrix(backend: Backend) {
    let (worlds, w) = Worlds::new(backend).await;
    let (shared, _state) = worlds.copy().await;
    let mut t = Tally::default();
    let mut unknown = vec![];

    // Server functions, from the server-function registry.
    let mut fns: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    fns.sort();
    fns.dedup();
    assert!(fns.len() >= 74, "the registry lists {} server functions", fns.len());
    for name in &fns {
        let Some(ep) = entry_point(Surface::ServerFn, name) else {
            unknown.push(format!("server fn {name}"));
            continue;
        };
        let read = reads_only(Surface::ServerFn, name);
        for o in objects(ep.op, &w) {
            for a in ACTORS {
                let expected = decide(person(a, &w).as_ref(), ep.op, &target(a, &w, o));
                let Some(body) = server_fn_args(name, &w, o, a) else {
                    unknown.push(format!("server fn {name} has no arguments in this test"));
                    break;
                };
                let req = request(Method::POST, &format!("/api/{name}"), Some(body), a);
                let (got, text) = if read || expected.is_err() {
                    status_of(&shared, req).await
                } else {
                    // An allowed change runs on its own copy of the world.
                    let (router, _s) = worlds.copy().await;
                    status_of(&router, req).await
                };
                judge(&mut t, &format!("{name} {o:?} as {a:?}"), expected, got, &text);
            }
        }
        // No state-changing function answers GET.
        if !read {
            let (got, _) = status_of(&shared, request(Method::GET, &format!("/api/{name}"), None, Actor::Admin)).await;
            t.cells += 1;
            if (200..300).contains(&got) {
                t.failures.push(format!("{name} answered GET with {got}"));
            }
        }
    }

    // Plain HTTP routes, from the route registry (filled when the router was built).
    for line in server::registry::routes() {
        let Some(ep) = entry_point(Surface::Route, &line) else {
            unknown.push(format!("route {line}"));
            continue;
        };
        // The download is about the attachment's own nomination (the open draft).
        let objs = if line == "GET /attachments/{id}" { vec![Obj::Nomination(0)] } else { objects(ep.op, &w) };
        for o in objs {
            for a in ACTORS {
                let expected = decide(person(a, &w).as_ref(), ep.op, &target(a, &w, o));
                let (method, path) = route_request(&line, &w, o).unwrap();
                if method == Method::POST {
                    // The upload: a small PDF as multipart.
                    let boundary = "matrixboundary";
                    let body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 x\r\n--{boundary}--\r\n");
                    let mut req = request(method, &path, None, a);
                    *req.body_mut() = Body::from(body);
                    req.headers_mut().insert(
                        header::CONTENT_TYPE,
                        format!("multipart/form-data; boundary={boundary}").parse().unwrap(),
                    );
                    let (router, _s) = worlds.copy().await;
                    let (got, text) = status_of(&router, req).await;
                    // Refusals of the upload answer with their status; accepted or not, an
                    // allowed upload returns to the nomination page (303).
                    judge(&mut t, &format!("{line} {o:?} as {a:?}"), expected, got, &text);
                    continue;
                }
                let (got, text) = status_of(&shared, request(method, &path, None, a)).await;
                judge(&mut t, &format!("{line} {o:?} as {a:?}"), expected, got, &text);
            }
        }
    }

    // Pages, from the app's route list.
    let mut pages: Vec<String> = server::route_list()
        .iter()
        .map(|r| {
            r.path()
                .split('/')
                .map(|s| if s.starts_with('{') { format!(":{}", s.trim_matches(['{', '}'])) } else { s.to_string() })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    pages.sort();
    pages.dedup();
    for pattern in &pages {
        let pattern = if pattern.is_empty() { "/".to_string() } else { pattern.clone() };
        let Some(ep) = entry_point(Surface::Page, &pattern) else {
            unknown.push(format!("page {pattern}"));
            continue;
        };
        for o in objects(ep.op, &w) {
            for a in ACTORS {
                let expected = decide(person(a, &w).as_ref(), ep.op, &target(a, &w, o));
                let (got, text) = status_of(&shared, page_request(&page_path(&pattern, &w, o), a)).await;
                judge(&mut t, &format!("page {pattern} {o:?} as {a:?}"), expected, got, &text);
            }
        }
    }

    // Operator commands, from the CLI definition.
    use clap::CommandFactory;
    for cmd in server::cli::Cli::command().get_subcommands() {
        if entry_point(Surface::Cli, cmd.get_name()).is_none() {
            unknown.push(format!("command {}", cmd.get_name()));
        }
    }

    worlds.drop_all().await;
    eprintln!(
        "policy matrix on {backend:?}: {} cells ({} allowed, {} refused), {} copies of the world",
        t.cells,
        t.allowed,
        t.refused,
        worlds.copies.load(std::sync::atomic::Ordering::SeqCst)
    );
    assert!(unknown.is_empty(), "entry points the policy does not know:\n{}", unknown.join("\n"));
    assert!(
        t.failures.is_empty(),
        "{} of {} cells disagree with the policy:\n{}",
        t.failures.len(),
        t.cells,
        t.failures.join("\n")
    );
    // Every listed entry point still exists (a stale line would hide a renamed one).
    for ep in ENTRY_POINTS {
        let present = match ep.surface {
            Surface::ServerFn => fns.iter().any(|f| f == ep.name),
            Surface::Route => server::registry::routes().iter().any(|r| r == ep.name),
            Surface::Page => pages.iter().any(|p| p == ep.name || (p.is_empty() && ep.name == "/")),
            Surface::Cli => server::cli::Cli::command().get_subcommands().any(|c| c.get_name() == ep.name),
        };
        assert!(present, "the policy lists {:?} {} which is not registered", ep.surface, ep.name);
    }
}

/// Both backends in one runtime, one after the other: the server's rendering spawns onto the
/// runtime it first met, so two test runtimes in one process must not take turns with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_entry_point_follows_the_policy_on_sqlite_and_postgres() {
    matrix(Backend::Sqlite).await;
    matrix(Backend::Postgres).await;
}
