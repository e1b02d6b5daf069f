//! Accounts on SQLite and PostgreSQL: register, log in and out, lockout after repeated failures,
//! session expiry, admin-issued one-time resets.

use chrono::{Duration, Utc};
use store::accounts::{self, AccountError, Grant, LoginPolicy};
use store::testing::{Backend, TestDatabase};

async fn accounts_lifecycle(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        return;
    };
    let db = store::connect(&test_db.url).await.unwrap();
    store::migrate(&db).await.unwrap();
    let policy = LoginPolicy {
        max_failures: 3,
        lockout: Duration::minutes(15),
        session_ttl: Duration::hours(1),
        idle_timeout: Duration::minutes(30),
    };
    let now = Utc::now();

    let alice = accounts::register(&db, "alice", "张丽", "correct horse battery")
        .await
        .unwrap();
    assert!(
        alice.password_hash.starts_with("$argon2id$"),
        "{}",
        alice.password_hash
    );
    assert!(matches!(
        accounts::register(&db, "alice", "另一个", "whatever pass 1").await,
        Err(AccountError::UsernameTaken)
    ));
    accounts::grant(
        &db,
        alice.id,
        Grant {
            role: "employer_hr".into(),
            scope_org: Some("org-1".into()),
            ..Grant::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        accounts::grants(&db, alice.id).await.unwrap()[0]
            .scope_org
            .as_deref(),
        Some("org-1")
    );

    // Log in, find the session, log out.
    let (_, token) = accounts::login(&db, "alice", "correct horse battery", policy, now)
        .await
        .unwrap();
    assert_eq!(
        accounts::session_account(&db, &token, now, policy.idle_timeout)
            .await
            .unwrap()
            .map(|a| a.id),
        Some(alice.id)
    );
    assert!(
        accounts::session_account(&db, &token, now + Duration::hours(2), policy.idle_timeout)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    let (_, token) = accounts::login(&db, "alice", "correct horse battery", policy, now)
        .await
        .unwrap();
    accounts::logout(&db, &token).await.unwrap();
    assert!(
        accounts::session_account(&db, &token, now, policy.idle_timeout)
            .await
            .unwrap()
            .is_none()
    );

    // Unknown user and wrong password get the same answer; the third failure locks.
    assert!(matches!(
        accounts::login(&db, "nobody", "x", policy, now).await,
        Err(AccountError::InvalidCredentials)
    ));
    for _ in 0..2 {
        assert!(matches!(
            accounts::login(&db, "alice", "wrong", policy, now).await,
            Err(AccountError::InvalidCredentials)
        ));
    }
    assert!(matches!(
        accounts::login(&db, "alice", "wrong", policy, now).await,
        Err(AccountError::Locked { .. })
    ));
    // Locked: even the right password is refused until the lockout ends.
    assert!(matches!(
        accounts::login(&db, "alice", "correct horse battery", policy, now).await,
        Err(AccountError::Locked { .. })
    ));
    let later = now + Duration::minutes(16);
    assert!(
        accounts::login(&db, "alice", "correct horse battery", policy, later)
            .await
            .is_ok()
    );

    // An admin's reset link works once and closes open sessions.
    let (_, open) = accounts::login(&db, "alice", "correct horse battery", policy, later)
        .await
        .unwrap();
    let reset = accounts::issue_reset(&db, 999, alice.id, Duration::hours(24), later)
        .await
        .unwrap();
    accounts::reset_password(&db, &reset, "a new long password", later)
        .await
        .unwrap();
    assert!(
        accounts::session_account(&db, &open, later, policy.idle_timeout)
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        accounts::reset_password(&db, &reset, "again and again", later).await,
        Err(AccountError::ResetInvalid)
    ));
    assert!(
        accounts::login(&db, "alice", "a new long password", policy, later)
            .await
            .is_ok()
    );
    let expired = accounts::issue_reset(&db, 999, alice.id, Duration::hours(1), later)
        .await
        .unwrap();
    assert!(matches!(
        accounts::reset_password(&db, &expired, "too late now", later + Duration::hours(2)).await,
        Err(AccountError::ResetInvalid)
    ));
}

#[tokio::test]
async fn accounts_lifecycle_on_sqlite() {
    accounts_lifecycle(Backend::Sqlite).await;
}

#[tokio::test]
async fn accounts_lifecycle_on_postgres() {
    accounts_lifecycle(Backend::Postgres).await;
}
