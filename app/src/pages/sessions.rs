//! `/sessions` and `/sessions/{id}`: a committee office opens review sessions, draws each
//! group's experts with a witness, records and decides recusals, and follows the experts'
//! progress. Plain forms; every problem is named beside its field and in the summary.

use leptos::prelude::*;

use crate::components::form::{
    error_summary, input, notice, problem_for, select, textarea, FieldSpec,
};
use crate::components::layout::PageTitle;
use crate::components::table::data_table;
use crate::i18n::{use_lang, Lang};
use crate::portal::sessions::{GroupData, RecusalRow, SessionData, SessionsData};
use crate::portal::{page_data, FieldProblem, P};

/// A field's spec from its name, label, typed value, hint and the problems of the form.
pub(crate) fn spec<'a>(
    lang: Lang,
    problems: &[FieldProblem],
    name: &'a str,
    label: P,
    value: &str,
    hint: Option<P>,
) -> FieldSpec<'a> {
    FieldSpec {
        name,
        label: label.text(lang).into(),
        value: value.to_owned(),
        hint: hint.map(|h| h.text(lang).to_owned()),
        problem: problem_for(lang, problems, name),
    }
}

/// `/sessions`
#[component]
pub fn SessionsPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<SessionsData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let problems = data.problems.clone();
    let rows = data
        .sessions
        .iter()
        .map(|(id, name, day, applicants, drawn)| {
            view! {
                <tr class="border-t border-slate-200">
                    <td class="p-2"><a class="link" href=format!("/sessions/{id}")>{name.clone()}</a></td>
                    <td class="p-2">{day.clone()}</td>
                    <td class="p-2">{applicants.to_string()}</td>
                    <td class="p-2">{if *drawn { P::Drawn.text(lang) } else { P::NotDrawn.text(lang) }}</td>
                </tr>
            }
        })
        .collect_view();
    let list = if data.sessions.is_empty() {
        view! { <p>{P::SessionsNone.text(lang)}</p> }.into_any()
    } else {
        let heads = [P::SessionName, P::SessionDay, P::Applicants, P::State];
        data_table(lang, "sessions", &heads, rows.into_any())
    };
    let candidates = if data.candidates.is_empty() {
        view! { <p>{P::SessionNoCandidates.text(lang)}</p> }.into_any()
    } else {
        data.candidates
            .iter()
            .map(|c| {
                let id = format!("dossier-{}", c.id);
                view! {
                    <div class="flex items-start gap-2">
                        <input type="checkbox" name="dossier" value=c.id.to_string() id=id.clone() checked=c.checked />
                        <label for=id>
                            {format!("{} · {} · {} (#{})", c.name, c.org, c.target.get(lang), c.id)}
                        </label>
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };
    let dossiers_problem = problem_for(lang, &problems, "dossiers");
    let dossiers_described = dossiers_problem.as_ref().map(|_| "dossiers-error");
    let f = &data.form;
    let default = |v: &str, d: &str| {
        if v.is_empty() {
            d.to_owned()
        } else {
            v.to_owned()
        }
    };
    view! {
        <PageTitle name=P::SessionsHeading.text(lang) errors=!problems.is_empty() />
        <div class="space-y-6">
            <div>
                <p class="caption">{data.committee_name.clone()}</p>
                <h1 class="text-2xl font-bold">{P::SessionsHeading.text(lang)}</h1>
            </div>
            {list}
            <section aria-labelledby="open-heading" class="space-y-4">
                <h2 id="open-heading" class="text-xl font-semibold">{P::SessionOpenHeading.text(lang)}</h2>
                <p class="text-sm">{P::SessionOpenHint.text(lang)}</p>
                {error_summary(lang, &problems)}
                <form method="post" action="/sessions" class="space-y-4" novalidate>
                    <div class="grid gap-4 sm:grid-cols-2">
                        {input(spec(lang, &problems, "name", P::SessionName, &f.name, None), "text", "off")}
                        {input(spec(lang, &problems, "sits_on", P::SessionDay, &f.sits_on, Some(P::DateHint)), "text", "off")}
                        {input(spec(lang, &problems, "members", P::GroupMembers, &default(&f.members, "25"), None), "number", "off")}
                        {input(spec(lang, &problems, "reserves", P::GroupReserves, &default(&f.reserves, "2"), None), "number", "off")}
                        {input(spec(lang, &problems, "hs_members", P::HighSkillMembers, &default(&f.hs_members, "25"), None), "number", "off")}
                        {input(spec(lang, &problems, "hs_reserves", P::HighSkillReserves, &default(&f.hs_reserves, "2"), None), "number", "off")}
                    </div>
                    <fieldset id="dossiers" tabindex="-1" class="space-y-2" aria-describedby=dossiers_described>
                        <legend class="label">{P::SessionDossiers.text(lang)}</legend>
                        {dossiers_problem.map(|e| view! { <p id="dossiers-error" class="field-error">{e}</p> })}
                        {candidates}
                    </fieldset>
                    <button type="submit" class="button-primary">{P::SessionOpenButton.text(lang)}</button>
                </form>
            </section>
        </div>
    }
    .into_any()
}

fn group_heading(kind: &str) -> P {
    if kind == "high_skill" {
        P::GroupHighSkill
    } else {
        P::GroupGeneral
    }
}

fn group_view(lang: Lang, data: &SessionData, g: &GroupData) -> AnyView {
    let rules = P::GroupRulesLine
        .text(lang)
        .replace("{members}", &g.members.to_string())
        .replace("{min}", &g.min_high_skill.to_string())
        .replace("{reserves}", &g.reserves.to_string());
    let applicants = g
        .applicants
        .iter()
        .map(|(id, name, unit, target)| {
            view! { <li data-dossier=id.to_string()>{format!("#{id} {name} · {unit} · {}", target.get(lang))}</li> }
        })
        .collect_view();
    let drawn = if g.drawn.is_empty() {
        let problems = data.problems.clone();
        view! {
            <form method="post" action=format!("/sessions/{}/draw", data.id) class="space-y-3" novalidate>
                <h3 class="font-semibold">{P::DrawHeading.text(lang)}</h3>
                <p class="text-sm">{P::DrawHint.text(lang)}</p>
                <input type="hidden" name="group" value=g.kind.clone() />
                {input(spec(lang, &problems, "witness", P::Witness, &data.witness, Some(P::WitnessHint)), "text", "name")}
                <button type="submit" class="button-primary">{P::DrawButton.text(lang)}</button>
            </form>
        }
        .into_any()
    } else {
        let rows = g
            .drawn
            .iter()
            .map(|e| {
                view! {
                    <tr class="border-t border-slate-200" data-reserve=e.reserve.to_string()>
                        <td class="p-2">{e.name.clone()}</td>
                        <td class="p-2">{e.unit.clone()}</td>
                        <td class="p-2">{e.title.get(lang).to_owned()}</td>
                        <td class="p-2">{if e.high_skill { P::Yes.text(lang) } else { P::No.text(lang) }}</td>
                        <td class="p-2">{if e.reserve { P::Reserve.text(lang) } else { P::Member.text(lang) }}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="overflow-x-auto">
                <table class="w-full text-left text-sm" data-group=g.kind.clone()>
                    <caption class="text-left font-semibold">{P::Drawn.text(lang)}</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="p-2">{P::Expert.text(lang)}</th>
                            <th scope="col" class="p-2">{P::Unit.text(lang)}</th>
                            <th scope="col" class="p-2">{P::TitleHeld.text(lang)}</th>
                            <th scope="col" class="p-2">{P::HighSkillExpert.text(lang)}</th>
                            <th scope="col" class="p-2">{P::Member.text(lang)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <dl class="text-sm grid gap-1 sm:grid-cols-[auto_1fr]">
                <dt class="font-semibold">{P::DrawSeed.text(lang)}</dt>
                <dd class="break-all"><code>{g.seed.clone()}</code></dd>
                <dt class="font-semibold">{P::DrawPoolHash.text(lang)}</dt>
                <dd class="break-all"><code>{g.pool_hash.clone()}</code></dd>
                <dt class="font-semibold">{P::DrawnBy.text(lang)}</dt>
                <dd>{g.drawn_by.clone()}</dd>
                <dt class="font-semibold">{P::Witness.text(lang)}</dt>
                <dd>{g.witness.clone()}</dd>
            </dl>
            <p class="text-sm">{P::DrawVerifyHint.text(lang).replace("{id}", &data.id.to_string())}</p>
        }
        .into_any()
    };
    view! {
        <section class="space-y-3 card" aria-labelledby=format!("group-{}", g.kind)>
            <h2 id=format!("group-{}", g.kind) class="text-xl font-semibold">{group_heading(&g.kind).text(lang)}</h2>
            <p class="text-sm">{rules}</p>
            <h3 class="font-semibold">{P::Applicants.text(lang)}</h3>
            <ul class="list-disc pl-6 text-sm">{applicants}</ul>
            {drawn}
        </section>
    }
    .into_any()
}

/// The names of a recusal's ground, source and status.
pub fn ground_text(code: &str) -> P {
    match code {
        "same_unit" => P::GroundSameUnit,
        "relative" => P::GroundRelative,
        "superior" => P::GroundSuperior,
        "collaborator" => P::GroundCollaborator,
        _ => P::GroundOther,
    }
}

fn source_text(code: &str) -> P {
    match code {
        "automatic" => P::SourceAutomatic,
        "expert" => P::SourceExpert,
        "applicant" => P::SourceApplicant,
        _ => P::SourceOffice,
    }
}

fn status_text(code: &str) -> P {
    match code {
        "requested" => P::RecusalRequested,
        "refused" => P::RecusalRefused,
        _ => P::RecusalInForce,
    }
}

fn recusal_row(lang: Lang, session: i64, r: &RecusalRow) -> AnyView {
    let decide = (r.status == "requested").then(|| {
        view! {
            <form method="post" action=format!("/sessions/{session}/recusals/{}", r.id) class="inline-flex gap-2">
                <button type="submit" name="uphold" value="yes" class="button-secondary">{P::RecusalUphold.text(lang)}</button>
                <button type="submit" name="uphold" value="no" class="button-secondary">{P::RecusalRefuse.text(lang)}</button>
            </form>
        }
    });
    view! {
        <tr class="border-t border-slate-200">
            <td class="p-2">{r.expert.clone()}</td>
            <td class="p-2">{format!("#{} {}", r.dossier_id, r.applicant)}</td>
            <td class="p-2">{ground_text(&r.ground).text(lang)}</td>
            <td class="p-2">{source_text(&r.source).text(lang)}</td>
            <td class="p-2">{r.reason.clone()}</td>
            <td class="p-2">{status_text(&r.status).text(lang)} {decide}</td>
        </tr>
    }
    .into_any()
}

/// The grounds a person may choose, in the form's order.
pub fn ground_options(lang: Lang, with_same_unit: bool) -> Vec<(String, String)> {
    ["same_unit", "relative", "superior", "collaborator", "other"]
        .into_iter()
        .filter(|g| with_same_unit || *g != "same_unit")
        .map(|g| (g.to_owned(), ground_text(g).text(lang).to_owned()))
        .collect()
}

/// `/sessions/{id}`
#[component]
pub fn SessionPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<SessionData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let problems = data.problems.clone();
    let groups = data
        .groups
        .iter()
        .map(|g| group_view(lang, &data, g))
        .collect_view();
    let recusals = if data.recusals.is_empty() {
        view! { <p>{P::RecusalsNone.text(lang)}</p> }.into_any()
    } else {
        let rows = data
            .recusals
            .iter()
            .map(|r| recusal_row(lang, data.id, r))
            .collect_view();
        let heads = [
            P::Expert,
            P::Applicants,
            P::RecusalGround,
            P::RecusalSource,
            P::RecusalReason,
            P::RecusalStatus,
        ];
        data_table(lang, "recusals", &heads, rows.into_any())
    };
    let progress = if data.progress.is_empty() {
        view! { <p>{P::ProgressNone.text(lang)}</p> }.into_any()
    } else {
        data.progress
            .iter()
            .map(|(name, done, all)| {
                let line = P::ProgressLine
                    .text(lang)
                    .replace("{done}", &done.to_string())
                    .replace("{all}", &all.to_string());
                view! { <li>{format!("{name}{}{line}", crate::portal::colon(lang))}</li> }
            })
            .collect_view()
            .into_any()
    };
    let by_dossier = data
        .dossier_progress
        .iter()
        .map(|(id, name, done, all)| {
            let line = P::DossierProgressLine
                .text(lang)
                .replace("{done}", &done.to_string())
                .replace("{all}", &all.to_string());
            view! { <li data-dossier-progress=id.to_string()>{format!("#{id} {name}{}{line}", crate::portal::colon(lang))}</li> }
        })
        .collect_view();
    let experts: Vec<(String, String)> = data
        .pool
        .iter()
        .map(|(id, n)| (id.to_string(), n.clone()))
        .collect();
    let applicants: Vec<(String, String)> = data
        .applicants
        .iter()
        .map(|(id, n)| (id.to_string(), format!("#{id} {n}")))
        .collect();
    let choose = P::Choose.text(lang).to_owned();
    view! {
        <PageTitle name=data.name.clone() errors=!problems.is_empty() />
        <div class="space-y-6">
            <div>
                <p class="caption">{data.committee_name.clone()}</p>
                <h1 class="text-2xl font-bold">{data.name.clone()}</h1>
                <p>{P::SessionDay.text(lang)} {crate::portal::colon(lang)} {data.sits_on.clone()}</p>
            </div>
            {notice(lang, data.notice.clone())}
            {error_summary(lang, &problems)}
            {groups}
            <section aria-labelledby="recusals-heading" class="space-y-3">
                <h2 id="recusals-heading" class="text-xl font-semibold">{P::RecusalsHeading.text(lang)}</h2>
                {recusals}
                <form method="post" action=format!("/sessions/{}/recusals", data.id) class="grid gap-4 sm:grid-cols-2 items-end" novalidate>
                    <h3 class="font-semibold sm:col-span-2">{P::RecusalDeclareHeading.text(lang)}</h3>
                    {select(spec(lang, &problems, "recusal_expert", P::Expert, "", None), experts, choose.clone())}
                    {select(spec(lang, &problems, "recusal_dossier", P::Applicants, "", None), applicants, choose.clone())}
                    {select(spec(lang, &problems, "recusal_ground", P::RecusalGround, "", None), ground_options(lang, true), choose)}
                    {textarea(spec(lang, &problems, "recusal_reason", P::RecusalReason, "", None), 2)}
                    <button type="submit" class="button-secondary">{P::RecusalDeclareButton.text(lang)}</button>
                </form>
            </section>
            <section aria-labelledby="progress-heading" class="space-y-3">
                <h2 id="progress-heading" class="text-xl font-semibold">{P::ProgressHeading.text(lang)}</h2>
                <h3 class="font-semibold">{P::Expert.text(lang)}</h3>
                <ul class="list-disc pl-6 text-sm" id="progress">{progress}</ul>
                <h3 class="font-semibold">{P::Applicants.text(lang)}</h3>
                <ul class="list-disc pl-6 text-sm" id="dossier-progress">{by_dossier}</ul>
            </section>
            {crate::pages::ballot::ballot_section(lang, data.id, &data.ballot, &problems)}
            {crate::pages::results::results_section(lang, data.id, &data.results, &problems)}
        </div>
    }
    .into_any()
}
