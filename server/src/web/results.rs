//! After the chair's signature: the public list of results in publicity and the objection form
//! (`/publicity`, `/publicity/{dossier}`, anyone, signed in or not), the office's forms on a
//! session's page (publicise, decide an objection, reinstate a held result), and the provincial
//! administrator's confirmation (`/admin/results`). Each request is one `casework::results`
//! command; anything not the asker's answers the same 404 as what does not exist.

use axum::{
    extract::{Path, Request, State},
    http::{request::Parts, StatusCode},
    response::Response,
};
use casework::results::{self, Objecting, Outcome, ResultsError, Waiting};
use casework::sessions::SessionView;

use app::portal::results::{
    ConfirmData, ConfirmRow, ObjectionData, ObjectionRow, PublicityData, PublicityRow,
    ResultsSection,
};
use app::portal::{Bi, FieldProblem, P};

use super::dossiers::TargetNames;
use super::extract::{Admin, Office, TypedForm, WebError};
use super::notice::Said;
use super::sessions::name_of;
use super::{render, Authed};
use crate::state::AppState;

const FORM_BYTES: usize = 32 * 1024;

fn case(e: ResultsError) -> WebError {
    match e {
        ResultsError::NotYours => WebError::NotFound,
        ResultsError::Case(e) => e.into(),
        e => WebError::Internal(e.to_string()),
    }
}

/// Every result in publicity today, named for the public.
async fn rows(state: &AppState) -> Result<Vec<PublicityRow>, WebError> {
    let listed = results::publicised(&state.db, state.book.today())
        .await
        .map_err(case)?;
    let orgs = store::organisations::names(&state.db).await?;
    let names = TargetNames::new(state);
    let mut out = Vec::new();
    let mut sessions: std::collections::HashMap<i64, (String, String)> = Default::default();
    for p in listed {
        let (session, committee) = match sessions.get(&p.session_id) {
            Some(named) => named.clone(),
            None => {
                let named = store::sessions::session(&state.db, p.session_id)
                    .await?
                    .map(|s| (s.name, name_of(&orgs, &s.committee)))
                    .unwrap_or_default();
                sessions.insert(p.session_id, named.clone());
                named
            }
        };
        out.push(PublicityRow {
            dossier_id: p.dossier_id,
            session,
            committee,
            name: p.name,
            org: name_of(&orgs, &p.org),
            title: names.label(&p.target),
            ends_on: p.ends_on.to_string(),
        });
    }
    Ok(out)
}

/// `GET /publicity`
pub async fn publicity(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let data = PublicityData {
        rows: rows(&state).await?,
        notice: Said::from_query(parts.uri.query()),
    };
    Ok(render(&state, parts, data, StatusCode::OK).await)
}

async fn objection_page(
    state: &AppState,
    parts: Parts,
    dossier: &str,
    typed: (String, String),
    problems: Vec<FieldProblem>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let id: i64 = dossier.parse().map_err(|_| WebError::NotFound)?;
    let row = rows(state)
        .await?
        .into_iter()
        .find(|r| r.dossier_id == id)
        .ok_or(WebError::NotFound)?;
    let data = ObjectionData {
        row,
        reason: typed.0,
        contact: typed.1,
        problems,
    };
    let mut parts = parts;
    if let Ok(uri) = format!("/publicity/{id}").parse() {
        parts.uri = uri;
    }
    Ok(render(state, parts, data, status).await)
}

/// `GET /publicity/{dossier}`: the objection form of a result in publicity.
pub async fn objection_form(
    State(state): State<AppState>,
    Path(dossier): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let typed = (String::new(), String::new());
    objection_page(&state, parts, &dossier, typed, Vec::new(), StatusCode::OK).await
}

#[derive(serde::Deserialize)]
pub struct ObjectionForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    contact: String,
}

/// `POST /publicity/{dossier}` (`reason`, `contact`): anyone objects.
pub async fn lodge(
    State(state): State<AppState>,
    Path(dossier): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let TypedForm(form) = TypedForm::<ObjectionForm>::read(body, FORM_BYTES).await?;
    let id: i64 = dossier.parse().map_err(|_| WebError::NotFound)?;
    let mut problems = Vec::new();
    if form.reason.trim().is_empty() {
        problems.push(FieldProblem::new("reason", P::ErrObjectionReason));
    }
    if form.contact.trim().is_empty() {
        problems.push(FieldProblem::new("contact", P::ErrObjectionContact));
    }
    if problems.is_empty() {
        let objecting = Objecting {
            reason: form.reason.clone(),
            contact: form.contact.clone(),
        };
        match results::lodge(&state.desk(), id, objecting).await {
            Ok(_) => return Ok(Said::ObjectionLodged.on("/publicity")),
            Err(ResultsError::PeriodOver(day)) => problems.push(
                FieldProblem::new("reason", P::ErrPublicityOver)
                    .with(&[("date", &day.to_string())]),
            ),
            Err(ResultsError::ReasonMissing) => {
                problems.push(FieldProblem::new("reason", P::ErrObjectionReason))
            }
            Err(ResultsError::ContactMissing) => {
                problems.push(FieldProblem::new("contact", P::ErrObjectionContact))
            }
            Err(e) => return Err(case(e)),
        }
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    let typed = (form.reason, form.contact);
    objection_page(&state, parts, &dossier, typed, problems, status).await
}

/// The office's results section of a session's page.
pub(crate) async fn section(
    state: &AppState,
    office: &Authed,
    view: &SessionView,
    applicant_name: &(dyn Fn(i64) -> String + Sync),
) -> Result<ResultsSection, WebError> {
    let sealed = view.session.sealed_at.is_some();
    if !sealed {
        return Ok(ResultsSection::default());
    }
    let objections = results::objections(&state.db, &office.who(), view.session.id)
        .await
        .map_err(case)?
        .into_iter()
        .map(|o| ObjectionRow {
            id: o.id,
            applicant: applicant_name(o.dossier_id),
            reason: o.reason,
            contact: o.contact,
            lodged_on: o.lodged_at.format("%Y-%m-%d").to_string(),
            status: o.status,
            finding: o.finding.unwrap_or_default(),
        })
        .collect();
    // The session's dossiers as the view read them (a passed or held result stays placed).
    let placed = view.groups.iter().flat_map(|g| g.applicants.iter());
    let mut to_publicise = 0;
    let mut held = Vec::new();
    for d in placed {
        match d.state.as_str() {
            "passed" => to_publicise += 1,
            "result_suspended" => held.push((d.id, applicant_name(d.id))),
            _ => {}
        }
    }
    let days = state
        .book
        .in_force(&view.committee.region, state.book.today())
        .and_then(|r| r.rules.param_int("review_result_publicity_working_days"))
        .unwrap_or_default() as u32;
    let appeals = casework::appeals::waiting(&state.db, &office.who(), view.session.id)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .into_iter()
        .map(|(id, name, reason, on)| (id, name, reason, on.to_string()))
        .collect();
    Ok(ResultsSection {
        sealed,
        to_publicise,
        days,
        objections,
        held,
        appeals,
    })
}

fn session_id(id: &str) -> Result<i64, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

/// `POST /sessions/{id}/results/publicity`
pub async fn start(
    State(state): State<AppState>,
    Office(office): Office,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = session_id(&id)?;
    match results::start_publicity(&state.desk(), &office.who(), id).await {
        Ok(_) => Ok(Said::ResultsPublicised.on(&format!("/sessions/{id}"))),
        Err(ResultsError::NotSealed) => Ok(Said::NotAllowed.on(&format!("/sessions/{id}"))),
        Err(e) => Err(case(e)),
    }
}

/// `POST /sessions/{id}/objections/{objection}` (`finding-{id}`, `outcome-{id}`)
pub async fn decide(
    State(state): State<AppState>,
    Office(office): Office,
    Path((id, objection)): Path<(String, String)>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let id = session_id(&id)?;
    let objection: i64 = objection.parse().map_err(|_| WebError::NotFound)?;
    let TypedForm(pairs) = TypedForm::<Vec<(String, String)>>::read(body, FORM_BYTES).await?;
    let finding_field = format!("finding-{objection}");
    let outcome_field = format!("outcome-{objection}");
    let finding = super::field(&pairs, &finding_field).to_owned();
    let outcome = Outcome::parse(super::field(&pairs, &outcome_field));
    let mut problems = Vec::new();
    if finding.trim().is_empty() {
        problems.push(FieldProblem::new(&finding_field, P::ErrFinding));
    }
    if outcome.is_none() {
        problems.push(FieldProblem::new(&outcome_field, P::ErrChooseOutcome));
    }
    if let (Some(outcome), true) = (outcome, problems.is_empty()) {
        match results::decide(&state.desk(), &office.who(), objection, outcome, &finding).await {
            Ok(()) => return Ok(Said::ObjectionDecided.on(&format!("/sessions/{id}"))),
            Err(ResultsError::AlreadyDecided) => {
                problems.push(FieldProblem::new(&outcome_field, P::ErrObjectionDecided))
            }
            Err(ResultsError::FindingMissing) => {
                problems.push(FieldProblem::new(&finding_field, P::ErrFinding))
            }
            Err(e) => return Err(case(e)),
        }
    }
    super::sessions::show_with(&state, parts, &office, id, problems).await
}

/// `POST /sessions/{id}/results/{dossier}/reinstate`
pub async fn reinstate(
    State(state): State<AppState>,
    Office(office): Office,
    Path((id, dossier)): Path<(String, String)>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let id = session_id(&id)?;
    let dossier: i64 = dossier.parse().map_err(|_| WebError::NotFound)?;
    match results::reinstate(&state.desk(), &office.who(), dossier).await {
        Ok(()) => Ok(Said::Reinstated.on(&format!("/sessions/{id}"))),
        Err(ResultsError::ObjectionOpen) => {
            let problem = FieldProblem::new("held", P::ErrObjectionStillOpen);
            super::sessions::show_with(&state, parts, &office, id, vec![problem]).await
        }
        Err(e) => Err(case(e)),
    }
}

async fn confirm_page(
    state: &AppState,
    parts: Parts,
    admin: &Authed,
    waiting: Vec<Bi>,
) -> Result<Response, WebError> {
    let orgs = store::organisations::names(&state.db).await?;
    let sessions = results::to_confirm(&state.db, &admin.who())
        .await
        .map_err(case)?
        .into_iter()
        .map(|(s, c, publicity, held)| ConfirmRow {
            session_id: s.id,
            session: s.name,
            committee: name_of(&orgs, &c.code),
            self_review: c.self_review,
            publicity,
            held,
        })
        .collect();
    let data = ConfirmData {
        sessions,
        waiting,
        notice: Said::from_query(parts.uri.query()),
    };
    let mut parts = parts;
    if let Ok(uri) = "/admin/results".parse() {
        parts.uri = uri;
    }
    Ok(render(state, parts, data, StatusCode::OK).await)
}

/// `GET /admin/results`
pub async fn confirm_list(
    State(state): State<AppState>,
    Admin(admin): Admin,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    confirm_page(&state, parts, &admin, Vec::new()).await
}

/// `POST /admin/results/{session}/confirm`: the results that wait are named on the page.
pub async fn confirm(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let id = session_id(&id)?;
    let done = results::confirm(&state.desk(), &admin.who(), id)
        .await
        .map_err(case)?;
    if done.waiting.is_empty() {
        return Ok(Said::Confirmed.on("/admin/results"));
    }
    let ids: Vec<i64> = done.waiting.iter().map(|(d, _)| *d).collect();
    let names = store::dossiers::full_names(&state.db, &ids).await?;
    let name = |id: i64| {
        names
            .iter()
            .find(|(d, _)| *d == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let waiting = done
        .waiting
        .iter()
        .map(|(id, why)| {
            let (text, date) = match why {
                Waiting::Publicity(day) => (P::ConfirmWaitingPublicity, day.to_string()),
                Waiting::ObjectionOpen => (P::ConfirmWaitingObjection, String::new()),
            };
            let fill = |t: &str| t.replace("{name}", &name(*id)).replace("{date}", &date);
            Bi::new(fill(text.zh()), fill(text.en()))
        })
        .collect();
    confirm_page(&state, parts, &admin, waiting).await
}

/// A certificate as the pages show it: the employer and committee by name, the title in words.
pub(crate) async fn certificate_view(
    state: &AppState,
    c: &store::entities::certificate::Model,
) -> Result<app::portal::results::CertificateView, WebError> {
    let orgs = store::organisations::names(&state.db).await?;
    Ok(app::portal::results::CertificateView {
        holder: c.holder.clone(),
        org: name_of(&orgs, &c.org),
        title: TargetNames::new(state).label(&c.target),
        committee: name_of(&orgs, &c.committee),
        number: c.number.clone(),
        issued_on: c.issued_on.to_string(),
        code: c.code.clone(),
    })
}

/// `GET /certificates/{code}`: public. An unknown code answers 404 with the page that says so.
pub async fn verify_certificate(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let verified = results::verify(&state.db, &code).await.map_err(case)?;
    let (status, data) = match verified {
        results::Verified::Valid(c) => (
            StatusCode::OK,
            app::portal::results::VerifyCertData {
                status: "valid".into(),
                certificate: Some(certificate_view(&state, &c).await?),
                revoked_on: String::new(),
            },
        ),
        results::Verified::Revoked(c) => (
            StatusCode::OK,
            app::portal::results::VerifyCertData {
                status: "revoked".into(),
                revoked_on: c.revoked_on.map(|d| d.to_string()).unwrap_or_default(),
                certificate: Some(certificate_view(&state, &c).await?),
            },
        ),
        results::Verified::Unknown => (
            StatusCode::NOT_FOUND,
            app::portal::results::VerifyCertData {
                status: "unknown".into(),
                ..Default::default()
            },
        ),
    };
    Ok(render(&state, parts, data, status).await)
}

/// `POST /sessions/{id}/appeals/{dossier}` (`appeal-finding-{dossier}`, `appeal-uphold-{dossier}`
/// `yes` or `no`): the office decides a request for a review.
pub async fn decide_appeal(
    State(state): State<AppState>,
    Office(office): Office,
    Path((id, dossier)): Path<(String, String)>,
    request: Request,
) -> Result<Response, WebError> {
    use casework::appeals::{self, AppealError};
    let (parts, body) = request.into_parts();
    let id = session_id(&id)?;
    let dossier: i64 = dossier.parse().map_err(|_| WebError::NotFound)?;
    let TypedForm(pairs) = TypedForm::<Vec<(String, String)>>::read(body, FORM_BYTES).await?;
    let finding_field = format!("appeal-finding-{dossier}");
    let uphold_field = format!("appeal-uphold-{dossier}");
    let finding = super::field(&pairs, &finding_field).to_owned();
    let uphold = match super::field(&pairs, &uphold_field) {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let mut problems = Vec::new();
    if finding.trim().is_empty() {
        problems.push(FieldProblem::new(&finding_field, P::ErrFinding));
    }
    if uphold.is_none() {
        problems.push(FieldProblem::new(&uphold_field, P::ErrChooseOutcome));
    }
    if let (Some(uphold), true) = (uphold, problems.is_empty()) {
        match appeals::decide(&state.desk(), &office.who(), dossier, uphold, &finding).await {
            Ok(()) => return Ok(Said::AppealDecided.on(&format!("/sessions/{id}"))),
            Err(AppealError::FindingMissing) => {
                problems.push(FieldProblem::new(&finding_field, P::ErrFinding))
            }
            Err(AppealError::NotYours) => return Err(WebError::NotFound),
            Err(AppealError::Case(e)) => return Err(e.into()),
            Err(e) => return Err(WebError::Internal(e.to_string())),
        }
    }
    super::sessions::show_with(&state, parts, &office, id, problems).await
}

fn revoke_case(e: casework::revocation::RevokeError) -> WebError {
    use casework::revocation::RevokeError;
    match e {
        RevokeError::NotYours => WebError::NotFound,
        RevokeError::Case(e) => e.into(),
        e => WebError::Internal(e.to_string()),
    }
}

/// `GET /admin/certificates?q=`: the region's certificates, searched by number, code or name.
pub async fn certificates_page(
    State(state): State<AppState>,
    Admin(admin): Admin,
    request: Request,
) -> Result<Response, WebError> {
    #[derive(serde::Deserialize, Default)]
    struct Q {
        #[serde(default)]
        q: String,
    }
    let (parts, _) = request.into_parts();
    let q: Q = serde_urlencoded::from_str(parts.uri.query().unwrap_or("")).unwrap_or_default();
    let query: String = q.q.trim().chars().take(64).collect();
    let found = casework::revocation::certificates(&state.db, &admin.who(), &query)
        .await
        .map_err(revoke_case)?;
    let names = TargetNames::new(&state);
    let rows = found
        .into_iter()
        .map(|c| app::portal::results::AdminCertRow {
            id: c.id,
            title: names.label(&c.target),
            number: c.number,
            holder: c.holder,
            issued_on: c.issued_on.to_string(),
            status: c.status,
        })
        .collect();
    let data = app::portal::results::AdminCertsData { query, rows };
    Ok(render(&state, parts, data, StatusCode::OK).await)
}

async fn certificate_admin_page(
    state: &AppState,
    mut parts: Parts,
    admin: &Authed,
    id: i64,
    typed: String,
    problems: Vec<FieldProblem>,
) -> Result<Response, WebError> {
    let (c, bar, region) = casework::revocation::certificate(&state.db, &admin.who(), id)
        .await
        .map_err(revoke_case)?;
    let years = state
        .book
        .in_force(&region, state.book.today())
        .and_then(|r| r.rules.param_int("review_fraud_bar_years"))
        .unwrap_or_default();
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let data = app::portal::results::AdminCertData {
        id: c.id,
        certificate: certificate_view(state, &c).await?,
        status: c.status.clone(),
        revoked_on: c.revoked_on.map(|d| d.to_string()).unwrap_or_default(),
        revoked_reason: c.revoked_reason.clone().unwrap_or_default(),
        barred_until: bar.map(|b| b.until.to_string()).unwrap_or_default(),
        years,
        reason: typed,
        problems,
        notice: Said::from_query(parts.uri.query()),
    };
    if let Ok(uri) = format!("/admin/certificates/{id}").parse() {
        parts.uri = uri;
    }
    Ok(render(state, parts, data, status).await)
}

/// `GET /admin/certificates/{id}`: one certificate of the region, and its revocation.
pub async fn certificate_page(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    certificate_admin_page(&state, parts, &admin, id, String::new(), Vec::new()).await
}

#[derive(serde::Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /admin/certificates/{id}/revoke` (`reason`, `confirm=yes`): revoked for fraud, the
/// holder barred from applying for a title.
pub async fn revoke_certificate(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    use casework::revocation::{self, RevokeError};
    let (parts, body) = request.into_parts();
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let TypedForm(form) = TypedForm::<RevokeForm>::read(body, FORM_BYTES).await?;
    let mut problems = Vec::new();
    if form.reason.trim().is_empty() {
        problems.push(FieldProblem::new("reason", P::ErrRevokeReason));
    }
    if form.confirm != "yes" {
        problems.push(FieldProblem::new("confirm", P::ErrRevokeConfirm));
    }
    if problems.is_empty() {
        match revocation::revoke(&state.desk(), &admin.who(), id, &form.reason).await {
            Ok(_) => return Ok(Said::CertificateRevoked.on(&format!("/admin/certificates/{id}"))),
            Err(RevokeError::ReasonMissing) => {
                problems.push(FieldProblem::new("reason", P::ErrRevokeReason))
            }
            // Revoked meanwhile (by another administrator): the page shows by whom and why.
            Err(RevokeError::AlreadyRevoked) => {
                return Ok(Said::NotAllowed.on(&format!("/admin/certificates/{id}")))
            }
            Err(e) => return Err(revoke_case(e)),
        }
    }
    certificate_admin_page(&state, parts, &admin, id, form.reason, problems).await
}

/// A bar as the pages show it.
pub(crate) fn bar_view(bar: casework::revocation::Bar) -> app::portal::results::BarView {
    app::portal::results::BarView {
        certificate_number: bar.certificate_number,
        starts_on: bar.starts_on.to_string(),
        until: bar.until.to_string(),
        reason: bar.reason,
    }
}
