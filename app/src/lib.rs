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
    account::{LoginPage, RegisterPage, ResetPage},
    admin::AccountsPage,
    check::CheckPage,
    check_result::{CheckResultPage, VerifyPage},
    dossiers::{ApplyPage, DossierPage, MyDossiersPage},
    home::HomePage,
    not_found::NotFound,
    review::ReviewPage,
};

/// The HTML document around the application, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    csp::provide_page_policy();
    let lang = Lang::from_request();
    view! {
        <!DOCTYPE html>
        <html lang=lang.html_tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <leptos_meta::HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options islands=true />
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
                        <Route path=path!("/reset/:token") view=ResetPage />
                        <Route path=path!("/apply") view=ApplyPage />
                        <Route path=path!("/dossiers") view=MyDossiersPage />
                        <Route path=path!("/dossiers/:id") view=DossierPage />
                        <Route path=path!("/review") view=ReviewPage />
                        <Route path=path!("/admin/accounts") view=AccountsPage />
                    </Routes>
                </ErrorBoundary>
            </Layout>
        </Router>
    }
}
