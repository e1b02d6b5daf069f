//! The data of the committee pages: `/admin/committees` (the provincial admin's list, create
//! and filing forms) and `/committees/{code}` (a committee's record and its expert pool). The
//! server words every problem (both languages) before it puts these in context.

use super::{Bi, Choice, FieldProblem, Notice, P};

/// A committee's filing as the pages show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilingView {
    InForce { number: String, until: String },
    Lapsed { number: String, on: String },
    NotYet { number: String, from: String },
    NotFiled,
}

impl FilingView {
    /// The filing's status in one line.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        match self {
            FilingView::InForce { number, until } => P::FilingInForce
                .text(lang)
                .replace("{date}", until)
                .replace("{number}", number),
            FilingView::Lapsed { number, on } => P::FilingLapsed
                .text(lang)
                .replace("{date}", on)
                .replace("{number}", number),
            FilingView::NotYet { number, from } => P::FilingNotYet
                .text(lang)
                .replace("{date}", from)
                .replace("{number}", number),
            FilingView::NotFiled => P::FilingNone.text(lang).to_owned(),
        }
    }

    /// `in_force`, `lapsed`, `not_yet` or `not_filed` (for tests and styling).
    pub fn code(&self) -> &'static str {
        match self {
            FilingView::InForce { .. } => "in_force",
            FilingView::Lapsed { .. } => "lapsed",
            FilingView::NotYet { .. } => "not_yet",
            FilingView::NotFiled => "not_filed",
        }
    }
}

/// A committee as listed and as its page heads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitteeView {
    pub code: String,
    pub name: String,
    pub region: String,
    pub organiser: String,
    pub series: Bi,
    /// The tiers' names, highest first.
    pub tiers: Vec<P>,
    pub specialty: String,
    pub self_review: bool,
    pub entrusting: String,
    pub filing: FilingView,
}

/// The create form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommitteeForm {
    pub region: String,
    pub code: String,
    pub name: String,
    pub organiser: String,
    pub series: String,
    pub tiers: Vec<String>,
    pub specialty: String,
    pub self_review: bool,
    pub entrusting: String,
}

/// The filing form as typed, for one committee.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilingForm {
    pub code: String,
    pub number: String,
    pub filed_on: String,
    pub expires_on: String,
}

/// `/admin/committees`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommitteesData {
    pub rows: Vec<CommitteeView>,
    /// The regions the admin administers (the create form's choice).
    pub regions: Vec<String>,
    pub series: Vec<Choice>,
    pub create: CommitteeForm,
    pub create_problems: Vec<FieldProblem>,
    /// The filing form that was refused (its committee's code), with its problems.
    pub filing: FilingForm,
    pub filing_problems: Vec<FieldProblem>,
    /// The most years a filing may run (quoted in the hint).
    pub max_years: String,
    pub notice: Option<Notice>,
}

/// An expert of the pool as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpertView {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub unit: String,
    pub specialty: String,
    pub title: Bi,
    pub high_skill: bool,
    pub duty: P,
    pub term_from: String,
    pub term_to: String,
    pub active: bool,
}

/// The expert form as typed (adding, or editing expert `id`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpertForm {
    /// `None` when adding.
    pub id: Option<i64>,
    pub username: String,
    pub name: String,
    pub unit: String,
    pub specialty: String,
    pub title_level: String,
    pub high_skill: bool,
    pub duty: String,
    pub term_from: String,
    pub term_to: String,
    pub active: bool,
}

/// What an import did, worded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportView {
    pub added: usize,
    pub updated: usize,
    /// One line per problem of each refused row ("第17行：…" / "row 17: …").
    pub refused: Vec<Bi>,
    pub refused_rows: usize,
}

/// `/committees/{code}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommitteePageData {
    pub committee: Option<CommitteeView>,
    /// The viewer is its office (works the pool); otherwise its region's admin (reads it).
    pub may_edit: bool,
    pub experts: Vec<ExpertView>,
    pub form: ExpertForm,
    pub problems: Vec<FieldProblem>,
    pub import: Option<ImportView>,
    pub import_problem: Option<FieldProblem>,
    pub titles: Vec<Choice>,
    /// The most years a term may run (quoted in the hint).
    pub max_years: String,
    /// The import's limits, quoted: the size and the rows.
    pub max_size: String,
    pub max_rows: String,
    /// The header's columns as a file must name them.
    pub columns: Vec<String>,
    pub notice: Option<Notice>,
    /// The record's edit form, for the region's admin (`None` for the office).
    pub record: Option<CommitteeForm>,
    /// The series of the rules in force (the record form's choice).
    pub series: Vec<Choice>,
}

/// The name of a tier code.
pub fn tier_text(code: &str) -> P {
    match code {
        "senior" => P::TierSenior,
        "intermediate" => P::TierIntermediate,
        _ => P::TierJunior,
    }
}

/// The name of a duty code.
pub fn duty_text(code: &str) -> P {
    match code {
        "chair" => P::DutyChair,
        "vice_chair" => P::DutyViceChair,
        _ => P::DutyMember,
    }
}

/// What separates the items of a list in a sentence.
pub fn list_separator(lang: crate::i18n::Lang) -> &'static str {
    match lang {
        crate::i18n::Lang::Zh => "、",
        crate::i18n::Lang::En => ", ",
    }
}

/// The tiers in the order the forms offer them.
pub const TIER_CODES: [&str; 3] = ["senior", "intermediate", "junior"];
/// The duties in the order the forms offer them.
pub const DUTY_CODES: [&str; 3] = ["member", "vice_chair", "chair"];
