//! ID numbers at rest with configured keys, through the binary: `server pii reseal` refuses to
//! work with the development keys, reseals every dossier with the first configured key (the
//! development key kept second to open the old values), and a server started with those keys
//! finds a dossier in the review queue by its whole ID number.

use std::process::Command;

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use store::testing::{Backend, TestDatabase};

use crate::process::{client, Server, Workdir};

fn env() -> [(&'static str, String); 2] {
    [
        (
            "GUANTONG_PII_KEYS",
            format!("k1:{}, dev:{}", "07".repeat(32), "5a".repeat(32)),
        ),
        ("GUANTONG_PII_INDEX_KEY", "a5".repeat(32)),
    ]
}

fn reseal(db_url: &str, keys: bool) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .args(["pii", "reseal"])
        .env("DATABASE_URL", db_url)
        .env_remove("GUANTONG_PII_KEYS")
        .env_remove("GUANTONG_PII_INDEX_KEY");
    if keys {
        command.envs(env());
    }
    let out = command.output().expect("server binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test]
async fn a_new_key_reseals_and_the_queue_still_finds_numbers() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    let conn = store::connect(&db.url).await.unwrap();
    store::migrate(&conn).await.unwrap();
    let summary = store::demo::seed(
        &conn,
        store::demo::DemoOptions {
            applicants: 60,
            today: casework::clock::real_today(),
        },
    )
    .await
    .unwrap();
    let hr = summary
        .logins
        .iter()
        .find(|l| l.role == "employer_hr")
        .expect("a demo HR login");
    // A dossier in that employer's queue and its number (sealed with the development key).
    let scope = store::dossiers::QueueScope::Employer(hr.scope.clone());
    let query = store::dossiers::QueueQuery {
        per_page: 10,
        ..Default::default()
    };
    let queue = store::dossiers::queue(&conn, &scope, &query).await.unwrap();
    let first = queue
        .rows
        .first()
        .expect("a dossier in the demo HR's queue");
    let (id, number) = (first.id, first.id_number.clone());
    assert_eq!(number.len(), 18);

    let (ok, text) = reseal(&db.url, false);
    assert!(!ok, "{text}");
    assert!(text.contains("GUANTONG_PII_KEYS"), "{text}");
    let (ok, text) = reseal(&db.url, true);
    assert!(ok, "{text}");
    assert!(text.contains("60 ID numbers sealed with key k1"), "{text}");
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT id_number FROM dossier".to_owned(),
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 60);
    for row in rows {
        let stored: String = row.try_get("", "id_number").unwrap();
        assert!(stored.starts_with("pii1:k1:"), "{stored}");
    }

    // A server with the keys opens them and finds the dossier by its number.
    let dir = Workdir::new();
    let env = env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let server = Server::start(&db.url, &dir, &env).await;
    assert!(!dir.log().contains("development keys"), "{}", dir.log());
    let r = client()
        .post(server.url("/login"))
        .form(&[
            ("username", hr.username.as_str()),
            ("password", store::demo::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("gt_session="))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let page = client()
        .get(server.url(&format!("/review?state=all&q={number}")))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("/dossiers/{id}\"")), "{page:.3000}");
    assert!(
        page.contains(&app::portal::mask_id(&number)),
        "{page:.3000}"
    );
    // The search reached the server's request log by its path only, not its query.
    let log = dir.log();
    assert!(log.contains("/review"), "{log}");
    assert!(!log.contains(&number), "an ID number in the log:\n{log}");
}
