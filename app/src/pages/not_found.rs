//! The 404 page, with the right status code on the server.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{t, use_lang, Msg};

/// Shown for every path no route matches.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let lang = use_lang();
    view! {
        <Title text=t(lang, Msg::NotFoundHeading) />
        <section class="space-y-4">
            <h1 class="text-2xl font-bold">{t(lang, Msg::NotFoundHeading)}</h1>
            <p>{t(lang, Msg::NotFoundBody)}</p>
            <a href="/" class="link">
                {t(lang, Msg::BackHome)}
            </a>
        </section>
    }
}
