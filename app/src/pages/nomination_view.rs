//! One nomination as organisers and reviewers will see it: the preview before submitting, and
//! the page where the nominator attaches files, asks for consent, submits, follows or withdraws.
use crate::components::status::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::nominations::{
    get_nomination, DecideExtension, DeleteAttachment, RecordConsent, RequestConsent, RequestExtension,
    SubmitNomination, WithdrawConsent, WithdrawNomination,
};
use crate::api::organise::ScreenNomination;
use crate::components::forms::{action_error, hard_navigate, ErrorSummary};
use crate::components::guard::Guard;
use crate::domain::consent::{ConsentScope, ConsentStatus};
use crate::domain::files::MAX_ATTACHMENTS;
use crate::domain::nomination::{
    self as nom, choice_label, NominationStatus, NominatorStatus, NomineeType, INDUSTRIES, ORG_SIZES, RELATIONSHIPS,
};
use crate::domain::pace::{ExtensionStatus, MAX_EXTENSION_DAYS};
use crate::domain::region::region_name;
use crate::domain::time::{format_deadline, format_tokyo, to_tokyo_input};
use crate::i18n::{
    consent_status_label, nomination_field_label, nomination_labels, nominator_status_label, nominee_type_label,
    problem_message, scope_label, section_label, use_locale, use_texts, Locale,
};
use crate::pages::info::DialogueRules;
use crate::pages::nomination_edit::nomination_id;
use crate::wire::NominationDetail;

#[component]
pub fn NominationPage() -> impl IntoView {
    let t = use_texts();
    let id = nomination_id();
    let submit = ServerAction::<SubmitNomination>::new();
    let withdraw = ServerAction::<WithdrawNomination>::new();
    let request = ServerAction::<RequestConsent>::new();
    let withdraw_consent = ServerAction::<WithdrawConsent>::new();
    let record = ServerAction::<RecordConsent>::new();
    let delete = ServerAction::<DeleteAttachment>::new();
    let detail = Resource::new(
        move || {
            (
                id(),
                submit.version().get(),
                withdraw.version().get(),
                request.version().get(),
                withdraw_consent.version().get(),
                record.version().get(),
                delete.version().get(),
            )
        },
        |(id, ..)| get_nomination(id),
    );
    view! {
        <Guard allowed=|_| true children=Callback::new(move |_| view! {
            <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <Detail d submit withdraw request withdraw_consent record delete/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        }.into_any())/>
    }
}

fn upload_message(code: &str, locale: Locale) -> &'static str {
    let t = locale.texts();
    match code {
        "too_large" => t.upload_error_too_large,
        "type" => t.upload_error_type,
        "too_many" => t.upload_error_too_many,
        "deadline" => t.upload_error_deadline,
        _ => t.upload_error_other,
    }
}

#[component]
fn Detail(
    d: NominationDetail,
    submit: ServerAction<SubmitNomination>,
    withdraw: ServerAction<WithdrawNomination>,
    request: ServerAction<RequestConsent>,
    withdraw_consent: ServerAction<WithdrawConsent>,
    record: ServerAction<RecordConsent>,
    delete: ServerAction<DeleteAttachment>,
) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let ja = locale == Locale::Ja;
    let query = use_query_map();
    let id = d.id.0;
    let submit_error = action_error(submit);
    let request_error = action_error(request);
    let other_error = Signal::derive(move || {
        withdraw
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| withdraw_consent.value().get().and_then(|r| r.err()))
            .or_else(|| record.value().get().and_then(|r| r.err()))
            .or_else(|| delete.value().get().and_then(|r| r.err()))
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = submit.value().get() {
            hard_navigate(&format!("/nominations/{id}?submitted=1"));
        }
    });
    let title = if d.input.title.is_empty() { t.untitled.to_string() } else { d.input.title.clone() };
    let missing = if d.status == NominationStatus::Draft {
        nom::validate_submission(&d.input, d.category.key, &d.category.questions, true).err().unwrap_or_default()
    } else {
        vec![]
    };
    let upload_error = query.read_untracked().get("upload_error");
    let uploaded = query.read_untracked().get("uploaded").is_some();
    let submitted = query.read_untracked().get("submitted").is_some();
    let consent_sent = query.read_untracked().get("consent").is_some();
    let input = d.input.clone();
    let nominee_type = NomineeType::parse(&input.nominee_type);
    let organiser_view = !d.is_owner;
    let consent = d.consent.clone();

    view! {
        <Title text=title.clone()/>
        <article class="nomination">
            <p class="muted small">{d.edition.name(locale).to_string()}" · "{d.category.name(locale).to_string()}</p>
            <h1>{title}</h1>
            {submitted.then(|| view! { <p class="notice success" role="status">{t.view_submitted_notice}</p> })}
            <ErrorSummary error=other_error/>
            <dl class="facts">
                <dt>{t.view_status}</dt>
                <dd><strong class="status" data-testid="status">{nominator_status_label(d.shown_status, locale)}</strong></dd>
                {d.deadline.map(|c| view! { <dt>{t.nominate_deadline}</dt><dd>{format_deadline(c)}" (JST)"</dd> })}
                <dt>{t.view_updated}</dt><dd>{format_tokyo(d.updated_at)}</dd>
                {organiser_view.then(|| view! { <dt>{t.view_nominator}</dt><dd>{d.nominator_name.clone()}" "{d.nominator_email.clone().map(|e| format!("<{e}>"))}</dd> })}
            </dl>
            {(!d.can_edit && d.is_owner && d.status != NominationStatus::Withdrawn).then(|| view! { <p class="notice warn">{t.edit_readonly}</p> })}
            {(d.is_owner && matches!(d.shown_status, NominatorStatus::Certified | NominatorStatus::Awarded(_) | NominatorStatus::NotSelected)).then(|| view! {
                <p class="notice"><a href=format!("/nominations/{}/feedback", d.id.0) data-testid="feedback-link">{t.feedback_open}</a></p>
            })}
            {organiser_view.then(|| view! {
                <p><a href=format!("/nominations/{}/feedback", d.id.0)>{t.feedback_preview_open}</a></p>
            })}
            {d.waiting_for_consent.then(|| view! {
                <div class="notice" data-testid="waiting-for-consent">
                    <h2>{t.waiting_for_consent_title}</h2>
                    <p>{t.waiting_for_consent_body}</p>
                </div>
            })}
            {(!d.screening_note.is_empty()).then(|| view! {
                <div class="notice warn">
                    <h2>{t.view_needs_info}</h2>
                    <p>{d.screening_note.clone()}</p>
                    {d.amend_until.map(|u| view! { <p>{t.view_amend_until}": "{format_tokyo(u)}</p> })}
                </div>
            })}
            {d.can_edit.then(|| view! { <p><a class="button secondary" href=format!("/nominations/{id}/edit")>{t.edit_link}</a></p> })}
            {(!missing.is_empty() && d.is_owner).then(|| view! {
                <div class="checklist notice warn">
                    <h2>{t.edit_missing}</h2>
                    <ul>
                        {missing.iter().map(|e| {
                            let label = nomination_field_label(&e.field, locale).unwrap_or("");
                            view! { <li><a href=format!("/nominations/{id}/edit#f-{}", e.field)>{label}</a>": "{problem_message(&e.problem, locale)}</li> }
                        }).collect_view()}
                    </ul>
                </div>
            })}

            <section class="preview" aria-labelledby="preview-h">
                <h2 id="preview-h" class="visually-hidden">{t.view_preview_note}</h2>
                {d.is_owner.then(|| view! { <p class="muted small">{t.view_preview_note}</p> })}
                <dl class="facts">
                    <dt>{t.f_nominee_name}</dt>
                    <dd>{input.nominee_name.clone()}{(!input.nominee_kana.is_empty()).then(|| format!("({})", input.nominee_kana))}</dd>
                    {nominee_type.map(|n| view! { <dt>{t.f_nominee_type}</dt><dd>{nominee_type_label(n, locale)}</dd> })}
                    <dt>{t.f_region}</dt><dd>{region_name(&input.region, ja)}</dd>
                    {(!input.industry.is_empty()).then(|| view! { <dt>{t.f_industry}</dt><dd>{choice_label(&INDUSTRIES, &input.industry, ja)}</dd> })}
                    {(!input.org_size.is_empty()).then(|| view! { <dt>{t.f_org_size}</dt><dd>{choice_label(&ORG_SIZES, &input.org_size, ja)}</dd> })}
                    <dt>{t.f_relationship}</dt><dd>{choice_label(&RELATIONSHIPS, &input.relationship, ja)}</dd>
                </dl>
                <h3>{t.f_summary}</h3>
                <p class="summary">{input.summary.clone()}</p>
                {d.sections_html.iter().map(|(key, html)| {
                    let (label, _) = section_label(key, locale);
                    view! { <section class="practice-section"><h3>{label}</h3><div class="prose" inner_html=html.clone()></div></section> }
                }).collect_view()}
                {(!input.link_list().is_empty()).then(|| view! {
                    <h3>{t.f_links}</h3>
                    <ul>{input.link_list().into_iter().map(|l| view! { <li><a href=l.clone() rel="noopener noreferrer nofollow">{l.clone()}</a></li> }).collect_view()}</ul>
                })}
                {d.category.questions.iter().filter_map(|q| input.answers.get(&q.id.to_string()).map(|a| (q.clone(), a.clone()))).map(|(q, a)| view! {
                    <h3>{if ja || q.label_en.is_empty() { q.label_ja.clone() } else { q.label_en.clone() }}</h3>
                    <p>{q.options.iter().find(|o| o.value == a).map(|o| if ja { o.ja.clone() } else { o.en.clone() }).unwrap_or(a)}</p>
                }).collect_view()}
            </section>

            <section id="attachments" aria-labelledby="att-h">
                <h2 id="att-h">{t.view_attachments}</h2>
                {uploaded.then(|| view! { <p class="notice success" role="status">{t.upload_ok}</p> })}
                {upload_error.map(|code| view! { <p class="notice warn" role="alert">{upload_message(&code, locale)}</p> })}
                {if d.attachments.is_empty() {
                    view! { <p class="muted">{t.view_no_attachments}</p> }.into_any()
                } else {
                    view! {
                        <ul class="attachments">
                            {d.attachments.clone().into_iter().map(|a| {
                                let kb = (a.size_bytes + 1023) / 1024;
                                view! {
                                    <li>
                                        <a href=format!("/attachments/{}", a.id.0)>{a.file_name.clone()}</a>
                                        <span class="muted small">" ("{kb}" KB)"</span>
                                        {d.can_edit.then(|| view! {
                                            <ActionForm action=delete attr:class="inline-form">
                                                <input type="hidden" name="id" value=id/>
                                                <input type="hidden" name="attachment_id" value=a.id.0/>
                                                <button type="submit" class="small secondary">{t.view_delete}</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                {(d.can_edit && d.attachments.len() < MAX_ATTACHMENTS).then(|| view! {
                    <form method="post" enctype="multipart/form-data" action=format!("/nominations/{id}/attachments") class="upload">
                        <label for="file">{t.view_attachments}</label>
                        <p class="help" id="file-help">{t.view_attachments_help}</p>
                        <input type="file" id="file" name="file" accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg" required=true aria-describedby="file-help"/>
                        <button type="submit" class="secondary">{t.view_upload}</button>
                    </form>
                })}
            </section>

            <section id="consent" aria-labelledby="consent-h">
                <h2 id="consent-h">{t.section_consent}</h2>
                {consent_sent.then(|| view! { <p class="notice success" role="status">{t.view_consent_sent}</p> })}
                <dl class="facts">
                    <dt>{t.consent_current}</dt>
                    <dd data-testid="consent-status">{consent_status_label(consent.state.status, locale)}</dd>
                    {consent.state.scope.map(|s| view! { <dt>{t.consent_choose_scope}</dt><dd>{scope_label(s, locale)}{consent.state.photos.then(|| format!(" / {}", t.scope_photos))}</dd> })}
                    {consent.recorded_at.map(|r| view! { <dt>{t.view_updated}</dt><dd>{format_tokyo(r)}</dd> })}
                </dl>
                {consent.self_nomination.then(|| view! { <p class="muted">{t.view_consent_self}</p> })}
                <ErrorSummary error=request_error labels=nomination_labels(locale)/>
                {d.can_request_consent.then(|| view! {
                    <ActionForm action=request>
                        <input type="hidden" name="id" value=id/>
                        <div class="field">
                            <label for="f-featured_email">{t.f_featured_email}</label>
                            <p class="help" id="consent-help">{t.view_consent_request_help}</p>
                            <input type="email" id="f-featured_email" name="email" value=input.featured_email.clone() required=true aria-describedby="consent-help"/>
                        </div>
                        <button type="submit" class="secondary" disabled=move || request.pending().get()>{t.view_consent_request}</button>
                    </ActionForm>
                })}
                {(consent.state.status == ConsentStatus::Given && (d.status != NominationStatus::Withdrawn || organiser_view)).then(|| view! {
                    <ActionForm action=withdraw_consent>
                        <input type="hidden" name="id" value=id/>
                        <button type="submit" class="secondary">{t.view_consent_withdraw}</button>
                    </ActionForm>
                })}
                {(organiser_view && !consent.self_nomination).then(|| view! {
                    <details>
                        <summary>{t.view_consent_record}</summary>
                        <ActionForm action=record>
                            <input type="hidden" name="id" value=id/>
                            <fieldset>
                                <legend>{t.consent_choose_scope}</legend>
                                {ConsentScope::ALL.iter().map(|s| {
                                    let rid = format!("rec-{}", s.key());
                                    let for_id = rid.clone();
                                    view! { <label class="choice" for=for_id><input type="radio" id=rid name="scope" value=s.key()/><span>{scope_label(*s, locale)}</span></label> }
                                }).collect_view()}
                                <label class="choice" for="rec-photos"><input type="checkbox" id="rec-photos" name="photos" value="on"/><span>{t.scope_photos}</span></label>
                            </fieldset>
                            <button type="submit" name="decision" value="give" class="secondary">{t.view_consent_give}</button>" "
                            <button type="submit" name="decision" value="decline" class="secondary">{t.view_consent_decline}</button>
                        </ActionForm>
                    </details>
                })}
                {(!consent.history.is_empty()).then(|| view! {
                    <details>
                        <summary>{t.view_consent_history}</summary>
                        <ol class="history">
                            {consent.history.iter().map(|h| view! {
                                <li>{format_tokyo(h.at)}" — "{consent_status_label(h.to, locale)}{h.scope.map(|s| format!("({})", scope_label(s, locale)))}" · "{h.actor.clone()}</li>
                            }).collect_view()}
                        </ol>
                    </details>
                })}
            </section>

            {(organiser_view && d.status == NominationStatus::Submitted).then(|| view! { <ScreeningForm id screening=d.screening note=d.screening_note.clone()/> })}

            {d.can_submit.then(|| view! {
                <section id="submit" aria-labelledby="submit-h">
                    <h2 id="submit-h">{t.view_submit_heading}</h2>
                    <DialogueRules compact=true/>
                    <ErrorSummary error=submit_error labels=nomination_labels(locale)/>
                    <ActionForm action=submit>
                        <input type="hidden" name="id" value=id/>
                        <label class="choice" for="f-dialogue_ack">
                            <input type="checkbox" id="f-dialogue_ack" name="dialogue_ack" value="on" required=true/>
                            <span>{t.view_ack}</span>
                        </label>
                        <button type="submit" class="primary" disabled=move || submit.pending().get()>{t.view_submit}</button>
                    </ActionForm>
                </section>
            })}

            {(d.can_request_extension || d.can_decide_extension || d.extension.is_some() && d.is_owner).then(|| view! {
                <ExtensionSection id extension=d.extension.clone() extended_until=d.extended_until can_request=d.can_request_extension can_decide=d.can_decide_extension/>
            })}

            {d.can_withdraw.then(|| view! {
                <section class="withdraw">
                    <details>
                        <summary>{t.view_withdraw}</summary>
                        <p class="help">{t.view_withdraw_help}</p>
                        <ActionForm action=withdraw>
                            <input type="hidden" name="id" value=id/>
                            <button type="submit" class="danger">{t.view_withdraw}</button>
                        </ActionForm>
                    </details>
                </section>
            })}
        </article>
    }
}

#[component]
fn ScreeningForm(id: i64, screening: crate::domain::nomination::Screening, note: String) -> impl IntoView {
    use crate::domain::nomination::Screening;
    use crate::i18n::screening_label;
    let t = use_texts();
    let locale = use_locale();
    let screen = ServerAction::<ScreenNomination>::new();
    let error = action_error(screen);
    Effect::new(move |_| {
        if let Some(Ok(())) = screen.value().get() {
            hard_navigate(&format!("/nominations/{id}?screened=1#screening"));
        }
    });
    view! {
        <section id="screening" class="card" aria-labelledby="screening-h">
            <h2 id="screening-h">{t.screening_title}</h2>
            <p><strong>{t.view_status}": "</strong><span data-testid="screening">{screening_label(screening, locale)}</span></p>
            <ErrorSummary error=error/>
            <ActionForm action=screen>
                <input type="hidden" name="id" value=id/>
                <fieldset>
                    <legend>{t.screening_decision}</legend>
                    {[Screening::Eligible, Screening::Ineligible, Screening::NeedsInfo].into_iter().map(|s| {
                        let rid = format!("scr-{}", s.key());
                        let for_id = rid.clone();
                        view! { <label class="choice" for=for_id><input type="radio" id=rid name="decision" value=s.key() checked=s == screening/><span>{screening_label(s, locale)}</span></label> }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="scr-note">{t.screening_note}</label>
                    <textarea id="scr-note" name="note" rows="3">{crate::components::forms::rcdata(note)}</textarea>
                </div>
                <div class="field">
                    <label for="scr-until">{t.screening_until}</label>
                    <input type="datetime-local" id="scr-until" name="amend_until"/>
                </div>
                <button type="submit" class="secondary">{t.screening_save}</button>
            </ActionForm>
        </section>
    }
}

/// More time: the nominator asks (the reason is for organisers only); organisers grant or
/// decline, per nomination.
#[component]
fn ExtensionSection(
    id: i64,
    extension: Option<crate::wire::ExtensionView>,
    extended_until: Option<chrono::DateTime<chrono::Utc>>,
    can_request: bool,
    can_decide: bool,
) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let ask = ServerAction::<RequestExtension>::new();
    let decide = ServerAction::<DecideExtension>::new();
    let ask_error = action_error(ask);
    let decide_error = action_error(decide);
    Effect::new(move |_| {
        if let Some(Ok(_)) = ask.value().get() {
            hard_navigate(&format!("/nominations/{id}?extension=asked#extension"));
        }
        if let Some(Ok(())) = decide.value().get() {
            hard_navigate(&format!("/nominations/{id}?extension=decided#extension"));
        }
    });
    let pending = extension.as_ref().is_some_and(|x| x.status == ExtensionStatus::Pending);
    // Changing a waiting request starts from what was written.
    let own_reason = extension.as_ref().filter(|_| pending).map(|x| x.reason.clone()).unwrap_or_default();
    let default_until = extension
        .as_ref()
        .map(|x| to_tokyo_input(x.wanted_until))
        .or_else(|| extended_until.map(to_tokyo_input))
        .unwrap_or_default();
    let labels = crate::i18n::pace_labels(locale);
    let status_line = extension.clone().map(|x| {
        let line = match x.status {
            ExtensionStatus::Pending => format!("{} {}", t.extension_pending, format_deadline(x.wanted_until)),
            ExtensionStatus::Granted => {
                format!("{} {}", t.extension_granted, format_deadline(x.granted_until.unwrap_or(x.wanted_until)))
            }
            ExtensionStatus::Declined => t.extension_declined.to_string(),
        };
        view! {
            <p class="notice" role="status" data-testid="extension-status">{line}</p>
            {(can_decide && !x.reason.is_empty()).then(|| view! {
                <div class="card">
                    <p class="small muted">{t.extension_reason_organisers}" · "{format_tokyo(x.created_at)}</p>
                    <p class="prewrap" data-testid="extension-reason">{x.reason.clone()}</p>
                </div>
            })}
        }
    });
    let granted_line = (extension.is_none()).then_some(extended_until).flatten().map(|u| {
        view! {
            <p class="notice" data-testid="extension-status">{t.extension_granted}" "{format_deadline(u)}</p>
        }
    });
    view! {
        <section id="extension" class="extension" aria-labelledby="extension-h">
            <h2 id="extension-h">{t.extension_title}</h2>
            {status_line}
            {granted_line}
            {(can_request && !can_decide).then(|| view! {
                <details open=move || (pending || ask_error.get().is_some()).then_some("")>
                    <summary>{if pending { t.extension_change } else { t.extension_ask }}</summary>
                    <p class="help">{t.extension_help}</p>
                    <ErrorSummary error=ask_error labels=labels/>
                    <ActionForm action=ask>
                        <input type="hidden" name="id" value=id/>
                        <div class="field">
                            <label for="f-days">{t.extension_days}</label>
                            <select id="f-days" name="days">
                                {[1i64, 2, 3, 5, 7, 10, MAX_EXTENSION_DAYS].into_iter().map(|d| view! {
                                    <option value=d selected={d == 7}>{crate::i18n::days_label(d, locale)}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="f-reason">{t.extension_reason}</label>
                            <p class="help" id="ext-reason-help">{t.extension_reason_help}</p>
                            <textarea id="f-reason" name="reason" rows="3" maxlength="1000" required=true aria-describedby="ext-reason-help">{crate::components::forms::rcdata(own_reason.clone())}</textarea>
                        </div>
                        <button type="submit" class="secondary">{t.extension_send}</button>
                    </ActionForm>
                </details>
            })}
            {can_decide.then(|| view! {
                <ErrorSummary error=decide_error labels=labels/>
                <ActionForm action=decide attr:class="extension-decide">
                    <input type="hidden" name="id" value=id/>
                    <div class="field">
                        <label for="f-until">{t.extension_until}</label>
                        <input id="f-until" type="datetime-local" name="until" value=default_until.clone()/>
                    </div>
                    <div class="actions">
                        <button type="submit" name="decision" value="grant">{t.extension_grant}</button>
                        {pending.then(|| view! { <button type="submit" name="decision" value="decline" class="secondary">{t.extension_decline}</button> })}
                    </div>
                </ActionForm>
            })}
        </section>
    }
}
