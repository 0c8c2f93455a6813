//! The landing page: what the programme is, its categories and phases, and where to start.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::api::archive::search_archive;
use crate::api::forum::list_events;
use crate::i18n::{use_locale, use_texts, Locale};
use crate::pages::archive::PracticeCardView;
use crate::pages::events::EventCard;
use crate::wire::ArchiveFilters;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let categories: [(&str, &str, &str); 4] = [
        ("corporate", "企業実践部門", "Corporate practice"),
        ("support", "支援実践部門", "Support practice"),
        ("municipal", "自治体活動・実践部門", "Municipal activity and practice"),
        ("people", "PEOPLE部門", "PEOPLE"),
    ];
    let phases: [(&str, &str); 3] = [
        (
            "CONFERENCE 2025–2026",
            if locale == Locale::Ja {
                "実践を共有し、実践共有認定(記録と紹介)を行います。"
            } else {
                "Practices are shared and receive practice-sharing certification."
            },
        ),
        (
            "CONFERENCE + AWARD 2026–2027",
            if locale == Locale::Ja {
                "認定を続けながら、表彰を行います。"
            } else {
                "Certification continues and awards are judged."
            },
        ),
        ("AWARD 2027", if locale == Locale::Ja { "表彰を行います。" } else { "Awards only." }),
    ];
    let latest = Resource::new(|| (), |_| search_archive(ArchiveFilters { per_page: 6, ..Default::default() }));
    let events = Resource::new(|| (), |_| list_events());
    let ja = locale == Locale::Ja;
    view! {
        <Title text=""/>
        <Meta name="description" content=t.site_tagline/>
        <section class="hero">
            <h1>{t.home_title}</h1>
            <p class="lead">{t.home_lead}</p>
            <form method="get" action="/archive" class="search" role="search">
                <label for="home-q">{t.search_label}</label>
                <div class="search-row">
                    <input type="search" id="home-q" name="q" placeholder=t.search_placeholder/>
                    <button type="submit" class="primary">{t.search_button}</button>
                </div>
            </form>
            <p class="actions">
                <a class="button secondary" href="/archive">{t.home_cta_archive}</a>
                <a class="button" href="/nominate">{t.home_cta_nominate}</a>
            </p>
        </section>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                events.await.ok().filter(|l| !l.upcoming.is_empty() || !l.past.is_empty()).map(|l| view! {
                    <section id="events">
                        <h2>{if ja { "フォーラム・催し" } else { "Forums and events" }}</h2>
                        {(!l.upcoming.is_empty()).then(|| view! {
                            <h3>{if ja { "これからの催し" } else { "Coming up" }}</h3>
                            <ul class="cards">{l.upcoming.into_iter().take(3).map(|s| view! { <EventCard s/> }).collect_view()}</ul>
                        })}
                        {(!l.past.is_empty()).then(|| view! {
                            <h3>{if ja { "これまでの催し" } else { "Past events" }}</h3>
                            <ul class="cards">{l.past.into_iter().take(2).map(|s| view! { <EventCard s/> }).collect_view()}</ul>
                        })}
                        <p><a href="/events">{if ja { "すべての催し" } else { "All events" }}</a></p>
                    </section>
                })
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                latest.await.ok().filter(|r| !r.items.is_empty()).map(|r| view! {
                    <section>
                        <h2>{t.latest_practices}</h2>
                        <ul class="result-list grid">{r.items.into_iter().map(|card| view! { <PracticeCardView card/> }).collect_view()}</ul>
                        <p><a href="/archive">{t.see_all}</a></p>
                    </section>
                })
            })}
        </Suspense>
        <section>
            <h2>{t.home_categories}</h2>
            <ul class="cards four">
                {categories.into_iter().map(|(key, ja, en)| view! {
                    <li class=format!("card cat-{key}")>
                        <strong>{if locale == Locale::Ja { ja } else { en }}</strong>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section>
            <h2>{t.home_phases}</h2>
            <ol class="phases">
                {phases.into_iter().map(|(name, text)| view! { <li><strong>{name}</strong><span>{text}</span></li> }).collect_view()}
            </ol>
        </section>
    }
}
