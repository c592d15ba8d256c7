//! The CarVrooom query API: axum routes over the results store, warranty
//! claims decided from the stored telemetry, HTTP telemetry ingest to
//! Kafka, JWT auth scoped by fleet, Prometheus metrics, a generated OpenAPI
//! document and a static dashboard.
//!
//! It reads and writes only through [`sinks::Store`] and produces only
//! through [`TelemetryProducer`]; it knows nothing of the dataflow.

pub mod auth;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod model;
pub mod openapi;
pub mod produce;
pub mod routes;
pub mod state;
pub mod validate;
pub mod warranty;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::middleware;
use tower_http::trace::TraceLayer;
use tracing::Instrument;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use auth::{AuthConfig, Claims, Role};
pub use error::ApiError;
pub use produce::{KafkaProducerConfig, KafkaTelemetryProducer, ProduceError, TelemetryProducer};
pub use state::AppState;

/// The prefix of the versioned API.
pub const API_PREFIX: &str = "/api/v1";

/// Why the server stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error("cannot bind {addr}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The server failed while running.
    #[error("server failed")]
    Serve(#[source] std::io::Error),
}

/// The routes under `/api/v1` that need credentials when auth is on.
fn protected() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(routes::telemetry::router())
        .merge(routes::fleets::router())
        .merge(routes::vehicles::router())
        .merge(routes::import::router())
        .merge(routes::health::router())
        .merge(routes::alerts::router())
        .merge(routes::decisions::router())
        .merge(routes::appointments::router())
        .merge(routes::dead_letters::router())
        .merge(routes::ingestion::router())
        .merge(routes::resources::router())
        .merge(routes::warranty::router())
}

/// The OpenAPI document of every documented route.
pub fn openapi() -> utoipa::openapi::OpenApi {
    OpenApiRouter::<AppState>::with_openapi(openapi::ApiDoc::openapi())
        .nest(API_PREFIX, protected())
        .merge(routes::ops::router())
        .into_openapi()
}

/// The whole HTTP service: `/api/v1/*`, the operational routes (at the root
/// and under `/api/v1`), and the dashboard at `/`.
pub fn router(state: AppState) -> Router {
    let document = Arc::new(openapi().to_json().unwrap_or_else(|e| {
        tracing::error!(error = %e, "openapi document not serializable");
        String::from("{}")
    }));
    let v1 = protected().layer(middleware::from_fn_with_state(state.clone(), auth::authenticate));
    let (api, _) = OpenApiRouter::new()
        .nest(API_PREFIX, v1.merge(routes::ops::router()))
        .merge(routes::ops::router())
        .split_for_parts();
    api.merge(routes::ops::document("/openapi.json", Arc::clone(&document)))
        .merge(routes::ops::document(&format!("{API_PREFIX}/openapi.json"), document))
        .merge(routes::dashboard::router())
        .route_layer(middleware::from_fn(metrics::track))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves [`router`] on `addr` until `shutdown` resolves, keeping the
/// metrics recorder's histograms drained meanwhile.
pub async fn serve(
    addr: SocketAddr,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| ServeError::Bind { addr, source })?;
    let local = listener.local_addr().map_err(ServeError::Serve)?;
    tracing::info!(address = %local, "api listening");
    let handle = state.metrics.clone();
    let upkeep = tokio::spawn(
        async move {
            let mut tick = tokio::time::interval(Duration::from_secs(5));
            loop {
                tick.tick().await;
                handle.run_upkeep();
            }
        }
        .instrument(tracing::info_span!("api-metrics-upkeep")),
    );
    let served = axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await;
    upkeep.abort();
    served.map_err(ServeError::Serve)
}
