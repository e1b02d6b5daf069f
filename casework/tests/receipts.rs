//! A receipt names a stored rule set version and replays to the same outcomes, on SQLite and
//! PostgreSQL; a receipt whose outcomes were changed does not.

use chrono::NaiveDate;
use store::dossiers::{self, DraftFields};
use store::testing::{Backend, TestDatabase};
use store::workflow::{Action, Actor, Procedure};

async fn receipts_replay(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        return;
    };
    let db = store::connect(&test_db.url).await.unwrap();
    store::migrate(&db).await.unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let registry = rules::Registry::builtin().unwrap();
    let rules = registry.resolve("53", day).unwrap();

    // The first use stores the version; later uses find the same row.
    let version = casework::receipts::keep_version(&db, &rules).await.unwrap();
    assert_eq!(version.content_hash, rules.content_hash());
    assert_eq!(version.region, "53");
    let again = casework::receipts::keep_version(&db, &rules).await.unwrap();
    assert_eq!(again.id, version.id);
    let stored: rules::ResolvedRuleSet = serde_json::from_str(&version.source).unwrap();
    assert_eq!(stored.content_hash(), rules.content_hash());

    let input: rules::PersonInput = serde_json::from_value(serde_json::json!({
        "skill_levels": [{"level": "technician", "obtained_on": "2020-06-30", "occupation": "6-18-01-01"}],
        "work_started_on": "2008-07-01",
        "annual_reviews": {"2023": "pass", "2024": "pass", "2025": "pass"}
    }))
    .unwrap();
    let target = "skill_ladder.intermediate:engineering";
    let receipt = casework::receipts::build(&rules, &version, "region=53", &input, target, day);
    assert_eq!(receipt["rule_set"]["stored_version"], version.id);
    // What is written reads back typed.
    let typed = casework::receipts::Receipt::read(&receipt).expect("the receipt reads back");
    assert_eq!(typed.rule_set.stored_version, Some(version.id));
    assert_eq!(typed.target.status.as_deref(), Some("eligible"));
    assert_eq!(typed.submitted_on, day);
    assert_eq!(receipt["target"]["status"], "eligible", "{receipt}");
    assert!(receipt["outcomes"]
        .as_array()
        .is_some_and(|o| !o.is_empty()));

    let owner = store::accounts::register(&db, "worker", "王师傅", "long enough pass")
        .await
        .unwrap();
    let draft = dossiers::create(
        &db,
        owner.id,
        DraftFields {
            answers: serde_json::json!({}),
            achievements: serde_json::json!([]),
            ..DraftFields::default()
        },
    )
    .await
    .unwrap();
    let calendar = rules::WorkCalendar::builtin().unwrap();
    dossiers::transition(
        &db,
        draft.id,
        draft.version,
        Actor::Applicant,
        "account:1",
        Action::Submit,
        day,
        Procedure {
            unit_publicity_working_days: 5,
            result_publicity_working_days: 5,
            fraud_bar_years: 3,
        },
        &calendar,
        Some(receipt.clone()),
    )
    .await
    .unwrap();

    let replay = casework::receipts::verify(&db, draft.id).await.unwrap();
    assert!(replay.identical(), "{replay:?}");
    assert_eq!(replay.version, version.id);

    // A receipt whose recorded outcome was changed no longer replays to itself.
    let mut tampered = receipt.clone();
    tampered["outcomes"][0]["status"] = serde_json::json!("ineligible");
    if tampered == receipt {
        tampered["outcomes"][0]["status"] = serde_json::json!("eligible");
    }
    use sea_orm::{ActiveModelTrait, Set};
    let mut row: store::entities::dossier::ActiveModel =
        dossiers::get(&db, draft.id).await.unwrap().unwrap().into();
    row.receipt = Set(Some(tampered.to_string()));
    row.update(&db).await.unwrap();
    assert!(!casework::receipts::verify(&db, draft.id)
        .await
        .unwrap()
        .identical());

    // A dossier never submitted has nothing to replay.
    let other = dossiers::create(
        &db,
        owner.id,
        DraftFields {
            answers: serde_json::json!({}),
            achievements: serde_json::json!([]),
            ..DraftFields::default()
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        casework::receipts::verify(&db, other.id).await,
        Err(casework::receipts::ReceiptError::NoReceipt(_))
    ));
}

#[tokio::test]
async fn receipts_replay_on_sqlite() {
    receipts_replay(Backend::Sqlite).await;
}

#[tokio::test]
async fn receipts_replay_on_postgres() {
    receipts_replay(Backend::Postgres).await;
}
