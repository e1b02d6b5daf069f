//! Attachments going out: a download, streamed, named after its sniffed type.

use axum::{
    body::Body,
    extract::{Path, State},
    http::{header, HeaderValue},
    response::Response,
};

use super::{Opens, ToRead};
use crate::state::AppState;
use crate::web::extract::WebError;

/// `GET /dossiers/{id}/attachments/{attachment}`: streamed, as a download.
pub async fn download(
    State(state): State<AppState>,
    Opens { authed, opened }: ToRead,
    Path((_, attachment)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let reader = (opened.dossier.row.owner_id != authed.account_id).then(|| authed.label());
    send(&state, opened.dossier.id(), &attachment, reader.as_deref()).await
}

/// Streams attachment `attachment` of dossier `dossier_id`, the read audited as `reader`'s
/// (none for the owner).
pub async fn send(
    state: &AppState,
    dossier_id: i64,
    attachment: &str,
    reader: Option<&str>,
) -> Result<Response, WebError> {
    let attachment = attachment.parse::<i64>().map_err(|_| WebError::NotFound)?;
    let model = store::attachments::get(&state.db, dossier_id, attachment)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .ok_or(WebError::NotFound)?;
    if let Some(reader) = reader {
        store::dossiers::record_read(&state.db, dossier_id, reader).await?;
    }
    let path = store::attachments::path_of(&state.upload_dir, &model);
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let name = store::attachments::download_name(&model.original_name, &model.content_type);
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        app::components::layout::encode_component(&name)
    );
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&model.content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
