//! Publicity periods end on time by the server's own hand, on SQLite and PostgreSQL: once
//! each, with an audit entry by `system`, and never before their last day is over.

use chrono::NaiveDate;
use store::dossiers::{self, DraftFields};
use store::testing::{Backend, TestDatabase};
use store::workflow::{Action, Actor, Procedure};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn periods_end_on_time(backend: Backend) {
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
    let fields = DraftFields {
        full_name: "王师傅".into(),
        answers: serde_json::json!({}),
        achievements: serde_json::json!([]),
        ..DraftFields::default()
    };
    // Two dossiers approved on different days, and one still waiting for its employer.
    let mut ids = Vec::new();
    for approved in ["2026-09-25", "2026-11-20", ""] {
        let draft = dossiers::create(&db, owner.id, fields.clone())
            .await
            .unwrap();
        let moved = dossiers::transition(
            &db,
            draft.id,
            draft.version,
            Actor::Applicant,
            "account:1",
            Action::Submit,
            d("2026-09-01"),
            procedure,
            &calendar,
            None,
        )
        .await
        .unwrap();
        if !approved.is_empty() {
            dossiers::transition(
                &db,
                draft.id,
                moved.version,
                Actor::EmployerHr,
                "account:2",
                Action::EmployerApprove,
                d(approved),
                procedure,
                &calendar,
                None,
            )
            .await
            .unwrap();
        }
        ids.push(draft.id);
    }
    let state = |id: i64| {
        let db = db.clone();
        async move { dossiers::get(&db, id).await.unwrap().unwrap().state }
    };

    // Approved Fri 25 Sep 2026: the five working days end on Fri 9 Oct (National Day between).
    let ended = casework::publicity::end_due(&db, &calendar, d("2026-10-09"))
        .await
        .unwrap();
    assert_eq!(
        (ended.moved.len(), ended.running),
        (0, 2),
        "not before the last day is over"
    );
    let ended = casework::publicity::end_due(&db, &calendar, d("2026-10-10"))
        .await
        .unwrap();
    assert_eq!(ended.moved, vec![ids[0]]);
    assert_eq!(ended.running, 1);
    assert_eq!(state(ids[0]).await, "formal_check");
    assert_eq!(state(ids[1]).await, "unit_publicity");
    assert_eq!(state(ids[2]).await, "submitted");
    // A second run (another instance, the next tick) finds nothing more to do.
    let again = casework::publicity::end_due(&db, &calendar, d("2026-10-10"))
        .await
        .unwrap();
    assert!(again.moved.is_empty());

    // The move is in the audit log, by the server, and the chain holds.
    let history = dossiers::history(&db, ids[0]).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (
            last.actor.as_str(),
            last.action.as_str(),
            last.to_state.as_deref()
        ),
        ("system", "dossier.end_publicity", Some("formal_check"))
    );
    assert_eq!(
        history
            .iter()
            .filter(|e| e.action == "dossier.end_publicity")
            .count(),
        1,
        "ended once"
    );
    assert!(matches!(
        store::audit::verify(&db).await.unwrap(),
        store::audit::Verification::Intact { .. }
    ));
    // Later days end the rest.
    let ended = casework::publicity::end_due(&db, &calendar, d("2026-12-31"))
        .await
        .unwrap();
    assert_eq!(ended.moved, vec![ids[1]]);
}

#[tokio::test]
async fn periods_end_on_time_on_sqlite() {
    periods_end_on_time(Backend::Sqlite).await;
}

#[tokio::test]
async fn periods_end_on_time_on_postgres() {
    periods_end_on_time(Backend::Postgres).await;
}
