//! What the dossier pages show: the page data of a dossier, the targets its answers open and
//! their names, list rows, notices, and the wording of the domain's problems.

use chrono::{Duration, NaiveDate};
use store::entities::dossier;
use store::workflow::{self, Action, Actor, State as Flow, Step};

use app::check::{parse_query, Answers};
use app::portal::{
    Achievement, AttachmentView, Bi, Choice, DossierFields, DossierPageData, DossierRow,
    FieldProblem, HistoryLine, Notice, ReceiptView, P,
};
use casework::dossier::{Dossier, Draft, Opened};
use casework::validate::{Problem, ProblemKind, MAX_NAME_CHARS};

use super::targets::{target_label, targets, TargetNames};
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
        K::Barred { until } => {
            FieldProblem::new(field, P::ErrBarred).with(&[("until", &until.to_string())])
        }
        K::DeclarationMissing => FieldProblem::new(field, P::ErrDeclaration),
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
        Some(Actor::System) => "system",
        Some(Actor::Chair) => "chair",
        Some(Actor::ProvincialAdmin) => "provincial_admin",
        None => "",
    }
}

/// The step of the procedure an audit action code is, and the one actor other than the system
/// who may take it by the procedure's table (None for what is no step, or is several people's).
fn part_in(action: &str) -> Option<Actor> {
    let code = |step: Step| match step {
        Step::Submit => Action::Submit.code(),
        Step::AssignToSession => Action::AssignToSession { session_id: 0 }.code(),
        Step::RecordPass => Action::RecordPass { session_id: 0 }.code(),
        Step::RecordFail => Action::RecordFail { session_id: 0 }.code(),
        Step::Requeue => Action::Requeue { session_id: 0 }.code(),
        Step::StartResultPublicity => Action::StartResultPublicity.code(),
        Step::SuspendResult => Action::SuspendResult.code(),
        Step::ReinstateResult => Action::ReinstateResult.code(),
        Step::RevokeResult => Action::RevokeResult.code(),
        Step::ConfirmResult => Action::ConfirmResult.code(),
        Step::FileResult => Action::FileResult.code(),
        Step::IssueCertificate => Action::IssueCertificate.code(),
        Step::Appeal => Action::Appeal {
            reason: String::new(),
        }
        .code(),
        Step::UpholdAppeal => Action::UpholdAppeal.code(),
        Step::DismissAppeal => Action::DismissAppeal.code(),
        step => Action::of(step, Vec::new())
            .map(|a| a.code())
            .unwrap_or_default(),
    };
    let mut actors = workflow::ALLOWED
        .iter()
        .filter(|(_, a, step)| *a != Actor::System && code(*step) == action)
        .map(|(_, a, _)| *a);
    let first = actors.next()?;
    actors.all(|a| a == first).then_some(first)
}

/// The account an audit entry's actor label names (`account:{id}` or `account:{id}:{username}`).
pub fn account_of(label: &str) -> Option<i64> {
    label
        .strip_prefix("account:")?
        .split(':')
        .next()?
        .parse()
        .ok()
}

/// Who an audit entry's actor label (`account:{id}[:{username}]`, `system[:…]`) is, as the
/// timeline names them: a display name and the part played in `action` on the dossier of
/// `owner`.
fn who_acted(
    label: &str,
    action: &str,
    owner: i64,
    names: &std::collections::HashMap<i64, String>,
) -> (String, String) {
    if label == "system" || label.starts_with("system:") {
        return (String::new(), "system".to_owned());
    }
    let Some(id) = account_of(label) else {
        return (label.to_owned(), String::new());
    };
    let name = names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    let part = if id == owner {
        Some(Actor::Applicant)
    } else {
        part_in(action)
    };
    (name, actor_code(part).to_owned())
}

/// The dossier's timeline: each step with who took it, by name and part. Only the dossier's own
/// steps (`dossier.*`: the moves in the one table, its creation and the declaration); the
/// records kept beside a step in the audit chain (an objection's details, a certificate's
/// number, a revocation's grounds) are not steps and are told elsewhere on the page.
async fn timeline(state: &AppState, model: &dossier::Model) -> Result<Vec<HistoryLine>, WebError> {
    let mut entries = store::dossiers::history(&state.db, model.id).await?;
    entries.retain(|e| e.action.starts_with("dossier."));
    history_lines(state, entries, model.owner_id).await
}

/// Audit entries of dossiers owned by `owner` as the timeline words them: when (Beijing), the
/// step, the state it led to, who took it by name and part.
pub(crate) async fn history_lines(
    state: &AppState,
    entries: Vec<store::entities::audit_entry::Model>,
    owner: i64,
) -> Result<Vec<HistoryLine>, WebError> {
    let internal = |e: &dyn std::fmt::Display| WebError::Internal(e.to_string());
    let mut names = std::collections::HashMap::new();
    for entry in &entries {
        let Some(id) = account_of(&entry.actor).filter(|id| !names.contains_key(id)) else {
            continue;
        };
        if let Some(account) = store::accounts::get(&state.db, id)
            .await
            .map_err(|e| internal(&e))?
        {
            names.insert(id, account.display_name);
        }
    }
    Ok(entries
        .into_iter()
        .map(|h| {
            let (actor_name, actor_part) = who_acted(&h.actor, &h.action, owner, &names);
            HistoryLine {
                at: beijing(h.at),
                action: h.action,
                to_state: h.to_state,
                actor_name,
                actor_part,
            }
        })
        .collect())
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
    let history = timeline(state, model).await?;
    let receipt = opened.dossier.receipt.as_ref().map(|r| {
        let registry = state.book.registry();
        let set = registry.get(&r.rule_set.id);
        let target = rules
            .as_ref()
            .and_then(|rules| target_label(rules, &r.target.key))
            .or_else(|| {
                targets
                    .iter()
                    .find(|t| t.key == r.target.key)
                    .map(|t| t.label.clone())
            })
            .unwrap_or_else(|| TargetNames::new(state).label(&r.target.key));
        ReceiptView {
            submitted_on: r.submitted_on.to_string(),
            target,
            target_status: r.target.status.clone().unwrap_or_default(),
            rules: match set {
                Some(set) => Bi::new(set.source.clone(), set.name.en.clone()),
                None => Bi::new(r.rule_set.id.clone(), r.rule_set.id.clone()),
            },
            rule_set: (r.rule_set.id.clone(), r.rule_set.version.clone()),
            content_hash: r.rule_set.content_hash.clone(),
        }
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
        certificate: store::certificates::of_dossier(&state.db, model.id)
            .await?
            .map(|c| c.number),
        bar: match opened.actor {
            Some(Actor::Applicant) => casework::revocation::bar_of_dossier(&state.db, model, today)
                .await?
                .map(crate::web::results::bar_view),
            _ => None,
        },
        unit_publicity_days: state
            .book
            .in_force(&opened.region, today)
            .and_then(|r| r.rules.param_int("review_employer_publicity_working_days"))
            .unwrap_or_default() as u32,
        submitted_on: opened
            .dossier
            .receipt
            .as_ref()
            .map(|r| r.submitted_on.to_string()),
        appeal_until: match opened.actor {
            Some(Actor::Applicant) => casework::appeals::open_until(&state.desk(), model.id)
                .await
                .map_err(|e| WebError::Internal(e.to_string()))?
                .map(|d| d.to_string()),
            _ => None,
        },
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
        waited_days: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_is_named_by_the_part_the_table_gives_it() {
        let cases = [
            ("dossier.submit", Some(Actor::Applicant)),
            ("dossier.employer_approve", Some(Actor::EmployerHr)),
            ("dossier.employer_return", Some(Actor::EmployerHr)),
            // The system or the committee office: a person who ends it is the office.
            ("dossier.end_publicity", Some(Actor::CommitteeOffice)),
            ("dossier.committee_accept", Some(Actor::CommitteeOffice)),
            ("dossier.assign_session", Some(Actor::CommitteeOffice)),
            ("dossier.pass", Some(Actor::Chair)),
            ("dossier.requeue", Some(Actor::Chair)),
            ("dossier.create", None),
            ("dossier.something_new", None),
        ];
        for (action, part) in cases {
            assert_eq!(part_in(action), part, "{action}");
        }
    }

    #[test]
    fn actors_are_named_as_people_know_them() {
        assert_eq!(account_of("account:5007"), Some(5007));
        assert_eq!(account_of("account:5007:wang.lathe"), Some(5007));
        assert_eq!(account_of("system"), None);
        let names = std::collections::HashMap::from([
            (5007, "王建国".to_owned()),
            (9, "李人事".to_owned()),
        ]);
        let who = |label: &str, action: &str| who_acted(label, action, 5007, &names);
        // The same person, however the entry labels them.
        assert_eq!(
            who("account:5007", "dossier.create"),
            ("王建国".into(), "applicant".into())
        );
        assert_eq!(
            who("account:5007:wang.lathe", "dossier.submit"),
            ("王建国".into(), "applicant".into())
        );
        assert_eq!(
            who("account:9:hr", "dossier.employer_approve"),
            ("李人事".into(), "employer_hr".into())
        );
        assert_eq!(
            who("system", "dossier.end_publicity"),
            (String::new(), "system".into())
        );
        assert_eq!(
            who("system:seed", "dossier.create"),
            (String::new(), "system".into())
        );
    }
}
