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
    world_with(state, &["corporate", "corporate", "support"]).await
}

/// The same world with one nomination per listed category key.
async fn world_with(state: &AppState, categories: &[&str]) -> World {
    let edition = open_edition(state, "rev").await;
    let organiser = account(state, "org@example.jp", Role::Organiser).await;
    let nominator = account(state, "nom@example.jp", Role::Nominator).await;
    let mut nominations = vec![];
    for (i, cat) in categories.iter().copied().enumerate() {
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

/// The language chosen at sign-up is the account's: the organisers' screening mail is English
/// for an English account, and Japanese for a Japanese one, whatever page the organiser used.
async fn an_account_gets_its_mails_in_the_language_it_signed_up_in(state: AppState) {
    let edition = open_edition(&state, "lang").await;
    let organiser = account(&state, "o@example.jp", Role::Organiser).await;
    let mut ids = vec![];
    for (email, locale) in [("en@example.jp", Locale::En), ("ja@example.jp", Locale::Ja)] {
        let v = service::accounts::sign_up(&state, email, "Jane Doe", "yuragi-to-taiwa", locale, email, None)
            .await
            .unwrap()
            .viewer;
        let id = service::nominations::start(&state, Some(&v), edition, "corporate").await.unwrap();
        service::nominations::save(&state, Some(&v), id, 1, complete_input()).await.unwrap();
        service::nominations::submit(&state, Some(&v), id, true, Locale::Ja).await.unwrap();
        ids.push(id);
    }
    service::stages::move_to(&state, Some(&organiser), edition.0, StageKind::Screening, 0, "closed").await.unwrap();
    for id in &ids {
        service::screening::screen(
            &state,
            Some(&organiser),
            *id,
            "needs_info",
            "体制図を添えてください",
            "2099-01-01T00:00",
        )
        .await
        .unwrap();
    }
    let en = repo::outbox::list_for(state.db.conn(), "en@example.jp").await.unwrap();
    let welcome = en.iter().find(|m| m.kind == "welcome").unwrap();
    assert!(!welcome.subject.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)), "{}", welcome.subject);
    let asked = en.iter().find(|m| m.kind == "nomination_needs_info").unwrap();
    assert!(asked.subject.starts_with("A little more information, please"), "{}", asked.subject);
    assert!(asked.body_text.contains("体制図を添えてください"), "the organiser's own note is passed on as written");
    let ja = repo::outbox::list_for(state.db.conn(), "ja@example.jp").await.unwrap();
    let asked = ja.iter().find(|m| m.kind == "nomination_needs_info").unwrap();
    assert!(asked.subject.starts_with("追加のご説明のお願い"), "{}", asked.subject);
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
    // The nominator switched the site to English: the result mails follow.
    service::accounts::set_locale(&state, &w.nominator, Locale::En).await.unwrap();
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
    let results: Vec<_> = mails.iter().filter(|m| m.kind == "results_published").collect();
    assert_eq!(results.len(), 3);
    assert!(results.iter().all(|m| m.subject.starts_with("Results: ") && m.body_text.contains("The results of")));
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

/// Feedback reaches a nominee with the results and not before; a comment to the nominee reaches
/// them only as an organiser let it through (as written, or edited with a reason); a held-back
/// comment never does; bands appear only in a category with enough entries; nobody else's
/// nomination can be read; the audit log keeps neither the comment nor the reason.
async fn feedback_reaches_the_nominee_only_as_read_and_only_after_results(state: AppState) {
    use app::domain::feedback::{Band, CommentState};
    let w =
        world_with(&state, &["corporate", "corporate", "corporate", "corporate", "corporate", "corporate", "support"])
            .await;
    let ks = criteria(&state, &w).await;
    service::assigning::auto(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    let index_of = |id: NominationId| w.nominations.iter().position(|n| *n == id).unwrap();
    for r in &w.reviewers {
        for item in service::reviewing::queue(&state, Some(r)).await.unwrap().items {
            let i = index_of(item.nomination_id);
            // Entries 0 and 1 lowest, 4 and 5 highest, on every criterion.
            let all: Vec<(i64, i32)> = ks.iter().map(|k| (*k, 2 + (i as i32 % 6) / 2)).collect();
            let to_nominee = match i {
                0 => "職場の工夫がとても参考になりました。",
                1 => "悪い点が多い",
                _ => "",
            };
            service::reviewing::save(&state, Some(r), item.assignment_id, &scores(&all), "内部メモ", to_nominee, true)
                .await
                .unwrap();
        }
    }
    let first = w.nominations[0];
    // Before the results: the nominee is told to wait; the organisers preview, with nothing read yet.
    assert_eq!(service::feedback::report(&state, Some(&w.nominator), first).await.err(), Some(AppError::StageClosed));
    let preview = service::feedback::report(&state, Some(&w.organiser), first).await.unwrap();
    assert!(preview.preview && !preview.released && preview.comments.is_empty());
    // The organisers read the comments.
    let items = service::feedback::comments_to_read(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    assert_eq!(items.len(), 4, "two sheets each on entries 0 and 1");
    assert!(items.iter().all(|i| i.state == CommentState::Pending));
    let (kind, harsh): (Vec<_>, Vec<_>) = items.iter().partition(|i| i.nomination_id == first);
    assert!(harsh.iter().all(|i| i.flagged.contains(&"悪い".to_string())));
    let fb = |aid: i64, d: &'static str, text: &'static str, reason: &'static str| {
        let state = state.clone();
        let who = w.organiser.clone();
        async move { service::feedback::moderate(&state, Some(&who), aid, d, text, reason).await }
    };
    fb(kind[0].assignment_id, "accept", "", "").await.unwrap();
    let err = fb(kind[1].assignment_id, "edit", "職場の工夫が、ほかの職場の参考になります。", "").await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "reason");
    fb(kind[1].assignment_id, "edit", "職場の工夫が、ほかの職場の参考になります。", "固有名詞を除いた").await.unwrap();
    for h in &harsh {
        assert_eq!(fb(h.assignment_id, "hold", "", "").await.unwrap_err().field_errors()[0].field, "reason");
        fb(h.assignment_id, "hold", "", "人を評価する言い方のため").await.unwrap();
    }
    assert!(fb(kind[0].assignment_id, "publish", "", "").await.is_err());
    // Only organisers read or moderate.
    assert_eq!(
        service::feedback::comments_to_read(&state, Some(&w.nominator), w.edition.0).await.err(),
        Some(AppError::Forbidden)
    );
    assert!(service::feedback::moderate(&state, Some(&w.nominator), kind[0].assignment_id, "hold", "", "x")
        .await
        .is_err());

    service::stages::move_to(&state, Some(&w.organiser), w.edition.0, StageKind::Decisions, 0, "done").await.unwrap();
    service::results::decide(&state, Some(&w.organiser), first, "not_selected").await.unwrap();
    service::results::decide(&state, Some(&w.organiser), w.nominations[5], "certified").await.unwrap();
    service::results::publish(&state, Some(&w.organiser), w.edition.0).await.unwrap();

    let mine = service::feedback::report(&state, Some(&w.nominator), first).await.unwrap();
    assert!(!mine.preview && mine.released && mine.bands_shown);
    assert_eq!(mine.outcome, app::domain::nomination::Outcome::NotSelected);
    assert!(mine.criteria.iter().all(|k| k.band == Some(Band::Emerging)), "{:?}", mine.criteria);
    assert_eq!(
        mine.comments,
        vec!["職場の工夫がとても参考になりました。", "職場の工夫が、ほかの職場の参考になります。"]
    );
    let top = service::feedback::report(&state, Some(&w.nominator), w.nominations[5]).await.unwrap();
    assert!(top.criteria.iter().all(|k| k.band == Some(Band::Leading)));
    let held = service::feedback::report(&state, Some(&w.nominator), w.nominations[1]).await.unwrap();
    assert!(held.comments.is_empty(), "a held-back comment never reaches the nominee");
    // One entry alone in its category: no bands, so nothing about anyone else can be inferred.
    let alone = service::feedback::report(&state, Some(&w.nominator), w.nominations[6]).await.unwrap();
    assert!(!alone.bands_shown && alone.criteria.iter().all(|k| k.band.is_none()));
    // Nobody else reads it; the report carries no score anywhere.
    let other = account(&state, "other@example.jp", Role::Nominator).await;
    assert_eq!(service::feedback::report(&state, Some(&other), first).await.err(), Some(AppError::NotFound));
    assert_eq!(service::feedback::report(&state, None, first).await.err(), Some(AppError::SignInRequired));
    let json = serde_json::to_string(&mine).unwrap();
    assert!(!json.contains("内部メモ") && !json.contains("悪い点"));
    let audit = service::results::audit(&state, Some(&w.organiser), w.edition.0, "feedback.", None).await.unwrap();
    assert_eq!(audit.len(), 4, "one entry per decision taken; refused ones leave none");
    assert!(audit.iter().all(|a| !a.detail.contains("工夫") && !a.detail.contains("人を評価")));
}

/// The calibration page: every reviewer against the panel (the generous one above it, the
/// strict one below), entries with two sheets ranked by disagreement, for organisers only, and a
/// CSV export of the same.
async fn calibration_shows_each_reviewer_against_the_panel(state: AppState) {
    let w = world(&state).await;
    let ks = criteria(&state, &w).await;
    service::assigning::auto(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    for (i, r) in w.reviewers.iter().enumerate() {
        for item in service::reviewing::queue(&state, Some(r)).await.unwrap().items {
            // Reviewer 0 generous, reviewer 2 strict.
            let all: Vec<(i64, i32)> = ks.iter().map(|k| (*k, 4 - i as i32)).collect();
            service::reviewing::save(&state, Some(r), item.assignment_id, &scores(&all), "", "", true).await.unwrap();
        }
    }
    let v = service::results::calibration(&state, Some(&w.organiser), w.edition.0, None).await.unwrap();
    assert_eq!(v.round, 1);
    assert_eq!(v.reviewers.len(), 3);
    // The fixtures' reviewers share a display name: compare the offsets as a set.
    let mut offsets: Vec<f64> = v.reviewers.iter().filter_map(|r| r.c.offset).collect();
    offsets.sort_by(f64::total_cmp);
    assert!(offsets[0] < 0.0 && offsets[2] > 0.0, "{offsets:?}");
    assert!(v.reviewers.iter().map(|r| r.c.sheets).sum::<usize>() == 6, "two sheets on each of three entries");
    assert_eq!(v.disagreements.len(), 3);
    assert!(v.disagreements.windows(2).all(|p| p[0].d.spread >= p[1].d.spread));
    assert!(v.disagreements.iter().all(|d| !d.title.is_empty()));
    assert_eq!(
        service::results::calibration(&state, Some(&w.nominator), w.edition.0, None).await.err(),
        Some(AppError::Forbidden)
    );
    assert!(service::results::calibration(&state, Some(&w.reviewers[0]), w.edition.0, None).await.is_err());
    let csv =
        String::from_utf8(service::results::calibration_csv(&state, Some(&w.organiser), w.edition.0, 1).await.unwrap())
            .unwrap();
    assert!(csv.contains("審査員全体との差(平均)") && csv.contains("実践 0"));
    assert_eq!(csv.lines().count(), 1 + 3 + 1 + 1 + 3);
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

async fn a_reviewer_pauses_or_hands_back_and_the_board_shows_the_gap(state: AppState) {
    let w = world(&state).await;
    let ks = criteria(&state, &w).await;
    service::assigning::auto(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    let r = &w.reviewers[0];
    let items = service::reviewing::queue(&state, Some(r)).await.unwrap().items;
    assert!(items.len() >= 2, "{items:?}");
    let (first, second) = (items[0].clone(), items[1].clone());
    // Only the reviewer paces their own assignment.
    for someone in [&w.reviewers[1], &w.organiser, &w.nominator] {
        assert!(service::pace::pause(&state, Some(someone), first.assignment_id, true).await.is_err());
        assert!(service::pace::hand_back(&state, Some(someone), first.assignment_id, "").await.is_err());
    }
    service::pace::pause(&state, Some(r), first.assignment_id, true).await.unwrap();
    let q = service::reviewing::queue(&state, Some(r)).await.unwrap();
    assert!(q.items.iter().find(|i| i.assignment_id == first.assignment_id).unwrap().paused);
    let board = service::assigning::board(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    let row = board.rows.iter().find(|x| x.nomination_id == first.nomination_id).unwrap();
    assert!(row.paused.contains(&first.assignment_id) && row.gap == 0);
    service::pace::pause(&state, Some(r), first.assignment_id, false).await.unwrap();
    assert!(!service::reviewing::sheet(&state, Some(r), first.assignment_id).await.unwrap().paused);

    // A half-written sheet goes with the hand-back; the board shows the gap and who returned it.
    let half: Vec<(i64, i32)> = ks.iter().take(1).map(|k| (*k, 3)).collect();
    service::reviewing::save(&state, Some(r), first.assignment_id, &scores(&half), "メモ", "", false).await.unwrap();
    service::pace::hand_back(&state, Some(r), first.assignment_id, "体調のため").await.unwrap();
    let q = service::reviewing::queue(&state, Some(r)).await.unwrap();
    assert!(q.items.iter().all(|i| i.nomination_id != first.nomination_id));
    assert!(service::reviewing::sheet(&state, Some(r), first.assignment_id).await.is_err());
    let board = service::assigning::board(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    let row = board.rows.iter().find(|x| x.nomination_id == first.nomination_id).unwrap();
    assert_eq!(row.gap, 1);
    assert_eq!(row.returned, vec![(r.display_name.clone(), "体調のため".to_string())]);
    // The plan fills the gap with someone else, not with the person who handed it back.
    service::assigning::auto(&state, Some(&w.organiser), w.edition.0).await.unwrap();
    let now = repo::review::assignments_for_nominations(state.db.conn(), &[first.nomination_id.0], 1).await.unwrap();
    assert_eq!(now.len(), 2);
    assert!(now.iter().all(|a| a.reviewer_id != r.id.0));
    // A submitted sheet is kept: it cannot be handed back.
    let all: Vec<(i64, i32)> = ks.iter().map(|k| (*k, 4)).collect();
    service::reviewing::save(&state, Some(r), second.assignment_id, &scores(&all), "", "", true).await.unwrap();
    assert_eq!(
        service::pace::hand_back(&state, Some(r), second.assignment_id, "").await.err(),
        Some(AppError::InvalidTransition)
    );
    // The log says it happened, not why.
    let log: String = repo::audit::list(state.db.conn(), Some(w.edition.0), Some("assignment."), None, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|a| format!("{} {}\n", a.action, a.detail))
        .collect();
    assert!(log.contains("assignment.handed_back") && log.contains("assignment.paused"));
    assert!(!log.contains("体調"), "{log}");
}

on_both_backends!(
    a_conflicted_reviewer_never_sees_the_nomination_anywhere,
    peers_scores_leave_out_nothing_but_never_reach_a_conflicted_reviewer,
    declaring_a_conflict_removes_the_entry_from_the_reviewers_queue,
    scoring_follows_the_stage_table,
    blind_review_hides_the_nominator_and_personal_answers,
    needs_information_lets_the_nominator_amend_until_the_date,
    outcomes_follow_the_mode_and_results_reach_the_nominator,
    an_account_gets_its_mails_in_the_language_it_signed_up_in,
    feedback_reaches_the_nominee_only_as_read_and_only_after_results,
    calibration_shows_each_reviewer_against_the_panel,
    a_further_round_keeps_earlier_scores_and_reviews_only_the_shortlist,
    the_ranking_shows_each_categorys_top_and_opens_a_category_in_full,
    a_reviewer_pauses_or_hands_back_and_the_board_shows_the_gap,
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
