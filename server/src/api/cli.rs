//! `server check`: the eligibility check from the command line, with the built-in rule sets and
//! no database. Reads a person (or a whole API request body) as JSON, prints a bilingual summary
//! or the API's JSON. The same decoding and errors as `POST /api/v1/eligibility`.

use rules::{CatalogueItem, CatalogueView, ConditionStatus, PersonInput, Report, Status, Target};
use serde::Deserialize;

use casework::rulebook::RuleBook;

use super::eligibility::{check_with_rules, EligibilityRequest};
use super::error::ApiError;
use super::json::{decode, SINGLE_LIMIT};

/// Flags of `server check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CheckArgs {
    /// `national` or a two-digit province code (default: the body's `region`, else national).
    #[arg(long)]
    pub region: Option<String>,
    /// The day of the check, YYYY-MM-DD (default: the body's `as_of`, else today in China).
    #[arg(long = "as-of")]
    pub as_of: Option<String>,
    /// Print the API's JSON answer instead of the summary.
    #[arg(long)]
    pub json: bool,
}

/// Why `server check` failed.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The input is wrong (exit code 2): the message names the field.
    #[error("{}", describe(.0))]
    Input(ApiError),
    /// Anything else (exit code 1).
    #[error("{0}")]
    Other(String),
}

impl CheckError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CheckError::Input(_) => 2,
            CheckError::Other(_) => 1,
        }
    }
}

fn describe(e: &ApiError) -> String {
    let d = e.detail();
    let field = d.field.as_deref().unwrap_or("-");
    format!("{field}: {} / {} [{}]", d.message.zh, d.message.en, d.code)
}

impl From<ApiError> for CheckError {
    fn from(e: ApiError) -> Self {
        match e.status().as_u16() {
            400..=499 => CheckError::Input(e),
            _ => CheckError::Other(e.to_string()),
        }
    }
}

/// Runs the check over `input` (the stdin bytes) and returns what to print.
pub fn run(book: &RuleBook, args: &CheckArgs, input: &[u8]) -> Result<String, CheckError> {
    if input.len() > SINGLE_LIMIT {
        return Err(ApiError::BodyTooLarge {
            limit: SINGLE_LIMIT,
        }
        .into());
    }
    let mut request = parse_input(input)?;
    if args.region.is_some() {
        request.region.clone_from(&args.region);
    }
    if args.as_of.is_some() {
        request.as_of.clone_from(&args.as_of);
    }
    let (rules, report) = check_with_rules(book, request, book.today())?;
    if args.json {
        serde_json::to_string_pretty(&report)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| CheckError::Other(e.to_string()))
    } else {
        Ok(summary(&report, &rules.rules.catalogue()))
    }
}

/// Accepts either the `person` object or a whole request body `{as_of?, region?, person}`.
fn parse_input(input: &[u8]) -> Result<EligibilityRequest, ApiError> {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        person: Option<serde::de::IgnoredAny>,
    }
    // A first, shallow look decides the shape; the real decoding names fields by path.
    let probe: Result<Probe, _> = decode(input, "");
    match probe {
        Ok(Probe { person: Some(_) }) => decode(input, ""),
        Ok(Probe { person: None }) => Ok(EligibilityRequest {
            as_of: None,
            region: None,
            person: decode::<PersonInput>(input, "person")?,
        }),
        // Not an object at all (or not JSON): report it as a person would be reported.
        Err(ApiError::WrongType { .. }) => {
            decode::<PersonInput>(input, "person").map(|person| EligibilityRequest {
                as_of: None,
                region: None,
                person,
            })
        }
        Err(e) => Err(e),
    }
}

fn status_label(s: Status) -> &'static str {
    match s {
        Status::Eligible => "符合条件 eligible",
        Status::NotYet => "尚未满足，到期即可 not yet",
        Status::Ineligible => "不符合条件 ineligible",
        Status::Unknown => "信息不足 unknown",
    }
}

fn route_label(route: &str) -> String {
    let zh = match route {
        "skill_ladder" => "技能人才评职称",
        "green_channel" => "绿色通道",
        "title_to_skill" => "专业技术人才评技能等级",
        "promotion" => "技能等级晋升",
        "qualification_exam" => "职业资格考试",
        _ => return route.to_owned(),
    };
    format!("{zh} {route}")
}

fn mark(s: ConditionStatus) -> char {
    match s {
        ConditionStatus::Met => '✓',
        ConditionStatus::Unmet => '✗',
        ConditionStatus::Unknown => '?',
    }
}

fn name_in(items: &[CatalogueItem], code: &str) -> String {
    match items.iter().find(|i| i.code == code) {
        Some(i) => format!("{} {}", i.zh, i.en),
        None => code.to_owned(),
    }
}

fn target_label(target: &Target, cat: &CatalogueView) -> String {
    match target {
        Target::Title { level, series } => {
            let series: Vec<String> = series
                .iter()
                .map(|code| match cat.series.iter().find(|s| &s.code == code) {
                    Some(s) => format!("{} {}", s.zh, s.en),
                    None => code.clone(),
                })
                .collect();
            format!(
                "职称 title: {} ({})",
                name_in(&cat.title_levels, level.code()),
                series.join(", ")
            )
        }
        Target::Skill { level } => {
            format!(
                "技能等级 skill level: {}",
                name_in(&cat.skill_levels, level.code())
            )
        }
        Target::Qualification { code } => {
            format!(
                "职业资格 qualification: {}",
                name_in(&cat.qualifications, code)
            )
        }
    }
}

/// The readable summary: a header, then one block per outcome with each condition.
pub fn summary(report: &Report, cat: &CatalogueView) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "日期 As of: {}   地区 Region: {}   规则 Rule set: {} v{} (自 from {})",
        report.as_of,
        report.region,
        report.rule_set.id,
        report.rule_set.version,
        report.rule_set.effective_from
    );
    if report.outcomes.is_empty() {
        let _ = writeln!(out, "\n没有可申报的目标 No target to aim at.");
    }
    for (i, o) in report.outcomes.iter().enumerate() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}. 目标 Target: {}",
            i + 1,
            target_label(&o.target, cat)
        );
        let _ = writeln!(out, "   途径 Route: {}", route_label(&o.route));
        let _ = writeln!(out, "   状态 Status: {}", status_label(o.status));
        let earliest = o
            .earliest_on
            .map_or_else(|| "未知 unknown".to_owned(), |d| d.to_string());
        let _ = writeln!(out, "   最早 Earliest: {earliest}");
        for c in &o.conditions {
            let _ = writeln!(out, "   {} {}  [{}]", mark(c.status), c.code, c.source);
            let _ = writeln!(out, "       {}", c.reason.zh);
            let _ = writeln!(out, "       {}", c.reason.en);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> RuleBook {
        RuleBook::new(
            rules::Registry::builtin().expect("built-in rule sets load"),
            Default::default(),
        )
    }

    fn args(json: bool) -> CheckArgs {
        CheckArgs {
            region: Some("53".into()),
            as_of: Some("2026-11-21".into()),
            json,
        }
    }

    const PERSON: &str = r#"{"skill_levels": [{"level": "technician", "obtained_on": "2024-06-30", "occupation": "6-18-01-01"}],
        "work_started_on": "2008-07-01", "annual_reviews": {"2023": "pass", "2024": "pass", "2025": "pass"}}"#;

    #[test]
    fn summary_shows_each_outcome_with_marks_reasons_and_sources() {
        let text = run(&registry(), &args(false), PERSON.as_bytes()).unwrap();
        assert!(text.contains("规则 Rule set: yunnan-2021"), "{text}");
        assert!(text.contains("目标 Target: 职称 title"), "{text}");
        assert!(text.contains("状态 Status:"), "{text}");
        assert!(text.contains('✓'), "{text}");
        assert!(text.contains("96号文"), "{text}");
    }

    #[test]
    fn whole_request_body_is_accepted_and_flags_win() {
        let body =
            format!(r#"{{"region": "national", "as_of": "2025-01-01", "person": {PERSON}}}"#);
        let text = run(&registry(), &args(true), body.as_bytes()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["region"], "53");
        assert_eq!(v["as_of"], "2026-11-21");
        assert!(v["outcomes"].as_array().is_some_and(|o| !o.is_empty()));
    }

    #[test]
    fn bad_input_names_the_field_and_exits_2() {
        let e = run(
            &registry(),
            &args(false),
            br#"{"skill_levels": [{"level": "wizard"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.to_string().contains("person.skill_levels[0].level"),
            "{e}"
        );
    }

    #[test]
    fn wrong_type_in_a_bare_person_names_the_person_path() {
        let e = run(&registry(), &args(false), br#"{"honours": "many"}"#).unwrap_err();
        assert!(e.to_string().contains("person.honours"), "{e}");
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn not_json_exits_2() {
        let e = run(&registry(), &args(false), b"hello").unwrap_err();
        assert_eq!(e.exit_code(), 2);
    }
}
