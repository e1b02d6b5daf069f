//! `/apply`, `/dossiers`, `/dossiers/{id}`: the applicant's side of an application, and the
//! dossier as its employer's HR and the committee office see it. Rendered on the server from
//! the data the route handler loaded after checking who may see what (server/src/web).

use leptos::prelude::*;

use crate::components::autosave::DraftAutosave;
use crate::components::form::{error_summary, input, notice, select, textarea, tick, FieldSpec};
use crate::components::layout::PageTitle;
use crate::i18n::{use_lang, Lang};
use crate::portal::{
    action_text, field_text, next_step_text, page_data, part_text, state_text, target_status_text,
    ApplyData, DossierPageData, DossierRow, HistoryLine, MyDossiersData, TargetChoice, P,
    REASON_FIELDS,
};

fn missing(lang: Lang) -> AnyView {
    view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any()
}

fn status_label(lang: Lang, t: &TargetChoice) -> String {
    let status = target_status_text(&t.status);
    let mut text = format!("{}（{}）", t.label.get(lang), status.text(lang));
    if lang == Lang::En {
        text = format!("{} ({})", t.label.get(lang), status.text(lang));
    }
    if let Some(d) = &t.earliest_on {
        text.push_str(&format!(" {d}"));
    }
    text
}

/// `/apply?<self-check answers>`: confirm starting a dossier from the answers.
#[component]
pub fn ApplyPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<ApplyData>() else {
        return missing(lang);
    };
    let eligible = data
        .eligible
        .iter()
        .map(|t| view! { <li>{status_label(lang, t)}</li> })
        .collect_view();
    let none = data.eligible.is_empty();
    let updatable = (!data.updatable.is_empty()).then(|| {
        let forms = data
            .updatable
            .iter()
            .map(|(row, version)| {
                let target = if row.target.is_empty() { String::new() } else { format!(" · {}", row.target_label.get(lang)) };
                view! {
                    <li>
                        <form method="post" action=format!("/dossiers/{}/answers", row.id) class="flex flex-wrap items-center gap-3">
                            <input type="hidden" name="answers" value=data.answers_query.clone() />
                            <input type="hidden" name="version" value=version.to_string() />
                            <button type="submit" class="button-secondary">
                                {P::ApplyUpdateButton.text(lang).replace("{id}", &row.id.to_string())}
                            </button>
                            <span class="text-sm text-slate-600">{state_text(&row.state).text(lang)} {target}</span>
                        </form>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="update-heading" class="space-y-2" id="update-existing">
                <h2 id="update-heading" class="text-lg font-bold">{P::ApplyUpdateHeading.text(lang)}</h2>
                <p class="text-sm">{P::ApplyUpdateLead.text(lang)}</p>
                <ul class="space-y-2">{forms}</ul>
            </section>
        }
    });
    view! {
        <div class="max-w-2xl space-y-6">
            <PageTitle name=P::ApplyHeading.text(lang) />
            <h1 class="text-2xl font-bold">{P::ApplyHeading.text(lang)}</h1>
            {notice(lang, data.notice.clone())}
            {crate::portal::results::use_bar()
                .map(|bar| crate::pages::certificates::bar_notice(lang, &bar))}
            <p>{P::ApplyLead.text(lang)}</p>
            {if none {
                view! { <p class="notice notice-warn">{P::ApplyNoneEligible.text(lang)}</p> }.into_any()
            } else {
                view! {
                    <section aria-labelledby="eligible-heading" class="space-y-2">
                        <h2 id="eligible-heading" class="text-lg font-bold">{P::ApplyEligibleHeading.text(lang)}</h2>
                        <ul class="list-disc pl-5">{eligible}</ul>
                    </section>
                }
                .into_any()
            }}
            <form method="post" action="/dossiers">
                <input type="hidden" name="answers" value=data.answers_query.clone() />
                <button type="submit" class="button-primary" id="create-dossier">{P::ApplyButton.text(lang)}</button>
            </form>
            {updatable}
            <p><a href=format!("/check?step=8&{}", data.answers_query) class="link">{P::ApplyChangeAnswers.text(lang)}</a></p>
        </div>
    }
    .into_any()
}

fn rows_table(lang: Lang, rows: &[DossierRow], show_person: bool) -> AnyView {
    let body = rows
        .iter()
        .map(|r| {
            let person = show_person.then(|| {
                view! {
                    <td class="p-2">{r.full_name.clone()}</td>
                    <td class="p-2 font-mono">{r.id_masked.clone()}</td>
                }
            });
            // A reviewer's queue says how long each dossier awaiting them has waited.
            let waited = show_person.then(|| {
                let text = r.waited_days.map(|n| match n {
                    0 => P::WaitedToday.text(lang).to_owned(),
                    1 => P::WaitedOneDay.text(lang).to_owned(),
                    n => P::WaitedDays.text(lang).replace("{n}", &n.to_string()),
                });
                view! { <td class="p-2" data-waited=r.waited_days.map(|n| n.to_string())>{text}</td> }
            });
            view! {
                <tr class="border-t border-slate-200" data-dossier=r.id.to_string() data-state=r.state.clone()>
                    <td class="p-2"><a href=format!("/dossiers/{}", r.id) class="link">{format!("#{}", r.id)}</a></td>
                    {person}
                    <td class="p-2">{r.target_label.get(lang).to_owned()}</td>
                    <td class="p-2">{state_text(&r.state).text(lang)}</td>
                    {waited}
                    <td class="p-2">{r.updated.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let person_heads = show_person.then(|| {
        view! {
            <th scope="col" class="p-2">{P::FieldFullName.text(lang)}</th>
            <th scope="col" class="p-2">{P::FieldIdNumber.text(lang)}</th>
        }
    });
    view! {
        <div class="overflow-x-auto">
            <table class="w-full text-left text-sm">
                <thead>
                    <tr>
                        <th scope="col" class="p-2">{P::DossierNumber.text(lang)}</th>
                        {person_heads}
                        <th scope="col" class="p-2">{P::FieldTarget.text(lang)}</th>
                        <th scope="col" class="p-2">{P::State.text(lang)}</th>
                        {show_person.then(|| view! { <th scope="col" class="p-2">{P::Waited.text(lang)}</th> })}
                        <th scope="col" class="p-2">{P::Updated.text(lang)}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The rows-table of a queue (shared with the review page).
pub fn queue_table(lang: Lang, rows: &[DossierRow]) -> AnyView {
    rows_table(lang, rows, true)
}

/// `/dossiers`: the applicant's dossiers and what to do next with each.
#[component]
pub fn MyDossiersPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<MyDossiersData>() else {
        return missing(lang);
    };
    let next_steps = data
        .rows
        .iter()
        .map(|r| {
            let ends = data
                .publicity_ends
                .iter()
                .find(|(id, _)| *id == r.id)
                .map(|(_, d)| format!(" {}", P::PublicityUntil.text(lang).replace("{date}", d)));
            view! {
                <li>
                    <a href=format!("/dossiers/{}", r.id) class="link">{format!("#{}", r.id)}</a>
                    " · " {state_text(&r.state).text(lang)} {crate::portal::colon(lang)} {next_step_text(&r.state).text(lang)} {ends}
                </li>
            }
        })
        .collect_view();
    let empty = data.rows.is_empty();
    view! {
        <div class="space-y-6">
            <PageTitle name=P::MyDossiersHeading.text(lang) />
            {notice(lang, data.notice.clone())}
            <h1 class="text-2xl font-bold">{P::MyDossiersHeading.text(lang)}</h1>
            {if empty {
                view! { <p>{P::NoDossiers.text(lang)}</p> }.into_any()
            } else {
                view! {
                    <section aria-labelledby="todo-heading" class="space-y-2">
                        <h2 id="todo-heading" class="text-lg font-bold">{P::WhatNext.text(lang)}</h2>
                        <ul class="list-disc space-y-1 pl-5" id="next-steps">{next_steps}</ul>
                    </section>
                    {news(lang, &data.news)}
                    {rows_table(lang, &data.rows, false)}
                }
                .into_any()
            }}
            <p><a href="/check" class="button-secondary">{P::StartFromCheck.text(lang)}</a></p>
            <section aria-labelledby="my-data-heading" class="space-y-1">
                <h2 id="my-data-heading" class="text-lg font-bold">{P::PrivacyRightsHeading.text(lang)}</h2>
                <p><a href="/account/data" class="link" id="my-data" download>{P::MyData.text(lang)}</a></p>
                <p class="hint">{P::MyDataHint.text(lang)} <a href="/privacy" class="link">{P::ConsentPrivacyLink.text(lang)}</a></p>
            </section>
        </div>
    }
    .into_any()
}

/// What others did to the person's dossiers lately: each step with its day, the dossier, the
/// state it led to and who took it, newest first.
fn news(lang: Lang, news: &[(i64, HistoryLine)]) -> AnyView {
    let body = if news.is_empty() {
        view! { <p id="news-none" class="text-sm">{P::NewsNone.text(lang)}</p> }.into_any()
    } else {
        let items = news
            .iter()
            .map(|(id, h)| {
                let to = h
                    .to_state
                    .as_deref()
                    .map(|s| format!(" → {}", state_text(s).text(lang)));
                view! {
                    <li data-dossier=id.to_string() data-action=h.action.clone()>
                        <span class="text-slate-600">{h.at.clone()}</span> " "
                        <a href=format!("/dossiers/{id}") class="link">{format!("#{id}")}</a> " "
                        {action_text(&h.action).text(lang)} {to} " · "
                        <span class="actor">{actor(lang, h)}</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ol class="space-y-1" id="news">{items}</ol> }.into_any()
    };
    view! {
        <section aria-labelledby="news-heading" class="space-y-2">
            <h2 id="news-heading" class="text-lg font-bold">{P::NewsHeading.text(lang)}</h2>
            <p class="hint">{P::NewsLead.text(lang)}</p>
            {body}
        </section>
    }
    .into_any()
}

fn reason_for(data: &DossierPageData, field: &str) -> Option<String> {
    let reasons: Vec<&str> = data
        .reasons
        .iter()
        .filter(|(f, _)| f.split(['[', '.']).next() == Some(field))
        .map(|(_, r)| r.as_str())
        .collect();
    (!reasons.is_empty()).then(|| reasons.join("；"))
}

/// The problem shown beside a field: a validation problem first, else a reviewer's reason.
fn beside(lang: Lang, data: &DossierPageData, field: &str) -> Option<String> {
    crate::components::form::problem_for(lang, &data.problems, field)
        .or_else(|| reason_for(data, field).map(|r| format!("{}{r}", P::ReturnedReason.text(lang))))
}

fn edit_form(lang: Lang, data: &DossierPageData) -> AnyView {
    let f = &data.fields;
    let spec = |name: &'static str, label: P, value: &str, hint: Option<P>| FieldSpec {
        name,
        label: label.text(lang).into(),
        value: value.to_owned(),
        hint: hint.map(|h| h.text(lang).to_owned()),
        problem: beside(lang, data, name),
    };
    let employers: Vec<(String, String)> = data
        .employers
        .iter()
        .map(|c| (c.code.clone(), c.label.get(lang).to_owned()))
        .collect();
    let targets: Vec<(String, String)> = data
        .targets
        .iter()
        .map(|t| (t.key.clone(), status_label(lang, t)))
        .collect();
    let kinds: Vec<(String, String)> = data
        .kinds
        .iter()
        .map(|c| (c.code.clone(), c.label.get(lang).to_owned()))
        .collect();
    let achievements_problem = beside(lang, data, "achievements");
    let rows = f
        .achievements
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let n = i + 1;
            let name = |part: &str| format!("a{i}_{part}");
            let problem = |part: &str| {
                crate::components::form::problem_for(lang, &data.problems, &name(part))
            };
            view! {
                <fieldset class="row-box space-y-3">
                    <legend class="font-semibold">{P::AchievementN.text(lang).replace("{n}", &n.to_string())}</legend>
                    {select(
                        FieldSpec { name: &name("kind"), label: P::AchievementKind.text(lang).into(), value: a.kind.clone(), hint: None, problem: problem("kind") },
                        kinds.clone(),
                        P::Choose.text(lang).into(),
                    )}
                    {input(FieldSpec { name: &name("title"), label: P::AchievementTitle.text(lang).into(), value: a.title.clone(), hint: None, problem: problem("title") }, "text", "off")}
                    {input(FieldSpec { name: &name("date"), label: P::AchievementDate.text(lang).into(), value: a.date.clone(), hint: Some(P::DateHint.text(lang).into()), problem: problem("date") }, "text", "off")}
                    {input(FieldSpec { name: &name("role"), label: P::AchievementRole.text(lang).into(), value: a.role.clone(), hint: Some(P::AchievementRoleHint.text(lang).into()), problem: problem("role") }, "text", "off")}
                    {textarea(FieldSpec { name: &name("description"), label: P::AchievementDescription.text(lang).into(), value: a.description.clone(), hint: None, problem: problem("description") }, 3)}
                    <button type="submit" name="nav" value=format!("del_{i}") class="button-secondary">
                        {P::RemoveAchievement.text(lang).replace("{n}", &n.to_string())}
                    </button>
                </fieldset>
            }
        })
        .collect_view();
    let attachments = data
        .attachments
        .iter()
        .map(|a| {
            view! {
                <li class="flex flex-wrap items-center gap-3">
                    <a href=format!("/dossiers/{}/attachments/{}", data.id, a.id) class="link">{a.name.clone()}</a>
                    <span class="text-sm text-slate-600">{format!("{} · {} KB", a.content_type, (a.size + 1023) / 1024)}</span>
                    <button type="submit" name="nav" value=format!("rm_{}", a.id) class="button-secondary">
                        {P::RemoveFile.text(lang)}
                    </button>
                </li>
            }
        })
        .collect_view();
    let attachment_problem = beside(lang, data, "attachments");
    view! {
        <form method="post" action=format!("/dossiers/{}", data.id) enctype="multipart/form-data" class="space-y-8" id="dossier-form" novalidate>
            // Enter in a field saves; it never submits the application by accident.
            <button type="submit" name="nav" value="save" class="sr-only" tabindex="-1" aria-hidden="true">{P::SaveDraft.text(lang)}</button>
            <input type="hidden" name="version" value=data.version.to_string() />
            <section aria-labelledby="about-heading" class="space-y-4">
                <h2 id="about-heading" class="text-xl font-bold">{P::AboutYou.text(lang)}</h2>
                {input(spec("full_name", P::FieldFullName, &f.full_name, None), "text", "name")}
                {input(spec("id_number", P::FieldIdNumber, &f.id_number, Some(P::IdNumberHint)), "text", "off")}
                {select(spec("org", P::FieldOrg, &f.org, Some(P::OrgHint)), employers, P::Choose.text(lang).into())}
                {input(spec("occupation", P::FieldOccupation, &f.occupation, Some(P::OccupationHint)), "text", "off")}
                {input(spec("current_post", P::FieldCurrentPost, &f.current_post, None), "text", "organization-title")}
            </section>
            <section aria-labelledby="target-heading" class="space-y-4">
                <h2 id="target-heading" class="text-xl font-bold">{P::TargetHeading.text(lang)}</h2>
                {select(spec("target", P::FieldTarget, &f.target, Some(P::TargetHint)), targets, P::Choose.text(lang).into())}
                <p class="text-sm">
                    <a href=format!("/check?step=8&{}", data.answers_query) class="link">{P::SeeAnswers.text(lang)}</a>
                </p>
                <p class="hint">{P::AnswersChangeHint.text(lang)}</p>
            </section>
            <section aria-labelledby="achievements-heading" class="space-y-4" id="achievements">
                <h2 id="achievements-heading" class="text-xl font-bold">{P::FieldAchievements.text(lang)}</h2>
                <p class="hint">{P::AchievementsHint.text(lang)}</p>
                {achievements_problem.map(|p| view! { <p class="field-error">{p}</p> })}
                {rows}
                <button type="submit" name="nav" value="add" class="button-secondary" id="add-achievement">{P::AddAchievement.text(lang)}</button>
            </section>
            <section aria-labelledby="attachments-heading" class="space-y-4">
                <h2 id="attachments-heading" class="text-xl font-bold">{P::FieldAttachments.text(lang)}</h2>
                {attachment_problem.map(|p| view! { <p class="field-error">{p}</p> })}
                <ul class="space-y-2" id="attachment-list">{attachments}</ul>
                <div class="field">
                    <label for="attachments" class="label">{P::UploadLabel.text(lang)}</label>
                    <p id="attachments-hint" class="hint">{P::UploadHint.text(lang)}</p>
                    <input type="file" id="attachments" name="file" accept="application/pdf,image/jpeg,image/png" aria-describedby="attachments-hint" class="input" />
                </div>
            </section>
            {declaration(lang, &data.problems)}
            <div class="flex flex-wrap gap-4">
                <button type="submit" name="nav" value="save" class="button-secondary" id="save">{P::SaveDraft.text(lang)}</button>
                <button type="submit" name="nav" value="submit" class="button-primary" id="submit">{P::SubmitDossier.text(lang)}</button>
            </div>
            <p class="text-sm text-slate-600">{P::SubmitHint.text(lang)}</p>
            <DraftAutosave dossier=data.id />
        </form>
    }
    .into_any()
}

fn read_only(lang: Lang, data: &DossierPageData) -> AnyView {
    let f = &data.fields;
    let target = data
        .targets
        .iter()
        .find(|t| t.key == f.target)
        .map(|t| t.label.get(lang).to_owned())
        .unwrap_or_else(|| f.target.clone());
    let employer = data
        .employers
        .iter()
        .find(|c| c.code == f.org)
        .map(|c| c.label.get(lang).to_owned())
        .unwrap_or_else(|| f.org.clone());
    let row = |label: P, value: String| crate::components::table::summary_row(lang, label, value);
    let achievements = f
        .achievements
        .iter()
        .map(|a| {
            let kind = data
                .kinds
                .iter()
                .find(|k| k.code == a.kind)
                .map(|k| k.label.get(lang).to_owned())
                .unwrap_or_else(|| a.kind.clone());
            view! {
                <li class="row-box space-y-1">
                    <p class="font-semibold">{a.title.clone()}</p>
                    <p class="text-sm">{kind} " · " {a.date.clone()} " · " {a.role.clone()}</p>
                    <p class="text-sm whitespace-pre-line">{a.description.clone()}</p>
                </li>
            }
        })
        .collect_view();
    let files = data
        .attachments
        .iter()
        .map(|a| {
            view! {
                <li><a href=format!("/dossiers/{}/attachments/{}", data.id, a.id) class="link">{a.name.clone()}</a></li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="details-heading" class="space-y-4">
            <h2 id="details-heading" class="text-xl font-bold">{P::DetailsHeading.text(lang)}</h2>
            <dl class="summary-list">
                {row(P::FieldFullName, f.full_name.clone())}
                {row(P::FieldIdNumber, f.id_number.clone())}
                {row(P::FieldOrg, employer)}
                {row(P::FieldOccupation, f.occupation.clone())}
                {row(P::FieldCurrentPost, f.current_post.clone())}
                {row(P::FieldTarget, target)}
                {row(P::Committee, data.committee.get(lang).to_owned())}
            </dl>
            <h3 class="text-lg font-bold">{P::FieldAchievements.text(lang)}</h3>
            <ul class="space-y-2">{achievements}</ul>
            <h3 class="text-lg font-bold">{P::FieldAttachments.text(lang)}</h3>
            <ul class="list-disc pl-5">{files}</ul>
            <p class="text-sm"><a href=format!("/check?step=8&{}", data.answers_query) class="link">{P::SeeAnswers.text(lang)}</a></p>
        </section>
    }
    .into_any()
}

/// The declaration of truthfulness and consent (诚信承诺) a submission needs, never ticked in
/// advance: consent is given each time, by the person.
fn declaration(lang: Lang, problems: &[crate::portal::FieldProblem]) -> AnyView {
    let problem = crate::components::form::problem_for(lang, problems, "declaration");
    view! {
        <section aria-labelledby="declaration-heading" class="space-y-2">
            <h2 id="declaration-heading" class="text-xl font-bold">{P::DeclarationHeading.text(lang)}</h2>
            {tick("declaration", P::Declaration.text(lang).into(), false, problem)}
            <p class="hint">
                <a href="/privacy" class="link" target="_blank" rel="noopener">{P::ConsentPrivacyLink.text(lang)}</a>
            </p>
        </section>
    }
    .into_any()
}

/// The owner's way to delete a draft never submitted (its attachments with it), confirmed by a
/// tick; a separate form, so it never posts the draft's fields.
fn delete_form(lang: Lang, data: &DossierPageData) -> Option<AnyView> {
    // Only a draft never submitted: a withdrawn one keeps its receipt and is kept.
    if !(data.editable && data.state == "draft" && data.receipt.is_none()) {
        return None;
    }
    let problem = crate::components::form::problem_for(lang, &data.problems, "confirm_delete");
    Some(
        view! {
            <section aria-labelledby="delete-heading" class="space-y-2 row-box">
                <h2 id="delete-heading" class="text-lg font-bold">{P::DeleteDraftHeading.text(lang)}</h2>
                <p class="hint">{P::DeleteDraftLead.text(lang)}</p>
                <form method="post" action=format!("/dossiers/{}/delete", data.id) class="space-y-2" novalidate>
                    <input type="hidden" name="version" value=data.version.to_string() />
                    {tick("confirm_delete", P::ConfirmDelete.text(lang).into(), false, problem)}
                    <button type="submit" class="button-secondary" id="delete-draft">{P::DeleteDraft.text(lang)}</button>
                </form>
            </section>
        }
        .into_any(),
    )
}

/// The owner's way to take a submitted dossier back before the employer decides, confirmed by
/// a tick.
fn withdraw_form(lang: Lang, data: &DossierPageData) -> Option<AnyView> {
    if !(data.actor == "applicant" && data.state == "submitted") {
        return None;
    }
    let problem = crate::components::form::problem_for(lang, &data.problems, "confirm_withdraw");
    Some(
        view! {
            <section aria-labelledby="withdraw-heading" class="space-y-2 row-box" id="withdraw">
                <h2 id="withdraw-heading" class="text-lg font-bold">{P::WithdrawHeading.text(lang)}</h2>
                <p class="hint">{P::WithdrawLead.text(lang)}</p>
                <form method="post" action=format!("/dossiers/{}/withdraw", data.id) class="space-y-2" novalidate>
                    <input type="hidden" name="version" value=data.version.to_string() />
                    {tick("confirm_withdraw", P::ConfirmWithdraw.text(lang).into(), false, problem)}
                    <button type="submit" class="button-secondary" id="withdraw-button">{P::WithdrawButton.text(lang)}</button>
                </form>
            </section>
        }
        .into_any(),
    )
}

/// What the owner is told once a dossier waits for the employer: that it is in, and what comes
/// next and when (the publicity's length from the rules in force).
fn submitted_panel(lang: Lang, data: &DossierPageData) -> Option<AnyView> {
    if !(data.actor == "applicant" && data.state == "submitted") {
        return None;
    }
    let lead = P::SubmittedLead
        .text(lang)
        .replace("{id}", &data.id.to_string())
        .replace("{date}", data.submitted_on.as_deref().unwrap_or(""));
    let publicity = P::SubmittedStepPublicity
        .text(lang)
        .replace("{days}", &data.unit_publicity_days.to_string());
    Some(
        view! {
            <section aria-labelledby="submitted-heading" class="notice notice-ok space-y-2" id="submitted-panel">
                <h2 id="submitted-heading" class="text-lg font-bold">{P::SubmittedHeading.text(lang)}</h2>
                <p>{lead}</p>
                <h3 class="font-semibold">{P::SubmittedNextHeading.text(lang)}</h3>
                <ol class="list-decimal pl-6 space-y-1">
                    <li>{P::SubmittedStepEmployer.text(lang)}</li>
                    <li>{publicity}</li>
                    <li>{P::SubmittedStepCheck.text(lang)}</li>
                    <li>{P::SubmittedStepReview.text(lang)}</li>
                </ol>
            </section>
        }
        .into_any(),
    )
}

/// The owner's request for a review (复查) of a result that did not pass, while it may be made.
fn appeal_form(lang: Lang, data: &DossierPageData) -> Option<AnyView> {
    let until = data.appeal_until.as_ref()?;
    let problem = crate::components::form::problem_for(lang, &data.problems, "appeal_reason");
    let spec = crate::components::form::FieldSpec {
        name: "appeal_reason",
        label: P::AppealReason.text(lang).into(),
        value: String::new(),
        hint: None,
        problem,
    };
    Some(
        view! {
            <section aria-labelledby="appeal-heading" class="space-y-2 row-box" id="appeal">
                <h2 id="appeal-heading" class="text-lg font-bold">{P::AppealHeading.text(lang)}</h2>
                <p class="hint">{P::AppealHint.text(lang).replace("{date}", until)}</p>
                <form method="post" action=format!("/dossiers/{}/appeal", data.id) class="space-y-2" novalidate>
                    {crate::components::form::textarea(spec, 4)}
                    <button type="submit" class="button-primary">{P::AppealSubmit.text(lang)}</button>
                </form>
            </section>
        }
        .into_any(),
    )
}

/// The reviewer's decision form: approve/accept, or return with a reason per field.
fn decision_form(lang: Lang, data: &DossierPageData) -> Option<AnyView> {
    // What the viewer may decide now comes from the procedure's table (`decisions`).
    let may = |d: &str| data.decisions.iter().any(|x| x == d);
    let (approve, ret, heading) = match data.actor.as_str() {
        _ if may("end_publicity") => {
            return Some(
                view! {
                    <form method="post" action=format!("/dossiers/{}/decision", data.id) class="space-y-2">
                        <input type="hidden" name="version" value=data.version.to_string() />
                        <p>{P::PublicityRunning.text(lang).replace("{date}", data.publicity_ends.as_deref().unwrap_or(""))}</p>
                        <button type="submit" name="action" value="end_publicity" class="button-primary" id="end-publicity" disabled=!data.publicity_over>
                            {P::EndPublicity.text(lang)}
                        </button>
                    </form>
                }
                .into_any(),
            )
        }
        "employer_hr" if may("approve") => (P::EmployerApprove, P::EmployerReturn, P::EmployerDecision),
        "committee_office" if may("approve") => (P::CommitteeAccept, P::CommitteeReturn, P::CommitteeDecision),
        _ => return None,
    };
    let reasons = REASON_FIELDS
        .iter()
        .map(|field| {
            let name = format!("reason_{field}");
            let label = format!(
                "{}{}",
                P::ReasonFor.text(lang),
                field_text(field).text(lang)
            );
            textarea(
                FieldSpec {
                    name: &name,
                    label,
                    value: String::new(),
                    hint: None,
                    problem: crate::components::form::problem_for(lang, &data.problems, &name),
                },
                2,
            )
        })
        .collect_view();
    // Approving is confirmed with a tick, and what a reviewer may have missed is said first.
    let warnings: Vec<P> = [
        (data.attachments.is_empty(), P::WarnNoAttachments),
        (data.fields.achievements.is_empty(), P::WarnNoAchievements),
    ]
    .into_iter()
    .filter_map(|(shown, text)| shown.then_some(text))
    .collect();
    let warnings = (!warnings.is_empty()).then(|| {
        let items = warnings
            .into_iter()
            .map(|w| view! { <li>{w.text(lang)}</li> })
            .collect_view();
        view! {
            <div class="notice notice-warn" id="approve-warnings">
                <ul class="list-disc pl-5">{items}</ul>
            </div>
        }
    });
    let confirm_problem = crate::components::form::problem_for(lang, &data.problems, "confirm");
    Some(
        view! {
            <section aria-labelledby="decision-heading" class="space-y-4 row-box">
                <h2 id="decision-heading" class="text-xl font-bold">{heading.text(lang)}</h2>
                <form method="post" action=format!("/dossiers/{}/decision", data.id) class="space-y-4" novalidate>
                    <input type="hidden" name="version" value=data.version.to_string() />
                    {warnings}
                    {tick("confirm", P::ConfirmApprove.text(lang).into(), false, confirm_problem)}
                    <button type="submit" name="action" value="approve" class="button-primary" id="approve">{approve.text(lang)}</button>
                    // Open when a reason field has a problem, so the error summary's link lands on it.
                    <details open=data.problems.iter().any(|p| p.field.starts_with("reason_"))>
                        <summary class="cursor-pointer font-semibold">{P::ReturnWithReasons.text(lang)}</summary>
                        <div class="mt-4 space-y-3">
                            <p class="hint">{P::ReturnHint.text(lang)}</p>
                            {reasons}
                            <button type="submit" name="action" value="return" class="button-secondary" id="return">{ret.text(lang)}</button>
                        </div>
                    </details>
                </form>
            </section>
        }
        .into_any(),
    )
}

/// Who took a step of the timeline: "王建国（申报人）", "系统" / "Wang Jianguo (applicant)",
/// "the system".
fn actor(lang: Lang, h: &HistoryLine) -> String {
    let part = part_text(&h.actor_part).map(|p| p.text(lang));
    match (h.actor_name.as_str(), part) {
        ("", Some(part)) => part.to_owned(),
        (name, None) => name.to_owned(),
        (name, Some(part)) if lang == Lang::Zh => format!("{name}（{part}）"),
        (name, Some(part)) => format!("{name} ({part})"),
    }
}

/// `/dossiers/{id}`
#[component]
pub fn DossierPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<DossierPageData>() else {
        return missing(lang);
    };
    let back = if data.actor == "applicant" {
        ("/dossiers", P::BackToMyDossiers)
    } else {
        ("/review", P::BackToQueue)
    };
    let reasons = (!data.reasons.is_empty()).then(|| {
        let items = data
            .reasons
            .iter()
            .map(|(field, reason)| {
                view! { <li><strong>{field_text(field).text(lang)}</strong> {crate::portal::colon(lang)} {reason.clone()}</li> }
            })
            .collect_view();
        view! {
            <section class="notice notice-warn" aria-labelledby="reasons-heading" id="return-reasons">
                <h2 id="reasons-heading" class="font-bold">{P::ReturnedHeading.text(lang)}</h2>
                <ul class="list-disc pl-5">{items}</ul>
            </section>
        }
    });
    let history = data
        .history
        .iter()
        .map(|h| {
            let to = h
                .to_state
                .as_deref()
                .map(|s| format!(" → {}", state_text(s).text(lang)));
            view! {
                <li data-part=h.actor_part.clone()>
                    <span class="text-slate-600">{h.at.clone()}</span> " " {action_text(&h.action).text(lang)} {to} " · "
                    <span class="actor">{actor(lang, h)}</span>
                </li>
            }
        })
        .collect_view();
    // A withdrawn dossier keeps its last receipt in the record, but it is a draft again: no
    // submission stands, so none is shown.
    let receipt = data.receipt.clone().filter(|_| data.state != "draft").map(|r| {
        let rule_set = P::ReceiptRuleSetOf.text(lang).replace("{id}", &r.rule_set.0).replace("{version}", &r.rule_set.1);
        view! {
            <section aria-labelledby="receipt-heading" class="space-y-1 text-sm" id="receipt">
                <h2 id="receipt-heading" class="text-lg font-bold">{P::ReceiptHeading.text(lang)}</h2>
                <p>{P::ReceiptSubmitted.text(lang)} {r.submitted_on}</p>
                <p>{P::ReceiptTarget.text(lang)} {r.target.get(lang).to_owned()}</p>
                <p>{P::ReceiptStatus.text(lang)} {target_status_text(&r.target_status).text(lang)}</p>
                <p>{P::ReceiptRules.text(lang)} {r.rules.get(lang).to_owned()}</p>
                // What only someone checking the receipt needs stays folded.
                <details id="receipt-details">
                    <summary class="cursor-pointer">{P::ReceiptVerify.text(lang)}</summary>
                    <p>{P::ReceiptRuleSet.text(lang)} {rule_set}</p>
                    <p class="break-all">{P::ReceiptHash.text(lang)} <code>{r.content_hash}</code></p>
                </details>
            </section>
        }
    });
    let publicity = data.publicity_ends.clone().map(|d| {
        view! { <p>{P::PublicityUntil.text(lang).replace("{date}", &d)}</p> }
    });
    let main = if data.editable {
        edit_form(lang, &data)
    } else {
        read_only(lang, &data)
    };
    view! {
        <div class="space-y-6">
            <a href=back.0 class="back-link">{back.1.text(lang)}</a>
            {error_summary(lang, &data.problems)}
            {notice(lang, data.notice.clone())}
            <div>
                <p class="caption">{P::DossierNumber.text(lang)} " " {format!("#{}", data.id)}</p>
                <PageTitle name=P::DossierHeading.text(lang) errors=!data.problems.is_empty() />
                <h1 class="text-2xl font-bold">{P::DossierHeading.text(lang)}</h1>
                <p class="mt-1">
                    <span class="badge badge-unknown" id="dossier-state" data-state=data.state.clone()>{state_text(&data.state).text(lang)}</span>
                    " " {(data.actor == "applicant").then(|| next_step_text(&data.state).text(lang))}
                </p>
                {publicity}
                {data.certificate.clone().map(|number| view! {
                    <p class="mt-1">
                        <a class="link" id="certificate-link" href=format!("/dossiers/{}/certificate", data.id)>{P::CertificateLink.text(lang)}</a>
                        {format!(" · {}{}{number}", P::CertificateNumber.text(lang), crate::portal::colon(lang))}
                    </p>
                })}
            </div>
            {data.bar.as_ref().map(|bar| crate::pages::certificates::bar_notice(lang, bar))}
            {submitted_panel(lang, &data)}
            {reasons}
            {appeal_form(lang, &data)}
            {decision_form(lang, &data)}
            {main}
            {delete_form(lang, &data)}
            {withdraw_form(lang, &data)}
            {receipt}
            <section aria-labelledby="history-heading" class="space-y-2">
                <h2 id="history-heading" class="text-lg font-bold">{P::HistoryHeading.text(lang)}</h2>
                <ol class="space-y-1 text-sm" id="history">{history}</ol>
            </section>
        </div>
    }
    .into_any()
}
