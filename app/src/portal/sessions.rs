//! What the review-session pages are given: the office's list of sessions and the form to open
//! one, a session with its groups, draw, recusals and progress, and the expert's workspace.

use super::{Bi, FieldProblem, Notice};

/// An accepted dossier the office may put into a session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub org: String,
    pub target: Bi,
    pub checked: bool,
}

/// `/sessions`: the office's committee, its sessions, and the form to open one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionsData {
    pub committee: String,
    pub committee_name: String,
    /// (id, name, day, applicants, drawn)
    pub sessions: Vec<(i64, String, String, usize, bool)>,
    pub candidates: Vec<Candidate>,
    /// The form as typed: name, day, members, reserves, high-skill members, reserves.
    pub form: OpenForm,
    pub problems: Vec<FieldProblem>,
}

/// The form that opens a session, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpenForm {
    pub name: String,
    pub sits_on: String,
    pub members: String,
    pub reserves: String,
    pub hs_members: String,
    pub hs_reserves: String,
}

/// One drawn expert, as the office sees them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DrawnExpert {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub title: Bi,
    pub high_skill: bool,
    pub reserve: bool,
}

/// A group of a session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupData {
    /// `general` or `high_skill`.
    pub kind: String,
    pub members: i32,
    pub min_high_skill: i32,
    pub reserves: i32,
    /// (dossier id, applicant's name, unit, target)
    pub applicants: Vec<(i64, String, String, Bi)>,
    /// Empty until drawn.
    pub drawn: Vec<DrawnExpert>,
    pub seed: Option<String>,
    pub pool_hash: Option<String>,
    pub drawn_by: Option<String>,
    pub witness: Option<String>,
}

/// A recusal as the office sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecusalRow {
    pub id: i64,
    pub expert: String,
    pub dossier_id: i64,
    pub applicant: String,
    pub ground: String,
    pub source: String,
    pub reason: String,
    pub status: String,
}

/// `/sessions/{id}`: a session for its committee's office.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionData {
    pub id: i64,
    pub name: String,
    pub sits_on: String,
    pub committee_name: String,
    pub groups: Vec<GroupData>,
    pub recusals: Vec<RecusalRow>,
    /// (expert, assessed, to assess)
    pub progress: Vec<(String, usize, usize)>,
    /// (dossier id, applicant, experts who assessed it, experts who are to)
    pub dossier_progress: Vec<(i64, String, usize, usize)>,
    /// The experts of the pool and the applicants, for the office's recusal form.
    pub pool: Vec<(i64, String)>,
    pub applicants: Vec<(i64, String)>,
    pub notice: Option<Notice>,
    pub problems: Vec<FieldProblem>,
    /// What the draw form held: the witness.
    pub witness: String,
    pub ballot: BallotData,
    pub results: super::results::ResultsSection,
}

/// A session's ballot as its office sees it: never a count before the close.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BallotData {
    /// `not_open`, `open`, `closed` or `sealed`.
    pub phase: String,
    /// Whether every group is drawn (attendance and the ballot wait for it).
    pub drawn: bool,
    /// The quorum and pass ratios in force, as fractions ("2/3").
    pub quorum: String,
    pub pass: String,
    /// (expert id, name, group kind, attending)
    pub members: Vec<(i64, String, String, bool)>,
    /// (group kind, members, attending, needed)
    pub groups: Vec<(String, u32, u32, u32)>,
    /// Applicants whose recusals leave them short of a quorum: (name, recused, attending, needed)
    pub short: Vec<(String, u32, u32, u32)>,
    /// While open: (applicant, ballots cast, base)
    pub turnout: Vec<(String, u32, u32)>,
    /// Once closed.
    pub results: Vec<ResultRow>,
    /// Once sealed: (by, at, hash)
    pub sealed: Option<(String, String, String)>,
}

/// One applicant's count.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResultRow {
    pub dossier_id: i64,
    pub applicant: String,
    /// `general` or `high_skill`.
    pub group: String,
    pub members: i32,
    pub recused: i32,
    pub base: i32,
    pub agree: i32,
    pub disagree: i32,
    pub abstain: i32,
    pub pass_needed: i32,
    /// `passed`, `not_passed` or `no_quorum`.
    pub outcome: String,
}

/// `/sessions/{id}/record`: the meeting record (会议记录), for the office and the province's
/// administrator only (it names the experts).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordData {
    pub session_id: i64,
    pub session: String,
    pub sits_on: String,
    pub committee_name: String,
    /// Archived at the chair's signature (else a draft drawn up now).
    pub archived: bool,
    pub sealed: Option<(String, String, String)>,
    /// (name, unit, group kind, duty code, high-skill, attended)
    pub members: Vec<(String, String, String, String, bool, bool)>,
    pub applicants: Vec<RecordApplicantRow>,
}

/// One applicant in the meeting record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordApplicantRow {
    pub count: ResultRow,
    pub org: String,
    pub target: Bi,
    pub recused: Vec<String>,
    pub opinions: Vec<String>,
}

/// `/expert/sessions/{id}/result`: a closed session's count for its chair to sign.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignData {
    pub session_id: i64,
    pub session: String,
    pub sits_on: String,
    pub results: Vec<ResultRow>,
    pub sealed: Option<(String, String, String)>,
    pub problems: Vec<FieldProblem>,
    pub notice: Option<Notice>,
}

/// One dossier in an expert's workspace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeatRow {
    pub session_id: i64,
    pub session: String,
    pub sits_on: String,
    pub dossier_id: i64,
    pub applicant: String,
    pub target: Bi,
    pub assessed: bool,
}

/// `/expert`: the dossiers the signed-in expert may review.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkspaceData {
    pub seats: Vec<SeatRow>,
    /// Counts waiting for this expert's signature as chair: (session id, name, day)
    pub to_sign: Vec<(i64, String, String)>,
    pub notice: Option<Notice>,
}

/// `/expert/sessions/{session}/dossiers/{dossier}`: one dossier to review and score.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewDossierData {
    pub session_id: i64,
    pub session: String,
    pub dossier_id: i64,
    pub applicant: String,
    pub org: String,
    pub occupation: String,
    pub current_post: String,
    pub target: Bi,
    /// (kind, title, date, role, description)
    pub achievements: Vec<(Bi, String, String, String, String)>,
    /// (attachment id, file name)
    pub attachments: Vec<(i64, String)>,
    /// The self-check answers the submission was decided on: (question, lines of the answer).
    pub answers: Vec<(Bi, Vec<Bi>)>,
    /// The day it was submitted (empty for a dossier without a receipt).
    pub submitted_on: String,
    /// The receipt's rule set version and content hash, and its outcomes in words.
    pub receipt: Option<(String, String)>,
    /// (method code, its name, the score as typed)
    pub methods: Vec<(String, Bi, String)>,
    pub opinion: String,
    pub max_score: u32,
    pub problems: Vec<FieldProblem>,
    pub notice: Option<Notice>,
    /// The expert's turn in the ballot: `not_open`, `not_attending`, `open`, `voted`, `closed`.
    pub turn: String,
}
