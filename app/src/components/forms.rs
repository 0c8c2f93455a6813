//! Form parts that show each error beside its field and a summary at the top.
use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{problem_message, use_locale, use_texts};

/// The latest error of an action, as a signal for fields and summaries.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

#[component]
pub fn ErrorSummary(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] labels: Option<fn(&str) -> Option<&'static str>>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        {move || error.get().map(|e| {
            let items = e.field_errors().iter().map(|fe| {
                let label = labels.and_then(|f| f(&fe.field)).unwrap_or("");
                let text = if label.is_empty() {
                    problem_message(&fe.problem, locale)
                } else {
                    format!("{label}: {}", problem_message(&fe.problem, locale))
                };
                view! { <li><a href=format!("#f-{}", fe.field)>{text}</a></li> }
            }).collect_view();
            view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <p><strong>{e.message(locale)}</strong></p>
                    {(!e.field_errors().is_empty()).then(|| view! { <ul>{items}</ul> })}
                </div>
            }
        })}
    }
}

/// A labelled input with optional help text and its own error message.
#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] help: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let id = format!("f-{name}");
    let help_id = format!("{id}-help");
    let err_id = format!("{id}-error");
    let message = Signal::derive(move || error.get().and_then(|e| e.field_message(name, locale)));
    let described = {
        let help_id = help_id.clone();
        let err_id = err_id.clone();
        move || {
            let mut ids = vec![];
            if help.is_some() {
                ids.push(help_id.clone());
            }
            if message.get().is_some() {
                ids.push(err_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=id.clone()>
                {label}
                {required.then(|| view! { <span class="req" aria-hidden="true">{t.required_mark}</span> })}
            </label>
            {help.map(|h| view! { <p class="help" id=help_id.clone()>{h}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                required=required
                autocomplete=autocomplete
                value=value
                maxlength=maxlength
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described
            />
            {move || message.get().map(|m| view! { <p class="field-error" id=err_id.clone()>{m}</p> })}
        </div>
    }
}

/// Percent-encodes a URL query component.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A full page load to `target`, so that the header and every resource reflect a new session.
pub fn hard_navigate(target: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(target);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = target;
}

#[cfg(test)]
mod tests {
    use super::encode_component;

    #[test]
    fn query_components_are_encoded() {
        assert_eq!(encode_component("/a b?x=1&y=難"), "%2Fa%20b%3Fx%3D1%26y%3D%E9%9B%A3");
    }
}

/// `aria-describedby` for a control: its help text and, when shown, its error.
fn described_by(
    field: String,
    has_help: bool,
    message: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let mut ids = vec![];
        if has_help {
            ids.push(format!("f-{field}-help"));
        }
        if message.get().is_some() {
            ids.push(format!("f-{field}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

fn field_message(error: Signal<Option<AppError>>, field: String) -> Signal<Option<String>> {
    let locale = use_locale();
    Signal::derive(move || error.get().and_then(|e| e.field_message(&field, locale)))
}

#[component]
fn LabelText(label: String, required: bool) -> impl IntoView {
    let t = use_texts();
    view! {
        {label}
        {if required {
            view! { <span class="req" aria-hidden="true">{t.required_mark}</span> }.into_any()
        } else {
            view! { <span class="opt">{t.optional_mark}</span> }.into_any()
        }}
    }
}

/// Remaining characters, counted as the server counts them. Rendered by the server; inside the
/// form's island (`Autosave`) it follows typing, with the words from its `data-*` attributes.
#[component]
pub fn CharCounter(#[prop(into)] field: String, max: usize, length: usize) -> impl IntoView {
    let t = use_texts();
    let left = max as i64 - length as i64;
    let text =
        if left >= 0 { format!("{} {left} / {max}", t.chars_left) } else { format!("{} {}", -left, t.chars_over) };
    view! {
        <p
            class="counter"
            class:over=left < 0
            id=format!("f-{field}-count")
            aria-live="polite"
            data-max=max
            data-left=t.chars_left
            data-over=t.chars_over
        >{text}</p>
    }
}

/// A one-line text input row.
#[component]
pub fn TextRow(
    #[prop(into)] field: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] help: String,
    #[prop(optional)] required: bool,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] max: Option<usize>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(into)] value: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] readonly: bool,
) -> impl IntoView {
    let message = field_message(error, field.clone());
    let has_help = !help.is_empty();
    let length = value.chars().count();
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=format!("f-{field}")><LabelText label required/></label>
            {has_help.then(|| view! { <p class="help" id=format!("f-{field}-help")>{help.clone()}</p> })}
            <input
                id=format!("f-{field}")
                name=name
                type=kind
                value=value
                maxlength=max
                autocomplete=autocomplete
                readonly=readonly
                aria-required=required.then_some("true")
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described_by(field.clone(), has_help, message)
            />
            {max.map(|m| view! { <CharCounter field=field.clone() max=m length/> })}
            {move || message.get().map(|m| view! { <p class="field-error" id=format!("f-{field}-error")>{m}</p> })}
        </div>
    }
}

/// A multi-line text row with a live counter.
#[component]
pub fn AreaRow(
    #[prop(into)] field: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] help: String,
    #[prop(optional)] required: bool,
    max: usize,
    #[prop(default = 6)] rows: u32,
    #[prop(into)] value: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] readonly: bool,
) -> impl IntoView {
    let message = field_message(error, field.clone());
    let has_help = !help.is_empty();
    let length = value.chars().count();
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=format!("f-{field}")><LabelText label required/></label>
            {has_help.then(|| view! { <p class="help" id=format!("f-{field}-help")>{help.clone()}</p> })}
            <textarea
                id=format!("f-{field}")
                name=name
                rows=rows
                maxlength=max
                readonly=readonly
                aria-required=required.then_some("true")
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described_by(field.clone(), has_help, message)
            >{rcdata(value)}</textarea>
            <CharCounter field=field.clone() max length/>
            {move || message.get().map(|m| view! { <p class="field-error" id=format!("f-{field}-error")>{m}</p> })}
        </div>
    }
}

/// The text inside a `<textarea>`. Leptos writes a textarea's children unescaped on the server
/// (it treats the element like `<script>`), so stored text containing `</textarea>` would
/// close it and go on as markup. Escaped here, the browser decodes it back into the same text.
pub fn rcdata(value: String) -> String {
    #[cfg(feature = "ssr")]
    {
        if value.contains(['&', '<', '>']) {
            return value.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        }
        value
    }
    #[cfg(not(feature = "ssr"))]
    value
}

/// A select row over (key, 日本語, English) choices.
#[component]
pub fn SelectRow(
    #[prop(into)] field: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] help: String,
    #[prop(optional)] required: bool,
    choices: Vec<(String, String)>,
    #[prop(into)] value: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let t = use_texts();
    let message = field_message(error, field.clone());
    let has_help = !help.is_empty();
    view! {
        <div class="field" class:has-error=move || message.get().is_some()>
            <label for=format!("f-{field}")><LabelText label required/></label>
            {has_help.then(|| view! { <p class="help" id=format!("f-{field}-help")>{help.clone()}</p> })}
            <select
                id=format!("f-{field}")
                name=name
                disabled=disabled
                aria-required=required.then_some("true")
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described_by(field.clone(), has_help, message)
            >
                <option value="" selected=value.is_empty()>{t.choose}</option>
                {choices.into_iter().map(|(k, label)| {
                    let selected = k == value;
                    view! { <option value=k selected=selected>{label}</option> }
                }).collect_view()}
            </select>
            {move || message.get().map(|m| view! { <p class="field-error" id=format!("f-{field}-error")>{m}</p> })}
        </div>
    }
}
