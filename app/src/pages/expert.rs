//! `/expert` and `/expert/sessions/{session}/dossiers/{dossier}`: the expert's workspace. The
//! dossiers of the groups they were drawn into; one dossier to read and score per evaluation
//! method of its route, with a written opinion; and a way to step out of a review.

use leptos::prelude::*;

use crate::components::form::{
    error_summary, input, notice, problem_for, select, textarea, FieldSpec,
};
use crate::components::layout::PageTitle;
use crate::components::table::data_table;
use crate::i18n::use_lang;
use crate::pages::sessions::ground_options;
use crate::portal::sessions::{ReviewDossierData, WorkspaceData};
use crate::portal::{page_data, P};

/// `/expert`
#[component]
pub fn WorkspacePage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<WorkspaceData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let body = if data.seats.is_empty() {
        view! { <p id="no-seats">{P::WorkspaceNone.text(lang)}</p> }.into_any()
    } else {
        let rows = data
            .seats
            .iter()
            .map(|s| {
                let href = format!("/expert/sessions/{}/dossiers/{}", s.session_id, s.dossier_id);
                view! {
                    <tr class="border-t border-slate-200" data-dossier=s.dossier_id.to_string()>
                        <td class="p-2" data-label=P::SessionName.text(lang)>{format!("{} ({})", s.session, s.sits_on)}</td>
                        <td class="p-2" data-label=P::Applicants.text(lang)>{s.applicant.clone()}</td>
                        <td class="p-2">{s.target.get(lang).to_owned()}</td>
                        <td class="p-2">{if s.assessed { P::Assessed.text(lang) } else { P::NotAssessed.text(lang) }}</td>
                        <td class="p-2">
                            <a class="link" href=href aria-label=format!("{} {}", P::OpenToReview.text(lang), s.applicant)>
                                {P::OpenToReview.text(lang)}
                            </a>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let heads = [
            P::SessionName,
            P::Applicants,
            P::TargetHeading,
            P::State,
            P::Actions,
        ];
        data_table(lang, "seats", &heads, rows.into_any())
    };
    let to_sign = (!data.to_sign.is_empty()).then(|| {
        let items = data
            .to_sign
            .iter()
            .map(|(id, name, day)| {
                view! {
                    <li>
                        {format!("{name} ({day}) · ")}
                        <a class="link" href=format!("/expert/sessions/{id}/result")>{P::ToSignOpen.text(lang)}</a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="to-sign-heading" class="space-y-2" id="to-sign">
                <h2 id="to-sign-heading" class="text-xl font-semibold">{P::ToSignHeading.text(lang)}</h2>
                <ul class="list-disc pl-6">{items}</ul>
            </section>
        }
    });
    view! {
        <PageTitle name=P::WorkspaceHeading.text(lang) />
        <div class="space-y-6">
            <h1 class="text-2xl font-bold">{P::WorkspaceHeading.text(lang)}</h1>
            {notice(lang, data.notice.clone())}
            <p class="text-sm">{P::WorkspaceHint.text(lang)}</p>
            {to_sign}
            {body}
        </div>
    }
    .into_any()
}

/// `/expert/sessions/{session}/dossiers/{dossier}`
#[component]
pub fn ReviewDossierPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<ReviewDossierData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let problems = data.problems.clone();
    let action = format!(
        "/expert/sessions/{}/dossiers/{}",
        data.session_id, data.dossier_id
    );
    let hint = P::ScoreHint
        .text(lang)
        .replace("{max}", &data.max_score.to_string());
    let fields: Vec<String> = data
        .methods
        .iter()
        .map(|(code, _, _)| format!("score_{code}"))
        .collect();
    let scores = data
        .methods
        .iter()
        .zip(&fields)
        .map(|((_, name, value), field)| {
            let spec = FieldSpec {
                name: field.as_str(),
                label: name.get(lang).to_owned(),
                value: value.clone(),
                hint: Some(hint.clone()),
                problem: problem_for(lang, &problems, field),
            };
            input(spec, "number", "off")
        })
        .collect_view();
    let achievements = data
        .achievements
        .iter()
        .map(|(kind, title, date, role, description)| {
            view! {
                <li class="space-y-1">
                    <p class="font-semibold">{format!("{} · {title}", kind.get(lang))}</p>
                    <p class="text-sm">{format!("{date} · {role}")}</p>
                    <p class="text-sm whitespace-pre-line">{description.clone()}</p>
                </li>
            }
        })
        .collect_view();
    let attachments = data
        .attachments
        .iter()
        .map(|(id, name)| {
            view! { <li><a class="link" href=format!("{action}/attachments/{id}")>{name.clone()}</a></li> }
        })
        .collect_view();
    let answers = data
        .answers
        .iter()
        .map(|(question, lines)| {
            let answer = if lines.len() > 1 {
                view! {
                    <ul class="summary-lines">
                        {lines.iter().map(|l| view! { <li>{l.get(lang).to_owned()}</li> }).collect_view()}
                    </ul>
                }
                .into_any()
            } else {
                lines.first().map(|l| l.get(lang).to_owned()).unwrap_or_default().into_any()
            };
            view! {
                <div class="summary-row">
                    <dt class="font-semibold">{question.get(lang).to_owned()}</dt>
                    <dd>{answer}</dd>
                </div>
            }
        })
        .collect_view();
    let answers_lead = (!data.submitted_on.is_empty())
        .then(|| view! { <p class="text-sm">{P::AnswersLead.text(lang).replace("{date}", &data.submitted_on)}</p> });
    let receipt = data.receipt.clone().map(|(version, hash)| {
        view! {
            <details>
                <summary>{P::Receipt.text(lang)}</summary>
                <p class="text-sm">{version}</p>
                <p class="text-sm break-all"><code>{hash}</code></p>
            </details>
        }
    });
    let opinion_spec = FieldSpec {
        name: "opinion",
        label: P::Opinion.text(lang).into(),
        value: data.opinion.clone(),
        hint: None,
        problem: problem_for(lang, &problems, "opinion"),
    };
    let reason_spec = FieldSpec {
        name: "recusal_reason",
        label: P::RecusalReason.text(lang).into(),
        value: String::new(),
        hint: None,
        problem: problem_for(lang, &problems, "recusal_reason"),
    };
    let ground_spec = FieldSpec {
        name: "ground",
        label: P::RecusalGround.text(lang).into(),
        value: String::new(),
        hint: None,
        problem: None,
    };
    view! {
        <PageTitle name=format!("{} · {}", P::ReviewHeading.text(lang), data.applicant) errors=!problems.is_empty() />
        <div class="space-y-6">
            <div>
                <p class="caption">{data.session.clone()}</p>
                <h1 class="text-2xl font-bold">{format!("{} · {}", P::ReviewHeading.text(lang), data.applicant)}</h1>
                <p>{format!("{} · {}", data.org, data.target.get(lang))}</p>
                <p class="text-sm">{format!("{} · {}", data.occupation, data.current_post)}</p>
            </div>
            {notice(lang, data.notice.clone())}
            {error_summary(lang, &problems)}
            <section aria-labelledby="answers-heading" class="space-y-2" id="answers">
                <h2 id="answers-heading" class="text-xl font-semibold">{P::AnswersHeading.text(lang)}</h2>
                {answers_lead}
                <dl class="summary-list">{answers}</dl>
            </section>
            <section aria-labelledby="achievements-heading" class="space-y-2">
                <h2 id="achievements-heading" class="text-xl font-semibold">{P::Achievements.text(lang)}</h2>
                <ul class="space-y-3">{achievements}</ul>
                <h3 class="font-semibold">{P::Attachments.text(lang)}</h3>
                <ul class="list-disc pl-6">{attachments}</ul>
                {receipt}
            </section>
            <section aria-labelledby="scores-heading" class="space-y-3">
                <h2 id="scores-heading" class="text-xl font-semibold">{P::ScoresHeading.text(lang)}</h2>
                <form method="post" action=action.clone() class="space-y-4" novalidate>
                    {scores}
                    {textarea(opinion_spec, 5)}
                    <button type="submit" class="button-primary">{P::SaveAssessment.text(lang)}</button>
                </form>
            </section>
            {crate::pages::ballot::vote_section(lang, &action, &data.turn, &problems)}
            <section aria-labelledby="step-out-heading" class="space-y-3">
                <h2 id="step-out-heading" class="text-xl font-semibold">{P::RecuseMyself.text(lang)}</h2>
                <p class="text-sm">{P::RecuseMyselfHint.text(lang)}</p>
                <form method="post" action=format!("{action}/recusal") class="space-y-4" novalidate>
                    {select(ground_spec, ground_options(lang, true), P::Choose.text(lang).to_owned())}
                    {textarea(reason_spec, 2)}
                    <button type="submit" class="button-secondary">{P::RecuseMyself.text(lang)}</button>
                </form>
            </section>
        </div>
    }
    .into_any()
}
