//! Two server processes on one PostgreSQL database work as one: a session opened on one is
//! valid on the other and ended on both by signing out; the per-address sign-in limit and an
//! account's lockout are counted together; the background tasks run on one of them only.

use reqwest::StatusCode;
use store::testing::{Backend, TestDatabase};

use crate::process::{client, Server, Workdir};

const TOKEN: &str = "metrics-secret";

async fn sign_in(server: &Server, username: &str, password: &str) -> reqwest::Response {
    client()
        .post(server.url("/login"))
        .form(&[("username", username), ("password", password)])
        .send()
        .await
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

fn cookie(r: &reqwest::Response) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("gt_session=") && !c.starts_with("gt_session=;"))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

async fn my_dossiers(server: &Server, cookie: &str) -> StatusCode {
    client()
        .get(server.url("/dossiers"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
}

/// The count of background runs of `outcome` the instance reports at `/metrics`.
async fn runs(server: &Server, outcome: &str) -> u64 {
    let text = client()
        .get(server.url("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let prefix =
        format!("guantong_background_runs_total{{job=\"publicity\",outcome=\"{outcome}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map(|n| n.trim().parse().unwrap())
        .unwrap_or(0)
}

#[tokio::test]
async fn two_instances_on_one_postgres_work_as_one() {
    let Some(db) = TestDatabase::create(Backend::Postgres).await else {
        return;
    };
    let dir = Workdir::new();
    let env = [
        ("GUANTONG_METRICS_TOKEN", TOKEN),
        ("GUANTONG_LOGIN_ATTEMPTS_PER_IP", "9"),
    ];
    let a = Server::start(&db.url, &dir, &env).await;
    let b = Server::start(&db.url, &dir, &env).await;
    let conn = store::connect(&db.url).await.unwrap();
    store::demo::seed(
        &conn,
        store::demo::DemoOptions {
            applicants: 2,
            today: casework::clock::real_today(),
        },
    )
    .await
    .unwrap();

    // Both ran their start-up tick; the background tasks ran on exactly one of them.
    let ok = runs(&a, "ok").await + runs(&b, "ok").await;
    let elsewhere = runs(&a, "elsewhere").await + runs(&b, "elsewhere").await;
    assert_eq!((ok, elsewhere), (1, 1), "background runs (ok, elsewhere)");

    // A session opened on one instance is valid on the other; signing out on that one ends it
    // on both. (Attempt 1 from this address.)
    let r = sign_in(&a, "applicant", store::demo::DEMO_PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let session = cookie(&r);
    assert_eq!(my_dossiers(&b, &session).await, StatusCode::OK);
    let r = client()
        .post(b.url("/logout"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection(), "sign out: {}", r.status());
    assert_eq!(my_dossiers(&a, &session).await, StatusCode::SEE_OTHER);

    // Five wrong passwords for one account, alternating instances, lock it on both: the right
    // password is then refused on either (attempts 2 to 8).
    for n in 0..5u32 {
        let server = if n.is_multiple_of(2) { &a } else { &b };
        let r = sign_in(server, "hr", "not the password").await;
        assert!(location(&r).contains("error=invalid"), "{}", location(&r));
    }
    for server in [&a, &b] {
        let r = sign_in(server, "hr", store::demo::DEMO_PASSWORD).await;
        assert!(
            location(&r).contains("error=invalid"),
            "a locked account is refused: {}",
            location(&r)
        );
    }
    // Attempt 9 is the last the address may make, on whichever instance; then both refuse.
    let r = sign_in(&b, "expert", "not the password").await;
    assert!(location(&r).contains("error=invalid"), "{}", location(&r));
    for server in [&a, &b] {
        let r = sign_in(server, "expert", store::demo::DEMO_PASSWORD).await;
        assert!(
            location(&r).contains("error=rate"),
            "over the shared limit: {}",
            location(&r)
        );
    }
}
