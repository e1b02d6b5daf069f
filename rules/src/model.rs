//! The data form of a rule set, exactly as written in `rules/data/*.toml` and as
//! shipped to the browser in JSON. Codes are plain strings here: they are checked
//! against the catalogue when the set is validated, so an error can name the path.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::vocab::Bilingual;

/// One rule set: a policy document (or a province's detailed rules) with the
/// period it is in force, its catalogue and its routes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleSet {
    /// Stable identifier, e.g. `national-2020`.
    pub id: String,
    /// Version of this set's content; bumps when admins publish changes.
    pub version: String,
    /// `national` or a GB/T 2260 province code such as `53`.
    pub region: String,
    pub effective_from: NaiveDate,
    /// Last day in force (inclusive); absent while in force indefinitely.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_to: Option<NaiveDate>,
    /// Region whose set (in force on the same day) this one overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub name: Bilingual,
    /// The document(s) this set implements.
    pub source: String,
    /// Numeric and procedural parameters (e.g. the 40号令 review defaults).
    #[serde(default)]
    pub params: BTreeMap<String, Param>,
    #[serde(default)]
    pub catalogue: Catalogue,
    /// Reason templates: condition kind → variant → text with `{placeholders}`.
    #[serde(default)]
    pub reasons: BTreeMap<String, BTreeMap<String, Bilingual>>,
    #[serde(default)]
    pub routes: Vec<RouteSpec>,
}

/// A named parameter with its source, e.g. `review_pass_ratio = "2/3"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Param {
    pub value: ParamValue,
    /// `ratio` (value `"a/b"`), `working_days`, `years`, `people`, … free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub zh: String,
    pub en: String,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// A product default (POLICY §6/§8) that admins are expected to review.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
}

/// A parameter's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ParamValue {
    Bool(bool),
    Int(i64),
    Text(String),
}

/// Vocabulary that admins extend. A child set's entries replace the parent's
/// entry with the same code, or are appended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Catalogue {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skill_levels: Vec<Named>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub title_levels: Vec<Named>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub posts: Vec<Named>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<Series>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qualifications: Vec<Named>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub honours: Vec<Named>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evaluation_methods: Vec<Named>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub achievement_kinds: Vec<Named>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub review_grades: Vec<ReviewGrade>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Named>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub occupations: Vec<Occupation>,
}

/// A vocabulary item with its names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Named {
    pub code: String,
    pub zh: String,
    pub en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Bilingual>,
}

/// A title series 职称系列.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Series {
    pub code: String,
    pub zh: String,
    pub en: String,
    /// Open to high-skill talents (贯通领域).
    #[serde(default)]
    pub bridged: bool,
    /// Open only where the work has technical content (云人社通28号 四); the
    /// committee judges that, so the engine shows it but cannot check it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub requires_technical_content: bool,
    /// Title name per title level code; a level with no title is absent.
    #[serde(default)]
    pub titles: BTreeMap<String, Bilingual>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Bilingual>,
}

/// An annual assessment grade 年度考核等次 and whether it counts as 合格.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewGrade {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub pass: bool,
}

/// An occupation of 《职业分类大典》 and the series it corresponds to (专业对应关系).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Occupation {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub series: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialty: Option<Bilingual>,
}

/// A route: a target, and the conditions that open it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RouteSpec {
    /// Unique key within the resolved set; a child set replaces a route by key.
    pub key: String,
    /// The route code reported to users (`skill_ladder`, `green_channel`, …).
    pub route: String,
    pub target: TargetSpec,
    pub source: String,
    pub quote: String,
    /// Set in a child set to drop the parent's route with this key.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Bilingual>,
    #[serde(default)]
    pub conditions: Vec<ConditionSpec>,
    /// The evaluation methods (`catalogue.evaluation_methods` codes) a review of this route
    /// scores, in the order the experts' form shows them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<String>,
}

/// What a route leads to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetSpec {
    /// `title`, `skill` or `qualification`.
    pub kind: String,
    /// A title level or skill level code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Title series this route is limited to; absent = every bridged series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<Vec<String>>,
    /// Qualification code, for `qualification` targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// One condition of a route. Which parameters are required depends on `kind`;
/// validation names the missing or wrong one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConditionSpec {
    pub kind: String,
    pub source: String,
    pub quote: String,
    /// A product default where the texts are silent (POLICY §8).
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any_of: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configured: Option<bool>,
}

fn is_false(b: &bool) -> bool {
    !*b
}
