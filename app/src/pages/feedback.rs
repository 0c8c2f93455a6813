//! The nominee's feedback report (printable), and the organisers' reading of reviewers'
//! comments to nominees before they are released.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::feedback::{get_feedback, list_feedback_comments, ModerateComment};
use crate::components::forms::{action_error, ErrorSummary};
use crate::components::guard::Guard;
use crate::components::status::ErrorNotice;
use crate::domain::category::CategoryKey;
use crate::domain::feedback::{outcome_meaning, CommentState, MIN_ENTRIES_FOR_BANDS};
use crate::i18n::{outcome_label, use_locale, use_texts, Locale};
use crate::pages::info::DialogueRules;
use crate::pages::nomination_edit::nomination_id;
use crate::pages::organise::edition_id_param;
use crate::pages::organise_review::EditionTabs;
use crate::wire::feedback::{FeedbackReport, ModerationItem};

fn category_name(k: CategoryKey, locale: Locale) -> &'static str {
    let (ja, en) = k.default_names();
    if locale == Locale::Ja {
        ja
    } else {
        en
    }
}

#[component]
pub fn FeedbackPage() -> impl IntoView {
    let t = use_texts();
    let id = nomination_id();
    let report = Resource::new(id, get_feedback);
    view! {
        <Title text=t.feedback_title/>
        <Guard allowed=|_| true children=Callback::new(move |_| view! {
            <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(r) => view! { <Report r/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        }.into_any())/>
    }
}

#[component]
fn Report(r: FeedbackReport) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let ja = locale == Locale::Ja;
    let edition =
        if ja || r.edition_name_en.is_empty() { r.edition_name_ja.clone() } else { r.edition_name_en.clone() };
    let criteria = r.criteria.clone();
    let comments = r.comments.clone();
    view! {
        <article class="feedback-report" data-testid="feedback-report">
            {r.preview.then(|| view! {
                <p class="notice warn no-print" role="note" data-testid="feedback-preview">
                    {if r.released { t.feedback_preview_released } else { t.feedback_preview_unreleased }}
                </p>
            })}
            <p class="muted small">{edition}" · "{category_name(r.category, locale)}</p>
            <h1>{t.feedback_title}</h1>
            <p class="feedback-entry"><strong>{r.title.clone()}</strong></p>
            <p>{t.feedback_intro}</p>

            <section aria-labelledby="fb-outcome">
                <h2 id="fb-outcome">{t.feedback_outcome_title}</h2>
                <p><strong data-testid="feedback-outcome">{outcome_label(r.outcome, locale)}</strong></p>
                <p>{outcome_meaning(r.outcome, locale)}</p>
            </section>

            <section aria-labelledby="fb-bands">
                <h2 id="fb-bands">{t.feedback_bands_title}</h2>
                {if r.bands_shown {
                    view! {
                        <p class="small muted">{t.feedback_bands_help}</p>
                        <dl class="feedback-bands">
                            {criteria.into_iter().map(|k| {
                                let name = if ja || k.name_en.is_empty() { k.name_ja } else { k.name_en };
                                let (label, words) = match k.band {
                                    Some(b) => b.words(locale),
                                    None => (t.feedback_band_none, ""),
                                };
                                let class = k.band.map(|b| format!("band band-{b:?}").to_lowercase()).unwrap_or_else(|| "band".into());
                                view! {
                                    <dt>{name}</dt>
                                    <dd><span class=class>{label}</span>" "<span class="small">{words}</span></dd>
                                }
                            }).collect_view()}
                        </dl>
                    }.into_any()
                } else {
                    view! { <p data-testid="feedback-no-bands">{t.feedback_no_bands.replace("{n}", &MIN_ENTRIES_FOR_BANDS.to_string())}</p> }.into_any()
                }}
            </section>

            <section aria-labelledby="fb-comments">
                <h2 id="fb-comments">{t.feedback_comments_title}</h2>
                {if comments.is_empty() {
                    view! { <p class="muted">{t.feedback_no_comments}</p> }.into_any()
                } else {
                    view! {
                        <ul class="feedback-comments" data-testid="feedback-comments">
                            {comments.into_iter().map(|c| view! { <li><p class="prewrap">{c}</p></li> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>

            <p>{t.feedback_thanks}</p>
            <p class="no-print">
                <a href=format!("/nominations/{}", r.nomination_id.0)>{t.feedback_back}</a>
                " · "<span class="small muted">{t.feedback_print_hint}</span>
            </p>
        </article>
    }
}

/// Organisers: every comment to a nominee of the edition, to accept, edit (with a reason) or
/// hold back (with a reason) before the results release it.
#[component]
pub fn FeedbackModerationPage() -> impl IntoView {
    let t = use_texts();
    let id = edition_id_param();
    let moderate = ServerAction::<ModerateComment>::new();
    // The summary names the field it is about ("reason: required").
    let labels: fn(&str) -> Option<&'static str> = if use_locale() == Locale::Ja {
        |f| match f {
            "reason" => Some(crate::i18n::JA.moderation_reason),
            "text" => Some(crate::i18n::JA.moderation_text),
            _ => None,
        }
    } else {
        |f| match f {
            "reason" => Some(crate::i18n::EN.moderation_reason),
            "text" => Some(crate::i18n::EN.moderation_text),
            _ => None,
        }
    };
    let items = Resource::new(move || (id(), moderate.version().get()), |(id, _)| list_feedback_comments(id));
    view! {
        <Title text=t.moderation_title/>
        <Guard allowed=crate::domain::account::Role::can_organise children=Callback::new(move |_| view! {
            <EditionTabs active="feedback"/>
            <h1>{t.moderation_title}</h1>
            <p>{t.moderation_lead}</p>
            <DialogueRules compact=true/>
            <ErrorSummary error=action_error(moderate) labels=labels/>
            <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">{t.moderation_empty}</p> }.into_any(),
                        Ok(list) => view! {
                            <ol class="moderation-list">
                                {list.into_iter().map(|i| view! { <ModerationRow i moderate/> }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        }.into_any())/>
    }
}

fn state_label(s: CommentState, locale: Locale) -> &'static str {
    let t = locale.texts();
    match s {
        CommentState::Pending => t.moderation_state_pending,
        CommentState::Accepted => t.moderation_state_accepted,
        CommentState::Edited => t.moderation_state_edited,
        CommentState::Held => t.moderation_state_held,
    }
}

#[component]
fn ModerationRow(i: ModerationItem, moderate: ServerAction<ModerateComment>) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let aid = i.assignment_id;
    let text_id = format!("m-text-{aid}");
    let reason_id = format!("m-reason-{aid}");
    let edited = if i.edited.is_empty() { i.original.clone() } else { i.edited.clone() };
    view! {
        <li id=format!("c-{aid}") class="moderation-item" data-testid="moderation-item">
            <p class="small muted">
                {category_name(i.category, locale)}" · "
                <a href=format!("/nominations/{}/feedback", i.nomination_id.0)>{i.title.clone()}</a>
                " · "<strong data-testid="moderation-state">{state_label(i.state, locale)}</strong>
            </p>
            <blockquote class="prewrap">{i.original.clone()}</blockquote>
            {(!i.flagged.is_empty()).then(|| view! {
                <p class="notice warn small">{t.moderation_flagged}" "{i.flagged.join("、")}</p>
            })}
            {(!i.reason.is_empty()).then(|| view! { <p class="small">{t.moderation_reason_recorded}" "{i.reason.clone()}</p> })}
            <ActionForm action=moderate attr:class="moderation-form">
                <input type="hidden" name="assignment_id" value=aid/>
                <div class="field">
                    <label for=text_id.clone()>{t.moderation_text}</label>
                    <textarea id=text_id name="text" rows="3" maxlength="2000">{crate::components::forms::rcdata(edited)}</textarea>
                </div>
                <div class="field">
                    <label for=reason_id.clone()>{t.moderation_reason}</label>
                    <input id=reason_id type="text" name="reason" maxlength="500" value=i.reason.clone()/>
                </div>
                <div class="actions">
                    <button type="submit" name="decision" value="accept">{t.moderation_accept}</button>
                    <button type="submit" name="decision" value="edit" class="secondary">{t.moderation_edit}</button>
                    <button type="submit" name="decision" value="hold" class="secondary">{t.moderation_hold}</button>
                </div>
            </ActionForm>
        </li>
    }
}

fn fmt2(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "—".into())
}

fn signed(v: Option<f64>) -> String {
    v.map(|x| format!("{x:+.2}")).unwrap_or_else(|| "—".into())
}

/// Organisers: how each reviewer scored against the panel, how often normalisation moved
/// their entries, and where reviewers disagreed most — for briefing the next edition's panel.
#[component]
pub fn CalibrationPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let id = edition_id_param();
    let query = leptos_router::hooks::use_query_map();
    let round = move || query.read().get("round").and_then(|r| r.parse::<i32>().ok());
    let data = Resource::new(move || (id(), round()), |(id, round)| crate::api::feedback::get_calibration(id, round));
    view! {
        <Title text=t.calibration_title/>
        <Guard allowed=crate::domain::account::Role::can_organise children=Callback::new(move |_| view! {
            <EditionTabs active="calibration"/>
            <h1>{t.calibration_title}</h1>
            <p>{t.calibration_lead}</p>
            <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => {
                            let csv = format!("/organise/editions/{}/scores.csv?kind=calibration&round={}", id(), v.round);
                            view! {
                                {(v.rounds.len() > 1).then(|| view! {
                                    <nav class="small" aria-label=t.calibration_rounds>
                                        {v.rounds.iter().map(|r| view! {
                                            <a href=format!("?round={r}") aria-current=(*r == v.round).then_some("page")>{format!("{} {r}", t.calibration_round)}</a>" "
                                        }).collect_view()}
                                    </nav>
                                })}
                                <p data-testid="panel">{t.calibration_panel}" "{fmt2(v.panel_mean)}" / "{t.col_spread}" "{fmt2(v.panel_spread)}</p>
                                <h2>{t.reviewer_stats}</h2>
                                <div class="table-wrap"><table data-testid="calibration-reviewers">
                                    <thead><tr>
                                        <th scope="col">{t.calibration_reviewer}</th>
                                        <th scope="col" class="num">{t.col_count}</th>
                                        <th scope="col" class="num">{t.col_mean}</th>
                                        <th scope="col" class="num">{t.calibration_offset}</th>
                                        <th scope="col" class="num">{t.col_spread}</th>
                                        <th scope="col" class="num">{t.calibration_spread_ratio}</th>
                                        <th scope="col" class="num">{t.calibration_moved}</th>
                                    </tr></thead>
                                    <tbody>{v.reviewers.into_iter().map(|r| view! {
                                        <tr>
                                            <th scope="row">{r.name}{(!r.c.normalised).then(|| view! { <span class="small muted">" "{t.calibration_not_normalised}</span> })}</th>
                                            <td class="num">{r.c.sheets}</td>
                                            <td class="num">{fmt2(r.c.mean)}</td>
                                            <td class="num">{signed(r.c.offset)}</td>
                                            <td class="num">{fmt2(r.c.spread)}</td>
                                            <td class="num">{r.c.spread_ratio.map(|x| format!("{x:.2}")).unwrap_or_else(|| "—".into())}</td>
                                            <td class="num">{format!("{} / {}", r.c.entries_moved, r.c.entries_ranked)}</td>
                                        </tr>
                                    }).collect_view()}</tbody>
                                </table></div>
                                <p class="small muted">{t.calibration_help}</p>
                                <h2>{t.calibration_disagreements}</h2>
                                {if v.disagreements.is_empty() {
                                    view! { <p class="muted">{t.calibration_no_disagreements}</p> }.into_any()
                                } else {
                                    view! {
                                        <div class="table-wrap"><table data-testid="calibration-disagreements">
                                            <thead><tr>
                                                <th scope="col">{t.my_col_title}</th>
                                                <th scope="col">{t.my_col_category}</th>
                                                <th scope="col" class="num">{t.col_spread}</th>
                                                <th scope="col" class="num">{t.calibration_low_high}</th>
                                            </tr></thead>
                                            <tbody>{v.disagreements.into_iter().map(|d| view! {
                                                <tr>
                                                    <td><a href=format!("/nominations/{}", d.nomination_id.0)>{d.title}</a></td>
                                                    <td>{category_name(d.category, locale)}</td>
                                                    <td class="num">{format!("{:.2}", d.d.spread)}</td>
                                                    <td class="num">{format!("{:.2} – {:.2} ({})", d.d.low, d.d.high, d.d.reviews)}</td>
                                                </tr>
                                            }).collect_view()}</tbody>
                                        </table></div>
                                    }.into_any()
                                }}
                                <p><a href=csv rel="external" download="">{t.calibration_export}</a></p>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        }.into_any())/>
    }
}
