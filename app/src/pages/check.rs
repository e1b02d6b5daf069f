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
    get, parse_query, step_of, verdict, Answers, ErrorText, FieldError, SkillRow, TitleRow, REVIEW,
    STEPS,
};
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

    view! {
        <DataBlock data=data.clone() />
        <div class="grid gap-8 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
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

fn err_text(lang: Lang, e: &ErrorText) -> String {
    match e {
        ErrorText::Msg(m) => t(lang, *m).to_owned(),
        ErrorText::Engine(zh, en) => match lang {
            Lang::Zh => zh.clone(),
            Lang::En => en.clone(),
        },
    }
}

/// The GOV.UK error summary: at the top, announced, each problem a link to its field.
#[component]
fn ErrorSummary(errors: Vec<FieldError>) -> impl IntoView {
    let lang = use_lang();
    (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title">
                <h2 id="error-summary-title" class="text-lg font-bold">
                    {t(lang, Msg::ErrorSummaryTitle)}
                </h2>
                <ul class="mt-2 list-disc pl-5">
                    {errors
                        .iter()
                        .map(|e| {
                            view! {
                                <li>
                                    <a href=format!("#{}", e.name)>{err_text(lang, &e.message)}</a>
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
        .map(|e| err_text(lang, &e.message))
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

/// Checkboxes of codes plus "none of these".
fn checkboxes(
    lang: Lang,
    name: &'static str,
    legend: Msg,
    items: Vec<(String, String)>,
    values: &[String],
) -> impl IntoView {
    let mut all = items;
    all.push(("none".into(), t(lang, Msg::NoneOfThese).to_owned()));
    view! {
        <fieldset class="field">
            <legend class="label">{t(lang, legend)}</legend>
            <div class="space-y-2">
                {all
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

/// Check your answers: each answer with a Change link to its step.
fn review_page(
    lang: Lang,
    a: &Answers,
    cat: &CatalogueView,
    review_years: &[i32],
) -> impl IntoView {
    let q = a.query();
    let not_answered = t(lang, Msg::NotAnswered).to_owned();
    let or_na = |s: String| {
        if s.is_empty() {
            not_answered.clone()
        } else {
            s
        }
    };
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
        _ => String::new(),
    };
    let region = if a.region.is_empty() {
        t(lang, Msg::RegionNational).to_owned()
    } else {
        find(&cat.regions, &a.region)
    };
    let mut levels = cat.skill_levels.clone();
    levels.extend(cat.posts.iter().cloned());
    let skills = {
        let mut parts: Vec<String> = vec![yn(&a.has_sl)];
        if a.has_sl != "no" {
            parts.extend(
                a.sl.iter()
                    .filter(|r| !r.level.is_empty())
                    .map(|r| format!("{} {} {}", find(&levels, &r.level), r.on, r.occ)),
            );
        }
        parts.retain(|s| !s.trim().is_empty());
        parts.join("；")
    };
    let titles = {
        let mut parts: Vec<String> = vec![yn(&a.has_t)];
        if a.has_t != "no" {
            parts.extend(a.titles.iter().filter(|r| !r.level.is_empty()).map(|r| {
                let series = cat
                    .series
                    .iter()
                    .find(|s| s.code == r.series)
                    .map(|s| name_of(lang, &s.zh, &s.en))
                    .unwrap_or_default();
                format!("{series} {} {}", find(&cat.title_levels, &r.level), r.on)
            }));
        }
        parts.retain(|s| !s.trim().is_empty());
        parts.join("；")
    };
    let work = [a.work_on.clone(), a.years.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
    let grades: Vec<rules::CatalogueItem> = cat.review_grades.clone();
    let reviews = review_years
        .iter()
        .copied()
        .filter_map(|y| {
            a.reviews
                .get(&y.to_string())
                .filter(|g| !g.is_empty())
                .map(|g| format!("{y}: {}", find(&grades, g)))
        })
        .collect::<Vec<_>>()
        .join("；");
    let list = |codes: &[String], items: &[rules::CatalogueItem]| {
        codes
            .iter()
            .map(|c| {
                if c == "none" {
                    t(lang, Msg::NoneOfThese).to_owned()
                } else {
                    find(items, c)
                }
            })
            .collect::<Vec<_>>()
            .join("、")
    };
    let honours = [list(&a.honours, &cat.honours), list(&a.posts, &cat.posts)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
    let rows = vec![
        (1u8, Msg::StepRegion, region),
        (2, Msg::StepSkills, or_na(skills)),
        (3, Msg::StepTitles, or_na(titles)),
        (4, Msg::StepWork, or_na(work)),
        (5, Msg::StepReviews, or_na(reviews)),
        (6, Msg::StepHonours, or_na(honours)),
        (7, Msg::StepDegree, or_na(yn(&a.degree))),
    ];
    view! {
        <dl class="summary-list">
            {rows
                .into_iter()
                .map(|(step, question, answer)| {
                    let href = format!("/check?step={step}&ret=review&{q}");
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

/// The button that removes one row of a repeated group (a plain submit, so it works without
/// JavaScript); its accessible name says which row.
fn remove_row_button(lang: Lang, value: String, label: String) -> impl IntoView {
    view! {
        <button type="submit" name="nav" value=value class="button-secondary" aria-label=label>
            {t(lang, Msg::RemoveRow)}
        </button>
    }
}
