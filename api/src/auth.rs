//! Who is calling, and which fleets they may see.
//!
//! With a JWT secret configured, every `/api/v1` route (except the
//! operational ones) needs `Authorization: Bearer <HS256 JWT>` whose claims
//! name a role and the fleets the caller belongs to; a fleet outside that
//! list is a 403 unless the caller is an admin. Without a secret, auth is off
//! (the demo) and every caller may see everything.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::state::AppState;

/// Authentication settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    /// The HS256 secret tokens are signed with; `None` turns auth off.
    pub jwt_secret: Option<String>,
}

/// What a caller may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages the vehicles of their fleets.
    FleetManager,
    /// Services vehicles.
    Technician,
    /// Owns vehicles.
    Owner,
    /// Sees and manages every fleet.
    Admin,
}

/// The claims of a CarVrooom token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user.
    pub sub: String,
    /// Their role.
    pub role: Role,
    /// Fleets they may see (ignored for admins).
    #[serde(default)]
    pub fleets: Vec<String>,
    /// Expiry, seconds since the Unix epoch.
    pub exp: u64,
}

/// The caller of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// Auth is off: everything is visible.
    Open,
    /// A verified token.
    User(Claims),
}

/// Which fleets a listing covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FleetScope {
    /// Every fleet.
    All,
    /// These fleets (one or more; none means nothing is visible).
    Fleets(Vec<String>),
}

impl Caller {
    /// True when the caller may see every fleet.
    pub fn sees_all(&self) -> bool {
        match self {
            Caller::Open => true,
            Caller::User(claims) => claims.role == Role::Admin,
        }
    }

    /// 403 unless the caller may see `fleet_id`.
    pub fn require_fleet(&self, fleet_id: &str) -> Result<(), ApiError> {
        match self {
            Caller::User(claims) if !self.sees_all() && !claims.fleets.iter().any(|f| f == fleet_id) => {
                Err(ApiError::forbidden(format!("fleet '{fleet_id}' is not among the token's fleets")))
            }
            _ => Ok(()),
        }
    }

    /// 403 unless auth is off or the caller has one of `roles` (admins always do).
    pub fn require_role(&self, roles: &[Role]) -> Result<(), ApiError> {
        match self {
            Caller::User(claims) if claims.role != Role::Admin && !roles.contains(&claims.role) => {
                Err(ApiError::forbidden(format!("role {:?} may not do this", claims.role)))
            }
            _ => Ok(()),
        }
    }

    /// 403 unless auth is off or the caller is an admin.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        self.require_role(&[])
    }

    /// The fleets a listing covers: the requested one (if the caller may see
    /// it), else every fleet the caller may see.
    pub fn scope(&self, requested: Option<&str>) -> Result<FleetScope, ApiError> {
        match (requested, self) {
            (Some(fleet_id), _) => {
                self.require_fleet(fleet_id)?;
                Ok(FleetScope::Fleets(vec![fleet_id.to_string()]))
            }
            (None, Caller::User(claims)) if !self.sees_all() => Ok(FleetScope::Fleets(claims.fleets.clone())),
            (None, _) => Ok(FleetScope::All),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    /// The caller the auth middleware stored; `Open` only where no middleware ran,
    /// which the router never allows for a protected route.
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| ApiError::unauthorized("no caller identity on this route"))
    }
}

/// Verifies a bearer token against the secret.
pub fn verify(secret: &str, token: &str) -> Result<Claims, ApiError> {
    let validation = Validation::new(Algorithm::HS256);
    jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(secret.as_bytes()), &validation)
        .map(|data| data.claims)
        .map_err(|e| ApiError::unauthorized(format!("invalid token: {e}")))
}

/// Signs claims into an HS256 token (for operators handing out access, and tests).
pub fn issue(secret: &str, claims: &Claims) -> Result<String, jsonwebtoken::errors::Error> {
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret.as_bytes()))
}

/// Middleware: resolves the caller (verifying the bearer token when auth is
/// on) and stores it in the request's extensions.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Result<Response, ApiError> {
    let caller = match &state.auth.jwt_secret {
        None => Caller::Open,
        Some(secret) => {
            let header = req
                .headers()
                .get(AUTHORIZATION)
                .ok_or_else(|| ApiError::unauthorized("missing Authorization: Bearer token"))?;
            let token = header
                .to_str()
                .ok()
                .and_then(|value| value.strip_prefix("Bearer "))
                .ok_or_else(|| ApiError::unauthorized("Authorization header is not a Bearer token"))?;
            Caller::User(verify(secret, token.trim())?)
        }
    };
    req.extensions_mut().insert(caller);
    Ok(next.run(req).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, fleets: &[&str]) -> Caller {
        Caller::User(Claims { sub: "u".into(), role, fleets: fleets.iter().map(|f| f.to_string()).collect(), exp: 0 })
    }

    #[test]
    fn roles_and_fleets() {
        let manager = user(Role::FleetManager, &["a", "b"]);
        assert!(manager.require_fleet("a").is_ok());
        assert_eq!(manager.require_fleet("c").map_err(|e| e.status.as_u16()), Err(403));
        assert!(manager.require_role(&[Role::FleetManager]).is_ok());
        assert!(manager.require_admin().is_err());
        assert!(user(Role::Admin, &[]).require_fleet("c").is_ok());
        assert!(user(Role::Admin, &[]).require_admin().is_ok());
        assert!(Caller::Open.require_admin().is_ok());
        assert!(user(Role::Owner, &["a"]).require_role(&[Role::FleetManager]).is_err());
    }

    #[test]
    fn scopes() {
        let manager = user(Role::FleetManager, &["a", "b"]);
        assert_eq!(manager.scope(None), Ok(FleetScope::Fleets(vec!["a".into(), "b".into()])));
        assert_eq!(manager.scope(Some("b")), Ok(FleetScope::Fleets(vec!["b".into()])));
        assert!(manager.scope(Some("c")).is_err());
        assert_eq!(Caller::Open.scope(None), Ok(FleetScope::All));
        assert_eq!(user(Role::Admin, &[]).scope(Some("z")), Ok(FleetScope::Fleets(vec!["z".into()])));
    }

    #[test]
    fn tokens_round_trip_and_bad_ones_are_401() {
        let claims = Claims { sub: "ann".into(), role: Role::Technician, fleets: vec!["a".into()], exp: 4_102_444_800 };
        let token = issue("s3cret", &claims).expect("sign");
        assert_eq!(verify("s3cret", &token), Ok(claims.clone()));
        assert_eq!(verify("other", &token).map_err(|e| e.status.as_u16()), Err(401));
        let expired = Claims { exp: 1_000, ..claims };
        let token = issue("s3cret", &expired).expect("sign");
        assert_eq!(verify("s3cret", &token).map_err(|e| e.status.as_u16()), Err(401));
    }
}
