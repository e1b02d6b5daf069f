//! Checks a dossier must pass that need the database: its employer. The checks of the fields
//! alone (name, ID number, occupation code, achievements) need nothing but the text.

use store::entities::organisation;
use store::StoreError;

/// What the employer code of a dossier names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Employer {
    /// An employer whose region has a committee: the dossier lands in that employer's queue
    /// and then that committee's.
    Known {
        employer: organisation::Model,
        committee: organisation::Model,
    },
    /// No code was given.
    Missing,
    /// The code names no employer (nothing, or an organisation of another kind).
    Unknown,
    /// An employer whose region no committee takes dossiers from yet.
    NoCommittee { employer: organisation::Model },
}

impl Employer {
    /// The employer's region, where the code names one.
    pub fn region(&self) -> Option<&str> {
        match self {
            Employer::Known { employer, .. } | Employer::NoCommittee { employer } => {
                Some(&employer.region)
            }
            Employer::Missing | Employer::Unknown => None,
        }
    }

    /// The committee's code, where there is one.
    pub fn committee(&self) -> Option<&str> {
        match self {
            Employer::Known { committee, .. } => Some(&committee.code),
            _ => None,
        }
    }
}

/// Looks up the employer a dossier names.
pub async fn employer(db: &store::Db, code: &str) -> Result<Employer, StoreError> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(Employer::Missing);
    }
    let Some(employer) = store::organisations::get(db, code)
        .await?
        .filter(|o| o.kind == "employer")
    else {
        return Ok(Employer::Unknown);
    };
    Ok(
        match store::organisations::committee_for(db, &employer.region).await? {
            Some(committee) => Employer::Known {
                employer,
                committee,
            },
            None => Employer::NoCommittee { employer },
        },
    )
}
