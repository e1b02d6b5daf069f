//! The RuleBook while serving, on SQLite and PostgreSQL: every version is stored at start-up,
//! and a registry swapped in later is in force for the next request, without a restart.

use serde_json::json;
use store::testing::Backend;

use crate::helpers::spawn_app;
use crate::on_both_backends;

/// A province's own rules published later: Guangdong (44), which had none, adopts rules of
/// Yunnan's shape from 2027.
fn guangdong_2027() -> String {
    let text = include_str!("../../../rules/data/yunnan.toml")
        .replacen("id = \"yunnan-2021\"", "id = \"guangdong-2027\"", 1)
        .replacen("version = \"1\"", "version = \"2027.1\"", 1)
        .replacen("region = \"53\"", "region = \"44\"", 1)
        .replacen(
            "effective_from = \"2021-04-09\"",
            "effective_from = \"2027-01-01\"",
            1,
        );
    assert!(text.contains("guangdong-2027") && text.contains("2027-01-01"));
    text
}

async fn swapped_while_serving(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // At start-up every version the server can put in force was stored.
    let stored = store::rule_sets::versions_of(&app.state.db, "yunnan-2021")
        .await
        .unwrap();
    assert!(!stored.is_empty(), "Yunnan's version is stored at start-up");
    let check = |region: &'static str, as_of: &'static str| {
        let app = &app;
        async move {
            let r = app
                .client
                .post(app.url("/api/v1/eligibility"))
                .json(&json!({ "region": region, "as_of": as_of, "person": {} }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            let body: serde_json::Value = r.json().await.unwrap();
            body["rule_set"]["id"].as_str().unwrap().to_owned()
        }
    };
    let before = check("44", "2027-02-01").await;
    assert_ne!(before, "guangdong-2027");

    // A later version is published: swapped in and stored, no restart.
    let later = guangdong_2027();
    let registry = rules::Registry::from_sources(&[
        (
            "national.toml",
            include_str!("../../../rules/data/national.toml"),
        ),
        (
            "yunnan.toml",
            include_str!("../../../rules/data/yunnan.toml"),
        ),
        (
            "shandong.toml",
            include_str!("../../../rules/data/shandong.toml"),
        ),
        ("guangdong.toml", &later),
    ])
    .expect("the later version loads");
    app.state.book.swap(registry);
    let new = app.state.book.keep_versions(&app.state.db).await.unwrap();
    assert!(new >= 1, "the new version is stored");
    assert_eq!(check("44", "2027-02-01").await, "guangdong-2027");
    assert_eq!(
        check("44", "2026-06-01").await,
        before,
        "earlier days keep their rules"
    );
    assert_eq!(check("53", "2027-02-01").await, "yunnan-2021");
    let listed: serde_json::Value = app.get_json("/api/v1/rule-sets").await;
    assert!(listed.to_string().contains("guangdong-2027"));
    let status_of = |listed: &serde_json::Value, id: &str| {
        listed["rule_sets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .map(|s| s["status"].as_str().unwrap().to_owned())
            .unwrap()
    };
    // Its status follows the server's day: scheduled before 2027, in force from its first day.
    app.state.book.clock().set("2026-12-01".parse().unwrap());
    let listed: serde_json::Value = app.get_json("/api/v1/rule-sets").await;
    assert_eq!(status_of(&listed, "guangdong-2027"), "scheduled");
    assert_eq!(status_of(&listed, "yunnan-2021"), "in_force");
    app.state.book.clock().set("2027-01-01".parse().unwrap());
    let listed: serde_json::Value = app.get_json("/api/v1/rule-sets").await;
    assert_eq!(status_of(&listed, "guangdong-2027"), "in_force");
    assert!(
        !store::rule_sets::versions_of(&app.state.db, "guangdong-2027")
            .await
            .unwrap()
            .is_empty()
    );
    // Storing again stores nothing new.
    assert_eq!(
        app.state.book.keep_versions(&app.state.db).await.unwrap(),
        0
    );
}

on_both_backends!(swap, swapped_while_serving);
