//! The browser's answers equal the server's: on wasm32 the same cases must
//! produce a JSON document byte-identical to the golden file.

#![cfg(target_arch = "wasm32")]

mod common;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn wasm_answers_are_byte_identical_to_the_golden_file() {
    let (doc, failures, count) = common::run_all(common::files::CASE_FILES);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(count >= 60);
    assert!(
        doc == include_str!("golden/cases.json"),
        "wasm output differs from tests/golden/cases.json"
    );
}
