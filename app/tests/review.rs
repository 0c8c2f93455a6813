//! Review through the services: a conflicted reviewer sees nothing of the entry anywhere,
//! permissions follow the stage table, the rubric locks once scored, blind mode hides what it
//! should, screening and results reach the nominator, and two processes racing the scheduler
//! on one PostgreSQL make exactly one transition.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::collections::BTreeMap;

use app::domain::account::Role;
use app::domain::edition::StageKind;
use app::domain::ids::{EditionId, NominationId};
use app::domain::nomination::NominatorStatus;
use app::error::AppError;
use app::i18n::Locale;
use app::server::{repo, service, AppState};
use app::wire::Viewer;
use common::fixtures::*;

struct World {
    edition: EditionId,
    organiser: Viewer,
    nominator: Viewer,
    reviewers: Vec<Viewer>,
    nominations: Vec<NominationId>,
}

/// An edition in review round 1 with three eligible nominations and three reviewers on every
/// panel (two per entry).
async fn world(state: &AppState) -> World {
    let edition = open_edition(state, "rev").await;
    let organiser = account(state, "org@example.jp", Role::Organiser).await;
    let nominator = account(state, "nom@example.jp", Role::Nominator).await;
    let mut nominations = vec![];
    for (i, cat) in ["corporate", "corporate", "support"].into_iter().enumerate() {
        let id = service::nominations::start(state, Some(&nominator), edition, cat).await.unwrap();
        let mut input = complete_input();
        input.title = format!("実践 {i}");
        service::nominations::save(state, Some(&nominator), id, 1, input).await.unwrap();
        service::nominations::submit(state, Some(&nominator), id, true, Locale::Ja).await.unwrap();
        nominations.push(id);
    }
    // The featured organisation consented to review (on paper; the organiser records it).
    for id in &nominations {
        service::consent::record_by_organiser(
            state,
            Some(&organiser),
            *id,
            true,
            Some(app::domain::consent::ConsentScope::ReviewOnly),
            false,
        )
        .await
        .unwrap();
    }
    let mut reviewers = vec![];
    let now = chrono::Utc::now();
    for i in 0..3 {
        let r = account(state, &format!("rev{i}@example.jp"), Role::Reviewer).await;
        for cat in repo::editions::categories(state.db.conn(), edition.0).await.unwrap() {
            repo::review::add_panel_member(state.db.conn(), edition.0, cat.id, r.id.0, now).await.unwrap();
        }
        reviewers.push(r);
    }
    let e = repo::editions::find(state.db.conn(), edition.0).await.unwrap().unwrap();
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let mut am: app::server::entities::edition::ActiveModel = e.into();
    am.reviewers_per_nomination = Set(2);
    am.update(state.db.conn()).await.unwrap();
    service::stages::move_to(state, Some(&organiser), edition.0, StageKind::Screening, 0, "test").await.unwrap();
    for id in &nominations {
        service::screening::screen(state, Some(&organiser), *id, "eligible", "", "").await.unwrap();
    }
    service::stages::move_to(state, Some(&organiser), edition.0, StageKind::Review, 1, "test").await.unwrap();
    World { edition, organiser, nominator, reviewers, nominations }
}

fn scores(values: &[(i64, i32)]) -> BTreeMap<String, String> {
    values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

async fn criteria(state: &AppState, w: &World) -> Vec<i64> {
    let r = service::rubrics::ensure_round(state.db.conn(), w.edition.0, 1).await.unwrap();
    repo::review::criteria(state.db.conn(), r.id).await.unwrap().into_iter().map(|k| k.id).collect()
}

async fn a_conflicted_reviewer_never_sees_the_nomination_anywhere(state: AppState) {
    let w = world(&state).await;
    let target = w.nominations[0];
    let conflicted = &w.reviewers[0];
    // A known conflict, recorded before assignment.
    service::panels::record_conflict(&state, Some(&w.organiser), target, conflicted.id.0, "同じ組織").await.unwrap();
    let gaps = service::assigning::auto(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    assert!(gaps.is_empty(), "{gaps:?}");

    // Queue and counts.
    let q = service::reviewing::queue(&state, Some(conflicted)).await.unwrap();
    assert!(q.items.iter().all(|i| i.nomination_id != target));
    assert_eq!(q.total, q.items.len());
    // The assignments never paired them.
    let a = repo::review::assignments_for_nominations(state.db.conn(), &[target.0], 1).await.unwrap();
    assert_eq!(a.len(), 2);
    assert!(a.iter().all(|x| x.reviewer_id != conflicted.id.0));
    // Server functions that could reveal it: the nomination view, attachments, sheets.
    assert_eq!(service::nominations::detail(&state, Some(conflicted), target).await.err(), Some(AppError::NotFound));
    let att = service::attachments::add(&state, Some(&w.nominator), target, "a.pdf", b"%PDF-1.4").await;
    // (Adding needs the window; after screening it is closed, so attach via the repo for this check.)
    let _ = att;
    let row = repo::attachments::insert(
        state.db.conn(),
        target.0,
        "a.pdf",
        "application/pdf",
        8,
        "x/y",
        "0",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(
        service::attachments::download(&state, Some(conflicted), app::domain::ids::AttachmentId(row.id)).await.err(),
        Some(AppError::NotFound)
    );
    for other in &a {
        assert_eq!(service::reviewing::sheet(&state, Some(conflicted), other.id).await.err(), Some(AppError::NotFound));
        assert_eq!(
            service::reviewing::save(&state, Some(conflicted), other.id, &BTreeMap::new(), "", "", false).await.err(),
            Some(AppError::NotFound)
        );
    }
    // No assignment e-mail mentions it: mails name no entries at all, and count only their own.
    let mails = repo::outbox::list_for(state.db.conn(), &conflicted.email).await.unwrap();
    let mine = q.items.len();
    assert!(mails.iter().all(|m| !m.body_text.contains("実践 0")));
    assert!(mails.iter().any(|m| m.subject.contains(&format!("{mine}件"))));
    // Organiser-only surfaces refuse reviewers outright.
    assert_eq!(
        service::results::ranking(&state, Some(conflicted), w.edition.0, None, None).await.err(),
        Some(AppError::Forbidden)
    );
    assert_eq!(
        service::results::export_csv(&state, Some(conflicted), w.edition.0, 1, false).await.err(),
        Some(AppError::Forbidden)
    );
    assert_eq!(service::assigning::board(&state, Some(conflicted), w.edition.0).await.err(), Some(AppError::Forbidden));
    assert_eq!(service::panels::view(&state, Some(conflicted), w.edition.0).await.err(), Some(AppError::Forbidden));
    assert_eq!(
        service::results::audit(&state, Some(conflicted), w.edition.0, "", None).await.err(),
        Some(AppError::Forbidden)
    );
}

async fn peers_scores_leave_out_nothing_but_never_reach_a_conflicted_reviewer(state: AppState) {
    let w = world(&state).await;
    let ks = criteria(&state, &w).await;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let e = repo::editions::find(state.db.conn(), w.edition.0).await.unwrap().unwrap();
    let mut am: app::server::entities::edition::ActiveModel = e.into();
    am.show_peer_scores = Set(true);
    am.update(state.db.conn()).await.unwrap();
    service::assigning::auto(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    let target = w.nominations[0];
    let pair = repo::review::assignments_for_nominations(state.db.conn(), &[target.0], 1).await.unwrap();
    let (first, second) = (&pair[0], &pair[1]);
    let r1 = w.reviewers.iter().find(|r| r.id.0 == first.reviewer_id).unwrap();
    let r2 = w.reviewers.iter().find(|r| r.id.0 == second.reviewer_id).unwrap();
    let all: Vec<(i64, i32)> = ks.iter().map(|k| (*k, 4)).collect();
    service::reviewing::save(&state, Some(r1), first.id, &scores(&all), "memo", "", true).await.unwrap();
    // Before submitting their own, the second reviewer sees no peers.
    assert!(service::reviewing::sheet(&state, Some(r2), second.id).await.unwrap().peers.is_none());
    service::reviewing::save(&state, Some(r2), second.id, &scores(&all), "memo", "", true).await.unwrap();
    let peers = service::reviewing::sheet(&state, Some(r2), second.id).await.unwrap().peers.unwrap();
    assert_eq!(peers.len(), 1);
    assert_eq!(peers[0].label, "A");
    assert!((peers[0].total.unwrap() - 4.0).abs() < 1e-9);
    // Once r2 declares a conflict… the submitted sheet stays, but r2 sees nothing more.
    service::panels::record_conflict(&state, Some(&w.organiser), target, r2.id.0, "後から判明").await.unwrap();
    assert_eq!(service::reviewing::sheet(&state, Some(r2), second.id).await.err(), Some(AppError::NotFound));
    assert!(service::reviewing::queue(&state, Some(r2)).await.unwrap().items.iter().all(|i| i.nomination_id != target));
}

async fn declaring_a_conflict_removes_the_entry_from_the_reviewers_queue(state: AppState) {
    let w = world(&state).await;
    service::assigning::auto(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    let r = &w.reviewers[1];
    let q = service::reviewing::queue(&state, Some(r)).await.unwrap();
    let item = q.items[0].clone();
    service::panels::declare_conflict(&state, Some(r), item.assignment_id, "支援関係").await.unwrap();
    let after = service::reviewing::queue(&state, Some(r)).await.unwrap();
    assert_eq!(after.total, q.total - 1);
    assert!(after.items.iter().all(|i| i.nomination_id != item.nomination_id));
    // A reviewer cannot declare on someone else's behalf, nor on an entry not assigned to them.
    let other = &w.reviewers[2];
    assert_eq!(
        service::panels::declare_conflict(&state, Some(other), item.assignment_id, "x").await.err(),
        Some(AppError::NotFound)
    );
    // Re-running assignment does not give it back to them.
    service::assigning::auto(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    assert!(service::reviewing::queue(&state, Some(r))
        .await
        .unwrap()
        .items
        .iter()
        .all(|i| i.nomination_id != item.nomination_id));
}

async fn scoring_follows_the_stage_table(state: AppState) {
    let w = world(&state).await;
    let ks = criteria(&state, &w).await;
    service::assigning::auto(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    let r = &w.reviewers[0];
    let item = service::reviewing::queue(&state, Some(r)).await.unwrap().items[0].clone();
    let all: Vec<(i64, i32)> = ks.iter().map(|k| (*k, 3)).collect();
    // Out of range and incomplete submissions are refused, naming the criterion.
    let mut bad = all.clone();
    bad[0].1 = 9;
    let err =
        service::reviewing::save(&state, Some(r), item.assignment_id, &scores(&bad), "", "", true).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, format!("score_{}", ks[0]));
    let err = service::reviewing::save(&state, Some(r), item.assignment_id, &scores(&all[..2]), "", "", true)
        .await
        .unwrap_err();
    assert_eq!(err.field_errors().len(), ks.len() - 2);
    // A draft may be partial; then submit; then revise while the round is open.
    service::reviewing::save(&state, Some(r), item.assignment_id, &scores(&all[..2]), "", "", false).await.unwrap();
    service::reviewing::save(&state, Some(r), item.assignment_id, &scores(&all), "ok", "", true).await.unwrap();
    service::reviewing::save(&state, Some(r), item.assignment_id, &scores(&all), "revised", "", true).await.unwrap();
    // The rubric is locked now.
    let rubric = service::rubrics::ensure_round(state.db.conn(), w.edition.0, 1).await.unwrap();
    let input = app::wire::NewCriterionInput { name_ja: "新".into(), weight: "1".into(), ..Default::default() };
    assert_eq!(
        service::rubrics::add_criterion(&state, Some(&w.organiser), w.edition.0, rubric.id, input).await.err(),
        Some(AppError::RubricLocked)
    );
    // After the round, scoring is closed.
    service::stages::move_to(&state, Some(&w.organiser), w.edition.0, StageKind::Decisions, 0, "done").await.unwrap();
    assert_eq!(
        service::reviewing::save(&state, Some(r), item.assignment_id, &scores(&all), "", "", true).await.err(),
        Some(AppError::StageClosed)
    );
    // Reviewers and nominators may not move stages or decide.
    assert_eq!(
        service::stages::move_to(&state, Some(r), w.edition.0, StageKind::Review, 1, "x").await.err(),
        Some(AppError::Forbidden)
    );
    assert_eq!(
        service::results::decide(&state, Some(&w.nominator), w.nominations[0], "certified").await.err(),
        Some(AppError::Forbidden)
    );
    let audit = repo::audit::list(state.db.conn(), Some(w.edition.0), Some("review."), None, 10).await.unwrap();
    assert_eq!(audit.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(), ["review.revised", "review.submitted"]);
}

async fn blind_review_hides_the_nominator_and_personal_answers(state: AppState) {
    let w = world(&state).await;
    let cat = repo::editions::category_by_key(state.db.conn(), w.edition.0, "corporate").await.unwrap().unwrap();
    let q = repo::editions::insert_question(
        state.db.conn(),
        cat.id,
        app::domain::category::QuestionKind::ShortText,
        "病名",
        "Diagnosis",
        "",
        "",
        "",
        false,
        true,
    )
    .await
    .unwrap();
    let n = repo::nominations::find(state.db.conn(), w.nominations[0].0).await.unwrap().unwrap();
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let mut am: app::server::entities::nomination::ActiveModel = n.into();
    am.answers_json = Set(format!("{{\"{q}\":\"クローン病\"}}"));
    am.update(state.db.conn()).await.unwrap();
    service::assigning::auto(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    let a =
        repo::review::assignments_for_nominations(state.db.conn(), &[w.nominations[0].0], 1).await.unwrap()[0].clone();
    let r = w.reviewers.iter().find(|r| r.id.0 == a.reviewer_id).unwrap();
    let sheet = service::reviewing::sheet(&state, Some(r), a.id).await.unwrap();
    assert!(sheet.blind && sheet.nominator_name.is_none());
    assert!(sheet.answers.is_empty());
    // With blind mode off the nominator and the answer are shown.
    let e = repo::editions::find(state.db.conn(), w.edition.0).await.unwrap().unwrap();
    let mut am: app::server::entities::edition::ActiveModel = e.into();
    am.blind_review = Set(false);
    am.update(state.db.conn()).await.unwrap();
    let sheet = service::reviewing::sheet(&state, Some(r), a.id).await.unwrap();
    assert_eq!(sheet.nominator_name.as_deref(), Some("テスト 利用者"));
    assert_eq!(sheet.answers.len(), 1);
}

async fn needs_information_lets_the_nominator_amend_until_the_date(state: AppState) {
    let edition = open_edition(&state, "ni").await;
    let organiser = account(&state, "o@example.jp", Role::Organiser).await;
    let v = account(&state, "n@example.jp", Role::Nominator).await;
    let id = service::nominations::start(&state, Some(&v), edition, "corporate").await.unwrap();
    service::nominations::save(&state, Some(&v), id, 1, complete_input()).await.unwrap();
    service::nominations::submit(&state, Some(&v), id, true, Locale::Ja).await.unwrap();
    // Screening is only possible in the screening stage.
    assert_eq!(
        service::screening::screen(&state, Some(&organiser), id, "eligible", "", "").await.err(),
        Some(AppError::StageClosed)
    );
    service::stages::move_to(&state, Some(&organiser), edition.0, StageKind::Screening, 0, "closed").await.unwrap();
    assert!(!service::nominations::detail(&state, Some(&v), id).await.unwrap().can_edit);
    let err = service::screening::screen(&state, Some(&organiser), id, "needs_info", "", "2099-01-01T00:00")
        .await
        .unwrap_err();
    assert_eq!(err.field_errors()[0].field, "note");
    service::screening::screen(
        &state,
        Some(&organiser),
        id,
        "needs_info",
        "体制図を添えてください",
        "2099-01-01T00:00",
    )
    .await
    .unwrap();
    let mail = repo::outbox::list_for(state.db.conn(), "n@example.jp").await.unwrap().pop().unwrap();
    assert_eq!(mail.kind, "nomination_needs_info");
    assert!(mail.body_text.contains("体制図を添えてください"));
    let d = service::nominations::detail(&state, Some(&v), id).await.unwrap();
    assert!(d.can_edit);
    assert_eq!(d.shown_status, NominatorStatus::NeedsInformation);
    assert_eq!(d.screening_note, "体制図を添えてください");
    let mut input = complete_input();
    input.practice = "体制図を追加しました。".into();
    service::nominations::save(&state, Some(&v), id, d.version, input).await.unwrap();
}

async fn outcomes_follow_the_mode_and_results_reach_the_nominator(state: AppState) {
    let w = world(&state).await;
    let ks = criteria(&state, &w).await;
    service::assigning::auto(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    for (i, r) in w.reviewers.iter().enumerate() {
        for item in service::reviewing::queue(&state, Some(r)).await.unwrap().items {
            let all: Vec<(i64, i32)> = ks.iter().map(|k| (*k, 2 + i as i32)).collect();
            service::reviewing::save(&state, Some(r), item.assignment_id, &scores(&all), "", "", true).await.unwrap();
        }
    }
    // Deciding waits for the decisions stage.
    assert_eq!(
        service::results::decide(&state, Some(&w.organiser), w.nominations[0], "certified").await.err(),
        Some(AppError::StageClosed)
    );
    service::stages::move_to(&state, Some(&w.organiser), w.edition.0, StageKind::Decisions, 0, "done").await.unwrap();
    let ranking = service::results::ranking(&state, Some(&w.organiser), w.edition.0, None, None).await.unwrap();
    assert_eq!(ranking.rows.len(), 3);
    assert!(ranking.rows.iter().all(|r| r.raw_mean.is_some() && r.normalised_mean.is_some() && r.rank.is_some()));
    // The edition is CONFERENCE + AWARD: both kinds are allowed; nonsense is not.
    service::results::decide(&state, Some(&w.organiser), w.nominations[0], "certified").await.unwrap();
    service::results::decide(&state, Some(&w.organiser), w.nominations[1], "grand_prize").await.unwrap();
    service::results::decide(&state, Some(&w.organiser), w.nominations[2], "not_selected").await.unwrap();
    assert!(service::results::decide(&state, Some(&w.organiser), w.nominations[2], "gold_medal").await.is_err());
    // Before publishing, the nominator sees no decision.
    assert_eq!(
        service::nominations::detail(&state, Some(&w.nominator), w.nominations[0]).await.unwrap().shown_status,
        NominatorStatus::InReview
    );
    service::results::publish(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    let shown: Vec<_> = futures_statuses(&state, &w).await;
    assert_eq!(
        shown,
        vec![
            NominatorStatus::Certified,
            NominatorStatus::Awarded(app::domain::nomination::Outcome::GrandPrize),
            NominatorStatus::NotSelected
        ]
    );
    let mails = repo::outbox::list_for(state.db.conn(), "nom@example.jp").await.unwrap();
    assert_eq!(mails.iter().filter(|m| m.kind == "results_published").count(), 3);
    // Exports carry raw, normalised, per criterion and the internal comments.
    let csv = String::from_utf8(
        service::results::export_csv(&state, Some(&w.organiser), w.edition.0, 1, false).await.unwrap(),
    )
    .unwrap();
    assert!(csv.contains("素点(加重平均)") && csv.contains("正規化後") && csv.contains("参考になる度"));
    assert_eq!(csv.lines().count(), 1 + 6);
    let xlsx = service::results::export_xlsx(&state, Some(&w.organiser), w.edition.0, 1).await.unwrap();
    assert_eq!(&xlsx[..2], b"PK");
}

async fn futures_statuses(state: &AppState, w: &World) -> Vec<NominatorStatus> {
    let mut out = vec![];
    for id in &w.nominations {
        out.push(service::nominations::detail(state, Some(&w.nominator), *id).await.unwrap().shown_status);
    }
    out
}

async fn a_further_round_keeps_earlier_scores_and_reviews_only_the_shortlist(state: AppState) {
    let w = world(&state).await;
    let ks = criteria(&state, &w).await;
    service::assigning::auto(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    for r in &w.reviewers {
        for item in service::reviewing::queue(&state, Some(r)).await.unwrap().items {
            let all: Vec<(i64, i32)> = ks.iter().map(|k| (*k, 4)).collect();
            service::reviewing::save(&state, Some(r), item.assignment_id, &scores(&all), "", "", true).await.unwrap();
        }
    }
    service::stages::move_to(&state, Some(&w.organiser), w.edition.0, StageKind::Decisions, 0, "r1 done")
        .await
        .unwrap();
    assert!(matches!(
        service::results::open_round(&state, Some(&w.organiser), w.edition.0).await,
        Err(AppError::Validation(_))
    ));
    service::results::set_shortlisted(&state, Some(&w.organiser), w.nominations[0], true).await.unwrap();
    assert_eq!(service::results::open_round(&state, Some(&w.organiser), w.edition.0).await.unwrap(), 2);
    service::assigning::auto(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    let r2 = repo::review::assignments_for_nominations(
        state.db.conn(),
        &w.nominations.iter().map(|n| n.0).collect::<Vec<_>>(),
        2,
    )
    .await
    .unwrap();
    assert_eq!(r2.len(), 2);
    assert!(r2.iter().all(|a| a.nomination_id == w.nominations[0].0));
    // Round 1 is still there, untouched.
    let round1 = service::results::ranking(&state, Some(&w.organiser), w.edition.0, Some(1), None).await.unwrap();
    assert_eq!(round1.rows.iter().filter(|r| r.reviews == 2).count(), 3);
    assert_eq!(round1.rounds, vec![1, 2]);
}

/// With 120 entries (30 per category), the overview shows each category's top 20 plus every
/// shortlisted or decided entry below it, says how many there are, and opens a category in full.
async fn the_ranking_shows_each_categorys_top_and_opens_a_category_in_full(state: AppState) {
    use app::domain::category::CategoryKey;
    use app::domain::nomination::Outcome;
    use app::server::service::results::RANKING_OVERVIEW_ROWS;
    service::demo::seed(&state, 0, true).await.unwrap();
    let report = service::demo::seed_review_load(&state, 120).await.unwrap();
    let edition: i64 = report.split("(id ").nth(1).unwrap().split(')').next().unwrap().parse().unwrap();
    let organiser = account(&state, "ranking-organiser@example.jp", Role::Organiser).await;

    let full =
        service::results::ranking(&state, Some(&organiser), edition, None, Some(CategoryKey::Support)).await.unwrap();
    assert_eq!(full.focus, Some(CategoryKey::Support));
    assert_eq!(full.rows.len(), 30);
    assert!(full.rows.iter().all(|r| r.category == CategoryKey::Support));
    assert_eq!(full.categories.len(), 1);
    // Shortlist one entry and decide another, both below the top 20.
    let low = &full.rows[25];
    let lower = &full.rows[28];
    assert!(low.rank.unwrap() > RANKING_OVERVIEW_ROWS && lower.rank.unwrap() > RANKING_OVERVIEW_ROWS);
    service::results::set_shortlisted(&state, Some(&organiser), low.nomination_id, true).await.unwrap();
    service::results::decide(&state, Some(&organiser), lower.nomination_id, "not_selected").await.unwrap();

    let overview = service::results::ranking(&state, Some(&organiser), edition, None, None).await.unwrap();
    assert_eq!(overview.focus, None);
    assert_eq!(overview.categories.len(), 4);
    for t in &overview.totals {
        let rows: Vec<_> = overview.rows.iter().filter(|r| r.category == t.category).collect();
        assert_eq!(t.total, 30);
        assert_eq!(t.shown, rows.len());
        let extra = if t.category == CategoryKey::Support { 2 } else { 0 };
        assert_eq!(rows.len(), RANKING_OVERVIEW_ROWS + extra, "{:?}", t.category);
        // In rank order, the top 20 first.
        assert!(rows.windows(2).all(|w| w[0].rank <= w[1].rank));
        assert!(rows[..RANKING_OVERVIEW_ROWS].iter().all(|r| r.rank.unwrap() <= RANKING_OVERVIEW_ROWS));
    }
    let shown: Vec<_> = overview.rows.iter().map(|r| r.nomination_id).collect();
    assert!(shown.contains(&low.nomination_id) && shown.contains(&lower.nomination_id));
    let decided = overview.rows.iter().find(|r| r.nomination_id == lower.nomination_id).unwrap();
    assert_eq!(decided.outcome, Outcome::NotSelected);
    // Every reviewer's statistics are still over all their sheets, not only the rows shown.
    assert_eq!(overview.reviewers.iter().map(|s| s.count).sum::<usize>(), 360);
}

on_both_backends!(
    a_conflicted_reviewer_never_sees_the_nomination_anywhere,
    peers_scores_leave_out_nothing_but_never_reach_a_conflicted_reviewer,
    declaring_a_conflict_removes_the_entry_from_the_reviewers_queue,
    scoring_follows_the_stage_table,
    blind_review_hides_the_nominator_and_personal_answers,
    needs_information_lets_the_nominator_amend_until_the_date,
    outcomes_follow_the_mode_and_results_reach_the_nominator,
    a_further_round_keeps_earlier_scores_and_reviews_only_the_shortlist,
    the_ranking_shows_each_categorys_top_and_opens_a_category_in_full,
);

/// Two server processes (two independent connection pools) run the scheduler against one
/// PostgreSQL database while a stage deadline passes: exactly one transition, one audit entry.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_racing_the_scheduler_make_exactly_one_transition_postgres() {
    let url = common::fresh_url(common::Backend::Postgres).await;
    let a = app::server::Db::connect(&url, 4).await.unwrap();
    a.migrate().await.unwrap();
    let b = app::server::Db::connect(&url, 4).await.unwrap();
    let state = AppState::new(a.clone(), common::test_config(&url)).await.unwrap();
    let edition = open_edition(&state, "race").await;
    // Nominations end a moment ago, so the timetable now says "screening".
    let now = chrono::Utc::now();
    repo::editions::upsert_stage(
        a.conn(),
        edition.0,
        "nominations",
        0,
        10,
        Some(now - chrono::Duration::days(5)),
        Some(now - chrono::Duration::seconds(1)),
    )
    .await
    .unwrap();
    repo::editions::upsert_stage(a.conn(), edition.0, "screening", 0, 20, None, None).await.unwrap();
    let mut made = 0;
    for _ in 0..5 {
        let (x, y) = tokio::join!(
            service::stages::tick(&a, "http://127.0.0.1:3000"),
            service::stages::tick(&b, "http://127.0.0.1:3000")
        );
        made += x.unwrap() + y.unwrap();
    }
    assert_eq!(made, 1);
    let e = repo::editions::find(a.conn(), edition.0).await.unwrap().unwrap();
    assert_eq!(e.current_stage, StageKind::Screening);
    let audit = repo::audit::list(a.conn(), Some(edition.0), Some("stage."), None, 10).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor_label, "scheduler");
}
