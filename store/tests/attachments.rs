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
        max_total_bytes: u64::MAX,
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

/// A reader whose bytes arrive after `delay`, as from a slow client.
fn slow(bytes: Vec<u8>, delay: std::time::Duration) -> tokio::io::DuplexStream {
    let (mut tx, rx) = tokio::io::duplex(64 * 1024);
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        tokio::time::sleep(delay).await;
        let _ = tx.write_all(&bytes).await;
    });
    rx
}

fn files_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

/// Uploads side by side cannot together pass the dossier's quota or the store's cap, and an
/// upload whose request is dropped halfway leaves no file.
async fn limits_hold_under_concurrency(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        return;
    };
    let db = store::connect(&test_db.url).await.unwrap();
    store::migrate(&db).await.unwrap();
    let owner = store::accounts::register(&db, "w", "工人", "long enough pass")
        .await
        .unwrap();
    let fields = || DraftFields {
        answers: serde_json::json!({}),
        achievements: serde_json::json!([]),
        ..DraftFields::default()
    };
    let dossier = dossiers::create(&db, owner.id, fields()).await.unwrap();
    let other = dossiers::create(&db, owner.id, fields()).await.unwrap();
    let third = dossiers::create(&db, owner.id, fields()).await.unwrap();
    let dir = std::env::temp_dir().join(format!("guantong-att-{}", uuid::Uuid::new_v4().simple()));
    let limits = Limits {
        max_file_bytes: 1000,
        max_dossier_bytes: 1500,
        max_total_bytes: 3000,
    };
    let pdf = |n: usize| [b"%PDF-1.7\n".as_slice(), &vec![b'x'; n - 9]].concat();
    attachments::store(&db, &dir, dossier.id, "a.pdf", pdf(800).as_slice(), limits)
        .await
        .unwrap();

    // Four uploads of 600 bytes at once onto 800 stored: only one fits under 1,500.
    let uploads = (0..4).map(|i| {
        let (db, dir) = (db.clone(), dir.clone());
        let body = slow(pdf(600), std::time::Duration::from_millis(150));
        tokio::spawn(async move {
            attachments::store(&db, &dir, dossier.id, &format!("p{i}.pdf"), body, limits).await
        })
    });
    let results = futures_join(uploads.collect()).await;
    let stored = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(stored, 1, "{results:?}");
    assert!(results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .all(|e| matches!(e, AttachmentError::QuotaExceeded { max: 1500 })));
    let rows = attachments::list(&db, dossier.id).await.unwrap();
    assert!(rows.iter().map(|a| a.size as u64).sum::<u64>() <= 1500);
    assert_eq!(files_in(&dir), rows.len(), "refused uploads keep no file");

    // The store's cap counts every dossier: 1,400 + 1,000 + 1,000 > 3,000.
    attachments::store(&db, &dir, other.id, "b.pdf", pdf(1000).as_slice(), limits)
        .await
        .unwrap();
    assert!(matches!(
        attachments::store(&db, &dir, third.id, "c.pdf", pdf(1000).as_slice(), limits).await,
        Err(AttachmentError::StoreFull { max: 3000 })
    ));

    // An upload cancelled halfway (a timeout, a closed connection) leaves nothing.
    let before = files_in(&dir);
    let (mut tx, rx) = tokio::io::duplex(64 * 1024);
    {
        use tokio::io::AsyncWriteExt;
        tx.write_all(&pdf(300)).await.unwrap();
    }
    let cancelled = tokio::time::timeout(
        std::time::Duration::from_millis(200),
        attachments::store(&db, &dir, other.id, "d.pdf", rx, limits),
    )
    .await;
    assert!(cancelled.is_err(), "still waiting for the rest");
    drop(tx);
    assert_eq!(files_in(&dir), before, "no part file left");
    // A part file left by a killed process is removed at start-up.
    std::fs::write(dir.join("0123.part"), b"half").unwrap();
    assert_eq!(attachments::remove_leftovers(&dir).await.unwrap(), 1);
    assert_eq!(files_in(&dir), before);
    let _ = std::fs::remove_dir_all(&dir);
}

async fn futures_join(
    handles: Vec<
        tokio::task::JoinHandle<Result<store::entities::attachment::Model, AttachmentError>>,
    >,
) -> Vec<Result<store::entities::attachment::Model, AttachmentError>> {
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("upload task"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_limits_on_sqlite() {
    limits_hold_under_concurrency(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_limits_on_postgres() {
    limits_hold_under_concurrency(Backend::Postgres).await;
}
