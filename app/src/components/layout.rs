//! The header with navigation by role and the language switch, and the footer.
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::auth::{SignOut, SwitchLocale};
use crate::app::use_viewer;
use crate::i18n::{use_locale, use_texts};

#[component]
pub fn SiteHeader() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let viewer = use_viewer();
    let location = use_location();
    let here = move || {
        let path = location.pathname.get();
        let search = location.search.get();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    let current = move |prefix: &'static str| {
        move || {
            let path = location.pathname.get();
            let active = if prefix == "/" { path == "/" } else { path.starts_with(prefix) };
            active.then_some("page")
        }
    };

    view! {
        <header class="site-header">
            <div class="bar">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"◐"</span>
                    <span class="brand-name">{t.site_name}</span>
                </a>
                <form class="lang-switch" method="post" action={crate::api::fn_path::<SwitchLocale>()}>
                    <input type="hidden" name="to" value=locale.other().code()/>
                    <input type="hidden" name="next" value=here/>
                    <button type="submit" lang=locale.other().code() aria-label=t.switch_language_label>{t.switch_language}</button>
                </form>
            </div>
            <nav aria-label=t.nav_label>
                <ul class="nav">
                    <li><a href="/archive" aria-current=current("/archive")>{t.nav_archive}</a></li>
                    <li><a href="/events" aria-current=current("/events")>{t.nav_events}</a></li>
                    <li><a href="/nominate" aria-current=current("/nominate")>{t.nav_nominate}</a></li>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let v = viewer.await.ok().flatten();
                            match v {
                                Some(v) => view! {
                                    <li><a href="/nominations" aria-current=current("/nominations")>{t.nav_my_nominations}</a></li>
                                    {v.role.can_review().then(|| view! { <li><a href="/review" aria-current=current("/review")>{t.nav_review}</a></li> })}
                                    {v.role.can_organise().then(|| view! { <li><a href="/organise" aria-current=current("/organise")>{t.nav_organise}</a></li> })}
                                    {v.role.can_administer().then(|| view! { <li><a href="/admin" aria-current=current("/admin")>{t.nav_admin}</a></li> })}
                                    <li><a href="/account" aria-current=current("/account")>{t.nav_account}</a></li>
                                    <li>
                                        <form method="post" action={crate::api::fn_path::<SignOut>()} class="inline">
                                            <button type="submit" class="link">{t.nav_sign_out}</button>
                                        </form>
                                    </li>
                                }.into_any(),
                                None => view! {
                                    <li><a href="/sign-in" aria-current=current("/sign-in")>{t.nav_sign_in}</a></li>
                                    <li><a href="/sign-up" class="button small" aria-current=current("/sign-up")>{t.nav_sign_up}</a></li>
                                }.into_any(),
                            }
                        })}
                    </Transition>
                </ul>
            </nav>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    let t = use_texts();
    view! {
        <footer class="site-footer">
            <ul>
                <li><a href="/dialogue-rules">{t.footer_dialogue_rules}</a></li>
                <li><a href="/privacy">{t.footer_privacy}</a></li>
            </ul>
            <p class="small">{t.footer_note}</p>
        </footer>
    }
}
