//! The nomination form. Works as a plain form without JavaScript; with it (inside the
//! `Autosave` island), it saves by itself, counts characters as you type, and brings back what
//! is still needed as the server judges it after each save.
use crate::components::status::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::nominations::{get_nomination, SaveNomination};
use crate::components::enhance::Autosave;
use crate::components::forms::{action_error, AreaRow, ErrorSummary, SelectRow, TextRow};
use crate::components::guard::Guard;
use crate::domain::category::{CategoryKey, QuestionKind};
use crate::domain::consent::ConsentScope;
use crate::domain::nomination::{self as nom, NomineeType, INDUSTRIES, ORG_SIZES, RELATIONSHIPS, SECTIONS};
use crate::domain::region::REGIONS;
use crate::domain::time::format_tokyo;
use crate::i18n::{
    nomination_field_label, nomination_labels, nominee_type_label, problem_message, scope_label, section_label,
    use_locale, use_texts, Locale,
};
use crate::pages::info::DialogueRules;
use crate::wire::NominationDetail;

pub fn nomination_id() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0)
}

fn choices(list: &'static [(&'static str, &'static str, &'static str)], locale: Locale) -> Vec<(String, String)> {
    list.iter().map(|(k, ja, en)| (k.to_string(), if locale == Locale::Ja { ja } else { en }.to_string())).collect()
}

#[component]
pub fn NominationEditPage() -> impl IntoView {
    let t = use_texts();
    let id = nomination_id();
    let query = use_query_map();
    let detail = Resource::new(id, get_nomination);
    view! {
        <Title text=t.edit_title/>
        <Guard allowed=|_| true children=Callback::new(move |_| view! {
            <Suspense fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) if d.can_edit => {
                            let note = {
                                let q = query.read_untracked();
                                if q.get("autosaved").is_some() {
                                    Some(format!("{} {}", t.edit_autosaved, format_tokyo(d.updated_at)))
                                } else {
                                    q.get("saved").is_some().then(|| t.edit_saved_at.to_string())
                                }
                            };
                            view! { <Autosave><EditForm detail=d note/></Autosave> }.into_any()
                        }
                        Ok(d) => view! {
                            <section class="narrow notice warn">
                                <h1>{t.edit_title}</h1>
                                <p>{t.edit_readonly}</p>
                                <p><a href=format!("/nominations/{}", d.id.0)>{t.open_link}</a></p>
                            </section>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        }.into_any())/>
    }
}

/// The form, rendered on the server only: the `Autosave` island around it adds the behaviour.
#[component]
fn EditForm(detail: NominationDetail, note: Option<String>) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let save = ServerAction::<SaveNomination>::new();
    let server_error = action_error(save);
    let id = detail.id.0;
    let category: CategoryKey = detail.category.key;
    let questions = detail.category.questions.clone();
    let missing = nom::validate_submission(&detail.input, category, &questions, true).err().unwrap_or_default();

    let input = detail.input.clone();
    let nominee_choices: Vec<(String, String)> =
        NomineeType::ALL.iter().map(|n| (n.key().to_string(), nominee_type_label(*n, locale).to_string())).collect();
    let region_choices: Vec<(String, String)> = REGIONS
        .iter()
        .map(|(k, ja, en)| (k.to_string(), if locale == Locale::Ja { ja } else { en }.to_string()))
        .collect();

    view! {
        <div class="edit-layout">
            <div class="edit-main">
                <p class="muted small">{detail.edition.name(locale).to_string()}</p>
                <h1>{t.edit_title}</h1>
                <p class="muted">{t.edit_markdown_help}</p>
                <div id="form-errors" data-swap="inner">
                    <ErrorSummary error=server_error labels=nomination_labels(locale)/>
                </div>
                <ActionForm action=save>
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" id="f-version" data-swap="value" name="version" value=detail.version/>

                    <fieldset>
                        <legend>{t.section_basic}</legend>
                        <div class="field">
                            <span class="label-like">{t.f_category}</span>
                            <p class=format!("chip cat-{}", category.key())>{detail.category.name(locale).to_string()}</p>
                            <p class="help">{detail.category.guidance(locale).to_string()}</p>
                        </div>
                        <TextRow field="title" name="input[title]" label=t.f_title help=t.f_title_help required=true max=nom::TITLE_MAX value=input.title.clone() error=server_error/>
                        <AreaRow field="summary" name="input[summary]" label=t.f_summary help=t.f_summary_help required=true max=nom::SUMMARY_MAX rows=3 value=input.summary.clone() error=server_error/>
                    </fieldset>

                    <fieldset>
                        <legend>{t.section_nominee}</legend>
                        <SelectRow field="relationship" name="input[relationship]" label=t.f_relationship required=true choices=choices(&RELATIONSHIPS, locale) value=input.relationship.clone() error=server_error/>
                        <SelectRow field="nominee_type" name="input[nominee_type]" label=t.f_nominee_type required=true choices=nominee_choices value=input.nominee_type.clone() error=server_error/>
                        <TextRow field="nominee_name" name="input[nominee_name]" label=t.f_nominee_name required=true max=nom::NAME_MAX value=input.nominee_name.clone() error=server_error/>
                        <TextRow field="nominee_kana" name="input[nominee_kana]" label=t.f_nominee_kana help=t.f_nominee_kana_help max=nom::NAME_MAX value=input.nominee_kana.clone() error=server_error/>
                        <SelectRow field="region" name="input[region]" label=t.f_region required=true choices=region_choices value=input.region.clone() error=server_error/>
                        {category.asks_company_details().then(|| view! {
                            <SelectRow field="industry" name="input[industry]" label=t.f_industry required=true choices=choices(&INDUSTRIES, locale) value=input.industry.clone() error=server_error/>
                            <SelectRow field="org_size" name="input[org_size]" label=t.f_org_size required=true choices=choices(&ORG_SIZES, locale) value=input.org_size.clone() error=server_error/>
                        })}
                    </fieldset>

                    <fieldset>
                        <legend>{t.section_practice}</legend>
                        {SECTIONS.iter().map(|(key, required)| {
                            let (label, help) = section_label(key, locale);
                            let field: &'static str = key;
                            let name: &'static str = match *key {
                                "background" => "input[background]",
                                "practice" => "input[practice]",
                                "involved" => "input[involved]",
                                "accommodation" => "input[accommodation]",
                                "challenges" => "input[challenges]",
                                "outcomes" => "input[outcomes]",
                                _ => "input[lessons]",
                            };
                            view! { <AreaRow field name label help required=*required max=nom::SECTION_MAX rows=7 value=input.section(key).to_string() error=server_error/> }
                        }).collect_view()}
                    </fieldset>

                    {(!questions.is_empty()).then(|| {
                        let answers = input.answers.clone();
                        view! {
                            <fieldset>
                                <legend>{t.section_questions}</legend>
                                {questions.iter().map(|q| {
                                    let field = format!("q_{}", q.id);
                                    let name = format!("input[answers][{}]", q.id);
                                    let label = if locale == Locale::Ja || q.label_en.is_empty() { q.label_ja.clone() } else { q.label_en.clone() };
                                    let help = if locale == Locale::Ja { q.help_ja.clone() } else { q.help_en.clone() };
                                    let value = answers.get(&q.id.to_string()).cloned().unwrap_or_default();
                                    match q.kind {
                                        QuestionKind::LongText => view! { <AreaRow field name label help required=q.required max=q.kind.max_chars() rows=4 value error=server_error/> }.into_any(),
                                        QuestionKind::SingleChoice => {
                                            let opts = q.options.iter().map(|o| (o.value.clone(), if locale == Locale::Ja { o.ja.clone() } else { o.en.clone() })).collect::<Vec<_>>();
                                            view! { <SelectRow field name label help required=q.required choices=opts value error=server_error/> }.into_any()
                                        }
                                        QuestionKind::Number | QuestionKind::ShortText => view! { <TextRow field name label help required=q.required max=q.kind.max_chars() value error=server_error/> }.into_any(),
                                    }
                                }).collect_view()}
                            </fieldset>
                        }
                    })}

                    <fieldset>
                        <legend>{t.section_more}</legend>
                        <AreaRow field="links" name="input[links]" label=t.f_links help=t.f_links_help max=5000 rows=3 value=input.links.clone() error=server_error/>
                    </fieldset>

                    <fieldset id="consent-fields">
                        <legend>{t.section_consent}</legend>
                        <TextRow field="featured_email" name="input[featured_email]" label=t.f_featured_email help=t.f_featured_email_help kind="email" max=254 value=input.featured_email.clone() error=server_error/>
                        <div class="field" id="f-self_consent_scope">
                            <p class="label-like">{t.f_self_consent}</p>
                            <p class="help">{t.f_self_consent_help}</p>
                            {ConsentScope::ALL.iter().map(|s| {
                                let checked = input.self_consent_scope == s.key();
                                let id = format!("self-scope-{}", s.key());
                                let for_id = id.clone();
                                view! {
                                    <label class="choice" for=for_id>
                                        <input type="radio" id=id name="input[self_consent_scope]" value=s.key() checked=checked/>
                                        <span>{scope_label(*s, locale)}</span>
                                    </label>
                                }
                            }).collect_view()}
                            <label class="choice" for="self-photos">
                                <input type="checkbox" id="self-photos" name="input[self_consent_photos]" value="on" checked=input.self_consent_photos.is_some()/>
                                <span>{t.scope_photos}</span>
                            </label>
                            {move || server_error.get().and_then(|e| e.field_message("self_consent_scope", locale)).map(|m| view! { <p class="field-error">{m}</p> })}
                        </div>
                    </fieldset>

                    <div class="form-actions">
                        <button type="submit" name="then" value="stay" class="secondary">{t.edit_save}</button>
                        <button type="submit" name="then" value="preview" class="primary">{t.edit_save_preview}</button>
                        <span
                            id="save-state"
                            data-swap="text"
                            class="save-state"
                            role="status"
                            aria-live="polite"
                            data-saving=t.edit_saving
                            data-unsaved=t.edit_unsaved
                            data-failed=t.edit_autosave_failed
                            data-refused=t.edit_autosave_refused
                        >{note}</span>
                    </div>
                </ActionForm>
            </div>
            <aside class="edit-aside">
                <DialogueRules compact=true/>
                <section class="checklist" aria-labelledby="checklist-h">
                    <h2 id="checklist-h">{t.edit_missing}</h2>
                    <div id="checklist" data-swap="inner">
                    {
                        if missing.iter().all(|e| e.field == "dialogue_ack") {
                            view! { <p class="ok">{t.edit_complete}</p> }.into_any()
                        } else {
                            view! {
                                <ul>
                                    {missing.into_iter().filter(|e| e.field != "dialogue_ack").map(|e| {
                                        let label = nomination_field_label(&e.field, locale).unwrap_or("");
                                        view! { <li><a href=format!("#f-{}", e.field)>{label}</a>": "{problem_message(&e.problem, locale)}</li> }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }
                    </div>
                </section>
            </aside>
        </div>
    }
}
