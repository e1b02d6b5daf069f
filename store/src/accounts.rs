//! Accounts, roles, sessions and admin-issued password resets.
//!
//! Passwords are hashed with argon2id (PHC strings); session and reset tokens are random
//! 256-bit values of which only the SHA-256 is stored. Repeated failed logins lock an account
//! for a while; the limits are a [`LoginPolicy`] the server configures.

use std::collections::HashMap;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set, SqlErr, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::authz::{may_administer, Belonging};
use crate::entities::{account, dossier, organisation, password_reset, role_grant, session};
use crate::StoreError;

/// Limits on logins and sessions.
#[derive(Clone, Copy, Debug)]
pub struct LoginPolicy {
    /// Consecutive failures that lock the account.
    pub max_failures: i32,
    /// How long a locked account stays locked.
    pub lockout: Duration,
    /// How long a session lasts.
    pub session_ttl: Duration,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            max_failures: 5,
            lockout: Duration::minutes(15),
            session_ttl: Duration::days(7),
        }
    }
}

/// Why an account operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("username already taken")]
    UsernameTaken,
    /// Unknown username or wrong password: deliberately the same answer for both.
    #[error("invalid username or password")]
    InvalidCredentials,
    #[error("account locked until {until}")]
    Locked { until: DateTime<Utc> },
    #[error("reset link is unknown, used or expired")]
    ResetInvalid,
    #[error("password hashing failed")]
    Hashing,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for AccountError {
    fn from(e: sea_orm::DbErr) -> Self {
        AccountError::Store(StoreError::Db(e))
    }
}

/// A role and the scope it is held in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grant {
    pub role: String,
    pub scope_org: Option<String>,
    pub scope_committee: Option<String>,
    pub scope_region: Option<String>,
    pub scope_sector: Option<String>,
}

/// A fresh random token (hex) and the hash that is stored for it.
fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = token_hash(&token);
    (token, hash)
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| AccountError::Hashing)
}

fn password_matches(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Creates an account. The caller has already checked the username and password rules.
pub async fn register<C: ConnectionTrait>(
    conn: &C,
    username: &str,
    display_name: &str,
    password: &str,
) -> Result<account::Model, AccountError> {
    let model = account::ActiveModel {
        username: Set(username.to_owned()),
        display_name: Set(display_name.to_owned()),
        password_hash: Set(hash_password(password)?),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    match model.insert(conn).await {
        Ok(account) => Ok(account),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(AccountError::UsernameTaken)
        }
        Err(e) => Err(e.into()),
    }
}

/// Gives an account a role in a scope.
pub async fn grant<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    grant: Grant,
) -> Result<(), AccountError> {
    role_grant::ActiveModel {
        account_id: Set(account_id),
        role: Set(grant.role),
        scope_org: Set(grant.scope_org),
        scope_committee: Set(grant.scope_committee),
        scope_region: Set(grant.scope_region),
        scope_sector: Set(grant.scope_sector),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Every role an account holds.
pub async fn grants<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
) -> Result<Vec<Grant>, AccountError> {
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|g| Grant {
            role: g.role,
            scope_org: g.scope_org,
            scope_committee: g.scope_committee,
            scope_region: g.scope_region,
            scope_sector: g.scope_sector,
        })
        .collect())
}

/// Checks a password and opens a session, returning the cookie token. Counts failures and
/// locks the account after `policy.max_failures` of them in a row.
pub async fn login(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    policy: LoginPolicy,
    now: DateTime<Utc>,
) -> Result<(account::Model, String), AccountError> {
    let txn = db.begin().await?;
    let Some(account) = account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(&txn)
        .await?
    else {
        // Spend the same time as a real check so the answer does not reveal which usernames exist.
        let _ = password_matches(password, DUMMY_HASH);
        return Err(AccountError::InvalidCredentials);
    };
    if let Some(until) = account.locked_until.filter(|until| *until > now) {
        return Err(AccountError::Locked { until });
    }
    if !password_matches(password, &account.password_hash) {
        let failures = account.failed_logins + 1;
        let mut update = account.into_active_model();
        if failures >= policy.max_failures {
            let until = now + policy.lockout;
            update.failed_logins = Set(0);
            update.locked_until = Set(Some(until));
            update.update(&txn).await?;
            txn.commit().await?;
            return Err(AccountError::Locked { until });
        }
        update.failed_logins = Set(failures);
        update.update(&txn).await?;
        txn.commit().await?;
        return Err(AccountError::InvalidCredentials);
    }
    let mut update = account.clone().into_active_model();
    update.failed_logins = Set(0);
    update.locked_until = Set(None);
    let account = update.update(&txn).await?;
    let (token, hash) = new_token();
    session::ActiveModel {
        token_hash: Set(hash),
        account_id: Set(account.id),
        created_at: Set(now),
        expires_at: Set(now + policy.session_ttl),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok((account, token))
}

/// The account behind a session cookie, if the session exists and has not expired.
pub async fn session_account<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<account::Model>, AccountError> {
    let Some(session) = session::Entity::find_by_id(token_hash(token))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    if session.expires_at <= now {
        session::Entity::delete_by_id(session.token_hash)
            .exec(conn)
            .await?;
        return Ok(None);
    }
    Ok(account::Entity::find_by_id(session.account_id)
        .one(conn)
        .await?)
}

/// Ends a session.
pub async fn logout<C: ConnectionTrait>(conn: &C, token: &str) -> Result<(), AccountError> {
    session::Entity::delete_by_id(token_hash(token))
        .exec(conn)
        .await?;
    Ok(())
}

/// Issues a one-time reset token for an account (shown to the admin who asked for it).
pub async fn issue_reset<C: ConnectionTrait>(
    conn: &C,
    admin_id: i64,
    account_id: i64,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<String, AccountError> {
    let (token, hash) = new_token();
    password_reset::ActiveModel {
        token_hash: Set(hash),
        account_id: Set(account_id),
        issued_by: Set(admin_id),
        expires_at: Set(now + ttl),
        used_at: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(token)
}

/// Sets a new password with a reset token, which is then spent; every open session of the
/// account is closed and any lockout lifted.
pub async fn reset_password(
    db: &DatabaseConnection,
    token: &str,
    new_password: &str,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    let txn = db.begin().await?;
    let Some(reset) = password_reset::Entity::find_by_id(token_hash(token))
        .one(&txn)
        .await?
    else {
        return Err(AccountError::ResetInvalid);
    };
    if reset.used_at.is_some() || reset.expires_at <= now {
        return Err(AccountError::ResetInvalid);
    }
    let account_id = reset.account_id;
    let mut spent = reset.into_active_model();
    spent.used_at = Set(Some(now));
    spent.update(&txn).await?;
    let Some(account) = account::Entity::find_by_id(account_id).one(&txn).await? else {
        return Err(AccountError::ResetInvalid);
    };
    let mut update = account.into_active_model();
    update.password_hash = Set(hash_password(new_password)?);
    update.failed_logins = Set(0);
    update.locked_until = Set(None);
    update.update(&txn).await?;
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// One account.
pub async fn get<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<account::Model>, AccountError> {
    Ok(account::Entity::find_by_id(id).one(conn).await?)
}

/// Where each of `ids` belongs ([`Belonging`]): from its grants, the provinces of the
/// organisations they name, and the employers of its dossiers.
pub async fn belongings<C: ConnectionTrait>(
    conn: &C,
    ids: &[i64],
) -> Result<HashMap<i64, Belonging>, AccountError> {
    use sea_orm::QuerySelect;
    let regions: HashMap<String, String> = organisation::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.code, o.region))
        .collect();
    let mut out: HashMap<i64, Belonging> =
        ids.iter().map(|id| (*id, Belonging::default())).collect();
    for g in role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.is_in(ids.iter().copied()))
        .all(conn)
        .await?
    {
        if g.role == "applicant" {
            continue;
        }
        let place = g.scope_region.clone().or_else(|| {
            g.scope_org
                .iter()
                .chain(&g.scope_committee)
                .find_map(|code| regions.get(code).cloned())
        });
        let entry = out.entry(g.account_id).or_default();
        match place {
            Some(region) => {
                entry.role_regions.insert(region);
            }
            None => entry.unplaced_role = true,
        }
    }
    let owned: Vec<(i64, String)> = dossier::Entity::find()
        .select_only()
        .column(dossier::Column::OwnerId)
        .column(dossier::Column::Org)
        .filter(dossier::Column::OwnerId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    for (owner, org) in owned {
        if let Some(region) = regions.get(&org) {
            out.entry(owner)
                .or_default()
                .dossier_regions
                .insert(region.clone());
        }
    }
    Ok(out)
}

/// Whether the account with `admin` grants may administer account `id` (see
/// [`crate::authz::may_administer`]).
pub async fn administers<C: ConnectionTrait>(
    conn: &C,
    admin: &[Grant],
    id: i64,
) -> Result<bool, AccountError> {
    let belonging = belongings(conn, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    Ok(may_administer(admin, &belonging))
}

/// Accounts the holder of `admin` grants may administer whose username contains `text` (all
/// when empty), by username, at most `limit`, with their roles.
pub async fn search_administered<C: ConnectionTrait>(
    conn: &C,
    admin: &[Grant],
    text: &str,
    limit: u64,
) -> Result<Vec<(account::Model, Vec<String>)>, AccountError> {
    // Read a page at a time and keep those in reach, until `limit` are found.
    const PAGE: u64 = 200;
    let mut found = Vec::new();
    let mut offset = 0;
    loop {
        let page = search_page(conn, text, offset, PAGE).await?;
        let ids: Vec<i64> = page.iter().map(|(a, _)| a.id).collect();
        let belonging = belongings(conn, &ids).await?;
        let exhausted = (page.len() as u64) < PAGE;
        for row in page {
            if belonging
                .get(&row.0.id)
                .is_some_and(|b| may_administer(admin, b))
            {
                found.push(row);
                if found.len() as u64 == limit {
                    return Ok(found);
                }
            }
        }
        if exhausted {
            return Ok(found);
        }
        offset += PAGE;
    }
}

/// Accounts whose username contains `text` (all when empty), by username, with their roles.
pub async fn search<C: ConnectionTrait>(
    conn: &C,
    text: &str,
    limit: u64,
) -> Result<Vec<(account::Model, Vec<String>)>, AccountError> {
    search_page(conn, text, 0, limit).await
}

async fn search_page<C: ConnectionTrait>(
    conn: &C,
    text: &str,
    offset: u64,
    limit: u64,
) -> Result<Vec<(account::Model, Vec<String>)>, AccountError> {
    use sea_orm::{QueryOrder, QuerySelect};
    let mut query = account::Entity::find();
    if !text.is_empty() {
        query = query.filter(account::Column::Username.contains(text));
    }
    let found = query
        .order_by_asc(account::Column::Username)
        .order_by_asc(account::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await?;
    let ids: Vec<i64> = found.iter().map(|a| a.id).collect();
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.is_in(ids))
        .all(conn)
        .await?;
    Ok(found
        .into_iter()
        .map(|a| {
            let roles = grants
                .iter()
                .filter(|g| g.account_id == a.id)
                .map(|g| g.role.clone())
                .collect();
            (a, roles)
        })
        .collect())
}

/// An argon2id hash of a random password nobody knows, checked against when a username is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3dZr2sLzh2jT5DPHxq5NqsSXyzv0ZJdU5xPJdNOXvX0";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dummy_hash_for_unknown_users_parses_as_argon2id() {
        // A malformed constant would make unknown-user logins fast, revealing which usernames exist.
        let parsed = PasswordHash::new(DUMMY_HASH).expect("valid PHC string");
        assert_eq!(parsed.algorithm.as_str(), "argon2id");
        assert!(!password_matches("anything", DUMMY_HASH));
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a), hash_a);
        assert_ne!(a, hash_a);
    }
}
