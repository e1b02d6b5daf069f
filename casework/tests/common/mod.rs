//! What the committee tests set up alike: accounts with a role, organisations, a filed senior
//! engineering committee of region 53, its experts, accepted dossiers, and the desk's parts.
#![allow(dead_code)]

use chrono::NaiveDate;
use sea_orm::{sea_query::Expr, ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use store::accounts::{self, Grant};
use store::entities::{committee, dossier, expert, organisation};

use casework::dossier::Who;

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub const COMMITTEE: &str = "com-eng";

/// A new account holding `grant`, as the commands see it.
pub async fn who(db: &store::Db, username: &str, grant: Option<Grant>) -> Who {
    let account = accounts::register(db, username, username, "long enough pass")
        .await
        .unwrap();
    if let Some(g) = grant.clone() {
        accounts::grant(db, account.id, g).await.unwrap();
    }
    Who {
        account_id: account.id,
        grants: grant.into_iter().collect(),
        label: format!("account:{}:{username}", account.id),
    }
}

pub fn office_of(code: &str) -> Option<Grant> {
    Some(Grant {
        role: "committee_office".into(),
        scope_committee: Some(code.into()),
        ..Grant::default()
    })
}

pub async fn org(db: &store::Db, code: &str, kind: &str) {
    organisation::ActiveModel {
        code: Set(code.into()),
        name: Set(format!("{code} 单位")),
        kind: Set(kind.into()),
        region: Set("53".into()),
    }
    .insert(db)
    .await
    .unwrap();
}

/// The committee `COMMITTEE` (organised by `org-a`, which must exist), filed until 2028-02-29.
pub async fn committee(db: &store::Db) {
    org(db, COMMITTEE, "committee").await;
    committee::ActiveModel {
        code: Set(COMMITTEE.into()),
        organiser: Set("org-a".into()),
        region: Set("53".into()),
        series: Set("engineering".into()),
        tiers: Set("senior".into()),
        specialty: Set(None),
        self_review: Set(false),
        entrusting: Set(String::new()),
        filing_number: Set(Some("云职改备〔2025〕3号".into())),
        filed_on: Set(Some(d("2025-03-01"))),
        filing_expires_on: Set(Some(d("2028-02-29"))),
        created_at: Set(chrono::Utc::now()),
    }
    .insert(db)
    .await
    .unwrap();
}

/// An expert of `COMMITTEE` in service (engineering, 机械, term 2025–2027).
pub async fn expert(
    db: &store::Db,
    account: &Who,
    name: &str,
    unit: &str,
    title_level: &str,
    high_skill: bool,
    duty: &str,
) -> expert::Model {
    expert::ActiveModel {
        committee: Set(COMMITTEE.into()),
        account_id: Set(account.account_id),
        name: Set(name.into()),
        unit: Set(unit.into()),
        series: Set("engineering".into()),
        specialty: Set("机械".into()),
        title_level: Set(title_level.into()),
        high_skill: Set(high_skill),
        duty: Set(duty.into()),
        term_from: Set(d("2025-01-01")),
        term_to: Set(d("2027-12-31")),
        active: Set(true),
        updated_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
}

/// A dossier of `owner`'s seeking a senior engineering title through the skill ladder, accepted
/// for review by `COMMITTEE`.
pub async fn accepted_dossier(db: &store::Db, owner: &Who, employer: &str) -> i64 {
    let fields = store::dossiers::DraftFields {
        org: employer.into(),
        committee: COMMITTEE.into(),
        full_name: "王师傅".into(),
        target: store::dossiers::Target::parse("skill_ladder.associate_senior:engineering"),
        answers: serde_json::json!({}),
        achievements: serde_json::json!([]),
        ..Default::default()
    };
    let row = store::dossiers::create(db, owner.account_id, fields)
        .await
        .unwrap();
    dossier::Entity::update_many()
        .col_expr(dossier::Column::State, Expr::value("accepted_for_review"))
        .col_expr(
            dossier::Column::StateDetail,
            Expr::value(r#"{"state":"accepted_for_review"}"#),
        )
        .col_expr(
            dossier::Column::TargetLevel,
            Expr::value("associate_senior"),
        )
        .filter(dossier::Column::Id.eq(row.id))
        .exec(db)
        .await
        .unwrap();
    row.id
}

/// A new folder for uploads.
pub fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "guantong-casework-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
