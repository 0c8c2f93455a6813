//! The archive through its services: the same search results on SQLite and PostgreSQL over a
//! fixed corpus, exact substring semantics, the consent gate on publishing, withdrawal from every
//! surface, the second-person sign-off, anonymisation and the all-or-nothing import.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::collections::BTreeSet;

use app::domain::account::Role;
use app::domain::archive::ImportRecord;
use app::domain::search::normalize;
use app::error::AppError;
use app::i18n::Locale;
use app::server::{repo, service, AppState};
use app::wire::ArchiveFilters;
use common::fixtures::*;

/// 220 synthetic records plus hand-written ones carrying the words the queries look for.
fn corpus() -> Vec<ImportRecord> {
    let mut records = service::demo::synthetic_records(220, 42);
    let extra = [
        ("難病のある社員の就労を支える", "治療と仕事の両立", "在宅勤務を週2日まで", vec!["在宅勤務"]),
        ("ゆらぎに合わせた働き方", "体調のゆらぎを一言で伝える", "テレワークで通院と両立", vec!["テレワーク"]),
        ("在宅での勤務が難しい工程", "在宅と勤務は別々に出てくる", "工程の見直し", vec!["工程"]),
        ("乳癌の治療と仕事", "がんとともに働く", "ガンと向き合う職場", vec!["がん"]),
        ("Telework for everyone", "We started telework in 2020", "IT企業での取り組み", vec!["telework"]),
        ("ＩＴ企業のﾃﾚﾜｰｸ", "全角と半角が混ざった文章", "病院の受付", vec!["全角"]),
    ];
    for (i, (title, summary, practice, tags)) in extra.into_iter().enumerate() {
        records.push(ImportRecord {
            title: title.into(),
            category: ["corporate", "support", "municipal", "people"][i % 4].into(),
            region: "saitama".into(),
            edition: "CONFERENCE 2025–2026".into(),
            year: 2025,
            summary: summary.into(),
            practice: practice.into(),
            tags: tags.into_iter().map(String::from).collect(),
            badges: vec!["certified".into()],
            consent_scope: "archive_named".into(),
            nominee_name: if i == 2 { String::new() } else { "株式会社テスト".into() },
            ..Default::default()
        });
    }
    // One anonymised record whose hidden name must not be findable.
    records.push(ImportRecord {
        title: "匿名の取り組み".into(),
        category: "people".into(),
        region: "tokyo".into(),
        edition: "CONFERENCE 2025–2026".into(),
        year: 2025,
        summary: "名前を伏せた記録".into(),
        practice: "本人の工夫".into(),
        consent_scope: "archive_anonymised".into(),
        nominee_name: "秘密山 花子".into(),
        ..Default::default()
    });
    records
}

/// What the public can read of a record, normalised: the reference for "contains the words".
fn public_text(r: &ImportRecord) -> String {
    let mut t = format!(
        "{} {} {} {} {} {} {} {}",
        r.title,
        r.summary,
        r.background,
        r.practice,
        r.challenges,
        r.outcomes,
        r.lessons,
        r.tags.join(" ")
    );
    if r.consent_scope == "archive_named" {
        t.push(' ');
        t.push_str(&r.nominee_name);
    }
    normalize(&t.replace("**", "").replace("- ", ""))
}

const QUERIES: [&str; 16] = [
    "難病",
    "就労",
    "両立",
    "在宅勤務",
    "ゆらぎ",
    "テレワーク",
    "telework",
    "病",
    "癌",
    "在宅 勤務",
    "難病　就労",
    "ＩＴ企業",
    "ﾃﾚﾜｰｸ",
    "秘密山",
    "クローン病",
    "時差出勤",
];

async fn search_titles(state: &AppState, q: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut page = 1;
    loop {
        let r =
            service::archive::search(state, &ArchiveFilters { q: q.into(), page, per_page: 100, ..Default::default() })
                .await
                .unwrap();
        out.extend(r.items.iter().map(|c| c.title.clone()));
        if page >= r.pages {
            break;
        }
        page += 1;
    }
    out
}

async fn import(state: &AppState, records: Vec<ImportRecord>) {
    service::archive::import_records(state, records, false, 100, &mut |_, _| {}).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_queries_return_the_same_records_on_sqlite_and_postgres() {
    let sqlite = common::fresh_state(common::Backend::Sqlite).await;
    let pg = common::fresh_state(common::Backend::Postgres).await;
    let records = corpus();
    assert!(records.len() >= 200);
    import(&sqlite, records.clone()).await;
    import(&pg, records.clone()).await;
    for q in QUERIES {
        let a = search_titles(&sqlite, q).await;
        let b = search_titles(&pg, q).await;
        assert_eq!(a, b, "query {q:?} differs between SQLite and PostgreSQL");
        // Exactly the records whose public text contains every word.
        let words: Vec<String> = normalize(q).split_whitespace().map(String::from).collect();
        let expected: BTreeSet<String> = records
            .iter()
            .filter(|r| words.iter().all(|w| public_text(r).contains(w.as_str())))
            .map(|r| r.title.clone())
            .collect();
        assert_eq!(a, expected, "query {q:?}");
    }
    // The hidden name finds nothing; the corpus does have the words searched for.
    assert!(search_titles(&sqlite, "秘密山").await.is_empty());
    assert!(search_titles(&sqlite, "両立").await.len() >= 2);
    assert!(search_titles(&sqlite, "病").await.len() > search_titles(&sqlite, "難病").await.len());
}

/// The facet snapshot, read in aggregate, holds exactly what the record rows say: every published
/// record once, its publication time to the second, its facets and tags; nothing unpublished.
async fn the_facet_snapshot_matches_the_published_rows(state: AppState) {
    import(&state, corpus()).await;
    let published = repo::archive::published(state.db.conn()).await.unwrap();
    assert!(published.len() > 200);
    let snap = service::archive::snapshot(&state).await.unwrap();
    assert_eq!(snap.entries.len(), published.len());
    for p in &published {
        let e = &snap.entries[snap.position(p.id).unwrap()];
        assert_eq!(e.published, p.published_at.unwrap().timestamp(), "record {}", p.id);
        assert_eq!(snap.values[0].values[e.dims[0] as usize], p.category.key());
        assert_eq!(snap.values[2].values[e.dims[2] as usize], p.region);
        let mut want = repo::archive::tags_of(state.db.conn(), p.id).await.unwrap();
        let mut got: Vec<String> = snap.tags_of(e).iter().map(|t| snap.tags[*t as usize].clone()).collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "tags of record {}", p.id);
    }
    // Newest first, as the archive lists them.
    assert!(snap.entries.windows(2).all(|w| (w[0].published, w[0].id) >= (w[1].published, w[1].id)));
}

async fn titles_rank_above_bodies_and_synonyms_widen(state: AppState) {
    import(&state, corpus()).await;
    let r = service::archive::search(
        &state,
        &ArchiveFilters { q: "テレワーク".into(), per_page: 100, ..Default::default() },
    )
    .await
    .unwrap();
    let first_body_only =
        r.items.iter().position(|c| !normalize(&c.title).contains("テレワーク")).unwrap_or(r.items.len());
    assert!(r.items[..first_body_only].iter().all(|c| normalize(&c.title).contains("テレワーク")));
    assert!(r.items[first_body_only..].iter().all(|c| !normalize(&c.title).contains("テレワーク")));
    // Snippets come from the body: records matching there have the word marked.
    assert!(r.items[first_body_only..].iter().all(|c| c.snippet_html.contains("<mark>テレワーク</mark>")));
    let tele = search_titles(&state, "テレワーク").await;
    let home = search_titles(&state, "在宅勤務").await;
    assert!(!tele.is_subset(&home) && !home.is_subset(&tele), "the corpus has records with only one of the words");
    let organiser = account(&state, "o@example.jp", Role::Organiser).await;
    service::archive::add_synonyms(&state, Some(&organiser), "テレワーク、在宅勤務").await.unwrap();
    let union: BTreeSet<String> = tele.union(&home).cloned().collect();
    assert_eq!(search_titles(&state, "テレワーク").await, union);
    assert_eq!(search_titles(&state, "在宅勤務").await, union);
    // Facet counts follow the query, and a filter narrows the list.
    let all =
        service::archive::search(&state, &ArchiveFilters { q: "両立".into(), ..Default::default() }).await.unwrap();
    let cat = all.facets.iter().find(|f| f.name == "category").unwrap();
    assert_eq!(cat.values.iter().map(|v| v.count).sum::<usize>(), all.total);
    let one = &cat.values[0];
    let narrowed = service::archive::search(
        &state,
        &ArchiveFilters { q: "両立".into(), category: one.key.clone(), ..Default::default() },
    )
    .await
    .unwrap();
    assert_eq!(narrowed.total, one.count);
    // With a query and a filter chosen, each facet value's count is what choosing it gives
    // (a facet's own filter is left out of its counts; every other filter applies).
    let base = ArchiveFilters { q: "両立".into(), category: one.key.clone(), ..Default::default() };
    let with = |name: &str, key: &str| {
        let mut f = base.clone();
        match name {
            "category" => f.category = key.into(),
            "edition" => f.edition = key.into(),
            "region" => f.region = key.into(),
            "industry" => f.industry = key.into(),
            "size" => f.size = key.into(),
            "tag" => f.tag = key.into(),
            _ => f.badge = key.into(),
        }
        f
    };
    let r = service::archive::search(&state, &base).await.unwrap();
    let mut checked = 0;
    for facet in &r.facets {
        for v in facet.values.iter().take(3) {
            let chosen = service::archive::search(&state, &with(&facet.name, &v.key)).await.unwrap();
            assert_eq!(chosen.total, v.count, "{} = {}", facet.name, v.key);
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} facet values to check");
}

/// The fingerprint of the pending text, as the sign-off screen shows it.
async fn fingerprint(state: &AppState, who: &app::wire::Viewer, practice: i64) -> String {
    service::archive::edit_view(state, Some(who), practice).await.map(|v| v.fingerprint).unwrap_or_default()
}

/// A recognised nomination in an edition with published results.
async fn recognised(state: &AppState) -> (app::wire::Viewer, app::domain::ids::NominationId) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let edition = open_edition(state, "arc").await;
    let nominator = account(state, "nom@example.jp", Role::Nominator).await;
    let id = service::nominations::start(state, Some(&nominator), edition, "corporate").await.unwrap();
    service::nominations::save(state, Some(&nominator), id, 1, complete_input()).await.unwrap();
    service::nominations::submit(state, Some(&nominator), id, true, Locale::Ja).await.unwrap();
    let n = repo::nominations::find(state.db.conn(), id.0).await.unwrap().unwrap();
    let mut am: app::server::entities::nomination::ActiveModel = n.into();
    am.outcome = Set(app::domain::nomination::Outcome::parse("certified").unwrap());
    am.update(state.db.conn()).await.unwrap();
    let e = repo::editions::find(state.db.conn(), edition.0).await.unwrap().unwrap();
    let mut am: app::server::entities::edition::ActiveModel = e.into();
    am.results_published_at = Set(Some(chrono::Utc::now()));
    am.current_stage = Set(app::domain::edition::StageKind::parse("results").unwrap());
    am.update(state.db.conn()).await.unwrap();
    (nominator, id)
}

fn token(body: &str) -> String {
    body.split("/consent/").nth(1).unwrap().split_whitespace().next().unwrap().to_string()
}

async fn publishing_without_consent_fails_whatever_the_caller(state: AppState) {
    let (nominator, id) = recognised(&state).await;
    let preparer = account(&state, "prep@example.jp", Role::Organiser).await;
    let second = account(&state, "second@example.jp", Role::Organiser).await;
    let reviewer = account(&state, "rev@example.jp", Role::Reviewer).await;
    let outsider = account(&state, "rev2@example.jp", Role::Reviewer).await;
    let n = repo::nominations::find(state.db.conn(), id.0).await.unwrap().unwrap();
    repo::review::add_panel_member(state.db.conn(), n.edition_id, n.category_id, reviewer.id.0, chrono::Utc::now())
        .await
        .unwrap();
    let practice = service::archive::prepare(&state, Some(&preparer), id).await.unwrap();
    // Nobody may publish: consent was never given (a second organiser, a reviewer of the panel).
    assert_eq!(
        service::archive::sign_off(&state, Some(&second), practice, &fingerprint(&state, &second, practice).await)
            .await
            .err(),
        Some(AppError::ConsentMissing)
    );
    assert_eq!(
        service::archive::sign_off(&state, Some(&reviewer), practice, &fingerprint(&state, &second, practice).await)
            .await
            .err(),
        Some(AppError::ConsentMissing)
    );
    assert_eq!(service::archive::publish_for_test(&state, practice).await.err(), Some(AppError::ConsentMissing));
    // The preparer may not sign off their own text; nominators and reviewers of other panels
    // may not sign off at all (they learn nothing of it).
    assert_eq!(
        service::archive::sign_off(&state, Some(&preparer), practice, &fingerprint(&state, &preparer, practice).await)
            .await
            .err(),
        Some(AppError::Forbidden)
    );
    assert_eq!(
        service::archive::sign_off(&state, Some(&nominator), practice, "").await.err(),
        Some(AppError::NotFound)
    );
    assert_eq!(service::archive::sign_off(&state, Some(&outsider), practice, "").await.err(), Some(AppError::NotFound));
    // "Review only" consent does not reach the archive either.
    service::consent::request(&state, Some(&nominator), id, Some("f@example.jp")).await.unwrap();
    let mail = repo::outbox::list_for(state.db.conn(), "f@example.jp").await.unwrap().pop().unwrap();
    service::consent::respond(
        &state,
        &token(&mail.body_text),
        true,
        Some(app::domain::consent::ConsentScope::ReviewOnly),
        false,
        Locale::Ja,
    )
    .await
    .unwrap();
    assert_eq!(
        service::archive::sign_off(&state, Some(&second), practice, &fingerprint(&state, &second, practice).await)
            .await
            .err(),
        Some(AppError::ConsentMissing)
    );
    assert!(service::archive::search(&state, &ArchiveFilters::default()).await.unwrap().items.is_empty());
    assert_eq!(service::archive::record(&state, None, &practice.to_string()).await.err(), Some(AppError::NotFound));
}

async fn withdrawal_takes_the_record_off_every_public_surface(state: AppState) {
    let (nominator, id) = recognised(&state).await;
    let preparer = account(&state, "prep@example.jp", Role::Organiser).await;
    let second = account(&state, "second@example.jp", Role::Organiser).await;
    service::consent::request(&state, Some(&nominator), id, Some("f@example.jp")).await.unwrap();
    let mail = repo::outbox::list_for(state.db.conn(), "f@example.jp").await.unwrap().pop().unwrap();
    service::consent::respond(
        &state,
        &token(&mail.body_text),
        true,
        Some(app::domain::consent::ConsentScope::ArchiveNamed),
        false,
        Locale::Ja,
    )
    .await
    .unwrap();
    let practice = service::archive::prepare(&state, Some(&preparer), id).await.unwrap();
    service::archive::sign_off(&state, Some(&second), practice, &fingerprint(&state, &second, practice).await)
        .await
        .unwrap();
    let view = service::archive::record(&state, None, &practice.to_string()).await.unwrap();
    assert_eq!(view.nominee_name.as_deref(), Some("株式会社テスト"));
    assert!(search_titles(&state, "秘密").await.is_empty(), "sanity: the word is not in this record");
    assert!(search_titles(&state, "通院").await.contains("通院と両立できる働き方"));
    assert!(service::archive::sitemap_file(&state, 1).await.unwrap().unwrap().contains(&view.slug));
    assert!(service::archive::feed(&state).await.unwrap().contains(&view.slug));

    // The nominator withdraws consent.
    service::consent::withdraw(&state, Some(&nominator), id).await.unwrap();
    assert_eq!(service::archive::record(&state, None, &view.slug).await.err(), Some(AppError::Gone));
    assert!(search_titles(&state, "通院").await.is_empty());
    assert_eq!(service::archive::search(&state, &ArchiveFilters::default()).await.unwrap().total, 0);
    assert!(service::archive::search(&state, &ArchiveFilters::default())
        .await
        .unwrap()
        .facets
        .iter()
        .all(|f| f.values.is_empty()));
    assert!(!service::archive::sitemap_file(&state, 1).await.unwrap().unwrap().contains(&view.slug));
    assert!(!service::archive::feed(&state).await.unwrap().contains(&view.slug));
    // And it cannot be edited or signed off again without new consent.
    let draft = service::archive::PracticeDraft { title: "t".into(), summary: "s".into(), ..Default::default() };
    assert_eq!(
        service::archive::save_draft(&state, Some(&preparer), practice, draft).await.err(),
        Some(AppError::ConsentMissing)
    );
    // Withdrawal also cleared the pending text: there is nothing left to sign off.
    assert_eq!(
        service::archive::sign_off(&state, Some(&second), practice, &fingerprint(&state, &second, practice).await)
            .await
            .err(),
        Some(AppError::NotFound)
    );
}

async fn an_anonymised_record_shows_and_indexes_no_name(state: AppState) {
    let (nominator, id) = recognised(&state).await;
    let preparer = account(&state, "prep@example.jp", Role::Organiser).await;
    let second = account(&state, "second@example.jp", Role::Organiser).await;
    service::consent::request(&state, Some(&nominator), id, Some("f@example.jp")).await.unwrap();
    let mail = repo::outbox::list_for(state.db.conn(), "f@example.jp").await.unwrap().pop().unwrap();
    service::consent::respond(
        &state,
        &token(&mail.body_text),
        true,
        Some(app::domain::consent::ConsentScope::ArchiveAnonymised),
        false,
        Locale::Ja,
    )
    .await
    .unwrap();
    let practice = service::archive::prepare(&state, Some(&preparer), id).await.unwrap();
    // The text still names the company: refused until the organiser removes it.
    let mut draft = service::archive::PracticeDraft {
        title: "両立支援".into(),
        summary: "株式会社テストの取り組み".into(),
        ..Default::default()
    };
    service::archive::save_draft(&state, Some(&preparer), practice, draft.clone()).await.unwrap();
    assert!(matches!(
        service::archive::sign_off(&state, Some(&second), practice, &fingerprint(&state, &second, practice).await)
            .await,
        Err(AppError::Validation(_))
    ));
    draft.summary = "ある企業の取り組み".into();
    service::archive::save_draft(&state, Some(&preparer), practice, draft).await.unwrap();
    service::archive::sign_off(&state, Some(&second), practice, &fingerprint(&state, &second, practice).await)
        .await
        .unwrap();
    let view = service::archive::record(&state, None, &practice.to_string()).await.unwrap();
    assert_eq!(view.nominee_name, None);
    assert!(search_titles(&state, "テスト").await.is_empty());
}

async fn an_import_with_bad_lines_imports_nothing_and_names_them(state: AppState) {
    let good = serde_json::to_string(&corpus()[0]).unwrap();
    let bad_region = good.replace(&format!("\"region\":\"{}\"", corpus()[0].region), "\"region\":\"atlantis\"");
    let text = format!("{good}\n{bad_region}\n{{\"title\": \"x\", \"colour\": \"red\"}}\n\n{good}\n");
    let report = service::archive::import(&state, &text, false, 100, &mut |_, _| {}).await.unwrap();
    let lines: Vec<usize> = report.errors.iter().map(|e| e.0).collect();
    assert_eq!(lines, vec![2, 3]);
    assert_eq!(report.errors[0].1[0].field, "region");
    assert_eq!(report.errors[1].1[0].field, "colour");
    assert_eq!(report.imported, 0);
    assert!(repo::archive::list_all(state.db.conn()).await.unwrap().is_empty());
    // A clean file goes in whole, creating the past edition it names.
    let text = format!("{good}\n{}\n", serde_json::to_string(&corpus()[1]).unwrap());
    let report = service::archive::import(&state, &text, false, 100, &mut |_, _| {}).await.unwrap();
    assert_eq!((report.imported, report.errors.len()), (2, 0));
    assert!(report.editions_created >= 1);
    assert!(repo::editions::list(state.db.conn()).await.unwrap().iter().all(|e| e.is_past));
    assert_eq!(service::archive::search(&state, &ArchiveFilters::default()).await.unwrap().total, 2);
    // --draft keeps them unpublished.
    let report = service::archive::import(
        &state,
        &format!("{}\n", serde_json::to_string(&corpus()[2]).unwrap()),
        true,
        100,
        &mut |_, _| {},
    )
    .await
    .unwrap();
    assert_eq!(report.imported, 1);
    assert_eq!(service::archive::search(&state, &ArchiveFilters::default()).await.unwrap().total, 2);
}

on_both_backends!(
    titles_rank_above_bodies_and_synonyms_widen,
    publishing_without_consent_fails_whatever_the_caller,
    withdrawal_takes_the_record_off_every_public_surface,
    an_anonymised_record_shows_and_indexes_no_name,
    an_import_with_bad_lines_imports_nothing_and_names_them,
    the_facet_snapshot_matches_the_published_rows,
);

/// Two server processes on one PostgreSQL: when one changes the archive, the other hears of it
/// through the committing transaction's notification and drops its cached version at once,
/// instead of serving the old pages until its re-check interval runs out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_process_hears_of_an_archive_change_postgres() {
    let url = common::fresh_url(common::Backend::Postgres).await;
    let a = app::server::Db::connect(&url, 4).await.unwrap();
    a.migrate().await.unwrap();
    let b = app::server::Db::connect(&url, 4).await.unwrap();
    let state = AppState::new(a.clone(), common::test_config(&url)).await.unwrap();
    state.db.watch_changes();
    let before = service::archive::current_version(&state).await.unwrap();
    let seen = state.db.changes();
    // The listener subscribes in the background; announce until it has heard one.
    let mut heard = false;
    for _ in 0..50 {
        let tx = b.begin().await.unwrap();
        repo::archive::bump_version(&*tx).await.unwrap();
        tx.commit().await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        if state.db.changes() != seen {
            heard = true;
            break;
        }
    }
    assert!(heard, "process A never heard of process B's change");
    let now = repo::archive::version(b.conn()).await.unwrap();
    assert!(now > before);
    assert_eq!(service::archive::current_version(&state).await.unwrap(), now);
    // A transaction rolled back announces nothing.
    let quiet = state.db.changes();
    let tx = b.begin().await.unwrap();
    repo::archive::bump_version(&*tx).await.unwrap();
    drop(tx);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(state.db.changes(), quiet);
}
