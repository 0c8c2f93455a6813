//! The trust core, one test per defect found reading the platform as an attacker would: each
//! names what it proves and failed on the code before the one policy. Both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::collections::BTreeMap;

use app::domain::account::Role;
use app::domain::consent::ConsentScope;
use app::domain::edition::StageKind;
use app::domain::ids::NominationId;
use app::domain::validation::Problem;
use app::error::AppError;
use app::i18n::Locale;
use app::server::{repo, service, AppState};
use app::wire::{ArchiveFilters, Viewer};
use common::fixtures::*;

fn filters(q: &str) -> ArchiveFilters {
    ArchiveFilters { q: q.into(), page: 1, ..Default::default() }
}

async fn hits(state: &AppState, q: &str) -> usize {
    service::archive::search(state, &filters(q)).await.unwrap().total
}

async fn fingerprint(state: &AppState, who: &Viewer, practice: i64) -> String {
    service::archive::edit_view(state, Some(who), practice).await.unwrap().fingerprint
}

/// A nomination of 株式会社テスト, certified, results out, its consent given by the organiser
/// with `scope`; returns (organiser, second organiser, nominator, nomination).
async fn recognised(state: &AppState, scope: ConsentScope) -> (Viewer, Viewer, Viewer, NominationId) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let edition = open_edition(state, "trust").await;
    let org = account(state, "org@example.jp", Role::Organiser).await;
    let org2 = account(state, "org2@example.jp", Role::Organiser).await;
    let nominator = account(state, "nom@example.jp", Role::Nominator).await;
    let id = service::nominations::start(state, Some(&nominator), edition, "corporate").await.unwrap();
    service::nominations::save(state, Some(&nominator), id, 1, complete_input()).await.unwrap();
    service::nominations::submit(state, Some(&nominator), id, true, Locale::Ja).await.unwrap();
    service::consent::record_by_organiser(state, Some(&org), id, true, Some(scope), true).await.unwrap();
    let n = repo::nominations::find(state.db.conn(), id.0).await.unwrap().unwrap();
    let mut am: app::server::entities::nomination::ActiveModel = n.into();
    am.outcome = Set(app::domain::nomination::Outcome::parse("certified").unwrap());
    am.screening = Set(app::domain::nomination::Screening::parse("eligible").unwrap());
    am.update(state.db.conn()).await.unwrap();
    let e = repo::editions::find(state.db.conn(), edition.0).await.unwrap().unwrap();
    let mut am: app::server::entities::edition::ActiveModel = e.into();
    am.results_published_at = Set(Some(chrono::Utc::now()));
    am.current_stage = Set(app::domain::edition::StageKind::parse("results").unwrap());
    am.update(state.db.conn()).await.unwrap();
    (org, org2, nominator, id)
}

/// Prepares and signs off the public record (text without the name), returns its id.
async fn published(state: &AppState, org: &Viewer, org2: &Viewer, id: NominationId) -> i64 {
    let p = service::archive::prepare(state, Some(org), id).await.unwrap();
    let fp = fingerprint(state, org2, p).await;
    service::archive::sign_off(state, Some(org2), p, &fp).await.unwrap();
    p
}

// 1 ------------------------------------------------------------------------------------------

async fn narrowing_consent_to_anonymised_takes_the_name_off_the_record_and_the_index(state: AppState) {
    let (org, org2, _, id) = recognised(&state, ConsentScope::ArchiveNamed).await;
    let p = published(&state, &org, &org2, id).await;
    let v = service::archive::record(&state, None, &p.to_string()).await.unwrap();
    assert_eq!(v.nominee_name.as_deref(), Some("株式会社テスト"));
    assert_eq!(hits(&state, "株式会社テスト").await, 1);
    let version = service::archive::current_version(&state).await.unwrap();
    // "Please remove my name": the organiser records the narrowed consent.
    service::consent::record_by_organiser(&state, Some(&org), id, true, Some(ConsentScope::ArchiveAnonymised), false)
        .await
        .unwrap();
    let v = service::archive::record(&state, None, &p.to_string()).await.unwrap();
    assert_eq!(v.nominee_name, None);
    assert_eq!(hits(&state, "株式会社テスト").await, 0, "the name is no longer searchable");
    assert_eq!(hits(&state, "通院").await, 1, "the record itself stays public");
    assert!(service::archive::current_version(&state).await.unwrap() > version, "caches are dropped");
    let row = repo::archive::find(state.db.conn(), p).await.unwrap().unwrap();
    assert_eq!(row.consent_scope, "archive_anonymised");
    assert!(!row.photos, "photos withdrawn with it");
}

async fn narrowing_a_self_nominations_own_consent_reaches_the_archive_too(state: AppState) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let edition = open_edition(&state, "self").await;
    let org = account(&state, "org@example.jp", Role::Organiser).await;
    let org2 = account(&state, "org2@example.jp", Role::Organiser).await;
    let me = account(&state, "me@example.jp", Role::Nominator).await;
    let id = service::nominations::start(&state, Some(&me), edition, "people").await.unwrap();
    let mut input = complete_input();
    input.relationship = "self".into();
    input.nominee_type = "person".into();
    input.nominee_name = "山本 さくら".into();
    input.nominee_kana = "やまもと さくら".into();
    input.featured_email = String::new();
    input.self_consent_scope = "archive_named".into();
    service::nominations::save(&state, Some(&me), id, 1, input.clone()).await.unwrap();
    service::nominations::submit(&state, Some(&me), id, true, Locale::Ja).await.unwrap();
    let n = repo::nominations::find(state.db.conn(), id.0).await.unwrap().unwrap();
    let version = n.version;
    let mut am: app::server::entities::nomination::ActiveModel = n.into();
    am.outcome = Set(app::domain::nomination::Outcome::parse("certified").unwrap());
    am.update(state.db.conn()).await.unwrap();
    let e = repo::editions::find(state.db.conn(), edition.0).await.unwrap().unwrap();
    let mut am: app::server::entities::edition::ActiveModel = e.into();
    am.results_published_at = Set(Some(chrono::Utc::now()));
    am.update(state.db.conn()).await.unwrap();
    let p = published(&state, &org, &org2, id).await;
    assert_eq!(hits(&state, "山本").await, 1);
    // The nominator, who is the person featured, narrows their own consent on the form (the
    // window is still open in this edition).
    input.self_consent_scope = "archive_anonymised".into();
    service::nominations::save(&state, Some(&me), id, version, input).await.unwrap();
    let v = service::archive::record(&state, None, &p.to_string()).await.unwrap();
    assert_eq!(v.nominee_name, None);
    assert_eq!(hits(&state, "山本").await, 0);
}

async fn a_narrowed_record_whose_own_text_names_the_person_is_taken_down(state: AppState) {
    let (org, org2, _, id) = recognised(&state, ConsentScope::ArchiveNamed).await;
    let p = service::archive::prepare(&state, Some(&org), id).await.unwrap();
    let draft = service::archive::PracticeDraft {
        title: "株式会社テストの通院支援".into(),
        summary: "通院と両立".into(),
        ..Default::default()
    };
    service::archive::save_draft(&state, Some(&org), p, draft).await.unwrap();
    let fp = fingerprint(&state, &org2, p).await;
    service::archive::sign_off(&state, Some(&org2), p, &fp).await.unwrap();
    service::consent::record_by_organiser(&state, Some(&org), id, true, Some(ConsentScope::ArchiveAnonymised), false)
        .await
        .unwrap();
    // The title itself names the company: it cannot stay public without the name removed.
    assert_eq!(service::archive::record(&state, None, &p.to_string()).await.err(), Some(AppError::Gone));
    assert_eq!(hits(&state, "通院").await, 0);
}

// 2 ------------------------------------------------------------------------------------------

async fn an_anonymised_import_that_names_its_person_is_refused_by_line(state: AppState) {
    let good = r#"{"title":"在宅勤務","category":"corporate","region":"saitama","edition":"過去回","year":2024,"summary":"概要","practice":"実践","consent_scope":"archive_anonymised","nominee_name":"山本 さくら"}"#;
    let leak = r#"{"title":"在宅勤務","category":"corporate","region":"saitama","edition":"過去回","year":2024,"summary":"概要","practice":"山本さくらさんの工夫","consent_scope":"archive_anonymised","nominee_name":"山本 さくら"}"#;
    let tag = r#"{"title":"時差出勤","category":"corporate","region":"saitama","edition":"過去回","year":2024,"summary":"概要","practice":"実践","tags":["山本 さくら"],"consent_scope":"archive_anonymised","nominee_name":"山本 さくら"}"#;
    let text = format!("{good}\n{leak}\n{tag}\n");
    let report = service::archive::import(&state, &text, false, 10, &mut |_, _| {}).await.unwrap();
    assert_eq!(report.imported, 0, "nothing is imported when a line is bad");
    let lines: Vec<usize> = report.errors.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [2, 3]);
    for (_, problems) in &report.errors {
        assert!(problems.iter().any(|p| p.field == "nominee_name" && p.problem == Problem::NameInPublicText));
    }
    // The good line alone goes through the one publish path: published, audited, indexed.
    let report = service::archive::import(&state, good, false, 10, &mut |_, _| {}).await.unwrap();
    assert_eq!(report.imported, 1);
    assert_eq!(hits(&state, "在宅勤務").await, 1);
    assert_eq!(hits(&state, "山本").await, 0);
    let audit = repo::audit::list(state.db.conn(), None, Some("archive.published"), None, 10).await.unwrap();
    assert_eq!(audit.len(), 1);
}

// 3, 4, 5 ----------------------------------------------------------------------------------------

struct Review {
    org: Viewer,
    reviewer: Viewer,
    edition: i64,
    /// Nominated by the reviewer; consented.
    own: NominationId,
    /// Consented (review only).
    consented: NominationId,
    /// Featured party never asked.
    waiting: NominationId,
}

/// An edition in review with one reviewer on every panel who also nominated an entry.
async fn in_review(state: &AppState) -> Review {
    let edition = open_edition(state, "rv").await;
    let org = account(state, "org@example.jp", Role::Organiser).await;
    let nominator = account(state, "nom@example.jp", Role::Nominator).await;
    let reviewer = account(state, "rev@example.jp", Role::Reviewer).await;
    let mut ids = vec![];
    for (who, title) in [(&reviewer, "審査員自身の推薦"), (&nominator, "同意済み"), (&nominator, "同意待ち")]
    {
        let id = service::nominations::start(state, Some(who), edition, "corporate").await.unwrap();
        let mut input = complete_input();
        input.title = title.into();
        service::nominations::save(state, Some(who), id, 1, input).await.unwrap();
        service::nominations::submit(state, Some(who), id, true, Locale::Ja).await.unwrap();
        ids.push(id);
    }
    for id in &ids[..2] {
        service::consent::record_by_organiser(state, Some(&org), *id, true, Some(ConsentScope::ReviewOnly), false)
            .await
            .unwrap();
    }
    let now = chrono::Utc::now();
    for cat in repo::editions::categories(state.db.conn(), edition.0).await.unwrap() {
        repo::review::add_panel_member(state.db.conn(), edition.0, cat.id, reviewer.id.0, now).await.unwrap();
    }
    service::stages::move_to(state, Some(&org), edition.0, StageKind::Screening, 0, "t").await.unwrap();
    for id in &ids {
        service::screening::screen(state, Some(&org), *id, "eligible", "", "").await.unwrap();
    }
    service::stages::move_to(state, Some(&org), edition.0, StageKind::Review, 1, "t").await.unwrap();
    Review { org, reviewer, edition: edition.0, own: ids[0], consented: ids[1], waiting: ids[2] }
}

async fn assignment_of(state: &AppState, n: NominationId, reviewer: &Viewer) -> Option<i64> {
    repo::review::assignments_of_reviewer(state.db.conn(), reviewer.id.0)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.nomination_id == n.0)
        .map(|a| a.id)
}

async fn a_reviewer_is_never_given_or_shown_their_own_nomination(state: AppState) {
    let w = in_review(&state).await;
    service::assigning::auto(&state, Some(&w.org), w.edition).await.unwrap();
    assert!(assignment_of(&state, w.own, &w.reviewer).await.is_none(), "not assigned automatically");
    assert!(assignment_of(&state, w.consented, &w.reviewer).await.is_some());
    assert!(matches!(
        service::assigning::add(&state, Some(&w.org), w.own, w.reviewer.id.0).await,
        Err(AppError::Validation(_))
    ));
    // Even an assignment left over from before is closed to them: sheet, scores, queue.
    let legacy =
        repo::review::insert_assignment(state.db.conn(), w.own.0, w.reviewer.id.0, 1, "manual", chrono::Utc::now())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(service::reviewing::sheet(&state, Some(&w.reviewer), legacy).await.err(), Some(AppError::NotFound));
    assert_eq!(
        service::reviewing::save(&state, Some(&w.reviewer), legacy, &BTreeMap::new(), "", "", false).await.err(),
        Some(AppError::NotFound)
    );
    let queue = service::reviewing::queue(&state, Some(&w.reviewer)).await.unwrap();
    assert!(queue.items.iter().all(|i| i.nomination_id != w.own));
    // The board offers them for the others, not for their own entry.
    let board = service::assigning::board(&state, Some(&w.org), w.edition).await.unwrap();
    let own_row = board.rows.iter().find(|r| r.nomination_id == w.own).unwrap();
    assert!(own_row.available.iter().all(|(id, _)| *id != w.reviewer.id.0));
}

async fn review_access_ends_when_a_reviewer_is_demoted_or_leaves_the_panel(state: AppState) {
    let w = in_review(&state).await;
    service::assigning::auto(&state, Some(&w.org), w.edition).await.unwrap();
    let a = assignment_of(&state, w.consented, &w.reviewer).await.unwrap();
    assert!(service::reviewing::sheet(&state, Some(&w.reviewer), a).await.is_ok());
    // Demoted by an admin: the role is read on every request, nothing cached at sign-in.
    let admin = account(&state, "admin@example.jp", Role::Admin).await;
    service::accounts::change_role(&state.db, Some(&admin), w.reviewer.id, Role::Nominator).await.unwrap();
    let demoted = service::accounts::to_viewer(&repo::users::get(state.db.conn(), w.reviewer.id.0).await.unwrap());
    assert_eq!(service::reviewing::sheet(&state, Some(&demoted), a).await.err(), Some(AppError::NotFound));
    assert_eq!(service::reviewing::queue(&state, Some(&demoted)).await.err(), Some(AppError::Forbidden));
    // Made a reviewer again, but removed from the panel: still closed.
    service::accounts::change_role(&state.db, Some(&admin), w.reviewer.id, Role::Reviewer).await.unwrap();
    assert!(service::reviewing::sheet(&state, Some(&w.reviewer), a).await.is_ok());
    for cat in repo::editions::categories(state.db.conn(), w.edition).await.unwrap() {
        service::panels::remove_member(&state, Some(&w.org), w.edition, cat.id, w.reviewer.id.0).await.unwrap();
    }
    assert_eq!(service::reviewing::sheet(&state, Some(&w.reviewer), a).await.err(), Some(AppError::NotFound));
    assert_eq!(
        service::reviewing::save(&state, Some(&w.reviewer), a, &BTreeMap::new(), "", "", false).await.err(),
        Some(AppError::NotFound)
    );
    assert!(service::reviewing::queue(&state, Some(&w.reviewer)).await.unwrap().items.is_empty());
    // An organiser who joined a panel does not score (the table says organisers never do).
    let now = chrono::Utc::now();
    for cat in repo::editions::categories(state.db.conn(), w.edition).await.unwrap() {
        repo::review::add_panel_member(state.db.conn(), w.edition, cat.id, w.org.id.0, now).await.unwrap();
    }
    let own = repo::review::insert_assignment(state.db.conn(), w.consented.0, w.org.id.0, 1, "manual", now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        service::reviewing::save(&state, Some(&w.org), own, &BTreeMap::new(), "", "", false).await.err(),
        Some(AppError::NotFound)
    );
}

async fn an_entry_without_consent_to_review_reaches_no_reviewer_and_cannot_be_decided(state: AppState) {
    let w = in_review(&state).await;
    service::assigning::auto(&state, Some(&w.org), w.edition).await.unwrap();
    assert!(assignment_of(&state, w.waiting, &w.reviewer).await.is_none(), "not assigned while waiting");
    let board = service::assigning::board(&state, Some(&w.org), w.edition).await.unwrap();
    assert!(board.waiting_for_consent.iter().any(|(id, _)| *id == w.waiting), "listed for organisers");
    assert!(board.rows.iter().all(|r| r.nomination_id != w.waiting));
    assert!(matches!(
        service::assigning::add(&state, Some(&w.org), w.waiting, w.reviewer.id.0).await,
        Err(AppError::ConsentMissing)
    ));
    // An assignment from before is closed until consent arrives.
    let legacy =
        repo::review::insert_assignment(state.db.conn(), w.waiting.0, w.reviewer.id.0, 1, "manual", chrono::Utc::now())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(service::reviewing::sheet(&state, Some(&w.reviewer), legacy).await.err(), Some(AppError::NotFound));
    // The nominator is told kindly.
    let nominator = service::accounts::to_viewer(
        &repo::users::find_by_email(state.db.conn(), "nom@example.jp").await.unwrap().unwrap(),
    );
    assert!(service::nominations::detail(&state, Some(&nominator), w.waiting).await.unwrap().waiting_for_consent);
    assert!(!service::nominations::detail(&state, Some(&nominator), w.consented).await.unwrap().waiting_for_consent);
    service::stages::move_to(&state, Some(&w.org), w.edition, StageKind::Decisions, 0, "t").await.unwrap();
    assert_eq!(
        service::results::decide(&state, Some(&w.org), w.waiting, "certified").await.err(),
        Some(AppError::ConsentMissing)
    );
    assert!(service::results::decide(&state, Some(&w.org), w.consented, "certified").await.is_ok());
    // Consent arrives: the entry reaches the reviewer.
    service::consent::record_by_organiser(&state, Some(&w.org), w.waiting, true, Some(ConsentScope::ReviewOnly), false)
        .await
        .unwrap();
    assert!(service::reviewing::sheet(&state, Some(&w.reviewer), legacy).await.is_ok());
}

// 6 ------------------------------------------------------------------------------------------

async fn sign_off_takes_someone_entitled_who_saw_the_text_and_unpublishing_clears_drafts(state: AppState) {
    let (org, org2, nominator, id) = recognised(&state, ConsentScope::ArchiveNamed).await;
    let n = repo::nominations::find(state.db.conn(), id.0).await.unwrap().unwrap();
    let panel = account(&state, "panel@example.jp", Role::Reviewer).await;
    let other_panel = account(&state, "other-panel@example.jp", Role::Reviewer).await;
    let conflicted = account(&state, "conflicted@example.jp", Role::Reviewer).await;
    let now = chrono::Utc::now();
    let cats = repo::editions::categories(state.db.conn(), n.edition_id).await.unwrap();
    for r in [&panel, &conflicted] {
        repo::review::add_panel_member(state.db.conn(), n.edition_id, n.category_id, r.id.0, now).await.unwrap();
    }
    let elsewhere = cats.iter().find(|c| c.id != n.category_id).unwrap();
    repo::review::add_panel_member(state.db.conn(), n.edition_id, elsewhere.id, other_panel.id.0, now).await.unwrap();
    repo::review::insert_conflict(state.db.conn(), id.0, conflicted.id.0, "declared", "知人", None, now).await.unwrap();
    let p = service::archive::prepare(&state, Some(&org), id).await.unwrap();
    let fp = fingerprint(&state, &org2, p).await;
    // Who may not: the preparer, a reviewer of another category, a conflicted reviewer, the nominator.
    assert_eq!(service::archive::sign_off(&state, Some(&org), p, &fp).await.err(), Some(AppError::Forbidden));
    for who in [&other_panel, &conflicted, &nominator] {
        assert_eq!(service::archive::sign_off(&state, Some(who), p, &fp).await.err(), Some(AppError::NotFound));
        assert_eq!(service::archive::sign_off_view(&state, Some(who), p).await.err(), Some(AppError::NotFound));
    }
    // A reviewer of that panel sees the text in the list and on the sign-off screen …
    let pending = service::archive::pending_sign_offs(&state, Some(&panel)).await.unwrap();
    assert_eq!(pending.iter().map(|x| x.id).collect::<Vec<_>>(), [p]);
    assert!(service::archive::pending_sign_offs(&state, Some(&other_panel)).await.unwrap().is_empty());
    let shown = service::archive::sign_off_view(&state, Some(&panel), p).await.unwrap();
    assert_eq!(shown.fingerprint, fp);
    assert!(shown.sections.iter().any(|(k, _)| k == "practice"));
    // … but if the text changes after it was shown, their approval does not publish it.
    let draft =
        service::archive::PracticeDraft { title: "別の題".into(), summary: "要約".into(), ..Default::default() };
    service::archive::save_draft(&state, Some(&org), p, draft).await.unwrap();
    assert_eq!(
        service::archive::sign_off(&state, Some(&panel), p, &shown.fingerprint).await.err(),
        Some(AppError::StaleEdit)
    );
    let fresh = service::archive::sign_off_view(&state, Some(&panel), p).await.unwrap();
    service::archive::sign_off(&state, Some(&panel), p, &fresh.fingerprint).await.unwrap();
    assert_eq!(service::archive::record(&state, None, &p.to_string()).await.unwrap().title, "別の題");
    // Unpublishing clears any pending text, so a taken-down record cannot be signed back up.
    let draft =
        service::archive::PracticeDraft { title: "再公開".into(), summary: "要約".into(), ..Default::default() };
    service::archive::save_draft(&state, Some(&org), p, draft).await.unwrap();
    let fp = fingerprint(&state, &org2, p).await;
    service::archive::unpublish(&state, Some(&org2), p).await.unwrap();
    assert_eq!(service::archive::sign_off(&state, Some(&org2), p, &fp).await.err(), Some(AppError::NotFound));
    assert_eq!(service::archive::record(&state, None, &p.to_string()).await.err(), Some(AppError::Gone));
}

// 7 ------------------------------------------------------------------------------------------

async fn a_nominator_cannot_manufacture_consent_or_relay_mail(state: AppState) {
    let edition = open_edition(&state, "relay").await;
    let nominator = account(&state, "nom@example.jp", Role::Nominator).await;
    let id = service::nominations::start(&state, Some(&nominator), edition, "corporate").await.unwrap();
    let mut input = complete_input();
    input.title = "=HYPERLINK(\"http://evil.example\") 今すぐクリック".into();
    // Their own address as the featured person's: refused on the form …
    input.featured_email = "NOM@example.jp".into();
    let err = service::nominations::save(&state, Some(&nominator), id, 1, input.clone()).await.unwrap_err();
    assert_eq!(err.field_errors()[0].problem, Problem::OwnAddress);
    input.featured_email = "featured@example.jp".into();
    service::nominations::save(&state, Some(&nominator), id, 1, input).await.unwrap();
    // … and when sending the request.
    let err = service::consent::request(&state, Some(&nominator), id, Some(" Nom@Example.jp ")).await.unwrap_err();
    assert_eq!(err.field_errors()[0].problem, Problem::OwnAddress);
    // At most three requests a day, worded by the system: none of the nominator's text.
    for _ in 0..service::consent::REQUESTS_PER_DAY {
        service::consent::request(&state, Some(&nominator), id, Some("featured@example.jp")).await.unwrap();
    }
    let err =
        service::consent::request(&state, Some(&nominator), id, Some("someone-else@example.jp")).await.unwrap_err();
    assert_eq!(err.field_errors()[0].problem, Problem::DailyLimit { max: 3 });
    let mails = repo::outbox::list_for(state.db.conn(), "featured@example.jp").await.unwrap();
    assert_eq!(mails.len(), 3);
    assert!(repo::outbox::list_for(state.db.conn(), "someone-else@example.jp").await.unwrap().is_empty());
    for m in mails {
        assert!(
            !m.body_text.contains("HYPERLINK") && !m.body_text.contains("evil") && !m.subject.contains("HYPERLINK")
        );
        assert!(!m.body_text.contains("テスト 利用者"), "no name the nominator chose");
    }
}

// 8 ------------------------------------------------------------------------------------------

async fn exports_neutralise_cells_that_excel_would_run(state: AppState) {
    let w = in_review(&state).await;
    let nominator = service::accounts::to_viewer(
        &repo::users::find_by_email(state.db.conn(), "nom@example.jp").await.unwrap().unwrap(),
    );
    // A nominator's title and a reviewer's comment, each a formula.
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let n = repo::nominations::find(state.db.conn(), w.consented.0).await.unwrap().unwrap();
    let mut am: app::server::entities::nomination::ActiveModel = n.into();
    am.title = Set("=HYPERLINK(\"http://evil.example\",\"x\")".into());
    am.summary = Set("@SUM(1+1)".into());
    am.update(state.db.conn()).await.unwrap();
    let _ = nominator;
    service::assigning::auto(&state, Some(&w.org), w.edition).await.unwrap();
    let a = assignment_of(&state, w.consented, &w.reviewer).await.unwrap();
    let rubric = service::rubrics::ensure_round(state.db.conn(), w.edition, 1).await.unwrap();
    let scores: BTreeMap<String, String> = repo::review::criteria(state.db.conn(), rubric.id)
        .await
        .unwrap()
        .iter()
        .map(|k| (k.id.to_string(), "4".to_string()))
        .collect();
    service::reviewing::save(&state, Some(&w.reviewer), a, &scores, "+cmd|' /C calc'!A0", "-2+3", true).await.unwrap();
    let csv = String::from_utf8(
        service::nominations::export_csv(
            &state,
            Some(&w.org),
            app::domain::ids::EditionId(w.edition),
            &Default::default(),
        )
        .await
        .unwrap(),
    )
    .unwrap();
    assert!(csv.contains("'=HYPERLINK") && csv.contains("'@SUM"), "{csv}");
    assert!(!csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"));
    let scores =
        String::from_utf8(service::results::export_csv(&state, Some(&w.org), w.edition, 1, false).await.unwrap())
            .unwrap();
    assert!(scores.contains("'+cmd") && scores.contains("'=HYPERLINK"), "{scores}");
    for line in scores.lines().chain(csv.lines()) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '@']), "{cell} in {line}");
        }
    }
}

// 9 ------------------------------------------------------------------------------------------

async fn a_parallel_burst_of_wrong_passwords_is_counted_before_any_hashing(state: AppState) {
    account(&state, "burst@example.jp", Role::Nominator).await;
    let mut tasks = vec![];
    for _ in 0..20 {
        let s = state.clone();
        tasks.push(tokio::spawn(async move {
            service::accounts::sign_in(&s, "burst@example.jp", "wrong-password", "10.9.9.9", None).await.err()
        }));
    }
    let mut wrong = 0;
    let mut limited = 0;
    for t in tasks {
        match t.await.unwrap() {
            Some(AppError::InvalidCredentials) => wrong += 1,
            Some(AppError::TooManyAttempts { .. }) => limited += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(wrong as u64, service::accounts::ACCOUNT_LIMIT, "only the limit reached the password check");
    assert_eq!(limited, 20 - wrong);
    // Even the right password is refused now.
    assert!(matches!(
        service::accounts::sign_in(&state, "burst@example.jp", "a-long-password-1", "10.9.9.8", None).await,
        Err(AppError::TooManyAttempts { .. })
    ));
}

async fn a_reset_with_a_guessed_link_is_refused_before_hashing_and_limited(state: AppState) {
    let started = std::time::Instant::now();
    let mut refused = 0;
    for i in 0..12 {
        match service::accounts::reset_password(
            &state,
            &format!("guess-{i}"),
            "new-password-123",
            "new-password-123",
            "10.1.1.1",
        )
        .await
        {
            Err(AppError::LinkInvalid) => refused += 1,
            Err(AppError::TooManyAttempts { .. }) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(refused, 10, "ten guesses per address, then the limit");
    // No hashing happened: twelve Argon2 hashes take seconds, twelve refusals do not.
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
}

// 11 -----------------------------------------------------------------------------------------

async fn one_time_links_leave_the_outbox_once_sent(state: AppState) {
    account(&state, "links@example.jp", Role::Nominator).await;
    service::accounts::request_password_reset(&state, "links@example.jp", Locale::Ja, "10.2.2.2").await.unwrap();
    let before = repo::outbox::list_for(state.db.conn(), "links@example.jp").await.unwrap();
    let reset = before.iter().find(|m| m.kind == "password_reset").unwrap();
    assert!(reset.body_text.contains("token="));
    let transport = app::server::mail::Transport::build(&state.config.mail).unwrap();
    let from = state.config.mail_from.parse().unwrap();
    app::server::mail::drain(&state, &transport, &from).await.unwrap();
    let after = repo::outbox::list_for(state.db.conn(), "links@example.jp").await.unwrap();
    let reset = after.iter().find(|m| m.kind == "password_reset").unwrap();
    assert_eq!(reset.status, "sent");
    assert!(!reset.body_text.contains("token="), "{}", reset.body_text);
    assert!(!reset.body_text.contains("/reset-password"), "{}", reset.body_text);
}

async fn result_mails_link_to_the_site_with_an_absolute_address(state: AppState) {
    let w = in_review(&state).await;
    service::stages::move_to(&state, Some(&w.org), w.edition, StageKind::Decisions, 0, "t").await.unwrap();
    service::results::decide(&state, Some(&w.org), w.consented, "certified").await.unwrap();
    service::results::publish(&state, Some(&w.org), w.edition).await.unwrap();
    let mails = repo::outbox::list_for(state.db.conn(), "nom@example.jp").await.unwrap();
    let result = mails.iter().find(|m| m.kind == "results_published").unwrap();
    let link = format!("{}/nominations/{}", state.config.public_url, w.consented.0);
    assert!(result.body_text.contains(&link), "{}", result.body_text);
}

on_both_backends!(
    narrowing_consent_to_anonymised_takes_the_name_off_the_record_and_the_index,
    narrowing_a_self_nominations_own_consent_reaches_the_archive_too,
    a_narrowed_record_whose_own_text_names_the_person_is_taken_down,
    an_anonymised_import_that_names_its_person_is_refused_by_line,
    a_reviewer_is_never_given_or_shown_their_own_nomination,
    review_access_ends_when_a_reviewer_is_demoted_or_leaves_the_panel,
    an_entry_without_consent_to_review_reaches_no_reviewer_and_cannot_be_decided,
    sign_off_takes_someone_entitled_who_saw_the_text_and_unpublishing_clears_drafts,
    a_nominator_cannot_manufacture_consent_or_relay_mail,
    exports_neutralise_cells_that_excel_would_run,
    a_parallel_burst_of_wrong_passwords_is_counted_before_any_hashing,
    a_reset_with_a_guessed_link_is_refused_before_hashing_and_limited,
    one_time_links_leave_the_outbox_once_sent,
    result_mails_link_to_the_site_with_an_absolute_address,
);

/// PostgreSQL picks one of two transactions that wait on each other as the deadlock victim. The
/// victim's error is `Contended` (not a 500, not a plain "busy"), and `retry_contended` runs the
/// same work again until it commits; the winner's write and the victim's retried write both land.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deadlock_victim_is_run_again_postgres() {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    use sea_orm::ConnectionTrait;
    let state = common::fresh_state(common::Backend::Postgres).await;
    let bump = |name: &'static str| {
        sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            format!("UPDATE archive_meta SET value = value + 1 WHERE name = '{name}'"),
        )
    };
    let before = (
        repo::archive::meta_value(state.db.conn(), "version").await.unwrap(),
        repo::archive::meta_value(state.db.conn(), "forum").await.unwrap(),
    );
    // A holds "version" and wants "forum"; B holds "forum" and wants "version".
    let a_holds = Arc::new(tokio::sync::Barrier::new(2));
    let tries = Arc::new(AtomicU32::new(0));
    let a = {
        let (state, barrier, tries) = (state.clone(), a_holds.clone(), tries.clone());
        tokio::spawn(async move {
            app::server::db::retry_contended(|| {
                let (state, barrier, tries) = (state.clone(), barrier.clone(), tries.clone());
                async move {
                    let first = tries.fetch_add(1, Ordering::SeqCst) == 0;
                    let tx = state.db.begin().await?;
                    tx.execute_raw(bump("version")).await?;
                    if first {
                        barrier.wait().await;
                    }
                    tx.execute_raw(bump("forum")).await?;
                    tx.commit().await?;
                    Ok::<_, AppError>(())
                }
            })
            .await
        })
    };
    let tx = state.db.begin().await.unwrap();
    tx.execute_raw(bump("forum")).await.unwrap();
    a_holds.wait().await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let b = tx.execute_raw(bump("version")).await;
    let b_won = match b {
        Ok(_) => {
            tx.commit().await.unwrap();
            true
        }
        Err(e) => {
            // B was the victim: that is the same error kind, seen without the retry.
            assert_eq!(AppError::from(e), AppError::Contended);
            drop(tx);
            false
        }
    };
    a.await.unwrap().unwrap();
    let after = (
        repo::archive::meta_value(state.db.conn(), "version").await.unwrap(),
        repo::archive::meta_value(state.db.conn(), "forum").await.unwrap(),
    );
    if b_won {
        // A lost, ran again and committed: both of its bumps once, and B's.
        assert!(tries.load(Ordering::SeqCst) >= 2, "the victim was not run again");
        assert_eq!(after, (before.0 + 2, before.1 + 2));
    } else {
        assert_eq!(after, (before.0 + 1, before.1 + 1));
    }
}

/// The retry gives up after a bounded number of tries with the kind "busy" answer, and never
/// re-runs work that failed for another reason.
#[tokio::test]
async fn contended_work_is_retried_a_bounded_number_of_times() {
    use std::sync::atomic::{AtomicU32, Ordering};
    let tries = AtomicU32::new(0);
    let r: Result<(), AppError> = app::server::db::retry_contended(|| async {
        tries.fetch_add(1, Ordering::SeqCst);
        Err(AppError::Contended)
    })
    .await;
    assert_eq!(r, Err(AppError::Busy));
    assert_eq!(tries.load(Ordering::SeqCst), app::server::db::CONTENDED_TRIES);
    let tries = AtomicU32::new(0);
    let r: Result<(), AppError> = app::server::db::retry_contended(|| async {
        tries.fetch_add(1, Ordering::SeqCst);
        Err(AppError::StaleEdit)
    })
    .await;
    assert_eq!(r, Err(AppError::StaleEdit));
    assert_eq!(tries.load(Ordering::SeqCst), 1);
}
