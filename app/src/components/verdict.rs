//! The self-check's shared widgets: the embedded rule-set data block, the verdict panel, and two
//! islands (parts hydrated in the browser; the pages around them are not): the live verdict on
//! `/check`, recomputed in the wasm on every change of the form, and the browser-only tools
//! (save/restore in localStorage, copy link, clear).

use std::sync::Arc;

use leptos::prelude::*;
use rules::{ConditionStatus, NaiveDate, Status};

use crate::check::{parse_query, verdict, Answers, CheckData, OutcomeView};
use crate::i18n::{t, use_lang, Lang, Msg};

/// localStorage key of the saved answers.
pub const STORAGE_KEY: &str = "guantong.check";
/// Id of the JSON data block.
const DATA_ID: &str = "check-data";
/// Id of the self-check's step form, which the islands read.
pub const FORM_ID: &str = "check-form";

/// The rule set in force for `region` today and the day of the check. On the server from the
/// server's RuleBook (which resolves each region and day once for the whole process), kept in
/// the request's context, which the page and its island share; in the browser (in an island)
/// read back from the data block the page embeds.
pub fn load_check_data(region: &str) -> Option<Arc<CheckData>> {
    #[cfg(feature = "ssr")]
    {
        if let Some(Resolved(r, data, _)) = use_context::<Resolved>() {
            if r == region {
                return Some(data);
            }
        }
        let source = use_context::<RuleSource>()?;
        let (data, json) = source.0.in_force(region, source.0.today())?;
        provide_context(Resolved(region.to_owned(), data.clone(), json));
        Some(data)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = region;
        let text = document().get_element_by_id(DATA_ID)?.text_content()?;
        serde_json::from_str(&text).ok().map(Arc::new)
    }
}

/// What the pages ask the server for: today, and the rules in force for a region on a day with
/// their JSON for the data block. The server answers from its RuleBook (the `casework` crate,
/// which this crate does not depend on).
#[cfg(feature = "ssr")]
pub trait RulesInForce: Send + Sync {
    fn today(&self) -> NaiveDate;
    fn in_force(&self, region: &str, day: NaiveDate) -> Option<(Arc<CheckData>, Arc<str>)>;
}

/// The server's [`RulesInForce`], in every page's context.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct RuleSource(pub Arc<dyn RulesInForce>);

/// The check data this request resolved, for the region it was asked for, and its JSON (server).
#[cfg(feature = "ssr")]
#[derive(Clone)]
struct Resolved(String, Arc<CheckData>, Arc<str>);

/// `<script type="application/json">`: the data the live verdict runs on; never executed, so the
/// CSP allows it.
#[component]
pub fn DataBlock(data: Arc<CheckData>) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let json = use_context::<Resolved>()
        .filter(|r| Arc::ptr_eq(&r.1, &data))
        .map(|r| r.2.to_string())
        .unwrap_or_else(|| crate::check::json_for_script(&*data));
    #[cfg(not(feature = "ssr"))]
    let json = crate::check::json_for_script(&*data);
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

/// The verdict for the answers: a summary in a polite live region, then each target with its
/// status, route, first day and reasons. Static on the result pages; inside [`LiveVerdict`] it
/// follows the form.
#[component]
pub fn VerdictPanel(
    data: Arc<CheckData>,
    #[prop(into)] answers: Signal<Answers>,
    as_of: NaiveDate,
) -> impl IntoView {
    let lang = use_lang();
    let r = data.rules.rule_set_ref();
    let set_name = match lang {
        Lang::Zh => data.rules.data().name.zh.clone(),
        Lang::En => data.rules.data().name.en.clone(),
    };
    let result = Memo::new(move |_| answers.with(|a| verdict(&data.rules, a, as_of).outcomes));
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

/// The live verdict on `/check`: the panel, recomputed in the browser on every `input` and
/// `change` event of the form (the answers are saved in localStorage as they change). `query`
/// holds the page's answers, `step` is the page's step.
#[island]
pub fn LiveVerdict(query: String, step: u8) -> impl IntoView {
    let lang = use_lang();
    let answers = Answers::from_pairs(&parse_query(&query));
    let Some(data) = load_check_data(answers.region_code()) else {
        return view! { <p role="alert">{t(lang, Msg::ErrorBody)}</p> }.into_any();
    };
    let as_of = data.as_of;
    let answers = RwSignal::new(answers);
    #[cfg(feature = "hydrate")]
    client::follow_form(answers, step);
    #[cfg(not(feature = "hydrate"))]
    let _ = step;
    view! { <VerdictPanel data answers as_of /> }.into_any()
}

/// Browser-only tools: restore saved answers, copy a link, clear. Rendered hidden and revealed
/// once the wasm runs, so nobody without JavaScript sees a button that does nothing. `query`
/// holds the page's answers; the link copies the form's current answers when the form is on the
/// page.
#[island]
pub fn ClientTools(query: String, restore: bool) -> impl IntoView {
    let lang = use_lang();
    let answers = Answers::from_pairs(&parse_query(&query));
    let js = RwSignal::new(false);
    let copied = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    {
        let saved = answers.clone();
        Effect::new(move |_| {
            js.set(true);
            client::on_load(&saved, restore);
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (&answers, restore);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        copied.set(client::copy_link(
            &client::form_answers().unwrap_or_else(|| answers.clone()),
        ));
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

#[cfg(feature = "hydrate")]
mod client {
    use wasm_bindgen::JsCast;

    use super::*;

    fn storage() -> Option<web_sys::Storage> {
        window().local_storage().ok().flatten()
    }

    /// The self-check's step form, when the page has one.
    fn form() -> Option<web_sys::HtmlFormElement> {
        document().get_element_by_id(FORM_ID)?.dyn_into().ok()
    }

    fn answers_of(form: &web_sys::HtmlFormElement) -> Option<Answers> {
        let fd = web_sys::FormData::new_with_form(form).ok()?;
        let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&fd).ok()?;
        Some(Answers::from_pairs(&parse_query(&String::from(
            params.to_string(),
        ))))
    }

    /// The answers as the form on the page holds them now.
    pub fn form_answers() -> Option<Answers> {
        answers_of(&form()?)
    }

    /// Re-reads the form on each of its `input` and `change` events (they bubble up to the
    /// window), saves the answers with the step and hands them to the verdict.
    pub fn follow_form(answers: RwSignal<Answers>, step: u8) {
        let on_event = move |ev: web_sys::Event| {
            let Some(form) = form() else { return };
            let inside = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                .is_some_and(|node| form.contains(Some(&node)));
            if let Some(a) = answers_of(&form).filter(|_| inside) {
                save(&format!("step={step}&{}", a.query()));
                answers.set(a);
            }
        };
        // The listeners live as long as the page, so their handles are never used.
        let _ = window_event_listener_untyped("input", on_event);
        let _ = window_event_listener_untyped("change", on_event);
    }

    fn save(value: &str) {
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, value);
        }
    }

    pub fn on_load(answers: &Answers, restore: bool) {
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
        if *answers != Answers::default() {
            let pairs = parse_query(search);
            let step = crate::check::get(&pairs, "step")
                .map(str::to_owned)
                .unwrap_or_else(|| crate::check::REVIEW.to_string());
            save(&format!("step={step}&{}", answers.query()));
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
