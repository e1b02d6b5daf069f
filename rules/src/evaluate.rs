//! Evaluation: which targets a person can aim at under a resolved rule set, and
//! why. The hot path (`evaluate`) records compact facts per condition; reasons
//! are rendered from the data's templates only when a report is built or
//! serialised, so screening a workforce does little formatting.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::date::add_years;
use crate::kinds::{Piece, Placeholder};
use crate::person::{OccupationFacts, Person};
use crate::resolved::{
    Check, CompiledCondition, CompiledRoute, CompiledTarget, ResolvedRuleSet, RuleSetRef,
};
use crate::vocab::{Bilingual, SkillLevel, TitleLevel};

/// An outcome's status, as API.md defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Status {
    /// Every condition is met on `as_of`.
    Eligible,
    /// The only unmet conditions are ones time alone meets, all by `earliest_on`.
    NotYet,
    /// A condition is unmet and waiting will not meet it.
    Ineligible,
    /// Nothing is unmet for good, but a fact is missing (the unknown
    /// conditions name it). Wins over `not_yet`: a day cannot be promised
    /// while a fact that decides it is missing.
    Unknown,
}

impl Status {
    /// Nearest first: eligible, not yet, unknown, ineligible.
    pub fn rank(self) -> u8 {
        match self {
            Status::Eligible => 0,
            Status::NotYet => 1,
            Status::Unknown => 2,
            Status::Ineligible => 3,
        }
    }
}

/// A condition's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ConditionStatus {
    Met,
    Unmet,
    Unknown,
}

/// What an outcome leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Target {
    Title {
        level: TitleLevel,
        series: Vec<String>,
    },
    Skill {
        level: SkillLevel,
    },
    Qualification {
        code: String,
    },
}

/// One condition's verdict with its rendered reason and citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConditionResult {
    pub code: String,
    pub status: ConditionStatus,
    pub reason: Bilingual,
    pub source: String,
    /// A product default where the texts are silent (POLICY §8); the reason
    /// text says so too. Not part of the API JSON.
    #[serde(skip)]
    pub default: bool,
}

/// One target reachable by one route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outcome {
    pub target: Target,
    pub route: String,
    pub status: Status,
    pub earliest_on: Option<NaiveDate>,
    pub conditions: Vec<ConditionResult>,
}

/// An outcome without its explanations (see [`Evaluation::brief`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BriefOutcome {
    pub target: Target,
    pub route: String,
    pub status: Status,
    pub earliest_on: Option<NaiveDate>,
    /// Codes of the conditions not met.
    pub unmet: Vec<String>,
    /// Codes of the conditions whose facts are missing.
    pub unknown: Vec<String>,
}

/// The full answer, exactly the JSON of API.md's response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub as_of: NaiveDate,
    pub region: String,
    pub rule_set: RuleSetRef,
    pub outcomes: Vec<Outcome>,
}

/// Compact facts behind one condition's verdict, rendered into text later.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Facts {
    held: u8,
    since: Option<NaiveDate>,
    on: Option<NaiveDate>,
    stated: u32,
    year: i32,
    index: u8,
    series: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Verdict {
    status: ConditionStatus,
    /// For unmet conditions: the day time alone meets it; `None` = never.
    wait: Option<NaiveDate>,
    variant: u8,
    facts: Facts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CompactOutcome {
    route: u16,
    status: Status,
    earliest_on: Option<NaiveDate>,
    series: u64,
    first: u32,
    len: u16,
}

/// The result of [`evaluate`]: compact, borrowing the rule set and the person.
/// Serialises to API.md's response; [`Evaluation::report`] gives owned structs.
#[derive(Debug, Clone)]
pub struct Evaluation<'a> {
    rules: &'a ResolvedRuleSet,
    person: &'a Person,
    as_of: NaiveDate,
    outcomes: Vec<CompactOutcome>,
    verdicts: Vec<Verdict>,
}

/// A cheap view of one outcome (no text rendered).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeSummary<'a> {
    /// The route's key in the rule set (e.g. `skill_ladder.intermediate`).
    pub key: &'a str,
    pub route: &'a str,
    pub status: Status,
    pub earliest_on: Option<NaiveDate>,
}

/// Evaluates every route of `rules` for `person` on `as_of`.
///
/// Targets the person already holds (a skill level at or below their highest,
/// a title level at or below their highest title) are left out: they are not
/// something to aim at. `person` must have been parsed with the same `rules`.
pub fn evaluate<'a>(
    rules: &'a ResolvedRuleSet,
    person: &'a Person,
    as_of: NaiveDate,
) -> Evaluation<'a> {
    let mut outcomes = Vec::with_capacity(rules.routes.len());
    let mut verdicts = Vec::with_capacity(rules.routes.len() * 4);
    for (ri, route) in rules.routes.iter().enumerate() {
        if already_held(route.target, person) {
            continue;
        }
        let first = verdicts.len() as u32;
        let mut never = false;
        let mut unknown = false;
        let mut wait: Option<NaiveDate> = None;
        let mut series = route.series;
        for c in &route.conditions {
            let v = check(c, route, person, as_of);
            match v.status {
                ConditionStatus::Met => {}
                ConditionStatus::Unknown => unknown = true,
                ConditionStatus::Unmet => match v.wait {
                    None => never = true,
                    Some(d) => wait = wait.max(Some(d)),
                },
            }
            if matches!(c.check, Check::SeriesMatchesOccupation) && v.status == ConditionStatus::Met
            {
                series = v.facts.series;
            }
            verdicts.push(v);
        }
        let (status, earliest_on) = if never {
            (Status::Ineligible, None)
        } else if unknown {
            (Status::Unknown, None)
        } else if let Some(d) = wait {
            (Status::NotYet, Some(d))
        } else {
            (Status::Eligible, Some(as_of))
        };
        outcomes.push(CompactOutcome {
            route: ri as u16,
            status,
            earliest_on,
            series,
            first,
            len: route.conditions.len() as u16,
        });
    }
    // Nearest first; ties keep the data's route order (route index is unique,
    // so an unstable sort is deterministic and avoids the stable sort's buffer).
    outcomes.sort_unstable_by_key(|o| {
        (
            o.status.rank(),
            if o.status == Status::NotYet {
                o.earliest_on
            } else {
                None
            },
            o.route,
        )
    });
    Evaluation {
        rules,
        person,
        as_of,
        outcomes,
        verdicts,
    }
}

fn already_held(target: CompiledTarget, p: &Person) -> bool {
    match target {
        CompiledTarget::Skill(l) => p
            .skills
            .as_ref()
            .and_then(|s| s.highest)
            .is_some_and(|h| h >= l),
        CompiledTarget::Title(l) => matches!(p.title, Some(Some(t)) if t.level >= l),
        CompiledTarget::Qualification(_) => false,
    }
}

const MET: ConditionStatus = ConditionStatus::Met;
const UNMET: ConditionStatus = ConditionStatus::Unmet;
const UNKNOWN: ConditionStatus = ConditionStatus::Unknown;

fn verdict(status: ConditionStatus, variant: u8, facts: Facts) -> Verdict {
    Verdict {
        status,
        wait: None,
        variant,
        facts,
    }
}

/// Variant indices follow `Kind::variants()`.
fn check(c: &CompiledCondition, route: &CompiledRoute, p: &Person, as_of: NaiveDate) -> Verdict {
    let none = Facts::default();
    match c.check {
        Check::HoldsSkill(level) => {
            // met, met_undated, unmet, unknown
            let Some(s) = &p.skills else {
                return verdict(UNKNOWN, 3, none);
            };
            let a = s.at_or_above[level.index()];
            if !a.any {
                let held = s.highest.map_or(u8::MAX, |h| h as u8);
                return verdict(UNMET, 2, Facts { held, ..none });
            }
            let facts = Facts {
                held: a.level.map_or(level as u8, |l| l as u8),
                since: a.earliest,
                ..none
            };
            verdict(MET, if a.earliest.is_some() { 0 } else { 1 }, facts)
        }
        Check::SkillWorkYears(level, years) => {
            held_years(p, level, years, as_of, p.skill_work_years)
        }
        Check::LevelHeldYears(level, years) => held_years(p, level, years, as_of, None),
        Check::AnnualReviews(years) => {
            // met, failed, missing_year, unknown
            let Some(reviews) = &p.reviews else {
                return verdict(UNKNOWN, 3, none);
            };
            let last = as_of.year() - 1;
            let first = as_of.year() - years as i32;
            let mut missing = None;
            for y in first..=last {
                match reviews.binary_search_by_key(&y, |r| r.0) {
                    Ok(i) if !reviews[i].1 => return verdict(UNMET, 1, Facts { year: y, ..none }),
                    Ok(_) => {}
                    Err(_) => {
                        missing.get_or_insert(y);
                    }
                }
            }
            match missing {
                Some(y) => verdict(UNKNOWN, 2, Facts { year: y, ..none }),
                None => verdict(MET, 0, none),
            }
        }
        Check::HoldsTitle(level) => {
            // met, met_undated, unmet, unknown
            match p.title {
                None => verdict(UNKNOWN, 3, none),
                Some(Some(t)) if t.level >= level => {
                    let facts = Facts {
                        held: t.level as u8,
                        since: t.since,
                        index: t.series,
                        ..none
                    };
                    verdict(MET, if t.since.is_some() { 0 } else { 1 }, facts)
                }
                Some(t) => verdict(
                    UNMET,
                    2,
                    Facts {
                        held: t.map_or(u8::MAX, |t| t.level as u8),
                        ..none
                    },
                ),
            }
        }
        Check::WorkYears(years) => {
            // met, waiting, unknown
            let Some(start) = p.work_started_on else {
                return verdict(UNKNOWN, 2, none);
            };
            let on = add_years(start, years);
            let facts = Facts {
                since: Some(start),
                on: Some(on),
                ..none
            };
            if as_of >= on {
                verdict(MET, 0, facts)
            } else {
                Verdict {
                    wait: Some(on),
                    ..verdict(UNMET, 1, facts)
                }
            }
        }
        Check::HoldsHonour(mask) => {
            // met, unmet, unknown
            match p.honours {
                None => verdict(UNKNOWN, 2, none),
                Some(h) if h & mask != 0 => verdict(
                    MET,
                    0,
                    Facts {
                        index: (h & mask).trailing_zeros() as u8,
                        ..none
                    },
                ),
                Some(_) => verdict(UNMET, 1, none),
            }
        }
        Check::HoldsPost(post) => match p.posts {
            None => verdict(UNKNOWN, 2, none),
            Some(m) if m & (1 << post) != 0 => verdict(MET, 0, none),
            Some(_) => verdict(UNMET, 1, none),
        },
        Check::HoldsPostCertificate(post) => {
            // met, met_undated, unmet, unknown
            let Some(s) = &p.skills else {
                return verdict(UNKNOWN, 3, none);
            };
            if s.certificates & (1 << post) == 0 {
                return verdict(UNMET, 2, none);
            }
            let since = s
                .certificate_dates
                .iter()
                .filter(|(i, _)| *i == post)
                .filter_map(|(_, d)| *d)
                .min();
            verdict(
                MET,
                if since.is_some() { 0 } else { 1 },
                Facts { since, ..none },
            )
        }
        Check::SeriesMatchesOccupation => {
            // met, unmet, not_in_table, unknown
            let facts = Facts {
                series: route.series,
                ..none
            };
            match p.skills.as_ref().map(|s| &s.occupation) {
                None | Some(OccupationFacts::Unknown) => verdict(UNKNOWN, 3, facts),
                Some(OccupationFacts::NotInTable(_)) => verdict(UNKNOWN, 2, facts),
                Some(OccupationFacts::Mapped(_, mask)) if mask & route.series != 0 => verdict(
                    MET,
                    0,
                    Facts {
                        series: mask & route.series,
                        ..none
                    },
                ),
                Some(OccupationFacts::Mapped(..)) => verdict(UNMET, 1, facts),
            }
        }
        Check::CommitteeDecides => verdict(UNKNOWN, 0, none),
        Check::ExamConditionsConfigured(configured, _) => {
            if configured {
                verdict(MET, 0, none)
            } else {
                verdict(UNKNOWN, 1, none)
            }
        }
    }
}

/// Years since first holding `level` or above, or the years the person
/// stated (POLICY §8). Both "years since a level" kinds share these variants;
/// their positions differ between the kinds, so they are stored by name.
fn held_years(
    p: &Person,
    level: SkillLevel,
    years: u32,
    as_of: NaiveDate,
    stated: Option<u32>,
) -> Verdict {
    let named = |status, facts, v: Variant| verdict(status, 0, facts).with_variant(v);
    let Some(s) = &p.skills else {
        return named(UNKNOWN, Facts::default(), Variant::Unknown);
    };
    let a = s.at_or_above[level.index()];
    if !a.any {
        return named(UNMET, Facts::default(), Variant::UnmetLevel);
    }
    let facts = Facts {
        held: a.level.map_or(level as u8, |l| l as u8),
        since: a.earliest,
        ..Facts::default()
    };
    if let Some(n) = stated {
        let facts = Facts { stated: n, ..facts };
        if n >= years {
            return named(MET, facts, Variant::StatedMet);
        }
        // Stated fewer years: the rest are whole years counted from today.
        let on = add_years(as_of, years - n);
        return Verdict {
            wait: Some(on),
            ..named(
                UNMET,
                Facts {
                    on: Some(on),
                    ..facts
                },
                Variant::StatedWaiting,
            )
        };
    }
    match a.earliest {
        Some(start) => {
            let on = add_years(start, years);
            let facts = Facts {
                on: Some(on),
                ..facts
            };
            if as_of >= on {
                named(MET, facts, Variant::Met)
            } else if a.undated {
                // An undated certificate at or above might be older.
                named(UNKNOWN, facts, Variant::UnknownDate)
            } else {
                Verdict {
                    wait: Some(on),
                    ..named(UNMET, facts, Variant::Waiting)
                }
            }
        }
        None => named(UNKNOWN, facts, Variant::UnknownDate),
    }
}

/// Variants shared by the two "years since a level" kinds; the variant index
/// differs between them, so it is resolved at render time by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    Met,
    StatedMet,
    Waiting,
    StatedWaiting,
    UnmetLevel,
    Unknown,
    UnknownDate,
}

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Variant::Met => "met",
            Variant::StatedMet => "stated_met",
            Variant::Waiting => "waiting",
            Variant::StatedWaiting => "stated_waiting",
            Variant::UnmetLevel => "unmet_level",
            Variant::Unknown => "unknown",
            Variant::UnknownDate => "unknown_date",
        }
    }
}

impl Verdict {
    /// Stores a named variant with a marker bit so rendering can tell it from
    /// a positional one.
    fn with_variant(mut self, v: Variant) -> Verdict {
        self.variant = 0x80 | v as u8;
        self
    }
}

impl<'a> Evaluation<'a> {
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// Number of outcomes.
    pub fn len(&self) -> usize {
        self.outcomes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty()
    }

    /// Outcomes in order, without rendering any text.
    pub fn summaries(&self) -> impl Iterator<Item = OutcomeSummary<'a>> + '_ {
        self.outcomes.iter().map(|o| {
            let r = &self.rules.routes[o.route as usize];
            OutcomeSummary {
                key: &r.key,
                route: &r.route,
                status: o.status,
                earliest_on: o.earliest_on,
            }
        })
    }

    /// Condition statuses of the outcome of route `key`, by condition code.
    pub fn condition_statuses(&self, key: &str) -> Option<Vec<(&'a str, ConditionStatus)>> {
        let o = self
            .outcomes
            .iter()
            .find(|o| self.rules.routes[o.route as usize].key == key)?;
        let route = &self.rules.routes[o.route as usize];
        Some(
            route
                .conditions
                .iter()
                .zip(&self.verdicts[o.first as usize..o.first as usize + o.len as usize])
                .map(|(c, v)| (c.kind.code(), v.status))
                .collect(),
        )
    }

    /// Renders everything into owned structs (the API response).
    pub fn report(&self) -> Report {
        let outcomes = self
            .outcomes
            .iter()
            .map(|o| {
                let route = &self.rules.routes[o.route as usize];
                let target = self.target(o);
                let verdicts = &self.verdicts[o.first as usize..o.first as usize + o.len as usize];
                let conditions = route
                    .conditions
                    .iter()
                    .zip(verdicts)
                    .map(|(c, v)| ConditionResult {
                        code: c.kind.code().to_owned(),
                        status: v.status,
                        reason: self.render(c, v),
                        source: c.source.clone(),
                        default: c.default,
                    })
                    .collect();
                Outcome {
                    target,
                    route: route.route.clone(),
                    status: o.status,
                    earliest_on: o.earliest_on,
                    conditions,
                }
            })
            .collect();
        Report {
            as_of: self.as_of,
            region: self.rules.region.clone(),
            rule_set: self.rules.rule_set_ref(),
            outcomes,
        }
    }

    /// Every outcome without its explanations: the target, route, status, first day, and the
    /// codes of the conditions that are unmet or unknown. What a workforce screen needs, at a
    /// fraction of the cost of [`Evaluation::report`] (no text is rendered).
    pub fn brief(&self) -> Vec<BriefOutcome> {
        self.outcomes
            .iter()
            .map(|o| {
                let route = &self.rules.routes[o.route as usize];
                let verdicts = &self.verdicts[o.first as usize..o.first as usize + o.len as usize];
                let codes = |wanted: ConditionStatus| {
                    route
                        .conditions
                        .iter()
                        .zip(verdicts)
                        .filter(|(_, v)| v.status == wanted)
                        .map(|(c, _)| c.kind.code().to_owned())
                        .collect()
                };
                BriefOutcome {
                    target: self.target(o),
                    route: route.route.clone(),
                    status: o.status,
                    earliest_on: o.earliest_on,
                    unmet: codes(ConditionStatus::Unmet),
                    unknown: codes(ConditionStatus::Unknown),
                }
            })
            .collect()
    }

    fn target(&self, o: &CompactOutcome) -> Target {
        match self.rules.routes[o.route as usize].target {
            CompiledTarget::Title(level) => Target::Title {
                level,
                series: self.series_codes(o.series),
            },
            CompiledTarget::Skill(level) => Target::Skill { level },
            CompiledTarget::Qualification(q) => Target::Qualification {
                code: self.rules.set.catalogue.qualifications[q as usize]
                    .code
                    .clone(),
            },
        }
    }

    fn series_codes(&self, mask: u64) -> Vec<String> {
        self.rules
            .series_codes
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, c)| c.clone())
            .collect()
    }

    fn render(&self, c: &CompiledCondition, v: &Verdict) -> Bilingual {
        let variants = c.kind.variants();
        let index = if v.variant & 0x80 != 0 {
            let name = variant_name(v.variant & 0x7f);
            variants.iter().position(|n| *n == name).unwrap_or(0)
        } else {
            v.variant as usize
        };
        let Some((zh, en)) = self
            .rules
            .templates
            .get(c.kind.index())
            .and_then(|t| t.get(index))
        else {
            return Bilingual::default();
        };
        Bilingual {
            zh: self.fill(zh, c, v, false),
            en: self.fill(en, c, v, true),
        }
    }

    fn fill(&self, pieces: &[Piece], c: &CompiledCondition, v: &Verdict, en: bool) -> String {
        let mut out = String::new();
        for piece in pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Slot(p) => self.slot(&mut out, *p, c, v, en),
            }
        }
        out
    }

    fn slot(&self, out: &mut String, p: Placeholder, c: &CompiledCondition, v: &Verdict, en: bool) {
        let cat = &self.rules.set.catalogue;
        let name = |out: &mut String, zh: &str, e: &str| {
            if en {
                out.push_str(e);
                out.push_str(" (");
                out.push_str(zh);
                out.push(')');
            } else {
                out.push_str(zh);
            }
        };
        let skill = |out: &mut String, l: u8| match SkillLevel::ALL
            .get(l as usize)
            .and_then(|l| cat.skill_levels.iter().find(|n| n.code == l.code()))
        {
            Some(n) => name(out, &n.zh, &n.en),
            None => out.push('—'),
        };
        let title = |out: &mut String, l: u8| match TitleLevel::ALL
            .get(l as usize)
            .and_then(|l| cat.title_levels.iter().find(|n| n.code == l.code()))
        {
            Some(n) => name(out, &n.zh, &n.en),
            None => out.push('—'),
        };
        let date = |out: &mut String, d: Option<NaiveDate>| match d {
            // Display is ISO YYYY-MM-DD without chrono's strftime engine (bundle size).
            Some(d) => out.push_str(&d.to_string()),
            None => out.push('—'),
        };
        let list = |out: &mut String, items: Vec<(&str, &str)>| {
            for (i, (zh, e)) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(if en { ", " } else { "、" });
                }
                name(out, zh, e);
            }
        };
        let years_param = match c.check {
            Check::SkillWorkYears(_, y)
            | Check::LevelHeldYears(_, y)
            | Check::AnnualReviews(y)
            | Check::WorkYears(y) => y,
            _ => 0,
        };
        let f = &v.facts;
        match p {
            Placeholder::Level => match c.check {
                Check::HoldsSkill(l)
                | Check::SkillWorkYears(l, _)
                | Check::LevelHeldYears(l, _) => skill(out, l as u8),
                Check::HoldsTitle(l) => title(out, l as u8),
                _ => out.push('—'),
            },
            Placeholder::Held => match c.check {
                Check::HoldsTitle(_) => title(out, f.held),
                _ => skill(out, f.held),
            },
            Placeholder::Since => date(out, f.since),
            Placeholder::On => date(out, f.on),
            Placeholder::Years => out.push_str(&years_param.to_string()),
            Placeholder::Stated => out.push_str(&f.stated.to_string()),
            Placeholder::From => {
                out.push_str(&(self.as_of.year() - years_param as i32).to_string())
            }
            Placeholder::To => out.push_str(&(self.as_of.year() - 1).to_string()),
            Placeholder::Year => out.push_str(&f.year.to_string()),
            Placeholder::Honours => {
                let mask = match c.check {
                    Check::HoldsHonour(m) => m,
                    _ => 0,
                };
                list(
                    out,
                    cat.honours
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| mask & (1 << i) != 0)
                        .map(|(_, h)| (h.zh.as_str(), h.en.as_str()))
                        .collect(),
                );
            }
            Placeholder::Honour => match cat.honours.get(f.index as usize) {
                Some(h) => name(out, &h.zh, &h.en),
                None => out.push('—'),
            },
            Placeholder::Post => {
                let post = match c.check {
                    Check::HoldsPost(i) | Check::HoldsPostCertificate(i) => {
                        cat.posts.get(i as usize)
                    }
                    _ => None,
                };
                match post {
                    Some(n) => name(out, &n.zh, &n.en),
                    None => out.push('—'),
                }
            }
            Placeholder::Series => {
                let mask = match c.check {
                    Check::HoldsTitle(_) => 1u64.checked_shl(f.index as u32).unwrap_or(0),
                    _ => f.series,
                };
                list(
                    out,
                    cat.series
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| mask & (1 << i) != 0)
                        .map(|(_, s)| (s.zh.as_str(), s.en.as_str()))
                        .collect(),
                );
            }
            Placeholder::Occupation => match self.person.skills.as_ref().map(|s| &s.occupation) {
                Some(OccupationFacts::Mapped(code, _)) => {
                    out.push_str(code);
                    if let Some(o) = cat.occupations.iter().find(|o| &o.code == code) {
                        out.push(' ');
                        name(out, &o.zh, &o.en);
                    }
                }
                Some(OccupationFacts::NotInTable(code)) => out.push_str(code),
                _ => out.push('—'),
            },
            Placeholder::Qualification => {
                let q = match c.check {
                    Check::ExamConditionsConfigured(_, q) => cat.qualifications.get(q as usize),
                    _ => None,
                };
                match q {
                    Some(n) => name(out, &n.zh, &n.en),
                    None => out.push('—'),
                }
            }
        }
    }
}

fn variant_name(v: u8) -> &'static str {
    const ALL: [Variant; 7] = [
        Variant::Met,
        Variant::StatedMet,
        Variant::Waiting,
        Variant::StatedWaiting,
        Variant::UnmetLevel,
        Variant::Unknown,
        Variant::UnknownDate,
    ];
    ALL.get(v as usize).map_or("unknown", |x| x.name())
}

/// Serialises exactly like `evaluation.brief()` (a list of [`BriefOutcome`]) but straight from
/// the evaluation, without building owned values: the batch API's summary answers are written
/// this way because building tens of millions of small strings would dominate the screening.
pub struct BriefView<'e, 'a>(&'e Evaluation<'a>);

impl<'a> Evaluation<'a> {
    /// A serialisable view of [`Evaluation::brief`] that allocates nothing.
    pub fn brief_view(&self) -> BriefView<'_, 'a> {
        BriefView(self)
    }
}

impl Serialize for BriefView<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};

        struct Series<'r>(&'r [String], u64);
        impl Serialize for Series<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(
                    self.0
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| self.1 & (1 << i) != 0)
                        .map(|(_, c)| c),
                )
            }
        }
        struct Codes<'r>(&'r [CompiledCondition], &'r [Verdict], ConditionStatus);
        impl Serialize for Codes<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(
                    self.0
                        .iter()
                        .zip(self.1)
                        .filter(|(_, v)| v.status == self.2)
                        .map(|(c, _)| c.kind.code()),
                )
            }
        }
        struct TargetView<'r>(&'r Evaluation<'r>, &'r CompactOutcome);
        impl Serialize for TargetView<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let rules = self.0.rules;
                let mut map = s.serialize_map(None)?;
                match rules.routes[self.1.route as usize].target {
                    CompiledTarget::Title(level) => {
                        map.serialize_entry("kind", "title")?;
                        map.serialize_entry("level", &level)?;
                        map.serialize_entry("series", &Series(&rules.series_codes, self.1.series))?;
                    }
                    CompiledTarget::Skill(level) => {
                        map.serialize_entry("kind", "skill")?;
                        map.serialize_entry("level", &level)?;
                    }
                    CompiledTarget::Qualification(q) => {
                        map.serialize_entry("kind", "qualification")?;
                        map.serialize_entry(
                            "code",
                            &rules.set.catalogue.qualifications[q as usize].code,
                        )?;
                    }
                }
                map.end()
            }
        }

        let e = self.0;
        let mut seq = s.serialize_seq(Some(e.outcomes.len()))?;
        for o in &e.outcomes {
            struct One<'r>(&'r Evaluation<'r>, &'r CompactOutcome);
            impl Serialize for One<'_> {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    let (e, o) = (self.0, self.1);
                    let route = &e.rules.routes[o.route as usize];
                    let verdicts = &e.verdicts[o.first as usize..o.first as usize + o.len as usize];
                    let mut map = s.serialize_map(Some(6))?;
                    map.serialize_entry("target", &TargetView(e, o))?;
                    map.serialize_entry("route", &route.route)?;
                    map.serialize_entry("status", &o.status)?;
                    map.serialize_entry("earliest_on", &o.earliest_on)?;
                    map.serialize_entry(
                        "unmet",
                        &Codes(&route.conditions, verdicts, ConditionStatus::Unmet),
                    )?;
                    map.serialize_entry(
                        "unknown",
                        &Codes(&route.conditions, verdicts, ConditionStatus::Unknown),
                    )?;
                    map.end()
                }
            }
            seq.serialize_element(&One(e, o))?;
        }
        seq.end()
    }
}

impl Serialize for Evaluation<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.report().serialize(s)
    }
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;
    use crate::{PersonInput, Registry};

    fn day(s: &str) -> NaiveDate {
        crate::date::parse_iso(s).unwrap()
    }

    fn run(region: &str, as_of: &str, person: serde_json::Value) -> (ResolvedRuleSet, Person) {
        let rules = Registry::builtin()
            .unwrap()
            .resolve(region, day(as_of))
            .unwrap();
        let input: PersonInput = serde_json::from_value(person).unwrap();
        let p = Person::parse(input, day(as_of), &rules).unwrap();
        (rules, p)
    }

    fn status_of(e: &Evaluation<'_>, key: &str) -> Option<(Status, Option<NaiveDate>)> {
        e.summaries()
            .find(|s| s.key == key)
            .map(|s| (s.status, s.earliest_on))
    }

    #[test]
    fn brief_view_writes_exactly_what_brief_builds() {
        let (rules, p) = run(
            "37",
            "2026-11-21",
            serde_json::json!({
                "skill_levels": [{"level": "senior_technician", "obtained_on": "2020-02-29"}],
                "titles": [{"series": "engineering", "level": "assistant", "obtained_on": "2019-01-01"}],
                "annual_reviews": {"2023": "pass", "2024": "fail"},
                "posts": ["principal_technician"]
            }),
        );
        let e = evaluate(&rules, &p, day("2026-11-21"));
        let built = serde_json::to_string(&e.brief()).unwrap();
        let viewed = serde_json::to_string(&e.brief_view()).unwrap();
        assert_eq!(viewed, built);
        assert!(built.contains("\"unmet\":[\"annual_reviews\"]"), "{built}");
    }

    #[test]
    fn technician_with_three_years_may_seek_intermediate() {
        let (rules, p) = run(
            "national",
            "2026-11-21",
            serde_json::json!({
                "skill_levels": [{"level": "technician", "obtained_on": "2023-11-21", "occupation": "6-18-01-01"}],
                "annual_reviews": {"2023": "pass", "2024": "excellent", "2025": "competent"}
            }),
        );
        let e = evaluate(&rules, &p, day("2026-11-21"));
        assert_eq!(
            status_of(&e, "skill_ladder.intermediate"),
            Some((Status::Eligible, Some(day("2026-11-21"))))
        );
    }

    #[test]
    fn technician_a_day_short_waits_for_the_anniversary() {
        let (rules, p) = run(
            "national",
            "2026-11-20",
            serde_json::json!({
                "skill_levels": [{"level": "technician", "obtained_on": "2023-11-21", "occupation": "6-18-01-01"}],
                "annual_reviews": {"2023": "pass", "2024": "pass", "2025": "pass"}
            }),
        );
        let e = evaluate(&rules, &p, day("2026-11-20"));
        assert_eq!(
            status_of(&e, "skill_ladder.intermediate"),
            Some((Status::NotYet, Some(day("2026-11-21"))))
        );
    }

    #[test]
    fn outcomes_are_ordered_nearest_first() {
        let (rules, p) = run(
            "53",
            "2026-11-21",
            serde_json::json!({
                "skill_levels": [{"level": "technician", "obtained_on": "2024-06-30", "occupation": "6-18-01-01"}],
                "work_started_on": "2008-07-01",
                "annual_reviews": {"2023": "pass", "2024": "pass", "2025": "pass"},
                "honours": []
            }),
        );
        let e = evaluate(&rules, &p, day("2026-11-21"));
        let ranks: Vec<(u8, Option<NaiveDate>)> = e
            .summaries()
            .map(|s| {
                (
                    s.status.rank(),
                    if s.status == Status::NotYet {
                        s.earliest_on
                    } else {
                        None
                    },
                )
            })
            .collect();
        let mut sorted = ranks.clone();
        sorted.sort();
        assert_eq!(ranks, sorted);
        assert!(
            e.summaries().any(|s| s.status == Status::Ineligible),
            "ineligible outcomes are listed too"
        );
    }

    #[test]
    fn evaluation_json_has_the_api_shape() {
        let (rules, p) = run(
            "53",
            "2026-11-21",
            serde_json::json!({"skill_levels": [{"level": "technician", "obtained_on": "2024-06-30", "occupation": "6-18-01-01"}]}),
        );
        let e = evaluate(&rules, &p, day("2026-11-21"));
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["as_of"], "2026-11-21");
        assert_eq!(v["region"], "53");
        assert_eq!(v["rule_set"]["id"], "yunnan-2021");
        assert_eq!(v["rule_set"]["effective_from"], "2021-04-09");
        let o = &v["outcomes"][0];
        for key in ["target", "route", "status", "earliest_on", "conditions"] {
            assert!(o.get(key).is_some(), "missing {key}");
        }
        let c = &o["conditions"][0];
        for key in ["code", "status", "reason", "source"] {
            assert!(c.get(key).is_some(), "missing {key}");
        }
        assert!(c["reason"]["zh"].is_string() && c["reason"]["en"].is_string());
        let report: Report = serde_json::from_value(v).unwrap();
        assert_eq!(report.outcomes.len(), e.len());
    }

    #[test]
    fn reasons_carry_the_concrete_facts() {
        let (rules, p) = run(
            "national",
            "2026-11-21",
            serde_json::json!({"skill_levels": [{"level": "technician", "obtained_on": "2024-06-30"}]}),
        );
        let report = evaluate(&rules, &p, day("2026-11-21")).report();
        let reason = report
            .outcomes
            .iter()
            .flat_map(|o| &o.conditions)
            .find(|c| c.code == "holds_skill_level" && c.status == ConditionStatus::Met)
            .map(|c| c.reason.clone())
            .unwrap();
        assert_eq!(reason.en, "Holds technician (技师) since 2024-06-30");
        assert_eq!(reason.zh, "持有技师证书，自2024-06-30起");
    }

    #[test]
    fn title_to_skill_work_years_are_marked_as_defaults() {
        let (rules, p) = run(
            "national",
            "2026-11-21",
            serde_json::json!({"titles": [{"series": "engineering", "level": "assistant", "obtained_on": "2020-01-01"}], "work_started_on": "2015-01-01"}),
        );
        let report = evaluate(&rules, &p, day("2026-11-21")).report();
        let c = report
            .outcomes
            .iter()
            .filter(|o| o.route == "title_to_skill")
            .flat_map(|o| &o.conditions)
            .find(|c| c.code == "work_years")
            .unwrap();
        assert!(c.default);
        assert!(c.reason.en.contains("default"));
    }

    #[test]
    fn education_papers_languages_and_computing_are_never_conditions() {
        let rules = Registry::builtin()
            .unwrap()
            .resolve("national", day("2026-01-01"))
            .unwrap();
        for r in &rules.routes {
            for c in &r.conditions {
                let code = c.kind.code();
                for banned in ["degree", "education", "paper", "language", "computer"] {
                    assert!(!code.contains(banned), "{} has {code}", r.key);
                }
            }
        }
    }
}
