//! The page for unknown paths, answered with status 404.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::use_texts;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    crate::components::status::set(404);
    let t = use_texts();
    view! {
        <Title text=t.not_found_title/>
        <section class="narrow notice">
            <h1>{t.not_found_title}</h1>
            <p>{t.not_found_body}</p>
            <p><a class="button" href="/">{t.not_found_home}</a></p>
        </section>
    }
}
