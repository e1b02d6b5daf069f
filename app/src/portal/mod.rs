//! The application side of Guantong (accounts, dossiers, review queues): the data the server
//! hands each page, and helpers the pages share. These pages are rendered on the server only;
//! their forms post to plain routes (server/src/web), so they work without JavaScript and add
//! nothing to the browser bundle. The server does the loading and the access checks, then puts
//! one of these values in context for the page to render.

pub mod calendar;
pub mod committees;
pub mod results;
pub mod sessions;
pub mod text;

use leptos::prelude::*;

use crate::i18n::Lang;
pub use text::P;

/// Who is signed in, as the pages need it (never a database type).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Viewer {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// Role codes held (`applicant`, `employer_hr`, `committee_office`, `expert`,
    /// `provincial_admin`, `industry_authority`).
    pub roles: Vec<String>,
    /// The committee whose office the account works in (its first such grant), for the
    /// link to its pool.
    pub committee: Option<String>,
}

impl Viewer {
    pub fn has(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    /// Whether this account works a review queue.
    pub fn reviews(&self) -> bool {
        self.has("employer_hr") || self.has("committee_office")
    }
}

/// The signed-in account of this request, if any (the server's session layer puts it in the
/// request's extensions).
pub fn use_viewer() -> Option<Viewer> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<Viewer>().cloned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The data a page was given by its route handler.
pub fn page_data<T: Clone + Send + Sync + 'static>() -> Option<T> {
    use_context::<T>()
}

/// A message shown at the top of a page after an action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub ok: bool,
    pub text: P,
    /// Extra text in both languages (e.g. a date), appended.
    pub detail: Option<(String, String)>,
}

/// A problem with one field: the field's name in the form and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub zh: String,
    pub en: String,
}

impl FieldProblem {
    pub fn new(field: &str, msg: P) -> FieldProblem {
        FieldProblem {
            field: field.to_owned(),
            zh: msg.zh().to_owned(),
            en: msg.en().to_owned(),
        }
    }

    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// The problem with each `{name}` of its message replaced by its value (a limit quoted from
    /// the constant that enforces it).
    pub fn with(mut self, values: &[(&str, &str)]) -> FieldProblem {
        for (name, value) in values {
            let key = format!("{{{name}}}");
            self.zh = self.zh.replace(&key, value);
            self.en = self.en.replace(&key, value);
        }
        self
    }
}

/// A size in bytes as the pages quote a limit: `10 MB`.
pub fn megabytes(bytes: u64) -> String {
    format!("{} MB", bytes / (1024 * 1024))
}

/// Text in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bi {
    pub zh: String,
    pub en: String,
}

impl Bi {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Bi {
        Bi {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// An option of a select.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub code: String,
    pub label: Bi,
}

/// One achievement as typed (96号文 二(二)2: the kinds of evidence).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Achievement {
    pub kind: String,
    pub title: String,
    /// `YYYY-MM-DD` as typed.
    pub date: String,
    /// The applicant's role in it (主持, 参与, …).
    pub role: String,
    pub description: String,
}

/// The fields of a dossier as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DossierFields {
    pub org: String,
    pub full_name: String,
    pub id_number: String,
    pub occupation: String,
    pub current_post: String,
    pub target: String,
    pub achievements: Vec<Achievement>,
}

/// An uploaded file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentView {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// One line of a dossier's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryLine {
    /// `YYYY-MM-DD HH:MM` (Beijing time).
    pub at: String,
    pub action: String,
    pub to_state: Option<String>,
    /// Who acted, as people know them: an account's display name (empty for the system).
    pub actor_name: String,
    /// The part they played in it: `applicant`, `employer_hr`, `committee_office`, `system`,
    /// or empty where the procedure does not say.
    pub actor_part: String,
}

/// How the timeline names the part someone played (`HistoryLine::actor_part`).
pub fn part_text(code: &str) -> Option<P> {
    match code {
        "applicant" => Some(P::PartApplicant),
        "employer_hr" => Some(P::PartEmployerHr),
        "committee_office" => Some(P::PartCommitteeOffice),
        "system" => Some(P::PartSystem),
        "chair" => Some(P::PartChair),
        "provincial_admin" => Some(P::PartProvincialAdmin),
        _ => None,
    }
}

/// How a target's status under the rules is said (`eligible`, `not_yet`, `ineligible`, …).
pub fn target_status_text(code: &str) -> P {
    match code {
        "eligible" => P::TargetEligible,
        "not_yet" => P::TargetNotYet,
        "ineligible" => P::TargetIneligible,
        _ => P::TargetUnknown,
    }
}

/// A target the applicant may choose, with its status under the current rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetChoice {
    pub key: String,
    pub label: Bi,
    pub status: String,
    pub earliest_on: Option<String>,
}

/// The receipt stored at submission, as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptView {
    pub submitted_on: String,
    /// The target as named when it was submitted.
    pub target: Bi,
    /// The verdict's status code (worded by the page, [`target_status_text`]).
    pub target_status: String,
    /// The rules as people cite them: the document's number (zh), its name (en).
    pub rules: Bi,
    /// For verification (shown folded): the rule set's id and version, and its content hash.
    pub rule_set: (String, String),
    pub content_hash: String,
}

/// Everything `/dossiers/{id}` shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DossierPageData {
    pub id: i64,
    pub version: i32,
    pub state: String,
    /// Reasons given with a return, per field.
    pub reasons: Vec<(String, String)>,
    pub publicity_ends: Option<String>,
    /// The viewer owns it and may edit it now.
    pub editable: bool,
    /// The viewer's workflow role here: `applicant`, `employer_hr`, `committee_office`, or
    /// empty for a read-only reader.
    pub actor: String,
    pub fields: DossierFields,
    /// Self-check answers carried over, as a query string for `/check`.
    pub answers_query: String,
    pub region: String,
    pub employers: Vec<Choice>,
    pub committee: Bi,
    pub targets: Vec<TargetChoice>,
    pub kinds: Vec<Choice>,
    pub attachments: Vec<AttachmentView>,
    pub problems: Vec<FieldProblem>,
    pub notice: Option<Notice>,
    pub history: Vec<HistoryLine>,
    pub receipt: Option<ReceiptView>,
    /// Whether the committee office may end the publicity now.
    pub publicity_over: bool,
    /// The decisions (`approve`, `return`, `end_publicity`) the viewer may take on the dossier
    /// now, by the procedure's table: which forms and buttons the page shows.
    pub decisions: Vec<String>,
    /// The electronic certificate's number, once issued.
    pub certificate: Option<String>,
    /// The last day the owner may ask for a review (复查) of a result that did not pass.
    pub appeal_until: Option<String>,
    /// A bar on applying for a title running on the owner (shown to the owner only).
    pub bar: Option<results::BarView>,
    /// The employer's publicity in working days under the rules in force (for what comes next).
    pub unit_publicity_days: u32,
    /// The day it was last submitted (`YYYY-MM-DD`), from its receipt.
    pub submitted_on: Option<String>,
}

/// One row of a list of dossiers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DossierRow {
    pub id: i64,
    pub full_name: String,
    /// Masked: only the first 6 and the last 4 characters show.
    pub id_masked: String,
    pub org: String,
    /// The target's key (`skill_ladder.intermediate:engineering`) and its name.
    pub target: String,
    pub target_label: Bi,
    pub state: String,
    pub updated: String,
    /// In a reviewer's queue, the days a dossier awaiting them has waited.
    pub waited_days: Option<i64>,
}

/// `/dossiers`: the applicant's dossiers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MyDossiersData {
    pub rows: Vec<DossierRow>,
    pub publicity_ends: Vec<(i64, String)>,
    /// What others did to these dossiers lately (the dossier, the step), newest first.
    pub news: Vec<(i64, HistoryLine)>,
    pub notice: Option<Notice>,
}

/// `/review`: a queue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueData {
    /// `employer_hr` or `committee_office`.
    pub role: String,
    pub scope_name: String,
    pub rows: Vec<DossierRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub counts: Vec<(String, u64)>,
    /// How many dossiers await the reviewer (the default view).
    pub awaiting_count: u64,
    /// The state filter: `awaiting` (the default), `all`, or a state code.
    pub state: String,
    pub text: String,
    pub target: String,
    /// The targets the queue's dossiers aim at: (key, name), for the target filter.
    pub target_options: Vec<(String, Bi)>,
    /// The filters as a query string (for paging and CSV links).
    pub query: String,
}

/// `/admin/accounts`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountsData {
    /// (id, username, display name, roles, whether this administrator may issue it a reset
    /// link: not for their own account nor another provincial administrator's).
    pub rows: Vec<(i64, String, String, Vec<String>, bool)>,
    pub search: String,
    /// A reset link just issued: (username, absolute path).
    pub issued: Option<(String, String)>,
    /// Why the reset link asked for was refused.
    pub refused: Option<P>,
}

/// `/apply`: the answers a new dossier starts from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyData {
    pub answers_query: String,
    pub eligible: Vec<TargetChoice>,
    /// The applicant's dossiers that may still take new answers (drafts and returned ones), each
    /// with the version the update names, so a change made meanwhile is not overwritten.
    pub updatable: Vec<(DossierRow, i32)>,
    pub notice: Option<Notice>,
}

/// What separates a label from its value: the full-width colon in Chinese, ": " in English.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "：",
        Lang::En => ": ",
    }
}

/// Masks an ID number for lists: `530102********123X`.
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 10 {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < 6 || i >= chars.len() - 4 {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

/// The message naming a state.
pub fn state_text(code: &str) -> P {
    match code {
        "draft" => P::StateDraft,
        "submitted" => P::StateSubmitted,
        "returned_by_employer" => P::StateReturnedByEmployer,
        "unit_publicity" => P::StateUnitPublicity,
        "formal_check" => P::StateFormalCheck,
        "returned_by_committee" => P::StateReturnedByCommittee,
        "accepted_for_review" => P::StateAccepted,
        "in_review" => P::StateInReview,
        "passed" => P::StatePassed,
        "not_passed" => P::StateNotPassed,
        "result_publicity" => P::StateResultPublicity,
        "result_suspended" => P::StateResultSuspended,
        "confirmed" => P::StateConfirmed,
        "certified" => P::StateCertified,
        "revoked" => P::StateRevoked,
        "appealed" => P::StateAppealed,
        _ => P::StateUnknownCode,
    }
}

/// What the applicant should do next in a state.
pub fn next_step_text(code: &str) -> P {
    match code {
        "draft" => P::NextDraft,
        "submitted" => P::NextSubmitted,
        "returned_by_employer" | "returned_by_committee" => P::NextReturned,
        "unit_publicity" => P::NextPublicity,
        "formal_check" => P::NextFormalCheck,
        "accepted_for_review" => P::NextAccepted,
        "in_review" => P::NextInReview,
        "passed" => P::NextPassed,
        "not_passed" => P::NextNotPassed,
        "result_publicity" => P::NextResultPublicity,
        "result_suspended" => P::NextResultSuspended,
        "confirmed" => P::NextConfirmed,
        "certified" => P::NextCertified,
        "revoked" => P::NextRevoked,
        "appealed" => P::NextAppealed,
        _ => P::StateUnknownCode,
    }
}

/// The label of a dossier field (for reasons and errors).
pub fn field_text(field: &str) -> P {
    match field.split(['[', '.']).next().unwrap_or(field) {
        "org" => P::FieldOrg,
        "full_name" => P::FieldFullName,
        "id_number" => P::FieldIdNumber,
        "occupation" => P::FieldOccupation,
        "current_post" => P::FieldCurrentPost,
        "target" => P::FieldTarget,
        "achievements" => P::FieldAchievements,
        "attachments" => P::FieldAttachments,
        "answers" | "annual_reviews" => P::FieldAnswers,
        _ => P::FieldOther,
    }
}

/// The fields a reviewer can give reasons for, in form order.
pub const REASON_FIELDS: &[&str] = &[
    "full_name",
    "id_number",
    "org",
    "occupation",
    "current_post",
    "target",
    "achievements",
    "attachments",
    "answers",
];

/// The message naming an audit action.
pub fn action_text(code: &str) -> P {
    match code {
        "dossier.create" => P::ActCreate,
        "dossier.submit" => P::ActSubmit,
        "dossier.withdraw" => P::ActWithdraw,
        "dossier.declare" => P::ActDeclare,
        "dossier.employer_approve" => P::ActEmployerApprove,
        "dossier.employer_return" => P::ActEmployerReturn,
        "dossier.end_publicity" => P::ActEndPublicity,
        "dossier.committee_accept" => P::ActCommitteeAccept,
        "dossier.committee_return" => P::ActCommitteeReturn,
        "dossier.assign_session" => P::ActAssignSession,
        "dossier.pass" => P::ActPass,
        "dossier.fail" => P::ActFail,
        "dossier.requeue" => P::ActRequeue,
        "dossier.result_publicity" => P::ActResultPublicity,
        "dossier.result_suspend" => P::ActResultSuspend,
        "dossier.result_reinstate" => P::ActResultReinstate,
        "dossier.result_revoke" => P::ActResultRevoke,
        "dossier.result_confirm" => P::ActResultConfirm,
        "dossier.result_file" => P::ActResultFile,
        "dossier.certify" => P::ActCertify,
        "dossier.certificate_revoke" => P::ActCertificateRevoke,
        "dossier.appeal" => P::ActAppeal,
        "dossier.appeal_uphold" => P::ActAppealUphold,
        "dossier.appeal_dismiss" => P::ActAppealDismiss,
        _ => P::ActOther,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_quoted_from_their_values() {
        let p = FieldProblem::new("attachments", P::ErrFileTooLarge)
            .with(&[("max", &megabytes(10 * 1024 * 1024))]);
        assert_eq!(p.zh, "文件超过10 MB，请压缩后再上传");
        assert_eq!(
            p.en,
            "The file is larger than 10 MB: make it smaller and upload again"
        );
        let q = FieldProblem::new("attachments", P::ErrFileQuota)
            .with(&[("max", &megabytes(50 * 1024 * 1024))]);
        assert!(q.zh.contains("（50 MB）") && q.en.contains("(50 MB)"));
        assert!(!q.zh.contains('{'));
        let name = crate::pages::account::problem_from_code("display_name").unwrap();
        assert!(name.zh.contains("不超过50个字") && name.en.contains("at most 50"));
        let password = crate::pages::account::problem_from_code("password").unwrap();
        assert!(password.zh.contains("至少需要10个字符") && password.en.contains("at least 10"));
    }

    #[test]
    fn id_numbers_are_masked_in_lists() {
        assert_eq!(mask_id("11010519491231002X"), "110105********002X");
        assert_eq!(mask_id("123"), "***");
    }

    #[test]
    fn every_state_and_action_has_a_name() {
        for code in [
            "draft",
            "submitted",
            "returned_by_employer",
            "unit_publicity",
            "formal_check",
            "returned_by_committee",
            "accepted_for_review",
            "in_review",
            "passed",
            "not_passed",
            "result_publicity",
            "result_suspended",
            "confirmed",
            "certified",
            "revoked",
            "appealed",
        ] {
            assert_ne!(state_text(code), P::StateUnknownCode, "{code}");
            assert_ne!(next_step_text(code), P::StateUnknownCode, "{code}");
        }
        for field in REASON_FIELDS {
            assert_ne!(field_text(field), P::FieldOther, "{field}");
        }
        assert_eq!(field_text("achievements[2].date"), P::FieldAchievements);
    }
}
