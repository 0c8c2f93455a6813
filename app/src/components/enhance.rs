//! The app's two islands. Each wraps server-rendered children (which ship no wasm and are not
//! hydrated) and only adds behaviour to the plain forms inside them, so a page works the same
//! with JavaScript off, and the wasm holds no page, no text table and no data decoder:
//!
//! - [`InPlace`] sends a form in the background and replaces the island's content with the same
//!   island from the page the server answers with (the ranking, the assignment board).
//! - [`Autosave`] saves the nomination form by itself a moment after typing stops, counts
//!   characters as you type, and brings back the server's checklist, errors and version after
//!   each save, so the rules shown are exactly the server's.
//!
//! What they show in words comes from the server-rendered markup (`data-*` attributes), in the
//! page's language.
use leptos::prelude::*;

/// Forms inside are sent in the background; the result replaces the content in place. The
/// server answers such a post as it answers a plain form (a redirect to the page, errors in
/// the address), so what comes back is exactly what a reload would show.
#[island]
pub fn InPlace(children: Children) -> impl IntoView {
    view! {
        <div class="in-place" on:submit=move |ev: leptos::ev::SubmitEvent| {
            #[cfg(feature = "hydrate")]
            dom::in_place_submit(ev);
            #[cfg(not(feature = "hydrate"))]
            let _ = ev;
        }>{children()}</div>
    }
}

/// Autosave, live counters and the server's checklist for the form inside. Elements marked
/// `data-swap` are refreshed from the page each save answers with: `data-swap="text"` keeps the
/// element (a live region) and takes the new text, `"inner"` takes the new content, `"value"`
/// takes the new `value` (the form's version).
#[island]
pub fn Autosave(children: Children) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    let saver = dom::Saver::new();
    #[cfg(feature = "hydrate")]
    let (on_edit, on_submit) = (saver.clone(), saver.clone());
    #[cfg(feature = "hydrate")]
    saver.start();
    view! {
        <div
            class="autosave"
            on:input=move |ev: leptos::ev::Event| {
                #[cfg(feature = "hydrate")]
                on_edit.edited(ev);
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                #[cfg(feature = "hydrate")]
                on_submit.submitting(ev);
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }
        >{children()}</div>
    }
}

#[cfg(feature = "hydrate")]
mod dom {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        Document, DomParser, Element, FormData, HtmlElement, HtmlFormElement, HtmlInputElement, HtmlTextAreaElement,
        RequestInit, Response, SubmitEvent, SupportedType, UrlSearchParams,
    };

    /// Marks a form that is to be sent the ordinary way (a fallback after a failed fetch).
    const NATIVE: &str = "data-native";
    /// Autosave this long after the last keystroke, and at least this often while typing.
    const QUIET_MS: f64 = 1_500.0;
    const MAX_WAIT_MS: f64 = 4_000.0;

    fn document() -> Option<Document> {
        web_sys::window()?.document()
    }

    fn now() -> f64 {
        js_sys::Date::now()
    }

    /// The form's fields as the browser would post them, with the pressed button's name.
    fn body(form: &HtmlFormElement, submitter: Option<&HtmlElement>) -> Option<UrlSearchParams> {
        let data = FormData::new_with_form(form).ok()?;
        if let Some(button) = submitter {
            let name = button.get_attribute("name").unwrap_or_default();
            if !name.is_empty() {
                let _ = data.append_with_str(&name, &button.get_attribute("value").unwrap_or_default());
            }
        }
        UrlSearchParams::new_with_str_sequence_sequence(&data).ok()
    }

    /// Posts `form` as a plain form would be (the server then redirects to the page to show)
    /// and returns the final address and the page.
    async fn post(form: &HtmlFormElement, submitter: Option<&HtmlElement>) -> Option<(String, Document)> {
        let window = web_sys::window()?;
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_body(&body(form, submitter)?.into());
        let headers = web_sys::Headers::new().ok()?;
        headers.set("Accept", "text/html").ok()?;
        init.set_headers(&headers);
        let response: Response =
            JsFuture::from(window.fetch_with_str_and_init(&form.action(), &init)).await.ok()?.dyn_into().ok()?;
        if response.status() >= 500 {
            return None;
        }
        let text = JsFuture::from(response.text().ok()?).await.ok()?.as_string()?;
        let page = DomParser::new().ok()?.parse_from_string(&text, SupportedType::TextHtml).ok()?;
        Some((response.url(), page))
    }

    /// Sends the form the ordinary way: the browser shows whatever the server answers.
    fn send_natively(form: &HtmlFormElement, submitter: Option<&HtmlElement>) {
        let _ = form.set_attribute(NATIVE, "");
        let _ = form.request_submit_with_submitter(submitter);
    }

    fn submitted(ev: &SubmitEvent) -> Option<(HtmlFormElement, Option<HtmlElement>)> {
        let form: HtmlFormElement = ev.target()?.dyn_into().ok()?;
        Some((form, ev.submitter()))
    }

    fn island_of(el: &Element) -> Option<Element> {
        el.closest("leptos-island").ok()?
    }

    /// The server-rendered children of the same island in `page`: the n-th island of its kind,
    /// as in this document.
    fn same_children(island: &Element, page: &Document) -> Option<Element> {
        let kind = island.get_attribute("data-component")?;
        let selector = format!("leptos-island[data-component=\"{kind}\"]");
        let here = document()?.query_selector_all(&selector).ok()?;
        let index =
            (0..here.length()).find(|i| here.item(*i).is_some_and(|n| n.is_same_node(Some(island.as_ref()))))?;
        let there: Element = page.query_selector_all(&selector).ok()?.item(index)?.dyn_into().ok()?;
        there.query_selector("leptos-children").ok()?
    }

    const FOCUSABLE: &str = "a[href], button, input, select, textarea";

    pub fn in_place_submit(ev: SubmitEvent) {
        let Some((form, submitter)) = submitted(&ev) else { return };
        if form.has_attribute(NATIVE) {
            return;
        }
        ev.prevent_default();
        let Some((island, children)) =
            island_of(&form).and_then(|i| Some((i.clone(), i.query_selector("leptos-children").ok()??)))
        else {
            return send_natively(&form, submitter.as_ref());
        };
        if island.has_attribute("aria-busy") {
            return;
        }
        let _ = island.set_attribute("aria-busy", "true");
        leptos::task::spawn_local(async move {
            let answer = post(&form, submitter.as_ref()).await;
            let fresh = answer.as_ref().and_then(|(url, page)| Some((url, same_children(&island, page)?)));
            let Some((url, fresh)) = fresh else {
                let _ = island.remove_attribute("aria-busy");
                return send_natively(&form, submitter.as_ref());
            };
            // Keyboard users keep their place: the same control, counted in document order.
            let focused = document().and_then(|d| d.active_element());
            let controls = children.query_selector_all(FOCUSABLE).ok();
            let place = controls.as_ref().and_then(|list| {
                (0..list.length())
                    .find(|i| list.item(*i).is_some_and(|n| focused.as_ref().is_some_and(|f| f.is_same_node(Some(&n)))))
            });
            children.set_inner_html(&fresh.inner_html());
            let _ = island.remove_attribute("aria-busy");
            if let Some(i) = place {
                if let Some(el) = children.query_selector_all(FOCUSABLE).ok().and_then(|l| l.item(i)) {
                    if let Ok(el) = el.dyn_into::<HtmlElement>() {
                        let _ = el.focus();
                    }
                }
            }
            // The address follows the page shown (a new round, `?published=1`), except for a
            // refusal, whose error belongs to this one answer.
            if !url.contains("__err=") {
                if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(url));
                }
            }
        });
    }

    /// Updates the counter of a text field (`#<field id>-count`), counting as the server does.
    fn count(target: &Element) {
        let value = if let Some(i) = target.dyn_ref::<HtmlInputElement>() {
            i.value()
        } else if let Some(t) = target.dyn_ref::<HtmlTextAreaElement>() {
            t.value()
        } else {
            return;
        };
        let Some(counter) = document().and_then(|d| d.get_element_by_id(&format!("{}-count", target.id()))) else {
            return;
        };
        let Some(max) = counter.get_attribute("data-max").and_then(|m| m.parse::<i64>().ok()) else { return };
        let left = max - value.chars().count() as i64;
        let text = if left >= 0 {
            format!("{} {left} / {max}", counter.get_attribute("data-left").unwrap_or_default())
        } else {
            format!("{} {}", -left, counter.get_attribute("data-over").unwrap_or_default())
        };
        counter.set_text_content(Some(&text));
        let _ = counter.class_list().toggle_with_force("over", left < 0);
    }

    #[derive(Default)]
    struct State {
        /// When the first and the latest unsaved edit happened (ms), if any.
        first_edit: Cell<Option<f64>>,
        last_edit: Cell<f64>,
        saving: Cell<bool>,
        /// The person pressed a save button while an autosave was under way.
        held: RefCell<Option<(HtmlFormElement, Option<HtmlElement>)>>,
        /// The page is being left through an ordinary submit: no more autosaves.
        leaving: Cell<bool>,
    }

    #[derive(Clone, Default)]
    pub struct Saver(Rc<State>);

    fn status() -> Option<Element> {
        document()?.get_element_by_id("save-state")
    }

    fn say(key: &str) {
        if let Some(s) = status() {
            let text = s.get_attribute(key).unwrap_or_default();
            s.set_text_content(Some(&text));
        }
    }

    /// Refreshes the `data-swap` elements from `page`; false when the page has none of them
    /// (the answer was not the form, e.g. a sign-in page after the session ended). After a
    /// refusal the version is kept: taking the stored one after a conflict would let the next
    /// save overwrite the other change unseen.
    fn swap(page: &Document, refused: bool) -> bool {
        let Some(doc) = document() else { return false };
        let Ok(marked) = doc.query_selector_all("[data-swap]") else { return false };
        let mut found = false;
        for i in 0..marked.length() {
            let Some(el) = marked.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
            let Some(fresh) = page.get_element_by_id(&el.id()) else { continue };
            found = true;
            match el.get_attribute("data-swap").as_deref() {
                Some("text") => el.set_text_content(fresh.text_content().as_deref()),
                Some("value") if refused => {}
                Some("value") => {
                    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
                        input.set_value(&fresh.get_attribute("value").unwrap_or_default());
                    }
                }
                _ => el.set_inner_html(&fresh.inner_html()),
            }
        }
        found
    }

    impl Saver {
        pub fn new() -> Self {
            Self::default()
        }

        /// Checks twice a second whether it is time to save.
        pub fn start(&self) {
            let me = self.clone();
            let _ = leptos::prelude::set_interval_with_handle(
                move || {
                    let s = &me.0;
                    let Some(first) = s.first_edit.get() else { return };
                    let t = now();
                    if !s.saving.get()
                        && !s.leaving.get()
                        && (t - s.last_edit.get() >= QUIET_MS || t - first >= MAX_WAIT_MS)
                    {
                        me.save();
                    }
                },
                std::time::Duration::from_millis(500),
            );
        }

        pub fn edited(&self, ev: leptos::ev::Event) {
            let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            if target.closest("form").ok().flatten().is_none() {
                return;
            }
            count(&target);
            let s = &self.0;
            let t = now();
            if s.first_edit.get().is_none() {
                s.first_edit.set(Some(t));
            }
            s.last_edit.set(t);
            if !s.saving.get() {
                say("data-unsaved");
            }
        }

        pub fn submitting(&self, ev: SubmitEvent) {
            let Some((form, submitter)) = submitted(&ev) else { return };
            let s = &self.0;
            if s.leaving.get() {
                // A second click while the page is being left would post the old version again
                // and come back as a conflict.
                ev.prevent_default();
            } else if s.saving.get() {
                // Sent once the autosave is back, with the version it returns.
                ev.prevent_default();
                *s.held.borrow_mut() = Some((form, submitter));
            } else {
                s.leaving.set(true);
            }
        }

        fn save(&self) {
            let Some(form) = document()
                .and_then(|d| d.query_selector(".autosave form").ok().flatten())
                .and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
            else {
                return;
            };
            let s = self.0.clone();
            s.saving.set(true);
            s.first_edit.set(None);
            say("data-saving");
            leptos::task::spawn_local(async move {
                let answer = post(&form, None).await;
                // Refused: the server answered with the form and a reason (shown in the error
                // summary). Failed: no answer, or an answer that is not the form.
                let (refused, failed) = match &answer {
                    Some((url, page)) => {
                        let refused = url.contains("__err=");
                        (refused, !swap(page, refused))
                    }
                    None => (false, true),
                };
                s.saving.set(false);
                if failed {
                    say("data-failed");
                } else if refused {
                    say("data-refused");
                } else if s.first_edit.get().is_some() {
                    say("data-unsaved");
                }
                // Its submit event passes through `submitting`, which marks the page as left.
                let held = s.held.borrow_mut().take();
                if let Some((form, submitter)) = held {
                    let _ = form.request_submit_with_submitter(submitter.as_ref());
                }
            });
        }
    }
}
