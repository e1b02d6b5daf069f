//! One module per page; a page's server functions live beside it. The account, dossier, review
//! and admin pages are rendered from data their route handler (server/src/web) loaded.

pub mod account;
pub mod admin;
pub mod ballot;
pub mod calendar;
pub mod certificates;
pub mod check;
pub mod check_result;
pub mod committees;
pub mod dossiers;
pub mod expert;
pub mod home;
pub mod not_found;
pub mod privacy;
pub mod record;
pub mod results;
pub mod review;
pub mod sessions;
