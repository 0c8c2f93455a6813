//! The landing page: what the programme is, its categories and phases, and where to start.
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::i18n::{use_locale, use_texts, Locale};

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
    view! {
        <Title text=""/>
        <Meta name="description" content=t.site_tagline/>
        <section class="hero">
            <h1>{t.home_title}</h1>
            <p class="lead">{t.home_lead}</p>
            <p class="actions">
                <a class="button" href="/nominate">{t.home_cta_nominate}</a>
            </p>
        </section>
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
