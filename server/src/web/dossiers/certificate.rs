//! `GET /dossiers/{id}/certificate`: the electronic title certificate of a certified dossier,
//! for whoever may read the dossier (its holder first); a dossier without one is "not found".

use axum::{
    extract::{Request, State},
    http::StatusCode,
    response::Response,
};

use app::portal::results::CertificateData;

use super::{Opens, ToRead};
use crate::state::AppState;
use crate::web::extract::WebError;
use crate::web::render;

pub async fn certificate(
    State(state): State<AppState>,
    Opens { opened, .. }: ToRead,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let id = opened.dossier.id();
    let issued = store::certificates::of_dossier(&state.db, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let data = CertificateData {
        dossier_id: id,
        certificate: crate::web::results::certificate_view(&state, &issued).await?,
        revoked_on: issued.revoked_on.map(|d| d.to_string()),
    };
    Ok(render(&state, parts, data, StatusCode::OK).await)
}
