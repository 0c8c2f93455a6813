//! The page a featured person reaches from the e-mailed link: read what was written, then give,
//! limit or decline consent — or, from the confirmation mail, withdraw it. No account needed.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::account::{get_featured_data, EraseFeaturedData};
use crate::api::consent::{get_consent_request, AnswerConsent, WithdrawConsentByLink};
use crate::components::forms::{action_error, hard_navigate, ErrorSummary};
use crate::domain::consent::ConsentScope;
use crate::i18n::{consent_status_label, scope_label, section_label, use_locale, use_texts, Locale};

#[component]
pub fn ConsentPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let request = Resource::new(token, get_consent_request);
    let answer = ServerAction::<AnswerConsent>::new();
    let withdraw = ServerAction::<WithdrawConsentByLink>::new();
    let answer_error = action_error(answer);
    let withdraw_error = action_error(withdraw);
    Effect::new(move |_| {
        if let Some(Ok(done)) = answer.value().get() {
            hard_navigate(&done);
        }
        if let Some(Ok(done)) = withdraw.value().get() {
            hard_navigate(&done);
        }
    });
    view! {
        <Title text=t.consent_page_title/>
        // The link is personal: keep it out of search engines and referrers.
        <Meta name="robots" content="noindex, nofollow"/>
        <Meta name="referrer" content="same-origin"/>
        <section class="prose">
            <h1>{t.consent_page_title}</h1>
            <Suspense fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match request.await {
                        Ok(v) => {
                            let ja = locale == Locale::Ja;
                            let withdrawing = v.purpose == "withdraw";
                            view! {
                                {if withdrawing {
                                    view! { <p class="lead">{t.consent_withdraw_lead}</p> }.into_any()
                                } else {
                                    view! { <p class="lead">{t.consent_page_lead}</p> }.into_any()
                                }}
                                <dl class="facts">
                                    <dt>{t.consent_current}</dt><dd data-testid="consent-status">{consent_status_label(v.state.status, locale)}</dd>
                                    <dt>{t.consent_nominated_by}</dt><dd>{v.nominator_name.clone()}</dd>
                                    <dt>{t.f_category}</dt><dd>{if ja { v.category_name_ja.clone() } else { v.category_name_en.clone() }}</dd>
                                </dl>
                                <article class="card">
                                    <h2>{v.title.clone()}</h2>
                                    <p><strong>{t.f_nominee_name}": "</strong>{v.nominee_name.clone()}</p>
                                    <p>{v.summary.clone()}</p>
                                    {v.sections_html.iter().map(|(k, html)| view! {
                                        <h3>{section_label(k, locale).0}</h3>
                                        <div class="prose" inner_html=html.clone()></div>
                                    }).collect_view()}
                                </article>
                                <FeaturedDataSection token=token()/>
                                {if withdrawing {
                                    view! {
                                        <ErrorSummary error=withdraw_error/>
                                        <ActionForm action=withdraw>
                                            <input type="hidden" name="token" value=token/>
                                            <button type="submit" class="danger">{t.consent_withdraw_button}</button>
                                        </ActionForm>
                                    }.into_any()
                                } else {
                                    view! {
                                        <ErrorSummary error=answer_error/>
                                        <ActionForm action=answer>
                                            <input type="hidden" name="token" value=token/>
                                            <fieldset id="f-scope">
                                                <legend>{t.consent_choose_scope}</legend>
                                                {ConsentScope::ALL.iter().map(|s| {
                                                    let id = format!("scope-{}", s.key());
                                                    let for_id = id.clone();
                                                    view! {
                                                        <label class="choice" for=for_id>
                                                            <input type="radio" id=id name="scope" value=s.key() checked=*s == ConsentScope::ReviewOnly/>
                                                            <span>{scope_label(*s, locale)}</span>
                                                        </label>
                                                    }
                                                }).collect_view()}
                                                <label class="choice" for="photos">
                                                    <input type="checkbox" id="photos" name="photos" value="on"/>
                                                    <span>{t.scope_photos}</span>
                                                </label>
                                            </fieldset>
                                            <p class="actions">
                                                <button type="submit" name="decision" value="give" class="primary">{t.consent_give}</button>
                                                <button type="submit" name="decision" value="decline" class="secondary">{t.consent_decline}</button>
                                            </p>
                                        </ActionForm>
                                    }.into_any()
                                }}
                            }.into_any()
                        }
                        Err(e) => {
                                                        crate::components::status::for_error(&e);
                            view! { <p class="notice warn" role="alert">{e.message(locale)}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn ConsentDonePage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let message = move || match query.read().get("status").as_deref() {
        Some("given") => t.consent_done_given,
        Some("declined") => t.consent_done_declined,
        Some("withdrawn") => t.consent_done_withdrawn,
        _ if query.read().get("erased").is_some() => t.featured_erased_done,
        _ => t.consent_done_given,
    };
    view! {
        <Title text=t.consent_done_title/>
        <section class="narrow">
            <h1>{t.consent_done_title}</h1>
            <p class="notice success" role="status">{message}</p>
        </section>
    }
}

/// What the platform holds about the featured person, through their own link: a download, and
/// erasure of their name and address (which withdraws their consent).
#[component]
fn FeaturedDataSection(token: String) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let key = token.clone();
    let data = Resource::new(move || key.clone(), get_featured_data);
    let erase = ServerAction::<EraseFeaturedData>::new();
    let erase_error = action_error(erase);
    Effect::new(move |_| {
        if let Some(Ok(())) = erase.value().get() {
            hard_navigate("/consent/done?erased=1");
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! {
                            <section class="card" aria-labelledby="featured-h" data-testid="featured-data">
                                <h2 id="featured-h">{t.featured_data_title}</h2>
                                <p class="help">{t.featured_data_lead}</p>
                                <dl class="facts">
                                    <dt>{t.f_nominee_name}</dt><dd>{d.nominee_name.clone()}</dd>
                                    <dt>{t.featured_data_kana}</dt><dd>{d.nominee_kana.clone()}</dd>
                                    <dt>{t.featured_data_email}</dt><dd>{d.email.clone()}</dd>
                                    <dt>{t.consent_current}</dt><dd>{consent_status_label(d.consent.status, locale)}</dd>
                                    <dt>{t.featured_data_public}</dt><dd>{if d.record_published { t.word_yes } else { t.word_no }}</dd>
                                </dl>
                                <p><a href=format!("/consent/{token}/export.json") rel="external noreferrer" download="">{t.featured_data_download}</a></p>
                                <details>
                                    <summary>{t.featured_erase}</summary>
                                    <p class="help">{t.featured_erase_help}</p>
                                    <ErrorSummary error=erase_error/>
                                    <ActionForm action=erase>
                                        <input type="hidden" name="token" value=token.clone()/>
                                        <button type="submit" class="danger">{t.featured_erase_button}</button>
                                    </ActionForm>
                                </details>
                            </section>
                        }.into_any(),
                        Err(_) => ().into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
