//! The lenient parse (proptest) over people whose facts are each valid or not: it agrees with the
//! strict parse (the same first error, the same person when there is none), what it accepts
//! parses strictly to the same person, and each error names a field of the input as given.
//!
//! Case counts are modest so the suite stays within seconds (`PROPTEST_CASES` raises them).

#![cfg(not(target_arch = "wasm32"))]

use std::sync::LazyLock;

use chrono::NaiveDate;
use proptest::prelude::*;
use rules::{Person, PersonInput, Registry, ResolvedRuleSet};
use serde_json::{json, Map, Value};

const LEVELS: &[&str] = &[
    "technician",
    "senior_worker",
    "senior_technician",
    "principal_technician",
    "wizard",
    "",
];
const DATES: &[&str] = &[
    "2015-06-30",
    "2020-01-01",
    "2026-11-21",
    "2030-01-01",
    "2021-02-30",
    "1899-12-31",
    "yesterday",
];
const OCCUPATIONS: &[&str] = &["6-18-01-01", "4-99-99-99", "6-18", "x"];
const SERIES: &[&str] = &["engineering", "nope"];
const TITLE_LEVELS: &[&str] = &["assistant", "intermediate", "junior"];
const YEARS: &[&str] = &["2023", "2024", "2027", "20x4", "999"];
const GRADES: &[&str] = &["pass", "excellent", "fail", "great"];
const HONOURS: &[&str] = &["china_skills_award", "made_up"];

fn pick(pool: &'static [&'static str]) -> impl Strategy<Value = Option<&'static str>> {
    prop::option::of(prop::sample::select(pool))
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        map.insert(key.into(), json!(v));
    }
}

prop_compose! {
    fn skill_row()(level in pick(LEVELS), on in pick(DATES), occ in pick(OCCUPATIONS)) -> Value {
        let mut row = Map::new();
        put(&mut row, "level", level);
        put(&mut row, "obtained_on", on);
        put(&mut row, "occupation", occ);
        Value::Object(row)
    }
}

prop_compose! {
    fn title_row()(series in pick(SERIES), level in pick(TITLE_LEVELS), on in pick(DATES)) -> Value {
        let mut row = Map::new();
        put(&mut row, "series", series);
        put(&mut row, "level", level);
        put(&mut row, "obtained_on", on);
        Value::Object(row)
    }
}

prop_compose! {
    fn person()(
        skills in prop::option::of(prop::collection::vec(skill_row(), 0..4)),
        titles in prop::option::of(prop::collection::vec(title_row(), 0..3)),
        work in pick(DATES),
        years in prop::option::of(prop::sample::select(&[0.0, 3.0, 2.5, -1.0, 40.0][..])),
        reviews in prop::option::of(prop::collection::btree_map(
            prop::sample::select(YEARS), prop::sample::select(GRADES), 0..4)),
        honours in prop::option::of(prop::collection::vec(prop::sample::select(HONOURS), 0..3)),
    ) -> Value {
        let mut p = Map::new();
        if let Some(s) = skills { p.insert("skill_levels".into(), Value::Array(s)); }
        if let Some(t) = titles { p.insert("titles".into(), Value::Array(t)); }
        put(&mut p, "work_started_on", work);
        if let Some(y) = years { p.insert("skill_work_years".into(), json!(y)); }
        if let Some(r) = reviews { p.insert("annual_reviews".into(), json!(r)); }
        if let Some(h) = honours { p.insert("honours".into(), json!(h)); }
        Value::Object(p)
    }
}

static AS_OF: LazyLock<NaiveDate> = LazyLock::new(|| rules::parse_date("2026-11-21").unwrap());
static RULES: LazyLock<ResolvedRuleSet> = LazyLock::new(|| {
    Registry::builtin()
        .unwrap()
        .resolve("national", *AS_OF)
        .unwrap()
});

/// Whether the JSON path `field` (`person.skill_levels[2].level`) names a place in `input`.
fn names_a_place(input: &Value, field: &str) -> bool {
    let path = field.strip_prefix("person.").unwrap_or(field);
    let (head, rest) = path.split_once(['[', '.']).unwrap_or((path, ""));
    let Some(value) = input.get(head) else {
        return false;
    };
    match value {
        Value::Array(list) => rest
            .split_once(']')
            .and_then(|(i, _)| i.parse::<usize>().ok())
            .is_some_and(|i| i < list.len()),
        Value::Object(map) => map.contains_key(rest),
        _ => rest.is_empty(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_lenient_parse_agrees_with_the_strict_one(json in person()) {
        let (as_of, rules) = (*AS_OF, &*RULES);
        let input: PersonInput = serde_json::from_value(json.clone()).unwrap();
        let (lenient, errors) = Person::parse_lenient(input.clone(), as_of, rules);
        match Person::parse(input, as_of, rules) {
            Ok(strict) => {
                prop_assert!(errors.is_empty(), "{errors:?}");
                prop_assert_eq!(&strict, &lenient);
            }
            Err(first) => {
                prop_assert!(!errors.is_empty());
                prop_assert_eq!(&first, &errors[0]);
            }
        }
        let again = Person::parse(lenient.input().clone(), as_of, rules);
        prop_assert_eq!(again.as_ref(), Ok(&lenient));
        for e in &errors {
            prop_assert!(names_a_place(&json, &e.field), "{} in {json}", e.field);
        }
    }
}
