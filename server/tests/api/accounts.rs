//! Account security over HTTP, on SQLite and PostgreSQL: redirect targets; demo applicants.

use reqwest::StatusCode;
use store::testing::Backend;

use crate::helpers::{spawn_app, TestApp};
use crate::on_both_backends;

const DEMO_PASSWORD: &str = store::demo::DEMO_PASSWORD;

/// A signed-in browser: the session cookie it holds (`gt_session=…`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Session(String);

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

fn session_from(r: &reqwest::Response) -> Option<Session> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("gt_session=") && !c.starts_with("gt_session=;"))
        .map(|c| Session(c.split(';').next().unwrap_or_default().to_owned()))
}

async fn post_form(
    app: &TestApp,
    path: &str,
    session: Option<&Session>,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app.client.post(app.url(path)).form(form);
    if let Some(s) = session {
        request = request.header("cookie", &s.0);
    }
    request.send().await.expect("request")
}

async fn get(app: &TestApp, path: &str, session: Option<&Session>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(s) = session {
        request = request.header("cookie", &s.0);
    }
    request.send().await.expect("request")
}

async fn login(app: &TestApp, username: &str, password: &str) -> Session {
    let r = post_form(
        app,
        "/login",
        None,
        &[("username", username), ("password", password)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "login {username}");
    session_from(&r).unwrap_or_else(|| panic!("no session for {username}: {}", location(&r)))
}

async fn seed(app: &TestApp, applicants: usize) {
    let db = store::connect(&app.db_url).await.unwrap();
    store::demo::seed(
        &db,
        store::demo::DemoOptions {
            applicants,
            today: app::check::today(),
        },
    )
    .await
    .unwrap();
}

/// `next` values that must never leave the site, as a browser would send them in a form.
const UNSAFE_NEXT: &[&str] = &[
    "/\t/127.0.0.1:3399/x",
    "/\n/127.0.0.1:3399/x",
    "/\r/127.0.0.1:3399/x",
    "/\\evil.example",
    "//evil.example",
];

async fn redirect_targets_stay_on_the_site(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;

    // The language switch: `/\t/host` is `//host` to a browser, which drops tabs from URLs.
    for back in [
        "/%09/127.0.0.1:3399/x",
        "/%0a/127.0.0.1:3399/x",
        "/%0d/127.0.0.1:3399/x",
        "/%5Cevil.example",
        "//evil.example",
        "%09//evil.example",
    ] {
        let r = get(&app, &format!("/lang/en?back={back}"), None).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{back}");
        assert_eq!(location(&r), "/", "back={back}");
    }
    let r = get(&app, "/lang/en?back=%2Fdossiers%3Fx%3D1", None).await;
    assert_eq!(location(&r), "/dossiers?x=1");

    // Sign-in: an unsafe `next` is replaced by the account's home page.
    for next in UNSAFE_NEXT {
        let r = post_form(
            &app,
            "/login",
            None,
            &[
                ("username", "applicant"),
                ("password", DEMO_PASSWORD),
                ("next", next),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(location(&r), "/dossiers", "sign in with next={next:?}");
        // …and a refused sign-in does not carry it back to the form.
        let r = post_form(
            &app,
            "/login",
            None,
            &[
                ("username", "applicant"),
                ("password", "not the password"),
                ("next", next),
            ],
        )
        .await;
        assert!(!location(&r).contains("next="), "{}", location(&r));
    }
    let r = post_form(
        &app,
        "/login",
        None,
        &[
            ("username", "applicant"),
            ("password", DEMO_PASSWORD),
            ("next", "/dossiers?x=1"),
        ],
    )
    .await;
    assert_eq!(location(&r), "/dossiers?x=1");

    // Registration: never a 500 (the account exists by then), never off the site.
    for (i, next) in UNSAFE_NEXT.iter().enumerate() {
        let username = format!("next.test{i}");
        let r = post_form(
            &app,
            "/register",
            None,
            &[
                ("username", &username),
                ("display_name", "测试"),
                ("password", "a long enough password"),
                ("confirm", "a long enough password"),
                ("next", next),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "register next={next:?}");
        assert_eq!(location(&r), "/dossiers", "register next={next:?}");
        assert!(session_from(&r).is_some(), "signed in at once");
    }
    let r = post_form(
        &app,
        "/register",
        None,
        &[
            ("username", "next.kept"),
            ("display_name", "测试"),
            ("password", "a long enough password"),
            ("confirm", "a long enough password"),
            ("next", "/dossiers?x=1"),
        ],
    )
    .await;
    assert_eq!(location(&r), "/dossiers?x=1");
}
on_both_backends!(redirects, redirect_targets_stay_on_the_site);

async fn demo_applicants_can_apply(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 3).await;
    let me = login(&app, "demo00002", DEMO_PASSWORD).await;
    let [a, b, c] = app::check::review_years(app::check::today());
    let answers = format!(
        "region=53&has_sl=yes&sl_n=1&sl0_level=technician&sl0_on=2020-06-30&sl0_occ=6-18-01-01&has_t=no&work_on=2008-07-01&rev_{a}=pass&rev_{b}=pass&rev_{c}=pass&honour=none&post=none&degree=no"
    );
    let r = post_form(&app, "/dossiers", Some(&me), &[("answers", &answers)]).await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "a demo applicant starts a dossier"
    );
    assert!(location(&r).starts_with("/dossiers/"), "{}", location(&r));
    assert_eq!(
        get(&app, "/apply", Some(&me)).await.status(),
        StatusCode::OK
    );
}
on_both_backends!(demo_applicants, demo_applicants_can_apply);
