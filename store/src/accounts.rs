//! Accounts, roles, sessions and admin-issued password resets.
//!
//! Passwords are hashed with argon2id (PHC strings); session and reset tokens are random
//! 256-bit values of which only the SHA-256 is stored. Repeated failed logins lock an account
//! for a while; the limits are a [`LoginPolicy`] the server configures. A session ends at its
//! absolute lifetime or after an idle timeout, whichever comes first; a password change or
//! reset and any change of roles end the account's sessions. Locks, reset links issued and used,
//! and password changes go into the audit log in the transaction that makes them.

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

use crate::audit::{self, NewEntry};
use crate::authz::{may_administer, reset_refusal, Belonging, ResetRefusal};
use crate::entities::{account, dossier, organisation, password_reset, role_grant, session};
use crate::StoreError;

/// Limits on logins and sessions.
#[derive(Clone, Copy, Debug)]
pub struct LoginPolicy {
    /// Consecutive failures that lock the account.
    pub max_failures: i32,
    /// How long a locked account stays locked.
    pub lockout: Duration,
    /// How long a session lasts at most, however busy (its absolute lifetime).
    pub session_ttl: Duration,
    /// A session unused for this long ends.
    pub idle_timeout: Duration,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            max_failures: 5,
            lockout: Duration::minutes(15),
            session_ttl: Duration::hours(12),
            idle_timeout: Duration::minutes(30),
        }
    }
}

/// How often a session's last use is written: at most once a minute, so a busy session does
/// not cost a write per request (the idle timeout is then exact to within a minute).
pub const TOUCH_EVERY: Duration = Duration::minutes(1);

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
    #[error("no reset link for this account: {0:?}")]
    ResetRefused(ResetRefusal),
    /// A password change whose session has ended meanwhile.
    #[error("the session has ended")]
    SessionEnded,
    #[error("password hashing failed")]
    Hashing,
    /// An account that has submitted a dossier, or holds a role besides applicant, is kept: the
    /// dossier is a record of the procedure, staff accounts are ended by an administrator.
    #[error("this account cannot be deleted by its holder")]
    NotDeletable,
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

impl Grant {
    /// The role, parsed from its stored code (`None` for a code this build does not know).
    pub fn role(&self) -> Option<crate::workflow::Role> {
        crate::workflow::Role::parse(&self.role)
    }
}

/// How an account is named as an actor in the audit log (the server labels the signed-in
/// account the same way).
pub fn label(account: &account::Model) -> String {
    format!("account:{}:{}", account.id, account.username)
}

/// An audit entry about an account.
fn account_entry(
    actor: String,
    action: &str,
    account_id: i64,
    detail: serde_json::Value,
) -> NewEntry {
    NewEntry {
        actor,
        action: action.to_owned(),
        subject_kind: "account".to_owned(),
        subject_id: account_id.to_string(),
        from_state: None,
        to_state: None,
        detail,
    }
}

/// Opens a session for an account and returns its cookie token.
async fn open_session<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    policy: LoginPolicy,
    now: DateTime<Utc>,
) -> Result<String, AccountError> {
    let (token, hash) = new_token();
    session::ActiveModel {
        token_hash: Set(hash),
        account_id: Set(account_id),
        created_at: Set(now),
        expires_at: Set(now + policy.session_ttl),
        last_seen_at: Set(Some(now)),
    }
    .insert(conn)
    .await?;
    Ok(token)
}

/// Ends every session of an account; returns how many there were.
async fn end_sessions<C: ConnectionTrait>(conn: &C, account_id: i64) -> Result<u64, AccountError> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(conn)
        .await?
        .rows_affected)
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

/// [`hash_password`] on tokio's blocking threads: argon2id takes tens of milliseconds of CPU,
/// which on the async workers would stall every other request of the server.
async fn hash_off(password: &str) -> Result<String, AccountError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| AccountError::Hashing)?
}

/// [`password_matches`] on tokio's blocking threads (see [`hash_off`]).
async fn matches_off(password: &str, phc: &str) -> bool {
    let (password, phc) = (password.to_owned(), phc.to_owned());
    tokio::task::spawn_blocking(move || password_matches(&password, &phc))
        .await
        .unwrap_or(false)
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
    let hash = hash_off(password).await?;
    insert_account(conn, username, display_name, hash).await
}

/// Creates a self-registered applicant's account holding the applicant role: both or neither,
/// so nobody is left with an account that may start no dossier. The consent to the privacy
/// notice of version `privacy_notice` is recorded in the audit log with it. The password is
/// hashed before the transaction opens (it takes tens of milliseconds).
pub async fn register_applicant(
    db: &DatabaseConnection,
    username: &str,
    display_name: &str,
    password: &str,
    privacy_notice: &str,
) -> Result<account::Model, AccountError> {
    let hash = hash_off(password).await?;
    let txn = db.begin().await?;
    let account = insert_account(&txn, username, display_name, hash).await?;
    let applicant = Grant {
        role: crate::workflow::Role::Applicant.code().to_owned(),
        ..Grant::default()
    };
    grant(&txn, account.id, applicant).await?;
    audit::append(
        &txn,
        NewEntry {
            actor: format!("account:{}:{}", account.id, account.username),
            action: "account.register".into(),
            subject_kind: "account".into(),
            subject_id: account.id.to_string(),
            from_state: None,
            to_state: None,
            detail: serde_json::json!({ "privacy_notice": privacy_notice }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(account)
}

/// Spends the time a registration's password hashing takes, for an answer that must take as
/// long as one that reached the database.
pub async fn hash_for_nothing(password: &str) {
    let _ = hash_off(password).await;
}

async fn insert_account<C: ConnectionTrait>(
    conn: &C,
    username: &str,
    display_name: &str,
    password_hash: String,
) -> Result<account::Model, AccountError> {
    let model = account::ActiveModel {
        username: Set(username.to_owned()),
        display_name: Set(display_name.to_owned()),
        password_hash: Set(password_hash),
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

/// Gives an account a role in a scope. Its open sessions end: whoever holds them signs in again
/// and gets a new session (a new id) carrying the new roles.
pub async fn grant<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    grant: Grant,
) -> Result<(), AccountError> {
    end_sessions(conn, account_id).await?;
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

/// Takes a role in a scope from an account. Answers whether it was held; if it was, the
/// account's open sessions end, as at a grant, so no session carries the old roles.
pub async fn revoke<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    grant: &Grant,
) -> Result<bool, AccountError> {
    let scoped = |column: role_grant::Column, value: &Option<String>| match value {
        Some(v) => column.eq(v.clone()),
        None => column.is_null(),
    };
    let gone = role_grant::Entity::delete_many()
        .filter(role_grant::Column::AccountId.eq(account_id))
        .filter(role_grant::Column::Role.eq(grant.role.clone()))
        .filter(scoped(role_grant::Column::ScopeOrg, &grant.scope_org))
        .filter(scoped(
            role_grant::Column::ScopeCommittee,
            &grant.scope_committee,
        ))
        .filter(scoped(role_grant::Column::ScopeRegion, &grant.scope_region))
        .filter(scoped(role_grant::Column::ScopeSector, &grant.scope_sector))
        .exec(conn)
        .await?
        .rows_affected;
    if gone > 0 {
        end_sessions(conn, account_id).await?;
    }
    Ok(gone > 0)
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

/// Checks a password and opens a session, returning the cookie token (always a new one). Counts
/// failures and locks the account after `policy.max_failures` of them in a row; the lock is
/// written to the audit log. A locked account costs the same password check as any other, so
/// the time taken does not tell a lock from a wrong password either.
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
        let _ = matches_off(password, DUMMY_HASH).await;
        return Err(AccountError::InvalidCredentials);
    };
    let matches = matches_off(password, &account.password_hash).await;
    if let Some(until) = account.locked_until.filter(|until| *until > now) {
        return Err(AccountError::Locked { until });
    }
    if !matches {
        // Counted in the database (`failed_logins + 1`), not from the row read above: two
        // instances (or two requests) failing at once each add theirs.
        let account_id = account.id;
        account::Entity::update_many()
            .col_expr(
                account::Column::FailedLogins,
                sea_orm::sea_query::ExprTrait::add(
                    sea_orm::sea_query::Expr::col(account::Column::FailedLogins),
                    1,
                ),
            )
            .filter(account::Column::Id.eq(account_id))
            .exec(&txn)
            .await?;
        let Some(counted) = account::Entity::find_by_id(account_id).one(&txn).await? else {
            return Err(AccountError::InvalidCredentials);
        };
        let failures = counted.failed_logins;
        if failures >= policy.max_failures {
            let until = now + policy.lockout;
            let mut update = counted.into_active_model();
            update.failed_logins = Set(0);
            update.locked_until = Set(Some(until));
            update.update(&txn).await?;
            audit::append(
                &txn,
                account_entry(
                    "system:sign-in".to_owned(),
                    "account.locked",
                    account_id,
                    serde_json::json!({ "failures": failures, "until": until.to_rfc3339() }),
                ),
            )
            .await?;
            txn.commit().await?;
            return Err(AccountError::Locked { until });
        }
        txn.commit().await?;
        return Err(AccountError::InvalidCredentials);
    }
    let mut update = account.clone().into_active_model();
    update.failed_logins = Set(0);
    update.locked_until = Set(None);
    let account = update.update(&txn).await?;
    let token = open_session(&txn, account.id, policy, now).await?;
    txn.commit().await?;
    Ok((account, token))
}

/// The account behind a session cookie, if the session exists, has not reached its absolute
/// end and has been used within `idle_timeout`. Using it moves its last use to `now`, written
/// at most every [`TOUCH_EVERY`].
pub async fn session_account<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    now: DateTime<Utc>,
    idle_timeout: Duration,
) -> Result<Option<account::Model>, AccountError> {
    // The session and its account in one query.
    let Some((session, account)) = session::Entity::find_by_id(token_hash(token))
        .find_also_related(account::Entity)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let last_seen = session.last_seen_at.unwrap_or(session.created_at);
    if session.expires_at <= now || last_seen + idle_timeout <= now {
        session::Entity::delete_by_id(session.token_hash)
            .exec(conn)
            .await?;
        return Ok(None);
    }
    if now - last_seen >= TOUCH_EVERY {
        session::Entity::update_many()
            .col_expr(
                session::Column::LastSeenAt,
                sea_orm::sea_query::Expr::value(Some(now)),
            )
            .filter(session::Column::TokenHash.eq(session.token_hash))
            .exec(conn)
            .await?;
    }
    Ok(account)
}

/// Changes the password of the account signed in with session `token`, after checking its
/// current password. Every session of the account ends, the current one included, and a new
/// session is opened in its place: its token is returned for the cookie. Audited.
pub async fn change_password(
    db: &DatabaseConnection,
    token: &str,
    current: &str,
    new_password: &str,
    policy: LoginPolicy,
    now: DateTime<Utc>,
) -> Result<String, AccountError> {
    let txn = db.begin().await?;
    let account = session_holder(&txn, token).await?;
    if !matches_off(current, &account.password_hash).await {
        return Err(AccountError::InvalidCredentials);
    }
    let actor = label(&account);
    let account_id = account.id;
    let mut update = account.into_active_model();
    update.password_hash = Set(hash_off(new_password).await?);
    update.update(&txn).await?;
    let ended = end_sessions(&txn, account_id).await?;
    let token = open_session(&txn, account_id, policy, now).await?;
    audit::append(
        &txn,
        account_entry(
            actor,
            "account.password_changed",
            account_id,
            serde_json::json!({ "other_sessions_ended": ended.saturating_sub(1) }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(token)
}

/// The holder deletes their own account (个人信息保护法 Art. 47), confirming with the password:
/// only an account that has applied nowhere — every dossier a draft never submitted, no role
/// but applicant. In one transaction its drafts and their attachments' rows, its sessions, its
/// grant and the account go, and `account.delete` is audited (the chain keeps the account's
/// label in the entries already written); the attachments' files are removed after the commit.
pub async fn delete_account(
    db: &DatabaseConnection,
    token: &str,
    password: &str,
    dir: &std::path::Path,
) -> Result<(), AccountError> {
    use crate::entities::attachment;
    let txn = db.begin().await?;
    let account = session_holder(&txn, token).await?;
    if !matches_off(password, &account.password_hash).await {
        return Err(AccountError::InvalidCredentials);
    }
    let id = account.id;
    let staff = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(id))
        .all(&txn)
        .await?
        .iter()
        .any(|g| crate::workflow::Role::parse(&g.role) != Some(crate::workflow::Role::Applicant));
    let dossiers = dossier::Entity::find()
        .filter(dossier::Column::OwnerId.eq(id))
        .all(&txn)
        .await?;
    let applied = dossiers
        .iter()
        .any(|d| d.state != crate::workflow::Stage::Draft.code() || d.receipt.is_some());
    if staff || applied {
        return Err(AccountError::NotDeletable);
    }
    let ids: Vec<i64> = dossiers.iter().map(|d| d.id).collect();
    let files = attachment::Entity::find()
        .filter(attachment::Column::DossierId.is_in(ids.clone()))
        .all(&txn)
        .await?;
    attachment::Entity::delete_many()
        .filter(attachment::Column::DossierId.is_in(ids.clone()))
        .exec(&txn)
        .await?;
    dossier::Entity::delete_many()
        .filter(dossier::Column::Id.is_in(ids.clone()))
        .exec(&txn)
        .await?;
    end_sessions(&txn, id).await?;
    role_grant::Entity::delete_many()
        .filter(role_grant::Column::AccountId.eq(id))
        .exec(&txn)
        .await?;
    password_reset::Entity::delete_many()
        .filter(password_reset::Column::AccountId.eq(id))
        .exec(&txn)
        .await?;
    let actor = label(&account);
    account::Entity::delete_by_id(id).exec(&txn).await?;
    let detail = serde_json::json!({ "drafts": ids.len(), "attachments": files.len() });
    audit::append(&txn, account_entry(actor, "account.delete", id, detail)).await?;
    txn.commit().await?;
    for file in &files {
        let _ = tokio::fs::remove_file(crate::attachments::path_of(dir, file)).await;
    }
    Ok(())
}

/// The account of the session `token` names, read in `conn` (a change's transaction).
async fn session_holder<C: ConnectionTrait>(
    conn: &C,
    token: &str,
) -> Result<account::Model, AccountError> {
    let session = session::Entity::find_by_id(token_hash(token))
        .one(conn)
        .await?
        .ok_or(AccountError::SessionEnded)?;
    account::Entity::find_by_id(session.account_id)
        .one(conn)
        .await?
        .ok_or(AccountError::SessionEnded)
}

/// Ends a session.
pub async fn logout<C: ConnectionTrait>(conn: &C, token: &str) -> Result<(), AccountError> {
    session::Entity::delete_by_id(token_hash(token))
        .exec(conn)
        .await?;
    Ok(())
}

/// Issues a one-time reset token for an account (shown to the admin who asked for it). Every
/// other link of the account not yet used stops working; the issue is audited (who, for whom).
/// Refused for the administrator's own account and for another provincial administrator
/// ([`crate::authz::reset_refusal`]); whether the account is in the administrator's province is
/// the caller's check ([`administers`]).
pub async fn issue_reset(
    db: &DatabaseConnection,
    admin_id: i64,
    account_id: i64,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<String, AccountError> {
    let txn = db.begin().await?;
    let Some(account) = account::Entity::find_by_id(account_id).one(&txn).await? else {
        return Err(AccountError::ResetInvalid);
    };
    if let Some(refusal) = reset_refusal(admin_id, account_id, &grants(&txn, account_id).await?) {
        return Err(AccountError::ResetRefused(refusal));
    }
    let actor = match account::Entity::find_by_id(admin_id).one(&txn).await? {
        Some(admin) => label(&admin),
        None => format!("account:{admin_id}"),
    };
    let revoked = revoke_resets(&txn, account_id, None).await?;
    let (token, hash) = new_token();
    let expires_at = now + ttl;
    password_reset::ActiveModel {
        token_hash: Set(hash),
        account_id: Set(account_id),
        issued_by: Set(admin_id),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::append(
        &txn,
        account_entry(
            actor,
            "account.reset_link_issued",
            account_id,
            serde_json::json!({
                "username": account.username,
                "issued_by": admin_id,
                "expires_at": expires_at.to_rfc3339(),
                "earlier_links_revoked": revoked,
            }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(token)
}

/// Withdraws the account's reset links not yet used (all but `keep`); returns how many.
async fn revoke_resets<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    keep: Option<&str>,
) -> Result<u64, AccountError> {
    let mut query = password_reset::Entity::delete_many()
        .filter(password_reset::Column::AccountId.eq(account_id))
        .filter(password_reset::Column::UsedAt.is_null());
    if let Some(keep) = keep {
        query = query.filter(password_reset::Column::TokenHash.ne(keep));
    }
    Ok(query.exec(conn).await?.rows_affected)
}

/// Sets a new password with a reset token, which is then spent, as is every other link of the
/// account; every open session of the account is closed and any lockout lifted. Audited.
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
    let issued_by = reset.issued_by;
    let revoked = revoke_resets(&txn, account_id, Some(&reset.token_hash)).await?;
    let mut spent = reset.into_active_model();
    spent.used_at = Set(Some(now));
    spent.update(&txn).await?;
    let Some(account) = account::Entity::find_by_id(account_id).one(&txn).await? else {
        return Err(AccountError::ResetInvalid);
    };
    let actor = label(&account);
    let mut update = account.into_active_model();
    update.password_hash = Set(hash_off(new_password).await?);
    update.failed_logins = Set(0);
    update.locked_until = Set(None);
    update.update(&txn).await?;
    let ended = end_sessions(&txn, account_id).await?;
    audit::append(
        &txn,
        account_entry(
            actor,
            "account.reset_link_used",
            account_id,
            serde_json::json!({
                "issued_by": issued_by,
                "sessions_ended": ended,
                "other_links_revoked": revoked,
            }),
        ),
    )
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
        if crate::workflow::Role::parse(&g.role) == Some(crate::workflow::Role::Applicant) {
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
