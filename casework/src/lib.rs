//! The dossier domain: the commands the product performs on dossiers, each taking what it
//! needs (the database, the calendar, the day) and returning a typed result or an error enum.
//! No HTTP and no HTML here: `server` decodes a request, calls one command and renders or
//! redirects; `store` keeps the rows and the audit log; `rules` says what the policy says.
//!
//! Dependencies point one way: `server → casework → store, rules`.

pub mod publicity;
pub mod receipts;
pub mod validate;
