//! The meeting record (会议记录, 40号令 Art. 23): who was drawn and who attended, each applicant
//! with the recusals, the experts' written opinions and the count. It is drawn up from the rows
//! once the ballot is closed and archived with the session (as JSON) when the chair signs, so it
//! reads the same later whatever changes in the pool or the dossiers. Expert names appear in it,
//! so only the committee's office and the provincial administrator of its region read it
//! (Art. 24); anyone else is "not found".

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use store::entities::{committee as committee_row, dossier, review_session};
use store::sessions as placed;
use store::workflow::Role;

use crate::ballot::{phase, BallotError, Phase};
use crate::dossier::Who;
use crate::sessions::is_office;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRecord {
    pub session_id: i64,
    pub session: String,
    pub committee: String,
    pub sits_on: NaiveDate,
    /// Every member drawn, attending or not.
    pub members: Vec<RecordExpert>,
    pub applicants: Vec<RecordApplicant>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordExpert {
    pub name: String,
    /// The organisation's code.
    pub unit: String,
    /// `general` or `high_skill`.
    pub group: String,
    pub high_skill: bool,
    pub duty: String,
    pub attended: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordApplicant {
    pub dossier_id: i64,
    pub name: String,
    /// The employer's code.
    pub org: String,
    /// The `{route}:{series}` key.
    pub target: String,
    pub group: String,
    /// The group's members, and how many of them stepped out.
    pub members: i32,
    pub recused_count: i32,
    /// The names of the experts who stepped out of this applicant's review.
    pub recused: Vec<String>,
    /// The experts' written opinions (评议意见), without their names.
    pub opinions: Vec<String>,
    pub agree: i32,
    pub disagree: i32,
    pub abstain: i32,
    pub base: i32,
    pub pass_needed: i32,
    pub outcome: String,
}

/// Draws up the record of a closed session from its rows.
pub async fn build<C: ConnectionTrait>(
    conn: &C,
    session: &review_session::Model,
) -> Result<MeetingRecord, BallotError> {
    let sid = session.id;
    let pool = placed::pool(conn, &session.committee).await?;
    let attending = store::ballots::attendance(conn, sid).await?;
    let name_of = |id: i64| {
        pool.iter()
            .find(|e| e.id == id)
            .map(|e| e.name.clone())
            .unwrap_or_default()
    };
    let mut members = Vec::new();
    for g in placed::groups(conn, sid).await? {
        for m in placed::members(conn, g.id).await? {
            if m.reserve {
                continue;
            }
            if let Some(e) = pool.iter().find(|e| e.id == m.expert_id) {
                members.push(RecordExpert {
                    name: e.name.clone(),
                    unit: e.unit.clone(),
                    group: g.kind.clone(),
                    high_skill: e.high_skill,
                    duty: e.duty.clone(),
                    attended: attending.contains(&e.id),
                });
            }
        }
    }
    let results = store::ballots::results(conn, sid).await?;
    let ids: Vec<i64> = results.iter().map(|r| r.dossier_id).collect();
    let dossiers = dossier::Entity::find()
        .filter(dossier::Column::Id.is_in(ids))
        .all(conn)
        .await?;
    let recusals = placed::recusals(conn, sid).await?;
    let assessments = placed::assessments(conn, sid).await?;
    let applicants = results
        .iter()
        .map(|r| {
            let d = dossiers.iter().find(|d| d.id == r.dossier_id);
            RecordApplicant {
                dossier_id: r.dossier_id,
                name: d.map(|d| d.full_name.clone()).unwrap_or_default(),
                org: d.map(|d| d.org.clone()).unwrap_or_default(),
                target: d.and_then(|d| d.target.clone()).unwrap_or_default(),
                group: r.grp.clone(),
                members: r.members,
                recused_count: r.recused,
                recused: recusals
                    .iter()
                    .filter(|x| x.dossier_id == r.dossier_id && x.status == "in_force")
                    .map(|x| name_of(x.expert_id))
                    .collect(),
                opinions: assessments
                    .iter()
                    .filter(|a| a.dossier_id == r.dossier_id && !a.opinion.trim().is_empty())
                    .map(|a| a.opinion.clone())
                    .collect(),
                agree: r.agree,
                disagree: r.disagree,
                abstain: r.abstain,
                base: r.base,
                pass_needed: r.pass_needed,
                outcome: r.outcome.clone(),
            }
        })
        .collect();
    Ok(MeetingRecord {
        session_id: sid,
        session: session.name.clone(),
        committee: session.committee.clone(),
        sits_on: session.sits_on,
        members,
        applicants,
    })
}

/// The record of a closed session for its office or the provincial administrator of the
/// committee's region: the archived one once signed (`true`), else drawn up now (`false`).
pub async fn for_reader(
    db: &store::Db,
    who: &Who,
    session_id: i64,
) -> Result<(review_session::Model, MeetingRecord, bool), BallotError> {
    let session = placed::session(db, session_id)
        .await?
        .ok_or(BallotError::NotYours)?;
    let region = committee_row::Entity::find_by_id(session.committee.clone())
        .one(db)
        .await?
        .map(|c| c.region)
        .unwrap_or_default();
    let admin = who.grants.iter().any(|g| {
        g.role() == Some(Role::ProvincialAdmin) && g.scope_region.as_deref() == Some(&region)
    });
    if !is_office(who, &session.committee) && !admin {
        return Err(BallotError::NotYours);
    }
    match phase(&session) {
        Phase::NotOpen | Phase::Open => Err(BallotError::NotClosed),
        Phase::Sealed => {
            let archived = session
                .record
                .as_deref()
                .and_then(|r| serde_json::from_str(r).ok())
                .ok_or(BallotError::Broken)?;
            Ok((session, archived, true))
        }
        Phase::Closed => {
            let record = build(db, &session).await?;
            Ok((session, record, false))
        }
    }
}
