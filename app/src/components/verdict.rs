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

/// The summary line: how many targets have each status (the outcomes shown apart are not
/// counted), or, before anything is answered, what the panel will show.
fn summary_text(lang: Lang, answers: &Answers, outcomes: &[OutcomeView]) -> String {
    if answers.is_blank() {
        return t(lang, Msg::VerdictEmpty).to_owned();
    }
    let [a, b, c, d] = crate::check::counts(outcomes);
    t(lang, Msg::SummaryCounts)
        .replace("{a}", &a.to_string())
        .replace("{b}", &b.to_string())
        .replace("{c}", &c.to_string())
        .replace("{d}", &d.to_string())
}

/// The notice that a province has no rules of its own here (the national rules answer), or
/// `None` when the rules resolved are the region's own or no region was chosen.
pub fn fallback_notice(lang: Lang, data: &CheckData, region: &str) -> Option<String> {
    let rules = &data.rules;
    if region.is_empty() || region == "national" || rules.data().region != "national" {
        return None;
    }
    let cat = rules.catalogue();
    let name = cat
        .regions
        .iter()
        .find(|r| r.code == region)
        .map(|r| match lang {
            Lang::Zh => r.zh.clone(),
            Lang::En => r.en.clone(),
        })?;
    let set = match lang {
        Lang::Zh => rules.data().name.zh.clone(),
        Lang::En => rules.data().name.en.clone(),
    };
    let set = format!("{set}, {}", rules.rule_set_ref().id);
    Some(
        t(lang, Msg::RulesFallback)
            .replace("{region}", &name)
            .replace("{set}", &set),
    )
}

/// The verdict for the answers: a summary in a polite live region, then each target with the
/// route that serves it best (its status, first day and reasons) and its other routes folded
/// beneath, then the paths the questions cannot decide. Static on the result pages; inside
/// [`LiveVerdict`] it follows the form.
#[component]
pub fn VerdictPanel(
    data: Arc<CheckData>,
    #[prop(into)] answers: Signal<Answers>,
    as_of: NaiveDate,
    /// The panel beside the self-check's steps, following the form: headed as the result so
    /// far, and on a phone, where it is below the form, a one-line summary stays in view at the
    /// bottom of the screen, a link to the panel. Without it (the result and verify pages) the
    /// panel is the final word, headed as such.
    #[prop(optional)]
    bar: bool,
) -> impl IntoView {
    let lang = use_lang();
    let r = data.rules.rule_set_ref();
    let set_name = match lang {
        Lang::Zh => data.rules.data().name.zh.clone(),
        Lang::En => data.rules.data().name.en.clone(),
    };
    // The region the rules were resolved for: the notice holds while the answers name it.
    let loaded_region = answers.with_untracked(|a| a.region.clone());
    let notice_text = fallback_notice(lang, &data, &loaded_region);
    let notice = move || {
        let same = answers.with(|a| a.region == loaded_region);
        notice_text.clone().filter(|_| same).map(|n| {
            view! { <p class="notice notice-info text-sm" id="rules-fallback">{n}</p> }
        })
    };
    let rules = data.clone();
    let result = Memo::new(move |_| answers.with(|a| verdict(&rules.rules, a, as_of).outcomes));
    let summary = move || answers.with(|a| result.with(|o| summary_text(lang, a, o)));
    // The list element stays while its items follow the answers (observers of it keep working).
    let list = move || {
        if answers.with(|a| a.is_blank()) {
            return ().into_any();
        }
        let q = answers.with(|a| a.query());
        result.with(|outcomes| {
            crate::check::grouped(outcomes)
                .0
                .iter()
                .map(|g| group_item(lang, g, as_of, &q))
                .collect_view()
                .into_any()
        })
    };
    let apart = move || {
        if answers.with(|a| a.is_blank()) {
            return None;
        }
        let q = answers.with(|a| a.query());
        result.with(|outcomes| {
            let apart = crate::check::grouped(outcomes).1;
            (!apart.is_empty()).then(|| {
                view! {
                    <section aria-labelledby="other-paths-heading" class="other-paths" id="other-paths">
                        <h3 id="other-paths-heading" class="font-semibold">{t(lang, Msg::OtherPathsHeading)}</h3>
                        <p class="text-sm text-slate-700">{t(lang, Msg::OtherPathsLead)}</p>
                        <ul class="space-y-3">
                            {apart.iter().map(|o| apart_item(lang, o, as_of, &q)).collect_view()}
                        </ul>
                    </section>
                }
            })
        })
    };
    view! {
        <aside aria-labelledby="verdict-heading" class="verdict-panel" id="verdict">
            <h2 id="verdict-heading" class="text-xl font-bold">
                {t(lang, if bar { Msg::VerdictHeading } else { Msg::VerdictFinalHeading })}
            </h2>
            <p class="text-sm text-slate-600">
                {t(lang, Msg::VerdictRules)} {set_name} " (" {r.id} " " {t(lang, Msg::VerdictVersion)}
                " " {r.version} ")"
            </p>
            {notice}
            <p role="status" aria-live="polite" id="verdict-summary" class="font-semibold">
                {summary}
            </p>
            <ol class="space-y-3" id="verdict-list">
                {list}
            </ol>
            {apart}
            {bar.then(|| view! {
                <a href="#verdict-heading" class="verdict-bar no-print" id="verdict-bar">
                    <span class="verdict-bar-text">{summary}</span>
                    " "
                    <span class="verdict-bar-link">{t(lang, Msg::VerdictBarLink)}</span>
                </a>
            })}
        </aside>
    }
}

/// One target: the route that serves it best, and its other routes folded beneath.
fn group_item(lang: Lang, g: &crate::check::TargetGroup<'_>, as_of: NaiveDate, q: &str) -> AnyView {
    let head = g.head();
    let others = &g.outcomes[1..];
    let folded = (!others.is_empty()).then(|| {
        view! {
            <details class="other-routes no-print">
                <summary>{t(lang, Msg::OtherRoutes).replace("{n}", &others.len().to_string())}</summary>
                <ul class="mt-2 space-y-3">
                    {others.iter().map(|o| outcome_item(lang, o, as_of, q)).collect_view()}
                </ul>
            </details>
        }
    });
    view! {
        <li class="target" data-target=head.group.clone() data-status=status_code(head.status)>
            <ul>{outcome_item(lang, head, as_of, q)}</ul>
            {folded}
        </li>
    }
    .into_any()
}

/// A path the questions cannot decide: what holds it open and whom to ask.
fn apart_item(lang: Lang, o: &OutcomeView, as_of: NaiveDate, q: &str) -> AnyView {
    let whom = if o.route == "qualification_exam" {
        Msg::OtherPathExam
    } else {
        Msg::OtherPathCommittee
    };
    let note = o.note.as_ref().map(|(zh, en)| match lang {
        Lang::Zh => zh.clone(),
        Lang::En => en.clone(),
    });
    view! {
        <li class="outcome outcome-apart" data-key=o.key.clone() data-status="apart">
            <h4 class="font-semibold">{target_name(lang, o)}</h4>
            <p class="text-sm text-slate-700">
                {t(lang, Msg::RouteLine)} {t(lang, route_msg(&o.route))} " · " <cite>{o.route_source.clone()}</cite>
            </p>
            {note.map(|n| view! { <p class="text-sm">{n}</p> })}
            <p class="text-sm">{t(lang, whom)}</p>
            {conditions_list(lang, o, as_of, q)}
        </li>
    }
    .into_any()
}

fn cond_code(s: ConditionStatus) -> &'static str {
    match s {
        ConditionStatus::Met => "met",
        ConditionStatus::Unmet => "unmet",
        ConditionStatus::Unknown => "unknown",
    }
}

/// An outcome's reasons and sources, folded.
fn conditions_list(lang: Lang, o: &OutcomeView, _as_of: NaiveDate, q: &str) -> AnyView {
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
        <details class="no-print">
            <summary>{t(lang, Msg::Reasons)}</summary>
            <ul class="mt-2 space-y-2 text-sm">{conditions}</ul>
        </details>
    }
    .into_any()
}

fn outcome_item(lang: Lang, o: &OutcomeView, as_of: NaiveDate, q: &str) -> AnyView {
    let code = status_code(o.status);
    let when = when_text(lang, o, as_of);
    view! {
        <li class="outcome" data-key=o.key.clone() data-status=code>
            <div class="flex flex-wrap items-baseline gap-2">
                <span class=format!("badge badge-{code}")>{t(lang, status_msg(o.status))}</span>
                <h3 class="font-semibold">{target_name(lang, o)}</h3>
            </div>
            <p class="text-sm text-slate-700">
                {t(lang, Msg::RouteLine)} {t(lang, route_msg(&o.route))} " · " <cite>{o.route_source.clone()}</cite>
            </p>
            {when.map(|w| view! { <p class="when font-semibold">{w}</p> })}
            {conditions_list(lang, o, as_of, q)}
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
    view! { <VerdictPanel data answers as_of bar=true /> }.into_any()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::tests::rules_for;

    fn data(region: &str) -> CheckData {
        let (rules, as_of) = rules_for(region);
        CheckData { as_of, rules }
    }

    #[test]
    fn a_province_without_its_own_rules_is_told_it_gets_the_national_ones() {
        let guangdong = data("44");
        let zh = fallback_notice(Lang::Zh, &guangdong, "44").expect("a notice for 广东");
        assert!(zh.starts_with("广东省还没有录入本服务的地方办法"), "{zh}");
        assert!(zh.contains("全国通用规则"), "{zh}");
        let en = fallback_notice(Lang::En, &guangdong, "44").unwrap();
        assert!(en.starts_with("Guangdong has no provincial rules"), "{en}");
        // Yunnan has its own; no province chosen means the national rules were asked for.
        assert_eq!(fallback_notice(Lang::Zh, &data("53"), "53"), None);
        assert_eq!(fallback_notice(Lang::Zh, &data("national"), ""), None);
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
            if inside {
                if let Some(input) = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    exclusive(&input);
                }
            }
            if let Some(a) = answers_of(&form).filter(|_| inside) {
                save(&format!("step={step}&{}", a.query()));
                answers.set(a);
            }
        };
        // The listeners live as long as the page, so their handles are never used.
        let _ = window_event_listener_untyped("input", on_event);
        let _ = window_event_listener_untyped("change", on_event);
    }

    /// "None of these" and the other boxes of its group exclude each other: ticking one clears
    /// the other side (the boxes of a group are `{name}`, `{name}-1`, … and `{name}-none`).
    fn exclusive(input: &web_sys::HtmlInputElement) {
        if input.type_() != "checkbox" || !input.checked() {
            return;
        }
        let name = input.name();
        let is_none = input.has_attribute("data-exclusive");
        let by_id = |id: &str| -> Option<web_sys::HtmlInputElement> {
            document().get_element_by_id(id)?.dyn_into().ok()
        };
        if is_none {
            for i in 0..64 {
                let id = if i == 0 {
                    name.clone()
                } else {
                    format!("{name}-{i}")
                };
                let Some(other) = by_id(&id) else { break };
                other.set_checked(false);
            }
        } else if let Some(none) = by_id(&format!("{name}-none")) {
            none.set_checked(false);
        }
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
