//! Form widgets of the server-rendered pages (accounts, dossiers, review): labelled fields whose
//! hint and error are tied to the input with `aria-describedby`, the error summary at the top of
//! the page, and the notice after an action.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::portal::{FieldProblem, Notice, P};

/// The problems reported for a field, if any: each of them, in order (a list of dates may have
/// several wrong at once).
pub fn problem_for(lang: Lang, problems: &[FieldProblem], field: &str) -> Option<String> {
    let texts: Vec<&str> = problems
        .iter()
        .filter(|p| p.field == field)
        .map(|p| p.text(lang))
        .collect();
    let separator = match lang {
        Lang::Zh => "；",
        Lang::En => "; ",
    };
    (!texts.is_empty()).then(|| texts.join(separator))
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

/// How a control is tied to its field: its name, the ids describing it, whether it is invalid,
/// and its value.
struct Control<'a> {
    name: &'a str,
    aria: Option<String>,
    invalid: bool,
    value: String,
}

impl Control<'_> {
    fn class(&self) -> &'static str {
        if self.invalid {
            "input input-error"
        } else {
            "input"
        }
    }
}

/// The label, the hint and the problem of a field around its control.
fn framed(spec: FieldSpec<'_>, control: impl FnOnce(Control<'_>) -> AnyView) -> AnyView {
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
    let control = control(Control {
        name,
        aria,
        invalid: problem.is_some(),
        value,
    });
    view! {
        <div class="field">
            <label for=name.to_owned() class="label">{label}</label>
            {hint.map(|h| view! { <p id=hint_id.clone() class="hint">{h}</p> })}
            {problem.map(|e| view! { <p id=err_id.clone() class="field-error">{e}</p> })}
            {control}
        </div>
    }
    .into_any()
}

/// A labelled single-line input. `kind` is the HTML input type.
pub fn input(spec: FieldSpec<'_>, kind: &'static str, autocomplete: &'static str) -> AnyView {
    framed(spec, |c| {
        // Passwords are never sent back to the page.
        let value = (kind != "password").then_some(c.value.clone());
        view! {
            <input
                type=kind
                id=c.name.to_owned()
                name=c.name.to_owned()
                value=value
                class=c.class()
                autocomplete=autocomplete
                aria-describedby=c.aria.clone()
                aria-invalid=c.invalid.then_some("true")
            />
        }
        .into_any()
    })
}

/// A checkbox the person ticks to agree or confirm (`value="yes"`), never ticked for them unless
/// they had: its problem above it, tied to it by `aria-describedby`.
pub fn tick(name: &str, label: String, checked: bool, problem: Option<String>) -> AnyView {
    let err_id = format!("{name}-error");
    let aria = problem.as_ref().map(|_| err_id.clone());
    let invalid = problem.as_ref().map(|_| "true");
    view! {
        <div class="field">
            {problem.map(|e| view! { <p id=err_id.clone() class="field-error">{e}</p> })}
            <div class="choice">
                <input type="checkbox" id=name.to_owned() name=name.to_owned() value="yes" checked=checked aria-describedby=aria aria-invalid=invalid />
                <label for=name.to_owned()>{label}</label>
            </div>
        </div>
    }
    .into_any()
}

/// The text of a `<textarea>` as it goes into the page. On the server Leptos writes a
/// textarea's children without escaping them (as for `<script>`), so `</textarea>` typed by
/// someone would end the element and what follows would become markup: escape it here. In
/// the browser the text becomes a text node and needs nothing.
pub fn textarea_text(value: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        html_escape::encode_text(value).into_owned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        value.to_owned()
    }
}

/// A labelled multi-line input.
pub fn textarea(spec: FieldSpec<'_>, rows: u32) -> AnyView {
    framed(spec, |c| {
        view! {
            <textarea
                id=c.name.to_owned()
                name=c.name.to_owned()
                rows=rows.to_string()
                class=c.class()
                aria-describedby=c.aria.clone()
                aria-invalid=c.invalid.then_some("true")
            >
                {textarea_text(&c.value)}
            </textarea>
        }
        .into_any()
    })
}

/// A labelled select; `options` are (value, text); the first option is the empty placeholder.
pub fn select(spec: FieldSpec<'_>, options: Vec<(String, String)>, placeholder: String) -> AnyView {
    framed(spec, |c| {
        let current = c.value.clone();
        view! {
            <select
                id=c.name.to_owned()
                name=c.name.to_owned()
                class=c.class()
                aria-describedby=c.aria.clone()
                aria-invalid=c.invalid.then_some("true")
            >
                <option value="" selected=current.is_empty()>{placeholder}</option>
                {options
                    .into_iter()
                    .map(|(v, text)| {
                        let selected = v == current;
                        view! { <option value=v selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        }
        .into_any()
    })
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
