//! The public archive: search with facets and highlighted snippets, and the record page. Both
//! are complete without JavaScript (plain links and a GET form).
use crate::components::status::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::archive::{get_practice, search_archive};
use crate::components::forms::encode_component;
use crate::domain::nomination::{choice_label, INDUSTRIES, ORG_SIZES};
use crate::domain::region::region_name;
use crate::domain::time::format_tokyo;
use crate::error::AppError;
use crate::i18n::{badge_label, section_label, use_locale, use_texts, Locale};
use crate::wire::{ArchiveFilters, Facet, PracticeCard};

fn filters_from(q: &leptos_router::params::ParamsMap) -> ArchiveFilters {
    ArchiveFilters {
        q: q.get("q").unwrap_or_default(),
        category: q.get("category").unwrap_or_default(),
        edition: q.get("edition").unwrap_or_default(),
        region: q.get("region").unwrap_or_default(),
        industry: q.get("industry").unwrap_or_default(),
        size: q.get("size").unwrap_or_default(),
        tag: q.get("tag").unwrap_or_default(),
        badge: q.get("badge").unwrap_or_default(),
        page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
        per_page: 0,
    }
}

/// The archive URL for these filters with one of them changed (empty value clears it).
fn href(f: &ArchiveFilters, key: &str, value: &str) -> String {
    let mut pairs: Vec<(&str, String)> = vec![
        ("q", f.q.clone()),
        ("category", f.category.clone()),
        ("edition", f.edition.clone()),
        ("region", f.region.clone()),
        ("industry", f.industry.clone()),
        ("size", f.size.clone()),
        ("tag", f.tag.clone()),
        ("badge", f.badge.clone()),
    ];
    for p in pairs.iter_mut() {
        if p.0 == key {
            p.1 = value.to_string();
        }
    }
    if key == "page" {
        pairs.push(("page", value.to_string()));
    }
    let query: Vec<String> = pairs
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_component(&v)))
        .collect();
    if query.is_empty() {
        "/archive".into()
    } else {
        format!("/archive?{}", query.join("&"))
    }
}

#[component]
pub fn PracticeCardView(card: PracticeCard) -> impl IntoView {
    let locale = use_locale();
    let ja = locale == Locale::Ja;
    let (cat_ja, cat_en) = card.category.default_names();
    view! {
        <li class=format!("card result cat-{}", card.category.key())>
            <h3 class="card-title"><a href=format!("/practices/{}", card.slug)>{card.title.clone()}</a></h3>
            <p class="meta small">
                <span>{if ja { cat_ja } else { cat_en }}</span>" · "<span>{region_name(&card.region, ja)}</span>
                {(!card.edition_label.is_empty()).then(|| view! { " · "<span>{card.edition_label.clone()}</span> })}
            </p>
            {(!card.badges.is_empty()).then(|| view! {
                <p class="badges">{card.badges.iter().map(|b| view! { <span class=format!("badge badge-{}", b.kind.key())>{badge_label(b.kind, locale)}</span> }).collect_view()}</p>
            })}
            <p class="snippet" inner_html=card.snippet_html.clone()></p>
        </li>
    }
}

fn facet_title(name: &str, locale: Locale) -> &'static str {
    let t = locale.texts();
    match name {
        "category" => t.facet_category,
        "edition" => t.facet_edition,
        "region" => t.facet_region,
        "industry" => t.facet_industry,
        "size" => t.facet_size,
        "tag" => t.facet_tag,
        _ => t.facet_badge,
    }
}

#[component]
fn FacetList(facet: Facet, filters: ArchiveFilters) -> impl IntoView {
    let locale = use_locale();
    let name = facet.name.clone();
    let values: Vec<_> =
        facet.values.into_iter().take(if name == "region" || name == "tag" { 12 } else { 20 }).collect();
    (!values.is_empty()).then(|| {
        let id = format!("facet-{name}");
        let labelled = id.clone();
        view! {
            <section class="facet" aria-labelledby=labelled>
                <h3 id=id>{facet_title(&name, locale)}</h3>
                <ul>
                    {values.into_iter().map(|v| {
                        let target = if v.selected { href(&filters, &name, "") } else { href(&filters, &name, &v.key) };
                        view! {
                            <li>
                                <a href=target aria-current=v.selected.then_some("true") class:selected=v.selected>
                                    {v.label(locale).to_string()}<span class="count">{v.count}</span>
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
pub fn ArchivePage() -> impl IntoView {
    let t = use_texts();
    let query = use_query_map();
    let filters = Memo::new(move |_| filters_from(&query.read()));
    let results = Resource::new(move || filters.get(), search_archive);
    view! {
        <Title text=t.archive_title/>
        <Meta name="description" content=t.archive_lead/>
        <Link rel="alternate" type_="application/atom+xml" href="/feed.atom"/>
        <section class="archive">
            <h1>{t.archive_title}</h1>
            <p class="lead">{t.archive_lead}</p>
            <form method="get" action="/archive" class="search" role="search">
                <label for="q">{t.search_label}</label>
                <div class="search-row">
                    <input type="search" id="q" name="q" maxlength="200" value=move || filters.get().q placeholder=t.search_placeholder/>
                    <button type="submit" class="primary">{t.search_button}</button>
                </div>
            </form>
            <Suspense fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    let f = filters.get_untracked();
                    match results.await {
                        Ok(r) => {
                            // Read by the page cache: a search that finds nothing is not kept.
                            crate::components::status::set_header("x-archive-total", &r.total.to_string());
                            let any_filter = !(f.category.is_empty() && f.edition.is_empty() && f.region.is_empty() && f.industry.is_empty() && f.size.is_empty() && f.tag.is_empty() && f.badge.is_empty());
                            view! {
                                <div class="archive-layout">
                                    <aside class="facets" aria-label=t.facets_title>
                                        <h2>{t.facets_title}</h2>
                                        {any_filter.then(|| view! { <p><a href=if f.q.is_empty() { "/archive".to_string() } else { format!("/archive?q={}", encode_component(&f.q)) }>{t.clear_filters}</a></p> })}
                                        {r.facets.into_iter().map(|facet| view! { <FacetList facet filters=f.clone()/> }).collect_view()}
                                    </aside>
                                    <div class="results">
                                        <p class="result-count" role="status"><strong data-testid="total">{r.total}</strong>" "{t.results_count}</p>
                                        {if r.items.is_empty() {
                                            view! { <p class="notice">{t.results_none}</p> }.into_any()
                                        } else {
                                            view! { <ul class="result-list">{r.items.into_iter().map(|card| view! { <PracticeCardView card/> }).collect_view()}</ul> }.into_any()
                                        }}
                                        {(r.pages > 1).then(|| view! {
                                            <nav class="pagination" aria-label=t.pagination>
                                                {(r.page > 1).then(|| view! { <a href=href(&f, "page", &(r.page - 1).to_string()) rel="prev">{t.page_prev}</a> })}
                                                <span>{format!("{} / {} ", r.page, r.pages)}{t.page_of}</span>
                                                {(r.page < r.pages).then(|| view! { <a href=href(&f, "page", &(r.page + 1).to_string()) rel="next">{t.page_next}</a> })}
                                            </nav>
                                        })}
                                    </div>
                                </div>
                            }.into_any()
                        }
                        Err(e) if e.field_message("q", crate::i18n::use_locale()).is_some() => {
                            crate::components::status::for_error(&e);
                            view! { <p class="notice warn" role="alert" data-testid="search-error">{t.search_too_long}</p> }.into_any()
                        }
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn PracticePage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let record = Resource::new(slug, get_practice);
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t.loading}</p> }>
            {move || Suspend::new(async move {
                let ja = locale == Locale::Ja;
                match record.await {
                    Ok(p) => {
                        let (cat_ja, cat_en) = p.category.default_names();
                        let url = format!("/practices/{}", p.slug);
                        view! {
                            <Title text=p.title.clone()/>
                            <Meta name="description" content=p.summary.clone()/>
                            <Meta property="og:type" content="article"/>
                            <Meta property="og:title" content=p.title.clone()/>
                            <Meta property="og:description" content=p.summary.clone()/>
                            <Meta property="og:url" content=url.clone()/>
                            <Meta name="twitter:card" content="summary"/>
                            <Meta name="twitter:title" content=p.title.clone()/>
                            <Meta name="twitter:description" content=p.summary.clone()/>
                            <Link rel="canonical" href=url/>
                            <article class="record">
                                <p class="muted small"><a href="/archive">{t.record_back}</a></p>
                                <p class=format!("chip cat-{}", p.category.key())>{if ja { cat_ja } else { cat_en }}</p>
                                <h1>{p.title.clone()}</h1>
                                {(!p.badges.is_empty()).then(|| view! {
                                    <p class="badges">{p.badges.iter().map(|b| view! { <span class=format!("badge badge-{}", b.kind.key())>{badge_label(b.kind, locale)}" "{b.year}</span> }).collect_view()}</p>
                                })}
                                <dl class="facts">
                                    {p.nominee_name.clone().map(|n| view! { <dt>{t.record_nominee}</dt><dd>{n}</dd> })}
                                    <dt>{t.facet_region}</dt><dd>{region_name(&p.region, ja)}</dd>
                                    {(!p.industry.is_empty()).then(|| view! { <dt>{t.facet_industry}</dt><dd>{choice_label(&INDUSTRIES, &p.industry, ja)}</dd> })}
                                    {(!p.org_size.is_empty()).then(|| view! { <dt>{t.facet_size}</dt><dd>{choice_label(&ORG_SIZES, &p.org_size, ja)}</dd> })}
                                    {p.published_at.map(|d| view! { <dt>{t.record_published}</dt><dd>{format_tokyo(d).chars().take(10).collect::<String>()}</dd> })}
                                </dl>
                                <p class="summary lead">{p.summary.clone()}</p>
                                {p.sections.iter().map(|(k, html)| view! {
                                    <section class="practice-section" class:candour={k == "challenges"}>
                                        <h2>{section_label(k, locale).0}</h2>
                                        <div class="prose" inner_html=html.clone()></div>
                                    </section>
                                }).collect_view()}
                                {(!p.tags.is_empty()).then(|| view! {
                                    <section>
                                        <h2>{t.record_tags}</h2>
                                        <ul class="tags">{p.tags.iter().map(|tag| view! { <li><a href=format!("/archive?tag={}", encode_component(tag))>{tag.clone()}</a></li> }).collect_view()}</ul>
                                    </section>
                                })}
                                {(!p.presented_at.is_empty()).then(|| view! {
                                    <section>
                                        <h2>{if ja { "フォーラムでの発表" } else { "Presented at" }}</h2>
                                        <ul>{p.presented_at.iter().map(|(slug, title, at)| view! {
                                            <li><a href=format!("/events/{slug}")>{title.clone()}</a>" ("{crate::pages::events::day(*at, locale)}")"</li>
                                        }).collect_view()}</ul>
                                    </section>
                                })}
                                {(!p.badges.is_empty()).then(|| view! {
                                    <section>
                                        <h2>{t.record_history}</h2>
                                        <ol class="history">{p.badges.iter().map(|b| view! { <li>{b.year}" — "{b.edition_label.clone()}": "{badge_label(b.kind, locale)}</li> }).collect_view()}</ol>
                                    </section>
                                })}
                                {(!p.related.is_empty()).then(|| view! {
                                    <section class="no-print">
                                        <h2>{t.record_related}</h2>
                                        <ul class="result-list">{p.related.clone().into_iter().map(|card| view! { <PracticeCardView card/> }).collect_view()}</ul>
                                    </section>
                                })}
                            </article>
                        }.into_any()
                    }
                    Err(AppError::Gone) => {
                        crate::components::status::set(410);
                        view! {
                            <Title text=t.gone_title/>
                            <Meta name="robots" content="noindex"/>
                            <section class="narrow notice">
                                <h1>{t.gone_title}</h1>
                                <p>{AppError::Gone.message(locale)}</p>
                                <p><a class="button" href="/archive">{t.record_back}</a></p>
                            </section>
                        }.into_any()
                    }
                    Err(e) => {
                                                crate::components::status::for_error(&e);
                        view! {
                            <Title text=t.not_found_title/>
                            <section class="narrow notice">
                                <h1>{t.not_found_title}</h1>
                                <p>{e.message(locale)}</p>
                                <p><a class="button" href="/archive">{t.record_back}</a></p>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
