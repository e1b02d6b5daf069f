//! One module per page; a page's server functions live beside it.

pub mod check;
pub mod check_result;
pub mod home;
pub mod not_found;
