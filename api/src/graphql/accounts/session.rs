//! Signing up and in: registration, sign-in, session renewal, sign-out, the active company.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{TimeDelta, Utc};

use super::{AuthPayload, GqlResult, Viewer, client_addr};
use crate::app::App;
use crate::auth::tokens::Claims;
use crate::auth::{self, Role, passwords};
use crate::db::{self, DbConn, companies::NewCompany, companies::NewMembership, users::NewUser};
use crate::domain::validate;
use crate::error::{ApiError, ApiResult};
use crate::graphql::values::parse_id;
use crate::graphql::{app, principal};
use crate::transaction;

#[derive(Default)]
pub struct SessionMutation;

#[derive(InputObject)]
pub struct RegisterInput {
    pub email: String,
    pub password: String,
    pub display_name: String,
    /// Name of the user's first company.
    pub company_name: String,
    /// ISO 4217 code of the company's base currency.
    #[graphql(default = "RUB")]
    pub base_currency: String,
    /// Interface language: `en` or `ru`.
    #[graphql(default = "en")]
    pub locale: String,
    /// IANA time zone of the company: reports cut days, weeks and months in it.
    #[graphql(default = "Europe/Moscow")]
    pub time_zone: String,
}

pub(super) const NAME_MAX: usize = 200;

fn locale(v: &str) -> ApiResult<String> {
    match v.trim().to_ascii_lowercase().as_str() {
        l @ ("en" | "ru") => Ok(l.to_owned()),
        _ => Err(ApiError::bad_input(
            "locale",
            "supported languages are en and ru",
        )),
    }
}

fn already_registered() -> ApiError {
    ApiError::bad_input(
        "email",
        "this e-mail is already registered; sign in instead",
    )
}

#[Object]
impl SessionMutation {
    /// Creates a user and their first company (the user becomes its owner) and signs them in.
    async fn register(&self, ctx: &Context<'_>, input: RegisterInput) -> GqlResult<AuthPayload> {
        let app = app(ctx);
        // Cheap checks first, the password hash last.
        app.register_limiter
            .take(&format!("a:{}", client_addr(ctx)))?;
        let email = validate::email("email", &input.email)?;
        passwords::validate(&input.password)?;
        let display_name = validate::text("displayName", &input.display_name, NAME_MAX)?;
        let company_name = validate::text("companyName", &input.company_name, NAME_MAX)?;
        let currency = validate::currency_code("baseCurrency", &input.base_currency)?;
        let time_zone = validate::time_zone("timeZone", &input.time_zone)?;
        let locale = locale(&input.locale)?;
        let mut conn = app.db.read().await.map_err(ApiError::from)?;
        if db::users::by_email(&mut conn, &email)
            .await
            .map_err(ApiError::from)?
            .is_some()
        {
            return Err(already_registered().into());
        }
        drop(conn);
        let hash = passwords::hash(&app.password_work, input.password).await?;
        let now = Utc::now().naive_utc();
        let mut conn = app.db.write().await.map_err(ApiError::from)?;
        let (user, company) = transaction!(conn, ApiError, {
            // Again inside the transaction: a parallel registration may have won meanwhile.
            if db::users::by_email(&mut conn, &email).await?.is_some() {
                return Err(already_registered());
            }
            let user = db::users::insert(
                &mut conn,
                &NewUser {
                    email: &email,
                    password_hash: &hash,
                    display_name: &display_name,
                    locale: &locale,
                    created_at: now,
                },
            )
            .await?;
            let company = db::companies::insert(
                &mut conn,
                &NewCompany {
                    name: &company_name,
                    base_currency: &currency,
                    created_at: now,
                    time_zone: time_zone.name(),
                },
            )
            .await?;
            db::companies::add_member(
                &mut conn,
                &NewMembership {
                    company_id: company.id,
                    user_id: user.id,
                    role: Role::Owner,
                    created_at: now,
                },
            )
            .await?;
            Ok((user, company))
        })?;
        Ok(new_session(app, &mut conn, user, company.id).await?)
    }

    /// Signs in. `companyId` picks the active company; by default the first one joined.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
        company_id: Option<ID>,
    ) -> GqlResult<AuthPayload> {
        let app = app(ctx);
        // The address first, then the input's size, and only then the e-mail's own bucket,
        // keyed by a hash: a huge e-mail is never stored, not even as a key.
        app.login_limiter.take(&format!("a:{}", client_addr(ctx)))?;
        if password.len() > passwords::MAX_LEN * 4 {
            return Err(ApiError::bad_input("password", "too long").into());
        }
        let email = validate::email("email", &email)?;
        app.login_limiter
            .take(&format!("e:{}", auth::secret_hash(&email)))?;
        let mut conn = app.db.read().await.map_err(ApiError::from)?;
        let user = db::users::by_email(&mut conn, &email)
            .await
            .map_err(ApiError::from)?;
        drop(conn);
        let ok = passwords::verify(
            &app.password_work,
            password,
            user.as_ref().map(|u| u.password_hash.clone()),
        )
        .await?;
        let user = match (ok, user) {
            (true, Some(user)) => user,
            _ => {
                return Err(ApiError::BadInput {
                    field: None,
                    message: "wrong e-mail or password".into(),
                }
                .into());
            }
        };
        let mut conn = app.db.write().await.map_err(ApiError::from)?;
        let memberships = db::companies::of_user(&mut conn, user.id)
            .await
            .map_err(ApiError::from)?;
        let company_id = match company_id {
            Some(id) => {
                let id = parse_id(&id)?;
                memberships
                    .iter()
                    .find(|(m, _)| m.company_id == id)
                    .ok_or(ApiError::NotFound)?
                    .0
                    .company_id
            }
            None => memberships
                .first()
                .map(|(m, _)| m.company_id)
                .ok_or(ApiError::Forbidden("this account belongs to no company"))?,
        };
        Ok(new_session(app, &mut conn, user, company_id).await?)
    }

    /// Exchanges a refresh token for new tokens. Each refresh token works once; reusing a
    /// spent one ends the session (it was copied by someone else). The one exception: the token
    /// replaced within the last `CRM_REFRESH_REUSE_GRACE_SECS` (30 s) gets the same new tokens
    /// as the request that replaced it, so a browser's parallel calls after its access token
    /// expired do not sign it out.
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        refresh_token: String,
    ) -> GqlResult<AuthPayload> {
        Ok(refresh(app(ctx), refresh_token.trim()).await?)
    }

    /// Ends a session: the one of the access token used, or the one of `refreshToken`.
    /// Its access and refresh tokens stop working at once.
    async fn logout(&self, ctx: &Context<'_>, refresh_token: Option<String>) -> GqlResult<bool> {
        let app = app(ctx);
        let now = Utc::now().naive_utc();
        // Found with a reader first: an unknown token never queues for the writer.
        let session_id = match (principal(ctx).user(), refresh_token) {
            (Ok((_, sid)), _) => Some(sid),
            (Err(_), Some(token)) => {
                let mut conn = app.db.read().await.map_err(ApiError::from)?;
                db::sessions::by_refresh_hash(&mut conn, &auth::secret_hash(token.trim()))
                    .await
                    .map_err(ApiError::from)?
                    .map(|s| s.id)
            }
            (Err(e), None) => return Err(e.into()),
        };
        let Some(session_id) = session_id else {
            return Err(ApiError::Unauthenticated.into());
        };
        let mut conn = app.db.write().await.map_err(ApiError::from)?;
        db::sessions::revoke(&mut conn, session_id, now)
            .await
            .map_err(ApiError::from)?;
        Ok(true)
    }

    /// Makes another of the user's companies the active one for this session.
    async fn switch_company(&self, ctx: &Context<'_>, company_id: ID) -> GqlResult<Viewer> {
        let (user_id, session_id) = principal(ctx).user()?;
        let company_id = parse_id(&company_id)?;
        let mut conn = app(ctx).db.write().await.map_err(ApiError::from)?;
        let memberships = db::companies::of_user(&mut conn, user_id)
            .await
            .map_err(ApiError::from)?;
        if !memberships.iter().any(|(m, _)| m.company_id == company_id) {
            return Err(ApiError::NotFound.into());
        }
        db::sessions::set_active_company(&mut conn, session_id, company_id)
            .await
            .map_err(ApiError::from)?;
        let user = db::users::by_id(&mut conn, user_id)
            .await
            .map_err(ApiError::from)?
            .ok_or(ApiError::Unauthenticated)?;
        Ok(Viewer {
            user,
            active_company_id: company_id,
            memberships,
        })
    }
}

/// `refreshSession`: see its doc. Unknown tokens are turned away after one read, before any
/// write or writer lock.
async fn refresh(app: &App, token: &str) -> ApiResult<AuthPayload> {
    let hash = auth::secret_hash(token);
    let now = Utc::now().naive_utc();
    let mut conn = app.db.read().await?;
    let current = db::sessions::by_refresh_hash(&mut conn, &hash).await?;
    let replaced = match current {
        Some(_) => None,
        None => db::sessions::by_previous_refresh_hash(&mut conn, &hash).await?,
    };
    drop(conn);
    let successor = app.refresh_key.successor(token);
    let session = match (current, replaced) {
        (Some(session), _) => {
            if session.revoked_at.is_some() || session.expires_at <= now {
                return Err(ApiError::Unauthenticated);
            }
            let expires = now
                + TimeDelta::from_std(app.config.refresh_token_ttl).map_err(ApiError::internal)?;
            let mut conn = app.db.write().await?;
            let rotated = db::sessions::rotate(
                &mut conn,
                session.id,
                &hash,
                &auth::secret_hash(&successor),
                expires,
                now,
            )
            .await?;
            let session = if rotated {
                db::sessions::Session {
                    refresh_hash: auth::secret_hash(&successor),
                    expires_at: expires,
                    ..session
                }
            } else {
                // A parallel request rotated it first, to the same successor.
                db::sessions::by_id(&mut conn, session.id)
                    .await?
                    .ok_or(ApiError::Unauthenticated)?
            };
            return live_successor(app, &mut conn, session, successor, now).await;
        }
        (None, Some(session)) => session,
        (None, None) => return Err(ApiError::Unauthenticated),
    };
    let grace = TimeDelta::from_std(app.config.refresh_reuse_grace).map_err(ApiError::internal)?;
    let just_replaced = session.rotated_at.is_some_and(|at| now - at <= grace);
    if just_replaced && session.refresh_hash == auth::secret_hash(&successor) {
        let mut conn = app.db.read().await?;
        return live_successor(app, &mut conn, session, successor, now).await;
    }
    let mut conn = app.db.write().await?;
    tracing::warn!(
        session = session.id,
        "spent refresh token reused; session revoked"
    );
    db::sessions::revoke(&mut conn, session.id, now).await?;
    Err(ApiError::Unauthenticated)
}

/// New tokens for `session`, whose current refresh token is `successor`, while it is live.
async fn live_successor(
    app: &App,
    conn: &mut DbConn,
    session: db::sessions::Session,
    successor: String,
    now: chrono::NaiveDateTime,
) -> ApiResult<AuthPayload> {
    if session.revoked_at.is_some()
        || session.expires_at <= now
        || session.refresh_hash != auth::secret_hash(&successor)
    {
        return Err(ApiError::Unauthenticated);
    }
    let user = db::users::by_id(conn, session.user_id)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    payload(
        app,
        conn,
        user,
        session.id,
        session.active_company_id,
        successor,
        session.expires_at,
    )
    .await
}

/// Starts a session for `user` acting in `company_id`.
async fn new_session(
    app: &App,
    conn: &mut DbConn,
    user: db::users::User,
    company_id: i64,
) -> ApiResult<AuthPayload> {
    let now = Utc::now().naive_utc();
    let refresh = auth::random_token(32);
    let refresh_expires =
        now + TimeDelta::from_std(app.config.refresh_token_ttl).map_err(ApiError::internal)?;
    let session = db::sessions::insert(
        conn,
        &db::sessions::NewSession {
            user_id: user.id,
            active_company_id: company_id,
            refresh_hash: &auth::secret_hash(&refresh),
            created_at: now,
            expires_at: refresh_expires,
        },
    )
    .await?;
    payload(
        app,
        conn,
        user,
        session.id,
        company_id,
        refresh,
        refresh_expires,
    )
    .await
}

async fn payload(
    app: &App,
    conn: &mut DbConn,
    user: db::users::User,
    session_id: i64,
    company_id: i64,
    refresh_token: String,
    refresh_expires: chrono::NaiveDateTime,
) -> ApiResult<AuthPayload> {
    let now = Utc::now();
    let expires = now + TimeDelta::from_std(app.access_token_ttl()).map_err(ApiError::internal)?;
    let access_token = app
        .jwt
        .issue(&Claims {
            sub: user.id.to_string(),
            sid: session_id,
            iat: now.timestamp(),
            exp: expires.timestamp(),
        })
        .map_err(ApiError::internal)?;
    let memberships = db::companies::of_user(conn, user.id).await?;
    Ok(AuthPayload {
        access_token,
        access_token_expires_at: expires,
        refresh_token,
        refresh_token_expires_at: refresh_expires.and_utc(),
        viewer: Viewer {
            user,
            active_company_id: company_id,
            memberships,
        },
    })
}
