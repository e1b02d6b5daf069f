//! Dossier routes: the dossier page, saving and submitting the draft (with its attachments),
//! the reviewers' decisions and the downloads. Each handler decodes the request, calls one
//! `casework` command or query and redirects or renders; every one opens the dossier through
//! `casework::dossier::open` first, so someone without access gets the same 404 as for a
//! dossier that does not exist.

mod appeal;
mod apply;
mod certificate;
mod decide;
mod files;
mod form;
mod own;
mod targets;
pub(crate) mod view;

use axum::{
    extract::{Path, Request, State},
    http::{request::Parts, StatusCode},
    response::{IntoResponse, Response},
};
use casework::commands::{self, Interpreted, SaveDraft, SaveError, SubmitError};
use casework::dossier::Opened;
use chrono::NaiveDate;
use store::authz::Access;

use app::check::Answers;
use app::portal::FieldProblem;

pub use appeal::appeal;
pub use apply::{apply_page, create, my_dossiers, update_answers};
pub use certificate::certificate;
pub use decide::decide;
pub use files::{download, send};
pub use own::{delete as delete_draft, download as my_data, withdraw};
pub use targets::TargetNames;
pub use view::{account_of, row_of};

use super::extract::{SignedIn, WebError};
use super::notice::Said;
use super::{render, Authed};
use crate::state::AppState;
use form::{Nav, Posted};
use view::{answers_of, page_data};

/// The dossier of the address (`/dossiers/{id}/…`) opened for the signed-in account: to read it
/// (`Opens<false>`) or to edit it (`Opens<true>`). Someone not signed in is sent to sign in;
/// anyone the dossier is not there for gets the 404 everyone else gets.
pub struct Opens<const EDIT: bool> {
    pub authed: Authed,
    pub opened: Opened,
}

/// A dossier opened to read.
pub type ToRead = Opens<false>;
/// A dossier opened to edit (its owner, while it is editable by them).
pub type ToEdit = Opens<true>;

impl<const EDIT: bool> axum::extract::FromRequestParts<AppState> for Opens<EDIT> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let SignedIn(authed) = SignedIn::from_request_parts(parts, state).await?;
        let Path(params) =
            Path::<std::collections::HashMap<String, String>>::from_request_parts(parts, state)
                .await
                .map_err(|_| WebError::NotFound.into_response())?;
        let id = params.get("id").map(String::as_str).unwrap_or_default();
        let access = if EDIT { Access::Edit } else { Access::Read };
        match open(state, &authed, id, access).await {
            Ok(opened) => Ok(Opens { authed, opened }),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// The dossier `id` opened for `authed` wanting `access`, or the 404 everyone else gets.
async fn open(
    state: &AppState,
    authed: &Authed,
    id: &str,
    access: Access,
) -> Result<Opened, WebError> {
    let id = id.parse::<i64>().map_err(|_| WebError::NotFound)?;
    casework::dossier::open(&state.db, &authed.who(), id, access)
        .await?
        .ok_or(WebError::NotFound)
}

/// The self-check's reading of `answers` under the rules in force, for the commands; with
/// `in_region`, the answers take the region of the rules (a submission is decided under the
/// employer's region's rules, and its receipt says so).
fn interpret(
    answers: Answers,
    in_region: bool,
) -> impl FnOnce(&str, &rules::ResolvedRuleSet, NaiveDate) -> Interpreted {
    move |region, rules, day| {
        let mut answers = answers;
        if in_region {
            answers.region = region.to_owned();
        }
        Interpreted {
            query: answers.query(),
            input: Some(answers.person(day, rules).0.input().clone()),
        }
    }
}

/// Renders the dossier page at `/dossiers/{id}` with `status`.
async fn show(
    state: &AppState,
    mut parts: Parts,
    opened: &Opened,
    typed: Option<app::portal::DossierFields>,
    notice: Option<app::portal::Notice>,
    problems: Vec<FieldProblem>,
    status: StatusCode,
) -> Result<Response, WebError> {
    // The form may have posted to `/decision`, which is no page: the page is the dossier's.
    if let Ok(uri) = format!("/dossiers/{}", opened.dossier.id()).parse() {
        parts.uri = uri;
    }
    let data = page_data(state, opened, typed, notice, problems).await?;
    Ok(render(state, parts, data, status).await)
}

/// `GET /dossiers/{id}`
pub async fn page(
    State(state): State<AppState>,
    Opens { authed, opened }: ToRead,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    if opened.dossier.row.owner_id != authed.account_id {
        store::dossiers::record_read(&state.db, opened.dossier.id(), &authed.label()).await?;
    }
    let notice = Said::from_query(parts.uri.query());
    show(
        &state,
        parts,
        &opened,
        None,
        notice,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /dossiers/{id}`: save the draft (multipart: the fields, maybe a file), then whatever
/// button was pressed: add or remove an achievement or a file, or submit.
#[tracing::instrument(skip_all, fields(id = %opened.dossier.id()))]
pub async fn save(
    State(state): State<AppState>,
    Opens { authed, opened }: ToEdit,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let id = opened.dossier.id();
    if !opened.dossier.state.editable_by_applicant() {
        return Ok(Said::NotAllowed.on_dossier(id, ""));
    }
    let request = Request::from_parts(parts.clone(), body);
    let posted = match Posted::receive(&state, id, request).await {
        Ok(posted) => posted,
        Err(cut) => return Ok(cut.response()),
    };
    let command = SaveDraft {
        version: posted.version,
        draft: view::draft_of(posted.typed.clone()),
        edit: posted.nav.edit(),
    };
    let saved = match commands::save(&state.desk(), &opened, command).await {
        Ok(saved) => saved,
        Err(e) => {
            // A refused save keeps no file it brought: the person uploads it again with the form.
            form::discard(&state, id, &posted.received.stored).await;
            return refused_save(&state, parts, &authed, posted, e).await;
        }
    };
    let now = Opened {
        dossier: saved.dossier.clone(),
        region: saved.region.clone(),
        actor: opened.actor,
    };
    if posted.nav == Nav::Autosave {
        let version = serde_json::json!({ "version": saved.dossier.version() });
        return Ok(axum::Json(version).into_response());
    }
    if let Some(problem) = posted.received.file_problem {
        // A refused file stops a submit, but does not hide what else is wrong with it: every
        // field's problem is told with the file's (一次性告知), in the page's order.
        let mut problems = Vec::new();
        if posted.nav == Nav::Submit {
            let reading = interpret(answers_of(&saved.dossier), true);
            let declared = declared(&posted.received.pairs);
            let found = commands::problems(&state.desk(), &saved, declared, reading).await?;
            problems.extend(found.iter().map(view::problem_text));
        }
        problems.push(problem);
        let (fields, status) = (
            view::fields_of(&saved.draft),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
        return show(&state, parts, &now, Some(fields), None, problems, status).await;
    }
    if posted.nav != Nav::Submit {
        let said = posted.nav.said(!posted.received.stored.is_empty());
        return Ok(said.on_dossier(id, posted.nav.anchor()));
    }
    let declared = declared(&posted.received.pairs);
    submit(&state, parts, &authed, &saved, &now, declared).await
}

/// The declaration ticked with a submit (`declaration=yes`), as agreeing to the privacy notice
/// in force.
fn declared(pairs: &[(String, String)]) -> commands::Declared<'static> {
    commands::Declared(
        (super::field(pairs, "declaration").trim() == "yes")
            .then_some(app::pages::privacy::PRIVACY_NOTICE_VERSION),
    )
}

/// Submits the draft just saved: every problem at once beside its field over what was typed,
/// else the re-evaluation under the rules in force, the receipt and the move to submitted.
async fn submit(
    state: &AppState,
    parts: Parts,
    authed: &Authed,
    saved: &commands::Saved,
    now: &Opened,
    declared: commands::Declared<'_>,
) -> Result<Response, WebError> {
    let id = saved.dossier.id();
    let (desk, who) = (state.desk(), authed.who());
    let reading = interpret(answers_of(&saved.dossier), true);
    match commands::submit(&desk, &who, saved, declared, reading).await {
        Ok(_) => Ok(Said::Submitted.on_dossier(id, "")),
        Err(SubmitError::Problems(found)) => {
            let problems = found.iter().map(view::problem_text).collect();
            let fields = Some(view::fields_of(&saved.draft));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            show(state, parts, now, fields, None, problems, status).await
        }
        Err(SubmitError::Conflict) => Ok(Said::Conflict.on_dossier(id, "")),
        Err(SubmitError::NotAllowed) => Ok(Said::NotAllowed.on_dossier(id, "")),
        Err(SubmitError::Case(e)) => Err(e.into()),
    }
}

/// What a refused save answers: the autosave gets JSON; a conflict shows what was typed over
/// the current version, so the person can check it and save again.
async fn refused_save(
    state: &AppState,
    parts: Parts,
    authed: &Authed,
    posted: Posted,
    e: SaveError,
) -> Result<Response, WebError> {
    let json = |body: serde_json::Value| (StatusCode::CONFLICT, axum::Json(body)).into_response();
    let id = posted.dossier_id;
    match e {
        SaveError::Conflict { current } if posted.nav == Nav::Autosave => Ok(json(
            serde_json::json!({ "error": "conflict", "version": current }),
        )),
        SaveError::NotEditable if posted.nav == Nav::Autosave => {
            Ok(json(serde_json::json!({ "error": "not_editable" })))
        }
        SaveError::Conflict { .. } => {
            let current = open(state, authed, &id.to_string(), Access::Edit).await?;
            let notice = Some(Said::Conflict.notice());
            let status = StatusCode::CONFLICT;
            // What was typed, without the rows left blank (as a save would keep it).
            let mut draft = view::draft_of(posted.typed);
            draft.achievements.retain(|a| !a.is_blank());
            let typed = Some(view::fields_of(&draft));
            show(state, parts, &current, typed, notice, Vec::new(), status).await
        }
        SaveError::NotEditable => Ok(Said::NotAllowed.on_dossier(id, "")),
        SaveError::Case(e) => Err(e.into()),
    }
}
