//! Account security on SQLite and PostgreSQL: idle and absolute session lifetimes, sessions
//! ended by role changes, password changes and resets; reset links that supersede each other;
//! who may not be issued a link; and the audit trail of all of it.

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use store::accounts::{self, AccountError, Grant, LoginPolicy};
use store::audit::{self, Verification};
use store::authz::ResetRefusal;
use store::entities::{audit_entry, password_reset, session};
use store::testing::{Backend, TestDatabase};

const PASSWORD: &str = "correct horse battery";

async fn database(backend: Backend) -> Option<(TestDatabase, store::Db)> {
    let test_db = TestDatabase::create(backend).await?;
    let db = store::connect(&test_db.url).await.unwrap();
    store::migrate(&db).await.unwrap();
    Some((test_db, db))
}

/// The audit entries about account `id`, oldest first: (actor, action, detail).
async fn account_audit(db: &store::Db, id: i64) -> Vec<(String, String, serde_json::Value)> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::SubjectKind.eq("account"))
        .filter(audit_entry::Column::SubjectId.eq(id.to_string()))
        .order_by_asc(audit_entry::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.actor, e.action, serde_json::from_str(&e.detail).unwrap()))
        .collect()
}

async fn live(db: &store::Db, token: &str, at: chrono::DateTime<Utc>, idle: Duration) -> bool {
    accounts::session_account(db, token, at, idle)
        .await
        .unwrap()
        .is_some()
}

async fn sessions_end_when_idle_or_old(backend: Backend) {
    let Some((_guard, db)) = database(backend).await else {
        return;
    };
    let policy = LoginPolicy::default();
    assert_eq!(policy.session_ttl, Duration::hours(12));
    assert_eq!(policy.idle_timeout, Duration::minutes(30));
    let idle = policy.idle_timeout;
    accounts::register(&db, "alice", "张丽", PASSWORD)
        .await
        .unwrap();
    let t0 = Utc::now();

    // Used every 20 minutes, a session lives until its absolute end and no longer.
    let (_, busy) = accounts::login(&db, "alice", PASSWORD, policy, t0)
        .await
        .unwrap();
    let mut t = t0;
    while t + Duration::minutes(20) < t0 + Duration::hours(12) {
        t += Duration::minutes(20);
        assert!(
            live(&db, &busy, t, idle).await,
            "busy session at {}",
            t - t0
        );
    }
    assert!(!live(&db, &busy, t0 + Duration::hours(12), idle).await);

    // Left alone for the idle timeout, it ends (and stays ended).
    let (_, quiet) = accounts::login(&db, "alice", PASSWORD, policy, t0)
        .await
        .unwrap();
    assert!(live(&db, &quiet, t0 + Duration::minutes(29), idle).await);
    assert!(!live(&db, &quiet, t0 + Duration::minutes(29 + 30), idle).await);
    assert!(!live(&db, &quiet, t0 + Duration::minutes(30), idle).await);

    // Its last use is written at most once a minute.
    let (_, token) = accounts::login(&db, "alice", PASSWORD, policy, t0)
        .await
        .unwrap();
    let last_seen = |db: store::Db, token: String| async move {
        session::Entity::find_by_id(accounts::token_hash(&token))
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .last_seen_at
            .unwrap()
    };
    assert!(live(&db, &token, t0 + Duration::seconds(30), idle).await);
    assert_eq!(
        last_seen(db.clone(), token.clone()).await.timestamp(),
        t0.timestamp(),
        "not written within the minute"
    );
    assert!(live(&db, &token, t0 + Duration::seconds(61), idle).await);
    assert_eq!(
        last_seen(db.clone(), token.clone()).await.timestamp(),
        (t0 + Duration::seconds(61)).timestamp()
    );
}

#[tokio::test]
async fn idle_and_absolute_lifetimes_on_sqlite() {
    sessions_end_when_idle_or_old(Backend::Sqlite).await;
}

#[tokio::test]
async fn idle_and_absolute_lifetimes_on_postgres() {
    sessions_end_when_idle_or_old(Backend::Postgres).await;
}

async fn changes_end_sessions(backend: Backend) {
    let Some((_guard, db)) = database(backend).await else {
        return;
    };
    let policy = LoginPolicy::default();
    let idle = policy.idle_timeout;
    let alice = accounts::register(&db, "alice", "张丽", PASSWORD)
        .await
        .unwrap();
    let now = Utc::now();

    // Every sign-in is a new session.
    let (_, first) = accounts::login(&db, "alice", PASSWORD, policy, now)
        .await
        .unwrap();
    let (_, second) = accounts::login(&db, "alice", PASSWORD, policy, now)
        .await
        .unwrap();
    assert_ne!(first, second);

    // A change of roles ends the sessions that carry the old ones.
    accounts::grant(
        &db,
        alice.id,
        Grant {
            role: "applicant".into(),
            ..Grant::default()
        },
    )
    .await
    .unwrap();
    assert!(!live(&db, &first, now, idle).await);
    assert!(!live(&db, &second, now, idle).await);

    // A password change checks the current password, ends every other session, and replaces
    // the current one with a new session.
    let (_, here) = accounts::login(&db, "alice", PASSWORD, policy, now)
        .await
        .unwrap();
    let (_, elsewhere) = accounts::login(&db, "alice", PASSWORD, policy, now)
        .await
        .unwrap();
    assert!(matches!(
        accounts::change_password(
            &db,
            &here,
            "not my password",
            "a new long password",
            policy,
            now
        )
        .await,
        Err(AccountError::InvalidCredentials)
    ));
    assert!(
        live(&db, &here, now, idle).await,
        "a refused change ends nothing"
    );
    let renewed =
        accounts::change_password(&db, &here, PASSWORD, "a new long password", policy, now)
            .await
            .unwrap();
    assert_ne!(renewed, here);
    assert!(live(&db, &renewed, now, idle).await);
    assert!(
        !live(&db, &here, now, idle).await,
        "the old session id is gone"
    );
    assert!(
        !live(&db, &elsewhere, now, idle).await,
        "other sessions end"
    );
    assert!(accounts::login(&db, "alice", PASSWORD, policy, now)
        .await
        .is_err());
    let (_, after) = accounts::login(&db, "alice", "a new long password", policy, now)
        .await
        .unwrap();
    assert!(matches!(
        accounts::change_password(
            &db,
            &here,
            "a new long password",
            "another new password",
            policy,
            now
        )
        .await,
        Err(AccountError::SessionEnded)
    ));

    // A reset ends every session too.
    let reset = accounts::issue_reset(&db, 999, alice.id, Duration::hours(24), now)
        .await
        .unwrap();
    accounts::reset_password(&db, &reset, "reset long password", now)
        .await
        .unwrap();
    assert!(!live(&db, &after, now, idle).await);
    assert!(!live(&db, &renewed, now, idle).await);

    let audit = account_audit(&db, alice.id).await;
    let actions: Vec<&str> = audit.iter().map(|(_, a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "account.password_changed",
            "account.reset_link_issued",
            "account.reset_link_used"
        ]
    );
    assert_eq!(audit[0].0, format!("account:{}:alice", alice.id));
    assert_eq!(audit[0].2["other_sessions_ended"], 1);
    assert_eq!(audit[2].2["sessions_ended"], 2);
}

#[tokio::test]
async fn role_and_password_changes_end_sessions_on_sqlite() {
    changes_end_sessions(Backend::Sqlite).await;
}

#[tokio::test]
async fn role_and_password_changes_end_sessions_on_postgres() {
    changes_end_sessions(Backend::Postgres).await;
}

async fn resets_supersede_and_are_audited(backend: Backend) {
    let Some((_guard, db)) = database(backend).await else {
        return;
    };
    let policy = LoginPolicy::default();
    let now = Utc::now();
    let admin = accounts::register(&db, "admin", "管理员", PASSWORD)
        .await
        .unwrap();
    let province = Grant {
        role: "provincial_admin".into(),
        scope_region: Some("53".into()),
        ..Grant::default()
    };
    accounts::grant(&db, admin.id, province.clone())
        .await
        .unwrap();
    let peer = accounts::register(&db, "peer", "另一位管理员", PASSWORD)
        .await
        .unwrap();
    accounts::grant(&db, peer.id, province).await.unwrap();
    let bob = accounts::register(&db, "bob", "王五", PASSWORD)
        .await
        .unwrap();

    // No link for oneself nor for a peer; nothing is written for a refusal.
    assert!(matches!(
        accounts::issue_reset(&db, admin.id, admin.id, Duration::hours(24), now).await,
        Err(AccountError::ResetRefused(ResetRefusal::OwnAccount))
    ));
    assert!(matches!(
        accounts::issue_reset(&db, admin.id, peer.id, Duration::hours(24), now).await,
        Err(AccountError::ResetRefused(ResetRefusal::PeerAdministrator))
    ));
    assert!(password_reset::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .is_empty());
    assert!(account_audit(&db, admin.id).await.is_empty());
    assert!(account_audit(&db, peer.id).await.is_empty());

    // A newer link withdraws the older one.
    let older = accounts::issue_reset(&db, admin.id, bob.id, Duration::hours(24), now)
        .await
        .unwrap();
    let newer = accounts::issue_reset(&db, admin.id, bob.id, Duration::hours(24), now)
        .await
        .unwrap();
    assert!(matches!(
        accounts::reset_password(&db, &older, "older link password", now).await,
        Err(AccountError::ResetInvalid)
    ));
    // Using a link spends every other outstanding one (here one written directly, as two
    // administrators issuing at the same moment could leave).
    let stray = accounts::token_hash("stray");
    password_reset::ActiveModel {
        token_hash: Set(stray),
        account_id: Set(bob.id),
        issued_by: Set(admin.id),
        expires_at: Set(now + Duration::hours(24)),
        used_at: Set(None),
    }
    .insert(&db)
    .await
    .unwrap();
    accounts::reset_password(&db, &newer, "newer link password", now)
        .await
        .unwrap();
    assert!(matches!(
        accounts::reset_password(&db, "stray", "stray link password", now).await,
        Err(AccountError::ResetInvalid)
    ));
    assert!(
        accounts::login(&db, "bob", "newer link password", policy, now)
            .await
            .is_ok()
    );

    // Five failures lock the account; the lock is audited once.
    for _ in 0..policy.max_failures {
        let _ = accounts::login(&db, "bob", "wrong password", policy, now).await;
    }
    assert!(matches!(
        accounts::login(&db, "bob", "newer link password", policy, now).await,
        Err(AccountError::Locked { .. })
    ));

    let audit = account_audit(&db, bob.id).await;
    let actions: Vec<&str> = audit.iter().map(|(_, a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "account.reset_link_issued",
            "account.reset_link_issued",
            "account.reset_link_used",
            "account.locked"
        ]
    );
    let admin_label = format!("account:{}:admin", admin.id);
    assert_eq!(audit[0].0, admin_label, "issued by whom");
    assert_eq!(audit[0].2["username"], "bob", "for which account");
    assert_eq!(audit[1].2["earlier_links_revoked"], 1);
    assert_eq!(audit[2].0, format!("account:{}:bob", bob.id));
    assert_eq!(audit[2].2["issued_by"], admin.id);
    assert_eq!(audit[2].2["other_links_revoked"], 1);
    assert_eq!(audit[3].0, "system:sign-in");
    assert_eq!(audit[3].2["failures"], policy.max_failures);
    assert!(matches!(
        audit::verify(&db).await.unwrap(),
        Verification::Intact { entries: 4 }
    ));
}

#[tokio::test]
async fn resets_supersede_and_are_audited_on_sqlite() {
    resets_supersede_and_are_audited(Backend::Sqlite).await;
}

#[tokio::test]
async fn resets_supersede_and_are_audited_on_postgres() {
    resets_supersede_and_are_audited(Backend::Postgres).await;
}
