//! After the chair's signature: the public list of results in publicity (`/publicity`) and the
//! objection form (`/publicity/{dossier}`), open to anyone; the office's part of a session's page
//! (publicise, objections and their outcomes, held results); and the administrator's
//! confirmation (`/admin/results`). Plain forms; every problem named beside its field.

use leptos::prelude::*;

use crate::components::form::{error_summary, notice, problem_for, select, textarea, FieldSpec};
use crate::components::layout::PageTitle;
use crate::components::table::data_table;
use crate::i18n::{use_lang, Lang};
use crate::pages::sessions::spec;
use crate::portal::results::{
    ConfirmData, ObjectionData, ObjectionRow, PublicityData, PublicityRow, ResultsSection,
};
use crate::portal::{page_data, FieldProblem, P};

fn until(lang: Lang, day: &str) -> String {
    P::PublicityUntil.text(lang).replace("{date}", day)
}

/// `/publicity`
#[component]
pub fn PublicityPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<PublicityData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let body = if data.rows.is_empty() {
        view! { <p id="publicity-none">{P::PublicityNone.text(lang)}</p> }.into_any()
    } else {
        let rows = data
            .rows
            .iter()
            .map(|r: &PublicityRow| {
                view! {
                    <tr class="border-t border-slate-200" data-dossier=r.dossier_id.to_string()>
                        <td class="p-2" data-label=P::PublicityName.text(lang)>{r.name.clone()}</td>
                        <td class="p-2" data-label=P::Unit.text(lang)>{r.org.clone()}</td>
                        <td class="p-2" data-label=P::PublicityTitle.text(lang)>{r.title.get(lang).to_owned()}</td>
                        <td class="p-2" data-label=P::SessionName.text(lang)>{format!("{} · {}", r.committee, r.session)}</td>
                        <td class="p-2">{until(lang, &r.ends_on)}</td>
                        <td class="p-2">
                            <a class="link" href=format!("/publicity/{}", r.dossier_id) aria-label=format!("{} {}", P::ObjectLink.text(lang), r.name)>
                                {P::ObjectLink.text(lang)}
                            </a>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let heads = [
            P::PublicityName,
            P::Unit,
            P::PublicityTitle,
            P::SessionName,
            P::State,
            P::Actions,
        ];
        data_table(lang, "publicity", &heads, rows.into_any())
    };
    view! {
        <PageTitle name=P::PublicityHeading.text(lang) />
        <div class="space-y-6">
            <h1 class="text-2xl font-bold">{P::PublicityHeading.text(lang)}</h1>
            {notice(lang, data.notice.clone())}
            <p class="text-sm">{P::PublicityLead.text(lang)}</p>
            {body}
        </div>
    }
    .into_any()
}

/// `/publicity/{dossier}`
#[component]
pub fn ObjectionPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<ObjectionData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let problems = data.problems.clone();
    let r = &data.row;
    view! {
        <PageTitle name=P::ObjectionHeading.text(lang) errors=!problems.is_empty() />
        <div class="space-y-6">
            <div>
                <p class="caption">{format!("{} · {}", r.committee, r.session)}</p>
                <h1 class="text-2xl font-bold">{P::ObjectionHeading.text(lang)}</h1>
                <p>{format!("{} · {} · {}", r.name, r.org, r.title.get(lang))}</p>
                <p class="text-sm">{until(lang, &r.ends_on)}</p>
            </div>
            {error_summary(lang, &problems)}
            <form method="post" action=format!("/publicity/{}", r.dossier_id) class="space-y-4" novalidate>
                {textarea(spec(lang, &problems, "reason", P::ObjectionReason, &data.reason, Some(P::ObjectionReasonHint)), 5)}
                {textarea(spec(lang, &problems, "contact", P::ObjectionContact, &data.contact, Some(P::ObjectionContactHint)), 2)}
                <button type="submit" class="button-primary">{P::ObjectionSubmit.text(lang)}</button>
            </form>
        </div>
    }
    .into_any()
}

fn status_name(lang: Lang, status: &str) -> &'static str {
    match status {
        "dismissed" => P::ObjectionDismiss.text(lang),
        "suspended" => P::ObjectionSuspend.text(lang),
        "revoked" => P::ObjectionRevoke.text(lang),
        _ => P::ObjectionOpen.text(lang),
    }
}

fn objection(lang: Lang, session_id: i64, o: &ObjectionRow, problems: &[FieldProblem]) -> AnyView {
    let decide = (o.status == "open").then(|| {
        let finding = format!("finding-{}", o.id);
        let outcome = format!("outcome-{}", o.id);
        let options = vec![
            ("dismissed".to_owned(), P::ObjectionDismiss.text(lang).to_owned()),
            ("suspended".to_owned(), P::ObjectionSuspend.text(lang).to_owned()),
            ("revoked".to_owned(), P::ObjectionRevoke.text(lang).to_owned()),
        ];
        let choose = P::Choose.text(lang).to_owned();
        view! {
            <form method="post" action=format!("/sessions/{session_id}/objections/{}", o.id) class="space-y-3" novalidate>
                {textarea(FieldSpec {
                    name: &finding,
                    label: P::ObjectionFinding.text(lang).into(),
                    value: String::new(),
                    hint: None,
                    problem: problem_for(lang, problems, &finding),
                }, 3)}
                {select(FieldSpec {
                    name: &outcome,
                    label: P::ObjectionOutcome.text(lang).into(),
                    value: String::new(),
                    hint: None,
                    problem: problem_for(lang, problems, &outcome),
                }, options, choose)}
                <button type="submit" class="button-secondary">{P::ObjectionDecide.text(lang)}</button>
            </form>
        }
    });
    view! {
        <li class="space-y-1" data-objection=o.id.to_string() data-status=o.status.clone()>
            <p class="font-semibold">{format!("{} · {} · {}", o.applicant, o.lodged_on, status_name(lang, &o.status))}</p>
            <p class="text-sm">{format!("{}{}{}", P::ObjectionReason.text(lang), crate::portal::colon(lang), o.reason)}</p>
            <p class="text-sm">{format!("{}{}{}", P::ObjectionContact.text(lang), crate::portal::colon(lang), o.contact)}</p>
            {(!o.finding.is_empty()).then(|| view! { <p class="text-sm">{format!("{}{}{}", P::ObjectionFinding.text(lang), crate::portal::colon(lang), o.finding)}</p> })}
            {decide}
        </li>
    }
    .into_any()
}

/// The office's part of a session once its count is signed.
pub fn results_section(
    lang: Lang,
    session_id: i64,
    r: &ResultsSection,
    problems: &[FieldProblem],
) -> Option<AnyView> {
    if !r.sealed {
        return None;
    }
    let hint = P::ResultsPublicityHint
        .text(lang)
        .replace("{days}", &r.days.to_string());
    let start = (r.to_publicise > 0).then(|| {
        view! {
            <form method="post" action=format!("/sessions/{session_id}/results/publicity")>
                <button type="submit" class="button-primary" id="results-publicity">{P::ResultsPublicityButton.text(lang)}</button>
            </form>
        }
    });
    let objections = if r.objections.is_empty() {
        view! { <p>{P::ObjectionsNone.text(lang)}</p> }.into_any()
    } else {
        view! {
            <ul class="space-y-4" id="objections">
                {r.objections.iter().map(|o| objection(lang, session_id, o, problems)).collect_view()}
            </ul>
        }
        .into_any()
    };
    let held = r
        .held
        .iter()
        .map(|(id, name)| {
            view! {
                <li>
                    <form method="post" action=format!("/sessions/{session_id}/results/{id}/reinstate") class="flex items-center gap-2">
                        <span>{format!("{name} · {}", P::StateResultSuspended.text(lang))}</span>
                        <button type="submit" class="button-secondary">{P::ReinstateButton.text(lang)}</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let appeals = r
        .appeals
        .iter()
        .map(|(id, name, reason, on)| {
            let finding = format!("appeal-finding-{id}");
            let uphold = format!("appeal-uphold-{id}");
            let options = vec![
                ("yes".to_owned(), P::AppealUphold.text(lang).to_owned()),
                ("no".to_owned(), P::AppealDismiss.text(lang).to_owned()),
            ];
            view! {
                <li class="space-y-1" data-appeal=id.to_string()>
                    <p class="font-semibold">{format!("{name} · {on}")}</p>
                    <p class="text-sm">{format!("{}{}{reason}", P::AppealReason.text(lang), crate::portal::colon(lang))}</p>
                    <form method="post" action=format!("/sessions/{session_id}/appeals/{id}") class="space-y-3" novalidate>
                        {textarea(FieldSpec {
                            name: &finding,
                            label: P::AppealFinding.text(lang).into(),
                            value: String::new(),
                            hint: None,
                            problem: problem_for(lang, problems, &finding),
                        }, 3)}
                        {select(FieldSpec {
                            name: &uphold,
                            label: P::ObjectionOutcome.text(lang).into(),
                            value: String::new(),
                            hint: None,
                            problem: problem_for(lang, problems, &uphold),
                        }, options, P::Choose.text(lang).to_owned())}
                        <button type="submit" class="button-secondary">{P::ObjectionDecide.text(lang)}</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let appeals = (!r.appeals.is_empty()).then(|| {
        view! {
            <h3 class="font-semibold">{P::AppealsHeading.text(lang)}</h3>
            <ul class="space-y-4" id="appeals">{appeals}</ul>
        }
    });
    Some(
        view! {
            <section aria-labelledby="results-heading" class="space-y-3" id="results-publicity-section">
                <h2 id="results-heading" class="text-xl font-semibold">{P::PublicityHeading.text(lang)}</h2>
                <p class="text-sm">{hint}</p>
                {start}
                <h3 class="font-semibold">{P::ObjectionsHeading.text(lang)}</h3>
                {objections}
                {(!r.held.is_empty()).then(|| view! { <ul class="list-disc pl-6" id="held">{held}</ul> })}
                {appeals}
            </section>
        }
        .into_any(),
    )
}

/// `/admin/results`
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<ConfirmData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let waiting = (!data.waiting.is_empty()).then(|| {
        view! {
            <ul class="list-disc pl-6" id="waiting">
                {data.waiting.iter().map(|w| view! { <li>{w.get(lang).to_owned()}</li> }).collect_view()}
            </ul>
        }
    });
    let body = if data.sessions.is_empty() {
        view! { <p id="confirm-none">{P::ConfirmNone.text(lang)}</p> }.into_any()
    } else {
        data.sessions
            .iter()
            .map(|s| {
                let line = P::ConfirmLine
                    .text(lang)
                    .replace("{publicity}", &s.publicity.to_string())
                    .replace("{held}", &s.held.to_string());
                let button = if s.self_review { P::FileResultsButton } else { P::ConfirmButton };
                view! {
                    <section class="space-y-2 border-t border-slate-200 pt-3" data-session=s.session_id.to_string()>
                        <h2 class="text-lg font-semibold">{format!("{} · {}", s.committee, s.session)}</h2>
                        <p class="text-sm">{line}</p>
                        <form method="post" action=format!("/admin/results/{}/confirm", s.session_id)>
                            <button type="submit" class="button-primary">{button.text(lang)}</button>
                        </form>
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <PageTitle name=P::ConfirmHeading.text(lang) />
        <div class="space-y-6">
            <h1 class="text-2xl font-bold">{P::ConfirmHeading.text(lang)}</h1>
            {notice(lang, data.notice.clone())}
            {waiting}
            <p class="text-sm">{P::ConfirmLead.text(lang)}</p>
            {body}
            <p class="border-t border-slate-200 pt-3"><a class="link" href="/admin/certificates" id="certificates-link">{P::CertificatesLink.text(lang)}</a></p>
        </div>
    }
    .into_any()
}
