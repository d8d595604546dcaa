//! The delegation part of the snapshot: delegation requests by id with their lookups (by
//! owner account, by requestor account, by requestor workflow id), and each account's
//! outbound federation with its signing keys, opened (and their public JWKs computed) on
//! first use, as access key secrets are, so start-up opens nothing.

use std::sync::Arc;

use serde_json::Value;

use super::Map;
use crate::error::CoreError;
use crate::jwt;
use crate::model::{
    AccountId, DelegationRequestRecord, JwtAlgorithm, OutboundFederationRecord, SigningKeyRecord,
};
use crate::secrets::{MasterKey, SecretBytes};

/// A signing key, sealed until first used.
#[derive(Debug)]
pub struct SigningKeyEntry {
    /// `kid`.
    pub id: String,
    /// What it signs with.
    pub algorithm: JwtAlgorithm,
    account: AccountId,
    sealed_private_key: String,
    opened: std::sync::OnceLock<OpenedKey>,
}

/// A signing key's PKCS#8 private key and its public JWK.
#[derive(Debug)]
struct OpenedKey {
    private_key: SecretBytes,
    jwk: Value,
}

impl SigningKeyEntry {
    /// The PKCS#8 private key, opened with `master` the first time.
    pub fn private_key(&self, master: &MasterKey) -> Result<&SecretBytes, CoreError> {
        Ok(&self.opened(master)?.private_key)
    }

    /// The public JWK.
    pub fn jwk(&self, master: &MasterKey) -> Result<&Value, CoreError> {
        Ok(&self.opened(master)?.jwk)
    }

    fn opened(&self, master: &MasterKey) -> Result<&OpenedKey, CoreError> {
        if let Some(opened) = self.opened.get() {
            return Ok(opened);
        }
        let private_key = master
            .open(
                &self.sealed_private_key,
                &signing_key_context(&self.account, &self.id),
            )
            .map_err(|err| CoreError::Internal(format!("signing key {}: {err}", self.id)))?;
        let jwk = jwt::public_jwk(self.algorithm, &self.id, private_key.expose())?;
        // A racing opener computed the same key; either copy will do.
        Ok(self.opened.get_or_init(|| OpenedKey { private_key, jwk }))
    }
}

/// An account's outbound federation with its keys opened.
#[derive(Debug)]
pub struct FederationEntry {
    /// The stored record.
    pub record: OutboundFederationRecord,
    /// Its keys, opened.
    pub keys: Vec<SigningKeyEntry>,
}

impl FederationEntry {
    /// The key that signs with `algorithm`.
    pub fn key(&self, algorithm: JwtAlgorithm) -> Option<&SigningKeyEntry> {
        self.keys.iter().find(|k| k.algorithm == algorithm)
    }
}

/// The associated data that binds a sealed signing key to its account and `kid`.
pub fn signing_key_context(account: &AccountId, kid: &str) -> String {
    format!("outbound_federation/{account}/{kid}")
}

/// Delegation requests and outbound federations.
#[derive(Debug, Clone, Default)]
pub struct DelegationState {
    pub(crate) requests: Map<String, Arc<DelegationRequestRecord>>,
    /// `(owner account, id)` of requests with an owner account.
    pub(crate) by_owner: imbl::OrdSet<(AccountId, String)>,
    /// `(requestor account, id)`.
    pub(crate) by_requestor: imbl::OrdSet<(AccountId, String)>,
    /// `requestor/workflow id` → request id.
    pub(crate) by_workflow: Map<String, String>,
    pub(crate) federations: Map<AccountId, Arc<FederationEntry>>,
    /// Issuer id → account.
    pub(crate) issuers: Map<String, AccountId>,
}

fn workflow_key(requestor: &AccountId, workflow: &str) -> String {
    format!("{requestor}/{workflow}")
}

impl SigningKeyEntry {
    /// The entry of `account`'s stored key, still sealed.
    pub(super) fn sealed(account: &AccountId, key: &SigningKeyRecord) -> SigningKeyEntry {
        SigningKeyEntry {
            id: key.id.clone(),
            algorithm: key.algorithm,
            account: account.clone(),
            sealed_private_key: key.sealed_private_key.clone(),
            opened: std::sync::OnceLock::new(),
        }
    }
}

impl DelegationState {
    /// Stores a request under `key` with its lookups, replacing any before it.
    pub(super) fn insert_request(&mut self, key: &str, record: DelegationRequestRecord) {
        self.remove_request(key);
        if let Some(owner) = &record.owner_account {
            self.by_owner.insert((owner.clone(), record.id.clone()));
        }
        self.by_requestor
            .insert((record.requestor.clone(), record.id.clone()));
        self.by_workflow.insert(
            workflow_key(&record.requestor, &record.workflow_id),
            record.id.clone(),
        );
        self.requests.insert(key.to_owned(), Arc::new(record));
    }

    /// Removes the request under `key` and its lookups.
    pub(super) fn remove_request(&mut self, key: &str) {
        if let Some(old) = self.requests.remove(key) {
            if let Some(owner) = &old.owner_account {
                self.by_owner.remove(&(owner.clone(), old.id.clone()));
            }
            self.by_requestor
                .remove(&(old.requestor.clone(), old.id.clone()));
            self.by_workflow
                .remove(&workflow_key(&old.requestor, &old.workflow_id));
        }
    }

    /// Stores an account's federation and its issuer, replacing any before it.
    pub(super) fn insert_federation(&mut self, entry: FederationEntry) {
        let account = entry.record.account.clone();
        self.remove_federation(&account);
        self.issuers
            .insert(entry.record.issuer_id.clone(), account.clone());
        self.federations.insert(account, Arc::new(entry));
    }

    /// Removes an account's federation and its issuer.
    pub(super) fn remove_federation(&mut self, account: &AccountId) {
        if let Some(old) = self.federations.remove(account) {
            self.issuers.remove(&old.record.issuer_id);
        }
    }
}

impl super::State {
    /// A delegation request by id.
    pub fn delegation_request(&self, id: &str) -> Option<&Arc<DelegationRequestRecord>> {
        self.delegation.requests.get(id)
    }

    /// The request `requestor` created under `workflow`.
    pub fn delegation_request_by_workflow(
        &self,
        requestor: &AccountId,
        workflow: &str,
    ) -> Option<&Arc<DelegationRequestRecord>> {
        self.delegation
            .by_workflow
            .get(&workflow_key(requestor, workflow))
            .and_then(|id| self.delegation.requests.get(id))
    }

    /// Requests whose owner account is `account`, by id.
    pub fn delegation_requests_owned_by<'s>(
        &'s self,
        account: &'s AccountId,
    ) -> impl Iterator<Item = &'s Arc<DelegationRequestRecord>> + 's {
        let from = (account.clone(), String::new());
        self.delegation
            .by_owner
            .range(from..)
            .take_while(move |(a, _)| a == account)
            .filter_map(|(_, id)| self.delegation.requests.get(id))
    }

    /// Requests `account` created, by id.
    pub fn delegation_requests_created_by<'s>(
        &'s self,
        account: &'s AccountId,
    ) -> impl Iterator<Item = &'s Arc<DelegationRequestRecord>> + 's {
        let from = (account.clone(), String::new());
        self.delegation
            .by_requestor
            .range(from..)
            .take_while(move |(a, _)| a == account)
            .filter_map(|(_, id)| self.delegation.requests.get(id))
    }

    /// Every delegation request (for notification delivery).
    pub fn all_delegation_requests(&self) -> impl Iterator<Item = &Arc<DelegationRequestRecord>> {
        self.delegation.requests.values()
    }

    /// `account`'s outbound federation, enabled or not.
    pub fn outbound_federation(&self, account: &AccountId) -> Option<&Arc<FederationEntry>> {
        self.delegation.federations.get(account)
    }

    /// The outbound federation whose issuer id is `issuer_id`.
    pub fn outbound_federation_by_issuer(&self, issuer_id: &str) -> Option<&Arc<FederationEntry>> {
        self.delegation
            .issuers
            .get(issuer_id)
            .and_then(|account| self.delegation.federations.get(account))
    }
}
