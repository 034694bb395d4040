//! Signing in and out: sign in, register, refresh the tokens, sign out; the signed-in user
//! (the viewer) and switching the active company.

use serde::Serialize;

use super::{Id, Role, schema};

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "Company")]
pub struct CompanyRef {
    pub id: Id,
    pub name: String,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
pub struct CompanyMembership {
    pub company: CompanyRef,
    pub role: Role,
}

#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
#[cynic(graphql_type = "User")]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    pub email: String,
    pub display_name: String,
    pub locale: String,
}

/// The signed-in user, the active company and the others they belong to.
#[derive(cynic::QueryFragment, Serialize, Clone, Debug, PartialEq)]
pub struct Viewer {
    pub user: UserInfo,
    pub company: Option<CompanyRef>,
    pub role: Option<Role>,
    pub companies: Vec<CompanyMembership>,
}

/// Tokens of a session, kept in the browser's httpOnly cookie only.
#[derive(cynic::QueryFragment, Clone, Debug)]
#[cynic(graphql_type = "AuthPayload")]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct LoginVariables {
    pub email: String,
    pub password: String,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "LoginVariables")]
pub struct Login {
    #[arguments(email: $email, password: $password)]
    pub login: Tokens,
}

#[derive(cynic::InputObject, Debug)]
pub struct RegisterInput {
    pub email: String,
    pub password: String,
    pub display_name: String,
    pub company_name: String,
    pub base_currency: String,
    pub locale: String,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct RegisterVariables {
    pub input: RegisterInput,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "RegisterVariables")]
pub struct Register {
    #[arguments(input: $input)]
    pub register: Tokens,
}

#[derive(cynic::QueryVariables, Debug)]
pub struct RefreshVariables {
    pub token: String,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "RefreshVariables")]
pub struct Refresh {
    #[arguments(refreshToken: $token)]
    pub refresh_session: Tokens,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot")]
pub struct Logout {
    pub logout: bool,
}

#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "QueryRoot")]
pub struct Me {
    pub me: Viewer,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "Viewer")]
pub struct SwitchedTo {
    pub role: Option<Role>,
}

// A mutation must select something; the UI reloads what it shows instead of reading this.
#[allow(dead_code)]
#[derive(cynic::QueryFragment, Debug)]
#[cynic(graphql_type = "MutationRoot", variables = "super::IdVariables")]
pub struct SwitchCompany {
    #[arguments(companyId: $id)]
    pub switch_company: SwitchedTo,
}
