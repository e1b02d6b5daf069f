//! The committee's pages on SQLite and PostgreSQL: the office's sessions and its draw, the
//! expert's workspace and scoring, and who gets the 404 (an expert not drawn, a reserve, an
//! expert who stepped out) or the 403 (a role that has no sessions).

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use store::entities::{account, expert, group_member, review_session, session_dossier};
use store::testing::Backend;

use super::{get, location, login, post_form, DEMO_PASSWORD};
use crate::helpers::spawn_app;
use crate::on_both_backends;

async fn committee_pages(backend: Backend) {
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
    let dossiers: Vec<i64> = session_dossier::Entity::find()
        .filter(session_dossier::Column::SessionId.eq(session.id))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.dossier_id)
        .collect();
    let office = login(&app, "office", DEMO_PASSWORD).await;

    // The office: its sessions, the session with its drawn group and the draw's record.
    let list = get(&app, "/sessions", Some(&office)).await;
    assert_eq!(list.status(), StatusCode::OK);
    let html = list.text().await.unwrap();
    assert!(html.contains(&session.name), "the session is listed");
    let page = get(&app, &format!("/sessions/{}", session.id), Some(&office)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for text in [
        "高技能人才评审组（单设）",
        "随机种子",
        "省纪检监察组",
        "同一单位",
    ] {
        assert!(html.contains(text), "{text}");
    }
    assert_eq!(
        get(
            &app,
            &format!("/sessions/{}", session.id + 50),
            Some(&office)
        )
        .await
        .status(),
        StatusCode::NOT_FOUND
    );
    // A session form that breaks the rules comes back with each problem and what was typed.
    let refused = post_form(
        &app,
        "/sessions",
        Some(&office),
        &[
            ("name", "复评会"),
            ("sits_on", "2026-13-01"),
            ("members", "24"),
            ("reserves", "2"),
            ("hs_members", "25"),
            ("hs_reserves", "2"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains("请按“年-月-日”填写会议日期"), "the day");
    assert!(html.contains("请至少选择一份申报材料"), "the dossiers");
    assert!(html.contains("复评会"), "what was typed stays");
    // Other roles have no sessions page; an expert has no office page.
    let hr = login(&app, "hr", DEMO_PASSWORD).await;
    assert_eq!(
        get(&app, "/sessions", Some(&hr)).await.status(),
        StatusCode::FORBIDDEN
    );
    let expert = login(&app, "expert", DEMO_PASSWORD).await;
    assert_eq!(
        get(&app, &format!("/sessions/{}", session.id), Some(&expert))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // The demo expert was drawn: the workspace lists the session's dossiers.
    let ws = get(&app, "/expert", Some(&expert)).await;
    assert_eq!(ws.status(), StatusCode::OK);
    let html = ws.text().await.unwrap();
    let first = dossiers[0];
    let path = format!("/expert/sessions/{}/dossiers/{first}", session.id);
    assert!(html.contains(&path), "{path} listed");
    let opened = get(&app, &path, Some(&expert)).await;
    let status = opened.status();
    let page = opened.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{page}");
    // The self-check answers the submission was decided on, each under its question, named.
    assert!(page.contains("申报人的自评回答"), "the answers are shown");
    assert!(
        page.contains("职业技能等级") && page.contains("申报地区"),
        "{page}"
    );
    assert!(page.contains("提交于"), "the day of submission");
    // Scores: the route's methods, each in range, an opinion; a refusal names each field.
    let bad = post_form(
        &app,
        &path,
        Some(&expert),
        &[
            ("score_performance_review", "120"),
            ("score_interview", ""),
            ("opinion", ""),
        ],
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert!(html.contains("请填写评议意见"));
    assert!(
        html.contains("请填写“面试答辩”的分数"),
        "the missing score is named"
    );
    assert!(
        html.contains("“业绩评审”的分数应为0至100的整数"),
        "the score out of range"
    );
    let good = post_form(
        &app,
        &path,
        Some(&expert),
        &[
            ("score_performance_review", "88"),
            ("score_interview", "80"),
            ("opinion", "业绩扎实"),
        ],
    )
    .await;
    assert_eq!(good.status(), StatusCode::SEE_OTHER);
    assert!(location(&good).contains("notice=assessment_saved"));
    let html = get(&app, &location(&good), Some(&expert))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("评议已保存") && html.contains("业绩扎实"));
    // The office sees it in the progress per expert and per dossier.
    let html = get(&app, &format!("/sessions/{}", session.id), Some(&office))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("data-dossier-progress=\"{first}\"")));
    assert!(html.contains("已评1份"), "one assessed");
    let html = get(&app, &path, Some(&expert)).await.text().await.unwrap();
    assert!(html.contains("业绩扎实"), "the opinion is kept");

    // The expert steps out of the second dossier: it leaves the workspace, and its page and
    // its scoring answer 404.
    let second = format!("/expert/sessions/{}/dossiers/{}", session.id, dossiers[1]);
    let out = post_form(
        &app,
        &format!("{second}/recusal"),
        Some(&expert),
        &[("ground", "other"), ("recusal_reason", "申报人是我的表弟")],
    )
    .await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        get(&app, &second, Some(&expert)).await.status(),
        StatusCode::NOT_FOUND
    );
    let html = get(&app, "/expert", Some(&expert))
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains(&second));
    let again = post_form(&app, &second, Some(&expert), &[("opinion", "x")]).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);

    // The office records a recusal through its form; a form that names no ground comes back as
    // the session's page with the problem, not as a missing page.
    let demo_expert = expert::Entity::find()
        .filter(expert::Column::Name.eq("示例评审专家"))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let recusals = format!("/sessions/{}/recusals", session.id);
    let (expert_id, dossier_id) = (demo_expert.id.to_string(), first.to_string());
    let refused = post_form(
        &app,
        &recusals,
        Some(&office),
        &[
            ("recusal_expert", &expert_id),
            ("recusal_dossier", &dossier_id),
            ("recusal_ground", ""),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains(&session.name));
    let recorded = post_form(
        &app,
        &recusals,
        Some(&office),
        &[
            ("recusal_expert", &expert_id),
            ("recusal_dossier", &dossier_id),
            ("recusal_ground", "other"),
            ("recusal_reason", "曾共同申报课题"),
        ],
    )
    .await;
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
    assert!(location(&recorded).contains("notice=recusal_declared"));
    let html = get(&app, &location(&recorded), Some(&office))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("曾共同申报课题") && html.contains("回避已登记"));
    assert_eq!(
        get(&app, &path, Some(&expert)).await.status(),
        StatusCode::NOT_FOUND
    );

    // An expert of the pool who was not drawn (or only as a reserve) sees nothing.
    let drawn: Vec<(i64, bool)> = group_member::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.expert_id, m.reserve))
        .collect();
    let pool = expert::Entity::find().all(&db).await.unwrap();
    for (label, pick) in [
        (
            "not drawn",
            pool.iter()
                .find(|e| !drawn.iter().any(|(id, _)| *id == e.id)),
        ),
        (
            "a reserve",
            pool.iter().find(|e| drawn.contains(&(e.id, true))),
        ),
    ] {
        let e = pick.unwrap_or_else(|| panic!("{label}"));
        let username = account::Entity::find_by_id(e.account_id)
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .username;
        let other = login(&app, &username, DEMO_PASSWORD).await;
        assert_eq!(
            get(&app, &path, Some(&other)).await.status(),
            StatusCode::NOT_FOUND,
            "{label}"
        );
        let html = get(&app, "/expert", Some(&other))
            .await
            .text()
            .await
            .unwrap();
        assert!(!html.contains("/expert/sessions/"), "{label} has no seats");
    }
    // Nor does the dossier open through the dossier pages for the expert.
    assert_eq!(
        get(&app, &format!("/dossiers/{first}"), Some(&expert))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}
on_both_backends!(committee_pages_and_workspace, committee_pages);
