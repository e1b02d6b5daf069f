//! The self-check's shared widgets: the embedded rule-set data block, the verdict panel (server
//! rendered, then recomputed in the browser on every change), and the browser-only tools
//! (save/restore in localStorage, copy link, clear).

use std::sync::Arc;

use leptos::prelude::*;
use rules::{ConditionStatus, NaiveDate, ResolvedRuleSet, Status};

use crate::check::{verdict, Answers, CheckData, OutcomeView};
use crate::i18n::{t, use_lang, Lang, Msg};

/// localStorage key of the saved answers.
pub const STORAGE_KEY: &str = "guantong.check";
/// Id of the JSON data block.
const DATA_ID: &str = "check-data";

/// The rule set in force for `region` today, and its JSON for the page.
/// On the server from the registry; in the browser read back from the data block.
pub fn load_check_data(region: &str) -> Option<(String, CheckData)> {
    #[cfg(feature = "ssr")]
    {
        let registry = registry()?;
        let as_of = crate::check::today();
        let rules = registry
            .resolve(region, as_of)
            .or_else(|_| registry.resolve("national", as_of))
            .ok()?;
        let data = CheckData { as_of, rules };
        Some((crate::check::json_for_script(&data), data))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = region;
        let text = document().get_element_by_id(DATA_ID)?.text_content()?;
        let data: CheckData = serde_json::from_str(&text).ok()?;
        Some((text, data))
    }
}

/// The rule registry the server provides in context (loaded and validated once at start-up).
#[cfg(feature = "ssr")]
fn registry() -> Option<Arc<rules::Registry>> {
    use_context::<Arc<rules::Registry>>()
}

/// `<script type="application/json">`: data, never executed, so the CSP allows it.
#[component]
pub fn DataBlock(json: String) -> impl IntoView {
    view! { <script type="application/json" id=DATA_ID inner_html=json></script> }
}

/// "2027年7月1日" / "1 July 2027".
pub fn fmt_date(lang: Lang, d: NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year()),
    }
}

fn status_msg(s: Status) -> Msg {
    match s {
        Status::Eligible => Msg::StatusEligible,
        Status::NotYet => Msg::StatusNotYet,
        Status::Ineligible => Msg::StatusIneligible,
        Status::Unknown => Msg::StatusUnknown,
    }
}

/// The CSS/test code of a status.
pub fn status_code(s: Status) -> &'static str {
    match s {
        Status::Eligible => "eligible",
        Status::NotYet => "not_yet",
        Status::Ineligible => "ineligible",
        Status::Unknown => "unknown",
    }
}

/// The name of a route.
pub fn route_msg(route: &str) -> Msg {
    match route {
        "skill_ladder" => Msg::RouteSkillLadder,
        "green_channel" => Msg::RouteGreenChannel,
        "special_evaluation" => Msg::RouteSpecial,
        "title_to_skill" => Msg::RouteTitleToSkill,
        "promotion" => Msg::RoutePromotion,
        "qualification_exam" => Msg::RouteQualification,
        _ => Msg::RouteOther,
    }
}

/// The target's name in the page's language.
pub fn target_name(lang: Lang, o: &OutcomeView) -> String {
    match lang {
        Lang::Zh => o.target_zh.clone(),
        Lang::En => o.target_en.clone(),
    }
}

/// When the outcome opens, as a sentence.
pub fn when_text(lang: Lang, o: &OutcomeView, as_of: NaiveDate) -> Option<String> {
    match (o.status, o.earliest_on) {
        (Status::Eligible, _) => Some(t(lang, Msg::EligibleNow).to_owned()),
        (Status::NotYet, Some(d)) if d > as_of => {
            Some(t(lang, Msg::EligibleFrom).replace("{date}", &fmt_date(lang, d)))
        }
        _ => None,
    }
}

/// The verdict for the current answers: a summary in a polite live region, then each target
/// with its status, route, first day and reasons.
#[component]
pub fn VerdictPanel(
    rules: Arc<ResolvedRuleSet>,
    answers: RwSignal<Answers>,
    as_of: NaiveDate,
) -> impl IntoView {
    let lang = use_lang();
    let r = rules.rule_set_ref();
    let set_name = match lang {
        Lang::Zh => rules.data().name.zh.clone(),
        Lang::En => rules.data().name.en.clone(),
    };
    let result = Memo::new(move |_| answers.with(|a| verdict(&rules, a, as_of).outcomes));
    let summary = move || {
        result.with(|o| {
            let count = |s: Status| o.iter().filter(|x| x.status == s).count().to_string();
            t(lang, Msg::SummaryCounts)
                .replace("{a}", &count(Status::Eligible))
                .replace("{b}", &count(Status::NotYet))
                .replace("{c}", &count(Status::Unknown))
                .replace("{d}", &count(Status::Ineligible))
        })
    };
    let list = move || {
        let q = answers.with(|a| a.query());
        result.with(|outcomes| {
            outcomes
                .iter()
                .map(|o| outcome_item(lang, o, as_of, &q))
                .collect_view()
        })
    };
    view! {
        <aside aria-labelledby="verdict-heading" class="verdict-panel" id="verdict">
            <h2 id="verdict-heading" class="text-xl font-bold">
                {t(lang, Msg::VerdictHeading)}
            </h2>
            <p class="text-sm text-slate-600">
                {t(lang, Msg::VerdictRules)} {set_name} " (" {r.id} " " {t(lang, Msg::VerdictVersion)}
                " " {r.version} ")"
            </p>
            <p role="status" aria-live="polite" id="verdict-summary" class="font-semibold">
                {summary}
            </p>
            <ol class="space-y-3" id="verdict-list">
                {list}
            </ol>
        </aside>
    }
}

fn cond_code(s: ConditionStatus) -> &'static str {
    match s {
        ConditionStatus::Met => "met",
        ConditionStatus::Unmet => "unmet",
        ConditionStatus::Unknown => "unknown",
    }
}

fn outcome_item(lang: Lang, o: &OutcomeView, as_of: NaiveDate, q: &str) -> AnyView {
    let code = status_code(o.status);
    let when = when_text(lang, o, as_of);
    let conditions = o
        .conditions
        .iter()
        .map(|c| {
            let (cls, m) = match c.status {
                ConditionStatus::Met => ("cond cond-met", Msg::CondMet),
                ConditionStatus::Unmet => ("cond cond-unmet", Msg::CondUnmet),
                ConditionStatus::Unknown => ("cond cond-unknown", Msg::CondUnknown),
            };
            let reason = match lang {
                Lang::Zh => c.reason_zh.clone(),
                Lang::En => c.reason_en.clone(),
            };
            let link = (c.status == ConditionStatus::Unknown)
                .then_some(c.step)
                .flatten()
                .map(|step| {
                    view! {
                        <a href=format!("/check?step={step}&{q}") rel="external" class="answer-link">
                            {t(lang, Msg::AnswerStep).replace("{n}", &step.to_string())}
                        </a>
                    }
                });
            let quote = (!c.quote.is_empty()).then(|| {
                view! {
                    <blockquote lang="zh-CN" class="quote">
                        <span class="sr-only">{t(lang, Msg::SourceText)}": "</span>
                        {c.quote.clone()}
                    </blockquote>
                }
            });
            view! {
                <li class="space-y-1" data-condition=c.code.clone() data-status=cond_code(c.status)>
                    <span class=cls>{t(lang, m)}</span>
                    " "
                    {reason}
                    " "
                    <cite class="text-slate-600">{c.source.clone()}</cite>
                    {quote}
                    {link}
                </li>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <li class="outcome" data-key=o.key.clone() data-status=code>
            <div class="flex flex-wrap items-baseline gap-2">
                <span class=format!("badge badge-{code}")>{t(lang, status_msg(o.status))}</span>
                <h3 class="font-semibold">{target_name(lang, o)}</h3>
            </div>
            <p class="text-sm text-slate-700">
                {t(lang, route_msg(&o.route))} " · " <cite>{o.route_source.clone()}</cite>
            </p>
            {when.map(|w| view! { <p class="when font-semibold">{w}</p> })}
            <details class="no-print">
                <summary>{t(lang, Msg::Reasons)}</summary>
                <ul class="mt-2 space-y-2 text-sm">{conditions}</ul>
            </details>
        </li>
    }
    .into_any()
}

/// Browser-only tools: restore saved answers, copy a link, clear. Rendered hidden and revealed
/// once the wasm runs, so nobody without JavaScript sees a button that does nothing.
#[component]
pub fn ClientTools(answers: RwSignal<Answers>, restore: bool) -> impl IntoView {
    let lang = use_lang();
    let js = RwSignal::new(false);
    let copied = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        js.set(true);
        client::on_load(answers, restore);
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (restore, answers);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        copied.set(client::copy_link(&answers.get_untracked()));
    };
    let clear = move |_| {
        #[cfg(feature = "hydrate")]
        client::clear();
    };
    view! {
        <div class="no-print space-y-2">
            <div class="flex flex-wrap gap-3">
                <button type="button" class="button-secondary" hidden=move || !js.get() on:click=copy id="copy-link">
                    {t(lang, Msg::CopyLink)}
                </button>
                <button type="button" class="button-secondary" hidden=move || !js.get() on:click=clear id="clear">
                    {t(lang, Msg::Clear)}
                </button>
                <a href="/check?new=1" rel="external" class="self-center">
                    {t(lang, Msg::StartAgain)}
                </a>
            </div>
            <p role="status" class="text-sm">
                {move || (!copied.get().is_empty()).then(|| t(lang, Msg::LinkCopied))}
            </p>
            <p class="text-sm break-all">
                <output id="copied-link">{move || copied.get()}</output>
            </p>
        </div>
    }
}

/// The form's fields as a query string (browser only).
#[cfg(feature = "hydrate")]
pub fn form_query(ev: &leptos::ev::Event) -> Option<String> {
    use wasm_bindgen::JsCast;
    let form: web_sys::HtmlFormElement = ev.current_target()?.dyn_into().ok()?;
    let fd = web_sys::FormData::new_with_form(&form).ok()?;
    let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&fd).ok()?;
    Some(String::from(params.to_string()))
}

/// Saves the answers (and the step) in localStorage (browser only).
#[cfg(feature = "hydrate")]
pub fn save_answers(a: &Answers, step: u8) {
    if let Some(s) = client::storage() {
        let _ = s.set_item(STORAGE_KEY, &format!("step={step}&{}", a.query()));
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use super::*;

    pub fn storage() -> Option<web_sys::Storage> {
        window().local_storage().ok().flatten()
    }

    pub fn on_load(answers: RwSignal<Answers>, restore: bool) {
        let Some(s) = storage() else { return };
        let search = window().location().search().unwrap_or_default();
        let search = search.trim_start_matches('?');
        if search.contains("new=1") {
            let _ = s.remove_item(STORAGE_KEY);
            return;
        }
        if search.is_empty() {
            if restore {
                if let Ok(Some(saved)) = s.get_item(STORAGE_KEY) {
                    if !saved.is_empty() {
                        let _ = window().location().replace(&format!("/check?{saved}"));
                    }
                }
            }
            return;
        }
        let a = answers.get_untracked();
        if a != Answers::default() {
            let pairs = crate::check::parse_query(search);
            let step = crate::check::get(&pairs, "step")
                .map(str::to_owned)
                .unwrap_or_else(|| crate::check::REVIEW.to_string());
            let _ = s.set_item(STORAGE_KEY, &format!("step={step}&{}", a.query()));
        }
    }

    pub fn copy_link(a: &Answers) -> String {
        let origin = window().location().origin().unwrap_or_default();
        let url = format!("{origin}/check?step={}&{}", crate::check::REVIEW, a.query());
        let _ = window().navigator().clipboard().write_text(&url);
        url
    }

    pub fn clear() {
        if let Some(s) = storage() {
            let _ = s.remove_item(STORAGE_KEY);
        }
        let _ = window().location().set_href("/check?new=1");
    }
}
