//! Committees and their expert pools over HTTP, on SQLite and PostgreSQL: the provincial admin
//! creates and files a committee (refused input named and kept); its office adds, edits and
//! deactivates experts, imports a file whose bad rows are listed while its good rows are
//! stored, and exports CSV and XLSX; everyone else — another committee's office, an expert,
//! another province's admin — gets the 404.

use chrono::Months;
use reqwest::{multipart, StatusCode};
use store::testing::Backend;

use super::{get, location, login, post_file, post_form, seed, Session, DEMO_PASSWORD};
use crate::helpers::{spawn_app, TestApp};
use crate::on_both_backends;

const CODE: &str = "committee-yn-pool";

async fn account(db: &store::Db, user: &str, grant: Option<store::accounts::Grant>) {
    let a = store::accounts::register(db, user, user, DEMO_PASSWORD)
        .await
        .unwrap();
    if let Some(grant) = grant {
        store::accounts::grant(db, a.id, grant).await.unwrap();
    }
}

fn office_of(code: &str) -> Option<store::accounts::Grant> {
    Some(store::accounts::Grant {
        role: "committee_office".into(),
        scope_committee: Some(code.into()),
        ..Default::default()
    })
}

async fn import(
    app: &TestApp,
    session: &Session,
    code: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    post_file(
        app,
        &format!("/committees/{code}/import"),
        session,
        name,
        bytes,
    )
    .await
}

async fn body(r: reqwest::Response) -> String {
    r.text().await.unwrap()
}

async fn pools_over_http(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 3).await;
    let db = store::connect(&app.db_url).await.unwrap();
    account(&db, "office-pool", office_of(CODE)).await;
    account(&db, "office-elsewhere", office_of("committee-yn-elsewhere")).await;
    account(
        &db,
        "admin-sd",
        Some(store::accounts::Grant {
            role: "provincial_admin".into(),
            scope_region: Some("37".into()),
            ..Default::default()
        }),
    )
    .await;
    for user in ["pool.zhang", "pool.li", "pool.wang"] {
        account(&db, user, None).await;
    }
    let today = app.state.book.today();
    let in_two_years = (today + Months::new(24)).format("%Y-%m-%d").to_string();
    let in_five_years = (today + Months::new(60)).format("%Y-%m-%d").to_string();
    let today_text = today.format("%Y-%m-%d").to_string();

    // The provincial admin: a refused create names each field and keeps what was typed.
    let admin = login(&app, "admin", DEMO_PASSWORD).await;
    let page = get(&app, "/admin/committees", Some(&admin)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = body(page).await;
    assert!(html.contains("id=\"create-committee\""));
    assert!(
        html.contains("id=\"nav-committees\""),
        "the nav links the page"
    );
    let r = post_form(
        &app,
        "/admin/committees",
        Some(&admin),
        &[
            ("region", "53"),
            ("code", "Bad Code"),
            ("name", "保留的名称"),
            ("organiser", "ghost-org"),
            ("series", "engineering"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    for text in [
        "代码须为3至64个小写字母",
        "组建单位代码 ghost-org 不是已登记的单位",
        "请至少选择一个评审级别",
        "value=\"保留的名称\"",
        "error-summary",
        "<title>错误：",
    ] {
        assert!(html.contains(text), "{text} in the refused form");
    }
    let create = |code: &'static str| {
        [
            ("region", "53"),
            ("code", code),
            ("name", "滇中机械工程高级评委会"),
            ("organiser", "org-yn-machinery"),
            ("series", "engineering"),
            ("tiers", "senior"),
        ]
    };
    let r = post_form(&app, "/admin/committees", Some(&admin), &create(CODE)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/admin/committees?notice=committee_created");
    let r = post_form(&app, "/admin/committees", Some(&admin), &create(CODE)).await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code is taken once"
    );
    assert!(body(r).await.contains("已被使用"));
    let r = post_form(
        &app,
        "/admin/committees",
        Some(&admin),
        &create("committee-yn-elsewhere"),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let org = store::organisations::get(&db, CODE).await.unwrap().unwrap();
    assert_eq!(
        (org.kind.as_str(), org.region.as_str()),
        ("committee", "53")
    );
    let html = body(get(&app, "/admin/committees", Some(&admin)).await).await;
    assert!(html.contains("data-filing=\"not_filed\""), "not filed yet");

    // Filing: more than the parameter's years is refused, with the last day allowed.
    let filing = format!("/admin/committees/{CODE}/filing");
    let r = post_form(
        &app,
        &filing,
        Some(&admin),
        &[
            ("number", "云职改备〔2026〕9号"),
            ("filed_on", &today_text),
            ("expires_on", &in_five_years),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(html.contains("备案有效期最长3年"), "the limit quoted");
    assert!(
        html.contains(&format!("value=\"{in_five_years}\"")),
        "typed kept"
    );
    let r = post_form(
        &app,
        &filing,
        Some(&admin),
        &[
            ("number", "云职改备〔2026〕9号"),
            ("filed_on", &today_text),
            ("expires_on", &in_two_years),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = body(get(&app, "/admin/committees", Some(&admin)).await).await;
    assert!(html.contains("data-filing=\"in_force\""), "filed");

    // Who reaches the committee: its office and its region's admin; nobody else.
    let office = login(&app, "office-pool", DEMO_PASSWORD).await;
    let elsewhere = login(&app, "office-elsewhere", DEMO_PASSWORD).await;
    let expert = login(&app, "expert", DEMO_PASSWORD).await;
    let demo_office = login(&app, "office", DEMO_PASSWORD).await;
    let admin_sd = login(&app, "admin-sd", DEMO_PASSWORD).await;
    let page_path = format!("/committees/{CODE}");
    let r = get(&app, &page_path, Some(&office)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = body(r).await;
    assert!(html.contains("id=\"import-form\"") && html.contains("id=\"expert-form\""));
    assert!(html.contains("id=\"nav-committee\""));
    let html = body(get(&app, &page_path, Some(&admin)).await).await;
    assert!(
        html.contains("id=\"pool-heading\"") && !html.contains("id=\"import-form\""),
        "the region's admin reads the pool and does not work it"
    );
    assert!(
        html.contains("id=\"record-form\""),
        "the admin edits the record"
    );
    let mut edit_record = vec![
        ("name", "滇中机械工程评委会（改）"),
        ("organiser", "ghost-org"),
        ("series", "engineering"),
        ("tiers", "senior"),
        ("specialty", "机械"),
    ];
    let record_path = format!("/admin/committees/{CODE}");
    let r = post_form(&app, &record_path, Some(&admin), &edit_record).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(html.contains("组建单位代码 ghost-org 不是已登记的单位"));
    assert!(
        html.contains("value=\"滇中机械工程评委会（改）\""),
        "typed kept"
    );
    edit_record[1] = ("organiser", "org-yn-machinery");
    let r = post_form(&app, &record_path, Some(&admin), &edit_record).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let named = store::committees::get(&db, CODE).await.unwrap().unwrap();
    assert_eq!(named.name, "滇中机械工程评委会（改）");
    assert_eq!(named.row.tiers, "senior");
    assert_eq!(named.row.specialty.as_deref(), Some("机械"));
    let r = post_form(&app, &record_path, Some(&admin_sd), &edit_record).await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "another province's record"
    );
    let r = get(&app, &page_path, None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "sign in first");
    for (who, session) in [
        ("another committee's office", &elsewhere),
        ("an expert", &expert),
        ("the demo committee's office", &demo_office),
        ("another province's admin", &admin_sd),
    ] {
        for path in [
            page_path.clone(),
            format!("{page_path}/experts.csv"),
            format!("{page_path}/experts.xlsx"),
            "/committees/no-such-committee".to_owned(),
        ] {
            assert_eq!(
                get(&app, &path, Some(session)).await.status(),
                StatusCode::NOT_FOUND,
                "{who}: GET {path}"
            );
        }
        let r = post_form(
            &app,
            &format!("{page_path}/experts"),
            Some(session),
            &[("username", "pool.zhang")],
        )
        .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{who}: add");
        let r = import(&app, session, CODE, "pool.csv", b"username\n".to_vec()).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{who}: import");
    }
    let r = post_form(&app, &filing, Some(&admin_sd), &[("number", "x")]).await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "another province's filing"
    );
    let r = post_form(&app, &filing, Some(&office), &[("number", "x")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "an office files nothing");
    // The admin does not work the pool.
    let r = post_form(
        &app,
        &format!("{page_path}/experts"),
        Some(&admin),
        &[("username", "pool.zhang")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The office adds an expert; a refused entry names its fields and keeps what was typed.
    let add = |user: &'static str, title: &'static str, to: String| {
        vec![
            ("username", user.to_owned()),
            ("name", format!("{user} 专家")),
            ("unit", "org-yn-power".to_owned()),
            ("specialty", "机械".to_owned()),
            ("title_level", title.to_owned()),
            ("high_skill", "on".to_owned()),
            ("duty", "member".to_owned()),
            ("term_from", today_text.clone()),
            ("term_to", to),
            ("active", "on".to_owned()),
        ]
    };
    let as_refs = |v: &Vec<(&str, String)>| -> Vec<(String, String)> {
        v.iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    };
    let post_owned = |path: String, form: Vec<(String, String)>, s: Session| {
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            post_form(app, &path, Some(&s), &pairs).await
        }
    };
    let r = post_owned(
        format!("{page_path}/experts"),
        as_refs(&add("pool.zhang", "intermediate", in_five_years.clone())),
        office.clone(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    for text in [
        "低于本评委会评审的最低级别",
        "任期最长3年",
        "value=\"pool.zhang 专家\"",
    ] {
        assert!(html.contains(text), "{text} in the refused entry");
    }
    let r = post_owned(
        format!("{page_path}/experts"),
        as_refs(&add("pool.zhang", "senior", in_two_years.clone())),
        office.clone(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "added");
    let zhang = store::committees::account_ids(&db, vec!["pool.zhang".into()])
        .await
        .unwrap()["pool.zhang"];
    assert!(
        store::accounts::grants(&db, zhang)
            .await
            .unwrap()
            .iter()
            .any(|g| g.role == "expert" && g.scope_committee.as_deref() == Some(CODE)),
        "the account holds the expert role here"
    );
    let r = post_owned(
        format!("{page_path}/experts"),
        as_refs(&add("pool.zhang", "senior", in_two_years.clone())),
        office.clone(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(r).await.contains("该账号已在本评委会专家库中"));

    // An import: the good row is stored; the bad rows are listed by row and never stop it.
    let csv = format!(
        "用户名 username,姓名 name,单位代码 unit,系列 series,专业 specialty,职称级别 title_level,高技能人才 high_skill,职务 duty,任期开始 term_from,任期结束 term_to,在库 active\n\
         pool.li,李工,org-yn-machinery,engineering,电气,associate_senior,否,vice_chair,{today_text},{in_two_years},是\n\
         pool.wang,王工,org-yn-machinery,enginering,电气,senior,否,member,{today_text},{in_two_years},是\n\
         nobody.here,无名,org-yn-machinery,engineering,电气,senior,否,member,{today_text},{in_two_years},是\n"
    );
    let r = import(&app, &office, CODE, "pool.csv", csv.into_bytes()).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = body(r).await;
    assert!(html.contains("id=\"import-report\""));
    assert!(html.contains("第3行：未知系列 enginering"), "{html}");
    assert!(html.contains("第4行：没有用户名为 nobody.here 的账号"));
    assert!(html.contains("添加1位，更新0位，2行未导入"));
    let pool = store::committees::experts(&db, CODE).await.unwrap();
    assert_eq!(pool.len(), 2, "the good row is stored");
    assert!(pool
        .iter()
        .any(|e| e.name == "李工" && e.duty == "vice_chair"));
    // In English the same report.
    let english = app
        .client
        .post(app.url(&format!("/committees/{CODE}/import")))
        .header("cookie", format!("{}; lang=en", office.0))
        .multipart(multipart::Form::new().part(
            "file",
            multipart::Part::bytes(
                format!("username,name,unit,series,title_level,term_from,term_to\npool.wang,王工,org-yn-machinery,enginering,senior,{today_text},{in_two_years}\n").into_bytes(),
            )
            .file_name("pool.csv"),
        ))
        .send()
        .await
        .unwrap();
    let html = body(english).await;
    assert!(
        html.contains("row 2: unknown series enginering"),
        "the English report"
    );
    // A file that is no pool is refused whole, naming why.
    let r = import(
        &app,
        &office,
        CODE,
        "x.csv",
        b"colour,name\nred,x\n".to_vec(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(r).await.contains("表头中有未知的列“colour”"));
    let r = import(
        &app,
        &office,
        CODE,
        "big.csv",
        vec![b'a'; casework::pool_file::MAX_FILE_BYTES + 10],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body(r).await.contains("文件超过2 MB"));

    // The exports download the pool.
    let r = get(&app, &format!("{page_path}/experts.csv"), Some(&office)).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xef\xbb\xbf"));
    let back = casework::pool_file::read(&bytes).unwrap();
    assert_eq!(back.entries.len(), 2);
    let r = get(&app, &format!("{page_path}/experts.xlsx"), Some(&admin)).await;
    assert_eq!(r.status(), StatusCode::OK, "the region's admin exports too");
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    let back = casework::pool_file::read(&bytes).unwrap();
    let mut users: Vec<String> = back.entries.into_iter().map(|(_, e)| e.username).collect();
    users.sort();
    assert_eq!(users, vec!["pool.li", "pool.zhang"]);

    // Edit and deactivate; another office cannot touch them.
    let li = pool.iter().find(|e| e.name == "李工").unwrap().id;
    let html = body(get(&app, &format!("{page_path}?edit={li}"), Some(&office)).await).await;
    assert!(html.contains("value=\"李工\""), "the edit form is filled");
    let mut edit = add("pool.li", "senior", in_two_years.clone());
    edit[1].1 = "李高工".into();
    let r = post_owned(
        format!("{page_path}/experts/{li}"),
        as_refs(&edit),
        office.clone(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = post_owned(
        format!("{page_path}/experts/{li}"),
        as_refs(&edit),
        elsewhere.clone(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = post_form(
        &app,
        &format!("{page_path}/experts/{li}/deactivate"),
        Some(&elsewhere),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = post_form(
        &app,
        &format!("{page_path}/experts/{li}/deactivate"),
        Some(&office),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let row = store::committees::expert_of(&db, CODE, li)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.name.as_str(), row.active), ("李高工", false));
    let html = body(get(&app, &page_path, Some(&office)).await).await;
    assert!(html.contains("data-active=\"false\""));
    // The other committee's expert ids are not this committee's.
    let r = post_form(
        &app,
        &format!("/committees/committee-yn-elsewhere/experts/{li}/deactivate"),
        Some(&elsewhere),
        &[],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(
        !store::accounts::grants(&db, row.account_id)
            .await
            .unwrap()
            .iter()
            .any(|g| g.role == "expert"),
        "a deactivated expert no longer holds the expert role"
    );

    // A record change the experts in service would no longer fit is refused, naming them; the
    // deactivated one is not named.
    let mut other_series = edit_record.clone();
    other_series[2] = ("series", "agriculture");
    let r = post_form(&app, &record_path, Some(&admin), &other_series).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = body(r).await;
    assert!(
        html.contains("专家库中有1位在任专家不属于农业系列（pool.zhang 专家）"),
        "{html}"
    );
    assert!(!html.contains("李高工）"));
    assert_eq!(
        store::committees::get(&db, CODE)
            .await
            .unwrap()
            .unwrap()
            .row
            .series,
        "engineering",
        "nothing changed"
    );

    let log: Vec<String> = store::audit::entries_about(&db, "committee", CODE)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in [
        "committee.create",
        "committee.update",
        "committee.file",
        "expert.import",
    ] {
        assert!(log.iter().any(|a| a == action), "{action} in {log:?}");
    }
}
on_both_backends!(committees_and_pools, pools_over_http);
