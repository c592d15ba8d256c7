//! The generated OpenAPI document's frame: title, tags and the bearer scheme.
//! Paths and schemas come from the handlers' `#[utoipa::path]` attributes.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The document's root.
#[derive(OpenApi)]
#[openapi(
    info(title = "CarVrooom API", description = "Fleet health, alerts, decisions, appointments and telemetry ingest."),
    modifiers(&BearerScheme),
    security(("bearer" = [])),
    tags(
        (name = "telemetry", description = "HTTP ingest to the raw telemetry topic"),
        (name = "fleets", description = "Tenants and their headline numbers"),
        (name = "vehicles", description = "The vehicle registry"),
        (name = "health", description = "Component health and remaining useful life"),
        (name = "alerts", description = "Alerts and the agent's decisions"),
        (name = "appointments", description = "Planned service appointments"),
        (name = "dead-letters", description = "Input the pipeline could not use"),
        (name = "ingestion", description = "How far the stored results go into the input topic"),
        (name = "resources", description = "Technicians, bays and parts stock"),
        (name = "warranty", description = "Warranty claims, decided from the coverage and the vehicle's telemetry"),
        (name = "ops", description = "Health, metrics and this document; no credentials needed"),
    )
)]
pub struct ApiDoc;

/// Declares the `bearer` security scheme (HS256 JWT).
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}
