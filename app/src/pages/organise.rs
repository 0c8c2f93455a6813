//! Organisers: editions, their nomination window and extra questions, and the nominations list
//! with filters and CSV export.
use crate::components::status::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::organise::{
    get_edition_categories, get_edition_settings, list_edition_nominations, list_editions, AddQuestion, CreateEdition,
    DeleteQuestion, MoveStage, SetNominationWindow, SetStageTimes, UpdateEditionSettings,
};
use crate::components::forms::{action_error, ErrorSummary, Field};
use crate::components::guard::Guard;
use crate::domain::account::Role;
use crate::domain::category::{CategoryKey, QuestionKind};
use crate::domain::consent::ConsentStatus;
use crate::domain::edition::{EditionMode, StageKind};
use crate::domain::nomination::NominationStatus;
use crate::domain::time::{format_tokyo, to_tokyo_input};
use crate::i18n::stage_label;
use crate::i18n::{consent_status_label, nominator_status_label, question_kind_label, use_locale, use_texts};
use crate::pages::organise_review::EditionTabs;

pub fn edition_id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0)
}

#[component]
pub fn OrganisePage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let create = ServerAction::<CreateEdition>::new();
    let create_error = action_error(create);
    let editions = Resource::new(move || create.version().get(), |_| list_editions());
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            crate::components::forms::hard_navigate(&format!("/organise/editions/{id}"));
        }
    });
    view! {
        <Title text=t.organise_title/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <section>
                <h1>{t.organise_title}</h1>
                <p><a class="button secondary" href="/organise/events">{if locale == crate::i18n::Locale::Ja { "フォーラム・催しの管理" } else { "Forum events" }}</a></p>
                <h2>{t.organise_editions}</h2>
                <Suspense fallback=move || view! { <p class="muted">{t.loading}</p> }>
                    {move || Suspend::new(async move {
                        match editions.await {
                            Ok(list) => view! {
                                <ul class="cards">
                                    {list.into_iter().map(|e| view! {
                                        <li class="card">
                                            <h3 class="card-title">{e.name(locale).to_string()}</h3>
                                            <p class="muted small">{e.mode.label()}" · "{e.year_label.clone()}" · "{stage_label(e.stage, e.round, locale)}</p>
                                            <p>
                                                <a href=format!("/organise/editions/{}", e.id.0)>{t.organise_settings}</a>" · "
                                                <a href=format!("/organise/editions/{}/nominations", e.id.0)>{t.organise_nominations}</a>
                                            </p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        }
                    })}
                </Suspense>
                <details class="card">
                    <summary>{t.new_edition}</summary>
                    <p class="help">{t.new_edition_help}</p>
                    <ErrorSummary error=create_error/>
                    <ActionForm action=create attr:class="narrow">
                        <Field name="input[name_ja]" label=t.f_edition_name_ja required=true error=create_error/>
                        <Field name="input[name_en]" label=t.f_edition_name_en error=create_error/>
                        <Field name="input[slug]" label=t.f_edition_slug required=true error=create_error/>
                        <div class="field">
                            <label for="f-mode">{t.f_edition_mode}</label>
                            <select id="f-mode" name="input[mode]">
                                {EditionMode::ALL.iter().map(|m| view! { <option value=m.key()>{m.label()}</option> }).collect_view()}
                            </select>
                        </div>
                        <Field name="input[year_label]" label=t.f_edition_years error=create_error/>
                        <Field name="input[start_year]" label=t.f_edition_start_year required=true error=create_error/>
                        <button type="submit" class="primary">{t.create}</button>
                    </ActionForm>
                </details>
            </section>
        }.into_any())/>
    }
}

#[component]
pub fn EditionSettingsPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let id = edition_id_param();
    let window = ServerAction::<SetNominationWindow>::new();
    let add = ServerAction::<AddQuestion>::new();
    let remove = ServerAction::<DeleteQuestion>::new();
    let settings_action = ServerAction::<UpdateEditionSettings>::new();
    let times = ServerAction::<SetStageTimes>::new();
    let mover = ServerAction::<MoveStage>::new();
    let data = Resource::new(
        move || {
            (
                id(),
                window.version().get(),
                add.version().get(),
                remove.version().get(),
                settings_action.version().get(),
                times.version().get(),
                mover.version().get(),
            )
        },
        |(id, ..)| get_edition_categories(id),
    );
    let settings = Resource::new(
        move || {
            (
                id(),
                settings_action.version().get(),
                times.version().get(),
                mover.version().get(),
                window.version().get(),
            )
        },
        |(id, ..)| get_edition_settings(id),
    );
    let window_error = action_error(window);
    let add_error = action_error(add);
    let settings_error = action_error(settings_action);
    let times_error = action_error(times);
    let move_error = action_error(mover);
    view! {
        <Title text=t.organise_settings/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((e, cats)) => view! {
                            <section>
                                <p class="muted small"><a href="/organise">{t.organise_title}</a></p>
                                <EditionTabs active="settings"/>
                                <h1>{e.name(locale).to_string()}</h1>
                                <p id="stage"><strong>{t.stage_current}": "</strong><span data-testid="current-stage">{stage_label(e.stage, e.round, locale)}</span></p>
                                <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                                {move || Suspend::new(async move {
                                    match settings.await {
                                    Err(err) => view! { <p class="error">{err.message(locale)}</p> }.into_any(),
                                    Ok(st) => {
                                        let eid = st.edition.id.0;
                                        let mut targets: Vec<(String, String)> = StageKind::ALL.iter().filter(|k| **k != StageKind::Review).map(|k| (k.key().to_string(), stage_label(*k, 0, locale))).collect();
                                        let max_round = st.stages.iter().filter(|s| s.kind == StageKind::Review).map(|s| s.round).max().unwrap_or(1).max(st.edition.round);
                                        for r in 1..=max_round + 1 {
                                            targets.insert(targets.len().min(3 + (r as usize - 1)), (format!("review:{r}"), stage_label(StageKind::Review, r, locale)));
                                        }
                                        let slots: Vec<(StageKind, i32)> = {
                                            let mut v = vec![(StageKind::Nominations, 0), (StageKind::Screening, 0)];
                                            for r in 1..=max_round { v.push((StageKind::Review, r)); }
                                            v.push((StageKind::Decisions, 0));
                                            v.push((StageKind::Results, 0));
                                            v
                                        };
                                        view! {
                                            <details class="card">
                                                <summary>{t.stage_move}</summary>
                                                <p class="help">{t.stage_move_help}</p>
                                                <ErrorSummary error=move_error/>
                                                <ActionForm action=mover attr:class="narrow">
                                                    <input type="hidden" name="edition_id" value=eid/>
                                                    <div class="field">
                                                        <label for="f-target">{t.stage_target}</label>
                                                        <select id="f-target" name="target">{targets.into_iter().map(|(k, l)| view! { <option value=k>{l}</option> }).collect_view()}</select>
                                                    </div>
                                                    <Field name="reason" label=t.stage_reason required=true error=move_error/>
                                                    <button type="submit" class="primary">{t.stage_move_button}</button>
                                                </ActionForm>
                                            </details>
                                            <section class="card" id="timetable">
                                                <h2>{t.timetable}</h2>
                                                <p class="help">{t.timetable_help}</p>
                                                <ErrorSummary error=times_error/>
                                                <div class="table-wrap"><table>
                                                    <thead><tr><th scope="col">{t.stage_label}</th><th scope="col">{t.stage_starts}</th><th scope="col">{t.stage_ends}</th><th scope="col"><span class="visually-hidden">{t.save}</span></th></tr></thead>
                                                    <tbody>
                                                        {slots.into_iter().map(|(kind, round)| {
                                                            let existing = st.stages.iter().find(|s| s.kind == kind && (kind != StageKind::Review || s.round == round)).cloned();
                                                            let form_id = format!("stage-{}-{round}", kind.key());
                                                            let label = stage_label(kind, round, locale);
                                                            view! {
                                                                <tr>
                                                                    <th scope="row">{label.clone()}</th>
                                                                    <td><input type="datetime-local" form=form_id.clone() name="starts_at" aria-label=format!("{label} {}", t.stage_starts) value=existing.as_ref().and_then(|s| s.starts_at).map(to_tokyo_input).unwrap_or_default()/></td>
                                                                    <td><input type="datetime-local" form=form_id.clone() name="ends_at" aria-label=format!("{label} {}", t.stage_ends) value=existing.as_ref().and_then(|s| s.ends_at).map(to_tokyo_input).unwrap_or_default()/></td>
                                                                    <td>
                                                                        <ActionForm action=times attr:id=form_id attr:class="inline-form">
                                                                            <input type="hidden" name="edition_id" value=eid/>
                                                                            <input type="hidden" name="kind" value=kind.key()/>
                                                                            <input type="hidden" name="round" value=round/>
                                                                            <button type="submit" class="small secondary">{t.save}</button>
                                                                        </ActionForm>
                                                                    </td>
                                                                </tr>
                                                            }
                                                        }).collect_view()}
                                                    </tbody>
                                                </table></div>
                                            </section>
                                            <section class="card">
                                                <h2>{t.settings_review}</h2>
                                                <ErrorSummary error=settings_error/>
                                                <ActionForm action=settings_action attr:class="narrow">
                                                    <input type="hidden" name="edition_id" value=eid/>
                                                    <label class="choice" for="f-blind"><input type="checkbox" id="f-blind" name="input[blind_review]" value="on" checked=st.blind_review/><span>{t.f_blind}</span></label>
                                                    <label class="choice" for="f-peer"><input type="checkbox" id="f-peer" name="input[show_peer_scores]" value="on" checked=st.show_peer_scores/><span>{t.f_peer}</span></label>
                                                    <Field name="input[reviewers_per_nomination]" label=t.f_k value=st.reviewers_per_nomination.to_string() error=settings_error/>
                                                    <Field name="input[min_scored_for_normalisation]" label=t.f_min_scored value=st.min_scored_for_normalisation.to_string() error=settings_error/>
                                                    <Field name="input[disagreement_threshold]" label=t.f_threshold value=st.disagreement_threshold.to_string() error=settings_error/>
                                                    <button type="submit" class="primary">{t.save}</button>
                                                </ActionForm>
                                            </section>
                                        }.into_any()
                                    }
                                    }
                                })}
                                </Transition>
                                <h2>{t.organise_window}</h2>
                                <p class="help">{t.organise_window_help}</p>
                                <ErrorSummary error=window_error/>
                                <ActionForm action=window attr:class="narrow">
                                    <input type="hidden" name="edition_id" value=e.id.0/>
                                    <Field name="opens_at" label=t.organise_opens kind="datetime-local" required=true value=e.nominations_open_at.map(to_tokyo_input).unwrap_or_default() error=window_error/>
                                    <Field name="closes_at" label=t.organise_closes kind="datetime-local" required=true value=e.nominations_close_at.map(to_tokyo_input).unwrap_or_default() error=window_error/>
                                    <button type="submit" class="primary">{t.save}</button>
                                </ActionForm>

                                <h2 id="questions">{t.organise_questions}</h2>
                                <ErrorSummary error=add_error/>
                                {cats.into_iter().map(|c| {
                                    let cat_id = c.id.0;
                                    let edition_id = e.id.0;
                                    view! {
                                        <section class="card">
                                            <h3>{c.name(locale).to_string()}</h3>
                                            <ul>
                                                {c.questions.clone().into_iter().map(|q| view! {
                                                    <li>
                                                        {q.label_ja.clone()}" / "{q.label_en.clone()}
                                                        <span class="muted small">" ("{question_kind_label(q.kind, locale)}{q.required.then_some(", *")}{q.personal.then_some(", 🔒")}")"</span>
                                                        <ActionForm action=remove attr:class="inline-form">
                                                            <input type="hidden" name="edition_id" value=edition_id/>
                                                            <input type="hidden" name="category_id" value=cat_id/>
                                                            <input type="hidden" name="question_id" value=q.id/>
                                                            <button type="submit" class="small secondary">{t.view_delete}</button>
                                                        </ActionForm>
                                                    </li>
                                                }).collect_view()}
                                            </ul>
                                            <details>
                                                <summary>{t.organise_add_question}</summary>
                                                <ActionForm action=add>
                                                    <input type="hidden" name="edition_id" value=edition_id/>
                                                    <input type="hidden" name="category_id" value=cat_id/>
                                                    <div class="field">
                                                        <label for=format!("kind-{cat_id}")>{t.organise_q_kind}</label>
                                                        <select id=format!("kind-{cat_id}") name="input[kind]">
                                                            {QuestionKind::ALL.iter().map(|k| view! { <option value=k.key()>{question_kind_label(*k, locale)}</option> }).collect_view()}
                                                        </select>
                                                    </div>
                                                    <div class="field"><label for=format!("lja-{cat_id}")>{t.organise_q_label_ja}</label><input id=format!("lja-{cat_id}") name="input[label_ja]" required=true/></div>
                                                    <div class="field"><label for=format!("len-{cat_id}")>{t.organise_q_label_en}</label><input id=format!("len-{cat_id}") name="input[label_en]"/></div>
                                                    <div class="field"><label for=format!("hja-{cat_id}")>{t.organise_q_help_ja}</label><input id=format!("hja-{cat_id}") name="input[help_ja]"/></div>
                                                    <div class="field"><label for=format!("hen-{cat_id}")>{t.organise_q_help_en}</label><input id=format!("hen-{cat_id}") name="input[help_en]"/></div>
                                                    <div class="field"><label for=format!("opt-{cat_id}")>{t.organise_q_options}</label><textarea id=format!("opt-{cat_id}") name="input[options]" rows="3"></textarea></div>
                                                    <label class="choice" for=format!("req-{cat_id}")><input type="checkbox" id=format!("req-{cat_id}") name="input[required]" value="on"/><span>{t.organise_q_required}</span></label>
                                                    <label class="choice" for=format!("per-{cat_id}")><input type="checkbox" id=format!("per-{cat_id}") name="input[personal]" value="on"/><span>{t.organise_q_personal}</span></label>
                                                    <button type="submit" class="secondary">{t.organise_add_question}</button>
                                                </ActionForm>
                                            </details>
                                        </section>
                                    }
                                }).collect_view()}
                            </section>
                        }.into_any(),
                        Err(err) => view! { <p class="error">{err.message(locale)}</p> }.into_any(),
                    }
                })}
            </Transition>
        }.into_any())/>
    }
}

#[component]
pub fn OrganiserNominationsPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let id = edition_id_param();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (
            q.get("category").unwrap_or_default(),
            q.get("status").unwrap_or_default(),
            q.get("consent").unwrap_or_default(),
        )
    };
    let rows = Resource::new(move || (id(), filter()), |(id, (c, s, k))| list_edition_nominations(id, c, s, k));
    view! {
        <Title text=t.organise_nominations/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| {
            let (category, status, consent) = filter();
            let csv = format!("/organise/editions/{}/nominations.csv?category={category}&status={status}&consent={consent}", id());
            view! {
                <section>
                    <p class="muted small"><a href="/organise">{t.organise_title}</a></p>
                    <EditionTabs active="nominations"/>
                    <h1>{t.organise_nominations}</h1>
                    <PendingExtensions edition_id=id()/>
                    <form method="get" class="filters">
                        <div class="field">
                            <label for="fc">{t.f_category}</label>
                            <select id="fc" name="category">
                                <option value="">{t.filter_any}</option>
                                {CategoryKey::ALL.iter().map(|c| {
                                    let (ja, en) = c.default_names();
                                    view! { <option value=c.key() selected=category == c.key()>{if locale == crate::i18n::Locale::Ja { ja } else { en }}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="fs">{t.view_status}</label>
                            <select id="fs" name="status">
                                <option value="">{t.filter_any}</option>
                                {NominationStatus::ALL.iter().map(|s| view! { <option value=s.key() selected=status == s.key()>{s.key()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="fk">{t.my_col_consent}</label>
                            <select id="fk" name="consent">
                                <option value="">{t.filter_any}</option>
                                {ConsentStatus::ALL.iter().map(|s| view! { <option value=s.key() selected=consent == s.key()>{consent_status_label(*s, locale)}</option> }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class="secondary">{t.filter}</button>
                        <a class="button secondary" href=csv download="">{t.export_csv}</a>
                    </form>
                    <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                        {move || Suspend::new(async move {
                            match rows.await {
                                Ok(list) => view! {
                                    <p class="muted">{list.len()}" "{t.count_label}</p>
                                    <div class="table-wrap">
                                        <table>
                                            <thead><tr>
                                                <th scope="col">"ID"</th>
                                                <th scope="col">{t.my_col_title}</th>
                                                <th scope="col">{t.my_col_category}</th>
                                                <th scope="col">{t.view_status}</th>
                                                <th scope="col">{t.my_col_consent}</th>
                                                <th scope="col">{t.view_nominator}</th>
                                                <th scope="col">{t.view_updated}</th>
                                            </tr></thead>
                                            <tbody>
                                                {list.into_iter().map(|s| view! {
                                                    <tr>
                                                        <td class="num">{s.id.0}</td>
                                                        <td><a href=format!("/nominations/{}", s.id.0)>{if s.title.is_empty() { t.untitled.to_string() } else { s.title.clone() }}</a></td>
                                                        <td>{s.category_name(locale).to_string()}</td>
                                                        <td>{nominator_status_label(s.shown_status, locale)}</td>
                                                        <td>{consent_status_label(s.consent, locale)}</td>
                                                        <td>{s.nominator_name.clone()}</td>
                                                        <td>{format_tokyo(s.updated_at)}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any(),
                                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                            }
                        })}
                    </Transition>
                </section>
            }.into_any()
        })/>
    }
}

/// Requests for more time still waiting in this edition (each decided on its nomination page).
#[component]
fn PendingExtensions(edition_id: i64) -> impl IntoView {
    let t = use_texts();
    let list = Resource::new(move || edition_id, crate::api::nominations::list_extension_requests);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if !items.is_empty() => view! {
                        <section class="card" data-testid="pending-extensions" aria-labelledby="pending-ext-h">
                            <h2 id="pending-ext-h">{t.extension_requests_title}" ("{items.len()}")"</h2>
                            <ul class="plain">
                                {items.into_iter().map(|x| view! {
                                    <li>
                                        <a href=format!("/nominations/{}#extension", x.nomination_id.0)>{if x.title.trim().is_empty() { "—".to_string() } else { x.title.clone() }}</a>
                                        " · "{t.extension_pending}" "{crate::domain::time::format_deadline(x.wanted_until)}
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
