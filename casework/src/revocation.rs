//! Revocation for fraud (40号令: a title obtained by fraud — 弄虚作假 — is revoked, and the person
//! may not apply for `review_fraud_bar_years`). The provincial administrator of the issuing
//! committee's region revokes a certificate with a reason; in one transaction the certificate
//! is marked revoked (its public page says so from then on), the dossier moves to `revoked` in
//! the one table, the bar is written for the person — by account and by the keyed hash of the
//! ID number, so a new account with the same number is barred too — and the audit entry.
//! The self-check and every new submission of a title read the bar.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait};
use store::audit::{self, NewEntry};
use store::entities::{application_bar, certificate, committee as committee_row, dossier};
use store::workflow::{Action, Actor, Role, State};

use crate::commands::Desk;
use crate::dossier::Who;
use crate::results::{administers, step};
use crate::CaseError;

#[derive(Debug, thiserror::Error)]
pub enum RevokeError {
    /// Not a certificate of the administrator's region: answered like "not found".
    #[error("not found")]
    NotYours,
    #[error("a revocation needs its reason")]
    ReasonMissing,
    #[error("the certificate was revoked already")]
    AlreadyRevoked,
    #[error(transparent)]
    Case(#[from] CaseError),
}

case_error_from!(RevokeError);

/// A bar running: why, from when, and the first day the person may apply again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    pub certificate_number: String,
    pub reason: String,
    pub starts_on: NaiveDate,
    pub until: NaiveDate,
}

/// The regions `who` administers.
fn regions(who: &Who) -> Vec<String> {
    who.grants
        .iter()
        .filter(|g| g.role() == Some(Role::ProvincialAdmin))
        .filter_map(|g| g.scope_region.clone())
        .collect()
}

/// The certificate and the region of its committee, if `who` administers that region.
async fn of_admin(
    db: &store::Db,
    who: &Who,
    certificate_id: i64,
) -> Result<(certificate::Model, String), RevokeError> {
    let c = store::certificates::by_id(db, certificate_id)
        .await?
        .ok_or(RevokeError::NotYours)?;
    let region = committee_row::Entity::find_by_id(c.committee.clone())
        .one(db)
        .await?
        .map(|c| c.region)
        .ok_or(RevokeError::NotYours)?;
    if !administers(who, &region) {
        return Err(RevokeError::NotYours);
    }
    Ok((c, region))
}

/// The certificates issued by the committees of the administrator's regions, newest first;
/// `query` narrows them to a number, code or holder's name containing it.
pub async fn certificates(
    db: &store::Db,
    who: &Who,
    query: &str,
) -> Result<Vec<certificate::Model>, RevokeError> {
    let committees: Vec<String> = committee_row::Entity::find()
        .filter(committee_row::Column::Region.is_in(regions(who)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    Ok(store::certificates::of_committees(db, &committees, query).await?)
}

/// One certificate of the administrator's region, with the bar it started if revoked, and the
/// region.
pub async fn certificate(
    db: &store::Db,
    who: &Who,
    certificate_id: i64,
) -> Result<(certificate::Model, Option<application_bar::Model>, String), RevokeError> {
    let (c, region) = of_admin(db, who, certificate_id).await?;
    let bar = application_bar::Entity::find()
        .filter(application_bar::Column::CertificateId.eq(c.id))
        .one(db)
        .await?;
    Ok((c, bar, region))
}

/// The administrator revokes a valid certificate of their region for fraud, with the reason.
/// Returns the first day the person may apply again.
pub async fn revoke(
    desk: &Desk<'_>,
    who: &Who,
    certificate_id: i64,
    reason: &str,
) -> Result<NaiveDate, RevokeError> {
    let (c, region) = of_admin(desk.db, who, certificate_id).await?;
    let reason: String = reason
        .trim()
        .chars()
        .take(rules::limits::MAX_REASON_CHARS)
        .collect();
    if reason.is_empty() {
        return Err(RevokeError::ReasonMissing);
    }
    let row = dossier::Entity::find_by_id(c.dossier_id)
        .one(desk.db)
        .await?
        .ok_or(RevokeError::NotYours)?;
    let today = desk.book.today();
    let txn = desk.db.begin().await?;
    // The conditional update decides between two revocations at once: the second finds the
    // certificate no longer valid and writes nothing.
    if !store::certificates::revoke(&txn, c.id, today, &reason).await? {
        return Err(RevokeError::AlreadyRevoked);
    }
    let action = Action::RevokeCertificate {
        reason: reason.clone(),
    };
    let moved = step(
        desk,
        &txn,
        &row,
        Actor::ProvincialAdmin,
        who,
        action,
        &region,
    )
    .await?;
    let until = match serde_json::from_str::<State>(&moved.state_detail) {
        Ok(State::Revoked { barred_until, .. }) => barred_until,
        _ => return Err(RevokeError::NotYours),
    };
    store::bars::insert(
        &txn,
        store::bars::NewBar {
            owner_id: row.owner_id,
            id_number_index: row.id_number_index.as_deref(),
            certificate_id: c.id,
            dossier_id: row.id,
            reason: &reason,
            starts_on: today,
            until,
        },
    )
    .await?;
    audit::append(
        &txn,
        NewEntry {
            actor: who.label.clone(),
            action: "certificate.revoke".into(),
            subject_kind: "dossier".into(),
            subject_id: row.id.to_string(),
            from_state: None,
            to_state: None,
            detail: serde_json::json!({
                "certificate": c.id,
                "number": c.number,
                "reason": reason,
                "barred_until": until,
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(until)
}

async fn bar_of(
    db: &store::Db,
    owner_id: i64,
    mut indexes: Vec<String>,
    today: NaiveDate,
) -> Result<Option<Bar>, CaseError> {
    // The person's other dossiers name their ID number too (a bar follows the number).
    let own: Vec<Option<String>> = dossier::Entity::find()
        .select_only()
        .column(dossier::Column::IdNumberIndex)
        .filter(dossier::Column::OwnerId.eq(owner_id))
        .into_tuple()
        .all(db)
        .await?;
    indexes.extend(own.into_iter().flatten());
    indexes.sort();
    indexes.dedup();
    let Some(bar) = store::bars::active(db, owner_id, &indexes, today).await? else {
        return Ok(None);
    };
    let number = store::certificates::by_id(db, bar.certificate_id)
        .await?
        .map(|c| c.number)
        .unwrap_or_default();
    Ok(Some(Bar {
        certificate_number: number,
        reason: bar.reason,
        starts_on: bar.starts_on,
        until: bar.until,
    }))
}

/// The bar running today on the person of this account, if any.
pub async fn bar_of_account(
    db: &store::Db,
    account_id: i64,
    today: NaiveDate,
) -> Result<Option<Bar>, CaseError> {
    bar_of(db, account_id, Vec::new(), today).await
}

/// The bar running today on the person a dossier is for: its owner, or the ID number it names.
pub async fn bar_of_dossier(
    db: &store::Db,
    row: &dossier::Model,
    today: NaiveDate,
) -> Result<Option<Bar>, CaseError> {
    let indexes = row.id_number_index.iter().cloned().collect();
    bar_of(db, row.owner_id, indexes, today).await
}
