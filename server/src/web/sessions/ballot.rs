//! The office's part of a session's secret ballot (`/sessions/{id}/ballot/…`): recording who
//! attends, opening the ballot at quorum, closing it; and the ballot's section of the session's
//! page, which shows how many have voted (never how) until the close, and the count after it.

use axum::{
    extract::{Path, Request, State},
    http::StatusCode,
    response::Response,
};
use casework::ballot::{self, ApplicantStanding, BallotError, Phase};
use casework::sessions::SessionView;

use app::portal::sessions::{BallotData, ResultRow};
use app::portal::{FieldProblem, P};

use super::group_name;
use super::session::show;
use super::FORM_BYTES;
use crate::state::AppState;
use crate::web::extract::{Office, TypedForm, WebError};
use crate::web::notice::Said;
use crate::web::Authed;

fn phase_code(phase: Phase) -> &'static str {
    match phase {
        Phase::NotOpen => "not_open",
        Phase::Open => "open",
        Phase::Closed => "closed",
        Phase::Sealed => "sealed",
    }
}

/// The ballot's results as the pages show them, each applicant named.
pub fn result_rows(
    results: &[store::entities::ballot_result::Model],
    name: &(dyn Fn(i64) -> String + Sync),
) -> Vec<ResultRow> {
    results
        .iter()
        .map(|r| ResultRow {
            dossier_id: r.dossier_id,
            applicant: name(r.dossier_id),
            group: r.grp.clone(),
            members: r.members,
            recused: r.recused,
            base: r.base,
            agree: r.agree,
            disagree: r.disagree,
            abstain: r.abstain,
            pass_needed: r.pass_needed,
            outcome: r.outcome.clone(),
        })
        .collect()
}

/// The ballot section's data for the session's page.
pub async fn data(
    state: &AppState,
    office: &Authed,
    view: &SessionView,
    applicant_name: &(dyn Fn(i64) -> String + Sync),
) -> Result<BallotData, WebError> {
    let standing = match ballot::standing(&state.desk(), &office.who(), view.session.id).await {
        Ok(s) => s,
        Err(BallotError::Case(e)) => return Err(e.into()),
        Err(BallotError::NotYours) => return Err(WebError::NotFound),
        Err(e) => return Err(WebError::Internal(e.to_string())),
    };
    let members = view
        .groups
        .iter()
        .flat_map(|g| {
            g.experts
                .iter()
                .filter(|(_, reserve)| !reserve)
                .map(|(e, _)| {
                    (
                        e.id,
                        e.name.clone(),
                        g.kind.code().to_owned(),
                        standing.attending.contains(&e.id),
                    )
                })
        })
        .collect();
    let short = standing
        .applicants
        .iter()
        .filter(|a| a.recused > 0 && a.attending < a.quorum_needed)
        .map(|a: &ApplicantStanding| {
            (
                applicant_name(a.dossier_id),
                a.recused,
                a.attending,
                a.quorum_needed,
            )
        })
        .collect();
    let open = standing.phase == Phase::Open;
    let turnout = if open {
        standing
            .applicants
            .iter()
            .map(|a| (applicant_name(a.dossier_id), a.voted, a.attending))
            .collect()
    } else {
        Vec::new()
    };
    let fraction = |(a, b): (u32, u32)| format!("{a}/{b}");
    let s = &view.session;
    Ok(BallotData {
        phase: phase_code(standing.phase).into(),
        drawn: view.groups.iter().all(|g| g.drawn.is_some()),
        quorum: fraction(standing.thresholds.quorum),
        pass: fraction(standing.thresholds.pass),
        members,
        groups: standing
            .groups
            .iter()
            .map(|(k, m, a, n)| (k.code().to_owned(), *m, *a, *n))
            .collect(),
        short,
        turnout,
        // Written only at the close: before it there is nothing to show.
        results: result_rows(&standing.results, applicant_name),
        sealed: crate::web::ballot::sealed_line(state, s).await?,
    })
}

/// A refusal in the office's words, beside the form it came from.
fn problem(e: &BallotError) -> Option<FieldProblem> {
    Some(match e {
        BallotError::AlreadyOpen => FieldProblem::new("attending", P::ErrBallotOpen),
        BallotError::NotMember(_) => FieldProblem::new("attending", P::ErrNotMember),
        BallotError::NotDrawn => FieldProblem::new("attending", P::BallotNeedsDraw),
        BallotError::NoQuorum(short) => {
            let lines = |lang: app::i18n::Lang| {
                short
                    .iter()
                    .map(|s| {
                        P::QuorumLine
                            .text(lang)
                            .replace("{group}", group_name(s.group).text(lang))
                            .replace("{attending}", &s.attending.to_string())
                            .replace("{members}", &s.members.to_string())
                            .replace("{needed}", &s.needed.to_string())
                    })
                    .collect::<Vec<_>>()
            };
            let mut p = FieldProblem::new("attending", P::ErrNoQuorum);
            p.zh =
                p.zh.replace("{lines}", &lines(app::i18n::Lang::Zh).join("；"));
            p.en =
                p.en.replace("{lines}", &lines(app::i18n::Lang::En).join("; "));
            p
        }
        BallotError::NotOpen => FieldProblem::new("confirm", P::ErrBallotNotOpen),
        BallotError::Closed => FieldProblem::new("confirm", P::ErrBallotClosed),
        _ => return None,
    })
}

async fn answer(
    state: &AppState,
    parts: axum::http::request::Parts,
    office: &Authed,
    id: i64,
    outcome: Result<Said, BallotError>,
) -> Result<Response, WebError> {
    let e = match outcome {
        Ok(said) => return Ok(said.on(&format!("/sessions/{id}"))),
        Err(BallotError::NotYours) => return Err(WebError::NotFound),
        Err(BallotError::Case(e)) => return Err(e.into()),
        Err(e) => e,
    };
    let Some(problem) = problem(&e) else {
        return Err(WebError::Internal(e.to_string()));
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    show(
        state,
        parts,
        office,
        id,
        None,
        vec![problem],
        String::new(),
        status,
    )
    .await
}

fn session_id(id: &str) -> Result<i64, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

/// `POST /sessions/{id}/ballot/attendance` (`attending`, one per expert ticked).
pub async fn attendance(
    State(state): State<AppState>,
    Office(office): Office,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let id = session_id(&id)?;
    let TypedForm(pairs) = TypedForm::<Vec<(String, String)>>::read(body, FORM_BYTES).await?;
    let mut experts = Vec::new();
    for (k, v) in &pairs {
        if k == "attending" {
            // A value that is no number names nobody the office could have ticked.
            experts.push(
                v.parse::<i64>()
                    .map_err(|_| WebError::Form(StatusCode::BAD_REQUEST, P::ErrFormUnreadable))?,
            );
        }
    }
    let outcome = ballot::record_attendance(&state.desk(), &office.who(), id, &experts)
        .await
        .map(|()| Said::AttendanceSaved);
    answer(&state, parts, &office, id, outcome).await
}

/// `POST /sessions/{id}/ballot/open`
pub async fn open(
    State(state): State<AppState>,
    Office(office): Office,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let id = session_id(&id)?;
    let outcome = ballot::open(&state.desk(), &office.who(), id)
        .await
        .map(|()| Said::BallotOpened);
    answer(&state, parts, &office, id, outcome).await
}

#[derive(serde::Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    confirm: String,
}

/// `POST /sessions/{id}/ballot/close` (`confirm=yes`)
pub async fn close(
    State(state): State<AppState>,
    Office(office): Office,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let id = session_id(&id)?;
    let TypedForm(form) = TypedForm::<CloseForm>::read(body, FORM_BYTES).await?;
    if form.confirm != "yes" {
        // Not the office's: the same 404 as any other session. Then the missing tick.
        ballot::standing(&state.desk(), &office.who(), id)
            .await
            .map_err(|_| WebError::NotFound)?;
        let problem = FieldProblem::new("confirm", P::ErrConfirmClose);
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return show(
            &state,
            parts,
            &office,
            id,
            None,
            vec![problem],
            String::new(),
            status,
        )
        .await;
    }
    let outcome = ballot::close(&state.desk(), &office.who(), id)
        .await
        .map(|_| Said::BallotClosed);
    answer(&state, parts, &office, id, outcome).await
}
