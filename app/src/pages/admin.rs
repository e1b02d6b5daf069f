//! `/admin/accounts`: a provincial administrator finds an account and issues a one-time
//! password reset link, shown once on this page (no mail server is needed).

use leptos::prelude::*;

use crate::components::layout::PageTitle;
use crate::i18n::{use_lang, Lang};
use crate::portal::{page_data, AccountsData, P};

/// `/admin/accounts`
#[component]
pub fn AccountsPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<AccountsData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let issued = data.issued.clone().map(|(user, path)| {
        view! {
            <div class="notice notice-ok space-y-1" role="status" id="reset-link">
                <p class="font-semibold">{P::ResetIssued.text(lang).replace("{user}", &user)}</p>
                <p class="break-all"><code>{path}</code></p>
                <p class="text-sm">{P::ResetIssuedHint.text(lang)}</p>
            </div>
        }
    });
    let refused = data.refused.map(|why| {
        view! { <p class="notice notice-warn" role="alert" id="reset-refused">{why.text(lang)}</p> }
    });
    let rows = data
        .rows
        .iter()
        .map(|(id, username, name, roles, may_reset)| {
            let action = if *may_reset {
                view! {
                    <form method="post" action=format!("/admin/accounts/{id}/reset")>
                        <button type="submit" class="button-secondary" aria-label=format!("{} {username}", P::IssueReset.text(lang))>
                            {P::IssueReset.text(lang)}
                        </button>
                    </form>
                }
                .into_any()
            } else {
                view! { <span class="text-slate-600">{P::ResetNotHere.text(lang)}</span> }.into_any()
            };
            view! {
                <tr class="border-t border-slate-200">
                    <td class="p-2">{username.clone()}</td>
                    <td class="p-2">{name.clone()}</td>
                    <td class="p-2">{role_names(lang, roles)}</td>
                    <td class="p-2">{action}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="space-y-6">
            <PageTitle name=P::AccountsHeading.text(lang) />
            <h1 class="text-2xl font-bold">{P::AccountsHeading.text(lang)}</h1>
            <p id="accounts-scope" class="text-sm">{P::AccountsScope.text(lang)}</p>
            {refused}
            {issued}
            <form method="get" action="/admin/accounts" class="flex flex-wrap items-end gap-4" role="search">
                <div class="field">
                    <label for="q" class="label">{P::Username.text(lang)}</label>
                    <input type="search" id="q" name="q" value=data.search.clone() class="input" />
                </div>
                <button type="submit" class="button-primary">{P::Filter.text(lang)}</button>
            </form>
            <div class="overflow-x-auto">
                <table class="w-full text-left text-sm">
                    <thead>
                        <tr>
                            <th scope="col" class="p-2">{P::Username.text(lang)}</th>
                            <th scope="col" class="p-2">{P::DisplayName.text(lang)}</th>
                            <th scope="col" class="p-2">{P::Roles.text(lang)}</th>
                            <th scope="col" class="p-2">{P::Actions.text(lang)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
    .into_any()
}

/// A grant's role by its name in the page's language (a code the portal does not know shows as
/// it is stored).
fn role_name(lang: Lang, code: &str) -> String {
    let text = match code {
        "applicant" => P::RoleApplicant,
        "employer_hr" => P::RoleEmployerHr,
        "committee_office" => P::RoleCommitteeOffice,
        "expert" => P::RoleExpert,
        "provincial_admin" => P::RoleProvincialAdmin,
        "industry_authority" => P::RoleIndustryAuthority,
        other => return other.to_owned(),
    };
    text.text(lang).to_owned()
}

fn role_names(lang: Lang, codes: &[String]) -> String {
    let sep = crate::i18n::t(lang, crate::i18n::Msg::ListSep);
    codes
        .iter()
        .map(|c| role_name(lang, c))
        .collect::<Vec<_>>()
        .join(sep)
}
