//! Committees (评审委员会), their filings and their expert pools, as typed values with the checks
//! 40号令 and the rules in force make (POLICY §6 and §9): pure, so every check has table tests.
//! The numbers (the term's years, the sizes, the high-skill share) come from the rules in force
//! ([`SizeRules::from_rules`], [`term_max_years`]); none is written here.

use chrono::NaiveDate;
use rules::{ResolvedRuleSet, TitleLevel};
use serde::{Deserialize, Serialize};
use store::entities::{committee, expert};

use crate::draw::{GroupRules, MissingParameter, PoolExpert};

/// The tiers of committees (40号令 Art. 7: 高级 / 中级 / 初级), each reviewing title levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Junior,
    Intermediate,
    Senior,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Junior, Tier::Intermediate, Tier::Senior];

    pub fn code(self) -> &'static str {
        match self {
            Tier::Junior => "junior",
            Tier::Intermediate => "intermediate",
            Tier::Senior => "senior",
        }
    }

    pub fn parse(code: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The tier reviewing a title level (副高 and 正高 are senior; 员级 and 助理 junior).
    pub fn of(level: TitleLevel) -> Tier {
        match level {
            TitleLevel::Entry | TitleLevel::Assistant => Tier::Junior,
            TitleLevel::Intermediate => Tier::Intermediate,
            TitleLevel::AssociateSenior | TitleLevel::Senior => Tier::Senior,
        }
    }

    /// The lowest title level of the tier: what an expert must hold at least to review in it.
    pub fn lowest(self) -> TitleLevel {
        match self {
            Tier::Junior => TitleLevel::Assistant,
            Tier::Intermediate => TitleLevel::Intermediate,
            Tier::Senior => TitleLevel::AssociateSenior,
        }
    }

    /// Tiers from their comma-separated codes, highest first; unknown codes are dropped.
    pub fn list(codes: &str) -> Vec<Tier> {
        let mut tiers: Vec<Tier> = codes
            .split(',')
            .filter_map(|c| Tier::parse(c.trim()))
            .collect();
        tiers.sort_unstable_by(|a, b| b.cmp(a));
        tiers.dedup();
        tiers
    }

    /// The codes of `tiers`, comma-separated, highest first.
    pub fn codes(tiers: &[Tier]) -> String {
        let mut tiers = tiers.to_vec();
        tiers.sort_unstable_by(|a, b| b.cmp(a));
        tiers.dedup();
        tiers.iter().map(|t| t.code()).collect::<Vec<_>>().join(",")
    }
}

/// An expert's duty on the committee (40号令 Art. 9: a chair and vice-chairs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    Member,
    Chair,
    ViceChair,
}

impl Duty {
    pub const ALL: [Duty; 3] = [Duty::Member, Duty::Chair, Duty::ViceChair];

    pub fn code(self) -> &'static str {
        match self {
            Duty::Member => "member",
            Duty::Chair => "chair",
            Duty::ViceChair => "vice_chair",
        }
    }

    pub fn parse(code: &str) -> Option<Duty> {
        Duty::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// A committee's filing (核准备案, Art. 8): valid at most the parameter's years, then filed
/// again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filing {
    pub number: String,
    pub filed_on: NaiveDate,
    pub expires_on: NaiveDate,
}

/// Why a committee may not open a session on a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilingProblem {
    /// Never filed.
    NotFiled,
    /// Filed, but the filing lapsed before the day.
    Lapsed { expired_on: NaiveDate },
    /// Filed after the day asked about.
    NotYetFiled { filed_on: NaiveDate },
}

/// A committee read from its row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Committee {
    pub code: String,
    pub organiser: String,
    pub region: String,
    pub series: String,
    pub tiers: Vec<Tier>,
    /// `None` for a committee of a whole series.
    pub specialty: Option<String>,
    pub self_review: bool,
    pub entrusting: Vec<String>,
    pub filing: Option<Filing>,
}

impl From<&committee::Model> for Committee {
    fn from(row: &committee::Model) -> Committee {
        let filing = match (&row.filing_number, row.filed_on, row.filing_expires_on) {
            (Some(number), Some(filed_on), Some(expires_on)) => Some(Filing {
                number: number.clone(),
                filed_on,
                expires_on,
            }),
            _ => None,
        };
        Committee {
            code: row.code.clone(),
            organiser: row.organiser.clone(),
            region: row.region.clone(),
            series: row.series.clone(),
            tiers: Tier::list(&row.tiers),
            specialty: row.specialty.clone().filter(|s| !s.is_empty()),
            self_review: row.self_review,
            entrusting: row
                .entrusting
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            filing,
        }
    }
}

impl Committee {
    /// Whether its filing is in force on `day` (a lapsed filing blocks new sessions).
    pub fn filing_on(&self, day: NaiveDate) -> Result<&Filing, FilingProblem> {
        let filing = self.filing.as_ref().ok_or(FilingProblem::NotFiled)?;
        if day < filing.filed_on {
            Err(FilingProblem::NotYetFiled {
                filed_on: filing.filed_on,
            })
        } else if day > filing.expires_on {
            Err(FilingProblem::Lapsed {
                expired_on: filing.expires_on,
            })
        } else {
            Ok(filing)
        }
    }

    /// The lowest title an expert of this committee holds: the lowest level of its lowest tier.
    pub fn lowest_title(&self) -> TitleLevel {
        self.tiers
            .iter()
            .min()
            .map(|t| t.lowest())
            .unwrap_or(TitleLevel::Senior)
    }

    pub fn reviews_senior(&self) -> bool {
        self.tiers.contains(&Tier::Senior)
    }
}

/// The years an expert's term and a committee's filing may last at most.
pub fn term_max_years(rules: &ResolvedRuleSet) -> Result<u32, MissingParameter> {
    rules
        .param_int("review_expert_term_max_years")
        .and_then(|v| u32::try_from(v).ok())
        .ok_or(MissingParameter("review_expert_term_max_years"))
}

/// What is wrong with a filing as entered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilingEntryProblem {
    NumberMissing,
    ExpiresBeforeFiled,
    /// Valid longer than the parameter allows; `latest` is the last day it may run to.
    TooLong {
        max_years: u32,
        latest: NaiveDate,
    },
}

/// Checks a filing: a number, and an expiry after the filing day, at most `max_years` later.
pub fn check_filing(filing: &Filing, max_years: u32) -> Vec<FilingEntryProblem> {
    let mut problems = Vec::new();
    if filing.number.trim().is_empty() {
        problems.push(FilingEntryProblem::NumberMissing);
    }
    let latest = rules::add_years(filing.filed_on, max_years);
    if filing.expires_on < filing.filed_on {
        problems.push(FilingEntryProblem::ExpiresBeforeFiled);
    } else if filing.expires_on > latest {
        problems.push(FilingEntryProblem::TooLong { max_years, latest });
    }
    problems
}

/// An expert as entered by the office (a form or a row of an imported file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpertEntry {
    /// The expert's account (an existing username).
    pub username: String,
    pub name: String,
    pub unit: String,
    pub series: String,
    pub specialty: String,
    pub title_level: String,
    pub high_skill: bool,
    pub duty: String,
    pub term_from: NaiveDate,
    pub term_to: NaiveDate,
    pub active: bool,
}

/// What is wrong with an expert entry, by field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryProblem {
    NameMissing,
    UnknownAccount(String),
    UnknownUnit(String),
    UnknownSeries(String),
    /// The expert's series is not the committee's (Art. 6: never across series).
    OtherSeries {
        series: String,
        committee: String,
    },
    UnknownTitleLevel(String),
    /// A title below the level the committee reviews.
    TitleBelow {
        held: TitleLevel,
        needed: TitleLevel,
    },
    UnknownDuty(String),
    TermEndsBeforeStart,
    TermTooLong {
        max_years: u32,
        latest: NaiveDate,
    },
}

impl EntryProblem {
    /// The entry's field the problem is with.
    pub fn field(&self) -> &'static str {
        match self {
            EntryProblem::NameMissing => "name",
            EntryProblem::UnknownAccount(_) => "username",
            EntryProblem::UnknownUnit(_) => "unit",
            EntryProblem::UnknownSeries(_) | EntryProblem::OtherSeries { .. } => "series",
            EntryProblem::UnknownTitleLevel(_) | EntryProblem::TitleBelow { .. } => "title_level",
            EntryProblem::UnknownDuty(_) => "duty",
            EntryProblem::TermEndsBeforeStart | EntryProblem::TermTooLong { .. } => "term_to",
        }
    }
}

/// What the checks of an entry look up.
pub struct EntryContext<'a> {
    pub committee: &'a Committee,
    /// The series codes of the rules in force.
    pub series: Vec<String>,
    /// The most years a term may run (`review_expert_term_max_years`).
    pub term_max_years: Result<u32, MissingParameter>,
    pub unit_exists: &'a dyn Fn(&str) -> bool,
    pub account_exists: &'a dyn Fn(&str) -> bool,
}

impl<'a> EntryContext<'a> {
    pub fn new(
        committee: &'a Committee,
        rules: &ResolvedRuleSet,
        unit_exists: &'a dyn Fn(&str) -> bool,
        account_exists: &'a dyn Fn(&str) -> bool,
    ) -> EntryContext<'a> {
        EntryContext {
            committee,
            series: rules
                .catalogue()
                .series
                .into_iter()
                .map(|s| s.code)
                .collect(),
            term_max_years: term_max_years(rules),
            unit_exists,
            account_exists,
        }
    }
}

/// Every problem with an entry, at once.
pub fn check_entry(entry: &ExpertEntry, cx: &EntryContext) -> Vec<EntryProblem> {
    let mut problems = Vec::new();
    if entry.name.trim().is_empty() {
        problems.push(EntryProblem::NameMissing);
    }
    if !(cx.account_exists)(&entry.username) {
        problems.push(EntryProblem::UnknownAccount(entry.username.clone()));
    }
    if !(cx.unit_exists)(&entry.unit) {
        problems.push(EntryProblem::UnknownUnit(entry.unit.clone()));
    }
    if !cx.series.contains(&entry.series) {
        problems.push(EntryProblem::UnknownSeries(entry.series.clone()));
    } else if entry.series != cx.committee.series {
        problems.push(EntryProblem::OtherSeries {
            series: entry.series.clone(),
            committee: cx.committee.series.clone(),
        });
    }
    match TitleLevel::from_code(&entry.title_level) {
        None => problems.push(EntryProblem::UnknownTitleLevel(entry.title_level.clone())),
        Some(held) if held < cx.committee.lowest_title() => {
            problems.push(EntryProblem::TitleBelow {
                held,
                needed: cx.committee.lowest_title(),
            })
        }
        Some(_) => {}
    }
    if Duty::parse(&entry.duty).is_none() {
        problems.push(EntryProblem::UnknownDuty(entry.duty.clone()));
    }
    if entry.term_to < entry.term_from {
        problems.push(EntryProblem::TermEndsBeforeStart);
    } else if let Ok(max_years) = cx.term_max_years.clone() {
        let latest = rules::add_years(entry.term_from, max_years);
        if entry.term_to > latest {
            problems.push(EntryProblem::TermTooLong { max_years, latest });
        }
    }
    problems
}

/// An expert of the pool as the draw sees them.
pub fn pool_expert(row: &expert::Model) -> PoolExpert {
    PoolExpert {
        id: row.id,
        unit: row.unit.clone(),
        series: row.series.clone(),
        title_rank: TitleLevel::from_code(&row.title_level)
            .map(|l| l.index() as u8)
            .unwrap_or(0),
        high_skill: row.high_skill,
        term_from: row.term_from,
        term_to: row.term_to,
        active: row.active,
    }
}

/// The two kinds of review group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    General,
    /// The separate group of high-skill applicants (单设评审组, 云人社通28号 三).
    HighSkill,
}

impl GroupKind {
    pub fn code(self) -> &'static str {
        match self {
            GroupKind::General => "general",
            GroupKind::HighSkill => "high_skill",
        }
    }

    pub fn parse(code: &str) -> Option<GroupKind> {
        [GroupKind::General, GroupKind::HighSkill]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// The size rules of a session's groups under the rules in force on its day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizeRules {
    pub groups: GroupRules,
    /// The fewest members of a senior tier's group, per series and per specialty.
    pub senior_min_per_series: u32,
    pub senior_min_per_specialty: u32,
}

impl SizeRules {
    pub fn from_rules(rules: &ResolvedRuleSet) -> Result<SizeRules, MissingParameter> {
        let int = |key: &'static str| {
            rules
                .param_int(key)
                .and_then(|v| u32::try_from(v).ok())
                .ok_or(MissingParameter(key))
        };
        Ok(SizeRules {
            groups: GroupRules::from_rules(rules)?,
            senior_min_per_series: int("review_senior_committee_min_per_series")?,
            senior_min_per_specialty: int("review_senior_committee_min_per_specialty")?,
        })
    }

    /// The fewest members a group of `committee` has.
    pub fn min_members(&self, committee: &Committee) -> u32 {
        match (committee.reviews_senior(), &committee.specialty) {
            (true, None) => self.senior_min_per_series,
            (true, Some(_)) => self.senior_min_per_specialty,
            // No national figure for 中级 / 初级 (POLICY §9): a province sets one in its rules.
            (false, _) => 1,
        }
    }
}

/// One group as the office asks for it: how many members and reserves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupAsk {
    pub members: u32,
    pub reserves: u32,
}

/// A group of a session as planned: its applicants and the numbers its draw must meet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupPlan {
    pub kind: GroupKind,
    pub applicants: Vec<i64>,
    pub members: u32,
    pub min_high_skill: u32,
    pub reserves: u32,
}

/// A rule a planned session does not meet, with the figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SizeProblem {
    /// A group's members must be odd (Art. 9).
    NotOdd { kind: GroupKind, members: u32 },
    /// Fewer members than the committee's minimum.
    TooFew {
        kind: GroupKind,
        members: u32,
        min: u32,
    },
    /// The session has no applicants.
    NoApplicants,
}

/// An applicant of a session: the dossier, and whether a high-skill talent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Applicant {
    pub dossier_id: i64,
    pub high_skill: bool,
}

/// The groups of a session: with at least the threshold's high-skill applicants they form a
/// separate group, whose members are at least the share high-skill; everyone else is in the
/// general group. `general` and `high_skill` are what the office asks for each.
pub fn plan(
    committee: &Committee,
    applicants: &[Applicant],
    general: GroupAsk,
    high_skill: GroupAsk,
    rules: &SizeRules,
) -> Result<Vec<GroupPlan>, Vec<SizeProblem>> {
    if applicants.is_empty() {
        return Err(vec![SizeProblem::NoApplicants]);
    }
    let high: Vec<i64> = applicants
        .iter()
        .filter(|a| a.high_skill)
        .map(|a| a.dossier_id)
        .collect();
    let separate = rules.groups.separate_group(high.len() as u32);
    let mut groups = Vec::new();
    let rest: Vec<i64> = applicants
        .iter()
        .filter(|a| !(separate && a.high_skill))
        .map(|a| a.dossier_id)
        .collect();
    if !rest.is_empty() {
        groups.push(GroupPlan {
            kind: GroupKind::General,
            applicants: rest,
            members: general.members,
            min_high_skill: 0,
            reserves: general.reserves,
        });
    }
    if separate {
        groups.push(GroupPlan {
            kind: GroupKind::HighSkill,
            applicants: high,
            members: high_skill.members,
            min_high_skill: rules.groups.min_high_skill(high_skill.members),
            reserves: high_skill.reserves,
        });
    }
    let min = rules.min_members(committee);
    let mut problems = Vec::new();
    for g in &groups {
        if rules.groups.odd_members && g.members % 2 == 0 {
            problems.push(SizeProblem::NotOdd {
                kind: g.kind,
                members: g.members,
            });
        }
        if g.members < min {
            problems.push(SizeProblem::TooFew {
                kind: g.kind,
                members: g.members,
                min,
            });
        }
    }
    if problems.is_empty() {
        Ok(groups)
    } else {
        Err(problems)
    }
}

/// The grounds of a recusal (POLICY §9: the text gives none; these are the readings chosen).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    /// The expert works in the applicant's unit (found from the organisations).
    SameUnit,
    Relative,
    /// A direct superior or subordinate.
    Superior,
    /// A collaborator in the last 3 years.
    Collaborator,
    Other,
}

impl Ground {
    pub const ALL: [Ground; 5] = [
        Ground::SameUnit,
        Ground::Relative,
        Ground::Superior,
        Ground::Collaborator,
        Ground::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Ground::SameUnit => "same_unit",
            Ground::Relative => "relative",
            Ground::Superior => "superior",
            Ground::Collaborator => "collaborator",
            Ground::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Ground> {
        Ground::ALL.into_iter().find(|g| g.code() == code)
    }
}

/// Who raised a recusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Found from the organisations (same unit).
    Automatic,
    Expert,
    Office,
    /// Asked for by the applicant with a reason; the office decides.
    Applicant,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Automatic => "automatic",
            Source::Expert => "expert",
            Source::Office => "office",
            Source::Applicant => "applicant",
        }
    }
}

/// A committee's record as the provincial admin enters it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RecordEntry {
    pub name: String,
    pub organiser: String,
    pub series: String,
    pub tiers: Vec<Tier>,
    /// Empty for a committee of a whole series.
    pub specialty: String,
    pub self_review: bool,
    /// Organisation codes of the units entrusting it.
    pub entrusting: Vec<String>,
}

/// What is wrong with a committee's record as entered, by field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordProblem {
    /// The code is not 3 to 64 lower-case letters, digits or hyphens.
    CodeInvalid,
    NameMissing,
    UnknownOrganiser(String),
    UnknownSeries(String),
    NoTiers,
    UnknownEntrusting(String),
    /// Experts in service in the pool hold a title below the lowest the new levels need (the
    /// record would let them review what they may not): named, to raise or deactivate first.
    PoolTitleBelow {
        needed: TitleLevel,
        experts: Vec<String>,
    },
    /// Experts in service in the pool are of another series than the new one.
    PoolOtherSeries {
        series: String,
        experts: Vec<String>,
    },
}

impl RecordProblem {
    /// The record's field the problem is with.
    pub fn field(&self) -> &'static str {
        match self {
            RecordProblem::CodeInvalid => "code",
            RecordProblem::NameMissing => "name",
            RecordProblem::UnknownOrganiser(_) => "organiser",
            RecordProblem::UnknownSeries(_) => "series",
            RecordProblem::NoTiers | RecordProblem::PoolTitleBelow { .. } => "tiers",
            RecordProblem::UnknownEntrusting(_) => "entrusting",
            RecordProblem::PoolOtherSeries { .. } => "series",
        }
    }
}

/// What a changed record asks of the experts already in service in the pool: each of them must
/// still hold at least the lowest title of the new levels, and be of the new series.
pub fn check_pool(record: &RecordEntry, pool: &[expert::Model]) -> Vec<RecordProblem> {
    let serving: Vec<&expert::Model> = pool.iter().filter(|e| e.active).collect();
    let mut problems = Vec::new();
    if let Some(needed) = record.tiers.iter().min().map(|t| t.lowest()) {
        let below: Vec<String> = serving
            .iter()
            .filter(|e| TitleLevel::from_code(&e.title_level).is_some_and(|held| held < needed))
            .map(|e| e.name.clone())
            .collect();
        if !below.is_empty() {
            problems.push(RecordProblem::PoolTitleBelow {
                needed,
                experts: below,
            });
        }
    }
    let other: Vec<String> = serving
        .iter()
        .filter(|e| e.series != record.series)
        .map(|e| e.name.clone())
        .collect();
    if !other.is_empty() {
        problems.push(RecordProblem::PoolOtherSeries {
            series: record.series.clone(),
            experts: other,
        });
    }
    problems
}

/// Whether a committee's code may be one: 3 to 64 lower-case ASCII letters, digits or hyphens
/// (it is an organisation code and goes into addresses).
pub fn code_well_formed(code: &str) -> bool {
    (3..=64).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Every problem with a committee's record, at once. `series` are the codes of the rules in
/// force; `org_exists` says whether an organisation code is registered.
pub fn check_record(
    record: &RecordEntry,
    series: &[String],
    org_exists: &dyn Fn(&str) -> bool,
) -> Vec<RecordProblem> {
    let mut problems = Vec::new();
    if record.name.trim().is_empty() {
        problems.push(RecordProblem::NameMissing);
    }
    if !org_exists(&record.organiser) {
        problems.push(RecordProblem::UnknownOrganiser(record.organiser.clone()));
    }
    if !series.contains(&record.series) {
        problems.push(RecordProblem::UnknownSeries(record.series.clone()));
    }
    if record.tiers.is_empty() {
        problems.push(RecordProblem::NoTiers);
    }
    if let Some(unknown) = record.entrusting.iter().find(|u| !org_exists(u)) {
        problems.push(RecordProblem::UnknownEntrusting(unknown.clone()));
    }
    problems
}

/// The series codes of the rules in force.
pub fn series_codes(rules: &ResolvedRuleSet) -> Vec<String> {
    rules
        .catalogue()
        .series
        .into_iter()
        .map(|s| s.code)
        .collect()
}

/// An expert of the pool as an entry (for the export and the edit form); `username` is the
/// account's.
pub fn entry_of(row: &expert::Model, username: &str) -> ExpertEntry {
    ExpertEntry {
        username: username.to_owned(),
        name: row.name.clone(),
        unit: row.unit.clone(),
        series: row.series.clone(),
        specialty: row.specialty.clone(),
        title_level: row.title_level.clone(),
        high_skill: row.high_skill,
        duty: row.duty.clone(),
        term_from: row.term_from,
        term_to: row.term_to,
        active: row.active,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn rules() -> std::sync::Arc<ResolvedRuleSet> {
        let registry = rules::Registry::builtin().unwrap();
        std::sync::Arc::new(registry.resolve("53", day("2026-12-01")).unwrap())
    }

    fn serving(name: &str, series: &str, title: &str, active: bool) -> expert::Model {
        expert::Model {
            id: 1,
            committee: "c1".into(),
            account_id: 1,
            name: name.into(),
            unit: "org".into(),
            series: series.into(),
            specialty: String::new(),
            title_level: title.into(),
            high_skill: false,
            duty: "member".into(),
            term_from: day("2026-01-01"),
            term_to: day("2028-12-31"),
            active,
            updated_at: chrono::DateTime::default(),
        }
    }

    #[test]
    fn a_record_change_names_the_experts_in_service_it_would_no_longer_fit() {
        let pool = [
            serving("张工", "engineering", "intermediate", true),
            serving("李工", "engineering", "senior", true),
            serving("王工", "engineering", "intermediate", false),
            serving("赵工", "agriculture", "senior", true),
        ];
        let record = |series: &str, tiers: &[Tier]| RecordEntry {
            name: "评委会".into(),
            organiser: "org".into(),
            series: series.into(),
            tiers: tiers.to_vec(),
            specialty: String::new(),
            self_review: false,
            entrusting: vec![],
        };
        // Intermediate and senior: an intermediate title still reviews; 赵工 is of another series.
        assert_eq!(
            check_pool(
                &record("engineering", &[Tier::Intermediate, Tier::Senior]),
                &pool
            ),
            vec![RecordProblem::PoolOtherSeries {
                series: "engineering".into(),
                experts: vec!["赵工".into()],
            }]
        );
        // Senior only: 张工 (intermediate, in service) no longer fits; 王工 is out of service.
        assert_eq!(
            check_pool(&record("engineering", &[Tier::Senior]), &pool[..2]),
            vec![RecordProblem::PoolTitleBelow {
                needed: TitleLevel::AssociateSenior,
                experts: vec!["张工".into()],
            }]
        );
        assert!(check_pool(&record("engineering", &[Tier::Junior]), &pool[..3]).is_empty());
        assert_eq!(
            RecordProblem::PoolTitleBelow {
                needed: TitleLevel::Senior,
                experts: vec![]
            }
            .field(),
            "tiers"
        );
    }

    fn committee(tiers: &[Tier], specialty: Option<&str>) -> Committee {
        Committee {
            code: "c1".into(),
            organiser: "org".into(),
            region: "53".into(),
            series: "engineering".into(),
            tiers: tiers.to_vec(),
            specialty: specialty.map(Into::into),
            self_review: false,
            entrusting: vec![],
            filing: Some(Filing {
                number: "云职改备〔2025〕3号".into(),
                filed_on: day("2025-03-01"),
                expires_on: day("2028-02-29"),
            }),
        }
    }

    #[test]
    fn tiers_read_and_write_their_codes() {
        assert_eq!(
            Tier::list("intermediate, senior,bogus,senior"),
            vec![Tier::Senior, Tier::Intermediate]
        );
        assert_eq!(Tier::codes(&[Tier::Junior, Tier::Senior]), "senior,junior");
        assert_eq!(Tier::of(TitleLevel::AssociateSenior), Tier::Senior);
        assert_eq!(Tier::of(TitleLevel::Entry), Tier::Junior);
        assert_eq!(
            committee(&[Tier::Senior, Tier::Intermediate], None).lowest_title(),
            TitleLevel::Intermediate
        );
    }

    #[test]
    fn a_lapsed_filing_blocks_sessions() {
        let c = committee(&[Tier::Senior], None);
        assert!(c.filing_on(day("2026-12-01")).is_ok());
        assert!(c.filing_on(day("2028-02-29")).is_ok());
        assert_eq!(
            c.filing_on(day("2028-03-01")),
            Err(FilingProblem::Lapsed {
                expired_on: day("2028-02-29")
            })
        );
        assert_eq!(
            c.filing_on(day("2025-02-28")),
            Err(FilingProblem::NotYetFiled {
                filed_on: day("2025-03-01")
            })
        );
        let unfiled = Committee { filing: None, ..c };
        assert_eq!(
            unfiled.filing_on(day("2026-12-01")),
            Err(FilingProblem::NotFiled)
        );
    }

    #[test]
    fn a_filing_runs_at_most_the_parameters_years() {
        let max = term_max_years(&rules()).unwrap();
        assert_eq!(max, 3);
        let filing = |number: &str, from: &str, to: &str| Filing {
            number: number.into(),
            filed_on: day(from),
            expires_on: day(to),
        };
        assert!(check_filing(&filing("备1", "2025-03-01", "2028-03-01"), max).is_empty());
        assert_eq!(
            check_filing(&filing("备1", "2025-03-01", "2028-03-02"), max),
            vec![FilingEntryProblem::TooLong {
                max_years: 3,
                latest: day("2028-03-01")
            }]
        );
        assert_eq!(
            check_filing(&filing(" ", "2025-03-01", "2025-02-01"), max),
            vec![
                FilingEntryProblem::NumberMissing,
                FilingEntryProblem::ExpiresBeforeFiled
            ]
        );
    }

    fn entry() -> ExpertEntry {
        ExpertEntry {
            username: "zhang.gong".into(),
            name: "张工".into(),
            unit: "yn-steel".into(),
            series: "engineering".into(),
            specialty: "机械".into(),
            title_level: "associate_senior".into(),
            high_skill: true,
            duty: "member".into(),
            term_from: day("2026-01-01"),
            term_to: day("2028-12-31"),
            active: true,
        }
    }

    #[test]
    fn an_entry_is_checked_field_by_field() {
        let rules = rules();
        let c = committee(&[Tier::Senior], None);
        let unit_exists = |u: &str| u == "yn-steel";
        let account_exists = |a: &str| a == "zhang.gong";
        let cx = EntryContext::new(&c, &rules, &unit_exists, &account_exists);
        assert_eq!(check_entry(&entry(), &cx), vec![]);
        let cases: Vec<(ExpertEntry, Vec<EntryProblem>)> = vec![
            (
                ExpertEntry {
                    name: " ".into(),
                    ..entry()
                },
                vec![EntryProblem::NameMissing],
            ),
            (
                ExpertEntry {
                    username: "nobody".into(),
                    ..entry()
                },
                vec![EntryProblem::UnknownAccount("nobody".into())],
            ),
            (
                ExpertEntry {
                    unit: "ghost".into(),
                    ..entry()
                },
                vec![EntryProblem::UnknownUnit("ghost".into())],
            ),
            (
                ExpertEntry {
                    series: "enginering".into(),
                    ..entry()
                },
                vec![EntryProblem::UnknownSeries("enginering".into())],
            ),
            (
                ExpertEntry {
                    series: "agriculture".into(),
                    ..entry()
                },
                vec![EntryProblem::OtherSeries {
                    series: "agriculture".into(),
                    committee: "engineering".into(),
                }],
            ),
            (
                ExpertEntry {
                    title_level: "intermediate".into(),
                    ..entry()
                },
                vec![EntryProblem::TitleBelow {
                    held: TitleLevel::Intermediate,
                    needed: TitleLevel::AssociateSenior,
                }],
            ),
            (
                ExpertEntry {
                    title_level: "professor".into(),
                    ..entry()
                },
                vec![EntryProblem::UnknownTitleLevel("professor".into())],
            ),
            (
                ExpertEntry {
                    duty: "boss".into(),
                    ..entry()
                },
                vec![EntryProblem::UnknownDuty("boss".into())],
            ),
            (
                ExpertEntry {
                    term_to: day("2025-12-31"),
                    ..entry()
                },
                vec![EntryProblem::TermEndsBeforeStart],
            ),
            (
                ExpertEntry {
                    term_to: day("2029-01-02"),
                    ..entry()
                },
                vec![EntryProblem::TermTooLong {
                    max_years: 3,
                    latest: day("2029-01-01"),
                }],
            ),
        ];
        for (e, expected) in cases {
            assert_eq!(check_entry(&e, &cx), expected, "{e:?}");
        }
        // Exactly three years is allowed.
        assert!(check_entry(
            &ExpertEntry {
                term_to: day("2029-01-01"),
                ..entry()
            },
            &cx
        )
        .is_empty());
    }

    fn applicants(high_skill: usize, others: usize) -> Vec<Applicant> {
        (0..high_skill + others)
            .map(|i| Applicant {
                dossier_id: i as i64 + 1,
                high_skill: i < high_skill,
            })
            .collect()
    }

    const ASK: GroupAsk = GroupAsk {
        members: 25,
        reserves: 2,
    };

    #[test]
    fn five_high_skill_applicants_get_their_own_group_four_do_not() {
        let rules = SizeRules::from_rules(&rules()).unwrap();
        let c = committee(&[Tier::Senior], None);
        let four = plan(&c, &applicants(4, 3), ASK, ASK, &rules).unwrap();
        assert_eq!(four.len(), 1);
        assert_eq!(four[0].kind, GroupKind::General);
        assert_eq!(four[0].applicants.len(), 7);
        assert_eq!(four[0].min_high_skill, 0);
        let five = plan(&c, &applicants(5, 3), ASK, ASK, &rules).unwrap();
        assert_eq!(
            five.iter()
                .map(|g| (g.kind, g.applicants.len()))
                .collect::<Vec<_>>(),
            vec![(GroupKind::General, 3), (GroupKind::HighSkill, 5)]
        );
        // At least half of 25 is 13.
        assert_eq!(five[1].min_high_skill, 13);
        // Only high-skill applicants: the separate group alone.
        let only = plan(&c, &applicants(6, 0), ASK, ASK, &rules).unwrap();
        assert_eq!(
            only.iter().map(|g| g.kind).collect::<Vec<_>>(),
            vec![GroupKind::HighSkill]
        );
    }

    #[test]
    fn a_session_that_breaks_a_size_rule_says_which_and_by_how_much() {
        let rules = SizeRules::from_rules(&rules()).unwrap();
        let series = committee(&[Tier::Senior], None);
        let even = GroupAsk {
            members: 24,
            reserves: 0,
        };
        assert_eq!(
            plan(&series, &applicants(5, 0), ASK, even, &rules),
            Err(vec![
                SizeProblem::NotOdd {
                    kind: GroupKind::HighSkill,
                    members: 24
                },
                SizeProblem::TooFew {
                    kind: GroupKind::HighSkill,
                    members: 24,
                    min: 25
                },
            ])
        );
        let specialty = committee(&[Tier::Senior], Some("机械"));
        let eleven = GroupAsk {
            members: 11,
            reserves: 1,
        };
        assert!(plan(&specialty, &applicants(5, 1), eleven, eleven, &rules).is_ok());
        let nine = GroupAsk {
            members: 9,
            reserves: 1,
        };
        assert_eq!(
            plan(&specialty, &applicants(1, 1), nine, eleven, &rules),
            Err(vec![SizeProblem::TooFew {
                kind: GroupKind::General,
                members: 9,
                min: 11
            }])
        );
        assert_eq!(
            plan(&series, &[], ASK, ASK, &rules),
            Err(vec![SizeProblem::NoApplicants])
        );
    }

    #[test]
    fn codes_round_trip() {
        for g in Ground::ALL {
            assert_eq!(Ground::parse(g.code()), Some(g));
        }
        for d in Duty::ALL {
            assert_eq!(Duty::parse(d.code()), Some(d));
        }
        for k in [GroupKind::General, GroupKind::HighSkill] {
            assert_eq!(GroupKind::parse(k.code()), Some(k));
        }
    }

    #[test]
    fn a_record_is_checked_field_by_field() {
        let series = vec!["engineering".to_owned()];
        let org_exists = |o: &str| o == "org-a" || o == "org-b";
        let good = RecordEntry {
            name: "云南省工程系列高级评委会".into(),
            organiser: "org-a".into(),
            series: "engineering".into(),
            tiers: vec![Tier::Senior],
            specialty: String::new(),
            self_review: false,
            entrusting: vec!["org-b".into()],
        };
        assert!(check_record(&good, &series, &org_exists).is_empty());
        let bad = RecordEntry {
            name: " ".into(),
            organiser: "ghost".into(),
            series: "enginering".into(),
            tiers: vec![],
            entrusting: vec!["org-b".into(), "nobody".into()],
            ..good
        };
        assert_eq!(
            check_record(&bad, &series, &org_exists),
            vec![
                RecordProblem::NameMissing,
                RecordProblem::UnknownOrganiser("ghost".into()),
                RecordProblem::UnknownSeries("enginering".into()),
                RecordProblem::NoTiers,
                RecordProblem::UnknownEntrusting("nobody".into()),
            ]
        );
        assert!(code_well_formed("committee-yn-2"));
        for bad in ["ab", "Committee", "c/1", "委员会", &"c".repeat(65)] {
            assert!(!code_well_formed(bad), "{bad}");
        }
    }
}
