//! The kinds of condition the engine can check, the reason variants each can
//! produce, and the placeholders their bilingual templates may use. The *texts*
//! are data (`[reasons.<kind>.<variant>]` in the rule set); only their shape is here.

use crate::error::Problem;

/// A kind of condition. Parameters (levels, years, lists) come from data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    HoldsSkillLevel,
    SkillWorkYears,
    LevelHeldYears,
    AnnualReviews,
    HoldsTitle,
    WorkYears,
    HoldsHonour,
    HoldsPost,
    HoldsPostCertificate,
    SeriesMatchesOccupation,
    CommitteeDecides,
    ExamConditionsConfigured,
}

impl Kind {
    pub const ALL: [Kind; 12] = [
        Kind::HoldsSkillLevel,
        Kind::SkillWorkYears,
        Kind::LevelHeldYears,
        Kind::AnnualReviews,
        Kind::HoldsTitle,
        Kind::WorkYears,
        Kind::HoldsHonour,
        Kind::HoldsPost,
        Kind::HoldsPostCertificate,
        Kind::SeriesMatchesOccupation,
        Kind::CommitteeDecides,
        Kind::ExamConditionsConfigured,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::HoldsSkillLevel => "holds_skill_level",
            Kind::SkillWorkYears => "skill_work_years",
            Kind::LevelHeldYears => "level_held_years",
            Kind::AnnualReviews => "annual_reviews",
            Kind::HoldsTitle => "holds_title",
            Kind::WorkYears => "work_years",
            Kind::HoldsHonour => "holds_honour",
            Kind::HoldsPost => "holds_post",
            Kind::HoldsPostCertificate => "holds_post_certificate",
            Kind::SeriesMatchesOccupation => "series_matches_occupation",
            Kind::CommitteeDecides => "committee_decides",
            Kind::ExamConditionsConfigured => "exam_conditions_configured",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Reason variants this kind produces; the data must give a text for each.
    pub fn variants(self) -> &'static [&'static str] {
        match self {
            Kind::HoldsSkillLevel | Kind::HoldsTitle | Kind::HoldsPostCertificate => {
                &["met", "met_undated", "unmet", "unknown"]
            }
            Kind::SkillWorkYears => &[
                "met",
                "stated_met",
                "waiting",
                "stated_waiting",
                "unmet_level",
                "unknown",
                "unknown_date",
            ],
            Kind::LevelHeldYears => &["met", "waiting", "unmet_level", "unknown", "unknown_date"],
            Kind::AnnualReviews => &["met", "failed", "missing_year", "unknown"],
            Kind::WorkYears => &["met", "waiting", "unknown"],
            Kind::HoldsHonour | Kind::HoldsPost => &["met", "unmet", "unknown"],
            Kind::SeriesMatchesOccupation => &["met", "unmet", "not_in_table", "unknown"],
            Kind::CommitteeDecides => &["unknown"],
            Kind::ExamConditionsConfigured => &["configured", "not_configured"],
        }
    }

    /// Placeholders its templates may use.
    pub fn placeholders(self) -> &'static [Placeholder] {
        use Placeholder as P;
        match self {
            Kind::HoldsSkillLevel | Kind::HoldsPostCertificate => {
                &[P::Level, P::Held, P::Since, P::Post]
            }
            Kind::HoldsTitle => &[P::Level, P::Held, P::Since, P::Series],
            Kind::SkillWorkYears | Kind::LevelHeldYears => {
                &[P::Level, P::Held, P::Years, P::Since, P::On, P::Stated]
            }
            Kind::AnnualReviews => &[P::Years, P::From, P::To, P::Year],
            Kind::WorkYears => &[P::Years, P::Since, P::On],
            Kind::HoldsHonour => &[P::Honours, P::Honour],
            Kind::HoldsPost => &[P::Post],
            Kind::SeriesMatchesOccupation => &[P::Occupation, P::Series],
            Kind::CommitteeDecides => &[],
            Kind::ExamConditionsConfigured => &[P::Qualification],
        }
    }
}

/// A `{name}` in a reason template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placeholder {
    /// The level the condition requires.
    Level,
    /// The level the person holds.
    Held,
    /// A start date (obtained on, work started on).
    Since,
    /// The day a period completes.
    On,
    /// The years the condition requires.
    Years,
    /// The years the person stated.
    Stated,
    /// First and last year of the assessment window.
    From,
    To,
    /// A failed or missing assessment year.
    Year,
    /// The honours the condition accepts.
    Honours,
    /// The honour the person holds.
    Honour,
    Post,
    Series,
    Occupation,
    Qualification,
}

impl Placeholder {
    const ALL: [Placeholder; 15] = [
        Placeholder::Level,
        Placeholder::Held,
        Placeholder::Since,
        Placeholder::On,
        Placeholder::Years,
        Placeholder::Stated,
        Placeholder::From,
        Placeholder::To,
        Placeholder::Year,
        Placeholder::Honours,
        Placeholder::Honour,
        Placeholder::Post,
        Placeholder::Series,
        Placeholder::Occupation,
        Placeholder::Qualification,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Placeholder::Level => "level",
            Placeholder::Held => "held",
            Placeholder::Since => "since",
            Placeholder::On => "on",
            Placeholder::Years => "years",
            Placeholder::Stated => "stated",
            Placeholder::From => "from",
            Placeholder::To => "to",
            Placeholder::Year => "year",
            Placeholder::Honours => "honours",
            Placeholder::Honour => "honour",
            Placeholder::Post => "post",
            Placeholder::Series => "series",
            Placeholder::Occupation => "occupation",
            Placeholder::Qualification => "qualification",
        }
    }
}

/// A parsed template: literal text and placeholders, in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    Text(String),
    Slot(Placeholder),
}

/// Parses `Holds {held} since {since}` into pieces, refusing names the kind
/// cannot fill (so a typo in data is caught at load time, not shown to users).
pub(crate) fn parse_template(kind: Kind, text: &str) -> Result<Vec<Piece>, Problem> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            pieces.push(Piece::Text(rest[..open].to_owned()));
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or(Problem::UnclosedPlaceholder)?;
        let name = &after[..close];
        let slot = Placeholder::ALL
            .into_iter()
            .find(|p| p.name() == name && kind.placeholders().contains(p))
            .ok_or_else(|| Problem::UnknownPlaceholder(name.to_owned()))?;
        pieces.push(Piece::Slot(slot));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.to_owned()));
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_with_known_placeholders_parses() {
        let p = parse_template(Kind::HoldsSkillLevel, "Holds {held} since {since}.").unwrap();
        assert_eq!(p.len(), 5);
    }

    #[test]
    fn template_with_placeholder_of_another_kind_is_refused() {
        assert_eq!(
            parse_template(Kind::HoldsPost, "{years}"),
            Err(Problem::UnknownPlaceholder("years".into()))
        );
        assert_eq!(
            parse_template(Kind::HoldsPost, "{post"),
            Err(Problem::UnclosedPlaceholder)
        );
    }
}
