//! After the signature, on SQLite and PostgreSQL: the passed results publicised for five working
//! days on the holiday calendar (counted from the day after), listed publicly without ID
//! numbers; objections lodged during the period only, with a reason and a contact (sealed); one
//! dismissed, one upheld that holds a result until it is reinstated, one upheld that revokes a
//! result; the administrator's confirmation refused before the period ends and for a result with
//! an objection open, then given; another region's administrator has no part.

mod common;

use casework::ballot::{self, Choice};
use casework::results::{self, Objecting, Outcome, ResultsError, Waiting};
use common::{accepted_dossier, d, office_of, org, who, COMMITTEE};
use sea_orm::EntityTrait;
use store::entities::objection;
use store::testing::Backend;

async fn after_the_ballot(backend: Backend) {
    let Some(env) = common::Env::new(backend).await else {
        return;
    };
    let (db, desk) = (env.db.clone(), env.desk());
    for u in ["org-a", "org-x"] {
        org(&db, u, "employer").await;
    }
    common::committee(&db).await;
    let office = who(&db, "office", office_of(COMMITTEE)).await;
    let admin_of = |region: &str| {
        Some(store::accounts::Grant {
            role: "provincial_admin".into(),
            scope_region: Some(region.into()),
            ..Default::default()
        })
    };
    let admin = who(&db, "admin53", admin_of("53")).await;
    let elsewhere = who(&db, "admin37", admin_of("37")).await;
    let pool = common::pool(&db, 30).await;
    let applicant = who(&db, "worker", None).await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(accepted_dossier(&db, &applicant, "org-a").await);
    }
    let (sid, drawn) = common::drawn_session(&desk, &office, &ids).await;
    ballot::record_attendance(&desk, &office, sid, &drawn.members)
        .await
        .unwrap();
    ballot::open(&desk, &office, sid).await.unwrap();
    // Applicants 0–3 pass unanimously; applicant 4 gets no vote and does not.
    for member in &drawn.members {
        let expert = &pool.iter().find(|(_, e)| e.id == *member).unwrap().0;
        for id in &ids[..4] {
            ballot::cast(&desk, expert, sid, *id, Choice::Agree)
                .await
                .unwrap();
        }
    }
    // Nothing to publicise before the signature.
    ballot::close(&desk, &office, sid).await.unwrap();
    assert!(matches!(
        results::start_publicity(&desk, &office, sid).await,
        Err(ResultsError::NotSealed)
    ));
    ballot::seal(&desk, &pool[0].0, sid).await.unwrap();
    assert!(matches!(
        results::start_publicity(&desk, &admin, sid).await,
        Err(ResultsError::NotYours)
    ));

    // Tue 1 Dec 2026: five working days from Wed 2 Dec end on Tue 8 Dec.
    assert_eq!(
        results::start_publicity(&desk, &office, sid).await.unwrap(),
        4
    );
    let listed = results::publicised(&db, d("2026-12-01")).await.unwrap();
    assert_eq!(
        listed.iter().map(|p| p.dossier_id).collect::<Vec<_>>(),
        ids[..4]
    );
    assert!(listed.iter().all(|p| p.ends_on == d("2026-12-08")));
    assert_eq!(listed[0].name, "王师傅");
    assert_eq!(
        store::dossiers::get(&db, ids[4])
            .await
            .unwrap()
            .unwrap()
            .state,
        "not_passed"
    );

    // Objections: a reason and a contact are needed; a result not in publicity takes none.
    let objecting = |reason: &str, contact: &str| Objecting {
        reason: reason.into(),
        contact: contact.into(),
    };
    assert!(matches!(
        results::lodge(&desk, ids[0], objecting(" ", "13800000000")).await,
        Err(ResultsError::ReasonMissing)
    ));
    assert!(matches!(
        results::lodge(&desk, ids[0], objecting("业绩造假", "")).await,
        Err(ResultsError::ContactMissing)
    ));
    assert!(matches!(
        results::lodge(&desk, ids[4], objecting("x", "y")).await,
        Err(ResultsError::NotYours)
    ));
    let dismissed = results::lodge(
        &desk,
        ids[0],
        objecting("论文署名有疑问", "李先生 13800000000"),
    )
    .await
    .unwrap();
    let held = results::lodge(&desk, ids[1], objecting("证书系伪造", "匿名 a@b.cn"))
        .await
        .unwrap();
    let revoked = results::lodge(&desk, ids[2], objecting("业绩材料抄袭", "王 13900000000"))
        .await
        .unwrap();
    // The contact is sealed in its row and opened for the office.
    let stored = objection::Entity::find_by_id(dismissed.id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.contact.starts_with("pii1:") && !stored.contact.contains("13800000000"));
    let seen = results::objections(&db, &office, sid).await.unwrap();
    assert_eq!(seen[0].contact, "李先生 13800000000");
    assert!(matches!(
        results::objections(&db, &admin, sid).await,
        Err(ResultsError::NotYours)
    ));

    // The office's outcomes: a finding is needed; each objection is decided once.
    assert!(matches!(
        results::decide(&desk, &office, dismissed.id, Outcome::Dismissed, " ").await,
        Err(ResultsError::FindingMissing)
    ));
    results::decide(
        &desk,
        &office,
        dismissed.id,
        Outcome::Dismissed,
        "经核查署名无误",
    )
    .await
    .unwrap();
    assert!(matches!(
        results::decide(&desk, &office, dismissed.id, Outcome::Revoked, "再议").await,
        Err(ResultsError::AlreadyDecided)
    ));
    results::decide(
        &desk,
        &office,
        held.id,
        Outcome::Suspended,
        "证书待发证机关核实",
    )
    .await
    .unwrap();
    results::decide(&desk, &office, revoked.id, Outcome::Revoked, "查实抄袭")
        .await
        .unwrap();
    let state = |i: usize| {
        let db = db.clone();
        let id = ids[i];
        async move { store::dossiers::get(&db, id).await.unwrap().unwrap().state }
    };
    assert_eq!(state(1).await, "result_suspended");
    assert_eq!(state(2).await, "not_passed");

    // A fourth objection stays open on applicant 3.
    results::lodge(&desk, ids[3], objecting("工作年限不足", "赵 13700000000"))
        .await
        .unwrap();

    // Confirmation: another region's administrator has none; before the end nothing is
    // confirmed and each result says until when.
    assert!(matches!(
        results::confirm(&desk, &elsewhere, sid).await,
        Err(ResultsError::NotYours)
    ));
    let early = results::confirm(&desk, &admin, sid).await.unwrap();
    assert!(early.confirmed.is_empty());
    assert!(early
        .waiting
        .contains(&(ids[0], Waiting::Publicity(d("2026-12-08")))));
    // The last day still takes objections; the day after, none.
    env.book.clock().set(d("2026-12-08"));
    let late = results::lodge(&desk, ids[0], objecting("补充", "钱 13600000000")).await;
    let late = late.unwrap();
    results::decide(&desk, &office, late.id, Outcome::Dismissed, "与前次相同")
        .await
        .unwrap();
    env.book.clock().set(d("2026-12-09"));
    assert!(matches!(
        results::lodge(&desk, ids[0], objecting("再补充", "孙 1")).await,
        Err(ResultsError::PeriodOver(day)) if day == d("2026-12-08")
    ));
    // The held result is reinstated: a new period from the day after (Thu 10 – Wed 16 Dec).
    results::reinstate(&desk, &office, ids[1]).await.unwrap();
    let confirmed = results::confirm(&desk, &admin, sid).await.unwrap();
    assert_eq!(confirmed.confirmed, vec![ids[0]]);
    assert!(!confirmed.filed);
    assert!(confirmed
        .waiting
        .contains(&(ids[1], Waiting::Publicity(d("2026-12-16")))));
    assert!(confirmed
        .waiting
        .contains(&(ids[3], Waiting::ObjectionOpen)));
    // Confirmed, and certified in the same transaction: a number, a code the public verifies.
    assert_eq!(state(0).await, "certified");
    let certificate = store::certificates::of_dossier(&db, ids[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(certificate.number, format!("532026{:07}", ids[0]));
    assert_eq!(certificate.code.len(), 12);
    assert_eq!(certificate.holder, "王师傅");
    assert!(matches!(
        results::verify(&db, &certificate.code.to_lowercase()).await.unwrap(),
        results::Verified::Valid(c) if c.id == certificate.id
    ));
    assert_eq!(
        results::verify(&db, "NOSUCHCODE22").await.unwrap(),
        results::Verified::Unknown
    );
    assert!(store::certificates::of_dossier(&db, ids[3])
        .await
        .unwrap()
        .is_none());
    // Revocation for fraud: only the region's administrator, with a reason; the certificate's
    // page says revoked, the dossier moves in the table, and the person is barred for three
    // years from today (9 Dec 2026: until 9 Dec 2029) — found by account and by ID number.
    use casework::revocation::{self, RevokeError};
    use sea_orm::{ActiveModelTrait, Set};
    let mut person: store::entities::dossier::ActiveModel = store::dossiers::get(&db, ids[0])
        .await
        .unwrap()
        .unwrap()
        .into();
    person.id_number_index = Set(Some("index-of-the-number".into()));
    person.update(&db).await.unwrap();
    assert!(matches!(
        revocation::revoke(&desk, &elsewhere, certificate.id, "论文抄袭").await,
        Err(RevokeError::NotYours)
    ));
    assert!(matches!(
        revocation::revoke(&desk, &office, certificate.id, "论文抄袭").await,
        Err(RevokeError::NotYours)
    ));
    assert!(matches!(
        revocation::revoke(&desk, &admin, certificate.id, "  ").await,
        Err(RevokeError::ReasonMissing)
    ));
    assert_eq!(
        revocation::bar_of_account(&db, applicant.account_id, d("2026-12-09"))
            .await
            .unwrap(),
        None
    );
    let until = revocation::revoke(&desk, &admin, certificate.id, "业绩成果系伪造")
        .await
        .unwrap();
    assert_eq!(until, d("2029-12-09"));
    assert!(matches!(
        revocation::revoke(&desk, &admin, certificate.id, "再次撤销").await,
        Err(RevokeError::AlreadyRevoked)
    ));
    assert_eq!(state(0).await, "revoked");
    assert!(matches!(
        results::verify(&db, &certificate.code).await.unwrap(),
        results::Verified::Revoked(c) if c.revoked_on == Some(d("2026-12-09"))
            && c.revoked_reason.as_deref() == Some("业绩成果系伪造")
    ));
    let bar = revocation::bar_of_account(&db, applicant.account_id, d("2029-12-08"))
        .await
        .unwrap()
        .expect("barred on the bar's last day");
    assert_eq!(
        (bar.starts_on, bar.until),
        (d("2026-12-09"), d("2029-12-09"))
    );
    assert_eq!(bar.certificate_number, certificate.number);
    assert_eq!(
        revocation::bar_of_account(&db, applicant.account_id, d("2029-12-09"))
            .await
            .unwrap(),
        None,
        "free to apply from the day the bar ends"
    );
    // Another account naming the same ID number is the same person.
    let again = who(&db, "worker-again", None).await;
    let other = accepted_dossier(&db, &again, "org-a").await;
    let mut row: store::entities::dossier::ActiveModel = store::dossiers::get(&db, other)
        .await
        .unwrap()
        .unwrap()
        .into();
    row.id_number_index = Set(Some("index-of-the-number".into()));
    let row = row.update(&db).await.unwrap();
    assert!(revocation::bar_of_dossier(&db, &row, d("2027-06-01"))
        .await
        .unwrap()
        .is_some());
    let stranger = who(&db, "someone-else", None).await;
    let theirs = accepted_dossier(&db, &stranger, "org-a").await;
    let theirs = store::dossiers::get(&db, theirs).await.unwrap().unwrap();
    assert!(revocation::bar_of_dossier(&db, &theirs, d("2027-06-01"))
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        revocation::certificates(&db, &admin, "")
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(revocation::certificates(&db, &elsewhere, "")
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        revocation::certificates(&db, &admin, &certificate.number[4..])
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(revocation::certificates(&db, &admin, "不存在")
        .await
        .unwrap()
        .is_empty());
    // Appeals (复查): the owner of a result that did not pass asks, with a reason, within 30
    // days of the signature (signed on 1 Dec: until 31 Dec); the office decides.
    use casework::appeals::{self, AppealError};
    assert_eq!(
        appeals::open_until(&desk, ids[4]).await.unwrap(),
        Some(d("2026-12-31"))
    );
    assert_eq!(appeals::open_until(&desk, ids[0]).await.unwrap(), None);
    assert!(matches!(
        appeals::appeal(&desk, &office, ids[4], "理由").await,
        Err(AppealError::NotYours)
    ));
    assert!(matches!(
        appeals::appeal(&desk, &applicant, ids[4], " ").await,
        Err(AppealError::ReasonMissing)
    ));
    appeals::appeal(&desk, &applicant, ids[4], "评审专家未审阅我的全部业绩材料")
        .await
        .unwrap();
    appeals::appeal(&desk, &applicant, ids[2], "抄袭认定有误")
        .await
        .unwrap();
    assert_eq!(state(4).await, "appealed");
    let asked = appeals::waiting(&db, &office, sid).await.unwrap();
    assert_eq!(asked.len(), 2);
    assert!(matches!(
        appeals::decide(&desk, &admin, ids[4], true, "x").await,
        Err(AppealError::NotYours)
    ));
    assert!(matches!(
        appeals::decide(&desk, &office, ids[4], true, " ").await,
        Err(AppealError::FindingMissing)
    ));
    appeals::decide(&desk, &office, ids[4], true, "业绩材料未完整送审，重新评审")
        .await
        .unwrap();
    appeals::decide(&desk, &office, ids[2], false, "抄袭属实")
        .await
        .unwrap();
    assert_eq!(state(4).await, "accepted_for_review");
    assert_eq!(state(2).await, "not_passed");
    assert!(store::sessions::session_of_dossier(&db, ids[4])
        .await
        .unwrap()
        .is_none());
    assert!(store::sessions::waiting(&db, COMMITTEE)
        .await
        .unwrap()
        .iter()
        .any(|row| row.id == ids[4]));
    // After the window, no appeal.
    env.book.clock().set(d("2027-01-01"));
    assert!(matches!(
        appeals::appeal(&desk, &applicant, ids[2], "再次申请").await,
        Err(AppealError::TooLate(day)) if day == d("2026-12-31")
    ));
    env.book.clock().set(d("2026-12-09"));

    let listed = results::publicised(&db, d("2026-12-09")).await.unwrap();
    assert_eq!(
        listed.iter().map(|p| p.dossier_id).collect::<Vec<_>>(),
        [ids[1]],
        "a period over leaves the public list"
    );
    assert!(matches!(
        store::audit::verify(&db).await.unwrap(),
        store::audit::Verification::Intact { .. }
    ));
}

#[tokio::test]
async fn result_publicity_objections_and_confirmation_on_sqlite() {
    after_the_ballot(Backend::Sqlite).await;
}

#[tokio::test]
async fn result_publicity_objections_and_confirmation_on_postgres() {
    after_the_ballot(Backend::Postgres).await;
}
