//! Dossier routes: start one from a self-check, edit and save the draft (with its attachments),
//! submit it (re-evaluated here, with a receipt), and the reviewers' decisions. Every handler
//! checks the account against the dossier's scope first; someone without access gets the same
//! 404 as for a dossier that does not exist.

use axum::{
    body::{Body, Bytes},
    extract::{FromRequest, Multipart, Path, Request, State},
    http::{header, request::Parts, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Extension,
};
use chrono::{Duration, NaiveDate};
use futures_util::TryStreamExt;
use store::authz::{self, Access, DossierScope};
use store::dossiers::{self, DossierError, DraftFields};
use store::entities::dossier;
use store::workflow::{self, Action, Actor, Decision, FieldReason, Procedure, State as Flow, Step};

use app::check::{parse_query, verdict, Answers};
use app::i18n::{t, Lang};
use app::portal::{
    Achievement, ApplyData, AttachmentView, Bi, Choice, DossierFields, DossierPageData, DossierRow,
    FieldProblem, HistoryLine, MyDossiersData, Notice, ReceiptView, TargetChoice, P, REASON_FIELDS,
};

use super::{field, form_pairs, internal, not_found, render, see_other, Authed};
use crate::startup::AppState;

/// The self-check answers kept with a dossier.
fn answers_of(model: &dossier::Model) -> Answers {
    let value: serde_json::Value = match serde_json::from_str(&model.answers) {
        Ok(value) => value,
        Err(e) => {
            // Shown as empty answers (the person can fill them in again), never silently.
            tracing::error!(id = model.id, error = %e, "a dossier's stored answers do not read");
            serde_json::Value::Null
        }
    };
    let query = value.get("check").and_then(|v| v.as_str()).unwrap_or("");
    Answers::from_pairs(&parse_query(query))
}

/// The region whose rules apply: the employer's, else the one the self-check chose.
async fn region_of(state: &AppState, org: &str, answers: &Answers) -> String {
    if !org.is_empty() {
        if let Ok(Some(o)) = store::organisations::get(&state.db, org).await {
            return o.region;
        }
    }
    answers.region_code().to_owned()
}

/// A rule set in force, from the process-wide cache the self-check pages use (resolving one is
/// far dearer than evaluating it).
struct InForce(std::sync::Arc<app::check::CheckData>);

impl std::ops::Deref for InForce {
    type Target = rules::ResolvedRuleSet;

    fn deref(&self) -> &rules::ResolvedRuleSet {
        &self.0.rules
    }
}

/// The rule set in force for `region` (else the national one) on `day`.
fn resolve(state: &AppState, region: &str, day: NaiveDate) -> Option<InForce> {
    app::components::verdict::shared::resolve(&state.rules, region, day).map(InForce)
}

/// The targets the answers may aim at under `rules` on `day`, with their status. A title target
/// is offered once per series it opens (`{route}:{series}`), so the choice names the series,
/// the level and the route.
fn targets(rules: &rules::ResolvedRuleSet, answers: &Answers, day: NaiveDate) -> Vec<TargetChoice> {
    let mut out = Vec::new();
    for o in verdict(rules, answers, day).outcomes {
        let route = app::components::verdict::route_msg(&o.route);
        let status = app::components::verdict::status_code(o.status).to_owned();
        let earliest_on = o
            .earliest_on
            .filter(|_| o.status == rules::Status::NotYet)
            .map(|d| d.to_string());
        let series = o.series.as_slice();
        if o.is_title && !series.is_empty() {
            for code in series {
                let key = format!("{}:{code}", o.key);
                let Some(label) = target_label(rules, &key) else {
                    continue;
                };
                out.push(TargetChoice {
                    key,
                    label,
                    status: status.clone(),
                    earliest_on: earliest_on.clone(),
                });
            }
        } else {
            out.push(TargetChoice {
                label: Bi::new(
                    format!("{} · {}", o.target_zh, t(Lang::Zh, route)),
                    format!("{} · {}", o.target_en, t(Lang::En, route)),
                ),
                status,
                earliest_on,
                key: o.key,
            });
        }
    }
    out
}

/// The name of a dossier target (`{route key}[:{series}]`) under `rules`, in both languages:
/// `工程（工程师）· 技能等级申报职称`. None when the rule set has no such route or series.
fn target_label(rules: &rules::ResolvedRuleSet, key: &str) -> Option<Bi> {
    let (route_key, series) = match key.split_once(':') {
        Some((r, s)) => (r, Some(s)),
        None => (key, None),
    };
    let spec = rules.data().routes.iter().find(|r| r.key == route_key)?;
    let route = app::components::verdict::route_msg(&spec.route);
    let cat = rules.catalogue();
    let level = spec.target.level.as_deref().unwrap_or_default();
    let named = |items: &[rules::CatalogueItem], code: &str| {
        items
            .iter()
            .find(|i| i.code == code)
            .map(|i| (i.zh.clone(), i.en.clone()))
    };
    let (zh, en) = match (spec.target.kind.as_str(), series) {
        ("title", Some(code)) => {
            let item = cat.series.iter().find(|x| x.code == code)?;
            let title = item.titles.get(level);
            (
                format!(
                    "{}（{}）",
                    item.zh,
                    title.map(|t| t.zh.as_str()).unwrap_or(level)
                ),
                format!(
                    "{} ({})",
                    item.en,
                    title.map(|t| t.en.as_str()).unwrap_or(level)
                ),
            )
        }
        ("title", None) => {
            let (z, e) = named(&cat.title_levels, level)?;
            (format!("{z}职称"), format!("{e} title"))
        }
        ("skill", _) => named(&cat.skill_levels, level)?,
        ("qualification", _) => {
            let (z, e) = named(&cat.qualifications, spec.target.code.as_deref()?)?;
            (format!("{z}职业资格"), format!("{e} qualification"))
        }
        _ => return None,
    };
    // A full-width bracket already spaces the Chinese: `工程（工程师）· 技能等级申报职称`.
    let gap = if zh.ends_with('）') { "" } else { " " };
    Some(Bi::new(
        format!("{zh}{gap}· {}", t(Lang::Zh, route)),
        format!("{en} · {}", t(Lang::En, route)),
    ))
}

/// Names dossier targets in lists, by the rule sets in force today (national first, then each
/// province's), resolved once per request.
pub struct TargetNames(Vec<InForce>);

impl TargetNames {
    pub fn new(state: &AppState) -> TargetNames {
        let today = state.clock.today();
        let mut regions = vec!["national".to_owned()];
        for summary in state.rules.list() {
            if !regions.contains(&summary.region) {
                regions.push(summary.region);
            }
        }
        TargetNames(
            regions
                .iter()
                .filter_map(|r| resolve(state, r, today))
                .collect(),
        )
    }

    /// The target's name, or its key where no rule set in force knows it.
    pub fn label(&self, key: &str) -> Bi {
        self.0
            .iter()
            .find_map(|r| target_label(r, key))
            .unwrap_or_else(|| Bi::new(key, key))
    }
}

fn scope_of<'a>(model: &'a dossier::Model, region: &'a str) -> DossierScope<'a> {
    DossierScope {
        owner_id: model.owner_id,
        org: &model.org,
        committee: &model.committee,
        region,
        state: &model.state,
    }
}

fn notice_for(code: &str) -> Option<Notice> {
    let (ok, text) = match code {
        "created" => (true, P::NoticeCreated),
        "answers_updated" => (true, P::NoticeAnswersUpdated),
        "answers_conflict" => (false, P::NoticeAnswersConflict),
        "saved" => (true, P::NoticeSaved),
        "file_stored" => (true, P::NoticeFileStored),
        "file_removed" => (true, P::NoticeFileRemoved),
        "submitted" => (true, P::NoticeSubmitted),
        "approved" => (true, P::NoticeApproved),
        "returned" => (true, P::NoticeReturned),
        "accepted" => (true, P::NoticeAccepted),
        "publicity_ended" => (true, P::NoticePublicityEnded),
        "not_allowed" => (false, P::NoticeNotAllowed),
        "conflict" => (false, P::NoticeConflict),
        "calendar" => (false, P::NoticeCalendar),
        "publicity_not_over" => (false, P::NoticePublicityNotOver),
        _ => return None,
    };
    Some(Notice {
        ok,
        text,
        detail: None,
    })
}

fn fields_of(model: &dossier::Model) -> DossierFields {
    DossierFields {
        org: model.org.clone(),
        full_name: model.full_name.clone(),
        id_number: model.id_number.clone(),
        occupation: model.occupation.clone(),
        current_post: model.current_post.clone(),
        target: model.target.clone().unwrap_or_default(),
        achievements: serde_json::from_str(&model.achievements).unwrap_or_else(|e| {
            tracing::error!(id = model.id, error = %e, "a dossier's stored achievements do not read");
            Vec::new()
        }),
    }
}

/// `YYYY-MM-DD HH:MM`, Beijing time.
fn beijing(at: chrono::DateTime<chrono::Utc>) -> String {
    (at + Duration::hours(8))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The procedure's parameters under the dossier's rules.
async fn procedure(state: &AppState, model: &dossier::Model) -> Procedure {
    let region = region_of(state, &model.org, &answers_of(model)).await;
    let days = resolve(state, &region, state.clock.today())
        .and_then(|r| r.param_int("review_employer_publicity_working_days"))
        .unwrap_or(5);
    Procedure {
        unit_publicity_working_days: days.clamp(1, 60) as u32,
    }
}

struct Loaded {
    model: dossier::Model,
    region: String,
    actor: Option<Actor>,
}

/// Loads a dossier the account may access, or the 404 everyone else gets.
async fn load(
    state: &AppState,
    authed: &Authed,
    id: &str,
    access: Access,
) -> Result<Option<Loaded>, DossierError> {
    let Ok(id) = id.parse::<i64>() else {
        return Ok(None);
    };
    let Some(model) = dossiers::get(&state.db, id).await? else {
        return Ok(None);
    };
    let region = region_of(state, &model.org, &answers_of(&model)).await;
    let scope = scope_of(&model, &region);
    if !authz::may(authed.account_id, &authed.grants, &scope, access) {
        return Ok(None);
    }
    let actor = authz::actor_for(authed.account_id, &authed.grants, &scope);
    Ok(Some(Loaded {
        model,
        region,
        actor,
    }))
}

/// The signed-in account and the dossier it asked for, or the response it gets instead: sign in
/// first, or the 404 of a dossier that is not there for it.
async fn open(
    state: &AppState,
    authed: Option<Extension<Authed>>,
    parts: &Parts,
    id: &str,
    access: Access,
) -> Result<(Authed, Loaded), Box<Response>> {
    let authed = super::signed_in(authed, parts, None)?;
    match load(state, &authed, id, access).await {
        Ok(Some(loaded)) => Ok((authed, loaded)),
        Ok(None) => Err(Box::new(not_found(state, parts.clone()).await)),
        Err(e) => Err(Box::new(internal(e))),
    }
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
async fn page_data(
    state: &AppState,
    loaded: &Loaded,
    typed: Option<DossierFields>,
    notice: Option<Notice>,
    problems: Vec<FieldProblem>,
) -> Result<DossierPageData, String> {
    let model = &loaded.model;
    let today = state.clock.today();
    let flow = dossiers::state_of(model).map_err(|e| e.to_string())?;
    let answers = answers_of(model);
    let rules = resolve(state, &loaded.region, today);
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
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|o| Choice {
            label: Bi::new(o.name.clone(), o.name),
            code: o.code,
        })
        .collect();
    let committee = match store::organisations::get(&state.db, &model.committee)
        .await
        .map_err(|e| e.to_string())?
    {
        Some(c) => Bi::new(c.name.clone(), c.name),
        None => Bi::new(P::FieldOther.zh(), P::FieldOther.en()),
    };
    let attachments = store::attachments::list(&state.db, model.id)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|a| AttachmentView {
            id: a.id,
            name: a.original_name,
            content_type: a.content_type,
            size: a.size,
        })
        .collect();
    let history = dossiers::history(&state.db, model.id)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|h| HistoryLine {
            at: beijing(h.at),
            action: h.action,
            to_state: h.to_state,
            actor: h.actor.rsplit(':').next().unwrap_or_default().to_owned(),
        })
        .collect();
    let receipt = model
        .receipt
        .as_deref()
        .and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok())
        .map(|r| ReceiptView {
            submitted_on: r["submitted_on"].as_str().unwrap_or_default().to_owned(),
            rule_set: format!(
                "{} {}",
                r["rule_set"]["id"].as_str().unwrap_or_default(),
                r["rule_set"]["version"].as_str().unwrap_or_default()
            ),
            content_hash: r["rule_set"]["content_hash"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            target_status: r["target"]["status"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        });
    let (reasons, publicity_ends) = match &flow {
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
    let editable = loaded.actor == Some(Actor::Applicant) && flow.editable_by_applicant();
    Ok(DossierPageData {
        id: model.id,
        version: model.version,
        state: flow.code().to_owned(),
        reasons,
        publicity_ends: publicity_ends.map(|d| d.to_string()),
        publicity_over: publicity_ends.is_some_and(|d| today > d),
        editable,
        actor: actor_code(loaded.actor).to_owned(),
        decisions: loaded
            .actor
            .map(|actor| workflow::allowed(flow.stage(), actor))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|step| step.decision())
            .map(|d| d.code().to_owned())
            .collect(),
        fields: {
            let mut fields = typed.unwrap_or_else(|| fields_of(model));
            // A draft being edited always ends with an empty row for the next achievement.
            if editable && fields.achievements.last() != Some(&Achievement::default()) {
                fields.achievements.push(Achievement::default());
            }
            fields
        },
        answers_query: answers.query(),
        region: loaded.region.clone(),
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

/// A urlencoded form of at most `limit` bytes, as pairs; a larger one is refused with 413.
async fn small_form(
    body: axum::body::Body,
    limit: usize,
) -> Result<Vec<(String, String)>, Box<Response>> {
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => Ok(form_pairs(&bytes)),
        Err(_) => Err(Box::new(
            (StatusCode::PAYLOAD_TOO_LARGE, "form too large / 表单过大").into_response(),
        )),
    }
}

/// `GET /apply?<answers>`
pub async fn apply_page(
    State(state): State<AppState>,
    authed: Option<Extension<Authed>>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let authed = match super::signed_in(authed, &parts, Some(store::workflow::Role::Applicant)) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let answers = Answers::from_pairs(&parse_query(parts.uri.query().unwrap_or("")));
    apply_with(&state, parts, &authed, &answers, None, StatusCode::OK).await
}

/// The `/apply` page for `answers`: what they open, and the dossiers they could update.
async fn apply_with(
    state: &AppState,
    mut parts: Parts,
    authed: &Authed,
    answers: &Answers,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let today = state.clock.today();
    let eligible = resolve(state, answers.region_code(), today)
        .map(|r| targets(&r, answers, today))
        .unwrap_or_default()
        .into_iter()
        .filter(|t| t.status == "eligible")
        .collect();
    let names = TargetNames::new(state);
    let updatable = match dossiers::list_for_owner(&state.db, authed.account_id).await {
        Ok(models) => models
            .iter()
            .filter(|m| dossiers::state_of(m).is_ok_and(|s| s.editable_by_applicant()))
            .map(|m| (row_of(m, &names), m.version))
            .collect(),
        Err(e) => return internal(e),
    };
    let data = ApplyData {
        answers_query: answers.query(),
        eligible,
        updatable,
        notice,
    };
    // Answering a POST elsewhere, the page is still /apply (for the router and the language link).
    if let Ok(uri) = format!("/apply?{}", data.answers_query).parse() {
        parts.uri = uri;
    }
    render(state, parts, data, status).await
}

/// `POST /dossiers/{id}/answers`: the owner's draft (or returned dossier) takes new self-check
/// answers; everything else typed in it stays. A target the new answers no longer offer gives
/// way to the first one they open.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn update_answers(
    State(state): State<AppState>,
    authed: Option<Extension<Authed>>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let (authed, loaded) = match open(&state, authed, &parts, &id, Access::Edit).await {
        Ok(o) => o,
        Err(r) => return *r,
    };
    let pairs = match small_form(body, 64 * 1024).await {
        Ok(pairs) => pairs,
        Err(r) => return *r,
    };
    let answers = Answers::from_pairs(&parse_query(field(&pairs, "answers")));
    let Ok(version) = field(&pairs, "version").parse::<i32>() else {
        return apply_with(
            &state,
            parts,
            &authed,
            &answers,
            notice_for("answers_conflict"),
            StatusCode::CONFLICT,
        )
        .await;
    };
    let model = &loaded.model;
    let mut fields = fields_of(model);
    let today = state.clock.today();
    if let Some(rules) = resolve(&state, &loaded.region, today) {
        let offered = targets(&rules, &answers, today);
        if !offered.iter().any(|t| t.key == fields.target) {
            fields.target = offered
                .into_iter()
                .find(|t| t.status == "eligible")
                .map(|t| t.key)
                .unwrap_or_default();
        }
    }
    let draft = draft_of(
        &fields,
        model.committee.clone(),
        serde_json::json!({ "check": answers.query() }),
    );
    match dossiers::save_draft(&state.db, model.id, version, draft).await {
        Ok(_) => see_other(&format!("/dossiers/{}?notice=answers_updated", model.id)),
        Err(DossierError::Conflict { .. }) => {
            apply_with(
                &state,
                parts,
                &authed,
                &answers,
                notice_for("answers_conflict"),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(DossierError::NotEditable { .. }) => {
            see_other(&format!("/dossiers/{}?notice=not_allowed", model.id))
        }
        Err(e) => internal(e),
    }
}

/// `POST /dossiers`: a draft from self-check answers.
#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    authed: Option<Extension<Authed>>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let authed = match super::signed_in(authed, &parts, Some(store::workflow::Role::Applicant)) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let pairs = match small_form(body, 64 * 1024).await {
        Ok(pairs) => pairs,
        Err(r) => return *r,
    };
    let answers = Answers::from_pairs(&parse_query(field(&pairs, "answers")));
    let today = state.clock.today();
    let first_open = resolve(&state, answers.region_code(), today).and_then(|r| {
        targets(&r, &answers, today)
            .into_iter()
            .find(|t| t.status == "eligible")
            .map(|t| t.key)
    });
    let occupation = answers
        .sl
        .iter()
        .map(|r| r.occ.clone())
        .find(|o| !o.is_empty())
        .unwrap_or_default();
    let fields = DraftFields {
        org: String::new(),
        committee: String::new(),
        full_name: authed.display_name.clone(),
        id_number: String::new(),
        occupation,
        current_post: String::new(),
        target: first_open,
        answers: serde_json::json!({ "check": answers.query() }),
        achievements: serde_json::json!([]),
    };
    match dossiers::create(&state.db, authed.account_id, fields).await {
        Ok(model) => see_other(&format!("/dossiers/{}?notice=created", model.id)),
        Err(e) => internal(e),
    }
}

/// `GET /dossiers`: the applicant's own dossiers.
pub async fn my_dossiers(
    State(state): State<AppState>,
    authed: Option<Extension<Authed>>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let authed = match super::signed_in(authed, &parts, None) {
        Ok(a) => a,
        Err(r) => return *r,
    };
    let models = match dossiers::list_for_owner(&state.db, authed.account_id).await {
        Ok(m) => m,
        Err(e) => return internal(e),
    };
    let mut data = MyDossiersData::default();
    let names = TargetNames::new(&state);
    for model in models {
        if let Ok(Flow::UnitPublicity { ends_on }) = dossiers::state_of(&model) {
            data.publicity_ends.push((model.id, ends_on.to_string()));
        }
        data.rows.push(row_of(&model, &names));
    }
    render(&state, parts, data, StatusCode::OK).await
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

/// `GET /dossiers/{id}`
pub async fn page(
    State(state): State<AppState>,
    authed: Option<Extension<Authed>>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let (authed, loaded) = match open(&state, authed, &parts, &id, Access::Read).await {
        Ok(opened) => opened,
        Err(r) => return *r,
    };
    if loaded.model.owner_id != authed.account_id {
        if let Err(e) = dossiers::record_read(&state.db, loaded.model.id, &authed.label()).await {
            return internal(e);
        }
    }
    let notice = parse_query(parts.uri.query().unwrap_or(""))
        .into_iter()
        .find(|(k, _)| k == "notice")
        .and_then(|(_, v)| notice_for(&v));
    match page_data(&state, &loaded, None, notice, Vec::new()).await {
        Ok(data) => render(&state, parts, data, StatusCode::OK).await,
        Err(e) => internal(e),
    }
}

/// The form of the dossier page, as typed.
/// The most achievement rows a form may carry (beyond this is a robot, not a person).
const MAX_ACHIEVEMENTS: usize = 50;

fn typed_fields(pairs: &[(String, String)]) -> DossierFields {
    let get = |k: &str| field(pairs, k).to_owned();
    // The rows the form carried: every `a{i}_…` field names row i.
    let mut rows: Vec<usize> = pairs
        .iter()
        .filter_map(|(k, _)| k.strip_prefix('a')?.split_once('_')?.0.parse().ok())
        .filter(|i| *i < MAX_ACHIEVEMENTS)
        .collect();
    rows.sort_unstable();
    rows.dedup();
    let achievements = rows
        .into_iter()
        .map(|i| {
            let part = |p: &str| field(pairs, &format!("a{i}_{p}")).to_owned();
            Achievement {
                kind: part("kind"),
                title: part("title"),
                date: part("date"),
                role: part("role"),
                description: app::check::get(pairs, &format!("a{i}_description"))
                    .unwrap_or("")
                    .trim_end()
                    .to_owned(),
            }
        })
        .collect();
    DossierFields {
        org: get("org"),
        full_name: get("full_name"),
        id_number: get("id_number").to_uppercase(),
        occupation: get("occupation"),
        current_post: get("current_post"),
        target: get("target"),
        achievements,
    }
}

/// What stops a dossier from being submitted, each naming its field.
fn problems(
    fields: &DossierFields,
    targets: &[TargetChoice],
    kinds: &[String],
    employer: &casework::validate::Employer,
    today: NaiveDate,
) -> Vec<FieldProblem> {
    use casework::validate::Employer;
    let mut out = Vec::new();
    if fields.full_name.is_empty() || fields.full_name.chars().count() > 50 {
        out.push(FieldProblem::new("full_name", P::ErrFullName));
    }
    if let Err(e) = rules::IdNumber::parse(&fields.id_number) {
        let _ = e;
        out.push(FieldProblem::new("id_number", P::ErrIdNumber));
    }
    match employer {
        Employer::Known { .. } => {}
        Employer::Missing => out.push(FieldProblem::new("org", P::ErrOrg)),
        Employer::Unknown => out.push(FieldProblem::new("org", P::ErrOrgUnknown)),
        Employer::NoCommittee { .. } => out.push(FieldProblem::new("org", P::ErrNoCommittee)),
    }
    if !rules::occupation_code_well_formed(&fields.occupation) {
        out.push(FieldProblem::new("occupation", P::ErrOccupation));
    }
    if fields.current_post.is_empty() {
        out.push(FieldProblem::new("current_post", P::ErrCurrentPost));
    }
    match targets.iter().find(|t| t.key == fields.target) {
        None => out.push(FieldProblem::new("target", P::ErrTarget)),
        Some(t) if t.status == "ineligible" || t.status == "not_yet" => {
            out.push(FieldProblem::new("target", P::ErrTargetNotOpen))
        }
        Some(_) => {}
    }
    let filled: Vec<(usize, &Achievement)> = fields
        .achievements
        .iter()
        .enumerate()
        .filter(|(_, a)| *a != &Achievement::default())
        .collect();
    if filled.is_empty() {
        out.push(FieldProblem::new("achievements", P::ErrAchievementsNone));
    }
    for (i, a) in filled {
        if !kinds.contains(&a.kind) {
            out.push(FieldProblem::new(
                &format!("a{i}_kind"),
                P::ErrAchievementKind,
            ));
        }
        if a.title.is_empty() {
            out.push(FieldProblem::new(
                &format!("a{i}_title"),
                P::ErrAchievementTitle,
            ));
        }
        if rules::parse_date(&a.date).is_none_or(|d| d > today) {
            out.push(FieldProblem::new(
                &format!("a{i}_date"),
                P::ErrAchievementDate,
            ));
        }
    }
    out
}

fn draft_of(fields: &DossierFields, committee: String, answers: serde_json::Value) -> DraftFields {
    DraftFields {
        org: fields.org.clone(),
        committee,
        full_name: fields.full_name.clone(),
        id_number: fields.id_number.clone(),
        occupation: fields.occupation.clone(),
        current_post: fields.current_post.clone(),
        target: (!fields.target.is_empty()).then(|| fields.target.clone()),
        answers,
        achievements: serde_json::to_value(
            fields
                .achievements
                .iter()
                .filter(|a| **a != Achievement::default())
                .collect::<Vec<_>>(),
        )
        .unwrap_or_default(),
    }
}

/// A dossier form that arrived whole: its fields, and what became of a file it carried.
struct Received {
    pairs: Vec<(String, String)>,
    file_problem: Option<FieldProblem>,
    /// The attachments this form stored (removed again if the save is refused).
    stored: Vec<i64>,
}

/// Removes the attachments a refused form stored on its way in.
async fn discard(state: &AppState, dossier_id: i64, stored: &[i64]) {
    for &id in stored {
        if let Err(e) =
            store::attachments::remove(&state.db, &state.upload_dir, dossier_id, id).await
        {
            tracing::error!(error = %e, attachment = id, "removing the file of a refused form");
        }
    }
}

/// Why a dossier form is refused whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FormCut {
    /// The body ended early or is not well-formed multipart.
    Incomplete,
    /// The body is over the form limit (`MAX_FORM_BYTES`).
    TooLarge,
}

impl FormCut {
    fn response(self) -> Response {
        let (status, msg) = match self {
            FormCut::Incomplete => (StatusCode::BAD_REQUEST, P::ErrFormIncomplete),
            FormCut::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, P::ErrFormTooLarge),
        };
        let max = app::portal::megabytes(store::attachments::MAX_FILE_BYTES);
        let text = FieldProblem::new("form", msg).with(&[("max", &max)]);
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{} / {}", text.zh, text.en),
        )
            .into_response()
    }

    fn of(e: &axum::extract::multipart::MultipartError) -> FormCut {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            FormCut::TooLarge
        } else {
            FormCut::Incomplete
        }
    }
}

/// Reads a dossier's multipart form to its end. A file part is streamed into storage; when the
/// form then turns out not to be whole, the file is removed again and nothing is kept.
async fn receive_form(
    state: &AppState,
    dossier_id: i64,
    request: Request,
) -> Result<Received, FormCut> {
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|_| FormCut::Incomplete)?;
    let mut received = Received {
        pairs: Vec::new(),
        file_problem: None,
        stored: Vec::new(),
    };
    let cut = loop {
        let part = match multipart.next_field().await {
            Ok(Some(part)) => part,
            Ok(None) => break None,
            Err(e) => {
                tracing::warn!(error = %e, "the dossier form did not arrive whole");
                break Some(FormCut::of(&e));
            }
        };
        let name = part.name().unwrap_or_default().to_owned();
        if name != "file" {
            match part.text().await {
                Ok(text) => received.pairs.push((name, text)),
                Err(e) => {
                    tracing::warn!(error = %e, "a dossier form field did not arrive whole");
                    break Some(FormCut::of(&e));
                }
            }
            continue;
        }
        let file_name = part.file_name().unwrap_or_default().to_owned();
        if file_name.is_empty() {
            continue;
        }
        let reader = tokio_util::io::StreamReader::new(part.map_err(std::io::Error::other));
        use store::attachments::AttachmentError as E;
        match store::attachments::store(
            &state.db,
            &state.upload_dir,
            dossier_id,
            &file_name,
            reader,
            state.upload_limits,
        )
        .await
        {
            Ok(model) => received.stored.push(model.id),
            // Reading the part failed: the body was cut inside the file.
            Err(E::Io(e)) => {
                tracing::warn!(error = %e, "an attachment did not arrive whole");
                let multipart = e.get_ref().and_then(|inner| {
                    inner.downcast_ref::<axum::extract::multipart::MultipartError>()
                });
                break Some(multipart.map_or(FormCut::Incomplete, FormCut::of));
            }
            Err(e) => {
                // The limits are quoted from the values that enforced them.
                let (msg, max) = match e {
                    E::TooLarge { max } => (P::ErrFileTooLarge, max),
                    E::QuotaExceeded { max } => (P::ErrFileQuota, max),
                    E::UnsupportedType => (P::ErrFileType, 0),
                    E::StoreFull { max } => (P::ErrFileStoreFull, max),
                    other => {
                        tracing::error!(error = %other, "storing an attachment");
                        (P::ErrFileType, 0)
                    }
                };
                let max = app::portal::megabytes(max);
                received.file_problem =
                    Some(FieldProblem::new("attachments", msg).with(&[("max", &max)]));
            }
        }
    };
    match cut {
        None => Ok(received),
        Some(cut) => {
            discard(state, dossier_id, &received.stored).await;
            Err(cut)
        }
    }
}

/// `POST /dossiers/{id}`: save the draft (multipart: the fields, maybe a file), then whatever
/// button was pressed: add or remove an achievement or a file, or submit.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn save(
    State(state): State<AppState>,
    authed: Option<Extension<Authed>>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let (authed, loaded) = match open(&state, authed, &parts, &id, Access::Edit).await {
        Ok(opened) => opened,
        Err(r) => return *r,
    };
    let dossier_id = loaded.model.id;
    if !dossiers::state_of(&loaded.model).is_ok_and(|s| s.editable_by_applicant()) {
        return see_other(&format!("/dossiers/{dossier_id}?notice=not_allowed"));
    }
    // Read the form; a file is streamed to storage as it arrives. A form that did not arrive
    // whole (a cut connection, a missing closing boundary, a body over the limit) changes
    // nothing: a file it brought is removed again and the draft is not saved.
    let request = Request::from_parts(parts.clone(), body);
    let received = match receive_form(&state, dossier_id, request).await {
        Ok(received) => received,
        Err(cut) => return cut.response(),
    };
    let (pairs, file_problem, stored) = (received.pairs, received.file_problem, received.stored);
    let file_stored = !stored.is_empty();
    if field(&pairs, "version").is_empty() {
        discard(&state, dossier_id, &stored).await;
        return FormCut::Incomplete.response();
    }
    let mut typed = typed_fields(&pairs);
    let nav = field(&pairs, "nav").to_owned();
    let version: i32 = field(&pairs, "version").parse().unwrap_or(-1);
    if nav == "add" {
        typed.achievements.push(Achievement::default());
    } else if let Some(i) = nav
        .strip_prefix("del_")
        .and_then(|i| i.parse::<usize>().ok())
    {
        if i < typed.achievements.len() {
            typed.achievements.remove(i);
        }
    } else if let Some(a) = nav.strip_prefix("rm_").and_then(|a| a.parse::<i64>().ok()) {
        if let Err(e) =
            store::attachments::remove(&state.db, &state.upload_dir, dossier_id, a).await
        {
            return internal(e);
        }
    }
    if typed.achievements.is_empty() {
        typed.achievements.push(Achievement::default());
    }

    // The committee follows from the employer's region; without a known employer the rules
    // are those the self-check chose, and the dossier cannot be submitted.
    let answers = answers_of(&loaded.model);
    let employer = match casework::validate::employer(&state.db, &typed.org).await {
        Ok(employer) => employer,
        Err(e) => return internal(e),
    };
    let region = employer
        .region()
        .unwrap_or(answers.region_code())
        .to_owned();
    let committee = employer.committee().map(str::to_owned);
    let answers_json: serde_json::Value =
        serde_json::from_str(&loaded.model.answers).unwrap_or_default();
    let draft = draft_of(&typed, committee.clone().unwrap_or_default(), answers_json);
    // The browser's autosave (nav=autosave) wants the new version back, not a page.
    let autosave = nav == "autosave";
    let result = dossiers::save_draft(&state.db, dossier_id, version, draft).await;
    if result.is_err() {
        // A refused save keeps no file it brought: the person uploads it again with the form.
        discard(&state, dossier_id, &stored).await;
    }
    let saved = match result {
        Ok(saved) if autosave => {
            return axum::Json(serde_json::json!({ "version": saved.version })).into_response()
        }
        Ok(saved) => saved,
        Err(DossierError::Conflict { current }) if autosave => {
            return (
                StatusCode::CONFLICT,
                axum::Json(serde_json::json!({ "error": "conflict", "version": current })),
            )
                .into_response()
        }
        Err(DossierError::Conflict { .. }) => {
            // Show what was typed over the current version, so the person can check and save.
            let current = match load(&state, &authed, &id, Access::Edit).await {
                Ok(Some(l)) => l,
                Ok(None) => return not_found(&state, parts).await,
                Err(e) => return internal(e),
            };
            let notice = notice_for("conflict");
            return match page_data(&state, &current, Some(typed), notice, Vec::new()).await {
                Ok(data) => render(&state, parts, data, StatusCode::CONFLICT).await,
                Err(e) => internal(e),
            };
        }
        Err(DossierError::NotEditable { .. }) if autosave => {
            return (
                StatusCode::CONFLICT,
                axum::Json(serde_json::json!({ "error": "not_editable" })),
            )
                .into_response()
        }
        Err(DossierError::NotEditable { .. }) => {
            return see_other(&format!("/dossiers/{dossier_id}?notice=not_allowed"))
        }
        Err(e) => return internal(e),
    };
    let loaded = Loaded {
        region: region.clone(),
        model: saved,
        actor: loaded.actor,
    };
    if let Some(problem) = file_problem {
        return match page_data(&state, &loaded, Some(typed), None, vec![problem]).await {
            Ok(data) => render(&state, parts, data, StatusCode::UNPROCESSABLE_ENTITY).await,
            Err(e) => internal(e),
        };
    }
    if nav != "submit" {
        let notice = if file_stored {
            "file_stored"
        } else if nav.starts_with("rm_") {
            "file_removed"
        } else {
            "saved"
        };
        // Adding or removing a row goes back to that part of the form.
        let anchor = if nav == "add" || nav.starts_with("del_") {
            "#achievements"
        } else {
            ""
        };
        return see_other(&format!("/dossiers/{dossier_id}?notice={notice}{anchor}"));
    }

    // Submit: check everything, re-evaluate under the rules in force, keep a receipt.
    let today = state.clock.today();
    let Some(rules) = resolve(&state, &region, today) else {
        return internal("no rule set in force");
    };
    let mut answers = answers;
    answers.region = region.clone();
    let choices = targets(&rules, &answers, today);
    let kinds: Vec<String> = rules
        .catalogue()
        .achievement_kinds
        .into_iter()
        .map(|k| k.code)
        .collect();
    let found = problems(&typed, &choices, &kinds, &employer, today);
    if !found.is_empty() {
        return match page_data(&state, &loaded, Some(typed), None, found).await {
            Ok(data) => render(&state, parts, data, StatusCode::UNPROCESSABLE_ENTITY).await,
            Err(e) => internal(e),
        };
    }
    // The receipt names the stored version of the rules it was decided under (stored now if
    // this is the first receipt under them), so it can be replayed later.
    let version = match casework::receipts::keep_version(&state.db, &rules).await {
        Ok(version) => version,
        Err(e) => return internal(e),
    };
    let input = answers
        .accepted_input(today, &rules)
        .0
        .map(|(input, _)| input)
        .unwrap_or_default();
    let receipt = casework::receipts::build(
        &rules,
        &version,
        &answers.query(),
        &input,
        &typed.target,
        today,
    );
    let procedure = procedure(&state, &loaded.model).await;
    match dossiers::transition(
        &state.db,
        dossier_id,
        loaded.model.version,
        Actor::Applicant,
        &authed.label(),
        Action::Submit,
        today,
        procedure,
        &state.calendar,
        Some(receipt),
    )
    .await
    {
        Ok(_) => see_other(&format!("/dossiers/{dossier_id}?notice=submitted")),
        Err(DossierError::Conflict { .. }) => {
            see_other(&format!("/dossiers/{dossier_id}?notice=conflict"))
        }
        Err(DossierError::Workflow(_)) => {
            see_other(&format!("/dossiers/{dossier_id}?notice=not_allowed"))
        }
        Err(e) => internal(e),
    }
}

/// `POST /dossiers/{id}/decision`: the employer's or the committee office's decision.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn decide(
    State(state): State<AppState>,
    authed: Option<Extension<Authed>>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let (authed, loaded) = match open(&state, authed, &parts, &id, Access::Read).await {
        Ok(opened) => opened,
        Err(r) => return *r,
    };
    let Some(actor) = loaded
        .actor
        .filter(|a| matches!(a, Actor::EmployerHr | Actor::CommitteeOffice))
    else {
        return not_found(&state, parts).await;
    };
    let pairs = match small_form(body, 256 * 1024).await {
        Ok(pairs) => pairs,
        Err(r) => return *r,
    };
    let version: i32 = field(&pairs, "version").parse().unwrap_or(-1);
    let reasons: Vec<FieldReason> = REASON_FIELDS
        .iter()
        .filter_map(|f| {
            let text = field(&pairs, &format!("reason_{f}"));
            (!text.is_empty()).then(|| FieldReason {
                field: (*f).to_owned(),
                reason: text.chars().take(1000).collect(),
            })
        })
        .collect();
    // Which step the decision is, for this actor in this stage, is the procedure's table's to say.
    let stage = dossiers::state_of(&loaded.model).map(|s| s.stage());
    let Some(step) = Decision::parse(field(&pairs, "action"))
        .zip(stage.ok())
        .and_then(|(decision, stage)| workflow::step_for(stage, actor, decision))
    else {
        return see_other(&format!("/dossiers/{}?notice=not_allowed", loaded.model.id));
    };
    let done = match step {
        Step::EmployerApprove => "approved",
        Step::CommitteeAccept => "accepted",
        Step::EndPublicity => "publicity_ended",
        Step::EmployerReturn | Step::CommitteeReturn | Step::Submit => "returned",
    };
    let action = Action::of(step, reasons);
    let procedure = procedure(&state, &loaded.model).await;
    let result = dossiers::transition(
        &state.db,
        loaded.model.id,
        version,
        actor,
        &authed.label(),
        action,
        state.clock.today(),
        procedure,
        &state.calendar,
        None,
    )
    .await;
    let id = loaded.model.id;
    match result {
        Ok(_) => see_other(&format!("/dossiers/{id}?notice={done}")),
        Err(DossierError::Workflow(workflow::WorkflowError::ReasonsRequired)) => {
            // Back on the dossier's own page (the form posted to `/decision`, which is no
            // page), with the problem beside the first reason field and what was typed kept.
            let problem = FieldProblem::new("reason_full_name", P::ErrReasonsRequired);
            let mut parts = parts;
            if let Ok(uri) = format!("/dossiers/{id}").parse() {
                parts.uri = uri;
            }
            match page_data(&state, &loaded, None, None, vec![problem]).await {
                Ok(data) => render(&state, parts, data, StatusCode::UNPROCESSABLE_ENTITY).await,
                Err(e) => internal(e),
            }
        }
        Err(DossierError::Workflow(workflow::WorkflowError::PublicityNotOver { .. })) => {
            see_other(&format!("/dossiers/{id}?notice=publicity_not_over"))
        }
        Err(DossierError::Workflow(workflow::WorkflowError::Calendar(_))) => {
            see_other(&format!("/dossiers/{id}?notice=calendar"))
        }
        Err(DossierError::Workflow(_)) => see_other(&format!("/dossiers/{id}?notice=not_allowed")),
        Err(DossierError::Conflict { .. }) => see_other(&format!("/dossiers/{id}?notice=conflict")),
        Err(e) => internal(e),
    }
}

/// `GET /dossiers/{id}/attachments/{attachment}`: streamed, as a download.
pub async fn download(
    State(state): State<AppState>,
    authed: Option<Extension<Authed>>,
    Path((id, attachment)): Path<(String, String)>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let (authed, loaded) = match open(&state, authed, &parts, &id, Access::Read).await {
        Ok(opened) => opened,
        Err(r) => return *r,
    };
    let Ok(attachment) = attachment.parse::<i64>() else {
        return not_found(&state, parts).await;
    };
    let model = match store::attachments::get(&state.db, loaded.model.id, attachment).await {
        Ok(Some(m)) => m,
        Ok(None) => return not_found(&state, parts).await,
        Err(e) => return internal(e),
    };
    if loaded.model.owner_id != authed.account_id {
        if let Err(e) = dossiers::record_read(&state.db, loaded.model.id, &authed.label()).await {
            return internal(e);
        }
    }
    let file =
        match tokio::fs::File::open(store::attachments::path_of(&state.upload_dir, &model)).await {
            Ok(f) => f,
            Err(e) => return internal(e),
        };
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        app::components::layout::encode_component(&store::attachments::download_name(
            &model.original_name,
            &model.content_type
        ))
    );
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&model.content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// `POST /test/clock` (only with `GUANTONG_TEST_CLOCK=true`): `date=YYYY-MM-DD` pins the
/// server's day, `days=N` moves it (a publicity period can run out), `reset=1` goes back to the
/// real day. Answers the server's day.
pub async fn advance_clock(State(state): State<AppState>, body: Bytes) -> Response {
    let pairs = form_pairs(&body);
    let date = field(&pairs, "date");
    let today = if field(&pairs, "reset") == "1" {
        state.clock.set(app::check::today())
    } else if !date.is_empty() {
        match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
            Ok(day) => state.clock.set(day),
            Err(_) => {
                return (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "date: 不是有效日期（YYYY-MM-DD） / not a date (YYYY-MM-DD)",
                )
                    .into_response()
            }
        }
    } else {
        let days: i64 = field(&pairs, "days").parse().unwrap_or(0);
        state.clock.advance(days.clamp(-3660, 3660))
    };
    // What the background task would do at its next tick, at once, so tests need not wait.
    if let Err(e) = casework::publicity::end_due(&state.db, &state.calendar, today).await {
        return internal(e);
    }
    (StatusCode::OK, today.to_string()).into_response()
}
