//! `/check`: the self-check, one question per step, with the live verdict beside the form.
//!
//! Every step is a plain GET form: the answers of the other steps ride along in hidden inputs,
//! so the whole flow works without JavaScript (the server evaluates on each round trip). With
//! JavaScript the same form's `input` events feed the same parser and `rules::evaluate` in the
//! browser (the `LiveVerdict` island), against the rule set the server embedded as a JSON data
//! block. The rest of the page is rendered on the server only.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use rules::CatalogueView;

use crate::check::{
    capitalised, error_text, get, parse_query, step_of, verdict, Answers, FieldError, SkillRow,
    TitleRow, REVIEW, STEPS,
};
use crate::components::layout::PageTitle;
use crate::components::verdict::{load_check_data, ClientTools, DataBlock, LiveVerdict, FORM_ID};
use crate::i18n::{t, use_lang, Lang, Msg};

/// What a request asks of the page, worked out from its query string.
struct Request {
    answers: Answers,
    step: u8,
    show_errors: bool,
    ret_review: bool,
}

fn interpret(query: &str, errors_at: impl Fn(&Answers, u8) -> bool) -> Request {
    let pairs = parse_query(query);
    let mut answers = Answers::from_pairs(&pairs);
    let at = get(&pairs, "at")
        .and_then(|s| s.parse::<u8>().ok())
        .unwrap_or(1)
        .clamp(1, REVIEW);
    let ret_review = get(&pairs, "ret") == Some("review");
    let nav = get(&pairs, "nav").unwrap_or("");
    let mut show_errors = false;
    let step = match nav {
        "next" => {
            if errors_at(&answers, at) {
                show_errors = true;
                at
            } else if ret_review {
                REVIEW
            } else {
                (at + 1).min(REVIEW)
            }
        }
        "back" => at.saturating_sub(1).max(1),
        "add_sl" => {
            answers.has_sl = "yes".into();
            let n = answers.sl.len().max(1);
            answers.sl.resize(n + 1, SkillRow::default());
            at
        }
        "add_t" => {
            answers.has_t = "yes".into();
            let n = answers.titles.len().max(1);
            answers.titles.resize(n + 1, TitleRow::default());
            at
        }
        n if n.starts_with("del_sl_") => {
            if let Some(i) = n[7..]
                .parse::<usize>()
                .ok()
                .filter(|i| *i < answers.sl.len())
            {
                answers.sl.remove(i);
            }
            at
        }
        n if n.starts_with("del_t_") => {
            if let Some(i) = n[6..]
                .parse::<usize>()
                .ok()
                .filter(|i| *i < answers.titles.len())
            {
                answers.titles.remove(i);
            }
            at
        }
        _ => get(&pairs, "step")
            .and_then(|s| s.parse::<u8>().ok())
            .unwrap_or(1)
            .clamp(1, REVIEW),
    };
    Request {
        answers,
        step,
        show_errors,
        ret_review,
    }
}

/// `/check`
#[component]
pub fn CheckPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_location().search.get_untracked();
    let region = Answers::from_pairs(&parse_query(&query))
        .region_code()
        .to_owned();
    let Some(data) = load_check_data(&region) else {
        return view! { <p role="alert">{t(lang, Msg::ErrorBody)}</p> }.into_any();
    };
    let as_of = data.as_of;
    let rules = &data.rules;
    let req = interpret(&query, |a, step| {
        verdict(rules, a, as_of)
            .errors
            .iter()
            .any(|e| e.step == step)
    });
    let cat = rules.catalogue();
    let step = req.step;
    let errors: Vec<FieldError> = if req.show_errors || step == REVIEW {
        verdict(rules, &req.answers, as_of)
            .errors
            .into_iter()
            .filter(|e| step == REVIEW || e.step == step)
            .collect()
    } else {
        Vec::new()
    };
    let a = req.answers;
    let q = a.query();
    let back_href = format!("/check?step={}&{q}", step.saturating_sub(1).max(1));
    let hidden: Vec<(String, String)> = a
        .to_pairs()
        .into_iter()
        .filter(|(k, _)| step == REVIEW || step_of(k) != step)
        .collect();
    let heading = step_heading(step);
    // The assessment years asked about follow the rule set's `annual_reviews` conditions.
    let years = crate::check::review_years(as_of, rules);
    let form = if step == REVIEW {
        review_page(lang, &a, &cat, &years).into_any()
    } else {
        step_form(
            lang,
            step,
            &a,
            &cat,
            &errors,
            &years,
            hidden,
            req.ret_review,
        )
        .into_any()
    };

    let has_errors = !errors.is_empty();
    view! {
        <PageTitle name=t(lang, heading) errors=has_errors />
        <DataBlock data=data.clone() />
        <div class="check-layout grid gap-8 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
            <div class="space-y-6">
                {(step > 1)
                    .then(|| {
                        view! {
                            <a href=back_href rel="external" class="back-link no-print">
                                {t(lang, Msg::Back)}
                            </a>
                        }
                    })}
                <ErrorSummary errors=errors.clone() />
                <div>
                    {(step <= STEPS)
                        .then(|| {
                            view! {
                                <p class="caption" id="step-indicator">
                                    {t(lang, Msg::StepOf)
                                        .replace("{n}", &step.to_string())
                                        .replace("{total}", &STEPS.to_string())}
                                </p>
                            }
                        })}
                    <h1 class="text-2xl font-bold">{t(lang, heading)}</h1>
                </div>
                {crate::portal::results::use_bar()
                    .map(|bar| crate::pages::certificates::bar_notice(lang, &bar))}
                {form}
                <p class="text-sm text-slate-600 no-print">{t(lang, Msg::PrivacyNote)}</p>
                <ClientTools query=q.clone() restore=true />
            </div>
            <LiveVerdict query=q step />
        </div>
    }
    .into_any()
}

fn step_heading(step: u8) -> Msg {
    match step {
        1 => Msg::StepRegion,
        2 => Msg::StepSkills,
        3 => Msg::StepTitles,
        4 => Msg::StepWork,
        5 => Msg::StepReviews,
        6 => Msg::StepHonours,
        7 => Msg::StepDegree,
        _ => Msg::ReviewHeading,
    }
}

/// The GOV.UK error summary: at the top, announced, each problem a link to its field. It takes
/// the focus when the page loads (`autofocus`, so also without JavaScript): after a failed
/// Continue the keyboard and the screen reader start at the list of problems.
#[component]
fn ErrorSummary(errors: Vec<FieldError>) -> impl IntoView {
    let lang = use_lang();
    (!errors.is_empty()).then(|| {
        view! {
            <div
                class="error-summary"
                role="alert"
                aria-labelledby="error-summary-title"
                tabindex="-1"
                autofocus=true
                id="error-summary"
            >
                <h2 id="error-summary-title" class="text-lg font-bold">
                    {t(lang, Msg::ErrorSummaryTitle)}
                </h2>
                <ul class="mt-2 list-disc pl-5">
                    {errors
                        .iter()
                        .map(|e| {
                            view! {
                                <li>
                                    <a href=format!("#{}", e.name)>{error_text(lang, e)}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

fn field_error(lang: Lang, errors: &[FieldError], name: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.name == name)
        .map(|e| error_text(lang, e))
}

fn name_of(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// A text input with label, hint and error.
fn text_field(
    lang: Lang,
    name: String,
    label: String,
    hint: Option<Msg>,
    value: String,
    errors: &[FieldError],
    numeric: bool,
) -> impl IntoView {
    let error = field_error(lang, errors, &name);
    let hint_id = format!("{name}-hint");
    let err_id = format!("{name}-error");
    let describedby = [
        hint.map(|_| hint_id.clone()),
        error.as_ref().map(|_| err_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let class = if error.is_some() {
        "input input-error"
    } else {
        "input"
    };
    view! {
        <div class="field">
            <label for=name.clone() class="label">
                {label}
            </label>
            {hint.map(|h| view! { <p id=hint_id.clone() class="hint">{t(lang, h)}</p> })}
            {error.map(|e| view! { <p id=err_id.clone() class="field-error">{e}</p> })}
            <input
                type="text"
                id=name.clone()
                name=name
                value=value
                class=class
                inputmode=numeric.then_some("decimal")
                autocomplete="off"
                aria-describedby=(!describedby.is_empty()).then_some(describedby)
            />
        </div>
    }
}

/// A select with label; `options` are (value, text).
fn select_field(
    name: String,
    label: String,
    value: String,
    options: Vec<(String, String)>,
    placeholder: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=name.clone() class="label">
                {label}
            </label>
            <select id=name.clone() name=name class="input">
                <option value="" selected=value.is_empty()>
                    {placeholder}
                </option>
                {options
                    .into_iter()
                    .map(|(v, text)| {
                        let selected = v == value;
                        view! {
                            <option value=v selected=selected>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Yes / no / not sure radios in a fieldset.
fn yes_no(
    lang: Lang,
    name: &'static str,
    legend: Msg,
    hint: Option<Msg>,
    value: &str,
) -> impl IntoView {
    // Nothing is preselected (GOV.UK): "not sure" is an answer of its own, `unknown`.
    let choices = [
        ("yes", Msg::Yes),
        ("no", Msg::No),
        ("unknown", Msg::NotSure),
    ];
    view! {
        <fieldset class="field">
            <legend class="label">{t(lang, legend)}</legend>
            {hint.map(|h| view! { <p class="hint">{t(lang, h)}</p> })}
            <div class="flex flex-wrap gap-4">
                {choices
                    .into_iter()
                    .enumerate()
                    .map(|(i, (v, m))| {
                        let id = if i == 0 { name.to_owned() } else { format!("{name}-{i}") };
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name=name value=v checked=value == v />
                                <label for=id>{t(lang, m)}</label>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}

/// Checkboxes of codes, then "none of these" set apart by "or" (GOV.UK): choosing it clears the
/// others and choosing another clears it (in the browser, `data-exclusive`; on the server,
/// [`Answers::from_pairs`] keeps the choices when both arrive).
fn checkboxes(
    lang: Lang,
    name: &'static str,
    legend: Msg,
    items: Vec<(String, String)>,
    values: &[String],
) -> impl IntoView {
    let none_id = format!("{name}-none");
    let none_checked = values.iter().any(|v| v == "none");
    view! {
        <fieldset class="field">
            <legend class="label">{t(lang, legend)}</legend>
            <div class="space-y-2">
                {items
                    .into_iter()
                    .enumerate()
                    .map(|(i, (v, text))| {
                        let id = if i == 0 { name.to_owned() } else { format!("{name}-{i}") };
                        let checked = values.contains(&v);
                        view! {
                            <div class="choice">
                                <input type="checkbox" id=id.clone() name=name value=v checked=checked />
                                <label for=id>{text}</label>
                            </div>
                        }
                    })
                    .collect_view()}
                <p class="choice-divider">{t(lang, Msg::Or)}</p>
                <div class="choice">
                    <input
                        type="checkbox"
                        id=none_id.clone()
                        name=name
                        value="none"
                        checked=none_checked
                        data-exclusive="true"
                    />
                    <label for=none_id>{t(lang, Msg::NoneOfThese)}</label>
                </div>
            </div>
        </fieldset>
    }
}

fn items(lang: Lang, list: &[rules::CatalogueItem]) -> Vec<(String, String)> {
    list.iter()
        .map(|i| (i.code.clone(), name_of(lang, &i.zh, &i.en)))
        .collect()
}

fn skill_level_options(lang: Lang, cat: &CatalogueView) -> Vec<(String, String)> {
    let mut out = items(lang, &cat.skill_levels);
    out.extend(cat.posts.iter().map(|p| {
        (
            p.code.clone(),
            format!(
                "{}{}",
                name_of(lang, &p.zh, &p.en),
                t(lang, Msg::PostCertificateSuffix)
            ),
        )
    }));
    out
}

#[allow(clippy::too_many_arguments)]
fn step_form(
    lang: Lang,
    step: u8,
    a: &Answers,
    cat: &CatalogueView,
    errors: &[FieldError],
    review_years: &[i32],
    hidden: Vec<(String, String)>,
    ret_review: bool,
) -> impl IntoView {
    let choose = t(lang, Msg::ChooseOption).to_owned();
    let fields = match step {
        1 => {
            let mut opts = vec![];
            opts.extend(items(lang, &cat.regions));
            view! {
                <div class="field">
                    <label for="region" class="label">
                        {t(lang, Msg::RegionLabel)}
                    </label>
                    <p class="hint">{t(lang, Msg::RegionHint)}</p>
                    <select id="region" name="region" class="input">
                        <option value="" selected=a.region.is_empty()>
                            {t(lang, Msg::RegionNational)}
                        </option>
                        {opts
                            .into_iter()
                            .map(|(v, text)| {
                                let selected = v == a.region;
                                view! {
                                    <option value=v selected=selected>
                                        {text}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            }
            .into_any()
        }
        2 => {
            let rows = if a.sl.is_empty() {
                vec![SkillRow::default()]
            } else {
                a.sl.clone()
            };
            let n = rows.len();
            let levels = skill_level_options(lang, cat);
            let occs: Vec<(String, String)> = cat
                .occupations
                .iter()
                .map(|o| {
                    (
                        o.code.clone(),
                        format!("{} {}", o.code, name_of(lang, &o.zh, &o.en)),
                    )
                })
                .collect();
            view! {
                {yes_no(lang, "has_sl", Msg::HasSkillsLegend, None, &a.has_sl)}
                <input type="hidden" name="sl_n" value=n.to_string() />
                {rows
                    .into_iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let legend = t(lang, Msg::SkillRowLegend).replace("{n}", &(i + 1).to_string());
                        let remove_label = format!("{} {}", t(lang, Msg::RemoveRow), legend);
                        view! {
                            <fieldset class="row-box">
                                <legend class="font-semibold">{legend}</legend>
                                {select_field(
                                    format!("sl{i}_level"),
                                    t(lang, Msg::LevelLabel).into(),
                                    r.level.clone(),
                                    levels.clone(),
                                    choose.clone(),
                                )}
                                {text_field(
                                    lang,
                                    format!("sl{i}_on"),
                                    t(lang, Msg::ObtainedOnLabel).into(),
                                    Some(Msg::DateHint),
                                    r.on.clone(),
                                    errors,
                                    false,
                                )}
                                {select_field(
                                    format!("sl{i}_occ"),
                                    t(lang, Msg::OccupationLabel).into(),
                                    r.occ.clone(),
                                    occs.clone(),
                                    choose.clone(),
                                )}
                                {(n > 1)
                                    .then(|| remove_row_button(lang, format!("del_sl_{i}"), remove_label))}
                            </fieldset>
                        }
                        .into_any()
                    })
                    .collect_view()}
                <button type="submit" name="nav" value="add_sl" class="button-secondary">
                    {t(lang, Msg::AddSkill)}
                </button>
            }
            .into_any()
        }
        3 => {
            let rows = if a.titles.is_empty() {
                vec![TitleRow::default()]
            } else {
                a.titles.clone()
            };
            let n = rows.len();
            let series: Vec<(String, String)> = cat
                .series
                .iter()
                .map(|s| (s.code.clone(), name_of(lang, &s.zh, &s.en)))
                .collect();
            let levels = items(lang, &cat.title_levels);
            view! {
                {yes_no(lang, "has_t", Msg::HasTitlesLegend, None, &a.has_t)}
                <input type="hidden" name="t_n" value=n.to_string() />
                {rows
                    .into_iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let legend = t(lang, Msg::TitleRowLegend).replace("{n}", &(i + 1).to_string());
                        let remove_label = format!("{} {}", t(lang, Msg::RemoveRow), legend);
                        view! {
                            <fieldset class="row-box">
                                <legend class="font-semibold">{legend}</legend>
                                {select_field(
                                    format!("t{i}_series"),
                                    t(lang, Msg::SeriesLabel).into(),
                                    r.series.clone(),
                                    series.clone(),
                                    choose.clone(),
                                )}
                                {select_field(
                                    format!("t{i}_level"),
                                    t(lang, Msg::TitleLevelLabel).into(),
                                    r.level.clone(),
                                    levels.clone(),
                                    choose.clone(),
                                )}
                                {text_field(
                                    lang,
                                    format!("t{i}_on"),
                                    t(lang, Msg::ObtainedOnLabel).into(),
                                    Some(Msg::DateHint),
                                    r.on.clone(),
                                    errors,
                                    false,
                                )}
                                {(n > 1)
                                    .then(|| remove_row_button(lang, format!("del_t_{i}"), remove_label))}
                            </fieldset>
                        }
                        .into_any()
                    })
                    .collect_view()}
                <button type="submit" name="nav" value="add_t" class="button-secondary">
                    {t(lang, Msg::AddTitle)}
                </button>
            }
            .into_any()
        }
        4 => view! {
            {text_field(
                lang,
                "work_on".into(),
                t(lang, Msg::WorkStartLabel).into(),
                Some(Msg::DateHint),
                a.work_on.clone(),
                errors,
                false,
            )}
            {text_field(
                lang,
                "years".into(),
                t(lang, Msg::YearsLabel).into(),
                Some(Msg::YearsHint),
                a.years.clone(),
                errors,
                true,
            )}
        }
        .into_any(),
        5 => {
            let grades: Vec<(String, String)> = cat
                .review_grades
                .iter()
                .map(|g| (g.code.clone(), name_of(lang, &g.zh, &g.en)))
                .collect();
            view! {
                <p class="hint">{t(lang, Msg::ReviewsHint)}</p>
                {review_years
                    .iter()
                    .copied()
                    .map(|y| {
                        let name = format!("rev_{y}");
                        let value = a.reviews.get(&y.to_string()).cloned().unwrap_or_default();
                        select_field(
                            name,
                            t(lang, Msg::ReviewYear).replace("{y}", &y.to_string()),
                            value,
                            grades.clone(),
                            t(lang, Msg::NotSure).into(),
                        )
                    })
                    .collect_view()}
            }
            .into_any()
        }
        6 => view! {
            {checkboxes(lang, "honour", Msg::HonoursLegend, items(lang, &cat.honours), &a.honours)}
            {checkboxes(lang, "post", Msg::PostsLegend, items(lang, &cat.posts), &a.posts)}
        }
        .into_any(),
        _ => yes_no(
            lang,
            "degree",
            Msg::DegreeLegend,
            Some(Msg::DegreeHint),
            &a.degree,
        )
        .into_any(),
    };

    view! {
        <form
            method="get"
            action="/check"
            novalidate
            class="space-y-6"
            id=FORM_ID
        >
            // The first submit button is the form's default: Enter in a field means Continue.
            <button type="submit" name="nav" value="next" class="sr-only" tabindex="-1" aria-hidden="true">
                {t(lang, Msg::Next)}
            </button>
            <input type="hidden" name="at" value=step.to_string() />
            {ret_review.then(|| view! { <input type="hidden" name="ret" value="review" /> })}
            {hidden
                .into_iter()
                .map(|(k, v)| view! { <input type="hidden" name=k value=v /> })
                .collect_view()}
            {fields}
            <div class="flex flex-wrap gap-4">
                <button type="submit" name="nav" value="next" class="button-primary" id="next">
                    {t(lang, Msg::Next)}
                </button>
            </div>
        </form>
    }
}

/// Check your answers: each answer under the question's short name, with a Change link to its
/// step. Codes are named (level, occupation, series, grade), lists are one item a line.
fn review_page(
    lang: Lang,
    a: &Answers,
    cat: &CatalogueView,
    review_years: &[i32],
) -> impl IntoView {
    let q = a.query();
    let rows = summary_rows(lang, a, cat, review_years);
    view! {
        <dl class="summary-list">
            {rows
                .into_iter()
                .map(|(step, question, lines)| {
                    let href = format!("/check?step={step}&ret=review&{q}");
                    let answer = if lines.len() > 1 {
                        view! {
                            <ul class="summary-lines">
                                {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    } else {
                        lines.into_iter().next().unwrap_or_default().into_any()
                    };
                    view! {
                        <div class="summary-row">
                            <dt class="font-semibold">{t(lang, question)}</dt>
                            <dd>{answer}</dd>
                            <dd>
                                <a href=href rel="external">
                                    {t(lang, Msg::Change)}
                                    <span class="sr-only">{" "}{t(lang, question)}</span>
                                </a>
                            </dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
        <a href=format!("/check/result?{q}") rel="external" class="button-primary" id="see-result">
            {t(lang, Msg::SeeResult)}
        </a>
    }
}

/// The rows of check-your-answers: (step, question, lines of the answer).
pub(crate) fn summary_rows(
    lang: Lang,
    a: &Answers,
    cat: &CatalogueView,
    review_years: &[i32],
) -> Vec<(u8, Msg, Vec<String>)> {
    let find = |list: &[rules::CatalogueItem], code: &str| {
        list.iter()
            .find(|i| i.code == code)
            .map(|i| name_of(lang, &i.zh, &i.en))
            .unwrap_or_else(|| code.to_owned())
    };
    let yn = |v: &str| match v {
        "yes" => t(lang, Msg::Yes).to_owned(),
        "no" => t(lang, Msg::No).to_owned(),
        "unknown" => t(lang, Msg::NotSure).to_owned(),
        _ => t(lang, Msg::NotAnswered).to_owned(),
    };
    let or_missing = |s: &str, missing: Msg| {
        if s.is_empty() {
            t(lang, missing).to_owned()
        } else {
            s.to_owned()
        }
    };
    let region = if a.region.is_empty() {
        t(lang, Msg::RegionNational).to_owned()
    } else {
        find(&cat.regions, &a.region)
    };
    let mut levels = cat.skill_levels.clone();
    levels.extend(cat.posts.iter().cloned());
    let occupation = |code: &str| match cat.occupations.iter().find(|o| o.code == code) {
        Some(o) => t(lang, Msg::SumOccupation)
            .replace("{name}", &name_of(lang, &o.zh, &o.en))
            .replace("{code}", code),
        None if code.is_empty() => t(lang, Msg::SumOccMissing).to_owned(),
        None => code.to_owned(),
    };
    let mut skills = vec![yn(&a.has_sl)];
    if a.has_sl != "no" {
        skills.extend(a.sl.iter().filter(|r| !r.level.is_empty()).map(|r| {
            t(lang, Msg::SumSkillLine)
                .replace("{level}", &find(&levels, &r.level))
                .replace("{date}", &or_missing(&r.on, Msg::SumDateMissing))
                .replace("{occ}", &occupation(&r.occ))
        }));
    }
    let mut titles = vec![yn(&a.has_t)];
    if a.has_t != "no" {
        titles.extend(a.titles.iter().filter(|r| !r.level.is_empty()).map(|r| {
            let series = cat
                .series
                .iter()
                .find(|s| s.code == r.series)
                .map(|s| name_of(lang, &s.zh, &s.en))
                .unwrap_or_else(|| r.series.clone());
            t(lang, Msg::SumTitleLine)
                .replace("{series}", &series)
                .replace("{level}", &find(&cat.title_levels, &r.level))
                .replace("{date}", &or_missing(&r.on, Msg::SumDateMissing))
        }));
    }
    // A line of a list starts a sentence in English.
    let line = |s: String| match lang {
        Lang::En => capitalised(&s),
        Lang::Zh => s,
    };
    let skills: Vec<String> = skills.into_iter().map(line).collect();
    let titles: Vec<String> = titles.into_iter().map(line).collect();
    let reviews: Vec<String> = review_years
        .iter()
        .copied()
        .filter_map(|y| {
            a.reviews
                .get(&y.to_string())
                .filter(|g| !g.is_empty())
                .map(|g| {
                    t(lang, Msg::SumReviewLine)
                        .replace("{y}", &y.to_string())
                        .replace("{grade}", &find(&cat.review_grades, g))
                })
        })
        .collect();
    let list = |codes: &[String], items: &[rules::CatalogueItem]| -> String {
        if codes.is_empty() {
            return t(lang, Msg::NotAnswered).to_owned();
        }
        codes
            .iter()
            .map(|c| {
                if c == "none" {
                    t(lang, Msg::SumNone).to_owned()
                } else {
                    find(items, c)
                }
            })
            .collect::<Vec<_>>()
            .join(t(lang, Msg::ListSep))
    };
    let one = |s: &str| vec![or_missing(s, Msg::NotAnswered)];
    vec![
        (1u8, Msg::SumRegion, vec![region]),
        (2, Msg::SumSkills, skills),
        (3, Msg::SumTitles, titles),
        (4, Msg::SumWorkOn, one(&a.work_on)),
        (4, Msg::SumYears, one(&a.years)),
        (
            5,
            Msg::SumReviews,
            if reviews.is_empty() {
                vec![t(lang, Msg::NotAnswered).to_owned()]
            } else {
                reviews
            },
        ),
        (6, Msg::SumHonours, vec![list(&a.honours, &cat.honours)]),
        (6, Msg::SumPosts, vec![list(&a.posts, &cat.posts)]),
        (7, Msg::SumDegree, vec![yn(&a.degree)]),
    ]
}

/// The self-check answers of `query` as check-your-answers lists them, in both languages, for
/// those who read a dossier (the expert's workspace): (question, lines of the answer). The
/// assessment years asked about are those of `as_of`, the day the answers were given.
pub fn answers_summary(
    query: &str,
    rules: &rules::ResolvedRuleSet,
    as_of: chrono::NaiveDate,
) -> Vec<(crate::portal::Bi, Vec<crate::portal::Bi>)> {
    use crate::portal::Bi;
    let a = Answers::from_pairs(&parse_query(query));
    let cat = rules.catalogue();
    let years = crate::check::review_years(as_of, rules);
    let zh = summary_rows(Lang::Zh, &a, &cat, &years);
    let en = summary_rows(Lang::En, &a, &cat, &years);
    zh.into_iter()
        .zip(en)
        .map(|((_, q, zh_lines), (_, _, en_lines))| {
            let lines = zh_lines
                .into_iter()
                .zip(en_lines)
                .map(|(zh, en)| Bi::new(zh, en))
                .collect();
            (Bi::new(t(Lang::Zh, q), t(Lang::En, q)), lines)
        })
        .collect()
}

/// The button that removes one row of a repeated group (a plain submit, so it works without
/// JavaScript); its accessible name says which row.
fn remove_row_button(lang: Lang, value: String, label: String) -> impl IntoView {
    view! {
        <button type="submit" name="nav" value=value class="button-secondary" aria-label=label>
            {t(lang, Msg::RemoveRow)}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::tests::rules_for;

    fn rows(lang: Lang, q: &str) -> Vec<(u8, Msg, Vec<String>)> {
        let (rules, day) = rules_for("national");
        let a = Answers::from_pairs(&parse_query(q));
        summary_rows(
            lang,
            &a,
            &rules.catalogue(),
            &crate::check::review_years(day, &rules),
        )
    }

    fn answer(rows: &[(u8, Msg, Vec<String>)], m: Msg) -> String {
        rows.iter()
            .find(|r| r.1 == m)
            .map(|r| r.2.join("\n"))
            .unwrap_or_else(|| panic!("no row {m:?}"))
    }

    const Q: &str = "has_sl=yes&sl0_level=technician&sl0_on=2023-07-01&sl0_occ=6-18-01-01&has_t=yes&t0_series=engineering&t0_level=assistant&t0_on=2019-01-01&work_on=2010-03-01&years=6&rev_2023=pass&rev_2024=excellent&honour=none&post=none&degree=no";

    #[test]
    fn check_your_answers_names_codes_and_asks_the_right_questions() {
        let zh = rows(Lang::Zh, Q);
        let skills = answer(&zh, Msg::SumSkills);
        assert!(skills.contains("车工（6-18-01-01）"), "{skills}");
        assert!(skills.contains("技师，2023-07-01取得"), "{skills}");
        assert!(answer(&zh, Msg::SumTitles).contains("工程系列"));
        // The degree question was about a related major, and says so.
        assert_eq!(answer(&zh, Msg::SumDegree), "否");
        assert_eq!(t(Lang::Zh, Msg::SumDegree), "毕业于与职业相关的专业");
        // The date of starting work and the years are separate answers.
        assert_eq!(answer(&zh, Msg::SumWorkOn), "2010-03-01");
        assert_eq!(answer(&zh, Msg::SumYears), "6");
        // "None of these" is not repeated: each list says "none" under its own question.
        let all: String = zh
            .iter()
            .flat_map(|r| r.2.clone())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(!all.contains("以上都没有"), "{all}");
        assert_eq!(answer(&zh, Msg::SumHonours), "无");
        assert_eq!(answer(&zh, Msg::SumPosts), "无");
    }

    #[test]
    fn check_your_answers_in_english_has_no_chinese_punctuation_or_code_quotes() {
        let en = rows(Lang::En, Q);
        let all: String = en
            .iter()
            .flat_map(|r| r.2.clone())
            .collect::<Vec<_>>()
            .join("\n");
        for bad in ['；', '、', '（', '`'] {
            assert!(!all.contains(bad), "{bad} in {all}");
        }
        let skills = answer(&en, Msg::SumSkills);
        assert!(
            skills.contains("Technician, obtained 2023-07-01, lathe operator (6-18-01-01)"),
            "{skills}"
        );
        assert!(answer(&en, Msg::SumReviews).contains(": "));
    }

    #[test]
    fn the_summary_for_readers_pairs_each_question_and_line_in_both_languages() {
        let (rules, day) = rules_for("national");
        let summary = answers_summary(Q, &rules, day);
        assert_eq!(summary.len(), rows_len(), "one row per question");
        let skills = summary
            .iter()
            .find(|(q, _)| q.zh == t(Lang::Zh, Msg::SumSkills))
            .expect("the skills question");
        assert_eq!(skills.0.en, t(Lang::En, Msg::SumSkills));
        assert!(skills.1.iter().any(|l| l.zh.contains("车工（6-18-01-01）")));
        assert!(skills.1.iter().any(|l| l.en.contains("6-18-01-01")));
        // The lines agree: each Chinese line beside its English one.
        assert_eq!(
            summary.iter().map(|(_, l)| l.len()).sum::<usize>(),
            rows(Lang::En, Q).iter().map(|r| r.2.len()).sum::<usize>()
        );
    }

    fn rows_len() -> usize {
        rows(Lang::Zh, Q).len()
    }
}
