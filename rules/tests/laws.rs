//! Laws of the engine, checked on generated people (proptest): more years, a
//! higher level or an extra honour never hurt; a later day never takes away an
//! eligibility; answering an unknown fact never undoes a met condition.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use chrono::{Datelike, Duration, NaiveDate};
use proptest::prelude::*;
use rules::{
    evaluate, ConditionStatus, Person, PersonInput, Registry, ResolvedRuleSet, SkillLevelInput,
    Status, TitleInput,
};

const LEVELS: [&str; 7] = [
    "apprentice",
    "junior_worker",
    "intermediate_worker",
    "senior_worker",
    "technician",
    "senior_technician",
    "principal_technician",
];
const TITLE_LEVELS: [&str; 5] = [
    "entry",
    "assistant",
    "intermediate",
    "associate_senior",
    "senior",
];
const SERIES: [&str; 3] = ["engineering", "agriculture", "laboratory"];
const OCCUPATIONS: [&str; 3] = ["6-18-01-01", "6-31-01-03", "4-99-99-99"];
const HONOURS: [&str; 5] = [
    "china_skills_award",
    "national_technical_expert",
    "national_master_studio_leader",
    "special_government_allowance",
    "provincial_shortage_talent",
];
const POSTS: [&str; 2] = ["principal_technician", "chief_technician"];
const REGIONS: [&str; 4] = ["national", "53", "37", "44"];

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(|| Registry::builtin().expect("builtin data load"))
}

/// Resolving compiles the set; cache per (region, day) to keep the suite fast.
fn resolved(region: &str, day: NaiveDate) -> ResolvedRuleSet {
    static C: OnceLock<Mutex<HashMap<(String, NaiveDate), ResolvedRuleSet>>> = OnceLock::new();
    let cache = C.get_or_init(Default::default);
    let mut map = cache.lock().expect("cache lock");
    map.entry((region.to_owned(), day))
        .or_insert_with(|| registry().resolve(region, day).expect("in force"))
        .clone()
}

/// Raw generated facts; dates are days before `as_of`.
#[derive(Debug, Clone)]
struct Raw {
    as_of: NaiveDate,
    region: &'static str,
    skills: Option<Vec<(usize, u32, Option<usize>)>>,
    titles: Option<Vec<(usize, usize, u32)>>,
    work_age: Option<u32>,
    reviews: Option<u8>,
    honours: Option<Vec<usize>>,
    posts: Option<Vec<usize>>,
}

fn raw() -> impl Strategy<Value = Raw> {
    let start = NaiveDate::from_ymd_opt(2021, 4, 9).expect("date");
    (
        0u32..3500,
        0usize..REGIONS.len(),
        proptest::option::weighted(
            0.85,
            proptest::collection::vec(
                (0usize..7, 0u32..9000, proptest::option::of(0usize..3)),
                0..3,
            ),
        ),
        proptest::option::weighted(
            0.7,
            proptest::collection::vec((0usize..3, 0usize..5, 0u32..9000), 0..2),
        ),
        proptest::option::weighted(0.7, 0u32..12000),
        proptest::option::weighted(0.8, 0u8..4),
        proptest::option::weighted(0.7, proptest::collection::vec(0usize..5, 0..2)),
        proptest::option::weighted(0.7, proptest::collection::vec(0usize..2, 0..2)),
    )
        .prop_map(
            move |(offset, region, skills, titles, work_age, reviews, honours, posts)| Raw {
                as_of: start + Duration::days(i64::from(offset)),
                region: REGIONS[region],
                skills,
                titles,
                work_age,
                reviews,
                honours,
                posts,
            },
        )
}

fn before(as_of: NaiveDate, days: u32) -> String {
    (as_of - Duration::days(i64::from(days)))
        .format("%Y-%m-%d")
        .to_string()
}

impl Raw {
    fn input(&self) -> PersonInput {
        let a = self.as_of;
        PersonInput {
            skill_levels: self.skills.as_ref().map(|v| {
                v.iter()
                    .map(|(l, age, occ)| SkillLevelInput {
                        level: Some(LEVELS[*l].into()),
                        obtained_on: Some(before(a, *age)),
                        occupation: occ.map(|o| OCCUPATIONS[o].into()),
                    })
                    .collect()
            }),
            titles: self.titles.as_ref().map(|v| {
                v.iter()
                    .map(|(s, l, age)| TitleInput {
                        series: Some(SERIES[*s].into()),
                        level: Some(TITLE_LEVELS[*l].into()),
                        obtained_on: Some(before(a, *age)),
                    })
                    .collect()
            }),
            work_started_on: self.work_age.map(|d| before(a, d)),
            skill_work_years: None,
            // Every year up to the check's year passes, except as the mode says.
            annual_reviews: self.reviews.map(|mode| {
                let mut m: BTreeMap<String, String> = (a.year() - 12..=a.year())
                    .map(|y| (y.to_string(), "pass".to_owned()))
                    .collect();
                match mode {
                    1 => {
                        m.insert((a.year() - 2).to_string(), "fail".into());
                    }
                    2 => {
                        m.remove(&(a.year() - 1).to_string());
                    }
                    _ => {}
                }
                m
            }),
            honours: self
                .honours
                .as_ref()
                .map(|v| v.iter().map(|h| HONOURS[*h].to_owned()).collect()),
            posts: self
                .posts
                .as_ref()
                .map(|v| v.iter().map(|p| POSTS[*p].to_owned()).collect()),
            related_degree: None,
        }
    }
}

type Summary = BTreeMap<String, (Status, Option<NaiveDate>, Vec<ConditionStatus>)>;

fn outcomes(region: &str, as_of: NaiveDate, input: PersonInput) -> Summary {
    let rules = resolved(region, as_of);
    let person = Person::parse(input, as_of, &rules).expect("generated input is valid");
    let e = evaluate(&rules, &person, as_of);
    e.summaries()
        .map(|s| {
            let conds = e
                .condition_statuses(s.key)
                .unwrap_or_default()
                .into_iter()
                .map(|(_, st)| st)
                .collect();
            (s.key.to_owned(), (s.status, s.earliest_on, conds))
        })
        .collect()
}

/// `a` is at least as good as `b`: a better status, or as good and no later.
fn no_worse(
    a: &(Status, Option<NaiveDate>, Vec<ConditionStatus>),
    b: &(Status, Option<NaiveDate>, Vec<ConditionStatus>),
) -> bool {
    match a.0.rank().cmp(&b.0.rank()) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => a.0 != Status::NotYet || a.1 <= b.1,
    }
}

fn assert_no_worse(better: &Summary, base: &Summary, what: &str) -> Result<(), TestCaseError> {
    for (key, b) in base {
        if let Some(a) = better.get(key) {
            prop_assert!(no_worse(a, b), "{what}: {key} went from {b:?} to {a:?}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn more_years_never_hurt(r in raw(), shift in 1u32..2000) {
        let base = outcomes(r.region, r.as_of, r.input());
        let mut older = r.clone();
        if let Some(v) = older.skills.as_mut() { for s in v.iter_mut() { s.1 += shift; } }
        if let Some(v) = older.titles.as_mut() { for t in v.iter_mut() { t.2 += shift; } }
        older.work_age = older.work_age.map(|w| w + shift);
        let better = outcomes(r.region, r.as_of, older.input());
        assert_no_worse(&better, &base, "earlier dates")?;
    }

    #[test]
    fn a_higher_level_never_hurts(r in raw(), which in 0usize..3) {
        let Some(skills) = r.skills.as_ref() else { return Ok(()) };
        let Some(entry) = skills.get(which % skills.len().max(1)) else { return Ok(()) };
        if entry.0 >= 5 { return Ok(()) }
        let base = outcomes(r.region, r.as_of, r.input());
        let mut higher = r.clone();
        if let Some(v) = higher.skills.as_mut() { let i = which % v.len(); v[i].0 += 1; }
        let better = outcomes(r.region, r.as_of, higher.input());
        assert_no_worse(&better, &base, "higher level")?;
    }

    #[test]
    fn an_extra_honour_never_hurts(r in raw(), h in 0usize..5) {
        let base = outcomes(r.region, r.as_of, r.input());
        let mut more = r.clone();
        more.honours.get_or_insert_with(Vec::new).push(h);
        let better = outcomes(r.region, r.as_of, more.input());
        assert_no_worse(&better, &base, "extra honour")?;
    }

    #[test]
    fn a_later_day_never_takes_eligibility_away(r in raw(), later in 0i64..366) {
        // Same calendar year: the assessment window is fixed and the generated
        // assessments (up to the check's year) stay valid.
        let end = NaiveDate::from_ymd_opt(r.as_of.year(), 12, 31).expect("date");
        let as_of2 = (r.as_of + Duration::days(later)).min(end);
        let base = outcomes(r.region, r.as_of, r.input());
        let then = outcomes(r.region, as_of2, r.input());
        for (key, b) in &base {
            if b.0 == Status::Eligible {
                prop_assert_eq!(then.get(key).map(|t| t.0), Some(Status::Eligible), "{}", key);
            }
        }
    }

    #[test]
    fn answering_an_unknown_fact_never_undoes_a_met_condition(r in raw(), full in raw()) {
        let base = outcomes(r.region, r.as_of, r.input());
        let mut answered = r.clone();
        // Supply every missing fact (stated years excepted: by design a
        // stated figure replaces the count from dates, POLICY §8).
        if answered.skills.is_none() { answered.skills = Some(full.skills.clone().unwrap_or_default()); }
        if answered.titles.is_none() { answered.titles = Some(full.titles.clone().unwrap_or_default()); }
        if answered.work_age.is_none() { answered.work_age = Some(full.work_age.unwrap_or(100)); }
        if answered.reviews.is_none() { answered.reviews = Some(full.reviews.unwrap_or(0)); }
        if answered.honours.is_none() { answered.honours = Some(full.honours.clone().unwrap_or_default()); }
        if answered.posts.is_none() { answered.posts = Some(full.posts.clone().unwrap_or_default()); }
        let after = outcomes(r.region, r.as_of, answered.input());
        for (key, b) in &base {
            if let Some(a) = after.get(key) {
                for (i, (was, now)) in b.2.iter().zip(&a.2).enumerate() {
                    if *was == ConditionStatus::Met {
                        prop_assert_eq!(*now, ConditionStatus::Met, "{} condition {}", key, i);
                    }
                }
            }
        }
    }
}
