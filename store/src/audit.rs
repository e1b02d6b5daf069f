//! The append-only audit log: every entry is chained to the previous one by a SHA-256 hash, and
//! is written with the caller's connection so it commits (or rolls back) with the change it
//! records. `prev_hash` is unique, so two writers can never fork the chain: the loser's
//! transaction fails instead.

use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryOrder,
    QuerySelect, Set, Statement,
};
use sha2::{Digest, Sha256};

use crate::entities::audit_entry::{self, Entity as AuditEntry};
use crate::StoreError;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What the caller records; the log adds the time and the hashes.
#[derive(Clone, Debug)]
pub struct NewEntry {
    pub actor: String,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub detail: serde_json::Value,
}

/// Where the chain is broken, as `server audit verify` reports it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("audit entry {id} is broken: {problem}")]
pub struct BrokenChain {
    pub id: i64,
    pub problem: String,
}

/// The result of checking the whole chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verification {
    /// Every entry links to its predecessor and its hash matches its content.
    Intact { entries: u64 },
    /// The first entry that does not.
    Broken(BrokenChain),
}

/// The hash of an entry: SHA-256 over a canonical JSON array of its fields and its predecessor's hash.
pub fn entry_hash(prev_hash: &str, model: &audit_entry::Model) -> String {
    let canonical = serde_json::json!([
        prev_hash,
        model.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        model.actor,
        model.action,
        model.subject_kind,
        model.subject_id,
        model.from_state,
        model.to_state,
        model.detail,
    ]);
    let digest = Sha256::digest(canonical.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an entry using `conn`, which should be the transaction of the change being recorded.
pub async fn append<C: ConnectionTrait>(
    conn: &C,
    entry: NewEntry,
) -> Result<audit_entry::Model, StoreError> {
    let (prev_hash, at) = chain_head(conn).await?;
    let model = chained(entry, &prev_hash, at);
    Ok(active(model).insert(conn).await?)
}

/// Appends many entries at once (bulk loads such as demo data), chained in order.
pub async fn append_many<C: ConnectionTrait>(
    conn: &C,
    entries: Vec<NewEntry>,
) -> Result<u64, StoreError> {
    let (mut prev_hash, at) = chain_head(conn).await?;
    let count = entries.len() as u64;
    let mut rows = Vec::with_capacity(entries.len());
    for entry in entries {
        let model = chained(entry, &prev_hash, at);
        prev_hash.clone_from(&model.hash);
        rows.push(active(model));
    }
    // Inserted in chunks, in order: ids grow with the chain.
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(500).collect();
        AuditEntry::insert_many(chunk).exec(conn).await?;
    }
    Ok(count)
}

/// Takes the chain for this transaction and returns the last hash and the time to stamp.
async fn chain_head<C: ConnectionTrait>(
    conn: &C,
) -> Result<(String, chrono::DateTime<chrono::Utc>), StoreError> {
    if conn.get_database_backend() == DbBackend::Postgres {
        // Writers queue here instead of failing on the unique prev_hash; released at commit.
        conn.execute_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock(7317601)".to_owned(),
        ))
        .await?;
    }
    let prev_hash = AuditEntry::find()
        .order_by_desc(audit_entry::Column::Id)
        .limit(1)
        .one(conn)
        .await?
        .map(|last| last.hash)
        .unwrap_or_else(|| GENESIS.to_owned());
    // Stored with microsecond precision so the hash survives every backend's round trip.
    let now = chrono::Utc::now();
    let at = chrono::DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now);
    Ok((prev_hash, at))
}

/// The entry as stored, linked to `prev_hash` and carrying its own hash.
fn chained(
    entry: NewEntry,
    prev_hash: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> audit_entry::Model {
    let mut model = audit_entry::Model {
        id: 0,
        at,
        actor: entry.actor,
        action: entry.action,
        subject_kind: entry.subject_kind,
        subject_id: entry.subject_id,
        from_state: entry.from_state,
        to_state: entry.to_state,
        detail: entry.detail.to_string(),
        prev_hash: prev_hash.to_owned(),
        hash: String::new(),
    };
    model.hash = entry_hash(prev_hash, &model);
    model
}

fn active(model: audit_entry::Model) -> audit_entry::ActiveModel {
    audit_entry::ActiveModel {
        at: Set(model.at),
        actor: Set(model.actor),
        action: Set(model.action),
        subject_kind: Set(model.subject_kind),
        subject_id: Set(model.subject_id),
        from_state: Set(model.from_state),
        to_state: Set(model.to_state),
        detail: Set(model.detail),
        prev_hash: Set(model.prev_hash),
        hash: Set(model.hash),
        ..Default::default()
    }
}

/// The entries about one subject (e.g. `account` / `42`), oldest first.
pub async fn entries_about<C: ConnectionTrait>(
    conn: &C,
    subject_kind: &str,
    subject_id: &str,
) -> Result<Vec<audit_entry::Model>, StoreError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(AuditEntry::find()
        .filter(audit_entry::Column::SubjectKind.eq(subject_kind))
        .filter(audit_entry::Column::SubjectId.eq(subject_id))
        .order_by_asc(audit_entry::Column::Id)
        .all(conn)
        .await?)
}

/// Checks the whole chain in id order, a page at a time, and names the first broken entry.
pub async fn verify<C: ConnectionTrait>(conn: &C) -> Result<Verification, StoreError> {
    let mut expected_prev = GENESIS.to_owned();
    let mut checked = 0u64;
    let mut pages = AuditEntry::find()
        .order_by_asc(audit_entry::Column::Id)
        .paginate(conn, 1000);
    while let Some(page) = pages.fetch_and_next().await? {
        for entry in page {
            if entry.prev_hash != expected_prev {
                return Ok(Verification::Broken(BrokenChain {
                    id: entry.id,
                    problem: format!(
                        "links to {} but the previous entry's hash is {}",
                        short(&entry.prev_hash),
                        short(&expected_prev)
                    ),
                }));
            }
            let recomputed = entry_hash(&entry.prev_hash, &entry);
            if recomputed != entry.hash {
                return Ok(Verification::Broken(BrokenChain {
                    id: entry.id,
                    problem: "its content does not match its hash (edited after it was written)"
                        .to_owned(),
                }));
            }
            expected_prev = entry.hash;
            checked += 1;
        }
    }
    Ok(Verification::Intact { entries: checked })
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}
