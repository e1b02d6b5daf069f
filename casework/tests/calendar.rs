//! The working-day calendar in force (rules administration item 9): a year a provincial
//! administrator enters is stored with its audit entry and in force at once in the RuleBook it
//! was saved through, and within a refresh in another (a second instance on the same database);
//! a year with problems, or one entered by someone else, changes nothing.

mod common;

use casework::calendar::{self, Origin, SaveError};
use common::{d, who, Env};
use rules::YearEntry;
use store::accounts::Grant;
use store::testing::Backend;

fn year_2027(holidays: &[&str]) -> YearEntry {
    YearEntry {
        year: 2027,
        source: "国务院办公厅关于2027年部分节假日安排的通知（测试用）".into(),
        holidays: holidays.iter().map(|t| d(t)).collect(),
        makeup_workdays: vec![d("2027-01-09")],
    }
}

async fn entered_years_are_in_force(backend: Backend) {
    let Some(env) = Env::new(backend).await else {
        return;
    };
    let admin = who(
        &env.db,
        "admin53",
        Some(Grant {
            role: "provincial_admin".into(),
            scope_region: Some("53".into()),
            ..Grant::default()
        }),
    )
    .await;
    let hr = who(
        &env.db,
        "hr53",
        Some(Grant {
            role: "employer_hr".into(),
            scope_org: Some("org-a".into()),
            ..Grant::default()
        }),
    )
    .await;
    // A second instance: its own RuleBook on the same database.
    let other = casework::rulebook::RuleBook::new(
        rules::Registry::builtin().unwrap(),
        casework::clock::Clock::default(),
    );
    assert!(!env.book.calendar().covers(2027));

    // Refused: not an administrator; a year with problems (each of them named).
    assert!(matches!(
        calendar::save(&env.db, &env.book, &hr, year_2027(&["2027-01-01"])).await,
        Err(SaveError::NotAllowed)
    ));
    let mut bad = year_2027(&["2027-01-01", "2027-01-01"]);
    bad.makeup_workdays.push(d("2027-01-04"));
    match calendar::save(&env.db, &env.book, &admin, bad).await {
        Err(SaveError::Problems(p)) => assert_eq!(p.len(), 2, "{p:?}"),
        other => panic!("{other:?}"),
    }
    assert!(store::calendar::all(&env.db).await.unwrap().is_empty());
    assert!(!env.book.calendar().covers(2027));

    // Saved: in force here at once, there after a refresh (each instance's tick).
    calendar::save(&env.db, &env.book, &admin, year_2027(&["2027-01-01"]))
        .await
        .unwrap();
    assert!(env.book.calendar().covers(2027));
    assert_eq!(
        env.book
            .calendar()
            .nth_working_day_from(d("2026-12-29"), 5)
            .unwrap(),
        d("2027-01-05")
    );
    assert!(!other.calendar().covers(2027));
    assert!(calendar::refresh(&other, &env.db).await.unwrap());
    assert!(other.calendar().covers(2027));
    assert!(
        !calendar::refresh(&other, &env.db).await.unwrap(),
        "no change, no swap"
    );
    let (_, years) = calendar::in_force(&env.db).await.unwrap();
    let entered = years.iter().find(|y| y.entry.year == 2027).unwrap();
    assert!(matches!(entered.origin, Origin::Entered { by, .. } if by == admin.account_id));
    assert!(years
        .iter()
        .any(|y| y.entry.year == 2026 && y.origin == Origin::Shipped));

    // A shipped year corrected by an administrator is laid over the file's.
    let mut corrected = other.calendar().entry(2026).unwrap();
    corrected.holidays.push(d("2026-12-31"));
    calendar::save(&env.db, &env.book, &admin, corrected)
        .await
        .unwrap();
    assert!(!env.book.calendar().is_working_day(d("2026-12-31")).unwrap());
    let (_, years) = calendar::in_force(&env.db).await.unwrap();
    assert_eq!(years.iter().filter(|y| y.entry.year == 2026).count(), 1);

    // Both saves are in the audit chain, which holds.
    assert!(matches!(
        store::audit::verify(&env.db).await.unwrap(),
        store::audit::Verification::Intact { .. }
    ));
}

#[tokio::test]
async fn sqlite() {
    entered_years_are_in_force(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres() {
    entered_years_are_in_force(Backend::Postgres).await;
}
