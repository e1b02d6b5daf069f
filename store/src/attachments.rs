//! Attachments: streamed to disk outside the web root under random names, typed by sniffing
//! their first bytes (PDF, JPEG, PNG only), limited in size per file and per dossier.

use std::path::{Path, PathBuf};

use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::Utc;
use sea_orm::sea_query::{Alias, Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

use crate::entities::attachment;
use crate::StoreError;

/// The largest attachment, in bytes (10 MB); the pages quote it from here.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// The most one dossier's attachments may hold together (50 MB).
pub const MAX_DOSSIER_BYTES: u64 = 50 * 1024 * 1024;
/// The most every attachment of the installation may hold together by default (20 GB); the
/// server's `GUANTONG_UPLOAD_MAX_TOTAL_MB` sets it (`server::config::Config::upload_limits`).
pub const MAX_TOTAL_BYTES: u64 = 20 * 1024 * 1024 * 1024;

/// Size limits.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_dossier_bytes: u64,
    /// Every attachment stored, all dossiers together: a cap on the disk they take.
    pub max_total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: MAX_FILE_BYTES,
            max_dossier_bytes: MAX_DOSSIER_BYTES,
            max_total_bytes: MAX_TOTAL_BYTES,
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
    #[error("the attachment store is full ({max} bytes)")]
    StoreFull { max: u64 },
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

/// A file being written: removed when dropped before [`PartFile::keep`], so an upload that is
/// refused, fails, or whose request is cancelled (a timeout, a closed connection) leaves
/// nothing behind.
struct PartFile {
    path: Option<PathBuf>,
}

impl PartFile {
    fn keep(mut self) {
        self.path = None;
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Total bytes of one dossier's attachments, or of every attachment when `dossier_id` is None.
async fn bytes_stored<C: sea_orm::ConnectionTrait>(
    db: &C,
    dossier_id: Option<i64>,
) -> Result<u64, sea_orm::DbErr> {
    let mut query = attachment::Entity::find().select_only().column_as(
        // PostgreSQL sums BIGINT into NUMERIC; cast back so both backends return an integer.
        Expr::expr(Func::cast_as(
            Func::sum(Expr::col(attachment::Column::Size)),
            Alias::new("BIGINT"),
        )),
        "total",
    );
    if let Some(id) = dossier_id {
        query = query.filter(attachment::Column::DossierId.eq(id));
    }
    let total: Option<i64> = query.into_tuple().one(db).await?.flatten();
    Ok(total.unwrap_or(0).max(0) as u64)
}

/// A file name as people see it: its last path part, without control or format characters
/// (no bidi overrides such as U+202E), at most 200 characters.
pub fn display_name(original: &str) -> String {
    original
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control() && !is_format_char(*c))
        .take(200)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Unicode's invisible format characters (category Cf) that can disguise a name.
fn is_format_char(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// The name a download is saved under: the display name's stem with the extension of the type
/// the content was recognised as, so `poly.html` stored as a PNG downloads as `poly.png`.
pub fn download_name(original: &str, content_type: &str) -> String {
    let ext = match content_type {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "bin",
    };
    let name = display_name(original);
    let stem = name
        .rsplit_once('.')
        .map_or(name.as_str(), |(stem, _)| stem);
    let stem = if stem.is_empty() { "attachment" } else { stem };
    format!("{stem}.{ext}")
}

/// Streams an upload into `dir` and records it. Nothing is kept when it is refused or when the
/// future is dropped before it ends. The dossier's quota and the store's cap are checked again
/// when the file is recorded, in one transaction that first takes the dossier's row, so uploads
/// running side by side cannot together pass a limit each one respects alone.
pub async fn store<R: AsyncRead + Unpin>(
    db: &DatabaseConnection,
    dir: &Path,
    dossier_id: i64,
    original_name: &str,
    mut body: R,
    limits: Limits,
) -> Result<attachment::Model, AttachmentError> {
    let used = bytes_stored(db, Some(dossier_id)).await?;
    if used >= limits.max_dossier_bytes {
        return Err(AttachmentError::QuotaExceeded {
            max: limits.max_dossier_bytes,
        });
    }

    tokio::fs::create_dir_all(dir).await?;
    let stored_name = random_name();
    let part_path = dir.join(format!("{stored_name}.part"));
    let part = PartFile {
        path: Some(part_path.clone()),
    };
    let mut file = tokio::fs::File::create(&part_path).await?;
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
    file.sync_all().await?;
    drop(file);
    let content_type = sniff(&head).ok_or(AttachmentError::UnsupportedType)?;
    let sha256: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();

    // Record it: take the dossier's row first (a write lock on SQLite, a row lock on
    // PostgreSQL), so two uploads to one dossier count each other's bytes.
    let txn = db.begin().await?;
    crate::entities::dossier::Entity::update_many()
        .col_expr(
            crate::entities::dossier::Column::Id,
            Expr::col(crate::entities::dossier::Column::Id),
        )
        .filter(crate::entities::dossier::Column::Id.eq(dossier_id))
        .exec(&txn)
        .await?;
    if bytes_stored(&txn, Some(dossier_id)).await? + size > limits.max_dossier_bytes {
        return Err(AttachmentError::QuotaExceeded {
            max: limits.max_dossier_bytes,
        });
    }
    if bytes_stored(&txn, None).await? + size > limits.max_total_bytes {
        tracing::warn!(max = limits.max_total_bytes, "the attachment store is full");
        return Err(AttachmentError::StoreFull {
            max: limits.max_total_bytes,
        });
    }
    let model = attachment::ActiveModel {
        dossier_id: Set(dossier_id),
        original_name: Set(display_name(original_name)),
        stored_name: Set(stored_name.clone()),
        content_type: Set(content_type.into()),
        size: Set(size as i64),
        sha256: Set(sha256),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let kept = dir.join(&stored_name);
    tokio::fs::rename(&part_path, &kept).await?;
    part.keep();
    if let Err(e) = txn.commit().await {
        let _ = tokio::fs::remove_file(&kept).await;
        return Err(e.into());
    }
    Ok(model)
}

/// Removes the `.part` files an earlier process left behind (it was killed while a file
/// arrived); at start-up, before serving. Answers how many it removed.
pub async fn remove_leftovers(dir: &Path) -> std::io::Result<usize> {
    let mut removed = 0;
    let mut entries = match tokio::fs::read_dir(dir).await {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    while let Some(entry) = entries.next_entry().await? {
        if entry.file_name().to_string_lossy().ends_with(".part") {
            tokio::fs::remove_file(entry.path()).await?;
            removed += 1;
        }
    }
    Ok(removed)
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
    use super::{display_name, download_name, sniff};

    #[test]
    fn download_names_follow_the_content_and_hide_nothing() {
        assert_eq!(download_name("poly.html", "image/png"), "poly.png");
        assert_eq!(download_name("证书.PDF", "application/pdf"), "证书.pdf");
        assert_eq!(download_name("scan", "image/jpeg"), "scan.jpg");
        assert_eq!(download_name(".png", "image/png"), "attachment.png");
        assert_eq!(download_name("", "image/png"), "attachment.png");
        // U+202E would show `report\u{202E}fdp.exe` as `reportexe.pdf`.
        assert_eq!(
            download_name("report\u{202E}fdp.exe", "application/pdf"),
            "reportfdp.pdf"
        );
        assert_eq!(display_name("C:\\Users\\me\\a\u{200B}b.pdf"), "ab.pdf");
        assert_eq!(display_name("../../etc/pass\nwd"), "passwd");
    }

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
