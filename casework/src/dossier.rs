//! A dossier as the domain sees it: read from its row into typed values (its workflow state,
//! its target as route and series, its answers, its achievements, its receipt), and who is
//! looking at it. A row that does not convert is logged and answered with [`RowError`], never
//! shown as empty values.

use serde::{Deserialize, Serialize};
use store::accounts::Grant;
use store::authz::{self, Access, DossierScope};
use store::entities::dossier;
use store::workflow::{Actor, State};

use crate::CaseError;

/// Who acts: the signed-in account, its roles with their scopes, and the label its actions are
/// written under in the audit log.
#[derive(Clone, Debug)]
pub struct Who {
    pub account_id: i64,
    pub grants: Vec<Grant>,
    /// `account:{id}:{username}`.
    pub label: String,
}

/// One achievement (业绩成果) of a dossier (kinds: 96号文 二(二)2). A part the stored row
/// lacks (rows written before the description existed, the demo's) reads as empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Achievement {
    pub kind: String,
    pub title: String,
    pub date: String,
    pub role: String,
    pub description: String,
}

impl Achievement {
    /// A row with nothing in it (the form's spare row): never stored, never checked.
    pub fn is_blank(&self) -> bool {
        [
            &self.kind,
            &self.title,
            &self.date,
            &self.role,
            &self.description,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }
}

/// The fields an applicant types into a dossier.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// The employer's organisation code.
    pub org: String,
    pub full_name: String,
    pub id_number: String,
    pub occupation: String,
    pub current_post: String,
    /// The target's key ([`Target::key`]); empty while none is chosen.
    pub target: String,
    pub achievements: Vec<Achievement>,
}

pub use store::dossiers::Target;

/// A stored value that does not read: which column of which dossier, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("dossier {id}: the stored {column} does not read: {why}")]
pub struct RowError {
    pub id: i64,
    pub column: &'static str,
    pub why: String,
}

/// A dossier read from its row.
#[derive(Clone, Debug)]
pub struct Dossier {
    /// The row as stored (the web layer still renders some columns directly).
    pub row: dossier::Model,
    pub state: State,
    pub draft: Draft,
    /// The self-check answers the dossier was started from (a `/check` query string).
    pub answers: String,
    /// The receipt kept at submission.
    pub receipt: Option<crate::receipts::Receipt>,
}

impl Dossier {
    pub fn id(&self) -> i64 {
        self.row.id
    }

    pub fn version(&self) -> i32 {
        self.row.version
    }

    /// What it aims at, from its columns.
    pub fn target(&self) -> Option<Target> {
        Target::of(&self.row)
    }
}

impl TryFrom<dossier::Model> for Dossier {
    type Error = RowError;

    fn try_from(row: dossier::Model) -> Result<Dossier, RowError> {
        let id = row.id;
        let bad = |column: &'static str| {
            move |e: serde_json::Error| {
                let e = RowError {
                    id,
                    column,
                    why: e.to_string(),
                };
                tracing::error!(error = %e, "a stored dossier does not read");
                e
            }
        };
        let state: State = serde_json::from_str(&row.state_detail).map_err(bad("state"))?;
        let answers: serde_json::Value =
            serde_json::from_str(&row.answers).map_err(bad("answers"))?;
        let mut achievements: Vec<Achievement> =
            serde_json::from_str(&row.achievements).map_err(bad("achievements"))?;
        // A blank row kept by an older version is no achievement: never shown, never checked.
        achievements.retain(|a| !a.is_blank());
        let receipt = row
            .receipt
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(bad("receipt"))?;
        Ok(Dossier {
            state,
            draft: Draft {
                org: row.org.clone(),
                full_name: row.full_name.clone(),
                id_number: row.id_number.clone(),
                occupation: row.occupation.clone(),
                current_post: row.current_post.clone(),
                target: Target::of(&row).map(|t| t.key()).unwrap_or_default(),
                achievements,
            },
            answers: answers
                .get("check")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned(),
            receipt,
            row,
        })
    }
}

/// The region a self-check query names (`region=53`), `national` when it names none.
pub fn region_of_answers(query: &str) -> &str {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("region="))
        .filter(|r| !r.is_empty())
        .unwrap_or("national")
}

/// A dossier someone may access, with the region whose rules apply to it (the employer's,
/// else the one its self-check chose) and the part they play in its workflow.
#[derive(Clone, Debug)]
pub struct Opened {
    pub dossier: Dossier,
    pub region: String,
    pub actor: Option<Actor>,
}

/// The region whose rules apply: the employer's, else the one the self-check chose.
pub async fn region_for(db: &store::Db, org: &str, answers: &str) -> Result<String, CaseError> {
    if !org.is_empty() {
        if let Some(o) = store::organisations::get(db, org).await? {
            return Ok(o.region);
        }
    }
    Ok(region_of_answers(answers).to_owned())
}

/// Opens dossier `id` for `who` wanting `access`: None for a dossier that is not there *or not
/// theirs* (both are answered with the same "not found").
pub async fn open(
    db: &store::Db,
    who: &Who,
    id: i64,
    access: Access,
) -> Result<Option<Opened>, CaseError> {
    let Some(row) = store::dossiers::get(db, id).await? else {
        return Ok(None);
    };
    // Scope first, from the plain columns: a row that does not read is still nobody else's.
    let answers = serde_json::from_str::<serde_json::Value>(&row.answers)
        .ok()
        .and_then(|v| v.get("check").and_then(|c| c.as_str()).map(str::to_owned))
        .unwrap_or_default();
    let region = region_for(db, &row.org, &answers).await?;
    let scope = DossierScope {
        owner_id: row.owner_id,
        org: &row.org,
        committee: &row.committee,
        region: &region,
        state: &row.state,
    };
    if !authz::may(who.account_id, &who.grants, &scope, access) {
        return Ok(None);
    }
    let actor = authz::actor_for(who.account_id, &who.grants, &scope);
    Ok(Some(Opened {
        dossier: Dossier::try_from(row)?,
        region,
        actor,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_read_and_written_as_one_key() {
        let cases = [
            (
                "skill_ladder.intermediate:engineering",
                "skill_ladder.intermediate",
                Some("engineering"),
            ),
            (
                "title_to_skill.technician",
                "title_to_skill.technician",
                None,
            ),
            ("qualification.cpa:", "qualification.cpa", None),
        ];
        for (key, route, series) in cases {
            let t = Target::parse(key).unwrap();
            assert_eq!(t.route, route, "{key}");
            assert_eq!(t.series.as_deref(), series, "{key}");
            assert_eq!(Target::parse(&t.key()), Some(t), "{key} round-trips");
        }
        assert_eq!(Target::parse(""), None);
        assert_eq!(Target::parse("  "), None);
    }

    #[test]
    fn the_answers_name_their_region() {
        assert_eq!(region_of_answers("has_sl=yes&region=53&x=1"), "53");
        assert_eq!(region_of_answers("has_sl=yes"), "national");
        assert_eq!(region_of_answers("region="), "national");
        assert_eq!(region_of_answers(""), "national");
    }

    #[test]
    fn a_blank_row_is_blank_and_a_typed_one_is_not() {
        assert!(Achievement::default().is_blank());
        let spaces = Achievement {
            title: "  ".into(),
            ..Default::default()
        };
        assert!(spaces.is_blank());
        let typed = Achievement {
            kind: "patent".into(),
            ..Default::default()
        };
        assert!(!typed.is_blank());
    }

    fn row(achievements: &str, state: &str) -> dossier::Model {
        let now = chrono::Utc::now();
        dossier::Model {
            id: 7,
            owner_id: 1,
            org: "e1".into(),
            committee: "c1".into(),
            state: "draft".into(),
            state_detail: state.into(),
            version: 1,
            full_name: "王".into(),
            id_number: String::new(),
            id_number_index: None,
            occupation: String::new(),
            current_post: String::new(),
            target: Some("skill_ladder.intermediate:engineering".into()),
            target_route: None,
            target_series: None,
            target_level: None,
            answers: r#"{"check":"region=53"}"#.into(),
            achievements: achievements.into(),
            receipt: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn a_row_reads_into_typed_values_and_a_bad_one_names_its_column() {
        let draft = serde_json::to_string(&State::Draft).unwrap();
        let d = Dossier::try_from(row("[]", &draft)).unwrap();
        assert_eq!(d.state, State::Draft);
        assert_eq!(d.answers, "region=53");
        assert_eq!(d.target().unwrap().series.as_deref(), Some("engineering"));
        assert_eq!(d.draft.target, "skill_ladder.intermediate:engineering");
        let mut columns = row("[]", &draft);
        columns.target = None;
        columns.target_route = Some("green_channel.senior".into());
        columns.target_level = Some("senior".into());
        let d = Dossier::try_from(columns).unwrap();
        let t = d.target().unwrap();
        assert_eq!(
            (t.route.as_str(), t.level.as_deref()),
            ("green_channel.senior", Some("senior"))
        );
        assert_eq!(
            d.draft.target, "green_channel.senior",
            "the columns win over the key"
        );
        let e = Dossier::try_from(row("{oops", &draft)).unwrap_err();
        assert_eq!((e.id, e.column), (7, "achievements"));
        let e = Dossier::try_from(row("[]", "\"flying\"")).unwrap_err();
        assert_eq!(e.column, "state");
    }
}
