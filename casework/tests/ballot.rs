//! The secret ballot on SQLite and PostgreSQL: attendance and quorum on both sides (16 of 25
//! does not open the ballot, 17 does), recusals taking an applicant below its quorum, votes by
//! a stranger, a reserve, an absent member, a second vote and a late vote refused, the pass
//! line on both sides, nothing of a tally before the close, ballots that cannot be linked to
//! experts (schema and rows), and the chair's signature moving each applicant in the one table
//! with the result's hash in the audit chain.

mod common;

use std::collections::BTreeSet;

use casework::ballot::{self, BallotError, Choice, Phase, Shortfall, Turn};
use casework::committee::{Ground, GroupKind};
use casework::sessions::{self, DeclareRecusal};
use common::{accepted_dossier, office_of, org, who, COMMITTEE};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};
use store::entities::{audit_entry, ballot as ballot_row};
use store::testing::Backend;

/// The columns of `table`, from the database itself.
async fn columns(db: &store::Db, table: &str) -> BTreeSet<String> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Sqlite => format!("SELECT name FROM pragma_table_info('{table}')"),
        _ => format!(
            "SELECT column_name AS name FROM information_schema.columns \
             WHERE table_name = '{table}' AND table_schema = current_schema()"
        ),
    };
    db.query_all_raw(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "name").unwrap())
        .collect()
}

async fn ballot(backend: Backend) {
    let Some(env) = common::Env::new(backend).await else {
        return;
    };
    let (db, desk) = (env.db.clone(), env.desk());
    for u in ["org-a", "org-b", "org-x"] {
        org(&db, u, "employer").await;
    }
    common::committee(&db).await;
    org(&db, "com-other", "committee").await;
    let office = who(&db, "office", office_of(COMMITTEE)).await;
    let other_office = who(&db, "office2", office_of("com-other")).await;

    // A pool of 30 full professors of another unit, two in three high-skill; the chair sits in
    // the pool too.
    let pool = common::pool(&db, 30).await;
    let chair = pool[0].0.clone();
    let applicant = who(&db, "worker", None).await;
    let mut ids = Vec::new();
    for u in ["org-a", "org-b", "org-a", "org-b", "org-a"] {
        ids.push(accepted_dossier(&db, &applicant, u).await);
    }
    let session_id = sessions::open(&desk, &office, common::open_session(&ids))
        .await
        .unwrap();
    // Before the draw, no attendance and no ballot.
    assert!(matches!(
        ballot::record_attendance(&desk, &office, session_id, &[]).await,
        Err(BallotError::NotDrawn)
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
    let account = |expert_id: i64| {
        pool.iter()
            .find(|(_, e)| e.id == expert_id)
            .map(|(w, _)| w.clone())
            .unwrap()
    };
    let members = drawn.members.clone();
    let reserve = account(drawn.reserves[0]);

    // Attendance: members only, by the office only.
    assert!(matches!(
        ballot::record_attendance(&desk, &office, session_id, &[drawn.reserves[0]]).await,
        Err(BallotError::NotMember(_))
    ));
    assert!(matches!(
        ballot::record_attendance(&desk, &other_office, session_id, &members[..17]).await,
        Err(BallotError::NotYours)
    ));
    // 16 of 25 attending: no quorum (2/3 of 25 is 16.67), and the page is told by how much.
    ballot::record_attendance(&desk, &office, session_id, &members[..16])
        .await
        .unwrap();
    match ballot::open(&desk, &office, session_id).await {
        Err(BallotError::NoQuorum(short)) => assert_eq!(
            short,
            vec![Shortfall {
                group: GroupKind::HighSkill,
                members: 25,
                attending: 16,
                needed: 17
            }]
        ),
        other => panic!("expected no quorum, got {other:?}"),
    }
    // 17 attend. Three of them step out of applicant 0: 22 not recused need 15 attending, and
    // 14 are: that applicant will not be decided.
    ballot::record_attendance(&desk, &office, session_id, &members[..17])
        .await
        .unwrap();
    for m in &members[..3] {
        sessions::declare(
            &desk,
            &office,
            DeclareRecusal {
                session_id,
                expert_id: *m,
                dossier_id: ids[0],
                ground: Ground::Collaborator,
                reason: String::new(),
            },
        )
        .await
        .unwrap();
    }
    let standing = ballot::standing(&desk, &office, session_id).await.unwrap();
    let first = standing
        .applicants
        .iter()
        .find(|a| a.dossier_id == ids[0])
        .unwrap();
    assert_eq!(
        (first.recused, first.attending, first.quorum_needed),
        (3, 14, 15)
    );
    // Nobody votes before the ballot opens.
    let voter = account(members[5]);
    assert!(matches!(
        ballot::cast(&desk, &voter, session_id, ids[1], Choice::Agree).await,
        Err(BallotError::NotOpen)
    ));
    assert!(matches!(
        ballot::open(&desk, &other_office, session_id).await,
        Err(BallotError::NotYours)
    ));
    ballot::open(&desk, &office, session_id).await.unwrap();
    assert!(matches!(
        ballot::open(&desk, &office, session_id).await,
        Err(BallotError::AlreadyOpen)
    ));
    assert!(matches!(
        ballot::record_attendance(&desk, &office, session_id, &members[..20]).await,
        Err(BallotError::AlreadyOpen)
    ));

    // The votes, in a known order. Applicant 1: 12 同意 and 5 不同意 of 17 (12 ≥ 11.33: passes).
    // Applicant 2: 11 同意 and 6 不同意 (11 < 11.33: does not). Applicant 3: 11 同意, 5 弃权, 1
    // 不同意: abstentions are in the base, so it does not pass. Applicant 4: 12 同意, the other
    // five attending cast nothing: they count in the base, it passes. Applicant 0: every one of
    // the 14 attending and not recused agrees, but without a quorum it is not decided.
    let mut cast_order: Vec<(i64, &str)> = Vec::new();
    let plan: [(usize, &[(Choice, usize)]); 5] = [
        (0, &[(Choice::Agree, 14)]),
        (1, &[(Choice::Agree, 12), (Choice::Disagree, 5)]),
        (2, &[(Choice::Agree, 11), (Choice::Disagree, 6)]),
        (
            3,
            &[
                (Choice::Agree, 11),
                (Choice::Abstain, 5),
                (Choice::Disagree, 1),
            ],
        ),
        (4, &[(Choice::Agree, 12)]),
    ];
    for (applicant_index, choices) in plan {
        let dossier_id = ids[applicant_index];
        // Applicant 0's voters are the 14 attending members not recused (members 3–16).
        let mut voters = if applicant_index == 0 {
            members[3..17].to_vec()
        } else {
            members[..17].to_vec()
        }
        .into_iter();
        for (choice, n) in choices {
            for _ in 0..*n {
                let expert = account(voters.next().unwrap());
                ballot::cast(&desk, &expert, session_id, dossier_id, *choice)
                    .await
                    .unwrap();
                cast_order.push((dossier_id, choice.code()));
            }
        }
    }
    // No second vote, no change; no proxy: a recused member, a reserve, an absent member, an
    // expert not drawn and the office have no ballot here.
    let first_voter = account(members[0]);
    for choice in Choice::ALL {
        assert!(matches!(
            ballot::cast(&desk, &first_voter, session_id, ids[1], choice).await,
            Err(BallotError::AlreadyVoted)
        ));
    }
    assert!(matches!(
        ballot::cast(&desk, &first_voter, session_id, ids[0], Choice::Agree).await,
        Err(BallotError::NotYours)
    ));
    assert!(matches!(
        ballot::cast(&desk, &reserve, session_id, ids[1], Choice::Agree).await,
        Err(BallotError::NotYours)
    ));
    let absent = account(members[20]);
    assert!(matches!(
        ballot::cast(&desk, &absent, session_id, ids[1], Choice::Agree).await,
        Err(BallotError::NotAttending)
    ));
    let not_drawn = pool
        .iter()
        .find(|(_, e)| !members.contains(&e.id) && !drawn.reserves.contains(&e.id))
        .map(|(w, _)| w.clone())
        .unwrap();
    assert!(matches!(
        ballot::cast(&desk, &not_drawn, session_id, ids[1], Choice::Agree).await,
        Err(BallotError::NotYours)
    ));
    assert!(matches!(
        ballot::cast(&desk, &office, session_id, ids[1], Choice::Agree).await,
        Err(BallotError::NotYours)
    ));
    assert_eq!(
        ballot::turn(
            &db,
            &sessions::seat(&db, &first_voter, session_id, ids[1])
                .await
                .unwrap()
                .unwrap()
        )
        .await
        .unwrap(),
        Turn::Voted
    );

    // Before the close nothing holds a tally anyone could read: no ballot and no result rows,
    // the boxes' counts sealed, the audit naming who voted on whom but never how, and the chair
    // has nothing to sign.
    assert!(ballot_row::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .is_empty());
    let standing = ballot::standing(&desk, &office, session_id).await.unwrap();
    assert!(standing.results.is_empty());
    assert_eq!(standing.phase, Phase::Open);
    for urn in store::ballots::urns(&db, session_id).await.unwrap() {
        // Sealed: the key's name, a nonce and ciphertext, nothing of the counts in clear.
        assert!(urn.sealed.starts_with("pii1:"), "{}", urn.sealed);
        assert!(!urn.sealed.contains("agree"));
    }
    let casts = audit_entry::Entity::find().all(&db).await.unwrap();
    for entry in casts.iter().filter(|e| e.action == "ballot.cast") {
        for word in ["agree", "disagree", "abstain", "choice"] {
            assert!(!entry.detail.contains(word), "{}", entry.detail);
        }
    }
    assert!(matches!(
        ballot::result_for_chair(&db, &chair, session_id).await,
        Err(BallotError::NotClosed)
    ));
    assert!(matches!(
        casework::record::for_reader(&db, &office, session_id).await,
        Err(BallotError::NotClosed)
    ));

    // The close: by this office, once; no late vote after it.
    assert!(matches!(
        ballot::close(&desk, &other_office, session_id).await,
        Err(BallotError::NotYours)
    ));
    let results = ballot::close(&desk, &office, session_id).await.unwrap();
    assert!(matches!(
        ballot::close(&desk, &office, session_id).await,
        Err(BallotError::Closed)
    ));
    let late = account(members[16]);
    assert!(matches!(
        ballot::cast(&desk, &late, session_id, ids[4], Choice::Agree).await,
        Err(BallotError::Closed)
    ));
    let outcome = |i: usize| {
        let r = results.iter().find(|r| r.dossier_id == ids[i]).unwrap();
        (
            r.agree,
            r.disagree,
            r.abstain,
            r.base,
            r.pass_needed,
            r.outcome.as_str(),
        )
    };
    assert_eq!(outcome(0), (14, 0, 0, 14, 10, "no_quorum"));
    assert_eq!(outcome(1), (12, 5, 0, 17, 12, "passed"));
    assert_eq!(outcome(2), (11, 6, 0, 17, 12, "not_passed"));
    assert_eq!(outcome(3), (11, 1, 5, 17, 12, "not_passed"));
    assert_eq!(outcome(4), (12, 0, 0, 17, 12, "passed"));

    // Unlinkable: a ballot holds the session, the applicant, the choice and its place in the
    // shuffle (no account, no time); who voted is a table of its own with no time either.
    assert_eq!(
        columns(&db, "ballot").await,
        ["choice", "dossier_id", "session_id", "slot"]
            .map(String::from)
            .into()
    );
    assert_eq!(
        columns(&db, "ballot_voter").await,
        ["dossier_id", "expert_id", "session_id"]
            .map(String::from)
            .into()
    );
    let stored = store::ballots::ballots(&db, session_id).await.unwrap();
    assert_eq!(stored.len(), cast_order.len());
    let stored_order: Vec<(i64, &str)> = stored
        .iter()
        .map(|b| (b.dossier_id, b.choice.as_str()))
        .collect();
    assert_ne!(
        stored_order, cast_order,
        "the stored order must not be the casting order"
    );
    let mut sorted_stored = stored_order.clone();
    let mut sorted_cast = cast_order.clone();
    sorted_stored.sort();
    sorted_cast.sort();
    assert_eq!(sorted_stored, sorted_cast, "every ballot, as cast");
    assert!(store::ballots::urns(&db, session_id)
        .await
        .unwrap()
        .is_empty());

    // The chair signs: a member who is no chair cannot; the result's hash goes on the session
    // and into the audit chain; each applicant moves on.
    let not_chair = members
        .iter()
        .map(|m| account(*m))
        .find(|w| w.account_id != chair.account_id)
        .unwrap();
    assert!(matches!(
        ballot::seal(&desk, &not_chair, session_id).await,
        Err(BallotError::NotYours)
    ));
    let to_sign = ballot::awaiting_signature(&db, &chair).await.unwrap();
    assert_eq!(
        to_sign.iter().map(|s| s.id).collect::<Vec<_>>(),
        [session_id]
    );
    let hash = ballot::seal(&desk, &chair, session_id).await.unwrap();
    assert_eq!(hash.len(), 64);
    assert!(matches!(
        ballot::seal(&desk, &chair, session_id).await,
        Err(BallotError::AlreadySealed)
    ));
    assert!(ballot::awaiting_signature(&db, &chair)
        .await
        .unwrap()
        .is_empty());
    let session = store::sessions::session(&db, session_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(session.sealed_hash.as_deref(), Some(hash.as_str()));
    assert_eq!(
        ballot::result_hash(
            &session,
            &store::ballots::results(&db, session_id).await.unwrap()
        ),
        hash
    );
    let entries = audit_entry::Entity::find().all(&db).await.unwrap();
    assert!(entries
        .iter()
        .any(|e| e.action == "ballot.seal" && e.detail.contains(&hash)));
    // The meeting record, archived at the signature, for the office and the region's
    // administrator only: who attended, each applicant's recusals and count.
    let admin = who(
        &db,
        "admin53",
        Some(store::accounts::Grant {
            role: "provincial_admin".into(),
            scope_region: Some("53".into()),
            ..Default::default()
        }),
    )
    .await;
    let elsewhere = who(
        &db,
        "admin37",
        Some(store::accounts::Grant {
            role: "provincial_admin".into(),
            scope_region: Some("37".into()),
            ..Default::default()
        }),
    )
    .await;
    let (_, record, archived) = casework::record::for_reader(&db, &office, session_id)
        .await
        .unwrap();
    assert!(archived);
    assert_eq!(record.members.len(), 25);
    assert_eq!(record.members.iter().filter(|m| m.attended).count(), 17);
    let zero = record
        .applicants
        .iter()
        .find(|a| a.dossier_id == ids[0])
        .unwrap();
    assert_eq!(
        (zero.recused.len(), zero.outcome.as_str()),
        (3, "no_quorum")
    );
    let (_, seen_by_admin, _) = casework::record::for_reader(&db, &admin, session_id)
        .await
        .unwrap();
    assert_eq!(seen_by_admin, record);
    for stranger in [&chair, &elsewhere, &other_office, &applicant] {
        assert!(matches!(
            casework::record::for_reader(&db, stranger, session_id).await,
            Err(BallotError::NotYours)
        ));
    }
    let state = |i: usize| {
        let db = db.clone();
        let id = ids[i];
        async move { store::dossiers::get(&db, id).await.unwrap().unwrap().state }
    };
    assert_eq!(state(0).await, "accepted_for_review");
    assert_eq!(state(1).await, "passed");
    assert_eq!(state(2).await, "not_passed");
    assert_eq!(state(3).await, "not_passed");
    assert_eq!(state(4).await, "passed");
    for (i, action) in [
        (0, "dossier.requeue"),
        (1, "dossier.pass"),
        (2, "dossier.fail"),
    ] {
        assert!(
            entries
                .iter()
                .any(|e| e.action == action && e.subject_id == ids[i].to_string()),
            "{action}"
        );
    }
    // The undecided applicant waits for a later session and may join one.
    assert!(store::sessions::session_of_dossier(&db, ids[0])
        .await
        .unwrap()
        .is_none());
    assert!(store::sessions::waiting(&db, COMMITTEE)
        .await
        .unwrap()
        .iter()
        .any(|d| d.id == ids[0]));
    assert!(matches!(
        store::audit::verify(&db).await.unwrap(),
        store::audit::Verification::Intact { .. }
    ));
}

#[tokio::test]
async fn the_secret_ballot_on_sqlite() {
    ballot(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_secret_ballot_on_postgres() {
    ballot(Backend::Postgres).await;
}

/// Votes cast while the office closes the ballot: every vote recorded as cast is counted, and
/// every vote counted was recorded (no ballot lost between a box read and a vote's commit).
async fn close_while_voting(backend: Backend) {
    let Some(env) = common::Env::new(backend).await else {
        return;
    };
    let env = std::sync::Arc::new(env);
    let db = env.db.clone();
    for u in ["org-a", "org-x"] {
        org(&db, u, "employer").await;
    }
    common::committee(&db).await;
    let office = who(&db, "office", office_of(COMMITTEE)).await;
    let pool = common::pool(&db, 30).await;
    let applicant = who(&db, "worker", None).await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(accepted_dossier(&db, &applicant, "org-a").await);
    }
    let (sid, drawn) = common::drawn_session(&env.desk(), &office, &ids).await;
    ballot::record_attendance(&env.desk(), &office, sid, &drawn.members)
        .await
        .unwrap();
    ballot::open(&env.desk(), &office, sid).await.unwrap();
    // A vote half-way on applicant 1: its box taken and rewritten, not yet committed, when the
    // office closes. The close waits for it and counts it.
    use sea_orm::TransactionTrait;
    let half_way = db.begin().await.unwrap();
    let sealed = store::ballots::take_urn(&half_way, sid, ids[1])
        .await
        .unwrap()
        .unwrap();
    store::ballots::insert_voter(&half_way, sid, ids[1], drawn.members[0])
        .await
        .unwrap();
    let keys = store::pii::keys();
    let mut counts: ballot::Counts = serde_json::from_str(&keys.open(&sealed).unwrap()).unwrap();
    counts.add(Choice::Agree);
    let resealed = keys.seal(&serde_json::to_string(&counts).unwrap());
    store::ballots::put_urn(&half_way, sid, ids[1], resealed)
        .await
        .unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for member in drawn.members.clone() {
        let expert = pool.iter().find(|(_, e)| e.id == member).unwrap().0.clone();
        let (env, dossier) = (env.clone(), ids[0]);
        tasks.spawn(async move {
            ballot::cast(&env.desk(), &expert, sid, dossier, Choice::Agree).await
        });
    }
    let closer = {
        let (env, office) = (env.clone(), office.clone());
        tokio::spawn(async move {
            tokio::task::yield_now().await;
            ballot::close(&env.desk(), &office, sid).await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    half_way.commit().await.unwrap();
    let mut cast = 0;
    while let Some(outcome) = tasks.join_next().await {
        match outcome.unwrap() {
            Ok(()) => cast += 1,
            Err(BallotError::Closed) => {}
            Err(e) => panic!("a vote failed otherwise: {e:?}"),
        }
    }
    let results = closer.await.unwrap().unwrap();
    let counted = results
        .iter()
        .find(|r| r.dossier_id == ids[0])
        .unwrap()
        .agree;
    let voters = store::ballots::voters(&db, sid)
        .await
        .unwrap()
        .iter()
        .filter(|(d, _)| *d == ids[0])
        .count();
    assert_eq!(
        counted as usize, cast,
        "every vote answered as cast is counted"
    );
    assert_eq!(voters, cast, "and recorded as cast once");
    let waited = results.iter().find(|r| r.dossier_id == ids[1]).unwrap();
    assert_eq!(
        waited.agree, 1,
        "the vote committing during the close is counted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn votes_cast_during_the_close_on_sqlite() {
    close_while_voting(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn votes_cast_during_the_close_on_postgres() {
    close_while_voting(Backend::Postgres).await;
}
