//! The meeting's secret ballot (无记名投票, 40号令; POLICY §9): the office records who attends,
//! opens the ballot once every group has its quorum, each attending expert who is not recused
//! casts one ballot per applicant of their group (同意 / 不同意 / 弃权) as themselves, the
//! office closes the ballot and the results are counted, and the chair (or a vice-chair) signs
//! them: the result's hash enters the audit chain and each applicant moves on in the one table.
//!
//! Secrecy is kept by the shape of the rows, not by discretion: who has voted is written apart
//! from what was voted; while the ballot is open an applicant's votes are one sealed row of
//! counts (rewritten with a fresh nonce at each vote), so no tally can be read before the close
//! by anyone, whatever page or table they look at; at close the ballots are written from those
//! counts in a shuffled order, with no account and no time. Every number (quorum, pass line)
//! comes from the rules in force in the committee's region on the session's day.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use store::audit::{self, NewEntry};
use store::ballots::{self as rows, Mark};
use store::entities::{ballot_result, committee as committee_row, expert, review_session};
use store::sessions as placed;
use store::workflow::{Action, Actor};
use store::Db;

use crate::commands::Desk;
use crate::committee::{Duty, GroupKind};
use crate::dossier::Who;
use crate::draw::MissingParameter;
use crate::sessions::is_office;
use crate::CaseError;

/// A ballot's choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Choice {
    /// 同意
    Agree,
    /// 不同意
    Disagree,
    /// 弃权
    Abstain,
}

impl Choice {
    pub const ALL: [Choice; 3] = [Choice::Agree, Choice::Disagree, Choice::Abstain];

    pub fn code(self) -> &'static str {
        match self {
            Choice::Agree => "agree",
            Choice::Disagree => "disagree",
            Choice::Abstain => "abstain",
        }
    }

    pub fn parse(code: &str) -> Option<Choice> {
        Choice::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The votes in one applicant's ballot box.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub agree: u32,
    pub disagree: u32,
    pub abstain: u32,
}

impl Counts {
    pub fn add(&mut self, choice: Choice) {
        match choice {
            Choice::Agree => self.agree += 1,
            Choice::Disagree => self.disagree += 1,
            Choice::Abstain => self.abstain += 1,
        }
    }

    pub fn total(&self) -> u32 {
        self.agree + self.disagree + self.abstain
    }

    /// The ballots these counts are, one choice each, in choice order (shuffled before they
    /// are written).
    fn ballots(&self) -> impl Iterator<Item = Choice> {
        std::iter::repeat_n(Choice::Agree, self.agree as usize)
            .chain(std::iter::repeat_n(
                Choice::Disagree,
                self.disagree as usize,
            ))
            .chain(std::iter::repeat_n(Choice::Abstain, self.abstain as usize))
    }
}

/// The ballot's numbers in force: the quorum (`review_quorum_ratio`) and the pass line
/// (`review_pass_ratio`), each a fraction met at or above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thresholds {
    pub quorum: (u32, u32),
    pub pass: (u32, u32),
}

impl Thresholds {
    pub fn from_rules(rules: &rules::ResolvedRuleSet) -> Result<Thresholds, MissingParameter> {
        let ratio = |key: &'static str| {
            rules
                .param_ratio(key)
                .filter(|(_, b)| *b > 0)
                .ok_or(MissingParameter(key))
        };
        Ok(Thresholds {
            quorum: ratio("review_quorum_ratio")?,
            pass: ratio("review_pass_ratio")?,
        })
    }
}

/// The fewest of `n` that meet `ratio`, at or above the fraction (2/3 of 25 is 16.67: 17; 2/3
/// of 15 is 10).
pub fn at_least((a, b): (u32, u32), n: u32) -> u32 {
    let (a, b, n) = (u64::from(a), u64::from(b.max(1)), u64::from(n));
    ((a * n).div_ceil(b)) as u32
}

/// An applicant's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    NotPassed,
    /// Too few attending experts who are not recused: no decision; the dossier waits for a
    /// later session.
    NoQuorum,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::NotPassed => "not_passed",
            Outcome::NoQuorum => "no_quorum",
        }
    }

    pub fn parse(code: &str) -> Option<Outcome> {
        [Outcome::Passed, Outcome::NotPassed, Outcome::NoQuorum]
            .into_iter()
            .find(|o| o.code() == code)
    }
}

/// One applicant's count (POLICY §9): recused experts count neither among those attending nor
/// in the base; the base is those attending and not recused; abstentions count in the base.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    pub members: u32,
    pub recused: u32,
    /// Attending and not recused: the base.
    pub attending: u32,
    pub votes: Counts,
    pub quorum_needed: u32,
    pub pass_needed: u32,
    pub outcome: Outcome,
}

/// Counts one applicant: quorum is `attending ≥ quorum × (members − recused)`, passing is
/// `同意 ≥ pass × attending`.
pub fn count(members: u32, recused: u32, attending: u32, votes: Counts, t: Thresholds) -> Count {
    let quorum_needed = at_least(t.quorum, members.saturating_sub(recused));
    let pass_needed = at_least(t.pass, attending);
    let outcome = if attending == 0 || attending < quorum_needed {
        Outcome::NoQuorum
    } else if votes.agree >= pass_needed {
        Outcome::Passed
    } else {
        Outcome::NotPassed
    };
    Count {
        members,
        recused,
        attending,
        votes,
        quorum_needed,
        pass_needed,
        outcome,
    }
}

/// A group short of its quorum when the ballot is to open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shortfall {
    pub group: GroupKind,
    pub members: u32,
    pub attending: u32,
    pub needed: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum BallotError {
    /// Not this committee's office, not a seat of this expert, not the chair: "not found".
    #[error("not found")]
    NotYours,
    #[error("a group of the session has not been drawn")]
    NotDrawn,
    #[error("expert {0} is not a member of the session")]
    NotMember(i64),
    #[error("the ballot is open: attendance is fixed")]
    AlreadyOpen,
    #[error("quorum not met: {0:?}")]
    NoQuorum(Vec<Shortfall>),
    #[error("the ballot is not open")]
    NotOpen,
    /// A late vote, or a second close.
    #[error("the ballot is closed")]
    Closed,
    #[error("the expert is not recorded as attending")]
    NotAttending,
    #[error("the expert has voted on this applicant")]
    AlreadyVoted,
    #[error("the ballot is not closed yet")]
    NotClosed,
    #[error("the result is signed already")]
    AlreadySealed,
    #[error("a ballot box does not read")]
    Broken,
    #[error(transparent)]
    Rules(#[from] MissingParameter),
    #[error("no rules are in force for the committee's region that day")]
    NoRules,
    #[error(transparent)]
    Case(#[from] CaseError),
}

case_error_from!(BallotError);

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

/// Where a session's ballot is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Attendance may be recorded; the ballot may open.
    NotOpen,
    Open,
    /// Counted, waiting for the chair's signature.
    Closed,
    Sealed,
}

pub fn phase(session: &review_session::Model) -> Phase {
    match (
        session.ballot_opened_at,
        session.ballot_closed_at,
        session.sealed_at,
    ) {
        (None, _, _) => Phase::NotOpen,
        (Some(_), None, _) => Phase::Open,
        (Some(_), Some(_), None) => Phase::Closed,
        (Some(_), Some(_), Some(_)) => Phase::Sealed,
    }
}

/// A session's groups as the ballot sees them: each group's kind, its members (not reserves)
/// and its applicants.
struct Seating {
    groups: Vec<(GroupKind, Vec<i64>, Vec<i64>)>,
    drawn: bool,
}

async fn seating<C: sea_orm::ConnectionTrait>(
    conn: &C,
    session_id: i64,
) -> Result<Seating, BallotError> {
    let placements = placed::session_dossiers(conn, session_id).await?;
    let mut groups = Vec::new();
    let mut drawn = true;
    for g in placed::groups(conn, session_id).await? {
        let Some(kind) = GroupKind::parse(&g.kind) else {
            continue;
        };
        drawn &= g.drawn.is_some();
        let members = placed::members(conn, g.id)
            .await?
            .into_iter()
            .filter(|m| !m.reserve)
            .map(|m| m.expert_id)
            .collect();
        let applicants = placements
            .iter()
            .filter(|p| p.grp == g.kind)
            .map(|p| p.dossier_id)
            .collect();
        groups.push((kind, members, applicants));
    }
    Ok(Seating { groups, drawn })
}

fn thresholds(
    desk: &Desk<'_>,
    region: &str,
    session: &review_session::Model,
) -> Result<Thresholds, BallotError> {
    let rules = desk
        .book
        .in_force(region, session.sits_on)
        .ok_or(BallotError::NoRules)?;
    Ok(Thresholds::from_rules(&rules.rules)?)
}

/// The session, for its committee's office, with the committee's region.
async fn office_session(
    db: &Db,
    who: &Who,
    session_id: i64,
) -> Result<(review_session::Model, String), BallotError> {
    let session = placed::session(db, session_id)
        .await?
        .filter(|s| is_office(who, &s.committee))
        .ok_or(BallotError::NotYours)?;
    let region = committee_row::Entity::find_by_id(session.committee.clone())
        .one(db)
        .await?
        .map(|c| c.region)
        .unwrap_or_default();
    Ok((session, region))
}

/// What the ballot of a session stands at, for the office's page: its phase, who attends, each
/// group's quorum, each applicant's quorum with recusals and how many have voted (never how),
/// and once closed the results.
#[derive(Clone, Debug)]
pub struct Standing {
    pub phase: Phase,
    pub attending: BTreeSet<i64>,
    /// (group, members, attending, needed)
    pub groups: Vec<(GroupKind, u32, u32, u32)>,
    /// (dossier, group, members, recused, attending not recused, needed, ballots cast)
    pub applicants: Vec<ApplicantStanding>,
    pub results: Vec<ballot_result::Model>,
    pub thresholds: Thresholds,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicantStanding {
    pub dossier_id: i64,
    pub group: GroupKind,
    pub members: u32,
    pub recused: u32,
    pub attending: u32,
    pub quorum_needed: u32,
    pub voted: u32,
}

/// The ballot's standing in a session, for its office (or `NotYours`).
pub async fn standing(
    desk: &Desk<'_>,
    who: &Who,
    session_id: i64,
) -> Result<Standing, BallotError> {
    let (session, region) = office_session(desk.db, who, session_id).await?;
    standing_of(desk, &session, &region).await
}

async fn standing_of(
    desk: &Desk<'_>,
    session: &review_session::Model,
    region: &str,
) -> Result<Standing, BallotError> {
    let t = thresholds(desk, region, session)?;
    let seating = seating(desk.db, session.id).await?;
    let attending: BTreeSet<i64> = rows::attendance(desk.db, session.id)
        .await?
        .into_iter()
        .collect();
    let recusals = placed::recusals(desk.db, session.id).await?;
    let voters = rows::voters(desk.db, session.id).await?;
    let mut groups = Vec::new();
    let mut applicants = Vec::new();
    for (kind, members, dossiers) in &seating.groups {
        let present = members.iter().filter(|m| attending.contains(m)).count() as u32;
        let n = members.len() as u32;
        groups.push((*kind, n, present, at_least(t.quorum, n)));
        for d in dossiers {
            let recused: BTreeSet<i64> = recusals
                .iter()
                .filter(|r| r.dossier_id == *d && r.status == "in_force")
                .map(|r| r.expert_id)
                .filter(|e| members.contains(e))
                .collect();
            let present = members
                .iter()
                .filter(|m| attending.contains(m) && !recused.contains(m))
                .count() as u32;
            let recused = recused.len() as u32;
            applicants.push(ApplicantStanding {
                dossier_id: *d,
                group: *kind,
                members: n,
                recused,
                attending: present,
                quorum_needed: at_least(t.quorum, n.saturating_sub(recused)),
                voted: voters.iter().filter(|(v, _)| v == d).count() as u32,
            });
        }
    }
    let results = rows::results(desk.db, session.id).await?;
    Ok(Standing {
        phase: phase(session),
        attending,
        groups,
        applicants,
        results,
        thresholds: t,
    })
}

/// The office records who attends (replacing what it recorded before); only members drawn into
/// the session's groups, and only until the ballot opens. Audited.
pub async fn record_attendance(
    desk: &Desk<'_>,
    who: &Who,
    session_id: i64,
    experts: &[i64],
) -> Result<(), BallotError> {
    let (session, _) = office_session(desk.db, who, session_id).await?;
    if phase(&session) != Phase::NotOpen {
        return Err(BallotError::AlreadyOpen);
    }
    let seating = seating(desk.db, session_id).await?;
    if !seating.drawn {
        return Err(BallotError::NotDrawn);
    }
    let members: BTreeSet<i64> = seating
        .groups
        .iter()
        .flat_map(|(_, m, _)| m.iter().copied())
        .collect();
    let chosen: BTreeSet<i64> = experts.iter().copied().collect();
    if let Some(stranger) = chosen.iter().find(|e| !members.contains(e)) {
        return Err(BallotError::NotMember(*stranger));
    }
    let chosen: Vec<i64> = chosen.into_iter().collect();
    let txn = desk.db.begin().await?;
    rows::set_attendance(&txn, session_id, &chosen).await?;
    let detail = serde_json::json!({ "attending": chosen, "members": members.len() });
    audit::append(
        &txn,
        entry(&who.label, "ballot.attendance", session_id, detail),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn seal_counts(counts: &Counts) -> String {
    store::pii::keys().seal(&serde_json::to_string(counts).unwrap_or_default())
}

fn open_counts(sealed: &str) -> Result<Counts, BallotError> {
    let plain = store::pii::keys()
        .open(sealed)
        .map_err(|_| BallotError::Broken)?;
    serde_json::from_str(&plain).map_err(|_| BallotError::Broken)
}

/// The office opens the ballot: every group drawn, and in each the members recorded as
/// attending at least the quorum of its members. Each applicant gets an empty sealed ballot box.
pub async fn open(desk: &Desk<'_>, who: &Who, session_id: i64) -> Result<(), BallotError> {
    let (session, region) = office_session(desk.db, who, session_id).await?;
    if phase(&session) != Phase::NotOpen {
        return Err(BallotError::AlreadyOpen);
    }
    let seating = seating(desk.db, session_id).await?;
    if !seating.drawn {
        return Err(BallotError::NotDrawn);
    }
    let standing = standing_of(desk, &session, &region).await?;
    let short: Vec<Shortfall> = standing
        .groups
        .iter()
        .filter(|(_, _, attending, needed)| attending < needed)
        .map(|(group, members, attending, needed)| Shortfall {
            group: *group,
            members: *members,
            attending: *attending,
            needed: *needed,
        })
        .collect();
    if !short.is_empty() {
        return Err(BallotError::NoQuorum(short));
    }
    let txn = desk.db.begin().await?;
    if !rows::mark(&txn, session_id, Mark::Opened, Utc::now()).await? {
        return Err(BallotError::AlreadyOpen);
    }
    let empty = Counts::default();
    let urns = seating
        .groups
        .iter()
        .flat_map(|(_, _, dossiers)| dossiers.iter().map(|d| (*d, seal_counts(&empty))))
        .collect();
    rows::insert_urns(&txn, session_id, urns).await?;
    let detail = serde_json::json!({
        "groups": standing.groups.iter().map(|(g, members, attending, needed)| serde_json::json!({
            "kind": g.code(), "members": members, "attending": attending, "needed": needed,
        })).collect::<Vec<_>>(),
    });
    audit::append(&txn, entry(&who.label, "ballot.open", session_id, detail)).await?;
    txn.commit().await?;
    Ok(())
}

/// Where the signed-in expert stands in the ballot on one applicant of their seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Turn {
    /// The ballot has not opened.
    NotOpen,
    /// Not recorded as attending: no ballot.
    NotAttending,
    /// May vote.
    Open,
    /// Has voted (how is not kept with them).
    Voted,
    /// The ballot is closed.
    Closed,
}

/// The expert's turn on one applicant (their seat must have been found first).
pub async fn turn(db: &Db, seat: &crate::sessions::Seat) -> Result<Turn, BallotError> {
    let s = &seat.session;
    Ok(match phase(s) {
        Phase::NotOpen => Turn::NotOpen,
        Phase::Closed | Phase::Sealed => Turn::Closed,
        Phase::Open => {
            let attending = rows::attendance(db, s.id).await?;
            if !attending.contains(&seat.expert.id) {
                Turn::NotAttending
            } else if rows::has_voted(db, s.id, seat.dossier.id, seat.expert.id).await? {
                Turn::Voted
            } else {
                Turn::Open
            }
        }
    })
}

/// An attending expert casts their one ballot on an applicant of their group: only as
/// themselves (their seat is found from the signed-in account, never from the form), only while
/// the ballot is open, once, and never changed. Who voted is recorded apart from the choice,
/// which only changes the applicant's sealed counts. The audit says who voted on whom, never how.
pub async fn cast(
    desk: &Desk<'_>,
    who: &Who,
    session_id: i64,
    dossier_id: i64,
    choice: Choice,
) -> Result<(), BallotError> {
    let seat = crate::sessions::seat(desk.db, who, session_id, dossier_id)
        .await?
        .ok_or(BallotError::NotYours)?;
    match turn(desk.db, &seat).await? {
        Turn::NotOpen => return Err(BallotError::NotOpen),
        Turn::Closed => return Err(BallotError::Closed),
        Turn::NotAttending => return Err(BallotError::NotAttending),
        Turn::Voted => return Err(BallotError::AlreadyVoted),
        Turn::Open => {}
    }
    let expert_id = seat.expert.id;
    let txn = desk.db.begin().await?;
    // The box first: it is the lock two votes on this applicant queue on, and without it the
    // ballot has closed in the meantime.
    let Some(sealed) = rows::take_urn(&txn, session_id, dossier_id).await? else {
        return Err(BallotError::Closed);
    };
    if rows::has_voted(&txn, session_id, dossier_id, expert_id).await? {
        return Err(BallotError::AlreadyVoted);
    }
    rows::insert_voter(&txn, session_id, dossier_id, expert_id).await?;
    let mut counts = open_counts(&sealed)?;
    counts.add(choice);
    rows::put_urn(&txn, session_id, dossier_id, seal_counts(&counts)).await?;
    let detail = serde_json::json!({ "dossier": dossier_id, "expert": expert_id });
    audit::append(&txn, entry(&who.label, "ballot.cast", session_id, detail)).await?;
    txn.commit().await?;
    Ok(())
}

/// The office closes the ballot: no ballot is taken after this. Each applicant is counted under
/// the thresholds in force on the session's day (an attending expert who did not vote counts in
/// the base, as not 同意); the ballots are written from the counts in one shuffled order for the
/// whole session, the results are written, and the boxes are emptied, in one transaction.
pub async fn close(
    desk: &Desk<'_>,
    who: &Who,
    session_id: i64,
) -> Result<Vec<ballot_result::Model>, BallotError> {
    let (session, region) = office_session(desk.db, who, session_id).await?;
    match phase(&session) {
        Phase::NotOpen => return Err(BallotError::NotOpen),
        Phase::Closed | Phase::Sealed => return Err(BallotError::Closed),
        Phase::Open => {}
    }
    let t = thresholds(desk, &region, &session)?;
    let txn = desk.db.begin().await?;
    if !rows::mark(&txn, session_id, Mark::Closed, Utc::now()).await? {
        return Err(BallotError::Closed);
    }
    // Wait for the votes being cast, then read the boxes as they committed them.
    rows::lock_urns(&txn, session_id).await?;
    let seating = seating(&txn, session_id).await?;
    let attending: BTreeSet<i64> = rows::attendance(&txn, session_id)
        .await?
        .into_iter()
        .collect();
    let recusals = placed::recusals(&txn, session_id).await?;
    let urns: BTreeMap<i64, String> = rows::urns(&txn, session_id)
        .await?
        .into_iter()
        .map(|u| (u.dossier_id, u.sealed))
        .collect();
    let mut results = Vec::new();
    let mut ballots: Vec<(i64, &'static str)> = Vec::new();
    for (kind, members, dossiers) in &seating.groups {
        for d in dossiers {
            let recused: BTreeSet<i64> = recusals
                .iter()
                .filter(|r| r.dossier_id == *d && r.status == "in_force")
                .map(|r| r.expert_id)
                .filter(|e| members.contains(e))
                .collect();
            let present = members
                .iter()
                .filter(|m| attending.contains(m) && !recused.contains(m))
                .count() as u32;
            let votes = match urns.get(d) {
                Some(sealed) => open_counts(sealed)?,
                None => Counts::default(),
            };
            ballots.extend(votes.ballots().map(|c| (*d, c.code())));
            let c = count(
                members.len() as u32,
                recused.len() as u32,
                present,
                votes,
                t,
            );
            results.push(ballot_result::Model {
                session_id,
                dossier_id: *d,
                grp: kind.code().to_owned(),
                members: c.members as i32,
                recused: c.recused as i32,
                attending: c.attending as i32,
                agree: c.votes.agree as i32,
                disagree: c.votes.disagree as i32,
                abstain: c.votes.abstain as i32,
                base: c.attending as i32,
                quorum_needed: c.quorum_needed as i32,
                pass_needed: c.pass_needed as i32,
                outcome: c.outcome.code().to_owned(),
            });
        }
    }
    // A shuffle with a seed that is not kept: the stored order says nothing of the casting order
    // (which the counts had already forgotten) nor of the applicants' order.
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|_| BallotError::Broken)?;
    crate::draw::shuffle(&mut ChaCha20Rng::from_seed(seed), &mut ballots);
    let cast = ballots.len();
    rows::insert_ballots(&txn, session_id, ballots).await?;
    rows::insert_results(&txn, results.clone()).await?;
    rows::delete_urns(&txn, session_id).await?;
    let detail = serde_json::json!({ "applicants": results.len(), "ballots": cast });
    audit::append(&txn, entry(&who.label, "ballot.close", session_id, detail)).await?;
    txn.commit().await?;
    Ok(results)
}

/// The hash of a session's counted result: SHA-256 over its canonical JSON (the session, its
/// committee, and each applicant's count and outcome, by applicant).
pub fn result_hash(session: &review_session::Model, results: &[ballot_result::Model]) -> String {
    let mut sorted: Vec<&ballot_result::Model> = results.iter().collect();
    sorted.sort_by_key(|r| r.dossier_id);
    let body = serde_json::json!({
        "session": session.id,
        "committee": session.committee,
        "sits_on": session.sits_on,
        "results": sorted.iter().map(|r| serde_json::json!({
            "dossier": r.dossier_id,
            "group": r.grp,
            "members": r.members,
            "recused": r.recused,
            "attending": r.attending,
            "agree": r.agree,
            "disagree": r.disagree,
            "abstain": r.abstain,
            "base": r.base,
            "quorum_needed": r.quorum_needed,
            "pass_needed": r.pass_needed,
            "outcome": r.outcome,
        })).collect::<Vec<_>>(),
    });
    let digest = Sha256::digest(body.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The committee's chair or a vice-chair in service whose account is `who`, if any.
pub async fn chair_of(
    db: &Db,
    who: &Who,
    committee: &str,
) -> Result<Option<expert::Model>, BallotError> {
    Ok(expert::Entity::find()
        .filter(expert::Column::Committee.eq(committee))
        .filter(expert::Column::AccountId.eq(who.account_id))
        .filter(expert::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .find(|e| matches!(Duty::parse(&e.duty), Some(Duty::Chair | Duty::ViceChair))))
}

/// The sessions whose counted results wait for `who`'s signature as chair or vice-chair.
pub async fn awaiting_signature(
    db: &Db,
    who: &Who,
) -> Result<Vec<review_session::Model>, BallotError> {
    let chairs: BTreeSet<String> = expert::Entity::find()
        .filter(expert::Column::AccountId.eq(who.account_id))
        .filter(expert::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|e| matches!(Duty::parse(&e.duty), Some(Duty::Chair | Duty::ViceChair)))
        .map(|e| e.committee)
        .collect();
    if chairs.is_empty() {
        return Ok(Vec::new());
    }
    Ok(review_session::Entity::find()
        .filter(review_session::Column::Committee.is_in(chairs))
        .filter(review_session::Column::BallotClosedAt.is_not_null())
        .filter(review_session::Column::SealedAt.is_null())
        .all(db)
        .await?)
}

/// A closed session's result, for its chair or vice-chair (or `NotYours`).
pub async fn result_for_chair(
    db: &Db,
    who: &Who,
    session_id: i64,
) -> Result<(review_session::Model, Vec<ballot_result::Model>), BallotError> {
    let session = placed::session(db, session_id)
        .await?
        .ok_or(BallotError::NotYours)?;
    if chair_of(db, who, &session.committee).await?.is_none() {
        return Err(BallotError::NotYours);
    }
    if matches!(phase(&session), Phase::NotOpen | Phase::Open) {
        return Err(BallotError::NotClosed);
    }
    let results = rows::results(db, session_id).await?;
    Ok((session, results))
}

/// The chair (or a vice-chair) signs the counted result (签字确认, 40号令 Art. 22): its hash is
/// written on the session and into the audit chain, and each applicant moves in the one table —
/// passed, not passed, or (no quorum) back to wait for a later session — with its own audit
/// entry, all in one transaction. Answers the hash.
pub async fn seal(desk: &Desk<'_>, who: &Who, session_id: i64) -> Result<String, BallotError> {
    let (session, results) = result_for_chair(desk.db, who, session_id).await?;
    if phase(&session) == Phase::Sealed {
        return Err(BallotError::AlreadySealed);
    }
    let region = committee_row::Entity::find_by_id(session.committee.clone())
        .one(desk.db)
        .await?
        .map(|c| c.region)
        .unwrap_or_default();
    let hash = result_hash(&session, &results);
    let txn = desk.db.begin().await?;
    // The record as the chair signed it, drawn up in the signature's transaction.
    let record = crate::record::build(&txn, &session).await?;
    let seal = rows::Seal {
        by: &who.label,
        hash: &hash,
        record: serde_json::to_string(&record).unwrap_or_default(),
        // The moment on the server's clock (moved in tests), which dates the appeal window.
        at: Utc::now()
            + chrono::Duration::days((desk.book.today() - crate::clock::real_today()).num_days()),
    };
    if !rows::seal(&txn, session_id, seal).await? {
        return Err(BallotError::AlreadySealed);
    }
    let ids: Vec<i64> = results.iter().map(|r| r.dossier_id).collect();
    let dossiers = store::entities::dossier::Entity::find()
        .filter(store::entities::dossier::Column::Id.is_in(ids))
        .all(&txn)
        .await?;
    for r in &results {
        let Some(row) = dossiers.iter().find(|d| d.id == r.dossier_id) else {
            continue;
        };
        let action = match Outcome::parse(&r.outcome) {
            Some(Outcome::Passed) => Action::RecordPass { session_id },
            Some(Outcome::NotPassed) => Action::RecordFail { session_id },
            _ => Action::Requeue { session_id },
        };
        let requeue = matches!(action, Action::Requeue { .. });
        crate::results::step(desk, &txn, row, Actor::Chair, who, action, &region).await?;
        if requeue {
            placed::remove_placement(&txn, session_id, row.id).await?;
        }
    }
    let passed = results.iter().filter(|r| r.outcome == "passed").count();
    let detail = serde_json::json!({
        "hash": hash,
        "applicants": results.len(),
        "passed": passed,
    });
    audit::append(&txn, entry(&who.label, "ballot.seal", session_id, detail)).await?;
    txn.commit().await?;
    Ok(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_THIRDS: Thresholds = Thresholds {
        quorum: (2, 3),
        pass: (2, 3),
    };

    fn votes(agree: u32, disagree: u32, abstain: u32) -> Counts {
        Counts {
            agree,
            disagree,
            abstain,
        }
    }

    #[test]
    fn ratios_are_met_at_or_above_the_fraction() {
        assert_eq!(at_least((2, 3), 25), 17);
        assert_eq!(at_least((2, 3), 15), 10);
        assert_eq!(at_least((1, 2), 13), 7);
        assert_eq!(at_least((2, 3), 0), 0);
    }

    #[test]
    fn quorum_on_both_sides() {
        // 17 of 25 attending decides; 16 does not.
        let c = count(25, 0, 17, votes(12, 5, 0), TWO_THIRDS);
        assert_eq!((c.quorum_needed, c.outcome), (17, Outcome::Passed));
        let c = count(25, 0, 16, votes(16, 0, 0), TWO_THIRDS);
        assert_eq!(c.outcome, Outcome::NoQuorum);
    }

    #[test]
    fn the_pass_line_on_both_sides() {
        // Base 25: 2/3 is 16.67, so 17 同意 pass and 16 do not; abstentions are in the base.
        assert_eq!(
            count(25, 0, 25, votes(17, 0, 8), TWO_THIRDS).outcome,
            Outcome::Passed
        );
        let c = count(25, 0, 25, votes(16, 1, 8), TWO_THIRDS);
        assert_eq!((c.pass_needed, c.outcome), (17, Outcome::NotPassed));
        // Base 15: 10 suffice.
        assert_eq!(
            count(15, 0, 15, votes(10, 5, 0), TWO_THIRDS).outcome,
            Outcome::Passed
        );
        // An attending expert who cast no ballot counts in the base, as not 同意.
        assert_eq!(
            count(15, 0, 15, votes(9, 0, 0), TWO_THIRDS).outcome,
            Outcome::NotPassed
        );
    }

    #[test]
    fn a_recused_expert_counts_neither_attending_nor_in_the_base() {
        // 25 members, 3 recused: quorum is 2/3 of 22 (15); 15 attending and not recused decide,
        // and the pass line is 2/3 of those 15 (10).
        let c = count(25, 3, 15, votes(10, 5, 0), TWO_THIRDS);
        assert_eq!(
            (c.quorum_needed, c.pass_needed, c.outcome),
            (15, 10, Outcome::Passed)
        );
        let c = count(25, 3, 14, votes(14, 0, 0), TWO_THIRDS);
        assert_eq!(c.outcome, Outcome::NoQuorum);
        // Without the recusals the same 15 would be short of 17.
        assert_eq!(
            count(25, 0, 15, votes(15, 0, 0), TWO_THIRDS).outcome,
            Outcome::NoQuorum
        );
    }

    #[test]
    fn counts_become_as_many_ballots() {
        let c = votes(2, 1, 3);
        let all: Vec<Choice> = c.ballots().collect();
        assert_eq!(all.len(), 6);
        assert_eq!(all.iter().filter(|c| **c == Choice::Abstain).count(), 3);
        for choice in Choice::ALL {
            assert_eq!(Choice::parse(choice.code()), Some(choice));
        }
    }

    #[test]
    fn yunnan_s_rules_give_the_thresholds() {
        let registry = rules::Registry::builtin().unwrap();
        let day = rules::parse_date("2026-12-01").unwrap();
        let resolved = registry.resolve("53", day).unwrap();
        assert_eq!(Thresholds::from_rules(&resolved).unwrap(), TWO_THIRDS);
    }
}
