//! Building the application: state, router, middleware, listener, graceful shutdown.

use std::{future::IntoFuture, path::Path, sync::Arc, time::Duration};

use axum::{
    http::{header, HeaderValue, Request},
    middleware,
    routing::get,
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list_with_exclusions, LeptosRoutes};
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    trace::{DefaultOnResponse, TraceLayer},
};

pub use crate::state::AppState;
use crate::{config::Config, routes, security};

/// Errors that stop the server from starting.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("rule data: {0}")]
    Rules(#[from] rules::LoadError),
    #[error("working-day calendar: {0}")]
    Calendar(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Serve(#[from] std::io::Error),
    #[error("{0}")]
    Keys(String),
}

/// A built application bound to its listener, ready to serve.
pub struct Application {
    listener: tokio::net::TcpListener,
    router: Router,
    /// How long the requests in flight may take to finish once the server is told to stop.
    shutdown_grace: Duration,
    pub state: AppState,
}

/// Leptos options for this build. cargo-leptos hashes asset names and writes `hash.txt` beside
/// the binary; when it is absent (tests, `cargo run`) names are left unhashed.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let hash_file_present = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|p| p.exists());
    LeptosOptions::builder()
        .output_name("guantong")
        .site_root(config.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .env(leptos::config::Env::PROD)
        .hash_files(hash_file_present)
        .build()
}

impl Application {
    /// Connects, migrates, builds the router and binds the listener (port 0 picks a free port).
    pub async fn build(config: Config) -> Result<Application, StartupError> {
        let book = Arc::new(casework::rulebook::RuleBook::new(
            rules::Registry::builtin()?,
            Default::default(),
        ));
        crate::config::install_pii_keys().map_err(StartupError::Keys)?;
        let keys = store::pii::keys();
        if keys.is_development() {
            tracing::warn!(
                "ID numbers are sealed with the development keys, which protect nothing: set GUANTONG_PII_KEYS and GUANTONG_PII_INDEX_KEY"
            );
        }
        let db = store::connect(&config.database_url).await?;
        store::migrate(&db).await?;
        // ID numbers stored in clear before they were sealed are sealed now.
        match store::pii::reseal_dossiers(&db, keys, false).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sealed = n, key = keys.current(), "sealed ID numbers"),
            Err(e) => tracing::error!(error = %e, "sealing the ID numbers stored in clear"),
        }
        // Every version the server can put in force is stored before the first request, so a
        // receipt names a stored version from the start.
        match book.keep_versions(&db).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(stored = n, "stored new rule set versions"),
            Err(e) => tracing::error!(error = %e, "storing the rule set versions"),
        }
        // The calendar in force: the shipped years with those administrators entered.
        rules::WorkCalendar::builtin().map_err(|e| StartupError::Calendar(e.to_string()))?;
        casework::calendar::refresh(&book, &db).await?;
        match store::attachments::remove_leftovers(&config.upload_dir).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "removed unfinished uploads of an earlier run"),
            Err(e) => tracing::warn!(error = %e, "could not clear unfinished uploads"),
        }
        let limiter_db = db.clone();
        let state = AppState {
            instance: Arc::from(uuid::Uuid::new_v4().simple().to_string()),
            leptos_options: leptos_options(&config),
            db,
            book,
            secure_cookies: config.secure_cookies,
            started: Arc::new(std::time::Instant::now()),
            login_policy: config.login_policy(),
            login_limiter: crate::web::session::LoginLimiter::new(
                limiter_db,
                config.login_attempts_per_ip,
                Duration::from_secs(600),
            ),
            upload_dir: Arc::new(config.upload_dir.clone()),
            upload_limits: config.upload_limits(),
            dossiers_per_account: config.dossiers_per_account,
            test_clock: config.test_clock,
            metrics: crate::metrics::Metrics::new(),
            metrics_token: config.metrics_token.as_deref().map(std::sync::Arc::from),
        };
        let router = router(state.clone(), &config.site_root);
        let listener = tokio::net::TcpListener::bind(config.site_addr)
            .await
            .map_err(|source| StartupError::Bind {
                addr: config.site_addr,
                source,
            })?;
        Ok(Application {
            listener,
            router,
            shutdown_grace: Duration::from_secs(config.shutdown_grace_seconds),
            state,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_default()
    }

    /// Serves until Ctrl-C or SIGTERM, then stops taking connections and finishes the requests
    /// in flight, for at most the shutdown grace: axum's graceful shutdown alone waits for every
    /// connection, and one with half a request line never ends by itself, a stalled body only at
    /// its request's time limit (30 s, 10 minutes for an upload). Idle keep-alive connections
    /// close at once.
    pub async fn run_until_stopped(self) -> Result<(), StartupError> {
        tracing::info!(addr = %self.listener.local_addr()?, "listening");
        let publicity = tokio::spawn(end_publicity_periods(self.state.clone()));
        // The peer address feeds the per-address sign-in limit.
        let service = self
            .router
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        let stopping = tokio_util::sync::CancellationToken::new();
        let signal = {
            let stopping = stopping.clone();
            async move {
                shutdown_signal().await;
                stopping.cancel();
            }
        };
        let serve = axum::serve(self.listener, service)
            .with_graceful_shutdown(signal)
            .into_future();
        let grace = self.shutdown_grace;
        let deadline = async {
            stopping.cancelled().await;
            tokio::time::sleep(grace).await;
        };
        tokio::select! {
            served = serve => served?,
            () = deadline => tracing::warn!(
                grace_s = grace.as_secs(),
                "connections still open when the shutdown grace ran out: closing them"
            ),
        }
        publicity.abort();
        tracing::info!("stopped");
        Ok(())
    }
}

/// The full router.
pub fn router(state: AppState, site_root: &Path) -> Router {
    // The pages the application's handlers render themselves (after their access checks).
    let routes = generate_route_list_with_exclusions(
        app::App,
        Some(
            crate::web::HANDLED_PAGES
                .iter()
                .map(|p| (*p).to_owned())
                .collect(),
        ),
    );
    let immutable = HeaderValue::from_static("public, max-age=31536000, immutable");
    // Hashed, precompressed assets: ServeDir picks the .br/.gz sibling the client accepts.
    let pkg = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            immutable,
        ))
        .service(
            ServeDir::new(site_root.join("pkg"))
                .precompressed_br()
                .precompressed_gzip(),
        );

    // Pages reach today and the rules in force (the RuleBook) through context.
    let context = {
        let source = state.rule_source();
        move || provide_context(source.clone())
    };
    let pages = Router::<AppState>::new()
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, app::shell))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ));

    Router::new()
        .route("/healthz", get(routes::healthz))
        .route("/metrics", get(crate::metrics::metrics))
        .route("/lang/{code}", get(routes::switch_language))
        .nest("/api/v1", crate::api::router())
        .nest_service("/pkg", pkg)
        .merge(crate::web::router(&state))
        .merge(pages)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::web::session::resolve,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::metrics::track,
        ))
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                        let id = request
                            .extensions()
                            .get::<RequestId>()
                            .and_then(|id| id.header_value().to_str().ok())
                            .unwrap_or("-");
                        // The path only: a query string can carry what someone searched for (a
                        // name, a whole ID number in the review queue), which no log may keep.
                        tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path())
                    })
                    .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(middleware::from_fn(security::headers))
                .layer(CompressionLayer::new().br(true).gzip(true))
                .layer(middleware::from_fn(time_limit)),
        )
}

/// How often the server looks for publicity periods that have run.
const PUBLICITY_TICK: Duration = Duration::from_secs(60);
/// How long a background run's lease keeps the other instances from running it: a little less
/// than a tick, so the holder renews it at its next tick and another instance takes over within
/// about a tick when the holder is gone.
const LEASE: Duration = Duration::from_secs(50);

/// The background tasks, at start-up and then every [`PUBLICITY_TICK`]: reading the calendar's
/// entered years again (on every instance), ending every publicity period that has run, and
/// forgetting the sign-in counts of windows that have passed. With
/// several instances on one database only the one holding the lease (`task_lease`, taken
/// atomically) runs them; the others skip the tick. A dossier moved twice all the same (a run
/// outlasting its lease) would still be written once: the second move sees its new version.
async fn end_publicity_periods(state: AppState) {
    let mut tick = tokio::time::interval(PUBLICITY_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        // Every instance reads the calendar's entered years again, so a year entered on
        // another is in force here within a tick.
        match casework::calendar::refresh(&state.book, &state.db).await {
            Ok(true) => tracing::info!("the working-day calendar in force changed"),
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, "reading the working-day calendar"),
        }
        let now = chrono::Utc::now().timestamp();
        let lease = LEASE.as_secs() as i64;
        match store::shared::take_lease(&state.db, "background", &state.instance, now, lease).await
        {
            Ok(true) => {}
            Ok(false) => {
                state.metrics.job_skipped("publicity");
                continue;
            }
            Err(e) => {
                state.metrics.job_ran("publicity", false, 0);
                tracing::error!(error = %e, "taking the background tasks' lease");
                continue;
            }
        }
        let today = state.book.today();
        match casework::publicity::end_due(&state.db, &state.book.calendar(), today).await {
            Ok(ended) => state
                .metrics
                .job_ran("publicity", true, ended.moved.len() as u64),
            Err(e) => {
                state.metrics.job_ran("publicity", false, 0);
                tracing::error!(error = %e, "ending publicity periods");
            }
        }
        let window = state.login_limiter.window().as_secs() as i64;
        if let Err(e) = store::shared::forget_attempts(&state.db, now - window).await {
            tracing::warn!(error = %e, "forgetting old sign-in counts");
        }
    }
}

/// How long an ordinary request may take to be answered.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a multipart post (a dossier form with a file) may take: a 10 MB file arrives in
/// about 5 minutes at 256 kbit/s.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(600);

/// Answers 408 to a request not answered in its time. A cancelled upload leaves no file
/// behind (`store::attachments::store` removes its part file when dropped).
async fn time_limit(
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let multipart = request.method() == http::Method::POST
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
    let limit = if multipart {
        UPLOAD_TIMEOUT
    } else {
        REQUEST_TIMEOUT
    };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(limit_s = limit.as_secs(), "request timed out");
            http::StatusCode::REQUEST_TIMEOUT.into_response()
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received, finishing requests in flight");
}
