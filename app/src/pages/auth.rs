//! Sign-in, sign-up and password reset pages; each works without JavaScript.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{RequestPasswordReset, ResetPassword, SignIn, SignUp};
use crate::components::forms::{action_error, hard_navigate, ErrorSummary, Field};
use crate::i18n::{use_texts, Texts};

fn field_label(t: &'static Texts) -> impl Fn(&str) -> Option<&'static str> {
    move |field| match field {
        "email" => Some(t.field_email),
        "password" => Some(t.field_password),
        "password_confirm" => Some(t.field_password_confirm),
        "display_name" => Some(t.field_display_name),
        _ => None,
    }
}

fn labels_ja(field: &str) -> Option<&'static str> {
    field_label(&crate::i18n::JA)(field)
}

fn labels_en(field: &str) -> Option<&'static str> {
    field_label(&crate::i18n::EN)(field)
}

fn labels() -> fn(&str) -> Option<&'static str> {
    match crate::i18n::use_locale() {
        crate::i18n::Locale::Ja => labels_ja,
        crate::i18n::Locale::En => labels_en,
    }
}

/// With JavaScript, a successful sign-in reloads the page at its target so the header and all
/// resources see the new session; without it the server has already redirected.
fn reload_on_success<I>(action: ServerAction<I>)
where
    I: leptos::server_fn::ServerFn<Output = String, Error = crate::error::AppError> + Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(target)) = action.value().get() {
            hard_navigate(&target);
        }
    });
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SignIn>::new();
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let reset_done = move || query.read().get("reset").is_some();
    let email_changed = move || query.read().get("email_changed").is_some();
    reload_on_success(action);
    view! {
        <Title text=t.sign_in_title/>
        <section class="narrow">
            <h1>{t.sign_in_title}</h1>
            {move || reset_done().then(|| view! { <p class="notice success" role="status">{t.reset_done}</p> })}
            {move || email_changed().then(|| view! { <p class="notice success" role="status" data-testid="email-changed">{t.account_saved_email_confirmed}</p> })}
            <ErrorSummary error=error labels=labels()/>
            <ActionForm action=action>
                <input type="hidden" name="next" value=next/>
                <Field name="email" label=t.field_email kind="email" required=true autocomplete="username" error=error/>
                <Field name="password" label=t.field_password kind="password" required=true autocomplete="current-password" error=error/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>{t.sign_in_submit}</button>
            </ActionForm>
            <p><a href="/forgot-password">{t.sign_in_forgot}</a></p>
            <p>{t.sign_in_no_account}" "<a href=move || format!("/sign-up{}", if next().is_empty() { String::new() } else { format!("?next={}", crate::components::forms::encode_component(&next())) })>{t.nav_sign_up}</a></p>
        </section>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<SignUp>::new();
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    reload_on_success(action);
    view! {
        <Title text=t.sign_up_title/>
        <section class="narrow">
            <h1>{t.sign_up_title}</h1>
            <p>{t.sign_up_lead}</p>
            <ErrorSummary error=error labels=labels()/>
            <ActionForm action=action>
                <input type="hidden" name="next" value=next/>
                <Field name="email" label=t.field_email kind="email" required=true autocomplete="email" error=error/>
                <Field name="display_name" label=t.field_display_name help=t.field_display_name_help required=true autocomplete="nickname" maxlength=40 error=error/>
                <Field name="password" label=t.field_password help=t.field_password_help kind="password" required=true autocomplete="new-password" error=error/>
                <p class="small">
                    <a href="/dialogue-rules">{t.footer_dialogue_rules}</a>" · "<a href="/privacy">{t.footer_privacy}</a>
                </p>
                <button type="submit" class="primary" disabled=move || action.pending().get()>{t.sign_up_submit}</button>
            </ActionForm>
            <p>{t.sign_up_have_account}" "<a href="/sign-in">{t.nav_sign_in}</a></p>
        </section>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(action);
    let query = use_query_map();
    // Without JavaScript the server redirects back here; the absence of an error means success.
    let sent = move || matches!(action.value().get(), Some(Ok(()))) || (query.read().get("sent").is_some());
    view! {
        <Title text=t.forgot_title/>
        <section class="narrow">
            <h1>{t.forgot_title}</h1>
            <Show when=sent fallback=move || view! {
                <p>{t.forgot_lead}</p>
                <ErrorSummary error=error labels=labels()/>
                <ActionForm action=action>
                    <Field name="email" label=t.field_email kind="email" required=true autocomplete="email" error=error/>
                    <button type="submit" class="primary" disabled=move || action.pending().get()>{t.forgot_submit}</button>
                </ActionForm>
            }>
                <p class="notice success" role="status">{t.forgot_sent}</p>
            </Show>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let t = use_texts();
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            hard_navigate("/sign-in?reset=1");
        }
    });
    view! {
        <Title text=t.reset_title/>
        <section class="narrow">
            <h1>{t.reset_title}</h1>
            <ErrorSummary error=error labels=labels()/>
            <ActionForm action=action>
                <input type="hidden" name="token" value=token/>
                <Field name="password" label=t.field_password help=t.field_password_help kind="password" required=true autocomplete="new-password" error=error/>
                <Field name="password_confirm" label=t.field_password_confirm kind="password" required=true autocomplete="new-password" error=error/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>{t.reset_submit}</button>
            </ActionForm>
        </section>
    }
}
