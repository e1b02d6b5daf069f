//! The review queue at scale: the CSV export carries every matching row, any page number is
//! answered, and the target filter matches a whole target.

use reqwest::StatusCode;
use store::dossiers::{QueueQuery, QueueScope};
use store::testing::Backend;

use super::{get, login, seed, DEMO_PASSWORD};
use crate::helpers::spawn_app;
use crate::on_both_backends;

async fn the_queue_answers_every_row_and_every_page(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    seed(&app, 3_000).await;
    let office = login(&app, "office", DEMO_PASSWORD).await;
    let db = store::connect(&app.db_url).await.unwrap();
    let scope = QueueScope::Committee("committee-yn-engineering".to_owned());
    let all = store::dossiers::queue(
        &db,
        &scope,
        &QueueQuery {
            per_page: 1,
            ..QueueQuery::default()
        },
    )
    .await
    .unwrap();
    assert!(all.total > 500, "the demo fills the queue: {}", all.total);

    // The CSV holds every dossier of the queue (all its states), the newest too.
    let r = get(&app, "/review.csv?state=all", Some(&office)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("filename=\"guantong-queue-20") && disposition.ends_with(".csv\""),
        "a dated file name: {disposition}"
    );
    let csv = r.text().await.unwrap();
    let header = csv.lines().next().unwrap();
    for column in [
        "单位 employer",
        "提交日期 submitted_on",
        "公示截止 publicity_ends",
    ] {
        assert!(header.contains(column), "{column} in {header}");
    }
    // Each line names the employer (not its code) and the days of submission and publicity.
    let orgs: std::collections::HashMap<String, String> = store::organisations::names(&db)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let first: i64 = csv
        .lines()
        .nth(1)
        .unwrap()
        .trim_matches('"')
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let row = store::dossiers::get(&db, first).await.unwrap().unwrap();
    let line = csv.lines().nth(1).unwrap();
    assert!(line.contains(&format!("\"{}\"", orgs[&row.org])), "{line}");
    if let Some(day) = store::dossiers::submitted_on(&row) {
        assert!(
            line.contains(&format!("\"{day}\"")),
            "submitted {day}: {line}"
        );
    }
    assert!(
        csv.lines().skip(1).any(|l| {
            let cells: Vec<&str> = l.split("\",\"").collect();
            cells.len() == 9 && !cells[7].is_empty()
        }),
        "some exported dossier has its publicity's last day"
    );
    let ids: Vec<i64> = csv
        .lines()
        .skip(1)
        .map(|l| {
            l.trim_matches('"')
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert_eq!(ids.len() as u64, all.total, "one line per dossier");
    let newest = store::dossiers::export(&db, &scope, &QueueQuery::default(), 100_000)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .max()
        .unwrap();
    assert!(ids.contains(&newest), "the newest dossier is exported");

    // More rows than one export holds: refused plainly, not cut short.
    let too_many = store::dossiers::export(&db, &scope, &QueueQuery::default(), 10).await;
    assert!(
        matches!(too_many, Err(store::dossiers::DossierError::TooMany { .. })),
        "{too_many:?}"
    );

    // Pages past the end, however far, answer the last page.
    for page in [
        "461168601842738792",
        "18446744073709551615",
        "99999999999999999999999",
        "-3",
    ] {
        let r = get(
            &app,
            &format!("/review?state=all&page={page}"),
            Some(&office),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK, "page={page}");
        assert!(r.text().await.unwrap().contains("id=\"queue-total\""));
    }
    let last = all.total.div_ceil(20);
    let page = get(
        &app,
        "/review?state=all&page=461168601842738792",
        Some(&office),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        page.contains(&format!("第 {last} 页，共 {last} 页")),
        "the last page ({last}) is shown"
    );

    // The target filter matches whole targets only, and offers the queue's targets.
    let target = "skill_ladder.intermediate:engineering";
    let exact = store::dossiers::queue(
        &db,
        &scope,
        &QueueQuery {
            target: Some(target.to_owned()),
            per_page: 500,
            ..QueueQuery::default()
        },
    )
    .await
    .unwrap();
    assert!(exact.total > 0);
    assert!(exact
        .rows
        .iter()
        .all(|d| d.target.as_deref() == Some(target)));
    let part = store::dossiers::queue(
        &db,
        &scope,
        &QueueQuery {
            target: Some("intermediate".to_owned()),
            per_page: 500,
            ..QueueQuery::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(part.total, 0, "a part of a key matches nothing");
    let page = get(&app, "/review", Some(&office))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!("<option value=\"{target}\"")),
        "the filter offers the queue's targets"
    );
}
on_both_backends!(queue_at_scale, the_queue_answers_every_row_and_every_page);
