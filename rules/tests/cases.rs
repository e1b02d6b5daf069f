//! Runs every rule case of `tests/cases/*.yaml` and compares the full answers
//! with `tests/golden/cases.json` (regenerate with `UPDATE_GOLDEN=1`).

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::Path;

#[test]
fn every_case_file_is_listed_for_the_wasm_runner() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/cases exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    on_disk.sort();
    let listed: Vec<String> = common::files::CASE_FILES
        .iter()
        .map(|(n, _)| (*n).to_owned())
        .collect();
    assert_eq!(
        on_disk, listed,
        "tests/common/files.rs must list every case file, sorted"
    );
}

#[test]
fn rule_cases_hold_and_match_the_golden_file() {
    let (doc, failures, count) = common::run_all(common::files::CASE_FILES);
    assert!(
        failures.is_empty(),
        "{} failing expectation(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(count >= 60, "only {count} cases");
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/cases.json");
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::write(&golden, &doc).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    if expected != doc {
        let line = expected
            .lines()
            .zip(doc.lines())
            .position(|(a, b)| a != b)
            .map_or(expected.lines().count().min(doc.lines().count()), |i| i);
        panic!(
            "tests/golden/cases.json differs from the engine's answers (first at line {}): \
             review the change and rerun with UPDATE_GOLDEN=1",
            line + 1
        );
    }
}
