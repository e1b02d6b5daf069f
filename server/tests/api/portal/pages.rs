//! What the dossier and review pages say (issue 15): every problem of a submit at once, no
//! blank achievement rows, a receipt and a timeline in people's words, and HR's queue as the
//! work waiting.

use reqwest::StatusCode;
use store::testing::Backend;

use super::{
    complete_draft, get, location, login, pin_test_day, post_form, save, seed, state_of,
    version_of, Session, DEMO_PASSWORD, ID_NUMBER,
};
use crate::helpers::{spawn_app, TestApp};
use crate::on_both_backends;

/// The same browser with the English pages.
fn in_english(session: &Session) -> Session {
    Session(format!("{}; lang=en", session.0))
}

async fn attachments(app: &TestApp, id: i64) -> usize {
    let db = store::connect(&app.db_url).await.unwrap();
    store::attachments::list(&db, id).await.unwrap().len()
}

/// Where `needle` is on `page`, or a failure naming it.
fn at(page: &str, needle: &str) -> usize {
    page.find(needle)
        .unwrap_or_else(|| panic!("{needle} not on the page"))
}

/// Item 4: a submit whose file is refused names that file together with every field's problem
/// (一次性告知), in both languages, keeping what was typed; a plain save with a refused file
/// checks no fields. Registration names all of its problems at once too.
async fn a_refused_file_does_not_hide_the_other_problems(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;
    pin_test_day(&app).await;
    let me = login(&app, "applicant", DEMO_PASSWORD).await;
    let id = complete_draft(&app, &me, "王建国").await;
    assert_eq!(attachments(&app, id).await, 1);
    let script = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec();
    let fields = |version: &str| {
        vec![
            ("version".to_owned(), version.to_owned()),
            ("full_name".to_owned(), String::new()),
            ("id_number".to_owned(), ID_NUMBER.to_owned()),
            ("org".to_owned(), "org-yn-machinery".to_owned()),
            ("occupation".to_owned(), "6-18-01-01".to_owned()),
            ("current_post".to_owned(), String::new()),
            (
                "target".to_owned(),
                "skill_ladder.intermediate:engineering".to_owned(),
            ),
            ("a0_kind".to_owned(), "process_improvement".to_owned()),
            ("a0_title".to_owned(), String::new()),
            ("a0_date".to_owned(), "2024-05-20".to_owned()),
            ("a0_role".to_owned(), "主持人之一".to_owned()),
        ]
    };
    let post = |session: Session, nav: &'static str| {
        let script = script.clone();
        let app = &app;
        async move {
            let version = version_of(app, id).await.to_string();
            let mut form = fields(&version);
            form.push(("nav".to_owned(), nav.to_owned()));
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            save(app, &session, id, &form, Some(("程序.pdf", script))).await
        }
    };

    for (session, texts) in [
        (
            me.clone(),
            [
                "只接受PDF、JPG、PNG文件",
                "请填写姓名",
                "请填写现任岗位",
                "请填写业绩成果的名称",
            ],
        ),
        (
            in_english(&me),
            [
                "Only PDF, JPG and PNG files are accepted",
                "Enter your full name",
                "Enter your current post",
                "Enter the achievement&#x27;s title",
            ],
        ),
    ] {
        let r = post(session, "submit").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        let summary = &page[at(&page, "error-summary")..];
        let summary = &summary[..at(summary, "</ul>")];
        for text in texts {
            assert!(
                summary.contains(text) || summary.contains(&text.replace("&#x27;", "'")),
                "{text} is in the error summary: {summary}"
            );
        }
        // Each problem links to its field, in the page's order, the file's last.
        let links: Vec<usize> = [
            "href=\"#full_name\"",
            "href=\"#current_post\"",
            "href=\"#a0_title\"",
            "href=\"#attachments\"",
        ]
        .iter()
        .map(|l| at(summary, l))
        .collect();
        assert!(links.windows(2).all(|w| w[0] < w[1]), "{links:?}");
        assert!(!summary.contains("href=\"#org\""), "the employer is fine");
        // What was typed stays.
        assert!(page.contains("value=\"2024-05-20\"") && page.contains("主持人之一"));
        assert_eq!(state_of(&app, id).await, "draft", "nothing was submitted");
        assert_eq!(
            attachments(&app, id).await,
            1,
            "the refused file is not kept"
        );
    }

    // A save (not a submit) with a refused file tells the file only: a save checks no fields.
    let r = post(me.clone(), "save").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("href=\"#attachments\""));
    assert!(!page.contains("href=\"#full_name\""), "no field is checked");

    // Registration: every problem at once, each beside its field, in both languages.
    let r = post_form(
        &app,
        "/register",
        None,
        &[
            ("username", "王"),
            ("display_name", " "),
            ("password", "short"),
            ("confirm", "other"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let back = location(&r);
    for code in [
        "error=username",
        "error=display_name",
        "error=password",
        "error=consent",
    ] {
        assert!(back.contains(code), "{code} in {back}");
    }
    let max = rules::limits::MAX_NAME_CHARS.to_string();
    let min = rules::limits::MIN_PASSWORD_CHARS.to_string();
    let zh = get(&app, &back, None).await.text().await.unwrap();
    for text in [
        "用户名须为3至32个小写字母".to_owned(),
        format!("请填写姓名或称呼（不超过{max}个字）"),
        format!("密码至少需要{min}个字符"),
        "请先阅读并同意《个人信息保护告知》".to_owned(),
    ] {
        assert!(zh.contains(&text), "{text}");
    }
    let en = get(&app, &back, Some(&Session("lang=en".to_owned())))
        .await
        .text()
        .await
        .unwrap();
    for text in [
        "The username must be 3 to 32 lower-case letters".to_owned(),
        format!("Enter your name (at most {max} characters)"),
        format!("The password needs at least {min} characters"),
        "Read and agree to the privacy notice first".to_owned(),
    ] {
        assert!(en.contains(&text), "{text}");
    }
}
on_both_backends!(
    refused_file_with_every_problem,
    a_refused_file_does_not_hide_the_other_problems
);

/// The achievement rows a dossier has stored.
async fn stored_rows(app: &TestApp, id: i64) -> Vec<serde_json::Value> {
    let db = store::connect(&app.db_url).await.unwrap();
    let row = store::dossiers::get(&db, id).await.unwrap().unwrap();
    serde_json::from_str(&row.achievements).unwrap()
}

/// The tag of the form control named `name`.
fn tag<'a>(page: &'a str, name: &str) -> &'a str {
    let here = at(page, &format!("name=\"{name}\""));
    let start = page[..here].rfind('<').unwrap();
    let end = here + page[here..].find('>').unwrap();
    &page[start..=end]
}

/// How many achievement rows the dossier form shows.
fn rows_on(page: &str) -> usize {
    (0..50)
        .take_while(|i| page.contains(&format!("name=\"a{i}_title\"")))
        .count()
}

/// Item 5: blank rows are not stored after a failed submit, the page shows the typed rows (and
/// the one empty row for the next) with each problem on its row, and a returned dossier shows
/// no blank row, not even one stored by an older version.
async fn blank_rows_are_neither_stored_nor_shown(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;
    pin_test_day(&app).await;
    let me = login(&app, "applicant", DEMO_PASSWORD).await;
    let hr = login(&app, "hr", DEMO_PASSWORD).await;
    let id = complete_draft(&app, &me, "王建国").await;
    let version = version_of(&app, id).await.to_string();
    let mut form = vec![
        ("version", version.as_str()),
        ("full_name", "王建国"),
        ("id_number", ID_NUMBER),
        ("org", "org-yn-machinery"),
        ("occupation", "6-18-01-01"),
        ("current_post", "数控车工"),
        ("target", "skill_ladder.intermediate:engineering"),
        // Row 0 left empty, row 1 complete, row 2 only spaces, row 3 without its title.
        ("a0_kind", ""),
        ("a0_title", ""),
        ("a0_date", ""),
        ("a1_kind", "process_improvement"),
        ("a1_title", "薄壁件车削工艺改进"),
        ("a1_date", "2024-05-20"),
        ("a2_title", "   "),
        ("a2_description", "  "),
        ("a3_kind", "technical_report"),
        ("a3_title", ""),
        ("a3_date", "2025-01-10"),
    ];
    form.push(("nav", "submit"));
    let r = save(&app, &me, id, &form, None).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert_eq!(state_of(&app, id).await, "draft");
    let rows = stored_rows(&app, id).await;
    assert_eq!(rows.len(), 2, "only the typed rows are stored: {rows:?}");
    assert_eq!(rows[0]["title"], "薄壁件车削工艺改进");
    assert_eq!(rows[1]["date"], "2025-01-10");
    assert_eq!(rows_on(&page), 3, "the two typed rows and one for the next");
    assert!(
        page.contains("href=\"#a1_title\"") && !page.contains("href=\"#a3_title\""),
        "the missing title is named on the row that shows it"
    );
    assert!(
        page.contains("href=\"#declaration\"") && page.contains("请勾选诚信承诺后再提交"),
        "the declaration not ticked is told with the rest"
    );
    assert!(tag(&page, "a0_title").contains("value=\"薄壁件车削工艺改进\""));
    assert!(tag(&page, "a1_date").contains("value=\"2025-01-10\""));
    assert!(
        tag(&page, "a1_title").contains("aria-invalid=\"true\""),
        "row 1 is the one without a title: {}",
        tag(&page, "a1_title")
    );

    // A second window's stale save shows what it typed over the current version: its typed
    // rows, not its blank ones.
    let stale = [
        ("version", "1"),
        ("a0_title", ""),
        ("a1_title", "另一个窗口的业绩"),
        ("a2_title", " "),
        ("nav", "save"),
    ];
    let r = save(&app, &me, id, &stale, None).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.unwrap();
    assert_eq!(rows_on(&page), 2, "the typed row and one for the next");
    assert!(tag(&page, "a0_title").contains("另一个窗口的业绩"));

    // Put right and submitted; the employer returns it.
    let version = version_of(&app, id).await.to_string();
    form[0].1 = version.as_str();
    let fixed = [
        ("a3_title", "一种车床夹具"),
        ("declaration", "yes"),
        ("nav", "submit"),
    ];
    let form: Vec<(&str, &str)> = form
        .iter()
        .copied()
        .filter(|(k, _)| *k != "nav" && *k != "a3_title")
        .chain(fixed)
        .collect();
    let r = save(&app, &me, id, &form, None).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", location(&r));
    assert_eq!(state_of(&app, id).await, "submitted");
    assert_eq!(stored_rows(&app, id).await.len(), 2);
    // The declaration is recorded with the version of the privacy notice agreed to.
    let db = store::connect(&app.db_url).await.unwrap();
    let declared = store::audit::entries_about(&db, "dossier", &id.to_string())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.action == "dossier.declare")
        .expect("the declaration is audited");
    assert!(declared
        .detail
        .contains(app::pages::privacy::PRIVACY_NOTICE_VERSION));
    let version = version_of(&app, id).await.to_string();
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
    assert_eq!(rows_on(&page), 3, "two rows kept and one for the next");

    // A blank row an older version stored is not shown either, and not stored again.
    let db = store::connect(&app.db_url).await.unwrap();
    let row = store::dossiers::get(&db, id).await.unwrap().unwrap();
    let mut old: Vec<serde_json::Value> = serde_json::from_str(&row.achievements).unwrap();
    old.insert(
        1,
        serde_json::json!({"kind": "", "title": "", "date": "", "role": "", "description": ""}),
    );
    use sea_orm::{ActiveModelTrait, Set};
    let mut active: store::entities::dossier::ActiveModel = row.into();
    active.achievements = Set(serde_json::Value::from(old).to_string());
    active.update(&db).await.unwrap();
    let page = get(&app, &format!("/dossiers/{id}"), Some(&me))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(rows_on(&page), 3, "the stored blank row is not shown");
    assert!(page.contains("一种车床夹具"));
    let version = version_of(&app, id).await.to_string();
    let r = save(
        &app,
        &me,
        id,
        &[
            ("version", &version),
            ("a0_kind", "process_improvement"),
            ("a0_title", "薄壁件车削工艺改进"),
            ("a0_date", "2024-05-20"),
            ("a1_kind", "technical_report"),
            ("a1_title", "一种车床夹具"),
            ("a1_date", "2025-01-10"),
            ("a2_title", ""),
            ("nav", "save"),
        ],
        None,
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored_rows(&app, id).await.len(), 2);
}
on_both_backends!(blank_rows, blank_rows_are_neither_stored_nor_shown);

/// The timeline of a page: its `<ol id="history">`.
fn timeline(page: &str) -> &str {
    let list = &page[at(page, "id=\"history\"")..];
    &list[..at(list, "</ol>")]
}

/// The lines of the timeline, markup stripped.
fn lines(page: &str) -> Vec<String> {
    timeline(page)
        .split("<li")
        .skip(1)
        .map(|li| {
            let mut text = String::new();
            let mut in_tag = true;
            for c in li.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text
        })
        .collect()
}

/// Item 18: the receipt and the timeline speak people's language: the verdict and the rules
/// worded, the hash only in the fold for checking, and every actor named the same way (a
/// person's display name and part, the system as such), in both languages.
async fn the_receipt_and_the_timeline_name_things_as_people_do(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;
    let today = pin_test_day(&app).await;
    let me = login(&app, "applicant", DEMO_PASSWORD).await;
    let hr = login(&app, "hr", DEMO_PASSWORD).await;
    let office = login(&app, "office", DEMO_PASSWORD).await;
    let id = complete_draft(&app, &me, "王建国").await;
    let r = super::submit(&app, &me, id, "王建国").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let version = version_of(&app, id).await.to_string();
    let decision = format!("/dossiers/{id}/decision");
    let r = post_form(
        &app,
        &decision,
        Some(&hr),
        &[
            ("version", &version),
            ("action", "approve"),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The period runs out on its own (the system ends it); the office accepts.
    let _ = super::clock(&app, &[("days", "14")]).await;
    assert_eq!(state_of(&app, id).await, "formal_check");
    let version = version_of(&app, id).await.to_string();
    let r = post_form(
        &app,
        &decision,
        Some(&office),
        &[
            ("version", &version),
            ("action", "approve"),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(state_of(&app, id).await, "accepted_for_review");

    let db = store::connect(&app.db_url).await.unwrap();
    let row = store::dossiers::get(&db, id).await.unwrap().unwrap();
    let receipt: serde_json::Value = serde_json::from_str(row.receipt.as_deref().unwrap()).unwrap();
    let hash = receipt["rule_set"]["content_hash"].as_str().unwrap();
    let set_id = receipt["rule_set"]["id"].as_str().unwrap();
    let set = rules::Registry::builtin()
        .unwrap()
        .get(set_id)
        .unwrap()
        .clone();

    let zh = get(&app, &format!("/dossiers/{id}"), Some(&me))
        .await
        .text()
        .await
        .unwrap();
    let en = get(&app, &format!("/dossiers/{id}"), Some(&in_english(&me)))
        .await
        .text()
        .await
        .unwrap();
    for (page, status, rules, target) in [
        (&zh, "可申报", set.source.as_str(), super::TARGET_NAME),
        (
            &en,
            "eligible",
            set.name.en.as_str(),
            "engineering (Engineer) · Skill level to title",
        ),
    ] {
        let receipt = &page[at(page, "id=\"receipt\"")..];
        let receipt = &receipt[..at(receipt, "</section>")];
        let fold = at(receipt, "<details id=\"receipt-details\"");
        let (shown, folded) = receipt.split_at(fold);
        assert!(shown.contains(status), "the verdict is worded: {shown}");
        assert!(shown.contains(rules), "the rules are cited: {shown}");
        assert!(shown.contains(target), "the target is named: {shown}");
        assert!(shown.contains(&today.to_string()));
        assert!(!shown.contains(hash), "the hash is folded away: {shown}");
        assert!(!shown.contains(set_id), "no rule set id outside the fold");
        assert!(folded.contains(hash) && folded.contains(set_id), "{folded}");
    }
    let outside = |page: &str| {
        let fold = at(page, "<details id=\"receipt-details\"");
        let end = fold + at(&page[fold..], "</details>");
        format!("{}{}", &page[..fold], &page[end..])
    };
    let zh_outside = outside(&zh);
    assert!(
        !zh_outside.contains("eligible"),
        "no status code on the page"
    );
    assert!(
        !zh_outside.contains(hash),
        "no hash on the page outside the fold"
    );

    // The timeline: each person by display name and part, the system as the system.
    let owner = row.owner_id.to_string();
    for (page, who) in [
        (
            &zh,
            [
                ("创建草稿", "示例申报人（申报人）"),
                ("提交", "示例申报人（申报人）"),
                ("作出诚信承诺", "示例申报人（申报人）"),
                ("单位同意", "示例单位人事（单位人事部门）"),
                ("公示期满", "系统"),
                ("评委会受理", "示例评委会办公室（评委会办公室）"),
            ],
        ),
        (
            &en,
            [
                ("Draft started", "示例申报人 (applicant)"),
                ("Submitted", "示例申报人 (applicant)"),
                ("Declaration made", "示例申报人 (applicant)"),
                ("Employer approved", "示例单位人事 (employer HR)"),
                ("Publicity ended", "the system"),
                (
                    "Committee accepted it",
                    "示例评委会办公室 (committee office)",
                ),
            ],
        ),
    ] {
        let lines = lines(page);
        assert_eq!(lines.len(), who.len(), "{lines:?}");
        for (line, (action, actor)) in lines.iter().zip(who) {
            assert!(line.contains(action), "{line} is {action}");
            assert!(line.trim_end().ends_with(actor), "{line} names {actor}");
        }
        let list = timeline(page);
        assert!(!list.contains("account:") && !list.contains("applicant·"));
        assert!(
            !list.contains(&format!(" {owner}<")) && !list.contains(&format!(">{owner}<")),
            "no account number for a name: {list}"
        );
    }
}
on_both_backends!(
    receipt_and_timeline,
    the_receipt_and_the_timeline_name_things_as_people_do
);

/// The rows of a queue page: (dossier, state, days waited).
fn queue_rows(page: &str) -> Vec<(i64, String, Option<i64>)> {
    page.split("<tr ")
        .filter(|tr| tr[..tr.find('>').unwrap_or(0)].contains("data-dossier="))
        .map(|tr| {
            let attr = |name: &str| {
                let start = tr.find(&format!("{name}=\""))? + name.len() + 2;
                Some(tr[start..start + tr[start..].find('"')?].to_owned())
            };
            (
                attr("data-dossier").unwrap().parse().unwrap(),
                attr("data-state").unwrap(),
                attr("data-waited").map(|d| d.parse().unwrap()),
            )
        })
        .collect()
}

/// Item 19: HR's queue is the work waiting: by default the dossiers awaiting that reviewer,
/// the longest waiting first, each with the days it has waited; every state one choice away;
/// the target filter a choice of the queue's targets by name. The committee office's likewise.
async fn the_queue_is_the_work_waiting(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 0).await;
    let day = pin_test_day(&app).await;
    let me = login(&app, "applicant", DEMO_PASSWORD).await;
    let hr = login(&app, "hr", DEMO_PASSWORD).await;
    let office = login(&app, "office", DEMO_PASSWORD).await;
    let submitted = |name: &'static str| {
        let (app, me) = (&app, &me);
        async move {
            let id = complete_draft(app, me, name).await;
            let r = super::submit(app, me, id, name).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", location(&r));
            id
        }
    };
    // Approved on the first day: in publicity, then the committee's formal check.
    let approved = submitted("张三").await;
    let version = version_of(&app, approved).await.to_string();
    let r = post_form(
        &app,
        &format!("/dossiers/{approved}/decision"),
        Some(&hr),
        &[
            ("version", &version),
            ("action", "approve"),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Two more of the same (unusual) name, so one search shows both, on one page.
    let first = submitted("孙小满").await;
    super::clock(&app, &[("days", "3")]).await;
    let second = submitted("孙小满").await;
    let today = super::clock(&app, &[("days", "11")]).await;
    assert_eq!((today - day).num_days(), 14);
    assert_eq!(state_of(&app, approved).await, "formal_check");

    let mine = "q=%E5%AD%99%E5%B0%8F%E6%BB%A1";
    let page = get(&app, "/review", Some(&hr)).await.text().await.unwrap();
    let everything = queue_rows(&page);
    assert!(
        everything.iter().all(|(_, state, _)| state == "submitted"),
        "only what awaits HR: {everything:?}"
    );
    let page = get(&app, &format!("/review?{mine}"), Some(&hr))
        .await
        .text()
        .await
        .unwrap();
    let rows = queue_rows(&page);

    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter().all(|(_, state, _)| state == "submitted"),
        "only what awaits HR: {rows:?}"
    );
    let place = |id: i64| rows.iter().position(|r| r.0 == id).unwrap();
    assert!(place(first) < place(second), "the longest waiting first");
    assert_eq!(rows[place(first)].2, Some(14));
    assert_eq!(rows[place(second)].2, Some(11));
    assert!(!rows.iter().any(|r| r.0 == approved));
    assert!(page.contains("14 天") && page.contains("已等待"));
    let selected = |page: &str, value: &str| {
        let at = at(page, &format!("<option value=\"{value}\""));
        page[at..at + page[at..].find('>').unwrap()].contains("selected")
    };
    assert!(selected(&page, "awaiting"), "the state filter says so");
    // Every state is one choice away, and the other filters keep the choice.
    let all = get(&app, "/review?state=all&q=%E5%BC%A0%E4%B8%89", Some(&hr))
        .await
        .text()
        .await
        .unwrap();
    assert!(queue_rows(&all).iter().any(|r| r.0 == approved));
    assert!(selected(&all, "all"));
    assert!(all.contains("href=\"/review.csv?state=all&amp;q=%E5%BC%A0%E4%B8%89\""));
    assert!(page.contains(&format!("href=\"/review.csv?state=awaiting&amp;{mine}\"")));
    let en = get(&app, &format!("/review?{mine}"), Some(&in_english(&hr)))
        .await
        .text()
        .await
        .unwrap();
    assert!(en.contains("14 days") && en.contains("Awaiting you"));

    // The target filter is a choice of the queue's targets by name, not a text to type.
    let target = "skill_ladder.intermediate:engineering";
    let select = &page[at(&page, "<select id=\"target\"")..];
    let select = &select[..at(select, "</select>")];
    assert!(select.contains(&format!("<option value=\"{target}\"")));
    assert!(select.contains(super::TARGET_NAME));
    assert!(!page.contains("<input type=\"text\" id=\"target\""));
    let filtered = get(&app, &format!("/review?{mine}&target={target}"), Some(&hr))
        .await
        .text()
        .await
        .unwrap();
    assert!(selected(&filtered, target));
    assert_eq!(queue_rows(&filtered).len(), queue_rows(&page).len());

    // The CSV exports what the page shows.
    let csv = get(&app, &format!("/review.csv?{mine}"), Some(&hr))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count() - 1, rows.len(), "{csv}");
    let csv = get(&app, "/review.csv", Some(&hr))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !csv.contains("张三"),
        "the default export is the work waiting"
    );

    // The committee office: the formal check awaits it, since the day after the publicity.
    let db = store::connect(&app.db_url).await.unwrap();
    let row = store::dossiers::get(&db, approved).await.unwrap().unwrap();
    let since = store::dossiers::waiting_since(&db, std::slice::from_ref(&row))
        .await
        .unwrap()[&approved];
    let history = store::dossiers::history(&db, approved).await.unwrap();
    let approval = history
        .iter()
        .find(|h| h.action == "dossier.employer_approve")
        .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&approval.detail).unwrap();
    let ends_on: chrono::NaiveDate = detail["ends_on"].as_str().unwrap().parse().unwrap();
    assert_eq!(since, ends_on.succ_opt().unwrap());
    let page = get(&app, "/review", Some(&office))
        .await
        .text()
        .await
        .unwrap();
    let rows = queue_rows(&page);
    assert!(
        rows.iter().all(|(_, state, _)| state == "formal_check"),
        "only what awaits the office: {rows:?}"
    );
    let page = get(&app, "/review?q=%E5%BC%A0%E4%B8%89", Some(&office))
        .await
        .text()
        .await
        .unwrap();
    let rows = queue_rows(&page);
    let waited = rows.iter().find(|r| r.0 == approved).unwrap().2;
    assert_eq!(waited, Some((today - since).num_days()));
}
on_both_backends!(queue_waiting, the_queue_is_the_work_waiting);
