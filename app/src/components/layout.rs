//! The page frame: skip link, header with navigation and language switch, main, footer.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use crate::i18n::{t, use_lang, Lang, Msg};
use crate::portal::{use_viewer, P};

/// Wraps every page in the common header and footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let lang = use_lang();
    view! {
        <a
            href="#main"
            class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-4 focus:py-2 focus:text-blue-900 focus:shadow"
        >
            {t(lang, Msg::SkipToContent)}
        </a>
        <header class="border-b border-slate-200 bg-white">
            <div class="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
                <a href="/" class="flex flex-col leading-tight text-blue-900 no-underline">
                    <span class="text-xl font-bold">{t(lang, Msg::SiteName)}</span>
                    <span class="text-xs text-slate-600">{t(lang, Msg::SiteTagline)}</span>
                </a>
                <nav aria-label=t(lang, Msg::NavMain) class="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
                    <a href="/" class="nav-link">
                        {t(lang, Msg::NavHome)}
                    </a>
                    <a href="/check" rel="external" class="nav-link">
                        {t(lang, Msg::NavCheck)}
                    </a>
                    <AccountLinks />
                    <LanguageSwitch />
                </nav>
            </div>
        </header>
        <main id="main" tabindex="-1" class="mx-auto max-w-5xl px-4 py-8 focus:outline-none">
            <crate::pages::calendar::CalendarWarning />
            {children()}
        </main>
        <footer class="mt-12 border-t border-slate-200 bg-white">
            <div class="mx-auto max-w-5xl space-y-1 px-4 py-6 text-sm text-slate-600">
                <p>{t(lang, Msg::FooterPolicy)}</p>
                <p>{t(lang, Msg::FooterDisclaimer)}</p>
            </div>
        </footer>
    }
}

/// A page's `<title>`: the page's own name, then the site's; "错误：" / "Error: " first when the
/// page shows errors (GOV.UK), so a screen reader hears at once that a submit failed.
pub fn page_title(lang: Lang, name: &str, errors: bool) -> String {
    let prefix = if errors {
        t(lang, Msg::ErrorPrefix)
    } else {
        ""
    };
    format!("{prefix}{name}{}", t(lang, Msg::TitleSuffix))
}

/// Sets the page's `<title>` (see [`page_title`]); the last one rendered wins over the site's
/// name, which the app sets for pages that name themselves nothing.
#[component]
pub fn PageTitle(#[prop(into)] name: String, #[prop(optional)] errors: bool) -> impl IntoView {
    let lang = use_lang();
    view! { <Title text=page_title(lang, &name, errors) /> }
}

/// The signed-in account's places and the sign-out button, or the sign-in link.
#[component]
fn AccountLinks() -> impl IntoView {
    let lang = use_lang();
    match use_viewer() {
        None => view! {
            <a href="/login" class="nav-link" id="nav-login">{P::NavLogin.text(lang)}</a>
        }
        .into_any(),
        Some(viewer) => {
            let review = viewer.reviews().then(|| {
                view! { <a href="/review" class="nav-link" id="nav-review">{P::NavReview.text(lang)}</a> }
            });
            let admin = viewer.has("provincial_admin").then(|| {
                view! { <a href="/admin/accounts" class="nav-link">{P::NavAdmin.text(lang)}</a> }
            });
            let sessions = viewer.has("committee_office").then(|| {
                view! { <a href="/sessions" class="nav-link" id="nav-sessions">{P::NavSessions.text(lang)}</a> }
            });
            let workspace = viewer.has("expert").then(|| {
                view! { <a href="/expert" class="nav-link" id="nav-expert">{P::NavWorkspace.text(lang)}</a> }
            });
            let committees = viewer.has("provincial_admin").then(|| {
                view! {
                    <a href="/admin/committees" class="nav-link" id="nav-committees">{P::NavCommittees.text(lang)}</a>
                    <a href="/admin/results" class="nav-link" id="nav-results">{P::NavResults.text(lang)}</a>
                    <a href="/admin/calendar" class="nav-link" id="nav-calendar">{P::NavCalendar.text(lang)}</a>
                }
            });
            // Each committee office's own pool (the grant's scope is in the viewer's roles
            // only as a code, so the link goes to the first committee the server names).
            let pool = viewer.committee.clone().map(|code| {
                view! { <a href=format!("/committees/{code}") class="nav-link" id="nav-committee">{P::NavCommittee.text(lang)}</a> }
            });
            let mine = viewer.has("applicant").then(|| {
                view! { <a href="/dossiers" class="nav-link" id="nav-dossiers">{P::NavMyDossiers.text(lang)}</a> }
            });
            view! {
                {mine}
                {review}
                {sessions}
                {workspace}
                {pool}
                {admin}
                {committees}
                <a href="/account/password" class="nav-link" id="nav-password">{P::NavPassword.text(lang)}</a>
                <form method="post" action="/logout" class="inline">
                    <button
                        type="submit"
                        class="nav-link"
                        id="logout"
                        aria-label=format!("{} ({}{})", P::NavLogout.text(lang), P::SignedInAs.text(lang), viewer.display_name)
                    >
                        {P::NavLogout.text(lang)}
                    </button>
                </form>
            }
            .into_any()
        }
    }
}

/// A plain link to `/lang/{code}`, so switching works without JavaScript; `rel="external"`
/// keeps the client router from intercepting it.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let href = move || {
        let back = back_path(&location.pathname.get(), &location.search.get());
        format!(
            "/lang/{}?back={}",
            lang.other().code(),
            encode_component(&back)
        )
    };
    view! {
        <a
            href=href
            rel="external"
            hreflang=lang.other().html_tag()
            lang=lang.other().html_tag()
            aria-label=t(lang, Msg::SwitchLanguageLabel)
            class="rounded border border-slate-300 px-2 py-1 text-slate-700 hover:bg-slate-100"
        >
            {t(lang, Msg::SwitchLanguage)}
        </a>
    }
}

/// The page to come back to: the path and its query. The router's `search` may come with or
/// without its `?` (without, on the server), so it is put back here.
pub fn back_path(path: &str, search: &str) -> String {
    let query = search.trim_start_matches('?');
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// Percent-encodes a URL component (RFC 3986 unreserved characters pass through).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{back_path, encode_component, page_title};
    use crate::i18n::Lang;

    #[test]
    fn a_page_title_names_the_page_and_says_when_it_shows_errors() {
        assert_eq!(
            page_title(Lang::Zh, "核对您的回答", false),
            "核对您的回答 - 贯通"
        );
        assert_eq!(
            page_title(Lang::Zh, "您的工作年限", true),
            "错误：您的工作年限 - 贯通"
        );
        assert_eq!(
            page_title(Lang::En, "Your years of work", true),
            "Error: Your years of work - Guantong"
        );
    }

    #[test]
    fn the_way_back_keeps_the_query() {
        assert_eq!(
            back_path("/check", "step=3&region=53"),
            "/check?step=3&region=53"
        );
        assert_eq!(back_path("/check", "?step=3"), "/check?step=3");
        assert_eq!(back_path("/review", ""), "/review");
    }

    #[test]
    fn path_and_query_are_encoded_for_the_back_parameter() {
        assert_eq!(
            encode_component("/check?step=2&x=中"),
            "%2Fcheck%3Fstep%3D2%26x%3D%E4%B8%AD"
        );
    }
}
