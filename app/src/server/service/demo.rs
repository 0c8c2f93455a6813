//! Demo data for a new installation: the current edition with the four categories, a few
//! practices written the way nominators write them, and one account per role (documented
//! passwords, never for a public server).
use chrono::Utc;

use crate::domain::account::Role;
use crate::domain::edition::StageKind;
use crate::domain::nomination::NominationInput;
use crate::domain::time::parse_tokyo;
use crate::error::AppError;
use crate::server::{repo, service::accounts, service::editions, AppState};

pub const DEMO_ACCOUNTS: [(&str, &str, &str, Role); 5] = [
    ("admin@example.jp", "管理者 デモ", "demo-admin-2026", Role::Admin),
    ("organiser@example.jp", "事務局 デモ", "demo-organiser-2026", Role::Organiser),
    ("reviewer@example.jp", "審査員 一郎", "demo-reviewer-2026", Role::Reviewer),
    ("reviewer2@example.jp", "審査員 二葉", "demo-reviewer-2026", Role::Reviewer),
    ("nominator@example.jp", "推薦者 花子", "demo-nominator-2026", Role::Nominator),
];

pub const CURRENT_EDITION_SLUG: &str = "2026-27";

/// Sample practices: (category, input). Written as nominators would, difficulties included.
pub fn sample_practices() -> Vec<(&'static str, NominationInput)> {
    let p = |title: &str,
             nominee_type: &str,
             name: &str,
             region: &str,
             summary: &str,
             sections: [&str; 7],
             relationship: &str| NominationInput {
        title: title.into(),
        nominee_type: nominee_type.into(),
        nominee_name: name.into(),
        region: region.into(),
        summary: summary.into(),
        background: sections[0].into(),
        practice: sections[1].into(),
        involved: sections[2].into(),
        accommodation: sections[3].into(),
        challenges: sections[4].into(),
        outcomes: sections[5].into(),
        lessons: sections[6].into(),
        relationship: relationship.into(),
        featured_email: "contact@example.jp".into(),
        ..Default::default()
    };
    let mut corporate = p(
        "体調のゆらぎに合わせて選べる「在宅勤務と時差出勤」の導入",
        "company",
        "株式会社さいたまプレシジョン",
        "saitama",
        "難病のある社員との対話をきっかけに、在宅勤務と時差出勤を全社員が選べる制度にしました。通院と仕事の両立が「特別扱い」ではなくなりました。",
        [
            "製造業の当社では、クローン病のある社員が通院のたびに有給休暇を使い切り、退職を考えていることがわかりました。",
            "本人・上司・人事・産業医で**月1回の面談**を始め、次のことを制度にしました。\n\n- 在宅勤務(週2日まで)\n- 30分単位の時差出勤\n- 通院のための時間単位休暇",
            "本人、所属部署の上司、人事、産業医、地域の難病相談支援センター。",
            "体調の波を本人が「今週はこのくらい」と共有できるよう、朝の短い声かけを習慣にしました。調子の悪い日の連絡は「一言でよい」と決めています。",
            "在宅勤務できない工程の担当者からは不公平だという声が出ました。工程の見直しは今も途中で、すべての職種に広げられてはいません。",
            "対象の社員は働き続けています。制度はほかに12名が利用し、育児や介護の社員からも感謝されています。",
            "まず一人の社員の声を丁寧に聞くこと。制度を「病気の人のため」ではなく「誰でも使える」ものにすると、職場の受け止めが変わります。",
        ],
        "employer",
    );
    corporate.industry = "manufacturing".into();
    corporate.org_size = "50-299".into();
    let mut person = p(
        "自分の「取扱説明書」を職場と一緒につくった",
        "person",
        "山本 さくら",
        "chiba",
        "全身性エリテマトーデスとともに働く本人が、体調の波と得意なことをまとめた「取扱説明書」を上司と一緒につくりました。",
        [
            "転職のたびに病気のことをどう伝えるかで悩み、体調を崩しても言い出せずにいました。",
            "体調のサイン、調子の悪い日にできること・できないこと、得意な仕事を一枚にまとめ、上司と見直しています。",
            "本人、上司、同僚、キャリアコーチ。",
            "「今日は黄色」のように色で体調を伝える言葉を職場で共有しました。",
            "書いたことで「できない人」と見られるのではという不安は、今も少しあります。",
            "休職せずに働き続け、新しい仕事も任されるようになりました。",
            "完璧な説明でなくてよいこと。一緒に書き直せる関係そのものが支えになります。",
        ],
        "self",
    );
    person.nominee_kana = "やまもと さくら".into();
    vec![
        ("corporate", corporate),
        (
            "support",
            p(
                "ハローワークと医療機関をつなぐ「就労相談カード」",
                "support_organisation",
                "地域就労支援センターみらい",
                "saitama",
                "主治医に伝えにくい仕事の悩みを、本人が一枚のカードにまとめて受診時に渡せるようにしました。",
                [
                    "難病のある方から「主治医に仕事の話をする時間がない」という声が多く寄せられていました。",
                    "体調と仕事の状況、配慮してほしいことを書き込む**就労相談カード**を作り、支援者が記入を手伝っています。",
                    "難病患者就職サポーター、医療ソーシャルワーカー、主治医、本人。",
                    "カードは体調が良い日に少しずつ書けばよいこととし、書けない欄は空けたままでよいとしています。",
                    "医療機関によって受け取り方に差があり、カードを見てもらえないこともありました。",
                    "1年間で40名が利用し、15名が就職、そのうち12名が半年以上働き続けています。",
                    "本人が自分の言葉で伝えられる道具をつくると、支援者がいない場面でも対話が続きます。",
                ],
                "support_worker",
            ),
        ),
        (
            "municipal",
            p(
                "市役所の窓口で始めた「働くことの相談」ワンストップ",
                "municipality",
                "さいたま市(福祉局)",
                "saitama",
                "医療費助成の申請に来た方に、就労の相談先を案内する仕組みを市の窓口に設けました。",
                [
                    "指定難病の医療費助成の更新で年に一度窓口に来る方の多くが、仕事の悩みを抱えていました。",
                    "窓口で就労相談の案内を手渡し、希望する方には相談支援センターの予約をその場で取れるようにしました。",
                    "市の窓口職員、難病相談支援センター、ハローワーク。",
                    "相談は急がず、「今は考えたくない」という方にも案内だけを渡しています。",
                    "窓口が混む時期は案内が形だけになりがちで、職員の負担も課題です。",
                    "初年度に120件の案内を行い、30件が相談につながりました。",
                    "すでに人が来ている場所に、次の一歩への入口を置くこと。",
                ],
                "municipality",
            ),
        ),
        ("people", person),
    ]
}

pub async fn seed(state: &AppState, practices: usize, if_empty: bool) -> Result<String, AppError> {
    let c = state.db.conn();
    if if_empty && !repo::users::list(c).await?.is_empty() {
        return Ok("demo data: database already has accounts; nothing loaded".into());
    }
    if practices > 0 && repo::users::find_by_email(c, "admin@example.jp").await?.is_some() {
        let started = std::time::Instant::now();
        let records = synthetic_records(practices, 20251112 + repo::archive::list_all(c).await?.len() as u64);
        let mut last = 0;
        let report =
            crate::server::service::archive::import_records(state, records, false, 5000, &mut |done, total| {
                if done - last >= 5000 || done == total {
                    eprintln!("  {done}/{total} records");
                    last = done;
                }
            })
            .await?;
        return Ok(format!(
            "demo data: {} synthetic published records in {:.1} s",
            report.imported,
            started.elapsed().as_secs_f64()
        ));
    }
    let mut report = vec![];
    for (email, name, password, role) in DEMO_ACCOUNTS {
        accounts::create_account(&state.db, email, name, password, role).await?;
    }
    report.push(format!("{} accounts", DEMO_ACCOUNTS.len()));

    if repo::editions::find_by_slug(c, CURRENT_EDITION_SLUG).await?.is_none() {
        let now = Utc::now();
        let tx = state.db.begin().await?;
        let e = repo::editions::insert(
            &*tx,
            CURRENT_EDITION_SLUG,
            "CONFERENCE + AWARD 2026–2027",
            "CONFERENCE + AWARD 2026–2027",
            "conference_award",
            "2026–2027",
            2026,
            false,
            now,
        )
        .await?;
        editions::add_default_categories(&*tx, e.id).await?;
        repo::editions::upsert_stage(
            &*tx,
            e.id,
            StageKind::Nominations.key(),
            0,
            1,
            parse_tokyo("2026-10-01T00:00"),
            parse_tokyo("2027-02-01T00:00"),
        )
        .await?;
        crate::server::service::stages::set_current(&*tx, e.id, StageKind::Nominations, 0).await?;
        crate::server::service::rubrics::ensure_round(&*tx, e.id, 1).await?;
        for email in ["reviewer@example.jp", "reviewer2@example.jp"] {
            if let Some(r) = repo::users::find_by_email(&*tx, email).await? {
                for cat in repo::editions::categories(&*tx, e.id).await? {
                    repo::review::add_panel_member(&*tx, e.id, cat.id, r.id, now).await?;
                }
            }
        }
        tx.commit().await?;
        report.push("edition 2026–27 with four categories, the default rubric and both demo reviewers on every panel (nominations open until 2027-01-31 24:00 JST)".into());

        let nominator = repo::users::find_by_email(c, "nominator@example.jp").await?.ok_or(AppError::NotFound)?;
        let viewer = accounts::to_viewer(&nominator);
        let samples = sample_practices();
        let count = samples.len();
        for (i, (category, mut input)) in samples.into_iter().enumerate() {
            let id = crate::server::service::nominations::start(
                state,
                Some(&viewer),
                crate::domain::ids::EditionId(e.id),
                category,
            )
            .await?;
            if input.is_self_nomination() {
                input.self_consent_scope = "archive_named".into();
            }
            let saved = crate::server::service::nominations::save(state, Some(&viewer), id, 1, input).await?;
            let _ = saved;
            if i + 1 < count {
                crate::server::service::nominations::submit(state, Some(&viewer), id, true, crate::i18n::Locale::Ja)
                    .await?;
            }
        }
        report.push(format!("{count} sample nominations by nominator@example.jp (one kept as a draft)"));
    }
    if repo::archive::published(c).await?.is_empty() || practices > 0 {
        let n = if practices > 0 { practices } else { 24 };
        let imported = seed_archive(state, n).await?;
        report.push(format!("{imported} published archive records"));
    }
    report.push(super::demo_events::seed_events(state).await?);
    Ok(format!("demo data: {}", report.join("; ")))
}

/// Submits the sample practices (by the demo nominator) into an existing edition, whose
/// nomination window is opened for the moment it takes. For demos and browser journeys.
pub async fn seed_nominations_into(state: &AppState, slug: &str) -> Result<String, AppError> {
    seed_nominations(state, slug, true).await
}

/// The sample nominations, submitted into `slug`; with `paper_consent`, the featured
/// organisations' consent is recorded as given (otherwise it is still to be asked).
async fn seed_nominations(state: &AppState, slug: &str, paper_consent: bool) -> Result<String, AppError> {
    use crate::server::service::{nominations, stages};
    let c = state.db.conn();
    let e = repo::editions::find_by_slug(c, slug).await?.ok_or(AppError::NotFound)?;
    let nominator = match repo::users::find_by_email(c, "nominator@example.jp").await? {
        Some(u) => u,
        None => {
            accounts::create_account(
                &state.db,
                "nominator@example.jp",
                "推薦者 花子",
                "demo-nominator-2026",
                Role::Nominator,
            )
            .await?
        }
    };
    let viewer = accounts::to_viewer(&nominator);
    let (opens, closes) = repo::editions::nomination_window(c, e.id).await?;
    let previous_stage = stages::current(&e);
    let now = Utc::now();
    repo::editions::upsert_stage(
        c,
        e.id,
        StageKind::Nominations.key(),
        0,
        10,
        Some(now - chrono::Duration::minutes(1)),
        Some(now + chrono::Duration::hours(1)),
    )
    .await?;
    stages::set_current(c, e.id, StageKind::Nominations, 0).await?;
    let mut ids = vec![];
    for (category, mut input) in sample_practices() {
        let id = nominations::start(state, Some(&viewer), crate::domain::ids::EditionId(e.id), category).await?;
        if input.is_self_nomination() {
            input.self_consent_scope = "archive_named".into();
        }
        let self_nomination = input.is_self_nomination();
        nominations::save(state, Some(&viewer), id, 1, input).await?;
        nominations::submit(state, Some(&viewer), id, true, crate::i18n::Locale::Ja).await?;
        if paper_consent && !self_nomination {
            // The featured organisations gave their consent on paper; the organiser's record
            // of it lets the entries reach review.
            record_paper_consent(state, id.0).await?;
        }
        ids.push(id.0);
    }
    repo::editions::upsert_stage(
        c,
        e.id,
        StageKind::Nominations.key(),
        0,
        10,
        // The window as it was: a deadline set to "now" here would let the scheduler move the
        // edition on its own, racing the organiser who moves it by hand.
        opens,
        closes,
    )
    .await?;
    stages::set_current(c, e.id, previous_stage.0, previous_stage.1).await?;
    Ok(format!("submitted nominations {ids:?} into edition {slug}"))
}

/// A consent obtained outside the platform and recorded (demo data): through the one consent
/// path, so history, audit and archive follow as they would for an organiser.
async fn record_paper_consent(state: &AppState, nomination_id: i64) -> Result<(), AppError> {
    use crate::domain::consent::{ConsentActor, ConsentScope, ConsentState, ConsentStatus};
    let tx = state.db.begin().await?;
    let n = repo::nominations::find(&*tx, nomination_id).await?.ok_or(AppError::NotFound)?;
    let from = crate::server::policy::consent_of(&*tx, n.id).await?;
    let to = ConsentState { status: ConsentStatus::Given, scope: Some(ConsentScope::ArchiveNamed), photos: false };
    crate::server::service::consent::store_change(&*tx, &n, from, to, false, ConsentActor::Organiser, None).await?;
    tx.commit().await?;
    Ok(())
}

/// An edition in the decisions stage with `n` nominations, each scored by three of thirty
/// reviewers on the default rubric: the load the ranking page and the queues must carry.
pub async fn seed_review_load(state: &AppState, n: usize) -> Result<String, AppError> {
    use crate::server::service::{rubrics, stages};
    let now = Utc::now();
    let slug = format!("load-{n}");
    let c = state.db.conn();
    if let Some(e) = repo::editions::find_by_slug(c, &slug).await? {
        return Ok(format!("edition {slug} (id {}) already exists", e.id));
    }
    let hash = crate::server::auth::hash_password("demo-reviewer-2026").await?;
    let tx = state.db.begin().await?;
    let e = repo::editions::insert(
        &*tx,
        &slug,
        &format!("負荷試験 {n}件"),
        &format!("Load test {n}"),
        "conference_award",
        "2027",
        2027,
        false,
        now,
    )
    .await?;
    editions::add_default_categories(&*tx, e.id).await?;
    let cats = repo::editions::categories(&*tx, e.id).await?;
    let rubric = rubrics::ensure_round(&*tx, e.id, 1).await?;
    let criteria = repo::review::criteria(&*tx, rubric.id).await?;
    repo::editions::upsert_stage(&*tx, e.id, "review", 1, 31, None, None).await?;
    let mut reviewers = vec![];
    for i in 0..30 {
        let email = format!("load-reviewer{i}@example.jp");
        let u = match repo::users::find_by_email(&*tx, &email).await? {
            Some(u) => u,
            None => {
                repo::users::insert(&*tx, &email, &format!("負荷 審査員{i}"), &hash, Role::Reviewer, None, now).await?
            }
        };
        for cat in &cats {
            repo::review::add_panel_member(&*tx, e.id, cat.id, u.id, now).await?;
        }
        reviewers.push(u.id);
    }
    let nominator = repo::users::find_by_email(&*tx, "nominator@example.jp").await?.ok_or(AppError::NotFound)?;
    let samples = sample_practices();
    let mut seed: u64 = 11;
    let mut next = move |m: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % m
    };
    for i in 0..n {
        let cat = &cats[i % cats.len()];
        let (_, sample) = &samples[i % samples.len()];
        let nm = repo::nominations::insert_draft(&*tx, e.id, cat.id, nominator.id, now).await?;
        repo::consents::insert_initial(&*tx, nm.id, now).await?;
        // Each featured party consented to review (recorded by an organiser), so the entries
        // reach their reviewers.
        let given = crate::domain::consent::ConsentState {
            status: crate::domain::consent::ConsentStatus::Given,
            scope: Some(crate::domain::consent::ConsentScope::ReviewOnly),
            photos: false,
        };
        repo::consents::record(
            &*tx,
            nm.id,
            crate::domain::consent::ConsentState::NOT_ASKED,
            given,
            false,
            crate::domain::consent::ConsentActor::Organiser,
            None,
            now,
        )
        .await?;
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let mut am: crate::server::entities::nomination::ActiveModel = nm.clone().into();
        am.title = Set(format!("{} #{i}", sample.title));
        am.summary = Set(sample.summary.clone());
        am.nominee_name = Set(sample.nominee_name.clone());
        am.region = Set(sample.region.clone());
        am.status = Set(crate::domain::nomination::NominationStatus::Submitted);
        am.screening = Set(crate::domain::nomination::Screening::Eligible);
        am.submitted_at = Set(Some(now));
        am.update(&*tx).await?;
        for r in 0..3 {
            let reviewer = reviewers[(i * 3 + r) % reviewers.len()];
            if let Some(aid) = repo::review::insert_assignment(&*tx, nm.id, reviewer, 1, "auto", now).await? {
                let values: Vec<(i64, i32)> = criteria.iter().map(|k| (k.id, 1 + next(5) as i32)).collect();
                repo::review::upsert_review(&*tx, aid, rubric.id, "submitted", "", "", &values, now).await?;
            }
        }
    }
    stages::set_current(&*tx, e.id, StageKind::Decisions, 1).await?;
    tx.commit().await?;
    Ok(format!("edition {slug} (id {}) with {n} nominations x 3 submitted sheets; reviewers load-reviewer0..29@example.jp / demo-reviewer-2026", e.id))
}

/// Realistic synthetic records for demos and benchmarks: Japanese text built from the words
/// people in this field use, deterministic for a given `seed`.
pub fn synthetic_records(n: usize, seed: u64) -> Vec<crate::domain::archive::ImportRecord> {
    use crate::domain::archive::ImportRecord;
    const ORGS: [&str; 12] = [
        "株式会社さくら精機",
        "みどり物流株式会社",
        "あおば情報システム株式会社",
        "ひかり食品株式会社",
        "株式会社むさしの建設",
        "こだま印刷株式会社",
        "川越市",
        "熊谷市",
        "所沢市",
        "地域就労支援センターあゆみ",
        "障害者就業・生活支援センターみらい",
        "NPO法人ともに働く会",
    ];
    const ILLNESSES: [&str; 10] = [
        "クローン病",
        "潰瘍性大腸炎",
        "全身性エリテマトーデス",
        "多発性硬化症",
        "パーキンソン病",
        "1型糖尿病",
        "乳がん",
        "慢性心不全",
        "線維筋痛症",
        "難病",
    ];
    const MEASURES: [&str; 14] = [
        "在宅勤務",
        "テレワーク",
        "時差出勤",
        "時間単位休暇",
        "短時間勤務",
        "通院休暇",
        "産業医面談",
        "ジョブコーチ",
        "配置転換",
        "休憩スペース",
        "柔軟な勤務時間",
        "ピアサポート",
        "両立支援プラン",
        "職場の対話会",
    ];
    const PEOPLE: [&str; 6] = ["本人", "上司", "人事担当者", "産業医", "主治医", "支援機関の担当者"];
    const CATEGORIES: [&str; 4] = ["corporate", "support", "municipal", "people"];
    const EDITIONS: [(&str, i32, &str); 3] = [
        ("CONFERENCE 2025–2026", 2025, "certified"),
        ("CONFERENCE + AWARD 2026–2027", 2026, "excellence"),
        ("AWARD 2027", 2027, "grand_prize"),
    ];
    let mut state = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut next = move |m: usize| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % m
    };
    (0..n)
        .map(|i| {
            let org = ORGS[next(ORGS.len())];
            let ill = ILLNESSES[next(ILLNESSES.len())];
            let m1 = MEASURES[next(MEASURES.len())];
            let mut m2 = MEASURES[next(MEASURES.len())];
            if m2 == m1 {
                m2 = MEASURES[(MEASURES.iter().position(|m| *m == m1).unwrap_or(0) + 1) % MEASURES.len()];
            }
            let p1 = PEOPLE[next(PEOPLE.len())];
            let p2 = PEOPLE[next(PEOPLE.len())];
            let (edition, year, badge) = EDITIONS[next(EDITIONS.len())];
            let region = crate::domain::region::REGIONS[next(crate::domain::region::REGIONS.len())].0;
            let named = next(3) != 0;
            let months = 3 + next(30);
            let badges = if badge == "certified" || next(4) != 0 { vec!["certified".to_string()] } else { vec!["certified".to_string(), badge.to_string()] };
            ImportRecord {
                title: format!("{m1}と{m2}で支える、{ill}とともに働く職場づくり(事例{})", i + 1),
                category: CATEGORIES[next(4)].into(),
                region: region.into(),
                edition: edition.into(),
                year,
                summary: format!("{org}では、{ill}のある方が体調のゆらぎと付き合いながら働き続けられるよう、{m1}と{m2}を組み合わせた取り組みを{months}か月続けています。"),
                background: format!("{ill}のある社員が、通院のたびに休暇を使い切ってしまい、働き続けることへの不安を{p1}に打ち明けたことがきっかけでした。"),
                practice: format!("{p1}と{p2}が月に一度話し合う場を設け、次のことを決めました。\n\n- {m1}を選べるようにする\n- {m2}を取り入れる\n- 体調の波を一言で伝え合う"),
                challenges: format!("{m1}が使えない業務もあり、すべての職種には広げられていません。周囲への説明の仕方にも、まだ迷いがあります。"),
                outcomes: format!("対象の方は働き続けています。{m2}はほかの社員にも使われるようになり、職場全体の働きやすさにつながりました。"),
                lessons: format!("まず一人の声を丁寧に聞くこと。{m1}のような制度を「誰でも使えるもの」にすると、受け止め方が変わります。"),
                tags: vec![m1.to_string(), m2.to_string(), ill.to_string()],
                badges,
                consent_scope: if named { "archive_named".into() } else { "archive_anonymised".into() },
                nominee_name: if named { org.to_string() } else { String::new() },
            }
        })
        .collect()
}

/// A past edition's worth of published records, for the demo archive.
pub async fn seed_archive(state: &AppState, n: usize) -> Result<usize, AppError> {
    let records = synthetic_records(n, 20251112);
    let report = crate::server::service::archive::import_records(state, records, false, 2000, &mut |_, _| {}).await?;
    Ok(report.imported)
}

/// An edition whose results are published, holding the sample practices as certified (and one
/// awarded) nominations of the demo nominator — the starting point of the archive journey.
pub async fn seed_recognised(state: &AppState, slug: &str) -> Result<String, AppError> {
    use crate::domain::nomination::Outcome;
    use crate::server::entities::{edition, nomination};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let c = state.db.conn();
    let now = Utc::now();
    let e = match repo::editions::find_by_slug(c, slug).await? {
        Some(e) => e,
        None => {
            let tx = state.db.begin().await?;
            let e = repo::editions::insert(
                &*tx,
                slug,
                &format!("CONFERENCE テスト {slug}"),
                &format!("CONFERENCE test {slug}"),
                "conference_award",
                "2026–2027",
                2026,
                false,
                now,
            )
            .await?;
            editions::add_default_categories(&*tx, e.id).await?;
            tx.commit().await?;
            e
        }
    };
    // Consent still to be asked: the archive journey asks it through the platform.
    seed_nominations(state, slug, false).await?;
    let mut out = vec![];
    for (i, n) in repo::nominations::list_by_edition(c, e.id).await?.into_iter().enumerate() {
        let outcome = if i == 1 { Outcome::GrandPrize } else { Outcome::Certified };
        let mut am: nomination::ActiveModel = n.clone().into();
        am.screening = Set(crate::domain::nomination::Screening::Eligible);
        am.outcome = Set(outcome);
        am.update(c).await?;
        out.push(serde_json::json!({"id": n.id, "title": n.title, "outcome": outcome.key()}));
    }
    let mut am: edition::ActiveModel = e.clone().into();
    am.current_stage = Set(StageKind::Results);
    am.results_published_at = Set(Some(now));
    am.update(c).await?;
    Ok(serde_json::json!({"edition": slug, "nominations": out}).to_string())
}
