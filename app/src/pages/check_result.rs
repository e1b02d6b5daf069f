//! `/check/result`: the career timeline, what to do next and a printable one-page summary with a
//! verification link (and its QR code, drawn on the server only); `/check/verify`: re-evaluates
//! printed answers and says whether the printed result still holds. Nothing is stored. Both are
//! rendered on the server only; the print button and the tools are islands.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use rules::{NaiveDate, Status};

use crate::check::{get, parse_query, verdict, Answers, OutcomeView};
use crate::components::layout::PageTitle;
use crate::components::verdict::{
    fmt_date, load_check_data, target_name, ClientTools, VerdictPanel,
};
use crate::i18n::{t, use_lang, Lang, Msg};
use crate::portal::P;

/// FNV-1a over some text, as 16 hex digits.
fn fnv(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A short fingerprint of a verdict (FNV-1a over target, status and first day), printed in the
/// verification link so `/check/verify` can tell whether the result changed.
pub fn signature(outcomes: &[OutcomeView]) -> String {
    let text: String = outcomes
        .iter()
        .map(|o| {
            format!(
                "{}:{:?}:{:?};",
                o.key,
                o.status,
                o.earliest_on.map(|d| d.to_string())
            )
        })
        .collect();
    fnv(&text)
}

/// A short fingerprint of the answers (FNV-1a over their query string), printed in the
/// verification link beside the verdict's: answers changed after printing are told apart
/// from rules changed since.
pub fn answers_signature(a: &Answers) -> String {
    fnv(&a.query())
}

/// What `/check/verify` finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// Same rules, same answers, same verdict.
    Holds,
    /// The rule set or its version in force is not the one printed.
    RulesChanged,
    /// The rules are the printed ones, but the answers or the verdict are not.
    AnswersAltered,
}

/// Compares a printed link with what the answers give now. `printed_answers` is absent on links
/// printed before answers were signed: the verdict's fingerprint then decides alone.
pub fn verification(
    printed: (&str, &str),
    current: (&str, &str),
    printed_answers: Option<&str>,
    answers: &str,
    printed_verdict: Option<&str>,
    verdict: &str,
) -> Verification {
    if printed != current {
        Verification::RulesChanged
    } else if printed_answers.is_some_and(|h| h != answers) || printed_verdict != Some(verdict) {
        Verification::AnswersAltered
    } else {
        Verification::Holds
    }
}

/// Steps of the career path: what is open now, then what opens later, nearest first.
fn timeline(lang: Lang, outcomes: &[OutcomeView]) -> Vec<String> {
    // Each target once, on the first day any of its routes opens; the days in order, the
    // titles before the skill levels of one day.
    let mut open: Vec<&OutcomeView> = outcomes
        .iter()
        .filter(|o| matches!(o.status, Status::Eligible | Status::NotYet))
        .collect();
    open.sort_by_key(|o| (o.status != Status::Eligible, o.earliest_on, !o.is_title));
    let mut seen: Vec<String> = Vec::new();
    // (day it opens, None = now; the names that open that day)
    let mut days: Vec<(Option<NaiveDate>, Vec<String>)> = Vec::new();
    for o in open {
        let name = target_name(lang, o);
        if seen.contains(&name) {
            continue;
        }
        seen.push(name.clone());
        let day = (o.status == Status::NotYet)
            .then_some(o.earliest_on)
            .flatten();
        match days.iter_mut().find(|(d, _)| *d == day) {
            Some((_, names)) => names.push(name),
            None => days.push((day, vec![name])),
        }
    }
    if days.is_empty() {
        return vec![t(lang, Msg::TimelineNothing).to_owned()];
    }
    days.into_iter()
        .map(|(day, names)| {
            let names = names.join(t(lang, Msg::ListSep));
            match day {
                None => t(lang, Msg::TimelineNow).replace("{names}", &names),
                Some(d) => t(lang, Msg::TimelineFrom)
                    .replace("{date}", &fmt_date(lang, d))
                    .replace("{names}", &names),
            }
        })
        .collect()
}

#[cfg(feature = "ssr")]
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The printed summary's provenance block, built on the server (the page is never hydrated, so
/// the wasm needs no QR encoder).
#[allow(unused_variables)]
fn print_block(lang: Lang, verify_path: &str, as_of: NaiveDate, set: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        let url = format!("{}{verify_path}", crate::components::qr::origin());
        format!(
            "<div class=\"print-meta\"><p>{}{}</p><p>{}{}</p><p>{}<a href=\"{}\" id=\"verify-link\" class=\"break-all\">{}</a></p></div>\
             <div class=\"qr\" role=\"img\" aria-label=\"{}\">{}</div>",
            t(lang, Msg::CheckedOn),
            escape(&fmt_date(lang, as_of)),
            t(lang, Msg::RuleSetLine),
            escape(set),
            t(lang, Msg::VerifyLinkLabel),
            escape(&url),
            escape(&url),
            t(lang, Msg::QrLabel),
            crate::components::qr::qr_svg(&url)
        )
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// `/check/result`
#[component]
pub fn CheckResultPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_location().search.get_untracked();
    let a = Answers::from_pairs(&parse_query(&query));
    let Some(data) = load_check_data(a.region_code()) else {
        return view! { <p role="alert">{t(lang, Msg::ErrorBody)}</p> }.into_any();
    };
    let as_of = data.as_of;
    let rules = &data.rules;
    let v = verdict(rules, &a, as_of);
    let r = rules.rule_set_ref();
    let q = a.query();
    let verify_path = format!(
        "/check/verify?{q}&d={as_of}&rs={}&v={}&h={}&s={}",
        crate::components::layout::encode_component(&r.id),
        crate::components::layout::encode_component(&r.version),
        answers_signature(&a),
        signature(&v.outcomes)
    );
    let set_line = format!("{} {} {}", r.id, t(lang, Msg::VerdictVersion), r.version);
    let print_html = print_block(lang, &verify_path, as_of, &set_line);
    let path = timeline(lang, &v.outcomes);
    let cat = rules.catalogue();
    let names = move |items: &[rules::CatalogueItem]| {
        items
            .iter()
            .map(|i| match lang {
                Lang::Zh => i.zh.clone(),
                Lang::En => i.en.clone(),
            })
            .collect::<Vec<_>>()
    };
    // The answers the verdict was given, for the printed page only (on screen, "back to your
    // answers" leads to them, each with its change link).
    let years = crate::check::review_years(as_of, rules);
    let answered = crate::pages::check::summary_rows(lang, &a, &cat, &years)
        .into_iter()
        .map(|(_, question, lines)| {
            view! {
                <div>
                    <dt>{t(lang, question)}{crate::portal::colon(lang)}</dt>
                    <dd>{lines.join(t(lang, Msg::ListSep))}</dd>
                </div>
            }
        })
        .collect_view();
    let methods = names(&cat.evaluation_methods);
    let evidence = names(&cat.achievement_kinds);
    view! {
        <PageTitle name=t(lang, Msg::ResultHeading) />
        <div class="space-y-8">
            <a href=format!("/check?step={}&{q}", crate::check::REVIEW) rel="external" class="back-link no-print">
                {t(lang, Msg::BackToAnswers)}
            </a>
            <h1 class="text-3xl font-bold">{t(lang, Msg::ResultHeading)}</h1>
            {crate::portal::results::use_bar()
                .map(|bar| crate::pages::certificates::bar_notice(lang, &bar))}
            <div class="print-summary space-y-2" inner_html=print_html></div>
            <section aria-labelledby="printed-answers-heading" class="print-only" id="printed-answers">
                <h2 id="printed-answers-heading" class="font-bold">{t(lang, Msg::PrintedAnswers)}</h2>
                <dl class="printed-answers">{answered}</dl>
            </section>
            <section aria-labelledby="timeline-heading" class="space-y-2">
                <h2 id="timeline-heading" class="text-xl font-bold">{t(lang, Msg::TimelineHeading)}</h2>
                <ol class="timeline" id="timeline">
                    {path.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                </ol>
            </section>
            <VerdictPanel data=data.clone() answers=a.clone() as_of />
            <section aria-labelledby="next-heading" class="space-y-2 no-print">
                <h2 id="next-heading" class="text-xl font-bold">{t(lang, Msg::NextStepsHeading)}</h2>
                <p>{t(lang, Msg::MethodsIntro)} {methods.join("、")}</p>
                <p>{t(lang, Msg::EvidenceIntro)}</p>
                <ul class="list-disc pl-5">
                    {evidence.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                </ul>
            </section>
            <section aria-labelledby="parity-heading" class="space-y-2 no-print">
                <h2 id="parity-heading" class="text-xl font-bold">{t(lang, Msg::ParityHeading)}</h2>
                <p>{t(lang, Msg::ParityNote)}</p>
            </section>
            <section aria-labelledby="apply-heading" class="no-print space-y-2">
                <h2 id="apply-heading" class="text-xl font-bold">{P::ApplyOnlineHeading.text(lang)}</h2>
                <p>{P::ApplyOnlineLead.text(lang)}</p>
                <a href=format!("/apply?{q}") class="button-primary" id="apply">{P::ApplyFromResult.text(lang)}</a>
            </section>
            <div class="no-print space-y-2">
                <PrintButton />
                <p class="text-sm text-slate-600">{t(lang, Msg::PrintHint)}</p>
            </div>
            <ClientTools query=q.clone() restore=false />
        </div>
    }
    .into_any()
}

/// `/check/verify`
#[component]
pub fn VerifyPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_location().search.get_untracked();
    let pairs = parse_query(&query);
    let a = Answers::from_pairs(&pairs);
    let Some(data) = load_check_data(a.region_code()) else {
        return view! { <p role="alert">{t(lang, Msg::ErrorBody)}</p> }.into_any();
    };
    // The printed day: the verdict is replayed for that day under the rules in force now.
    let as_of = get(&pairs, "d")
        .and_then(rules::parse_date)
        .filter(|d| *d <= data.as_of)
        .unwrap_or(data.as_of);
    let rules = &data.rules;
    let v = verdict(rules, &a, as_of);
    let r = rules.rule_set_ref();
    let printed_set = get(&pairs, "rs").unwrap_or("").to_owned();
    let printed_version = get(&pairs, "v").unwrap_or("").to_owned();
    let found = verification(
        (&printed_set, &printed_version),
        (&r.id, &r.version),
        get(&pairs, "h"),
        &answers_signature(&a),
        get(&pairs, "s"),
        &signature(&v.outcomes),
    );
    let holds = found == Verification::Holds;
    let (message, reason) = match found {
        Verification::Holds => (Msg::VerifyHolds, "holds"),
        Verification::RulesChanged => (Msg::VerifyChanged, "rules"),
        Verification::AnswersAltered => (Msg::VerifyMismatch, "answers"),
    };
    view! {
        <PageTitle name=t(lang, Msg::VerifyHeading) />
        <div class="space-y-6">
            <h1 class="text-3xl font-bold">{t(lang, Msg::VerifyHeading)}</h1>
            <p>{t(lang, Msg::CheckedOn)} {fmt_date(lang, as_of)}</p>
            <div class=if holds { "notice notice-ok" } else { "notice notice-warn" } id="verify-outcome" data-holds=holds.to_string() data-reason=reason>
                <p class="font-semibold">{t(lang, message)}</p>
                <p>{t(lang, Msg::VerifyPrinted)} {format!("{printed_set} {printed_version}")}</p>
                <p>{t(lang, Msg::VerifyCurrent)} {format!("{} {}", r.id, r.version)}</p>
            </div>
            <VerdictPanel data=data.clone() answers=a as_of />
        </div>
    }
    .into_any()
}

/// The print button: hidden until the wasm runs, since without JavaScript it could do nothing
/// (the browser's own Print still gives the print layout).
#[island]
fn PrintButton() -> impl IntoView {
    let lang = use_lang();
    let js = RwSignal::new(false);
    Effect::new(move |_| js.set(true));
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = window().print();
        }
    };
    view! {
        <button type="button" class="button-primary" hidden=move || !js.get() on:click=print id="print">
            {t(lang, Msg::PrintButton)}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn altered_answers_are_not_blamed_on_the_rules() {
        let set = ("national-2020", "1");
        let same = verification(set, set, Some("aa"), "aa", Some("v1"), "v1");
        assert_eq!(same, Verification::Holds);
        // Same rule set and version, other answers: the printout does not match them.
        let altered = verification(set, set, Some("aa"), "bb", Some("v1"), "v2");
        assert_eq!(altered, Verification::AnswersAltered);
        let same_verdict = verification(set, set, Some("aa"), "bb", Some("v1"), "v1");
        assert_eq!(same_verdict, Verification::AnswersAltered);
        // Links printed before the answers were signed: the verdict decides.
        assert_eq!(
            verification(set, set, None, "bb", Some("v1"), "v2"),
            Verification::AnswersAltered
        );
        assert_eq!(
            verification(
                set,
                ("national-2020", "2"),
                Some("aa"),
                "bb",
                Some("v1"),
                "v2"
            ),
            Verification::RulesChanged
        );
    }

    #[test]
    fn the_career_path_groups_what_opens_by_day() {
        let (rules, day) = crate::check::tests::rules_for("national");
        // A technician of one year: a title opens on a later day, nothing now but what opens.
        let q = "has_sl=yes&sl0_level=technician&sl0_on=2025-12-10&sl0_occ=6-18-01-02&has_t=no\
                 &work_on=2010-01-01&rev_2023=pass&rev_2024=pass&rev_2025=pass&honour=none&post=none&degree=no";
        let v = verdict(&rules, &Answers::from_pairs(&parse_query(q)), day);
        let path = timeline(Lang::Zh, &v.outcomes);
        let open_now: Vec<&OutcomeView> = v
            .outcomes
            .iter()
            .filter(|o| o.status == Status::Eligible)
            .collect();
        // One line per day, each naming every target that opens that day, the first line now.
        assert_eq!(
            path[0].starts_with("现在即可申报："),
            !open_now.is_empty(),
            "{path:?}"
        );
        for o in &open_now {
            assert!(path[0].contains(&target_name(Lang::Zh, o)), "{path:?}");
        }
        let mut later: Vec<NaiveDate> = v
            .outcomes
            .iter()
            .filter(|o| o.status == Status::NotYet)
            .filter_map(|o| o.earliest_on)
            .collect();
        later.sort();
        later.dedup();
        assert!(!later.is_empty(), "{:?}", v.outcomes);
        let dated: Vec<&String> = path.iter().filter(|l| l.contains("起：")).collect();
        assert!(dated.len() <= later.len(), "{path:?}");
        assert!(
            dated[0].starts_with(&fmt_date(Lang::Zh, later[0])),
            "{path:?}"
        );
        // Nothing open: said so, not an empty "now".
        let none = timeline(Lang::En, &[]);
        assert_eq!(
            none,
            ["On these answers nothing is open yet; below, each says what is missing."]
        );
    }

    #[test]
    fn the_answers_signature_follows_the_answers() {
        let a = Answers::from_pairs(&parse_query("has_sl=yes&sl0_level=technician"));
        let b = Answers::from_pairs(&parse_query("has_sl=yes&sl0_level=senior_worker"));
        assert_ne!(answers_signature(&a), answers_signature(&b));
        assert_eq!(answers_signature(&a), answers_signature(&a.clone()));
    }
}
