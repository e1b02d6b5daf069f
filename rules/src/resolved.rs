//! A rule set with its overrides applied and compiled for evaluation: codes
//! turned into indices and bit sets, templates parsed, every reference checked.
//! Compiling is where validation against the catalogue happens, so a
//! `ResolvedRuleSet` that exists is valid (also when it arrives as JSON).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{LoadError, Problem};
use crate::kinds::{parse_template, Kind, Piece};
use crate::model::{ConditionSpec, Named, ParamValue, RouteSpec, RuleSet};
use crate::vocab::{Bilingual, SkillLevel, TitleLevel};

/// Bit sets (series, honours, posts) are `u64`.
pub(crate) const MAX_BITS: usize = 64;

/// A compiled condition check with its parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Check {
    HoldsSkill(SkillLevel),
    SkillWorkYears(SkillLevel, u32),
    LevelHeldYears(SkillLevel, u32),
    AnnualReviews(u32),
    HoldsTitle(TitleLevel),
    WorkYears(u32),
    HoldsHonour(u64),
    HoldsPost(u8),
    HoldsPostCertificate(u8),
    SeriesMatchesOccupation,
    CommitteeDecides,
    ExamConditionsConfigured(bool, u16),
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledCondition {
    pub kind: Kind,
    pub check: Check,
    pub source: String,
    pub default: bool,
}

/// What a compiled route leads to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum CompiledTarget {
    Title(TitleLevel),
    Skill(SkillLevel),
    Qualification(u16),
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledRoute {
    pub key: String,
    pub route: String,
    pub target: CompiledTarget,
    /// Series the route opens (title targets only).
    pub series: u64,
    pub conditions: Vec<CompiledCondition>,
}

/// The rule set in force on one day: what a check on that day is decided under, and what the
/// self-check's browser receives beside the page (the engine runs on it there).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InForce {
    /// The day the rules were resolved for (the day of the check).
    pub as_of: NaiveDate,
    pub rules: ResolvedRuleSet,
}

/// Where a route of a flattened set came from, for error paths.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub file: String,
    pub index: usize,
}

/// The rule set in force for one region on one day, overrides applied.
///
/// Serialises as `{region, content_hash, based_on, rule_set}` where `rule_set`
/// is the flattened data; deserialising compiles and validates it again and
/// checks the hash, so the browser can trust what it receives as much as the
/// server does.
#[derive(Debug, Clone)]
pub struct ResolvedRuleSet {
    pub(crate) region: String,
    pub(crate) set: RuleSet,
    pub(crate) based_on: Vec<RuleSetRef>,
    pub(crate) hash: String,
    pub(crate) series_codes: Vec<String>,
    pub(crate) occupations: BTreeMap<String, u64>,
    pub(crate) grades: BTreeMap<String, bool>,
    pub(crate) routes: Vec<CompiledRoute>,
    /// `[kind][variant] -> (zh, en)` parsed templates.
    pub(crate) templates: Vec<Vec<(Vec<Piece>, Vec<Piece>)>>,
}

/// The identity of a rule set version, as reported with every evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleSetRef {
    pub id: String,
    pub version: String,
    pub effective_from: NaiveDate,
}

/// One entry of a catalogue list, for select boxes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueItem {
    pub code: String,
    pub zh: String,
    pub en: String,
}

/// A series with its title names per level (absent where none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesItem {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub bridged: bool,
    pub titles: BTreeMap<String, Bilingual>,
}

/// An occupation of the correspondence table with the series it maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccupationItem {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub series: Vec<String>,
}

/// Every list a form needs, with names in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueView {
    pub skill_levels: Vec<CatalogueItem>,
    pub title_levels: Vec<CatalogueItem>,
    pub posts: Vec<CatalogueItem>,
    pub series: Vec<SeriesItem>,
    pub qualifications: Vec<CatalogueItem>,
    pub honours: Vec<CatalogueItem>,
    pub evaluation_methods: Vec<CatalogueItem>,
    pub achievement_kinds: Vec<CatalogueItem>,
    pub review_grades: Vec<CatalogueItem>,
    pub regions: Vec<CatalogueItem>,
    pub occupations: Vec<OccupationItem>,
}

#[derive(Serialize, Deserialize)]
struct ResolvedData {
    region: String,
    content_hash: String,
    based_on: Vec<RuleSetRef>,
    rule_set: RuleSet,
}

impl Serialize for ResolvedRuleSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ResolvedData {
            region: self.region.clone(),
            content_hash: self.hash.clone(),
            based_on: self.based_on.clone(),
            rule_set: self.set.clone(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for ResolvedRuleSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let data = ResolvedData::deserialize(d)?;
        let origins = (0..data.rule_set.routes.len())
            .map(|index| Origin {
                file: "resolved".into(),
                index,
            })
            .collect::<Vec<_>>();
        let compiled = compile(
            data.rule_set,
            &origins,
            "resolved",
            data.region,
            data.based_on,
        )
        .map_err(serde::de::Error::custom)?;
        if compiled.hash != data.content_hash {
            return Err(serde::de::Error::custom(
                "content_hash does not match the rule set's content",
            ));
        }
        Ok(compiled)
    }
}

impl PartialEq for ResolvedRuleSet {
    fn eq(&self, other: &Self) -> bool {
        self.region == other.region && self.hash == other.hash && self.based_on == other.based_on
    }
}

impl ResolvedRuleSet {
    /// The region asked for (may be a province without its own set, e.g. `44`).
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The identity of the set in force (the most specific one).
    pub fn rule_set_ref(&self) -> RuleSetRef {
        RuleSetRef {
            id: self.set.id.clone(),
            version: self.set.version.clone(),
            effective_from: self.set.effective_from,
        }
    }

    /// The sets this one was built from, baseline first.
    pub fn based_on(&self) -> &[RuleSetRef] {
        &self.based_on
    }

    /// Hash of the flattened content: stored with every receipt.
    pub fn content_hash(&self) -> &str {
        &self.hash
    }

    /// The flattened data.
    pub fn data(&self) -> &RuleSet {
        &self.set
    }

    /// A parameter by key (e.g. `review_pass_ratio`).
    /// The evaluation methods a review of route `key` scores (none for an unknown route).
    pub fn methods_of(&self, key: &str) -> &[String] {
        self.set
            .routes
            .iter()
            .find(|r| r.key == key)
            .map(|r| r.methods.as_slice())
            .unwrap_or(&[])
    }

    pub fn param(&self, key: &str) -> Option<&crate::model::Param> {
        self.set.params.get(key)
    }

    /// How many past years of annual assessments (年度考核) the routes of this set ask about: the
    /// most any `annual_reviews` condition requires (96号文 二(二)1: 近3年), 0 when none does.
    pub fn annual_review_years(&self) -> u32 {
        self.routes
            .iter()
            .flat_map(|r| &r.conditions)
            .filter_map(|c| match c.check {
                Check::AnnualReviews(years) => Some(years),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }

    /// An integer parameter.
    pub fn param_int(&self, key: &str) -> Option<i64> {
        match self.param(key)?.value {
            ParamValue::Int(i) => Some(i),
            _ => None,
        }
    }

    /// A ratio parameter `a/b` as (a, b).
    pub fn param_ratio(&self, key: &str) -> Option<(u32, u32)> {
        match &self.param(key)?.value {
            ParamValue::Text(t) => parse_ratio(t),
            _ => None,
        }
    }

    /// The catalogue with names, for forms.
    pub fn catalogue(&self) -> CatalogueView {
        let c = &self.set.catalogue;
        let items = |v: &[Named]| {
            v.iter()
                .map(|n| CatalogueItem {
                    code: n.code.clone(),
                    zh: n.zh.clone(),
                    en: n.en.clone(),
                })
                .collect::<Vec<_>>()
        };
        CatalogueView {
            skill_levels: items(&c.skill_levels),
            title_levels: items(&c.title_levels),
            posts: items(&c.posts),
            series: c
                .series
                .iter()
                .map(|s| SeriesItem {
                    code: s.code.clone(),
                    zh: s.zh.clone(),
                    en: s.en.clone(),
                    bridged: s.bridged,
                    titles: s.titles.clone(),
                })
                .collect(),
            qualifications: items(&c.qualifications),
            honours: items(&c.honours),
            evaluation_methods: items(&c.evaluation_methods),
            achievement_kinds: items(&c.achievement_kinds),
            review_grades: c
                .review_grades
                .iter()
                .map(|g| CatalogueItem {
                    code: g.code.clone(),
                    zh: g.zh.clone(),
                    en: g.en.clone(),
                })
                .collect(),
            regions: items(&c.regions),
            occupations: c
                .occupations
                .iter()
                .map(|o| OccupationItem {
                    code: o.code.clone(),
                    zh: o.zh.clone(),
                    en: o.en.clone(),
                    series: o.series.clone(),
                })
                .collect(),
        }
    }

    pub(crate) fn honour_index(&self, code: &str) -> Option<usize> {
        self.set
            .catalogue
            .honours
            .iter()
            .position(|h| h.code == code)
    }

    pub(crate) fn post_index(&self, code: &str) -> Option<usize> {
        self.set.catalogue.posts.iter().position(|h| h.code == code)
    }

    pub(crate) fn series_index(&self, code: &str) -> Option<usize> {
        self.series_codes.iter().position(|s| s == code)
    }

    /// Whether `code` is a region the catalogue knows (or `national`).
    pub fn knows_region(&self, code: &str) -> bool {
        code == "national" || self.set.catalogue.regions.iter().any(|r| r.code == code)
    }
}

pub(crate) fn parse_ratio(t: &str) -> Option<(u32, u32)> {
    let (a, b) = t.split_once('/')?;
    let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a > 0 && a <= b).then_some((a, b))
}

/// FNV-1a 64 over the canonical JSON: small, the same on every target.
pub(crate) fn content_hash(set: &RuleSet) -> String {
    let json = serde_json::to_vec(set).unwrap_or_default();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in json {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A region code is `national` or two digits (GB/T 2260 province level).
pub(crate) fn region_well_formed(code: &str) -> bool {
    code == "national" || (code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit()))
}

/// Applies `child` over an already-flattened `parent`: catalogue entries,
/// params and reason texts by code/key, routes by key (`disabled` drops one).
pub(crate) fn merge(
    parent: &RuleSet,
    parent_origins: &[Origin],
    child: &RuleSet,
    child_file: &str,
) -> (RuleSet, Vec<Origin>) {
    fn over<T: Clone>(base: &[T], add: &[T], code: impl Fn(&T) -> &str) -> Vec<T> {
        let mut out = base.to_vec();
        for item in add {
            match out.iter().position(|b| code(b) == code(item)) {
                Some(i) => out[i] = item.clone(),
                None => out.push(item.clone()),
            }
        }
        out
    }
    let (pc, cc) = (&parent.catalogue, &child.catalogue);
    let catalogue = crate::model::Catalogue {
        skill_levels: over(&pc.skill_levels, &cc.skill_levels, |n| &n.code),
        title_levels: over(&pc.title_levels, &cc.title_levels, |n| &n.code),
        posts: over(&pc.posts, &cc.posts, |n| &n.code),
        series: over(&pc.series, &cc.series, |n| &n.code),
        qualifications: over(&pc.qualifications, &cc.qualifications, |n| &n.code),
        honours: over(&pc.honours, &cc.honours, |n| &n.code),
        evaluation_methods: over(&pc.evaluation_methods, &cc.evaluation_methods, |n| &n.code),
        achievement_kinds: over(&pc.achievement_kinds, &cc.achievement_kinds, |n| &n.code),
        review_grades: over(&pc.review_grades, &cc.review_grades, |n| &n.code),
        regions: over(&pc.regions, &cc.regions, |n| &n.code),
        occupations: over(&pc.occupations, &cc.occupations, |n| &n.code),
    };
    let mut params = parent.params.clone();
    params.extend(child.params.clone());
    let mut reasons = parent.reasons.clone();
    for (kind, variants) in &child.reasons {
        reasons
            .entry(kind.clone())
            .or_default()
            .extend(variants.clone());
    }
    let mut routes: Vec<RouteSpec> = parent.routes.clone();
    let mut origins: Vec<Origin> = parent_origins.to_vec();
    for (index, route) in child.routes.iter().enumerate() {
        let origin = Origin {
            file: child_file.to_owned(),
            index,
        };
        match routes.iter().position(|r| r.key == route.key) {
            Some(i) if route.disabled => {
                routes.remove(i);
                origins.remove(i);
            }
            Some(i) => {
                routes[i] = route.clone();
                origins[i] = origin;
            }
            None if route.disabled => {}
            None => {
                routes.push(route.clone());
                origins.push(origin);
            }
        }
    }
    let merged = RuleSet {
        id: child.id.clone(),
        version: child.version.clone(),
        region: child.region.clone(),
        effective_from: child.effective_from,
        effective_to: child.effective_to,
        parent: child.parent.clone(),
        name: child.name.clone(),
        source: child.source.clone(),
        params,
        catalogue,
        reasons,
        routes,
    };
    (merged, origins)
}

/// Compiles a flattened set. `origins[i]` says which file and index route `i`
/// came from; `file` is blamed for set-wide problems (missing reason texts).
pub(crate) fn compile(
    set: RuleSet,
    origins: &[Origin],
    file: &str,
    region: String,
    based_on: Vec<RuleSetRef>,
) -> Result<ResolvedRuleSet, LoadError> {
    let err = |path: String, p: Problem| LoadError::invalid(file, path, p);
    let c = &set.catalogue;

    // The closed vocabularies must all be named in data.
    for l in SkillLevel::ALL {
        if !c.skill_levels.iter().any(|n| n.code == l.code()) {
            return Err(err(
                "catalogue.skill_levels".into(),
                Problem::Missing(l.code()),
            ));
        }
    }
    for l in TitleLevel::ALL {
        if !c.title_levels.iter().any(|n| n.code == l.code()) {
            return Err(err(
                "catalogue.title_levels".into(),
                Problem::Missing(l.code()),
            ));
        }
    }
    for (i, n) in c.skill_levels.iter().enumerate() {
        if SkillLevel::from_code(&n.code).is_none() {
            return Err(err(
                format!("catalogue.skill_levels[{i}].code"),
                Problem::UnknownCode {
                    what: "skill level",
                    code: n.code.clone(),
                },
            ));
        }
    }
    for (i, n) in c.title_levels.iter().enumerate() {
        if TitleLevel::from_code(&n.code).is_none() {
            return Err(err(
                format!("catalogue.title_levels[{i}].code"),
                Problem::UnknownCode {
                    what: "title level",
                    code: n.code.clone(),
                },
            ));
        }
    }
    for (list, len) in [
        ("catalogue.series", c.series.len()),
        ("catalogue.honours", c.honours.len()),
        ("catalogue.posts", c.posts.len()),
    ] {
        if len > MAX_BITS {
            return Err(err(list.into(), Problem::TooMany(MAX_BITS)));
        }
    }
    for (i, s) in c.series.iter().enumerate() {
        for level in s.titles.keys() {
            if TitleLevel::from_code(level).is_none() {
                return Err(err(
                    format!("catalogue.series[{i}].titles.{level}"),
                    Problem::UnknownCode {
                        what: "title level",
                        code: level.clone(),
                    },
                ));
            }
        }
    }
    let series_codes: Vec<String> = c.series.iter().map(|s| s.code.clone()).collect();
    let series_bit = |code: &str| {
        series_codes
            .iter()
            .position(|s| s == code)
            .map(|i| 1u64 << i)
    };
    let bridged = c
        .series
        .iter()
        .enumerate()
        .filter(|(_, s)| s.bridged)
        .fold(0u64, |m, (i, _)| m | 1 << i);

    let mut occupations = BTreeMap::new();
    for (i, o) in c.occupations.iter().enumerate() {
        let mut mask = 0;
        for (j, s) in o.series.iter().enumerate() {
            mask |= series_bit(s).ok_or_else(|| {
                err(
                    format!("catalogue.occupations[{i}].series[{j}]"),
                    Problem::UnknownCode {
                        what: "series",
                        code: s.clone(),
                    },
                )
            })?;
        }
        occupations.insert(o.code.clone(), mask);
    }
    let grades = c
        .review_grades
        .iter()
        .map(|g| (g.code.clone(), g.pass))
        .collect::<BTreeMap<_, _>>();
    if region != "national" && !c.regions.iter().any(|r| r.code == region) {
        return Err(err("region".into(), Problem::InvalidRegion(region)));
    }

    // Reason templates: every variant of every kind, both languages.
    let mut templates = Vec::with_capacity(Kind::ALL.len());
    for kind in Kind::ALL {
        let mut per = Vec::new();
        for variant in kind.variants() {
            let path = format!("reasons.{}.{variant}", kind.code());
            let text = set
                .reasons
                .get(kind.code())
                .and_then(|v| v.get(*variant))
                .ok_or_else(|| err(path.clone(), Problem::Missing("reason text")))?;
            let zh = parse_template(kind, &text.zh).map_err(|p| err(format!("{path}.zh"), p))?;
            let en = parse_template(kind, &text.en).map_err(|p| err(format!("{path}.en"), p))?;
            per.push((zh, en));
        }
        templates.push(per);
    }
    for (kind, variants) in &set.reasons {
        let k = Kind::from_code(kind).ok_or_else(|| {
            err(
                format!("reasons.{kind}"),
                Problem::UnknownCode {
                    what: "condition kind",
                    code: kind.clone(),
                },
            )
        })?;
        for variant in variants.keys() {
            if !k.variants().contains(&variant.as_str()) {
                return Err(err(
                    format!("reasons.{kind}.{variant}"),
                    Problem::UnknownCode {
                        what: "reason variant",
                        code: variant.clone(),
                    },
                ));
            }
        }
    }

    let mut routes = Vec::with_capacity(set.routes.len());
    let mut keys = BTreeSet::new();
    for (i, r) in set.routes.iter().enumerate() {
        let (rfile, ri) = origins
            .get(i)
            .map(|o| (o.file.as_str(), o.index))
            .unwrap_or((file, i));
        let at = |p: &str| format!("routes[{ri}]{p}");
        let rerr = |p: &str, problem| LoadError::invalid(rfile, at(p), problem);
        if !keys.insert(r.key.clone()) {
            return Err(rerr(
                ".key",
                Problem::Duplicate {
                    what: "route key",
                    code: r.key.clone(),
                },
            ));
        }
        for (j, m) in r.methods.iter().enumerate() {
            if !c.evaluation_methods.iter().any(|n| &n.code == m) {
                return Err(rerr(
                    &format!(".methods[{j}]"),
                    Problem::UnknownCode {
                        what: "evaluation method",
                        code: m.clone(),
                    },
                ));
            }
        }
        let target = compile_target(r, &set).map_err(|(p, problem)| rerr(&p, problem))?;
        let series = match target {
            CompiledTarget::Title(_) => {
                let mask = match &r.target.series {
                    None => bridged,
                    Some(list) => {
                        let mut m = 0;
                        for (j, s) in list.iter().enumerate() {
                            m |= series_bit(s).ok_or_else(|| {
                                rerr(
                                    &format!(".target.series[{j}]"),
                                    Problem::UnknownCode {
                                        what: "series",
                                        code: s.clone(),
                                    },
                                )
                            })?;
                        }
                        m
                    }
                };
                if mask == 0 {
                    return Err(rerr(".target.series", Problem::NoSeries));
                }
                mask
            }
            _ => 0,
        };
        let mut conditions = Vec::with_capacity(r.conditions.len());
        for (j, cs) in r.conditions.iter().enumerate() {
            let (kind, check) = compile_condition(cs, &set)
                .map_err(|(p, problem)| rerr(&format!(".conditions[{j}]{p}"), problem))?;
            conditions.push(CompiledCondition {
                kind,
                check,
                source: cs.source.clone(),
                default: cs.default,
            });
        }
        routes.push(CompiledRoute {
            key: r.key.clone(),
            route: r.route.clone(),
            target,
            series,
            conditions,
        });
    }

    let hash = content_hash(&set);
    Ok(ResolvedRuleSet {
        region,
        set,
        based_on,
        hash,
        series_codes,
        occupations,
        grades,
        routes,
        templates,
    })
}

type PathProblem = (String, Problem);

fn unknown(path: &str, what: &'static str, code: &str) -> PathProblem {
    (
        path.to_owned(),
        Problem::UnknownCode {
            what,
            code: code.to_owned(),
        },
    )
}

fn compile_target(r: &RouteSpec, set: &RuleSet) -> Result<CompiledTarget, PathProblem> {
    let t = &r.target;
    let level = || {
        t.level
            .as_deref()
            .ok_or((".target.level".to_owned(), Problem::Missing("level")))
    };
    match t.kind.as_str() {
        "title" => {
            if t.code.is_some() {
                return Err((".target.code".into(), Problem::NotAllowed("code")));
            }
            let l = level()?;
            TitleLevel::from_code(l)
                .map(CompiledTarget::Title)
                .ok_or_else(|| unknown(".target.level", "title level", l))
        }
        "skill" => {
            if t.series.is_some() {
                return Err((".target.series".into(), Problem::NotAllowed("series")));
            }
            let l = level()?;
            SkillLevel::from_code(l)
                .map(CompiledTarget::Skill)
                .ok_or_else(|| unknown(".target.level", "skill level", l))
        }
        "qualification" => {
            let code = t
                .code
                .as_deref()
                .ok_or((".target.code".to_owned(), Problem::Missing("code")))?;
            set.catalogue
                .qualifications
                .iter()
                .position(|q| q.code == code)
                .map(|i| CompiledTarget::Qualification(i as u16))
                .ok_or_else(|| unknown(".target.code", "qualification", code))
        }
        other => Err(unknown(".target.kind", "target kind", other)),
    }
}

fn compile_condition(c: &ConditionSpec, set: &RuleSet) -> Result<(Kind, Check), PathProblem> {
    let kind =
        Kind::from_code(&c.kind).ok_or_else(|| unknown(".kind", "condition kind", &c.kind))?;
    let skill = || -> Result<SkillLevel, PathProblem> {
        let l = c
            .level
            .as_deref()
            .ok_or((".level".to_owned(), Problem::Missing("level")))?;
        SkillLevel::from_code(l).ok_or_else(|| unknown(".level", "skill level", l))
    };
    let years = || -> Result<u32, PathProblem> {
        let y = c
            .years
            .ok_or((".years".to_owned(), Problem::Missing("years")))?;
        if y < 0 {
            return Err((".years".into(), Problem::Negative(y)));
        }
        u32::try_from(y)
            .ok()
            .filter(|y| *y <= 100)
            .ok_or((".years".into(), Problem::OutOfRange(y)))
    };
    let post = || -> Result<u8, PathProblem> {
        let p = c
            .post
            .as_deref()
            .ok_or((".post".to_owned(), Problem::Missing("post")))?;
        set.catalogue
            .posts
            .iter()
            .position(|x| x.code == p)
            .map(|i| i as u8)
            .ok_or_else(|| unknown(".post", "post", p))
    };
    // Refuse parameters the kind ignores: a stray `years` on the wrong
    // condition is an admin's mistake the engine would otherwise hide.
    let allowed: &[&str] = match kind {
        Kind::HoldsSkillLevel | Kind::HoldsTitle => &["level"],
        Kind::SkillWorkYears | Kind::LevelHeldYears => &["level", "years"],
        Kind::AnnualReviews | Kind::WorkYears => &["years"],
        Kind::HoldsHonour => &["any_of"],
        Kind::HoldsPost | Kind::HoldsPostCertificate => &["post"],
        Kind::SeriesMatchesOccupation | Kind::CommitteeDecides => &[],
        Kind::ExamConditionsConfigured => &["qualification", "configured"],
    };
    for (name, present) in [
        ("level", c.level.is_some()),
        ("years", c.years.is_some()),
        ("any_of", c.any_of.is_some()),
        ("post", c.post.is_some()),
        ("qualification", c.qualification.is_some()),
        ("configured", c.configured.is_some()),
    ] {
        if present && !allowed.contains(&name) {
            return Err((format!(".{name}"), Problem::NotAllowed(name)));
        }
    }
    let check = match kind {
        Kind::HoldsSkillLevel => Check::HoldsSkill(skill()?),
        Kind::SkillWorkYears => Check::SkillWorkYears(skill()?, years()?),
        Kind::LevelHeldYears => Check::LevelHeldYears(skill()?, years()?),
        Kind::AnnualReviews => Check::AnnualReviews(years()?),
        Kind::WorkYears => Check::WorkYears(years()?),
        Kind::HoldsTitle => {
            let l = c
                .level
                .as_deref()
                .ok_or((".level".to_owned(), Problem::Missing("level")))?;
            Check::HoldsTitle(
                TitleLevel::from_code(l).ok_or_else(|| unknown(".level", "title level", l))?,
            )
        }
        Kind::HoldsHonour => {
            let list = c
                .any_of
                .as_ref()
                .ok_or((".any_of".to_owned(), Problem::Missing("any_of")))?;
            if list.is_empty() {
                return Err((".any_of".into(), Problem::Missing("honour")));
            }
            let mut mask = 0u64;
            for (i, h) in list.iter().enumerate() {
                let idx = set
                    .catalogue
                    .honours
                    .iter()
                    .position(|x| &x.code == h)
                    .ok_or_else(|| unknown(&format!(".any_of[{i}]"), "honour", h))?;
                mask |= 1 << idx;
            }
            Check::HoldsHonour(mask)
        }
        Kind::HoldsPost => Check::HoldsPost(post()?),
        Kind::HoldsPostCertificate => Check::HoldsPostCertificate(post()?),
        Kind::SeriesMatchesOccupation => Check::SeriesMatchesOccupation,
        Kind::CommitteeDecides => Check::CommitteeDecides,
        Kind::ExamConditionsConfigured => {
            let q = c.qualification.as_deref().ok_or((
                ".qualification".to_owned(),
                Problem::Missing("qualification"),
            ))?;
            let idx = set
                .catalogue
                .qualifications
                .iter()
                .position(|x| x.code == q)
                .ok_or_else(|| unknown(".qualification", "qualification", q))?;
            Check::ExamConditionsConfigured(c.configured.unwrap_or(false), idx as u16)
        }
    };
    Ok((kind, check))
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use crate::Registry;

    fn national() -> super::ResolvedRuleSet {
        let day = crate::date::parse_iso("2026-01-01").unwrap();
        Registry::builtin()
            .unwrap()
            .resolve("national", day)
            .unwrap()
    }

    #[test]
    fn catalogue_lists_every_vocabulary_with_both_names() {
        let c = national().catalogue();
        assert_eq!(c.skill_levels.len(), 6);
        assert_eq!(c.title_levels.len(), 5);
        assert_eq!(c.qualifications.len(), 8);
        assert_eq!(c.honours.len(), 5);
        assert!(c.posts.iter().any(|p| p.code == "principal_technician"));
        assert!(c
            .occupations
            .iter()
            .any(|o| o.code == "6-18-01-01" && o.series == ["engineering"]));
        let heritage = c
            .series
            .iter()
            .find(|s| s.code == "cultural_heritage")
            .unwrap();
        assert!(
            !heritage.titles.contains_key("entry"),
            "文物博物 has no 员级 title"
        );
        assert_eq!(heritage.titles["senior"].zh, "研究馆员");
    }

    #[test]
    fn review_defaults_of_order_40_are_data() {
        let rs = national();
        assert_eq!(rs.param_ratio("review_quorum_ratio"), Some((2, 3)));
        assert_eq!(rs.param_ratio("review_pass_ratio"), Some((2, 3)));
        assert_eq!(
            rs.param_int("review_result_publicity_working_days"),
            Some(5)
        );
        assert!(rs.param("review_quorum_ratio").unwrap().default);
        // Yunnan's committee rule is not part of the national baseline.
        assert_eq!(rs.param("review_separate_group_threshold"), None);
    }

    #[test]
    fn ratios_must_be_proper_fractions() {
        assert_eq!(super::parse_ratio("1/2"), Some((1, 2)));
        assert_eq!(super::parse_ratio("3/2"), None);
        assert_eq!(super::parse_ratio("0/2"), None);
        assert_eq!(super::parse_ratio("half"), None);
    }
}
