//! The dossier form under a flaky network and hostile text: a form that did not arrive whole
//! changes nothing, and what someone typed never becomes markup.

use reqwest::StatusCode;
use store::testing::Backend;

use super::{
    complete_draft, get, login, pin_test_day, save, seed, version_of, Session, DEMO_PASSWORD,
};
use crate::helpers::{spawn_app, TestApp};
use crate::on_both_backends;

const BOUNDARY: &str = "----guantong-test-boundary";

/// A multipart body of text fields, as a browser would send it, without its closing boundary.
fn open_body(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body
}

async fn post_raw(app: &TestApp, session: &Session, id: i64, body: Vec<u8>) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/dossiers/{id}")))
        .header("cookie", &session.0)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .expect("answered")
}

/// What a save could have changed: the row and its attachments.
async fn snapshot(app: &TestApp, id: i64) -> (String, usize) {
    let db = store::connect(&app.db_url).await.unwrap();
    let row = store::dossiers::get(&db, id).await.unwrap().unwrap();
    let files = store::attachments::list(&db, id).await.unwrap().len();
    (
        format!(
            "{}|{}|{}|{}|{}|{:?}|{}",
            row.version,
            row.full_name,
            row.occupation,
            row.current_post,
            row.org,
            row.target,
            row.achievements
        ),
        files,
    )
}

async fn a_cut_form_changes_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;
    pin_test_day(&app).await;
    let me = login(&app, "applicant", DEMO_PASSWORD).await;
    let id = complete_draft(&app, &me, "王建国").await;
    let before = snapshot(&app, id).await;
    assert_eq!(before.1, 1, "the draft holds one file");
    let version = version_of(&app, id).await.to_string();

    // 1. Cut inside a field part: the version and a name arrived, the occupation was cut.
    let mut body = open_body(&[("version", &version), ("full_name", "被截断")]);
    body.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"occupation\"\r\n\r\n6-18")
            .as_bytes(),
    );
    let r = post_raw(&app, &me, id, body).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("草稿未改动") && text.contains("the draft is unchanged"),
        "says truthfully that nothing changed: {text}"
    );
    assert!(!text.contains("10MB"), "does not blame a file: {text}");
    assert_eq!(snapshot(&app, id).await, before, "cut inside a field");

    // 2. Every field arrived, but the closing boundary did not.
    let body = open_body(&[
        ("version", &version),
        ("full_name", "没有结尾"),
        ("occupation", ""),
        ("current_post", ""),
        ("target", ""),
        ("nav", "save"),
    ]);
    let r = post_raw(&app, &me, id, body).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(snapshot(&app, id).await, before, "no closing boundary");

    // 3. Cut inside a file part: the file is not kept either.
    let mut body = open_body(&[("version", &version), ("full_name", "文件截断")]);
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n"
        )
        .as_bytes(),
    );
    body.extend(std::iter::repeat_n(b'x', 200_000));
    let r = post_raw(&app, &me, id, body).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(snapshot(&app, id).await, before, "cut inside a file");

    // 4. A form cut after a whole file part (the file arrived, the rest did not): the file
    //    stored on the way is removed again.
    let mut body = open_body(&[("version", &version)]);
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n1 0 obj\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"full_name\"\r\n\r\n半"
        )
        .as_bytes(),
    );
    let r = post_raw(&app, &me, id, body).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(snapshot(&app, id).await, before, "file before the cut");

    // The server keeps serving, and a whole form still saves.
    let r = save(
        &app,
        &me,
        id,
        &[
            ("version", &version),
            ("full_name", "完整"),
            ("nav", "save"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_ne!(snapshot(&app, id).await, before);
}
on_both_backends!(cut_form, a_cut_form_changes_nothing);

async fn typed_text_never_becomes_markup(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;
    pin_test_day(&app).await;
    let me = login(&app, "applicant", DEMO_PASSWORD).await;
    let id = complete_draft(&app, &me, "王建国").await;
    let attack =
        "</textarea><meta http-equiv=refresh content=\"0;url=https://example.invalid/\"><b>x</b>";
    let version = version_of(&app, id).await.to_string();
    let fields = [
        ("version", version.as_str()),
        ("full_name", "王建国"),
        ("a0_kind", "process_improvement"),
        ("a0_title", "工艺改进"),
        ("a0_description", attack),
        ("nav", "save"),
    ];
    let r = save(&app, &me, id, &fields, None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let assert_inert = |page: &str, what: &str| {
        assert!(
            !page.contains("<meta http-equiv=refresh"),
            "{what}: meta injected"
        );
        assert!(!page.contains("<b>x</b>"), "{what}: markup injected");
        assert!(
            page.contains("&lt;/textarea&gt;&lt;meta http-equiv=refresh"),
            "{what}: the text is kept, escaped"
        );
    };
    // The owner's form.
    let page = get(&app, &format!("/dossiers/{id}"), Some(&me))
        .await
        .text()
        .await
        .unwrap();
    assert_inert(&page, "form");
    // The 409 page, which shows what was typed over the current version.
    let r = save(&app, &me, id, &fields, None).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_inert(&r.text().await.unwrap(), "409");
    // The 422 page of a submission with problems.
    let version = version_of(&app, id).await.to_string();
    let r = save(
        &app,
        &me,
        id,
        &[
            ("version", &version),
            ("full_name", "王建国"),
            ("a0_kind", "process_improvement"),
            ("a0_description", attack),
            ("nav", "submit"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_inert(&r.text().await.unwrap(), "422");
}
on_both_backends!(textarea_escaped, typed_text_never_becomes_markup);

/// `server receipt verify`: a real submission replays to the same outcomes under the stored
/// rule set version; a changed receipt does not.
async fn a_submitted_receipt_replays(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;
    pin_test_day(&app).await;
    let me = login(&app, "applicant", DEMO_PASSWORD).await;
    let id = complete_draft(&app, &me, "王建国").await;
    let r = super::submit(&app, &me, id, "王建国").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.headers());
    let text = server::ops::receipt_verify(&app.db_url, id)
        .await
        .expect("replays identically");
    assert!(
        text.contains("identical") && text.contains("一致"),
        "{text}"
    );
    let db = store::connect(&app.db_url).await.unwrap();
    let row = store::dossiers::get(&db, id).await.unwrap().unwrap();
    let receipt: serde_json::Value = serde_json::from_str(row.receipt.as_deref().unwrap()).unwrap();
    let stored = receipt["rule_set"]["stored_version"]
        .as_i64()
        .expect("names its stored version");
    let versions = store::rule_sets::versions_of(&db, receipt["rule_set"]["id"].as_str().unwrap())
        .await
        .unwrap();
    assert!(versions.iter().any(|v| v.id == stored));
    let mut changed = receipt.clone();
    changed["outcomes"] = serde_json::json!([]);
    use sea_orm::{ActiveModelTrait, Set};
    let mut active: store::entities::dossier::ActiveModel = row.into();
    active.receipt = Set(Some(changed.to_string()));
    active.update(&db).await.unwrap();
    let err = server::ops::receipt_verify(&app.db_url, id)
        .await
        .unwrap_err();
    assert!(err.contains("differ"), "{err}");
}
on_both_backends!(receipt_replays, a_submitted_receipt_replays);
