//! What instances share on one database, on SQLite and PostgreSQL: the per-address sign-in
//! count, task leases, the failure count behind a lockout and the dossiers an account holds,
//! each right when many requests (as from several instances) arrive at once.

use chrono::{Duration, Utc};
use store::accounts::{self, AccountError, LoginPolicy};
use store::shared::{count_attempt, forget_attempts, take_lease};
use store::testing::{Backend, TestDatabase};

async fn fresh(backend: Backend) -> Option<(TestDatabase, store::Db)> {
    let test_db = TestDatabase::create(backend).await?;
    let db = store::connect(&test_db.url).await.unwrap();
    store::migrate(&db).await.unwrap();
    Some((test_db, db))
}

async fn attempts_are_counted_per_window(backend: Backend) {
    let Some((_t, db)) = fresh(backend).await else {
        return;
    };
    let t0 = 1_800_000_000;
    for expected in 1..=3 {
        assert_eq!(
            count_attempt(&db, "10.0.0.1", t0 + 10, 600).await.unwrap(),
            expected
        );
    }
    assert_eq!(count_attempt(&db, "10.0.0.2", t0, 600).await.unwrap(), 1);
    // Within the window the count goes on; once it has passed a new window opens.
    assert_eq!(
        count_attempt(&db, "10.0.0.1", t0 + 609, 600).await.unwrap(),
        4
    );
    assert_eq!(
        count_attempt(&db, "10.0.0.1", t0 + 610, 600).await.unwrap(),
        1
    );
    assert_eq!(
        count_attempt(&db, "10.0.0.1", t0 + 611, 600).await.unwrap(),
        2
    );
    // Old windows are forgotten, current ones kept.
    assert_eq!(forget_attempts(&db, t0 + 5).await.unwrap(), 1);
    assert_eq!(
        count_attempt(&db, "10.0.0.1", t0 + 612, 600).await.unwrap(),
        3
    );

    // Twenty attempts at once each get their own number: none is lost.
    let counts = futures_join(
        (0..20)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move { count_attempt(&db, "10.0.0.9", t0, 600).await })
            })
            .collect(),
    )
    .await;
    let mut counts: Vec<u32> = counts.into_iter().map(|c| c.unwrap()).collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=20).collect::<Vec<_>>());
}

async fn futures_join<T>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

async fn a_lease_has_one_holder_at_a_time(backend: Backend) {
    let Some((_t, db)) = fresh(backend).await else {
        return;
    };
    let t0 = 1_800_000_000;
    assert!(take_lease(&db, "publicity", "a", t0, 50).await.unwrap());
    assert!(!take_lease(&db, "publicity", "b", t0 + 1, 50).await.unwrap());
    assert!(
        take_lease(&db, "other-task", "b", t0 + 1, 50)
            .await
            .unwrap(),
        "each task has its own lease"
    );
    assert!(
        take_lease(&db, "publicity", "a", t0 + 2, 50).await.unwrap(),
        "the holder may renew"
    );
    assert!(!take_lease(&db, "publicity", "b", t0 + 51, 50)
        .await
        .unwrap());
    assert!(take_lease(&db, "publicity", "b", t0 + 52, 50)
        .await
        .unwrap());

    // Ten instances reaching for a free lease at once: exactly one gets it.
    let taken = futures_join(
        (0..10)
            .map(|i| {
                let db = db.clone();
                tokio::spawn(async move {
                    take_lease(&db, "race", &format!("instance-{i}"), t0, 50).await
                })
            })
            .collect(),
    )
    .await;
    let winners = taken.into_iter().filter(|t| *t.as_ref().unwrap()).count();
    assert_eq!(winners, 1);
}

/// Failures arriving together all count: the account locks after `max_failures` of them
/// however they interleave.
async fn concurrent_failures_all_count(backend: Backend) {
    let Some((_t, db)) = fresh(backend).await else {
        return;
    };
    let policy = LoginPolicy {
        max_failures: 4,
        lockout: Duration::minutes(15),
        session_ttl: Duration::hours(1),
        idle_timeout: Duration::minutes(30),
    };
    accounts::register(&db, "carol", "王芳", "correct horse battery")
        .await
        .unwrap();
    let now = Utc::now();
    let results = futures_join(
        (0..4)
            .map(|_| {
                let db = db.clone();
                tokio::spawn(async move {
                    accounts::login(&db, "carol", "wrong password!", policy, now).await
                })
            })
            .collect(),
    )
    .await;
    // SQLite may refuse a writer that lost the race ("database is locked"): that attempt was
    // not counted, and nothing else may be lost. Try again until four failures counted.
    let mut counted = results
        .iter()
        .filter(|r| {
            matches!(
                r,
                Err(AccountError::InvalidCredentials) | Err(AccountError::Locked { .. })
            )
        })
        .count();
    while counted < 4 {
        let r = accounts::login(&db, "carol", "wrong password!", policy, now).await;
        assert!(matches!(
            r,
            Err(AccountError::InvalidCredentials) | Err(AccountError::Locked { .. })
        ));
        counted += 1;
    }
    assert!(matches!(
        accounts::login(&db, "carol", "correct horse battery", policy, now).await,
        Err(AccountError::Locked { .. })
    ));
}

/// Starts at the same moment count each other: of sixteen, exactly the limit get through.
async fn concurrent_starts_respect_the_limit(backend: Backend) {
    let Some((_t, db)) = fresh(backend).await else {
        return;
    };
    let owner = accounts::register(&db, "dora", "李娜", "correct horse battery")
        .await
        .unwrap();
    let fields = store::dossiers::DraftFields {
        org: "org-1".into(),
        committee: "committee-1".into(),
        full_name: "李娜".into(),
        id_number: String::new(),
        occupation: String::new(),
        current_post: String::new(),
        target: None,
        answers: serde_json::json!({}),
        achievements: serde_json::json!([]),
    };
    let results = futures_join(
        (0..16)
            .map(|_| {
                let (db, fields) = (db.clone(), fields.clone());
                tokio::spawn(async move {
                    store::dossiers::create_within(&db, owner.id, fields, Some(2)).await
                })
            })
            .collect(),
    )
    .await;
    let created = results.iter().filter(|r| r.is_ok()).count();
    // SQLite may refuse a writer that waited too long ("database is locked"); every other
    // refusal must be the limit.
    assert!(results.iter().all(|r| match r {
        Ok(_) => true,
        Err(store::dossiers::DossierError::OwnerLimit { max: 2 }) => true,
        Err(e) => backend == Backend::Sqlite && e.to_string().contains("locked"),
    }));
    assert!(created <= 2, "{created} dossiers started past a limit of 2");
    if backend == Backend::Postgres {
        assert_eq!(created, 2);
    }
    let held = store::dossiers::list_for_owner(&db, owner.id)
        .await
        .unwrap()
        .len();
    assert_eq!(held, created);
}

macro_rules! on_both {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$body(store::testing::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                super::$body(store::testing::Backend::Postgres).await;
            }
        }
    };
}
on_both!(login_attempts, attempts_are_counted_per_window);
on_both!(task_leases, a_lease_has_one_holder_at_a_time);
on_both!(lockout_failures, concurrent_failures_all_count);
on_both!(dossier_limit, concurrent_starts_respect_the_limit);
