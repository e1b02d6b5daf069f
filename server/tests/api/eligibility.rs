//! The public eligibility API (`/api/v1`): the answers of API.md, the rule-set listing, the
//! OpenAPI document, and one test per kind of bad input, each proving the error names the field.

use serde_json::{json, Value};
use store::testing::Backend;

use crate::helpers::{spawn_app, TestApp};
use crate::on_both_backends;

/// The person of API.md's example, without the honour and post (so the outcome waits on time).
fn technician() -> Value {
    json!({
        "skill_levels": [
            { "level": "technician", "obtained_on": "2024-06-30", "occupation": "6-18-01-01" }
        ],
        "work_started_on": "2008-07-01",
        "annual_reviews": { "2023": "pass", "2024": "pass", "2025": "pass" }
    })
}

async fn post_json(app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
    post_raw(app, path, "application/json", body.to_string().into_bytes()).await
}

async fn post_raw(app: &TestApp, path: &str, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(path))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.expect("a JSON body");
    (status, body)
}

/// Asserts the error shape of API.md and returns the error object.
fn assert_error(status: u16, body: &Value, want_status: u16, code: &str, field: Option<&str>) {
    assert_eq!(status, want_status, "{body}");
    let error = &body["error"];
    assert_eq!(error["code"], code, "{body}");
    let zh = error["message"]["zh"].as_str().unwrap_or_default();
    let en = error["message"]["en"].as_str().unwrap_or_default();
    assert!(
        !zh.is_empty() && !en.is_empty(),
        "bilingual message: {body}"
    );
    assert!(
        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "the zh message is Chinese: {body}"
    );
    match field {
        Some(f) => assert_eq!(error["field"], f, "{body}"),
        None => assert!(
            error["field"].is_null() || error["field"] == "body",
            "{body}"
        ),
    }
}

/// A valid request right after a bad one still gets its answer.
async fn assert_still_serves(app: &TestApp) {
    let (status, body) = check_person(app, technician()).await;
    assert_eq!(status, 200, "the server still serves: {body}");
}

/// Posts a single check with `person` replaced and returns the answer.
async fn check_person(app: &TestApp, person: Value) -> (u16, Value) {
    post_json(
        app,
        "/api/v1/eligibility",
        &json!({ "as_of": "2026-11-21", "region": "53", "person": person }),
    )
    .await
}

async fn technician_in_yunnan_waits_until_2027_for_an_intermediate_title(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (status, body) = check_person(&app, technician()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["as_of"], "2026-11-21");
    assert_eq!(body["region"], "53");
    assert_eq!(body["rule_set"]["id"], "yunnan-2021");
    assert!(body["rule_set"]["version"].is_string());
    assert_eq!(body["rule_set"]["effective_from"], "2021-04-09");
    let outcomes = body["outcomes"].as_array().expect("outcomes");
    let intermediate = outcomes
        .iter()
        .find(|o| {
            o["target"]["kind"] == "title"
                && o["target"]["level"] == "intermediate"
                && o["route"] == "skill_ladder"
        })
        .expect("an intermediate-title outcome");
    // 96号文 二(二)1: technician + 3 years of skill work → intermediate title.
    assert_eq!(intermediate["status"], "not_yet");
    assert_eq!(intermediate["earliest_on"], "2027-06-30");
    assert!(intermediate["target"]["series"]
        .as_array()
        .is_some_and(|s| s.iter().any(|x| x == "engineering")));
    let holds = &intermediate["conditions"][0];
    assert_eq!(holds["status"], "met");
    assert!(holds["reason"]["zh"].is_string() && holds["reason"]["en"].is_string());
    assert!(holds["source"]
        .as_str()
        .is_some_and(|s| s.contains("96号文")));
    // Nearest first: no eligible outcome after a not-yet one, ineligible ones last.
    let rank = |s: &Value| match s.as_str() {
        Some("eligible") => 0,
        Some("not_yet") => 1,
        Some("unknown") => 2,
        _ => 3,
    };
    let ranks: Vec<u8> = outcomes.iter().map(|o| rank(&o["status"])).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    assert!(ranks.contains(&3), "ineligible outcomes are listed too");
}
on_both_backends!(
    happy_path,
    technician_in_yunnan_waits_until_2027_for_an_intermediate_title
);

async fn as_of_defaults_to_today_in_china_and_region_to_national(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (status, body) = post_json(&app, "/api/v1/eligibility", &json!({"person": {}})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["region"], "national");
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let as_of = body["as_of"].as_str().unwrap_or_default();
    // The day may turn between the request and this line.
    let yesterday = today.pred_opt().unwrap_or(today);
    assert!(
        as_of == today.to_string() || as_of == yesterday.to_string(),
        "{as_of} vs {today}"
    );
    assert!(body["outcomes"].is_array());
}
on_both_backends!(
    defaults,
    as_of_defaults_to_today_in_china_and_region_to_national
);

/// One clock: a day pinned by the test clock is today for the API and the self-check pages as
/// much as for the dossiers.
async fn the_api_and_the_self_check_keep_the_servers_day(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let r = app
        .client
        .post(app.url("/test/clock"))
        .form(&[("date", "2027-03-10")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.text().await.unwrap(), "2027-03-10");
    let (status, body) = post_json(&app, "/api/v1/eligibility", &json!({"person": {}})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["as_of"], "2027-03-10");
    let (status, body) =
        post_json(&app, "/api/v1/eligibility/batch", &json!({"people": [{}]})).await;
    assert_eq!(status, 200, "{body}");
    // Batch results carry no date of their own: the years asked about show the day (2027).
    assert!(
        body.to_string().contains("2024–2026"),
        "assessments of the three years before 2027"
    );
    let page = app
        .client
        .get(app.url("/check?region=53"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("\"as_of\":\"2027-03-10\""),
        "the page's verdict is for the server's day"
    );
}
on_both_backends!(one_clock, the_api_and_the_self_check_keep_the_servers_day);

async fn batch_answers_each_person_in_order(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let senior_tech = json!({"skill_levels": [{"level": "senior_technician", "obtained_on": "2010-01-01", "occupation": "6-18-01-01"}],
        "annual_reviews": {"2023": "pass", "2024": "pass", "2025": "pass"}});
    let people = json!([technician(), {}, senior_tech, technician()]);
    let (status, body) = post_json(
        &app,
        "/api/v1/eligibility/batch",
        &json!({"as_of": "2026-11-21", "region": "53", "people": people}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let results = body["results"].as_array().expect("results");
    assert_eq!(results.len(), 4);
    // Each result equals the single check of the same person.
    for (i, person) in people.as_array().into_iter().flatten().enumerate() {
        let (_, single) = check_person(&app, person.clone()).await;
        assert_eq!(results[i]["outcomes"], single["outcomes"], "person {i}");
    }
    assert_ne!(results[0]["outcomes"], results[2]["outcomes"]);
    assert_eq!(results[0]["outcomes"], results[3]["outcomes"]);
}
on_both_backends!(batch_order, batch_answers_each_person_in_order);

async fn summary_batch_gives_the_same_verdicts_without_reasons(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let people = json!([technician(), { "honours": ["national_technical_expert"] }, {}]);
    let request = |detail: &str| json!({ "as_of": "2026-11-21", "region": "53", "people": people, "detail": detail });
    let (status, full) = post_json(&app, "/api/v1/eligibility/batch", &request("full")).await;
    assert_eq!(status, 200);
    let (status, summary) = post_json(&app, "/api/v1/eligibility/batch", &request("summary")).await;
    assert_eq!(status, 200);
    let full = full["results"].as_array().unwrap();
    let summary = summary["results"].as_array().unwrap();
    assert_eq!(full.len(), 3);
    assert_eq!(summary.len(), 3);
    for (f, s) in full.iter().zip(summary) {
        let (f, s) = (
            f["outcomes"].as_array().unwrap(),
            s["outcomes"].as_array().unwrap(),
        );
        assert_eq!(f.len(), s.len());
        for (fo, so) in f.iter().zip(s) {
            for key in ["target", "route", "status", "earliest_on"] {
                assert_eq!(fo[key], so[key], "{key}");
            }
            assert!(so.get("conditions").is_none(), "no reasons in a summary");
            for (list, wanted) in [("unmet", "unmet"), ("unknown", "unknown")] {
                let expected: Vec<&Value> = fo["conditions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|c| c["status"] == wanted)
                    .map(|c| &c["code"])
                    .collect();
                let got: Vec<&Value> = so[list].as_array().unwrap().iter().collect();
                assert_eq!(got, expected, "{list}");
            }
        }
    }
    // An unknown detail level is refused, naming the field.
    let (status, body) = post_json(&app, "/api/v1/eligibility/batch", &request("everything")).await;
    assert_error(status, &body, 422, "invalid_type", Some("detail"));
}
on_both_backends!(
    batch_summary,
    summary_batch_gives_the_same_verdicts_without_reasons
);

async fn large_batch_streams_valid_json_in_order(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // More people than one streamed piece, alternating two kinds of person.
    let people: Vec<Value> = (0..2_500)
        .map(|i| if i % 2 == 0 { technician() } else { json!({}) })
        .collect();
    let (status, body) = post_json(
        &app,
        "/api/v1/eligibility/batch",
        &json!({"as_of": "2026-11-21", "region": "53", "people": people}),
    )
    .await;
    assert_eq!(status, 200);
    let results = body["results"].as_array().expect("results");
    assert_eq!(results.len(), 2_500);
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r["outcomes"], results[i % 2]["outcomes"], "person {i}");
    }
    assert_ne!(results[0]["outcomes"], results[1]["outcomes"]);
}
on_both_backends!(batch_large, large_batch_streams_valid_json_in_order);

/// Clients that accept compression (Python `requests` sends `Accept-Encoding: gzip` by
/// default) get the whole streamed answer, compressed, and the server keeps serving.
async fn compressed_batch_arrives_whole(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let people: Vec<Value> = (0..1_100)
        .map(|i| if i % 3 == 0 { technician() } else { json!({}) })
        .collect();
    let request = json!({"as_of": "2026-11-21", "region": "53", "people": people});
    for (encoding, client) in [
        ("gzip", reqwest::Client::builder().gzip(true).brotli(false)),
        ("br", reqwest::Client::builder().gzip(false).brotli(true)),
    ] {
        let client = client.build().expect("client");
        for round in 0..2 {
            let response = client
                .post(app.url("/api/v1/eligibility/batch"))
                .json(&request)
                .send()
                .await
                .expect("batch answered");
            assert_eq!(response.status(), 200, "{encoding} round {round}");
            let body: Value = response
                .json()
                .await
                .unwrap_or_else(|e| panic!("{encoding} round {round}: whole JSON: {e}"));
            let results = body["results"].as_array().expect("results");
            assert_eq!(results.len(), 1_100, "{encoding} round {round}");
            assert_eq!(results[0]["outcomes"], results[3]["outcomes"]);
        }
        // The small batch of the report, too.
        let response = client
            .post(app.url("/api/v1/eligibility/batch"))
            .json(&json!({"people": [{}]}))
            .send()
            .await
            .expect("small batch answered");
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.expect("whole JSON");
        assert_eq!(body["results"].as_array().map(Vec::len), Some(1));
    }
    // Asked by hand, the answer really is compressed.
    let raw = reqwest::Client::builder()
        .gzip(false)
        .brotli(false)
        .build()
        .expect("client")
        .post(app.url("/api/v1/eligibility/batch"))
        .header("accept-encoding", "gzip")
        .json(&request)
        .send()
        .await
        .expect("answered");
    assert_eq!(
        raw.headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("gzip")
    );
    assert!(!raw.bytes().await.expect("whole body").is_empty());
}
on_both_backends!(batch_compressed, compressed_batch_arrives_whole);

async fn batch_error_names_the_person_by_index(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let people = json!([{}, {}, {}, {"skill_levels": [{"level": "grandmaster"}]}]);
    let (status, body) = post_json(
        &app,
        "/api/v1/eligibility/batch",
        &json!({"as_of": "2026-11-21", "people": people}),
    )
    .await;
    assert_error(
        status,
        &body,
        422,
        "unknown_code",
        Some("people[3].skill_levels[0].level"),
    );
    let (status, body) = post_json(
        &app,
        "/api/v1/eligibility/batch",
        &json!({"people": [{}, {"honours": 7}]}),
    )
    .await;
    assert_error(
        status,
        &body,
        422,
        "invalid_type",
        Some("people[1].honours"),
    );
}
on_both_backends!(batch_error, batch_error_names_the_person_by_index);

async fn malformed_json_is_400(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (status, body) = post_raw(
        &app,
        "/api/v1/eligibility",
        "application/json",
        br#"{"person": {"skill_levels": [}"#.to_vec(),
    )
    .await;
    assert_error(status, &body, 400, "malformed_json", None);
    assert_still_serves(&app).await;
}
on_both_backends!(bad_malformed_json, malformed_json_is_400);

/// serde would read a struct from a JSON array; the contract says objects.
async fn arrays_are_not_objects(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    for (body, field) in [
        (json!({"person": [null, null]}), "person"),
        (json!([null, null, {}]), "body"),
        (
            json!({"person": {"skill_levels": [["technician", "2020-01-01"]]}}),
            "person.skill_levels[0]",
        ),
        (json!({"person": {"titles": [[null]]}}), "person.titles[0]"),
    ] {
        let (status, answer) = post_json(&app, "/api/v1/eligibility", &body).await;
        assert_error(status, &answer, 422, "invalid_type", Some(field));
    }
    let (status, answer) =
        post_json(&app, "/api/v1/eligibility/batch", &json!({"people": [[]]})).await;
    assert_error(status, &answer, 422, "invalid_type", Some("people[0]"));
    // What is an object still passes.
    let (status, answer) = post_json(
        &app,
        "/api/v1/eligibility",
        &json!({"person": {"skill_levels": null}}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
}
on_both_backends!(arrays_refused, arrays_are_not_objects);

async fn wrong_type_names_the_field(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (status, body) = check_person(
        &app,
        json!({"skill_levels": [{"level": "technician", "obtained_on": 20240630}]}),
    )
    .await;
    assert_error(
        status,
        &body,
        422,
        "invalid_type",
        Some("person.skill_levels[0].obtained_on"),
    );
    assert_still_serves(&app).await;
}
on_both_backends!(bad_wrong_type, wrong_type_names_the_field);

async fn unknown_skill_level_code_names_the_field(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (status, body) = check_person(
        &app,
        json!({"skill_levels": [{"level": "grandmaster", "obtained_on": "2020-01-01"}]}),
    )
    .await;
    assert_error(
        status,
        &body,
        422,
        "unknown_code",
        Some("person.skill_levels[0].level"),
    );
    assert_still_serves(&app).await;
}
on_both_backends!(
    bad_skill_level_code,
    unknown_skill_level_code_names_the_field
);

async fn unknown_series_and_honour_codes_name_their_fields(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (status, body) = check_person(
        &app,
        json!({"titles": [{"series": "astrology", "level": "intermediate", "obtained_on": "2019-01-01"}]}),
    )
    .await;
    assert_error(
        status,
        &body,
        422,
        "unknown_code",
        Some("person.titles[0].series"),
    );
    let (status, body) = check_person(
        &app,
        json!({"honours": ["national_technical_expert", "nobel_prize"]}),
    )
    .await;
    assert_error(
        status,
        &body,
        422,
        "unknown_code",
        Some("person.honours[1]"),
    );
    assert_still_serves(&app).await;
}
on_both_backends!(
    bad_series_or_honour_code,
    unknown_series_and_honour_codes_name_their_fields
);

async fn impossible_date_names_the_field(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (status, body) = check_person(
        &app,
        json!({"skill_levels": [{"level": "technician", "obtained_on": "2026-02-30"}]}),
    )
    .await;
    assert_error(
        status,
        &body,
        422,
        "invalid_date",
        Some("person.skill_levels[0].obtained_on"),
    );
    assert_still_serves(&app).await;
}
on_both_backends!(bad_impossible_date, impossible_date_names_the_field);

async fn text_that_is_not_a_date_names_the_field(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (status, body) = check_person(&app, json!({"work_started_on": "last summer"})).await;
    assert_error(
        status,
        &body,
        422,
        "invalid_date",
        Some("person.work_started_on"),
    );
    let (status, body) = post_json(
        &app,
        "/api/v1/eligibility",
        &json!({"as_of": "21/11/2026", "person": {}}),
    )
    .await;
    assert_error(status, &body, 422, "invalid_date", Some("as_of"));
    assert_still_serves(&app).await;
}
on_both_backends!(bad_not_a_date, text_that_is_not_a_date_names_the_field);

async fn obtained_date_in_the_future_names_the_field(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (status, body) = check_person(
        &app,
        json!({"skill_levels": [{"level": "technician", "obtained_on": "2027-01-01"}]}),
    )
    .await;
    assert_error(
        status,
        &body,
        422,
        "future_date",
        Some("person.skill_levels[0].obtained_on"),
    );
    assert_still_serves(&app).await;
}
on_both_backends!(bad_future_date, obtained_date_in_the_future_names_the_field);

async fn negative_skill_work_years_names_the_field(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (status, body) = check_person(&app, json!({"skill_work_years": -2})).await;
    assert_error(
        status,
        &body,
        422,
        "negative_number",
        Some("person.skill_work_years"),
    );
    assert_still_serves(&app).await;
}
on_both_backends!(
    bad_negative_years,
    negative_skill_work_years_names_the_field
);

async fn deep_nesting_is_refused_with_400(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // An unknown field (ignored when shallow) nested 10,000 arrays deep: 20 KB, under the limit.
    let mut body = String::from(r#"{"person": {}, "extra": "#);
    body.push_str(&"[".repeat(10_000));
    body.push_str(&"]".repeat(10_000));
    body.push('}');
    let (status, json) = post_raw(
        &app,
        "/api/v1/eligibility",
        "application/json",
        body.into_bytes(),
    )
    .await;
    assert_error(status, &json, 400, "too_deep", None);
    // The same where a person field is expected: refused before any decoding.
    let (status, json) = post_raw(
        &app,
        "/api/v1/eligibility",
        "application/json",
        format!(
            r#"{{"person": {{"honours": {}{}}}}}"#,
            "[".repeat(10_000),
            "]".repeat(10_000)
        )
        .into_bytes(),
    )
    .await;
    assert_error(status, &json, 400, "too_deep", None);
    assert_still_serves(&app).await;
}
on_both_backends!(bad_deep_nesting, deep_nesting_is_refused_with_400);

async fn body_over_64_kib_is_413(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let padding = "x".repeat(70 * 1024);
    let (status, body) = post_json(
        &app,
        "/api/v1/eligibility",
        &json!({"person": {}, "padding": padding}),
    )
    .await;
    assert_error(status, &body, 413, "body_too_large", Some("body"));
    assert_still_serves(&app).await;
}
on_both_backends!(bad_body_too_large, body_over_64_kib_is_413);

async fn unknown_region_names_region(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (status, body) = post_json(
        &app,
        "/api/v1/eligibility",
        &json!({"region": "99", "person": technician()}),
    )
    .await;
    assert_error(status, &body, 422, "unknown_region", Some("region"));
    assert_still_serves(&app).await;
}
on_both_backends!(bad_unknown_region, unknown_region_names_region);

async fn missing_person_names_person(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (status, body) = post_json(
        &app,
        "/api/v1/eligibility",
        &json!({"as_of": "2026-11-21", "region": "53"}),
    )
    .await;
    assert_error(status, &body, 422, "missing_field", Some("person"));
    assert_still_serves(&app).await;
}
on_both_backends!(bad_missing_person, missing_person_names_person);

async fn more_than_ten_thousand_people_is_refused(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let people: Vec<Value> = (0..10_001).map(|_| json!({})).collect();
    let (status, body) = post_json(
        &app,
        "/api/v1/eligibility/batch",
        &json!({"people": people}),
    )
    .await;
    assert_error(status, &body, 422, "too_many_people", Some("people"));
    assert_still_serves(&app).await;
}
on_both_backends!(
    bad_too_many_people,
    more_than_ten_thousand_people_is_refused
);

async fn wrong_content_type_is_415(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let body = json!({"person": technician()}).to_string().into_bytes();
    let (status, json) = post_raw(&app, "/api/v1/eligibility", "text/plain", body.clone()).await;
    assert_error(status, &json, 415, "unsupported_media_type", None);
    let (status, json) = post_raw(
        &app,
        "/api/v1/eligibility/batch",
        "application/x-www-form-urlencoded",
        body,
    )
    .await;
    assert_error(status, &json, 415, "unsupported_media_type", None);
    assert_still_serves(&app).await;
}
on_both_backends!(bad_content_type, wrong_content_type_is_415);

async fn server_keeps_serving_after_every_kind_of_bad_input(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let bad: Vec<Vec<u8>> = vec![
        b"{".to_vec(),
        b"null".to_vec(),
        b"[]".to_vec(),
        b"\xff\xfe".to_vec(),
        br#"{"person": {"skill_work_years": 1e999}}"#.to_vec(),
        br#"{"person": {"skill_work_years": "NaN"}}"#.to_vec(),
        br#"{"person": {"annual_reviews": {"99999": "pass"}}}"#.to_vec(),
        br#"{"as_of": "9999-12-31", "person": {"skill_levels": [{"level": "technician", "obtained_on": "0001-01-01"}]}}"#.to_vec(),
        br#"{"as_of": "+262143-01-01", "person": {}}"#.to_vec(),
        format!(r#"{{"person": {}}}"#, "[".repeat(100_000)).into_bytes(),
    ];
    for body in bad {
        let (status, json) = post_raw(&app, "/api/v1/eligibility", "application/json", body).await;
        assert!((400..500).contains(&status), "{status} {json}");
        assert!(json["error"]["code"].is_string(), "{json}");
    }
    let (status, body) = check_person(&app, technician()).await;
    assert_eq!(status, 200, "{body}");
}
on_both_backends!(
    still_serving,
    server_keeps_serving_after_every_kind_of_bad_input
);

async fn rule_sets_are_listed_and_fetched_by_id(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let list: Value = app.get_json("/api/v1/rule-sets").await;
    let sets = list["rule_sets"].as_array().expect("rule_sets");
    let yunnan = sets
        .iter()
        .find(|s| s["id"] == "yunnan-2021")
        .expect("yunnan-2021 listed");
    assert_eq!(yunnan["region"], "53");
    assert_eq!(yunnan["parent"], "national");
    assert_eq!(yunnan["effective_from"], "2021-04-09");
    assert!(yunnan["content_hash"]
        .as_str()
        .is_some_and(|h| !h.is_empty()));
    assert!(yunnan.get("version").is_some() && yunnan.get("effective_to").is_some());
    assert_eq!(
        yunnan["status"], "in_force",
        "the server's day is after 2021-04-09"
    );
    assert!(sets.iter().all(|s| ["scheduled", "in_force", "superseded"]
        .contains(&s["status"].as_str().unwrap_or_default())));
    assert_eq!(
        sets.iter()
            .filter(|s| s["region"] == "national" && s["status"] == "in_force")
            .count(),
        1,
        "one national version in force"
    );

    let response = app
        .client
        .get(app.url("/api/v1/rule-sets/yunnan-2021"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let set: Value = response.json().await.unwrap();
    assert_eq!(set["id"], "yunnan-2021");
    assert!(set["routes"].is_array());

    let response = app
        .client
        .get(app.url("/api/v1/rule-sets/atlantis-1999"))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_error(status, &body, 404, "not_found", None);
}
on_both_backends!(rule_sets, rule_sets_are_listed_and_fetched_by_id);

async fn unknown_api_paths_and_methods_answer_in_json(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let response = app
        .client
        .get(app.url("/api/v1/nope"))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_error(status, &body, 404, "not_found", None);
    let response = app
        .client
        .get(app.url("/api/v1/eligibility"))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_error(status, &body, 405, "method_not_allowed", None);
}
on_both_backends!(api_not_found, unknown_api_paths_and_methods_answer_in_json);

/// Follows a `$ref` into `components.schemas` (or returns the schema itself).
fn deref<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or_default();
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

async fn openapi_document_is_generated_and_matches_the_contract(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let response = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let doc: Value = response.json().await.unwrap();
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
        "{}",
        doc["openapi"]
    );
    for path in [
        "/api/v1/eligibility",
        "/api/v1/eligibility/batch",
        "/api/v1/rule-sets",
        "/api/v1/rule-sets/{id}",
        "/api/v1/openapi.json",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    let ok = &doc["paths"]["/api/v1/eligibility"]["post"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    let report = deref(&doc, ok);
    for field in ["as_of", "region", "rule_set", "outcomes"] {
        assert!(
            report["properties"].get(field).is_some(),
            "response lacks {field}: {report}"
        );
    }
    let outcome = deref(&doc, &report["properties"]["outcomes"]["items"]);
    for field in ["target", "route", "status", "earliest_on", "conditions"] {
        assert!(
            outcome["properties"].get(field).is_some(),
            "outcome lacks {field}: {outcome}"
        );
    }
    let request = deref(
        &doc,
        &doc["paths"]["/api/v1/eligibility"]["post"]["requestBody"]["content"]["application/json"]
            ["schema"],
    );
    // Only dates and known region codes are accepted, and the contract says so.
    assert_eq!(
        request["properties"]["as_of"]["format"], "date",
        "{request}"
    );
    assert_eq!(
        request["properties"]["region"]["pattern"], "^(national|[0-9]{2})$",
        "{request}"
    );
    let person = deref(&doc, &request["properties"]["person"]);
    for field in [
        "skill_levels",
        "titles",
        "work_started_on",
        "skill_work_years",
        "annual_reviews",
        "honours",
        "posts",
        "related_degree",
    ] {
        assert!(
            person["properties"].get(field).is_some(),
            "person lacks {field}: {person}"
        );
    }
    let error = &doc["paths"]["/api/v1/eligibility"]["post"]["responses"]["422"];
    assert!(error.is_object(), "422 documented");
}
on_both_backends!(
    openapi,
    openapi_document_is_generated_and_matches_the_contract
);
