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
                &viewer,
                crate::domain::ids::EditionId(e.id),
                category,
            )
            .await?;
            if input.is_self_nomination() {
                input.self_consent_scope = "archive_named".into();
            }
            let saved = crate::server::service::nominations::save(state, &viewer, id, 1, input).await?;
            let _ = saved;
            if i + 1 < count {
                crate::server::service::nominations::submit(state, &viewer, id, true, crate::i18n::Locale::Ja).await?;
            }
        }
        report.push(format!("{count} sample nominations by nominator@example.jp (one kept as a draft)"));
    }
    let _ = practices;
    Ok(format!("demo data: {}", report.join("; ")))
}

/// Submits the sample practices (by the demo nominator) into an existing edition, whose
/// nomination window is opened for the moment it takes. For demos and browser journeys.
pub async fn seed_nominations_into(state: &AppState, slug: &str) -> Result<String, AppError> {
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
        let id = nominations::start(state, &viewer, crate::domain::ids::EditionId(e.id), category).await?;
        if input.is_self_nomination() {
            input.self_consent_scope = "archive_named".into();
        }
        nominations::save(state, &viewer, id, 1, input).await?;
        nominations::submit(state, &viewer, id, true, crate::i18n::Locale::Ja).await?;
        ids.push(id.0);
    }
    repo::editions::upsert_stage(
        c,
        e.id,
        StageKind::Nominations.key(),
        0,
        10,
        opens.or(Some(now - chrono::Duration::days(1))),
        closes.or(Some(now)),
    )
    .await?;
    stages::set_current(c, e.id, previous_stage.0, previous_stage.1).await?;
    Ok(format!("submitted nominations {ids:?} into edition {slug}"))
}
