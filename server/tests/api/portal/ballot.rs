//! The secret ballot over HTTP on SQLite and PostgreSQL, on the demo's drawn session: the office
//! is told why the ballot cannot open without a quorum, records attendance and opens it; the
//! demo expert votes once (a missing choice and a second ballot come back named); nothing of a
//! count shows to anyone on any page before the close; the office closes it (after the tick); a
//! late vote is refused; the chair signs the count from the workspace; the dossier's state and
//! timeline follow.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use store::entities::{
    account, expert, group_member, review_group, review_session, session_dossier,
};
use store::testing::Backend;

use super::{get, location, login, post_form, Session, DEMO_PASSWORD};
use crate::helpers::spawn_app;
use crate::on_both_backends;

/// What only a count shows: the results table, an outcome, its column head.
fn shows_a_count(html: &str) -> bool {
    html.contains("id=\"results\"")
        || html.contains("data-outcome")
        || html.contains("通过所需同意票")
        || html.contains("Agreeing votes needed")
}

async fn secret_ballot(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    server::ops::seed_demo(&app.db_url, 600, false)
        .await
        .unwrap();
    let db = store::connect(&app.db_url).await.unwrap();
    let session = review_session::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let sid = session.id;
    let dossiers: Vec<i64> = session_dossier::Entity::find()
        .filter(session_dossier::Column::SessionId.eq(sid))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.dossier_id)
        .collect();
    let groups: Vec<i64> = review_group::Entity::find()
        .filter(review_group::Column::SessionId.eq(sid))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|g| g.id)
        .collect();
    let members: Vec<expert::Model> = {
        let ids: Vec<i64> = group_member::Entity::find()
            .filter(group_member::Column::GroupId.is_in(groups))
            .filter(group_member::Column::Reserve.eq(false))
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.expert_id)
            .collect();
        expert::Entity::find()
            .filter(expert::Column::Id.is_in(ids))
            .all(&db)
            .await
            .unwrap()
    };
    assert_eq!(members.len(), 25, "the demo's one group of 25");
    let office = login(&app, "office", DEMO_PASSWORD).await;
    let page = format!("/sessions/{sid}");
    let html = get(&app, &page, Some(&office)).await.text().await.unwrap();
    assert!(html.contains("出席登记") && html.contains("尚未开始投票"));

    // Nobody recorded: the ballot cannot open, and the page says by how much.
    let r = post_form(&app, &format!("{page}/ballot/open"), Some(&office), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("未达到法定人数，不能开始投票") && html.contains("至少需要17人"),
        "the quorum's figures"
    );
    // Everyone attends; the ballot opens.
    let ids: Vec<String> = members.iter().map(|m| m.id.to_string()).collect();
    let form: Vec<(&str, &str)> = ids.iter().map(|id| ("attending", id.as_str())).collect();
    let r = post_form(
        &app,
        &format!("{page}/ballot/attendance"),
        Some(&office),
        &form,
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("notice=attendance_saved"));
    let r = post_form(&app, &format!("{page}/ballot/open"), Some(&office), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = get(&app, &page, Some(&office)).await.text().await.unwrap();
    assert!(html.contains("正在投票") && html.contains("已投0票，应投25票"));

    // The demo expert votes on the first dossier: a missing choice is named, then one ballot,
    // and no second.
    let expert = login(&app, "expert", DEMO_PASSWORD).await;
    let first = format!("/expert/sessions/{sid}/dossiers/{}", dossiers[0]);
    let html = get(&app, &first, Some(&expert)).await.text().await.unwrap();
    assert!(html.contains("name=\"choice\""), "the ballot form");
    let r = post_form(&app, &format!("{first}/ballot"), Some(&expert), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("请选择同意、不同意或弃权"));
    let r = post_form(
        &app,
        &format!("{first}/ballot"),
        Some(&expert),
        &[("choice", "agree"), ("expert", "1")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("notice=vote_cast"));
    let html = get(&app, &first, Some(&expert)).await.text().await.unwrap();
    assert!(html.contains("您已对这位申报人投票") && !html.contains("name=\"choice\""));
    let r = post_form(
        &app,
        &format!("{first}/ballot"),
        Some(&expert),
        &[("choice", "disagree")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("选票不能更改"));

    // Sixteen more agree on the first dossier (17 of 25 pass), cast as each expert themselves.
    let book = casework::rulebook::RuleBook::new(
        rules::Registry::builtin().unwrap(),
        casework::clock::Clock::default(),
    );
    let dir = std::env::temp_dir();
    let desk = casework::commands::Desk {
        db: &db,
        upload_dir: &dir,
        book: &book,
        dossiers_per_account: 20,
    };
    let demo_expert = account::Entity::find()
        .filter(account::Column::Username.eq("expert"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let recused: Vec<i64> = store::sessions::recusals(&db, sid)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.dossier_id == dossiers[0] && r.status == "in_force")
        .map(|r| r.expert_id)
        .collect();
    let others = members
        .iter()
        .filter(|m| m.account_id != demo_expert.id && !recused.contains(&m.id))
        .take(16);
    for m in others {
        let who = casework::dossier::Who {
            account_id: m.account_id,
            grants: Vec::new(),
            label: format!("account:{}", m.account_id),
        };
        casework::ballot::cast(
            &desk,
            &who,
            sid,
            dossiers[0],
            casework::ballot::Choice::Agree,
        )
        .await
        .unwrap();
    }

    // Before the close, nobody sees a count anywhere: every role on every page that could show
    // one, and the chair's page does not exist yet.
    let mut everyone: Vec<(&str, Option<Session>)> = vec![("anonymous", None)];
    for user in [
        "applicant",
        "hr",
        "office",
        "expert",
        "admin",
        "industry",
        "pool01",
    ] {
        everyone.push((user, Some(login(&app, user, DEMO_PASSWORD).await)));
    }
    let routes = [
        page.clone(),
        "/sessions".into(),
        "/expert".into(),
        first.clone(),
        format!("/expert/sessions/{sid}/result"),
        format!("/sessions/{sid}/record"),
        format!("/dossiers/{}", dossiers[0]),
        "/dossiers".into(),
        "/review".into(),
        "/review.csv".into(),
        "/admin/committees".into(),
        format!("/api/v1/dossiers/{}", dossiers[0]),
    ];
    for (user, session) in &everyone {
        for route in &routes {
            let r = get(&app, route, session.as_ref()).await;
            let status = r.status();
            let html = r.text().await.unwrap_or_default();
            assert!(
                !shows_a_count(&html),
                "{user} GET {route} ({status}) shows a count"
            );
            if route.ends_with("/result") || route.ends_with("/record") {
                assert_ne!(
                    status,
                    StatusCode::OK,
                    "{user}: no count to sign before the close"
                );
            }
        }
    }

    // The close asks for the tick; then no late vote.
    let r = post_form(&app, &format!("{page}/ballot/close"), Some(&office), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("请勾选确认后再结束投票"));
    let r = post_form(
        &app,
        &format!("{page}/ballot/close"),
        Some(&office),
        &[("confirm", "yes")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let second = format!("/expert/sessions/{sid}/dossiers/{}", dossiers[1]);
    let r = post_form(
        &app,
        &format!("{second}/ballot"),
        Some(&expert),
        &[("choice", "agree")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("投票已结束，不能再投票"));
    let html = get(&app, &page, Some(&office)).await.text().await.unwrap();
    assert!(
        shows_a_count(&html),
        "the office sees the count after the close"
    );
    assert!(html.contains(&format!(
        "data-dossier=\"{}\" data-outcome=\"passed\"",
        dossiers[0]
    )));

    // The chair (pool01) signs from the workspace; the demo expert, a member, cannot.
    let chair = everyone
        .iter()
        .find(|(u, _)| *u == "pool01")
        .unwrap()
        .1
        .clone();
    let html = get(&app, "/expert", chair.as_ref())
        .await
        .text()
        .await
        .unwrap();
    let result = format!("/expert/sessions/{sid}/result");
    assert!(html.contains("待签字确认的计票结果") && html.contains(&result));
    assert_eq!(
        get(&app, &result, Some(&expert)).await.status(),
        StatusCode::NOT_FOUND
    );
    let r = post_form(&app, &result, chair.as_ref(), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("请勾选确认后再签字"));
    let r = post_form(&app, &result, chair.as_ref(), &[("confirm", "yes")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = get(&app, &result, chair.as_ref())
        .await
        .text()
        .await
        .unwrap();
    let hash = review_session::Entity::find_by_id(sid)
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .sealed_hash
        .unwrap();
    assert!(html.contains("签字确认。结果哈希") && html.contains(&hash));
    let r = post_form(&app, &result, chair.as_ref(), &[("confirm", "yes")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The meeting record, archived: the office and the administrator read it (it names the
    // experts); the chair, an expert and the employer's HR get the 404.
    let record = format!("/sessions/{sid}/record");
    let html = get(&app, &record, Some(&office))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("会议记录") && html.contains("已于主任委员签字确认时存档"));
    assert!(html.contains("示例评审专家") && html.contains(&hash));
    let admin = everyone
        .iter()
        .find(|(u, _)| *u == "admin")
        .unwrap()
        .1
        .clone();
    assert_eq!(
        get(&app, &record, admin.as_ref()).await.status(),
        StatusCode::OK
    );
    for user in ["pool01", "expert", "hr", "applicant"] {
        let s = everyone.iter().find(|(u, _)| *u == user).unwrap().1.clone();
        assert_eq!(
            get(&app, &record, s.as_ref()).await.status(),
            StatusCode::NOT_FOUND,
            "{user}"
        );
    }

    // The dossier passed; the administrator's view of it says so, with the step in its history.
    let html = get(&app, &format!("/dossiers/{}", dossiers[0]), admin.as_ref())
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("评审通过"), "the state");
    assert!(html.contains("主任委员签字确认"), "the timeline");
    assert_eq!(
        store::dossiers::get(&db, dossiers[1])
            .await
            .unwrap()
            .unwrap()
            .state,
        "not_passed"
    );

    // The result's publicity: the office starts it; anyone reads the list (a name, a unit, a
    // title; never an ID number) and may object, each missing field named.
    let r = post_form(
        &app,
        &format!("{page}/results/publicity"),
        Some(&office),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let passed = store::dossiers::get(&db, dossiers[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(passed.state, "result_publicity");
    let html = get(&app, "/publicity", None).await.text().await.unwrap();
    assert!(html.contains(&passed.full_name) && html.contains("公示至"));
    assert!(
        !html.contains(&passed.id_number),
        "no ID number in publicity"
    );
    let objection = format!("/publicity/{}", dossiers[0]);
    let r = post_form(&app, &objection, None, &[("reason", " "), ("contact", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("请填写异议理由") && html.contains("请填写联系方式"));
    let r = post_form(
        &app,
        &objection,
        None,
        &[
            ("reason", "业绩材料与实际不符"),
            ("contact", "李先生 13800000000"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("notice=objection_lodged"));
    assert_eq!(
        get(&app, &format!("/publicity/{}", dossiers[1]), None)
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "a result not in publicity takes no objection"
    );
    // The office sees it with the contact and records its outcome.
    let html = get(&app, &page, Some(&office)).await.text().await.unwrap();
    assert!(html.contains("业绩材料与实际不符") && html.contains("李先生 13800000000"));
    let oid = store::objections::of_session(&db, sid).await.unwrap()[0].id;
    let decide = format!("{page}/objections/{oid}");
    let r = post_form(&app, &decide, Some(&office), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("请填写核查情况") && html.contains("请选择处理结果"));
    let finding = format!("finding-{oid}");
    let outcome = format!("outcome-{oid}");
    let r = post_form(
        &app,
        &decide,
        Some(&office),
        &[
            (finding.as_str(), "经核查材料属实"),
            (outcome.as_str(), "dismissed"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The administrator: before the period ends the result waits, and the page says until when;
    // after it, the result is confirmed and leaves the public list.
    let confirm = format!("/admin/results/{sid}/confirm");
    let html = get(&app, "/admin/results", admin.as_ref())
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&confirm));
    let r = post_form(&app, &confirm, admin.as_ref(), &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("公示至"));
    super::clock(&app, &[("days", "20")]).await;
    let r = post_form(&app, &confirm, admin.as_ref(), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        store::dossiers::get(&db, dossiers[0])
            .await
            .unwrap()
            .unwrap()
            .state,
        "certified"
    );
    let html = get(&app, "/publicity", None).await.text().await.unwrap();
    assert!(!html.contains(&passed.full_name));
    let html = get(&app, &format!("/dossiers/{}", dossiers[0]), admin.as_ref())
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("已取得电子职称证书") && html.contains("省级人社部门确认评审结果"));
    assert!(html.contains("id=\"certificate-link\""));
    // The certificate: printable with its QR code for whoever may read the dossier; its code
    // verifies on the public page (in either case), an unknown one says so with a 404.
    let issued = store::certificates::of_dossier(&db, dossiers[0])
        .await
        .unwrap()
        .unwrap();
    let printable = format!("/dossiers/{}/certificate", dossiers[0]);
    let html = get(&app, &printable, admin.as_ref())
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("<svg") && html.contains(&issued.code) && html.contains(&issued.number));
    let industry = everyone
        .iter()
        .find(|(u, _)| *u == "industry")
        .unwrap()
        .1
        .clone();
    assert_eq!(
        get(&app, &printable, industry.as_ref()).await.status(),
        StatusCode::NOT_FOUND
    );
    let r = get(
        &app,
        &format!("/certificates/{}", issued.code.to_lowercase()),
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("有效：本证书真实有效") && html.contains(&passed.full_name));
    assert!(!html.contains(&passed.id_number));
    let r = get(&app, "/certificates/NOSUCHCODE22", None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("未找到：没有与该核验码对应的证书"));
    // Another role has no confirmation page.
    assert_eq!(
        get(&app, "/admin/results", Some(&office)).await.status(),
        StatusCode::FORBIDDEN
    );

    // The applicant of the result that did not pass asks for a review (复查) from the dossier's
    // page; a missing reason is named; the office upholds it and the dossier waits for a new vote.
    let owner_id = store::dossiers::get(&db, dossiers[1])
        .await
        .unwrap()
        .unwrap()
        .owner_id;
    let owner_name = account::Entity::find_by_id(owner_id)
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .username;
    let owner = login(&app, &owner_name, DEMO_PASSWORD).await;
    let appeal_page = format!("/dossiers/{}", dossiers[1]);
    let html = get(&app, &appeal_page, Some(&owner))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"appeal\"") && html.contains("申请复查"));
    let appeal = format!("{appeal_page}/appeal");
    let r = post_form(&app, &appeal, Some(&owner), &[("appeal_reason", " ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("请填写复查理由"));
    let r = post_form(
        &app,
        &appeal,
        Some(&owner),
        &[("appeal_reason", "专家未看到我的技术革新成果")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = post_form(
        &app,
        &appeal,
        Some(&office),
        &[("appeal_reason", "代为申请")],
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "only the applicant appeals"
    );
    let html = get(&app, &page, Some(&office)).await.text().await.unwrap();
    assert!(html.contains("专家未看到我的技术革新成果"));
    let decide = format!("{page}/appeals/{}", dossiers[1]);
    let r = post_form(&app, &decide, Some(&office), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let finding = format!("appeal-finding-{}", dossiers[1]);
    let uphold = format!("appeal-uphold-{}", dossiers[1]);
    let r = post_form(
        &app,
        &decide,
        Some(&office),
        &[
            (finding.as_str(), "成果材料未送审，重新评审"),
            (uphold.as_str(), "yes"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        store::dossiers::get(&db, dossiers[1])
            .await
            .unwrap()
            .unwrap()
            .state,
        "accepted_for_review"
    );

    // Revocation for fraud. The administrator finds the certificate in the region's list (and
    // by its number), is told each missing part, then revokes it; its public page, the printable
    // certificate, the dossier, the self-check and a new submission of a title all show the bar.
    let html = get(&app, "/admin/certificates", admin.as_ref())
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&issued.number) && html.contains("有效"));
    let search = format!("/admin/certificates?q={}", &issued.number[6..]);
    let html = get(&app, &search, admin.as_ref())
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&issued.number));
    let html = get(&app, "/admin/certificates?q=nosuch", admin.as_ref())
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"certificates-none\""));
    assert_eq!(
        get(&app, "/admin/certificates", Some(&office))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let one = format!("/admin/certificates/{}", issued.id);
    let html = get(&app, &one, admin.as_ref()).await.text().await.unwrap();
    assert!(html.contains("撤销证书") && html.contains("3年内不得申报职称评审"));
    let revoke = format!("{one}/revoke");
    let r = post_form(&app, &revoke, admin.as_ref(), &[("reason", " ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("请填写撤销理由") && html.contains("请勾选确认后再撤销"));
    let r = post_form(
        &app,
        &revoke,
        admin.as_ref(),
        &[("reason", "业绩证明系伪造")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("业绩证明系伪造"), "the typed reason is kept");
    assert_eq!(
        store::certificates::by_id(&db, issued.id)
            .await
            .unwrap()
            .unwrap()
            .status,
        "valid",
        "nothing revoked without the tick"
    );
    let r = post_form(
        &app,
        &revoke,
        admin.as_ref(),
        &[("reason", "业绩证明系伪造"), ("confirm", "yes")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).contains("notice=certificate_revoked"));
    let revoked = store::certificates::by_id(&db, issued.id)
        .await
        .unwrap()
        .unwrap();
    let revoked_on = revoked.revoked_on.expect("revoked on a day");
    let until = revoked_on
        .checked_add_months(chrono::Months::new(36))
        .unwrap()
        .to_string();
    let html = get(&app, &one, admin.as_ref()).await.text().await.unwrap();
    assert!(html.contains("id=\"revocation\"") && html.contains(&until));
    assert!(
        !html.contains("action=\"/admin/certificates"),
        "no second revocation form"
    );
    let r = post_form(
        &app,
        &revoke,
        admin.as_ref(),
        &[("reason", "再次"), ("confirm", "yes")],
    )
    .await;
    assert!(location(&r).contains("notice=not_allowed"));
    let html = get(&app, &format!("/certificates/{}", issued.code), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("已撤销：本证书于{revoked_on}被撤销")));
    let holder_id = store::dossiers::get(&db, dossiers[0])
        .await
        .unwrap()
        .unwrap()
        .owner_id;
    let holder_name = account::Entity::find_by_id(holder_id)
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .username;
    let holder = login(&app, &holder_name, DEMO_PASSWORD).await;
    let html = get(&app, &printable, Some(&holder))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"certificate-revoked\""));
    let html = get(&app, &format!("/dossiers/{}", dossiers[0]), Some(&holder))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-state=\"revoked\"") && html.contains("id=\"bar-notice\""));
    assert!(html.contains(&until) && html.contains("业绩证明系伪造"));
    assert!(
        html.contains("撤销电子职称证书（弄虚作假）"),
        "the step on the timeline"
    );
    for page in ["/check", "/apply"] {
        let html = get(&app, page, Some(&holder)).await.text().await.unwrap();
        assert!(
            html.contains("id=\"bar-notice\"") && html.contains(&until),
            "{page} tells the bar"
        );
        let html = get(&app, page, Some(&owner)).await.text().await.unwrap();
        assert!(
            !html.contains("id=\"bar-notice\""),
            "{page}: nobody else is barred"
        );
    }
    let draft = super::complete_draft(&app, &holder, &passed.full_name).await;
    let r = super::submit(&app, &holder, draft, &passed.full_name).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(&format!("{until}前不得申报职称评审")),
        "the submission names the bar and its end"
    );
    assert_eq!(super::state_of(&app, draft).await, "draft");
}
on_both_backends!(the_secret_ballot_over_http, secret_ballot);
