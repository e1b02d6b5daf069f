//! sea-orm entities, one module per table.

pub mod account;
pub mod application_bar;
pub mod assessment;
pub mod attachment;
pub mod attendance;
pub mod audit_entry;
pub mod ballot;
pub mod ballot_result;
pub mod ballot_urn;
pub mod ballot_voter;
pub mod calendar_year;
pub mod certificate;
pub mod committee;
pub mod dossier;
pub mod expert;
pub mod group_member;
pub mod objection;
pub mod organisation;
pub mod password_reset;
pub mod recusal;
pub mod review_group;
pub mod review_session;
pub mod role_grant;
pub mod rule_set_version;
pub mod session;
pub mod session_dossier;
