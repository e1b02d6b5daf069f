//! Demo data on SQLite and PostgreSQL: loads into an empty database only, is well-formed
//! (valid ID numbers, answers the rule engine accepts, an intact audit chain) and follows the
//! Guangdong pilot's proportions.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use store::audit::{self, Verification};
use store::demo::{self, DemoError, DemoOptions};
use store::entities::{account, dossier, role_grant};
use store::testing::{Backend, TestDatabase};

async fn demo_data(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        return;
    };
    let db = store::connect(&test_db.url).await.unwrap();
    store::migrate(&db).await.unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let summary = demo::seed(
        &db,
        DemoOptions {
            applicants: 400,
            today,
        },
    )
    .await
    .unwrap();

    // A publicity period ends as a real approval's would: five working days on the calendar
    // (from Sat 21 Nov 2026: Mon 23 to Fri 27), never on a weekend.
    let calendar = rules::WorkCalendar::builtin().unwrap();
    let in_publicity = dossier::Entity::find()
        .filter(dossier::Column::State.eq("unit_publicity"))
        .all(&db)
        .await
        .unwrap();
    assert!(!in_publicity.is_empty());
    for d in &in_publicity {
        match store::dossiers::state_of(d).unwrap() {
            store::workflow::State::UnitPublicity { ends_on } => {
                assert_eq!(ends_on, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
                assert!(calendar.is_working_day(ends_on).unwrap());
            }
            other => panic!("{other:?}"),
        }
    }

    let roles: Vec<_> = summary.logins.iter().map(|l| l.role).collect();
    assert_eq!(
        roles,
        [
            "applicant",
            "employer_hr",
            "committee_office",
            "expert",
            "provincial_admin",
            "industry_authority"
        ]
    );
    assert_eq!(summary.applicants, 400);
    assert_eq!(account::Entity::find().count(&db).await.unwrap(), 406);
    assert_eq!(dossier::Entity::find().count(&db).await.unwrap(), 400);
    assert_eq!(
        summary
            .dossiers_by_state
            .iter()
            .map(|(_, n)| n)
            .sum::<usize>(),
        400
    );
    assert_eq!(
        audit::verify(&db).await.unwrap(),
        Verification::Intact { entries: 400 }
    );

    let registry = rules::Registry::builtin().unwrap();
    let resolved = registry.resolve("53", today).unwrap();
    let mut associate_or_senior = 0;
    for d in dossier::Entity::find().all(&db).await.unwrap() {
        // Stored sealed (`store::pii`); the number inside is a valid one.
        assert!(d.id_number.starts_with("pii1:"), "{}", d.id_number);
        let number = store::pii::keys().open(&d.id_number).unwrap();
        rules::IdNumber::parse(&number).unwrap_or_else(|e| panic!("{number}: {e}"));
        assert_eq!(d.id_number_index, store::pii::keys().index(&number));
        let input: rules::PersonInput = serde_json::from_str(&d.answers).unwrap();
        rules::Person::parse(input, today, &resolved)
            .unwrap_or_else(|e| panic!("{}: {e:?}", d.answers));
        if d.target.as_deref().is_some_and(|t| t.contains("senior")) {
            associate_or_senior += 1;
        }
    }
    // 125 of 531 in the pilot (23.5%): allow sampling noise on 400.
    assert!(
        (50..=140).contains(&associate_or_senior),
        "{associate_or_senior}"
    );

    // Every applicant holds the applicant role: without it starting a dossier is refused.
    let applicants: std::collections::HashSet<i64> = role_grant::Entity::find()
        .filter(role_grant::Column::Role.eq("applicant"))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.account_id)
        .collect();
    let demo_accounts = account::Entity::find()
        .filter(account::Column::Username.starts_with("demo"))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(demo_accounts.len(), 400);
    for a in &demo_accounts {
        assert!(
            applicants.contains(&a.id),
            "{} has no applicant role",
            a.username
        );
    }
    assert_eq!(
        applicants.len(),
        401,
        "the demo applicants and the applicant login"
    );

    // The logins work with the printed password.
    let policy = store::accounts::LoginPolicy::default();
    store::accounts::login(&db, "hr", demo::DEMO_PASSWORD, policy, chrono::Utc::now())
        .await
        .unwrap();
    store::accounts::login(
        &db,
        "demo00001",
        demo::DEMO_PASSWORD,
        policy,
        chrono::Utc::now(),
    )
    .await
    .unwrap();

    assert!(matches!(
        demo::seed(
            &db,
            DemoOptions {
                applicants: 10,
                today
            }
        )
        .await,
        Err(DemoError::NotEmpty)
    ));
}

#[tokio::test]
async fn demo_data_on_sqlite() {
    demo_data(Backend::Sqlite).await;
}

#[tokio::test]
async fn demo_data_on_postgres() {
    demo_data(Backend::Postgres).await;
}
