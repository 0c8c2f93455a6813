//! Demo forum events: the 2026 Saitama forum as it happened (a past event, its venue full
//! since 26 January and online-only from the 27th, its programme, registrants' data already
//! erased after retention) and next year's forum with registration open.
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait};

use crate::domain::forum::{default_affiliations, municipalities, Attendance, RegStatus, SessionKind};
use crate::domain::time::parse_tokyo;
use crate::error::AppError;
use crate::server::entities::{event, event_registration, event_session};
use crate::server::{auth, repo, AppState};

pub const PAST_FORUM_SLUG: &str = "saitama-2026";
pub const NEXT_FORUM_SLUG: &str = "saitama-2027";
const PAST_EDITION_SLUG: &str = "conference-2025-26";

const RULES_MD: &str = "難病・慢性疾患とともに働く人、その家族、支援者、企業、行政が集まり、地域の実践を共有するフォーラムです。\n\n\
会場は小規模ながら、オンライン参加により全国からの視聴が可能です。難病・慢性疾患の就労支援に関心のあるみなさまのご参加を心よりお待ちしております。";

fn t(s: &str) -> Option<DateTime<Utc>> {
    parse_tokyo(s)
}

fn base(edition_id: i64, slug: &str, now: DateTime<Utc>) -> event::ActiveModel {
    event::ActiveModel {
        edition_id: Set(edition_id),
        slug: Set(slug.into()),
        published: Set(true),
        venue_name: Set("大宮ソニックシティ".into()),
        room: Set("905号室(9階)".into()),
        address: Set("さいたま市大宮区桜木町1-7-5".into()),
        map_url: Set("https://www.sonic-city.or.jp/access/".into()),
        audience_ja: Set("支援者、支援機関、難病患者、患者家族、企業".into()),
        audience_en: Set("Supporters, support agencies, patients, families, companies".into()),
        fee_ja: Set("無料".into()),
        fee_en: Set("Free".into()),
        contact_name: Set("埼玉県難病相談支援センター(埼玉県障害難病団体協議会)".into()),
        contact_phone: Set("048-831-8005".into()),
        contact_email: Set(String::new()),
        organisers: Set("地域の伴走 難病・慢性疾患 就労支援ネットワーク(企画・共同主催)".into()),
        co_organisers: Set("埼玉県難病相談支援センター事業として、多くの支援機関・関係団体の協力により開催".into()),
        description_md: Set(RULES_MD.into()),
        capacity: Set(50),
        venue_taken: Set(0),
        venue_full_at: Set(None),
        waiting_list: Set(false),
        online: Set(true),
        online_only_from: Set(None),
        registration_opens_at: Set(None),
        registration_closes_at: Set(None),
        questions_public: Set(false),
        municipalities_json: Set(serde_json::to_string(&municipalities("saitama")).unwrap_or_default()),
        affiliations_json: Set(serde_json::to_string(&default_affiliations()).unwrap_or_default()),
        online_link: Set(String::new()),
        online_link_sent_at: Set(None),
        reminders_sent_at: Set(None),
        retention_days: Set(90),
        purged_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

struct S<'a> {
    kind: SessionKind,
    from: &'a str,
    to: &'a str,
    title: &'a str,
    title_en: &'a str,
    subtitle: &'a str,
    theme: &'a str,
    speakers: &'a [(&'a str, &'a str, &'a str)],
    practice_id: Option<i64>,
}

async fn programme<C: ConnectionTrait>(c: &C, event_id: i64, day: &str, items: &[S<'_>]) -> Result<(), AppError> {
    for (i, s) in items.iter().enumerate() {
        let row = repo::forum::insert_session(
            c,
            event_session::ActiveModel {
                event_id: Set(event_id),
                position: Set(i as i32 + 1),
                kind: Set(s.kind),
                starts_at: Set(t(&format!("{day}T{}", s.from))),
                ends_at: Set(t(&format!("{day}T{}", s.to))),
                title_ja: Set(s.title.into()),
                title_en: Set(s.title_en.into()),
                subtitle_ja: Set(s.subtitle.into()),
                subtitle_en: Set(String::new()),
                theme_ja: Set(s.theme.into()),
                theme_en: Set(match s.theme {
                    FIRST_HALF => "First half: where things stand".into(),
                    SECOND_HALF => "Second half: sharing and thinking together".into(),
                    _ => String::new(),
                }),
                practice_id: Set(s.practice_id),
                nomination_id: Set(None),
                ..Default::default()
            },
        )
        .await?;
        for (n, (name, aff, title)) in s.speakers.iter().enumerate() {
            repo::forum::insert_speaker(c, row.id, n as i32 + 1, name, aff, title, None).await?;
        }
    }
    Ok(())
}

const FIRST_HALF: &str = "前半: 難病者をとりまく状況を知る";
const SECOND_HALF: &str = "後半: 共有し、ともに考える";

const PANEL: &[(&str, &str, &str)] = &[
    ("事例提供者", "難病とともに働く当事者", ""),
    ("難病患者就職サポーター", "ハローワーク", ""),
    ("障害者職業カウンセラー", "埼玉障害者職業センター", ""),
    ("就業支援担当", "障害者就業・生活支援センター", ""),
    ("相談支援員", "埼玉県難病相談支援センター", ""),
    ("医療ソーシャルワーカー", "医療機関", ""),
    ("人事担当", "企業", ""),
    ("行政担当", "埼玉県", ""),
    ("コーディネーター", "就労支援ネットワークONE", "進行"),
];

/// Both forums, once (a second run finds them and adds nothing).
pub async fn seed_events(state: &AppState) -> Result<String, AppError> {
    let c = state.db.conn();
    if repo::forum::find_event_by_slug(c, PAST_FORUM_SLUG).await?.is_some() {
        return Ok("forum events already there".into());
    }
    let now = Utc::now();
    let tx = state.db.begin().await?;
    let past_edition = match repo::editions::find_by_slug(&*tx, PAST_EDITION_SLUG).await? {
        Some(e) => e,
        None => {
            repo::editions::insert(
                &*tx,
                PAST_EDITION_SLUG,
                "CONFERENCE 2025–2026",
                "CONFERENCE 2025–2026",
                "conference",
                "2025–2026",
                2025,
                true,
                now,
            )
            .await?
        }
    };
    let current =
        repo::editions::find_by_slug(&*tx, super::demo::CURRENT_EDITION_SLUG).await?.unwrap_or(past_edition.clone());

    // The 2026 forum, as it happened.
    let mut past = base(past_edition.id, PAST_FORUM_SLUG, now);
    past.title_ja = Set("難病・慢性疾患 就労支援ネットワークフォーラム SAITAMA 2026".into());
    past.title_en = Set("Intractable and Chronic Illness Employment Support Network Forum SAITAMA 2026".into());
    past.subtitle_ja = Set("築こう、支えよう、難病患者への就労の道を".into());
    past.subtitle_en = Set("Build and support the way to work for people with intractable illness".into());
    past.starts_at = Set(t("2026-02-21T12:45").unwrap_or(now));
    past.ends_at = Set(t("2026-02-21T16:30").unwrap_or(now));
    past.reception_at = Set(t("2026-02-21T12:15"));
    past.venue_taken = Set(50);
    past.venue_full_at = Set(t("2026-01-26T18:00"));
    past.online_only_from = Set(t("2026-01-27T00:00"));
    past.registration_opens_at = Set(t("2025-12-01T10:00"));
    past.purged_at = Set(t("2026-05-22T03:00"));
    let past = repo::forum::insert_event(&*tx, past).await?;
    let day = "2026-02-21";
    programme(
        &*tx,
        past.id,
        day,
        &[
            S {
                kind: SessionKind::Talk,
                from: "12:45",
                to: "12:55",
                title: "開会・趣旨説明",
                title_en: "Opening",
                subtitle: "",
                theme: "",
                speakers: &[],
                practice_id: None,
            },
            S {
                kind: SessionKind::Keynote,
                from: "12:55",
                to: "13:35",
                title: "難病者の就労を実現する3つのプレイヤー",
                title_en: "Three players who make work possible for people with intractable illness",
                subtitle: "",
                theme: FIRST_HALF,
                speakers: &[("朝日 雅也", "埼玉県立大学", "名誉教授")],
                practice_id: None,
            },
            S {
                kind: SessionKind::Keynote,
                from: "13:35",
                to: "14:15",
                title: "難病患者の就労支援についての現状と課題",
                title_en: "Employment support for people with intractable illness: where it stands",
                subtitle: "〜難病患者の就労困難性に関する調査研究より〜",
                theme: FIRST_HALF,
                speakers: &[("大竹 祐貴", "JEED 障害者職業総合センター 研究部門(社会的支援部門)", "")],
                practice_id: None,
            },
            S {
                kind: SessionKind::Talk,
                from: "14:15",
                to: "14:50",
                title: "支援機関の取り組みから",
                title_en: "What the support agencies do",
                subtitle: "調査・研究・事例から(それぞれ異なります)",
                theme: FIRST_HALF,
                speakers: &[
                    ("難病患者就職サポーター", "ハローワーク", ""),
                    ("埼玉障害者職業センター", "", ""),
                    ("障害者就業・生活支援センター", "埼玉県障害者総合サポートセンター", ""),
                ],
                practice_id: None,
            },
            S {
                kind: SessionKind::Break,
                from: "14:50",
                to: "15:05",
                title: "休憩",
                title_en: "Break",
                subtitle: "",
                theme: "",
                speakers: &[],
                practice_id: None,
            },
            S {
                kind: SessionKind::Panel,
                from: "15:05",
                to: "16:25",
                title: "全体トーク・パネルディスカッション",
                title_en: "Panel discussion",
                subtitle: "小テーマ: 連携/難病患者と就労 その課題/それぞれのアクション",
                theme: SECOND_HALF,
                speakers: PANEL,
                practice_id: None,
            },
            S {
                kind: SessionKind::Talk,
                from: "16:25",
                to: "16:30",
                title: "閉会",
                title_en: "Closing",
                subtitle: "",
                theme: "",
                speakers: &[],
                practice_id: None,
            },
        ],
    )
    .await?;
    // What is left of its registrations after retention: the counts, no personal data.
    for i in 0..88 {
        let token = auth::new_token();
        let status = if i < 50 { RegStatus::Venue } else { RegStatus::Online };
        let at = t("2026-01-10T10:00").unwrap_or(now);
        repo::forum::insert_registration(
            &*tx,
            event_registration::ActiveModel {
                event_id: Set(past.id),
                user_id: Set(None),
                status: Set(status),
                attendance: Set(if i < 50 { Attendance::Venue } else { Attendance::Online }),
                name: Set(String::new()),
                furigana: Set(String::new()),
                phone: Set(String::new()),
                email: Set(format!("purged-demo-{i}")),
                municipality: Set(String::new()),
                municipality_other: Set(String::new()),
                affiliation: Set(String::new()),
                needs: Set(String::new()),
                locale: Set("ja".into()),
                cancel_token_hash: Set(auth::token_hash(&token)),
                rules_ack_at: Set(at),
                privacy_ack_at: Set(at),
                checked_in_at: Set((i < 46).then_some(t("2026-02-21T12:30").unwrap_or(now))),
                purged_at: Set(t("2026-05-22T03:00")),
                created_at: Set(at),
                ..Default::default()
            },
        )
        .await?;
    }

    // Next year's forum, taking registrations now.
    let presented = repo::archive::published(&*tx).await?.into_iter().next().map(|p| p.id);
    let mut next = base(current.id, NEXT_FORUM_SLUG, now);
    next.title_ja = Set("難病・慢性疾患 就労支援ネットワークフォーラム SAITAMA 2027".into());
    next.title_en = Set("Intractable and Chronic Illness Employment Support Network Forum SAITAMA 2027".into());
    next.subtitle_ja = Set("実践を持ち寄り、ゆらぎとともに働く地域をつくる".into());
    next.subtitle_en = Set("Bringing practices together for a region where people work with their fluctuations".into());
    next.starts_at = Set(t("2027-02-20T12:45").unwrap_or(now));
    next.ends_at = Set(t("2027-02-20T16:30").unwrap_or(now));
    next.reception_at = Set(t("2027-02-20T12:15"));
    next.waiting_list = Set(true);
    next.questions_public = Set(true);
    next.registration_closes_at = Set(t("2027-02-19T17:00"));
    next.online_link = Set("https://example.jp/zoom/saitama-2027".into());
    let next = repo::forum::insert_event(&*tx, next).await?;
    programme(
        &*tx,
        next.id,
        "2027-02-20",
        &[
            S {
                kind: SessionKind::Keynote,
                from: "12:55",
                to: "13:35",
                title: "ゆらぎとともに働く: この一年の実践から",
                title_en: "Working with fluctuation: practices of the year",
                subtitle: "",
                theme: FIRST_HALF,
                speakers: &[("基調講演者(調整中)", "", "")],
                practice_id: None,
            },
            S {
                kind: SessionKind::Practice,
                from: "13:35",
                to: "14:05",
                title: "実践共有認定の実践から",
                title_en: "From a certified practice",
                subtitle: "",
                theme: FIRST_HALF,
                speakers: &[("実践の担い手", "", "")],
                practice_id: presented,
            },
            S {
                kind: SessionKind::Break,
                from: "14:05",
                to: "14:20",
                title: "休憩",
                title_en: "Break",
                subtitle: "",
                theme: "",
                speakers: &[],
                practice_id: None,
            },
            S {
                kind: SessionKind::Panel,
                from: "14:20",
                to: "15:40",
                title: "パネルディスカッション",
                title_en: "Panel discussion",
                subtitle: "小テーマ: 連携/それぞれのアクション",
                theme: SECOND_HALF,
                speakers: &PANEL[..5],
                practice_id: None,
            },
        ],
    )
    .await?;
    repo::archive::bump_forum_version(&*tx).await?;
    tx.commit().await?;
    Ok(format!("forum events: {PAST_FORUM_SLUG} (past, with programme) and {NEXT_FORUM_SLUG} (registration open)"))
}
