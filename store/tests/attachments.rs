//! Attachments on SQLite and PostgreSQL: sniffed types, size and quota limits, nothing left on
//! disk when an upload is refused, a display name stripped of paths.

use store::attachments::{self, AttachmentError, Limits};
use store::dossiers::{self, DraftFields};
use store::testing::{Backend, TestDatabase};

async fn attachment_rules(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        return;
    };
    let db = store::connect(&test_db.url).await.unwrap();
    store::migrate(&db).await.unwrap();
    let owner = store::accounts::register(&db, "w", "工人", "long enough pass")
        .await
        .unwrap();
    let fields = DraftFields {
        answers: serde_json::json!({}),
        achievements: serde_json::json!([]),
        ..DraftFields::default()
    };
    let dossier = dossiers::create(&db, owner.id, fields).await.unwrap();
    let dir = std::env::temp_dir().join(format!("guantong-att-{}", uuid::Uuid::new_v4().simple()));
    let limits = Limits {
        max_file_bytes: 1000,
        max_dossier_bytes: 1500,
    };

    let pdf = [b"%PDF-1.7\n".as_slice(), &[b'x'; 600]].concat();
    let saved = attachments::store(
        &db,
        &dir,
        dossier.id,
        "../../etc/证书.pdf",
        pdf.as_slice(),
        limits,
    )
    .await
    .unwrap();
    assert_eq!(saved.content_type, "application/pdf");
    assert_eq!(saved.size, pdf.len() as i64);
    assert_eq!(saved.original_name, "证书.pdf");
    assert_ne!(saved.stored_name, saved.original_name);
    assert_eq!(
        std::fs::read(attachments::path_of(&dir, &saved)).unwrap(),
        pdf
    );

    // A script named like an image is refused by its content.
    let html = b"<html><script>alert(1)</script></html>";
    assert!(matches!(
        attachments::store(&db, &dir, dossier.id, "photo.png", html.as_slice(), limits).await,
        Err(AttachmentError::UnsupportedType)
    ));
    let big = [b"%PDF-".as_slice(), &[0u8; 2000]].concat();
    assert!(matches!(
        attachments::store(&db, &dir, dossier.id, "big.pdf", big.as_slice(), limits).await,
        Err(AttachmentError::TooLarge { max: 1000 })
    ));
    let second = [
        [0x89u8, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A].as_slice(),
        &[0u8; 950],
    ]
    .concat();
    assert!(matches!(
        attachments::store(&db, &dir, dossier.id, "scan.png", second.as_slice(), limits).await,
        Err(AttachmentError::QuotaExceeded { max: 1500 })
    ));
    // Only the accepted file is on disk: refused uploads leave nothing behind.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn attachment_rules_on_sqlite() {
    attachment_rules(Backend::Sqlite).await;
}

#[tokio::test]
async fn attachment_rules_on_postgres() {
    attachment_rules(Backend::Postgres).await;
}
