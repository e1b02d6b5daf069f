//! What every handler can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use casework::rulebook::RuleBook;
use leptos::prelude::LeptosOptions;
use store::Db as DatabaseConnection;

/// What every handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    /// This process's name among the instances serving the database (a lease's holder).
    #[from_ref(skip)]
    pub instance: Arc<str>,
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    /// Today, the rules and the working-day calendar in force: the registry and the calendar
    /// (each swapped while serving), the cache of resolved rule sets and the one clock.
    pub book: Arc<RuleBook>,
    pub secure_cookies: bool,
    pub started: Arc<std::time::Instant>,
    pub login_policy: store::accounts::LoginPolicy,
    pub login_limiter: crate::web::session::LoginLimiter,
    /// Where attachments are kept (outside the web root).
    pub upload_dir: Arc<std::path::PathBuf>,
    pub upload_limits: store::attachments::Limits,
    /// The most dossiers one account may hold (`GUANTONG_DOSSIERS_PER_ACCOUNT`).
    #[from_ref(skip)]
    pub dossiers_per_account: u32,
    /// Request, evaluation, pool and background-task figures (`GET /metrics`).
    pub metrics: crate::metrics::Metrics,
    /// The secret that opens `GET /metrics`; none: not served.
    #[from_ref(skip)]
    pub metrics_token: Option<std::sync::Arc<str>>,
    /// Whether `POST /test/clock` exists (end-to-end tests only).
    #[from_ref(skip)]
    pub test_clock: bool,
}

impl AppState {
    /// What the domain's commands need of the server.
    pub fn desk(&self) -> casework::commands::Desk<'_> {
        casework::commands::Desk {
            db: &self.db,
            upload_dir: &self.upload_dir,
            book: &self.book,
            dossiers_per_account: self.dossiers_per_account,
        }
    }

    /// The RuleBook as the pages ask it (`app` does not know `casework`).
    pub fn rule_source(&self) -> app::components::verdict::RuleSource {
        app::components::verdict::RuleSource(Arc::new(PagesBook(self.book.clone())))
    }
}

/// The RuleBook answering the pages' questions.
struct PagesBook(Arc<RuleBook>);

impl app::components::verdict::RulesInForce for PagesBook {
    fn today(&self) -> rules::NaiveDate {
        self.0.today()
    }

    fn in_force(
        &self,
        region: &str,
        day: rules::NaiveDate,
    ) -> Option<(Arc<rules::InForce>, Arc<str>)> {
        self.0.in_force_with_json(region, day)
    }
}
