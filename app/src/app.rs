//! The HTML shell, the root component and the route table.
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::api::auth::get_viewer;
use crate::components::layout::{SiteFooter, SiteHeader};
use crate::error::AppError;
use crate::i18n::{use_texts, Locale};
use crate::pages::{
    account::{AccountDeletedPage, AccountPage, ConfirmEmailPage, DeleteAccountPage},
    admin::AdminPage,
    archive::{ArchivePage, PracticePage},
    auth::{ForgotPasswordPage, ResetPasswordPage, SignInPage, SignUpPage},
    consent::{ConsentDonePage, ConsentPage},
    events::{EventPage, EventsPage, RegisterPage, RegisteredPage, RegistrationLinkPage},
    feedback::{CalibrationPage, FeedbackModerationPage, FeedbackPage},
    home::HomePage,
    info::{DialogueRulesPage, PrivacyPage},
    my_nominations::MyNominationsPage,
    nominate::NominatePage,
    nomination_edit::NominationEditPage,
    nomination_view::NominationPage,
    not_found::NotFoundPage,
    organise::{EditionSettingsPage, OrganisePage, OrganiserNominationsPage},
    organise_archive::{ArchiveAdminPage, PracticeEditPage},
    organise_events::{EventAdminPage, ModeratorPage, OrganiserEventsPage, QuestionsPage, RegistrationsPage},
    organise_review::{AssignmentsPage, AuditPage, RankingPage, ReviewersPage, RubricPage},
    review::{InvitationPage, ReviewQueuePage, ReviewSheetPage, SignOffPage},
};
use crate::wire::Viewer;

/// The document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let _ = options;
    let locale = initial_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href=stylesheet()/>
                <IslandScripts/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The locale is decided on the server (cookie, then Accept-Language) and written into
/// `<html lang>`; an island reads it back from there (`i18n::use_locale`).
fn initial_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        crate::i18n::request_locale()
    }
    #[cfg(not(feature = "ssr"))]
    {
        crate::i18n::document_locale()
    }
}

fn stylesheet() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::assets::css_href()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// The island loader (`islands.js`), inline with this response's nonce. Pages without an
/// island load nothing more: no wasm, no preload.
#[component]
fn IslandScripts() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        // As Leptos's own islands scripts do: from here on, only what an island reads is
        // serialised into the page (each island turns it on for itself).
        if let Some(sc) = Owner::current_shared_context() {
            sc.set_is_hydrating(false);
        }
        let a = crate::assets::assets();
        let script = format!(
            "{}({:?}, {:?});",
            include_str!("islands.js"),
            format!("/pkg/{}", a.js),
            format!("/pkg/{}", a.wasm)
        );
        view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }.into_any()
    }
    #[cfg(not(feature = "ssr"))]
    {
        ().into_any()
    }
}

/// `leptos_meta` writes the title into `<head>` as it is, unescaped, on the server: text
/// becomes markup there unless it is escaped first (`</title><script>` in a record's title).
/// In the browser it is set through `document.title`, which takes plain text.
fn head_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
        }
        out
    }
    #[cfg(not(feature = "ssr"))]
    text
}

/// The signed-in viewer, loaded once per page and shared by the header and guarded pages.
#[derive(Clone, Copy)]
pub struct ViewerResource(pub Resource<Result<Option<Viewer>, AppError>>);

pub fn use_viewer() -> Resource<Result<Option<Viewer>, AppError>> {
    match use_context::<ViewerResource>() {
        Some(v) => v.0,
        None => Resource::new(|| (), |_| get_viewer()),
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = initial_locale();
    provide_context(locale);
    let viewer = Resource::new(|| (), |_| get_viewer());
    provide_context(ViewerResource(viewer));
    let t = use_texts();

    view! {
        <Title formatter=move |text: String| head_text(if text.is_empty() { t.site_name.to_string() } else { format!("{text} | {}", t.site_name) })/>
        <Router>
            <a class="skip-link" href="#main">{t.skip_to_content}</a>
            <SiteHeader/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/sign-up") view=SignUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/reset-password") view=ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/delete") view=DeleteAccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/deleted") view=AccountDeletedPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/email/:token") view=ConfirmEmailPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/dialogue-rules") view=DialogueRulesPage ssr=SsrMode::Async/>
                    <Route path=path!("/privacy") view=PrivacyPage ssr=SsrMode::Async/>
                    <Route path=path!("/nominate") view=NominatePage ssr=SsrMode::Async/>
                    <Route path=path!("/nominations") view=MyNominationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/nominations/:id") view=NominationPage ssr=SsrMode::Async/>
                    <Route path=path!("/nominations/:id/edit") view=NominationEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/nominations/:id/feedback") view=FeedbackPage ssr=SsrMode::Async/>
                    <Route path=path!("/consent/done") view=ConsentDonePage ssr=SsrMode::Async/>
                    <Route path=path!("/consent/:token") view=ConsentPage ssr=SsrMode::Async/>
                    <Route path=path!("/organise") view=OrganisePage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/editions/:id") view=EditionSettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/editions/:id/nominations") view=OrganiserNominationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/editions/:id/reviewers") view=ReviewersPage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/editions/:id/assignments") view=AssignmentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/editions/:id/rubric") view=RubricPage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/editions/:id/ranking") view=RankingPage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/editions/:id/audit") view=AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/editions/:id/feedback") view=FeedbackModerationPage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/editions/:id/calibration") view=CalibrationPage ssr=SsrMode::Async/>
                    <Route path=path!("/archive") view=ArchivePage ssr=SsrMode::Async/>
                    <Route path=path!("/practices/:slug") view=PracticePage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/archive") view=ArchiveAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/archive/:id") view=PracticeEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/review") view=ReviewQueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/review/:id") view=ReviewSheetPage ssr=SsrMode::Async/>
                    <Route path=path!("/review/sign-off/:id") view=SignOffPage ssr=SsrMode::Async/>
                    <Route path=path!("/invite/:token") view=InvitationPage ssr=SsrMode::Async/>
                    <Route path=path!("/events") view=EventsPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/registered") view=RegisteredPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/cancel/:token") view=RegistrationLinkPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/:slug") view=EventPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/:slug/register") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/events") view=OrganiserEventsPage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/events/:id") view=EventAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/events/:id/registrations") view=RegistrationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/events/:id/questions") view=QuestionsPage ssr=SsrMode::Async/>
                    <Route path=path!("/organise/events/:id/moderator") view=ModeratorPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <SiteFooter/>
        </Router>
    }
}
