//! `/admin/committees`: a provincial admin's committees of their region — the list with each
//! filing's status, the create form, a filing form per committee — and the record's changes.

use axum::{
    extract::{Path, Request, State},
    http::{request::Parts, StatusCode},
    response::Response,
};

use app::portal::committees::{CommitteeForm, CommitteesData, FilingForm};
use app::portal::{Bi, FieldProblem, P};
use casework::committee::{Filing, FilingEntryProblem, RecordEntry, RecordProblem, Tier};
use casework::dossier::Who;
use casework::pool::{self, PoolError, Reach};

use super::pool::{committee_page, Shown};
use super::{
    committee_view, date_text, internal, notice_of, opened_as, parse_date, problem, Names, Pairs,
    FORM_BYTES,
};
use crate::state::AppState;
use crate::web::extract::{Admin, TypedForm, WebError};
use crate::web::notice::Said;
use crate::web::{field, render, see_other};

/// A problem naming the experts in service a record change would no longer fit: `text` with
/// their count, at most five of their names (the rest counted) and `what` (a title level or a
/// series, named in each language).
fn pool_problem(field: &str, text: P, experts: &[String], what: (&str, Bi)) -> FieldProblem {
    const NAMED: usize = 5;
    let mut who = experts
        .iter()
        .take(NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join("、");
    if experts.len() > NAMED {
        who.push_str(&format!(" +{}", experts.len() - NAMED));
    }
    let n = experts.len().to_string();
    let fill = |t: &str, name: &str| {
        t.replace("{n}", &n)
            .replace("{names}", &who)
            .replace(what.0, name)
    };
    FieldProblem {
        field: field.to_owned(),
        zh: fill(text.zh(), &what.1.zh),
        en: fill(text.en(), &what.1.en),
    }
}

fn record_problem(p: &RecordProblem, names: &Names) -> FieldProblem {
    match p {
        RecordProblem::PoolTitleBelow { needed, experts } => pool_problem(
            p.field(),
            P::ErrPoolTitleBelow,
            experts,
            ("{needed}", names.title(needed.code())),
        ),
        RecordProblem::PoolOtherSeries { series, experts } => pool_problem(
            p.field(),
            P::ErrPoolOtherSeries,
            experts,
            ("{series}", names.series(series)),
        ),
        RecordProblem::CodeInvalid => problem("code", P::ErrCommitteeCode, &[]),
        RecordProblem::NameMissing => problem("name", P::ErrCommitteeName, &[]),
        RecordProblem::UnknownOrganiser(v) => {
            problem("organiser", P::ErrOrganiserUnknown, &[("value", v)])
        }
        RecordProblem::UnknownSeries(v) => problem("series", P::ErrUnknownSeries, &[("value", v)]),
        RecordProblem::NoTiers => problem("tiers", P::ErrTiersNone, &[]),
        RecordProblem::UnknownEntrusting(v) => {
            problem("entrusting", P::ErrEntrustingUnknown, &[("value", v)])
        }
    }
}

fn filing_problem(p: &FilingEntryProblem) -> FieldProblem {
    match p {
        FilingEntryProblem::NumberMissing => problem("number", P::ErrFilingNumber, &[]),
        FilingEntryProblem::ExpiresBeforeFiled => problem("expires_on", P::ErrFilingOrder, &[]),
        FilingEntryProblem::TooLong { max_years, latest } => problem(
            "expires_on",
            P::ErrFilingTooLong,
            &[
                ("max", &max_years.to_string()),
                ("latest", &date_text(*latest)),
            ],
        ),
    }
}

fn committee_form(pairs: &Pairs) -> CommitteeForm {
    CommitteeForm {
        region: field(pairs, "region").to_owned(),
        code: field(pairs, "code").to_owned(),
        name: field(pairs, "name").to_owned(),
        organiser: field(pairs, "organiser").to_owned(),
        series: field(pairs, "series").to_owned(),
        tiers: pairs
            .iter()
            .filter(|(k, _)| k == "tiers")
            .map(|(_, v)| v.trim().to_owned())
            .collect(),
        specialty: field(pairs, "specialty").to_owned(),
        self_review: !field(pairs, "self_review").is_empty(),
        entrusting: field(pairs, "entrusting").to_owned(),
    }
}

fn record_entry(form: &CommitteeForm) -> RecordEntry {
    RecordEntry {
        name: form.name.clone(),
        organiser: form.organiser.clone(),
        series: form.series.clone(),
        tiers: Tier::list(&form.tiers.join(",")),
        specialty: form.specialty.clone(),
        self_review: form.self_review,
        entrusting: form
            .entrusting
            .split([',', '，', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    }
}

/// The admin's page: `form` and `filing` are what was typed in a refused form.
async fn committees_page(
    state: &AppState,
    mut parts: Parts,
    who: &Who,
    refused: Option<(CommitteesData, StatusCode)>,
) -> Result<Response, WebError> {
    let desk = state.desk();
    let regions = pool::admin_regions(who);
    let names = Names::of(state, regions.first().map(String::as_str).unwrap_or(""));
    let rows = pool::committees_of(&desk, who).await.map_err(internal)?;
    let (mut data, status) = refused.unwrap_or_else(|| {
        let mut data = CommitteesData::default();
        data.create.region = regions.first().cloned().unwrap_or_default();
        (data, StatusCode::OK)
    });
    data.rows = rows
        .iter()
        .map(|n| committee_view(state, n, &Names::of(state, &n.row.region)))
        .collect();
    data.regions = regions;
    data.series = names.series.clone();
    data.max_years = names.max_years.clone();
    if data.notice.is_none() {
        data.notice = notice_of(&parts);
    }
    parts.uri = http::Uri::from_static("/admin/committees");
    Ok(render(state, parts, data, status).await)
}

/// `GET /admin/committees`
pub async fn admin_page(
    State(state): State<AppState>,
    Admin(admin): Admin,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    committees_page(&state, parts, &admin.who(), None).await
}

/// `POST /admin/committees`: create a committee of one of the admin's regions.
pub async fn create(
    State(state): State<AppState>,
    Admin(admin): Admin,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let TypedForm(pairs) = TypedForm::<Pairs>::read(body, FORM_BYTES).await?;
    let form = committee_form(&pairs);
    let who = admin.who();
    let desk = state.desk();
    let problems = if !pool::admin_regions(&who).contains(&form.region) {
        vec![problem("region", P::ErrRegion, &[])]
    } else {
        match pool::create(&desk, &who, &form.region, &form.code, &record_entry(&form)).await {
            Ok(row) => {
                tracing::info!(committee = %row.code, "committee created");
                return Ok(see_other(&format!(
                    "/admin/committees?notice={}",
                    Said::CommitteeCreated.code()
                )));
            }
            Err(PoolError::Record(problems)) => {
                let names = Names::of(&state, &form.region);
                problems.iter().map(|p| record_problem(p, &names)).collect()
            }
            Err(PoolError::CodeTaken) => vec![problem(
                "code",
                P::ErrCommitteeCodeTaken,
                &[("value", &form.code)],
            )],
            Err(e) => return Err(internal(e)),
        }
    };
    let data = CommitteesData {
        create: form,
        create_problems: problems,
        ..CommitteesData::default()
    };
    committees_page(
        &state,
        parts,
        &who,
        Some((data, StatusCode::UNPROCESSABLE_ENTITY)),
    )
    .await
}

/// `POST /admin/committees/{code}`: change a committee's record (its region's admin).
pub async fn update_record(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(code): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let who = admin.who();
    let opened = opened_as(&state.desk(), &who, &code, Reach::Admin).await?;
    let TypedForm(pairs) = TypedForm::<Pairs>::read(body, FORM_BYTES).await?;
    let form = committee_form(&pairs);
    let names = Names::of(&state, &opened.row().region);
    let problems = match pool::update(&state.desk(), &who, &code, &record_entry(&form)).await {
        Ok(_) => {
            return Ok(see_other(&format!(
                "/committees/{code}?notice={}",
                Said::CommitteeUpdated.code()
            )))
        }
        Err(PoolError::Record(problems)) => {
            problems.iter().map(|p| record_problem(p, &names)).collect()
        }
        Err(e) => return Err(internal(e)),
    };
    let shown = Shown {
        record: Some(form),
        problems,
        ..Shown::default()
    };
    committee_page(
        &state,
        parts,
        &who,
        &code,
        shown,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
/// `POST /admin/committees/{code}/filing`: record a committee's filing.
pub async fn file(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(code): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let who = admin.who();
    let desk = state.desk();
    // Not theirs: "not found" before the form is even read.
    opened_as(&desk, &who, &code, Reach::Admin).await?;
    let TypedForm(pairs) = TypedForm::<Pairs>::read(body, FORM_BYTES).await?;
    let form = FilingForm {
        code: code.clone(),
        number: field(&pairs, "number").to_owned(),
        filed_on: field(&pairs, "filed_on").to_owned(),
        expires_on: field(&pairs, "expires_on").to_owned(),
    };
    let (filed_on, expires_on) = (parse_date(&form.filed_on), parse_date(&form.expires_on));
    let problems = match (filed_on, expires_on) {
        (Some(filed_on), Some(expires_on)) => {
            let filing = Filing {
                number: form.number.clone(),
                filed_on,
                expires_on,
            };
            match pool::file(&desk, &who, &code, &filing).await {
                Ok(_) => {
                    return Ok(see_other(&format!(
                        "/admin/committees?notice={}",
                        Said::Filed.code()
                    )))
                }
                Err(PoolError::Filing(problems)) => problems.iter().map(filing_problem).collect(),
                Err(e) => return Err(internal(e)),
            }
        }
        _ => {
            let mut problems = Vec::new();
            if form.number.is_empty() {
                problems.push(problem("number", P::ErrFilingNumber, &[]));
            }
            if filed_on.is_none() {
                problems.push(problem("filed_on", P::ErrDateFormat, &[]));
            }
            if expires_on.is_none() {
                problems.push(problem("expires_on", P::ErrDateFormat, &[]));
            }
            problems
        }
    };
    let mut data = CommitteesData {
        filing: form,
        filing_problems: problems,
        ..CommitteesData::default()
    };
    data.create.region = pool::admin_regions(&who)
        .first()
        .cloned()
        .unwrap_or_default();
    committees_page(
        &state,
        parts,
        &who,
        Some((data, StatusCode::UNPROCESSABLE_ENTITY)),
    )
    .await
}
