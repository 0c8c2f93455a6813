//! The signed-in person's account page.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::SignOut;
use crate::components::guard::Guard;
use crate::i18n::{role_label, use_locale, use_texts};

#[component]
pub fn AccountPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    view! {
        <Title text=t.account_title/>
        <Guard allowed=|_| true children=Callback::new(move |v: crate::wire::Viewer| view! {
            <section class="narrow">
                <h1>{t.account_title}</h1>
                <dl class="facts">
                    <dt>{t.account_signed_in_as}</dt>
                    <dd>{v.display_name.clone()}" ("{v.email.clone()}")"</dd>
                    <dt>{t.account_role}</dt>
                    <dd data-testid="role">{role_label(v.role, locale)}</dd>
                </dl>
                <form method="post" action={crate::api::fn_path::<SignOut>()}>
                    <button type="submit">{t.nav_sign_out}</button>
                </form>
            </section>
        }.into_any())/>
    }
}
