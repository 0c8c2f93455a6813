//! The signed-in person's own account: name and language, address (confirmed by a link to the
//! new one), password, a download of everything held about them, and deletion.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::account::{
    get_deletion_preview, get_my_account, ChangePassword, ConfirmEmailChange, DeleteAccount, RequestEmailChange,
    UpdateProfile,
};
use crate::api::auth::SignOut;
use crate::components::forms::{action_error, hard_navigate, ErrorSummary};
use crate::components::guard::Guard;
use crate::components::status::ErrorNotice;
use crate::domain::account::{AfterDeletion, DISPLAY_NAME_MAX, PASSWORD_MAX, PASSWORD_MIN};
use crate::i18n::{pace_labels, role_label, scope_label, use_locale, use_texts};

#[component]
pub fn AccountPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let query = use_query_map();
    let account = Resource::new(|| (), |_| get_my_account());
    let profile = ServerAction::<UpdateProfile>::new();
    let email = ServerAction::<RequestEmailChange>::new();
    let password = ServerAction::<ChangePassword>::new();
    let (profile_error, email_error, password_error) =
        (action_error(profile), action_error(email), action_error(password));
    Effect::new(move |_| {
        if let Some(Ok(())) = profile.value().get() {
            hard_navigate("/account?saved=profile");
        }
        if let Some(Ok(())) = email.value().get() {
            hard_navigate("/account?saved=email");
        }
        if let Some(Ok(())) = password.value().get() {
            hard_navigate("/account?saved=password");
        }
    });
    let saved = move || {
        query.read().get("saved").map(|s| match s.as_str() {
            "profile" => t.account_saved_profile,
            "email" => t.account_saved_email,
            "email_confirmed" => t.account_saved_email_confirmed,
            "password" => t.account_saved_password,
            _ => t.account_saved_profile,
        })
    };
    let labels = pace_labels(locale);
    view! {
        <Title text=t.account_title/>
        <Guard allowed=|_| true children=Callback::new(move |_v: crate::wire::Viewer| view! {
            <section class="narrow account">
                <h1>{t.account_title}</h1>
                {saved().map(|m| view! { <p class="notice success" role="status" data-testid="account-saved">{m}</p> })}
                <Suspense fallback=move || view! { <p class="muted">{t.loading}</p> }>
                    {move || Suspend::new(async move {
                        match account.await {
                            Ok(a) => view! {
                                <dl class="facts">
                                    <dt>{t.account_signed_in_as}</dt>
                                    <dd>{a.display_name.clone()}" ("{a.email.clone()}")"</dd>
                                    <dt>{t.account_role}</dt>
                                    <dd data-testid="role">{role_label(a.role, locale)}</dd>
                                </dl>

                                <section aria-labelledby="profile-h" class="card">
                                    <h2 id="profile-h">{t.account_profile}</h2>
                                    <ErrorSummary error=profile_error labels=labels/>
                                    <ActionForm action=profile>
                                        <div class="field">
                                            <label for="f-display_name">{t.account_display_name}</label>
                                            <input id="f-display_name" name="display_name" required=true maxlength=DISPLAY_NAME_MAX value=a.display_name.clone() autocomplete="nickname"/>
                                        </div>
                                        <div class="field">
                                            <label for="f-locale">{t.account_language}</label>
                                            <p class="help" id="f-locale-help">{t.account_language_help}</p>
                                            <select id="f-locale" name="locale" aria-describedby="f-locale-help">
                                                <option value="ja" selected=a.locale == "ja">"日本語"</option>
                                                <option value="en" selected=a.locale == "en">"English"</option>
                                            </select>
                                        </div>
                                        <button type="submit">{t.account_save}</button>
                                    </ActionForm>
                                </section>

                                <section aria-labelledby="email-h" class="card">
                                    <h2 id="email-h">{t.account_email}</h2>
                                    <p>{t.account_current_email}" "<strong>{a.email.clone()}</strong></p>
                                    {a.pending_email.clone().map(|p| view! { <p class="notice" data-testid="pending-email">{t.account_pending_email}" "{p}</p> })}
                                    <p class="help">{t.account_email_help}</p>
                                    <ErrorSummary error=email_error labels=labels/>
                                    <ActionForm action=email>
                                        <div class="field">
                                            <label for="f-email">{t.account_new_email}</label>
                                            <input id="f-email" type="email" name="email" required=true maxlength="254" autocomplete="email"/>
                                        </div>
                                        <div class="field">
                                            <label for="f-password">{t.account_current_password}</label>
                                            <input id="f-password" type="password" name="password" required=true autocomplete="current-password"/>
                                        </div>
                                        <button type="submit" class="secondary">{t.account_email_send}</button>
                                    </ActionForm>
                                </section>

                                <section aria-labelledby="password-h" class="card">
                                    <h2 id="password-h">{t.account_password}</h2>
                                    <ErrorSummary error=password_error labels=labels/>
                                    <ActionForm action=password>
                                        <div class="field">
                                            <label for="f-current_password">{t.account_current_password}</label>
                                            <input id="f-current_password" type="password" name="current_password" required=true autocomplete="current-password"/>
                                        </div>
                                        <div class="field">
                                            <label for="f-new_password">{t.account_new_password}</label>
                                            <p class="help" id="f-new_password-help">{t.account_password_help}</p>
                                            <input id="f-new_password" type="password" name="new_password" required=true minlength=PASSWORD_MIN maxlength=PASSWORD_MAX autocomplete="new-password" aria-describedby="f-new_password-help"/>
                                        </div>
                                        <div class="field">
                                            <label for="f-password_confirm">{t.account_password_confirm}</label>
                                            <input id="f-password_confirm" type="password" name="password_confirm" required=true maxlength=PASSWORD_MAX autocomplete="new-password"/>
                                        </div>
                                        <button type="submit" class="secondary">{t.account_password_save}</button>
                                    </ActionForm>
                                </section>

                                <section aria-labelledby="data-h" class="card">
                                    <h2 id="data-h">{t.account_my_data}</h2>
                                    <p>{t.account_my_data_help}</p>
                                    <p><a class="button secondary" href="/account/export.zip" rel="external" download="" data-testid="export">{t.account_download}</a></p>
                                    <p><a href="/account/delete" data-testid="delete-link">{t.account_delete_link}</a></p>
                                </section>
                            }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        }
                    })}
                </Suspense>
                <form method="post" action={crate::api::fn_path::<SignOut>()}>
                    <button type="submit" class="secondary">{t.nav_sign_out}</button>
                </form>
            </section>
        }.into_any())/>
    }
}

/// Before deleting: what will be erased, what stays and why, then the password and a checkbox.
#[component]
pub fn DeleteAccountPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let preview = Resource::new(|| (), |_| get_deletion_preview());
    let delete = ServerAction::<DeleteAccount>::new();
    let delete_error = action_error(delete);
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            hard_navigate("/account/deleted");
        }
    });
    view! {
        <Title text=t.delete_title/>
        <Guard allowed=|_| true children=Callback::new(move |_| view! {
            <section class="narrow">
                <p class="muted small"><a href="/account">{t.account_title}</a></p>
                <h1>{t.delete_title}</h1>
                <p class="lead">{t.delete_lead}</p>
                <Suspense fallback=move || view! { <p class="muted">{t.loading}</p> }>
                    {move || Suspend::new(async move {
                        match preview.await {
                            Ok(p) => {
                                let (erase, keep): (Vec<_>, Vec<_>) = p.items.iter().cloned().partition(|i| i.after == AfterDeletion::Erase);
                                let untitled = |s: &str| if s.trim().is_empty() { "—".to_string() } else { s.to_string() };
                                view! {
                                    <h2>{t.delete_erased_heading}</h2>
                                    <ul data-testid="erased">
                                        <li>{t.delete_erased_account}</li>
                                        {erase.into_iter().map(|i| view! { <li>{t.delete_erased_nomination}" "{untitled(&i.title)}</li> }).collect_view()}
                                    </ul>
                                    <h2>{t.delete_kept_heading}</h2>
                                    {if keep.is_empty() && p.reviews_written == 0 && p.registrations == 0 {
                                        view! { <p data-testid="kept">{t.delete_nothing_kept}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul data-testid="kept">
                                                {keep.into_iter().map(|i| view! {
                                                    <li>
                                                        <strong>{untitled(&i.title)}</strong>" — "{t.delete_kept_nomination}
                                                        {i.record_scope.as_deref().and_then(crate::domain::consent::ConsentScope::parse).map(|s| view! {
                                                            " "{t.delete_kept_record}" "<em>{scope_label(s, locale)}</em>
                                                        })}
                                                    </li>
                                                }).collect_view()}
                                                {(p.reviews_written > 0).then(|| view! { <li>{format!("{} ({})", t.delete_kept_reviews, p.reviews_written)}</li> })}
                                                {(p.registrations > 0).then(|| view! { <li>{t.delete_kept_registrations}</li> })}
                                            </ul>
                                        }.into_any()
                                    }}
                                    <p class="help">{t.delete_consent_note}</p>
                                    <p><a href="/account/export.zip" rel="external" download="">{t.delete_download_first}</a></p>
                                    {p.last_admin.then(|| view! { <p class="notice warn">{crate::i18n::problem_message(&crate::domain::validation::Problem::LastAdmin, locale)}</p> })}
                                    <ErrorSummary error=delete_error labels=pace_labels(locale)/>
                                    <ActionForm action=delete attr:class="danger-zone">
                                        <div class="field">
                                            <label for="f-password">{t.account_current_password}</label>
                                            <input id="f-password" type="password" name="password" required=true autocomplete="current-password"/>
                                        </div>
                                        <label class="choice" for="f-confirm">
                                            <input type="checkbox" id="f-confirm" name="confirm" value="on" required=true/>
                                            <span>{t.delete_confirm_label}</span>
                                        </label>
                                        <button type="submit" class="danger">{t.delete_button}</button>
                                    </ActionForm>
                                }.into_any()
                            }
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        }.into_any())/>
    }
}

#[component]
pub fn AccountDeletedPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text=t.deleted_title/>
        <section class="narrow">
            <h1>{t.deleted_title}</h1>
            <p class="notice success" role="status">{t.deleted_body}</p>
            <p><a href="/">{t.deleted_home}</a></p>
        </section>
    }
}

/// The link from the new address: nothing changes until the button is pressed.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let confirm = ServerAction::<ConfirmEmailChange>::new();
    let error = action_error(confirm);
    Effect::new(move |_| {
        if let Some(Ok(())) = confirm.value().get() {
            hard_navigate("/sign-in?email_changed=1");
        }
    });
    view! {
        <Title text=t.confirm_email_title/>
        <Meta name="robots" content="noindex, nofollow"/>
        <Meta name="referrer" content="same-origin"/>
        <section class="narrow">
            <h1>{t.confirm_email_title}</h1>
            <p>{t.confirm_email_lead}</p>
            <ErrorSummary error=error/>
            <ActionForm action=confirm>
                <input type="hidden" name="token" value=token/>
                <button type="submit" class="primary">{t.confirm_email_button}</button>
            </ActionForm>
        </section>
    }
}
