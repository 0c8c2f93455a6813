//! Organiser pages for review: panels and conflicts, assignment, the rubric, the ranking with
//! decisions and exports, and the audit log. Tabs join them with the edition's settings.
use crate::components::status::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::organise::{
    get_assignment_board, get_audit, get_panels, get_ranking, list_rubrics, AddAssignment, AddCriterion, AutoAssign,
    CreateCategoryRubric, DecideOutcome, InviteReviewer, OpenNextRound, PublishResults, RecordConflict,
    RemoveAssignment, RemoveCriterion, RemovePanelMember, SetReviewerCap, SetShortlist,
};
use crate::components::enhance::InPlace;
use crate::components::forms::{action_error, ErrorSummary};
use crate::components::guard::Guard;
use crate::domain::account::Role;
use crate::domain::time::format_tokyo;
use crate::i18n::{outcome_label, ranking_shown, sheet_status_label, stage_label, use_locale, use_texts};
use crate::pages::organise::edition_id_param;
use crate::wire::{AssignmentBoard, RankingView};

/// The edition's tabs.
#[component]
pub fn EditionTabs(active: &'static str) -> impl IntoView {
    let t = use_texts();
    let id = edition_id_param();
    let tabs: [(&str, &str, &str); 9] = [
        ("settings", "", t.tab_settings),
        ("nominations", "/nominations", t.tab_nominations),
        ("reviewers", "/reviewers", t.tab_reviewers),
        ("assignments", "/assignments", t.tab_assignments),
        ("rubric", "/rubric", t.tab_rubric),
        ("ranking", "/ranking", t.tab_ranking),
        ("calibration", "/calibration", t.tab_calibration),
        ("feedback", "/feedback", t.tab_feedback),
        ("audit", "/audit", t.tab_audit),
    ];
    view! {
        <nav class="tabs" aria-label=t.organise_title>
            <ul>
                {tabs.into_iter().map(|(key, suffix, label)| view! {
                    <li><a href=format!("/organise/editions/{}{suffix}", id()) aria-current=(key == active).then_some("page")>{label}</a></li>
                }).collect_view()}
            </ul>
        </nav>
    }
}

fn fmt2(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "—".into())
}

#[component]
pub fn ReviewersPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let id = edition_id_param();
    let invite = ServerAction::<InviteReviewer>::new();
    let cap = ServerAction::<SetReviewerCap>::new();
    let remove = ServerAction::<RemovePanelMember>::new();
    let conflict = ServerAction::<RecordConflict>::new();
    let data = Resource::new(
        move || (id(), invite.version().get(), cap.version().get(), remove.version().get(), conflict.version().get()),
        |(id, ..)| get_panels(id),
    );
    let invite_error = action_error(invite);
    let conflict_error = action_error(conflict);
    let other_error = Signal::derive(move || {
        cap.value().get().and_then(|r| r.err()).or_else(|| remove.value().get().and_then(|r| r.err()))
    });
    let query = use_query_map();
    view! {
        <Title text=t.reviewers_title/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(p) => {
                            let eid = p.edition.id.0;
                            view! {
                                <p class="muted small"><a href="/organise">{t.organise_title}</a>" · "{p.edition.name(locale).to_string()}</p>
                                <EditionTabs active="reviewers"/>
                                <h1>{t.reviewers_title}</h1>
                                {(query.read_untracked().get("invited").is_some() || matches!(invite.value().get(), Some(Ok(())))).then(|| view! { <p class="notice success" role="status">{t.invite_sent}</p> })}
                                <ErrorSummary error=other_error/>
                                {p.panels.clone().into_iter().map(|(cat, members)| view! {
                                    <section class="card">
                                        <h2>{cat.name(locale).to_string()}</h2>
                                        {if members.is_empty() {
                                            view! { <p class="muted">{t.panel_empty}</p> }.into_any()
                                        } else {
                                            view! {
                                                <div class="table-wrap"><table>
                                                    <thead><tr><th scope="col">{t.admin_col_name}</th><th scope="col">{t.admin_col_email}</th><th scope="col">{t.col_load}</th><th scope="col">{t.col_cap}</th><th scope="col"><span class="visually-hidden">{t.remove}</span></th></tr></thead>
                                                    <tbody>
                                                        {members.clone().into_iter().map(|m| {
                                                            let cid = cat.id.0;
                                                            let label = format!("{} {}", t.col_cap, m.name);
                                                            view! {
                                                                <tr>
                                                                    <td>{m.name.clone()}</td>
                                                                    <td>{m.email.clone()}</td>
                                                                    <td class="num">{m.load}</td>
                                                                    <td>
                                                                        <ActionForm action=cap attr:class="inline-form">
                                                                            <input type="hidden" name="edition_id" value=eid/>
                                                                            <input type="hidden" name="user_id" value=m.user_id/>
                                                                            <input name="cap" class="short" inputmode="numeric" value=m.cap.map(|c| c.to_string()).unwrap_or_default() aria-label=label/>
                                                                            <button type="submit" class="small secondary">{t.set_cap}</button>
                                                                        </ActionForm>
                                                                    </td>
                                                                    <td>
                                                                        <ActionForm action=remove attr:class="inline-form">
                                                                            <input type="hidden" name="edition_id" value=eid/>
                                                                            <input type="hidden" name="category_id" value=cid/>
                                                                            <input type="hidden" name="user_id" value=m.user_id/>
                                                                            <button type="submit" class="small secondary">{t.remove}</button>
                                                                        </ActionForm>
                                                                    </td>
                                                                </tr>
                                                            }
                                                        }).collect_view()}
                                                    </tbody>
                                                </table></div>
                                            }.into_any()
                                        }}
                                    </section>
                                }).collect_view()}

                                <section class="card">
                                    <h2>{t.invite_title}</h2>
                                    <p class="help">{t.invite_help}</p>
                                    <ErrorSummary error=invite_error/>
                                    <ActionForm action=invite>
                                        <input type="hidden" name="edition_id" value=eid/>
                                        <div class="field">
                                            <label for="invite-email">{t.field_email}</label>
                                            <input type="email" id="invite-email" name="email" required=true/>
                                        </div>
                                        <fieldset>
                                            <legend>{t.invite_categories}</legend>
                                            {p.panels.clone().into_iter().map(|(cat, _)| {
                                                let cid = format!("inv-cat-{}", cat.id.0);
                                                let for_id = cid.clone();
                                                view! {
                                                    <label class="choice" for=for_id>
                                                        <input type="checkbox" id=cid name=format!("categories[{}]", cat.id.0) value="on"/>
                                                        <span>{cat.name(locale).to_string()}</span>
                                                    </label>
                                                }
                                            }).collect_view()}
                                        </fieldset>
                                        <button type="submit" class="primary">{t.invite_send}</button>
                                    </ActionForm>
                                    {(!p.pending_invitations.is_empty()).then(|| view! {
                                        <h3>{t.pending_invitations}</h3>
                                        <ul>{p.pending_invitations.clone().into_iter().map(|(e, until)| view! { <li>{e}" ("{format_tokyo(until)}")"</li> }).collect_view()}</ul>
                                    })}
                                </section>

                                <section class="card" id="conflicts">
                                    <h2>{t.conflicts_title}</h2>
                                    <p class="help">{t.conflicts_help}</p>
                                    {if p.conflicts.is_empty() {
                                        view! { <p class="muted">{t.conflict_none}</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul>{p.conflicts.clone().into_iter().map(|c| view! { <li>{c.reviewer.clone()}" — "{c.title.clone()}" ("{c.source.clone()}{(!c.reason.is_empty()).then(|| format!(": {}", c.reason))}")"</li> }).collect_view()}</ul>
                                        }.into_any()
                                    }}
                                    <ErrorSummary error=conflict_error/>
                                    {(!p.reviewers.is_empty() && !p.nominations.is_empty()).then(|| view! {
                                        <ActionForm action=conflict>
                                            <input type="hidden" name="edition_id" value=eid/>
                                            <div class="field">
                                                <label for="c-rev">{t.tab_reviewers}</label>
                                                <select id="c-rev" name="reviewer_id">{p.reviewers.clone().into_iter().map(|(id, n)| view! { <option value=id>{n}</option> }).collect_view()}</select>
                                            </div>
                                            <div class="field">
                                                <label for="c-nom">{t.tab_nominations}</label>
                                                <select id="c-nom" name="nomination_id">{p.nominations.clone().into_iter().map(|(id, n)| view! { <option value=id.0>{n}</option> }).collect_view()}</select>
                                            </div>
                                            <div class="field">
                                                <label for="c-reason">{t.conflict_reason}</label>
                                                <input id="c-reason" name="reason"/>
                                            </div>
                                            <button type="submit" class="secondary">{t.conflict_record}</button>
                                        </ActionForm>
                                    })}
                                </section>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        }.into_any())/>
    }
}

#[component]
pub fn AssignmentsPage() -> impl IntoView {
    let t = use_texts();
    let id = edition_id_param();
    let query = use_query_map();
    let data = Resource::new(id, get_assignment_board);
    view! {
        <Title text=t.assignments_title/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <Suspense fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(b) => view! { <InPlace><AssignmentBoardView assigned=query.read_untracked().get("assigned").is_some() b/></InPlace> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        }.into_any())/>
    }
}

/// The board, rendered on the server; inside the `InPlace` island adding, removing and the
/// automatic share are sent in the background and the board is replaced in place.
#[component]
fn AssignmentBoardView(assigned: bool, b: AssignmentBoard) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let auto = ServerAction::<AutoAssign>::new();
    let add = ServerAction::<AddAssignment>::new();
    let remove = ServerAction::<RemoveAssignment>::new();
    let error = Signal::derive(move || {
        auto.value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| add.value().get().and_then(|r| r.err()))
            .or_else(|| remove.value().get().and_then(|r| r.err()))
    });
    let eid = b.edition.id.0;
    view! {
        <p class="muted small"><a href="/organise">{t.organise_title}</a>" · "{b.edition.name(locale).to_string()}</p>
        <EditionTabs active="assignments"/>
        <h1>{t.assignments_title}" — "{stage_label(b.edition.stage, b.round, locale)}</h1>
        <p class="help">{t.assignments_help}</p>
        {assigned.then(|| view! { <p class="notice success" role="status">{t.assigned_notice}</p> })}
        <ErrorSummary error=error/>
        <ActionForm action=auto>
            <input type="hidden" name="edition_id" value=eid/>
            <button type="submit" class="primary">{t.auto_assign}" ("{b.k}")"</button>
        </ActionForm>
        {if b.rows.is_empty() {
            view! { <p class="notice">{t.no_entrants}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap"><table class="assignments">
                    <thead><tr><th scope="col">{t.my_col_title}</th><th scope="col">{t.tab_reviewers}</th><th scope="col">{t.add_reviewer}</th></tr></thead>
                    <tbody>
                        {b.rows.into_iter().map(|r| view! {
                            <tr class:gap={r.gap > 0}>
                                <td>
                                    <a href=format!("/nominations/{}", r.nomination_id.0)>{r.title.clone()}</a>
                                    {(r.gap > 0).then(|| view! { <span class="badge warn">{t.gap_label}" "{r.gap}</span> })}
                                    {(!r.returned.is_empty()).then(|| view! {
                                        <ul class="plain small muted" data-testid="returned">
                                            {r.returned.clone().into_iter().map(|(name, note)| view! {
                                                <li>{t.board_returned_by}" "{name}{(!note.is_empty()).then(|| format!("（{note}）"))}</li>
                                            }).collect_view()}
                                        </ul>
                                    })}
                                </td>
                                <td>
                                    <ul class="plain">
                                        {r.reviewers.clone().into_iter().map(|(aid, name, status)| view! {
                                            <li>
                                                {name}" · "<span class="muted small">{sheet_status_label(status, locale)}</span>
                                                {r.paused.contains(&aid).then(|| view! { " "<span class="badge" data-testid="paused">{t.board_paused}</span> })}
                                                <ActionForm action=remove attr:class="inline-form">
                                                    <input type="hidden" name="edition_id" value=eid/>
                                                    <input type="hidden" name="assignment_id" value=aid/>
                                                    <button type="submit" class="small secondary">{t.remove}</button>
                                                </ActionForm>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </td>
                                <td>
                                    {(!r.available.is_empty()).then(|| {
                                        let label = format!("{} {}", t.add_reviewer, r.title);
                                        view! {
                                            <ActionForm action=add attr:class="inline-form">
                                                <input type="hidden" name="edition_id" value=eid/>
                                                <input type="hidden" name="nomination_id" value=r.nomination_id.0/>
                                                <select name="reviewer_id" aria-label=label>{r.available.iter().map(|(id, n)| view! { <option value=*id>{n.clone()}</option> }).collect_view()}</select>
                                                <button type="submit" class="small secondary">{t.add_reviewer}</button>
                                            </ActionForm>
                                        }
                                    })}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
        {(!b.waiting_for_consent.is_empty()).then(|| view! {
            <section class="card" data-testid="waiting-for-consent">
                <h2>{t.board_waiting_title}</h2>
                <p class="help">{t.board_waiting_lead}</p>
                <ul>{b.waiting_for_consent.iter().map(|(id, title)| view! { <li><a href=format!("/nominations/{}#consent", id.0)>{title.clone()}</a></li> }).collect_view()}</ul>
            </section>
        })}
        <h2>{t.loads_title}</h2>
        <ul class="plain">{b.loads.iter().map(|(n, l, cap)| view! { <li>{n.clone()}": "<strong>{*l}</strong>{cap.map(|c| format!(" / {c}"))}</li> }).collect_view()}</ul>
    }
}

#[component]
pub fn RubricPage() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let id = edition_id_param();
    let add = ServerAction::<AddCriterion>::new();
    let remove = ServerAction::<RemoveCriterion>::new();
    let own = ServerAction::<CreateCategoryRubric>::new();
    let data = Resource::new(
        move || (id(), add.version().get(), remove.version().get(), own.version().get()),
        |(id, ..)| list_rubrics(id),
    );
    let categories = Resource::new(id, crate::api::organise::get_edition_categories);
    let add_error = action_error(add);
    let other_error = Signal::derive(move || {
        remove.value().get().and_then(|r| r.err()).or_else(|| own.value().get().and_then(|r| r.err()))
    });
    view! {
        <Title text=t.rubric_title/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <EditionTabs active="rubric"/>
            <h1>{t.rubric_title}</h1>
            <ErrorSummary error=other_error/>
            <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    let cats = categories.await.map(|(_, c)| c).unwrap_or_default();
                    match data.await {
                        Ok(rubrics) => rubrics.into_iter().map(|r| {
                            let cats = cats.clone();
                            let eid = id();
                            let rid = r.id;
                            let scope = match r.category {
                                None => t.rubric_common.to_string(),
                                Some(k) => cats.iter().find(|c| c.key == k).map(|c| c.name(locale).to_string()).unwrap_or_default(),
                            };
                            view! {
                                <section class="card rubric">
                                    <h2>{scope}" — "{t.round_label}" "{r.round}<span class="muted small">{format!(" ({}–{})", r.scale_min, r.scale_max)}</span></h2>
                                    {r.locked.then(|| view! { <p class="notice warn">{t.rubric_locked}</p> })}
                                    <ol>
                                        {r.criteria.clone().into_iter().map(|k| view! {
                                            <li>
                                                <strong>{k.name(locale).to_string()}</strong><span class="muted small">{format!(" ×{}", k.weight)}</span>
                                                <p class="help">{k.description(locale).to_string()}</p>
                                                {(!r.locked).then(|| view! {
                                                    <ActionForm action=remove attr:class="inline-form">
                                                        <input type="hidden" name="edition_id" value=eid/>
                                                        <input type="hidden" name="rubric_id" value=rid/>
                                                        <input type="hidden" name="criterion_id" value=k.id/>
                                                        <button type="submit" class="small secondary">{t.view_delete}</button>
                                                    </ActionForm>
                                                })}
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                    {(!r.locked).then(|| view! {
                                        <details>
                                            <summary>{t.rubric_add}</summary>
                                            <ErrorSummary error=add_error/>
                                            <ActionForm action=add>
                                                <input type="hidden" name="edition_id" value=eid/>
                                                <input type="hidden" name="rubric_id" value=rid/>
                                                <div class="field"><label for=format!("cn-{rid}")>{t.f_criterion_name_ja}</label><input id=format!("cn-{rid}") name="input[name_ja]" required=true/></div>
                                                <div class="field"><label for=format!("ce-{rid}")>{t.f_criterion_name_en}</label><input id=format!("ce-{rid}") name="input[name_en]"/></div>
                                                <div class="field"><label for=format!("dj-{rid}")>{t.f_criterion_desc_ja}</label><input id=format!("dj-{rid}") name="input[description_ja]"/></div>
                                                <div class="field"><label for=format!("de-{rid}")>{t.f_criterion_desc_en}</label><input id=format!("de-{rid}") name="input[description_en]"/></div>
                                                <div class="field"><label for=format!("w-{rid}")>{t.f_weight}</label><input id=format!("w-{rid}") name="input[weight]" value="1" inputmode="decimal" class="short"/></div>
                                                <div class="field"><label for=format!("a-{rid}")>{t.f_anchors}</label><textarea id=format!("a-{rid}") name="input[anchors]" rows="5"></textarea></div>
                                                <label class="choice" for=format!("cr-{rid}")><input type="checkbox" id=format!("cr-{rid}") name="input[comment_required]" value="on"/><span>{t.f_comment_required}</span></label>
                                                <button type="submit" class="secondary">{t.rubric_add}</button>
                                            </ActionForm>
                                        </details>
                                    })}
                                    {(r.category.is_none()).then(|| view! {
                                        <details>
                                            <summary>{t.rubric_own}</summary>
                                            <ActionForm action=own attr:class="inline-form">
                                                <input type="hidden" name="edition_id" value=eid/>
                                                <input type="hidden" name="round" value=r.round/>
                                                <select name="category_id" aria-label=t.f_category>{cats.iter().map(|c| view! { <option value=c.id.0>{c.name(locale).to_string()}</option> }).collect_view()}</select>
                                                <button type="submit" class="small secondary">{t.create}</button>
                                            </ActionForm>
                                        </details>
                                    })}
                                </section>
                            }
                        }).collect_view().into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        }.into_any())/>
    }
}

#[component]
pub fn RankingPage() -> impl IntoView {
    let t = use_texts();
    let id = edition_id_param();
    let query = use_query_map();
    let round = move || query.read().get("round").and_then(|r| r.parse::<i32>().ok());
    let category = move || query.read().get("category").filter(|c| !c.is_empty());
    let data =
        Resource::new(move || (id(), round(), category()), |(id, round, category)| get_ranking(id, round, category));
    view! {
        <Title text=t.ranking_title/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <Suspense fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => view! {
                            <InPlace><RankingBoard published=query.read_untracked().get("published").is_some() v/></InPlace>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        }.into_any())/>
    }
}

/// The ranking, rendered on the server; inside the `InPlace` island shortlisting and each
/// decision are sent in the background and shown in place.
#[component]
fn RankingBoard(published: bool, v: RankingView) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let shortlist = ServerAction::<SetShortlist>::new();
    let decide = ServerAction::<DecideOutcome>::new();
    let next_round = ServerAction::<OpenNextRound>::new();
    let publish = ServerAction::<PublishResults>::new();
    let error = Signal::derive(move || {
        shortlist
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| decide.value().get().and_then(|r| r.err()))
            .or_else(|| next_round.value().get().and_then(|r| r.err()))
            .or_else(|| publish.value().get().and_then(|r| r.err()))
    });
    let eid = v.edition.id.0;
    let round = v.round;
    let can_decide = v.can_decide;
    let focus = v.focus;
    view! {
        <p class="muted small"><a href="/organise">{t.organise_title}</a>" · "{v.edition.name(locale).to_string()}" · "{stage_label(v.edition.stage, v.edition.round, locale)}</p>
        <EditionTabs active="ranking"/>
        <h1>{t.ranking_title}</h1>
        <p class="help">{t.ranking_help}</p>
        {published.then(|| view! { <p class="notice success" role="status">{t.published_notice}</p> })}
        <ErrorSummary error=error/>
        <nav class="rounds" aria-label=t.round_label>
            {v.rounds.iter().map(|r| view! { <a href=format!("?round={r}") aria-current=(*r == round).then_some("page")>{t.round_label}" "{*r}</a>" " }).collect_view()}
        </nav>
        <p class="actions">
            <a class="button secondary small" href=format!("/organise/editions/{eid}/scores.csv?round={round}")>{t.export_scores_csv}</a>
            <a class="button secondary small" href=format!("/organise/editions/{eid}/scores.xlsx?round={round}")>{t.export_scores_xlsx}</a>
            <a class="button secondary small" href=format!("/organise/editions/{eid}/scores.csv?round={round}&kind=reviewers")>{t.export_reviewers_csv}</a>
        </p>
        {v.focus.is_some().then(|| view! { <p><a href=format!("?round={round}")>"← "{t.ranking_overview_link}</a></p> })}
        {v.categories.iter().map(|cat| {
            let rows: Vec<_> = v.rows.iter().filter(|r| r.category == cat.key).cloned().collect();
            let outcomes = v.outcomes.clone();
            let partial = v.totals.iter().find(|x| x.category == cat.key).filter(|x| x.shown < x.total).map(|x| {
                let (note, link) = ranking_shown(x.shown, x.total, locale);
                view! { <p class="muted small">{note}" "<a href=format!("?round={round}&category={}", cat.key.key())>{link}</a></p> }
            });
            view! {
                <section>
                    <h2>{cat.name(locale).to_string()}</h2>
                    {partial}
                    <div class="table-wrap"><table class="ranking">
                        <thead><tr>
                            <th scope="col">{t.col_rank}</th>
                            <th scope="col">{t.my_col_title}</th>
                            <th scope="col" class="num">{t.col_raw}</th>
                            <th scope="col" class="num">{t.col_normalised}</th>
                            <th scope="col" class="num">{t.col_reviews}</th>
                            <th scope="col" class="num">{t.col_spread}</th>
                            <th scope="col">{t.col_flags}</th>
                            <th scope="col">{t.col_shortlist}</th>
                            <th scope="col">{t.col_outcome}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| {
                                let nid = r.nomination_id.0;
                                let outcomes = outcomes.clone();
                                let label = format!("{} {}", t.col_outcome, r.title);
                                view! {
                                    <tr data-testid=format!("rank-{nid}")>
                                        <td class="num">{r.rank.map(|x| x.to_string()).unwrap_or_else(|| "—".into())}</td>
                                        <td><a href=format!("/nominations/{nid}")>{r.title.clone()}</a></td>
                                        <td class="num" data-testid="raw">{fmt2(r.raw_mean)}</td>
                                        <td class="num" data-testid="normalised">{fmt2(r.normalised_mean)}</td>
                                        <td class="num">{format!("{}/{}", r.reviews, r.assigned)}</td>
                                        <td class="num">{fmt2(r.spread)}</td>
                                        <td>
                                            {r.disagreement.then(|| view! { <span class="badge warn" title=t.flag_disagreement>{t.flag_disagreement}</span> })}
                                            {r.incomplete.then(|| view! { <span class="badge" title=t.flag_incomplete>{t.flag_incomplete}</span> })}
                                            {r.any_raw_used.then(|| view! { <span class="badge" title=t.flag_raw>{t.flag_raw}</span> })}
                                        </td>
                                        <td>
                                            <ActionForm action=shortlist attr:class="inline-form">
                                                <input type="hidden" name="edition_id" value=eid/>
                                                <input type="hidden" name="nomination_id" value=nid/>
                                                {focus.map(|f| view! { <input type="hidden" name="category" value=f.key()/> })}
                                                {(!r.shortlisted).then(|| view! { <input type="hidden" name="shortlisted" value="on"/> })}
                                                <button type="submit" class="small secondary" disabled=!can_decide aria-pressed=if r.shortlisted { "true" } else { "false" }>{if r.shortlisted { "★" } else { "☆" }}</button>
                                            </ActionForm>
                                        </td>
                                        <td>
                                            <ActionForm action=decide attr:class="inline-form">
                                                <input type="hidden" name="edition_id" value=eid/>
                                                <input type="hidden" name="nomination_id" value=nid/>
                                                {focus.map(|f| view! { <input type="hidden" name="category" value=f.key()/> })}
                                                <select name="outcome" aria-label=label disabled=!can_decide>
                                                    {outcomes.iter().map(|o| view! { <option value=o.key() selected=*o == r.outcome>{outcome_label(*o, locale)}</option> }).collect_view()}
                                                </select>
                                                <button type="submit" class="small secondary" disabled=!can_decide>{t.save}</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                </section>
            }
        }).collect_view()}
        <h2>{t.reviewer_stats}</h2>
        <div class="table-wrap"><table>
            <thead><tr><th scope="col">{t.admin_col_name}</th><th scope="col" class="num">{t.col_count}</th><th scope="col" class="num">{t.col_mean}</th><th scope="col" class="num">{t.col_spread}</th><th scope="col">{t.col_normalised}</th></tr></thead>
            <tbody>{v.reviewers.iter().map(|s| view! { <tr><td>{s.name.clone()}</td><td class="num">{s.count}</td><td class="num">{fmt2(s.mean)}</td><td class="num">{fmt2(s.spread)}</td><td>{if s.normalised { "✓" } else { "—" }}</td></tr> }).collect_view()}</tbody>
        </table></div>
        {can_decide.then(|| view! {
            <section class="decision-actions">
                <ActionForm action=next_round attr:class="inline-form">
                    <input type="hidden" name="edition_id" value=eid/>
                    <button type="submit" class="secondary">{t.open_round}</button>
                </ActionForm>
                {v.can_publish.then(|| view! {
                    <ActionForm action=publish attr:class="inline-form">
                        <input type="hidden" name="edition_id" value=eid/>
                        <button type="submit" class="primary">{t.publish_results}</button>
                    </ActionForm>
                })}
            </section>
        })}
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let t = use_texts();
    let id = edition_id_param();
    let query = use_query_map();
    let action = move || query.read().get("action").unwrap_or_default();
    let entries = Resource::new(move || (id(), action()), |(id, a)| get_audit(id, a, None));
    view! {
        <Title text=t.audit_title/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <EditionTabs active="audit"/>
            <h1>{t.audit_title}</h1>
            <form method="get" class="filters">
                <div class="field">
                    <label for="audit-action">{t.audit_filter_action}</label>
                    <select id="audit-action" name="action">
                        {[("", t.filter_any), ("stage.", "stage."), ("screening.", "screening."), ("assignment.", "assignment."), ("review.", "review."), ("decision.", "decision."), ("consent.", "consent."), ("panel.", "panel."), ("conflict.", "conflict."), ("rubric.", "rubric."), ("nomination.", "nomination."), ("edition.", "edition.")]
                            .into_iter().map(|(v, l)| view! { <option value=v selected=action() == v>{l}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="secondary">{t.filter}</button>
            </form>
            <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(list) => view! {
                            <div class="table-wrap"><table>
                                <thead><tr><th scope="col">{t.col_at}</th><th scope="col">{t.col_actor}</th><th scope="col">{t.col_action}</th><th scope="col">"ID"</th><th scope="col">{t.col_detail}</th></tr></thead>
                                <tbody>{list.into_iter().map(|a| view! {
                                    <tr><td>{format_tokyo(a.at)}</td><td>{a.actor}</td><td><code>{a.action}</code></td><td class="num">{a.nomination_id.map(|n| n.to_string()).unwrap_or_default()}</td><td class="small"><code>{a.detail}</code></td></tr>
                                }).collect_view()}</tbody>
                            </table></div>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        }.into_any())/>
    }
}
