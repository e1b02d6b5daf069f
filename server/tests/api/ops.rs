//! `server seed --demo` and `server audit verify`, on SQLite and PostgreSQL.

use store::testing::{Backend, TestDatabase};

use crate::on_both_backends;

async fn seed_then_verify_then_tamper(backend: Backend) {
    let Some(db) = TestDatabase::create(backend).await else {
        return;
    };
    let printed = server::ops::seed_demo(&db.url, 50, false).await.unwrap();
    for login in ["applicant", "hr", "office", "expert", "admin", "industry"] {
        assert!(printed.contains(login), "{printed}");
    }
    assert!(printed.contains(store::demo::DEMO_PASSWORD));
    // A second seed with --if-empty leaves the data alone; without it, it refuses.
    assert!(server::ops::seed_demo(&db.url, 50, true)
        .await
        .unwrap()
        .contains("already"));
    assert!(server::ops::seed_demo(&db.url, 50, false).await.is_err());

    assert!(server::ops::audit_verify(&db.url)
        .await
        .unwrap()
        .contains("50 entries"));

    let conn = store::connect(&db.url).await.unwrap();
    use store::ConnectionTrait;
    conn.execute_unprepared("UPDATE audit_entry SET to_state = 'accepted_for_review' WHERE id = 7")
        .await
        .unwrap();
    let err = server::ops::audit_verify(&db.url).await.unwrap_err();
    assert!(err.contains("audit entry 7 is broken"), "{err}");
}
on_both_backends!(seed_and_audit, seed_then_verify_then_tamper);
