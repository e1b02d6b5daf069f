//! `/review`: the queue of an employer's HR or a committee office, filtered and paged on the
//! server, with counts per state and a CSV export of the same filter.

use leptos::prelude::*;

use crate::components::layout::{encode_component, PageTitle};
use crate::i18n::use_lang;
use crate::pages::dossiers::queue_table;
use crate::portal::{page_data, state_text, QueueData, P};

/// `/review`
#[component]
pub fn ReviewPage() -> impl IntoView {
    let lang = use_lang();
    let Some(data) = page_data::<QueueData>() else {
        return view! { <p role="alert">{P::PageDataMissing.text(lang)}</p> }.into_any();
    };
    let heading = if data.role == "employer_hr" {
        P::QueueEmployer
    } else {
        P::QueueCommittee
    };
    let all: u64 = data.counts.iter().map(|(_, n)| n).sum();
    let mut options = vec![
        (
            "awaiting".to_owned(),
            format!("{} ({})", P::QueueAwaiting.text(lang), data.awaiting_count),
        ),
        (
            "all".to_owned(),
            format!("{} ({all})", P::AllStates.text(lang)),
        ),
    ];
    options.extend(data.counts.iter().map(|(code, n)| {
        (
            code.clone(),
            format!("{} ({n})", state_text(code).text(lang)),
        )
    }));
    let awaiting = view! {
        <li>
            <a href="/review?state=awaiting" class="link" data-count="awaiting">
                {P::QueueAwaiting.text(lang)} " " <strong>{data.awaiting_count.to_string()}</strong>
            </a>
        </li>
    };
    let counts = data
        .counts
        .iter()
        .map(|(code, n)| {
            view! {
                <li>
                    <a href=format!("/review?state={}", encode_component(code)) class="link" data-count=code.clone()>
                        {state_text(code).text(lang)} " " <strong>{n.to_string()}</strong>
                    </a>
                </li>
            }
        })
        .collect_view();
    let page_link = |page: u64| {
        let sep = if data.query.is_empty() { "" } else { "&" };
        format!("/review?{}{sep}page={page}", data.query)
    };
    let prev = (data.page > 1).then(|| {
        view! { <a href=page_link(data.page - 1) class="link" rel="prev">{P::PrevPage.text(lang)}</a> }
    });
    let next = (data.page < data.pages).then(|| {
        view! { <a href=page_link(data.page + 1) class="link" rel="next">{P::NextPage.text(lang)}</a> }
    });
    let state = data.state.clone();
    view! {
        <div class="space-y-6">
            <div>
                <p class="caption">{data.scope_name.clone()}</p>
                <PageTitle name=heading.text(lang) />
                <h1 class="text-2xl font-bold">{heading.text(lang)}</h1>
            </div>
            <nav aria-label=P::CountsLabel.text(lang)>
                <ul class="flex flex-wrap gap-4 text-sm" id="state-counts">{awaiting} {counts}</ul>
            </nav>
            <p class="hint" id="queue-lead">{P::QueueAwaitingLead.text(lang)}</p>
            <form method="get" action="/review" class="grid gap-4 sm:grid-cols-4 items-end" role="search">
                <div class="field">
                    <label for="state" class="label">{P::State.text(lang)}</label>
                    <select id="state" name="state" class="input">
                        {options
                            .into_iter()
                            .map(|(v, text)| {
                                let selected = v == state;
                                view! { <option value=v selected=selected>{text}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="q" class="label">{P::SearchLabel.text(lang)}</label>
                    <input type="search" id="q" name="q" value=data.text.clone() class="input" />
                </div>
                // min-w-0: a long target name must not widen the column past a phone's screen.
                <div class="field min-w-0">
                    <label for="target" class="label">{P::FieldTarget.text(lang)}</label>
                    <select id="target" name="target" class="input w-full">
                        <option value="" selected=data.target.is_empty()>{P::AllTargets.text(lang)}</option>
                        {data
                            .target_options
                            .iter()
                            .map(|(key, label)| {
                                let selected = *key == data.target;
                                view! { <option value=key.clone() selected=selected>{label.get(lang).to_owned()}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="button-primary">{P::Filter.text(lang)}</button>
            </form>
            <p role="status" id="queue-total">{P::QueueTotal.text(lang).replace("{n}", &data.total.to_string())}</p>
            {queue_table(lang, &data.rows)}
            <nav aria-label=P::PagesLabel.text(lang) class="flex flex-wrap items-center gap-4">
                {prev}
                <span>{P::PageOf.text(lang).replace("{n}", &data.page.to_string()).replace("{total}", &data.pages.max(1).to_string())}</span>
                {next}
                <a href=format!("/review.csv?{}", data.query) class="link" id="csv" download="">{P::ExportCsv.text(lang)}</a>
            </nav>
        </div>
    }
    .into_any()
}
