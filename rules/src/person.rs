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

impl Person {
    /// Parses the DTO for a check on `as_of` under `rules`.
    pub fn parse(
        input: PersonInput,
        as_of: NaiveDate,
        rules: &ResolvedRuleSet,
    ) -> Result<Person, InputError> {
        let skills = match &input.skill_levels {
            None => None,
            Some(list) => Some(parse_skills(list, as_of, rules)?),
        };
        let title = match &input.titles {
            None => None,
            Some(list) => Some(parse_titles(list, as_of, rules)?),
        };
        let work_started_on = input
            .work_started_on
            .as_deref()
            .map(|t| past_date(t, "person.work_started_on".into(), as_of))
            .transpose()?;
        let skill_work_years = match input.skill_work_years {
            None => None,
            Some(y) => Some(parse_stated_years(
                y,
                skills.as_ref(),
                work_started_on,
                as_of,
            )?),
        };
        let reviews = match &input.annual_reviews {
            None => None,
            Some(map) => {
                let mut out = Vec::with_capacity(map.len());
                for (year, grade) in map {
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
                    let pass = *rules.grades.get(grade.as_str()).ok_or_else(|| {
                        unknown_code(field, "考核等次", "assessment grade", grade)
                    })?;
                    out.push((y, pass));
                }
                out.sort_unstable();
                Some(out)
            }
        };
        let honours = match &input.honours {
            None => None,
            Some(list) => {
                let mut mask = 0u64;
                for (i, h) in list.iter().enumerate() {
                    let idx = rules.honour_index(h).ok_or_else(|| {
                        unknown_code(format!("person.honours[{i}]"), "荣誉", "honour", h)
                    })?;
                    mask |= 1 << idx;
                }
                Some(mask)
            }
        };
        let posts = match &input.posts {
            None => None,
            Some(list) => {
                let mut mask = 0u64;
                for (i, p) in list.iter().enumerate() {
                    let idx = rules.post_index(p).ok_or_else(|| {
                        unknown_code(format!("person.posts[{i}]"), "岗位", "post", p)
                    })?;
                    mask |= 1 << idx;
                }
                Some(mask)
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

fn parse_skills(
    list: &[SkillLevelInput],
    as_of: NaiveDate,
    rules: &ResolvedRuleSet,
) -> Result<Skills, InputError> {
    let mut skills = Skills {
        at_or_above: [AtOrAbove::default(); 6],
        highest: None,
        certificates: 0,
        certificate_dates: Vec::new(),
        occupation: OccupationFacts::Unknown,
    };
    let mut first_unmapped: Option<String> = None;
    for (i, entry) in list.iter().enumerate() {
        let base = format!("person.skill_levels[{i}]");
        let code = entry
            .level
            .as_deref()
            .ok_or_else(|| missing(format!("{base}.level")))?;
        let date = entry
            .obtained_on
            .as_deref()
            .map(|t| past_date(t, format!("{base}.obtained_on"), as_of))
            .transpose()?;
        if let Some(occ) = entry.occupation.as_deref() {
            if !occupation_code_well_formed(occ) {
                return Err(error(
                    "unknown_code",
                    format!("{base}.occupation"),
                    format!("“{occ}”不是职业分类大典代码（如 6-18-01-01）"),
                    format!(
                        "`{occ}` is not an occupation code of the classification (e.g. 6-18-01-01)"
                    ),
                ));
            }
            match (&mut skills.occupation, rules.occupations.get(occ)) {
                (OccupationFacts::Mapped(_, mask), Some(m)) => *mask |= m,
                (slot, Some(m)) => *slot = OccupationFacts::Mapped(occ.to_owned(), *m),
                (_, None) => {
                    first_unmapped.get_or_insert_with(|| occ.to_owned());
                }
            }
        }
        if let Some(level) = SkillLevel::from_code(code) {
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
        } else if let Some(post) = rules.post_index(code) {
            skills.certificates |= 1 << post;
            skills.certificate_dates.push((post as u8, date));
        } else {
            return Err(unknown_code(
                format!("{base}.level"),
                "职业技能等级",
                "skill level",
                code,
            ));
        }
    }
    if matches!(skills.occupation, OccupationFacts::Unknown) {
        if let Some(code) = first_unmapped {
            skills.occupation = OccupationFacts::NotInTable(code);
        }
    }
    Ok(skills)
}

fn parse_titles(
    list: &[TitleInput],
    as_of: NaiveDate,
    rules: &ResolvedRuleSet,
) -> Result<Option<HeldTitle>, InputError> {
    let mut best: Option<HeldTitle> = None;
    for (i, t) in list.iter().enumerate() {
        let base = format!("person.titles[{i}]");
        let series_code = t
            .series
            .as_deref()
            .ok_or_else(|| missing(format!("{base}.series")))?;
        let series = rules.series_index(series_code).ok_or_else(|| {
            unknown_code(
                format!("{base}.series"),
                "职称系列",
                "title series",
                series_code,
            )
        })?;
        let level_code = t
            .level
            .as_deref()
            .ok_or_else(|| missing(format!("{base}.level")))?;
        let level = TitleLevel::from_code(level_code).ok_or_else(|| {
            unknown_code(
                format!("{base}.level"),
                "职称层级",
                "title level",
                level_code,
            )
        })?;
        let since = t
            .obtained_on
            .as_deref()
            .map(|d| past_date(d, format!("{base}.obtained_on"), as_of))
            .transpose()?;
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
