//! The input boundary: the API's `person` object as a DTO of strings, and the
//! parsed `Person` the engine evaluates. Parse, don't validate: every code and
//! date is checked once here, with an error naming the field; a missing list
//! (`None`) means "unknown", an empty list means "known to have none".

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::date::{full_years_between, parse_iso};
use crate::error::InputError;
use crate::resolved::ResolvedRuleSet;
use crate::vocab::{Bilingual, SkillLevel, TitleLevel};

/// The `person` object of `POST /api/v1/eligibility`, as received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonInput {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::strict::option_objects"
    )]
    pub skill_levels: Option<Vec<SkillLevelInput>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::strict::option_objects"
    )]
    pub titles: Option<Vec<TitleInput>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub work_started_on: Option<String>,
    /// Whole years of technical-skill work the person states (career breaks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skill_work_years: Option<f64>,
    /// Year → grade code (`pass`, `fail`, `excellent`, `competent`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_reviews: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honours: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posts: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_degree: Option<bool>,
}

/// A skill certificate. `level` may also be a post code (e.g.
/// `principal_technician`): that records an enterprise's post certificate
/// (特级技师证书), which is not a rung of the skill ladder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkillLevelInput {
    /// Required (absent or `null` is refused as `missing_field`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(required = true, nullable = false))]
    pub level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub obtained_on: Option<String>,
    /// A 《职业分类大典》 code such as `6-18-01-01`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupation: Option<String>,
}

/// A professional title held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TitleInput {
    /// Required (absent or `null` is refused as `missing_field`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(required = true, nullable = false))]
    pub series: Option<String>,
    /// Required (absent or `null` is refused as `missing_field`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(required = true, nullable = false))]
    pub level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub obtained_on: Option<String>,
}

/// Facts about one level of the ladder: any certificate at or above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct AtOrAbove {
    pub any: bool,
    /// Earliest known date of a certificate at or above the level.
    pub earliest: Option<NaiveDate>,
    /// The level of that certificate (or of an undated one when none is dated).
    pub level: Option<SkillLevel>,
    /// Some certificate at or above has no date: it might be earlier.
    pub undated: bool,
}

/// Which series the person's occupations correspond to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OccupationFacts {
    Unknown,
    NotInTable(String),
    Mapped(String, u64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Skills {
    pub at_or_above: [AtOrAbove; 6],
    pub highest: Option<SkillLevel>,
    pub certificates: u64,
    pub certificate_dates: Vec<(u8, Option<NaiveDate>)>,
    pub occupation: OccupationFacts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HeldTitle {
    pub level: TitleLevel,
    pub series: u8,
    pub since: Option<NaiveDate>,
}

/// A person's facts, parsed against one resolved rule set (its catalogue gives
/// the codes meaning). Evaluate it with that same rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub(crate) input: PersonInput,
    pub(crate) skills: Option<Skills>,
    /// `Some(None)`: known to hold no title.
    pub(crate) title: Option<Option<HeldTitle>>,
    pub(crate) work_started_on: Option<NaiveDate>,
    pub(crate) skill_work_years: Option<u32>,
    /// Sorted by year; `true` = a pass grade.
    pub(crate) reviews: Option<Vec<(i32, bool)>>,
    pub(crate) honours: Option<u64>,
    pub(crate) posts: Option<u64>,
}

/// Stated years beyond a working life are a typing mistake, not a fact.
const MAX_STATED_YEARS: f64 = 80.0;

fn error(code: &'static str, field: String, zh: String, en: String) -> InputError {
    InputError {
        code,
        field,
        message: Bilingual { zh, en },
    }
}

fn unknown_code(field: String, what_zh: &str, what_en: &str, code: &str) -> InputError {
    error(
        "unknown_code",
        field,
        format!("未知的{what_zh}代码“{code}”"),
        format!("Unknown {what_en} code `{code}`"),
    )
}

fn missing(field: String) -> InputError {
    error(
        "missing_field",
        field,
        "缺少必填项".into(),
        "This field is required".into(),
    )
}

/// Parses a date that records something already obtained or begun.
fn past_date(text: &str, field: String, as_of: NaiveDate) -> Result<NaiveDate, InputError> {
    let d = parse_iso(text)
        .filter(|d| d.year() >= 1900)
        .ok_or_else(|| {
            error(
                "invalid_date",
                field.clone(),
                format!("“{text}”不是有效日期（格式 YYYY-MM-DD）"),
                format!("`{text}` is not a valid date (YYYY-MM-DD)"),
            )
        })?;
    if d > as_of {
        return Err(error(
            "future_date",
            field,
            format!("{d}晚于查询日期{as_of}：尚未取得的事项不能填写"),
            format!("{d} is after the check date {as_of}: only what is already obtained counts"),
        ));
    }
    Ok(d)
}

/// Whether `code` is written as a 《中华人民共和国职业分类大典》 occupation code: the major group
/// as one digit, then the middle, minor and unit groups as two digits each (`6-18-01-01` 车工),
/// optionally a two-digit work-type group (`6-18-01-01-02`). The one rule of the product: the
/// self-check, the API and the dossier form all ask this function.
pub fn occupation_code_well_formed(code: &str) -> bool {
    let groups: Vec<&str> = code.split('-').collect();
    (4..=5).contains(&groups.len())
        && groups[0].len() == 1
        && groups[1..].iter().all(|g| g.len() == 2)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod occupation_tests {
    use super::occupation_code_well_formed as ok;

    #[test]
    fn occupation_codes_follow_the_dadian_groups() {
        for good in ["6-18-01-01", "4-99-99-99", "2-02-07-09", "6-18-01-01-02"] {
            assert!(ok(good), "{good}");
        }
        for bad in [
            "",
            "6",
            "6-18",
            "6-18-01",
            "61-8-01-01",
            "6-18-1-01",
            "6-18-01-01-02-03",
            "6-18-0a-01",
            "6--01-01",
            " 6-18-01-01",
            "６-18-01-01",
        ] {
            assert!(!ok(bad), "{bad:?}");
        }
    }
}

/// Where a parse puts the errors it meets: the strict parse stops at the first; the lenient
/// one keeps every error and leaves the field in error out.
struct Errors {
    strict: bool,
    found: Vec<InputError>,
}

impl Errors {
    /// Records `e`; in a strict parse, hands it back to stop there.
    fn add(&mut self, e: InputError) -> Result<(), InputError> {
        if self.strict {
            return Err(e);
        }
        self.found.push(e);
        Ok(())
    }
}

/// A date field of the input, parsed; in error, recorded and emptied.
fn date_field(
    slot: &mut Option<String>,
    field: impl FnOnce() -> String,
    as_of: NaiveDate,
    errs: &mut Errors,
) -> Result<Option<NaiveDate>, InputError> {
    let Some(text) = slot.as_deref() else {
        return Ok(None);
    };
    match past_date(text, field(), as_of) {
        Ok(d) => Ok(Some(d)),
        Err(e) => {
            errs.add(e)?;
            *slot = None;
            Ok(None)
        }
    }
}

impl Person {
    /// Parses the DTO for a check on `as_of` under `rules`, refusing it at the first fact in
    /// error (the API's answer names that one field).
    pub fn parse(
        input: PersonInput,
        as_of: NaiveDate,
        rules: &ResolvedRuleSet,
    ) -> Result<Person, InputError> {
        let mut errs = Errors {
            strict: true,
            found: Vec::new(),
        };
        Person::parse_with(input, as_of, rules, &mut errs)
    }

    /// Parses the DTO keeping **every** error, in the order [`Person::parse`] meets them (so the
    /// first is the one it returns), each naming its field by its path in the input as given.
    /// Each fact in error is left out and the rest parsed, so the person is what the valid facts
    /// say, and [`Person::input`] is the input accepted: a bad date or occupation drops that
    /// field alone, a missing or unknown level or series its row, a bad year of the annual
    /// reviews that year (the reviews become unknown when none is left), a bad honour or post
    /// the whole list, and a bad start of work or count of years that field. Parsing the
    /// accepted input again finds no error and the same person.
    pub fn parse_lenient(
        input: PersonInput,
        as_of: NaiveDate,
        rules: &ResolvedRuleSet,
    ) -> (Person, Vec<InputError>) {
        let mut errs = Errors {
            strict: false,
            found: Vec::new(),
        };
        match Person::parse_with(input, as_of, rules, &mut errs) {
            Ok(person) => (person, errs.found),
            // Not reached: a lenient parse records its errors instead of returning them.
            Err(e) => {
                errs.found.push(e);
                (Person::unknown(), errs.found)
            }
        }
    }

    /// A person of whom nothing is known.
    fn unknown() -> Person {
        Person {
            input: PersonInput::default(),
            skills: None,
            title: None,
            work_started_on: None,
            skill_work_years: None,
            reviews: None,
            honours: None,
            posts: None,
        }
    }

    fn parse_with(
        mut input: PersonInput,
        as_of: NaiveDate,
        rules: &ResolvedRuleSet,
        errs: &mut Errors,
    ) -> Result<Person, InputError> {
        let skills = match input.skill_levels.as_mut() {
            None => None,
            Some(list) => Some(parse_skills(list, as_of, rules, errs)?),
        };
        let title = match input.titles.as_mut() {
            None => None,
            Some(list) => Some(parse_titles(list, as_of, rules, errs)?),
        };
        let work_started_on = date_field(
            &mut input.work_started_on,
            || "person.work_started_on".into(),
            as_of,
            errs,
        )?;
        let skill_work_years = match input.skill_work_years {
            None => None,
            Some(y) => match parse_stated_years(y, skills.as_ref(), work_started_on, as_of) {
                Ok(y) => Some(y),
                Err(e) => {
                    errs.add(e)?;
                    input.skill_work_years = None;
                    None
                }
            },
        };
        let reviews = match input.annual_reviews.as_mut() {
            None => None,
            Some(map) => {
                let mut out = Vec::with_capacity(map.len());
                let mut refused = Vec::new();
                for (year, grade) in map.iter() {
                    match parse_review(year, grade, as_of, rules) {
                        Ok(review) => out.push(review),
                        Err(e) => {
                            errs.add(e)?;
                            refused.push(year.clone());
                        }
                    }
                }
                for year in &refused {
                    map.remove(year);
                }
                out.sort_unstable();
                // With every year refused, nothing is known of the reviews.
                (refused.is_empty() || !map.is_empty()).then_some(out)
            }
        };
        if reviews.is_none() {
            input.annual_reviews = None;
        }
        let honours = match input.honours.as_deref().map(|list| {
            mask_of(
                list,
                |h| rules.honour_index(h),
                |i, h| unknown_code(format!("person.honours[{i}]"), "荣誉", "honour", h),
            )
        }) {
            None => None,
            Some(Ok(mask)) => Some(mask),
            Some(Err(e)) => {
                errs.add(e)?;
                input.honours = None;
                None
            }
        };
        let posts = match input.posts.as_deref().map(|list| {
            mask_of(
                list,
                |p| rules.post_index(p),
                |i, p| unknown_code(format!("person.posts[{i}]"), "岗位", "post", p),
            )
        }) {
            None => None,
            Some(Ok(mask)) => Some(mask),
            Some(Err(e)) => {
                errs.add(e)?;
                input.posts = None;
                None
            }
        };
        Ok(Person {
            input,
            skills,
            title,
            work_started_on,
            skill_work_years,
            reviews,
            honours,
            posts,
        })
    }

    /// The input as accepted (for receipts).
    pub fn input(&self) -> &PersonInput {
        &self.input
    }

    /// Whether the person graduated in a major related to the occupation
    /// (exempts from the theory exam of a skill evaluation, 96号文 二(四)).
    pub fn related_degree(&self) -> Option<bool> {
        self.input.related_degree
    }

    /// The highest skill level held, when skill levels are known.
    pub fn highest_skill_level(&self) -> Option<SkillLevel> {
        self.skills.as_ref().and_then(|s| s.highest)
    }
}

/// One year of the annual reviews: the year and whether its grade passes.
fn parse_review(
    year: &str,
    grade: &str,
    as_of: NaiveDate,
    rules: &ResolvedRuleSet,
) -> Result<(i32, bool), InputError> {
    let field = format!("person.annual_reviews.{year}");
    let y: i32 = year
        .parse()
        .ok()
        .filter(|y| (1900..=9999).contains(y) && year.len() == 4)
        .ok_or_else(|| {
            error(
                "invalid_year",
                field.clone(),
                format!("“{year}”不是年份"),
                format!("`{year}` is not a year"),
            )
        })?;
    if y > as_of.year() {
        return Err(error(
            "future_date",
            field,
            format!("{y}年晚于查询日期所在年份"),
            format!("{y} is after the year of the check"),
        ));
    }
    let pass = *rules
        .grades
        .get(grade)
        .ok_or_else(|| unknown_code(field, "考核等次", "assessment grade", grade))?;
    Ok((y, pass))
}

/// The bit mask of a list of catalogue codes, or the error of the first unknown one.
fn mask_of(
    list: &[String],
    index: impl Fn(&str) -> Option<usize>,
    unknown: impl Fn(usize, &str) -> InputError,
) -> Result<u64, InputError> {
    let mut mask = 0u64;
    for (i, code) in list.iter().enumerate() {
        let idx = index(code).ok_or_else(|| unknown(i, code))?;
        mask |= 1 << idx;
    }
    Ok(mask)
}

/// What a skill-level row certifies: a level of the ladder, or a post's certificate.
enum Certified {
    Level(SkillLevel),
    Post(usize),
}

fn parse_skills(
    list: &mut Vec<SkillLevelInput>,
    as_of: NaiveDate,
    rules: &ResolvedRuleSet,
    errs: &mut Errors,
) -> Result<Skills, InputError> {
    let mut skills = Skills {
        at_or_above: [AtOrAbove::default(); 6],
        highest: None,
        certificates: 0,
        certificate_dates: Vec::new(),
        occupation: OccupationFacts::Unknown,
    };
    let mut first_unmapped: Option<String> = None;
    let mut refused_rows = Vec::new();
    for (i, entry) in list.iter_mut().enumerate() {
        let base = || format!("person.skill_levels[{i}]");
        if entry.level.is_none() {
            errs.add(missing(format!("{}.level", base())))?;
            refused_rows.push(i);
            continue;
        }
        let date = date_field(
            &mut entry.obtained_on,
            || format!("{}.obtained_on", base()),
            as_of,
            errs,
        )?;
        if let Some(occ) = entry.occupation.as_deref() {
            if !occupation_code_well_formed(occ) {
                errs.add(error(
                    "unknown_code",
                    format!("{}.occupation", base()),
                    format!("“{occ}”不是职业分类大典代码（如 6-18-01-01）"),
                    format!(
                        "`{occ}` is not an occupation code of the classification (e.g. 6-18-01-01)"
                    ),
                ))?;
                entry.occupation = None;
            }
        }
        let code = entry.level.as_deref().unwrap_or_default();
        let certified = if let Some(level) = SkillLevel::from_code(code) {
            Certified::Level(level)
        } else if let Some(post) = rules.post_index(code) {
            Certified::Post(post)
        } else {
            errs.add(unknown_code(
                format!("{}.level", base()),
                "职业技能等级",
                "skill level",
                code,
            ))?;
            refused_rows.push(i);
            continue;
        };
        // The row is accepted: what it says counts.
        if let Some(occ) = entry.occupation.as_deref() {
            match (&mut skills.occupation, rules.occupations.get(occ)) {
                (OccupationFacts::Mapped(_, mask), Some(m)) => *mask |= m,
                (slot, Some(m)) => *slot = OccupationFacts::Mapped(occ.to_owned(), *m),
                (_, None) => {
                    first_unmapped.get_or_insert_with(|| occ.to_owned());
                }
            }
        }
        match certified {
            Certified::Level(level) => {
                skills.highest = skills.highest.max(Some(level));
                for l in SkillLevel::ALL.into_iter().filter(|l| *l <= level) {
                    let slot = &mut skills.at_or_above[l.index()];
                    slot.any = true;
                    match date {
                        Some(d) if slot.earliest.is_none_or(|e| d < e) => {
                            slot.earliest = Some(d);
                            slot.level = Some(level);
                        }
                        Some(_) => {}
                        None => {
                            slot.undated = true;
                            if slot.earliest.is_none() && slot.level.is_none_or(|h| level < h) {
                                slot.level = Some(level);
                            }
                        }
                    }
                }
            }
            Certified::Post(post) => {
                skills.certificates |= 1 << post;
                skills.certificate_dates.push((post as u8, date));
            }
        }
    }
    for i in refused_rows.into_iter().rev() {
        list.remove(i);
    }
    if matches!(skills.occupation, OccupationFacts::Unknown) {
        if let Some(code) = first_unmapped {
            skills.occupation = OccupationFacts::NotInTable(code);
        }
    }
    Ok(skills)
}

fn parse_titles(
    list: &mut Vec<TitleInput>,
    as_of: NaiveDate,
    rules: &ResolvedRuleSet,
    errs: &mut Errors,
) -> Result<Option<HeldTitle>, InputError> {
    let mut best: Option<HeldTitle> = None;
    let mut refused_rows = Vec::new();
    for (i, t) in list.iter_mut().enumerate() {
        let base = || format!("person.titles[{i}]");
        let row = (|| {
            let series_code = t
                .series
                .as_deref()
                .ok_or_else(|| missing(format!("{}.series", base())))?;
            let series = rules.series_index(series_code).ok_or_else(|| {
                unknown_code(
                    format!("{}.series", base()),
                    "职称系列",
                    "title series",
                    series_code,
                )
            })?;
            let level_code = t
                .level
                .as_deref()
                .ok_or_else(|| missing(format!("{}.level", base())))?;
            let level = TitleLevel::from_code(level_code).ok_or_else(|| {
                unknown_code(
                    format!("{}.level", base()),
                    "职称层级",
                    "title level",
                    level_code,
                )
            })?;
            Ok((series, level))
        })();
        let (series, level) = match row {
            Ok(row) => row,
            Err(e) => {
                errs.add(e)?;
                refused_rows.push(i);
                continue;
            }
        };
        let since = date_field(
            &mut t.obtained_on,
            || format!("{}.obtained_on", base()),
            as_of,
            errs,
        )?;
        let candidate = HeldTitle {
            level,
            series: series as u8,
            since,
        };
        best = Some(match best {
            None => candidate,
            Some(b) if level > b.level => candidate,
            Some(b)
                if level == b.level
                    && since.is_some()
                    && (b.since.is_none() || since < b.since) =>
            {
                candidate
            }
            Some(b) => b,
        });
    }
    for i in refused_rows.into_iter().rev() {
        list.remove(i);
    }
    Ok(best)
}

fn parse_stated_years(
    y: f64,
    skills: Option<&Skills>,
    work_started_on: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Result<u32, InputError> {
    let field = || "person.skill_work_years".to_owned();
    if y.is_nan() || y < 0.0 {
        return Err(error(
            "negative_number",
            field(),
            "年限不能为负数".into(),
            "Years cannot be negative".into(),
        ));
    }
    if y.fract() != 0.0 {
        return Err(error(
            "not_whole_years",
            field(),
            "请填写整年数".into(),
            "Give whole years".into(),
        ));
    }
    // Years of skill work cannot exceed the time since the first certificate,
    // nor since work started: more is a mistake the user should correct.
    let mut bound = MAX_STATED_YEARS as u32;
    if let Some(first) = skills.and_then(|s| s.at_or_above[0].earliest) {
        if !skills.is_some_and(|s| s.at_or_above[0].undated) {
            bound = bound.min(full_years_between(first, as_of));
        }
    }
    if let Some(ws) = work_started_on {
        bound = bound.min(full_years_between(ws, as_of));
    }
    if y > f64::from(bound) {
        return Err(error(
            "impossible_years",
            field(),
            format!("所填{y}年超过了可能的最大值{bound}年（自取得证书或参加工作起）"),
            format!(
                "{y} years is more than possible ({bound} since the certificate or starting work)"
            ),
        ));
    }
    Ok(y as u32)
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;
    use crate::Registry;

    fn parse(json: serde_json::Value) -> Result<Person, InputError> {
        let as_of = parse_iso("2026-11-21").unwrap();
        let rules = Registry::builtin()
            .unwrap()
            .resolve("national", as_of)
            .unwrap();
        Person::parse(serde_json::from_value(json).unwrap(), as_of, &rules)
    }

    fn lenient(json: serde_json::Value) -> (Person, Vec<InputError>) {
        let as_of = parse_iso("2026-11-21").unwrap();
        let rules = Registry::builtin()
            .unwrap()
            .resolve("national", as_of)
            .unwrap();
        Person::parse_lenient(serde_json::from_value(json).unwrap(), as_of, &rules)
    }

    #[test]
    fn the_lenient_parse_names_every_error_by_its_place_in_the_input() {
        let json = serde_json::json!({
            "skill_levels": [
                {"level": "wizard", "obtained_on": "2019-01-01", "occupation": "6-18-01-01"},
                {"level": "technician", "obtained_on": "2030-01-01", "occupation": "x"},
                {"obtained_on": "2015-01-01"},
                {"level": "senior_worker", "obtained_on": "2016-05-01"}
            ],
            "titles": [{"series": "nope", "level": "intermediate"}, {"series": "engineering", "level": "assistant", "obtained_on": "tomorrow"}],
            "work_started_on": "2008-02-30",
            "skill_work_years": 3,
            "annual_reviews": {"2025": "excellent", "20x4": "pass", "2027": "pass"},
            "honours": ["made_up", "also_made_up"],
            "posts": []
        });
        let (person, errors) = lenient(json.clone());
        let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            found,
            [
                ("person.skill_levels[0].level", "unknown_code"),
                ("person.skill_levels[1].obtained_on", "future_date"),
                ("person.skill_levels[1].occupation", "unknown_code"),
                ("person.skill_levels[2].level", "missing_field"),
                ("person.titles[0].series", "unknown_code"),
                ("person.titles[1].obtained_on", "invalid_date"),
                ("person.work_started_on", "invalid_date"),
                ("person.annual_reviews.2027", "future_date"),
                ("person.annual_reviews.20x4", "invalid_year"),
                ("person.honours[0]", "unknown_code"),
            ]
        );
        // The strict parse stops at the first of them.
        assert_eq!(parse(json).unwrap_err(), errors[0]);
        // What is left is what was valid: the refused rows, the bad dates and the bad
        // occupation are gone, the row of an unknown level takes its occupation with it.
        let accepted = person.input();
        let levels = accepted.skill_levels.as_ref().unwrap();
        assert_eq!(levels.len(), 2);
        assert_eq!(levels[0].level.as_deref(), Some("technician"));
        assert_eq!(
            (
                levels[0].obtained_on.as_deref(),
                levels[0].occupation.as_deref()
            ),
            (None, None)
        );
        assert_eq!(levels[1].obtained_on.as_deref(), Some("2016-05-01"));
        let skills = person.skills.as_ref().unwrap();
        assert_eq!(skills.occupation, OccupationFacts::Unknown);
        assert_eq!(skills.highest, Some(SkillLevel::Technician));
        assert!(skills.at_or_above[SkillLevel::Technician.index()].undated);
        let titles = accepted.titles.as_ref().unwrap();
        assert_eq!((titles.len(), titles[0].obtained_on.as_deref()), (1, None));
        assert_eq!(accepted.work_started_on, None);
        assert_eq!(person.skill_work_years, Some(3));
        assert_eq!(person.reviews, Some(vec![(2025, true)]));
        assert_eq!((accepted.honours.as_ref(), person.honours), (None, None));
        assert_eq!(person.posts, Some(0));
        // The accepted input parses strictly to the same person.
        let as_of = parse_iso("2026-11-21").unwrap();
        let rules = Registry::builtin()
            .unwrap()
            .resolve("national", as_of)
            .unwrap();
        assert_eq!(
            Person::parse(accepted.clone(), as_of, &rules).unwrap(),
            person
        );
    }

    #[test]
    fn reviews_all_refused_are_unknown_and_valid_input_has_no_error() {
        let (person, errors) = lenient(serde_json::json!({"annual_reviews": {"2030": "pass"}}));
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (
                person.reviews.as_ref(),
                person.input().annual_reviews.as_ref()
            ),
            (None, None)
        );
        let json = serde_json::json!({"skill_levels": [{"level": "technician", "obtained_on": "2018-01-01"}], "annual_reviews": {}});
        let (person, errors) = lenient(json.clone());
        assert!(errors.is_empty());
        assert_eq!(person, parse(json).unwrap());
        assert_eq!(person.reviews, Some(Vec::new()));
    }

    #[test]
    fn missing_list_is_unknown_and_empty_list_is_known_none() {
        let unknown = parse(serde_json::json!({})).unwrap();
        assert!(unknown.honours.is_none() && unknown.skills.is_none() && unknown.title.is_none());
        let none =
            parse(serde_json::json!({"honours": [], "skill_levels": [], "titles": []})).unwrap();
        assert_eq!(none.honours, Some(0));
        assert_eq!(none.title, Some(None));
        assert_eq!(none.skills.unwrap().highest, None);
    }

    #[test]
    fn post_certificate_is_not_a_skill_level() {
        let p = parse(serde_json::json!({"skill_levels": [{"level": "principal_technician", "obtained_on": "2024-01-01"}]})).unwrap();
        let s = p.skills.unwrap();
        assert_eq!(s.highest, None);
        assert_eq!(s.certificates, 1);
    }

    #[test]
    fn future_certificate_names_its_field() {
        let e = parse(serde_json::json!({"skill_levels": [{"level": "technician", "obtained_on": "2030-01-01"}]})).unwrap_err();
        assert_eq!(e.code, "future_date");
        assert_eq!(e.field, "person.skill_levels[0].obtained_on");
        assert!(!e.message.zh.is_empty() && !e.message.en.is_empty());
    }

    #[test]
    fn stated_years_cannot_exceed_years_since_work_started() {
        let e = parse(serde_json::json!({"work_started_on": "2024-01-01", "skill_work_years": 5}))
            .unwrap_err();
        assert_eq!(e.code, "impossible_years");
    }

    #[test]
    fn a_higher_certificate_counts_from_its_own_date_for_lower_levels() {
        let p = parse(serde_json::json!({"skill_levels": [
            {"level": "technician", "obtained_on": "2018-01-01"},
            {"level": "senior_worker", "obtained_on": "2020-01-01"}
        ]}))
        .unwrap();
        let s = p.skills.unwrap();
        assert_eq!(
            s.at_or_above[SkillLevel::SeniorWorker.index()].earliest,
            parse_iso("2018-01-01")
        );
        assert_eq!(s.highest, Some(SkillLevel::Technician));
    }
}
