//! Typed errors of the engine: loading/validating rule sets, resolving one for a
//! region and date, and parsing a person's facts.

use chrono::NaiveDate;
use serde::Serialize;

use crate::vocab::Bilingual;

/// A rule-set file that cannot be used, naming the file and the path inside it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: not a valid rule set: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: {path}: {problem}")]
    Invalid {
        file: String,
        /// Path inside the file, e.g. `routes[2].conditions[0].years`.
        path: String,
        problem: Problem,
    },
}

impl LoadError {
    pub(crate) fn invalid(file: &str, path: impl Into<String>, problem: Problem) -> Self {
        LoadError::Invalid {
            file: file.to_owned(),
            path: path.into(),
            problem,
        }
    }

    /// The path inside the file, when the error has one.
    pub fn path(&self) -> Option<&str> {
        match self {
            LoadError::Parse { .. } => None,
            LoadError::Invalid { path, .. } => Some(path),
        }
    }

    /// The file the error is in.
    pub fn file(&self) -> &str {
        match self {
            LoadError::Parse { file, .. } | LoadError::Invalid { file, .. } => file,
        }
    }
}

/// What is wrong at a path of a rule-set file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("unknown {what} code `{code}`")]
    UnknownCode { what: &'static str, code: String },
    #[error("duplicate {what} `{code}`")]
    Duplicate { what: &'static str, code: String },
    #[error("missing {0}")]
    Missing(&'static str),
    #[error("`{0}` does not apply to this kind of condition or target")]
    NotAllowed(&'static str),
    #[error("must not be negative (got {0})")]
    Negative(i64),
    #[error("value {0} is out of range")]
    OutOfRange(i64),
    #[error("`{0}` is not `national` nor a GB/T 2260 province code")]
    InvalidRegion(String),
    #[error("effective_to {to} is before effective_from {from}")]
    DatesReversed { from: NaiveDate, to: NaiveDate },
    #[error("in force on overlapping dates with `{other}` for the same region")]
    Overlap { other: String },
    #[error("parent `{0}` has no rule set in force throughout this set's period")]
    ParentMissing(String),
    #[error("a national baseline set cannot have a parent, and a provincial one needs one")]
    Parentage,
    #[error("unknown placeholder `{{{0}}}` in a reason template")]
    UnknownPlaceholder(String),
    #[error("unclosed `{{` in a reason template")]
    UnclosedPlaceholder,
    #[error("`{0}` is not a ratio `a/b` with 0 < a <= b")]
    InvalidRatio(String),
    #[error("more than {0} entries: the engine keeps these as bit sets")]
    TooMany(usize),
    #[error("a route with this target must have at least one series")]
    NoSeries,
}

/// Why no rule set could be resolved for a region and date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("`{0}` is not `national` nor a GB/T 2260 province code")]
    UnknownRegion(String),
    /// Before 96号文 took effect (2020-12-30) there is no rule set in force.
    #[error("no rule set is in force for region `{region}` on {as_of}")]
    NotInForce { region: String, as_of: NaiveDate },
    #[error(transparent)]
    Invalid(#[from] LoadError),
}

impl ResolveError {
    /// A stable code for API error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            ResolveError::UnknownRegion(_) => "unknown_region",
            ResolveError::NotInForce { .. } => "not_in_force",
            ResolveError::Invalid(_) => "invalid_rule_set",
        }
    }

    /// A bilingual message for users.
    pub fn message(&self) -> Bilingual {
        match self {
            ResolveError::UnknownRegion(r) => Bilingual::new(
                format!("地区代码“{r}”无效：应为 national 或两位省级行政区划代码"),
                format!("Region `{r}` is invalid: use `national` or a two-digit province code"),
            ),
            ResolveError::NotInForce { region, as_of } => Bilingual::new(
                format!("{as_of}在地区“{region}”没有生效的贯通政策规则"),
                format!("No rule set is in force for region `{region}` on {as_of}"),
            ),
            ResolveError::Invalid(e) => Bilingual::new(
                format!("规则集无效：{e}"),
                format!("The rule set is invalid: {e}"),
            ),
        }
    }
}

/// A person's fact that cannot be accepted, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: {code}: {}", message.en)]
pub struct InputError {
    /// `unknown_code`, `invalid_date`, `future_date`, `negative_number`,
    /// `impossible_years`, `invalid_year`, `missing_field`, `not_whole_years`.
    pub code: &'static str,
    /// JSON path of the field, e.g. `person.skill_levels[0].obtained_on`.
    pub field: String,
    pub message: Bilingual,
}
