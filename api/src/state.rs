//! What every handler shares: the store, the telemetry producer, the metrics
//! handle and the auth settings.

use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use sinks::Store;

use crate::auth::AuthConfig;
use crate::produce::TelemetryProducer;

/// The shared state of the API.
#[derive(Clone)]
pub struct AppState {
    /// Where results are read and registry facts written.
    pub store: Arc<dyn Store>,
    /// Where `POST /telemetry` produces to; `None` answers 503.
    pub producer: Option<Arc<dyn TelemetryProducer>>,
    /// Renders `/metrics`.
    pub metrics: PrometheusHandle,
    /// Authentication settings.
    pub auth: AuthConfig,
}
