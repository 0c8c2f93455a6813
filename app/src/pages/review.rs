//! The reviewer's pages: the queue with progress, the score sheet (with anchor labels and the
//! dialogue rules beside the comment to the nominee), and accepting an invitation.
use crate::components::status::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::archive::{get_sign_off, list_pending_sign_offs, SignOffPractice};
use crate::api::review::{
    get_invitation, get_review_queue, get_review_sheet, AcceptInvitation, DeclareConflict, HandBackAssignment,
    PauseAssignment, SaveReview,
};
use crate::app::use_viewer;
use crate::components::forms::{action_error, hard_navigate, ErrorSummary, Field};
use crate::components::guard::Guard;
use crate::domain::region::region_name;
use crate::i18n::{section_label, sheet_status_label, use_locale, use_texts, Locale};
use crate::pages::info::DialogueRules;
use crate::wire::{ReviewSheet, SheetStatus};

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let query = use_query_map();
    let queue = Resource::new(|| (), |_| get_review_queue());
    view! {
        <Title text=t.review_title/>
        <Guard allowed=|_| true children=Callback::new(move |_| view! {
            <section>
                <h1>{t.review_title}</h1>
                <p class="lead">{t.review_queue_lead}</p>
                {query.read_untracked().get("conflict").map(|_| view! { <p class="notice success" role="status">{t.review_conflict_removed}</p> })}
                {query.read_untracked().get("returned").map(|_| view! { <p class="notice success" role="status">{t.pace_returned_done}</p> })}
                <PendingSignOffs/>
                <Suspense fallback=move || view! { <p class="muted">{t.loading}</p> }>
                    {move || Suspend::new(async move {
                        match queue.await {
                            Ok(q) if q.items.is_empty() => view! { <p>{t.review_empty}</p> }.into_any(),
                            Ok(q) => view! {
                                <p class="progress-line">
                                    <strong>{t.review_progress}": "</strong>
                                    <span data-testid="progress">{format!("{} / {}", q.submitted, q.total)}</span>
                                    <progress max=q.total value=q.submitted aria-label=t.review_progress></progress>
                                </p>
                                <div class="table-wrap">
                                    <table>
                                        <thead><tr>
                                            <th scope="col">{t.my_col_title}</th>
                                            <th scope="col">{t.my_col_category}</th>
                                            <th scope="col">{t.round_label}</th>
                                            <th scope="col">{t.view_status}</th>
                                            <th scope="col"><span class="visually-hidden">{t.review_open}</span></th>
                                        </tr></thead>
                                        <tbody>
                                            {q.items.into_iter().map(|i| {
                                                let cat = if locale == Locale::Ja { i.category_name_ja.clone() } else { i.category_name_en.clone() };
                                                view! {
                                                    <tr>
                                                        <td>{i.title.clone()}</td>
                                                        <td>{cat}</td>
                                                        <td class="num">{i.round}</td>
                                                        <td>{sheet_status_label(i.status, locale)}{i.paused.then(|| view! { " "<span class="badge">{t.board_paused}</span> })}</td>
                                                        <td><a class="button small" href=format!("/review/{}", i.assignment_id)>{if i.can_edit { t.review_open } else { t.review_view }}</a></td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        }.into_any())/>
    }
}

/// The reviewer's own pace: pause (organisers see it) or hand the entry back.
#[component]
fn PaceForms(aid: i64, paused: bool) -> impl IntoView {
    let t = use_texts();
    let pause = ServerAction::<PauseAssignment>::new();
    let hand_back = ServerAction::<HandBackAssignment>::new();
    let pause_error = action_error(pause);
    let back_error = action_error(hand_back);
    Effect::new(move |_| {
        if let Some(Ok(())) = pause.value().get() {
            hard_navigate(&format!("/review/{aid}?paced=1"));
        }
        if let Some(Ok(())) = hand_back.value().get() {
            hard_navigate("/review?returned=1");
        }
    });
    view! {
        <section class="card pace" aria-labelledby="pace-h" data-testid="pace">
            <h2 id="pace-h">{t.pace_title}</h2>
            <p class="help">{t.pace_help}</p>
            {paused.then(|| view! { <p class="notice" role="status" data-testid="paused-note">{t.pace_paused_note}</p> })}
            <ErrorSummary error=pause_error/>
            <ActionForm action=pause attr:class="inline-form">
                <input type="hidden" name="assignment_id" value=aid/>
                {(!paused).then(|| view! { <input type="hidden" name="paused" value="on"/> })}
                <button type="submit" class="secondary">{if paused { t.pace_resume } else { t.pace_pause }}</button>
            </ActionForm>
            <details>
                <summary>{t.pace_hand_back}</summary>
                <p class="help">{t.pace_hand_back_help}</p>
                <ErrorSummary error=back_error/>
                <ActionForm action=hand_back>
                    <input type="hidden" name="assignment_id" value=aid/>
                    <div class="field">
                        <label for="hand-back-note">{t.pace_note}</label>
                        <input id="hand-back-note" name="note" maxlength="500"/>
                    </div>
                    <button type="submit" class="secondary">{t.pace_hand_back_button}</button>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
pub fn ReviewSheetPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let save = ServerAction::<SaveReview>::new();
    let sheet = Resource::new(move || (id(), save.version().get()), |(id, _)| get_review_sheet(id));
    view! {
        <Title text=t.sheet_title/>
        <Guard allowed=|_| true children=Callback::new(move |_| view! {
            <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match sheet.await {
                        Ok(s) => view! { <Sheet s save/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        }.into_any())/>
    }
}

#[component]
fn Sheet(s: ReviewSheet, save: ServerAction<SaveReview>) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let ja = locale == Locale::Ja;
    let query = use_query_map();
    let error = action_error(save);
    let conflict = ServerAction::<DeclareConflict>::new();
    let conflict_error = action_error(conflict);
    Effect::new(move |_| {
        if let Some(Ok(())) = conflict.value().get() {
            hard_navigate("/review?conflict=1");
        }
    });
    let saved = move || matches!(save.value().get(), Some(Ok(_))) || query.read().get("saved").is_some();
    let aid = s.assignment_id;
    let rubric = s.rubric.clone();
    let peer_criteria = s.rubric.criteria.clone();
    let scale: Vec<i32> = (rubric.scale_min..=rubric.scale_max).collect();
    let can_edit = s.can_edit;
    view! {
        <article class="review-sheet">
            <p class="muted small">{if ja { s.edition_name_ja.clone() } else { s.edition_name_en.clone() }}" · "{s.category.name(locale).to_string()}" · "{t.round_label}" "{s.round}</p>
            <h1>{s.title.clone()}</h1>
            {s.blind.then(|| view! { <p class="notice">{t.sheet_blind_note}</p> })}
            <div class="sheet-layout">
                <section class="preview">
                    <dl class="facts">
                        <dt>{t.f_nominee_name}</dt><dd>{s.nominee_name.clone()}</dd>
                        <dt>{t.f_region}</dt><dd>{region_name(&s.region, ja)}</dd>
                        {s.nominator_name.clone().map(|n| view! { <dt>{t.view_nominator}</dt><dd>{n}</dd> })}
                    </dl>
                    <h3>{t.f_summary}</h3>
                    <p>{s.summary.clone()}</p>
                    {s.sections_html.iter().map(|(k, html)| view! {
                        <section class="practice-section"><h3>{section_label(k, locale).0}</h3><div class="prose" inner_html=html.clone()></div></section>
                    }).collect_view()}
                    {s.answers.iter().map(|(q, a)| view! {
                        <h3>{if ja || q.label_en.is_empty() { q.label_ja.clone() } else { q.label_en.clone() }}</h3>
                        <p>{q.options.iter().find(|o| &o.value == a).map(|o| if ja { o.ja.clone() } else { o.en.clone() }).unwrap_or(a.clone())}</p>
                    }).collect_view()}
                    {(!s.links.is_empty()).then(|| view! {
                        <h3>{t.f_links}</h3>
                        <ul>{s.links.iter().map(|l| view! { <li><a href=l.clone() rel="noopener noreferrer nofollow">{l.clone()}</a></li> }).collect_view()}</ul>
                    })}
                    {(!s.attachments.is_empty()).then(|| view! {
                        <h3>{t.view_attachments}</h3>
                        <ul>{s.attachments.iter().map(|a| view! { <li><a href=format!("/attachments/{}", a.id.0)>{a.file_name.clone()}</a></li> }).collect_view()}</ul>
                    })}
                </section>
                <section class="score-panel" aria-labelledby="score-h">
                    <h2 id="score-h">{t.sheet_title}" — "<span data-testid="sheet-status">{sheet_status_label(s.status, locale)}</span></h2>
                    {(!can_edit).then(|| view! { <p class="notice warn">{t.sheet_closed}</p> })}
                    {move || saved().then(|| view! { <p class="notice success" role="status">{t.sheet_saved}</p> })}
                    <ErrorSummary error=error/>
                    <ActionForm action=save>
                        <input type="hidden" name="assignment_id" value=aid/>
                        {rubric.criteria.clone().into_iter().map(|k| {
                            let current = s.scores.iter().find(|(id, _)| *id == k.id).and_then(|(_, v)| *v);
                            let group = format!("score-{}", k.id);
                            let field = format!("score_{}", k.id);
                            let field_for_msg = field.clone();
                            let message = Signal::derive(move || error.get().and_then(|e| e.field_message(&field_for_msg, locale)));
                            view! {
                                <fieldset class="criterion" id=format!("f-{field}") disabled=!can_edit>
                                    <legend>{k.name(locale).to_string()}<span class="muted small">{format!(" ×{}", k.weight)}</span></legend>
                                    <p class="help">{k.description(locale).to_string()}</p>
                                    <div class="scale">
                                        {scale.iter().enumerate().map(|(i, v)| {
                                            let id = format!("{group}-{v}");
                                            let for_id = id.clone();
                                            let anchor = k.anchors.get(i).map(|(j, e)| if ja { j.clone() } else { e.clone() }).unwrap_or_default();
                                            view! {
                                                <label class="scale-point" for=for_id>
                                                    <input type="radio" id=id name=format!("scores[{}]", k.id) value=*v checked=current == Some(*v)/>
                                                    <span class="point">{*v}</span>
                                                    <span class="anchor">{anchor}</span>
                                                </label>
                                            }
                                        }).collect_view()}
                                    </div>
                                    {move || message.get().map(|m| view! { <p class="field-error">{m}</p> })}
                                </fieldset>
                            }
                        }).collect_view()}
                        <div class="field">
                            <label for="f-internal_comment">{t.sheet_internal_comment}</label>
                            <textarea id="f-internal_comment" name="internal_comment" rows="4" maxlength="4000" readonly=!can_edit>{crate::components::forms::rcdata(s.internal_comment.clone())}</textarea>
                        </div>
                        <DialogueRules compact=true/>
                        <div class="field">
                            <label for="f-comment_to_nominee">{t.sheet_comment_to_nominee}</label>
                            <p class="help" id="ctn-help">{t.sheet_comment_help}</p>
                            <textarea id="f-comment_to_nominee" name="comment_to_nominee" rows="3" maxlength="2000" aria-describedby="ctn-help" readonly=!can_edit>{crate::components::forms::rcdata(s.comment_to_nominee.clone())}</textarea>
                        </div>
                        {can_edit.then(|| view! {
                            <div class="form-actions">
                                <button type="submit" class="secondary" disabled=move || save.pending().get()>{t.sheet_save}</button>
                                <button type="submit" name="submit" value="1" class="primary" disabled=move || save.pending().get()>{t.sheet_submit}</button>
                            </div>
                        })}
                    </ActionForm>
                    {s.peers.clone().map(|peers| view! {
                        <section class="peers">
                            <h3>{t.sheet_peers}</h3>
                            <div class="table-wrap"><table>
                                <thead><tr>
                                    <th scope="col">" "</th>
                                    {peer_criteria.iter().map(|k| view! { <th scope="col">{k.name(locale).to_string()}</th> }).collect_view()}
                                    <th scope="col">{t.sheet_total}</th>
                                </tr></thead>
                                <tbody>
                                    {peers.into_iter().map(|p| view! {
                                        <tr>
                                            <th scope="row">{p.label.clone()}</th>
                                            {p.scores.iter().map(|v| view! { <td class="num">{v.map(|x| x.to_string()).unwrap_or_default()}</td> }).collect_view()}
                                            <td class="num">{p.total.map(|x| format!("{x:.2}")).unwrap_or_default()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table></div>
                        </section>
                    })}
                    {s.can_pace.then(|| view! { <PaceForms aid paused=s.paused/> })}
                    {(can_edit && s.status != SheetStatus::Submitted).then(|| view! {
                        <details class="conflict">
                            <summary>{t.conflict_declare}</summary>
                            <p class="help">{t.conflict_declare_help}</p>
                            <ErrorSummary error=conflict_error/>
                            <ActionForm action=conflict>
                                <input type="hidden" name="assignment_id" value=aid/>
                                <div class="field">
                                    <label for="conflict-reason">{t.conflict_reason}</label>
                                    <input id="conflict-reason" name="reason" required=true/>
                                </div>
                                <button type="submit" class="danger">{t.conflict_declare_button}</button>
                            </ActionForm>
                        </details>
                    })}
                </section>
            </div>
        </article>
    }
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = Resource::new(token, get_invitation);
    let viewer = use_viewer();
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = action_error(accept);
    Effect::new(move |_| {
        if let Some(Ok(target)) = accept.value().get() {
            hard_navigate(&target);
        }
    });
    view! {
        <Title text=t.invite_page_title/>
        <section class="narrow">
            <h1>{t.invite_page_title}</h1>
            <Suspense fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    let signed_in = viewer.await.ok().flatten();
                    match invitation.await {
                        Ok(inv) => {
                            let ja = locale == Locale::Ja;
                            let next = format!("/sign-in?next={}", crate::components::forms::encode_component(&format!("/invite/{}", token())));
                            view! {
                                <p class="lead">{if ja { inv.edition_name_ja.clone() } else { inv.edition_name_en.clone() }}</p>
                                <p><strong>{t.invite_categories}": "</strong>{inv.categories.iter().map(|(j, e)| if ja { j.clone() } else { e.clone() }).collect::<Vec<_>>().join(" / ")}</p>
                                <ErrorSummary error=error/>
                                {match (signed_in, inv.has_account) {
                                    (Some(_), _) => view! {
                                        <ActionForm action=accept>
                                            <input type="hidden" name="token" value=token/>
                                            <button type="submit" class="primary">{t.invite_accept}</button>
                                        </ActionForm>
                                    }.into_any(),
                                    (None, true) => view! {
                                        <p class="notice">{t.invite_sign_in_first}</p>
                                        <p><a class="button" href=next>{t.nav_sign_in}</a></p>
                                    }.into_any(),
                                    (None, false) => view! {
                                        <p>{t.invite_new_account}</p>
                                        <p><strong>{t.field_email}": "</strong>{inv.email.clone()}</p>
                                        <ActionForm action=accept>
                                            <input type="hidden" name="token" value=token/>
                                            <Field name="display_name" label=t.field_display_name help=t.field_display_name_help required=true error=error/>
                                            <Field name="password" label=t.field_password help=t.field_password_help kind="password" required=true autocomplete="new-password" error=error/>
                                            <button type="submit" class="primary">{t.invite_accept}</button>
                                        </ActionForm>
                                    }.into_any(),
                                }}
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The pending public texts this person may sign off (shown under their review queue).
#[component]
fn PendingSignOffs() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let pending = Resource::new(|| (), |_| list_pending_sign_offs());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match pending.await {
                    Ok(list) if !list.is_empty() => view! {
                        <section class="card" aria-labelledby="signoff-h">
                            <h2 id="signoff-h">{t.sign_off_pending_title}</h2>
                            <ul class="plain">
                                {list.into_iter().map(|p| view! {
                                    <li>
                                        <a href=format!("/review/sign-off/{}", p.id)>{p.title.clone()}</a>
                                        <span class="muted small">" · "{if locale == Locale::Ja { p.edition_name_ja.clone() } else { p.edition_name_en.clone() }}" · "{if locale == Locale::Ja { p.category.default_names().0 } else { p.category.default_names().1 }}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

/// A second person reads the public text exactly as it will be published and approves it.
#[component]
pub fn SignOffPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let sign = ServerAction::<SignOffPractice>::new();
    let view_res = Resource::new(move || (id(), sign.version().get()), |(id, _)| get_sign_off(id));
    let error = action_error(sign);
    Effect::new(move |_| {
        if let Some(Ok(())) = sign.value().get() {
            hard_navigate("/review?signed=1");
        }
    });
    view! {
        <Title text=t.sign_off_title/>
        <Guard allowed=|_| true children=Callback::new(move |_| view! {
            <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match view_res.await {
                        Ok(v) => {
                            let ja = locale == Locale::Ja;
                            view! {
                                <article class="sign-off">
                                    <p class="muted small">{if ja { v.edition_name_ja.clone() } else { v.edition_name_en.clone() }}" · "{if ja { v.category.default_names().0 } else { v.category.default_names().1 }}</p>
                                    <h1>{t.sign_off_title}</h1>
                                    <p class="lead">{t.sign_off_lead}</p>
                                    <dl class="facts">
                                        <dt>{t.sign_off_scope}</dt><dd data-testid="scope">{crate::domain::consent::ConsentScope::parse(&v.consent_scope).map(|sc| crate::i18n::scope_label(sc, locale)).unwrap_or("—")}</dd>
                                        {v.prepared_by.clone().map(|n| view! { <dt>{t.sign_off_prepared_by}</dt><dd>{n}</dd> })}
                                    </dl>
                                    <section class="preview" aria-label=t.sign_off_title>
                                        <h2 data-testid="sign-off-title">{v.title.clone()}</h2>
                                        {v.nominee_name.clone().map(|n| view! { <p><strong>{n}</strong></p> })}
                                        <p class="summary">{v.summary.clone()}</p>
                                        {v.sections.iter().map(|(k, html)| view! {
                                            <section class="practice-section"><h3>{section_label(k, locale).0}</h3><div class="prose" inner_html=html.clone()></div></section>
                                        }).collect_view()}
                                        {(!v.tags.is_empty()).then(|| view! { <p class="tags">{v.tags.iter().map(|x| view! { <span class="tag">{x.clone()}</span>" " }).collect_view()}</p> })}
                                    </section>
                                    <ErrorSummary error=error/>
                                    <ActionForm action=sign>
                                        <input type="hidden" name="id" value=v.id/>
                                        <input type="hidden" name="fingerprint" value=v.fingerprint.clone()/>
                                        <input type="hidden" name="back" value="/review?signed=1"/>
                                        <button type="submit" class="primary" disabled=move || sign.pending().get() || !v.consent_allows>{t.sign_off_approve}</button>
                                    </ActionForm>
                                </article>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        }.into_any())/>
    }
}
