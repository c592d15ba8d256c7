//! Pagination: the `offset`/`limit` query parameters and the page envelope.

use serde::{Deserialize, Serialize};
use sinks::Page;
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

/// The largest `limit` a listing accepts.
pub const MAX_LIMIT: i64 = 1000;
/// The `limit` when none is given.
pub const DEFAULT_LIMIT: i64 = 100;

/// Pagination query parameters.
#[derive(Clone, Copy, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Rows to skip (≥ 0, default 0).
    #[param(minimum = 0)]
    pub offset: Option<i64>,
    /// Rows to return (1..=1000, default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

impl PageParams {
    /// The validated page; out-of-range values are a 400.
    pub fn page(self) -> Result<Page, ApiError> {
        let offset = self.offset.unwrap_or(0);
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if offset < 0 {
            return Err(ApiError::bad_request(format!("offset must be >= 0, got {offset}")));
        }
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(format!("limit must be between 1 and {MAX_LIMIT}, got {limit}")));
        }
        Ok(Page { offset, limit })
    }
}

/// One page of a listing.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Listing<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Rows skipped.
    pub offset: i64,
    /// The page size asked for (fewer items means the end was reached).
    pub limit: i64,
}

impl<T> Listing<T> {
    /// A page of `items` converted into their views.
    pub fn of<U: Into<T>>(items: Vec<U>, page: Page) -> Self {
        Listing { items: items.into_iter().map(Into::into).collect(), offset: page.offset, limit: page.limit }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(offset: Option<i64>, limit: Option<i64>) -> Result<Page, String> {
        PageParams { offset, limit }.page().map_err(|e| e.message)
    }

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(page(None, None), Ok(Page { offset: 0, limit: 100 }));
        assert_eq!(page(Some(5), Some(1)), Ok(Page { offset: 5, limit: 1 }));
        assert_eq!(page(None, Some(1000)), Ok(Page { offset: 0, limit: 1000 }));
        assert_eq!(page(None, Some(0)), Err("limit must be between 1 and 1000, got 0".to_string()));
        assert_eq!(page(Some(-3), None), Err("offset must be >= 0, got -3".to_string()));
    }
}
