//! ID numbers at rest, on SQLite and PostgreSQL: the column holds them sealed and their keyed
//! hash, the store's queries answer them opened, a queue finds a dossier by its whole ID number,
//! rows written in clear before are sealed, and a new key reseals every row.

use sea_orm::{ConnectionTrait, Statement};
use store::dossiers::{self, DraftFields, QueueQuery, QueueScope};
use store::pii::{self, Keys};
use store::testing::{Backend, TestDatabase};

const ID: &str = "11010519491231002X";
const OTHER_ID: &str = "110105194912310037";

fn fields(id_number: &str) -> DraftFields {
    DraftFields {
        org: "org-1".into(),
        committee: "committee-1".into(),
        full_name: "王师傅".into(),
        id_number: id_number.into(),
        occupation: "6-18-01-01".into(),
        current_post: "车工".into(),
        target: None,
        answers: serde_json::json!({}),
        achievements: serde_json::json!([]),
    }
}

/// The dossier's columns as stored: the ID number and its index.
async fn raw(db: &store::Db, id: i64) -> (String, Option<String>) {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT id_number, id_number_index FROM dossier WHERE id = {id}"),
        ))
        .await
        .unwrap()
        .unwrap();
    (
        row.try_get("", "id_number").unwrap(),
        row.try_get("", "id_number_index").unwrap(),
    )
}

async fn id_numbers_are_sealed_at_rest(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        return;
    };
    let db = store::connect(&test_db.url).await.unwrap();
    store::migrate(&db).await.unwrap();
    let keys = pii::keys();
    let owner = store::accounts::register(&db, "worker", "王师傅", "long enough pass")
        .await
        .unwrap();

    // Written sealed, with its index; read back opened.
    let draft = dossiers::create(&db, owner.id, fields(ID)).await.unwrap();
    assert_eq!(draft.id_number, ID);
    let (stored, index) = raw(&db, draft.id).await;
    assert!(stored.starts_with("pii1:"), "{stored}");
    assert!(!stored.contains("19491231"), "{stored}");
    assert_eq!(index, keys.index(ID));
    assert_eq!(
        dossiers::get(&db, draft.id)
            .await
            .unwrap()
            .unwrap()
            .id_number,
        ID
    );
    let saved = dossiers::save_draft(&db, draft.id, 1, fields(OTHER_ID))
        .await
        .unwrap();
    assert_eq!(saved.id_number, OTHER_ID);
    let (stored, index) = raw(&db, draft.id).await;
    assert!(!stored.contains("19491231"), "{stored}");
    assert_eq!(index, keys.index(OTHER_ID));
    let empty = dossiers::create(&db, owner.id, fields("")).await.unwrap();
    assert_eq!(raw(&db, empty.id).await, (String::new(), None));
    let mine = dossiers::list_for_owner(&db, owner.id).await.unwrap();
    assert!(mine.iter().any(|d| d.id_number == OTHER_ID));

    // A row stored in clear (before sealing) is read as it is, and sealed at the next start.
    db.execute_unprepared(&format!(
        "UPDATE dossier SET id_number = '{ID}', id_number_index = NULL WHERE id = {}",
        draft.id
    ))
    .await
    .unwrap();
    assert_eq!(
        dossiers::get(&db, draft.id)
            .await
            .unwrap()
            .unwrap()
            .id_number,
        ID
    );
    assert_eq!(pii::reseal_dossiers(&db, keys, false).await.unwrap(), 1);
    assert_eq!(pii::reseal_dossiers(&db, keys, false).await.unwrap(), 0);
    let (stored, index) = raw(&db, draft.id).await;
    assert!(
        stored.starts_with("pii1:") && !stored.contains(ID),
        "{stored}"
    );
    assert_eq!(index, keys.index(ID));

    // A new key put first reseals every row; the old one still opens what it sealed.
    let rotated = Keys::parse(
        &format!("k2:{}, dev:{}", "07".repeat(32), "5a".repeat(32)),
        &"a5".repeat(32),
    )
    .unwrap();
    assert_eq!(
        pii::reseal_dossiers(&db, &rotated, true).await.unwrap(),
        1,
        "the one row with a number"
    );
    let (stored, index) = raw(&db, draft.id).await;
    assert!(stored.starts_with("pii1:k2:"), "{stored}");
    assert_eq!(rotated.open(&stored).unwrap(), ID);
    assert_eq!(index, keys.index(ID), "the index key did not change");
}

/// Demo dossiers are sealed too, and a queue finds one by its whole ID number (and only by the
/// whole number: part of one finds nothing, as the column holds no clear digits).
async fn a_queue_finds_a_dossier_by_its_id_number(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        return;
    };
    let db = store::connect(&test_db.url).await.unwrap();
    store::migrate(&db).await.unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    store::demo::seed(
        &db,
        store::demo::DemoOptions {
            applicants: 40,
            today,
        },
    )
    .await
    .unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id, org, state, id_number FROM dossier".to_owned(),
        ))
        .await
        .unwrap();
    assert!(rows.iter().all(|r| r
        .try_get::<String>("", "id_number")
        .unwrap()
        .starts_with("pii1:")));
    let (id, org) = rows
        .iter()
        .map(|r| {
            (
                r.try_get::<i64>("", "id").unwrap(),
                r.try_get::<String>("", "org").unwrap(),
                r.try_get::<String>("", "state").unwrap(),
            )
        })
        .find(|(_, _, state)| state == "submitted")
        .map(|(id, org, _)| (id, org))
        .expect("a submitted demo dossier");
    let number = dossiers::get(&db, id).await.unwrap().unwrap().id_number;
    assert_eq!(number.len(), 18);
    let scope = QueueScope::Employer(org);
    let search = |text: &str| QueueQuery {
        text: Some(text.to_owned()),
        per_page: 100,
        ..QueueQuery::default()
    };
    let found = dossiers::queue(&db, &scope, &search(&number))
        .await
        .unwrap();
    assert!(found.rows.iter().any(|d| d.id == id), "found by its number");
    assert!(found.rows.iter().all(|d| d.id_number == number));
    let lower = dossiers::queue(&db, &scope, &search(&number.to_lowercase()))
        .await
        .unwrap();
    assert_eq!(lower.total, found.total, "an x is an X");
    let part = dossiers::queue(&db, &scope, &search(&number[..10]))
        .await
        .unwrap();
    assert_eq!(part.total, 0);
}

macro_rules! on_both {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$body(store::testing::Backend::Sqlite).await;
            }
            #[tokio::test]
            async fn postgres() {
                super::$body(store::testing::Backend::Postgres).await;
            }
        }
    };
}
on_both!(sealed_at_rest, id_numbers_are_sealed_at_rest);
on_both!(queue_by_id_number, a_queue_finds_a_dossier_by_its_id_number);
