//! Which committee a dossier goes to, on SQLite and PostgreSQL: an enterprise's own self-review
//! committee, else one it entrusts, else the region's committee of the series filed longest;
//! without a series, the region's committee filed longest.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, Set};
use store::entities::{committee, organisation};
use store::organisations::committee_for;
use store::testing::{Backend, TestDatabase};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn routing(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        return;
    };
    let db = store::connect(&test_db.url).await.unwrap();
    store::migrate(&db).await.unwrap();
    for (code, kind) in [
        ("org-a", "employer"),
        ("org-b", "employer"),
        ("org-c", "employer"),
        ("com-a-new", "committee"),
        ("com-z-old", "committee"),
        ("com-self", "committee"),
        ("com-agri", "committee"),
    ] {
        organisation::ActiveModel {
            code: Set(code.into()),
            name: Set(code.into()),
            kind: Set(kind.into()),
            region: Set("53".into()),
        }
        .insert(&db)
        .await
        .unwrap();
    }
    let record = |code: &str,
                  series: &str,
                  filed: Option<&str>,
                  self_review: bool,
                  organiser: &str,
                  entrusting: &str| {
        committee::ActiveModel {
            code: Set(code.into()),
            organiser: Set(organiser.into()),
            region: Set("53".into()),
            series: Set(series.into()),
            tiers: Set("senior".into()),
            specialty: Set(None),
            self_review: Set(self_review),
            entrusting: Set(entrusting.into()),
            filing_number: Set(filed.map(|_| "备".into())),
            filed_on: Set(filed.map(d)),
            filing_expires_on: Set(filed.map(|_| d("2028-01-01"))),
            created_at: Set(Utc::now()),
        }
    };
    // Two regional engineering committees: the one filed longest takes the region's dossiers,
    // whatever its code.
    record(
        "com-a-new",
        "engineering",
        Some("2026-06-01"),
        false,
        "org-a",
        "",
    )
    .insert(&db)
    .await
    .unwrap();
    record(
        "com-z-old",
        "engineering",
        Some("2025-01-01"),
        false,
        "org-a",
        "org-c",
    )
    .insert(&db)
    .await
    .unwrap();
    record(
        "com-self",
        "engineering",
        Some("2026-01-01"),
        true,
        "org-b",
        "",
    )
    .insert(&db)
    .await
    .unwrap();
    record(
        "com-agri",
        "agriculture",
        Some("2026-01-01"),
        false,
        "org-a",
        "",
    )
    .insert(&db)
    .await
    .unwrap();
    let to = |employer: &'static str, series: Option<&'static str>| {
        let db = db.clone();
        async move {
            committee_for(&db, "53", employer, series)
                .await
                .unwrap()
                .map(|o| o.code)
        }
    };
    assert_eq!(
        to("org-a", Some("engineering")).await.as_deref(),
        Some("com-z-old")
    );
    assert_eq!(
        to("org-b", Some("engineering")).await.as_deref(),
        Some("com-self"),
        "its own"
    );
    assert_eq!(
        to("org-c", Some("engineering")).await.as_deref(),
        Some("com-z-old"),
        "entrusted"
    );
    assert_eq!(
        to("org-a", Some("agriculture")).await.as_deref(),
        Some("com-agri")
    );
    // No record for the series, or no series: the region's committee filed longest.
    assert_eq!(to("org-a", Some("art")).await.as_deref(), Some("com-z-old"));
    assert_eq!(to("org-a", None).await.as_deref(), Some("com-z-old"));
}

#[tokio::test]
async fn routing_on_sqlite() {
    routing(Backend::Sqlite).await;
}

#[tokio::test]
async fn routing_on_postgres() {
    routing(Backend::Postgres).await;
}
