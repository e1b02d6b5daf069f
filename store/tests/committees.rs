//! Committees and their expert pools on SQLite and PostgreSQL: a committee is created with its
//! organisation row, updated and filed; experts are added (with the role `expert` granted once),
//! updated, deactivated and imported in one transaction; every change has its audit entry and
//! the chain stays intact.

use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use store::committees::{self, CommitteeError, CommitteeRecord, ExpertRecord};
use store::entities::{audit_entry, organisation, role_grant};
use store::testing::{Backend, TestDatabase};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn record() -> CommitteeRecord {
    CommitteeRecord {
        name: "云南省工程系列高级评委会".into(),
        organiser: "org-hrss".into(),
        series: "engineering".into(),
        tiers: "senior".into(),
        specialty: None,
        self_review: false,
        entrusting: String::new(),
    }
}

fn expert(account_id: i64, name: &str) -> ExpertRecord {
    ExpertRecord {
        account_id,
        name: name.into(),
        unit: "org-hrss".into(),
        series: "engineering".into(),
        specialty: "机械".into(),
        title_level: "senior".into(),
        high_skill: true,
        duty: "member".into(),
        term_from: day("2026-01-01"),
        term_to: day("2028-12-31"),
        active: true,
    }
}

async fn actions(db: &store::Db) -> Vec<String> {
    audit_entry::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

async fn expert_grants(db: &store::Db, account_id: i64) -> usize {
    role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account_id))
        .filter(role_grant::Column::Role.eq("expert"))
        .filter(role_grant::Column::ScopeCommittee.eq("committee-t"))
        .all(db)
        .await
        .unwrap()
        .len()
}

async fn committees_and_pools(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        return;
    };
    let db = store::connect(&test_db.url).await.unwrap();
    store::migrate(&db).await.unwrap();
    let now = Utc::now();

    // Created with its organisation row, audited.
    committees::create(&db, "account:1:admin", "committee-t", "53", &record(), now)
        .await
        .unwrap();
    let org = organisation::Entity::find_by_id("committee-t".to_owned())
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (org.kind.as_str(), org.region.as_str(), org.name.as_str()),
        ("committee", "53", "云南省工程系列高级评委会")
    );
    assert!(matches!(
        committees::create(&db, "account:1:admin", "committee-t", "53", &record(), now).await,
        Err(CommitteeError::CodeTaken(_))
    ));
    committees::create(&db, "a", "committee-s", "37", &record(), now)
        .await
        .unwrap();
    let yunnan = committees::list(&db, Some("53")).await.unwrap();
    assert_eq!(
        yunnan
            .iter()
            .map(|c| c.row.code.as_str())
            .collect::<Vec<_>>(),
        vec!["committee-t"]
    );
    assert_eq!(committees::list(&db, None).await.unwrap().len(), 2);

    // Updated (its name too) and filed; a second filing replaces the first.
    let renamed = CommitteeRecord {
        name: "新名称".into(),
        tiers: "senior,intermediate".into(),
        ..record()
    };
    committees::update(&db, "account:1:admin", "committee-t", &renamed)
        .await
        .unwrap();
    committees::file(
        &db,
        "account:1:admin",
        "committee-t",
        "云职改备〔2026〕1号",
        day("2026-01-01"),
        day("2028-12-31"),
    )
    .await
    .unwrap();
    let got = committees::get(&db, "committee-t").await.unwrap().unwrap();
    assert_eq!(got.name, "新名称");
    assert_eq!(got.row.tiers, "senior,intermediate");
    assert_eq!(
        got.row.filing_number.as_deref(),
        Some("云职改备〔2026〕1号")
    );
    assert_eq!(got.row.filing_expires_on, Some(day("2028-12-31")));
    assert!(matches!(
        committees::file(&db, "a", "ghost", "x", day("2026-01-01"), day("2026-02-01")).await,
        Err(CommitteeError::NotFound)
    ));

    // Experts: added with the role expert there, granted once.
    let zhang = store::accounts::register(&db, "zhang", "张", "a long password 1")
        .await
        .unwrap();
    let li = store::accounts::register(&db, "li", "李", "a long password 2")
        .await
        .unwrap();
    let wang = store::accounts::register(&db, "wang", "王", "a long password 3")
        .await
        .unwrap();
    let added =
        committees::add_expert(&db, "office", "committee-t", &expert(zhang.id, "张工"), now)
            .await
            .unwrap();
    assert_eq!(expert_grants(&db, zhang.id).await, 1);
    assert!(matches!(
        committees::add_expert(&db, "office", "committee-t", &expert(zhang.id, "张工"), now).await,
        Err(CommitteeError::AlreadyInPool)
    ));
    assert_eq!(expert_grants(&db, zhang.id).await, 1, "no second grant");
    // Another committee's office cannot reach this expert through its own code.
    assert!(matches!(
        committees::deactivate_expert(&db, "other", "committee-s", added.id, now).await,
        Err(CommitteeError::NotFound)
    ));
    let changed = ExpertRecord {
        title_level: "associate_senior".into(),
        account_id: li.id, // ignored: the account stays
        ..expert(zhang.id, "张高工")
    };
    let updated = committees::update_expert(&db, "office", "committee-t", added.id, &changed, now)
        .await
        .unwrap();
    assert_eq!(updated.account_id, zhang.id);
    assert_eq!(updated.name, "张高工");
    let off = committees::deactivate_expert(&db, "office", "committee-t", added.id, now)
        .await
        .unwrap();
    assert!(!off.active);
    assert_eq!(
        expert_grants(&db, zhang.id).await,
        0,
        "out of service, out of the expert's workspace: the role goes"
    );

    // An import: one transaction; an account in the pool is updated, the others added.
    let done = committees::import(
        &db,
        "office",
        "committee-t",
        "pool.csv",
        &[
            ExpertRecord {
                active: true,
                ..expert(zhang.id, "张工（导入）")
            },
            expert(li.id, "李工"),
            expert(wang.id, "王工"),
        ],
        &[4, 7],
        now,
    )
    .await
    .unwrap();
    assert_eq!((done.added, done.updated), (2, 1));
    let pool = committees::experts(&db, "committee-t").await.unwrap();
    assert_eq!(pool.len(), 3);
    assert!(pool.iter().all(|e| e.active));
    assert_eq!(expert_grants(&db, li.id).await, 1);
    assert_eq!(expert_grants(&db, wang.id).await, 1);
    assert_eq!(
        expert_grants(&db, zhang.id).await,
        1,
        "back in service by the import: the role is given again"
    );
    // An edit that takes an expert out of service takes the role too, and one that brings
    // them back gives it again.
    let li_entry = pool.iter().find(|e| e.account_id == li.id).unwrap().id;
    let out = ExpertRecord {
        active: false,
        ..expert(li.id, "李工")
    };
    committees::update_expert(&db, "office", "committee-t", li_entry, &out, now)
        .await
        .unwrap();
    assert_eq!(expert_grants(&db, li.id).await, 0);
    let back = ExpertRecord {
        active: true,
        ..expert(li.id, "李工")
    };
    committees::update_expert(&db, "office", "committee-t", li_entry, &back, now)
        .await
        .unwrap();
    assert_eq!(expert_grants(&db, li.id).await, 1);
    let names = committees::usernames(&db, vec![zhang.id, li.id])
        .await
        .unwrap();
    assert_eq!(names[&li.id], "li");
    let ids = committees::account_ids(&db, vec!["wang".into(), "nobody".into()])
        .await
        .unwrap();
    assert_eq!(ids.len(), 1);

    let import_entry = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("expert.import"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&import_entry.detail).unwrap();
    assert_eq!(detail["rejected_rows"], serde_json::json!([4, 7]));
    assert_eq!(detail["file"], "pool.csv");
    let log = actions(&db).await;
    for action in [
        "committee.create",
        "committee.update",
        "committee.file",
        "expert.add",
        "expert.update",
        "expert.deactivate",
        "expert.import",
    ] {
        assert!(log.iter().any(|a| a == action), "{action} in {log:?}");
    }
    assert!(matches!(
        store::audit::verify(&db).await.unwrap(),
        store::audit::Verification::Intact { .. }
    ));
}

#[tokio::test]
async fn committees_and_pools_sqlite() {
    committees_and_pools(Backend::Sqlite).await;
}

#[tokio::test]
async fn committees_and_pools_postgres() {
    committees_and_pools(Backend::Postgres).await;
}
