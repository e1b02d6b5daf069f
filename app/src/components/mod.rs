//! Widgets shared by several pages.

pub mod layout;
pub mod verdict;
