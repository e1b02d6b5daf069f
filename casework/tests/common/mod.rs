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

/// What a committee test runs on: a migrated database of `backend`, a folder for uploads, the
/// RuleBook (the built-in rules and calendar) whose clock reads 2026-12-01.
pub struct Env {
    pub test_db: store::testing::TestDatabase,
    pub db: store::Db,
    pub dir: std::path::PathBuf,
    pub book: casework::rulebook::RuleBook,
}

impl Env {
    /// `None` where the backend is not there (PostgreSQL without `TEST_POSTGRES_URL`).
    pub async fn new(backend: store::testing::Backend) -> Option<Env> {
        let test_db = store::testing::TestDatabase::create(backend).await?;
        let db = store::connect(&test_db.url).await.unwrap();
        store::migrate(&db).await.unwrap();
        let clock = casework::clock::Clock::default();
        clock.set(d("2026-12-01"));
        Some(Env {
            test_db,
            db,
            dir: tempfile_dir(),
            book: casework::rulebook::RuleBook::new(rules::Registry::builtin().unwrap(), clock),
        })
    }

    pub fn desk(&self) -> casework::commands::Desk<'_> {
        casework::commands::Desk {
            db: &self.db,
            upload_dir: &self.dir,
            book: &self.book,
            dossiers_per_account: 1_000,
        }
    }
}

/// `n` full professors of `org-x` in the pool of `COMMITTEE`, two in three high-skill; the
/// first is the committee's chair.
pub async fn pool(db: &store::Db, n: usize) -> Vec<(Who, expert::Model)> {
    let mut pool = Vec::new();
    for i in 0..n {
        let w = who(db, &format!("expert{i}"), None).await;
        let duty = if i == 0 { "chair" } else { "member" };
        let name = format!("专家{i}");
        let row = expert(db, &w, &name, "org-x", "senior", i % 3 != 2, duty).await;
        pool.push((w, row));
    }
    pool
}

/// A session of `COMMITTEE` on 2026-12-10 for the dossiers `ids` (all high-skill applicants:
/// one separate group of 25 members and 2 reserves).
pub fn open_session(ids: &[i64]) -> casework::sessions::OpenSession {
    use casework::committee::{GroupAsk, Tier};
    let ask = GroupAsk {
        members: 25,
        reserves: 2,
    };
    casework::sessions::OpenSession {
        committee: COMMITTEE.into(),
        name: "2026年度工程系列高级职称评审会".into(),
        sits_on: d("2026-12-10"),
        tiers: vec![Tier::Senior],
        dossiers: ids.to_vec(),
        general: ask,
        high_skill: ask,
    }
}

/// That session, opened and drawn.
pub async fn drawn_session(
    desk: &casework::commands::Desk<'_>,
    office: &Who,
    ids: &[i64],
) -> (i64, casework::draw::Drawn) {
    let open = open_session(ids);
    let session_id = casework::sessions::open(desk, office, open).await.unwrap();
    let kind = casework::committee::GroupKind::HighSkill;
    let drawn = casework::sessions::run_draw(desk, office, session_id, kind, "纪检 李", None)
        .await
        .unwrap();
    (session_id, drawn)
}
