//! The review queues: employer HR sees its organisation's dossiers, a committee office its
//! committee's, filtered and paged on the server, with counts per state and a CSV export.

use axum::{
    extract::{Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use store::dossiers::{self, QueueQuery, QueueScope};
use store::workflow::Role;

use app::check::to_query;
use app::i18n::Lang;
use app::portal::{state_text, QueueData, P};

use super::extract::SignedIn;
use super::{forbidden, render, Authed};
use crate::state::AppState;

const PER_PAGE: u64 = 20;
/// The most rows one CSV export carries.
const CSV_LIMIT: u64 = 10_000;

/// The queue an account works: its employer, else its committee.
fn scope_of(authed: &Authed) -> Option<(Role, QueueScope)> {
    if let Some(org) = authed
        .scopes(Role::EmployerHr, |g| g.scope_org.as_ref())
        .next()
    {
        return Some((Role::EmployerHr, QueueScope::Employer(org.clone())));
    }
    authed
        .scopes(Role::CommitteeOffice, |g| g.scope_committee.as_ref())
        .next()
        .map(|c| (Role::CommitteeOffice, QueueScope::Committee(c.clone())))
}

struct Filters {
    query: QueueQuery,
    /// The filters alone, as a query string.
    text: String,
}

/// The state filter's value for the dossiers awaiting the reviewer (the default) and for every
/// state of the queue.
const AWAITING: &str = "awaiting";
const ALL: &str = "all";

/// The queue's filters as the address carries them (`?state=…&q=…&target=…&page=…`). Every
/// field is text: a page number that is not one is page 1, never an error. Without a state,
/// the queue is the work waiting: the dossiers awaiting the reviewer (`state=awaiting`);
/// `state=all` (or an empty one) is every state.
#[derive(Debug, Default, serde::Deserialize)]
struct QueueParams {
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    page: String,
}

fn filters(raw: &str, per_page: u64) -> Filters {
    let params: QueueParams = serde_urlencoded::from_str(raw).unwrap_or_else(|e| {
        tracing::debug!(error = %e, "queue filters that do not decode; showing all");
        QueueParams::default()
    });
    let value = |v: &str| v.trim().to_owned();
    let state = match params.state.as_deref().map(str::trim) {
        None | Some(AWAITING) => AWAITING.to_owned(),
        Some("" | ALL) => ALL.to_owned(),
        Some(code) => code.to_owned(),
    };
    let (text, target) = (value(&params.q), value(&params.target));
    let page = params.page.trim().parse::<u64>().unwrap_or(1).max(1);
    let kept: Vec<(String, String)> = [("state", &state), ("q", &text), ("target", &target)]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect();
    Filters {
        query: QueueQuery {
            awaiting: state == AWAITING,
            state: (state != AWAITING && state != ALL).then_some(state),
            text: (!text.is_empty()).then_some(text),
            target: (!target.is_empty()).then_some(target),
            page: page - 1,
            per_page,
        },
        text: to_query(&kept),
    }
}

/// `GET /review`
pub async fn queue_page(
    State(state): State<AppState>,
    SignedIn(authed): SignedIn,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let Some((role, scope)) = scope_of(&authed) else {
        return forbidden();
    };
    let f = filters(parts.uri.query().unwrap_or(""), PER_PAGE);
    let page = match dossiers::queue(&state.db, &scope, &f.query).await {
        Ok(p) => p,
        Err(e) => return super::internal(e),
    };
    let names = super::dossiers::TargetNames::new(&state);
    let target_options = match dossiers::queue_targets(&state.db, &scope).await {
        Ok(keys) => keys
            .into_iter()
            .map(|key| {
                let label = names.label(&key);
                (key, label)
            })
            .collect(),
        Err(e) => return super::internal(e),
    };
    let scope_code = match &scope {
        QueueScope::Employer(c) | QueueScope::Committee(c) => c.clone(),
    };
    let scope_name = store::organisations::get(&state.db, &scope_code)
        .await
        .ok()
        .flatten()
        .map(|o| o.name)
        .unwrap_or(scope_code);
    // How long each dossier awaiting the reviewer has waited since it reached them, in days.
    let awaiting: Vec<&str> = dossiers::awaiting(&scope)
        .into_iter()
        .map(|s| s.code())
        .collect();
    let since = match dossiers::waiting_since(&state.db, &page.rows).await {
        Ok(since) => since,
        Err(e) => return super::internal(e),
    };
    let today = state.book.today();
    let rows = page
        .rows
        .iter()
        .map(|m| {
            let mut row = super::dossiers::row_of(m, &names);
            if let Some(day) = since
                .get(&m.id)
                .filter(|_| awaiting.contains(&m.state.as_str()))
            {
                row.waited_days = Some((today - *day).num_days().max(0));
            }
            row
        })
        .collect();
    let awaiting_count = page
        .counts
        .iter()
        .filter(|(code, _)| awaiting.contains(&code.as_str()))
        .map(|(_, n)| n)
        .sum();
    let shown_state = if f.query.awaiting {
        AWAITING.to_owned()
    } else {
        f.query.state.clone().unwrap_or_else(|| ALL.to_owned())
    };
    let data = QueueData {
        role: role.code().to_owned(),
        scope_name,
        rows,
        total: page.total,
        page: page.page + 1,
        pages: page.total.div_ceil(PER_PAGE),
        counts: page.counts,
        awaiting_count,
        state: shown_state,
        text: f.query.text.clone().unwrap_or_default(),
        target: f.query.target.clone().unwrap_or_default(),
        target_options,
        query: f.text,
    };
    render(&state, parts, data, StatusCode::OK).await
}

/// A CSV cell: quoted, quotes doubled, and a leading `= + - @` neutralised so a spreadsheet
/// never runs it as a formula.
fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `GET /review.csv`: the queue under the same filters, every page, ID numbers masked.
pub async fn queue_csv(
    State(state): State<AppState>,
    SignedIn(authed): SignedIn,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let Some((_, scope)) = scope_of(&authed) else {
        return forbidden();
    };
    let f = filters(parts.uri.query().unwrap_or(""), CSV_LIMIT);
    let rows = match dossiers::export(&state.db, &scope, &f.query, CSV_LIMIT).await {
        Ok(rows) => rows,
        Err(dossiers::DossierError::TooMany { total, limit }) => {
            let text = |lang| {
                P::ErrExportTooMany
                    .text(lang)
                    .replace("{n}", &total.to_string())
                    .replace("{max}", &limit.to_string())
            };
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!("{} / {}", text(Lang::Zh), text(Lang::En)),
            )
                .into_response();
        }
        Err(e) => return super::internal(e),
    };
    // A byte-order mark, so spreadsheet programs read the Chinese as UTF-8.
    // Each column is named in both languages: `编号 id,姓名 name,…`.
    let header: Vec<String> = P::CsvHeader
        .zh()
        .split(',')
        .zip(P::CsvHeader.en().split(','))
        .map(|(zh, en)| format!("{zh} {en}"))
        .collect();
    let mut out = format!("\u{feff}{}\r\n", header.join(","));
    let names = super::dossiers::TargetNames::new(&state);
    // The employer by its name, the days of submission and of the publicity's end.
    let employers: std::collections::HashMap<String, String> =
        match store::organisations::names(&state.db).await {
            Ok(names) => names.into_iter().collect(),
            Err(e) => return super::internal(e),
        };
    let publicity = match dossiers::publicity_ends(&state.db, rows.iter()).await {
        Ok(ends) => ends,
        Err(e) => return super::internal(e),
    };
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for m in &rows {
        let row = super::dossiers::row_of(m, &names);
        let status = format!(
            "{} {}",
            state_text(&row.state).text(Lang::Zh),
            state_text(&row.state).text(Lang::En)
        );
        let cells = [
            row.id.to_string(),
            row.full_name,
            row.id_masked,
            employers.get(&row.org).cloned().unwrap_or(row.org),
            if row.target.is_empty() {
                String::new()
            } else {
                format!(
                    "{} {} [{}]",
                    row.target_label.zh, row.target_label.en, row.target
                )
            },
            status,
            day(dossiers::submitted_on(m)),
            // In the publicity now: its period; after it, the period of the last approval.
            day(match dossiers::state_of(m) {
                Ok(store::workflow::State::UnitPublicity { ends_on }) => Some(ends_on),
                _ => publicity.get(&m.id).copied(),
            }),
            row.updated,
        ];
        out.push_str(&cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    // A dated file name, so exports of different days do not overwrite each other.
    let disposition = format!(
        "attachment; filename=\"guantong-queue-{}.csv\"",
        state.book.today()
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        out,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(cell("王\"建国\""), "\"王\"\"建国\"\"\"");
        assert_eq!(cell("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
    }

    #[test]
    fn filters_are_read_and_kept_for_paging() {
        let f = filters("state=submitted&q=%E7%8E%8B&page=3&x=1", 20);
        assert_eq!(f.query.state.as_deref(), Some("submitted"));
        assert!(!f.query.awaiting);
        assert_eq!(f.query.text.as_deref(), Some("王"));
        assert_eq!(f.query.page, 2);
        assert_eq!(f.text, "state=submitted&q=%E7%8E%8B");
    }

    #[test]
    fn the_queue_is_the_work_waiting_unless_asked_for_more() {
        for (raw, awaiting, state, kept) in [
            ("", true, None, "state=awaiting"),
            ("q=1", true, None, "state=awaiting&q=1"),
            ("state=awaiting", true, None, "state=awaiting"),
            ("state=all", false, None, "state=all"),
            ("state=", false, None, "state=all"),
            (
                "state=formal_check",
                false,
                Some("formal_check"),
                "state=formal_check",
            ),
        ] {
            let f = filters(raw, 20);
            assert_eq!(f.query.awaiting, awaiting, "{raw}");
            assert_eq!(f.query.state.as_deref(), state, "{raw}");
            assert_eq!(f.text, kept, "{raw}");
        }
    }
}
