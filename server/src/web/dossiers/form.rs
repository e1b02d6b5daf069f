//! Reading the dossier forms: the multipart form of the dossier page (its fields, and a file
//! streamed into storage as it arrives), refused whole when it did not arrive whole, and the
//! small urlencoded forms of the other dossier posts.

use axum::{
    extract::{FromRequest, Multipart, Request},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use casework::commands::Edit;
use futures_util::TryStreamExt;

use app::portal::{Achievement, DossierFields, FieldProblem, P};

use crate::state::AppState;
use crate::web::field;
use crate::web::notice::Said;

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

/// Which button of the dossier form was pressed (`nav`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    Save,
    /// The browser's autosave: answered with the new version, not a page.
    Autosave,
    Edit(Edit),
    Submit,
}

impl Nav {
    pub fn parse(nav: &str) -> Nav {
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

    /// The edit the button makes besides saving the fields.
    pub fn edit(self) -> Edit {
        match self {
            Nav::Edit(edit) => edit,
            _ => Edit::Keep,
        }
    }

    /// What a save by this button says, `with_file` when it stored one.
    pub fn said(self, with_file: bool) -> Said {
        match self {
            _ if with_file => Said::FileStored,
            Nav::Edit(Edit::RemoveFile(_)) => Said::FileRemoved,
            _ => Said::Saved,
        }
    }

    /// Where the page opens after it: adding or removing a row goes back to the rows.
    pub fn anchor(self) -> &'static str {
        match self {
            Nav::Edit(Edit::AddRow | Edit::DeleteRow(_)) => "#achievements",
            _ => "",
        }
    }
}

/// A dossier form that arrived whole, decoded: the version it was opened at, the button
/// pressed, the fields as typed, and what became of a file.
pub struct Posted {
    pub dossier_id: i64,
    pub version: i32,
    pub nav: Nav,
    pub typed: DossierFields,
    pub received: Received,
}

impl Posted {
    /// Reads the whole form of dossier `dossier_id` (a file streams into storage). A form
    /// that did not arrive whole, or without its version, keeps nothing it brought.
    pub async fn receive(
        state: &AppState,
        dossier_id: i64,
        request: Request,
    ) -> Result<Posted, FormCut> {
        let received = receive_form(state, dossier_id, request).await?;
        let Ok(version) = field(&received.pairs, "version").parse::<i32>() else {
            discard(state, dossier_id, &received.stored).await;
            return Err(FormCut::Incomplete);
        };
        Ok(Posted {
            dossier_id,
            version,
            nav: Nav::parse(field(&received.pairs, "nav")),
            typed: typed_fields(&received.pairs),
            received,
        })
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

    #[test]
    fn each_button_says_what_it_did_and_where_the_page_opens() {
        let cases = [
            (Nav::Save, false, Said::Saved, ""),
            (Nav::Save, true, Said::FileStored, ""),
            (Nav::Edit(Edit::AddRow), false, Said::Saved, "#achievements"),
            (
                Nav::Edit(Edit::DeleteRow(0)),
                false,
                Said::Saved,
                "#achievements",
            ),
            (Nav::Edit(Edit::RemoveFile(4)), false, Said::FileRemoved, ""),
            (Nav::Edit(Edit::RemoveFile(4)), true, Said::FileStored, ""),
        ];
        for (nav, with_file, said, anchor) in cases {
            assert_eq!(nav.said(with_file), said, "{nav:?} {with_file}");
            assert_eq!(nav.anchor(), anchor, "{nav:?}");
        }
        assert_eq!(Nav::Save.edit(), Edit::Keep);
        assert_eq!(Nav::Edit(Edit::AddRow).edit(), Edit::AddRow);
    }
}
