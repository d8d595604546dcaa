//! The registry of stored record kinds: for every kind, its record type, its key, the
//! version of its stored form with the steps that upgrade older rows, and where it lives in
//! the [`State`].
//!
//! A write hands the typed record to [`crate::engine::WriteTxn::put`]: the kind comes from
//! the type, the key from the record ([`Keyed`]), and the record enters the state as it is
//! (it is encoded once, for the store, and never decoded back). A row from the store
//! (start-up, another node's change) is decoded through `State::apply_row`, which finds its kind
//! here, upgrades a body older than this build's version ([`Record::migrate`]) and refuses
//! one written by a newer build by name, so a changed record never stops a server with a
//! bare decode error.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use rampart_policy::{Policy, PolicyKind};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::delegation::{FederationEntry, SigningKeyEntry};
use super::organizations::{OrgResourcePolicyEntry, org_policy_entry};
use super::{GroupEntry, KeyEntry, OrgPolicyEntry, PolicyEntry, RoleEntry, State, UserEntry};
use crate::alerts::{AlertRuleEntry, AlertRuleRecord, rule_key};
use crate::error::CoreError;
use crate::model::{
    AccessKeyRecord, AccessReportRecord, AccountId, AccountRecord, CreateAccountStatusRecord,
    CredentialReportRecord, DelegationRequestRecord, GroupRecord, HandshakeRecord,
    InstanceProfileRecord, KeyUsageRecord, ManagedPolicyRecord, MfaDeviceRecord,
    OidcProviderRecord, OrgAccountRecord, OrgPolicyRecord, OrgResourcePolicyRecord, OrgUnitRecord,
    OrganizationRecord, OutboundFederationRecord, ResponsibilityTransferRecord, RoleRecord,
    RootRecoveryRecord, SamlProviderRecord, ServerCertificateRecord,
    ServiceSpecificCredentialRecord, SigningCertificateRecord, SshPublicKeyRecord,
    TrailDeliveryRecord, TrailRecord, UserRecord, kind, name_key,
};

/// A kind of stored record.
pub trait Record: Serialize + DeserializeOwned + Clone {
    /// The `kind` of its rows.
    const KIND: &'static str;
    /// The version of the stored form this build writes. Raising it needs a
    /// [`Record::migrate`] step from the version before.
    const VERSION: u32 = 1;
    /// What the state holds for it (the record with its policies parsed, its secret
    /// sealed, …).
    type Entry: Send + 'static;

    /// Builds the entry: pure, so start-up builds entries on every core.
    fn entry(self) -> Result<Self::Entry, CoreError>;
    /// Stores `entry` under `key` (replacing what was there).
    fn insert(entry: Self::Entry, key: &str, state: &mut State);
    /// Removes what is stored under `key`.
    fn remove(key: &str, state: &mut State);
    /// Upgrades a stored body of version `from` to version `from + 1`.
    fn migrate(from: u32, body: Value) -> Result<Value, String> {
        let _ = body;
        Err(format!("no upgrade from version {from}"))
    }
}

/// A record whose key is made of its own fields.
pub trait Keyed: Record {
    /// The key it is stored under.
    fn key(&self) -> String;
}

/// Decodes a stored body of `version` into the current form of `R`.
pub(crate) fn decode_stored<R: Record>(body: &str, version: u32) -> Result<R, CoreError> {
    let undecodable = |err: &dyn std::fmt::Display| {
        CoreError::Internal(format!(
            "stored {} record (version {version}) does not decode: {err}",
            R::KIND
        ))
    };
    if version == R::VERSION {
        return serde_json::from_str(body).map_err(|err| undecodable(&err));
    }
    if version > R::VERSION {
        return Err(CoreError::Internal(format!(
            "a {} record is stored in version {version}, written by a newer Rampart; this \
             build reads versions up to {}: run the newer build",
            R::KIND,
            R::VERSION
        )));
    }
    let mut value: Value = serde_json::from_str(body).map_err(|err| undecodable(&err))?;
    for from in version..R::VERSION {
        value = R::migrate(from, value).map_err(|err| undecodable(&err))?;
    }
    serde_json::from_value(value).map_err(|err| undecodable(&err))
}

/// A decoded row's entry, ready to store under a key.
type Prepared = Box<dyn FnOnce(&str, &mut State) + Send>;

/// One registered kind, as the row path needs it.
struct Kind {
    /// Decodes (and upgrades) a body of a version and builds its entry.
    prepare: fn(&str, u32) -> Result<Prepared, CoreError>,
    /// Removes the record under a key.
    remove: fn(&str, &mut State),
}

fn prepare<R: Record>(body: &str, version: u32) -> Result<Prepared, CoreError> {
    let entry = decode_stored::<R>(body, version)?.entry()?;
    Ok(Box::new(move |key, state| R::insert(entry, key, state)))
}

fn kind<R: Record>() -> (&'static str, Kind) {
    (
        R::KIND,
        Kind {
            prepare: prepare::<R>,
            remove: R::remove,
        },
    )
}

/// Kinds older versions wrote and this one no longer keeps: their rows are ignored.
const RETIRED: [&str; 1] = [
    // Sessions live in their tokens (`session_token`).
    kind::SESSION,
];

/// Every kind the state holds.
static KINDS: LazyLock<HashMap<&'static str, Kind>> = LazyLock::new(|| {
    HashMap::from([
        kind::<AccountRecord>(),
        kind::<UserRecord>(),
        kind::<GroupRecord>(),
        kind::<ManagedPolicyRecord>(),
        kind::<AccessKeyRecord>(),
        kind::<RoleRecord>(),
        kind::<InstanceProfileRecord>(),
        kind::<RetiredKey>(),
        kind::<RootRecoveryRecord>(),
        kind::<MfaDeviceRecord>(),
        kind::<CredentialReportRecord>(),
        kind::<KeyUsageRecord>(),
        kind::<SigningCertificateRecord>(),
        kind::<SshPublicKeyRecord>(),
        kind::<OidcProviderRecord>(),
        kind::<SamlProviderRecord>(),
        kind::<ServerCertificateRecord>(),
        kind::<ServiceSpecificCredentialRecord>(),
        kind::<AlertRuleRecord>(),
        kind::<OrganizationRecord>(),
        kind::<OrgUnitRecord>(),
        kind::<OrgAccountRecord>(),
        kind::<OrgPolicyRecord>(),
        kind::<HandshakeRecord>(),
        kind::<CreateAccountStatusRecord>(),
        kind::<OrgResourcePolicyRecord>(),
        kind::<ResponsibilityTransferRecord>(),
        kind::<TrailRecord>(),
        kind::<TrailDeliveryRecord>(),
        kind::<AccessReportRecord>(),
        kind::<DelegationRequestRecord>(),
        kind::<OutboundFederationRecord>(),
    ])
});

fn registered(kind_name: &str) -> Result<Option<&'static Kind>, CoreError> {
    match KINDS.get(kind_name) {
        Some(kind) => Ok(Some(kind)),
        None if RETIRED.contains(&kind_name) => Ok(None),
        None => Err(CoreError::Internal(format!(
            "unknown record kind `{kind_name}`"
        ))),
    }
}

impl State {
    /// Stores a typed record under `key`, keeping the indexes in step. Nothing changes
    /// when its entry cannot be built.
    pub(crate) fn apply_record<R: Record>(
        &mut self,
        key: &str,
        record: R,
    ) -> Result<(), CoreError> {
        let entry = record.entry()?;
        self.unindex(R::KIND, key);
        R::insert(entry, key, self);
        self.index(R::KIND, key);
        Ok(())
    }

    /// Removes the record of `kind_name` under `key`, keeping the indexes in step.
    pub(crate) fn remove_row(&mut self, kind_name: &str, key: &str) -> Result<(), CoreError> {
        let Some(kind) = registered(kind_name)? else {
            return Ok(());
        };
        self.unindex(kind_name, key);
        (kind.remove)(key, self);
        Ok(())
    }

    /// Applies one stored row of any kind: decodes (and upgrades) its body, or removes
    /// its record when it is a tombstone.
    pub(super) fn apply_row(
        &mut self,
        kind_name: &str,
        key: &str,
        body: Option<&str>,
        version: u32,
    ) -> Result<(), CoreError> {
        let Some(body) = body else {
            return self.remove_row(kind_name, key);
        };
        let Some(kind) = registered(kind_name)? else {
            return Ok(());
        };
        let prepared = (kind.prepare)(body, version)?;
        self.unindex(kind_name, key);
        prepared(key, self);
        self.index(kind_name, key);
        Ok(())
    }
}

/// Implements [`Record`] for a record the state keeps as it is, shared, in a map keyed by
/// its row key.
macro_rules! shared_record {
    ($record:ty, $kind:expr, |$state:ident| $map:expr) => {
        impl Record for $record {
            const KIND: &'static str = $kind;
            type Entry = $record;

            fn entry(self) -> Result<Self, CoreError> {
                Ok(self)
            }

            fn insert(entry: Self, key: &str, $state: &mut State) {
                $map.insert(key.to_owned(), Arc::new(entry));
            }

            fn remove(key: &str, $state: &mut State) {
                $map.remove(key);
            }
        }
    };
}

/// Implements [`Keyed`].
macro_rules! keyed {
    ($record:ty, |$r:ident| $key:expr) => {
        impl Keyed for $record {
            fn key(&self) -> String {
                let $r = self;
                $key
            }
        }
    };
}

// IAM and the account.

impl Record for AccountRecord {
    const KIND: &'static str = kind::ACCOUNT;
    type Entry = AccountRecord;

    fn entry(self) -> Result<Self, CoreError> {
        Ok(self)
    }

    fn insert(entry: Self, _key: &str, state: &mut State) {
        state.accounts.insert(entry.id.clone(), Arc::new(entry));
    }

    fn remove(key: &str, state: &mut State) {
        if let Some(id) = AccountId::parse(key) {
            state.accounts.remove(&id);
        }
    }
}
keyed!(AccountRecord, |r| r.id.as_str().to_owned());

impl Record for UserRecord {
    const KIND: &'static str = kind::USER;
    type Entry = UserEntry;

    fn entry(self) -> Result<UserEntry, CoreError> {
        let inline = parse_inline(&self.inline_policies)?;
        Ok(UserEntry {
            record: self,
            inline,
        })
    }

    fn insert(entry: UserEntry, key: &str, state: &mut State) {
        state.users.insert(key.to_owned(), Arc::new(entry));
    }

    fn remove(key: &str, state: &mut State) {
        state.users.remove(key);
    }
}
keyed!(UserRecord, |r| name_key(&r.account, &r.name));

impl Record for GroupRecord {
    const KIND: &'static str = kind::GROUP;
    type Entry = GroupEntry;

    fn entry(self) -> Result<GroupEntry, CoreError> {
        let inline = parse_inline(&self.inline_policies)?;
        Ok(GroupEntry {
            record: self,
            inline,
        })
    }

    fn insert(entry: GroupEntry, key: &str, state: &mut State) {
        state.groups.insert(key.to_owned(), Arc::new(entry));
    }

    fn remove(key: &str, state: &mut State) {
        state.groups.remove(key);
    }
}
keyed!(GroupRecord, |r| name_key(&r.account, &r.name));

impl Record for ManagedPolicyRecord {
    const KIND: &'static str = kind::POLICY;
    type Entry = PolicyEntry;

    fn entry(self) -> Result<PolicyEntry, CoreError> {
        let text = self.default_document().ok_or_else(|| {
            CoreError::Internal(format!("policy {} has no default version", self.arn()))
        })?;
        let document = Policy::parse(text, PolicyKind::Identity).map_err(|err| {
            CoreError::Internal(format!(
                "stored policy {} does not parse: {err}",
                self.arn()
            ))
        })?;
        Ok(PolicyEntry {
            record: self,
            document: std::sync::OnceLock::from(Some(Arc::new(document))),
        })
    }

    fn insert(entry: PolicyEntry, key: &str, state: &mut State) {
        state.policies.insert(key.to_owned(), Arc::new(entry));
    }

    fn remove(key: &str, state: &mut State) {
        state.policies.remove(key);
    }
}
keyed!(ManagedPolicyRecord, |r| r.arn());

impl Record for AccessKeyRecord {
    const KIND: &'static str = kind::ACCESS_KEY;
    type Entry = KeyEntry;

    /// The secret stays sealed until a request first needs it (`KeyEntry::secret`).
    fn entry(self) -> Result<KeyEntry, CoreError> {
        Ok(KeyEntry::sealed(self))
    }

    fn insert(entry: KeyEntry, key: &str, state: &mut State) {
        state.access_keys.insert(key.to_owned(), Arc::new(entry));
    }

    fn remove(key: &str, state: &mut State) {
        state.access_keys.remove(key);
    }
}
keyed!(AccessKeyRecord, |r| r.id.clone());

impl Record for RoleRecord {
    const KIND: &'static str = kind::ROLE;
    type Entry = RoleEntry;

    fn entry(self) -> Result<RoleEntry, CoreError> {
        let trust = Policy::parse(&self.trust_policy, PolicyKind::Trust).map_err(|err| {
            CoreError::Internal(format!(
                "stored trust policy of {} does not parse: {err}",
                self.name
            ))
        })?;
        let inline = parse_inline(&self.inline_policies)?;
        Ok(RoleEntry {
            record: self,
            trust: Arc::new(trust),
            inline,
        })
    }

    fn insert(entry: RoleEntry, key: &str, state: &mut State) {
        state.roles.insert(key.to_owned(), Arc::new(entry));
    }

    fn remove(key: &str, state: &mut State) {
        state.roles.remove(key);
    }
}
keyed!(RoleRecord, |r| name_key(&r.account, &r.name));

shared_record!(InstanceProfileRecord, kind::INSTANCE_PROFILE, |s| s
    .instance_profiles);
keyed!(InstanceProfileRecord, |r| name_key(&r.account, &r.name));

/// An access key id that may never be issued again (its key was deleted); stored under
/// the id, as an empty record.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct RetiredKey {}

impl Record for RetiredKey {
    const KIND: &'static str = kind::RETIRED_KEY;
    type Entry = ();

    fn entry(self) -> Result<(), CoreError> {
        Ok(())
    }

    fn insert((): (), key: &str, state: &mut State) {
        state.retired_keys.insert(key.to_owned());
    }

    fn remove(key: &str, state: &mut State) {
        state.retired_keys.remove(key);
    }
}

// Stored under a key that is not one of their fields (`WriteTxn::put_under`): a recovery
// under its token's digest, a report under its account, a key's last use under the key id.
shared_record!(RootRecoveryRecord, kind::ROOT_RECOVERY, |s| s
    .root_recoveries);
shared_record!(CredentialReportRecord, kind::CREDENTIAL_REPORT, |s| s
    .credential_reports);
shared_record!(KeyUsageRecord, kind::KEY_USAGE, |s| s.key_usage);

shared_record!(MfaDeviceRecord, kind::MFA_DEVICE, |s| s.mfa_devices);
keyed!(MfaDeviceRecord, |r| r.serial());
shared_record!(SigningCertificateRecord, kind::SIGNING_CERTIFICATE, |s| s
    .signing_certificates);
keyed!(SigningCertificateRecord, |r| r.id.clone());
shared_record!(SshPublicKeyRecord, kind::SSH_PUBLIC_KEY, |s| s
    .ssh_public_keys);
keyed!(SshPublicKeyRecord, |r| r.id.clone());
shared_record!(OidcProviderRecord, kind::OIDC_PROVIDER, |s| s
    .oidc_providers);
keyed!(OidcProviderRecord, |r| r.arn());
shared_record!(SamlProviderRecord, kind::SAML_PROVIDER, |s| s
    .saml_providers);
keyed!(SamlProviderRecord, |r| r.arn());
shared_record!(ServerCertificateRecord, kind::SERVER_CERTIFICATE, |s| s
    .server_certificates);
keyed!(ServerCertificateRecord, |r| name_key(&r.account, &r.name));
shared_record!(
    ServiceSpecificCredentialRecord,
    kind::SERVICE_SPECIFIC_CREDENTIAL,
    |s| s.service_credentials
);
keyed!(ServiceSpecificCredentialRecord, |r| r.id.clone());

impl Record for AlertRuleRecord {
    const KIND: &'static str = kind::ALERT_RULE;
    type Entry = AlertRuleEntry;

    fn entry(self) -> Result<AlertRuleEntry, CoreError> {
        AlertRuleEntry::new(self)
    }

    fn insert(entry: AlertRuleEntry, key: &str, state: &mut State) {
        state.alert_rules.insert(key.to_owned(), Arc::new(entry));
    }

    fn remove(key: &str, state: &mut State) {
        state.alert_rules.remove(key);
    }
}
keyed!(AlertRuleRecord, |r| rule_key(&r.account, &r.name));

// Organizations.

shared_record!(OrganizationRecord, kind::ORGANIZATION, |s| s
    .orgs
    .organizations);
keyed!(OrganizationRecord, |r| r.id.clone());
shared_record!(OrgUnitRecord, kind::ORG_UNIT, |s| s.orgs.units);
keyed!(OrgUnitRecord, |r| r.id.clone());
shared_record!(HandshakeRecord, kind::HANDSHAKE, |s| s.orgs.handshakes);
keyed!(HandshakeRecord, |r| r.id.clone());
shared_record!(
    CreateAccountStatusRecord,
    kind::CREATE_ACCOUNT_STATUS,
    |s| s.orgs.create_statuses
);
keyed!(CreateAccountStatusRecord, |r| r.id.clone());
shared_record!(
    ResponsibilityTransferRecord,
    kind::RESPONSIBILITY_TRANSFER,
    |s| s.orgs.transfers
);
keyed!(ResponsibilityTransferRecord, |r| r.id.clone());

impl Record for OrgAccountRecord {
    const KIND: &'static str = kind::ORG_ACCOUNT;
    type Entry = OrgAccountRecord;

    fn entry(self) -> Result<Self, CoreError> {
        Ok(self)
    }

    fn insert(entry: Self, _key: &str, state: &mut State) {
        state
            .orgs
            .members
            .insert(entry.account.clone(), Arc::new(entry));
    }

    fn remove(key: &str, state: &mut State) {
        if let Some(id) = AccountId::parse(key) {
            state.orgs.members.remove(&id);
        }
    }
}
keyed!(OrgAccountRecord, |r| r.account.as_str().to_owned());

impl Record for OrgPolicyRecord {
    const KIND: &'static str = kind::ORG_POLICY;
    type Entry = OrgPolicyEntry;

    fn entry(self) -> Result<OrgPolicyEntry, CoreError> {
        org_policy_entry(self)
    }

    fn insert(entry: OrgPolicyEntry, key: &str, state: &mut State) {
        state.orgs.policies.insert(key.to_owned(), Arc::new(entry));
    }

    fn remove(key: &str, state: &mut State) {
        state.orgs.policies.remove(key);
    }
}
keyed!(OrgPolicyRecord, |r| r.id.clone());

impl Record for OrgResourcePolicyRecord {
    const KIND: &'static str = kind::ORG_RESOURCE_POLICY;
    type Entry = OrgResourcePolicyEntry;

    fn entry(self) -> Result<OrgResourcePolicyEntry, CoreError> {
        let document = Policy::parse(&self.content, PolicyKind::Resource).map_err(|err| {
            CoreError::Internal(format!(
                "stored resource policy {} does not parse: {err}",
                self.id
            ))
        })?;
        Ok(OrgResourcePolicyEntry {
            record: self,
            document,
        })
    }

    fn insert(entry: OrgResourcePolicyEntry, key: &str, state: &mut State) {
        state
            .orgs
            .resource_policies
            .insert(key.to_owned(), Arc::new(entry));
    }

    fn remove(key: &str, state: &mut State) {
        state.orgs.resource_policies.remove(key);
    }
}
// Stored under its organization: one per organization.
keyed!(OrgResourcePolicyRecord, |r| r.org.clone());

// CloudTrail and access advisor.

shared_record!(TrailRecord, kind::TRAIL, |s| s.trails.trails);
keyed!(TrailRecord, |r| r.arn.clone());
// Stored under its trail's ARN.
shared_record!(TrailDeliveryRecord, kind::TRAIL_DELIVERY, |s| s
    .trails
    .deliveries);
shared_record!(AccessReportRecord, kind::ACCESS_REPORT, |s| s
    .access_reports
    .jobs);
keyed!(AccessReportRecord, |r| super::access_report_key(
    &r.account, &r.job_id
));

// Delegation.

impl Record for DelegationRequestRecord {
    const KIND: &'static str = kind::DELEGATION_REQUEST;
    type Entry = DelegationRequestRecord;

    fn entry(self) -> Result<Self, CoreError> {
        Ok(self)
    }

    fn insert(entry: Self, key: &str, state: &mut State) {
        state.delegation.insert_request(key, entry);
    }

    fn remove(key: &str, state: &mut State) {
        state.delegation.remove_request(key);
    }
}
keyed!(DelegationRequestRecord, |r| r.id.clone());

impl Record for OutboundFederationRecord {
    const KIND: &'static str = kind::OUTBOUND_FEDERATION;
    type Entry = FederationEntry;

    /// The signing keys stay sealed until first used.
    fn entry(self) -> Result<FederationEntry, CoreError> {
        let keys = self
            .keys
            .iter()
            .map(|k| SigningKeyEntry::sealed(&self.account, k))
            .collect();
        Ok(FederationEntry { record: self, keys })
    }

    fn insert(entry: FederationEntry, _key: &str, state: &mut State) {
        state.delegation.insert_federation(entry);
    }

    fn remove(key: &str, state: &mut State) {
        if let Some(account) = AccountId::parse(key) {
            state.delegation.remove_federation(&account);
        }
    }
}
keyed!(OutboundFederationRecord, |r| r.account.as_str().to_owned());

fn parse_inline(policies: &[(String, String)]) -> Result<Vec<Arc<Policy>>, CoreError> {
    policies
        .iter()
        .map(|(name, text)| {
            Policy::parse(text, PolicyKind::Identity)
                .map(Arc::new)
                .map_err(|err| {
                    CoreError::Internal(format!(
                        "stored inline policy `{name}` does not parse: {err}"
                    ))
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record whose stored form changed: version 1 kept one `name`, version 2 splits it.
    #[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
    struct Renamed {
        first: String,
        last: String,
    }

    impl Record for Renamed {
        const KIND: &'static str = "renamed";
        const VERSION: u32 = 2;
        type Entry = ();

        fn entry(self) -> Result<(), CoreError> {
            Ok(())
        }

        fn insert((): (), _key: &str, _state: &mut State) {}

        fn remove(_key: &str, _state: &mut State) {}

        fn migrate(from: u32, mut body: Value) -> Result<Value, String> {
            match from {
                1 => {
                    let name = body
                        .get("name")
                        .and_then(Value::as_str)
                        .ok_or("version 1 has a name")?
                        .to_owned();
                    let (first, last) = name.split_once(' ').unwrap_or((&name, ""));
                    body["first"] = Value::from(first);
                    body["last"] = Value::from(last);
                    Ok(body)
                }
                other => Err(format!("no upgrade from version {other}")),
            }
        }
    }

    #[test]
    fn an_older_row_is_upgraded_as_it_is_read() {
        let current = r#"{"first":"Ada","last":"Lovelace"}"#;
        let expected = Renamed {
            first: "Ada".into(),
            last: "Lovelace".into(),
        };
        assert_eq!(decode_stored::<Renamed>(current, 2).unwrap(), expected);
        let old = r#"{"name":"Ada Lovelace"}"#;
        assert_eq!(decode_stored::<Renamed>(old, 1).unwrap(), expected);
    }

    #[test]
    fn a_row_of_a_newer_build_is_refused_by_name() {
        let err = decode_stored::<Renamed>("{}", 3).unwrap_err().to_string();
        assert!(
            err.contains("renamed record is stored in version 3"),
            "{err}"
        );
        assert!(err.contains("reads versions up to 2"), "{err}");
        // A kind with no upgrade path names the version it could not upgrade.
        let err = decode_stored::<UserRecord>("{}", 0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no upgrade from version 0"), "{err}");
    }

    #[test]
    fn every_kind_is_registered_and_retired_kinds_are_ignored() {
        let mut state = State::default();
        state
            .apply_row(kind::SESSION, "ASIA", Some("{}"), 1)
            .unwrap();
        let err = state.apply_row("nonsense", "k", Some("{}"), 1).unwrap_err();
        assert!(err.to_string().contains("unknown record kind `nonsense`"));
        state
            .apply_row(kind::RETIRED_KEY, "AKIAOLD", Some("{}"), 1)
            .unwrap();
        assert!(state.retired_keys.contains("AKIAOLD"));
        state
            .apply_row(kind::RETIRED_KEY, "AKIAOLD", None, 1)
            .unwrap();
        assert!(!state.retired_keys.contains("AKIAOLD"));
        assert_eq!(KINDS.len(), 32);
    }
}
