//! Organisers: editions, their nomination window and extra questions, and the nominations list
//! with filters and CSV export.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::organise::{
    get_edition_categories, list_edition_nominations, list_editions, AddQuestion, DeleteQuestion,
    SetNominationWindow,
};
use crate::components::forms::{action_error, ErrorSummary, Field};
use crate::components::guard::Guard;
use crate::domain::account::Role;
use crate::domain::category::{CategoryKey, QuestionKind};
use crate::domain::consent::ConsentStatus;
use crate::domain::nomination::NominationStatus;
use crate::domain::time::{format_tokyo, to_tokyo_input};
use crate::i18n::{
    consent_status_label, nominator_status_label, question_kind_label, use_locale, use_texts,
};

pub fn edition_id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

#[component]
pub fn OrganisePage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let editions = Resource::new(|| (), |_| list_editions());
    view! {
        <Title text=t.organise_title/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <section>
                <h1>{t.organise_title}</h1>
                <h2>{t.organise_editions}</h2>
                <Suspense fallback=move || view! { <p class="muted">{t.loading}</p> }>
                    {move || Suspend::new(async move {
                        match editions.await {
                            Ok(list) => view! {
                                <ul class="cards">
                                    {list.into_iter().map(|e| view! {
                                        <li class="card">
                                            <h3 class="card-title">{e.name(locale).to_string()}</h3>
                                            <p class="muted small">{e.mode.label()}" · "{e.year_label.clone()}</p>
                                            <p>
                                                <a href=format!("/organise/editions/{}", e.id.0)>{t.organise_settings}</a>" · "
                                                <a href=format!("/organise/editions/{}/nominations", e.id.0)>{t.organise_nominations}</a>
                                            </p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(e) => view! { <p class="error">{e.message(locale)}</p> }.into_any(),
                        }
                    })}
                </Suspense>
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
    let data = Resource::new(
        move || {
            (
                id(),
                window.version().get(),
                add.version().get(),
                remove.version().get(),
            )
        },
        |(id, ..)| get_edition_categories(id),
    );
    let window_error = action_error(window);
    let add_error = action_error(add);
    view! {
        <Title text=t.organise_settings/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((e, cats)) => view! {
                            <section>
                                <p class="muted small"><a href="/organise">{t.organise_title}</a></p>
                                <h1>{e.name(locale).to_string()}</h1>
                                <p><a href=format!("/organise/editions/{}/nominations", e.id.0)>{t.organise_nominations}</a></p>
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
                                                        <select id=format!("kind-{cat_id}") name="kind">
                                                            {QuestionKind::ALL.iter().map(|k| view! { <option value=k.key()>{question_kind_label(*k, locale)}</option> }).collect_view()}
                                                        </select>
                                                    </div>
                                                    <div class="field"><label for=format!("lja-{cat_id}")>{t.organise_q_label_ja}</label><input id=format!("lja-{cat_id}") name="label_ja" required=true/></div>
                                                    <div class="field"><label for=format!("len-{cat_id}")>{t.organise_q_label_en}</label><input id=format!("len-{cat_id}") name="label_en"/></div>
                                                    <div class="field"><label for=format!("hja-{cat_id}")>{t.organise_q_help_ja}</label><input id=format!("hja-{cat_id}") name="help_ja"/></div>
                                                    <div class="field"><label for=format!("hen-{cat_id}")>{t.organise_q_help_en}</label><input id=format!("hen-{cat_id}") name="help_en"/></div>
                                                    <div class="field"><label for=format!("opt-{cat_id}")>{t.organise_q_options}</label><textarea id=format!("opt-{cat_id}") name="options" rows="3"></textarea></div>
                                                    <label class="choice" for=format!("req-{cat_id}")><input type="checkbox" id=format!("req-{cat_id}") name="required" value="on"/><span>{t.organise_q_required}</span></label>
                                                    <label class="choice" for=format!("per-{cat_id}")><input type="checkbox" id=format!("per-{cat_id}") name="personal" value="on"/><span>{t.organise_q_personal}</span></label>
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
    let rows = Resource::new(
        move || (id(), filter()),
        |(id, (c, s, k))| list_edition_nominations(id, c, s, k),
    );
    view! {
        <Title text=t.organise_nominations/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| {
            let (category, status, consent) = filter();
            let csv = format!("/organise/editions/{}/nominations.csv?category={category}&status={status}&consent={consent}", id());
            view! {
                <section>
                    <p class="muted small"><a href="/organise">{t.organise_title}</a></p>
                    <h1>{t.organise_nominations}</h1>
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
                                Err(e) => view! { <p class="error">{e.message(locale)}</p> }.into_any(),
                            }
                        })}
                    </Transition>
                </section>
            }.into_any()
        })/>
    }
}
