//! Account security over HTTP, on SQLite and PostgreSQL: redirect targets, sessions (ids, idle
//! and absolute lifetime, `Cache-Control`), password changes and resets, what sign-in and
//! registration reveal, and the audit trail of account administration.

use reqwest::StatusCode;
use store::testing::Backend;

use crate::helpers::{spawn_app, TestApp};
use crate::on_both_backends;
use crate::portal::{get, location, login, post_form, seed, session_from, Session, DEMO_PASSWORD};

/// Whether the session still signs in: a signed-in page answers 200, otherwise sign in first.
async fn is_live(app: &TestApp, session: &Session) -> bool {
    let r = get(app, "/dossiers", Some(session)).await;
    r.status() == StatusCode::OK
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
                ("consent", "yes"),
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
            ("consent", "yes"),
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
    let [a, b, c] = crate::helpers::review_years(casework::clock::real_today());
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

fn max_age(r: &reqwest::Response) -> Option<i64> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("gt_session="))?
        .split(';')
        .find_map(|part| part.trim().strip_prefix("Max-Age="))?
        .parse()
        .ok()
}

fn cache_control(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .get_all("cache-control")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect()
}

async fn register(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    post_form(
        app,
        "/register",
        None,
        &[
            ("username", username),
            ("display_name", "测试用户"),
            ("password", password),
            ("confirm", password),
            ("consent", "yes"),
        ],
    )
    .await
}

async fn audit_actions(app: &TestApp, account: i64) -> Vec<(String, String)> {
    let db = store::connect(&app.db_url).await.unwrap();
    store::audit::entries_about(&db, "account", &account.to_string())
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.actor, e.action))
        .collect()
}

async fn account_id(app: &TestApp, username: &str) -> i64 {
    let db = store::connect(&app.db_url).await.unwrap();
    store::accounts::search(&db, username, 100)
        .await
        .unwrap()
        .into_iter()
        .find(|(a, _)| a.username == username)
        .unwrap_or_else(|| panic!("no account {username}"))
        .0
        .id
}

async fn sessions_are_short_renewed_and_private(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;

    // 12 hours at most by default (and the idle timeout on the server).
    let r = register(&app, "short.lived", "a long enough password").await;
    assert_eq!(max_age(&r), Some(12 * 3600));
    let registered = session_from(&r).unwrap();

    // Signing in gives a new session id and ends the one the browser held.
    let r = app
        .client
        .post(app.url("/login"))
        .header("cookie", &registered.0)
        .form(&[
            ("username", "short.lived"),
            ("password", "a long enough password"),
        ])
        .send()
        .await
        .unwrap();
    let signed_in = session_from(&r).unwrap();
    assert_ne!(signed_in, registered);
    assert!(is_live(&app, &signed_in).await);
    assert!(!is_live(&app, &registered).await, "the old session ended");

    // Nothing personal is stored by a cache: every signed-in response, and the private places
    // whoever asks; public pages keep their revalidation.
    for path in [
        "/",
        "/check",
        "/dossiers",
        "/account/password",
        "/lang/en?back=/",
    ] {
        let r = get(&app, path, Some(&signed_in)).await;
        assert_eq!(cache_control(&r), ["no-store"], "signed in: {path}");
    }
    for path in [
        "/dossiers",
        "/review",
        "/admin/accounts",
        "/account/password",
    ] {
        let r = get(&app, path, None).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(cache_control(&r), ["no-store"], "anonymous: {path}");
    }
    let r = get(&app, "/check", None).await;
    assert_eq!(cache_control(&r), ["no-cache"]);
    let r = get(&app, "/pkg/guantong.0123abcd.css", Some(&signed_in)).await;
    assert!(
        cache_control(&r)[0].contains("immutable"),
        "the same public asset for everyone stays cacheable: {:?}",
        cache_control(&r)
    );

    // A change of roles ends the session: signing in again gives a new one with the new roles.
    let db = store::connect(&app.db_url).await.unwrap();
    let id = account_id(&app, "short.lived").await;
    let expert = store::accounts::Grant {
        role: "expert".into(),
        scope_committee: Some("committee-xx".into()),
        ..Default::default()
    };
    store::accounts::grant(&db, id, expert).await.unwrap();
    assert!(
        !is_live(&app, &signed_in).await,
        "roles changed: the session ended"
    );
    let again = login(&app, "short.lived", "a long enough password").await;
    assert_ne!(again, signed_in);
    assert!(is_live(&app, &again).await);
}
on_both_backends!(sessions, sessions_are_short_renewed_and_private);

async fn session_lifetimes_are_configured(backend: Backend) {
    let Some(app) = crate::helpers::spawn_app_with(backend, |c| {
        c.session_hours = 2;
        c.session_idle_minutes = 5;
    })
    .await
    else {
        return;
    };
    let r = register(&app, "two.hours", "a long enough password").await;
    assert_eq!(max_age(&r), Some(2 * 3600));
    let quiet = session_from(&r).unwrap();
    let busy = login(&app, "two.hours", "a long enough password").await;
    let db = store::connect(&app.db_url).await.unwrap();
    let token = |s: &Session| s.0.trim_start_matches("gt_session=").to_owned();
    let minutes = chrono::Duration::minutes;

    // Unused for six minutes: over the five configured, the server has ended it.
    store::testing::age_session(&db, &token(&quiet), minutes(6), minutes(6))
        .await
        .unwrap();
    assert!(!is_live(&app, &quiet).await, "idle beyond five minutes");
    // Used four minutes ago: still live, and its use moves the idle clock on.
    store::testing::age_session(&db, &token(&busy), minutes(4), minutes(4))
        .await
        .unwrap();
    assert!(is_live(&app, &busy).await);
    store::testing::age_session(&db, &token(&busy), minutes(4), minutes(4))
        .await
        .unwrap();
    assert!(
        is_live(&app, &busy).await,
        "last use was four minutes ago, not eight"
    );
    // Two hours after it opened it ends, however recently it was used.
    store::testing::age_session(&db, &token(&busy), minutes(113), minutes(0))
        .await
        .unwrap();
    assert!(!is_live(&app, &busy).await, "past the absolute lifetime");
}
on_both_backends!(session_config, session_lifetimes_are_configured);

async fn people_change_their_own_password(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let old = "a long enough password";
    let here = session_from(&register(&app, "changer", old).await).unwrap();
    let elsewhere = login(&app, "changer", old).await;

    let r = get(&app, "/account/password", None).await;
    assert_eq!(location(&r), "/login?next=%2Faccount%2Fpassword");
    let page = get(&app, "/account/password", Some(&here)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("当前密码") && html.contains("name=\"current\""),
        "{html}"
    );

    // Refusals name the field, in both languages.
    for (form, code, text) in [
        (
            [
                ("current", "wrong password!!"),
                ("password", "brand new password"),
                ("confirm", "brand new password"),
            ],
            "error=current",
            ("当前密码不正确", "The current password is not right"),
        ),
        (
            [
                ("current", old),
                ("password", "short"),
                ("confirm", "short"),
            ],
            "error=password",
            (
                "密码至少需要10个字符",
                "The password needs at least 10 characters",
            ),
        ),
        (
            [
                ("current", old),
                ("password", "brand new password"),
                ("confirm", "brand new passwort"),
            ],
            "error=confirm",
            ("两次输入的密码不一致", "The two passwords do not match"),
        ),
        (
            [("current", old), ("password", old), ("confirm", old)],
            "error=password_same",
            (
                "新密码不能与当前密码相同",
                "The new password must differ from the current one",
            ),
        ),
    ] {
        let (zh, en) = text;
        let r = post_form(&app, "/account/password", Some(&here), &form).await;
        let back = location(&r);
        assert!(back.contains(code), "{back}");
        assert!(
            !back.contains("password!!") && !back.contains("brand"),
            "{back}"
        );
        let html = get(&app, &back, Some(&here)).await.text().await.unwrap();
        assert!(html.contains(zh), "{code}: {html}");
        let english = app
            .client
            .get(app.url(&back))
            .header("cookie", format!("{}; lang=en", here.0))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(english.contains(en), "{code}: {english}");
    }
    assert!(
        is_live(&app, &elsewhere).await,
        "a refused change ends nothing"
    );

    let r = post_form(
        &app,
        "/account/password",
        Some(&here),
        &[
            ("current", old),
            ("password", "brand new password"),
            ("confirm", "brand new password"),
        ],
    )
    .await;
    assert_eq!(location(&r), "/account/password?notice=changed");
    let renewed = session_from(&r).expect("a new session for this browser");
    assert_ne!(renewed, here);
    assert!(is_live(&app, &renewed).await);
    assert!(!is_live(&app, &here).await, "the old session id is gone");
    assert!(!is_live(&app, &elsewhere).await, "other sessions end");
    let html = get(&app, "/account/password?notice=changed", Some(&renewed))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("密码已修改"), "{html}");
    login(&app, "changer", "brand new password").await;
    let id = account_id(&app, "changer").await;
    assert_eq!(
        audit_actions(&app, id).await,
        [
            (
                format!("account:{id}:changer"),
                "account.register".to_owned()
            ),
            (
                format!("account:{id}:changer"),
                "account.password_changed".to_owned()
            )
        ]
    );
}
on_both_backends!(password_change, people_change_their_own_password);

async fn answers_do_not_reveal_accounts(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;
    register(&app, "exists", "a long enough password").await;
    let answer = |r: &reqwest::Response| {
        location(r)
            .replace("username=exists", "username=U")
            .replace("username=nobody.here", "username=U")
    };

    // Wrong password, unknown username, locked account: one answer.
    let wrong = answer(
        &post_form(
            &app,
            "/login",
            None,
            &[("username", "exists"), ("password", "wrong password")],
        )
        .await,
    );
    let unknown = answer(
        &post_form(
            &app,
            "/login",
            None,
            &[("username", "nobody.here"), ("password", "wrong password")],
        )
        .await,
    );
    assert_eq!(wrong, unknown);
    for _ in 1..5 {
        post_form(
            &app,
            "/login",
            None,
            &[("username", "exists"), ("password", "wrong password")],
        )
        .await;
    }
    let locked = post_form(
        &app,
        "/login",
        None,
        &[
            ("username", "exists"),
            ("password", "a long enough password"),
        ],
    )
    .await;
    assert!(session_from(&locked).is_none());
    assert_eq!(
        answer(&locked),
        wrong,
        "a lock answers like a wrong password"
    );
    let html = get(&app, &location(&locked), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("用户名或密码不正确"), "{html}");
    // …while the lock is in the audit log.
    let id = account_id(&app, "exists").await;
    assert_eq!(
        audit_actions(&app, id).await,
        [
            (
                format!("account:{id}:exists"),
                "account.register".to_owned()
            ),
            ("system:sign-in".to_owned(), "account.locked".to_owned())
        ]
    );

    // A taken username is refused like a reserved one.
    let taken = register(&app, "exists", "a long enough password").await;
    let reserved = register(&app, "support", "a long enough password").await;
    assert_eq!(
        location(&taken).replace("exists", "U"),
        location(&reserved).replace("support", "U")
    );
    assert!(
        location(&taken).contains("error=unavailable"),
        "{}",
        location(&taken)
    );
    let html = get(&app, &location(&taken), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("该用户名不能使用"), "{html}");
}
on_both_backends!(enumeration, answers_do_not_reveal_accounts);

async fn account_administration_is_bounded_and_audited(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;
    let db = store::connect(&app.db_url).await.unwrap();
    for (user, region) in [("admin.peer", "53"), ("admin.sd", "37")] {
        let a = store::accounts::register(&db, user, user, DEMO_PASSWORD)
            .await
            .unwrap();
        store::accounts::grant(
            &db,
            a.id,
            store::accounts::Grant {
                role: "provincial_admin".into(),
                scope_region: Some(region.into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    let admin = login(&app, "admin", DEMO_PASSWORD).await;
    let admin_id = account_id(&app, "admin").await;

    // Not oneself, not a peer: refused with the reason; another province's: not found.
    for (user, status, text) in [
        (
            "admin",
            StatusCode::FORBIDDEN,
            "不能为自己的账号发放重置链接",
        ),
        (
            "admin.peer",
            StatusCode::FORBIDDEN,
            "不能为其他省级管理员发放重置链接",
        ),
        ("admin.sd", StatusCode::NOT_FOUND, ""),
    ] {
        let id = account_id(&app, user).await;
        let r = post_form(
            &app,
            &format!("/admin/accounts/{id}/reset"),
            Some(&admin),
            &[],
        )
        .await;
        assert_eq!(r.status(), status, "{user}");
        let html = r.text().await.unwrap();
        assert!(
            html.contains(text) && !html.contains("/reset/"),
            "{user}: {html}"
        );
        assert!(
            audit_actions(&app, id).await.is_empty(),
            "{user}: nothing issued"
        );
    }
    let english = app
        .client
        .post(app.url(&format!("/admin/accounts/{admin_id}/reset")))
        .header("cookie", format!("{}; lang=en", admin.0))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        english.contains("You cannot issue a reset link for your own account"),
        "{english}"
    );
    // The list offers no button where the answer would be a refusal.
    let html = get(&app, "/admin/accounts?q=admin", Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains(&format!("/admin/accounts/{admin_id}/reset")),
        "{html}"
    );
    assert!(html.contains("不能在此发放"));
    // Roles by their names, not their codes.
    assert!(html.contains("省级人社部门管理员"), "{html}");
    assert!(!html.contains(">provincial_admin<"), "{html}");

    // A newer link withdraws the older; using it ends the account's sessions; all audited.
    let person = session_from(&register(&app, "helped", "a long enough password").await).unwrap();
    let id = account_id(&app, "helped").await;
    let issue = || async {
        let r = post_form(
            &app,
            &format!("/admin/accounts/{id}/reset"),
            Some(&admin),
            &[],
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
        let page = r.text().await.unwrap();
        let start = page.find("/reset/").expect("reset link shown");
        page[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
            .collect::<String>()
    };
    let older = issue().await;
    let newer = issue().await;
    let set = |link: String| {
        let app = &app;
        async move {
            location(
                &post_form(
                    app,
                    &link,
                    None,
                    &[
                        ("password", "brand new password"),
                        ("confirm", "brand new password"),
                    ],
                )
                .await,
            )
        }
    };
    assert!(
        set(older.clone()).await.contains("error=reset_invalid"),
        "older link withdrawn"
    );
    assert!(is_live(&app, &person).await);
    assert_eq!(set(newer.clone()).await, "/login?reset=done");
    assert!(!is_live(&app, &person).await, "a reset ends every session");
    assert!(
        set(newer).await.contains("error=reset_invalid"),
        "a link works once"
    );
    login(&app, "helped", "brand new password").await;
    let admin_label = format!("account:{admin_id}:admin");
    let helped_label = format!("account:{id}:helped");
    assert_eq!(
        audit_actions(&app, id).await,
        [
            (helped_label.clone(), "account.register".to_owned()),
            (admin_label.clone(), "account.reset_link_issued".to_owned()),
            (admin_label, "account.reset_link_issued".to_owned()),
            (helped_label, "account.reset_link_used".to_owned()),
        ]
    );
    assert!(matches!(
        store::audit::verify(&db).await.unwrap(),
        store::audit::Verification::Intact { .. }
    ));
}
on_both_backends!(
    administration,
    account_administration_is_bounded_and_audited
);
