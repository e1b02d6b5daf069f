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

    // One entry per demo dossier, and those of the demo committee's session (its opening,
    // each dossier put into it, its draws) when the few applicants made one.
    let verified = server::ops::audit_verify(&db.url).await.unwrap();
    assert!(verified.contains(" entries"), "{verified}");

    // Every demo dossier past draft carries the receipt a real submission leaves: it names a
    // stored rule set version and replays to the same outcomes.
    let conn = store::connect(&db.url).await.unwrap();
    use sea_orm::EntityTrait;
    let dossiers = store::entities::dossier::Entity::find()
        .all(&conn)
        .await
        .unwrap();
    let past_draft: Vec<_> = dossiers.iter().filter(|d| d.state != "draft").collect();
    assert!(!past_draft.is_empty());
    for d in &past_draft {
        let receipt: serde_json::Value =
            serde_json::from_str(d.receipt.as_deref().expect("a receipt")).unwrap();
        assert!(
            receipt["rule_set"]["stored_version"].as_i64().is_some(),
            "{receipt}"
        );
        assert!(
            receipt["outcomes"]
                .as_array()
                .is_some_and(|o| !o.is_empty()),
            "{receipt}"
        );
    }
    assert!(dossiers
        .iter()
        .filter(|d| d.state == "draft")
        .all(|d| d.receipt.is_none()));
    for d in past_draft.iter().take(5) {
        let text = server::ops::receipt_verify(&db.url, d.id).await.unwrap();
        assert!(text.contains("identical"), "{text}");
    }
    use store::ConnectionTrait;
    conn.execute_unprepared("UPDATE audit_entry SET to_state = 'accepted_for_review' WHERE id = 7")
        .await
        .unwrap();
    let err = server::ops::audit_verify(&db.url).await.unwrap_err();
    assert!(err.contains("audit entry 7 is broken"), "{err}");
}
on_both_backends!(seed_and_audit, seed_then_verify_then_tamper);

/// The demo's committee: a filed engineering committee, a pool of 64 (at least half
/// high-skill, some at the applicants' employers), and a session whose high-skill applicants
/// have their own group, drawn with the demo expert among its members, same-unit experts
/// recused, and the draw re-running to the same members.
async fn demo_committee(backend: Backend) {
    let Some(db) = TestDatabase::create(backend).await else {
        return;
    };
    let printed = server::ops::seed_demo(&db.url, 600, false).await.unwrap();
    assert!(printed.contains("64 experts"), "{printed}");
    assert!(printed.contains("expert among them"), "{printed}");
    let conn = store::connect(&db.url).await.unwrap();
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use store::entities::{expert, recusal, review_group, review_session};
    let pool = expert::Entity::find().all(&conn).await.unwrap();
    assert_eq!(pool.len(), 64);
    assert!(pool.iter().filter(|e| e.high_skill).count() * 2 >= pool.len());
    let session = review_session::Entity::find()
        .one(&conn)
        .await
        .unwrap()
        .unwrap();
    let groups = review_group::Entity::find()
        .filter(review_group::Column::SessionId.eq(session.id))
        .all(&conn)
        .await
        .unwrap();
    assert!(groups
        .iter()
        .any(|g| g.kind == "high_skill" && g.drawn.is_some()));
    let recused = recusal::Entity::find()
        .filter(recusal::Column::Ground.eq("same_unit"))
        .all(&conn)
        .await
        .unwrap();
    assert!(!recused.is_empty(), "conflicts from shared units");
    let verified = server::ops::draw_verify(&db.url, session.id).await.unwrap();
    assert!(verified.contains("the same members"), "{verified}");
    assert!(server::ops::draw_verify(&db.url, session.id + 1)
        .await
        .is_err());
    // A tampered draw fails verification (exit 1 from the command).
    use store::ConnectionTrait;
    conn.execute_unprepared(
        "UPDATE group_member SET position = position + 100 WHERE reserve = false",
    )
    .await
    .unwrap();
    conn.execute_unprepared("DELETE FROM group_member WHERE position = 100")
        .await
        .unwrap();
    let err = server::ops::draw_verify(&db.url, session.id)
        .await
        .unwrap_err();
    assert!(err.contains("DIFFERS"), "{err}");
}
on_both_backends!(demo_committee_is_filed_pooled_and_drawn, demo_committee);

/// `server backup` copies a live SQLite database; `server restore` puts it back only when its
/// audit chain verifies, and never over data without `--force`. PostgreSQL is pointed to
/// pg_dump.
async fn backup_and_restore(backend: Backend) {
    let Some(db) = TestDatabase::create(backend).await else {
        return;
    };
    server::ops::seed_demo(&db.url, 30, false).await.unwrap();
    let dir =
        std::env::temp_dir().join(format!("guantong-backup-{}", uuid::Uuid::new_v4().simple()));
    let file = dir.join("copy.db");
    if backend == Backend::Postgres {
        let err = server::ops::backup(&db.url, &file).await.unwrap_err();
        assert!(err.contains("pg_dump"), "{err}");
        return;
    }
    let entries = server::ops::audit_verify(&db.url).await.unwrap();
    let written = server::ops::backup(&db.url, &file).await.unwrap();
    assert!(written.contains("chain intact"), "{written}");
    // A backup never overwrites.
    assert!(server::ops::backup(&db.url, &file)
        .await
        .unwrap_err()
        .contains("exists"));

    // Restored into an empty place, it holds what the original held.
    let restored_url = format!("sqlite://{}?mode=rwc", dir.join("restored.db").display());
    server::ops::restore(&file, &restored_url, false)
        .await
        .unwrap();
    assert_eq!(
        server::ops::audit_verify(&restored_url).await.unwrap(),
        entries
    );
    let count = |url: String| async move {
        use sea_orm::{EntityTrait, PaginatorTrait};
        let conn = store::connect(&url).await.unwrap();
        store::entities::dossier::Entity::find()
            .count(&conn)
            .await
            .unwrap()
    };
    assert_eq!(
        count(restored_url.clone()).await,
        count(db.url.clone()).await
    );
    // Not over data without --force; with it, yes.
    assert!(server::ops::restore(&file, &restored_url, false)
        .await
        .unwrap_err()
        .contains("--force"));
    server::ops::restore(&file, &restored_url, true)
        .await
        .unwrap();

    // A backup whose audit log was altered is refused, and nothing is replaced.
    {
        let conn = store::connect(&format!("sqlite://{}?mode=rw", file.display()))
            .await
            .unwrap();
        use store::ConnectionTrait;
        conn.execute_unprepared("UPDATE audit_entry SET actor = 'someone' WHERE id = 3")
            .await
            .unwrap();
        conn.close().await.unwrap();
    }
    let elsewhere = format!("sqlite://{}?mode=rwc", dir.join("other.db").display());
    let err = server::ops::restore(&file, &elsewhere, false)
        .await
        .unwrap_err();
    assert!(err.contains("audit"), "{err}");
    assert!(!dir.join("other.db").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
on_both_backends!(backups, backup_and_restore);
