//! Organisers prepare public versions beside the reviewed text, see the differences, and a
//! second person signs them off; synonyms for search are kept here too.
use crate::components::status::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::archive::{
    get_practice_edit, list_archive_candidates, list_synonyms, AddSynonyms, DeleteSynonyms, PreparePractice,
    SavePracticeDraft, SignOffPractice, UnpublishPractice,
};
use crate::components::forms::{action_error, hard_navigate, ErrorSummary};
use crate::components::guard::Guard;
use crate::domain::account::Role;
use crate::domain::archive::PracticeStatus;
use crate::i18n::{
    consent_status_label, outcome_label, practice_status_label, section_label, use_locale, use_texts, Locale,
};

#[component]
pub fn ArchiveAdminPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let prepare = ServerAction::<PreparePractice>::new();
    let add = ServerAction::<AddSynonyms>::new();
    let remove = ServerAction::<DeleteSynonyms>::new();
    let data = Resource::new(move || prepare.version().get(), |_| list_archive_candidates());
    let syn = Resource::new(move || (add.version().get(), remove.version().get()), |_| list_synonyms());
    let error = Signal::derive(move || prepare.value().get().and_then(|r| r.err()));
    let syn_error = action_error(add);
    Effect::new(move |_| {
        if let Some(Ok(id)) = prepare.value().get() {
            hard_navigate(&format!("/organise/archive/{id}"));
        }
    });
    view! {
        <Title text=t.admin_archive_title/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <section>
                <p class="muted small"><a href="/organise">{t.organise_title}</a></p>
                <h1>{t.admin_archive_title}</h1>
                <p class="help">{t.admin_archive_lead}</p>
                <ErrorSummary error=error/>
                <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Ok((candidates, records)) => view! {
                                <h2>{t.archive_candidates}</h2>
                                <div class="table-wrap"><table>
                                    <thead><tr><th scope="col">{t.my_col_title}</th><th scope="col">{t.tab_ranking}</th><th scope="col">{t.my_col_consent}</th><th scope="col">{t.archive_records}</th></tr></thead>
                                    <tbody>{candidates.into_iter().map(|c| view! {
                                        <tr>
                                            <td>{c.title.clone()}<br/><span class="muted small">{if locale == Locale::Ja { c.edition_name_ja.clone() } else { c.edition_name_en.clone() }}</span></td>
                                            <td>{outcome_label(c.outcome, locale)}</td>
                                            <td>{consent_status_label(c.consent.status, locale)}</td>
                                            <td>{match c.practice {
                                                Some((id, status)) => view! { <a href=format!("/organise/archive/{id}")>{practice_status_label(status, locale)}</a> }.into_any(),
                                                None => view! {
                                                    <ActionForm action=prepare attr:class="inline-form">
                                                        <input type="hidden" name="nomination_id" value=c.nomination_id.0/>
                                                        <button type="submit" class="small secondary">{t.archive_prepare}</button>
                                                    </ActionForm>
                                                }.into_any(),
                                            }}</td>
                                        </tr>
                                    }).collect_view()}</tbody>
                                </table></div>
                                <h2>{t.archive_records}</h2>
                                <ul class="plain">{records.into_iter().map(|(id, slug, title, status, pending)| view! {
                                    <li>
                                        <a href=format!("/organise/archive/{id}")>{title}</a>
                                        <span class="badge">{practice_status_label(status, locale)}</span>
                                        {pending.then(|| view! { <span class="badge warn">{t.archive_pending}</span> })}
                                        {(status == PracticeStatus::Published).then(|| view! { <a class="small" href=format!("/practices/{slug}")>"↗"</a> })}
                                    </li>
                                }).collect_view()}</ul>
                            }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        }
                    })}
                </Transition>
                <section class="card" id="synonyms">
                    <h2>{t.synonyms_title}</h2>
                    <p class="help">{t.synonyms_help}</p>
                    <ErrorSummary error=syn_error/>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            syn.await.ok().map(|list| view! {
                                <ul class="plain">{list.into_iter().map(|(id, words)| view! {
                                    <li>{words}
                                        <ActionForm action=remove attr:class="inline-form">
                                            <input type="hidden" name="id" value=id/>
                                            <button type="submit" class="small secondary">{t.view_delete}</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}</ul>
                            })
                        })}
                    </Transition>
                    <ActionForm action=add attr:class="inline-form">
                        <label for="syn-words" class="visually-hidden">{t.synonyms_title}</label>
                        <input id="syn-words" name="words" placeholder="がん、癌、ガン" required=true/>
                        <button type="submit" class="secondary">{t.synonyms_add}</button>
                    </ActionForm>
                </section>
            </section>
        }.into_any())/>
    }
}

#[component]
pub fn PracticeEditPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let save = ServerAction::<SavePracticeDraft>::new();
    let sign = ServerAction::<SignOffPractice>::new();
    let unpublish = ServerAction::<UnpublishPractice>::new();
    let data = Resource::new(
        move || (id(), save.version().get(), sign.version().get(), unpublish.version().get()),
        |(id, ..)| get_practice_edit(id),
    );
    let save_error = action_error(save);
    let other_error = Signal::derive(move || {
        sign.value().get().and_then(|r| r.err()).or_else(|| unpublish.value().get().and_then(|r| r.err()))
    });
    view! {
        <Title text=t.edit_public_title/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => {
                            let pid = v.id;
                            view! {
                                <p class="muted small"><a href="/organise/archive">{t.admin_archive_title}</a></p>
                                <h1>{t.edit_public_title}</h1>
                                <p><span class="badge" data-testid="practice-status">{practice_status_label(v.status, locale)}</span>
                                    {v.has_pending_changes.then(|| view! { <span class="badge warn">{t.archive_pending}</span> })}
                                    {(v.status == PracticeStatus::Published).then(|| view! { " "<a href=format!("/practices/{}", v.slug)>{format!("/practices/{}", v.slug)}</a> })}
                                </p>
                                {(query.read_untracked().get("published").is_some() || matches!(sign.value().get(), Some(Ok(())))).then(|| view! { <p class="notice success" role="status">{t.published_ok}</p> })}
                                {(query.read_untracked().get("unpublished").is_some() || matches!(unpublish.value().get(), Some(Ok(())))).then(|| view! { <p class="notice success" role="status">{t.unpublished_ok}</p> })}
                                {(query.read_untracked().get("saved").is_some() || matches!(save.value().get(), Some(Ok(())))).then(|| view! { <p class="notice success" role="status">{t.saved}</p> })}
                                {(!v.consent_allows).then(|| view! { <p class="notice warn">{t.consent_required_note}</p> })}
                                {(v.consent_scope == "archive_anonymised").then(|| view! { <p class="notice warn">{t.anonymised_note}</p> })}
                                <p class="help">{t.edit_public_help}</p>
                                <ErrorSummary error=save_error/>
                                <ErrorSummary error=other_error/>
                                <ActionForm action=save>
                                    <input type="hidden" name="id" value=pid/>
                                    <div class="field"><label for="p-title">{t.f_title}</label><input id="p-title" name="title" value=v.title.clone() maxlength="120" required=true/></div>
                                    <div class="field"><label for="p-summary">{t.f_summary}</label><textarea id="p-summary" name="summary" rows="3" maxlength="400" required=true>{crate::components::forms::rcdata(v.summary.clone())}</textarea></div>
                                    <div class="field"><label for="p-tags">{t.f_tags}</label><input id="p-tags" name="tags" value=v.tags.clone()/></div>
                                    {v.sections.into_iter().map(|s| {
                                        let (label, _) = section_label(&s.key, locale);
                                        let fid = format!("p-sec-{}", s.key);
                                        view! {
                                            <section class="public-section">
                                                <h2>{label}</h2>
                                                <div class="side-by-side">
                                                    <div>
                                                        <h3 class="small">{t.reviewed_text}</h3>
                                                        <div class="prose reviewed" inner_html=s.reviewed_html.clone()></div>
                                                    </div>
                                                    <div class="field">
                                                        <label for=fid.clone() class="small">{t.public_text}": "{label}</label>
                                                        <textarea id=fid name=format!("sections[{}]", s.key) rows="8" maxlength="8000">{crate::components::forms::rcdata(s.public_source.clone())}</textarea>
                                                    </div>
                                                </div>
                                                {(!s.reviewed_html.is_empty()).then(|| view! {
                                                    <details><summary>{t.differences}</summary><p class="diff" inner_html=s.diff_html.clone()></p></details>
                                                })}
                                            </section>
                                        }
                                    }).collect_view()}
                                    <button type="submit" class="secondary">{t.save_public}</button>
                                </ActionForm>
                                <section class="card">
                                    <h2>{t.sign_off}</h2>
                                    <p class="help">{t.sign_off_help}</p>
                                    {v.prepared_by.clone().map(|n| view! { <p class="small">{t.prepared_by}": "{n}</p> })}
                                    <ActionForm action=sign>
                                        <input type="hidden" name="id" value=pid/>
                                        <input type="hidden" name="fingerprint" value=v.fingerprint.clone()/>
                                        <button type="submit" class="primary" disabled=!v.can_sign_off>{t.sign_off}</button>
                                    </ActionForm>
                                    {(v.status == PracticeStatus::Published).then(|| view! {
                                        <ActionForm action=unpublish>
                                            <input type="hidden" name="id" value=pid/>
                                            <button type="submit" class="danger">{t.unpublish}</button>
                                        </ActionForm>
                                    })}
                                </section>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        }.into_any())/>
    }
}
