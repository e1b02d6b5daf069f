//! Loading rule sets never panics (proptest): arbitrary text, the shipped files mutated line by
//! line, and their parsed content mutated value by value are either refused with a `LoadError`
//! or loaded; a set that loads resolves and evaluates a person without panicking. The same for
//! the working-day calendar and for the resolved JSON the browser is given.
//!
//! Case counts are modest so the suite stays within seconds (`PROPTEST_CASES` raises them).

#![cfg(not(target_arch = "wasm32"))]

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::sample::Index;
use rules::{evaluate, Person, PersonInput, Registry, ResolvedRuleSet, RuleSet, WorkCalendar};
use serde_json::{json, Value};

const FILES: [(&str, &str); 3] = [
    ("national.toml", include_str!("../data/national.toml")),
    ("yunnan.toml", include_str!("../data/yunnan.toml")),
    ("shandong.toml", include_str!("../data/shandong.toml")),
];
const CALENDAR: &str = include_str!("../data/calendar.toml");
const REGIONS: [&str; 5] = ["national", "53", "37", "44", "11"];
const DAYS: [&str; 3] = ["2020-12-31", "2026-11-21", "2099-12-31"];

/// Values that tend to break validation: wrong types, empty and huge numbers, odd dates, codes
/// of other kinds, deep structures.
const TOML_VALUES: &[&str] = &[
    "0",
    "-1",
    "1",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "1e308",
    "nan",
    "inf",
    "true",
    "\"\"",
    "\"x\"",
    "\"0/0\"",
    "\"1/0\"",
    "\"3/2\"",
    "\"-1/2\"",
    "\"99999999999/1\"",
    "\"2026-02-30\"",
    "\"9999-12-31\"",
    "\"0000-01-01\"",
    "2021-04-09",
    "\"national\"",
    "\"53\"",
    "\"technician\"",
    "\"senior\"",
    "\"engineering\"",
    "\"{placeholder}\"",
    "[]",
    "[1, 2]",
    "{}",
    "{ zh = \"\", en = \"\" }",
];

fn json_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(0),
        json!(-1),
        json!(1),
        json!(255),
        json!(65536),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(1.5),
        json!(true),
        json!(""),
        json!("x"),
        json!("0/0"),
        json!("1/0"),
        json!("7/3"),
        json!("2026-02-30"),
        json!("9999-12-31"),
        json!("0001-01-01"),
        json!("2021-04-09"),
        json!("national"),
        json!("53"),
        json!("technician"),
        json!("principal_technician"),
        json!("senior"),
        json!("engineering"),
        json!("{years}"),
        json!([]),
        json!({}),
        json!({"zh": "", "en": ""}),
    ]
}

/// `PROPTEST_CASES` if set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn day(text: &str) -> NaiveDate {
    rules::parse_date(text).expect("a date")
}

/// What a loaded registry must survive: resolving every region on several days (and the day
/// each set starts), then parsing and evaluating an empty and a typical person.
fn exercise(registry: &Registry) {
    let mut days: Vec<NaiveDate> = DAYS.iter().map(|d| day(d)).collect();
    days.extend(registry.list().iter().map(|s| s.effective_from));
    let people: Vec<PersonInput> = [
        json!({}),
        json!({
            "skill_levels": [{"level": "technician", "obtained_on": "2021-06-30", "occupation": "6-18-01-01"}],
            "titles": [{"series": "engineering", "level": "assistant", "obtained_on": "2019-07-01"}],
            "work_started_on": "2008-07-01",
            "annual_reviews": {"2023": "pass", "2024": "pass", "2025": "excellent"},
            "honours": ["china_skills_award"],
            "related_degree": true
        }),
    ]
    .into_iter()
    .map(|p| serde_json::from_value(p).expect("a person"))
    .collect();
    for region in REGIONS {
        for &as_of in &days {
            let Ok(rules) = registry.resolve(region, as_of) else {
                continue;
            };
            let json = serde_json::to_string(&rules).expect("a resolved set serialises");
            let _ = serde_json::from_str::<ResolvedRuleSet>(&json);
            for input in &people {
                if let Ok(person) = Person::parse(input.clone(), as_of, &rules) {
                    let report = evaluate(&rules, &person, as_of).report();
                    serde_json::to_string(&report).expect("a report serialises");
                }
            }
        }
    }
    for summary in registry.list() {
        let _ = registry.get(&summary.id);
    }
}

fn load(sources: &[(&str, &str)]) {
    if let Ok(registry) = Registry::from_sources(sources) {
        exercise(&registry);
    }
}

/// One text edit of a TOML file, by lines so the result stays UTF-8 and mostly parses.
#[derive(Debug, Clone)]
enum Edit {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    /// Replaces the value of a `key = value` line.
    ReplaceValue(Index, Index),
    /// Cuts the file after this many characters.
    Truncate(Index),
    /// Inserts a random line.
    InsertLine(Index, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => any::<Index>().prop_map(Edit::DeleteLine),
        1 => any::<Index>().prop_map(Edit::DuplicateLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::ReplaceValue(a, b)),
        1 => any::<Index>().prop_map(Edit::Truncate),
        1 => (any::<Index>(), "[a-z_\\[\\]=\" .0-9{}-]{0,40}").prop_map(|(a, s)| Edit::InsertLine(a, s)),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    match edit {
        Edit::DeleteLine(i) => {
            lines.remove(i.index(lines.len()));
        }
        Edit::DuplicateLine(i) => {
            let at = i.index(lines.len());
            let line = lines[at].clone();
            lines.insert(at, line);
        }
        Edit::SwapLines(a, b) => {
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
        }
        Edit::ReplaceValue(i, v) => {
            let candidates: Vec<usize> = (0..lines.len())
                .filter(|&n| lines[n].contains(" = ") && !lines[n].trim_start().starts_with('#'))
                .collect();
            if !candidates.is_empty() {
                let at = candidates[i.index(candidates.len())];
                let key = lines[at].split(" = ").next().unwrap_or_default().to_owned();
                lines[at] = format!("{key} = {}", TOML_VALUES[v.index(TOML_VALUES.len())]);
            }
        }
        Edit::Truncate(i) => {
            let text = lines.join("\n");
            let chars = text.chars().count();
            return text.chars().take(i.index(chars + 1)).collect();
        }
        Edit::InsertLine(i, line) => {
            let at = i.index(lines.len() + 1);
            lines.insert(at, line.clone());
        }
    }
    lines.join("\n")
}

/// Every path (object keys and array indices) to a value inside `value`.
fn paths(value: &Value, prefix: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                prefix.push(PathStep::Key(k.clone()));
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                prefix.push(PathStep::Item(i));
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Item(usize),
}

fn at_mut<'a>(value: &'a mut Value, path: &[PathStep]) -> &'a mut Value {
    path.iter().fold(value, |v, step| match step {
        PathStep::Key(k) => &mut v[k.as_str()],
        PathStep::Item(i) => &mut v[*i],
    })
}

/// One change to a JSON tree: replace, remove or duplicate the value at a path.
#[derive(Debug, Clone)]
enum Change {
    Replace(Index, Index),
    Remove(Index),
    Duplicate(Index),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => (any::<Index>(), any::<Index>()).prop_map(|(p, v)| Change::Replace(p, v)),
        1 => any::<Index>().prop_map(Change::Remove),
        1 => any::<Index>().prop_map(Change::Duplicate),
    ]
}

fn mutate(value: &mut Value, change: &Change) {
    let mut all = Vec::new();
    paths(value, &mut Vec::new(), &mut all);
    let pick = |i: &Index| all[i.index(all.len())].clone();
    match change {
        Change::Replace(p, v) => {
            let values = json_values();
            *at_mut(value, &pick(p)) = values[v.index(values.len())].clone();
        }
        Change::Remove(p) | Change::Duplicate(p) => {
            let path = pick(p);
            let Some((last, parent)) = path.split_last() else {
                return;
            };
            let parent = at_mut(value, parent);
            match (last, parent, matches!(change, Change::Remove(_))) {
                (PathStep::Key(k), Value::Object(map), true) => {
                    map.remove(k);
                }
                (PathStep::Item(i), Value::Array(items), true) => {
                    items.remove(*i);
                }
                (PathStep::Item(i), Value::Array(items), false) => {
                    let copy = items[*i].clone();
                    items.insert(*i, copy);
                }
                _ => {}
            }
        }
    }
}

fn builtin_sets() -> Vec<(String, RuleSet)> {
    FILES
        .iter()
        .map(|(file, text)| {
            (
                (*file).to_owned(),
                toml::from_str(text).expect("shipped data parse"),
            )
        })
        .collect()
}

#[test]
fn the_shipped_files_load_and_survive_the_exercise() {
    let registry = Registry::from_sources(&FILES).expect("shipped data load");
    exercise(&registry);
    WorkCalendar::from_toml("calendar.toml", CALENDAR).expect("shipped calendar loads");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(64)))]

    /// Any text as a rule set file, alone or beside the real national set.
    #[test]
    fn arbitrary_text_is_refused_or_loaded(text in "\\PC{0,300}", beside in any::<bool>()) {
        if beside {
            load(&[FILES[0], ("fuzz.toml", &text)]);
        } else {
            load(&[("fuzz.toml", &text)]);
        }
        let _ = WorkCalendar::from_toml("fuzz.toml", &text);
    }

    /// TOML-looking text: tables, keys and values in random order.
    #[test]
    fn toml_shaped_text_is_refused_or_loaded(
        lines in prop::collection::vec(
            prop_oneof![
                "\\[\\[?[a-z_.]{1,20}\\]\\]?",
                "[a-z_]{1,12} = (\"[a-z0-9_-]{0,10}\"|[0-9]{1,4}|true|\\[\\]|20[0-9]{2}-[01][0-9]-[0-3][0-9])",
            ],
            0..30,
        )
    ) {
        let text = lines.join("\n");
        load(&[FILES[0], ("fuzz.toml", &text)]);
        let _ = WorkCalendar::from_toml("fuzz.toml", &text);
    }

    /// One of the shipped files with a few line edits, loaded with the others unchanged.
    #[test]
    fn mutated_shipped_files_are_refused_or_loaded(
        which in 0..FILES.len(),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let text = edits.iter().fold(FILES[which].1.to_owned(), |t, e| apply(&t, e));
        let mut sources = FILES.to_vec();
        sources[which] = (FILES[which].0, &text);
        load(&sources);
    }

    /// The calendar with a few line edits.
    #[test]
    fn mutated_calendar_is_refused_or_loaded(edits in prop::collection::vec(edit(), 1..4)) {
        let text = edits.iter().fold(CALENDAR.to_owned(), |t, e| apply(&t, e));
        if let Ok(calendar) = WorkCalendar::from_toml("calendar.toml", &text) {
            for year in calendar.years().collect::<Vec<_>>() {
                for d in [format!("{year}-01-01"), format!("{year}-12-31")] {
                    let from = day(&d);
                    let _ = calendar.is_working_day(from);
                    let _ = calendar.nth_working_day_from(from, 5);
                    let _ = calendar.working_days_between(from, from + chrono::Duration::days(400));
                }
            }
        }
    }

    /// The parsed content of a shipped set with values replaced, removed or duplicated (what an
    /// admin's draft from the database could hold), validated with the other sets.
    #[test]
    fn mutated_rule_set_content_is_refused_or_loaded(
        which in 0..FILES.len(),
        changes in prop::collection::vec(change(), 1..4),
    ) {
        let mut sets = builtin_sets();
        let mut value = serde_json::to_value(&sets[which].1).expect("a set serialises");
        for c in &changes {
            mutate(&mut value, c);
        }
        if let Ok(set) = serde_json::from_value::<RuleSet>(value) {
            sets[which].1 = set;
            if let Ok(registry) = Registry::from_rule_sets(sets) {
                exercise(&registry);
            }
        }
    }

    /// The resolved JSON the browser receives, mutated: refused, or it evaluates.
    #[test]
    fn mutated_resolved_json_is_refused_or_evaluates(
        region in prop::sample::select(&REGIONS[..4]),
        changes in prop::collection::vec(change(), 1..4),
    ) {
        let registry = Registry::from_sources(&FILES).expect("shipped data load");
        let as_of = day("2026-11-21");
        let resolved = registry.resolve(region, as_of).expect("in force");
        let mut value = serde_json::to_value(&resolved).expect("serialises");
        for c in &changes {
            mutate(&mut value, c);
        }
        if let Ok(rules) = serde_json::from_value::<ResolvedRuleSet>(value) {
            if let Ok(person) = Person::parse(PersonInput::default(), as_of, &rules) {
                let _ = evaluate(&rules, &person, as_of).report();
            }
        }
    }
}
