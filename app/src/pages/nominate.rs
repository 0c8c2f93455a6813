//! Start a nomination: choose an open edition's category, read its guidance, begin a draft.
use crate::components::status::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::nominations::{list_open_editions, StartNomination};
use crate::app::use_viewer;
use crate::components::forms::{action_error, hard_navigate, ErrorSummary};
use crate::domain::time::format_deadline;
use crate::i18n::{use_locale, use_texts};

#[component]
pub fn NominatePage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let editions = Resource::new(|| (), |_| list_open_editions());
    let viewer = use_viewer();
    let start = ServerAction::<StartNomination>::new();
    let error = action_error(start);
    Effect::new(move |_| {
        if let Some(Ok(id)) = start.value().get() {
            hard_navigate(&format!("/nominations/{id}/edit"));
        }
    });
    view! {
        <Title text=t.nominate_title/>
        <section>
            <h1>{t.nominate_title}</h1>
            <p class="lead">{t.nominate_lead}</p>
            <ErrorSummary error=error/>
            <Suspense fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    let signed_in = viewer.await.ok().flatten().is_some();
                    match editions.await {
                        Ok(list) if list.is_empty() => view! { <p class="notice">{t.nominate_none_open}</p> }.into_any(),
                        Ok(list) => list.into_iter().map(|(edition, categories)| {
                            let edition_id = edition.id.0;
                            view! {
                                <section class="edition-block">
                                    <h2>{edition.name(locale).to_string()}</h2>
                                    {edition.nominations_close_at.map(|c| view! {
                                        <p><strong>{t.nominate_deadline}": "</strong>{format_deadline(c)}" (JST)"</p>
                                    })}
                                    {if signed_in {
                                        view! {
                                            <ActionForm action=start>
                                                <input type="hidden" name="edition_id" value=edition_id/>
                                                <fieldset>
                                                    <legend>{t.nominate_choose_category}</legend>
                                                    <ul class="category-choices">
                                                        {categories.into_iter().enumerate().map(|(i, c)| {
                                                            let id = format!("cat-{edition_id}-{}", c.key.key());
                                                            let for_id = id.clone();
                                                            view! {
                                                                <li class=format!("card cat-{}", c.key.key())>
                                                                    <label class="choice" for=for_id>
                                                                        <input type="radio" id=id name="category" value=c.key.key() checked=i == 0 required=true/>
                                                                        <span>
                                                                            <strong>{c.name(locale).to_string()}</strong>
                                                                            <span class="small muted block">{c.guidance(locale).to_string()}</span>
                                                                        </span>
                                                                    </label>
                                                                </li>
                                                            }
                                                        }).collect_view()}
                                                    </ul>
                                                </fieldset>
                                                <button type="submit" class="primary" disabled=move || start.pending().get()>{t.nominate_start}</button>
                                            </ActionForm>
                                        }.into_any()
                                    } else {
                                        view! {
                                            <ul class="cards four">
                                                {categories.into_iter().map(|c| view! {
                                                    <li class=format!("card cat-{}", c.key.key())>
                                                        <strong>{c.name(locale).to_string()}</strong>
                                                        <p class="small muted">{c.guidance(locale).to_string()}</p>
                                                    </li>
                                                }).collect_view()}
                                            </ul>
                                            <p class="notice">{t.nominate_sign_in_first}" "
                                                <a href="/sign-in?next=%2Fnominate">{t.nav_sign_in}</a>" · "
                                                <a href="/sign-up?next=%2Fnominate">{t.nav_sign_up}</a>
                                            </p>
                                        }.into_any()
                                    }}
                                </section>
                            }
                        }).collect_view().into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
