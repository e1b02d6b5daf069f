//! The home page: what Guantong does, and the way into the self-check.

use leptos::prelude::*;

use crate::i18n::{t, use_lang, Msg};

/// `/`
#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let card = move |title: Msg, body: Msg| {
        view! {
            <section class="rounded-lg border border-slate-200 bg-white p-5">
                <h2 class="mb-2 text-lg font-semibold text-blue-900">{t(lang, title)}</h2>
                <p class="text-slate-700">{t(lang, body)}</p>
            </section>
        }
    };
    view! {
        <div class="space-y-8">
            <section class="space-y-4">
                <h1 class="text-3xl font-bold leading-tight text-slate-900">
                    {t(lang, Msg::HomeHeading)}
                </h1>
                <p class="max-w-3xl text-lg text-slate-700">{t(lang, Msg::HomeLead)}</p>
                <a href="/check" class="button-primary">
                    {t(lang, Msg::HomeStartCheck)}
                </a>
            </section>
            <div class="grid gap-4 md:grid-cols-3">
                {card(Msg::HomeSkillToTitleTitle, Msg::HomeSkillToTitleBody)}
                {card(Msg::HomeTitleToSkillTitle, Msg::HomeTitleToSkillBody)}
                {card(Msg::HomeGreenTitle, Msg::HomeGreenBody)}
            </div>
        </div>
    }
}
