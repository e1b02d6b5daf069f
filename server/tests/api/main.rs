//! Server integration tests: one binary; each test spawns the application on port 0 with its
//! own fresh database, on SQLite and on PostgreSQL.

mod accounts;
mod crash;
mod eligibility;
mod helpers;
mod instances;
mod limits;
mod ops;
mod pii;
mod portal;
mod process;
mod robustness;
mod rulebook;
mod shell;
mod shutdown;
