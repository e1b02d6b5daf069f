//! Review sessions (评审会议) up to the meeting: the office opens a session for accepted dossiers,
//! its groups planned under the rules in force on its day; draws each group's experts
//! (reproducibly, witnessed, audited); experts and the office declare recusals (回避) and an
//! applicant asks for one; experts read their group's dossiers and enter their scores and
//! opinion. Each command takes the actor and a typed command and answers a typed result or an
//! error whose variants say what the person sees; a refusal of someone with no business here is
//! `NotYours`, which the web layer answers with the same 404 as for anything that does not exist.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde::{Deserialize, Serialize};
use store::audit::{self, NewEntry};
use store::entities::{committee as committee_row, dossier, expert, review_group, review_session};
use store::sessions::{self as rows, NewRecusal, NewSession, StoredDraw};
use store::workflow::{Action, Actor, Role, Stage};
use store::Db;

use crate::commands::Desk;
use crate::committee::{
    plan, pool_expert, Applicant, Committee, FilingProblem, Ground, GroupAsk, GroupKind,
    SizeProblem, SizeRules, Source, Tier,
};
use crate::dossier::Who;
use crate::draw::{self, Constraints, DrawError, Drawn, MissingParameter, PoolExpert};
use crate::CaseError;

fn db_err(e: sea_orm::DbErr) -> CaseError {
    e.into()
}

/// Whether `who` holds the office of committee `code`.
pub fn is_office(who: &Who, code: &str) -> bool {
    who.grants.iter().any(|g| {
        g.role() == Some(Role::CommitteeOffice) && g.scope_committee.as_deref() == Some(code)
    })
}

/// A committee the signed-in person runs the office of, or `None` (not found for them).
pub async fn office_committee(
    db: &Db,
    who: &Who,
    code: &str,
) -> Result<Option<Committee>, CaseError> {
    if !is_office(who, code) {
        return Ok(None);
    }
    let row = committee_row::Entity::find_by_id(code.to_owned())
        .one(db)
        .await
        .map_err(db_err)?;
    Ok(row.as_ref().map(Committee::from))
}

/// What the office asks for when it opens a session.
#[derive(Clone, Debug)]
pub struct OpenSession {
    pub committee: String,
    pub name: String,
    pub sits_on: NaiveDate,
    pub tiers: Vec<Tier>,
    pub dossiers: Vec<i64>,
    pub general: GroupAsk,
    pub high_skill: GroupAsk,
}

/// Why an accepted dossier cannot join a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DossierProblem {
    /// Not (or no longer) accepted for review, or another committee's.
    NotAccepted,
    OtherSeries {
        series: String,
    },
    OtherTier {
        level: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// Not this committee's office (answered as "not found").
    #[error("not found")]
    NotYours,
    #[error("the committee's filing does not allow a session that day: {0:?}")]
    Filing(FilingProblem),
    #[error("the session needs a name")]
    NameMissing,
    #[error("the session reviews no tier the committee reviews")]
    Tiers,
    #[error("dossier {id} cannot join: {why:?}")]
    Dossier { id: i64, why: DossierProblem },
    #[error("the session breaks the size rules: {0:?}")]
    Size(Vec<SizeProblem>),
    #[error(transparent)]
    Rules(#[from] MissingParameter),
    #[error("no rules are in force for the committee's region that day")]
    NoRules,
    #[error(transparent)]
    Case(#[from] CaseError),
}

case_error_from!(SessionError);

/// The rules a committee's session works under: those in force in its region on its day.
fn size_rules(desk: &Desk<'_>, c: &Committee, day: NaiveDate) -> Result<SizeRules, SessionError> {
    let rules = desk
        .book
        .in_force(&c.region, day)
        .ok_or(SessionError::NoRules)?;
    Ok(SizeRules::from_rules(&rules.rules)?)
}

/// Whether an applicant of a title committee is a high-skill talent: every title route of this
/// product is one for high-skill talents (96号文 二(二)), so a dossier seeking a title is one.
fn high_skill_applicant(row: &dossier::Model) -> bool {
    row.target_series.as_deref().is_some_and(|s| !s.is_empty())
}

/// Checks that a dossier may join a session of `c` for `tiers`.
fn joinable(row: &dossier::Model, c: &Committee, tiers: &[Tier]) -> Result<(), DossierProblem> {
    if row.state != Stage::AcceptedForReview.code() || row.committee != c.code {
        return Err(DossierProblem::NotAccepted);
    }
    let series = row.target_series.clone().unwrap_or_default();
    if series != c.series {
        return Err(DossierProblem::OtherSeries { series });
    }
    let level = row.target_level.clone().unwrap_or_default();
    match rules::TitleLevel::from_code(&level) {
        Some(l) if tiers.contains(&Tier::of(l)) => Ok(()),
        _ => Err(DossierProblem::OtherTier { level }),
    }
}

/// The office opens a session: checks the filing on the session's day, the tiers, every
/// dossier and the size rules in force that day, then writes the session, its groups, its
/// dossiers (each moved to "in review" with its audit entry) and the session's audit entry in
/// one transaction. Answers the session's id.
pub async fn open(desk: &Desk<'_>, who: &Who, cmd: OpenSession) -> Result<i64, SessionError> {
    let c = office_committee(desk.db, who, &cmd.committee)
        .await?
        .ok_or(SessionError::NotYours)?;
    let name = cmd.name.trim();
    if name.is_empty() {
        return Err(SessionError::NameMissing);
    }
    c.filing_on(cmd.sits_on).map_err(SessionError::Filing)?;
    let tiers: Vec<Tier> = cmd
        .tiers
        .iter()
        .copied()
        .filter(|t| c.tiers.contains(t))
        .collect();
    if tiers.is_empty() || tiers.len() != cmd.tiers.len() {
        return Err(SessionError::Tiers);
    }
    let size = size_rules(desk, &c, cmd.sits_on)?;
    let ids: BTreeSet<i64> = cmd.dossiers.iter().copied().collect();
    let found = dossier::Entity::find()
        .filter(dossier::Column::Id.is_in(ids.iter().copied()))
        .all(desk.db)
        .await?;
    let mut applicants = Vec::new();
    for id in &ids {
        let row = found
            .iter()
            .find(|d| d.id == *id)
            .ok_or(SessionError::Dossier {
                id: *id,
                why: DossierProblem::NotAccepted,
            })?;
        joinable(row, &c, &tiers).map_err(|why| SessionError::Dossier { id: *id, why })?;
        applicants.push(Applicant {
            dossier_id: *id,
            high_skill: high_skill_applicant(row),
        });
    }
    let groups =
        plan(&c, &applicants, cmd.general, cmd.high_skill, &size).map_err(SessionError::Size)?;
    let procedure = desk.procedure(&c.region)?;
    let txn = desk.db.begin().await?;
    let session = rows::insert_session(
        &txn,
        NewSession {
            committee: &c.code,
            series: &c.series,
            tiers: &Tier::codes(&tiers),
            sits_on: cmd.sits_on,
            name,
            created_by: &who.label,
        },
    )
    .await?;
    for g in &groups {
        rows::insert_group(
            &txn,
            session.id,
            g.kind.code(),
            g.members as i32,
            g.min_high_skill as i32,
            g.reserves as i32,
        )
        .await?;
        for id in &g.applicants {
            rows::insert_session_dossier(&txn, session.id, *id, g.kind.code()).await?;
            let row = found.iter().find(|d| d.id == *id).expect("checked above");
            store::dossiers::transition_in(
                &txn,
                *id,
                row.version,
                Actor::CommitteeOffice,
                &who.label,
                Action::AssignToSession {
                    session_id: session.id,
                },
                desk.book.today(),
                procedure,
                &desk.book.calendar(),
                None,
            )
            .await
            .map_err(CaseError::from)?;
        }
    }
    let detail = serde_json::json!({
        "committee": c.code,
        "sits_on": cmd.sits_on,
        "tiers": Tier::codes(&tiers),
        "groups": groups.iter().map(|g| serde_json::json!({
            "kind": g.kind.code(),
            "applicants": g.applicants,
            "members": g.members,
            "min_high_skill": g.min_high_skill,
            "reserves": g.reserves,
        })).collect::<Vec<_>>(),
    });
    audit::append(&txn, entry(&who.label, "session.open", session.id, detail)).await?;
    txn.commit().await?;
    Ok(session.id)
}

fn entry(actor: &str, action: &str, session_id: i64, detail: serde_json::Value) -> NewEntry {
    NewEntry {
        actor: actor.to_owned(),
        action: action.to_owned(),
        subject_kind: "review_session".into(),
        subject_id: session_id.to_string(),
        from_state: None,
        to_state: None,
        detail,
    }
}

/// A session with its committee, for the office.
pub struct SessionView {
    pub session: review_session::Model,
    pub committee: Committee,
    pub groups: Vec<GroupView>,
    pub recusals: Vec<store::entities::recusal::Model>,
}

/// A group with its applicants and, once drawn, who was drawn.
pub struct GroupView {
    pub group: review_group::Model,
    pub kind: GroupKind,
    pub applicants: Vec<dossier::Model>,
    pub drawn: Option<Drawn>,
    /// The drawn experts, members then reserves, each with whether a reserve.
    pub experts: Vec<(expert::Model, bool)>,
}

/// The session as its committee's office sees it, or `None` (not found for them).
pub async fn view(db: &Db, who: &Who, session_id: i64) -> Result<Option<SessionView>, CaseError> {
    let Some(session) = rows::session(db, session_id).await? else {
        return Ok(None);
    };
    let Some(committee) = office_committee(db, who, &session.committee).await? else {
        return Ok(None);
    };
    let pool = rows::pool(db, &committee.code).await?;
    let placed = rows::session_dossiers(db, session_id).await?;
    let dossiers = dossier::Entity::find()
        .filter(dossier::Column::Id.is_in(placed.iter().map(|p| p.dossier_id)))
        .all(db)
        .await
        .map_err(db_err)?;
    let mut groups = Vec::new();
    for group in rows::groups(db, session_id).await? {
        let Some(kind) = GroupKind::parse(&group.kind) else {
            continue;
        };
        let applicants = placed
            .iter()
            .filter(|p| p.grp == group.kind)
            .filter_map(|p| dossiers.iter().find(|d| d.id == p.dossier_id).cloned())
            .collect();
        let drawn = group
            .drawn
            .as_deref()
            .and_then(|d| serde_json::from_str::<Drawn>(d).ok());
        let experts = rows::members(db, group.id)
            .await?
            .into_iter()
            .filter_map(|m| {
                pool.iter()
                    .find(|e| e.id == m.expert_id)
                    .map(|e| (e.clone(), m.reserve))
            })
            .collect();
        groups.push(GroupView {
            group,
            kind,
            applicants,
            drawn,
            experts,
        });
    }
    let recusals = rows::recusals(db, session_id).await?;
    Ok(Some(SessionView {
        session,
        committee,
        groups,
        recusals,
    }))
}

#[derive(Debug, thiserror::Error)]
pub enum DrawRunError {
    #[error("not found")]
    NotYours,
    #[error("this group has been drawn already")]
    AlreadyDrawn,
    #[error("the draw needs a witness")]
    WitnessMissing,
    #[error(transparent)]
    NotEnough(#[from] DrawError),
    #[error(transparent)]
    Rules(#[from] MissingParameter),
    #[error(transparent)]
    Case(#[from] CaseError),
}

case_error_from!(DrawRunError);

/// Everything a group's draw runs on, read from the database.
struct DrawInput {
    pool: Vec<PoolExpert>,
    constraints: Constraints,
    /// (expert, dossier) pairs of the same unit: recorded as automatic recusals.
    same_unit: Vec<(i64, i64)>,
}

async fn draw_input(
    db: &Db,
    session: &review_session::Model,
    group: &review_group::Model,
) -> Result<DrawInput, CaseError> {
    let pool_rows = rows::pool(db, &session.committee).await?;
    let placed = rows::session_dossiers(db, session.id).await?;
    let ids: Vec<i64> = placed
        .iter()
        .filter(|p| p.grp == group.kind)
        .map(|p| p.dossier_id)
        .collect();
    let applicants = dossier::Entity::find()
        .filter(dossier::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
        .map_err(db_err)?;
    let mut same_unit = Vec::new();
    for e in &pool_rows {
        for d in &applicants {
            if !e.unit.is_empty() && e.unit == d.org {
                same_unit.push((e.id, d.id));
            }
        }
    }
    let declared = rows::recusals(db, session.id).await?;
    let mut recused: BTreeSet<i64> = same_unit.iter().map(|(e, _)| *e).collect();
    recused.extend(
        declared
            .iter()
            .filter(|r| r.status == "in_force" && ids.contains(&r.dossier_id))
            .map(|r| r.expert_id),
    );
    let lowest = Tier::list(&session.tiers)
        .into_iter()
        .min()
        .map(Tier::lowest)
        .unwrap_or(rules::TitleLevel::Senior);
    let constraints = Constraints {
        on: session.sits_on,
        series: session.series.clone(),
        min_title_rank: lowest.index() as u8,
        members: group.members as u32,
        min_high_skill: group.min_high_skill as u32,
        reserves: group.reserves as u32,
        recused,
    };
    Ok(DrawInput {
        pool: pool_rows.iter().map(pool_expert).collect(),
        constraints,
        same_unit,
    })
}

/// The pool snapshot and constraints a group's draw would run on now.
pub async fn draw_input_for(
    db: &Db,
    session: &review_session::Model,
    group: &review_group::Model,
) -> Result<(Vec<PoolExpert>, Constraints), CaseError> {
    let input = draw_input(db, session, group).await?;
    Ok((input.pool, input.constraints))
}

/// A fresh seed of 32 random bytes from the operating system.
pub fn fresh_seed() -> String {
    let mut bytes = [0u8; 32];
    // Without a working random source no draw can be trusted: a zero seed would be visible
    // in the audit and re-runs identically, so it is never silently used.
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    draw::seed_of(bytes)
}

/// The office draws a group's members and reserves, witnessed: the constraints, the pool
/// snapshot, the outcome and the automatic same-unit recusals are stored with the audit entry
/// in one transaction. A group is drawn once.
pub async fn run_draw(
    desk: &Desk<'_>,
    who: &Who,
    session_id: i64,
    kind: GroupKind,
    witness: &str,
    seed: Option<String>,
) -> Result<Drawn, DrawRunError> {
    let session = rows::session(desk.db, session_id)
        .await?
        .ok_or(DrawRunError::NotYours)?;
    if !is_office(who, &session.committee) {
        return Err(DrawRunError::NotYours);
    }
    let witness = witness.trim();
    if witness.is_empty() {
        return Err(DrawRunError::WitnessMissing);
    }
    let group = rows::groups(desk.db, session_id)
        .await?
        .into_iter()
        .find(|g| g.kind == kind.code())
        .ok_or(DrawRunError::NotYours)?;
    if group.drawn.is_some() {
        return Err(DrawRunError::AlreadyDrawn);
    }
    let input = draw_input(desk.db, &session, &group).await?;
    let seed = seed.unwrap_or_else(fresh_seed);
    let drawn = draw::draw(&input.pool, &input.constraints, &seed)?;
    let members = drawn
        .members
        .iter()
        .enumerate()
        .map(|(i, e)| (*e, i as i32, false))
        .chain(
            drawn
                .reserves
                .iter()
                .enumerate()
                .map(|(i, e)| (*e, i as i32, true)),
        )
        .collect();
    let txn = desk.db.begin().await?;
    let stored = rows::store_draw(
        &txn,
        StoredDraw {
            group_id: group.id,
            constraints: json(&input.constraints),
            pool: json(&input.pool),
            drawn: json(&drawn),
            drawn_by: &who.label,
            witness,
            at: Utc::now(),
            members,
        },
    )
    .await?;
    if !stored {
        return Err(DrawRunError::AlreadyDrawn);
    }
    let existing = rows::recusals(&txn, session_id).await?;
    for (expert_id, dossier_id) in &input.same_unit {
        let known = existing.iter().any(|r| {
            r.expert_id == *expert_id && r.dossier_id == *dossier_id && r.ground == "same_unit"
        });
        if !known {
            rows::insert_recusal(
                &txn,
                NewRecusal {
                    session_id,
                    expert_id: *expert_id,
                    dossier_id: *dossier_id,
                    ground: Ground::SameUnit.code(),
                    source: Source::Automatic.code(),
                    reason: "",
                    status: "in_force",
                    declared_by: "system",
                },
            )
            .await?;
        }
    }
    let detail = serde_json::json!({
        "group": kind.code(),
        "seed": drawn.seed,
        "pool_hash": drawn.pool_hash,
        "members": drawn.members,
        "reserves": drawn.reserves,
        "witness": witness,
        "recused": input.constraints.recused,
    });
    audit::append(&txn, entry(&who.label, "session.draw", session_id, detail)).await?;
    txn.commit().await?;
    Ok(drawn)
}

/// A value stored as JSON text.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// What re-running a stored draw found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verified {
    /// The same members and reserves from the stored seed, snapshot and constraints.
    Same,
    /// Something differs: the snapshot's hash, or the outcome.
    Differs,
    NotDrawn,
    /// The stored draw does not read (named).
    Unreadable(String),
}

/// Re-runs every group's stored draw of a session (`server draw verify <session>`).
pub async fn verify(
    db: &Db,
    session_id: i64,
) -> Result<Option<Vec<(String, Verified)>>, CaseError> {
    if rows::session(db, session_id).await?.is_none() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for g in rows::groups(db, session_id).await? {
        let outcome = match (&g.pool, &g.constraints, &g.drawn) {
            (Some(pool), Some(constraints), Some(drawn)) => {
                let read = || -> Result<(Vec<PoolExpert>, Constraints, Drawn), String> {
                    Ok((
                        serde_json::from_str(pool).map_err(|e| format!("pool: {e}"))?,
                        serde_json::from_str(constraints)
                            .map_err(|e| format!("constraints: {e}"))?,
                        serde_json::from_str(drawn).map_err(|e| format!("drawn: {e}"))?,
                    ))
                };
                match read() {
                    Ok((pool, constraints, drawn)) => {
                        let members_stored = rows::members(db, g.id).await?;
                        let listed: Vec<i64> = members_stored.iter().map(|m| m.expert_id).collect();
                        let expected: Vec<i64> = drawn
                            .members
                            .iter()
                            .chain(&drawn.reserves)
                            .copied()
                            .collect();
                        let same_rows = listed == expected;
                        match draw::verify(&pool, &constraints, &drawn) {
                            Ok(true) if same_rows => Verified::Same,
                            Ok(_) | Err(_) => Verified::Differs,
                        }
                    }
                    Err(why) => Verified::Unreadable(why),
                }
            }
            _ => Verified::NotDrawn,
        };
        out.push((g.kind.clone(), outcome));
    }
    Ok(Some(out))
}

/// A recusal as declared by an expert, the office or the applicant.
#[derive(Clone, Debug)]
pub struct DeclareRecusal {
    pub session_id: i64,
    pub expert_id: i64,
    pub dossier_id: i64,
    pub ground: Ground,
    pub reason: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RecusalError {
    #[error("not found")]
    NotYours,
    /// "Other" grounds and an applicant's request need a reason.
    #[error("a reason is needed")]
    ReasonRequired,
    #[error("this expert already steps out of this applicant's review")]
    AlreadyRecused,
    #[error(transparent)]
    Case(#[from] CaseError),
}

case_error_from!(RecusalError);

/// The most characters a recusal's reason keeps.
const MAX_REASON_CHARS: usize = rules::limits::MAX_REASON_CHARS;

/// Declares a recusal: the expert themself or the office (in force at once), or the applicant
/// (a request, which the office decides). Written with its audit entry.
pub async fn declare(
    desk: &Desk<'_>,
    who: &Who,
    cmd: DeclareRecusal,
) -> Result<store::entities::recusal::Model, RecusalError> {
    let session = rows::session(desk.db, cmd.session_id)
        .await?
        .ok_or(RecusalError::NotYours)?;
    let placed = rows::session_of_dossier(desk.db, cmd.dossier_id).await?;
    if placed.map(|p| p.session_id) != Some(session.id) {
        return Err(RecusalError::NotYours);
    }
    let expert = expert::Entity::find_by_id(cmd.expert_id)
        .one(desk.db)
        .await?
        .filter(|e| e.committee == session.committee)
        .ok_or(RecusalError::NotYours)?;
    let owner = dossier::Entity::find_by_id(cmd.dossier_id)
        .one(desk.db)
        .await?
        .map(|d| d.owner_id);
    let source = if is_office(who, &session.committee) {
        Source::Office
    } else if expert.account_id == who.account_id {
        Source::Expert
    } else if owner == Some(who.account_id) {
        Source::Applicant
    } else {
        return Err(RecusalError::NotYours);
    };
    let reason: String = cmd.reason.trim().chars().take(MAX_REASON_CHARS).collect();
    if reason.is_empty() && (cmd.ground == Ground::Other || source == Source::Applicant) {
        return Err(RecusalError::ReasonRequired);
    }
    let existing = rows::recusals(desk.db, session.id).await?;
    if existing.iter().any(|r| {
        r.expert_id == cmd.expert_id && r.dossier_id == cmd.dossier_id && r.status == "in_force"
    }) {
        return Err(RecusalError::AlreadyRecused);
    }
    let status = if source == Source::Applicant {
        "requested"
    } else {
        "in_force"
    };
    let txn = desk.db.begin().await?;
    let row = rows::insert_recusal(
        &txn,
        NewRecusal {
            session_id: session.id,
            expert_id: cmd.expert_id,
            dossier_id: cmd.dossier_id,
            ground: cmd.ground.code(),
            source: source.code(),
            reason: &reason,
            status,
            declared_by: &who.label,
        },
    )
    .await?;
    let detail = serde_json::json!({
        "recusal": row.id,
        "expert": cmd.expert_id,
        "dossier": cmd.dossier_id,
        "ground": cmd.ground.code(),
        "source": source.code(),
        "status": status,
    });
    audit::append(
        &txn,
        entry(&who.label, "recusal.declare", session.id, detail),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// The office decides an applicant's request for a recusal: upheld (in force) or refused.
pub async fn decide_request(
    desk: &Desk<'_>,
    who: &Who,
    session_id: i64,
    recusal_id: i64,
    uphold: bool,
) -> Result<bool, RecusalError> {
    let session = rows::session(desk.db, session_id)
        .await?
        .ok_or(RecusalError::NotYours)?;
    if !is_office(who, &session.committee) {
        return Err(RecusalError::NotYours);
    }
    let status = if uphold { "in_force" } else { "refused" };
    let txn = desk.db.begin().await?;
    let known = rows::recusals(&txn, session_id)
        .await?
        .iter()
        .any(|r| r.id == recusal_id);
    if !known {
        return Err(RecusalError::NotYours);
    }
    let decided = rows::decide_recusal(&txn, recusal_id, status, &who.label).await?;
    if decided {
        let detail = serde_json::json!({ "recusal": recusal_id, "status": status });
        audit::append(
            &txn,
            entry(&who.label, "recusal.decide", session_id, detail),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(decided)
}

/// One dossier an expert may review, where and how far they are with it.
#[derive(Clone, Debug)]
pub struct Seat {
    pub session: review_session::Model,
    pub expert: expert::Model,
    pub group: GroupKind,
    /// The committee's region, whose rules say which methods the dossier's route scores.
    pub region: String,
    pub dossier: dossier::Model,
    pub assessment: Option<store::entities::assessment::Model>,
}

/// Every dossier the signed-in expert may review: those of the groups they were drawn into as a
/// member, less those they step out of. Nothing for anyone else, nor for an expert the office
/// has deactivated since the draw. One query (`store::sessions::seat_rows`), which also decides
/// [`seat`]: the list and the dossier page never disagree on who sits where.
pub async fn seats(db: &Db, who: &Who) -> Result<Vec<rows::SeatRow>, CaseError> {
    Ok(rows::seat_rows(db, who.account_id, None).await?)
}

/// The seat of the signed-in expert for one dossier of a session, or `None`: another session's
/// expert, a reserve, a recused expert and everyone else get the same "not found".
pub async fn seat(
    db: &Db,
    who: &Who,
    session_id: i64,
    dossier_id: i64,
) -> Result<Option<Seat>, CaseError> {
    let Some(found) = rows::seat_rows(db, who.account_id, Some((session_id, dossier_id)))
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let Some(group) = GroupKind::parse(&found.group_kind) else {
        return Ok(None);
    };
    let (Some(session), Some(expert), Some(dossier)) = (
        rows::session(db, session_id).await?,
        expert::Entity::find_by_id(found.expert_id)
            .one(db)
            .await
            .map_err(db_err)?,
        dossier::Entity::find_by_id(dossier_id)
            .one(db)
            .await
            .map_err(db_err)?,
    ) else {
        return Ok(None);
    };
    let region = committee_row::Entity::find_by_id(session.committee.clone())
        .one(db)
        .await
        .map_err(db_err)?
        .map(|c| c.region)
        .unwrap_or_default();
    let assessment = match found.assessed_by {
        Some(by) => store::entities::assessment::Entity::find_by_id((session_id, by, dossier_id))
            .one(db)
            .await
            .map_err(db_err)?,
        None => None,
    };
    Ok(Some(Seat {
        session,
        expert,
        group,
        region,
        dossier,
        assessment,
    }))
}

/// An expert's scores (per evaluation method, 0–100) and written opinion.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores {
    pub scores: BTreeMap<String, u32>,
    pub opinion: String,
}

/// What is wrong with an assessment, by field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScoreProblem {
    /// A method of the route has no score.
    Missing(String),
    /// A score outside 0 to the maximum.
    OutOfRange {
        method: String,
        max: u32,
    },
    /// A method the route does not score.
    Unknown(String),
    OpinionMissing,
}

#[derive(Debug, thiserror::Error)]
pub enum AssessError {
    #[error("not found")]
    NotYours,
    #[error("the assessment has problems: {0:?}")]
    Problems(Vec<ScoreProblem>),
    #[error(transparent)]
    Case(#[from] CaseError),
}

/// The highest score of a method.
pub const MAX_SCORE: u32 = rules::limits::MAX_SCORE;

/// The evaluation methods a dossier's review scores, under the rules in force on the session's
/// day in the committee's region.
pub fn methods(desk: &Desk<'_>, seat: &Seat, region: &str) -> Vec<String> {
    let route = seat.dossier.target_route.clone().unwrap_or_default();
    desk.book
        .in_force(region, seat.session.sits_on)
        .map(|r| r.rules.methods_of(&route).to_vec())
        .unwrap_or_default()
}

/// Checks an assessment against the methods its route scores.
pub fn check_scores(scores: &Scores, methods: &[String]) -> Vec<ScoreProblem> {
    let mut problems = Vec::new();
    for m in methods {
        match scores.scores.get(m) {
            None => problems.push(ScoreProblem::Missing(m.clone())),
            Some(v) if *v > MAX_SCORE => problems.push(ScoreProblem::OutOfRange {
                method: m.clone(),
                max: MAX_SCORE,
            }),
            Some(_) => {}
        }
    }
    for m in scores.scores.keys() {
        if !methods.contains(m) {
            problems.push(ScoreProblem::Unknown(m.clone()));
        }
    }
    if scores.opinion.trim().is_empty() {
        problems.push(ScoreProblem::OpinionMissing);
    }
    problems
}

/// The expert saves their assessment of a dossier of their group; seen by nobody but them and,
/// for its progress, the office, until the meeting.
pub async fn assess(
    desk: &Desk<'_>,
    who: &Who,
    session_id: i64,
    dossier_id: i64,
    scores: Scores,
) -> Result<(), AssessError> {
    let seat = seat(desk.db, who, session_id, dossier_id)
        .await?
        .ok_or(AssessError::NotYours)?;
    let problems = check_scores(&scores, &methods(desk, &seat, &seat.region));
    if !problems.is_empty() {
        return Err(AssessError::Problems(problems));
    }
    let opinion: String = scores
        .opinion
        .trim()
        .chars()
        .take(rules::limits::MAX_OPINION_CHARS)
        .collect();
    let txn = desk.db.begin().await.map_err(db_err)?;
    rows::save_assessment(
        &txn,
        session_id,
        seat.expert.id,
        dossier_id,
        serde_json::to_string(&scores.scores).unwrap_or_default(),
        opinion,
    )
    .await
    .map_err(CaseError::from)?;
    // The audit says who assessed which dossier, never the scores (hidden until the meeting).
    let detail = serde_json::json!({ "dossier": dossier_id, "expert": seat.expert.id });
    audit::append(
        &txn,
        entry(&who.label, "assessment.save", session_id, detail),
    )
    .await
    .map_err(CaseError::from)?;
    txn.commit().await.map_err(db_err)?;
    Ok(())
}

/// How far the experts of a session are: for each drawn member and each dossier of their group
/// they do not step out of, whether they have assessed it.
pub async fn progress(
    db: &Db,
    view: &SessionView,
) -> Result<Vec<(expert::Model, i64, bool)>, CaseError> {
    let assessed = rows::assessments(db, view.session.id).await?;
    let mut out = Vec::new();
    for g in &view.groups {
        for (e, reserve) in &g.experts {
            if *reserve {
                continue;
            }
            for d in &g.applicants {
                let recused = view
                    .recusals
                    .iter()
                    .any(|r| r.expert_id == e.id && r.dossier_id == d.id && r.status == "in_force");
                if recused {
                    continue;
                }
                let done = assessed
                    .iter()
                    .any(|a| a.expert_id == e.id && a.dossier_id == d.id);
                out.push((e.clone(), d.id, done));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assessment_scores_exactly_the_routes_methods() {
        let methods = vec!["performance_review".to_owned(), "interview".to_owned()];
        let scores = |pairs: &[(&str, u32)], opinion: &str| Scores {
            scores: pairs.iter().map(|(m, v)| ((*m).to_owned(), *v)).collect(),
            opinion: opinion.into(),
        };
        let good = scores(&[("performance_review", 85), ("interview", 0)], "业绩突出");
        assert_eq!(check_scores(&good, &methods), vec![]);
        assert_eq!(
            check_scores(&scores(&[("performance_review", 85)], " "), &methods),
            vec![
                ScoreProblem::Missing("interview".into()),
                ScoreProblem::OpinionMissing
            ]
        );
        assert_eq!(
            check_scores(
                &scores(
                    &[
                        ("performance_review", MAX_SCORE + 1),
                        ("interview", 70),
                        ("theory_exam", 60)
                    ],
                    "好"
                ),
                &methods
            ),
            vec![
                ScoreProblem::OutOfRange {
                    method: "performance_review".into(),
                    max: MAX_SCORE
                },
                ScoreProblem::Unknown("theory_exam".into())
            ]
        );
    }
}
