//! Shared by the native and the wasm case runners: runs every case file,
//! checks its expectations, and builds the canonical golden JSON document.

#![allow(dead_code)]

use std::collections::BTreeMap;

use rules::{evaluate, ConditionStatus, Person, PersonInput, Registry, Report, Status};
use serde::Deserialize;
use serde_json::{json, Value};

pub mod files;

/// One case of `tests/cases/*.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    pub as_of: String,
    #[serde(default = "national")]
    pub region: String,
    #[serde(default)]
    pub person: PersonInput,
    #[serde(default)]
    pub expect: Vec<Expect>,
    /// The request is refused: resolve error (`not_in_force`, `unknown_region`)
    /// or input error (`unknown_code`, … with its `field`).
    #[serde(default)]
    pub expect_error: Option<ExpectError>,
    /// Expected rule set id in force.
    #[serde(default)]
    pub rule_set: Option<String>,
}

fn national() -> String {
    "national".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub target: ExpectTarget,
    pub route: String,
    #[serde(default)]
    pub status: Option<Status>,
    /// `YYYY-MM-DD`, or `null` (written `~`) to require no date.
    #[serde(default, deserialize_with = "some")]
    pub earliest_on: Option<Option<String>>,
    #[serde(default)]
    pub conditions: BTreeMap<String, ConditionStatus>,
    /// The outcome must not be listed at all.
    #[serde(default)]
    pub absent: bool,
}

fn some<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::<String>::deserialize(d)?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectTarget {
    pub kind: String,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub series: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectError {
    pub code: String,
    #[serde(default)]
    pub field: Option<String>,
}

/// Runs all cases; returns the golden document and the failures.
pub fn run_all(files: &[(&str, &str)]) -> (String, Vec<String>, usize) {
    let registry = match Registry::builtin() {
        Ok(r) => r,
        Err(e) => {
            return (
                String::new(),
                vec![format!("builtin data do not load: {e}")],
                0,
            )
        }
    };
    let mut failures = Vec::new();
    // The content hashes come first: they must be identical on every target too.
    let mut golden =
        vec![json!({ "file": "", "name": "rule set summaries", "result": registry.list() })];
    let mut count = 0;
    for (file, text) in files {
        let cases: Vec<Case> = match serde_yaml::from_str(text) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{file}: cannot read cases: {e}"));
                continue;
            }
        };
        for case in cases {
            count += 1;
            let label = format!("{file} :: {}", case.name);
            let (result, errs) = run_case(&registry, &case);
            failures.extend(errs.into_iter().map(|e| format!("[{label}] {e}")));
            golden.push(json!({ "file": file, "name": case.name, "result": result }));
        }
    }
    // One case per line: still one JSON document, but a change shows up in a
    // diff as the cases it touches.
    let lines: Vec<String> = golden
        .iter()
        .map(|v| serde_json::to_string(v).unwrap_or_default())
        .collect();
    let doc = format!("[\n{}\n]\n", lines.join(",\n"));
    (doc, failures, count)
}

fn run_case(registry: &Registry, case: &Case) -> (Value, Vec<String>) {
    let mut errs = Vec::new();
    let Some(as_of) = rules::parse_date(&case.as_of) else {
        return (Value::Null, vec![format!("bad as_of {}", case.as_of)]);
    };
    let rules = match registry.resolve(&case.region, as_of) {
        Ok(r) => r,
        Err(e) => {
            match &case.expect_error {
                Some(x) if x.code == e.code() => {}
                _ => errs.push(format!("resolve failed unexpectedly: {e}")),
            }
            let v = json!({ "error": { "code": e.code(), "message": e.message() } });
            return (v, errs);
        }
    };
    if let Some(id) = &case.rule_set {
        if &rules.rule_set_ref().id != id {
            errs.push(format!(
                "rule set in force is {}, expected {id}",
                rules.rule_set_ref().id
            ));
        }
    }
    let person = match Person::parse(case.person.clone(), as_of, &rules) {
        Ok(p) => p,
        Err(e) => {
            match &case.expect_error {
                Some(x) if x.code == e.code && x.field.as_deref().is_none_or(|f| f == e.field) => {}
                _ => errs.push(format!("input refused unexpectedly: {e}")),
            }
            let v = json!({ "error": { "code": e.code, "field": e.field, "message": e.message } });
            return (v, errs);
        }
    };
    if let Some(x) = &case.expect_error {
        errs.push(format!(
            "expected error {} but the request was accepted",
            x.code
        ));
    }
    let evaluation = evaluate(&rules, &person, as_of);
    let report = evaluation.report();
    for x in &case.expect {
        check_expect(&report, x, &mut errs);
    }
    let value = serde_json::to_value(&evaluation).unwrap_or(Value::Null);
    // The borrowed form and the owned report must serialise identically.
    if serde_json::to_value(&report).ok().as_ref() != Some(&value) {
        errs.push("Evaluation and Report serialise differently".into());
    }
    (value, errs)
}

fn check_expect(report: &Report, x: &Expect, errs: &mut Vec<String>) {
    let target_matches = |t: &Value| {
        t["kind"] == x.target.kind.as_str()
            && x.target.level.as_deref().is_none_or(|l| t["level"] == l)
            && x.target.code.as_deref().is_none_or(|c| t["code"] == c)
    };
    let candidates: Vec<_> = report
        .outcomes
        .iter()
        .filter(|o| o.route == x.route)
        .filter(|o| serde_json::to_value(&o.target).is_ok_and(|t| target_matches(&t)))
        .filter(|o| {
            x.conditions
                .keys()
                .all(|k| o.conditions.iter().any(|c| &c.code == k))
        })
        .collect();
    let what = format!(
        "{} {}{} via {}",
        x.target.kind,
        x.target.level.as_deref().unwrap_or(""),
        x.target.code.as_deref().unwrap_or(""),
        x.route
    );
    if x.absent {
        if !candidates.is_empty() {
            errs.push(format!("{what}: expected no such outcome, found one"));
        }
        return;
    }
    let Some(o) = candidates.first() else {
        let listed: Vec<String> = report
            .outcomes
            .iter()
            .map(|o| {
                format!(
                    "{}:{}",
                    o.route,
                    serde_json::to_string(&o.target).unwrap_or_default()
                )
            })
            .collect();
        errs.push(format!("{what}: no such outcome; listed: {listed:?}"));
        return;
    };
    if let Some(s) = x.status {
        if o.status != s {
            let conds: Vec<String> = o
                .conditions
                .iter()
                .map(|c| format!("{}={:?} ({})", c.code, c.status, c.reason.en))
                .collect();
            errs.push(format!(
                "{what}: status {:?}, expected {s:?}; conditions: {conds:?}",
                o.status
            ));
        }
    }
    if let Some(e) = &x.earliest_on {
        let got = o.earliest_on.map(|d| d.to_string());
        if &got != e {
            errs.push(format!("{what}: earliest_on {got:?}, expected {e:?}"));
        }
    }
    if let Some(series) = &x.target.series {
        if let rules::Target::Title { series: got, .. } = &o.target {
            if got != series {
                errs.push(format!("{what}: series {got:?}, expected {series:?}"));
            }
        }
    }
    for (code, status) in &x.conditions {
        if let Some(c) = o.conditions.iter().find(|c| &c.code == code) {
            if c.status != *status {
                errs.push(format!(
                    "{what}: condition {code} is {:?}, expected {status:?} ({})",
                    c.status, c.reason.en
                ));
            }
        }
    }
}
