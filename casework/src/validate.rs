//! The checks a dossier must pass before it is submitted, defined once: its employer (which
//! needs the database), its fields (which need nothing but the text), and its target (which
//! needs the rules in force).

use chrono::NaiveDate;
use rules::{PersonInput, ResolvedRuleSet, Status};
use store::entities::organisation;
use store::StoreError;

use crate::dossier::{Achievement, Draft, Target};

/// What the employer code of a dossier names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Employer {
    /// An employer whose region has a committee: the dossier lands in that employer's queue
    /// and then that committee's.
    Known {
        employer: organisation::Model,
        committee: organisation::Model,
    },
    /// No code was given.
    Missing,
    /// The code names no employer (nothing, or an organisation of another kind).
    Unknown,
    /// An employer whose region no committee takes dossiers from yet.
    NoCommittee { employer: organisation::Model },
}

impl Employer {
    /// The employer's region, where the code names one.
    pub fn region(&self) -> Option<&str> {
        match self {
            Employer::Known { employer, .. } | Employer::NoCommittee { employer } => {
                Some(&employer.region)
            }
            Employer::Missing | Employer::Unknown => None,
        }
    }

    /// The committee's code, where there is one.
    pub fn committee(&self) -> Option<&str> {
        match self {
            Employer::Known { committee, .. } => Some(&committee.code),
            _ => None,
        }
    }
}

/// Looks up the employer a dossier names, and the committee its dossier seeking a title in
/// `series` goes to (`store::organisations::committee_for`).
pub async fn employer(
    db: &store::Db,
    code: &str,
    series: Option<&str>,
) -> Result<Employer, StoreError> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(Employer::Missing);
    }
    let Some(employer) = store::organisations::get(db, code)
        .await?
        .filter(|o| o.kind == "employer")
    else {
        return Ok(Employer::Unknown);
    };
    Ok(
        match store::organisations::committee_for(db, &employer.region, code, series).await? {
            Some(committee) => Employer::Known {
                employer,
                committee,
            },
            None => Employer::NoCommittee { employer },
        },
    )
}

pub use rules::limits::MAX_NAME_CHARS;

/// What is wrong with one field of a dossier being submitted; the web layer words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    FullNameMissing,
    /// Longer than [`MAX_NAME_CHARS`].
    FullNameTooLong,
    IdNumber,
    OrgMissing,
    OrgUnknown,
    NoCommittee,
    Occupation,
    CurrentPost,
    /// No target chosen, or one the rules in force do not offer.
    Target,
    /// The target is not open (yet); `opens_on` is the day it will be, where the rules say.
    TargetNotOpen {
        opens_on: Option<NaiveDate>,
    },
    AchievementsNone,
    /// The person's title was revoked for fraud: no title may be applied for before `until`
    /// (40号令, `review_fraud_bar_years`).
    Barred {
        until: NaiveDate,
    },
    /// The declaration of truthfulness and consent (诚信承诺) is not ticked.
    DeclarationMissing,
    AchievementKind,
    AchievementTitle,
    /// Not a date, or a day after today.
    AchievementDate,
}

/// One problem, naming its form field (`full_name`, `a2_date`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub kind: ProblemKind,
}

impl Problem {
    fn new(field: impl Into<String>, kind: ProblemKind) -> Problem {
        Problem {
            field: field.into(),
            kind,
        }
    }
}

/// Everything that stops `draft` from being submitted on `today`, each naming its field (all at
/// once: 一次性告知). `targets` are what the rules in force offer the applicant, `kinds` the
/// achievement kinds of the catalogue. Blank achievement rows are left out; the others are
/// named by their place among the rows the form showed (`a{i}_…`).
pub fn problems(
    draft: &Draft,
    targets: &[TargetStatus],
    kinds: &[String],
    employer: &Employer,
    today: NaiveDate,
) -> Vec<Problem> {
    use ProblemKind as K;
    let mut out = Vec::new();
    let name = draft.full_name.trim();
    if name.is_empty() {
        out.push(Problem::new("full_name", K::FullNameMissing));
    } else if name.chars().count() > MAX_NAME_CHARS {
        out.push(Problem::new("full_name", K::FullNameTooLong));
    }
    if rules::IdNumber::parse(&draft.id_number).is_err() {
        out.push(Problem::new("id_number", K::IdNumber));
    }
    match employer {
        Employer::Known { .. } => {}
        Employer::Missing => out.push(Problem::new("org", K::OrgMissing)),
        Employer::Unknown => out.push(Problem::new("org", K::OrgUnknown)),
        Employer::NoCommittee { .. } => out.push(Problem::new("org", K::NoCommittee)),
    }
    if !rules::occupation_code_well_formed(&draft.occupation) {
        out.push(Problem::new("occupation", K::Occupation));
    }
    if draft.current_post.trim().is_empty() {
        out.push(Problem::new("current_post", K::CurrentPost));
    }
    let chosen = Target::parse(&draft.target);
    match chosen.and_then(|c| targets.iter().find(|t| t.target.same_as(&c))) {
        None => out.push(Problem::new("target", K::Target)),
        Some(t) if t.status != Status::Eligible => out.push(Problem::new(
            "target",
            K::TargetNotOpen {
                opens_on: t.earliest_on,
            },
        )),
        Some(_) => {}
    }
    let filled: Vec<(usize, &Achievement)> = draft
        .achievements
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.is_blank())
        .collect();
    if filled.is_empty() {
        out.push(Problem::new("achievements", K::AchievementsNone));
    }
    for (i, a) in filled {
        if !kinds.contains(&a.kind) {
            out.push(Problem::new(format!("a{i}_kind"), K::AchievementKind));
        }
        if a.title.trim().is_empty() {
            out.push(Problem::new(format!("a{i}_title"), K::AchievementTitle));
        }
        if rules::parse_date(&a.date).is_none_or(|d| d > today) {
            out.push(Problem::new(format!("a{i}_date"), K::AchievementDate));
        }
    }
    out
}

/// A target the rules in force offer, and its status for the applicant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetStatus {
    pub target: Target,
    pub status: Status,
    /// The day a target that is not open yet opens.
    pub earliest_on: Option<NaiveDate>,
}

/// The targets `input` may aim at under `rules` on `day`: every route's outcome, a title route
/// once per series it opens (`{route}:{series}`).
pub fn targets(rules: &ResolvedRuleSet, input: &PersonInput, day: NaiveDate) -> Vec<TargetStatus> {
    let Ok(person) = rules::Person::parse(input.clone(), day, rules) else {
        return Vec::new();
    };
    let eval = rules::evaluate(rules, &person, day);
    let mut out = Vec::new();
    for (summary, brief) in eval.summaries().zip(eval.brief()) {
        let earliest_on = summary
            .earliest_on
            .filter(|_| summary.status == Status::NotYet);
        let (series, level) = match &brief.target {
            rules::Target::Title { series, level } => (series.clone(), Some(level.code())),
            rules::Target::Skill { level } => (Vec::new(), Some(level.code())),
            rules::Target::Qualification { .. } => (Vec::new(), None),
        };
        let mut push = |series: Option<String>| {
            out.push(TargetStatus {
                target: Target {
                    route: summary.key.to_owned(),
                    series,
                    level: level.map(str::to_owned),
                },
                status: summary.status,
                earliest_on,
            })
        };
        if series.is_empty() {
            push(None);
        } else {
            for code in series {
                push(Some(code));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn good() -> Draft {
        Draft {
            org: "e1".into(),
            full_name: "王师傅".into(),
            id_number: "11010519491231002X".into(),
            occupation: "6-18-01-01".into(),
            current_post: "车工".into(),
            target: "skill_ladder.intermediate:engineering".into(),
            achievements: vec![
                Achievement {
                    kind: "patent".into(),
                    title: "一种夹具".into(),
                    date: "2025-03-01".into(),
                    ..Default::default()
                },
                Achievement::default(),
            ],
        }
    }

    fn open(status: Status) -> Vec<TargetStatus> {
        vec![TargetStatus {
            target: Target::parse("skill_ladder.intermediate:engineering").unwrap(),
            status,
            earliest_on: (status == Status::NotYet).then(|| day("2027-07-01")),
        }]
    }

    fn known() -> Employer {
        let org = |code: &str, kind: &str| store::entities::organisation::Model {
            code: code.into(),
            name: code.into(),
            kind: kind.into(),
            region: "53".into(),
        };
        Employer::Known {
            employer: org("e1", "employer"),
            committee: org("c1", "committee"),
        }
    }

    fn kinds(
        d: &Draft,
        targets: &[TargetStatus],
        employer: &Employer,
    ) -> Vec<(String, ProblemKind)> {
        problems(
            d,
            targets,
            &["patent".to_owned()],
            employer,
            day("2026-12-01"),
        )
        .into_iter()
        .map(|p| (p.field, p.kind))
        .collect()
    }

    #[test]
    fn a_complete_draft_has_no_problem() {
        assert_eq!(kinds(&good(), &open(Status::Eligible), &known()), vec![]);
    }

    #[test]
    fn each_field_names_its_problem() {
        use ProblemKind as K;
        type Case = (&'static str, fn(&mut Draft), &'static str, ProblemKind);
        let cases: [Case; 10] = [
            (
                "no name",
                |d| d.full_name = " ".into(),
                "full_name",
                K::FullNameMissing,
            ),
            (
                "long name",
                |d| d.full_name = "王".repeat(MAX_NAME_CHARS + 1),
                "full_name",
                K::FullNameTooLong,
            ),
            (
                "bad id",
                |d| d.id_number = "110105194912310021".into(),
                "id_number",
                K::IdNumber,
            ),
            (
                "bad occupation",
                |d| d.occupation = "6-18".into(),
                "occupation",
                K::Occupation,
            ),
            (
                "no post",
                |d| d.current_post.clear(),
                "current_post",
                K::CurrentPost,
            ),
            ("no target", |d| d.target.clear(), "target", K::Target),
            (
                "unknown target",
                |d| d.target = "skill_ladder.intermediate".into(),
                "target",
                K::Target,
            ),
            (
                "wrong kind",
                |d| d.achievements[0].kind = "poem".into(),
                "a0_kind",
                K::AchievementKind,
            ),
            (
                "no title",
                |d| d.achievements[0].title.clear(),
                "a0_title",
                K::AchievementTitle,
            ),
            (
                "future date",
                |d| d.achievements[0].date = "2026-12-02".into(),
                "a0_date",
                K::AchievementDate,
            ),
        ];
        for (what, change, field, kind) in cases {
            let mut d = good();
            change(&mut d);
            assert_eq!(
                kinds(&d, &open(Status::Eligible), &known()),
                vec![(field.to_owned(), kind)],
                "{what}"
            );
        }
    }

    #[test]
    fn a_name_of_the_limit_passes() {
        let mut d = good();
        d.full_name = "王".repeat(MAX_NAME_CHARS);
        assert_eq!(kinds(&d, &open(Status::Eligible), &known()), vec![]);
    }

    #[test]
    fn the_employer_and_the_target_status_are_named() {
        use ProblemKind as K;
        let d = good();
        assert_eq!(
            kinds(&d, &open(Status::Eligible), &Employer::Unknown),
            vec![("org".to_owned(), K::OrgUnknown)]
        );
        assert_eq!(
            kinds(&d, &open(Status::Eligible), &Employer::Missing),
            vec![("org".to_owned(), K::OrgMissing)]
        );
        assert_eq!(
            kinds(&d, &open(Status::NotYet), &known()),
            vec![(
                "target".to_owned(),
                K::TargetNotOpen {
                    opens_on: Some(day("2027-07-01"))
                }
            )]
        );
        assert_eq!(
            kinds(&d, &open(Status::Ineligible), &known()),
            vec![("target".to_owned(), K::TargetNotOpen { opens_on: None })]
        );
    }

    #[test]
    fn every_problem_is_told_at_once_and_blank_rows_are_not_checked() {
        let d = Draft {
            achievements: vec![Achievement::default(), Achievement::default()],
            ..Draft::default()
        };
        let found = kinds(&d, &[], &Employer::Missing);
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "full_name",
                "id_number",
                "org",
                "occupation",
                "current_post",
                "target",
                "achievements"
            ]
        );
    }

    #[test]
    fn targets_list_a_title_once_per_series() {
        let registry = rules::Registry::builtin().unwrap();
        let rules = registry.resolve("53", day("2026-12-01")).unwrap();
        let input: PersonInput = serde_json::from_value(serde_json::json!({
            "skill_levels": [{"level": "senior_worker", "obtained_on": "2020-06-01", "occupation": "6-18-01-01"}],
            "annual_reviews": {"2023": "pass", "2024": "pass", "2025": "pass"},
            "work_started_on": "2012-09-01"
        }))
        .unwrap();
        let found = targets(&rules, &input, day("2026-12-01"));
        assert!(!found.is_empty());
        let keys: Vec<String> = found.iter().map(|t| t.target.key()).collect();
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), keys.len(), "no target twice: {keys:?}");
        assert!(
            found.iter().any(|t| t.target.series.is_some()),
            "a title target names its series: {keys:?}"
        );
    }
}
