//! Shows a page only to signed-in viewers whose role allows it; explains kindly otherwise.
use leptos::prelude::*;

use crate::app::use_viewer;
use crate::domain::account::Role;
use crate::i18n::use_texts;
use crate::wire::Viewer;

#[component]
pub fn Guard(allowed: fn(Role) -> bool, children: Callback<Viewer, AnyView>) -> impl IntoView {
    let viewer = use_viewer();
    let t = use_texts();
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match viewer.await.ok().flatten() {
                    Some(v) if allowed(v.role) => children.run(v),
                    Some(_) => {
                                                crate::components::status::set(403);
                        view! {
                            <section class="narrow notice">
                                <h1>{t.forbidden_title}</h1>
                                <p>{t.forbidden_body}</p>
                            </section>
                        }.into_any()
                    }
                    None => view! { <SignInPrompt/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn SignInPrompt() -> impl IntoView {
    let t = use_texts();
    let location = leptos_router::hooks::use_location();
    let next = move || {
        let path = location.pathname.get();
        let search = location.search.get();
        let target = if search.is_empty() { path } else { format!("{path}?{search}") };
        format!("/sign-in?next={}", crate::components::forms::encode_component(&target))
    };
    crate::components::status::set(401);
    view! {
        <section class="narrow notice">
            <h1>{t.sign_in_needed_title}</h1>
            <p>{t.sign_in_needed_body}</p>
            <p><a class="button" href=next>{t.nav_sign_in}</a>" "<a href="/sign-up">{t.nav_sign_up}</a></p>
        </section>
    }
}
