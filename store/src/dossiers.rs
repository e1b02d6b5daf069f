//! Dossier persistence: create, save a draft, move through the workflow. Every write checks the
//! version the writer last saw (two people editing the same dossier cannot silently overwrite
//! each other) and writes its audit entry in the same transaction as the change.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use crate::audit::{self, NewEntry};
use crate::entities::dossier::{self, Entity as Dossier};
use crate::workflow::{self, Action, Actor, Procedure, State};
use crate::StoreError;

/// Why a dossier write was refused.
#[derive(Debug, thiserror::Error)]
pub enum DossierError {
    #[error("dossier not found")]
    NotFound,
    /// Someone saved the dossier after the writer loaded it.
    #[error(
        "the dossier was changed by someone else (now version {current}); reload and try again"
    )]
    Conflict { current: i32 },
    #[error("the dossier cannot be edited while it is {state}")]
    NotEditable { state: String },
    /// An export would hold more rows than it may.
    #[error("{total} dossiers match, more than the {limit} one export holds")]
    TooMany { total: u64, limit: u64 },
    /// The owner holds as many dossiers as an account may.
    #[error("the account holds {max} dossiers, the most one may")]
    OwnerLimit { max: u32 },
    #[error(transparent)]
    Workflow(#[from] workflow::WorkflowError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for DossierError {
    fn from(e: sea_orm::DbErr) -> Self {
        DossierError::Store(StoreError::Db(e))
    }
}

/// The fields a draft carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DraftFields {
    /// The employer (an organisation code); its region decides the rule set.
    pub org: String,
    /// The committee the dossier is addressed to (an organisation code).
    pub committee: String,
    pub full_name: String,
    /// Already checked with `rules::IdNumber`.
    pub id_number: String,
    pub occupation: String,
    pub current_post: String,
    pub target: Option<Target>,
    /// `rules::PersonInput` as JSON.
    pub answers: serde_json::Value,
    pub achievements: serde_json::Value,
}

/// What a dossier aims at: a route of the rule set, the level it leads to and, for a title, the
/// series it is sought in. Kept as columns (`target_route`, `target_level`, `target_series`) and
/// as the key `{route}` or `{route}:{series}` the queue's filter and the form's choice use; this
/// is the one place that key is read and written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Target {
    /// The route's key in the rule set (`skill_ladder.intermediate`).
    pub route: String,
    /// The title series (`engineering`), for a title target.
    pub series: Option<String>,
    /// The level the route leads to, where the rules name one.
    pub level: Option<String>,
}

impl Target {
    /// Reads a key (`{route}` or `{route}:{series}`); None for an empty one. The level is not in
    /// the key.
    pub fn parse(key: &str) -> Option<Target> {
        let key = key.trim();
        if key.is_empty() {
            return None;
        }
        let (route, series) = match key.split_once(':') {
            Some((route, series)) => (route, Some(series).filter(|s| !s.is_empty())),
            None => (key, None),
        };
        Some(Target {
            route: route.to_owned(),
            series: series.map(str::to_owned),
            level: None,
        })
    }

    /// The key.
    pub fn key(&self) -> String {
        match &self.series {
            Some(series) => format!("{}:{series}", self.route),
            None => self.route.clone(),
        }
    }

    /// The same route and series (whatever the level says).
    pub fn same_as(&self, other: &Target) -> bool {
        self.route == other.route && self.series == other.series
    }

    /// The target a row names: its columns, else (a row saved before they existed) its key.
    pub fn of(model: &dossier::Model) -> Option<Target> {
        match &model.target_route {
            Some(route) if !route.is_empty() => Some(Target {
                route: route.clone(),
                series: model.target_series.clone(),
                level: model.target_level.clone(),
            }),
            _ => model.target.as_deref().and_then(Target::parse),
        }
    }
}

fn state_json(state: &State) -> Result<String, DossierError> {
    serde_json::to_string(state)
        .map_err(|e| DossierError::Store(StoreError::Db(sea_orm::DbErr::Custom(e.to_string()))))
}

/// Reads the workflow state stored with a dossier.
pub fn state_of(model: &dossier::Model) -> Result<State, DossierError> {
    serde_json::from_str(&model.state_detail).map_err(|e| {
        DossierError::Store(StoreError::Db(sea_orm::DbErr::Custom(format!(
            "dossier state: {e}"
        ))))
    })
}

/// A row as the store's callers get it: its ID number opened (`crate::pii`).
fn opened(mut row: dossier::Model) -> Result<dossier::Model, DossierError> {
    row.id_number = crate::pii::keys()
        .open(&row.id_number)
        .map_err(StoreError::from)?;
    Ok(row)
}

fn all_opened(rows: Vec<dossier::Model>) -> Result<Vec<dossier::Model>, DossierError> {
    rows.into_iter().map(opened).collect()
}

/// Starts a draft for `owner`.
pub async fn create(
    db: &DatabaseConnection,
    owner_id: i64,
    fields: DraftFields,
) -> Result<dossier::Model, DossierError> {
    create_within(db, owner_id, fields, None).await
}

/// Starts a draft for `owner` unless they hold `max` dossiers already (whatever their states):
/// then [`DossierError::OwnerLimit`]. The count and the new row are one transaction that first
/// takes the owner's account row (a write lock on SQLite, a row lock on PostgreSQL), so starts
/// at the same moment count each other.
pub async fn create_within(
    db: &DatabaseConnection,
    owner_id: i64,
    fields: DraftFields,
    max: Option<u32>,
) -> Result<dossier::Model, DossierError> {
    let txn = db.begin().await?;
    if let Some(max) = max {
        use crate::entities::account;
        account::Entity::update_many()
            .col_expr(account::Column::Id, Expr::col(account::Column::Id))
            .filter(account::Column::Id.eq(owner_id))
            .exec(&txn)
            .await?;
        let held = Dossier::find()
            .filter(dossier::Column::OwnerId.eq(owner_id))
            .count(&txn)
            .await?;
        if held >= u64::from(max) {
            return Err(DossierError::OwnerLimit { max });
        }
    }
    let now = Utc::now();
    let model = dossier::ActiveModel {
        owner_id: Set(owner_id),
        org: Set(fields.org),
        committee: Set(fields.committee),
        state: Set(State::Draft.code().to_owned()),
        state_detail: Set(state_json(&State::Draft)?),
        version: Set(1),
        full_name: Set(fields.full_name),
        id_number: Set(crate::pii::keys().seal(&fields.id_number)),
        id_number_index: Set(crate::pii::keys().index(&fields.id_number)),
        occupation: Set(fields.occupation),
        current_post: Set(fields.current_post),
        target: Set(fields.target.as_ref().map(Target::key)),
        target_route: Set(fields.target.as_ref().map(|t| t.route.clone())),
        target_series: Set(fields.target.as_ref().and_then(|t| t.series.clone())),
        target_level: Set(fields.target.as_ref().and_then(|t| t.level.clone())),
        answers: Set(fields.answers.to_string()),
        achievements: Set(fields.achievements.to_string()),
        receipt: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::append(
        &txn,
        NewEntry {
            actor: format!("account:{owner_id}"),
            action: "dossier.create".into(),
            subject_kind: "dossier".into(),
            subject_id: model.id.to_string(),
            from_state: None,
            to_state: Some(State::Draft.code().into()),
            detail: serde_json::json!({}),
        },
    )
    .await?;
    txn.commit().await?;
    opened(model)
}

/// Saves a draft (autosave), provided nobody saved it since `expected_version`.
pub async fn save_draft(
    db: &DatabaseConnection,
    id: i64,
    expected_version: i32,
    fields: DraftFields,
) -> Result<dossier::Model, DossierError> {
    let txn = db.begin().await?;
    let current = Dossier::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DossierError::NotFound)?;
    if !state_of(&current)?.editable_by_applicant() {
        return Err(DossierError::NotEditable {
            state: current.state,
        });
    }
    let updated = Dossier::update_many()
        .col_expr(dossier::Column::Org, Expr::value(fields.org))
        .col_expr(dossier::Column::Committee, Expr::value(fields.committee))
        .col_expr(dossier::Column::FullName, Expr::value(fields.full_name))
        .col_expr(
            dossier::Column::IdNumberIndex,
            Expr::value(crate::pii::keys().index(&fields.id_number)),
        )
        .col_expr(
            dossier::Column::IdNumber,
            Expr::value(crate::pii::keys().seal(&fields.id_number)),
        )
        .col_expr(dossier::Column::Occupation, Expr::value(fields.occupation))
        .col_expr(
            dossier::Column::CurrentPost,
            Expr::value(fields.current_post),
        )
        .col_expr(
            dossier::Column::Target,
            Expr::value(fields.target.as_ref().map(Target::key)),
        )
        .col_expr(
            dossier::Column::TargetRoute,
            Expr::value(fields.target.as_ref().map(|t| t.route.clone())),
        )
        .col_expr(
            dossier::Column::TargetSeries,
            Expr::value(fields.target.as_ref().and_then(|t| t.series.clone())),
        )
        .col_expr(
            dossier::Column::TargetLevel,
            Expr::value(fields.target.as_ref().and_then(|t| t.level.clone())),
        )
        .col_expr(
            dossier::Column::Answers,
            Expr::value(fields.answers.to_string()),
        )
        .col_expr(
            dossier::Column::Achievements,
            Expr::value(fields.achievements.to_string()),
        )
        .col_expr(dossier::Column::Version, Expr::value(expected_version + 1))
        .col_expr(dossier::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(dossier::Column::Id.eq(id))
        .filter(dossier::Column::Version.eq(expected_version))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(DossierError::Conflict {
            current: current.version,
        });
    }
    let saved = Dossier::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DossierError::NotFound)?;
    txn.commit().await?;
    opened(saved)
}

/// Moves a dossier through the workflow and records who did it, in one transaction.
#[allow(clippy::too_many_arguments)]
pub async fn transition(
    db: &DatabaseConnection,
    id: i64,
    expected_version: i32,
    actor: Actor,
    actor_label: &str,
    action: Action,
    today: NaiveDate,
    procedure: Procedure,
    calendar: &rules::WorkCalendar,
    receipt: Option<serde_json::Value>,
) -> Result<dossier::Model, DossierError> {
    let txn = db.begin().await?;
    let saved = transition_in(
        &txn,
        id,
        expected_version,
        actor,
        actor_label,
        action,
        today,
        procedure,
        calendar,
        receipt,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// [`transition`] inside the caller's transaction, for a move written together with other
/// rows (a dossier put into a review session).
#[allow(clippy::too_many_arguments)]
pub async fn transition_in<C: ConnectionTrait>(
    txn: &C,
    id: i64,
    expected_version: i32,
    actor: Actor,
    actor_label: &str,
    action: Action,
    today: NaiveDate,
    procedure: Procedure,
    calendar: &rules::WorkCalendar,
    receipt: Option<serde_json::Value>,
) -> Result<dossier::Model, DossierError> {
    let current = Dossier::find_by_id(id)
        .one(txn)
        .await?
        .ok_or(DossierError::NotFound)?;
    if current.version != expected_version {
        return Err(DossierError::Conflict {
            current: current.version,
        });
    }
    let from = state_of(&current)?;
    let action_code = action.code();
    let to = workflow::transition(&from, actor, action, today, procedure, calendar)?;
    let mut update = Dossier::update_many()
        .col_expr(dossier::Column::State, Expr::value(to.code()))
        .col_expr(dossier::Column::StateDetail, Expr::value(state_json(&to)?))
        .col_expr(dossier::Column::Version, Expr::value(expected_version + 1))
        .col_expr(dossier::Column::UpdatedAt, Expr::value(Utc::now()));
    if let Some(receipt) = &receipt {
        update = update.col_expr(dossier::Column::Receipt, Expr::value(receipt.to_string()));
    }
    let updated = update
        .filter(dossier::Column::Id.eq(id))
        .filter(dossier::Column::Version.eq(expected_version))
        .exec(txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(DossierError::Conflict {
            current: current.version,
        });
    }
    audit::append(
        txn,
        NewEntry {
            actor: actor_label.to_owned(),
            action: action_code.into(),
            subject_kind: "dossier".into(),
            subject_id: id.to_string(),
            from_state: Some(from.code().into()),
            to_state: Some(to.code().into()),
            detail: serde_json::to_value(&to).unwrap_or_default(),
        },
    )
    .await?;
    let saved = Dossier::find_by_id(id)
        .one(txn)
        .await?
        .ok_or(DossierError::NotFound)?;
    opened(saved)
}

/// Records that someone other than the owner read a dossier.
pub async fn record_read(
    db: &DatabaseConnection,
    id: i64,
    reader_label: &str,
) -> Result<(), DossierError> {
    let txn = db.begin().await?;
    audit::append(
        &txn,
        NewEntry {
            actor: reader_label.to_owned(),
            action: "dossier.read".into(),
            subject_kind: "dossier".into(),
            subject_id: id.to_string(),
            from_state: None,
            to_state: None,
            detail: serde_json::json!({}),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// One dossier.
pub async fn get(db: &DatabaseConnection, id: i64) -> Result<Option<dossier::Model>, DossierError> {
    Dossier::find_by_id(id)
        .one(db)
        .await?
        .map(opened)
        .transpose()
}

/// Deletes a draft its owner never submitted, as of `version`: the row and its attachments'
/// rows in one transaction, audited `dossier.delete` (no personal information in the entry),
/// then the attachments' files. Anything but a draft is [`DossierError::NotEditable`] (a
/// submitted dossier belongs to the procedure); a stale version [`DossierError::Conflict`].
pub async fn delete_draft(
    db: &DatabaseConnection,
    dir: &std::path::Path,
    id: i64,
    version: i32,
    actor: &str,
) -> Result<(), DossierError> {
    use crate::entities::attachment;
    let txn = db.begin().await?;
    let row = Dossier::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DossierError::NotFound)?;
    // A withdrawn submission is a draft again but was submitted once (its receipt stays): it is
    // a record of the procedure, not a draft never submitted, and is kept.
    if row.state != workflow::Stage::Draft.code() || row.receipt.is_some() {
        return Err(DossierError::NotEditable { state: row.state });
    }
    if row.version != version {
        return Err(DossierError::Conflict {
            current: row.version,
        });
    }
    let files = attachment::Entity::find()
        .filter(attachment::Column::DossierId.eq(id))
        .all(&txn)
        .await?;
    attachment::Entity::delete_many()
        .filter(attachment::Column::DossierId.eq(id))
        .exec(&txn)
        .await?;
    Dossier::delete_by_id(id).exec(&txn).await?;
    audit::append(
        &txn,
        NewEntry {
            actor: actor.to_owned(),
            action: "dossier.delete".into(),
            subject_kind: "dossier".into(),
            subject_id: id.to_string(),
            from_state: Some(row.state),
            to_state: None,
            detail: serde_json::json!({ "version": version, "attachments": files.len() }),
        },
    )
    .await?;
    txn.commit().await?;
    for file in &files {
        let _ = tokio::fs::remove_file(crate::attachments::path_of(dir, file)).await;
    }
    Ok(())
}

/// Every dossier an applicant owns, newest first.
pub async fn list_for_owner(
    db: &DatabaseConnection,
    owner_id: i64,
) -> Result<Vec<dossier::Model>, DossierError> {
    all_opened(
        Dossier::find()
            .filter(dossier::Column::OwnerId.eq(owner_id))
            .order_by_desc(dossier::Column::UpdatedAt)
            .order_by_desc(dossier::Column::Id)
            .all(db)
            .await?,
    )
}

/// Whose queue: an employer's HR sees its organisation's submitted dossiers, a committee office
/// its committee's once the employer has approved them. Drafts are never in a queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueueScope {
    Employer(String),
    Committee(String),
}

/// Filters and the page of a queue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueQuery {
    /// A state code, or every state of the scope when `None`.
    pub state: Option<String>,
    /// Only the dossiers awaiting the queue's reviewer ([`awaiting`]).
    pub awaiting: bool,
    /// Part of the applicant's name, the dossier number, or a whole ID number.
    pub text: Option<String>,
    /// A target's whole key (`skill_ladder.intermediate:engineering`), matched exactly.
    pub target: Option<String>,
    /// From 0.
    pub page: u64,
    pub per_page: u64,
}

/// A page of a queue with its counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuePage {
    pub rows: Vec<dossier::Model>,
    /// Matching dossiers (all pages).
    pub total: u64,
    /// Dossiers per state in the scope, before the state filter (for the filter's counts).
    pub counts: Vec<(String, u64)>,
    /// The page shown, from 0 (the last one when the query asked for a page past it).
    pub page: u64,
}

fn scope_condition(scope: &QueueScope) -> sea_orm::Condition {
    // The stages each queue shows are the ones its role sees (`workflow::Role::sees`).
    let seen = |role| {
        workflow::stages_seen_by(role)
            .into_iter()
            .map(workflow::Stage::code)
    };
    let base = sea_orm::Condition::all();
    match scope {
        QueueScope::Employer(org) => base
            .add(dossier::Column::State.is_in(seen(workflow::Role::EmployerHr)))
            .add(dossier::Column::Org.eq(org.as_str())),
        QueueScope::Committee(c) => base
            .add(dossier::Column::State.is_in(seen(workflow::Role::CommitteeOffice)))
            .add(dossier::Column::Committee.eq(c.as_str())),
    }
}

/// Who works a queue, as the procedure's table names them.
fn reviewer_of(scope: &QueueScope) -> Actor {
    match scope {
        QueueScope::Employer(_) => Actor::EmployerHr,
        QueueScope::Committee(_) => Actor::CommitteeOffice,
    }
}

/// The stages in which a queue's dossiers await its reviewer: those in which the procedure's
/// table lets them approve (the employer's HR: submitted; the committee office: the formal
/// check).
pub fn awaiting(scope: &QueueScope) -> Vec<workflow::Stage> {
    let actor = reviewer_of(scope);
    workflow::Stage::ALL
        .into_iter()
        .filter(|stage| workflow::step_for(*stage, actor, workflow::Decision::Approve).is_some())
        .collect()
}

/// The day (the server's, Beijing) each of `rows` reached the stage in which it awaits its
/// reviewer: a submitted dossier on the day of its last submission (its receipt's), one in the
/// formal check on the day after its unit publicity ended (the period of its last approval);
/// any other row, or one whose day is not recorded, on the day of its last change.
pub async fn waiting_since(
    db: &DatabaseConnection,
    rows: &[dossier::Model],
) -> Result<std::collections::HashMap<i64, NaiveDate>, DossierError> {
    let checked: Vec<&dossier::Model> = rows
        .iter()
        .filter(|r| r.state == workflow::Stage::FormalCheck.code())
        .collect();
    // The publicity period each dossier in the formal check was approved for (the last one).
    let publicity_ended = publicity_ends(db, checked.into_iter()).await?;
    Ok(rows
        .iter()
        .map(|row| {
            let recorded = match workflow::Stage::parse(&row.state) {
                Some(workflow::Stage::Submitted) => submitted_on(row),
                Some(workflow::Stage::FormalCheck) => {
                    publicity_ended.get(&row.id).and_then(|d| d.succ_opt())
                }
                _ => None,
            };
            let changed = (row.updated_at + chrono::Duration::hours(8)).date_naive();
            (row.id, recorded.unwrap_or(changed))
        })
        .collect())
}

/// The last day of the unit publicity each of `rows` was last approved for (by the employer's
/// approval in the audit log), for those approved at least once.
pub async fn publicity_ends<'a>(
    db: &DatabaseConnection,
    rows: impl Iterator<Item = &'a dossier::Model>,
) -> Result<std::collections::HashMap<i64, NaiveDate>, DossierError> {
    use crate::entities::audit_entry;
    let ids: Vec<String> = rows.map(|r| r.id.to_string()).collect();
    let mut ends = std::collections::HashMap::new();
    // In slices, so a long export never builds one enormous `IN (…)`.
    for ids in ids.chunks(500) {
        let approvals = audit_entry::Entity::find()
            .filter(audit_entry::Column::SubjectKind.eq("dossier"))
            .filter(audit_entry::Column::SubjectId.is_in(ids.iter().cloned()))
            .filter(audit_entry::Column::Action.eq(Action::EmployerApprove.code()))
            .order_by_asc(audit_entry::Column::Id)
            .all(db)
            .await?;
        for entry in approvals {
            let detail = serde_json::from_str::<State>(&entry.detail).ok();
            if let (Some(State::UnitPublicity { ends_on }), Ok(id)) =
                (detail, entry.subject_id.parse::<i64>())
            {
                ends.insert(id, ends_on);
            }
        }
    }
    Ok(ends)
}

/// The day of a dossier's last submission, from its receipt (none before it was submitted).
pub fn submitted_on(row: &dossier::Model) -> Option<NaiveDate> {
    let receipt: serde_json::Value = serde_json::from_str(row.receipt.as_deref()?).ok()?;
    receipt
        .get("submitted_on")?
        .as_str()?
        .parse::<NaiveDate>()
        .ok()
}

/// The most rows one page of a queue holds.
pub const MAX_PAGE_ROWS: u64 = 500;

/// The scope's dossiers under the query's filters.
fn filtered_condition(scope: &QueueScope, query: &QueueQuery) -> sea_orm::Condition {
    let mut filtered = scope_condition(scope);
    if let Some(state) = &query.state {
        filtered = filtered.add(dossier::Column::State.eq(state.as_str()));
    }
    if query.awaiting {
        let stages = awaiting(scope).into_iter().map(workflow::Stage::code);
        filtered = filtered.add(dossier::Column::State.is_in(stages));
    }
    if let Some(text) = query
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let by_name = dossier::Column::FullName.contains(text);
        // A whole ID number is found by its keyed hash (the column itself is sealed).
        let by_id_number = rules::IdNumber::parse(&text.to_uppercase())
            .ok()
            .and_then(|_| crate::pii::keys().index(text));
        filtered = match (by_id_number, text.parse::<i64>()) {
            (Some(index), _) => filtered.add(dossier::Column::IdNumberIndex.eq(index)),
            (None, Ok(id)) => filtered.add(
                sea_orm::Condition::any()
                    .add(by_name)
                    .add(dossier::Column::Id.eq(id)),
            ),
            (None, Err(_)) => filtered.add(by_name),
        };
    }
    if let Some(target) = query.target.as_deref().filter(|t| !t.is_empty()) {
        filtered = filtered.add(dossier::Column::Target.eq(target));
    }
    filtered
}

/// A queue, filtered and paged on the server, oldest change first (first come, first served).
/// At most [`MAX_PAGE_ROWS`] a page; a page past the last one answers the last one.
pub async fn queue(
    db: &DatabaseConnection,
    scope: &QueueScope,
    query: &QueueQuery,
) -> Result<QueuePage, DossierError> {
    let per_page = query.per_page.clamp(1, MAX_PAGE_ROWS);
    let paginator = Dossier::find()
        .filter(filtered_condition(scope, query))
        .order_by_asc(dossier::Column::UpdatedAt)
        .order_by_asc(dossier::Column::Id)
        .paginate(db, per_page);
    let total = paginator.num_items().await?;
    // The offset of a page far past the end would overflow the database's integers.
    let page = query.page.min(total.div_ceil(per_page).saturating_sub(1));
    let rows = all_opened(paginator.fetch_page(page).await?)?;
    let counts: Vec<(String, i64)> = Dossier::find()
        .select_only()
        .column(dossier::Column::State)
        .column_as(dossier::Column::Id.count(), "n")
        .filter(scope_condition(scope))
        .group_by(dossier::Column::State)
        .order_by_asc(dossier::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    Ok(QueuePage {
        rows,
        total,
        page,
        counts: counts
            .into_iter()
            .map(|(s, n)| (s, n.max(0) as u64))
            .collect(),
    })
}

/// Every dossier of a queue under its filters (its page ignored), in the queue's order, read
/// [`MAX_PAGE_ROWS`] at a time; `Err(TooMany)` when more than `limit` match.
pub async fn export(
    db: &DatabaseConnection,
    scope: &QueueScope,
    query: &QueueQuery,
    limit: u64,
) -> Result<Vec<dossier::Model>, DossierError> {
    let paginator = Dossier::find()
        .filter(filtered_condition(scope, query))
        .order_by_asc(dossier::Column::UpdatedAt)
        .order_by_asc(dossier::Column::Id)
        .paginate(db, MAX_PAGE_ROWS);
    let total = paginator.num_items().await?;
    if total > limit {
        return Err(DossierError::TooMany { total, limit });
    }
    let mut rows = Vec::with_capacity(total as usize);
    for page in 0..total.div_ceil(MAX_PAGE_ROWS) {
        rows.extend(all_opened(paginator.fetch_page(page).await?)?);
    }
    Ok(rows)
}

/// The targets the scope's dossiers aim at (past draft), each once, for the queue's filter.
pub async fn queue_targets(
    db: &DatabaseConnection,
    scope: &QueueScope,
) -> Result<Vec<String>, DossierError> {
    let targets: Vec<Option<String>> = Dossier::find()
        .select_only()
        .column(dossier::Column::Target)
        .distinct()
        .filter(scope_condition(scope))
        .filter(dossier::Column::Target.is_not_null())
        .order_by_asc(dossier::Column::Target)
        .into_tuple()
        .all(db)
        .await?;
    Ok(targets.into_iter().flatten().collect())
}

/// Every dossier whose unit publicity is running (or has run and was not yet moved on).
pub async fn in_unit_publicity(
    db: &DatabaseConnection,
) -> Result<Vec<dossier::Model>, DossierError> {
    all_opened(
        Dossier::find()
            .filter(dossier::Column::State.eq(workflow::Stage::UnitPublicity.code()))
            .order_by_asc(dossier::Column::Id)
            .all(db)
            .await?,
    )
}

/// The audit trail of one dossier, oldest first (for its timeline).
pub async fn history(
    db: &DatabaseConnection,
    id: i64,
) -> Result<Vec<crate::entities::audit_entry::Model>, DossierError> {
    use crate::entities::audit_entry;
    Ok(audit_entry::Entity::find()
        .filter(audit_entry::Column::SubjectKind.eq("dossier"))
        .filter(audit_entry::Column::SubjectId.eq(id.to_string()))
        .filter(audit_entry::Column::Action.ne("dossier.read"))
        .order_by_asc(audit_entry::Column::Id)
        .all(db)
        .await?)
}

/// What others did to `owner_id`'s dossiers, newest first, at most `limit` entries: the steps
/// (`dossier.*`) whose actor is not the owner (the employer's, the office's, the system's, the
/// committee's), never a read. The owner's "what changed" list.
pub async fn news_of(
    db: &DatabaseConnection,
    owner_id: i64,
    limit: u64,
) -> Result<Vec<crate::entities::audit_entry::Model>, DossierError> {
    use crate::entities::audit_entry;
    let ids: Vec<i64> = Dossier::find()
        .select_only()
        .column(dossier::Column::Id)
        .filter(dossier::Column::OwnerId.eq(owner_id))
        .into_tuple()
        .all(db)
        .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(audit_entry::Entity::find()
        .filter(audit_entry::Column::SubjectKind.eq("dossier"))
        .filter(audit_entry::Column::SubjectId.is_in(ids.iter().map(i64::to_string)))
        .filter(audit_entry::Column::Action.starts_with("dossier."))
        .filter(audit_entry::Column::Action.ne("dossier.read"))
        .filter(audit_entry::Column::Actor.ne(format!("account:{owner_id}")))
        .filter(audit_entry::Column::Actor.not_like(format!("account:{owner_id}:%")))
        .order_by_desc(audit_entry::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// The applicants' names of the dossiers `ids` (only the two columns are read).
pub async fn full_names<C: ConnectionTrait>(
    conn: &C,
    ids: &[i64],
) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(Dossier::find()
        .select_only()
        .column(dossier::Column::Id)
        .column(dossier::Column::FullName)
        .filter(dossier::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<(i64, String)>()
        .all(conn)
        .await?)
}
