//! The forum's public pages: the list of events, an event with its programme, the
//! registration form (no account needed, works without JavaScript), the confirmation, and the
//! registrant's own page from the mailed link (cancel, questions in advance).
use chrono::{DateTime, Datelike, Utc};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::forum::{
    get_event, get_registration_by_link, get_registration_form, list_events, AskQuestion, AskQuestionByLink,
    CancelRegistration, RegisterForEvent,
};
use crate::components::forms::{action_error, hard_navigate, rcdata, ErrorSummary};
use crate::components::status::ErrorNotice;
use crate::domain::forum::{Attendance, RegStatus, SessionKind, VenueState, Window, OTHER_PLACE};
use crate::domain::time::tokyo;
use crate::error::AppError;
use crate::i18n::{reg_status_label, session_kind_label, use_locale, Locale};
use crate::pages::info::DialogueRules;
use crate::wire::forum::{EventSummary, EventView, SessionView};

/// Both languages side by side; the page's language picks one.
pub fn tr(locale: Locale) -> impl Fn(&'static str, &'static str) -> &'static str + Copy {
    move |ja, en| if locale == Locale::Ja { ja } else { en }
}

const WEEKDAYS_JA: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// `2026年2月21日(土)` / `Sat 21 Feb 2026`, in Japan time.
pub fn day(at: DateTime<Utc>, locale: Locale) -> String {
    let d = at.with_timezone(&tokyo());
    match locale {
        Locale::Ja => {
            format!(
                "{}年{}月{}日({})",
                d.year(),
                d.month(),
                d.day(),
                WEEKDAYS_JA[d.weekday().num_days_from_monday() as usize]
            )
        }
        Locale::En => d.format("%a %-d %b %Y").to_string(),
    }
}

pub fn clock(at: DateTime<Utc>) -> String {
    at.with_timezone(&tokyo()).format("%H:%M").to_string()
}

/// `2026年2月21日(土) 12:45–16:30`.
pub fn when(s: &EventSummary, locale: Locale) -> String {
    format!("{} {}–{}", day(s.starts_at, locale), clock(s.starts_at), clock(s.ends_at))
}

/// What the registration state says, in words: open (seats left), full since a date (online
/// or waiting list), online only from a date, closed.
fn availability(s: &EventSummary, locale: Locale) -> (String, &'static str) {
    let t = tr(locale);
    let ja = locale == Locale::Ja;
    let full_since = s.venue_full_at.map(|d| day(d, locale)).unwrap_or_default();
    match (s.window, s.venue) {
        (Window::NotYet, _) => {
            (t("お申し込みの受け付けはまだ始まっていません。", "Registration has not opened yet.").into(), "info")
        }
        (Window::Closed, _) if !s.upcoming => (t("この催しは終了しました。", "This event has ended.").into(), "info"),
        (Window::Closed, _) => (t("お申し込みの受け付けは終了しました。", "Registration is closed.").into(), "info"),
        (Window::Open, VenueState::Open { left }) => (
            if ja {
                format!("受付中です。会場の残席 {left} 席。")
            } else {
                format!("Registration is open: {left} seats left at the venue.")
            },
            "success",
        ),
        (Window::Open, VenueState::FullWaiting) => (
            if ja {
                format!("会場は満席となりました({full_since})。キャンセル待ちとオンライン参加を受け付けています。")
            } else {
                format!("The venue became full on {full_since}. You can join the waiting list or take part online.")
            },
            "warn",
        ),
        (Window::Open, VenueState::Full) => (
            if ja {
                format!("会場は満席となりました({full_since})。現在はオンライン参加のみ受け付けています。")
            } else {
                format!("The venue became full on {full_since}. Only online participation is taken now.")
            },
            "warn",
        ),
        (Window::Open, VenueState::OnlineOnlyNow) => {
            (t("現在はオンライン参加のみ受け付けています。", "Only online participation is taken now.").into(), "warn")
        }
        (Window::Open, VenueState::NoVenue) => {
            (t("オンラインで開催します。受付中です。", "Held online; registration is open.").into(), "success")
        }
    }
}

#[component]
pub fn EventCard(s: EventSummary) -> impl IntoView {
    let locale = use_locale();
    let ja = locale == Locale::Ja;
    let (line, _) = availability(&s, locale);
    view! {
        <li class="card event-card">
            <p class="muted small">{when(&s, locale)}" · "{s.venue_name.clone()}</p>
            <h3><a href=format!("/events/{}", s.slug)>{s.title.get(ja).to_string()}</a></h3>
            {(!s.subtitle.get(ja).is_empty()).then(|| view! { <p>{s.subtitle.get(ja).to_string()}</p> })}
            <p class="small">{line}</p>
        </li>
    }
}

#[component]
pub fn EventsPage() -> impl IntoView {
    let locale = use_locale();
    let t = tr(locale);
    let events = Resource::new(|| (), |_| list_events());
    view! {
        <Title text=t("フォーラム・催し", "Forums and events")/>
        <section>
            <h1>{t("フォーラム・催し", "Forums and events")}</h1>
            <p class="lead">{t("実践を持ち寄り、対話する場です。どなたでも参加できます(参加費無料の催しもあります)。", "Where practices are brought together and talked through. Everyone is welcome.")}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match events.await {
                        Ok(list) => view! {
                            <h2>{t("これからの催し", "Coming up")}</h2>
                            {if list.upcoming.is_empty() {
                                view! { <p class="muted">{t("予定している催しはまだありません。", "Nothing is planned yet.")}</p> }.into_any()
                            } else {
                                view! { <ul class="cards">{list.upcoming.into_iter().map(|s| view! { <EventCard s/> }).collect_view()}</ul> }.into_any()
                            }}
                            <h2>{t("これまでの催し", "Past events")}</h2>
                            {if list.past.is_empty() {
                                view! { <p class="muted">{t("まだありません。", "None yet.")}</p> }.into_any()
                            } else {
                                view! { <ul class="cards">{list.past.into_iter().map(|s| view! { <EventCard s/> }).collect_view()}</ul> }.into_any()
                            }}
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Programme(sessions: Vec<SessionView>) -> impl IntoView {
    let locale = use_locale();
    let ja = locale == Locale::Ja;
    let t = tr(locale);
    let mut last_theme = String::new();
    let items = sessions
        .into_iter()
        .map(|s| {
            let theme = s.theme.get(ja).to_string();
            let new_theme = !theme.is_empty() && theme != last_theme;
            if !theme.is_empty() {
                last_theme = theme.clone();
            }
            let time = match (s.starts_at, s.ends_at) {
                (Some(a), Some(b)) => format!("{}–{}", clock(a), clock(b)),
                (Some(a), None) => clock(a),
                _ => String::new(),
            };
            view! {
                {new_theme.then(|| view! { <li class="theme"><h3>{theme.clone()}</h3></li> })}
                <li class=format!("session kind-{}", s.kind.key()) id=format!("s-{}", s.id)>
                    <p class="session-time">{time}</p>
                    <div>
                        <p class="chip">{session_kind_label(s.kind, locale)}</p>
                        <h4>{s.title.get(ja).to_string()}</h4>
                        {(!s.subtitle.get(ja).is_empty()).then(|| view! { <p class="muted">{s.subtitle.get(ja).to_string()}</p> })}
                        {(!s.speakers.is_empty()).then(|| view! {
                            <ul class="speakers">
                                {s.speakers.iter().map(|p| view! {
                                    <li>
                                        <strong>{p.name.clone()}</strong>
                                        {(!p.affiliation.is_empty() || !p.role_title.is_empty()).then(|| view! {
                                            <span class="muted">" ("{[p.affiliation.as_str(), p.role_title.as_str()].iter().filter(|x| !x.is_empty()).copied().collect::<Vec<_>>().join(" ")}")"</span>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        })}
                        {s.practice.as_ref().map(|p| view! {
                            <p class="small">{t("発表する実践: ", "Practice presented: ")}<a href=format!("/practices/{}", p.slug)>{p.title.clone()}</a></p>
                        })}
                    </div>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="programme">{items}</ol> }
}

#[component]
fn EventDetail(v: EventView) -> impl IntoView {
    let locale = use_locale();
    let ja = locale == Locale::Ja;
    let t = tr(locale);
    let s = v.summary.clone();
    let (line, tone) = availability(&s, locale);
    let url = format!("/events/{}", s.slug);
    let title = s.title.get(ja).to_string();
    let open = s.window == Window::Open;
    let ask = ServerAction::<AskQuestion>::new();
    let ask_error = action_error(ask);
    let query = use_query_map();
    let asked = move || query.read().get("asked").is_some() || matches!(ask.value().get(), Some(Ok(_)));
    let sessions_for_questions: Vec<(i64, String)> = v
        .sessions
        .iter()
        .filter(|x| x.kind != SessionKind::Break)
        .map(|x| (x.id, x.title.get(ja).to_string()))
        .collect();
    let slug = s.slug.clone();
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=s.subtitle.get(ja).to_string()/>
        <Meta property="og:type" content="event"/>
        <Meta property="og:title" content=title.clone()/>
        <Meta property="og:url" content=url.clone()/>
        <Link rel="canonical" href=url.clone()/>
        <article class="event">
            <p class="muted small"><a href="/events">{t("フォーラム・催しの一覧", "All events")}</a></p>
            {(!v.edition_name.is_empty()).then(|| view! { <p class="chip">{v.edition_name.clone()}</p> })}
            <h1>{title.clone()}</h1>
            {(!s.subtitle.get(ja).is_empty()).then(|| view! { <p class="lead">{s.subtitle.get(ja).to_string()}</p> })}
            <p class=format!("notice {tone}") role="status" data-testid="availability">{line}</p>
            {open.then(|| view! {
                <p class="actions"><a class="button primary" href=format!("{url}/register")>{t("参加を申し込む", "Register")}</a></p>
            })}
            <dl class="facts">
                <dt>{t("日時", "When")}</dt>
                <dd>
                    {when(&s, locale)}
                    {v.reception_at.map(|r| view! { <span>{if ja { format!("(受付 {}〜)", clock(r)) } else { format!(" (reception from {})", clock(r)) }}</span> })}
                </dd>
                <dt>{t("会場", "Venue")}</dt>
                <dd>
                    {s.venue_name.clone()}" "{v.room.clone()}
                    {(!v.address.is_empty()).then(|| view! { <br/><span class="small">{v.address.clone()}</span> })}
                    {(!v.map_url.is_empty()).then(|| view! { " " <a href=v.map_url.clone() rel="noopener noreferrer" target="_blank">{t("地図", "Map")}</a> })}
                </dd>
                {(v.capacity > 0).then(|| view! {
                    <dt>{t("定員", "Seats")}</dt>
                    <dd>{if ja { format!("会場 {} 名", v.capacity) } else { format!("{} at the venue", v.capacity) }}{s.online.then(|| t("(オンライン参加もできます)", " (online participation too)"))}</dd>
                })}
                {(!v.audience.get(ja).is_empty()).then(|| view! { <dt>{t("対象", "For")}</dt><dd>{v.audience.get(ja).to_string()}</dd> })}
                {(!v.fee.get(ja).is_empty()).then(|| view! { <dt>{t("参加費", "Fee")}</dt><dd>{v.fee.get(ja).to_string()}</dd> })}
                {v.online_only_from.map(|d| view! {
                    <dt>{t("オンラインのみの受付", "Online only from")}</dt><dd>{day(d, locale)}{t("から", "")}</dd>
                })}
                {v.closes_at.map(|d| view! { <dt>{t("申込締切", "Registration closes")}</dt><dd>{day(d, locale)}" "{clock(d)}</dd> })}
                {(!v.organisers.is_empty()).then(|| view! { <dt>{t("主催", "Organised by")}</dt><dd>{v.organisers.clone()}</dd> })}
                {(!v.co_organisers.is_empty()).then(|| view! { <dt>{t("共催・協力", "With")}</dt><dd>{v.co_organisers.clone()}</dd> })}
                {(!v.contact_name.is_empty()).then(|| view! {
                    <dt>{t("お問い合わせ", "Contact")}</dt>
                    <dd>
                        {v.contact_name.clone()}
                        {(!v.contact_phone.is_empty()).then(|| view! { " " <a href=format!("tel:{}", v.contact_phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>())>{v.contact_phone.clone()}</a> })}
                        {(!v.contact_email.is_empty()).then(|| view! { " " <a href=format!("mailto:{}", v.contact_email)>{v.contact_email.clone()}</a> })}
                    </dd>
                })}
            </dl>
            <p><a href=format!("{url}/event.ics") download="">{t("予定表に追加(.ics)", "Add to calendar (.ics)")}</a></p>
            {(!v.description_html.is_empty()).then(|| view! { <section class="prose" inner_html=v.description_html.clone()></section> })}
            {(!v.sessions.is_empty()).then(|| view! {
                <section id="programme">
                    <h2>{t("プログラム", "Programme")}</h2>
                    <Programme sessions=v.sessions.clone()/>
                </section>
            })}
            <DialogueRules/>
            {(v.questions_public && s.upcoming).then(move || view! {
                <section id="questions">
                    <h2>{t("登壇者への質問(事前受付)", "Questions for the speakers, in advance")}</h2>
                    <p class="small">{t("いただいた質問は事務局が確認し、採用したものを当日取り上げます。お名前は、表示を選んだ場合にのみ紹介します。", "The organisers read every question and take up those they accept on the day. Your name is mentioned only if you choose so.")}</p>
                    <Show when=asked fallback=move || {
                        let slug = slug.clone();
                        let options = sessions_for_questions.clone();
                        view! {
                            <ErrorSummary error=ask_error/>
                            <ActionForm action=ask>
                                <input type="hidden" name="slug" value=slug/>
                                <div class="field">
                                    <label for="f-session_id">{t("どのプログラムへの質問ですか", "Which part of the programme")}</label>
                                    <select id="f-session_id" name="session_id">
                                        <option value="">{t("全体・特定しない", "The whole event")}</option>
                                        {options.into_iter().map(|(id, title)| view! { <option value=id.to_string()>{title}</option> }).collect_view()}
                                    </select>
                                </div>
                                <QuestionFields error=ask_error with_name=true/>
                                <button type="submit" class="primary">{t("質問を送る", "Send the question")}</button>
                            </ActionForm>
                        }
                    }>
                        <p class="notice success" role="status">{t("質問を受け付けました。ありがとうございます。", "Thank you, your question was received.")}</p>
                    </Show>
                </section>
            })}
        </article>
    }
}

/// The question text, the optional name, and the dialogue-rules acknowledgement.
#[component]
fn QuestionFields(#[prop(into)] error: Signal<Option<AppError>>, with_name: bool) -> impl IntoView {
    let locale = use_locale();
    let t = tr(locale);
    let msg = move |f: &'static str| Signal::derive(move || error.get().and_then(|e| e.field_message(f, locale)));
    let body_msg = msg("body");
    let ack_msg = msg("rules_ack");
    view! {
        <div class="field" class:has-error=move || body_msg.get().is_some()>
            <label for="f-body">{t("質問", "Your question")}<span class="req" aria-hidden="true">{crate::i18n::use_texts().required_mark}</span></label>
            <textarea id="f-body" name="body" rows="4" maxlength="400" required aria-invalid=move || body_msg.get().is_some().then_some("true")></textarea>
            {move || body_msg.get().map(|m| view! { <p class="field-error" id="f-body-error">{m}</p> })}
        </div>
        {with_name.then(|| view! {
            <div class="field">
                <label for="f-asker_name">{t("お名前(任意)", "Your name (optional)")}</label>
                <input id="f-asker_name" name="asker_name" maxlength="60" autocomplete="name"/>
            </div>
        })}
        <label class="choice" for="f-show_name">
            <input type="checkbox" id="f-show_name" name="show_name" value="on"/>
            <span>{t("質問を紹介するとき、名前を出してもかまいません", "You may mention my name with the question")}</span>
        </label>
        <div class="field" class:has-error=move || ack_msg.get().is_some()>
            <label class="choice" for="f-rules_ack">
                <input type="checkbox" id="f-rules_ack" name="rules_ack" value="on" required/>
                <span>{t("対話ルールを読み、これに沿って書きました。", "I have read the dialogue rules and wrote in their spirit.")}</span>
            </label>
            {move || ack_msg.get().map(|m| view! { <p class="field-error" id="f-rules_ack-error">{m}</p> })}
        </div>
    }
}

#[component]
pub fn EventPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let event = Resource::new(slug, get_event);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match event.await {
                    Ok(v) => view! { <EventDetail v/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One radio group with its legend and error.
#[component]
fn RadioGroup(
    field: &'static str,
    legend: &'static str,
    choices: Vec<(String, String, bool)>,
    value: String,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let message = Signal::derive(move || error.get().and_then(|e| e.field_message(field, locale)));
    view! {
        <fieldset id=format!("f-{field}") class="field" class:has-error=move || message.get().is_some()
            aria-describedby=move || message.get().map(|_| format!("f-{field}-error"))>
            <legend>{legend}<span class="req" aria-hidden="true">{crate::i18n::use_texts().required_mark}</span></legend>
            {choices.into_iter().map(|(key, label, disabled)| {
                let id = format!("f-{field}-{key}");
                let for_id = id.clone();
                let checked = key == value;
                view! {
                    <label class="choice" for=for_id>
                        <input type="radio" id=id name=format!("input[{field}]") value=key checked=checked disabled=disabled required/>
                        <span>{label}</span>
                    </label>
                }
            }).collect_view()}
            {move || message.get().map(|m| view! { <p class="field-error" id=format!("f-{field}-error")>{m}</p> })}
        </fieldset>
    }
}

/// A one-line input named `input[<field>]`, with its label, help and error.
#[component]
fn Line(
    field: &'static str,
    label: &'static str,
    #[prop(optional)] help: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    max: usize,
    value: String,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let message = Signal::derive(move || error.get().and_then(|e| e.field_message(field, locale)));
    let described = move || {
        let mut ids = vec![];
        if !help.is_empty() {
            ids.push(format!("f-{field}-help"));
        }
        if message.get().is_some() {
            ids.push(format!("f-{field}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=format!("f-{field}")>{label}{required.then(|| view! { <span class="req" aria-hidden="true">{crate::i18n::use_texts().required_mark}</span> })}</label>
            {(!help.is_empty()).then(|| view! { <p class="help" id=format!("f-{field}-help")>{help}</p> })}
            <input id=format!("f-{field}") name=format!("input[{field}]") type=kind value=value maxlength=max
                autocomplete=autocomplete required=required
                aria-invalid=move || message.get().is_some().then_some("true") aria-describedby=described/>
            {move || message.get().map(|m| view! { <p class="field-error" id=format!("f-{field}-error")>{m}</p> })}
        </div>
    }
}

fn registration_label(field: &str, locale: Locale) -> Option<&'static str> {
    let t = tr(locale);
    Some(match field {
        "name" => t("お名前", "Name"),
        "furigana" => t("ふりがな", "Name in kana (furigana)"),
        "phone" => t("電話番号", "Phone"),
        "email" => t("メールアドレス", "E-mail"),
        "municipality" => t("お住まいの市町村", "Municipality you live in"),
        "municipality_other" => t("県外の方: お住まいの地域", "From outside the prefecture: where"),
        "affiliation" => t("ご所属・お立場", "You come as"),
        "attendance" => t("参加の方法", "How you take part"),
        "needs" => t("配慮の希望", "Accessibility needs"),
        "rules_ack" => t("対話ルール", "Dialogue rules"),
        "privacy_ack" => t("個人情報の取り扱い", "Privacy"),
        _ => return None,
    })
}

fn labels_ja(f: &str) -> Option<&'static str> {
    registration_label(f, Locale::Ja)
}

fn labels_en(f: &str) -> Option<&'static str> {
    registration_label(f, Locale::En)
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let locale = use_locale();
    let ja = locale == Locale::Ja;
    let t = tr(locale);
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let form = Resource::new(slug, get_registration_form);
    let action = ServerAction::<RegisterForEvent>::new();
    let error = action_error(action);
    Effect::new(move |_| {
        if let Some(Ok(done)) = action.value().get() {
            hard_navigate(&done.next);
        }
    });
    let labels: fn(&str) -> Option<&'static str> = if ja { labels_ja } else { labels_en };
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let f = match form.await {
                    Ok(f) => f,
                    Err(e) => return view! { <ErrorNotice error=e/> }.into_any(),
                };
                let s = f.event.clone();
                let title = s.title.get(ja).to_string();
                let p = f.prefill.clone();
                let (line, tone) = availability(&s, locale);
                if s.window != Window::Open {
                    return view! {
                        <Title text=title.clone()/>
                        <section class="narrow">
                            <h1>{title.clone()}</h1>
                            <p class=format!("notice {tone}") role="status">{line}</p>
                            <p><a href=format!("/events/{}", s.slug)>{t("催しのページへ戻る", "Back to the event")}</a></p>
                        </section>
                    }.into_any();
                }
                let venue_offered = matches!(s.venue, VenueState::Open { .. } | VenueState::FullWaiting);
                let venue_label = match s.venue {
                    VenueState::Open { left } => if ja { format!("会場で参加する(残り {left} 席)") } else { format!("At the venue ({left} seats left)") },
                    VenueState::FullWaiting => t("会場(満席のため、キャンセル待ちで申し込む)", "At the venue (full: join the waiting list)").to_string(),
                    VenueState::Full => t("会場(満席)", "At the venue (full)").to_string(),
                    _ => t("会場(受け付けを終了しました)", "At the venue (no longer taken)").to_string(),
                };
                let mut attendance = vec![];
                if f.capacity > 0 {
                    attendance.push((Attendance::Venue.key().to_string(), venue_label, !venue_offered));
                }
                if s.online {
                    attendance.push((Attendance::Online.key().to_string(), t("オンラインで参加する(視聴リンクを後日メールでお送りします)", "Online (we e-mail the viewing link later)").to_string(), false));
                }
                let attendance_value = if p.attendance.is_empty() && !venue_offered && s.online { "online".to_string() } else { p.attendance.clone() };
                let affiliations: Vec<(String, String, bool)> = f.affiliations.iter().map(|a| (a.key.clone(), a.label(ja).to_string(), false)).collect();
                let municipality = p.municipality.clone();
                let needs = p.needs.clone();
                view! {
                    <Title text=format!("{} — {}", t("参加申し込み", "Registration"), title)/>
                    <section class="narrow">
                        <p class="muted small"><a href=format!("/events/{}", s.slug)>{title.clone()}</a></p>
                        <h1>{t("参加申し込み", "Registration")}</h1>
                        <p>{when(&s, locale)}" · "{s.venue_name.clone()}</p>
                        <p class=format!("notice {tone}") role="status" data-testid="availability">{line}</p>
                        <p class="small">{t("アカウントは不要です。", "No account needed.")}</p>
                        <ErrorSummary error=error labels=labels/>
                        <ActionForm action=action>
                            <input type="hidden" name="slug" value=s.slug.clone()/>
                            <Line field="name" label=t("お名前", "Name") autocomplete="name" required=true max=60 value=p.name.clone() error/>
                            <Line field="furigana" label=t("ふりがな", "Name in kana (furigana)") help=t("ひらがなかカタカナで(例: さいたま はなこ)", "In hiragana or katakana (e.g. さいたま はなこ)") required=true max=80 value=p.furigana.clone() error/>
                            <Line field="phone" label=t("電話番号", "Phone") help=t("当日の連絡にのみ使います(例: 048-123-4567)", "Used only to reach you about the day (e.g. 048-123-4567)") kind="tel" autocomplete="tel" required=true max=20 value=p.phone.clone() error/>
                            <Line field="email" label=t("メールアドレス", "E-mail") help=t("受付の確認とキャンセル用のリンクをお送りします", "We send the confirmation and your cancel link here") kind="email" autocomplete="email" required=true max=254 value=p.email.clone() error/>
                            {
                                let message = Signal::derive(move || error.get().and_then(|e| e.field_message("municipality", locale)));
                                view! {
                                    <div class="field" class:has-error=move || message.get().is_some()>
                                        <label for="f-municipality">{t("お住まいの市町村", "Municipality you live in")}<span class="req" aria-hidden="true">{crate::i18n::use_texts().required_mark}</span></label>
                                        <select id="f-municipality" name="input[municipality]" required aria-invalid=move || message.get().is_some().then_some("true")>
                                            <option value="" selected=municipality.is_empty()>{t("選んでください", "Choose")}</option>
                                            {f.municipalities.iter().map(|m| {
                                                let selected = m.key == municipality;
                                                view! { <option value=m.key.clone() selected=selected>{m.label(ja).to_string()}</option> }
                                            }).collect_view()}
                                            <option value=OTHER_PLACE selected=municipality == OTHER_PLACE>{t("県外", "Outside the prefecture")}</option>
                                        </select>
                                        {move || message.get().map(|m| view! { <p class="field-error" id="f-municipality-error">{m}</p> })}
                                    </div>
                                }
                            }
                            <Line field="municipality_other" label=t("県外の方: お住まいの地域", "From outside the prefecture: where") help=t("例: 東京都練馬区", "e.g. Nerima, Tokyo") max=60 value=p.municipality_other.clone() error/>
                            <RadioGroup field="affiliation" legend=t("ご所属・お立場", "You come as") choices=affiliations value=p.affiliation.clone() error/>
                            <p class="help">{t("「当事者」のご回答は、事務局のみが扱い、公開する集計には使いません。", "If you answer that you live with the illness, only the organisers see it; it is never in any public count.")}</p>
                            <RadioGroup field="attendance" legend=t("参加の方法", "How you take part") choices=attendance value=attendance_value error/>
                            {
                                let message = Signal::derive(move || error.get().and_then(|e| e.field_message("needs", locale)));
                                view! {
                                    <div class="field" class:has-error=move || message.get().is_some()>
                                        <label for="f-needs">{t("配慮の希望(任意)", "Accessibility needs (optional)")}</label>
                                        <p class="help" id="f-needs-help">{t("座席の位置、途中の休憩、字幕など、必要なことがあればお書きください。", "Seating, breaks, captions: tell us anything that helps.")}</p>
                                        <textarea id="f-needs" name="input[needs]" rows="3" maxlength="1000" aria-describedby="f-needs-help">{rcdata(needs.clone())}</textarea>
                                        {move || message.get().map(|m| view! { <p class="field-error" id="f-needs-error">{m}</p> })}
                                    </div>
                                }
                            }
                            <DialogueRules compact=true/>
                            <Ack field="rules_ack" checked=p.rules_ack label=t("対話ルールを読み、当日もこれに沿って参加します。", "I have read the dialogue rules and will take part in their spirit.") error/>
                            <Ack field="privacy_ack" checked=p.privacy_ack label=t("個人情報の取り扱い(事務局のみが扱い、催しの90日後に消去します)に同意します。", "I agree to how my data is handled (organisers only; erased 90 days after the event).") error/>
                            <p class="small"><a href="/privacy">{t("個人情報の取り扱いを読む", "Read the privacy notice")}</a></p>
                            <button type="submit" class="primary" disabled=move || action.pending().get()>{t("申し込む", "Register")}</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn Ack(
    field: &'static str,
    checked: bool,
    label: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let locale = use_locale();
    let message = Signal::derive(move || error.get().and_then(|e| e.field_message(field, locale)));
    view! {
        <div class="field" id=format!("f-{field}") class:has-error=move || message.get().is_some()>
            <label class="choice" for=format!("f-{field}-box")>
                <input type="checkbox" id=format!("f-{field}-box") name=format!("input[{field}]") value="on" checked=checked required/>
                <span>{label}</span>
            </label>
            {move || message.get().map(|m| view! { <p class="field-error" id=format!("f-{field}-error")>{m}</p> })}
        </div>
    }
}

#[component]
pub fn RegisteredPage() -> impl IntoView {
    let locale = use_locale();
    let t = tr(locale);
    let query = use_query_map();
    let status = move || query.read().get("status").and_then(|s| RegStatus::parse(&s));
    let event = move || query.read().get("event").unwrap_or_default();
    view! {
        <Title text=t("お申し込みを受け付けました", "Registration received")/>
        <Meta name="robots" content="noindex"/>
        <section class="narrow">
            <h1>{t("お申し込みを受け付けました", "Registration received")}</h1>
            <p class="notice success" role="status" data-testid="registered">
                {move || match status() {
                    Some(RegStatus::Venue) => t("会場参加で受け付けました。当日お会いできるのを楽しみにしています。", "You have a seat at the venue. We look forward to seeing you."),
                    Some(RegStatus::Online) => t("オンライン参加で受け付けました。視聴用のリンクは後日メールでお送りします。", "You are registered online. The viewing link will come by e-mail."),
                    Some(RegStatus::Waiting) => t("会場は満席のため、キャンセル待ちで受け付けました。席が空きしだい、お申し込み順にメールでお知らせします。", "The venue is full: you are on the waiting list. If a seat frees up we e-mail you, in order of registration."),
                    _ => t("お申し込みを受け付けました。", "Your registration is received."),
                }}
            </p>
            <p>{t("確認のメールをお送りしました。予定表に追加できるファイルと、キャンセル・事前質問のためのリンクが入っています。", "We have sent you a confirmation mail with a calendar file and a link to cancel or send questions in advance.")}</p>
            <p><a href=move || format!("/events/{}", event())>{t("催しのページへ戻る", "Back to the event")}</a></p>
        </section>
    }
}

#[component]
pub fn RegistrationLinkPage() -> impl IntoView {
    let locale = use_locale();
    let ja = locale == Locale::Ja;
    let t = tr(locale);
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let query = use_query_map();
    let done = move || query.read().get("done");
    let reg = Resource::new(move || (token(), done()), |(tok, _)| get_registration_by_link(tok));
    let cancel = ServerAction::<CancelRegistration>::new();
    let ask = ServerAction::<AskQuestionByLink>::new();
    let cancel_error = action_error(cancel);
    let ask_error = action_error(ask);
    Effect::new(move |_| {
        if let Some(Ok(next)) = cancel.value().get() {
            hard_navigate(&next);
        }
        if let Some(Ok(next)) = ask.value().get() {
            hard_navigate(&next);
        }
    });
    view! {
        <Title text=t("お申し込みの確認", "Your registration")/>
        <Meta name="robots" content="noindex, nofollow"/>
        <Meta name="referrer" content="same-origin"/>
        <section class="narrow">
            <h1>{t("お申し込みの確認", "Your registration")}</h1>
            {move || match done().as_deref() {
                Some("cancelled") => Some(view! { <p class="notice success" role="status">{t("キャンセルを受け付けました。", "Your registration is cancelled.")}</p> }),
                Some("asked") => Some(view! { <p class="notice success" role="status">{t("質問を受け付けました。ありがとうございます。", "Thank you, your question was received.")}</p> }),
                _ => None,
            }}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let v = match reg.await {
                        Ok(v) => v,
                        Err(e) => return view! { <ErrorNotice error=e/> }.into_any(),
                    };
                    let s = v.event.clone();
                    let active = v.status != RegStatus::Cancelled;
                    view! {
                        <dl class="facts">
                            <dt>{t("催し", "Event")}</dt><dd><a href=format!("/events/{}", s.slug)>{s.title.get(ja).to_string()}</a></dd>
                            <dt>{t("日時", "When")}</dt><dd>{when(&s, locale)}</dd>
                            <dt>{t("お名前", "Name")}</dt><dd>{v.name.clone()}</dd>
                            <dt>{t("状態", "Status")}</dt><dd data-testid="registration-status">{reg_status_label(v.status, locale)}</dd>
                        </dl>
                        {(active && s.upcoming).then(|| view! {
                            <section>
                                <h2>{t("キャンセル", "Cancel")}</h2>
                                <p>{t("ご都合が悪くなったときは、こちらからキャンセルできます。会場のお席はキャンセル待ちの方にお回しします。", "If you cannot come, cancel here; your seat goes to the next person waiting.")}</p>
                                <ErrorSummary error=cancel_error/>
                                <ActionForm action=cancel>
                                    <input type="hidden" name="token" value=token/>
                                    <button type="submit" class="danger">{t("申し込みをキャンセルする", "Cancel my registration")}</button>
                                </ActionForm>
                            </section>
                        })}
                        {v.questions_open.then(|| view! {
                            <section id="questions">
                                <h2>{t("登壇者への質問(事前受付)", "Questions for the speakers, in advance")}</h2>
                                <p class="small">{t("いただいた質問は事務局が確認し、採用したものを当日取り上げます。お名前は、表示を選んだ場合にのみ紹介します。", "The organisers read every question and take up those they accept on the day. Your name is mentioned only if you choose so.")}</p>
                                <DialogueRules compact=true/>
                                <ErrorSummary error=ask_error/>
                                <ActionForm action=ask>
                                    <input type="hidden" name="token" value=token/>
                                    <div class="field">
                                        <label for="f-session_id">{t("どのプログラムへの質問ですか", "Which part of the programme")}</label>
                                        <select id="f-session_id" name="session_id">
                                            <option value="">{t("全体・特定しない", "The whole event")}</option>
                                            {v.sessions.iter().map(|(id, title)| view! { <option value=id.to_string()>{title.get(ja).to_string()}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <QuestionFields error=ask_error with_name=false/>
                                    <button type="submit" class="primary">{t("質問を送る", "Send the question")}</button>
                                </ActionForm>
                            </section>
                        })}
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}
