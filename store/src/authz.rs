//! Who may do what to a dossier, from the roles an account holds, their scopes, and how far the
//! dossier has come. Every server function and route asks here; a refusal is answered as "not
//! found" so nothing about other people's dossiers leaks.
//!
//! A draft is its owner's alone. The employer's HR sees it once submitted; the committee
//! office and the provincial administrator once the employer has approved it (publicity
//! onwards); experts once it is accepted for review.

use crate::accounts::Grant;
use crate::workflow::{Actor, Role, Stage};

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
    let stage = Stage::parse(dossier.state)?;
    let holds = |role: Role, scope: fn(&Grant) -> Option<&str>, value: &str| {
        role.sees(stage)
            && grants
                .iter()
                .any(|g| g.role() == Some(role) && scope(g) == Some(value))
    };
    if holds(Role::EmployerHr, |g| g.scope_org.as_deref(), dossier.org) {
        return Some(Actor::EmployerHr);
    }
    if holds(
        Role::CommitteeOffice,
        |g| g.scope_committee.as_deref(),
        dossier.committee,
    ) {
        return Some(Actor::CommitteeOffice);
    }
    None
}

/// Whether the account may read or edit the dossier. A state code that does not parse is
/// nobody's but the owner's.
pub fn may(account_id: i64, grants: &[Grant], dossier: &DossierScope<'_>, access: Access) -> bool {
    match access {
        Access::Edit => account_id == dossier.owner_id,
        Access::Read => {
            if actor_for(account_id, grants, dossier).is_some() {
                return true;
            }
            let Some(stage) = Stage::parse(dossier.state) else {
                return false;
            };
            grants.iter().any(|g| match g.role() {
                Some(Role::Expert) => {
                    Role::Expert.sees(stage)
                        && g.scope_committee.as_deref() == Some(dossier.committee)
                }
                Some(Role::ProvincialAdmin) => {
                    Role::ProvincialAdmin.sees(stage)
                        && g.scope_region.as_deref() == Some(dossier.region)
                }
                _ => false,
            })
        }
    }
}

/// The provinces an account belongs to, which decide who may administer it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Belonging {
    /// Provinces its staff roles are held in: a grant's region, or the province of the
    /// organisation or committee it is scoped to.
    pub role_regions: std::collections::BTreeSet<String>,
    /// A staff role held with no province it can be traced to (only a higher authority may
    /// administer such an account).
    pub unplaced_role: bool,
    /// Provinces of the employers its dossiers are with.
    pub dossier_regions: std::collections::BTreeSet<String>,
}

/// Whether an account with `admin` grants may find another account and issue it a reset link:
/// a provincial administrator administers the accounts of their own province only, so one
/// province's administrator can never take over another province's staff or applicants. A
/// worker who has registered but not applied anywhere belongs to no province yet, and any
/// provincial administrator may help them.
pub fn may_administer(admin: &[Grant], account: &Belonging) -> bool {
    let regions: Vec<&str> = admin
        .iter()
        .filter(|g| g.role() == Some(Role::ProvincialAdmin))
        .filter_map(|g| g.scope_region.as_deref())
        .collect();
    !regions.is_empty()
        && !account.unplaced_role
        && account
            .role_regions
            .iter()
            .chain(&account.dossier_regions)
            .all(|r| regions.contains(&r.as_str()))
}

/// Why an administrator may not issue a reset link to an account that is otherwise in reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResetRefusal {
    /// Their own account: they change their own password (`/account/password`) instead, so a
    /// stolen administrator session cannot quietly set a password it does not know.
    OwnAccount,
    /// Another provincial administrator: peers cannot take over each other's accounts; a higher
    /// authority resets a provincial administrator's password.
    PeerAdministrator,
}

/// Whether the administrator `admin_id` is refused a reset link for account `account_id`, which
/// holds `account_grants`. Asked after [`may_administer`]: an account out of reach is answered as
/// not found, while these refusals are explained (the administrator can see the account anyway).
pub fn reset_refusal(
    admin_id: i64,
    account_id: i64,
    account_grants: &[Grant],
) -> Option<ResetRefusal> {
    if admin_id == account_id {
        Some(ResetRefusal::OwnAccount)
    } else if account_grants
        .iter()
        .any(|g| g.role() == Some(Role::ProvincialAdmin))
    {
        Some(ResetRefusal::PeerAdministrator)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrators_reset_neither_themselves_nor_peers() {
        let admin = [grant("provincial_admin", None, None, Some("53"))];
        let hr = [grant("employer_hr", Some("org-a"), None, None)];
        let applicant = [grant("applicant", None, None, None)];
        assert_eq!(reset_refusal(1, 1, &admin), Some(ResetRefusal::OwnAccount));
        assert_eq!(reset_refusal(1, 1, &[]), Some(ResetRefusal::OwnAccount));
        assert_eq!(
            reset_refusal(1, 2, &admin),
            Some(ResetRefusal::PeerAdministrator)
        );
        let both = [applicant[0].clone(), admin[0].clone()];
        assert_eq!(
            reset_refusal(1, 2, &both),
            Some(ResetRefusal::PeerAdministrator)
        );
        assert_eq!(reset_refusal(1, 2, &hr), None);
        assert_eq!(reset_refusal(1, 2, &applicant), None);
        assert_eq!(reset_refusal(1, 2, &[]), None);
    }

    fn belonging(roles: &[&str], unplaced: bool, dossiers: &[&str]) -> Belonging {
        Belonging {
            role_regions: roles.iter().map(|r| r.to_string()).collect(),
            unplaced_role: unplaced,
            dossier_regions: dossiers.iter().map(|r| r.to_string()).collect(),
        }
    }

    #[test]
    fn administrators_administer_their_own_province_only() {
        let yunnan = [grant("provincial_admin", None, None, Some("53"))];
        let both = [
            grant("provincial_admin", None, None, Some("53")),
            grant("provincial_admin", None, None, Some("37")),
        ];
        let hr_yunnan = [grant("employer_hr", Some("org-a"), None, None)];
        // (account, Yunnan's admin may, an admin of both provinces may)
        let table = [
            (belonging(&["53"], false, &[]), true, true),
            (belonging(&["37"], false, &[]), false, true),
            (belonging(&[], false, &["53"]), true, true),
            (belonging(&[], false, &["53", "37"]), false, true),
            (belonging(&["53"], false, &["37"]), false, true),
            (belonging(&[], false, &[]), true, true),
            (belonging(&["53"], true, &[]), false, false),
        ];
        for (account, by_yunnan, by_both) in table {
            assert_eq!(may_administer(&yunnan, &account), by_yunnan, "{account:?}");
            assert_eq!(may_administer(&both, &account), by_both, "{account:?}");
            assert!(
                !may_administer(&hr_yunnan, &account),
                "HR administers nobody"
            );
        }
    }

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
            ("accepted_for_review", [true, true, false, true]),
            ("in_review", [true, true, false, true]),
            ("passed", [true, true, false, true]),
            ("not_passed", [true, true, false, true]),
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
                false,
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
