//! The dossier domain: the commands the product performs on dossiers, each taking what it
//! needs (the database, the calendar, the RuleBook) and returning a typed result or an error
//! enum. No HTTP and no HTML here: `server` decodes a request, calls one command and renders or
//! redirects; `store` keeps the rows and the audit log; `rules` says what the policy says.
//!
//! Dependencies point one way: `server → casework → store, rules`.

/// The two conversions every command's error enum with a `Case(CaseError)` variant takes, so
/// `?` works on the store's errors and on sea-orm's alike.
macro_rules! case_error_from {
    ($($error:ty),+ $(,)?) => {$(
        impl From<store::StoreError> for $error {
            fn from(e: store::StoreError) -> Self {
                Self::Case(crate::CaseError::Store(e))
            }
        }

        impl From<sea_orm::DbErr> for $error {
            fn from(e: sea_orm::DbErr) -> Self {
                Self::Case(crate::CaseError::from(e))
            }
        }
    )+};
}

pub mod appeals;
pub mod ballot;
pub mod calendar;
pub mod clock;
pub mod commands;
pub mod committee;
pub mod demo;
pub mod dossier;
pub mod draw;
pub mod pool;
pub mod pool_file;
pub mod publicity;
pub mod receipts;
pub mod record;
pub mod results;
pub mod revocation;
pub mod rulebook;
pub mod sessions;
pub mod validate;

/// What stops a command that is nobody's mistake: the store, a row that does not read, rules
/// that are not there. The web layer answers these with its error page (and logs them).
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Dossier(#[from] store::dossiers::DossierError),
    #[error(transparent)]
    Row(#[from] dossier::RowError),
    #[error(transparent)]
    Receipt(#[from] receipts::ReceiptError),
    #[error(transparent)]
    Attachment(#[from] store::attachments::AttachmentError),
    #[error("no rules are in force for region {0}")]
    NoRules(String),
    #[error("the rules in force lack the parameter {0}")]
    NoParameter(&'static str),
}

impl From<sea_orm::DbErr> for CaseError {
    fn from(e: sea_orm::DbErr) -> Self {
        CaseError::Store(store::StoreError::Db(e))
    }
}
