//! A committee's review up to the meeting, on SQLite and PostgreSQL: the office opens a session
//! (refused for another office, a lapsed filing and a size rule broken), draws the separate
//! high-skill group (never a same-unit expert, the share held, once only, re-run to the same
//! members, a tampered snapshot found), recusals declared and asked for, and experts who see and
//! score exactly the dossiers of their group they do not step out of.

mod common;

use common::{accepted_dossier, d, office_of, org, tempfile_dir, who, COMMITTEE};
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
use store::entities::review_group;
use store::testing::{Backend, TestDatabase};

use casework::commands::Desk;
use casework::committee::{GroupAsk, GroupKind, SizeProblem, Tier};
use casework::sessions::{
    self, AssessError, DeclareRecusal, DrawRunError, OpenSession, Scores, SessionError, Verified,
};

/// The applicants' employers; experts of the first two work there too.
const UNITS: [&str; 6] = ["org-a", "org-b", "org-c", "org-d", "org-e", "org-f"];

async fn review(backend: Backend) {
    let Some(test_db) = TestDatabase::create(backend).await else {
        return;
    };
    let db = store::connect(&test_db.url).await.unwrap();
    store::migrate(&db).await.unwrap();
    let dir = tempfile_dir();
    let clock = casework::clock::Clock::default();
    clock.set(d("2026-12-01"));
    let book = casework::rulebook::RuleBook::new(rules::Registry::builtin().unwrap(), clock);
    let desk = Desk {
        db: &db,
        upload_dir: &dir,
        book: &book,
        dossiers_per_account: 20,
    };
    for u in UNITS {
        org(&db, u, "employer").await;
    }
    common::committee(&db).await;
    org(&db, "com-other", "committee").await;
    let office = who(&db, "office", office_of(COMMITTEE)).await;
    let other_office = who(&db, "office2", office_of("com-other")).await;

    // A pool of 61: every third a full professor, 40 high-skill; experts 0–9 work at org-a or
    // org-b, where two applicants work.
    let mut experts = Vec::new();
    for i in 0..61 {
        let w = who(&db, &format!("expert{i}"), None).await;
        let unit = if i < 10 { UNITS[i % 2] } else { "org-x" };
        let level = if i % 3 == 0 {
            "senior"
        } else {
            "associate_senior"
        };
        let name = format!("专家{i}");
        let row = common::expert(&db, &w, &name, unit, level, i % 3 != 2, "member").await;
        experts.push((w, row));
    }

    // Six accepted dossiers of high-skill applicants seeking a senior engineering title.
    let applicant = who(&db, "worker", None).await;
    let mut ids = Vec::new();
    for u in UNITS {
        ids.push(accepted_dossier(&db, &applicant, u).await);
    }

    let ask = GroupAsk {
        members: 25,
        reserves: 2,
    };
    let open = |sits_on: &str, high_skill: GroupAsk| OpenSession {
        committee: COMMITTEE.into(),
        name: "2026年度工程系列高级职称评审会".into(),
        sits_on: d(sits_on),
        tiers: vec![Tier::Senior],
        dossiers: ids.clone(),
        general: ask,
        high_skill,
    };
    // Another committee's office is told "not found"; a lapsed filing and an even group are
    // refused with the rule and the figures.
    assert!(matches!(
        sessions::open(&desk, &other_office, open("2026-12-10", ask)).await,
        Err(SessionError::NotYours)
    ));
    assert!(matches!(
        sessions::open(&desk, &office, open("2028-03-01", ask)).await,
        Err(SessionError::Filing(
            casework::committee::FilingProblem::Lapsed { .. }
        ))
    ));
    let even = GroupAsk {
        members: 24,
        reserves: 2,
    };
    match sessions::open(&desk, &office, open("2026-12-10", even)).await {
        Err(SessionError::Size(problems)) => assert_eq!(
            problems,
            vec![
                SizeProblem::NotOdd {
                    kind: GroupKind::HighSkill,
                    members: 24
                },
                SizeProblem::TooFew {
                    kind: GroupKind::HighSkill,
                    members: 24,
                    min: 25
                },
            ]
        ),
        other => panic!("expected the size rules, got {other:?}"),
    }
    let session_id = sessions::open(&desk, &office, open("2026-12-10", ask))
        .await
        .unwrap();
    for id in &ids {
        let row = store::dossiers::get(&db, *id).await.unwrap().unwrap();
        assert_eq!(row.state, "in_review");
    }
    // A dossier in a session cannot join another.
    assert!(matches!(
        sessions::open(&desk, &office, open("2026-12-11", ask)).await,
        Err(SessionError::Dossier { .. })
    ));
    let view = sessions::view(&db, &office, session_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        view.groups.len(),
        1,
        "six high-skill applicants: their own group only"
    );
    assert_eq!(view.groups[0].kind, GroupKind::HighSkill);
    assert_eq!(view.groups[0].group.min_high_skill, 13);
    assert!(sessions::view(&db, &other_office, session_id)
        .await
        .unwrap()
        .is_none());

    // The draw: witnessed, once, never a same-unit expert, at least 13 high-skill members.
    assert!(matches!(
        sessions::run_draw(&desk, &office, session_id, GroupKind::HighSkill, " ", None).await,
        Err(DrawRunError::WitnessMissing)
    ));
    assert!(matches!(
        sessions::run_draw(
            &desk,
            &other_office,
            session_id,
            GroupKind::HighSkill,
            "纪检 李",
            None
        )
        .await,
        Err(DrawRunError::NotYours)
    ));
    let drawn = sessions::run_draw(
        &desk,
        &office,
        session_id,
        GroupKind::HighSkill,
        "纪检 李",
        None,
    )
    .await
    .unwrap();
    assert_eq!(drawn.members.len(), 25);
    assert_eq!(drawn.reserves.len(), 2);
    let by_id = |id: i64| &experts.iter().find(|(_, e)| e.id == id).unwrap().1;
    assert!(drawn.members.iter().all(|id| by_id(*id).unit == "org-x"));
    assert!(
        drawn
            .members
            .iter()
            .filter(|id| by_id(**id).high_skill)
            .count()
            >= 13
    );
    assert!(matches!(
        sessions::run_draw(
            &desk,
            &office,
            session_id,
            GroupKind::HighSkill,
            "纪检 李",
            None
        )
        .await,
        Err(DrawRunError::AlreadyDrawn)
    ));
    let view = sessions::view(&db, &office, session_id)
        .await
        .unwrap()
        .unwrap();
    let automatic = view
        .recusals
        .iter()
        .filter(|r| r.source == "automatic")
        .count();
    assert_eq!(
        automatic, 10,
        "experts 0–9 share a unit with one applicant each"
    );
    assert_eq!(
        sessions::verify(&db, session_id).await.unwrap(),
        Some(vec![("high_skill".to_owned(), Verified::Same)])
    );

    // Experts: a member sees the six dossiers; a reserve and an expert not drawn see none.
    let member = &experts
        .iter()
        .find(|(_, e)| e.id == drawn.members[0])
        .unwrap()
        .0;
    let reserve = &experts
        .iter()
        .find(|(_, e)| e.id == drawn.reserves[0])
        .unwrap()
        .0;
    assert_eq!(sessions::seats(&db, member).await.unwrap().len(), 6);
    assert!(sessions::seats(&db, reserve).await.unwrap().is_empty());
    assert!(sessions::seats(&db, &experts[0].0)
        .await
        .unwrap()
        .is_empty());

    // The member scores one dossier: the route's methods, each within the scale, an opinion.
    let bad = Scores {
        scores: [("performance_review".to_owned(), 101)]
            .into_iter()
            .collect(),
        opinion: String::new(),
    };
    assert!(matches!(
        sessions::assess(&desk, member, session_id, ids[0], bad).await,
        Err(AssessError::Problems(p)) if p.len() == 3
    ));
    let good = Scores {
        scores: [
            ("performance_review".to_owned(), 86),
            ("interview".to_owned(), 78),
        ]
        .into_iter()
        .collect(),
        opinion: "业绩突出，答辩清楚。".into(),
    };
    sessions::assess(&desk, member, session_id, ids[0], good.clone())
        .await
        .unwrap();
    assert!(matches!(
        sessions::assess(&desk, reserve, session_id, ids[0], good.clone()).await,
        Err(AssessError::NotYours)
    ));
    let progress = sessions::progress(&db, &view).await.unwrap();
    assert_eq!(progress.iter().filter(|(_, _, done)| *done).count(), 1);
    assert_eq!(progress.len(), 25 * 6);

    // The member declares a relation to applicant 2: that dossier leaves their workspace, and
    // they can no longer score it.
    let member_expert = drawn.members[0];
    sessions::declare(
        &desk,
        member,
        DeclareRecusal {
            session_id,
            expert_id: member_expert,
            dossier_id: ids[1],
            ground: casework::committee::Ground::Relative,
            reason: String::new(),
        },
    )
    .await
    .unwrap();
    assert_eq!(sessions::seats(&db, member).await.unwrap().len(), 5);
    assert!(sessions::seat(&db, member, session_id, ids[1])
        .await
        .unwrap()
        .is_none());
    assert!(matches!(
        sessions::assess(&desk, member, session_id, ids[1], good.clone()).await,
        Err(AssessError::NotYours)
    ));

    // The applicant asks for another member to step out, with a reason; the office upholds it.
    let second = &experts
        .iter()
        .find(|(_, e)| e.id == drawn.members[1])
        .unwrap()
        .0;
    let ask_recusal = |reason: &str| DeclareRecusal {
        session_id,
        expert_id: drawn.members[1],
        dossier_id: ids[2],
        ground: casework::committee::Ground::Collaborator,
        reason: reason.into(),
    };
    assert!(matches!(
        sessions::declare(&desk, &applicant, ask_recusal("")).await,
        Err(sessions::RecusalError::ReasonRequired)
    ));
    let asked = sessions::declare(&desk, &applicant, ask_recusal("2024年与我合作过项目"))
        .await
        .unwrap();
    assert_eq!(asked.status, "requested");
    assert_eq!(sessions::seats(&db, second).await.unwrap().len(), 6);
    assert!(
        sessions::decide_request(&desk, &office, session_id, asked.id, true)
            .await
            .unwrap()
    );
    assert_eq!(sessions::seats(&db, second).await.unwrap().len(), 5);
    // An expert the office deactivates reviews nothing more: no seat, the dossier not found.
    casework::pool::deactivate_expert(&desk, &office, COMMITTEE, drawn.members[1])
        .await
        .unwrap();
    assert!(sessions::seats(&db, second).await.unwrap().is_empty());
    assert!(sessions::seat(&db, second, session_id, ids[0])
        .await
        .unwrap()
        .is_none());
    // Someone with no part in the session declares nothing.
    assert!(matches!(
        sessions::declare(&desk, &other_office, ask_recusal("x")).await,
        Err(sessions::RecusalError::NotYours)
    ));

    // A tampered snapshot is found.
    let group = review_group::Entity::find()
        .filter(review_group::Column::SessionId.eq(session_id))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let tampered = group
        .pool
        .clone()
        .unwrap()
        .replacen("\"active\":true", "\"active\":false", 1);
    review_group::Entity::update_many()
        .col_expr(review_group::Column::Pool, Expr::value(tampered))
        .filter(review_group::Column::Id.eq(group.id))
        .exec(&db)
        .await
        .unwrap();
    assert_eq!(
        sessions::verify(&db, session_id).await.unwrap(),
        Some(vec![("high_skill".to_owned(), Verified::Differs)])
    );
    assert_eq!(sessions::verify(&db, session_id + 99).await.unwrap(), None);

    // Every change is in the audit chain, which holds.
    assert!(matches!(
        store::audit::verify(&db).await.unwrap(),
        store::audit::Verification::Intact { .. }
    ));
}

#[tokio::test]
async fn review_up_to_the_meeting_on_sqlite() {
    review(Backend::Sqlite).await;
}

#[tokio::test]
async fn review_up_to_the_meeting_on_postgres() {
    review(Backend::Postgres).await;
}
