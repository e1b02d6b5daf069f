//! A person's own information (issue 14 item 8): they download everything the account holds
//! about them, and delete a draft they never submitted — confirmed by a tick, its attachments'
//! files with it, audited — while a submitted dossier and another person's draft stay.

use reqwest::StatusCode;
use store::testing::Backend;

use super::{
    complete_draft, get, location, login, pin_test_day, post_form, seed, submit, version_of,
    DEMO_PASSWORD, ID_NUMBER,
};
use crate::helpers::spawn_app;
use crate::on_both_backends;

async fn own_data_is_downloaded_and_drafts_deleted(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;
    pin_test_day(&app).await;
    let me = login(&app, "applicant", DEMO_PASSWORD).await;
    let hr = login(&app, "hr", DEMO_PASSWORD).await;
    let draft = complete_draft(&app, &me, "王建国").await;
    let kept = complete_draft(&app, &me, "王建国").await;
    assert_eq!(
        submit(&app, &me, kept, "王建国").await.status(),
        StatusCode::SEE_OTHER
    );

    // The download: the account, each dossier in full with its ID number, its files' names.
    let page = get(&app, "/dossiers", Some(&me))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("href=\"/account/data\""),
        "offered on My applications"
    );
    let r = get(&app, "/account/data", Some(&me)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.contains("guantong-my-data-"), "{disposition}");
    assert_eq!(r.headers()["cache-control"], "no-store");
    let data: serde_json::Value = r.json().await.unwrap();
    assert_eq!(data["account"]["username"], "applicant");
    let dossiers = data["dossiers"].as_array().unwrap();
    let mine = dossiers
        .iter()
        .find(|d| d["id"] == draft)
        .expect("the draft");
    assert_eq!(mine["id_number"], ID_NUMBER);
    assert_eq!(mine["attachments"][0]["name"], "证书.pdf");
    assert!(dossiers
        .iter()
        .any(|d| d["id"] == kept && d["receipt"].is_object()));
    assert_eq!(
        get(&app, "/account/data", None).await.status(),
        StatusCode::SEE_OTHER,
        "sign in first"
    );

    // Deleting asks for the tick; without it nothing goes.
    let page = get(&app, &format!("/dossiers/{draft}"), Some(&me))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("action=\"/dossiers/{draft}/delete\"")));
    let version = version_of(&app, draft).await.to_string();
    let path = format!("/dossiers/{draft}/delete");
    let r = post_form(&app, &path, Some(&me), &[("version", &version)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("id=\"confirm_delete-error\""));
    let db = store::connect(&app.db_url).await.unwrap();
    let files = store::attachments::list(&db, draft).await.unwrap();
    assert_eq!(files.len(), 1);
    let file = store::attachments::path_of(&app.state.upload_dir, &files[0]);
    assert!(file.exists(), "{file:?}");

    // Someone else, and the employer, get the 404; a submitted dossier offers no deletion and
    // refuses one.
    let yes = [("version", version.as_str()), ("confirm_delete", "yes")];
    assert_eq!(
        post_form(&app, &path, Some(&hr), &yes).await.status(),
        StatusCode::NOT_FOUND
    );
    let submitted = get(&app, &format!("/dossiers/{kept}"), Some(&me))
        .await
        .text()
        .await
        .unwrap();
    assert!(!submitted.contains("/delete\""));
    let kept_version = version_of(&app, kept).await.to_string();
    let r = post_form(
        &app,
        &format!("/dossiers/{kept}/delete"),
        Some(&me),
        &[("version", &kept_version), ("confirm_delete", "yes")],
    )
    .await;
    assert!(
        location(&r).contains("notice=not_allowed"),
        "a submitted dossier stays: {}",
        location(&r)
    );
    assert!(store::dossiers::get(&db, kept).await.unwrap().is_some());

    // With the tick: gone, its file too, and audited without personal information.
    let r = post_form(&app, &path, Some(&me), &yes).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/dossiers?notice=deleted");
    let page = get(&app, &location(&r), Some(&me))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("草稿及其附件已删除"));
    assert!(store::dossiers::get(&db, draft).await.unwrap().is_none());
    assert!(store::attachments::list(&db, draft)
        .await
        .unwrap()
        .is_empty());
    assert!(!file.exists(), "the file is removed");
    let entry = store::audit::entries_about(&db, "dossier", &draft.to_string())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.action == "dossier.delete")
        .expect("audited");
    assert!(!entry.detail.contains(ID_NUMBER) && !entry.detail.contains("王建国"));
    assert!(
        matches!(
            store::audit::verify(&db).await.unwrap(),
            store::audit::Verification::Intact { .. }
        ),
        "the chain holds"
    );
}
on_both_backends!(own_information, own_data_is_downloaded_and_drafts_deleted);

/// A submission is taken back before the employer decides: the page says what happens next and
/// when, then offers the withdrawal; without the tick nothing moves; with it the dossier is a
/// draft again (on the timeline), is submitted anew, and once the employer has approved it the
/// withdrawal is refused. Nobody else may withdraw it.
async fn a_submission_is_withdrawn_before_the_employer_decides(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;
    pin_test_day(&app).await;
    let me = login(&app, "applicant", DEMO_PASSWORD).await;
    let hr = login(&app, "hr", DEMO_PASSWORD).await;
    let id = complete_draft(&app, &me, "王建国").await;
    let r = submit(&app, &me, id, "王建国").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = format!("/dossiers/{id}");
    let html = get(&app, &page, Some(&me)).await.text().await.unwrap();
    assert!(html.contains("id=\"submitted-panel\"") && html.contains("接下来"));
    assert!(
        html.contains("单位公示不少于5个工作日"),
        "the publicity's length from the rules"
    );
    assert!(html.contains("id=\"withdraw\""));
    let html = get(&app, &page, Some(&hr)).await.text().await.unwrap();
    assert!(!html.contains("id=\"withdraw\"") && !html.contains("id=\"submitted-panel\""));

    let withdraw = format!("{page}/withdraw");
    let version = version_of(&app, id).await.to_string();
    let r = post_form(
        &app,
        &withdraw,
        Some(&hr),
        &[("version", &version), ("confirm_withdraw", "yes")],
    )
    .await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "only the owner withdraws"
    );
    let r = post_form(&app, &withdraw, Some(&me), &[("version", &version)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("请先勾选确认撤回"));
    assert_eq!(super::state_of(&app, id).await, "submitted");
    let r = post_form(
        &app,
        &withdraw,
        Some(&me),
        &[("version", &version), ("confirm_withdraw", "yes")],
    )
    .await;
    assert_eq!(location(&r), format!("/dossiers/{id}?notice=withdrawn"));
    assert_eq!(super::state_of(&app, id).await, "draft");
    let html = get(&app, &page, Some(&me)).await.text().await.unwrap();
    assert!(html.contains("撤回申报") && html.contains("name=\"full_name\""));
    assert!(
        !html.contains("id=\"delete-draft\""),
        "a draft again, but once submitted: not deleted as one never submitted"
    );
    let version = version_of(&app, id).await.to_string();
    let r = post_form(
        &app,
        &format!("{page}/delete"),
        Some(&me),
        &[("version", &version), ("confirm_delete", "yes")],
    )
    .await;
    assert_eq!(location(&r), format!("/dossiers/{id}?notice=not_allowed"));

    // Submitted anew and approved: too late to withdraw.
    assert_eq!(
        submit(&app, &me, id, "王建国").await.status(),
        StatusCode::SEE_OTHER
    );
    let version = version_of(&app, id).await.to_string();
    let r = post_form(
        &app,
        &format!("{page}/decision"),
        Some(&hr),
        &[
            ("version", &version),
            ("action", "approve"),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("/dossiers/{id}?notice=approved"));
    let html = get(&app, &page, Some(&me)).await.text().await.unwrap();
    assert!(!html.contains("id=\"withdraw\""));
    let version = version_of(&app, id).await.to_string();
    let r = post_form(
        &app,
        &withdraw,
        Some(&me),
        &[("version", &version), ("confirm_withdraw", "yes")],
    )
    .await;
    assert_eq!(location(&r), format!("/dossiers/{id}?notice=not_allowed"));
    assert_eq!(super::state_of(&app, id).await, "unit_publicity");
}
on_both_backends!(
    withdrawal,
    a_submission_is_withdrawn_before_the_employer_decides
);

/// An account that has applied nowhere is deleted by its holder, with its drafts and their
/// files, after the password and a tick; the browser is signed out and the deletion audited. An
/// account that has submitted, and a staff account, are kept.
async fn an_account_that_applied_nowhere_is_deleted(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;
    pin_test_day(&app).await;
    let db = store::connect(&app.db_url).await.unwrap();
    store::accounts::register_applicant(&db, "leaving", "李离开", DEMO_PASSWORD, "v1")
        .await
        .unwrap();
    let me = login(&app, "leaving", DEMO_PASSWORD).await;
    let draft = complete_draft(&app, &me, "李离开").await;
    let files = store::attachments::list(&db, draft).await.unwrap();
    let file = store::attachments::path_of(&app.state.upload_dir, &files[0]);
    assert!(file.exists());
    let html = get(&app, "/account/password", Some(&me))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"delete-account\""));

    // Nothing is deleted without the password and the tick, and each is named.
    let r = post_form(&app, "/account/delete", Some(&me), &[]).await;
    let back = location(&r);
    assert!(back.contains("error=delete_password") && back.contains("error=delete_confirm"));
    let html = get(&app, &back, Some(&me)).await.text().await.unwrap();
    assert!(html.contains("请输入正确的当前密码") && html.contains("请先勾选确认删除账号"));
    let wrong = [
        ("delete_password", "not the password"),
        ("confirm_account_delete", "yes"),
    ];
    let r = post_form(&app, "/account/delete", Some(&me), &wrong).await;
    assert!(location(&r).contains("error=delete_password"));
    assert!(store::dossiers::get(&db, draft).await.unwrap().is_some());

    let right = [
        ("delete_password", DEMO_PASSWORD),
        ("confirm_account_delete", "yes"),
    ];
    let r = post_form(&app, "/account/delete", Some(&me), &right).await;
    assert_eq!(location(&r), "/login?notice=account_deleted");
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let html = get(&app, "/login?notice=account_deleted", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("账号已删除"));
    assert!(store::dossiers::get(&db, draft).await.unwrap().is_none());
    assert!(!file.exists(), "the draft's file is removed");
    assert!(store::accounts::search(&db, "leaving", 10)
        .await
        .unwrap()
        .iter()
        .all(|(a, _)| a.username != "leaving"));
    let r = get(&app, "/dossiers", Some(&me)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "the old session is gone");
    assert!(matches!(
        store::audit::verify(&db).await.unwrap(),
        store::audit::Verification::Intact { .. }
    ));

    // Who has applied, or works as staff, is kept.
    let applicant = login(&app, "applicant", DEMO_PASSWORD).await;
    let submitted = complete_draft(&app, &applicant, "王建国").await;
    assert_eq!(
        submit(&app, &applicant, submitted, "王建国").await.status(),
        StatusCode::SEE_OTHER
    );
    let r = post_form(&app, "/account/delete", Some(&applicant), &right).await;
    assert!(location(&r).contains("error=not_deletable"));
    let hr = login(&app, "hr", DEMO_PASSWORD).await;
    let r = post_form(&app, "/account/delete", Some(&hr), &right).await;
    assert!(location(&r).contains("error=not_deletable"));
    assert_eq!(
        get(&app, "/dossiers", Some(&hr)).await.status(),
        StatusCode::OK
    );
}
on_both_backends!(account_deletion, an_account_that_applied_nowhere_is_deleted);
