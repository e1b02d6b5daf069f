//! Attachments: streamed to disk outside the web root under random names, typed by sniffing
//! their first bytes (PDF, JPEG, PNG only), limited in size per file and per dossier.

use std::path::{Path, PathBuf};

use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::Utc;
use sea_orm::sea_query::{Alias, Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

use crate::entities::attachment;
use crate::StoreError;

/// Size limits.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_dossier_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 10 * 1024 * 1024,
            max_dossier_bytes: 50 * 1024 * 1024,
        }
    }
}

/// Why an upload was refused.
#[derive(Debug, thiserror::Error)]
pub enum AttachmentError {
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: u64 },
    #[error("the dossier's attachments would exceed {max} bytes")]
    QuotaExceeded { max: u64 },
    #[error("only PDF, JPEG and PNG files are accepted")]
    UnsupportedType,
    #[error("attachment storage: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for AttachmentError {
    fn from(e: sea_orm::DbErr) -> Self {
        AttachmentError::Store(StoreError::Db(e))
    }
}

/// The content type of a file from its first bytes, if it is one we accept.
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

fn random_name() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a stored attachment's bytes are.
pub fn path_of(dir: &Path, model: &attachment::Model) -> PathBuf {
    dir.join(&model.stored_name)
}

/// Streams an upload into `dir` and records it. Nothing is kept when it is refused.
pub async fn store<R: AsyncRead + Unpin>(
    db: &DatabaseConnection,
    dir: &Path,
    dossier_id: i64,
    original_name: &str,
    mut body: R,
    limits: Limits,
) -> Result<attachment::Model, AttachmentError> {
    let used: Option<i64> = attachment::Entity::find()
        .select_only()
        // PostgreSQL sums BIGINT into NUMERIC; cast back so both backends return an integer.
        .column_as(
            Expr::expr(Func::cast_as(
                Func::sum(Expr::col(attachment::Column::Size)),
                Alias::new("BIGINT"),
            )),
            "total",
        )
        .filter(attachment::Column::DossierId.eq(dossier_id))
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    let used = used.unwrap_or(0).max(0) as u64;

    tokio::fs::create_dir_all(dir).await?;
    let stored_name = random_name();
    let part = dir.join(format!("{stored_name}.part"));
    let result = async {
        let mut file = tokio::fs::File::create(&part).await?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut head = Vec::with_capacity(8);
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = body.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            size += n as u64;
            if size > limits.max_file_bytes {
                return Err(AttachmentError::TooLarge {
                    max: limits.max_file_bytes,
                });
            }
            if used + size > limits.max_dossier_bytes {
                return Err(AttachmentError::QuotaExceeded {
                    max: limits.max_dossier_bytes,
                });
            }
            if head.len() < 8 {
                let take = (8 - head.len()).min(n);
                head.extend_from_slice(&buf[..take]);
            }
            hasher.update(&buf[..n]);
            file.write_all(&buf[..n]).await?;
        }
        file.flush().await?;
        let content_type = sniff(&head).ok_or(AttachmentError::UnsupportedType)?;
        let digest: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok((content_type, size, digest))
    }
    .await;
    let (content_type, size, sha256) = match result {
        Ok(ok) => ok,
        Err(e) => {
            let _ = tokio::fs::remove_file(&part).await;
            return Err(e);
        }
    };
    tokio::fs::rename(&part, dir.join(&stored_name)).await?;
    // Keep only a plain file name for display: no paths, no control characters.
    let display: String = original_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let model = attachment::ActiveModel {
        dossier_id: Set(dossier_id),
        original_name: Set(display),
        stored_name: Set(stored_name.clone()),
        content_type: Set(content_type.into()),
        size: Set(size as i64),
        sha256: Set(sha256),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match model {
        Ok(model) => Ok(model),
        Err(e) => {
            let _ = tokio::fs::remove_file(dir.join(&stored_name)).await;
            Err(e.into())
        }
    }
}

/// A dossier's attachments, oldest first.
pub async fn list(
    db: &DatabaseConnection,
    dossier_id: i64,
) -> Result<Vec<attachment::Model>, AttachmentError> {
    Ok(attachment::Entity::find()
        .filter(attachment::Column::DossierId.eq(dossier_id))
        .order_by_asc(attachment::Column::Id)
        .all(db)
        .await?)
}

/// One attachment of a dossier (`None` when the id belongs to another dossier).
pub async fn get(
    db: &DatabaseConnection,
    dossier_id: i64,
    id: i64,
) -> Result<Option<attachment::Model>, AttachmentError> {
    Ok(attachment::Entity::find_by_id(id)
        .filter(attachment::Column::DossierId.eq(dossier_id))
        .one(db)
        .await?)
}

/// Removes an attachment of a draft, its file too.
pub async fn remove(
    db: &DatabaseConnection,
    dir: &Path,
    dossier_id: i64,
    id: i64,
) -> Result<bool, AttachmentError> {
    let Some(model) = get(db, dossier_id, id).await? else {
        return Ok(false);
    };
    attachment::Entity::delete_by_id(model.id).exec(db).await?;
    let _ = tokio::fs::remove_file(path_of(dir, &model)).await;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn types_come_from_content_not_names() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
            Some("image/png")
        );
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(sniff(b""), None);
    }
}
