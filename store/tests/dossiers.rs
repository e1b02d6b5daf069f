//! Dossiers on SQLite and PostgreSQL: a stale write is refused with a clear conflict, every
//! transition lands in the audit log with the change, a refused transition changes nothing.

use chrono::NaiveDate;
use store::audit::{self, Verification};
use store::dossiers::{self, DossierError, DraftFields};
use store::testing::{Backend, TestDatabase};
use store::workflow::{Action, Actor, FieldReason, Procedure, State};

fn fields(name: &str) -> DraftFields {
    DraftFields {
        org: "org-1".into(),
        committee: "committee-1".into(),
        full_name: name.into(),
        id_number: "11010519491231002X".into(),
        occupation: "6-18-01-01".into(),
        current_post: "车工".into(),
        target: store::dossiers::Target::parse("title:intermediate:engineering"),
        answers: serde_json::json!({ "skill_levels": [{ "level": "technician", "obtained_on": "2022-06-30" }] }),
        achievements: serde_json::json!([]),
    }
}

async fn dossier_lifecycle(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        return;
    };
    let db = store::connect(&test_db.url).await.unwrap();
    store::migrate(&db).await.unwrap();
    let owner = store::accounts::register(&db, "worker", "王师傅", "long enough pass")
        .await
        .unwrap();
    let calendar = rules::WorkCalendar::builtin().unwrap();
    let procedure = Procedure {
        unit_publicity_working_days: 5,
        result_publicity_working_days: 5,
        fraud_bar_years: 3,
    };
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();

    let draft = dossiers::create(&db, owner.id, fields("王师傅"))
        .await
        .unwrap();
    assert_eq!(draft.version, 1);

    // Two tabs loaded version 1; the first save wins, the second is told, not silently lost.
    let saved = dossiers::save_draft(&db, draft.id, 1, fields("王建国"))
        .await
        .unwrap();
    assert_eq!((saved.version, saved.full_name.as_str()), (2, "王建国"));
    match dossiers::save_draft(&db, draft.id, 1, fields("王二")).await {
        Err(DossierError::Conflict { current }) => assert_eq!(current, 2),
        other => panic!("expected a conflict, got {other:?}"),
    }

    let submitted = dossiers::transition(
        &db,
        draft.id,
        2,
        Actor::Applicant,
        "account:1",
        Action::Submit,
        today,
        procedure,
        &calendar,
        Some(serde_json::json!({ "rule_set": "national-2020" })),
    )
    .await
    .unwrap();
    assert_eq!(submitted.state, "submitted");
    assert!(submitted.receipt.is_some());
    // Not editable while the employer has it.
    assert!(matches!(
        dossiers::save_draft(&db, draft.id, submitted.version, fields("x")).await,
        Err(DossierError::NotEditable { .. })
    ));

    // A refused move changes nothing.
    assert!(matches!(
        dossiers::transition(
            &db,
            draft.id,
            submitted.version,
            Actor::Applicant,
            "account:1",
            Action::CommitteeAccept,
            today,
            procedure,
            &calendar,
            None,
        )
        .await,
        Err(DossierError::Workflow(_))
    ));

    let returned = dossiers::transition(
        &db,
        draft.id,
        submitted.version,
        Actor::EmployerHr,
        "account:2",
        Action::EmployerReturn {
            reasons: vec![FieldReason {
                field: "achievements".into(),
                reason: "请补充业绩".into(),
            }],
        },
        today,
        procedure,
        &calendar,
        None,
    )
    .await
    .unwrap();
    match dossiers::state_of(&returned).unwrap() {
        State::ReturnedByEmployer { reasons } => assert_eq!(reasons[0].field, "achievements"),
        other => panic!("{other:?}"),
    }
    dossiers::record_read(&db, draft.id, "account:2")
        .await
        .unwrap();

    // create + submit + return + read: four entries, chained.
    assert_eq!(
        audit::verify(&db).await.unwrap(),
        Verification::Intact { entries: 4 }
    );
}

#[tokio::test]
async fn dossier_lifecycle_on_sqlite() {
    dossier_lifecycle(Backend::Sqlite).await;
}

#[tokio::test]
async fn dossier_lifecycle_on_postgres() {
    dossier_lifecycle(Backend::Postgres).await;
}
