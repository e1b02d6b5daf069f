//! After the chair's signature (40号令 Art. 26): the organising unit publicises the passed
//! results for `review_result_publicity_working_days` working days on the holiday calendar;
//! anyone lodges an objection (异议) with a reason and a contact during the period; the
//! organising unit (its committee's office) records its investigation and outcome — dismissed,
//! or upheld with the result held (and later reinstated, with a new period) or revoked; then the
//! provincial administrator of the committee's region confirms the results (确认), or records a
//! self-review committee's filing (备案). Every step moves the dossier in the one table with its
//! audit entry in the same transaction.

use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use store::audit::{self, NewEntry};
use store::entities::{committee as committee_row, dossier, objection, review_session};
use store::objections::{self as rows, NewObjection};
use store::workflow::{Action, Actor, Role, Stage, State};

use crate::ballot::{phase, Phase};
use crate::commands::Desk;
use crate::dossier::Who;
use crate::sessions::is_office;
use crate::CaseError;

/// The most characters an objection's reason and a finding keep, and a contact.
pub const MAX_REASON_CHARS: usize = rules::limits::MAX_REASON_CHARS;
pub const MAX_CONTACT_CHARS: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// Not this office's or this administrator's; a dossier not in publicity: "not found".
    #[error("not found")]
    NotYours,
    #[error("the count is not signed yet")]
    NotSealed,
    #[error("the publicity period ended on {0}")]
    PeriodOver(NaiveDate),
    #[error("the objection needs a reason")]
    ReasonMissing,
    #[error("the objection needs a contact")]
    ContactMissing,
    #[error("the outcome needs the finding")]
    FindingMissing,
    #[error("the objection was decided already")]
    AlreadyDecided,
    #[error("the dossier still has an objection open")]
    ObjectionOpen,
    /// Without the operating system's randomness no verification code can be trusted.
    #[error("no random source for a verification code")]
    NoRandomness,
    #[error(transparent)]
    Case(#[from] CaseError),
}

case_error_from!(ResultsError);

fn entry(actor: &str, action: &str, kind: &str, id: i64, detail: serde_json::Value) -> NewEntry {
    NewEntry {
        actor: actor.to_owned(),
        action: action.to_owned(),
        subject_kind: kind.into(),
        subject_id: id.to_string(),
        from_state: None,
        to_state: None,
        detail,
    }
}

async fn committee_of(
    db: &store::Db,
    session: &review_session::Model,
) -> Result<committee_row::Model, ResultsError> {
    committee_row::Entity::find_by_id(session.committee.clone())
        .one(db)
        .await?
        .ok_or(ResultsError::NotYours)
}

/// Moves one dossier by `action` in `txn`, as `actor`, under the procedure of `region`.
pub(crate) async fn step<C: sea_orm::ConnectionTrait>(
    desk: &Desk<'_>,
    txn: &C,
    row: &dossier::Model,
    actor: Actor,
    who: &Who,
    action: Action,
    region: &str,
) -> Result<dossier::Model, CaseError> {
    let procedure = desk.procedure(region)?;
    Ok(store::dossiers::transition_in(
        txn,
        row.id,
        row.version,
        actor,
        &who.label,
        action,
        desk.book.today(),
        procedure,
        &desk.book.calendar(),
        None,
    )
    .await?)
}

/// The dossiers a session reviewed, in `stage`.
async fn in_stage(
    db: &store::Db,
    session_id: i64,
    stage: Stage,
) -> Result<Vec<dossier::Model>, ResultsError> {
    let ids: Vec<i64> = store::ballots::results(db, session_id)
        .await?
        .into_iter()
        .map(|r| r.dossier_id)
        .collect();
    Ok(dossier::Entity::find()
        .filter(dossier::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .filter(|d| d.state == stage.code())
        .collect())
}

/// The office publicises the session's passed results: each passed dossier moves to publicity
/// until the last of the period's working days (counted from the day after). Answers how many.
pub async fn start_publicity(
    desk: &Desk<'_>,
    who: &Who,
    session_id: i64,
) -> Result<usize, ResultsError> {
    let session = store::sessions::session(desk.db, session_id)
        .await?
        .filter(|s| is_office(who, &s.committee))
        .ok_or(ResultsError::NotYours)?;
    if phase(&session) != Phase::Sealed {
        return Err(ResultsError::NotSealed);
    }
    let committee = committee_of(desk.db, &session).await?;
    let passed = in_stage(desk.db, session_id, Stage::Passed).await?;
    let txn = desk.db.begin().await?;
    for row in &passed {
        let action = Action::StartResultPublicity;
        let actor = Actor::CommitteeOffice;
        step(desk, &txn, row, actor, who, action, &committee.region).await?;
    }
    let detail = serde_json::json!({ "dossiers": passed.iter().map(|d| d.id).collect::<Vec<_>>() });
    let audit = entry(
        &who.label,
        "results.publicity",
        "review_session",
        session_id,
        detail,
    );
    audit::append(&txn, audit).await?;
    txn.commit().await?;
    Ok(passed.len())
}

/// One result in publicity as the public page lists it (never an ID number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publicised {
    pub dossier_id: i64,
    pub session_id: i64,
    pub name: String,
    pub org: String,
    /// The `{route}:{series}` key, the series and the level reached.
    pub target: String,
    pub series: String,
    pub level: String,
    pub ends_on: NaiveDate,
}

/// Every result in publicity on `today` (the period not over), by session and dossier.
pub async fn publicised(db: &store::Db, today: NaiveDate) -> Result<Vec<Publicised>, ResultsError> {
    let mut out: Vec<Publicised> = rows::publicised(db)
        .await?
        .into_iter()
        .filter_map(|d| {
            let state: State = serde_json::from_str(&d.state_detail).ok()?;
            let State::ResultPublicity {
                session_id,
                ends_on,
            } = state
            else {
                return None;
            };
            (today <= ends_on).then(|| Publicised {
                dossier_id: d.id,
                session_id,
                name: d.full_name.clone(),
                org: d.org.clone(),
                target: d.target.clone().unwrap_or_default(),
                series: d.target_series.clone().unwrap_or_default(),
                level: d.target_level.clone().unwrap_or_default(),
                ends_on,
            })
        })
        .collect();
    out.sort_by_key(|p| (p.session_id, p.dossier_id));
    Ok(out)
}

/// What someone objecting writes.
#[derive(Clone, Debug, Default)]
pub struct Objecting {
    pub reason: String,
    pub contact: String,
}

/// Anyone lodges an objection to a result in publicity, during its period. Audited without the
/// contact (which is sealed in its row).
pub async fn lodge(
    desk: &Desk<'_>,
    dossier_id: i64,
    objecting: Objecting,
) -> Result<objection::Model, ResultsError> {
    let row = dossier::Entity::find_by_id(dossier_id)
        .one(desk.db)
        .await?
        .ok_or(ResultsError::NotYours)?;
    let state: State =
        serde_json::from_str(&row.state_detail).map_err(|_| ResultsError::NotYours)?;
    let State::ResultPublicity {
        session_id,
        ends_on,
    } = state
    else {
        return Err(ResultsError::NotYours);
    };
    if desk.book.today() > ends_on {
        return Err(ResultsError::PeriodOver(ends_on));
    }
    let reason: String = objecting
        .reason
        .trim()
        .chars()
        .take(MAX_REASON_CHARS)
        .collect();
    let contact: String = objecting
        .contact
        .trim()
        .chars()
        .take(MAX_CONTACT_CHARS)
        .collect();
    if reason.is_empty() {
        return Err(ResultsError::ReasonMissing);
    }
    if contact.is_empty() {
        return Err(ResultsError::ContactMissing);
    }
    let txn = desk.db.begin().await?;
    let new = NewObjection {
        dossier_id,
        session_id,
        reason: &reason,
        contact: &contact,
        at: Utc::now(),
    };
    let lodged = rows::insert(&txn, new).await?;
    let detail = serde_json::json!({ "objection": lodged.id, "session": session_id });
    let audit = entry("public", "objection.lodge", "dossier", dossier_id, detail);
    audit::append(&txn, audit).await?;
    txn.commit().await?;
    Ok(lodged)
}

/// The organising unit's outcome of an objection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Dismissed,
    /// Upheld: the result is held until reinstated or revoked.
    Suspended,
    /// Upheld: the result is revoked.
    Revoked,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Dismissed => "dismissed",
            Outcome::Suspended => "suspended",
            Outcome::Revoked => "revoked",
        }
    }

    pub fn parse(code: &str) -> Option<Outcome> {
        [Outcome::Dismissed, Outcome::Suspended, Outcome::Revoked]
            .into_iter()
            .find(|o| o.code() == code)
    }
}

/// A session's objections, for its office.
pub async fn objections(
    db: &store::Db,
    who: &Who,
    session_id: i64,
) -> Result<Vec<objection::Model>, ResultsError> {
    let session = store::sessions::session(db, session_id)
        .await?
        .filter(|s| is_office(who, &s.committee))
        .ok_or(ResultsError::NotYours)?;
    Ok(rows::of_session(db, session.id).await?)
}

/// The office records its finding and outcome on an open objection: a held result is
/// suspended, a revoked one goes to "not passed", each in the one table.
pub async fn decide(
    desk: &Desk<'_>,
    who: &Who,
    objection_id: i64,
    outcome: Outcome,
    finding: &str,
) -> Result<(), ResultsError> {
    let found = rows::get(desk.db, objection_id)
        .await?
        .ok_or(ResultsError::NotYours)?;
    let session = store::sessions::session(desk.db, found.session_id)
        .await?
        .filter(|s| is_office(who, &s.committee))
        .ok_or(ResultsError::NotYours)?;
    let finding: String = finding.trim().chars().take(MAX_REASON_CHARS).collect();
    if finding.is_empty() {
        return Err(ResultsError::FindingMissing);
    }
    let committee = committee_of(desk.db, &session).await?;
    let row = dossier::Entity::find_by_id(found.dossier_id)
        .one(desk.db)
        .await?
        .ok_or(ResultsError::NotYours)?;
    let txn = desk.db.begin().await?;
    if !rows::decide(
        &txn,
        objection_id,
        outcome.code(),
        &finding,
        &who.label,
        Utc::now(),
    )
    .await?
    {
        return Err(ResultsError::AlreadyDecided);
    }
    let action = match (outcome, row.state.as_str()) {
        (Outcome::Suspended, "result_publicity") => Some(Action::SuspendResult),
        (Outcome::Revoked, "result_publicity" | "result_suspended") => Some(Action::RevokeResult),
        _ => None,
    };
    if let Some(action) = action {
        let actor = Actor::CommitteeOffice;
        step(desk, &txn, &row, actor, who, action, &committee.region).await?;
    }
    let detail = serde_json::json!({ "objection": objection_id, "outcome": outcome.code() });
    let audit = entry(&who.label, "objection.decide", "dossier", row.id, detail);
    audit::append(&txn, audit).await?;
    txn.commit().await?;
    Ok(())
}

/// The office reinstates a held result once its objections are decided: a new period of
/// publicity.
pub async fn reinstate(desk: &Desk<'_>, who: &Who, dossier_id: i64) -> Result<(), ResultsError> {
    let row = dossier::Entity::find_by_id(dossier_id)
        .one(desk.db)
        .await?
        .ok_or(ResultsError::NotYours)?;
    let session_id = serde_json::from_str::<State>(&row.state_detail)
        .ok()
        .and_then(|s| s.session_id())
        .ok_or(ResultsError::NotYours)?;
    let session = store::sessions::session(desk.db, session_id)
        .await?
        .filter(|s| is_office(who, &s.committee))
        .ok_or(ResultsError::NotYours)?;
    if !rows::open_for(desk.db, &[dossier_id]).await?.is_empty() {
        return Err(ResultsError::ObjectionOpen);
    }
    let committee = committee_of(desk.db, &session).await?;
    let txn = desk.db.begin().await?;
    let actor = Actor::CommitteeOffice;
    let action = Action::ReinstateResult;
    step(desk, &txn, &row, actor, who, action, &committee.region).await?;
    txn.commit().await?;
    Ok(())
}

/// Why a result of a session is not confirmed yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Waiting {
    /// The publicity runs until the end of this day.
    Publicity(NaiveDate),
    ObjectionOpen,
}

/// What a confirmation did: the dossiers confirmed (or filed), and those that wait, with why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Confirmation {
    pub confirmed: Vec<i64>,
    pub filed: bool,
    pub waiting: Vec<(i64, Waiting)>,
}

/// Whether `who` is the provincial administrator of `region`.
pub fn administers(who: &Who, region: &str) -> bool {
    who.grants.iter().any(|g| {
        g.role() == Some(Role::ProvincialAdmin) && g.scope_region.as_deref() == Some(region)
    })
}

/// The provincial administrator of the committee's region confirms each result of the session
/// whose publicity is over and which has no objection open (a self-review committee's are
/// filed instead); the others wait, and the answer says why.
pub async fn confirm(
    desk: &Desk<'_>,
    who: &Who,
    session_id: i64,
) -> Result<Confirmation, ResultsError> {
    let session = store::sessions::session(desk.db, session_id)
        .await?
        .ok_or(ResultsError::NotYours)?;
    let committee = committee_of(desk.db, &session).await?;
    if !administers(who, &committee.region) {
        return Err(ResultsError::NotYours);
    }
    let rows_now = in_stage(desk.db, session_id, Stage::ResultPublicity).await?;
    let ids: Vec<i64> = rows_now.iter().map(|d| d.id).collect();
    let objected = rows::open_for(desk.db, &ids).await?;
    let today = desk.book.today();
    let mut done = Confirmation {
        filed: committee.self_review,
        ..Confirmation::default()
    };
    let txn = desk.db.begin().await?;
    for row in &rows_now {
        let ends_on = match serde_json::from_str::<State>(&row.state_detail) {
            Ok(State::ResultPublicity { ends_on, .. }) => ends_on,
            _ => continue,
        };
        if today <= ends_on {
            done.waiting.push((row.id, Waiting::Publicity(ends_on)));
            continue;
        }
        if objected.contains(&row.id) {
            done.waiting.push((row.id, Waiting::ObjectionOpen));
            continue;
        }
        let action = if committee.self_review {
            Action::FileResult
        } else {
            Action::ConfirmResult
        };
        let actor = Actor::ProvincialAdmin;
        let confirmed = step(desk, &txn, row, actor, who, action, &committee.region).await?;
        issue(desk, &txn, &confirmed, &session, who, &committee).await?;
        done.confirmed.push(row.id);
    }
    if !done.confirmed.is_empty() {
        let detail = serde_json::json!({ "dossiers": done.confirmed, "filed": done.filed });
        let audit = entry(
            &who.label,
            "results.confirm",
            "review_session",
            session_id,
            detail,
        );
        audit::append(&txn, audit).await?;
    }
    txn.commit().await?;
    Ok(done)
}

/// The letters of a verification code: no 0/O, 1/I/L to misread.
const CODE_LETTERS: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A fresh verification code of 12 letters from the operating system's randomness.
fn verification_code() -> Result<String, ResultsError> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|_| ResultsError::NoRandomness)?;
    Ok(bytes
        .iter()
        .map(|b| CODE_LETTERS[*b as usize % CODE_LETTERS.len()] as char)
        .collect())
}

/// Issues the electronic certificate of a confirmed dossier, in the confirmation's transaction:
/// its number (region, year, dossier), a verification code, and the dossier moves to certified.
async fn issue<C: sea_orm::ConnectionTrait>(
    desk: &Desk<'_>,
    txn: &C,
    row: &dossier::Model,
    session: &review_session::Model,
    who: &Who,
    committee: &committee_row::Model,
) -> Result<(), ResultsError> {
    use chrono::Datelike;
    let today = desk.book.today();
    let number = format!("{}{}{:07}", committee.region, today.year(), row.id);
    let code = verification_code()?;
    let new = store::certificates::NewCertificate {
        number: &number,
        code: &code,
        dossier_id: row.id,
        session_id: session.id,
        holder: &row.full_name,
        org: &row.org,
        target: row.target.as_deref().unwrap_or_default(),
        committee: &committee.code,
        issued_on: today,
    };
    let certificate = store::certificates::insert(txn, new).await?;
    let actor = Actor::ProvincialAdmin;
    let action = Action::IssueCertificate;
    step(desk, txn, row, actor, who, action, &committee.region).await?;
    let detail = serde_json::json!({ "certificate": certificate.id, "number": number });
    let audit = entry(&who.label, "certificate.issue", "dossier", row.id, detail);
    audit::append(txn, audit).await?;
    Ok(())
}

/// What a verification code says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verified {
    Valid(store::entities::certificate::Model),
    Revoked(store::entities::certificate::Model),
    Unknown,
}

/// Verifies a certificate by its code (public: anyone may ask).
pub async fn verify(db: &store::Db, code: &str) -> Result<Verified, ResultsError> {
    let code = code.trim().to_ascii_uppercase();
    if code.is_empty() || code.len() > 32 {
        return Ok(Verified::Unknown);
    }
    Ok(match store::certificates::by_code(db, &code).await? {
        Some(c) if c.status == "revoked" => Verified::Revoked(c),
        Some(c) => Verified::Valid(c),
        None => Verified::Unknown,
    })
}

/// The sessions of the administrator's region with results in publicity or held, newest first:
/// (session, committee, in publicity, held).
pub async fn to_confirm(
    db: &store::Db,
    who: &Who,
) -> Result<Vec<(review_session::Model, committee_row::Model, usize, usize)>, ResultsError> {
    let mut out = Vec::new();
    let dossiers = dossier::Entity::find()
        .filter(
            dossier::Column::State
                .is_in([Stage::ResultPublicity.code(), Stage::ResultSuspended.code()]),
        )
        .all(db)
        .await?;
    let mut sessions: Vec<i64> = dossiers
        .iter()
        .filter_map(|d| {
            serde_json::from_str::<State>(&d.state_detail)
                .ok()?
                .session_id()
        })
        .collect();
    sessions.sort_unstable();
    sessions.dedup();
    for id in sessions.into_iter().rev() {
        let Some(session) = store::sessions::session(db, id).await? else {
            continue;
        };
        let committee = committee_of(db, &session).await?;
        if !administers(who, &committee.region) {
            continue;
        }
        let of_session = |stage: Stage| {
            dossiers
                .iter()
                .filter(|d| d.state == stage.code())
                .filter(|d| {
                    serde_json::from_str::<State>(&d.state_detail)
                        .ok()
                        .and_then(|s| s.session_id())
                        == Some(id)
                })
                .count()
        };
        let (publicity, held) = (
            of_session(Stage::ResultPublicity),
            of_session(Stage::ResultSuspended),
        );
        out.push((session, committee, publicity, held));
    }
    Ok(out)
}
