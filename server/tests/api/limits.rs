//! The installation's configured limits: dossiers per account (`GUANTONG_DOSSIERS_PER_ACCOUNT`)
//! and the whole attachment store (`GUANTONG_UPLOAD_MAX_TOTAL_MB`), on SQLite and PostgreSQL.

use reqwest::{multipart, StatusCode};
use store::testing::Backend;

use crate::helpers::{spawn_app_with, TestApp};
use crate::on_both_backends;
use crate::portal::{location, login, post_form, Session};

/// A fresh applicant (no dossier yet), signed in, on the crash test's self-check day.
async fn applicant(app: &TestApp, username: &str) -> Session {
    let db = store::connect(&app.db_url).await.unwrap();
    let account = store::accounts::register(&db, username, "赵师傅", "limits-password-1")
        .await
        .unwrap();
    let role = store::accounts::Grant {
        role: "applicant".into(),
        ..Default::default()
    };
    store::accounts::grant(&db, account.id, role).await.unwrap();
    let r = post_form(app, "/test/clock", None, &[("date", "2026-11-23")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    login(app, username, "limits-password-1").await
}

async fn start(app: &TestApp, session: &Session) -> reqwest::Response {
    post_form(
        app,
        "/dossiers",
        Some(session),
        &[("answers", &crate::crash::answers())],
    )
    .await
}

async fn held(app: &TestApp, username: &str) -> usize {
    let db = store::connect(&app.db_url).await.unwrap();
    let (account, _) = store::accounts::search(&db, username, 10)
        .await
        .unwrap()
        .into_iter()
        .find(|(a, _)| a.username == username)
        .unwrap();
    store::dossiers::list_for_owner(&db, account.id)
        .await
        .unwrap()
        .len()
}

async fn dossiers_per_account(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |c| c.dossiers_per_account = 2).await else {
        return;
    };
    let session = applicant(&app, "limit-one").await;
    for _ in 0..2 {
        let r = start(&app, &session).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(location(&r).contains("notice=created"), "{}", location(&r));
    }
    let r = start(&app, &session).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // The page as read (without Leptos's markers between the text and its detail).
    let page = r.text().await.unwrap().replace("<!>", "");
    assert!(page.contains("每个账户最多可有：2 份。"), "{page}");
    assert_eq!(held(&app, "limit-one").await, 2);
    // In English too.
    let r = app
        .client
        .post(app.url("/dossiers"))
        .header("cookie", format!("{}; lang=en", session.0))
        .form(&[("answers", crate::crash::answers())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.unwrap().replace("<!>", "");
    assert!(page.contains("The most one account may hold: 2."), "{page}");
}
on_both_backends!(dossier_limit, dossiers_per_account);

/// A PDF of `bytes` bytes.
fn pdf(bytes: usize) -> Vec<u8> {
    let mut file = b"%PDF-1.7\n1 0 obj\n".to_vec();
    file.resize(bytes, b' ');
    file
}

async fn upload(app: &TestApp, session: &Session, id: &str, name: &str, size: usize) -> String {
    let form = multipart::Form::new()
        .text("version", "1")
        .text("nav", "save")
        .part(
            "file",
            multipart::Part::bytes(pdf(size)).file_name(name.to_owned()),
        );
    let r = app
        .client
        .post(app.url(&format!("/dossiers/{id}")))
        .header("cookie", &session.0)
        .multipart(form)
        .send()
        .await
        .unwrap();
    format!(
        "{} {} {}",
        r.status(),
        location(&r),
        r.text().await.unwrap()
    )
}

async fn upload_store_cap(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |c| c.upload_max_total_mb = 1).await else {
        return;
    };
    let session = applicant(&app, "uploader").await;
    let r = start(&app, &session).await;
    let id = location(&r)
        .trim_start_matches("/dossiers/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    // 1.5 MiB is under the per-file limit (10 MB) but over the whole store's 1 MiB.
    let answer = upload(&app, &session, &id, "big.pdf", 1_572_864).await;
    assert!(answer.starts_with("422"), "{answer:.200}");
    assert!(answer.contains("附件存储空间已满"), "{answer:.200}");
    let db = store::connect(&app.db_url).await.unwrap();
    let id: i64 = id.parse().unwrap();
    assert!(store::attachments::list(&db, id).await.unwrap().is_empty());
}
on_both_backends!(upload_total_cap, upload_store_cap);
