//! Migrations run and a row survives a write and a read, on SQLite and on PostgreSQL.

use store::rule_sets::{self, NewRuleSetVersion};
use store::testing::{Backend, TestDatabase};

async fn round_trip(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        return;
    };
    let db = store::connect(&test_db.url).await.expect("connect");
    store::migrate(&db).await.expect("migrate");
    // Migrating twice is a no-op, as `make run` relies on.
    store::migrate(&db).await.expect("migrate again");
    assert!(store::ping(&db).await);

    let source = "id = \"national\"\n# 中文注释 survives\n".to_owned();
    let stored = rule_sets::insert(
        &db,
        NewRuleSetVersion {
            rule_set_id: "national".into(),
            version: "1".into(),
            region: "national".into(),
            effective_from: chrono::NaiveDate::from_ymd_opt(2020, 12, 30).unwrap(),
            effective_to: None,
            source: source.clone(),
            content_hash: "abc123".into(),
        },
    )
    .await
    .expect("insert");

    let read = rule_sets::versions_of(&db, "national").await.expect("read");
    assert_eq!(read.len(), 1);
    assert_eq!(read[0], stored);
    assert_eq!(read[0].source, source);
    assert_eq!(read[0].effective_from.to_string(), "2020-12-30");
    assert_eq!(read[0].effective_to, None);

    // The (id, version) pair is unique.
    let duplicate = rule_sets::insert(
        &db,
        NewRuleSetVersion {
            rule_set_id: "national".into(),
            version: "1".into(),
            region: "national".into(),
            effective_from: chrono::NaiveDate::from_ymd_opt(2020, 12, 30).unwrap(),
            effective_to: None,
            source,
            content_hash: "abc123".into(),
        },
    )
    .await;
    assert!(duplicate.is_err());
    db.close().await.expect("close");
}

#[tokio::test]
async fn rule_set_version_round_trips_on_sqlite() {
    round_trip(Backend::Sqlite).await;
}

#[tokio::test]
async fn rule_set_version_round_trips_on_postgres() {
    round_trip(Backend::Postgres).await;
}
