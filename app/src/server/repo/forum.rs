//! Forum events, their programme, registrations (with the venue's seat counter) and questions.
use chrono::{DateTime, Utc};
use sea_orm::{prelude::*, sea_query::ExprTrait, ActiveValue::Set, Condition, QueryOrder, QuerySelect};

use crate::domain::forum::{QuestionStatus, RegStatus};
use crate::server::entities::{event, event_question, event_registration, event_session, event_speaker};

pub async fn find_event<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<event::Model>, DbErr> {
    event::Entity::find_by_id(id).one(c).await
}

pub async fn find_event_by_slug<C: ConnectionTrait>(c: &C, slug: &str) -> Result<Option<event::Model>, DbErr> {
    event::Entity::find().filter(event::Column::Slug.eq(slug)).one(c).await
}

/// Published events, soonest first.
pub async fn list_published<C: ConnectionTrait>(c: &C) -> Result<Vec<event::Model>, DbErr> {
    event::Entity::find().filter(event::Column::Published.eq(true)).order_by_asc(event::Column::StartsAt).all(c).await
}

pub async fn list_all<C: ConnectionTrait>(c: &C) -> Result<Vec<event::Model>, DbErr> {
    event::Entity::find().order_by_desc(event::Column::StartsAt).all(c).await
}

pub async fn insert_event<C: ConnectionTrait>(c: &C, m: event::ActiveModel) -> Result<event::Model, DbErr> {
    m.insert(c).await
}

pub async fn update_event<C: ConnectionTrait>(c: &C, m: event::ActiveModel) -> Result<event::Model, DbErr> {
    m.update(c).await
}

pub async fn list_sessions<C: ConnectionTrait>(c: &C, event_id: i64) -> Result<Vec<event_session::Model>, DbErr> {
    event_session::Entity::find()
        .filter(event_session::Column::EventId.eq(event_id))
        .order_by_asc(event_session::Column::Position)
        .order_by_asc(event_session::Column::Id)
        .all(c)
        .await
}

pub async fn find_session<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<event_session::Model>, DbErr> {
    event_session::Entity::find_by_id(id).one(c).await
}

pub async fn list_speakers<C: ConnectionTrait>(c: &C, session_ids: &[i64]) -> Result<Vec<event_speaker::Model>, DbErr> {
    if session_ids.is_empty() {
        return Ok(vec![]);
    }
    event_speaker::Entity::find()
        .filter(event_speaker::Column::SessionId.is_in(session_ids.to_vec()))
        .order_by_asc(event_speaker::Column::Position)
        .order_by_asc(event_speaker::Column::Id)
        .all(c)
        .await
}

pub async fn insert_session<C: ConnectionTrait>(
    c: &C,
    m: event_session::ActiveModel,
) -> Result<event_session::Model, DbErr> {
    m.insert(c).await
}

pub async fn insert_speaker<C: ConnectionTrait>(
    c: &C,
    session_id: i64,
    position: i32,
    name: &str,
    affiliation: &str,
    role_title: &str,
    user_id: Option<i64>,
) -> Result<(), DbErr> {
    event_speaker::ActiveModel {
        session_id: Set(session_id),
        position: Set(position),
        name: Set(name.into()),
        affiliation: Set(affiliation.into()),
        role_title: Set(role_title.into()),
        user_id: Set(user_id),
        ..Default::default()
    }
    .insert(c)
    .await
    .map(|_| ())
}

pub async fn delete_session<C: ConnectionTrait>(c: &C, event_id: i64, session_id: i64) -> Result<bool, DbErr> {
    event_speaker::Entity::delete_many().filter(event_speaker::Column::SessionId.eq(session_id)).exec(c).await?;
    let r = event_session::Entity::delete_many()
        .filter(event_session::Column::Id.eq(session_id))
        .filter(event_session::Column::EventId.eq(event_id))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// The programme items that presented this public record (newest event first is the caller's).
pub async fn sessions_presenting<C: ConnectionTrait>(
    c: &C,
    practice_id: i64,
    nomination_id: Option<i64>,
) -> Result<Vec<event_session::Model>, DbErr> {
    let mut any = Condition::any().add(event_session::Column::PracticeId.eq(practice_id));
    if let Some(n) = nomination_id {
        any = any.add(event_session::Column::NominationId.eq(n));
    }
    event_session::Entity::find().filter(any).all(c).await
}

/// Takes one venue seat if one is left: a single conditional update, so two registrations can
/// never both get the last seat, in one process or many, on either database. Records when the
/// venue became full.
pub async fn take_seat<C: ConnectionTrait>(c: &C, event_id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let full_now = Expr::col(event::Column::VenueTaken).add(1).gte(Expr::col(event::Column::Capacity));
    let res = event::Entity::update_many()
        .col_expr(event::Column::VenueTaken, Expr::col(event::Column::VenueTaken).add(1))
        .col_expr(
            event::Column::VenueFullAt,
            Expr::case(full_now, Expr::value(Some(now))).finally(Expr::col(event::Column::VenueFullAt)).into(),
        )
        .filter(event::Column::Id.eq(event_id))
        .filter(Expr::col(event::Column::VenueTaken).lt(Expr::col(event::Column::Capacity)))
        .exec(c)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Gives a seat back (a venue registration was cancelled); the venue is no longer full.
pub async fn release_seat<C: ConnectionTrait>(c: &C, event_id: i64) -> Result<(), DbErr> {
    event::Entity::update_many()
        .col_expr(event::Column::VenueTaken, Expr::col(event::Column::VenueTaken).sub(1))
        .col_expr(event::Column::VenueFullAt, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(event::Column::Id.eq(event_id))
        .filter(event::Column::VenueTaken.gt(0))
        .exec(c)
        .await
        .map(|_| ())
}

pub async fn insert_registration<C: ConnectionTrait>(
    c: &C,
    m: event_registration::ActiveModel,
) -> Result<event_registration::Model, DbErr> {
    m.insert(c).await
}

pub async fn find_registration<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<event_registration::Model>, DbErr> {
    event_registration::Entity::find_by_id(id).one(c).await
}

pub async fn find_registration_by_hash<C: ConnectionTrait>(
    c: &C,
    hash: &str,
) -> Result<Option<event_registration::Model>, DbErr> {
    event_registration::Entity::find().filter(event_registration::Column::CancelTokenHash.eq(hash)).one(c).await
}

/// The live registration of this address for this event, if any.
pub async fn find_live_by_email<C: ConnectionTrait>(
    c: &C,
    event_id: i64,
    email: &str,
) -> Result<Option<event_registration::Model>, DbErr> {
    event_registration::Entity::find()
        .filter(event_registration::Column::EventId.eq(event_id))
        .filter(event_registration::Column::Email.eq(email))
        .filter(event_registration::Column::Status.ne(RegStatus::Cancelled))
        .filter(event_registration::Column::PurgedAt.is_null())
        .one(c)
        .await
}

/// Cancels a live registration; false when it was already cancelled (a second click, a race).
pub async fn cancel<C: ConnectionTrait>(c: &C, id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let r = event_registration::Entity::update_many()
        .col_expr(event_registration::Column::Status, Expr::value(RegStatus::Cancelled))
        .col_expr(event_registration::Column::CancelledAt, Expr::value(Some(now)))
        .filter(event_registration::Column::Id.eq(id))
        .filter(event_registration::Column::Status.ne(RegStatus::Cancelled))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// The waiting list in order: first come, first served.
pub async fn waiting<C: ConnectionTrait>(
    c: &C,
    event_id: i64,
    limit: u64,
) -> Result<Vec<event_registration::Model>, DbErr> {
    event_registration::Entity::find()
        .filter(event_registration::Column::EventId.eq(event_id))
        .filter(event_registration::Column::Status.eq(RegStatus::Waiting))
        .order_by_asc(event_registration::Column::WaitingSince)
        .order_by_asc(event_registration::Column::Id)
        .limit(limit)
        .all(c)
        .await
}

/// Moves a waiting registrant to the venue; false when someone else already moved them.
pub async fn promote<C: ConnectionTrait>(c: &C, id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let r = event_registration::Entity::update_many()
        .col_expr(event_registration::Column::Status, Expr::value(RegStatus::Venue))
        .col_expr(event_registration::Column::PromotedAt, Expr::value(Some(now)))
        .filter(event_registration::Column::Id.eq(id))
        .filter(event_registration::Column::Status.eq(RegStatus::Waiting))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn list_registrations<C: ConnectionTrait>(
    c: &C,
    event_id: i64,
) -> Result<Vec<event_registration::Model>, DbErr> {
    event_registration::Entity::find()
        .filter(event_registration::Column::EventId.eq(event_id))
        .order_by_asc(event_registration::Column::Id)
        .all(c)
        .await
}

/// Registrants still to be sent the online link: online or waiting, not cancelled, not sent.
pub async fn due_online_link<C: ConnectionTrait>(
    c: &C,
    event_id: i64,
) -> Result<Vec<event_registration::Model>, DbErr> {
    event_registration::Entity::find()
        .filter(event_registration::Column::EventId.eq(event_id))
        .filter(event_registration::Column::Status.is_in([RegStatus::Online, RegStatus::Waiting]))
        .filter(event_registration::Column::OnlineLinkSentAt.is_null())
        .filter(event_registration::Column::PurgedAt.is_null())
        .order_by_asc(event_registration::Column::Id)
        .all(c)
        .await
}

/// Marks one registrant as sent the link; false if another request did it first (so each
/// person gets it once, however often the button is pressed).
pub async fn mark_online_link_sent<C: ConnectionTrait>(c: &C, id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let r = event_registration::Entity::update_many()
        .col_expr(event_registration::Column::OnlineLinkSentAt, Expr::value(Some(now)))
        .filter(event_registration::Column::Id.eq(id))
        .filter(event_registration::Column::OnlineLinkSentAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn mark_reminded<C: ConnectionTrait>(c: &C, id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let r = event_registration::Entity::update_many()
        .col_expr(event_registration::Column::ReminderSentAt, Expr::value(Some(now)))
        .filter(event_registration::Column::Id.eq(id))
        .filter(event_registration::Column::ReminderSentAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn set_checked_in<C: ConnectionTrait>(
    c: &C,
    event_id: i64,
    id: i64,
    at: Option<DateTime<Utc>>,
) -> Result<bool, DbErr> {
    let r = event_registration::Entity::update_many()
        .col_expr(event_registration::Column::CheckedInAt, Expr::value(at))
        .filter(event_registration::Column::Id.eq(id))
        .filter(event_registration::Column::EventId.eq(event_id))
        .filter(event_registration::Column::Status.ne(RegStatus::Cancelled))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Events whose registrants are due a reminder: starting within `within`, not yet reminded.
pub async fn events_due_reminder<C: ConnectionTrait>(
    c: &C,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<event::Model>, DbErr> {
    event::Entity::find()
        .filter(event::Column::Published.eq(true))
        .filter(event::Column::StartsAt.gt(now))
        .filter(event::Column::StartsAt.lte(until))
        .filter(event::Column::RemindersSentAt.is_null())
        .all(c)
        .await
}

pub async fn mark_event_reminded<C: ConnectionTrait>(c: &C, id: i64, now: DateTime<Utc>) -> Result<(), DbErr> {
    event::Entity::update_many()
        .col_expr(event::Column::RemindersSentAt, Expr::value(Some(now)))
        .filter(event::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|_| ())
}

/// Events past their retention whose registrants' personal data is still held.
pub async fn events_due_purge<C: ConnectionTrait>(c: &C, now: DateTime<Utc>) -> Result<Vec<event::Model>, DbErr> {
    let ended: Vec<event::Model> = event::Entity::find()
        .filter(event::Column::PurgedAt.is_null())
        .filter(event::Column::EndsAt.lt(now))
        .all(c)
        .await?;
    Ok(ended
        .into_iter()
        .filter(|e| e.ends_at + chrono::Duration::days(std::cmp::Ord::max(e.retention_days, 0) as i64) <= now)
        .collect())
}

/// Erases registrants' personal data (and the affiliation, which can be health information);
/// status, attendance and check-in stay, so the counts survive.
pub async fn purge_registrations<C: ConnectionTrait>(c: &C, event_id: i64, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let r = event_registration::Entity::update_many()
        .col_expr(event_registration::Column::Name, Expr::value(""))
        .col_expr(event_registration::Column::Furigana, Expr::value(""))
        .col_expr(event_registration::Column::Phone, Expr::value(""))
        .col_expr(event_registration::Column::Email, Expr::cust("'purged-' || CAST(id AS TEXT)"))
        .col_expr(event_registration::Column::Municipality, Expr::value(""))
        .col_expr(event_registration::Column::MunicipalityOther, Expr::value(""))
        .col_expr(event_registration::Column::Affiliation, Expr::value(""))
        .col_expr(event_registration::Column::Needs, Expr::value(""))
        .col_expr(event_registration::Column::UserId, Expr::value(Option::<i64>::None))
        .col_expr(event_registration::Column::PurgedAt, Expr::value(Some(now)))
        .filter(event_registration::Column::EventId.eq(event_id))
        .filter(event_registration::Column::PurgedAt.is_null())
        .exec(c)
        .await?;
    event_question::Entity::update_many()
        .col_expr(event_question::Column::AskerName, Expr::value(""))
        .col_expr(event_question::Column::RegistrationId, Expr::value(Option::<i64>::None))
        .col_expr(event_question::Column::UserId, Expr::value(Option::<i64>::None))
        .filter(event_question::Column::EventId.eq(event_id))
        .exec(c)
        .await?;
    event::Entity::update_many()
        .col_expr(event::Column::PurgedAt, Expr::value(Some(now)))
        .filter(event::Column::Id.eq(event_id))
        .exec(c)
        .await?;
    Ok(r.rows_affected)
}

pub async fn insert_question<C: ConnectionTrait>(
    c: &C,
    m: event_question::ActiveModel,
) -> Result<event_question::Model, DbErr> {
    m.insert(c).await
}

pub async fn find_question<C: ConnectionTrait>(c: &C, id: i64) -> Result<Option<event_question::Model>, DbErr> {
    event_question::Entity::find_by_id(id).one(c).await
}

pub async fn list_questions<C: ConnectionTrait>(
    c: &C,
    event_id: i64,
    only: Option<QuestionStatus>,
) -> Result<Vec<event_question::Model>, DbErr> {
    let mut q = event_question::Entity::find().filter(event_question::Column::EventId.eq(event_id));
    if let Some(s) = only {
        q = q.filter(event_question::Column::Status.eq(s));
    }
    q.order_by_asc(event_question::Column::Id).all(c).await
}

/// Questions one registration (or one address's session) sent within a window: a bound on
/// how much one link can post.
pub async fn count_questions_by<C: ConnectionTrait>(
    c: &C,
    event_id: i64,
    registration_id: Option<i64>,
    since: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut cond = Condition::all()
        .add(event_question::Column::EventId.eq(event_id))
        .add(event_question::Column::CreatedAt.gte(since));
    cond = match registration_id {
        Some(r) => cond.add(event_question::Column::RegistrationId.eq(r)),
        None => cond.add(event_question::Column::RegistrationId.is_null()),
    };
    event_question::Entity::find().filter(cond).count(c).await
}

pub async fn decide_question<C: ConnectionTrait>(
    c: &C,
    id: i64,
    status: QuestionStatus,
    merged_into: Option<i64>,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    event_question::Entity::update_many()
        .col_expr(event_question::Column::Status, Expr::value(status))
        .col_expr(event_question::Column::MergedInto, Expr::value(merged_into))
        .col_expr(event_question::Column::DecidedAt, Expr::value(Some(now)))
        .col_expr(event_question::Column::DecidedBy, Expr::value(Some(by)))
        .filter(event_question::Column::Id.eq(id))
        .exec(c)
        .await
        .map(|_| ())
}
