//! The demo's committee (after `store::demo` has loaded the province): the engineering
//! committee filed, a pool of 64 experts across units and title levels (40 of them high-skill,
//! 8 working at the applicants' employers, so same-unit conflicts arise), and a review session
//! of accepted senior-tier engineering dossiers, enough high-skill applicants that the separate
//! group forms, drawn with the demo expert login among its members. Made through the same
//! commands an office uses, so the session, the draw and the recusals carry their audit entries.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use store::entities::{account, committee, dossier, expert, organisation, role_grant};
use store::workflow::Stage;

use crate::commands::Desk;
use crate::committee::{GroupAsk, GroupKind, Tier};
use crate::dossier::Who;
use crate::sessions::{self, OpenSession};
use crate::CaseError;

/// Units the pool's experts work at besides the applicants' employers.
const EXPERT_UNITS: &[(&str, &str)] = &[
    ("org-yn-university", "昆明理工示例大学"),
    ("org-yn-design", "云岭工程设计研究院（示例）"),
    ("org-yn-grid-research", "滇电科学研究院（示例）"),
];

const SURNAMES: &[&str] = &["李", "张", "杨", "赵", "何", "段", "普", "罗"];
const GIVEN: &[&str] = &[
    "建华", "丽萍", "志强", "秀英", "文斌", "春燕", "国庆", "海燕",
];

/// What the demo committee holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoCommittee {
    pub experts: usize,
    pub session_id: Option<i64>,
    pub applicants: usize,
    pub members: usize,
    /// Whether the demo expert login sits in a drawn group.
    pub expert_seated: bool,
}

/// Why the demo committee was not loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Case(#[from] CaseError),
    #[error(transparent)]
    Account(#[from] store::accounts::AccountError),
    #[error(transparent)]
    Session(#[from] sessions::SessionError),
    #[error(transparent)]
    Draw(#[from] sessions::DrawRunError),
}

case_error_from!(DemoError);

async fn who(db: &store::Db, username: &str) -> Result<Option<Who>, DemoError> {
    let Some(a) = account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let grants = store::accounts::grants(db, a.id).await?;
    Ok(Some(Who {
        account_id: a.id,
        grants,
        label: format!("account:{}:{}", a.id, a.username),
    }))
}

/// Loads the demo committee, its pool and a drawn session, `today` being the demo's day.
pub async fn load(desk: &Desk<'_>, today: NaiveDate) -> Result<Option<DemoCommittee>, DemoError> {
    let db = desk.db;
    let code = store::demo::COMMITTEE.0;
    let (Some(office), Some(demo_expert)) = (who(db, "office").await?, who(db, "expert").await?)
    else {
        return Ok(None);
    };
    let filed_on = today - Duration::days(400);
    committee::ActiveModel {
        code: Set(code.into()),
        organiser: Set(store::demo::EMPLOYERS[0].0.into()),
        region: Set("53".into()),
        series: Set("engineering".into()),
        tiers: Set(Tier::codes(&[Tier::Senior])),
        specialty: Set(None),
        self_review: Set(false),
        entrusting: Set(String::new()),
        filing_number: Set(Some("云职改备〔示例〕1号".into())),
        filed_on: Set(Some(filed_on)),
        filing_expires_on: Set(Some(rules::add_years(filed_on, 3) - Duration::days(1))),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    for (unit, name) in EXPERT_UNITS {
        organisation::ActiveModel {
            code: Set((*unit).into()),
            name: Set((*name).into()),
            kind: Set("employer".into()),
            region: Set("53".into()),
        }
        .insert(db)
        .await?;
    }
    // The pool's accounts share the demo login's password hash (hashing 63 passwords protects
    // nothing in a demo).
    let hash = account::Entity::find_by_id(demo_expert.account_id)
        .one(db)
        .await?
        .map(|a| a.password_hash)
        .unwrap_or_default();
    let term_from = today - Duration::days(300);
    let term_to = rules::add_years(term_from, 3) - Duration::days(1);
    let mut count = 0;
    for i in 0..64usize {
        let account_id = if i == 0 {
            demo_expert.account_id
        } else {
            let name = format!(
                "{}{}",
                SURNAMES[i % SURNAMES.len()],
                GIVEN[(i / 8) % GIVEN.len()]
            );
            let row = account::ActiveModel {
                username: Set(format!("pool{i:02}")),
                display_name: Set(name),
                password_hash: Set(hash.clone()),
                failed_logins: Set(0),
                locked_until: Set(None),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(db)
            .await?;
            role_grant::ActiveModel {
                account_id: Set(row.id),
                role: Set("expert".into()),
                scope_committee: Set(Some(code.into())),
                ..Default::default()
            }
            .insert(db)
            .await?;
            row.id
        };
        // Eight work at the applicants' employers (conflicts with their applicants); the rest
        // at universities and institutes. Every third is a 正高级; 40 of 64 are high-skill.
        let unit = if (1..=8).contains(&i) {
            store::demo::EMPLOYERS[i % store::demo::EMPLOYERS.len()].0
        } else {
            EXPERT_UNITS[i % EXPERT_UNITS.len()].0
        };
        expert::ActiveModel {
            committee: Set(code.into()),
            account_id: Set(account_id),
            name: Set(if i == 0 {
                "示例评审专家".into()
            } else {
                format!(
                    "{}{}",
                    SURNAMES[i % SURNAMES.len()],
                    GIVEN[(i / 8) % GIVEN.len()]
                )
            }),
            unit: Set(unit.into()),
            series: Set("engineering".into()),
            specialty: Set(["机械", "电气", "自动化", "材料"][i % 4].into()),
            title_level: Set(if i % 3 == 0 {
                "senior"
            } else {
                "associate_senior"
            }
            .into()),
            high_skill: Set(i % 8 < 5),
            duty: Set(match i {
                1 => "chair",
                2 | 3 => "vice_chair",
                _ => "member",
            }
            .into()),
            term_from: Set(term_from),
            term_to: Set(term_to),
            active: Set(i != 63),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        count += 1;
    }
    // Twelve accepted senior-tier engineering dossiers (all high-skill applicants).
    let accepted: Vec<i64> = dossier::Entity::find()
        .filter(dossier::Column::State.eq(Stage::AcceptedForReview.code()))
        .filter(dossier::Column::Committee.eq(code))
        .filter(dossier::Column::TargetSeries.eq("engineering"))
        .filter(dossier::Column::TargetLevel.is_in(["associate_senior", "senior"]))
        .order_by_asc(dossier::Column::Id)
        .limit(12)
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.id)
        .collect();
    if accepted.is_empty() {
        return Ok(Some(DemoCommittee {
            experts: count,
            session_id: None,
            applicants: 0,
            members: 0,
            expert_seated: false,
        }));
    }
    let ask = GroupAsk {
        members: 25,
        reserves: 2,
    };
    let session_id = sessions::open(
        desk,
        &office,
        OpenSession {
            committee: code.into(),
            name: "工程系列高级职称评审会（示例）".into(),
            sits_on: today + Duration::days(14),
            tiers: vec![Tier::Senior],
            dossiers: accepted.clone(),
            general: ask,
            high_skill: ask,
        },
    )
    .await?;
    // Each group drawn from a fixed series of seeds, the first that seats the demo expert: the
    // demo is the same on every machine, and the expert login has dossiers to review.
    let pool_entry = expert::Entity::find()
        .filter(expert::Column::AccountId.eq(demo_expert.account_id))
        .one(db)
        .await?
        .map(|e| e.id)
        .unwrap_or_default();
    let mut members = 0;
    let mut expert_seated = false;
    for group in store::sessions::groups(db, session_id).await? {
        let Some(kind) = GroupKind::parse(&group.kind) else {
            continue;
        };
        let session = store::sessions::session(db, session_id).await?;
        let Some(session) = session else { break };
        let (pool, constraints) = sessions::draw_input_for(db, &session, &group).await?;
        let seated = |seed: &str| {
            crate::draw::draw(&pool, &constraints, seed)
                .map(|d| d.members.contains(&pool_entry))
                .unwrap_or(false)
        };
        let seed = (0u8..=255)
            .map(|n| crate::draw::seed_of([n; 32]))
            .find(|seed| seated(seed))
            .unwrap_or_else(|| crate::draw::seed_of([0; 32]));
        let witness = "省纪检监察组 王监督（示例）";
        let drawn =
            sessions::run_draw(desk, &office, session_id, kind, witness, Some(seed)).await?;
        members += drawn.members.len();
        expert_seated |= drawn.members.contains(&pool_entry);
    }
    Ok(Some(DemoCommittee {
        experts: count,
        session_id: Some(session_id),
        applicants: accepted.len(),
        members,
        expert_seated,
    }))
}
