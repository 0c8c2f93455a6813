//! Organisers' forum tools: events and their settings, the programme, registrations with
//! counts, CSV and a check-in list, mails (online link, notices), and questions sent in
//! advance with the moderator's view.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::forum::{
    get_event_admin, list_event_questions, list_organiser_events, list_registrations, AddEventSession, CheckIn,
    CreateEvent, ModerateQuestion, RemoveEventSession, SendEventNotice, SendOnlineLink, UpdateEvent,
};
use crate::api::organise::list_editions;
use crate::components::forms::{action_error, rcdata, ErrorSummary};
use crate::components::guard::Guard;
use crate::components::status::ErrorNotice;
use crate::domain::account::Role;
use crate::domain::forum::{QuestionStatus, RegStatus, SessionKind};
use crate::error::AppError;
use crate::i18n::{question_status_label, reg_status_label, session_kind_label, use_locale, Locale};
use crate::pages::events::{clock, day, tr};
use crate::wire::forum::{EventInput, RegistrationCounts};

fn id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0)
}

#[component]
fn Counts(c: RegistrationCounts) -> impl IntoView {
    let locale = use_locale();
    let t = tr(locale);
    view! {
        <dl class="counts" data-testid="counts">
            <div><dt>{t("会場", "Venue")}</dt><dd>{c.venue}</dd></div>
            <div><dt>{t("オンライン", "Online")}</dt><dd>{c.online}</dd></div>
            <div><dt>{t("キャンセル待ち", "Waiting")}</dt><dd>{c.waiting}</dd></div>
            <div><dt>{t("キャンセル", "Cancelled")}</dt><dd>{c.cancelled}</dd></div>
            <div><dt>{t("受付済(出席)", "Checked in")}</dt><dd>{c.checked_in}</dd></div>
        </dl>
    }
}

#[component]
fn EventTabs(id: i64) -> impl IntoView {
    let locale = use_locale();
    let t = tr(locale);
    view! {
        <nav class="tabs" aria-label=t("催しの管理", "Event tools")>
            <a href=format!("/organise/events/{id}")>{t("設定・プログラム", "Settings and programme")}</a>
            <a href=format!("/organise/events/{id}/registrations")>{t("申込者", "Registrations")}</a>
            <a href=format!("/organise/events/{id}/questions")>{t("質問", "Questions")}</a>
            <a href=format!("/organise/events/{id}/moderator")>{t("司会用の表示", "Moderator view")}</a>
        </nav>
    }
}

/// A text input named `input[<name>]` for the event form.
#[component]
fn In(
    name: &'static str,
    label: &'static str,
    value: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let message = Signal::derive(move || error.get().and_then(|e| e.field_message(name, locale)));
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=format!("f-{name}")>{label}{required.then_some(" *")}</label>
            <input id=format!("f-{name}") name=format!("input[{name}]") type=kind value=value required=required
                aria-invalid=move || message.get().is_some().then_some("true")/>
            {move || message.get().map(|m| view! { <p class="field-error" id=format!("f-{name}-error")>{m}</p> })}
        </div>
    }
}

#[component]
fn Tick(name: &'static str, label: &'static str, checked: bool) -> impl IntoView {
    view! {
        <label class="choice" for=format!("f-{name}")>
            <input type="checkbox" id=format!("f-{name}") name=format!("input[{name}]") value="on" checked=checked/>
            <span>{label}</span>
        </label>
    }
}

/// Every field of an event.
#[component]
fn EventFields(i: EventInput, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let locale = use_locale();
    let t = tr(locale);
    view! {
        <In name="title_ja" label=t("名称(日本語)", "Title (Japanese)") value=i.title_ja required=true error/>
        <In name="title_en" label=t("名称(英語)", "Title (English)") value=i.title_en error/>
        <In name="subtitle_ja" label=t("サブタイトル・スローガン(日本語)", "Subtitle or slogan (Japanese)") value=i.subtitle_ja error/>
        <In name="subtitle_en" label=t("サブタイトル(英語)", "Subtitle (English)") value=i.subtitle_en error/>
        <In name="starts_at" label=t("開始(日本時間)", "Starts (Japan time)") kind="datetime-local" value=i.starts_at required=true error/>
        <In name="ends_at" label=t("終了(日本時間)", "Ends (Japan time)") kind="datetime-local" value=i.ends_at required=true error/>
        <In name="reception_at" label=t("受付開始", "Reception opens") kind="datetime-local" value=i.reception_at error/>
        <In name="venue_name" label=t("会場名", "Venue") value=i.venue_name error/>
        <In name="room" label=t("部屋", "Room") value=i.room error/>
        <In name="address" label=t("住所", "Address") value=i.address error/>
        <In name="map_url" label=t("地図のURL", "Map link") kind="url" value=i.map_url error/>
        <In name="audience_ja" label=t("対象", "Audience (Japanese)") value=i.audience_ja error/>
        <In name="audience_en" label=t("対象(英語)", "Audience (English)") value=i.audience_en error/>
        <In name="fee_ja" label=t("参加費", "Fee (Japanese)") value=i.fee_ja error/>
        <In name="fee_en" label=t("参加費(英語)", "Fee (English)") value=i.fee_en error/>
        <In name="contact_name" label=t("問い合わせ先", "Contact") value=i.contact_name error/>
        <In name="contact_phone" label=t("問い合わせ電話", "Contact phone") kind="tel" value=i.contact_phone error/>
        <In name="contact_email" label=t("問い合わせメール", "Contact e-mail") kind="email" value=i.contact_email error/>
        <In name="organisers" label=t("主催", "Organisers") value=i.organisers error/>
        <In name="co_organisers" label=t("共催・協力", "Co-organisers") value=i.co_organisers error/>
        <div class="field">
            <label for="f-description_md">{t("説明(Markdown)", "Description (Markdown)")}</label>
            <textarea id="f-description_md" name="input[description_md]" rows="6">{rcdata(i.description_md)}</textarea>
        </div>
        <In name="capacity" label=t("会場の定員(0 ならオンラインのみ)", "Venue seats (0: online only)") kind="number" value=i.capacity error/>
        <Tick name="waiting_list" label=t("満席のときはキャンセル待ちを受け付ける", "Take a waiting list when full") checked=i.waiting_list/>
        <Tick name="online" label=t("オンライン参加を受け付ける", "Offer online participation") checked=i.online/>
        <In name="online_only_from" label=t("この日時からはオンライン参加のみ受け付ける", "From this time, online registration only") kind="datetime-local" value=i.online_only_from error/>
        <In name="registration_opens_at" label=t("申込受付の開始", "Registration opens") kind="datetime-local" value=i.registration_opens_at error/>
        <In name="registration_closes_at" label=t("申込の締切(空欄なら開始時刻まで)", "Registration closes (empty: at the start)") kind="datetime-local" value=i.registration_closes_at error/>
        <Tick name="questions_public" label=t("催しのページから誰でも質問を送れるようにする", "Let anyone send questions from the event page") checked=i.questions_public/>
        <In name="online_link" label=t("オンライン視聴のURL(申込者にのみ送ります)", "Online viewing link (sent to registrants only)") kind="url" value=i.online_link error/>
        <In name="retention_days" label=t("申込者の個人情報を保つ日数(催しの後)", "Days registrants' data is kept after the event") kind="number" value=i.retention_days error/>
        <Tick name="published" label=t("公開する", "Published") checked=i.published/>
    }
}

#[component]
pub fn OrganiserEventsPage() -> impl IntoView {
    let locale = use_locale();
    let ja = locale == Locale::Ja;
    let t = tr(locale);
    let events = Resource::new(|| (), |_| list_organiser_events());
    let editions = Resource::new(|| (), |_| list_editions());
    let create = ServerAction::<CreateEvent>::new();
    let error = action_error(create);
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            crate::components::forms::hard_navigate(&format!("/organise/events/{id}?saved=created"));
        }
    });
    view! {
        <Title text=t("フォーラム・催しの管理", "Forum events")/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <section>
                <h1>{t("フォーラム・催しの管理", "Forum events")}</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match events.await {
                            Ok(rows) => view! {
                                <table class="data">
                                    <thead><tr><th>{t("催し", "Event")}</th><th>{t("日時", "When")}</th><th>{t("会場", "Venue")}</th><th>{t("オンライン", "Online")}</th><th>{t("待ち", "Waiting")}</th><th>{t("公開", "Public")}</th></tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| view! {
                                            <tr>
                                                <td><a href=format!("/organise/events/{}", r.id)>{r.title.get(ja).to_string()}</a></td>
                                                <td>{day(r.starts_at, locale)}</td>
                                                <td>{r.counts.venue}</td><td>{r.counts.online}</td><td>{r.counts.waiting}</td>
                                                <td>{if r.published { t("公開中", "Yes") } else { t("下書き", "Draft") }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any(),
                            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                        }
                    })}
                </Suspense>
                <details class="card">
                    <summary>{t("催しを作る", "New event")}</summary>
                    <ErrorSummary error/>
                    <ActionForm action=create attr:class="narrow">
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                let list = editions.await.unwrap_or_default();
                                view! {
                                    <div class="field">
                                        <label for="f-edition_id">{t("回(エディション)", "Edition")}</label>
                                        <select id="f-edition_id" name="edition_id">
                                            {list.into_iter().map(|e| view! { <option value=e.id.0.to_string()>{e.name(locale).to_string()}</option> }).collect_view()}
                                        </select>
                                    </div>
                                }
                            })}
                        </Suspense>
                        <div class="field">
                            <label for="f-slug">{t("アドレス(英小文字・数字・ハイフン)", "Address (lowercase letters, digits, hyphens)")}</label>
                            <input id="f-slug" name="slug" required pattern="[a-z0-9][a-z0-9-]{2,79}"/>
                        </div>
                        <EventFields i=EventInput { online: true, capacity: "50".into(), retention_days: "90".into(), ..Default::default() } error/>
                        <button type="submit" class="primary">{t("作る", "Create")}</button>
                    </ActionForm>
                </details>
            </section>
        }.into_any())/>
    }
}

#[component]
pub fn EventAdminPage() -> impl IntoView {
    let locale = use_locale();
    let ja = locale == Locale::Ja;
    let t = tr(locale);
    let id = id_param();
    let query = use_query_map();
    let update = ServerAction::<UpdateEvent>::new();
    let add = ServerAction::<AddEventSession>::new();
    let remove = ServerAction::<RemoveEventSession>::new();
    let send = ServerAction::<SendOnlineLink>::new();
    let notice = ServerAction::<SendEventNotice>::new();
    let admin = Resource::new(
        move || (id(), update.version().get(), add.version().get(), remove.version().get(), send.version().get()),
        |(id, ..)| get_event_admin(id),
    );
    let update_error = action_error(update);
    let add_error = action_error(add);
    let send_error = action_error(send);
    let notice_error = action_error(notice);
    let sent =
        move || query.read().get("sent").or_else(|| send.value().get().and_then(|r| r.ok()).map(|n| n.to_string()));
    let noticed = move || {
        query.read().get("noticed").or_else(|| notice.value().get().and_then(|r| r.ok()).map(|n| n.to_string()))
    };
    view! {
        <Title text=t("催しの管理", "Event")/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let v = match admin.await {
                        Ok(v) => v,
                        Err(e) => return view! { <ErrorNotice error=e/> }.into_any(),
                    };
                    let eid = v.id;
                    view! {
                        <section>
                            <p class="muted small"><a href="/organise/events">{t("催しの一覧", "All events")}</a>" · "<a href=format!("/events/{}", v.slug)>{t("公開ページ", "Public page")}</a></p>
                            <h1>{v.input.title_ja.clone()}</h1>
                            <EventTabs id=eid/>
                            {move || query.read().get("saved").map(|_| view! { <p class="notice success" role="status">{t("保存しました。", "Saved.")}</p> })}
                            <Counts c=v.counts.clone()/>
                            {v.purged_at.map(|d| view! { <p class="notice info">{t("申込者の個人情報は保存期間を過ぎたため消去しました: ", "Registrants' personal data was erased after retention: ")}{day(d, locale)}</p> })}
                            <section class="card" id="online-link">
                                <h2>{t("オンライン視聴のリンクを送る", "Send the online viewing link")}</h2>
                                <p>{if ja { format!("まだ送っていない申込者: {} 名。送るのは一人に一度だけです。これ以降の申込者には申込時に送ります。", v.online_link_pending) } else { format!("Registrants not yet sent it: {}. Each person gets it once; later registrants get it when they register.", v.online_link_pending) }}</p>
                                {v.online_link_sent_at.map(|d| view! { <p class="small">{t("最初に送った日時: ", "First sent: ")}{day(d, locale)}" "{clock(d)}</p> })}
                                {move || sent().map(|n| view! { <p class="notice success" role="status">{if ja { format!("{n} 名に送りました。") } else { format!("Sent to {n}.") }}</p> })}
                                <ErrorSummary error=send_error/>
                                <ActionForm action=send>
                                    <input type="hidden" name="id" value=eid/>
                                    <button type="submit" class="primary">{t("オンラインのリンクを送る", "Send the online link")}</button>
                                </ActionForm>
                            </section>
                            <section class="card">
                                <h2>{t("申込者全員へのお知らせ", "A notice to all registrants")}</h2>
                                {move || noticed().map(|n| view! { <p class="notice success" role="status">{if ja { format!("{n} 名に送りました。") } else { format!("Sent to {n}.") }}</p> })}
                                <ErrorSummary error=notice_error/>
                                <ActionForm action=notice>
                                    <input type="hidden" name="id" value=eid/>
                                    <div class="field"><label for="f-subject">{t("件名", "Subject")}</label><input id="f-subject" name="subject" maxlength="120" required/></div>
                                    <div class="field"><label for="f-nbody">{t("本文", "Message")}</label><textarea id="f-nbody" name="body" rows="5" maxlength="4000" required></textarea></div>
                                    <button type="submit">{t("送る", "Send")}</button>
                                </ActionForm>
                            </section>
                            <section id="programme">
                                <h2>{t("プログラム", "Programme")}</h2>
                                <ol class="programme">
                                    {v.sessions.iter().map(|s| {
                                        let sid = s.id;
                                        view! {
                                            <li>
                                                <span class="chip">{session_kind_label(s.kind, locale)}</span>" "
                                                {s.starts_at.map(clock)}" "<strong>{s.title.get(ja).to_string()}</strong>
                                                {(!s.theme.get(ja).is_empty()).then(|| view! { <span class="muted">" ["{s.theme.get(ja).to_string()}"]"</span> })}
                                                <span class="muted small">" "{s.speakers.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join("、")}</span>
                                                <ActionForm action=remove attr:class="inline">
                                                    <input type="hidden" name="id" value=eid/>
                                                    <input type="hidden" name="session_id" value=sid/>
                                                    <button type="submit" class="link danger">{t("削除", "Remove")}</button>
                                                </ActionForm>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ol>
                                <details class="card">
                                    <summary>{t("プログラムを追加する", "Add to the programme")}</summary>
                                    <ErrorSummary error=add_error/>
                                    <ActionForm action=add attr:class="narrow">
                                        <input type="hidden" name="id" value=eid/>
                                        <div class="field">
                                            <label for="f-kind">{t("種類", "Kind")}</label>
                                            <select id="f-kind" name="input[kind]">
                                                {SessionKind::ALL.iter().map(|k| view! { <option value=k.key()>{session_kind_label(*k, locale)}</option> }).collect_view()}
                                            </select>
                                        </div>
                                        <In name="starts_at" label=t("開始", "Starts") kind="datetime-local" value=String::new() error=add_error/>
                                        <In name="ends_at" label=t("終了", "Ends") kind="datetime-local" value=String::new() error=add_error/>
                                        <In name="title_ja" label=t("題名", "Title") value=String::new() required=true error=add_error/>
                                        <In name="title_en" label=t("題名(英語)", "Title (English)") value=String::new() error=add_error/>
                                        <In name="subtitle_ja" label=t("副題", "Subtitle") value=String::new() error=add_error/>
                                        <In name="theme_ja" label=t("サブテーマ", "Sub-theme") value=String::new() error=add_error/>
                                        <div class="field">
                                            <label for="f-speakers">{t("登壇者(1行に1人: 氏名 / 所属 / 役職)", "Speakers (one per line: name / affiliation / title)")}</label>
                                            <textarea id="f-speakers" name="input[speakers]" rows="4"></textarea>
                                        </div>
                                        <In name="practice" label=t("発表する実践(公開記録のURL、または推薦の /nominations/番号。任意)", "Practice presented (a public record's address, or a nomination's /nominations/<id>; optional)") value=String::new() error=add_error/>
                                        <button type="submit">{t("追加する", "Add")}</button>
                                    </ActionForm>
                                </details>
                            </section>
                            <section>
                                <h2>{t("設定", "Settings")}</h2>
                                <ErrorSummary error=update_error/>
                                <ActionForm action=update attr:class="narrow">
                                    <input type="hidden" name="id" value=eid/>
                                    <EventFields i=v.input.clone() error=update_error/>
                                    <button type="submit" class="primary">{t("保存する", "Save")}</button>
                                </ActionForm>
                            </section>
                        </section>
                    }.into_any()
                })}
            </Suspense>
        }.into_any())/>
    }
}

#[component]
pub fn RegistrationsPage() -> impl IntoView {
    let locale = use_locale();
    let ja = locale == Locale::Ja;
    let t = tr(locale);
    let id = id_param();
    let query = use_query_map();
    let check = ServerAction::<CheckIn>::new();
    let list = Resource::new(move || (id(), check.version().get()), |(id, _)| list_registrations(id));
    let filter = move || query.read().get("status").and_then(|s| RegStatus::parse(&s));
    let sheet = move || query.read().get("view").as_deref() == Some("checkin");
    view! {
        <Title text=t("申込者", "Registrations")/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let l = match list.await {
                        Ok(l) => l,
                        Err(e) => return view! { <ErrorNotice error=e/> }.into_any(),
                    };
                    let eid = l.event_id;
                    let only = filter();
                    let rows: Vec<_> = l.rows.iter().filter(|r| only.is_none_or(|s| r.status == s)).cloned().collect();
                    if sheet() {
                        // The printable check-in list: name, furigana, affiliation and a box to tick.
                        let present: Vec<_> = rows.into_iter().filter(|r| r.status == RegStatus::Venue).collect();
                        return view! {
                            <section class="check-in-sheet">
                                <h1>{l.title.get(ja).to_string()}" — "{t("受付名簿", "Check-in list")}</h1>
                                <p class="no-print"><a href=format!("/organise/events/{eid}/registrations")>{t("申込者の一覧へ", "Back to registrations")}</a>" · "{t("ブラウザの印刷機能で印刷できます。", "Print with your browser.")}</p>
                                <table class="data print">
                                    <thead><tr><th>"✓"</th><th>{t("お名前", "Name")}</th><th>{t("ふりがな", "Furigana")}</th><th>{t("所属", "Affiliation")}</th></tr></thead>
                                    <tbody>{present.into_iter().map(|r| view! {
                                        <tr><td class="tick">{if r.checked_in { "☑" } else { "☐" }}</td><td>{r.name}</td><td>{r.furigana}</td><td>{r.affiliation}</td></tr>
                                    }).collect_view()}</tbody>
                                </table>
                            </section>
                        }.into_any();
                    }
                    view! {
                        <section>
                            <p class="muted small"><a href=format!("/organise/events/{eid}")>{l.title.get(ja).to_string()}</a></p>
                            <h1>{t("申込者", "Registrations")}</h1>
                            <EventTabs id=eid/>
                            <Counts c=l.counts.clone()/>
                            {l.purged.then(|| view! { <p class="notice info">{t("保存期間を過ぎたため、個人情報は消去済みです(件数のみ残しています)。", "Personal data was erased after retention; only the counts remain.")}</p> })}
                            <p class="actions">
                                <a class="button" href=format!("/organise/events/{eid}/registrations.csv")>{t("CSVで書き出す", "Export CSV")}</a>
                                <a class="button secondary" href=format!("/organise/events/{eid}/registrations?view=checkin")>{t("受付名簿(印刷用)", "Printable check-in list")}</a>
                            </p>
                            <nav class="filters" aria-label=t("状態で絞り込む", "Filter by status")>
                                <a href=format!("/organise/events/{eid}/registrations") aria-current=only.is_none().then_some("page")>{t("すべて", "All")}</a>
                                {RegStatus::ALL.iter().map(|s| view! {
                                    " · "<a href=format!("/organise/events/{eid}/registrations?status={}", s.key()) aria-current=(only == Some(*s)).then_some("page")>{reg_status_label(*s, locale)}</a>
                                }).collect_view()}
                            </nav>
                            <div class="table-wrap">
                                <table class="data">
                                    <thead><tr>
                                        <th>{t("状態", "Status")}</th><th>{t("お名前", "Name")}</th><th>{t("ふりがな", "Furigana")}</th>
                                        <th>{t("所属", "Affiliation")}</th><th>{t("居住地", "Lives in")}</th><th>{t("連絡先", "Contact")}</th>
                                        <th>{t("配慮の希望", "Needs")}</th><th>{t("受付", "Check-in")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|r| {
                                            let rid = r.id;
                                            view! {
                                                <tr id=format!("r-{rid}")>
                                                    <td>{reg_status_label(r.status, locale)}</td>
                                                    <td>{r.name.clone()}</td><td>{r.furigana.clone()}</td>
                                                    <td>{r.affiliation.clone()}</td><td>{r.municipality.clone()}</td>
                                                    <td class="small">{r.email.clone()}<br/>{r.phone.clone()}</td>
                                                    <td class="small">{r.needs.clone()}</td>
                                                    <td>
                                                        {(r.status != RegStatus::Cancelled).then(|| view! {
                                                            <ActionForm action=check attr:class="inline">
                                                                <input type="hidden" name="id" value=eid/>
                                                                <input type="hidden" name="registration_id" value=rid/>
                                                                <input type="hidden" name="present" value=if r.checked_in { "0" } else { "1" }/>
                                                                <button type="submit" class=if r.checked_in { "secondary" } else { "primary" }
                                                                    aria-label=format!("{} {}", if r.checked_in { t("受付を取り消す", "Undo check-in") } else { t("受付する", "Check in") }, r.name)>
                                                                    {if r.checked_in { t("受付済 ✓", "Checked in ✓") } else { t("受付する", "Check in") }}
                                                                </button>
                                                            </ActionForm>
                                                        })}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                    }.into_any()
                })}
            </Suspense>
        }.into_any())/>
    }
}

#[component]
pub fn QuestionsPage() -> impl IntoView {
    let locale = use_locale();
    let ja = locale == Locale::Ja;
    let t = tr(locale);
    let id = id_param();
    let moderate = ServerAction::<ModerateQuestion>::new();
    let error = action_error(moderate);
    let board = Resource::new(move || (id(), moderate.version().get()), |(id, _)| list_event_questions(id));
    view! {
        <Title text=t("事前の質問", "Questions in advance")/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let b = match board.await {
                        Ok(b) => b,
                        Err(e) => return view! { <ErrorNotice error=e/> }.into_any(),
                    };
                    let eid = b.event_id;
                    view! {
                        <section>
                            <p class="muted small"><a href=format!("/organise/events/{eid}")>{b.title.get(ja).to_string()}</a></p>
                            <h1>{t("事前の質問", "Questions in advance")}</h1>
                            <EventTabs id=eid/>
                            <p class="help">{t("採用した質問だけが司会用の表示に出ます。名前は、質問者が表示を選んだ場合にのみ出ます。", "Only accepted questions reach the moderator view; a name shows only where the asker chose so.")}</p>
                            <ErrorSummary error/>
                            <ul class="questions">
                                {b.questions.into_iter().map(|q| {
                                    let qid = q.id;
                                    view! {
                                        <li class=format!("card question status-{}", q.status.key()) id=format!("q-{qid}")>
                                            <p class="muted small">
                                                "#"{qid}" · "{question_status_label(q.status, locale)}
                                                {q.session_title.map(|s| view! { " · "{s.get(ja).to_string()} })}
                                                {q.merged_into.map(|m| view! { " → #"{m} })}
                                            </p>
                                            <p class="question-body">{q.body.clone()}</p>
                                            {q.shown_name.map(|n| view! { <p class="small">{n}</p> })}
                                            <ActionForm action=moderate attr:class="inline">
                                                <input type="hidden" name="id" value=eid/>
                                                <input type="hidden" name="question_id" value=qid/>
                                                <button type="submit" name="decision" value="accepted" class="primary">{t("採用", "Accept")}</button>
                                                <button type="submit" name="decision" value="hidden" class="secondary">{t("非表示", "Hide")}</button>
                                                <button type="submit" name="decision" value="pending" class="link">{t("未確認に戻す", "Back to pending")}</button>
                                                <label for=format!("m-{qid}")>{t("統合先の番号", "Merge into #")}</label>
                                                <input id=format!("m-{qid}") name="merged_into" inputmode="numeric" size="4"/>
                                                <button type="submit" name="decision" value="merged" class="link">{t("統合", "Merge")}</button>
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any()
                })}
            </Suspense>
        }.into_any())/>
    }
}

#[component]
pub fn ModeratorPage() -> impl IntoView {
    let locale = use_locale();
    let ja = locale == Locale::Ja;
    let t = tr(locale);
    let id = id_param();
    let board = Resource::new(id, list_event_questions);
    view! {
        <Title text=t("司会用の表示", "Moderator view")/>
        <Guard allowed=Role::can_organise children=Callback::new(move |_| view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let b = match board.await {
                        Ok(b) => b,
                        Err(e) => return view! { <ErrorNotice error=e/> }.into_any(),
                    };
                    let accepted: Vec<_> = b.questions.iter().filter(|q| q.status == QuestionStatus::Accepted).cloned().collect();
                    let mut groups: Vec<(Option<i64>, String)> = b.sessions.iter().map(|(id, title)| (Some(*id), title.get(ja).to_string())).collect();
                    groups.push((None, t("全体への質問", "For the whole event").to_string()));
                    view! {
                        <section class="moderator">
                            <p class="no-print muted small"><a href=format!("/organise/events/{}/questions", b.event_id)>{t("質問の確認へ", "Back to moderation")}</a></p>
                            <h1>{b.title.get(ja).to_string()}</h1>
                            {groups.into_iter().filter_map(|(sid, title)| {
                                let qs: Vec<_> = accepted.iter().filter(|q| q.session_id == sid).cloned().collect();
                                (!qs.is_empty()).then(|| view! {
                                    <section class="moderator-session">
                                        <h2>{title}</h2>
                                        <ol>{qs.into_iter().map(|q| view! {
                                            <li><p>{q.body}</p>{q.shown_name.map(|n| view! { <p class="asker">{n}</p> })}</li>
                                        }).collect_view()}</ol>
                                    </section>
                                })
                            }).collect_view()}
                            {accepted.is_empty().then(|| view! { <p>{t("採用した質問はまだありません。", "No accepted questions yet.")}</p> })}
                        </section>
                    }.into_any()
                })}
            </Suspense>
        }.into_any())/>
    }
}
