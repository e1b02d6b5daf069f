//! `/admin/calendar`: the working-day calendar (POLICY §8). A provincial administrator sees the
//! years in force (shipped with the release, or entered here), enters or changes a year from
//! the State Council's notice (its holidays and make-up working days, typed or read from a CSV
//! or XLSX file and checked before saving), and downloads a year as CSV. While a year is
//! missing that a publicity period may need, the administrators' pages warn
//! ([`calendar_warning`]).

use leptos::prelude::*;

use crate::components::form::{error_summary, input, notice, problem_for, textarea, FieldSpec};
use crate::components::layout::PageTitle;
use crate::components::table::data_table;
use crate::i18n::{use_lang, Lang};
use crate::portal::calendar::{use_calendar_gap, CalendarData, CalendarYearRow};
use crate::portal::{page_data, P};

/// The warning above an administrator's page while a year of the calendar is missing.
#[component]
pub fn CalendarWarning() -> impl IntoView {
    let lang = use_lang();
    use_calendar_gap().map(|gap| calendar_warning(lang, gap.0))
}

fn calendar_warning(lang: Lang, year: i32) -> AnyView {
    let text = P::CalendarMissing
        .text(lang)
        .replace("{year}", &year.to_string());
    view! {
        <div class="notice notice-warn mb-6" id="calendar-warning" role="status" data-missing-year=year.to_string()>
            <p>{text}</p>
            <p><a class="link" href=format!("/admin/calendar?year={year}")>{P::CalendarMissingLink.text(lang)}</a></p>
        </div>
    }
    .into_any()
}

fn years_table(lang: Lang, years: &[CalendarYearRow]) -> AnyView {
    let rows = years
        .iter()
        .map(|y| {
            let origin = if y.entered_at.is_empty() {
                P::CalendarShipped.text(lang).to_owned()
            } else {
                P::CalendarEntered
                    .text(lang)
                    .replace("{by}", &y.entered_by)
                    .replace("{at}", &y.entered_at)
            };
            let year = y.year.to_string();
            view! {
                <tr class="border-t border-slate-200" data-year=year.clone()>
                    <td class="p-2" data-label=P::CalendarYear.text(lang)>{year.clone()}</td>
                    <td class="p-2" data-label=P::CalendarSource.text(lang)>{y.source.clone()}</td>
                    <td class="p-2" data-label=P::CalendarHolidays.text(lang)>{y.holidays.to_string()}</td>
                    <td class="p-2" data-label=P::CalendarMakeup.text(lang)>{y.makeup_workdays.to_string()}</td>
                    <td class="p-2" data-label=P::CalendarOrigin.text(lang)>{origin}</td>
                    <td class="p-2 space-x-3">
                        <a class="link" href=format!("/admin/calendar?year={year}#calendar-form") aria-label=format!("{} {year}", P::CalendarEdit.text(lang))>
                            {P::CalendarEdit.text(lang)}
                        </a>
                        <a class="link" href=format!("/admin/calendar/export?year={year}") download=format!("calendar-{year}.csv") aria-label=format!("{} {year}", P::CalendarDownload.text(lang))>
                            {P::CalendarDownload.text(lang)}
                        </a>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let heads = [
        P::CalendarYear,
        P::CalendarSource,
        P::CalendarHolidays,
        P::CalendarMakeup,
        P::CalendarOrigin,
        P::Actions,
    ];
    data_table(lang, "calendar-years", &heads, rows.into_any())
}

/// `/admin/calendar`
#[component]
pub fn CalendarPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<CalendarData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let problems = data.problems.clone();
    let field = |name: &'static str, label: P, value: &str, hint: Option<P>| FieldSpec {
        name,
        label: label.text(lang).to_owned(),
        value: value.to_owned(),
        hint: hint.map(|h| h.text(lang).to_owned()),
        problem: problem_for(lang, &problems, name),
    };
    let f = &data.form;
    let imported = data.imported.map(|n| {
        let text = P::CalendarImported
            .text(lang)
            .replace("{n}", &n.to_string());
        view! { <p class="notice notice-ok" id="calendar-imported" role="status">{text}</p> }
    });
    let import_rows = (!data.import_rows.is_empty()).then(|| {
        let lines = data
            .import_rows
            .iter()
            .map(|b| view! { <li>{b.get(lang).to_owned()}</li> })
            .collect_view();
        view! {
            <div class="notice notice-warn" id="calendar-import-rows" role="status">
                <p>{P::CalendarImportRows.text(lang)}</p>
                <ul class="list-disc pl-5">{lines}</ul>
            </div>
        }
    });
    let import_problem = data
        .import_problem
        .as_ref()
        .map(|p| p.text(lang).to_owned());
    let invalid = import_problem.is_some();
    let errors = !problems.is_empty() || invalid;
    let mut summary = problems.clone();
    summary.extend(data.import_problem.clone());
    view! {
        <PageTitle name=P::CalendarHeading.text(lang) errors=errors />
        <div class="space-y-8">
            <h1 class="text-2xl font-bold">{P::CalendarHeading.text(lang)}</h1>
            {notice(lang, data.notice.clone())}
            {error_summary(lang, &summary)}
            {data.missing.map(|y| calendar_warning(lang, y))}
            <p class="text-sm">{P::CalendarLead.text(lang)}</p>
            <section class="space-y-3" aria-labelledby="calendar-years-heading">
                <h2 id="calendar-years-heading" class="text-xl font-semibold">{P::CalendarYearsHeading.text(lang)}</h2>
                {years_table(lang, &data.years)}
            </section>
            <section class="space-y-4" aria-labelledby="calendar-form-heading" id="calendar-form">
                <h2 id="calendar-form-heading" class="text-xl font-semibold">{P::CalendarFormHeading.text(lang)}</h2>
                {imported}
                {import_rows}
                <form method="post" action="/admin/calendar" class="space-y-4" novalidate>
                    {input(field("year", P::CalendarYear, &f.year, Some(P::CalendarYearHint)), "text", "off")}
                    {input(field("source", P::CalendarSource, &f.source, Some(P::CalendarSourceHint)), "text", "off")}
                    {textarea(field("holidays", P::CalendarHolidays, &f.holidays, Some(P::CalendarDaysHint)), 8)}
                    {textarea(field("makeup_workdays", P::CalendarMakeup, &f.makeup_workdays, Some(P::CalendarMakeupHint)), 4)}
                    <button type="submit" class="button-primary">{P::CalendarSave.text(lang)}</button>
                </form>
            </section>
            <section class="space-y-4" aria-labelledby="calendar-import-heading">
                <h2 id="calendar-import-heading" class="text-xl font-semibold">{P::CalendarImportHeading.text(lang)}</h2>
                <p class="text-sm">{P::CalendarImportLead.text(lang)}</p>
                <p class="text-sm"><a class="link" href="/admin/calendar/export" download="calendar-template.csv">{P::CalendarTemplate.text(lang)}</a></p>
                <form method="post" action="/admin/calendar/import" enctype="multipart/form-data" class="space-y-4" id="calendar-import">
                    <div class="field">
                        <label for="file" class="label">{P::ImportFile.text(lang)}</label>
                        {import_problem.map(|p| view! { <p id="file-error" class="field-error">{p}</p> })}
                        <input
                            type="file"
                            id="file"
                            name="file"
                            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            class=if invalid { "input input-error" } else { "input" }
                            aria-describedby=invalid.then_some("file-error")
                            aria-invalid=invalid.then_some("true")
                        />
                    </div>
                    <button type="submit" class="button-secondary">{P::CalendarImportButton.text(lang)}</button>
                </form>
            </section>
        </div>
    }
    .into_any()
}
