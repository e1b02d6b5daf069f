//! Demo data for a fictional province: organisations, a committee office, one login per role,
//! and applicants across series and levels in the proportions of Guangdong's pilot (POLICY §7:
//! of 531 titles obtained, 2 正高级, 123 副高级, 204 中级, 202 初级), their dossiers spread over
//! the workflow. Deterministic (a fixed seed), fictional (names and ID numbers are generated;
//! ID numbers carry valid check digits but belong to nobody), and loaded only into a database
//! that has no accounts yet.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionTrait,
};

use crate::accounts::{self, AccountError, Grant};
use crate::audit::{self, NewEntry};
use crate::dossiers::Target;
use crate::entities::{account, dossier, organisation, role_grant};
use crate::workflow::{FieldReason, State};
use crate::StoreError;

/// The password of every demo login (printed by `server seed --demo`).
pub const DEMO_PASSWORD: &str = "guantong-demo";

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct DemoOptions {
    pub applicants: usize,
    /// The day the data is "as of" (dates are placed relative to it).
    pub today: NaiveDate,
}

/// A login to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoLogin {
    pub role: &'static str,
    pub username: String,
    pub scope: String,
}

/// What was loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoSummary {
    pub logins: Vec<DemoLogin>,
    pub applicants: usize,
    pub dossiers_by_state: Vec<(&'static str, usize)>,
}

/// Why demo data was not loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the database already has accounts; demo data goes only into an empty database")]
    NotEmpty,
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for DemoError {
    fn from(e: sea_orm::DbErr) -> Self {
        DemoError::Store(StoreError::Db(e))
    }
}

/// A small deterministic generator (xorshift64*), so every demo database is the same.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// Picks by weight.
    fn weighted<T: Copy>(&mut self, table: &[(T, u64)]) -> T {
        let total: u64 = table.iter().map(|(_, w)| w).sum();
        let mut roll = self.below(total);
        for (item, weight) in table {
            if roll < *weight {
                return *item;
            }
            roll -= weight;
        }
        table[0].0
    }
}

const SURNAMES: &[&str] = &[
    "李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "段", "杞", "普", "和", "罗",
];
const GIVEN: &[&str] = &[
    "建国", "丽华", "志强", "秀英", "海涛", "春梅", "文杰", "玉兰", "明辉", "晓燕", "国庆", "红霞",
    "永福", "雪梅",
];

/// Target title levels in the pilot's proportions (初级 counted as 助理级).
const LEVELS: &[(&str, u64)] = &[
    ("senior", 2),
    ("associate_senior", 123),
    ("intermediate", 204),
    ("assistant", 202),
];
/// Series: the pilot was in engineering; the other bridged series are smaller.
const SERIES: &[(&str, u64)] = &[
    ("engineering", 70),
    ("agriculture", 8),
    ("arts_and_crafts", 6),
    ("laboratory", 6),
    ("technical_school_teacher", 5),
    ("cultural_heritage", 2),
    ("art", 2),
    ("sports", 1),
];
const STATES: &[(&str, u64)] = &[
    ("draft", 15),
    ("submitted", 20),
    ("returned_by_employer", 5),
    ("unit_publicity", 10),
    ("formal_check", 20),
    ("returned_by_committee", 5),
    ("accepted_for_review", 25),
];
pub const EMPLOYERS: &[(&str, &str)] = &[
    ("org-yn-machinery", "滇中精密机械有限公司（示例）"),
    ("org-yn-power", "彩云电力检修有限公司（示例）"),
    ("org-yn-agri", "高原特色农业科技有限公司（示例）"),
    ("org-yn-crafts", "建水紫陶工艺美术厂（示例）"),
    ("org-yn-tech-school", "滇池技师学院（示例）"),
];
pub const COMMITTEE: (&str, &str) = (
    "committee-yn-engineering",
    "云南省工程系列高技能人才职称评审委员会（示例）",
);

/// A fictional but well-formed ID number in Yunnan (53).
fn id_number(rng: &mut Rng, birth: NaiveDate) -> String {
    let body = format!("530102{}{:03}", birth.format("%Y%m%d"), rng.below(1000));
    let mut first17 = [0u8; 17];
    first17.copy_from_slice(body.as_bytes());
    format!("{body}{}", rules::idcard_check_character(&first17))
}

/// The last day of a unit publicity approved on the working day before `today`, counted as a
/// real approval counts it: the rule set's number of working days on the holiday calendar,
/// from `today`. Where the calendar does not reach (a year whose holidays are not announced
/// yet) the demo counts weekdays only, so it never ends on a weekend.
fn demo_publicity_end(today: NaiveDate) -> NaiveDate {
    let days = rules::Registry::builtin()
        .ok()
        .and_then(|r| r.resolve("53", today).ok())
        .and_then(|r| r.param_int("review_employer_publicity_working_days"))
        .unwrap_or(5)
        .clamp(1, 60) as u32;
    if let Some(end) = rules::WorkCalendar::builtin()
        .ok()
        .and_then(|c| c.nth_working_day_from(today, days).ok())
    {
        return end;
    }
    let mut day = today;
    let mut counted = 0;
    loop {
        if !matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
            counted += 1;
            if counted == days {
                return day;
            }
        }
        day = day.succ_opt().unwrap_or(day);
    }
}

fn state_for(code: &str, publicity_ends: NaiveDate) -> State {
    let reason = |field: &str, zh: &str| {
        vec![FieldReason {
            field: field.into(),
            reason: zh.into(),
        }]
    };
    match code {
        "submitted" => State::Submitted,
        "returned_by_employer" => State::ReturnedByEmployer {
            reasons: reason("achievements", "请补充近三年的主要业绩"),
        },
        "unit_publicity" => State::UnitPublicity {
            ends_on: publicity_ends,
        },
        "formal_check" => State::FormalCheck,
        "returned_by_committee" => State::ReturnedByCommittee {
            reasons: vec![
                FieldReason {
                    field: "attachments".into(),
                    reason: "缺少技师证书扫描件".into(),
                },
                FieldReason {
                    field: "annual_reviews".into(),
                    reason: "缺少2024年度考核结果".into(),
                },
            ],
        },
        "accepted_for_review" => State::AcceptedForReview,
        _ => State::Draft,
    }
}

/// The self-check answers that fit someone aiming at `level`.
fn answers(rng: &mut Rng, level: &str, today: NaiveDate) -> (serde_json::Value, &'static str) {
    let (skill, min_years) = match level {
        "assistant" => ("senior_worker", 2),
        "intermediate" => ("technician", 3),
        _ => ("senior_technician", 4),
    };
    let years = min_years + rng.below(6) as i64;
    let obtained = today - Duration::days(365 * years + rng.below(300) as i64);
    let mut reviews = serde_json::Map::new();
    for year in today.year() - 3..today.year() {
        let grade = if rng.below(40) == 0 {
            "fail"
        } else if rng.below(5) == 0 {
            "excellent"
        } else {
            "pass"
        };
        reviews.insert(year.to_string(), grade.into());
    }
    let honours: Vec<&str> = if level == "senior" {
        vec!["national_technical_expert"]
    } else {
        vec![]
    };
    let work_started = obtained - Duration::days(365 * 8);
    // The same answers as the self-check form would carry them (shown by the dossier page).
    let mut check = format!(
        "region=53&has_sl=yes&sl_n=1&sl0_level={skill}&sl0_on={obtained}&sl0_occ=6-18-01-01&has_t=no&work_on={work_started}"
    );
    for (year, grade) in &reviews {
        check.push_str(&format!(
            "&rev_{year}={}",
            grade.as_str().unwrap_or_default()
        ));
    }
    check.push_str(if honours.is_empty() {
        "&honour=none"
    } else {
        "&honour=national_technical_expert"
    });
    check.push_str("&post=none");
    let value = serde_json::json!({
        "skill_levels": [{ "level": skill, "obtained_on": obtained.to_string(), "occupation": "6-18-01-01" }],
        "work_started_on": work_started.to_string(),
        "annual_reviews": reviews,
        "honours": honours,
        "posts": [],
        "check": check,
    });
    (value, skill)
}

/// Loads the demo data into an empty, migrated database.
/// What a receipt for a demo dossier is made from (see [`seed_with_receipts`]).
#[derive(Clone, Copy, Debug)]
pub struct DemoDossier<'a> {
    /// The self-check answers as stored (`rules::PersonInput` fields and the form's `check`).
    pub answers: &'a serde_json::Value,
    /// `{route}:{series}`.
    pub target: &'a str,
    /// The province of its employer, whose rules decide it.
    pub region: &'a str,
}

/// Makes the receipt a real submission of a demo dossier would have left.
pub type ReceiptMaker<'a> =
    &'a (dyn Fn(DemoDossier<'_>) -> Option<serde_json::Value> + Send + Sync);

/// Loads the demo province, with no receipts (tests that do not look at them).
pub async fn seed(db: &DatabaseConnection, options: DemoOptions) -> Result<DemoSummary, DemoError> {
    seed_with_receipts(db, options, &|_| None).await
}

/// Loads the demo province; every dossier past draft gets the receipt `receipt` makes, as a
/// real submission leaves one.
pub async fn seed_with_receipts(
    db: &DatabaseConnection,
    options: DemoOptions,
    receipt: ReceiptMaker<'_>,
) -> Result<DemoSummary, DemoError> {
    if account::Entity::find().count(db).await? > 0 {
        return Err(DemoError::NotEmpty);
    }
    let mut rng = Rng(0x5EED_2020_1230_0096);
    let txn = db.begin().await?;
    let mut orgs: Vec<organisation::ActiveModel> = EMPLOYERS
        .iter()
        .map(|(code, name)| organisation::ActiveModel {
            code: Set((*code).into()),
            name: Set((*name).into()),
            kind: Set("employer".into()),
            region: Set("53".into()),
        })
        .collect();
    orgs.push(organisation::ActiveModel {
        code: Set(COMMITTEE.0.into()),
        name: Set(COMMITTEE.1.into()),
        kind: Set("committee".into()),
        region: Set("53".into()),
    });
    organisation::Entity::insert_many(orgs).exec(&txn).await?;

    // One login per role, each with its scope.
    let role_logins: [(&'static str, &str, &str, Grant); 6] = [
        (
            "applicant",
            "applicant",
            "示例申报人",
            Grant {
                role: "applicant".into(),
                ..Grant::default()
            },
        ),
        (
            "employer_hr",
            "hr",
            "示例单位人事",
            Grant {
                role: "employer_hr".into(),
                scope_org: Some(EMPLOYERS[0].0.into()),
                ..Grant::default()
            },
        ),
        (
            "committee_office",
            "office",
            "示例评委会办公室",
            Grant {
                role: "committee_office".into(),
                scope_committee: Some(COMMITTEE.0.into()),
                ..Grant::default()
            },
        ),
        (
            "expert",
            "expert",
            "示例评审专家",
            Grant {
                role: "expert".into(),
                scope_committee: Some(COMMITTEE.0.into()),
                ..Grant::default()
            },
        ),
        (
            "provincial_admin",
            "admin",
            "示例省级管理员",
            Grant {
                role: "provincial_admin".into(),
                scope_region: Some("53".into()),
                ..Grant::default()
            },
        ),
        (
            "industry_authority",
            "industry",
            "示例行业主管部门",
            Grant {
                role: "industry_authority".into(),
                scope_region: Some("53".into()),
                scope_sector: Some("engineering".into()),
                ..Grant::default()
            },
        ),
    ];
    let mut logins = Vec::new();
    for (role, username, name, grant) in role_logins {
        let account = accounts::register(&txn, username, name, DEMO_PASSWORD).await?;
        let scope = [
            &grant.scope_org,
            &grant.scope_committee,
            &grant.scope_region,
            &grant.scope_sector,
        ]
        .iter()
        .filter_map(|s| s.as_deref())
        .collect::<Vec<_>>()
        .join(" / ");
        accounts::grant(&txn, account.id, grant).await?;
        logins.push(DemoLogin {
            role,
            username: username.into(),
            scope,
        });
    }

    // Generated applicants share one password hash: hashing 5,000 passwords would take minutes
    // and protects nothing in a demo.
    let shared_hash = accounts::hash_password(DEMO_PASSWORD)?;
    let now = Utc::now();
    let usernames: Vec<String> = (1..=options.applicants)
        .map(|i| format!("demo{i:05}"))
        .collect();
    let names: Vec<String> = (0..options.applicants)
        .map(|_| {
            let s = SURNAMES[rng.below(SURNAMES.len() as u64) as usize];
            let g = GIVEN[rng.below(GIVEN.len() as u64) as usize];
            format!("{s}{g}")
        })
        .collect();
    for chunk in usernames.iter().zip(&names).collect::<Vec<_>>().chunks(500) {
        let rows = chunk.iter().map(|(username, name)| account::ActiveModel {
            username: Set((*username).clone()),
            display_name: Set((*name).clone()),
            password_hash: Set(shared_hash.clone()),
            failed_logins: Set(0),
            locked_until: Set(None),
            created_at: Set(now),
            ..Default::default()
        });
        account::Entity::insert_many(rows).exec(&txn).await?;
    }
    let ids: Vec<(i64, String)> = account::Entity::find()
        .filter(account::Column::Username.starts_with("demo"))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| (a.id, a.username))
        .collect();
    // Each of them applies, so each holds the applicant role (without it, starting a dossier
    // is refused).
    for chunk in ids.chunks(500) {
        let grants = chunk.iter().map(|(id, _)| role_grant::ActiveModel {
            account_id: Set(*id),
            role: Set("applicant".into()),
            scope_org: Set(None),
            scope_committee: Set(None),
            scope_region: Set(None),
            scope_sector: Set(None),
            ..Default::default()
        });
        role_grant::Entity::insert_many(grants).exec(&txn).await?;
    }

    let publicity_ends = demo_publicity_end(options.today);
    let mut by_state: Vec<(&'static str, usize)> = STATES.iter().map(|(s, _)| (*s, 0)).collect();
    let mut dossiers = Vec::with_capacity(ids.len());
    for ((owner_id, _), name) in ids.iter().zip(&names) {
        let level = rng.weighted(LEVELS);
        let series = rng.weighted(SERIES);
        let state_code = rng.weighted(STATES);
        if let Some(entry) = by_state.iter_mut().find(|(s, _)| *s == state_code) {
            entry.1 += 1;
        }
        let state = state_for(state_code, publicity_ends);
        let (answers, _) = answers(&mut rng, level, options.today);
        // `{route}:{series}`: the route the answers open for that level, in the series sought.
        let target = if level == "senior" {
            format!("green_channel.senior:{series}")
        } else {
            format!("skill_ladder.{level}:{series}")
        };
        let birth = NaiveDate::from_ymd_opt(
            1965 + rng.below(35) as i32,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        )
        .unwrap_or(options.today);
        // Drawn in this order, as before the number was sealed: the same seed, the same data.
        let org = EMPLOYERS[rng.below(EMPLOYERS.len() as u64) as usize].0;
        let number = id_number(&mut rng, birth);
        dossiers.push(dossier::ActiveModel {
            owner_id: Set(*owner_id),
            org: Set(org.into()),
            committee: Set(COMMITTEE.0.into()),
            state: Set(state.code().into()),
            state_detail: Set(serde_json::to_string(&state).unwrap_or_default()),
            version: Set(1),
            full_name: Set(name.clone()),
            id_number: Set(crate::pii::keys().seal(&number)),
            id_number_index: Set(crate::pii::keys().index(&number)),
            occupation: Set("6-18-01-01".into()),
            current_post: Set("车工".into()),
            target: Set(Some(target.clone())),
            target_route: Set(Target::parse(&target).map(|t| t.route)),
            target_series: Set(Target::parse(&target).and_then(|t| t.series)),
            // The route of each demo target leads to the title level it is named after.
            target_level: Set(Some(level.to_owned())),
            answers: Set(answers.to_string()),
            achievements: Set(serde_json::json!([{ "kind": "technical_report", "title": "数控车削工艺改进总结", "date": "2025-06-30", "role": "主要完成人" }]).to_string()),
            receipt: Set(if state_code == "draft" {
                None
            } else {
                receipt(DemoDossier {
                    answers: &answers,
                    target: &target,
                    region: "53",
                })
                .map(|r| r.to_string())
            }),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
    }
    let mut rows = dossiers.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(200).collect();
        dossier::Entity::insert_many(chunk).exec(&txn).await?;
    }
    let created: Vec<(i64, String)> = dossier::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|d| (d.id, d.state))
        .collect();
    audit::append_many(
        &txn,
        created
            .into_iter()
            .map(|(id, state)| NewEntry {
                actor: "system:seed".into(),
                action: "dossier.seed".into(),
                subject_kind: "dossier".into(),
                subject_id: id.to_string(),
                from_state: None,
                to_state: Some(state),
                detail: serde_json::json!({ "demo": true }),
            })
            .collect(),
    )
    .await?;
    txn.commit().await?;
    Ok(DemoSummary {
        logins,
        applicants: ids.len(),
        dossiers_by_state: by_state,
    })
}
