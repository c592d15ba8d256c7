//! Request metrics: a Prometheus recorder installed once per process and a
//! middleware counting requests (and timing them) per route and status.

use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder, PrometheusHandle};

/// Requests answered, by `method`, `route` (the route pattern) and `status`.
pub const REQUESTS_TOTAL: &str = "http_requests_total";
/// Request latency in seconds, by `method` and `route`.
pub const REQUEST_DURATION: &str = "http_request_duration_seconds";

const DURATION_BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

static HANDLE: Mutex<Option<PrometheusHandle>> = Mutex::new(None);

/// Installs the process-wide Prometheus recorder on the first call and
/// returns its handle; later calls return the same handle. Fails when
/// another recorder was installed first.
pub fn install_recorder() -> Result<PrometheusHandle, BuildError> {
    let mut installed = HANDLE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(handle) = installed.as_ref() {
        return Ok(handle.clone());
    }
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(REQUEST_DURATION.to_string()), &DURATION_BUCKETS)?
        .install_recorder()?;
    *installed = Some(handle.clone());
    Ok(handle)
}

/// Middleware: counts and times each routed request.
pub async fn track(req: Request, next: Next) -> Response {
    let route =
        req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_string(), |path| path.as_str().to_string());
    let method = req.method().to_string();
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!(REQUESTS_TOTAL, "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!(REQUEST_DURATION, "method" => method, "route" => route).record(started.elapsed().as_secs_f64());
    response
}
