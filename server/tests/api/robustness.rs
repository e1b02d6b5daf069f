//! Property tests of the API's bodies (proptest): arbitrary JSON values, valid requests with
//! values replaced, removed or duplicated, and mutated JSON text, posted to `/api/v1/eligibility`
//! and `/api/v1/eligibility/batch`. The server never answers 5xx (a panic in a handler would be
//! a 500 from the catch-panic layer), every answer is whole JSON of the contract's shape (an
//! `error` object with a 4xx, results with a 200), also when the client accepts compression, and
//! the server still serves a valid request afterwards.
//!
//! One application on SQLite serves every case (these endpoints read no database). Case counts
//! are modest so the test takes seconds; `PROPTEST_CASES` raises them.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};
use store::testing::Backend;

use crate::helpers::{spawn_app, TestApp};

/// Field names of the API's requests, so generated objects often hit real fields.
const KEYS: &[&str] = &[
    "as_of",
    "region",
    "person",
    "people",
    "detail",
    "skill_levels",
    "titles",
    "level",
    "obtained_on",
    "occupation",
    "series",
    "work_started_on",
    "skill_work_years",
    "annual_reviews",
    "honours",
    "posts",
    "related_degree",
    "2025",
    "x",
];

/// Strings that are almost valid: dates, codes of each kind, and hostile text.
const STRINGS: &[&str] = &[
    "",
    "2026-11-21",
    "2026-02-30",
    "0000-01-01",
    "9999-12-31",
    "+275760-09-13",
    "2026-11-21T00:00:00Z",
    "national",
    "53",
    "37",
    "00",
    "999",
    "technician",
    "principal_technician",
    "senior",
    "assistant",
    "engineering",
    "pass",
    "excellent",
    "fail",
    "china_skills_award",
    "chief_technician",
    "6-18-01-01",
    "9-99-99-99",
    "summary",
    "full",
    "\u{0}",
    "\u{202e}",
    "</textarea>",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        prop::sample::select(STRINGS).prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
        (1900i32..2200, 1u32..13, 1u32..32)
            .prop_map(|(y, m, d)| Value::from(format!("{y:04}-{m:02}-{d:02}"))),
    ]
}

/// Any JSON value, with objects keyed mostly by the API's own field names.
fn any_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        4 => prop::sample::select(KEYS).prop_map(str::to_owned),
                        1 => "\\PC{0,6}",
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A person who uses every field of the contract.
fn full_person() -> Value {
    json!({
        "skill_levels": [
            { "level": "technician", "obtained_on": "2021-06-30", "occupation": "6-18-01-01" },
            { "level": "senior_worker", "obtained_on": "2017-06-30" }
        ],
        "titles": [{ "series": "engineering", "level": "assistant", "obtained_on": "2019-07-01" }],
        "work_started_on": "2008-07-01",
        "annual_reviews": { "2023": "pass", "2024": "pass", "2025": "excellent" },
        "honours": ["china_skills_award"],
        "posts": ["chief_technician"],
        "related_degree": true
    })
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Item(usize),
}

fn paths(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                prefix.push(Step::Key(k.clone()));
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                prefix.push(Step::Item(i));
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'a>(value: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(value, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Item(i) => &mut v[*i],
    })
}

/// One change to a valid request.
#[derive(Debug, Clone)]
enum Change {
    Replace(Index, Value),
    Remove(Index),
    Duplicate(Index),
    AddKey(Index, String, Value),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        4 => (any::<Index>(), any_json()).prop_map(|(p, v)| Change::Replace(p, v)),
        2 => any::<Index>().prop_map(Change::Remove),
        1 => any::<Index>().prop_map(Change::Duplicate),
        1 => (any::<Index>(), prop::sample::select(KEYS).prop_map(str::to_owned), any_json())
            .prop_map(|(p, k, v)| Change::AddKey(p, k, v)),
    ]
}

fn mutate(value: &mut Value, change: &Change) {
    let mut all = Vec::new();
    paths(value, &mut Vec::new(), &mut all);
    let pick = |i: &Index| all[i.index(all.len())].clone();
    match change {
        Change::Replace(p, v) => *at_mut(value, &pick(p)) = v.clone(),
        Change::AddKey(p, k, v) => {
            if let Value::Object(map) = at_mut(value, &pick(p)) {
                map.insert(k.clone(), v.clone());
            }
        }
        Change::Remove(p) | Change::Duplicate(p) => {
            let path = pick(p);
            let Some((last, parent)) = path.split_last() else {
                return;
            };
            match (
                last,
                at_mut(value, parent),
                matches!(change, Change::Remove(_)),
            ) {
                (Step::Key(k), Value::Object(map), true) => {
                    map.remove(k);
                }
                (Step::Item(i), Value::Array(items), true) => {
                    items.remove(*i);
                }
                (Step::Item(i), Value::Array(items), false) => {
                    let copy = items[*i].clone();
                    items.insert(*i, copy);
                }
                _ => {}
            }
        }
    }
}

/// A valid single or batch request, then a few changes.
fn mutated_request() -> impl Strategy<Value = (bool, Value)> {
    (
        any::<bool>(),
        prop::sample::select(&["national", "53", "37", "44"][..]),
        prop::sample::select(&["full", "summary"][..]),
        prop::collection::vec(change(), 1..4),
    )
        .prop_map(|(batch, region, detail, changes)| {
            let mut request = if batch {
                json!({"as_of": "2026-11-21", "region": region, "detail": detail,
                       "people": [full_person(), {}, full_person()]})
            } else {
                json!({"as_of": "2026-11-21", "region": region, "person": full_person()})
            };
            for c in &changes {
                mutate(&mut request, c);
            }
            (batch, request)
        })
}

/// Valid JSON text, then cut, spliced or with a byte flipped.
fn mutated_text() -> impl Strategy<Value = (bool, Vec<u8>)> {
    (
        any::<bool>(),
        any::<Index>(),
        any::<Index>(),
        prop_oneof![
            Just(Vec::new()),
            prop::sample::select(
                &[
                    "\"", "{", "}", "[", "]", ",", ":", "\\", "\\u", "\\ud800", "1e999", "-",
                    "null", "\u{0}", "\u{feff}",
                ][..]
            )
            .prop_map(|s| s.as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 1..4),
        ],
    )
        .prop_map(|(batch, cut, at, insert)| {
            let request = if batch {
                json!({"as_of": "2026-11-21", "region": "53", "people": [full_person()]})
            } else {
                json!({"as_of": "2026-11-21", "region": "53", "person": full_person()})
            };
            let mut text = request.to_string().into_bytes();
            if insert.is_empty() {
                text.truncate(cut.index(text.len() + 1));
            } else {
                let at = at.index(text.len() + 1);
                text.splice(at..at, insert);
            }
            (batch, text)
        })
}

/// Clients: plain (the helpers' client reads bytes as sent) and one that asks for gzip and
/// brotli and decodes them, as most HTTP libraries do.
struct Clients<'a> {
    app: &'a TestApp,
    compressing: reqwest::Client,
}

impl Clients<'_> {
    /// Posts `body` and checks the answer; returns a failure message, if any.
    async fn post(&self, batch: bool, body: Vec<u8>, compress: bool) -> Result<(), String> {
        let path = if batch {
            "/api/v1/eligibility/batch"
        } else {
            "/api/v1/eligibility"
        };
        let client = if compress {
            &self.compressing
        } else {
            &self.app.client
        };
        let shown = String::from_utf8_lossy(&body)
            .chars()
            .take(600)
            .collect::<String>();
        let response = client
            .post(self.app.url(path))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| format!("{path}: no answer ({e}) to {shown}"))?;
        let status = response.status().as_u16();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| format!("{path}: body cut short ({e}), status {status}, for {shown}"))?;
        if status >= 500 {
            return Err(format!(
                "{path}: {status} {} for {shown}",
                String::from_utf8_lossy(&bytes)
            ));
        }
        let answer: Value = serde_json::from_slice(&bytes)
            .map_err(|e| format!("{path}: answer {status} is not whole JSON ({e}) for {shown}"))?;
        let shape_ok = match status {
            200 if batch => answer["results"].is_array(),
            200 => answer["outcomes"].is_array() && answer["rule_set"].is_object(),
            400..=499 => {
                answer["error"]["code"].is_string()
                    && answer["error"]["message"]["zh"].is_string()
                    && answer["error"]["message"]["en"].is_string()
            }
            _ => false,
        };
        if shape_ok {
            Ok(())
        } else {
            Err(format!("{path}: {status} {answer} for {shown}"))
        }
    }
}

/// Runs `strategy` through proptest, posting each case with `send`.
fn run<S: Strategy>(
    rt: &tokio::runtime::Runtime,
    clients: &Clients<'_>,
    name: &str,
    cases: u32,
    strategy: S,
    send: impl Fn(S::Value) -> (bool, Vec<u8>, bool),
) where
    S::Value: std::fmt::Debug,
{
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, |case| {
        let (batch, body, compress) = send(case);
        rt.block_on(clients.post(batch, body, compress))
            .map_err(TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

#[test]
fn api_bodies_never_get_a_server_error() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let Some(app) = rt.block_on(spawn_app(Backend::Sqlite)) else {
        return;
    };
    let clients = Clients {
        app: &app,
        compressing: reqwest::Client::builder()
            .gzip(true)
            .brotli(true)
            .build()
            .expect("client"),
    };

    // Any JSON value as the whole body, and as the person of an otherwise valid request.
    run(
        &rt,
        &clients,
        "arbitrary body",
        96,
        (any_json(), any::<bool>(), any::<bool>()),
        |(value, batch, compress)| (batch, value.to_string().into_bytes(), compress),
    );
    run(
        &rt,
        &clients,
        "arbitrary person",
        96,
        (any_json(), any::<bool>(), any::<bool>()),
        |(person, batch, compress)| {
            let body = if batch {
                json!({"as_of": "2026-11-21", "people": [person]})
            } else {
                json!({"as_of": "2026-11-21", "person": person})
            };
            (batch, body.to_string().into_bytes(), compress)
        },
    );
    // Valid requests with a few values replaced, removed or duplicated.
    run(
        &rt,
        &clients,
        "mutated request",
        128,
        (mutated_request(), any::<bool>()),
        |((batch, body), compress)| (batch, body.to_string().into_bytes(), compress),
    );
    // Valid JSON text cut short or with bytes spliced in.
    run(
        &rt,
        &clients,
        "mutated text",
        64,
        (mutated_text(), any::<bool>()),
        |((batch, body), compress)| (batch, body, compress),
    );

    // Still serving.
    let ok = rt.block_on(
        clients.post(
            false,
            json!({"as_of": "2026-11-21", "region": "53", "person": full_person()})
                .to_string()
                .into_bytes(),
            true,
        ),
    );
    assert_eq!(ok, Ok(()));
}
