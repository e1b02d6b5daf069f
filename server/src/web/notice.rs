//! The notice a redirect leaves for the page it lands on (`?notice=`), typed: a handler names
//! a [`Said`], the page reads it back with [`Said::parse`], and the text comes from the i18n
//! table. An unknown code shows nothing.

use app::portal::{Notice, P};
use axum::response::Response;

/// What a change left to say on the dossier page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Said {
    Created,
    AnswersUpdated,
    AnswersConflict,
    Saved,
    FileStored,
    FileRemoved,
    Submitted,
    Approved,
    Returned,
    Accepted,
    PublicityEnded,
    NotAllowed,
    Conflict,
    Calendar,
    PublicityNotOver,
    SessionOpened,
    DrawDone,
    RecusalDeclared,
    RecusalDecided,
    AssessmentSaved,
    CommitteeCreated,
    CommitteeUpdated,
    Filed,
    ExpertAdded,
    ExpertUpdated,
    ExpertDeactivated,
    Deleted,
    AttendanceSaved,
    BallotOpened,
    BallotClosed,
    VoteCast,
    Signed,
    ResultsPublicised,
    ObjectionLodged,
    ObjectionDecided,
    Reinstated,
    Confirmed,
    AppealLodged,
    AppealDecided,
    CertificateRevoked,
    Withdrawn,
    CalendarSaved,
}

impl Said {
    pub const ALL: [Said; 42] = [
        Said::Created,
        Said::AnswersUpdated,
        Said::AnswersConflict,
        Said::Saved,
        Said::FileStored,
        Said::FileRemoved,
        Said::Submitted,
        Said::Approved,
        Said::Returned,
        Said::Accepted,
        Said::PublicityEnded,
        Said::NotAllowed,
        Said::Conflict,
        Said::Calendar,
        Said::PublicityNotOver,
        Said::SessionOpened,
        Said::DrawDone,
        Said::RecusalDeclared,
        Said::RecusalDecided,
        Said::AssessmentSaved,
        Said::CommitteeCreated,
        Said::CommitteeUpdated,
        Said::Filed,
        Said::ExpertAdded,
        Said::ExpertUpdated,
        Said::ExpertDeactivated,
        Said::Deleted,
        Said::AttendanceSaved,
        Said::BallotOpened,
        Said::BallotClosed,
        Said::VoteCast,
        Said::Signed,
        Said::ResultsPublicised,
        Said::ObjectionLodged,
        Said::ObjectionDecided,
        Said::Reinstated,
        Said::Confirmed,
        Said::AppealLodged,
        Said::AppealDecided,
        Said::CertificateRevoked,
        Said::Withdrawn,
        Said::CalendarSaved,
    ];

    /// Its code in the address, whether it reports success, and its text: the one table.
    const fn parts(self) -> (&'static str, bool, P) {
        match self {
            Said::Created => ("created", true, P::NoticeCreated),
            Said::AnswersUpdated => ("answers_updated", true, P::NoticeAnswersUpdated),
            Said::AnswersConflict => ("answers_conflict", false, P::NoticeAnswersConflict),
            Said::Saved => ("saved", true, P::NoticeSaved),
            Said::FileStored => ("file_stored", true, P::NoticeFileStored),
            Said::FileRemoved => ("file_removed", true, P::NoticeFileRemoved),
            Said::Submitted => ("submitted", true, P::NoticeSubmitted),
            Said::Approved => ("approved", true, P::NoticeApproved),
            Said::Returned => ("returned", true, P::NoticeReturned),
            Said::Accepted => ("accepted", true, P::NoticeAccepted),
            Said::PublicityEnded => ("publicity_ended", true, P::NoticePublicityEnded),
            Said::NotAllowed => ("not_allowed", false, P::NoticeNotAllowed),
            Said::Conflict => ("conflict", false, P::NoticeConflict),
            Said::Calendar => ("calendar", false, P::NoticeCalendar),
            Said::PublicityNotOver => ("publicity_not_over", false, P::NoticePublicityNotOver),
            Said::SessionOpened => ("session_opened", true, P::SessionOpened),
            Said::DrawDone => ("drawn", true, P::DrawDone),
            Said::RecusalDeclared => ("recusal_declared", true, P::RecusalDeclared),
            Said::RecusalDecided => ("recusal_decided", true, P::RecusalDecided),
            Said::AssessmentSaved => ("assessment_saved", true, P::AssessmentSaved),
            Said::CommitteeCreated => ("committee_created", true, P::NoticeCommitteeCreated),
            Said::CommitteeUpdated => ("committee_updated", true, P::NoticeCommitteeUpdated),
            Said::Filed => ("filed", true, P::NoticeFiled),
            Said::ExpertAdded => ("expert_added", true, P::NoticeExpertAdded),
            Said::ExpertUpdated => ("expert_updated", true, P::NoticeExpertUpdated),
            Said::ExpertDeactivated => ("expert_deactivated", true, P::NoticeExpertDeactivated),
            Said::Deleted => ("deleted", true, P::NoticeDeleted),
            Said::AttendanceSaved => ("attendance_saved", true, P::AttendanceSaved),
            Said::BallotOpened => ("ballot_opened", true, P::BallotOpened),
            Said::BallotClosed => ("ballot_closed", true, P::BallotClosed),
            Said::VoteCast => ("vote_cast", true, P::VoteCast),
            Said::Signed => ("signed", true, P::Signed),
            Said::ResultsPublicised => ("results_publicised", true, P::ResultsPublicityStarted),
            Said::ObjectionLodged => ("objection_lodged", true, P::ObjectionLodged),
            Said::ObjectionDecided => ("objection_decided", true, P::ObjectionDecided),
            Said::Reinstated => ("reinstated", true, P::Reinstated),
            Said::Confirmed => ("confirmed", true, P::ConfirmedNotice),
            Said::AppealLodged => ("appeal_lodged", true, P::AppealLodged),
            Said::AppealDecided => ("appeal_decided", true, P::AppealDecided),
            Said::CertificateRevoked => ("certificate_revoked", true, P::CertificateRevokedNotice),
            Said::Withdrawn => ("withdrawn", true, P::NoticeWithdrawn),
            Said::CalendarSaved => ("calendar_saved", true, P::CalendarSavedNotice),
        }
    }

    pub const fn code(self) -> &'static str {
        self.parts().0
    }

    /// The notice of a code in the address; `None` for a code that names none.
    pub fn parse(code: &str) -> Option<Said> {
        Said::ALL.into_iter().find(|said| said.code() == code)
    }

    /// The notice as the page shows it.
    pub fn notice(self) -> Notice {
        let (_, ok, text) = self.parts();
        Notice {
            ok,
            text,
            detail: None,
        }
    }

    /// A 303 to `path` (no query of its own) showing this notice.
    pub fn on(self, path: &str) -> Response {
        super::see_other(&format!("{path}?notice={}", self.code()))
    }

    /// The notice an address's query names, if it names one.
    pub fn from_query(query: Option<&str>) -> Option<Notice> {
        #[derive(serde::Deserialize)]
        struct Q {
            notice: Option<String>,
        }
        let q: Q = serde_urlencoded::from_str(query.unwrap_or("")).ok()?;
        Said::parse(&q.notice?).map(Said::notice)
    }

    /// A 303 to dossier `id`'s page showing this notice, at `anchor` (`""` or `"#part"`).
    pub fn on_dossier(self, id: i64, anchor: &str) -> Response {
        super::see_other(&format!("/dossiers/{id}?notice={}{anchor}", self.code()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_reads_back_from_its_code() {
        for said in Said::ALL {
            assert_eq!(Said::parse(said.code()), Some(said), "{said:?}");
        }
        let codes: std::collections::BTreeSet<_> = Said::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes.len(), Said::ALL.len(), "two notices share a code");
    }

    #[test]
    fn an_unknown_code_says_nothing() {
        for code in ["", "Saved", "saved ", "<b>", "not_allowed\n"] {
            assert_eq!(Said::parse(code), None, "{code:?}");
        }
    }

    #[test]
    fn failures_are_not_shown_as_success() {
        for said in [
            Said::NotAllowed,
            Said::Conflict,
            Said::Calendar,
            Said::PublicityNotOver,
            Said::AnswersConflict,
        ] {
            assert!(!said.notice().ok, "{said:?}");
        }
    }

    #[test]
    fn the_redirect_carries_the_code() {
        let response = Said::FileRemoved.on_dossier(7, "#achievements");
        assert_eq!(response.status(), axum::http::StatusCode::SEE_OTHER);
        let location = response.headers()[axum::http::header::LOCATION]
            .to_str()
            .unwrap();
        assert_eq!(location, "/dossiers/7?notice=file_removed#achievements");
    }
}
