//! sea-orm entities, one module per table.

pub mod account;
pub mod attachment;
pub mod audit_entry;
pub mod dossier;
pub mod organisation;
pub mod password_reset;
pub mod role_grant;
pub mod rule_set_version;
pub mod session;
