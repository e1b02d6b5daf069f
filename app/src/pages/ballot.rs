//! The secret ballot's parts of the pages: the office's section of `/sessions/{id}`
//! (attendance, quorum, opening, turnout, closing, the count), the expert's ballot on their
//! dossier page, and `/expert/sessions/{id}/result`, where the chair signs the count. Plain
//! forms; a count is shown only once the ballot is closed.

use leptos::prelude::*;

use crate::components::form::{error_summary, notice, problem_for, tick};
use crate::components::layout::PageTitle;
use crate::components::table::data_table;
use crate::i18n::{use_lang, Lang};
use crate::portal::sessions::{BallotData, ResultRow, SignData};
use crate::portal::{page_data, FieldProblem, P};

pub(crate) fn group_name(lang: Lang, kind: &str) -> &'static str {
    if kind == "high_skill" {
        P::GroupHighSkill.text(lang)
    } else {
        P::GroupGeneral.text(lang)
    }
}

fn outcome_name(lang: Lang, outcome: &str) -> &'static str {
    match outcome {
        "passed" => P::OutcomePassed.text(lang),
        "not_passed" => P::OutcomeNotPassed.text(lang),
        _ => P::OutcomeNoQuorum.text(lang),
    }
}

fn fill(text: &str, pairs: &[(&str, String)]) -> String {
    pairs.iter().fold(text.to_owned(), |t, (k, v)| {
        t.replace(&format!("{{{k}}}"), v)
    })
}

/// The count of a closed ballot, one row per applicant.
pub fn results_table(lang: Lang, results: &[ResultRow]) -> AnyView {
    let rows = results
        .iter()
        .map(|r| {
            view! {
                <tr class="border-t border-slate-200" data-dossier=r.dossier_id.to_string() data-outcome=r.outcome.clone()>
                    <td class="p-2" data-label=P::ResultApplicant.text(lang)>{r.applicant.clone()}</td>
                    <td class="p-2" data-label=P::ResultGroup.text(lang)>{group_name(lang, &r.group)}</td>
                    <td class="p-2" data-label=P::ResultBase.text(lang)>{format!("{} / {}", r.base, r.members - r.recused)}</td>
                    <td class="p-2" data-label=P::ResultAgree.text(lang)>{r.agree.to_string()}</td>
                    <td class="p-2" data-label=P::ResultDisagree.text(lang)>{r.disagree.to_string()}</td>
                    <td class="p-2" data-label=P::ResultAbstain.text(lang)>{r.abstain.to_string()}</td>
                    <td class="p-2" data-label=P::ResultNeeded.text(lang)>{r.pass_needed.to_string()}</td>
                    <td class="p-2 font-semibold" data-label=P::ResultOutcome.text(lang)>{outcome_name(lang, &r.outcome)}</td>
                </tr>
            }
        })
        .collect_view();
    let heads = [
        P::ResultApplicant,
        P::ResultGroup,
        P::ResultBase,
        P::ResultAgree,
        P::ResultDisagree,
        P::ResultAbstain,
        P::ResultNeeded,
        P::ResultOutcome,
    ];
    data_table(lang, "results", &heads, rows.into_any())
}

fn sealed_line(lang: Lang, sealed: &Option<(String, String, String)>) -> Option<AnyView> {
    sealed.as_ref().map(|(by, at, hash)| {
        let text = fill(
            P::SealedLine.text(lang),
            &[
                ("by", by.clone()),
                ("at", at.clone()),
                ("hash", hash.clone()),
            ],
        );
        view! { <p class="text-sm break-all" id="sealed">{text}</p> }.into_any()
    })
}

/// The office's ballot section of a session's page.
pub fn ballot_section(
    lang: Lang,
    session_id: i64,
    b: &BallotData,
    problems: &[FieldProblem],
) -> AnyView {
    let base = format!("/sessions/{session_id}/ballot");
    let hint = fill(
        P::BallotHint.text(lang),
        &[("quorum", b.quorum.clone()), ("pass", b.pass.clone())],
    );
    let phase = match b.phase.as_str() {
        "open" => P::BallotPhaseOpen,
        "closed" => P::BallotPhaseClosed,
        "sealed" => P::BallotPhaseSealed,
        _ => P::BallotPhaseNotOpen,
    };
    let groups = b
        .groups
        .iter()
        .map(|(kind, members, attending, needed)| {
            let line = fill(
                P::QuorumLine.text(lang),
                &[
                    ("group", group_name(lang, kind).to_owned()),
                    ("attending", attending.to_string()),
                    ("members", members.to_string()),
                    ("needed", needed.to_string()),
                ],
            );
            let verdict = if attending >= needed {
                P::QuorumMet.text(lang).to_owned()
            } else {
                fill(
                    P::QuorumShort.text(lang),
                    &[("short", (needed - attending).to_string())],
                )
            };
            view! { <li>{format!("{line} · {verdict}")}</li> }
        })
        .collect_view();
    let short = b
        .short
        .iter()
        .map(|(name, recused, attending, needed)| {
            let line = fill(
                P::QuorumApplicantShort.text(lang),
                &[
                    ("name", name.clone()),
                    ("recused", recused.to_string()),
                    ("attending", attending.to_string()),
                    ("needed", needed.to_string()),
                ],
            );
            view! { <li>{line}</li> }
        })
        .collect_view();
    let body = match b.phase.as_str() {
        _ if !b.drawn => view! { <p>{P::BallotNeedsDraw.text(lang)}</p> }.into_any(),
        "not_open" => {
            let boxes = b
                .members
                .iter()
                .map(|(id, name, kind, attending)| {
                    let field = format!("attend-{id}");
                    view! {
                        <div class="choice">
                            <input type="checkbox" name="attending" value=id.to_string() id=field.clone() checked=*attending />
                            <label for=field>{format!("{name} · {}", group_name(lang, kind))}</label>
                        </div>
                    }
                })
                .collect_view();
            let attendance_problem = problem_for(lang, problems, "attending");
            let described = attendance_problem.as_ref().map(|_| "attending-error");
            view! {
                <form method="post" action=format!("{base}/attendance") class="space-y-3" novalidate>
                    <fieldset id="attending" tabindex="-1" class="space-y-2" aria-describedby=described>
                        <legend class="font-semibold">{P::AttendanceHeading.text(lang)}</legend>
                        <p class="text-sm">{P::AttendanceHint.text(lang)}</p>
                        {attendance_problem.map(|e| view! { <p id="attending-error" class="field-error">{e}</p> })}
                        {boxes}
                    </fieldset>
                    <button type="submit" class="button-secondary">{P::AttendanceSave.text(lang)}</button>
                </form>
                <form method="post" action=format!("{base}/open")>
                    <button type="submit" class="button-primary" id="ballot-open">{P::BallotOpenButton.text(lang)}</button>
                </form>
            }
            .into_any()
        }
        "open" => {
            let turnout = b
                .turnout
                .iter()
                .map(|(name, voted, of)| {
                    let line = fill(
                        P::TurnoutLine.text(lang),
                        &[
                            ("name", name.clone()),
                            ("voted", voted.to_string()),
                            ("base", of.to_string()),
                        ],
                    );
                    view! { <li>{line}</li> }
                })
                .collect_view();
            view! {
                <ul class="list-disc pl-6" id="turnout">{turnout}</ul>
                <form method="post" action=format!("{base}/close") class="space-y-3" novalidate>
                    {tick("confirm", P::BallotCloseConfirm.text(lang).to_owned(), false, problem_for(lang, problems, "confirm"))}
                    <button type="submit" class="button-primary" id="ballot-close">{P::BallotCloseButton.text(lang)}</button>
                </form>
            }
            .into_any()
        }
        _ => view! {
            <h3 class="font-semibold">{P::ResultsHeading.text(lang)}</h3>
            {results_table(lang, &b.results)}
            {sealed_line(lang, &b.sealed)}
            <p><a class="link" id="record-link" href=format!("/sessions/{session_id}/record")>{P::RecordLink.text(lang)}</a></p>
        }
        .into_any(),
    };
    view! {
        <section aria-labelledby="ballot-heading" class="space-y-3" id="ballot">
            <h2 id="ballot-heading" class="text-xl font-semibold">{P::BallotHeading.text(lang)}</h2>
            <p class="text-sm">{hint}</p>
            <p role="status" id="ballot-phase">{phase.text(lang)}</p>
            {(!b.groups.is_empty()).then(|| view! { <ul class="list-disc pl-6" id="quorum">{groups}</ul> })}
            {(!b.short.is_empty()).then(|| view! { <ul class="list-disc pl-6" id="quorum-short">{short}</ul> })}
            {body}
        </section>
    }
    .into_any()
}

/// The expert's ballot on their dossier page: the form while they may vote, else where they
/// stand (never what they chose).
pub fn vote_section(lang: Lang, action: &str, turn: &str, problems: &[FieldProblem]) -> AnyView {
    let body = match turn {
        "open" => {
            let problem = problem_for(lang, problems, "choice");
            let described = problem.as_ref().map(|_| "choice-error");
            let options = [
                ("agree", P::ResultAgree),
                ("disagree", P::ResultDisagree),
                ("abstain", P::ResultAbstain),
            ]
            .into_iter()
            .map(|(value, label)| {
                let id = format!("choice-{value}");
                view! {
                    <div class="choice">
                        <input type="radio" name="choice" value=value id=id.clone() />
                        <label for=id>{label.text(lang)}</label>
                    </div>
                }
            })
            .collect_view();
            view! {
                <form method="post" action=format!("{action}/ballot") class="space-y-3" novalidate>
                    <fieldset id="choice" tabindex="-1" class="space-y-2" aria-describedby=described>
                        <legend class="font-semibold">{P::VoteHeading.text(lang)}</legend>
                        {problem.map(|e| view! { <p id="choice-error" class="field-error">{e}</p> })}
                        {options}
                    </fieldset>
                    <button type="submit" class="button-primary">{P::VoteButton.text(lang)}</button>
                </form>
            }
            .into_any()
        }
        other => {
            let said = match other {
                "voted" => P::VoteDone,
                "closed" => P::VoteClosed,
                "not_attending" => P::VoteNotAttending,
                _ => P::VoteNotOpen,
            };
            view! { <p id="vote-state">{said.text(lang)}</p> }.into_any()
        }
    };
    view! {
        <section aria-labelledby="vote-heading" class="space-y-3" id="vote">
            <h2 id="vote-heading" class="text-xl font-semibold">{P::VoteHeading.text(lang)}</h2>
            <p class="text-sm">{P::VoteHint.text(lang)}</p>
            {body}
        </section>
    }
    .into_any()
}

/// `/expert/sessions/{id}/result`
#[component]
pub fn SignPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<SignData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let problems = data.problems.clone();
    let form = data.sealed.is_none().then(|| {
        view! {
            <form method="post" action=format!("/expert/sessions/{}/result", data.session_id) class="space-y-3" novalidate>
                <p class="text-sm">{P::SignHint.text(lang)}</p>
                {tick("confirm", P::SignConfirm.text(lang).to_owned(), false, problem_for(lang, &problems, "confirm"))}
                <button type="submit" class="button-primary">{P::SignButton.text(lang)}</button>
            </form>
        }
    });
    view! {
        <PageTitle name=format!("{} · {}", P::SignHeading.text(lang), data.session) errors=!problems.is_empty() />
        <div class="space-y-6">
            <div>
                <p class="caption">{format!("{} ({})", data.session, data.sits_on)}</p>
                <h1 class="text-2xl font-bold">{P::SignHeading.text(lang)}</h1>
            </div>
            {notice(lang, data.notice.clone())}
            {error_summary(lang, &problems)}
            <section aria-labelledby="results-heading" class="space-y-3">
                <h2 id="results-heading" class="text-xl font-semibold">{P::ResultsHeading.text(lang)}</h2>
                {results_table(lang, &data.results)}
                {sealed_line(lang, &data.sealed)}
            </section>
            {form}
        </div>
    }
    .into_any()
}
