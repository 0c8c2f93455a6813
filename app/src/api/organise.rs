//! Organisers: editions' nomination windows and extra questions, and all nominations of an edition.
use leptos::prelude::*;

use crate::error::AppError;
use crate::wire::{CategoryView, EditionSummary, NominationSummary};

#[server(endpoint = "list_editions")]
pub async fn list_editions() -> Result<Vec<EditionSummary>, AppError> {
    use crate::server::{ctx, service::editions};
    ctx::finish(async move { editions::list_all(ctx::state()?.db.conn(), ctx::viewer().as_ref()).await }.await)
}

#[server(endpoint = "get_edition_categories")]
pub async fn get_edition_categories(edition_id: i64) -> Result<(EditionSummary, Vec<CategoryView>), AppError> {
    use crate::server::{ctx, service::editions};
    ctx::finish(
        async move { editions::with_categories(ctx::state()?.db.conn(), ctx::viewer().as_ref(), edition_id).await }
            .await,
    )
}

#[server(endpoint = "list_edition_nominations")]
pub async fn list_edition_nominations(
    edition_id: i64,
    category: String,
    status: String,
    consent: String,
) -> Result<Vec<NominationSummary>, AppError> {
    use crate::domain::ids::EditionId;
    use crate::server::{ctx, service::nominations};
    ctx::finish(
        async move {
            let filter = nominations::NominationFilter { category, status, consent };
            nominations::list_for_edition(&ctx::state()?, ctx::viewer().as_ref(), EditionId(edition_id), &filter).await
        }
        .await,
    )
}

/// Sets the nomination window (Japan time, `YYYY-MM-DDTHH:MM`).
#[server(endpoint = "set_nomination_window")]
pub async fn set_nomination_window(edition_id: i64, opens_at: String, closes_at: String) -> Result<(), AppError> {
    use crate::server::{ctx, service::editions};
    ctx::finish(
        async move {
            let viewer = ctx::viewer();
            editions::set_nomination_window(&ctx::state()?, viewer.as_ref(), edition_id, &opens_at, &closes_at).await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}?saved=window"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "add_question")]
pub async fn add_question(
    edition_id: i64,
    category_id: i64,
    input: crate::wire::NewQuestionInput,
) -> Result<(), AppError> {
    use crate::server::{ctx, service::editions};
    ctx::finish(
        async move {
            let viewer = ctx::viewer();
            let q = editions::NewQuestion {
                kind: input.kind,
                label_ja: input.label_ja,
                label_en: input.label_en,
                help_ja: input.help_ja,
                help_en: input.help_en,
                options: input.options,
                required: input.required.is_some(),
                personal: input.personal.is_some(),
            };
            editions::add_question(&ctx::state()?, viewer.as_ref(), edition_id, category_id, q).await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}?saved=question#questions"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "delete_question")]
pub async fn delete_question(edition_id: i64, category_id: i64, question_id: i64) -> Result<(), AppError> {
    use crate::server::{ctx, service::editions};
    ctx::finish(
        async move {
            let viewer = ctx::viewer();
            editions::delete_question(&ctx::state()?, viewer.as_ref(), edition_id, category_id, question_id).await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}#questions"));
            Ok(())
        }
        .await,
    )
}

// Editions, stages, screening, panels, assignment, rubrics, ranking and decisions -------------

use crate::domain::assignment::Gap;
use crate::wire::{AssignmentBoard, AuditEntryView, EditionSettings, PanelsView, RankingView, RubricView};

#[server(endpoint = "create_edition")]
pub async fn create_edition(input: crate::wire::NewEditionInput) -> Result<i64, AppError> {
    use crate::server::{ctx, service::editions};
    ctx::finish(
        async move {
            let id = editions::create(&ctx::state()?, ctx::viewer().as_ref(), input).await?;
            ctx::redirect_form_post(&format!("/organise/editions/{id}"));
            Ok(id)
        }
        .await,
    )
}

#[server(endpoint = "get_edition_settings")]
pub async fn get_edition_settings(edition_id: i64) -> Result<EditionSettings, AppError> {
    use crate::server::{ctx, service::editions};
    ctx::finish(
        async move { editions::settings(ctx::state()?.db.conn(), ctx::viewer().as_ref(), edition_id).await }.await,
    )
}

#[server(endpoint = "update_edition_settings")]
pub async fn update_edition_settings(edition_id: i64, input: crate::wire::SettingsInput) -> Result<(), AppError> {
    use crate::server::{ctx, service::editions};
    ctx::finish(
        async move {
            editions::update_settings(&ctx::state()?, ctx::viewer().as_ref(), edition_id, input).await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}?saved=settings"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "set_stage_times")]
pub async fn set_stage_times(
    edition_id: i64,
    kind: String,
    round: i32,
    starts_at: String,
    ends_at: String,
) -> Result<(), AppError> {
    use crate::domain::edition::StageKind;
    use crate::domain::validation::{FieldError, Problem};
    use crate::server::{ctx, service::editions};
    ctx::finish(
        async move {
            let state = ctx::state()?;
            crate::server::policy::edition(
                state.db.conn(),
                ctx::viewer().as_ref(),
                crate::domain::policy::Op::ManageEdition,
                edition_id,
            )
            .await?;
            let kind = StageKind::parse(&kind)
                .ok_or_else(|| AppError::Validation(vec![FieldError::new("kind", Problem::InvalidChoice)]))?;
            editions::set_stage_times(&state, ctx::viewer().as_ref(), edition_id, kind, round, &starts_at, &ends_at)
                .await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}?saved=timetable#timetable"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "move_stage")]
pub async fn move_stage(edition_id: i64, target: String, reason: String) -> Result<(), AppError> {
    use crate::domain::edition::StageKind;
    use crate::domain::validation::{FieldError, Problem};
    use crate::server::{ctx, service::stages};
    ctx::finish(
        async move {
            use crate::domain::policy::Op;
            let state = ctx::state()?;
            crate::server::policy::edition(state.db.conn(), ctx::viewer().as_ref(), Op::MoveStage, edition_id).await?;
            // `target` is `kind` or `review:<round>`.
            let (kind, round) = match target.split_once(':') {
                Some((k, r)) => (k.to_string(), r.parse().unwrap_or(1)),
                None => (target.clone(), 0),
            };
            let kind = StageKind::parse(&kind)
                .ok_or_else(|| AppError::Validation(vec![FieldError::new("target", Problem::InvalidChoice)]))?;
            stages::move_to(&state, ctx::viewer().as_ref(), edition_id, kind, round, &reason).await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}?saved=stage#stage"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "screen_nomination")]
pub async fn screen_nomination(id: i64, decision: String, note: String, amend_until: String) -> Result<(), AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::screening};
    ctx::finish(
        async move {
            screening::screen(&ctx::state()?, ctx::viewer().as_ref(), NominationId(id), &decision, &note, &amend_until)
                .await?;
            ctx::redirect_form_post(&format!("/nominations/{id}?screened=1#screening"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "get_panels")]
pub async fn get_panels(edition_id: i64) -> Result<PanelsView, AppError> {
    use crate::server::{ctx, service::panels};
    ctx::finish(async move { panels::view(&ctx::state()?, ctx::viewer().as_ref(), edition_id).await }.await)
}

/// Categories arrive as `categories[<id>]=on` from the checkboxes.
#[server(endpoint = "invite_reviewer")]
pub async fn invite_reviewer(
    edition_id: i64,
    email: String,
    categories: Option<std::collections::BTreeMap<String, String>>,
) -> Result<(), AppError> {
    use crate::server::{ctx, service::panels};
    ctx::finish(
        async move {
            let ids: Vec<i64> = categories.unwrap_or_default().keys().filter_map(|k| k.parse().ok()).collect();
            panels::invite(&ctx::state()?, ctx::viewer().as_ref(), edition_id, &email, &ids).await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}/reviewers?invited=1"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "set_reviewer_cap")]
pub async fn set_reviewer_cap(edition_id: i64, user_id: i64, cap: String) -> Result<(), AppError> {
    use crate::server::{ctx, service::panels};
    ctx::finish(
        async move {
            panels::set_cap(&ctx::state()?, ctx::viewer().as_ref(), edition_id, user_id, &cap).await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}/reviewers"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "remove_panel_member")]
pub async fn remove_panel_member(edition_id: i64, category_id: i64, user_id: i64) -> Result<(), AppError> {
    use crate::server::{ctx, service::panels};
    ctx::finish(
        async move {
            panels::remove_member(&ctx::state()?, ctx::viewer().as_ref(), edition_id, category_id, user_id).await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}/reviewers"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "record_conflict")]
pub async fn record_conflict(
    edition_id: i64,
    nomination_id: i64,
    reviewer_id: i64,
    reason: String,
) -> Result<(), AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::panels};
    ctx::finish(
        async move {
            panels::record_conflict(
                &ctx::state()?,
                ctx::viewer().as_ref(),
                NominationId(nomination_id),
                reviewer_id,
                &reason,
            )
            .await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}/reviewers#conflicts"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "get_assignment_board")]
pub async fn get_assignment_board(edition_id: i64) -> Result<AssignmentBoard, AppError> {
    use crate::server::{ctx, service::assigning};
    ctx::finish(async move { assigning::board(&ctx::state()?, ctx::viewer().as_ref(), edition_id).await }.await)
}

#[server(endpoint = "auto_assign")]
pub async fn auto_assign(edition_id: i64) -> Result<Vec<Gap>, AppError> {
    use crate::server::{ctx, service::assigning};
    ctx::finish(
        async move {
            let gaps = assigning::auto(&ctx::state()?, ctx::viewer().as_ref(), edition_id).await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}/assignments?assigned=1"));
            Ok(gaps)
        }
        .await,
    )
}

#[server(endpoint = "add_assignment")]
pub async fn add_assignment(edition_id: i64, nomination_id: i64, reviewer_id: i64) -> Result<(), AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::assigning};
    ctx::finish(
        async move {
            assigning::add(&ctx::state()?, ctx::viewer().as_ref(), NominationId(nomination_id), reviewer_id).await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}/assignments"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "remove_assignment")]
pub async fn remove_assignment(edition_id: i64, assignment_id: i64) -> Result<(), AppError> {
    use crate::server::{ctx, service::assigning};
    ctx::finish(
        async move {
            assigning::remove(&ctx::state()?, ctx::viewer().as_ref(), assignment_id).await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}/assignments"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "list_rubrics")]
pub async fn list_rubrics(edition_id: i64) -> Result<Vec<RubricView>, AppError> {
    use crate::server::{ctx, service::rubrics};
    ctx::finish(async move { rubrics::list(&ctx::state()?, ctx::viewer().as_ref(), edition_id).await }.await)
}

#[server(endpoint = "add_criterion")]
pub async fn add_criterion(
    edition_id: i64,
    rubric_id: i64,
    input: crate::wire::NewCriterionInput,
) -> Result<(), AppError> {
    use crate::server::{ctx, service::rubrics};
    ctx::finish(
        async move {
            rubrics::add_criterion(&ctx::state()?, ctx::viewer().as_ref(), edition_id, rubric_id, input).await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}/rubric"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "remove_criterion")]
pub async fn remove_criterion(edition_id: i64, rubric_id: i64, criterion_id: i64) -> Result<(), AppError> {
    use crate::server::{ctx, service::rubrics};
    ctx::finish(
        async move {
            rubrics::remove_criterion(&ctx::state()?, ctx::viewer().as_ref(), edition_id, rubric_id, criterion_id)
                .await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}/rubric"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "create_category_rubric")]
pub async fn create_category_rubric(edition_id: i64, category_id: i64, round: i32) -> Result<(), AppError> {
    use crate::server::{ctx, service::rubrics};
    ctx::finish(
        async move {
            rubrics::create_for_category(&ctx::state()?, ctx::viewer().as_ref(), edition_id, category_id, round)
                .await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}/rubric"));
            Ok(())
        }
        .await,
    )
}

/// Where a decision made without JavaScript returns to: the ranking, still opened on the
/// category it was made in (only a known category key goes into the address).
#[cfg(feature = "ssr")]
fn ranking_url(edition_id: i64, category: Option<&str>) -> String {
    match category.and_then(crate::domain::category::CategoryKey::parse) {
        Some(c) => format!("/organise/editions/{edition_id}/ranking?category={}", c.key()),
        None => format!("/organise/editions/{edition_id}/ranking"),
    }
}

#[server(endpoint = "get_ranking")]
pub async fn get_ranking(
    edition_id: i64,
    round: Option<i32>,
    category: Option<String>,
) -> Result<RankingView, AppError> {
    use crate::domain::category::CategoryKey;
    use crate::server::{ctx, service::results};
    ctx::finish(
        async move {
            let focus = category.as_deref().and_then(CategoryKey::parse);
            results::ranking(&ctx::state()?, ctx::viewer().as_ref(), edition_id, round, focus).await
        }
        .await,
    )
}

#[server(endpoint = "set_shortlist")]
pub async fn set_shortlist(
    edition_id: i64,
    nomination_id: i64,
    shortlisted: Option<String>,
    category: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::results};
    ctx::finish(
        async move {
            results::set_shortlisted(
                &ctx::state()?,
                ctx::viewer().as_ref(),
                NominationId(nomination_id),
                shortlisted.is_some_and(|s| s == "on" || s == "1"),
            )
            .await?;
            ctx::redirect_form_post(&ranking_url(edition_id, category.as_deref()));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "decide_outcome")]
pub async fn decide_outcome(
    edition_id: i64,
    nomination_id: i64,
    outcome: String,
    category: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::ids::NominationId;
    use crate::server::{ctx, service::results};
    ctx::finish(
        async move {
            results::decide(&ctx::state()?, ctx::viewer().as_ref(), NominationId(nomination_id), &outcome).await?;
            ctx::redirect_form_post(&ranking_url(edition_id, category.as_deref()));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "open_next_round")]
pub async fn open_next_round(edition_id: i64) -> Result<i32, AppError> {
    use crate::server::{ctx, service::results};
    ctx::finish(
        async move {
            let round = results::open_round(&ctx::state()?, ctx::viewer().as_ref(), edition_id).await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}/assignments"));
            Ok(round)
        }
        .await,
    )
}

#[server(endpoint = "publish_results")]
pub async fn publish_results(edition_id: i64) -> Result<(), AppError> {
    use crate::server::{ctx, service::results};
    ctx::finish(
        async move {
            results::publish(&ctx::state()?, ctx::viewer().as_ref(), edition_id).await?;
            ctx::redirect_form_post(&format!("/organise/editions/{edition_id}/ranking?published=1"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "get_audit")]
pub async fn get_audit(
    edition_id: i64,
    action: String,
    nomination: Option<i64>,
) -> Result<Vec<AuditEntryView>, AppError> {
    use crate::server::{ctx, service::results};
    ctx::finish(
        async move { results::audit(&ctx::state()?, ctx::viewer().as_ref(), edition_id, &action, nomination).await }
            .await,
    )
}
