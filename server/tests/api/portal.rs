//! Accounts, the role × route access matrix, and a dossier's journey through the workflow, over
//! HTTP, on SQLite and PostgreSQL.

use reqwest::{multipart, StatusCode};
use store::testing::Backend;

use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use crate::on_both_backends;

pub(crate) const DEMO_PASSWORD: &str = store::demo::DEMO_PASSWORD;

/// A signed-in browser: the session cookie it holds (`gt_session=…`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Session(pub(crate) String);

pub(crate) fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub(crate) fn session_from(r: &reqwest::Response) -> Option<Session> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("gt_session=") && !c.starts_with("gt_session=;"))
        .map(|c| Session(c.split(';').next().unwrap_or_default().to_owned()))
}

pub(crate) async fn post_form(
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

/// A multipart post of one file as the field `file`, as a signed-in person.
pub(crate) async fn post_file(
    app: &TestApp,
    path: &str,
    session: &Session,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    app.client
        .post(app.url(path))
        .header("cookie", &session.0)
        .multipart(form)
        .send()
        .await
        .expect("request")
}

pub(crate) async fn get(app: &TestApp, path: &str, session: Option<&Session>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(s) = session {
        request = request.header("cookie", &s.0);
    }
    request.send().await.expect("request")
}

pub(crate) async fn login(app: &TestApp, username: &str, password: &str) -> Session {
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

pub(crate) async fn seed(app: &TestApp, applicants: usize) {
    let db = store::connect(&app.db_url).await.unwrap();
    store::demo::seed(
        &db,
        store::demo::DemoOptions {
            applicants,
            today: casework::clock::real_today(),
        },
    )
    .await
    .unwrap();
}

/// The day the dossier tests run on: its year's holiday calendar is loaded, and the working days
/// of every publicity period they start end within that year, whatever day the tests run.
fn test_day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// Sets or moves the server's day (`POST /test/clock`) and answers the day it now is.
async fn clock(app: &TestApp, form: &[(&str, &str)]) -> chrono::NaiveDate {
    let r = post_form(app, "/test/clock", None, form).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap().parse().unwrap()
}

/// Makes [`test_day`] the server's today.
async fn pin_test_day(app: &TestApp) -> chrono::NaiveDate {
    let day = clock(app, &[("date", &test_day().to_string())]).await;
    assert_eq!(day, test_day());
    day
}

/// Self-check answers that open the intermediate title on [`test_day`] (technician for 6 years,
/// assessments passed).
fn answers() -> String {
    let [a, b, c] = crate::helpers::review_years(test_day());
    format!(
        "region=53&has_sl=yes&sl_n=1&sl0_level=technician&sl0_on=2020-06-30&sl0_occ=6-18-01-01&has_t=no&work_on=2008-07-01&rev_{a}=pass&rev_{b}=pass&rev_{c}=pass&honour=none&post=none&degree=no"
    )
}

/// A multipart save of the dossier form.
async fn save(
    app: &TestApp,
    session: &Session,
    id: i64,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let mut form = multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some((name, bytes)) = file {
        form = form.part(
            "file",
            multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    }
    app.client
        .post(app.url(&format!("/dossiers/{id}")))
        .header("cookie", &session.0)
        .multipart(form)
        .send()
        .await
        .expect("save")
}

fn id_from(location: &str) -> i64 {
    location
        .trim_start_matches("/dossiers/")
        .split(['?', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("dossier id in {location}"))
}

async fn version_of(app: &TestApp, id: i64) -> i32 {
    let db = store::connect(&app.db_url).await.unwrap();
    store::dossiers::get(&db, id)
        .await
        .unwrap()
        .unwrap()
        .version
}

const ID_NUMBER: &str = "11010519491231002X";

/// How lists name the target `skill_ladder.intermediate:engineering`.
const TARGET_NAME: &str = "工程（工程师）· 技能等级申报职称";

/// Starts a dossier from the answers and fills it in completely (not yet submitted).
async fn complete_draft(app: &TestApp, applicant: &Session, name: &str) -> i64 {
    let r = post_form(
        app,
        "/dossiers",
        Some(applicant),
        &[("answers", &answers())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = id_from(&location(&r));
    let version = version_of(app, id).await.to_string();
    let r = save(
        app,
        applicant,
        id,
        &[
            ("version", &version),
            ("full_name", name),
            ("id_number", ID_NUMBER),
            ("org", "org-yn-machinery"),
            ("occupation", "6-18-01-01"),
            ("current_post", "数控车工"),
            ("target", "skill_ladder.intermediate:engineering"),
            ("a0_kind", "process_improvement"),
            ("a0_title", "薄壁件车削工艺改进"),
            ("a0_date", "2024-05-20"),
            ("a0_role", "主持"),
            ("a0_description", "废品率由5%降至1%"),
            ("nav", "save"),
        ],
        Some(("证书.pdf", b"%PDF-1.7\n1 0 obj\n".to_vec())),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "save");
    assert!(
        location(&r).contains("notice=file_stored"),
        "{}",
        location(&r)
    );
    id
}

async fn submit(app: &TestApp, session: &Session, id: i64, name: &str) -> reqwest::Response {
    let version = version_of(app, id).await.to_string();
    save(
        app,
        session,
        id,
        &[
            ("version", &version),
            ("full_name", name),
            ("id_number", ID_NUMBER),
            ("org", "org-yn-machinery"),
            ("occupation", "6-18-01-01"),
            ("current_post", "数控车工"),
            ("target", "skill_ladder.intermediate:engineering"),
            ("a0_kind", "process_improvement"),
            ("a0_title", "薄壁件车削工艺改进"),
            ("a0_date", "2024-05-20"),
            ("a0_role", "主持"),
            ("a0_description", "废品率由5%降至1%"),
            ("declaration", "yes"),
            ("nav", "submit"),
        ],
        None,
    )
    .await
}

async fn account_id(db: &store::Db, username: &str) -> i64 {
    store::accounts::search(db, username, 100)
        .await
        .unwrap()
        .into_iter()
        .find(|(a, _)| a.username == username)
        .unwrap_or_else(|| panic!("no account {username}"))
        .0
        .id
}

async fn state_of(app: &TestApp, id: i64) -> String {
    let db = store::connect(&app.db_url).await.unwrap();
    store::dossiers::get(&db, id).await.unwrap().unwrap().state
}

async fn accounts_sessions_and_resets(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;

    // Register: signed in at once, with a cookie scripts cannot read.
    let r = post_form(
        &app,
        "/register",
        None,
        &[
            ("username", "wang.jg"),
            ("display_name", "王建国"),
            ("password", "a long enough password"),
            ("confirm", "a long enough password"),
            ("consent", "yes"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/dossiers");
    let cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "no TLS in tests: {cookie}");
    let me = session_from(&r).unwrap();
    // The consent is recorded with the version of the notice agreed to, which the notice shows.
    let db = store::connect(&app.db_url).await.unwrap();
    let account = store::accounts::search(&db, "wang.jg", 1).await.unwrap();
    let consent = store::audit::entries_about(&db, "account", &account[0].0.id.to_string())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.action == "account.register")
        .expect("the registration is audited");
    let version = app::pages::privacy::PRIVACY_NOTICE_VERSION;
    assert!(consent.detail.contains(version), "{}", consent.detail);
    let notice = get(&app, "/privacy", None).await.text().await.unwrap();
    assert!(notice.contains("<title>个人信息保护告知 - 贯通</title>"));
    assert!(notice.contains(version) && notice.contains("敏感个人信息"));
    let page = get(&app, "/dossiers", Some(&me)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("王建国"));
    // Each page names itself in its title; one showing errors says so first.
    assert!(html.contains("<title>我的申报 - 贯通</title>"), "{html}");
    let login_page = get(&app, "/login", None).await.text().await.unwrap();
    assert!(
        login_page.contains("<title>登录 - 贯通</title>"),
        "{login_page}"
    );
    let refused = get(&app, "/register?error=unavailable", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        refused.contains("<title>错误：注册账号 - 贯通</title>"),
        "{refused}"
    );

    // Refusals come back to the form with the problem and what was typed (never the password).
    let r = post_form(
        &app,
        "/register",
        None,
        &[
            ("username", "wang.jg"),
            ("display_name", "王二"),
            ("password", "a long enough password"),
            ("confirm", "a long enough password"),
            ("consent", "yes"),
        ],
    )
    .await;
    // Taken: answered like a reserved name, without confirming that the account exists.
    assert!(
        location(&r).contains("error=unavailable"),
        "{}",
        location(&r)
    );
    let r = post_form(
        &app,
        "/register",
        None,
        &[
            ("username", "li"),
            ("display_name", "李"),
            ("password", "short"),
            ("confirm", "short"),
            ("consent", "yes"),
        ],
    )
    .await;
    let back = location(&r);
    assert!(
        back.contains("error=username") && back.contains("error=password"),
        "{back}"
    );
    assert!(
        !back.contains("short"),
        "a password never travels in a URL: {back}"
    );
    let page = get(&app, &back, None).await.text().await.unwrap();
    assert!(
        page.contains("用户名须为3至32个") && page.contains("value=\"li\""),
        "{page}"
    );

    // Sign out ends the session on the server, not only in the browser.
    let r = post_form(&app, "/logout", Some(&me), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = get(&app, "/dossiers", Some(&me)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/login?next="));

    // Five wrong passwords lock the account, even against the right one; a locked account is
    // answered like a wrong password, so the answer does not reveal that the account exists.
    for attempt in 1..=5 {
        let r = post_form(
            &app,
            "/login",
            None,
            &[("username", "wang.jg"), ("password", "wrong password!")],
        )
        .await;
        let expected = "error=invalid";
        assert!(
            location(&r).contains(expected),
            "attempt {attempt}: {}",
            location(&r)
        );
    }
    let r = post_form(
        &app,
        "/login",
        None,
        &[
            ("username", "wang.jg"),
            ("password", "a long enough password"),
        ],
    )
    .await;
    assert!(location(&r).contains("error=invalid"), "{}", location(&r));
    assert!(session_from(&r).is_none(), "locked: no session");

    // An administrator's one-time reset link lifts the lock and sets a new password.
    let admin = login(&app, "admin", DEMO_PASSWORD).await;
    let db = store::connect(&app.db_url).await.unwrap();
    let account = account_id(&db, "wang.jg").await;
    let r = post_form(
        &app,
        &format!("/admin/accounts/{account}/reset"),
        Some(&admin),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    let start = page.find("/reset/").expect("reset link shown");
    let link: String = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
        .collect();
    let r = post_form(
        &app,
        &link,
        None,
        &[
            ("password", "brand new password"),
            ("confirm", "brand new password"),
        ],
    )
    .await;
    assert_eq!(location(&r), "/login?reset=done");
    login(&app, "wang.jg", "brand new password").await;
    let r = post_form(
        &app,
        &link,
        None,
        &[
            ("password", "another new password"),
            ("confirm", "another new password"),
        ],
    )
    .await;
    assert!(
        location(&r).contains("error=reset_invalid"),
        "a link works once"
    );
}
on_both_backends!(accounts, accounts_sessions_and_resets);

async fn sign_ins_are_limited_per_address(backend: Backend) {
    let Some(app) = spawn_app_with(backend, |c| c.login_attempts_per_ip = 3).await else {
        return;
    };
    for user in ["a1", "a2", "a3"] {
        let r = post_form(
            &app,
            "/login",
            None,
            &[("username", user), ("password", "x")],
        )
        .await;
        assert!(location(&r).contains("error=invalid"));
    }
    let r = post_form(
        &app,
        "/login",
        None,
        &[("username", "a4"), ("password", "x")],
    )
    .await;
    assert!(location(&r).contains("error=rate"), "{}", location(&r));
}
on_both_backends!(login_rate_limit, sign_ins_are_limited_per_address);

/// Every role, in scope and out of it, against every protected route: each gets exactly the
/// status the matrix names, and nobody without access ever sees the dossier's data.
async fn role_route_matrix(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 3).await;
    let db = store::connect(&app.db_url).await.unwrap();
    // Out-of-scope colleagues of the demo roles.
    for (user, grant) in [
        (
            "hr-other",
            store::accounts::Grant {
                role: "employer_hr".into(),
                scope_org: Some("org-yn-power".into()),
                ..Default::default()
            },
        ),
        (
            "office-other",
            store::accounts::Grant {
                role: "committee_office".into(),
                scope_committee: Some("committee-xx".into()),
                ..Default::default()
            },
        ),
        (
            "admin-other",
            store::accounts::Grant {
                role: "provincial_admin".into(),
                scope_region: Some("37".into()),
                ..Default::default()
            },
        ),
        (
            "applicant2",
            store::accounts::Grant {
                role: "applicant".into(),
                ..Default::default()
            },
        ),
    ] {
        let a = store::accounts::register(&db, user, user, DEMO_PASSWORD)
            .await
            .unwrap();
        store::accounts::grant(&db, a.id, grant).await.unwrap();
    }
    pin_test_day(&app).await;
    let owner = login(&app, "applicant", DEMO_PASSWORD).await;
    let id = complete_draft(&app, &owner, "赵保密").await;
    assert_eq!(
        submit(&app, &owner, id, "赵保密").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(state_of(&app, id).await, "submitted");
    let attachment = store::attachments::list(&db, id).await.unwrap()[0].id;

    let mut who: Vec<(&str, Option<Session>)> = vec![("anonymous", None)];
    for user in [
        "applicant",
        "applicant2",
        "hr",
        "hr-other",
        "office",
        "office-other",
        "expert",
        "admin",
        "admin-other",
        "industry",
    ] {
        who.push((user, Some(login(&app, user, DEMO_PASSWORD).await)));
    }
    // Registered, no dossier yet: any province's administrator may help.
    let admin_target = account_id(&db, "applicant2").await;
    // Yunnan's: the applicant (a dossier with a Yunnan employer) and the employer's HR.
    let yunnan_applicant = account_id(&db, "applicant").await;
    let yunnan_hr = account_id(&db, "hr").await;

    // (method, path, expectations per user in `who` order). 303 = sent to sign in (anonymous)
    // or back to the page with a notice (an in-scope actor asking for a move not open now).
    let dossier = format!("/dossiers/{id}");
    let decision = format!("/dossiers/{id}/decision");
    let answers_path = format!("/dossiers/{id}/answers");
    let file = format!("/dossiers/{id}/attachments/{attachment}");
    let reset = format!("/admin/accounts/{admin_target}/reset");
    let reset_applicant = format!("/admin/accounts/{yunnan_applicant}/reset");
    let reset_hr = format!("/admin/accounts/{yunnan_hr}/reset");
    //            anon app  app2 hr   hr-o off  off-o exp  adm  adm-o ind
    let matrix: Vec<(&str, &str, [u16; 11])> = vec![
        (
            "GET",
            &dossier,
            [303, 200, 404, 200, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            "GET",
            &file,
            [303, 200, 404, 200, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            "POST",
            &dossier,
            [303, 303, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            "POST",
            &answers_path,
            [303, 303, 404, 404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            "POST",
            &decision,
            [303, 404, 404, 303, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            "GET",
            "/review",
            [303, 403, 403, 200, 200, 200, 200, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/review.csv",
            [303, 403, 403, 200, 200, 200, 200, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/admin/accounts",
            [303, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403],
        ),
        (
            "POST",
            &reset,
            [303, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403],
        ),
        (
            "POST",
            &reset_applicant,
            [303, 403, 403, 403, 403, 403, 403, 403, 200, 404, 403],
        ),
        (
            "POST",
            &reset_hr,
            [303, 403, 403, 403, 403, 403, 403, 403, 200, 404, 403],
        ),
        (
            "GET",
            "/admin/certificates",
            [303, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403],
        ),
        (
            "GET",
            "/admin/calendar",
            [303, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403],
        ),
        (
            "GET",
            "/admin/calendar/export",
            [303, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403],
        ),
        // An empty form: every field's problem, for an administrator only.
        (
            "POST",
            "/admin/calendar",
            [303, 403, 403, 403, 403, 403, 403, 403, 422, 422, 403],
        ),
        // No certificate is issued yet: one that does not exist is "not found" to any admin.
        (
            "GET",
            "/admin/certificates/1",
            [303, 403, 403, 403, 403, 403, 403, 403, 404, 404, 403],
        ),
        (
            "POST",
            "/admin/certificates/1/revoke",
            [303, 403, 403, 403, 403, 403, 403, 403, 404, 404, 403],
        ),
        (
            "GET",
            "/apply",
            [303, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        (
            "POST",
            "/dossiers",
            [303, 303, 303, 403, 403, 403, 403, 403, 403, 403, 403],
        ),
        (
            "GET",
            "/dossiers",
            [303, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
    ];
    for (method, path, expected) in &matrix {
        for ((user, session), want) in who.iter().zip(expected) {
            let response = match *method {
                "GET" => get(&app, path, session.as_ref()).await,
                _ if *path == dossier => {
                    let mut request = app.client.post(app.url(path)).multipart(
                        multipart::Form::new()
                            .text("version", "0")
                            .text("nav", "save"),
                    );
                    if let Some(s) = session {
                        request = request.header("cookie", &s.0);
                    }
                    request.send().await.unwrap()
                }
                _ => {
                    post_form(
                        &app,
                        path,
                        session.as_ref(),
                        &[("version", "0"), ("action", "noop")],
                    )
                    .await
                }
            };
            let status = response.status().as_u16();
            let where_to = location(&response);
            let body = response.text().await.unwrap_or_default();
            assert_eq!(status, *want, "{user} {method} {path} → {where_to}");
            if status != 200 {
                assert!(
                    !body.contains("赵保密") && !body.contains(ID_NUMBER),
                    "{user} {method} {path} leaked the dossier"
                );
            }
            if *user == "anonymous" {
                assert!(
                    where_to.starts_with("/login"),
                    "{method} {path}: {where_to}"
                );
            }
        }
    }
    // Once the employer approves, the committee office and the province's administrator see it.
    let version = version_of(&app, id).await.to_string();
    let hr = &who.iter().find(|(u, _)| *u == "hr").unwrap().1;
    // Approving asks for the tick first: without it the page comes back with the error beside
    // it, and nothing changes.
    let page = get(&app, &dossier, hr.as_ref()).await.text().await.unwrap();
    assert!(
        page.contains("我已核对申报材料，确认同意"),
        "the tick is offered"
    );
    let r = post_form(
        &app,
        &decision,
        hr.as_ref(),
        &[("version", &version), ("action", "approve")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("id=\"confirm-error\""),
        "the error beside the tick"
    );
    assert!(page.contains("请先勾选"), "named in Chinese");
    assert!(
        page.contains("<title>错误："),
        "the title says there is an error"
    );
    assert_eq!(
        version_of(&app, id).await.to_string(),
        version,
        "nothing changed"
    );
    let r = post_form(
        &app,
        &decision,
        hr.as_ref(),
        &[
            ("version", &version),
            ("action", "approve"),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert!(location(&r).contains("notice=approved"), "{}", location(&r));
    for (user, want) in [
        ("office", 200),
        ("office-other", 404),
        ("admin", 200),
        ("admin-other", 404),
        ("expert", 404),
        ("applicant2", 404),
    ] {
        let session = &who.iter().find(|(u, _)| *u == user).unwrap().1;
        let r = get(&app, &dossier, session.as_ref()).await;
        assert_eq!(r.status().as_u16(), want, "{user} after approval");
    }
    // Queues list only the scope's dossiers (in every state), and lists mask ID numbers.
    for (user, sees) in [
        ("hr", true),
        ("hr-other", false),
        ("office", true),
        ("office-other", false),
    ] {
        let session = &who.iter().find(|(u, _)| *u == user).unwrap().1;
        let page = get(&app, "/review?state=all", session.as_ref())
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(page.contains("赵保密"), sees, "{user} queue");
        // The target by its name, not its key (other dossiers in scope may share it).
        assert!(
            !sees || page.contains(TARGET_NAME),
            "{user} queue names the target"
        );
        assert!(
            !page.contains(ID_NUMBER),
            "{user}: unmasked ID number in a list"
        );
        let csv = get(&app, "/review.csv?state=all", session.as_ref())
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(csv.contains("赵保密"), sees, "{user} csv");
        assert!(
            !sees
                || csv.contains(&format!("{TARGET_NAME} "))
                    && csv.contains("[skill_ladder.intermediate:engineering]"),
            "{user} csv names the target and keeps its key"
        );
        assert!(!csv.contains(ID_NUMBER));
    }
    // An administrator lists the accounts of their own province, and registered people who
    // have applied nowhere yet; never another province's.
    for (user, lists) in [
        ("admin", [true, true, true]),
        ("admin-other", [false, false, true]),
    ] {
        let session = &who.iter().find(|(u, _)| *u == user).unwrap().1;
        let page = get(&app, "/admin/accounts", session.as_ref())
            .await
            .text()
            .await
            .unwrap();
        for (account, listed) in ["applicant", "hr", "applicant2"].iter().zip(lists) {
            assert_eq!(
                page.contains(&format!("发放重置链接 {account}\"")),
                listed,
                "{user} lists {account}"
            );
        }
    }
    // Reads by others are in the audit log, chained.
    let entries = store::dossiers::history(&db, id).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "dossier.submit"));
    match store::audit::verify(&db).await.unwrap() {
        store::audit::Verification::Intact { .. } => {}
        broken => panic!("{broken:?}"),
    }
}
on_both_backends!(access_matrix, role_route_matrix);

/// A draft takes new self-check answers from `/apply`; everything else typed in it stays. Only
/// its owner may, only while it is open to them, and only on the version they saw.
async fn answers_of_an_open_dossier_can_be_replaced(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;
    pin_test_day(&app).await;
    let db = store::connect(&app.db_url).await.unwrap();
    let other = store::accounts::register(&db, "applicant2", "applicant2", DEMO_PASSWORD)
        .await
        .unwrap();
    store::accounts::grant(
        &db,
        other.id,
        store::accounts::Grant {
            role: "applicant".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let me = login(&app, "applicant", DEMO_PASSWORD).await;
    let other = login(&app, "applicant2", DEMO_PASSWORD).await;
    let id = complete_draft(&app, &me, "李新").await;
    let before = store::dossiers::get(&db, id).await.unwrap().unwrap();
    // Now a senior technician (高级技师) since the same day: the associate senior title opens.
    let new_answers = answers().replace("sl0_level=technician", "sl0_level=senior_technician");
    let update = format!("/dossiers/{id}/answers");
    let form_for = format!("action=\"{update}\"");

    // /apply offers the owner's open dossier, and nobody else's.
    let page = get(&app, &format!("/apply?{new_answers}"), Some(&me))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&form_for), "the draft is offered");
    assert!(
        page.contains("高级工程师"),
        "the new answers open more: {page}"
    );
    let page = get(&app, &format!("/apply?{new_answers}"), Some(&other))
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains(&form_for), "another's draft is not offered");
    let version = before.version.to_string();
    let r = post_form(
        &app,
        &update,
        Some(&other),
        &[("answers", &new_answers), ("version", &version)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // A version older than the stored one changes nothing and says why, answers kept.
    let stale = (before.version - 1).to_string();
    let r = post_form(
        &app,
        &update,
        Some(&me),
        &[("answers", &new_answers), ("version", &stale)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.unwrap();
    assert!(page.contains("回答尚未更新"), "{page}");
    assert!(page.contains("sl0_level=senior_technician"), "answers kept");
    let unchanged = store::dossiers::get(&db, id).await.unwrap().unwrap();
    assert_eq!(unchanged.answers, before.answers);

    let r = post_form(
        &app,
        &update,
        Some(&me),
        &[("answers", &new_answers), ("version", &version)],
    )
    .await;
    assert_eq!(
        location(&r),
        format!("/dossiers/{id}?notice=answers_updated")
    );
    let after = store::dossiers::get(&db, id).await.unwrap().unwrap();
    assert!(after.answers.contains("sl0_level=senior_technician"));
    assert_eq!(after.version, before.version + 1);
    assert_eq!(
        (&after.full_name, &after.achievements, &after.target),
        (&before.full_name, &before.achievements, &before.target),
        "the rest of the draft stays"
    );
    let page = get(
        &app,
        &format!("/dossiers/{id}?notice=answers_updated"),
        Some(&me),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(page.contains("已用新的自测回答更新这份申报"));
    let page = get(&app, "/dossiers", Some(&me))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(TARGET_NAME), "my list names the target");

    // Once submitted, the answers are part of the receipt: no longer replaced.
    assert_eq!(
        submit(&app, &me, id, "李新").await.status(),
        StatusCode::SEE_OTHER
    );
    let submitted = store::dossiers::get(&db, id).await.unwrap().unwrap();
    let r = post_form(
        &app,
        &update,
        Some(&me),
        &[
            ("answers", &answers()),
            ("version", &submitted.version.to_string()),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("/dossiers/{id}?notice=not_allowed"));
    let page = get(&app, &format!("/apply?{}", answers()), Some(&me))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains(&form_for),
        "a submitted dossier is not offered"
    );
    assert_eq!(
        store::dossiers::get(&db, id)
            .await
            .unwrap()
            .unwrap()
            .answers,
        submitted.answers
    );
}
on_both_backends!(replace_answers, answers_of_an_open_dossier_can_be_replaced);

/// Draft → submit (refused until complete) → employer returns with reasons → fix → resubmit →
/// approval and unit publicity → the period runs out → committee returns every missing item at
/// once → resubmit → … → accepted for review. Plus a stale save that is refused with what was
/// typed kept.
async fn a_dossier_travels_the_first_half_of_the_procedure(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;
    let today = pin_test_day(&app).await;
    let me = login(&app, "applicant", DEMO_PASSWORD).await;
    let hr = login(&app, "hr", DEMO_PASSWORD).await;
    let office = login(&app, "office", DEMO_PASSWORD).await;

    // From the self-check: the answers come along, the open target is preselected.
    let r = get(&app, &format!("/apply?{}", answers()), Some(&me)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = post_form(&app, "/dossiers", Some(&me), &[("answers", &answers())]).await;
    let id = id_from(&location(&r));
    let page = get(&app, &format!("/dossiers/{id}"), Some(&me))
        .await
        .text()
        .await
        .unwrap();
    let db = store::connect(&app.db_url).await.unwrap();
    let preset = store::dossiers::get(&db, id)
        .await
        .unwrap()
        .unwrap()
        .target
        .expect("an open target is preselected");
    let at = page
        .find(&format!("value=\"{preset}\""))
        .expect("target offered");
    let option = &page[at..at + page[at..].find('>').unwrap()];
    assert!(option.contains("selected"), "target preselected: {option}");
    assert!(page.contains("6-18-01-01"), "occupation carried over");

    // Submitting an incomplete draft names every problem; what was typed stays.
    let version = version_of(&app, id).await.to_string();
    let r = save(
        &app,
        &me,
        id,
        &[
            ("version", &version),
            ("full_name", "王建国"),
            ("id_number", "110105194912310021"),
            ("occupation", "6-18-01-01"),
            ("target", "skill_ladder.intermediate:engineering"),
            ("a0_title", "半截的业绩"),
            ("nav", "submit"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    for expected in [
        "#id_number",
        "#org",
        "#current_post",
        "#a0_kind",
        "#a0_date",
        "半截的业绩",
    ] {
        assert!(page.contains(expected), "{expected} missing");
    }
    assert_eq!(state_of(&app, id).await, "draft");

    // A second window still holding the old version cannot overwrite the saved draft.
    let stale = save(
        &app,
        &me,
        id,
        &[
            ("version", &version),
            ("full_name", "另一个窗口"),
            ("nav", "save"),
        ],
        None,
    )
    .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let page = stale.text().await.unwrap();
    assert!(
        page.contains("另一个窗口") && page.contains("已被修改"),
        "typed text kept, conflict explained"
    );

    // A form that arrives without its version (a broken upload) changes nothing.
    let before = store::dossiers::get(&db, id).await.unwrap().unwrap();
    let r = save(&app, &me, id, &[("full_name", "")], None).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let after = store::dossiers::get(&db, id).await.unwrap().unwrap();
    assert_eq!(
        (after.version, after.full_name),
        (before.version, before.full_name)
    );
    // Every row the form carries is kept; empty rows are not.
    let version = before.version.to_string();
    let r = save(
        &app,
        &me,
        id,
        &[
            ("version", &version),
            ("full_name", "王建国"),
            ("a0_title", "第一项"),
            ("a1_title", ""),
            ("a2_title", "第三项"),
            ("nav", "add"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let rows: Vec<serde_json::Value> = serde_json::from_str(
        &store::dossiers::get(&db, id)
            .await
            .unwrap()
            .unwrap()
            .achievements,
    )
    .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let page = get(&app, &format!("/dossiers/{id}"), Some(&me))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("name=\"a2_title\""),
        "a fresh row to type into after the two kept"
    );

    // The browser's autosave gets the new version back, and a stale one a 409 with the current.
    let version = version_of(&app, id).await;
    let r = save(
        &app,
        &me,
        id,
        &[
            ("version", &version.to_string()),
            ("full_name", "王建国"),
            ("nav", "autosave"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["version"], version + 1);
    let r = save(
        &app,
        &me,
        id,
        &[("version", &version.to_string()), ("nav", "autosave")],
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["version"], version + 1);

    // Complete it (with a PDF; a renamed script is refused by content).
    let version = version_of(&app, id).await.to_string();
    let r = save(
        &app,
        &me,
        id,
        &[
            ("version", &version),
            ("org", "org-yn-machinery"),
            ("nav", "save"),
        ],
        Some(("scan.pdf", b"<script>alert(1)</script>".to_vec())),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("只接受PDF"));
    let version = version_of(&app, id).await.to_string();
    let r = save(
        &app,
        &me,
        id,
        &[
            ("version", &version),
            ("org", "org-yn-machinery"),
            ("nav", "save"),
        ],
        Some(("证书.pdf", b"%PDF-1.7\n".to_vec())),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = submit(&app, &me, id, "王建国").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", location(&r));
    assert_eq!(state_of(&app, id).await, "submitted");
    let stored = store::dossiers::get(&db, id).await.unwrap().unwrap();
    let receipt: serde_json::Value =
        serde_json::from_str(stored.receipt.as_deref().unwrap()).unwrap();
    assert_eq!(receipt["target"]["status"], "eligible");
    assert_eq!(
        receipt["rule_set"]["content_hash"].as_str().unwrap().len(),
        16
    );
    assert_eq!(stored.committee, "committee-yn-engineering");

    // The employer returns it: a return without any reason is refused.
    let version = version_of(&app, id).await.to_string();
    let r = post_form(
        &app,
        &format!("/dossiers/{id}/decision"),
        Some(&hr),
        &[("version", &version), ("action", "return")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The dossier's page comes back with the problem beside the reasons, not "not found".
    let page = r.text().await.unwrap();
    assert!(
        !page.contains("找不到这个页面"),
        "a 422, not a missing page"
    );
    assert!(
        page.contains("#reason_full_name") && page.contains("退回时请至少针对一个项目填写理由"),
        "the error names the reasons field"
    );
    assert!(page.contains("id=\"return-reasons\"") || page.contains("name=\"reason_full_name\""));
    assert!(
        page.contains("<details open"),
        "the reasons are open to be filled in"
    );
    let r = post_form(
        &app,
        &format!("/dossiers/{id}/decision"),
        Some(&hr),
        &[
            ("version", &version),
            ("action", "return"),
            ("reason_achievements", "请补充成果的经济效益证明"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(state_of(&app, id).await, "returned_by_employer");
    let page = get(&app, &format!("/dossiers/{id}"), Some(&me))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("请补充成果的经济效益证明"),
        "the reason shows to the applicant"
    );
    assert!(
        page.contains("薄壁件车削工艺改进"),
        "everything typed is kept"
    );

    // Fixed and resubmitted; approved; publicity for five working days.
    assert_eq!(
        submit(&app, &me, id, "王建国").await.status(),
        StatusCode::SEE_OTHER
    );
    let version = version_of(&app, id).await.to_string();
    let r = post_form(
        &app,
        &format!("/dossiers/{id}/decision"),
        Some(&hr),
        &[
            ("version", &version),
            ("action", "approve"),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("/dossiers/{id}?notice=approved"));
    let stored = store::dossiers::get(&db, id).await.unwrap().unwrap();
    let store::workflow::State::UnitPublicity { ends_on } =
        store::dossiers::state_of(&stored).unwrap()
    else {
        panic!("not in publicity: {}", stored.state);
    };
    let calendar = rules::WorkCalendar::builtin().unwrap();
    assert_eq!(
        calendar
            .nth_working_day_from(today.succ_opt().unwrap(), 5)
            .unwrap(),
        ends_on
    );
    // The applicant's list says what changed: the employer's return and approval, newest
    // first, by name and part; neither their own steps nor the employer's reads.
    let mine = get(&app, "/dossiers", Some(&me))
        .await
        .text()
        .await
        .unwrap();
    let news = &mine[mine.find("id=\"news\"").expect("the news list")..];
    let news = &news[..news.find("</ol>").unwrap()];
    let approve = news
        .find("data-action=\"dossier.employer_approve\"")
        .expect("approval");
    let ret = news
        .find("data-action=\"dossier.employer_return\"")
        .expect("return");
    assert!(approve < ret, "newest first");
    assert!(news.contains("单位人事部门"), "{news}");
    assert!(!news.contains("dossier.submit") && !news.contains("dossier.read"));
    // The committee office cannot end it early.
    let version = version_of(&app, id).await.to_string();
    let r = post_form(
        &app,
        &format!("/dossiers/{id}/decision"),
        Some(&office),
        &[("version", &version), ("action", "end_publicity")],
    )
    .await;
    assert!(
        location(&r).contains("publicity_not_over"),
        "{}",
        location(&r)
    );

    // Time passes; the period ends on its own and the formal check begins.
    let days = (ends_on - today).num_days() + 1;
    let today = clock(&app, &[("days", &days.to_string())]).await;
    let page = get(&app, &format!("/dossiers/{id}"), Some(&office))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("data-state=\"formal_check\""),
        "publicity ended"
    );

    // 一次性告知: every missing item at once.
    let version = version_of(&app, id).await.to_string();
    let r = post_form(
        &app,
        &format!("/dossiers/{id}/decision"),
        Some(&office),
        &[
            ("version", &version),
            ("action", "return"),
            ("reason_attachments", "缺少技师证书扫描件"),
            ("reason_answers", "缺少年度考核证明"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let stored = store::dossiers::get(&db, id).await.unwrap().unwrap();
    match store::dossiers::state_of(&stored).unwrap() {
        store::workflow::State::ReturnedByCommittee { reasons } => assert_eq!(reasons.len(), 2),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        submit(&app, &me, id, "王建国").await.status(),
        StatusCode::SEE_OTHER
    );
    for (who, action) in [(&hr, "approve")] {
        let version = version_of(&app, id).await.to_string();
        post_form(
            &app,
            &format!("/dossiers/{id}/decision"),
            Some(who),
            &[
                ("version", &version),
                ("action", action),
                ("confirm", "yes"),
            ],
        )
        .await;
    }
    let stored = store::dossiers::get(&db, id).await.unwrap().unwrap();
    let store::workflow::State::UnitPublicity { ends_on: second } =
        store::dossiers::state_of(&stored).unwrap()
    else {
        panic!("{}", stored.state);
    };
    let days = (second - today).num_days() + 1;
    clock(&app, &[("days", &days.to_string())]).await;
    get(&app, "/review", Some(&office)).await;
    get(&app, &format!("/dossiers/{id}"), Some(&office)).await;
    let version = version_of(&app, id).await.to_string();
    let r = post_form(
        &app,
        &format!("/dossiers/{id}/decision"),
        Some(&office),
        &[
            ("version", &version),
            ("action", "approve"),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(location(&r), format!("/dossiers/{id}?notice=accepted"));
    assert_eq!(state_of(&app, id).await, "accepted_for_review");

    // The applicant's timeline tells the whole story; the audit chain is intact.
    let page = get(&app, &format!("/dossiers/{id}"), Some(&me))
        .await
        .text()
        .await
        .unwrap();
    for step in [
        "提交",
        "单位退回",
        "单位同意",
        "公示期满",
        "评委会退回",
        "评委会受理",
    ] {
        assert!(page.contains(step), "timeline lacks {step}");
    }
    let history = store::dossiers::history(&db, id).await.unwrap();
    assert!(history
        .iter()
        .any(|h| h.actor == "system" && h.action == "dossier.end_publicity"));
    let reads = store::audit::verify(&db).await.unwrap();
    assert!(
        matches!(reads, store::audit::Verification::Intact { .. }),
        "{reads:?}"
    );
}
on_both_backends!(
    dossier_journey,
    a_dossier_travels_the_first_half_of_the_procedure
);

mod ballot;
mod calendar;
mod committees;
mod forms;
mod own;
mod pages;
mod queue;
mod sessions;
