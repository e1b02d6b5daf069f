//! The registry of rule sets: loads and validates every file, then answers
//! "which rules are in force for this region on this day" with overrides applied.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{LoadError, Problem, ResolveError};
use crate::model::{ParamValue, RuleSet};
use crate::resolved::{
    compile, content_hash, merge, parse_ratio, region_well_formed, Origin, ResolvedRuleSet,
    RuleSetRef,
};
use crate::vocab::Bilingual;

/// The built-in data files, embedded at compile time (not I/O).
#[cfg(feature = "toml")]
const BUILTIN: &[(&str, &str)] = &[
    ("national.toml", include_str!("../data/national.toml")),
    ("yunnan.toml", include_str!("../data/yunnan.toml")),
    ("shandong.toml", include_str!("../data/shandong.toml")),
];

/// Validated rule sets, any number of versions per region.
#[derive(Debug, Clone)]
pub struct Registry {
    sets: Vec<Source>,
}

#[derive(Debug, Clone)]
struct Source {
    file: String,
    set: RuleSet,
    hash: String,
}

/// Where a rule set version stands on a day (`../shared/API.md`: `status`). The shipped and
/// published versions are scheduled, in force or superseded by their dates; drafts and versions
/// awaiting a second administrator's approval are the rules administration's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VersionStatus {
    Draft,
    AwaitingApproval,
    Scheduled,
    InForce,
    Superseded,
}

/// One rule set version, for listings and receipts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleSetSummary {
    pub id: String,
    pub version: String,
    pub region: String,
    pub name: Bilingual,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub parent: Option<String>,
    pub file: String,
    /// Stable hash of the set's own canonical content (FNV-1a 64, hex).
    pub content_hash: String,
}

impl Registry {
    /// The rule sets shipped in `rules/data`.
    #[cfg(feature = "toml")]
    pub fn builtin() -> Result<Registry, LoadError> {
        Registry::from_sources(BUILTIN)
    }

    /// Parses and validates TOML sources given as `(file name, text)`.
    #[cfg(feature = "toml")]
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<Registry, LoadError> {
        let mut sets = Vec::with_capacity(sources.len());
        for (file, text) in sources {
            let set: RuleSet = toml::from_str(text).map_err(|e| LoadError::Parse {
                file: (*file).to_owned(),
                message: e.to_string(),
            })?;
            sets.push(((*file).to_owned(), set));
        }
        Registry::from_rule_sets(sets)
    }

    /// Validates rule sets already in memory (e.g. drafts from the database).
    pub fn from_rule_sets(sets: Vec<(String, RuleSet)>) -> Result<Registry, LoadError> {
        for (file, set) in &sets {
            check_shape(file, set)?;
        }
        for (i, (file, a)) in sets.iter().enumerate() {
            for (other_file, b) in &sets[..i] {
                if a.id == b.id {
                    return Err(LoadError::invalid(
                        file,
                        "id",
                        Problem::Duplicate {
                            what: "rule set id",
                            code: format!("{} (also in {other_file})", a.id),
                        },
                    ));
                }
                if a.region == b.region && overlaps(a, b) {
                    return Err(LoadError::invalid(
                        file,
                        "effective_from",
                        Problem::Overlap {
                            other: b.id.clone(),
                        },
                    ));
                }
            }
        }
        let registry = Registry {
            sets: sets
                .into_iter()
                .map(|(file, set)| Source {
                    hash: content_hash(&set),
                    file,
                    set,
                })
                .collect(),
        };
        for s in &registry.sets {
            if let Some(parent) = &s.set.parent {
                registry.check_parent_covers(s, parent)?;
            }
            // Compile on every day the flattened content can change: the set's
            // first day and each later start of a set it inherits from.
            let mut days = vec![s.set.effective_from];
            let mut region = s.set.parent.clone();
            while let Some(r) = region {
                for p in registry.sets.iter().filter(|p| p.set.region == r) {
                    if p.set.effective_from > s.set.effective_from
                        && in_period(&s.set, p.set.effective_from)
                    {
                        days.push(p.set.effective_from);
                    }
                }
                region = registry
                    .sets
                    .iter()
                    .find(|p| p.set.region == r)
                    .and_then(|p| p.set.parent.clone());
            }
            for day in days {
                registry.flatten_compile(s, s.set.region.clone(), day)?;
            }
        }
        Ok(registry)
    }

    /// Every rule set version, in file order.
    pub fn list(&self) -> Vec<RuleSetSummary> {
        self.sets
            .iter()
            .map(|s| RuleSetSummary {
                id: s.set.id.clone(),
                version: s.set.version.clone(),
                region: s.set.region.clone(),
                name: s.set.name.clone(),
                effective_from: s.set.effective_from,
                effective_to: s.set.effective_to,
                parent: s.set.parent.clone(),
                file: s.file.clone(),
                content_hash: s.hash.clone(),
            })
            .collect()
    }

    /// A rule set's own (unflattened) data by id.
    pub fn get(&self, id: &str) -> Option<&RuleSet> {
        self.sets.iter().find(|s| s.set.id == id).map(|s| &s.set)
    }

    /// The rules in force for `region` on `as_of`: the region's own set with its
    /// overrides applied over the national baseline, or the baseline alone for
    /// a province without a set of its own.
    pub fn resolve(&self, region: &str, as_of: NaiveDate) -> Result<ResolvedRuleSet, ResolveError> {
        if !region_well_formed(region) {
            return Err(ResolveError::UnknownRegion(region.to_owned()));
        }
        let not_in_force = || ResolveError::NotInForce {
            region: region.to_owned(),
            as_of,
        };
        let national = self.in_force("national", as_of).ok_or_else(not_in_force)?;
        if region != "national"
            && !national
                .set
                .catalogue
                .regions
                .iter()
                .any(|r| r.code == region)
        {
            return Err(ResolveError::UnknownRegion(region.to_owned()));
        }
        let leaf = self.in_force(region, as_of).unwrap_or(national);
        Ok(self.flatten_compile(leaf, region.to_owned(), as_of)?)
    }

    fn in_force(&self, region: &str, day: NaiveDate) -> Option<&Source> {
        self.sets
            .iter()
            .find(|s| s.set.region == region && in_period(&s.set, day))
    }

    /// Flattens `leaf` over its ancestors in force on `day` and compiles it.
    fn flatten_compile(
        &self,
        leaf: &Source,
        region: String,
        day: NaiveDate,
    ) -> Result<ResolvedRuleSet, LoadError> {
        let mut chain = vec![leaf];
        let mut cursor = leaf;
        while let Some(parent) = &cursor.set.parent {
            let p = self
                .in_force(parent, day.max(cursor.set.effective_from))
                .ok_or_else(|| {
                    LoadError::invalid(
                        &cursor.file,
                        "parent",
                        Problem::ParentMissing(parent.clone()),
                    )
                })?;
            if chain.len() > 8 || chain.iter().any(|c| c.set.id == p.set.id) {
                return Err(LoadError::invalid(
                    &cursor.file,
                    "parent",
                    Problem::Parentage,
                ));
            }
            chain.push(p);
            cursor = p;
        }
        chain.reverse();
        let root = chain[0];
        let mut flat = root.set.clone();
        let mut origins: Vec<Origin> = (0..flat.routes.len())
            .map(|index| Origin {
                file: root.file.clone(),
                index,
            })
            .collect();
        for child in &chain[1..] {
            let (f, o) = merge(&flat, &origins, &child.set, &child.file);
            flat = f;
            origins = o;
        }
        let based_on = chain
            .iter()
            .map(|s| RuleSetRef {
                id: s.set.id.clone(),
                version: s.set.version.clone(),
                effective_from: s.set.effective_from,
            })
            .collect();
        compile(flat, &origins, &leaf.file, region, based_on)
    }

    /// A provincial set must have its parent in force on every day it is.
    fn check_parent_covers(&self, s: &Source, parent: &str) -> Result<(), LoadError> {
        let missing =
            || LoadError::invalid(&s.file, "parent", Problem::ParentMissing(parent.to_owned()));
        let mut day = s.set.effective_from;
        loop {
            let p = self.in_force(parent, day).ok_or_else(missing)?;
            match (p.set.effective_to, s.set.effective_to) {
                (None, _) => return Ok(()),
                (Some(pto), Some(sto)) if pto >= sto => return Ok(()),
                (Some(pto), _) => day = pto.succ_opt().ok_or_else(missing)?,
            }
        }
    }
}

fn in_period(set: &RuleSet, day: NaiveDate) -> bool {
    set.effective_from <= day && set.effective_to.is_none_or(|to| day <= to)
}

fn overlaps(a: &RuleSet, b: &RuleSet) -> bool {
    let a_to = a.effective_to.unwrap_or(NaiveDate::MAX);
    let b_to = b.effective_to.unwrap_or(NaiveDate::MAX);
    a.effective_from <= b_to && b.effective_from <= a_to
}

/// Checks a file on its own: what can be judged without its parent.
fn check_shape(file: &str, set: &RuleSet) -> Result<(), LoadError> {
    let bad = |path: String, p: Problem| Err(LoadError::invalid(file, path, p));
    if set.id.trim().is_empty() {
        return bad("id".into(), Problem::Missing("id"));
    }
    if set.version.trim().is_empty() {
        return bad("version".into(), Problem::Missing("version"));
    }
    if !region_well_formed(&set.region) {
        return bad("region".into(), Problem::InvalidRegion(set.region.clone()));
    }
    if (set.region == "national") != set.parent.is_none() {
        return bad("parent".into(), Problem::Parentage);
    }
    if let Some(p) = &set.parent {
        if !region_well_formed(p) {
            return bad("parent".into(), Problem::InvalidRegion(p.clone()));
        }
    }
    if let Some(to) = set.effective_to {
        if to < set.effective_from {
            return bad(
                "effective_to".into(),
                Problem::DatesReversed {
                    from: set.effective_from,
                    to,
                },
            );
        }
    }
    names(file, "name", &set.name.zh, &set.name.en)?;
    for (key, p) in &set.params {
        let path = format!("params.{key}");
        names(file, &path, &p.zh, &p.en)?;
        match &p.value {
            ParamValue::Int(i) if *i < 0 => {
                return bad(format!("{path}.value"), Problem::Negative(*i))
            }
            ParamValue::Text(t)
                if p.unit.as_deref() == Some("ratio") && parse_ratio(t).is_none() =>
            {
                return bad(format!("{path}.value"), Problem::InvalidRatio(t.clone()))
            }
            _ => {}
        }
    }
    let c = &set.catalogue;
    check_list(file, "skill_levels", &c.skill_levels)?;
    check_list(file, "title_levels", &c.title_levels)?;
    check_list(file, "posts", &c.posts)?;
    check_list(file, "series", &c.series)?;
    check_list(file, "qualifications", &c.qualifications)?;
    check_list(file, "honours", &c.honours)?;
    check_list(file, "evaluation_methods", &c.evaluation_methods)?;
    check_list(file, "achievement_kinds", &c.achievement_kinds)?;
    check_list(file, "review_grades", &c.review_grades)?;
    check_list(file, "regions", &c.regions)?;
    check_list(file, "occupations", &c.occupations)?;
    for (i, s) in c.series.iter().enumerate() {
        for (level, t) in &s.titles {
            names(
                file,
                &format!("catalogue.series[{i}].titles.{level}"),
                &t.zh,
                &t.en,
            )?;
        }
    }
    for (i, r) in set.routes.iter().enumerate() {
        let path = format!("routes[{i}]");
        if r.key.trim().is_empty() {
            return bad(format!("{path}.key"), Problem::Missing("key"));
        }
        if set.routes[..i].iter().any(|o| o.key == r.key) {
            return bad(
                format!("{path}.key"),
                Problem::Duplicate {
                    what: "route key",
                    code: r.key.clone(),
                },
            );
        }
        if r.disabled {
            continue;
        }
        if r.route.trim().is_empty() {
            return bad(format!("{path}.route"), Problem::Missing("route"));
        }
        if r.source.trim().is_empty() {
            return bad(format!("{path}.source"), Problem::Missing("source"));
        }
        if r.quote.trim().is_empty() {
            return bad(format!("{path}.quote"), Problem::Missing("quote"));
        }
        for (j, cond) in r.conditions.iter().enumerate() {
            let cpath = format!("{path}.conditions[{j}]");
            if cond.source.trim().is_empty() {
                return bad(format!("{cpath}.source"), Problem::Missing("source"));
            }
            if cond.quote.trim().is_empty() {
                return bad(format!("{cpath}.quote"), Problem::Missing("quote"));
            }
            if let Some(y) = cond.years.filter(|y| *y < 0) {
                return bad(format!("{cpath}.years"), Problem::Negative(y));
            }
        }
    }
    for (kind, variants) in &set.reasons {
        for (variant, text) in variants {
            names(
                file,
                &format!("reasons.{kind}.{variant}"),
                &text.zh,
                &text.en,
            )?;
        }
    }
    Ok(())
}

/// A catalogue entry: a code with names in both languages.
trait Coded {
    fn parts(&self) -> (&str, &str, &str);
}

macro_rules! coded {
    ($($t:ty),*) => {$(
        impl Coded for $t {
            fn parts(&self) -> (&str, &str, &str) {
                (&self.code, &self.zh, &self.en)
            }
        }
    )*};
}
coded!(
    crate::model::Named,
    crate::model::Series,
    crate::model::ReviewGrade,
    crate::model::Occupation
);

/// Every entry has a code and both names, and codes are unique in the list.
fn check_list<T: Coded>(file: &str, list: &str, items: &[T]) -> Result<(), LoadError> {
    for (i, item) in items.iter().enumerate() {
        let (code, zh, en) = item.parts();
        let path = format!("catalogue.{list}[{i}]");
        if code.trim().is_empty() {
            return Err(LoadError::invalid(
                file,
                format!("{path}.code"),
                Problem::Missing("code"),
            ));
        }
        names(file, &path, zh, en)?;
        if items[..i].iter().any(|o| o.parts().0 == code) {
            return Err(LoadError::invalid(
                file,
                format!("{path}.code"),
                Problem::Duplicate {
                    what: "code",
                    code: code.to_owned(),
                },
            ));
        }
    }
    Ok(())
}

fn names(file: &str, path: &str, zh: &str, en: &str) -> Result<(), LoadError> {
    if zh.trim().is_empty() {
        return Err(LoadError::invalid(
            file,
            format!("{path}.zh"),
            Problem::Missing("zh"),
        ));
    }
    if en.trim().is_empty() {
        return Err(LoadError::invalid(
            file,
            format!("{path}.en"),
            Problem::Missing("en"),
        ));
    }
    Ok(())
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::date::parse_iso(s).unwrap()
    }

    fn national() -> &'static str {
        BUILTIN[0].1
    }

    /// A minimal provincial file that overrides one route of the baseline.
    const CHILD: &str = r#"
id = "test-44"
version = "1"
region = "44"
parent = "national"
effective_from = "2022-01-01"
name = { zh = "测试", en = "test" }
source = "test"

[[routes]]
key = "skill_ladder.assistant"
route = "skill_ladder"
target = { kind = "title", level = "assistant" }
source = "test"
quote = "test"

[[routes.conditions]]
kind = "skill_work_years"
level = "senior_worker"
years = 1
source = "test"
quote = "test"
"#;

    #[test]
    fn shipped_data_load_and_validate() {
        let r = Registry::builtin().expect("builtin data are valid");
        let ids: Vec<String> = r.list().into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["national-2020", "yunnan-2021", "shandong-2020"]);
        for s in r.list() {
            assert_eq!(s.content_hash.len(), 16);
        }
    }

    #[test]
    fn content_hash_is_stable_across_loads() {
        let a = Registry::builtin().unwrap().list();
        let b = Registry::builtin().unwrap().list();
        assert_eq!(a, b);
    }

    #[test]
    fn province_without_own_set_falls_back_to_national() {
        let r = Registry::builtin().unwrap();
        let rs = r.resolve("44", day("2026-01-01")).unwrap();
        assert_eq!(rs.region(), "44");
        assert_eq!(rs.rule_set_ref().id, "national-2020");
    }

    #[test]
    fn yunnan_takes_effect_on_the_ninth_of_april_2021() {
        let r = Registry::builtin().unwrap();
        assert_eq!(
            r.resolve("53", day("2021-04-08"))
                .unwrap()
                .rule_set_ref()
                .id,
            "national-2020"
        );
        let rs = r.resolve("53", day("2021-04-09")).unwrap();
        assert_eq!(rs.rule_set_ref().id, "yunnan-2021");
        assert_eq!(rs.param_int("review_separate_group_threshold"), Some(5));
        assert_eq!(
            rs.param_ratio("review_high_skill_reviewer_ratio"),
            Some((1, 2))
        );
        // Inherited from 40号令 defaults in the national set.
        assert_eq!(rs.param_ratio("review_pass_ratio"), Some((2, 3)));
    }

    #[test]
    fn nothing_is_in_force_before_96_wen() {
        let r = Registry::builtin().unwrap();
        assert!(matches!(
            r.resolve("national", day("2020-12-29")),
            Err(ResolveError::NotInForce { .. })
        ));
    }

    #[test]
    fn malformed_and_unknown_regions_are_refused() {
        let r = Registry::builtin().unwrap();
        for bad in ["5", "530000", "99", "", "yunnan"] {
            assert!(
                matches!(
                    r.resolve(bad, day("2026-01-01")),
                    Err(ResolveError::UnknownRegion(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn child_route_replaces_the_parent_route_with_the_same_key() {
        let r = Registry::from_sources(&[("national.toml", national()), ("child.toml", CHILD)])
            .unwrap();
        let rs = r.resolve("44", day("2023-01-01")).unwrap();
        let route = rs
            .data()
            .routes
            .iter()
            .find(|r| r.key == "skill_ladder.assistant")
            .unwrap();
        assert_eq!(route.conditions.len(), 1);
        assert_eq!(rs.based_on().len(), 2);
        // Before the child starts, the baseline applies unchanged.
        let before = r.resolve("44", day("2021-12-31")).unwrap();
        assert_eq!(before.rule_set_ref().id, "national-2020");
    }

    #[test]
    fn resolved_set_round_trips_through_json() {
        let r = Registry::builtin().unwrap();
        let rs = r.resolve("37", day("2026-01-01")).unwrap();
        let json = serde_json::to_string(&rs).unwrap();
        let back: ResolvedRuleSet = serde_json::from_str(&json).unwrap();
        assert_eq!(back, rs);
        assert_eq!(back.routes.len(), rs.routes.len());
    }

    #[test]
    fn tampered_json_rule_set_is_refused() {
        let r = Registry::builtin().unwrap();
        let rs = r.resolve("national", day("2026-01-01")).unwrap();
        let json = serde_json::to_string(&rs)
            .unwrap()
            .replace("\"years\":3", "\"years\":1");
        assert!(serde_json::from_str::<ResolvedRuleSet>(&json).is_err());
    }

    fn refused(files: &[(&str, &str)]) -> LoadError {
        Registry::from_sources(files).expect_err("must be refused")
    }

    #[test]
    fn negative_years_are_refused_with_their_path() {
        let bad = CHILD.replace("years = 1", "years = -2");
        let e = refused(&[("national.toml", national()), ("child.toml", &bad)]);
        assert_eq!(e.file(), "child.toml");
        assert_eq!(e.path(), Some("routes[0].conditions[0].years"));
        assert!(e.to_string().contains("negative"), "{e}");
    }

    #[test]
    fn unknown_level_code_is_refused_with_its_path() {
        let bad = CHILD.replace("level = \"senior_worker\"", "level = \"grand_master\"");
        let e = refused(&[("national.toml", national()), ("child.toml", &bad)]);
        assert_eq!(e.path(), Some("routes[0].conditions[0].level"));
        assert!(matches!(
            e,
            LoadError::Invalid {
                problem: Problem::UnknownCode { .. },
                ..
            }
        ));
    }

    #[test]
    fn a_route_scores_known_evaluation_methods_only() {
        let r = Registry::builtin().unwrap();
        let rules = r.resolve("53", "2026-12-01".parse().unwrap()).unwrap();
        assert_eq!(
            rules.methods_of("skill_ladder.intermediate"),
            ["performance_review", "interview"]
        );
        assert!(rules.methods_of("no_such_route").is_empty());
        let bad = national().replacen(
            "methods = [\"performance_review\"",
            "methods = [\"telepathy\"",
            1,
        );
        let e = refused(&[("national.toml", &bad)]);
        assert_eq!(e.path(), Some("routes[0].methods[0]"));
        assert!(e.to_string().contains("telepathy"), "{e}");
    }

    #[test]
    fn unknown_honour_in_the_baseline_is_refused_with_its_path() {
        let bad = national().replacen("\"china_skills_award\",", "\"nobel_prize\",", 1);
        let e = refused(&[("national.toml", &bad)]);
        assert_eq!(e.file(), "national.toml");
        assert!(
            e.path().unwrap().ends_with(".conditions[0].any_of[0]"),
            "{e}"
        );
    }

    #[test]
    fn missing_parent_is_refused() {
        let e = refused(&[("child.toml", CHILD)]);
        assert_eq!(e.path(), Some("parent"));
        assert!(matches!(
            e,
            LoadError::Invalid {
                problem: Problem::ParentMissing(_),
                ..
            }
        ));
    }

    #[test]
    fn overlapping_sets_for_one_region_are_refused() {
        let second = CHILD
            .replace("test-44", "test-44b")
            .replace("2022-01-01", "2023-06-01");
        let e = refused(&[
            ("national.toml", national()),
            ("a.toml", CHILD),
            ("b.toml", &second),
        ]);
        assert_eq!(e.file(), "b.toml");
        assert!(matches!(
            e,
            LoadError::Invalid {
                problem: Problem::Overlap { .. },
                ..
            }
        ));
    }

    #[test]
    fn missing_english_name_is_refused() {
        let bad = national().replacen("en = \"apprentice\"", "en = \"\"", 1);
        let e = refused(&[("national.toml", &bad)]);
        assert_eq!(e.path(), Some("catalogue.skill_levels[0].en"));
    }

    #[test]
    fn unknown_placeholder_in_a_reason_is_refused() {
        let bad = national().replacen(
            "Holds {held} since {since}",
            "Holds {hold} since {since}",
            1,
        );
        let e = refused(&[("national.toml", &bad)]);
        assert_eq!(e.path(), Some("reasons.holds_skill_level.met.en"));
    }

    #[test]
    fn a_file_that_is_not_toml_is_refused_naming_the_file() {
        let e = refused(&[("junk.toml", "id = [")]);
        assert!(matches!(e, LoadError::Parse { .. }));
        assert_eq!(e.file(), "junk.toml");
    }

    #[test]
    fn invalid_ratio_parameter_is_refused() {
        let bad = national().replacen("value = \"2/3\"", "value = \"3/2\"", 1);
        let e = refused(&[("national.toml", &bad)]);
        assert_eq!(e.path(), Some("params.review_quorum_ratio.value"));
    }

    #[test]
    fn route_dropped_by_a_child_disappears() {
        let drop = format!(
            "{}\n[[routes]]\nkey = \"promotion.junior_worker\"\nroute = \"promotion\"\ntarget = {{ kind = \"skill\", level = \"junior_worker\" }}\nsource = \"x\"\nquote = \"x\"\ndisabled = true\n",
            CHILD
        );
        let r = Registry::from_sources(&[("national.toml", national()), ("child.toml", &drop)])
            .unwrap();
        let rs = r.resolve("44", day("2023-01-01")).unwrap();
        assert!(rs
            .data()
            .routes
            .iter()
            .all(|r| r.key != "promotion.junior_worker"));
    }

    /// The quotes must be verbatim: checked against the seed texts when the
    /// shared folder sits beside the repository (as in CI); skipped otherwise.
    #[test]
    fn quotes_are_verbatim_from_the_sources() {
        let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds");
        let Ok(a) = std::fs::read_to_string(base.join("001_7e763686a073978f.txt")) else {
            return;
        };
        let b = std::fs::read_to_string(base.join("000_cb3298f793a5b95d.txt")).unwrap_or_default();
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let text = squash(&a) + &squash(&b);
        let r = Registry::builtin().unwrap();
        for s in r.list() {
            let set = r.get(&s.id).unwrap();
            for route in &set.routes {
                assert!(
                    text.contains(&squash(&route.quote)),
                    "{}: {}",
                    route.key,
                    route.quote
                );
                for c in &route.conditions {
                    assert!(
                        text.contains(&squash(&c.quote)),
                        "{}: {}",
                        route.key,
                        c.quote
                    );
                }
            }
            for (k, p) in &set.params {
                if let Some(q) = &p.quote {
                    assert!(text.contains(&squash(q)), "{k}: {q}");
                }
            }
        }
    }
}
