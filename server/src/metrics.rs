//! What an operator watches, at `GET /metrics` in the Prometheus text format (OpenMetrics):
//! requests by route and status with latency histograms, evaluations, the database pool and
//! the background task. Not public: it answers only when `GUANTONG_METRICS_TOKEN` is set, and
//! only to `Authorization: Bearer <token>` (otherwise 404, as for anything that is not there).

use std::sync::Arc;
use std::time::Instant;

use axum::{
    extract::{MatchedPath, Request, State},
    http::{header, HeaderMap, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::state::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    job: String,
    outcome: String,
}

type Latency = Family<RouteLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 1 ms to about 8 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 14))
}

/// The process's metrics, shared by every handler.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: Latency,
    evaluations: Family<KindLabels, Counter>,
    jobs: Family<JobLabels, Counter>,
    jobs_moved: Counter,
    pool_size: Gauge,
    pool_idle: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("guantong");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route template, method and status",
            requests.clone(),
        );
        let latency: Latency = Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request (until its head is sent), by route template",
            latency.clone(),
        );
        let evaluations = Family::<KindLabels, Counter>::default();
        registry.register(
            "evaluations",
            "People evaluated by the rule engine, by kind (single, batch)",
            evaluations.clone(),
        );
        let jobs = Family::<JobLabels, Counter>::default();
        registry.register(
            "background_runs",
            "Runs of background tasks, by task and outcome (ok, error; elsewhere: another instance held the lease)",
            jobs.clone(),
        );
        let jobs_moved = Counter::default();
        registry.register(
            "publicity_periods_ended",
            "Unit publicity periods the background task ended",
            jobs_moved.clone(),
        );
        let pool_size = Gauge::default();
        registry.register(
            "db_pool_connections",
            "Connections the database pool holds",
            pool_size.clone(),
        );
        let pool_idle = Gauge::default();
        registry.register(
            "db_pool_idle_connections",
            "Idle connections in the database pool",
            pool_idle.clone(),
        );
        Metrics {
            registry: Arc::new(registry),
            requests,
            latency,
            evaluations,
            jobs,
            jobs_moved,
            pool_size,
            pool_idle,
        }
    }

    /// Counts people the engine evaluated.
    pub fn evaluated(&self, kind: &str, people: u64) {
        self.evaluations
            .get_or_create(&KindLabels {
                kind: kind.to_owned(),
            })
            .inc_by(people);
    }

    /// Counts a run of a background task.
    pub fn job_ran(&self, job: &str, ok: bool, moved: u64) {
        self.jobs
            .get_or_create(&JobLabels {
                job: job.to_owned(),
                outcome: if ok { "ok" } else { "error" }.to_owned(),
            })
            .inc();
        self.jobs_moved.inc_by(moved);
    }

    /// Counts a tick of a background task left to the instance holding its lease.
    pub fn job_skipped(&self, job: &str) {
        self.jobs
            .get_or_create(&JobLabels {
                job: job.to_owned(),
                outcome: "elsewhere".to_owned(),
            })
            .inc();
    }

    fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                method: method.to_owned(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(seconds);
    }

    fn render(&self, db: &store::Db) -> String {
        let (size, idle) = match store::backend_name(db) {
            "sqlite" => {
                let pool = db.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
            "postgres" => {
                let pool = db.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
            _ => (0, 0),
        };
        self.pool_size.set(i64::from(size));
        self.pool_idle.set(idle as i64);
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::error!(error = %e, "encoding metrics");
        }
        out
    }
}

/// Counts every request by its route template (never the raw path, which would let anyone
/// grow the label set), method and status, and times it.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| {
            if request.uri().path().starts_with("/pkg/") {
                "/pkg/*".to_owned()
            } else {
                "unmatched".to_owned()
            }
        });
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    state.metrics.observe(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// `GET /metrics`, for the bearer of the configured token only.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !constant_time_eq(given.as_bytes(), token.as_bytes()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(&state.db),
    )
        .into_response()
}

/// Compares without stopping at the first difference, so timing tells nothing about the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_histograms_render_in_the_text_format() {
        let m = Metrics::new();
        m.observe("/check", "GET", 200, 0.004);
        m.observe("/check", "GET", 200, 0.3);
        m.evaluated("batch", 250);
        m.job_ran("publicity", true, 3);
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &m.registry).unwrap();
        assert!(
            out.contains(
                "guantong_http_requests_total{route=\"/check\",method=\"GET\",status=\"200\"} 2"
            ),
            "{out}"
        );
        assert!(
            out.contains(
                "guantong_http_request_duration_seconds_bucket{le=\"0.004\",route=\"/check\"} 1"
            ) || out.contains("guantong_http_request_duration_seconds_count{route=\"/check\"} 2"),
            "{out}"
        );
        assert!(
            out.contains("guantong_evaluations_total{kind=\"batch\"} 250"),
            "{out}"
        );
        assert!(
            out.contains("guantong_publicity_periods_ended_total 3"),
            "{out}"
        );
        assert!(out.ends_with("# EOF\n"));
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
