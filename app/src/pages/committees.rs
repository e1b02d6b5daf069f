//! `/admin/committees` (the provincial admin's committees: their filing status, the create form
//! and a filing form per committee) and `/committees/{code}` (a committee's record and its
//! expert pool: add, edit, deactivate, import from a file with a per-row report, export).
//! Plain forms; a refused form comes back with the problems summarised first, each beside its
//! field, and everything typed kept.

use leptos::prelude::*;

use crate::components::form::{error_summary, input, notice, problem_for, select, FieldSpec};
use crate::components::layout::PageTitle;
use crate::components::table::data_table;
use crate::i18n::{use_lang, Lang};
use crate::portal::committees::{
    duty_text, tier_text, CommitteePageData, CommitteeView, CommitteesData, ExpertForm, DUTY_CODES,
    TIER_CODES,
};
use crate::portal::committees::{list_separator, CommitteeForm};
use crate::portal::{page_data, Choice, FieldProblem, P};

fn spec<'a>(
    lang: Lang,
    problems: &[FieldProblem],
    name: &'a str,
    label: P,
    value: &str,
    hint: Option<String>,
) -> FieldSpec<'a> {
    FieldSpec {
        name,
        label: label.text(lang).to_owned(),
        value: value.to_owned(),
        hint,
        problem: problem_for(lang, problems, name),
    }
}

fn checkbox(id: &str, name: &str, value: &str, checked: bool, label: String) -> AnyView {
    view! {
        <div class="flex items-center gap-2">
            <input type="checkbox" id=id.to_owned() name=name.to_owned() value=value.to_owned() checked=checked />
            <label for=id.to_owned()>{label}</label>
        </div>
    }
    .into_any()
}

fn tiers_text(lang: Lang, c: &CommitteeView) -> String {
    c.tiers
        .iter()
        .map(|t| t.text(lang))
        .collect::<Vec<_>>()
        .join(list_separator(lang))
}

fn series_options(lang: Lang, series: &[Choice]) -> Vec<(String, String)> {
    series
        .iter()
        .map(|c| (c.code.clone(), c.label.get(lang).to_owned()))
        .collect()
}

/// The fields of a committee's record (the create form and the edit form share them).
fn record_fields(
    lang: Lang,
    f: &CommitteeForm,
    cp: &[FieldProblem],
    series: Vec<(String, String)>,
) -> AnyView {
    let tier_boxes = TIER_CODES
        .iter()
        .map(|code| {
            checkbox(
                &format!("tiers-{code}"),
                "tiers",
                code,
                f.tiers.iter().any(|t| t == code),
                tier_text(code).text(lang).to_owned(),
            )
        })
        .collect_view();
    let tiers_problem = problem_for(lang, cp, "tiers");
    view! {
        {input(spec(lang, cp, "name", P::CommitteeName, &f.name, None), "text", "off")}
        {input(spec(lang, cp, "organiser", P::CommitteeOrganiser, &f.organiser, None), "text", "off")}
        {select(spec(lang, cp, "series", P::CommitteeSeries, &f.series, None), series, P::Choose.text(lang).to_owned())}
        <fieldset class="field" id="tiers" aria-describedby=tiers_problem.is_some().then_some("tiers-error")>
            <legend class="label">{P::CommitteeTiers.text(lang)}</legend>
            {tiers_problem.clone().map(|p| view! { <p id="tiers-error" class="field-error">{p}</p> })}
            {tier_boxes}
        </fieldset>
        {input(spec(lang, cp, "specialty", P::CommitteeSpecialty, &f.specialty, None), "text", "off")}
        {checkbox("self_review", "self_review", "on", f.self_review, P::CommitteeSelfReview.text(lang).to_owned())}
        {input(spec(lang, cp, "entrusting", P::CommitteeEntrusting, &f.entrusting, None), "text", "off")}
    }
    .into_any()
}

/// `/admin/committees`
#[component]
pub fn CommitteesPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<CommitteesData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let mut all_problems = data.create_problems.clone();
    all_problems.extend(data.filing_problems.clone());
    let has_errors = !all_problems.is_empty();
    let rows = data
        .rows
        .iter()
        .map(|c| {
            let status = c.filing.code();
            view! {
                <tr class="border-t border-slate-200" data-committee=c.code.clone()>
                    <td class="p-2"><a href=format!("/committees/{}", c.code) class="link">{c.name.clone()}</a></td>
                    <td class="p-2"><code>{c.code.clone()}</code></td>
                    <td class="p-2">{c.series.get(lang).to_owned()}</td>
                    <td class="p-2">{tiers_text(lang, c)}</td>
                    <td class="p-2" data-filing=status>{c.filing.text(lang)}</td>
                </tr>
            }
        })
        .collect_view();
    let table = if data.rows.is_empty() {
        view! { <p id="no-committees">{P::CommitteesNone.text(lang)}</p> }.into_any()
    } else {
        let heads = [
            P::CommitteeName,
            P::CommitteeCode,
            P::CommitteeSeries,
            P::CommitteeTiers,
            P::CommitteeFiling,
        ];
        data_table(lang, "committees", &heads, rows.into_any())
    };
    let f = &data.create;
    let cp = &data.create_problems;
    let series = series_options(lang, &data.series);
    let regions: Vec<(String, String)> = data
        .regions
        .iter()
        .map(|r| (r.clone(), r.clone()))
        .collect();
    let filing_forms = data
        .rows
        .iter()
        .map(|c| {
            let refused = data.filing.code == c.code;
            let empty = Vec::new();
            let fp = if refused { &data.filing_problems } else { &empty };
            let value = |v: &str| if refused { v.to_owned() } else { String::new() };
            let id = |field: &str| format!("{field}-{}", c.code);
            let field = |field: &'static str, label: P, v: &str, hint: Option<String>| {
                let name = id(field);
                let problem = problem_for(lang, fp, field);
                view! {
                    <div class="field">
                        <label for=name.clone() class="label">{label.text(lang)}</label>
                        {hint.map(|h| view! { <p class="hint" id=format!("{name}-hint")>{h}</p> })}
                        {problem.clone().map(|p| view! { <p class="field-error" id=format!("{name}-error")>{p}</p> })}
                        <input
                            type="text"
                            id=name.clone()
                            name=field
                            value=value(v)
                            class=if problem.is_some() { "input input-error" } else { "input" }
                            aria-invalid=problem.is_some().then_some("true")
                            aria-describedby=problem.is_some().then(|| format!("{name}-error"))
                        />
                    </div>
                }
            };
            view! {
                <form method="post" action=format!("/admin/committees/{}/filing", c.code) class="space-y-2 border-t border-slate-200 pt-4" id=format!("file-{}", c.code)>
                    <h3 class="font-semibold">{P::FileHeading.text(lang).replace("{name}", &c.name)}</h3>
                    <p class="text-sm">{c.filing.text(lang)}</p>
                    <div class="grid gap-4 sm:grid-cols-3">
                        {field("number", P::FilingNumber, &data.filing.number, None)}
                        {field("filed_on", P::FiledOn, &data.filing.filed_on, Some(P::DateHint.text(lang).to_owned()))}
                        {field("expires_on", P::FilingExpires, &data.filing.expires_on, Some(P::FilingMaxHint.text(lang).replace("{max}", &data.max_years)))}
                    </div>
                    <button type="submit" class="button-secondary">{P::FileButton.text(lang)}</button>
                </form>
            }
        })
        .collect_view();
    // The summary's links go to the fields of the form that was refused.
    let summary_problems: Vec<FieldProblem> = data
        .create_problems
        .iter()
        .cloned()
        .chain(data.filing_problems.iter().map(|p| FieldProblem {
            field: format!("{}-{}", p.field, data.filing.code),
            ..p.clone()
        }))
        .collect();
    view! {
        <PageTitle name=P::CommitteesHeading.text(lang).to_owned() errors=has_errors />
        <div class="space-y-8">
            {error_summary(lang, &summary_problems)}
            {notice(lang, data.notice.clone())}
            <div class="space-y-2">
                <h1 class="text-2xl font-bold">{P::CommitteesHeading.text(lang)}</h1>
                <p class="text-sm">{P::CommitteesLead.text(lang)}</p>
            </div>
            {table}
            <section class="space-y-4" aria-labelledby="create-heading">
                <h2 id="create-heading" class="text-xl font-bold">{P::CommitteeCreateHeading.text(lang)}</h2>
                <form method="post" action="/admin/committees" class="space-y-4" id="create-committee" novalidate>
                    {select(spec(lang, cp, "region", P::CommitteeRegion, &f.region, None), regions, P::Choose.text(lang).to_owned())}
                    {input(spec(lang, cp, "code", P::CommitteeCode, &f.code, Some(P::CommitteeCodeHint.text(lang).to_owned())), "text", "off")}
                    {record_fields(lang, f, cp, series)}
                    <button type="submit" class="button-primary" id="create">{P::CommitteeCreate.text(lang)}</button>
                </form>
            </section>
            <section class="space-y-4">{filing_forms}</section>
        </div>
    }
    .into_any()
}

fn expert_form(lang: Lang, data: &CommitteePageData, code: &str, form: &ExpertForm) -> AnyView {
    let p = &data.problems;
    let editing = form.id.is_some();
    let action = match form.id {
        Some(id) => format!("/committees/{code}/experts/{id}"),
        None => format!("/committees/{code}/experts"),
    };
    let titles: Vec<(String, String)> = data
        .titles
        .iter()
        .map(|c| (c.code.clone(), c.label.get(lang).to_owned()))
        .collect();
    let duties: Vec<(String, String)> = DUTY_CODES
        .iter()
        .map(|d| ((*d).to_owned(), duty_text(d).text(lang).to_owned()))
        .collect();
    let duty = if form.duty.is_empty() {
        "member".to_owned()
    } else {
        form.duty.clone()
    };
    let heading = if editing {
        P::EditExpertHeading
            .text(lang)
            .replace("{name}", &form.name)
    } else {
        P::AddExpertHeading.text(lang).to_owned()
    };
    let username = if editing {
        view! {
            <p><span class="label">{P::ExpertUsername.text(lang)}</span> " " <code id="username">{form.username.clone()}</code></p>
        }
        .into_any()
    } else {
        input(
            spec(
                lang,
                p,
                "username",
                P::ExpertUsername,
                &form.username,
                Some(P::ExpertUsernameHint.text(lang).to_owned()),
            ),
            "text",
            "off",
        )
    };
    let term_hint = P::ExpertTermHint
        .text(lang)
        .replace("{max}", &data.max_years);
    let date_hint = P::DateHint.text(lang).to_owned();
    view! {
        <section class="space-y-4" aria-labelledby="expert-form-heading">
            <h2 id="expert-form-heading" class="text-xl font-bold">{heading}</h2>
            <form method="post" action=action class="space-y-4" id="expert-form" novalidate>
                {username}
                {input(spec(lang, p, "name", P::ExpertName, &form.name, None), "text", "off")}
                {input(spec(lang, p, "unit", P::ExpertUnit, &form.unit, None), "text", "off")}
                {input(spec(lang, p, "specialty", P::ExpertSpecialty, &form.specialty, None), "text", "off")}
                {select(spec(lang, p, "title_level", P::ExpertTitle, &form.title_level, None), titles, P::Choose.text(lang).to_owned())}
                {checkbox("high_skill", "high_skill", "on", form.high_skill, P::ExpertHighSkill.text(lang).to_owned())}
                {select(spec(lang, p, "duty", P::ExpertDuty, &duty, None), duties, P::Choose.text(lang).to_owned())}
                {input(spec(lang, p, "term_from", P::ExpertTermFrom, &form.term_from, Some(date_hint.clone())), "text", "off")}
                {input(spec(lang, p, "term_to", P::ExpertTermTo, &form.term_to, Some(format!("{date_hint} {term_hint}"))), "text", "off")}
                {checkbox("active", "active", "on", form.active, P::ExpertActive.text(lang).to_owned())}
                <div class="flex flex-wrap gap-4">
                    <button type="submit" class="button-primary" id="save-expert">
                        {if editing { P::SaveExpert.text(lang) } else { P::AddExpert.text(lang) }}
                    </button>
                    {editing.then(|| view! { <a href=format!("/committees/{code}") class="link">{P::CancelEdit.text(lang)}</a> })}
                </div>
            </form>
        </section>
    }
    .into_any()
}

/// `/committees/{code}`
#[component]
pub fn CommitteePage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<CommitteePageData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let Some(c) = data.committee.clone() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let code = c.code.clone();
    let mut problems = data.problems.clone();
    problems.extend(data.import_problem.clone());
    let has_errors = !problems.is_empty();
    let active = data.experts.iter().filter(|e| e.active).count();
    let yes_no = |b: bool| if b { P::Yes } else { P::No }.text(lang);
    let rows = data
        .experts
        .iter()
        .map(|e| {
            let actions = data.may_edit.then(|| {
                let label = format!("{} {}", P::EditExpert.text(lang), e.name);
                let deactivate = e.active.then(|| {
                    let label = format!("{} {}", P::DeactivateExpert.text(lang), e.name);
                    view! {
                        <form method="post" action=format!("/committees/{}/experts/{}/deactivate", code, e.id) class="inline">
                            <button type="submit" class="button-secondary" aria-label=label>{P::DeactivateExpert.text(lang)}</button>
                        </form>
                    }
                });
                view! {
                    <td class="p-2 space-x-2">
                        <a href=format!("/committees/{}?edit={}#expert-form", code, e.id) class="link" aria-label=label>{P::EditExpert.text(lang)}</a>
                        {deactivate}
                    </td>
                }
            });
            view! {
                <tr class="border-t border-slate-200" data-expert=e.username.clone()>
                    <td class="p-2">{e.name.clone()}</td>
                    <td class="p-2"><code>{e.username.clone()}</code></td>
                    <td class="p-2">{e.unit.clone()}</td>
                    <td class="p-2">{e.specialty.clone()}</td>
                    <td class="p-2">{e.title.get(lang).to_owned()}</td>
                    <td class="p-2">{yes_no(e.high_skill)}</td>
                    <td class="p-2">{e.duty.text(lang)}</td>
                    <td class="p-2">{format!("{} – {}", e.term_from, e.term_to)}</td>
                    <td class="p-2" data-active=e.active.to_string()>
                        {if e.active { P::ExpertActive.text(lang) } else { P::ExpertInactive.text(lang) }}
                    </td>
                    {actions}
                </tr>
            }
        })
        .collect_view();
    let table = if data.experts.is_empty() {
        view! { <p id="no-experts">{P::PoolNone.text(lang)}</p> }.into_any()
    } else {
        view! {
            <div class="overflow-x-auto">
                <table class="w-full text-left text-sm" id="pool">
                    <thead>
                        <tr>
                            <th scope="col" class="p-2">{P::ExpertName.text(lang)}</th>
                            <th scope="col" class="p-2">{P::ExpertUsername.text(lang)}</th>
                            <th scope="col" class="p-2">{P::ExpertUnit.text(lang)}</th>
                            <th scope="col" class="p-2">{P::ExpertSpecialty.text(lang)}</th>
                            <th scope="col" class="p-2">{P::ExpertTitle.text(lang)}</th>
                            <th scope="col" class="p-2">{P::ExpertHighSkill.text(lang)}</th>
                            <th scope="col" class="p-2">{P::ExpertDuty.text(lang)}</th>
                            <th scope="col" class="p-2">{P::ExpertTermFrom.text(lang)} " – " {P::ExpertTermTo.text(lang)}</th>
                            <th scope="col" class="p-2">{P::State.text(lang)}</th>
                            {data.may_edit.then(|| view! { <th scope="col" class="p-2">{P::Actions.text(lang)}</th> })}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let report = data.import.clone().map(|r| {
        let done = P::ImportDone
            .text(lang)
            .replace("{added}", &r.added.to_string())
            .replace("{updated}", &r.updated.to_string())
            .replace("{refused}", &r.refused_rows.to_string());
        let lines = r
            .refused
            .iter()
            .map(|line| view! { <li>{line.get(lang).to_owned()}</li> })
            .collect_view();
        let any = !r.refused.is_empty();
        view! {
            <div class=if any { "notice notice-warn space-y-2" } else { "notice notice-ok" } role="status" id="import-report">
                <p class="font-semibold">{done}</p>
                {any.then(|| view! {
                    <h3 class="font-semibold">{P::ImportRefusedHeading.text(lang)}</h3>
                    <ul class="list-disc pl-5" id="import-refused">{lines}</ul>
                })}
            </div>
        }
    });
    let import_problem = data
        .import_problem
        .as_ref()
        .map(|p| p.text(lang).to_owned());
    let import_hint = P::ImportHint
        .text(lang)
        .replace("{max}", &data.max_size)
        .replace("{rows}", &data.max_rows)
        .replace("{columns}", &data.columns.join(list_separator(lang)));
    let editing = data
        .may_edit
        .then(|| expert_form(lang, &data, &code, &data.form));
    let import_form = data.may_edit.then(|| {
        let invalid = import_problem.is_some();
        view! {
            <section class="space-y-4" aria-labelledby="import-heading">
                <h2 id="import-heading" class="text-xl font-bold">{P::ImportHeading.text(lang)}</h2>
                <form method="post" action=format!("/committees/{code}/import") enctype="multipart/form-data" class="space-y-4" id="import-form">
                    <div class="field">
                        <label for="file" class="label">{P::ImportFile.text(lang)}</label>
                        <p id="file-hint" class="hint">{import_hint}</p>
                        {import_problem.clone().map(|p| view! { <p id="file-error" class="field-error">{p}</p> })}
                        <input
                            type="file"
                            id="file"
                            name="file"
                            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            class=if invalid { "input input-error" } else { "input" }
                            aria-describedby=if invalid { "file-hint file-error" } else { "file-hint" }
                            aria-invalid=invalid.then_some("true")
                        />
                    </div>
                    <button type="submit" class="button-primary" id="import">{P::ImportButton.text(lang)}</button>
                </form>
            </section>
        }
    });
    let record_form = data.record.as_ref().map(|f| {
        view! {
            <section class="space-y-4" aria-labelledby="record-heading">
                <h2 id="record-heading" class="text-xl font-bold">{P::EditRecordHeading.text(lang)}</h2>
                <form method="post" action=format!("/admin/committees/{code}") class="space-y-4" id="record-form" novalidate>
                    {record_fields(lang, f, &data.problems, series_options(lang, &data.series))}
                    <button type="submit" class="button-primary" id="save-record">{P::SaveRecord.text(lang)}</button>
                </form>
            </section>
        }
    });
    let series = c.series.get(lang).to_owned();
    let tiers = tiers_text(lang, &c);
    view! {
        <PageTitle name=c.name.clone() errors=has_errors />
        <div class="space-y-8">
            {error_summary(lang, &problems)}
            {notice(lang, data.notice.clone())}
            {report}
            <div class="space-y-2">
                <p class="caption"><code>{c.code.clone()}</code></p>
                <h1 class="text-2xl font-bold">{c.name.clone()}</h1>
                <dl class="grid gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr] text-sm" id="committee-record">
                    <dt class="font-semibold">{P::CommitteeOrganiser.text(lang)}</dt><dd>{c.organiser.clone()}</dd>
                    <dt class="font-semibold">{P::CommitteeRegion.text(lang)}</dt><dd>{c.region.clone()}</dd>
                    <dt class="font-semibold">{P::CommitteeSeries.text(lang)}</dt><dd>{series}</dd>
                    <dt class="font-semibold">{P::CommitteeTiers.text(lang)}</dt><dd>{tiers}</dd>
                    <dt class="font-semibold">{P::ExpertSpecialty.text(lang)}</dt><dd>{c.specialty.clone()}</dd>
                    <dt class="font-semibold">{P::CommitteeSelfReview.text(lang)}</dt><dd>{yes_no(c.self_review)}</dd>
                    <dt class="font-semibold">{P::CommitteeEntrusting.text(lang)}</dt><dd>{c.entrusting.clone()}</dd>
                    <dt class="font-semibold">{P::CommitteeFiling.text(lang)}</dt><dd id="filing" data-filing=c.filing.code()>{c.filing.text(lang)}</dd>
                </dl>
            </div>
            <section class="space-y-4" aria-labelledby="pool-heading">
                <h2 id="pool-heading" class="text-xl font-bold">{P::PoolHeading.text(lang)}</h2>
                <p id="pool-count">{P::PoolCount.text(lang).replace("{n}", &data.experts.len().to_string()).replace("{active}", &active.to_string())}</p>
                {table}
                <nav aria-labelledby="export-heading" class="flex flex-wrap items-center gap-4">
                    <h3 id="export-heading" class="font-semibold">{P::ExportHeading.text(lang)}</h3>
                    <a href=format!("/committees/{code}/experts.csv") class="link" id="export-csv" download="">{P::ExportPoolCsv.text(lang)}</a>
                    <a href=format!("/committees/{code}/experts.xlsx") class="link" id="export-xlsx" download="">{P::ExportPoolXlsx.text(lang)}</a>
                </nav>
            </section>
            {editing}
            {import_form}
            {record_form}
        </div>
    }
    .into_any()
}
