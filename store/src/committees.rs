//! Committees (评审委员会) and their expert pools (专家库): the rows and every change to them,
//! each written with its audit entry in the same transaction. A committee is also an
//! organisation (kind `committee`), created with it; an expert added to a pool gets the role
//! `expert` scoped to the committee if the account lacks it. The checks of what may be entered
//! are `casework::committee`'s; this module only keeps what it is given.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, SqlErr, TransactionTrait,
};
use serde_json::json;

use crate::accounts::{self, AccountError, Grant};
use crate::audit::{self, NewEntry};
use crate::entities::{account, committee, expert, organisation, role_grant};
use crate::workflow::Role;
use crate::StoreError;

/// Why a change to a committee or its pool was not made.
#[derive(Debug, thiserror::Error)]
pub enum CommitteeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A committee or organisation with that code exists already.
    #[error("the code {0} is taken")]
    CodeTaken(String),
    /// The account is in the committee's pool already.
    #[error("the account is in the pool already")]
    AlreadyInPool,
    /// No such committee or expert (in that committee).
    #[error("not found")]
    NotFound,
}

impl From<sea_orm::DbErr> for CommitteeError {
    fn from(e: sea_orm::DbErr) -> CommitteeError {
        CommitteeError::Store(StoreError::Db(e))
    }
}

impl From<AccountError> for CommitteeError {
    fn from(e: AccountError) -> CommitteeError {
        match e {
            AccountError::Store(s) => CommitteeError::Store(s),
            other => {
                CommitteeError::Store(StoreError::Db(sea_orm::DbErr::Custom(other.to_string())))
            }
        }
    }
}

/// A committee's record as entered (everything but its filing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitteeRecord {
    /// The committee's name (its organisation's name).
    pub name: String,
    pub organiser: String,
    pub series: String,
    /// Comma-separated tier codes.
    pub tiers: String,
    pub specialty: Option<String>,
    pub self_review: bool,
    /// Comma-separated organisation codes.
    pub entrusting: String,
}

/// A committee with its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub row: committee::Model,
    pub name: String,
}

fn entry(actor: &str, action: &str, kind: &str, id: &str, detail: serde_json::Value) -> NewEntry {
    NewEntry {
        actor: actor.to_owned(),
        action: action.to_owned(),
        subject_kind: kind.to_owned(),
        subject_id: id.to_owned(),
        from_state: None,
        to_state: None,
        detail,
    }
}

fn record_json(code: &str, region: &str, r: &CommitteeRecord) -> serde_json::Value {
    json!({
        "code": code,
        "region": region,
        "name": r.name,
        "organiser": r.organiser,
        "series": r.series,
        "tiers": r.tiers,
        "specialty": r.specialty,
        "self_review": r.self_review,
        "entrusting": r.entrusting,
    })
}

fn unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Creates a committee of `region` and its organisation row (kind `committee`), audited
/// `committee.create`.
pub async fn create(
    db: &DatabaseConnection,
    actor: &str,
    code: &str,
    region: &str,
    record: &CommitteeRecord,
    now: DateTime<Utc>,
) -> Result<committee::Model, CommitteeError> {
    let txn = db.begin().await?;
    if organisation::Entity::find_by_id(code.to_owned())
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(CommitteeError::CodeTaken(code.to_owned()));
    }
    let org = organisation::ActiveModel {
        code: Set(code.to_owned()),
        name: Set(record.name.clone()),
        kind: Set("committee".to_owned()),
        region: Set(region.to_owned()),
    };
    if let Err(e) = org.insert(&txn).await {
        return Err(if unique_violation(&e) {
            CommitteeError::CodeTaken(code.to_owned())
        } else {
            e.into()
        });
    }
    let row = committee::ActiveModel {
        code: Set(code.to_owned()),
        organiser: Set(record.organiser.clone()),
        region: Set(region.to_owned()),
        series: Set(record.series.clone()),
        tiers: Set(record.tiers.clone()),
        specialty: Set(record.specialty.clone()),
        self_review: Set(record.self_review),
        entrusting: Set(record.entrusting.clone()),
        filing_number: Set(None),
        filed_on: Set(None),
        filing_expires_on: Set(None),
        created_at: Set(now),
    };
    let row = match row.insert(&txn).await {
        Ok(row) => row,
        Err(e) if unique_violation(&e) => return Err(CommitteeError::CodeTaken(code.to_owned())),
        Err(e) => return Err(e.into()),
    };
    audit::append(
        &txn,
        entry(
            actor,
            "committee.create",
            "committee",
            code,
            record_json(code, region, record),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Changes a committee's record (its name too), audited `committee.update` with before and
/// after.
pub async fn update(
    db: &DatabaseConnection,
    actor: &str,
    code: &str,
    record: &CommitteeRecord,
) -> Result<committee::Model, CommitteeError> {
    let txn = db.begin().await?;
    let Some(before) = committee::Entity::find_by_id(code.to_owned())
        .one(&txn)
        .await?
    else {
        return Err(CommitteeError::NotFound);
    };
    let Some(org) = organisation::Entity::find_by_id(code.to_owned())
        .one(&txn)
        .await?
    else {
        return Err(CommitteeError::NotFound);
    };
    let before_json = record_json(
        code,
        &before.region,
        &CommitteeRecord {
            name: org.name.clone(),
            organiser: before.organiser.clone(),
            series: before.series.clone(),
            tiers: before.tiers.clone(),
            specialty: before.specialty.clone(),
            self_review: before.self_review,
            entrusting: before.entrusting.clone(),
        },
    );
    let region = before.region.clone();
    let mut org: organisation::ActiveModel = org.into();
    org.name = Set(record.name.clone());
    org.update(&txn).await?;
    let mut row: committee::ActiveModel = before.into();
    row.organiser = Set(record.organiser.clone());
    row.series = Set(record.series.clone());
    row.tiers = Set(record.tiers.clone());
    row.specialty = Set(record.specialty.clone());
    row.self_review = Set(record.self_review);
    row.entrusting = Set(record.entrusting.clone());
    let row = row.update(&txn).await?;
    audit::append(
        &txn,
        entry(
            actor,
            "committee.update",
            "committee",
            code,
            json!({ "before": before_json, "after": record_json(code, &region, record) }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Records a committee's filing (核准备案), replacing any earlier one; audited
/// `committee.file` with the earlier filing.
pub async fn file(
    db: &DatabaseConnection,
    actor: &str,
    code: &str,
    number: &str,
    filed_on: NaiveDate,
    expires_on: NaiveDate,
) -> Result<committee::Model, CommitteeError> {
    let txn = db.begin().await?;
    let Some(before) = committee::Entity::find_by_id(code.to_owned())
        .one(&txn)
        .await?
    else {
        return Err(CommitteeError::NotFound);
    };
    let earlier = json!({
        "number": before.filing_number,
        "filed_on": before.filed_on,
        "expires_on": before.filing_expires_on,
    });
    let mut row: committee::ActiveModel = before.into();
    row.filing_number = Set(Some(number.to_owned()));
    row.filed_on = Set(Some(filed_on));
    row.filing_expires_on = Set(Some(expires_on));
    let row = row.update(&txn).await?;
    audit::append(
        &txn,
        entry(
            actor,
            "committee.file",
            "committee",
            code,
            json!({
                "number": number,
                "filed_on": filed_on,
                "expires_on": expires_on,
                "earlier": earlier,
            }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

async fn names<C: ConnectionTrait>(
    conn: &C,
    codes: Vec<String>,
) -> Result<HashMap<String, String>, StoreError> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Code.is_in(codes))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.code, o.name))
        .collect())
}

/// The committees of `region` (all when `None`), by code, with their names.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    region: Option<&str>,
) -> Result<Vec<Named>, StoreError> {
    let mut query = committee::Entity::find().order_by_asc(committee::Column::Code);
    if let Some(region) = region {
        query = query.filter(committee::Column::Region.eq(region));
    }
    let rows = query.all(conn).await?;
    let names = names(conn, rows.iter().map(|r| r.code.clone()).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|row| Named {
            name: names.get(&row.code).cloned().unwrap_or_default(),
            row,
        })
        .collect())
}

/// One committee with its name.
pub async fn get<C: ConnectionTrait>(conn: &C, code: &str) -> Result<Option<Named>, StoreError> {
    let Some(row) = committee::Entity::find_by_id(code.to_owned())
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let name = organisation::Entity::find_by_id(code.to_owned())
        .one(conn)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    Ok(Some(Named { row, name }))
}

/// An expert as the store keeps them: the account already found from its username.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpertRecord {
    pub account_id: i64,
    pub name: String,
    pub unit: String,
    pub series: String,
    pub specialty: String,
    pub title_level: String,
    pub high_skill: bool,
    pub duty: String,
    pub term_from: NaiveDate,
    pub term_to: NaiveDate,
    pub active: bool,
}

fn expert_json(r: &ExpertRecord) -> serde_json::Value {
    json!({
        "account_id": r.account_id,
        "name": r.name,
        "unit": r.unit,
        "series": r.series,
        "specialty": r.specialty,
        "title_level": r.title_level,
        "high_skill": r.high_skill,
        "duty": r.duty,
        "term_from": r.term_from,
        "term_to": r.term_to,
        "active": r.active,
    })
}

fn model_record(m: &expert::Model) -> ExpertRecord {
    ExpertRecord {
        account_id: m.account_id,
        name: m.name.clone(),
        unit: m.unit.clone(),
        series: m.series.clone(),
        specialty: m.specialty.clone(),
        title_level: m.title_level.clone(),
        high_skill: m.high_skill,
        duty: m.duty.clone(),
        term_from: m.term_from,
        term_to: m.term_to,
        active: m.active,
    }
}

/// Gives the account the role `expert` scoped to `committee` unless it holds it.
async fn ensure_expert_role<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    committee: &str,
) -> Result<bool, CommitteeError> {
    let held = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account_id))
        .filter(role_grant::Column::Role.eq(Role::Expert.code()))
        .filter(role_grant::Column::ScopeCommittee.eq(committee))
        .one(conn)
        .await?
        .is_some();
    if !held {
        accounts::grant(
            conn,
            account_id,
            Grant {
                role: Role::Expert.code().to_owned(),
                scope_committee: Some(committee.to_owned()),
                ..Grant::default()
            },
        )
        .await?;
    }
    Ok(!held)
}

/// Takes the role `expert` scoped to `committee` from the account, if it holds it.
async fn revoke_expert_role<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    committee: &str,
) -> Result<bool, CommitteeError> {
    Ok(accounts::revoke(
        conn,
        account_id,
        &Grant {
            role: Role::Expert.code().to_owned(),
            scope_committee: Some(committee.to_owned()),
            ..Grant::default()
        },
    )
    .await?)
}

/// The committee's `expert` role follows an entry in and out of service: taken when it goes
/// out, given again when it comes back.
async fn role_follows<C: ConnectionTrait>(
    conn: &C,
    was_active: bool,
    row: &expert::Model,
    committee: &str,
) -> Result<(), CommitteeError> {
    match (was_active, row.active) {
        (true, false) => {
            revoke_expert_role(conn, row.account_id, committee).await?;
        }
        (false, true) => {
            ensure_expert_role(conn, row.account_id, committee).await?;
        }
        _ => {}
    }
    Ok(())
}

async fn insert_expert<C: ConnectionTrait>(
    conn: &C,
    committee: &str,
    r: &ExpertRecord,
    now: DateTime<Utc>,
) -> Result<expert::Model, CommitteeError> {
    let row = expert::ActiveModel {
        committee: Set(committee.to_owned()),
        account_id: Set(r.account_id),
        name: Set(r.name.clone()),
        unit: Set(r.unit.clone()),
        series: Set(r.series.clone()),
        specialty: Set(r.specialty.clone()),
        title_level: Set(r.title_level.clone()),
        high_skill: Set(r.high_skill),
        duty: Set(r.duty.clone()),
        term_from: Set(r.term_from),
        term_to: Set(r.term_to),
        active: Set(r.active),
        updated_at: Set(now),
        ..Default::default()
    };
    match row.insert(conn).await {
        Ok(m) => Ok(m),
        Err(e) if unique_violation(&e) => Err(CommitteeError::AlreadyInPool),
        Err(e) => Err(e.into()),
    }
}

fn apply(row: expert::Model, r: &ExpertRecord, now: DateTime<Utc>) -> expert::ActiveModel {
    let mut row: expert::ActiveModel = row.into();
    row.name = Set(r.name.clone());
    row.unit = Set(r.unit.clone());
    row.series = Set(r.series.clone());
    row.specialty = Set(r.specialty.clone());
    row.title_level = Set(r.title_level.clone());
    row.high_skill = Set(r.high_skill);
    row.duty = Set(r.duty.clone());
    row.term_from = Set(r.term_from);
    row.term_to = Set(r.term_to);
    row.active = Set(r.active);
    row.updated_at = Set(now);
    row
}

async fn in_pool<C: ConnectionTrait>(
    conn: &C,
    committee: &str,
    account_id: i64,
) -> Result<Option<expert::Model>, StoreError> {
    Ok(expert::Entity::find()
        .filter(expert::Column::Committee.eq(committee))
        .filter(expert::Column::AccountId.eq(account_id))
        .one(conn)
        .await?)
}

/// Adds an expert to a committee's pool (and the role `expert` there if the account lacks it),
/// audited `expert.add`.
pub async fn add_expert(
    db: &DatabaseConnection,
    actor: &str,
    committee: &str,
    record: &ExpertRecord,
    now: DateTime<Utc>,
) -> Result<expert::Model, CommitteeError> {
    let txn = db.begin().await?;
    if committee::Entity::find_by_id(committee.to_owned())
        .one(&txn)
        .await?
        .is_none()
    {
        return Err(CommitteeError::NotFound);
    }
    if in_pool(&txn, committee, record.account_id).await?.is_some() {
        return Err(CommitteeError::AlreadyInPool);
    }
    let row = insert_expert(&txn, committee, record, now).await?;
    let granted = ensure_expert_role(&txn, record.account_id, committee).await?;
    let mut detail = expert_json(record);
    detail["committee"] = json!(committee);
    detail["role_granted"] = json!(granted);
    audit::append(
        &txn,
        entry(actor, "expert.add", "expert", &row.id.to_string(), detail),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Changes an expert of `committee` (the account stays), audited `expert.update` with before
/// and after. An expert of another committee is [`CommitteeError::NotFound`].
pub async fn update_expert(
    db: &DatabaseConnection,
    actor: &str,
    committee: &str,
    id: i64,
    record: &ExpertRecord,
    now: DateTime<Utc>,
) -> Result<expert::Model, CommitteeError> {
    let txn = db.begin().await?;
    let before = expert_of(&txn, committee, id)
        .await?
        .ok_or(CommitteeError::NotFound)?;
    let before_json = expert_json(&model_record(&before));
    let record = ExpertRecord {
        account_id: before.account_id,
        ..record.clone()
    };
    let was_active = before.active;
    let row = apply(before, &record, now).update(&txn).await?;
    role_follows(&txn, was_active, &row, committee).await?;
    audit::append(
        &txn,
        entry(
            actor,
            "expert.update",
            "expert",
            &id.to_string(),
            json!({ "committee": committee, "before": before_json, "after": expert_json(&record) }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Takes an expert of `committee` out of service (kept in the pool, never drawn), audited
/// `expert.deactivate`.
pub async fn deactivate_expert(
    db: &DatabaseConnection,
    actor: &str,
    committee: &str,
    id: i64,
    now: DateTime<Utc>,
) -> Result<expert::Model, CommitteeError> {
    let txn = db.begin().await?;
    let before = expert_of(&txn, committee, id)
        .await?
        .ok_or(CommitteeError::NotFound)?;
    let was_active = before.active;
    let account_id = before.account_id;
    let mut row: expert::ActiveModel = before.into();
    row.active = Set(false);
    row.updated_at = Set(now);
    let row = row.update(&txn).await?;
    // Out of service is out of the workspace too: the committee's `expert` role goes with it.
    let role_revoked = revoke_expert_role(&txn, account_id, committee).await?;
    audit::append(
        &txn,
        entry(
            actor,
            "expert.deactivate",
            "expert",
            &id.to_string(),
            json!({ "committee": committee, "was_active": was_active, "role_revoked": role_revoked }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// One expert of `committee` (`None` for an expert of another committee too).
pub async fn expert_of<C: ConnectionTrait>(
    conn: &C,
    committee: &str,
    id: i64,
) -> Result<Option<expert::Model>, StoreError> {
    Ok(expert::Entity::find_by_id(id)
        .filter(expert::Column::Committee.eq(committee))
        .one(conn)
        .await?)
}

/// A committee's experts, by name then id.
pub async fn experts<C: ConnectionTrait>(
    conn: &C,
    committee: &str,
) -> Result<Vec<expert::Model>, StoreError> {
    Ok(expert::Entity::find()
        .filter(expert::Column::Committee.eq(committee))
        .order_by_asc(expert::Column::Name)
        .order_by_asc(expert::Column::Id)
        .all(conn)
        .await?)
}

/// The usernames of `ids`.
pub async fn usernames<C: ConnectionTrait>(
    conn: &C,
    ids: Vec<i64>,
) -> Result<HashMap<i64, String>, StoreError> {
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.id, a.username))
        .collect())
}

/// The account ids of `usernames` that exist.
pub async fn account_ids<C: ConnectionTrait>(
    conn: &C,
    usernames: Vec<String>,
) -> Result<HashMap<String, i64>, StoreError> {
    Ok(account::Entity::find()
        .filter(account::Column::Username.is_in(usernames))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.username, a.id))
        .collect())
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    pub added: usize,
    pub updated: usize,
}

/// Stores the good rows of an imported file in one transaction: an account already in the
/// pool is updated, any other added (with the role `expert` there if it lacks it). One audit
/// entry `expert.import` names the file, what was added and updated, and the rows refused
/// (`rejected`, their line numbers), which the caller did not pass.
pub async fn import(
    db: &DatabaseConnection,
    actor: &str,
    committee: &str,
    file_name: &str,
    records: &[ExpertRecord],
    rejected: &[usize],
    now: DateTime<Utc>,
) -> Result<Imported, CommitteeError> {
    let txn = db.begin().await?;
    if committee::Entity::find_by_id(committee.to_owned())
        .one(&txn)
        .await?
        .is_none()
    {
        return Err(CommitteeError::NotFound);
    }
    let mut existing: HashMap<i64, expert::Model> = experts(&txn, committee)
        .await?
        .into_iter()
        .map(|e| (e.account_id, e))
        .collect();
    let mut done = Imported::default();
    let mut added = Vec::new();
    let mut updated = Vec::new();
    for r in records {
        match existing.remove(&r.account_id) {
            Some(row) => {
                let was_active = row.active;
                let row = apply(row, r, now).update(&txn).await?;
                role_follows(&txn, was_active, &row, committee).await?;
                updated.push(row.id);
                existing.insert(r.account_id, row);
                done.updated += 1;
            }
            None => {
                let row = insert_expert(&txn, committee, r, now).await?;
                ensure_expert_role(&txn, r.account_id, committee).await?;
                added.push(row.id);
                existing.insert(r.account_id, row);
                done.added += 1;
            }
        }
    }
    audit::append(
        &txn,
        entry(
            actor,
            "expert.import",
            "committee",
            committee,
            json!({
                "file": file_name,
                "added": added,
                "updated": updated,
                "rejected_rows": rejected,
            }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(done)
}
