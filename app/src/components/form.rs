//! Form widgets of the server-rendered pages (accounts, dossiers, review): labelled fields whose
//! hint and error are tied to the input with `aria-describedby`, the error summary at the top of
//! the page, and the notice after an action.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::portal::{FieldProblem, Notice, P};

/// The problem reported for a field, if any.
pub fn problem_for(lang: Lang, problems: &[FieldProblem], field: &str) -> Option<String> {
    problems
        .iter()
        .find(|p| p.field == field)
        .map(|p| p.text(lang).to_owned())
}

fn described_by(hint_id: Option<&str>, err_id: Option<&str>) -> Option<String> {
    let ids: Vec<&str> = [hint_id, err_id].into_iter().flatten().collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// What an input shows: its name (also its id), label, value, hint and problem.
pub struct FieldSpec<'a> {
    pub name: &'a str,
    pub label: String,
    pub value: String,
    pub hint: Option<String>,
    pub problem: Option<String>,
}

/// A labelled single-line input. `kind` is the HTML input type.
pub fn input(spec: FieldSpec<'_>, kind: &'static str, autocomplete: &'static str) -> AnyView {
    let FieldSpec {
        name,
        label,
        value,
        hint,
        problem,
    } = spec;
    let hint_id = format!("{name}-hint");
    let err_id = format!("{name}-error");
    let aria = described_by(
        hint.as_ref().map(|_| hint_id.as_str()),
        problem.as_ref().map(|_| err_id.as_str()),
    );
    let class = if problem.is_some() {
        "input input-error"
    } else {
        "input"
    };
    // Passwords are never sent back to the page.
    let value = (kind != "password").then_some(value);
    view! {
        <div class="field">
            <label for=name.to_owned() class="label">{label}</label>
            {hint.map(|h| view! { <p id=hint_id.clone() class="hint">{h}</p> })}
            {problem.map(|e| view! { <p id=err_id.clone() class="field-error">{e}</p> })}
            <input
                type=kind
                id=name.to_owned()
                name=name.to_owned()
                value=value
                class=class
                autocomplete=autocomplete
                aria-describedby=aria
                aria-invalid=(class != "input").then_some("true")
            />
        </div>
    }
    .into_any()
}

/// A labelled multi-line input.
pub fn textarea(spec: FieldSpec<'_>, rows: u32) -> AnyView {
    let FieldSpec {
        name,
        label,
        value,
        hint,
        problem,
    } = spec;
    let hint_id = format!("{name}-hint");
    let err_id = format!("{name}-error");
    let aria = described_by(
        hint.as_ref().map(|_| hint_id.as_str()),
        problem.as_ref().map(|_| err_id.as_str()),
    );
    let invalid = problem.is_some();
    view! {
        <div class="field">
            <label for=name.to_owned() class="label">{label}</label>
            {hint.map(|h| view! { <p id=hint_id.clone() class="hint">{h}</p> })}
            {problem.map(|e| view! { <p id=err_id.clone() class="field-error">{e}</p> })}
            <textarea
                id=name.to_owned()
                name=name.to_owned()
                rows=rows.to_string()
                class=if invalid { "input input-error" } else { "input" }
                aria-describedby=aria
                aria-invalid=invalid.then_some("true")
            >
                {value}
            </textarea>
        </div>
    }
    .into_any()
}

/// A labelled select; `options` are (value, text); the first option is the empty placeholder.
pub fn select(spec: FieldSpec<'_>, options: Vec<(String, String)>, placeholder: String) -> AnyView {
    let FieldSpec {
        name,
        label,
        value,
        hint,
        problem,
    } = spec;
    let hint_id = format!("{name}-hint");
    let err_id = format!("{name}-error");
    let aria = described_by(
        hint.as_ref().map(|_| hint_id.as_str()),
        problem.as_ref().map(|_| err_id.as_str()),
    );
    let invalid = problem.is_some();
    view! {
        <div class="field">
            <label for=name.to_owned() class="label">{label}</label>
            {hint.map(|h| view! { <p id=hint_id.clone() class="hint">{h}</p> })}
            {problem.map(|e| view! { <p id=err_id.clone() class="field-error">{e}</p> })}
            <select
                id=name.to_owned()
                name=name.to_owned()
                class=if invalid { "input input-error" } else { "input" }
                aria-describedby=aria
                aria-invalid=invalid.then_some("true")
            >
                <option value="" selected=value.is_empty()>{placeholder}</option>
                {options
                    .into_iter()
                    .map(|(v, text)| {
                        let selected = v == value;
                        view! { <option value=v selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
    .into_any()
}

/// The GOV.UK error summary: first on the page, announced, each problem a link to its field.
pub fn error_summary(lang: Lang, problems: &[FieldProblem]) -> Option<AnyView> {
    (!problems.is_empty()).then(|| {
        let items = problems
            .iter()
            .map(|p| {
                view! { <li><a href=format!("#{}", p.field)>{p.text(lang).to_owned()}</a></li> }
            })
            .collect_view();
        view! {
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
                <h2 id="error-summary-title" class="text-lg font-bold">
                    {P::ErrorSummaryTitle.text(lang)}
                </h2>
                <ul class="mt-2 list-disc pl-5">{items}</ul>
            </div>
        }
        .into_any()
    })
}

/// The outcome of the last action, announced politely.
pub fn notice(lang: Lang, notice: Option<Notice>) -> Option<AnyView> {
    notice.map(|n| {
        let detail = n.detail.map(|(zh, en)| match lang {
            Lang::Zh => zh,
            Lang::En => en,
        });
        view! {
            <div class=if n.ok { "notice notice-ok" } else { "notice notice-warn" } role="status" id="notice">
                <p class="font-semibold">{n.text.text(lang)} {detail}</p>
            </div>
        }
        .into_any()
    })
}
