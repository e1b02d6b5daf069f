//! A table of rows under column headings, scrolling sideways on a narrow screen: the shape of
//! every list on the portal pages, written once.

use leptos::prelude::*;

use crate::i18n::Lang;
use crate::portal::P;

/// The table `id` with a heading per column (`heads`, in order) over `rows`.
pub fn data_table(lang: Lang, id: &'static str, heads: &[P], rows: AnyView) -> AnyView {
    let heads = heads
        .iter()
        .map(|h| view! { <th scope="col" class="p-2">{h.text(lang)}</th> })
        .collect_view();
    view! {
        <div class="overflow-x-auto">
            <table class="w-full text-left text-sm" id=id>
                <thead>
                    <tr>{heads}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One row of a summary list (`<dl class="summary-list">`): a label and its value.
pub fn summary_row(lang: Lang, label: P, value: String) -> impl IntoView {
    view! {
        <div class="summary-row">
            <dt class="font-semibold">{label.text(lang)}</dt>
            <dd>{value}</dd>
        </div>
    }
}
