//! The committee pages: `/admin/committees` (a provincial admin's committees of their region:
//! the list with each filing's status, the create form, a filing form per committee; in
//! [`admin`]) and `/committees/{code}` (the committee's record and its expert pool for its
//! office — add, edit, deactivate ([`pool`]), import a CSV or XLSX with a per-row report, export
//! both ([`files`]) — and read-only for its region's admin). Each request becomes one
//! `casework::pool` command; its refusals are worded here, in both languages, naming the field or
//! the row. Someone the committee is not theirs gets the site's 404, as for a committee that
//! does not exist.

mod admin;
mod files;
mod pool;

pub use admin::{admin_page, create, file, update_record};
pub use files::{export_csv, export_xlsx, import};
pub use pool::{add_expert, deactivate_expert, edit_expert, page};

use axum::http::request::Parts;
use chrono::NaiveDate;

use app::portal::committees::{tier_text, CommitteeView, FilingView};
use app::portal::{Bi, Choice, FieldProblem, P};
use casework::committee::{Committee, EntryProblem};
use casework::pool::{Opened, PoolError, Reach};
use store::committees::Named;

use super::extract::WebError;
use super::notice::Said;
use crate::state::AppState;

/// The largest committee, filing or expert form (they are a few short fields).
const FORM_BYTES: usize = 16 * 1024;

type Pairs = Vec<(String, String)>;

/// A problem of `field` worded by `msg` with each `{name}` filled in.
fn problem(field: &str, msg: P, values: &[(&str, &str)]) -> FieldProblem {
    FieldProblem::new(field, msg).with(values)
}

fn notice_of(parts: &Parts) -> Option<app::portal::Notice> {
    let query = parts.uri.query().unwrap_or("");
    let pairs: Pairs = serde_urlencoded::from_str(query).unwrap_or_default();
    app::check::get(&pairs, "notice")
        .and_then(Said::parse)
        .map(Said::notice)
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// What the pages name from the rules in force in a region today: the series and title levels.
struct Names {
    series: Vec<Choice>,
    titles: Vec<Choice>,
    max_years: String,
}

impl Names {
    fn of(state: &AppState, region: &str) -> Names {
        let book = &state.book;
        match book.in_force(region, book.today()) {
            Some(in_force) => {
                let c = in_force.rules.catalogue();
                Names {
                    series: c
                        .series
                        .into_iter()
                        .map(|s| Choice {
                            code: s.code,
                            label: Bi::new(s.zh, s.en),
                        })
                        .collect(),
                    titles: c
                        .title_levels
                        .into_iter()
                        .map(|t| Choice {
                            code: t.code,
                            label: Bi::new(t.zh, t.en),
                        })
                        .collect(),
                    max_years: casework::committee::term_max_years(&in_force.rules)
                        .map(|y| y.to_string())
                        .unwrap_or_default(),
                }
            }
            None => Names {
                series: vec![],
                titles: vec![],
                max_years: String::new(),
            },
        }
    }

    fn label(choices: &[Choice], code: &str) -> Bi {
        choices
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.label.clone())
            .unwrap_or_else(|| Bi::new(code, code))
    }

    fn title(&self, code: &str) -> Bi {
        Names::label(&self.titles, code)
    }

    fn series(&self, code: &str) -> Bi {
        Names::label(&self.series, code)
    }
}

fn committee_view(state: &AppState, named: &Named, names: &Names) -> CommitteeView {
    let c = Committee::from(&named.row);
    let filing = match (&c.filing, c.filing_on(state.book.today())) {
        (None, _) => FilingView::NotFiled,
        (Some(f), Ok(_)) => FilingView::InForce {
            number: f.number.clone(),
            until: date_text(f.expires_on),
        },
        (Some(f), Err(casework::committee::FilingProblem::NotYetFiled { filed_on })) => {
            FilingView::NotYet {
                number: f.number.clone(),
                from: date_text(filed_on),
            }
        }
        (Some(f), Err(_)) => FilingView::Lapsed {
            number: f.number.clone(),
            on: date_text(f.expires_on),
        },
    };
    CommitteeView {
        code: c.code.clone(),
        name: named.name.clone(),
        region: c.region.clone(),
        organiser: c.organiser.clone(),
        series: names.series(&c.series),
        tiers: c.tiers.iter().map(|t| tier_text(t.code())).collect(),
        specialty: c.specialty.clone().unwrap_or_default(),
        self_review: c.self_review,
        entrusting: c.entrusting.join(", "),
        filing,
    }
}

/// An entry's problem, with the title levels named from the rules.
fn entry_problem(p: &EntryProblem, names: &Names) -> FieldProblem {
    let field = p.field();
    match p {
        EntryProblem::NameMissing => problem(field, P::ErrExpertName, &[]),
        EntryProblem::UnknownAccount(v) => problem(field, P::ErrUnknownAccount, &[("value", v)]),
        EntryProblem::UnknownUnit(v) => problem(field, P::ErrUnknownUnit, &[("value", v)]),
        EntryProblem::UnknownSeries(v) => problem(field, P::ErrUnknownSeries, &[("value", v)]),
        EntryProblem::OtherSeries { series, committee } => problem(
            field,
            P::ErrOtherSeries,
            &[("value", series), ("committee", committee)],
        ),
        EntryProblem::UnknownTitleLevel(v) => problem(field, P::ErrUnknownTitle, &[("value", v)]),
        EntryProblem::TitleBelow { held, needed } => {
            let (held, needed) = (names.title(held.code()), names.title(needed.code()));
            FieldProblem {
                field: field.to_owned(),
                zh: P::ErrTitleBelow
                    .zh()
                    .replace("{held}", &held.zh)
                    .replace("{needed}", &needed.zh),
                en: P::ErrTitleBelow
                    .en()
                    .replace("{held}", &held.en)
                    .replace("{needed}", &needed.en),
            }
        }
        EntryProblem::UnknownDuty(v) => problem(field, P::ErrUnknownDuty, &[("value", v)]),
        EntryProblem::TermEndsBeforeStart => problem(field, P::ErrTermOrder, &[]),
        EntryProblem::TermTooLong { max_years, latest } => problem(
            field,
            P::ErrTermTooLong,
            &[
                ("max", &max_years.to_string()),
                ("latest", &date_text(*latest)),
            ],
        ),
    }
}

/// The committee `code` opened by one who has `reach` over it (its office, or its region's
/// admin), or the site's 404 for anyone else and for a committee that does not exist.
async fn opened_as(
    desk: &casework::commands::Desk<'_>,
    who: &casework::dossier::Who,
    code: &str,
    reach: Reach,
) -> Result<Opened, WebError> {
    match casework::pool::open(desk, who, code).await {
        Ok(o) if o.reach == reach => Ok(o),
        Ok(_) | Err(PoolError::NotFound) => Err(WebError::NotFound),
        Err(e) => Err(internal(e)),
    }
}

fn internal(e: PoolError) -> WebError {
    match e {
        PoolError::NotFound => WebError::NotFound,
        PoolError::Case(e) => e.into(),
        e => WebError::Internal(e.to_string()),
    }
}
