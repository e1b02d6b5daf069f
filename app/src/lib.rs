//! The Leptos application: the shell, the router and every page, shared by the server (SSR)
//! and the browser (hydration).

// The self-check's views are deep generic types; the wasm release build needs the headroom.
#![recursion_limit = "512"]

pub mod check;
pub mod components;
pub mod csp;
pub mod i18n;
pub mod pages;
pub mod portal;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::components::layout::Layout;
use crate::i18n::{provide_lang, t, Lang, Msg};
use crate::pages::{
    account::{LoginPage, PasswordPage, RegisterPage, ResetPage},
    admin::AccountsPage,
    ballot::SignPage,
    calendar::CalendarPage,
    certificates::{
        AdminCertificatePage, AdminCertificatesPage, CertificatePage, VerifyCertificatePage,
    },
    check::CheckPage,
    check_result::{CheckResultPage, VerifyPage},
    committees::{CommitteePage, CommitteesPage},
    dossiers::{ApplyPage, DossierPage, MyDossiersPage},
    expert::{ReviewDossierPage, WorkspacePage},
    home::HomePage,
    not_found::NotFound,
    privacy::PrivacyPage,
    record::RecordPage,
    results::{ConfirmPage, ObjectionPage, PublicityPage},
    review::ReviewPage,
    sessions::{SessionPage, SessionsPage},
};

/// Whether the page at `path` holds an island, so the browser needs the wasm: the live verdict
/// and tools on the self-check, the tools and print button on its result, the autosave on a
/// dossier. Every other page is plain server-rendered HTML and loads no script at all. A page
/// that gains an island must be named here (its end-to-end test then finds it working).
pub fn page_has_islands(path: &str) -> bool {
    matches!(path, "/check" | "/check/result")
        || path
            .strip_prefix("/dossiers/")
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// The HTML document around the application, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    csp::provide_page_policy();
    let lang = Lang::from_request();
    #[cfg(feature = "ssr")]
    let islands = use_context::<http::request::Parts>()
        .is_some_and(|parts| page_has_islands(parts.uri.path()));
    #[cfg(not(feature = "ssr"))]
    let islands = true;
    let scripts =
        islands.then(|| view! { <HydrationScripts options=options.clone() islands=true /> });
    view! {
        <!DOCTYPE html>
        <html lang=lang.html_tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <leptos_meta::HashedStylesheet options=options.clone() id="leptos" />
                {scripts}
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased">
                <App />
            </body>
        </html>
    }
}

/// The application: routes inside the common layout.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = provide_lang();

    view! {
        <Title text=t(lang, Msg::SiteName) />
        <Meta name="description" content=t(lang, Msg::SiteDescription) />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Router>
            <Layout>
                <ErrorBoundary fallback=move |_errors| {
                    view! {
                        <section role="alert" class="space-y-2">
                            <h1 class="text-2xl font-bold">{t(lang, Msg::ErrorHeading)}</h1>
                            <p>{t(lang, Msg::ErrorBody)}</p>
                        </section>
                    }
                }>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=HomePage />
                        <Route path=path!("/check") view=CheckPage />
                        <Route path=path!("/check/result") view=CheckResultPage />
                        <Route path=path!("/check/verify") view=VerifyPage />
                        <Route path=path!("/login") view=LoginPage />
                        <Route path=path!("/register") view=RegisterPage />
                        <Route path=path!("/privacy") view=PrivacyPage />
                        <Route path=path!("/reset/:token") view=ResetPage />
                        <Route path=path!("/account/password") view=PasswordPage />
                        <Route path=path!("/apply") view=ApplyPage />
                        <Route path=path!("/dossiers") view=MyDossiersPage />
                        <Route path=path!("/dossiers/:id") view=DossierPage />
                        <Route path=path!("/review") view=ReviewPage />
                        <Route path=path!("/admin/accounts") view=AccountsPage />
                        <Route path=path!("/sessions") view=SessionsPage />
                        <Route path=path!("/sessions/:id") view=SessionPage />
                        <Route path=path!("/sessions/:id/record") view=RecordPage />
                        <Route path=path!("/publicity") view=PublicityPage />
                        <Route path=path!("/certificates/:code") view=VerifyCertificatePage />
                        <Route path=path!("/dossiers/:id/certificate") view=CertificatePage />
                        <Route path=path!("/publicity/:dossier") view=ObjectionPage />
                        <Route path=path!("/admin/results") view=ConfirmPage />
                        <Route path=path!("/admin/calendar") view=CalendarPage />
                        <Route path=path!("/admin/certificates") view=AdminCertificatesPage />
                        <Route path=path!("/admin/certificates/:id") view=AdminCertificatePage />
                        <Route path=path!("/expert") view=WorkspacePage />
                        <Route path=path!("/expert/sessions/:session/dossiers/:dossier") view=ReviewDossierPage />
                        <Route path=path!("/expert/sessions/:session/result") view=SignPage />
                        <Route path=path!("/admin/committees") view=CommitteesPage />
                        <Route path=path!("/committees/:code") view=CommitteePage />
                    </Routes>
                </ErrorBoundary>
            </Layout>
        </Router>
    }
}

#[cfg(test)]
mod tests {
    use super::page_has_islands;

    #[test]
    fn only_pages_with_islands_load_the_wasm() {
        for path in ["/check", "/check/result", "/dossiers/12"] {
            assert!(page_has_islands(path), "{path}");
        }
        for path in [
            "/",
            "/check/verify",
            "/login",
            "/dossiers",
            "/dossiers/",
            "/dossiers/12/receipt",
            "/review",
            "/admin/accounts",
            "/apply",
        ] {
            assert!(!page_has_islands(path), "{path}");
        }
    }
}
