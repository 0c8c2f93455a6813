//! The forum: event pages, registration without an account, the registrant's link (cancel,
//! questions), and the organisers' tools.
use leptos::prelude::*;

use crate::domain::forum::NewRegistration;
use crate::error::AppError;
use crate::wire::forum::*;

/// The cookie that carries what a person typed back to their form after a post without
/// JavaScript came back with problems: their own text, in their own browser, for ten minutes.
pub const ECHO_COOKIE: &str = "gp_reg_echo";

#[server(endpoint = "list_events")]
pub async fn list_events() -> Result<EventList, AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(
        async move {
            ctx::allow(crate::domain::policy::Op::ReadPublic)?;
            forum::list_public(&ctx::state()?).await
        }
        .await,
    )
}

#[server(endpoint = "get_event")]
pub async fn get_event(slug: String) -> Result<EventView, AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(async move { forum::view(&ctx::state()?, ctx::viewer().as_ref(), &slug).await }.await)
}

#[server(endpoint = "get_registration_form")]
pub async fn get_registration_form(slug: String) -> Result<RegistrationForm, AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(
        async move {
            let echo = ctx::take_cookie(ECHO_COOKIE, "/events/")
                .and_then(|v| ctx::decode_echo::<NewRegistration>(&v))
                .map(|input| (input, vec![]));
            forum::form(&ctx::state()?, ctx::viewer().as_ref(), &slug, echo).await
        }
        .await,
    )
}

#[server(endpoint = "register_for_event")]
pub async fn register_for_event(slug: String, input: NewRegistration) -> Result<Registered, AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(
        async move {
            let (state, viewer, locale, ip) = (ctx::state()?, ctx::viewer(), ctx::request_locale(), ctx::client_ip());
            let result = crate::server::db::retry_contended(|| {
                forum::register(&state, viewer.as_ref(), &slug, input.clone(), locale, &ip)
            })
            .await;
            match &result {
                Ok(done) => {
                    ctx::clear_cookie(ECHO_COOKIE, "/events/");
                    ctx::redirect_form_post(&done.next);
                }
                // Without JavaScript the browser is sent back to the form: keep what was typed.
                Err(_) if ctx::is_plain_form_post() => ctx::set_echo_cookie(ECHO_COOKIE, "/events/", &input),
                Err(_) => {}
            }
            result
        }
        .await,
    )
}

#[server(endpoint = "get_registration_by_link")]
pub async fn get_registration_by_link(token: String) -> Result<RegistrationLinkView, AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(
        async move {
            ctx::allow(crate::domain::policy::Op::UseLink)?;
            forum::link_view(&ctx::state()?, &token).await
        }
        .await,
    )
}

#[server(endpoint = "cancel_registration")]
pub async fn cancel_registration(token: String) -> Result<String, AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(
        async move {
            ctx::allow(crate::domain::policy::Op::UseLink)?;
            forum::cancel(&ctx::state()?, &token).await?;
            let next = format!("/events/cancel/{token}?done=cancelled");
            ctx::redirect_form_post(&next);
            Ok(next)
        }
        .await,
    )
}

#[server(endpoint = "ask_question_by_link")]
pub async fn ask_question_by_link(
    token: String,
    session_id: Option<String>,
    body: String,
    show_name: Option<String>,
    rules_ack: Option<String>,
) -> Result<String, AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(
        async move {
            ctx::allow(crate::domain::policy::Op::UseLink)?;
            let q = forum::NewQuestion {
                session_id: session_id.and_then(|s| s.parse().ok()),
                body,
                asker_name: String::new(),
                show_name: show_name.is_some(),
                rules_ack: rules_ack.is_some(),
            };
            forum::ask_by_link(&ctx::state()?, &token, q).await?;
            let next = format!("/events/cancel/{token}?done=asked");
            ctx::redirect_form_post(&next);
            Ok(next)
        }
        .await,
    )
}

#[server(endpoint = "ask_question")]
pub async fn ask_question(
    slug: String,
    session_id: Option<String>,
    body: String,
    asker_name: Option<String>,
    show_name: Option<String>,
    rules_ack: Option<String>,
) -> Result<String, AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(
        async move {
            let q = forum::NewQuestion {
                session_id: session_id.and_then(|s| s.parse().ok()),
                body,
                asker_name: asker_name.unwrap_or_default(),
                show_name: show_name.is_some(),
                rules_ack: rules_ack.is_some(),
            };
            forum::ask(&ctx::state()?, ctx::viewer().as_ref(), &slug, q, &ctx::client_ip()).await?;
            let next = format!("/events/{slug}?asked=1#questions");
            ctx::redirect_form_post(&next);
            Ok(next)
        }
        .await,
    )
}

// Organisers ------------------------------------------------------------------------------------

#[server(endpoint = "list_organiser_events")]
pub async fn list_organiser_events() -> Result<Vec<OrganiserEventRow>, AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(async move { forum::list_for_organisers(&ctx::state()?, ctx::viewer().as_ref()).await }.await)
}

#[server(endpoint = "create_event")]
pub async fn create_event(edition_id: i64, slug: String, input: EventInput) -> Result<i64, AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(
        async move {
            let id = forum::create(&ctx::state()?, ctx::viewer().as_ref(), edition_id, slug.trim(), &input).await?;
            ctx::redirect_form_post(&format!("/organise/events/{id}?saved=created"));
            Ok(id)
        }
        .await,
    )
}

#[server(endpoint = "get_event_admin")]
pub async fn get_event_admin(id: i64) -> Result<EventAdminView, AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(async move { forum::admin_view(&ctx::state()?, ctx::viewer().as_ref(), id).await }.await)
}

#[server(endpoint = "update_event")]
pub async fn update_event(id: i64, input: EventInput) -> Result<(), AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(
        async move {
            forum::update(&ctx::state()?, ctx::viewer().as_ref(), id, &input).await?;
            ctx::redirect_form_post(&format!("/organise/events/{id}?saved=event"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "add_event_session")]
pub async fn add_event_session(id: i64, input: SessionInput) -> Result<(), AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(
        async move {
            forum::add_session(&ctx::state()?, ctx::viewer().as_ref(), id, &input).await?;
            ctx::redirect_form_post(&format!("/organise/events/{id}?saved=session#programme"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "remove_event_session")]
pub async fn remove_event_session(id: i64, session_id: i64) -> Result<(), AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(
        async move {
            forum::remove_session(&ctx::state()?, ctx::viewer().as_ref(), id, session_id).await?;
            ctx::redirect_form_post(&format!("/organise/events/{id}?saved=session#programme"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "send_online_link")]
pub async fn send_online_link(id: i64) -> Result<u32, AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(
        async move {
            let n = forum::send_online_link(&ctx::state()?, ctx::viewer().as_ref(), id).await?;
            ctx::redirect_form_post(&format!("/organise/events/{id}?sent={n}"));
            Ok(n)
        }
        .await,
    )
}

#[server(endpoint = "send_event_notice")]
pub async fn send_event_notice(id: i64, subject: String, body: String) -> Result<u32, AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(
        async move {
            let n = forum::send_notice(&ctx::state()?, ctx::viewer().as_ref(), id, &subject, &body).await?;
            ctx::redirect_form_post(&format!("/organise/events/{id}?noticed={n}"));
            Ok(n)
        }
        .await,
    )
}

#[server(endpoint = "list_registrations")]
pub async fn list_registrations(id: i64) -> Result<RegistrationList, AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(async move { forum::registrations(&ctx::state()?, ctx::viewer().as_ref(), id).await }.await)
}

#[server(endpoint = "check_in")]
pub async fn check_in(id: i64, registration_id: i64, present: Option<String>) -> Result<(), AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(
        async move {
            let present = present.is_some_and(|p| p != "0");
            forum::check_in(&ctx::state()?, ctx::viewer().as_ref(), id, registration_id, present).await?;
            ctx::redirect_form_post(&format!("/organise/events/{id}/registrations#r-{registration_id}"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "list_event_questions")]
pub async fn list_event_questions(id: i64) -> Result<QuestionBoard, AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(async move { forum::question_board(&ctx::state()?, ctx::viewer().as_ref(), id).await }.await)
}

#[server(endpoint = "moderate_question")]
pub async fn moderate_question(
    id: i64,
    question_id: i64,
    decision: String,
    merged_into: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{ctx, service::forum};
    ctx::finish(
        async move {
            let into = merged_into.and_then(|m| m.trim().parse().ok());
            forum::moderate(&ctx::state()?, ctx::viewer().as_ref(), id, question_id, &decision, into).await?;
            ctx::redirect_form_post(&format!("/organise/events/{id}/questions#q-{question_id}"));
            Ok(())
        }
        .await,
    )
}
