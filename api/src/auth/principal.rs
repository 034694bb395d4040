//! Who is making a request, and in which company. Tenant code gets the company id only from
//! here, never from input.

use crate::error::{ApiError, ApiResult};

pub use crate::domain::{Role, Scope};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    Anonymous,
    User {
        user_id: i64,
        session_id: i64,
        company_id: i64,
        role: Role,
    },
    ApiKey {
        key_id: i64,
        company_id: i64,
        scope: Scope,
    },
}

impl Principal {
    /// The company whose data this request may read.
    pub fn company(&self) -> ApiResult<i64> {
        match self {
            Principal::Anonymous => Err(ApiError::Unauthenticated),
            Principal::User { company_id, .. } | Principal::ApiKey { company_id, .. } => {
                Ok(*company_id)
            }
        }
    }

    /// The company this request may change data of (clients, sales, interactions).
    pub fn writable_company(&self) -> ApiResult<i64> {
        match self {
            Principal::Anonymous => Err(ApiError::Unauthenticated),
            Principal::User {
                role: Role::Viewer, ..
            } => Err(ApiError::Forbidden("viewers cannot change data")),
            Principal::ApiKey {
                scope: Scope::Read, ..
            } => Err(ApiError::Forbidden("this API key is read-only")),
            Principal::User { company_id, .. } | Principal::ApiKey { company_id, .. } => {
                Ok(*company_id)
            }
        }
    }

    /// For managing keys and members: a signed-in owner or admin. Returns (company, user, role).
    pub fn managed_company(&self) -> ApiResult<(i64, i64, Role)> {
        match self {
            Principal::Anonymous => Err(ApiError::Unauthenticated),
            Principal::ApiKey { .. } => Err(ApiError::Forbidden(
                "API keys cannot manage keys or members; sign in as an owner or admin",
            )),
            Principal::User {
                company_id,
                user_id,
                role,
                ..
            } if *role >= Role::Admin => Ok((*company_id, *user_id, *role)),
            Principal::User { .. } => {
                Err(ApiError::Forbidden("only owners and admins can do this"))
            }
        }
    }

    /// The signed-in user: (user id, session id).
    pub fn user(&self) -> ApiResult<(i64, i64)> {
        match self {
            Principal::User {
                user_id,
                session_id,
                ..
            } => Ok((*user_id, *session_id)),
            Principal::ApiKey { .. } => Err(ApiError::Forbidden(
                "this needs a signed-in user, not an API key",
            )),
            Principal::Anonymous => Err(ApiError::Unauthenticated),
        }
    }

    /// The acting user, when a person (not a key) is acting.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Principal::User { user_id, .. } => Some(*user_id),
            _ => None,
        }
    }
}
