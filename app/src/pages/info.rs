//! The dialogue rules and privacy pages, linked from every page's footer.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::use_texts;

/// The four dialogue rules from the organisers' own page, shown wherever people write.
#[component]
pub fn DialogueRules(#[prop(optional)] compact: bool) -> impl IntoView {
    let t = use_texts();
    view! {
        <aside class="dialogue-rules" class:compact=compact aria-labelledby="rules-heading">
            <h2 id="rules-heading">{t.rules_title}</h2>
            <p class="small">{t.rules_lead}</p>
            <ul>
                <li>{t.rule_1}</li>
                <li>{t.rule_2}</li>
                <li>{t.rule_3}</li>
                <li>{t.rule_4}</li>
            </ul>
        </aside>
    }
}

#[component]
pub fn DialogueRulesPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text=t.rules_title/>
        <section class="narrow prose">
            <h1>{t.rules_title}</h1>
            <DialogueRules/>
        </section>
    }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text=t.privacy_title/>
        <section class="narrow prose">
            <h1>{t.privacy_title}</h1>
            <p><strong>{t.privacy_consent_rule}</strong></p>
            <p>{t.privacy_health}</p>
            <p>{t.privacy_storage}</p>
            <p>{t.privacy_contact}</p>
        </section>
    }
}
