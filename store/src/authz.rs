//! Who may do what to a dossier, from the roles an account holds, their scopes, and how far the
//! dossier has come. Every server function and route asks here; a refusal is answered as "not
//! found" so nothing about other people's dossiers leaks.
//!
//! A draft is its owner's alone. The employer's HR sees it once submitted; the committee
//! office and the provincial administrator once the employer has approved it (publicity
//! onwards); experts once it is accepted for review.

use crate::accounts::Grant;
use crate::workflow::Actor;

/// What a dossier is scoped by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DossierScope<'a> {
    pub owner_id: i64,
    pub org: &'a str,
    pub committee: &'a str,
    pub region: &'a str,
    /// The workflow state's code (`crate::workflow::State::code`).
    pub state: &'a str,
}

/// States in which the dossier has reached the committee.
const AT_COMMITTEE: &[&str] = &[
    "unit_publicity",
    "formal_check",
    "returned_by_committee",
    "accepted_for_review",
];

/// What someone wants to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read,
    /// Edit the draft's fields and attachments.
    Edit,
}

/// The workflow role an account plays for this dossier, if any: the owner is the applicant,
/// HR of its employer the employer, the office of its committee the committee office.
/// Where an account holds several, the first in that order wins.
pub fn actor_for(account_id: i64, grants: &[Grant], dossier: &DossierScope<'_>) -> Option<Actor> {
    if account_id == dossier.owner_id {
        return Some(Actor::Applicant);
    }
    if dossier.state != "draft"
        && grants
            .iter()
            .any(|g| g.role == "employer_hr" && g.scope_org.as_deref() == Some(dossier.org))
    {
        return Some(Actor::EmployerHr);
    }
    if AT_COMMITTEE.contains(&dossier.state)
        && grants.iter().any(|g| {
            g.role == "committee_office" && g.scope_committee.as_deref() == Some(dossier.committee)
        })
    {
        return Some(Actor::CommitteeOffice);
    }
    None
}

/// Whether the account may read or edit the dossier.
pub fn may(account_id: i64, grants: &[Grant], dossier: &DossierScope<'_>, access: Access) -> bool {
    match access {
        Access::Edit => account_id == dossier.owner_id,
        Access::Read => {
            actor_for(account_id, grants, dossier).is_some()
                || grants.iter().any(|g| {
                    (g.role == "expert"
                        && dossier.state == "accepted_for_review"
                        && g.scope_committee.as_deref() == Some(dossier.committee))
                        || (g.role == "provincial_admin"
                            && AT_COMMITTEE.contains(&dossier.state)
                            && g.scope_region.as_deref() == Some(dossier.region))
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(
        role: &str,
        org: Option<&str>,
        committee: Option<&str>,
        region: Option<&str>,
    ) -> Grant {
        Grant {
            role: role.into(),
            scope_org: org.map(Into::into),
            scope_committee: committee.map(Into::into),
            scope_region: region.map(Into::into),
            scope_sector: None,
        }
    }

    const DOSSIER: DossierScope<'static> = DossierScope {
        owner_id: 1,
        org: "org-a",
        committee: "com-a",
        region: "53",
        state: "accepted_for_review",
    };

    /// How far a dossier has come decides who besides its owner sees it.
    #[test]
    fn drafts_are_private_and_each_role_sees_its_stage() {
        let roles = [
            grant("employer_hr", Some("org-a"), None, None),
            grant("committee_office", None, Some("com-a"), None),
            grant("expert", None, Some("com-a"), None),
            grant("provincial_admin", None, None, Some("53")),
        ];
        // (state, [hr, office, expert, admin] may read)
        let table = [
            ("draft", [false, false, false, false]),
            ("submitted", [true, false, false, false]),
            ("returned_by_employer", [true, false, false, false]),
            ("unit_publicity", [true, true, false, true]),
            ("formal_check", [true, true, false, true]),
            ("returned_by_committee", [true, true, false, true]),
            ("accepted_for_review", [true, true, true, true]),
        ];
        for (state, expected) in table {
            let dossier = DossierScope { state, ..DOSSIER };
            assert!(may(1, &[], &dossier, Access::Edit), "the owner always");
            for (g, want) in roles.iter().zip(expected) {
                assert_eq!(
                    may(9, std::slice::from_ref(g), &dossier, Access::Read),
                    want,
                    "{} reading a {state} dossier",
                    g.role
                );
            }
        }
    }

    /// Every role, in scope and out of it, against every kind of access.
    #[test]
    fn role_matrix_gives_access_only_in_scope() {
        type Case = (i64, Vec<Grant>, bool, bool, Option<Actor>);
        let cases: Vec<Case> = vec![
            // (account, grants, may read, may edit, workflow actor)
            (
                1,
                vec![grant("applicant", None, None, None)],
                true,
                true,
                Some(Actor::Applicant),
            ),
            (
                2,
                vec![grant("applicant", None, None, None)],
                false,
                false,
                None,
            ),
            (
                3,
                vec![grant("employer_hr", Some("org-a"), None, None)],
                true,
                false,
                Some(Actor::EmployerHr),
            ),
            (
                4,
                vec![grant("employer_hr", Some("org-b"), None, None)],
                false,
                false,
                None,
            ),
            (
                5,
                vec![grant("committee_office", None, Some("com-a"), None)],
                true,
                false,
                Some(Actor::CommitteeOffice),
            ),
            (
                6,
                vec![grant("committee_office", None, Some("com-b"), None)],
                false,
                false,
                None,
            ),
            (
                7,
                vec![grant("expert", None, Some("com-a"), None)],
                true,
                false,
                None,
            ),
            (
                8,
                vec![grant("expert", None, Some("com-b"), None)],
                false,
                false,
                None,
            ),
            (
                9,
                vec![grant("provincial_admin", None, None, Some("53"))],
                true,
                false,
                None,
            ),
            (
                10,
                vec![grant("provincial_admin", None, None, Some("37"))],
                false,
                false,
                None,
            ),
            (
                11,
                vec![grant("industry_authority", None, None, Some("53"))],
                false,
                false,
                None,
            ),
            (12, vec![], false, false, None),
        ];
        for (account, grants, read, edit, actor) in cases {
            assert_eq!(
                may(account, &grants, &DOSSIER, Access::Read),
                read,
                "read by {account} {grants:?}"
            );
            assert_eq!(
                may(account, &grants, &DOSSIER, Access::Edit),
                edit,
                "edit by {account} {grants:?}"
            );
            assert_eq!(
                actor_for(account, &grants, &DOSSIER),
                actor,
                "actor {account} {grants:?}"
            );
        }
    }
}
