//! Widgets shared by several pages.

pub mod autosave;
pub mod form;
pub mod layout;
pub mod qr;
pub mod table;
pub mod verdict;
