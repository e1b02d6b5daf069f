//! From a self-check to a dossier: the `/apply` page (what the answers open, and the drafts
//! they could update), starting a draft, taking new answers into one, and the applicant's own
//! list.

use axum::{
    extract::{Request, State},
    http::{request::Parts, StatusCode},
    response::Response,
};
use casework::commands::{self, SaveError};
use casework::CaseError;
use serde::Deserialize;
use store::dossiers::DossierError;
use store::workflow::State as Flow;

use app::check::{parse_query, Answers};
use app::portal::{ApplyData, MyDossiersData, Notice};

use super::targets::{targets, TargetNames};
use super::view::{resolve, row_of};
use super::{interpret, Opens, ToEdit};
use crate::state::AppState;
use crate::web::extract::{Applicant, SignedIn, TypedForm, WebError};
use crate::web::notice::Said;
use crate::web::{render, Authed};

/// `GET /apply?<answers>`
pub async fn apply_page(
    State(state): State<AppState>,
    Applicant(authed): Applicant,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let answers = Answers::from_pairs(&parse_query(parts.uri.query().unwrap_or("")));
    apply_with(&state, parts, &authed, &answers, None, StatusCode::OK).await
}

/// The `/apply` page for `answers`: what they open, and the dossiers they could update.
async fn apply_with(
    state: &AppState,
    mut parts: Parts,
    authed: &Authed,
    answers: &Answers,
    notice: Option<Notice>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let today = state.book.today();
    let eligible = resolve(state, answers.region_code(), today)
        .map(|r| targets(&r, answers, today))
        .unwrap_or_default()
        .into_iter()
        .filter(|t| t.status == "eligible")
        .collect();
    let names = TargetNames::new(state);
    let updatable = store::dossiers::list_for_owner(&state.db, authed.account_id)
        .await?
        .iter()
        .filter(|m| store::dossiers::state_of(m).is_ok_and(|s| s.editable_by_applicant()))
        .map(|m| (row_of(m, &names), m.version))
        .collect();
    let data = ApplyData {
        answers_query: answers.query(),
        eligible,
        updatable,
        notice,
    };
    // Answering a POST elsewhere, the page is still /apply (for the router and the language link).
    if let Ok(uri) = format!("/apply?{}", data.answers_query).parse() {
        parts.uri = uri;
    }
    Ok(render(state, parts, data, status).await)
}

/// The form that carries self-check answers (and, to update a draft, the version it saw).
#[derive(Deserialize)]
pub struct AnswersForm {
    #[serde(default)]
    answers: String,
    #[serde(default)]
    version: String,
}

/// The most a form of answers may weigh.
const ANSWERS_FORM_BYTES: usize = 64 * 1024;

/// `POST /dossiers/{id}/answers`: the owner's draft (or returned dossier) takes new self-check
/// answers; everything else typed in it stays.
#[tracing::instrument(skip_all, fields(id = %opened.dossier.id()))]
pub async fn update_answers(
    State(state): State<AppState>,
    Opens { authed, opened }: ToEdit,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let TypedForm(form) = TypedForm::<AnswersForm>::read(body, ANSWERS_FORM_BYTES).await?;
    let answers = Answers::from_pairs(&parse_query(&form.answers));
    let conflict = StatusCode::CONFLICT;
    let Ok(version) = form.version.trim().parse::<i32>() else {
        let notice = Some(Said::AnswersConflict.notice());
        return apply_with(&state, parts, &authed, &answers, notice, conflict).await;
    };
    let id = opened.dossier.id();
    let as_given = interpret(answers.clone(), false);
    match commands::retarget(&state.desk(), &opened, version, as_given).await {
        Ok(_) => Ok(Said::AnswersUpdated.on_dossier(id, "")),
        Err(SaveError::Conflict { .. }) => {
            let notice = Some(Said::AnswersConflict.notice());
            apply_with(&state, parts, &authed, &answers, notice, conflict).await
        }
        Err(SaveError::NotEditable) => Ok(Said::NotAllowed.on_dossier(id, "")),
        Err(SaveError::Case(e)) => Err(e.into()),
    }
}

/// `POST /dossiers`: a draft from self-check answers.
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    Applicant(authed): Applicant,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let TypedForm(form) = TypedForm::<AnswersForm>::read(body, ANSWERS_FORM_BYTES).await?;
    let answers = Answers::from_pairs(&parse_query(&form.answers));
    let occupation = answers
        .sl
        .iter()
        .map(|r| r.occ.clone())
        .find(|o| !o.is_empty())
        .unwrap_or_default();
    let region = answers.region_code().to_owned();
    let started = commands::start(
        &state.desk(),
        &authed.who(),
        &authed.display_name,
        &region,
        &occupation,
        interpret(answers.clone(), false),
    )
    .await;
    let model = match started {
        Err(CaseError::Dossier(DossierError::OwnerLimit { max })) => {
            let notice = Notice {
                ok: false,
                text: app::portal::P::NoticeDossierLimit,
                // The page puts the detail right after the text: English needs its space.
                detail: Some((format!("{max} 份。"), format!(" {max}."))),
            };
            let status = StatusCode::CONFLICT;
            return apply_with(&state, parts, &authed, &answers, Some(notice), status).await;
        }
        started => started?,
    };
    Ok(Said::Created.on_dossier(model.id, ""))
}

/// How many of the latest steps others took the "what changed" list shows.
const NEWS_LINES: u64 = 20;

/// `GET /dossiers`: the applicant's own dossiers, and what others did to them lately.
pub async fn my_dossiers(
    State(state): State<AppState>,
    SignedIn(authed): SignedIn,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let models = store::dossiers::list_for_owner(&state.db, authed.account_id).await?;
    let mut data = MyDossiersData {
        notice: crate::web::notice::Said::from_query(parts.uri.query()),
        ..MyDossiersData::default()
    };
    let names = TargetNames::new(&state);
    for model in models {
        if let Ok(Flow::UnitPublicity { ends_on }) = store::dossiers::state_of(&model) {
            data.publicity_ends.push((model.id, ends_on.to_string()));
        }
        data.rows.push(row_of(&model, &names));
    }
    // What others did to these dossiers lately, newest first.
    let news = store::dossiers::news_of(&state.db, authed.account_id, NEWS_LINES).await?;
    let ids: Vec<i64> = news
        .iter()
        .map(|e| e.subject_id.parse().unwrap_or_default())
        .collect();
    let lines = super::view::history_lines(&state, news, authed.account_id).await?;
    data.news = ids.into_iter().zip(lines).collect();
    Ok(render(&state, parts, data, StatusCode::OK).await)
}
