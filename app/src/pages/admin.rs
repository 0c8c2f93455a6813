//! Administration: every account and its role.
use crate::components::status::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::{list_accounts, ChangeRole};
use crate::components::{forms::ErrorSummary, guard::Guard};
use crate::domain::{account::Role, time::format_tokyo};
use crate::i18n::{role_label, use_locale, use_texts};

#[component]
pub fn AdminPage() -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text=t.admin_title/>
        <Guard allowed=Role::can_administer children=Callback::new(move |_| view! { <AccountsTable/> }.into_any())/>
    }
}

#[component]
fn AccountsTable() -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let change = ServerAction::<ChangeRole>::new();
    let accounts = Resource::new(move || change.version().get(), |_| list_accounts());
    let error = Signal::derive(move || change.value().get().and_then(|r| r.err()));
    view! {
        <section>
            <h1>{t.admin_title}</h1>
            <p>{t.admin_lead}</p>
            <ErrorSummary error=error/>
            <Transition fallback=move || view! { <p class="muted">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match accounts.await {
                        Ok(rows) => view! {
                            <div class="table-wrap">
                            <table>
                                <thead><tr>
                                    <th scope="col">{t.admin_col_name}</th>
                                    <th scope="col">{t.admin_col_email}</th>
                                    <th scope="col">{t.admin_col_created}</th>
                                    <th scope="col">{t.admin_col_role}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|a| {
                                        let label = format!("{} {}", t.admin_col_role, a.display_name);
                                        view! {
                                            <tr>
                                                <td>{a.display_name.clone()}</td>
                                                <td>{a.email.clone()}</td>
                                                <td>{format_tokyo(a.created_at)}</td>
                                                <td>
                                                    <ActionForm action=change attr:class="inline-form">
                                                        <input type="hidden" name="user_id" value=a.id.0/>
                                                        <select name="role" aria-label=label>
                                                            {Role::ALL.into_iter().map(|r| view! {
                                                                <option value=r.key() selected=r == a.role>{role_label(r, locale)}</option>
                                                            }).collect_view()}
                                                        </select>
                                                        <button type="submit" class="small">{t.admin_change_role}</button>
                                                    </ActionForm>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
