//! Closed vocabularies of POLICY.md §1 that the engine reasons about by order:
//! skill levels and title levels. Everything else (series, honours, posts,
//! qualifications, occupations, regions) is data, because admins add to it.

use serde::{Deserialize, Serialize};

/// A bilingual text: every message the engine shows carries both languages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// A skill level 职业技能等级, ordered: a higher level satisfies a requirement
/// for a lower one.
///
/// 特级技师 (`principal_technician`) and 首席技师 (`chief_technician`) are
/// deliberately *not* here: POLICY §1 calls them posts (岗位) that enterprises
/// appoint to, and Shandong's rule needs the certificate *and* the post on top of
/// 高级技师, so putting them above `senior_technician` in this order would let a
/// post certificate silently satisfy skill requirements it was never meant to.
/// They are codes in the `posts` catalogue instead (see [`crate::Person`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SkillLevel {
    Apprentice,
    JuniorWorker,
    IntermediateWorker,
    SeniorWorker,
    Technician,
    SeniorTechnician,
}

impl SkillLevel {
    /// Every level, lowest first.
    pub const ALL: [SkillLevel; 6] = [
        SkillLevel::Apprentice,
        SkillLevel::JuniorWorker,
        SkillLevel::IntermediateWorker,
        SkillLevel::SeniorWorker,
        SkillLevel::Technician,
        SkillLevel::SeniorTechnician,
    ];

    /// The stable code of POLICY §1.
    pub fn code(self) -> &'static str {
        match self {
            SkillLevel::Apprentice => "apprentice",
            SkillLevel::JuniorWorker => "junior_worker",
            SkillLevel::IntermediateWorker => "intermediate_worker",
            SkillLevel::SeniorWorker => "senior_worker",
            SkillLevel::Technician => "technician",
            SkillLevel::SeniorTechnician => "senior_technician",
        }
    }

    /// Parses a code of POLICY §1; `None` for anything else (posts included).
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Position in the order, usable as an array index.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// A title level 职称层级, ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TitleLevel {
    Entry,
    Assistant,
    Intermediate,
    AssociateSenior,
    Senior,
}

impl TitleLevel {
    /// Every level, lowest first.
    pub const ALL: [TitleLevel; 5] = [
        TitleLevel::Entry,
        TitleLevel::Assistant,
        TitleLevel::Intermediate,
        TitleLevel::AssociateSenior,
        TitleLevel::Senior,
    ];

    /// The stable code of POLICY §1.
    pub fn code(self) -> &'static str {
        match self {
            TitleLevel::Entry => "entry",
            TitleLevel::Assistant => "assistant",
            TitleLevel::Intermediate => "intermediate",
            TitleLevel::AssociateSenior => "associate_senior",
            TitleLevel::Senior => "senior",
        }
    }

    /// Parses a code of POLICY §1.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Position in the order, usable as an array index.
    pub fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skill_levels_are_ordered_and_round_trip() {
        assert!(SkillLevel::SeniorWorker < SkillLevel::Technician);
        for l in SkillLevel::ALL {
            assert_eq!(SkillLevel::from_code(l.code()), Some(l));
            let json = serde_json::to_string(&l).unwrap();
            assert_eq!(json, format!("\"{}\"", l.code()));
        }
    }

    #[test]
    fn posts_are_not_skill_levels() {
        assert_eq!(SkillLevel::from_code("principal_technician"), None);
        assert_eq!(SkillLevel::from_code("chief_technician"), None);
    }

    #[test]
    fn title_levels_round_trip() {
        for l in TitleLevel::ALL {
            assert_eq!(TitleLevel::from_code(l.code()), Some(l));
        }
        assert!(TitleLevel::AssociateSenior < TitleLevel::Senior);
    }
}
