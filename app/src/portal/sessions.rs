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
}
