//! The API's body parsing and checking, as `POST /api/v1/eligibility` and `/eligibility/batch`
//! run them without HTTP: `decode` (depth limit, object-only, field paths), then `check` or
//! `screen_batch` under the built-in rule sets. The first byte picks the endpoint. Any input
//! gives an answer or an `ApiError` with a 4xx status, never a panic or a 5xx.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use casework::rulebook::RuleBook;
use rules::{parse_date, NaiveDate, Registry};
use server::api::eligibility::{check, screen_batch, BatchRequest, EligibilityRequest};
use server::api::json::decode;

fn registry() -> &'static RuleBook {
    static R: OnceLock<RuleBook> = OnceLock::new();
    R.get_or_init(|| {
        let registry = Registry::builtin().expect("the shipped rule sets load");
        RuleBook::new(registry, Default::default())
    })
}

fn today() -> NaiveDate {
    parse_date("2026-11-21").expect("a date")
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let outcome = if which % 2 == 0 {
        decode::<EligibilityRequest>(body, "")
            .and_then(|request| check(registry(), request, today()))
            .map(|report| serde_json::to_vec(&report).expect("a report serialises"))
    } else {
        decode::<BatchRequest>(body, "")
            .and_then(|request| screen_batch(registry(), request, today()))
    };
    if let Err(e) = outcome {
        let status = e.status();
        assert!(status.is_client_error(), "{status} for {e:?}");
    }
});
