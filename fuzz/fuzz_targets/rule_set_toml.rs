//! Rule-set loading: the input replaces one of the shipped files (chosen by its first byte) and
//! the registry loads or refuses it; a registry that loads resolves every region on a few days
//! and evaluates an empty person. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rules::{evaluate, parse_date, Person, PersonInput, Registry};

const FILES: [(&str, &str); 3] = [
    (
        "national.toml",
        include_str!("../../rules/data/national.toml"),
    ),
    ("yunnan.toml", include_str!("../../rules/data/yunnan.toml")),
    (
        "shandong.toml",
        include_str!("../../rules/data/shandong.toml"),
    ),
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut sources = FILES.to_vec();
    // 0..=2 replaces a shipped file; anything else adds the input as a fourth file.
    match usize::from(which % 4) {
        i @ 0..=2 => sources[i] = ("fuzz.toml", text),
        _ => sources.push(("fuzz.toml", text)),
    }
    let Ok(registry) = Registry::from_sources(&sources) else {
        return;
    };
    let mut days: Vec<_> = ["2021-04-09", "2026-11-21"]
        .iter()
        .filter_map(|d| parse_date(d))
        .collect();
    days.extend(registry.list().iter().map(|s| s.effective_from));
    for region in ["national", "53", "37", "44"] {
        for &as_of in &days {
            if let Ok(rules) = registry.resolve(region, as_of) {
                if let Ok(person) = Person::parse(PersonInput::default(), as_of, &rules) {
                    let _ = serde_json::to_string(&evaluate(&rules, &person, as_of).report());
                }
            }
        }
    }
});
