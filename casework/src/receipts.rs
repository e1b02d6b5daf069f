//! Receipts: what a submission keeps so its decision can be replayed years later. Every rule
//! set a receipt names is stored in `rule_set_version` (its resolved content as JSON, its hash,
//! its dates) the first time a receipt uses it; `verify` re-evaluates a dossier's stored input
//! against that stored version and says whether every outcome is the same.

use chrono::NaiveDate;
use rules::{PersonInput, ResolvedRuleSet};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use store::entities::rule_set_version;
use store::rule_sets::{self, NewRuleSetVersion};
use store::StoreError;

/// Why a receipt could not be built or checked.
#[derive(Debug, thiserror::Error)]
pub enum ReceiptError {
    #[error("dossier {0} not found")]
    NoDossier(i64),
    #[error("dossier {0} has no receipt (it was never submitted)")]
    NoReceipt(i64),
    #[error("the receipt of dossier {id} does not read: {why}")]
    Unreadable { id: i64, why: String },
    #[error("rule set version {hash} of region {region} is not stored")]
    NoVersion { region: String, hash: String },
    #[error("the stored rule set version {0} does not load: {1}")]
    BadVersion(i64, String),
    #[error("no rule set in force for region {region} on {day}: {why}")]
    NoRules {
        region: String,
        day: NaiveDate,
        why: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Dossier(#[from] store::dossiers::DossierError),
}

/// A receipt as read back: what [`build`] writes, typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub submitted_on: NaiveDate,
    pub inputs: ReceiptInputs,
    pub rule_set: ReceiptRuleSet,
    pub target: ReceiptTarget,
    /// Every outcome, as [`outcomes`] lists them.
    pub outcomes: Vec<Value>,
}

/// What the submission was decided on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceiptInputs {
    /// The self-check answers as a `/check` query string.
    pub answers: String,
    /// The target's key.
    pub target: String,
    /// The engine's input the answers became.
    pub person: PersonInput,
}

/// The stored rule set version the submission was decided under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptRuleSet {
    pub id: String,
    pub version: String,
    pub region: String,
    pub content_hash: String,
    /// The `rule_set_version` row (receipts written before versions were stored lack it).
    #[serde(default)]
    pub stored_version: Option<i64>,
}

/// The target and its status on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptTarget {
    pub key: String,
    /// `eligible`, `not_yet`, …; none when the rules offered no such route.
    pub status: Option<String>,
}

impl Receipt {
    /// Reads a stored receipt.
    pub fn read(value: &Value) -> Result<Receipt, serde_json::Error> {
        Receipt::deserialize(value)
    }
}

/// The stored row of the rule set `rules`, stored now if this is the first time it is used.
pub async fn keep_version(
    db: &store::Db,
    rules: &ResolvedRuleSet,
) -> Result<rule_set_version::Model, ReceiptError> {
    if let Some(row) = rule_sets::find(db, rules.region(), rules.content_hash()).await? {
        return Ok(row);
    }
    let r = rules.rule_set_ref();
    let source = serde_json::to_string(rules).map_err(|e| ReceiptError::Unreadable {
        id: 0,
        why: e.to_string(),
    })?;
    Ok(rule_sets::insert(
        db,
        NewRuleSetVersion {
            rule_set_id: r.id,
            version: r.version,
            region: rules.region().to_owned(),
            effective_from: r.effective_from,
            effective_to: None,
            source,
            content_hash: rules.content_hash().to_owned(),
        },
    )
    .await?)
}

/// Every outcome of `input` under `rules` on `day`, as a receipt lists them.
pub fn outcomes(rules: &ResolvedRuleSet, input: &PersonInput, day: NaiveDate) -> Vec<Value> {
    let Ok(person) = rules::Person::parse(input.clone(), day, rules) else {
        return Vec::new();
    };
    rules::evaluate(rules, &person, day)
        .summaries()
        .map(|s| {
            json!({
                "key": s.key,
                "route": s.route,
                "status": s.status,
                "earliest_on": s.earliest_on.map(|d| d.to_string()),
            })
        })
        .collect()
}

/// The receipt kept at submission: the inputs (the self-check answers as the person gave them,
/// and the engine's input they became), the stored rule set version, and every outcome.
pub fn build(
    rules: &ResolvedRuleSet,
    version: &rule_set_version::Model,
    answers_query: &str,
    input: &PersonInput,
    target: &str,
    day: NaiveDate,
) -> Value {
    let outcomes = outcomes(rules, input, day);
    let parsed = store::dossiers::Target::parse(target);
    let route = parsed.as_ref().map_or(target, |t| t.route.as_str());
    let target_status = outcomes
        .iter()
        .find(|o| o["key"] == route)
        .map(|o| o["status"].clone())
        .unwrap_or(Value::Null);
    let r = rules.rule_set_ref();
    json!({
        "submitted_on": day.to_string(),
        "inputs": { "answers": answers_query, "target": target, "person": input },
        "rule_set": {
            "id": r.id,
            "version": r.version,
            "region": rules.region(),
            "content_hash": rules.content_hash(),
            "stored_version": version.id,
        },
        "target": { "key": target, "status": target_status },
        "outcomes": outcomes,
    })
}

/// The receipts of the demo's dossiers (`store::demo::seed_with_receipts`): what [`build`]
/// makes for each under the rules in force for `region` on `day`, the version stored first.
pub async fn for_demo(
    db: &store::Db,
    registry: &rules::Registry,
    region: &str,
    day: NaiveDate,
) -> Result<impl Fn(store::demo::DemoDossier<'_>) -> Option<Value> + Send + Sync, ReceiptError> {
    let rules = registry
        .resolve(region, day)
        .map_err(|e| ReceiptError::NoRules {
            region: region.to_owned(),
            day,
            why: e.to_string(),
        })?;
    let version = keep_version(db, &rules).await?;
    Ok(move |dossier: store::demo::DemoDossier<'_>| {
        if dossier.region != rules.region() {
            return None;
        }
        // The stored answers hold the engine's input beside the form's own `check` string.
        let input: PersonInput = serde_json::from_value(dossier.answers.clone()).ok()?;
        let check = dossier
            .answers
            .get("check")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Some(build(&rules, &version, check, &input, dossier.target, day))
    })
}

/// What replaying a receipt found.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    pub dossier: i64,
    /// The stored version the receipt was replayed against.
    pub version: i64,
    pub recorded: Vec<Value>,
    pub replayed: Vec<Value>,
}

impl Replay {
    /// Whether every outcome is the same.
    pub fn identical(&self) -> bool {
        self.recorded == self.replayed
    }
}

/// Re-evaluates a dossier's stored input against the stored rule set version its receipt
/// names, on the day it was submitted.
pub async fn verify(db: &store::Db, dossier: i64) -> Result<Replay, ReceiptError> {
    let model = store::dossiers::get(db, dossier)
        .await?
        .ok_or(ReceiptError::NoDossier(dossier))?;
    let text = model.receipt.ok_or(ReceiptError::NoReceipt(dossier))?;
    let receipt: Receipt = serde_json::from_str(&text).map_err(|e| ReceiptError::Unreadable {
        id: dossier,
        why: e.to_string(),
    })?;
    let (region, hash) = (receipt.rule_set.region, receipt.rule_set.content_hash);
    let (day, input, recorded) = (
        receipt.submitted_on,
        receipt.inputs.person,
        receipt.outcomes,
    );
    let stored = rule_sets::find(db, &region, &hash)
        .await?
        .ok_or(ReceiptError::NoVersion { region, hash })?;
    let rules: ResolvedRuleSet = serde_json::from_str(&stored.source)
        .map_err(|e| ReceiptError::BadVersion(stored.id, e.to_string()))?;
    Ok(Replay {
        dossier,
        version: stored.id,
        replayed: outcomes(&rules, &input, day),
        recorded,
    })
}
