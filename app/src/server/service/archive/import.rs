//! Bulk import of an existing case collection (JSON Lines): every line checked first, nothing
//! imported unless all are good, then published through the one publish path.
use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use super::publish::{publish, PracticeDraft, Publisher};
use crate::domain::archive::{slug, validate_import, ImportRecord, PracticeStatus};
use crate::domain::region::region_key;
use crate::domain::validation::{FieldError, Problem};
use crate::error::AppError;
use crate::server::entities::practice;
use crate::server::{repo, AppState};

pub struct ImportReport {
    pub imported: usize,
    pub editions_created: usize,
    pub errors: Vec<(usize, Vec<FieldError>)>,
}

/// Parses and checks every line first; imports nothing if any line is bad. Lines are imported
/// in transactions of `batch` records; `progress` is told after each.
pub async fn import(
    state: &AppState,
    text: &str,
    draft: bool,
    batch: usize,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport, AppError> {
    let mut records = vec![];
    let mut errors = vec![];
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<ImportRecord>(line) {
            Ok(r) => {
                let problems = validate_import(&r);
                if problems.is_empty() {
                    records.push(r);
                } else {
                    errors.push((i + 1, problems));
                }
            }
            Err(e) => {
                tracing::debug!(line = i + 1, error = %e, "unreadable import line");
                errors.push((i + 1, vec![FieldError::new(json_field(&e.to_string()), Problem::InvalidChoice)]));
            }
        }
    }
    if !errors.is_empty() {
        return Ok(ImportReport { imported: 0, editions_created: 0, errors });
    }
    import_records(state, records, draft, batch, progress).await
}

fn json_field(message: &str) -> String {
    // serde_json names the field in its message: "unknown field `colour`", "missing field `title`".
    message.split('`').nth(1).map(str::to_string).unwrap_or_else(|| "line".into())
}

pub async fn import_records(
    state: &AppState,
    records: Vec<ImportRecord>,
    draft: bool,
    batch: usize,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport, AppError> {
    let total = records.len();
    let mut editions: HashMap<String, (i64, String, i32)> = repo::editions::list(state.db.conn())
        .await?
        .into_iter()
        .map(|e| (e.name_ja.clone(), (e.id, e.name_ja, e.start_year)))
        .collect();
    let mut created = 0;
    let mut done = 0;
    for chunk in records.chunks(batch.max(1)) {
        let tx = state.db.begin().await?;
        for r in chunk {
            let edition = match editions.get(r.edition.trim()) {
                Some(e) => e.clone(),
                None => {
                    let name = r.edition.trim().to_string();
                    let mode = if r.badges.iter().all(|b| b == "certified") {
                        "conference"
                    } else if r.badges.iter().any(|b| b == "certified") {
                        "conference_award"
                    } else {
                        "award"
                    };
                    let slug = format!("past-{}-{}", r.year, editions.len() + 1);
                    let e = repo::editions::insert(
                        &*tx,
                        &slug,
                        &name,
                        &name,
                        mode,
                        &r.year.to_string(),
                        r.year,
                        true,
                        Utc::now(),
                    )
                    .await?;
                    created += 1;
                    let v = (e.id, name.clone(), r.year);
                    editions.insert(name, v.clone());
                    v
                }
            };
            import_one(&*tx, r, edition, draft).await?;
        }
        tx.commit().await?;
        done += chunk.len();
        progress(done, total);
    }
    Ok(ImportReport { imported: total, editions_created: created, errors: vec![] })
}

async fn import_one<C: ConnectionTrait>(
    c: &C,
    r: &ImportRecord,
    edition: (i64, String, i32),
    draft: bool,
) -> Result<i64, AppError> {
    let now = Utc::now();
    let region = region_key(&r.region).unwrap_or("nationwide").to_string();
    let category = crate::domain::category::CategoryKey::parse(r.category.trim())
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("category", Problem::InvalidChoice)]))?;
    let sections: BTreeMap<String, String> = [
        ("background", &r.background),
        ("practice", &r.practice),
        ("challenges", &r.challenges),
        ("outcomes", &r.outcomes),
        ("lessons", &r.lessons),
    ]
    .into_iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| (k.to_string(), v.clone()))
    .collect();
    let draft_text =
        PracticeDraft { title: r.title.clone(), summary: r.summary.clone(), tags: r.tags.join(", "), sections };
    let p = practice::ActiveModel {
        slug: Set(format!("import-{}", crate::server::auth::new_token())),
        nomination_id: Set(None),
        edition_id: Set(Some(edition.0)),
        status: Set(PracticeStatus::Draft),
        category: Set(category),
        region: Set(region.clone()),
        industry: Set(String::new()),
        org_size: Set(String::new()),
        consent_scope: Set(r.consent_scope.clone()),
        photos: Set(false),
        nominee_name: Set(r.nominee_name.trim().to_string()),
        title: Set(r.title.trim().to_string()),
        summary: Set(String::new()),
        sections_json: Set("{}".into()),
        draft_json: Set(Some(serde_json::to_string(&draft_text).unwrap_or_default())),
        prepared_by: Set(None),
        prepared_at: Set(Some(now)),
        published_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(c)
    .await?;
    let mut am: practice::ActiveModel = p.clone().into();
    am.slug = Set(slug(p.id, category.key(), &region));
    let p = am.update(c).await?;
    for b in &r.badges {
        repo::archive::add_badge(c, p.id, b, Some(edition.0), &edition.1, edition.2).await?;
    }
    if !draft {
        // The same path, checks, tags, index, audit entry and version bump as a sign-off.
        publish(c, &p, &draft_text, Publisher::Import).await?;
    }
    Ok(p.id)
}

/// An imported record is published at once: the file's consent scope is the organiser's record
/// of consent (checked by the same gate as every other publication).
/// Publishes a draft record directly through the one publish path (tests use it to make
/// records public without the two-person sign-off).
pub async fn publish_for_test(state: &AppState, id: i64) -> Result<(), AppError> {
    let tx = state.db.begin().await?;
    let p = repo::archive::find(&*tx, id).await?.ok_or(AppError::NotFound)?;
    let draft: PracticeDraft = p.draft_json.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
    publish(&*tx, &p, &draft, Publisher::Import).await?;
    tx.commit().await?;
    Ok(())
}
