//! Guantong's policy engine for 人社部发〔2020〕96号 and the provinces' rules
//! built on it (云人社通〔2021〕28号, Shandong's 特级技师 rule, …).
//!
//! Rule sets are data (`rules/data/*.toml`), loaded and validated by
//! [`Registry`]; [`Registry::resolve`] gives the [`ResolvedRuleSet`] in force for
//! a region on a day; [`Person::parse`] turns the API's `person` object into
//! checked facts; [`evaluate`] says which targets the person can aim at, by which
//! route, and why, with a citation for every condition.
//!
//! Pure Rust, no I/O: compiles for the server and for `wasm32-unknown-unknown`.
//! With `default-features = false` the TOML parser and the embedded data are
//! left out; the browser receives a `ResolvedRuleSet` as JSON instead.
//!
//! ```
//! # #[cfg(feature = "toml")] {
//! use rules::{evaluate, parse_date, Person, PersonInput, Registry, Status};
//!
//! let registry = Registry::builtin().expect("shipped data are valid");
//! let as_of = parse_date("2026-11-21").unwrap();
//! let rules = registry.resolve("53", as_of).expect("Yunnan's set is in force");
//! let input: PersonInput = serde_json::from_str(r#"{
//!     "skill_levels": [{"level": "technician", "obtained_on": "2023-06-30", "occupation": "6-18-01-01"}],
//!     "annual_reviews": {"2023": "pass", "2024": "pass", "2025": "excellent"}
//! }"#).unwrap();
//! let person = Person::parse(input, as_of, &rules).expect("valid facts");
//! let evaluation = evaluate(&rules, &person, as_of);
//! let intermediate = evaluation
//!     .summaries()
//!     .find(|o| o.key == "skill_ladder.intermediate")
//!     .unwrap();
//! assert_eq!(intermediate.status, Status::Eligible);
//! let json = serde_json::to_value(&evaluation).unwrap();
//! assert_eq!(json["rule_set"]["id"], "yunnan-2021");
//! # }
//! ```

mod calendar;
mod date;
mod error;
mod evaluate;
mod idcard;
mod kinds;
pub mod limits;
mod model;
mod person;
mod registry;
mod resolved;
pub mod strict;
mod vocab;

pub use calendar::{
    CalendarError, EntryField, EntryProblem, WorkCalendar, YearEntry, YEARS as CALENDAR_YEARS,
};
pub use date::add_years;
pub use error::{InputError, LoadError, Problem, ResolveError};
pub use evaluate::{
    evaluate, BriefOutcome, BriefView, ConditionResult, ConditionStatus, Evaluation, Outcome,
    OutcomeSummary, Report, Status, Target,
};
pub use idcard::{check_character as idcard_check_character, IdNumber, IdNumberError};
pub use model::{
    Catalogue, ConditionSpec, Named, Occupation, Param, ParamValue, ReviewGrade, RouteSpec,
    RuleSet, Series, TargetSpec,
};
pub use person::{occupation_code_well_formed, Person, PersonInput, SkillLevelInput, TitleInput};
pub use registry::{Registry, RuleSetSummary, VersionStatus};
pub use resolved::{
    CatalogueItem, CatalogueView, InForce, OccupationItem, ResolvedRuleSet, RuleSetRef, SeriesItem,
};
pub use vocab::{Bilingual, SkillLevel, TitleLevel};

/// Parses an ISO `YYYY-MM-DD` date strictly (for callers building requests).
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    date::parse_iso(text)
}

pub use chrono::NaiveDate;
