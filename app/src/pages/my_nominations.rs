//! The nominator's dashboard: every nomination with its status and the next step.
use crate::components::status::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::nominations::list_my_nominations;
use crate::components::guard::Guard;
use crate::domain::consent::ConsentStatus;
use crate::domain::nomination::NominatorStatus;
use crate::domain::time::format_deadline;
use crate::i18n::{consent_status_label, nominator_status_label, use_locale, use_texts, Texts};
use crate::wire::NominationSummary;

fn next_step(s: &NominationSummary, t: &'static Texts) -> &'static str {
    match s.shown_status {
        NominatorStatus::Draft if s.can_edit => t.next_write,
        NominatorStatus::NeedsInformation => t.next_amend,
        NominatorStatus::Received if s.consent == ConsentStatus::NotAsked && s.nominee_name.is_empty() => {
            t.next_edit_until
        }
        NominatorStatus::Received if s.consent == ConsentStatus::NotAsked => t.next_consent,
        NominatorStatus::Received if s.can_edit => t.next_edit_until,
        NominatorStatus::Received | NominatorStatus::InScreening | NominatorStatus::InReview => t.next_wait,
        _ => t.next_none,
    }
}

#[component]
pub fn MyNominationsPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text=t.my_title/>
        <Guard allowed=|_| true children=Callback::new(move |_| view! { <MyList/> }.into_any())/>
    }
}

#[component]
fn MyList() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let list = Resource::new(|| (), |_| list_my_nominations());
    view! {
        <section>
            <h1>{t.my_title}</h1>
            <p><a class="button" href="/nominate">{t.nominate_title}</a></p>
            <Suspense fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(rows) if rows.is_empty() => view! { <p>{t.my_empty}</p> }.into_any(),
                        Ok(rows) => view! {
                            <ul class="nomination-list">
                                {rows.into_iter().map(|s| {
                                    let title = if s.title.is_empty() { t.untitled.to_string() } else { s.title.clone() };
                                    let href = format!("/nominations/{}", s.id.0);
                                    let edit = format!("/nominations/{}/edit", s.id.0);
                                    view! {
                                        <li class="card">
                                            <h2 class="card-title"><a href=href>{title}</a></h2>
                                            <dl class="facts">
                                                <dt>{t.my_col_category}</dt><dd>{s.category_name(locale).to_string()}" · "{s.edition_name(locale).to_string()}</dd>
                                                <dt>{t.my_col_status}</dt><dd class="status" data-status=s.status.key()>{nominator_status_label(s.shown_status, locale)}</dd>
                                                <dt>{t.my_col_consent}</dt><dd>{consent_status_label(s.consent, locale)}</dd>
                                                {s.deadline.map(|d| view! { <dt>{t.nominate_deadline}</dt><dd>{format_deadline(d)}" (JST)"</dd> })}
                                                <dt>{t.my_col_next}</dt><dd>{next_step(&s, t)}</dd>
                                            </dl>
                                            {s.can_edit.then(|| view! { <a href=edit>{t.edit_link}</a> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
