//! What the dossier pages show: the page data of a dossier, the targets its answers open and
//! their names, list rows, notices, and the wording of the domain's problems.

use chrono::{Duration, NaiveDate};
use store::entities::dossier;
use store::workflow::{self, Actor, State as Flow};

use app::check::{parse_query, Answers};
use app::portal::{
    Achievement, AttachmentView, Bi, Choice, DossierFields, DossierPageData, DossierRow,
    FieldProblem, HistoryLine, Notice, ReceiptView, P,
};
use casework::dossier::{Dossier, Draft, Opened};
use casework::validate::{Problem, ProblemKind, MAX_NAME_CHARS};

use super::targets::{targets, TargetNames};
use crate::state::AppState;
use crate::web::extract::WebError;

/// The self-check answers kept with a dossier.
pub fn answers_of(dossier: &Dossier) -> Answers {
    Answers::from_pairs(&parse_query(&dossier.answers))
}

/// A rule set in force, from the RuleBook's cache (resolving one is far dearer than evaluating
/// it).
pub struct InForce(std::sync::Arc<rules::InForce>);

impl std::ops::Deref for InForce {
    type Target = rules::ResolvedRuleSet;

    fn deref(&self) -> &rules::ResolvedRuleSet {
        &self.0.rules
    }
}

/// The rule set in force for `region` (else the national one) on `day`.
pub fn resolve(state: &AppState, region: &str, day: NaiveDate) -> Option<InForce> {
    state.book.in_force(region, day).map(InForce)
}

/// The page's fields of a draft.
pub fn fields_of(draft: &Draft) -> DossierFields {
    DossierFields {
        org: draft.org.clone(),
        full_name: draft.full_name.clone(),
        id_number: draft.id_number.clone(),
        occupation: draft.occupation.clone(),
        current_post: draft.current_post.clone(),
        target: draft.target.clone(),
        achievements: draft
            .achievements
            .iter()
            .map(|a| Achievement {
                kind: a.kind.clone(),
                title: a.title.clone(),
                date: a.date.clone(),
                role: a.role.clone(),
                description: a.description.clone(),
            })
            .collect(),
    }
}

/// The draft of the page's fields.
pub fn draft_of(fields: DossierFields) -> Draft {
    Draft {
        org: fields.org,
        full_name: fields.full_name,
        id_number: fields.id_number,
        occupation: fields.occupation,
        current_post: fields.current_post,
        target: fields.target,
        achievements: fields
            .achievements
            .into_iter()
            .map(|a| casework::dossier::Achievement {
                kind: a.kind,
                title: a.title,
                date: a.date,
                role: a.role,
                description: a.description,
            })
            .collect(),
    }
}

/// A domain problem in the person's words, beside its field.
pub fn problem_text(problem: &Problem) -> FieldProblem {
    use ProblemKind as K;
    let field = problem.field.as_str();
    match problem.kind {
        K::FullNameMissing => FieldProblem::new(field, P::ErrFullName),
        K::FullNameTooLong => FieldProblem::new(field, P::ErrFullNameTooLong)
            .with(&[("max", &MAX_NAME_CHARS.to_string())]),
        K::IdNumber => FieldProblem::new(field, P::ErrIdNumber),
        K::OrgMissing => FieldProblem::new(field, P::ErrOrg),
        K::OrgUnknown => FieldProblem::new(field, P::ErrOrgUnknown),
        K::NoCommittee => FieldProblem::new(field, P::ErrNoCommittee),
        K::Occupation => FieldProblem::new(field, P::ErrOccupation),
        K::CurrentPost => FieldProblem::new(field, P::ErrCurrentPost),
        K::Target => FieldProblem::new(field, P::ErrTarget),
        K::TargetNotOpen {
            opens_on: Some(day),
        } => FieldProblem::new(field, P::ErrTargetOpensOn).with(&[("day", &day.to_string())]),
        K::TargetNotOpen { opens_on: None } => FieldProblem::new(field, P::ErrTargetNotOpen),
        K::AchievementsNone => FieldProblem::new(field, P::ErrAchievementsNone),
        K::AchievementKind => FieldProblem::new(field, P::ErrAchievementKind),
        K::AchievementTitle => FieldProblem::new(field, P::ErrAchievementTitle),
        K::AchievementDate => FieldProblem::new(field, P::ErrAchievementDate),
    }
}

/// `YYYY-MM-DD HH:MM`, Beijing time.
pub fn beijing(at: chrono::DateTime<chrono::Utc>) -> String {
    (at + Duration::hours(8))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn actor_code(actor: Option<Actor>) -> &'static str {
    match actor {
        Some(Actor::Applicant) => "applicant",
        Some(Actor::EmployerHr) => "employer_hr",
        Some(Actor::CommitteeOffice) => "committee_office",
        _ => "",
    }
}

/// Everything the dossier page shows.
pub async fn page_data(
    state: &AppState,
    opened: &Opened,
    typed: Option<DossierFields>,
    notice: Option<Notice>,
    problems: Vec<FieldProblem>,
) -> Result<DossierPageData, WebError> {
    let model = &opened.dossier.row;
    let today = state.book.today();
    let flow = &opened.dossier.state;
    let answers = answers_of(&opened.dossier);
    let rules = resolve(state, &opened.region, today);
    let targets = rules
        .as_ref()
        .map(|r| targets(r, &answers, today))
        .unwrap_or_default();
    let kinds = rules
        .as_ref()
        .map(|r| {
            r.catalogue()
                .achievement_kinds
                .into_iter()
                .map(|k| Choice {
                    code: k.code,
                    label: Bi::new(k.zh, k.en),
                })
                .collect()
        })
        .unwrap_or_default();
    let employers = store::organisations::of_kind(&state.db, "employer")
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .into_iter()
        .map(|o| Choice {
            label: Bi::new(o.name.clone(), o.name),
            code: o.code,
        })
        .collect();
    let committee = match store::organisations::get(&state.db, &model.committee)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
    {
        Some(c) => Bi::new(c.name.clone(), c.name),
        None => Bi::new(P::FieldOther.zh(), P::FieldOther.en()),
    };
    let attachments = store::attachments::list(&state.db, model.id)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .into_iter()
        .map(|a| AttachmentView {
            id: a.id,
            name: a.original_name,
            content_type: a.content_type,
            size: a.size,
        })
        .collect();
    let history = store::dossiers::history(&state.db, model.id)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .into_iter()
        .map(|h| HistoryLine {
            at: beijing(h.at),
            action: h.action,
            to_state: h.to_state,
            actor: h.actor.rsplit(':').next().unwrap_or_default().to_owned(),
        })
        .collect();
    let receipt = opened.dossier.receipt.as_ref().map(|r| ReceiptView {
        submitted_on: r.submitted_on.to_string(),
        rule_set: format!("{} {}", r.rule_set.id, r.rule_set.version),
        content_hash: r.rule_set.content_hash.clone(),
        target_status: r.target.status.clone().unwrap_or_default(),
    });
    let (reasons, publicity_ends) = match flow {
        Flow::ReturnedByEmployer { reasons } | Flow::ReturnedByCommittee { reasons } => (
            reasons
                .iter()
                .map(|r| (r.field.clone(), r.reason.clone()))
                .collect(),
            None,
        ),
        Flow::UnitPublicity { ends_on } => (Vec::new(), Some(*ends_on)),
        _ => (Vec::new(), None),
    };
    let editable = opened.actor == Some(Actor::Applicant) && flow.editable_by_applicant();
    Ok(DossierPageData {
        id: model.id,
        version: model.version,
        state: flow.code().to_owned(),
        reasons,
        publicity_ends: publicity_ends.map(|d| d.to_string()),
        publicity_over: publicity_ends.is_some_and(|d| today > d),
        editable,
        actor: actor_code(opened.actor).to_owned(),
        decisions: opened
            .actor
            .map(|actor| workflow::allowed(flow.stage(), actor))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|step| step.decision())
            .map(|d| d.code().to_owned())
            .collect(),
        fields: {
            let mut fields = typed.unwrap_or_else(|| fields_of(&opened.dossier.draft));
            // A draft being edited always ends with an empty row for the next achievement.
            if editable && fields.achievements.last() != Some(&Achievement::default()) {
                fields.achievements.push(Achievement::default());
            }
            fields
        },
        answers_query: answers.query(),
        region: opened.region.clone(),
        employers,
        committee,
        targets,
        kinds,
        attachments,
        problems,
        notice,
        history,
        receipt,
    })
}

/// A list row.
pub fn row_of(model: &dossier::Model, names: &TargetNames) -> DossierRow {
    DossierRow {
        target_label: model
            .target
            .as_deref()
            .map(|key| names.label(key))
            .unwrap_or_default(),
        id: model.id,
        full_name: model.full_name.clone(),
        id_masked: app::portal::mask_id(&model.id_number),
        org: model.org.clone(),
        target: model.target.clone().unwrap_or_default(),
        state: model.state.clone(),
        updated: beijing(model.updated_at),
    }
}
