//! `/sessions/{id}/record`: the meeting record (会议记录, 40号令 Art. 23) of a closed session,
//! printable on A4 (the site's print styles), for the committee office and the provincial
//! administrator: the experts drawn and who attended, each applicant with the recusals, the
//! written opinions and the count, and the chair's signature with the result's hash.

use leptos::prelude::*;

use crate::components::layout::PageTitle;
use crate::components::table::data_table;
use crate::i18n::{use_lang, Lang};
use crate::pages::ballot::{group_name, results_table};
use crate::portal::sessions::{RecordApplicantRow, RecordData};
use crate::portal::{page_data, P};

fn duty_name(lang: Lang, code: &str) -> &'static str {
    match code {
        "chair" => P::DutyChair.text(lang),
        "vice_chair" => P::DutyViceChair.text(lang),
        _ => P::DutyMember.text(lang),
    }
}

fn applicant(lang: Lang, a: &RecordApplicantRow) -> impl IntoView {
    let recused = if a.recused.is_empty() {
        P::RecordNoneRecused.text(lang).to_owned()
    } else {
        format!("{}{}", P::RecordRecused.text(lang), a.recused.join("、"))
    };
    let opinions = if a.opinions.is_empty() {
        view! { <p class="text-sm">{P::RecordNoOpinions.text(lang)}</p> }.into_any()
    } else {
        view! {
            <ol class="list-decimal pl-6 text-sm">
                {a.opinions.iter().map(|o| view! { <li>{o.clone()}</li> }).collect_view()}
            </ol>
        }
        .into_any()
    };
    let heading = format!("record-applicant-{}", a.count.dossier_id);
    let labelled_by = heading.clone();
    view! {
        <section aria-labelledby=labelled_by class="space-y-1 record-applicant" data-dossier=a.count.dossier_id.to_string()>
            <h3 id=heading class="font-semibold">
                {format!("{} · {} · {} · {}", a.count.applicant, a.org, a.target.get(lang), group_name(lang, &a.count.group))}
            </h3>
            <p class="text-sm">{recused}</p>
            <p class="text-sm font-semibold">{P::RecordOpinions.text(lang)}</p>
            {opinions}
        </section>
    }
}

/// `/sessions/{id}/record`
#[component]
pub fn RecordPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<RecordData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let members = data
        .members
        .iter()
        .map(|(name, unit, group, duty, high_skill, attended)| {
            view! {
                <tr class="border-t border-slate-200">
                    <td class="p-2">{name.clone()}</td>
                    <td class="p-2">{unit.clone()}</td>
                    <td class="p-2">{group_name(lang, group)}</td>
                    <td class="p-2">
                        {duty_name(lang, duty)}
                        {high_skill.then(|| format!(" · {}", P::RecordHighSkill.text(lang)))}
                    </td>
                    <td class="p-2">{if *attended { P::RecordAttended.text(lang) } else { P::RecordAbsent.text(lang) }}</td>
                </tr>
            }
        })
        .collect_view();
    let heads = [P::Expert, P::Unit, P::ResultGroup, P::ExpertDuty, P::State];
    let counts: Vec<_> = data.applicants.iter().map(|a| a.count.clone()).collect();
    let status = if data.archived {
        P::RecordArchived
    } else {
        P::RecordDraft
    };
    let sealed = data.sealed.clone().map(|(by, at, hash)| {
        let text = P::SealedLine
            .text(lang)
            .replace("{by}", &by)
            .replace("{at}", &at)
            .replace("{hash}", &hash);
        view! { <p class="text-sm break-all" id="sealed">{text}</p> }
    });
    view! {
        <PageTitle name=format!("{} · {}", P::RecordHeading.text(lang), data.session) />
        <article class="space-y-6" id="record">
            <div>
                <p class="caption">{data.committee_name.clone()}</p>
                <h1 class="text-2xl font-bold">{format!("{} · {}", P::RecordHeading.text(lang), data.session)}</h1>
                <p>{P::SessionDay.text(lang)} {crate::portal::colon(lang)} {data.sits_on.clone()}</p>
                <p class="text-sm" id="record-status">{status.text(lang)}</p>
                <p class="text-sm no-print">{P::RecordPrintHint.text(lang)}</p>
            </div>
            <section aria-labelledby="record-members" class="space-y-2">
                <h2 id="record-members" class="text-xl font-semibold">{P::RecordMembers.text(lang)}</h2>
                {data_table(lang, "record-members-table", &heads, members.into_any())}
            </section>
            <section aria-labelledby="record-applicants" class="space-y-3">
                <h2 id="record-applicants" class="text-xl font-semibold">{P::RecordApplicants.text(lang)}</h2>
                {data.applicants.iter().map(|a| applicant(lang, a)).collect_view()}
                <h3 class="font-semibold">{P::ResultsHeading.text(lang)}</h3>
                {results_table(lang, &counts)}
                {sealed}
            </section>
        </article>
    }
    .into_any()
}
