//! The dossier's target as columns (migration 8): a row saved before them is filled from its key,
//! and a save writes the key and every column together.

use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::MigratorTrait;
use store::dossiers::{self, DraftFields, Target};
use store::migration::Migrator;
use store::testing::{Backend, TestDatabase};

async fn backfilled(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        return;
    };
    let db = store::connect(&test_db.url).await.unwrap();
    // The schema as it was before the columns, and a row saved then.
    Migrator::up(&db, Some(7)).await.unwrap();
    let owner = store::accounts::register(&db, "wang", "王", "a long enough password")
        .await
        .unwrap();
    let owner_id = owner.id;
    let draft = serde_json::to_string(&store::workflow::State::Draft).unwrap();
    for (id, target) in [
        (1, "'skill_ladder.intermediate:engineering'"),
        (2, "'green_channel.senior'"),
        (3, "NULL"),
    ] {
        db.execute_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                // The owner's id, and the values of that time.
                "INSERT INTO dossier (id, owner_id, org, committee, state, state_detail, version, \
                 full_name, id_number, occupation, current_post, target, answers, achievements, \
                 created_at, updated_at) VALUES ({id}, {owner_id}, 'e1', 'c1', 'draft', '{draft}', 1, '王', \
                 '', '', '', {target}, '{{}}', '[]', '2026-12-01 00:00:00+00:00', \
                 '2026-12-01 00:00:00+00:00')"
            ),
        ))
        .await
        .unwrap();
    }
    Migrator::up(&db, None).await.unwrap();
    let one = dossiers::get(&db, 1).await.unwrap().unwrap();
    assert_eq!(
        one.target_route.as_deref(),
        Some("skill_ladder.intermediate")
    );
    assert_eq!(one.target_series.as_deref(), Some("engineering"));
    assert_eq!(
        one.target_level, None,
        "the level is filled at the next save"
    );
    let two = dossiers::get(&db, 2).await.unwrap().unwrap();
    assert_eq!(two.target_route.as_deref(), Some("green_channel.senior"));
    assert_eq!(two.target_series, None);
    let three = dossiers::get(&db, 3).await.unwrap().unwrap();
    assert_eq!((three.target, three.target_route), (None, None));

    // A save writes the key and the columns together.
    let target = Target {
        level: Some("intermediate".into()),
        ..Target::parse("skill_ladder.intermediate:mechanical").unwrap()
    };
    let fields = DraftFields {
        org: "e1".into(),
        committee: "c1".into(),
        full_name: "王".into(),
        target: Some(target.clone()),
        answers: serde_json::json!({}),
        achievements: serde_json::json!([]),
        ..DraftFields::default()
    };
    let saved = dossiers::save_draft(&db, 1, 1, fields).await.unwrap();
    assert_eq!(
        saved.target.as_deref(),
        Some("skill_ladder.intermediate:mechanical")
    );
    assert_eq!(Target::of(&saved), Some(target));
}

#[tokio::test]
async fn target_columns_on_sqlite() {
    backfilled(Backend::Sqlite).await;
}

#[tokio::test]
async fn target_columns_on_postgres() {
    backfilled(Backend::Postgres).await;
}
