//! Dossier routes: the dossier page, saving and submitting the draft (with its attachments),
//! the reviewers' decisions and the downloads. Each handler decodes the request, calls one
//! `casework` command or query and redirects or renders; every one opens the dossier through
//! `casework::dossier::open` first, so someone without access gets the same 404 as for a
//! dossier that does not exist.

mod apply;
mod decide;
mod files;
mod form;
mod targets;
mod view;

use axum::{
    extract::{Path, Request, State},
    http::{request::Parts, StatusCode},
    response::{IntoResponse, Response},
};
use casework::commands::{self, Edit, Interpreted, SaveDraft, SaveError, SubmitError};
use casework::dossier::Opened;
use chrono::NaiveDate;
use serde::Deserialize;
use store::authz::Access;

use app::check::Answers;
use app::portal::FieldProblem;

pub use apply::{apply_page, create, my_dossiers, update_answers};
pub use decide::decide;
pub use files::download;
pub use targets::TargetNames;
pub use view::row_of;

use super::extract::{SignedIn, WebError};
use super::{field, render, see_other, Authed};
use crate::state::AppState;
use form::FormCut;
use view::{answers_of, notice_for, page_data};

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

/// A redirect to the dossier page showing `notice`.
fn to_page(id: i64, notice: &str) -> Response {
    see_other(&format!("/dossiers/{id}?notice={notice}"))
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
            input: answers.accepted_input(day, rules).0.map(|(input, _)| input),
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

#[derive(Deserialize)]
pub struct PageQuery {
    notice: Option<String>,
}

/// `GET /dossiers/{id}`
pub async fn page(
    State(state): State<AppState>,
    Opens { authed, opened }: ToRead,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let query: Option<PageQuery> = serde_urlencoded::from_str(parts.uri.query().unwrap_or("")).ok();
    if opened.dossier.row.owner_id != authed.account_id {
        store::dossiers::record_read(&state.db, opened.dossier.id(), &authed.label()).await?;
    }
    let notice = query.and_then(|q| q.notice).and_then(|n| notice_for(&n));
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

/// Which button of the dossier form was pressed (`nav`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Nav {
    Save,
    /// The browser's autosave: answered with the new version, not a page.
    Autosave,
    Edit(Edit),
    Submit,
}

impl Nav {
    fn parse(nav: &str) -> Nav {
        let index = |prefix: &str| nav.strip_prefix(prefix).and_then(|i| i.parse().ok());
        match nav {
            "autosave" => Nav::Autosave,
            "submit" => Nav::Submit,
            "add" => Nav::Edit(Edit::AddRow),
            _ => match (index("del_"), index("rm_")) {
                (Some(i), _) => Nav::Edit(Edit::DeleteRow(i as usize)),
                (_, Some(a)) => Nav::Edit(Edit::RemoveFile(a)),
                _ => Nav::Save,
            },
        }
    }
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
    let dossier_id = opened.dossier.id();
    let id = dossier_id.to_string();
    if !opened.dossier.state.editable_by_applicant() {
        return Ok(to_page(dossier_id, "not_allowed"));
    }
    // Read the form; a file is streamed to storage as it arrives. A form that did not arrive
    // whole (a cut connection, a missing closing boundary, a body over the limit) changes
    // nothing: a file it brought is removed again and the draft is not saved.
    let request = Request::from_parts(parts.clone(), body);
    let received = match form::receive_form(&state, dossier_id, request).await {
        Ok(received) => received,
        Err(cut) => return Ok(cut.response()),
    };
    let Ok(version) = field(&received.pairs, "version").parse::<i32>() else {
        form::discard(&state, dossier_id, &received.stored).await;
        return Ok(FormCut::Incomplete.response());
    };
    let nav = Nav::parse(field(&received.pairs, "nav"));
    let typed = form::typed_fields(&received.pairs);
    let edit = match nav {
        Nav::Edit(edit) => edit,
        _ => Edit::Keep,
    };
    let desk = state.desk();
    let command = SaveDraft {
        version,
        draft: view::draft_of(typed.clone()),
        edit,
    };
    let saved = match commands::save(&desk, &opened, command).await {
        Ok(saved) => saved,
        Err(e) => {
            // A refused save keeps no file it brought: the person uploads it again with the form.
            form::discard(&state, dossier_id, &received.stored).await;
            return refused_save(&state, parts, &authed, &id, nav, typed, e).await;
        }
    };
    if nav == Nav::Autosave {
        return Ok(
            axum::Json(serde_json::json!({ "version": saved.dossier.version() })).into_response(),
        );
    }
    let fields = view::fields_of(&saved.draft);
    let now = Opened {
        dossier: saved.dossier.clone(),
        region: saved.region.clone(),
        actor: opened.actor,
    };
    if let Some(problem) = received.file_problem {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return show(
            &state,
            parts,
            &now,
            Some(fields),
            None,
            vec![problem],
            status,
        )
        .await;
    }
    if nav != Nav::Submit {
        let notice = match nav {
            _ if !received.stored.is_empty() => "file_stored",
            Nav::Edit(Edit::RemoveFile(_)) => "file_removed",
            _ => "saved",
        };
        // Adding or removing a row goes back to that part of the form.
        let anchor = match nav {
            Nav::Edit(Edit::AddRow | Edit::DeleteRow(_)) => "#achievements",
            _ => "",
        };
        return Ok(see_other(&format!(
            "/dossiers/{dossier_id}?notice={notice}{anchor}"
        )));
    }
    // Submit: check everything, re-evaluate under the rules in force, keep a receipt.
    let answers = answers_of(&saved.dossier);
    match commands::submit(&desk, &authed.who(), &saved, interpret(answers, true)).await {
        Ok(_) => Ok(to_page(dossier_id, "submitted")),
        Err(SubmitError::Problems(found)) => {
            let problems = found.iter().map(view::problem_text).collect();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            show(&state, parts, &now, Some(fields), None, problems, status).await
        }
        Err(SubmitError::Conflict) => Ok(to_page(dossier_id, "conflict")),
        Err(SubmitError::NotAllowed) => Ok(to_page(dossier_id, "not_allowed")),
        Err(SubmitError::Case(e)) => Err(e.into()),
    }
}

/// What a refused save answers: the autosave gets JSON; a conflict shows what was typed over
/// the current version, so the person can check it and save again.
async fn refused_save(
    state: &AppState,
    parts: Parts,
    authed: &Authed,
    id: &str,
    nav: Nav,
    typed: app::portal::DossierFields,
    e: SaveError,
) -> Result<Response, WebError> {
    let json = |body: serde_json::Value| (StatusCode::CONFLICT, axum::Json(body)).into_response();
    match e {
        SaveError::Conflict { current } if nav == Nav::Autosave => Ok(json(
            serde_json::json!({ "error": "conflict", "version": current }),
        )),
        SaveError::NotEditable if nav == Nav::Autosave => {
            Ok(json(serde_json::json!({ "error": "not_editable" })))
        }
        SaveError::Conflict { .. } => {
            let current = open(state, authed, id, Access::Edit).await?;
            let notice = notice_for("conflict");
            show(
                state,
                parts,
                &current,
                Some(typed),
                notice,
                Vec::new(),
                StatusCode::CONFLICT,
            )
            .await
        }
        SaveError::NotEditable => Ok(see_other(&format!("/dossiers/{id}?notice=not_allowed"))),
        SaveError::Case(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_button_is_one_command() {
        let cases = [
            ("", Nav::Save),
            ("save", Nav::Save),
            ("autosave", Nav::Autosave),
            ("submit", Nav::Submit),
            ("add", Nav::Edit(Edit::AddRow)),
            ("del_3", Nav::Edit(Edit::DeleteRow(3))),
            ("rm_41", Nav::Edit(Edit::RemoveFile(41))),
            ("del_x", Nav::Save),
            ("rm_", Nav::Save),
        ];
        for (nav, expected) in cases {
            assert_eq!(Nav::parse(nav), expected, "{nav:?}");
        }
    }
}
