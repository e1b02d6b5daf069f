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
}

impl State {
    /// The stable code stored and shown in lists.
    pub fn code(&self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::ReturnedByEmployer { .. } => "returned_by_employer",
            State::UnitPublicity { .. } => "unit_publicity",
            State::FormalCheck => "formal_check",
            State::ReturnedByCommittee { .. } => "returned_by_committee",
            State::AcceptedForReview => "accepted_for_review",
        }
    }

    /// Whether the applicant may edit the dossier in this state.
    pub fn editable_by_applicant(&self) -> bool {
        matches!(
            self,
            State::Draft | State::ReturnedByEmployer { .. } | State::ReturnedByCommittee { .. }
        )
    }
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
}

/// What the actor asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Submit,
    EmployerApprove,
    EmployerReturn { reasons: Vec<FieldReason> },
    EndPublicity,
    CommitteeAccept,
    CommitteeReturn { reasons: Vec<FieldReason> },
}

impl Action {
    /// The audit log's action code.
    pub fn code(&self) -> &'static str {
        match self {
            Action::Submit => "dossier.submit",
            Action::EmployerApprove => "dossier.employer_approve",
            Action::EmployerReturn { .. } => "dossier.employer_return",
            Action::EndPublicity => "dossier.end_publicity",
            Action::CommitteeAccept => "dossier.committee_accept",
            Action::CommitteeReturn { .. } => "dossier.committee_return",
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
    match (state, actor, action) {
        (s, Actor::Applicant, Action::Submit) if s.editable_by_applicant() => Ok(State::Submitted),
        (State::Submitted, Actor::EmployerHr, Action::EmployerApprove) => {
            // Publicity starts the day after approval, so the approval day never counts as one.
            let start = today.succ_opt().unwrap_or(today);
            let ends_on =
                calendar.nth_working_day_from(start, procedure.unit_publicity_working_days)?;
            Ok(State::UnitPublicity { ends_on })
        }
        (State::Submitted, Actor::EmployerHr, Action::EmployerReturn { reasons }) => {
            check_reasons(&reasons)?;
            Ok(State::ReturnedByEmployer { reasons })
        }
        (
            State::UnitPublicity { ends_on },
            Actor::System | Actor::CommitteeOffice,
            Action::EndPublicity,
        ) => {
            if today <= *ends_on {
                Err(WorkflowError::PublicityNotOver { ends_on: *ends_on })
            } else {
                Ok(State::FormalCheck)
            }
        }
        (State::FormalCheck, Actor::CommitteeOffice, Action::CommitteeAccept) => {
            Ok(State::AcceptedForReview)
        }
        (State::FormalCheck, Actor::CommitteeOffice, Action::CommitteeReturn { reasons }) => {
            check_reasons(&reasons)?;
            Ok(State::ReturnedByCommittee { reasons })
        }
        (_, _, action) => Err(refuse(&action)),
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
