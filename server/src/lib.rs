//! The Guantong server: configuration, telemetry, the axum router (pages, REST API, health,
//! static assets) and start-up. `main.rs` is a thin CLI over this library so integration tests
//! can start the same application on port 0.

pub mod api;
pub use casework::clock;
pub mod config;
pub mod metrics;
pub mod ops;
pub mod routes;
pub mod security;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod web;

pub use config::Config;
pub use startup::Application;
pub use state::AppState;
