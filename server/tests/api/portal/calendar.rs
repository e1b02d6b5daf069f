//! The holiday calendar in the app (rules administration item 9): a provincial administrator
//! enters next year's holidays and make-up working days — every problem at once, beside its
//! field, what was typed kept; from a file with its bad rows named — and a publicity period that
//! ran into the missing year, refused before, is counted with it at once. The administrators'
//! pages warn from November while next year is missing.

use reqwest::{multipart, StatusCode};
use store::testing::Backend;

use super::{
    clock, complete_draft, get, location, login, post_file, post_form, seed, state_of, submit,
    version_of, Session, DEMO_PASSWORD,
};
use crate::helpers::{spawn_app, TestApp};
use crate::on_both_backends;

const NOTICE: &str = "国务院办公厅关于2027年部分节假日安排的通知（测试用）";

async fn read_file(
    app: &TestApp,
    session: &Session,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    post_file(app, "/admin/calendar/import", session, name, bytes).await
}

async fn text(app: &TestApp, path: &str, session: &Session) -> String {
    get(app, path, Some(session)).await.text().await.unwrap()
}

async fn approve(app: &TestApp, hr: &Session, id: i64) -> reqwest::Response {
    let version = version_of(app, id).await.to_string();
    post_form(
        app,
        &format!("/dossiers/{id}/decision"),
        Some(hr),
        &[
            ("version", &version),
            ("action", "approve"),
            ("confirm", "yes"),
        ],
    )
    .await
}

async fn next_year_is_entered_in_the_app(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;
    let db = store::connect(&app.db_url).await.unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 28).unwrap();
    assert_eq!(clock(&app, &[("date", &day.to_string())]).await, day);
    let admin = login(&app, "admin", DEMO_PASSWORD).await;
    let hr = login(&app, "hr", DEMO_PASSWORD).await;
    let me = login(&app, "applicant", DEMO_PASSWORD).await;

    // December, and 2027 is missing: the administrators' pages say so, with the way to it.
    let accounts = text(&app, "/admin/accounts", &admin).await;
    assert!(accounts.contains("id=\"calendar-warning\""), "warned");
    assert!(accounts.contains("尚未录入2027年的节假日安排"));
    assert!(accounts.contains("href=\"/admin/calendar?year=2027\""));
    assert!(
        !text(&app, "/review", &hr)
            .await
            .contains("calendar-warning"),
        "not on the other roles' pages"
    );
    let page = text(&app, "/admin/calendar", &admin).await;
    assert!(page.contains("data-year=\"2025\"") && page.contains("data-year=\"2026\""));
    assert!(
        page.contains("随版本发布"),
        "the shipped years are named so"
    );
    assert!(page.contains("国务院办公厅关于2026年部分节假日安排的通知"));

    // The employer's approval would start five working days of publicity running into 2027:
    // refused, clearly, and the dossier stays where it was.
    let id = complete_draft(&app, &me, "王建国").await;
    assert_eq!(
        submit(&app, &me, id, "王建国").await.status(),
        StatusCode::SEE_OTHER
    );
    let r = approve(&app, &hr, id).await;
    assert_eq!(location(&r), format!("/dossiers/{id}?notice=calendar"));
    assert_eq!(state_of(&app, id).await, "submitted");
    let refused = text(&app, &format!("/dossiers/{id}?notice=calendar"), &hr).await;
    assert!(
        refused.contains("该年度的节假日安排尚未录入"),
        "the refusal says why"
    );

    // Every problem at once, each beside its field, what was typed kept.
    let typed_holidays = "2027-01-01\n2027-01-01\n2027-02-30\n2026-12-31";
    let r = post_form(
        &app,
        "/admin/calendar",
        Some(&admin),
        &[
            ("year", "2027"),
            ("source", " "),
            ("holidays", typed_holidays),
            ("makeup_workdays", "2027-02-08, 2027-01-01"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    for expected in [
        "请填写节假日安排所依据的通知名称",
        "2027-01-01填写了两次",
        "“2027-02-30”不是日期",
        "2026-12-31不在2027年内",
        "2027-02-08是周一至周五",
        "2027-01-01既填为放假日又填为调休上班日",
        "href=\"#source\"",
        "href=\"#holidays\"",
        "href=\"#makeup_workdays\"",
        "<title>错误：",
    ] {
        assert!(body.contains(expected), "{expected}");
    }
    assert!(
        body.contains("2027-01-01\n2027-01-01\n2027-02-30\n2026-12-31"),
        "kept"
    );
    assert!(body.contains("aria-invalid=\"true\""));
    assert!(
        !state_calendar_has_2027(&app, &admin).await,
        "a refused year is not saved"
    );
    // The same in English.
    let english = Session(format!("{}; lang=en", admin.0));
    let r = post_form(&app, "/admin/calendar", Some(&english), &[("year", "27")]).await;
    let body = r.text().await.unwrap();
    assert!(body.contains("Enter a year from 2000 to 2099"));
    assert!(body.contains("Name the notice the holidays come from"));
    assert!(body.contains("Enter at least one public holiday"));

    // Only a provincial administrator enters it.
    let r = post_form(
        &app,
        "/admin/calendar",
        Some(&hr),
        &[
            ("year", "2027"),
            ("source", NOTICE),
            ("holidays", "2027-01-01"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // A file first: its good rows go into the form, its bad rows are named; nothing is saved.
    let file = "日期 date,类别 kind\n2027-01-01,放假\n2027-02-30,放假\n2027-02-20,加班\n2027-02-06,调休上班\n";
    let r = read_file(&app, &admin, "2027.csv", file.as_bytes().to_vec()).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("第3行：“2027-02-30”不是日期"), "{body}");
    assert!(body.contains("第4行：类别“加班”应为“放假”或“调休上班”"));
    assert!(body.contains("已从文件读取 2 个日期"));
    assert!(body.contains("value=\"2027\""), "the year is filled in");
    assert!(!state_calendar_has_2027(&app, &admin).await);
    let r = read_file(&app, &admin, "x.csv", b"date\n2027-01-01\n".to_vec()).await;
    assert!(r.text().await.unwrap().contains("表头缺少列“类别 kind”"));
    let r = app
        .client
        .post(app.url("/admin/calendar/import"))
        .header("cookie", &admin.0)
        .multipart(multipart::Form::new().text("source", NOTICE))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("请选择要导入的文件"));

    // Saved: in force at once, audited, the warning gone.
    let r = post_form(
        &app,
        "/admin/calendar",
        Some(&admin),
        &[
            ("year", "2027"),
            ("source", NOTICE),
            ("holidays", "2027-01-01..2027-01-03\n2027-02-06"),
            ("makeup_workdays", "2027-01-09"),
        ],
    )
    .await;
    assert_eq!(location(&r), "/admin/calendar?notice=calendar_saved");
    let page = text(&app, "/admin/calendar?notice=calendar_saved", &admin).await;
    assert!(page.contains("该年度的节假日安排已保存，即时生效。"));
    assert!(page.contains("data-year=\"2027\""));
    assert!(page.contains(NOTICE));
    assert!(page.contains("(UTC+8)录入"), "entered, by whom and when");
    assert!(!text(&app, "/admin/accounts", &admin)
        .await
        .contains("calendar-warning"));
    let edit = text(&app, "/admin/calendar?year=2027", &admin).await;
    assert!(
        edit.contains("2027-01-01\n2027-01-02\n2027-01-03\n2027-02-06"),
        "a range is its days"
    );

    // The approval refused before now starts the period, counted on 2027's days: Tue 29 to
    // Thu 31 Dec, then 1–3 Jan off, Mon 4 and Tue 5 Jan.
    let r = approve(&app, &hr, id).await;
    assert_eq!(location(&r), format!("/dossiers/{id}?notice=approved"));
    let stored = store::dossiers::get(&db, id).await.unwrap().unwrap();
    let store::workflow::State::UnitPublicity { ends_on } =
        store::dossiers::state_of(&stored).unwrap()
    else {
        panic!("not in publicity: {}", stored.state);
    };
    assert_eq!(
        ends_on,
        chrono::NaiveDate::from_ymd_opt(2027, 1, 5).unwrap()
    );

    // The year as CSV, which reads back; the template is the header alone.
    let r = get(&app, "/admin/calendar/export?year=2027", Some(&admin)).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("calendar-2027.csv"));
    let csv = r.bytes().await.unwrap().to_vec();
    assert!(csv.starts_with(b"\xef\xbb\xbf"));
    let csv_text = String::from_utf8(csv.clone()).unwrap();
    assert!(csv_text.contains("2027-02-06,放假") && csv_text.contains("2027-01-09,调休上班"));
    let r = read_file(&app, &admin, "calendar-2027.csv", csv).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    assert!(body.contains("已从文件读取 5 个日期"));
    assert!(
        body.contains(NOTICE),
        "the notice of a year in force is kept"
    );
    let template = get(&app, "/admin/calendar/export", Some(&admin)).await;
    assert_eq!(
        template.text().await.unwrap(),
        "\u{feff}日期 date,类别 kind\r\n"
    );

    // Changed again: replaced, not added; both saves audited; the chain holds.
    let r = post_form(
        &app,
        "/admin/calendar",
        Some(&admin),
        &[
            ("year", "2027"),
            ("source", NOTICE),
            ("holidays", "2027-01-01"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let stored = store::calendar::all(&db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].entry.holidays.len(), 1);
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let saves = store::entities::audit_entry::Entity::find()
        .filter(store::entities::audit_entry::Column::Action.eq("calendar.save"))
        .all(&db)
        .await
        .unwrap();
    assert_eq!(saves.len(), 2);
    let detail: serde_json::Value = serde_json::from_str(&saves[1].detail).unwrap();
    assert_eq!(detail["replaced"], true);
    assert!(matches!(
        store::audit::verify(&db).await.unwrap(),
        store::audit::Verification::Intact { .. }
    ));
}

/// Whether the calendar page lists 2027 as a year in force.
async fn state_calendar_has_2027(app: &TestApp, admin: &Session) -> bool {
    text(app, "/admin/calendar", admin)
        .await
        .contains("data-year=\"2027\"")
}

on_both_backends!(calendar_in_the_app, next_year_is_entered_in_the_app);
