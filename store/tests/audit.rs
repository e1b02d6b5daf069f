//! The audit chain: appends link up, an edit or a removal is found and named, and an entry
//! written in a rolled-back transaction leaves no trace. On SQLite and PostgreSQL.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set, TransactionTrait,
};
use store::audit::{self, NewEntry, Verification};
use store::entities::audit_entry::Entity as AuditEntry;
use store::testing::{Backend, TestDatabase};

fn entry(n: u32) -> NewEntry {
    NewEntry {
        actor: format!("account:{n}"),
        action: "dossier.submit".into(),
        subject_kind: "dossier".into(),
        subject_id: "42".into(),
        from_state: Some("draft".into()),
        to_state: Some("submitted".into()),
        detail: serde_json::json!({ "note": format!("第{n}次") }),
    }
}

async fn chain_detects_tampering(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        return;
    };
    let db = store::connect(&test_db.url).await.unwrap();
    store::migrate(&db).await.unwrap();
    assert_eq!(
        audit::verify(&db).await.unwrap(),
        Verification::Intact { entries: 0 }
    );

    let mut ids = Vec::new();
    for n in 0..5 {
        let txn = db.begin().await.unwrap();
        ids.push(audit::append(&txn, entry(n)).await.unwrap().id);
        txn.commit().await.unwrap();
    }
    assert_eq!(
        audit::verify(&db).await.unwrap(),
        Verification::Intact { entries: 5 }
    );

    // Rolled back with its change: no entry, chain intact.
    let txn = db.begin().await.unwrap();
    audit::append(&txn, entry(99)).await.unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(
        audit::verify(&db).await.unwrap(),
        Verification::Intact { entries: 5 }
    );

    // Two writers cannot both link to the same predecessor.
    let first = audit::append(&db, entry(5)).await.unwrap();
    let mut forged = first.clone().into_active_model();
    forged.id = sea_orm::ActiveValue::NotSet;
    forged.hash = Set("f".repeat(64));
    assert!(
        forged.insert(&db).await.is_err(),
        "a second entry with the same prev_hash must be refused"
    );

    // Editing an entry's content is caught at that entry.
    let third = AuditEntry::find_by_id(ids[2])
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let mut edited = third.into_active_model();
    edited.to_state = Set(Some("accepted".into()));
    edited.update(&db).await.unwrap();
    match audit::verify(&db).await.unwrap() {
        Verification::Broken(broken) => assert_eq!(broken.id, ids[2]),
        other => panic!("tampering not found: {other:?}"),
    }

    // Removing an entry is caught at the next one.
    let backend_kind = db.get_database_backend();
    db.execute_raw(sea_orm::Statement::from_string(
        backend_kind,
        format!(
            "DELETE FROM audit_entry WHERE id IN ({}, {})",
            ids[2], ids[0]
        ),
    ))
    .await
    .unwrap();
    match audit::verify(&db).await.unwrap() {
        Verification::Broken(broken) => assert_eq!(broken.id, ids[1]),
        other => panic!("removal not found: {other:?}"),
    }
}

#[tokio::test]
async fn audit_chain_detects_tampering_on_sqlite() {
    chain_detects_tampering(Backend::Sqlite).await;
}

#[tokio::test]
async fn audit_chain_detects_tampering_on_postgres() {
    chain_detects_tampering(Backend::Postgres).await;
}
