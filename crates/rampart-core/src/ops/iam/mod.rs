//! IAM: one module per resource, each owning its operations' handlers (wire input in, wire
//! output out), its wire conversions and its rules (quotas, conflicts, cascades).
//!
//! [`execute`] dispatches a decoded operation to its handler; [`Cx`] is what every handler
//! is given. Handlers are named after the AWS operation (`users::create_user`); the domain
//! functions they call over a [`WriteTxn`] keep short verbs (`users::create`) so that other
//! callers (STS, Organizations, the CLI) can compose them inside their own transactions.

use std::sync::Arc;

use crate::auth::Caller;
use crate::engine::{Engine, WriteTxn};
use crate::error::CoreError;
use crate::model::AccountId;
use crate::state::State;

pub mod access_advisor;
pub mod access_keys;
pub mod account_aliases;
pub mod account_summary;
pub mod authorization_details;
#[cfg(test)]
mod catalogue_tests;
pub mod credential_report;
pub mod delegation_requests;
pub mod execute;
#[cfg(test)]
mod fixture;
pub mod groups;
pub mod inline_policies;
pub mod instance_profiles;
pub mod mfa_devices;
pub mod oidc_providers;
pub mod organizations_features;
pub mod outbound_federation;
pub mod passwords;
pub mod policies;
pub mod policy_versions;
pub mod roles;
pub mod root_access;
pub mod saml_providers;
pub mod server_certificates;
pub mod service_credentials;
pub mod service_linked_roles;
pub mod signing_certificates;
pub mod simulate;
pub mod ssh_public_keys;
pub mod tags;
pub mod trust_principals;
pub mod users;

/// Maximum managed policies attached to one user, group or role (`PoliciesPerUser` …).
pub const MANAGED_POLICIES_PER_ENTITY: usize = 10;
/// Maximum groups a user may belong to (`GroupsPerUser`).
pub const GROUPS_PER_USER: usize = 10;

/// What an IAM handler is given: the engine, the authenticated and authorized caller, and
/// the request's clock.
#[derive(Debug, Clone, Copy)]
pub struct Cx<'a> {
    /// The engine whose snapshot handlers read and through which they write.
    pub engine: &'a Engine,
    /// Who is calling; its account is the account every handler acts in.
    pub caller: &'a Caller,
    /// The request time (seconds since the epoch), read once by the server.
    pub now: i64,
}

impl Cx<'_> {
    /// The account the caller acts in.
    pub fn account(&self) -> &AccountId {
        &self.caller.account
    }

    /// The newest committed state, for reads.
    pub fn state(&self) -> Arc<State> {
        self.engine.snapshot()
    }

    /// Runs `operation` as one durable transaction (see [`Engine::write`]).
    pub fn write<T>(
        &self,
        operation: impl FnMut(&mut WriteTxn<'_>) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        self.engine.write(operation)
    }
}
