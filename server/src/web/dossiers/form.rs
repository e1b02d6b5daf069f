//! Reading the dossier forms: the multipart form of the dossier page (its fields, and a file
//! streamed into storage as it arrives), refused whole when it did not arrive whole, and the
//! small urlencoded forms of the other dossier posts.

use axum::{
    extract::{FromRequest, Multipart, Request},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use futures_util::TryStreamExt;

use app::portal::{Achievement, DossierFields, FieldProblem, P};

use crate::state::AppState;
use crate::web::field;

/// The most achievement rows a form may carry (beyond this is a robot, not a person).
const MAX_ACHIEVEMENTS: usize = 50;

/// The form of the dossier page, as typed.
pub fn typed_fields(pairs: &[(String, String)]) -> DossierFields {
    let get = |k: &str| field(pairs, k).to_owned();
    // The rows the form carried: every `a{i}_…` field names row i.
    let mut rows: Vec<usize> = pairs
        .iter()
        .filter_map(|(k, _)| k.strip_prefix('a')?.split_once('_')?.0.parse().ok())
        .filter(|i| *i < MAX_ACHIEVEMENTS)
        .collect();
    rows.sort_unstable();
    rows.dedup();
    let achievements = rows
        .into_iter()
        .map(|i| {
            let part = |p: &str| field(pairs, &format!("a{i}_{p}")).to_owned();
            Achievement {
                kind: part("kind"),
                title: part("title"),
                date: part("date"),
                role: part("role"),
                description: app::check::get(pairs, &format!("a{i}_description"))
                    .unwrap_or("")
                    .trim_end()
                    .to_owned(),
            }
        })
        .collect();
    DossierFields {
        org: get("org"),
        full_name: get("full_name"),
        id_number: get("id_number").to_uppercase(),
        occupation: get("occupation"),
        current_post: get("current_post"),
        target: get("target"),
        achievements,
    }
}

/// A dossier form that arrived whole: its fields, and what became of a file it carried.
pub struct Received {
    pub pairs: Vec<(String, String)>,
    pub file_problem: Option<FieldProblem>,
    /// The attachments this form stored (removed again if the save is refused).
    pub stored: Vec<i64>,
}

/// Removes the attachments a refused form stored on its way in.
pub async fn discard(state: &AppState, dossier_id: i64, stored: &[i64]) {
    for &id in stored {
        if let Err(e) =
            store::attachments::remove(&state.db, &state.upload_dir, dossier_id, id).await
        {
            tracing::error!(error = %e, attachment = id, "removing the file of a refused form");
        }
    }
}

/// Why a dossier form is refused whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormCut {
    /// The body ended early or is not well-formed multipart.
    Incomplete,
    /// The body is over the form limit (`MAX_FORM_BYTES`).
    TooLarge,
}

impl FormCut {
    pub fn response(self) -> Response {
        let (status, msg) = match self {
            FormCut::Incomplete => (StatusCode::BAD_REQUEST, P::ErrFormIncomplete),
            FormCut::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, P::ErrFormTooLarge),
        };
        let max = app::portal::megabytes(store::attachments::MAX_FILE_BYTES);
        let text = FieldProblem::new("form", msg).with(&[("max", &max)]);
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{} / {}", text.zh, text.en),
        )
            .into_response()
    }

    fn of(e: &axum::extract::multipart::MultipartError) -> FormCut {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            FormCut::TooLarge
        } else {
            FormCut::Incomplete
        }
    }
}

/// Reads a dossier's multipart form to its end. A file part is streamed into storage; when the
/// form then turns out not to be whole, the file is removed again and nothing is kept.
pub async fn receive_form(
    state: &AppState,
    dossier_id: i64,
    request: Request,
) -> Result<Received, FormCut> {
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|_| FormCut::Incomplete)?;
    let mut received = Received {
        pairs: Vec::new(),
        file_problem: None,
        stored: Vec::new(),
    };
    let cut = loop {
        let part = match multipart.next_field().await {
            Ok(Some(part)) => part,
            Ok(None) => break None,
            Err(e) => {
                tracing::warn!(error = %e, "the dossier form did not arrive whole");
                break Some(FormCut::of(&e));
            }
        };
        let name = part.name().unwrap_or_default().to_owned();
        if name != "file" {
            match part.text().await {
                Ok(text) => received.pairs.push((name, text)),
                Err(e) => {
                    tracing::warn!(error = %e, "a dossier form field did not arrive whole");
                    break Some(FormCut::of(&e));
                }
            }
            continue;
        }
        let file_name = part.file_name().unwrap_or_default().to_owned();
        if file_name.is_empty() {
            continue;
        }
        let reader = tokio_util::io::StreamReader::new(part.map_err(std::io::Error::other));
        use store::attachments::AttachmentError as E;
        match store::attachments::store(
            &state.db,
            &state.upload_dir,
            dossier_id,
            &file_name,
            reader,
            state.upload_limits,
        )
        .await
        {
            Ok(model) => received.stored.push(model.id),
            // Reading the part failed: the body was cut inside the file.
            Err(E::Io(e)) => {
                tracing::warn!(error = %e, "an attachment did not arrive whole");
                let multipart = e.get_ref().and_then(|inner| {
                    inner.downcast_ref::<axum::extract::multipart::MultipartError>()
                });
                break Some(multipart.map_or(FormCut::Incomplete, FormCut::of));
            }
            Err(e) => {
                // The limits are quoted from the values that enforced them.
                let (msg, max) = match e {
                    E::TooLarge { max } => (P::ErrFileTooLarge, max),
                    E::QuotaExceeded { max } => (P::ErrFileQuota, max),
                    E::UnsupportedType => (P::ErrFileType, 0),
                    E::StoreFull { max } => (P::ErrFileStoreFull, max),
                    other => {
                        tracing::error!(error = %other, "storing an attachment");
                        (P::ErrFileType, 0)
                    }
                };
                let max = app::portal::megabytes(max);
                received.file_problem =
                    Some(FieldProblem::new("attachments", msg).with(&[("max", &max)]));
            }
        }
    };
    match cut {
        None => Ok(received),
        Some(cut) => {
            discard(state, dossier_id, &received.stored).await;
            Err(cut)
        }
    }
}
