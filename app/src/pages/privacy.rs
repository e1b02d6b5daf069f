//! `/privacy`: the privacy notice (个人信息保护告知, 个人信息保护法 Art. 17 and 30) that people
//! agree to when they register and confirm again when they submit a dossier. Its version is
//! recorded with each consent.

use leptos::prelude::*;

use crate::components::layout::PageTitle;
use crate::i18n::use_lang;
use crate::portal::P;

/// The version of the notice, recorded with every consent given to it.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-12-02";

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let lang = use_lang();
    let section = |id: &'static str, heading: P, items: &[P]| {
        let items = items
            .iter()
            .map(|p| view! { <li>{p.text(lang)}</li> })
            .collect_view();
        view! {
            <section aria-labelledby=id class="space-y-2">
                <h2 id=id class="text-xl font-bold">{heading.text(lang)}</h2>
                <ul class="list-disc space-y-1 pl-5">{items}</ul>
            </section>
        }
    };
    view! {
        <article class="mx-auto max-w-3xl space-y-6">
            <PageTitle name=P::PrivacyHeading.text(lang) errors=false />
            <h1 class="text-2xl font-bold">{P::PrivacyHeading.text(lang)}</h1>
            <p>{P::PrivacyLead.text(lang)}</p>
            <p class="hint" id="privacy-version">
                {P::PrivacyVersion.text(lang).replace("{version}", PRIVACY_NOTICE_VERSION)}
            </p>
            {section("privacy-what", P::PrivacyWhatHeading, &[P::PrivacyWhat1, P::PrivacyWhat2, P::PrivacyWhat3])}
            {section("privacy-sensitive", P::PrivacySensitiveHeading, &[P::PrivacySensitive1, P::PrivacySensitive2])}
            {section("privacy-who", P::PrivacyWhoHeading, &[P::PrivacyWho1, P::PrivacyWho2, P::PrivacyWho3])}
            {section("privacy-rights", P::PrivacyRightsHeading, &[P::PrivacyRights1, P::PrivacyRights2, P::PrivacyRights3])}
        </article>
    }
}
