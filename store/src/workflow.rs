//! The dossier workflow (云人社通28号 三; 人社部令第40号 defaults): its states, who may move a
//! dossier from one to the next, and what each move needs. Pure: every transition is a function
//! of the current state, the actor, the action and the day, returning the next state or why not.
//! The caller writes the new state and the audit entry in one transaction.
//!
//! draft → submitted → (employer approves) unit publicity for N working days → formal check by
//! the committee office → accepted for review; the employer or the committee office may return
//! the dossier with reasons per field, and the applicant fixes and resubmits.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use rules::WorkCalendar;

/// Where a dossier is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    Draft,
    /// Waiting for the employer's HR.
    Submitted,
    ReturnedByEmployer {
        reasons: Vec<FieldReason>,
    },
    /// Materials publicised by the employer; the period ends at the end of `ends_on`.
    UnitPublicity {
        ends_on: NaiveDate,
    },
    /// Waiting for the committee office's formal check.
    FormalCheck,
    /// Every missing item, told at once (一次性告知).
    ReturnedByCommittee {
        reasons: Vec<FieldReason>,
    },
    AcceptedForReview,
    /// Assigned to a committee's review session (评审会议).
    InReview {
        session_id: i64,
    },
    /// Passed the session's secret ballot, its result signed by the chair.
    Passed {
        session_id: i64,
    },
    /// Did not pass the session's ballot (or its result was revoked after an objection).
    NotPassed {
        session_id: i64,
    },
    /// The passed result publicised (评审结果公示); the period ends at the end of `ends_on`.
    ResultPublicity {
        session_id: i64,
        ends_on: NaiveDate,
    },
    /// Held while an upheld objection is dealt with: not confirmed until reinstated.
    ResultSuspended {
        session_id: i64,
    },
    /// Confirmed by the provincial department (确认), or for a self-review committee filed
    /// (备案, `filed`).
    Confirmed {
        session_id: i64,
        filed: bool,
    },
    /// The electronic certificate (电子证书) issued.
    Certified {
        session_id: i64,
    },
    /// The certificate revoked for fraud (弄虚作假) by the provincial department: the person may
    /// not apply for a title before `barred_until`.
    Revoked {
        session_id: i64,
        reason: String,
        revoked_on: NaiveDate,
        barred_until: NaiveDate,
    },
    /// The applicant asked for a review (复查, 40号令 Art. 27) of a result that did not pass.
    Appealed {
        session_id: i64,
        reason: String,
        lodged_on: NaiveDate,
    },
}

impl State {
    /// The state without its details.
    pub fn stage(&self) -> Stage {
        match self {
            State::Draft => Stage::Draft,
            State::Submitted => Stage::Submitted,
            State::ReturnedByEmployer { .. } => Stage::ReturnedByEmployer,
            State::UnitPublicity { .. } => Stage::UnitPublicity,
            State::FormalCheck => Stage::FormalCheck,
            State::ReturnedByCommittee { .. } => Stage::ReturnedByCommittee,
            State::AcceptedForReview => Stage::AcceptedForReview,
            State::InReview { .. } => Stage::InReview,
            State::Passed { .. } => Stage::Passed,
            State::NotPassed { .. } => Stage::NotPassed,
            State::ResultPublicity { .. } => Stage::ResultPublicity,
            State::ResultSuspended { .. } => Stage::ResultSuspended,
            State::Confirmed { .. } => Stage::Confirmed,
            State::Certified { .. } => Stage::Certified,
            State::Revoked { .. } => Stage::Revoked,
            State::Appealed { .. } => Stage::Appealed,
        }
    }

    /// The review session a reviewed dossier's state names.
    pub fn session_id(&self) -> Option<i64> {
        match self {
            State::InReview { session_id }
            | State::Passed { session_id }
            | State::NotPassed { session_id }
            | State::ResultPublicity { session_id, .. }
            | State::ResultSuspended { session_id }
            | State::Confirmed { session_id, .. }
            | State::Certified { session_id }
            | State::Revoked { session_id, .. }
            | State::Appealed { session_id, .. } => Some(*session_id),
            _ => None,
        }
    }

    /// The stable code stored and shown in lists.
    pub fn code(&self) -> &'static str {
        self.stage().code()
    }

    /// Whether the applicant may edit the dossier in this state: where the table lets the
    /// applicant submit it.
    pub fn editable_by_applicant(&self) -> bool {
        may(self.stage(), Actor::Applicant, Step::Submit)
    }
}

/// Where a dossier is, without the details a state carries: what the table of allowed steps,
/// the `state` column and the queues speak of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    Draft,
    Submitted,
    ReturnedByEmployer,
    UnitPublicity,
    FormalCheck,
    ReturnedByCommittee,
    AcceptedForReview,
    InReview,
    Passed,
    NotPassed,
    ResultPublicity,
    ResultSuspended,
    Confirmed,
    Certified,
    Revoked,
    Appealed,
}

impl Stage {
    /// Every stage, in the procedure's order.
    pub const ALL: [Stage; 16] = [
        Stage::Draft,
        Stage::Submitted,
        Stage::ReturnedByEmployer,
        Stage::UnitPublicity,
        Stage::FormalCheck,
        Stage::ReturnedByCommittee,
        Stage::AcceptedForReview,
        Stage::InReview,
        Stage::Passed,
        Stage::NotPassed,
        Stage::ResultPublicity,
        Stage::ResultSuspended,
        Stage::Confirmed,
        Stage::Certified,
        Stage::Revoked,
        Stage::Appealed,
    ];

    /// The stable code stored in `dossier.state` and used in links.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Submitted => "submitted",
            Stage::ReturnedByEmployer => "returned_by_employer",
            Stage::UnitPublicity => "unit_publicity",
            Stage::FormalCheck => "formal_check",
            Stage::ReturnedByCommittee => "returned_by_committee",
            Stage::AcceptedForReview => "accepted_for_review",
            Stage::InReview => "in_review",
            Stage::Passed => "passed",
            Stage::NotPassed => "not_passed",
            Stage::ResultPublicity => "result_publicity",
            Stage::ResultSuspended => "result_suspended",
            Stage::Confirmed => "confirmed",
            Stage::Certified => "certified",
            Stage::Revoked => "revoked",
            Stage::Appealed => "appealed",
        }
    }

    /// The stage of a stored code.
    pub fn parse(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A role an account holds (`role_grant.role`), parsed once from its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Applicant,
    EmployerHr,
    CommitteeOffice,
    Expert,
    ProvincialAdmin,
    /// A provincial industry authority (省级行业主管部门): proposes correspondences for new
    /// fields; sees no dossier.
    IndustryAuthority,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Applicant,
        Role::EmployerHr,
        Role::CommitteeOffice,
        Role::Expert,
        Role::ProvincialAdmin,
        Role::IndustryAuthority,
    ];

    /// The code stored in a grant.
    pub fn code(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::EmployerHr => "employer_hr",
            Role::CommitteeOffice => "committee_office",
            Role::Expert => "expert",
            Role::ProvincialAdmin => "provincial_admin",
            Role::IndustryAuthority => "industry_authority",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether a dossier in `stage` is within sight of this role at all (its scope decides
    /// the rest). The applicant sees their own in every stage.
    pub fn sees(self, stage: Stage) -> bool {
        VISIBLE.iter().any(|(r, s)| *r == self && *s == stage)
    }
}

/// Who sees a dossier in which stage (scopes aside). A draft is its owner's alone; the
/// employer's HR sees it once submitted; the committee office and the provincial
/// administrator once the employer has approved it (publicity onwards). Experts see no dossier
/// through this table: they read those of their own review group, not recused, in their
/// workspace (`casework::sessions`).
const VISIBLE: &[(Role, Stage)] = {
    use Role::*;
    use Stage::*;
    &[
        (Applicant, Draft),
        (Applicant, Submitted),
        (Applicant, ReturnedByEmployer),
        (Applicant, UnitPublicity),
        (Applicant, FormalCheck),
        (Applicant, ReturnedByCommittee),
        (Applicant, AcceptedForReview),
        (Applicant, InReview),
        (Applicant, Passed),
        (Applicant, NotPassed),
        (Applicant, ResultPublicity),
        (Applicant, ResultSuspended),
        (Applicant, Confirmed),
        (Applicant, Certified),
        (Applicant, Revoked),
        (Applicant, Appealed),
        (EmployerHr, Submitted),
        (EmployerHr, ReturnedByEmployer),
        (EmployerHr, UnitPublicity),
        (EmployerHr, FormalCheck),
        (EmployerHr, ReturnedByCommittee),
        (EmployerHr, AcceptedForReview),
        (EmployerHr, InReview),
        (EmployerHr, Passed),
        (EmployerHr, NotPassed),
        (EmployerHr, ResultPublicity),
        (EmployerHr, ResultSuspended),
        (EmployerHr, Confirmed),
        (EmployerHr, Certified),
        (EmployerHr, Revoked),
        (EmployerHr, Appealed),
        (CommitteeOffice, UnitPublicity),
        (CommitteeOffice, FormalCheck),
        (CommitteeOffice, ReturnedByCommittee),
        (CommitteeOffice, AcceptedForReview),
        (CommitteeOffice, InReview),
        (CommitteeOffice, Passed),
        (CommitteeOffice, NotPassed),
        (CommitteeOffice, ResultPublicity),
        (CommitteeOffice, ResultSuspended),
        (CommitteeOffice, Confirmed),
        (CommitteeOffice, Certified),
        (CommitteeOffice, Revoked),
        (CommitteeOffice, Appealed),
        (ProvincialAdmin, UnitPublicity),
        (ProvincialAdmin, FormalCheck),
        (ProvincialAdmin, ReturnedByCommittee),
        (ProvincialAdmin, AcceptedForReview),
        (ProvincialAdmin, InReview),
        (ProvincialAdmin, Passed),
        (ProvincialAdmin, NotPassed),
        (ProvincialAdmin, ResultPublicity),
        (ProvincialAdmin, ResultSuspended),
        (ProvincialAdmin, Confirmed),
        (ProvincialAdmin, Certified),
        (ProvincialAdmin, Revoked),
        (ProvincialAdmin, Appealed),
    ]
};

/// The stages a role sees, in order (for queue filters).
pub fn stages_seen_by(role: Role) -> Vec<Stage> {
    Stage::ALL.into_iter().filter(|s| role.sees(*s)).collect()
}

/// An action without what it carries: what the table speaks of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Submit,
    /// The applicant takes a submitted dossier back before the employer decides: a draft again.
    Withdraw,
    EmployerApprove,
    EmployerReturn,
    EndPublicity,
    CommitteeAccept,
    CommitteeReturn,
    /// The committee office puts an accepted dossier into a review session.
    AssignToSession,
    /// The chair signs the session's counted result: the applicant passed,
    RecordPass,
    /// did not pass,
    RecordFail,
    /// or could not be decided for want of a quorum of experts not recused, and goes back to
    /// wait for a later session.
    Requeue,
    /// The organising unit publicises a passed result.
    StartResultPublicity,
    /// An upheld objection holds the result,
    SuspendResult,
    /// until it is reinstated (a new period of publicity)
    ReinstateResult,
    /// or revoked.
    RevokeResult,
    /// The provincial department confirms the result after its publicity,
    ConfirmResult,
    /// or records a self-review committee's filing of it; then
    FileResult,
    /// the electronic certificate is issued; found obtained by fraud, it is revoked.
    IssueCertificate,
    RevokeCertificate,
    /// The applicant asks for a review of a result that did not pass;
    Appeal,
    /// the committee upholds it (a new vote in a later session)
    UpholdAppeal,
    /// or dismisses it.
    DismissAppeal,
}

/// What a reviewer's form asks for (the `action` field of `/dossiers/{id}/decision`); which
/// step it is depends on who asks, by the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Return,
    EndPublicity,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Return => "return",
            Decision::EndPublicity => "end_publicity",
        }
    }

    pub fn parse(code: &str) -> Option<Decision> {
        [Decision::Approve, Decision::Return, Decision::EndPublicity]
            .into_iter()
            .find(|d| d.code() == code)
    }
}

impl Step {
    /// The reviewer's decision this step answers, if it is one.
    pub fn decision(self) -> Option<Decision> {
        match self {
            Step::Submit
            | Step::Withdraw
            | Step::AssignToSession
            | Step::RecordPass
            | Step::RecordFail
            | Step::Requeue
            | Step::StartResultPublicity
            | Step::SuspendResult
            | Step::ReinstateResult
            | Step::RevokeResult
            | Step::ConfirmResult
            | Step::FileResult
            | Step::IssueCertificate
            | Step::RevokeCertificate
            | Step::Appeal
            | Step::UpholdAppeal
            | Step::DismissAppeal => None,
            Step::EmployerApprove | Step::CommitteeAccept => Some(Decision::Approve),
            Step::EmployerReturn | Step::CommitteeReturn => Some(Decision::Return),
            Step::EndPublicity => Some(Decision::EndPublicity),
        }
    }
}

/// The one table of the procedure: in which stage which actor may take which step. The
/// transition function, the dossier page's buttons and the decision handler all read it.
pub const ALLOWED: &[(Stage, Actor, Step)] = {
    use Actor::*;
    use Stage::*;
    &[
        (Draft, Applicant, Step::Submit),
        (ReturnedByEmployer, Applicant, Step::Submit),
        (ReturnedByCommittee, Applicant, Step::Submit),
        (Submitted, Applicant, Step::Withdraw),
        (Submitted, EmployerHr, Step::EmployerApprove),
        (Submitted, EmployerHr, Step::EmployerReturn),
        (UnitPublicity, System, Step::EndPublicity),
        (UnitPublicity, CommitteeOffice, Step::EndPublicity),
        (FormalCheck, CommitteeOffice, Step::CommitteeAccept),
        (FormalCheck, CommitteeOffice, Step::CommitteeReturn),
        (AcceptedForReview, CommitteeOffice, Step::AssignToSession),
        (InReview, Chair, Step::RecordPass),
        (InReview, Chair, Step::RecordFail),
        (InReview, Chair, Step::Requeue),
        (Passed, CommitteeOffice, Step::StartResultPublicity),
        (ResultPublicity, CommitteeOffice, Step::SuspendResult),
        (ResultPublicity, CommitteeOffice, Step::RevokeResult),
        (ResultSuspended, CommitteeOffice, Step::ReinstateResult),
        (ResultSuspended, CommitteeOffice, Step::RevokeResult),
        (ResultPublicity, ProvincialAdmin, Step::ConfirmResult),
        (ResultPublicity, ProvincialAdmin, Step::FileResult),
        (Confirmed, ProvincialAdmin, Step::IssueCertificate),
        (Certified, ProvincialAdmin, Step::RevokeCertificate),
        (NotPassed, Applicant, Step::Appeal),
        (Appealed, CommitteeOffice, Step::UpholdAppeal),
        (Appealed, CommitteeOffice, Step::DismissAppeal),
    ]
};

/// Whether `actor` may take `step` in `stage`.
pub fn may(stage: Stage, actor: Actor, step: Step) -> bool {
    ALLOWED.contains(&(stage, actor, step))
}

/// The steps `actor` may take in `stage`, in the table's order.
pub fn allowed(stage: Stage, actor: Actor) -> Vec<Step> {
    ALLOWED
        .iter()
        .filter(|(s, a, _)| *s == stage && *a == actor)
        .map(|(_, _, step)| *step)
        .collect()
}

/// The step a reviewer's decision is, for this actor in this stage, if the table allows one.
pub fn step_for(stage: Stage, actor: Actor, decision: Decision) -> Option<Step> {
    allowed(stage, actor)
        .into_iter()
        .find(|s| s.decision() == Some(decision))
}

/// A reason attached to one field of the dossier (shown beside that field).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldReason {
    /// The dossier field, e.g. `achievements[2].date` or `attachments`.
    pub field: String,
    pub reason: String,
}

/// Who is acting, in relation to this dossier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// The dossier's owner.
    Applicant,
    /// HR of the applicant's employer.
    EmployerHr,
    /// The office of the committee the dossier is addressed to.
    CommitteeOffice,
    /// The server itself (e.g. a publicity period running out).
    System,
    /// The chair (or a vice-chair) of the committee, signing a session's result.
    Chair,
    /// The provincial human-resources department, confirming results.
    ProvincialAdmin,
}

/// What the actor asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Submit,
    Withdraw,
    EmployerApprove,
    EmployerReturn { reasons: Vec<FieldReason> },
    EndPublicity,
    CommitteeAccept,
    CommitteeReturn { reasons: Vec<FieldReason> },
    AssignToSession { session_id: i64 },
    RecordPass { session_id: i64 },
    RecordFail { session_id: i64 },
    Requeue { session_id: i64 },
    StartResultPublicity,
    SuspendResult,
    ReinstateResult,
    RevokeResult,
    ConfirmResult,
    FileResult,
    IssueCertificate,
    RevokeCertificate { reason: String },
    Appeal { reason: String },
    UpholdAppeal,
    DismissAppeal,
}

impl Action {
    /// The step this action is.
    pub fn step(&self) -> Step {
        match self {
            Action::Submit => Step::Submit,
            Action::Withdraw => Step::Withdraw,
            Action::EmployerApprove => Step::EmployerApprove,
            Action::EmployerReturn { .. } => Step::EmployerReturn,
            Action::EndPublicity => Step::EndPublicity,
            Action::CommitteeAccept => Step::CommitteeAccept,
            Action::CommitteeReturn { .. } => Step::CommitteeReturn,
            Action::AssignToSession { .. } => Step::AssignToSession,
            Action::RecordPass { .. } => Step::RecordPass,
            Action::RecordFail { .. } => Step::RecordFail,
            Action::Requeue { .. } => Step::Requeue,
            Action::StartResultPublicity => Step::StartResultPublicity,
            Action::SuspendResult => Step::SuspendResult,
            Action::ReinstateResult => Step::ReinstateResult,
            Action::RevokeResult => Step::RevokeResult,
            Action::ConfirmResult => Step::ConfirmResult,
            Action::FileResult => Step::FileResult,
            Action::IssueCertificate => Step::IssueCertificate,
            Action::RevokeCertificate { .. } => Step::RevokeCertificate,
            Action::Appeal { .. } => Step::Appeal,
            Action::UpholdAppeal => Step::UpholdAppeal,
            Action::DismissAppeal => Step::DismissAppeal,
        }
    }

    /// The action of a reviewer's decision; a return carries its reasons. `None` for a step
    /// that is no decision (a submission, an assignment to a session).
    pub fn of(step: Step, reasons: Vec<FieldReason>) -> Option<Action> {
        Some(match step {
            Step::Submit
            | Step::Withdraw
            | Step::AssignToSession
            | Step::RecordPass
            | Step::RecordFail
            | Step::Requeue
            | Step::StartResultPublicity
            | Step::SuspendResult
            | Step::ReinstateResult
            | Step::RevokeResult
            | Step::ConfirmResult
            | Step::FileResult
            | Step::IssueCertificate
            | Step::RevokeCertificate
            | Step::Appeal
            | Step::UpholdAppeal
            | Step::DismissAppeal => return None,
            Step::EmployerApprove => Action::EmployerApprove,
            Step::EmployerReturn => Action::EmployerReturn { reasons },
            Step::EndPublicity => Action::EndPublicity,
            Step::CommitteeAccept => Action::CommitteeAccept,
            Step::CommitteeReturn => Action::CommitteeReturn { reasons },
        })
    }

    /// The audit log's action code.
    pub fn code(&self) -> &'static str {
        match self {
            Action::Submit => "dossier.submit",
            Action::Withdraw => "dossier.withdraw",
            Action::EmployerApprove => "dossier.employer_approve",
            Action::EmployerReturn { .. } => "dossier.employer_return",
            Action::EndPublicity => "dossier.end_publicity",
            Action::CommitteeAccept => "dossier.committee_accept",
            Action::CommitteeReturn { .. } => "dossier.committee_return",
            Action::AssignToSession { .. } => "dossier.assign_session",
            Action::RecordPass { .. } => "dossier.pass",
            Action::RecordFail { .. } => "dossier.fail",
            Action::Requeue { .. } => "dossier.requeue",
            Action::StartResultPublicity => "dossier.result_publicity",
            Action::SuspendResult => "dossier.result_suspend",
            Action::ReinstateResult => "dossier.result_reinstate",
            Action::RevokeResult => "dossier.result_revoke",
            Action::ConfirmResult => "dossier.result_confirm",
            Action::FileResult => "dossier.result_file",
            Action::IssueCertificate => "dossier.certify",
            Action::RevokeCertificate { .. } => "dossier.certificate_revoke",
            Action::Appeal { .. } => "dossier.appeal",
            Action::UpholdAppeal => "dossier.appeal_uphold",
            Action::DismissAppeal => "dossier.appeal_dismiss",
        }
    }
}

/// Why a transition was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("{actor:?} may not {action} a dossier that is {state}")]
    NotAllowed {
        actor: Actor,
        action: &'static str,
        state: &'static str,
    },
    #[error("a return needs at least one reason, each naming a field")]
    ReasonsRequired,
    #[error("the publicity period runs until {ends_on}")]
    PublicityNotOver { ends_on: NaiveDate },
    #[error("working days cannot be counted: {0}")]
    Calendar(#[from] rules::CalendarError),
}

/// The parameters of the procedure that come from the rule set (POLICY §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Procedure {
    /// 用人单位公示 length in working days.
    pub unit_publicity_working_days: u32,
    /// 评审结果公示 length in working days.
    pub result_publicity_working_days: u32,
    /// How many years a person whose title was revoked for fraud may not apply.
    pub fraud_bar_years: u32,
}

/// The next state, or why the move is refused.
pub fn transition(
    state: &State,
    actor: Actor,
    action: Action,
    today: NaiveDate,
    procedure: Procedure,
    calendar: &WorkCalendar,
) -> Result<State, WorkflowError> {
    let refuse = |action: &Action| WorkflowError::NotAllowed {
        actor,
        action: action.code(),
        state: state.code(),
    };
    let check_reasons = |reasons: &[FieldReason]| {
        if reasons.is_empty()
            || reasons
                .iter()
                .any(|r| r.field.trim().is_empty() || r.reason.trim().is_empty())
        {
            Err(WorkflowError::ReasonsRequired)
        } else {
            Ok(())
        }
    };
    // The table decides who may; what follows only says where the step leads.
    if !may(state.stage(), actor, action.step()) {
        return Err(refuse(&action));
    }
    match action {
        Action::Submit => Ok(State::Submitted),
        Action::Withdraw => Ok(State::Draft),
        Action::EmployerApprove => {
            // Publicity starts the day after approval, so the approval day never counts as one.
            let start = today.succ_opt().unwrap_or(today);
            let ends_on =
                calendar.nth_working_day_from(start, procedure.unit_publicity_working_days)?;
            Ok(State::UnitPublicity { ends_on })
        }
        Action::EmployerReturn { reasons } => {
            check_reasons(&reasons)?;
            Ok(State::ReturnedByEmployer { reasons })
        }
        Action::EndPublicity => match state {
            State::UnitPublicity { ends_on } if today <= *ends_on => {
                Err(WorkflowError::PublicityNotOver { ends_on: *ends_on })
            }
            _ => Ok(State::FormalCheck),
        },
        Action::CommitteeAccept => Ok(State::AcceptedForReview),
        Action::CommitteeReturn { reasons } => {
            check_reasons(&reasons)?;
            Ok(State::ReturnedByCommittee { reasons })
        }
        Action::AssignToSession { session_id } => Ok(State::InReview { session_id }),
        Action::RecordPass { session_id } => Ok(State::Passed { session_id }),
        Action::RecordFail { session_id } => Ok(State::NotPassed { session_id }),
        Action::Requeue { .. } => Ok(State::AcceptedForReview),
        Action::StartResultPublicity | Action::ReinstateResult => {
            let session_id = state.session_id().unwrap_or_default();
            // Like the unit's publicity: from the day after, so the day it starts never counts.
            let start = today.succ_opt().unwrap_or(today);
            let ends_on =
                calendar.nth_working_day_from(start, procedure.result_publicity_working_days)?;
            Ok(State::ResultPublicity {
                session_id,
                ends_on,
            })
        }
        Action::SuspendResult => Ok(State::ResultSuspended {
            session_id: state.session_id().unwrap_or_default(),
        }),
        Action::RevokeResult => Ok(State::NotPassed {
            session_id: state.session_id().unwrap_or_default(),
        }),
        Action::ConfirmResult | Action::FileResult => match state {
            State::ResultPublicity { ends_on, .. } if today <= *ends_on => {
                Err(WorkflowError::PublicityNotOver { ends_on: *ends_on })
            }
            _ => Ok(State::Confirmed {
                session_id: state.session_id().unwrap_or_default(),
                filed: matches!(action, Action::FileResult),
            }),
        },
        Action::IssueCertificate => Ok(State::Certified {
            session_id: state.session_id().unwrap_or_default(),
        }),
        Action::RevokeCertificate { reason } => {
            if reason.trim().is_empty() {
                return Err(WorkflowError::ReasonsRequired);
            }
            let months = chrono::Months::new(12 * procedure.fraud_bar_years);
            Ok(State::Revoked {
                session_id: state.session_id().unwrap_or_default(),
                reason,
                revoked_on: today,
                barred_until: today.checked_add_months(months).unwrap_or(NaiveDate::MAX),
            })
        }
        Action::Appeal { reason } => {
            if reason.trim().is_empty() {
                return Err(WorkflowError::ReasonsRequired);
            }
            Ok(State::Appealed {
                session_id: state.session_id().unwrap_or_default(),
                reason,
                lodged_on: today,
            })
        }
        Action::UpholdAppeal => Ok(State::AcceptedForReview),
        Action::DismissAppeal => Ok(State::NotPassed {
            session_id: state.session_id().unwrap_or_default(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        rules::parse_date(text).unwrap()
    }

    fn calendar() -> WorkCalendar {
        WorkCalendar::builtin().unwrap()
    }

    const FIVE: Procedure = Procedure {
        unit_publicity_working_days: 5,
        result_publicity_working_days: 5,
        fraud_bar_years: 3,
    };

    fn reason(field: &str) -> FieldReason {
        FieldReason {
            field: field.into(),
            reason: "请补充".into(),
        }
    }

    #[test]
    fn a_dossier_travels_from_draft_to_acceptance() {
        let c = calendar();
        let s = transition(
            &State::Draft,
            Actor::Applicant,
            Action::Submit,
            d("2026-09-25"),
            FIVE,
            &c,
        )
        .unwrap();
        assert_eq!(s, State::Submitted);
        // Approved Fri 25 Sep 2026: publicity from Sat 26 Sep counts Mon 28, Tue 29, Wed 30 Sep,
        // skips the National Day holiday, then Thu 8 and Fri 9 Oct.
        let s = transition(
            &s,
            Actor::EmployerHr,
            Action::EmployerApprove,
            d("2026-09-25"),
            FIVE,
            &c,
        )
        .unwrap();
        assert_eq!(
            s,
            State::UnitPublicity {
                ends_on: d("2026-10-09")
            }
        );
        assert_eq!(
            transition(
                &s,
                Actor::System,
                Action::EndPublicity,
                d("2026-10-09"),
                FIVE,
                &c
            ),
            Err(WorkflowError::PublicityNotOver {
                ends_on: d("2026-10-09")
            })
        );
        let s = transition(
            &s,
            Actor::System,
            Action::EndPublicity,
            d("2026-10-10"),
            FIVE,
            &c,
        )
        .unwrap();
        assert_eq!(s, State::FormalCheck);
        let s = transition(
            &s,
            Actor::CommitteeOffice,
            Action::CommitteeAccept,
            d("2026-10-12"),
            FIVE,
            &c,
        )
        .unwrap();
        assert_eq!(s, State::AcceptedForReview);
    }

    #[test]
    fn returned_dossiers_keep_their_reasons_and_can_be_resubmitted() {
        let c = calendar();
        let today = d("2026-11-23");
        let returned = transition(
            &State::Submitted,
            Actor::EmployerHr,
            Action::EmployerReturn {
                reasons: vec![reason("achievements[0].date")],
            },
            today,
            FIVE,
            &c,
        )
        .unwrap();
        assert!(returned.editable_by_applicant());
        assert!(
            matches!(&returned, State::ReturnedByEmployer { reasons } if reasons[0].field == "achievements[0].date")
        );
        assert_eq!(
            transition(&returned, Actor::Applicant, Action::Submit, today, FIVE, &c).unwrap(),
            State::Submitted
        );

        let all_missing = vec![reason("attachments"), reason("achievements[1].description")];
        let returned = transition(
            &State::FormalCheck,
            Actor::CommitteeOffice,
            Action::CommitteeReturn {
                reasons: all_missing.clone(),
            },
            today,
            FIVE,
            &c,
        )
        .unwrap();
        assert_eq!(
            returned,
            State::ReturnedByCommittee {
                reasons: all_missing
            }
        );
    }

    #[test]
    fn returns_need_reasons_naming_fields() {
        let c = calendar();
        let today = d("2026-11-23");
        for reasons in [
            vec![],
            vec![FieldReason {
                field: " ".into(),
                reason: "x".into(),
            }],
        ] {
            assert_eq!(
                transition(
                    &State::Submitted,
                    Actor::EmployerHr,
                    Action::EmployerReturn { reasons },
                    today,
                    FIVE,
                    &c
                ),
                Err(WorkflowError::ReasonsRequired)
            );
        }
    }

    #[test]
    fn nobody_acts_out_of_turn() {
        let c = calendar();
        let today = d("2026-11-23");
        let refused = [
            (State::Draft, Actor::EmployerHr, Action::EmployerApprove),
            (State::Submitted, Actor::Applicant, Action::EmployerApprove),
            (
                State::Submitted,
                Actor::CommitteeOffice,
                Action::CommitteeAccept,
            ),
            (State::Submitted, Actor::Applicant, Action::Submit),
            (
                State::FormalCheck,
                Actor::EmployerHr,
                Action::CommitteeAccept,
            ),
            (State::AcceptedForReview, Actor::Applicant, Action::Submit),
            (
                State::UnitPublicity { ends_on: today },
                Actor::Applicant,
                Action::EndPublicity,
            ),
        ];
        for (state, actor, action) in refused {
            assert!(
                matches!(
                    transition(&state, actor, action.clone(), today, FIVE, &c),
                    Err(WorkflowError::NotAllowed { .. })
                ),
                "{actor:?} {action:?} from {state:?} must be refused"
            );
        }
    }

    /// The table, read as a person would: who does what where.
    #[test]
    fn the_table_of_allowed_steps() {
        use Stage::*;
        let cases: &[(Stage, Actor, &[Step])] = &[
            (Draft, Actor::Applicant, &[Step::Submit]),
            (Draft, Actor::EmployerHr, &[]),
            (Submitted, Actor::Applicant, &[Step::Withdraw]),
            (UnitPublicity, Actor::Applicant, &[]),
            (
                Submitted,
                Actor::EmployerHr,
                &[Step::EmployerApprove, Step::EmployerReturn],
            ),
            (Submitted, Actor::CommitteeOffice, &[]),
            (ReturnedByEmployer, Actor::Applicant, &[Step::Submit]),
            (UnitPublicity, Actor::System, &[Step::EndPublicity]),
            (UnitPublicity, Actor::CommitteeOffice, &[Step::EndPublicity]),
            (UnitPublicity, Actor::EmployerHr, &[]),
            (
                FormalCheck,
                Actor::CommitteeOffice,
                &[Step::CommitteeAccept, Step::CommitteeReturn],
            ),
            (FormalCheck, Actor::System, &[]),
            (ReturnedByCommittee, Actor::Applicant, &[Step::Submit]),
            (
                AcceptedForReview,
                Actor::CommitteeOffice,
                &[Step::AssignToSession],
            ),
            (AcceptedForReview, Actor::Applicant, &[]),
            (InReview, Actor::CommitteeOffice, &[]),
            (InReview, Actor::Applicant, &[]),
            (
                InReview,
                Actor::Chair,
                &[Step::RecordPass, Step::RecordFail, Step::Requeue],
            ),
            (AcceptedForReview, Actor::Chair, &[]),
            (Passed, Actor::Chair, &[]),
            (NotPassed, Actor::Applicant, &[Step::Appeal]),
            (
                Appealed,
                Actor::CommitteeOffice,
                &[Step::UpholdAppeal, Step::DismissAppeal],
            ),
            (
                Passed,
                Actor::CommitteeOffice,
                &[Step::StartResultPublicity],
            ),
            (
                ResultPublicity,
                Actor::ProvincialAdmin,
                &[Step::ConfirmResult, Step::FileResult],
            ),
            (
                ResultPublicity,
                Actor::CommitteeOffice,
                &[Step::SuspendResult, Step::RevokeResult],
            ),
            (
                ResultSuspended,
                Actor::CommitteeOffice,
                &[Step::ReinstateResult, Step::RevokeResult],
            ),
            (Confirmed, Actor::ProvincialAdmin, &[Step::IssueCertificate]),
            (Certified, Actor::Applicant, &[]),
            (
                Certified,
                Actor::ProvincialAdmin,
                &[Step::RevokeCertificate],
            ),
            (Certified, Actor::CommitteeOffice, &[]),
            (Revoked, Actor::ProvincialAdmin, &[]),
            (Revoked, Actor::Applicant, &[]),
        ];
        for (stage, actor, steps) in cases {
            assert_eq!(
                allowed(*stage, *actor),
                steps.to_vec(),
                "{stage:?} {actor:?}"
            );
        }
        // Every stage and actor the table does not name may do nothing.
        for (stage, actor, step) in ALLOWED {
            assert!(may(*stage, *actor, *step));
        }
        assert_eq!(
            step_for(Submitted, Actor::EmployerHr, Decision::Approve),
            Some(Step::EmployerApprove)
        );
        assert_eq!(
            step_for(FormalCheck, Actor::CommitteeOffice, Decision::Approve),
            Some(Step::CommitteeAccept)
        );
        assert_eq!(
            step_for(FormalCheck, Actor::EmployerHr, Decision::Approve),
            None
        );
        assert_eq!(
            step_for(Submitted, Actor::EmployerHr, Decision::EndPublicity),
            None
        );
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.code()), Some(stage));
        }
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn the_chair_s_signature_moves_a_dossier_out_of_its_session() {
        let c = calendar();
        let today = d("2026-12-10");
        let in_review = State::InReview { session_id: 7 };
        let go = |actor, action| transition(&in_review, actor, action, today, FIVE, &c);
        assert_eq!(
            go(Actor::Chair, Action::RecordPass { session_id: 7 }),
            Ok(State::Passed { session_id: 7 })
        );
        assert_eq!(
            go(Actor::Chair, Action::RecordFail { session_id: 7 }),
            Ok(State::NotPassed { session_id: 7 })
        );
        assert_eq!(
            go(Actor::Chair, Action::Requeue { session_id: 7 }),
            Ok(State::AcceptedForReview)
        );
        // The office counts but does not sign; a passed dossier is not signed twice.
        assert!(go(Actor::CommitteeOffice, Action::RecordPass { session_id: 7 }).is_err());
        let passed = State::Passed { session_id: 7 };
        assert!(transition(
            &passed,
            Actor::Chair,
            Action::RecordFail { session_id: 7 },
            today,
            FIVE,
            &c
        )
        .is_err());
        assert!(!passed.editable_by_applicant());
    }

    #[test]
    fn a_submitted_dossier_is_withdrawn_until_the_employer_decides() {
        let c = calendar();
        let today = d("2026-12-03");
        let back =
            |state: &State, actor| transition(state, actor, Action::Withdraw, today, FIVE, &c);
        assert_eq!(back(&State::Submitted, Actor::Applicant), Ok(State::Draft));
        assert!(back(&State::Submitted, Actor::EmployerHr).is_err());
        let approved = State::UnitPublicity {
            ends_on: d("2026-12-10"),
        };
        assert!(back(&approved, Actor::Applicant).is_err());
        assert!(back(&State::Draft, Actor::Applicant).is_err());
        assert!(Action::Withdraw.step().decision().is_none());
    }

    #[test]
    fn a_revocation_bars_the_person_for_the_years_of_the_procedure() {
        let c = calendar();
        let certified = State::Certified { session_id: 7 };
        let revoke = |actor, reason: &str, today| {
            let action = Action::RevokeCertificate {
                reason: reason.into(),
            };
            transition(&certified, actor, action, today, FIVE, &c)
        };
        assert_eq!(
            revoke(Actor::ProvincialAdmin, "论文抄袭", d("2026-12-03")),
            Ok(State::Revoked {
                session_id: 7,
                reason: "论文抄袭".into(),
                revoked_on: d("2026-12-03"),
                barred_until: d("2029-12-03"),
            })
        );
        // 29 February has no day in three years' time: the bar ends on the month's last day.
        assert!(matches!(
            revoke(Actor::ProvincialAdmin, "x", d("2028-02-29")),
            Ok(State::Revoked { barred_until, .. }) if barred_until == d("2031-02-28")
        ));
        assert_eq!(
            revoke(Actor::ProvincialAdmin, "  ", d("2026-12-03")),
            Err(WorkflowError::ReasonsRequired)
        );
        assert!(revoke(Actor::CommitteeOffice, "x", d("2026-12-03")).is_err());
        let revoked = revoke(Actor::ProvincialAdmin, "x", d("2026-12-03")).unwrap();
        assert_eq!(revoked.code(), "revoked");
        assert_eq!(revoked.session_id(), Some(7));
        let again = Action::RevokeCertificate { reason: "x".into() };
        let today = d("2026-12-04");
        assert!(transition(&revoked, Actor::ProvincialAdmin, again, today, FIVE, &c).is_err());
    }

    #[test]
    fn who_sees_which_stage() {
        use Stage::*;
        assert_eq!(stages_seen_by(Role::Applicant), Stage::ALL.to_vec());
        assert!(!Role::EmployerHr.sees(Draft) && Role::EmployerHr.sees(Submitted));
        assert_eq!(
            stages_seen_by(Role::CommitteeOffice),
            vec![
                UnitPublicity,
                FormalCheck,
                ReturnedByCommittee,
                AcceptedForReview,
                InReview,
                Passed,
                NotPassed,
                ResultPublicity,
                ResultSuspended,
                Confirmed,
                Certified,
                Revoked,
                Appealed
            ]
        );
        assert_eq!(
            stages_seen_by(Role::ProvincialAdmin),
            stages_seen_by(Role::CommitteeOffice)
        );
        // Experts read their own group's dossiers in their workspace, never through this table.
        assert!(stages_seen_by(Role::Expert).is_empty());
        assert!(stages_seen_by(Role::IndustryAuthority).is_empty());
    }

    #[test]
    fn approval_near_an_unannounced_year_is_refused_not_guessed() {
        let c = calendar();
        assert!(matches!(
            transition(
                &State::Submitted,
                Actor::EmployerHr,
                Action::EmployerApprove,
                d("2026-12-28"),
                FIVE,
                &c
            ),
            Err(WorkflowError::Calendar(_))
        ));
    }
}
