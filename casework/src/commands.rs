//! The commands people perform on dossiers: start one from a self-check, take new answers,
//! save the draft, submit it, and the reviewers' decisions. Each takes the [`Desk`] (what a
//! command needs of the server), the actor and a typed command, and answers a typed result or
//! an error whose variants say what the person sees. No HTTP here: the web layer decodes the
//! request into the command and turns the answer into a redirect or a page.

use std::path::Path;

use chrono::NaiveDate;
use rules::{PersonInput, ResolvedRuleSet, Status};
use sea_orm::TransactionTrait;
use store::dossiers::{self, DossierError, DraftFields};
use store::entities::dossier;
use store::workflow::{self, Action, Actor, Decision, FieldReason, Procedure, Step, WorkflowError};

use crate::dossier::{Achievement, Dossier, Draft, Opened, Target, Who};
use crate::rulebook::RuleBook;
use crate::validate::{self, Employer, Problem, TargetStatus};
use crate::CaseError;

/// What the commands need of the server: the database, where attachments are kept, the
/// RuleBook (today, the rules and the working-day calendar in force) and the most dossiers an
/// account may hold.
#[derive(Clone, Copy)]
pub struct Desk<'a> {
    pub db: &'a store::Db,
    pub upload_dir: &'a Path,
    pub book: &'a RuleBook,
    pub dossiers_per_account: u32,
}

/// The self-check's answers as the engine reads them under some rules: the self-check's own
/// code (in `app`) interprets them, so it is handed in as a function of the region and the rules
/// in force.
pub struct Interpreted {
    /// The answers as a `/check` query string (the region the rules came from filled in).
    pub query: String,
    /// The engine's input, where the answers make one.
    pub input: Option<PersonInput>,
}

impl Desk<'_> {
    /// The rules in force for `region` today.
    fn rules(&self, region: &str) -> Result<std::sync::Arc<rules::InForce>, CaseError> {
        self.book
            .in_force(region, self.book.today())
            .ok_or_else(|| CaseError::NoRules(region.to_owned()))
    }

    /// The procedure's parameters under the rules in force for `region`.
    pub(crate) fn procedure(&self, region: &str) -> Result<Procedure, CaseError> {
        let rules = self.rules(region)?;
        let days = |key: &'static str| {
            rules
                .rules
                .param_int(key)
                .map(|d| d.clamp(1, 60) as u32)
                .ok_or(CaseError::NoParameter(key))
        };
        Ok(Procedure {
            unit_publicity_working_days: days("review_employer_publicity_working_days")?,
            result_publicity_working_days: days("review_result_publicity_working_days")?,
            fraud_bar_years: rules
                .rules
                .param_int("review_fraud_bar_years")
                .map(|y| y.clamp(0, 20) as u32)
                .ok_or(CaseError::NoParameter("review_fraud_bar_years"))?,
        })
    }
}

/// The targets the answers open under the rules in force for `region`, and the first open one.
fn offered(
    desk: &Desk<'_>,
    region: &str,
    interpret: impl FnOnce(&str, &ResolvedRuleSet, NaiveDate) -> Interpreted,
) -> Result<(Interpreted, Vec<TargetStatus>), CaseError> {
    let rules = desk.rules(region)?;
    let today = desk.book.today();
    let answers = interpret(region, &rules.rules, today);
    let targets = answers
        .input
        .as_ref()
        .map(|input| validate::targets(&rules.rules, input, today))
        .unwrap_or_default();
    Ok((answers, targets))
}

fn first_open(targets: &[TargetStatus]) -> Option<String> {
    targets
        .iter()
        .find(|t| t.status == Status::Eligible)
        .map(|t| t.target.key())
}

/// The level the route `key` of `rules` leads to, where it names one.
fn level_of(rules: &ResolvedRuleSet, route: &str) -> Option<String> {
    rules
        .data()
        .routes
        .iter()
        .find(|r| r.key == route)
        .and_then(|r| r.target.level.clone())
}

/// The columns a draft is stored as; the target's level as `rules` name it.
fn stored(
    draft: &Draft,
    committee: String,
    answers: &str,
    rules: Option<&ResolvedRuleSet>,
) -> DraftFields {
    let target = Target::parse(&draft.target).map(|mut t| {
        t.level = rules.and_then(|r| level_of(r, &t.route));
        t
    });
    let achievements: Vec<&Achievement> = draft
        .achievements
        .iter()
        .filter(|a| !a.is_blank())
        .collect();
    DraftFields {
        org: draft.org.trim().to_owned(),
        committee,
        full_name: draft.full_name.clone(),
        id_number: draft.id_number.clone(),
        occupation: draft.occupation.clone(),
        current_post: draft.current_post.clone(),
        target,
        answers: serde_json::json!({ "check": answers }),
        achievements: serde_json::to_value(achievements).unwrap_or_default(),
    }
}

/// `start`: a draft for `who` from self-check answers, aimed at the first target they open,
/// with the occupation the answers name; refused (`DossierError::OwnerLimit`) when `who` holds
/// [`Desk::dossiers_per_account`] dossiers already.
pub async fn start(
    desk: &Desk<'_>,
    who: &Who,
    full_name: &str,
    region: &str,
    occupation: &str,
    interpret: impl FnOnce(&str, &ResolvedRuleSet, NaiveDate) -> Interpreted,
) -> Result<dossier::Model, CaseError> {
    let (answers, targets) = offered(desk, region, interpret)?;
    let draft = Draft {
        full_name: full_name.to_owned(),
        occupation: occupation.to_owned(),
        target: first_open(&targets).unwrap_or_default(),
        ..Draft::default()
    };
    let rules = desk.rules(region)?;
    let fields = stored(&draft, String::new(), &answers.query, Some(&rules.rules));
    let max = Some(desk.dossiers_per_account);
    Ok(dossiers::create_within(desk.db, who.account_id, fields, max).await?)
}

/// Why a save was refused.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The dossier is with a reviewer.
    #[error("the dossier cannot be edited now")]
    NotEditable,
    /// Someone saved it since the form was loaded.
    #[error("the dossier was saved elsewhere (now version {current})")]
    Conflict { current: i32 },
    #[error(transparent)]
    Case(#[from] CaseError),
}

impl From<DossierError> for SaveError {
    fn from(e: DossierError) -> SaveError {
        match e {
            DossierError::Conflict { current } => SaveError::Conflict { current },
            DossierError::NotEditable { .. } => SaveError::NotEditable,
            e => SaveError::Case(e.into()),
        }
    }
}

/// `retarget`: the owner's draft (or returned dossier) takes new self-check answers; everything
/// else typed in it stays. A target the new answers no longer offer gives way to the first one
/// they open.
pub async fn retarget(
    desk: &Desk<'_>,
    opened: &Opened,
    version: i32,
    interpret: impl FnOnce(&str, &ResolvedRuleSet, NaiveDate) -> Interpreted,
) -> Result<dossier::Model, SaveError> {
    let dossier = &opened.dossier;
    let (answers, targets) = offered(desk, &opened.region, interpret)?;
    let mut draft = dossier.draft.clone();
    let chosen = Target::parse(&draft.target);
    if !chosen.is_some_and(|c| targets.iter().any(|t| t.target.same_as(&c))) {
        draft.target = first_open(&targets).unwrap_or_default();
    }
    let rules = desk.rules(&opened.region)?;
    let fields = stored(
        &draft,
        dossier.row.committee.clone(),
        &answers.query,
        Some(&rules.rules),
    );
    Ok(dossiers::save_draft(desk.db, dossier.id(), version, fields).await?)
}

/// `delete_draft`: the owner deletes a draft they never submitted, as of `version`, with its
/// attachments and their files, audited `dossier.delete` as `actor` (no personal information in
/// the entry). A dossier that was ever submitted belongs to the procedure: `NotEditable`, as for
/// anyone but the owner.
pub async fn delete_draft(
    desk: &Desk<'_>,
    opened: &Opened,
    version: i32,
    actor: &str,
) -> Result<(), SaveError> {
    let dossier = &opened.dossier;
    if opened.actor != Some(Actor::Applicant) || dossier.state.stage() != workflow::Stage::Draft {
        return Err(SaveError::NotEditable);
    }
    Ok(dossiers::delete_draft(desk.db, desk.upload_dir, dossier.id(), version, actor).await?)
}

/// Why a withdrawal was refused.
#[derive(Debug, thiserror::Error)]
pub enum WithdrawError {
    /// Not the owner's, or no longer waiting for the employer (it decided meanwhile).
    #[error("the dossier cannot be withdrawn now")]
    NotAllowed,
    #[error("the dossier was changed elsewhere")]
    Conflict,
    #[error(transparent)]
    Case(#[from] CaseError),
}

/// `withdraw`: the owner takes a submitted dossier back while the employer has not decided
/// (a draft again, to edit and submit anew), as of `version`.
pub async fn withdraw(
    desk: &Desk<'_>,
    who: &Who,
    opened: &Opened,
    version: i32,
) -> Result<(), WithdrawError> {
    if opened.actor != Some(Actor::Applicant) {
        return Err(WithdrawError::NotAllowed);
    }
    let procedure = desk.procedure(&opened.region)?;
    let result = dossiers::transition(
        desk.db,
        opened.dossier.id(),
        version,
        Actor::Applicant,
        &who.label,
        Action::Withdraw,
        desk.book.today(),
        procedure,
        &desk.book.calendar(),
        None,
    )
    .await;
    match result {
        Ok(_) => Ok(()),
        Err(DossierError::Workflow(_)) => Err(WithdrawError::NotAllowed),
        Err(DossierError::Conflict { .. }) => Err(WithdrawError::Conflict),
        Err(e) => Err(CaseError::from(e).into()),
    }
}

/// What a save does besides keeping the fields: the button that was pressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Save (or autosave) only.
    Keep,
    /// Save and go on to the next achievement's (empty) row.
    AddRow,
    /// Remove achievement row `i`.
    DeleteRow(usize),
    /// Remove attachment `id`.
    RemoveFile(i64),
}

/// `save`: keep the draft as typed (after the edit), provided nobody saved it since `version`.
pub struct SaveDraft {
    pub version: i32,
    pub draft: Draft,
    pub edit: Edit,
}

/// A saved draft, with what the save found out about it.
pub struct Saved {
    pub dossier: Dossier,
    /// The region whose rules now apply (the employer's, else the self-check's).
    pub region: String,
    pub employer: Employer,
    /// The fields as saved after the edit: blank achievement rows left out.
    pub draft: Draft,
}

/// Saves the owner's draft. The committee follows from the employer's region; without a
/// known employer the rules are those the self-check chose, and the dossier cannot be
/// submitted.
pub async fn save(desk: &Desk<'_>, opened: &Opened, cmd: SaveDraft) -> Result<Saved, SaveError> {
    let dossier = &opened.dossier;
    if opened.actor != Some(Actor::Applicant) || !dossier.state.editable_by_applicant() {
        return Err(SaveError::NotEditable);
    }
    let mut draft = cmd.draft;
    match cmd.edit {
        Edit::Keep => {}
        // The page always ends with an empty row for the next achievement (`Keep` and
        // `AddRow` save alike; the page then opens at the rows).
        Edit::AddRow => {}
        Edit::DeleteRow(i) if i < draft.achievements.len() => {
            draft.achievements.remove(i);
        }
        Edit::DeleteRow(_) => {}
        Edit::RemoveFile(id) => {
            store::attachments::remove(desk.db, desk.upload_dir, dossier.id(), id)
                .await
                .map_err(CaseError::from)?;
        }
    }
    // Blank rows (the form's spare row, rows added and left empty) are neither kept nor shown
    // again: the rows the page shows next, and the problems' `a{i}_…` names, are the typed ones.
    draft.achievements.retain(|a| !a.is_blank());
    let series = store::dossiers::Target::parse(&draft.target).and_then(|t| t.series);
    let employer = validate::employer(desk.db, &draft.org, series.as_deref())
        .await
        .map_err(CaseError::from)?;
    let region = match employer.region() {
        Some(region) => region.to_owned(),
        None => crate::dossier::region_of_answers(&dossier.answers).to_owned(),
    };
    let committee = employer.committee().unwrap_or_default().to_owned();
    let rules = desk.book.in_force(&region, desk.book.today());
    let fields = stored(
        &draft,
        committee,
        &dossier.answers,
        rules.as_ref().map(|r| &r.rules),
    );
    let row = dossiers::save_draft(desk.db, dossier.id(), cmd.version, fields).await?;
    Ok(Saved {
        dossier: Dossier::try_from(row).map_err(CaseError::from)?,
        region,
        employer,
        draft,
    })
}

/// Why a submission was refused.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// Everything that must be put right first, each naming its field (told at once).
    #[error("{} problems to put right", .0.len())]
    Problems(Vec<Problem>),
    #[error("the dossier was changed elsewhere")]
    Conflict,
    #[error("the dossier cannot be submitted now")]
    NotAllowed,
    #[error(transparent)]
    Case(#[from] CaseError),
}

/// The applicant's declaration with a submission (诚信承诺): the information is true, and they
/// agree to the privacy notice of this version (the ID number is sensitive personal
/// information: 个人信息保护法 Art. 29 asks for a separate consent). `None`: not ticked.
#[derive(Clone, Copy, Debug)]
pub struct Declared<'a>(pub Option<&'a str>);

/// `submit`: checks the saved draft and the declaration, re-evaluates it under the rules in
/// force and submits it with a receipt naming the stored version of those rules. The
/// declaration is written to the audit log (`dossier.declare`, with the notice's version).
pub async fn submit(
    desk: &Desk<'_>,
    who: &Who,
    saved: &Saved,
    declared: Declared<'_>,
    interpret: impl FnOnce(&str, &ResolvedRuleSet, NaiveDate) -> Interpreted,
) -> Result<dossier::Model, SubmitError> {
    let today = desk.book.today();
    let rules = desk.rules(&saved.region)?;
    let answers = interpret(&saved.region, &rules.rules, today);
    let bar = title_bar(desk, saved).await?;
    let found = found(&rules.rules, &answers, saved, declared, bar, today);
    if !found.is_empty() {
        return Err(SubmitError::Problems(found));
    }
    let notice = declared.0.unwrap_or_default();
    // The receipt names the stored version of the rules it was decided under (stored now if
    // this is the first receipt under them), so it can be replayed later.
    let version = crate::receipts::keep_version(desk.db, &rules.rules)
        .await
        .map_err(CaseError::from)?;
    let input = answers.input.unwrap_or_default();
    let receipt = crate::receipts::build(
        &rules.rules,
        &version,
        &answers.query,
        &input,
        &saved.draft.target,
        today,
    );
    let procedure = desk.procedure(&saved.region)?;
    let dossier = &saved.dossier;
    // The move and the declaration are written together: a submission never stands without
    // the consent it was made with, nor a consent without its submission.
    let txn = desk.db.begin().await.map_err(CaseError::from)?;
    let moved = dossiers::transition_in(
        &txn,
        dossier.id(),
        dossier.version(),
        Actor::Applicant,
        &who.label,
        Action::Submit,
        today,
        procedure,
        &desk.book.calendar(),
        Some(receipt),
    )
    .await;
    match moved {
        Ok(row) => {
            store::audit::append(
                &txn,
                store::audit::NewEntry {
                    actor: who.label.clone(),
                    action: "dossier.declare".into(),
                    subject_kind: "dossier".into(),
                    subject_id: row.id.to_string(),
                    from_state: None,
                    to_state: None,
                    detail: serde_json::json!({ "privacy_notice": notice, "version": row.version }),
                },
            )
            .await
            .map_err(CaseError::from)?;
            txn.commit().await.map_err(CaseError::from)?;
            Ok(row)
        }
        Err(DossierError::Conflict { .. }) => Err(SubmitError::Conflict),
        Err(DossierError::Workflow(_)) => Err(SubmitError::NotAllowed),
        Err(e) => Err(CaseError::from(e).into()),
    }
}

/// Every problem that stops the saved draft from being submitted under `rules` on `today`.
/// The first day the person of a draft aiming at a title may apply again, while a bar for a
/// revoked title runs (`crate::revocation`); `None` for a skill level or without a bar.
async fn title_bar(desk: &Desk<'_>, saved: &Saved) -> Result<Option<NaiveDate>, CaseError> {
    let title =
        store::dossiers::Target::parse(&saved.draft.target).is_some_and(|t| t.series.is_some());
    if !title {
        return Ok(None);
    }
    let today = desk.book.today();
    let bar = crate::revocation::bar_of_dossier(desk.db, &saved.dossier.row, today).await?;
    Ok(bar.map(|b| b.until))
}

fn found(
    rules: &ResolvedRuleSet,
    answers: &Interpreted,
    saved: &Saved,
    declared: Declared<'_>,
    bar: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<Problem> {
    let targets = answers
        .input
        .as_ref()
        .map(|input| validate::targets(rules, input, today))
        .unwrap_or_default();
    let kinds: Vec<String> = rules
        .catalogue()
        .achievement_kinds
        .into_iter()
        .map(|k| k.code)
        .collect();
    let mut problems = validate::problems(&saved.draft, &targets, &kinds, &saved.employer, today);
    if let Some(until) = bar {
        // Beside the target's own problem, if it has one: the bar is the reason that outlasts it.
        problems.push(Problem {
            field: "target".into(),
            kind: validate::ProblemKind::Barred { until },
        });
    }
    if declared.0.is_none() {
        problems.push(Problem {
            field: "declaration".into(),
            kind: validate::ProblemKind::DeclarationMissing,
        });
    }
    problems
}

/// What a submission of the saved draft would be refused for now, without submitting it: for a
/// submit that cannot go ahead anyway (its file was refused), so the person is told everything
/// else at once too (一次性告知).
pub async fn problems(
    desk: &Desk<'_>,
    saved: &Saved,
    declared: Declared<'_>,
    interpret: impl FnOnce(&str, &ResolvedRuleSet, NaiveDate) -> Interpreted,
) -> Result<Vec<Problem>, CaseError> {
    let today = desk.book.today();
    let rules = desk.rules(&saved.region)?;
    let answers = interpret(&saved.region, &rules.rules, today);
    let bar = title_bar(desk, saved).await?;
    Ok(found(&rules.rules, &answers, saved, declared, bar, today))
}

/// `decide`: a reviewer's decision on the dossier they have open, as of `version`.
pub struct Decide {
    pub version: i32,
    pub decision: Decision,
    /// A return's reasons, each naming a field.
    pub reasons: Vec<FieldReason>,
}

/// Why a decision was refused.
#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    /// The account decides nothing on this dossier (answered like "not found").
    #[error("not a reviewer of this dossier")]
    NotYours,
    /// The table of allowed steps has no such decision for this actor in this state.
    #[error("that decision is not open now")]
    NotAllowed,
    #[error("a return needs at least one reason")]
    ReasonsRequired,
    #[error("the publicity period runs until {ends_on}")]
    PublicityNotOver { ends_on: NaiveDate },
    #[error("working days cannot be counted")]
    Calendar,
    #[error("the dossier was changed elsewhere")]
    Conflict,
    #[error(transparent)]
    Case(#[from] CaseError),
}

/// The part someone plays who may decide on the dossier they have open: its employer's HR or
/// its committee's office. Anyone else decides nothing on it (and is told "not found").
pub fn reviewer(opened: &Opened) -> Option<Actor> {
    opened
        .actor
        .filter(|a| matches!(a, Actor::EmployerHr | Actor::CommitteeOffice))
}

/// The employer's or the committee office's decision. Which step it is, for this actor in this
/// stage, is the procedure's one table's to say.
pub async fn decide(
    desk: &Desk<'_>,
    who: &Who,
    opened: &Opened,
    cmd: Decide,
) -> Result<Step, DecideError> {
    let Some(actor) = reviewer(opened) else {
        return Err(DecideError::NotYours);
    };
    let stage = opened.dossier.state.stage();
    let step = workflow::step_for(stage, actor, cmd.decision).ok_or(DecideError::NotAllowed)?;
    let procedure = desk.procedure(&opened.region)?;
    let action = Action::of(step, cmd.reasons).ok_or(DecideError::NotAllowed)?;
    let result = dossiers::transition(
        desk.db,
        opened.dossier.id(),
        cmd.version,
        actor,
        &who.label,
        action,
        desk.book.today(),
        procedure,
        &desk.book.calendar(),
        None,
    )
    .await;
    match result {
        Ok(_) => Ok(step),
        Err(DossierError::Workflow(WorkflowError::ReasonsRequired)) => {
            Err(DecideError::ReasonsRequired)
        }
        Err(DossierError::Workflow(WorkflowError::PublicityNotOver { ends_on })) => {
            Err(DecideError::PublicityNotOver { ends_on })
        }
        Err(DossierError::Workflow(WorkflowError::Calendar(_))) => Err(DecideError::Calendar),
        Err(DossierError::Workflow(_)) => Err(DecideError::NotAllowed),
        Err(DossierError::Conflict { .. }) => Err(DecideError::Conflict),
        Err(e) => Err(CaseError::from(e).into()),
    }
}
